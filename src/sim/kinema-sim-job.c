/* kinema-sim-job.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A simulated job: its parameters, its clock, how a client sees it at a given
 * moment, its JSON form for the state directory, and Kling's image rules.
 */

#define G_LOG_DOMAIN "kinema-sim-job"

#include "config.h"

#include <string.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "kinema-sim-private.h"

#define MAX_IMAGE_BYTES (10 * 1024 * 1024)
#define MIN_IMAGE_SIDE 300

KinemaSimJob *
_kinema_sim_job_new (void)
{
  KinemaSimJob *job = g_new0 (KinemaSimJob, 1);

  job->duration_s = 5;
  job->camera = KINEMA_CAMERA_NONE;
  return job;
}

void
_kinema_sim_job_free (KinemaSimJob *job)
{
  if (job == NULL)
    return;

  g_free (job->id);
  g_free (job->public_id);
  g_free (job->upstream_id);
  g_free (job->external_task_id);
  g_free (job->model);
  g_free (job->prompt);
  g_free (job->negative_prompt);
  g_free (job->mode);
  g_free (job->aspect_ratio);
  g_free (job->image_path);
  g_free (job->image_tail_path);
  g_free (job->fail_message);
  g_free (job->video_path);
  g_free (job->render_error);
  g_free (job->source_video_id);
  g_free (job->source_job_id);
  g_free (job);
}

double
_kinema_sim_job_get_seconds (const KinemaSimJob *job)
{
  /* Kling reports the real clip length, a little over the request ("5.1"); an
   * extension's result is the whole video (Kling docs, "Video Extension"). */
  return job->extend ? job->total_s : job->duration_s + 0.1;
}

gboolean
_kinema_sim_dialect_is_new_api (KinemaSimDialect dialect)
{
  return dialect != KINEMA_SIM_DIALECT_KLING && dialect != KINEMA_SIM_DIALECT_NONE;
}

char *
_kinema_sim_new_public_id (void)
{
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  GString *id = g_string_new ("task_");

  for (guint i = 0; i < 32; i++)
    g_string_append_c (id, alphabet[g_random_int_range (0, sizeof alphabet - 1)]);
  return g_string_free (id, FALSE);
}

char *
_kinema_sim_new_upstream_id (void)
{
  GString *id = g_string_new ("88");

  for (guint i = 0; i < 16; i++)
    g_string_append_c (id, (char) ('0' + g_random_int_range (0, 10)));
  return g_string_free (id, FALSE);
}

