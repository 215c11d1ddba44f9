/* kinema-sim-clip.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Makes the clip a finished job serves: the media layer's clip renderer when it
 * is part of the build, otherwise a plain GStreamer test-pattern clip, so the
 * simulator always hands out a real, playable video.
 */

#define G_LOG_DOMAIN "kinema-sim-clip"

#include "config.h"

#include <gst/gst.h>

#include "kinema-sim-config.h"
#include "kinema-sim-clip.h"

#if KINEMA_SIM_HAVE_RENDERER
#include <glib/gstdio.h>

#include "kinema-clip-renderer.h"
#include "kinema-exporter.h"
#include "kinema-frame-grab.h"
#endif

#if !KINEMA_SIM_HAVE_RENDERER
static gboolean
have_element (const char *name)
{
  g_autoptr(GstElementFactory) factory = gst_element_factory_find (name);

  return factory != NULL;
}
#endif

const char *
_kinema_sim_clip_get_extension (void)
{
#if KINEMA_SIM_HAVE_RENDERER
  return kinema_clip_renderer_get_extension ();
#else
  if (!gst_init_check (NULL, NULL, NULL))
    return "mp4";
  return have_element ("x264enc") || have_element ("openh264enc") ? "mp4" : "webm";
#endif
}

#if !KINEMA_SIM_HAVE_RENDERER
typedef struct {
  guint  width;
  guint  height;
  guint  duration_s;
  guint  fps;
  char  *output_path;
} PatternJob;

static void
pattern_job_free (PatternJob *job)
{
  g_free (job->output_path);
  g_free (job);
}

