/* test-downloader.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The downloader against the simulator's CDN and content routes: a whole download,
 * a cut-off download resumed with Range (206), an expired link, a page served
 * instead of a clip, a full disk (RLIMIT_FSIZE in a subprocess) that keeps the .part
 * and resumes later, an unusable folder, and the file names.
 */

#include "config.h"

#include <sys/stat.h>

#include <signal.h>
#include <sys/resource.h>

#include "kinema-downloader.h"
#include "kinema-sidecar.h"
#include "kinema-task-private.h"
#include "tasks-test-util.h"

typedef struct
{
  goffset received;
  goffset total;
  guint   calls;
} Progress;

static void
on_progress (goffset  received,
             goffset  total,
             gpointer user_data)
{
  Progress *p = user_data;

  g_assert_cmpint (received, >=, p->received);
  p->received = received;
  p->total = total;
  p->calls++;
}

/* A finished job on the simulator; returns its video URL (or NULL) and remote id. */
static char *
finished_job (TasksFixture   *f,
              KinemaProvider *provider,
              char          **remote_id)
{
  g_autoptr(KinemaRequest) request = tasks_test_request ("Download me");
  g_autoptr(KinemaRemoteStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  char         *id;

  kinema_client_submit_async (f->client, provider, request, NULL, tasks_test_result_cb, &result);
  tasks_wait_for (result != NULL);
  status = kinema_client_submit_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  id = g_strdup (status->remote_id);
  kinema_sim_server_advance_clock (f->sim, 60000);

  for (guint i = 0; i < 5 && status->state != KINEMA_REMOTE_STATE_SUCCEEDED; i++)
    {
      g_clear_pointer (&status, kinema_remote_status_free);
      kinema_client_poll_async (f->client, provider, KINEMA_TASK_KIND_TEXT_TO_VIDEO, id, NULL,
                                tasks_test_result_cb, &result);
      tasks_wait_for (result != NULL);
      status = kinema_client_poll_finish (f->client, result, &error);
      g_assert_no_error (error);
      g_clear_object (&result);
    }
  g_assert_cmpint (status->state, ==, KINEMA_REMOTE_STATE_SUCCEEDED);
  if (remote_id != NULL)
    *remote_id = g_strdup (id);
  g_free (id);
  return g_strdup (status->video_url);
}

static char *
download (TasksFixture     *f,
          KinemaDownloader *downloader,
          KinemaProvider   *provider,
          const char       *url,
          const char       *remote_id,
          const char       *part,
          Progress         *progress,
          GError          **error)
{
  GAsyncResult *result = NULL;
  char         *path;

  kinema_downloader_download_async (downloader, provider, url, remote_id, part, progress ? on_progress : NULL, progress, NULL,
                                    tasks_test_result_cb, &result);
  tasks_wait_for (result != NULL);
  path = kinema_downloader_download_finish (downloader, result, error);
  g_object_unref (result);
  return path;
}

static void
assert_same_as_clip (TasksFixture *f,
                     const char   *path)
{
  g_autofree char *contents = NULL;
  gsize            length = 0;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (contents, length, g_bytes_get_data (f->clip, NULL), g_bytes_get_size (f->clip));
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? st.st_size : -1;
}

/* Status codes the simulator sent for requests under @prefix, in order. */
static GArray *
statuses (TasksFixture *f,
          const char   *prefix)
{
  g_autoptr(JsonNode) stats = kinema_sim_server_dup_stats (f->sim);
  JsonArray *log = json_object_get_array_member (json_node_get_object (stats), "log");
  GArray    *out = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < json_array_get_length (log); i++)
    {
      JsonObject *entry = json_array_get_object_element (log, i);

      if (g_str_has_prefix (json_object_get_string_member (entry, "path"), prefix))
        {
          guint status = json_object_get_int_member (entry, "status");

          g_array_append_val (out, status);
        }
    }
  return out;
}

static char *
cdn_path (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  g_assert_nonnull (uri);
  return g_strdup (g_uri_get_path (uri));
}

/* The set-up most tests share: a finished job on the simulator, then @fault (if not
 * NULL) on the server, and a fresh .part named after @prompt. Returns the video URL. */
