/* test-sim.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The gateway simulator, driven by a plain libsoup client: every dialect's
 * submit and poll sequence against PROTOCOL.md section 6, authentication,
 * request checks, faults, downloads, bookkeeping, persistence and the tool.
 */

#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "kinema-capabilities.h"
#include "kinema-frame-grab.h"
#include "kinema-jwt.h"
#include "kinema-sim-server.h"
#include "test-util.h"

#define QUEUED_MS 10000
#define RUNNING_MS 10000
#define AK "AK-test"
#define SK "SK-test"
#define KEY "sk-test"

static char *clip_path;
static GBytes *clip_bytes;

typedef struct {
  KinemaSimServer *sim;
  SoupSession     *session;
  char            *base;
} Fixture;

typedef struct {
  guint               status;
  char               *content_type;
  GBytes             *body;
  SoupMessageHeaders *headers;
  GError             *error;
  JsonNode           *json;
} Reply;

static void
reply_free (Reply *reply)
{
  g_free (reply->content_type);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_clear_error (&reply->error);
  g_clear_pointer (&reply->json, json_node_unref);
  g_free (reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

/* ------------------------------------------------------------------------- */
/* Helpers */

static void
make_clip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-sim-XXXXXX", &error);
  char *contents = NULL;
  gsize length = 0;

  g_assert_no_error (error);
  clip_path = g_build_filename (dir, "clip.mp4", NULL);

  gst_init (NULL, NULL);
  pipeline = gst_parse_launch ("videotestsrc num-buffers=24 ! video/x-raw,width=160,height=90,framerate=24/1 "
                               "! videoconvert ! x264enc speed-preset=ultrafast "
                               "! video/x-h264,profile=constrained-baseline ! h264parse ! mp4mux "
                               "! filesink name=sink", &error);
  g_assert_no_error (error);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_object_set (sink, "location", clip_path, NULL);
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  message = gst_bus_timed_pop_filtered (bus, 20 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_assert_nonnull (message);
  g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_EOS);

  g_file_get_contents (clip_path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 1000);
  clip_bytes = g_bytes_new_take (contents, length);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->sim = kinema_sim_server_new (NULL);
  kinema_sim_server_set_clip_file (fixture->sim, clip_path);
  kinema_sim_server_set_clock (fixture->sim, QUEUED_MS, RUNNING_MS);
  kinema_sim_server_add_bearer_key (fixture->sim, KEY);
  kinema_sim_server_set_kling_keys (fixture->sim, AK, SK);
  kinema_sim_server_start (fixture->sim, 0, &error);
  g_assert_no_error (error);
  fixture->base = g_strdup (kinema_sim_server_get_base_url (fixture->sim));
  g_assert_true (g_str_has_prefix (fixture->base, "http://127.0.0.1:"));
  fixture->session = soup_session_new_with_options ("proxy-resolver", NULL, "timeout", 20, NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  soup_session_abort (fixture->session);
  g_clear_object (&fixture->session);
  /* Let the server see the closed connections, then free them. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&fixture->sim);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_free (fixture->base);
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Reply *reply = user_data;

  reply->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &reply->error);
  if (reply->body == NULL && reply->error == NULL)
    reply->body = g_bytes_new (NULL, 0);
  if (reply->body == NULL)
    reply->body = g_bytes_new (NULL, 0);
  reply->status = reply->status != 0 ? reply->status : 1;
}

/* Sends a request and runs the main loop (the server lives on it too) until
 * the reply is in. */
static Reply *
request_full (Fixture    *fixture,
              const char *method,
              const char *url,
              const char *authorization,
              const char *content_type,
              const char *body,
              const char *range)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  Reply *reply = g_new0 (Reply, 1);
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_nonnull (msg);
  if (authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  if (range != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Range", range);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }

  soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, NULL, send_cb, reply);
  while (reply->status == 0)
    g_main_context_iteration (NULL, TRUE);

  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  reply->content_type = g_strdup (soup_message_headers_get_content_type (reply->headers, NULL));
  if (reply->error == NULL && g_strcmp0 (reply->content_type, "application/json") == 0 &&
      json_parser_load_from_data (parser, g_bytes_get_data (reply->body, NULL), g_bytes_get_size (reply->body),
                                  NULL))
    reply->json = json_node_ref (json_parser_get_root (parser));
  return reply;
}

static char *
bearer (void)
{
  return g_strdup ("Bearer " KEY);
}

static char *
jwt (gint64 now)
{
  g_autofree char *token = kinema_jwt_sign (AK, SK, now);

  return g_strconcat ("Bearer ", token, NULL);
}

static char *
url_for (Fixture    *fixture,
         const char *path)
{
  return g_strconcat (fixture->base, path, NULL);
}

static Reply *
get (Fixture    *fixture,
     const char *path,
     const char *authorization)
{
  g_autofree char *url = g_str_has_prefix (path, "http") ? g_strdup (path) : url_for (fixture, path);

  return request_full (fixture, "GET", url, authorization, NULL, NULL, NULL);
}

static Reply *
post (Fixture    *fixture,
      const char *path,
      const char *authorization,
      const char *body)
{
  g_autofree char *url = url_for (fixture, path);

  return request_full (fixture, "POST", url, authorization, "application/json", body, NULL);
}

/* Looks up "a.b[0].c" in a JSON tree; NULL if absent. */
static JsonNode *
lookup (JsonNode   *root,
        const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonNode *node = root;

  for (guint i = 0; node != NULL && parts[i] != NULL; i++)
    {
      char *bracket = strchr (parts[i], '[');
      int index = -1;

      if (bracket != NULL)
        {
          index = atoi (bracket + 1);
          *bracket = '\0';
        }
      if (!JSON_NODE_HOLDS_OBJECT (node) || !json_object_has_member (json_node_get_object (node), parts[i]))
        return NULL;
      node = json_object_get_member (json_node_get_object (node), parts[i]);
      if (index >= 0)
        {
          if (!JSON_NODE_HOLDS_ARRAY (node) || (guint) index >= json_array_get_length (json_node_get_array (node)))
            return NULL;
          node = json_array_get_element (json_node_get_array (node), index);
        }
    }
  return node;
}

static const char *
jstr (Reply      *reply,
      const char *path)
{
  JsonNode *node;

  g_assert_nonnull (reply->json);
  node = lookup (reply->json, path);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
jint (Reply      *reply,
      const char *path)
{
  JsonNode *node;

  g_assert_nonnull (reply->json);
  node = lookup (reply->json, path);
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_INT64);
  return json_node_get_int (node);
}

static gboolean
jhas (Reply      *reply,
      const char *path)
{
  g_assert_nonnull (reply->json);
  return lookup (reply->json, path) != NULL;
}

static gboolean
jnull (Reply      *reply,
       const char *path)
{
  JsonNode *node = lookup (reply->json, path);

  return node != NULL && JSON_NODE_HOLDS_NULL (node);
}

static void
assert_bytes_equal (GBytes *a,
                    GBytes *b)
{
  g_assert_cmpmem (g_bytes_get_data (a, NULL), g_bytes_get_size (a),
                   g_bytes_get_data (b, NULL), g_bytes_get_size (b));
}

static char *
image_base64 (const char *type,
              int         width,
              int         height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  g_autofree char *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, 0x3366ccff);
  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, type, &error, NULL);
  g_assert_no_error (error);
  return g_base64_encode ((const guchar *) buffer, size);
}

/* ------------------------------------------------------------------------- */
/* Dialect K: official Kling (6.1) */

static void
test_kling_sequence (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *auth = jwt (g_get_real_time () / G_USEC_PER_SEC);
  g_autoptr(Reply) submit = NULL;
  g_autoptr(Reply) q1 = NULL;
  g_autoptr(Reply) q2 = NULL;
  g_autoptr(Reply) q3 = NULL;
  g_autoptr(Reply) video = NULL;
  g_autoptr(Reply) by_external = NULL;
  g_autoptr(Reply) list = NULL;
  g_autofree char *path = NULL;
  g_autofree char *task_id = NULL;
  gint64 created;

  submit = post (fixture, "/v1/videos/image2video", auth,
                 "{\"model_name\":\"kling-v2-5-turbo\",\"prompt\":\"The fox slowly turns its head toward the camera\","
                 "\"negative_prompt\":\"blur, distortion\",\"image\":\"https://img.example.test/fox.jpg\","
                 "\"mode\":\"std\",\"duration\":\"5\",\"cfg_scale\":0.5,\"external_task_id\":\"my-job-1\"}");
  g_assert_cmpuint (submit->status, ==, 200);
  g_assert_cmpint (jint (submit, "code"), ==, 0);
  g_assert_cmpstr (jstr (submit, "message"), ==, "SUCCEED");
  g_assert_nonnull (jstr (submit, "request_id"));
  g_assert_nonnull (jstr (submit, "data.task_id"));
  g_assert_cmpstr (jstr (submit, "data.task_status"), ==, "submitted");
  g_assert_cmpstr (jstr (submit, "data.task_info.external_task_id"), ==, "my-job-1");
  created = jint (submit, "data.created_at");
  g_assert_cmpint (created, >, 1700000000000); /* milliseconds */
  g_assert_cmpint (jint (submit, "data.updated_at"), ==, created);
  g_assert_false (jhas (submit, "data.task_result"));
  task_id = g_strdup (jstr (submit, "data.task_id"));
  for (const char *p = task_id; *p; p++)
    g_assert_true (g_ascii_isdigit (*p));

  path = g_strconcat ("/v1/videos/image2video/", task_id, NULL);
  q1 = get (fixture, path, auth);
  g_assert_cmpuint (q1->status, ==, 200);
  g_assert_cmpstr (jstr (q1, "data.task_id"), ==, task_id);
  g_assert_cmpstr (jstr (q1, "data.task_status"), ==, "submitted");
  g_assert_cmpstr (jstr (q1, "data.task_status_msg"), ==, "");
  g_assert_true (jhas (q1, "data.task_info"));
  g_assert_cmpint (jint (q1, "data.updated_at"), ==, created);

  kinema_sim_server_advance_clock (fixture->sim, QUEUED_MS);
  q2 = get (fixture, path, auth);
  g_assert_cmpstr (jstr (q2, "data.task_status"), ==, "processing");
  g_assert_cmpint (jint (q2, "data.updated_at"), ==, created + QUEUED_MS);
  g_assert_false (jhas (q2, "data.task_result"));

  kinema_sim_server_advance_clock (fixture->sim, RUNNING_MS);
  q3 = get (fixture, path, auth);
  g_assert_cmpstr (jstr (q3, "data.task_status"), ==, "succeed");
  g_assert_cmpstr (jstr (q3, "data.task_status_msg"), ==, "");
  g_assert_cmpstr (jstr (q3, "data.task_result.videos[0].duration"), ==, "5.1");
  g_assert_nonnull (jstr (q3, "data.task_result.videos[0].id"));
  g_assert_cmpstr (jstr (q3, "final_unit_deduction"), ==, NULL);
  g_assert_cmpstr (jstr (q3, "data.final_unit_deduction"), ==, "1");
  g_assert_cmpint (jint (q3, "data.created_at"), ==, created);
  g_assert_cmpint (jint (q3, "data.updated_at"), ==, created + QUEUED_MS + RUNNING_MS);
  g_assert_true (g_str_has_prefix (jstr (q3, "data.task_result.videos[0].url"), fixture->base));

  video = get (fixture, jstr (q3, "data.task_result.videos[0].url"), NULL);
  g_assert_cmpuint (video->status, ==, 200);
  g_assert_cmpstr (video->content_type, ==, "video/mp4");
  assert_bytes_equal (video->body, clip_bytes);

  /* Lookup by external_task_id, and the list. */
  by_external = get (fixture, "/v1/videos/image2video/my-job-1", auth);
  g_assert_cmpstr (jstr (by_external, "data.task_id"), ==, task_id);
  list = get (fixture, "/v1/videos/image2video?pageNum=1&pageSize=30", auth);
  g_assert_cmpuint (list->status, ==, 200);
  g_assert_cmpstr (jstr (list, "data[0].task_id"), ==, task_id);
  g_assert_false (jhas (list, "data[1]"));
  g_clear_pointer (&list, reply_free);
  /* the list ignores filters it does not know (PROTOCOL.md 8.4) */
  list = get (fixture, "/v1/videos/image2video?external_task_id=someone-else", auth);
  g_assert_cmpstr (jstr (list, "data[0].task_id"), ==, task_id);
  g_clear_pointer (&list, reply_free);
  list = get (fixture, "/v1/videos/text2video", auth);
  g_assert_false (jhas (list, "data[0]"));
  g_clear_pointer (&list, reply_free);
  list = get (fixture, "/v1/videos/image2video?pageSize=501", auth);
  g_assert_cmpuint (list->status, ==, 400);
  g_assert_cmpint (jint (list, "code"), ==, 1201);
}

/* Kling refuses with HTTP 400 and code 1201 what its capability map says a model cannot
 * do (Kling developer docs: capability map "skillsMap", copy in WHQ25/rawgenai
 * docs/research/kling/capability-map.md; error table: PROTOCOL.md 1.9). */
static void
test_kling_capabilities (Fixture       *fixture,
                         gconstpointer  data)
{
  static const struct {
    const char *path;
    const char *body;
    const char *field;
  } refused[] = {
    /* kling-v2-6 std makes silent clips only */
    { "/v1/videos/text2video", "{\"model_name\":\"kling-v2-6\",\"prompt\":\"drums\",\"mode\":\"std\",\"sound\":\"on\"}",
      "sound" },
    /* 5 or 10 s before kling-v3 */
    { "/v1/videos/text2video", "{\"model_name\":\"kling-v2-5-turbo\",\"prompt\":\"sea\",\"duration\":\"7\"}",
      "duration" },
    /* the 4K tier is kling-v3's */
    { "/v1/videos/text2video", "{\"model_name\":\"kling-v2-6\",\"prompt\":\"sea\",\"mode\":\"4k\"}", "mode" },
    /* camera control on kling-v1 text-to-video: std 5 s only */
    { "/v1/videos/text2video", "{\"model_name\":\"kling-v1\",\"prompt\":\"sea\",\"duration\":\"10\","
      "\"camera_control\":{\"type\":\"down_back\"}}", "camera_control" },
    /* end frames on kling-v1-6: pro only */
    { "/v1/videos/image2video", "{\"model_name\":\"kling-v1-6\",\"mode\":\"std\",\"image\":\"https://img.example.test/a.jpg\","
      "\"image_tail\":\"https://img.example.test/b.jpg\"}", "image_tail" },
    /* kling-v1-5 is not a text-to-video model */
    { "/v1/videos/text2video", "{\"model_name\":\"kling-v1-5\",\"prompt\":\"sea\"}", NULL },
  };
  g_autofree char *auth = jwt (g_get_real_time () / G_USEC_PER_SEC);

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(Reply) reply = post (fixture, refused[i].path, auth, refused[i].body);

      g_assert_cmpuint (reply->status, ==, 400);
      g_assert_cmpint (jint (reply, "code"), ==, 1201);
      if (refused[i].field != NULL)
        g_assert_true (g_str_has_prefix (jstr (reply, "message"), refused[i].field));
    }

  /* What the map allows goes through: kling-v3 4K, 12 s, with sound; kling-v2-6 pro with sound. */
  {
    g_autoptr(Reply) v3 = post (fixture, "/v1/videos/text2video", auth,
                                "{\"model_name\":\"kling-v3\",\"prompt\":\"sea\",\"mode\":\"4k\","
                                "\"duration\":\"12\",\"sound\":\"on\"}");
    g_autoptr(Reply) v26 = post (fixture, "/v1/videos/text2video", auth,
                                 "{\"model_name\":\"kling-v2-6\",\"prompt\":\"sea\",\"mode\":\"pro\","
                                 "\"sound\":\"on\"}");

    g_assert_cmpuint (v3->status, ==, 200);
    g_assert_cmpint (jint (v3, "code"), ==, 0);
    g_assert_cmpuint (v26->status, ==, 200);
  }
}

