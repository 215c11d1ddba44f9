/* test-scheduler.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The polling policy as a pure function, and the scheduler against the simulator:
 * polls of one task never overlap, at most four per provider at once, back-off and
 * Retry-After (read from the simulator's own request log), an authentication error
 * pauses the provider once, no polling while offline, the refresh clock is learned.
 * The checks on the request log are lower bounds set by the scheduler's own delays.
 */

#include "config.h"

#include <math.h>

#include "kinema-scheduler.h"
#include "kinema-task-private.h"
#include "tasks-test-util.h"

/* ------------------------------------------------------------------------- */
/* The policy */

static KinemaPollPlan
plan_at (double elapsed,
         double expected)
{
  KinemaPollPlan plan = { 0 };

  plan.elapsed_s = elapsed;
  plan.expected_s = expected;
  plan.base_interval_s = 2.0;
  plan.since_refresh_s = -1;
  plan.retry_after_s = -1;
  plan.jitter = 0.5;
  return plan;
}

static void
test_policy_unknown (void)
{
  KinemaPollPlan plan = plan_at (0, -1);
  double         previous = 0;

  /* Nothing learned: dense at first, thinning out, never past the cap. */
  g_assert_cmpfloat (kinema_scheduler_next_interval (&plan), <=, 2.0 * 1.1);
  for (double t = 0; t < 3600; t += 7)
    {
      double interval;

      plan.elapsed_s = t;
      interval = kinema_scheduler_next_interval (&plan);
      g_assert_cmpfloat (interval, >=, 2.0);
      g_assert_cmpfloat (interval, <=, 2.0 * KINEMA_SCHEDULER_MAX_FACTOR * 1.1);
      g_assert_cmpfloat (interval, >=, previous - 1e-9);
      previous = interval;
    }
  g_assert_cmpfloat (previous, >=, 2.0 * KINEMA_SCHEDULER_MAX_FACTOR);
  g_assert_cmpint (kinema_scheduler_estimate_remaining (100, -1), ==, -1);
  g_assert_false (kinema_scheduler_is_slow (10000, -1));
}

static void
test_policy_learned (void)
{
  KinemaPollPlan plan = plan_at (0, 120);
  double         early, near, later;

  /* Sparse early, dense near the expected finish. */
  early = kinema_scheduler_next_interval (&plan);
  g_assert_cmpfloat (early, >=, 25);
  plan.elapsed_s = 107;
  near = kinema_scheduler_next_interval (&plan);
  g_assert_cmpfloat (near, <=, early / 4);
  g_assert_cmpfloat (near, >=, 2.0);

  /* Late jobs are still asked about, within the cap. */
  plan.elapsed_s = 2000;
  later = kinema_scheduler_next_interval (&plan);
  g_assert_cmpfloat (later, >=, 2.0);
  g_assert_cmpfloat (later, <=, 2.0 * KINEMA_SCHEDULER_MAX_FACTOR * 1.1);

  /* Jobs that take about as long as learned are noticed within a few seconds, with
   * fewer requests than a fixed 5 s poller. */
  for (double end = 90; end <= 180; end += 30)
    {
      guint  polls = 0;
      double t = 2;

      while (t < end)
        {
          plan.elapsed_s = t;
          t += kinema_scheduler_next_interval (&plan);
          polls++;
        }
      g_assert_cmpfloat (t - end, <=, 2.5 * 2.0);
      g_assert_cmpuint (polls, <, end / 5);
    }

  /* The same figures give the estimate and the slow flag. */
  g_assert_cmpint (kinema_scheduler_estimate_remaining (20, 120), ==, 100);
  g_assert_cmpint (kinema_scheduler_estimate_remaining (130, 120), ==, -1);
  g_assert_false (kinema_scheduler_is_slow (150, 120));
  g_assert_true (kinema_scheduler_is_slow (300, 120));
}