static char *
job_and_part (TasksFixture         *f,
              const KinemaSimFault *fault,
              const char           *prompt,
              char                **part)
{
  g_autoptr(GError) error = NULL;
  char *url = finished_job (f, f->provider, NULL);

  g_assert_nonnull (url);
  if (fault != NULL)
    kinema_sim_server_add_fault (f->sim, fault);
  *part = kinema_downloader_reserve_part (f->downloads_dir, 0, prompt, &error);
  g_assert_no_error (error);
  return url;
}

/* The clip @part becomes when whole: the same name with .mp4 for .part. */
static char *
clip_for_part (const char *part)
{
  g_autofree char *stem = NULL;

  g_assert_true (g_str_has_suffix (part, ".part"));
  stem = g_strndup (part, strlen (part) - strlen (".part"));
  return g_strconcat (stem, ".mp4", NULL);
}

/* Downloads @url into @part, which must fail with @code and leave no clip; returns the error. */
static GError *
download_fails (TasksFixture     *f,
                KinemaDownloader *downloader,
                const char       *url,
                const char       *part,
                gint              code)
{
  g_autofree char *clip = clip_for_part (part);
  GError          *error = NULL;

  g_assert_null (download (f, downloader, f->provider, url, NULL, part, NULL, &error));
  g_assert_error (error, KINEMA_ERROR, code);
  g_assert_false (g_file_test (clip, G_FILE_TEST_EXISTS));
  return error;
}

static void
test_whole (TasksFixture *f,
            gconstpointer data)
{
  g_autoptr(KinemaDownloader) downloader = kinema_downloader_new (f->client);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = finished_job (f, f->provider, NULL);
  g_autofree char *part = NULL;
  g_autofree char *path = NULL;
  Progress         progress = { 0 };

  g_assert_nonnull (url);
  part = kinema_downloader_reserve_part (f->downloads_dir, g_get_real_time (), "A paper boat", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (part, "_a-paper-boat.part"));
  g_assert_true (g_file_test (part, G_FILE_TEST_IS_REGULAR));

  path = download (f, downloader, f->provider, url, NULL, part, &progress, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (path, "_a-paper-boat.mp4"));
  assert_same_as_clip (f, path);
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
  g_assert_cmpint (progress.total, ==, TEST_CLIP_SIZE);
  g_assert_cmpint (progress.received, ==, TEST_CLIP_SIZE);
  /* Streamed in chunks, not in one piece. */
  g_assert_cmpuint (progress.calls, >=, 3);
}

