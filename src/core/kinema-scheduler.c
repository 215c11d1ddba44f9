/* kinema-scheduler.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-scheduler"

#include "config.h"

#include <math.h>

#include "kinema-error.h"
#include "kinema-scheduler.h"
#include "kinema-task-private.h"

/* How many durations are kept per kind of job (the median is used). */
#define MAX_SAMPLES 25
/* Polls that the provider keeps refusing (not found, bad reply…) give up after this many. */
#define MAX_FATAL_ERRORS 20
/* Refresh clocks shorter than this are noise. */
#define MIN_REFRESH_MS 900

typedef struct
{
  KinemaProvider *provider;
  guint           in_flight;
  gboolean        paused;
  gboolean        loopback;
  gint64          refresh_ms;
} ProviderState;

typedef struct
{
  KinemaTask       *task;
  ProviderState    *pstate;
  gint64            due_us; /* monotonic */
  gboolean          in_flight;
  guint64           serial;
  GCancellable     *cancellable;
  guint             n_errors;
  double            retry_after_s;
  gint64            last_updated_ms;
  KinemaRemoteState last_state;
} Entry;

typedef struct
{
  GArray *samples; /* double, seconds; oldest first */
} Samples;

struct _KinemaScheduler
{
  GObject parent_instance;

  KinemaClient *client;
  GHashTable   *entries;   /* KinemaTask* -> Entry* */
  GHashTable   *providers; /* KinemaProvider* -> ProviderState* */
  GHashTable   *learned;   /* "model|mode|duration" -> Samples* */
  double        base_interval_s;
  guint         max_in_flight;
  guint         timer_id;
  gint64        timer_due_us;
  guint64       next_serial;

  gboolean         adaptive;
  GNetworkMonitor *monitor;
  gulong           monitor_handler;
  gboolean         online;
};

G_DEFINE_FINAL_TYPE (KinemaScheduler, kinema_scheduler, G_TYPE_OBJECT)

