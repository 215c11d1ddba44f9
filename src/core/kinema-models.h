/* kinema-models.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What each Kling model accepts (PROTOCOL.md 1.3-1.5).
 */

#pragma once

#include "kinema-types.h"

G_BEGIN_DECLS

typedef enum {
  KINEMA_MODEL_OPTION_TEXT_TO_VIDEO,
  KINEMA_MODEL_OPTION_IMAGE_TO_VIDEO,
  KINEMA_MODEL_OPTION_CFG_SCALE,
  KINEMA_MODEL_OPTION_CAMERA_CONTROL,
  KINEMA_MODEL_OPTION_IMAGE_TAIL,
  KINEMA_MODEL_OPTION_MODE,
  KINEMA_MODEL_OPTION_DURATION,
} KinemaModelOption;

typedef struct {
  const char *id;
  const char *label;
  gboolean    text_to_video;
  gboolean    image_to_video;
  gboolean    cfg_scale;
  gboolean    camera_control;
  gboolean    image_tail;
  gboolean    mode_std;
  gboolean    mode_pro;
  guint       min_duration;
  guint       max_duration;
  gboolean    any_duration; /* every whole second between min and max, else only 5 and 10 */
} KinemaModelInfo;

const KinemaModelInfo *kinema_models_get_all           (guint             *n_models);
const KinemaModelInfo *kinema_models_lookup            (const char        *id);
const char            *kinema_models_get_default       (void);
gboolean               kinema_model_supports_kind      (const KinemaModelInfo *info,
                                                        KinemaTaskKind     kind);
gboolean               kinema_model_supports_mode      (const KinemaModelInfo *info,
                                                        KinemaMode         mode);
gboolean               kinema_model_supports_duration  (const KinemaModelInfo *info,
                                                        guint              seconds);
/* A translated sentence saying why @option is not available, or %NULL when it is. */
char                  *kinema_models_dup_unavailable_reason (const char        *id,
                                                             KinemaModelOption  option,
                                                             KinemaTaskKind     kind);

G_END_DECLS
