/* test-clip-renderer.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Renders small clips and decodes them again: sizes, frame counts and durations, and
 * whether the picture moves the way the camera setting says (measured on the first
 * and last frames), the cross-fade, the title card and the badge.
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>
#include <gst/video/video.h>

#include "kinema-clip-renderer.h"
#include "kinema-error.h"

/* Small clips keep the test fast: 256×144 for 16:9. */
#define TEST_HEIGHT 144

typedef struct {
  int        width;
  int        height;
  guint      n_frames;
  GstClockTime end_time;  /* the last frame's timestamp plus its duration */
  GPtrArray *frames;      /* GBytes, tightly packed RGB; all, or the first and last */
} Clip;

static void
clip_free (Clip *clip)
{
  g_clear_pointer (&clip->frames, g_ptr_array_unref);
  g_free (clip);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Clip, clip_free)

static char *
work_path (const char *name)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "test-clip-renderer", NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  return g_build_filename (dir, name, NULL);
}

static GBytes *
pack_frame (GstSample *sample)
{
  GstVideoInfo info;
  GstVideoFrame frame;
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  guint8 *data;
  int width, height;

  g_assert_true (gst_video_info_from_caps (&info, gst_sample_get_caps (sample)));
  g_assert_true (gst_video_frame_map (&frame, &info, buffer, GST_MAP_READ));
  width = GST_VIDEO_INFO_WIDTH (&info);
  height = GST_VIDEO_INFO_HEIGHT (&info);
  data = g_malloc ((gsize) width * height * 3);
  for (int y = 0; y < height; y++)
    memcpy (data + (gsize) y * width * 3,
            (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&frame, 0) + (gsize) y * GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0),
            (gsize) width * 3);
  gst_video_frame_unmap (&frame);
  return g_bytes_new_take (data, (gsize) width * height * 3);
}

/* Decodes @path with decodebin; keeps every frame when @keep_all, else the first and last. */
static Clip *
decode_clip (const char *path,
             gboolean    keep_all)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autofree char *description = NULL;
  g_autoptr(GBytes) last = NULL;
  Clip *clip = g_new0 (Clip, 1);
  GstSample *sample;

  description = g_strdup_printf ("filesrc location=\"%s\" ! decodebin ! videoconvert "
                                 "! video/x-raw,format=RGB ! appsink name=sink sync=false", path);
  pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  clip->frames = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=, GST_STATE_CHANGE_FAILURE);
  while ((sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 20 * GST_SECOND)) != NULL)
    {
      GstBuffer *buffer = gst_sample_get_buffer (sample);
      GstStructure *s = gst_caps_get_structure (gst_sample_get_caps (sample), 0);
      g_autoptr(GBytes) bytes = NULL;

      gst_structure_get_int (s, "width", &clip->width);
      gst_structure_get_int (s, "height", &clip->height);
      bytes = pack_frame (sample);
      if (keep_all || clip->n_frames == 0)
        g_ptr_array_add (clip->frames, g_bytes_ref (bytes));
      g_clear_pointer (&last, g_bytes_unref);
      last = g_steal_pointer (&bytes);
      if (GST_BUFFER_PTS_IS_VALID (buffer))
        clip->end_time = GST_BUFFER_PTS (buffer) +
                         (GST_BUFFER_DURATION_IS_VALID (buffer) ? GST_BUFFER_DURATION (buffer) : 0);
      clip->n_frames++;
      gst_sample_unref (sample);
    }
  g_assert_true (gst_app_sink_is_eos (GST_APP_SINK (sink)));
  gst_element_set_state (pipeline, GST_STATE_NULL);

  if (!keep_all && last != NULL && clip->n_frames > 1)
    g_ptr_array_add (clip->frames, g_steal_pointer (&last));
  g_assert_cmpuint (clip->n_frames, >, 0);
  return clip;
}

static const guint8 *
first_frame (Clip *clip)
{
  return g_bytes_get_data (g_ptr_array_index (clip->frames, 0), NULL);
}

static const guint8 *
last_frame (Clip *clip)
{
  return g_bytes_get_data (g_ptr_array_index (clip->frames, clip->frames->len - 1), NULL);
}

static double
luma (const guint8 *frame,
      int           width,
      int           x,
      int           y)
{
  const guint8 *p = frame + ((gsize) y * width + x) * 3;

  return 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
}

/* Bilinear luma at a fractional position (clamped to the frame). */
static double
sample_luma (const guint8 *frame,
             int           width,
             int           height,
             double        x,
             double        y)
{
  int x0, y0;
  double fx, fy;

  x = CLAMP (x, 0, width - 1.001);
  y = CLAMP (y, 0, height - 1.001);
  x0 = (int) x;
  y0 = (int) y;
  fx = x - x0;
  fy = y - y0;
  return (1 - fy) * ((1 - fx) * luma (frame, width, x0, y0) + fx * luma (frame, width, x0 + 1, y0)) +
         fy * ((1 - fx) * luma (frame, width, x0, y0 + 1) + fx * luma (frame, width, x0 + 1, y0 + 1));
}

