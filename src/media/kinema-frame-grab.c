/* kinema-frame-grab.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * playbin with only its video stream enabled and an appsink asking for packed RGB.
 * PAUSED prerolls the first frame; an accurate flushing seek prerolls the frame at any
 * other time. The sample is copied once into a GdkMemoryTexture.
 */

#define G_LOG_DOMAIN "kinema-frame-grab"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>
#include <gst/video/video.h>

#include "kinema-atomic-file.h"
#include "kinema-error.h"
#include "kinema-frame-grab.h"
#include "kinema-media-error.h"
#include "kinema-media-private.h"

/* The longest a single grab may wait for the pipeline. */
#define GRAB_TIMEOUT_S 30

static gpointer
init_gstreamer (gpointer data)
{
  gst_init (NULL, NULL);
  gst_pb_utils_init ();
  return NULL;
}

void
_kinema_media_init (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, init_gstreamer, NULL);
}

static gboolean
is_stalled_demuxer (GstElement *element)
{
  GstElementFactory *factory = gst_element_get_factory (element);
  const char        *klass;
  gboolean           stalled = FALSE;
  GList             *l;

  if (factory == NULL)
    return FALSE;
  klass = gst_element_factory_get_metadata (factory, GST_ELEMENT_METADATA_KLASS);
  if (klass == NULL || strstr (klass, "Demux") == NULL)
    return FALSE;

  GST_OBJECT_LOCK (element);
  for (l = element->sinkpads; l != NULL && !stalled; l = l->next)
    stalled = gst_pad_get_task_state (l->data) == GST_TASK_PAUSED;
  GST_OBJECT_UNLOCK (element);
  return stalled;
}

gboolean
_kinema_media_demuxer_stalled (GstElement *pipeline)
{
  g_autoptr(GstIterator) it = NULL;
  GValue   item = G_VALUE_INIT;
  gboolean stalled = FALSE, done = FALSE;

  g_return_val_if_fail (GST_IS_BIN (pipeline), FALSE);

  it = gst_bin_iterate_recurse (GST_BIN (pipeline));
  while (!done && !stalled)
    {
      switch (gst_iterator_next (it, &item))
        {
        case GST_ITERATOR_OK:
          stalled = is_stalled_demuxer (g_value_get_object (&item));
          g_value_reset (&item);
          break;
        case GST_ITERATOR_RESYNC:
          gst_iterator_resync (it);
          break;
        default:
          done = TRUE;
          break;
        }
    }
  g_value_unset (&item);
  return stalled;
}

/* Waits for the pipeline to preroll. Missing-plugin messages come before the error
 * they cause; they turn it into "this decoder is missing". */
static gboolean
wait_prerolled (GstElement   *pipeline,
                GCancellable *cancellable,
                GError      **error)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
  g_autofree char *missing = NULL;
  g_autofree char *package = NULL;
  gint64           deadline = g_get_monotonic_time () + GRAB_TIMEOUT_S * G_USEC_PER_SEC;
  int              stalled = 0;

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GstMessage) msg = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      msg = gst_bus_timed_pop_filtered (bus, 100 * GST_MSECOND,
                                        GST_MESSAGE_ERROR | GST_MESSAGE_ASYNC_DONE |
                                            GST_MESSAGE_ELEMENT | GST_MESSAGE_EOS);
      if (msg == NULL)
        {
          /* Twice in a row, so that an error on its way still wins. */
          stalled = _kinema_media_demuxer_stalled (pipeline) ? stalled + 1 : 0;
          if (stalled >= 2)
            {
              g_propagate_error (error, kinema_media_error_damaged (NULL));
              return FALSE;
            }
          continue;
        }

      switch (GST_MESSAGE_TYPE (msg))
        {
        case GST_MESSAGE_ASYNC_DONE:
          return TRUE;
        case GST_MESSAGE_EOS:
          /* Nothing prerolled before the end: there is no picture to show. */
          g_propagate_error (error, kinema_media_error_not_video ());
          return FALSE;
        case GST_MESSAGE_ELEMENT:
          if (missing == NULL)
            kinema_media_parse_missing_plugin (msg, &missing, &package);
          break;
        case GST_MESSAGE_ERROR:
          {
            g_autoptr(GError) gst_error = NULL;
            g_autofree char *debug = NULL;

            gst_message_parse_error (msg, &gst_error, &debug);
            if (missing != NULL)
              g_propagate_error (error, kinema_media_error_missing_decoder (missing, package));
            else
              g_propagate_error (error, kinema_media_error_from_gst (gst_error, debug));
            return FALSE;
          }
        default:
          break;
        }
    }

  g_set_error_literal (error, KINEMA_ERROR, KINEMA_ERROR_MEDIA,
                       _("Reading the video took too long. The file may be damaged."));
  return FALSE;
}

