/* kinema-exporter.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Explicit pipelines, one branch per shot, joined by `concat`:
 *
 *   remux:     filesrc ! qtdemux ─ video ─────────────────────── concat ! queue ! mp4mux ! filesink
 *                                └ audio ─────────────────────── concat ! queue ┘
 *   re-encode: filesrc ! decodebin ─ video ! videoscale ! videoconvert ! videorate ! caps ─ concat ! queue ! encoder … mux
 *                                  └ audio ! audioconvert ! audioresample ! caps ──────── concat ! queue ! encoder ┘
 *   GIF:       as re-encode, video only, into an appsink; frames go to KinemaGifWriter.
 *
 * In the re-encoding pipelines a probe at the end of each shot's branch puts the
 * shot on the joined timeline itself: it turns the shot's times into its running time,
 * adds the length of the shots before it (counted in whole frames), applies the trim
 * and replaces the shot's segment by one that starts at 0. `concat` (adjust-base off)
 * then only has to hand the shots on in order, and the encoders see one continuous
 * stream. A shot without sound gets silence of its length when others have sound.
 * Shots entirely outside the trim are left out of the pipeline.
 *
 * GStreamer 1.22 has no GIF encoder: frames come from an appsink and go through
 * libimagequant and giflib (kinema-gif-writer.c).
 */

#define G_LOG_DOMAIN "kinema-exporter"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <gst/app/gstappsink.h>
#include <gst/audio/audio.h>
#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>
#include <gst/video/video.h>

#include "kinema-atomic-file.h"
#include "kinema-error.h"
#include "kinema-exporter.h"
#include "kinema-gif-writer.h"
#include "kinema-media-error.h"
#include "kinema-media-private.h"

/* Bounds on what one export takes on. */
#define MAX_SHOTS 200
#define PROBE_TIMEOUT_S 20
/* An export that makes no progress for this long has stalled (damaged input). */
#define STALL_TIMEOUT_S 60
/* A small animated GIF: at most this many frames a second and this wide. */
#define GIF_MAX_FPS 12
#define GIF_MAX_WIDTH 480
/* The sound every re-encoded shot is brought to before the encoder. */
#define AUDIO_RATE 48000
#define AUDIO_CHANNELS 2
#define AUDIO_BPF (2 * AUDIO_CHANNELS)
/* How often "fraction" and "time-left" may change. */
#define NOTIFY_INTERVAL_MS 100

struct _KinemaExporter
{
  GObject parent_instance;

  GStrv              paths;
  KinemaExportFormat format;
  char              *output;
  guint              size;
  gint64             trim_in;
  gint64             trim_out;

  /* Written by the export's thread and its streaming threads, under the lock. */
  GMutex        lock;
  double        fraction;
  gint64        time_left;
  gint64        duration;
  gboolean      remuxed;
  gboolean      used_encoder;
  GMainContext *notify_context;
  guint         notify_source;
  gint64        last_notify;
};

G_DEFINE_FINAL_TYPE (KinemaExporter, kinema_exporter, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_FRACTION,
  PROP_TIME_LEFT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------------- */
/* One run */

typedef struct _Run Run;

typedef struct
{
  Run  *run;
  guint index;
  char *path;
  /* From the discoverer */
  GstClockTime duration;
  GstCaps     *video_caps;
  GstCaps     *audio_caps;
  guint        width;
  guint        height;
  guint        fps_n;
  guint        fps_d;
  /* On the joined timeline (nanoseconds, whole frames) */
  GstClockTime length;
  GstClockTime offset;
  /* The ends of the shot's branches, linked from pad-added */
  GstElement *video_in;
  GstElement *audio_in;
  gboolean    video_linked;
  gboolean    audio_linked;
  /* The shot's own segments, as its probes last saw them */
  GstSegment video_segment;
  GstSegment audio_segment;
} Shot;

struct _Run
{
  KinemaExporter *self;
  GPtrArray      *shots; /* Shot, all of them */
  GstElement     *pipeline;
  GstElement     *concat_video;
  GstElement     *concat_audio;
  GstElement     *appsink;
  gboolean        with_audio;
  gboolean        remux;
  guint           out_width;
  guint           out_height;
  guint           fps_n;
  guint           fps_d;
  GstClockTime    in;
  GstClockTime    out; /* the end of the result on the joined timeline */
  GMutex          lock;
  GstClockTime    position; /* how far the result has got */
  GstSegment      remux_segment;
};

static void
shot_free (gpointer data)
{
  Shot *shot = data;

  g_free (shot->path);
  gst_clear_caps (&shot->video_caps);
  gst_clear_caps (&shot->audio_caps);
  g_free (shot);
}

/* ------------------------------------------------------------------------- */
/* Errors */

static GError *
export_error (KinemaErrorCode code,
              const char     *message,
              const char     *technical)
{
  GError *error = kinema_error_new (code, 0, NULL, technical, NULL);

  g_free (error->message);
  error->message = g_strdup (message);
  return error;
}

static const char *
package_for_element (const char *factory)
{
  static const struct
  {
    const char *factory, *package;
  } packages[] = {
    { "x264enc", "gstreamer1.0-plugins-ugly" },
    { "avenc_aac", "gstreamer1.0-libav" },
    { "voaacenc", "gstreamer1.0-plugins-bad" },
    { "vp9enc", "gstreamer1.0-plugins-good" },
    { "mp4mux", "gstreamer1.0-plugins-good" },
    { "qtdemux", "gstreamer1.0-plugins-good" },
    { "webmmux", "gstreamer1.0-plugins-good" },
    { "opusenc", "gstreamer1.0-plugins-base" },
    { "h264parse", "gstreamer1.0-plugins-bad" },
    { "aacparse", "gstreamer1.0-plugins-good" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (packages); i++)
    if (g_str_equal (packages[i].factory, factory))
      return packages[i].package;
  return "gstreamer1.0-plugins-base";
}

static GstElement *
make (const char *factory,
      GError    **error)
{
  GstElement      *element = gst_element_factory_make (factory, NULL);
  g_autofree char *message = NULL;

  if (element != NULL)
    return element;
  /* Translators: the first %s is a GStreamer element ("x264enc"), the second a Debian package. */
  message = g_strdup_printf (_("Exporting needs the GStreamer element “%s”, which is not installed. "
                               "Install the package “%s” and try again."),
                                factory, package_for_element (factory));
  g_propagate_error (error, export_error (KINEMA_ERROR_MEDIA, message, factory));
  return NULL;
}

/* Adds @factory to @bin and links it after @previous (when given). */
static GstElement *
add (GstBin     *bin,
     GstElement *previous,
     const char *factory,
     GError    **error)
{
  GstElement *element = make (factory, error);

  if (element == NULL)
    return NULL;
  gst_bin_add (bin, element);
  if (previous != NULL && !gst_element_link (previous, element))
    {
      g_autofree char *technical = g_strdup_printf ("cannot link %s to %s", GST_OBJECT_NAME (previous),
                                                    factory);

      g_propagate_error (error, export_error (KINEMA_ERROR_MEDIA, _("The export could not be set up."),
                                                                     technical));
      return NULL;
    }
  return element;
}

/* ------------------------------------------------------------------------- */
/* Progress */

static gboolean
notify_cb (gpointer user_data)
{
  KinemaExporter *self = user_data;

  g_mutex_lock (&self->lock);
  self->notify_source = 0;
  g_mutex_unlock (&self->lock);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME_LEFT]);
  return G_SOURCE_REMOVE;
}

