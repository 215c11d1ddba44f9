/* kinema-api-style.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-api-style"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kinema-api-style.h"
#include "kinema-error.h"

static const char * const camera_types[] = {
  NULL, "simple", "down_back", "forward_up", "right_turn_forward", "left_turn_forward",
};

static const char * const camera_axes[] = {
  "horizontal", "vertical", "pan", "tilt", "roll", "zoom",
};

gboolean
kinema_api_style_is_remote_image (const char *image)
{
  return image != NULL &&
         (g_ascii_strncasecmp (image, "https://", 8) == 0 ||
          g_ascii_strncasecmp (image, "http://", 7) == 0);
}

static char *
trim_base (const char *base_url)
{
  char *base = g_strdup (base_url ? base_url : "");
  gsize len = strlen (base);

  while (len > 0 && base[len - 1] == '/')
    base[--len] = '\0';
  return base;
}

/* The official routes (PROTOCOL.md 1.2; Kling docs "Video Extension" for
 * `/v1/videos/video-extend`, copy in WHQ25/rawgenai docs/research/kling/video-extend.md). */
static const char *
kind_path (KinemaTaskKind kind)
{
  switch (kind)
    {
    case KINEMA_TASK_KIND_IMAGE_TO_VIDEO:
      return "image2video";
    case KINEMA_TASK_KIND_VIDEO_EXTEND:
      return "video-extend";
    case KINEMA_TASK_KIND_TEXT_TO_VIDEO:
    default:
      return "text2video";
    }
}

const char *
kinema_api_style_size_for_aspect_ratio (const char *aspect_ratio)
{
  if (g_strcmp0 (aspect_ratio, "9:16") == 0)
    return "720x1280";
  if (g_strcmp0 (aspect_ratio, "1:1") == 0)
    return "1024x1024";
  return "1280x720";
}

char *
kinema_api_style_build_submit_url (KinemaApiStyle  style,
                                   const char     *base_url,
                                   KinemaTaskKind  kind)
{
  g_autofree char *base = trim_base (base_url);

  switch (style)
    {
    case KINEMA_API_STYLE_KLING:
      return g_strdup_printf ("%s/v1/videos/%s", base, kind_path (kind));
    case KINEMA_API_STYLE_VIDEO_GENERATIONS:
      return g_strdup_printf ("%s/v1/video/generations", base);
    case KINEMA_API_STYLE_OPENAI_VIDEOS:
      return g_strdup_printf ("%s/v1/videos", base);
    default:
      g_return_val_if_reached (NULL);
    }
}

char *
kinema_api_style_build_poll_url (KinemaApiStyle  style,
                                 const char     *base_url,
                                 KinemaTaskKind  kind,
                                 const char     *remote_id)
{
  g_autofree char *submit = kinema_api_style_build_submit_url (style, base_url, kind);
  g_autofree char *id = g_uri_escape_string (remote_id ? remote_id : "", NULL, FALSE);

  g_return_val_if_fail (submit != NULL, NULL);

  return g_strdup_printf ("%s/%s", submit, id);
}

char *
kinema_api_style_build_content_url (const char *base_url,
                                    const char *remote_id)
{
  g_autofree char *base = trim_base (base_url);
  g_autofree char *id = g_uri_escape_string (remote_id ? remote_id : "", NULL, FALSE);

  return g_strdup_printf ("%s/v1/videos/%s/content", base, id);
}

char *
kinema_api_style_build_lookup_url (const char     *base_url,
                                   KinemaTaskKind  kind,
                                   const char     *external_task_id)
{
  g_autofree char *base = trim_base (base_url);
  g_autofree char *id = g_uri_escape_string (external_task_id ? external_task_id : "", NULL, FALSE);

  /* The single-task route takes a task_id or the caller's external_task_id in the path
   * (Kling docs, "Query Task (Single)", copied in WHQ25/rawgenai
   * docs/research/kling/image-to-video.md); the list route ignores any filter. */
  return g_strdup_printf ("%s/v1/videos/%s/%s", base, kind_path (kind), id);
}