static void
test_resume_with_range (TasksFixture *f,
                        gconstpointer data)
{
  g_autoptr(KinemaDownloader) downloader = kinema_downloader_new (f->client);
  g_autoptr(GError) error = NULL;
  g_autofree char *part = NULL;
  KinemaSimFault   cut = { "GET", "/cdn/*", KINEMA_SIM_FAULT_TRUNCATED_DOWNLOAD, 0, 0, 0, 1, FALSE, NULL };
  g_autofree char *url = job_and_part (f, &cut, "Cut off", &part);
  g_autofree char *cdn = cdn_path (url);
  g_autofree char *path = NULL;
  g_autoptr(GArray) codes = NULL;
  Progress progress = { 0 };

  /* One attempt: the cut-off download fails as a network problem and keeps the .part. */
  kinema_downloader_set_attempts (downloader, 1);
  g_assert_null (download (f, downloader, f->provider, url, NULL, part, &progress, &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_NETWORK);
  g_clear_error (&error);
  g_assert_cmpint (file_size (part), ==, TEST_CLIP_SIZE / 2);

  /* The next call asks only for the rest. */
  progress = (Progress){ 0 };
  path = download (f, downloader, f->provider, url, NULL, part, &progress, &error);
  g_assert_no_error (error);
  assert_same_as_clip (f, path);
  codes = statuses (f, cdn);
  g_assert_cmpuint (codes->len, ==, 2);
  g_assert_cmpuint (g_array_index (codes, guint, 1), ==, 206);
}

static void
test_resume_within_call (TasksFixture *f,
                         gconstpointer data)
{
  g_autoptr(KinemaDownloader) downloader = kinema_downloader_new (f->client);
  g_autoptr(GError) error = NULL;
  g_autofree char *part = NULL;
  /* Cut off: the same call resumes it with Range (default: three attempts). */
  KinemaSimFault   cut = { "GET", "/cdn/*", KINEMA_SIM_FAULT_TRUNCATED_DOWNLOAD, 0, 0, 0, 1, FALSE, NULL };
  g_autofree char *url = job_and_part (f, &cut, "Twice", &part);
  g_autofree char *cdn = cdn_path (url);
  g_autofree char *path = NULL;
  g_autoptr(GArray) codes = NULL;

  path = download (f, downloader, f->provider, url, NULL, part, NULL, &error);
  g_assert_no_error (error);
  assert_same_as_clip (f, path);
  codes = statuses (f, cdn);
  g_assert_cmpuint (codes->len, ==, 2);
  g_assert_cmpuint (g_array_index (codes, guint, 0), ==, 200);
  g_assert_cmpuint (g_array_index (codes, guint, 1), ==, 206);
}

/* A server whose 206 replies start at the wrong byte made the downloader truncate and
 * ask again with no wait and no end: 11,000 requests in 20 s (issue 15, point 2). The
 * requests are counted on the simulator's side. */
static void
test_bad_range_budget (TasksFixture *f,
                       gconstpointer data)
{
  g_autoptr(KinemaDownloader) downloader = kinema_downloader_new (f->client);
  g_autoptr(GError) error = NULL;
  g_autofree char *part = NULL;
  KinemaSimFault   bad = { "GET", "/cdn/*", KINEMA_SIM_FAULT_BAD_RANGE, 0, 0, 0, -1, FALSE, NULL };
  KinemaSimFault   cut = { "GET", "/cdn/*", KINEMA_SIM_FAULT_TRUNCATED_DOWNLOAD, 0, 0, 0, -1, FALSE, NULL };
  g_autofree char *url = job_and_part (f, &bad, "Wrong range", &part);
  g_autofree char *cdn = cdn_path (url);
  g_autoptr(GArray) codes = NULL;

  kinema_downloader_set_retry_delay (downloader, 1);
  error = download_fails (f, downloader, url, part, KINEMA_ERROR_BAD_REPLY);
  g_assert_cmpuint (kinema_error_get_details (error)->http_status, ==, 206);
  g_clear_error (&error);
  codes = statuses (f, cdn);
  /* The default budget of three attempts per call, whatever the server does. */
  g_assert_cmpuint (codes->len, ==, 3);
  g_clear_pointer (&codes, g_array_unref);

  /* Cut connections, then a mismatched range: all from the same budget. */
  kinema_sim_server_clear_faults (f->sim);
  g_free (url);
  url = finished_job (f, f->provider, NULL);
  g_free (cdn);
  cdn = cdn_path (url);
  kinema_sim_server_add_fault (f->sim, &cut);
  kinema_downloader_set_attempts (downloader, 5);
  g_assert_null (download (f, downloader, f->provider, url, NULL, part, NULL, &error));
  g_assert_nonnull (error);
  codes = statuses (f, cdn);
  g_assert_cmpuint (codes->len, ==, 5);
}

/* A size cap far above any clip and a free-space check before writing (issue 15,
 * point 7), here with limits small and large enough to trip. */
static void
test_limits (TasksFixture *f,
             gconstpointer data)
{
  g_autoptr(KinemaDownloader) downloader = kinema_downloader_new (f->client);
  g_autoptr(GError) error = NULL;
  g_autofree char *part = NULL;
  g_autofree char *url = job_and_part (f, NULL, "Limits", &part);

  kinema_downloader_set_limits (downloader, TEST_CLIP_SIZE - 1, 0);
  error = download_fails (f, downloader, url, part, KINEMA_ERROR_BAD_REPLY);
  g_clear_error (&error);

  kinema_downloader_set_limits (downloader, KINEMA_DOWNLOAD_MAX_BYTES, G_MAXUINT64 / 2);
  error = download_fails (f, downloader, url, part, KINEMA_ERROR_DISK);
  g_assert_nonnull (strstr (error->message, "disk is full"));
  g_assert_cmpint (file_size (part), ==, 0);
  g_clear_error (&error);

  /* Within the limits, the same .part completes. */
  kinema_downloader_set_limits (downloader, KINEMA_DOWNLOAD_MAX_BYTES, 0);
  {
    g_autofree char *path = download (f, downloader, f->provider, url, NULL, part, NULL, &error);

    g_assert_no_error (error);
    assert_same_as_clip (f, path);
  }
}

static void
test_expired (TasksFixture *f,
              gconstpointer data)
{
  g_autoptr(KinemaDownloader) downloader = kinema_downloader_new (f->client);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *part = NULL;

  kinema_sim_server_set_video_ttl_ms (f->sim, 1000);
  url = job_and_part (f, NULL, "Too late", &part);
  kinema_sim_server_advance_clock (f->sim, 10000);

  error = download_fails (f, downloader, url, part, KINEMA_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "expired"));
  g_assert_cmpuint (kinema_error_get_details (error)->http_status, ==, 403);
}