void
_kinema_sim_job_compute_view (const KinemaSimJob *job,
                              gint64              now_ms,
                              gboolean            gateway,
                              guint               refresh_ms,
                              KinemaSimJobView   *out_view)
{
  gint64 t = now_ms;
  gint64 start_ms = job->created_ms + job->queued_ms;
  gint64 end_ms = start_ms + job->running_ms;

  memset (out_view, 0, sizeof *out_view);

  /* A new-api gateway only sees what its own poller fetched: every
   * refresh_ms (PROTOCOL 2.6), and nothing before its first look. */
  if (gateway)
    {
      if (refresh_ms > 0)
        {
          gint64 elapsed = MAX (0, now_ms - job->created_ms);

          if (elapsed < refresh_ms)
            out_view->not_started = TRUE;
          t = job->created_ms + (elapsed / refresh_ms) * refresh_ms;
        }
      else if (!job->gateway_fetched)
        {
          out_view->not_started = TRUE;
        }
    }

  out_view->at_ms = t;

  if (out_view->not_started || t < start_ms)
    {
      out_view->state = KINEMA_SIM_JOB_QUEUED;
      out_view->updated_ms = job->created_ms;
      return;
    }

  out_view->start_ms = start_ms;
  if (t < end_ms)
    {
      out_view->state = KINEMA_SIM_JOB_RUNNING;
      out_view->updated_ms = start_ms;
      return;
    }

  if (job->will_fail)
    {
      out_view->state = KINEMA_SIM_JOB_FAILED;
      out_view->fail_message = job->fail_message;
      out_view->updated_ms = out_view->finish_ms = end_ms;
      return;
    }

  if (job->video_path != NULL && job->video_ready_ms <= t)
    {
      out_view->state = KINEMA_SIM_JOB_SUCCEEDED;
      out_view->updated_ms = out_view->finish_ms = MAX (end_ms, job->video_ready_ms);
      return;
    }

  if (job->render_error != NULL)
    {
      out_view->state = KINEMA_SIM_JOB_FAILED;
      out_view->fail_message = job->render_error;
      out_view->updated_ms = out_view->finish_ms = end_ms;
      return;
    }

  /* The clock says done but the clip is still being rendered. */
  out_view->state = KINEMA_SIM_JOB_RUNNING;
  out_view->updated_ms = start_ms;
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

JsonNode *
_kinema_sim_job_to_json (const KinemaSimJob *job)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string (builder, "id", job->id);
  add_string (builder, "public_id", job->public_id);
  add_string (builder, "upstream_id", job->upstream_id);
  add_int (builder, "row_id", job->row_id);
  add_string (builder, "external_task_id", job->external_task_id);
  add_string (builder, "route", kinema_sim_route_to_string (job->route));
  add_string (builder, "dialect", kinema_sim_dialect_to_string (job->dialect));
  json_builder_set_member_name (builder, "image_to_video");
  json_builder_add_boolean_value (builder, job->image_to_video);
  add_string (builder, "model", job->model);
  add_string (builder, "prompt", job->prompt);
  add_string (builder, "negative_prompt", job->negative_prompt);
  add_string (builder, "mode", job->mode);
  add_string (builder, "aspect_ratio", job->aspect_ratio);
  add_int (builder, "duration_s", job->duration_s);
  add_int (builder, "camera", job->camera);
  add_int (builder, "camera_axis", job->camera_axis);
  json_builder_set_member_name (builder, "camera_value");
  json_builder_add_double_value (builder, job->camera_value);
  add_string (builder, "image_path", job->image_path);
  add_string (builder, "image_tail_path", job->image_tail_path);
  add_int (builder, "created_ms", job->created_ms);
  add_int (builder, "queued_ms", job->queued_ms);
  add_int (builder, "running_ms", job->running_ms);
  json_builder_set_member_name (builder, "will_fail");
  json_builder_add_boolean_value (builder, job->will_fail);
  add_string (builder, "fail_message", job->fail_message);
  json_builder_set_member_name (builder, "gateway_fetched");
  json_builder_add_boolean_value (builder, job->gateway_fetched);
  add_string (builder, "video_path", job->video_path);
  add_int (builder, "video_ready_ms", job->video_ready_ms);
  add_string (builder, "render_error", job->render_error);
  if (job->extend)
    {
      json_builder_set_member_name (builder, "extend");
      json_builder_add_boolean_value (builder, TRUE);
      add_string (builder, "source_video_id", job->source_video_id);
      add_string (builder, "source_job_id", job->source_job_id);
      json_builder_set_member_name (builder, "source_total_s");
      json_builder_add_double_value (builder, job->source_total_s);
      json_builder_set_member_name (builder, "total_s");
      json_builder_add_double_value (builder, job->total_s);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static char *
dup_member (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

KinemaSimJob *
_kinema_sim_job_from_json (JsonNode  *node,
                           GError   **error)
{
  JsonObject *object;
  KinemaSimJob *job;
  g_autofree char *route = NULL;
  g_autofree char *dialect = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Job file is not an object");
      return NULL;
    }
  object = json_node_get_object (node);

  job = _kinema_sim_job_new ();
  job->id = dup_member (object, "id");
  job->public_id = dup_member (object, "public_id");
  job->upstream_id = dup_member (object, "upstream_id");
  job->row_id = json_object_get_int_member_with_default (object, "row_id", 0);
  job->external_task_id = dup_member (object, "external_task_id");
  route = dup_member (object, "route");
  dialect = dup_member (object, "dialect");
  if (job->id == NULL || job->upstream_id == NULL ||
      !kinema_sim_route_from_string (route, &job->route) ||
      !kinema_sim_dialect_from_string (dialect, &job->dialect))
    {
      _kinema_sim_job_free (job);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Job file lacks its ids");
      return NULL;
    }
  job->image_to_video = json_object_get_boolean_member_with_default (object, "image_to_video", FALSE);
  job->model = dup_member (object, "model");
  job->prompt = dup_member (object, "prompt");
  job->negative_prompt = dup_member (object, "negative_prompt");
  job->mode = dup_member (object, "mode");
  job->aspect_ratio = dup_member (object, "aspect_ratio");
  job->duration_s = (guint) json_object_get_int_member_with_default (object, "duration_s", 5);
  job->camera = (KinemaCameraType) json_object_get_int_member_with_default (object, "camera", 0);
  job->camera_axis = (KinemaCameraAxis) json_object_get_int_member_with_default (object, "camera_axis", 0);
  job->camera_value = json_object_get_double_member_with_default (object, "camera_value", 0);
  job->image_path = dup_member (object, "image_path");
  job->image_tail_path = dup_member (object, "image_tail_path");
  job->created_ms = json_object_get_int_member_with_default (object, "created_ms", 0);
  job->queued_ms = (guint) json_object_get_int_member_with_default (object, "queued_ms", 0);
  job->running_ms = (guint) json_object_get_int_member_with_default (object, "running_ms", 0);
  job->will_fail = json_object_get_boolean_member_with_default (object, "will_fail", FALSE);
  job->fail_message = dup_member (object, "fail_message");
  job->gateway_fetched = json_object_get_boolean_member_with_default (object, "gateway_fetched", FALSE);
  job->video_path = dup_member (object, "video_path");
  job->video_ready_ms = json_object_get_int_member_with_default (object, "video_ready_ms", 0);
  job->render_error = dup_member (object, "render_error");
  job->extend = json_object_get_boolean_member_with_default (object, "extend", FALSE);
  job->source_video_id = dup_member (object, "source_video_id");
  job->source_job_id = dup_member (object, "source_job_id");
  job->source_total_s = json_object_get_double_member_with_default (object, "source_total_s", 0);
  job->total_s = json_object_get_double_member_with_default (object, "total_s", 0);

  return job;
}

static gboolean
is_base64_text (const char *value)
{
  for (const char *p = value; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=' &&
        *p != '\n' && *p != '\r')
      return FALSE;
  return TRUE;
}

gboolean
_kinema_sim_check_image (const char  *value,
                         const char  *field,
                         GBytes     **out_bytes,
                         const char **out_ext,
                         char       **out_message)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guchar *data = NULL;
  GdkPixbufFormat *format;
  g_autofree char *format_name = NULL;
  gsize len = 0;
  int width;
  int height;

  *out_bytes = NULL;
  *out_ext = NULL;
  *out_message = NULL;

  if (g_str_has_prefix (value, "http://") || g_str_has_prefix (value, "https://"))
    return TRUE;

  if (g_str_has_prefix (value, "data:") || *value == '\0' || !is_base64_text (value))
    {
      *out_message = g_strdup_printf ("%s value invalid: expected an URL or raw Base64", field);
      return FALSE;
    }

  data = g_base64_decode (value, &len);
  if (len == 0)
    {
      *out_message = g_strdup_printf ("%s value invalid: Base64 decoding failed", field);
      return FALSE;
    }
  if (len > MAX_IMAGE_BYTES)
    {
      *out_message = g_strdup_printf ("%s size exceeds 10MB", field);
      return FALSE;
    }

  if (len >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
    *out_ext = "jpg";
  else if (len >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    *out_ext = "png";
  else
    {
      *out_message = g_strdup_printf ("%s format invalid: only JPG and PNG are supported", field);
      return FALSE;
    }

  loader = gdk_pixbuf_loader_new_with_type (g_str_equal (*out_ext, "jpg") ? "jpeg" : "png", &error);
  if (loader == NULL ||
      !gdk_pixbuf_loader_write (loader, data, len, &error) ||
      !gdk_pixbuf_loader_close (loader, &error) ||
      gdk_pixbuf_loader_get_pixbuf (loader) == NULL)
    {
      if (loader != NULL)
        gdk_pixbuf_loader_close (loader, NULL);
      *out_message = g_strdup_printf ("%s cannot be decoded", field);
      return FALSE;
    }

  format = gdk_pixbuf_loader_get_format (loader);
  format_name = format != NULL ? gdk_pixbuf_format_get_name (format) : NULL;
  g_debug ("%s: %s, %" G_GSIZE_FORMAT " bytes", field, format_name, len);

  width = gdk_pixbuf_get_width (gdk_pixbuf_loader_get_pixbuf (loader));
  height = gdk_pixbuf_get_height (gdk_pixbuf_loader_get_pixbuf (loader));
  if (width < MIN_IMAGE_SIDE || height < MIN_IMAGE_SIDE)
    {
      *out_message = g_strdup_printf ("%s resolution too small: %dx%d, each side must be at least %d px",
                                      field, width, height, MIN_IMAGE_SIDE);
      return FALSE;
    }
  /* Aspect ratio between 1:2.5 and 2.5:1, compared in integers. */
  if ((gint64) width * 2 > (gint64) height * 5 || (gint64) height * 2 > (gint64) width * 5)
    {
      *out_message = g_strdup_printf ("%s aspect ratio invalid: %dx%d is outside 1:2.5 to 2.5:1",
                                      field, width, height);
      return FALSE;
    }

  *out_bytes = g_bytes_new_take (g_steal_pointer (&data), len);
  return TRUE;
}
