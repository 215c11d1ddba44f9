/* kinema-paintable-sink.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-paintable-sink"

#include "config.h"

#include <gst/app/gstappsink.h>
#include <gst/video/video.h>

#include "kinema-media-private.h"
#include "kinema-paintable-sink.h"

struct _KinemaPaintableSink
{
  GObject parent_instance;

  GstElement   *appsink;
  GMainContext *context;

  /* Shared with the streaming threads. */
  GMutex     lock;
  GstSample *slot;    /* newest frame not shown yet */
  gboolean   pending; /* a present callback is queued */
  gboolean   detached;
  guint64    n_dropped;

  /* Main thread only. */
  GdkTexture *texture;
  gint64      frame_time;
  gint64      frame_running_time;
  int         width; /* display size (pixel aspect ratio applied) */
  int         height;
  guint64     n_shown;
};

enum
{
  PROP_0,
  PROP_TEXTURE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void paintable_iface_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KinemaPaintableSink, kinema_paintable_sink, G_TYPE_OBJECT, G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE, paintable_iface_init))

/* ----- GdkPaintable ----- */

static void
kinema_paintable_sink_snapshot (GdkPaintable *paintable,
                                GdkSnapshot  *snapshot,
                                double        width,
                                double        height)
{
  KinemaPaintableSink *self = KINEMA_PAINTABLE_SINK (paintable);

  if (self->texture != NULL)
    gdk_paintable_snapshot (GDK_PAINTABLE (self->texture), snapshot, width, height);
}

static GdkPaintable *
kinema_paintable_sink_get_current_image (GdkPaintable *paintable)
{
  KinemaPaintableSink *self = KINEMA_PAINTABLE_SINK (paintable);

  if (self->texture != NULL)
    return GDK_PAINTABLE (g_object_ref (self->texture));
  return gdk_paintable_new_empty (self->width, self->height);
}

static int
kinema_paintable_sink_get_intrinsic_width (GdkPaintable *paintable)
{
  return KINEMA_PAINTABLE_SINK (paintable)->width;
}

static int
kinema_paintable_sink_get_intrinsic_height (GdkPaintable *paintable)
{
  return KINEMA_PAINTABLE_SINK (paintable)->height;
}

static double
kinema_paintable_sink_get_intrinsic_aspect_ratio (GdkPaintable *paintable)
{
  KinemaPaintableSink *self = KINEMA_PAINTABLE_SINK (paintable);

  return self->height > 0 ? (double) self->width / self->height : 0.0;
}

static void
paintable_iface_init (GdkPaintableInterface *iface)
{
  iface->snapshot = kinema_paintable_sink_snapshot;
  iface->get_current_image = kinema_paintable_sink_get_current_image;
  iface->get_intrinsic_width = kinema_paintable_sink_get_intrinsic_width;
  iface->get_intrinsic_height = kinema_paintable_sink_get_intrinsic_height;
  iface->get_intrinsic_aspect_ratio = kinema_paintable_sink_get_intrinsic_aspect_ratio;
}

/* ----- frames (main thread) ----- */

typedef struct
{
  GstVideoFrame frame;
  GstSample    *sample;
} MappedFrame;

static void
mapped_frame_free (gpointer data)
{
  MappedFrame *mapped = data;

  gst_video_frame_unmap (&mapped->frame);
  gst_sample_unref (mapped->sample);
  g_free (mapped);
}

