/* kinema-bench.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The benchmark driver. Each measurement is a small program in bench/ that prints
 * `key: value` lines; the driver runs it and its baseline alternately, several times
 * (these machines are shared and noisy), takes medians, prints a table with the
 * ratio against the budget of DESIGN.md, and writes the figures as JSON.
 *
 *   kinema-bench [--quick] [--runs N] [--only NAME] [--json FILE]
 *
 * --quick runs each program once with small sizes, so CI keeps it building and
 * running; no figure is asserted anywhere.
 */

#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef enum
{
  BUDGET_NONE,      /* a figure only */
  BUDGET_RATIO_MAX, /* value / baseline <= budget */
  BUDGET_RATIO_MIN, /* value / baseline >= budget */
  BUDGET_ABS_MAX,   /* value <= budget */
  BUDGET_ABS_MIN,   /* value >= budget (the ratio against the baseline is printed too) */
} BudgetKind;

typedef struct
{
  const char *name;    /* row name */
  const char *what;    /* a line for the table */
  const char *program; /* in bench/ (or "@kinema" for the app) */
  const char *args;    /* space separated; "{QUICK}" becomes --quick when quick */
  const char *env;     /* space separated KEY=VALUE */
  const char *key;     /* figure to read */
  const char *unit;
  const char *base_program; /* NULL: no baseline */
  const char *base_args;
  const char *base_env;
  const char *base_key;
  BudgetKind  budget_kind;
  double      budget;
  gboolean    display; /* needs DISPLAY */
  gboolean    once;    /* the program measures medians itself: one run */
} Bench;

