/* kinema-sim-main.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kinema-sim: the gateway simulator as a process, for tests that run kinema-cli
 * against a server they can kill and restart, and for trying things by hand.
 * Prints exactly one line, the base URL, on stdout once it is listening.
 */

#define G_LOG_DOMAIN "kinema-sim"

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <glib-unix.h>
#include <glib/gi18n-lib.h>

#include "kinema-sim-server.h"

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

/* The cases of issue 15 as a careless or malicious gateway plays them, for trying
 * kinema-cli and the app against by hand and for the hostile tests. Each applies to
 * every matching request, for as long as the simulator runs. */
static const struct {
  const char *name;
  const char *description;
  KinemaSimFault fault;
} hostile_cases[] = {
  { "deep-json", N_("Polls answer with JSON nested 300 KB deep"),
    { "GET", "*/v1/*", KINEMA_SIM_FAULT_DEEP_JSON, 0, 0, 0, -1, FALSE, NULL } },
  { "oversized", N_("Polls answer with 8 MB of JSON"),
    { "GET", "*/v1/*", KINEMA_SIM_FAULT_OVERSIZED, 0, 0, 0, -1, FALSE, NULL } },
  { "bad-range", N_("Downloads answer 206 starting at the wrong byte"),
    { "GET", "/cdn/*", KINEMA_SIM_FAULT_BAD_RANGE, 0, 0, 0, -1, FALSE, NULL } },
  { "cut-download", N_("Downloads are cut off half way"),
    { "GET", "/cdn/*", KINEMA_SIM_FAULT_TRUNCATED_DOWNLOAD, 0, 0, 0, -1, FALSE, NULL } },
  { "html-download", N_("Downloads are a web page"),
    { "GET", "/cdn/*", KINEMA_SIM_FAULT_HTML, 0, 0, 0, -1, FALSE, NULL } },
  { "redirect-loop", N_("Downloads redirect to themselves for ever"),
    { "GET", "/cdn/*", KINEMA_SIM_FAULT_REDIRECT, 0, 0, 0, -1, FALSE, "/cdn/loop.mp4" } },
  { "redirect-private", N_("Downloads redirect to an address on the local network"),
    { "GET", "/cdn/*", KINEMA_SIM_FAULT_REDIRECT, 0, 0, 0, -1, FALSE, "http://192.168.1.1/clip.mp4" } },
  { "huge-retry-after", N_("Downloads answer 429 with “Retry-After: 4294968”"),
    { "GET", "/cdn/*", KINEMA_SIM_FAULT_STATUS, 429, 4294968, 0, -1, FALSE, NULL } },
  { "escape", N_("Submits fail with terminal escape sequences and markup in the message"),
    { "POST", NULL, KINEMA_SIM_FAULT_STATUS, 400, 0, 0, -1, FALSE,
      "{\"code\":1201,\"message\":\"\\u001b[2J\\u001b]0;pwned\\u0007<b>Tom & Jerry</b>\","
      "\"request_id\":\"hostile\"}" } },
};

