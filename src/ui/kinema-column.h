/* kinema-column.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One column of the main window: holds a single child and asks for a natural width of
 * its own (never the child's), so that what the child shows (a long prompt, a playing
 * clip, a failure reason) cannot change how the window shares its width between the
 * columns (issue 12 point 5). Its minimum width is still the child's, so nothing is cut.
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KINEMA_TYPE_COLUMN (kinema_column_get_type ())

G_DECLARE_FINAL_TYPE (KinemaColumn, kinema_column, KINEMA, COLUMN, GtkWidget)

/* clang-format off */
GtkWidget *kinema_column_new               (void);
GtkWidget *kinema_column_get_child         (KinemaColumn *self);
void       kinema_column_set_child         (KinemaColumn *self,
                                            GtkWidget    *child);
int        kinema_column_get_natural_width (KinemaColumn *self);
void       kinema_column_set_natural_width (KinemaColumn *self,
                                            int           natural_width);
/* clang-format on */

G_END_DECLS
