/* test-reply.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kinema-error.h"
#include "kinema-reply.h"

typedef struct {
  const char        *file;
  gboolean           submit;
  guint              http_status;
  const char        *content_type;
  int                error_code;     /* -1 = success */
  KinemaRemoteState  state;
  const char        *remote_id;
  const char        *video_url;
  const char        *failure;
  double             progress;       /* -2 = don't check */
  gint64             updated_at_ms;  /* -1 = don't check */
  const char        *provider_code;
} Vector;

#define JSON "application/json"

static const Vector vectors[] = {
  { "k-submit.json", TRUE, 200, JSON, -1, KINEMA_REMOTE_STATE_QUEUED, "880000000000000001", NULL, NULL, -2, 1760000000000, NULL },
  { "k-query-submitted.json", FALSE, 200, JSON, -1, KINEMA_REMOTE_STATE_QUEUED, "880000000000000001", NULL, NULL, -2, 1760000000000, NULL },
  { "k-query-processing.json", FALSE, 200, JSON, -1, KINEMA_REMOTE_STATE_RUNNING, "880000000000000001", NULL, NULL, -2, 1760000012000, NULL },
  { "k-query-succeed.json", FALSE, 200, JSON, -1, KINEMA_REMOTE_STATE_SUCCEEDED, "880000000000000001", "https://cdn.example.test/out/fox.mp4", NULL, 1.0, 1760000095000, NULL },
  { "k-query-failed.json", FALSE, 200, JSON, -1, KINEMA_REMOTE_STATE_FAILED, "880000000000000001", NULL, "content did not pass safety review", -2, 1760000030000, NULL },
  { "k-error-1004.json", TRUE, 401, JSON, KINEMA_ERROR_AUTH, 0, NULL, NULL, NULL, -2, -1, "1004" },
  { "k-error-1303.json", TRUE, 429, JSON, KINEMA_ERROR_CONCURRENCY_LIMIT, 0, NULL, NULL, NULL, -2, -1, "1303" },
  { "k-error-1201.json", TRUE, 400, JSON, KINEMA_ERROR_INVALID_REQUEST, 0, NULL, NULL, NULL, -2, -1, "1201" },
  { "nk-submit.json", TRUE, 200, JSON, -1, KINEMA_REMOTE_STATE_QUEUED, "task_Qw3rTy", NULL, NULL, 0.0, 1760000000000, NULL },
  { "nk-query-not-start.json", FALSE, 200, JSON, -1, KINEMA_REMOTE_STATE_QUEUED, "task_Qw3rTy", NULL, NULL, 0.0, 1760000000000, NULL },
  { "nk-query-in-progress.json", FALSE, 200, JSON, -1, KINEMA_REMOTE_STATE_RUNNING, "task_Qw3rTy", NULL, NULL, 0.3, 1760000030000, NULL },
  { "nk-query-success.json", FALSE, 200, JSON, -1, KINEMA_REMOTE_STATE_SUCCEEDED, "task_Qw3rTy", "https://cdn.example.test/out/boat.mp4", NULL, 1.0, 1760000105000, NULL },
  { "nk-query-legacy-success.json", FALSE, 200, JSON, -1, KINEMA_REMOTE_STATE_SUCCEEDED, "880000000000000002", "https://cdn.example.test/out/boat.mp4", NULL, 1.0, -1, NULL },
  { "nk-query-failure.json", FALSE, 200, JSON, -1, KINEMA_REMOTE_STATE_FAILED, "task_Qw3rTy", NULL, "content did not pass safety review", 1.0, -1, NULL },
  { "nk-error-401.json", FALSE, 401, JSON, KINEMA_ERROR_AUTH, 0, NULL, NULL, NULL, -2, -1, NULL },
  { "nk-error-task-not-exist.json", FALSE, 400, JSON, KINEMA_ERROR_NOT_FOUND, 0, NULL, NULL, NULL, -2, -1, "task_not_exist" },
  { "nk-error-task-failed.json", TRUE, 400, JSON, KINEMA_ERROR_INVALID_REQUEST, 0, NULL, NULL, NULL, -2, -1, "task_failed" },
  { "nk-error-invalid-request.json", TRUE, 400, JSON, KINEMA_ERROR_INVALID_REQUEST, 0, NULL, NULL, NULL, -2, -1, "invalid_request" },
  { "nk-error-build-request.json", TRUE, 500, JSON, KINEMA_ERROR_INVALID_REQUEST, 0, NULL, NULL, NULL, -2, -1, "build_request_failed" },
  { "o-query-unknown.json", FALSE, 200, JSON, -1, KINEMA_REMOTE_STATE_PENDING, "task_Qw3rTy", NULL, NULL, 0.0, 1760000000000, NULL },
  { "o-query-queued.json", FALSE, 200, JSON, -1, KINEMA_REMOTE_STATE_QUEUED, "task_Qw3rTy", NULL, NULL, 0.1, -1, NULL },
  { "o-query-in-progress.json", FALSE, 200, JSON, -1, KINEMA_REMOTE_STATE_RUNNING, "task_Qw3rTy", NULL, NULL, 0.3, 1760000031000, NULL },
  { "o-query-completed.json", FALSE, 200, JSON, -1, KINEMA_REMOTE_STATE_SUCCEEDED, "task_Qw3rTy", "https://cdn.example.test/out/boat.mp4", NULL, 1.0, 1760000105000, NULL },
  { "o-query-failed.json", FALSE, 200, JSON, -1, KINEMA_REMOTE_STATE_FAILED, "task_Qw3rTy", NULL, "content did not pass safety review", 1.0, -1, NULL },
  { "o-error-not-completed.json", FALSE, 400, JSON, KINEMA_ERROR_INVALID_REQUEST, 0, NULL, NULL, NULL, -2, -1, NULL },
  { "o-error-not-found.json", FALSE, 404, JSON, KINEMA_ERROR_NOT_FOUND, 0, NULL, NULL, NULL, -2, -1, NULL },
  { "d-submit.json", TRUE, 200, JSON, -1, KINEMA_REMOTE_STATE_QUEUED, "task_Qw3rTy", NULL, NULL, -2, -1, NULL },
  { "d-query-in-progress.json", FALSE, 200, JSON, -1, KINEMA_REMOTE_STATE_RUNNING, "task_Qw3rTy", NULL, NULL, -2, -1, NULL },
  { "d-query-completed.json", FALSE, 200, JSON, -1, KINEMA_REMOTE_STATE_SUCCEEDED, "task_Qw3rTy", "https://cdn.example.test/out/fox.mp4", NULL, 1.0, -1, NULL },
  { "d-query-failed.json", FALSE, 200, JSON, -1, KINEMA_REMOTE_STATE_FAILED, "task_Qw3rTy", NULL, "content did not pass safety review", -2, -1, NULL },
  { "d-error-400.json", TRUE, 400, JSON, KINEMA_ERROR_INVALID_REQUEST, 0, NULL, NULL, NULL, -2, -1, "invalid_request" },
  /* new-api relay/relay_task.go (RelayTaskSubmit): a refusal from Kling arrives as
   * "fail_to_fetch_task" with Kling's status and Kling's JSON as the message (issue 11, case 3). */
  { "nk-error-relayed-1301.json", TRUE, 400, JSON, KINEMA_ERROR_CONTENT_POLICY, 0, NULL, NULL, NULL, -2, -1, "1301" },
  { "nk-error-relayed-1102.json", TRUE, 429, JSON, KINEMA_ERROR_ACCOUNT, 0, NULL, NULL, NULL, -2, -1, "1102" },
  /* Kling's 1002 inside is the gateway's own credential: server class, not the user's key. */
  { "nk-error-relayed-1002.json", TRUE, 401, JSON, KINEMA_ERROR_SERVER, 0, NULL, NULL, NULL, -2, -1, "1002" },
  /* the simplified poll reply of new-api forks (PROTOCOL 8.5; new-api relay/relay_task.go
   * mapTaskStatusToSimple uses the same words): data.url and data.error.message (case 5) */
  { "s-query-processing.json", FALSE, 200, JSON, -1, KINEMA_REMOTE_STATE_RUNNING, "task_Qw3rTy", NULL, NULL, 0.3, -1, NULL },
  { "s-query-succeeded.json", FALSE, 200, JSON, -1, KINEMA_REMOTE_STATE_SUCCEEDED, "task_Qw3rTy", "https://cdn.example.test/out/fox.mp4", NULL, 1.0, -1, NULL },
  { "s-query-failed.json", FALSE, 200, JSON, -1, KINEMA_REMOTE_STATE_FAILED, "task_Qw3rTy", NULL, "content did not pass safety review", 1.0, -1, NULL },
  { "x-query-fork.json", FALSE, 200, JSON, -1, KINEMA_REMOTE_STATE_SUCCEEDED, "task_Qw3rTy", "https://cdn.example.test/out/fox.mp4", NULL, 1.0, -1, NULL },
  { "legacy-submit-2025.json", TRUE, 200, JSON, -1, KINEMA_REMOTE_STATE_QUEUED, "8672", NULL, NULL, -2, -1, NULL },
  { "weird-status.json", FALSE, 200, JSON, -1, KINEMA_REMOTE_STATE_PENDING, "task_Qw3rTy", NULL, NULL, -1.0, -1, NULL },
  { "wrong-types.json", FALSE, 200, JSON, -1, KINEMA_REMOTE_STATE_PENDING, "5", NULL, NULL, -1.0, -1, NULL },
  { "missing-fields.json", TRUE, 200, JSON, KINEMA_ERROR_BAD_REPLY, 0, NULL, NULL, NULL, -2, -1, NULL },
  { "missing-fields.json", FALSE, 200, JSON, KINEMA_ERROR_BAD_REPLY, 0, NULL, NULL, NULL, -2, -1, NULL },
  { "truncated.json", FALSE, 200, JSON, KINEMA_ERROR_BAD_REPLY, 0, NULL, NULL, NULL, -2, -1, NULL },
  { "truncated.json", FALSE, 503, JSON, KINEMA_ERROR_SERVER, 0, NULL, NULL, NULL, -2, -1, NULL },
  { "not-object.json", TRUE, 200, JSON, KINEMA_ERROR_BAD_REPLY, 0, NULL, NULL, NULL, -2, -1, NULL },
  { "page.html", TRUE, 200, "text/html; charset=utf-8", KINEMA_ERROR_UNSUPPORTED_ROUTE, 0, NULL, NULL, NULL, -2, -1, NULL },
  { "page.html", FALSE, 200, NULL, KINEMA_ERROR_UNSUPPORTED_ROUTE, 0, NULL, NULL, NULL, -2, -1, NULL },
  { "o-query-completed.json", FALSE, 200, "text/html", KINEMA_ERROR_UNSUPPORTED_ROUTE, 0, NULL, NULL, NULL, -2, -1, NULL },
};