static gboolean
add_hostile_cases (KinemaSimServer  *server,
                   char            **names,
                   GError          **error)
{
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      gboolean found = FALSE;

      if (g_strcmp0 (names[i], "help") == 0)
        {
          for (guint j = 0; j < G_N_ELEMENTS (hostile_cases); j++)
            g_print ("%-18s %s\n", hostile_cases[j].name, _(hostile_cases[j].description));
          exit (0);
        }

      for (guint j = 0; j < G_N_ELEMENTS (hostile_cases); j++)
        if (g_strcmp0 (names[i], hostile_cases[j].name) == 0)
          {
            kinema_sim_server_add_fault (server, &hostile_cases[j].fault);
            found = TRUE;
          }
      if (!found)
        {
          g_autoptr(GString) known = g_string_new (NULL);

          for (guint j = 0; j < G_N_ELEMENTS (hostile_cases); j++)
            g_string_append_printf (known, "\n  %-18s %s", hostile_cases[j].name, _(hostile_cases[j].description));
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("Unknown hostile case “%s”. Known cases:%s"),
                       names[i], known->str);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
parse_route_dialects (KinemaSimServer  *server,
                      char            **specs,
                      GError          **error)
{
  for (guint i = 0; specs != NULL && specs[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (specs[i], "=", 2);
      KinemaSimRoute route;
      KinemaSimDialect dialect;

      if (g_strv_length (parts) != 2 ||
          !kinema_sim_route_from_string (parts[0], &route) ||
          !kinema_sim_dialect_from_string (parts[1], &dialect))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("Invalid route dialect “%s”: expected ROUTE=DIALECT"), specs[i]);
          return FALSE;
        }
      kinema_sim_server_set_dialect (server, route, dialect);
    }
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KinemaSimServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_auto(GStrv) route_dialects = NULL;
  g_auto(GStrv) bearer_keys = NULL;
  g_auto(GStrv) hostile = NULL;
  g_autofree char *dialect_name = NULL;
  g_autofree char *access_key = NULL;
  g_autofree char *secret_key = NULL;
  g_autofree char *clip_file = NULL;
  g_autofree char *state_dir = NULL;
  g_autofree char *fail_marker = NULL;
  int port = 0;
  int queued_ms = 3000;
  int running_ms = 12000;
  int refresh_ms = 0;
  int render_height = 360;
  int render_duration = 0;
  gint64 video_ttl_ms = 0;
  gboolean demo_mark = FALSE;
  gboolean verbose = FALSE;
  guint sigint_id;
  guint sigterm_id;
  const GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, N_("Port on 127.0.0.1 (0: any free port)"), N_("PORT") },
    { "dialect", 'd', 0, G_OPTION_ARG_STRING, &dialect_name,
      N_("Reply shape of every route: kling, new-api, new-api-legacy, new-api-echo, openai, documented, "
         "xmsmartlink, none"), N_("DIALECT") },
    { "route-dialect", 'r', 0, G_OPTION_ARG_STRING_ARRAY, &route_dialects,
      N_("Reply shape of one route family (kling, kling-gateway, generations, openai)"),
      N_("ROUTE=DIALECT") },
    { "queued-ms", 0, 0, G_OPTION_ARG_INT, &queued_ms, N_("How long a job stays queued"), N_("MS") },
    { "running-ms", 0, 0, G_OPTION_ARG_INT, &running_ms, N_("How long a job then runs"), N_("MS") },
    { "refresh-ms", 0, 0, G_OPTION_ARG_INT, &refresh_ms,
      N_("new-api's own polling period (15000 like the real gateway; 0: live)"), N_("MS") },
    { "bearer-key", 'k', 0, G_OPTION_ARG_STRING_ARRAY, &bearer_keys,
      N_("Accepted gateway key (repeatable; none: any key)"), N_("KEY") },
    { "access-key", 0, 0, G_OPTION_ARG_STRING, &access_key, N_("Kling access key for the JWT routes"), N_("AK") },
    { "secret-key", 0, 0, G_OPTION_ARG_STRING, &secret_key, N_("Kling secret key for the JWT routes"), N_("SK") },
    { "clip", 'c', 0, G_OPTION_ARG_FILENAME, &clip_file, N_("Serve this video for every job"), N_("FILE") },
    { "render-height", 0, 0, G_OPTION_ARG_INT, &render_height, N_("Height of rendered clips"), N_("PX") },
    { "render-duration", 0, 0, G_OPTION_ARG_INT, &render_duration,
      N_("Length of rendered clips (0: the job’s)"), N_("S") },
    { "demo-mark", 0, 0, G_OPTION_ARG_NONE, &demo_mark, N_("Mark rendered clips as demo"), NULL },
    { "state-dir", 's', 0, G_OPTION_ARG_FILENAME, &state_dir,
      N_("Keep jobs here across restarts"), N_("DIR") },
    { "video-ttl-ms", 0, 0, G_OPTION_ARG_INT64, &video_ttl_ms,
      N_("How long result links work (0: 30 days)"), N_("MS") },
    { "fail-marker", 0, 0, G_OPTION_ARG_STRING, &fail_marker,
      N_("Jobs whose prompt contains this text fail (default “#fail”)"), N_("TEXT") },
    { "hostile", 0, 0, G_OPTION_ARG_STRING_ARRAY, &hostile,
      N_("Play a hostile server case (repeatable; “help” lists them)"), N_("CASE") },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, N_("Log requests to stderr"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  /* stdout carries exactly one line, the URL; everything else goes to stderr. */
  g_log_writer_default_set_use_stderr (TRUE);

  context = g_option_context_new (_("— Kling gateway simulator on 127.0.0.1"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (port < 0 || port > 65535 || queued_ms < 0 || running_ms < 0 || refresh_ms < 0 ||
      render_height < 0 || render_duration < 0 || video_ttl_ms < 0 ||
      (access_key == NULL) != (secret_key == NULL))
    {
      g_printerr ("%s\n", _("Invalid option value (access and secret keys go together)"));
      return 2;
    }

  /* -v shows the simulator's own request log, not every library's debug output. */
  if (verbose && g_getenv ("G_MESSAGES_DEBUG") == NULL)
    g_setenv ("G_MESSAGES_DEBUG", "kinema-sim kinema-sim-server kinema-sim-job kinema-sim-clip", TRUE);

  server = kinema_sim_server_new (state_dir);
  if (dialect_name != NULL)
    {
      KinemaSimDialect dialect;

      if (!kinema_sim_dialect_from_string (dialect_name, &dialect))
        {
          g_printerr (_("Unknown dialect “%s”\n"), dialect_name);
          return 2;
        }
      kinema_sim_server_set_all_dialects (server, dialect);
    }
  if (!parse_route_dialects (server, route_dialects, &error) || !add_hostile_cases (server, hostile, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  kinema_sim_server_set_clock (server, (guint) queued_ms, (guint) running_ms);
  kinema_sim_server_set_refresh_ms (server, (guint) refresh_ms);
  for (guint i = 0; bearer_keys != NULL && bearer_keys[i] != NULL; i++)
    kinema_sim_server_add_bearer_key (server, bearer_keys[i]);
  if (access_key != NULL)
    kinema_sim_server_set_kling_keys (server, access_key, secret_key);
  if (clip_file != NULL)
    {
      if (!g_file_test (clip_file, G_FILE_TEST_IS_REGULAR))
        {
          g_printerr (_("No such clip file: %s\n"), clip_file);
          return 2;
        }
      kinema_sim_server_set_clip_file (server, clip_file);
    }
  kinema_sim_server_set_render_options (server, (guint) render_height, (guint) render_duration, demo_mark);
  if (video_ttl_ms > 0)
    kinema_sim_server_set_video_ttl_ms (server, video_ttl_ms);
  if (fail_marker != NULL)
    kinema_sim_server_set_fail_marker (server, fail_marker);

  if (!kinema_sim_server_start (server, (guint) port, &error))
    {
      g_printerr (_("Cannot listen on 127.0.0.1:%d: %s\n"), port, error->message);
      return 1;
    }

  g_print ("%s\n", kinema_sim_server_get_base_url (server));
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  kinema_sim_server_stop (server);
  return 0;
}
