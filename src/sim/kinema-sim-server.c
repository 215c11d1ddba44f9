/* kinema-sim-server.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-sim-server"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "kinema-capabilities.h"
#include "kinema-error.h"
#include "kinema-json.h"
#include "kinema-jwt.h"
#include "kinema-models.h"
#include "kinema-sim-clip.h"
#include "kinema-sim-private.h"
#include "kinema-sim-server-private.h"

#define DEFAULT_QUEUED_MS 3000
#define DEFAULT_RUNNING_MS 12000
#define DEFAULT_VIDEO_TTL_MS ((gint64) 30 * 24 * 3600 * 1000)
#define DEFAULT_FAIL_MARKER "#fail"
#define MAX_LOG_ENTRIES 10000

static const char index_html[] =
  "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"/>"
  "<title>New API</title></head><body><noscript>You need to enable JavaScript to run this app."
  "</noscript><div id=\"root\"></div><script type=\"module\" src=\"/assets/index.js\"></script>"
  "</body></html>\n";

G_DEFINE_FINAL_TYPE (KinemaSimServer, kinema_sim_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE_DIR,
  PROP_BASE_URL,
  PROP_QUEUED_MS,
  PROP_RUNNING_MS,
  PROP_REFRESH_MS,
  PROP_CLIP_FILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *dialect_names[] = {
  "kling",
  "new-api",
  "new-api-legacy",
  "new-api-echo",
  "openai",
  "documented",
  "xmsmartlink",
  "simple",
  "none",
};

static const char *route_names[] = {
  "kling", "kling-gateway", "generations", "openai",
};

static const char *fault_names[] = {
  "status", "malformed", "truncated", "html", "slow", "drop", "truncated-download", "expired",
  "bad-range", "deep-json", "redirect", "oversized",
};

const char *
kinema_sim_dialect_to_string (KinemaSimDialect dialect)
{
  g_return_val_if_fail (dialect <= KINEMA_SIM_DIALECT_NONE, NULL);
  return dialect_names[dialect];
}

gboolean
kinema_sim_dialect_from_string (const char       *text,
                                KinemaSimDialect *out_dialect)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (dialect_names); i++)
    if (g_ascii_strcasecmp (text, dialect_names[i]) == 0)
      {
        *out_dialect = (KinemaSimDialect) i;
        return TRUE;
      }
  return FALSE;
}

const char *
kinema_sim_route_to_string (KinemaSimRoute route)
{
  g_return_val_if_fail (route < KINEMA_SIM_N_ROUTES, NULL);
  return route_names[route];
}

gboolean
kinema_sim_route_from_string (const char     *text,
                              KinemaSimRoute *out_route)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (route_names); i++)
    if (g_ascii_strcasecmp (text, route_names[i]) == 0)
      {
        *out_route = (KinemaSimRoute) i;
        return TRUE;
      }
  return FALSE;
}

const char *
kinema_sim_fault_kind_to_string (KinemaSimFaultKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (fault_names), NULL);
  return fault_names[kind];
}

gboolean
kinema_sim_fault_kind_from_string (const char         *text,
                                   KinemaSimFaultKind *out_kind)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (fault_names); i++)
    if (g_ascii_strcasecmp (text, fault_names[i]) == 0)
      {
        *out_kind = (KinemaSimFaultKind) i;
        return TRUE;
      }
  return FALSE;
}

static void
fault_free (Fault *fault)
{
  g_free (fault->method);
  g_free (fault->path);
  g_free (fault->body);
  g_free (fault);
}

static void
log_entry_free (LogEntry *entry)
{
  g_free (entry->method);
  g_free (entry->path);
  g_free (entry->authorization_hash);
  g_free (entry);
}

static void
route_match_clear (RouteMatch *match)
{
  g_clear_pointer (&match->id, g_free);
  g_clear_pointer (&match->key, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RouteMatch, route_match_clear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fault, fault_free)

gint64
_kinema_sim_server_now_ms (KinemaSimServer *self)
{
  return g_get_real_time () / 1000 + self->clock_offset_ms;
}

/* ------------------------------------------------------------------------- */
/* Replies */

/* libsoup 3.2 knows no phrase for 429. */
static const char *
status_phrase (guint status)
{
  if (status == 429)
    return "Too Many Requests";
  return soup_status_get_phrase (status);
}

void
_kinema_sim_reply_json (SoupServerMessage *msg,
                        guint              status,
                        JsonNode          *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length = 0;
  char *text;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &length);
  soup_server_message_set_status (msg, status, status_phrase (status));
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_TAKE, text, length);
  json_node_unref (node);
}

static void
reply_text (SoupServerMessage *msg,
            guint              status,
            const char        *content_type,
            const char        *text)
{
  soup_server_message_set_status (msg, status, status_phrase (status));
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, text, strlen (text));
}

static void
reply_html_index (SoupServerMessage *msg)
{
  reply_text (msg, SOUP_STATUS_OK, "text/html; charset=utf-8", index_html);
}

char *
_kinema_sim_new_api_request_id (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d%H%M%S");

  return g_strdup_printf ("%s%06u", stamp, g_random_int_range (0, 1000000));
}

/* One dialect-shaped error. @kling_code/@kling_message are Kling's; @na_code is
 * new-api's string code; @message is used by the new-api shapes. */
void
_kinema_sim_reply_error (SoupServerMessage *msg,
                         KinemaSimDialect   dialect,
                         guint              status,
                         int                kling_code,
                         const char        *na_code,
                         const char        *message)
{
  g_autofree char *request_id = g_uuid_string_random ();

  if (dialect == KINEMA_SIM_DIALECT_KLING)
    _kinema_sim_reply_json (msg, status, _kinema_sim_kling_error (kling_code, message, request_id));
  else if (dialect == KINEMA_SIM_DIALECT_DOCUMENTED)
    _kinema_sim_reply_json (msg, status, _kinema_sim_openai_error (message, "invalid_request_error",
                                                                   g_strcmp0 (na_code, "invalid_request") == 0 ? "prompt" : "",
                                                                   na_code));
  else
    _kinema_sim_reply_json (msg, status, _kinema_sim_new_api_error (na_code, message));
}

static void
reply_auth_error (SoupServerMessage *msg,
                  KinemaSimDialect   dialect,
                  int                kling_code,
                  const char        *kling_message)
{
  if (dialect == KINEMA_SIM_DIALECT_KLING)
    {
      g_autofree char *request_id = g_uuid_string_random ();

      _kinema_sim_reply_json (msg, SOUP_STATUS_UNAUTHORIZED, _kinema_sim_kling_error (kling_code, kling_message, request_id));
    }
  else
    {
      g_autofree char *request_id = _kinema_sim_new_api_request_id ();
      g_autofree char *message = g_strdup_printf ("Invalid token (request id: %s)", request_id);

      _kinema_sim_reply_json (msg, SOUP_STATUS_UNAUTHORIZED, _kinema_sim_openai_error (message, "new_api_error", NULL, ""));
    }
}

/* ------------------------------------------------------------------------- */
/* Jobs */

void
_kinema_sim_server_save_job (KinemaSimServer    *self,
                             const KinemaSimJob *job)
{
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  JsonNode *node;

  if (self->state_dir == NULL)
    return;

  dir = g_build_filename (self->state_dir, "jobs", NULL);
  name = g_strconcat (job->upstream_id, ".json", NULL);
  path = g_build_filename (dir, name, NULL);
  node = _kinema_sim_job_to_json (job);
  generator = json_generator_new ();
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  json_node_unref (node);

  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_set_contents (path, text, -1, &error))
    g_warning ("Could not save job %s: %s", job->upstream_id,
               error != NULL ? error->message : g_strerror (errno));
}

void
_kinema_sim_server_index_job (KinemaSimServer *self,
                              KinemaSimJob    *job)
{
  g_ptr_array_add (self->jobs, job);
  g_hash_table_insert (self->jobs_by_id, g_strdup (job->upstream_id), job);
  if (job->public_id != NULL)
    g_hash_table_insert (self->jobs_by_id, g_strdup (job->public_id), job);
  if (job->external_task_id != NULL)
    g_hash_table_insert (self->jobs_by_external, g_strdup (job->external_task_id), job);
  self->next_row_id = MAX (self->next_row_id, job->row_id + 1);
}

static KinemaSimJob *
lookup_job (KinemaSimServer *self,
            const char      *id)
{
  if (id == NULL)
    return NULL;
  return g_hash_table_lookup (self->jobs_by_id, id);
}

KinemaSimJob *
_kinema_sim_server_lookup_job (KinemaSimServer *self,
                               const char      *id)
{
  return lookup_job (self, id);
}

static char *
video_url (KinemaSimServer    *self,
           const KinemaSimJob *job)
{
  const char *ext = job->video_path != NULL ? strrchr (job->video_path, '.') : NULL;

  return g_strdup_printf ("%s/cdn/%s%s", self->base_url, job->upstream_id, ext != NULL ? ext : ".mp4");
}

typedef struct {
  GWeakRef  self;
  char     *key;
} RenderData;

static void
render_data_free (RenderData *data)
{
  g_weak_ref_clear (&data->self);
  g_free (data->key);
  g_free (data);
}

/* "x.mp4" -> "x.part.mp4": the renderer may pick its muxer by the extension. */
static char *
part_path (const char *path)
{
  const char *dot = strrchr (path, '.');

  if (dot == NULL || strchr (dot, G_DIR_SEPARATOR) != NULL)
    return g_strconcat (path, ".part", NULL);
  return g_strdup_printf ("%.*s.part%s", (int) (dot - path), path, dot);
}