enum
{
  SIGNAL_POLLED,
  SIGNAL_POLL_ERROR,
  SIGNAL_PROVIDER_PAUSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void rearm (KinemaScheduler *self);

/* ------------------------------------------------------------------------- */
/* The policy (pure) */

/* Job durations of one kind (model, mode, duration) spread roughly log-normally: the
 * median is what was learned, @sigma the spread of their logarithms. */
#define DEFAULT_SPREAD 0.3

static double
normal_pdf (double z)
{
  return exp (-0.5 * z * z) / sqrt (2 * G_PI);
}

static double
normal_survival (double z)
{
  return 0.5 * erfc (z / G_SQRT2);
}

/* ∫ sqrt(S(t) f(t)) dt over all t for a log-normal (median e^mu, spread sigma), by
 * substituting t = e^(mu + sigma z). */
static double
lognormal_sqrt_sf_integral (double mu,
                            double sigma)
{
  double       sum = 0;
  const double dz = 0.05;

  for (double z = -6; z < 6; z += dz)
    sum += sqrt (normal_survival (z) * normal_pdf (z) * exp (sigma * z)) * dz;
  return sqrt (sigma * exp (mu)) * sum;
}

/*
 * With nothing to wait on but the job, the polling that makes the fewest requests for
 * a given mean delay D before a finished job is noticed polls at intervals
 *   g(t) = c · sqrt(S(t) / f(t)) = c / sqrt(h(t)),   c = 2D / ∫ sqrt(S f) dt
 * where f is the density of job durations, S its survival and h = f / S the chance,
 * per second, that a job still running finishes now (Lagrange on ∫S/g subject to
 * ∫f·g/2 = D). Early on h is tiny and polls are sparse; near the usual finish they
 * are dense. D is the base interval, which keeps the mean delay a little under a
 * fixed poller's at 2.5 base intervals (bench/kinema-bench-polling).
 */
static double
hazard_interval (double elapsed_s,
                 double expected_s,
                 double spread,
                 double base,
                 double max_interval)
{
  double sigma = spread > 0 ? CLAMP (spread, 0.05, 1.5) : DEFAULT_SPREAD;
  double mu = log (expected_s);
  double c, z, survival, hazard;

  if (elapsed_s <= 1)
    return max_interval;
  c = 2 * base / lognormal_sqrt_sf_integral (mu, sigma);
  z = (log (elapsed_s) - mu) / sigma;
  survival = normal_survival (z);
  if (survival < 1e-9)
    /* Far later than any job like it: its hazard stays near 1/(σ²t); keep asking. */
    return CLAMP (c * sqrt (elapsed_s * sigma * sigma), base, max_interval);
  hazard = normal_pdf (z) / (elapsed_s * sigma * survival);
  if (hazard <= 0)
    return max_interval;
  return CLAMP (c / sqrt (hazard), base, max_interval);
}

double
kinema_scheduler_next_interval (const KinemaPollPlan *plan)
{
  double base;
  double max_interval;
  double interval;
  double jitter;

  g_return_val_if_fail (plan != NULL, KINEMA_SCHEDULER_DEFAULT_BASE_INTERVAL);

  base = plan->base_interval_s > 0 ? plan->base_interval_s : KINEMA_SCHEDULER_DEFAULT_BASE_INTERVAL;
  max_interval = base * KINEMA_SCHEDULER_MAX_FACTOR;
  jitter = CLAMP (plan->jitter, 0.0, 1.0);

  if (plan->n_errors > 0)
    {
      /* Exponential back-off with jitter (0.5x .. 1.5x), never before Retry-After. */
      double backoff = base * ldexp (1.0, (int) MIN (plan->n_errors, 20u));

      backoff = MIN (backoff, base * KINEMA_SCHEDULER_BACKOFF_FACTOR);
      backoff *= 0.5 + jitter;
      if (plan->retry_after_s > 0 && backoff < plan->retry_after_s)
        backoff = plan->retry_after_s + jitter * base * 0.5;
      return MAX (backoff, base);
    }

  if (plan->expected_s <= 0)
    {
      /* Nothing learned: start dense, thin out as the job gets older. */
      interval = CLAMP (plan->elapsed_s * 0.3, base, max_interval);
    }
  else
    {
      /* Early on, up to a quarter of the usual duration between polls. */
      max_interval = MAX (max_interval, plan->expected_s * 0.25);
      interval = hazard_interval (plan->elapsed_s, plan->expected_s, plan->spread, base, max_interval);
    }
  interval *= 1.0 + 0.1 * jitter;

  /* Asking a gateway between its own refreshes buys nothing: land just after one, and
   * never skip the refresh in which the job is likely to be seen done. */
  if (plan->refresh_s > 0)
    {
      if (plan->since_refresh_s >= 0)
        {
          double slack = MIN (1.0, plan->refresh_s * 0.1);
          double next = plan->refresh_s - fmod (plan->since_refresh_s, plan->refresh_s) + slack;

          if (interval <= next)
            interval = next;
          else
            interval = next + floor ((interval - next) / plan->refresh_s) * plan->refresh_s;
          while (interval < base)
            interval += plan->refresh_s;
        }
      else
        interval = MAX (interval, plan->refresh_s);
    }

  return interval;
}

gint64
kinema_scheduler_estimate_remaining (double elapsed_s,
                                     double expected_s)
{
  if (expected_s <= 0 || elapsed_s > expected_s)
    return -1;
  return (gint64) ceil (expected_s - elapsed_s);
}

gboolean
kinema_scheduler_is_slow (double elapsed_s,
                          double expected_s)
{
  return expected_s > 0 && elapsed_s > expected_s * 1.5 + 10;
}

/* ------------------------------------------------------------------------- */
/* Learning */

static char *
learn_key (KinemaRequest *request)
{
  return g_strdup_printf ("%s|%d|%u", kinema_request_get_model (request),
                          (int) kinema_request_get_mode (request), kinema_request_get_duration (request));
}

static void
samples_free (Samples *samples)
{
  g_array_unref (samples->samples);
  g_free (samples);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y ? 1
                            : 0;
}

void
kinema_scheduler_learn (KinemaScheduler *self,
                        KinemaRequest   *request,
                        double           seconds)
{
  g_autofree char *key = NULL;
  Samples         *samples;

  g_return_if_fail (KINEMA_IS_SCHEDULER (self));
  g_return_if_fail (KINEMA_IS_REQUEST (request));

  if (!(seconds > 0) || seconds > 24 * 3600)
    return;

  key = learn_key (request);
  samples = g_hash_table_lookup (self->learned, key);
  if (samples == NULL)
    {
      samples = g_new0 (Samples, 1);
      samples->samples = g_array_new (FALSE, FALSE, sizeof (double));
      g_hash_table_insert (self->learned, g_steal_pointer (&key), samples);
    }
  if (samples->samples->len >= MAX_SAMPLES)
    g_array_remove_index (samples->samples, 0);
  g_array_append_val (samples->samples, seconds);
}

void
kinema_scheduler_set_adaptive (KinemaScheduler *self,
                               gboolean         adaptive)
{
  g_return_if_fail (KINEMA_IS_SCHEDULER (self));

  self->adaptive = !!adaptive;
}

gboolean
kinema_scheduler_get_adaptive (KinemaScheduler *self)
{
  g_return_val_if_fail (KINEMA_IS_SCHEDULER (self), TRUE);

  return self->adaptive;
}

double
kinema_scheduler_get_spread (KinemaScheduler *self,
                             KinemaRequest   *request)
{
  g_autofree char *key = NULL;
  Samples         *samples;
  double           mean = 0, var = 0;
  guint            n;

  g_return_val_if_fail (KINEMA_IS_SCHEDULER (self), 0);
  g_return_val_if_fail (KINEMA_IS_REQUEST (request), 0);

  key = learn_key (request);
  samples = g_hash_table_lookup (self->learned, key);
  if (samples == NULL || samples->samples->len < 5)
    return 0;

  n = samples->samples->len;
  for (guint i = 0; i < n; i++)
    mean += log (g_array_index (samples->samples, double, i)) / n;
  for (guint i = 0; i < n; i++)
    {
      double d = log (g_array_index (samples->samples, double, i)) - mean;

      var += d * d / (n - 1);
    }
  return sqrt (var);
}

double
kinema_scheduler_get_expected (KinemaScheduler *self,
                               KinemaRequest   *request)
{
  g_autofree char *key = NULL;
  g_autoptr(GArray) sorted = NULL;
  Samples *samples;
  guint    n;

  g_return_val_if_fail (KINEMA_IS_SCHEDULER (self), -1);
  g_return_val_if_fail (KINEMA_IS_REQUEST (request), -1);

  key = learn_key (request);
  samples = g_hash_table_lookup (self->learned, key);
  if (samples == NULL || samples->samples->len == 0)
    return -1;

  n = samples->samples->len;
  sorted = g_array_sized_new (FALSE, FALSE, sizeof (double), n);
  g_array_append_vals (sorted, samples->samples->data, n);
  g_array_sort (sorted, compare_doubles);
  if (n % 2 == 1)
    return g_array_index (sorted, double, n / 2);
  return (g_array_index (sorted, double, n / 2 - 1) + g_array_index (sorted, double, n / 2)) / 2;
}

/* ------------------------------------------------------------------------- */
/* Bookkeeping */

static gboolean
host_is_loopback (const char *base_url)
{
  g_autoptr(GUri) uri = base_url != NULL ? g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL) : NULL;
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;