GdkTexture *
_kinema_media_texture_from_sample (GstSample *sample,
                                   int        max_size,
                                   GError   **error)
{
  GstBuffer    *buffer = gst_sample_get_buffer (sample);
  GstCaps      *caps = gst_sample_get_caps (sample);
  GstVideoInfo  info;
  GstVideoFrame frame;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width, height, stride;

  if (buffer == NULL || caps == NULL || !gst_video_info_from_caps (&info, caps) ||
      GST_VIDEO_INFO_FORMAT (&info) != GST_VIDEO_FORMAT_RGB ||
      !gst_video_frame_map (&frame, &info, buffer, GST_MAP_READ))
    {
      g_propagate_error (error, kinema_media_error_not_video ());
      return NULL;
    }

  width = GST_VIDEO_FRAME_WIDTH (&frame);
  height = GST_VIDEO_FRAME_HEIGHT (&frame);
  stride = GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0);
  bytes = g_bytes_new (GST_VIDEO_FRAME_PLANE_DATA (&frame, 0), (gsize) stride * height);
  gst_video_frame_unmap (&frame);

  if (max_size > 0 && MAX (width, height) > max_size)
    {
      g_autoptr(GdkPixbuf) full = NULL;
      g_autoptr(GdkPixbuf) scaled = NULL;
      double scale = (double) max_size / MAX (width, height);
      int    w = MAX (1, (int) (width * scale + 0.5));
      int    h = MAX (1, (int) (height * scale + 0.5));

      full = gdk_pixbuf_new_from_bytes (bytes, GDK_COLORSPACE_RGB, FALSE, 8, width, height, stride);
      scaled = gdk_pixbuf_scale_simple (full, w, h, GDK_INTERP_BILINEAR);
      return gdk_texture_new_for_pixbuf (scaled);
    }

  texture = gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8, bytes, stride);
  return g_steal_pointer (&texture);
}

/* Plays from @from_ns (0: the start) to the end as fast as it decodes, keeping the
 * last sample: the exact last frame, whatever the container says the duration is. */
static GstSample *
pull_last_sample (GstElement   *pipeline,
                  GstAppSink   *appsink,
                  GCancellable *cancellable,
                  GError      **error)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
  g_autoptr(GstSample) last = NULL;
  gint64 duration = -1;
  gint64 deadline = g_get_monotonic_time () + GRAB_TIMEOUT_S * G_USEC_PER_SEC;

  /* Start about a second before the end (an accurate seek decodes from the key frame
   * before it), so a long clip is not decoded whole. */
  if (gst_element_query_duration (pipeline, GST_FORMAT_TIME, &duration) && duration > GST_SECOND)
    {
      if (gst_element_seek_simple (pipeline, GST_FORMAT_TIME, GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE,
                                   duration - GST_SECOND) &&
          !wait_prerolled (pipeline, cancellable, error))
        return NULL;
    }

  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_propagate_error (error, kinema_media_error_damaged (NULL));
      return NULL;
    }

  while (!gst_app_sink_is_eos (appsink))
    {
      g_autoptr(GstSample) sample = NULL;
      g_autoptr(GstMessage) msg = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error_literal (error, KINEMA_ERROR, KINEMA_ERROR_MEDIA,
                               _("Reading the video took too long. The file may be damaged."));
          return NULL;
        }

      msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
      if (msg != NULL)
        {
          g_autoptr(GError) gst_error = NULL;
          g_autofree char *debug = NULL;

          gst_message_parse_error (msg, &gst_error, &debug);
          g_propagate_error (error, kinema_media_error_from_gst (gst_error, debug));
          return NULL;
        }

      sample = gst_app_sink_try_pull_sample (appsink, 100 * GST_MSECOND);
      if (sample != NULL)
        {
          g_clear_pointer (&last, gst_sample_unref);
          last = g_steal_pointer (&sample);
        }
    }

  if (last == NULL)
    g_propagate_error (error, kinema_media_error_not_video ());
  return g_steal_pointer (&last);
}

