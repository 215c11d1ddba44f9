/* kinema-sim-submit.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The submit routes: parsing each route's body, new-api's conversion into the
 * body Kling receives (PROTOCOL 2.3/2.4), Kling's own checks, and the new job.
 */

#define G_LOG_DOMAIN "kinema-sim-server"

#include "config.h"

#include <string.h>

#include "kinema-json.h"
#include "kinema-capabilities.h"
#include "kinema-models.h"
#include "kinema-sim-server-private.h"

#define MAX_PROMPT_CHARS 2500

typedef struct {
  guint       status;
  int         kling_code;
  const char *na_code;
  char       *message;
} SubmitError;

static void
submit_error_set (SubmitError *err,
                  guint        status,
                  int          kling_code,
                  const char  *na_code,
                  char        *message)
{
  err->status = status;
  err->kling_code = kling_code;
  err->na_code = na_code;
  err->message = message;
}

static JsonObject *
parse_multipart (SoupServerMessage *msg,
                 GBytes            *body)
{
  g_autoptr(SoupMultipart) multipart = NULL;
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonObject) metadata = json_object_new ();

  multipart = soup_multipart_new_from_message (soup_server_message_get_request_headers (msg), body);
  if (multipart == NULL)
    return NULL;

  for (int i = 0; i < soup_multipart_get_length (multipart); i++)
    {
      SoupMessageHeaders *headers = NULL;
      GBytes *part = NULL;
      g_autoptr(GHashTable) params = NULL;
      g_autofree char *value = NULL;
      const char *name;
      char *end = NULL;
      double number;

      if (!soup_multipart_get_part (multipart, i, &headers, &part) ||
          !soup_message_headers_get_content_disposition (headers, NULL, &params))
        continue;
      name = g_hash_table_lookup (params, "name");
      if (name == NULL || g_hash_table_contains (params, "filename"))
        continue; /* Uploaded files are not used by the Kling adaptor (2.3). */

      value = g_strndup (g_bytes_get_data (part, NULL), g_bytes_get_size (part));
      if (g_str_equal (name, "seconds"))
        json_object_set_string_member (object, "duration", value);
      else if (g_str_equal (name, "prompt") || g_str_equal (name, "model") || g_str_equal (name, "mode") ||
               g_str_equal (name, "image") || g_str_equal (name, "size"))
        json_object_set_string_member (object, name, value);
      else if ((number = g_ascii_strtod (value, &end)), end != value && end != NULL && *end == '\0')
        json_object_set_double_member (metadata, name, number);
      else
        json_object_set_string_member (metadata, name, value);
    }

  json_object_set_object_member (object, "metadata", g_steal_pointer (&metadata));
  return g_steal_pointer (&object);
}

static const char *
aspect_from_size (const char *size)
{
  if (g_strcmp0 (size, "1024x1024") == 0 || g_strcmp0 (size, "512x512") == 0)
    return "1:1";
  if (g_strcmp0 (size, "1280x720") == 0 || g_strcmp0 (size, "1920x1080") == 0)
    return "16:9";
  if (g_strcmp0 (size, "720x1280") == 0 || g_strcmp0 (size, "1080x1920") == 0)
    return "9:16";
  return "1:1";
}

static GType
kling_field_type (const char *name)
{
  static const char *strings[] = {
    "model_name",
    "model",
    "prompt",
    "negative_prompt",
    "image",
    "image_tail",
    "mode",
    "duration",
    "aspect_ratio",
    "callback_url",
    "external_task_id",
    "static_mask",
    "sound",
    "video_id",
  };

  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    if (g_str_equal (name, strings[i]))
      return G_TYPE_STRING;
  if (g_str_equal (name, "cfg_scale"))
    return G_TYPE_DOUBLE;
  if (g_str_equal (name, "camera_control") || g_str_equal (name, "watermark_info"))
    return JSON_TYPE_OBJECT;
  if (g_str_equal (name, "dynamic_masks") || g_str_equal (name, "voice_list"))
    return JSON_TYPE_ARRAY;
  return G_TYPE_INVALID;
}

static const char *
go_type_name (GType type)
{
  if (type == G_TYPE_STRING)
    return "string";
  if (type == G_TYPE_DOUBLE)
    return "float64";
  if (type == JSON_TYPE_OBJECT)
    return "kling.CameraControl";
  return "[]interface {}";
}

static const char *
json_kind_name (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "object";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "array";
  if (JSON_NODE_HOLDS_NULL (node))
    return "null";
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return "string";
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return "bool";
  return "number";
}

/* Checks that every known field of a Kling body has Kling's JSON type; returns
 * the first offending field. */
