/* test-story-player.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * KinemaPlayer playing a story of three clips as one (kinema_player_open_files): the
 * clips' frames encode their index (kinema-test-clip.c), the three clips hold frames
 * 0-19, 20-39 and 40-59, so the joined story must show 0..59 with nothing missing or
 * repeated at the cuts, whether stepped frame by frame, sought, looped or played.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <gst/gst.h>

#include "kinema-paintable-sink.h"
#include "kinema-player.h"
#include "kinema-test-clip.h"
#include "test-util.h"

#define FPS 10
#define PER_CLIP 20
#define N_CLIPS 3
#define N_FRAMES (PER_CLIP * N_CLIPS)

static char *tmpdir;
static char *clips[N_CLIPS + 1];

static int
shown_index (KinemaPlayer *player)
{
  g_autoptr(GdkTexture) frame = kinema_player_dup_frame (player);

  return frame != NULL ? kinema_test_texture_index (frame) : -1;
}

typedef struct
{
  KinemaPlayer *player;
  int           index;
} FrameWait;

static gboolean
shows_frame (gpointer data)
{
  FrameWait *wait = data;

  return shown_index (wait->player) == wait->index && kinema_player_get_frame_index (wait->player) == wait->index;
}

static void
assert_frame (KinemaPlayer *player,
              int           index)
{
  FrameWait wait = { player, index };

  if (!test_wait_for (shows_frame, &wait))
    g_error ("expected frame %d, the sink shows %d and the player says %" G_GINT64_FORMAT, index,
             shown_index (player), kinema_player_get_frame_index (player));
}

static gboolean
is_ready (gpointer data)
{
  KinemaPlayerState state = kinema_player_get_state (data);

  return (state == KINEMA_PLAYER_STATE_PAUSED || state == KINEMA_PLAYER_STATE_PLAYING) && shown_index (data) >= 0;
}

static KinemaPlayer *
open_story (void)
{
  KinemaPlayer *player = kinema_player_new_with_sink (KINEMA_PLAYER_SINK_OWN);

  kinema_player_open_files (player, (const char *const *) clips);
  g_assert_true (test_wait_for (is_ready, player));
  g_assert_true (g_str_has_prefix (kinema_player_get_uri (player), "splitmux://"));
  return player;
}

/* Every frame, one step at a time, across both cuts; and back. */
static void
test_step (void)
{
  g_autoptr(KinemaPlayer) player = open_story ();

  g_assert_cmpint (kinema_player_get_duration (player), ==, (gint64) N_FRAMES * GST_SECOND / FPS);
  assert_frame (player, 0);
  for (int i = 1; i < N_FRAMES; i++)
    {
      kinema_player_step (player, 1);
      assert_frame (player, i);
    }
  /* Loop is on: the story goes round. */
  kinema_player_step (player, 1);
  assert_frame (player, 0);
  kinema_player_step (player, -1);
  assert_frame (player, N_FRAMES - 1);
  for (int i = N_FRAMES - 2; i >= PER_CLIP - 2; i--)
    {
      kinema_player_step (player, -1);
      assert_frame (player, i);
    }
}

/* Scrubbing lands on the right frame in every clip, on both sides of a cut. */
static void
test_seek (void)
{
  g_autoptr(KinemaPlayer) player = open_story ();
  const int targets[] = { 45, 19, 20, 5, 39, 40, 59, 0 };

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      kinema_player_seek (player, (gint64) targets[i] * GST_SECOND / FPS);
      assert_frame (player, targets[i]);
    }
}

typedef struct
{
  KinemaPlayer *player;
  GArray       *seen; /* distinct indices, in the order shown */
  int           ended;
} Watch;

static void
on_contents (GdkPaintable *paintable,
             Watch        *watch)
{
  int index = shown_index (watch->player);

  if (index < 0)
    return;
  if (watch->seen->len == 0 || g_array_index (watch->seen, int, watch->seen->len - 1) != index)
    g_array_append_val (watch->seen, index);
}

static void
on_ended (KinemaPlayer *player,
          Watch        *watch)
{
  watch->ended++;
}

static gboolean
has_ended (gpointer data)
{
  return ((Watch *) data)->ended > 0;
}