static gint64
sample_stream_time (GstSample *sample)
{
  GstBuffer  *buffer = gst_sample_get_buffer (sample);
  GstSegment *segment = gst_sample_get_segment (sample);
  guint64     time;

  if (buffer == NULL || !GST_BUFFER_PTS_IS_VALID (buffer))
    return -1;
  if (segment == NULL || segment->format != GST_FORMAT_TIME)
    return (gint64) GST_BUFFER_PTS (buffer);
  time = gst_segment_to_stream_time (segment, GST_FORMAT_TIME, GST_BUFFER_PTS (buffer));
  return time != GST_CLOCK_TIME_NONE ? (gint64) time : -1;
}

GdkTexture *
kinema_frame_grab (const char   *path,
                   gint64        position_ns,
                   int           max_size,
                   GCancellable *cancellable,
                   GError      **error)
{
  return kinema_frame_grab_full (path, position_ns, max_size, NULL, cancellable, error);
}

GdkTexture *
kinema_frame_grab_full (const char   *path,
                        gint64        position_ns,
                        int           max_size,
                        gint64       *out_position_ns,
                        GCancellable *cancellable,
                        GError      **error)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) appsink = NULL;
  g_autoptr(GstSample) sample = NULL;
  g_autoptr(GstCaps) caps = NULL;
  GError     *uri_error;
  GdkTexture *texture = NULL;
  int         n_video = 0;

  g_return_val_if_fail (path != NULL, NULL);

  _kinema_media_init ();

  file = g_file_new_for_path (path);
  uri = g_file_get_uri (file);
  uri_error = kinema_media_error_check_uri (uri);
  if (uri_error != NULL)
    {
      g_propagate_error (error, uri_error);
      return NULL;
    }

  pipeline = gst_element_factory_make ("playbin", NULL);
  appsink = gst_element_factory_make ("appsink", NULL);
  if (pipeline == NULL || appsink == NULL)
    {
      g_propagate_error (error, kinema_media_error_missing_decoder ("playbin", "gstreamer1.0-plugins-base"));
      return NULL;
    }
  gst_object_ref_sink (pipeline);
  gst_object_ref_sink (appsink);

  caps = gst_caps_from_string ("video/x-raw,format=RGB,pixel-aspect-ratio=1/1");
  g_object_set (appsink, "caps", caps, "sync", FALSE, "max-buffers", 1, "enable-last-sample", FALSE, NULL);
  g_object_set (pipeline, "uri", uri, "video-sink", appsink, NULL);
  /* Video only: no audio decoding, no subtitles. */
  gst_util_set_object_arg (G_OBJECT (pipeline), "flags", "video");

  /* A failure posts its error on the bus, which wait_prerolled() reads. */
  if (gst_element_set_state (pipeline, GST_STATE_PAUSED) != GST_STATE_CHANGE_SUCCESS &&
      !wait_prerolled (pipeline, cancellable, error))
    goto out;

  g_object_get (pipeline, "n-video", &n_video, NULL);
  if (n_video == 0)
    {
      g_propagate_error (error, kinema_media_error_not_video ());
      goto out;
    }

  if (position_ns == KINEMA_FRAME_GRAB_LAST)
    sample = pull_last_sample (pipeline, GST_APP_SINK (appsink), cancellable, error);
  else if (position_ns > 0)
    {
      if (!gst_element_seek_simple (pipeline, GST_FORMAT_TIME,
                                    GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, position_ns))
        {
          g_set_error_literal (error, KINEMA_ERROR, KINEMA_ERROR_MEDIA,
                               _("This point of the video cannot be shown."));
          goto out;
        }
      if (!wait_prerolled (pipeline, cancellable, error))
        goto out;
    }

  if (position_ns == KINEMA_FRAME_GRAB_LAST)
    {
      if (sample == NULL)
        goto out;
    }
  else
    {
      sample = gst_app_sink_try_pull_preroll (GST_APP_SINK (appsink), 5 * GST_SECOND);
      if (sample == NULL)
        {
          g_propagate_error (error, kinema_media_error_not_video ());
          goto out;
        }
    }
  texture = _kinema_media_texture_from_sample (sample, max_size, error);
  if (texture != NULL && out_position_ns != NULL)
    *out_position_ns = sample_stream_time (sample);

