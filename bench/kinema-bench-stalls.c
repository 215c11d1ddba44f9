/* kinema-bench-stalls.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Main-loop stalls: a probe timer fires every millisecond on the main context and
 * records the longest gap between two of its runs while Kinema's core works:
 *
 *   kinema-bench-stalls poll   [--quick]  1,000 tasks polling the simulator
 *   kinema-bench-stalls image  [--quick]  a 20 MB photo checked and encoded
 *   kinema-bench-stalls finish [--quick]  100 tasks finishing and downloading at once
 *   kinema-bench-stalls idle   [--quick]  nothing but the probe: the machine's own stalls
 *
 * The simulator runs as its own process (the kinema-sim tool), so only Kinema's
 * work counts. Prints `max-stall-ms:` and the 99th percentile gap.
 */

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "kinema-client.h"
#include "kinema-http-client.h"
#include "kinema-image.h"
#include "kinema-provider-registry.h"
#include "kinema-provider.h"
#include "kinema-request.h"
#include "kinema-task-manager.h"

#define BENCH_KEY "sk-bench"

static char *build_root;
static char *scratch;

/* ------------------------------------------------------------------------- */
/* The probe */

typedef struct
{
  gint64  last;
  GArray *gaps; /* double, ms */
  guint   source;
} Probe;

static gboolean
probe_tick (gpointer user_data)
{
  Probe *probe = user_data;
  gint64 now = g_get_monotonic_time ();
  double gap = (now - probe->last) / 1000.0;

  g_array_append_val (probe->gaps, gap);
  probe->last = now;
  return G_SOURCE_CONTINUE;
}

static void
probe_start (Probe *probe)
{
  probe->gaps = g_array_new (FALSE, FALSE, sizeof (double));
  probe->last = g_get_monotonic_time ();
  probe->source = g_timeout_add (1, probe_tick, probe);
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
probe_stop_and_print (Probe *probe)
{
  double max;

  g_source_remove (probe->source);
  g_array_sort (probe->gaps, compare_double);
  if (probe->gaps->len == 0)
    g_error ("the probe never ran");
  max = g_array_index (probe->gaps, double, probe->gaps->len - 1);
  g_print ("probe-ticks: %u\n", probe->gaps->len);
  g_print ("p99-gap-ms: %.2f\n", g_array_index (probe->gaps, double, probe->gaps->len * 99 / 100));
  /* A 1 ms timer's own period is not a stall. */
  g_print ("max-stall-ms: %.2f\n", MAX (max - 1.0, 0));
  g_array_unref (probe->gaps);
}

static void
run_for_ms (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
}

/* ------------------------------------------------------------------------- */
/* The simulator and the core */

/* The simulator goes when the benchmark goes, even when it dies, and keeps quiet so that
 * the driver reading our output is not kept waiting by it. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GSubprocessLauncher *
sim_launcher (void)
{
  GSubprocessLauncher *launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  return launcher;
}

static GSubprocess *
sim_start (char      **base_url,
           const char *running_ms,
           const char *clip)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sim_bin = g_build_filename (build_root, "src", "sim", "kinema-sim", NULL);
  g_autoptr(GDataInputStream) in = NULL;
  g_autofree char *line = NULL;
  GSubprocess     *proc;

  g_autoptr(GSubprocessLauncher) launcher = sim_launcher ();

  if (clip != NULL)
    proc = g_subprocess_launcher_spawn (launcher, &error, sim_bin, "--queued-ms", "500", "--running-ms", running_ms,
                                        "--bearer-key", BENCH_KEY, "--clip", clip, NULL);
  else
    proc = g_subprocess_launcher_spawn (launcher, &error, sim_bin, "--queued-ms", "500", "--running-ms", running_ms,
                                        "--bearer-key", BENCH_KEY, NULL);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert (line != NULL && g_str_has_prefix (line, "http://127.0.0.1:"));
  *base_url = g_strconcat (g_strstrip (line), "/kling", NULL);
  return proc;
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

typedef struct
{
  KinemaProviderRegistry *registry;
  KinemaProvider         *provider;
  KinemaClient           *client;
  KinemaTaskManager      *manager;
} Core;

static void
core_init (Core       *core,
           const char *base_url)
{
  g_autoptr(KinemaHttpClient) http = kinema_http_client_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *config = g_build_filename (scratch, "config", NULL);
  g_autofree char *data = g_build_filename (scratch, "data", NULL);
  g_autofree char *videos = g_build_filename (scratch, "videos", NULL);

  core->registry = kinema_provider_registry_new (config);
  core->provider = kinema_provider_new ("bench", "Bench", base_url, KINEMA_API_STYLE_KLING, KINEMA_AUTH_BEARER);
  kinema_provider_set_api_key (core->provider, BENCH_KEY);
  kinema_provider_registry_add (core->registry, core->provider);
  core->client = kinema_client_new (http);
  core->manager = kinema_task_manager_new (data, videos, core->registry, core->client);
  kinema_task_manager_load_async (core->manager, NULL, store_result, &result);
  kinema_task_manager_load_finish (core->manager, wait_for (&result), &error);
  g_assert_no_error (error);
}

static void
core_generate (Core *core,
               guint n_tasks)
{
  for (guint i = 0; i < n_tasks; i += 4)
    {
      g_autoptr(KinemaRequest) request = kinema_request_new (KINEMA_TASK_KIND_TEXT_TO_VIDEO);
      g_autoptr(GPtrArray) tasks = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *prompt = g_strdup_printf ("Benchmark job %u: a lighthouse at dusk, waves below", i);

      kinema_request_set_model (request, "kling-v2-5-turbo");
      kinema_request_set_prompt (request, prompt);
      tasks = kinema_task_manager_generate (core->manager, core->provider, request, MIN (4, n_tasks - i), &error);
      g_assert_no_error (error);
    }
}

static void
core_clear (Core *core)
{
  kinema_task_manager_flush (core->manager, NULL);
  g_clear_object (&core->manager);
  g_clear_object (&core->client);
  g_clear_object (&core->provider);
  g_clear_object (&core->registry);
}

/* ------------------------------------------------------------------------- */

static guint
count_active (KinemaTaskManager *manager)
{
  GListModel *tasks = kinema_task_manager_get_tasks (manager);
  guint       n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (tasks); i++)
    {
      g_autoptr(KinemaTask) task = g_list_model_get_item (tasks, i);

      n += kinema_task_is_active (task);
    }
  return n;
}

