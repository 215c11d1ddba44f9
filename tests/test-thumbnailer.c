/* test-thumbnailer.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Thumbnails and frame grabs, without a display: pixels match the source, caches
 * answer by file, bad input gives the right error.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gst/gst.h>
#include <string.h>
#include <sys/resource.h>
#include <utime.h>

#include "kinema-error.h"
#include "kinema-frame-grab.h"
#include "kinema-test-clip.h"
#include "kinema-test-png.h"
#include "kinema-thumbnailer.h"
#include "test-util.h"

static char *tmpdir;
static char *clip_path; /* 36 frames from index 0 at 24 fps, 160x120 */

static void
on_result (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static GdkTexture *
load (KinemaThumbnailer *thumbnailer,
      const char        *path,
      int                size,
      GError           **error)
{
  GAsyncResult *result = NULL;
  GdkTexture   *texture;

  kinema_thumbnailer_load_async (thumbnailer, path, size, NULL, on_result, &result);
  texture = kinema_thumbnailer_load_finish (thumbnailer, wait_result (&result), error);
  g_object_unref (result);
  return texture;
}

static void
test_video_first_frame (void)
{
  g_autofree char *cache = g_build_filename (tmpdir, "cache-video", NULL);
  g_autoptr(KinemaThumbnailer) thumbnailer = kinema_thumbnailer_new (cache);
  g_autoptr(KinemaThumbnailer) second = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GdkTexture) again = NULL;
  g_autoptr(GdkTexture) from_disk = NULL;
  g_autoptr(GError) error = NULL;
  guint memory_hits, disk_hits, decoded;

  texture = load (thumbnailer, clip_path, 64, &error);
  g_assert_no_error (error);
  g_assert_nonnull (texture);
  /* 160x120 scaled so the longest side is 64. */
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 64);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 48);
  g_assert_cmpint (kinema_test_texture_index (texture), ==, 0);

  again = load (thumbnailer, clip_path, 64, &error);
  g_assert_no_error (error);
  g_assert_true (again == texture);
  kinema_thumbnailer_get_stats (thumbnailer, &memory_hits, &disk_hits, &decoded);
  g_assert_cmpuint (memory_hits, ==, 1);
  g_assert_cmpuint (disk_hits, ==, 0);
  g_assert_cmpuint (decoded, ==, 1);

  /* A fresh instance finds the PNG on disk. */
  second = kinema_thumbnailer_new (cache);
  from_disk = load (second, clip_path, 64, &error);
  g_assert_no_error (error);
  kinema_thumbnailer_get_stats (second, &memory_hits, &disk_hits, &decoded);
  g_assert_cmpuint (disk_hits, ==, 1);
  g_assert_cmpuint (decoded, ==, 0);
  g_assert_cmpint (gdk_texture_get_width (from_disk), ==, 64);
  g_assert_cmpint (kinema_test_texture_index (from_disk), ==, 0);
}

static void
test_file_changes (void)
{
  g_autofree char *cache = g_build_filename (tmpdir, "cache-change", NULL);
  g_autofree char *path = g_build_filename (tmpdir, "changing.mp4", NULL);
  g_autoptr(KinemaThumbnailer) thumbnailer = kinema_thumbnailer_new (cache);
  g_autoptr(GdkTexture) before = NULL;
  g_autoptr(GdkTexture) after = NULL;
  g_autoptr(GError) error = NULL;
  guint decoded;

  g_assert_true (kinema_test_clip_make (path, 5, 6, 24, 160, 120, &error));
  before = load (thumbnailer, path, 96, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kinema_test_texture_index (before), ==, 5);

  /* Same path, new content (and a different size and time): a new thumbnail. */
  g_assert_true (kinema_test_clip_make (path, 40, 12, 24, 160, 120, &error));
  {
    GStatBuf       st;
    struct utimbuf times;

    g_assert_cmpint (g_stat (path, &st), ==, 0);
    times.actime = st.st_atime;
    times.modtime = st.st_mtime + 10;
    g_assert_cmpint (g_utime (path, &times), ==, 0);
  }
  after = load (thumbnailer, path, 96, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kinema_test_texture_index (after), ==, 40);
  kinema_thumbnailer_get_stats (thumbnailer, NULL, NULL, &decoded);
  g_assert_cmpuint (decoded, ==, 2);
}

static void
test_image (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "photo.dat", NULL);
  g_autoptr(KinemaThumbnailer) thumbnailer = kinema_thumbnailer_new (NULL);
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 400, 800);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  guint8 rgb[3];

  /* A PNG without the extension: found by its content. */
  gdk_pixbuf_fill (pixbuf, 0x3080d0ff);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
  texture = load (thumbnailer, path, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 50);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 100);
  kinema_test_texture_pixel (texture, 25, 50, rgb);
  g_assert_cmpint (rgb[0], ==, 0x30);
  g_assert_cmpint (rgb[1], ==, 0x80);
  g_assert_cmpint (rgb[2], ==, 0xd0);
}

/* A PNG of under 1 MB whose header says 30000 × 30000: decoded whole (gdk-pixbuf's
 * PNG loader does not scale while it reads), it took 2.6 GB (issue 15, point 3).
 * Refused from its header; the process's peak memory stays where it was. */
