/* test-player.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The player's pipeline without a display: the test clip's frames are solid colours
 * that encode their index (kinema-test-clip.h), so every check reads the frame the
 * sink actually handed over. Waits have generous deadlines that only catch hangs.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <string.h>

#include "kinema-error.h"
#include "kinema-media-error.h"
#include "kinema-player.h"
#include "kinema-test-clip.h"
#include "test-util.h"

#define FPS 24
#define N_FRAMES 48

static char            *tmpdir;
static char            *clip_path;
static KinemaPlayerSink sink_kind = KINEMA_PLAYER_SINK_OWN;

/* The index of the frame the sink shows, or -1. */
static int
shown_index (KinemaPlayer *player)
{
  g_autoptr(GdkTexture) frame = kinema_player_dup_frame (player);

  return frame != NULL ? kinema_test_texture_index (frame) : -1;
}

typedef struct
{
  KinemaPlayer *player;
  int           colour; /* the colour index the frame shows */
  int           index;  /* its index in the clip */
} FrameWait;

static gboolean
shows_frame (gpointer data)
{
  FrameWait *wait = data;

  return shown_index (wait->player) == wait->colour &&
         kinema_player_get_frame_index (wait->player) == wait->index;
}

/* Frame @index of a clip whose first frame has colour @first. */
static void
assert_clip_frame (KinemaPlayer *player,
                   int           first,
                   int           index)
{
  FrameWait wait = { player, first + index, index };

  if (!test_wait_for (shows_frame, &wait))
    g_error ("expected frame %d, the sink shows colour %d and the player says %" G_GINT64_FORMAT, index,
             shown_index (player), kinema_player_get_frame_index (player));
}

static void
assert_frame (KinemaPlayer *player,
              int           index)
{
  FrameWait wait = { player, index, index };

  if (!test_wait_for (shows_frame, &wait))
    g_error ("expected frame %d, the sink shows %d and the player says %" G_GINT64_FORMAT " (%" G_GINT64_FORMAT
             " ns)",
             index, shown_index (player), kinema_player_get_frame_index (player),
             kinema_player_get_position (player));
}

static gboolean
is_ready (gpointer data)
{
  KinemaPlayerState state = kinema_player_get_state (data);

  return (state == KINEMA_PLAYER_STATE_PAUSED || state == KINEMA_PLAYER_STATE_PLAYING) && shown_index (data) >= 0;
}

static gboolean
is_error (gpointer data)
{
  return kinema_player_get_state (data) == KINEMA_PLAYER_STATE_ERROR;
}

static KinemaPlayer *
open_clip (const char *path)
{
  KinemaPlayer *player = kinema_player_new_with_sink (sink_kind);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  kinema_player_open_file (player, file);
  g_assert_cmpint (kinema_player_get_state (player), ==, KINEMA_PLAYER_STATE_LOADING);
  g_assert_true (test_wait_for (is_ready, player));
  return player;
}

static void
test_open (void)
{
  g_autoptr(KinemaPlayer) player = open_clip (clip_path);
  GdkPaintable *paintable = kinema_player_get_paintable (player);

  g_assert_cmpint (kinema_player_get_sink (player), ==, sink_kind);
  g_assert_cmpint (kinema_player_get_state (player), ==, KINEMA_PLAYER_STATE_PAUSED);
  g_assert_true (kinema_player_get_loop (player));
  g_assert_cmpint (kinema_player_get_width (player), ==, 160);
  g_assert_cmpint (kinema_player_get_height (player), ==, 120);
  g_assert_cmpfloat_with_epsilon (kinema_player_get_framerate (player), FPS, 0.001);
  g_assert_cmpint (kinema_player_get_duration (player), ==, (gint64) N_FRAMES * GST_SECOND / FPS);
  g_assert_null (kinema_player_get_error (player));
  assert_frame (player, 0);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), ==, 160);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (paintable), ==, 120);
}

static void
test_seek (void)
{
  g_autoptr(KinemaPlayer) player = open_clip (clip_path);

  kinema_player_seek (player, GST_SECOND);
  assert_frame (player, 24);
  g_assert_cmpint (kinema_player_get_position (player), ==, GST_SECOND);

  /* Inside a frame's time: that frame. */
  kinema_player_seek (player, GST_SECOND / 2 + 10 * GST_MSECOND);
  assert_frame (player, 12);

  /* A burst (a dragged scrub bar) ends on the last one asked. */
  for (int i = 1; i <= 8; i++)
    kinema_player_seek (player, i * GST_SECOND / 6);
  kinema_player_seek (player, (gint64) 37 * GST_SECOND / FPS);
  assert_frame (player, 37);

  /* Past the end: the last frame. */
  kinema_player_seek (player, 10 * GST_SECOND);
  assert_frame (player, N_FRAMES - 1);
}

