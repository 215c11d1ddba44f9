/* test-client.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "kinema-client.h"
#include "kinema-error.h"
#include "test-util.h"

typedef struct {
  SoupServer *server;
  char       *base;
  guint       hits;
  guint       status;
  char       *reply_file;
  gboolean    hang;
  char       *last_path;
  char       *last_auth;
  char       *last_body;
} Fixture;

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Fixture *f = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autofree char *file = NULL;
  char *contents = NULL;
  gsize len = 0;

  f->hits++;
  g_free (f->last_path);
  f->last_path = g_strdup (path);
  g_free (f->last_auth);
  f->last_auth = g_strdup (soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                          "Authorization"));
  g_free (f->last_body);
  f->last_body = g_strndup (body->data, body->length);

  if (f->hang)
    {
      soup_server_message_pause (msg);
      return;
    }

  file = g_test_build_filename (G_TEST_DIST, "data", "replies", f->reply_file, NULL);
  g_assert_true (g_file_get_contents (file, &contents, &len, NULL));
  soup_server_message_set_status (msg, f->status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, contents, len);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, NULL, server_cb, f, NULL);
  g_assert_true (soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  f->base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  f->status = 200;
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  soup_server_disconnect (f->server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->server);
  g_clear_pointer (&f->base, g_free);
  g_clear_pointer (&f->reply_file, g_free);
  g_clear_pointer (&f->last_path, g_free);
  g_clear_pointer (&f->last_auth, g_free);
  g_clear_pointer (&f->last_body, g_free);
}

static KinemaProvider *
make_provider (Fixture        *f,
               KinemaApiStyle  style)
{
  KinemaProvider *provider = kinema_provider_new ("test", "Test", f->base, style, KINEMA_AUTH_BEARER);

  kinema_provider_set_api_key (provider, "sk-test");
  return provider;
}

static KinemaClient *
make_client (void)
{
  g_autoptr(KinemaHttpClient) http = kinema_http_client_new ();

  kinema_http_client_set_retry_policy (http, 2, 1);
  g_object_set (kinema_http_client_get_session (http), "timeout", 1, NULL);
  return kinema_client_new (http);
}

static KinemaRequest *
boat_request (void)
{
  KinemaRequest *req = kinema_request_new (KINEMA_TASK_KIND_TEXT_TO_VIDEO);

  kinema_request_set_model (req, "kling-v2-5-turbo");
  kinema_request_set_prompt (req, "A paper boat drifting on a rainy street");
  return req;
}

static KinemaRemoteStatus *
submit (KinemaClient    *client,
        KinemaProvider  *provider,
        KinemaRequest   *request,
        GError         **error)
{
  GAsyncResult *result = NULL;
  KinemaRemoteStatus *status;

  kinema_client_submit_async (client, provider, request, NULL, test_result_cb, &result);
  status = kinema_client_submit_finish (client, test_wait_result (&result), error);
  g_object_unref (result);
  return status;
}

static KinemaRemoteStatus *
poll_once (KinemaClient    *client,
           KinemaProvider  *provider,
           const char      *id,
           GError         **error)
{
  GAsyncResult *result = NULL;
  KinemaRemoteStatus *status;

  kinema_client_poll_async (client, provider, KINEMA_TASK_KIND_TEXT_TO_VIDEO, id, NULL, test_result_cb, &result);
  status = kinema_client_poll_finish (client, test_wait_result (&result), error);
  g_object_unref (result);
  return status;
}

static void
test_submit_kling (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(KinemaClient) client = make_client ();
  g_autoptr(KinemaProvider) provider = make_provider (f, KINEMA_API_STYLE_KLING);
  g_autoptr(KinemaRequest) request = boat_request ();
  g_autoptr(KinemaRemoteStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) sent = NULL;

  f->reply_file = g_strdup ("k-submit.json");
  status = submit (client, provider, request, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (status->remote_id, ==, "880000000000000001");
  g_assert_cmpuint (f->hits, ==, 1);
  g_assert_cmpstr (f->last_path, ==, "/v1/videos/text2video");
  g_assert_cmpstr (f->last_auth, ==, "Bearer sk-test");

  sent = json_from_string (f->last_body, NULL);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (sent), "duration"), ==, "5");
}

static void
test_submit_once_on_500 (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(KinemaClient) client = make_client ();
  g_autoptr(KinemaProvider) provider = make_provider (f, KINEMA_API_STYLE_VIDEO_GENERATIONS);
  g_autoptr(KinemaRequest) request = boat_request ();
  g_autoptr(KinemaRemoteStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  f->reply_file = g_strdup ("nk-error-build-request.json");
  f->status = 500;
  status = submit (client, provider, request, &error);
  g_assert_null (status);
  g_assert_nonnull (error);
  g_assert_cmpuint (f->hits, ==, 1);
}

static void
test_submit_once_on_timeout (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(KinemaClient) client = make_client ();
  g_autoptr(KinemaProvider) provider = make_provider (f, KINEMA_API_STYLE_OPENAI_VIDEOS);
  g_autoptr(KinemaRequest) request = boat_request ();
  g_autoptr(KinemaRemoteStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  f->hang = TRUE;
  status = submit (client, provider, request, &error);
  g_assert_null (status);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_TIMEOUT);
  g_assert_cmpuint (f->hits, ==, 1);
}

static void
test_bad_input (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(KinemaClient) client = make_client ();
  g_autoptr(KinemaProvider) provider = make_provider (f, KINEMA_API_STYLE_KLING);
  g_autoptr(KinemaRequest) request = boat_request ();
  g_autoptr(KinemaRequest) i2v = kinema_request_new (KINEMA_TASK_KIND_IMAGE_TO_VIDEO);
  g_autoptr(KinemaRemoteStatus) status = NULL;
  g_autoptr(KinemaRemoteStatus) status2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;

  kinema_request_set_prompt (request, "");
  status = submit (client, provider, request, &error);
  g_assert_null (status);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);

  kinema_request_set_image (i2v, "/nonexistent/fox.png");
  status2 = submit (client, provider, i2v, &error2);
  g_assert_null (status2);
  g_assert_error (error2, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);

  g_assert_cmpuint (f->hits, ==, 0);
}

static void
test_polls (Fixture       *f,
            gconstpointer  data)
{
  static const struct {
    KinemaApiStyle style;
    const char *file;
    const char *path;
    KinemaRemoteState state;
    const char *url;
  } cases[] = {
    { KINEMA_API_STYLE_KLING, "k-query-succeed.json", "/v1/videos/text2video/id-1",
      KINEMA_REMOTE_STATE_SUCCEEDED, "https://cdn.example.test/out/fox.mp4" },
    { KINEMA_API_STYLE_KLING, "nk-query-in-progress.json", "/v1/videos/text2video/id-1",
      KINEMA_REMOTE_STATE_RUNNING, NULL },
    { KINEMA_API_STYLE_VIDEO_GENERATIONS, "nk-query-legacy-success.json", "/v1/video/generations/id-1",
      KINEMA_REMOTE_STATE_SUCCEEDED, "https://cdn.example.test/out/boat.mp4" },
    { KINEMA_API_STYLE_OPENAI_VIDEOS, "o-query-unknown.json", "/v1/videos/id-1",
      KINEMA_REMOTE_STATE_PENDING, NULL },
    { KINEMA_API_STYLE_OPENAI_VIDEOS, "o-query-completed.json", "/v1/videos/id-1",
      KINEMA_REMOTE_STATE_SUCCEEDED, "https://cdn.example.test/out/boat.mp4" },
  };
  g_autoptr(KinemaClient) client = make_client ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(KinemaProvider) provider = make_provider (f, cases[i].style);
      g_autoptr(KinemaRemoteStatus) status = NULL;
      g_autoptr(GError) error = NULL;

      g_free (f->reply_file);
      f->reply_file = g_strdup (cases[i].file);
      status = poll_once (client, provider, "id-1", &error);
      g_assert_no_error (error);
      g_assert_cmpstr (f->last_path, ==, cases[i].path);
      g_assert_cmpint (status->state, ==, cases[i].state);
      g_assert_cmpstr (status->video_url, ==, cases[i].url);
    }
}

static void
test_test_connection (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(KinemaClient) client = make_client ();
  g_autoptr(KinemaProvider) provider = make_provider (f, KINEMA_API_STYLE_VIDEO_GENERATIONS);
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;

  f->reply_file = g_strdup ("nk-error-task-not-exist.json");
  f->status = 400;
  kinema_client_test_connection_async (client, provider, NULL, test_result_cb, &result);
  g_assert_true (kinema_client_test_connection_finish (client, test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  g_free (f->reply_file);
  f->reply_file = g_strdup ("nk-error-401.json");
  f->status = 401;
  kinema_client_test_connection_async (client, provider, NULL, test_result_cb, &result);
  g_assert_false (kinema_client_test_connection_finish (client, test_wait_result (&result), &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_AUTH);
  g_clear_object (&result);
}

static void
test_download_message (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(KinemaClient) client = make_client ();
  g_autoptr(KinemaProvider) provider = make_provider (f, KINEMA_API_STYLE_OPENAI_VIDEOS);
  g_autoptr(SoupMessage) cdn = NULL;
  g_autoptr(SoupMessage) own = NULL;
  g_autoptr(SoupMessage) plain = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *content = NULL;

  cdn = kinema_client_new_download_message (client, provider, "https://cdn.example.test/out/boat.mp4",
                                            "id-1", &error);
  g_assert_no_error (error);
  g_assert_null (soup_message_headers_get_one (soup_message_get_request_headers (cdn), "Authorization"));

  own = kinema_client_new_download_message (client, provider, NULL, "id-1", &error);
  g_assert_no_error (error);
  content = g_uri_to_string (soup_message_get_uri (own));
  g_assert_true (g_str_has_suffix (content, "/v1/videos/id-1/content"));
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_request_headers (own), "Authorization"),
                   ==, "Bearer sk-test");

  plain = kinema_client_new_download_message (client, provider, "http://cdn.example.test/x.mp4",
                                              "id-1", &error);
  g_assert_null (plain);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_TLS);
  g_assert_cmpuint (f->hits, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(name, func) \
  g_test_add ("/kinema/client/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("submit-kling", test_submit_kling);
  ADD ("submit-once-on-500", test_submit_once_on_500);
  ADD ("submit-once-on-timeout", test_submit_once_on_timeout);
  ADD ("bad-input", test_bad_input);
  ADD ("polls", test_polls);
  ADD ("test-connection", test_test_connection);
  ADD ("download-message", test_download_message);
#undef ADD

  return g_test_run ();
}