/* A real MP4 of about @mb megabytes (downloads are renamed only when their MP4 boxes are
 * whole), made once with GStreamer and kept in the temporary folder. */
static void
make_clip (const char *path,
           guint       mb)
{
  g_autofree char *name = g_strdup_printf ("kinema-bench-%umb-%u.mp4", mb, (guint) getuid ());
  g_autofree char *cached = g_build_filename (g_get_tmp_dir (), name, NULL);
  g_autofree char *contents = NULL;
  gsize            length;

  if (!g_file_test (cached, G_FILE_TEST_EXISTS))
    {
      g_autofree char *tmp = g_strconcat (cached, ".tmp", NULL);
      g_autofree char *quoted = g_shell_quote (tmp);
      /* 5 s of 720p noise at mb * 1.6 Mbit/s: about @mb megabytes. */
      g_autofree char *cmd = g_strdup_printf ("gst-launch-1.0 -q videotestsrc pattern=snow num-buffers=120 ! "
                                              "video/x-raw,width=1280,height=720,framerate=24/1 ! videoconvert ! "
                                              "x264enc speed-preset=ultrafast bitrate=%u ! mp4mux ! filesink location=%s",
                                              mb * 1600, quoted);
      int              status = 0;

      if (!g_spawn_command_line_sync (cmd, NULL, NULL, &status, NULL) || !g_spawn_check_wait_status (status, NULL) ||
          g_rename (tmp, cached) != 0)
        g_error ("could not make a test clip with gst-launch-1.0");
    }
  if (!g_file_get_contents (cached, &contents, &length, NULL) || !g_file_set_contents (path, contents, length, NULL))
    g_error ("could not copy %s", cached);
}

static guint
count_submitting (KinemaTaskManager *manager)
{
  GListModel *tasks = kinema_task_manager_get_tasks (manager);
  guint       n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (tasks); i++)
    {
      g_autoptr(KinemaTask) task = g_list_model_get_item (tasks, i);

      n += kinema_task_get_status (task) == KINEMA_TASK_STATUS_SUBMITTING;
    }
  return n;
}

static void
bench_poll (gboolean quick)
{
  g_autofree char *base_url = NULL;
  g_autofree char *clip = g_build_filename (scratch, "clip.mp4", NULL);
  g_autoptr(GSubprocess) sim = NULL;
  guint n_tasks = quick ? 100 : 1000;
  Core  core = { 0 };
  Probe probe = { 0 };

  /* A served file, so the simulator does not render 1,000 clips meanwhile. */
  make_clip (clip, 1);
  sim = sim_start (&base_url, "600000", clip);
  core_init (&core, base_url);
  /* Every task polled about every 2 s: 500 polls a second with 1,000 tasks. */
  kinema_task_manager_set_poll_interval (core.manager, 2.0);
  core_generate (&core, n_tasks);
  /* Until every job was submitted and is polled. */
  while (count_submitting (core.manager) > 0)
    g_main_context_iteration (NULL, TRUE);
  probe_start (&probe);
  run_for_ms (quick ? 3000 : 15000);
  g_print ("tasks: %u\nactive: %u\n", n_tasks, count_active (core.manager));
  probe_stop_and_print (&probe);
  core_clear (&core);
  g_subprocess_force_exit (sim);
}

