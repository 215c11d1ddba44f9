/* test-image.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <sys/resource.h>

#include "kinema-error.h"
#include "kinema-image.h"
#include "kinema-test-png.h"
#include "test-util.h"

static char *
work_path (const char *name)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "test-image", NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  return g_build_filename (dir, name, NULL);
}

static char *
out_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), "prepared", NULL);
}

/* A smooth picture (compresses well), or noise (does not), optionally with transparency. */
static GdkPixbuf *
make_pixbuf (int      width,
             int      height,
             gboolean alpha,
             gboolean noise)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, alpha, 8, width, height);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  for (int y = 0; y < height; y++)
    {
      guchar *row = pixels + (gsize) y * stride;

      for (int x = 0; x < width; x++)
        {
          guchar *p = row + x * channels;

          if (noise)
            {
              guint32 r = g_rand_int (rand);

              p[0] = r & 0xff;
              p[1] = (r >> 8) & 0xff;
              p[2] = (r >> 16) & 0xff;
            }
          else
            {
              p[0] = (guchar) (x * 255 / width);
              p[1] = (guchar) (y * 255 / height);
              p[2] = 128;
            }
          if (alpha)
            p[3] = x < width / 2 ? 255 : 64;
        }
    }

  return pixbuf;
}

static char *
save_image (int         width,
            int         height,
            gboolean    alpha,
            gboolean    noise,
            const char *type,
            const char *name)
{
  g_autoptr(GdkPixbuf) pixbuf = make_pixbuf (width, height, alpha, noise);
  g_autoptr(GError) error = NULL;
  char *path = work_path (name);

  if (g_str_equal (type, "png"))
    gdk_pixbuf_save (pixbuf, path, type, &error, "compression", "1", NULL);
  else
    gdk_pixbuf_save (pixbuf, path, type, &error, NULL);
  g_assert_no_error (error);
  return path;
}

static gboolean
can_save (const char *type)
{
  gboolean writable = FALSE;
  GSList *formats = gdk_pixbuf_get_formats ();

  for (GSList *l = formats; l != NULL; l = l->next)
    {
      g_autofree char *name = gdk_pixbuf_format_get_name (l->data);

      if (g_str_equal (name, type))
        writable = gdk_pixbuf_format_is_writable (l->data);
    }
  g_slist_free (formats);
  return writable;
}

static gboolean
can_load (const char *type)
{
  gboolean found = FALSE;
  GSList *formats = gdk_pixbuf_get_formats ();

  for (GSList *l = formats; l != NULL; l = l->next)
    {
      g_autofree char *name = gdk_pixbuf_format_get_name (l->data);

      if (g_str_equal (name, type))
        found = TRUE;
    }
  g_slist_free (formats);
  return found;
}