  if (host == NULL)
    return FALSE;
  return g_ascii_strcasecmp (host, "localhost") == 0 || g_str_has_prefix (host, "127.") ||
         g_strcmp0 (host, "::1") == 0 || g_strcmp0 (host, "[::1]") == 0;
}

static void
provider_state_free (ProviderState *pstate)
{
  g_clear_object (&pstate->provider);
  g_free (pstate);
}

static ProviderState *
ensure_provider (KinemaScheduler *self,
                 KinemaProvider  *provider)
{
  ProviderState *pstate = g_hash_table_lookup (self->providers, provider);

  if (pstate == NULL)
    {
      pstate = g_new0 (ProviderState, 1);
      pstate->provider = g_object_ref (provider);
      g_hash_table_insert (self->providers, provider, pstate);
    }
  return pstate;
}

static void
entry_free (Entry *entry)
{
  if (entry->cancellable != NULL)
    g_cancellable_cancel (entry->cancellable);
  g_clear_object (&entry->cancellable);
  g_clear_object (&entry->task);
  g_free (entry);
}

static double
elapsed_of (KinemaTask *task)
{
  gint64 since = kinema_task_get_submitted_at (task);

  if (since <= 0)
    since = kinema_task_get_created_at (task);
  if (since <= 0)
    return 0;
  return MAX (0, (g_get_real_time () - since) / (double) G_USEC_PER_SEC);
}

