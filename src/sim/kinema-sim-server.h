/* kinema-sim-server.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The gateway simulator: a SoupServer on 127.0.0.1 that plays the server side of
 * every route and reply shape of PROTOCOL.md (official Kling, new-api current and
 * legacy, the OpenAI video object, new-api's documented shape, the xmsmartlink
 * fork), with jobs on a configurable clock, real playable clips, scripted faults,
 * a request log and control routes under /_sim/ for tests in other processes.
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * KinemaSimDialect:
 * @KINEMA_SIM_DIALECT_KLING: Kling-native bodies (PROTOCOL 1.6/1.7, 6.1)
 * @KINEMA_SIM_DIALECT_NEW_API: new-api today: OpenAI-object submit, TaskDto wrapper
 *   with public ids `task_…` and `result_url` (6.2/6.3)
 * @KINEMA_SIM_DIALECT_NEW_API_LEGACY: new-api before 2026-02: upstream ids, the
 *   video URL in `fail_reason`, no `result_url`
 * @KINEMA_SIM_DIALECT_NEW_API_ECHO: new-api 2025-07..10: the submit echoes Kling's
 *   JSON plus a top-level `task_id`; queries as the legacy dialect
 * @KINEMA_SIM_DIALECT_OPENAI: the OpenAI video object as new-api builds it (6.4)
 * @KINEMA_SIM_DIALECT_DOCUMENTED: new-api's documented, unused schema (6.5)
 * @KINEMA_SIM_DIALECT_XMSMARTLINK: the fork of 2.10: Kling-shaped bodies carrying
 *   the gateway's public id
 * @KINEMA_SIM_DIALECT_SIMPLE: the simplified poll reply documented by new-api forks and
 *   resellers (PROTOCOL 8.5): `{"code":"success","data":{"status":"succeeded"|…,"url",
 *   "error"}}`; submits as new-api today
 * @KINEMA_SIM_DIALECT_NONE: the gateway has no such route: 200 `text/html` index page
 */
typedef enum {
  KINEMA_SIM_DIALECT_KLING,
  KINEMA_SIM_DIALECT_NEW_API,
  KINEMA_SIM_DIALECT_NEW_API_LEGACY,
  KINEMA_SIM_DIALECT_NEW_API_ECHO,
  KINEMA_SIM_DIALECT_OPENAI,
  KINEMA_SIM_DIALECT_DOCUMENTED,
  KINEMA_SIM_DIALECT_XMSMARTLINK,
  KINEMA_SIM_DIALECT_SIMPLE,
  KINEMA_SIM_DIALECT_NONE,
} KinemaSimDialect;

/**
 * KinemaSimRoute:
 * @KINEMA_SIM_ROUTE_KLING: official `/v1/videos/{text2video,image2video}` (JWT)
 * @KINEMA_SIM_ROUTE_KLING_GATEWAY: passthrough `/kling/v1/videos/…` (Bearer)
 * @KINEMA_SIM_ROUTE_GENERATIONS: new-api's `/v1/video/generations`
 * @KINEMA_SIM_ROUTE_OPENAI: `/v1/videos` and `/v1/videos/{id}/content`
 *
 * The route families; each speaks one #KinemaSimDialect.
 */
typedef enum {
  KINEMA_SIM_ROUTE_KLING,
  KINEMA_SIM_ROUTE_KLING_GATEWAY,
  KINEMA_SIM_ROUTE_GENERATIONS,
  KINEMA_SIM_ROUTE_OPENAI,
  KINEMA_SIM_N_ROUTES,
} KinemaSimRoute;

