/* kinema-bench-fill.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fills a history with finished tasks, through the same KinemaHistory the app
 * uses, for the benchmarks with 10,000 tasks:
 *
 *   kinema-bench-fill DATA_DIR N_TASKS
 *
 * The tasks look like a year of real use: varied prompts, models and settings, most
 * of them succeeded (with a video path), some failed or stopped.
 */

#include "config.h"

#include <gio/gio.h>
#include <stdlib.h>

#include "kinema-error.h"
#include "kinema-history.h"
#include "kinema-task-private.h"

static const char *const subjects[] = {
  "A red fox",
  "An old lighthouse",
  "A paper boat",
  "A street musician",
  "A hummingbird",
  "A city at night",
  "A sleeping cat",
  "A hot-air balloon",
  "A glass of water",
  "A mountain lake",
};
static const char *const actions[] = {
  "turns its head slowly",
  "in the rain, camera pushing in",
  "drifts down a stream",
  "plays under warm lights",
  "hovers over a flower",
  "seen from a drone at dusk",
  "wakes up and stretches",
  "rises over the valley",
  "with ripples spreading",
  "under a starry sky",
};
static const char *const models[] = { "kling-v2-5-turbo", "kling-v2-1", "kling-v1-6" };

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KinemaHistory) history = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (10000);
  gint64 now = g_get_real_time ();
  guint  n;

  if (argc != 3)
    {
      g_printerr ("Usage: %s DATA_DIR N_TASKS\n", argv[0]);
      return 2;
    }
  n = (guint) strtoul (argv[2], NULL, 10);
  g_mkdir_with_parents (argv[1], 0700);
  history = kinema_history_new (argv[1]);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KinemaRequest) request = kinema_request_new (KINEMA_TASK_KIND_TEXT_TO_VIDEO);
      g_autoptr(KinemaTask) task = NULL;
      g_autofree char *prompt = g_strdup_printf ("%s %s (take %u)", subjects[g_rand_int_range (rand, 0, 10)],
                                                 actions[g_rand_int_range (rand, 0, 10)], i);
      g_autofree char *remote = g_strdup_printf ("8%017u", i);
      g_autofree char *path = g_strdup_printf ("/nonexistent/Videos/Kinema/clip-%05u.mp4", i);
      gint64           created = now - (gint64) (n - i) * 50 * G_USEC_PER_SEC * 60;
      double           roll = g_rand_double (rand);

      kinema_request_set_model (request, models[g_rand_int_range (rand, 0, 3)]);
      kinema_request_set_prompt (request, prompt);
      kinema_request_set_duration (request, g_rand_boolean (rand) ? 5 : 10);
      task = kinema_task_new (NULL, "demo", "Demo (offline)", request, TRUE);
      kinema_task_set_created_at (task, created);
      kinema_task_set_submitted_at (task, created + G_USEC_PER_SEC);
      kinema_task_set_remote_id (task, remote);
      kinema_task_set_started_at (task, created + 20 * G_USEC_PER_SEC);
      kinema_task_set_finished_at (task, created + g_rand_int_range (rand, 60, 600) * G_USEC_PER_SEC);
      if (roll < 0.85)
        {
          kinema_task_set_video_url (task, "https://example.invalid/clip.mp4");
          kinema_task_set_video_path (task, path);
          kinema_task_set_progress (task, 1.0);
          kinema_task_set_status (task, KINEMA_TASK_STATUS_SUCCEEDED);
        }
      else if (roll < 0.95)
        {
          g_autoptr(GError) failure = g_error_new_literal (KINEMA_ERROR, KINEMA_ERROR_CONTENT_POLICY,
                                                            "The prompt or image was refused.");

          kinema_task_fail (task, failure);
        }
      else
        kinema_task_set_status (task, KINEMA_TASK_STATUS_STOPPED);
      kinema_history_save (history, task);
    }

  if (!kinema_history_flush_sync (history, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_print ("filled: %u\n", n);
  return 0;
}
