/* test-capabilities.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Kling's capability map as data: the shipped file loads and covers every model Kinema
 * offers, broken or hostile files are refused, and each rule of the map decides as its
 * source says. Sources (also named per offer in data/capabilities.json):
 *   [MAP]  Kling developer docs, capability map ("skillsMap"); copy in
 *          WHQ25/rawgenai docs/research/kling/capability-map.md
 *   [T2V]  Kling docs, text-to-video body; copy: docs/research/kling/text-to-video.md
 *   [I2V]  Kling docs, image-to-video body; copy: docs/research/kling/image-to-video.md
 *   [I2VM] Kling docs, image-to-video capability overview; copy: betasecond/KlingDemo APIDoc.md
 *   [CAM]  docs.comfy.org built-in-nodes KlingCameraControlI2VNode (kling-v1-5 pro 5 s)
 *   [EXT]  Kling docs, "Video Extension" (视频延长); copies: WHQ25/rawgenai
 *          docs/research/kling/video-extend.md, DMXAPI/DMXAPI-docs docs/zh/models/kling/api/video-extend.md
 *   [V3]   fal.ai Kling v3 docs (edenartlab/eve eve/tools/kling_v3/docs.md), Apiframe
 *          Kling 3.0 model card, Comfy-Org Kling wrapper capabilities ("4k" mode)
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "kinema-api-style.h"
#include "kinema-capabilities.h"
#include "kinema-cost-table.h"
#include "kinema-error.h"
#include "kinema-models.h"
#include "kinema-request.h"

static KinemaCapabilityQuery
q (const char    *model,
   KinemaTaskKind kind,
   KinemaMode     mode,
   guint          duration)
{
  KinemaCapabilityQuery query = { 0 };

  query.model = model;
  query.kind = kind;
  query.mode = mode;
  query.duration = duration;
  query.has_image = kind == KINEMA_TASK_KIND_IMAGE_TO_VIDEO;
  query.aspect_ratio = kind == KINEMA_TASK_KIND_TEXT_TO_VIDEO ? "16:9" : NULL;
  return query;
}

#define T2V KINEMA_TASK_KIND_TEXT_TO_VIDEO
#define I2V KINEMA_TASK_KIND_IMAGE_TO_VIDEO
#define EXT KINEMA_TASK_KIND_VIDEO_EXTEND
#define STD KINEMA_MODE_STD
#define PRO KINEMA_MODE_PRO
#define K4K KINEMA_MODE_4K

/* Asserts the map accepts @query, or refuses it for @feature with a reason containing
 * @needle. */
static void
expect (KinemaCapabilityQuery query,
        gboolean              accepted,
        KinemaFeature         feature,
        const char           *needle)
{
  KinemaFeature    refused = (KinemaFeature) -1;
  g_autofree char *reason = kinema_capabilities_check (kinema_capabilities_get_default (), &query, &refused);

  if (accepted)
    {
      if (reason != NULL)
        g_error ("%s %d %d %us refused: %s", query.model, query.kind, query.mode, query.duration, reason);
      return;
    }
  if (reason == NULL)
    g_error ("%s %d %d %us accepted, expected a refusal of feature %d", query.model, query.kind, query.mode,
             query.duration, feature);
  g_assert_cmpint (refused, ==, feature);
  if (needle != NULL && strstr (reason, needle) == NULL)
    g_error ("reason “%s” does not mention “%s”", reason, needle);
}