static void
test_page_instead_of_clip (TasksFixture *f,
                           gconstpointer data)
{
  g_autoptr(KinemaDownloader) downloader = kinema_downloader_new (f->client);
  g_autoptr(GError) error = NULL;
  g_autofree char *part = NULL;
  KinemaSimFault   page = { "GET", "/cdn/*", KINEMA_SIM_FAULT_HTML, 0, 0, 0, 1, FALSE, NULL };
  g_autofree char *url = job_and_part (f, &page, "Page", &part);

  /* Nothing was renamed into a clip. */
  error = download_fails (f, downloader, url, part, KINEMA_ERROR_BAD_REPLY);
}

static void
test_not_whole_video (TasksFixture *f,
                      gconstpointer data)
{
  g_autoptr(KinemaDownloader) downloader = kinema_downloader_new (f->client);
  g_autoptr(GError) error = NULL;
  g_autofree char *broken = g_build_filename (f->dir, "broken.mp4", NULL);
  g_autofree char *url = NULL;
  g_autofree char *part = NULL;
  gsize            size = g_bytes_get_size (f->clip);

  /* The server sends all it announces, but the file itself stops mid-box. */
  g_assert_true (g_file_set_contents (broken, g_bytes_get_data (f->clip, NULL), size - 1000, NULL));
  kinema_sim_server_set_clip_file (f->sim, broken);
  url = job_and_part (f, NULL, "Broken", &part);

  error = download_fails (f, downloader, url, part, KINEMA_ERROR_MEDIA);
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
}

/* An MP4 of a few hundred thousand tiny top-level boxes (ISO/IEC 14496-12, 4.2: a box
 * is a 32-bit size and a type) and a moov at the end: the box walk stops after
 * 10,000 boxes instead of reading them all (issue 15, point 7). */
static void
test_many_boxes (TasksFixture *f,
                 gconstpointer data)
{
  g_autoptr(KinemaDownloader) downloader = kinema_downloader_new (f->client);
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) file = g_byte_array_new ();
  g_autofree char *boxes = g_build_filename (f->dir, "boxes.mp4", NULL);
  g_autofree char *url = NULL;
  g_autofree char *part = NULL;
  static const guint8 ftyp[16] = { 0, 0, 0, 16, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0 };
  static const guint8 free_box[8] = { 0, 0, 0, 8, 'f', 'r', 'e', 'e' };
  static const guint8 moov[8] = { 0, 0, 0, 8, 'm', 'o', 'o', 'v' };

  g_byte_array_append (file, ftyp, sizeof ftyp);
  for (guint i = 0; i < 200000; i++)
    g_byte_array_append (file, free_box, sizeof free_box);
  g_byte_array_append (file, moov, sizeof moov);
  g_assert_true (g_file_set_contents (boxes, (const char *) file->data, file->len, NULL));
  kinema_sim_server_set_clip_file (f->sim, boxes);
  url = job_and_part (f, NULL, "Boxes", &part);

  error = download_fails (f, downloader, url, part, KINEMA_ERROR_MEDIA);
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
}

static void
test_content_route (TasksFixture *f,
                    gconstpointer data)
{
  g_autoptr(KinemaDownloader) downloader = kinema_downloader_new (f->client);
  g_autoptr(KinemaProvider) openai = kinema_provider_new ("oa", "OpenAI style", kinema_sim_server_get_base_url (f->sim),
                                                           KINEMA_API_STYLE_OPENAI_VIDEOS, KINEMA_AUTH_BEARER);
  g_autoptr(GError) error = NULL;
  g_autofree char *remote_id = NULL;
  g_autofree char *url = NULL;
  g_autofree char *part = NULL;
  g_autofree char *path = NULL;

  kinema_provider_set_api_key (openai, TEST_KEY);
  url = finished_job (f, openai, &remote_id);
  part = kinema_downloader_reserve_part (f->downloads_dir, 0, "Content", &error);

  /* No URL: the provider's own content route, with the key. */
  path = download (f, downloader, openai, NULL, remote_id, part, NULL, &error);
  g_assert_no_error (error);
  assert_same_as_clip (f, path);
  g_assert_cmpuint (kinema_sim_server_get_request_count (f->sim, "GET /v1/videos/{id}/content"), ==, 1);
}