static gboolean
has_text (const char *str)
{
  return str != NULL && *str != '\0';
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_camera_control (JsonBuilder   *builder,
                    KinemaRequest *request)
{
  KinemaCameraType type = kinema_request_get_camera_type (request);
  KinemaCameraAxis axis = kinema_request_get_camera_axis (request);

  json_builder_set_member_name (builder, "camera_control");
  json_builder_begin_object (builder);
  add_string (builder, "type", camera_types[type]);
  if (type == KINEMA_CAMERA_SIMPLE)
    {
      json_builder_set_member_name (builder, "config");
      json_builder_begin_object (builder);
      for (guint i = 0; i < G_N_ELEMENTS (camera_axes); i++)
        {
          json_builder_set_member_name (builder, camera_axes[i]);
          json_builder_add_double_value (builder,
                                         i == axis ? kinema_request_get_camera_value (request) : 0);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
}

/* Kling's `sound` field exists only on the models and modes the capability map gives it
 * (kling-v2-6 pro, kling-v3); elsewhere it is left out. new-api forwards it
 * (relay/channel/task/kling/adaptor.go, requestPayload). */
static gboolean
sends_sound (KinemaRequest *request)
{
  KinemaCapabilityQuery query;

  kinema_request_fill_query (request, &query);
  return kinema_capabilities_sends_sound (kinema_capabilities_get_default (), &query);
}

/* Fields new-api only forwards through metadata, with Kling's own types (2.4). */
static gboolean
add_kling_extras (JsonBuilder   *builder,
                  KinemaRequest *request,
                  const char    *image_tail,
                  gboolean       dry_run)
{
  gboolean any = FALSE;

  if (has_text (kinema_request_get_negative_prompt (request)))
    {
      any = TRUE;
      if (!dry_run)
        add_string (builder, "negative_prompt", kinema_request_get_negative_prompt (request));
    }
  if (has_text (image_tail))
    {
      any = TRUE;
      if (!dry_run)
        add_string (builder, "image_tail", image_tail);
    }
  if (kinema_request_get_cfg_scale (request) >= 0)
    {
      any = TRUE;
      if (!dry_run)
        {
          json_builder_set_member_name (builder, "cfg_scale");
          json_builder_add_double_value (builder, kinema_request_get_cfg_scale (request));
        }
    }
  if (kinema_request_get_camera_type (request) != KINEMA_CAMERA_NONE)
    {
      any = TRUE;
      if (!dry_run)
        add_camera_control (builder, request);
    }
  if (sends_sound (request))
    {
      any = TRUE;
      if (!dry_run)
        add_string (builder, "sound", kinema_request_get_sound (request) ? "on" : "off");
    }
  if (has_text (kinema_request_get_external_task_id (request)))
    {
      any = TRUE;
      if (!dry_run)
        add_string (builder, "external_task_id", kinema_request_get_external_task_id (request));
    }
  return any;
}

static gboolean
resolve_image (const char  *given,
               const char  *own,
               const char **out,
               GError     **error)
{
  *out = NULL;
  if (has_text (given))
    *out = given;
  else if (has_text (own))
    {
      if (!kinema_api_style_is_remote_image (own))
        {
          g_autoptr(GError) local = kinema_error_new (KINEMA_ERROR_INVALID_INPUT, 0, NULL, NULL, NULL);

          g_free (local->message);
          local->message = g_strdup (_("The image could not be prepared for sending."));
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      *out = own;
    }
  return TRUE;
}

/* Kling's video extension takes video_id, prompt, negative_prompt, cfg_scale,
 * callback_url and external_task_id, and no model_name, mode, duration or image: the
 * extension keeps the source's model and mode (Kling docs, "Video Extension", copies in
 * WHQ25/rawgenai docs/research/kling/video-extend.md and DMXAPI/DMXAPI-docs
 * docs/zh/models/kling/api/video-extend.md; docs.comfy.org KlingVideoExtendNode has the
 * same four inputs). new-api routes only text- and image-to-video
 * (router/video-router.go), so the other styles have no such route. */
static JsonNode *
build_extend_body (KinemaApiStyle style,
                   KinemaRequest *request,
                   GError       **error)
{
  g_autoptr(JsonBuilder) builder = NULL;

  if (style != KINEMA_API_STYLE_KLING)
    {
      g_autoptr(GError) local = kinema_error_new (KINEMA_ERROR_INVALID_INPUT, 0, NULL, NULL, NULL);

      g_free (local->message);
      local->message = g_strdup (_("This provider does not offer Kling’s video extension. Use Continue from "
                                   "the last frame instead."));
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  add_string (builder, "video_id", kinema_request_get_video_id (request));
  if (has_text (kinema_request_get_prompt (request)))
    add_string (builder, "prompt", kinema_request_get_prompt (request));
  if (has_text (kinema_request_get_negative_prompt (request)))
    add_string (builder, "negative_prompt", kinema_request_get_negative_prompt (request));
  if (kinema_request_get_cfg_scale (request) >= 0)
    {
      json_builder_set_member_name (builder, "cfg_scale");
      json_builder_add_double_value (builder, kinema_request_get_cfg_scale (request));
    }
  if (has_text (kinema_request_get_external_task_id (request)))
    add_string (builder, "external_task_id", kinema_request_get_external_task_id (request));
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
kinema_api_style_build_submit_body (KinemaApiStyle   style,
                                    KinemaRequest   *request,
                                    const char      *image,
                                    const char      *image_tail,
                                    GError         **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  KinemaTaskKind kind;
  const char *send_image = NULL;
  const char *send_tail = NULL;
  const char *mode;

  g_return_val_if_fail (KINEMA_IS_REQUEST (request), NULL);

  if (!kinema_request_validate (request, error))
    return NULL;

  kind = kinema_request_get_kind (request);
  if (kind == KINEMA_TASK_KIND_IMAGE_TO_VIDEO)
    {
      if (!resolve_image (image, kinema_request_get_image (request), &send_image, error) ||
          !resolve_image (image_tail, kinema_request_get_image_tail (request), &send_tail, error))
        return NULL;
    }

  if (kind == KINEMA_TASK_KIND_VIDEO_EXTEND)
    return build_extend_body (style, request, error);

  mode = kinema_mode_to_string (kinema_request_get_mode (request));

  json_builder_begin_object (builder);

  if (style == KINEMA_API_STYLE_KLING)
    {
      g_autofree char *duration = g_strdup_printf ("%u", kinema_request_get_duration (request));

      add_string (builder, "model_name", kinema_request_get_model (request));
      if (has_text (kinema_request_get_prompt (request)))
        add_string (builder, "prompt", kinema_request_get_prompt (request));
      if (has_text (kinema_request_get_negative_prompt (request)))
        add_string (builder, "negative_prompt", kinema_request_get_negative_prompt (request));
      if (send_image != NULL)
        add_string (builder, "image", send_image);
      if (send_tail != NULL)
        add_string (builder, "image_tail", send_tail);
      add_string (builder, "mode", mode);
      add_string (builder, "duration", duration);
      if (kind == KINEMA_TASK_KIND_TEXT_TO_VIDEO)
        add_string (builder, "aspect_ratio", kinema_request_get_aspect_ratio (request));
      if (kinema_request_get_cfg_scale (request) >= 0)
        {
          json_builder_set_member_name (builder, "cfg_scale");
          json_builder_add_double_value (builder, kinema_request_get_cfg_scale (request));
        }
      if (kinema_request_get_camera_type (request) != KINEMA_CAMERA_NONE)
        add_camera_control (builder, request);
      if (sends_sound (request))
        add_string (builder, "sound", kinema_request_get_sound (request) ? "on" : "off");
      if (has_text (kinema_request_get_external_task_id (request)))
        add_string (builder, "external_task_id", kinema_request_get_external_task_id (request));
    }
  else
    {
      add_string (builder, "model", kinema_request_get_model (request));
      /* new-api refuses a blank prompt even for image-to-video, after trimming it, so
       * no placeholder gets through (relay/common/relay_utils.go, validatePrompt);
       * kinema_provider_check_request() refuses such a request before it is built */
      if (has_text (kinema_request_get_prompt (request)))
        add_string (builder, "prompt", kinema_request_get_prompt (request));
      if (send_image != NULL)
        add_string (builder, "image", send_image);
      if (style == KINEMA_API_STYLE_VIDEO_GENERATIONS || kinema_request_get_mode (request) != KINEMA_MODE_STD)
        add_string (builder, "mode", mode);
      if (style == KINEMA_API_STYLE_OPENAI_VIDEOS)
        add_string (builder, "size",
                    kinema_api_style_size_for_aspect_ratio (kinema_request_get_aspect_ratio (request)));
      json_builder_set_member_name (builder, "duration");
      json_builder_add_int_value (builder, kinema_request_get_duration (request));
      if (style == KINEMA_API_STYLE_VIDEO_GENERATIONS)
        add_string (builder, "size",
                    kinema_api_style_size_for_aspect_ratio (kinema_request_get_aspect_ratio (request)));
      if (add_kling_extras (builder, request, send_tail, TRUE))
        {
          json_builder_set_member_name (builder, "metadata");
          json_builder_begin_object (builder);
          add_kling_extras (builder, request, send_tail, FALSE);
          json_builder_end_object (builder);
        }
    }

  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
