/* kinema-player-view.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The inline player: the selected task's clip (or any video file) with play/pause,
 * loop, scrubbing that shows the frame under the pointer, frame steps, speed, mute,
 * fullscreen, and the frame tools (save frame, use it as start or end image, save the
 * video). While the task is not ready it shows the task's status; with nothing chosen,
 * a status page. Keyboard shortcuts (Space/K, comma, period, M, F, Esc) act only while
 * the focus is inside the view.
 */

#pragma once

#include <adwaita.h>

#include "kinema-player.h"
#include "kinema-task.h"

G_BEGIN_DECLS

#define KINEMA_TYPE_PLAYER_VIEW (kinema_player_view_get_type ())

G_DECLARE_FINAL_TYPE (KinemaPlayerView, kinema_player_view, KINEMA, PLAYER_VIEW, GtkWidget)

/* The position of KinemaPlayerView::continue for "from the last frame". */
#define KINEMA_PLAYER_VIEW_LAST_FRAME G_MAXINT64

/* clang-format off */
GtkWidget    *kinema_player_view_new           (void);
/* Follows @task (NULL: nothing selected): its status until the clip is on disk, then
 * the clip, playing. A demo clip carries a visible "Demo clip" badge. */
void          kinema_player_view_set_task      (KinemaPlayerView *self,
                                                KinemaTask       *task);
KinemaTask   *kinema_player_view_get_task      (KinemaPlayerView *self);
/* Whether the task's provider offers Kling's video extension: "Extend…" is in the menu
 * for a finished clip only then. Call after kinema_player_view_set_task(), which clears it. */
void          kinema_player_view_set_offers_extend (KinemaPlayerView *self,
                                                    gboolean          offers_extend);
/* Plays @file (no task). */
void          kinema_player_view_open_file     (KinemaPlayerView *self,
                                                GFile            *file);
/* The player behind the view (transfer none), for tests and the benchmark. */
KinemaPlayer *kinema_player_view_get_player    (KinemaPlayerView *self);
/* Whether a clip starts playing as soon as it is opened (default TRUE). */
void          kinema_player_view_set_autoplay  (KinemaPlayerView *self,
                                                gboolean          autoplay);
/* The name of the page on show: "empty", "status", "error" or "player". */
const char   *kinema_player_view_get_page      (KinemaPlayerView *self);
/* The widget showing the video (for screenshots in tests). */
GtkWidget    *kinema_player_view_get_video_area (KinemaPlayerView *self);
/* The in and out points set with I and O (ns; -1 when not set); FALSE when neither is. */
gboolean      kinema_player_view_get_points    (KinemaPlayerView *self,
                                                gint64           *in_ns,
                                                gint64           *out_ns);
/* clang-format on */

/* Signals:
 *   "use-frame" (const char *png_path, gboolean as_end_frame): the user wants the
 *   frame on screen (saved full size as PNG at png_path) as the start or end image
 *   of a new job.
 *   "continue" (KinemaTask *task, gint64 position_ns) and "extend" (KinemaTask *task):
 *   the window prepares the next shot or shows the extension dialog. */

G_END_DECLS