static void
test_kling_failure (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *auth = jwt (g_get_real_time () / G_USEC_PER_SEC);
  g_autoptr(Reply) submit = NULL;
  g_autoptr(Reply) query = NULL;
  g_autoptr(Reply) duplicate = NULL;
  g_autofree char *path = NULL;

  submit = post (fixture, "/v1/videos/text2video", auth,
                 "{\"model_name\":\"kling-v1\",\"prompt\":\"a storm #fail\",\"duration\":\"5\","
                 "\"external_task_id\":\"dup\"}");
  g_assert_cmpuint (submit->status, ==, 200);
  path = g_strconcat ("/v1/videos/text2video/", jstr (submit, "data.task_id"), NULL);
  kinema_sim_server_advance_clock (fixture->sim, QUEUED_MS + RUNNING_MS);
  query = get (fixture, path, auth);
  g_assert_cmpstr (jstr (query, "data.task_status"), ==, "failed");
  g_assert_cmpstr (jstr (query, "data.task_status_msg"), ==, "content did not pass safety review");
  g_assert_false (jhas (query, "data.task_result"));

  /* external_task_id is unique per account. */
  duplicate = post (fixture, "/v1/videos/text2video", auth,
                    "{\"prompt\":\"again\",\"external_task_id\":\"dup\"}");
  g_assert_cmpuint (duplicate->status, ==, 400);
  g_assert_cmpint (jint (duplicate, "code"), ==, 1201);
  g_assert_cmpuint (kinema_sim_server_get_submit_count (fixture->sim, "dup"), ==, 2);
  g_assert_cmpuint (kinema_sim_server_get_n_jobs (fixture->sim), ==, 1);

  /* fail-next */
  kinema_sim_server_fail_next (fixture->sim, 1, "quota of the demo exhausted");
  g_clear_pointer (&submit, reply_free);
  g_clear_pointer (&query, reply_free);
  g_clear_pointer (&path, g_free);
  submit = post (fixture, "/v1/videos/text2video", auth, "{\"prompt\":\"calm sea\"}");
  path = g_strconcat ("/v1/videos/text2video/", jstr (submit, "data.task_id"), NULL);
  kinema_sim_server_advance_clock (fixture->sim, QUEUED_MS + RUNNING_MS);
  query = get (fixture, path, auth);
  g_assert_cmpstr (jstr (query, "data.task_status"), ==, "failed");
  g_assert_cmpstr (jstr (query, "data.task_status_msg"), ==, "quota of the demo exhausted");
}

static void
test_kling_auth (Fixture       *fixture,
                 gconstpointer  data)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *expired = jwt (now - 4000);
  g_autofree char *future = jwt (now + 600);
  g_autofree char *good = jwt (now);
  g_autofree char *other_sig = NULL;
  g_autofree char *other_ak = NULL;
  struct { const char *auth; int code; } cases[] = {
    { NULL, 1001 },
    { "Basic abc", 1002 },
    { "Bearer not-a-jwt", 1002 },
    { NULL, 1002 },
    { NULL, 1004 },
    { NULL, 1003 },
    { NULL, 1000 },
  };

  {
    g_autofree char *token = kinema_jwt_sign (AK, "wrong-secret", now);
    g_autofree char *token2 = kinema_jwt_sign ("AK-other", SK, now);

    other_sig = g_strconcat ("Bearer ", token, NULL);
    other_ak = g_strconcat ("Bearer ", token2, NULL);
  }
  cases[3].auth = other_sig;
  cases[4].auth = expired;
  cases[5].auth = future;
  cases[6].auth = other_ak;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Reply) reply = post (fixture, "/v1/videos/text2video", cases[i].auth, "{\"prompt\":\"x\"}");

      g_assert_cmpuint (reply->status, ==, 401);
      g_assert_cmpint (jint (reply, "code"), ==, cases[i].code);
      g_assert_nonnull (jstr (reply, "message"));
      g_assert_nonnull (jstr (reply, "request_id"));
    }
  g_assert_cmpuint (kinema_sim_server_get_n_jobs (fixture->sim), ==, 0);

  {
    g_autoptr(Reply) reply = post (fixture, "/v1/videos/text2video", good, "{\"prompt\":\"x\"}");

    g_assert_cmpuint (reply->status, ==, 200);
  }
  {
    /* Unknown task: Kling's 404 1203. */
    g_autoptr(Reply) reply = get (fixture, "/v1/videos/text2video/123", good);

    g_assert_cmpuint (reply->status, ==, 404);
    g_assert_cmpint (jint (reply, "code"), ==, 1203);
  }
}

/* ------------------------------------------------------------------------- */
/* Dialect N-K / N-G: new-api (6.2, 6.3) */

static void
assert_task_dto_common (Reply      *reply,
                        const char *task_id,
                        const char *action)
{
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpstr (jstr (reply, "code"), ==, "success");
  g_assert_cmpstr (jstr (reply, "message"), ==, "");
  g_assert_cmpstr (jstr (reply, "data.task_id"), ==, task_id);
  g_assert_cmpstr (jstr (reply, "data.action"), ==, action);
  g_assert_cmpint (jint (reply, "data.id"), >, 0);
  g_assert_cmpint (jint (reply, "data.user_id"), ==, 1);
  g_assert_cmpstr (jstr (reply, "data.group"), ==, "default");
  g_assert_cmpint (jint (reply, "data.channel_id"), ==, 2);
  g_assert_cmpint (jint (reply, "data.quota"), ==, 500000);
  g_assert_cmpstr (jstr (reply, "data.platform"), ==, "50");
  g_assert_cmpstr (jstr (reply, "data.properties.input"), ==, "");
  g_assert_cmpstr (jstr (reply, "data.properties.upstream_model_name"), ==, "kling-v2-5-turbo");
  g_assert_cmpstr (jstr (reply, "data.properties.origin_model_name"), ==, "kling-v2-5-turbo");
  g_assert_cmpint (jint (reply, "data.data.code"), ==, 0);
  g_assert_cmpstr (jstr (reply, "data.data.message"), ==, "SUCCEED");
  g_assert_nonnull (jstr (reply, "data.data.data.task_id"));
  g_assert_false (g_str_has_prefix (jstr (reply, "data.data.data.task_id"), "task_"));
}

static void
run_new_api_sequence (Fixture    *fixture,
                      const char *submit_path,
                      const char *query_prefix,
                      const char *body,
                      const char *action)
{
  g_autofree char *auth = bearer ();
  g_autoptr(Reply) submit = post (fixture, submit_path, auth, body);
  g_autoptr(Reply) q1 = NULL;
  g_autoptr(Reply) q2 = NULL;
  g_autoptr(Reply) q3 = NULL;
  g_autoptr(Reply) q4 = NULL;
  g_autoptr(Reply) video = NULL;
  g_autofree char *path = NULL;
  g_autofree char *id = NULL;
  gint64 created;

  g_assert_cmpuint (submit->status, ==, 200);
  id = g_strdup (jstr (submit, "id"));
  g_assert_true (g_str_has_prefix (id, "task_"));
  g_assert_cmpuint (strlen (id), ==, 5 + 32);
  g_assert_cmpstr (jstr (submit, "task_id"), ==, id);
  g_assert_cmpstr (jstr (submit, "object"), ==, "video");
  g_assert_cmpstr (jstr (submit, "model"), ==, "kling-v2-5-turbo");
  g_assert_cmpstr (jstr (submit, "status"), ==, "queued");
  g_assert_cmpint (jint (submit, "progress"), ==, 0);
  created = jint (submit, "created_at");
  g_assert_cmpint (created, <, 100000000000); /* seconds */
  g_assert_false (jhas (submit, "data"));
  g_assert_nonnull (soup_message_headers_get_one (submit->headers, "X-New-Api-Other-Ratios"));

  path = g_strconcat (query_prefix, id, NULL);
  q1 = get (fixture, path, auth);
  assert_task_dto_common (q1, id, action);
  g_assert_cmpstr (jstr (q1, "data.status"), ==, "NOT_START");
  g_assert_cmpstr (jstr (q1, "data.progress"), ==, "0%");
  g_assert_cmpstr (jstr (q1, "data.fail_reason"), ==, "");
  g_assert_cmpint (jint (q1, "data.submit_time"), ==, created);
  g_assert_cmpint (jint (q1, "data.start_time"), ==, 0);
  g_assert_cmpint (jint (q1, "data.finish_time"), ==, 0);
  g_assert_cmpint (jint (q1, "data.created_at"), ==, created);
  g_assert_cmpint (jint (q1, "data.updated_at"), ==, created);
  g_assert_cmpstr (jstr (q1, "data.data.data.task_status"), ==, "submitted");
  g_assert_false (jhas (q1, "data.result_url"));

  q2 = get (fixture, path, auth);
  assert_task_dto_common (q2, id, action);
  g_assert_cmpstr (jstr (q2, "data.status"), ==, "SUBMITTED");
  g_assert_cmpstr (jstr (q2, "data.progress"), ==, "10%");
  g_assert_cmpstr (jstr (q2, "data.data.data.task_status"), ==, "submitted");
  g_assert_cmpstr (jstr (q2, "data.data.data.task_status_msg"), ==, "");

  kinema_sim_server_advance_clock (fixture->sim, QUEUED_MS);
  q3 = get (fixture, path, auth);
  g_assert_cmpstr (jstr (q3, "data.status"), ==, "IN_PROGRESS");
  g_assert_cmpstr (jstr (q3, "data.progress"), ==, "30%");
  g_assert_cmpint (jint (q3, "data.start_time"), >=, created);
  g_assert_cmpint (jint (q3, "data.finish_time"), ==, 0);
  g_assert_cmpstr (jstr (q3, "data.data.data.task_status"), ==, "processing");

  kinema_sim_server_advance_clock (fixture->sim, RUNNING_MS);
  q4 = get (fixture, path, auth);
  assert_task_dto_common (q4, id, action);
  g_assert_cmpstr (jstr (q4, "data.status"), ==, "SUCCESS");
  g_assert_cmpstr (jstr (q4, "data.progress"), ==, "100%");
  g_assert_cmpstr (jstr (q4, "data.fail_reason"), ==, "");
  g_assert_cmpint (jint (q4, "data.finish_time"), >=, jint (q4, "data.start_time"));
  g_assert_cmpstr (jstr (q4, "data.data.data.task_status"), ==, "succeed");
  g_assert_cmpstr (jstr (q4, "data.result_url"), ==, jstr (q4, "data.data.data.task_result.videos[0].url"));
  g_assert_cmpstr (jstr (q4, "data.data.data.task_result.videos[0].duration"), ==, "5.1");

  video = get (fixture, jstr (q4, "data.result_url"), NULL);
  g_assert_cmpuint (video->status, ==, 200);
  assert_bytes_equal (video->body, clip_bytes);
}