static const Bench benches[] = {
  { "startup-empty", "Start to first painted frame, empty history",
    "@kinema", "", "KINEMA_BENCH_STARTUP=1", "first-frame-ms", "ms",
    "kinema-bench-hello", "", "", "first-frame-ms", BUDGET_RATIO_MAX, 1.3, TRUE, FALSE },
  { "startup-10k", "Start to first painted frame, 10,000 tasks",
    "@kinema", "", "KINEMA_BENCH_STARTUP=1 KINEMA_BENCH_FILL=10000", "first-frame-ms", "ms",
    "kinema-bench-hello", "", "", "first-frame-ms", BUDGET_RATIO_MAX, 1.3, TRUE, FALSE },
  { "stall-poll", "Longest main-loop stall, 1,000 tasks polling",
    "kinema-bench-stalls", "poll {QUICK}", "", "max-stall-ms", "ms",
    "kinema-bench-stalls", "idle {QUICK}", "", "max-stall-ms", BUDGET_ABS_MAX, 8, FALSE, FALSE },
  { "stall-image", "Longest main-loop stall, 20 MB photo checked and encoded",
    "kinema-bench-stalls", "image {QUICK}", "", "max-stall-ms", "ms",
    "kinema-bench-stalls", "idle {QUICK}", "", "max-stall-ms", BUDGET_ABS_MAX, 8, FALSE, FALSE },
  { "stall-finish", "Longest main-loop stall, 100 tasks finish and download",
    "kinema-bench-stalls", "finish {QUICK}", "", "max-stall-ms", "ms",
    "kinema-bench-stalls", "idle {QUICK}", "", "max-stall-ms", BUDGET_ABS_MAX, 8, FALSE, FALSE },
  { "first-video-frame", "First 720p video frame on screen",
    "kinema-bench-video", "first-frame kinema {QUICK}", "", "first-video-frame-ms", "ms",
    "kinema-bench-video", "first-frame gtkvideo {QUICK}", "", "first-video-frame-ms",
    BUDGET_RATIO_MAX, 1.15, TRUE, FALSE },
  { "dropped-frames", "Frames dropped in 10 s of 720p30 playback",
    "kinema-bench-video", "steady kinema {QUICK}", "", "dropped-frames", "frames",
    NULL, NULL, NULL, NULL, BUDGET_ABS_MAX, 0, TRUE, TRUE },
  { "download", "Download from the simulator (throughput)",
    "kinema-bench-download", "kinema {QUICK}", "", "throughput-mb-s", "MB/s",
    "kinema-bench-download", "curl {QUICK}", "", "throughput-mb-s", BUDGET_RATIO_MIN, 0.9, FALSE, FALSE },
  { "download-memory", "Download: resident memory growth from 20 MB to the full file",
    "kinema-bench-download", "kinema-memory {QUICK}", "", "rss-growth-mb", "MB",
    NULL, NULL, NULL, NULL, BUDGET_ABS_MAX, 4, FALSE, TRUE },
  { "poll-gw-requests", "Polling a new-api gateway: requests per finished job",
    "kinema-bench-polling", "{QUICK}", "", "gateway-adaptive-requests-per-job", "requests",
    "kinema-bench-polling", "{QUICK}", "", "gateway-fixed-requests-per-job", BUDGET_RATIO_MAX, 1.0 / 3.0, FALSE, TRUE },
  { "poll-gw-delay", "Polling a new-api gateway: mean delay before a job is seen done",
    "kinema-bench-polling", "{QUICK}", "", "gateway-adaptive-mean-delay-s", "s",
    "kinema-bench-polling", "{QUICK}", "", "gateway-fixed-mean-delay-s", BUDGET_RATIO_MAX, 1.0, FALSE, TRUE },
  { "poll-api-requests", "Polling the official API: requests per finished job",
    "kinema-bench-polling", "{QUICK}", "", "adaptive-requests-per-job", "requests",
    "kinema-bench-polling", "{QUICK}", "", "fixed-requests-per-job", BUDGET_RATIO_MAX, 1.0 / 3.0, FALSE, TRUE },
  { "poll-api-delay", "Polling the official API: mean delay before a job is seen done",
    "kinema-bench-polling", "{QUICK}", "", "adaptive-mean-delay-s", "s",
    "kinema-bench-polling", "{QUICK}", "", "fixed-mean-delay-s", BUDGET_RATIO_MAX, 1.0, FALSE, TRUE },
  { "poll-api-bound", "Official API: best possible request ratio at equal delay",
    "kinema-bench-polling", "{QUICK}", "", "optimal-request-ratio", "ratio",
    NULL, NULL, NULL, NULL, BUDGET_NONE, 0, FALSE, TRUE },
  { "export-720p", "Export 60 s of 720p30 to MP4 (re-encoded), times real time",
    "kinema-bench-export", "kinema {QUICK}", "", "realtime-factor", "x",
    "kinema-bench-export", "decode {QUICK}", "", "realtime-factor", BUDGET_ABS_MIN, 2, FALSE, FALSE },
  { "memory-10k", "Resident memory, 10,000 tasks and 100 thumbnails shown",
    "kinema-bench-memory", "{QUICK}", "KINEMA_BENCH_FILL=10000", "rss-mb", "MB",
    "kinema-bench-memory", "--baseline {QUICK}", "", "rss-mb", BUDGET_NONE, 0, TRUE, FALSE },
};

static gboolean opt_quick;
static int      opt_runs = 7;
static char    *opt_only;
static char    *opt_json;

static char *build_root;

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (GArray *values)
{
  if (values->len == 0)
    return NAN;
  g_array_sort (values, compare_double);
  if (values->len % 2)
    return g_array_index (values, double, values->len / 2);
  return (g_array_index (values, double, values->len / 2 - 1) +
          g_array_index (values, double, values->len / 2)) /
         2;
}

static char *
program_path (const char *program)
{
  if (g_str_equal (program, "@kinema"))
    return g_build_filename (build_root, "src", "ui", "kinema", NULL);
  return g_build_filename (build_root, "bench", program, NULL);
}

static char *fill_template;

/* Copies a history of @n_tasks tasks into @data_dir; it is made once per run of the
 * benchmark by kinema-bench-fill (through KinemaHistory, as the app writes it). */