static void
test_shipped_map (void)
{
  KinemaCapabilities    *caps = kinema_capabilities_get_default ();
  guint                  n;
  const KinemaModelInfo *all = kinema_models_get_all (&n);

  g_assert_true (caps == kinema_capabilities_get_default ());
  g_assert_cmpuint (kinema_capabilities_get_n_models (caps), ==, 9);
  g_assert_cmpstr (kinema_capabilities_get_label (caps, "kling-v2-6"), ==, "Kling 2.6");
  g_assert_cmpstr (kinema_capabilities_get_label (caps, "kling-v3"), ==, "Kling 3.0");
  g_assert_null (kinema_capabilities_get_label (caps, "sora-2"));
  g_assert_cmpuint (g_strv_length ((GStrv) kinema_capabilities_get_aspect_ratios (caps)), ==, 3);

  /* Every model the app lists (from the map) makes something, and has a cost row. */
  for (guint i = 0; i < n; i++)
    {
      double units = -1;

      g_assert_true (all[i].text_to_video || all[i].image_to_video);
      g_assert_true (kinema_cost_table_lookup (NULL, all[i].id, "std", 5, FALSE, &units) ||
                     kinema_cost_table_lookup (NULL, all[i].id, "pro", 5, FALSE, &units));
      g_assert_cmpfloat (units, >, 0);
    }
}

/* The cost rows of kling-v2-6 and kling-v3 (sources in src/ui/kinema-cost-table.c). */
static void
test_cost_rows (void)
{
  double units = -1;

  g_assert_true (kinema_cost_table_lookup (NULL, "kling-v2-6", "pro", 5, FALSE, &units));
  g_assert_cmpfloat (units, ==, 2.5);
  g_assert_true (kinema_cost_table_lookup (NULL, "kling-v2-6", "pro", 10, TRUE, &units));
  g_assert_cmpfloat (units, ==, 10);
  g_assert_true (kinema_cost_table_lookup (NULL, "kling-v3", "std", 3, FALSE, &units));
  g_assert_cmpfloat_with_epsilon (units, 3.6, 1e-9);
  g_assert_true (kinema_cost_table_lookup (NULL, "kling-v3", "pro", 15, TRUE, &units));
  g_assert_cmpfloat_with_epsilon (units, 36, 1e-9);
  g_assert_true (kinema_cost_table_lookup (NULL, "kling-v3", "4k", 10, FALSE, &units));
  g_assert_cmpfloat_with_epsilon (units, 30, 1e-9);
  /* a table of the user's own without sound rows: the silent price */
  g_assert_true (kinema_cost_table_lookup ("{\"kling-v2-6\":{\"pro\":{\"5\":4}}}", "kling-v2-6", "pro", 5, TRUE,
                                           &units));
  g_assert_cmpfloat (units, ==, 4);
  g_assert_false (kinema_cost_table_lookup (NULL, "kling-v2-5-turbo", "std", 7, FALSE, &units));

  /* The composer's and the CLI's default model is in the map. */
  g_assert_true (kinema_capabilities_has_model (kinema_capabilities_get_default (), kinema_models_get_default ()));
}

static void
refuse (const char *json,
        const char *why)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(GError) error = NULL;
  g_autoptr(KinemaCapabilities) caps = kinema_capabilities_new_from_bytes (bytes, &error);

  if (caps != NULL)
    g_error ("accepted a map that %s: %s", why, json);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_BAD_REPLY);
}

#define HEAD "{\"format\":1,\"text_to_video_aspect_ratios\":[\"16:9\"],\"models\":["
#define OFFER "{\"kind\":\"text-to-video\",\"modes\":[\"std\"],\"durations\":[5],\"source\":\"s\"}"
#define MODEL(offers) "{\"id\":\"m\",\"label\":\"M\",\"offers\":[" offers "]}"

