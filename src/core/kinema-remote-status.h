/* kinema-remote-status.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What one reply (submit or poll) said about a job, whatever its dialect.
 */

#pragma once

#include <glib-object.h>

#include "kinema-types.h"

G_BEGIN_DECLS

#define KINEMA_TYPE_REMOTE_STATUS (kinema_remote_status_get_type ())

struct _KinemaRemoteStatus
{
  KinemaRemoteState state;
  char   *remote_id;        /* the id to poll with (gateway id where there is one) */
  char   *raw_status;       /* the provider's own word, for logs and details */
  double  progress;         /* 0..1, or -1 when unknown */
  char   *video_url;        /* NULL until known; NULL + SUCCEEDED means "use the content route" */
  char   *failure_message;  /* the provider's reason when FAILED */
  gint64  updated_at_ms;    /* when the provider last refreshed the job (Unix ms), or 0 */
  double  video_duration_s; /* length of the clip when the reply says it, or 0 */
  double  units_charged;    /* what the finished job cost (Kling's final_unit_deduction), or -1 */
  char   *video_id;         /* Kling's task_result.videos[0].id (for video-extend), or NULL */
};

GType               kinema_remote_status_get_type (void) G_GNUC_CONST;
KinemaRemoteStatus *kinema_remote_status_new      (void);
KinemaRemoteStatus *kinema_remote_status_copy     (const KinemaRemoteStatus *self);
void                kinema_remote_status_free     (KinemaRemoteStatus       *self);
const char         *kinema_remote_state_to_string (KinemaRemoteState         state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KinemaRemoteStatus, kinema_remote_status_free)

G_END_DECLS
