/* kinema-player.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One playbin per player, reused for every clip. The bus is watched on the main
 * context; the video sink hands frames over on its own (kinema-paintable-sink.c).
 *
 * Looping is seamless: while loop is on, every flushing seek is a segment seek, and
 * at SEGMENT_DONE a non-flushing segment seek back to the start keeps the running
 * time going, so the first frame follows the last without a flush or a re-preroll.
 * That seek is sent from the demuxer's own streaming thread, in a bus sync handler:
 * from the main thread a non-flushing seek would block until the demuxer's queued data
 * drained, forever while paused. Switching loop on or off re-seeks (flushing) where the
 * clip is, so a segment never ends without loop and EOS always means the end.
 *
 * Accurate seeks are folded: while one is in flight (until ASYNC_DONE) only the newest
 * request is kept and sent next. The "state" property follows what the user asked
 * for (playing or paused), not playbin's transient states during a flushing seek.
 *
 * A story (several clips, kinema_player_open_files) plays through splitmuxsrc, which
 * playbin makes for a "splitmux://" URI: its "format-location" signal hands it our
 * list of files, and it joins them into one stream with continuous times. Seeks and
 * frame steps see one timeline, so they cross the cuts like any other frame, and the
 * next clip is prerolled before the previous one ends (gapless).
 *
 * splitmuxsrc (GStreamer 1.22, gst/multifile/gstsplitmuxsrc.c) takes only flushing
 * seeks ("Only flushing seeks supported") and a segment seek ends it after its first
 * file, so a story loops another way with the same result downstream: at the end of
 * its last file a probe on each of splitmuxsrc's pads turns the EOS into a
 * segment-done event (the decoders drain on it, as at a segment seek's end), and once
 * every pad is there it seeks splitmuxsrc back to the start from that streaming
 * thread; the probes drop that seek's flush events (and the stream-start it sends
 * again), so nothing after splitmuxsrc flushes or prerolls.
 *
 * Either way the first frame's new segment gets its base from us: a probe on playbin's
 * stream pads ("get-video-pad", "get-audio-pad") sets it to the running time at which
 * the previous segment reached the clip's (or story's) end. Left to qtdemux the base
 * is the running time of the last frame's start, which put the first frame over the
 * last one at every loop (the sink dropped the last frame).
 *
 * Teardown: the pipeline goes to NULL first (this joins the streaming threads), then
 * the bus watch goes and the sink is detached, so nothing can call back into a
 * disposed player; frame callbacks already queued hold their own reference to the sink.
 */

#define G_LOG_DOMAIN "kinema-player"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>
#include <gst/video/video.h>

#include "kinema-error.h"
#include "kinema-frame-grab.h"
#include "kinema-media-error.h"
#include "kinema-media-private.h"
#include "kinema-paintable-sink.h"
#include "kinema-player.h"

/* Give up opening a clip that has not shown a frame after this long. */
#define LOAD_TIMEOUT_S 20
/* While opening, how often to look for a demuxer that gave up without an error. */
#define LOAD_CHECK_MS 150
/* Position updates while playing with gtk4paintablesink (our own sink reports each frame). */
#define POSITION_INTERVAL_MS 50

struct _KinemaPlayer
{
  GObject parent_instance;

  KinemaPlayerSink     sink_kind;
  GstElement          *pipeline;
  guint                bus_watch;
  KinemaPaintableSink *own_sink; /* OWN */
  GstElement          *gtk_sink; /* GTK4 */
  GstPad              *video_sink_pad;
  GdkPaintable        *paintable;

  char             *uri;
  GStrv             parts; /* a story's files, or NULL */
  guint             open_serial;
  KinemaPlayerState state;
  GError           *error;
  gboolean          loaded; /* the first ASYNC_DONE came */
  gboolean          want_playing;
  gboolean          ended;        /* at the end, loop off */
  gboolean          seeking;      /* a flushing seek waits for ASYNC_DONE */
  gboolean          segment_mode; /* the running segment ends in SEGMENT_DONE */
  gint64            pending_seek; /* -1: none */
  int               pending_steps;

  gint64   position;
  gint64   duration;
  double   rate;
  gboolean loop;
  gboolean muted;
  int      width;
  int      height;
  int      fps_n;
  int      fps_d;

  /* Read by the streaming threads that loop (see on_sync_message, on_story_data). */
  GMutex   loop_lock;
  gboolean loop_shared;
  double   rate_shared;
  gint64   duration_shared;
  guint32  loop_seqnum;  /* the newest loop's seek: its segments continue the last */
  guint32  story_seqnum; /* the same, while its flushes must not leave splitmuxsrc */
  gboolean story_sound;  /* a story plays its sound (every clip has some) */

  char *missing_description;
  char *missing_package;

  guint  position_timer;
  guint  load_timeout;
  gint64 load_started;
  int    load_stalled;
};

enum
{
  PROP_0,
  PROP_URI,
  PROP_STATE,
  PROP_PLAYING,
  PROP_POSITION,
  PROP_DURATION,
  PROP_RATE,
  PROP_LOOP,
  PROP_MUTED,
  PROP_WIDTH,
  PROP_HEIGHT,
  PROP_FRAMERATE,
  PROP_ERROR,
  PROP_PAINTABLE,
  PROP_SINK,
  N_PROPS
};