static void
fill_history (const char *data_dir,
              const char *n_tasks)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = g_build_filename (data_dir, "history.db", NULL);
  g_autofree char *template_db = NULL;
  g_autofree char *contents = NULL;
  gsize            length;

  if (fill_template == NULL)
    {
      g_autofree char *fill = g_build_filename (build_root, "bench", "kinema-bench-fill", NULL);
      g_autofree char *dir = g_dir_make_tmp ("kinema-bench-fill-XXXXXX", &error);
      const char      *argv[] = { fill, dir, n_tasks, NULL };
      int              status = 0;

      if (dir == NULL ||
          !g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status,
                         &error) ||
          !g_spawn_check_wait_status (status, &error))
        g_error ("kinema-bench-fill: %s", error->message);
      fill_template = g_steal_pointer (&dir);
    }
  template_db = g_build_filename (fill_template, "history.db", NULL);
  g_mkdir_with_parents (data_dir, 0700);
  if (!g_file_get_contents (template_db, &contents, &length, &error) ||
      !g_file_set_contents (db, contents, length, &error))
    g_error ("%s", error->message);
}

/* Runs @program once in a fresh scratch home; returns the value of @key or NAN. */
static double
run_once (const char *program,
          const char *args,
          const char *env,
          const char *key,
          char      **out_text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *scratch = g_dir_make_tmp ("kinema-bench-XXXXXX", &error);
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  g_auto(GStrv) arg_parts = NULL;
  g_auto(GStrv) env_parts = NULL;
  double value = NAN;

  if (scratch == NULL)
    g_error ("%s", error->message);

  g_ptr_array_add (argv, program_path (program));
  arg_parts = g_strsplit (args, " ", -1);
  for (guint i = 0; arg_parts[i]; i++)
    {
      if (*arg_parts[i] == '\0')
        continue;
      if (g_str_equal (arg_parts[i], "{QUICK}"))
        {
          if (opt_quick)
            g_ptr_array_add (argv, g_strdup ("--quick"));
          continue;
        }
      g_ptr_array_add (argv, g_strdup (arg_parts[i]));
    }
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (const char *const *d = (const char *const[]){ "home", "config", "data", "cache", NULL }; *d; d++)
    {
      g_autofree char *dir = g_build_filename (scratch, *d, NULL);
      g_mkdir_with_parents (dir, 0700);
    }
  {
    g_autofree char *config = g_build_filename (scratch, "config", NULL);
    g_autofree char *data = g_build_filename (scratch, "data", NULL);
    g_autofree char *cache = g_build_filename (scratch, "cache", NULL);
    g_autofree char *schemas = g_build_filename (build_root, "data", NULL);
    g_autofree char *locale = g_build_filename (build_root, "po", NULL);
    g_autofree char *home = g_build_filename (scratch, "home", NULL);

    g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
    g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config, TRUE);
    g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
    g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", cache, TRUE);
    g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "memory", TRUE);
    g_subprocess_launcher_setenv (launcher, "GSETTINGS_SCHEMA_DIR", schemas, TRUE);
    g_subprocess_launcher_setenv (launcher, "KINEMA_LOCALEDIR", locale, TRUE);
    g_subprocess_launcher_setenv (launcher, "KINEMA_BENCH_BUILD_ROOT", build_root, TRUE);
    g_subprocess_launcher_setenv (launcher, "GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  }
  env_parts = g_strsplit (env, " ", -1);
  for (guint i = 0; env_parts[i]; i++)
    {
      char *eq = strchr (env_parts[i], '=');

      if (eq == NULL)
        continue;
      *eq = '\0';
      /* Not for the program: a history of that many tasks, made before it starts. */
      if (g_str_equal (env_parts[i], "KINEMA_BENCH_FILL"))
        {
          g_autofree char *data_dir = g_build_filename (scratch, "data", "kinema", NULL);

          fill_history (data_dir, eq + 1);
          continue;
        }
      g_subprocess_launcher_setenv (launcher, env_parts[i], eq + 1, TRUE);
    }

  proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  if (proc == NULL ||
      !g_subprocess_communicate_utf8 (proc, NULL, NULL, &stdout_text, &stderr_text, &error))
    {
      g_printerr ("kinema-bench: %s: %s\n", (char *) argv->pdata[0], error->message);
    }
  else if (!g_subprocess_get_successful (proc))
    {
      g_printerr ("kinema-bench: %s %s failed:\n%s%s\n", (char *) argv->pdata[0], args,
                  stdout_text ? stdout_text : "", stderr_text ? stderr_text : "");
    }
  else
    {
      g_auto(GStrv) lines = g_strsplit (stdout_text, "\n", -1);
      size_t key_len = strlen (key);

      for (guint i = 0; lines[i]; i++)
        if (g_str_has_prefix (lines[i], key) && lines[i][key_len] == ':')
          value = g_ascii_strtod (lines[i] + key_len + 1, NULL);
      if (isnan (value))
        g_printerr ("kinema-bench: %s printed no “%s”:\n%s\n", (char *) argv->pdata[0], key, stdout_text);
    }

  if (out_text)
    *out_text = g_steal_pointer (&stdout_text);

  {
    g_autofree char *quoted = g_shell_quote (scratch);
    g_autofree char *cmd = g_strdup_printf ("rm -rf %s", quoted);

    g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
  }
  return value;
}

