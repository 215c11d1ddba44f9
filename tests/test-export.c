/* test-export.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * KinemaExporter on clips whose frames encode their index (kinema-test-clip.c): the
 * result is decoded again and every frame's index checked, so a frame missing or
 * repeated at a join, a wrong trim or a wrong length shows.
 */

#include "config.h"

#include <glib/gstdio.h>

#include <gif_lib.h>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>
#include <gst/video/video.h>

#include "kinema-error.h"
#include "kinema-exporter.h"
#include "kinema-test-clip.h"
#include "test-util.h"

#define FPS 10
#define N_FRAMES 20 /* per shot: three shots, 60 frames, 6 s */
#define WIDTH 320
#define HEIGHT 240
#define FRAME_NS (GST_SECOND / FPS)

static char *tmpdir;
static char *clips[3];

typedef struct
{
  GArray      *indices; /* int */
  int          width;
  int          height;
  GstClockTime end; /* the last frame's end */
} Decoded;

static void
decoded_clear (Decoded *decoded)
{
  g_clear_pointer (&decoded->indices, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Decoded, decoded_clear)

/* Every frame of @path, in order, by the index its colour encodes. */
static void
decode (const char *path,
        Decoded    *decoded)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *location = g_strescape (path, NULL);
  g_autofree char *description =
      g_strdup_printf ("filesrc location=\"%s\" ! decodebin ! videoconvert ! video/x-raw,format=RGB ! "
                       "appsink name=sink sync=false",
                       location);
  g_autoptr(GstElement) pipeline = gst_parse_launch (description, &error);
  g_autoptr(GstElement) sink = NULL;

  g_assert_no_error (error);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  decoded->indices = g_array_new (FALSE, FALSE, sizeof (int));
  decoded->end = 0;
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=, GST_STATE_CHANGE_FAILURE);
  for (;;)
    {
      g_autoptr(GstSample) sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 20 * GST_SECOND);
      GstVideoInfo  info;
      GstVideoFrame frame;
      GstBuffer    *buffer;
      const guint8 *p;
      int           index;

      if (sample == NULL)
        {
          g_assert_true (gst_app_sink_is_eos (GST_APP_SINK (sink)));
          break;
        }
      buffer = gst_sample_get_buffer (sample);
      g_assert_true (gst_video_info_from_caps (&info, gst_sample_get_caps (sample)));
      g_assert_true (gst_video_frame_map (&frame, &info, buffer, GST_MAP_READ));
      decoded->width = GST_VIDEO_FRAME_WIDTH (&frame);
      decoded->height = GST_VIDEO_FRAME_HEIGHT (&frame);
      p = (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&frame, 0) +
          (decoded->height / 2) * GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0) + (decoded->width / 2) * 3;
      index = kinema_test_clip_index_of (p);
      gst_video_frame_unmap (&frame);
      g_array_append_val (decoded->indices, index);
      if (GST_BUFFER_PTS_IS_VALID (buffer) && GST_BUFFER_DURATION_IS_VALID (buffer))
        decoded->end = MAX (decoded->end, GST_BUFFER_PTS (buffer) + GST_BUFFER_DURATION (buffer));
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
}

static void
assert_indices (Decoded *decoded,
                int      first,
                int      n)
{
  g_assert_cmpuint (decoded->indices->len, ==, n);
  for (int i = 0; i < n; i++)
    {
      if (g_array_index (decoded->indices, int, i) != first + i)
        g_error ("frame %d: index %d, expected %d", i, g_array_index (decoded->indices, int, i), first + i);
    }
}

static void
assert_duration (GstClockTime got,
                 GstClockTime want)
{
  g_assert_cmpuint (got + FRAME_NS, >=, want);
  g_assert_cmpuint (got, <=, want + FRAME_NS);
}