static void
test_loader_valid (void)
{
  const char *json = HEAD MODEL (OFFER ",{\"kind\":\"image-to-video\",\"modes\":[\"pro\",\"4k\"],"
                                       "\"duration_range\":[3,15],\"features\":[\"end_frame\",\"sound\"],"
                                       "\"exclusive\":[[\"sound\",\"end_frame\"]],\"source\":\"s\","
                                       "\"unknown_member\":{\"ignored\":true}}") "]}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (json, strlen (json));
  g_autoptr(GError) error = NULL;
  g_autoptr(KinemaCapabilities) caps = kinema_capabilities_new_from_bytes (bytes, &error);
  g_autoptr(GArray) lengths = NULL;
  KinemaCapabilityQuery query = q ("m", I2V, K4K, 15);
  g_autofree char      *reason = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (caps);
  g_assert_true (kinema_capabilities_has_model (caps, "m"));
  lengths = kinema_capabilities_list_durations (caps, "m", I2V, PRO);
  g_assert_cmpuint (lengths->len, ==, 13);
  g_assert_cmpuint (g_array_index (lengths, guint, 0), ==, 3);
  g_assert_null (kinema_capabilities_check (caps, &query, NULL));
  query.sound = TRUE;
  query.has_end_frame = TRUE;
  reason = kinema_capabilities_check (caps, &query, NULL);
  g_assert_nonnull (reason);
}

static void
test_loader_refuses (void)
{
  g_autofree char *deep = NULL;
  g_autofree char *huge = NULL;
  GString         *nest = g_string_new (HEAD MODEL (OFFER) "],\"x\":");

  refuse ("", "is empty");
  refuse ("not json", "is not JSON");
  refuse ("[1,2]", "is not an object");
  refuse ("{\"format\":2,\"text_to_video_aspect_ratios\":[\"16:9\"],\"models\":[" MODEL (OFFER) "]}",
          "has another format");
  refuse ("{\"format\":1,\"models\":[" MODEL (OFFER) "]}", "has no aspect ratios");
  refuse (HEAD "]}", "has no models");
  refuse (HEAD MODEL (OFFER) "," MODEL (OFFER) "]}", "lists a model twice");
  refuse (HEAD "{\"id\":\"m/../x\",\"label\":\"M\",\"offers\":[" OFFER "]}]}", "has a bad id");
  refuse (HEAD "{\"id\":\"m\",\"offers\":[" OFFER "]}]}", "has no label");
  refuse (HEAD MODEL ("") "]}", "has a model without offers");
  refuse (HEAD MODEL ("{\"kind\":\"text-to-video\",\"modes\":[\"std\"],\"durations\":[5]}") "]}",
          "has an offer without a source");
  refuse (HEAD MODEL ("{\"kind\":\"video-to-video\",\"modes\":[\"std\"],\"durations\":[5],\"source\":\"s\"}") "]}",
          "has an unknown kind");
  refuse (HEAD MODEL ("{\"kind\":\"text-to-video\",\"modes\":[\"8k\"],\"durations\":[5],\"source\":\"s\"}") "]}",
          "has an unknown mode");
  refuse (HEAD MODEL ("{\"kind\":\"text-to-video\",\"modes\":[\"std\"],\"durations\":[0],\"source\":\"s\"}") "]}",
          "has a zero duration");
  refuse (HEAD MODEL ("{\"kind\":\"text-to-video\",\"modes\":[\"std\"],\"durations\":[5000],\"source\":\"s\"}") "]}",
          "has a huge duration");
  refuse (HEAD MODEL ("{\"kind\":\"text-to-video\",\"modes\":[\"std\"],\"durations\":[\"5\"],\"source\":\"s\"}") "]}",
          "has a duration as a string");
  refuse (HEAD MODEL ("{\"kind\":\"text-to-video\",\"modes\":[\"std\"],\"duration_range\":[15,3],\"source\":\"s\"}") "]}",
          "has a backwards range");
  refuse (HEAD MODEL ("{\"kind\":\"text-to-video\",\"modes\":[\"std\"],\"source\":\"s\"}") "]}",
          "has no durations");
  refuse (HEAD MODEL ("{\"kind\":\"text-to-video\",\"modes\":[\"std\"],\"durations\":[5],\"features\":[\"teleport\"],"
                      "\"source\":\"s\"}") "]}",
          "has an unknown feature");
  refuse (HEAD MODEL ("{\"kind\":\"text-to-video\",\"modes\":[\"std\"],\"durations\":[5],\"features\":[\"end_frame\"],"
                      "\"source\":\"s\"}") "]}",
          "gives text-to-video an end frame");
  refuse (HEAD MODEL ("{\"kind\":\"text-to-video\",\"modes\":[\"std\"],\"durations\":[5],"
                      "\"features\":[\"camera_control\"],\"source\":\"s\"}") "]}",
          "has camera control without camera types");
  refuse (HEAD MODEL ("{\"kind\":\"text-to-video\",\"modes\":[\"std\"],\"durations\":[5],"
                      "\"camera_types\":[\"simple\"],\"source\":\"s\"}") "]}",
          "has camera types without camera control");
  refuse (HEAD MODEL (OFFER "," OFFER) "]}", "has two offers for the same combination");
  refuse (HEAD MODEL ("{\"kind\":\"text-to-video\",\"modes\":[\"std\"],\"durations\":[5],\"features\":[\"sound\"],"
                      "\"exclusive\":[[\"sound\"]],\"source\":\"s\"}") "]}",
          "has a one-sided exclusive rule");

  /* Hostile: nesting deeper than any map needs, and more bytes than any map needs. */
  for (guint i = 0; i < 10000; i++)
    g_string_append_c (nest, '[');
  deep = g_string_free (nest, FALSE);
  refuse (deep, "is nested 10000 deep");
  huge = g_strnfill (KINEMA_CAPABILITIES_MAX_BYTES + 1, ' ');
  refuse (huge, "is larger than the limit");
}