static void
set_progress (KinemaExporter *self,
              double          fraction,
              gint64          time_left,
              gboolean        force)
{
  gint64 now = g_get_monotonic_time ();

  g_mutex_lock (&self->lock);
  self->fraction = CLAMP (fraction, 0.0, 1.0);
  self->time_left = time_left;
  if (self->notify_context != NULL && self->notify_source == 0 &&
      (force || now - self->last_notify >= NOTIFY_INTERVAL_MS * 1000))
    {
      GSource *source = g_idle_source_new ();

      self->last_notify = now;
      g_source_set_callback (source, notify_cb, g_object_ref (self), g_object_unref);
      self->notify_source = g_source_attach (source, self->notify_context);
      g_source_unref (source);
    }
  g_mutex_unlock (&self->lock);
}

static void
run_advance (Run         *run,
             GstClockTime end)
{
  g_mutex_lock (&run->lock);
  if (!GST_CLOCK_TIME_IS_VALID (run->position) || end > run->position)
    run->position = end;
  g_mutex_unlock (&run->lock);
}

static GstClockTime
run_get_position (Run *run)
{
  GstClockTime position;

  g_mutex_lock (&run->lock);
  position = run->position;
  g_mutex_unlock (&run->lock);
  return position;
}

/* ------------------------------------------------------------------------- */
/* Looking at the shots */

