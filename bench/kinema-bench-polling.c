/* kinema-bench-polling.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Polling cost: requests per finished job and the delay before a finished job is
 * noticed, for the scheduler's policy (kinema_scheduler_next_interval(), the very
 * function the app uses) against a fixed 5-second poller, on simulated time.
 *
 * Job durations follow a realistic spread: log-normal (sigma 0.3, so half of the jobs
 * of a kind land within ±20 % of its median) around 3 minutes for 5 s clips and
 * 6 minutes for 10 s clips, clipped to 1-10 minutes, as users of Kling report.
 * The scheduler learns from the jobs before each one (the median of the last ones
 * of the same kind, as KinemaScheduler does); the first job of a kind runs with
 * nothing learned. Two sources of status are simulated: the official API, where a
 * poll sees the job's state at once, and a new-api gateway, which refreshes a job
 * from Kling only every 15 s (PROTOCOL.md 2.6), at a random phase.
 */

#include "config.h"

#include <glib.h>
#include <math.h>

#include "kinema-scheduler.h"

#define FIXED_INTERVAL 5.0
#define SPREAD 0.3

typedef struct
{
  double requests;
  double delay;
  guint  jobs;
} Tally;

static double
normal (GRand *rand)
{
  /* Box-Muller. */
  double u1 = g_rand_double_range (rand, 1e-12, 1.0);
  double u2 = g_rand_double (rand);

  return sqrt (-2.0 * log (u1)) * cos (2 * G_PI * u2);
}

static double
draw_duration (GRand *rand,
               double median_s)
{
  double d = median_s * exp (SPREAD * normal (rand));

  return CLAMP (d, 60.0, 600.0);
}

/* When does a poll at time @t first see the job finished? With a gateway the status
 * only changes at its refresh ticks (phase + k * refresh). */
static gboolean
poll_sees_done (double t,
                double duration,
                double refresh_s,
                double phase)
{
  double seen;

  if (refresh_s <= 0)
    return t >= duration;
  /* The first refresh at or after the job finished. */
  seen = phase + ceil ((duration - phase) / refresh_s) * refresh_s;
  return t >= seen;
}

static void
run_fixed (Tally *tally,
           double duration,
           double refresh_s,
           double phase,
           double start_offset)
{
  double t = start_offset;
  guint  n = 0;

  for (;;)
    {
      t += FIXED_INTERVAL;
      n++;
      if (poll_sees_done (t, duration, refresh_s, phase))
        break;
    }
  tally->requests += n;
  tally->delay += t - duration;
  tally->jobs++;
}

static void
run_adaptive (Tally *tally,
              GRand *rand,
              double duration,
              double expected,
              double spread,
              double refresh_s,
              double phase)
{
  double t = 0;
  guint  n = 0;

  for (;;)
    {
      KinemaPollPlan plan = { 0 };

      plan.elapsed_s = t;
      plan.expected_s = expected;
      plan.spread = spread;
      plan.base_interval_s = KINEMA_SCHEDULER_DEFAULT_BASE_INTERVAL;
      plan.refresh_s = refresh_s;
      /* The replies' update times tell when the gateway last refreshed the job. */
      plan.since_refresh_s = refresh_s > 0 ? fmod (t - phase + 100 * refresh_s, refresh_s) : -1;
      plan.retry_after_s = -1;
      plan.jitter = g_rand_double (rand);
      t += kinema_scheduler_next_interval (&plan);
      n++;
      if (poll_sees_done (t, duration, refresh_s, phase))
        break;
    }
  tally->requests += n;
  tally->delay += t - duration;
  tally->jobs++;
}

static double
median_of_last (GArray *history,
                guint   last)
{
  g_autoptr(GArray) tail = g_array_new (FALSE, FALSE, sizeof (double));
  guint from = history->len > last ? history->len - last : 0;
  guint n;

  for (guint i = from; i < history->len; i++)
    g_array_append_val (tail, g_array_index (history, double, i));
  n = tail->len;
  if (n == 0)
    return -1;
  for (guint i = 1; i < n; i++) /* insertion sort: n is small */
    for (guint j = i; j > 0 && g_array_index (tail, double, j - 1) > g_array_index (tail, double, j); j--)
      {
        double tmp = g_array_index (tail, double, j);
        g_array_index (tail, double, j) = g_array_index (tail, double, j - 1);
        g_array_index (tail, double, j - 1) = tmp;
      }
  return n % 2 ? g_array_index (tail, double, n / 2)
               : (g_array_index (tail, double, n / 2 - 1) + g_array_index (tail, double, n / 2)) / 2;
}

