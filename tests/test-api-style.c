/* test-api-style.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "kinema-api-style.h"
#include "kinema-error.h"

static void
assert_body (JsonNode   *body,
             const char *expected_json)
{
  g_autoptr(JsonNode) expected = json_from_string (expected_json, NULL);
  g_autofree char *got = json_to_string (body, FALSE);
  JsonObject *a;
  JsonObject *b;
  g_autoptr(GList) members = NULL;

  g_assert_nonnull (expected);
  g_assert_nonnull (body);
  a = json_node_get_object (body);
  b = json_node_get_object (expected);
  members = json_object_get_members (b);

  /* field by field, with the JSON types */
  for (GList *l = members; l; l = l->next)
    {
      JsonNode *x = json_object_get_member (a, l->data);
      JsonNode *y = json_object_get_member (b, l->data);

      if (x == NULL)
        g_error ("missing field %s in %s", (char *) l->data, got);
      if (!json_node_equal (x, y))
        g_error ("field %s differs in %s", (char *) l->data, got);
    }
  g_assert_cmpuint (json_object_get_size (a), ==, json_object_get_size (b));
}

static KinemaRequest *
fox_request (void)
{
  KinemaRequest *req = kinema_request_new (KINEMA_TASK_KIND_IMAGE_TO_VIDEO);

  kinema_request_set_model (req, "kling-v2-5-turbo");
  kinema_request_set_prompt (req, "The fox slowly turns its head toward the camera");
  kinema_request_set_image (req, "https://img.example.test/fox.jpg");
  return req;
}

static KinemaRequest *
boat_request (void)
{
  KinemaRequest *req = kinema_request_new (KINEMA_TASK_KIND_TEXT_TO_VIDEO);

  kinema_request_set_model (req, "kling-v2-5-turbo");
  kinema_request_set_prompt (req, "A paper boat drifting on a rainy street");
  return req;
}

