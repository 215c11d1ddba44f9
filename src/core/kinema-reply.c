/* kinema-reply.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-reply"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#include "kinema-json.h"
#include "kinema-error.h"
#include "kinema-reply.h"

static JsonObject *
get_object (JsonObject *obj,
            const char *name)
{
  JsonNode *node;

  if (obj == NULL || !json_object_has_member (obj, name))
    return NULL;
  node = json_object_get_member (obj, name);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

/* A string member, or a number member printed as a string (ids and codes come both ways). */
static char *
dup_string (JsonObject *obj,
            const char *name)
{
  JsonNode *node;
  GType type;

  if (obj == NULL || !json_object_has_member (obj, name))
    return NULL;
  node = json_object_get_member (obj, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (type == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (type == G_TYPE_DOUBLE)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
    }
  return NULL;
}

static char *
dup_nonempty_string (JsonObject *obj,
                     const char *name)
{
  char *str = dup_string (obj, name);

  if (str != NULL && str[0] == '\0')
    g_clear_pointer (&str, g_free);
  return str;
}

static gboolean
get_number (JsonObject *obj,
            const char *name,
            double     *out)
{
  JsonNode *node;
  GType type;

  if (obj == NULL || !json_object_has_member (obj, name))
    return FALSE;
  node = json_object_get_member (obj, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    {
      *out = (double) json_node_get_int (node);
      return TRUE;
    }
  if (type == G_TYPE_DOUBLE)
    {
      *out = json_node_get_double (node);
      return TRUE;
    }
  if (type == G_TYPE_STRING)
    {
      const char *str = json_node_get_string (node);
      char *end = NULL;
      double value;

      if (str == NULL || *str == '\0')
        return FALSE;
      value = g_ascii_strtod (str, &end);
      if (end == str)
        return FALSE;
      while (g_ascii_isspace (*end))
        end++;
      if (*end == '%')
        end++;
      if (*end != '\0')
        return FALSE;
      *out = value;
      return TRUE;
    }
  return FALSE;
}

/* A provider's video id as we keep it: short, printable ASCII (it goes back into a
 * request body and the history), else dropped. */
static char *
dup_video_id (JsonObject *video)
{
  g_autofree char *id = dup_nonempty_string (video, "id");

  if (id == NULL || strlen (id) > 128)
    return NULL;
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isgraph (*p))
      return NULL;
  return g_steal_pointer (&id);
}

static char *
dup_first_video_url (JsonObject *data,
                     double     *duration,
                     char      **video_id)
{
  JsonObject *result = get_object (data, "task_result");
  JsonNode *videos;
  JsonArray *array;
  JsonNode *first;

  if (result == NULL || !json_object_has_member (result, "videos"))
    return NULL;
  videos = json_object_get_member (result, "videos");
  if (!JSON_NODE_HOLDS_ARRAY (videos))
    return NULL;
  array = json_node_get_array (videos);
  if (json_array_get_length (array) == 0)
    return NULL;
  first = json_array_get_element (array, 0);
  if (!JSON_NODE_HOLDS_OBJECT (first))
    return NULL;

  if (duration != NULL)
    {
      double value;

      if (get_number (json_node_get_object (first), "duration", &value) && value > 0 && value < 1e6)
        *duration = value;
    }
  /* task_result.videos[].id: the id video-extend takes (Kling docs, query reply; PROTOCOL.md 1.7). */
  if (video_id != NULL)
    *video_id = dup_video_id (json_node_get_object (first));

  return dup_nonempty_string (json_node_get_object (first), "url");
}

static gboolean
is_http_url (const char *str)
{
  return str != NULL &&
         (g_ascii_strncasecmp (str, "https://", 8) == 0 ||
          g_ascii_strncasecmp (str, "http://", 7) == 0);
}

/* Unix seconds or milliseconds, to milliseconds. */
static gint64
to_ms (double value)
{
  if (!(value > 0) || value > 1e15)
    return 0;
  if (value < 1e11)
    return (gint64) (value * 1000);
  return (gint64) value;
}

KinemaRemoteState
kinema_reply_map_status (const char *status)
{
  static const char * const queued[] = { "submitted", "queued", "queueing", "not_start",
                                         "created", "pending", "waiting", NULL };
  static const char * const running[] = { "processing", "in_progress", "running",
                                          "generating", NULL };
  static const char * const succeeded[] = { "succeed", "succeeded", "success", "completed",
                                            "complete", "done", NULL };
  static const char * const failed[] = { "failed", "failure", "fail", "error", "cancelled",
                                         "canceled", NULL };
  g_autofree char *lower = NULL;

  if (status == NULL)
    return KINEMA_REMOTE_STATE_PENDING;

  lower = g_ascii_strdown (status, -1);
  g_strstrip (lower);

  if (g_strv_contains (queued, lower))
    return KINEMA_REMOTE_STATE_QUEUED;
  if (g_strv_contains (running, lower))
    return KINEMA_REMOTE_STATE_RUNNING;
  if (g_strv_contains (succeeded, lower))
    return KINEMA_REMOTE_STATE_SUCCEEDED;
  if (g_strv_contains (failed, lower))
    return KINEMA_REMOTE_STATE_FAILED;

  return KINEMA_REMOTE_STATE_PENDING;
}

int
kinema_reply_map_kling_code (gint64 code)
{
  if (code >= 1000 && code <= 1004)
    return KINEMA_ERROR_AUTH;
  if (code >= 1100 && code <= 1102)
    return KINEMA_ERROR_ACCOUNT;
  if (code == 1103)
    return KINEMA_ERROR_PERMISSION;
  if (code == 1203)
    return KINEMA_ERROR_NOT_FOUND;
  if (code >= 1200 && code <= 1202)
    return KINEMA_ERROR_INVALID_REQUEST;
  if (code == 1300 || code == 1301)
    return KINEMA_ERROR_CONTENT_POLICY;
  if (code == 1302)
    return KINEMA_ERROR_RATE_LIMITED;
  if (code == 1303)
    return KINEMA_ERROR_CONCURRENCY_LIMIT;
  if (code == 1304)
    return KINEMA_ERROR_PERMISSION;
  if (code >= 5000 && code <= 5002)
    return KINEMA_ERROR_SERVER;
  return -1;
}

int
kinema_reply_map_http_status (guint http_status)
{
  switch (http_status)
    {
    case 401:
      return KINEMA_ERROR_AUTH;
    case 402:
      return KINEMA_ERROR_ACCOUNT;
    case 403:
      return KINEMA_ERROR_PERMISSION;
    case 404:
    case 410:
      return KINEMA_ERROR_NOT_FOUND;
    case 408:
    case 504:
      return KINEMA_ERROR_TIMEOUT;
    case 429:
      return KINEMA_ERROR_RATE_LIMITED;
    default:
      break;
    }

  if (http_status >= 500 && http_status <= 599)
    return KINEMA_ERROR_SERVER;
  if (http_status >= 400 && http_status <= 499)
    return KINEMA_ERROR_INVALID_REQUEST;
  return KINEMA_ERROR_BAD_REPLY;
}

static int
map_string_code (const char *code,
                 guint       http_status)
{
  static const struct {
    const char *code;
    int error;
  } table[] = {
    { "task_not_exist", KINEMA_ERROR_NOT_FOUND },
    { "model_not_found", KINEMA_ERROR_NOT_FOUND },
    { "invalid_request", KINEMA_ERROR_INVALID_REQUEST },
    { "invalid_seconds", KINEMA_ERROR_INVALID_REQUEST },
    { "build_request_failed", KINEMA_ERROR_INVALID_REQUEST },
    { "task_failed", KINEMA_ERROR_INVALID_REQUEST },
    { "invalid_api_key", KINEMA_ERROR_AUTH },
    { "insufficient_user_quota", KINEMA_ERROR_ACCOUNT },
    { "insufficient_quota", KINEMA_ERROR_ACCOUNT },
    { "rate_limit_exceeded", KINEMA_ERROR_RATE_LIMITED },
  };
  char *end = NULL;
  gint64 number;

  if (code == NULL || *code == '\0')
    return -1;

  number = g_ascii_strtoll (code, &end, 10);
  if (end != code && *end == '\0')
    {
      int mapped = kinema_reply_map_kling_code (number);

      if (mapped >= 0)
        return mapped;
    }

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (g_ascii_strcasecmp (table[i].code, code) == 0)
      return table[i].error;

  (void) http_status;
  return -1;
}

static gboolean
is_html (const char *content_type,
         GBytes     *body)
{
  gsize len = 0;
  const char *data = body ? g_bytes_get_data (body, &len) : NULL;

  if (content_type != NULL && strstr (content_type, "html") != NULL)
    return TRUE;

  while (data != NULL && len > 0 && g_ascii_isspace (*data))
    data++, len--;

  return data != NULL && len > 0 && data[0] == '<';
}

/* Parses @body as a JSON object. Returns NULL and sets @error when it is not one. */
static JsonNode *
parse_json (guint        http_status,
            const char  *content_type,
            GBytes      *body,
            GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *data;
  gsize len = 0;
  JsonNode *root;

  if (body != NULL && g_bytes_get_size (body) > KINEMA_REPLY_MAX_BYTES)
    {
      if (error != NULL)
        *error = kinema_error_new (KINEMA_ERROR_BAD_REPLY, http_status, NULL,
                                   "reply too large", NULL);
      return NULL;
    }

  if (is_html (content_type, body))
    {
      if (error != NULL)
        *error = kinema_error_new (KINEMA_ERROR_UNSUPPORTED_ROUTE, http_status, NULL,
                                   "the server sent a web page", NULL);
      return NULL;
    }

  data = body ? g_bytes_get_data (body, &len) : NULL;
  if (data == NULL || len == 0)
    {
      int code = http_status >= 400 ? kinema_reply_map_http_status (http_status)
                                    : KINEMA_ERROR_BAD_REPLY;
      if (error != NULL)
        *error = kinema_error_new (code, http_status, NULL, "empty reply", NULL);
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!kinema_json_parser_load (parser, data, len, &local_error) ||
      json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      int code = http_status >= 400 ? kinema_reply_map_http_status (http_status)
                                    : KINEMA_ERROR_BAD_REPLY;
      if (error != NULL)
        *error = kinema_error_new (code, http_status, NULL,
                                   local_error ? local_error->message : "not a JSON object",
                                   NULL);
      return NULL;
    }

  root = json_parser_steal_root (parser);
  return root;
}

/* new-api relays a refusal from Kling as {"code":"fail_to_fetch_task","message":"<Kling's
 * body as text>","data":null} with Kling's HTTP status (new-api relay/relay_task.go,
 * RelayTaskSubmit: a non-200 upstream reply becomes TaskErrorWrapper(body,
 * "fail_to_fetch_task", status)). Reads Kling's own error out of @message, or returns
 * NULL when it holds none. */
static GError *
error_from_relayed_kling (guint       http_status,
                          const char *message)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *code = NULL;
  g_autofree char *inner_message = NULL;
  g_autofree char *request_id = NULL;
  JsonObject      *inner;
  JsonNode        *code_node;
  GError          *error;
  gint64           kling_code;
  int              mapped;

  if (message == NULL || message[0] != '{')
    return NULL;

  parser = json_parser_new_immutable ();
  if (!kinema_json_parser_load (parser, message, strlen (message), NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  inner = json_node_get_object (json_parser_get_root (parser));
  code_node = json_object_has_member (inner, "code") ? json_object_get_member (inner, "code") : NULL;
  if (code_node == NULL || !JSON_NODE_HOLDS_VALUE (code_node) ||
      json_node_get_value_type (code_node) != G_TYPE_INT64 || json_node_get_int (code_node) == 0)
    return NULL;

  kling_code = json_node_get_int (code_node);
  code = dup_string (inner, "code");
  inner_message = dup_nonempty_string (inner, "message");
  request_id = dup_nonempty_string (inner, "request_id");

  /* Kling's 1000-1004 here refer to the gateway's own Kling credential: a wrong user
   * key is refused by new-api itself (401 "Invalid token", PROTOCOL 2.8). Nothing
   * the user can fix: the gateway's problem. */
  if (kling_code >= 1000 && kling_code <= 1004)
    {
      error = kinema_error_new (KINEMA_ERROR_SERVER, http_status, code, inner_message, request_id);
      g_free (error->message);
      error->message = g_strdup (_("Kling refused the gateway’s own key, so the job was not made. "
                                   "Your key is fine: contact the gateway’s operator."));
      return error;
    }

  mapped = kinema_reply_map_kling_code (kling_code);
  if (mapped < 0)
    mapped = http_status >= 400 ? kinema_reply_map_http_status (http_status) : KINEMA_ERROR_INVALID_REQUEST;

  return kinema_error_new (mapped, http_status, code, inner_message, request_id);
}

/* If @root is an error reply, returns the error. */
static GError *
error_from_object (guint       http_status,
                   JsonObject *root)
{
  JsonObject *err = get_object (root, "error");
  g_autofree char *code = NULL;
  g_autofree char *message = NULL;
  g_autofree char *request_id = dup_nonempty_string (root, "request_id");
  gboolean has_status = json_object_has_member (root, "status") ||
                        json_object_has_member (root, "task_status");
  JsonNode *code_node = json_object_has_member (root, "code") ?
                        json_object_get_member (root, "code") : NULL;
  int mapped = -1;

  if (code_node != NULL && JSON_NODE_HOLDS_VALUE (code_node))
    {
      GType type = json_node_get_value_type (code_node);

      if (type == G_TYPE_INT64 && json_node_get_int (code_node) != 0)
        {
          code = dup_string (root, "code");
          message = dup_nonempty_string (root, "message");
          mapped = kinema_reply_map_kling_code (json_node_get_int (code_node));
        }
      else if (type == G_TYPE_STRING &&
               g_ascii_strcasecmp (json_node_get_string (code_node), "success") != 0 &&
               json_node_get_string (code_node)[0] != '\0')
        {
          GError *relayed;

          code = dup_string (root, "code");
          message = dup_nonempty_string (root, "message");
          relayed = error_from_relayed_kling (http_status, message);
          if (relayed != NULL)
            return relayed;
          mapped = map_string_code (code, http_status);
          if (mapped < 0 && http_status < 400)
            mapped = KINEMA_ERROR_INVALID_REQUEST;
        }
    }

  if (code == NULL && err != NULL && (http_status >= 400 || !has_status))
    {
      code = dup_nonempty_string (err, "code");
      message = dup_nonempty_string (err, "message");
      mapped = map_string_code (code, http_status);
      if (mapped < 0 && code == NULL)
        {
          g_autofree char *type = dup_nonempty_string (err, "type");

          code = g_steal_pointer (&type);
        }
      if (mapped < 0 && http_status < 400)
        mapped = KINEMA_ERROR_INVALID_REQUEST;
    }

  if (code == NULL && message == NULL && http_status < 400)
    return NULL;

  if (mapped < 0 && http_status >= 400)
    mapped = kinema_reply_map_http_status (http_status);
  if (mapped < 0)
    mapped = KINEMA_ERROR_BAD_REPLY;

  if (message == NULL)
    message = dup_nonempty_string (root, "message");

  return kinema_error_new (mapped, http_status, code, message, request_id);
}

GError *
kinema_reply_parse_error (guint       http_status,
                          const char *content_type,
                          GBytes     *body)
{
  g_autoptr(JsonNode) root = NULL;
  GError *error = NULL;

  root = parse_json (http_status, content_type, body, &error);
  if (root == NULL)
    return error;

  error = error_from_object (http_status, json_node_get_object (root));
  if (error == NULL)
    error = kinema_error_new (http_status >= 400 ? kinema_reply_map_http_status (http_status)
                                                 : KINEMA_ERROR_BAD_REPLY,
                              http_status, NULL, NULL, NULL);
  return error;
}

static void
fill_progress (KinemaRemoteStatus *status,
               JsonObject         *obj)
{
  double value;

  if (get_number (obj, "progress", &value) && value >= 0 && value <= 100)
    status->progress = value / 100.0;
}

/* What a finished official task cost: `final_unit_deduction`, a string of units (Kling
 * docs, query reply; copy in WHQ25/rawgenai docs/research/kling/text-to-video.md;
 * PROTOCOL.md 8.9). Anything else, negative or absurd, is left unknown. */
static void
fill_units_charged (KinemaRemoteStatus *status,
                    JsonObject         *task)
{
  double value;

  if (get_number (task, "final_unit_deduction", &value) && value >= 0 && value < 1e6)
    status->units_charged = value;
}

/* Kling-native task object (1.6, 1.7): data.task_status. */
static void
read_kling_task (KinemaRemoteStatus *status,
                 JsonObject         *data)
{
  double value;

  status->raw_status = dup_string (data, "task_status");
  status->state = kinema_reply_map_status (status->raw_status);
  if (status->remote_id == NULL)
    status->remote_id = dup_nonempty_string (data, "task_id");
  status->video_url = dup_first_video_url (data, &status->video_duration_s, &status->video_id);
  fill_units_charged (status, data);
  if (status->state == KINEMA_REMOTE_STATE_FAILED)
    status->failure_message = dup_nonempty_string (data, "task_status_msg");
  if (get_number (data, "updated_at", &value) || get_number (data, "created_at", &value))
    status->updated_at_ms = to_ms (value);
}

/* new-api TaskDto (2.7a): data.status, with the Kling reply in data.data. */
static void
read_task_dto (KinemaRemoteStatus *status,
               JsonObject         *data)
{
  g_autofree char *fail_reason = dup_nonempty_string (data, "fail_reason");
  JsonObject *inner = get_object (get_object (data, "data"), "data");
  double value;

  status->raw_status = dup_string (data, "status");
  status->state = kinema_reply_map_status (status->raw_status);
  if (status->remote_id == NULL)
    status->remote_id = dup_nonempty_string (data, "task_id");
  fill_progress (status, data);

  status->video_url = dup_nonempty_string (data, "result_url");
  /* the simplified reply of new-api forks and resellers (PROTOCOL 8.5): data.url */
  if (status->video_url == NULL)
    {
      status->video_url = dup_nonempty_string (data, "url");
      if (status->video_url != NULL && !is_http_url (status->video_url))
        g_clear_pointer (&status->video_url, g_free);
    }
  if (status->video_url == NULL && inner != NULL)
    status->video_url = dup_first_video_url (inner, &status->video_duration_s, NULL);
  else if (inner != NULL)
    g_free (dup_first_video_url (inner, &status->video_duration_s, NULL));
  if (inner != NULL)
    fill_units_charged (status, inner);

  if (status->state == KINEMA_REMOTE_STATE_SUCCEEDED)
    {
      if (status->video_url == NULL && is_http_url (fail_reason))
        status->video_url = g_steal_pointer (&fail_reason);
    }
  else if (status->state == KINEMA_REMOTE_STATE_FAILED)
    {
      status->failure_message = g_steal_pointer (&fail_reason);
      if (status->failure_message == NULL)
        status->failure_message = dup_nonempty_string (get_object (data, "error"), "message");
      if (status->failure_message == NULL && inner != NULL)
        status->failure_message = dup_nonempty_string (inner, "task_status_msg");
    }

  if (get_number (data, "updated_at", &value) && value > 0)
    status->updated_at_ms = to_ms (value);
  else
    {
      static const char * const times[] = { "finish_time", "start_time", "submit_time" };

      for (guint i = 0; i < G_N_ELEMENTS (times); i++)
        if (get_number (data, times[i], &value) && value > 0)
          {
            status->updated_at_ms = to_ms (value);
            break;
          }
    }
}

/* Flat objects: OpenAI video (2.5, 2.7b, 3) and new-api's documented shape (2.9). */
static void
read_flat (KinemaRemoteStatus *status,
           JsonObject         *root)
{
  JsonObject *metadata = get_object (root, "metadata");
  JsonObject *err = get_object (root, "error");
  double value;

  status->raw_status = dup_string (root, "status");
  status->state = kinema_reply_map_status (status->raw_status);
  if (status->remote_id == NULL)
    status->remote_id = dup_nonempty_string (root, "id");
  if (status->remote_id == NULL)
    status->remote_id = dup_nonempty_string (root, "task_id");
  fill_progress (status, root);

  status->video_url = dup_nonempty_string (metadata, "url");
  if (status->video_url == NULL)
    status->video_url = dup_nonempty_string (root, "url");
  if (status->video_url != NULL && !is_http_url (status->video_url))
    g_clear_pointer (&status->video_url, g_free);

  if (status->state == KINEMA_REMOTE_STATE_FAILED)
    status->failure_message = dup_nonempty_string (err, "message");

  if ((get_number (root, "seconds", &value) || get_number (metadata, "duration", &value)) &&
      value > 0 && value < 1e6)
    status->video_duration_s = value;

  if (get_number (root, "completed_at", &value) || get_number (root, "updated_at", &value) ||
      get_number (root, "created_at", &value))
    status->updated_at_ms = to_ms (value);
}

static gboolean
parse_reply (guint                http_status,
             const char          *content_type,
             GBytes              *body,
             gboolean             submit,
             KinemaRemoteStatus **out,
             GError             **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(KinemaRemoteStatus) status = NULL;
  JsonObject *root;
  JsonObject *data;
  GError *reply_error;

  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *out = NULL;

  node = parse_json (http_status, content_type, body, error);
  if (node == NULL)
    return FALSE;
  root = json_node_get_object (node);

  reply_error = error_from_object (http_status, root);
  if (reply_error != NULL)
    {
      g_propagate_error (error, reply_error);
      return FALSE;
    }

  if (http_status >= 300)
    {
      if (error != NULL)
        *error = kinema_error_new (kinema_reply_map_http_status (http_status),
                                   http_status, NULL, NULL, NULL);
      return FALSE;
    }

  status = kinema_remote_status_new ();
  /* A gateway id at the top beats the upstream id inside data (2.5 legacy, 2.10). */
  status->remote_id = dup_nonempty_string (root, "task_id");
  data = get_object (root, "data");

  if (data != NULL && json_object_has_member (data, "task_status"))
    read_kling_task (status, data);
  else if (data != NULL && json_object_has_member (data, "status"))
    read_task_dto (status, data);
  else
    read_flat (status, root);

  if (status->state == KINEMA_REMOTE_STATE_SUCCEEDED && status->progress < 0)
    status->progress = 1.0;

  if (submit && status->remote_id == NULL)
    {
      if (error != NULL)
        *error = kinema_error_new (KINEMA_ERROR_BAD_REPLY, http_status, NULL,
                                   "no task id in the reply", NULL);
      return FALSE;
    }

  if (!submit && status->remote_id == NULL && status->raw_status == NULL)
    {
      if (error != NULL)
        *error = kinema_error_new (KINEMA_ERROR_BAD_REPLY, http_status, NULL,
                                   "no task status in the reply", NULL);
      return FALSE;
    }

  *out = g_steal_pointer (&status);
  return TRUE;
}

gboolean
kinema_reply_parse_submit (guint                http_status,
                           const char          *content_type,
                           GBytes              *body,
                           KinemaRemoteStatus **out,
                           GError             **error)
{
  return parse_reply (http_status, content_type, body, TRUE, out, error);
}

gboolean
kinema_reply_parse_status (guint                http_status,
                           const char          *content_type,
                           GBytes              *body,
                           KinemaRemoteStatus **out,
                           GError             **error)
{
  return parse_reply (http_status, content_type, body, FALSE, out, error);
}