static gboolean
probe_shot (Shot          *shot,
            GstDiscoverer *discoverer,
            GError       **error)
{
  g_autoptr(GstDiscovererInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (shot->path);
  g_autofree char *uri = g_file_get_uri (file);
  GList           *streams;
  GError          *missing;

  missing = kinema_media_error_check_uri (uri);
  if (missing != NULL)
    {
      g_propagate_error (error, missing);
      return FALSE;
    }

  info = gst_discoverer_discover_uri (discoverer, uri, &local_error);
  if (info == NULL || gst_discoverer_info_get_result (info) != GST_DISCOVERER_OK)
    {
      if (info != NULL && gst_discoverer_info_get_result (info) == GST_DISCOVERER_MISSING_PLUGINS)
        g_propagate_error (error, kinema_media_error_missing_decoder (NULL, NULL));
      else if (local_error != NULL && local_error->domain != G_IO_ERROR)
        g_propagate_error (error, kinema_media_error_from_gst (local_error, NULL));
      else
        g_propagate_error (error, kinema_media_error_damaged (local_error != NULL ? local_error->message : NULL));
      return FALSE;
    }

  streams = gst_discoverer_info_get_video_streams (info);
  if (streams != NULL)
    {
      GstDiscovererVideoInfo *video = streams->data;

      shot->video_caps = gst_discoverer_stream_info_get_caps (streams->data);
      shot->width = gst_discoverer_video_info_get_width (video);
      shot->height = gst_discoverer_video_info_get_height (video);
      shot->fps_n = gst_discoverer_video_info_get_framerate_num (video);
      shot->fps_d = gst_discoverer_video_info_get_framerate_denom (video);
      if (gst_discoverer_video_info_is_image (video))
        gst_clear_caps (&shot->video_caps);
    }
  gst_discoverer_stream_info_list_free (streams);
  streams = gst_discoverer_info_get_audio_streams (info);
  if (streams != NULL)
    shot->audio_caps = gst_discoverer_stream_info_get_caps (streams->data);
  gst_discoverer_stream_info_list_free (streams);

  shot->duration = gst_discoverer_info_get_duration (info);
  if (shot->video_caps == NULL || shot->width == 0 || shot->height == 0 ||
      !GST_CLOCK_TIME_IS_VALID (shot->duration) || shot->duration == 0)
    {
      g_propagate_error (error, kinema_media_error_not_video ());
      return FALSE;
    }
  if (shot->fps_n == 0 || shot->fps_d == 0 || shot->fps_n / shot->fps_d > 240)
    {
      /* Variable or unknown frame rate. */
      shot->fps_n = 30;
      shot->fps_d = 1;
    }
  return TRUE;
}

static gboolean
caps_equal_or_both_absent (GstCaps *a,
                           GstCaps *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return gst_caps_is_equal (a, b);
}

static gboolean
caps_named (GstCaps    *caps,
            const char *name)
{
  return caps != NULL && gst_caps_get_size (caps) > 0 &&
         gst_structure_has_name (gst_caps_get_structure (caps, 0), name);
}

/* Same H.264 (with the same codec data, so one sample description fits all), same
 * AAC or no sound at all, in MP4 files, with nothing to cut or scale. */
static gboolean
can_remux (Run *run)
{
  Shot *first = g_ptr_array_index (run->shots, 0);

  if (run->self->format != KINEMA_EXPORT_FORMAT_MP4 || run->in != 0 || run->self->trim_out >= 0 ||
      run->out_width != first->width || run->out_height != first->height)
    return FALSE;
  if (!caps_named (first->video_caps, "video/x-h264") ||
      (first->audio_caps != NULL && !caps_named (first->audio_caps, "audio/mpeg")))
    return FALSE;
  for (guint i = 0; i < run->shots->len; i++)
    {
      Shot *shot = g_ptr_array_index (run->shots, i);

      if (!caps_equal_or_both_absent (first->video_caps, shot->video_caps) ||
          !caps_equal_or_both_absent (first->audio_caps, shot->audio_caps))
        return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------- */
/* Dynamic pads */

static void
discard_pad (GstElement *pipeline,
             GstPad     *pad)
{
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);
  g_autoptr(GstPad) sinkpad = NULL;

  g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
  gst_bin_add (GST_BIN (pipeline), sink);
  sinkpad = gst_element_get_static_pad (sink, "sink");
  gst_pad_link (pad, sinkpad);
  gst_element_sync_state_with_parent (sink);
}

static void
pad_added_cb (GstElement *demux,
              GstPad     *pad,
              gpointer    user_data)
{
  Shot *shot = user_data;
  Run  *run = shot->run;
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  GstElement *target = NULL;
  const char *name;

  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  name = caps != NULL && gst_caps_get_size (caps) > 0
             ? gst_structure_get_name (gst_caps_get_structure (caps, 0))
             : "";

  g_mutex_lock (&run->lock);
  if (g_str_has_prefix (name, "video/") && !shot->video_linked)
    {
      shot->video_linked = TRUE;
      target = shot->video_in;
    }
  else if (g_str_has_prefix (name, "audio/") && !shot->audio_linked && shot->audio_in != NULL)
    {
      shot->audio_linked = TRUE;
      target = shot->audio_in;
    }
  g_mutex_unlock (&run->lock);

  if (target != NULL)
    {
      g_autoptr(GstPad) sinkpad = gst_element_get_static_pad (target, "sink");

      if (gst_pad_link (pad, sinkpad) == GST_PAD_LINK_OK)
        return;
    }
  discard_pad (run->pipeline, pad);
}

/* ------------------------------------------------------------------------- */
/* Putting each shot on the joined timeline (re-encoding) */

typedef struct
{
  Shot    *shot;
  gboolean audio;
} Branch;

static GstPadProbeReturn
shot_probe_cb (GstPad          *pad,
               GstPadProbeInfo *info,
               gpointer         user_data)
{
  Branch      *branch = user_data;
  Shot        *shot = branch->shot;
  Run         *run = shot->run;
  GstSegment  *segment = branch->audio ? &shot->audio_segment : &shot->video_segment;
  GstBuffer   *buffer;
  GstClockTime local, start, end, keep_from, keep_to;

  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM)
    {
      GstEvent  *event = GST_PAD_PROBE_INFO_EVENT (info);
      GstSegment joined;

      if (GST_EVENT_TYPE (event) != GST_EVENT_SEGMENT)
        return GST_PAD_PROBE_OK;
      gst_event_copy_segment (event, segment);
      if (segment->format != GST_FORMAT_TIME)
        return GST_PAD_PROBE_DROP;
      gst_segment_init (&joined, GST_FORMAT_TIME);
      GST_PAD_PROBE_INFO_DATA (info) = gst_event_new_segment (&joined);
      gst_event_unref (event);
      return GST_PAD_PROBE_OK;
    }

  buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  if (!GST_BUFFER_PTS_IS_VALID (buffer) || segment->format != GST_FORMAT_TIME)
    return GST_PAD_PROBE_DROP;
  local = gst_segment_to_running_time (segment, GST_FORMAT_TIME, GST_BUFFER_PTS (buffer));
  if (!GST_CLOCK_TIME_IS_VALID (local) || local >= shot->length)
    return GST_PAD_PROBE_DROP;

  start = shot->offset + local;
  keep_from = MAX (run->in, shot->offset);
  keep_to = MIN (run->out, shot->offset + shot->length);

  if (!branch->audio)
    {
      if (start < keep_from || start >= keep_to)
        return GST_PAD_PROBE_DROP;
      buffer = gst_buffer_make_writable (buffer);
      GST_BUFFER_PTS (buffer) = start - run->in;
      GST_BUFFER_DTS (buffer) = GST_CLOCK_TIME_NONE;
      GST_BUFFER_DURATION (buffer) = gst_util_uint64_scale (GST_SECOND, run->fps_d, run->fps_n);
      end = GST_BUFFER_PTS (buffer) + GST_BUFFER_DURATION (buffer);
      GST_PAD_PROBE_INFO_DATA (info) = buffer;
      run_advance (run, end);
      return GST_PAD_PROBE_OK;
    }
  else
    {
      GstSegment clip;

      buffer = gst_buffer_make_writable (buffer);
      GST_BUFFER_PTS (buffer) = start;
      GST_BUFFER_DURATION (buffer) = gst_util_uint64_scale (gst_buffer_get_size (buffer) / AUDIO_BPF,
                                                            GST_SECOND, AUDIO_RATE);
      gst_segment_init (&clip, GST_FORMAT_TIME);
      clip.start = keep_from;
      clip.stop = keep_to;
      buffer = gst_audio_buffer_clip (buffer, &clip, AUDIO_RATE, AUDIO_BPF);
      if (buffer == NULL)
        {
          GST_PAD_PROBE_INFO_DATA (info) = NULL;
          return GST_PAD_PROBE_HANDLED;
        }
      GST_BUFFER_PTS (buffer) -= run->in;
      GST_PAD_PROBE_INFO_DATA (info) = buffer;
      return GST_PAD_PROBE_OK;
    }
}

/* Remuxing: the result's position, from concat's own timeline. */
static GstPadProbeReturn
remux_probe_cb (GstPad          *pad,
                GstPadProbeInfo *info,
                gpointer         user_data)
{
  Run         *run = user_data;
  GstClockTime running;
  GstBuffer   *buffer;

  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM)
    {
      GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);

      if (GST_EVENT_TYPE (event) == GST_EVENT_SEGMENT)
        gst_event_copy_segment (event, &run->remux_segment);
      return GST_PAD_PROBE_OK;
    }
  buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  if (run->remux_segment.format == GST_FORMAT_TIME && GST_BUFFER_PTS_IS_VALID (buffer))
    {
      running = gst_segment_to_running_time (&run->remux_segment, GST_FORMAT_TIME, GST_BUFFER_PTS (buffer));
      if (GST_CLOCK_TIME_IS_VALID (running))
        run_advance (run, running);
    }
  return GST_PAD_PROBE_OK;
}

