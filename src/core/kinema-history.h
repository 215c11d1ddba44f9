/* kinema-history.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The task history: SQLite in DATA_DIR/history.db (WAL, schema version in
 * PRAGMA user_version, forward migrations). One worker thread owns the connection
 * and runs every job in the order it was queued, one small transaction per change,
 * so the main loop never waits for the disk. A flush is the barrier the task
 * manager waits for before a submit request leaves: everything queued before it is
 * on disk when it completes.
 */

#pragma once

#include <gio/gio.h>

#include "kinema-story.h"
#include "kinema-task.h"

G_BEGIN_DECLS

/* The schema this build writes. */
#define KINEMA_HISTORY_SCHEMA_VERSION 5

#define KINEMA_TYPE_HISTORY (kinema_history_get_type ())

G_DECLARE_FINAL_TYPE (KinemaHistory, kinema_history, KINEMA, HISTORY, GObject)

/* clang-format off */
/* Nothing is opened yet; the worker opens (and creates/migrates) the database with its first job. */
KinemaHistory *kinema_history_new          (const char           *data_dir);
const char    *kinema_history_get_path     (KinemaHistory        *self);
/* Where an unreadable history.db (garbage, truncated, another schema) was moved when
 * it was opened, a new one being started in its place; NULL when it was fine. */
const char    *kinema_history_get_moved_aside (KinemaHistory     *self);
/* Reads every task, newest first, built on the worker thread (nobody can be connected
 * to them yet, so no notifications). Result: (element-type KinemaTask) (transfer container). */
void           kinema_history_load_async   (KinemaHistory        *self,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
GPtrArray     *kinema_history_load_finish  (KinemaHistory        *self,
                                            GAsyncResult         *result,
                                            GError              **error);
/* Queues an insert-or-update of the task as it is now (a snapshot is taken here). */
void           kinema_history_save         (KinemaHistory        *self,
                                            KinemaTask           *task);
void           kinema_history_delete       (KinemaHistory        *self,
                                            const char           *task_id);
/* Completes when every job queued before it is on disk; fails with the first write
 * error seen since the previous flush. */
void           kinema_history_flush_async  (KinemaHistory        *self,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean       kinema_history_flush_finish (KinemaHistory        *self,
                                            GAsyncResult         *result,
                                            GError              **error);
/* Stories (issue 14): queued like the tasks' writes. Saving replaces the story's
 * title and shots with a snapshot taken here; deleting a task also drops its shots. */
void           kinema_history_save_story   (KinemaHistory        *self,
                                            KinemaStory          *story);
void           kinema_history_delete_story (KinemaHistory        *self,
                                            const char           *story_id);
/* Every story, most recently changed first. Result: (element-type KinemaStory) (transfer container). */
void           kinema_history_load_stories_async  (KinemaHistory        *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
GPtrArray     *kinema_history_load_stories_finish (KinemaHistory        *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
/* Blocks until the queue is written (shutdown, tests). */
gboolean       kinema_history_flush_sync   (KinemaHistory        *self,
                                            GError              **error);
/* clang-format on */

G_END_DECLS
