/* kinema-sim-private.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The simulator's jobs and reply builders, shared by kinema-sim-server.c,
 * kinema-sim-job.c and kinema-sim-dialects.c.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "kinema-types.h"
#include "kinema-sim-server.h"

G_BEGIN_DECLS

typedef enum {
  KINEMA_SIM_JOB_QUEUED,
  KINEMA_SIM_JOB_RUNNING,
  KINEMA_SIM_JOB_SUCCEEDED,
  KINEMA_SIM_JOB_FAILED,
} KinemaSimJobState;

typedef struct {
  char             *id;               /* the id its client sees */
  char             *public_id;        /* new-api's task_<32> */
  char             *upstream_id;      /* Kling's numeric id */
  gint64            row_id;
  char             *external_task_id;
  KinemaSimRoute    route;
  KinemaSimDialect  dialect;
  gboolean          image_to_video;
  char             *model;
  char             *prompt;
  char             *negative_prompt;
  char             *mode;
  char             *aspect_ratio;
  guint             duration_s;
  KinemaCameraType  camera;
  KinemaCameraAxis  camera_axis;
  double            camera_value;
  char             *image_path;       /* decoded start frame, or NULL */
  char             *image_tail_path;  /* decoded end frame, or NULL */
  gint64            created_ms;       /* simulator clock */
  guint             queued_ms;
  guint             running_ms;
  gboolean          will_fail;
  char             *fail_message;
  gboolean          gateway_fetched;  /* new-api refreshed it once (NOT_START before) */
  char             *video_path;       /* the finished clip, or NULL while rendering */
  gint64            video_ready_ms;
  char             *render_error;
  /* A video extension (POST /v1/videos/video-extend): the extended video's id, the job
   * that made it, its length, and the whole extended video's length. */
  gboolean          extend;
  char             *source_video_id;
  char             *source_job_id;    /* upstream id */
  double            source_total_s;
  double            total_s;
} KinemaSimJob;

/* What a client sees of a job at one moment. */
typedef struct {
  KinemaSimJobState state;
  gboolean          not_started;      /* new-api: NOT_START, the gateway has not looked yet */
  gint64            at_ms;            /* the moment the view shows (refresh period) */
  gint64            updated_ms;       /* when the shown state began */
  gint64            start_ms;         /* when processing began, or 0 */
  gint64            finish_ms;        /* when it ended, or 0 */
  const char       *fail_message;
} KinemaSimJobView;

typedef struct {
  const KinemaSimJob *job;
  KinemaSimJobView    view;
  const char         *video_url;      /* only when succeeded */
  const char         *parent_video_url; /* a video extension's source video */
  const char         *request_id;
} KinemaSimReply;

KinemaSimJob *_kinema_sim_job_new            (void);
void          _kinema_sim_job_free           (KinemaSimJob        *job);
JsonNode     *_kinema_sim_job_to_json        (const KinemaSimJob  *job);
KinemaSimJob *_kinema_sim_job_from_json      (JsonNode            *node,
                                              GError             **error);
void          _kinema_sim_job_compute_view   (const KinemaSimJob  *job,
                                              gint64               now_ms,
                                              gboolean             gateway,
                                              guint                refresh_ms,
                                              KinemaSimJobView    *out_view);
/* The length a query reply gives the job's video, in seconds: the request's and a
 * little more ("5.1"), or for a video extension the whole extended video's. */
double        _kinema_sim_job_get_seconds    (const KinemaSimJob  *job);
char         *_kinema_sim_new_public_id      (void);
char         *_kinema_sim_new_upstream_id    (void);
gboolean      _kinema_sim_dialect_is_new_api (KinemaSimDialect     dialect);
/* new-api's status name for @view, and its progress text ("30%") when @out_progress is not NULL. */
const char *_kinema_sim_new_api_status (const KinemaSimJobView *view,
                                        const char            **out_progress);

/* Checks a Kling `image` value (URL or raw Base64, PROTOCOL 1.4). On success
 * *out_bytes holds the decoded file (NULL for a URL) and *out_ext "jpg"/"png". */
gboolean      _kinema_sim_check_image        (const char          *value,
                                              const char          *field,
                                              GBytes             **out_bytes,
                                              const char         **out_ext,
                                              char               **out_message);

JsonNode     *_kinema_sim_build_submit       (KinemaSimDialect     dialect,
                                              const KinemaSimReply *reply);
JsonNode     *_kinema_sim_build_query        (KinemaSimDialect     dialect,
                                              const KinemaSimReply *reply);
JsonNode     *_kinema_sim_build_kling_task   (const KinemaSimReply *reply,
                                              gboolean             for_submit);
JsonNode     *_kinema_sim_build_kling_envelope (JsonNode           *data,
                                                const char         *request_id);
JsonNode     *_kinema_sim_kling_error        (int                  code,
                                              const char          *message,
                                              const char          *request_id);
JsonNode     *_kinema_sim_new_api_error      (const char          *code,
                                              const char          *message);
JsonNode     *_kinema_sim_openai_error       (const char          *message,
                                              const char          *type,
                                              const char          *param,
                                              const char          *code);

G_END_DECLS