static const char *
find_type_error (JsonObject  *body,
                 GType       *out_expected)
{
  g_autoptr(GList) members = json_object_get_members (body);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (body, name);
      GType expected = kling_field_type (name);
      gboolean ok;

      if (expected == G_TYPE_INVALID || JSON_NODE_HOLDS_NULL (node))
        continue;
      if (expected == JSON_TYPE_OBJECT)
        ok = JSON_NODE_HOLDS_OBJECT (node);
      else if (expected == JSON_TYPE_ARRAY)
        ok = JSON_NODE_HOLDS_ARRAY (node);
      else if (expected == G_TYPE_STRING)
        ok = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
      else
        ok = JSON_NODE_HOLDS_VALUE (node) &&
             (json_node_get_value_type (node) == G_TYPE_DOUBLE ||
              json_node_get_value_type (node) == G_TYPE_INT64);
      if (!ok)
        {
          *out_expected = expected;
          return name;
        }
    }
  return NULL;
}

static const char *
get_string (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
parse_duration_value (JsonNode *node,
                      gint64   *out_seconds)
{
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    *out_seconds = json_node_get_int (node);
  else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    *out_seconds = (gint64) json_node_get_double (node);
  else if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);
      char *end = NULL;
      double value = g_ascii_strtod (text, &end);

      if (end == text || *end != '\0')
        return FALSE;
      *out_seconds = (gint64) value;
    }
  else
    return FALSE;
  return TRUE;
}

static gboolean
parse_camera (JsonObject   *camera,
              KinemaSimJob *job,
              char        **out_message)
{
  static const char *axes[] = { "horizontal", "vertical", "pan", "tilt", "roll", "zoom" };
  static const char *types[] = { "simple", "down_back", "forward_up", "right_turn_forward", "left_turn_forward" };
  const char *type = get_string (camera, "type");
  JsonObject *config;
  guint non_zero = 0;
  guint t;

  for (t = 0; t < G_N_ELEMENTS (types); t++)
    if (g_strcmp0 (type, types[t]) == 0)
      break;
  if (t == G_N_ELEMENTS (types))
    {
      *out_message = g_strdup ("camera_control.type value invalid");
      return FALSE;
    }
  job->camera = (KinemaCameraType) (KINEMA_CAMERA_SIMPLE + t);
  if (job->camera != KINEMA_CAMERA_SIMPLE)
    return TRUE;

  config = json_object_has_member (camera, "config") &&
           JSON_NODE_HOLDS_OBJECT (json_object_get_member (camera, "config")) ?
           json_object_get_object_member (camera, "config") : NULL;
  if (config == NULL)
    {
      *out_message = g_strdup ("camera_control.config is required for type simple");
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (axes); i++)
    {
      double value = json_object_get_double_member_with_default (config, axes[i], 0);

      if (value < -10 || value > 10)
        {
          *out_message = g_strdup_printf ("camera_control.config.%s must be within [-10, 10]", axes[i]);
          return FALSE;
        }
      if (value != 0)
        {
          non_zero++;
          job->camera_axis = (KinemaCameraAxis) i;
          job->camera_value = value;
        }
    }
  if (non_zero != 1)
    {
      *out_message = g_strdup ("camera_control.config must set exactly one non-zero value");
      return FALSE;
    }
  return TRUE;
}

static char *
store_image (KinemaSimServer *self,
             GBytes          *bytes,
             const char      *ext)
{
  g_autofree char *sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  g_autofree char *dir = g_build_filename (self->work_dir, "images", NULL);
  g_autofree char *name = g_strconcat (sum, ".", ext, NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autoptr(GError) error = NULL;

      g_mkdir_with_parents (dir, 0700);
      if (!g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error))
        {
          g_warning ("Could not store an image: %s", error->message);
          return NULL;
        }
    }
  return g_steal_pointer (&path);
}

/* Kling refuses, with HTTP 400 and code 1201, what its capability map ("skillsMap") says
 * a model cannot do in this kind, mode and duration (Kling developer docs, capability map;
 * copy in WHQ25/rawgenai docs/research/kling/capability-map.md; error codes: PROTOCOL.md
 * 1.9). The simulator reads the same map as the client: data/capabilities.json. */