static void
test_new_api_kling_route (Fixture       *fixture,
                          gconstpointer  data)
{
  run_new_api_sequence (fixture, "/kling/v1/videos/text2video", "/kling/v1/videos/text2video/",
                        "{\"model_name\":\"kling-v2-5-turbo\",\"prompt\":\"A paper boat drifting on a rainy street\","
                        "\"negative_prompt\":\"text\",\"mode\":\"std\",\"duration\":\"5\",\"aspect_ratio\":\"16:9\"}",
                        "textGenerate");
}

static void
test_new_api_generations (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *image = image_base64 ("png", 640, 360);
  g_autofree char *body = NULL;

  body = g_strdup_printf ("{\"model\":\"kling-v2-5-turbo\",\"prompt\":\"The fox slowly turns its head\","
                          "\"image\":\"%s\",\"mode\":\"pro\",\"duration\":5,\"size\":\"1280x720\","
                          "\"metadata\":{\"negative_prompt\":\"blur\",\"cfg_scale\":0.5}}", image);
  run_new_api_sequence (fixture, "/v1/video/generations", "/v1/video/generations/", body, "generate");
}

static void
test_new_api_failure (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *auth = bearer ();
  g_autoptr(Reply) submit = NULL;
  g_autoptr(Reply) query = NULL;
  g_autofree char *path = NULL;

  submit = post (fixture, "/v1/video/generations", auth,
                 "{\"model\":\"kling-v2-5-turbo\",\"prompt\":\"#fail please\",\"duration\":\"5\"}");
  g_assert_cmpuint (submit->status, ==, 200);
  path = g_strconcat ("/v1/video/generations/", jstr (submit, "id"), NULL);
  g_clear_pointer (&query, reply_free);
  query = get (fixture, path, auth);
  g_assert_cmpstr (jstr (query, "data.status"), ==, "NOT_START");
  kinema_sim_server_advance_clock (fixture->sim, QUEUED_MS + RUNNING_MS);
  g_clear_pointer (&query, reply_free);
  query = get (fixture, path, auth);
  g_assert_cmpstr (jstr (query, "data.status"), ==, "FAILURE");
  g_assert_cmpstr (jstr (query, "data.progress"), ==, "100%");
  g_assert_cmpstr (jstr (query, "data.fail_reason"), ==, "content did not pass safety review");
  g_assert_false (jhas (query, "data.result_url"));
  g_assert_cmpstr (jstr (query, "data.data.data.task_status"), ==, "failed");
}

static void
test_new_api_legacy (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *auth = bearer ();
  g_autoptr(Reply) submit = NULL;
  g_autoptr(Reply) query = NULL;
  g_autofree char *path = NULL;
  const char *id;

  kinema_sim_server_set_dialect (fixture->sim, KINEMA_SIM_ROUTE_GENERATIONS, KINEMA_SIM_DIALECT_NEW_API_LEGACY);
  submit = post (fixture, "/v1/video/generations", auth,
                 "{\"model\":\"kling-v2-5-turbo\",\"prompt\":\"boat\",\"duration\":5}");
  g_assert_cmpuint (submit->status, ==, 200);
  id = jstr (submit, "id");
  g_assert_false (g_str_has_prefix (id, "task_"));
  g_assert_cmpstr (jstr (submit, "task_id"), ==, id);

  path = g_strconcat ("/v1/video/generations/", id, NULL);
  kinema_sim_server_advance_clock (fixture->sim, QUEUED_MS + RUNNING_MS);
  query = get (fixture, path, auth);
  g_assert_cmpstr (jstr (query, "code"), ==, "success");
  g_assert_cmpstr (jstr (query, "data.task_id"), ==, id);
  g_assert_cmpstr (jstr (query, "data.status"), ==, "NOT_START");
  g_clear_pointer (&query, reply_free);
  query = get (fixture, path, auth);
  g_assert_cmpstr (jstr (query, "data.status"), ==, "SUCCESS");
  g_assert_false (jhas (query, "data.result_url"));
  g_assert_false (jhas (query, "data.id"));
  g_assert_false (jhas (query, "data.properties"));
  g_assert_true (g_str_has_prefix (jstr (query, "data.fail_reason"), "http://127.0.0.1:"));
  g_assert_cmpstr (jstr (query, "data.fail_reason"), ==, jstr (query, "data.data.data.task_result.videos[0].url"));
  g_assert_cmpstr (jstr (query, "data.data.data.task_id"), ==, id);
}

static void
test_new_api_echo (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *auth = bearer ();
  g_autoptr(Reply) submit = NULL;

  kinema_sim_server_set_dialect (fixture->sim, KINEMA_SIM_ROUTE_KLING_GATEWAY, KINEMA_SIM_DIALECT_NEW_API_ECHO);
  submit = post (fixture, "/kling/v1/videos/text2video", auth,
                 "{\"model_name\":\"kling-v2-5-turbo\",\"prompt\":\"boat\",\"duration\":\"5\"}");
  g_assert_cmpuint (submit->status, ==, 200);
  g_assert_cmpint (jint (submit, "code"), ==, 0);
  g_assert_cmpstr (jstr (submit, "message"), ==, "SUCCEED");
  g_assert_cmpstr (jstr (submit, "task_id"), ==, jstr (submit, "data.task_id"));
  g_assert_cmpstr (jstr (submit, "data.task_status"), ==, "submitted");
  g_assert_true (jnull (submit, "data.task_result.videos"));
}

/* ------------------------------------------------------------------------- */
/* Dialect O: OpenAI video object (6.4) */

static void
test_openai_sequence (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *auth = bearer ();
  g_autoptr(Reply) submit = NULL;
  g_autoptr(Reply) reply = NULL;
  g_autofree char *path = NULL;
  g_autofree char *content = NULL;
  g_autofree char *id = NULL;
  gint64 created_s;

  submit = post (fixture, "/v1/videos", auth,
                 "{\"model\":\"kling-v2-5-turbo\",\"prompt\":\"A paper boat drifting on a rainy street\","
                 "\"size\":\"720x1280\",\"duration\":5}");
  g_assert_cmpuint (submit->status, ==, 200);
  id = g_strdup (jstr (submit, "id"));
  g_assert_true (g_str_has_prefix (id, "task_"));
  g_assert_cmpstr (jstr (submit, "task_id"), ==, id);
  g_assert_cmpstr (jstr (submit, "status"), ==, "queued");
  created_s = jint (submit, "created_at");

  path = g_strconcat ("/v1/videos/", id, NULL);
  content = g_strconcat (path, "/content", NULL);

  reply = get (fixture, content, auth);
  g_assert_cmpuint (reply->status, ==, 400);
  g_assert_cmpstr (jstr (reply, "error.message"), ==, "Task is not completed yet, current status: NOT_START");
  g_assert_cmpstr (jstr (reply, "error.type"), ==, "invalid_request_error");
  g_clear_pointer (&reply, reply_free);

  reply = get (fixture, path, auth);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpstr (jstr (reply, "id"), ==, id);
  g_assert_cmpstr (jstr (reply, "object"), ==, "video");
  g_assert_cmpstr (jstr (reply, "model"), ==, "");
  g_assert_cmpstr (jstr (reply, "status"), ==, "unknown");
  g_assert_cmpint (jint (reply, "progress"), ==, 0);
  g_assert_cmpint (jint (reply, "created_at") / 1000, ==, created_s); /* milliseconds */
  g_assert_cmpint (jint (reply, "completed_at"), ==, jint (reply, "created_at"));
  g_assert_false (jhas (reply, "task_id"));
  g_clear_pointer (&reply, reply_free);

  reply = get (fixture, path, auth);
  g_assert_cmpstr (jstr (reply, "status"), ==, "queued");
  g_assert_cmpint (jint (reply, "progress"), ==, 10);
  g_clear_pointer (&reply, reply_free);

  kinema_sim_server_advance_clock (fixture->sim, QUEUED_MS);
  reply = get (fixture, path, auth);
  g_assert_cmpstr (jstr (reply, "status"), ==, "in_progress");
  g_assert_cmpint (jint (reply, "progress"), ==, 30);
  g_assert_cmpint (jint (reply, "completed_at"), ==, jint (reply, "created_at") + QUEUED_MS);
  g_clear_pointer (&reply, reply_free);

  reply = get (fixture, content, auth);
  g_assert_cmpstr (jstr (reply, "error.message"), ==, "Task is not completed yet, current status: IN_PROGRESS");
  g_clear_pointer (&reply, reply_free);

  kinema_sim_server_advance_clock (fixture->sim, RUNNING_MS);
  reply = get (fixture, path, auth);
  g_assert_cmpstr (jstr (reply, "status"), ==, "completed");
  g_assert_cmpint (jint (reply, "progress"), ==, 100);
  g_assert_cmpstr (jstr (reply, "seconds"), ==, "5.1");
  g_assert_true (g_str_has_prefix (jstr (reply, "metadata.url"), fixture->base));
  g_assert_false (jhas (reply, "error"));
  g_clear_pointer (&reply, reply_free);

  reply = get (fixture, content, auth);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpstr (reply->content_type, ==, "video/mp4");
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Cache-Control"), ==, "public, max-age=86400");
  assert_bytes_equal (reply->body, clip_bytes);
  g_clear_pointer (&reply, reply_free);

  reply = get (fixture, "/v1/videos/task_nope/content", auth);
  g_assert_cmpuint (reply->status, ==, 404);
  g_assert_cmpstr (jstr (reply, "error.message"), ==, "Task not found");
  g_clear_pointer (&reply, reply_free);

  reply = get (fixture, "/v1/videos/task_nope", auth);
  g_assert_cmpuint (reply->status, ==, 400);
  g_assert_cmpstr (jstr (reply, "code"), ==, "task_not_exist");
}

static void
test_openai_failure (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *auth = bearer ();
  g_autoptr(Reply) submit = post (fixture, "/v1/videos", auth,
                                  "{\"model\":\"kling-v2-5-turbo\",\"prompt\":\"#fail\"}");
  g_autoptr(Reply) reply = NULL;
  g_autofree char *path = g_strconcat ("/v1/videos/", jstr (submit, "id"), NULL);

  kinema_sim_server_set_refresh_ms (fixture->sim, 0);
  reply = get (fixture, path, auth);
  g_clear_pointer (&reply, reply_free);
  kinema_sim_server_advance_clock (fixture->sim, QUEUED_MS + RUNNING_MS);
  reply = get (fixture, path, auth);
  g_assert_cmpstr (jstr (reply, "status"), ==, "failed");
  g_assert_cmpint (jint (reply, "progress"), ==, 100);
  g_assert_cmpstr (jstr (reply, "error.message"), ==, "content did not pass safety review");
  g_assert_cmpstr (jstr (reply, "error.code"), ==, "");
  g_assert_false (jhas (reply, "metadata"));
}

/* ------------------------------------------------------------------------- */
/* Dialect D (6.5) and the xmsmartlink fork (2.10) */

