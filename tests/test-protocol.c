/* test-protocol.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The client against the simulator where real servers differ from what Kinema first
 * assumed (issue 11, PROTOCOL.md section 8, docs/protocol-sources.md). Each test
 * names the source it follows; each one failed before the fix it guards.
 */

#include "config.h"

#include "tasks-test-util.h"

#define IMAGE_URL "https://img.example.test/fox.jpg"

static KinemaRemoteStatus *
submit (TasksFixture   *f,
        KinemaProvider *provider,
        KinemaRequest  *request,
        GError        **error)
{
  GAsyncResult       *result = NULL;
  KinemaRemoteStatus *status;

  kinema_client_submit_async (f->client, provider, request, NULL, tasks_test_result_cb, &result);
  tasks_wait_for (result != NULL);
  status = kinema_client_submit_finish (f->client, result, error);
  g_object_unref (result);
  return status;
}

static KinemaRemoteStatus *
poll_once (TasksFixture   *f,
           KinemaProvider *provider,
           KinemaTaskKind  kind,
           const char     *remote_id,
           GError        **error)
{
  GAsyncResult       *result = NULL;
  KinemaRemoteStatus *status;

  kinema_client_poll_async (f->client, provider, kind, remote_id, NULL, tasks_test_result_cb, &result);
  tasks_wait_for (result != NULL);
  status = kinema_client_poll_finish (f->client, result, error);
  g_object_unref (result);
  return status;
}

/* Polls until the job ends, moving the simulator's clock instead of waiting. */
static KinemaRemoteStatus *
poll_until_done (TasksFixture   *f,
                 KinemaProvider *provider,
                 KinemaTaskKind  kind,
                 const char     *remote_id)
{
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KinemaRemoteStatus) status = poll_once (f, provider, kind, remote_id, &error);

      g_assert_no_error (error);
      g_assert_nonnull (status);
      if (status->state == KINEMA_REMOTE_STATE_SUCCEEDED || status->state == KINEMA_REMOTE_STATE_FAILED)
        return g_steal_pointer (&status);
      kinema_sim_server_advance_clock (f->sim, 1000);
    }
  g_assert_not_reached ();
  return NULL;
}

/* Case 3. new-api relay/relay_task.go, RelayTaskSubmit step 9: Kling's non-200 reply
 * becomes {"code":"fail_to_fetch_task","message":"<Kling's JSON>"} with Kling's status. */
static void
test_relayed_refusal (TasksFixture *f,
                      gconstpointer data)
{
  g_autoptr(KinemaRequest) request = tasks_test_request ("A fox in the snow");
  g_autoptr(KinemaRemoteStatus) status = NULL;
  g_autoptr(GError) policy = NULL;
  g_autoptr(GError) key = NULL;
  const KinemaErrorDetails *details;

  /* Kling's content review (1301): refused for its content, with Kling's words. */
  kinema_sim_server_refuse_next (f->sim, 1, 1301, "Failure to pass the risk control system");
  status = submit (f, f->provider, request, &policy);
  g_assert_null (status);
  g_assert_error (policy, KINEMA_ERROR, KINEMA_ERROR_CONTENT_POLICY);
  details = kinema_error_get_details (policy);
  g_assert_cmpuint (details->http_status, ==, 400);
  g_assert_cmpstr (details->provider_code, ==, "1301");
  g_assert_cmpstr (details->provider_message, ==, "Failure to pass the risk control system");

  /* Kling refusing the gateway's own credential (1002) is not the user's key: server
   * class (kinema-cli exit 4), and the message says whom to contact. */
  kinema_sim_server_refuse_next (f->sim, 1, 1002, "Authorization is invalid");
  status = submit (f, f->provider, request, &key);
  g_assert_null (status);
  g_assert_error (key, KINEMA_ERROR, KINEMA_ERROR_SERVER);
  details = kinema_error_get_details (key);
  g_assert_cmpuint (details->http_status, ==, 401);
  g_assert_cmpstr (details->provider_code, ==, "1002");
  g_assert_nonnull (strstr (key->message, "operator"));
  g_assert_cmpuint (kinema_sim_server_get_n_jobs (f->sim), ==, 0);
}