enum
{
  SIGNAL_ERROR,
  SIGNAL_LOOPED,
  SIGNAL_ENDED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint       signals[N_SIGNALS];

G_DEFINE_ENUM_TYPE (KinemaPlayerState, kinema_player_state, G_DEFINE_ENUM_VALUE (KINEMA_PLAYER_STATE_EMPTY, "empty"), G_DEFINE_ENUM_VALUE (KINEMA_PLAYER_STATE_LOADING, "loading"), G_DEFINE_ENUM_VALUE (KINEMA_PLAYER_STATE_PAUSED, "paused"), G_DEFINE_ENUM_VALUE (KINEMA_PLAYER_STATE_PLAYING, "playing"), G_DEFINE_ENUM_VALUE (KINEMA_PLAYER_STATE_ERROR, "error"))

G_DEFINE_ENUM_TYPE (KinemaPlayerSink, kinema_player_sink, G_DEFINE_ENUM_VALUE (KINEMA_PLAYER_SINK_AUTO, "auto"), G_DEFINE_ENUM_VALUE (KINEMA_PLAYER_SINK_GTK4, "gtk4"), G_DEFINE_ENUM_VALUE (KINEMA_PLAYER_SINK_OWN, "own"))

G_DEFINE_FINAL_TYPE (KinemaPlayer, kinema_player, G_TYPE_OBJECT)

static void
notify (KinemaPlayer *self,
        int           prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_state (KinemaPlayer     *self,
           KinemaPlayerState state)
{
  gboolean was_playing = self->state == KINEMA_PLAYER_STATE_PLAYING;

  if (self->state == state)
    return;
  self->state = state;
  notify (self, PROP_STATE);
  if (was_playing != (state == KINEMA_PLAYER_STATE_PLAYING))
    notify (self, PROP_PLAYING);
}

static void
set_position (KinemaPlayer *self,
              gint64        position)
{
  position = MAX (position, 0);
  if (self->duration > 0)
    position = MIN (position, self->duration);
  if (self->position == position)
    return;
  self->position = position;
  notify (self, PROP_POSITION);
}

static gint64
frame_duration (KinemaPlayer *self)
{
  if (self->fps_n > 0 && self->fps_d > 0)
    return (gint64) gst_util_uint64_scale_int (GST_SECOND, self->fps_d, self->fps_n);
  return GST_SECOND / 30;
}

/* The frame on screen at @position: decoders clip the first frame after an accurate
 * seek to start at the seek position, so this rounds down (with 1 ms of slack for
 * timestamps rounded to nanoseconds). */
static gint64
frame_index_at (KinemaPlayer *self,
                gint64        position)
{
  if (self->fps_n <= 0 || self->fps_d <= 0)
    return (position + GST_MSECOND) / frame_duration (self);
  return (gint64) gst_util_uint64_scale (position + GST_MSECOND, self->fps_n, (guint64) self->fps_d * GST_SECOND);
}

static gint64
frame_start (KinemaPlayer *self,
             gint64        index)
{
  if (self->fps_n <= 0 || self->fps_d <= 0)
    return index * frame_duration (self);
  return (gint64) gst_util_uint64_scale (index, (guint64) self->fps_d * GST_SECOND, self->fps_n);
}

/* ----- position ----- */

static void
query_position (KinemaPlayer *self)
{
  gint64 position;

  if (self->seeking || self->pending_seek >= 0)
    return;
  if (self->own_sink != NULL && kinema_paintable_sink_get_frame_time (self->own_sink) >= 0)
    set_position (self, kinema_paintable_sink_get_frame_time (self->own_sink));
  else if (gst_element_query_position (self->pipeline, GST_FORMAT_TIME, &position))
    set_position (self, position);
}

static gboolean
on_position_timer (gpointer user_data)
{
  query_position (user_data);
  return G_SOURCE_CONTINUE;
}

static void
update_position_timer (KinemaPlayer *self)
{
  gboolean want = self->state == KINEMA_PLAYER_STATE_PLAYING && self->own_sink == NULL;

  if (want && self->position_timer == 0)
    self->position_timer = g_timeout_add (POSITION_INTERVAL_MS, on_position_timer, self);
  else if (!want)
    g_clear_handle_id (&self->position_timer, g_source_remove);
}

static void
on_frame (KinemaPlayer *self)
{
  query_position (self);
}

/* ----- seeking ----- */

static void
share_loop_and_rate (KinemaPlayer *self)
{
  g_mutex_lock (&self->loop_lock);
  self->loop_shared = self->loop;
  self->rate_shared = self->rate;
  g_mutex_unlock (&self->loop_lock);
}

/* The middle of the last frame: seeking there shows it. */
static gint64
last_frame_position (KinemaPlayer *self)
{
  return self->duration > 0 ? MAX (self->duration - frame_duration (self) / 2, 0) : G_MAXINT64;
}

static void
send_seek (KinemaPlayer *self,
           gint64        position)
{
  GstSeekFlags flags = GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE;
  /* A story loops at its EOS (on_story_data): splitmuxsrc ends a segment seek after
   * its first file. */
  gboolean segment = self->loop;

  if (segment && self->parts == NULL)
    flags |= GST_SEEK_FLAG_SEGMENT;
  g_debug ("seek to %" GST_TIME_FORMAT " flags %x", GST_TIME_ARGS (position), flags);
  if (!gst_element_seek (self->pipeline, self->rate, GST_FORMAT_TIME, flags, GST_SEEK_TYPE_SET, position,
                         GST_SEEK_TYPE_SET, GST_CLOCK_TIME_NONE))
    {
      g_debug ("Seek to %" GST_TIME_FORMAT " refused", GST_TIME_ARGS (position));
      return;
    }
  self->segment_mode = segment;
  self->seeking = TRUE;
}

static void
send_step (KinemaPlayer *self)
{
  gint64 last = self->duration > 0 ? self->duration - frame_duration (self) : -1;

  /* At the last frame: go round when looping, else stay. */
  if (last >= 0 && self->position >= last)
    {
      if (self->loop)
        {
          send_seek (self, 0);
          set_position (self, 0);
        }
      return;
    }
  gst_element_send_event (self->pipeline, gst_event_new_step (GST_FORMAT_BUFFERS, 1, 1.0, TRUE, FALSE));
}

/* ----- loading and errors ----- */

static void
clear_stream_info (KinemaPlayer *self)
{
  self->loaded = FALSE;
  self->ended = FALSE;
  self->seeking = FALSE;
  self->segment_mode = FALSE;
  self->pending_seek = -1;
  self->pending_steps = 0;
  g_mutex_lock (&self->loop_lock);
  self->duration_shared = -1;
  self->loop_seqnum = self->story_seqnum = 0;
  g_mutex_unlock (&self->loop_lock);
  g_clear_pointer (&self->missing_description, g_free);
  g_clear_pointer (&self->missing_package, g_free);
  g_clear_handle_id (&self->load_timeout, g_source_remove);

  if (self->position != 0)
    {
      self->position = 0;
      notify (self, PROP_POSITION);
    }
  if (self->duration != -1)
    {
      self->duration = -1;
      notify (self, PROP_DURATION);
    }
  if (self->width != 0 || self->height != 0)
    {
      self->width = self->height = 0;
      notify (self, PROP_WIDTH);
      notify (self, PROP_HEIGHT);
    }
  if (self->fps_n != 0)
    {
      self->fps_n = 0;
      self->fps_d = 1;
      notify (self, PROP_FRAMERATE);
    }
  if (self->error != NULL)
    {
      g_clear_error (&self->error);
      notify (self, PROP_ERROR);
    }
}

static void
stop_pipeline (KinemaPlayer *self)
{
  g_autoptr(GstBus) bus = NULL;

  if (self->pipeline == NULL)
    return;
  gst_element_set_state (self->pipeline, GST_STATE_NULL);
  /* Messages of the old clip must not reach the next one. */
  bus = gst_element_get_bus (self->pipeline);
  gst_bus_set_flushing (bus, TRUE);
  gst_bus_set_flushing (bus, FALSE);
  if (self->own_sink != NULL)
    kinema_paintable_sink_clear (self->own_sink);
}

static void
fail (KinemaPlayer *self,
      GError       *error)
{
  g_autoptr(GError) owned = error;

  if (self->state == KINEMA_PLAYER_STATE_ERROR)
    return;
  g_debug ("Cannot play %s: %s", self->uri, error->message);
  stop_pipeline (self);
  g_clear_handle_id (&self->load_timeout, g_source_remove);
  self->want_playing = FALSE;
  g_clear_error (&self->error);
  self->error = g_steal_pointer (&owned);
  set_state (self, KINEMA_PLAYER_STATE_ERROR);
  update_position_timer (self);
  notify (self, PROP_ERROR);
  g_signal_emit (self, signals[SIGNAL_ERROR], 0, self->error);
}

static gboolean
on_load_check (gpointer user_data)
{
  KinemaPlayer *self = user_data;

  if (g_get_monotonic_time () - self->load_started > LOAD_TIMEOUT_S * G_USEC_PER_SEC)
    {
      self->load_timeout = 0;
      fail (self, g_error_new_literal (KINEMA_ERROR, KINEMA_ERROR_MEDIA,
                                       _("Opening the video took too long. The file may be damaged.")));
      return G_SOURCE_REMOVE;
    }
  /* Twice in a row, so that an error on its way still wins. */
  self->load_stalled = _kinema_media_demuxer_stalled (self->pipeline) ? self->load_stalled + 1 : 0;
  if (self->load_stalled >= 2)
    {
      self->load_timeout = 0;
      fail (self, self->missing_description != NULL
                      ? kinema_media_error_missing_decoder (self->missing_description, self->missing_package)
                      : kinema_media_error_damaged (NULL));
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
read_stream_info (KinemaPlayer *self)
{
  g_autoptr(GstPad) pad = NULL;
  g_autoptr(GstCaps) caps = NULL;
  gint64 duration;

  if (gst_element_query_duration (self->pipeline, GST_FORMAT_TIME, &duration) && duration != self->duration)
    {
      self->duration = duration;
      g_mutex_lock (&self->loop_lock);
      self->duration_shared = duration;
      g_mutex_unlock (&self->loop_lock);
      notify (self, PROP_DURATION);
    }

  g_signal_emit_by_name (self->pipeline, "get-video-pad", 0, &pad);
  if (pad != NULL)
    caps = gst_pad_get_current_caps (pad);
  if (caps != NULL)
    {
      GstStructure *s = gst_caps_get_structure (caps, 0);
      int           width = 0, height = 0, fps_n = 0, fps_d = 1;

      gst_structure_get_int (s, "width", &width);
      gst_structure_get_int (s, "height", &height);
      gst_structure_get_fraction (s, "framerate", &fps_n, &fps_d);
      if (width != self->width || height != self->height)
        {
          self->width = width;
          self->height = height;
          notify (self, PROP_WIDTH);
          notify (self, PROP_HEIGHT);
        }
      if (fps_n != self->fps_n || fps_d != self->fps_d)
        {
          self->fps_n = fps_n;
          self->fps_d = fps_d > 0 ? fps_d : 1;
          notify (self, PROP_FRAMERATE);
        }
    }
}

static void watch_stream_pads (KinemaPlayer *self);

static void
on_loaded (KinemaPlayer *self)
{
  int n_video = 0;

  g_clear_handle_id (&self->load_timeout, g_source_remove);
  g_object_get (self->pipeline, "n-video", &n_video, NULL);
  if (n_video == 0)
    {
      fail (self, kinema_media_error_not_video ());
      return;
    }
  self->loaded = TRUE;
  read_stream_info (self);
  watch_stream_pads (self);

  /* Loop from the first frame on (segment mode), or start where a seek asked. */
  if (self->loop || self->pending_seek >= 0 || self->rate != 1.0)
    {
      send_seek (self, MAX (self->pending_seek, 0));
      self->pending_seek = -1;
    }

  if (self->want_playing)
    {
      gst_element_set_state (self->pipeline, GST_STATE_PLAYING);
      set_state (self, KINEMA_PLAYER_STATE_PLAYING);
    }
  else
    set_state (self, KINEMA_PLAYER_STATE_PAUSED);
  update_position_timer (self);
}

static void
on_async_done (KinemaPlayer *self)
{
  if (!self->loaded)
    {
      on_loaded (self);
      return;
    }

  self->seeking = FALSE;
  if (self->pending_seek >= 0)
    {
      gint64 position = self->pending_seek;

      self->pending_seek = -1;
      send_seek (self, position);
      return;
    }
  while (self->pending_steps > 0)
    {
      self->pending_steps--;
      send_step (self);
    }
  query_position (self);
}

static void
reached_end (KinemaPlayer *self)
{
  self->ended = TRUE;
  self->want_playing = FALSE;
  gst_element_set_state (self->pipeline, GST_STATE_PAUSED);
  set_state (self, KINEMA_PLAYER_STATE_PAUSED);
  update_position_timer (self);
  if (self->duration > 0)
    set_position (self, self->duration);
  g_signal_emit (self, signals[SIGNAL_ENDED], 0);
}

static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  KinemaPlayer *self = user_data;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ASYNC_DONE:
      on_async_done (self);
      break;

    case GST_MESSAGE_SEGMENT_DONE:
      /* on_sync_message() already went round. */
      g_signal_emit (self, signals[SIGNAL_LOOPED], 0);
      break;

    case GST_MESSAGE_EOS:
      if (self->loop)
        {
          send_seek (self, 0);
          g_signal_emit (self, signals[SIGNAL_LOOPED], 0);
        }
      else
        reached_end (self);
      break;

    case GST_MESSAGE_DURATION_CHANGED:
      if (self->loaded)
        read_stream_info (self);
      break;

    case GST_MESSAGE_STEP_DONE:
      query_position (self);
      break;

    case GST_MESSAGE_ELEMENT:
      /* on_story_data() went round. */
      if (gst_message_has_name (message, "kinema-story-looped"))
        g_signal_emit (self, signals[SIGNAL_LOOPED], 0);
      else if (self->missing_description == NULL)
        kinema_media_parse_missing_plugin (message, &self->missing_description, &self->missing_package);
      break;

    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) gst_error = NULL;
        g_autofree char *debug = NULL;

        gst_message_parse_error (message, &gst_error, &debug);
        g_debug ("GStreamer error: %s (%s)", gst_error->message, debug);
        if (self->missing_description != NULL)
          fail (self, kinema_media_error_missing_decoder (self->missing_description, self->missing_package));
        else
          fail (self, kinema_media_error_from_gst (gst_error, debug));
        break;
      }

    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

/* Streaming thread. */
static GstBusSyncReply
on_sync_message (GstBus     *bus,
                 GstMessage *message,
                 gpointer    user_data)
{
  KinemaPlayer *self = user_data;
  gboolean      loop;
  double        rate;

  if (GST_MESSAGE_TYPE (message) != GST_MESSAGE_SEGMENT_DONE)
    return GST_BUS_PASS;

  g_mutex_lock (&self->loop_lock);
  loop = self->loop_shared;
  rate = self->rate_shared;
  g_mutex_unlock (&self->loop_lock);

  /* Non-flushing: the first frame follows the last one seamlessly. The seek goes
   * upstream from the video sink's pad rather than through gst_element_seek(), which
   * takes the pipeline's state lock: the main thread may hold it right now (a flushing
   * seek, a state change) while it waits for this very thread. */
  if (loop)
    {
      GstEvent *seek = gst_event_new_seek (rate, GST_FORMAT_TIME, GST_SEEK_FLAG_SEGMENT | GST_SEEK_FLAG_ACCURATE,
                                           GST_SEEK_TYPE_SET, 0, GST_SEEK_TYPE_SET, GST_CLOCK_TIME_NONE);

      g_mutex_lock (&self->loop_lock);
      self->loop_seqnum = gst_event_get_seqnum (seek);
      g_mutex_unlock (&self->loop_lock);
      gst_pad_push_event (self->video_sink_pad, seek);
    }
  return GST_BUS_PASS;
}

/* ----- seamless loops: the new segment's base ----- */

/* The segment last seen on one of playbin's stream pads; only that pad's streaming
 * thread touches it once the probe is in. */
typedef struct
{
  KinemaPlayer *self;
  GstSegment    segment;
  gboolean      have_segment;
} StreamPad;

/* Streaming threads. */
static GstPadProbeReturn
on_stream_event (GstPad          *pad,
                 GstPadProbeInfo *info,
                 gpointer         user_data)
{
  StreamPad *stream = user_data;
  GstEvent  *event = GST_PAD_PROBE_INFO_EVENT (info);
  GstSegment segment;
  guint32    loop_seqnum;
  gint64     duration;
  guint64    end_position = 0, end = 0;

  if (GST_EVENT_TYPE (event) != GST_EVENT_SEGMENT)
    return GST_PAD_PROBE_OK;
  gst_event_copy_segment (event, &segment);

  g_mutex_lock (&stream->self->loop_lock);
  loop_seqnum = stream->self->loop_seqnum;
  duration = stream->self->duration_shared;
  g_mutex_unlock (&stream->self->loop_lock);

  /* The loop's segment starts where the last one reached the end: the clip's length
   * on the stream time (splitmuxsrc's buffer times start at 1000 s, its segments'
   * stream times at 0). */
  if (loop_seqnum != 0 && gst_event_get_seqnum (event) == loop_seqnum && stream->have_segment && duration > 0 &&
      segment.format == GST_FORMAT_TIME && stream->segment.format == GST_FORMAT_TIME &&
      gst_segment_position_from_stream_time_full (&stream->segment, GST_FORMAT_TIME, (guint64) duration,
                                                  &end_position) > 0 &&
      gst_segment_to_running_time_full (&stream->segment, GST_FORMAT_TIME, end_position, &end) > 0)
    {
      GstEvent *rebased;

      segment.base = end;
      rebased = gst_event_new_segment (&segment);
      gst_event_set_seqnum (rebased, loop_seqnum);
      gst_event_unref (event);
      GST_PAD_PROBE_INFO_DATA (info) = rebased;
    }
  stream->segment = segment;
  stream->have_segment = TRUE;
  return GST_PAD_PROBE_OK;
}

/* Main thread, once a clip is loaded: playbin made its stream pads by then. */
static void
watch_stream_pads (KinemaPlayer *self)
{
  const char *signals_[] = { "get-video-pad", "get-audio-pad" };

  for (guint i = 0; i < G_N_ELEMENTS (signals_); i++)
    {
      g_autoptr(GstPad) pad = NULL;
      g_autoptr(GstEvent) sticky = NULL;
      StreamPad *stream;

      g_signal_emit_by_name (self->pipeline, signals_[i], 0, &pad);
      /* One probe a pad, however often it serves. */
      if (pad == NULL || g_object_get_data (G_OBJECT (pad), "kinema-stream-probe") != NULL)
        continue;
      g_object_set_data (G_OBJECT (pad), "kinema-stream-probe", GINT_TO_POINTER (TRUE));
      stream = g_new0 (StreamPad, 1);
      stream->self = self;
      sticky = gst_pad_get_sticky_event (pad, GST_EVENT_SEGMENT, 0);
      if (sticky != NULL)
        {
          gst_event_copy_segment (sticky, &stream->segment);
          stream->have_segment = TRUE;
        }
      gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, on_stream_event, stream, g_free);
    }
}

/* ----- seamless loops: stories ----- */

#define STORY_PAD_EOS "kinema-story-eos"
#define STORY_PAD_RESTARTED "kinema-story-restarted"

/* TRUE when every pad of splitmuxsrc that the player plays is at the story's end:
 * its video, and its sound when every clip has some (otherwise splitmuxsrc's sound
 * pad stalls at the first clip without, see probe_parts_thread, and never ends). */
static gboolean
story_at_end (GstElement *source,
              gboolean    with_sound)
{
  gboolean at_end = TRUE;

  GST_OBJECT_LOCK (source);
  for (GList *l = GST_ELEMENT (source)->srcpads; l != NULL && at_end; l = l->next)
    {
      GstPad     *pad = l->data;
      const char *name = GST_PAD_NAME (pad);
      gboolean    played = g_str_has_prefix (name, "video") || (with_sound && g_str_has_prefix (name, "audio"));

      if (played && gst_pad_is_linked (pad) && GST_PAD_LAST_FLOW_RETURN (pad) != GST_FLOW_NOT_LINKED &&
          g_object_get_data (G_OBJECT (pad), STORY_PAD_EOS) == NULL)
        at_end = FALSE;
    }
  GST_OBJECT_UNLOCK (source);
  return at_end;
}

static void
story_forget_ends (GstElement *source)
{
  GST_OBJECT_LOCK (source);
  for (GList *l = GST_ELEMENT (source)->srcpads; l != NULL; l = l->next)
    g_object_set_data (G_OBJECT (l->data), STORY_PAD_EOS, NULL);
  GST_OBJECT_UNLOCK (source);
}

/* Streaming thread of one of splitmuxsrc's pads. */
static GstPadProbeReturn
on_story_data (GstPad          *pad,
               GstPadProbeInfo *info,
               gpointer         user_data)
{
  KinemaPlayer     *self = user_data;
  GstEvent         *event = GST_PAD_PROBE_INFO_EVENT (info);
  GstElement       *source = GST_ELEMENT (gst_pad_get_parent (pad));
  GstPadProbeReturn ret = GST_PAD_PROBE_OK;
  gboolean          loop;
  double            rate;
  guint32           story_seqnum;
  gint64            duration;
  gboolean          with_sound;

  if (source == NULL)
    return GST_PAD_PROBE_OK;
  g_mutex_lock (&self->loop_lock);
  loop = self->loop_shared;
  rate = self->rate_shared;
  story_seqnum = self->story_seqnum;
  duration = self->duration_shared;
  with_sound = self->story_sound;
  g_mutex_unlock (&self->loop_lock);

  switch (GST_EVENT_TYPE (event))
    {
    case GST_EVENT_FLUSH_START:
    case GST_EVENT_FLUSH_STOP:
      if (story_seqnum != 0 && gst_event_get_seqnum (event) == story_seqnum)
        ret = GST_PAD_PROBE_DROP;
      else if (GST_EVENT_TYPE (event) == GST_EVENT_FLUSH_STOP)
        g_object_set_data (G_OBJECT (pad), STORY_PAD_EOS, NULL);
      break;

    case GST_EVENT_STREAM_START:
      /* splitmuxsrc sends it again after our seek: the stream goes on. */
      if (g_object_get_data (G_OBJECT (pad), STORY_PAD_RESTARTED) != NULL)
        ret = GST_PAD_PROBE_DROP;
      break;

    case GST_EVENT_SEGMENT:
      g_object_set_data (G_OBJECT (pad), STORY_PAD_RESTARTED, NULL);
      break;

    case GST_EVENT_EOS:
      if (!loop || duration <= 0)
        break;
      ret = GST_PAD_PROBE_DROP;
      g_object_set_data (G_OBJECT (pad), STORY_PAD_EOS, GINT_TO_POINTER (TRUE));
      gst_pad_push_event (pad, gst_event_new_segment_done (GST_FORMAT_TIME, duration));
      if (story_at_end (source, with_sound))
        {
          GstEvent *seek = gst_event_new_seek (rate, GST_FORMAT_TIME, GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE,
                                               GST_SEEK_TYPE_SET, 0, GST_SEEK_TYPE_SET, GST_CLOCK_TIME_NONE);

          story_forget_ends (source);
          GST_OBJECT_LOCK (source);
          for (GList *l = GST_ELEMENT (source)->srcpads; l != NULL; l = l->next)
            g_object_set_data (G_OBJECT (l->data), STORY_PAD_RESTARTED, GINT_TO_POINTER (TRUE));
          GST_OBJECT_UNLOCK (source);
          g_mutex_lock (&self->loop_lock);
          self->loop_seqnum = self->story_seqnum = gst_event_get_seqnum (seek);
          g_mutex_unlock (&self->loop_lock);
          /* splitmuxsrc pauses this very task and starts it again: allowed from
           * within the task (the stream lock is recursive). */
          gst_pad_send_event (pad, seek);
          gst_element_post_message (source,
                                    gst_message_new_element (GST_OBJECT (source),
                                                             gst_structure_new_empty ("kinema-story-looped")));
        }
      break;

    default:
      break;
    }
  gst_object_unref (source);
  return ret;
}

static void
on_story_pad_added (GstElement *source,
                    GstPad     *pad,
                    gpointer    user_data)
{
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM | GST_PAD_PROBE_TYPE_EVENT_FLUSH, on_story_data,
                     user_data, NULL);
}