static const char *
verdict (const Bench *b,
         double       value,
         double       ratio)
{
  if (isnan (value))
    return "error";
  switch (b->budget_kind)
    {
    case BUDGET_RATIO_MAX:
      return isnan (ratio) ? "error" : ratio <= b->budget ? "meets"
                                                          : "misses";
    case BUDGET_RATIO_MIN:
      return isnan (ratio) ? "error" : ratio >= b->budget ? "meets"
                                                          : "misses";
    case BUDGET_ABS_MAX:
      return value <= b->budget ? "meets" : "misses";
    case BUDGET_ABS_MIN:
      return value >= b->budget ? "meets" : "misses";
    case BUDGET_NONE:
    default:
      return "figure";
    }
}

static char *
budget_text (const Bench *b)
{
  switch (b->budget_kind)
    {
    case BUDGET_RATIO_MAX:
      return g_strdup_printf ("<= %.2fx", b->budget);
    case BUDGET_RATIO_MIN:
      return g_strdup_printf (">= %.2fx", b->budget);
    case BUDGET_ABS_MAX:
      return g_strdup_printf ("<= %g %s", b->budget, b->unit);
    case BUDGET_ABS_MIN:
      return g_strdup_printf (">= %g %s", b->budget, b->unit);
    case BUDGET_NONE:
    default:
      return g_strdup ("-");
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) json = json_builder_new ();
  g_autofree char   *exe = NULL;
  g_autofree char   *bench_dir = NULL;
  gboolean           have_display = g_getenv ("DISPLAY") || g_getenv ("WAYLAND_DISPLAY");
  guint              n_missed = 0, n_errors = 0;
  const GOptionEntry entries[] = {
    { "quick", 'q', 0, G_OPTION_ARG_NONE, &opt_quick, "One short run of each, no figures worth quoting", NULL },
    { "runs", 'n', 0, G_OPTION_ARG_INT, &opt_runs, "Runs of each program (default 7)", "N" },
    { "only", 'o', 0, G_OPTION_ARG_STRING, &opt_only, "Only the rows whose name starts with NAME", "NAME" },
    { "json", 'j', 0, G_OPTION_ARG_FILENAME, &opt_json, "Write the figures to FILE", "FILE" },
    { NULL }
  };

  context = g_option_context_new ("— measure Kinema against its performance budgets");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (opt_quick)
    opt_runs = 1;
  opt_runs = MAX (opt_runs, 1);

  exe = g_file_read_link ("/proc/self/exe", NULL);
  bench_dir = g_path_get_dirname (exe);
  build_root = g_path_get_dirname (bench_dir);

  json_builder_begin_object (json);
  json_builder_set_member_name (json, "quick");
  json_builder_add_boolean_value (json, opt_quick);
  json_builder_set_member_name (json, "runs");
  json_builder_add_int_value (json, opt_runs);
  json_builder_set_member_name (json, "date");
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    json_builder_add_string_value (json, g_date_time_format_iso8601 (now));
  }
  json_builder_set_member_name (json, "results");
  json_builder_begin_array (json);

  g_print ("%-18s %-58s %12s %12s %8s %10s %s\n", "name", "what", "kinema", "baseline", "ratio",
           "budget", "");
  for (guint i = 0; i < G_N_ELEMENTS (benches); i++)
    {
      const Bench *b = &benches[i];
      g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) bases = g_array_new (FALSE, FALSE, sizeof (double));
      g_autofree char *program = NULL;
      g_autofree char *budget = budget_text (b);
      double           value, base = NAN, ratio = NAN;
      int              runs = b->once ? 1 : opt_runs;
      const char      *v;

      if (opt_only && !g_str_has_prefix (b->name, opt_only))
        continue;
      program = program_path (b->program);
      if (!g_file_test (program, G_FILE_TEST_IS_EXECUTABLE))
        {
          g_print ("%-18s %-58s (not built: %s)\n", b->name, b->what, b->program);
          n_errors++;
          continue;
        }
      if (b->display && !have_display)
        {
          g_print ("%-18s %-58s (skipped: needs a display)\n", b->name, b->what);
          continue;
        }

      /* Alternate kinema and baseline, so drift on a shared machine hits both. */
      for (int r = 0; r < runs; r++)
        {
          double x = run_once (b->program, b->args, b->env, b->key, NULL);

          if (!isnan (x))
            g_array_append_val (values, x);
          if (b->base_program)
            {
              double y = run_once (b->base_program, b->base_args, b->base_env, b->base_key, NULL);

              if (!isnan (y))
                g_array_append_val (bases, y);
            }
        }
      value = median (values);
      if (b->base_program)
        {
          base = median (bases);
          ratio = value / base;
        }
      v = verdict (b, value, ratio);
      if (g_str_equal (v, "misses"))
        n_missed++;
      else if (g_str_equal (v, "error"))
        n_errors++;

      g_print ("%-18s %-58s %12.2f %12.2f %8.2f %10s %s\n", b->name, b->what, value, base, ratio,
               budget, v);

      json_builder_begin_object (json);
      json_builder_set_member_name (json, "name");
      json_builder_add_string_value (json, b->name);
      json_builder_set_member_name (json, "what");
      json_builder_add_string_value (json, b->what);
      json_builder_set_member_name (json, "unit");
      json_builder_add_string_value (json, b->unit);
      json_builder_set_member_name (json, "value");
      json_builder_add_double_value (json, isnan (value) ? -1 : value);
      json_builder_set_member_name (json, "baseline");
      json_builder_add_double_value (json, isnan (base) ? -1 : base);
      json_builder_set_member_name (json, "ratio");
      json_builder_add_double_value (json, isnan (ratio) ? -1 : ratio);
      json_builder_set_member_name (json, "budget");
      json_builder_add_string_value (json, budget);
      json_builder_set_member_name (json, "verdict");
      json_builder_add_string_value (json, v);
      json_builder_set_member_name (json, "runs");
      json_builder_add_int_value (json, values->len);
      json_builder_end_object (json);
    }
  json_builder_end_array (json);
  json_builder_end_object (json);

  if (opt_json)
    {
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      g_autoptr(JsonNode) root = json_builder_get_root (json);

      json_generator_set_root (gen, root);
      json_generator_set_pretty (gen, TRUE);
      if (!json_generator_to_file (gen, opt_json, &error))
        {
          g_printerr ("kinema-bench: %s\n", error->message);
          return 1;
        }
    }

  if (fill_template != NULL)
    {
      g_autofree char *quoted = g_shell_quote (fill_template);
      g_autofree char *cmd = g_strdup_printf ("rm -rf %s", quoted);

      g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
    }

  g_print ("\n%u over budget, %u could not be measured%s\n", n_missed, n_errors,
           opt_quick ? " (quick run: figures are not meaningful)" : "");
  /* Budgets are reported, never asserted; only a benchmark that cannot run fails. */
  return n_errors > 0 ? 1 : 0;
}
