/* kinema-task-private.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Core-only: the setters of KinemaTask. Every setter notifies only when the value
 * really changed (and "status-label" / "active" follow status, progress and error).
 * Only the task manager, the scheduler, the downloader and the history use these.
 */

#pragma once

#include "kinema-task.h"

G_BEGIN_DECLS

/* clang-format off */
/* A new task (status Submitting, created now). @id NULL generates a UUID. */
KinemaTask *kinema_task_new                     (const char       *id,
                                                 const char       *provider_id,
                                                 const char       *provider_name,
                                                 KinemaRequest    *request,
                                                 gboolean          is_demo);

/* Fills a task read back from the history, without any notification. The task must
 * not be visible to anybody yet. Takes ownership of @request and @error. */
typedef struct {
  char             *id;
  char             *provider_id;
  char             *provider_name;
  KinemaRequest    *request;
  char             *remote_id;
  KinemaTaskStatus  status;
  double            progress;
  char             *status_message;
  GError           *error;
  char             *video_url;
  char             *video_path;
  char             *thumbnail_path;
  char             *part_path;      /* NAME.part while downloading */
  char             *video_id;       /* the provider's id of the finished video */
  double            units_charged;  /* what the job cost, from the provider; < 0: unknown */
  gint64            created_at;
  gint64            submitted_at;
  gint64            started_at;
  gint64            finished_at;
  gboolean          is_demo;
} KinemaTaskRecord;

KinemaTask *kinema_task_new_from_record         (KinemaTaskRecord *record);
void        kinema_task_record_clear            (KinemaTaskRecord *record);
/* Copies the persistent fields (borrowed pointers, valid while @self is unchanged). */
void        kinema_task_peek_record             (KinemaTask       *self,
                                                 KinemaTaskRecord *out);

void        kinema_task_set_provider_name       (KinemaTask       *self,
                                                 const char       *provider_name);
void        kinema_task_set_remote_id           (KinemaTask       *self,
                                                 const char       *remote_id);
void        kinema_task_set_status              (KinemaTask       *self,
                                                 KinemaTaskStatus  status);
void        kinema_task_set_progress            (KinemaTask       *self,
                                                 double            progress);
void        kinema_task_set_status_message      (KinemaTask       *self,
                                                 const char       *status_message);
/* Copies @error (NULL clears it). */
void        kinema_task_set_error               (KinemaTask       *self,
                                                 const GError     *error);
void        kinema_task_set_video_url           (KinemaTask       *self,
                                                 const char       *video_url);
void        kinema_task_set_video_path          (KinemaTask       *self,
                                                 const char       *video_path);
void        kinema_task_set_thumbnail_path      (KinemaTask       *self,
                                                 const char       *thumbnail_path);
void        kinema_task_set_video_id            (KinemaTask       *self,
                                                 const char       *video_id);
void        kinema_task_set_units_charged       (KinemaTask       *self,
                                                 double            units);
/* Where the clip is being downloaded to (not a property). */
const char *kinema_task_get_part_path           (KinemaTask       *self);
void        kinema_task_set_part_path           (KinemaTask       *self,
                                                 const char       *part_path);
void        kinema_task_set_created_at          (KinemaTask       *self,
                                                 gint64            created_at);
void        kinema_task_set_submitted_at        (KinemaTask       *self,
                                                 gint64            submitted_at);
void        kinema_task_set_started_at          (KinemaTask       *self,
                                                 gint64            started_at);
void        kinema_task_set_finished_at         (KinemaTask       *self,
                                                 gint64            finished_at);
void        kinema_task_set_estimated_remaining (KinemaTask       *self,
                                                 gint64            seconds);
void        kinema_task_set_is_slow             (KinemaTask       *self,
                                                 gboolean          is_slow);
/* Marks the task failed: status Failed, @error kept, finished-at set, progress cleared. */
void        kinema_task_fail                    (KinemaTask       *self,
                                                 const GError     *error);
/* clang-format on */

G_END_DECLS