/* ----- public API ----- */

static void open_uri (KinemaPlayer *self,
                      const char   *uri,
                      GStrv         parts);

void
kinema_player_open (KinemaPlayer *self,
                    const char   *uri)
{
  g_return_if_fail (KINEMA_IS_PLAYER (self));
  g_return_if_fail (uri != NULL);

  open_uri (self, uri, NULL);
}

void
kinema_player_open_files (KinemaPlayer      *self,
                          const char *const *paths)
{
  g_autofree char *uri = NULL;
  g_autoptr(GFile) first = NULL;

  g_return_if_fail (KINEMA_IS_PLAYER (self));
  g_return_if_fail (paths != NULL && paths[0] != NULL);

  first = g_file_new_for_path (paths[0]);
  if (paths[1] == NULL)
    {
      kinema_player_open_file (self, first);
      return;
    }
  /* The location is only a name here: "format-location" gives the files. */
  uri = g_strconcat ("splitmux://", g_file_peek_path (first), NULL);
  open_uri (self, uri, g_strdupv ((char **) paths));
}

GStrv
kinema_player_dup_files (KinemaPlayer *self)
{
  g_autoptr(GFile) file = NULL;
  GStrv files;

  g_return_val_if_fail (KINEMA_IS_PLAYER (self), NULL);

  if (self->parts != NULL)
    return g_strdupv (self->parts);
  if (self->uri == NULL || !g_str_has_prefix (self->uri, "file:"))
    return NULL;
  file = g_file_new_for_uri (self->uri);
  files = g_new0 (char *, 2);
  files[0] = g_file_get_path (file);
  if (files[0] == NULL)
    g_clear_pointer (&files, g_strfreev);
  return files;
}