/* ------------------------------------------------------------------------- */
/* Building the pipelines */

static void
element_added_cb (GstBin     *bin,
                  GstBin     *sub_bin,
                  GstElement *element,
                  gpointer    user_data)
{
  Run               *run = user_data;
  GstElementFactory *factory = gst_element_get_factory (element);
  const char        *klass;

  if (factory == NULL)
    return;
  klass = gst_element_factory_get_metadata (factory, GST_ELEMENT_METADATA_KLASS);
  if (klass != NULL && strstr (klass, "Encoder") != NULL)
    {
      g_mutex_lock (&run->self->lock);
      run->self->used_encoder = TRUE;
      g_mutex_unlock (&run->self->lock);
    }
}

static void
element_added_top_cb (GstBin     *bin,
                      GstElement *element,
                      gpointer    user_data)
{
  element_added_cb (bin, bin, element, user_data);
}

static GstPad *
request_concat_pad (GstElement *concat)
{
  return gst_element_request_pad_simple (concat, "sink_%u");
}

static gboolean
link_to_concat (GstElement *element,
                GstElement *concat,
                GError    **error)
{
  g_autoptr(GstPad) srcpad = gst_element_get_static_pad (element, "src");
  GstPad  *sinkpad = request_concat_pad (concat);
  gboolean ok;

  ok = sinkpad != NULL && gst_pad_link (srcpad, sinkpad) == GST_PAD_LINK_OK;
  if (sinkpad != NULL)
    gst_object_unref (sinkpad);
  if (!ok)
    g_propagate_error (error, export_error (KINEMA_ERROR_MEDIA, _("The export could not be set up."),
                                                                   "cannot link a shot to concat"));
  return ok;
}

static gboolean
add_remux_shot (Run     *run,
                Shot    *shot,
                GError **error)
{
  GstBin     *bin = GST_BIN (run->pipeline);
  GstElement *src, *demux, *parse;

  if ((src = add (bin, NULL, "filesrc", error)) == NULL || (demux = add (bin, src, "qtdemux", error)) == NULL)
    return FALSE;
  g_object_set (src, "location", shot->path, NULL);
  g_signal_connect (demux, "pad-added", G_CALLBACK (pad_added_cb), shot);

  /* The parsers complete the caps (size, rate) that mp4mux wants. */
  if ((parse = add (bin, NULL, "h264parse", error)) == NULL || !link_to_concat (parse, run->concat_video, error))
    return FALSE;
  shot->video_in = parse;
  if (run->with_audio)
    {
      if ((parse = add (bin, NULL, "aacparse", error)) == NULL || !link_to_concat (parse, run->concat_audio, error))
        return FALSE;
      shot->audio_in = parse;
    }
  return TRUE;
}

static GstCaps *
run_video_caps (Run *run)
{
  return gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING,
                              run->self->format == KINEMA_EXPORT_FORMAT_GIF ? "RGBA" : "I420", "width",
                              G_TYPE_INT, (int) run->out_width, "height", G_TYPE_INT, (int) run->out_height,
                              "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1, "framerate", GST_TYPE_FRACTION,
                              (int) run->fps_n, (int) run->fps_d, NULL);
}

static GstCaps *
run_audio_caps (void)
{
  return gst_caps_new_simple ("audio/x-raw", "format", G_TYPE_STRING, "S16LE", "layout", G_TYPE_STRING,
                              "interleaved", "rate", G_TYPE_INT, AUDIO_RATE, "channels", G_TYPE_INT,
                              AUDIO_CHANNELS, NULL);
}

static void
add_shot_probe (Shot       *shot,
                GstElement *element,
                gboolean    audio)
{
  g_autoptr(GstPad) pad = gst_element_get_static_pad (element, "src");
  Branch *branch = g_new0 (Branch, 1);

  branch->shot = shot;
  branch->audio = audio;
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, shot_probe_cb,
                     branch, g_free);
}

static gboolean
add_decode_shot (Run     *run,
                 Shot    *shot,
                 GError **error)
{
  GstBin     *bin = GST_BIN (run->pipeline);
  GstElement *src, *decode, *first, *last, *caps;
  g_autoptr(GstCaps) video_caps = run_video_caps (run);

  if ((src = add (bin, NULL, "filesrc", error)) == NULL || (decode = add (bin, src, "decodebin", error)) == NULL)
    return FALSE;
  g_object_set (src, "location", shot->path, NULL);
  g_signal_connect (decode, "pad-added", G_CALLBACK (pad_added_cb), shot);

  if ((first = add (bin, NULL, "videoscale", error)) == NULL ||
      (last = add (bin, first, "videoconvert", error)) == NULL ||
      (last = add (bin, last, "videorate", error)) == NULL || (caps = add (bin, NULL, "capsfilter", error)) == NULL)
    return FALSE;
  g_object_set (caps, "caps", video_caps, NULL);
  if (!gst_element_link (last, caps) || !link_to_concat (caps, run->concat_video, error))
    {
      if (error != NULL && *error == NULL)
        g_propagate_error (error, export_error (KINEMA_ERROR_MEDIA, _("The export could not be set up."),
                                                                       "cannot convert the video"));
      return FALSE;
    }
  shot->video_in = first;
  add_shot_probe (shot, caps, FALSE);

  if (run->with_audio)
    {
      g_autoptr(GstCaps) audio_caps = run_audio_caps ();

      if (shot->audio_caps != NULL)
        {
          if ((first = add (bin, NULL, "audioconvert", error)) == NULL ||
              (last = add (bin, first, "audioresample", error)) == NULL)
            return FALSE;
          shot->audio_in = first;
        }
      else
        {
          /* Silence as long as the shot, in 10 ms buffers. */
          guint samples = AUDIO_RATE / 100;

          if ((first = add (bin, NULL, "audiotestsrc", error)) == NULL)
            return FALSE;
          g_object_set (first, "samplesperbuffer", samples, "num-buffers",
                        (int) (gst_util_uint64_scale_ceil (shot->length, AUDIO_RATE, GST_SECOND) / samples + 1),
                        NULL);
          gst_util_set_object_arg (G_OBJECT (first), "wave", "silence");
          last = first;
        }
      if ((caps = add (bin, last, "capsfilter", error)) == NULL)
        return FALSE;
      g_object_set (caps, "caps", audio_caps, NULL);
      if (!link_to_concat (caps, run->concat_audio, error))
        return FALSE;
      add_shot_probe (shot, caps, TRUE);
    }
  return TRUE;
}