static gboolean
capability_check (JsonObject   *body,
                  const char   *model,
                  gboolean      image_to_video,
                  guint         seconds,
                  KinemaSimJob *job,
                  char        **out_message)
{
  static const char *const fields[] = {
    [KINEMA_FEATURE_KIND] = "model_name",
    [KINEMA_FEATURE_MODE] = "mode",
    [KINEMA_FEATURE_DURATION] = "duration",
    [KINEMA_FEATURE_END_FRAME] = "image_tail",
    [KINEMA_FEATURE_END_FRAME_ONLY] = "image",
    [KINEMA_FEATURE_CAMERA_CONTROL] = "camera_control",
    [KINEMA_FEATURE_CFG_SCALE] = "cfg_scale",
    [KINEMA_FEATURE_SOUND] = "sound",
    [KINEMA_FEATURE_NEGATIVE_PROMPT] = "negative_prompt",
    [KINEMA_FEATURE_ASPECT_RATIO] = "aspect_ratio",
  };
  const char           *mode = get_string (body, "mode");
  const char           *sound = get_string (body, "sound");
  const char           *negative = get_string (body, "negative_prompt");
  const char           *image = get_string (body, "image");
  const char           *image_tail = get_string (body, "image_tail");
  KinemaCapabilityQuery query = { 0 };
  KinemaFeature         feature = KINEMA_FEATURE_KIND;
  g_autofree char      *reason = NULL;

  query.model = model;
  query.kind = image_to_video ? KINEMA_TASK_KIND_IMAGE_TO_VIDEO : KINEMA_TASK_KIND_TEXT_TO_VIDEO;
  if (mode == NULL || !kinema_mode_from_string (mode, &query.mode))
    query.mode = KINEMA_MODE_STD;
  query.duration = seconds;
  query.has_image = image != NULL && *image != '\0';
  query.has_end_frame = image_to_video && image_tail != NULL && *image_tail != '\0';
  query.camera = job->camera;
  /* Kling's docs call cfg_scale "not supported" on kling-v2.x, not refused: new-api's
   * adaptor sends its 0.5 default with every job (PROTOCOL.md 2.4) and those jobs run. The
   * client leaves it out (the composer greys it); the simulator does not refuse it. */
  query.cfg_scale = FALSE;
  query.sound = g_strcmp0 (sound, "on") == 0;
  query.negative_prompt = negative != NULL && *negative != '\0';
  query.aspect_ratio = NULL; /* checked above */

  if (sound != NULL && !g_str_equal (sound, "on") && !g_str_equal (sound, "off"))
    {
      *out_message = g_strdup ("sound value invalid: must be on or off");
      return FALSE;
    }

  reason = kinema_capabilities_check (kinema_capabilities_get_default (), &query, &feature);
  if (reason == NULL)
    return TRUE;
  *out_message = g_strdup_printf ("%s value invalid: model %s does not support it with mode %s and "
                                  "duration %u (capability map)",
                                  fields[feature], model, kinema_mode_to_string (query.mode), seconds);
  return FALSE;
}

/* Kling's own checks on the body it receives (PROTOCOL 1.3-1.5). Fills @job. */
static gboolean
kling_validate (KinemaSimServer *self,
                JsonObject      *body,
                gboolean         image_to_video,
                KinemaSimJob    *job,
                char           **out_message)
{
  const char *model = get_string (body, "model_name");
  const char *prompt = get_string (body, "prompt");
  const char *mode = get_string (body, "mode");
  const char *duration = get_string (body, "duration");
  const char *aspect = get_string (body, "aspect_ratio");
  const char *image = get_string (body, "image");
  const char *image_tail = get_string (body, "image_tail");
  const char *external = get_string (body, "external_task_id");
  const KinemaModelInfo *info;
  gint64 seconds = 5;

  if (model == NULL || *model == '\0')
    model = "kling-v1";
  info = kinema_models_lookup (model);
  if (info == NULL)
    {
      *out_message = g_strdup_printf ("model_name value invalid: %s is not supported", model);
      return FALSE;
    }
  if (!kinema_model_supports_kind (info, image_to_video ? KINEMA_TASK_KIND_IMAGE_TO_VIDEO
                                                        : KINEMA_TASK_KIND_TEXT_TO_VIDEO))
    {
      *out_message = g_strdup_printf ("model %s does not support %s", model,
                                      image_to_video ? "image2video" : "text2video");
      return FALSE;
    }
  if (prompt == NULL)
    prompt = "";
  if (!image_to_video)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (prompt));

      if (*stripped == '\0')
        {
          *out_message = g_strdup ("prompt is required");
          return FALSE;
        }
    }
  if (g_utf8_strlen (prompt, -1) > MAX_PROMPT_CHARS ||
      g_utf8_strlen (get_string (body, "negative_prompt") ? get_string (body, "negative_prompt") : "", -1) >
      MAX_PROMPT_CHARS)
    {
      *out_message = g_strdup ("prompt is too long: at most 2500 characters");
      return FALSE;
    }
  if (mode != NULL && !kinema_mode_from_string (mode, NULL))
    {
      *out_message = g_strdup ("mode value invalid");
      return FALSE;
    }
  if (duration != NULL)
    {
      char *end = NULL;

      seconds = g_ascii_strtoll (duration, &end, 10);
      if (end == duration || *end != '\0' || seconds <= 0 || seconds > KINEMA_CAPABILITIES_MAX_SECONDS)
        {
          *out_message = g_strdup ("duration value invalid");
          return FALSE;
        }
    }
  if (aspect != NULL && !g_str_equal (aspect, "16:9") && !g_str_equal (aspect, "9:16") &&
      !g_str_equal (aspect, "1:1"))
    {
      *out_message = g_strdup ("aspect_ratio value invalid");
      return FALSE;
    }
  if (json_object_has_member (body, "cfg_scale") &&
      !JSON_NODE_HOLDS_NULL (json_object_get_member (body, "cfg_scale")))
    {
      double cfg = json_object_get_double_member (body, "cfg_scale");

      if (cfg < 0 || cfg > 1)
        {
          *out_message = g_strdup ("cfg_scale value invalid: must be within [0, 1]");
          return FALSE;
        }
    }
  if (json_object_has_member (body, "camera_control") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (body, "camera_control")) &&
      !parse_camera (json_object_get_object_member (body, "camera_control"), job, out_message))
    return FALSE;

  if (!capability_check (body, model, image_to_video, (guint) seconds, job, out_message))
    return FALSE;

  if (image_to_video)
    {
      struct { const char *value; const char *field; char **path; } frames[] = {
        { image, "image", &job->image_path },
        { image_tail, "image_tail", &job->image_tail_path },
      };

      if ((image == NULL || *image == '\0') && (image_tail == NULL || *image_tail == '\0'))
        {
          *out_message = g_strdup ("image is required: set image or image_tail");
          return FALSE;
        }
      for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
        {
          g_autoptr(GBytes) bytes = NULL;
          const char *ext = NULL;

          if (frames[i].value == NULL || *frames[i].value == '\0')
            continue;
          if (!_kinema_sim_check_image (frames[i].value, frames[i].field, &bytes, &ext, out_message))
            return FALSE;
          if (bytes != NULL)
            *frames[i].path = store_image (self, bytes, ext);
        }
    }

  if (external != NULL && *external != '\0' && g_hash_table_contains (self->jobs_by_external, external))
    {
      *out_message = g_strdup_printf ("external_task_id %s already exists", external);
      return FALSE;
    }

  job->image_to_video = image_to_video;
  job->model = g_strdup (model);
  job->prompt = g_strdup (prompt);
  job->negative_prompt = g_strdup (get_string (body, "negative_prompt"));
  job->mode = g_strdup (mode != NULL ? mode : "std");
  job->duration_s = (guint) seconds;
  job->aspect_ratio = g_strdup (aspect != NULL ? aspect : "16:9");
  job->external_task_id = external != NULL && *external != '\0' ? g_strdup (external) : NULL;
  return TRUE;
}