/* Mean difference between the centre half of @b and @a seen through a zoom of @k
 * about the centre and a shift of (@dx, @dy) pixels: b(p) ≈ a(c + (p - c - d) / k). */
static double
transform_error (const guint8 *a,
                 const guint8 *b,
                 int           width,
                 int           height,
                 double        k,
                 double        dx,
                 double        dy)
{
  double cx = width / 2.0;
  double cy = height / 2.0;
  double sum = 0;
  guint n = 0;

  for (int y = height / 4; y < height * 3 / 4; y++)
    for (int x = width / 4; x < width * 3 / 4; x++)
      {
        double ax = cx + (x - cx - dx) / k;
        double ay = cy + (y - cy - dy) / k;

        sum += fabs (luma (b, width, x, y) - sample_luma (a, width, height, ax, ay));
        n++;
      }
  return sum / n;
}

/* The zoom from @a to @b that explains the change best. */
static double
best_zoom (const guint8 *a,
           const guint8 *b,
           int           width,
           int           height,
           double       *out_error)
{
  double best = 0, best_error = G_MAXDOUBLE;

  for (double k = 0.5; k <= 2.0; k += 0.01)
    {
      double e = transform_error (a, b, width, height, k, 0, 0);

      if (e < best_error)
        best_error = e, best = k;
    }
  if (out_error != NULL)
    *out_error = best_error;
  return best;
}

/* The shift (in pixels, along x or y) from @a to @b that explains the change best. */
static int
best_shift (const guint8 *a,
            const guint8 *b,
            int           width,
            int           height,
            gboolean      vertical,
            double       *out_error)
{
  int best = 0;
  double best_error = G_MAXDOUBLE;
  int range = (vertical ? height : width) / 3;

  for (int d = -range; d <= range; d++)
    {
      double e = transform_error (a, b, width, height, 1.0, vertical ? 0 : d, vertical ? d : 0);

      if (e < best_error)
        best_error = e, best = d;
    }
  if (out_error != NULL)
    *out_error = best_error;
  return best;
}

/* Mean luma difference, less the mean offset: chroma is subsampled by the codec and
 * luma is not, and videoconvert's YUV to RGB comes out about 2 levels dark (an 8-bit
 * flat grey 128 decodes as 126 from the correct Y of 126), which is not the clip's doing. */
static double
mean_luma_difference (const guint8 *a,
                      const guint8 *b,
                      int           width,
                      int           height)
{
  double offset = 0, sum = 0;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      offset += luma (a, width, x, y) - luma (b, width, x, y);
  offset /= width * height;
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      sum += fabs (luma (a, width, x, y) - luma (b, width, x, y) - offset);
  return sum / (width * height);
}

static double
mean_rgb_difference (const guint8 *a,
                     const guint8 *b,
                     gsize         size)
{
  double sum = 0;

  for (gsize i = 0; i < size; i++)
    sum += abs ((int) a[i] - (int) b[i]);
  return sum / size;
}

/* Smooth random blobs: no repeats, so every zoom and shift is unambiguous. */
static GdkPixbuf *
make_texture_pixbuf (int     width,
                     int     height,
                     guint32 seed)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  enum { GRID_X = 21, GRID_Y = 13 };
  guint8 grid[GRID_Y][GRID_X][3];
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);

  for (int j = 0; j < GRID_Y; j++)
    for (int i = 0; i < GRID_X; i++)
      for (int c = 0; c < 3; c++)
        grid[j][i][c] = (guint8) g_rand_int_range (rand, 30, 226);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        double gx = (double) x / width * (GRID_X - 1);
        double gy = (double) y / height * (GRID_Y - 1);
        int i = MIN ((int) gx, GRID_X - 2);
        int j = MIN ((int) gy, GRID_Y - 2);
        double fx = gx - i, fy = gy - j;

        for (int c = 0; c < 3; c++)
          pixels[(gsize) y * stride + x * 3 + c] =
            (guint8) ((1 - fy) * ((1 - fx) * grid[j][i][c] + fx * grid[j][i + 1][c]) +
                      fy * ((1 - fx) * grid[j + 1][i][c] + fx * grid[j + 1][i + 1][c]));
      }
  return pixbuf;
}

static char *
make_texture (const char *name,
              int         width,
              int         height,
              guint32     seed)
{
  g_autoptr(GdkPixbuf) pixbuf = make_texture_pixbuf (width, height, seed);
  g_autoptr(GError) error = NULL;
  char *path = work_path (name);

  gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  g_assert_no_error (error);
  return path;
}

