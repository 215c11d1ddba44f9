/* kinema-clip-length.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The lengths of clips as the files have them (a 5 s Kling clip lasts 5.04-5.1 s; an
 * extension's clip is the whole extended video), read with GStreamer's discoverer in
 * one worker thread, one file after the other, each given at most a few seconds.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The most files one call reads; later ones are reported as unknown. */
#define KINEMA_CLIP_LENGTH_MAX_FILES 200

/* clang-format off */
/* @paths: local files. */
void    kinema_clip_length_read_async  (const char * const  *paths,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
/* (element-type gint64): one length in nanoseconds per path, in order, -1 where the
 * file could not be read; NULL only when cancelled. */
GArray *kinema_clip_length_read_finish (GAsyncResult        *result,
                                        GError             **error);
/* clang-format on */

G_END_DECLS
