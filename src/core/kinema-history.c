/* kinema-history.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-history"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "kinema-json.h"
#include "kinema-capabilities.h"
#include "kinema-error.h"
#include "kinema-history.h"
#include "kinema-task-private.h"

/* One row as it goes to the disk: owned copies, made on the main thread. */
typedef struct
{
  char  *id;
  char  *provider_id;
  char  *provider_name;
  char  *request_json;
  char  *model;
  char  *mode;
  gint64 duration;
  char  *remote_id;
  int    status;
  double progress;
  char  *status_message;
  char  *error_domain;
  int    error_code;
  char  *error_message;
  char  *error_details;
  char  *video_url;
  char  *video_path;
  char  *thumbnail_path;
  char  *part_path;
  gint64 created_at;
  gint64 submitted_at;
  gint64 started_at;
  gint64 finished_at;
  int    is_demo;
  char  *video_id;
  char  *link_kind;
  char  *parent_id;
  double parent_time;
  double units_charged;
} Row;

/* A story as it goes to the disk. */
typedef struct
{
  char  *id;
  char  *title;
  gint64 created_at;
  gint64 updated_at;
  GStrv  shots;
} StoryRow;

static void
story_row_free (StoryRow *row)
{
  if (row == NULL)
    return;
  g_free (row->id);
  g_free (row->title);
  g_strfreev (row->shots);
  g_free (row);
}

typedef enum
{
  JOB_SAVE,
  JOB_DELETE,
  JOB_STORY_SAVE,
  JOB_STORY_DELETE,
  JOB_STORY_LOAD,
  JOB_LOAD,
  JOB_FLUSH,
  JOB_SYNC,
  JOB_QUIT,
} JobKind;

typedef struct
{
  JobKind kind;
  Row    *row;
  char   *id;
  GTask  *task;
  /* JOB_SYNC */
  GMutex  *mutex;
  GCond   *cond;
  gboolean done;
  GError  *error;
  /* JOB_LOAD result (KinemaTask), JOB_STORY_LOAD result (KinemaStory) */
  GPtrArray *tasks;
  /* JOB_STORY_SAVE */
  StoryRow *story;
} Job;

struct _KinemaHistory
{
  GObject parent_instance;

  char        *data_dir;
  char        *path;
  GAsyncQueue *queue;
  GThread     *thread;

  /* Worker thread only */
  sqlite3      *db;
  sqlite3_stmt *upsert;
  sqlite3_stmt *remove;
  GError       *open_error;
  GError       *write_error; /* first since the last flush */
  gboolean      opened;

  /* Set once by the worker when it opened an unreadable history; read anywhere. */
  char *moved_aside;
};

G_DEFINE_FINAL_TYPE (KinemaHistory, kinema_history, G_TYPE_OBJECT)

/* clang-format off */
static const char *migrations[] = {
  /* 0 -> 1 */
  "CREATE TABLE tasks ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  provider_id TEXT NOT NULL,"
  "  provider_name TEXT,"
  "  request TEXT NOT NULL,"
  "  remote_id TEXT,"
  "  status INTEGER NOT NULL,"
  "  progress REAL NOT NULL DEFAULT -1,"
  "  status_message TEXT,"
  "  error_domain TEXT,"
  "  error_code INTEGER NOT NULL DEFAULT 0,"
  "  error_message TEXT,"
  "  video_url TEXT,"
  "  video_path TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  submitted_at INTEGER NOT NULL DEFAULT 0,"
  "  started_at INTEGER NOT NULL DEFAULT 0,"
  "  finished_at INTEGER NOT NULL DEFAULT 0,"
  "  is_demo INTEGER NOT NULL DEFAULT 0"
  ");",
  /* 1 -> 2: thumbnails, resumable downloads, error details, and the request's
   * model/mode/duration as columns (for the learned job durations). */
  "ALTER TABLE tasks ADD COLUMN thumbnail_path TEXT;"
  "ALTER TABLE tasks ADD COLUMN part_path TEXT;"
  "ALTER TABLE tasks ADD COLUMN error_details TEXT;"
  "ALTER TABLE tasks ADD COLUMN model TEXT;"
  "ALTER TABLE tasks ADD COLUMN mode TEXT;"
  "ALTER TABLE tasks ADD COLUMN duration INTEGER NOT NULL DEFAULT 0;"
  "UPDATE tasks SET model = json_extract (request, '$.model'),"
  "                 mode = json_extract (request, '$.mode'),"
  "                 duration = coalesce (json_extract (request, '$.duration'), 0)"
  "  WHERE json_valid (request);"
  "CREATE INDEX tasks_by_created ON tasks (created_at DESC);",
  /* 2 -> 3: the clip a job continues (issue 14; also kept in the request's
   * "continues" member) and the provider's id of the finished video (extension). */
  "ALTER TABLE tasks ADD COLUMN video_id TEXT;"
  "ALTER TABLE tasks ADD COLUMN link_kind TEXT;"
  "ALTER TABLE tasks ADD COLUMN parent_id TEXT;"
  "ALTER TABLE tasks ADD COLUMN parent_time REAL NOT NULL DEFAULT -1;"
  "UPDATE tasks SET link_kind = json_extract (request, '$.continues.kind'),"
  "                 parent_id = json_extract (request, '$.continues.task_id'),"
  "                 parent_time = coalesce (json_extract (request, '$.continues.time'), -1)"
  "  WHERE json_valid (request) AND json_type (request, '$.continues') = 'object';"
  "CREATE INDEX tasks_by_parent ON tasks (parent_id) WHERE parent_id IS NOT NULL;",
  /* 3 -> 4: stories (issue 14), each an ordered list of shots (task ids). */
  "CREATE TABLE stories ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  title TEXT NOT NULL DEFAULT '',"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL);"
  "CREATE TABLE story_shots ("
  "  story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  task_id TEXT NOT NULL,"
  "  PRIMARY KEY (story_id, position));"
  "CREATE INDEX story_shots_by_task ON story_shots (task_id);",
  /* 4 -> 5: what a finished job really cost (Kling's final_unit_deduction; -1 unknown). */
  "ALTER TABLE tasks ADD COLUMN units_charged REAL NOT NULL DEFAULT -1;",
};
/* clang-format on */

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == KINEMA_HISTORY_SCHEMA_VERSION);

