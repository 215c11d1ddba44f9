/* kinema-bench-download.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Download throughput and memory: the simulator (the kinema-sim tool, in its own
 * process so that its memory does not count) serves a 200 MB clip; Kinema's
 * downloader or curl fetches it from the same URL.
 *
 *   kinema-bench-download kinema|curl|kinema-memory [--quick]
 *
 * Prints `throughput-mb-s:`; in kinema-memory mode it fetches a 20 MB file and then
 * the big one and prints the growth of the peak resident size between the two
 * (`rss-growth-mb:`): a streamed download stays flat whatever the file size.
 */

#include "config.h"

#include <gio/gio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <string.h>

#include "kinema-client.h"
#include "kinema-downloader.h"
#include "kinema-http-client.h"
#include "kinema-provider.h"
#include "kinema-request.h"

#define BENCH_KEY "sk-bench"
#define MB (1024.0 * 1024.0)

typedef struct
{
  GSubprocess *proc;
  char        *base_url;
} Sim;

static char *build_root;
static char *scratch;

/* A valid MP4 of exactly @size bytes: a small real clip, then one 'free' box holding the
 * rest (the downloader renames only files whose MP4 boxes are whole). */
static void
make_file (const char *path,
           gsize       size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) out = NULL;
  g_autofree guint32 *chunk = g_new (guint32, 1024 * 1024 / 4);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autofree char *head_path = g_build_filename (scratch, "head.mp4", NULL);
  g_autofree char *quoted = g_shell_quote (head_path);
  g_autofree char *cmd = g_strdup_printf ("gst-launch-1.0 -q videotestsrc num-buffers=24 ! "
                                          "video/x-raw,width=320,height=240,framerate=24/1 ! videoconvert ! "
                                          "x264enc speed-preset=ultrafast ! mp4mux ! filesink location=%s",
                                          quoted);
  g_autofree char *head = NULL;
  gsize            head_len = 0;
  guint8           box[8];
  gsize            free_size;
  int              status = 0;

  if (!g_spawn_command_line_sync (cmd, NULL, NULL, &status, NULL) || !g_spawn_check_wait_status (status, NULL) ||
      !g_file_get_contents (head_path, &head, &head_len, NULL))
    g_error ("could not make a clip with gst-launch-1.0");
  g_assert (size > head_len + 8 && size - head_len < G_MAXUINT32);
  free_size = size - head_len;
  box[0] = (guint8) (free_size >> 24);
  box[1] = (guint8) (free_size >> 16);
  box[2] = (guint8) (free_size >> 8);
  box[3] = (guint8) free_size;
  memcpy (box + 4, "free", 4);

  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (G_OUTPUT_STREAM (out), head, head_len, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (G_OUTPUT_STREAM (out), box, sizeof box, NULL, NULL, &error);
  g_assert_no_error (error);
  for (gsize i = 0; i < 1024 * 1024 / 4; i++)
    chunk[i] = g_rand_int (rand);
  for (gsize done = head_len + 8; done < size; done += 1024 * 1024)
    {
      chunk[0] = (guint32) done; /* no two megabytes alike */
      g_output_stream_write_all (G_OUTPUT_STREAM (out), chunk, MIN (1024 * 1024, size - done), NULL, NULL,
                                 &error);
      g_assert_no_error (error);
    }
  g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error);
  g_assert_no_error (error);
}

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

static void
sim_start (Sim        *sim,
           const char *clip)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sim_bin = g_build_filename (build_root, "src", "sim", "kinema-sim", NULL);
  g_autoptr(GDataInputStream) in = NULL;
  g_autofree char *line = NULL;

  g_autoptr(GSubprocessLauncher) launcher = sim_launcher ();

  sim->proc = g_subprocess_launcher_spawn (launcher, &error, sim_bin, "--clip", clip, "--queued-ms", "0",
                                           "--running-ms", "0", "--bearer-key", BENCH_KEY, NULL);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim->proc));
  line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert (line != NULL && g_str_has_prefix (line, "http://127.0.0.1:"));
  sim->base_url = g_strdup (g_strstrip (line));
}

static void
sim_stop (Sim *sim)
{
  g_subprocess_force_exit (sim->proc);
  g_subprocess_wait (sim->proc, NULL, NULL);
  g_clear_object (&sim->proc);
  g_clear_pointer (&sim->base_url, g_free);
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

/* Submits one job to @sim and polls it until the clip's URL is known. */
static char *
video_url_of_new_job (KinemaClient   *client,
                      KinemaProvider *provider)
{
  g_autoptr(KinemaRequest) request = kinema_request_new (KINEMA_TASK_KIND_TEXT_TO_VIDEO);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KinemaRemoteStatus) submitted = NULL;

  kinema_request_set_model (request, "kling-v2-5-turbo");
  kinema_request_set_prompt (request, "A benchmark clip");
  kinema_client_submit_async (client, provider, request, NULL, store_result, &result);
  submitted = kinema_client_submit_finish (client, wait_for (&result), &error);
  g_assert_no_error (error);

  for (;;)
    {
      g_autoptr(GAsyncResult) poll_result = NULL;
      g_autoptr(KinemaRemoteStatus) status = NULL;

      kinema_client_poll_async (client, provider, KINEMA_TASK_KIND_TEXT_TO_VIDEO, submitted->remote_id, NULL,
                                store_result, &poll_result);
      status = kinema_client_poll_finish (client, wait_for (&poll_result), &error);
      g_assert_no_error (error);
      if (status->state == KINEMA_REMOTE_STATE_SUCCEEDED && status->video_url != NULL)
        return g_strdup (status->video_url);
      g_assert (status->state != KINEMA_REMOTE_STATE_FAILED);
      g_usleep (10000);
    }
}

