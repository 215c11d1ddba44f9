/* test-request.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "kinema-error.h"
#include "kinema-models.h"
#include "kinema-request.h"

static KinemaRequest *
valid_t2v (void)
{
  KinemaRequest *req = kinema_request_new (KINEMA_TASK_KIND_TEXT_TO_VIDEO);

  kinema_request_set_model (req, "kling-v1");
  kinema_request_set_prompt (req, "A paper boat drifting on a rainy street");
  return req;
}

static KinemaRequest *
valid_i2v (void)
{
  KinemaRequest *req = kinema_request_new (KINEMA_TASK_KIND_IMAGE_TO_VIDEO);

  kinema_request_set_model (req, "kling-v2-5-turbo");
  kinema_request_set_image (req, "https://img.example.test/fox.jpg");
  return req;
}

static void
assert_invalid (KinemaRequest *req)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (kinema_request_validate (req, &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
  g_assert_nonnull (error->message);
  g_assert_cmpstr (error->message, !=, "");
}

static void
assert_valid (KinemaRequest *req)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kinema_request_validate (req, &error));
  g_assert_no_error (error);
}

static void
test_valid (void)
{
  g_autoptr(KinemaRequest) t2v = valid_t2v ();
  g_autoptr(KinemaRequest) i2v = valid_i2v ();

  assert_valid (t2v);
  assert_valid (i2v);
}

static void
test_prompt (void)
{
  g_autoptr(KinemaRequest) req = valid_t2v ();
  g_autoptr(KinemaRequest) i2v = valid_i2v ();
  g_autoptr(GString) text = g_string_new (NULL);

  kinema_request_set_prompt (req, "   ");
  assert_invalid (req);
  kinema_request_set_prompt (req, NULL);
  assert_invalid (req);

  /* 2500 characters of 3 bytes each: fine, counted in characters */
  for (guint i = 0; i < KINEMA_PROMPT_MAX_CHARS; i++)
    g_string_append (text, "狐");
  kinema_request_set_prompt (req, text->str);
  assert_valid (req);
  g_string_append (text, "x");
  kinema_request_set_prompt (req, text->str);
  assert_invalid (req);

  kinema_request_set_prompt (req, "ok");
  kinema_request_set_negative_prompt (req, text->str);
  assert_invalid (req);

  /* image-to-video may have an empty prompt */
  kinema_request_set_prompt (i2v, NULL);
  assert_valid (i2v);
}

static void
test_enums_and_ranges (void)
{
  g_autoptr(KinemaRequest) req = valid_t2v ();

  kinema_request_set_model (req, "kling-v9");
  assert_invalid (req);
  kinema_request_set_model (req, "kling-v1");

  kinema_request_set_duration (req, 7);
  assert_invalid (req);
  kinema_request_set_duration (req, 10);
  assert_valid (req);

  kinema_request_set_aspect_ratio (req, "4:3");
  assert_invalid (req);
  kinema_request_set_aspect_ratio (req, "9:16");
  assert_valid (req);

  kinema_request_set_cfg_scale (req, 1.5);
  assert_invalid (req);
  kinema_request_set_cfg_scale (req, 0.0);
  assert_valid (req);
  kinema_request_set_cfg_scale (req, 1.0);
  assert_valid (req);

  /* kling-v2.x has no cfg_scale */
  kinema_request_set_model (req, "kling-v2-6");
  assert_invalid (req);
  kinema_request_set_cfg_scale (req, -1);
  assert_valid (req);

  /* kling-v3 takes 3..15 s */
  kinema_request_set_model (req, "kling-v3");
  kinema_request_set_duration (req, 7);
  assert_valid (req);
  kinema_request_set_duration (req, 16);
  assert_invalid (req);
}

static void
test_camera (void)
{
  g_autoptr(KinemaRequest) req = valid_t2v ();

  kinema_request_set_camera_type (req, KINEMA_CAMERA_SIMPLE);
  kinema_request_set_camera_axis (req, KINEMA_CAMERA_AXIS_ZOOM);
  kinema_request_set_camera_value (req, 0);
  assert_invalid (req);
  kinema_request_set_camera_value (req, 10.5);
  assert_invalid (req);
  kinema_request_set_camera_value (req, -10);
  assert_valid (req);

  kinema_request_set_camera_type (req, KINEMA_CAMERA_DOWN_BACK);
  kinema_request_set_camera_value (req, 0);
  assert_valid (req);

  kinema_request_set_model (req, "kling-v2-5-turbo");
  assert_invalid (req);
}

