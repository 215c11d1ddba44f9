/* test-http-client.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "kinema-error.h"
#include "kinema-http-client.h"
#include "test-util.h"

typedef struct {
  SoupServer *server;
  GUri       *base;
  guint       hits;
  guint       fail_first;
  char       *user_agent;
  gsize       big_size;
  char       *authorization; /* of the last request to /echo-auth */
  guint       auth_hits;     /* requests to /echo-auth */
} Fixture;

static GString *log_text;

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
      {
        g_string_append_len (log_text, fields[i].value,
                             fields[i].length < 0 ? (gssize) strlen (fields[i].value) : fields[i].length);
        g_string_append_c (log_text, '\n');
      }
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (level, fields, n_fields, user_data);
  return G_LOG_WRITER_HANDLED;
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Fixture *f = user_data;
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);

  f->hits++;
  g_free (f->user_agent);
  f->user_agent = g_strdup (soup_message_headers_get_one (req, "User-Agent"));

  /* Redirects (issue 15, point 6). */
  if (g_str_equal (path, "/loop"))
    {
      soup_server_message_set_redirect (msg, 302, "/loop");
      return;
    }
  if (g_str_equal (path, "/to-same"))
    {
      soup_server_message_set_redirect (msg, 307, "/echo-auth");
      return;
    }
  if (g_str_equal (path, "/to-other"))
    {
      /* localhost is this computer too, but another origin than 127.0.0.1 */
      g_autofree char *to = g_strdup_printf ("http://localhost:%d/echo-auth", g_uri_get_port (f->base));

      soup_server_message_set_redirect (msg, 302, to);
      return;
    }
  if (g_str_equal (path, "/to-ftp"))
    {
      soup_server_message_set_redirect (msg, 302, "ftp://127.0.0.1/clip.mp4");
      return;
    }
  if (g_str_equal (path, "/echo-auth"))
    {
      f->auth_hits++;
      g_free (f->authorization);
      f->authorization = g_strdup (soup_message_headers_get_one (req, "Authorization"));
    }

  if (g_str_equal (path, "/big"))
    {
      char *body = g_malloc (f->big_size);

      memset (body, 'x', f->big_size);
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body, f->big_size);
      return;
    }

  if (g_str_equal (path, "/flaky") && f->hits <= f->fail_first)
    {
      soup_message_headers_append (soup_server_message_get_response_headers (msg), "Retry-After", "0");
      soup_server_message_set_status (msg, 503, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{}", 2);
      return;
    }

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{\"ok\":true}", 11);
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
  f->base = g_uri_ref (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  soup_server_disconnect (f->server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->server);
  g_clear_pointer (&f->base, g_uri_unref);
  g_clear_pointer (&f->user_agent, g_free);
  g_clear_pointer (&f->authorization, g_free);
}

static char *
url_for (Fixture    *f,
         const char *path)
{
  return g_strdup_printf ("http://127.0.0.1:%d%s", g_uri_get_port (f->base), path);
}

static GBytes *
send_and_wait (KinemaHttpClient  *client,
               SoupMessage       *msg,
               GError           **error)
{
  GAsyncResult *result = NULL;
  GBytes *bytes;

  kinema_http_client_send_and_read_async (client, msg, NULL, test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  bytes = kinema_http_client_send_and_read_finish (client, result, error);
  g_object_unref (result);
  return bytes;
}

static void
test_user_agent_and_redaction (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(KinemaHttpClient) client = kinema_http_client_new ();
  g_autofree char *url = url_for (f, "/ok");
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_ua = g_strdup_printf ("Kinema/%s", PACKAGE_VERSION);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                "Bearer sk-very-secret-key");
  bytes = send_and_wait (client, msg, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 11);
  g_assert_cmpstr (f->user_agent, ==, expected_ua);

  /* the logger did run, and never printed the key */
  g_assert_nonnull (strstr (log_text->str, "Authorization: [redacted]"));
  g_assert_null (strstr (log_text->str, "sk-very-secret-key"));
}

static void
test_retry_get (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(KinemaHttpClient) client = kinema_http_client_new ();
  g_autofree char *url = url_for (f, "/flaky");
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  kinema_http_client_set_retry_policy (client, 3, 1);
  f->fail_first = 2;
  bytes = send_and_wait (client, msg, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_cmpuint (f->hits, ==, 3);
}

static void
test_no_retry_post (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(KinemaHttpClient) client = kinema_http_client_new ();
  g_autofree char *url = url_for (f, "/flaky");
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  kinema_http_client_set_retry_policy (client, 3, 1);
  f->fail_first = 5;
  bytes = send_and_wait (client, msg, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 503);
  g_assert_cmpuint (f->hits, ==, 1);
}

static void
test_cap (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(KinemaHttpClient) client = kinema_http_client_new ();
  g_autofree char *url = url_for (f, "/big");
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(SoupMessage) msg2 = soup_message_new ("GET", url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) bytes2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;

  f->big_size = KINEMA_HTTP_MAX_REPLY_BYTES + 1;
  bytes = send_and_wait (client, msg, &error);
  g_assert_null (bytes);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_BAD_REPLY);

  f->big_size = KINEMA_HTTP_MAX_REPLY_BYTES;
  bytes2 = send_and_wait (client, msg2, &error2);
  g_assert_no_error (error2);
  g_assert_cmpuint (g_bytes_get_size (bytes2), ==, KINEMA_HTTP_MAX_REPLY_BYTES);
}

static void
test_refused (void)
{
  g_autoptr(KinemaHttpClient) client = kinema_http_client_new ();
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  /* a port that was free a moment ago and has no listener */
  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  url = g_strdup_printf ("http://127.0.0.1:%u/x",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  kinema_http_client_set_retry_policy (client, 0, 1);
  msg = soup_message_new ("GET", url);
  bytes = send_and_wait (client, msg, &error);
  g_assert_null (bytes);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_NETWORK);
}

static void
test_plain_http_refused (void)
{
  g_autoptr(KinemaHttpClient) client = kinema_http_client_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", "http://gateway.example.test/v1/videos/x");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) local = g_uri_parse ("http://[::1]:8080/", G_URI_FLAGS_NONE, NULL);
  g_autoptr(GUri) secure = g_uri_parse ("https://gateway.example.test/", G_URI_FLAGS_NONE, NULL);

  bytes = send_and_wait (client, msg, &error);
  g_assert_null (bytes);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_TLS);
  /* refused before anything was sent */
  g_assert_cmpuint (soup_message_get_status (msg), ==, 0);

  g_assert_true (kinema_http_uri_is_allowed (local, NULL));
  g_assert_true (kinema_http_uri_is_allowed (secure, NULL));
}

