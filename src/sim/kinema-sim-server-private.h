/* kinema-sim-server-private.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The simulator's insides, shared by kinema-sim-server.c and kinema-sim-submit.c.
 */

#pragma once

#include <libsoup/soup.h>

#include "kinema-sim-private.h"
#include "kinema-sim-server.h"

G_BEGIN_DECLS

#define DEFAULT_FAIL_MESSAGE "content did not pass safety review"

typedef struct {
  char               *method;
  char               *path;
  KinemaSimFaultKind  kind;
  guint               status;
  guint               retry_after_s;
  guint               delay_ms;
  int                 count;
  gboolean            after_create;
  char               *body;
} Fault;

typedef struct {
  char    *method;
  char    *path;
  gint64   time_us;
  guint    status;
  gboolean authorization;
  char    *authorization_hash; /* first 16 hex digits of SHA-256 of the header, never the key */
} LogEntry;

typedef enum {
  OP_SUBMIT,
  OP_QUERY,
  OP_LIST,
  OP_CONTENT,
  OP_CDN,
  OP_INDEX,
  OP_UNKNOWN,
} Op;

typedef struct {
  KinemaSimRoute  route;
  Op              op;
  gboolean        image_to_video;
  gboolean        extend;         /* /v1/videos/video-extend */
  char           *id;
  char           *key;
} RouteMatch;

struct _KinemaSimServer
{
  GObject           parent_instance;

  SoupServer       *server;
  char             *base_url;
  guint             port;
  char             *state_dir;
  char             *work_dir;
  gboolean          own_work_dir;

  KinemaSimDialect  dialects[KINEMA_SIM_N_ROUTES];
  guint             queued_ms;
  guint             running_ms;
  guint             refresh_ms;
  gint64            clock_offset_ms;
  GPtrArray        *bearer_keys;
  char             *access_key;
  char             *secret_key;
  char             *clip_file;
  guint             render_height;
  guint             render_duration_s;
  gboolean          demo_mark;
  gint64            video_ttl_ms;
  char             *fail_marker;
  guint             fail_next;
  char             *fail_next_message;
  guint             refuse_next;
  int               refuse_code;
  char             *refuse_message;

  GPtrArray        *jobs;
  GHashTable       *jobs_by_id;
  GHashTable       *jobs_by_external;
  gint64            next_row_id;
  char             *last_job_id;

  GPtrArray        *faults;
  GPtrArray        *log;
  guint             total_requests;
  GHashTable       *route_counts;
  GHashTable       *submit_counts;
  GHashTable       *renders;
  GCancellable     *cancellable;
};

gint64  _kinema_sim_server_now_ms         (KinemaSimServer   *self);
void    _kinema_sim_server_index_job      (KinemaSimServer   *self,
                                           KinemaSimJob      *job);
void    _kinema_sim_server_save_job       (KinemaSimServer   *self,
                                           const KinemaSimJob *job);
void    _kinema_sim_server_start_video    (KinemaSimServer   *self,
                                           KinemaSimJob      *job);
KinemaSimJob *_kinema_sim_server_lookup_job (KinemaSimServer *self,
                                           const char      *id);
void    _kinema_sim_server_handle_submit  (KinemaSimServer   *self,
                                           SoupServerMessage *msg,
                                           RouteMatch        *match,
                                           KinemaSimDialect   dialect);
char   *_kinema_sim_new_api_request_id    (void);
void    _kinema_sim_reply_json            (SoupServerMessage *msg,
                                           guint              status,
                                           JsonNode          *node);
void    _kinema_sim_reply_error           (SoupServerMessage *msg,
                                           KinemaSimDialect   dialect,
                                           guint              status,
                                           int                kling_code,
                                           const char        *na_code,
                                           const char        *message);

G_END_DECLS
