/* kinema-remote-status.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-remote-status"

#include "config.h"

#include "kinema-remote-status.h"

G_DEFINE_BOXED_TYPE (KinemaRemoteStatus, kinema_remote_status,
                     kinema_remote_status_copy, kinema_remote_status_free)

KinemaRemoteStatus *
kinema_remote_status_new (void)
{
  KinemaRemoteStatus *self = g_new0 (KinemaRemoteStatus, 1);

  self->state = KINEMA_REMOTE_STATE_PENDING;
  self->progress = -1;
  self->units_charged = -1;
  return self;
}

KinemaRemoteStatus *
kinema_remote_status_copy (const KinemaRemoteStatus *self)
{
  KinemaRemoteStatus *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (KinemaRemoteStatus, 1);
  *copy = *self;
  copy->remote_id = g_strdup (self->remote_id);
  copy->raw_status = g_strdup (self->raw_status);
  copy->video_url = g_strdup (self->video_url);
  copy->failure_message = g_strdup (self->failure_message);
  copy->video_id = g_strdup (self->video_id);
  return copy;
}

void
kinema_remote_status_free (KinemaRemoteStatus *self)
{
  if (self == NULL)
    return;

  g_free (self->remote_id);
  g_free (self->raw_status);
  g_free (self->video_url);
  g_free (self->failure_message);
  g_free (self->video_id);
  g_free (self);
}

const char *
kinema_remote_state_to_string (KinemaRemoteState state)
{
  switch (state)
    {
    case KINEMA_REMOTE_STATE_PENDING:
      return "pending";
    case KINEMA_REMOTE_STATE_QUEUED:
      return "queued";
    case KINEMA_REMOTE_STATE_RUNNING:
      return "running";
    case KINEMA_REMOTE_STATE_SUCCEEDED:
      return "succeeded";
    case KINEMA_REMOTE_STATE_FAILED:
      return "failed";
    default:
      return "unknown";
    }
}