static void
test_step (void)
{
  g_autoptr(KinemaPlayer) player = open_clip (clip_path);

  kinema_player_seek (player, (gint64) 10 * GST_SECOND / FPS);
  assert_frame (player, 10);
  kinema_player_step (player, 1);
  assert_frame (player, 11);
  kinema_player_step (player, 1);
  assert_frame (player, 12);
  kinema_player_step (player, -1);
  assert_frame (player, 11);
  kinema_player_step (player, -1);
  assert_frame (player, 10);

  /* Looping goes round both ways. */
  kinema_player_seek (player, 0);
  assert_frame (player, 0);
  kinema_player_step (player, -1);
  assert_frame (player, N_FRAMES - 1);
  kinema_player_step (player, 1);
  assert_frame (player, 0);

  /* Without loop the ends hold. */
  kinema_player_set_loop (player, FALSE);
  kinema_player_step (player, -1);
  spin (300);
  assert_frame (player, 0);

  /* Stepping pauses a playing clip. */
  kinema_player_play (player);
  spin (200);
  kinema_player_step (player, 1);
  g_assert_cmpint (kinema_player_get_state (player), ==, KINEMA_PLAYER_STATE_PAUSED);
}

static void
on_count (gpointer user_data)
{
  (*(int *) user_data)++;
}

typedef struct
{
  KinemaPlayer *player;
  int           max_before; /* highest frame seen before the restart */
  gboolean      restarted;  /* an early frame came after a late one */
} LoopWatch;

static void
on_contents (GdkPaintable *paintable,
             LoopWatch    *watch)
{
  int index = shown_index (watch->player);

  if (watch->restarted || index < 0)
    return;
  if (watch->max_before >= 44 && index < 12)
    watch->restarted = TRUE;
  else
    watch->max_before = MAX (watch->max_before, index);
}

static gboolean
has_restarted (gpointer data)
{
  return ((LoopWatch *) data)->restarted;
}

static gboolean
is_count_positive (gpointer data)
{
  return *(int *) data > 0;
}

static void
test_loop (void)
{
  g_autoptr(KinemaPlayer) player = open_clip (clip_path);
  int       looped = 0, ended = 0;
  LoopWatch watch = { player, -1, FALSE };
  gulong    handler;

  g_signal_connect_swapped (player, "looped", G_CALLBACK (on_count), &looped);
  g_signal_connect_swapped (player, "ended", G_CALLBACK (on_count), &ended);

  /* Play from near the end: the last frames show, then the first ones again. */
  kinema_player_seek (player, (gint64) 40 * GST_SECOND / FPS);
  assert_frame (player, 40);
  handler = g_signal_connect (kinema_player_get_paintable (player), "invalidate-contents",
                              G_CALLBACK (on_contents), &watch);
  kinema_player_play (player);
  g_assert_true (test_wait_for (has_restarted, &watch));
  g_signal_handler_disconnect (kinema_player_get_paintable (player), handler);
  g_assert_cmpint (looped, >=, 1);
  g_assert_cmpint (kinema_player_get_state (player), ==, KINEMA_PLAYER_STATE_PLAYING);
  g_assert_cmpint (ended, ==, 0);

  /* Loop off: it stops at the end, on the last frame. */
  kinema_player_set_loop (player, FALSE);
  kinema_player_seek (player, (gint64) 40 * GST_SECOND / FPS);
  g_assert_true (test_wait_for (is_count_positive, &ended));
  g_assert_cmpint (kinema_player_get_state (player), ==, KINEMA_PLAYER_STATE_PAUSED);
  g_assert_cmpint (kinema_player_get_position (player), ==, kinema_player_get_duration (player));
  assert_frame (player, N_FRAMES - 1);

  /* Play again starts over. */
  kinema_player_play (player);
  g_assert_cmpint (kinema_player_get_state (player), ==, KINEMA_PLAYER_STATE_PLAYING);
  spin (100);
  g_assert_cmpint (kinema_player_get_frame_index (player), <, 30);
}