static void
render_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  RenderData *data = user_data;
  g_autoptr(KinemaSimServer) self = g_weak_ref_get (&data->self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) waiting = NULL;
  g_autofree char *path = NULL;
  g_autofree char *stolen_key = NULL;
  g_autofree char *part = NULL;
  gboolean ok;

  ok = _kinema_sim_clip_render_finish (result, &error);
  path = g_strdup (data->key);
  render_data_free (data);

  /* Renders are written beside their name and renamed when complete, so a
   * killed process never leaves a broken clip in the cache. */
  part = part_path (path);
  if (ok && g_rename (part, path) != 0)
    {
      int saved_errno = errno;

      ok = FALSE;
      g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s", g_strerror (saved_errno));
    }
  if (!ok)
    g_unlink (part);

  /* The server may be gone: a render is not worth keeping it alive. */
  if (self == NULL)
    return;
  g_hash_table_steal_extended (self->renders, path, (gpointer *) &stolen_key, (gpointer *) &waiting);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && waiting != NULL)
    {
      if (!ok)
        g_warning ("Rendering %s failed: %s", path, error->message);

      for (guint i = 0; i < waiting->len; i++)
        {
          KinemaSimJob *job = lookup_job (self, g_ptr_array_index (waiting, i));

          if (job == NULL)
            continue;
          if (ok)
            {
              g_free (job->video_path);
              job->video_path = g_strdup (path);
              job->video_ready_ms = _kinema_sim_server_now_ms (self);
            }
          else
            {
              g_free (job->render_error);
              job->render_error = g_strdup_printf ("rendering the clip failed: %s", error->message);
            }
          _kinema_sim_server_save_job (self, job);
        }
    }
}

static char *
render_key (KinemaSimServer    *self,
            const KinemaSimJob *job)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *numbers = NULL;

  numbers = g_strdup_printf ("%u|%u|%u|%u|%g|%u|%d|%d", self->render_height,
                             self->render_duration_s > 0 ? self->render_duration_s : job->duration_s,
                             job->camera, job->camera_axis, job->camera_value, job->image_to_video,
                             self->demo_mark, job->extend);
  g_checksum_update (checksum, (const guchar *) numbers, -1);
  /* Images are stored under their own hash, so their paths identify their content. */
  g_checksum_update (checksum, (const guchar *) (job->image_path ? job->image_path : "-"), -1);
  g_checksum_update (checksum, (const guchar *) (job->image_tail_path ? job->image_tail_path : "-"), -1);
  g_checksum_update (checksum, (const guchar *) (job->prompt ? job->prompt : ""), -1);
  g_checksum_update (checksum, (const guchar *) (job->aspect_ratio ? job->aspect_ratio : ""), -1);
  /* An extension continues its source's clip (cached under its own key). */
  if (job->extend)
    {
      const KinemaSimJob *source = lookup_job (self, job->source_job_id);

      g_checksum_update (checksum, (const guchar *) (source && source->video_path ? source->video_path : "-"), -1);
    }
  return g_strdup (g_checksum_get_string (checksum));
}

/* Gives @job its clip: the fixed file, a cached render, or a new render. */
void
_kinema_sim_server_start_video (KinemaSimServer *self,
                                KinemaSimJob    *job)
{
  g_autofree char *key = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *part = NULL;
  GPtrArray *waiting;
  KinemaSimClipSpec spec = { 0 };
  RenderData *data;

  if (job->video_path != NULL || job->render_error != NULL)
    return;

  if (job->extend)
    {
      const KinemaSimJob *source = lookup_job (self, job->source_job_id);

      if (source == NULL || source->render_error != NULL)
        {
          job->render_error = g_strdup ("the video to extend is gone");
          return;
        }
      /* Still being made again after a restart: a query starts this one later. */
      if (source->video_path == NULL)
        return;
    }

  if (self->clip_file != NULL)
    {
      job->video_path = g_strdup (self->clip_file);
      job->video_ready_ms = job->created_ms;
      return;
    }

  key = render_key (self, job);
  dir = g_build_filename (self->work_dir, "clips", NULL);
  name = g_strconcat (key, ".", _kinema_sim_clip_get_extension (), NULL);
  path = g_build_filename (dir, name, NULL);

  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      job->video_path = g_steal_pointer (&path);
      job->video_ready_ms = job->created_ms;
      return;
    }

  waiting = g_hash_table_lookup (self->renders, path);
  if (waiting != NULL)
    {
      /* Asked again (an extension's queries): waiting once is enough. */
      if (!g_ptr_array_find_with_equal_func (waiting, job->upstream_id, g_str_equal, NULL))
        g_ptr_array_add (waiting, g_strdup (job->upstream_id));
      return;
    }

  g_mkdir_with_parents (dir, 0700);
  waiting = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (waiting, g_strdup (job->upstream_id));
  g_hash_table_insert (self->renders, g_strdup (path), waiting);

  spec.start_image = job->image_path;
  spec.end_image = job->image_tail_path;
  spec.title = job->prompt;
  spec.camera = job->camera;
  spec.camera_axis = job->camera_axis;
  spec.camera_value = job->camera_value;
  spec.duration_s = self->render_duration_s > 0 ? self->render_duration_s : job->duration_s;
  spec.aspect_ratio = job->image_to_video ? NULL : job->aspect_ratio;
  spec.height = self->render_height;
  spec.demo_mark = self->demo_mark;
  if (job->extend)
    {
      const KinemaSimJob *source = lookup_job (self, job->source_job_id);

      /* The whole extended video: the source's clip, then KINEMA_EXTEND_SECONDS more. */
      spec.prefix_video = source->video_path;
      spec.extra_ms = (guint) (KINEMA_EXTEND_SECONDS * 1000);
      spec.duration_s = (guint) ceil (job->total_s);
      spec.start_image = NULL;
      spec.end_image = NULL;
    }

  data = g_new0 (RenderData, 1);
  g_weak_ref_init (&data->self, self);
  data->key = g_steal_pointer (&path);
  part = part_path (data->key);
  _kinema_sim_clip_render_async (&spec, part, self->cancellable, render_done_cb, data);
}

static void
load_jobs (KinemaSimServer *self)
{
  g_autofree char *dir = g_build_filename (self->state_dir, "jobs", NULL);
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  if (listing == NULL)
    return;

  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *path = NULL;
      KinemaSimJob *job;

      if (!g_str_has_suffix (name, ".json"))
        continue;
      path = g_build_filename (dir, name, NULL);
      if (!json_parser_load_from_file (parser, path, &error) ||
          (job = _kinema_sim_job_from_json (json_parser_get_root (parser), &error)) == NULL)
        {
          g_warning ("Skipping job file %s: %s", path, error->message);
          continue;
        }
      if (lookup_job (self, job->upstream_id) != NULL)
        {
          _kinema_sim_job_free (job);
          continue;
        }
      if (job->video_path != NULL && !g_file_test (job->video_path, G_FILE_TEST_IS_REGULAR))
        g_clear_pointer (&job->video_path, g_free);
      _kinema_sim_server_index_job (self, job);
    }

  /* Newest last, as they were created. */
  for (guint i = 0; i + 1 < self->jobs->len; i++)
    for (guint j = i + 1; j < self->jobs->len; j++)
      {
        KinemaSimJob *a = g_ptr_array_index (self->jobs, i);
        KinemaSimJob *b = g_ptr_array_index (self->jobs, j);

        if (b->row_id < a->row_id)
          {
            self->jobs->pdata[i] = b;
            self->jobs->pdata[j] = a;
          }
      }
}

/* ------------------------------------------------------------------------- */
/* Routing */

/* The official routes' task kinds: text2video, image2video (PROTOCOL.md 1.2) and
 * video-extend (Kling docs, "Video Extension"; copy in WHQ25/rawgenai
 * docs/research/kling/video-extend.md). */
static gboolean
is_kind (const char *segment,
         gboolean   *out_image,
         gboolean   *out_extend)
{
  *out_image = FALSE;
  *out_extend = FALSE;
  if (g_strcmp0 (segment, "text2video") == 0)
    return TRUE;
  if (g_strcmp0 (segment, "image2video") == 0)
    *out_image = TRUE;
  else if (g_strcmp0 (segment, "video-extend") == 0)
    *out_extend = TRUE;
  else
    return FALSE;
  return TRUE;
}

static void
match_route (const char *method,
             const char *path,
             RouteMatch *match)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  guint n = g_strv_length (parts);
  gboolean get = g_str_equal (method, "GET") || g_str_equal (method, "HEAD");
  gboolean post = g_str_equal (method, "POST");
  const char *tmpl = NULL;
  guint base = 0;

  memset (match, 0, sizeof *match);
  match->op = OP_UNKNOWN;

  /* parts[0] is the empty string before the leading slash. */
  if (n >= 2 && g_str_equal (parts[1], "kling"))
    base = 1;

  if (n == 2 && (parts[1][0] == '\0' || g_str_equal (parts[1], "index.html")) && get)
    {
      match->op = OP_INDEX;
      tmpl = "/";
    }
  else if (n == 3 && g_str_equal (parts[1], "cdn") && get)
    {
      match->op = OP_CDN;
      match->id = g_strdup (parts[2]);
      tmpl = "/cdn/{file}";
    }
  else if (n >= base + 4 && g_str_equal (parts[base + 1], "v1") && g_str_equal (parts[base + 2], "videos") &&
           is_kind (parts[base + 3], &match->image_to_video, &match->extend))
    {
      match->route = base ? KINEMA_SIM_ROUTE_KLING_GATEWAY : KINEMA_SIM_ROUTE_KLING;
      if (n == base + 4 && post)
        match->op = OP_SUBMIT, tmpl = "";
      else if (n == base + 4 && get)
        match->op = OP_LIST, tmpl = "";
      else if (n == base + 5 && get && parts[base + 4][0] != '\0')
        {
          match->op = OP_QUERY;
          match->id = g_strdup (parts[base + 4]);
          tmpl = "/{id}";
        }
      if (tmpl != NULL)
        match->key = g_strdup_printf ("%s %s/v1/videos/%s%s", method, base ? "/kling" : "",
                                      parts[base + 3], tmpl);
      return;
    }
  else if (base == 0 && n >= 4 && g_str_equal (parts[1], "v1") && g_str_equal (parts[2], "video") &&
           g_str_equal (parts[3], "generations"))
    {
      match->route = KINEMA_SIM_ROUTE_GENERATIONS;
      if (n == 4 && post)
        match->op = OP_SUBMIT, tmpl = "/v1/video/generations";
      else if (n == 5 && get && parts[4][0] != '\0')
        {
          match->op = OP_QUERY;
          match->id = g_strdup (parts[4]);
          tmpl = "/v1/video/generations/{id}";
        }
    }
  else if (base == 0 && n >= 3 && g_str_equal (parts[1], "v1") && g_str_equal (parts[2], "videos"))
    {
      match->route = KINEMA_SIM_ROUTE_OPENAI;
      if (n == 3 && post)
        match->op = OP_SUBMIT, tmpl = "/v1/videos";
      else if (n == 4 && get && parts[3][0] != '\0')
        {
          match->op = OP_QUERY;
          match->id = g_strdup (parts[3]);
          tmpl = "/v1/videos/{id}";
        }
      else if (n == 5 && get && parts[3][0] != '\0' && g_str_equal (parts[4], "content"))
        {
          match->op = OP_CONTENT;
          match->id = g_strdup (parts[3]);
          tmpl = "/v1/videos/{id}/content";
        }
    }

  if (tmpl != NULL)
    match->key = g_strdup_printf ("%s %s", method, tmpl);
}

