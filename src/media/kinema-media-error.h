/* kinema-media-error.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Turns what GStreamer reports about a clip that cannot be played into one
 * KINEMA_ERROR_MEDIA error with a plain-words message: damaged or incomplete file,
 * not a video, missing file, or a missing decoder together with the Debian package
 * that provides it. GStreamer's own text goes into the error's details.
 */

#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* clang-format off */
/* The Debian package that provides what a missing-plugin installer detail
 * ("gstreamer|1.0|app|H.264 decoder|decoder-video/x-h264, …") or a caps string asks
 * for, or NULL when unknown. */
const char *kinema_media_package_for_detail   (const char  *installer_detail);
/* For a missing-plugin element message: fills the description ("H.264 (High Profile)
 * decoder") and the package (may be NULL) and returns TRUE; FALSE for other messages. */
gboolean    kinema_media_parse_missing_plugin (GstMessage  *message,
                                               char       **description,
                                               char       **package);
GError     *kinema_media_error_missing_decoder (const char *description,
                                                const char *package);
/* From a GST_MESSAGE_ERROR's error and debug text. */
GError     *kinema_media_error_from_gst       (const GError *gst_error,
                                               const char   *debug);
GError     *kinema_media_error_not_video      (void);
/* "Damaged or incomplete"; @technical goes into the details. */
GError     *kinema_media_error_damaged        (const char   *technical);
/* Checks @uri for a missing file before GStreamer is asked (clearer message). */
GError     *kinema_media_error_check_uri      (const char   *uri);
/* clang-format on */

G_END_DECLS
