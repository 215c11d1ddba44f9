/* test-history.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SQLite task history: a round trip of every field, the order of the queue,
 * WAL mode and the schema version, the migration of version-1 and version-2 files,
 * refusing a newer file, loading 10,000 tasks, the link of a continuation in the
 * history and in the sidecar, and an unreadable file (garbage, truncated, another
 * schema) moved aside for a new history, which is private to its owner.
 */

#include "config.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "kinema-error.h"
#include "kinema-history.h"
#include "kinema-sidecar.h"
#include "kinema-task-private.h"
#include "test-util.h"

typedef struct
{
  char *dir;
  char *data_dir;
} Fixture;

static void
fixture_setup (Fixture      *f,
               gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("kinema-history-XXXXXX", &error);
  g_assert_no_error (error);
  f->data_dir = g_build_filename (f->dir, "kinema", NULL);
}

static void
fixture_teardown (Fixture      *f,
                  gconstpointer data)
{
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->data_dir);
}

static GPtrArray *
load (KinemaHistory *history,
      GError       **error)
{
  GAsyncResult *result = NULL;
  GPtrArray    *tasks;

  kinema_history_load_async (history, NULL, test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  tasks = kinema_history_load_finish (history, result, error);
  g_object_unref (result);
  return tasks;
}

/* Saves @task alone in a new history, reopens it and loads it back (a restart). */
static GPtrArray *
save_and_reload (Fixture    *f,
                 KinemaTask *task)
{
  g_autoptr(KinemaHistory) history = kinema_history_new (f->data_dir);
  g_autoptr(KinemaHistory) again = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *tasks;

  kinema_history_save (history, task);
  g_assert_true (kinema_history_flush_sync (history, &error));
  g_assert_no_error (error);
  g_clear_object (&history);

  again = kinema_history_new (f->data_dir);
  tasks = load (again, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, 1);
  return tasks;
}

static sqlite3 *
open_raw (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->data_dir, "history.db", NULL);
  sqlite3         *db = NULL;

  g_mkdir_with_parents (f->data_dir, 0700);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  return db;
}

static char *
query_text (sqlite3    *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char         *text = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return text;
}

static KinemaTask *
full_task (void)
{
  g_autoptr(KinemaRequest) request = kinema_request_new (KINEMA_TASK_KIND_IMAGE_TO_VIDEO);
  g_autoptr(GError) error = kinema_error_new (KINEMA_ERROR_RATE_LIMITED, 429, "1302", "too fast", "r-9");
  KinemaTask *task;

  kinema_request_set_model (request, "kling-v2-6");
  kinema_request_set_prompt (request, "Ein Fuchs dreht den Kopf — 狐狸");
  kinema_request_set_negative_prompt (request, "blur");
  kinema_request_set_image (request, "/home/u/fox.jpg");
  kinema_request_set_mode (request, KINEMA_MODE_PRO);
  kinema_request_set_duration (request, 10);
  kinema_request_set_cfg_scale (request, 0.25);
  kinema_request_set_link (request, KINEMA_LINK_CONTINUE, "99999999-9999-4999-8999-999999999999", 4.96);

  task = kinema_task_new (NULL, "n1n", "n1n gateway", request, TRUE);
  kinema_request_set_external_task_id (request, kinema_task_get_id (task));
  kinema_task_set_remote_id (task, "task_Qw3rTy");
  kinema_task_set_status (task, KINEMA_TASK_STATUS_DOWNLOADING);
  kinema_task_set_progress (task, 0.25);
  kinema_task_set_status_message (task, "Trying again");
  kinema_task_set_error (task, error);
  kinema_task_set_video_url (task, "https://cdn.example.test/out/fox.mp4");
  kinema_task_set_video_path (task, "/v/fox.mp4");
  kinema_task_set_thumbnail_path (task, "/t/fox.png");
  kinema_task_set_part_path (task, "/v/fox.part");
  kinema_task_set_video_id (task, "v-Fox-1");
  kinema_task_set_units_charged (task, 2.5);
  kinema_task_set_submitted_at (task, 1001);
  kinema_task_set_started_at (task, 1002);
  kinema_task_set_finished_at (task, 1003);
  return task;
}