static void
render_ok (const KinemaClipSpec *spec,
           const char           *path)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = kinema_clip_renderer_render (spec, path, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

/* Renders the texture with one camera setting and returns the decoded first/last frames. */
static Clip *
render_camera (KinemaCameraType camera,
               KinemaCameraAxis axis,
               double           value)
{
  g_autofree char *image = make_texture ("texture.png", 800, 450, 7);
  g_autofree char *name = g_strdup_printf ("camera-%d-%d-%g.%s", camera, axis, value,
                                           kinema_clip_renderer_get_extension ());
  g_autofree char *path = work_path (name);
  KinemaClipSpec spec = {
    .start_image = image,
    .camera = camera,
    .camera_axis = axis,
    .camera_value = value,
    .duration_s = 1,
    .aspect_ratio = "16:9",
    .fps = 24,
    .height = TEST_HEIGHT,
  };
  Clip *clip;

  render_ok (&spec, path);
  clip = decode_clip (path, FALSE);
  g_assert_cmpint (clip->width, ==, 256);
  g_assert_cmpint (clip->height, ==, 144);
  g_assert_cmpuint (clip->n_frames, ==, 24);
  return clip;
}

static void
assert_covered (Clip *clip)
{
  /* The texture has no dark pixels: a black corner means the picture left the frame. */
  for (guint f = 0; f < clip->frames->len; f++)
    {
      const guint8 *frame = g_bytes_get_data (g_ptr_array_index (clip->frames, f), NULL);

      for (guint corner = 0; corner < 4; corner++)
        {
          int x = corner & 1 ? clip->width - 2 : 1;
          int y = corner & 2 ? clip->height - 2 : 1;

          g_assert_cmpfloat (luma (frame, clip->width, x, y), >, 15);
        }
    }
}

static void
test_extension (void)
{
  g_assert_cmpstr (kinema_clip_renderer_get_extension (), ==, "mp4");
  g_setenv ("KINEMA_CLIP_ENCODER", "vp8", TRUE);
  g_assert_cmpstr (kinema_clip_renderer_get_extension (), ==, "webm");
  g_setenv ("KINEMA_CLIP_ENCODER", "openh264", TRUE);
  g_assert_cmpstr (kinema_clip_renderer_get_extension (), ==, "mp4");
  g_unsetenv ("KINEMA_CLIP_ENCODER");
}

static void
check_format (const char *aspect_ratio,
              guint       fps,
              int         width,
              int         height)
{
  g_autofree char *image = make_texture ("format.png", 640, 480, 3);
  g_autofree char *name = g_strdup_printf ("format-%c-%u.%s", aspect_ratio[0], fps,
                                           kinema_clip_renderer_get_extension ());
  g_autofree char *path = work_path (name);
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GstDiscoverer) discoverer = gst_discoverer_new (20 * GST_SECOND, &error);
  g_autoptr(GstDiscovererInfo) info = NULL;
  g_autoptr(Clip) clip = NULL;
  GList *streams;
  GstDiscovererVideoInfo *video;
  GstClockTime frame = GST_SECOND / fps;
  KinemaClipSpec spec = {
    .start_image = image,
    .camera = KINEMA_CAMERA_NONE,
    .duration_s = 1,
    .aspect_ratio = aspect_ratio,
    .fps = fps,
    .height = TEST_HEIGHT,
    .demo_mark = TRUE,
  };

  render_ok (&spec, path);

  /* What a player sees before decoding */
  g_assert_no_error (error);
  info = gst_discoverer_discover_uri (discoverer, uri, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gst_discoverer_info_get_result (info), ==, GST_DISCOVERER_OK);
  g_assert_cmpuint (gst_discoverer_info_get_duration (info), >=, GST_SECOND - frame);
  g_assert_cmpuint (gst_discoverer_info_get_duration (info), <=, GST_SECOND + frame);
  streams = gst_discoverer_info_get_video_streams (info);
  g_assert_cmpuint (g_list_length (streams), ==, 1);
  video = streams->data;
  g_assert_cmpuint (gst_discoverer_video_info_get_width (video), ==, width);
  g_assert_cmpuint (gst_discoverer_video_info_get_height (video), ==, height);
  g_assert_cmpuint (gst_discoverer_video_info_get_framerate_num (video), ==, fps);
  g_assert_cmpuint (gst_discoverer_video_info_get_framerate_denom (video), ==, 1);
  gst_discoverer_stream_info_list_free (streams);

  /* What decoding gives */
  clip = decode_clip (path, FALSE);
  g_assert_cmpint (clip->width, ==, width);
  g_assert_cmpint (clip->height, ==, height);
  g_assert_cmpuint (clip->n_frames, ==, fps);
  g_assert_cmpuint (clip->end_time, >=, GST_SECOND - frame);
  g_assert_cmpuint (clip->end_time, <=, GST_SECOND + frame);
}

static void
test_formats (void)
{
  check_format ("16:9", 24, 256, 144);
  check_format ("9:16", 30, 144, 256);
  check_format ("1:1", 24, 144, 144);
  check_format ("1:1", 30, 144, 144);
}

static void
test_own_aspect (void)
{
  /* No aspect ratio: the start image's own shape (4:3 here). */
  g_autofree char *image = make_texture ("four-three.png", 640, 480, 5);
  g_autofree char *path = work_path ("own-aspect.mp4");
  g_autoptr(Clip) clip = NULL;
  KinemaClipSpec spec = {
    .start_image = image,
    .duration_s = 1,
    .height = TEST_HEIGHT,
  };

  render_ok (&spec, path);
  clip = decode_clip (path, FALSE);
  g_assert_cmpint (clip->width, ==, 192);
  g_assert_cmpint (clip->height, ==, 144);
  g_assert_cmpuint (clip->n_frames, ==, 24);
}