static void
reply_unknown_route (SoupServerMessage *msg,
                     const char        *method,
                     const char        *path)
{
  /* new-api: JSON 404 under /v1 and /api, the web UI's index page elsewhere (2.8). */
  if (g_str_has_prefix (path, "/v1/") || g_str_has_prefix (path, "/api/"))
    {
      g_autofree char *message = g_strdup_printf ("Invalid URL (%s %s)", method, path);

      _kinema_sim_reply_json (msg, SOUP_STATUS_NOT_FOUND, _kinema_sim_openai_error (message, "invalid_request_error", "", ""));
    }
  else
    reply_html_index (msg);
}

/* ------------------------------------------------------------------------- */
/* Authentication */

static gboolean
bearer_key_ok (KinemaSimServer *self,
               const char      *token)
{
  const char *bare = g_str_has_prefix (token, "sk-") ? token + 3 : token;

  if (*token == '\0')
    return FALSE;
  if (self->bearer_keys->len == 0)
    return TRUE;

  for (guint i = 0; i < self->bearer_keys->len; i++)
    {
      const char *key = g_ptr_array_index (self->bearer_keys, i);
      const char *key_bare = g_str_has_prefix (key, "sk-") ? key + 3 : key;

      if (g_str_equal (key_bare, bare))
        return TRUE;
    }
  return FALSE;
}

static gboolean
check_auth (KinemaSimServer   *self,
            SoupServerMessage *msg,
            KinemaSimRoute     route,
            KinemaSimDialect   dialect)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");
  const char *token;

  if (header == NULL || *header == '\0')
    {
      reply_auth_error (msg, dialect, 1001, "Authorization is empty");
      return FALSE;
    }
  if (g_ascii_strncasecmp (header, "Bearer ", 7) != 0)
    {
      reply_auth_error (msg, dialect, 1002, "Authorization is invalid");
      return FALSE;
    }
  token = header + 7;

  if (route == KINEMA_SIM_ROUTE_KLING && self->access_key != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *issuer = NULL;

      if (!kinema_jwt_verify (token, self->secret_key, _kinema_sim_server_now_ms (self) / 1000, &issuer, &error))
        {
          const KinemaErrorDetails *details = kinema_error_get_details (error);
          int code = details != NULL && details->provider_code != NULL ? atoi (details->provider_code) : 1002;

          reply_auth_error (msg, dialect, code,
                            details != NULL && details->provider_message != NULL ?
                            details->provider_message : "Authorization is invalid");
          return FALSE;
        }
      if (g_strcmp0 (issuer, self->access_key) != 0)
        {
          reply_auth_error (msg, dialect, 1000, "Authentication failed: unknown access key");
          return FALSE;
        }
      return TRUE;
    }

  if (!bearer_key_ok (self, token))
    {
      reply_auth_error (msg, dialect, 1002, "Authorization is invalid");
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------- */
/* Queries */

static void
reply_not_found (SoupServerMessage *msg,
                 KinemaSimDialect   dialect)
{
  if (dialect == KINEMA_SIM_DIALECT_KLING)
    _kinema_sim_reply_error (msg, dialect, SOUP_STATUS_NOT_FOUND, 1203, NULL, "task not found");
  else if (dialect == KINEMA_SIM_DIALECT_DOCUMENTED)
    _kinema_sim_reply_json (msg, SOUP_STATUS_NOT_FOUND,
                            _kinema_sim_openai_error ("task not found", "invalid_request_error", NULL, "task_not_exist"));
  else
    _kinema_sim_reply_json (msg, SOUP_STATUS_BAD_REQUEST, _kinema_sim_new_api_error ("task_not_exist", "task_not_exist"));
}

/* @out_urls holds the two URLs the reply points into: the clip and, for a video
 * extension, its source's clip. */
static void
fill_reply (KinemaSimServer *self,
            KinemaSimJob    *job,
            gboolean         gateway,
            KinemaSimReply  *reply,
            char            *out_urls[2])
{
  const KinemaSimJob *source = job->extend ? lookup_job (self, job->source_job_id) : NULL;

  reply->job = job;
  _kinema_sim_job_compute_view (job, _kinema_sim_server_now_ms (self), gateway, self->refresh_ms, &reply->view);
  out_urls[0] = video_url (self, job);
  reply->video_url = out_urls[0];
  out_urls[1] = source != NULL ? video_url (self, source) : NULL;
  reply->parent_video_url = out_urls[1];
}

static void
free_urls (char *urls[2])
{
  g_free (urls[0]);
  g_free (urls[1]);
}

static void
handle_query (KinemaSimServer   *self,
              SoupServerMessage *msg,
              RouteMatch        *match,
              KinemaSimDialect   dialect)
{
  KinemaSimJob *job = lookup_job (self, match->id);
  gboolean gateway = _kinema_sim_dialect_is_new_api (dialect);
  g_autofree char *request_id = g_uuid_string_random ();
  char            *urls[2] = { NULL, NULL };
  KinemaSimReply reply = { 0 };

  /* Kling looks a task up by task_id or external_task_id (1.2). */
  if (job == NULL && dialect == KINEMA_SIM_DIALECT_KLING)
    job = g_hash_table_lookup (self->jobs_by_external, match->id);
  /* A video extension is found on its own route only, and only an extension there: each
   * kind has its own query route (Kling docs, "Video Extension", 查询任务（单个）). */
  if (job != NULL && job->extend != match->extend)
    job = NULL;
  if (job == NULL)
    {
      reply_not_found (msg, dialect);
      return;
    }

  /* An extension waits for its source's clip when both were rendering at a restart. */
  if (job->extend)
    _kinema_sim_server_start_video (self, job);

  reply.request_id = request_id;
  fill_reply (self, job, gateway, &reply, urls);
  _kinema_sim_reply_json (msg, SOUP_STATUS_OK, _kinema_sim_build_query (dialect, &reply));
  free_urls (urls);

  if (gateway && self->refresh_ms == 0 && !job->gateway_fetched)
    {
      job->gateway_fetched = TRUE;
      _kinema_sim_server_save_job (self, job);
    }
}

static gboolean
query_int (GHashTable *query,
           const char *name,
           gint64      fallback,
           gint64      min,
           gint64      max,
           gint64     *out_value)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, name) : NULL;
  char *end = NULL;

  if (text == NULL)
    {
      *out_value = fallback;
      return TRUE;
    }
  *out_value = g_ascii_strtoll (text, &end, 10);
  return end != text && *end == '\0' && *out_value >= min && *out_value <= max;
}

static void
handle_list (KinemaSimServer   *self,
             SoupServerMessage *msg,
             RouteMatch        *match,
             GHashTable        *query,
             KinemaSimDialect   dialect)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autofree char *request_id = g_uuid_string_random ();
  gint64 page_num;
  gint64 page_size;
  gint64 skipped = 0;
  JsonNode *node;

  if (!query_int (query, "pageNum", 1, 1, 1000, &page_num) ||
      !query_int (query, "pageSize", 30, 1, 500, &page_size))
    {
      _kinema_sim_reply_error (msg, dialect, SOUP_STATUS_BAD_REQUEST, 1201, "invalid_request",
                               "pageNum must be in [1,1000] and pageSize in [1,500]");
      return;
    }

  for (guint i = self->jobs->len; i > 0 && (gint64) json_array_get_length (array) < page_size; i--)
    {
      KinemaSimJob *job = g_ptr_array_index (self->jobs, i - 1);
      char          *urls[2] = { NULL, NULL };
      KinemaSimReply reply = { 0 };

      /* Kling's list takes pageNum and pageSize only: any other parameter (such as
       * external_task_id) is ignored and every client's jobs on the account come back,
       * newest first (Kling docs, "Query Task (List)", copied in WHQ25/rawgenai
       * docs/research/kling/image-to-video.md; PROTOCOL.md 8.4). */
      if (job->image_to_video != match->image_to_video || job->extend != match->extend)
        continue;
      if (skipped++ < (page_num - 1) * page_size)
        continue;
      reply.request_id = request_id;
      fill_reply (self, job, FALSE, &reply, urls);
      json_array_add_element (array, _kinema_sim_build_kling_task (&reply, FALSE));
      free_urls (urls);
    }

  node = json_node_new (JSON_NODE_ARRAY);
  json_node_set_array (node, array);
  _kinema_sim_reply_json (msg, SOUP_STATUS_OK, _kinema_sim_build_kling_envelope (node, request_id));
}

/* ------------------------------------------------------------------------- */
/* Video files */

static void
serve_file (SoupServerMessage *msg,
            const char        *path,
            gboolean           with_cache_control)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  const char *content_type = g_str_has_suffix (path, ".webm") ? "video/webm" : "video/mp4";
  SoupRange *ranges = NULL;
  int n_ranges = 0;
  gsize total;

  mapped = g_mapped_file_new (path, FALSE, &error);
  if (mapped == NULL)
    {
      reply_text (msg, SOUP_STATUS_NOT_FOUND, "text/plain", "Not Found\n");
      return;
    }
  bytes = g_mapped_file_get_bytes (mapped);
  total = g_bytes_get_size (bytes);

  soup_message_headers_replace (response_headers, "Accept-Ranges", "bytes");
  if (with_cache_control)
    soup_message_headers_replace (response_headers, "Cache-Control", "public, max-age=86400");

  if (soup_message_headers_get_one (request_headers, "Range") != NULL)
    {
      if (!soup_message_headers_get_ranges (request_headers, total, &ranges, &n_ranges) ||
          ranges[0].start >= (goffset) total || ranges[0].end >= (goffset) total ||
          ranges[0].start > ranges[0].end)
        {
          g_autofree char *range = g_strdup_printf ("bytes */%" G_GSIZE_FORMAT, total);

          if (ranges != NULL)
            soup_message_headers_free_ranges (request_headers, ranges);
          soup_message_headers_replace (response_headers, "Content-Range", range);
          reply_text (msg, SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE, "text/plain", "Range Not Satisfiable\n");
          return;
        }
      if (n_ranges == 1)
        {
          g_autoptr(GBytes) slice = g_bytes_new_from_bytes (bytes, ranges[0].start,
                                                            ranges[0].end - ranges[0].start + 1);

          soup_message_headers_set_content_range (response_headers, ranges[0].start, ranges[0].end, total);
          soup_message_headers_free_ranges (request_headers, ranges);
          soup_server_message_set_status (msg, SOUP_STATUS_PARTIAL_CONTENT, NULL);
          soup_message_headers_set_content_type (response_headers, content_type, NULL);
          soup_message_body_append_bytes (soup_server_message_get_response_body (msg), slice);
          return;
        }
      /* Several ranges: a server may answer with the whole file. */
      soup_message_headers_free_ranges (request_headers, ranges);
    }

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (response_headers, content_type, NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), bytes);
}

