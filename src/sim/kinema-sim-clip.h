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
