/* test-export-dialog.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The export dialog on a real display: the trim it starts with reaches the exporter,
 * the file appears and "finished" is emitted; Cancel during an export stops it and
 * leaves nothing in the folder. KINEMA_TEST_SCREENSHOT_DIR=DIR keeps screenshots of
 * the dialog (run with LANGUAGE=zh_CN for the Chinese ones).
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "kinema-export-dialog.h"
#include "kinema-i18n.h"
#include "kinema-player-view.h"
#include "kinema-test-clip.h"

/* Exports encode video: give them room on a busy machine. */
#define UI_TEST_WAIT_SECONDS 60
#include "ui-test-util.h"

#define FPS 10

static char *tmpdir;
static char *clip_path;

static gboolean
is_button_labelled (GtkWidget    *widget,
                    gconstpointer label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  return find_widget_matching (root, is_button_labelled, label);
}

static void
print_labels (GtkWidget *root)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_visible (root))
    g_printerr ("label: %s\n", gtk_label_get_text (GTK_LABEL (root)));
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    print_labels (child);
}

static void
on_finished (KinemaExportDialog *dialog,
             GFile              *file,
             GFile             **out)
{
  g_set_object (out, file);
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d != NULL && g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
test_export (void)
{
  const char      *paths[] = { clip_path, clip_path, NULL };
  g_autofree char *out_dir = g_build_filename (tmpdir, "out", NULL);
  g_autofree char *out_path = g_build_filename (out_dir, "story.gif", NULL);
  g_autoptr(GFile) out = g_file_new_for_path (out_path);
  g_autoptr(GFile) finished = NULL;
  g_autoptr(KinemaExporter) exporter = NULL;
  GtkWidget *dialog;

  g_mkdir (out_dir, 0755);
  /* Two 2 s clips; in and out points at 0.5 s and 3.5 s. */
  dialog = kinema_export_dialog_new (NULL, paths, "story", 4 * G_TIME_SPAN_SECOND * 1000,
                                     G_TIME_SPAN_SECOND * 500, (gint64) 3500 * G_TIME_SPAN_SECOND);
  g_signal_connect (dialog, "finished", G_CALLBACK (on_finished), &finished);
  gtk_window_present (GTK_WINDOW (dialog));
  save_screenshot (dialog, "export-dialog");

  kinema_export_dialog_set_format (KINEMA_EXPORT_DIALOG (dialog), KINEMA_EXPORT_FORMAT_GIF);
  kinema_export_dialog_export_to (KINEMA_EXPORT_DIALOG (dialog), out);
  exporter = g_object_ref (kinema_export_dialog_get_exporter (KINEMA_EXPORT_DIALOG (dialog)));
  WAIT_UNTIL (finished != NULL || gtk_widget_get_sensitive (find_button (dialog, _("_Export…"))));
  if (finished == NULL)
    {
      print_labels (dialog);
      g_error ("the export failed");
    }
  g_assert_true (g_file_equal (finished, out));
  g_assert_true (g_file_test (out_path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (kinema_exporter_get_duration (exporter), ==, 3 * G_TIME_SPAN_SECOND * 1000);
  g_assert_cmpuint (count_files (out_dir), ==, 1);
}

static void
test_cancel (void)
{
  g_autofree char *long_clip = g_build_filename (tmpdir, "long.mp4", NULL);
  g_autofree char *out_dir = g_build_filename (tmpdir, "cancel", NULL);
  g_autofree char *out_path = g_build_filename (out_dir, "story.webm", NULL);
  g_autoptr(GFile) out = g_file_new_for_path (out_path);
  g_autoptr(GFile) finished = NULL;
  g_autoptr(GError) error = NULL;
  const char     *paths[21] = { NULL };
  GtkWidget      *dialog, *cancel;
  KinemaExporter *exporter;

  g_mkdir (out_dir, 0755);
  g_assert_true (kinema_test_clip_make (long_clip, 0, 60, FPS, 1280, 720, &error));
  for (guint i = 0; i < 20; i++)
    paths[i] = long_clip;
  dialog = kinema_export_dialog_new (NULL, paths, "story", -1, -1, -1);
  g_signal_connect (dialog, "finished", G_CALLBACK (on_finished), &finished);
  gtk_window_present (GTK_WINDOW (dialog));
  kinema_export_dialog_set_format (KINEMA_EXPORT_DIALOG (dialog), KINEMA_EXPORT_FORMAT_WEBM);
  kinema_export_dialog_export_to (KINEMA_EXPORT_DIALOG (dialog), out);
  exporter = kinema_export_dialog_get_exporter (KINEMA_EXPORT_DIALOG (dialog));
  WAIT_UNTIL (kinema_exporter_get_fraction (exporter) > 0.01);
  save_screenshot (dialog, "export-dialog-progress");

  cancel = find_button (dialog, _("_Cancel"));
  g_assert_nonnull (cancel);
  g_signal_emit_by_name (cancel, "clicked");
  WAIT_UNTIL (gtk_widget_get_sensitive (find_button (dialog, _("_Export…"))));
  g_assert_null (finished);
  g_assert_cmpuint (count_files (out_dir), ==, 0);
  save_screenshot (dialog, "export-dialog-cancelled");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
player_ready (KinemaPlayer *player)
{
  KinemaPlayerState state = kinema_player_get_state (player);

  return state == KINEMA_PLAYER_STATE_PAUSED || state == KINEMA_PLAYER_STATE_PLAYING;
}

static KinemaExportDialog *
find_dialog (void)
{
  return KINEMA_EXPORT_DIALOG (find_toplevel (KINEMA_TYPE_EXPORT_DIALOG));
}

/* I and O in the player set the trim that Export starts with. */
static void
test_from_player (void)
{
  g_autofree char *out_dir = g_build_filename (tmpdir, "player", NULL);
  g_autofree char *out_path = g_build_filename (out_dir, "part.mp4", NULL);
  g_autoptr(GFile) out = g_file_new_for_path (out_path);
  g_autoptr(GFile) clip = g_file_new_for_path (clip_path);
  g_autoptr(GFile) finished = NULL;
  g_autoptr(KinemaExporter) exporter = NULL;
  GtkWidget          *window = gtk_window_new ();
  GtkWidget          *view = kinema_player_view_new ();
  KinemaPlayer       *player = kinema_player_view_get_player (KINEMA_PLAYER_VIEW (view));
  KinemaExportDialog *dialog;
  gint64              in = 0, out_point = 0;

  g_mkdir (out_dir, 0755);
  kinema_player_view_set_autoplay (KINEMA_PLAYER_VIEW (view), FALSE);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  kinema_player_view_open_file (KINEMA_PLAYER_VIEW (view), clip);
  WAIT_UNTIL (player_ready (player));
  g_assert_false (kinema_player_view_get_points (KINEMA_PLAYER_VIEW (view), &in, &out_point));

  /* In at frame 5, out after frame 14: 1 s. */
  kinema_player_seek (player, 5 * G_TIME_SPAN_SECOND * 1000 / FPS);
  WAIT_UNTIL (kinema_player_get_frame_index (player) == 5);
  g_assert_true (gtk_widget_activate_action (view, "player.set-in", NULL));
  kinema_player_seek (player, 14 * G_TIME_SPAN_SECOND * 1000 / FPS);
  WAIT_UNTIL (kinema_player_get_frame_index (player) == 14);
  g_assert_true (gtk_widget_activate_action (view, "player.set-out", NULL));
  g_assert_true (kinema_player_view_get_points (KINEMA_PLAYER_VIEW (view), &in, &out_point));
  g_assert_cmpint (out_point - in, ==, G_TIME_SPAN_SECOND * 1000);
  save_screenshot (window, "player-in-out");

  g_assert_true (gtk_widget_activate_action (view, "player.export", NULL));
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_signal_connect (dialog, "finished", G_CALLBACK (on_finished), &finished);
  kinema_export_dialog_export_to (dialog, out);
  exporter = g_object_ref (kinema_export_dialog_get_exporter (dialog));
  WAIT_UNTIL (finished != NULL);
  g_assert_cmpint (kinema_exporter_get_duration (exporter), ==, G_TIME_SPAN_SECOND * 1000);
  g_assert_false (kinema_exporter_get_remuxed (exporter));

  /* Another clip forgets the points. */
  kinema_player_close (player);
  g_assert_false (kinema_player_view_get_points (KINEMA_PLAYER_VIEW (view), &in, &out_point));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  kinema_i18n_init ();
  if (!ui_test_init (&argc, &argv))
    return 77;

  tmpdir = g_dir_make_tmp ("kinema-export-dialog-XXXXXX", &error);
  g_assert_no_error (error);
  clip_path = g_build_filename (tmpdir, "clip.mp4", NULL);
  g_assert_true (kinema_test_clip_make (clip_path, 0, 20, FPS, 160, 120, &error));

  g_test_add_func ("/kinema/export-dialog/export", test_export);
  g_test_add_func ("/kinema/export-dialog/cancel", test_cancel);
  g_test_add_func ("/kinema/export-dialog/from-player", test_from_player);
  ret = g_test_run ();
  remove_tree (tmpdir);
  return ret;
}