static void
reply_cdn_error (SoupServerMessage *msg,
                 guint              status,
                 const char        *code,
                 const char        *message)
{
  g_autofree char *body = g_markup_printf_escaped ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                                   "<Error><Code>%s</Code><Message>%s</Message></Error>\n",
                                                   code, message);

  reply_text (msg, status, "application/xml", body);
}

static void
handle_cdn (KinemaSimServer   *self,
            SoupServerMessage *msg,
            RouteMatch        *match)
{
  g_autofree char *id = g_strdup (match->id);
  char *dot = strchr (id, '.');
  KinemaSimJob *job;
  KinemaSimJobView view;

  if (dot != NULL)
    *dot = '\0';
  job = lookup_job (self, id);
  if (job == NULL)
    {
      reply_cdn_error (msg, SOUP_STATUS_NOT_FOUND, "NoSuchKey", "The specified key does not exist.");
      return;
    }
  _kinema_sim_job_compute_view (job, _kinema_sim_server_now_ms (self), FALSE, 0, &view);
  if (view.state != KINEMA_SIM_JOB_SUCCEEDED)
    {
      reply_cdn_error (msg, SOUP_STATUS_NOT_FOUND, "NoSuchKey", "The specified key does not exist.");
      return;
    }
  if (_kinema_sim_server_now_ms (self) >= view.finish_ms + self->video_ttl_ms)
    {
      reply_cdn_error (msg, SOUP_STATUS_FORBIDDEN, "AccessDenied", "Request has expired");
      return;
    }
  serve_file (msg, job->video_path, FALSE);
}

static void
handle_content (KinemaSimServer   *self,
                SoupServerMessage *msg,
                RouteMatch        *match)
{
  KinemaSimJob *job = lookup_job (self, match->id);
  KinemaSimJobView view;

  if (job == NULL)
    {
      _kinema_sim_reply_json (msg, SOUP_STATUS_NOT_FOUND,
                              _kinema_sim_openai_error ("Task not found", "invalid_request_error", NULL, NULL));
      return;
    }
  _kinema_sim_job_compute_view (job, _kinema_sim_server_now_ms (self), TRUE, self->refresh_ms, &view);
  if (view.not_started || view.state != KINEMA_SIM_JOB_SUCCEEDED)
    {
      g_autofree char *message = g_strdup_printf ("Task is not completed yet, current status: %s",
                                                  _kinema_sim_new_api_status (&view, NULL));

      _kinema_sim_reply_json (msg, SOUP_STATUS_BAD_REQUEST,
                              _kinema_sim_openai_error (message, "invalid_request_error", NULL, NULL));
      return;
    }
  serve_file (msg, job->video_path, TRUE);
}

/* ------------------------------------------------------------------------- */
/* Faults */

static Fault *
take_fault (KinemaSimServer *self,
            const char      *method,
            const char      *path)
{
  for (guint i = 0; i < self->faults->len; i++)
    {
      Fault *fault = g_ptr_array_index (self->faults, i);
      Fault *copy;

      if (fault->count == 0 ||
          (fault->method != NULL && g_ascii_strcasecmp (fault->method, method) != 0) ||
          (fault->path != NULL && !g_pattern_match_simple (fault->path, path)))
        continue;

      copy = g_memdup2 (fault, sizeof *fault);
      copy->method = g_strdup (fault->method);
      copy->path = g_strdup (fault->path);
      copy->body = g_strdup (fault->body);
      if (fault->count > 0 && --fault->count == 0)
        g_ptr_array_remove_index (self->faults, i);
      return copy;
    }
  return NULL;
}

static void
reply_fault_status (SoupServerMessage *msg,
                    KinemaSimDialect   dialect,
                    RouteMatch        *match,
                    const Fault       *fault)
{
  guint status = fault->status != 0 ? fault->status : SOUP_STATUS_INTERNAL_SERVER_ERROR;
  const char *reason = status_phrase (status);

  if (fault->retry_after_s > 0)
    {
      g_autofree char *value = g_strdup_printf ("%u", fault->retry_after_s);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", value);
    }

  if (fault->body != NULL)
    {
      reply_text (msg, status, fault->body[0] == '{' || fault->body[0] == '[' ?
                  "application/json" : "text/plain", fault->body);
      return;
    }

  if (match->op == OP_CDN)
    {
      reply_cdn_error (msg, status, "ServiceUnavailable", reason != NULL ? reason : "error");
      return;
    }

  if (dialect == KINEMA_SIM_DIALECT_KLING)
    {
      g_autofree char *request_id = g_uuid_string_random ();
      int code = status == 429 ? 1302 : status == 503 ? 5001 : status == 504 ? 5002 : 5000;
      const char *message = status == 429 ? "too many requests, please slow down" :
                            status == 503 ? "service temporarily unavailable" : "server internal error";

      _kinema_sim_reply_json (msg, status, _kinema_sim_kling_error (code, message, request_id));
    }
  else if (dialect == KINEMA_SIM_DIALECT_OPENAI || dialect == KINEMA_SIM_DIALECT_DOCUMENTED ||
           match->op == OP_CONTENT)
    _kinema_sim_reply_json (msg, status, _kinema_sim_openai_error (reason != NULL ? reason : "error",
                                                                   status == 429 ? "rate_limit_error" : "server_error",
                                                                   NULL, NULL));
  else
    _kinema_sim_reply_json (msg, status, _kinema_sim_new_api_error ("fail_to_fetch_task", status == 429 ?
                                                                    "当前分组上游负载已饱和，请稍后再试" :
                                                                    reason != NULL ? reason : "upstream error"));
}

typedef struct {
  SoupServerMessage *msg;
  gulong             handler;
  gboolean           gone;
} SlowReply;

static void
slow_reply_gone_cb (SoupServerMessage *msg,
                    SlowReply         *slow)
{
  slow->gone = TRUE;
}

static gboolean
slow_reply_cb (gpointer user_data)
{
  SlowReply *slow = user_data;

  g_signal_handler_disconnect (slow->msg, slow->handler);
  if (!slow->gone)
    soup_server_message_unpause (slow->msg);
  g_object_unref (slow->msg);
  g_free (slow);
  return G_SOURCE_REMOVE;
}

static void
delay_reply (SoupServerMessage *msg,
             guint              delay_ms)
{
  SlowReply *slow = g_new0 (SlowReply, 1);

  slow->msg = g_object_ref (msg);
  slow->handler = g_signal_connect (msg, "disconnected", G_CALLBACK (slow_reply_gone_cb), slow);
  soup_server_message_pause (msg);
  g_timeout_add (delay_ms, slow_reply_cb, slow);
}

typedef struct {
  GIOStream *stream;
  GBytes    *data;
} RawReply;

static void
raw_reply_written_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  RawReply *raw = user_data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL);
  g_io_stream_close_async (raw->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_object_unref (raw->stream);
  g_bytes_unref (raw->data);
  g_free (raw);
}

/* Takes the connection from libsoup and writes @head plus half of @body by
 * hand, so that the client sees a Content-Length the body never reaches. */
static void
send_truncated (SoupServerMessage *msg,
                guint              status,
                const char        *content_type,
                GBytes            *body)
{
  GIOStream *stream = soup_server_message_steal_connection (msg);
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autofree char *head = NULL;
  gsize total = body != NULL ? g_bytes_get_size (body) : 0;
  RawReply *raw;

  if (stream == NULL)
    return;

  head = g_strdup_printf ("HTTP/1.1 %u %s\r\nContent-Type: %s\r\nContent-Length: %" G_GSIZE_FORMAT "\r\n"
                          "Accept-Ranges: bytes\r\nConnection: close\r\n\r\n",
                          status, status_phrase (status), content_type, total);
  g_byte_array_append (data, (const guint8 *) head, strlen (head));
  if (total > 0)
    g_byte_array_append (data, g_bytes_get_data (body, NULL), total / 2);

  raw = g_new0 (RawReply, 1);
  raw->stream = stream;
  raw->data = g_byte_array_free_to_bytes (g_steal_pointer (&data));
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream),
                                   g_bytes_get_data (raw->data, NULL), g_bytes_get_size (raw->data),
                                   G_PRIORITY_DEFAULT, NULL, raw_reply_written_cb, raw);
}

static void
drop_connection (SoupServerMessage *msg)
{
  GIOStream *stream = soup_server_message_steal_connection (msg);

  if (stream != NULL)
    {
      g_io_stream_close (stream, NULL, NULL);
      g_object_unref (stream);
    }
}

