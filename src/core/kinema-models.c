/* kinema-models.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-models"

#include "config.h"

#include "kinema-capabilities.h"
#include "kinema-models.h"

static KinemaModelInfo *
build_all (guint *n_models)
{
  KinemaCapabilities *caps = kinema_capabilities_get_default ();
  guint               n = kinema_capabilities_get_n_models (caps);
  KinemaModelInfo    *all = g_new0 (KinemaModelInfo, n + 1);

  for (guint i = 0; i < n; i++)
    {
      KinemaModelInfo *info = &all[i];
      const char      *id = kinema_capabilities_get_model_id (caps, i);

      info->id = id;
      info->label = kinema_capabilities_get_label (caps, id);
      info->text_to_video = kinema_capabilities_model_has (caps, id, KINEMA_TASK_KIND_TEXT_TO_VIDEO,
                                                           KINEMA_FEATURE_KIND);
      info->image_to_video = kinema_capabilities_model_has (caps, id, KINEMA_TASK_KIND_IMAGE_TO_VIDEO,
                                                            KINEMA_FEATURE_KIND);
      info->cfg_scale = kinema_capabilities_model_has (caps, id, -1, KINEMA_FEATURE_CFG_SCALE);
      info->camera_control = kinema_capabilities_model_has (caps, id, -1, KINEMA_FEATURE_CAMERA_CONTROL);
      info->image_tail = kinema_capabilities_model_has (caps, id, -1, KINEMA_FEATURE_END_FRAME);
      info->sound = kinema_capabilities_model_has (caps, id, -1, KINEMA_FEATURE_SOUND);
      info->min_duration = G_MAXUINT;

      for (KinemaTaskKind kind = KINEMA_TASK_KIND_TEXT_TO_VIDEO; kind <= KINEMA_TASK_KIND_IMAGE_TO_VIDEO; kind++)
        for (KinemaMode mode = KINEMA_MODE_STD; mode <= KINEMA_MODE_4K; mode++)
          {
            g_autoptr(GArray) durations = kinema_capabilities_list_durations (caps, id, kind, mode);

            if (durations->len == 0)
              continue;
            if (mode == KINEMA_MODE_STD)
              info->mode_std = TRUE;
            else if (mode == KINEMA_MODE_PRO)
              info->mode_pro = TRUE;
            else
              info->mode_4k = TRUE;
            info->min_duration = MIN (info->min_duration, g_array_index (durations, guint, 0));
            info->max_duration = MAX (info->max_duration,
                                      g_array_index (durations, guint, durations->len - 1));
          }
    }

  *n_models = n;
  return all;
}

const KinemaModelInfo *
kinema_models_get_all (guint *n_models)
{
  static gsize            once = 0;
  static KinemaModelInfo *all = NULL;
  static guint            n_all = 0;

  if (g_once_init_enter (&once))
    {
      all = build_all (&n_all);
      g_once_init_leave (&once, 1);
    }
  if (n_models != NULL)
    *n_models = n_all;
  return all;
}

const KinemaModelInfo *
kinema_models_lookup (const char *id)
{
  guint                  n;
  const KinemaModelInfo *all = kinema_models_get_all (&n);

  if (id == NULL)
    return NULL;

  for (guint i = 0; i < n; i++)
    if (g_str_equal (all[i].id, id))
      return &all[i];

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

  switch (mode)
    {
    case KINEMA_MODE_STD:
      return info->mode_std;
    case KINEMA_MODE_PRO:
      return info->mode_pro;
    case KINEMA_MODE_4K:
      return info->mode_4k;
    default:
      return FALSE;
    }
}

gboolean
kinema_model_supports_duration (const KinemaModelInfo *info,
                                guint                  seconds)
{
  KinemaCapabilities *caps = kinema_capabilities_get_default ();

  g_return_val_if_fail (info != NULL, FALSE);

  for (KinemaTaskKind kind = KINEMA_TASK_KIND_TEXT_TO_VIDEO; kind <= KINEMA_TASK_KIND_IMAGE_TO_VIDEO; kind++)
    for (KinemaMode mode = KINEMA_MODE_STD; mode <= KINEMA_MODE_4K; mode++)
      {
        g_autoptr(GArray) durations = kinema_capabilities_list_durations (caps, info->id, kind, mode);

        for (guint i = 0; i < durations->len; i++)
          if (g_array_index (durations, guint, i) == seconds)
            return TRUE;
      }
  return FALSE;
}