static void
test_vector (gconstpointer data)
{
  const Vector *v = data;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "replies", v->file, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(KinemaRemoteStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  gboolean ok;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  body = g_bytes_new (contents, len);

  if (v->submit)
    ok = kinema_reply_parse_submit (v->http_status, v->content_type, body, &status, &error);
  else
    ok = kinema_reply_parse_status (v->http_status, v->content_type, body, &status, &error);

  if (v->error_code >= 0)
    {
      const KinemaErrorDetails *details;

      g_assert_false (ok);
      g_assert_null (status);
      g_assert_error (error, KINEMA_ERROR, v->error_code);
      details = kinema_error_get_details (error);
      g_assert_nonnull (details);
      g_assert_cmpuint (details->http_status, ==, v->http_status);
      if (v->provider_code != NULL)
        g_assert_cmpstr (details->provider_code, ==, v->provider_code);
      return;
    }

  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_nonnull (status);
  g_assert_cmpint (status->state, ==, v->state);
  g_assert_cmpstr (status->remote_id, ==, v->remote_id);
  g_assert_cmpstr (status->video_url, ==, v->video_url);
  g_assert_cmpstr (status->failure_message, ==, v->failure);
  if (v->progress > -1.5)
    g_assert_cmpfloat_with_epsilon (status->progress, v->progress, 0.001);
  if (v->updated_at_ms >= 0)
    g_assert_cmpint (status->updated_at_ms, ==, v->updated_at_ms);
}

static double
units_of (const char *json)
{
  g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));
  g_autoptr(KinemaRemoteStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (kinema_reply_parse_status (200, "application/json", body, &status, &error));
  g_assert_no_error (error);
  return status->units_charged;
}

