/* kinema-http-client.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-http-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "kinema-error.h"
#include "kinema-http-client.h"

#define DEFAULT_TIMEOUT_S     60
#define DEFAULT_MAX_RETRIES   3
#define DEFAULT_BASE_DELAY_MS 1000
#define MAX_RETRY_DELAY_MS    (60 * 1000)
#define READ_CHUNK            (64 * 1024)

struct _KinemaHttpClient
{
  GObject      parent_instance;

  SoupSession *session;
  guint        max_retries;
  guint        base_delay_ms;
};

G_DEFINE_FINAL_TYPE (KinemaHttpClient, kinema_http_client, G_TYPE_OBJECT)

static void
kinema_http_client_finalize (GObject *object)
{
  KinemaHttpClient *self = (KinemaHttpClient *)object;

  g_clear_object (&self->session);

  G_OBJECT_CLASS (kinema_http_client_parent_class)->finalize (object);
}

static void
kinema_http_client_class_init (KinemaHttpClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kinema_http_client_finalize;
}

/* SoupLogger printer: every line goes to g_debug, credentials never do. */
static void
log_printer (SoupLogger         *logger,
             SoupLoggerLogLevel  level,
             char                direction,
             const char         *data,
             gpointer            user_data)
{
  if (g_ascii_strncasecmp (data, "Authorization:", 14) == 0 ||
      g_ascii_strncasecmp (data, "Proxy-Authorization:", 20) == 0 ||
      g_ascii_strncasecmp (data, "Cookie:", 7) == 0)
    {
      const char *colon = strchr (data, ':');

      g_debug ("%c %.*s: [redacted]", direction, (int) (colon - data), data);
      return;
    }

  g_debug ("%c %s", direction, data);
}

static void
kinema_http_client_init (KinemaHttpClient *self)
{
  g_autofree char *user_agent = g_strdup_printf ("Kinema/%s", PACKAGE_VERSION);
  g_autoptr(SoupLogger) logger = soup_logger_new (SOUP_LOGGER_LOG_HEADERS);

  /* The scheduler runs up to 4 polls per provider, beside downloads from the same host:
   * libsoup's default of 2 connections per host would queue them behind each other. */
  self->session = soup_session_new_with_options ("user-agent", user_agent,
                                                 "timeout", DEFAULT_TIMEOUT_S,
                                                 "idle-timeout", DEFAULT_TIMEOUT_S,
                                                 "max-conns-per-host", 8,
                                                 "max-conns", 32,
                                                 NULL);
  soup_logger_set_printer (logger, log_printer, NULL, NULL);
  soup_session_add_feature (self->session, SOUP_SESSION_FEATURE (logger));

  self->max_retries = DEFAULT_MAX_RETRIES;
  self->base_delay_ms = DEFAULT_BASE_DELAY_MS;
}

KinemaHttpClient *
kinema_http_client_new (void)
{
  return g_object_new (KINEMA_TYPE_HTTP_CLIENT, NULL);
}

SoupSession *
kinema_http_client_get_session (KinemaHttpClient *self)
{
  g_return_val_if_fail (KINEMA_IS_HTTP_CLIENT (self), NULL);

  return self->session;
}

void
kinema_http_client_set_retry_policy (KinemaHttpClient *self,
                                     guint             max_retries,
                                     guint             base_delay_ms)
{
  g_return_if_fail (KINEMA_IS_HTTP_CLIENT (self));

  self->max_retries = max_retries;
  self->base_delay_ms = base_delay_ms;
}

