/* kinema-models.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-models"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kinema-models.h"

/* id, label, t2v, i2v, cfg, camera, tail, std, pro, min, max, any */
static const KinemaModelInfo models[] = {
  { "kling-v1",          "Kling 1.0",        TRUE,  TRUE, TRUE,  TRUE,  TRUE,  TRUE, TRUE, 5, 10, FALSE },
  { "kling-v1-5",        "Kling 1.5",        FALSE, TRUE, TRUE,  FALSE, TRUE,  TRUE, TRUE, 5, 10, FALSE },
  { "kling-v1-6",        "Kling 1.6",        TRUE,  TRUE, TRUE,  FALSE, TRUE,  TRUE, TRUE, 5, 10, FALSE },
  { "kling-v2-master",   "Kling 2.0 Master", TRUE,  TRUE, FALSE, FALSE, FALSE, TRUE, TRUE, 5, 10, FALSE },
  { "kling-v2-1",        "Kling 2.1",        FALSE, TRUE, FALSE, FALSE, TRUE,  TRUE, TRUE, 5, 10, FALSE },
  { "kling-v2-1-master", "Kling 2.1 Master", TRUE,  TRUE, FALSE, FALSE, FALSE, TRUE, TRUE, 5, 10, FALSE },
  { "kling-v2-5-turbo",  "Kling 2.5 Turbo",  TRUE,  TRUE, FALSE, FALSE, TRUE,  TRUE, TRUE, 5, 10, FALSE },
  { "kling-v2-6",        "Kling 2.6",        TRUE,  TRUE, FALSE, FALSE, TRUE,  TRUE, TRUE, 5, 10, FALSE },
  { "kling-v3",          "Kling 3.0",        TRUE,  TRUE, FALSE, FALSE, TRUE,  TRUE, TRUE, 3, 15, TRUE },
};

const KinemaModelInfo *
kinema_models_get_all (guint *n_models)
{
  if (n_models != NULL)
    *n_models = G_N_ELEMENTS (models);
  return models;
}

const KinemaModelInfo *
kinema_models_lookup (const char *id)
{
  if (id == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    if (g_strcmp0 (models[i].id, id) == 0)
      return &models[i];

  return NULL;
}

const char *
kinema_models_get_default (void)
{
  return "kling-v2-5-turbo";
}

gboolean
kinema_model_supports_kind (const KinemaModelInfo *info,
                            KinemaTaskKind         kind)
{
  g_return_val_if_fail (info != NULL, FALSE);

  if (kind == KINEMA_TASK_KIND_TEXT_TO_VIDEO)
    return info->text_to_video;
  if (kind == KINEMA_TASK_KIND_IMAGE_TO_VIDEO)
    return info->image_to_video;
  return FALSE;
}

gboolean
kinema_model_supports_mode (const KinemaModelInfo *info,
                            KinemaMode             mode)
{
  g_return_val_if_fail (info != NULL, FALSE);

  if (mode == KINEMA_MODE_STD)
    return info->mode_std;
  if (mode == KINEMA_MODE_PRO)
    return info->mode_pro;
  return FALSE;
}

gboolean
kinema_model_supports_duration (const KinemaModelInfo *info,
                                guint                  seconds)
{
  g_return_val_if_fail (info != NULL, FALSE);

  if (seconds < info->min_duration || seconds > info->max_duration)
    return FALSE;
  if (info->any_duration)
    return TRUE;
  return seconds == 5 || seconds == 10;
}

char *
kinema_models_dup_unavailable_reason (const char        *id,
                                      KinemaModelOption  option,
                                      KinemaTaskKind     kind)
{
  const KinemaModelInfo *info = kinema_models_lookup (id);

  if (info == NULL)
    return g_strdup_printf (_("“%s” is not a model Kinema knows."), id ? id : "");

  switch (option)
    {
    case KINEMA_MODEL_OPTION_TEXT_TO_VIDEO:
      if (!info->text_to_video)
        /* Translators: %s is a model name like “Kling 1.5” */
        return g_strdup_printf (_("%s needs a start image."), info->label);
      break;

    case KINEMA_MODEL_OPTION_IMAGE_TO_VIDEO:
      if (!info->image_to_video)
        return g_strdup_printf (_("%s cannot start from an image."), info->label);
      break;

    case KINEMA_MODEL_OPTION_CFG_SCALE:
      if (!info->cfg_scale)
        return g_strdup_printf (_("%s does not have a creativity setting."), info->label);
      break;

    case KINEMA_MODEL_OPTION_CAMERA_CONTROL:
      if (!info->camera_control)
        return g_strdup_printf (_("%s does not support camera movement."), info->label);
      if (kind == KINEMA_TASK_KIND_IMAGE_TO_VIDEO)
        return NULL;
      break;

    case KINEMA_MODEL_OPTION_IMAGE_TAIL:
      if (kind != KINEMA_TASK_KIND_IMAGE_TO_VIDEO)
        return g_strdup (_("An end frame needs a start image."));
      if (!info->image_tail)
        return g_strdup_printf (_("%s does not support an end frame."), info->label);
      break;

    case KINEMA_MODEL_OPTION_MODE:
      if (!info->mode_pro)
        return g_strdup_printf (_("%s has only the standard quality."), info->label);
      break;

    case KINEMA_MODEL_OPTION_DURATION:
      if (info->any_duration)
        /* Translators: %s is a model name, then the shortest and longest clip in seconds */
        return g_strdup_printf (_("%s makes clips of %u to %u seconds."), info->label,
                                info->min_duration, info->max_duration);
      return g_strdup_printf (_("%s makes clips of 5 or 10 seconds."), info->label);

    default:
      break;
    }

  return NULL;
}