#define COLUMNS                                                                    \
  "id, provider_id, provider_name, request, remote_id, status, progress, "         \
  "status_message, error_domain, error_code, error_message, error_details, "       \
  "video_url, video_path, thumbnail_path, part_path, created_at, submitted_at, "   \
  "started_at, finished_at, is_demo, model, mode, duration, video_id, link_kind, " \
  "parent_id, parent_time, units_charged"

static void
row_free (Row *row)
{
  if (row == NULL)
    return;
  g_free (row->id);
  g_free (row->provider_id);
  g_free (row->provider_name);
  g_free (row->request_json);
  g_free (row->model);
  g_free (row->mode);
  g_free (row->remote_id);
  g_free (row->status_message);
  g_free (row->error_domain);
  g_free (row->error_message);
  g_free (row->error_details);
  g_free (row->video_url);
  g_free (row->video_path);
  g_free (row->thumbnail_path);
  g_free (row->part_path);
  g_free (row->video_id);
  g_free (row->link_kind);
  g_free (row->parent_id);
  g_free (row);
}

static void
job_free (Job *job)
{
  row_free (job->row);
  g_free (job->id);
  g_clear_object (&job->task);
  g_clear_error (&job->error);
  g_clear_pointer (&job->tasks, g_ptr_array_unref);
  story_row_free (job->story);
  g_free (job);
}

/* Runs on the GTask's own context: the task (and its reference to the history) is
 * always dropped there, never on the worker thread. */