/* Issue 11, case 8: plain http to the user's own network only after they opt in for
 * that provider; public hosts stay https-only whatever the policy. */
static void
test_private_http_policy (void)
{
  static const char *const private_hosts[] = {
    "http://192.168.1.20:3000/",
    "http://10.0.0.5/",
    "http://172.16.4.1/",
    "http://172.31.255.254/",
    "http://169.254.10.1/",
    "http://[fd12:3456::1]/",
    "http://[fe80::1]/",
    "http://nas.local/",
    "http://gateway.home.arpa:8080/",
  };
  static const char *const public_hosts[] = {
    "http://gateway.example.test/",
    "http://8.8.8.8/",
    "http://172.32.0.1/",
    "http://[2001:db8::1]/",
    "http://local/",
    "http://evil.local.example.com/",
    "http://192.169.0.1/",
  };
  g_autoptr(KinemaHttpClient) client = kinema_http_client_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", "http://192.168.1.20:9/v1/videos/x");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (private_hosts); i++)
    {
      g_autoptr(GUri) uri = g_uri_parse (private_hosts[i], G_URI_FLAGS_NONE, NULL);
      g_autoptr(GError) refused = NULL;

      g_test_message ("private: %s", private_hosts[i]);
      g_assert_true (kinema_http_host_is_private (g_uri_get_host (uri)));
      g_assert_false (kinema_http_check_url (uri, KINEMA_URL_POLICY_DEFAULT, &refused));
      g_assert_error (refused, KINEMA_ERROR, KINEMA_ERROR_TLS);
      g_assert_true (kinema_http_check_url (uri, KINEMA_URL_POLICY_ALLOW_PRIVATE_HTTP, NULL));
    }

  for (guint i = 0; i < G_N_ELEMENTS (public_hosts); i++)
    {
      g_autoptr(GUri) uri = g_uri_parse (public_hosts[i], G_URI_FLAGS_NONE, NULL);

      g_test_message ("public: %s", public_hosts[i]);
      g_assert_false (kinema_http_host_is_private (g_uri_get_host (uri)));
      g_assert_false (kinema_http_check_url (uri, KINEMA_URL_POLICY_ALLOW_PRIVATE_HTTP, NULL));
    }

  /* a message without the provider's permission is refused before it is sent */
  g_assert_cmpint (kinema_http_message_get_url_policy (msg), ==, KINEMA_URL_POLICY_DEFAULT);
  bytes = send_and_wait (client, msg, &error);
  g_assert_null (bytes);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_TLS);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 0);
  kinema_http_message_set_url_policy (msg, KINEMA_URL_POLICY_ALLOW_PRIVATE_HTTP);
  g_assert_cmpint (kinema_http_message_get_url_policy (msg), ==, KINEMA_URL_POLICY_ALLOW_PRIVATE_HTTP);
}

