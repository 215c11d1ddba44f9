/* kinema-exporter.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Exports one clip or the shots of a story, one after the other, as one file: MP4
 * (H.264/AAC), WebM (VP9/Opus) or an animated GIF, optionally trimmed and scaled down.
 * MP4 is remuxed without re-encoding when every shot has the same H.264 format and
 * size (and the same AAC format, or no sound) and neither trim nor a smaller size is
 * asked for. The work runs off the main loop; the file is written under a hidden
 * temporary name in the target folder and renamed only once complete, so a failed or
 * cancelled export leaves nothing behind.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  KINEMA_EXPORT_FORMAT_MP4,
  KINEMA_EXPORT_FORMAT_WEBM,
  KINEMA_EXPORT_FORMAT_GIF,
} KinemaExportFormat;

/* Sizes are the largest height wanted; a clip is never enlarged. */
#define KINEMA_EXPORT_SIZE_ORIGINAL 0

#define KINEMA_TYPE_EXPORTER (kinema_exporter_get_type ())

G_DECLARE_FINAL_TYPE (KinemaExporter, kinema_exporter, KINEMA, EXPORTER, GObject)

/* clang-format off */
/* "mp4", "webm", "gif" (any case); FALSE for anything else. */
gboolean        kinema_export_format_from_string (const char          *text,
                                                  KinemaExportFormat  *format);
/* The file name extension, without the dot. */
const char     *kinema_export_format_get_extension (KinemaExportFormat format);
/* "original", "1080p", "720p", "480p" (the "p" is optional); FALSE for anything else. */
gboolean        kinema_export_size_from_string   (const char          *text,
                                                  guint               *height);

/* @paths: the clips in order (at least one). */
KinemaExporter *kinema_exporter_new              (const char * const  *paths,
                                                  KinemaExportFormat   format,
                                                  const char          *output);
void            kinema_exporter_set_size         (KinemaExporter      *self,
                                                  guint                height);
/* Times on the joined clips; @out_ns < 0: to the end. */
void            kinema_exporter_set_trim         (KinemaExporter      *self,
                                                  gint64               in_ns,
                                                  gint64               out_ns);
/* Runs in a thread; "fraction" and "time-left" change on the caller's main context. */
void            kinema_exporter_run_async        (KinemaExporter      *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean        kinema_exporter_run_finish       (KinemaExporter      *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
/* Synchronous, for worker threads. */
gboolean        kinema_exporter_run              (KinemaExporter      *self,
                                                  GCancellable        *cancellable,
                                                  GError             **error);

/* 0 to 1. */
double          kinema_exporter_get_fraction     (KinemaExporter      *self);
/* Microseconds, or -1 while unknown. */
gint64          kinema_exporter_get_time_left    (KinemaExporter      *self);
/* Once the export has started: the length of the result, in nanoseconds. */
gint64          kinema_exporter_get_duration     (KinemaExporter      *self);
/* After the export: TRUE when no encoder was part of the pipeline. */
gboolean        kinema_exporter_get_remuxed      (KinemaExporter      *self);
/* clang-format on */

G_END_DECLS