static void
render_pattern_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  PatternJob *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) source = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;
  g_autofree char *description = NULL;
  const char *encoder;

  if (!gst_init_check (NULL, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (have_element ("x264enc"))
    encoder = "x264enc speed-preset=ultrafast ! video/x-h264,profile=constrained-baseline "
              "! h264parse ! mp4mux";
  else if (have_element ("openh264enc"))
    encoder = "openh264enc ! h264parse ! mp4mux";
  else
    encoder = "vp8enc deadline=1 ! webmmux";

  description = g_strdup_printf ("videotestsrc name=source pattern=ball "
                                 "! video/x-raw,width=%u,height=%u,framerate=%u/1,format=I420 "
                                 "! videoconvert ! %s ! filesink name=sink",
                                 job->width, job->height, job->fps, encoder);
  pipeline = gst_parse_launch (description, &error);
  if (pipeline == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  source = gst_bin_get_by_name (GST_BIN (pipeline), "source");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_object_set (source, "num-buffers", (int) (job->duration_s * job->fps), NULL);
  g_object_set (sink, "location", job->output_path, NULL);

  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  /* Short waits, so that cancelling (the server going away) stops the render. */
  for (guint waited = 0; message == NULL && waited < 600 && !g_cancellable_is_cancelled (cancellable); waited++)
    message = gst_bus_timed_pop_filtered (bus, 100 * GST_MSECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  if (g_cancellable_is_cancelled (cancellable))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Rendering was cancelled");
  else if (message == NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "Rendering the clip timed out");
  else if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      gst_message_parse_error (message, &error, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    g_task_return_boolean (task, TRUE);
}
#endif

#if KINEMA_SIM_HAVE_RENDERER
typedef struct
{
  char    *prefix_video;
  char    *title;
  guint    extra_ms;
  gboolean demo_mark;
  char    *output_path;
} ExtendJob;

static void
extend_job_free (ExtendJob *job)
{
  g_free (job->prefix_video);
  g_free (job->title);
  g_free (job->output_path);
  g_free (job);
}

static void
remove_if_there (const char *path)
{
  if (path != NULL)
    g_unlink (path);
}

/* Kling's video extension returns the WHOLE video: the source followed by about 4.5 s
 * more (Kling docs, "Video Extension": task_result.videos[] is the extended video and
 * its duration the total; copy in WHQ25/rawgenai docs/research/kling/video-extend.md).
 * The demo makes it the same way: the source's exact last frame starts a new segment,
 * and the exporter joins the two (remuxed when the formats match, so the source's
 * frames are kept bit for bit). */
static gboolean
render_extension (ExtendJob    *job,
                  const char   *dir,
                  GCancellable *cancellable,
                  GError      **error)
{
  g_autofree char *frame_path = g_build_filename (dir, "last-frame.png", NULL);
  g_autofree char *segment_name = g_strconcat ("segment.", kinema_clip_renderer_get_extension (), NULL);
  g_autofree char *segment_path = g_build_filename (dir, segment_name, NULL);
  g_autoptr(GdkTexture) last = NULL;
  g_autoptr(KinemaExporter) exporter = NULL;
  const char        *paths[] = { job->prefix_video, segment_path, NULL };
  KinemaExportFormat format = KINEMA_EXPORT_FORMAT_MP4;
  KinemaClipSpec     clip = {
        .start_image = frame_path,
        .title = job->title,
        .duration_ms = job->extra_ms,
        .fps = 24,
        .demo_mark = job->demo_mark,
  };
  gboolean ok;

  last = kinema_frame_grab (job->prefix_video, KINEMA_FRAME_GRAB_LAST, 0, cancellable, error);
  if (last == NULL || !kinema_texture_save_png (last, frame_path, error))
    return FALSE;
  /* The segment keeps the source's size: its start image is the source's frame. */
  clip.height = MIN (gdk_texture_get_width (last), gdk_texture_get_height (last));
  ok = kinema_clip_renderer_render (&clip, segment_path, cancellable, error);
  if (ok)
    {
      kinema_export_format_from_string (kinema_clip_renderer_get_extension (), &format);
      exporter = kinema_exporter_new (paths, format, job->output_path);
      ok = kinema_exporter_run (exporter, cancellable, error);
    }
  remove_if_there (frame_path);
  remove_if_there (segment_path);
  return ok;
}

static void
render_extension_thread (GTask        *task,
                         gpointer      source_object,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  ExtendJob *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kinema-sim-extend-XXXXXX", &error);

  if (dir == NULL || !render_extension (job, dir, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
  if (dir != NULL)
    g_rmdir (dir);
}

static void
render_extension_async (const KinemaSimClipSpec *spec,
                        const char              *output_path,
                        GCancellable            *cancellable,
                        GAsyncReadyCallback      callback,
                        gpointer                 user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  ExtendJob *job = g_new0 (ExtendJob, 1);

  job->prefix_video = g_strdup (spec->prefix_video);
  job->title = g_strdup (spec->title);
  job->extra_ms = spec->extra_ms;
  job->demo_mark = spec->demo_mark;
  job->output_path = g_strdup (output_path);
  /* The source tag tells _kinema_sim_clip_render_finish() which task it holds. */
  g_task_set_source_tag (task, _kinema_sim_clip_render_async);
  g_task_set_task_data (task, job, (GDestroyNotify) extend_job_free);
  g_task_run_in_thread (task, render_extension_thread);
}
#endif

void
_kinema_sim_clip_render_async (const KinemaSimClipSpec *spec,
                               const char              *output_path,
                               GCancellable            *cancellable,
                               GAsyncReadyCallback      callback,
                               gpointer                 user_data)
{
#if KINEMA_SIM_HAVE_RENDERER
  KinemaClipSpec clip = {
    .start_image = spec->start_image,
    .end_image = spec->end_image,
    .title = spec->title,
    .camera = spec->camera,
    .camera_axis = spec->camera_axis,
    .camera_value = spec->camera_value,
    .duration_s = spec->duration_s,
    .aspect_ratio = spec->aspect_ratio,
    .fps = 24,
    .height = spec->height,
    .demo_mark = spec->demo_mark,
  };

  if (spec->prefix_video != NULL)
    {
      render_extension_async (spec, output_path, cancellable, callback, user_data);
      return;
    }
  kinema_clip_renderer_render_async (&clip, output_path, cancellable, callback, user_data);
#else
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  PatternJob *job = g_new0 (PatternJob, 1);
  guint height = spec->height > 0 ? spec->height : 720;

  job->height = height & ~1u;
  if (g_strcmp0 (spec->aspect_ratio, "9:16") == 0)
    job->width = (height * 9 / 16) & ~1u;
  else if (g_strcmp0 (spec->aspect_ratio, "1:1") == 0)
    job->width = job->height;
  else
    job->width = (height * 16 / 9) & ~1u;
  job->duration_s = MAX (spec->duration_s, 1);
  job->fps = 24;
  job->output_path = g_strdup (output_path);

  g_task_set_source_tag (task, _kinema_sim_clip_render_async);
  g_task_set_task_data (task, job, (GDestroyNotify) pattern_job_free);
  g_task_run_in_thread (task, render_pattern_thread);
#endif
}

gboolean
_kinema_sim_clip_render_finish (GAsyncResult  *result,
                                GError       **error)
{
#if KINEMA_SIM_HAVE_RENDERER
  if (g_task_is_valid (result, NULL) &&
      g_task_get_source_tag (G_TASK (result)) == _kinema_sim_clip_render_async)
    return g_task_propagate_boolean (G_TASK (result), error);
  return kinema_clip_renderer_render_finish (result, error);
#else
  return g_task_propagate_boolean (G_TASK (result), error);
#endif
}