static void
test_retry_after (void)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 1, 1, 0, 0, 0);

  g_assert_cmpint (kinema_http_parse_retry_after (headers, now), ==, -1);
  soup_message_headers_replace (headers, "Retry-After", "120");
  g_assert_cmpint (kinema_http_parse_retry_after (headers, now), ==, 120000);
  soup_message_headers_replace (headers, "Retry-After", "Thu, 01 Jan 2026 00:00:30 GMT");
  g_assert_cmpint (kinema_http_parse_retry_after (headers, now), ==, 30000);
  soup_message_headers_replace (headers, "Retry-After", "Wed, 31 Dec 2025 00:00:30 GMT");
  g_assert_cmpint (kinema_http_parse_retry_after (headers, now), ==, 0);
  soup_message_headers_replace (headers, "Retry-After", "soon");
  g_assert_cmpint (kinema_http_parse_retry_after (headers, now), ==, -1);

  /* Huge values are clamped to an hour: 4294968 s in milliseconds wrapped around to
   * 0.7 s once it was converted to a guint (issue 15, point 7). */
  soup_message_headers_replace (headers, "Retry-After", "4294968");
  g_assert_cmpint (kinema_http_parse_retry_after (headers, now), ==, KINEMA_HTTP_MAX_RETRY_AFTER_MS);
  soup_message_headers_replace (headers, "Retry-After", "999999999999999999999999999");
  g_assert_cmpint (kinema_http_parse_retry_after (headers, now), ==, KINEMA_HTTP_MAX_RETRY_AFTER_MS);
  soup_message_headers_replace (headers, "Retry-After", "Fri, 01 Jan 2100 00:00:00 GMT");
  g_assert_cmpint (kinema_http_parse_retry_after (headers, now), ==, KINEMA_HTTP_MAX_RETRY_AFTER_MS);
}

static SoupMessage *
message_with_key (Fixture    *f,
                  const char *path)
{
  g_autofree char *url = url_for (f, path);
  SoupMessage *msg = soup_message_new ("GET", url);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", "Bearer sk-secret");
  return msg;
}