static KinemaImageInfo *
prepare (const char  *path,
         GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *dir = out_dir ();

  kinema_image_prepare_async (path, dir, NULL, test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return kinema_image_prepare_finish (result, error);
}

static KinemaImageInfo *
prepare_bytes (GBytes      *bytes,
               const char  *mime_type,
               GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *dir = out_dir ();

  kinema_image_prepare_bytes_async (bytes, mime_type, dir, NULL, test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return kinema_image_prepare_bytes_finish (result, error);
}

/* The prepared file exists, is what it says, and passes the strict check. */
static void
assert_sendable (const KinemaImageInfo *info,
                 const char            *mime_type)
{
  g_autoptr(KinemaImageInfo) checked = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  g_assert_nonnull (info);
  g_assert_cmpstr (info->mime_type, ==, mime_type);
  g_assert_cmpint (g_stat (info->path, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, info->file_size);
  g_assert_cmpint (info->file_size, <=, KINEMA_IMAGE_MAX_BYTES);

  kinema_image_check (info->path, &checked, &error);
  g_assert_no_error (error);
  g_assert_nonnull (checked);
  g_assert_cmpstr (checked->mime_type, ==, mime_type);
  g_assert_cmpint (checked->width, ==, info->width);
  g_assert_cmpint (checked->height, ==, info->height);
}

static void
test_image_check_ok (void)
{
  g_autofree char *jpeg = save_image (800, 600, FALSE, FALSE, "jpeg", "photo.jpg");
  /* a PNG named .jpg: the content decides */
  g_autofree char *png = save_image (300, 750, FALSE, FALSE, "png", "lying.jpg");
  g_autoptr(KinemaImageInfo) info = NULL;
  g_autoptr(KinemaImageInfo) copy = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  kinema_image_check (jpeg, &info, &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);
  g_assert_cmpstr (info->path, ==, jpeg);
  g_assert_cmpstr (info->mime_type, ==, "image/jpeg");
  g_assert_cmpint (info->width, ==, 800);
  g_assert_cmpint (info->height, ==, 600);
  g_assert_cmpint (g_stat (jpeg, &st), ==, 0);
  g_assert_cmpint (info->file_size, ==, st.st_size);
  g_assert_null (info->note);

  copy = g_boxed_copy (KINEMA_TYPE_IMAGE_INFO, info);
  g_assert_cmpstr (copy->path, ==, info->path);
  g_clear_pointer (&info, kinema_image_info_free);

  /* exactly 1:2.5 is allowed */
  g_assert_true (kinema_image_check (png, &info, &error));
  g_assert_cmpstr (info->mime_type, ==, "image/png");
  g_assert_cmpint (info->height, ==, 750);

  /* prepare returns it as is */
  g_clear_pointer (&info, kinema_image_info_free);
  info = prepare (jpeg, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->path, ==, jpeg);
  g_assert_null (info->note);
}

static void
test_image_too_small (void)
{
  g_autofree char *path = save_image (250, 180, FALSE, FALSE, "png", "small.png");
  g_autofree char *webp = NULL;
  g_autoptr(KinemaImageInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (kinema_image_check (path, &info, &error));
  g_assert_null (info);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
  g_assert_cmpstr (error->message, ==, "The image is 250 × 180 pixels; both sides must be at least 300.");
  g_clear_error (&error);

  info = prepare (path, &error);
  g_assert_null (info);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "250 × 180"));
  g_clear_error (&error);

  /* conversion does not help */
  if (can_save ("webp"))
    {
      webp = save_image (400, 299, FALSE, FALSE, "webp", "small.webp");
      info = prepare (webp, &error);
      g_assert_null (info);
      g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
      g_assert_nonnull (strstr (error->message, "400 × 299"));
    }
}

static void
test_image_aspect (void)
{
  g_autofree char *wide = save_image (2000, 500, FALSE, FALSE, "jpeg", "wide.jpg");
  g_autofree char *tall = save_image (300, 751, FALSE, FALSE, "png", "tall.png");
  g_autoptr(KinemaImageInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (kinema_image_check (wide, &info, &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "2000 × 500"));
  g_assert_nonnull (strstr (error->message, "2.5"));
  g_clear_error (&error);

  info = prepare (wide, &error);
  g_assert_null (info);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_assert_false (kinema_image_check (tall, NULL, &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "300 × 751"));
}

static void
test_image_large_png (void)
{
  /* noise does not compress: about 12.6 MB */
  g_autofree char *path = save_image (2100, 2000, FALSE, TRUE, "png", "noise.png");
  g_autoptr(KinemaImageInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, KINEMA_IMAGE_MAX_BYTES);

  g_assert_false (kinema_image_check (path, NULL, &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "10 MB"));
  g_clear_error (&error);

  info = prepare (path, &error);
  g_assert_no_error (error);
  assert_sendable (info, "image/jpeg");
  g_assert_cmpstr (info->path, !=, path);
  g_assert_true (g_str_has_prefix (info->path, g_get_user_cache_dir ()));
  g_assert_nonnull (info->note);
  g_assert_nonnull (strstr (info->note, "10 MB"));
  g_assert_cmpint (info->width * 100 / info->height, ==, 2100 * 100 / 2000);
}

static void
test_image_large_transparent_png (void)
{
  /* noise with transparency stays PNG and is scaled down instead */
  g_autofree char *path = save_image (2100, 1800, TRUE, TRUE, "png", "noise-alpha.png");
  g_autoptr(KinemaImageInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, KINEMA_IMAGE_MAX_BYTES);

  info = prepare (path, &error);
  g_assert_no_error (error);
  assert_sendable (info, "image/png");
  g_assert_cmpint (info->width, <, 2100);
  g_assert_nonnull (strstr (info->note, "Scaled down from 2100 × 1800"));
}

static void
test_image_scaled_to_target (void)
{
  g_autofree char *path = save_image (4800, 3600, FALSE, FALSE, "bmp", "huge.bmp");
  g_autoptr(KinemaImageInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = prepare (path, &error);
  g_assert_no_error (error);
  assert_sendable (info, "image/jpeg");
  g_assert_cmpint (info->width, ==, 3840);
  g_assert_cmpint (info->height, ==, 2880);
  g_assert_cmpstr (info->note, ==,
                   "Converted from BMP to JPEG and scaled down from 4800 × 3600 to 3840 × 2880 to stay under 10 MB");
}

static void
convert_and_check (const char *type,
                   const char *name,
                   gboolean    alpha,
                   const char *expected_mime,
                   const char *expected_note)
{
  g_autofree char *path = NULL;
  g_autoptr(KinemaImageInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  if (!can_save (type))
    {
      g_test_message ("gdk-pixbuf cannot write %s here", type);
      return;
    }

  path = save_image (640, 480, alpha, FALSE, type, name);

  /* the strict check refuses the format */
  g_assert_false (kinema_image_check (path, NULL, &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  info = prepare (path, &error);
  g_assert_no_error (error);
  assert_sendable (info, expected_mime);
  g_assert_cmpint (info->width, ==, 640);
  g_assert_cmpint (info->height, ==, 480);
  g_assert_cmpstr (info->note, ==, expected_note);
}

static void
test_image_convert_webp (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (!can_load ("webp") || !can_save ("webp"))
    {
      g_test_skip ("The WebP loader for gdk-pixbuf is not installed");
      return;
    }

  convert_and_check ("webp", "photo.webp", FALSE, "image/jpeg", "Converted from WebP to JPEG");
  convert_and_check ("webp", "logo.webp", TRUE, "image/png", "Converted from WebP to PNG");

  /* the check names the real format even behind a .png name */
  path = save_image (640, 480, FALSE, FALSE, "webp", "fake.png");
  g_assert_false (kinema_image_check (path, NULL, &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "WebP"));
}

static void
test_image_convert_bmp_tiff (void)
{
  convert_and_check ("bmp", "photo.bmp", FALSE, "image/jpeg", "Converted from BMP to JPEG");
  convert_and_check ("tiff", "photo.tif", FALSE, "image/jpeg", "Converted from TIFF to JPEG");
  convert_and_check ("tiff", "cutout.tiff", TRUE, "image/png", "Converted from TIFF to PNG");
}

static void
test_image_convert_gif (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "image", "animated.gif", NULL);
  g_autoptr(KinemaImageInfo) info = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  const guchar *pixels;

  info = prepare (path, &error);
  g_assert_no_error (error);
  assert_sendable (info, "image/jpeg");
  g_assert_cmpint (info->width, ==, 400);
  g_assert_cmpint (info->height, ==, 320);
  g_assert_cmpstr (info->note, ==, "Converted from GIF to JPEG");

  /* the first frame is red, the second blue (an explicit loader: the isolated test
   * dirs have no MIME database for gdk-pixbuf's own guess) */
  {
    g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_type ("jpeg", &error);
    g_autofree char *contents = NULL;
    gsize len;

    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (info->path, &contents, &len, NULL));
    g_assert_true (gdk_pixbuf_loader_write (loader, (const guchar *) contents, len, &error));
    g_assert_true (gdk_pixbuf_loader_close (loader, &error));
    pixbuf = g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
  }
  pixels = gdk_pixbuf_read_pixels (pixbuf);
  g_assert_cmpint (pixels[0], >, 200);
  g_assert_cmpint (pixels[2], <, 60);
}

static void
test_image_convert_heic (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "image", "photo.heic", NULL);
  g_autoptr(KinemaImageInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  if (!can_load ("heif/avif") && !can_load ("heif"))
    {
      g_test_skip ("The HEIF loader for gdk-pixbuf is not installed");
      return;
    }

  info = prepare (path, &error);
  g_assert_no_error (error);
  assert_sendable (info, "image/jpeg");
  g_assert_cmpint (info->width, ==, 640);
  g_assert_cmpint (info->height, ==, 480);
  g_assert_cmpstr (info->note, ==, "Converted from HEIC to JPEG");
}

static glong
max_rss_kb (void)
{
  struct rusage usage;

  g_assert_cmpint (getrusage (RUSAGE_SELF, &usage), ==, 0);
  return usage.ru_maxrss;
}

/* A 30000 × 30000 PNG of under 1 MB took 2.6 GB in kinema-cli, the thumbnailer and the
 * drop zone (issue 15, point 3): refused from its header, memory stays flat. */
static void
test_image_huge_dimensions (void)
{
  g_autofree char *path = work_path ("huge-dimensions.png");
  g_autoptr(KinemaImageInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;
  glong before = max_rss_kb ();

  kinema_test_write_huge_png (path, 30000);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, <, 1024 * 1024);

  g_assert_false (kinema_image_check (path, &info, &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "30000 × 30000"));
  g_clear_error (&error);

  info = prepare (path, &error);
  g_assert_null (info);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "too large"));

  /* Nothing near the decoded size was ever touched. */
  g_assert_cmpint (max_rss_kb () - before, <, 64 * 1024);

  g_assert_true (kinema_image_dimensions_ok (8000, 6000, "image/png", NULL));
  g_assert_false (kinema_image_dimensions_ok (30000, 30000, "image/png", NULL));
  g_assert_true (kinema_image_dimensions_ok (12000, 9000, "image/jpeg", NULL));
  g_assert_false (kinema_image_dimensions_ok (0, 100, "image/jpeg", NULL));
}

static void
test_image_garbage (void)
{
  g_autofree char *garbage = work_path ("garbage.png");
  g_autofree char *empty = work_path ("empty.jpg");
  g_autofree char *truncated = work_path ("truncated.jpg");
  g_autofree char *jpeg = save_image (800, 600, FALSE, TRUE, "jpeg", "whole.jpg");
  g_autofree char *missing = work_path ("missing.jpg");
  g_autofree char *contents = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  const char *paths[4];
  guchar noise[4096];
  gsize len;

  for (guint i = 0; i < sizeof noise; i++)
    noise[i] = (guchar) g_rand_int (rand);
  noise[0] = 'x';
  g_assert_true (g_file_set_contents (garbage, (const char *) noise, sizeof noise, NULL));
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  /* a JPEG header and nothing decodable after it */
  g_assert_true (g_file_get_contents (jpeg, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (truncated, contents, 20, NULL));

  paths[0] = garbage;
  paths[1] = empty;
  paths[2] = missing;
  paths[3] = g_get_user_cache_dir ();

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(KinemaImageInfo) info = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", paths[i]);
      g_assert_false (kinema_image_check (paths[i], &info, &error));
      g_assert_null (info);
      g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
      g_clear_error (&error);

      info = prepare (paths[i], &error);
      g_assert_null (info);
      g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
    }

  {
    g_autoptr(KinemaImageInfo) info = NULL;
    g_autoptr(GError) error = NULL;

    info = prepare (truncated, &error);
    g_assert_null (info);
    g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
    g_assert_nonnull (strstr (error->message, "damaged"));
  }
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  guint n = 0;

  if (handle == NULL)
    return 0;
  while (g_dir_read_name (handle) != NULL)
    n++;
  return n;
}

static void
test_image_bytes (void)
{
  g_autoptr(GdkPixbuf) pixbuf = make_pixbuf (500, 400, FALSE, FALSE);
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GBytes) garbage = NULL;
  g_autoptr(GBytes) empty = NULL;
  g_autoptr(KinemaImageInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = out_dir ();
  g_autofree char *data = NULL;
  gsize len;

  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &data, &len, "png", &error, NULL));
  png = g_bytes_new_take (g_steal_pointer (&data), len);

  info = prepare_bytes (png, "image/png", &error);
  g_assert_no_error (error);
  assert_sendable (info, "image/png");
  g_assert_true (g_str_has_prefix (info->path, dir));
  g_assert_true (g_str_has_suffix (info->path, ".png"));
  g_assert_null (info->note);
  g_assert_cmpuint (count_files (dir), ==, 1);
  g_clear_pointer (&info, kinema_image_info_free);

  /* a wrong type from the browser does not matter */
  if (can_save ("webp"))
    {
      g_autoptr(GBytes) webp = NULL;

      g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &data, &len, "webp", &error, NULL));
      webp = g_bytes_new_take (g_steal_pointer (&data), len);
      info = prepare_bytes (webp, "image/png", &error);
      g_assert_no_error (error);
      assert_sendable (info, "image/jpeg");
      g_assert_cmpstr (info->note, ==, "Converted from WebP to JPEG");
      /* the pasted WebP itself is not kept */
      g_assert_cmpuint (count_files (dir), ==, 2);
      g_clear_pointer (&info, kinema_image_info_free);
    }

  garbage = g_bytes_new_static ("<html>not an image</html>", 25);
  info = prepare_bytes (garbage, "image/jpeg", &error);
  g_assert_null (info);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  empty = g_bytes_new_static ("", 0);
  info = prepare_bytes (empty, NULL, &error);
  g_assert_null (info);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);

  /* nothing left behind by the failures */
  g_assert_cmpuint (count_files (dir), ==, can_save ("webp") ? 2 : 1);
}