/* By name: a queue's caps fit any of the muxer's pads. */
static gboolean
link_to_mux (GstElement *element,
             GstElement *mux,
             const char *template,
             GError **error)
{
  g_autoptr(GstPad) srcpad = gst_element_get_static_pad (element, "src");
  GstPad  *sinkpad = gst_element_request_pad_simple (mux, template);
  gboolean ok;

  ok = sinkpad != NULL && gst_pad_link (srcpad, sinkpad) == GST_PAD_LINK_OK;
  if (sinkpad != NULL)
    gst_object_unref (sinkpad);
  if (!ok)
    {
      g_autofree char *technical = g_strdup_printf ("cannot link %s to %s", GST_OBJECT_NAME (element), template);

      g_propagate_error (error, export_error (KINEMA_ERROR_MEDIA, _("The export could not be set up."), technical));
    }
  return ok;
}

static gboolean
build_pipeline (Run        *run,
                const char *temp_path,
                GError    **error)
{
  KinemaExporter *self = run->self;
  GstBin         *bin;
  GstElement     *mux = NULL, *last, *sink;

  run->pipeline = gst_pipeline_new ("kinema-export");
  bin = GST_BIN (run->pipeline);
  g_signal_connect (run->pipeline, "deep-element-added", G_CALLBACK (element_added_cb), run);
  g_signal_connect (run->pipeline, "element-added", G_CALLBACK (element_added_top_cb), run);

  if ((run->concat_video = add (bin, NULL, "concat", error)) == NULL)
    return FALSE;
  if (run->with_audio && (run->concat_audio = add (bin, NULL, "concat", error)) == NULL)
    return FALSE;
  if (!run->remux)
    {
      /* The shots' probes have put them on one timeline already. */
      g_object_set (run->concat_video, "adjust-base", FALSE, NULL);
      if (run->concat_audio != NULL)
        g_object_set (run->concat_audio, "adjust-base", FALSE, NULL);
    }

  for (guint i = 0; i < run->shots->len; i++)
    {
      Shot *shot = g_ptr_array_index (run->shots, i);

      if (shot->offset + shot->length <= run->in || shot->offset >= run->out)
        continue;
      if (!(run->remux ? add_remux_shot (run, shot, error) : add_decode_shot (run, shot, error)))
        return FALSE;
    }

  if (self->format == KINEMA_EXPORT_FORMAT_GIF)
    {
      g_autoptr(GstCaps) caps = run_video_caps (run);

      if ((last = add (bin, run->concat_video, "queue", error)) == NULL ||
          (run->appsink = add (bin, last, "appsink", error)) == NULL)
        return FALSE;
      g_object_set (run->appsink, "caps", caps, "sync", FALSE, "max-buffers", 4, "drop", FALSE, NULL);
      return TRUE;
    }

  if ((mux = add (bin, NULL, self->format == KINEMA_EXPORT_FORMAT_MP4 ? "mp4mux" : "webmmux", error)) == NULL ||
      (sink = add (bin, mux, "filesink", error)) == NULL)
    return FALSE;
  g_object_set (sink, "location", temp_path, NULL);

  /* Video */
  if ((last = add (bin, run->concat_video, "queue", error)) == NULL)
    return FALSE;
  if (run->remux)
    {
      g_autoptr(GstPad) pad = gst_element_get_static_pad (run->concat_video, "src");

      gst_segment_init (&run->remux_segment, GST_FORMAT_UNDEFINED);
      gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, remux_probe_cb,
                         run, NULL);
    }
  else if (self->format == KINEMA_EXPORT_FORMAT_MP4)
    {
      if ((last = add (bin, last, "x264enc", error)) == NULL)
        return FALSE;
      /* superfast: on a busy 2-core machine x264 re-encoded 30 s of 720p30 in 8.2 s
       * (veryfast: 13.5 s) for a file 1 % larger at the same quantizer; the issue asks
       * for at least 2x real time there (bench: export-720p). */
      gst_util_set_object_arg (G_OBJECT (last), "speed-preset", "superfast");
      gst_util_set_object_arg (G_OBJECT (last), "pass", "qual");
      g_object_set (last, "quantizer", 21, "key-int-max", (guint) MAX (1, 2 * run->fps_n / run->fps_d), NULL);
    }
  else
    {
      if ((last = add (bin, last, "vp9enc", error)) == NULL)
        return FALSE;
      /* Constant quality at the real-time speed: fast enough on two cores. */
      gst_util_set_object_arg (G_OBJECT (last), "end-usage", "q");
      g_object_set (last, "cq-level", 32, "deadline", (gint64) 1, "cpu-used", 8, "row-mt", TRUE, "threads",
                    (int) MIN (g_get_num_processors (), 8), "keyframe-max-dist",
                    (int) MAX (1, 2 * run->fps_n / run->fps_d), NULL);
    }
  if (!link_to_mux (last, mux, "video_%u", error))
    return FALSE;

  /* Sound */
  if (run->with_audio)
    {
      if ((last = add (bin, run->concat_audio, "queue", error)) == NULL)
        return FALSE;
      if (!run->remux)
        {
          if ((last = add (bin, last, "audioconvert", error)) == NULL)
            return FALSE;
          if (self->format == KINEMA_EXPORT_FORMAT_MP4)
            {
              GstElementFactory *factory = gst_element_factory_find ("avenc_aac");

              last = add (bin, last, factory != NULL ? "avenc_aac" : "voaacenc", error);
              g_clear_object (&factory);
              if (last == NULL)
                return FALSE;
              g_object_set (last, "bitrate", 160000, NULL);
            }
          else
            {
              if ((last = add (bin, last, "opusenc", error)) == NULL)
                return FALSE;
              g_object_set (last, "bitrate", 128000, NULL);
            }
        }
      if (!link_to_mux (last, mux, "audio_%u", error))
        return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------- */
/* Running */

static gboolean
handle_message (Run        *run,
                GstMessage *msg,
                char      **missing,
                gboolean   *eos,
                GError    **error)
{
  switch (GST_MESSAGE_TYPE (msg))
    {
    case GST_MESSAGE_EOS:
      *eos = TRUE;
      return TRUE;
    case GST_MESSAGE_ELEMENT:
      if (*missing == NULL)
        {
          g_autofree char *package = NULL;

          kinema_media_parse_missing_plugin (msg, missing, &package);
        }
      return TRUE;
    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) gst_error = NULL;
        g_autofree char *debug = NULL;

        gst_message_parse_error (msg, &gst_error, &debug);
        if (*missing != NULL)
          g_propagate_error (error, kinema_media_error_missing_decoder (*missing, NULL));
        else if (gst_error->domain == GST_RESOURCE_ERROR &&
                 (gst_error->code == GST_RESOURCE_ERROR_NO_SPACE_LEFT ||
                  gst_error->code == GST_RESOURCE_ERROR_WRITE ||
                  gst_error->code == GST_RESOURCE_ERROR_OPEN_WRITE))
          {
            g_autofree char *technical = g_strdup_printf ("%s (%s)", gst_error->message, debug);

            g_propagate_error (error, export_error (KINEMA_ERROR_DISK,
                                                    _("The export could not be written. The disk may be full."),
                                                       technical));
          }
        else
          g_propagate_error (error, kinema_media_error_from_gst (gst_error, debug));
        return FALSE;
      }
    default:
      return TRUE;
    }
}