static void
test_redirects (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(KinemaHttpClient) client = kinema_http_client_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SoupMessage) loop = message_with_key (f, "/loop");
  g_autoptr(SoupMessage) same = message_with_key (f, "/to-same");
  g_autoptr(SoupMessage) other = message_with_key (f, "/to-other");
  g_autoptr(SoupMessage) ftp = message_with_key (f, "/to-ftp");

  kinema_http_client_set_retry_policy (client, 0, 1);

  /* A bounded number of hops, counted on the server's side. */
  body = send_and_wait (client, loop, &error);
  g_assert_null (body);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_BAD_REPLY);
  g_assert_cmpuint (f->hits, ==, 1 + KINEMA_HTTP_MAX_REDIRECTS);
  g_clear_error (&error);

  /* The key follows a redirect within its origin... */
  body = send_and_wait (client, same, &error);
  g_assert_no_error (error);
  g_assert_nonnull (body);
  g_clear_pointer (&body, g_bytes_unref);
  g_assert_cmpuint (f->auth_hits, ==, 1);
  g_assert_cmpstr (f->authorization, ==, "Bearer sk-secret");

  /* ...and never to another origin. */
  body = send_and_wait (client, other, &error);
  g_assert_no_error (error);
  g_clear_pointer (&body, g_bytes_unref);
  g_assert_cmpuint (f->auth_hits, ==, 2);
  g_assert_null (f->authorization);

  /* Every hop meets the URL policy. */
  body = send_and_wait (client, ftp, &error);
  g_assert_null (body);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_TLS);
}

static void
test_redirect_policy (void)
{
  static const struct {
    const char *from, *to, *origin;
    KinemaUrlPolicy policy;
    gboolean allowed, keep;
  } cases[] = {
    /* same origin keeps the key; another origin does not */
    { "https://api.example.com/v1/a", "https://api.example.com/v1/b", "https://api.example.com/v1/a", 0, TRUE, TRUE },
    { "https://api.example.com/v1/a", "https://cdn.example.net/x.mp4", "https://api.example.com/v1/a", 0, TRUE, FALSE },
    { "https://api.example.com/v1/a", "https://api.example.com:8443/b", "https://api.example.com/v1/a", 0, TRUE, FALSE },
    /* never https -> http, even to this computer */
    { "https://api.example.com/v1/a", "http://api.example.com/v1/a", "https://api.example.com/v1/a", 0, FALSE, FALSE },
    { "https://api.example.com/v1/a", "http://127.0.0.1/x", "https://api.example.com/v1/a", 0, FALSE, FALSE },
    /* a remote provider cannot send us into this computer or the local network */
    { "https://api.example.com/v1/a", "https://localhost/admin", "https://api.example.com/v1/a", 0, FALSE, FALSE },
    { "https://api.example.com/v1/a", "https://192.168.1.1/", "https://api.example.com/v1/a", 0, FALSE, FALSE },
    { "https://api.example.com/v1/a", "https://[fd00::1]/", "https://api.example.com/v1/a", 0, FALSE, FALSE },
    { "https://api.example.com/v1/a", "https://router.local/", "https://api.example.com/v1/a", 0, FALSE, FALSE },
    /* a provider that lives there may */
    { "http://127.0.0.1:8080/a", "http://localhost:9090/b", "http://127.0.0.1:8080/a", 0, TRUE, FALSE },
    { "http://192.168.1.5/a", "http://192.168.1.5/b", "http://192.168.1.5/a", KINEMA_URL_POLICY_ALLOW_PRIVATE_HTTP, TRUE, TRUE },
    /* the private-http permission covers only the provider's own host */
    { "http://192.168.1.5/a", "http://192.168.1.6/b", "http://192.168.1.5/a", KINEMA_URL_POLICY_ALLOW_PRIVATE_HTTP, FALSE, FALSE },
    /* the URL policy on every hop */
    { "https://api.example.com/v1/a", "ftp://files.example.com/x", "https://api.example.com/v1/a", 0, FALSE, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GUri) from = g_uri_parse (cases[i].from, SOUP_HTTP_URI_FLAGS, NULL);
      g_autoptr(GUri) to = g_uri_parse (cases[i].to, SOUP_HTTP_URI_FLAGS, NULL);
      g_autoptr(GUri) origin = g_uri_parse (cases[i].origin, SOUP_HTTP_URI_FLAGS, NULL);
      g_autoptr(GError) error = NULL;
      gboolean keep = TRUE;
      gboolean allowed = kinema_http_check_redirect (from, to, origin, cases[i].policy, &keep, &error);

      g_test_message ("%s -> %s", cases[i].from, cases[i].to);
      g_assert_cmpint (allowed, ==, cases[i].allowed);
      g_assert_cmpint (keep, ==, cases[i].keep);
      g_assert_true (allowed == (error == NULL));
    }

  /* Result URLs: a remote provider's may not point here; a local provider's may. */
  {
    g_autoptr(GUri) remote = g_uri_parse ("https://api.example.com/kling", SOUP_HTTP_URI_FLAGS, NULL);
    g_autoptr(GUri) local = g_uri_parse ("http://127.0.0.1:4000/kling", SOUP_HTTP_URI_FLAGS, NULL);
    g_autoptr(GUri) cdn = g_uri_parse ("https://cdn.example.net/a.mp4", SOUP_HTTP_URI_FLAGS, NULL);
    g_autoptr(GUri) here = g_uri_parse ("http://127.0.0.1:631/admin", SOUP_HTTP_URI_FLAGS, NULL);
    g_autoptr(GUri) lan = g_uri_parse ("https://10.0.0.1/a.mp4", SOUP_HTTP_URI_FLAGS, NULL);

    g_assert_true (kinema_http_check_result_url (cdn, remote, NULL));
    g_assert_false (kinema_http_check_result_url (here, remote, NULL));
    g_assert_false (kinema_http_check_result_url (lan, remote, NULL));
    g_assert_true (kinema_http_check_result_url (here, local, NULL));
  }
}