/* [MAP] + [T2V]: kling-v1-5 and kling-v2-1 are not text-to-video models. */
static void
test_rule_kinds (void)
{
  expect (q ("kling-v1-5", T2V, STD, 5), FALSE, KINEMA_FEATURE_KIND, "needs a start image");
  expect (q ("kling-v2-1", T2V, PRO, 5), FALSE, KINEMA_FEATURE_KIND, "Kling 2.1");
  expect (q ("kling-v1-5", I2V, STD, 10), TRUE, 0, NULL);
  expect (q ("kling-v9", T2V, STD, 5), FALSE, KINEMA_FEATURE_KIND, "kling-v9");
}

/* [MAP] ticks video extension (视频续写) for kling-v1, kling-v1-5 and kling-v1-6 in every
 * mode and length, and for no later model; [EXT] says kling-v1-5's videos cannot be
 * extended (the more specific page wins). The extension keeps the source's model, mode
 * and (for the map) length; it takes negative_prompt and cfg_scale, nothing else. One
 * extension is priced as a 5 s clip of that model and mode (kinema-cost-table.c). */
static void
test_rule_extend (void)
{
  KinemaCapabilityQuery query;
  g_autoptr(KinemaRequest) request = kinema_request_new (KINEMA_TASK_KIND_VIDEO_EXTEND);
  double units = -1;

  expect (q ("kling-v1", EXT, STD, 5), TRUE, 0, NULL);
  expect (q ("kling-v1", EXT, PRO, 10), TRUE, 0, NULL);
  expect (q ("kling-v1-6", EXT, PRO, 5), TRUE, 0, NULL);
  expect (q ("kling-v1-6", EXT, STD, 10), TRUE, 0, NULL);
  expect (q ("kling-v1-5", EXT, PRO, 5), FALSE, KINEMA_FEATURE_KIND, "Kling 1.5");
  expect (q ("kling-v2-master", EXT, STD, 5), FALSE, KINEMA_FEATURE_KIND, "Kling 2.0 Master");
  expect (q ("kling-v2-5-turbo", EXT, PRO, 5), FALSE, KINEMA_FEATURE_KIND, "extend");
  expect (q ("kling-v3", EXT, STD, 5), FALSE, KINEMA_FEATURE_KIND, "Kling 3.0");

  query = q ("kling-v1-6", EXT, STD, 5);
  query.cfg_scale = TRUE;
  query.negative_prompt = TRUE;
  expect (query, TRUE, 0, NULL);
  query.sound = TRUE;
  expect (query, FALSE, KINEMA_FEATURE_SOUND, NULL);

  kinema_request_set_model (request, "kling-v1");
  kinema_request_set_duration (request, 10);
  g_assert_true (kinema_cost_table_estimate (NULL, request, &units));
  g_assert_cmpfloat (units, ==, 1);
  kinema_request_set_mode (request, KINEMA_MODE_PRO);
  g_assert_true (kinema_cost_table_estimate (NULL, request, &units));
  g_assert_cmpfloat (units, ==, 3.5);
  kinema_request_set_model (request, "kling-v1-6");
  g_assert_true (kinema_cost_table_estimate (NULL, request, &units));
  g_assert_cmpfloat (units, ==, 3.5);
}