static GStrv
on_format_location (GstElement *source,
                    gpointer    user_data)
{
  return g_strdupv (g_object_get_data (G_OBJECT (source), "kinema-parts"));
}

/* Main thread (playbin makes its source while going to PAUSED). */
static void
on_source_setup (GstElement   *playbin,
                 GstElement   *source,
                 KinemaPlayer *self)
{
  if (self->parts == NULL || g_signal_lookup ("format-location", G_OBJECT_TYPE (source)) == 0)
    return;
  g_object_set_data_full (G_OBJECT (source), "kinema-parts", g_strdupv (self->parts),
                          (GDestroyNotify) g_strfreev);
  g_signal_connect (source, "format-location", G_CALLBACK (on_format_location), NULL);
  /* The pads come while it prerolls, each before its first data. */
  g_signal_connect (source, "pad-added", G_CALLBACK (on_story_pad_added), self);
}

static void
start_loading (KinemaPlayer *self)
{
  g_object_set (self->pipeline, "uri", self->uri, NULL);
  self->load_started = g_get_monotonic_time ();
  self->load_stalled = 0;
  self->load_timeout = g_timeout_add (LOAD_CHECK_MS, on_load_check, self);
  /* A failure posts an error on the bus, which reports it. */
  gst_element_set_state (self->pipeline, GST_STATE_PAUSED);
}