static gboolean
pull_gif_frames (Run             *run,
                 KinemaGifWriter *gif,
                 gboolean        *eos,
                 GError         **error)
{
  for (;;)
    {
      g_autoptr(GstSample) sample = gst_app_sink_try_pull_sample (GST_APP_SINK (run->appsink), 50 * GST_MSECOND);
      GstBuffer    *buffer;
      GstVideoInfo  info;
      GstVideoFrame frame;
      gboolean      ok;

      if (sample == NULL)
        {
          *eos = gst_app_sink_is_eos (GST_APP_SINK (run->appsink));
          return TRUE;
        }
      buffer = gst_sample_get_buffer (sample);
      if (buffer == NULL || !gst_video_info_from_caps (&info, gst_sample_get_caps (sample)) ||
          GST_VIDEO_INFO_WIDTH (&info) != (int) run->out_width ||
          GST_VIDEO_INFO_HEIGHT (&info) != (int) run->out_height ||
          !gst_video_frame_map (&frame, &info, buffer, GST_MAP_READ))
        {
          g_propagate_error (error, export_error (KINEMA_ERROR_MEDIA, _("The export could not be set up."),
                                                                         "unexpected frame from the appsink"));
          return FALSE;
        }
      ok = kinema_gif_writer_add_frame (gif, GST_VIDEO_FRAME_PLANE_DATA (&frame, 0),
                                        GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0), GST_BUFFER_PTS (buffer), error);
      gst_video_frame_unmap (&frame);
      if (!ok)
        return FALSE;
      if (GST_BUFFER_DURATION_IS_VALID (buffer))
        run_advance (run, GST_BUFFER_PTS (buffer) + GST_BUFFER_DURATION (buffer));
      return TRUE;
    }
}