/* Played in real time: the frames come in order across the cuts, none twice. */
static void
test_play (void)
{
  g_autoptr(KinemaPlayer) player = open_story ();
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (int));
  Watch  watch = { player, seen, 0 };
  gulong contents, ended;

  kinema_player_set_loop (player, FALSE);
  kinema_player_seek (player, 0);
  assert_frame (player, 0);
  contents = g_signal_connect (kinema_player_get_paintable (player), "invalidate-contents",
                               G_CALLBACK (on_contents), &watch);
  ended = g_signal_connect (player, "ended", G_CALLBACK (on_ended), &watch);
  kinema_player_play (player);
  g_assert_true (test_wait_for (has_ended, &watch));
  g_signal_handler_disconnect (kinema_player_get_paintable (player), contents);
  g_signal_handler_disconnect (player, ended);

  g_assert_cmpuint (seen->len, >, 0);
  for (guint i = 1; i < seen->len; i++)
    if (g_array_index (seen, int, i) <= g_array_index (seen, int, i - 1))
      g_error ("frame %d shown after frame %d", g_array_index (seen, int, i), g_array_index (seen, int, i - 1));
  g_assert_cmpint (g_array_index (seen, int, seen->len - 1), ==, N_FRAMES - 1);
  g_test_message ("%u distinct frames shown, %" G_GUINT64_FORMAT " dropped by the sink", seen->len,
                  kinema_player_get_frames_dropped (player));
  /* A frame the sink dropped as late is the machine's doing; anything else is a gap. */
  if (kinema_player_get_frames_dropped (player) == 0)
    g_assert_cmpuint (seen->len, >=, N_FRAMES - 1);
  g_assert_cmpint (kinema_player_get_position (player), ==, kinema_player_get_duration (player));
  assert_frame (player, N_FRAMES - 1);
}

static gboolean
has_wrapped (gpointer data)
{
  GArray *seen = ((Watch *) data)->seen;

  for (guint i = 1; i < seen->len; i++)
    if (g_array_index (seen, int, i - 1) >= N_FRAMES - 5 && g_array_index (seen, int, i) < 10)
      return TRUE;
  return FALSE;
}

/* Loop goes from the last clip back to the first without stopping. */
static void
test_loop (void)
{
  g_autoptr(KinemaPlayer) player = open_story ();
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (int));
  Watch  watch = { player, seen, 0 };
  gulong contents;

  kinema_player_seek (player, (gint64) 50 * GST_SECOND / FPS);
  assert_frame (player, 50);
  contents = g_signal_connect (kinema_player_get_paintable (player), "invalidate-contents",
                               G_CALLBACK (on_contents), &watch);
  kinema_player_play (player);
  g_assert_true (test_wait_for (has_wrapped, &watch));
  g_signal_handler_disconnect (kinema_player_get_paintable (player), contents);
  g_assert_cmpint (kinema_player_get_state (player), ==, KINEMA_PLAYER_STATE_PLAYING);
}

static void
on_looped (int *count)
{
  (*count)++;
}

typedef struct
{
  KinemaPlayer *player;
  int           n_frames;
  GArray       *indices;  /* int: the distinct frames shown, in order */
  GArray       *runnings; /* gint64: their running times */
  int           wraps;
} LoopWatch;

static void
on_loop_contents (GdkPaintable *paintable,
                  LoopWatch    *watch)
{
  int    index = shown_index (watch->player);
  gint64 running = kinema_paintable_sink_get_frame_running_time (KINEMA_PAINTABLE_SINK (paintable));
  int    last = watch->indices->len > 0 ? g_array_index (watch->indices, int, watch->indices->len - 1) : -1;

  if (index < 0 || index == last)
    return;
  if (index < last)
    watch->wraps++;
  g_array_append_val (watch->indices, index);
  g_array_append_val (watch->runnings, running);
}

static gboolean
wrapped_twice (gpointer data)
{
  LoopWatch *watch = data;

  return watch->wraps >= 2 && g_array_index (watch->indices, int, watch->indices->len - 1) >= 5;
}

/* Plays @paths from frame @from through two loop turns and checks every frame shown:
 * the next index each time (the first after the last one at the loop point), and the
 * running time one frame later each time, so the loop went on without a flushing
 * seek (which starts the running time again) and without a frame shown twice or
 * left out. Frames the sink dropped as late may be missing, but the running time of
 * those shown still matches their place. */