static GdkTexture *
wrap_sample (GstSample *sample,
             int       *display_width,
             int       *display_height)
{
  GstBuffer   *buffer = gst_sample_get_buffer (sample);
  GstCaps     *caps = gst_sample_get_caps (sample);
  GstVideoInfo info;
  MappedFrame *mapped;
  g_autoptr(GBytes) bytes = NULL;
  GdkMemoryFormat format;
  int             width, height;
  gsize           stride;

  if (buffer == NULL || caps == NULL || !gst_video_info_from_caps (&info, caps))
    return NULL;

  switch (GST_VIDEO_INFO_FORMAT (&info))
    {
    /* Video is opaque (alpha 255), so straight and premultiplied are the same and
     * the premultiplied formats spare GDK a conversion. */
    case GST_VIDEO_FORMAT_BGRA:
      format = GDK_MEMORY_B8G8R8A8_PREMULTIPLIED;
      break;
    case GST_VIDEO_FORMAT_RGBA:
      format = GDK_MEMORY_R8G8B8A8_PREMULTIPLIED;
      break;
    default:
      return NULL;
    }

  mapped = g_new0 (MappedFrame, 1);
  if (!gst_video_frame_map (&mapped->frame, &info, buffer, GST_MAP_READ))
    {
      g_free (mapped);
      return NULL;
    }
  mapped->sample = gst_sample_ref (sample);
  width = GST_VIDEO_FRAME_WIDTH (&mapped->frame);
  height = GST_VIDEO_FRAME_HEIGHT (&mapped->frame);
  stride = GST_VIDEO_FRAME_PLANE_STRIDE (&mapped->frame, 0);
  bytes = g_bytes_new_with_free_func (GST_VIDEO_FRAME_PLANE_DATA (&mapped->frame, 0),
                                      stride * height, mapped_frame_free, mapped);

  *display_width = width;
  *display_height = height;
  if (GST_VIDEO_INFO_PAR_N (&info) > 0 && GST_VIDEO_INFO_PAR_D (&info) > 0 &&
      GST_VIDEO_INFO_PAR_N (&info) != GST_VIDEO_INFO_PAR_D (&info))
    *display_width = (int) gst_util_uint64_scale_int (width, GST_VIDEO_INFO_PAR_N (&info),
                                                      GST_VIDEO_INFO_PAR_D (&info));

  return gdk_memory_texture_new (width, height, format, bytes, stride);
}

static gint64
sample_stream_time (GstSample *sample)
{
  GstBuffer        *buffer = gst_sample_get_buffer (sample);
  const GstSegment *segment = gst_sample_get_segment (sample);
  guint64           stream_time = 0;
  int               sign;

  if (buffer == NULL || !GST_BUFFER_PTS_IS_VALID (buffer))
    return -1;
  if (segment == NULL || segment->format != GST_FORMAT_TIME)
    return (gint64) GST_BUFFER_PTS (buffer);
  /* An accurate seek into a frame shows that frame, which starts before the segment:
   * the _full variant gives its time instead of "none". */
  sign = gst_segment_to_stream_time_full (segment, GST_FORMAT_TIME, GST_BUFFER_PTS (buffer), &stream_time);
  return sign > 0 ? (gint64) stream_time : 0;
}

/* Where the frame sits on the running time: a seamless loop keeps it growing, a
 * flushing seek starts it again at 0. */
static gint64
sample_running_time (GstSample *sample)
{
  GstBuffer        *buffer = gst_sample_get_buffer (sample);
  const GstSegment *segment = gst_sample_get_segment (sample);
  guint64           running_time = 0;

  if (buffer == NULL || !GST_BUFFER_PTS_IS_VALID (buffer) || segment == NULL || segment->format != GST_FORMAT_TIME)
    return -1;
  return gst_segment_to_running_time_full (segment, GST_FORMAT_TIME, GST_BUFFER_PTS (buffer), &running_time) > 0
             ? (gint64) running_time
             : 0;
}

static gboolean
present (gpointer user_data)
{
  KinemaPaintableSink *self = user_data;
  g_autoptr(GstSample) sample = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int      width = 0, height = 0;
  gboolean resized;

  g_mutex_lock (&self->lock);
  sample = g_steal_pointer (&self->slot);
  self->pending = FALSE;
  g_mutex_unlock (&self->lock);

  if (sample == NULL)
    return G_SOURCE_REMOVE;
  texture = wrap_sample (sample, &width, &height);
  if (texture == NULL)
    return G_SOURCE_REMOVE;

  resized = width != self->width || height != self->height;
  self->width = width;
  self->height = height;
  g_set_object (&self->texture, texture);
  self->frame_time = sample_stream_time (sample);
  self->frame_running_time = sample_running_time (sample);
  self->n_shown++;

  if (resized)
    gdk_paintable_invalidate_size (GDK_PAINTABLE (self));
  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXTURE]);
  return G_SOURCE_REMOVE;
}