static GInetAddress *
address_from_host (const char *host)
{
  g_autofree char *bare = NULL;
  gsize            len;

  if (host == NULL || host[0] == '\0')
    return NULL;

  len = strlen (host);
  if (host[0] == '[' && host[len - 1] == ']')
    bare = g_strndup (host + 1, len - 2);
  else
    bare = g_strdup (host);

  return g_inet_address_new_from_string (bare);
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = address_from_host (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static gboolean
has_suffix_nocase (const char *host,
                   const char *suffix)
{
  gsize host_len = strlen (host);
  gsize suffix_len = strlen (suffix);

  /* a name under the suffix, never the bare suffix itself */
  return host_len > suffix_len && g_ascii_strcasecmp (host + host_len - suffix_len, suffix) == 0;
}

/**
 * kinema_http_host_is_private:
 * @host: (nullable): a host name or IP literal, as in a URL
 *
 * Whether @host is on the user's own network: an IPv4 address in 10/8, 172.16/12,
 * 192.168/16 (RFC 1918) or 169.254/16 (link-local), an IPv6 address in fc00::/7
 * (RFC 4193) or fe80::/10, or a name under `.local` (mDNS, RFC 6762) or `.home.arpa`
 * (RFC 8375). Loopback is not counted here: it is always allowed.
 *
 * Returns: %TRUE for a private-network host
 */
gboolean
kinema_http_host_is_private (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL || host[0] == '\0')
    return FALSE;

  address = address_from_host (host);
  if (address == NULL)
    return has_suffix_nocase (host, ".local") || has_suffix_nocase (host, ".home.arpa");

  if (g_inet_address_get_is_loopback (address) || g_inet_address_get_is_any (address) ||
      g_inet_address_get_is_multicast (address))
    return FALSE;
  if (g_inet_address_get_is_link_local (address))
    return TRUE;
  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV4)
    return g_inet_address_get_is_site_local (address);

  /* IPv6 unique local addresses, fc00::/7 */
  return (g_inet_address_to_bytes (address)[0] & 0xfe) == 0xfc;
}

/**
 * kinema_http_check_url:
 * @uri: (nullable): the address a request is about to go to
 * @policy: what the provider of the request allows
 * @error: return location for a %KINEMA_ERROR_TLS error
 *
 * The one place that decides where Kinema may connect: https:// to any host,
 * plain http:// to this computer, and plain http:// to a private-network address
 * (kinema_http_host_is_private()) only with %KINEMA_URL_POLICY_ALLOW_PRIVATE_HTTP.
 * Every request and every redirect hop goes through it.
 *
 * Returns: %TRUE if a request may go to @uri
 */
gboolean
kinema_http_check_url (GUri           *uri,
                       KinemaUrlPolicy policy,
                       GError        **error)
{
  const char *scheme = uri ? g_uri_get_scheme (uri) : NULL;
  const char *host = uri ? g_uri_get_host (uri) : NULL;
  gboolean    private_http = FALSE;

  if (scheme != NULL && g_ascii_strcasecmp (scheme, "https") == 0 && host != NULL && host[0] != '\0')
    return TRUE;

  if (scheme != NULL && g_ascii_strcasecmp (scheme, "http") == 0)
    {
      if (host_is_loopback (host))
        return TRUE;
      private_http = kinema_http_host_is_private (host);
      if (private_http && (policy & KINEMA_URL_POLICY_ALLOW_PRIVATE_HTTP) != 0)
        return TRUE;
    }

  if (error != NULL)
    {
      *error = kinema_error_new (KINEMA_ERROR_TLS, 0, NULL,
                                 private_http
                                     ? "plain http to a private address is not allowed for this provider"
                                     : "only https:// addresses are allowed (plain http only to this computer "
                                       "or an allowed private network)",
                                 NULL);
      g_free ((*error)->message);
      if (private_http)
        (*error)->message = g_strdup (_("This address on your own network uses plain http://. To use it, "
                                        "allow unencrypted connections for this provider; the key then "
                                        "travels unencrypted."));
      else
        (*error)->message = g_strdup (_("This address is not secure. Use an address that starts with "
                                        "https://. Plain http:// is only allowed for this computer or, "
                                        "when you allow it, for your own network."));
    }
  return FALSE;
}

gboolean
kinema_http_uri_is_allowed (GUri    *uri,
                            GError **error)
{
  return kinema_http_check_url (uri, KINEMA_URL_POLICY_DEFAULT, error);
}