static void
test_documented (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *auth = bearer ();
  g_autoptr(Reply) submit = NULL;
  g_autoptr(Reply) reply = NULL;
  g_autofree char *path = NULL;

  kinema_sim_server_set_dialect (fixture->sim, KINEMA_SIM_ROUTE_GENERATIONS, KINEMA_SIM_DIALECT_DOCUMENTED);
  submit = post (fixture, "/v1/video/generations", auth,
                 "{\"model\":\"kling-v1\",\"prompt\":\"The fox slowly turns its head\","
                 "\"image\":\"https://img.example.test/fox.jpg\",\"duration\":5,"
                 "\"metadata\":{\"negative_prompt\":\"blur\"}}");
  g_assert_cmpuint (submit->status, ==, 200);
  g_assert_true (g_str_has_prefix (jstr (submit, "task_id"), "task_"));
  g_assert_cmpstr (jstr (submit, "status"), ==, "queued");
  g_assert_cmpuint (json_object_get_size (json_node_get_object (submit->json)), ==, 2);

  path = g_strconcat ("/v1/video/generations/", jstr (submit, "task_id"), NULL);
  reply = get (fixture, path, auth);
  g_assert_cmpstr (jstr (reply, "task_id"), ==, jstr (submit, "task_id"));
  g_assert_cmpstr (jstr (reply, "status"), ==, "queued");
  g_clear_pointer (&reply, reply_free);

  kinema_sim_server_advance_clock (fixture->sim, QUEUED_MS);
  reply = get (fixture, path, auth);
  g_assert_cmpstr (jstr (reply, "status"), ==, "in_progress");
  g_clear_pointer (&reply, reply_free);

  kinema_sim_server_advance_clock (fixture->sim, RUNNING_MS);
  reply = get (fixture, path, auth);
  g_assert_cmpstr (jstr (reply, "status"), ==, "completed");
  g_assert_true (g_str_has_prefix (jstr (reply, "url"), fixture->base));
  g_assert_cmpstr (jstr (reply, "format"), ==, "mp4");
  g_assert_cmpint (jint (reply, "metadata.duration"), ==, 5);
  g_assert_cmpint (jint (reply, "metadata.fps"), ==, 24);
  g_assert_cmpint (jint (reply, "metadata.width"), ==, 720); /* no size: Kling gets 1:1 */
  g_assert_cmpint (jint (reply, "metadata.height"), ==, 720);
  g_assert_cmpint (jint (reply, "metadata.seed"), ==, 1);
  g_clear_pointer (&reply, reply_free);

  reply = post (fixture, "/v1/video/generations", auth, "{\"model\":\"kling-v1\",\"prompt\":\"  \"}");
  g_assert_cmpuint (reply->status, ==, 400);
  g_assert_cmpstr (jstr (reply, "error.message"), ==, "prompt is required");
  g_assert_cmpstr (jstr (reply, "error.type"), ==, "invalid_request_error");
  g_assert_cmpstr (jstr (reply, "error.param"), ==, "prompt");
  g_assert_cmpstr (jstr (reply, "error.code"), ==, "invalid_request");
}

static void
test_xmsmartlink (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *auth = bearer ();
  g_autoptr(Reply) submit = NULL;
  g_autoptr(Reply) reply = NULL;
  g_autofree char *path = NULL;
  const char *id;

  kinema_sim_server_set_dialect (fixture->sim, KINEMA_SIM_ROUTE_KLING_GATEWAY, KINEMA_SIM_DIALECT_XMSMARTLINK);
  submit = post (fixture, "/kling/v1/videos/image2video", auth,
                 "{\"model_name\":\"kling-v2-5-turbo\",\"prompt\":\"fox\",\"image\":\"https://img.example.test/fox.jpg\","
                 "\"duration\":\"5\"}");
  g_assert_cmpuint (submit->status, ==, 200);
  g_assert_cmpint (jint (submit, "code"), ==, 0);
  id = jstr (submit, "data.task_id");
  g_assert_true (g_str_has_prefix (id, "task_"));
  g_assert_true (jhas (submit, "data.task_info"));
  g_assert_cmpstr (jstr (submit, "data.task_status"), ==, "submitted");

  path = g_strconcat ("/kling/v1/videos/image2video/", id, NULL);
  kinema_sim_server_advance_clock (fixture->sim, QUEUED_MS + RUNNING_MS);
  reply = get (fixture, path, auth);
  g_clear_pointer (&reply, reply_free);
  reply = get (fixture, path, auth);
  g_assert_cmpint (jint (reply, "code"), ==, 0);
  g_assert_cmpstr (jstr (reply, "task_id"), ==, id);
  g_assert_cmpstr (jstr (reply, "data.task_status"), ==, "succeed");
  g_assert_true (g_str_has_prefix (jstr (reply, "data.task_result.videos[0].url"), fixture->base));
}

static void
test_kling_passthrough (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *auth = bearer ();
  g_autoptr(Reply) submit = NULL;
  g_autoptr(Reply) reply = NULL;
  g_autofree char *path = NULL;

  /* n1n/NiceRouter: Kling-native bodies behind a gateway key (2.10 a). */
  kinema_sim_server_set_dialect (fixture->sim, KINEMA_SIM_ROUTE_KLING_GATEWAY, KINEMA_SIM_DIALECT_KLING);
  submit = post (fixture, "/kling/v1/videos/image2video", auth,
                 "{\"model_name\":\"kling-v2-5-turbo\",\"image\":\"https://img.example.test/fox.jpg\",\"duration\":\"5\"}");
  g_assert_cmpuint (submit->status, ==, 200);
  g_assert_cmpstr (jstr (submit, "data.task_status"), ==, "submitted");
  path = g_strconcat ("/kling/v1/videos/image2video/", jstr (submit, "data.task_id"), NULL);
  reply = get (fixture, path, auth);
  g_assert_cmpstr (jstr (reply, "data.task_status"), ==, "submitted");
  g_clear_pointer (&reply, reply_free);

  reply = post (fixture, "/kling/v1/videos/text2video", auth, "{\"prompt\":\"x\",\"duration\":5}");
  g_assert_cmpuint (reply->status, ==, 400);
  g_assert_cmpint (jint (reply, "code"), ==, 1201);
  g_clear_pointer (&reply, reply_free);

  reply = post (fixture, "/kling/v1/videos/text2video", "Bearer sk-wrong", "{\"prompt\":\"x\"}");
  g_assert_cmpuint (reply->status, ==, 401);
  g_assert_cmpint (jint (reply, "code"), ==, 1002);
}

/* ------------------------------------------------------------------------- */
/* Request checks */

static void
test_validation (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *auth = bearer ();
  g_autofree char *small = image_base64 ("png", 200, 400);
  g_autofree char *wide = image_base64 ("jpeg", 1600, 500);
  g_autofree char *good = image_base64 ("jpeg", 500, 400);
  g_autofree char *gif = g_base64_encode ((const guchar *) "GIF89a\x01\x00\x01\x00\x00\x00\x00;", 14);
  g_autofree char *data_url = g_strconcat ("data:image/jpeg;base64,", good, NULL);
  struct { const char *path; const char *image; guint status; const char *code;
  } images[] = {
    { "/kling/v1/videos/image2video", small, 400, "fail_to_fetch_task" },
    { "/kling/v1/videos/image2video", wide, 400, "fail_to_fetch_task" },
    { "/kling/v1/videos/image2video", gif, 400, "fail_to_fetch_task" },
    { "/kling/v1/videos/image2video", data_url, 400, "fail_to_fetch_task" },
    { "/kling/v1/videos/image2video", "%%%not base64", 400, "fail_to_fetch_task" },
    { "/kling/v1/videos/image2video", good, 200, NULL },
    { "/kling/v1/videos/image2video", "https://img.example.test/fox.jpg", 200, NULL },
  };
  g_autoptr(Reply) reply = NULL;

  /* numeric duration on /kling/: new-api fails building the upstream body. */
  reply = post (fixture, "/kling/v1/videos/text2video", auth,
                "{\"model_name\":\"kling-v2-5-turbo\",\"prompt\":\"boat\",\"duration\":5}");
  g_assert_cmpuint (reply->status, ==, 500);
  g_assert_cmpstr (jstr (reply, "code"), ==, "build_request_failed");
  g_assert_true (g_str_has_prefix (jstr (reply, "message"), "unmarshal metadata failed"));
  g_assert_true (jnull (reply, "data"));
  g_clear_pointer (&reply, reply_free);

  /* The same in metadata on the generic route. */
  reply = post (fixture, "/v1/video/generations", auth,
                "{\"model\":\"kling-v1\",\"prompt\":\"boat\",\"metadata\":{\"camera_control\":\"zoom\"}}");
  g_assert_cmpuint (reply->status, ==, 500);
  g_assert_cmpstr (jstr (reply, "code"), ==, "build_request_failed");
  g_clear_pointer (&reply, reply_free);

  /* Empty prompt, also for image-to-video on new-api. */
  reply = post (fixture, "/kling/v1/videos/image2video", auth,
                "{\"model_name\":\"kling-v1\",\"prompt\":\" \",\"image\":\"https://img.example.test/fox.jpg\"}");
  g_assert_cmpuint (reply->status, ==, 400);
  g_assert_cmpstr (jstr (reply, "code"), ==, "invalid_request");
  g_assert_cmpstr (jstr (reply, "message"), ==, "prompt is required");
  g_clear_pointer (&reply, reply_free);

  /* Out-of-range seconds. */
  reply = post (fixture, "/v1/video/generations", auth, "{\"model\":\"kling-v1\",\"prompt\":\"x\",\"duration\":4000}");
  g_assert_cmpuint (reply->status, ==, 400);
  g_assert_cmpstr (jstr (reply, "code"), ==, "invalid_seconds");
  g_clear_pointer (&reply, reply_free);

  /* Kling refuses a duration the model lacks with HTTP 400; new-api relays any non-200
   * upstream reply as fail_to_fetch_task with Kling's status and Kling's body as the
   * message (new-api relay/relay_task.go, RelayTaskSubmit). */
  reply = post (fixture, "/v1/video/generations", auth, "{\"model\":\"kling-v1\",\"prompt\":\"x\",\"duration\":7}");
  g_assert_cmpuint (reply->status, ==, 400);
  g_assert_cmpstr (jstr (reply, "code"), ==, "fail_to_fetch_task");
  {
    g_autoptr(JsonNode) inner = json_from_string (jstr (reply, "message"), NULL);

    g_assert_nonnull (inner);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (inner), "code"), ==, 1201);
  }
  g_clear_pointer (&reply, reply_free);

  /* Kling refusing the gateway's own credential: relayed with Kling's 401. */
  kinema_sim_server_refuse_next (fixture->sim, 1, 1002, NULL);
  reply = post (fixture, "/v1/video/generations", auth, "{\"model\":\"kling-v1\",\"prompt\":\"x\"}");
  g_assert_cmpuint (reply->status, ==, 401);
  g_assert_cmpstr (jstr (reply, "code"), ==, "fail_to_fetch_task");
  g_assert_nonnull (strstr (jstr (reply, "message"), "\"code\":1002"));
  g_clear_pointer (&reply, reply_free);

  /* Unknown model. */
  reply = post (fixture, "/v1/video/generations", auth, "{\"model\":\"kling-v9\",\"prompt\":\"x\"}");
  g_assert_cmpuint (reply->status, ==, 503);
  g_assert_cmpstr (jstr (reply, "error.code"), ==, "model_not_found");
  g_clear_pointer (&reply, reply_free);
  {
    g_autofree char *token = jwt (g_get_real_time () / G_USEC_PER_SEC);

    reply = post (fixture, "/v1/videos/text2video", token, "{\"model_name\":\"kling-v9\",\"prompt\":\"x\"}");
    g_assert_cmpuint (reply->status, ==, 400);
    g_assert_cmpint (jint (reply, "code"), ==, 1201);
    g_clear_pointer (&reply, reply_free);

    /* Kling's own duration type check. */
    reply = post (fixture, "/v1/videos/text2video", token, "{\"prompt\":\"x\",\"duration\":5}");
    g_assert_cmpuint (reply->status, ==, 400);
    g_assert_cmpint (jint (reply, "code"), ==, 1201);
    g_clear_pointer (&reply, reply_free);

    /* Not JSON. */
    {
      g_autofree char *url = url_for (fixture, "/v1/videos/text2video");

      reply = request_full (fixture, "POST", url, token, "text/plain", "prompt=x", NULL);
      g_assert_cmpuint (reply->status, ==, 400);
      g_assert_cmpint (jint (reply, "code"), ==, 1200);
      g_clear_pointer (&reply, reply_free);
    }
  }

  for (guint i = 0; i < G_N_ELEMENTS (images); i++)
    {
      g_autofree char *body = NULL;

      body = g_strdup_printf ("{\"model_name\":\"kling-v2-5-turbo\",\"prompt\":\"move\",\"image\":\"%s\","
                              "\"duration\":\"5\"}", images[i].image);
      reply = post (fixture, images[i].path, auth, body);
      g_assert_cmpuint (reply->status, ==, images[i].status);
      if (images[i].code != NULL)
        {
          g_assert_cmpstr (jstr (reply, "code"), ==, images[i].code);
          g_assert_nonnull (jstr (reply, "message"));
        }
      g_clear_pointer (&reply, reply_free);
    }
  g_assert_cmpuint (kinema_sim_server_get_n_jobs (fixture->sim), ==, 2);

  /* Unknown task id: new-api answers 400, not 404. */
  reply = get (fixture, "/kling/v1/videos/text2video/task_unknown", auth);
  g_assert_cmpuint (reply->status, ==, 400);
  g_assert_cmpstr (jstr (reply, "code"), ==, "task_not_exist");
  g_assert_cmpstr (jstr (reply, "message"), ==, "task_not_exist");
  g_assert_true (jnull (reply, "data"));
  g_clear_pointer (&reply, reply_free);
}

