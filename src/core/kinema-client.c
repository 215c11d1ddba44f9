/* kinema-client.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kinema-json.h"
#include "kinema-api-style.h"
#include "kinema-client.h"
#include "kinema-error.h"
#include "kinema-reply.h"
#include "kinema-secret.h"

#define CONNECTION_TEST_ID "kinema-connection-test-0"

struct _KinemaClient
{
  GObject parent_instance;

  KinemaHttpClient *http;
};

G_DEFINE_FINAL_TYPE (KinemaClient, kinema_client, G_TYPE_OBJECT)

static void
kinema_client_finalize (GObject *object)
{
  KinemaClient *self = (KinemaClient *) object;

  g_clear_object (&self->http);

  G_OBJECT_CLASS (kinema_client_parent_class)->finalize (object);
}

static void
kinema_client_class_init (KinemaClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kinema_client_finalize;
}

static void
kinema_client_init (KinemaClient *self)
{
}

KinemaClient *
kinema_client_new (KinemaHttpClient *http)
{
  KinemaClient *self;

  g_return_val_if_fail (http == NULL || KINEMA_IS_HTTP_CLIENT (http), NULL);

  self = g_object_new (KINEMA_TYPE_CLIENT, NULL);
  self->http = http ? g_object_ref (http) : kinema_http_client_new ();
  return self;
}

KinemaHttpClient *
kinema_client_get_http_client (KinemaClient *self)
{
  g_return_val_if_fail (KINEMA_IS_CLIENT (self), NULL);

  return self->http;
}

static GError *
invalid_input (const char *message)
{
  GError *error = kinema_error_new (KINEMA_ERROR_INVALID_INPUT, 0, NULL, NULL, NULL);

  g_free (error->message);
  error->message = g_strdup (message);
  return error;
}

/* Builds an authenticated JSON request, or returns NULL with @error set. */
static SoupMessage *
new_message (KinemaProvider *provider,
             const char     *method,
             const char     *url,
             JsonNode       *body,
             GError        **error)
{
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(KinemaSecret) authorization = NULL;
  SoupMessageHeaders *headers;

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    {
      g_propagate_error (error, invalid_input (_("The provider’s address is not valid.")));
      return NULL;
    }
  if (!kinema_http_check_url (uri, kinema_provider_get_url_policy (provider), error))
    return NULL;

  authorization = kinema_provider_dup_authorization (provider, error);
  if (authorization == NULL)
    return NULL;

  message = soup_message_new_from_uri (method, uri);
  kinema_http_message_set_url_policy (message, kinema_provider_get_url_policy (provider));
  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Authorization", authorization);
  soup_message_headers_replace (headers, "Accept", "application/json");

  if (body != NULL)
    {
      g_autofree char *text = json_to_string (body, FALSE);
      gsize            len = strlen (text);
      g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&text), len);

      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
    }

  return g_steal_pointer (&message);
}

typedef enum
{
  REPLY_SUBMIT,
  REPLY_STATUS,
  REPLY_CONNECTION,
  REPLY_LOOKUP,
} ReplyKind;

typedef struct
{
  KinemaProvider *provider;
  KinemaRequest  *request;
  SoupMessage    *message;
  char           *image;
  char           *image_tail;
  char           *external_task_id;
  ReplyKind       reply_kind;
} ClientData;

static void
client_data_free (ClientData *data)
{
  g_clear_object (&data->provider);
  g_clear_object (&data->request);
  g_clear_object (&data->message);
  g_clear_pointer (&data->image, g_free);
  g_clear_pointer (&data->image_tail, g_free);
  g_clear_pointer (&data->external_task_id, g_free);
  g_free (data);
}