static void
test_kling_6_1 (void)
{
  g_autoptr(KinemaRequest) req = fox_request ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = kinema_api_style_build_submit_url (KINEMA_API_STYLE_KLING,
                                                            "https://api-singapore.klingai.com/",
                                                            KINEMA_TASK_KIND_IMAGE_TO_VIDEO);
  g_autofree char *poll = kinema_api_style_build_poll_url (KINEMA_API_STYLE_KLING,
                                                           "https://gw.example.test/kling",
                                                           KINEMA_TASK_KIND_IMAGE_TO_VIDEO,
                                                           "880000000000000001");

  g_assert_cmpstr (url, ==, "https://api-singapore.klingai.com/v1/videos/image2video");
  g_assert_cmpstr (poll, ==, "https://gw.example.test/kling/v1/videos/image2video/880000000000000001");

  /* kling-v2.x refuses cfg_scale in our table, so 6.1 is checked on kling-v1-6 too */
  kinema_request_set_negative_prompt (req, "blur, distortion");
  body = kinema_api_style_build_submit_body (KINEMA_API_STYLE_KLING, req, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_body (body, "{\"model_name\":\"kling-v2-5-turbo\",\"prompt\":\"The fox slowly turns its head toward the camera\","
                     "\"negative_prompt\":\"blur, distortion\",\"image\":\"https://img.example.test/fox.jpg\","
                     "\"mode\":\"std\",\"duration\":\"5\"}");
  g_clear_pointer (&body, json_node_unref);

  kinema_request_set_model (req, "kling-v1-6");
  kinema_request_set_cfg_scale (req, 0.5);
  body = kinema_api_style_build_submit_body (KINEMA_API_STYLE_KLING, req, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_body (body, "{\"model_name\":\"kling-v1-6\",\"prompt\":\"The fox slowly turns its head toward the camera\","
                     "\"negative_prompt\":\"blur, distortion\",\"image\":\"https://img.example.test/fox.jpg\","
                     "\"mode\":\"std\",\"duration\":\"5\",\"cfg_scale\":0.5}");
}

static void
test_kling_6_2 (void)
{
  g_autoptr(KinemaRequest) req = boat_request ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;

  kinema_request_set_negative_prompt (req, "text");
  body = kinema_api_style_build_submit_body (KINEMA_API_STYLE_KLING, req, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_body (body, "{\"model_name\":\"kling-v2-5-turbo\",\"prompt\":\"A paper boat drifting on a rainy street\","
                     "\"negative_prompt\":\"text\",\"mode\":\"std\",\"duration\":\"5\",\"aspect_ratio\":\"16:9\"}");
}

static void
test_video_generations_6_3 (void)
{
  g_autoptr(KinemaRequest) req = fox_request ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = kinema_api_style_build_submit_url (KINEMA_API_STYLE_VIDEO_GENERATIONS,
                                                            "https://gw.example.test",
                                                            KINEMA_TASK_KIND_IMAGE_TO_VIDEO);
  g_autofree char *poll = kinema_api_style_build_poll_url (KINEMA_API_STYLE_VIDEO_GENERATIONS,
                                                           "https://gw.example.test",
                                                           KINEMA_TASK_KIND_IMAGE_TO_VIDEO,
                                                           "task_Qw3rTy");

  g_assert_cmpstr (url, ==, "https://gw.example.test/v1/video/generations");
  g_assert_cmpstr (poll, ==, "https://gw.example.test/v1/video/generations/task_Qw3rTy");

  kinema_request_set_model (req, "kling-v1-6");
  kinema_request_set_mode (req, KINEMA_MODE_PRO);
  kinema_request_set_negative_prompt (req, "blur");
  kinema_request_set_cfg_scale (req, 0.5);
  body = kinema_api_style_build_submit_body (KINEMA_API_STYLE_VIDEO_GENERATIONS, req, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_body (body, "{\"model\":\"kling-v1-6\",\"prompt\":\"The fox slowly turns its head toward the camera\","
                     "\"image\":\"https://img.example.test/fox.jpg\",\"mode\":\"pro\",\"duration\":5,\"size\":\"1280x720\","
                     "\"metadata\":{\"negative_prompt\":\"blur\",\"cfg_scale\":0.5}}");
}

static void
test_openai_6_4 (void)
{
  g_autoptr(KinemaRequest) req = boat_request ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = kinema_api_style_build_submit_url (KINEMA_API_STYLE_OPENAI_VIDEOS,
                                                            "https://gw.example.test/",
                                                            KINEMA_TASK_KIND_TEXT_TO_VIDEO);
  g_autofree char *poll = kinema_api_style_build_poll_url (KINEMA_API_STYLE_OPENAI_VIDEOS,
                                                           "https://gw.example.test/",
                                                           KINEMA_TASK_KIND_TEXT_TO_VIDEO,
                                                           "task_Qw3rTy");
  g_autofree char *content = kinema_api_style_build_content_url ("https://gw.example.test/", "task_Qw3rTy");

  g_assert_cmpstr (url, ==, "https://gw.example.test/v1/videos");
  g_assert_cmpstr (poll, ==, "https://gw.example.test/v1/videos/task_Qw3rTy");
  g_assert_cmpstr (content, ==, "https://gw.example.test/v1/videos/task_Qw3rTy/content");

  kinema_request_set_aspect_ratio (req, "9:16");
  body = kinema_api_style_build_submit_body (KINEMA_API_STYLE_OPENAI_VIDEOS, req, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_body (body, "{\"model\":\"kling-v2-5-turbo\",\"prompt\":\"A paper boat drifting on a rainy street\","
                     "\"size\":\"720x1280\",\"duration\":5}");
}

static void
test_documented_6_5 (void)
{
  g_autoptr(KinemaRequest) req = fox_request ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;

  kinema_request_set_model (req, "kling-v1");
  kinema_request_set_prompt (req, "The fox slowly turns its head");
  kinema_request_set_negative_prompt (req, "blur");
  body = kinema_api_style_build_submit_body (KINEMA_API_STYLE_VIDEO_GENERATIONS, req, NULL, NULL, &error);
  g_assert_no_error (error);
  /* 6.5 plus the mode and size new-api's code reads */
  assert_body (body, "{\"model\":\"kling-v1\",\"prompt\":\"The fox slowly turns its head\","
                     "\"image\":\"https://img.example.test/fox.jpg\",\"mode\":\"std\",\"duration\":5,\"size\":\"1280x720\","
                     "\"metadata\":{\"negative_prompt\":\"blur\"}}");
}

static void
test_local_images_and_camera (void)
{
  g_autoptr(KinemaRequest) req = kinema_request_new (KINEMA_TASK_KIND_IMAGE_TO_VIDEO);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(GError) error = NULL;

  kinema_request_set_model (req, "kling-v1");
  kinema_request_set_image (req, "/home/me/fox.png");
  refused = kinema_api_style_build_submit_body (KINEMA_API_STYLE_KLING, req, NULL, NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  kinema_request_set_camera_type (req, KINEMA_CAMERA_SIMPLE);
  kinema_request_set_camera_axis (req, KINEMA_CAMERA_AXIS_ZOOM);
  kinema_request_set_camera_value (req, 5);
  kinema_request_set_external_task_id (req, "job-1");
  body = kinema_api_style_build_submit_body (KINEMA_API_STYLE_KLING, req, "iVBORw0KGgo=", NULL, &error);
  g_assert_no_error (error);
  assert_body (body, "{\"model_name\":\"kling-v1\",\"image\":\"iVBORw0KGgo=\",\"mode\":\"std\",\"duration\":\"5\","
                     "\"camera_control\":{\"type\":\"simple\",\"config\":{\"horizontal\":0.0,\"vertical\":0.0,"
                     "\"pan\":0.0,\"tilt\":0.0,\"roll\":0.0,\"zoom\":5.0}},\"external_task_id\":\"job-1\"}");
}

static void
test_lookup_and_escaping (void)
{
  g_autofree char *lookup = kinema_api_style_build_lookup_url ("https://api-singapore.klingai.com",
                                                               KINEMA_TASK_KIND_TEXT_TO_VIDEO, "job 1/2");
  g_autofree char *poll = kinema_api_style_build_poll_url (KINEMA_API_STYLE_KLING, "http://127.0.0.1:8080",
                                                           KINEMA_TASK_KIND_TEXT_TO_VIDEO, "../x");

  g_assert_cmpstr (lookup, ==, "https://api-singapore.klingai.com/v1/videos/text2video/job%201%2F2");
  g_assert_cmpstr (poll, ==, "http://127.0.0.1:8080/v1/videos/text2video/..%2Fx");
}

/* Kling docs, "Video Extension" (copy: WHQ25/rawgenai docs/research/kling/video-extend.md):
 * POST and GET /v1/videos/video-extend[/{task_id or external_task_id}]; the body takes
 * video_id, prompt, negative_prompt, cfg_scale, external_task_id and no model_name,
 * mode, duration or image (the source's model and mode are used). */
static void
test_video_extend (void)
{
  g_autoptr(KinemaRequest) parent = fox_request ();
  g_autoptr(KinemaRequest) req = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = kinema_api_style_build_submit_url (KINEMA_API_STYLE_KLING, "https://api-singapore.klingai.com/",
                                                            KINEMA_TASK_KIND_VIDEO_EXTEND);
  g_autofree char *poll = kinema_api_style_build_poll_url (KINEMA_API_STYLE_KLING, "https://api-singapore.klingai.com",
                                                           KINEMA_TASK_KIND_VIDEO_EXTEND, "880000000000000009");
  g_autofree char *lookup = kinema_api_style_build_lookup_url ("https://api-singapore.klingai.com",
                                                               KINEMA_TASK_KIND_VIDEO_EXTEND, "job-2");

  g_assert_cmpstr (url, ==, "https://api-singapore.klingai.com/v1/videos/video-extend");
  g_assert_cmpstr (poll, ==, "https://api-singapore.klingai.com/v1/videos/video-extend/880000000000000009");
  g_assert_cmpstr (lookup, ==, "https://api-singapore.klingai.com/v1/videos/video-extend/job-2");

  kinema_request_set_model (parent, "kling-v1-6");
  kinema_request_set_mode (parent, KINEMA_MODE_PRO);
  kinema_request_set_negative_prompt (parent, "blur");
  kinema_request_set_cfg_scale (parent, 0.3);
  req = kinema_request_new_extension (parent, "parent-task", "vid-42", 5.1);
  kinema_request_set_external_task_id (req, "job-2");
  body = kinema_api_style_build_submit_body (KINEMA_API_STYLE_KLING, req, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_body (body, "{\"video_id\":\"vid-42\",\"prompt\":\"The fox slowly turns its head toward the camera\","
                     "\"negative_prompt\":\"blur\",\"cfg_scale\":0.3,\"external_task_id\":\"job-2\"}");
  g_clear_pointer (&body, json_node_unref);

  /* the prompt is optional on this route (same page: 可选) */
  kinema_request_set_prompt (req, NULL);
  kinema_request_set_negative_prompt (req, NULL);
  kinema_request_set_cfg_scale (req, -1);
  body = kinema_api_style_build_submit_body (KINEMA_API_STYLE_KLING, req, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_body (body, "{\"video_id\":\"vid-42\",\"external_task_id\":\"job-2\"}");
  g_clear_pointer (&body, json_node_unref);

  /* new-api routes no video-extend (router/video-router.go): no gateway body is built */
  body = kinema_api_style_build_submit_body (KINEMA_API_STYLE_VIDEO_GENERATIONS, req, NULL, NULL, &error);
  g_assert_null (body);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  body = kinema_api_style_build_submit_body (KINEMA_API_STYLE_OPENAI_VIDEOS, req, NULL, NULL, &error);
  g_assert_null (body);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
}

static void
test_invalid_request (void)
{
  g_autoptr(KinemaRequest) req = kinema_request_new (KINEMA_TASK_KIND_TEXT_TO_VIDEO);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;

  body = kinema_api_style_build_submit_body (KINEMA_API_STYLE_KLING, req, NULL, NULL, &error);
  g_assert_null (body);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/kinema/api-style/kling-6-1", test_kling_6_1);
  g_test_add_func ("/kinema/api-style/kling-6-2", test_kling_6_2);
  g_test_add_func ("/kinema/api-style/video-generations-6-3", test_video_generations_6_3);
  g_test_add_func ("/kinema/api-style/openai-6-4", test_openai_6_4);
  g_test_add_func ("/kinema/api-style/documented-6-5", test_documented_6_5);
  g_test_add_func ("/kinema/api-style/local-images-and-camera", test_local_images_and_camera);
  g_test_add_func ("/kinema/api-style/lookup-and-escaping", test_lookup_and_escaping);
  g_test_add_func ("/kinema/api-style/video-extend", test_video_extend);
  g_test_add_func ("/kinema/api-style/invalid-request", test_invalid_request);

  return g_test_run ();
}