/* Kling's video extension (developer docs, "Video Extension" / 视频延长; copies in
 * WHQ25/rawgenai docs/research/kling/video-extend.md and DMXAPI/DMXAPI-docs
 * docs/zh/models/kling/api/video-extend.md). The body has video_id (required: a video made
 * by text-to-video, image-to-video or an earlier extension), prompt and negative_prompt
 * (2,500 characters each), cfg_scale [0, 1], watermark_info, callback_url and
 * external_task_id. "The model and mode cannot be chosen: they are the source video's",
 * and the page lists no model_name, mode, duration or image: whether Kling refuses or
 * ignores them is not documented, so the simulator refuses them, to catch a client that
 * sends them. Refused with 1201 as well: a video id the account does not have or whose
 * job has not finished, a video older than the retention (the page: videos are cleared
 * after 30 days and can no longer be extended; here the simulator's video lifetime), one
 * made with kling-v1-5 ("暂不支持对V1.5模型生成的视频进行延长") or another model the
 * capability map gives no extension, and one whose extension would pass 3 minutes in all
 * ("总视频时长不能超过3分钟"). Fills @job. */
static gboolean
extend_validate (KinemaSimServer *self,
                 JsonObject      *body,
                 KinemaSimJob    *job,
                 char           **out_message)
{
  static const char *const refused[] = {
    "model_name",
    "model",
    "mode",
    "duration",
    "image",
    "image_tail",
    "aspect_ratio",
    "camera_control",
    "sound",
  };
  const char           *video_id = get_string (body, "video_id");
  const char           *prompt = get_string (body, "prompt");
  const char           *negative = get_string (body, "negative_prompt");
  const char           *external = get_string (body, "external_task_id");
  KinemaSimJob         *source;
  KinemaSimJobView      view;
  KinemaCapabilityQuery query = { 0 };
  g_autofree char      *reason = NULL;
  double                source_total;

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    if (json_object_has_member (body, refused[i]))
      {
        *out_message = g_strdup_printf ("%s value invalid: video-extend uses the model and mode of the source "
                                        "video",
                                        refused[i]);
        return FALSE;
      }
  if (video_id == NULL || *video_id == '\0')
    {
      *out_message = g_strdup ("video_id is required");
      return FALSE;
    }
  if (g_utf8_strlen (prompt != NULL ? prompt : "", -1) > MAX_PROMPT_CHARS ||
      g_utf8_strlen (negative != NULL ? negative : "", -1) > MAX_PROMPT_CHARS)
    {
      *out_message = g_strdup ("prompt is too long: at most 2500 characters");
      return FALSE;
    }
  if (json_object_has_member (body, "cfg_scale") && !JSON_NODE_HOLDS_NULL (json_object_get_member (body, "cfg_scale")))
    {
      double cfg = json_object_get_double_member (body, "cfg_scale");

      if (cfg < 0 || cfg > 1)
        {
          *out_message = g_strdup ("cfg_scale value invalid: must be within [0, 1]");
          return FALSE;
        }
    }

  /* The simulator's video ids are "vid-" and the job's upstream id (kinema-sim-dialects.c). */
  source = g_str_has_prefix (video_id, "vid-") ? _kinema_sim_server_lookup_job (self, video_id + 4) : NULL;
  if (source == NULL || (source->route != KINEMA_SIM_ROUTE_KLING && source->route != KINEMA_SIM_ROUTE_KLING_GATEWAY))
    {
      *out_message = g_strdup_printf ("video_id value invalid: video %s not found", video_id);
      return FALSE;
    }
  _kinema_sim_job_compute_view (source, _kinema_sim_server_now_ms (self), FALSE, 0, &view);
  if (view.state != KINEMA_SIM_JOB_SUCCEEDED || source->video_path == NULL)
    {
      *out_message = g_strdup_printf ("video_id value invalid: video %s is not ready", video_id);
      return FALSE;
    }
  if (_kinema_sim_server_now_ms (self) >= view.finish_ms + self->video_ttl_ms)
    {
      *out_message = g_strdup_printf ("video_id value invalid: video %s has expired and can no longer be extended",
                                      video_id);
      return FALSE;
    }

  query.model = source->model;
  query.kind = KINEMA_TASK_KIND_VIDEO_EXTEND;
  if (!kinema_mode_from_string (source->mode, &query.mode))
    query.mode = KINEMA_MODE_STD;
  query.duration = source->duration_s;
  reason = kinema_capabilities_check (kinema_capabilities_get_default (), &query, NULL);
  if (reason != NULL)
    {
      *out_message = g_strdup_printf ("video_id value invalid: videos of model %s cannot be extended", source->model);
      return FALSE;
    }

  source_total = _kinema_sim_job_get_seconds (source);
  if (source_total + KINEMA_EXTEND_SECONDS > KINEMA_EXTEND_MAX_TOTAL_SECONDS)
    {
      *out_message = g_strdup_printf ("video_id value invalid: the extended video would be longer than %d seconds",
                                      KINEMA_EXTEND_MAX_TOTAL_SECONDS);
      return FALSE;
    }

  if (external != NULL && *external != '\0' && g_hash_table_contains (self->jobs_by_external, external))
    {
      *out_message = g_strdup_printf ("external_task_id %s already exists", external);
      return FALSE;
    }

  job->extend = TRUE;
  job->source_video_id = g_strdup (video_id);
  job->source_job_id = g_strdup (source->upstream_id);
  job->source_total_s = source_total;
  job->total_s = source_total + KINEMA_EXTEND_SECONDS;
  job->model = g_strdup (source->model);
  job->mode = g_strdup (source->mode);
  job->duration_s = source->duration_s;
  job->aspect_ratio = g_strdup (source->aspect_ratio);
  job->prompt = g_strdup (prompt != NULL ? prompt : "");
  job->negative_prompt = g_strdup (negative);
  job->external_task_id = external != NULL && *external != '\0' ? g_strdup (external) : NULL;
  return TRUE;
}