static gboolean
run_pipeline (Run             *run,
              KinemaGifWriter *gif,
              GCancellable    *cancellable,
              GError         **error)
{
  KinemaExporter *self = run->self;
  g_autoptr(GstBus) bus = gst_element_get_bus (run->pipeline);
  g_autofree char *missing = NULL;
  GstClockTime     duration = run->out - run->in;
  GstClockTime     last_position = GST_CLOCK_TIME_NONE;
  gint64           started = g_get_monotonic_time ();
  gint64           last_progress = started;
  gboolean         eos = FALSE;

  if (gst_element_set_state (run->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_autoptr(GstMessage) msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

      if (msg == NULL || handle_message (run, msg, &missing, &eos, error))
        g_propagate_error (error, export_error (KINEMA_ERROR_MEDIA, _("The export could not be started."), NULL));
      return FALSE;
    }

  while (!eos)
    {
      GstClockTime position;
      gint64       now;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      if (gif != NULL && !pull_gif_frames (run, gif, &eos, error))
        return FALSE;

      for (;;)
        {
          g_autoptr(GstMessage) msg = gst_bus_timed_pop_filtered (
              bus, gif != NULL ? 0 : 100 * GST_MSECOND,
              GST_MESSAGE_ERROR | GST_MESSAGE_EOS | GST_MESSAGE_ELEMENT);
          gboolean bus_eos = FALSE;

          if (msg == NULL)
            break;
          if (!handle_message (run, msg, &missing, &bus_eos, error))
            return FALSE;
          /* With an appsink, the end is when its last frame has been taken. */
          if (bus_eos && gif == NULL)
            eos = TRUE;
        }

      now = g_get_monotonic_time ();
      position = run_get_position (run);
      if (GST_CLOCK_TIME_IS_VALID (position) && position != last_position)
        {
          double fraction = duration > 0 ? (double) MIN (position, duration) / duration : 0;
          gint64 left = -1;

          last_position = position;
          last_progress = now;
          if (fraction > 0.02)
            left = (gint64) ((now - started) * (1 - fraction) / fraction);
          set_progress (self, fraction, left, FALSE);
        }
      else if (now - last_progress > STALL_TIMEOUT_S * G_USEC_PER_SEC)
        {
          g_propagate_error (error, export_error (KINEMA_ERROR_MEDIA,
                                                  _("The export stopped making progress. One of the clips may "
                                                    "be damaged."),
                                                     NULL));
          return FALSE;
        }
    }
  return TRUE;
}

/* The file could not be written in @output's folder: @io says why (the details). */
static GError *
save_error (const char   *output,
            const GError *io)
{
  g_autofree char *dir = g_path_get_dirname (output);
  /* Translators: %s is a folder. */
  g_autofree char *message = g_strdup_printf (_("The export cannot be saved in “%s”."), dir);

  return export_error (KINEMA_ERROR_DISK, message, io->message);
}

static void
plan_output (Run *run)
{
  KinemaExporter *self = run->self;
  Shot           *first = g_ptr_array_index (run->shots, 0);
  guint           height = first->height;
  guint           width;

  if (self->size > 0 && self->size < height)
    height = self->size;
  width = (guint) gst_util_uint64_scale_round (first->width, height, first->height);
  if (self->format == KINEMA_EXPORT_FORMAT_GIF && width > GIF_MAX_WIDTH)
    {
      height = (guint) gst_util_uint64_scale_round (height, GIF_MAX_WIDTH, width);
      width = GIF_MAX_WIDTH;
    }
  /* H.264 and VP9 in 4:2:0 want even sides; keep the original when nothing changes. */
  if (width != first->width || height != first->height || self->format != KINEMA_EXPORT_FORMAT_GIF)
    {
      width = MAX (2, width & ~1u);
      height = MAX (2, height & ~1u);
    }
  run->out_width = width;
  run->out_height = height;

  run->fps_n = first->fps_n;
  run->fps_d = first->fps_d;
  if (self->format == KINEMA_EXPORT_FORMAT_GIF && (double) run->fps_n / run->fps_d > GIF_MAX_FPS)
    {
      run->fps_n = GIF_MAX_FPS;
      run->fps_d = 1;
    }
}

static gboolean
export_run (KinemaExporter *self,
            GCancellable   *cancellable,
            GError        **error)
{
  g_autoptr(GstDiscoverer) discoverer = NULL;
  g_autoptr(KinemaGifWriter) gif = NULL;
  g_autoptr(KinemaAtomicFile) file = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GError) io_error = NULL;
  GstClockTime total = 0;
  Run          run = { 0 };
  gboolean     ok = FALSE;
  guint        n_paths = g_strv_length (self->paths);

  _kinema_media_init ();
  if (n_paths == 0 || n_paths > MAX_SHOTS)
    {
      g_set_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT,
                   _("An export takes between 1 and %u clips."), MAX_SHOTS);
      return FALSE;
    }

  run.self = self;
  run.shots = g_ptr_array_new_with_free_func (shot_free);
  run.position = GST_CLOCK_TIME_NONE;
  g_mutex_init (&run.lock);
  g_mutex_lock (&self->lock);
  self->used_encoder = FALSE;
  self->remuxed = FALSE;
  g_mutex_unlock (&self->lock);
  set_progress (self, 0, -1, TRUE);

  discoverer = gst_discoverer_new (PROBE_TIMEOUT_S * GST_SECOND, &local_error);
  if (discoverer == NULL)
    {
      g_propagate_error (error, kinema_media_error_from_gst (local_error, NULL));
      goto out;
    }
  for (guint i = 0; i < n_paths; i++)
    {
      Shot *shot = g_new0 (Shot, 1);

      shot->run = &run;
      shot->index = i;
      shot->path = g_strdup (self->paths[i]);
      g_ptr_array_add (run.shots, shot);
      if (g_cancellable_set_error_if_cancelled (cancellable, error) || !probe_shot (shot, discoverer, error))
        goto out;
      /* GIF has no sound. */
      if (shot->audio_caps != NULL && self->format != KINEMA_EXPORT_FORMAT_GIF)
        run.with_audio = TRUE;
    }

  plan_output (&run);
  /* Each shot lasts a whole number of the result's frames. */
  for (guint i = 0; i < run.shots->len; i++)
    {
      Shot   *shot = g_ptr_array_index (run.shots, i);
      guint64 frames = MAX (1, gst_util_uint64_scale_round (shot->duration, run.fps_n, GST_SECOND * run.fps_d));

      shot->offset = total;
      shot->length = gst_util_uint64_scale (frames, GST_SECOND * run.fps_d, run.fps_n);
      total += shot->length;
    }

  run.in = self->trim_in > 0 ? (GstClockTime) self->trim_in : 0;
  run.out = self->trim_out >= 0 ? MIN ((GstClockTime) self->trim_out, total) : total;
  if (run.in >= run.out)
    {
      g_set_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT,
                   _("The end of the export must come after its start, within the %.1f seconds of the clips."),
                      (double) total / GST_SECOND);
      goto out;
    }
  g_mutex_lock (&self->lock);
  self->duration = (gint64) (run.out - run.in);
  g_mutex_unlock (&self->lock);

  run.remux = can_remux (&run);

  file = kinema_atomic_file_new (self->output, 0644, &io_error);
  if (file == NULL)
    {
      g_propagate_error (error, save_error (self->output, io_error));
      goto out;
    }
  if (self->format == KINEMA_EXPORT_FORMAT_GIF)
    {
      gif = kinema_gif_writer_new (kinema_atomic_file_steal_fd (file), run.out_width, run.out_height, error);
      if (gif == NULL)
        goto out;
    }
  else
    close (kinema_atomic_file_steal_fd (file)); /* the muxer's filesink opens it by name */

  if (!build_pipeline (&run, kinema_atomic_file_get_temp_path (file), error) ||
      !run_pipeline (&run, gif, cancellable, error))
    goto out;
  if (gif != NULL && !kinema_gif_writer_finish (gif, run.out - run.in, error))
    goto out;
  if (!kinema_atomic_file_commit (file, &io_error))
    {
      g_propagate_error (error, save_error (self->output, io_error));
      goto out;
    }
  g_mutex_lock (&self->lock);
  self->remuxed = !self->used_encoder;
  g_mutex_unlock (&self->lock);
  set_progress (self, 1.0, 0, TRUE);
  ok = TRUE;

out:
  if (run.pipeline != NULL)
    {
      gst_element_set_state (run.pipeline, GST_STATE_NULL);
      gst_clear_object (&run.pipeline);
    }
  g_clear_pointer (&gif, kinema_gif_writer_free);
  /* Not committed: the temporary file goes. */
  g_clear_pointer (&file, kinema_atomic_file_free);
  g_ptr_array_unref (run.shots);
  g_mutex_clear (&run.lock);
  return ok;
}