static void
test_huge_image (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "huge.png", NULL);
  g_autoptr(KinemaThumbnailer) thumbnailer = kinema_thumbnailer_new (NULL);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  struct rusage usage;
  glong         before;

  kinema_test_write_huge_png (path, 30000);
  g_assert_cmpint (getrusage (RUSAGE_SELF, &usage), ==, 0);
  before = usage.ru_maxrss;

  texture = load (thumbnailer, path, 128, &error);
  g_assert_null (texture);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "30000"));

  g_assert_cmpint (getrusage (RUSAGE_SELF, &usage), ==, 0);
  g_assert_cmpint (usage.ru_maxrss - before, <, 64 * 1024);
}

static void
test_bad_input (void)
{
  g_autofree char *text = g_build_filename (tmpdir, "notes.txt", NULL);
  g_autofree char *missing = g_build_filename (tmpdir, "missing.mp4", NULL);
  g_autoptr(KinemaThumbnailer) thumbnailer = kinema_thumbnailer_new (NULL);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (text, "This is not a video, just some words.\n", -1, NULL));
  texture = load (thumbnailer, text, 64, &error);
  g_assert_null (texture);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_MEDIA);
  g_assert_nonnull (strstr (error->message, "not a video"));
  g_clear_error (&error);

  texture = load (thumbnailer, missing, 64, &error);
  g_assert_null (texture);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_MEDIA);
}

static void
test_cancel_and_many (void)
{
  g_autoptr(KinemaThumbnailer) thumbnailer = kinema_thumbnailer_new (NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GAsyncResult    *results[6] = { NULL };
  GAsyncResult    *cancelled = NULL;
  g_autofree char *other = g_build_filename (tmpdir, "other.mp4", NULL);
  g_autoptr(GError) error = NULL;
  guint decoded;

  g_assert_true (kinema_test_clip_make (other, 9, 3, 24, 160, 120, &error));

  /* Six callers at different sizes plus one that gives up before anything runs. */
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    kinema_thumbnailer_load_async (thumbnailer, i % 2 ? clip_path : other, 32 + (int) i, NULL,
                                   on_result, &results[i]);
  kinema_thumbnailer_load_async (thumbnailer, other, 200, cancellable, on_result, &cancelled);
  g_cancellable_cancel (cancellable);

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_autoptr(GdkTexture) texture = NULL;

      texture = kinema_thumbnailer_load_finish (thumbnailer, wait_result (&results[i]), &error);
      g_assert_no_error (error);
      g_assert_cmpint (MAX (gdk_texture_get_width (texture), gdk_texture_get_height (texture)), ==, 32 + (int) i);
      g_assert_cmpint (kinema_test_texture_index (texture), ==, i % 2 ? 0 : 9);
      g_object_unref (results[i]);
    }
  g_assert_null (kinema_thumbnailer_load_finish (thumbnailer, wait_result (&cancelled), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_object_unref (cancelled);
  /* The cancelled one was dropped before decoding. */
  kinema_thumbnailer_get_stats (thumbnailer, NULL, NULL, &decoded);
  g_assert_cmpuint (decoded, ==, 6);
}

static void
test_frame_grab (void)
{
  g_autofree char *png = g_build_filename (tmpdir, "frames", "frame.png", NULL);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GdkTexture) saved = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;

  /* 1.0 s at 24 fps is frame 24; 0.5 s is frame 12. */
  kinema_frame_grab_async (clip_path, GST_SECOND, 0, png, NULL, on_result, &result);
  texture = kinema_frame_grab_finish (wait_result (&result), &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 160);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 120);
  g_assert_cmpint (kinema_test_texture_index (texture), ==, 24);

  saved = gdk_texture_new_from_filename (png, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (saved), ==, 160);
  g_assert_cmpint (kinema_test_texture_index (saved), ==, 24);
  g_clear_object (&texture);

  texture = kinema_frame_grab (clip_path, GST_SECOND / 2, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kinema_test_texture_index (texture), ==, 12);
  g_clear_object (&texture);

  /* Between two frames: the one on screen at that time. */
  texture = kinema_frame_grab (clip_path, GST_SECOND / 24 * 7 + GST_MSECOND * 20, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kinema_test_texture_index (texture), ==, 7);
}

static void
test_truncated (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "truncated.mp4", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (clip_path, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (path, contents, (gssize) length / 2, NULL));
  texture = kinema_frame_grab (path, 0, 0, NULL, &error);
  g_assert_null (texture);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_MEDIA);
  g_assert_nonnull (strstr (error->message, "damaged or incomplete"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  gst_init (&argc, &argv);

  tmpdir = g_dir_make_tmp ("kinema-thumb-XXXXXX", &error);
  g_assert_no_error (error);
  clip_path = g_build_filename (tmpdir, "clip.mp4", NULL);
  g_assert_true (kinema_test_clip_make (clip_path, 0, 36, 24, 160, 120, &error));
  g_assert_no_error (error);

  g_test_add_func ("/kinema/thumbnailer/video", test_video_first_frame);
  g_test_add_func ("/kinema/thumbnailer/file-changes", test_file_changes);
  g_test_add_func ("/kinema/thumbnailer/image", test_image);
  g_test_add_func ("/kinema/thumbnailer/huge-image", test_huge_image);
  g_test_add_func ("/kinema/thumbnailer/bad-input", test_bad_input);
  g_test_add_func ("/kinema/thumbnailer/cancel-and-many", test_cancel_and_many);
  g_test_add_func ("/kinema/frame-grab/positions", test_frame_grab);
  g_test_add_func ("/kinema/frame-grab/truncated", test_truncated);

  ret = g_test_run ();

  remove_tree (tmpdir);
  g_free (clip_path);
  g_free (tmpdir);
  return ret;
}