/* Media time played during @ms of wall time at @rate, from the start. */
static gint64
advance_at_rate (KinemaPlayer *player,
                 double        rate,
                 guint         ms)
{
  gint64 start;

  kinema_player_pause (player);
  kinema_player_set_rate (player, rate);
  kinema_player_seek (player, 0);
  assert_frame (player, 0);
  start = kinema_player_get_position (player);
  kinema_player_play (player);
  spin (ms);
  kinema_player_pause (player);
  spin (50);
  return kinema_player_get_position (player) - start;
}

static void
test_rate (void)
{
  g_autoptr(KinemaPlayer) player = open_clip (clip_path);
  gint64 fast, slow;

  kinema_player_set_loop (player, FALSE);
  kinema_player_set_rate (player, 5.0);
  g_assert_cmpfloat (kinema_player_get_rate (player), ==, KINEMA_PLAYER_MAX_RATE);
  kinema_player_set_rate (player, 0.1);
  g_assert_cmpfloat (kinema_player_get_rate (player), ==, KINEMA_PLAYER_MIN_RATE);

  /* Loose on purpose: 2x should cover four times what 0.5x does in the same time;
   * only twice is asked, so a loaded machine does not fail it. */
  fast = advance_at_rate (player, 2.0, 400);
  slow = advance_at_rate (player, 0.5, 400);
  g_test_message ("400 ms at 2x: %" G_GINT64_FORMAT " ms of video; at 0.5x: %" G_GINT64_FORMAT " ms",
                  fast / GST_MSECOND, slow / GST_MSECOND);
  g_assert_cmpint (slow, >, 0);
  g_assert_cmpint (fast, >, 2 * slow);
  g_assert_cmpfloat (kinema_player_get_rate (player), ==, 0.5);
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
test_save_frame_png (void)
{
  g_autoptr(KinemaPlayer) player = open_clip (clip_path);
  g_autofree char *png = g_build_filename (tmpdir, "saved", "frame.png", NULL);
  g_autoptr(GdkTexture) saved = NULL;
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;

  kinema_player_seek (player, (gint64) 20 * GST_SECOND / FPS);
  assert_frame (player, 20);
  kinema_player_save_frame_async (player, png, NULL, test_result_cb, &result);
  g_assert_true (test_wait_for (has_result, &result));
  g_assert_true (kinema_player_save_frame_finish (player, result, &error));
  g_assert_no_error (error);
  g_object_unref (result);

  saved = gdk_texture_new_from_filename (png, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (saved), ==, 160);
  g_assert_cmpint (gdk_texture_get_height (saved), ==, 120);
  g_assert_cmpint (kinema_test_texture_index (saved), ==, 20);
}

static void
on_error (KinemaPlayer *player,
          const GError *error,
          gpointer      user_data)
{
  GError **out = user_data;

  g_clear_error (out);
  *out = g_error_copy (error);
}

static void
assert_open_fails (const char *path,
                   const char *expected)
{
  g_autoptr(KinemaPlayer) player = kinema_player_new_with_sink (sink_kind);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_signal_connect (player, "error", G_CALLBACK (on_error), &error);
  kinema_player_open_file (player, file);
  g_assert_true (test_wait_for (is_error, player));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_MEDIA);
  g_assert_error (kinema_player_get_error (player), KINEMA_ERROR, KINEMA_ERROR_MEDIA);
  g_test_message ("%s: %s", path, error->message);
  if (strstr (error->message, expected) == NULL)
    g_error ("“%s” does not say “%s”", error->message, expected);
  /* Nothing to play: play and seek are ignored, no hang, no crash. */
  kinema_player_play (player);
  kinema_player_seek (player, GST_SECOND);
  g_assert_cmpint (kinema_player_get_state (player), ==, KINEMA_PLAYER_STATE_ERROR);
}

