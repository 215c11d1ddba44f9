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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/kinema/protocol/" name, TasksFixture, NULL, tasks_fixture_setup, func, tasks_fixture_teardown)

  ADD ("relayed-refusal", test_relayed_refusal);
  ADD ("simple-poll-reply", test_simple_poll_reply);

  return g_test_run ();
}