static void
test_full_720p (void)
{
  g_autofree char *image = make_texture ("photo.png", 1920, 1080, 11);
  g_autofree char *end = make_texture ("photo-end.png", 1920, 1080, 12);
  g_autofree char *path = work_path ("full.mp4");
  g_autoptr(Clip) clip = NULL;
  g_autoptr(GError) error = NULL;
  KinemaClipSpec spec = {
    .start_image = image,
    .end_image = end,
    .camera = KINEMA_CAMERA_SIMPLE,
    .camera_axis = KINEMA_CAMERA_AXIS_ZOOM,
    .camera_value = -5,
    .duration_s = 5,
    .aspect_ratio = "16:9",
    .fps = 24,
    .height = 720,
    .demo_mark = TRUE,
  };
  gint64 begin = g_get_monotonic_time ();

  render_ok (&spec, path);
  g_test_message ("A 5 s 720p clip rendered in %.2f s",
                  (g_get_monotonic_time () - begin) / (double) G_USEC_PER_SEC);
  clip = decode_clip (path, FALSE);
  g_assert_cmpint (clip->width, ==, 1280);
  g_assert_cmpint (clip->height, ==, 720);
  g_assert_cmpuint (clip->n_frames, ==, 120);
  g_assert_cmpuint (clip->end_time, >=, 5 * GST_SECOND - GST_SECOND / 24);
  g_assert_cmpuint (clip->end_time, <=, 5 * GST_SECOND + GST_SECOND / 24);
}

static void
test_zoom (void)
{
  struct {
    KinemaCameraType camera;
    double           value;
    double           zoom;  /* last frame against the first */
  } cases[] = {
    { KINEMA_CAMERA_SIMPLE, -10, 1.40 },  /* narrower field of view: zoom in */
    { KINEMA_CAMERA_SIMPLE, 10, 1 / 1.40 },
    { KINEMA_CAMERA_SIMPLE, -5, 1.24 },
    { KINEMA_CAMERA_NONE, 0, 1.12 },      /* the gentle default */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Clip) clip = render_camera (cases[i].camera, KINEMA_CAMERA_AXIS_ZOOM, cases[i].value);
      double error_at_best, error_still;
      double k = best_zoom (first_frame (clip), last_frame (clip), clip->width, clip->height,
                            &error_at_best);

      error_still = transform_error (first_frame (clip), last_frame (clip), clip->width,
                                     clip->height, 1.0, 0, 0);
      g_test_message ("zoom %g: best %.2f (error %.1f, unzoomed %.1f)", cases[i].value, k,
                      error_at_best, error_still);
      g_assert_cmpfloat_with_epsilon (k, cases[i].zoom, 0.04);
      g_assert_cmpfloat (error_at_best, <, 4.0);
      g_assert_cmpfloat (error_at_best * 2, <, error_still);
    }
}

static void
test_slide (void)
{
  struct {
    KinemaCameraAxis axis;
    double           value;
    gboolean         vertical;
    int              min_shift;  /* in pixels, positive: right or down */
    int              max_shift;
  } cases[] = {
    /* camera to the right: the picture slides left by 16% of 256 px */
    { KINEMA_CAMERA_AXIS_HORIZONTAL, 10, FALSE, -44, -38 },
    { KINEMA_CAMERA_AXIS_HORIZONTAL, -10, FALSE, 38, 44 },
    /* camera up: the picture slides down by 16% of 144 px */
    { KINEMA_CAMERA_AXIS_VERTICAL, 10, TRUE, 20, 26 },
    { KINEMA_CAMERA_AXIS_VERTICAL, -10, TRUE, -26, -20 },
    /* a smaller move */
    { KINEMA_CAMERA_AXIS_HORIZONTAL, 3, FALSE, -23, -18 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Clip) clip = render_camera (KINEMA_CAMERA_SIMPLE, cases[i].axis, cases[i].value);
      double error_at_best;
      int d = best_shift (first_frame (clip), last_frame (clip), clip->width, clip->height,
                          cases[i].vertical, &error_at_best);

      g_test_message ("axis %d value %g: shift %d (error %.1f)", cases[i].axis, cases[i].value,
                      d, error_at_best);
      g_assert_cmpint (d, >=, cases[i].min_shift);
      g_assert_cmpint (d, <=, cases[i].max_shift);
      g_assert_cmpfloat (error_at_best, <, 4.0);
      assert_covered (clip);
    }
}

/* Best zoom (from a few) and shift together. */
static void
fit_zoom_shift (Clip     *clip,
                gboolean  vertical,
                double   *out_zoom,
                int      *out_shift,
                double   *out_error)
{
  *out_error = G_MAXDOUBLE;
  for (double k = 1.0; k <= 1.081; k += 0.02)
    for (int d = -60; d <= 60; d++)
      {
        double e = transform_error (first_frame (clip), last_frame (clip), clip->width,
                                    clip->height, k, vertical ? 0 : d, vertical ? d : 0);

        if (e < *out_error)
          *out_error = e, *out_zoom = k, *out_shift = d;
      }
}