static void
update_estimate (KinemaScheduler *self,
                 Entry           *entry)
{
  double expected = kinema_scheduler_get_expected (self, kinema_task_get_request (entry->task));
  double elapsed = elapsed_of (entry->task);

  kinema_task_set_estimated_remaining (entry->task, kinema_scheduler_estimate_remaining (elapsed, expected));
  kinema_task_set_is_slow (entry->task, kinema_scheduler_is_slow (elapsed, expected));
}

static void
schedule_next (KinemaScheduler *self,
               Entry           *entry)
{
  KinemaPollPlan plan = { 0 };
  double         interval;

  plan.elapsed_s = elapsed_of (entry->task);
  plan.expected_s = kinema_scheduler_get_expected (self, kinema_task_get_request (entry->task));
  plan.spread = kinema_scheduler_get_spread (self, kinema_task_get_request (entry->task));
  plan.base_interval_s = self->base_interval_s;
  plan.refresh_s = entry->pstate->refresh_ms / 1000.0;
  plan.since_refresh_s = entry->last_updated_ms > 0
                             ? (g_get_real_time () / 1000 - entry->last_updated_ms) / 1000.0
                             : -1;
  if (plan.since_refresh_s < -1)
    plan.since_refresh_s = 0; /* the provider's clock is ahead of ours */
  plan.n_errors = entry->n_errors;
  plan.retry_after_s = entry->retry_after_s;
  plan.jitter = g_random_double ();

  if (!self->adaptive && plan.n_errors == 0)
    interval = plan.base_interval_s > 0 ? plan.base_interval_s : KINEMA_SCHEDULER_DEFAULT_BASE_INTERVAL;
  else
    interval = kinema_scheduler_next_interval (&plan);
  /* Clamped before it becomes an integer, whatever a server's hints made of it. */
  if (!(interval >= 0.0))
    interval = KINEMA_SCHEDULER_DEFAULT_BASE_INTERVAL;
  interval = MIN (interval, KINEMA_SCHEDULER_MAX_DELAY_S);
  entry->due_us = g_get_monotonic_time () + (gint64) (interval * G_USEC_PER_SEC);
  g_debug ("Next poll of %s in %.2f s", kinema_task_get_id (entry->task), interval);
}

static gboolean
entry_can_run (KinemaScheduler *self,
               Entry           *entry)
{
  return !entry->in_flight && !entry->pstate->paused && (self->online || entry->pstate->loopback);
}

/* ------------------------------------------------------------------------- */
/* Polling */

typedef struct
{
  KinemaScheduler *self;
  KinemaTask      *task;
  guint64          serial;
} PollData;

static void
poll_data_free (PollData *data)
{
  g_object_unref (data->self);
  g_object_unref (data->task);
  g_free (data);
}

static gboolean
error_is_auth (const GError *error)
{
  return g_error_matches (error, KINEMA_ERROR, KINEMA_ERROR_AUTH) ||
         g_error_matches (error, KINEMA_ERROR, KINEMA_ERROR_NO_KEY);
}