/* What a finished job cost: official Kling's `final_unit_deduction`, a string (Kling docs,
 * query reply: copy in WHQ25/rawgenai docs/research/kling/text-to-video.md; PROTOCOL.md
 * 8.9), also inside new-api's TaskDto (data.data.data, 2.7a). Anything else is unknown. */
static void
test_units_charged (void)
{
#define KLING(units) "{\"code\":0,\"message\":\"SUCCEED\",\"data\":{\"task_id\":\"t1\",\"task_status\":\"succeed\"," \
                     "\"task_result\":{\"videos\":[{\"id\":\"v\",\"url\":\"https://cdn.example.test/v.mp4\"}]}" units "}}"

  g_assert_cmpfloat (units_of (KLING (",\"final_unit_deduction\":\"2.5\"")), ==, 2.5);
  g_assert_cmpfloat (units_of (KLING (",\"final_unit_deduction\":3")), ==, 3);
  g_assert_cmpfloat (units_of (KLING ("")), ==, -1);
  g_assert_cmpfloat (units_of (KLING (",\"final_unit_deduction\":\"-4\"")), ==, -1);
  g_assert_cmpfloat (units_of (KLING (",\"final_unit_deduction\":\"lots\"")), ==, -1);
  g_assert_cmpfloat (units_of (KLING (",\"final_unit_deduction\":\"1e300\"")), ==, -1);
  g_assert_cmpfloat (units_of (KLING (",\"final_unit_deduction\":{\"x\":1}")), ==, -1);
  g_assert_cmpfloat (units_of ("{\"code\":\"success\",\"data\":{\"task_id\":\"t1\",\"status\":\"SUCCESS\","
                               "\"result_url\":\"https://cdn.example.test/v.mp4\",\"data\":{\"code\":0,\"data\":"
                               "{\"task_id\":\"k1\",\"task_status\":\"succeed\",\"final_unit_deduction\":\"1\"}}}}"),
                     ==, 1);
#undef KLING
}