static void
make_photo (const char *path)
{
  g_autoptr(GError) error = NULL;
  /* A 24-megapixel photo of fine noise: about 20 MB as a quality-97 JPEG. */
  int width = 6000, height = 4000;
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int     stride = gdk_pixbuf_get_rowstride (pixbuf);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  GStatBuf st;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width * 3; x++)
      pixels[y * stride + x] = (guchar) (((x / 3 + y) & 0xff) / 2 + g_rand_int_range (rand, 0, 128));
  gdk_pixbuf_save (pixbuf, path, "jpeg", &error, "quality", "97", NULL);
  g_assert_no_error (error);
  g_stat (path, &st);
  g_print ("photo-mb: %.1f\n", st.st_size / 1024.0 / 1024.0);
}

static void
bench_image (gboolean quick)
{
  g_autofree char *photo = g_build_filename (scratch, "photo.jpg", NULL);
  g_autofree char *work = g_build_filename (scratch, "work", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KinemaImageInfo) info = NULL;
  Probe probe = { 0 };

  make_photo (photo);
  g_mkdir_with_parents (work, 0700);
  probe_start (&probe);
  kinema_image_prepare_async (photo, work, NULL, store_result, &result);
  info = kinema_image_prepare_finish (wait_for (&result), &error);
  run_for_ms (50);
  probe_stop_and_print (&probe);
  g_assert_no_error (error);
  g_print ("prepared: %d×%d, %.1f MB (%s)\n", info->width, info->height, info->file_size / 1024.0 / 1024.0,
           info->note ? info->note : "as is");
  (void) quick;
}

/* The machine's own stalls: the probe alone, for the same time as the poll run. On a
 * loaded machine this is the floor under every other figure. */
static void
bench_idle (gboolean quick)
{
  Probe probe = { 0 };

  probe_start (&probe);
  run_for_ms (quick ? 3000 : 15000);
  probe_stop_and_print (&probe);
}

static void
bench_finish (gboolean quick)
{
  g_autofree char *base_url = NULL;
  g_autofree char *clip = g_build_filename (scratch, "clip.mp4", NULL);
  g_autoptr(GSubprocess) sim = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint       n_tasks = quick ? 20 : 100;
  Core        core = { 0 };
  Probe       probe = { 0 };
  GListModel *tasks;
  guint       n_done = 0;

  /* A 5 s 720p clip from Kling is 3-8 MB. */
  make_clip (clip, 6);
  /* All jobs run the same 4 s, so they finish together and download at once. */
  sim = sim_start (&base_url, "4000", clip);
  core_init (&core, base_url);
  kinema_task_manager_set_poll_interval (core.manager, 0.5);
  probe_start (&probe);
  core_generate (&core, n_tasks);
  kinema_task_manager_wait_idle_async (core.manager, NULL, store_result, &result);
  kinema_task_manager_wait_idle_finish (core.manager, wait_for (&result), &error);
  probe_stop_and_print (&probe);
  g_assert_no_error (error);

  tasks = kinema_task_manager_get_tasks (core.manager);
  for (guint i = 0; i < g_list_model_get_n_items (tasks); i++)
    {
      g_autoptr(KinemaTask) task = g_list_model_get_item (tasks, i);

      n_done += kinema_task_get_status (task) == KINEMA_TASK_STATUS_SUCCEEDED;
    }
  g_print ("tasks: %u\ndownloaded: %u\n", n_tasks, n_done);
  if (n_done != n_tasks)
    g_error ("only %u of %u tasks were downloaded", n_done, n_tasks);
  core_clear (&core);
  g_subprocess_force_exit (sim);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  const char *what = argc > 1 ? argv[1] : "poll";
  gboolean    quick = argc > 2 && g_str_equal (argv[2], "--quick");

  build_root = g_strdup (g_getenv ("KINEMA_BENCH_BUILD_ROOT"));
  if (build_root == NULL)
    {
      g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
      g_autofree char *dir = g_path_get_dirname (exe);

      build_root = g_path_get_dirname (dir);
    }
  scratch = g_dir_make_tmp ("kinema-bench-stalls-XXXXXX", &error);
  g_assert_no_error (error);

  if (g_str_equal (what, "poll"))
    bench_poll (quick);
  else if (g_str_equal (what, "image"))
    bench_image (quick);
  else if (g_str_equal (what, "finish"))
    bench_finish (quick);
  else if (g_str_equal (what, "idle"))
    bench_idle (quick);
  else
    g_error ("unknown scenario %s", what);

  {
    g_autofree char *quoted = g_shell_quote (scratch);
    g_autofree char *cmd = g_strdup_printf ("rm -rf %s", quoted);

    g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
  }
  return 0;
}
