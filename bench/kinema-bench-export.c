/* kinema-bench-export.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   kinema-bench-export kinema [--quick]
 *     Exports 60 s of 720p30 H.264 (a story of two 30 s clips) to MP4 with
 *     KinemaExporter, re-encoding (the trim forces it), and prints `realtime-factor:`
 *     (seconds of video per second of wall time) and `export-s:`.
 *
 *   kinema-bench-export decode [--quick]
 *     The baseline: a plain decode of the same two clips (filesrc ! decodebin !
 *     fakesink sync=false, as gst-launch would run it), same figures.
 *
 * The clips are made once with GStreamer (videotestsrc, x264) and kept in the
 * temporary folder; making them is not timed. --quick uses 2 × 3 s.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <unistd.h>

#include "kinema-exporter.h"

static char *
ensure_clip (guint seconds,
             guint pattern)
{
  g_autofree char *name = g_strdup_printf ("kinema-bench-export-%us-%u-%u.mp4", seconds, pattern, (guint) getuid ());
  char            *path = g_build_filename (g_get_tmp_dir (), name, NULL);
  g_autofree char *tmp = g_strconcat (path, ".tmp", NULL);
  g_autofree char *description = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) msg = NULL;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return path;
  description = g_strdup_printf ("videotestsrc num-buffers=%u pattern=%u ! "
                                 "video/x-raw,width=1280,height=720,framerate=30/1 ! timeoverlay ! "
                                 "videoconvert ! x264enc speed-preset=veryfast key-int-max=60 ! "
                                 "video/x-h264,profile=high ! h264parse ! mp4mux ! filesink location=\"%s\"",
                                 seconds * 30, pattern, tmp);
  pipeline = gst_parse_launch (description, &error);
  if (pipeline == NULL)
    g_error ("making the clip: %s", error->message);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
    {
      gst_message_parse_error (msg, &error, NULL);
      g_error ("making the clip: %s", error->message);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  if (g_rename (tmp, path) != 0)
    g_error ("cannot rename %s", tmp);
  return path;
}

static void
decode (const char *path)
{
  g_autofree char *location = g_strescape (path, NULL);
  g_autofree char *description =
      g_strdup_printf ("filesrc location=\"%s\" ! decodebin ! fakesink sync=false", location);
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = gst_parse_launch (description, &error);
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) msg = NULL;

  if (pipeline == NULL)
    g_error ("decode: %s", error->message);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
    g_error ("decode failed");
  gst_element_set_state (pipeline, GST_STATE_NULL);
}

int
main (int   argc,
      char *argv[])
{
  gboolean         quick = argc > 2 && g_str_equal (argv[2], "--quick");
  guint            seconds = quick ? 3 : 30;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  gint64           start;
  double           elapsed;

  gst_init (NULL, NULL);
  if (argc < 2 || (!g_str_equal (argv[1], "kinema") && !g_str_equal (argv[1], "decode")))
    {
      g_printerr ("usage: kinema-bench-export kinema|decode [--quick]\n");
      return 2;
    }
  first = ensure_clip (seconds, 0);
  second = ensure_clip (seconds, 18);

  start = g_get_monotonic_time ();
  if (g_str_equal (argv[1], "decode"))
    {
      decode (first);
      decode (second);
    }
  else
    {
      const char      *paths[] = { first, second, NULL };
      g_autofree char *output = g_build_filename (g_get_tmp_dir (), "kinema-bench-export-out.mp4", NULL);
      g_autoptr(KinemaExporter) exporter = kinema_exporter_new (paths, KINEMA_EXPORT_FORMAT_MP4, output);
      g_autoptr(GError) error = NULL;

      /* A trim over the whole story: re-encoded, not remuxed. */
      kinema_exporter_set_trim (exporter, 0, (gint64) 2 * seconds * GST_SECOND);
      if (!kinema_exporter_run (exporter, NULL, &error))
        g_error ("export: %s", error->message);
      if (kinema_exporter_get_remuxed (exporter))
        g_error ("export: remuxed, the benchmark wants the encoder");
      g_unlink (output);
    }
  elapsed = (g_get_monotonic_time () - start) / 1e6;
  g_print ("export-s: %.3f\n", elapsed);
  g_print ("realtime-factor: %.3f\n", 2.0 * seconds / elapsed);
  return 0;
}