/* Errors that say the provider will keep refusing this poll. */
static gboolean
error_is_persistent (const GError *error)
{
  if (error->domain != KINEMA_ERROR)
    return FALSE;
  switch (error->code)
    {
    case KINEMA_ERROR_NOT_FOUND:
    case KINEMA_ERROR_INVALID_REQUEST:
    case KINEMA_ERROR_PERMISSION:
    case KINEMA_ERROR_UNSUPPORTED_ROUTE:
    case KINEMA_ERROR_INVALID_INPUT:
    case KINEMA_ERROR_BAD_REPLY:
      return TRUE;
    default:
      return FALSE;
    }
}

static void
learn_refresh (Entry                    *entry,
               const KinemaRemoteStatus *status)
{
  if (status->updated_at_ms <= 0)
    return;

  /* Only a change of the update time without a change of state shows a refresh clock
   * (Kling itself only moves updated_at when the state changes). */
  if (entry->last_updated_ms > 0 && status->updated_at_ms > entry->last_updated_ms &&
      status->state == entry->last_state)
    {
      gint64 diff = status->updated_at_ms - entry->last_updated_ms;

      if (diff >= MIN_REFRESH_MS &&
          (entry->pstate->refresh_ms == 0 || diff < entry->pstate->refresh_ms))
        {
          entry->pstate->refresh_ms = diff;
          g_debug ("Refresh clock of %s: %" G_GINT64_FORMAT " ms",
                   kinema_provider_get_id (entry->pstate->provider), diff);
        }
    }
  entry->last_updated_ms = status->updated_at_ms;
  entry->last_state = status->state;
}

static void
poll_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  PollData        *data = user_data;
  /* The poll may hold the last reference (kinema-cli drops its scheduler while polls
   * are on the wire): keep it until rearm() below is done. */
  g_autoptr(KinemaScheduler) self = g_object_ref (data->self);
  g_autoptr(KinemaRemoteStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  Entry *entry;

  status = kinema_client_poll_finish (KINEMA_CLIENT (object), result, &error);

  entry = g_hash_table_lookup (self->entries, data->task);
  if (entry == NULL || entry->serial != data->serial)
    {
      /* Removed (or removed and added again) while on the wire. */
      poll_data_free (data);
      return;
    }

  entry->in_flight = FALSE;
  g_clear_object (&entry->cancellable);
  if (entry->pstate->in_flight > 0)
    entry->pstate->in_flight--;
  /* The base URL may have changed (the demo's port, an edited provider). */
  entry->pstate->loopback = host_is_loopback (kinema_provider_get_base_url (entry->pstate->provider));

  if (status != NULL)
    {
      entry->n_errors = 0;
      entry->retry_after_s = -1;
      learn_refresh (entry, status);
      update_estimate (self, entry);
      schedule_next (self, entry);
      g_signal_emit (self, signals[SIGNAL_POLLED], 0, entry->task, status);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      schedule_next (self, entry);
    }
  else if (error_is_auth (error))
    {
      ProviderState *pstate = entry->pstate;

      entry->due_us = g_get_monotonic_time ();
      if (!pstate->paused)
        {
          pstate->paused = TRUE;
          g_debug ("Pausing %s: %s", kinema_provider_get_id (pstate->provider), error->message);
          g_signal_emit (self, signals[SIGNAL_PROVIDER_PAUSED], 0, pstate->provider, error);
        }
    }
  else
    {
      const KinemaErrorDetails *details = kinema_error_get_details (error);
      gboolean                  fatal;

      entry->n_errors++;
      entry->retry_after_s = details != NULL && details->retry_after_ms > 0 ? details->retry_after_ms / 1000.0 : -1;
      fatal = error_is_persistent (error) && entry->n_errors >= MAX_FATAL_ERRORS;
      g_debug ("Poll of %s failed (%u): %s", kinema_task_get_id (entry->task), entry->n_errors, error->message);
      if (fatal)
        {
          g_autoptr(KinemaTask) task = g_object_ref (entry->task);

          g_hash_table_remove (self->entries, task);
          g_signal_emit (self, signals[SIGNAL_POLL_ERROR], 0, task, error, TRUE);
        }
      else
        {
          schedule_next (self, entry);
          g_signal_emit (self, signals[SIGNAL_POLL_ERROR], 0, entry->task, error, FALSE);
        }
    }

  poll_data_free (data);
  rearm (self);
}