/* Applies @fault once the handler has (or has not) produced the real reply. */
static void
apply_fault (KinemaSimServer   *self,
             SoupServerMessage *msg,
             RouteMatch        *match,
             KinemaSimDialect   dialect,
             const Fault       *fault,
             gboolean           handled)
{
  SoupMessageBody *response = soup_server_message_get_response_body (msg);

  switch (fault->kind)
    {
    case KINEMA_SIM_FAULT_STATUS:
      soup_message_body_truncate (response);
      reply_fault_status (msg, dialect, match, fault);
      break;

    case KINEMA_SIM_FAULT_MALFORMED:
      soup_message_body_truncate (response);
      reply_text (msg, SOUP_STATUS_OK, "application/json",
                  "{\"code\":0,\"message\":\"SUCCEED\",\"data\":{\"task_id\":<b>Bad Gateway</b>,,}\n");
      break;

    case KINEMA_SIM_FAULT_TRUNCATED:
      {
        g_autoptr(GBytes) full = handled ? soup_message_body_flatten (response) : NULL;
        g_autofree char *text = NULL;

        if (full != NULL && g_bytes_get_size (full) > 1)
          text = g_strndup (g_bytes_get_data (full, NULL), g_bytes_get_size (full) / 2);
        else
          text = g_strdup ("{\"code\":0,\"message\":\"SUCCEED\",\"data\":{\"task_id\":\"88");
        soup_message_body_truncate (response);
        reply_text (msg, SOUP_STATUS_OK, "application/json", text);
      }
      break;

    case KINEMA_SIM_FAULT_HTML:
      soup_message_body_truncate (response);
      reply_html_index (msg);
      break;

    case KINEMA_SIM_FAULT_SLOW:
      if (!handled)
        reply_text (msg, SOUP_STATUS_OK, "application/json", "{}");
      delay_reply (msg, fault->delay_ms > 0 ? fault->delay_ms : 1000);
      break;

    case KINEMA_SIM_FAULT_DROP:
      drop_connection (msg);
      break;

    case KINEMA_SIM_FAULT_TRUNCATED_DOWNLOAD:
      {
        g_autoptr(GBytes) full = soup_message_body_flatten (response);
        const char *type = soup_message_headers_get_content_type (soup_server_message_get_response_headers (msg),
                                                                  NULL);
        guint status = soup_server_message_get_status (msg);

        send_truncated (msg, status != 0 ? status : SOUP_STATUS_OK, type != NULL ? type : "video/mp4", full);
      }
      break;

    case KINEMA_SIM_FAULT_BAD_RANGE:
      {
        /* Whatever was asked for, the reply claims to start one byte later: a client must
         * check Content-Range against its Range (RFC 9110, 14.4 and 15.3.7). */
        g_autoptr(GBytes) full = soup_message_body_flatten (response);
        SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
        SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
        SoupRange *ranges = NULL;
        int n_ranges = 0;
        goffset start = 0;
        goffset len = (goffset) MAX (g_bytes_get_size (full), 1);

        if (soup_message_headers_get_ranges (request_headers, G_MAXINT64, &ranges, &n_ranges))
          {
            start = ranges[0].start;
            soup_message_headers_free_ranges (request_headers, ranges);
          }
        soup_message_body_truncate (response);
        soup_message_headers_set_content_range (response_headers, start + 1, start + len, start + 1 + len);
        soup_server_message_set_status (msg, SOUP_STATUS_PARTIAL_CONTENT, NULL);
        soup_message_headers_set_content_type (response_headers, "video/mp4", NULL);
        if (g_bytes_get_size (full) > 0)
          soup_message_body_append_bytes (response, full);
        else
          soup_message_body_append (response, SOUP_MEMORY_STATIC, "\0", 1);
      }
      break;

    case KINEMA_SIM_FAULT_DEEP_JSON:
      {
        /* json-glib recursed once per level and overflowed the stack on this. */
        GString *text = g_string_new ("{\"code\":0,\"message\":\"SUCCEED\",\"data\":");

        for (guint i = 0; i < 300 * 1024; i++)
          g_string_append_c (text, '[');
        soup_message_body_truncate (response);
        soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
        soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text->str, text->len);
        g_string_free (text, FALSE);
      }
      break;

    case KINEMA_SIM_FAULT_REDIRECT:
      /* 302 with Location, resolved against the request's URL (RFC 9110, 10.2.2, 15.4.3). */
      soup_message_body_truncate (response);
      soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, fault->body != NULL ? fault->body : "/");
      break;

    case KINEMA_SIM_FAULT_OVERSIZED:
      {
        gsize size = 8 * 1024 * 1024;
        char *text = g_malloc (size);

        memset (text, ' ', size);
        memcpy (text, "{\"code\":0,\"data\":{}}", 20);
        soup_message_body_truncate (response);
        soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
        soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, size);
      }
      break;

    case KINEMA_SIM_FAULT_EXPIRED:
    default:
      soup_message_body_truncate (response);
      reply_cdn_error (msg, SOUP_STATUS_FORBIDDEN, "AccessDenied", "Request has expired");
      break;
    }
}

/* Faults that need the real reply (or its side effects) run the handler first. */
static gboolean
fault_needs_handler (const Fault *fault)
{
  return fault->after_create ||
         fault->kind == KINEMA_SIM_FAULT_SLOW ||
         fault->kind == KINEMA_SIM_FAULT_BAD_RANGE ||
         fault->kind == KINEMA_SIM_FAULT_TRUNCATED_DOWNLOAD;
}

/* ------------------------------------------------------------------------- */
/* Control routes */

static JsonNode *
parse_body_json (SoupServerMessage *msg)
{
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (g_bytes_get_size (bytes) == 0 ||
      !kinema_json_parser_load (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL))
    return NULL;
  return json_node_ref (json_parser_get_root (parser));
}

static gboolean
add_fault_from_json (KinemaSimServer *self,
                     JsonNode        *node)
{
  JsonObject *object;
  KinemaSimFault fault = { 0 };

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  object = json_node_get_object (node);
  if (!kinema_sim_fault_kind_from_string (json_object_get_string_member_with_default (object, "kind", "status"),
                                          &fault.kind))
    return FALSE;
  fault.method = json_object_get_string_member_with_default (object, "method", NULL);
  fault.path = json_object_get_string_member_with_default (object, "path", NULL);
  fault.status = (guint) json_object_get_int_member_with_default (object, "status", 0);
  fault.retry_after_s = (guint) json_object_get_int_member_with_default (object, "retry_after", 0);
  fault.delay_ms = (guint) json_object_get_int_member_with_default (object, "delay_ms", 0);
  fault.count = (int) json_object_get_int_member_with_default (object, "count", 1);
  fault.after_create = json_object_get_boolean_member_with_default (object, "after_create", FALSE);
  fault.body = json_object_get_string_member_with_default (object, "body", NULL);
  kinema_sim_server_add_fault (self, &fault);
  return TRUE;
}

static gboolean
apply_config (KinemaSimServer *self,
              JsonObject      *config)
{
  if (json_object_has_member (config, "dialect"))
    {
      KinemaSimDialect dialect;

      if (!kinema_sim_dialect_from_string (json_object_get_string_member_with_default (config, "dialect", ""),
                                           &dialect))
        return FALSE;
      kinema_sim_server_set_all_dialects (self, dialect);
    }
  if (json_object_has_member (config, "dialects") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (config, "dialects")))
    {
      JsonObject *dialects = json_object_get_object_member (config, "dialects");
      g_autoptr(GList) members = json_object_get_members (dialects);

      for (GList *l = members; l != NULL; l = l->next)
        {
          KinemaSimRoute route;
          KinemaSimDialect dialect;

          if (!kinema_sim_route_from_string (l->data, &route) ||
              !kinema_sim_dialect_from_string (json_object_get_string_member_with_default (dialects, l->data, ""),
                                               &dialect))
            return FALSE;
          kinema_sim_server_set_dialect (self, route, dialect);
        }
    }
  if (json_object_has_member (config, "queued_ms") || json_object_has_member (config, "running_ms"))
    kinema_sim_server_set_clock (self,
                                 (guint) json_object_get_int_member_with_default (config, "queued_ms",
                                                                                  self->queued_ms),
                                 (guint) json_object_get_int_member_with_default (config, "running_ms",
                                                                                  self->running_ms));
  if (json_object_has_member (config, "refresh_ms"))
    kinema_sim_server_set_refresh_ms (self, (guint) json_object_get_int_member (config, "refresh_ms"));
  if (json_object_has_member (config, "fail_next"))
    kinema_sim_server_fail_next (self, (guint) json_object_get_int_member (config, "fail_next"),
                                 json_object_get_string_member_with_default (config, "fail_message", NULL));
  if (json_object_has_member (config, "refuse_next"))
    kinema_sim_server_refuse_next (self, (guint) json_object_get_int_member (config, "refuse_next"),
                                   (int) json_object_get_int_member_with_default (config, "refuse_code", 1301),
                                   json_object_get_string_member_with_default (config, "refuse_message", NULL));
  if (json_object_has_member (config, "advance_ms"))
    kinema_sim_server_advance_clock (self, json_object_get_int_member (config, "advance_ms"));
  return TRUE;
}

static void
reply_ok (SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_end_object (builder);
  _kinema_sim_reply_json (msg, SOUP_STATUS_OK, json_builder_get_root (builder));
}

static void
handle_control (KinemaSimServer   *self,
                SoupServerMessage *msg,
                const char        *method,
                const char        *path)
{
  g_autoptr(JsonNode) body = NULL;

  if (g_str_equal (path, "/_sim/stats") && g_str_equal (method, "GET"))
    {
      _kinema_sim_reply_json (msg, SOUP_STATUS_OK, kinema_sim_server_dup_stats (self));
      return;
    }
  if (!g_str_equal (method, "POST") && !g_str_equal (method, "DELETE"))
    {
      reply_text (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "text/plain", "Method Not Allowed\n");
      return;
    }

  body = parse_body_json (msg);

  if (g_str_equal (path, "/_sim/faults"))
    {
      gboolean ok = TRUE;

      if (g_str_equal (method, "DELETE"))
        kinema_sim_server_clear_faults (self);
      else if (body != NULL && JSON_NODE_HOLDS_ARRAY (body))
        {
          JsonArray *array = json_node_get_array (body);

          for (guint i = 0; ok && i < json_array_get_length (array); i++)
            ok = add_fault_from_json (self, json_array_get_element (array, i));
        }
      else if (body != NULL && JSON_NODE_HOLDS_OBJECT (body) &&
               json_object_get_boolean_member_with_default (json_node_get_object (body), "clear", FALSE))
        kinema_sim_server_clear_faults (self);
      else if (body != NULL)
        ok = add_fault_from_json (self, body);
      else
        ok = FALSE;

      if (ok)
        reply_ok (msg);
      else
        _kinema_sim_reply_json (msg, SOUP_STATUS_BAD_REQUEST,
                                _kinema_sim_openai_error ("bad fault description", "invalid_request_error", NULL, NULL));
    }
  else if (g_str_equal (path, "/_sim/reset"))
    {
      kinema_sim_server_reset (self, body != NULL && JSON_NODE_HOLDS_OBJECT (body) &&
                               json_object_get_boolean_member_with_default (json_node_get_object (body),
                                                                            "jobs", FALSE));
      reply_ok (msg);
    }
  else if (g_str_equal (path, "/_sim/clock") || g_str_equal (path, "/_sim/config"))
    {
      if (body != NULL && JSON_NODE_HOLDS_OBJECT (body) && apply_config (self, json_node_get_object (body)))
        reply_ok (msg);
      else
        _kinema_sim_reply_json (msg, SOUP_STATUS_BAD_REQUEST,
                                _kinema_sim_openai_error ("bad configuration", "invalid_request_error", NULL, NULL));
    }
  else
    reply_text (msg, SOUP_STATUS_NOT_FOUND, "text/plain", "Not Found\n");
}

