/* kinema-export-dialog.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The choices stay editable until Export; then they are frozen, the progress group
 * shows, and Cancel cancels the export (nothing is left behind: KinemaExporter writes
 * a temporary file and renames it only when complete). An error keeps the dialog open
 * with the message and its details, and the choices editable again.
 */

#define G_LOG_DOMAIN "kinema-export-dialog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kinema-error.h"
#include "kinema-export-dialog.h"

struct _KinemaExportDialog
{
  AdwWindow parent_instance;

  GStrv                 paths;
  char                 *name;
  gint64                duration;
  KinemaExporter       *exporter;
  GCancellable         *cancellable;
  GtkFileChooserNative *chooser;
  GFile                *file;

  GtkButton           *cancel_button;
  GtkButton           *export_button;
  AdwPreferencesGroup *choices_group;
  AdwComboRow         *format_row;
  AdwComboRow         *size_row;
  AdwPreferencesGroup *trim_group;
  GtkAdjustment       *start_adjustment;
  GtkAdjustment       *end_adjustment;
  GtkWidget           *progress_group;
  GtkProgressBar      *progress_bar;
  GtkLabel            *status_label;
  GtkLabel            *details_label;
};

G_DEFINE_FINAL_TYPE (KinemaExportDialog, kinema_export_dialog, ADW_TYPE_WINDOW)

enum
{
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const guint sizes[] = { KINEMA_EXPORT_SIZE_ORIGINAL, 1080, 720, 480 };

static gboolean
is_running (KinemaExportDialog *self)
{
  return self->cancellable != NULL;
}

static void
set_running (KinemaExportDialog *self,
             gboolean            running)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->choices_group), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->trim_group), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), !running);
  gtk_widget_set_visible (self->progress_group, TRUE);
}

static char *
dup_time_left (gint64 left_us)
{
  gint64 seconds = (left_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;

  if (seconds >= 90)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "About %d minute left", "About %d minutes left",
                                         (gulong) ((seconds + 30) / 60)),
                            (int) ((seconds + 30) / 60));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "About %d second left", "About %d seconds left",
                                       (gulong) MAX (seconds, 1)),
                          (int) MAX (seconds, 1));
}

static void
on_progress (KinemaExporter     *exporter,
             GParamSpec         *pspec,
             KinemaExportDialog *self)
{
  double           fraction = kinema_exporter_get_fraction (exporter);
  gint64           left = kinema_exporter_get_time_left (exporter);
  g_autofree char *percent = g_strdup_printf ("%d %%", (int) (fraction * 100));
  g_autofree char *text = left >= 0 ? dup_time_left (left) : g_strdup (_("Working out the time left…"));

  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  gtk_progress_bar_set_text (self->progress_bar, percent);
  gtk_label_set_text (self->status_label, text);
}

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(KinemaExportDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!kinema_exporter_run_finish (KINEMA_EXPORTER (source), result, &error))
    {
      g_autofree char *details = NULL;

      g_clear_object (&self->cancellable);
      set_running (self, FALSE);
      gtk_progress_bar_set_fraction (self->progress_bar, 0);
      gtk_progress_bar_set_text (self->progress_bar, "");
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Cancelled from the window's close button: it is gone already. */
          if (gtk_widget_get_visible (GTK_WIDGET (self)))
            gtk_label_set_text (self->status_label, _("Export stopped; nothing was saved."));
          return;
        }
      gtk_label_set_text (self->status_label, error->message);
      details = kinema_error_format_details (error);
      gtk_label_set_text (self->details_label, details != NULL ? details : "");
      gtk_widget_set_visible (GTK_WIDGET (self->details_label), details != NULL && details[0] != '\0');
      return;
    }

  g_clear_object (&self->cancellable);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, self->file);
  gtk_window_destroy (GTK_WINDOW (self));
}

static KinemaExportFormat
selected_format (KinemaExportDialog *self)
{
  return (KinemaExportFormat) MIN (adw_combo_row_get_selected (self->format_row), KINEMA_EXPORT_FORMAT_GIF);
}

void
kinema_export_dialog_export_to (KinemaExportDialog *self,
                                GFile              *file)
{
  g_autofree char *path = NULL;
  double           start, end;

  g_return_if_fail (KINEMA_IS_EXPORT_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));

  if (is_running (self) || (path = g_file_get_path (file)) == NULL)
    return;

  g_set_object (&self->file, file);
  if (self->exporter != NULL)
    g_signal_handlers_disconnect_by_data (self->exporter, self);
  g_clear_object (&self->exporter);
  self->exporter = kinema_exporter_new ((const char *const *) self->paths, selected_format (self), path);
  kinema_exporter_set_size (self->exporter,
                            sizes[MIN (adw_combo_row_get_selected (self->size_row), G_N_ELEMENTS (sizes) - 1)]);
  start = gtk_adjustment_get_value (self->start_adjustment);
  end = gtk_adjustment_get_value (self->end_adjustment);
  /* The whole length is no trim at all (and keeps a remux possible). */
  if (start > 0.0005 || (self->duration > 0 && end * G_TIME_SPAN_SECOND * 1000 < self->duration - 500000))
    kinema_exporter_set_trim (self->exporter, (gint64) (start * G_TIME_SPAN_SECOND * 1000),
                              (gint64) (end * G_TIME_SPAN_SECOND * 1000));
  g_signal_connect (self->exporter, "notify::fraction", G_CALLBACK (on_progress), self);

  self->cancellable = g_cancellable_new ();
  set_running (self, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->details_label), FALSE);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_progress_bar_set_text (self->progress_bar, "0 %");
  gtk_label_set_text (self->status_label, _("Working out the time left…"));
  kinema_exporter_run_async (self->exporter, self->cancellable, on_exported, g_object_ref (self));
}