static void
test_pan_tilt (void)
{
  g_autoptr(Clip) pan = render_camera (KINEMA_CAMERA_SIMPLE, KINEMA_CAMERA_AXIS_PAN, 10);
  g_autoptr(Clip) tilt = render_camera (KINEMA_CAMERA_SIMPLE, KINEMA_CAMERA_AXIS_TILT, -10);
  double k, e;
  int d;

  /* Panning right slides the picture left, with a slight push-in. */
  fit_zoom_shift (pan, FALSE, &k, &d, &e);
  g_test_message ("pan: zoom %.2f shift %d (error %.1f)", k, d, e);
  g_assert_cmpfloat_with_epsilon (k, 1.04, 0.015);
  g_assert_cmpint (d, <, -30);
  g_assert_cmpfloat (e, <, 4.0);

  /* Tilting down slides the picture up. */
  fit_zoom_shift (tilt, TRUE, &k, &d, &e);
  g_test_message ("tilt: zoom %.2f shift %d (error %.1f)", k, d, e);
  g_assert_cmpfloat_with_epsilon (k, 1.04, 0.015);
  g_assert_cmpint (d, <, -15);
  g_assert_cmpfloat (e, <, 4.0);

  assert_covered (pan);
  assert_covered (tilt);
}

static void
test_roll (void)
{
  struct {
    double value;
    double degrees;  /* the picture's turn, clockwise on screen */
  } cases[] = {
    { 10, -6.0 },  /* the camera turns clockwise: the picture counter-clockwise */
    { -10, 6.0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Clip) clip = render_camera (KINEMA_CAMERA_SIMPLE, KINEMA_CAMERA_AXIS_ROLL,
                                            cases[i].value);
      const guint8 *a = first_frame (clip);
      const guint8 *b = last_frame (clip);
      int w = clip->width, h = clip->height;
      double best_angle = 0, best_error = G_MAXDOUBLE;

      /* b(p) ≈ a(c + R(-θ)(p - c) / k); search θ with k chosen by the cover rule. */
      for (double deg = -10; deg <= 10; deg += 0.5)
        for (double k = 1.0; k <= 1.3; k += 0.01)
          {
            double th = deg * G_PI / 180, c = cos (th), s = sin (th), sum = 0;
            guint n = 0;

            for (int y = h / 4; y < h * 3 / 4; y += 2)
              for (int x = w / 4; x < w * 3 / 4; x += 2)
                {
                  double px = x - w / 2.0, py = y - h / 2.0;
                  double ax = w / 2.0 + (c * px + s * py) / k;
                  double ay = h / 2.0 + (-s * px + c * py) / k;

                  sum += fabs (luma (b, w, x, y) - sample_luma (a, w, h, ax, ay));
                  n++;
                }
            if (sum / n < best_error)
              best_error = sum / n, best_angle = deg;
          }
      g_test_message ("roll %g: %.1f° (error %.1f)", cases[i].value, best_angle, best_error);
      g_assert_cmpfloat_with_epsilon (best_angle, cases[i].degrees, 1.01);
      g_assert_cmpfloat (best_error, <, 5.0);
      assert_covered (clip);
    }
}

static void
test_presets (void)
{
  struct {
    KinemaCameraType camera;
    gboolean         zoom_in;
  } cases[] = {
    { KINEMA_CAMERA_DOWN_BACK, FALSE },
    { KINEMA_CAMERA_FORWARD_UP, TRUE },
    { KINEMA_CAMERA_RIGHT_TURN_FORWARD, TRUE },
    { KINEMA_CAMERA_LEFT_TURN_FORWARD, TRUE },
  };
  int turn_shift[2] = { 0, 0 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Clip) clip = render_camera (cases[i].camera, KINEMA_CAMERA_AXIS_HORIZONTAL, 0);
      const guint8 *a = first_frame (clip);
      const guint8 *b = last_frame (clip);
      double best_error = G_MAXDOUBLE, best_k = 1;
      int best_dx = 0, best_dy = 0;

      /* Fit zoom and shift together: along y for the first two, along x for the turns. */
      for (double k = 0.6; k <= 1.6; k += 0.02)
        for (int d = -40; d <= 40; d++)
          {
            gboolean turn = cases[i].camera == KINEMA_CAMERA_RIGHT_TURN_FORWARD ||
                            cases[i].camera == KINEMA_CAMERA_LEFT_TURN_FORWARD;
            double e;

            if (!turn && abs (d) > 20)
              continue;
            e = transform_error (a, b, clip->width, clip->height, k, turn ? d : 0, turn ? 0 : d);
            if (e < best_error)
              best_error = e, best_k = k, best_dx = turn ? d : 0, best_dy = turn ? 0 : d;
          }
      g_test_message ("preset %d: zoom %.2f shift %d,%d (error %.1f)", cases[i].camera, best_k,
                      best_dx, best_dy, best_error);
      if (cases[i].zoom_in)
        g_assert_cmpfloat (best_k, >, 1.15);
      else
        g_assert_cmpfloat (best_k, <, 0.87);
      if (cases[i].camera == KINEMA_CAMERA_DOWN_BACK)
        g_assert_cmpint (best_dy, <, 0);  /* the camera sinks: the picture rises */
      if (cases[i].camera == KINEMA_CAMERA_FORWARD_UP)
        g_assert_cmpint (best_dy, >, 0);
      if (cases[i].camera == KINEMA_CAMERA_RIGHT_TURN_FORWARD)
        turn_shift[0] = best_dx;
      if (cases[i].camera == KINEMA_CAMERA_LEFT_TURN_FORWARD)
        turn_shift[1] = best_dx;
      assert_covered (clip);
    }
  /* Turning right slides the picture left, turning left slides it right. */
  g_assert_cmpint (turn_shift[0], <, 0);
  g_assert_cmpint (turn_shift[1], >, 0);
}