static void
test_image_cancelled (void)
{
  g_autofree char *path = save_image (640, 480, FALSE, FALSE, "bmp", "cancel.bmp");
  g_autofree char *dir = out_dir ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(KinemaImageInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  kinema_image_prepare_async (path, dir, cancellable, test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  info = kinema_image_prepare_finish (result, &error);
  g_assert_null (info);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (count_files (dir), ==, 0);
}

/* The format from the first bytes, as the thumbnailer and the clip renderer pick
 * their gdk-pixbuf loader (no shared MIME database needed). */
static void
test_image_sniff (void)
{
  static const struct
  {
    const char *head;
    gsize       length;
    const char *mime_type;
  } cases[] = {
    { "\xff\xd8\xff\xe0", 4, "image/jpeg" },
    { "\x89PNG\r\n\x1a\n", 8, "image/png" },
    { "RIFF\0\0\0\0WEBPVP8 ", 16, "image/webp" },
    { "GIF89a", 6, "image/gif" },
    { "BM", 2, "image/bmp" },
    { "II*\0", 4, "image/tiff" },
    { "\0\0\0\x18"
      "ftypheic",
      12, "image/heif" },
    { "\0\0\0\x18"
      "ftypavif",
      12, "image/avif" },
    { "\0\0\0\x18"
      "ftypisom",
      12, NULL },
    { "\x89PN", 3, NULL },
    { "<html>", 6, NULL },
    { "", 0, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpstr (kinema_image_sniff_mime_type ((const guint8 *) cases[i].head, cases[i].length), ==,
                     cases[i].mime_type);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/kinema/image/check-ok", test_image_check_ok);
  g_test_add_func ("/kinema/image/too-small", test_image_too_small);
  g_test_add_func ("/kinema/image/aspect", test_image_aspect);
  g_test_add_func ("/kinema/image/large-png", test_image_large_png);
  g_test_add_func ("/kinema/image/large-transparent-png", test_image_large_transparent_png);
  g_test_add_func ("/kinema/image/scaled-to-target", test_image_scaled_to_target);
  g_test_add_func ("/kinema/image/convert-webp", test_image_convert_webp);
  g_test_add_func ("/kinema/image/convert-bmp-tiff", test_image_convert_bmp_tiff);
  g_test_add_func ("/kinema/image/convert-gif", test_image_convert_gif);
  g_test_add_func ("/kinema/image/convert-heic", test_image_convert_heic);
  g_test_add_func ("/kinema/image/huge-dimensions", test_image_huge_dimensions);
  g_test_add_func ("/kinema/image/garbage", test_image_garbage);
  g_test_add_func ("/kinema/image/sniff", test_image_sniff);
  g_test_add_func ("/kinema/image/bytes", test_image_bytes);
  g_test_add_func ("/kinema/image/cancelled", test_image_cancelled);

  return g_test_run ();
}