static void
test_images (void)
{
  g_autoptr(KinemaRequest) t2v = valid_t2v ();
  g_autoptr(KinemaRequest) i2v = valid_i2v ();

  kinema_request_set_image_tail (t2v, "/tmp/end.png");
  assert_invalid (t2v);

  kinema_request_set_image (i2v, NULL);
  assert_invalid (i2v);
  /* An end frame alone: kling-v1-6 pro only; an end frame on kling-v2-5-turbo: pro only
   * (capability map, data/capabilities.json). */
  kinema_request_set_image_tail (i2v, "/tmp/end.png");
  assert_invalid (i2v);
  kinema_request_set_model (i2v, "kling-v1-6");
  kinema_request_set_mode (i2v, KINEMA_MODE_PRO);
  assert_valid (i2v);
  kinema_request_set_model (i2v, "kling-v2-5-turbo");
  assert_invalid (i2v);
  kinema_request_set_image (i2v, "/tmp/start.png");
  assert_valid (i2v);
  kinema_request_set_mode (i2v, KINEMA_MODE_STD);
  assert_invalid (i2v);

  /* end frame and camera movement are mutually exclusive */
  kinema_request_set_model (i2v, "kling-v1");
  kinema_request_set_camera_type (i2v, KINEMA_CAMERA_FORWARD_UP);
  assert_invalid (i2v);
  kinema_request_set_image_tail (i2v, NULL);
  assert_valid (i2v);

  /* no end frame on master models */
  kinema_request_set_camera_type (i2v, KINEMA_CAMERA_NONE);
  kinema_request_set_model (i2v, "kling-v2-master");
  kinema_request_set_image_tail (i2v, "/tmp/end.png");
  assert_invalid (i2v);

  /* kling-v1-5 and kling-v2-1 are image-to-video only */
  kinema_request_set_model (t2v, "kling-v1-5");
  kinema_request_set_image_tail (t2v, NULL);
  assert_invalid (t2v);
}

/* Writes @req as the history does, reads it back and checks the copy writes the same
 * JSON. */
static KinemaRequest *
round_trip (KinemaRequest *req)
{
  g_autoptr(JsonNode) node = kinema_request_to_json (req);
  g_autoptr(JsonNode) node2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  KinemaRequest   *back = kinema_request_new_from_json (node, &error);

  g_assert_no_error (error);
  g_assert_nonnull (back);
  node2 = kinema_request_to_json (back);
  a = json_to_string (node, FALSE);
  b = json_to_string (node2, FALSE);
  g_assert_cmpstr (a, ==, b);
  return back;
}

static void
test_json_roundtrip (void)
{
  g_autoptr(KinemaRequest) req = valid_i2v ();
  g_autoptr(KinemaRequest) back = NULL;

  kinema_request_set_prompt (req, "The fox slowly turns its head");
  kinema_request_set_negative_prompt (req, "blur");
  kinema_request_set_image_tail (req, "/tmp/end.png");
  kinema_request_set_mode (req, KINEMA_MODE_PRO);
  kinema_request_set_duration (req, 10);
  kinema_request_set_camera_type (req, KINEMA_CAMERA_SIMPLE);
  kinema_request_set_camera_axis (req, KINEMA_CAMERA_AXIS_PAN);
  kinema_request_set_camera_value (req, 3.5);
  kinema_request_set_external_task_id (req, "job-1");
  kinema_request_set_link (req, KINEMA_LINK_CONTINUE, "parent-1", 5.04);

  back = round_trip (req);
  g_assert_cmpint (kinema_request_get_kind (back), ==, KINEMA_TASK_KIND_IMAGE_TO_VIDEO);
  g_assert_cmpstr (kinema_request_get_model (back), ==, "kling-v2-5-turbo");
  g_assert_cmpstr (kinema_request_get_image_tail (back), ==, "/tmp/end.png");
  g_assert_cmpint (kinema_request_get_mode (back), ==, KINEMA_MODE_PRO);
  g_assert_cmpuint (kinema_request_get_duration (back), ==, 10);
  g_assert_cmpint (kinema_request_get_camera_axis (back), ==, KINEMA_CAMERA_AXIS_PAN);
  g_assert_cmpfloat (kinema_request_get_camera_value (back), ==, 3.5);
  g_assert_cmpfloat (kinema_request_get_cfg_scale (back), <, 0);
  g_assert_cmpstr (kinema_request_get_external_task_id (back), ==, "job-1");
  g_assert_cmpint (kinema_request_get_link_kind (back), ==, KINEMA_LINK_CONTINUE);
  g_assert_cmpstr (kinema_request_get_parent_task_id (back), ==, "parent-1");
  g_assert_cmpfloat (kinema_request_get_parent_time (back), ==, 5.04);
}