/* splitmuxsrc stalls at the cut between a clip with sound and one without (GStreamer
 * 1.22): a story plays its sound only when every clip has some. Looking costs a few
 * tens of milliseconds a clip, in a thread. */
static void
probe_parts_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GStrv parts = task_data;
  g_autoptr(GstDiscoverer) discoverer = gst_discoverer_new (5 * GST_SECOND, NULL);
  gboolean all_sound = discoverer != NULL;

  for (guint i = 0; all_sound && parts[i] != NULL; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (parts[i]);
      g_autofree char *uri = g_file_get_uri (file);
      g_autoptr(GstDiscovererInfo) info = gst_discoverer_discover_uri (discoverer, uri, NULL);
      GList *audio = info != NULL ? gst_discoverer_info_get_audio_streams (info) : NULL;

      all_sound = audio != NULL;
      gst_discoverer_stream_info_list_free (audio);
    }
  g_task_return_boolean (task, all_sound);
}

static void
on_parts_probed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  KinemaPlayer *self = KINEMA_PLAYER (source);
  guint         serial = GPOINTER_TO_UINT (user_data);
  gboolean      all_sound = g_task_propagate_boolean (G_TASK (result), NULL);

  /* Another clip was opened meanwhile. */
  if (serial != self->open_serial || self->pipeline == NULL)
    return;
  gst_util_set_object_arg (G_OBJECT (self->pipeline), "flags",
                           all_sound ? "video+audio+soft-volume" : "video+soft-volume");
  g_mutex_lock (&self->loop_lock);
  self->story_sound = all_sound;
  g_mutex_unlock (&self->loop_lock);
  start_loading (self);
}

static void
probe_parts (KinemaPlayer *self)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, on_parts_probed, GUINT_TO_POINTER (self->open_serial));

  g_task_set_task_data (task, g_strdupv (self->parts), (GDestroyNotify) g_strfreev);
  g_task_run_in_thread (task, probe_parts_thread);
}

static void
open_uri (KinemaPlayer *self,
          const char   *uri,
          GStrv         parts)
{
  GError *error = NULL;

  stop_pipeline (self);
  g_strfreev (self->parts);
  self->parts = parts;
  clear_stream_info (self);
  self->want_playing = FALSE;
  g_free (self->uri);
  self->uri = g_strdup (uri);
  notify (self, PROP_URI);
  /* The state leaves ERROR so that fail() reports the new clip's problem. */
  set_state (self, KINEMA_PLAYER_STATE_LOADING);
  update_position_timer (self);

  if (parts == NULL)
    error = kinema_media_error_check_uri (uri);
  for (guint i = 0; parts != NULL && parts[i] != NULL && error == NULL; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (parts[i]);
      g_autofree char *part_uri = g_file_get_uri (file);

      error = kinema_media_error_check_uri (part_uri);
    }
  if (error != NULL)
    {
      fail (self, error);
      return;
    }

  self->open_serial++;
  if (parts != NULL)
    {
      probe_parts (self);
      return;
    }
  gst_util_set_object_arg (G_OBJECT (self->pipeline), "flags", "video+audio+soft-volume");
  start_loading (self);
}

