/* kinema-player-view-private.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the file choosers of the player view end in, for tests that cannot click
 * through a native dialog.
 */

#pragma once

#include "kinema-player-view.h"

G_BEGIN_DECLS

/* clang-format off */
/* Copies the clip on show to @dest (async; a toast says how it went). */
void _kinema_player_view_save_video_to (KinemaPlayerView *self,
                                        GFile            *dest);
/* Saves the frame on screen as PNG at @path (async; a toast says how it went). */
void _kinema_player_view_save_frame_to (KinemaPlayerView *self,
                                        const char       *path);
/* The fullscreen window, or NULL. */
GtkWidget *_kinema_player_view_get_fullscreen_window (KinemaPlayerView *self);
/* How long the fullscreen controls stay after the pointer stops (default 2.5 s). */
void _kinema_player_view_set_controls_hide_ms (KinemaPlayerView *self,
                                               guint             ms);
/* clang-format on */

G_END_DECLS