static gboolean
complete_job (gpointer data)
{
  Job *job = data;

  if (job->error != NULL)
    g_task_return_error (job->task, g_steal_pointer (&job->error));
  else if (job->kind == JOB_LOAD || job->kind == JOB_STORY_LOAD)
    g_task_return_pointer (job->task, g_steal_pointer (&job->tasks), (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_boolean (job->task, TRUE);
  job_free (job);
  return G_SOURCE_REMOVE;
}

static void
complete_in_context (Job *job)
{
  g_main_context_invoke (g_task_get_context (job->task), complete_job, job);
}

/* ------------------------------------------------------------------------- */
/* Worker thread */

static GError *
db_error (KinemaHistory *self,
          const char    *what)
{
  const char *detail = self->db != NULL ? sqlite3_errmsg (self->db) : "no database";
  int         code = self->db != NULL ? sqlite3_errcode (self->db) : SQLITE_CANTOPEN;
  GError     *error;

  g_debug ("History: %s: %s", what, detail);
  error = kinema_error_new (KINEMA_ERROR_DISK, 0, NULL, detail, NULL);
  g_free (error->message);
  if (code == SQLITE_FULL)
    error->message = g_strdup (_("The task history could not be saved: the disk is full."));
  else if (code == SQLITE_READONLY || code == SQLITE_CANTOPEN || code == SQLITE_PERM)
    error->message = g_strdup (_("The task history could not be saved: its folder cannot be written to."));
  else
    error->message = g_strdup_printf (_("The task history could not be saved (%s)."), detail);
  return error;
}

static gboolean
exec (KinemaHistory *self,
      const char    *sql,
      GError       **error)
{
  char *message = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_propagate_error (error, db_error (self, message != NULL ? message : sql));
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

static int
get_user_version (KinemaHistory *self)
{
  sqlite3_stmt *stmt = NULL;
  int           version = -1;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

static gboolean
migrate (KinemaHistory *self,
         GError       **error)
{
  int version = get_user_version (self);

  if (version < 0)
    {
      g_propagate_error (error, db_error (self, "reading the schema version"));
      return FALSE;
    }
  if (version > KINEMA_HISTORY_SCHEMA_VERSION)
    {
      g_set_error (error, KINEMA_ERROR, KINEMA_ERROR_DISK,
                   _("The task history was written by a newer version of Kinema and cannot be read."));
      return FALSE;
    }

  for (; version < KINEMA_HISTORY_SCHEMA_VERSION; version++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      if (!exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!exec (self, migrations[version], error) || !exec (self, bump, error))
        {
          exec (self, "ROLLBACK", NULL);
          return FALSE;
        }
      if (!exec (self, "COMMIT", error))
        return FALSE;
      g_debug ("History migrated to schema %d", version + 1);
    }
  return TRUE;
}

/* history.db only for its owner: created 0600 before SQLite opens it (an empty
 * file is an empty database), and narrowed if an older Kinema left it wider. SQLite
 * gives the -wal and -shm files the database's mode. */
static gboolean
create_private (const char *path,
                GError    **error)
{
  GStatBuf st;
  int      fd;

  if (g_stat (path, &st) == 0)
    {
      if ((st.st_mode & 077) != 0 && g_chmod (path, 0600) != 0)
        g_debug ("History: cannot make %s private: %s", path, g_strerror (errno));
      return TRUE;
    }
  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno != EEXIST)
    {
      int saved = errno;

      g_set_error (error, KINEMA_ERROR, KINEMA_ERROR_DISK,
                   _("The task history %s cannot be created: %s"), path, g_strerror (saved));
      return FALSE;
    }
  if (fd >= 0)
    g_close (fd, NULL);
  return TRUE;
}

/* Codes that say the file is not (or no longer) a database in our schema, as opposed
 * to a full disk, a lock or a missing permission, which moving it aside would not mend. */
static gboolean
code_means_unreadable (int code)
{
  code &= 0xff;
  return code == SQLITE_CORRUPT || code == SQLITE_NOTADB || code == SQLITE_ERROR || code == SQLITE_SCHEMA ||
         code == SQLITE_MISMATCH || code == SQLITE_FORMAT;
}

/* PRAGMA quick_check: "ok", or the damage it found. */
static gboolean
quick_check (KinemaHistory *self,
             gboolean      *unreadable,
             GError       **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean      ok = FALSE;
  int           rc = sqlite3_prepare_v2 (self->db, "PRAGMA quick_check", -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      const char *result = (const char *) sqlite3_column_text (stmt, 0);

      ok = g_strcmp0 (result, "ok") == 0;
      if (!ok)
        {
          g_debug ("History: quick_check: %s", result != NULL ? result : "(null)");
          *unreadable = TRUE;
          g_propagate_error (error, kinema_error_new (KINEMA_ERROR_DISK, 0, NULL, result, NULL));
        }
    }
  else
    {
      *unreadable = code_means_unreadable (sqlite3_errcode (self->db));
      g_propagate_error (error, db_error (self, "checking"));
    }
  sqlite3_finalize (stmt);
  return ok;
}

/* A database that is not Kinema's: no schema version yet, but tables of its own. */
static gboolean
is_foreign (KinemaHistory *self)
{
  sqlite3_stmt *stmt = NULL;
  gboolean      foreign = FALSE;

  if (get_user_version (self) == 0 &&
      sqlite3_prepare_v2 (self->db, "SELECT count(*) FROM sqlite_master", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    foreign = sqlite3_column_int (stmt, 0) > 0;
  sqlite3_finalize (stmt);
  return foreign;
}

static void
close_db (KinemaHistory *self)
{
  g_clear_pointer (&self->upsert, sqlite3_finalize);
  g_clear_pointer (&self->remove, sqlite3_finalize);
  g_clear_pointer (&self->db, sqlite3_close);
}

/* Opens, checks and migrates. *@unreadable tells whether a failure means the file
 * cannot be Kinema's history (garbage, truncated, another schema). */
static gboolean
try_open (KinemaHistory *self,
          gboolean      *unreadable,
          GError       **error)
{
  *unreadable = FALSE;
  if (!create_private (self->path, error))
    return FALSE;
  if (sqlite3_open_v2 (self->path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      /* SQLite reads nothing when it opens: this is the folder or the permissions. */
      g_propagate_error (error, db_error (self, "opening"));
      return FALSE;
    }
  sqlite3_busy_timeout (self->db, 5000);

  if (!exec (self, "PRAGMA synchronous = FULL", error) || !exec (self, "PRAGMA foreign_keys = ON", error))
    {
      *unreadable = code_means_unreadable (sqlite3_errcode (self->db));
      return FALSE;
    }
  /* Only reads until the file is known to be a Kinema history: one moved aside is
   * left exactly as it was found. */
  if (!quick_check (self, unreadable, error))
    return FALSE;
  if (is_foreign (self))
    {
      *unreadable = TRUE;
      g_propagate_error (error, kinema_error_new (KINEMA_ERROR_DISK, 0, NULL, "not a Kinema history", NULL));
      return FALSE;
    }
  if (!migrate (self, error))
    {
      /* A newer Kinema's history is left alone; a failed migration means another schema. */
      *unreadable = get_user_version (self) <= KINEMA_HISTORY_SCHEMA_VERSION &&
                    code_means_unreadable (sqlite3_errcode (self->db));
      return FALSE;
    }

  if (sqlite3_prepare_v2 (self->db,
                          "INSERT OR REPLACE INTO tasks (" COLUMNS ") VALUES "
                          "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
                          "?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29)",
                          -1, &self->upsert, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (self->db, "DELETE FROM tasks WHERE id = ?1", -1, &self->remove, NULL) != SQLITE_OK)
    {
      /* The version is ours but the tables are not what it says. */
      *unreadable = code_means_unreadable (sqlite3_errcode (self->db));
      g_propagate_error (error, db_error (self, "preparing statements"));
      return FALSE;
    }
  return exec (self, "PRAGMA journal_mode = WAL", error);
}

/* Renames history.db (and its -wal and -shm files, which belong to it) to
 * history.db.unreadable-YYYYMMDD-HHMMSS[-N]. Nothing is deleted. */
static char *
move_aside (KinemaHistory *self,
            GError       **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char         *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char         *aside = NULL;
  static const char *const companions[] = { "-wal", "-shm" };

  for (guint n = 1; aside == NULL || g_file_test (aside, G_FILE_TEST_EXISTS); n++)
    {
      g_free (aside);
      aside = n == 1 ? g_strdup_printf ("%s.unreadable-%s", self->path, stamp)
                     : g_strdup_printf ("%s.unreadable-%s-%u", self->path, stamp, n);
    }
  if (g_rename (self->path, aside) != 0)
    {
      int saved = errno;

      g_set_error (error, KINEMA_ERROR, KINEMA_ERROR_DISK,
                   _("The task history cannot be read, and it cannot be moved aside to start a new one: %s"),
                      g_strerror (saved));
      return NULL;
    }
  for (guint i = 0; i < G_N_ELEMENTS (companions); i++)
    {
      g_autofree char *from = g_strconcat (self->path, companions[i], NULL);
      g_autofree char *to = g_strconcat (aside, companions[i], NULL);

      if (g_file_test (from, G_FILE_TEST_EXISTS) && g_rename (from, to) != 0)
        g_debug ("History: cannot move %s aside: %s", from, g_strerror (errno));
    }
  g_debug ("History: %s could not be read; moved to %s, a new one is started", self->path, aside);
  return g_steal_pointer (&aside);
}

/* Opens the history; one that cannot be read (garbage, truncated, another schema)
 * is moved aside, never deleted, and a new one is started (issue 15, point 9). */
static gboolean
open_db (KinemaHistory *self,
         GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean unreadable = FALSE;
  char    *aside;

  if (g_mkdir_with_parents (self->data_dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, KINEMA_ERROR, KINEMA_ERROR_DISK,
                   _("The task history folder %s cannot be created: %s"),
                      self->data_dir, g_strerror (saved));
      return FALSE;
    }

  if (try_open (self, &unreadable, &local_error))
    return TRUE;
  close_db (self);
  if (!unreadable)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_debug ("History: unreadable: %s", local_error->message);

  aside = move_aside (self, error);
  if (aside == NULL)
    return FALSE;
  g_atomic_pointer_set (&self->moved_aside, aside);
  if (try_open (self, &unreadable, error))
    return TRUE;
  close_db (self);
  return FALSE;
}

static gboolean
ensure_open (KinemaHistory *self,
             GError       **error)
{
  if (!self->opened)
    {
      self->opened = TRUE;
      open_db (self, &self->open_error);
    }
  if (self->open_error != NULL)
    {
      if (error != NULL)
        *error = g_error_copy (self->open_error);
      return FALSE;
    }
  return TRUE;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, index);
}

static void
note_write_error (KinemaHistory *self,
                  GError        *error)
{
  if (self->write_error == NULL)
    self->write_error = error;
  else
    g_error_free (error);
}

static void
do_save (KinemaHistory *self,
         Row           *row)
{
  sqlite3_stmt *s;
  GError       *error = NULL;

  if (!ensure_open (self, &error))
    {
      note_write_error (self, error);
      return;
    }
  s = self->upsert;

  bind_text (s, 1, row->id);
  bind_text (s, 2, row->provider_id);
  bind_text (s, 3, row->provider_name);
  bind_text (s, 4, row->request_json);
  bind_text (s, 5, row->remote_id);
  sqlite3_bind_int (s, 6, row->status);
  sqlite3_bind_double (s, 7, row->progress);
  bind_text (s, 8, row->status_message);
  bind_text (s, 9, row->error_domain);
  sqlite3_bind_int (s, 10, row->error_code);
  bind_text (s, 11, row->error_message);
  bind_text (s, 12, row->error_details);
  bind_text (s, 13, row->video_url);
  bind_text (s, 14, row->video_path);
  bind_text (s, 15, row->thumbnail_path);
  bind_text (s, 16, row->part_path);
  sqlite3_bind_int64 (s, 17, row->created_at);
  sqlite3_bind_int64 (s, 18, row->submitted_at);
  sqlite3_bind_int64 (s, 19, row->started_at);
  sqlite3_bind_int64 (s, 20, row->finished_at);
  sqlite3_bind_int (s, 21, row->is_demo);
  bind_text (s, 22, row->model);
  bind_text (s, 23, row->mode);
  sqlite3_bind_int64 (s, 24, row->duration);
  bind_text (s, 25, row->video_id);
  bind_text (s, 26, row->link_kind);
  bind_text (s, 27, row->parent_id);
  sqlite3_bind_double (s, 28, row->parent_time);
  sqlite3_bind_double (s, 29, row->units_charged);

  if (sqlite3_step (s) != SQLITE_DONE)
    note_write_error (self, db_error (self, "saving a task"));
  sqlite3_reset (s);
  sqlite3_clear_bindings (s);
}

static void
do_delete (KinemaHistory *self,
           const char    *id)
{
  GError *error = NULL;

  if (!ensure_open (self, &error))
    {
      note_write_error (self, error);
      return;
    }
  bind_text (self->remove, 1, id);
  if (sqlite3_step (self->remove) != SQLITE_DONE)
    note_write_error (self, db_error (self, "removing a task"));
  sqlite3_reset (self->remove);
  sqlite3_clear_bindings (self->remove);
}

/* ------------------------------------------------------------------------- */
/* Stories (worker thread) */

static gboolean
run_statement (KinemaHistory *self,
               const char    *sql,
               const char    *text1,
               const char    *text2,
               gint64         int3,
               gint64         int4)
{
  sqlite3_stmt *stmt = NULL;
  gboolean      ok;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  bind_text (stmt, 1, text1);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    bind_text (stmt, 2, text2);
  if (sqlite3_bind_parameter_count (stmt) >= 3)
    sqlite3_bind_int64 (stmt, 3, int3);
  if (sqlite3_bind_parameter_count (stmt) >= 4)
    sqlite3_bind_int64 (stmt, 4, int4);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);
  return ok;
}

static void
do_drop_task_shots (KinemaHistory *self,
                    const char    *task_id)
{
  if (!run_statement (self, "DELETE FROM story_shots WHERE task_id = ?1", task_id, NULL, 0, 0))
    note_write_error (self, db_error (self, "removing a task from its stories"));
}

static void
do_save_story (KinemaHistory *self,
               StoryRow      *row)
{
  GError  *error = NULL;
  gboolean ok;

  if (!ensure_open (self, &error))
    {
      note_write_error (self, error);
      return;
    }
  ok = run_statement (self,
                      "INSERT INTO stories (id, title, created_at, updated_at) VALUES (?1, ?2, ?3, ?4) "
                      "ON CONFLICT (id) DO UPDATE SET title = ?2, updated_at = ?4",
                      row->id, row->title, row->created_at, row->updated_at) &&
       run_statement (self, "DELETE FROM story_shots WHERE story_id = ?1", row->id, NULL, 0, 0);
  for (guint i = 0; ok && row->shots[i] != NULL; i++)
    ok = run_statement (self, "INSERT INTO story_shots (story_id, task_id, position) VALUES (?1, ?2, ?3)",
                        row->id, row->shots[i], i, 0);
  if (!ok)
    note_write_error (self, db_error (self, "saving a story"));
}

static void
do_delete_story (KinemaHistory *self,
                 const char    *id)
{
  GError *error = NULL;

  if (!ensure_open (self, &error))
    {
      note_write_error (self, error);
      return;
    }
  if (!run_statement (self, "DELETE FROM story_shots WHERE story_id = ?1", id, NULL, 0, 0) ||
      !run_statement (self, "DELETE FROM stories WHERE id = ?1", id, NULL, 0, 0))
    note_write_error (self, db_error (self, "removing a story"));
}

static GPtrArray *
do_load_stories (KinemaHistory *self,
                 GError       **error)
{
  g_autoptr(GPtrArray) stories = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt = NULL;
  sqlite3_stmt *shots = NULL;
  int           rc;

  if (!ensure_open (self, error))
    return NULL;

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT id, title, created_at, updated_at FROM stories ORDER BY updated_at DESC, rowid DESC",
                          -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (self->db, "SELECT task_id FROM story_shots WHERE story_id = ?1 ORDER BY position", -1,
                          &shots, NULL) != SQLITE_OK)
    {
      g_propagate_error (error, db_error (self, "reading the stories"));
      sqlite3_finalize (stmt);
      return NULL;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto (GStrv) ids = NULL;
      const char *id = (const char *) sqlite3_column_text (stmt, 0);

      if (id == NULL)
        continue;
      sqlite3_bind_text (shots, 1, id, -1, SQLITE_TRANSIENT);
      while (sqlite3_step (shots) == SQLITE_ROW)
        {
          const char *task_id = (const char *) sqlite3_column_text (shots, 0);

          if (task_id != NULL)
            g_strv_builder_add (builder, task_id);
        }
      sqlite3_reset (shots);
      ids = g_strv_builder_end (builder);
      g_ptr_array_add (stories, kinema_story_new_full (id, (const char *) sqlite3_column_text (stmt, 1),
                                                       sqlite3_column_int64 (stmt, 2),
                                                       sqlite3_column_int64 (stmt, 3), (const char *const *) ids));
    }
  sqlite3_finalize (shots);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      g_propagate_error (error, db_error (self, "reading the stories"));
      return NULL;
    }
  return g_steal_pointer (&stories);
}

static char *
dup_column (sqlite3_stmt *stmt,
            int           index)
{
  const unsigned char *text = sqlite3_column_text (stmt, index);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

static GError *
error_from_columns (sqlite3_stmt *stmt)
{
  const char *domain = (const char *) sqlite3_column_text (stmt, 8);
  const char *message = (const char *) sqlite3_column_text (stmt, 10);
  const char *details = (const char *) sqlite3_column_text (stmt, 11);
  int         code = sqlite3_column_int (stmt, 9);
  GError     *error;

  if (domain == NULL || *domain == '\0')
    return NULL;

  if (g_strcmp0 (domain, g_quark_to_string (KINEMA_ERROR)) == 0 && details != NULL)
    {
      g_autoptr(JsonNode) node = kinema_json_parse (details, -1, NULL);
      JsonObject *obj = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      if (obj != NULL)
        {
          error = kinema_error_new (code,
                                    (guint) json_object_get_int_member_with_default (obj, "http_status", 0),
                                    json_object_get_string_member_with_default (obj, "provider_code", NULL),
                                    json_object_get_string_member_with_default (obj, "provider_message", NULL),
                                    json_object_get_string_member_with_default (obj, "request_id", NULL));
          if (message != NULL)
            {
              g_free (error->message);
              error->message = g_strdup (message);
            }
          return error;
        }
    }

  return g_error_new_literal (g_quark_from_string (domain), code, message != NULL ? message : "");
}

static GPtrArray *
do_load (KinemaHistory *self,
         GError       **error)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  sqlite3_stmt *stmt = NULL;
  int           rc;

  if (!ensure_open (self, error))
    return NULL;

  if (sqlite3_prepare_v2 (self->db, "SELECT " COLUMNS " FROM tasks ORDER BY created_at DESC, rowid DESC",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      g_propagate_error (error, db_error (self, "reading"));
      return NULL;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KinemaTaskRecord record = { 0 };
      g_autoptr(GError) local_error = NULL;
      const char    *request_json = (const char *) sqlite3_column_text (stmt, 3);
      KinemaRequest *request = NULL;

      if (request_json != NULL && kinema_json_parser_load (parser, request_json, -1, &local_error))
        request = kinema_request_new_from_json (json_parser_get_root (parser), &local_error);
      if (request == NULL)
        {
          g_warning ("History: skipping task %s: %s", sqlite3_column_text (stmt, 0),
                     local_error != NULL ? local_error->message : "no request");
          continue;
        }

      record.id = dup_column (stmt, 0);
      record.provider_id = dup_column (stmt, 1);
      record.provider_name = dup_column (stmt, 2);
      record.request = request;
      record.remote_id = dup_column (stmt, 4);
      record.status = CLAMP (sqlite3_column_int (stmt, 5), KINEMA_TASK_STATUS_SUBMITTING, KINEMA_TASK_STATUS_NOT_SENT);
      record.progress = sqlite3_column_double (stmt, 6);
      record.status_message = dup_column (stmt, 7);
      record.error = error_from_columns (stmt);
      record.video_url = dup_column (stmt, 12);
      record.video_path = dup_column (stmt, 13);
      record.thumbnail_path = dup_column (stmt, 14);
      record.part_path = dup_column (stmt, 15);
      record.created_at = sqlite3_column_int64 (stmt, 16);
      record.submitted_at = sqlite3_column_int64 (stmt, 17);
      record.started_at = sqlite3_column_int64 (stmt, 18);
      record.finished_at = sqlite3_column_int64 (stmt, 19);
      record.is_demo = sqlite3_column_int (stmt, 20) != 0;
      record.video_id = dup_column (stmt, 24);
      record.units_charged = sqlite3_column_double (stmt, 28);

      if (record.id == NULL)
        {
          kinema_task_record_clear (&record);
          continue;
        }
      g_ptr_array_add (tasks, kinema_task_new_from_record (&record));
      kinema_task_record_clear (&record);
    }

  if (rc != SQLITE_DONE)
    {
      g_propagate_error (error, db_error (self, "reading"));
      sqlite3_finalize (stmt);
      return NULL;
    }
  sqlite3_finalize (stmt);
  return g_steal_pointer (&tasks);
}

static gboolean
job_is_write (const Job *job)
{
  return job->kind == JOB_SAVE || job->kind == JOB_DELETE || job->kind == JOB_STORY_SAVE ||
         job->kind == JOB_STORY_DELETE;
}

/* Runs @first and every write queued behind it in one transaction, and returns the
 * first job that is not a write (or %NULL). With synchronous = FULL each commit is
 * an fsync, and a thousand polling tasks save hundreds of times a second. */
static Job *
do_writes (KinemaHistory *self,
           Job           *first)
{
  Job     *job = first;
  gboolean in_transaction;

  in_transaction = ensure_open (self, NULL) && sqlite3_exec (self->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
  do
    {
      if (job->kind == JOB_SAVE)
        do_save (self, job->row);
      else if (job->kind == JOB_STORY_SAVE)
        do_save_story (self, job->story);
      else if (job->kind == JOB_STORY_DELETE)
        do_delete_story (self, job->id);
      else
        {
          do_delete (self, job->id);
          do_drop_task_shots (self, job->id);
        }
      job_free (job);
    }
  while ((job = g_async_queue_try_pop (self->queue)) != NULL && job_is_write (job));

  if (in_transaction && sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    {
      note_write_error (self, db_error (self, "saving tasks"));
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
    }
  return job;
}

static gpointer
worker (gpointer data)
{
  KinemaHistory *self = data;
  Job           *next = NULL;

#ifdef __linux__
  /* Background work: on a busy machine the main loop (the UI, the polls) goes first.
   * On Linux a thread has its own nice value. */
  if (setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), 10) != 0)
    g_debug ("History: cannot lower the worker's priority: %s", g_strerror (errno));
#endif

  for (;;)
    {
      Job     *job = next != NULL ? g_steal_pointer (&next) : g_async_queue_pop (self->queue);
      gboolean quit = job->kind == JOB_QUIT;

      switch (job->kind)
        {
        case JOB_SAVE:
        case JOB_DELETE:
        case JOB_STORY_SAVE:
        case JOB_STORY_DELETE:
          next = do_writes (self, job);
          job = NULL;
          break;

        case JOB_LOAD:
          job->tasks = do_load (self, &job->error);
          complete_in_context (job);
          job = NULL;
          break;

        case JOB_STORY_LOAD:
          job->tasks = do_load_stories (self, &job->error);
          complete_in_context (job);
          job = NULL;
          break;

        case JOB_FLUSH:
          if (ensure_open (self, &job->error))
            job->error = g_steal_pointer (&self->write_error);
          g_clear_error (&self->write_error);
          complete_in_context (job);
          job = NULL;
          break;

        case JOB_SYNC:
        case JOB_QUIT:
          {
            GError *error = NULL;

            if (!ensure_open (self, &error))
              job->error = error;
            else if (self->write_error != NULL)
              job->error = g_steal_pointer (&self->write_error);
            if (job->mutex != NULL)
              {
                g_mutex_lock (job->mutex);
                job->done = TRUE;
                g_cond_signal (job->cond);
                g_mutex_unlock (job->mutex);
                /* The waiting thread frees the job. */
                job = NULL;
              }
          }
          break;

        default:
          g_assert_not_reached ();
        }

      if (job != NULL)
        job_free (job);
      if (quit)
        break;
    }

  close_db (self);
  return NULL;
}

/* ------------------------------------------------------------------------- */

static void
push (KinemaHistory *self,
      Job           *job)
{
  g_async_queue_push (self->queue, job);
}

static gboolean
run_sync (KinemaHistory *self,
          JobKind        kind,
          GError       **error)
{
  GMutex   mutex;
  GCond    cond;
  Job     *job = g_new0 (Job, 1);
  gboolean ok;

  g_mutex_init (&mutex);
  g_cond_init (&cond);
  job->kind = kind;
  job->mutex = &mutex;
  job->cond = &cond;

  g_mutex_lock (&mutex);
  push (self, job);
  while (!job->done)
    g_cond_wait (&cond, &mutex);
  g_mutex_unlock (&mutex);

  ok = job->error == NULL;
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&job->error));
  job_free (job);
  g_mutex_clear (&mutex);
  g_cond_clear (&cond);
  return ok;
}

static void
kinema_history_finalize (GObject *object)
{
  KinemaHistory *self = (KinemaHistory *) object;
  g_autoptr(GError) error = NULL;

  if (!run_sync (self, JOB_QUIT, &error))
    g_debug ("History: %s", error->message);
  g_thread_join (self->thread);
  g_async_queue_unref (self->queue);
  g_clear_error (&self->open_error);
  g_clear_error (&self->write_error);
  g_free (self->data_dir);
  g_free (self->path);
  g_free (self->moved_aside);

  G_OBJECT_CLASS (kinema_history_parent_class)->finalize (object);
}

static void
kinema_history_class_init (KinemaHistoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kinema_history_finalize;
}

static void
kinema_history_init (KinemaHistory *self)
{
}

KinemaHistory *
kinema_history_new (const char *data_dir)
{
  KinemaHistory *self;

  g_return_val_if_fail (data_dir != NULL, NULL);

  self = g_object_new (KINEMA_TYPE_HISTORY, NULL);
  self->data_dir = g_strdup (data_dir);
  self->path = g_build_filename (data_dir, "history.db", NULL);
  self->queue = g_async_queue_new ();
  self->thread = g_thread_new ("kinema-history", worker, self);
  return self;
}

const char *
kinema_history_get_path (KinemaHistory *self)
{
  g_return_val_if_fail (KINEMA_IS_HISTORY (self), NULL);
  return self->path;
}

/**
 * kinema_history_get_moved_aside:
 * @self: a #KinemaHistory
 *
 * Once the history is open (after the first load, flush or write has completed):
 * where an unreadable history.db was moved before a new one was started.
 *
 * Returns: (nullable): the path of the old file, or %NULL when the history was fine
 */
const char *
kinema_history_get_moved_aside (KinemaHistory *self)
{
  g_return_val_if_fail (KINEMA_IS_HISTORY (self), NULL);
  return g_atomic_pointer_get (&self->moved_aside);
}

/* Queues a job whose outcome is reported through a GTask (loads and flushes). */
static void
push_task_job (KinemaHistory      *self,
               JobKind             kind,
               GCancellable       *cancellable,
               GAsyncReadyCallback callback,
               gpointer            user_data,
               gpointer            source_tag)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, source_tag);
  push (self, job);
}

