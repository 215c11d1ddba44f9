/* kinema-sidecar.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * NAME.json next to a downloaded NAME.mp4: the prompt and every parameter of the job,
 * so a clip can be reused ("reuse settings", drag a clip onto the composer) even
 * without the history. Written by the task manager, read by the composer.
 *
 *   {"kinema_sidecar": 1, "task_id": "…", "provider_id": "…", "provider_name": "…",
 *    "remote_id": "…", "created_at": "2026-12-01T21:31:05Z", "prompt": "…",
 *    "video_id": "…", "continues": {"kind": "continue"|"extend", "task_id": "…", "time": 4.96},
 *    "units_charged": 2.5,
 *    "request": { …kinema_request_to_json()… }}
 *
 * "video_id" (the provider's id of the video, for an extension) and "continues" (the
 * clip this one continues; the request carries the same link) are left out when unset;
 * so is "units_charged" (what the job cost, when the provider said: Kling's
 * final_unit_deduction).
 */

#pragma once

#include <gio/gio.h>

#include "kinema-task.h"

G_BEGIN_DECLS

/* clang-format off */
/* NAME.json for NAME.EXT (the path itself is not checked). */
char     *kinema_sidecar_path_for (const char     *video_path);
/* Writes the sidecar of @task next to @video_path (atomically). */
gboolean  kinema_sidecar_write    (const char     *video_path,
                                   KinemaTask     *task,
                                   GError        **error);
/* The same, written on a worker thread (the contents are taken from @task now). */
void      kinema_sidecar_write_async  (const char          *video_path,
                                       KinemaTask          *task,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean  kinema_sidecar_write_finish (GAsyncResult        *result,
                                       GError             **error);
/* Reads the sidecar next to @video_path. @request receives a new request (with no
 * external task id: reusing settings makes a new job). */
gboolean  kinema_sidecar_read     (const char     *video_path,
                                   KinemaRequest **request,
                                   GError        **error);
/* The same from a sidecar's contents. */
gboolean       kinema_sidecar_parse       (const char          *contents,
                                           gsize                length,
                                           KinemaRequest      **request,
                                           GError             **error);
/* The same on a worker thread. */
void           kinema_sidecar_read_async  (const char          *video_path,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
KinemaRequest *kinema_sidecar_read_finish (GAsyncResult        *result,
                                           GError             **error);
/* clang-format on */

G_END_DECLS