/* The container's duration, as a player would see it. */
static GstClockTime
discover (const char   *path,
          gboolean     *has_audio,
          GstClockTime *audio_duration)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstDiscoverer) discoverer = gst_discoverer_new (20 * GST_SECOND, &error);
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  g_autoptr(GstDiscovererInfo) info = gst_discoverer_discover_uri (discoverer, uri, &error);
  GList *audio;

  g_assert_no_error (error);
  audio = gst_discoverer_info_get_audio_streams (info);
  if (has_audio != NULL)
    *has_audio = audio != NULL;
  gst_discoverer_stream_info_list_free (audio);
  if (audio_duration != NULL)
    {
      /* The sound's own length: decode it. */
      g_autofree char *location = g_strescape (path, NULL);
      g_autofree char *description = g_strdup_printf (
          "filesrc location=\"%s\" ! decodebin ! audio/x-raw ! appsink name=sink sync=false", location);
      g_autoptr(GstElement) pipeline = gst_parse_launch (description, &error);
      g_autoptr(GstElement) sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");

      *audio_duration = 0;
      gst_element_set_state (pipeline, GST_STATE_PLAYING);
      for (;;)
        {
          g_autoptr(GstSample) sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 20 * GST_SECOND);
          GstBuffer *buffer;

          if (sample == NULL)
            break;
          buffer = gst_sample_get_buffer (sample);
          *audio_duration = MAX (*audio_duration, GST_BUFFER_PTS (buffer) + GST_BUFFER_DURATION (buffer));
        }
      gst_element_set_state (pipeline, GST_STATE_NULL);
    }
  return gst_discoverer_info_get_duration (info);
}

/* Only the inputs and the expected results: no temporary file left behind. */
static void
assert_folder_holds (const char        *dir,
                     const char *const *names)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint       n = 0;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      if (!g_strv_contains (names, name))
        g_error ("unexpected file “%s” in %s", name, dir);
      n++;
    }
  g_assert_cmpuint (n, ==, g_strv_length ((char **) names));
}

static char *
new_folder (const char *name)
{
  char *dir = g_build_filename (tmpdir, name, NULL);

  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  return dir;
}

static KinemaExporter *
story_exporter (KinemaExportFormat format,
                const char        *output)
{
  const char *paths[] = { clips[0], clips[1], clips[2], NULL };

  return kinema_exporter_new (paths, format, output);
}