/* TRUE when @body is one Kling task object whose task_info.external_task_id is @ours. */
static gboolean
lookup_matches (GBytes     *body,
                const char *ours)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize       size = 0;
  const char *raw = g_bytes_get_data (body, &size);
  JsonNode   *root;
  JsonNode   *data;
  JsonNode   *info;
  JsonNode   *external;

  if (ours == NULL || raw == NULL || size > KINEMA_REPLY_MAX_BYTES ||
      !kinema_json_parser_load (parser, raw, size, NULL))
    return FALSE;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  data = json_object_get_member (json_node_get_object (root), "data");
  if (data == NULL || !JSON_NODE_HOLDS_OBJECT (data))
    return FALSE;
  info = json_object_get_member (json_node_get_object (data), "task_info");
  if (info == NULL || !JSON_NODE_HOLDS_OBJECT (info))
    return FALSE;
  external = json_object_get_member (json_node_get_object (info), "external_task_id");
  return external != NULL && JSON_NODE_HOLDS_VALUE (external) &&
         json_node_get_value_type (external) == G_TYPE_STRING &&
         g_strcmp0 (json_node_get_string (external), ours) == 0;
}

static void
reply_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ClientData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(KinemaRemoteStatus) status = NULL;
  SoupMessageHeaders *headers;
  const char         *content_type;
  guint               http_status;
  gboolean            ok;

  body = kinema_http_client_send_and_read_finish (KINEMA_HTTP_CLIENT (object), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  headers = soup_message_get_response_headers (data->message);
  content_type = soup_message_headers_get_content_type (headers, NULL);
  http_status = soup_message_get_status (data->message);

  /* Crash recovery on Kling's own API: the single-task route answered for our
   * external_task_id. Adopt the task only when its task_info.external_task_id is ours;
   * anything else (another client's job, a list, an unknown id) is "not found yet". */
  if (data->reply_kind == REPLY_LOOKUP && http_status == SOUP_STATUS_OK &&
      !lookup_matches (body, data->external_task_id))
    {
      g_task_return_error (task, kinema_error_new (KINEMA_ERROR_NOT_FOUND, http_status, NULL,
                                                   "no job with this external_task_id yet", NULL));
      return;
    }

  if (data->reply_kind == REPLY_SUBMIT)
    ok = kinema_reply_parse_submit (http_status, content_type, body, &status, &error);
  else
    ok = kinema_reply_parse_status (http_status, content_type, body, &status, &error);

  if (data->reply_kind == REPLY_CONNECTION)
    {
      /* a well-formed "no such task" means the key was accepted */
      if (ok || g_error_matches (error, KINEMA_ERROR, KINEMA_ERROR_NOT_FOUND) ||
          g_error_matches (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_REQUEST))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!ok)
    {
      kinema_error_set_retry_after (error, kinema_http_parse_retry_after (headers, NULL));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&status), (GDestroyNotify) kinema_remote_status_free);
}

static void
send_message (GTask *task)
{
  KinemaClient *self = g_task_get_source_object (task);
  ClientData   *data = g_task_get_task_data (task);

  kinema_http_client_send_and_read_async (self->http, data->message,
                                          g_task_get_cancellable (task),
                                          reply_cb, g_object_ref (task));
}

/* Submit */