static void
test_disk_full (TasksFixture *f,
                gconstpointer data)
{
  g_autoptr(KinemaDownloader) downloader = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *part = NULL;
  g_autofree char *path = NULL;
  struct rlimit    limit;
  gint64           kept;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  downloader = kinema_downloader_new (f->client);
  url = job_and_part (f, NULL, "Full disk", &part);

  /* Files may not grow past 100 kB: what a full disk looks like to the writer. */
  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &limit), ==, 0);
  limit.rlim_cur = 100 * 1024;
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);

  error = download_fails (f, downloader, url, part, KINEMA_ERROR_DISK);
  g_assert_true (g_str_has_prefix (error->message, "The clip could not be saved"));
  g_clear_error (&error);
  kept = file_size (part);
  g_assert_cmpint (kept, >, 0);
  g_assert_cmpint (kept, <=, 100 * 1024);

  /* Space again: the next try resumes from the kept .part. */
  limit.rlim_cur = limit.rlim_max;
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
  path = download (f, downloader, f->provider, url, NULL, part, NULL, &error);
  g_assert_no_error (error);
  assert_same_as_clip (f, path);
}

static void
test_unusable_folder (TasksFixture *f,
                      gconstpointer data)
{
  g_autofree char *file = g_build_filename (f->dir, "not-a-folder", NULL);
  g_autofree char *inside = g_build_filename (file, "Kinema", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (file, "x", 1, NULL));
  g_assert_null (kinema_downloader_reserve_part (inside, 0, "Nowhere", &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_DISK);
}

static void
test_names (TasksFixture *f,
            gconstpointer data)
{
  static const struct
  {
    const char *prompt;
    const char *expected;
  } cases[] = {
    { "A fox / turns: its head!!", "a-fox-turns-its-head" },
    { "../../etc/passwd", "etc-passwd" },
    { "狐狸慢慢转头", "狐狸慢慢转头" },
    { "  \t\n ", "clip" },
    { "", "clip" },
    { NULL, "clip" },
    { "abcdefghij klmnopqrst uvwxyz0123 456789abcd efghij", "abcdefghij-klmnopqrst-uvwxyz0123-456789a" },
  };
  g_autoptr(GDateTime) when = g_date_time_new_local (2026, 12, 1, 21, 31, 5);
  gint64 us = g_date_time_to_unix (when) * G_USEC_PER_SEC;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  g_autofree char *expected = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = kinema_downloader_sanitize_prompt (cases[i].prompt, 40);

      g_assert_cmpstr (name, ==, cases[i].expected);
    }

  /* Date + excerpt, unique in the folder; never from the server. */
  first = kinema_downloader_reserve_part (f->downloads_dir, us, "Same prompt", &error);
  g_assert_no_error (error);
  expected = g_build_filename (f->downloads_dir, "2026-12-01_21-31-05_same-prompt.part", NULL);
  g_assert_cmpstr (first, ==, expected);
  second = kinema_downloader_reserve_part (f->downloads_dir, us, "Same prompt", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (second, "_same-prompt-2.part"));
  /* A finished clip of that name counts as taken too. */
  g_assert_true (g_rename (first, expected) == 0);
  {
    g_autofree char *mp4 = g_build_filename (f->downloads_dir, "2026-12-01_21-31-05_same-prompt-3.mp4", NULL);

    g_assert_true (g_file_set_contents (mp4, "x", 1, NULL));
  }
  third = kinema_downloader_reserve_part (f->downloads_dir, us, "Same prompt", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (third, "_same-prompt-4.part"));
}

