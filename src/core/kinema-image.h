/* kinema-image.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Kling's rules for start and end frames (PROTOCOL.md 1.4): JPG or PNG (by content),
 * at most 10 MB, both sides at least 300 px, aspect ratio between 1:2.5 and 2.5:1.
 * kinema_image_check() only checks; kinema_image_prepare_async() also converts other
 * formats (WebP, HEIC, GIF, BMP, TIFF) and scales down what is too large, in a thread.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define KINEMA_IMAGE_MAX_BYTES    (10 * 1024 * 1024)
#define KINEMA_IMAGE_MIN_SIDE     300
/* Aspect limit as a fraction: the longer side at most 5/2 of the shorter one. */
#define KINEMA_IMAGE_ASPECT_NUM   5
#define KINEMA_IMAGE_ASPECT_DEN   2
/* Converted or shrunk images get at most this many pixels on their longer side. */
#define KINEMA_IMAGE_TARGET_SIDE  3840
#define KINEMA_IMAGE_JPEG_QUALITY 90
/* The most pixels decoded whole (JPEG may claim more: it decodes scaled). 50 million
 * RGBA pixels are 200 MB. */
#define KINEMA_IMAGE_MAX_DECODE_PIXELS (50 * 1000 * 1000)

/**
 * KinemaImageInfo:
 * @path: the file to send (the original, or a converted copy in the work dir)
 * @mime_type: "image/jpeg" or "image/png"
 * @width: width in pixels
 * @height: height in pixels
 * @file_size: size of @path in bytes
 * @note: (nullable): what was changed, translated ("Converted from WebP to JPEG"), or %NULL
 */
typedef struct {
  char    *path;
  char    *mime_type;
  int      width;
  int      height;
  goffset  file_size;
  char    *note;
} KinemaImageInfo;

#define KINEMA_TYPE_IMAGE_INFO (kinema_image_info_get_type ())

GType            kinema_image_info_get_type        (void) G_GNUC_CONST;
KinemaImageInfo *kinema_image_info_copy            (const KinemaImageInfo *info);
void             kinema_image_info_free            (KinemaImageInfo       *info);

/* The MIME type of the image format whose magic bytes start @data (JPEG, PNG, WebP,
 * GIF, BMP, TIFF, AVIF, HEIF), or NULL: no shared MIME database needed. */
const char *kinema_image_sniff_mime_type (const guint8 *data,
                                          gsize         length);
/* Sync and cheap (reads the header): strict rules, KINEMA_ERROR_INVALID_INPUT naming the problem. */
gboolean         kinema_image_read_size            (const char            *path,
                                                    const char            *mime_type,
                                                    int                   *width,
                                                    int                   *height);
gboolean         kinema_image_dimensions_ok        (int                    width,
                                                    int                    height,
                                                    const char            *mime_type,
                                                    GError               **error);
gboolean         kinema_image_check                (const char            *path,
                                                    KinemaImageInfo      **out_info,
                                                    GError               **error);
/* In a thread: returns @path as is when it passes, else a converted/scaled copy in
 * @work_dir (NULL: $XDG_CACHE_HOME/kinema/images) that passes, or an error. */
void             kinema_image_prepare_async        (const char            *path,
                                                    const char            *work_dir,
                                                    GCancellable          *cancellable,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
KinemaImageInfo *kinema_image_prepare_finish       (GAsyncResult          *result,
                                                    GError               **error);
/* Image data pasted or dropped (from a browser): written to @work_dir, then prepared. */
void             kinema_image_prepare_bytes_async  (GBytes                *bytes,
                                                    const char            *mime_type,
                                                    const char            *work_dir,
                                                    GCancellable          *cancellable,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
KinemaImageInfo *kinema_image_prepare_bytes_finish (GAsyncResult          *result,
                                                    GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KinemaImageInfo, kinema_image_info_free)

G_END_DECLS
