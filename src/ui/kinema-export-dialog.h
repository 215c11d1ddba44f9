/* kinema-export-dialog.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Export a clip or a story: format (MP4, WebM, animated GIF), size, trim (start and end,
 * from the player's in and out points when set), then a file; a progress bar with the
 * time left and Cancel while KinemaExporter works off the main loop.
 */

#pragma once

#include <adwaita.h>

#include "kinema-exporter.h"

G_BEGIN_DECLS

#define KINEMA_TYPE_EXPORT_DIALOG (kinema_export_dialog_get_type ())

G_DECLARE_FINAL_TYPE (KinemaExportDialog, kinema_export_dialog, KINEMA, EXPORT_DIALOG, AdwWindow)

/* clang-format off */
/* @paths: the clips in order; @name: the file name to suggest, without extension;
 * @duration_ns: their length together (-1 when unknown); @in_ns, @out_ns: the trim to
 * start with (-1: none). */
GtkWidget      *kinema_export_dialog_new          (GtkWindow           *parent,
                                                   const char * const  *paths,
                                                   const char          *name,
                                                   gint64               duration_ns,
                                                   gint64               in_ns,
                                                   gint64               out_ns);
/* Exports to @file at once with the choices shown (the Export button asks for the
 * file first). "finished" is emitted with the file once it is saved. */
void            kinema_export_dialog_export_to    (KinemaExportDialog  *self,
                                                   GFile               *file);
void            kinema_export_dialog_set_format   (KinemaExportDialog  *self,
                                                   KinemaExportFormat   format);
/* The running or last export, or NULL (transfer none); for tests. */
KinemaExporter *kinema_export_dialog_get_exporter (KinemaExportDialog  *self);
/* clang-format on */

G_END_DECLS
