/* kinema-thumbnailer.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Small pictures for task rows: the first frame of a video, or the image itself.
 * Made off the main thread, at most two at once (newest request first, so the rows
 * on screen win while the list scrolls), and cached by file (path, size on disk,
 * modification time) in memory (LRU) and as PNG in $XDG_CACHE_HOME/kinema/thumbnails.
 * Cancel the request when the row is recycled: a request whose callers all cancelled
 * is dropped before any work is done.
 */

#pragma once

#include <gdk/gdk.h>
#include <gio/gio.h>

G_BEGIN_DECLS

#define KINEMA_TYPE_THUMBNAILER (kinema_thumbnailer_get_type ())

G_DECLARE_FINAL_TYPE (KinemaThumbnailer, kinema_thumbnailer, KINEMA, THUMBNAILER, GObject)

/* clang-format off */
/* The shared instance (transfer none), caching in the user's cache folder. */
KinemaThumbnailer *kinema_thumbnailer_get_default (void);
/* A separate instance caching on disk in @cache_dir (NULL: memory only). */
KinemaThumbnailer *kinema_thumbnailer_new         (const char          *cache_dir);
/* @path: a video or an image (JPEG, PNG, GIF, WebP, BMP, TIFF; by content). @size: the
 * longest side in pixels; the picture keeps its aspect ratio and is never enlarged. */
void               kinema_thumbnailer_load_async  (KinemaThumbnailer   *self,
                                                   const char          *path,
                                                   int                  size,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GdkTexture        *kinema_thumbnailer_load_finish (KinemaThumbnailer   *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
/* Counters for tests and the benchmark: answered from memory, from the disk cache,
 * and decoded from the file. Any pointer may be NULL. */
void               kinema_thumbnailer_get_stats   (KinemaThumbnailer   *self,
                                                   guint               *memory_hits,
                                                   guint               *disk_hits,
                                                   guint               *decoded);
/* clang-format on */

G_END_DECLS