/* ------------------------------------------------------------------------- */
/* Public API */

gboolean
kinema_export_format_from_string (const char         *text,
                                  KinemaExportFormat *format)
{
  static const char *const names[] = { "mp4", "webm", "gif" };

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (text, names[i]) == 0)
      {
        *format = (KinemaExportFormat) i;
        return TRUE;
      }
  return FALSE;
}

const char *
kinema_export_format_get_extension (KinemaExportFormat format)
{
  switch (format)
    {
    case KINEMA_EXPORT_FORMAT_WEBM:
      return "webm";
    case KINEMA_EXPORT_FORMAT_GIF:
      return "gif";
    case KINEMA_EXPORT_FORMAT_MP4:
    default:
      return "mp4";
    }
}

gboolean
kinema_export_size_from_string (const char *text,
                                guint      *height)
{
  static const guint sizes[] = { 1080, 720, 480 };

  if (text == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (text, "original") == 0)
    {
      *height = KINEMA_EXPORT_SIZE_ORIGINAL;
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      char with_p[8], bare[8];

      g_snprintf (with_p, sizeof with_p, "%up", sizes[i]);
      g_snprintf (bare, sizeof bare, "%u", sizes[i]);
      if (g_ascii_strcasecmp (text, with_p) == 0 || g_str_equal (text, bare))
        {
          *height = sizes[i];
          return TRUE;
        }
    }
  return FALSE;
}

KinemaExporter *
kinema_exporter_new (const char *const *paths,
                     KinemaExportFormat format,
                     const char        *output)
{
  KinemaExporter *self;

  g_return_val_if_fail (paths != NULL, NULL);
  g_return_val_if_fail (output != NULL, NULL);

  self = g_object_new (KINEMA_TYPE_EXPORTER, NULL);
  self->paths = g_strdupv ((char **) paths);
  self->format = format;
  self->output = g_strdup (output);
  return self;
}

void
kinema_exporter_set_size (KinemaExporter *self,
                          guint           height)
{
  g_return_if_fail (KINEMA_IS_EXPORTER (self));
  self->size = height;
}

void
kinema_exporter_set_trim (KinemaExporter *self,
                          gint64          in_ns,
                          gint64          out_ns)
{
  g_return_if_fail (KINEMA_IS_EXPORTER (self));
  self->trim_in = MAX (in_ns, 0);
  self->trim_out = out_ns;
}

gboolean
kinema_exporter_run (KinemaExporter *self,
                     GCancellable   *cancellable,
                     GError        **error)
{
  g_return_val_if_fail (KINEMA_IS_EXPORTER (self), FALSE);
  return export_run (self, cancellable, error);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  GError *error = NULL;

  if (export_run (source_object, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
kinema_exporter_run_async (KinemaExporter     *self,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KINEMA_IS_EXPORTER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kinema_exporter_run_async);
  /* A cancel that comes after the file was saved does not undo it: say what happened. */
  g_task_set_check_cancellable (task, FALSE);
  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->notify_context, g_main_context_unref);
  self->notify_context = g_main_context_ref_thread_default ();
  g_mutex_unlock (&self->lock);
  g_task_run_in_thread (task, run_thread);
}

gboolean
kinema_exporter_run_finish (KinemaExporter *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

double
kinema_exporter_get_fraction (KinemaExporter *self)
{
  double fraction;

  g_return_val_if_fail (KINEMA_IS_EXPORTER (self), 0);
  g_mutex_lock (&self->lock);
  fraction = self->fraction;
  g_mutex_unlock (&self->lock);
  return fraction;
}

gint64
kinema_exporter_get_time_left (KinemaExporter *self)
{
  gint64 left;

  g_return_val_if_fail (KINEMA_IS_EXPORTER (self), -1);
  g_mutex_lock (&self->lock);
  left = self->time_left;
  g_mutex_unlock (&self->lock);
  return left;
}

gint64
kinema_exporter_get_duration (KinemaExporter *self)
{
  gint64 duration;

  g_return_val_if_fail (KINEMA_IS_EXPORTER (self), 0);
  g_mutex_lock (&self->lock);
  duration = self->duration;
  g_mutex_unlock (&self->lock);
  return duration;
}

gboolean
kinema_exporter_get_remuxed (KinemaExporter *self)
{
  gboolean remuxed;

  g_return_val_if_fail (KINEMA_IS_EXPORTER (self), FALSE);
  g_mutex_lock (&self->lock);
  remuxed = self->remuxed;
  g_mutex_unlock (&self->lock);
  return remuxed;
}

static void
kinema_exporter_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KinemaExporter *self = KINEMA_EXPORTER (object);

  switch (prop_id)
    {
    case PROP_FRACTION:
      g_value_set_double (value, kinema_exporter_get_fraction (self));
      break;
    case PROP_TIME_LEFT:
      g_value_set_int64 (value, kinema_exporter_get_time_left (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kinema_exporter_finalize (GObject *object)
{
  KinemaExporter *self = KINEMA_EXPORTER (object);

  g_strfreev (self->paths);
  g_free (self->output);
  g_clear_pointer (&self->notify_context, g_main_context_unref);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (kinema_exporter_parent_class)->finalize (object);
}

static void
kinema_exporter_class_init (KinemaExporterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = kinema_exporter_get_property;
  object_class->finalize = kinema_exporter_finalize;

  /**
   * KinemaExporter:fraction:
   *
   * How much of the export is done, 0 to 1.
   */
  properties[PROP_FRACTION] = g_param_spec_double ("fraction", NULL, NULL, 0, 1, 0,
                                                   G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                       G_PARAM_STATIC_STRINGS);
  /**
   * KinemaExporter:time-left:
   *
   * The time the export should still take, in microseconds, or -1 while unknown.
   */
  properties[PROP_TIME_LEFT] = g_param_spec_int64 ("time-left", NULL, NULL, -1, G_MAXINT64, -1,
                                                   G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                       G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kinema_exporter_init (KinemaExporter *self)
{
  g_mutex_init (&self->lock);
  self->trim_out = -1;
  self->time_left = -1;
}