static gboolean
host_is_local (const char *host)
{
  return host_is_loopback (host) || kinema_http_host_is_private (host);
}

static gboolean
same_origin (GUri *a,
             GUri *b)
{
  const char *scheme_a = g_uri_get_scheme (a);
  const char *scheme_b = g_uri_get_scheme (b);

  return scheme_a != NULL && scheme_b != NULL && g_ascii_strcasecmp (scheme_a, scheme_b) == 0 &&
         g_uri_get_host (a) != NULL && g_uri_get_host (b) != NULL &&
         g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 &&
         g_uri_get_port (a) == g_uri_get_port (b);
}

/**
 * kinema_http_check_result_url:
 * @url: a result or download address a provider handed out
 * @provider: the provider's own address
 * @error: return location for a %KINEMA_ERROR_BAD_REPLY error
 *
 * A provider on the internet has no business sending Kinema to this computer or
 * to the user's own network (a router's admin page, a local service): such an
 * address is refused, unless the provider itself lives there.
 *
 * Returns: %TRUE if @url may be fetched for @provider
 */
gboolean
kinema_http_check_result_url (GUri    *url,
                              GUri    *provider,
                              GError **error)
{
  g_return_val_if_fail (url != NULL, FALSE);

  if (host_is_local (g_uri_get_host (url)) && (provider == NULL || !host_is_local (g_uri_get_host (provider))))
    {
      g_propagate_error (error, kinema_error_new (KINEMA_ERROR_BAD_REPLY, 0, NULL,
                                                  "a remote provider pointed to this computer or the local network",
                                                  NULL));
      return FALSE;
    }
  return TRUE;
}

/**
 * kinema_http_check_redirect:
 * @from: the address that answered with a redirect
 * @to: the address it points to
 * @origin: the address the request was first sent to
 * @policy: the request's URL policy
 * @keep_authorization: (out): whether the request's `Authorization` may go to @to
 * @error: return location for a #KINEMA_ERROR error
 *
 * Every redirect hop is checked as a new request: the URL policy (the permission
 * for plain http on a private network covers only the origin itself), never from
 * https:// down to http://, never from a remote origin into this computer or the
 * local network, and the key only to the origin (libsoup builds before 3.6 sent it
 * on; we do not rely on the library for this).
 *
 * Returns: %TRUE if the redirect may be followed
 */
gboolean
kinema_http_check_redirect (GUri            *from,
                            GUri            *to,
                            GUri            *origin,
                            KinemaUrlPolicy  policy,
                            gboolean        *keep_authorization,
                            GError         **error)
{
  gboolean same;

  g_return_val_if_fail (from != NULL && to != NULL && origin != NULL, FALSE);

  if (keep_authorization != NULL)
    *keep_authorization = FALSE;

  if (g_ascii_strcasecmp (g_uri_get_scheme (from), "https") == 0 &&
      g_strcmp0 (g_uri_get_scheme (to), "https") != 0)
    {
      g_propagate_error (error, kinema_error_new (KINEMA_ERROR_TLS, 0, NULL,
                                                  "redirected from https:// to an insecure address", NULL));
      return FALSE;
    }

  same = same_origin (to, origin);
  if (!kinema_http_check_url (to, same ? policy : KINEMA_URL_POLICY_DEFAULT, error))
    return FALSE;
  if (!kinema_http_check_result_url (to, origin, error))
    return FALSE;

  if (keep_authorization != NULL)
    *keep_authorization = same;
  return TRUE;
}

static GQuark
url_policy_quark (void)
{
  return g_quark_from_static_string ("kinema-url-policy");
}

/**
 * kinema_http_message_set_url_policy:
 * @message: a #SoupMessage
 * @policy: what the message's provider allows
 *
 * Keeps @policy with @message, for the checks when it is sent and on redirects.
 */