/* ------------------------------------------------------------------------- */
/* The handler */

static void
count_request (KinemaSimServer *self,
               const char      *key)
{
  self->total_requests++;
  g_hash_table_insert (self->route_counts, g_strdup (key),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (self->route_counts, key)) + 1));
}

static void
handle_route (KinemaSimServer   *self,
              SoupServerMessage *msg,
              RouteMatch        *match,
              GHashTable        *query,
              KinemaSimDialect   dialect,
              const char        *method,
              const char        *path)
{
  switch (match->op)
    {
    case OP_INDEX:
      reply_html_index (msg);
      return;
    case OP_CDN:
      handle_cdn (self, msg, match);
      return;
    case OP_UNKNOWN:
      reply_unknown_route (msg, method, path);
      return;
    case OP_SUBMIT:
    case OP_QUERY:
    case OP_LIST:
    case OP_CONTENT:
    default:
      break;
    }

  /* A gateway without this route family serves its web UI. Upstream new-api has
   * no list route either. */
  if (dialect == KINEMA_SIM_DIALECT_NONE || (match->op == OP_LIST && dialect != KINEMA_SIM_DIALECT_KLING))
    {
      reply_html_index (msg);
      return;
    }

  /* new-api routes no video-extend (router/video-router.go: only text2video and
   * image2video under /kling/v1/videos): a gateway answers as for any unknown path. A
   * Kling passthrough (the demo) relays it like the official API. */
  if (match->extend && dialect != KINEMA_SIM_DIALECT_KLING)
    {
      reply_unknown_route (msg, method, path);
      return;
    }

  if (!check_auth (self, msg, match->route, dialect))
    return;

  switch (match->op)
    {
    case OP_SUBMIT:
      _kinema_sim_server_handle_submit (self, msg, match, dialect);
      break;
    case OP_QUERY:
      handle_query (self, msg, match, dialect);
      break;
    case OP_LIST:
      handle_list (self, msg, match, query, dialect);
      break;
    case OP_CONTENT:
      handle_content (self, msg, match);
      break;
    case OP_INDEX:
    case OP_CDN:
    case OP_UNKNOWN:
    default:
      g_assert_not_reached ();
    }
}

static void
server_handler (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  KinemaSimServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(KinemaSimServer) hold = g_object_ref (self);
  g_auto(RouteMatch) match = { 0 };
  g_autoptr(Fault) fault = NULL;
  KinemaSimDialect dialect;
  LogEntry *entry;

  if (g_str_has_prefix (path, "/_sim/"))
    {
      handle_control (self, msg, method, path);
      return;
    }

  match_route (method, path, &match);
  count_request (self, match.key != NULL ? match.key : "other");
  dialect = match.op == OP_UNKNOWN || match.op == OP_CDN || match.op == OP_INDEX ?
            KINEMA_SIM_DIALECT_NEW_API : self->dialects[match.route];

  entry = g_new0 (LogEntry, 1);
  entry->method = g_strdup (method);
  entry->path = g_strdup (path);
  entry->time_us = g_get_real_time ();
  entry->authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                       "Authorization") != NULL;
  if (entry->authorization)
    {
      /* Enough for a test to tell whose key reached this server, and no more. */
      g_autofree char *digest = g_compute_checksum_for_string (
          G_CHECKSUM_SHA256,
          soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization"), -1);

      entry->authorization_hash = g_strndup (digest, 16);
    }
  if (self->log->len >= MAX_LOG_ENTRIES)
    g_ptr_array_remove_index (self->log, 0);
  g_ptr_array_add (self->log, entry);

  fault = take_fault (self, method, path);
  if (fault == NULL || fault_needs_handler (fault))
    handle_route (self, msg, &match, query, dialect, method, path);
  if (fault != NULL)
    {
      g_debug ("Fault %s on %s %s", kinema_sim_fault_kind_to_string (fault->kind), method, path);
      apply_fault (self, msg, &match, dialect, fault, fault_needs_handler (fault));
    }

  entry->status = fault != NULL && (fault->kind == KINEMA_SIM_FAULT_DROP) ? 0 : soup_server_message_get_status (msg);
  g_debug ("%s %s -> %u", method, path, entry->status);
}

/* ------------------------------------------------------------------------- */
/* GObject */

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          remove_tree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

static void
kinema_sim_server_constructed (GObject *object)
{
  KinemaSimServer *self = KINEMA_SIM_SERVER (object);

  G_OBJECT_CLASS (kinema_sim_server_parent_class)->constructed (object);

  if (self->state_dir != NULL)
    {
      g_mkdir_with_parents (self->state_dir, 0700);
      self->work_dir = g_strdup (self->state_dir);
      load_jobs (self);
    }
  else
    {
      g_autoptr(GError) error = NULL;

      self->work_dir = g_dir_make_tmp ("kinema-sim-XXXXXX", &error);
      if (self->work_dir == NULL)
        {
          g_warning ("No temporary directory: %s", error->message);
          self->work_dir = g_build_filename (g_get_tmp_dir (), "kinema-sim", NULL);
        }
      else
        self->own_work_dir = TRUE;
    }
}

static void
kinema_sim_server_dispose (GObject *object)
{
  KinemaSimServer *self = KINEMA_SIM_SERVER (object);

  g_cancellable_cancel (self->cancellable);
  kinema_sim_server_stop (self);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (kinema_sim_server_parent_class)->dispose (object);
}

static void
kinema_sim_server_finalize (GObject *object)
{
  KinemaSimServer *self = KINEMA_SIM_SERVER (object);

  if (self->own_work_dir)
    remove_tree (self->work_dir);

  g_clear_object (&self->cancellable);
  g_free (self->base_url);
  g_free (self->state_dir);
  g_free (self->work_dir);
  g_ptr_array_unref (self->bearer_keys);
  g_free (self->access_key);
  g_free (self->secret_key);
  g_free (self->clip_file);
  g_free (self->fail_marker);
  g_free (self->fail_next_message);
  g_free (self->refuse_message);
  g_hash_table_unref (self->jobs_by_id);
  g_hash_table_unref (self->jobs_by_external);
  g_ptr_array_unref (self->jobs);
  g_free (self->last_job_id);
  g_ptr_array_unref (self->faults);
  g_ptr_array_unref (self->log);
  g_hash_table_unref (self->route_counts);
  g_hash_table_unref (self->submit_counts);
  g_hash_table_unref (self->renders);

  G_OBJECT_CLASS (kinema_sim_server_parent_class)->finalize (object);
}