static void
check_seamless_loop (const char *const *paths,
                     int                n_frames,
                     int                from)
{
  g_autoptr(KinemaPlayer) player = kinema_player_new_with_sink (KINEMA_PLAYER_SINK_OWN);
  g_autoptr(GArray) indices = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GArray) runnings = g_array_new (FALSE, FALSE, sizeof (gint64));
  LoopWatch watch = { player, n_frames, indices, runnings, 0 };
  gint64    frame = GST_SECOND / FPS;
  int       looped = 0;
  gulong    contents;

  kinema_player_open_files (player, paths);
  g_assert_true (test_wait_for (is_ready, player));
  g_assert_true (kinema_player_get_loop (player));
  g_signal_connect_swapped (player, "looped", G_CALLBACK (on_looped), &looped);
  kinema_player_seek (player, (gint64) from * frame);
  assert_frame (player, from);
  contents = g_signal_connect (kinema_player_get_paintable (player), "invalidate-contents",
                               G_CALLBACK (on_loop_contents), &watch);
  kinema_player_play (player);
  g_assert_true (test_wait_for (wrapped_twice, &watch));
  g_signal_handler_disconnect (kinema_player_get_paintable (player), contents);
  g_assert_cmpint (looped, >=, 2);

  g_test_message ("%u frames shown over two turns, %" G_GUINT64_FORMAT " dropped by the sink", indices->len,
                  kinema_player_get_frames_dropped (player));
  for (guint i = 1; i < indices->len; i++)
    {
      int    before = g_array_index (indices, int, i - 1), after = g_array_index (indices, int, i);
      int    step = (after - before + n_frames) % n_frames;
      gint64 gap = g_array_index (runnings, gint64, i) - g_array_index (runnings, gint64, i - 1);

      if (step != 1 && kinema_player_get_frames_dropped (player) == 0)
        g_error ("frame %d shown after frame %d", after, before);
      if (gap < step * frame - GST_MSECOND || gap > step * frame + GST_MSECOND)
        g_error ("frame %d shown %" G_GINT64_FORMAT " ms after frame %d on the running time, not %" G_GINT64_FORMAT,
                 after, gap / GST_MSECOND, before, step * frame / GST_MSECOND);
    }
}

/* The story goes from its last frame to its first like from one frame to the next. */
static void
test_loop_seamless (void)
{
  check_seamless_loop ((const char *const *) clips, N_FRAMES, N_FRAMES - 10);
}

/* So does a single clip. */
static void
test_loop_seamless_clip (void)
{
  const char *one[] = { clips[0], NULL };

  check_seamless_loop (one, PER_CLIP, PER_CLIP - 5);
}

/* Seeks, pauses, steps and rate changes around the story's loop point while it may be
 * going round: its loop seeks splitmuxsrc from a streaming thread, which must never
 * wait for a seek of ours, nor ours for it. */
static void
test_loop_stress (void)
{
  g_autoptr(KinemaPlayer) player = open_story ();
  int looped = 0;

  g_signal_connect_swapped (player, "looped", G_CALLBACK (on_looped), &looped);
  for (int i = 0; i < 40; i++)
    {
      kinema_player_seek (player, (gint64) (N_FRAMES - 1 - i % 4) * GST_SECOND / FPS);
      if (i % 3 == 0)
        kinema_player_play (player);
      /* A few milliseconds of main loop. */
      for (int ms = 0; ms < i % 5 * 10; ms++)
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (1000);
        }
      if (i % 2 == 0)
        kinema_player_pause (player);
      if (i % 7 == 0)
        kinema_player_step (player, 1);
      if (i % 11 == 0)
        kinema_player_set_rate (player, i % 2 ? 2.0 : 1.0);
    }
  g_test_message ("went round %d times", looped);
  kinema_player_pause (player);
  kinema_player_set_rate (player, 1.0);
  kinema_player_seek (player, (gint64) 3 * GST_SECOND / FPS);
  assert_frame (player, 3);
  g_signal_handlers_disconnect_by_data (player, &looped);
}

/* A clip of PER_CLIP frames with a sine tone, at @path. */
static void
make_sound_clip (const char *path)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kinema_test_clip_make_with_sound (path, PER_CLIP, FPS, 160, 120, &error));
  g_assert_no_error (error);
}

static gboolean
looped_twice (gpointer data)
{
  return *(int *) data >= 2;
}

/* A clip with sound next to clips without: the story (played without its sound)
 * still goes round with loop on, and plays to its end with loop off. */