static gsize expected_size;

/* The whole file arrived, or the figure means nothing. */
static void
check_size (const char *path)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0 || (gsize) st.st_size != expected_size)
    g_error ("%s has %jd bytes, expected %zu", path, (intmax_t) st.st_size, expected_size);
}

static double
download_kinema (KinemaClient   *client,
                 KinemaProvider *provider,
                 const char     *url,
                 const char     *name)
{
  g_autoptr(KinemaDownloader) downloader = kinema_downloader_new (client);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *part = g_strdup_printf ("%s/%s.part", scratch, name);
  g_autofree char *path = NULL;
  gint64           start = g_get_monotonic_time ();
  double           seconds;

  kinema_downloader_download_async (downloader, provider, url, NULL, part, NULL, NULL, NULL, store_result,
                                    &result);
  path = kinema_downloader_download_finish (downloader, wait_for (&result), &error);
  g_assert_no_error (error);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  check_size (path);
  return seconds;
}

static double
download_curl (const char *url)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = g_build_filename (scratch, "curl.out", NULL);
  g_autoptr(GSubprocess) proc = NULL;
  gint64 start = g_get_monotonic_time ();
  double seconds;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "curl", "-s", "-f", "-o", out, "-H",
                           "Authorization: Bearer " BENCH_KEY, url, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (proc, NULL, &error);
  g_assert_no_error (error);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  check_size (out);
  return seconds;
}

static double
peak_rss_mb (void)
{
  g_autofree char *status = NULL;
  const char      *p;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (p = strstr (status, "VmHWM:")) == NULL)
    return -1;
  return g_ascii_strtod (p + 6, NULL) / 1024.0;
}

static KinemaProvider *
provider_for (Sim *sim)
{
  g_autofree char *base = g_strconcat (sim->base_url, "/kling", NULL);
  KinemaProvider  *provider = kinema_provider_new ("bench", "Bench", base, KINEMA_API_STYLE_KLING,
                                                   KINEMA_AUTH_BEARER);

  kinema_provider_set_api_key (provider, BENCH_KEY);
  return provider;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KinemaHttpClient) http = kinema_http_client_new ();
  g_autoptr(KinemaClient) client = kinema_client_new (http);
  g_autoptr(KinemaProvider) provider = NULL;
  g_autofree char *big = NULL;
  g_autofree char *url = NULL;
  const char      *mode = argc > 1 ? argv[1] : "kinema";
  gboolean         quick = argc > 2 && g_str_equal (argv[2], "--quick");
  gsize            size = (quick ? 40 : 200) * 1024 * 1024;
  Sim              sim = { 0 };
  double           seconds;

  build_root = g_strdup (g_getenv ("KINEMA_BENCH_BUILD_ROOT"));
  if (build_root == NULL)
    {
      g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
      g_autofree char *dir = g_path_get_dirname (exe);

      build_root = g_path_get_dirname (dir);
    }
  scratch = g_dir_make_tmp ("kinema-bench-download-XXXXXX", &error);
  g_assert_no_error (error);
  big = g_build_filename (scratch, "big.mp4", NULL);

  if (g_str_equal (mode, "kinema-memory"))
    {
      g_autofree char *small = g_build_filename (scratch, "small.mp4", NULL);
      Sim              small_sim = { 0 };
      g_autoptr(KinemaProvider) small_provider = NULL;
      g_autofree char *small_url = NULL;
      double           before, after;

      make_file (small, 20 * 1024 * 1024);
      make_file (big, size);
      sim_start (&small_sim, small);
      sim_start (&sim, big);
      small_provider = provider_for (&small_sim);
      provider = provider_for (&sim);
      small_url = video_url_of_new_job (client, small_provider);
      url = video_url_of_new_job (client, provider);

      expected_size = 20 * 1024 * 1024;
      download_kinema (client, small_provider, small_url, "small");
      expected_size = size;
      before = peak_rss_mb ();
      download_kinema (client, provider, url, "big");
      after = peak_rss_mb ();
      g_print ("peak-rss-after-20mb: %.1f\npeak-rss-after-%zumb: %.1f\n", before, size / 1024 / 1024, after);
      g_print ("rss-growth-mb: %.2f\n", after - before);
      sim_stop (&small_sim);
    }
  else
    {
      make_file (big, size);
      sim_start (&sim, big);
      provider = provider_for (&sim);
      url = video_url_of_new_job (client, provider);
      expected_size = size;

      if (g_str_equal (mode, "curl"))
        seconds = download_curl (url);
      else
        seconds = download_kinema (client, provider, url, "clip");
      g_print ("seconds: %.3f\nthroughput-mb-s: %.1f\n", seconds, size / MB / seconds);
    }

  sim_stop (&sim);
  {
    g_autofree char *quoted = g_shell_quote (scratch);
    g_autofree char *cmd = g_strdup_printf ("rm -rf %s", quoted);

    g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
  }
  return 0;
}