/* [MAP] 5/10 s on every model up to 2.6; [V3] 3-15 s and a 4K tier on kling-v3 only. */
static void
test_rule_durations_modes (void)
{
  expect (q ("kling-v2-5-turbo", T2V, STD, 10), TRUE, 0, NULL);
  expect (q ("kling-v2-5-turbo", T2V, STD, 7), FALSE, KINEMA_FEATURE_DURATION, "5 or 10");
  for (guint s = 3; s <= 15; s++)
    expect (q ("kling-v3", I2V, PRO, s), TRUE, 0, NULL);
  expect (q ("kling-v3", T2V, STD, 2), FALSE, KINEMA_FEATURE_DURATION, "3 to 15");
  expect (q ("kling-v3", T2V, STD, 16), FALSE, KINEMA_FEATURE_DURATION, "3 to 15");
  expect (q ("kling-v3", T2V, K4K, 15), TRUE, 0, NULL);
  expect (q ("kling-v2-6", T2V, K4K, 5), FALSE, KINEMA_FEATURE_MODE, "Kling 2.6");
}

/* [MAP] camera control: kling-v1 text-to-video std 5 s (every type); [I2VM] kling-v1
 * image-to-video std 5 s; kling-v1-5 image-to-video pro 5 s, simple only ([CAM] says the
 * same); nowhere else. [I2V] camera
 * control and an end frame exclude each other. */
static void
test_rule_camera (void)
{
  KinemaCapabilityQuery query;

  query = q ("kling-v1", T2V, STD, 5);
  query.camera = KINEMA_CAMERA_DOWN_BACK;
  expect (query, TRUE, 0, NULL);
  query.duration = 10;
  expect (query, FALSE, KINEMA_FEATURE_CAMERA_CONTROL, "clips of 5 seconds");
  query = q ("kling-v1", T2V, PRO, 5);
  query.camera = KINEMA_CAMERA_SIMPLE;
  expect (query, FALSE, KINEMA_FEATURE_CAMERA_CONTROL, "only in Standard");
  query = q ("kling-v1", I2V, STD, 5);
  query.camera = KINEMA_CAMERA_SIMPLE;
  expect (query, TRUE, 0, NULL);
  query.mode = PRO;
  expect (query, FALSE, KINEMA_FEATURE_CAMERA_CONTROL, "only in Standard");

  query = q ("kling-v1-5", I2V, PRO, 5);
  query.camera = KINEMA_CAMERA_SIMPLE;
  expect (query, TRUE, 0, NULL);
  query.camera = KINEMA_CAMERA_FORWARD_UP;
  expect (query, FALSE, KINEMA_FEATURE_CAMERA_CONTROL, "one direction");
  query.camera = KINEMA_CAMERA_SIMPLE;
  query.has_end_frame = TRUE;
  expect (query, FALSE, KINEMA_FEATURE_END_FRAME, "An end frame cannot be combined with camera movement.");
  query = q ("kling-v1-5", I2V, STD, 5);
  query.camera = KINEMA_CAMERA_SIMPLE;
  expect (query, FALSE, KINEMA_FEATURE_CAMERA_CONTROL, "High (pro)");

  query = q ("kling-v2-5-turbo", T2V, STD, 5);
  query.camera = KINEMA_CAMERA_SIMPLE;
  expect (query, FALSE, KINEMA_FEATURE_CAMERA_CONTROL, "Kling 2.5 Turbo cannot use camera movement");
}