/* Kling docs, "Video Extension" (copy: WHQ25/rawgenai docs/research/kling/video-extend.md):
 * video_id required; prompt optional, 2,500 characters; no images; same model and mode;
 * not for kling-v1-5 (the extension page; the capability map disagrees, see
 * data/capabilities.json); at most 3 minutes in all. */
static void
test_extension (void)
{
  g_autoptr(KinemaRequest) parent = valid_i2v ();
  g_autoptr(KinemaRequest) req = NULL;
  g_autoptr(KinemaRequest) back = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *long_prompt = g_strnfill (KINEMA_PROMPT_MAX_CHARS + 1, 'x');

  kinema_request_set_model (parent, "kling-v1-6");
  kinema_request_set_mode (parent, KINEMA_MODE_PRO);
  kinema_request_set_duration (parent, 10);
  kinema_request_set_prompt (parent, "The fox runs");
  kinema_request_set_negative_prompt (parent, "blur");
  kinema_request_set_image_tail (parent, "https://img.example.test/end.jpg");
  kinema_request_set_external_task_id (parent, "parent-job");

  req = kinema_request_new_extension (parent, "parent-1", "vid-7", 10.04);
  g_assert_cmpint (kinema_request_get_kind (req), ==, KINEMA_TASK_KIND_VIDEO_EXTEND);
  g_assert_cmpstr (kinema_request_get_model (req), ==, "kling-v1-6");
  g_assert_cmpint (kinema_request_get_mode (req), ==, KINEMA_MODE_PRO);
  g_assert_cmpstr (kinema_request_get_prompt (req), ==, "The fox runs");
  g_assert_cmpstr (kinema_request_get_negative_prompt (req), ==, "blur");
  g_assert_null (kinema_request_get_image (req));
  g_assert_null (kinema_request_get_image_tail (req));
  g_assert_null (kinema_request_get_external_task_id (req));
  g_assert_cmpstr (kinema_request_get_video_id (req), ==, "vid-7");
  g_assert_cmpint (kinema_request_get_link_kind (req), ==, KINEMA_LINK_EXTEND);
  g_assert_cmpstr (kinema_request_get_parent_task_id (req), ==, "parent-1");
  g_assert_cmpfloat (kinema_request_get_parent_time (req), ==, 10.04);
  /* the parent is untouched */
  g_assert_cmpint (kinema_request_get_kind (parent), ==, KINEMA_TASK_KIND_IMAGE_TO_VIDEO);
  assert_valid (req);

  /* history and sidecar keep it: the JSON round trip is exact */
  kinema_request_set_external_task_id (req, "job-2");
  node = kinema_request_to_json (req);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "kind"), ==, "video-extend");
  back = round_trip (req);
  g_assert_cmpint (kinema_request_get_kind (back), ==, KINEMA_TASK_KIND_VIDEO_EXTEND);
  g_assert_cmpstr (kinema_request_get_video_id (back), ==, "vid-7");
  g_assert_cmpint (kinema_request_get_link_kind (back), ==, KINEMA_LINK_EXTEND);
  assert_valid (back);

  /* a blank prompt is fine here */
  kinema_request_set_prompt (back, NULL);
  assert_valid (back);
  kinema_request_set_prompt (back, long_prompt);
  assert_invalid (back);
  kinema_request_set_prompt (back, "ok");

  /* no video id, or one we would not send back */
  kinema_request_set_video_id (back, NULL);
  assert_invalid (back);
  kinema_request_set_video_id (back, "vid 7");
  assert_invalid (back);
  kinema_request_set_video_id (back, "vid-7");

  /* no images, no camera movement */
  kinema_request_set_image (back, "https://img.example.test/fox.jpg");
  assert_invalid (back);
  kinema_request_set_image (back, NULL);
  kinema_request_set_camera_type (back, KINEMA_CAMERA_DOWN_BACK);
  assert_invalid (back);
  kinema_request_set_camera_type (back, KINEMA_CAMERA_NONE);

  /* at most 3 minutes after the extension */
  kinema_request_set_link (back, KINEMA_LINK_EXTEND, "parent-1", KINEMA_EXTEND_MAX_TOTAL_SECONDS - KINEMA_EXTEND_SECONDS);
  assert_valid (back);
  kinema_request_set_link (back, KINEMA_LINK_EXTEND, "parent-1", 176.0);
  assert_invalid (back);
  kinema_request_set_link (back, KINEMA_LINK_EXTEND, "parent-1", 10.04);

  /* models Kling does not extend: kling-v1-5 (the extension page), kling-v2 and later
   * (no 视频续写 row in the capability map) */
  kinema_request_set_model (back, "kling-v1-5");
  assert_invalid (back);
  kinema_request_set_model (back, "kling-v2-5-turbo");
  assert_invalid (back);
  kinema_request_set_model (back, "kling-v1");
  assert_valid (back);
}