void
kinema_player_open_file (KinemaPlayer *self,
                         GFile        *file)
{
  g_autofree char *uri = NULL;

  g_return_if_fail (G_IS_FILE (file));

  uri = g_file_get_uri (file);
  kinema_player_open (self, uri);
}

void
kinema_player_close (KinemaPlayer *self)
{
  g_return_if_fail (KINEMA_IS_PLAYER (self));

  stop_pipeline (self);
  clear_stream_info (self);
  self->want_playing = FALSE;
  g_clear_pointer (&self->parts, g_strfreev);
  if (self->uri != NULL)
    {
      g_clear_pointer (&self->uri, g_free);
      notify (self, PROP_URI);
    }
  set_state (self, KINEMA_PLAYER_STATE_EMPTY);
  update_position_timer (self);
}

const char *
kinema_player_get_uri (KinemaPlayer *self)
{
  g_return_val_if_fail (KINEMA_IS_PLAYER (self), NULL);

  return self->uri;
}

void
kinema_player_play (KinemaPlayer *self)
{
  g_return_if_fail (KINEMA_IS_PLAYER (self));

  if (self->state == KINEMA_PLAYER_STATE_EMPTY || self->state == KINEMA_PLAYER_STATE_ERROR)
    return;
  self->want_playing = TRUE;
  if (!self->loaded)
    return;
  if (self->ended)
    {
      self->ended = FALSE;
      send_seek (self, 0);
      set_position (self, 0);
    }
  gst_element_set_state (self->pipeline, GST_STATE_PLAYING);
  set_state (self, KINEMA_PLAYER_STATE_PLAYING);
  update_position_timer (self);
}

void
kinema_player_pause (KinemaPlayer *self)
{
  g_return_if_fail (KINEMA_IS_PLAYER (self));

  self->want_playing = FALSE;
  if (!self->loaded || self->state == KINEMA_PLAYER_STATE_ERROR)
    return;
  gst_element_set_state (self->pipeline, GST_STATE_PAUSED);
  set_state (self, KINEMA_PLAYER_STATE_PAUSED);
  update_position_timer (self);
  query_position (self);
}

void
kinema_player_toggle (KinemaPlayer *self)
{
  g_return_if_fail (KINEMA_IS_PLAYER (self));

  if (self->want_playing)
    kinema_player_pause (self);
  else
    kinema_player_play (self);
}

void
kinema_player_seek (KinemaPlayer *self,
                    gint64        position_ns)
{
  g_return_if_fail (KINEMA_IS_PLAYER (self));

  if (self->state == KINEMA_PLAYER_STATE_EMPTY || self->state == KINEMA_PLAYER_STATE_ERROR)
    return;
  position_ns = CLAMP (position_ns, 0, last_frame_position (self));
  self->ended = FALSE;
  self->pending_steps = 0;

  if (!self->loaded || self->seeking)
    self->pending_seek = position_ns;
  else
    send_seek (self, position_ns);
  /* Show where we go at once; the frame follows. */
  self->position = position_ns;
  notify (self, PROP_POSITION);
}

void
kinema_player_step (KinemaPlayer *self,
                    int           frames)
{
  g_return_if_fail (KINEMA_IS_PLAYER (self));

  if (!self->loaded || self->state == KINEMA_PLAYER_STATE_ERROR || frames == 0)
    return;
  if (self->want_playing)
    kinema_player_pause (self);
  self->ended = FALSE;

  /* A step event stops at a story's cut (the sink waits for a frame splitmuxsrc only
   * sends once playing): stories step forward by accurate seeks, like back. */
  if (frames > 0 && self->parts == NULL)
    {
      if (self->seeking || self->pending_seek >= 0)
        self->pending_steps += frames;
      else
        for (int i = 0; i < frames; i++)
          send_step (self);
      return;
    }

  /* Back: an accurate seek into the middle of the previous frame (a frame starting
   * exactly at the seek position could be clipped by rounding). */
  {
    gint64 from = self->pending_seek >= 0 ? self->pending_seek : self->position;
    gint64 index = frame_index_at (self, from) + frames;
    gint64 last = self->duration > 0 ? frame_index_at (self, last_frame_position (self)) : -1;

    if (frames > 0 && last >= 0 && index > last)
      index = self->loop ? (index - last - 1) % (last + 1) : last;
    if (index < 0)
      {
        if (!self->loop || self->duration <= 0)
          index = 0;
        else
          index = MAX (frame_index_at (self, last_frame_position (self)) + 1 + index, 0);
      }
    kinema_player_seek (self, frame_start (self, index) + frame_duration (self) / 2);
  }
}

KinemaPlayerState
kinema_player_get_state (KinemaPlayer *self)
{
  g_return_val_if_fail (KINEMA_IS_PLAYER (self), KINEMA_PLAYER_STATE_EMPTY);

  return self->state;
}

gboolean
kinema_player_get_playing (KinemaPlayer *self)
{
  g_return_val_if_fail (KINEMA_IS_PLAYER (self), FALSE);

  return self->state == KINEMA_PLAYER_STATE_PLAYING;
}

gint64
kinema_player_get_position (KinemaPlayer *self)
{
  g_return_val_if_fail (KINEMA_IS_PLAYER (self), 0);

  return self->position;
}

gint64
kinema_player_get_duration (KinemaPlayer *self)
{
  g_return_val_if_fail (KINEMA_IS_PLAYER (self), -1);

  return self->duration;
}

gint64
kinema_player_get_frame_index (KinemaPlayer *self)
{
  g_return_val_if_fail (KINEMA_IS_PLAYER (self), -1);

  if (!self->loaded)
    return -1;
  /* At the end the position is the duration; the last frame is still on screen. */
  return frame_index_at (self, MIN (self->position, last_frame_position (self)));
}

double
kinema_player_get_rate (KinemaPlayer *self)
{
  g_return_val_if_fail (KINEMA_IS_PLAYER (self), 1.0);

  return self->rate;
}

void
kinema_player_set_rate (KinemaPlayer *self,
                        double        rate)
{
  g_return_if_fail (KINEMA_IS_PLAYER (self));

  rate = CLAMP (rate, KINEMA_PLAYER_MIN_RATE, KINEMA_PLAYER_MAX_RATE);
  if (G_APPROX_VALUE (rate, self->rate, 1e-6))
    return;
  self->rate = rate;
  share_loop_and_rate (self);
  notify (self, PROP_RATE);
  /* A seek carries the new rate; from where we are. */
  if (self->loaded && self->state != KINEMA_PLAYER_STATE_ERROR)
    kinema_player_seek (self, self->pending_seek >= 0 ? self->pending_seek : self->position);
}

