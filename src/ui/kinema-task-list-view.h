/* kinema-task-list-view.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The task history: a GtkListView over the manager's tasks, newest first, with
 * search by prompt and a status filter, an empty state, and the row actions (play,
 * stop tracking, retry as a new paid job after asking, reuse settings, save video
 * as, open folder, copy task id, compare, remove from history).
 */

#pragma once

#include <adwaita.h>

#include "kinema-task-manager.h"

G_BEGIN_DECLS

#define KINEMA_TYPE_TASK_LIST_VIEW (kinema_task_list_view_get_type ())

G_DECLARE_FINAL_TYPE (KinemaTaskListView, kinema_task_list_view, KINEMA, TASK_LIST_VIEW, GtkWidget)

/**
 * KinemaTaskListFilter:
 * @KINEMA_TASK_LIST_FILTER_ALL: every task
 * @KINEMA_TASK_LIST_FILTER_ACTIVE: submitting, queued, generating or downloading
 * @KINEMA_TASK_LIST_FILTER_READY: the clip is on disk
 * @KINEMA_TASK_LIST_FILTER_FAILED: failed
 * @KINEMA_TASK_LIST_FILTER_NEEDS_CHECKING: may or may not exist remotely
 *
 * The entries of the status filter, in the order of the dropdown.
 */
typedef enum
{
  KINEMA_TASK_LIST_FILTER_ALL,
  KINEMA_TASK_LIST_FILTER_ACTIVE,
  KINEMA_TASK_LIST_FILTER_READY,
  KINEMA_TASK_LIST_FILTER_FAILED,
  KINEMA_TASK_LIST_FILTER_NEEDS_CHECKING,
} KinemaTaskListFilter;

/* clang-format off */
GtkWidget  *kinema_task_list_view_new               (void);
void        kinema_task_list_view_set_manager       (KinemaTaskListView   *self,
                                                     KinemaTaskManager    *manager);
KinemaTaskManager *kinema_task_list_view_get_manager (KinemaTaskListView  *self);
/* The selected task, or NULL (property "selected-task"). */
KinemaTask *kinema_task_list_view_get_selected_task (KinemaTaskListView   *self);
/* Selects @task when it is shown (NULL unselects). */
void        kinema_task_list_view_select_task       (KinemaTaskListView   *self,
                                                     KinemaTask           *task);
void        kinema_task_list_view_set_search        (KinemaTaskListView   *self,
                                                     const char           *text);
void        kinema_task_list_view_set_filter        (KinemaTaskListView   *self,
                                                     KinemaTaskListFilter  filter);
/* The tasks shown after search and filter (transfer none). */
GListModel *kinema_task_list_view_get_model         (KinemaTaskListView   *self);
/* clang-format on */

/* Signals: "reuse-settings" (KinemaTask *task) to fill the composer from @task ("Reuse
 * settings" and "Try again with changes"); "compare" (KinemaTask *a, KinemaTask *b) to
 * show two clips side by side; "continue" (KinemaTask *task) to prepare the next shot
 * from the clip's last frame. */

G_END_DECLS
