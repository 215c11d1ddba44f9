/* kinema-media-private.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GStreamer-facing helpers shared inside src/media. The UI never includes this.
 */

#pragma once

#include <gdk/gdk.h>
#include <gst/gst.h>

G_BEGIN_DECLS

/* clang-format off */
/* gst_init and gst_pb_utils_init, once. */
void        _kinema_media_init                (void);
/* Copies a packed RGB video sample into a GdkMemoryTexture, scaled down
 * so its longer side is at most @max_size when @max_size > 0. */
GdkTexture *_kinema_media_texture_from_sample (GstSample  *sample,
                                               int         max_size,
                                               GError    **error);
/* TRUE when a demuxer inside @pipeline stopped its streaming task. Before the first
 * frame this means it gave up on the file: decodebin drops errors that an element
 * posts while it is still being plugged (GStreamer 1.22), so no error may follow. */
gboolean    _kinema_media_demuxer_stalled     (GstElement *pipeline);
/* clang-format on */

G_END_DECLS
