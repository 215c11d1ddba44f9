/* kinema-sim-clip.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "kinema-types.h"

G_BEGIN_DECLS

typedef struct {
  const char       *start_image;
  const char       *end_image;
  const char       *title;
  KinemaCameraType  camera;
  KinemaCameraAxis  camera_axis;
  double            camera_value;
  guint             duration_s;
  const char       *aspect_ratio;
  guint             height;
  gboolean          demo_mark;
  /* A video extension: the clip of the extended video, whose frames come first as they
   * are; the @extra_ms that follow start from its exact last frame (start_image, end_image,
   * camera, duration_s and aspect_ratio are then not used). */
  const char       *prefix_video;
  guint             extra_ms;
} KinemaSimClipSpec;

const char *_kinema_sim_clip_get_extension (void);
void        _kinema_sim_clip_render_async  (const KinemaSimClipSpec *spec,
                                            const char              *output_path,
                                            GCancellable            *cancellable,
                                            GAsyncReadyCallback      callback,
                                            gpointer                 user_data);
gboolean    _kinema_sim_clip_render_finish (GAsyncResult            *result,
                                            GError                 **error);

G_END_DECLS