static void
test_policy_errors (void)
{
  KinemaPollPlan plan = plan_at (50, 120);
  double         previous = 0;

  /* Exponential back-off, 0.5x..1.5x jitter, capped. */
  for (guint n = 1; n <= 12; n++)
    {
      double low, high;

      plan.n_errors = n;
      plan.jitter = 0;
      low = kinema_scheduler_next_interval (&plan);
      plan.jitter = 1;
      high = kinema_scheduler_next_interval (&plan);
      g_assert_cmpfloat (high, >, low);
      g_assert_cmpfloat_with_epsilon (high / low, 3.0, 1e-9);
      g_assert_cmpfloat (low, >=, previous - 1e-9);
      g_assert_cmpfloat (high, <=, 2.0 * KINEMA_SCHEDULER_BACKOFF_FACTOR * 1.5 + 1e-9);
      previous = low;
    }
  plan.n_errors = 1;
  plan.jitter = 0;
  g_assert_cmpfloat_with_epsilon (kinema_scheduler_next_interval (&plan), 2.0, 1e-9);
  plan.n_errors = 3;
  g_assert_cmpfloat_with_epsilon (kinema_scheduler_next_interval (&plan), 8.0, 1e-9);

  /* Never before Retry-After. */
  plan.n_errors = 1;
  plan.retry_after_s = 42;
  g_assert_cmpfloat (kinema_scheduler_next_interval (&plan), >=, 42);
  plan.retry_after_s = 0.5;
  g_assert_cmpfloat (kinema_scheduler_next_interval (&plan), >=, 2.0);
}

static void
test_policy_refresh (void)
{
  KinemaPollPlan plan = plan_at (107, 120);

  /* new-api refreshes every 15 s: poll just after its next refresh, never faster. */
  plan.refresh_s = 15;
  plan.since_refresh_s = 3;
  g_assert_cmpfloat_with_epsilon (kinema_scheduler_next_interval (&plan), 12 + 1, 1e-9);
  plan.since_refresh_s = 14.5;
  g_assert_cmpfloat (kinema_scheduler_next_interval (&plan), >=, 2.0);
  plan.since_refresh_s = 33; /* two refreshes ago */
  g_assert_cmpfloat_with_epsilon (kinema_scheduler_next_interval (&plan), 12 + 1, 1e-9);

  /* Early on, aligned to a refresh too. */
  plan.elapsed_s = 0;
  plan.since_refresh_s = 0;
  {
    double interval = kinema_scheduler_next_interval (&plan);
    double k = (interval - 1) / 15;

    g_assert_cmpfloat (interval, >=, 15);
    g_assert_cmpfloat_with_epsilon (k, round (k), 1e-9);
  }

  /* Refresh clock known but no update time: at least one refresh apart. */
  plan.elapsed_s = 107;
  plan.since_refresh_s = -1;
  g_assert_cmpfloat (kinema_scheduler_next_interval (&plan), >=, 15);

  /* The min-poll override scales everything. */
  plan = plan_at (0, -1);
  plan.base_interval_s = 0.05;
  g_assert_cmpfloat (kinema_scheduler_next_interval (&plan), <, 0.06);
  plan.elapsed_s = 10000;
  g_assert_cmpfloat (kinema_scheduler_next_interval (&plan), <=, 0.05 * KINEMA_SCHEDULER_MAX_FACTOR * 1.1);
}

/* ------------------------------------------------------------------------- */
/* Against the simulator */

typedef struct
{
  TasksFixture     base;
  KinemaScheduler *scheduler;
  GPtrArray       *tasks;
  guint            n_polled;
  guint            n_errors;
  guint            n_paused;
  GError          *last_error;
} Fixture;

static void
on_polled (KinemaScheduler    *scheduler,
           KinemaTask         *task,
           KinemaRemoteStatus *status,
           Fixture            *f)
{
  f->n_polled++;
  if (status->state == KINEMA_REMOTE_STATE_SUCCEEDED)
    {
      kinema_task_set_status (task, KINEMA_TASK_STATUS_SUCCEEDED);
      kinema_scheduler_remove (scheduler, task);
    }
  else if (status->state == KINEMA_REMOTE_STATE_RUNNING)
    kinema_task_set_status (task, KINEMA_TASK_STATUS_RUNNING);
}

static void
on_poll_error (KinemaScheduler *scheduler,
               KinemaTask      *task,
               GError          *error,
               gboolean         fatal,
               Fixture         *f)
{
  f->n_errors++;
  g_clear_error (&f->last_error);
  f->last_error = g_error_copy (error);
}

static void
on_paused (KinemaScheduler *scheduler,
           KinemaProvider  *provider,
           GError          *error,
           Fixture         *f)
{
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_AUTH);
  f->n_paused++;
}