gboolean
kinema_player_get_loop (KinemaPlayer *self)
{
  g_return_val_if_fail (KINEMA_IS_PLAYER (self), FALSE);

  return self->loop;
}

void
kinema_player_set_loop (KinemaPlayer *self,
                        gboolean      loop)
{
  g_return_if_fail (KINEMA_IS_PLAYER (self));

  loop = !!loop;
  if (self->loop == loop)
    return;
  self->loop = loop;
  share_loop_and_rate (self);
  notify (self, PROP_LOOP);
  /* Into or out of segment mode, from where the clip is. */
  if (self->loaded && self->state != KINEMA_PLAYER_STATE_ERROR && !self->ended && self->segment_mode != loop)
    kinema_player_seek (self, self->pending_seek >= 0 ? self->pending_seek : self->position);
}

gboolean
kinema_player_get_muted (KinemaPlayer *self)
{
  g_return_val_if_fail (KINEMA_IS_PLAYER (self), FALSE);

  return self->muted;
}

void
kinema_player_set_muted (KinemaPlayer *self,
                         gboolean      muted)
{
  g_return_if_fail (KINEMA_IS_PLAYER (self));

  muted = !!muted;
  if (self->muted == muted)
    return;
  self->muted = muted;
  g_object_set (self->pipeline, "mute", muted, NULL);
  notify (self, PROP_MUTED);
}

int
kinema_player_get_width (KinemaPlayer *self)
{
  g_return_val_if_fail (KINEMA_IS_PLAYER (self), 0);

  return self->width;
}

int
kinema_player_get_height (KinemaPlayer *self)
{
  g_return_val_if_fail (KINEMA_IS_PLAYER (self), 0);

  return self->height;
}

double
kinema_player_get_framerate (KinemaPlayer *self)
{
  g_return_val_if_fail (KINEMA_IS_PLAYER (self), 0.0);

  return self->fps_n > 0 && self->fps_d > 0 ? (double) self->fps_n / self->fps_d : 0.0;
}

const GError *
kinema_player_get_error (KinemaPlayer *self)
{
  g_return_val_if_fail (KINEMA_IS_PLAYER (self), NULL);

  return self->error;
}

GdkPaintable *
kinema_player_get_paintable (KinemaPlayer *self)
{
  g_return_val_if_fail (KINEMA_IS_PLAYER (self), NULL);

  return self->paintable;
}

KinemaPlayerSink
kinema_player_get_sink (KinemaPlayer *self)
{
  g_return_val_if_fail (KINEMA_IS_PLAYER (self), KINEMA_PLAYER_SINK_OWN);

  return self->sink_kind;
}

guint64
kinema_player_get_frames_shown (KinemaPlayer *self)
{
  g_return_val_if_fail (KINEMA_IS_PLAYER (self), 0);

  return self->own_sink != NULL ? kinema_paintable_sink_get_n_shown (self->own_sink) : 0;
}

guint64
kinema_player_get_frames_dropped (KinemaPlayer *self)
{
  g_return_val_if_fail (KINEMA_IS_PLAYER (self), 0);

  return self->own_sink != NULL ? kinema_paintable_sink_get_n_dropped (self->own_sink) : 0;
}

GdkTexture *
kinema_player_dup_frame (KinemaPlayer *self)
{
  g_autoptr(GstCaps) caps = NULL;
  g_autoptr(GstSample) sample = NULL;
  GdkTexture *texture;

  g_return_val_if_fail (KINEMA_IS_PLAYER (self), NULL);

  if (self->own_sink != NULL)
    {
      texture = kinema_paintable_sink_get_texture (self->own_sink);
      return texture != NULL ? g_object_ref (texture) : NULL;
    }
  if (!self->loaded)
    return NULL;
  caps = gst_caps_from_string ("video/x-raw,format=RGB,pixel-aspect-ratio=1/1");
  g_signal_emit_by_name (self->pipeline, "convert-sample", caps, &sample);
  return sample != NULL ? _kinema_media_texture_from_sample (sample, 0, NULL) : NULL;
}

static void
on_frame_saved (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (kinema_texture_save_png_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
kinema_player_save_frame_async (KinemaPlayer       *self,
                                const char         *path,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GdkTexture) frame = NULL;

  g_return_if_fail (KINEMA_IS_PLAYER (self));
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kinema_player_save_frame_async);
  frame = kinema_player_dup_frame (self);
  if (frame == NULL)
    {
      g_task_return_new_error (task, KINEMA_ERROR, KINEMA_ERROR_MEDIA, _("There is no picture to save yet."));
      return;
    }
  kinema_texture_save_png_async (frame, path, cancellable, on_frame_saved, g_steal_pointer (&task));
}