static void
test_routes (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *auth = bearer ();
  g_autoptr(Reply) reply = NULL;

  /* A gateway without the /kling/ routes serves its web page with 200. */
  kinema_sim_server_set_dialect (fixture->sim, KINEMA_SIM_ROUTE_KLING_GATEWAY, KINEMA_SIM_DIALECT_NONE);
  reply = post (fixture, "/kling/v1/videos/text2video", auth, "{\"prompt\":\"x\",\"duration\":\"5\"}");
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpstr (reply->content_type, ==, "text/html");
  g_assert_null (reply->json);
  g_clear_pointer (&reply, reply_free);
  g_assert_cmpuint (kinema_sim_server_get_n_jobs (fixture->sim), ==, 0);

  reply = get (fixture, "/somewhere/else", NULL);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpstr (reply->content_type, ==, "text/html");
  g_clear_pointer (&reply, reply_free);

  reply = get (fixture, "/v1/nothing", auth);
  g_assert_cmpuint (reply->status, ==, 404);
  g_assert_cmpstr (jstr (reply, "error.message"), ==, "Invalid URL (GET /v1/nothing)");
  g_clear_pointer (&reply, reply_free);

  /* Bearer keys: wrong key, missing key, key without sk-. */
  reply = post (fixture, "/v1/video/generations", "Bearer sk-wrong", "{\"prompt\":\"x\"}");
  g_assert_cmpuint (reply->status, ==, 401);
  g_assert_cmpstr (jstr (reply, "error.type"), ==, "new_api_error");
  g_assert_true (g_str_has_prefix (jstr (reply, "error.message"), "Invalid token (request id: "));
  g_clear_pointer (&reply, reply_free);
  reply = post (fixture, "/v1/video/generations", NULL, "{\"prompt\":\"x\"}");
  g_assert_cmpuint (reply->status, ==, 401);
  g_clear_pointer (&reply, reply_free);
  reply = post (fixture, "/v1/video/generations", "Bearer test", "{\"prompt\":\"x\"}");
  g_assert_cmpuint (reply->status, ==, 200);
  g_clear_pointer (&reply, reply_free);

  /* Multipart on /v1/videos. */
  {
    g_autoptr(SoupMultipart) multipart = soup_multipart_new ("multipart/form-data");
    g_autoptr(SoupMessage) msg = NULL;
    g_autoptr(GBytes) body = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autofree char *url = url_for (fixture, "/v1/videos");

    soup_multipart_append_form_string (multipart, "model", "kling-v2-5-turbo");
    soup_multipart_append_form_string (multipart, "prompt", "a red kite");
    soup_multipart_append_form_string (multipart, "seconds", "10");
    soup_multipart_append_form_string (multipart, "negative_prompt", "blur");
    msg = soup_message_new_from_multipart (url, multipart);
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    {
      Reply pending = { 0 };

      soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, NULL, send_cb, &pending);
      while (pending.status == 0)
        g_main_context_iteration (NULL, TRUE);
      g_assert_no_error (pending.error);
      g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
      g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (pending.body, NULL),
                                                 g_bytes_get_size (pending.body), NULL));
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "status"),
                       ==, "queued");
      g_bytes_unref (pending.body);
    }
  }
}

/* ------------------------------------------------------------------------- */
/* Faults */

static void
test_faults (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *auth = bearer ();
  g_autoptr(Reply) submit = post (fixture, "/v1/video/generations", auth,
                                  "{\"model\":\"kling-v1\",\"prompt\":\"x\"}");
  g_autofree char *path = g_strconcat ("/v1/video/generations/", jstr (submit, "id"), NULL);
  g_autoptr(Reply) reply = NULL;
  KinemaSimFault fault = { .method = "GET", .path = "/v1/video/generations/*", .count = 1 };
  guint statuses[] = { 500, 502, 503 };

  /* 429 with Retry-After, then the next request is normal. */
  fault.kind = KINEMA_SIM_FAULT_STATUS;
  fault.status = 429;
  fault.retry_after_s = 7;
  kinema_sim_server_add_fault (fixture->sim, &fault);
  reply = get (fixture, path, auth);
  g_assert_cmpuint (reply->status, ==, 429);
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Retry-After"), ==, "7");
  g_assert_nonnull (jstr (reply, "message"));
  g_clear_pointer (&reply, reply_free);
  reply = get (fixture, path, auth);
  g_assert_cmpuint (reply->status, ==, 200);
  g_clear_pointer (&reply, reply_free);

  fault.retry_after_s = 0;
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      fault.status = statuses[i];
      kinema_sim_server_add_fault (fixture->sim, &fault);
      reply = get (fixture, path, auth);
      g_assert_cmpuint (reply->status, ==, statuses[i]);
      g_assert_nonnull (reply->json);
      g_clear_pointer (&reply, reply_free);
    }

  /* A Kling-shaped 429 on the official route. */
  {
    KinemaSimFault kling = { .path = "/v1/videos/text2video", .kind = KINEMA_SIM_FAULT_STATUS,
                             .status = 429, .count = 1,
                             .body = "{\"code\":1303,\"message\":\"parallel task over resource pack limit\"}" };
    g_autofree char *token = jwt (g_get_real_time () / G_USEC_PER_SEC);

    kinema_sim_server_add_fault (fixture->sim, &kling);
    reply = post (fixture, "/v1/videos/text2video", token, "{\"prompt\":\"x\"}");
    g_assert_cmpuint (reply->status, ==, 429);
    g_assert_cmpint (jint (reply, "code"), ==, 1303);
    g_clear_pointer (&reply, reply_free);
  }

  /* Malformed, truncated JSON, HTML page. */
  fault.kind = KINEMA_SIM_FAULT_MALFORMED;
  kinema_sim_server_add_fault (fixture->sim, &fault);
  reply = get (fixture, path, auth);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_null (reply->json);
  g_assert_cmpuint (g_bytes_get_size (reply->body), >, 0);
  g_clear_pointer (&reply, reply_free);

  fault.kind = KINEMA_SIM_FAULT_TRUNCATED;
  kinema_sim_server_add_fault (fixture->sim, &fault);
  reply = get (fixture, path, auth);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpstr (reply->content_type, ==, "application/json");
  g_assert_null (reply->json);
  g_assert_true (((const char *) g_bytes_get_data (reply->body, NULL))[0] == '{');
  g_clear_pointer (&reply, reply_free);

  fault.kind = KINEMA_SIM_FAULT_HTML;
  kinema_sim_server_add_fault (fixture->sim, &fault);
  reply = get (fixture, path, auth);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpstr (reply->content_type, ==, "text/html");
  g_clear_pointer (&reply, reply_free);

  /* Slow: the real reply arrives later (no timing asserted). */
  fault.kind = KINEMA_SIM_FAULT_SLOW;
  fault.delay_ms = 300;
  kinema_sim_server_add_fault (fixture->sim, &fault);
  reply = get (fixture, path, auth);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpstr (jstr (reply, "code"), ==, "success");
  g_clear_pointer (&reply, reply_free);

  /* Dropped connection: the client gets an I/O error, no status. (On a fresh
   * connection: libsoup silently re-sends an idempotent request when a reused
   * keep-alive connection closes.) */
  fault.kind = KINEMA_SIM_FAULT_DROP;
  kinema_sim_server_add_fault (fixture->sim, &fault);
  soup_session_abort (fixture->session);
  reply = get (fixture, path, auth);
  g_assert_nonnull (reply->error);
  g_clear_pointer (&reply, reply_free);

  reply = get (fixture, path, auth);
  g_assert_cmpuint (reply->status, ==, 200);
  g_clear_pointer (&reply, reply_free);

  /* Counted faults: two 503s, then normal. */
  fault.kind = KINEMA_SIM_FAULT_STATUS;
  fault.status = 503;
  fault.count = 2;
  kinema_sim_server_add_fault (fixture->sim, &fault);
  for (guint i = 0; i < 3; i++)
    {
      reply = get (fixture, path, auth);
      g_assert_cmpuint (reply->status, ==, i < 2 ? 503 : 200);
      g_clear_pointer (&reply, reply_free);
    }
}

static void
test_fault_after_create (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *auth = bearer ();
  KinemaSimFault fault = { .method = "POST", .path = "/kling/v1/videos/*", .kind = KINEMA_SIM_FAULT_DROP,
                           .count = 1, .after_create = TRUE };
  g_autoptr(Reply) reply = NULL;
  g_autofree char *last = NULL;

  /* The submit is accepted but its reply is lost: the job exists and is paid. */
  kinema_sim_server_add_fault (fixture->sim, &fault);
  soup_session_abort (fixture->session);
  reply = post (fixture, "/kling/v1/videos/text2video", auth,
                "{\"model_name\":\"kling-v1\",\"prompt\":\"once\",\"duration\":\"5\",\"external_task_id\":\"once-1\"}");
  g_assert_nonnull (reply->error);
  g_clear_pointer (&reply, reply_free);
  g_assert_cmpuint (kinema_sim_server_get_n_jobs (fixture->sim), ==, 1);
  g_assert_cmpuint (kinema_sim_server_get_submit_count (fixture->sim, "once-1"), ==, 1);
  g_assert_cmpuint (kinema_sim_server_get_request_count (fixture->sim, "POST /kling/v1/videos/text2video"), ==, 1);

  last = kinema_sim_server_dup_last_job_id (fixture->sim);
  g_assert_true (g_str_has_prefix (last, "task_"));

  /* Without after_create the job is never made. */
  fault.after_create = FALSE;
  fault.kind = KINEMA_SIM_FAULT_STATUS;
  fault.status = 502;
  kinema_sim_server_add_fault (fixture->sim, &fault);
  reply = post (fixture, "/kling/v1/videos/text2video", auth,
                "{\"model_name\":\"kling-v1\",\"prompt\":\"twice\",\"duration\":\"5\"}");
  g_assert_cmpuint (reply->status, ==, 502);
  g_clear_pointer (&reply, reply_free);
  g_assert_cmpuint (kinema_sim_server_get_n_jobs (fixture->sim), ==, 1);

  /* Truncated JSON after creation. */
  fault.after_create = TRUE;
  fault.kind = KINEMA_SIM_FAULT_TRUNCATED;
  kinema_sim_server_add_fault (fixture->sim, &fault);
  reply = post (fixture, "/kling/v1/videos/text2video", auth,
                "{\"model_name\":\"kling-v1\",\"prompt\":\"cut\",\"duration\":\"5\"}");
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_null (reply->json);
  g_assert_cmpuint (kinema_sim_server_get_n_jobs (fixture->sim), ==, 2);
}

/* ------------------------------------------------------------------------- */
/* Downloads */

static char *
finished_video_url (Fixture *fixture)
{
  g_autofree char *token = jwt (g_get_real_time () / G_USEC_PER_SEC);
  g_autoptr(Reply) submit = post (fixture, "/v1/videos/text2video", token, "{\"prompt\":\"x\"}");
  g_autoptr(Reply) query = NULL;
  g_autofree char *path = g_strconcat ("/v1/videos/text2video/", jstr (submit, "data.task_id"), NULL);

  kinema_sim_server_advance_clock (fixture->sim, QUEUED_MS + RUNNING_MS);
  query = get (fixture, path, token);
  g_assert_cmpstr (jstr (query, "data.task_status"), ==, "succeed");
  return g_strdup (jstr (query, "data.task_result.videos[0].url"));
}

