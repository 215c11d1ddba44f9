/* kinema-gif-writer.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An animated GIF written frame by frame: libimagequant makes each frame's palette
 * (256 colours, light dithering), giflib encodes it. One frame is held back so that
 * its delay comes from the next frame's time; the file loops forever.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _KinemaGifWriter KinemaGifWriter;

/* clang-format off */
/* Writes to @fd, which the writer closes (also on error). */
KinemaGifWriter *kinema_gif_writer_new       (int               fd,
                                              guint             width,
                                              guint             height,
                                              GError          **error);
/* @rgba: @height rows of @width RGBA pixels, @stride bytes apart; @pts_ns: the frame's
 * time from the start of the animation. */
gboolean         kinema_gif_writer_add_frame (KinemaGifWriter  *self,
                                              const guint8     *rgba,
                                              gsize             stride,
                                              guint64           pts_ns,
                                              GError          **error);
/* Writes the held frame, lasting until @end_ns, and closes the file. */
gboolean         kinema_gif_writer_finish    (KinemaGifWriter  *self,
                                              guint64           end_ns,
                                              GError          **error);
guint            kinema_gif_writer_get_n_frames (KinemaGifWriter *self);
void             kinema_gif_writer_free      (KinemaGifWriter  *self);
/* clang-format on */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KinemaGifWriter, kinema_gif_writer_free)

G_END_DECLS