static void
kinema_sim_server_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  KinemaSimServer *self = KINEMA_SIM_SERVER (object);

  switch (prop_id)
    {
    case PROP_STATE_DIR:
      g_value_set_string (value, self->state_dir);
      break;
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_QUEUED_MS:
      g_value_set_uint (value, self->queued_ms);
      break;
    case PROP_RUNNING_MS:
      g_value_set_uint (value, self->running_ms);
      break;
    case PROP_REFRESH_MS:
      g_value_set_uint (value, self->refresh_ms);
      break;
    case PROP_CLIP_FILE:
      g_value_set_string (value, self->clip_file);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kinema_sim_server_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  KinemaSimServer *self = KINEMA_SIM_SERVER (object);

  switch (prop_id)
    {
    case PROP_STATE_DIR:
      self->state_dir = g_value_dup_string (value);
      break;
    case PROP_QUEUED_MS:
      kinema_sim_server_set_clock (self, g_value_get_uint (value), self->running_ms);
      break;
    case PROP_RUNNING_MS:
      kinema_sim_server_set_clock (self, self->queued_ms, g_value_get_uint (value));
      break;
    case PROP_REFRESH_MS:
      kinema_sim_server_set_refresh_ms (self, g_value_get_uint (value));
      break;
    case PROP_CLIP_FILE:
      kinema_sim_server_set_clip_file (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kinema_sim_server_class_init (KinemaSimServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = kinema_sim_server_constructed;
  object_class->dispose = kinema_sim_server_dispose;
  object_class->finalize = kinema_sim_server_finalize;
  object_class->get_property = kinema_sim_server_get_property;
  object_class->set_property = kinema_sim_server_set_property;

  properties[PROP_STATE_DIR] =
    g_param_spec_string ("state-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_QUEUED_MS] =
    g_param_spec_uint ("queued-ms", NULL, NULL, 0, G_MAXUINT, DEFAULT_QUEUED_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING_MS] =
    g_param_spec_uint ("running-ms", NULL, NULL, 0, G_MAXUINT, DEFAULT_RUNNING_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REFRESH_MS] =
    g_param_spec_uint ("refresh-ms", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIP_FILE] =
    g_param_spec_string ("clip-file", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kinema_sim_server_init (KinemaSimServer *self)
{
  self->dialects[KINEMA_SIM_ROUTE_KLING] = KINEMA_SIM_DIALECT_KLING;
  self->dialects[KINEMA_SIM_ROUTE_KLING_GATEWAY] = KINEMA_SIM_DIALECT_NEW_API;
  self->dialects[KINEMA_SIM_ROUTE_GENERATIONS] = KINEMA_SIM_DIALECT_NEW_API;
  self->dialects[KINEMA_SIM_ROUTE_OPENAI] = KINEMA_SIM_DIALECT_OPENAI;
  self->queued_ms = DEFAULT_QUEUED_MS;
  self->running_ms = DEFAULT_RUNNING_MS;
  self->render_height = 360;
  self->video_ttl_ms = DEFAULT_VIDEO_TTL_MS;
  self->fail_marker = g_strdup (DEFAULT_FAIL_MARKER);
  self->next_row_id = 1;
  self->bearer_keys = g_ptr_array_new_with_free_func (g_free);
  self->jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) _kinema_sim_job_free);
  self->jobs_by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->jobs_by_external = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->faults = g_ptr_array_new_with_free_func ((GDestroyNotify) fault_free);
  self->log = g_ptr_array_new_with_free_func ((GDestroyNotify) log_entry_free);
  self->route_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->submit_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->renders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  self->cancellable = g_cancellable_new ();
}

/* ------------------------------------------------------------------------- */
/* Public API */

/**
 * kinema_sim_server_new:
 * @state_dir: (nullable): where jobs, images and clips are kept across
 *   restarts, or %NULL for a temporary directory removed with the server
 *
 * Returns: (transfer full): a new simulator, not yet listening
 */
KinemaSimServer *
kinema_sim_server_new (const char *state_dir)
{
  return g_object_new (KINEMA_TYPE_SIM_SERVER, "state-dir", state_dir, NULL);
}

/**
 * kinema_sim_server_start:
 * @self: a #KinemaSimServer
 * @port: a port on 127.0.0.1, or 0 for a free one
 * @error: a #GError
 *
 * Starts listening on 127.0.0.1 (never on other interfaces).
 */
gboolean
kinema_sim_server_start (KinemaSimServer  *self,
                         guint             port,
                         GError          **error)
{
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  GSList *uris;

  g_return_val_if_fail (KINEMA_IS_SIM_SERVER (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);

  self->server = soup_server_new ("server-header", "kinema-sim/" PACKAGE_VERSION " ", NULL);
  soup_server_add_handler (self->server, NULL, server_handler, self, NULL);

  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, (guint16) port);
  if (!soup_server_listen (self->server, address, 0, error))
    {
      g_clear_object (&self->server);
      return FALSE;
    }

  uris = soup_server_get_uris (self->server);
  self->port = uris != NULL ? (guint) g_uri_get_port (uris->data) : port;
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_free (self->base_url);
  self->base_url = g_strdup_printf ("http://127.0.0.1:%u", self->port);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);

  /* Jobs reloaded from the state directory get their clips again if needed. */
  for (guint i = 0; i < self->jobs->len; i++)
    _kinema_sim_server_start_video (self, g_ptr_array_index (self->jobs, i));

  return TRUE;
}

void
kinema_sim_server_stop (KinemaSimServer *self)
{
  g_return_if_fail (KINEMA_IS_SIM_SERVER (self));

  if (self->server == NULL)
    return;
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
}

/**
 * kinema_sim_server_get_base_url:
 * @self: a #KinemaSimServer
 *
 * Returns: (nullable): `http://127.0.0.1:PORT` once started
 */
const char *
kinema_sim_server_get_base_url (KinemaSimServer *self)
{
  g_return_val_if_fail (KINEMA_IS_SIM_SERVER (self), NULL);
  return self->base_url;
}

guint
kinema_sim_server_get_port (KinemaSimServer *self)
{
  g_return_val_if_fail (KINEMA_IS_SIM_SERVER (self), 0);
  return self->port;
}

const char *
kinema_sim_server_get_state_dir (KinemaSimServer *self)
{
  g_return_val_if_fail (KINEMA_IS_SIM_SERVER (self), NULL);
  return self->state_dir;
}

void
kinema_sim_server_set_dialect (KinemaSimServer  *self,
                               KinemaSimRoute    route,
                               KinemaSimDialect  dialect)
{
  g_return_if_fail (KINEMA_IS_SIM_SERVER (self));
  g_return_if_fail (route < KINEMA_SIM_N_ROUTES);
  g_return_if_fail (dialect <= KINEMA_SIM_DIALECT_NONE);
  self->dialects[route] = dialect;
}

void
kinema_sim_server_set_all_dialects (KinemaSimServer  *self,
                                    KinemaSimDialect  dialect)
{
  for (guint i = 0; i < KINEMA_SIM_N_ROUTES; i++)
    kinema_sim_server_set_dialect (self, (KinemaSimRoute) i, dialect);
}

KinemaSimDialect
kinema_sim_server_get_dialect (KinemaSimServer *self,
                               KinemaSimRoute   route)
{
  g_return_val_if_fail (KINEMA_IS_SIM_SERVER (self), KINEMA_SIM_DIALECT_NONE);
  g_return_val_if_fail (route < KINEMA_SIM_N_ROUTES, KINEMA_SIM_DIALECT_NONE);
  return self->dialects[route];
}

/**
 * kinema_sim_server_set_clock:
 * @self: a #KinemaSimServer
 * @queued_ms: how long new jobs stay submitted/queued
 * @running_ms: how long they then process
 *
 * Applies to jobs created from now on; each job keeps its own clock.
 */
void
kinema_sim_server_set_clock (KinemaSimServer *self,
                             guint            queued_ms,
                             guint            running_ms)
{
  g_return_if_fail (KINEMA_IS_SIM_SERVER (self));

  if (self->queued_ms != queued_ms)
    {
      self->queued_ms = queued_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUEUED_MS]);
    }
  if (self->running_ms != running_ms)
    {
      self->running_ms = running_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING_MS]);
    }
}

guint
kinema_sim_server_get_queued_ms (KinemaSimServer *self)
{
  g_return_val_if_fail (KINEMA_IS_SIM_SERVER (self), 0);
  return self->queued_ms;
}

guint
kinema_sim_server_get_running_ms (KinemaSimServer *self)
{
  g_return_val_if_fail (KINEMA_IS_SIM_SERVER (self), 0);
  return self->running_ms;
}

/**
 * kinema_sim_server_set_refresh_ms:
 * @self: a #KinemaSimServer
 * @refresh_ms: 0, or new-api's own polling period (15000 in PROTOCOL 2.6)
 *
 * With a period, new-api dialects show a job as it was at the last multiple of
 * the period since its creation (NOT_START before the first), and say when in
 * `updated_at`. With 0 they show NOT_START once, then the live state.
 */
void
kinema_sim_server_set_refresh_ms (KinemaSimServer *self,
                                  guint            refresh_ms)
{
  g_return_if_fail (KINEMA_IS_SIM_SERVER (self));

  if (self->refresh_ms == refresh_ms)
    return;
  self->refresh_ms = refresh_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESH_MS]);
}

guint
kinema_sim_server_get_refresh_ms (KinemaSimServer *self)
{
  g_return_val_if_fail (KINEMA_IS_SIM_SERVER (self), 0);
  return self->refresh_ms;
}

/**
 * kinema_sim_server_advance_clock:
 * @self: a #KinemaSimServer
 * @ms: how far to move the simulator's clock forward
 *
 * Lets tests walk jobs through their states without waiting.
 */
void
kinema_sim_server_advance_clock (KinemaSimServer *self,
                                 gint64           ms)
{
  g_return_if_fail (KINEMA_IS_SIM_SERVER (self));
  self->clock_offset_ms += ms;
}

/**
 * kinema_sim_server_add_bearer_key:
 * @self: a #KinemaSimServer
 * @key: a gateway key (`sk-…`; new-api also takes it without `sk-`)
 *
 * Without any bearer key every non-empty token is accepted.
 */
void
kinema_sim_server_add_bearer_key (KinemaSimServer *self,
                                  const char      *key)
{
  g_return_if_fail (KINEMA_IS_SIM_SERVER (self));
  g_return_if_fail (key != NULL);
  g_ptr_array_add (self->bearer_keys, g_strdup (key));
}

/**
 * kinema_sim_server_set_kling_keys:
 * @self: a #KinemaSimServer
 * @access_key: (nullable): the access key (the JWT's `iss`)
 * @secret_key: (nullable): the HS256 key
 *
 * With keys set, the official `/v1/videos/…` routes require a Kling JWT.
 */
void
kinema_sim_server_set_kling_keys (KinemaSimServer *self,
                                  const char      *access_key,
                                  const char      *secret_key)
{
  g_return_if_fail (KINEMA_IS_SIM_SERVER (self));
  g_return_if_fail ((access_key == NULL) == (secret_key == NULL));

  g_free (self->access_key);
  g_free (self->secret_key);
  self->access_key = g_strdup (access_key);
  self->secret_key = g_strdup (secret_key);
}

/**
 * kinema_sim_server_set_clip_file:
 * @self: a #KinemaSimServer
 * @path: (nullable): a video every job finishes with, or %NULL to render clips
 */
void
kinema_sim_server_set_clip_file (KinemaSimServer *self,
                                 const char      *path)
{
  g_return_if_fail (KINEMA_IS_SIM_SERVER (self));

  if (g_strcmp0 (self->clip_file, path) == 0)
    return;
  g_free (self->clip_file);
  self->clip_file = g_strdup (path);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIP_FILE]);
}

const char *
kinema_sim_server_get_clip_file (KinemaSimServer *self)
{
  g_return_val_if_fail (KINEMA_IS_SIM_SERVER (self), NULL);
  return self->clip_file;
}

/**
 * kinema_sim_server_set_render_options:
 * @self: a #KinemaSimServer
 * @height: clip height in pixels (0: the renderer's 720)
 * @duration_s: clip length, or 0 for the job's duration
 * @demo_mark: draw the renderer's "DEMO" badge
 */
void
kinema_sim_server_set_render_options (KinemaSimServer *self,
                                      guint            height,
                                      guint            duration_s,
                                      gboolean         demo_mark)
{
  g_return_if_fail (KINEMA_IS_SIM_SERVER (self));
  self->render_height = height;
  self->render_duration_s = duration_s;
  self->demo_mark = !!demo_mark;
}

/**
 * kinema_sim_server_set_video_ttl_ms:
 * @self: a #KinemaSimServer
 * @ttl_ms: how long a result URL works after the job finished (30 days by default)
 */
void
kinema_sim_server_set_video_ttl_ms (KinemaSimServer *self,
                                    gint64           ttl_ms)
{
  g_return_if_fail (KINEMA_IS_SIM_SERVER (self));
  self->video_ttl_ms = ttl_ms;
}

/**
 * kinema_sim_server_set_fail_marker:
 * @self: a #KinemaSimServer
 * @marker: (nullable): jobs whose prompt contains it fail ("#fail" by default)
 */
void
kinema_sim_server_set_fail_marker (KinemaSimServer *self,
                                   const char      *marker)
{
  g_return_if_fail (KINEMA_IS_SIM_SERVER (self));
  g_free (self->fail_marker);
  self->fail_marker = g_strdup (marker);
}