static void
start_poll (KinemaScheduler *self,
            Entry           *entry)
{
  PollData *data;

  entry->in_flight = TRUE;
  entry->serial = ++self->next_serial;
  entry->pstate->in_flight++;
  g_clear_object (&entry->cancellable);
  entry->cancellable = g_cancellable_new ();

  data = g_new0 (PollData, 1);
  data->self = g_object_ref (self);
  data->task = g_object_ref (entry->task);
  data->serial = entry->serial;

  kinema_client_poll_async (self->client, entry->pstate->provider, kinema_task_get_kind (entry->task),
                            kinema_task_get_remote_id (entry->task), entry->cancellable, poll_cb, data);
}

static int
compare_due (gconstpointer a,
             gconstpointer b)
{
  const Entry *x = *(Entry *const *) a;
  const Entry *y = *(Entry *const *) b;

  return x->due_us < y->due_us ? -1 : x->due_us > y->due_us ? 1
                                                            : 0;
}

static gboolean
timer_cb (gpointer user_data)
{
  KinemaScheduler *self = user_data;
  g_autoptr(GPtrArray) due = g_ptr_array_new ();
  gint64         now = g_get_monotonic_time ();
  GHashTableIter iter;
  Entry         *entry;

  self->timer_id = 0;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    if (entry_can_run (self, entry) && entry->due_us <= now)
      g_ptr_array_add (due, entry);

  /* Longest waiting first, so a full provider does not starve anybody. */
  g_ptr_array_sort (due, compare_due);
  for (guint i = 0; i < due->len; i++)
    {
      entry = g_ptr_array_index (due, i);
      if (entry->pstate->in_flight >= self->max_in_flight)
        continue;
      start_poll (self, entry);
    }

  rearm (self);
  return G_SOURCE_REMOVE;
}

static void
rearm (KinemaScheduler *self)
{
  GHashTableIter iter;
  Entry         *entry;
  gint64         earliest = G_MAXINT64;
  gint64         now;
  gint64         delay_ms;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    {
      if (!entry_can_run (self, entry))
        continue;
      if (entry->pstate->in_flight >= self->max_in_flight)
        continue; /* rearmed when one of its polls finishes */
      earliest = MIN (earliest, entry->due_us);
    }

  if (earliest == G_MAXINT64)
    {
      g_clear_handle_id (&self->timer_id, g_source_remove);
      return;
    }
  if (self->timer_id != 0 && self->timer_due_us <= earliest)
    return;

  g_clear_handle_id (&self->timer_id, g_source_remove);
  now = g_get_monotonic_time ();
  delay_ms = MAX (0, (earliest - now + 999) / 1000);
  self->timer_due_us = earliest;
  self->timer_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) MIN (delay_ms, G_MAXUINT), timer_cb, self, NULL);
}

/* ------------------------------------------------------------------------- */
/* Network */

static void
set_online (KinemaScheduler *self,
            gboolean         online)
{
  GHashTableIter iter;
  Entry         *entry;

  online = !!online;
  if (self->online == online)
    return;
  self->online = online;
  g_debug ("Network %s", online ? "available: polling" : "gone: polling paused");

  if (online)
    {
      /* Polls that failed while the network went away are retried right now. */
      g_hash_table_iter_init (&iter, self->entries);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
        if (entry->n_errors > 0)
          {
            entry->n_errors = 0;
            entry->due_us = g_get_monotonic_time ();
          }
    }
  rearm (self);
}