static char *
encode_local_image (const char   *path,
                    GCancellable *cancellable,
                    GError      **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  gsize            len = 0;

  if (!g_file_load_contents (file, cancellable, &contents, &len, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_propagate_error (error, invalid_input (_("The image could not be read.")));
      return NULL;
    }
  if (len > KINEMA_IMAGE_MAX_BYTES)
    {
      g_propagate_error (error, invalid_input (_("The image is larger than 10 MB.")));
      return NULL;
    }

  return g_base64_encode ((const guchar *) contents, len);
}

static void
encode_images_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  ClientData *data = task_data;
  const char *image = kinema_request_get_image (data->request);
  const char *image_tail = kinema_request_get_image_tail (data->request);
  GError     *error = NULL;

  if (image != NULL && *image != '\0' && !kinema_api_style_is_remote_image (image))
    {
      data->image = encode_local_image (image, cancellable, &error);
      if (data->image == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  if (image_tail != NULL && *image_tail != '\0' && !kinema_api_style_is_remote_image (image_tail))
    {
      data->image_tail = encode_local_image (image_tail, cancellable, &error);
      if (data->image_tail == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  g_task_return_boolean (task, TRUE);
}

static void
images_ready_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ClientData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *url = NULL;
  KinemaApiStyle   style = kinema_provider_get_api_style (data->provider);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  body = kinema_api_style_build_submit_body (style, data->request, data->image, data->image_tail, &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  url = kinema_api_style_build_submit_url (style, kinema_provider_get_base_url (data->provider),
                                           kinema_request_get_kind (data->request));
  data->message = new_message (data->provider, "POST", url, body, &error);
  if (data->message == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* POST is never retried by the HTTP client: the job is paid for once */
  send_message (task);
}

void
kinema_client_submit_async (KinemaClient       *self,
                            KinemaProvider     *provider,
                            KinemaRequest      *request,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) encode = NULL;
  g_autoptr(GError) error = NULL;
  ClientData *data;

  g_return_if_fail (KINEMA_IS_CLIENT (self));
  g_return_if_fail (KINEMA_IS_PROVIDER (provider));
  g_return_if_fail (KINEMA_IS_REQUEST (request));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kinema_client_submit_async);

  data = g_new0 (ClientData, 1);
  data->provider = g_object_ref (provider);
  data->request = kinema_request_copy (request);
  data->reply_kind = REPLY_SUBMIT;
  g_task_set_task_data (task, data, (GDestroyNotify) client_data_free);

  if (!kinema_provider_validate (provider, &error) ||
      !kinema_request_validate (data->request, &error) ||
      !kinema_provider_check_request (provider, data->request, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* file reading and base64 run off the main thread */
  encode = g_task_new (self, cancellable, images_ready_cb, g_object_ref (task));
  g_task_set_source_tag (encode, encode_images_thread);
  g_task_set_task_data (encode, data, NULL);
  g_task_run_in_thread (encode, encode_images_thread);
}

KinemaRemoteStatus *
kinema_client_submit_finish (KinemaClient *self,
                             GAsyncResult *result,
                             GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Polls */

static void
get_async (KinemaClient       *self,
           KinemaProvider     *provider,
           const char         *url,
           ReplyKind           reply_kind,
           const char         *external_task_id,
           gpointer            source_tag,
           GCancellable       *cancellable,
           GAsyncReadyCallback callback,
           gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  ClientData *data;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  data = g_new0 (ClientData, 1);
  data->provider = g_object_ref (provider);
  data->reply_kind = reply_kind;
  data->external_task_id = g_strdup (external_task_id);
  g_task_set_task_data (task, data, (GDestroyNotify) client_data_free);

  if (!kinema_provider_validate (provider, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data->message = new_message (provider, "GET", url, NULL, &error);
  if (data->message == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  send_message (task);
}

void
kinema_client_poll_async (KinemaClient       *self,
                          KinemaProvider     *provider,
                          KinemaTaskKind      kind,
                          const char         *remote_id,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  g_autofree char *url = NULL;

  g_return_if_fail (KINEMA_IS_CLIENT (self));
  g_return_if_fail (KINEMA_IS_PROVIDER (provider));
  g_return_if_fail (remote_id != NULL);

  url = kinema_api_style_build_poll_url (kinema_provider_get_api_style (provider),
                                         kinema_provider_get_base_url (provider),
                                         kind, remote_id);
  get_async (self, provider, url, REPLY_STATUS, NULL, kinema_client_poll_async,
             cancellable, callback, user_data);
}

KinemaRemoteStatus *
kinema_client_poll_finish (KinemaClient *self,
                           GAsyncResult *result,
                           GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
kinema_client_supports_external_lookup (KinemaClient   *self,
                                        KinemaProvider *provider)
{
  g_return_val_if_fail (KINEMA_IS_PROVIDER (provider), FALSE);

  /* Kling's own API, whether signed in with a key pair or a single API key */
  return (kinema_provider_get_caps (provider) & KINEMA_PROVIDER_CAP_OFFICIAL_KLING) != 0;
}

void
kinema_client_lookup_external_async (KinemaClient       *self,
                                     KinemaProvider     *provider,
                                     KinemaTaskKind      kind,
                                     const char         *external_task_id,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data)
{
  g_autofree char *url = NULL;

  g_return_if_fail (KINEMA_IS_CLIENT (self));
  g_return_if_fail (KINEMA_IS_PROVIDER (provider));
  g_return_if_fail (external_task_id != NULL);

  if (!kinema_client_supports_external_lookup (self, provider))
    {
      g_task_report_error (self, callback, user_data, kinema_client_lookup_external_async,
                           kinema_error_new (KINEMA_ERROR_UNSUPPORTED_ROUTE, 0, NULL,
                                             "lookup by external_task_id needs the official Kling API",
                                             NULL));
      return;
    }

  url = kinema_api_style_build_lookup_url (kinema_provider_get_base_url (provider), kind, external_task_id);
  get_async (self, provider, url, REPLY_LOOKUP, external_task_id, kinema_client_lookup_external_async,
             cancellable, callback, user_data);
}

KinemaRemoteStatus *
kinema_client_lookup_external_finish (KinemaClient *self,
                                      GAsyncResult *result,
                                      GError      **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
kinema_client_test_connection_async (KinemaClient       *self,
                                     KinemaProvider     *provider,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data)
{
  g_autofree char *url = NULL;

  g_return_if_fail (KINEMA_IS_CLIENT (self));
  g_return_if_fail (KINEMA_IS_PROVIDER (provider));

  url = kinema_api_style_build_poll_url (kinema_provider_get_api_style (provider),
                                         kinema_provider_get_base_url (provider),
                                         KINEMA_TASK_KIND_TEXT_TO_VIDEO, CONNECTION_TEST_ID);
  get_async (self, provider, url, REPLY_CONNECTION, NULL, kinema_client_test_connection_async,
             cancellable, callback, user_data);
}

gboolean
kinema_client_test_connection_finish (KinemaClient *self,
                                      GAsyncResult *result,
                                      GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Downloads */

static gboolean
same_origin (GUri *a,
             GUri *b)
{
  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_uri_get_host (a) != NULL && g_uri_get_host (b) != NULL &&
         g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 &&
         g_uri_get_port (a) == g_uri_get_port (b);
}

SoupMessage *
kinema_client_new_download_message (KinemaClient   *self,
                                    KinemaProvider *provider,
                                    const char     *video_url,
                                    const char     *remote_id,
                                    GError        **error)
{
  g_autofree char *url = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) base = NULL;
  g_autoptr(SoupMessage) message = NULL;

  g_return_val_if_fail (KINEMA_IS_PROVIDER (provider), NULL);

  if (video_url != NULL && *video_url != '\0')
    url = g_strdup (video_url);
  else if (remote_id != NULL && *remote_id != '\0')
    url = kinema_api_style_build_content_url (kinema_provider_get_base_url (provider), remote_id);
  else
    {
      g_propagate_error (error, kinema_error_new (KINEMA_ERROR_BAD_REPLY, 0, NULL,
                                                  "no video address and no task id", NULL));
      return NULL;
    }

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    {
      g_propagate_error (error, kinema_error_new (KINEMA_ERROR_BAD_REPLY, 0, NULL,
                                                  "the video address is not valid", NULL));
      return NULL;
    }
  base = g_uri_parse (kinema_provider_get_base_url (provider), G_URI_FLAGS_ENCODED, NULL);

  /* the key goes only to the provider's own host, never to a CDN; the provider's
   * permission for plain http on a private network covers only its own host too */
  if (base != NULL && same_origin (uri, base))
    {
      g_autoptr(KinemaSecret) authorization = NULL;

      if (!kinema_http_check_url (uri, kinema_provider_get_url_policy (provider), error))
        return NULL;
      authorization = kinema_provider_dup_authorization (provider, error);
      if (authorization == NULL)
        return NULL;
      message = soup_message_new_from_uri ("GET", uri);
      kinema_http_message_set_url_policy (message, kinema_provider_get_url_policy (provider));
      soup_message_headers_replace (soup_message_get_request_headers (message),
                                    "Authorization", authorization);
    }
  else
    {
      if (!kinema_http_uri_is_allowed (uri, error) || !kinema_http_check_result_url (uri, base, error))
        return NULL;
      message = soup_message_new_from_uri ("GET", uri);
    }

  return g_steal_pointer (&message);
}
