/* kinema-test-clip.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <stdlib.h>
#include <string.h>

#include "kinema-test-clip.h"

static const guint8 levels[4] = { 24, 96, 168, 240 };

void
kinema_test_clip_colour (guint  index,
                         guint8 rgb[3])
{
  index %= KINEMA_TEST_CLIP_MAX_FRAMES;
  rgb[0] = levels[index & 3];
  rgb[1] = levels[(index >> 2) & 3];
  rgb[2] = levels[(index >> 4) & 3];
}

int
kinema_test_clip_index_of (const guint8 rgb[3])
{
  int index = 0;

  for (int c = 0; c < 3; c++)
    {
      int best = 0;

      for (int l = 1; l < 4; l++)
        if (abs ((int) rgb[c] - levels[l]) < abs ((int) rgb[c] - levels[best]))
          best = l;
      /* Half the distance between levels: beyond that the colour is not ours. */
      if (abs ((int) rgb[c] - levels[best]) > 30)
        return -1;
      index |= best << (2 * c);
    }
  return index;
}

/* Waits (60 s at the most) for @pipeline, playing, to write everything; then stops it. */
static gboolean
run_to_end (GstElement *pipeline,
            GError    **error)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
  g_autoptr(GstMessage) msg = NULL;
  gboolean ok;

  msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  ok = msg != NULL && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS;
  if (!ok)
    {
      if (msg != NULL)
        gst_message_parse_error (msg, error, NULL);
      else
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "encoding timed out");
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return ok;
}

gboolean
kinema_test_clip_make (const char *path,
                       guint       first,
                       guint       n_frames,
                       guint       fps,
                       guint       width,
                       guint       height,
                       GError    **error)
{
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) src = NULL;
  g_autofree char *description = NULL;
  g_autofree char *location = g_strescape (path, NULL);
  const char      *encoder;

  gst_init (NULL, NULL);

  if (gst_element_factory_find ("x264enc") != NULL)
    encoder = "x264enc speed-preset=ultrafast key-int-max=12 bframes=0";
  else
    encoder = "openh264enc gop-size=12";
  description = g_strdup_printf ("appsrc name=src format=time caps=video/x-raw,format=RGB,width=%u,"
                                 "height=%u,framerate=%u/1 ! videoconvert ! video/x-raw,format=I420 ! "
                                 "%s ! h264parse ! mp4mux ! filesink location=\"%s\"",
                                 width, height, fps, encoder, location);
  pipeline = gst_parse_launch (description, error);
  if (pipeline == NULL)
    return FALSE;
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);

  for (guint i = 0; i < n_frames; i++)
    {
      guint      stride = GST_ROUND_UP_4 (width * 3);
      GstBuffer *buffer;
      GstMapInfo map;
      guint8     rgb[3];

      buffer = gst_buffer_new_allocate (NULL, (gsize) stride * height, NULL);
      kinema_test_clip_colour (first + i, rgb);
      gst_buffer_map (buffer, &map, GST_MAP_WRITE);
      for (guint y = 0; y < height; y++)
        for (guint x = 0; x < width; x++)
          memcpy (map.data + y * stride + x * 3, rgb, 3);
      gst_buffer_unmap (buffer, &map);
      GST_BUFFER_PTS (buffer) = gst_util_uint64_scale (i, GST_SECOND, fps);
      GST_BUFFER_DURATION (buffer) = gst_util_uint64_scale (1, GST_SECOND, fps);
      gst_app_src_push_buffer (GST_APP_SRC (src), buffer);
    }
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  return run_to_end (pipeline, error);
}

gboolean
kinema_test_clip_make_with_sound (const char *path,
                                  guint       n_frames,
                                  guint       fps,
                                  guint       width,
                                  guint       height,
                                  GError    **error)
{
  g_autoptr(GstElement) pipeline = NULL;
  g_autofree char *location = g_strescape (path, NULL);
  g_autofree char *description = NULL;

  gst_init (NULL, NULL);

  /* One buffer of sound per frame: both streams end together. */
  description = g_strdup_printf (
      "videotestsrc num-buffers=%u ! video/x-raw,width=%u,height=%u,framerate=%u/1 ! x264enc "
      "speed-preset=ultrafast ! h264parse ! mp4mux name=mux ! filesink location=\"%s\" "
      "audiotestsrc num-buffers=%u samplesperbuffer=%u ! audio/x-raw,rate=44100,channels=1 ! "
      "audioconvert ! avenc_aac ! aacparse ! mux.",
      n_frames, width, height, fps, location, n_frames, 44100 / fps);
  pipeline = gst_parse_launch (description, error);
  if (pipeline == NULL)
    return FALSE;
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  return run_to_end (pipeline, error);
}

void
kinema_test_texture_pixel (GdkTexture *texture,
                           int         x,
                           int         y,
                           guint8      rgb[3])
{
  int                width = gdk_texture_get_width (texture);
  int                height = gdk_texture_get_height (texture);
  g_autofree guint8 *data = g_malloc ((gsize) width * height * 4);
  const guint8      *p;

  /* GDK_MEMORY_DEFAULT: B8G8R8A8 premultiplied; our frames are opaque. */
  gdk_texture_download (texture, data, (gsize) width * 4);
  p = data + ((gsize) y * width + x) * 4;
  rgb[0] = p[2];
  rgb[1] = p[1];
  rgb[2] = p[0];
}

int
kinema_test_texture_index (GdkTexture *texture)
{
  guint8 rgb[3];

  kinema_test_texture_pixel (texture, gdk_texture_get_width (texture) / 2,
                             gdk_texture_get_height (texture) / 2, rgb);
  return kinema_test_clip_index_of (rgb);
}