void
kinema_http_message_set_url_policy (SoupMessage    *message,
                                    KinemaUrlPolicy policy)
{
  g_return_if_fail (SOUP_IS_MESSAGE (message));

  g_object_set_qdata (G_OBJECT (message), url_policy_quark (), GUINT_TO_POINTER ((guint) policy));
}

/**
 * kinema_http_message_get_url_policy:
 * @message: a #SoupMessage
 *
 * Returns: the policy set with kinema_http_message_set_url_policy(), else the default
 */
KinemaUrlPolicy
kinema_http_message_get_url_policy (SoupMessage *message)
{
  g_return_val_if_fail (SOUP_IS_MESSAGE (message), KINEMA_URL_POLICY_DEFAULT);

  return (KinemaUrlPolicy) GPOINTER_TO_UINT (g_object_get_qdata (G_OBJECT (message), url_policy_quark ()));
}

GError *
kinema_http_error_from_transport (const GError *error)
{
  KinemaErrorCode code = KINEMA_ERROR_NETWORK;

  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == KINEMA_ERROR ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (error->domain == G_TLS_ERROR)
    code = KINEMA_ERROR_TLS;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    code = KINEMA_ERROR_TIMEOUT;
  else if (error->domain == SOUP_SESSION_ERROR)
    code = KINEMA_ERROR_BAD_REPLY;

  return kinema_error_new (code, 0, NULL, error->message, NULL);
}

gint64
kinema_http_parse_retry_after (SoupMessageHeaders *headers,
                               GDateTime          *now)
{
  const char *value;
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) local_now = NULL;
  gint64 diff;

  if (headers == NULL)
    return -1;
  value = soup_message_headers_get_one (headers, "Retry-After");
  if (value == NULL)
    return -1;

  while (g_ascii_isspace (*value))
    value++;

  if (g_ascii_isdigit (*value))
    {
      char *end = NULL;
      guint64 seconds = g_ascii_strtoull (value, &end, 10);

      while (end != NULL && g_ascii_isspace (*end))
        end++;
      if (end == NULL || *end != '\0')
        return -1;
      return (gint64) MIN (seconds, KINEMA_HTTP_MAX_RETRY_AFTER_MS / 1000) * 1000;
    }

  date = soup_date_time_new_from_http_string (value);
  if (date == NULL)
    return -1;
  if (now == NULL)
    now = local_now = g_date_time_new_now_utc ();
  diff = g_date_time_difference (date, now) / 1000;
  return CLAMP (diff, 0, KINEMA_HTTP_MAX_RETRY_AFTER_MS);
}

/* Sending with retries and a capped read */

typedef struct
{
  SoupMessage *message;
  GByteArray  *buffer;
  GInputStream *stream;
  GUri         *origin; /* where the request was first sent */
  guint         attempt;
  guint         hops;
  gboolean      read_body;
  gboolean      wrote; /* the request (or part of it) went out at least once */
  gulong        wrote_id;
} SendData;

static void
send_data_free (SendData *data)
{
  g_clear_signal_handler (&data->wrote_id, data->message);
  g_clear_object (&data->message);
  g_clear_pointer (&data->origin, g_uri_unref);
  g_clear_pointer (&data->buffer, g_byte_array_unref);
  g_clear_object (&data->stream);
  g_free (data);
}

static gboolean
message_is_idempotent (SoupMessage *message)
{
  const char *method = soup_message_get_method (message);

  return g_strcmp0 (method, "GET") == 0 || g_strcmp0 (method, "HEAD") == 0;
}

static gboolean
status_is_retryable (guint status)
{
  return status == 408 || status == 429 || status == 500 || status == 502 ||
         status == 503 || status == 504;
}

static void start_send (GTask *task);

/* "wrote-headers" is emitted once the request line and headers are out; a connection
 * that failed before (refused, DNS, TLS handshake) never emits it. */
static void
on_wrote_headers (SoupMessage *message,
                  SendData    *data)
{
  data->wrote = TRUE;
}