static void
network_changed_cb (GNetworkMonitor *monitor,
                    gboolean         available,
                    KinemaScheduler *self)
{
  set_online (self, available);
}

void
kinema_scheduler_set_network_monitor (KinemaScheduler *self,
                                      GNetworkMonitor *monitor)
{
  g_return_if_fail (KINEMA_IS_SCHEDULER (self));
  g_return_if_fail (monitor == NULL || G_IS_NETWORK_MONITOR (monitor));

  if (self->monitor != NULL)
    {
      g_clear_signal_handler (&self->monitor_handler, self->monitor);
      g_clear_object (&self->monitor);
    }
  if (monitor != NULL)
    {
      self->monitor = g_object_ref (monitor);
      self->monitor_handler = g_signal_connect (monitor, "network-changed", G_CALLBACK (network_changed_cb), self);
      set_online (self, g_network_monitor_get_network_available (monitor));
    }
  else
    set_online (self, TRUE);
}

void
kinema_scheduler_set_online (KinemaScheduler *self,
                             gboolean         online)
{
  g_return_if_fail (KINEMA_IS_SCHEDULER (self));
  set_online (self, online);
}

gboolean
kinema_scheduler_get_online (KinemaScheduler *self)
{
  g_return_val_if_fail (KINEMA_IS_SCHEDULER (self), FALSE);
  return self->online;
}

/* ------------------------------------------------------------------------- */

static void
kinema_scheduler_dispose (GObject *object)
{
  KinemaScheduler *self = (KinemaScheduler *) object;

  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->monitor != NULL)
    {
      g_clear_signal_handler (&self->monitor_handler, self->monitor);
      g_clear_object (&self->monitor);
    }
  if (self->entries != NULL)
    g_hash_table_remove_all (self->entries);

  G_OBJECT_CLASS (kinema_scheduler_parent_class)->dispose (object);
}

static void
kinema_scheduler_finalize (GObject *object)
{
  KinemaScheduler *self = (KinemaScheduler *) object;

  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_pointer (&self->providers, g_hash_table_unref);
  g_clear_pointer (&self->learned, g_hash_table_unref);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (kinema_scheduler_parent_class)->finalize (object);
}

static void
kinema_scheduler_class_init (KinemaSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kinema_scheduler_dispose;
  object_class->finalize = kinema_scheduler_finalize;

  signals[SIGNAL_POLLED] =
      g_signal_new ("polled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 2, KINEMA_TYPE_TASK, KINEMA_TYPE_REMOTE_STATUS);
  signals[SIGNAL_POLL_ERROR] =
      g_signal_new ("poll-error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 3, KINEMA_TYPE_TASK, G_TYPE_ERROR, G_TYPE_BOOLEAN);
  signals[SIGNAL_PROVIDER_PAUSED] =
      g_signal_new ("provider-paused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 2, KINEMA_TYPE_PROVIDER, G_TYPE_ERROR);
}

static void
kinema_scheduler_init (KinemaScheduler *self)
{
  self->entries = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) entry_free);
  self->providers = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) provider_state_free);
  self->learned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) samples_free);
  self->base_interval_s = KINEMA_SCHEDULER_DEFAULT_BASE_INTERVAL;
  self->max_in_flight = KINEMA_SCHEDULER_MAX_IN_FLIGHT;
  self->online = TRUE;
  self->adaptive = TRUE;
}

KinemaScheduler *
kinema_scheduler_new (KinemaClient *client)
{
  KinemaScheduler *self;

  g_return_val_if_fail (KINEMA_IS_CLIENT (client), NULL);

  self = g_object_new (KINEMA_TYPE_SCHEDULER, NULL);
  self->client = g_object_ref (client);
  kinema_scheduler_set_network_monitor (self, g_network_monitor_get_default ());
  return self;
}

void
kinema_scheduler_set_base_interval (KinemaScheduler *self,
                                    double           seconds)
{
  g_return_if_fail (KINEMA_IS_SCHEDULER (self));
  self->base_interval_s = seconds > 0 ? seconds : KINEMA_SCHEDULER_DEFAULT_BASE_INTERVAL;
}