static void
on_chooser_response (GtkNativeDialog    *chooser,
                     int                 response,
                     KinemaExportDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        kinema_export_dialog_export_to (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
on_export_clicked (KinemaExportDialog *self)
{
  g_autofree char *name = NULL;

  if (is_running (self) || self->chooser != NULL)
    return;
  name = g_strdup_printf ("%s.%s", self->name, kinema_export_format_get_extension (selected_format (self)));
  self->chooser = gtk_file_chooser_native_new (_("Export As"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                                  _("_Export"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_cancel_clicked (KinemaExportDialog *self)
{
  if (is_running (self))
    g_cancellable_cancel (self->cancellable);
  else
    gtk_window_close (GTK_WINDOW (self));
}

static void
on_format_changed (KinemaExportDialog *self)
{
  /* An animated GIF is kept small whatever the size: say so. */
  adw_combo_row_set_use_subtitle (self->size_row, FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->size_row),
                               selected_format (self) == KINEMA_EXPORT_FORMAT_GIF
                               ? _("At most 480 pixels wide and 12 frames a second")
                               : _("Never larger than the clips"));
}

void
kinema_export_dialog_set_format (KinemaExportDialog *self,
                                 KinemaExportFormat  format)
{
  g_return_if_fail (KINEMA_IS_EXPORT_DIALOG (self));
  adw_combo_row_set_selected (self->format_row, (guint) format);
}

KinemaExporter *
kinema_export_dialog_get_exporter (KinemaExportDialog *self)
{
  g_return_val_if_fail (KINEMA_IS_EXPORT_DIALOG (self), NULL);
  return self->exporter;
}

static gboolean
kinema_export_dialog_close_request (GtkWindow *window)
{
  KinemaExportDialog *self = KINEMA_EXPORT_DIALOG (window);

  /* Closing the window stops the export. */
  if (is_running (self))
    g_cancellable_cancel (self->cancellable);
  return GTK_WINDOW_CLASS (kinema_export_dialog_parent_class)->close_request (window);
}

static void
kinema_export_dialog_dispose (GObject *object)
{
  KinemaExportDialog *self = KINEMA_EXPORT_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->exporter != NULL)
    g_signal_handlers_disconnect_by_data (self->exporter, self);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), KINEMA_TYPE_EXPORT_DIALOG);
  G_OBJECT_CLASS (kinema_export_dialog_parent_class)->dispose (object);
}

static void
kinema_export_dialog_finalize (GObject *object)
{
  KinemaExportDialog *self = KINEMA_EXPORT_DIALOG (object);

  g_strfreev (self->paths);
  g_free (self->name);
  g_clear_object (&self->exporter);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->file);
  G_OBJECT_CLASS (kinema_export_dialog_parent_class)->finalize (object);
}

static void
kinema_export_dialog_class_init (KinemaExportDialogClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = kinema_export_dialog_dispose;
  object_class->finalize = kinema_export_dialog_finalize;
  window_class->close_request = kinema_export_dialog_close_request;

  /**
   * KinemaExportDialog::finished:
   * @file: the file written
   *
   * The export is saved; the dialog closes right after.
   */
  signals[SIGNAL_FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST | G_SIGNAL_NO_RECURSE | G_SIGNAL_NO_HOOKS, 0, NULL,
                                           NULL, NULL, G_TYPE_NONE, 1, G_TYPE_FILE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/kinema-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, KinemaExportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, KinemaExportDialog, export_button);
  gtk_widget_class_bind_template_child (widget_class, KinemaExportDialog, choices_group);
  gtk_widget_class_bind_template_child (widget_class, KinemaExportDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, KinemaExportDialog, size_row);
  gtk_widget_class_bind_template_child (widget_class, KinemaExportDialog, trim_group);
  gtk_widget_class_bind_template_child (widget_class, KinemaExportDialog, start_adjustment);
  gtk_widget_class_bind_template_child (widget_class, KinemaExportDialog, end_adjustment);
  gtk_widget_class_bind_template_child (widget_class, KinemaExportDialog, progress_group);
  gtk_widget_class_bind_template_child (widget_class, KinemaExportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, KinemaExportDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, KinemaExportDialog, details_label);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_format_changed);
}

static void
kinema_export_dialog_init (KinemaExportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
kinema_export_dialog_new (GtkWindow         *parent,
                          const char *const *paths,
                          const char        *name,
                          gint64             duration_ns,
                          gint64             in_ns,
                          gint64             out_ns)
{
  KinemaExportDialog *self;
  double              length;

  g_return_val_if_fail (paths != NULL && paths[0] != NULL, NULL);

  self = g_object_new (KINEMA_TYPE_EXPORT_DIALOG, "transient-for", parent, NULL);
  self->paths = g_strdupv ((char **) paths);
  self->name = g_strdup (name != NULL && name[0] != '\0' ? name : _("Kinema export"));
  self->duration = duration_ns;

  /* Unknown length: no trim to offer. */
  gtk_widget_set_visible (GTK_WIDGET (self->trim_group), duration_ns > 0);
  length = duration_ns > 0 ? duration_ns / 1e9 : 0;
  gtk_adjustment_configure (self->start_adjustment, in_ns > 0 ? MIN (in_ns / 1e9, length) : 0, 0, length, 0.1,
                            1, 0);
  gtk_adjustment_configure (self->end_adjustment, out_ns > 0 ? MIN (out_ns / 1e9, length) : length, 0, length,
                            0.1, 1, 0);
  return GTK_WIDGET (self);
}