static GError *
transport_error (SendData     *data,
                 const GError *error)
{
  GError *mapped = kinema_http_error_from_transport (error);

  if (!data->wrote && mapped->domain == KINEMA_ERROR &&
      (mapped->code == KINEMA_ERROR_NETWORK || mapped->code == KINEMA_ERROR_TLS ||
       mapped->code == KINEMA_ERROR_TIMEOUT))
    kinema_error_set_not_sent (mapped, TRUE);
  return mapped;
}

static gboolean
retry_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;

  start_send (task);
  return G_SOURCE_REMOVE;
}

/* Returns TRUE if another attempt was scheduled. */
static gboolean
maybe_retry (GTask   *task,
             gboolean transport_failed)
{
  KinemaHttpClient *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  gint64 delay_ms;
  gint64 retry_after;
  GSource *source;

  if (!message_is_idempotent (data->message) || data->attempt >= self->max_retries)
    return FALSE;
  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    return FALSE;
  if (!transport_failed && !status_is_retryable (soup_message_get_status (data->message)))
    return FALSE;

  delay_ms = (gint64) self->base_delay_ms << data->attempt;
  delay_ms += g_random_int_range (0, (gint32) MAX (1, delay_ms / 2));
  retry_after = kinema_http_parse_retry_after (soup_message_get_response_headers (data->message), NULL);
  if (retry_after > delay_ms)
    delay_ms = retry_after;
  delay_ms = MIN (delay_ms, MAX_RETRY_DELAY_MS);

  data->attempt++;
  g_debug ("Retrying %s in %" G_GINT64_FORMAT " ms (attempt %u)",
           g_uri_get_path (soup_message_get_uri (data->message)), delay_ms, data->attempt);

  g_clear_object (&data->stream);
  g_byte_array_set_size (data->buffer, 0);

  source = g_timeout_source_new ((guint) delay_ms);
  g_task_attach_source (task, source, retry_timeout_cb);
  g_source_unref (source);
  return TRUE;
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && maybe_retry (task, TRUE))
        return;
      g_task_return_error (task, transport_error (data, error));
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      g_input_stream_close (data->stream, NULL, NULL);
      if (maybe_retry (task, FALSE))
        return;
      g_task_return_pointer (task,
                             g_byte_array_free_to_bytes (g_steal_pointer (&data->buffer)),
                             (GDestroyNotify) g_bytes_unref);
      return;
    }

  g_byte_array_append (data->buffer, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  if (data->buffer->len > KINEMA_HTTP_MAX_REPLY_BYTES)
    {
      g_input_stream_close (data->stream, NULL, NULL);
      g_task_return_error (task, kinema_error_new (KINEMA_ERROR_BAD_REPLY,
                                                   soup_message_get_status (data->message),
                                                   NULL, "reply too large", NULL));
      return;
    }

  g_input_stream_read_bytes_async (data->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_cb,
                                   g_object_ref (task));
}

/* libsoup follows no redirect of ours (SOUP_MESSAGE_NO_REDIRECT): each hop is checked
 * here as a new request. Returns TRUE if @stream was a redirect that is now followed,
 * or that ended the task with an error. */