static void
test_mixed_sound (void)
{
  g_autoptr(KinemaPlayer) player = kinema_player_new_with_sink (KINEMA_PLAYER_SINK_OWN);
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (int));
  g_autofree char *sound = g_build_filename (tmpdir, "sound.mp4", NULL);
  const char      *paths[] = { sound, clips[1], clips[2], NULL };
  Watch            watch = { player, seen, 0 };
  int              looped = 0;

  make_sound_clip (sound);
  kinema_player_open_files (player, paths);
  g_assert_true (test_wait_for (is_ready, player));
  g_signal_connect_swapped (player, "looped", G_CALLBACK (on_looped), &looped);
  kinema_player_seek (player, (gint64) (N_FRAMES - 5) * GST_SECOND / FPS);
  kinema_player_play (player);
  g_assert_true (test_wait_for (looped_twice, &looped));
  g_signal_handlers_disconnect_by_data (player, &looped);

  kinema_player_set_loop (player, FALSE);
  g_signal_connect (player, "ended", G_CALLBACK (on_ended), &watch);
  kinema_player_play (player);
  g_assert_true (test_wait_for (has_ended, &watch));
  g_assert_cmpint (kinema_player_get_position (player), ==, kinema_player_get_duration (player));
  assert_frame (player, N_FRAMES - 1);
  g_signal_handlers_disconnect_by_data (player, &watch);
  g_remove (sound);
}

/* A story whose clips all have sound loops with both streams: the loop waits for the
 * end of both, and neither stalls. */
static void
test_loop_sound (void)
{
  g_autoptr(KinemaPlayer) player = kinema_player_new_with_sink (KINEMA_PLAYER_SINK_OWN);
  char *paths[N_CLIPS + 1] = { NULL };
  int   looped = 0;

  for (guint i = 0; i < N_CLIPS; i++)
    {
      g_autofree char *name = g_strdup_printf ("sound%u.mp4", i);

      paths[i] = g_build_filename (tmpdir, name, NULL);
      make_sound_clip (paths[i]);
    }
  kinema_player_open_files (player, (const char *const *) paths);
  g_assert_true (test_wait_for (is_ready, player));
  g_signal_connect_swapped (player, "looped", G_CALLBACK (on_looped), &looped);
  kinema_player_seek (player, (gint64) (N_FRAMES - 5) * GST_SECOND / FPS);
  kinema_player_play (player);
  g_assert_true (test_wait_for (looped_twice, &looped));
  g_assert_cmpint (kinema_player_get_state (player), ==, KINEMA_PLAYER_STATE_PLAYING);
  g_assert_cmpint (kinema_player_get_position (player), <, kinema_player_get_duration (player));
  g_signal_handlers_disconnect_by_data (player, &looped);
  for (guint i = 0; i < N_CLIPS; i++)
    {
      g_remove (paths[i]);
      g_free (paths[i]);
    }
}

static void
test_missing_clip (void)
{
  g_autoptr(KinemaPlayer) player = kinema_player_new_with_sink (KINEMA_PLAYER_SINK_OWN);
  g_autofree char *missing = g_build_filename (tmpdir, "gone.mp4", NULL);
  const char      *paths[] = { clips[0], missing, NULL };

  kinema_player_open_files (player, paths);
  g_assert_cmpint (kinema_player_get_state (player), ==, KINEMA_PLAYER_STATE_ERROR);
  g_assert_nonnull (kinema_player_get_error (player));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  tmpdir = g_dir_make_tmp ("kinema-test-story-player-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_CLIPS; i++)
    {
      g_autofree char *name = g_strdup_printf ("shot%u.mp4", i + 1);

      clips[i] = g_build_filename (tmpdir, name, NULL);
      if (!kinema_test_clip_make (clips[i], i * PER_CLIP, PER_CLIP, FPS, 160, 120, &error))
        g_error ("cannot make a test clip: %s", error->message);
    }

  g_test_add_func ("/kinema/story-player/step", test_step);
  g_test_add_func ("/kinema/story-player/seek", test_seek);
  g_test_add_func ("/kinema/story-player/play", test_play);
  g_test_add_func ("/kinema/story-player/loop", test_loop);
  g_test_add_func ("/kinema/story-player/loop-seamless", test_loop_seamless);
  g_test_add_func ("/kinema/story-player/loop-seamless-clip", test_loop_seamless_clip);
  g_test_add_func ("/kinema/story-player/mixed-sound", test_mixed_sound);
  g_test_add_func ("/kinema/story-player/loop-sound", test_loop_sound);
  g_test_add_func ("/kinema/story-player/loop-stress", test_loop_stress);
  g_test_add_func ("/kinema/story-player/missing-clip", test_missing_clip);
  ret = g_test_run ();

  for (guint i = 0; i < N_CLIPS; i++)
    {
      g_remove (clips[i]);
      g_free (clips[i]);
    }
  g_rmdir (tmpdir);
  g_free (tmpdir);
  return ret;
}