static void
test_bad_files (void)
{
  g_autofree char *truncated = g_build_filename (tmpdir, "truncated.mp4", NULL);
  g_autofree char *garbage = g_build_filename (tmpdir, "garbage.mp4", NULL);
  g_autofree char *text = g_build_filename (tmpdir, "notes.txt", NULL);
  g_autofree char *audio = g_build_filename (tmpdir, "sound.ogg", NULL);
  g_autofree char *missing = g_build_filename (tmpdir, "nowhere.mp4", NULL);
  g_autofree char *empty = g_build_filename (tmpdir, "empty.mp4", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *pipeline = NULL;
  gsize            length;

  g_assert_true (g_file_get_contents (clip_path, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (truncated, contents, (gssize) length * 2 / 3, NULL));
  assert_open_fails (truncated, "damaged or incomplete");

  /* The MP4 header, then noise. */
  for (gsize i = 64; i < length; i++)
    contents[i] = (char) g_random_int ();
  g_assert_true (g_file_set_contents (garbage, contents, (gssize) length, NULL));
  assert_open_fails (garbage, "damaged or incomplete");

  g_assert_true (g_file_set_contents (text, "Just some words, not a video at all.\n", -1, NULL));
  assert_open_fails (text, "not a video");

  pipeline = g_strdup_printf ("audiotestsrc num-buffers=20 ! audioconvert ! vorbisenc ! oggmux ! "
                              "filesink location=\"%s\"",
                              audio);
  {
    g_autoptr(GstElement) p = gst_parse_launch (pipeline, NULL);
    g_autoptr(GstBus) bus = gst_element_get_bus (p);
    g_autoptr(GstMessage) msg = NULL;

    gst_element_set_state (p, GST_STATE_PLAYING);
    msg = gst_bus_timed_pop_filtered (bus, 20 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
    g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_EOS);
    gst_element_set_state (p, GST_STATE_NULL);
  }
  assert_open_fails (audio, "not a video");

  assert_open_fails (missing, "missing");
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  assert_open_fails (empty, "empty");
}

static void
test_package_names (void)
{
  g_assert_cmpstr (kinema_media_package_for_detail ("gstreamer|1.0|kinema|H.264 (Main Profile) decoder|"
                                                    "decoder-video/x-h264, stream-format=(string)avc, "
                                                    "alignment=(string)au, profile=(string)main"),
                   ==, "gstreamer1.0-libav");
  g_assert_cmpstr (kinema_media_package_for_detail ("gstreamer|1.0|kinema|VP9 decoder|decoder-video/x-vp9"), ==,
                   "gstreamer1.0-plugins-good");
  g_assert_cmpstr (kinema_media_package_for_detail ("gstreamer|1.0|kinema|AV1 decoder|decoder-video/x-av1"), ==,
                   "gstreamer1.0-plugins-bad");
  g_assert_cmpstr (kinema_media_package_for_detail ("gstreamer|1.0|kinema|MPEG-4 AAC decoder|"
                                                    "decoder-audio/mpeg, mpegversion=(int)4"),
                   ==, "gstreamer1.0-libav");
  g_assert_cmpstr (kinema_media_package_for_detail ("gstreamer|1.0|kinema|MP3 decoder|"
                                                    "decoder-audio/mpeg, mpegversion=(int)1, layer=(int)3"),
                   ==, "gstreamer1.0-plugins-good");
  g_assert_cmpstr (kinema_media_package_for_detail ("gstreamer|1.0|kinema|QuickTime demuxer|"
                                                    "decoder-video/quicktime"),
                   ==, "gstreamer1.0-plugins-good");
  g_assert_cmpstr (kinema_media_package_for_detail ("gstreamer|1.0|kinema|x264enc|element-x264enc"), ==,
                   "gstreamer1.0-plugins-ugly");
  g_assert_null (kinema_media_package_for_detail ("gstreamer|1.0|kinema|Foo|decoder-video/x-foo"));
  g_assert_null (kinema_media_package_for_detail ("gstreamer|1.0"));
}

static void
test_missing_decoder (void)
{
  if (g_test_subprocess ())
    {
      GstRegistry *registry;
      g_autoptr(KinemaPlayer) player = NULL;
      g_autoptr(GFile) file = g_file_new_for_path (clip_path);
      g_autoptr(GError) error = NULL;
      const char *decoders[] = { "avdec_h264", "openh264dec", "vah264dec", "vaapih264dec", "v4l2h264dec",
                                 "nvh264dec", "nvh264sldec", "avdec_h264_v4l2m2m" };

      /* This process only: a machine without any H.264 decoder. */
      registry = gst_registry_get ();
      for (guint i = 0; i < G_N_ELEMENTS (decoders); i++)
        {
          GstPluginFeature *feature = gst_registry_lookup_feature (registry, decoders[i]);

          if (feature != NULL)
            {
              gst_registry_remove_feature (registry, feature);
              gst_object_unref (feature);
            }
        }
      player = kinema_player_new_with_sink (sink_kind);
      g_signal_connect (player, "error", G_CALLBACK (on_error), &error);
      kinema_player_open_file (player, file);
      g_assert_true (test_wait_for (is_error, player));
      g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_MEDIA);
      g_print ("%s\n", error->message);
      return;
    }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*decoder*not installed*H.264*gstreamer1.0-libav*");
}

static void
test_reopen_and_dispose_while_playing (void)
{
  g_autofree char *other = g_build_filename (tmpdir, "other.mp4", NULL);
  g_autoptr(GError) error = NULL;
  KinemaPlayer *player;
  g_autoptr(GFile) file = g_file_new_for_path (other);
  GdkPaintable *paintable;

  g_assert_true (kinema_test_clip_make (other, 50, 10, FPS, 96, 64, &error));
  g_assert_no_error (error);

  player = open_clip (clip_path);
  paintable = g_object_ref (kinema_player_get_paintable (player));
  kinema_player_play (player);
  spin (300);

  /* The next clip replaces the first one while it plays. */
  kinema_player_open_file (player, file);
  g_assert_true (test_wait_for (is_ready, player));
  assert_clip_frame (player, 50, 0);
  g_assert_cmpint (kinema_player_get_width (player), ==, 96);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), ==, 96);
  kinema_player_play (player);
  spin (200);

  /* Gone while frames are in flight: the streaming threads stop first, and frame
   * callbacks already queued only touch the paintable, which the caller still holds. */
  g_object_unref (player);
  spin (200);
  g_object_unref (paintable);
  spin (50);
}