static void
test_cross_fade (void)
{
  g_autofree char *start = make_texture ("fade-start.png", 800, 450, 21);
  g_autofree char *end = make_texture ("fade-end.png", 800, 450, 22);
  g_autofree char *path = work_path ("fade.mp4");
  g_autoptr(GdkPixbuf) end_pixbuf = NULL;
  g_autoptr(GdkPixbuf) expected = NULL;
  g_autoptr(Clip) clip = NULL;
  g_autofree guint8 *packed = g_malloc (256 * 144 * 3);
  gsize size = 256 * 144 * 3;
  const guint8 *middle;
  KinemaClipSpec spec = {
    .start_image = start,
    .end_image = end,
    .camera = KINEMA_CAMERA_SIMPLE,
    .camera_axis = KINEMA_CAMERA_AXIS_ZOOM,
    .camera_value = -6,
    .duration_s = 2,
    .aspect_ratio = "16:9",
    .fps = 24,
    .height = TEST_HEIGHT,
  };

  render_ok (&spec, path);
  clip = decode_clip (path, TRUE);
  g_assert_cmpuint (clip->n_frames, ==, 48);

  /* The same pixels as fade-end.png */
  end_pixbuf = make_texture_pixbuf (800, 450, 22);
  expected = gdk_pixbuf_scale_simple (end_pixbuf, 256, 144, GDK_INTERP_BILINEAR);
  for (int y = 0; y < 144; y++)
    memcpy (packed + y * 256 * 3, gdk_pixbuf_get_pixels (expected) + y * gdk_pixbuf_get_rowstride (expected), 256 * 3);

  /* The last frame is the end image; the first is not; half-way through the fade, neither. */
  middle = g_bytes_get_data (g_ptr_array_index (clip->frames, 38), NULL);
  g_test_message ("difference to the end image: first %.1f, frame 38 %.1f, last %.1f (RGB %.1f)",
                  mean_luma_difference (first_frame (clip), packed, 256, 144),
                  mean_luma_difference (middle, packed, 256, 144),
                  mean_luma_difference (last_frame (clip), packed, 256, 144),
                  mean_rgb_difference (last_frame (clip), packed, size));
  g_assert_cmpfloat (mean_luma_difference (last_frame (clip), packed, 256, 144), <, 3.0);
  g_assert_cmpfloat (mean_rgb_difference (last_frame (clip), packed, size), <, 8.0);
  g_assert_cmpfloat (mean_luma_difference (first_frame (clip), packed, 256, 144), >, 15.0);
  g_assert_cmpfloat (mean_luma_difference (middle, packed, 256, 144), >, 4.0);
  g_assert_cmpfloat (mean_luma_difference (middle, first_frame (clip), 256, 144), >, 8.0);

  /* Before the fade begins (60%), the end image is not mixed in at all: frame 27 is
   * the start image moved by the camera only. */
  {
    const guint8 *before = g_bytes_get_data (g_ptr_array_index (clip->frames, 27), NULL);
    double k = best_zoom (first_frame (clip), before, 256, 144, NULL);

    g_assert_cmpfloat (k, >, 1.05);
    g_assert_cmpfloat (transform_error (first_frame (clip), before, 256, 144, k, 0, 0), <, 4.0);
  }
}

static double
fraction_brighter (const guint8 *frame,
                   int           width,
                   int           height,
                   double        level)
{
  guint n = 0;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      if (luma (frame, width, x, y) > level)
        n++;
  return (double) n / (width * height);
}

static double
luma_deviation (const guint8 *frame,
                int           width,
                int           height)
{
  double sum = 0, sum2 = 0;
  guint n = (guint) width * height;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        double v = luma (frame, width, x, y);

        sum += v;
        sum2 += v * v;
      }
  return sqrt (MAX (sum2 / n - (sum / n) * (sum / n), 0));
}

