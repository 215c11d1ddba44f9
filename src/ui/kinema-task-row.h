/* kinema-task-row.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row of the task list: thumbnail, prompt, model/mode/duration, status with
 * progress, elapsed time and estimate, and the row's menu. Rows are recycled by the
 * list view: bind connects to the task, unbind disconnects and cancels the thumbnail.
 * The elapsed-time labels of the active rows on screen share one 1 s timeout, and
 * only rows on screen load thumbnails.
 */

#pragma once

#include <adwaita.h>

#include "kinema-task.h"

G_BEGIN_DECLS

#define KINEMA_TYPE_TASK_ROW (kinema_task_row_get_type ())

G_DECLARE_FINAL_TYPE (KinemaTaskRow, kinema_task_row, KINEMA, TASK_ROW, GtkWidget)

/* clang-format off */
GtkWidget  *kinema_task_row_new            (void);
/* @list_item: the item showing the row (to select it), or NULL. */
void        kinema_task_row_bind           (KinemaTaskRow *self,
                                            KinemaTask    *task,
                                            GtkListItem   *list_item);
void        kinema_task_row_unbind         (KinemaTaskRow *self);
KinemaTask *kinema_task_row_get_task       (KinemaTaskRow *self);
GtkListItem *kinema_task_row_get_list_item (KinemaTaskRow *self);
/* Opens the row's menu (Menu key, Shift+F10). */
void        kinema_task_row_popup_menu     (KinemaTaskRow *self);

/* Test hooks: rows created so far in this process, rows alive now, rows on the shared
 * timer, and thumbnails asked for. */
guint       kinema_task_row_get_n_created  (void);
guint       kinema_task_row_get_n_alive    (void);
guint       kinema_task_row_get_n_ticking  (void);
guint       kinema_task_row_get_n_thumbnail_requests (void);
/* clang-format on */

/* The row's actions ("task.play", "task.stop", "task.retry", "task.reuse",
 * "task.try-again", "task.save-as", "task.open-folder", "task.copy-id",
 * "task.compare", "task.remove", "task.details") are carried out by the KinemaTaskListView above it. */

G_END_DECLS
