/* kinema-sim-dialects.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reply bodies of every dialect, field by field as PROTOCOL.md section 6
 * shows them (and 2.5, 2.7, 2.9, 2.10 for the variants).
 */

#define G_LOG_DOMAIN "kinema-sim-dialects"

#include "config.h"

#include "kinema-sim-private.h"

static void
member_string (JsonBuilder *builder,
               const char  *name,
               const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value != NULL ? value : "");
}

static void
member_int (JsonBuilder *builder,
            const char  *name,
            gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
member_null (JsonBuilder *builder,
             const char  *name)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_null_value (builder);
}

static void
member_node (JsonBuilder *builder,
             const char  *name,
             JsonNode    *node)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_value (builder, node);
}

static const char *
kling_status (KinemaSimJobState state)
{
  switch (state)
    {
    case KINEMA_SIM_JOB_QUEUED:
      return "submitted";
    case KINEMA_SIM_JOB_RUNNING:
      return "processing";
    case KINEMA_SIM_JOB_SUCCEEDED:
      return "succeed";
    case KINEMA_SIM_JOB_FAILED:
    default:
      return "failed";
    }
}

/* new-api's task status (model/task.go: NOT_START, SUBMITTED, IN_PROGRESS, SUCCESS,
 * FAILURE) and its progress text for @view; @out_progress may be NULL. */
const char *
_kinema_sim_new_api_status (const KinemaSimJobView *view,
                            const char            **out_progress)
{
  const char *progress = NULL;

  if (out_progress == NULL)
    out_progress = &progress;

  if (view->not_started)
    {
      *out_progress = "0%";
      return "NOT_START";
    }

  switch (view->state)
    {
    case KINEMA_SIM_JOB_QUEUED:
      *out_progress = "10%";
      return "SUBMITTED";
    case KINEMA_SIM_JOB_RUNNING:
      *out_progress = "30%";
      return "IN_PROGRESS";
    case KINEMA_SIM_JOB_SUCCEEDED:
      *out_progress = "100%";
      return "SUCCESS";
    case KINEMA_SIM_JOB_FAILED:
    default:
      *out_progress = "100%";
      return "FAILURE";
    }
}

static char *
seconds_text (double seconds)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.1f", seconds));
}

static char *
video_seconds (const KinemaSimJob *job)
{
  return seconds_text (_kinema_sim_job_get_seconds (job));
}

static void
add_task_info (JsonBuilder          *builder,
               const KinemaSimReply *reply,
               gboolean              for_submit)
{
  const KinemaSimJob *job = reply->job;

  json_builder_set_member_name (builder, "task_info");
  json_builder_begin_object (builder);
  /* A video extension names the video it extends (Kling docs, "Video Extension", query
   * reply: task_info.parent_video {id, url, duration}; copy in WHQ25/rawgenai
   * docs/research/kling/video-extend.md). */
  if (job->extend && !for_submit)
    {
      g_autofree char *duration = seconds_text (job->source_total_s);

      json_builder_set_member_name (builder, "parent_video");
      json_builder_begin_object (builder);
      member_string (builder, "id", job->source_video_id);
      member_string (builder, "url", reply->parent_video_url);
      member_string (builder, "duration", duration);
      json_builder_end_object (builder);
    }
  if (job->external_task_id != NULL)
    member_string (builder, "external_task_id", job->external_task_id);
  json_builder_end_object (builder);
}

static void
add_task_result (JsonBuilder          *builder,
                 const KinemaSimReply *reply)
{
  g_autofree char *seconds = video_seconds (reply->job);
  g_autofree char *video_id = g_strconcat ("vid-", reply->job->upstream_id, NULL);

  json_builder_set_member_name (builder, "task_result");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "videos");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  member_string (builder, "id", video_id);
  member_string (builder, "url", reply->video_url);
  member_string (builder, "duration", seconds);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