static void
test_title_card (void)
{
  g_autofree char *path = work_path ("title.mp4");
  g_autoptr(Clip) clip = NULL;
  KinemaClipSpec spec = {
    .title = "A paper boat drifting down a rainy street, neon lights in the puddles",
    .duration_s = 2,
    .aspect_ratio = "9:16",
    .fps = 24,
    .height = TEST_HEIGHT,
  };

  render_ok (&spec, path);
  clip = decode_clip (path, TRUE);
  g_assert_cmpint (clip->width, ==, 144);
  g_assert_cmpint (clip->height, ==, 256);
  g_assert_cmpuint (clip->n_frames, ==, 48);

  /* A gradient, then white text fading in over it; the background keeps moving. */
  g_test_message ("title: deviation %.1f → %.1f, white %.3f → %.3f",
                  luma_deviation (first_frame (clip), 144, 256),
                  luma_deviation (last_frame (clip), 144, 256),
                  fraction_brighter (first_frame (clip), 144, 256, 235),
                  fraction_brighter (last_frame (clip), 144, 256, 235));
  for (guint f = 0; f < clip->frames->len; f++)
    g_assert_cmpfloat (luma_deviation (g_bytes_get_data (g_ptr_array_index (clip->frames, f), NULL),
                                       144, 256), >, 3.0);
  g_assert_cmpfloat (fraction_brighter (first_frame (clip), 144, 256, 235), <, 0.001);
  g_assert_cmpfloat (fraction_brighter (last_frame (clip), 144, 256, 235), >, 0.02);
  g_assert_cmpfloat (mean_rgb_difference (g_bytes_get_data (g_ptr_array_index (clip->frames, 40), NULL),
                                          g_bytes_get_data (g_ptr_array_index (clip->frames, 47), NULL),
                                          144 * 256 * 3), >, 0.3);
}

static void
test_demo_badge (void)
{
  g_autofree char *plain_path = work_path ("badge-off.mp4");
  g_autofree char *marked_path = work_path ("badge-on.mp4");
  g_autoptr(Clip) plain = NULL;
  g_autoptr(Clip) marked = NULL;
  KinemaClipSpec spec = {
    .title = "Badge",
    .duration_s = 1,
    .aspect_ratio = "16:9",
    .fps = 24,
    .height = 288,
  };
  const guint8 *a, *b;
  double corner = 0, centre_left = 0;
  guint n_corner = 0, n_left = 0;

  render_ok (&spec, plain_path);
  spec.demo_mark = TRUE;
  render_ok (&spec, marked_path);
  plain = decode_clip (plain_path, FALSE);
  marked = decode_clip (marked_path, FALSE);
  a = first_frame (plain);
  b = first_frame (marked);

  /* The badge sits in the top-right corner and nowhere else. */
  for (int y = 0; y < plain->height; y++)
    for (int x = 0; x < plain->width; x++)
      {
        double d = fabs (luma (a, plain->width, x, y) - luma (b, plain->width, x, y));

        if (x > plain->width * 3 / 4 && y < plain->height / 6)
          corner += d, n_corner++;
        else if (x < plain->width / 2)
          centre_left += d, n_left++;
      }
  g_test_message ("badge: corner %.1f, left half %.2f", corner / n_corner, centre_left / n_left);
  g_assert_cmpfloat (corner / n_corner, >, 5.0);
  g_assert_cmpfloat (centre_left / n_left, <, 1.0);

  /* Not on the last frame: that frame starts a continuation or an extension, whose clip
   * draws its own badge; baked into the start image it would show twice (issue 14). */
  a = last_frame (plain);
  b = last_frame (marked);
  corner = 0;
  n_corner = 0;
  for (int y = 0; y < plain->height / 6; y++)
    for (int x = plain->width * 3 / 4 + 1; x < plain->width; x++)
      corner += fabs (luma (a, plain->width, x, y) - luma (b, plain->width, x, y)), n_corner++;
  g_test_message ("badge on the last frame: corner %.2f", corner / n_corner);
  g_assert_cmpfloat (corner / n_corner, <, 1.0);
}

/* A video extension's new part lasts about 4.5 s (kinema-capabilities.h): a length in
 * milliseconds is rendered as whole frames. */
static void
test_duration_ms (void)
{
  g_autofree char *path = work_path ("four-and-a-half.mp4");
  g_autoptr(Clip) clip = NULL;
  KinemaClipSpec spec = {
    .title = "Longer",
    .duration_s = 1,
    .duration_ms = 4500,
    .aspect_ratio = "16:9",
    .fps = 24,
    .height = 72,
  };

  render_ok (&spec, path);
  clip = decode_clip (path, FALSE);
  g_assert_cmpuint (clip->n_frames, ==, 108);
}

static void
test_large_photo (void)
{
  /* A 24-megapixel photo is scaled down while it is decoded. */
  g_autoptr(GdkPixbuf) small = make_texture_pixbuf (600, 400, 31);
  g_autoptr(GdkPixbuf) large = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *image = work_path ("large.jpg");
  g_autofree char *path = work_path ("large.mp4");
  g_autoptr(Clip) clip = NULL;
  KinemaClipSpec spec = {
    .start_image = image,
    .duration_s = 1,
    .aspect_ratio = "1:1",
    .height = TEST_HEIGHT,
  };

  large = gdk_pixbuf_scale_simple (small, 6000, 4000, GDK_INTERP_NEAREST);
  gdk_pixbuf_save (large, image, "jpeg", &error, "quality", "70", NULL);
  g_assert_no_error (error);

  render_ok (&spec, path);
  clip = decode_clip (path, FALSE);
  g_assert_cmpint (clip->width, ==, 144);
  g_assert_cmpint (clip->height, ==, 144);
  g_assert_cmpuint (clip->n_frames, ==, 24);
  assert_covered (clip);
}