out:
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return texture;
}

gboolean
kinema_texture_save_png (GdkTexture *texture,
                         const char *path,
                         GError    **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(KinemaAtomicFile) file = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GError) io_error = NULL;

  g_return_val_if_fail (GDK_IS_TEXTURE (texture), FALSE);

  /* Written under a temporary name and renamed over @path: a reader never sees half a
   * picture. */
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, KINEMA_ERROR, KINEMA_ERROR_DISK,
                   _("The picture could not be saved to “%s”: %s"), path, g_strerror (saved));
      return FALSE;
    }
  png = gdk_texture_save_to_png_bytes (texture);
  if ((file = kinema_atomic_file_new (path, 0644, &io_error)) == NULL ||
      !g_output_stream_write_all (kinema_atomic_file_get_stream (file), g_bytes_get_data (png, NULL),
                                  g_bytes_get_size (png), NULL, NULL, &io_error) ||
      !kinema_atomic_file_commit (file, &io_error))
    {
      g_set_error (error, KINEMA_ERROR, KINEMA_ERROR_DISK,
                   _("The picture could not be saved to “%s”: %s"), path, io_error->message);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  char  *path;
  gint64 position_ns;
  int    max_size;
  char  *png_path;
  gint64 found_ns;
} GrabData;

static void
grab_data_free (GrabData *data)
{
  g_free (data->path);
  g_free (data->png_path);
  g_free (data);
}

static void
grab_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GrabData *data = task_data;
  g_autoptr(GdkTexture) texture = NULL;
  GError *error = NULL;

  texture = kinema_frame_grab_full (data->path, data->position_ns, data->max_size, &data->found_ns, cancellable,
                                    &error);
  if (texture == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (data->png_path != NULL && !kinema_texture_save_png (texture, data->png_path, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&texture), g_object_unref);
}

void
kinema_frame_grab_async (const char         *path,
                         gint64              position_ns,
                         int                 max_size,
                         const char         *png_path,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  GrabData *data;

  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kinema_frame_grab_async);
  data = g_new0 (GrabData, 1);
  data->path = g_strdup (path);
  data->position_ns = position_ns;
  data->max_size = max_size;
  data->png_path = g_strdup (png_path);
  data->found_ns = -1;
  g_task_set_task_data (task, data, (GDestroyNotify) grab_data_free);
  g_task_run_in_thread (task, grab_thread);
}

GdkTexture *
kinema_frame_grab_finish (GAsyncResult *result,
                          GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kinema_frame_grab_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

GdkTexture *
kinema_frame_grab_finish_full (GAsyncResult *result,
                               gint64       *position_ns,
                               GError      **error)
{
  GrabData *data;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kinema_frame_grab_async, NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (position_ns != NULL)
    *position_ns = data->found_ns;
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;

  if (kinema_texture_save_png (source_object, task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
kinema_texture_save_png_async (GdkTexture         *texture,
                               const char         *path,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GDK_IS_TEXTURE (texture));
  g_return_if_fail (path != NULL);

  task = g_task_new (texture, cancellable, callback, user_data);
  g_task_set_source_tag (task, kinema_texture_save_png_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, save_thread);
}

gboolean
kinema_texture_save_png_finish (GAsyncResult *result,
                                GError      **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kinema_texture_save_png_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
