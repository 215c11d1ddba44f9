/* test-clip-length.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kinema_clip_length_read_async(): the lengths the files have (not a nominal one),
 * in the order asked, -1 for a file that is missing or not a video, and nothing but
 * a cancellation error once cancelled.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <gst/gst.h>

#include "kinema-clip-length.h"
#include "kinema-test-clip.h"
#include "test-util.h"

#define FPS 10

static char *tmpdir;

static GArray *
read_lengths (const char *const *paths,
              GCancellable      *cancellable,
              GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kinema_clip_length_read_async (paths, cancellable, test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return kinema_clip_length_read_finish (result, error);
}

static void
test_lengths (void)
{
  g_autofree char *short_clip = g_build_filename (tmpdir, "short.mp4", NULL);
  g_autofree char *long_clip = g_build_filename (tmpdir, "long.mp4", NULL);
  g_autofree char *missing = g_build_filename (tmpdir, "missing.mp4", NULL);
  g_autofree char *text = g_build_filename (tmpdir, "notes.mp4", NULL);
  const char      *paths[] = { long_clip, missing, short_clip, text, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) lengths = NULL;

  g_assert_true (kinema_test_clip_make (short_clip, 0, 12, FPS, 160, 120, &error));
  g_assert_true (kinema_test_clip_make (long_clip, 0, 35, FPS, 160, 120, &error));
  g_assert_true (g_file_set_contents (text, "not a video", -1, &error));

  lengths = read_lengths (paths, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lengths->len, ==, 4);
  g_assert_cmpint (g_array_index (lengths, gint64, 0), ==, 35 * GST_SECOND / FPS);
  g_assert_cmpint (g_array_index (lengths, gint64, 1), ==, -1);
  g_assert_cmpint (g_array_index (lengths, gint64, 2), ==, 12 * GST_SECOND / FPS);
  g_assert_cmpint (g_array_index (lengths, gint64, 3), ==, -1);
  g_remove (short_clip);
  g_remove (long_clip);
  g_remove (text);
}

static void
test_cancelled (void)
{
  g_autofree char *clip = g_build_filename (tmpdir, "clip.mp4", NULL);
  const char      *paths[] = { clip, NULL };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) lengths = NULL;

  g_assert_true (kinema_test_clip_make (clip, 0, 10, FPS, 160, 120, &error));
  g_cancellable_cancel (cancellable);
  lengths = read_lengths (paths, cancellable, &error);
  g_assert_null (lengths);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_remove (clip);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("kinema-test-clip-length-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/kinema/clip-length/lengths", test_lengths);
  g_test_add_func ("/kinema/clip-length/cancelled", test_cancelled);
  ret = g_test_run ();

  g_rmdir (tmpdir);
  g_free (tmpdir);
  return ret;
}