/**
 * KinemaSimFaultKind:
 * @KINEMA_SIM_FAULT_STATUS: an error status (429 with `Retry-After`, 500, 502, 503…)
 *   with the dialect's error body, or the fault's own body
 * @KINEMA_SIM_FAULT_MALFORMED: 200 with a body that is not JSON
 * @KINEMA_SIM_FAULT_TRUNCATED: 200 with the real JSON cut in half
 * @KINEMA_SIM_FAULT_HTML: 200 `text/html` web page
 * @KINEMA_SIM_FAULT_SLOW: the real reply, after @delay_ms
 * @KINEMA_SIM_FAULT_DROP: the connection is closed without a reply
 * @KINEMA_SIM_FAULT_TRUNCATED_DOWNLOAD: headers announce the full length, half the
 *   body is sent, then the connection is closed
 * @KINEMA_SIM_FAULT_EXPIRED: 403 as a CDN answers an expired link
 * @KINEMA_SIM_FAULT_BAD_RANGE: the real body as 206 with a `Content-Range` that starts
 *   one byte after the one asked for (issue 15, point 2)
 * @KINEMA_SIM_FAULT_DEEP_JSON: 200 JSON nested 300 KB deep (`[[[[…`; issue 15, point 1)
 * @KINEMA_SIM_FAULT_REDIRECT: 302 to the fault's @body (issue 15, point 6)
 * @KINEMA_SIM_FAULT_OVERSIZED: 200 JSON of 8 MB, twice what a client should read
 */
typedef enum {
  KINEMA_SIM_FAULT_STATUS,
  KINEMA_SIM_FAULT_MALFORMED,
  KINEMA_SIM_FAULT_TRUNCATED,
  KINEMA_SIM_FAULT_HTML,
  KINEMA_SIM_FAULT_SLOW,
  KINEMA_SIM_FAULT_DROP,
  KINEMA_SIM_FAULT_TRUNCATED_DOWNLOAD,
  KINEMA_SIM_FAULT_EXPIRED,
  KINEMA_SIM_FAULT_BAD_RANGE,
  KINEMA_SIM_FAULT_DEEP_JSON,
  KINEMA_SIM_FAULT_REDIRECT,
  KINEMA_SIM_FAULT_OVERSIZED,
} KinemaSimFaultKind;

/**
 * KinemaSimFault:
 * @method: "GET", "POST", or %NULL for any
 * @path: a glob (g_pattern_match_simple) on the request path, e.g. "/v1/video/generations*"
 * @kind: what goes wrong
 * @status: for %KINEMA_SIM_FAULT_STATUS
 * @retry_after_s: sent as `Retry-After` when not 0
 * @delay_ms: for %KINEMA_SIM_FAULT_SLOW
 * @count: how many matching requests it hits; -1 for all of them
 * @after_create: handle the request first (a submit creates its job), then spoil the reply
 * @body: (nullable): replaces the error body of %KINEMA_SIM_FAULT_STATUS; the
 *   `Location` of %KINEMA_SIM_FAULT_REDIRECT
 */
typedef struct {
  const char         *method;
  const char         *path;
  KinemaSimFaultKind  kind;
  guint               status;
  guint               retry_after_s;
  guint               delay_ms;
  int                 count;
  gboolean            after_create;
  const char         *body;
} KinemaSimFault;

#define KINEMA_TYPE_SIM_SERVER (kinema_sim_server_get_type ())

G_DECLARE_FINAL_TYPE (KinemaSimServer, kinema_sim_server, KINEMA, SIM_SERVER, GObject)

KinemaSimServer  *kinema_sim_server_new                (const char          *state_dir);
gboolean          kinema_sim_server_start              (KinemaSimServer     *self,
                                                        guint                port,
                                                        GError             **error);
void              kinema_sim_server_stop               (KinemaSimServer     *self);
const char       *kinema_sim_server_get_base_url       (KinemaSimServer     *self);
guint             kinema_sim_server_get_port           (KinemaSimServer     *self);
const char       *kinema_sim_server_get_state_dir      (KinemaSimServer     *self);

/* Configuration; may change while running. */
void              kinema_sim_server_set_dialect        (KinemaSimServer     *self,
                                                        KinemaSimRoute       route,
                                                        KinemaSimDialect     dialect);