/* Case 5. The simplified poll reply documented by new-api forks and resellers
 * (PROTOCOL 8.5; its status words are new-api's mapTaskStatusToSimple in
 * relay/relay_task.go): the clip's address is data.url, a failure data.error.message. */
static void
test_simple_poll_reply (TasksFixture *f,
                        gconstpointer data)
{
  g_autoptr(KinemaRequest) request = tasks_test_request ("A fox in the snow");
  g_autoptr(KinemaRequest) failing = tasks_test_request ("A fox in the rain");
  g_autoptr(KinemaRemoteStatus) submitted = NULL;
  g_autoptr(KinemaRemoteStatus) done = NULL;
  g_autoptr(KinemaRemoteStatus) failed = NULL;
  g_autoptr(GError) error = NULL;

  kinema_sim_server_set_dialect (f->sim, KINEMA_SIM_ROUTE_KLING_GATEWAY, KINEMA_SIM_DIALECT_SIMPLE);

  submitted = submit (f, f->provider, request, &error);
  g_assert_no_error (error);
  done = poll_until_done (f, f->provider, KINEMA_TASK_KIND_TEXT_TO_VIDEO, submitted->remote_id);
  g_assert_cmpint (done->state, ==, KINEMA_REMOTE_STATE_SUCCEEDED);
  /* the simulator's own address for the clip, not the /content fallback */
  g_assert_nonnull (done->video_url);
  g_assert_true (g_str_has_prefix (done->video_url, kinema_sim_server_get_base_url (f->sim)));
  g_assert_null (strstr (done->video_url, "/content"));

  g_clear_pointer (&submitted, kinema_remote_status_free);
  kinema_sim_server_fail_next (f->sim, 1, "content did not pass safety review");
  submitted = submit (f, f->provider, failing, &error);
  g_assert_no_error (error);
  failed = poll_until_done (f, f->provider, KINEMA_TASK_KIND_TEXT_TO_VIDEO, submitted->remote_id);
  g_assert_cmpint (failed->state, ==, KINEMA_REMOTE_STATE_FAILED);
  g_assert_cmpstr (failed->failure_message, ==, "content did not pass safety review");
}

static KinemaProvider *
gateway (TasksFixture  *f,
         KinemaApiStyle style)
{
  g_autofree char *base = NULL;
  KinemaProvider  *provider;

  if (style == KINEMA_API_STYLE_KLING)
    base = g_strconcat (kinema_sim_server_get_base_url (f->sim), "/kling", NULL);
  else
    base = g_strdup (kinema_sim_server_get_base_url (f->sim));
  provider = kinema_provider_new ("gateway", "Gateway", base, style, KINEMA_AUTH_BEARER);
  kinema_provider_set_api_key (provider, TEST_KEY);
  return provider;
}

static KinemaRequest *
fox_i2v (const char *prompt)
{
  KinemaRequest *request = kinema_request_new (KINEMA_TASK_KIND_IMAGE_TO_VIDEO);

  kinema_request_set_model (request, "kling-v1-6");
  kinema_request_set_prompt (request, prompt);
  kinema_request_set_image (request, IMAGE_URL);
  return request;
}

static guint
count_posts (TasksFixture *f)
{
  return tasks_test_count_requests (f->sim, "POST", "/");
}

/* Case 1. new-api refuses a prompt that is empty after strings.TrimSpace on every task
 * route, image-to-video included (relay/common/relay_utils.go, validatePrompt, called by
 * ValidateBasicTaskRequest); a single space never got through. Refused before sending. */