/* ----- streaming threads ----- */

static void
take_sample (KinemaPaintableSink *self,
             GstSample           *sample)
{
  gboolean schedule = FALSE;

  if (sample == NULL)
    return;

  g_mutex_lock (&self->lock);
  if (self->detached)
    {
      g_mutex_unlock (&self->lock);
      gst_sample_unref (sample);
      return;
    }
  if (self->slot != NULL)
    {
      self->n_dropped++;
      gst_sample_unref (self->slot);
    }
  self->slot = sample;
  if (!self->pending)
    self->pending = schedule = TRUE;
  g_mutex_unlock (&self->lock);

  /* The callback holds a reference: it may run after the player let go. Always a
   * source on the context, never g_main_context_invoke(): that runs the callback
   * right here, in the streaming thread, whenever nobody holds the context at this
   * moment (a test between two iterations, a main loop not running yet). */
  if (schedule)
    {
      GSource *source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, present, g_object_ref (self), g_object_unref);
      g_source_attach (source, self->context);
      g_source_unref (source);
    }
}

/* appsink hands out one sample object that it refills for every frame, and it cannot
 * when someone still holds it (GStreamer 1.22 then fails on new caps). Keep our own
 * sample with the same buffer, caps and segment instead; no pixels are copied. */
static GstSample *
own_sample (GstSample *sample)
{
  GstSample *copy;

  if (sample == NULL)
    return NULL;
  copy = gst_sample_new (gst_sample_get_buffer (sample), gst_sample_get_caps (sample),
                         gst_sample_get_segment (sample), NULL);
  gst_sample_unref (sample);
  return copy;
}

static GstFlowReturn
on_new_sample (GstAppSink *appsink,
               gpointer    user_data)
{
  take_sample (user_data, own_sample (gst_app_sink_pull_sample (appsink)));
  return GST_FLOW_OK;
}

static GstFlowReturn
on_new_preroll (GstAppSink *appsink,
                gpointer    user_data)
{
  take_sample (user_data, own_sample (gst_app_sink_pull_preroll (appsink)));
  return GST_FLOW_OK;
}

/* ----- GObject ----- */

