/* kinema-compare-window.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two clips side by side with one transport: play, pause, seek and frame steps act
 * on both, and playback is kept in step.
 */

#pragma once

#include <adwaita.h>

#include "kinema-player.h"
#include "kinema-task.h"

G_BEGIN_DECLS

#define KINEMA_TYPE_COMPARE_WINDOW (kinema_compare_window_get_type ())

G_DECLARE_FINAL_TYPE (KinemaCompareWindow, kinema_compare_window, KINEMA, COMPARE_WINDOW, AdwWindow)

/* clang-format off */
/* A new window, transient for @parent, comparing @a (left) and @b (right). */
GtkWidget    *kinema_compare_window_new        (GtkWindow           *parent,
                                                KinemaTask          *a,
                                                KinemaTask          *b);
/* The player of clip 0 (left) or 1 (right), transfer none; for tests. */
KinemaPlayer *kinema_compare_window_get_player (KinemaCompareWindow *self,
                                                guint                index);
/* clang-format on */

G_END_DECLS