static void
test_mp4_remux (void)
{
  g_autofree char *dir = new_folder ("remux");
  g_autofree char *output = g_build_filename (dir, "story.mp4", NULL);
  g_autoptr(KinemaExporter) exporter = story_exporter (KINEMA_EXPORT_FORMAT_MP4, output);
  g_autoptr(GError) error = NULL;
  g_auto (Decoded) decoded = { 0 };
  const char *expected[] = { "story.mp4", NULL };

  /* 480p is larger than the clips: nothing to scale, so still a remux. */
  kinema_exporter_set_size (exporter, 480);
  kinema_exporter_run (exporter, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (kinema_exporter_get_remuxed (exporter));
  g_assert_cmpfloat (kinema_exporter_get_fraction (exporter), ==, 1.0);

  decode (output, &decoded);
  assert_indices (&decoded, 0, 3 * N_FRAMES);
  g_assert_cmpint (decoded.width, ==, WIDTH);
  g_assert_cmpint (decoded.height, ==, HEIGHT);
  assert_duration (discover (output, NULL, NULL), 3 * N_FRAMES * FRAME_NS);
  assert_folder_holds (dir, expected);
}

static void
test_mp4_trim_scale (void)
{
  g_autofree char *dir = new_folder ("trim");
  g_autofree char *output = g_build_filename (dir, "story.mp4", NULL);
  g_autoptr(KinemaExporter) exporter = story_exporter (KINEMA_EXPORT_FORMAT_MP4, output);
  g_autoptr(GError) error = NULL;
  g_auto (Decoded) decoded = { 0 };

  /* From frame 15 (in shot 1) to frame 45 (in shot 3), at 120 px high. */
  kinema_exporter_set_trim (exporter, 15 * FRAME_NS, 45 * FRAME_NS);
  kinema_exporter_set_size (exporter, 120);
  kinema_exporter_run (exporter, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (kinema_exporter_get_remuxed (exporter));
  g_assert_cmpint (kinema_exporter_get_duration (exporter), ==, 30 * FRAME_NS);

  decode (output, &decoded);
  assert_indices (&decoded, 15, 30);
  g_assert_cmpint (decoded.width, ==, 160);
  g_assert_cmpint (decoded.height, ==, 120);
  assert_duration (discover (output, NULL, NULL), 30 * FRAME_NS);
}

static void
test_webm (void)
{
  g_autofree char *dir = new_folder ("webm");
  g_autofree char *output = g_build_filename (dir, "story.webm", NULL);
  g_autoptr(KinemaExporter) exporter = story_exporter (KINEMA_EXPORT_FORMAT_WEBM, output);
  g_autoptr(GError) error = NULL;
  g_auto (Decoded) decoded = { 0 };

  kinema_exporter_run (exporter, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (kinema_exporter_get_remuxed (exporter));

  decode (output, &decoded);
  assert_indices (&decoded, 0, 3 * N_FRAMES);
  g_assert_cmpint (decoded.width, ==, WIDTH);
  g_assert_cmpint (decoded.height, ==, HEIGHT);
  assert_duration (discover (output, NULL, NULL), 3 * N_FRAMES * FRAME_NS);
}

static void
test_gif (void)
{
  g_autofree char *dir = new_folder ("gif");
  g_autofree char *output = g_build_filename (dir, "story.gif", NULL);
  g_autoptr(KinemaExporter) exporter = story_exporter (KINEMA_EXPORT_FORMAT_GIF, output);
  g_autoptr(GError) error = NULL;
  GifFileType *gif;
  int          code = 0;
  int          total_cs = 0;
  const char  *expected[] = { "story.gif", NULL };

  kinema_exporter_run (exporter, NULL, &error);
  g_assert_no_error (error);
  assert_folder_holds (dir, expected);

  gif = DGifOpenFileName (output, &code);
  g_assert_nonnull (gif);
  g_assert_cmpint (DGifSlurp (gif), ==, GIF_OK);
  g_assert_cmpint (gif->SWidth, ==, WIDTH);
  g_assert_cmpint (gif->SHeight, ==, HEIGHT);
  g_assert_cmpint (gif->ImageCount, ==, 3 * N_FRAMES);
  for (int i = 0; i < gif->ImageCount; i++)
    {
      SavedImage          *image = &gif->SavedImages[i];
      ColorMapObject      *map = image->ImageDesc.ColorMap != NULL ? image->ImageDesc.ColorMap : gif->SColorMap;
      GraphicsControlBlock gcb;
      GifByteType          pixel;
      guint8               rgb[3];

      g_assert_cmpint (DGifSavedExtensionToGCB (gif, i, &gcb), ==, GIF_OK);
      total_cs += gcb.DelayTime;
      g_assert_nonnull (map);
      pixel = image->RasterBits[(HEIGHT / 2) * image->ImageDesc.Width + WIDTH / 2];
      rgb[0] = map->Colors[pixel].Red;
      rgb[1] = map->Colors[pixel].Green;
      rgb[2] = map->Colors[pixel].Blue;
      g_assert_cmpint (kinema_test_clip_index_of (rgb), ==, i);
    }
  /* 6 s, in hundredths. */
  g_assert_cmpint (total_cs, ==, 3 * N_FRAMES * 100 / FPS);
  DGifCloseFile (gif, &code);
}

/* Shots of different sizes are re-encoded to the first one's size. */
static void
test_mixed_sizes (void)
{
  g_autofree char *dir = new_folder ("mixed");
  g_autofree char *small = g_build_filename (dir, "small.mp4", NULL);
  g_autofree char *output = g_build_filename (dir, "story.mp4", NULL);
  const char      *paths[] = { clips[0], small, NULL };
  g_autoptr(KinemaExporter) exporter = kinema_exporter_new (paths, KINEMA_EXPORT_FORMAT_MP4, output);
  g_autoptr(GError) error = NULL;
  g_auto (Decoded) decoded = { 0 };

  g_assert_true (kinema_test_clip_make (small, N_FRAMES, N_FRAMES, FPS, 160, 120, &error));
  kinema_exporter_run (exporter, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (kinema_exporter_get_remuxed (exporter));
  decode (output, &decoded);
  assert_indices (&decoded, 0, 2 * N_FRAMES);
  g_assert_cmpint (decoded.width, ==, WIDTH);
  g_assert_cmpint (decoded.height, ==, HEIGHT);
}

/* A clip with sound next to one without: the result has sound all along. */
static void
test_sound (void)
{
  g_autofree char *dir = new_folder ("sound");
  g_autofree char *with_sound = g_build_filename (dir, "sound.mp4", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (kinema_test_clip_make_with_sound (with_sound, N_FRAMES, FPS, WIDTH, HEIGHT, &error));
  g_assert_no_error (error);

  for (KinemaExportFormat format = KINEMA_EXPORT_FORMAT_MP4; format <= KINEMA_EXPORT_FORMAT_WEBM; format++)
    {
      g_autofree char *name = g_strdup_printf ("story.%s", kinema_export_format_get_extension (format));
      g_autofree char *output = g_build_filename (dir, name, NULL);
      const char      *paths[] = { with_sound, clips[1], NULL };
      g_autoptr(KinemaExporter) exporter = kinema_exporter_new (paths, format, output);
      gboolean     has_audio = FALSE;
      GstClockTime audio_duration = 0;

      kinema_exporter_run (exporter, NULL, &error);
      g_assert_no_error (error);
      g_assert_false (kinema_exporter_get_remuxed (exporter));
      assert_duration (discover (output, &has_audio, &audio_duration), 2 * N_FRAMES * FRAME_NS);
      g_assert_true (has_audio);
      /* Encoders add a few milliseconds of priming; a missing shot would be 2 s short. */
      g_assert_cmpuint (audio_duration, >=, 2 * N_FRAMES * FRAME_NS - 100 * GST_MSECOND);
      g_assert_cmpuint (audio_duration, <=, 2 * N_FRAMES * FRAME_NS + 100 * GST_MSECOND);
    }
}

static void
fraction_cb (KinemaExporter *exporter,
             GParamSpec     *pspec,
             GCancellable   *cancellable)
{
  if (kinema_exporter_get_fraction (exporter) > 0)
    g_cancellable_cancel (cancellable);
}

static void
test_cancel (void)
{
  g_autofree char *dir = new_folder ("cancel");
  g_autofree char *long_clip = g_build_filename (tmpdir, "long.mp4", NULL);
  g_autofree char *output = g_build_filename (dir, "story.webm", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KinemaExporter) exporter = NULL;
  const char *paths[21] = { NULL };
  gboolean    saw_progress = FALSE;
  const char *nothing[] = { NULL };

  /* Two minutes of 720p: far longer than it takes to notice the first progress. */
  g_assert_true (kinema_test_clip_make (long_clip, 0, 60, 10, 1280, 720, &error));
  for (guint i = 0; i < 20; i++)
    paths[i] = long_clip;
  exporter = kinema_exporter_new (paths, KINEMA_EXPORT_FORMAT_WEBM, output);

  g_signal_connect (exporter, "notify::fraction", G_CALLBACK (fraction_cb), cancellable);
  kinema_exporter_run_async (exporter, cancellable, test_result_cb, &result);
  while (result == NULL)
    {
      g_main_context_iteration (NULL, TRUE);
      saw_progress |= g_cancellable_is_cancelled (cancellable);
    }
  g_assert_true (saw_progress);
  g_assert_false (kinema_exporter_run_finish (exporter, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_folder_holds (dir, nothing);
}

static void
test_failure (void)
{
  g_autofree char *dir = new_folder ("failure");
  g_autofree char *broken = g_build_filename (dir, "broken.mp4", NULL);
  g_autofree char *output = g_build_filename (dir, "story.mp4", NULL);
  g_autofree char *missing_dir = g_build_filename (dir, "no-such-folder", "story.mp4", NULL);
  const char      *paths[] = { clips[0], broken, NULL };
  const char      *expected[] = { "broken.mp4", NULL };
  g_autoptr(GError) error = NULL;

  /* An MP4 "ftyp" box header followed by text: looks like a clip, decodes as nothing. */
  static const char not_a_video[] = "\0\0\0\030ftypmp42 this is not a video";

  g_assert_true (g_file_set_contents (broken, not_a_video, sizeof not_a_video - 1, NULL));
  {
    g_autoptr(KinemaExporter) exporter = kinema_exporter_new (paths, KINEMA_EXPORT_FORMAT_MP4, output);

    g_assert_false (kinema_exporter_run (exporter, NULL, &error));
    g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_MEDIA);
    g_clear_error (&error);
  }
  assert_folder_holds (dir, expected);

  /* A folder that does not exist. */
  {
    g_autoptr(KinemaExporter) exporter = story_exporter (KINEMA_EXPORT_FORMAT_GIF, missing_dir);

    g_assert_false (kinema_exporter_run (exporter, NULL, &error));
    g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_DISK);
    g_clear_error (&error);
  }

  /* A trim outside the clips. */
  {
    g_autoptr(KinemaExporter) exporter = story_exporter (KINEMA_EXPORT_FORMAT_MP4, output);

    kinema_exporter_set_trim (exporter, 7 * GST_SECOND, -1);
    g_assert_false (kinema_exporter_run (exporter, NULL, &error));
    g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
  }
  assert_folder_holds (dir, expected);
}

static void
test_parse (void)
{
  KinemaExportFormat format = KINEMA_EXPORT_FORMAT_MP4;
  guint              height = 1;

  g_assert_true (kinema_export_format_from_string ("GIF", &format));
  g_assert_cmpint (format, ==, KINEMA_EXPORT_FORMAT_GIF);
  g_assert_true (kinema_export_format_from_string ("webm", &format));
  g_assert_cmpint (format, ==, KINEMA_EXPORT_FORMAT_WEBM);
  g_assert_false (kinema_export_format_from_string ("avi", &format));
  g_assert_true (kinema_export_size_from_string ("720p", &height));
  g_assert_cmpuint (height, ==, 720);
  g_assert_true (kinema_export_size_from_string ("original", &height));
  g_assert_cmpuint (height, ==, KINEMA_EXPORT_SIZE_ORIGINAL);
  g_assert_false (kinema_export_size_from_string ("4k", &height));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  tmpdir = g_dir_make_tmp ("kinema-test-export-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (clips); i++)
    {
      g_autofree char *name = g_strdup_printf ("shot%u.mp4", i + 1);

      clips[i] = g_build_filename (tmpdir, name, NULL);
      if (!kinema_test_clip_make (clips[i], i * N_FRAMES, N_FRAMES, FPS, WIDTH, HEIGHT, &error))
        g_error ("cannot make a test clip: %s", error->message);
    }

  g_test_add_func ("/kinema/export/parse", test_parse);
  g_test_add_func ("/kinema/export/mp4-remux", test_mp4_remux);
  g_test_add_func ("/kinema/export/mp4-trim-scale", test_mp4_trim_scale);
  g_test_add_func ("/kinema/export/webm", test_webm);
  g_test_add_func ("/kinema/export/gif", test_gif);
  g_test_add_func ("/kinema/export/mixed-sizes", test_mixed_sizes);
  g_test_add_func ("/kinema/export/sound", test_sound);
  g_test_add_func ("/kinema/export/cancel", test_cancel);
  g_test_add_func ("/kinema/export/failure", test_failure);
  ret = g_test_run ();

  remove_tree (tmpdir);
  return ret;
}