static gboolean
handle_redirect (GTask        *task,
                 GInputStream *stream)
{
  SendData    *data = g_task_get_task_data (task);
  guint        status = soup_message_get_status (data->message);
  const char  *location;
  g_autoptr(GUri) to = NULL;
  g_autoptr(GError) error = NULL;
  gboolean     keep_authorization = FALSE;

  if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308)
    return FALSE;
  location = soup_message_headers_get_one (soup_message_get_response_headers (data->message), "Location");
  /* A submit is never sent twice, redirected or not: its 3xx is read as a reply. */
  if (location == NULL || !message_is_idempotent (data->message))
    return FALSE;

  g_input_stream_close (stream, NULL, NULL);
  if (++data->hops > KINEMA_HTTP_MAX_REDIRECTS)
    {
      g_task_return_error (task, kinema_error_new (KINEMA_ERROR_BAD_REPLY, status, NULL,
                                                   "too many redirects", NULL));
      return TRUE;
    }
  to = g_uri_parse_relative (soup_message_get_uri (data->message), location, SOUP_HTTP_URI_FLAGS, NULL);
  if (to == NULL)
    {
      g_task_return_error (task, kinema_error_new (KINEMA_ERROR_BAD_REPLY, status, NULL,
                                                   "the redirect address is not valid", NULL));
      return TRUE;
    }
  if (!kinema_http_check_redirect (soup_message_get_uri (data->message), to, data->origin,
                                   kinema_http_message_get_url_policy (data->message), &keep_authorization,
                                   &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return TRUE;
    }
  if (!keep_authorization)
    {
      soup_message_headers_remove (soup_message_get_request_headers (data->message), "Authorization");
      kinema_http_message_set_url_policy (data->message, KINEMA_URL_POLICY_DEFAULT);
    }

  g_debug ("Following a %u redirect (hop %u)", status, data->hops);
  soup_message_set_uri (data->message, to);
  /* The message leaves the session's queue only once the closed stream is done with. */
  {
    GSource *source = g_idle_source_new ();

    g_task_attach_source (task, source, retry_timeout_cb);
    g_source_unref (source);
  }
  return TRUE;
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GInputStream *stream;
  goffset length;

  stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (stream == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && maybe_retry (task, TRUE))
        return;
      g_task_return_error (task, transport_error (data, error));
      return;
    }

  if (handle_redirect (task, stream))
    {
      g_object_unref (stream);
      return;
    }

  if (!data->read_body)
    {
      if (!status_is_retryable (soup_message_get_status (data->message)) || !maybe_retry (task, FALSE))
        {
          g_task_return_pointer (task, stream, g_object_unref);
          return;
        }
      g_object_unref (stream);
      return;
    }

  length = soup_message_headers_get_content_length (soup_message_get_response_headers (data->message));
  if (length > KINEMA_HTTP_MAX_REPLY_BYTES)
    {
      g_input_stream_close (stream, NULL, NULL);
      g_object_unref (stream);
      g_task_return_error (task, kinema_error_new (KINEMA_ERROR_BAD_REPLY,
                                                   soup_message_get_status (data->message),
                                                   NULL, "reply too large", NULL));
      return;
    }

  data->stream = stream;
  g_input_stream_read_bytes_async (data->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_cb,
                                   g_object_ref (task));
}

static void
start_send (GTask *task)
{
  KinemaHttpClient *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);

  soup_session_send_async (self->session, data->message, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task), send_cb, g_object_ref (task));
}

static void
send_common (KinemaHttpClient    *self,
             SoupMessage         *message,
             gboolean             read_body,
             gpointer             source_tag,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  SendData *data;

  g_return_if_fail (KINEMA_IS_HTTP_CLIENT (self));
  g_return_if_fail (SOUP_IS_MESSAGE (message));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  data = g_new0 (SendData, 1);
  data->message = g_object_ref (message);
  data->buffer = g_byte_array_new ();
  data->read_body = read_body;
  data->origin = g_uri_ref (soup_message_get_uri (message));
  data->wrote_id = g_signal_connect (message, "wrote-headers", G_CALLBACK (on_wrote_headers), data);
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);

  if (!kinema_http_check_url (soup_message_get_uri (message), kinema_http_message_get_url_policy (message),
                              &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  start_send (task);
}

void
kinema_http_client_send_and_read_async (KinemaHttpClient    *self,
                                        SoupMessage         *message,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  send_common (self, message, TRUE, kinema_http_client_send_and_read_async,
               cancellable, callback, user_data);
}

GBytes *
kinema_http_client_send_and_read_finish (KinemaHttpClient  *self,
                                         GAsyncResult      *result,
                                         GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
kinema_http_client_send_async (KinemaHttpClient    *self,
                               SoupMessage         *message,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  send_common (self, message, FALSE, kinema_http_client_send_async,
               cancellable, callback, user_data);
}

GInputStream *
kinema_http_client_send_finish (KinemaHttpClient  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