static void
test_json_bad (void)
{
  g_autoptr(JsonNode) array = json_from_string ("[1]", NULL);
  g_autoptr(JsonNode) nokind = json_from_string ("{\"model\":\"kling-v1\"}", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;

  g_assert_null (kinema_request_new_from_json (array, &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_BAD_REPLY);
  g_assert_null (kinema_request_new_from_json (nokind, &error2));
  g_assert_nonnull (error2);

  /* A broken link is dropped, the rest of the request kept. */
  {
    const char *broken[] = {
      "{\"kind\":\"text-to-video\",\"continues\":{\"kind\":\"sideways\",\"task_id\":\"p\"}}",
      "{\"kind\":\"text-to-video\",\"continues\":{\"kind\":\"continue\",\"task_id\":\"\"}}",
      "{\"kind\":\"text-to-video\",\"continues\":{\"kind\":\"continue\",\"task_id\":7}}",
      "{\"kind\":\"text-to-video\",\"continues\":[\"continue\",\"p\"]}",
    };

    for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
      {
        g_autoptr(JsonNode) node = json_from_string (broken[i], NULL);
        g_autoptr(KinemaRequest) req = kinema_request_new_from_json (node, NULL);

        g_assert_nonnull (req);
        g_assert_cmpint (kinema_request_get_link_kind (req), ==, KINEMA_LINK_NONE);
        g_assert_null (kinema_request_get_parent_task_id (req));
      }
  }
  {
    g_autoptr(JsonNode) node = json_from_string ("{\"kind\":\"text-to-video\",\"continues\":"
                                                  "{\"kind\":\"extend\",\"task_id\":\"p\",\"time\":-3}}",
                                                  NULL);
    g_autoptr(KinemaRequest) req = kinema_request_new_from_json (node, NULL);

    g_assert_cmpint (kinema_request_get_link_kind (req), ==, KINEMA_LINK_EXTEND);
    g_assert_cmpfloat (kinema_request_get_parent_time (req), ==, -1);
  }
}

static void
test_models (void)
{
  guint                  n = 0;
  const KinemaModelInfo *all = kinema_models_get_all (&n);
  const KinemaModelInfo *v3 = kinema_models_lookup ("kling-v3");

  g_assert_cmpuint (n, ==, 9);
  for (guint i = 0; i < n; i++)
    g_assert_true (kinema_models_lookup (all[i].id) == &all[i]);
  g_assert_nonnull (kinema_models_lookup (kinema_models_get_default ()));
  g_assert_null (kinema_models_lookup ("sora-2"));

  /* The summary follows data/capabilities.json. */
  g_assert_nonnull (v3);
  g_assert_cmpuint (v3->min_duration, ==, 3);
  g_assert_cmpuint (v3->max_duration, ==, 15);
  g_assert_true (v3->mode_4k);
  g_assert_true (v3->sound);
  g_assert_false (v3->cfg_scale);
  g_assert_true (kinema_model_supports_duration (v3, 7));
  g_assert_false (kinema_model_supports_duration (kinema_models_lookup ("kling-v2-5-turbo"), 7));
  g_assert_false (kinema_models_lookup ("kling-v2-master")->cfg_scale);
  g_assert_true (kinema_models_lookup ("kling-v1")->cfg_scale);
  g_assert_false (kinema_models_lookup ("kling-v1-5")->text_to_video);
}

static void
test_notify (void)
{
  g_autoptr(KinemaRequest) req = valid_t2v ();
  guint count = 0;

  g_object_set (req, "prompt", "another", NULL);
  g_assert_cmpstr (kinema_request_get_prompt (req), ==, "another");
  g_object_get (req, "duration", &count, NULL);
  g_assert_cmpuint (count, ==, 5);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/kinema/request/valid", test_valid);
  g_test_add_func ("/kinema/request/prompt", test_prompt);
  g_test_add_func ("/kinema/request/enums-and-ranges", test_enums_and_ranges);
  g_test_add_func ("/kinema/request/camera", test_camera);
  g_test_add_func ("/kinema/request/images", test_images);
  g_test_add_func ("/kinema/request/json-roundtrip", test_json_roundtrip);
  g_test_add_func ("/kinema/request/extension", test_extension);
  g_test_add_func ("/kinema/request/json-bad", test_json_bad);
  g_test_add_func ("/kinema/request/models", test_models);
  g_test_add_func ("/kinema/request/properties", test_notify);

  return g_test_run ();
}