/* The Kling task object of 1.6 (submit) or 1.7 (query). With @task_id NULL
 * the id is Kling's own; @with_id FALSE leaves it out (the xmsmartlink GET). */
static JsonNode *
kling_task (const KinemaSimReply *reply,
            gboolean              for_submit,
            const char           *task_id,
            gboolean              with_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const KinemaSimJob *job = reply->job;
  KinemaSimJobState state = for_submit ? KINEMA_SIM_JOB_QUEUED : reply->view.state;
  gint64 updated_ms = for_submit ? job->created_ms : reply->view.updated_ms;

  json_builder_begin_object (builder);
  if (with_id)
    member_string (builder, "task_id", task_id != NULL ? task_id : job->upstream_id);
  member_string (builder, "task_status", kling_status (state));
  if (!for_submit)
    member_string (builder, "task_status_msg",
                   state == KINEMA_SIM_JOB_FAILED ? reply->view.fail_message : "");
  add_task_info (builder, reply, for_submit);
  if (state == KINEMA_SIM_JOB_SUCCEEDED)
    {
      add_task_result (builder, reply);
      member_string (builder, "final_unit_deduction", job->duration_s > 5 ? "2" : "1");
    }
  member_int (builder, "created_at", job->created_ms);
  member_int (builder, "updated_at", updated_ms);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

JsonNode *
_kinema_sim_build_kling_task (const KinemaSimReply *reply,
                              gboolean              for_submit)
{
  return kling_task (reply, for_submit, NULL, TRUE);
}

JsonNode *
_kinema_sim_build_kling_envelope (JsonNode   *data,
                                  const char *request_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  member_int (builder, "code", 0);
  member_string (builder, "message", "SUCCEED");
  member_string (builder, "request_id", request_id);
  member_node (builder, "data", data);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* new-api's answer to every submit since 2025-10-11 (PROTOCOL 2.5). */
static JsonNode *
openai_submit (const KinemaSimReply *reply,
               const char           *id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  member_string (builder, "id", id);
  member_string (builder, "task_id", id);
  member_string (builder, "object", "video");
  member_string (builder, "model", reply->job->model);
  member_string (builder, "status", "queued");
  member_int (builder, "progress", 0);
  member_int (builder, "created_at", reply->job->created_ms / 1000);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* 2025-07-21..10-10: Kling's JSON through new-api's struct plus a top-level task_id. */
static JsonNode *
echo_submit (const KinemaSimReply *reply)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const KinemaSimJob *job = reply->job;

  json_builder_begin_object (builder);
  member_int (builder, "code", 0);
  member_string (builder, "message", "SUCCEED");
  member_string (builder, "task_id", job->upstream_id);
  member_string (builder, "request_id", reply->request_id);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_object (builder);
  member_string (builder, "task_id", job->upstream_id);
  member_string (builder, "task_status", "submitted");
  member_string (builder, "task_status_msg", "");
  json_builder_set_member_name (builder, "task_result");
  json_builder_begin_object (builder);
  member_null (builder, "videos");
  json_builder_end_object (builder);
  member_int (builder, "created_at", job->created_ms);
  member_int (builder, "updated_at", job->created_ms);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static JsonNode *
documented_submit (const KinemaSimReply *reply)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  member_string (builder, "task_id", reply->job->id);
  member_string (builder, "status", "queued");
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

JsonNode *
_kinema_sim_build_submit (KinemaSimDialect      dialect,
                          const KinemaSimReply *reply)
{
  const KinemaSimJob *job = reply->job;

  switch (dialect)
    {
    case KINEMA_SIM_DIALECT_KLING:
      return _kinema_sim_build_kling_envelope (kling_task (reply, TRUE, NULL, TRUE), reply->request_id);
    case KINEMA_SIM_DIALECT_XMSMARTLINK:
      return _kinema_sim_build_kling_envelope (kling_task (reply, TRUE, job->public_id, TRUE),
                                               reply->request_id);
    case KINEMA_SIM_DIALECT_NEW_API_LEGACY:
      return openai_submit (reply, job->upstream_id);
    case KINEMA_SIM_DIALECT_NEW_API_ECHO:
      return echo_submit (reply);
    case KINEMA_SIM_DIALECT_DOCUMENTED:
      return documented_submit (reply);
    case KINEMA_SIM_DIALECT_NEW_API:
    case KINEMA_SIM_DIALECT_OPENAI:
    case KINEMA_SIM_DIALECT_NONE:
    default:
      return openai_submit (reply, job->public_id);
    }
}

/* The Kling JSON a new-api gateway keeps in its task row: the create response
 * until its first refresh, the latest query afterwards (2.6). */
static JsonNode *
gateway_inner_data (const KinemaSimReply *reply)
{
  g_autofree char *upstream_request = g_strconcat (reply->request_id, "-up", NULL);

  return _kinema_sim_build_kling_envelope (kling_task (reply, reply->view.not_started, NULL, TRUE),
                                           upstream_request);
}

static const char *
action_of (const KinemaSimJob *job)
{
  return job->image_to_video ? "generate" : "textGenerate";
}

static void
add_task_times (JsonBuilder          *builder,
                const KinemaSimReply *reply)
{
  const KinemaSimJobView *view = &reply->view;
  gboolean started = !view->not_started && view->state != KINEMA_SIM_JOB_QUEUED;
  gboolean finished = !view->not_started &&
                      (view->state == KINEMA_SIM_JOB_SUCCEEDED || view->state == KINEMA_SIM_JOB_FAILED);

  member_int (builder, "submit_time", reply->job->created_ms / 1000);
  member_int (builder, "start_time", started ? view->start_ms / 1000 : 0);
  member_int (builder, "finish_time", finished ? view->finish_ms / 1000 : 0);
}

static JsonNode *
task_dto (const KinemaSimReply *reply,
          gboolean              legacy)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const KinemaSimJob *job = reply->job;
  const KinemaSimJobView *view = &reply->view;
  const char *progress = NULL;
  const char             *status = _kinema_sim_new_api_status (view, &progress);
  const char *fail_reason = "";
  gboolean succeeded = !view->not_started && view->state == KINEMA_SIM_JOB_SUCCEEDED;

  if (!view->not_started && view->state == KINEMA_SIM_JOB_FAILED)
    fail_reason = view->fail_message;
  else if (legacy && succeeded)
    fail_reason = reply->video_url;

  json_builder_begin_object (builder);
  member_string (builder, "code", "success");
  member_string (builder, "message", "");
  json_builder_set_member_name (builder, "data");
  json_builder_begin_object (builder);
  if (!legacy)
    member_int (builder, "id", job->row_id);
  member_string (builder, "task_id", legacy ? job->upstream_id : job->public_id);
  if (!legacy)
    {
      member_string (builder, "platform", "50");
      member_int (builder, "user_id", 1);
      member_string (builder, "group", "default");
      member_int (builder, "channel_id", 2);
      member_int (builder, "quota", 500000);
    }
  member_string (builder, "action", action_of (job));
  member_string (builder, "status", status);
  member_string (builder, "fail_reason", fail_reason);
  if (!legacy && succeeded)
    member_string (builder, "result_url", reply->video_url);
  add_task_times (builder, reply);
  member_string (builder, "progress", progress);
  if (!legacy)
    {
      /* The row is saved at every refresh, so updated_at shows the gateway's clock. */
      member_int (builder, "created_at", job->created_ms / 1000);
      member_int (builder, "updated_at", (view->not_started ? job->created_ms : view->at_ms) / 1000);
      json_builder_set_member_name (builder, "properties");
      json_builder_begin_object (builder);
      member_string (builder, "input", "");
      member_string (builder, "upstream_model_name", job->model);
      member_string (builder, "origin_model_name", job->model);
      json_builder_end_object (builder);
    }
  member_node (builder, "data", gateway_inner_data (reply));
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static JsonNode *
openai_object (const KinemaSimReply *reply)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const KinemaSimJob *job = reply->job;
  const KinemaSimJobView *view = &reply->view;
  const char *status;
  int progress;

  if (view->not_started)
    status = "unknown", progress = 0;
  else if (view->state == KINEMA_SIM_JOB_QUEUED)
    status = "queued", progress = 10;
  else if (view->state == KINEMA_SIM_JOB_RUNNING)
    status = "in_progress", progress = 30;
  else if (view->state == KINEMA_SIM_JOB_SUCCEEDED)
    status = "completed", progress = 100;
  else
    status = "failed", progress = 100;

  json_builder_begin_object (builder);
  member_string (builder, "id", job->public_id);
  member_string (builder, "object", "video");
  member_string (builder, "model", "");
  member_string (builder, "status", status);
  member_int (builder, "progress", progress);
  /* Copied from Kling's own created_at/updated_at: milliseconds. */
  member_int (builder, "created_at", job->created_ms);
  member_int (builder, "completed_at", view->not_started ? job->created_ms : view->updated_ms);
  if (!view->not_started && view->state == KINEMA_SIM_JOB_SUCCEEDED)
    {
      g_autofree char *seconds = video_seconds (job);

      member_string (builder, "seconds", seconds);
      json_builder_set_member_name (builder, "metadata");
      json_builder_begin_object (builder);
      member_string (builder, "url", reply->video_url);
      json_builder_end_object (builder);
    }
  else if (!view->not_started && view->state == KINEMA_SIM_JOB_FAILED)
    {
      json_builder_set_member_name (builder, "error");
      json_builder_begin_object (builder);
      member_string (builder, "message", view->fail_message);
      member_string (builder, "code", "");
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
frame_size (const KinemaSimJob *job,
            int                *width,
            int                *height)
{
  if (g_strcmp0 (job->aspect_ratio, "9:16") == 0)
    *width = 720, *height = 1280;
  else if (g_strcmp0 (job->aspect_ratio, "1:1") == 0)
    *width = 720, *height = 720;
  else
    *width = 1280, *height = 720;
}

static JsonNode *
documented_query (const KinemaSimReply *reply)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const KinemaSimJob *job = reply->job;
  const KinemaSimJobView *view = &reply->view;

  json_builder_begin_object (builder);
  member_string (builder, "task_id", job->public_id);
  if (view->not_started || view->state == KINEMA_SIM_JOB_QUEUED)
    member_string (builder, "status", "queued");
  else if (view->state == KINEMA_SIM_JOB_RUNNING)
    member_string (builder, "status", "in_progress");
  else if (view->state == KINEMA_SIM_JOB_SUCCEEDED)
    {
      int width;
      int height;

      frame_size (job, &width, &height);
      member_string (builder, "status", "completed");
      member_string (builder, "url", reply->video_url);
      member_string (builder, "format", "mp4");
      json_builder_set_member_name (builder, "metadata");
      json_builder_begin_object (builder);
      member_int (builder, "duration", job->duration_s);
      member_int (builder, "fps", 24);
      member_int (builder, "width", width);
      member_int (builder, "height", height);
      member_int (builder, "seed", 1);
      json_builder_end_object (builder);
    }
  else
    {
      member_string (builder, "status", "failed");
      json_builder_set_member_name (builder, "error");
      json_builder_begin_object (builder);
      member_int (builder, "code", 1301);
      member_string (builder, "message", view->fail_message);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* The fork of 2.10: Kling's envelope with the gateway's public id on top. */
static JsonNode *
xmsmartlink_query (const KinemaSimReply *reply)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  KinemaSimReply kling_view = *reply;

  /* The fork shows Kling's state as its gateway last saw it. */
  if (kling_view.view.not_started)
    kling_view.view.state = KINEMA_SIM_JOB_QUEUED;

  json_builder_begin_object (builder);
  member_int (builder, "code", 0);
  member_string (builder, "message", "SUCCEED");
  member_string (builder, "request_id", reply->request_id);
  member_string (builder, "task_id", reply->job->public_id);
  member_node (builder, "data", kling_task (&kling_view, FALSE, NULL, FALSE));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* The simplified reply documented by new-api forks and resellers (PROTOCOL 8.5); its
 * status words are new-api's mapTaskStatusToSimple (relay/relay_task.go). Unlike that
 * function's only caller upstream, a failure carries error.message. */
static JsonNode *
simple_query (const KinemaSimReply *reply)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const KinemaSimJobView *view = &reply->view;
  const char             *progress = NULL;
  gboolean                succeeded = !view->not_started && view->state == KINEMA_SIM_JOB_SUCCEEDED;
  gboolean                failed = !view->not_started && view->state == KINEMA_SIM_JOB_FAILED;
  const char             *status;

  _kinema_sim_new_api_status (view, &progress);
  if (succeeded)
    status = "succeeded";
  else if (failed)
    status = "failed";
  else if (view->not_started || view->state == KINEMA_SIM_JOB_QUEUED)
    status = "queued";
  else
    status = "processing";

  json_builder_begin_object (builder);
  member_string (builder, "code", "success");
  member_string (builder, "message", "");
  json_builder_set_member_name (builder, "data");
  json_builder_begin_object (builder);
  member_string (builder, "task_id", reply->job->public_id);
  member_string (builder, "status", status);
  member_string (builder, "progress", progress);
  member_string (builder, "url", succeeded ? reply->video_url : "");
  member_string (builder, "format", "mp4");
  member_null (builder, "metadata");
  if (failed)
    {
      json_builder_set_member_name (builder, "error");
      json_builder_begin_object (builder);
      member_string (builder, "message", view->fail_message);
      member_string (builder, "code", "");
      json_builder_end_object (builder);
    }
  else
    member_null (builder, "error");
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

JsonNode *
_kinema_sim_build_query (KinemaSimDialect      dialect,
                         const KinemaSimReply *reply)
{
  switch (dialect)
    {
    case KINEMA_SIM_DIALECT_KLING:
      return _kinema_sim_build_kling_envelope (kling_task (reply, FALSE, NULL, TRUE), reply->request_id);
    case KINEMA_SIM_DIALECT_NEW_API_LEGACY:
    case KINEMA_SIM_DIALECT_NEW_API_ECHO:
      return task_dto (reply, TRUE);
    case KINEMA_SIM_DIALECT_OPENAI:
      return openai_object (reply);
    case KINEMA_SIM_DIALECT_DOCUMENTED:
      return documented_query (reply);
    case KINEMA_SIM_DIALECT_XMSMARTLINK:
      return xmsmartlink_query (reply);
    case KINEMA_SIM_DIALECT_SIMPLE:
      return simple_query (reply);
    case KINEMA_SIM_DIALECT_NEW_API:
    case KINEMA_SIM_DIALECT_NONE:
    default:
      return task_dto (reply, FALSE);
    }
}

JsonNode *
_kinema_sim_kling_error (int         code,
                         const char *message,
                         const char *request_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  member_int (builder, "code", code);
  member_string (builder, "message", message);
  member_string (builder, "request_id", request_id);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

JsonNode *
_kinema_sim_new_api_error (const char *code,
                           const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  member_string (builder, "code", code);
  member_string (builder, "message", message);
  member_null (builder, "data");
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

JsonNode *
_kinema_sim_openai_error (const char *message,
                          const char *type,
                          const char *param,
                          const char *code)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  member_string (builder, "message", message);
  member_string (builder, "type", type);
  if (param != NULL)
    member_string (builder, "param", param);
  if (code != NULL)
    member_string (builder, "code", code);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