static void
kinema_paintable_sink_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  KinemaPaintableSink *self = KINEMA_PAINTABLE_SINK (object);

  switch (prop_id)
    {
    case PROP_TEXTURE:
      g_value_set_object (value, self->texture);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kinema_paintable_sink_finalize (GObject *object)
{
  KinemaPaintableSink *self = KINEMA_PAINTABLE_SINK (object);

  kinema_paintable_sink_detach (self);
  gst_clear_object (&self->appsink);
  g_clear_pointer (&self->slot, gst_sample_unref);
  g_clear_object (&self->texture);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (kinema_paintable_sink_parent_class)->finalize (object);
}

static void
kinema_paintable_sink_class_init (KinemaPaintableSinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = kinema_paintable_sink_get_property;
  object_class->finalize = kinema_paintable_sink_finalize;

  /**
   * KinemaPaintableSink:texture:
   *
   * The frame on screen; notified for every new frame.
   */
  properties[PROP_TEXTURE] =
      g_param_spec_object ("texture", NULL, NULL, GDK_TYPE_TEXTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kinema_paintable_sink_init (KinemaPaintableSink *self)
{
  GstAppSinkCallbacks callbacks = { NULL, on_new_preroll, on_new_sample };
  g_autoptr(GstCaps) caps = NULL;

  _kinema_media_init ();

  g_mutex_init (&self->lock);
  self->context = g_main_context_ref_thread_default ();
  self->frame_time = -1;

  self->appsink = gst_element_factory_make ("appsink", "kinema-paintable-sink");
  gst_object_ref_sink (self->appsink);
  caps = gst_caps_from_string ("video/x-raw,format={BGRA,RGBA}");
  /* A real video sink: synchronised to the clock, late frames dropped (20 ms, as
   * GstVideoSink does) with QoS upstream so the decoder skips work. */
  g_object_set (self->appsink, "caps", caps, "sync", TRUE, "qos", TRUE, "max-lateness",
                (gint64) 20 * GST_MSECOND, "max-buffers", 1, "drop", TRUE, "enable-last-sample", FALSE,
                NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (self->appsink), &callbacks, self, NULL);
}

KinemaPaintableSink *
kinema_paintable_sink_new (void)
{
  return g_object_new (KINEMA_TYPE_PAINTABLE_SINK, NULL);
}

GstElement *
kinema_paintable_sink_get_element (KinemaPaintableSink *self)
{
  g_return_val_if_fail (KINEMA_IS_PAINTABLE_SINK (self), NULL);

  return self->appsink;
}

GdkTexture *
kinema_paintable_sink_get_texture (KinemaPaintableSink *self)
{
  g_return_val_if_fail (KINEMA_IS_PAINTABLE_SINK (self), NULL);

  return self->texture;
}

gint64
kinema_paintable_sink_get_frame_time (KinemaPaintableSink *self)
{
  g_return_val_if_fail (KINEMA_IS_PAINTABLE_SINK (self), -1);

  return self->texture != NULL ? self->frame_time : -1;
}

gint64
kinema_paintable_sink_get_frame_running_time (KinemaPaintableSink *self)
{
  g_return_val_if_fail (KINEMA_IS_PAINTABLE_SINK (self), -1);

  return self->texture != NULL ? self->frame_running_time : -1;
}

guint64
kinema_paintable_sink_get_n_shown (KinemaPaintableSink *self)
{
  g_return_val_if_fail (KINEMA_IS_PAINTABLE_SINK (self), 0);

  return self->n_shown;
}

guint64
kinema_paintable_sink_get_n_dropped (KinemaPaintableSink *self)
{
  guint64 n;

  g_return_val_if_fail (KINEMA_IS_PAINTABLE_SINK (self), 0);

  g_mutex_lock (&self->lock);
  n = self->n_dropped;
  g_mutex_unlock (&self->lock);

  /* Plus the late frames the sink itself skipped (QoS, max-lateness). */
  {
    GstStructure *stats = NULL;
    guint64       late = 0;

    g_object_get (self->appsink, "stats", &stats, NULL);
    if (stats != NULL)
      {
        gst_structure_get_uint64 (stats, "dropped", &late);
        gst_structure_free (stats);
      }
    n += late;
  }
  return n;
}

void
kinema_paintable_sink_clear (KinemaPaintableSink *self)
{
  g_return_if_fail (KINEMA_IS_PAINTABLE_SINK (self));

  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->slot, gst_sample_unref);
  g_mutex_unlock (&self->lock);

  self->frame_time = -1;
  if (self->texture == NULL)
    return;
  g_clear_object (&self->texture);
  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXTURE]);
}

void
kinema_paintable_sink_detach (KinemaPaintableSink *self)
{
  GstAppSinkCallbacks none = { NULL };

  g_return_if_fail (KINEMA_IS_PAINTABLE_SINK (self));

  g_mutex_lock (&self->lock);
  if (self->detached)
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  self->detached = TRUE;
  g_clear_pointer (&self->slot, gst_sample_unref);
  g_mutex_unlock (&self->lock);

  if (self->appsink != NULL)
    gst_app_sink_set_callbacks (GST_APP_SINK (self->appsink), &none, NULL, NULL);
}