/* [MAP] end frames: kling-v1 5 s in both modes; kling-v1-5, v1-6, v2-1, v2-5-turbo and
 * v2-6 in pro only; the masters never. An end frame without a start frame ("仅尾帧"):
 * kling-v1-5 and v1-6 pro only. */
static void
test_rule_end_frame (void)
{
  KinemaCapabilityQuery query;

  query = q ("kling-v1", I2V, STD, 5);
  query.has_end_frame = TRUE;
  expect (query, TRUE, 0, NULL);
  query.duration = 10;
  expect (query, FALSE, KINEMA_FEATURE_END_FRAME, "clips of 5 seconds");

  query = q ("kling-v1-6", I2V, STD, 10);
  query.has_end_frame = TRUE;
  expect (query, FALSE, KINEMA_FEATURE_END_FRAME, "only in High (pro)");
  query.mode = PRO;
  expect (query, TRUE, 0, NULL);
  query.has_image = FALSE;
  expect (query, TRUE, 0, NULL);

  query = q ("kling-v2-5-turbo", I2V, PRO, 5);
  query.has_end_frame = TRUE;
  expect (query, TRUE, 0, NULL);
  query.has_image = FALSE;
  expect (query, FALSE, KINEMA_FEATURE_END_FRAME_ONLY, "An end frame needs a start image.");

  query = q ("kling-v2-1-master", I2V, PRO, 5);
  query.has_end_frame = TRUE;
  expect (query, FALSE, KINEMA_FEATURE_END_FRAME, "Kling 2.1 Master cannot use an end frame");
}

/* [T2V]/[I2V] cfg_scale: not on kling-v2.x; [V3] not on kling-v3. */
static void
test_rule_cfg_scale (void)
{
  KinemaCapabilityQuery query;

  query = q ("kling-v1-6", T2V, PRO, 10);
  query.cfg_scale = TRUE;
  expect (query, TRUE, 0, NULL);
  for (guint i = 0; i < 5; i++)
    {
      static const char *const v2[] = { "kling-v2-master", "kling-v2-1-master", "kling-v2-5-turbo",
                                        "kling-v2-6", "kling-v3" };

      query = q (v2[i], T2V, STD, 5);
      query.cfg_scale = TRUE;
      expect (query, FALSE, KINEMA_FEATURE_CFG_SCALE, "creativity");
    }
}

/* [MAP] kling-v2-6: std makes silent clips only; sound in pro; the pro end frame only for
 * silent clips. [V3] kling-v3 has sound in every tier. */
static void
test_rule_sound (void)
{
  KinemaCapabilities   *caps = kinema_capabilities_get_default ();
  KinemaCapabilityQuery query;

  query = q ("kling-v2-6", T2V, STD, 5);
  g_assert_false (kinema_capabilities_sends_sound (caps, &query));
  query.sound = TRUE;
  expect (query, FALSE, KINEMA_FEATURE_SOUND, "only in High (pro)");
  query.mode = PRO;
  expect (query, TRUE, 0, NULL);
  g_assert_true (kinema_capabilities_sends_sound (caps, &query));

  query = q ("kling-v2-6", I2V, PRO, 10);
  query.has_end_frame = TRUE;
  expect (query, TRUE, 0, NULL);
  query.sound = TRUE;
  expect (query, FALSE, KINEMA_FEATURE_END_FRAME, "cannot be combined with sound");

  query = q ("kling-v3", I2V, STD, 4);
  query.sound = TRUE;
  expect (query, TRUE, 0, NULL);
  query = q ("kling-v2-5-turbo", T2V, PRO, 5);
  query.sound = TRUE;
  expect (query, FALSE, KINEMA_FEATURE_SOUND, "cannot use sound");
  g_assert_false (kinema_capabilities_sends_sound (caps, &query));
}

