/* kinema-clip-renderer.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Renders the offline demo's clips with GStreamer, off the main thread: the start
 * image slowly panned and zoomed as the camera setting says, cross-fading to the end
 * image when there is one; an animated title card of the prompt for text-to-video.
 * H.264 in MP4 (x264enc or openh264enc), VP8 in WebM when neither is installed;
 * KINEMA_CLIP_ENCODER=x264|openh264|vp8 picks one of the installed encoders (tests).
 *
 * Sizes: @height is the short side, so "16:9" at 720 is 1280×720, "9:16" 720×1280 and
 * "1:1" 720×720. Camera moves follow Kling's signs (see kinema-clip-renderer.c).
 */

#pragma once

#include <gio/gio.h>

#include "kinema-types.h"

G_BEGIN_DECLS

typedef struct {
  const char       *start_image;   /* local path, or NULL for a title card */
  const char       *end_image;     /* local path, or NULL */
  const char       *title;         /* the prompt, shown on the title card */
  KinemaCameraType  camera;
  KinemaCameraAxis  camera_axis;   /* for KINEMA_CAMERA_SIMPLE */
  double            camera_value;  /* -10..10, for KINEMA_CAMERA_SIMPLE */
  guint             duration_s;    /* 5 or 10 in the app; tests may use 1 */
  const char       *aspect_ratio;  /* "16:9", "9:16", "1:1"; NULL: the start image's */
  guint             fps;           /* 24 or 30; 0 means 24 */
  guint             height;        /* the short side: 720 in the app; 0 means 720; tests use less */
  gboolean          demo_mark;     /* draw a small "DEMO" badge (never on the last frame) */
  guint             duration_ms;   /* > 0: the length in milliseconds (whole frames), for
                                    * a video extension's ~4.5 s; 0: @duration_s */
} KinemaClipSpec;

/* The container the installed encoders give: "mp4" or "webm". */
const char *kinema_clip_renderer_get_extension (void);
void        kinema_clip_renderer_render_async  (const KinemaClipSpec *spec,
                                                const char           *output_path,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean    kinema_clip_renderer_render_finish (GAsyncResult         *result,
                                                GError              **error);
/* Synchronous variant for worker threads and tools. */
gboolean    kinema_clip_renderer_render        (const KinemaClipSpec *spec,
                                                const char           *output_path,
                                                GCancellable         *cancellable,
                                                GError              **error);

G_END_DECLS