static void
test_download (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *url = finished_video_url (fixture);
  gsize total = g_bytes_get_size (clip_bytes);
  g_autofree char *expected_range = g_strdup_printf ("bytes 100-%" G_GSIZE_FORMAT "/%" G_GSIZE_FORMAT,
                                                     total - 1, total);
  g_autoptr(GBytes) tail = g_bytes_new_from_bytes (clip_bytes, 100, total - 100);
  g_autoptr(Reply) reply = NULL;
  KinemaSimFault fault = { .path = "/cdn/*", .count = 1 };
  goffset start = 0;
  goffset end = 0;
  goffset length = 0;

  reply = request_full (fixture, "GET", url, NULL, NULL, NULL, "bytes=100-");
  g_assert_cmpuint (reply->status, ==, 206);
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Content-Range"), ==, expected_range);
  g_assert_true (soup_message_headers_get_content_range (reply->headers, &start, &end, &length));
  g_assert_cmpint (length, ==, (goffset) total);
  g_assert_cmpint (soup_message_headers_get_content_length (reply->headers), ==, (goffset) total - 100);
  assert_bytes_equal (reply->body, tail);
  g_clear_pointer (&reply, reply_free);

  reply = request_full (fixture, "GET", url, NULL, NULL, NULL, "bytes=0-9");
  g_assert_cmpuint (reply->status, ==, 206);
  g_assert_cmpuint (g_bytes_get_size (reply->body), ==, 10);
  g_clear_pointer (&reply, reply_free);

  reply = request_full (fixture, "GET", url, NULL, NULL, NULL, "bytes=99999999-");
  g_assert_cmpuint (reply->status, ==, 416);
  g_clear_pointer (&reply, reply_free);

  reply = get (fixture, url, NULL);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpint (soup_message_headers_get_content_length (reply->headers), ==, (goffset) total);
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Accept-Ranges"), ==, "bytes");
  g_clear_pointer (&reply, reply_free);

  /* Truncated download: Content-Length promises more than arrives. */
  fault.kind = KINEMA_SIM_FAULT_TRUNCATED_DOWNLOAD;
  kinema_sim_server_add_fault (fixture->sim, &fault);
  reply = get (fixture, url, NULL);
  g_assert_true (reply->error != NULL || g_bytes_get_size (reply->body) < total);
  g_clear_pointer (&reply, reply_free);

  /* Expired by fault, and by the clock. */
  fault.kind = KINEMA_SIM_FAULT_EXPIRED;
  kinema_sim_server_add_fault (fixture->sim, &fault);
  reply = get (fixture, url, NULL);
  g_assert_cmpuint (reply->status, ==, 403);
  g_clear_pointer (&reply, reply_free);

  reply = get (fixture, url, NULL);
  g_assert_cmpuint (reply->status, ==, 200);
  g_clear_pointer (&reply, reply_free);

  kinema_sim_server_set_video_ttl_ms (fixture->sim, 60000);
  kinema_sim_server_advance_clock (fixture->sim, 60001);
  reply = get (fixture, url, NULL);
  g_assert_cmpuint (reply->status, ==, 403);
  g_assert_true (strstr (g_bytes_get_data (reply->body, NULL), "AccessDenied") != NULL);
  g_clear_pointer (&reply, reply_free);

  reply = get (fixture, "/cdn/123.mp4", NULL);
  g_assert_cmpuint (reply->status, ==, 404);
}

/* ------------------------------------------------------------------------- */
/* Bookkeeping and control routes */

static void
test_counters (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *auth = bearer ();
  g_autoptr(Reply) reply = NULL;
  g_autoptr(Reply) stats = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;

  reply = post (fixture, "/kling/v1/videos/text2video", auth,
                "{\"model_name\":\"kling-v1\",\"prompt\":\"x\",\"duration\":\"5\",\"external_task_id\":\"ext-7\"}");
  path = g_strconcat ("/kling/v1/videos/text2video/", jstr (reply, "id"), NULL);
  g_clear_pointer (&reply, reply_free);
  for (guint i = 0; i < 3; i++)
    {
      reply = get (fixture, path, auth);
      g_clear_pointer (&reply, reply_free);
    }
  reply = get (fixture, path, NULL);
  g_assert_cmpuint (reply->status, ==, 401);
  g_clear_pointer (&reply, reply_free);

  g_assert_cmpuint (kinema_sim_server_get_request_count (fixture->sim, "POST /kling/v1/videos/text2video"), ==, 1);
  g_assert_cmpuint (kinema_sim_server_get_request_count (fixture->sim, "GET /kling/v1/videos/text2video/{id}"),
                    ==, 4);
  g_assert_cmpuint (kinema_sim_server_get_total_requests (fixture->sim), ==, 5);
  g_assert_cmpuint (kinema_sim_server_get_submit_count (fixture->sim, "ext-7"), ==, 1);
  g_assert_cmpuint (kinema_sim_server_get_submit_count (fixture->sim, NULL), ==, 1);

  /* The same over HTTP; the log never holds the key. */
  stats = get (fixture, "/_sim/stats", NULL);
  g_assert_cmpuint (stats->status, ==, 200);
  g_assert_cmpint (jint (stats, "requests"), ==, 5);
  g_assert_cmpint (jint (stats, "submits.jobs"), ==, 1);
  g_assert_cmpint (jint (stats, "submits.by_external_task_id.ext-7"), ==, 1);
  g_assert_cmpstr (jstr (stats, "log[0].method"), ==, "POST");
  g_assert_cmpstr (jstr (stats, "log[0].path"), ==, "/kling/v1/videos/text2video");
  g_assert_cmpint (jint (stats, "log[0].status"), ==, 200);
  g_assert_cmpint (jint (stats, "log[0].time_us"), >, 0);
  g_assert_true (json_node_get_boolean (lookup (stats->json, "log[0].authorization")));
  g_assert_false (json_node_get_boolean (lookup (stats->json, "log[4].authorization")));
  g_assert_cmpint (jint (stats, "log[4].status"), ==, 401);
  g_assert_cmpstr (jstr (stats, "jobs[0].external_task_id"), ==, "ext-7");
  text = g_strndup (g_bytes_get_data (stats->body, NULL), g_bytes_get_size (stats->body));
  g_assert_null (strstr (text, KEY));
  g_clear_pointer (&stats, reply_free);

  /* Faults and config over HTTP, then reset. */
  reply = post (fixture, "/_sim/faults", NULL,
                "[{\"method\":\"GET\",\"path\":\"/kling/*\",\"kind\":\"status\",\"status\":503,\"count\":1}]");
  g_assert_cmpuint (reply->status, ==, 200);
  g_clear_pointer (&reply, reply_free);
  reply = get (fixture, path, auth);
  g_assert_cmpuint (reply->status, ==, 503);
  g_clear_pointer (&reply, reply_free);

  reply = post (fixture, "/_sim/faults", NULL, "{\"kind\":\"no-such-fault\"}");
  g_assert_cmpuint (reply->status, ==, 400);
  g_clear_pointer (&reply, reply_free);

  reply = post (fixture, "/_sim/config", NULL,
                "{\"dialects\":{\"kling-gateway\":\"openai\"},\"queued_ms\":1,\"running_ms\":2,\"fail_next\":1}");
  g_assert_cmpuint (reply->status, ==, 200);
  g_clear_pointer (&reply, reply_free);
  g_assert_cmpint (kinema_sim_server_get_dialect (fixture->sim, KINEMA_SIM_ROUTE_KLING_GATEWAY), ==,
                   KINEMA_SIM_DIALECT_OPENAI);
  g_assert_cmpuint (kinema_sim_server_get_running_ms (fixture->sim), ==, 2);

  reply = post (fixture, "/_sim/clock", NULL, "{\"advance_ms\":100000}");
  g_assert_cmpuint (reply->status, ==, 200);
  g_clear_pointer (&reply, reply_free);
  reply = get (fixture, path, auth);
  g_assert_cmpstr (jstr (reply, "status"), ==, "completed");
  g_clear_pointer (&reply, reply_free);

  reply = post (fixture, "/_sim/reset", NULL, "{}");
  g_assert_cmpuint (reply->status, ==, 200);
  g_clear_pointer (&reply, reply_free);
  g_assert_cmpuint (kinema_sim_server_get_total_requests (fixture->sim), ==, 0);
  g_assert_cmpuint (kinema_sim_server_get_submit_count (fixture->sim, "ext-7"), ==, 0);
  g_assert_cmpuint (kinema_sim_server_get_n_jobs (fixture->sim), ==, 1);

  reply = post (fixture, "/_sim/reset", NULL, "{\"jobs\":true}");
  g_clear_pointer (&reply, reply_free);
  g_assert_cmpuint (kinema_sim_server_get_n_jobs (fixture->sim), ==, 0);
}

static void
test_refresh_period (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *auth = bearer ();
  g_autoptr(Reply) submit = NULL;
  g_autoptr(Reply) reply = NULL;
  g_autofree char *path = NULL;
  gint64 created;

  kinema_sim_server_set_refresh_ms (fixture->sim, 15000);
  submit = post (fixture, "/v1/video/generations", auth, "{\"model\":\"kling-v1\",\"prompt\":\"x\"}");
  path = g_strconcat ("/v1/video/generations/", jstr (submit, "id"), NULL);
  created = jint (submit, "created_at");

  reply = get (fixture, path, auth);
  g_assert_cmpstr (jstr (reply, "data.status"), ==, "NOT_START");
  g_clear_pointer (&reply, reply_free);
  reply = get (fixture, path, auth);
  g_assert_cmpstr (jstr (reply, "data.status"), ==, "NOT_START");
  g_clear_pointer (&reply, reply_free);

  /* 15 s in: the gateway saw Kling's "processing" only at its refresh. */
  kinema_sim_server_advance_clock (fixture->sim, 16000);
  reply = get (fixture, path, auth);
  g_assert_cmpstr (jstr (reply, "data.status"), ==, "IN_PROGRESS");
  g_assert_cmpint (jint (reply, "data.updated_at") - created, >=, 14);
  g_assert_cmpint (jint (reply, "data.updated_at") - created, <=, 16);
  g_clear_pointer (&reply, reply_free);

  /* Finished at 20 s, but the gateway shows it only at 30 s. */
  kinema_sim_server_advance_clock (fixture->sim, 8000);
  reply = get (fixture, path, auth);
  g_assert_cmpstr (jstr (reply, "data.status"), ==, "IN_PROGRESS");
  g_clear_pointer (&reply, reply_free);
  kinema_sim_server_advance_clock (fixture->sim, 7000);
  reply = get (fixture, path, auth);
  g_assert_cmpstr (jstr (reply, "data.status"), ==, "SUCCESS");
  g_assert_cmpint (jint (reply, "data.updated_at") - created, >=, 29);
}

/* ------------------------------------------------------------------------- */
/* Persistence, rendering, the tool */

static void
test_state_dir (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-sim-state-XXXXXX", &error);
  g_autofree char *id = NULL;
  g_autofree char *upstream = NULL;
  Fixture fixture = { 0 };

  g_assert_no_error (error);

  for (guint round = 0; round < 2; round++)
    {
      g_autofree char *auth = bearer ();
      g_autoptr(Reply) reply = NULL;
      g_autofree char *path = NULL;

      fixture.sim = kinema_sim_server_new (dir);
      kinema_sim_server_set_clip_file (fixture.sim, clip_path);
      kinema_sim_server_set_clock (fixture.sim, 0, 0);
      kinema_sim_server_start (fixture.sim, 0, &error);
      g_assert_no_error (error);
      fixture.base = g_strdup (kinema_sim_server_get_base_url (fixture.sim));
      fixture.session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);

      if (round == 0)
        {
          reply = post (&fixture, "/v1/video/generations", auth,
                        "{\"model\":\"kling-v1\",\"prompt\":\"keep me\",\"metadata\":{\"external_task_id\":\"k-1\"}}");
          g_assert_cmpuint (reply->status, ==, 200);
          id = g_strdup (jstr (reply, "id"));
          g_clear_pointer (&reply, reply_free);
          path = g_strconcat ("/v1/video/generations/", id, NULL);
          reply = get (&fixture, path, auth);
          g_assert_cmpstr (jstr (reply, "data.status"), ==, "NOT_START");
          upstream = g_strdup (jstr (reply, "data.data.data.task_id"));
        }
      else
        {
          /* A new process on the same directory knows the job, its ids, and
           * that the gateway already looked at it. */
          g_assert_cmpuint (kinema_sim_server_get_n_jobs (fixture.sim), ==, 1);
          path = g_strconcat ("/v1/video/generations/", id, NULL);
          reply = get (&fixture, path, auth);
          g_assert_cmpuint (reply->status, ==, 200);
          g_assert_cmpstr (jstr (reply, "data.status"), ==, "SUCCESS");
          g_assert_cmpstr (jstr (reply, "data.data.data.task_id"), ==, upstream);
          g_assert_cmpstr (jstr (reply, "data.data.data.task_info.external_task_id"), ==, "k-1");
          g_clear_pointer (&reply, reply_free);
          reply = post (&fixture, "/v1/video/generations", auth,
                        "{\"model\":\"kling-v1\",\"prompt\":\"dup\",\"metadata\":{\"external_task_id\":\"k-1\"}}");
          g_assert_cmpuint (reply->status, ==, 400);
        }
      g_clear_pointer (&reply, reply_free);
      fixture_teardown (&fixture, NULL);
    }
  remove_tree (dir);
}

static void
test_render (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *auth = bearer ();
  g_autofree char *image = image_base64 ("jpeg", 480, 320);
  g_autofree char *body = NULL;
  g_autoptr(Reply) submit = NULL;
  g_autoptr(Reply) reply = NULL;
  g_autofree char *path = NULL;

  /* No clip file: the simulator renders a real clip for the job. */
  kinema_sim_server_set_clip_file (fixture->sim, NULL);
  kinema_sim_server_set_render_options (fixture->sim, 120, 1, TRUE);
  kinema_sim_server_set_clock (fixture->sim, 0, 0);
  body = g_strdup_printf ("{\"model\":\"kling-v2-5-turbo\",\"prompt\":\"a slow pan\",\"image\":\"%s\"}", image);
  submit = post (fixture, "/v1/videos", auth, body);
  g_assert_cmpuint (submit->status, ==, 200);
  path = g_strconcat ("/v1/videos/", jstr (submit, "id"), NULL);

  /* Bounded only so that a broken renderer cannot hang the suite. */
  for (guint i = 0; ; i++)
    {
      g_assert_cmpuint (i, <, 600);
      reply = get (fixture, path, auth);
      g_assert_cmpuint (reply->status, ==, 200);
      g_assert_cmpstr (jstr (reply, "status"), !=, "failed");
      if (g_strcmp0 (jstr (reply, "status"), "completed") == 0)
        break;
      g_clear_pointer (&reply, reply_free);
      g_usleep (50000);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }

  {
    g_autoptr(Reply) video = get (fixture, jstr (reply, "metadata.url"), NULL);
    const guint8 *bytes;

    g_assert_cmpuint (video->status, ==, 200);
    g_assert_cmpuint (g_bytes_get_size (video->body), >, 100);
    bytes = g_bytes_get_data (video->body, NULL);
    /* An MP4 (ftyp box) or a WebM (EBML magic). */
    g_assert_true (memcmp (bytes + 4, "ftyp", 4) == 0 || memcmp (bytes, "\x1a\x45\xdf\xa3", 4) == 0);
  }
}