/* new-api's conversion of a generic request into Kling's body (PROTOCOL 2.4). */
static JsonObject *
build_upstream_body (JsonObject  *request,
                     gboolean     kling_route,
                     SubmitError *err)
{
  g_autoptr(JsonObject) body = json_object_new ();
  JsonObject *metadata = NULL;
  g_autoptr(JsonObject) parsed_metadata = NULL;
  g_autofree char *duration = NULL;
  const char *model;
  const char *image;
  GType expected = G_TYPE_INVALID;
  const char *bad;
  g_autoptr(GList) members = NULL;

  if (kling_route)
    {
      metadata = request;
      model = get_string (request, "model_name");
      if (model == NULL || *model == '\0')
        model = get_string (request, "model");
      image = NULL;
    }
  else
    {
      JsonNode *meta_node = json_object_get_member (request, "metadata");
      JsonNode *duration_node = json_object_get_member (request, "duration");
      gint64 seconds = 5;

      model = get_string (request, "model");
      image = get_string (request, "image");
      if (image == NULL && json_object_has_member (request, "images") &&
          JSON_NODE_HOLDS_ARRAY (json_object_get_member (request, "images")))
        {
          JsonArray *images = json_object_get_array_member (request, "images");

          if (json_array_get_length (images) > 0)
            image = json_node_get_string (json_array_get_element (images, 0));
        }

      if (duration_node != NULL && !JSON_NODE_HOLDS_NULL (duration_node))
        {
          if (!parse_duration_value (duration_node, &seconds))
            {
              submit_error_set (err, SOUP_STATUS_BAD_REQUEST, 1201, "invalid_request",
                                g_strdup ("invalid request: duration must be a number"));
              return NULL;
            }
          if (seconds < 0 || seconds > 3600)
            {
              submit_error_set (err, SOUP_STATUS_BAD_REQUEST, 1201, "invalid_seconds",
                                g_strdup ("seconds must be between 0 and 3600"));
              return NULL;
            }
          duration = g_strdup_printf ("%" G_GINT64_FORMAT, seconds);
        }

      if (meta_node != NULL && JSON_NODE_HOLDS_OBJECT (meta_node))
        metadata = json_node_get_object (meta_node);
      else if (meta_node != NULL && JSON_NODE_HOLDS_VALUE (meta_node) &&
               json_node_get_value_type (meta_node) == G_TYPE_STRING)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();

          if (!kinema_json_parser_load (parser, json_node_get_string (meta_node), -1, NULL) ||
              !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
            {
              submit_error_set (err, SOUP_STATUS_BAD_REQUEST, 1200, "invalid_request",
                                g_strdup ("invalid request: metadata must be a JSON object"));
              return NULL;
            }
          parsed_metadata = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
          metadata = parsed_metadata;
        }
    }

  if (model == NULL || *model == '\0')
    model = "kling-v1";

  json_object_set_string_member (body, "prompt", get_string (request, "prompt") ?: "");
  if (image != NULL)
    json_object_set_string_member (body, "image", image);
  json_object_set_string_member (body, "mode", get_string (request, "mode") ?: "std");
  json_object_set_string_member (body, "duration", duration != NULL ? duration : "5");
  json_object_set_string_member (body, "aspect_ratio", aspect_from_size (get_string (request, "size")));
  json_object_set_string_member (body, "model_name", model);
  json_object_set_string_member (body, "model", model);
  json_object_set_double_member (body, "cfg_scale", 0.5);

  if (metadata == NULL)
    return g_steal_pointer (&body);

  /* Go's encoding/json decodes metadata over the defaults: a field of the wrong
   * JSON type fails the whole request (2.4). */
  if ((bad = find_type_error (metadata, &expected)) != NULL)
    {
      JsonNode *node = json_object_get_member (metadata, bad);

      submit_error_set (err, SOUP_STATUS_INTERNAL_SERVER_ERROR, 1201, "build_request_failed",
                        g_strdup_printf ("unmarshal metadata failed: json: cannot unmarshal %s into Go struct "
                                         "field requestPayload.%s of type %s",
                                         json_kind_name (node), bad, go_type_name (expected)));
      return NULL;
    }

  members = json_object_get_members (metadata);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;

      if (g_str_equal (name, "model") || kling_field_type (name) == G_TYPE_INVALID)
        continue;
      if (kling_route && (g_str_equal (name, "model_name")))
        continue;
      json_object_set_member (body, name, json_node_copy (json_object_get_member (metadata, name)));
    }

  return g_steal_pointer (&body);
}

