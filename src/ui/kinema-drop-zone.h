/* kinema-drop-zone.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One frame of the composer (start or end image): takes files dropped from a file
 * manager, image data dropped or pasted from a browser, http(s) image URLs, Ctrl+V and
 * a click that opens the file chooser. Images are checked and, where needed, converted
 * or scaled off the main thread (kinema-image.h); the zone shows a thumbnail, the size,
 * a note when the image was changed, and a remove button.
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KINEMA_TYPE_DROP_ZONE (kinema_drop_zone_get_type ())

G_DECLARE_FINAL_TYPE (KinemaDropZone, kinema_drop_zone, KINEMA, DROP_ZONE, GtkWidget)

/* clang-format off */
GtkWidget  *kinema_drop_zone_new               (void);
const char *kinema_drop_zone_get_title         (KinemaDropZone *self);
void        kinema_drop_zone_set_title         (KinemaDropZone *self,
                                                const char     *title);
gboolean    kinema_drop_zone_get_compact       (KinemaDropZone *self);
void        kinema_drop_zone_set_compact       (KinemaDropZone *self,
                                                gboolean        compact);
/* The image to send: a checked local file (maybe a converted copy) or an http(s) URL;
 * NULL while empty, busy or refused. */
const char *kinema_drop_zone_get_image         (KinemaDropZone *self);
gboolean    kinema_drop_zone_get_busy          (KinemaDropZone *self);
/* Why the last image was refused, in plain words, or NULL. */
const char *kinema_drop_zone_get_error_message (KinemaDropZone *self);
/* What was changed ("Converted from WebP to JPEG"), or NULL. */
const char *kinema_drop_zone_get_note          (KinemaDropZone *self);
/* "1280 × 720 · 245.1 kB" for a file, the URL for a link, or NULL. */
const char *kinema_drop_zone_get_summary       (KinemaDropZone *self);
gboolean    kinema_drop_zone_get_image_size    (KinemaDropZone *self,
                                                int            *width,
                                                int            *height);
void        kinema_drop_zone_set_file          (KinemaDropZone *self,
                                                GFile          *file);
void        kinema_drop_zone_set_texture       (KinemaDropZone *self,
                                                GdkTexture     *texture);
void        kinema_drop_zone_set_url           (KinemaDropZone *self,
                                                const char     *url);
/* A local path or an http(s) URL (what a request stores). */
void        kinema_drop_zone_set_image         (KinemaDropZone *self,
                                                const char     *path_or_url);
void        kinema_drop_zone_clear             (KinemaDropZone *self);
/* What the drop target does with a dropped value (GdkFileList, GFile, GdkTexture or a
 * string holding a URL, URI or path). Returns FALSE when the value is not usable. */
gboolean    kinema_drop_zone_handle_value      (KinemaDropZone *self,
                                                const GValue   *value);
/* Reads an image, a file or a URL from @clipboard. */
void        kinema_drop_zone_paste             (KinemaDropZone *self,
                                                GdkClipboard   *clipboard);
/* Opens the file chooser. */
void        kinema_drop_zone_choose_file       (KinemaDropZone *self);
/* clang-format on */

/* Signals: "video-dropped" (GFile *file) when a video file is dropped or chosen: the
 * composer restores its settings from the sidecar. */

G_END_DECLS
