/* kinema-task.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One generation job, as the user sees it. Read-only outside the core: only core
 * code changes a task (kinema-task-private.h); the UI binds to its properties.
 * Times are Unix microseconds (g_get_real_time), 0 when not reached yet.
 */

#pragma once

#include <glib-object.h>

#include "kinema-request.h"
#include "kinema-types.h"

G_BEGIN_DECLS

#define KINEMA_TYPE_TASK (kinema_task_get_type ())

G_DECLARE_FINAL_TYPE (KinemaTask, kinema_task, KINEMA, TASK, GObject)

const char       *kinema_task_get_id                (KinemaTask *self); /* UUID, also external_task_id */
const char       *kinema_task_get_provider_id       (KinemaTask *self);
const char       *kinema_task_get_provider_name     (KinemaTask *self);
KinemaTaskKind    kinema_task_get_kind              (KinemaTask *self);
KinemaRequest    *kinema_task_get_request           (KinemaTask *self); /* never modify it */
const char       *kinema_task_get_prompt            (KinemaTask *self);
const char       *kinema_task_get_remote_id         (KinemaTask *self);
KinemaTaskStatus  kinema_task_get_status            (KinemaTask *self);
double            kinema_task_get_progress          (KinemaTask *self); /* 0..1 or -1 */
const char       *kinema_task_get_status_message    (KinemaTask *self); /* friendly, translated */
const GError     *kinema_task_get_error             (KinemaTask *self);
const char       *kinema_task_get_video_url         (KinemaTask *self);
const char       *kinema_task_get_video_path        (KinemaTask *self);
const char       *kinema_task_get_thumbnail_path    (KinemaTask *self);
/* The provider's id of the finished video (official Kling), or %NULL. */
const char       *kinema_task_get_video_id          (KinemaTask *self);
/* What the finished job really cost in the provider's units (Kling's
 * final_unit_deduction), or -1 when the provider did not say. */
double            kinema_task_get_units_charged     (KinemaTask *self);
/* The clip this job continues (issue 14), from its request: how, the task id
 * (%NULL when none) and where in that clip, in seconds (-1 when not known). */
KinemaLinkKind    kinema_task_get_link_kind         (KinemaTask *self);
const char       *kinema_task_get_parent_id         (KinemaTask *self);
double            kinema_task_get_parent_time       (KinemaTask *self);
/* The clip's length in seconds as far as the request tells: the length asked for, or for
 * a video extension its parent's length plus about KINEMA_EXTEND_SECONDS. */
double            kinema_task_estimate_clip_seconds (KinemaTask *self);
gint64            kinema_task_get_created_at        (KinemaTask *self);
gint64            kinema_task_get_submitted_at      (KinemaTask *self);
gint64            kinema_task_get_started_at        (KinemaTask *self);
gint64            kinema_task_get_finished_at       (KinemaTask *self);
/* Seconds left by the learned estimate, or -1 when unknown. */
gint64            kinema_task_get_estimated_remaining (KinemaTask *self);
/* TRUE when the job runs longer than jobs like it usually do. */
gboolean          kinema_task_get_is_slow           (KinemaTask *self);
gboolean          kinema_task_get_is_demo           (KinemaTask *self);
/* TRUE while the task still needs polling or downloading. */
gboolean          kinema_task_is_active             (KinemaTask *self);
/* A translated one-word label for the status ("Queued", "Generating 30%", …). */
char             *kinema_task_dup_status_label      (KinemaTask *self);

G_END_DECLS