/* The HTTP status Kling sends with each of its codes (PROTOCOL 1.9). */
static guint
kling_http_status (int code)
{
  if (code >= 1000 && code <= 1004)
    return SOUP_STATUS_UNAUTHORIZED;
  if (code >= 1100 && code <= 1102)
    return 429;
  if (code == 1103)
    return SOUP_STATUS_FORBIDDEN;
  if (code == 1202 || code == 1203)
    return SOUP_STATUS_NOT_FOUND;
  if (code >= 1302 && code <= 1304)
    return 429;
  if (code == 5001)
    return SOUP_STATUS_SERVICE_UNAVAILABLE;
  if (code == 5002)
    return SOUP_STATUS_GATEWAY_TIMEOUT;
  if (code >= 5000)
    return SOUP_STATUS_INTERNAL_SERVER_ERROR;
  return SOUP_STATUS_BAD_REQUEST;
}

/* Kling refused the body that reached it. The official route answers with Kling's own
 * error; new-api answers any non-200 upstream reply with Kling's status and
 * {"code":"fail_to_fetch_task","message":"<Kling's body as text>","data":null}
 * (new-api relay/relay_task.go, RelayTaskSubmit, step 9), except that a 429 gets a
 * fixed text after the retries on other channels (controller/relay.go, PROTOCOL 2.5). */