static void
fixture_setup (Fixture      *f,
               gconstpointer data)
{
  tasks_fixture_setup (&f->base, data);
  f->scheduler = kinema_scheduler_new (f->base.client);
  kinema_scheduler_set_base_interval (f->scheduler, 0.05);
  f->tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (f->scheduler, "polled", G_CALLBACK (on_polled), f);
  g_signal_connect (f->scheduler, "poll-error", G_CALLBACK (on_poll_error), f);
  g_signal_connect (f->scheduler, "provider-paused", G_CALLBACK (on_paused), f);
}

static void
fixture_teardown (Fixture      *f,
                  gconstpointer data)
{
  g_clear_object (&f->scheduler);
  g_clear_pointer (&f->tasks, g_ptr_array_unref);
  g_clear_error (&f->last_error);
  tasks_fixture_teardown (&f->base, data);
}

/* Submits a job straight to the simulator and returns a task that knows its id. */
static KinemaTask *
submitted_task (Fixture        *f,
                KinemaProvider *provider)
{
  g_autoptr(KinemaRequest) request = tasks_test_request ("Polled");
  g_autoptr(KinemaRemoteStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  KinemaTask   *task;

  task = kinema_task_new (NULL, kinema_provider_get_id (provider), NULL, request, FALSE);
  kinema_request_set_external_task_id (request, kinema_task_get_id (task));
  kinema_client_submit_async (f->base.client, provider, request, NULL, tasks_test_result_cb, &result);
  tasks_wait_for (result != NULL);
  status = kinema_client_submit_finish (f->base.client, result, &error);
  g_assert_no_error (error);
  g_object_unref (result);

  kinema_task_set_remote_id (task, status->remote_id);
  kinema_task_set_submitted_at (task, g_get_real_time ());
  kinema_task_set_status (task, KINEMA_TASK_STATUS_QUEUED);
  g_ptr_array_add (f->tasks, task);
  return task;
}

/* Arrival times (µs) of the simulator's requests whose path starts with @prefix. */
static GArray *
arrivals (Fixture    *f,
          const char *method,
          const char *prefix)
{
  g_autoptr(JsonNode) stats = kinema_sim_server_dup_stats (f->base.sim);
  JsonArray *log = json_object_get_array_member (json_node_get_object (stats), "log");
  GArray    *times = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < json_array_get_length (log); i++)
    {
      JsonObject *entry = json_array_get_object_element (log, i);

      if (g_strcmp0 (json_object_get_string_member (entry, "method"), method) == 0 &&
          g_str_has_prefix (json_object_get_string_member (entry, "path"), prefix))
        {
          gint64 t = json_object_get_int_member (entry, "time_us");

          g_array_append_val (times, t);
        }
    }
  return times;
}

static char *
poll_path (KinemaTask *task)
{
  return g_strconcat ("/kling/v1/videos/text2video/", kinema_task_get_remote_id (task), NULL);
}

static gboolean
all_succeeded (Fixture *f)
{
  for (guint i = 0; i < f->tasks->len; i++)
    if (kinema_task_get_status (g_ptr_array_index (f->tasks, i)) != KINEMA_TASK_STATUS_SUCCEEDED)
      return FALSE;
  return TRUE;
}