static void
test_transport_errors (void)
{
  g_autoptr(GError) timeout = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "t");
  g_autoptr(GError) tls = g_error_new_literal (G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE, "c");
  g_autoptr(GError) refused = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, "r");
  g_autoptr(GError) a = kinema_http_error_from_transport (timeout);
  g_autoptr(GError) b = kinema_http_error_from_transport (tls);
  g_autoptr(GError) c = kinema_http_error_from_transport (refused);

  g_assert_error (a, KINEMA_ERROR, KINEMA_ERROR_TIMEOUT);
  g_assert_error (b, KINEMA_ERROR, KINEMA_ERROR_TLS);
  g_assert_error (c, KINEMA_ERROR, KINEMA_ERROR_NETWORK);
}

int
main (int   argc,
      char *argv[])
{
  /* no desktop proxy settings: talk to 127.0.0.1 directly */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  log_text = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  g_test_add ("/kinema/http-client/user-agent-and-redaction", Fixture, NULL,
              fixture_setup, test_user_agent_and_redaction, fixture_teardown);
  g_test_add ("/kinema/http-client/retry-get", Fixture, NULL,
              fixture_setup, test_retry_get, fixture_teardown);
  g_test_add ("/kinema/http-client/no-retry-post", Fixture, NULL,
              fixture_setup, test_no_retry_post, fixture_teardown);
  g_test_add ("/kinema/http-client/cap", Fixture, NULL,
              fixture_setup, test_cap, fixture_teardown);
  g_test_add ("/kinema/http-client/redirects", Fixture, NULL, fixture_setup, test_redirects, fixture_teardown);
  g_test_add_func ("/kinema/http-client/redirect-policy", test_redirect_policy);
  g_test_add_func ("/kinema/http-client/refused", test_refused);
  g_test_add_func ("/kinema/http-client/plain-http-refused", test_plain_http_refused);
  g_test_add_func ("/kinema/http-client/private-http-policy", test_private_http_policy);
  g_test_add_func ("/kinema/http-client/retry-after", test_retry_after);
  g_test_add_func ("/kinema/http-client/transport-errors", test_transport_errors);

  return g_test_run ();
}