static void
test_round_trip (Fixture      *f,
                 gconstpointer data)
{
  g_autoptr(KinemaTask) task = full_task ();
  g_autoptr(GPtrArray) tasks = save_and_reload (f, task);
  const KinemaErrorDetails *details;
  KinemaRequest            *request;
  KinemaTask               *back = g_ptr_array_index (tasks, 0);

  g_assert_cmpstr (kinema_task_get_id (back), ==, kinema_task_get_id (task));
  g_assert_cmpstr (kinema_task_get_provider_id (back), ==, "n1n");
  g_assert_cmpstr (kinema_task_get_provider_name (back), ==, "n1n gateway");
  g_assert_cmpstr (kinema_task_get_remote_id (back), ==, "task_Qw3rTy");
  g_assert_cmpint (kinema_task_get_status (back), ==, KINEMA_TASK_STATUS_DOWNLOADING);
  g_assert_cmpfloat (kinema_task_get_progress (back), ==, 0.25);
  g_assert_cmpstr (kinema_task_get_status_message (back), ==, "Trying again");
  g_assert_cmpstr (kinema_task_get_video_url (back), ==, "https://cdn.example.test/out/fox.mp4");
  g_assert_cmpstr (kinema_task_get_video_path (back), ==, "/v/fox.mp4");
  g_assert_cmpstr (kinema_task_get_thumbnail_path (back), ==, "/t/fox.png");
  g_assert_cmpstr (kinema_task_get_part_path (back), ==, "/v/fox.part");
  g_assert_cmpstr (kinema_task_get_video_id (back), ==, "v-Fox-1");
  g_assert_cmpfloat (kinema_task_get_units_charged (back), ==, 2.5);
  g_assert_cmpint (kinema_task_get_link_kind (back), ==, KINEMA_LINK_CONTINUE);
  g_assert_cmpstr (kinema_task_get_parent_id (back), ==, "99999999-9999-4999-8999-999999999999");
  g_assert_cmpfloat_with_epsilon (kinema_task_get_parent_time (back), 4.96, 1e-9);
  g_assert_cmpint (kinema_task_get_created_at (back), ==, kinema_task_get_created_at (task));
  g_assert_cmpint (kinema_task_get_submitted_at (back), ==, 1001);
  g_assert_cmpint (kinema_task_get_started_at (back), ==, 1002);
  g_assert_cmpint (kinema_task_get_finished_at (back), ==, 1003);
  g_assert_true (kinema_task_get_is_demo (back));

  g_assert_error (kinema_task_get_error (back), KINEMA_ERROR, KINEMA_ERROR_RATE_LIMITED);
  g_assert_cmpstr (kinema_task_get_error (back)->message, ==, kinema_task_get_error (task)->message);
  details = kinema_error_get_details (kinema_task_get_error (back));
  g_assert_nonnull (details);
  g_assert_cmpuint (details->http_status, ==, 429);
  g_assert_cmpstr (details->provider_code, ==, "1302");
  g_assert_cmpstr (details->request_id, ==, "r-9");

  request = kinema_task_get_request (back);
  g_assert_cmpint (kinema_request_get_kind (request), ==, KINEMA_TASK_KIND_IMAGE_TO_VIDEO);
  g_assert_cmpstr (kinema_request_get_model (request), ==, "kling-v2-6");
  g_assert_cmpstr (kinema_request_get_prompt (request), ==, "Ein Fuchs dreht den Kopf — 狐狸");
  g_assert_cmpstr (kinema_request_get_negative_prompt (request), ==, "blur");
  g_assert_cmpstr (kinema_request_get_image (request), ==, "/home/u/fox.jpg");
  g_assert_cmpint (kinema_request_get_mode (request), ==, KINEMA_MODE_PRO);
  g_assert_cmpuint (kinema_request_get_duration (request), ==, 10);
  g_assert_cmpfloat_with_epsilon (kinema_request_get_cfg_scale (request), 0.25, 1e-9);
  g_assert_cmpstr (kinema_request_get_external_task_id (request), ==, kinema_task_get_id (task));
}