/* ------------------------------------------------------------------------- */
/* Video extension (official style only) */

/* Makes a finished text-to-video job and returns its video id. */
static char *
finished_video (Fixture    *fixture,
                const char *auth,
                const char *body)
{
  g_autoptr(Reply) submit = post (fixture, "/v1/videos/text2video", auth, body);
  g_autoptr(Reply) done = NULL;
  g_autofree char *path = NULL;

  g_assert_cmpuint (submit->status, ==, 200);
  path = g_strconcat ("/v1/videos/text2video/", jstr (submit, "data.task_id"), NULL);
  kinema_sim_server_advance_clock (fixture->sim, kinema_sim_server_get_queued_ms (fixture->sim) +
                                                     kinema_sim_server_get_running_ms (fixture->sim));
  done = get (fixture, path, auth);
  g_assert_cmpstr (jstr (done, "data.task_status"), ==, "succeed");
  return g_strdup (jstr (done, "data.task_result.videos[0].id"));
}

static void
assert_refused (Fixture    *fixture,
                const char *auth,
                const char *body,
                const char *message_start)
{
  g_autoptr(Reply) reply = post (fixture, "/v1/videos/video-extend", auth, body);

  g_assert_cmpuint (reply->status, ==, 400);
  g_assert_cmpint (jint (reply, "code"), ==, 1201);
  if (!g_str_has_prefix (jstr (reply, "message"), message_start))
    g_error ("“%s” does not start with “%s”", jstr (reply, "message"), message_start);
}

/* Kling docs, "Video Extension" (视频延长; copies in WHQ25/rawgenai
 * docs/research/kling/video-extend.md and DMXAPI/DMXAPI-docs
 * docs/zh/models/kling/api/video-extend.md): POST /v1/videos/video-extend with video_id
 * (required), prompt, negative_prompt, cfg_scale, external_task_id; the model and mode are
 * the source's and cannot be chosen; not for kling-v1-5; 3 minutes at most; videos are
 * cleared after a while. The query reply has task_info.parent_video and the whole video
 * in task_result. Refusals are 400 / 1201 (PROTOCOL.md 1.9). */
static void
test_extend (Fixture      *fixture,
             gconstpointer data)
{
  g_autofree char *auth = jwt (g_get_real_time () / G_USEC_PER_SEC);
  g_autofree char *video_id = finished_video (fixture, auth, "{\"model_name\":\"kling-v1-6\",\"prompt\":\"a boat\","
                                                             "\"duration\":\"10\"}");
  g_autofree char *turbo_id = finished_video (fixture, auth, "{\"model_name\":\"kling-v2-5-turbo\",\"prompt\":\"a boat\"}");
  g_autofree char *long_prompt = g_strnfill (2501, 'x');
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  g_autofree char *extended_id = NULL;
  g_autoptr(Reply) submit = NULL;
  g_autoptr(Reply) reply = NULL;
  g_autoptr(Reply) pending = NULL;

  /* The model and mode are the source's: fields that would choose them are refused. */
  body = g_strdup_printf ("{\"video_id\":\"%s\",\"model_name\":\"kling-v1-6\"}", video_id);
  assert_refused (fixture, auth, body, "model_name value invalid");
  g_free (body);
  body = g_strdup_printf ("{\"video_id\":\"%s\",\"mode\":\"pro\"}", video_id);
  assert_refused (fixture, auth, body, "mode value invalid");
  g_free (body);
  body = g_strdup_printf ("{\"video_id\":\"%s\",\"duration\":\"5\"}", video_id);
  assert_refused (fixture, auth, body, "duration value invalid");
  g_free (body);
  body = g_strdup_printf ("{\"video_id\":\"%s\",\"image\":\"https://img.example.test/a.jpg\"}", video_id);
  assert_refused (fixture, auth, body, "image value invalid");
  g_free (body);
  body = g_strdup_printf ("{\"video_id\":\"%s\",\"prompt\":\"%s\"}", video_id, long_prompt);
  assert_refused (fixture, auth, body, "prompt is too long");
  g_free (body);
  body = g_strdup_printf ("{\"video_id\":\"%s\",\"cfg_scale\":1.5}", video_id);
  assert_refused (fixture, auth, body, "cfg_scale value invalid");
  assert_refused (fixture, auth, "{\"prompt\":\"more\"}", "video_id is required");
  assert_refused (fixture, auth, "{\"video_id\":42}", "video_id value invalid");
  assert_refused (fixture, auth, "{\"video_id\":\"vid-123\"}", "video_id value invalid");

  /* Models Kling does not extend: kling-v2-5-turbo (no extension in the capability map)
   * and kling-v1-5 (the extension page). */
  g_free (body);
  body = g_strdup_printf ("{\"video_id\":\"%s\"}", turbo_id);
  assert_refused (fixture, auth, body, "video_id value invalid: videos of model kling-v2-5-turbo");
  {
    g_autoptr(Reply) v15 = post (fixture, "/v1/videos/image2video", auth,
                                  "{\"model_name\":\"kling-v1-5\",\"image\":\"https://img.example.test/a.jpg\"}");
    g_autoptr(Reply) done = NULL;
    g_autofree char *v15_path = g_strconcat ("/v1/videos/image2video/", jstr (v15, "data.task_id"), NULL);
    g_autofree char *v15_body = NULL;

    /* not finished yet */
    v15_body = g_strdup_printf ("{\"video_id\":\"vid-%s\"}", jstr (v15, "data.task_id"));
    assert_refused (fixture, auth, v15_body, "video_id value invalid");
    kinema_sim_server_advance_clock (fixture->sim, QUEUED_MS + RUNNING_MS);
    done = get (fixture, v15_path, auth);
    g_assert_cmpstr (jstr (done, "data.task_status"), ==, "succeed");
    assert_refused (fixture, auth, v15_body, "video_id value invalid: videos of model kling-v1-5");
  }

  /* Accepted: the source's model and mode, the total in the reply. */
  g_free (body);
  body = g_strdup_printf ("{\"video_id\":\"%s\",\"prompt\":\"the boat sails on\",\"cfg_scale\":0.5,"
                          "\"external_task_id\":\"ext-1\"}",
                          video_id);
  submit = post (fixture, "/v1/videos/video-extend", auth, body);
  g_assert_cmpuint (submit->status, ==, 200);
  g_assert_cmpint (jint (submit, "code"), ==, 0);
  g_assert_cmpstr (jstr (submit, "data.task_status"), ==, "submitted");
  g_assert_cmpstr (jstr (submit, "data.task_info.external_task_id"), ==, "ext-1");
  path = g_strconcat ("/v1/videos/video-extend/", jstr (submit, "data.task_id"), NULL);

  /* Its own route only: not found as text-to-video */
  {
    g_autofree char *wrong = g_strconcat ("/v1/videos/text2video/", jstr (submit, "data.task_id"), NULL);
    g_autoptr(Reply) other = get (fixture, wrong, auth);

    g_assert_cmpuint (other->status, ==, 404);
  }
  pending = get (fixture, "/v1/videos/video-extend/ext-1", auth);
  g_assert_cmpuint (pending->status, ==, 200);
  g_assert_cmpstr (jstr (pending, "data.task_id"), ==, jstr (submit, "data.task_id"));
  g_assert_cmpstr (jstr (pending, "data.task_info.parent_video.id"), ==, video_id);
  g_assert_cmpstr (jstr (pending, "data.task_info.parent_video.duration"), ==, "10.1");

  kinema_sim_server_advance_clock (fixture->sim, QUEUED_MS + RUNNING_MS);
  reply = get (fixture, path, auth);
  g_assert_cmpstr (jstr (reply, "data.task_status"), ==, "succeed");
  g_assert_cmpstr (jstr (reply, "data.task_result.videos[0].duration"), ==, "14.6");
  g_assert_true (g_str_has_prefix (jstr (reply, "data.task_info.parent_video.url"), fixture->base));
  extended_id = g_strdup (jstr (reply, "data.task_result.videos[0].id"));
  g_assert_cmpstr (extended_id, !=, video_id);

  /* The simulator's own statistics name the kind. */
  {
    g_autoptr(JsonNode) stats = kinema_sim_server_dup_stats (fixture->sim);
    JsonArray *jobs = json_object_get_array_member (json_node_get_object (stats), "jobs");
    guint      n_extend = 0;

    for (guint i = 0; i < json_array_get_length (jobs); i++)
      if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (jobs, i), "kind"),
                     "video-extend") == 0)
        n_extend++;
    g_assert_cmpuint (n_extend, ==, 1);
  }

  /* The list of extensions holds the extension only. */
  {
    g_autoptr(Reply) list = get (fixture, "/v1/videos/video-extend", auth);

    g_assert_cmpstr (jstr (list, "data[0].task_id"), ==, jstr (submit, "data.task_id"));
    g_assert_false (jhas (list, "data[1]"));
  }

  /* An extended video extends again, up to 3 minutes in all: 14.6 s + 36 × 4.5 s is
   * 176.6 s, and one more would be 181.1 s. */
  for (guint i = 0; i < 36; i++)
    {
      g_autofree char *again_body = g_strdup_printf ("{\"video_id\":\"%s\"}", extended_id);
      g_autoptr(Reply) again = post (fixture, "/v1/videos/video-extend", auth, again_body);
      g_autoptr(Reply) done = NULL;
      g_autofree char *again_path = NULL;

      g_assert_cmpuint (again->status, ==, 200);
      again_path = g_strconcat ("/v1/videos/video-extend/", jstr (again, "data.task_id"), NULL);
      kinema_sim_server_advance_clock (fixture->sim, QUEUED_MS + RUNNING_MS);
      done = get (fixture, again_path, auth);
      g_free (extended_id);
      extended_id = g_strdup (jstr (done, "data.task_result.videos[0].id"));
    }
  g_free (body);
  body = g_strdup_printf ("{\"video_id\":\"%s\"}", extended_id);
  assert_refused (fixture, auth, body, "video_id value invalid: the extended video would be longer");

  /* A video past its lifetime can no longer be extended. */
  kinema_sim_server_set_video_ttl_ms (fixture->sim, 1000);
  kinema_sim_server_advance_clock (fixture->sim, 2000);
  g_free (body);
  body = g_strdup_printf ("{\"video_id\":\"%s\"}", video_id);
  assert_refused (fixture, auth, body, "video_id value invalid: video");
}

/* new-api routes no video-extend (router/video-router.go: only text2video and image2video
 * under /kling/v1/videos), so a gateway answers as for any unknown path; a Kling
 * passthrough (the offline demo's dialect) relays it. */
static void
test_extend_gateway (Fixture      *fixture,
                     gconstpointer data)
{
  g_autofree char *auth = bearer ();
  g_autoptr(Reply) gateway = NULL;
  g_autoptr(Reply) passthrough = NULL;

  kinema_sim_server_set_dialect (fixture->sim, KINEMA_SIM_ROUTE_KLING_GATEWAY, KINEMA_SIM_DIALECT_NEW_API);
  gateway = post (fixture, "/kling/v1/videos/video-extend", auth, "{\"video_id\":\"vid-1\"}");
  g_assert_cmpuint (gateway->status, ==, 200);
  g_assert_true (g_str_has_prefix (gateway->content_type, "text/html"));
  g_assert_cmpuint (kinema_sim_server_get_n_jobs (fixture->sim), ==, 0);

  kinema_sim_server_set_dialect (fixture->sim, KINEMA_SIM_ROUTE_KLING_GATEWAY, KINEMA_SIM_DIALECT_KLING);
  passthrough = post (fixture, "/kling/v1/videos/video-extend", auth, "{\"video_id\":\"vid-1\"}");
  g_assert_cmpuint (passthrough->status, ==, 400);
  g_assert_cmpint (jint (passthrough, "code"), ==, 1201);
}

