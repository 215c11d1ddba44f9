/* kinema-models.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A summary per model of the capability map (kinema-capabilities.h, data/capabilities.json):
 * for lists and labels. Decisions about one combination go through
 * kinema_capabilities_check().
 */

#pragma once

#include "kinema-types.h"

G_BEGIN_DECLS

typedef struct {
  const char *id;
  const char *label;
  /* TRUE when at least one offer of the model has it */
  gboolean    text_to_video;
  gboolean    image_to_video;
  gboolean    cfg_scale;
  gboolean    camera_control;
  gboolean    image_tail;
  gboolean    sound;
  gboolean    mode_std;
  gboolean    mode_pro;
  gboolean    mode_4k;
  guint       min_duration;
  guint       max_duration;
} KinemaModelInfo;

const KinemaModelInfo *kinema_models_get_all           (guint                 *n_models);
const KinemaModelInfo *kinema_models_lookup            (const char            *id);
const char            *kinema_models_get_default       (void);
gboolean               kinema_model_supports_kind      (const KinemaModelInfo *info,
                                                        KinemaTaskKind         kind);
gboolean               kinema_model_supports_mode      (const KinemaModelInfo *info,
                                                        KinemaMode             mode);
/* Whether any kind and mode of the model makes clips of @seconds. */
gboolean               kinema_model_supports_duration  (const KinemaModelInfo *info,
                                                        guint                  seconds);

G_END_DECLS