static void
test_encoders (void)
{
  const char *encoders[] = { "openh264", "vp8" };

  for (guint i = 0; i < G_N_ELEMENTS (encoders); i++)
    {
      g_autofree char *image = make_texture ("encoder.png", 400, 400, 41);
      g_autofree char *name = NULL;
      g_autofree char *path = NULL;
      g_autoptr(Clip) clip = NULL;
      KinemaClipSpec spec = {
        .start_image = image,
        .duration_s = 1,
        .aspect_ratio = "16:9",
        .fps = 30,
        .height = TEST_HEIGHT,
        .demo_mark = TRUE,
      };

      g_setenv ("KINEMA_CLIP_ENCODER", encoders[i], TRUE);
      name = g_strdup_printf ("encoder-%s.%s", encoders[i], kinema_clip_renderer_get_extension ());
      path = work_path (name);
      render_ok (&spec, path);
      g_unsetenv ("KINEMA_CLIP_ENCODER");

      clip = decode_clip (path, FALSE);
      g_assert_cmpint (clip->width, ==, 256);
      g_assert_cmpint (clip->height, ==, 144);
      g_assert_cmpuint (clip->n_frames, ==, 30);
    }
}

static void
test_bad_input (void)
{
  g_autofree char *not_image = work_path ("not-an-image.png");
  g_autofree char *image = make_texture ("bad.png", 400, 400, 51);
  g_autofree char *path = work_path ("bad.mp4");
  g_autoptr(GError) error = NULL;
  KinemaClipSpec spec = {
    .start_image = not_image,
    .duration_s = 1,
    .height = TEST_HEIGHT,
  };

  g_assert_true (g_file_set_contents (not_image, "<html>nope</html>", -1, NULL));
  g_assert_false (kinema_clip_renderer_render (&spec, path, NULL, &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  spec.start_image = image;
  spec.aspect_ratio = "wide";
  g_assert_false (kinema_clip_renderer_render (&spec, path, NULL, &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* A folder that does not exist: the pipeline fails, with a message. */
  spec.aspect_ratio = "1:1";
  g_assert_false (kinema_clip_renderer_render (&spec, "/nonexistent/dir/clip.mp4", NULL, &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_MEDIA);
}

typedef struct {
  gboolean  done;
  gboolean  ok;
  GError   *error;
} AsyncResult;

static void
render_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  AsyncResult *r = user_data;

  r->ok = kinema_clip_renderer_render_finish (result, &r->error);
  r->done = TRUE;
}

static void
test_async (void)
{
  g_autofree char *image = make_texture ("async.png", 400, 400, 61);
  g_autofree char *path = work_path ("async.mp4");
  g_autofree char *cancelled_path = work_path ("cancelled.mp4");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(Clip) clip = NULL;
  AsyncResult result = { 0 };
  KinemaClipSpec spec = {
    .start_image = image,
    .duration_s = 1,
    .aspect_ratio = "1:1",
    .height = TEST_HEIGHT,
  };

  /* The spec is copied: it may go away right after the call. */
  kinema_clip_renderer_render_async (&spec, path, NULL, render_done_cb, &result);
  spec.start_image = NULL;
  while (!result.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (result.error);
  g_assert_true (result.ok);
  clip = decode_clip (path, FALSE);
  g_assert_cmpuint (clip->n_frames, ==, 24);

  /* Cancelled: an error, and no file left behind. */
  result = (AsyncResult) { 0 };
  spec.start_image = image;
  g_cancellable_cancel (cancellable);
  kinema_clip_renderer_render_async (&spec, cancelled_path, cancellable, render_done_cb, &result);
  while (!result.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (result.ok);
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&result.error);
  g_assert_false (g_file_test (cancelled_path, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  gst_init (&argc, &argv);

  g_test_add_func ("/kinema/clip-renderer/extension", test_extension);
  g_test_add_func ("/kinema/clip-renderer/formats", test_formats);
  g_test_add_func ("/kinema/clip-renderer/own-aspect", test_own_aspect);
  g_test_add_func ("/kinema/clip-renderer/full-720p", test_full_720p);
  g_test_add_func ("/kinema/clip-renderer/zoom", test_zoom);
  g_test_add_func ("/kinema/clip-renderer/slide", test_slide);
  g_test_add_func ("/kinema/clip-renderer/pan-tilt", test_pan_tilt);
  g_test_add_func ("/kinema/clip-renderer/roll", test_roll);
  g_test_add_func ("/kinema/clip-renderer/presets", test_presets);
  g_test_add_func ("/kinema/clip-renderer/cross-fade", test_cross_fade);
  g_test_add_func ("/kinema/clip-renderer/title-card", test_title_card);
  g_test_add_func ("/kinema/clip-renderer/demo-badge", test_demo_badge);
  g_test_add_func ("/kinema/clip-renderer/duration-ms", test_duration_ms);
  g_test_add_func ("/kinema/clip-renderer/large-photo", test_large_photo);
  g_test_add_func ("/kinema/clip-renderer/encoders", test_encoders);
  g_test_add_func ("/kinema/clip-renderer/bad-input", test_bad_input);
  g_test_add_func ("/kinema/clip-renderer/async", test_async);

  return g_test_run ();
}