static double
mean_difference (GdkTexture *a,
                 GdkTexture *b,
                 gboolean    skip_corner)
{
  int                width = gdk_texture_get_width (a);
  int                height = gdk_texture_get_height (a);
  g_autofree guchar *pa = g_malloc ((gsize) width * height * 4);
  g_autofree guchar *pb = g_malloc ((gsize) width * height * 4);
  double             sum = 0;
  guint              n = 0;

  g_assert_cmpint (gdk_texture_get_width (b), ==, width);
  g_assert_cmpint (gdk_texture_get_height (b), ==, height);
  gdk_texture_download (a, pa, (gsize) width * 4);
  gdk_texture_download (b, pb, (gsize) width * 4);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        gsize at = ((gsize) y * width + x) * 4;

        /* the DEMO badge's corner (kinema-clip-renderer.c, draw_badge) */
        if (skip_corner && x > width * 3 / 4 && y < height / 4)
          continue;
        for (int c = 0; c < 3; c++)
          sum += fabs ((double) pa[at + c] - pb[at + c]);
        n += 3;
      }
  return sum / n;
}

static GdkTexture *
grab (const char *path,
      gint64      position_ns,
      gint64     *out_position_ns)
{
  g_autoptr(GError) error = NULL;
  GdkTexture *texture = kinema_frame_grab_full (path, position_ns, 0, out_position_ns, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (texture);
  return texture;
}

static char *
wait_for_video (Fixture    *fixture,
                const char *path,
                const char *auth,
                const char *name)
{
  g_autoptr(Reply) reply = NULL;
  g_autoptr(Reply) video = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *file = NULL;

  for (guint i = 0;; i++)
    {
      /* Bounded only so that a broken renderer cannot hang the suite. */
      g_assert_cmpuint (i, <, 1200);
      reply = get (fixture, path, auth);
      g_assert_cmpstr (jstr (reply, "data.task_status"), !=, "failed");
      if (g_strcmp0 (jstr (reply, "data.task_status"), "succeed") == 0)
        {
          video = get (fixture, jstr (reply, "data.task_result.videos[0].url"), NULL);
          if (video->status == 200)
            break;
          g_clear_pointer (&video, reply_free);
        }
      g_clear_pointer (&reply, reply_free);
      g_usleep (50000);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  file = g_build_filename (g_get_user_cache_dir (), name, NULL);
  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  g_file_set_contents (file, g_bytes_get_data (video->body, NULL), g_bytes_get_size (video->body), &error);
  g_assert_no_error (error);
  return g_steal_pointer (&file);
}

/* The rendered extension is the whole video (Kling docs, "Video Extension"): the source's
 * frames as they were, then about 4.5 s that start from the source's exact last frame. */
static void
test_extend_render (Fixture      *fixture,
                    gconstpointer data)
{
  g_autofree char *auth = jwt (g_get_real_time () / G_USEC_PER_SEC);
  g_autoptr(Reply) source = NULL;
  g_autoptr(Reply) extension = NULL;
  g_autoptr(GdkTexture) source_first = NULL;
  g_autoptr(GdkTexture) source_last = NULL;
  g_autoptr(GdkTexture) extended_first = NULL;
  g_autoptr(GdkTexture) extended_at_cut = NULL;
  g_autoptr(GdkTexture) after_cut = NULL;
  g_autoptr(GdkTexture) extended_last = NULL;
  g_autofree char *source_path = NULL;
  g_autofree char *extended_path = NULL;
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  gint64           source_end = -1, extended_end = -1, cut = -1, next = -1;
  gint64           frame = GST_SECOND / 24;

  kinema_sim_server_set_clip_file (fixture->sim, NULL);
  kinema_sim_server_set_render_options (fixture->sim, 144, 1, TRUE);
  kinema_sim_server_set_clock (fixture->sim, 0, 0);

  /* A start image with fine detail, so the camera's slow push-in shows between frames. */
  {
    g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 480, 320);
    g_autoptr(GError) error = NULL;
    g_autofree char *buffer = NULL;
    g_autofree char *image = NULL;
    g_autofree char *source_body = NULL;
    guchar          *pixels = gdk_pixbuf_get_pixels (pixbuf);
    int              stride = gdk_pixbuf_get_rowstride (pixbuf);
    gsize            size = 0;

    for (int y = 0; y < 320; y++)
      for (int x = 0; x < 480; x++)
        {
          guchar *p = pixels + y * stride + x * 3;

          p[0] = (x / 12) % 2 ? 230 : 20;
          p[1] = (y / 12) % 2 ? 200 : 40;
          p[2] = (guchar) (x * 255 / 480);
        }
    gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &error, NULL);
    g_assert_no_error (error);
    image = g_base64_encode ((const guchar *) buffer, size);
    source_body = g_strdup_printf ("{\"model_name\":\"kling-v1-6\",\"prompt\":\"a red kite\",\"image\":\"%s\"}",
                                   image);
    source = post (fixture, "/v1/videos/image2video", auth, source_body);
  }
  g_assert_cmpuint (source->status, ==, 200);
  path = g_strconcat ("/v1/videos/image2video/", jstr (source, "data.task_id"), NULL);
  source_path = wait_for_video (fixture, path, auth, "source.mp4");

  body = g_strdup_printf ("{\"video_id\":\"vid-%s\",\"prompt\":\"the kite climbs\"}", jstr (source, "data.task_id"));
  extension = post (fixture, "/v1/videos/video-extend", auth, body);
  g_assert_cmpuint (extension->status, ==, 200);
  g_free (path);
  path = g_strconcat ("/v1/videos/video-extend/", jstr (extension, "data.task_id"), NULL);
  extended_path = wait_for_video (fixture, path, auth, "extended.mp4");

  /* Length: the source's and 4.5 s more, within one frame. */
  source_last = grab (source_path, KINEMA_FRAME_GRAB_LAST, &source_end);
  extended_last = grab (extended_path, KINEMA_FRAME_GRAB_LAST, &extended_end);
  g_test_message ("source ends at %" G_GINT64_FORMAT " ns, the extension at %" G_GINT64_FORMAT, source_end,
                  extended_end);
  g_assert_cmpint (llabs (extended_end - source_end - (gint64) (KINEMA_EXTEND_SECONDS * GST_SECOND)), <=, frame);

  /* The first frames are the source's. */
  source_first = grab (source_path, 0, NULL);
  extended_first = grab (extended_path, 0, NULL);
  g_assert_cmpfloat (mean_difference (source_first, extended_first, FALSE), <, 1.0);
  extended_at_cut = grab (extended_path, source_end, &cut);
  g_assert_cmpint (cut, ==, source_end);
  g_assert_cmpfloat (mean_difference (source_last, extended_at_cut, FALSE), <, 1.0);

  /* The frame after the cut continues from the source's last frame (lossy coding aside,
   * twice over on fine stripes; the new segment draws its own DEMO badge, so its corner is
   * left out). The source's first frame, a second before, is far from it. */
  after_cut = grab (extended_path, source_end + frame, &next);
  g_assert_cmpint (next, >, source_end);
  g_test_message ("after the cut: %.2f; the source's first frame: %.2f",
                  mean_difference (source_last, after_cut, TRUE), mean_difference (source_last, source_first, TRUE));
  g_assert_cmpfloat (mean_difference (source_last, after_cut, TRUE), <, 8.0);
  g_assert_cmpfloat (mean_difference (source_last, source_first, TRUE), >, 4 * mean_difference (source_last, after_cut, TRUE));

  g_unlink (source_path);
  g_unlink (extended_path);
}

/* After a restart whose clip cache was emptied, a source and its extension are made
 * again: the extension waits for its source's clip instead of failing. */
static void
test_extend_restart (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-sim-extend-XXXXXX", &error);
  g_autofree char *clips = NULL;
  g_autofree char *extension_path = NULL;
  Fixture          fixture = { 0 };

  g_assert_no_error (error);
  clips = g_build_filename (dir, "clips", NULL);
  for (guint round = 0; round < 2; round++)
    {
      g_autofree char *auth = jwt (g_get_real_time () / G_USEC_PER_SEC);
      g_autofree char *video = NULL;

      fixture.sim = kinema_sim_server_new (dir);
      kinema_sim_server_set_kling_keys (fixture.sim, AK, SK);
      kinema_sim_server_set_render_options (fixture.sim, 96, 1, FALSE);
      kinema_sim_server_set_clock (fixture.sim, 0, 0);
      kinema_sim_server_start (fixture.sim, 0, &error);
      g_assert_no_error (error);
      fixture.base = g_strdup (kinema_sim_server_get_base_url (fixture.sim));
      fixture.session = soup_session_new_with_options ("proxy-resolver", NULL, "timeout", 20, NULL);

      if (round == 0)
        {
          g_autoptr(Reply) source = post (&fixture, "/v1/videos/text2video", auth,
                                           "{\"model_name\":\"kling-v1\",\"prompt\":\"a kite\"}");
          g_autoptr(Reply) extension = NULL;
          g_autofree char *path = g_strconcat ("/v1/videos/text2video/", jstr (source, "data.task_id"), NULL);
          g_autofree char *body = g_strdup_printf ("{\"video_id\":\"vid-%s\"}", jstr (source, "data.task_id"));

          video = wait_for_video (&fixture, path, auth, "restart-source.mp4");
          extension = post (&fixture, "/v1/videos/video-extend", auth, body);
          g_assert_cmpuint (extension->status, ==, 200);
          extension_path = g_strconcat ("/v1/videos/video-extend/", jstr (extension, "data.task_id"), NULL);
        }
      else
        video = wait_for_video (&fixture, extension_path, auth, "restart-extension.mp4");
      g_unlink (video);
      fixture_teardown (&fixture, NULL);
      fixture = (Fixture){ 0 };
      /* The cache is emptied between the two runs. */
      remove_tree (clips);
    }
  remove_tree (dir);
}

static void
test_binary (void)
{
  const char *bin = g_getenv ("KINEMA_SIM_BIN");
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *rest = NULL;
  Fixture fixture = { 0 };

  if (bin == NULL || !g_file_test (bin, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("KINEMA_SIM_BIN is not set");
      return;
    }

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, bin, "--port", "0", "--clip", clip_path,
                              "--bearer-key", KEY, "--route-dialect", "generations=documented",
                              "--queued-ms", "0", "--running-ms", "0", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_regex_match_simple ("^http://127\\.0\\.0\\.1:[0-9]+$", line, 0, 0));

  fixture.base = g_strdup (line);
  fixture.session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  {
    g_autofree char *auth = bearer ();
    g_autoptr(Reply) reply = post (&fixture, "/v1/video/generations", auth,
                                   "{\"model\":\"kling-v1\",\"prompt\":\"from afar\"}");
    g_autoptr(Reply) stats = NULL;

    g_assert_cmpuint (reply->status, ==, 200);
    g_assert_cmpstr (jstr (reply, "status"), ==, "queued");
    stats = get (&fixture, "/_sim/stats", NULL);
    g_assert_cmpint (jint (stats, "submits.jobs"), ==, 1);
  }
  soup_session_abort (fixture.session);
  g_clear_object (&fixture.session);
  g_free (fixture.base);

  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);

  /* Nothing but the URL line on stdout. */
  rest = g_data_input_stream_read_upto (lines, "", 0, NULL, NULL, &error);
  g_assert_true (rest == NULL || *rest == '\0');
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  make_clip ();

#define ADD(name, func) \
  g_test_add ("/kinema/sim/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("kling/sequence", test_kling_sequence);
  ADD ("kling/failure", test_kling_failure);
  ADD ("kling/capabilities", test_kling_capabilities);
  ADD ("kling/auth", test_kling_auth);
  ADD ("kling/passthrough", test_kling_passthrough);
  ADD ("new-api/kling-route", test_new_api_kling_route);
  ADD ("new-api/generations", test_new_api_generations);
  ADD ("new-api/failure", test_new_api_failure);
  ADD ("new-api/legacy", test_new_api_legacy);
  ADD ("new-api/echo", test_new_api_echo);
  ADD ("new-api/refresh-period", test_refresh_period);
  ADD ("openai/sequence", test_openai_sequence);
  ADD ("openai/failure", test_openai_failure);
  ADD ("documented", test_documented);
  ADD ("xmsmartlink", test_xmsmartlink);
  ADD ("validation", test_validation);
  ADD ("routes", test_routes);
  ADD ("faults", test_faults);
  ADD ("faults/after-create", test_fault_after_create);
  ADD ("download", test_download);
  ADD ("counters", test_counters);
  ADD ("render", test_render);
  ADD ("extend", test_extend);
  ADD ("extend/gateway", test_extend_gateway);
  ADD ("extend/render", test_extend_render);
#undef ADD
  g_test_add_func ("/kinema/sim/state-dir", test_state_dir);
  g_test_add_func ("/kinema/sim/extend/restart", test_extend_restart);
  g_test_add_func ("/kinema/sim/binary", test_binary);

  ret = g_test_run ();

  {
    g_autofree char *dir = g_path_get_dirname (clip_path);

    g_unlink (clip_path);
    g_rmdir (dir);
  }
  g_clear_pointer (&clip_bytes, g_bytes_unref);
  g_free (clip_path);
  return ret;
}