static void
test_sidecar (TasksFixture *f,
              gconstpointer data)
{
  g_autoptr(KinemaRequest) request = tasks_test_request ("Boat, \"quoted\" & 狐狸");
  g_autoptr(KinemaRequest) back = NULL;
  g_autoptr(KinemaTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *video = g_build_filename (f->dir, "clip.final.mp4", NULL);
  g_autofree char *json = kinema_sidecar_path_for (video);
  g_autofree char *missing = g_build_filename (f->dir, "nothing.mp4", NULL);
  GAsyncResult    *result = NULL;

  g_assert_true (g_str_has_suffix (json, "clip.final.json"));

  kinema_request_set_mode (request, KINEMA_MODE_PRO);
  kinema_request_set_duration (request, 10);
  kinema_request_set_negative_prompt (request, "blur");
  task = kinema_task_new (NULL, "sim", "Simulator", request, FALSE);
  kinema_request_set_external_task_id (request, kinema_task_get_id (task));

  kinema_sidecar_write_async (video, task, NULL, tasks_test_result_cb, &result);
  tasks_wait_for (result != NULL);
  g_assert_true (kinema_sidecar_write_finish (result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  g_assert_true (kinema_sidecar_read (video, &back, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (kinema_request_get_prompt (back), ==, "Boat, \"quoted\" & 狐狸");
  g_assert_cmpstr (kinema_request_get_negative_prompt (back), ==, "blur");
  g_assert_cmpint (kinema_request_get_mode (back), ==, KINEMA_MODE_PRO);
  g_assert_cmpuint (kinema_request_get_duration (back), ==, 10);
  /* Reusing the settings is a new job: no external id carried over. */
  g_assert_null (kinema_request_get_external_task_id (back));
  g_clear_object (&back);

  g_assert_false (kinema_sidecar_read (missing, &back, &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (json, "{\"kinema_sidecar\": 1, \"request\": [1, 2]}", -1, NULL));
  g_assert_false (kinema_sidecar_read (video, &back, &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (json, "<html>", -1, NULL));
  g_assert_false (kinema_sidecar_read (video, &back, &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
  g_assert_null (back);
  g_clear_error (&error);

  /* 300 KB of `[` overflowed json-glib's recursion (issue 15, point 1): refused, no crash. */
  {
    g_autofree char *deep = g_malloc (300 * 1024);

    memset (deep, '[', 300 * 1024);
    g_assert_true (g_file_set_contents (json, deep, 300 * 1024, NULL));
    g_assert_false (kinema_sidecar_read (video, &back, &error));
    g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
    g_assert_null (back);
    g_clear_error (&error);
  }

  /* A FIFO in place of the sidecar blocked the window for ever (issue 15, point 7);
   * a file over the size limit is not read at all. Both are refused at once. */
  g_assert_cmpint (g_unlink (json), ==, 0);
  g_assert_cmpint (mkfifo (json, 0600), ==, 0);
  g_assert_false (kinema_sidecar_read (video, &back, &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_cmpint (g_unlink (json), ==, 0);
  {
    g_autofree char *big = g_strnfill (2 * 1024 * 1024, ' ');

    g_assert_true (g_file_set_contents (json, big, -1, NULL));
    g_assert_false (kinema_sidecar_read (video, &back, &error));
    g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
    g_clear_error (&error);
  }

  /* The same on a worker thread. */
  g_assert_true (kinema_sidecar_write (video, task, &error));
  g_assert_no_error (error);
  kinema_sidecar_read_async (video, NULL, tasks_test_result_cb, &result);
  tasks_wait_for (result != NULL);
  back = kinema_sidecar_read_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kinema_request_get_negative_prompt (back), ==, "blur");
  g_clear_object (&result);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/kinema/downloader/" name, TasksFixture, NULL, tasks_fixture_setup, func, tasks_fixture_teardown)
  ADD ("whole", test_whole);
  ADD ("resume-with-range", test_resume_with_range);
  ADD ("resume-within-call", test_resume_within_call);
  ADD ("bad-range-budget", test_bad_range_budget);
  ADD ("many-boxes", test_many_boxes);
  ADD ("limits", test_limits);
  ADD ("expired", test_expired);
  ADD ("page-instead-of-clip", test_page_instead_of_clip);
  ADD ("not-whole-video", test_not_whole_video);
  ADD ("content-route", test_content_route);
  ADD ("disk-full", test_disk_full);
  ADD ("unusable-folder", test_unusable_folder);
  ADD ("names", test_names);
  ADD ("sidecar", test_sidecar);
#undef ADD

  return g_test_run ();
}