static void
reply_kling_refusal (SoupServerMessage *msg,
                     gboolean           new_api,
                     int                code,
                     const char        *message)
{
  g_autofree char *request_id = g_uuid_string_random ();
  g_autoptr(JsonNode) kling = _kinema_sim_kling_error (code, message, request_id);
  guint            status = kling_http_status (code);
  g_autofree char *text = NULL;

  if (!new_api)
    {
      _kinema_sim_reply_json (msg, status, g_steal_pointer (&kling));
      return;
    }

  text = json_to_string (kling, FALSE);
  _kinema_sim_reply_json (msg, status,
                          _kinema_sim_new_api_error ("fail_to_fetch_task",
                                                     status == 429
                                                         ? "当前分组上游负载已饱和，请稍后再试"
                                                         : text));
}

static void
count_submit (KinemaSimServer *self,
              const char      *external)
{
  if (external == NULL || *external == '\0')
    return;
  g_hash_table_insert (self->submit_counts, g_strdup (external),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (self->submit_counts, external)) + 1));
}

/* Gives a job Kling accepted its ids and clock, starts its clip and answers the submit. */
static void
accept_job (KinemaSimServer   *self,
            SoupServerMessage *msg,
            RouteMatch        *match,
            KinemaSimDialect   dialect,
            gboolean           new_api,
            KinemaSimJob      *job)
{
  g_autofree char *request_id = NULL;
  KinemaSimReply   reply = { 0 };

  job->upstream_id = _kinema_sim_new_upstream_id ();
  job->public_id = _kinema_sim_new_public_id ();
  job->row_id = self->next_row_id;
  job->route = match->route;
  job->dialect = dialect;
  switch (dialect)
    {
    case KINEMA_SIM_DIALECT_KLING:
    case KINEMA_SIM_DIALECT_NEW_API_LEGACY:
    case KINEMA_SIM_DIALECT_NEW_API_ECHO:
      job->id = g_strdup (job->upstream_id);
      break;
    default:
      job->id = g_strdup (job->public_id);
      break;
    }
  job->created_ms = _kinema_sim_server_now_ms (self);
  job->queued_ms = self->queued_ms;
  job->running_ms = self->running_ms;
  if (self->fail_next > 0)
    {
      self->fail_next--;
      job->will_fail = TRUE;
      job->fail_message = g_strdup (self->fail_next_message ? self->fail_next_message : DEFAULT_FAIL_MESSAGE);
    }
  else if (self->fail_marker != NULL && *self->fail_marker != '\0' && job->prompt != NULL &&
           strstr (job->prompt, self->fail_marker) != NULL)
    {
      job->will_fail = TRUE;
      job->fail_message = g_strdup (DEFAULT_FAIL_MESSAGE);
    }

  _kinema_sim_server_index_job (self, job);
  g_free (self->last_job_id);
  self->last_job_id = g_strdup (job->id);
  _kinema_sim_server_start_video (self, job);
  _kinema_sim_server_save_job (self, job);

  request_id = g_uuid_string_random ();
  reply.job = job;
  reply.request_id = request_id;
  _kinema_sim_job_compute_view (job, job->created_ms, FALSE, 0, &reply.view);
  _kinema_sim_reply_json (msg, SOUP_STATUS_OK, _kinema_sim_build_submit (dialect, &reply));
  if (new_api)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "X-New-Api-Other-Ratios",
                                  job->duration_s > 5 ? "{\"seconds\":2}" : "{\"seconds\":1}");
  g_debug ("Created job %s (%s, %s)", job->id, kinema_sim_route_to_string (job->route),
           kinema_sim_dialect_to_string (dialect));
}