static void
test_order_delete_wal (Fixture      *f,
                       gconstpointer data)
{
  g_autoptr(KinemaHistory) history = kinema_history_new (f->data_dir);
  g_autoptr(KinemaTask) older = full_task ();
  g_autoptr(KinemaTask) newer = full_task ();
  g_autoptr(KinemaTask) gone = full_task ();
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult    *flushed = NULL;
  g_autofree char *mode = NULL;
  g_autofree char *version = NULL;
  sqlite3         *db;

  kinema_task_set_created_at (older, 10);
  kinema_task_set_created_at (newer, 20);
  kinema_task_set_created_at (gone, 30);

  /* Many changes of one task, in order: the last one wins. */
  for (guint i = 0; i <= 100; i++)
    {
      kinema_task_set_progress (older, i / 100.0);
      kinema_history_save (history, older);
    }
  kinema_task_set_status (older, KINEMA_TASK_STATUS_SUCCEEDED);
  kinema_history_save (history, older);
  kinema_history_save (history, newer);
  kinema_history_save (history, gone);
  kinema_history_delete (history, kinema_task_get_id (gone));

  kinema_history_flush_async (history, NULL, test_result_cb, &flushed);
  while (flushed == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (kinema_history_flush_finish (history, flushed, &error));
  g_assert_no_error (error);
  g_object_unref (flushed);

  tasks = load (history, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, 2);
  g_assert_cmpstr (kinema_task_get_id (g_ptr_array_index (tasks, 0)), ==, kinema_task_get_id (newer));
  g_assert_cmpstr (kinema_task_get_id (g_ptr_array_index (tasks, 1)), ==, kinema_task_get_id (older));
  g_assert_cmpint (kinema_task_get_status (g_ptr_array_index (tasks, 1)), ==, KINEMA_TASK_STATUS_SUCCEEDED);
  g_assert_cmpfloat (kinema_task_get_progress (g_ptr_array_index (tasks, 1)), ==, 1.0);

  /* WAL mode, the current schema version, model/mode/duration columns. */
  db = open_raw (f);
  mode = query_text (db, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  version = query_text (db, "PRAGMA user_version");
  g_assert_cmpint (atoi (version), ==, KINEMA_HISTORY_SCHEMA_VERSION);
  {
    g_autofree char *model = query_text (db, "SELECT model || '/' || mode || '/' || duration FROM tasks LIMIT 1");

    g_assert_cmpstr (model, ==, "kling-v2-6/pro/10");
  }
  sqlite3_close (db);
}

/* The schema of version 1, as the first release wrote it. */
static const char v1_schema[] =
    "CREATE TABLE tasks ("
    "  id TEXT PRIMARY KEY NOT NULL, provider_id TEXT NOT NULL, provider_name TEXT,"
    "  request TEXT NOT NULL, remote_id TEXT, status INTEGER NOT NULL,"
    "  progress REAL NOT NULL DEFAULT -1, status_message TEXT, error_domain TEXT,"
    "  error_code INTEGER NOT NULL DEFAULT 0, error_message TEXT, video_url TEXT, video_path TEXT,"
    "  created_at INTEGER NOT NULL, submitted_at INTEGER NOT NULL DEFAULT 0,"
    "  started_at INTEGER NOT NULL DEFAULT 0, finished_at INTEGER NOT NULL DEFAULT 0,"
    "  is_demo INTEGER NOT NULL DEFAULT 0);"
    "INSERT INTO tasks (id, provider_id, provider_name, request, remote_id, status, error_domain, error_code,"
    "  error_message, video_path, created_at, submitted_at, finished_at) VALUES"
    "  ('11111111-1111-4111-8111-111111111111', 'kling', 'Kling',"
    "   '{\"kind\":\"text-to-video\",\"model\":\"kling-v2-1-master\",\"prompt\":\"Old boat\",\"mode\":\"pro\","
    "     \"duration\":10,\"aspect_ratio\":\"9:16\"}',"
    "   '8800001', 4, NULL, 0, NULL, '/v/old.mp4', 100, 200, 300),"
    "  ('22222222-2222-4222-8222-222222222222', 'kling', 'Kling',"
    "   '{\"kind\":\"text-to-video\",\"model\":\"kling-v1\",\"prompt\":\"Failed one\"}',"
    "   NULL, 5, 'KinemaError', 15, 'The job failed.', NULL, 50, 0, 60);"
    "PRAGMA user_version = 1;";

static void
test_migrate_v1 (Fixture      *f,
                 gconstpointer data)
{
  g_autoptr(KinemaHistory) history = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *version = NULL;
  g_autofree char *columns = NULL;
  KinemaTask      *old;
  KinemaTask      *failed;
  sqlite3         *db = open_raw (f);

  g_assert_cmpint (sqlite3_exec (db, v1_schema, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  history = kinema_history_new (f->data_dir);
  tasks = load (history, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, 2);

  old = g_ptr_array_index (tasks, 0);
  g_assert_cmpstr (kinema_task_get_id (old), ==, "11111111-1111-4111-8111-111111111111");
  g_assert_cmpint (kinema_task_get_status (old), ==, KINEMA_TASK_STATUS_SUCCEEDED);
  g_assert_cmpstr (kinema_task_get_prompt (old), ==, "Old boat");
  g_assert_cmpstr (kinema_task_get_video_path (old), ==, "/v/old.mp4");
  g_assert_null (kinema_task_get_thumbnail_path (old));
  g_assert_cmpint (kinema_request_get_mode (kinema_task_get_request (old)), ==, KINEMA_MODE_PRO);

  failed = g_ptr_array_index (tasks, 1);
  g_assert_error (kinema_task_get_error (failed), KINEMA_ERROR, KINEMA_ERROR_TASK_FAILED);
  g_assert_cmpstr (kinema_task_get_error (failed)->message, ==, "The job failed.");

  /* The new columns exist and were filled from the request. */
  g_assert_true (kinema_history_flush_sync (history, &error));
  db = open_raw (f);
  version = query_text (db, "PRAGMA user_version");
  g_assert_cmpint (atoi (version), ==, KINEMA_HISTORY_SCHEMA_VERSION);
  columns = query_text (db, "SELECT model || '/' || mode || '/' || duration FROM tasks WHERE remote_id = '8800001'");
  g_assert_cmpstr (columns, ==, "kling-v2-1-master/pro/10");
  sqlite3_close (db);

  /* Writing after the migration works. */
  kinema_task_set_thumbnail_path (old, "/t/old.png");
  kinema_history_save (history, old);
  g_assert_true (kinema_history_flush_sync (history, &error));
  g_assert_no_error (error);
}

/* The schema of version 2 (before continuations), with one finished task. */
static const char v2_schema[] =
    "CREATE TABLE tasks ("
    "  id TEXT PRIMARY KEY NOT NULL, provider_id TEXT NOT NULL, provider_name TEXT,"
    "  request TEXT NOT NULL, remote_id TEXT, status INTEGER NOT NULL,"
    "  progress REAL NOT NULL DEFAULT -1, status_message TEXT, error_domain TEXT,"
    "  error_code INTEGER NOT NULL DEFAULT 0, error_message TEXT, video_url TEXT, video_path TEXT,"
    "  created_at INTEGER NOT NULL, submitted_at INTEGER NOT NULL DEFAULT 0,"
    "  started_at INTEGER NOT NULL DEFAULT 0, finished_at INTEGER NOT NULL DEFAULT 0,"
    "  is_demo INTEGER NOT NULL DEFAULT 0, thumbnail_path TEXT, part_path TEXT, error_details TEXT,"
    "  model TEXT, mode TEXT, duration INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX tasks_by_created ON tasks (created_at DESC);"
    "INSERT INTO tasks (id, provider_id, provider_name, request, remote_id, status, video_path, created_at,"
    "  model, mode, duration) VALUES"
    "  ('33333333-3333-4333-8333-333333333333', 'kling', 'Kling',"
    "   '{\"kind\":\"image-to-video\",\"model\":\"kling-v2-6\",\"prompt\":\"A kite\",\"image\":\"/i/k.png\","
    "     \"mode\":\"pro\",\"duration\":5}',"
    "   '8800003', 4, '/v/kite.mp4', 100, 'kling-v2-6', 'pro', 5);"
    "PRAGMA user_version = 2;";

static void
test_migrate_v2 (Fixture      *f,
                 gconstpointer data)
{
  g_autoptr(KinemaHistory) history = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KinemaRequest) request = NULL;
  g_autoptr(KinemaTask) next = NULL;
  g_autofree char *version = NULL;
  g_autofree char *columns = NULL;
  g_autofree char *link = NULL;
  KinemaTask      *old;
  sqlite3         *db = open_raw (f);

  g_assert_cmpint (sqlite3_exec (db, v2_schema, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  history = kinema_history_new (f->data_dir);
  tasks = load (history, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, 1);
  old = g_ptr_array_index (tasks, 0);
  g_assert_cmpstr (kinema_task_get_prompt (old), ==, "A kite");
  g_assert_cmpstr (kinema_task_get_video_path (old), ==, "/v/kite.mp4");
  g_assert_null (kinema_task_get_video_id (old));
  /* schema 5: a job from before says nothing of its cost */
  g_assert_cmpfloat (kinema_task_get_units_charged (old), ==, -1);
  g_assert_cmpint (kinema_task_get_link_kind (old), ==, KINEMA_LINK_NONE);
  g_assert_null (kinema_task_get_parent_id (old));
  g_assert_cmpfloat (kinema_task_get_parent_time (old), ==, -1);

  /* A continuation of the old clip is stored with its link in the new columns. */
  request = kinema_request_copy (kinema_task_get_request (old));
  kinema_request_set_link (request, KINEMA_LINK_EXTEND, kinema_task_get_id (old), 5.0);
  kinema_request_set_video_id (request, "v-kite");
  next = kinema_task_new (NULL, "kling", "Kling", request, FALSE);
  kinema_task_set_created_at (next, 200);
  kinema_history_save (history, next);
  g_assert_true (kinema_history_flush_sync (history, &error));
  g_assert_no_error (error);

  db = open_raw (f);
  version = query_text (db, "PRAGMA user_version");
  g_assert_cmpint (atoi (version), ==, KINEMA_HISTORY_SCHEMA_VERSION);
  columns = query_text (db, "SELECT count(*) || '/' || coalesce (max (video_id), '-') || '/' || "
                            "coalesce (max (link_kind), '-') || '/' || max (parent_time) FROM tasks "
                            "WHERE remote_id = '8800003'");
  g_assert_cmpstr (columns, ==, "1/-/-/-1.0");
  link = query_text (db, "SELECT link_kind || '/' || parent_id || '/' || parent_time FROM tasks "
                         "WHERE parent_id IS NOT NULL");
  g_assert_cmpstr (link, ==, "extend/33333333-3333-4333-8333-333333333333/5.0");
  sqlite3_close (db);

  g_clear_pointer (&tasks, g_ptr_array_unref);
  tasks = load (history, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, 2);
  g_assert_cmpstr (kinema_task_get_parent_id (g_ptr_array_index (tasks, 0)), ==,
                   "33333333-3333-4333-8333-333333333333");
  g_assert_cmpint (kinema_task_get_link_kind (g_ptr_array_index (tasks, 0)), ==, KINEMA_LINK_EXTEND);
  g_assert_cmpstr (kinema_request_get_video_id (kinema_task_get_request (g_ptr_array_index (tasks, 0))), ==,
                   "v-kite");
}

/* The sidecar next to a continuation names the clip it continues, at the top level
 * and inside the request, and reading it back keeps the link. */
static void
test_sidecar_link (Fixture      *f,
                   gconstpointer data)
{
  g_autoptr(KinemaTask) task = full_task ();
  g_autoptr(KinemaRequest) back = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *video = g_build_filename (f->dir, "clip.mp4", NULL);
  g_autofree char *path = kinema_sidecar_path_for (video);
  JsonObject      *root;
  JsonObject      *link;

  g_assert_true (kinema_sidecar_write (video, task, &error));
  g_assert_no_error (error);

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "video_id"), ==, "v-Fox-1");
  g_assert_cmpfloat (json_object_get_double_member (root, "units_charged"), ==, 2.5);
  link = json_object_get_object_member (root, "continues");
  g_assert_nonnull (link);
  g_assert_cmpstr (json_object_get_string_member (link, "kind"), ==, "continue");
  g_assert_cmpstr (json_object_get_string_member (link, "task_id"), ==, "99999999-9999-4999-8999-999999999999");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (link, "time"), 4.96, 1e-9);

  g_assert_true (kinema_sidecar_read (video, &back, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kinema_request_get_link_kind (back), ==, KINEMA_LINK_CONTINUE);
  g_assert_cmpstr (kinema_request_get_parent_task_id (back), ==, "99999999-9999-4999-8999-999999999999");
  g_assert_cmpfloat_with_epsilon (kinema_request_get_parent_time (back), 4.96, 1e-9);

  /* A job of its own writes no link. */
  {
    g_autoptr(KinemaRequest) plain = kinema_request_new (KINEMA_TASK_KIND_TEXT_TO_VIDEO);
    g_autoptr(KinemaTask) own = NULL;
    g_autoptr(JsonParser) again = json_parser_new ();

    kinema_request_set_prompt (plain, "A boat");
    own = kinema_task_new (NULL, "demo", "Demo", plain, TRUE);
    g_assert_true (kinema_sidecar_write (video, own, &error));
    g_assert_true (json_parser_load_from_file (again, path, &error));
    root = json_node_get_object (json_parser_get_root (again));
    g_assert_false (json_object_has_member (root, "continues"));
    g_assert_false (json_object_has_member (root, "video_id"));
    g_assert_false (json_object_has_member (root, "units_charged"));
    g_assert_null (kinema_task_get_parent_id (own));
  }
}

/* A video extension (Kling docs, "Video Extension") keeps its kind, video id and EXTEND
 * link through the history and the sidecar, so after a restart it polls
 * /v1/videos/video-extend/{id} again (kinema-api-style.c builds the route from the kind). */
static void
test_extension_round_trip (Fixture      *f,
                           gconstpointer data)
{
  g_autoptr(KinemaRequest) parent = kinema_request_new (KINEMA_TASK_KIND_TEXT_TO_VIDEO);
  g_autoptr(KinemaRequest) request = NULL;
  g_autoptr(KinemaRequest) from_sidecar = NULL;
  g_autoptr(KinemaTask) task = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *video = g_build_filename (f->dir, "extended.mp4", NULL);
  KinemaTask      *back;

  kinema_request_set_model (parent, "kling-v1-6");
  kinema_request_set_prompt (parent, "A boat");
  request = kinema_request_new_extension (parent, "11111111-1111-4111-8111-111111111111", "v-src-1", 5.1);
  kinema_request_set_prompt (request, "The boat sails on");
  task = kinema_task_new (NULL, "kling", "Kling", request, FALSE);
  kinema_task_set_remote_id (task, "880000000000000009");
  kinema_task_set_status (task, KINEMA_TASK_STATUS_RUNNING);

  tasks = save_and_reload (f, task);
  back = g_ptr_array_index (tasks, 0);
  g_assert_cmpint (kinema_task_get_kind (back), ==, KINEMA_TASK_KIND_VIDEO_EXTEND);
  g_assert_cmpint (kinema_task_get_status (back), ==, KINEMA_TASK_STATUS_RUNNING);
  g_assert_cmpstr (kinema_request_get_video_id (kinema_task_get_request (back)), ==, "v-src-1");
  g_assert_cmpstr (kinema_task_get_prompt (back), ==, "The boat sails on");
  g_assert_cmpint (kinema_task_get_link_kind (back), ==, KINEMA_LINK_EXTEND);
  g_assert_cmpstr (kinema_task_get_parent_id (back), ==, "11111111-1111-4111-8111-111111111111");
  g_assert_cmpfloat_with_epsilon (kinema_task_get_parent_time (back), 5.1, 1e-9);

  g_assert_true (kinema_sidecar_write (video, back, &error));
  g_assert_no_error (error);
  g_assert_true (kinema_sidecar_read (video, &from_sidecar, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kinema_request_get_kind (from_sidecar), ==, KINEMA_TASK_KIND_VIDEO_EXTEND);
  g_assert_cmpint (kinema_request_get_link_kind (from_sidecar), ==, KINEMA_LINK_EXTEND);
  g_assert_cmpstr (kinema_request_get_video_id (from_sidecar), ==, "v-src-1");
}

static void
test_newer_refused (Fixture      *f,
                    gconstpointer data)
{
  g_autoptr(KinemaHistory) history = NULL;
  g_autoptr(KinemaTask) task = full_task ();
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *count = NULL;
  sqlite3         *db = open_raw (f);

  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE future (x); PRAGMA user_version = 99;", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  sqlite3_close (db);

  history = kinema_history_new (f->data_dir);
  tasks = load (history, &error);
  g_assert_null (tasks);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_DISK);
  g_clear_error (&error);

  /* Writes fail too, and the barrier says so (nothing would be sent). */
  kinema_history_save (history, task);
  g_assert_false (kinema_history_flush_sync (history, &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_DISK);
  /* A newer Kinema's history is not "unreadable": it stays where it is. */
  g_assert_null (kinema_history_get_moved_aside (history));
  g_clear_object (&history);

  db = open_raw (f);
  count = query_text (db, "PRAGMA user_version");
  g_assert_cmpstr (count, ==, "99");
  sqlite3_close (db);
}

static char *
history_path (Fixture *f)
{
  return g_build_filename (f->data_dir, "history.db", NULL);
}

static void
assert_private (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

/* Loads a history whose file is unreadable: the load succeeds with no tasks, the old
 * file is next to it, unchanged, and the new history works and is private. */
static void
assert_moved_aside (Fixture    *f,
                    const char *old_contents,
                    gsize       old_length)
{
  g_autoptr(KinemaHistory) history = kinema_history_new (f->data_dir);
  g_autoptr(KinemaTask) task = full_task ();
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = history_path (f);
  g_autofree char *aside_contents = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *aside = NULL;
  gsize            aside_length;

  tasks = load (history, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tasks);
  g_assert_cmpuint (tasks->len, ==, 0);
  g_clear_pointer (&tasks, g_ptr_array_unref);

  aside = g_strdup (kinema_history_get_moved_aside (history));
  g_assert_nonnull (aside);
  basename = g_path_get_basename (aside);
  g_assert_true (g_str_has_prefix (basename, "history.db.unreadable-"));
  g_assert_true (g_file_get_contents (aside, &aside_contents, &aside_length, NULL));
  g_assert_cmpmem (aside_contents, aside_length, old_contents, old_length);

  kinema_history_save (history, task);
  g_assert_true (kinema_history_flush_sync (history, &error));
  g_assert_no_error (error);
  assert_private (path);
  g_clear_object (&history);

  history = kinema_history_new (f->data_dir);
  tasks = load (history, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, 1);
  g_assert_null (kinema_history_get_moved_aside (history));
  g_assert_true (g_file_test (aside, G_FILE_TEST_IS_REGULAR));
}

static void
test_unreadable_garbage (Fixture      *f,
                         gconstpointer data)
{
  g_autofree char *path = history_path (f);
  char             garbage[8192];

  for (gsize i = 0; i < sizeof garbage; i++)
    garbage[i] = (char) ((i * 131 + 7) % 251);
  g_mkdir_with_parents (f->data_dir, 0700);
  g_assert_true (g_file_set_contents (path, garbage, sizeof garbage, NULL));
  assert_moved_aside (f, garbage, sizeof garbage);
}

static void
test_unreadable_truncated (Fixture      *f,
                           gconstpointer data)
{
  g_autoptr(KinemaHistory) history = kinema_history_new (f->data_dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = history_path (f);
  g_autofree char *contents = NULL;
  gsize            length;

  for (guint i = 0; i < 400; i++)
    {
      g_autoptr(KinemaTask) task = full_task ();

      kinema_history_save (history, task);
    }
  g_assert_true (kinema_history_flush_sync (history, &error));
  g_clear_object (&history); /* closing checkpoints the WAL into history.db */

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 64 * 1024);
  /* Cut off in the middle, as by a full disk or a broken copy. */
  g_assert_true (g_file_set_contents (path, contents, length / 2, NULL));
  assert_moved_aside (f, contents, length / 2);
}

static void
test_unreadable_schema (Fixture      *f,
                        gconstpointer data)
{
  g_autofree char *ours = g_strdup_printf ("CREATE TABLE tasks (x); PRAGMA user_version = %d;",
                                           KINEMA_HISTORY_SCHEMA_VERSION);
  const char      *schemas[] = {
         /* our version number, other tables */
    ours,
    /* not Kinema's at all: another program's database */
    "CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT);",
  };

  for (guint i = 0; i < G_N_ELEMENTS (schemas); i++)
    {
      g_autofree char *path = history_path (f);
      g_autofree char *contents = NULL;
      gsize            length;
      sqlite3         *db;

      remove_tree (f->data_dir);
      db = open_raw (f);
      g_assert_cmpint (sqlite3_exec (db, schemas[i], NULL, NULL, NULL), ==, SQLITE_OK);
      sqlite3_close (db);
      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      assert_moved_aside (f, contents, length);
    }
}

static void
test_private (Fixture      *f,
              gconstpointer data)
{
  g_autoptr(KinemaHistory) history = kinema_history_new (f->data_dir);
  g_autoptr(KinemaTask) task = full_task ();
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = history_path (f);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  mode_t           mask = umask (022);

  kinema_history_save (history, task);
  g_assert_true (kinema_history_flush_sync (history, &error));
  assert_private (path);
  assert_private (wal);
  g_clear_object (&history);

  /* A history an older Kinema left readable by others is narrowed when opened. */
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  history = kinema_history_new (f->data_dir);
  tasks = load (history, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, 1);
  assert_private (path);
  umask (mask);
}

static void
test_load_10k (Fixture      *f,
               gconstpointer data)
{
  g_autoptr(KinemaHistory) history = kinema_history_new (f->data_dir);
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3      *db;
  sqlite3_stmt *stmt = NULL;

  /* Create the schema through the history, then fill it in one transaction. */
  tasks = load (history, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, 0);
  g_clear_pointer (&tasks, g_ptr_array_unref);
  g_clear_object (&history);

  db = open_raw (f);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO tasks (id, provider_id, request, status, created_at, model, mode, "
                                       "duration) VALUES (?1, 'demo', ?2, ?3, ?4, 'kling-v2-5-turbo', 'std', 5)",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  for (guint i = 0; i < 10000; i++)
    {
      g_autofree char *id = g_strdup_printf ("task-%05u", i);
      g_autofree char *request = g_strdup_printf ("{\"kind\":\"text-to-video\",\"model\":\"kling-v2-5-turbo\","
                                                  "\"prompt\":\"Prompt number %u\",\"duration\":5}",
                                                  i);

      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, request, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 3, i % 7 == 0 ? KINEMA_TASK_STATUS_FAILED : KINEMA_TASK_STATUS_SUCCEEDED);
      sqlite3_bind_int64 (stmt, 4, (gint64) i * 1000);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  history = kinema_history_new (f->data_dir);
  tasks = load (history, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, 10000);
  /* Newest first. */
  g_assert_cmpstr (kinema_task_get_id (g_ptr_array_index (tasks, 0)), ==, "task-09999");
  g_assert_cmpstr (kinema_task_get_prompt (g_ptr_array_index (tasks, 9999)), ==, "Prompt number 0");
  g_assert_cmpint (kinema_task_get_status (g_ptr_array_index (tasks, 7)), ==, KINEMA_TASK_STATUS_SUCCEEDED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/kinema/history/round-trip", Fixture, NULL, fixture_setup, test_round_trip, fixture_teardown);
  g_test_add ("/kinema/history/order-delete-wal", Fixture, NULL, fixture_setup, test_order_delete_wal,
              fixture_teardown);
  g_test_add ("/kinema/history/migrate-v1", Fixture, NULL, fixture_setup, test_migrate_v1, fixture_teardown);
  g_test_add ("/kinema/history/migrate-v2", Fixture, NULL, fixture_setup, test_migrate_v2, fixture_teardown);
  g_test_add ("/kinema/history/sidecar-link", Fixture, NULL, fixture_setup, test_sidecar_link, fixture_teardown);
  g_test_add ("/kinema/history/extension-round-trip", Fixture, NULL, fixture_setup, test_extension_round_trip,
              fixture_teardown);
  g_test_add ("/kinema/history/newer-refused", Fixture, NULL, fixture_setup, test_newer_refused, fixture_teardown);
  g_test_add ("/kinema/history/unreadable-garbage", Fixture, NULL, fixture_setup, test_unreadable_garbage,
              fixture_teardown);
  g_test_add ("/kinema/history/unreadable-truncated", Fixture, NULL, fixture_setup, test_unreadable_truncated,
              fixture_teardown);
  g_test_add ("/kinema/history/unreadable-schema", Fixture, NULL, fixture_setup, test_unreadable_schema,
              fixture_teardown);
  g_test_add ("/kinema/history/private", Fixture, NULL, fixture_setup, test_private, fixture_teardown);
  g_test_add ("/kinema/history/load-10k", Fixture, NULL, fixture_setup, test_load_10k, fixture_teardown);

  return g_test_run ();
}