static void
run_for_ms (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

static void
test_no_overlap (Fixture      *f,
                 gconstpointer data)
{
  KinemaTask      *task;
  g_autofree char *path = NULL;
  g_autoptr(GArray) times = NULL;
  KinemaSimFault slow = { "GET", "/kling/v1/videos/*", KINEMA_SIM_FAULT_SLOW, 0, 0, 300, -1, FALSE, NULL };

  kinema_sim_server_set_clock (f->base.sim, 600, 600);
  task = submitted_task (f, f->base.provider);
  path = poll_path (task);
  kinema_sim_server_add_fault (f->base.sim, &slow);

  /* Base interval 0.05 s, replies take 0.3 s: an overlapping poller would ask ~6x per reply. */
  kinema_scheduler_add (f->scheduler, task, f->base.provider);
  tasks_wait_for (all_succeeded (f));

  times = arrivals (f, "GET", path);
  g_assert_cmpuint (times->len, >=, 3);
  for (guint i = 1; i < times->len; i++)
    g_assert_cmpint (g_array_index (times, gint64, i) - g_array_index (times, gint64, i - 1), >=, 300 * 1000);
  g_assert_cmpuint (kinema_scheduler_get_n_tasks (f->scheduler), ==, 0);
}

/* Jobs learned to take 100 s: adaptive polling waits (up to 25 s) before the first
 * re-poll, while with adaptive polling off the job is asked every base interval. */
static guint
polls_in_one_second (Fixture *f,
                     gboolean adaptive)
{
  g_autoptr(KinemaRequest) request = tasks_test_request ("Polled");
  g_autofree char *path = NULL;
  g_autoptr(GArray) times = NULL;
  KinemaTask *task;

  kinema_sim_server_set_clock (f->base.sim, 60000, 60000);
  for (guint i = 0; i < 6; i++)
    kinema_scheduler_learn (f->scheduler, request, 100);
  kinema_scheduler_set_base_interval (f->scheduler, 0.1);
  kinema_scheduler_set_adaptive (f->scheduler, adaptive);
  g_assert_true (kinema_scheduler_get_adaptive (f->scheduler) == adaptive);
  task = submitted_task (f, f->base.provider);
  path = poll_path (task);
  kinema_scheduler_add (f->scheduler, task, f->base.provider);
  run_for_ms (1000);
  kinema_scheduler_remove (f->scheduler, task);
  times = arrivals (f, "GET", path);
  return times->len;
}

static void
test_adaptive_on (Fixture      *f,
                  gconstpointer data)
{
  /* The first poll comes soon after adding; then the learned curve spaces them out. */
  g_assert_cmpuint (polls_in_one_second (f, TRUE), <=, 2);
}

static void
test_adaptive_off (Fixture      *f,
                   gconstpointer data)
{
  g_assert_cmpuint (polls_in_one_second (f, FALSE), >=, 5);
}

static void
test_provider_cap (Fixture      *f,
                   gconstpointer data)
{
  g_autoptr(GArray) times = NULL;
  KinemaSimFault slow = { "GET", "/kling/v1/videos/*", KINEMA_SIM_FAULT_SLOW, 0, 0, 400, -1, FALSE, NULL };
  guint          max_window = 0;

  kinema_sim_server_set_clock (f->base.sim, 300, 300);
  for (guint i = 0; i < 10; i++)
    submitted_task (f, f->base.provider);
  kinema_sim_server_add_fault (f->base.sim, &slow);

  for (guint i = 0; i < f->tasks->len; i++)
    kinema_scheduler_add (f->scheduler, g_ptr_array_index (f->tasks, i), f->base.provider);
  tasks_wait_for (all_succeeded (f));

  /* Each poll takes at least 0.4 s: no 0.4 s window may see more than 4 arrivals. */
  times = arrivals (f, "GET", "/kling/v1/videos/");
  g_assert_cmpuint (times->len, >=, 20);
  for (guint i = 0; i < times->len; i++)
    {
      guint n = 0;

      for (guint j = i; j < times->len; j++)
        if (g_array_index (times, gint64, j) - g_array_index (times, gint64, i) < 400 * 1000)
          n++;
      max_window = MAX (max_window, n);
    }
  g_assert_cmpuint (max_window, <=, KINEMA_SCHEDULER_MAX_IN_FLIGHT);
  /* And the cap was reached: the ten tasks did share the provider. */
  g_assert_cmpuint (max_window, ==, KINEMA_SCHEDULER_MAX_IN_FLIGHT);
}

static void
test_retry_after (Fixture      *f,
                  gconstpointer data)
{
  KinemaTask      *task;
  g_autofree char *path = NULL;
  g_autoptr(GArray) times = NULL;
  KinemaSimFault limited = { "GET", "/kling/v1/videos/*", KINEMA_SIM_FAULT_STATUS, 429, 1, 0, 1, FALSE, NULL };

  kinema_sim_server_set_clock (f->base.sim, 100, 100);
  task = submitted_task (f, f->base.provider);
  path = poll_path (task);
  kinema_sim_server_add_fault (f->base.sim, &limited);

  kinema_scheduler_add (f->scheduler, task, f->base.provider);
  tasks_wait_for (all_succeeded (f));

  g_assert_cmpuint (f->n_errors, ==, 1);
  g_assert_error (f->last_error, KINEMA_ERROR, KINEMA_ERROR_RATE_LIMITED);
  times = arrivals (f, "GET", path);
  g_assert_cmpuint (times->len, >=, 2);
  /* The second poll waited for Retry-After (1 s), not the 0.05 s base interval. */
  g_assert_cmpint (g_array_index (times, gint64, 1) - g_array_index (times, gint64, 0), >=, G_USEC_PER_SEC);
}

static void
test_backoff (Fixture      *f,
              gconstpointer data)
{
  KinemaTask      *task;
  g_autofree char *path = NULL;
  g_autoptr(GArray) times = NULL;
  KinemaSimFault broken = { "GET", "/kling/v1/videos/*", KINEMA_SIM_FAULT_STATUS, 503, 0, 0, 4, FALSE, NULL };

  kinema_sim_server_set_clock (f->base.sim, 100, 100);
  task = submitted_task (f, f->base.provider);
  path = poll_path (task);
  kinema_sim_server_add_fault (f->base.sim, &broken);

  kinema_scheduler_add (f->scheduler, task, f->base.provider);
  tasks_wait_for (all_succeeded (f));
  g_assert_cmpuint (f->n_errors, ==, 4);
  g_assert_error (f->last_error, KINEMA_ERROR, KINEMA_ERROR_SERVER);

  /* After the n-th failure the next poll waits at least base * 2^n * 0.5. */
  times = arrivals (f, "GET", path);
  g_assert_cmpuint (times->len, >=, 5);
  for (guint n = 1; n <= 4; n++)
    {
      gint64 gap = g_array_index (times, gint64, n) - g_array_index (times, gint64, n - 1);

      g_assert_cmpint (gap, >=, (gint64) (0.05 * (1 << n) * 0.5 * G_USEC_PER_SEC));
    }
}

static void
test_auth_pause (Fixture      *f,
                 gconstpointer data)
{
  guint before;

  kinema_sim_server_set_clock (f->base.sim, 60000, 60000);
  submitted_task (f, f->base.provider);
  submitted_task (f, f->base.provider);
  submitted_task (f, f->base.provider);
  for (guint i = 0; i < f->tasks->len; i++)
    kinema_scheduler_add (f->scheduler, g_ptr_array_index (f->tasks, i), f->base.provider);
  tasks_wait_for (f->n_polled >= 3);

  kinema_provider_set_api_key (f->base.provider, "sk-revoked");
  tasks_wait_for (f->n_paused > 0);
  g_assert_true (kinema_scheduler_is_provider_paused (f->scheduler, f->base.provider));
  run_for_ms (100); /* let polls already on the wire come back */
  before = tasks_test_count_requests (f->base.sim, "GET", "/kling/v1/videos/");
  run_for_ms (400);
  g_assert_cmpuint (f->n_paused, ==, 1);
  g_assert_cmpuint (tasks_test_count_requests (f->base.sim, "GET", "/kling/v1/videos/"), ==, before);
  g_assert_cmpuint (kinema_scheduler_get_n_tasks (f->scheduler), ==, 3);

  kinema_provider_set_api_key (f->base.provider, TEST_KEY);
  kinema_sim_server_advance_clock (f->base.sim, 200000);
  kinema_scheduler_resume_provider (f->scheduler, f->base.provider);
  g_assert_false (kinema_scheduler_is_provider_paused (f->scheduler, f->base.provider));
  tasks_wait_for (all_succeeded (f));
  g_assert_cmpuint (f->n_paused, ==, 1);
}

static void
test_offline (Fixture      *f,
              gconstpointer data)
{
  /* A provider that is not on this machine (0.0.0.0:9 refuses at once). */
  g_autoptr(KinemaProvider) remote = kinema_provider_new ("remote", "Remote", "https://0.0.0.0:9/kling",
                                                           KINEMA_API_STYLE_KLING, KINEMA_AUTH_BEARER);
  g_autoptr(KinemaRequest) request = tasks_test_request ("Far away");
  g_autoptr(KinemaTask) far = kinema_task_new (NULL, "remote", NULL, request, FALSE);
  KinemaTask *near;

  kinema_provider_set_api_key (remote, TEST_KEY);
  kinema_task_set_remote_id (far, "task_far");
  kinema_task_set_submitted_at (far, g_get_real_time ());

  kinema_sim_server_set_clock (f->base.sim, 300, 300);
  near = submitted_task (f, f->base.provider);

  kinema_scheduler_set_network_monitor (f->scheduler, NULL);
  kinema_scheduler_set_online (f->scheduler, FALSE);
  g_assert_false (kinema_scheduler_get_online (f->scheduler));
  kinema_scheduler_add (f->scheduler, far, remote);
  kinema_scheduler_add (f->scheduler, near, f->base.provider);

  /* Offline: the loopback simulator is still polled, the remote provider is not. */
  tasks_wait_for (kinema_task_get_status (near) == KINEMA_TASK_STATUS_SUCCEEDED);
  run_for_ms (200);
  g_assert_cmpuint (f->n_errors, ==, 0);
  g_assert_true (kinema_scheduler_contains (f->scheduler, far));

  /* Back online: the remote provider is tried (and refuses). */
  kinema_scheduler_set_online (f->scheduler, TRUE);
  tasks_wait_for (f->n_errors > 0);
  g_assert_error (f->last_error, KINEMA_ERROR, KINEMA_ERROR_NETWORK);
  kinema_scheduler_remove (f->scheduler, far);
}

static void
test_learns_refresh (Fixture      *f,
                     gconstpointer data)
{
  KinemaTask      *task;
  g_autofree char *path = NULL;
  g_autoptr(GArray) times = NULL;
  g_autoptr(KinemaRequest) request = tasks_test_request ("Polled");
  guint late = 0;

  /* A new-api gateway that refreshes its jobs every 2 s. */
  kinema_sim_server_set_refresh_ms (f->base.sim, 2000);
  kinema_sim_server_set_clock (f->base.sim, 2500, 2500);
  task = submitted_task (f, f->base.provider);
  path = poll_path (task);
  kinema_scheduler_add (f->scheduler, task, f->base.provider);
  tasks_wait_for (all_succeeded (f));

  g_assert_cmpfloat_with_epsilon (kinema_scheduler_get_refresh (f->scheduler, f->base.provider), 2.0, 1e-9);

  /* Once learned, polls come no faster than the gateway refreshes. */
  times = arrivals (f, "GET", path);
  for (guint i = 1; i < times->len; i++)
    {
      gint64 gap = g_array_index (times, gint64, i) - g_array_index (times, gint64, i - 1);

      if (gap >= 1900 * 1000)
        late++;
    }
  g_assert_cmpuint (late, >=, 1);
  /* Fewer polls than a fixed 0.05 s poller would have made by far. */
  g_assert_cmpuint (times->len, <, 60);

  /* Learning: the median of finished jobs. */
  g_assert_cmpfloat (kinema_scheduler_get_expected (f->scheduler, request), ==, -1);
  kinema_scheduler_learn (f->scheduler, request, 100);
  kinema_scheduler_learn (f->scheduler, request, 300);
  kinema_scheduler_learn (f->scheduler, request, 110);
  g_assert_cmpfloat (kinema_scheduler_get_expected (f->scheduler, request), ==, 110);
  kinema_request_set_mode (request, KINEMA_MODE_PRO);
  g_assert_cmpfloat (kinema_scheduler_get_expected (f->scheduler, request), ==, -1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kinema/scheduler/policy/unknown", test_policy_unknown);
  g_test_add_func ("/kinema/scheduler/policy/learned", test_policy_learned);
  g_test_add_func ("/kinema/scheduler/policy/errors", test_policy_errors);
  g_test_add_func ("/kinema/scheduler/policy/refresh", test_policy_refresh);
#define ADD(name, func) g_test_add ("/kinema/scheduler/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("adaptive-on", test_adaptive_on);
  ADD ("adaptive-off", test_adaptive_off);
  ADD ("no-overlap", test_no_overlap);
  ADD ("provider-cap", test_provider_cap);
  ADD ("retry-after", test_retry_after);
  ADD ("backoff", test_backoff);
  ADD ("auth-pause", test_auth_pause);
  ADD ("offline", test_offline);
  ADD ("learns-refresh", test_learns_refresh);
#undef ADD

  return g_test_run ();
}