static void
test_blank_prompt (TasksFixture *f,
                   gconstpointer data)
{
  static const KinemaApiStyle styles[] = {
    KINEMA_API_STYLE_KLING,
    KINEMA_API_STYLE_VIDEO_GENERATIONS,
    KINEMA_API_STYLE_OPENAI_VIDEOS,
  };

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    {
      g_autoptr(KinemaProvider) provider = gateway (f, styles[i]);
      g_autoptr(KinemaRequest) request = fox_i2v (" \t ");
      g_autoptr(KinemaRemoteStatus) status = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) check = NULL;

      g_assert_true (kinema_provider_get_caps (provider) & KINEMA_PROVIDER_CAP_NEEDS_PROMPT);
      g_assert_false (kinema_provider_check_request (provider, request, &check));
      g_assert_error (check, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);

      status = submit (f, provider, request, &error);
      g_assert_null (status);
      g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
      g_assert_cmpstr (error->message, ==, check->message);
    }
  g_assert_cmpuint (count_posts (f), ==, 0);

  /* Kling's own API lets image-to-video go without a description. */
  {
    g_autoptr(KinemaProvider) kling = kinema_provider_new ("kling", "Kling", kinema_sim_server_get_base_url (f->sim),
                                                            KINEMA_API_STYLE_KLING, KINEMA_AUTH_BEARER);
    g_autoptr(KinemaRequest) request = fox_i2v (NULL);
    g_autoptr(KinemaRemoteStatus) status = NULL;
    g_autoptr(GError) error = NULL;

    kinema_provider_set_preset_id (kling, "kling");
    kinema_provider_set_api_key (kling, TEST_KEY);
    status = submit (f, kling, request, &error);
    g_assert_no_error (error);
    g_assert_nonnull (status);
    g_assert_cmpuint (count_posts (f), ==, 1);
  }
}

/* Case 2. On /kling routes new-api's KlingRequestConvert marks a body without `image`
 * as text-to-video and the adaptor sends it to /v1/videos/text2video: an end frame
 * alone is dropped (middleware/kling_adapter.go; relay/channel/task/kling/adaptor.go,
 * DoRequest). Refused before sending, with the reason. */
static void
test_end_frame_only (TasksFixture *f,
                     gconstpointer data)
{
  g_autoptr(KinemaProvider) provider = gateway (f, KINEMA_API_STYLE_KLING);
  g_autoptr(KinemaRequest) request = fox_i2v ("The fox turns its head");
  g_autoptr(KinemaRemoteStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autofree char *url = NULL;
  g_autofree char *job_id = NULL;
  g_autoptr(JsonNode) stats = NULL;

  kinema_request_set_model (request, "kling-v1-6");
  kinema_request_set_mode (request, KINEMA_MODE_PRO);
  kinema_request_set_image (request, NULL);
  kinema_request_set_image_tail (request, IMAGE_URL);
  g_assert_true (kinema_request_validate (request, NULL));

  status = submit (f, provider, request, &error);
  g_assert_null (status);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "start image"));
  g_assert_cmpuint (count_posts (f), ==, 0);
  g_clear_error (&error);

  /* What the gateway does with such a body: a text-to-video job, the end frame lost. */
  url = g_strconcat (kinema_sim_server_get_base_url (f->sim), "/kling/v1/videos/image2video", NULL);
  msg = soup_message_new ("POST", url);
  {
    static const char text[] = "{\"model_name\":\"kling-v1-6\",\"prompt\":\"The fox turns\",\"mode\":\"pro\","
                               "\"duration\":\"5\",\"image_tail\":\"" IMAGE_URL "\"}";

    body = g_bytes_new_static (text, sizeof text - 1);
  }
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", "Bearer " TEST_KEY);
  {
    GAsyncResult *result = NULL;

    /* the simulator answers from this thread's main loop */
    soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, tasks_test_result_cb, &result);
    tasks_wait_for (result != NULL);
    reply = soup_session_send_and_read_finish (session, result, &error);
    g_object_unref (result);
  }
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  stats = kinema_sim_server_dup_stats (f->sim);
  job_id = kinema_sim_server_dup_last_job_id (f->sim);
  g_assert_nonnull (job_id);
  {
    JsonArray  *jobs = json_object_get_array_member (json_node_get_object (stats), "jobs");
    JsonObject *job = json_array_get_object_element (jobs, json_array_get_length (jobs) - 1);

    g_assert_cmpstr (json_object_get_string_member (job, "id"), ==, job_id);
    g_assert_cmpstr (json_object_get_string_member (job, "kind"), ==, "text2video");
  }
}