/* The id of a finished official video (task_result.videos[].id), kept for video-extend
 * (Kling docs: the query reply, and video-extend's `video_id`; PROTOCOL.md 1.7, 8.10).
 * A strange id is dropped; new-api's TaskDto gives none (gateways do not relay
 * video-extend: router/video-router.go). */
static void
test_video_id (void)
{
  struct
  {
    const char *id_json;
    const char *expected;
  } cases[] = {
    { "\"id\":\"v-8675309\",", "v-8675309" },
    { "", NULL },
    { "\"id\":\"\",", NULL },
    /* Kling ids are numbers written as strings; a bare number is read the same way. */
    { "\"id\":42,", "42" },
    { "\"id\":\"a b\",", NULL },
    { "\"id\":\"\\u001b[31m\",", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"code\":0,\"message\":\"SUCCEED\",\"data\":{\"task_id\":\"t1\","
                                               "\"task_status\":\"succeed\",\"task_result\":{\"videos\":[{%s"
                                               "\"url\":\"https://cdn.example.test/v.mp4\",\"duration\":\"5.1\"}]}}}",
                                               cases[i].id_json);
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      g_autoptr(KinemaRemoteStatus) status = NULL;
      g_autoptr(KinemaRemoteStatus) copy = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_true (kinema_reply_parse_status (200, "application/json", bytes, &status, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (status->video_url, ==, "https://cdn.example.test/v.mp4");
      g_assert_cmpstr (status->video_id, ==, cases[i].expected);
      copy = kinema_remote_status_copy (status);
      g_assert_cmpstr (copy->video_id, ==, cases[i].expected);
    }

  {
    static const char dto[] = "{\"code\":\"success\",\"data\":{\"task_id\":\"t1\",\"status\":\"SUCCESS\","
                              "\"result_url\":\"https://cdn.example.test/v.mp4\",\"data\":{\"code\":0,"
                              "\"data\":{\"task_id\":\"k1\",\"task_status\":\"succeed\",\"task_result\":"
                              "{\"videos\":[{\"id\":\"v-1\",\"url\":\"https://x.test/v.mp4\"}]}}}}}";
    g_autoptr(GBytes) bytes = g_bytes_new_static (dto, strlen (dto));
    g_autoptr(KinemaRemoteStatus) status = NULL;

    g_assert_true (kinema_reply_parse_status (200, "application/json", bytes, &status, NULL));
    g_assert_null (status->video_id);
  }
}

/* The query reply of a video extension (Kling docs, "Video Extension", copy in
 * WHQ25/rawgenai docs/research/kling/video-extend.md): task_info.parent_video {id, url,
 * duration} is the source; task_result.videos[0] is the WHOLE extended video, its
 * duration the total and its id the one a further extension takes. The parent's URL and
 * id must not be taken for the result. */
static void
test_extend_reply (void)
{
  static const char body[] =
      "{\"code\":0,\"message\":\"SUCCEED\",\"request_id\":\"r\",\"data\":{\"task_id\":\"t9\","
      "\"task_status\":\"succeed\",\"task_status_msg\":\"\",\"task_info\":{\"parent_video\":{\"id\":\"v-parent\","
      "\"url\":\"https://cdn.example.test/parent.mp4\",\"duration\":\"5.1\"},\"external_task_id\":\"job-9\"},"
      "\"task_result\":{\"videos\":[{\"id\":\"v-whole\",\"url\":\"https://cdn.example.test/whole.mp4\","
      "\"watermark_url\":\"\",\"duration\":\"9.6\"}]},\"watermark_info\":{\"enabled\":false},"
      "\"final_unit_deduction\":\"1\",\"created_at\":1722769557708,\"updated_at\":1722769557708}}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (body, strlen (body));
  g_autoptr(KinemaRemoteStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (kinema_reply_parse_status (200, "application/json", bytes, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status->state, ==, KINEMA_REMOTE_STATE_SUCCEEDED);
  g_assert_cmpstr (status->video_url, ==, "https://cdn.example.test/whole.mp4");
  g_assert_cmpstr (status->video_id, ==, "v-whole");
  g_assert_cmpfloat_with_epsilon (status->video_duration_s, 9.6, 1e-9);
}

static void
test_request_id (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "replies", "k-error-1303.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  const KinemaErrorDetails *details;
  gsize len;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  body = g_bytes_new (contents, len);
  error = kinema_reply_parse_error (429, JSON, body);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_CONCURRENCY_LIMIT);
  details = kinema_error_get_details (error);
  g_assert_cmpstr (details->request_id, ==, "r-007");
  g_assert_cmpstr (details->provider_message, ==, "parallel task over resource pack limit");
}

/* Issue 11, case 3: the inner Kling error goes to the details, and a refusal of the
 * gateway's own Kling credential tells the user whom to contact (new-api
 * relay/relay_task.go, RelayTaskSubmit: "fail_to_fetch_task" with Kling's body). */
static void
test_relayed_kling (void)
{
  g_autofree char *policy_path = g_test_build_filename (G_TEST_DIST, "data", "replies", "nk-error-relayed-1301.json", NULL);
  g_autofree char *key_path = g_test_build_filename (G_TEST_DIST, "data", "replies", "nk-error-relayed-1002.json", NULL);
  g_autofree char *policy_text = NULL;
  g_autofree char *key_text = NULL;
  g_autoptr(GBytes) policy_body = NULL;
  g_autoptr(GBytes) key_body = NULL;
  g_autoptr(GError) policy = NULL;
  g_autoptr(GError) key = NULL;
  const KinemaErrorDetails *details;

  g_assert_true (g_file_get_contents (policy_path, &policy_text, NULL, NULL));
  g_assert_true (g_file_get_contents (key_path, &key_text, NULL, NULL));
  policy_body = g_bytes_new (policy_text, strlen (policy_text));
  key_body = g_bytes_new (key_text, strlen (key_text));

  policy = kinema_reply_parse_error (400, JSON, policy_body);
  g_assert_error (policy, KINEMA_ERROR, KINEMA_ERROR_CONTENT_POLICY);
  details = kinema_error_get_details (policy);
  g_assert_cmpstr (details->provider_code, ==, "1301");
  g_assert_cmpstr (details->provider_message, ==, "Failure to pass the risk control system");
  g_assert_cmpstr (details->request_id, ==, "k-relay-1");
  /* the friendly text, never the raw JSON */
  g_assert_null (strchr (policy->message, '{'));

  key = kinema_reply_parse_error (401, JSON, key_body);
  g_assert_error (key, KINEMA_ERROR, KINEMA_ERROR_SERVER);
  details = kinema_error_get_details (key);
  g_assert_cmpstr (details->provider_code, ==, "1002");
  g_assert_cmpstr (details->provider_message, ==, "Authorization is invalid");
  g_assert_nonnull (strstr (key->message, "operator"));
  g_assert_cmpstr (key->message, !=, kinema_error_code_message (KINEMA_ERROR_AUTH));
}

static void
test_huge (void)
{
  gsize len = KINEMA_REPLY_MAX_BYTES + 10;
  char *data = g_malloc (len);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(KinemaRemoteStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  memset (data, ' ', len);
  memcpy (data, "{\"id\":\"x\",\"status\":\"queued\"}", 28);
  body = g_bytes_new_take (data, len);
  g_assert_false (kinema_reply_parse_status (200, JSON, body, &status, &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_BAD_REPLY);
}

static void
test_http_fallback (void)
{
  static const struct { guint status; int code; } cases[] = {
    { 401, KINEMA_ERROR_AUTH }, { 403, KINEMA_ERROR_PERMISSION }, { 429, KINEMA_ERROR_RATE_LIMITED },
    { 500, KINEMA_ERROR_SERVER }, { 502, KINEMA_ERROR_SERVER }, { 404, KINEMA_ERROR_NOT_FOUND },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) body = g_bytes_new_static ("{}", 2);
      g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
      g_autoptr(GError) error = kinema_reply_parse_error (cases[i].status, JSON, body);
      g_autoptr(GError) error2 = kinema_reply_parse_error (cases[i].status, NULL, empty);

      g_assert_error (error, KINEMA_ERROR, cases[i].code);
      g_assert_error (error2, KINEMA_ERROR, cases[i].code);
    }
}

static void
test_status_words (void)
{
  g_assert_cmpint (kinema_reply_map_status ("SUCCEED"), ==, KINEMA_REMOTE_STATE_SUCCEEDED);
  g_assert_cmpint (kinema_reply_map_status ("Failure"), ==, KINEMA_REMOTE_STATE_FAILED);
  g_assert_cmpint (kinema_reply_map_status ("QUEUED"), ==, KINEMA_REMOTE_STATE_QUEUED);
  g_assert_cmpint (kinema_reply_map_status ("unknown"), ==, KINEMA_REMOTE_STATE_PENDING);
  g_assert_cmpint (kinema_reply_map_status ("whatever"), ==, KINEMA_REMOTE_STATE_PENDING);
  g_assert_cmpint (kinema_reply_map_status (NULL), ==, KINEMA_REMOTE_STATE_PENDING);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autofree char *name = g_strdup_printf ("/kinema/reply/vector/%u-%s-%u-%s", i,
                                               vectors[i].submit ? "submit" : "status",
                                               vectors[i].http_status, vectors[i].file);
      g_test_add_data_func (name, &vectors[i], test_vector);
    }
  g_test_add_func ("/kinema/reply/request-id", test_request_id);
  g_test_add_func ("/kinema/reply/relayed-kling", test_relayed_kling);
  g_test_add_func ("/kinema/reply/units-charged", test_units_charged);
  g_test_add_func ("/kinema/reply/video-id", test_video_id);
  g_test_add_func ("/kinema/reply/extend", test_extend_reply);
  g_test_add_func ("/kinema/reply/huge", test_huge);
  g_test_add_func ("/kinema/reply/http-fallback", test_http_fallback);
  g_test_add_func ("/kinema/reply/status-words", test_status_words);

  return g_test_run ();
}
