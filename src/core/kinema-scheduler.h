/* kinema-scheduler.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Polls remote jobs. One GLib timeout serves every task: each task has a due time,
 * the timer fires for the earliest one. Polls of one task never overlap, at most
 * max-in-flight (4) polls per provider run at once, failed polls back off with
 * jitter and honour Retry-After, polling pauses while the network is down (except
 * for loopback providers), and an authentication error pauses the provider's tasks
 * ("provider-paused", once until kinema_scheduler_resume_provider()).
 *
 * Intervals adapt to how long jobs take: the typical duration per (model, mode,
 * duration) is learned from finished jobs; polls are sparse early and dense near the
 * expected finish, and never faster than the provider's own refresh clock when the
 * replies show update times (new-api refreshes every 15 s). The policy is the pure
 * function kinema_scheduler_next_interval(), shared with the benchmark.
 */

#pragma once

#include <gio/gio.h>

#include "kinema-client.h"
#include "kinema-task.h"

G_BEGIN_DECLS

/* The densest regular interval by default; the "min poll interval" override replaces it. */
#define KINEMA_SCHEDULER_DEFAULT_BASE_INTERVAL 2.0
/* The sparsest regular interval is this many base intervals (30 s by default). */
#define KINEMA_SCHEDULER_MAX_FACTOR            15.0
/* Error back-off stops growing at this many base intervals (5 min by default). */
#define KINEMA_SCHEDULER_BACKOFF_FACTOR        150.0
#define KINEMA_SCHEDULER_MAX_IN_FLIGHT         4
/* No poll waits longer than this, whatever Retry-After said. */
#define KINEMA_SCHEDULER_MAX_DELAY_S           3600.0

/**
 * KinemaPollPlan:
 * @elapsed_s: seconds since the job was submitted
 * @expected_s: typical (median) duration of jobs like it, or <= 0 when nothing was learned
 * @spread: how much their durations vary (standard deviation of their logarithms), or 0
 *   when too few were seen
 * @base_interval_s: the densest regular interval (the min-poll-interval override)
 * @refresh_s: the provider's refresh clock seen in replies, or 0 when unknown
 * @since_refresh_s: seconds since the provider last refreshed this job, or < 0
 * @n_errors: consecutive failed polls of this job
 * @retry_after_s: the last error's Retry-After, or < 0
 * @jitter: 0..1; random in production, fixed in tests
 *
 * Everything the polling policy looks at.
 */
typedef struct {
  double elapsed_s;
  double expected_s;
  double spread;
  double base_interval_s;
  double refresh_s;
  double since_refresh_s;
  guint  n_errors;
  double retry_after_s;
  double jitter;
} KinemaPollPlan;

#define KINEMA_TYPE_SCHEDULER (kinema_scheduler_get_type ())

G_DECLARE_FINAL_TYPE (KinemaScheduler, kinema_scheduler, KINEMA, SCHEDULER, GObject)

/* clang-format off */
/* Seconds until the next poll. Pure. */
double           kinema_scheduler_next_interval        (const KinemaPollPlan *plan);
/* Seconds left, or -1 when unknown (nothing learned, or already late). Pure. */
gint64           kinema_scheduler_estimate_remaining   (double                elapsed_s,
                                                        double                expected_s);
/* TRUE when the job runs clearly longer than jobs like it usually do. Pure. */
gboolean         kinema_scheduler_is_slow              (double                elapsed_s,
                                                        double                expected_s);

KinemaScheduler *kinema_scheduler_new                  (KinemaClient         *client);
void             kinema_scheduler_set_base_interval    (KinemaScheduler      *self,
                                                        double                seconds);
double           kinema_scheduler_get_base_interval    (KinemaScheduler      *self);
void             kinema_scheduler_set_max_in_flight    (KinemaScheduler      *self,
                                                        guint                 max_in_flight);
/* Starts polling @task (it must have a remote id). The first poll is due soon. */
void             kinema_scheduler_add                  (KinemaScheduler      *self,
                                                        KinemaTask           *task,
                                                        KinemaProvider       *provider);
/* Stops polling @task; a poll on the wire is cancelled and its result dropped. */
void             kinema_scheduler_remove               (KinemaScheduler      *self,
                                                        KinemaTask           *task);
gboolean         kinema_scheduler_contains             (KinemaScheduler      *self,
                                                        KinemaTask           *task);
guint            kinema_scheduler_get_n_tasks          (KinemaScheduler      *self);
void             kinema_scheduler_resume_provider      (KinemaScheduler      *self,
                                                        KinemaProvider       *provider);
gboolean         kinema_scheduler_is_provider_paused   (KinemaScheduler      *self,
                                                        KinemaProvider       *provider);
/* The default monitor is used unless another one is set (NULL: always online). */
void             kinema_scheduler_set_network_monitor  (KinemaScheduler      *self,
                                                        GNetworkMonitor      *monitor);
/* Test hook: what the network monitor would say. */
void             kinema_scheduler_set_online           (KinemaScheduler      *self,
                                                        gboolean              online);
gboolean         kinema_scheduler_get_online           (KinemaScheduler      *self);
/* Learning: one finished job of @request took @seconds from submit to result. */
void             kinema_scheduler_learn                (KinemaScheduler      *self,
                                                        KinemaRequest        *request,
                                                        double                seconds);
/* The typical duration for jobs like @request, or -1 when nothing was learned. */
double           kinema_scheduler_get_expected         (KinemaScheduler      *self,
                                                        KinemaRequest        *request);
/* With adaptive polling off (Preferences), every job is polled at the base interval;
 * back-off and Retry-After still apply. On by default. */
void             kinema_scheduler_set_adaptive         (KinemaScheduler      *self,
                                                        gboolean              adaptive);
gboolean         kinema_scheduler_get_adaptive         (KinemaScheduler      *self);
/* The spread of their durations (log-normal sigma), or 0 when fewer than 5 were learned. */
double           kinema_scheduler_get_spread           (KinemaScheduler      *self,
                                                        KinemaRequest        *request);
/* The refresh clock learned for @provider (seconds), or 0. */
double           kinema_scheduler_get_refresh          (KinemaScheduler      *self,
                                                        KinemaProvider       *provider);
/* clang-format on */

/* Signals:
 *  "polled" (KinemaTask *task, KinemaRemoteStatus *status): a poll succeeded. The task
 *    stays scheduled unless the handler removes it.
 *  "poll-error" (KinemaTask *task, GError *error, gboolean fatal): a poll failed; when
 *    @fatal the task was removed (the provider keeps refusing it), else it backs off.
 *  "provider-paused" (KinemaProvider *provider, GError *error): once per pause. */

G_END_DECLS