void
kinema_history_load_async (KinemaHistory      *self,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_return_if_fail (KINEMA_IS_HISTORY (self));

  push_task_job (self, JOB_LOAD, cancellable, callback, user_data, kinema_history_load_async);
}

GPtrArray *
kinema_history_load_finish (KinemaHistory *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static char *
details_to_json (const GError *error)
{
  const KinemaErrorDetails *details = kinema_error_get_details (error);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (details == NULL)
    return NULL;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "http_status");
  json_builder_add_int_value (builder, details->http_status);
  if (details->provider_code != NULL)
    {
      json_builder_set_member_name (builder, "provider_code");
      json_builder_add_string_value (builder, details->provider_code);
    }
  if (details->provider_message != NULL)
    {
      json_builder_set_member_name (builder, "provider_message");
      json_builder_add_string_value (builder, details->provider_message);
    }
  if (details->request_id != NULL)
    {
      json_builder_set_member_name (builder, "request_id");
      json_builder_add_string_value (builder, details->request_id);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static const char *
mode_nick (KinemaMode mode)
{
  return kinema_mode_to_string (mode);
}

static const char *
link_nick (KinemaLinkKind kind)
{
  return kind == KINEMA_LINK_EXTEND ? "extend" : "continue";
}

void
kinema_history_save (KinemaHistory *self,
                     KinemaTask    *task)
{
  KinemaTaskRecord rec = { 0 };
  g_autoptr(JsonNode) request = NULL;
  Row *row;
  Job *job;

  g_return_if_fail (KINEMA_IS_HISTORY (self));
  g_return_if_fail (KINEMA_IS_TASK (task));

  kinema_task_peek_record (task, &rec);
  request = kinema_request_to_json (rec.request);

  row = g_new0 (Row, 1);
  row->id = g_strdup (rec.id);
  row->provider_id = g_strdup (rec.provider_id != NULL ? rec.provider_id : "");
  row->provider_name = g_strdup (rec.provider_name);
  row->request_json = json_to_string (request, FALSE);
  row->model = g_strdup (kinema_request_get_model (rec.request));
  row->mode = g_strdup (mode_nick (kinema_request_get_mode (rec.request)));
  row->duration = kinema_request_get_duration (rec.request);
  row->remote_id = g_strdup (rec.remote_id);
  row->status = rec.status;
  row->progress = rec.progress;
  row->status_message = g_strdup (rec.status_message);
  if (rec.error != NULL)
    {
      row->error_domain = g_strdup (g_quark_to_string (rec.error->domain));
      row->error_code = rec.error->code;
      row->error_message = g_strdup (rec.error->message);
      if (rec.error->domain == KINEMA_ERROR)
        row->error_details = details_to_json (rec.error);
    }
  row->video_url = g_strdup (rec.video_url);
  row->video_path = g_strdup (rec.video_path);
  row->thumbnail_path = g_strdup (rec.thumbnail_path);
  row->part_path = g_strdup (rec.part_path);
  row->created_at = rec.created_at;
  row->submitted_at = rec.submitted_at;
  row->started_at = rec.started_at;
  row->finished_at = rec.finished_at;
  row->is_demo = rec.is_demo;
  row->video_id = g_strdup (rec.video_id);
  row->parent_time = -1;
  row->units_charged = rec.units_charged >= 0 ? rec.units_charged : -1;
  if (kinema_task_get_parent_id (task) != NULL)
    {
      row->link_kind = g_strdup (link_nick (kinema_task_get_link_kind (task)));
      row->parent_id = g_strdup (kinema_task_get_parent_id (task));
      row->parent_time = kinema_task_get_parent_time (task);
    }

  job = g_new0 (Job, 1);
  job->kind = JOB_SAVE;
  job->row = row;
  push (self, job);
}

void
kinema_history_delete (KinemaHistory *self,
                       const char    *task_id)
{
  Job *job;

  g_return_if_fail (KINEMA_IS_HISTORY (self));
  g_return_if_fail (task_id != NULL);

  job = g_new0 (Job, 1);
  job->kind = JOB_DELETE;
  job->id = g_strdup (task_id);
  push (self, job);
}

void
kinema_history_save_story (KinemaHistory *self,
                           KinemaStory   *story)
{
  g_autoptr(GStrvBuilder) shots = g_strv_builder_new ();
  Job *job;

  g_return_if_fail (KINEMA_IS_HISTORY (self));
  g_return_if_fail (KINEMA_IS_STORY (story));

  for (guint i = 0; i < kinema_story_get_n_shots (story); i++)
    g_strv_builder_add (shots, kinema_story_get_shot (story, i));
  job = g_new0 (Job, 1);
  job->kind = JOB_STORY_SAVE;
  job->story = g_new0 (StoryRow, 1);
  job->story->id = g_strdup (kinema_story_get_id (story));
  job->story->title = g_strdup (kinema_story_get_title (story));
  job->story->created_at = kinema_story_get_created_at (story);
  job->story->updated_at = kinema_story_get_updated_at (story);
  job->story->shots = g_strv_builder_end (shots);
  push (self, job);
}

void
kinema_history_delete_story (KinemaHistory *self,
                             const char    *story_id)
{
  Job *job;

  g_return_if_fail (KINEMA_IS_HISTORY (self));
  g_return_if_fail (story_id != NULL);

  job = g_new0 (Job, 1);
  job->kind = JOB_STORY_DELETE;
  job->id = g_strdup (story_id);
  push (self, job);
}

void
kinema_history_load_stories_async (KinemaHistory      *self,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data)
{
  g_return_if_fail (KINEMA_IS_HISTORY (self));

  push_task_job (self, JOB_STORY_LOAD, cancellable, callback, user_data, kinema_history_load_stories_async);
}

GPtrArray *
kinema_history_load_stories_finish (KinemaHistory *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
kinema_history_flush_async (KinemaHistory      *self,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  g_return_if_fail (KINEMA_IS_HISTORY (self));

  push_task_job (self, JOB_FLUSH, cancellable, callback, user_data, kinema_history_flush_async);
}

gboolean
kinema_history_flush_finish (KinemaHistory *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
kinema_history_flush_sync (KinemaHistory *self,
                           GError       **error)
{
  g_return_val_if_fail (KINEMA_IS_HISTORY (self), FALSE);
  return run_sync (self, JOB_SYNC, error);
}