gboolean
kinema_player_save_frame_finish (KinemaPlayer *self,
                                 GAsyncResult *result,
                                 GError      **error)
{
  g_return_val_if_fail (KINEMA_IS_PLAYER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
kinema_player_sink_is_available (KinemaPlayerSink sink)
{
  g_autoptr(GstElementFactory) factory = NULL;

  if (sink != KINEMA_PLAYER_SINK_GTK4)
    return TRUE;
  _kinema_media_init ();
  factory = gst_element_factory_find ("gtk4paintablesink");
  return factory != NULL;
}

/* ----- GObject ----- */

static void
kinema_player_constructed (GObject *object)
{
  KinemaPlayer *self = KINEMA_PLAYER (object);
  g_autoptr(GstBus) bus = NULL;
  GstElement *video_sink = NULL;

  G_OBJECT_CLASS (kinema_player_parent_class)->constructed (object);

  _kinema_media_init ();

  if (self->sink_kind != KINEMA_PLAYER_SINK_OWN && kinema_player_sink_is_available (KINEMA_PLAYER_SINK_GTK4))
    {
      self->gtk_sink = gst_element_factory_make ("gtk4paintablesink", NULL);
      if (self->gtk_sink != NULL)
        {
          gst_object_ref_sink (self->gtk_sink);
          g_object_get (self->gtk_sink, "paintable", &self->paintable, NULL);
          if (self->paintable == NULL)
            gst_clear_object (&self->gtk_sink);
        }
    }
  if (self->gtk_sink != NULL)
    {
      self->sink_kind = KINEMA_PLAYER_SINK_GTK4;
      video_sink = self->gtk_sink;
    }
  else
    {
      self->sink_kind = KINEMA_PLAYER_SINK_OWN;
      self->own_sink = kinema_paintable_sink_new ();
      self->paintable = g_object_ref (GDK_PAINTABLE (self->own_sink));
      video_sink = kinema_paintable_sink_get_element (self->own_sink);
      g_signal_connect_swapped (self->own_sink, "notify::texture", G_CALLBACK (on_frame), self);
    }

  self->video_sink_pad = gst_element_get_static_pad (video_sink, "sink");
  self->pipeline = gst_element_factory_make ("playbin", "kinema-player");
  gst_object_ref_sink (self->pipeline);
  g_object_set (self->pipeline, "video-sink", video_sink, NULL);
  g_signal_connect (self->pipeline, "source-setup", G_CALLBACK (on_source_setup), self);
  /* Video and audio with software volume; no subtitles, no colour balance. */
  gst_util_set_object_arg (G_OBJECT (self->pipeline), "flags", "video+audio+soft-volume");

  bus = gst_element_get_bus (self->pipeline);
  self->bus_watch = gst_bus_add_watch (bus, on_bus_message, self);
  gst_bus_set_sync_handler (bus, on_sync_message, self, NULL);
}

static void
kinema_player_dispose (GObject *object)
{
  KinemaPlayer *self = KINEMA_PLAYER (object);

  /* Order matters: stop the streaming threads, then cut every path back to us. */
  if (self->pipeline != NULL)
    {
      g_autoptr(GstBus) bus = gst_element_get_bus (self->pipeline);

      gst_element_set_state (self->pipeline, GST_STATE_NULL);
      gst_bus_set_sync_handler (bus, NULL, NULL, NULL);
    }
  g_clear_handle_id (&self->bus_watch, g_source_remove);
  g_clear_handle_id (&self->position_timer, g_source_remove);
  g_clear_handle_id (&self->load_timeout, g_source_remove);
  if (self->own_sink != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->own_sink, self);
      kinema_paintable_sink_detach (self->own_sink);
    }
  gst_clear_object (&self->pipeline);
  gst_clear_object (&self->video_sink_pad);
  gst_clear_object (&self->gtk_sink);
  g_clear_object (&self->own_sink);
  g_clear_object (&self->paintable);

  G_OBJECT_CLASS (kinema_player_parent_class)->dispose (object);
}

static void
kinema_player_finalize (GObject *object)
{
  KinemaPlayer *self = KINEMA_PLAYER (object);

  g_free (self->uri);
  g_strfreev (self->parts);
  g_clear_error (&self->error);
  g_mutex_clear (&self->loop_lock);
  g_free (self->missing_description);
  g_free (self->missing_package);

  G_OBJECT_CLASS (kinema_player_parent_class)->finalize (object);
}

static void
kinema_player_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  KinemaPlayer *self = KINEMA_PLAYER (object);

  switch (prop_id)
    {
    case PROP_URI:
      g_value_set_string (value, self->uri);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PLAYING:
      g_value_set_boolean (value, kinema_player_get_playing (self));
      break;
    case PROP_POSITION:
      g_value_set_int64 (value, self->position);
      break;
    case PROP_DURATION:
      g_value_set_int64 (value, self->duration);
      break;
    case PROP_RATE:
      g_value_set_double (value, self->rate);
      break;
    case PROP_LOOP:
      g_value_set_boolean (value, self->loop);
      break;
    case PROP_MUTED:
      g_value_set_boolean (value, self->muted);
      break;
    case PROP_WIDTH:
      g_value_set_int (value, self->width);
      break;
    case PROP_HEIGHT:
      g_value_set_int (value, self->height);
      break;
    case PROP_FRAMERATE:
      g_value_set_double (value, kinema_player_get_framerate (self));
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_PAINTABLE:
      g_value_set_object (value, self->paintable);
      break;
    case PROP_SINK:
      g_value_set_enum (value, self->sink_kind);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kinema_player_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  KinemaPlayer *self = KINEMA_PLAYER (object);

  switch (prop_id)
    {
    case PROP_RATE:
      kinema_player_set_rate (self, g_value_get_double (value));
      break;
    case PROP_LOOP:
      kinema_player_set_loop (self, g_value_get_boolean (value));
      break;
    case PROP_MUTED:
      kinema_player_set_muted (self, g_value_get_boolean (value));
      break;
    case PROP_SINK:
      self->sink_kind = g_value_get_enum (value);
      break;
    case PROP_PLAYING:
      if (g_value_get_boolean (value))
        kinema_player_play (self);
      else
        kinema_player_pause (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kinema_player_class_init (KinemaPlayerClass *klass)
{
  GObjectClass     *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = kinema_player_constructed;
  object_class->dispose = kinema_player_dispose;
  object_class->finalize = kinema_player_finalize;
  object_class->get_property = kinema_player_get_property;
  object_class->set_property = kinema_player_set_property;

  properties[PROP_URI] = g_param_spec_string ("uri", NULL, NULL, NULL, ro);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, KINEMA_TYPE_PLAYER_STATE,
                                              KINEMA_PLAYER_STATE_EMPTY, ro);
  properties[PROP_PLAYING] = g_param_spec_boolean ("playing", NULL, NULL, FALSE, rw);
  properties[PROP_POSITION] = g_param_spec_int64 ("position", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_DURATION] = g_param_spec_int64 ("duration", NULL, NULL, -1, G_MAXINT64, -1, ro);
  properties[PROP_RATE] = g_param_spec_double ("rate", NULL, NULL, KINEMA_PLAYER_MIN_RATE,
                                               KINEMA_PLAYER_MAX_RATE, 1.0, rw);
  properties[PROP_LOOP] = g_param_spec_boolean ("loop", NULL, NULL, TRUE, rw);
  properties[PROP_MUTED] = g_param_spec_boolean ("muted", NULL, NULL, FALSE, rw);
  properties[PROP_WIDTH] = g_param_spec_int ("width", NULL, NULL, 0, G_MAXINT, 0, ro);
  properties[PROP_HEIGHT] = g_param_spec_int ("height", NULL, NULL, 0, G_MAXINT, 0, ro);
  properties[PROP_FRAMERATE] = g_param_spec_double ("framerate", NULL, NULL, 0, G_MAXDOUBLE, 0, ro);
  properties[PROP_ERROR] = g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, ro);
  properties[PROP_PAINTABLE] = g_param_spec_object ("paintable", NULL, NULL, GDK_TYPE_PAINTABLE, ro);
  /* Construct-only: the sink asked for; reads back the one in use. */
  properties[PROP_SINK] = g_param_spec_enum ("sink", NULL, NULL, KINEMA_TYPE_PLAYER_SINK, KINEMA_PLAYER_SINK_AUTO,
                                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KinemaPlayer::error:
   * @error: a KINEMA_ERROR_MEDIA error with a plain-words message
   */
  signals[SIGNAL_ERROR] = g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                        NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  /* The clip went round to its start. */
  signals[SIGNAL_LOOPED] = g_signal_new ("looped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                         NULL, NULL, G_TYPE_NONE, 0);
  /* The clip reached its end with loop off (the player pauses there). */
  signals[SIGNAL_ENDED] = g_signal_new ("ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                        NULL, G_TYPE_NONE, 0);
}

static void
kinema_player_init (KinemaPlayer *self)
{
  self->sink_kind = KINEMA_PLAYER_SINK_AUTO;
  self->rate = 1.0;
  self->loop = TRUE;
  self->duration = -1;
  self->pending_seek = -1;
  self->fps_d = 1;
  g_mutex_init (&self->loop_lock);
  share_loop_and_rate (self);
}

KinemaPlayer *
kinema_player_new (void)
{
  return kinema_player_new_with_sink (KINEMA_PLAYER_SINK_AUTO);
}

KinemaPlayer *
kinema_player_new_with_sink (KinemaPlayerSink sink)
{
  return g_object_new (KINEMA_TYPE_PLAYER, "sink", sink, NULL);
}