/* Case 7. new-api forwards cfg_scale with `omitempty`: 0 is dropped and Kling uses 0.5
 * (relay/channel/task/kling/adaptor.go, requestPayload and its 0.5 default). */
static void
test_zero_cfg (TasksFixture *f,
               gconstpointer data)
{
  g_autoptr(KinemaProvider) provider = gateway (f, KINEMA_API_STYLE_VIDEO_GENERATIONS);
  g_autoptr(KinemaProvider) kling = kinema_provider_new ("kling", "Kling", kinema_sim_server_get_base_url (f->sim),
                                                          KINEMA_API_STYLE_KLING, KINEMA_AUTH_KLING_JWT);
  g_autoptr(KinemaRequest) request = tasks_test_request ("A fox in the snow");
  g_autoptr(KinemaRemoteStatus) status = NULL;
  g_autoptr(KinemaRemoteStatus) official = NULL;
  g_autoptr(GError) error = NULL;

  kinema_request_set_model (request, "kling-v1-6");
  kinema_request_set_cfg_scale (request, 0);
  g_assert_true (kinema_request_validate (request, NULL));

  status = submit (f, provider, request, &error);
  g_assert_null (status);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
  g_assert_cmpuint (count_posts (f), ==, 0);
  g_clear_error (&error);

  /* Kling itself takes 0. */
  kinema_sim_server_set_kling_keys (f->sim, "AK-test", "SK-test");
  kinema_provider_set_kling_keys (kling, "AK-test", "SK-test");
  g_assert_true (kinema_provider_get_caps (kling) & KINEMA_PROVIDER_CAP_OFFICIAL_KLING);
  official = submit (f, kling, request, &error);
  g_assert_no_error (error);
  g_assert_nonnull (official);
}

/* Case 7: what each kind of provider is taken for. */
static void
test_caps (TasksFixture *f,
           gconstpointer data)
{
  g_autoptr(KinemaProvider) pair = kinema_provider_new ("a", "A", "https://api-singapore.klingai.com",
                                                         KINEMA_API_STYLE_KLING, KINEMA_AUTH_KLING_JWT);
  g_autoptr(KinemaProvider) key = kinema_provider_new ("b", "B", "https://api-beijing.klingai.com",
                                                        KINEMA_API_STYLE_KLING, KINEMA_AUTH_BEARER);
  g_autoptr(KinemaProvider) n1n = kinema_provider_new ("c", "C", "https://api.n1n.ai/kling",
                                                        KINEMA_API_STYLE_KLING, KINEMA_AUTH_BEARER);
  g_autoptr(KinemaProvider) lookalike = kinema_provider_new ("d", "D", "https://klingai.com.example.net/kling",
                                                              KINEMA_API_STYLE_KLING, KINEMA_AUTH_BEARER);
  KinemaProviderCaps gateway_caps = KINEMA_PROVIDER_CAP_NEEDS_PROMPT | KINEMA_PROVIDER_CAP_NEEDS_START_IMAGE |
                                    KINEMA_PROVIDER_CAP_DROPS_ZERO_CFG | KINEMA_PROVIDER_CAP_TEXT_AND_IMAGE_ONLY;

  g_assert_cmpint (kinema_provider_get_caps (pair), ==, KINEMA_PROVIDER_CAP_OFFICIAL_KLING);
  g_assert_cmpint (kinema_provider_get_caps (key), ==, KINEMA_PROVIDER_CAP_OFFICIAL_KLING);
  g_assert_cmpint (kinema_provider_get_caps (n1n), ==, gateway_caps);
  g_assert_cmpint (kinema_provider_get_caps (lookalike), ==, gateway_caps);
  g_assert_true (kinema_client_supports_external_lookup (f->client, pair));
  g_assert_true (kinema_client_supports_external_lookup (f->client, key));
  g_assert_false (kinema_client_supports_external_lookup (f->client, n1n));
}