/* Seeks, pauses and steps around the loop point while the demuxer may be going round:
 * the loop's seek runs on a streaming thread and must never wait for the main thread. */
static void
test_loop_stress (void)
{
  g_autoptr(KinemaPlayer) player = open_clip (clip_path);

  for (int i = 0; i < 40; i++)
    {
      kinema_player_seek (player, (gint64) (N_FRAMES - 1 - i % 4) * GST_SECOND / FPS);
      if (i % 3 == 0)
        kinema_player_play (player);
      spin (i % 5 * 10);
      if (i % 2 == 0)
        kinema_player_pause (player);
      if (i % 7 == 0)
        kinema_player_step (player, 1);
      if (i % 11 == 0)
        kinema_player_set_rate (player, i % 2 ? 2.0 : 1.0);
    }
  kinema_player_pause (player);
  kinema_player_set_rate (player, 1.0);
  kinema_player_seek (player, (gint64) 3 * GST_SECOND / FPS);
  assert_frame (player, 3);
}

static void
test_gtk4_sink (void)
{
  if (!kinema_player_sink_is_available (KINEMA_PLAYER_SINK_GTK4))
    {
      g_test_skip ("gtk4paintablesink (gst-plugins-rs) is not installed; the own sink covers playback");
      return;
    }
  g_test_skip ("gtk4paintablesink needs a display: covered by test-player-view");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  gst_init (&argc, &argv);

  tmpdir = g_dir_make_tmp ("kinema-player-XXXXXX", &error);
  g_assert_no_error (error);
  clip_path = g_build_filename (tmpdir, "clip.mp4", NULL);
  g_assert_true (kinema_test_clip_make (clip_path, 0, N_FRAMES, FPS, 160, 120, &error));
  g_assert_no_error (error);

  g_test_add_func ("/kinema/player/open", test_open);
  g_test_add_func ("/kinema/player/seek", test_seek);
  g_test_add_func ("/kinema/player/step", test_step);
  g_test_add_func ("/kinema/player/loop", test_loop);
  g_test_add_func ("/kinema/player/rate", test_rate);
  g_test_add_func ("/kinema/player/loop-stress", test_loop_stress);
  g_test_add_func ("/kinema/player/save-frame", test_save_frame_png);
  g_test_add_func ("/kinema/player/bad-files", test_bad_files);
  g_test_add_func ("/kinema/player/package-names", test_package_names);
  g_test_add_func ("/kinema/player/missing-decoder", test_missing_decoder);
  g_test_add_func ("/kinema/player/reopen-and-dispose", test_reopen_and_dispose_while_playing);
  g_test_add_func ("/kinema/player/gtk4-sink", test_gtk4_sink);

  ret = g_test_run ();

  remove_tree (tmpdir);
  g_free (clip_path);
  g_free (tmpdir);
  return ret;
}