void
_kinema_sim_server_handle_submit (KinemaSimServer   *self,
                                  SoupServerMessage *msg,
                                  RouteMatch        *match,
                                  KinemaSimDialect   dialect)
{
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (request_body);
  const char *content_type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg),
                                                                    NULL);
  gboolean kling_route = match->route == KINEMA_SIM_ROUTE_KLING || match->route == KINEMA_SIM_ROUTE_KLING_GATEWAY;
  gboolean new_api = _kinema_sim_dialect_is_new_api (dialect);
  g_autoptr(JsonObject) request = NULL;
  g_autoptr(JsonObject) body = NULL;
  KinemaSimJob *job;
  SubmitError err = { 0 };
  gboolean image_to_video;
  const char *prompt;

  if (g_strcmp0 (content_type, "application/json") == 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (kinema_json_parser_load (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL) &&
          JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        request = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
      else
        {
          _kinema_sim_reply_error (msg, dialect, SOUP_STATUS_BAD_REQUEST, 1200, "invalid_request",
                                   "invalid request body: not a JSON object");
          return;
        }
    }
  else if (match->route == KINEMA_SIM_ROUTE_OPENAI && g_strcmp0 (content_type, "multipart/form-data") == 0)
    request = parse_multipart (msg, bytes);

  if (request == NULL)
    {
      _kinema_sim_reply_error (msg, dialect, SOUP_STATUS_BAD_REQUEST, 1200, "invalid_request",
                               "invalid request: Content-Type must be application/json");
      return;
    }

  count_submit (self, get_string (request, "external_task_id"));
  if (json_object_has_member (request, "metadata") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (request, "metadata")))
    count_submit (self, get_string (json_object_get_object_member (request, "metadata"), "external_task_id"));

  if (match->extend)
    {
      g_autofree char *message = NULL;
      GType            expected = G_TYPE_INVALID;
      const char      *bad = find_type_error (request, &expected);

      /* Only the official style gets here (kinema-sim-server.c, handle_route). */
      job = _kinema_sim_job_new ();
      if (bad != NULL)
        message = g_strdup_printf ("%s value invalid: must be a %s", bad,
                                   expected == G_TYPE_STRING ? "string" : go_type_name (expected));
      if (message != NULL || !extend_validate (self, request, job, &message))
        {
          _kinema_sim_job_free (job);
          _kinema_sim_reply_error (msg, dialect, SOUP_STATUS_BAD_REQUEST, 1201, "invalid_request", message);
          return;
        }
      accept_job (self, msg, match, dialect, FALSE, job);
      return;
    }

  if (new_api)
    {
      /* Distribute: a model without a channel is refused before anything else. */
      const char *model = kling_route ? get_string (request, "model_name") : get_string (request, "model");

      if (kling_route && (model == NULL || *model == '\0'))
        model = get_string (request, "model");
      if (model != NULL && *model != '\0' && kinema_models_lookup (model) == NULL)
        {
          g_autofree char *na_request_id = _kinema_sim_new_api_request_id ();
          g_autofree char *message = NULL;

          message = g_strdup_printf ("No available channel for model %s under group default (request id: %s)",
                                     model, na_request_id);
          _kinema_sim_reply_json (msg, SOUP_STATUS_SERVICE_UNAVAILABLE,
                                  _kinema_sim_openai_error (message, "new_api_error", NULL, "model_not_found"));
          return;
        }

      prompt = get_string (request, "prompt");
      {
        g_autofree char *stripped = g_strstrip (g_strdup (prompt != NULL ? prompt : ""));

        if (*stripped == '\0')
          {
            _kinema_sim_reply_error (msg, dialect, SOUP_STATUS_BAD_REQUEST, 1201, "invalid_request", "prompt is required");
            return;
          }
      }

      body = build_upstream_body (request, kling_route, &err);
    }
  else if (kling_route)
    {
      GType expected = G_TYPE_INVALID;
      const char *bad = find_type_error (request, &expected);

      if (bad != NULL)
        submit_error_set (&err, SOUP_STATUS_BAD_REQUEST, 1201, "invalid_request",
                          g_strdup_printf ("%s value invalid: must be a %s", bad,
                                           expected == G_TYPE_STRING ? "string" : go_type_name (expected)));
      else
        body = json_object_ref (request);
    }
  else
    body = build_upstream_body (request, FALSE, &err);

  if (body == NULL)
    {
      _kinema_sim_reply_error (msg, dialect, err.status, err.kling_code, err.na_code, err.message);
      g_free (err.message);
      return;
    }

  /* new-api routes upstream by the presence of an image, Kling by its path. On /kling
   * routes KlingRequestConvert marks any body without `image` text-to-video, whatever
   * the path says, so an end frame alone goes to text2video and is lost (new-api
   * middleware/kling_adapter.go; the action wins in the adaptor's DoRequest). The
   * generic routes also count `image_tail` (relay/channel/task/kling/adaptor.go,
   * BuildRequestBody). */
  if (new_api && kling_route)
    image_to_video = get_string (body, "image") != NULL && *get_string (body, "image") != '\0';
  else if (new_api || !kling_route)
    image_to_video = (get_string (body, "image") != NULL && *get_string (body, "image") != '\0') ||
                     (get_string (body, "image_tail") != NULL && *get_string (body, "image_tail") != '\0');
  else
    image_to_video = match->image_to_video;

  if (self->refuse_next > 0)
    {
      self->refuse_next--;
      reply_kling_refusal (msg, new_api, self->refuse_code,
                           self->refuse_message != NULL ? self->refuse_message
                           : self->refuse_code >= 1000 && self->refuse_code <= 1004
                               ? "Authorization is invalid"
                               : "Failure to pass the risk control system");
      return;
    }

  job = _kinema_sim_job_new ();
  {
    g_autofree char *message = NULL;

    if (!kling_validate (self, body, image_to_video, job, &message))
      {
        _kinema_sim_job_free (job);
        if (new_api)
          reply_kling_refusal (msg, TRUE, 1201, message);
        else
          _kinema_sim_reply_error (msg, dialect, SOUP_STATUS_BAD_REQUEST, 1201, "invalid_request", message);
        return;
      }
  }

  accept_job (self, msg, match, dialect, new_api, job);
}
