/* kinema-bench-video.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   kinema-bench-video first-frame kinema|gtkvideo [--quick]
 *     Time from opening a 720p30 H.264 clip to its first frame painted in a window:
 *     Kinema's player (KinemaPlayer's paintable in a GtkPicture, as the player view
 *     shows it) against GtkVideo on the same clip. Prints `first-video-frame-ms:`.
 *
 *   kinema-bench-video steady kinema [--quick]
 *     Plays the 10-second clip once through and prints `dropped-frames:` (frames the
 *     sink dropped as late) and `frames-shown:`.
 *
 * The clip is made once with GStreamer (videotestsrc, x264) and kept in the temporary
 * folder; making it is not timed.
 */

#include "config.h"

#include <adwaita.h>
#include <gst/gst.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "kinema-player.h"

static GMainLoop *loop;
static gint64     t_open;
static double     first_frame_ms = -1;

static char *
ensure_clip (void)
{
  g_autofree char *name = g_strdup_printf ("kinema-bench-720p30-%u.mp4", (guint) getuid ());
  char            *path = g_build_filename (g_get_tmp_dir (), name, NULL);
  g_autofree char *tmp = g_strconcat (path, ".tmp", NULL);
  g_autofree char *pipeline = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) element = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) msg = NULL;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return path;

  pipeline = g_strdup_printf ("videotestsrc num-buffers=300 pattern=smpte ! "
                              "video/x-raw,width=1280,height=720,framerate=30/1 ! timeoverlay font-desc=\"Sans 48\" ! "
                              "videoconvert ! x264enc speed-preset=veryfast key-int-max=30 ! "
                              "video/x-h264,profile=high ! mp4mux ! filesink location=\"%s\"",
                              tmp);
  element = gst_parse_launch (pipeline, &error);
  if (element == NULL)
    g_error ("making the clip: %s", error->message);
  gst_element_set_state (element, GST_STATE_PLAYING);
  bus = gst_element_get_bus (element);
  msg = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
    {
      gst_message_parse_error (msg, &error, NULL);
      g_error ("making the clip: %s", error->message);
    }
  gst_element_set_state (element, GST_STATE_NULL);
  if (g_rename (tmp, path) != 0)
    g_error ("cannot keep %s", path);
  return path;
}

static gboolean
quit_idle (gpointer data)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static void
after_paint (GdkFrameClock *clock,
             gpointer       data)
{
  first_frame_ms = (g_get_monotonic_time () - t_open) / 1000.0;
  g_signal_handlers_disconnect_by_func (clock, after_paint, data);
  g_idle_add (quit_idle, NULL);
}

/* The paintable has a picture now: the frame is on screen after the next paint. */
static void
on_invalidate_contents (GdkPaintable *paintable,
                        GtkWidget    *widget)
{
  if (gdk_paintable_get_intrinsic_width (paintable) <= 0)
    return;
  g_signal_handlers_disconnect_by_func (paintable, on_invalidate_contents, widget);
  g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint", G_CALLBACK (after_paint), NULL);
}

static void
first_frame (const char *clip,
             gboolean    gtkvideo)
{
  g_autoptr(GFile) file = g_file_new_for_path (clip);
  g_autoptr(KinemaPlayer) player = NULL;
  GtkWidget    *window = gtk_window_new ();
  GtkWidget    *widget;
  GdkPaintable *paintable;

  gtk_window_set_default_size (GTK_WINDOW (window), 960, 600);
  gtk_window_present (GTK_WINDOW (window));
  /* Wait for the window to be up, so only the clip is timed. */
  while (!gtk_widget_get_mapped (window))
    g_main_context_iteration (NULL, TRUE);

  t_open = g_get_monotonic_time ();
  if (gtkvideo)
    {
      GtkMediaStream *stream = gtk_media_file_new_for_file (file);

      widget = gtk_video_new ();
      gtk_video_set_media_stream (GTK_VIDEO (widget), stream);
      paintable = GDK_PAINTABLE (stream);
      gtk_media_stream_play (stream);
      g_object_unref (stream);
    }
  else
    {
      player = kinema_player_new ();
      paintable = kinema_player_get_paintable (player);
      widget = gtk_picture_new_for_paintable (paintable);
      kinema_player_open_file (player, file);
      kinema_player_play (player);
    }
  g_signal_connect (paintable, "invalidate-contents", G_CALLBACK (on_invalidate_contents), widget);
  gtk_window_set_child (GTK_WINDOW (window), widget);
  g_main_loop_run (loop);

  g_print ("first-video-frame-ms: %.2f\n", first_frame_ms);
  if (player != NULL)
    kinema_player_close (player);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
steady_done (gpointer data)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static void
steady (const char *clip,
        gboolean    quick)
{
  g_autoptr(GFile) file = g_file_new_for_path (clip);
  g_autoptr(KinemaPlayer) player = kinema_player_new ();
  GtkWidget *window = gtk_window_new ();
  GtkWidget *picture = gtk_picture_new_for_paintable (kinema_player_get_paintable (player));
  guint      seconds = quick ? 3 : 10;

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 760);
  gtk_window_set_child (GTK_WINDOW (window), picture);
  gtk_window_present (GTK_WINDOW (window));
  kinema_player_set_loop (player, TRUE);
  kinema_player_open_file (player, file);
  kinema_player_play (player);
  /* Steady playback: from the second after it started, for @seconds. */
  while (kinema_player_get_state (player) != KINEMA_PLAYER_STATE_PLAYING)
    {
      if (kinema_player_get_state (player) == KINEMA_PLAYER_STATE_ERROR)
        g_error ("%s", kinema_player_get_error (player)->message);
      g_main_context_iteration (NULL, TRUE);
    }
  {
    guint64 shown0, dropped0;

    g_timeout_add (1000, steady_done, NULL);
    g_main_loop_run (loop);
    shown0 = kinema_player_get_frames_shown (player);
    dropped0 = kinema_player_get_frames_dropped (player);
    g_timeout_add (seconds * 1000, steady_done, NULL);
    g_main_loop_run (loop);
    g_print ("seconds: %u\nframes-shown: %" G_GUINT64_FORMAT "\ndropped-frames: %" G_GUINT64_FORMAT "\n", seconds,
             kinema_player_get_frames_shown (player) - shown0, kinema_player_get_frames_dropped (player) - dropped0);
    g_print ("sink: %s\n", kinema_player_get_sink (player) == KINEMA_PLAYER_SINK_GTK4 ? "gtk4paintablesink" : "own");
  }
  kinema_player_close (player);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *clip = NULL;
  const char      *what = argc > 1 ? argv[1] : "first-frame";
  const char      *who = argc > 2 ? argv[2] : "kinema";
  gboolean         quick = argc > 3 && g_str_equal (argv[3], "--quick");

  gst_init (NULL, NULL);
  clip = ensure_clip ();
  gtk_init ();
  adw_init ();
  loop = g_main_loop_new (NULL, FALSE);

  if (g_str_equal (what, "first-frame"))
    first_frame (clip, g_str_equal (who, "gtkvideo"));
  else if (g_str_equal (what, "steady"))
    steady (clip, quick);
  else
    g_error ("unknown measurement %s", what);
  return 0;
}
