/* kinema-task-list-view-private.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Between the list view and its rows, and for tests.
 */

#pragma once

#include "kinema-task-list-view.h"
#include "kinema-task-row.h"

G_BEGIN_DECLS

/* clang-format off */
/* Carries out a row action ("play", "stop", "retry", …) for @task shown by @row. */
void kinema_task_list_view_run_action (KinemaTaskListView *self,
                                       KinemaTaskRow      *row,
                                       KinemaTask         *task,
                                       const char         *action);
/* Shows @tasks without a manager (tests; actions that need the manager do nothing). */
void kinema_task_list_view_set_tasks  (KinemaTaskListView *self,
                                       GListModel         *tasks);
/* Copies @task's clip to @dest off the main thread (what "Save Video As…" does once a
 * file is chosen), then says so in a toast. */
void kinema_task_list_view_save_video (KinemaTaskListView *self,
                                       KinemaTask         *task,
                                       GFile              *dest);
/* The bound row showing @task, or NULL when it is not on screen. */
KinemaTaskRow *kinema_task_list_view_lookup_row (KinemaTaskListView *self,
                                                 KinemaTask         *task);
/* What a row cannot learn from its task alone: the clip the task continues or extends
 * (@parent, NULL when none or no longer in the history) and whether the task's provider
 * offers Kling's video extension ("Extend…" is shown only then). */
void kinema_task_row_set_relations (KinemaTaskRow *self,
                                    KinemaTask    *parent,
                                    gboolean       offers_extend);
/* clang-format on */

G_END_DECLS