/* As kinema_scheduler_get_spread(): the spread of the logarithms, 0 under 5 samples. */
static double
spread_of_last (GArray *history,
                guint   last)
{
  guint  from = history->len > last ? history->len - last : 0;
  guint  n = history->len - from;
  double mean = 0, var = 0;

  if (n < 5)
    return 0;
  for (guint i = from; i < history->len; i++)
    mean += log (g_array_index (history, double, i)) / n;
  for (guint i = from; i < history->len; i++)
    {
      double d = log (g_array_index (history, double, i)) - mean;

      var += d * d / (n - 1);
    }
  return sqrt (var);
}

/* The best any poller can do on the official API: the fewest requests per job for the
 * fixed poller's mean delay D = 2.5 s, (∫ sqrt(S f) dt)² / 2D against E[T] / 5, on
 * the same duration distribution (see hazard_interval() in kinema-scheduler.c). */
static double
optimal_request_ratio (void)
{
  const double medians[] = { 180, 360 }, shares[] = { 0.7, 0.3 };
  double       best = 0, fixed = 0;

  for (guint k = 0; k < 2; k++)
    {
      double       mu = log (medians[k]), integral = 0, mean = 0, survival = 1;
      const double dt = 0.25;

      for (double t = dt; t < 700; t += dt)
        {
          double z = (log (t) - mu) / SPREAD;
          double f = exp (-0.5 * z * z) / (sqrt (2 * G_PI) * t * SPREAD);

          integral += sqrt (MAX (survival, 0) * f) * dt;
          mean += MAX (survival, 0) * dt;
          survival -= f * dt;
        }
      best += shares[k] * integral * integral / (2 * FIXED_INTERVAL / 2);
      fixed += shares[k] * mean / FIXED_INTERVAL;
    }
  return best / fixed;
}

static void
simulate (guint   n_jobs,
          double  refresh_s,
          guint32 seed,
          Tally  *fixed,
          Tally  *adaptive,
          Tally  *adaptive_cold)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  /* Two kinds of job (5 s and 10 s clips), each learned separately. */
  g_autoptr(GArray) learned5 = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) learned10 = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < n_jobs; i++)
    {
      gboolean ten = g_rand_double (rand) < 0.3;
      GArray  *learned = ten ? learned10 : learned5;
      double   duration = draw_duration (rand, ten ? 360 : 180);
      double   phase = refresh_s > 0 ? g_rand_double_range (rand, 0, refresh_s) : 0;
      double   expected = median_of_last (learned, 20);
      double   spread = spread_of_last (learned, 20);

      run_fixed (fixed, duration, refresh_s, phase, 0);
      run_adaptive (expected > 0 ? adaptive : adaptive_cold, rand, duration, expected, spread, refresh_s,
                    phase);
      g_array_append_val (learned, duration);
    }
}

static void
print_scenario (const char *prefix,
                Tally      *fixed,
                Tally      *adaptive,
                Tally      *cold)
{
  g_print ("%sfixed-requests-per-job: %.2f\n", prefix, fixed->requests / fixed->jobs);
  g_print ("%sadaptive-requests-per-job: %.2f\n", prefix, adaptive->requests / adaptive->jobs);
  g_print ("%sfixed-mean-delay-s: %.2f\n", prefix, fixed->delay / fixed->jobs);
  g_print ("%sadaptive-mean-delay-s: %.2f\n", prefix, adaptive->delay / adaptive->jobs);
  if (cold->jobs > 0)
    {
      g_print ("%scold-requests-per-job: %.2f\n", prefix, cold->requests / cold->jobs);
      g_print ("%scold-mean-delay-s: %.2f\n", prefix, cold->delay / cold->jobs);
    }
  g_print ("%srequest-ratio: %.3f\n", prefix, (adaptive->requests / adaptive->jobs) / (fixed->requests / fixed->jobs));
}

int
main (int   argc,
      char *argv[])
{
  guint n_jobs = 5000;
  Tally fixed = { 0 }, adaptive = { 0 }, cold = { 0 };
  Tally gw_fixed = { 0 }, gw_adaptive = { 0 }, gw_cold = { 0 };

  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--quick"))
      n_jobs = 300;

  simulate (n_jobs, 0, 20261201, &fixed, &adaptive, &cold);
  simulate (n_jobs, 15, 20261202, &gw_fixed, &gw_adaptive, &gw_cold);

  g_print ("jobs: %u\n", n_jobs);
  print_scenario ("", &fixed, &adaptive, &cold);
  print_scenario ("gateway-", &gw_fixed, &gw_adaptive, &gw_cold);
  g_print ("optimal-request-ratio: %.3f\n", optimal_request_ratio ());
  return 0;
}