double
kinema_scheduler_get_base_interval (KinemaScheduler *self)
{
  g_return_val_if_fail (KINEMA_IS_SCHEDULER (self), KINEMA_SCHEDULER_DEFAULT_BASE_INTERVAL);
  return self->base_interval_s;
}

void
kinema_scheduler_set_max_in_flight (KinemaScheduler *self,
                                    guint            max_in_flight)
{
  g_return_if_fail (KINEMA_IS_SCHEDULER (self));
  self->max_in_flight = MAX (1, max_in_flight);
  rearm (self);
}

void
kinema_scheduler_add (KinemaScheduler *self,
                      KinemaTask      *task,
                      KinemaProvider  *provider)
{
  Entry *entry;

  g_return_if_fail (KINEMA_IS_SCHEDULER (self));
  g_return_if_fail (KINEMA_IS_TASK (task));
  g_return_if_fail (KINEMA_IS_PROVIDER (provider));
  g_return_if_fail (kinema_task_get_remote_id (task) != NULL);

  if (g_hash_table_contains (self->entries, task))
    return;

  entry = g_new0 (Entry, 1);
  entry->task = g_object_ref (task);
  entry->pstate = ensure_provider (self, provider);
  entry->pstate->loopback = host_is_loopback (kinema_provider_get_base_url (provider));
  entry->retry_after_s = -1;
  g_hash_table_insert (self->entries, task, entry);

  /* The first look comes one base interval after the submit. */
  entry->due_us = g_get_monotonic_time () + (gint64) (self->base_interval_s * G_USEC_PER_SEC);
  update_estimate (self, entry);
  rearm (self);
}

void
kinema_scheduler_remove (KinemaScheduler *self,
                         KinemaTask      *task)
{
  Entry *entry;

  g_return_if_fail (KINEMA_IS_SCHEDULER (self));

  entry = g_hash_table_lookup (self->entries, task);
  if (entry == NULL)
    return;
  if (entry->in_flight && entry->pstate->in_flight > 0)
    entry->pstate->in_flight--;
  g_hash_table_remove (self->entries, task);
  rearm (self);
}

gboolean
kinema_scheduler_contains (KinemaScheduler *self,
                           KinemaTask      *task)
{
  g_return_val_if_fail (KINEMA_IS_SCHEDULER (self), FALSE);
  return g_hash_table_contains (self->entries, task);
}

guint
kinema_scheduler_get_n_tasks (KinemaScheduler *self)
{
  g_return_val_if_fail (KINEMA_IS_SCHEDULER (self), 0);
  return g_hash_table_size (self->entries);
}

void
kinema_scheduler_resume_provider (KinemaScheduler *self,
                                  KinemaProvider  *provider)
{
  ProviderState *pstate;

  g_return_if_fail (KINEMA_IS_SCHEDULER (self));

  pstate = g_hash_table_lookup (self->providers, provider);
  if (pstate == NULL || !pstate->paused)
    return;
  pstate->paused = FALSE;
  pstate->loopback = host_is_loopback (kinema_provider_get_base_url (provider));
  rearm (self);
}

gboolean
kinema_scheduler_is_provider_paused (KinemaScheduler *self,
                                     KinemaProvider  *provider)
{
  ProviderState *pstate;

  g_return_val_if_fail (KINEMA_IS_SCHEDULER (self), FALSE);

  pstate = g_hash_table_lookup (self->providers, provider);
  return pstate != NULL && pstate->paused;
}

double
kinema_scheduler_get_refresh (KinemaScheduler *self,
                              KinemaProvider  *provider)
{
  ProviderState *pstate;

  g_return_val_if_fail (KINEMA_IS_SCHEDULER (self), 0);

  pstate = g_hash_table_lookup (self->providers, provider);
  return pstate != NULL ? pstate->refresh_ms / 1000.0 : 0;
}