/**
 * kinema_sim_server_fail_next:
 * @self: a #KinemaSimServer
 * @n_jobs: how many of the next jobs fail
 * @message: (nullable): their `task_status_msg`
 */
void
kinema_sim_server_fail_next (KinemaSimServer *self,
                             guint            n_jobs,
                             const char      *message)
{
  g_return_if_fail (KINEMA_IS_SIM_SERVER (self));
  self->fail_next = n_jobs;
  g_free (self->fail_next_message);
  self->fail_next_message = g_strdup (message);
}

/**
 * kinema_sim_server_refuse_next:
 * @self: a #KinemaSimServer
 * @n_submits: how many submits Kling refuses
 * @kling_code: Kling's code, e.g. 1301 (content review) or 1002 (the key)
 * @message: (nullable): Kling's `message`
 *
 * Kling itself refuses the next @n_submits that reach it: the official route answers
 * with Kling's error, a new-api gateway relays it in its "fail_to_fetch_task" wrapper
 * with Kling's HTTP status (new-api relay/relay_task.go, RelayTaskSubmit). On a
 * gateway, 1000-1004 stand for the gateway's own Kling credential.
 */
void
kinema_sim_server_refuse_next (KinemaSimServer *self,
                               guint            n_submits,
                               int              kling_code,
                               const char      *message)
{
  g_return_if_fail (KINEMA_IS_SIM_SERVER (self));
  self->refuse_next = n_submits;
  self->refuse_code = kling_code;
  g_free (self->refuse_message);
  self->refuse_message = g_strdup (message);
}

/**
 * kinema_sim_server_add_fault:
 * @self: a #KinemaSimServer
 * @fault: what to break; copied
 *
 * Faults are tried in the order they were added; the first one matching a
 * request is used (and counted down).
 */
void
kinema_sim_server_add_fault (KinemaSimServer      *self,
                             const KinemaSimFault *fault)
{
  Fault *copy;

  g_return_if_fail (KINEMA_IS_SIM_SERVER (self));
  g_return_if_fail (fault != NULL);

  if (fault->count == 0)
    return;

  copy = g_new0 (Fault, 1);
  copy->method = g_strdup (fault->method);
  copy->path = g_strdup (fault->path);
  copy->kind = fault->kind;
  copy->status = fault->status;
  copy->retry_after_s = fault->retry_after_s;
  copy->delay_ms = fault->delay_ms;
  copy->count = fault->count;
  copy->after_create = fault->after_create;
  copy->body = g_strdup (fault->body);
  g_ptr_array_add (self->faults, copy);
}

void
kinema_sim_server_clear_faults (KinemaSimServer *self)
{
  g_return_if_fail (KINEMA_IS_SIM_SERVER (self));
  g_ptr_array_set_size (self->faults, 0);
}

/**
 * kinema_sim_server_reset:
 * @self: a #KinemaSimServer
 * @drop_jobs: also forget every job
 *
 * Clears the request log, the counters and the faults.
 */
void
kinema_sim_server_reset (KinemaSimServer *self,
                         gboolean         drop_jobs)
{
  g_return_if_fail (KINEMA_IS_SIM_SERVER (self));

  kinema_sim_server_clear_faults (self);
  g_ptr_array_set_size (self->log, 0);
  g_hash_table_remove_all (self->route_counts);
  g_hash_table_remove_all (self->submit_counts);
  self->total_requests = 0;
  self->fail_next = 0;

  if (drop_jobs)
    {
      if (self->state_dir != NULL)
        for (guint i = 0; i < self->jobs->len; i++)
          {
            KinemaSimJob *job = g_ptr_array_index (self->jobs, i);
            g_autofree char *name = g_strconcat (job->upstream_id, ".json", NULL);
            g_autofree char *path = g_build_filename (self->state_dir, "jobs", name, NULL);

            g_unlink (path);
          }
      g_hash_table_remove_all (self->jobs_by_id);
      g_hash_table_remove_all (self->jobs_by_external);
      g_ptr_array_set_size (self->jobs, 0);
      g_clear_pointer (&self->last_job_id, g_free);
    }
}

/**
 * kinema_sim_server_get_request_count:
 * @self: a #KinemaSimServer
 * @route_key: "METHOD TEMPLATE", e.g. "POST /v1/video/generations",
 *   "GET /kling/v1/videos/image2video/{id}", "GET /v1/videos/{id}/content",
 *   "GET /cdn/{file}", or "other"
 *
 * Returns: how many requests reached that route since the last reset
 */
guint
kinema_sim_server_get_request_count (KinemaSimServer *self,
                                     const char      *route_key)
{
  g_return_val_if_fail (KINEMA_IS_SIM_SERVER (self), 0);
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->route_counts, route_key));
}

guint
kinema_sim_server_get_total_requests (KinemaSimServer *self)
{
  g_return_val_if_fail (KINEMA_IS_SIM_SERVER (self), 0);
  return self->total_requests;
}

/**
 * kinema_sim_server_get_submit_count:
 * @self: a #KinemaSimServer
 * @external_task_id: (nullable): an `external_task_id`
 *
 * Returns: how many submit requests carried @external_task_id (whether or not
 *   they created a job), or with %NULL how many jobs exist
 */
guint
kinema_sim_server_get_submit_count (KinemaSimServer *self,
                                    const char      *external_task_id)
{
  g_return_val_if_fail (KINEMA_IS_SIM_SERVER (self), 0);

  if (external_task_id == NULL)
    return self->jobs->len;
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->submit_counts, external_task_id));
}

guint
kinema_sim_server_get_n_jobs (KinemaSimServer *self)
{
  g_return_val_if_fail (KINEMA_IS_SIM_SERVER (self), 0);
  return self->jobs->len;
}

/**
 * kinema_sim_server_dup_last_job_id:
 * @self: a #KinemaSimServer
 *
 * Returns: (transfer full) (nullable): the id the last submit answered with
 */
char *
kinema_sim_server_dup_last_job_id (KinemaSimServer *self)
{
  g_return_val_if_fail (KINEMA_IS_SIM_SERVER (self), NULL);
  return g_strdup (self->last_job_id);
}

/**
 * kinema_sim_server_dup_job_image:
 * @job_id: a job id as its client sees it
 *
 * Returns: (nullable): the decoded start image the job was sent (a file in the
 *   simulator's work folder), or %NULL (no such job, text-to-video, an image URL)
 */
char *
kinema_sim_server_dup_job_image (KinemaSimServer *self,
                                 const char      *job_id)
{
  KinemaSimJob *job;

  g_return_val_if_fail (KINEMA_IS_SIM_SERVER (self), NULL);
  g_return_val_if_fail (job_id != NULL, NULL);

  job = lookup_job (self, job_id);
  return job != NULL ? g_strdup (job->image_path) : NULL;
}

static const char *
state_name (KinemaSimJobState state)
{
  switch (state)
    {
    case KINEMA_SIM_JOB_QUEUED:
      return "queued";
    case KINEMA_SIM_JOB_RUNNING:
      return "running";
    case KINEMA_SIM_JOB_SUCCEEDED:
      return "succeeded";
    case KINEMA_SIM_JOB_FAILED:
    default:
      return "failed";
    }
}

static void
add_count_object (JsonBuilder *builder,
                  const char  *name,
                  GHashTable  *table)
{
  GHashTableIter iter;
  gpointer key;
  gpointer value;

  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      json_builder_set_member_name (builder, key);
      json_builder_add_int_value (builder, GPOINTER_TO_UINT (value));
    }
  json_builder_end_object (builder);
}

/**
 * kinema_sim_server_dup_stats:
 * @self: a #KinemaSimServer
 *
 * What GET /_sim/stats answers: `requests` (total), `routes` (count per route
 * key), `submits` (`jobs`, `by_external_task_id`), `jobs` (id, public_id,
 * upstream_id, external_task_id, route, dialect, state), `log` (method, path,
 * time_us, status, authorization: whether the header was present,
 * authorization_sha256: the first 16 hex digits of the SHA-256 of the header or null).
 *
 * Returns: (transfer full): the statistics
 */
JsonNode *
kinema_sim_server_dup_stats (KinemaSimServer *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gint64 now = _kinema_sim_server_now_ms (self);

  g_return_val_if_fail (KINEMA_IS_SIM_SERVER (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "base_url");
  json_builder_add_string_value (builder, self->base_url);
  json_builder_set_member_name (builder, "requests");
  json_builder_add_int_value (builder, self->total_requests);
  add_count_object (builder, "routes", self->route_counts);

  json_builder_set_member_name (builder, "submits");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "jobs");
  json_builder_add_int_value (builder, self->jobs->len);
  add_count_object (builder, "by_external_task_id", self->submit_counts);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "jobs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->jobs->len; i++)
    {
      KinemaSimJob *job = g_ptr_array_index (self->jobs, i);
      KinemaSimJobView view;

      _kinema_sim_job_compute_view (job, now, FALSE, 0, &view);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, job->id);
      json_builder_set_member_name (builder, "public_id");
      json_builder_add_string_value (builder, job->public_id);
      json_builder_set_member_name (builder, "upstream_id");
      json_builder_add_string_value (builder, job->upstream_id);
      json_builder_set_member_name (builder, "external_task_id");
      json_builder_add_string_value (builder, job->external_task_id);
      json_builder_set_member_name (builder, "route");
      json_builder_add_string_value (builder, kinema_sim_route_to_string (job->route));
      json_builder_set_member_name (builder, "dialect");
      json_builder_add_string_value (builder, kinema_sim_dialect_to_string (job->dialect));
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, job->extend           ? "video-extend"
                                              : job->image_to_video ? "image2video"
                                                                    : "text2video");
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, state_name (view.state));
      json_builder_set_member_name (builder, "created_ms");
      json_builder_add_int_value (builder, job->created_ms);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "log");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->log->len; i++)
    {
      LogEntry *entry = g_ptr_array_index (self->log, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "method");
      json_builder_add_string_value (builder, entry->method);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, entry->path);
      json_builder_set_member_name (builder, "time_us");
      json_builder_add_int_value (builder, entry->time_us);
      json_builder_set_member_name (builder, "status");
      json_builder_add_int_value (builder, entry->status);
      json_builder_set_member_name (builder, "authorization");
      json_builder_add_boolean_value (builder, entry->authorization);
      json_builder_set_member_name (builder, "authorization_sha256");
      json_builder_add_string_value (builder, entry->authorization_hash);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