static KinemaRemoteStatus *
lookup (TasksFixture   *f,
        KinemaProvider *provider,
        const char     *external_task_id,
        GError        **error)
{
  GAsyncResult       *result = NULL;
  KinemaRemoteStatus *status;

  kinema_client_lookup_external_async (f->client, provider, KINEMA_TASK_KIND_TEXT_TO_VIDEO, external_task_id, NULL,
                                       tasks_test_result_cb, &result);
  tasks_wait_for (result != NULL);
  status = kinema_client_lookup_external_finish (f->client, result, error);
  g_object_unref (result);
  return status;
}

/* Case 4. Kling's list route takes pageNum/pageSize only and returns every client's
 * jobs, newest first; the single route /v1/videos/{kind}/{id} takes a task_id or an
 * external_task_id (Kling docs "Query Task (Single)"/"(List)", copied in WHQ25/rawgenai
 * docs/research/kling/text-to-video.md and image-to-video.md). A job is adopted only
 * when its task_info.external_task_id is ours, with a key pair or an API key. */
static void
test_recovery_never_adopts (TasksFixture *f,
                            gconstpointer data)
{
  g_autoptr(KinemaProvider) kling = kinema_provider_new ("kling", "Kling", kinema_sim_server_get_base_url (f->sim),
                                                          KINEMA_API_STYLE_KLING, KINEMA_AUTH_BEARER);
  g_autoptr(KinemaRequest) ours = tasks_test_request ("Ours, sent before a crash");
  g_autoptr(KinemaRequest) theirs = tasks_test_request ("A colleague's job");
  g_autoptr(KinemaRemoteStatus) sent = NULL;
  g_autoptr(KinemaRemoteStatus) other = NULL;
  g_autoptr(KinemaRemoteStatus) found = NULL;
  g_autoptr(KinemaRemoteStatus) missing = NULL;
  g_autoptr(GError) error = NULL;

  /* a single API key, as Kling now also issues (PROTOCOL.md 8.8) */
  kinema_provider_set_preset_id (kling, "kling");
  kinema_provider_set_api_key (kling, TEST_KEY);

  /* Another client on the same account makes a job after ours: the newest one. */
  kinema_request_set_external_task_id (ours, "kinema-ours-1");
  sent = submit (f, kling, ours, &error);
  g_assert_no_error (error);
  kinema_request_set_external_task_id (theirs, "colleague-7");
  other = submit (f, kling, theirs, &error);
  g_assert_no_error (error);

  /* A job whose submit never arrived is not found, and nothing else is adopted. */
  missing = lookup (f, kling, "kinema-never-sent", &error);
  g_assert_null (missing);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (kinema_sim_server_get_submit_count (f->sim, "kinema-never-sent"), ==, 0);

  /* Ours is found as ours. */
  found = lookup (f, kling, "kinema-ours-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->remote_id, ==, sent->remote_id);
  g_assert_cmpstr (found->remote_id, !=, other->remote_id);
  g_assert_cmpuint (kinema_sim_server_get_submit_count (f->sim, "kinema-ours-1"), ==, 1);
  g_assert_cmpuint (tasks_test_count_requests (f->sim, "GET", "/v1/videos/text2video?"), ==, 0);
}

/* Kling's video extension (Kling docs, "Video Extension", copy in WHQ25/rawgenai
 * docs/research/kling/video-extend.md; PROTOCOL.md 8.10): only Kling's own API has the
 * route (new-api router/video-router.go has none), the client polls it on
 * /v1/videos/video-extend/{id}, the result is the whole video (its duration the total,
 * its id a new one), and Kling's 1201 for a video it will not extend reaches the user as
 * a refused setting with the provider's code in the details. */
static void
test_video_extend (TasksFixture *f,
                   gconstpointer data)
{
  g_autoptr(KinemaProvider) kling = kinema_provider_new ("kling", "Kling", kinema_sim_server_get_base_url (f->sim),
                                                          KINEMA_API_STYLE_KLING, KINEMA_AUTH_KLING_JWT);
  g_autoptr(KinemaRequest) parent = tasks_test_request ("A kite on the beach");
  g_autoptr(KinemaRequest) v15 = kinema_request_new (KINEMA_TASK_KIND_IMAGE_TO_VIDEO);
  g_autoptr(KinemaRequest) extension = NULL;
  g_autoptr(KinemaRequest) wrong = NULL;
  g_autoptr(KinemaRemoteStatus) made = NULL;
  g_autoptr(KinemaRemoteStatus) done = NULL;
  g_autoptr(KinemaRemoteStatus) v15_made = NULL;
  g_autoptr(KinemaRemoteStatus) v15_done = NULL;
  g_autoptr(KinemaRemoteStatus) sent = NULL;
  g_autoptr(KinemaRemoteStatus) extended = NULL;
  g_autoptr(KinemaRemoteStatus) refused = NULL;
  g_autoptr(KinemaRemoteStatus) elsewhere = NULL;
  g_autoptr(GError) error = NULL;

  kinema_sim_server_set_kling_keys (f->sim, "AK-test", "SK-test");
  kinema_provider_set_kling_keys (kling, "AK-test", "SK-test");

  kinema_request_set_model (parent, "kling-v1-6");
  made = submit (f, kling, parent, &error);
  g_assert_no_error (error);
  done = poll_until_done (f, kling, KINEMA_TASK_KIND_TEXT_TO_VIDEO, made->remote_id);
  g_assert_nonnull (done->video_id);

  /* A gateway: refused before anything is sent. */
  extension = kinema_request_new_extension (parent, "parent-1", done->video_id, done->video_duration_s);
  refused = submit (f, f->provider, extension, &error);
  g_assert_null (refused);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_cmpuint (tasks_test_count_requests (f->sim, "POST", "/kling/v1/videos/video-extend"), ==, 0);

  /* Kling: sent once, polled on its own route, the whole video back. */
  kinema_request_set_external_task_id (extension, "ext-1");
  sent = submit (f, kling, extension, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kinema_sim_server_get_submit_count (f->sim, "ext-1"), ==, 1);
  g_assert_cmpuint (tasks_test_count_requests (f->sim, "POST", "/v1/videos/video-extend"), ==, 1);
  extended = poll_until_done (f, kling, KINEMA_TASK_KIND_VIDEO_EXTEND, sent->remote_id);
  g_assert_cmpint (extended->state, ==, KINEMA_REMOTE_STATE_SUCCEEDED);
  g_assert_cmpfloat_with_epsilon (extended->video_duration_s, done->video_duration_s + KINEMA_EXTEND_SECONDS, 0.05);
  g_assert_nonnull (extended->video_id);
  g_assert_cmpstr (extended->video_id, !=, done->video_id);
  elsewhere = poll_once (f, kling, KINEMA_TASK_KIND_TEXT_TO_VIDEO, sent->remote_id, &error);
  g_assert_null (elsewhere);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A video Kling will not extend (made with kling-v1-5), asked as if it were another
   * model's: Kling's own refusal, 1201 (PROTOCOL.md 1.9). */
  kinema_request_set_model (v15, "kling-v1-5");
  kinema_request_set_image (v15, IMAGE_URL);
  v15_made = submit (f, kling, v15, &error);
  g_assert_no_error (error);
  v15_done = poll_until_done (f, kling, KINEMA_TASK_KIND_IMAGE_TO_VIDEO, v15_made->remote_id);
  wrong = kinema_request_new_extension (parent, "parent-2", v15_done->video_id, 5.1);
  g_clear_pointer (&refused, kinema_remote_status_free);
  refused = submit (f, kling, wrong, &error);
  g_assert_null (refused);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_REQUEST);
  g_assert_cmpstr (kinema_error_get_details (error)->provider_code, ==, "1201");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/kinema/protocol/" name, TasksFixture, NULL, tasks_fixture_setup, func, tasks_fixture_teardown)
  ADD ("video-extend", test_video_extend);

  ADD ("relayed-refusal", test_relayed_refusal);
  ADD ("simple-poll-reply", test_simple_poll_reply);
  ADD ("blank-prompt", test_blank_prompt);
  ADD ("end-frame-only", test_end_frame_only);
  ADD ("zero-cfg", test_zero_cfg);
  ADD ("caps", test_caps);
  ADD ("recovery-never-adopts", test_recovery_never_adopts);

  return g_test_run ();
}
