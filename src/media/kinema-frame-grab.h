/* kinema-frame-grab.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One decoded frame of a clip, as a GdkTexture (and optionally a PNG file), made off
 * the main thread with its own short-lived pipeline: thumbnails and "Use this frame
 * as start image". No display is needed.
 */

#pragma once

#include <gdk/gdk.h>
#include <gio/gio.h>

G_BEGIN_DECLS

/* As a position: the clip's last frame, found by decoding to the end. */
#define KINEMA_FRAME_GRAB_LAST G_MAXINT64

/* clang-format off */
/* Synchronous: for worker threads only. @position_ns < 0 or 0: the first frame;
 * otherwise the frame shown at that time (accurate seek). @max_size > 0 scales the
 * frame down so that its longer side is at most @max_size pixels. */
GdkTexture *kinema_frame_grab              (const char          *path,
                                            gint64               position_ns,
                                            int                  max_size,
                                            GCancellable        *cancellable,
                                            GError             **error);
/* The same, and where the frame is shown in the clip (its timestamp), or -1. */
GdkTexture *kinema_frame_grab_full         (const char          *path,
                                            gint64               position_ns,
                                            int                  max_size,
                                            gint64              *out_position_ns,
                                            GCancellable        *cancellable,
                                            GError             **error);
/* Runs kinema_frame_grab() in a thread; with @png_path, also writes the frame there
 * (full size unless @max_size says otherwise). */
void        kinema_frame_grab_async        (const char          *path,
                                            gint64               position_ns,
                                            int                  max_size,
                                            const char          *png_path,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GdkTexture *kinema_frame_grab_finish       (GAsyncResult        *result,
                                            GError             **error);
/* The same, and the frame's timestamp (-1 when not known). */
GdkTexture *kinema_frame_grab_finish_full  (GAsyncResult        *result,
                                            gint64              *position_ns,
                                            GError             **error);
/* Writes @texture as PNG to @path in a thread (atomically: temp file, then rename). */
void        kinema_texture_save_png_async  (GdkTexture          *texture,
                                            const char          *path,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean    kinema_texture_save_png_finish (GAsyncResult        *result,
                                            GError             **error);
/* Synchronous PNG write (atomic), for worker threads. */
gboolean    kinema_texture_save_png        (GdkTexture          *texture,
                                            const char          *path,
                                            GError             **error);
/* clang-format on */

G_END_DECLS