/* [T2V] aspect_ratio 16:9, 9:16, 1:1 on text-to-video. */
static void
test_rule_aspect (void)
{
  KinemaCapabilityQuery query = q ("kling-v1", T2V, STD, 5);

  query.aspect_ratio = "4:3";
  expect (query, FALSE, KINEMA_FEATURE_ASPECT_RATIO, "16:9");
  query.aspect_ratio = "9:16";
  expect (query, TRUE, 0, NULL);
}

/* The request asks the same map, and the body carries `sound` exactly where Kling has it
 * ([T2V]: "sound" on|off, v2.6+). */
static void
test_request_body (void)
{
  g_autoptr(KinemaRequest) request = kinema_request_new (T2V);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  JsonObject *obj;

  kinema_request_set_prompt (request, "A drum solo");
  kinema_request_set_model (request, "kling-v2-6");
  kinema_request_set_sound (request, TRUE);
  g_assert_false (kinema_request_validate (request, &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "sound"));
  g_clear_error (&error);

  kinema_request_set_mode (request, PRO);
  body = kinema_api_style_build_submit_body (KINEMA_API_STYLE_KLING, request, NULL, NULL, &error);
  g_assert_no_error (error);
  obj = json_node_get_object (body);
  g_assert_cmpstr (json_object_get_string_member (obj, "sound"), ==, "on");
  g_assert_cmpstr (json_object_get_string_member (obj, "mode"), ==, "pro");
  g_clear_pointer (&body, json_node_unref);

  kinema_request_set_sound (request, FALSE);
  body = kinema_api_style_build_submit_body (KINEMA_API_STYLE_KLING, request, NULL, NULL, &error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (body), "sound"), ==, "off");
  g_clear_pointer (&body, json_node_unref);

  /* kling-v2-5-turbo has no sound field: none is sent. 4K goes out as "4k" on kling-v3. */
  kinema_request_set_model (request, "kling-v2-5-turbo");
  body = kinema_api_style_build_submit_body (KINEMA_API_STYLE_KLING, request, NULL, NULL, &error);
  g_assert_false (json_object_has_member (json_node_get_object (body), "sound"));
  g_clear_pointer (&body, json_node_unref);

  kinema_request_set_model (request, "kling-v3");
  kinema_request_set_mode (request, K4K);
  kinema_request_set_duration (request, 12);
  body = kinema_api_style_build_submit_body (KINEMA_API_STYLE_KLING, request, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (body), "mode"), ==, "4k");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (body), "duration"), ==, "12");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/capabilities/shipped", test_shipped_map);
  g_test_add_func ("/capabilities/loader/valid", test_loader_valid);
  g_test_add_func ("/capabilities/loader/refuses", test_loader_refuses);
  g_test_add_func ("/capabilities/rule/kinds", test_rule_kinds);
  g_test_add_func ("/capabilities/rule/extend", test_rule_extend);
  g_test_add_func ("/capabilities/rule/durations-modes", test_rule_durations_modes);
  g_test_add_func ("/capabilities/rule/camera", test_rule_camera);
  g_test_add_func ("/capabilities/rule/end-frame", test_rule_end_frame);
  g_test_add_func ("/capabilities/rule/cfg-scale", test_rule_cfg_scale);
  g_test_add_func ("/capabilities/rule/sound", test_rule_sound);
  g_test_add_func ("/capabilities/rule/aspect", test_rule_aspect);
  g_test_add_func ("/capabilities/request-body", test_request_body);
  g_test_add_func ("/capabilities/cost-rows", test_cost_rows);

  return g_test_run ();
}