void              kinema_sim_server_set_all_dialects   (KinemaSimServer     *self,
                                                        KinemaSimDialect     dialect);
KinemaSimDialect  kinema_sim_server_get_dialect        (KinemaSimServer     *self,
                                                        KinemaSimRoute       route);
void              kinema_sim_server_set_clock          (KinemaSimServer     *self,
                                                        guint                queued_ms,
                                                        guint                running_ms);
guint             kinema_sim_server_get_queued_ms      (KinemaSimServer     *self);
guint             kinema_sim_server_get_running_ms     (KinemaSimServer     *self);
void              kinema_sim_server_set_refresh_ms     (KinemaSimServer     *self,
                                                        guint                refresh_ms);
guint             kinema_sim_server_get_refresh_ms     (KinemaSimServer     *self);
void              kinema_sim_server_advance_clock      (KinemaSimServer     *self,
                                                        gint64               ms);
void              kinema_sim_server_add_bearer_key     (KinemaSimServer     *self,
                                                        const char          *key);
void              kinema_sim_server_set_kling_keys     (KinemaSimServer     *self,
                                                        const char          *access_key,
                                                        const char          *secret_key);
void              kinema_sim_server_set_clip_file      (KinemaSimServer     *self,
                                                        const char          *path);
const char       *kinema_sim_server_get_clip_file      (KinemaSimServer     *self);
void              kinema_sim_server_set_render_options (KinemaSimServer     *self,
                                                        guint                height,
                                                        guint                duration_s,
                                                        gboolean             demo_mark);
void              kinema_sim_server_set_video_ttl_ms   (KinemaSimServer     *self,
                                                        gint64               ttl_ms);
void              kinema_sim_server_set_fail_marker    (KinemaSimServer     *self,
                                                        const char          *marker);
void              kinema_sim_server_fail_next          (KinemaSimServer     *self,
                                                        guint                n_jobs,
                                                        const char          *message);
/* The next @n_submits are refused by Kling itself with @kling_code (HTTP status from
 * Kling's table, PROTOCOL 1.9); new-api dialects relay it as "fail_to_fetch_task". */
void              kinema_sim_server_refuse_next        (KinemaSimServer     *self,
                                                        guint                n_submits,
                                                        int                  kling_code,
                                                        const char          *message);

/* Faults and bookkeeping. */
void              kinema_sim_server_add_fault          (KinemaSimServer     *self,
                                                        const KinemaSimFault *fault);
void              kinema_sim_server_clear_faults       (KinemaSimServer     *self);
void              kinema_sim_server_reset              (KinemaSimServer     *self,
                                                        gboolean             drop_jobs);
guint             kinema_sim_server_get_request_count  (KinemaSimServer     *self,
                                                        const char          *route_key);
guint             kinema_sim_server_get_total_requests (KinemaSimServer     *self);
guint             kinema_sim_server_get_submit_count   (KinemaSimServer     *self,
                                                        const char          *external_task_id);
guint             kinema_sim_server_get_n_jobs         (KinemaSimServer     *self);
char             *kinema_sim_server_dup_last_job_id    (KinemaSimServer     *self);
char             *kinema_sim_server_dup_job_image      (KinemaSimServer     *self,
                                                        const char          *job_id);
JsonNode         *kinema_sim_server_dup_stats          (KinemaSimServer     *self);

const char       *kinema_sim_dialect_to_string         (KinemaSimDialect     dialect);
gboolean          kinema_sim_dialect_from_string       (const char          *text,
                                                        KinemaSimDialect    *out_dialect);
const char       *kinema_sim_route_to_string           (KinemaSimRoute       route);
gboolean          kinema_sim_route_from_string         (const char          *text,
                                                        KinemaSimRoute      *out_route);
const char       *kinema_sim_fault_kind_to_string      (KinemaSimFaultKind   kind);
gboolean          kinema_sim_fault_kind_from_string    (const char          *text,
                                                        KinemaSimFaultKind  *out_kind);

G_END_DECLS
