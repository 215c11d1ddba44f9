/* kinema-task-manager.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-task-manager"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sys/file.h>
#include <unistd.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "kinema-json.h"
#include "kinema-downloader.h"
#include "kinema-error.h"
#include "kinema-history.h"
#include "kinema-scheduler.h"
#include "kinema-sidecar.h"
#include "kinema-task-manager.h"
#include "kinema-task-private.h"

#define MAX_VARIANTS 4
/* Download retries back off from this many poll base intervals. */
#define DOWNLOAD_RETRY_FACTOR 1.0
#define DOWNLOAD_RETRY_MAX_FACTOR 150.0
/* However long a server asks us to wait, the download is tried again within an hour. */
#define DOWNLOAD_RETRY_MAX_DELAY_S 3600.0

/* What the manager is doing with one task right now. */
typedef struct
{
  GCancellable *cancellable; /* download / lookup */
  gboolean      submitting;  /* a submit is on the wire */
  gboolean      downloading;
  guint         retry_id; /* download retry timer */
  guint         n_download_errors;
  gboolean      interrupted; /* the submit's fate is unknown because Kinema was closed */
} TaskOp;

struct _KinemaTaskManager
{
  GObject parent_instance;

  char                   *data_dir;
  char                   *downloads_dir;
  KinemaProviderRegistry *providers;
  KinemaClient           *client;
  KinemaHistory          *history;
  KinemaScheduler        *scheduler;
  KinemaDownloader       *downloader;

  GListStore *tasks;
  GHashTable *by_id;          /* id -> KinemaTask (the store holds the ref) */
  GHashTable *ops;            /* KinemaTask* -> TaskOp* */
  GHashTable *active;         /* KinemaTask* set */
  GHashTable *seen_providers; /* id -> KinemaProvider (providers used this run) */
  GPtrArray  *idle_waiters;   /* GTask */

  gboolean loaded;
  gboolean loading;
  gboolean resume_on_load; /* FALSE: another process follows the unfinished tasks */
  int      resume_lock_fd; /* DATA_DIR/resume.lock while held, else -1 */
};

G_DEFINE_FINAL_TYPE (KinemaTaskManager, kinema_task_manager, G_TYPE_OBJECT)

enum
{
  SIGNAL_TASK_FINISHED,
  SIGNAL_PROVIDER_PAUSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_download (KinemaTaskManager *self,
                            KinemaTask        *task);

/* ------------------------------------------------------------------------- */
/* Helpers */

static void
task_op_free (TaskOp *op)
{
  if (op->cancellable != NULL)
    g_cancellable_cancel (op->cancellable);
  g_clear_object (&op->cancellable);
  g_clear_handle_id (&op->retry_id, g_source_remove);
  g_free (op);
}

static TaskOp *
ensure_op (KinemaTaskManager *self,
           KinemaTask        *task)
{
  TaskOp *op = g_hash_table_lookup (self->ops, task);

  if (op == NULL)
    {
      op = g_new0 (TaskOp, 1);
      g_hash_table_insert (self->ops, g_object_ref (task), op);
    }
  return op;
}

static gboolean
is_known (KinemaTaskManager *self,
          KinemaTask        *task)
{
  return g_hash_table_lookup (self->by_id, kinema_task_get_id (task)) == task;
}

static KinemaProvider *
provider_for (KinemaTaskManager *self,
              KinemaTask        *task)
{
  const char     *id = kinema_task_get_provider_id (task);
  KinemaProvider *provider = NULL;

  if (id == NULL)
    return NULL;
  if (self->providers != NULL)
    provider = kinema_provider_registry_lookup (self->providers, id);
  if (provider == NULL)
    provider = g_hash_table_lookup (self->seen_providers, id);
  return provider;
}

/* Each waiter returns once: when idle, or when its cancellable fires. */
static void
return_waiter (GTask  *task,
               GError *error)
{
  if (g_object_get_data (G_OBJECT (task), "kinema-returned") != NULL)
    {
      g_clear_error (&error);
      return;
    }
  g_object_set_data (G_OBJECT (task), "kinema-returned", GINT_TO_POINTER (TRUE));
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
resolve_idle_waiters (KinemaTaskManager *self)
{
  g_autoptr(GPtrArray) waiters = NULL;

  if (g_hash_table_size (self->active) > 0 || self->idle_waiters->len == 0)
    return;

  waiters = g_steal_pointer (&self->idle_waiters);
  self->idle_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < waiters->len; i++)
    {
      return_waiter (g_ptr_array_index (waiters, i), NULL);
    }
}

/* Saves @task and keeps the active set (and the idle waiters) in step. */
static void
commit (KinemaTaskManager *self,
        KinemaTask        *task)
{
  if (!is_known (self, task))
    return;

  kinema_history_save (self->history, task);

  if (kinema_task_is_active (task))
    g_hash_table_add (self->active, task);
  else
    {
      g_hash_table_remove (self->active, task);
      resolve_idle_waiters (self);
    }
}

/* The status message (kinema-failure.c's plain words) follows from @error. */
static void
finish_failed (KinemaTaskManager *self,
               KinemaTask        *task,
               const GError      *error)
{
  kinema_scheduler_remove (self->scheduler, task);
  kinema_task_fail (task, error);
  commit (self, task);
  g_signal_emit (self, signals[SIGNAL_TASK_FINISHED], 0, task);
}

/* Why a job needs checking: each cause has its own words, and they say what the
 * recovery did. */
typedef enum
{
  CHECK_REPLY_LOST,   /* sent; the answer never arrived or made no sense */
  CHECK_INTERRUPTED,  /* Kinema was closed while sending */
  CHECK_ID_LOST,      /* accepted, but the provider's id was not saved */
  CHECK_PROVIDER_GONE /* accepted, but the provider is no longer configured */
} CheckCause;

static void
needs_checking (KinemaTaskManager *self,
                KinemaTask        *task,
                const GError      *error,
                CheckCause         cause,
                gboolean           looked_up)
{
  const char      *what;
  const char      *recovery;
  g_autofree char *message = NULL;

  switch (cause)
    {
    case CHECK_INTERRUPTED:
      what = _("Kinema was closed while it was sending this job, so it cannot tell whether the provider received "
               "it.");
      break;
    case CHECK_ID_LOST:
      what = _("The provider accepted this job, but its id was not saved, so Kinema cannot follow it.");
      break;
    case CHECK_PROVIDER_GONE:
      what = _("The provider of this job is no longer configured, so Kinema cannot follow it.");
      break;
    case CHECK_REPLY_LOST:
    default:
      what = _("Kinema sent this job, but the provider's answer was lost, so Kinema cannot tell whether the job "
               "was created or will be charged.");
      break;
    }

  if (looked_up)
    recovery = _("Kinema asked the provider for it by its own id and got no clear answer. Look for it in your "
                 "account with the provider before you send it again; Kinema never sends it again by itself.");
  else if (cause == CHECK_REPLY_LOST || cause == CHECK_INTERRUPTED)
    recovery = _("This provider cannot be asked for a job by Kinema's own id. Look for it in your account with "
                 "the provider before you send it again; Kinema never sends it again by itself.");
  else
    recovery = _("Look for it in your account with the provider.");

  /* Translators: two sentences one after the other; Chinese needs no space between */
  message = g_strdup_printf (_("%s %s"), what, recovery);
  kinema_task_set_error (task, error);
  kinema_task_set_status_message (task, message);
  kinema_task_set_progress (task, -1);
  kinema_task_set_estimated_remaining (task, -1);
  kinema_task_set_status (task, KINEMA_TASK_STATUS_NEEDS_CHECKING);
  commit (self, task);
  g_signal_emit (self, signals[SIGNAL_TASK_FINISHED], 0, task);
}

/* The submit never left this computer: no job exists, nothing was charged. */
static void
not_sent (KinemaTaskManager *self,
          KinemaTask        *task,
          const GError      *error)
{
  g_autofree char *message = NULL;

  /* Translators: %s says why (e.g. "Could not reach the provider. Check your internet connection.") */
  message = g_strdup_printf (_("This job never left this computer. %s Nothing was charged; Try Again sends it."),
                                error->message);
  kinema_task_set_error (task, error);
  kinema_task_set_status_message (task, message);
  kinema_task_set_progress (task, -1);
  kinema_task_set_estimated_remaining (task, -1);
  kinema_task_set_submitted_at (task, 0);
  kinema_task_set_status (task, KINEMA_TASK_STATUS_NOT_SENT);
  commit (self, task);
  g_signal_emit (self, signals[SIGNAL_TASK_FINISHED], 0, task);
}

static void
learn_from (KinemaTaskManager *self,
            KinemaTask        *task)
{
  gint64 start = kinema_task_get_submitted_at (task);
  gint64 end = kinema_task_get_finished_at (task);

  if (start > 0 && end > start)
    kinema_scheduler_learn (self->scheduler, kinema_task_get_request (task),
                            (end - start) / (double) G_USEC_PER_SEC);
}

/* ------------------------------------------------------------------------- */
/* Remote status */

/* Applies what the provider said. Returns TRUE when the task stays with the scheduler. */
static gboolean
apply_remote_status (KinemaTaskManager        *self,
                     KinemaTask               *task,
                     const KinemaRemoteStatus *status)
{
  KinemaTaskStatus old_status = kinema_task_get_status (task);
  double           old_progress = kinema_task_get_progress (task);
  gboolean         keep = TRUE;

  /* A good answer clears the notes of earlier failed polls. */
  if (kinema_task_get_error (task) != NULL)
    {
      kinema_task_set_error (task, NULL);
      kinema_task_set_status_message (task, NULL);
    }

  switch (status->state)
    {
    case KINEMA_REMOTE_STATE_PENDING:
      if (old_status == KINEMA_TASK_STATUS_SUBMITTING)
        kinema_task_set_status (task, KINEMA_TASK_STATUS_QUEUED);
      break;

    case KINEMA_REMOTE_STATE_QUEUED:
      if (old_status != KINEMA_TASK_STATUS_RUNNING)
        kinema_task_set_status (task, KINEMA_TASK_STATUS_QUEUED);
      break;

    case KINEMA_REMOTE_STATE_RUNNING:
      if (kinema_task_get_started_at (task) == 0)
        kinema_task_set_started_at (task, g_get_real_time ());
      kinema_task_set_status (task, KINEMA_TASK_STATUS_RUNNING);
      if (status->progress >= 0 && status->progress < 1)
        kinema_task_set_progress (task, status->progress);
      break;

    case KINEMA_REMOTE_STATE_SUCCEEDED:
      keep = FALSE;
      kinema_scheduler_remove (self->scheduler, task);
      if (kinema_task_get_started_at (task) == 0)
        kinema_task_set_started_at (task, g_get_real_time ());
      /* The generation time is what the scheduler learns from. */
      if (kinema_task_get_submitted_at (task) > 0)
        kinema_scheduler_learn (self->scheduler, kinema_task_get_request (task),
                                (g_get_real_time () - kinema_task_get_submitted_at (task)) / (double) G_USEC_PER_SEC);
      kinema_task_set_video_url (task, status->video_url);
      kinema_task_set_video_id (task, status->video_id);
      if (status->units_charged >= 0)
        kinema_task_set_units_charged (task, status->units_charged);
      kinema_task_set_estimated_remaining (task, -1);
      kinema_task_set_is_slow (task, FALSE);
      kinema_task_set_progress (task, -1);
      kinema_task_set_status (task, KINEMA_TASK_STATUS_DOWNLOADING);
      commit (self, task);
      start_download (self, task);
      return FALSE;

    case KINEMA_REMOTE_STATE_FAILED:
      {
        g_autoptr(GError) error = kinema_error_new (KINEMA_ERROR_TASK_FAILED, 0, NULL, status->failure_message, NULL);

        /* The provider's words stay in the details; kinema-failure.c explains them. */
        finish_failed (self, task, error);
      }
      return FALSE;

    default:
      break;
    }

  if (old_status != kinema_task_get_status (task) || old_progress != kinema_task_get_progress (task))
    commit (self, task);
  return keep;
}

static void
polled_cb (KinemaScheduler    *scheduler,
           KinemaTask         *task,
           KinemaRemoteStatus *status,
           KinemaTaskManager  *self)
{
  if (!is_known (self, task) || !kinema_task_is_active (task))
    {
      kinema_scheduler_remove (scheduler, task);
      return;
    }
  apply_remote_status (self, task, status);
}

static void
poll_error_cb (KinemaScheduler   *scheduler,
               KinemaTask        *task,
               GError            *error,
               gboolean           fatal,
               KinemaTaskManager *self)
{
  if (!is_known (self, task))
    return;

  if (fatal)
    {
      finish_failed (self, task, error);
      return;
    }

  /* Not saved: a note while the scheduler retries. */
  kinema_task_set_error (task, error);
  if (g_error_matches (error, KINEMA_ERROR, KINEMA_ERROR_NETWORK) ||
      g_error_matches (error, KINEMA_ERROR, KINEMA_ERROR_TIMEOUT))
    kinema_task_set_status_message (task, _("Cannot reach the provider; trying again."));
  else
    kinema_task_set_status_message (task, _("The provider did not answer properly; trying again."));
}

static void
provider_paused_cb (KinemaScheduler   *scheduler,
                    KinemaProvider    *provider,
                    GError            *error,
                    KinemaTaskManager *self)
{
  GHashTableIter iter;
  KinemaTask    *task;

  /* Say so on every task that now waits for a key. */
  g_hash_table_iter_init (&iter, self->active);
  while (g_hash_table_iter_next (&iter, (gpointer *) &task, NULL))
    if (kinema_scheduler_contains (scheduler, task) &&
        g_strcmp0 (kinema_task_get_provider_id (task), kinema_provider_get_id (provider)) == 0)
      {
        kinema_task_set_error (task, error);
        kinema_task_set_status_message (task, _("Paused: the provider did not accept the key."));
      }

  g_signal_emit (self, signals[SIGNAL_PROVIDER_PAUSED], 0, provider, error);
}

/* ------------------------------------------------------------------------- */
/* Downloads */

static void download_progress_cb (goffset  received,
                                  goffset  total,
                                  gpointer user_data);

typedef struct
{
  KinemaTaskManager *self;
  KinemaTask        *task;
} OpData;

static OpData *
op_data_new (KinemaTaskManager *self,
             KinemaTask        *task)
{
  OpData *data = g_new0 (OpData, 1);

  data->self = g_object_ref (self);
  data->task = g_object_ref (task);
  return data;
}

static void
op_data_free (OpData *data)
{
  g_object_unref (data->self);
  g_object_unref (data->task);
  g_free (data);
}

static gboolean
download_retry_cb (gpointer user_data)
{
  OpData *data = user_data;
  TaskOp *op = g_hash_table_lookup (data->self->ops, data->task);

  if (op != NULL)
    op->retry_id = 0;
  if (is_known (data->self, data->task) &&
      kinema_task_get_status (data->task) == KINEMA_TASK_STATUS_DOWNLOADING)
    start_download (data->self, data->task);
  return G_SOURCE_REMOVE;
}

static void
schedule_download_retry (KinemaTaskManager *self,
                         KinemaTask        *task,
                         const GError      *error)
{
  TaskOp                   *op = ensure_op (self, task);
  double                    base = kinema_scheduler_get_base_interval (self->scheduler);
  double                    delay;
  const KinemaErrorDetails *details = kinema_error_get_details (error);

  op->n_download_errors++;
  delay = base * DOWNLOAD_RETRY_FACTOR * ldexp (1.0, (int) MIN (op->n_download_errors, 20u));
  delay = MIN (delay, base * DOWNLOAD_RETRY_MAX_FACTOR);
  delay *= 0.5 + g_random_double ();
  if (details != NULL && details->retry_after_ms > 0)
    delay = MAX (delay, details->retry_after_ms / 1000.0);
  /* Clamped before it becomes milliseconds in a guint: `Retry-After: 4294968` once
   * wrapped around to 0.7 s here. */
  delay = CLAMP (delay, 0.0, DOWNLOAD_RETRY_MAX_DELAY_S);

  kinema_task_set_error (task, error);
  kinema_task_set_status_message (task, error->message);
  kinema_history_save (self->history, task);

  g_clear_handle_id (&op->retry_id, g_source_remove);
  op->retry_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) (delay * 1000), download_retry_cb,
                                     op_data_new (self, task), (GDestroyNotify) op_data_free);
  g_debug ("Download of %s retried in %.1f s: %s", kinema_task_get_id (task), delay, error->message);
}

static void
sidecar_written_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  OpData            *data = user_data;
  KinemaTaskManager *self = data->self;
  KinemaTask        *task = data->task;
  g_autoptr(GError) error = NULL;

  if (!kinema_sidecar_write_finish (result, &error))
    g_message ("%s", error->message);

  if (is_known (self, task) && kinema_task_get_status (task) == KINEMA_TASK_STATUS_DOWNLOADING)
    {
      kinema_task_set_error (task, NULL);
      kinema_task_set_status_message (task, NULL);
      kinema_task_set_progress (task, -1);
      kinema_task_set_finished_at (task, g_get_real_time ());
      kinema_task_set_status (task, KINEMA_TASK_STATUS_SUCCEEDED);
      commit (self, task);
      g_signal_emit (self, signals[SIGNAL_TASK_FINISHED], 0, task);
    }
  op_data_free (data);
}

static void
clip_downloaded (KinemaTaskManager *self,
                 KinemaTask        *task,
                 const char        *path)
{
  TaskOp *op = g_hash_table_lookup (self->ops, task);

  if (op != NULL)
    op->n_download_errors = 0;
  kinema_task_set_part_path (task, NULL);
  kinema_task_set_video_path (task, path);
  /* Ready once the settings are beside the clip too. */
  kinema_sidecar_write_async (path, task, NULL, sidecar_written_cb, op_data_new (self, task));
}

/* The downloader renames NAME.part to NAME.mp4 (or .webm) only once the clip is whole.
 * A process that died after that rename, before Succeeded was stored, left the clip
 * beside the missing .part: it is adopted instead of fetched again under a new name. */
static char *
dup_renamed_part (const char *part_path)
{
  static const char *const extensions[] = { ".mp4", ".webm" };
  g_autofree char         *stem = NULL;

  if (part_path == NULL || !g_str_has_suffix (part_path, ".part") ||
      g_file_test (part_path, G_FILE_TEST_EXISTS))
    return NULL;

  stem = g_strndup (part_path, strlen (part_path) - strlen (".part"));
  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    {
      g_autofree char *path = g_strconcat (stem, extensions[i], NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }
  return NULL;
}

/* Whether a task of the history holds @path as its .part or as its clip. */
static gboolean
path_is_claimed (KinemaTaskManager *self,
                 const char        *path)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->tasks));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KinemaTask) other = g_list_model_get_item (G_LIST_MODEL (self->tasks), i);

      if (g_strcmp0 (kinema_task_get_part_path (other), path) == 0 ||
          g_strcmp0 (kinema_task_get_video_path (other), path) == 0)
        return TRUE;
    }
  return FALSE;
}

/* An unclaimed finished clip named like @task is @task's when its sidecar says so, or,
 * without a sidecar, when no other task has the same name (variants of one batch do). */
static gboolean
clip_is_ours (KinemaTaskManager *self,
              KinemaTask        *task,
              const char        *clip)
{
  g_autofree char *sidecar = kinema_sidecar_path_for (clip);
  g_autofree char *text = NULL;
  guint            n = g_list_model_get_n_items (G_LIST_MODEL (self->tasks));

  if (g_file_get_contents (sidecar, &text, NULL, NULL))
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonNode *root;

      if (!kinema_json_parser_load (parser, text, -1, NULL))
        return FALSE;
      root = json_parser_get_root (parser);
      return root != NULL && JSON_NODE_HOLDS_OBJECT (root) &&
             g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (root), "task_id", NULL),
                        kinema_task_get_id (task)) == 0;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KinemaTask) other = g_list_model_get_item (G_LIST_MODEL (self->tasks), i);

      if (other != task &&
          kinema_task_get_created_at (other) / G_USEC_PER_SEC == kinema_task_get_created_at (task) / G_USEC_PER_SEC &&
          g_strcmp0 (kinema_task_get_prompt (other), kinema_task_get_prompt (task)) == 0)
        return FALSE;
    }
  return TRUE;
}

/* What a process that died while downloading @task may have left under the task's
 * name before the history said so: kinema_downloader_reserve_part() creates an empty
 * NAME.part before the task's row can hold it, and a quick download may even be
 * renamed to NAME.mp4 by then. An empty part or a finished clip that no task claims
 * is taken back (@is_clip says which) instead of starting over as NAME-2. */
static char *
dup_leftover (KinemaTaskManager *self,
              KinemaTask        *task,
              gboolean          *is_clip)
{
  static const char *const clips[] = { ".mp4", ".webm" };
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *excerpt = NULL;

  *is_clip = FALSE;
  if (kinema_task_get_created_at (task) <= 0)
    return NULL;
  when = g_date_time_new_from_unix_local (kinema_task_get_created_at (task) / G_USEC_PER_SEC);
  if (when == NULL)
    return NULL;
  stamp = g_date_time_format (when, "%Y-%m-%d_%H-%M-%S");
  excerpt = kinema_downloader_sanitize_prompt (kinema_task_get_prompt (task), 40);

  for (guint i = 1; i < 100; i++)
    {
      g_autofree char *name = i == 1 ? g_strdup_printf ("%s_%s", stamp, excerpt)
                                     : g_strdup_printf ("%s_%s-%u", stamp, excerpt, i);
      g_autofree char *stem = g_build_filename (self->downloads_dir, name, NULL);
      g_autofree char *part = g_strconcat (stem, ".part", NULL);
      g_autofree char *sidecar = g_strconcat (stem, ".json", NULL);
      gboolean         in_use = FALSE;
      GStatBuf         st;

      if (g_stat (part, &st) == 0)
        {
          if (S_ISREG (st.st_mode) && st.st_size == 0 && !path_is_claimed (self, part))
            return g_steal_pointer (&part);
          continue;
        }
      for (guint j = 0; j < G_N_ELEMENTS (clips); j++)
        {
          g_autofree char *clip = g_strconcat (stem, clips[j], NULL);

          if (!g_file_test (clip, G_FILE_TEST_IS_REGULAR))
            continue;
          in_use = TRUE;
          if (!path_is_claimed (self, clip) && clip_is_ours (self, task, clip))
            {
              *is_clip = TRUE;
              return g_steal_pointer (&clip);
            }
        }
      /* The downloader takes the first free name: nothing of ours lies beyond it. */
      if (!in_use && !g_file_test (sidecar, G_FILE_TEST_EXISTS))
        return NULL;
    }
  return NULL;
}

static void
download_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  OpData            *data = user_data;
  KinemaTaskManager *self = data->self;
  KinemaTask        *task = data->task;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  TaskOp          *op;

  path = kinema_downloader_download_finish (KINEMA_DOWNLOADER (object), result, &error);

  op = g_hash_table_lookup (self->ops, task);
  if (op != NULL)
    {
      op->downloading = FALSE;
      g_clear_object (&op->cancellable);
    }

  if (!is_known (self, task) || kinema_task_get_status (task) != KINEMA_TASK_STATUS_DOWNLOADING)
    {
      op_data_free (data);
      return;
    }

  if (path != NULL)
    clip_downloaded (self, task, path);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* stopped or removed */
    }
  else if (g_error_matches (error, KINEMA_ERROR, KINEMA_ERROR_NETWORK) ||
           g_error_matches (error, KINEMA_ERROR, KINEMA_ERROR_TIMEOUT) ||
           g_error_matches (error, KINEMA_ERROR, KINEMA_ERROR_SERVER) ||
           g_error_matches (error, KINEMA_ERROR, KINEMA_ERROR_RATE_LIMITED) ||
           g_error_matches (error, KINEMA_ERROR, KINEMA_ERROR_DISK) ||
           g_error_matches (error, KINEMA_ERROR, KINEMA_ERROR_TLS))
    {
      /* The .part stays; the download resumes later. */
      schedule_download_retry (self, task, error);
    }
  else
    {
      const char *part = kinema_task_get_part_path (task);

      if (part != NULL)
        g_unlink (part);
      kinema_task_set_part_path (task, NULL);
      finish_failed (self, task, error);
    }

  op_data_free (data);
}

static void
download_progress_cb (goffset  received,
                      goffset  total,
                      gpointer user_data)
{
  KinemaTask *task = user_data;

  if (total > 0)
    kinema_task_set_progress (task, (double) received / (double) total);
}

static void
begin_download (KinemaTaskManager *self,
                KinemaTask        *task,
                KinemaProvider    *provider)
{
  TaskOp *op = ensure_op (self, task);

  g_clear_object (&op->cancellable);
  op->cancellable = g_cancellable_new ();
  kinema_downloader_download_async (self->downloader, provider, kinema_task_get_video_url (task),
                                    kinema_task_get_remote_id (task), kinema_task_get_part_path (task),
                                    download_progress_cb, task, op->cancellable, download_cb,
                                    op_data_new (self, task));
}

static void
part_stored_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  OpData            *data = user_data;
  KinemaTaskManager *self = data->self;
  KinemaTask        *task = data->task;
  TaskOp            *op = g_hash_table_lookup (self->ops, task);
  KinemaProvider    *provider = provider_for (self, task);
  g_autoptr(GError) error = NULL;
  gboolean stored = kinema_history_flush_finish (KINEMA_HISTORY (object), result, &error);

  if (op == NULL || !op->downloading || !is_known (self, task) ||
      kinema_task_get_status (task) != KINEMA_TASK_STATUS_DOWNLOADING || provider == NULL)
    {
      if (op != NULL)
        op->downloading = FALSE;
    }
  else if (!stored)
    {
      op->downloading = FALSE;
      schedule_download_retry (self, task, error);
    }
  else
    begin_download (self, task, provider);
  op_data_free (data);
}

static void
start_download (KinemaTaskManager *self,
                KinemaTask        *task)
{
  KinemaProvider *provider = provider_for (self, task);
  TaskOp         *op = ensure_op (self, task);
  g_autoptr(GError) error = NULL;
  g_autofree char *renamed = NULL;

  if (op->downloading)
    return;
  g_clear_handle_id (&op->retry_id, g_source_remove);

  if (provider == NULL)
    {
      g_autoptr(GError) missing = g_error_new_literal (KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT,
                                                        _("The provider of this job is no longer configured."));

      needs_checking (self, task, missing, CHECK_PROVIDER_GONE, FALSE);
      return;
    }

  renamed = dup_renamed_part (kinema_task_get_part_path (task));
  if (renamed != NULL)
    {
      g_debug ("Adopting %s, downloaded before a restart", renamed);
      clip_downloaded (self, task, renamed);
      return;
    }

  if (kinema_task_get_part_path (task) == NULL ||
      !g_file_test (kinema_task_get_part_path (task), G_FILE_TEST_IS_REGULAR))
    {
      gboolean         is_clip = FALSE;
      g_autofree char *part = dup_leftover (self, task, &is_clip);

      if (part != NULL && is_clip)
        {
          g_debug ("Adopting %s, downloaded before a restart", part);
          clip_downloaded (self, task, part);
          return;
        }
      if (part == NULL)
        part = kinema_downloader_reserve_part (self->downloads_dir, kinema_task_get_created_at (task),
                                               kinema_task_get_prompt (task), &error);

      if (part == NULL)
        {
          schedule_download_retry (self, task, error);
          return;
        }
      kinema_task_set_part_path (task, part);
      kinema_history_save (self->history, task);
      /* Nothing goes into the part before its name is on disk: a part with content is
       * always one that a restart finds again. */
      op->downloading = TRUE;
      kinema_history_flush_async (self->history, NULL, part_stored_cb, op_data_new (self, task));
      return;
    }

  op->downloading = TRUE;
  begin_download (self, task, provider);
}

/* ------------------------------------------------------------------------- */
/* Submits */

static gboolean
submit_error_is_definite (const GError *error)
{
  /* The provider refused the job (or it never left): nothing was created. */
  if (error->domain != KINEMA_ERROR)
    return FALSE;
  switch (error->code)
    {
    case KINEMA_ERROR_INVALID_INPUT:
    case KINEMA_ERROR_AUTH:
    case KINEMA_ERROR_ACCOUNT:
    case KINEMA_ERROR_PERMISSION:
    case KINEMA_ERROR_INVALID_REQUEST:
    case KINEMA_ERROR_NOT_FOUND:
    case KINEMA_ERROR_CONTENT_POLICY:
    case KINEMA_ERROR_RATE_LIMITED:
    case KINEMA_ERROR_CONCURRENCY_LIMIT:
    case KINEMA_ERROR_UNSUPPORTED_ROUTE:
    case KINEMA_ERROR_TLS:
    case KINEMA_ERROR_NO_KEY:
    case KINEMA_ERROR_KEYRING:
    case KINEMA_ERROR_DISK:
      return TRUE;
    default:
      return FALSE;
    }
}

/* The remote job is known (submit reply or recovery): store its id, start polling. */
static void
adopt_remote (KinemaTaskManager        *self,
              KinemaTask               *task,
              KinemaProvider           *provider,
              const KinemaRemoteStatus *status)
{
  kinema_task_set_remote_id (task, status->remote_id);
  if (kinema_task_get_submitted_at (task) == 0)
    kinema_task_set_submitted_at (task, g_get_real_time ());

  if (kinema_task_get_status (task) == KINEMA_TASK_STATUS_STOPPED)
    {
      /* Stopped while the submit was on the wire: keep the id, do not track. */
      commit (self, task);
      return;
    }

  kinema_task_set_error (task, NULL);
  kinema_task_set_status_message (task, NULL);
  if (kinema_task_get_status (task) == KINEMA_TASK_STATUS_SUBMITTING ||
      kinema_task_get_status (task) == KINEMA_TASK_STATUS_NEEDS_CHECKING)
    kinema_task_set_status (task, KINEMA_TASK_STATUS_QUEUED);
  /* The remote id is on disk before anything else happens. */
  commit (self, task);

  if (apply_remote_status (self, task, status))
    kinema_scheduler_add (self->scheduler, task, provider);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  OpData            *data = user_data;
  KinemaTaskManager *self = data->self;
  KinemaTask        *task = data->task;
  g_autoptr(KinemaRemoteStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  KinemaProvider *provider;

  status = kinema_client_lookup_external_finish (KINEMA_CLIENT (object), result, &error);
  provider = provider_for (self, task);

  if (!is_known (self, task) || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || provider == NULL)
    ;
  else if (status != NULL && status->remote_id != NULL)
    {
      g_debug ("Recovered %s as %s", kinema_task_get_id (task), status->remote_id);
      adopt_remote (self, task, provider, status);
    }
  else if (g_error_matches (error, KINEMA_ERROR, KINEMA_ERROR_NOT_FOUND))
    {
      /* "Not found yet" proves nothing: the job may still be on its way or listed
       * later. Never adopt another job, never send it again: the user checks. */
      g_autoptr(GError) unknown = g_error_copy (error);
      TaskOp *op = g_hash_table_lookup (self->ops, task);

      g_free (unknown->message);
      unknown->message = g_strdup (_("Kling does not know this job yet. It may still appear, or it may "
                                     "never have arrived."));
      needs_checking (self, task, unknown, op != NULL && op->interrupted ? CHECK_INTERRUPTED : CHECK_REPLY_LOST,
                      TRUE);
    }
  else
    {
      TaskOp *op = g_hash_table_lookup (self->ops, task);

      needs_checking (self, task, kinema_task_get_error (task) != NULL ? kinema_task_get_error (task) : error,
                      op != NULL && op->interrupted ? CHECK_INTERRUPTED : CHECK_REPLY_LOST, TRUE);
    }

  op_data_free (data);
}

/* A Submitting task whose fate is unknown: look it up by external_task_id where the
 * provider can (Kling's own API, with a key pair or an API key), else it needs
 * checking. Never sent again, never matched to a job with another external_task_id. */
static void
recover_or_check (KinemaTaskManager *self,
                  KinemaTask        *task,
                  const GError      *error,
                  gboolean           interrupted)
{
  KinemaProvider *provider = provider_for (self, task);
  TaskOp         *op = ensure_op (self, task);

  op->interrupted = interrupted;
  if (provider != NULL && kinema_client_supports_external_lookup (self->client, provider))
    {
      g_clear_object (&op->cancellable);
      op->cancellable = g_cancellable_new ();
      kinema_task_set_error (task, error);
      kinema_client_lookup_external_async (self->client, provider, kinema_task_get_kind (task),
                                           kinema_task_get_id (task), op->cancellable, lookup_cb,
                                           op_data_new (self, task));
      return;
    }
  needs_checking (self, task, error, interrupted ? CHECK_INTERRUPTED : CHECK_REPLY_LOST, FALSE);
}

static void
submit_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  OpData            *data = user_data;
  KinemaTaskManager *self = data->self;
  KinemaTask        *task = data->task;
  g_autoptr(KinemaRemoteStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  KinemaProvider *provider;
  TaskOp         *op;

  status = kinema_client_submit_finish (KINEMA_CLIENT (object), result, &error);
  op = g_hash_table_lookup (self->ops, task);
  if (op != NULL)
    op->submitting = FALSE;
  provider = provider_for (self, task);

  if (!is_known (self, task))
    {
      /* Removed while on the wire. */
      if (status != NULL)
        g_message ("Job %s of a removed task was accepted as %s", kinema_task_get_id (task), status->remote_id);
    }
  else if (status != NULL && status->remote_id != NULL && provider != NULL)
    adopt_remote (self, task, provider, status);
  else if (status != NULL)
    {
      g_autoptr(GError) no_id = kinema_error_new (KINEMA_ERROR_BAD_REPLY, 0, NULL, "no task id in the reply", NULL);

      recover_or_check (self, task, no_id, FALSE);
    }
  else if (kinema_task_get_status (task) == KINEMA_TASK_STATUS_STOPPED)
    {
      kinema_task_set_error (task, error);
      commit (self, task);
    }
  else if (kinema_error_get_not_sent (error))
    not_sent (self, task, error);
  else if (submit_error_is_definite (error))
    finish_failed (self, task, error);
  else
    recover_or_check (self, task, error, FALSE);

  op_data_free (data);
}

static void
submit (KinemaTaskManager *self,
        KinemaTask        *task)
{
  KinemaProvider *provider = provider_for (self, task);
  TaskOp         *op;

  if (kinema_task_get_status (task) != KINEMA_TASK_STATUS_SUBMITTING || !is_known (self, task))
    return;
  if (provider == NULL)
    {
      g_autoptr(GError) missing = g_error_new_literal (KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT,
                                                        _("The provider of this job is no longer configured."));

      finish_failed (self, task, missing);
      return;
    }

  op = ensure_op (self, task);
  op->submitting = TRUE;
  kinema_task_set_submitted_at (task, g_get_real_time ());
  /* Never cancelled: once it left, its answer must be heard. */
  kinema_client_submit_async (self->client, provider, kinema_task_get_request (task), NULL, submit_cb,
                              op_data_new (self, task));
}

static void
flushed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GPtrArray) batch = user_data;
  KinemaTaskManager *self = g_ptr_array_index (batch, 0);
  g_autoptr(GError) error = NULL;

  if (!kinema_history_flush_finish (KINEMA_HISTORY (object), result, &error))
    {
      /* Not durable: nothing is sent. */
      for (guint i = 1; i < batch->len; i++)
        {
          KinemaTask *task = g_ptr_array_index (batch, i);

          if (is_known (self, task) && kinema_task_get_status (task) == KINEMA_TASK_STATUS_SUBMITTING)
            finish_failed (self, task, error);
        }
      return;
    }

  for (guint i = 1; i < batch->len; i++)
    submit (self, g_ptr_array_index (batch, i));
}

/* ------------------------------------------------------------------------- */
/* Loading and resuming */

static void
resume (KinemaTaskManager *self,
        KinemaTask        *task)
{
  KinemaProvider *provider = provider_for (self, task);

  switch (kinema_task_get_status (task))
    {
    case KINEMA_TASK_STATUS_SUBMITTING:
      {
        g_autoptr(GError) interrupted = g_error_new_literal (KINEMA_ERROR, KINEMA_ERROR_NETWORK,
                                                              _("Kinema stopped while this job was being sent."));

        recover_or_check (self, task, interrupted, TRUE);
      }
      break;

    case KINEMA_TASK_STATUS_QUEUED:
    case KINEMA_TASK_STATUS_RUNNING:
      if (kinema_task_get_remote_id (task) == NULL || provider == NULL)
        {
          g_autoptr(GError) lost = g_error_new_literal (KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT,
                                                         provider == NULL
                                                         ? _("The provider of this job is no longer configured.")
                                                         : _("The provider's id for this job was not saved."));

          needs_checking (self, task, lost, provider == NULL ? CHECK_PROVIDER_GONE : CHECK_ID_LOST, FALSE);
        }
      else
        kinema_scheduler_add (self->scheduler, task, provider);
      break;

    case KINEMA_TASK_STATUS_DOWNLOADING:
      start_download (self, task);
      break;

    case KINEMA_TASK_STATUS_SUCCEEDED:
    case KINEMA_TASK_STATUS_FAILED:
    case KINEMA_TASK_STATUS_NEEDS_CHECKING:
    case KINEMA_TASK_STATUS_STOPPED:
    case KINEMA_TASK_STATUS_NOT_SENT:
    default:
      break;
    }
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KinemaTaskManager *self = g_task_get_source_object (task);
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GPtrArray) fresh = NULL;
  g_autoptr(GError) error = NULL;

  self->loading = FALSE;
  loaded = kinema_history_load_finish (KINEMA_HISTORY (object), result, &error);
  if (loaded == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  fresh = g_ptr_array_new_full (loaded->len, NULL);
  for (guint i = 0; i < loaded->len; i++)
    {
      KinemaTask *t = g_ptr_array_index (loaded, i);

      /* Tasks made before the load finished are already in the model. */
      if (g_hash_table_contains (self->by_id, kinema_task_get_id (t)))
        continue;
      g_hash_table_insert (self->by_id, (gpointer) kinema_task_get_id (t), t);
      g_ptr_array_add (fresh, t);
      if (kinema_task_get_status (t) == KINEMA_TASK_STATUS_SUCCEEDED)
        learn_from (self, t);
    }

  /* One items-changed for the whole history. */
  g_list_store_splice (self->tasks, g_list_model_get_n_items (G_LIST_MODEL (self->tasks)), 0,
                       fresh->pdata, fresh->len);
  self->loaded = TRUE;

  for (guint i = 0; i < fresh->len; i++)
    {
      KinemaTask *t = g_ptr_array_index (fresh, i);

      if (kinema_task_is_active (t) && self->resume_on_load)
        {
          g_hash_table_add (self->active, t);
          resume (self, t);
        }
    }

  g_debug ("Loaded %u tasks", fresh->len);
  g_task_return_boolean (task, TRUE);
  resolve_idle_waiters (self);
}

/* ------------------------------------------------------------------------- */
/* GObject */

static void
kinema_task_manager_dispose (GObject *object)
{
  KinemaTaskManager *self = (KinemaTaskManager *) object;

  if (self->scheduler != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->scheduler, self);
      g_clear_object (&self->scheduler);
    }
  if (self->ops != NULL)
    g_hash_table_remove_all (self->ops);

  G_OBJECT_CLASS (kinema_task_manager_parent_class)->dispose (object);
}

static void
kinema_task_manager_finalize (GObject *object)
{
  KinemaTaskManager *self = (KinemaTaskManager *) object;

  g_clear_pointer (&self->ops, g_hash_table_unref);
  g_clear_pointer (&self->active, g_hash_table_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->seen_providers, g_hash_table_unref);
  g_clear_pointer (&self->idle_waiters, g_ptr_array_unref);
  g_clear_object (&self->tasks);
  /* The history writes everything still queued before it goes. */
  g_clear_object (&self->history);
  g_clear_object (&self->downloader);
  g_clear_object (&self->client);
  g_clear_object (&self->providers);
  g_free (self->data_dir);
  g_free (self->downloads_dir);
  if (self->resume_lock_fd >= 0)
    close (self->resume_lock_fd); /* releases the lock */

  G_OBJECT_CLASS (kinema_task_manager_parent_class)->finalize (object);
}

static void
kinema_task_manager_class_init (KinemaTaskManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kinema_task_manager_dispose;
  object_class->finalize = kinema_task_manager_finalize;

  /**
   * KinemaTaskManager::task-finished:
   * @task: the task
   *
   * A task reached Succeeded or Failed.
   */
  signals[SIGNAL_TASK_FINISHED] =
      g_signal_new ("task-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 1, KINEMA_TYPE_TASK);
  /**
   * KinemaTaskManager::provider-paused:
   * @provider: the provider
   * @error: why (an authentication error)
   *
   * The provider refused its key while polling; its tasks wait until
   * kinema_task_manager_resume_provider(). Emitted once per pause.
   */
  signals[SIGNAL_PROVIDER_PAUSED] =
      g_signal_new ("provider-paused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 2, KINEMA_TYPE_PROVIDER, G_TYPE_ERROR);
}

static void
kinema_task_manager_init (KinemaTaskManager *self)
{
  self->tasks = g_list_store_new (KINEMA_TYPE_TASK);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->ops = g_hash_table_new_full (NULL, NULL, g_object_unref, (GDestroyNotify) task_op_free);
  self->active = g_hash_table_new (NULL, NULL);
  self->seen_providers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->idle_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->resume_on_load = TRUE;
  self->resume_lock_fd = -1;
}

static char *
default_downloads_dir (void)
{
  const char *videos = g_get_user_special_dir (G_USER_DIRECTORY_VIDEOS);

  if (videos != NULL && *videos != '\0' && g_strcmp0 (videos, g_get_home_dir ()) != 0)
    return g_build_filename (videos, "Kinema", NULL);
  return g_build_filename (g_get_home_dir (), "Videos", "Kinema", NULL);
}

/**
 * kinema_task_manager_new:
 * @data_dir: where history.db lives ($XDG_DATA_HOME/kinema)
 * @downloads_dir: (nullable): where clips go; %NULL for ~/Videos/Kinema (XDG videos dir)
 * @providers: (nullable): the registry tasks' providers are looked up in
 * @client: the API client
 */
KinemaTaskManager *
kinema_task_manager_new (const char             *data_dir,
                         const char             *downloads_dir,
                         KinemaProviderRegistry *providers,
                         KinemaClient           *client)
{
  KinemaTaskManager *self;

  g_return_val_if_fail (data_dir != NULL, NULL);
  g_return_val_if_fail (providers == NULL || KINEMA_IS_PROVIDER_REGISTRY (providers), NULL);
  g_return_val_if_fail (KINEMA_IS_CLIENT (client), NULL);

  self = g_object_new (KINEMA_TYPE_TASK_MANAGER, NULL);
  self->data_dir = g_strdup (data_dir);
  self->downloads_dir = downloads_dir != NULL ? g_strdup (downloads_dir) : default_downloads_dir ();
  self->providers = providers != NULL ? g_object_ref (providers) : NULL;
  self->client = g_object_ref (client);
  self->history = kinema_history_new (data_dir);
  self->scheduler = kinema_scheduler_new (client);
  self->downloader = kinema_downloader_new (client);

  g_signal_connect (self->scheduler, "polled", G_CALLBACK (polled_cb), self);
  g_signal_connect (self->scheduler, "poll-error", G_CALLBACK (poll_error_cb), self);
  g_signal_connect (self->scheduler, "provider-paused", G_CALLBACK (provider_paused_cb), self);
  return self;
}

void
kinema_task_manager_load_async (KinemaTaskManager  *self,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KINEMA_IS_TASK_MANAGER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kinema_task_manager_load_async);

  if (self->loaded || self->loading)
    {
      if (self->loading)
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, "The history is already being loaded");
      else
        g_task_return_boolean (task, TRUE);
      return;
    }

  self->loading = TRUE;
  kinema_history_load_async (self->history, NULL, loaded_cb, g_steal_pointer (&task));
}

gboolean
kinema_task_manager_load_finish (KinemaTaskManager *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

GListModel *
kinema_task_manager_get_tasks (KinemaTaskManager *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK_MANAGER (self), NULL);
  return G_LIST_MODEL (self->tasks);
}

KinemaHistory *
kinema_task_manager_get_history (KinemaTaskManager *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK_MANAGER (self), NULL);
  return self->history;
}

/* The registry tasks' providers are looked up in, or NULL (transfer none). */
KinemaProviderRegistry *
kinema_task_manager_get_providers (KinemaTaskManager *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK_MANAGER (self), NULL);
  return self->providers;
}

KinemaTask *
kinema_task_manager_lookup (KinemaTaskManager *self,
                            const char        *task_id)
{
  g_return_val_if_fail (KINEMA_IS_TASK_MANAGER (self), NULL);

  if (task_id == NULL)
    return NULL;
  return g_hash_table_lookup (self->by_id, task_id);
}

KinemaProvider *
kinema_task_manager_lookup_provider (KinemaTaskManager *self,
                                     KinemaTask        *task)
{
  g_return_val_if_fail (KINEMA_IS_TASK_MANAGER (self), NULL);
  g_return_val_if_fail (KINEMA_IS_TASK (task), NULL);

  return provider_for (self, task);
}

GPtrArray *
kinema_task_manager_generate (KinemaTaskManager *self,
                              KinemaProvider    *provider,
                              KinemaRequest     *request,
                              guint              n_variants,
                              GError           **error)
{
  g_autoptr(GPtrArray) result = NULL;
  GPtrArray           *batch;
  g_autofree gpointer *items = NULL;

  g_return_val_if_fail (KINEMA_IS_TASK_MANAGER (self), NULL);
  g_return_val_if_fail (KINEMA_IS_PROVIDER (provider), NULL);
  g_return_val_if_fail (KINEMA_IS_REQUEST (request), NULL);

  if (n_variants < 1 || n_variants > MAX_VARIANTS)
    {
      g_set_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT,
                   _("The number of variants must be between 1 and %d."), MAX_VARIANTS);
      return NULL;
    }
  if (!kinema_request_validate (request, error) || !kinema_provider_validate (provider, error) ||
      !kinema_provider_check_request (provider, request, error))
    return NULL;
  if (!kinema_provider_get_has_credentials (provider))
    {
      g_propagate_error (error, kinema_error_new (KINEMA_ERROR_NO_KEY, 0, NULL, NULL, NULL));
      return NULL;
    }

  if (!g_hash_table_contains (self->seen_providers, kinema_provider_get_id (provider)))
    g_hash_table_insert (self->seen_providers, g_strdup (kinema_provider_get_id (provider)),
                         g_object_ref (provider));
  kinema_scheduler_resume_provider (self->scheduler, provider);

  result = g_ptr_array_new_with_free_func (g_object_unref);
  batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (batch, g_object_ref (self));
  items = g_new0 (gpointer, n_variants);

  for (guint i = 0; i < n_variants; i++)
    {
      g_autoptr(KinemaRequest) copy = kinema_request_copy (request);
      KinemaTask *task;

      task = kinema_task_new (NULL, kinema_provider_get_id (provider), kinema_provider_get_name (provider),
                              copy, kinema_provider_get_is_demo (provider));
      /* The task id doubles as the job's external_task_id (crash recovery on Kling). */
      kinema_request_set_external_task_id (copy, kinema_task_get_id (task));

      g_hash_table_insert (self->by_id, (gpointer) kinema_task_get_id (task), task);
      g_hash_table_add (self->active, task);
      kinema_history_save (self->history, task);
      items[n_variants - 1 - i] = task;
      g_ptr_array_add (result, g_object_ref (task));
      g_ptr_array_add (batch, g_object_ref (task));
    }

  /* Newest first: the whole batch appears at the top in one change. */
  g_list_store_splice (self->tasks, 0, 0, items, n_variants);
  for (guint i = 0; i < n_variants; i++)
    g_object_unref (items[i]);

  /* Sent only once the rows are on disk. */
  kinema_history_flush_async (self->history, NULL, flushed_cb, batch);

  return g_steal_pointer (&result);
}

void
kinema_task_manager_stop (KinemaTaskManager *self,
                          KinemaTask        *task)
{
  TaskOp *op;

  g_return_if_fail (KINEMA_IS_TASK_MANAGER (self));
  g_return_if_fail (KINEMA_IS_TASK (task));

  if (!is_known (self, task) || !kinema_task_is_active (task))
    return;

  kinema_scheduler_remove (self->scheduler, task);
  op = g_hash_table_lookup (self->ops, task);
  if (op != NULL)
    {
      g_clear_handle_id (&op->retry_id, g_source_remove);
      if (op->cancellable != NULL)
        g_cancellable_cancel (op->cancellable);
      g_clear_object (&op->cancellable);
      op->downloading = FALSE;
    }
  if (kinema_task_get_part_path (task) != NULL)
    {
      g_unlink (kinema_task_get_part_path (task));
      kinema_task_set_part_path (task, NULL);
    }

  kinema_task_set_progress (task, -1);
  kinema_task_set_estimated_remaining (task, -1);
  kinema_task_set_is_slow (task, FALSE);
  kinema_task_set_finished_at (task, g_get_real_time ());
  kinema_task_set_status (task, KINEMA_TASK_STATUS_STOPPED);
  commit (self, task);
}

KinemaTask *
kinema_task_manager_retry (KinemaTaskManager *self,
                           KinemaTask        *task,
                           GError           **error)
{
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(KinemaRequest) request = NULL;
  KinemaProvider *provider;

  g_return_val_if_fail (KINEMA_IS_TASK_MANAGER (self), NULL);
  g_return_val_if_fail (KINEMA_IS_TASK (task), NULL);

  provider = provider_for (self, task);
  if (provider == NULL)
    {
      g_set_error_literal (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT,
                           _("The provider of this job is no longer configured."));
      return NULL;
    }

  request = kinema_request_copy (kinema_task_get_request (task));
  kinema_request_set_external_task_id (request, NULL);
  tasks = kinema_task_manager_generate (self, provider, request, 1, error);
  if (tasks == NULL)
    return NULL;
  /* The model keeps it alive. */
  return g_ptr_array_index (tasks, 0);
}

gboolean
kinema_task_manager_resend (KinemaTaskManager *self,
                            KinemaTask        *task,
                            GError           **error)
{
  GPtrArray      *batch;
  KinemaProvider *provider;

  g_return_val_if_fail (KINEMA_IS_TASK_MANAGER (self), FALSE);
  g_return_val_if_fail (KINEMA_IS_TASK (task), FALSE);

  /* Only a job that provably never left: anything else might exist remotely. */
  if (!is_known (self, task) || kinema_task_get_status (task) != KINEMA_TASK_STATUS_NOT_SENT)
    {
      g_set_error_literal (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT,
                           _("Only a job that was not sent can be sent again."));
      return FALSE;
    }
  provider = provider_for (self, task);
  if (provider == NULL)
    {
      g_set_error_literal (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT,
                           _("The provider of this job is no longer configured."));
      return FALSE;
    }
  if (!kinema_provider_get_has_credentials (provider))
    {
      g_propagate_error (error, kinema_error_new (KINEMA_ERROR_NO_KEY, 0, NULL, NULL, NULL));
      return FALSE;
    }
  kinema_scheduler_resume_provider (self->scheduler, provider);

  kinema_task_set_error (task, NULL);
  kinema_task_set_status_message (task, NULL);
  kinema_task_set_finished_at (task, 0);
  kinema_task_set_status (task, KINEMA_TASK_STATUS_SUBMITTING);
  commit (self, task);

  /* Sent once the row says Submitting on disk, as a new job is. */
  batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (batch, g_object_ref (self));
  g_ptr_array_add (batch, g_object_ref (task));
  kinema_history_flush_async (self->history, NULL, flushed_cb, batch);
  return TRUE;
}

void
kinema_task_manager_remove (KinemaTaskManager *self,
                            KinemaTask        *task)
{
  g_autoptr(KinemaTask) hold = NULL;
  guint position;

  g_return_if_fail (KINEMA_IS_TASK_MANAGER (self));
  g_return_if_fail (KINEMA_IS_TASK (task));

  if (!is_known (self, task))
    return;

  hold = g_object_ref (task);
  kinema_scheduler_remove (self->scheduler, task);
  if (kinema_task_get_part_path (task) != NULL)
    g_unlink (kinema_task_get_part_path (task));
  g_hash_table_remove (self->ops, task);
  g_hash_table_remove (self->by_id, kinema_task_get_id (task));
  g_hash_table_remove (self->active, task);
  kinema_history_delete (self->history, kinema_task_get_id (task));
  if (g_list_store_find (self->tasks, task, &position))
    g_list_store_remove (self->tasks, position);
  resolve_idle_waiters (self);
}

const char *
kinema_task_manager_get_downloads_dir (KinemaTaskManager *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK_MANAGER (self), NULL);
  return self->downloads_dir;
}

void
kinema_task_manager_set_downloads_dir (KinemaTaskManager *self,
                                       const char        *downloads_dir)
{
  g_return_if_fail (KINEMA_IS_TASK_MANAGER (self));

  if (downloads_dir == NULL || *downloads_dir == '\0')
    {
      g_free (self->downloads_dir);
      self->downloads_dir = default_downloads_dir ();
      return;
    }
  if (g_strcmp0 (self->downloads_dir, downloads_dir) == 0)
    return;
  g_free (self->downloads_dir);
  self->downloads_dir = g_strdup (downloads_dir);
}

static void
idle_cancelled_cb (GCancellable *cancellable,
                   GTask        *task)
{
  return_waiter (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled"));
}

void
kinema_task_manager_wait_idle_async (KinemaTaskManager  *self,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KINEMA_IS_TASK_MANAGER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kinema_task_manager_wait_idle_async);

  if (g_hash_table_size (self->active) == 0 && !self->loading)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (cancellable != NULL)
    g_cancellable_connect (cancellable, G_CALLBACK (idle_cancelled_cb), g_object_ref (task), g_object_unref);
  g_ptr_array_add (self->idle_waiters, g_steal_pointer (&task));
}

gboolean
kinema_task_manager_wait_idle_finish (KinemaTaskManager *self,
                                      GAsyncResult      *result,
                                      GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Additions */

void
kinema_task_manager_set_poll_interval (KinemaTaskManager *self,
                                       double             seconds)
{
  g_return_if_fail (KINEMA_IS_TASK_MANAGER (self));
  kinema_scheduler_set_base_interval (self->scheduler, seconds);
}

double
kinema_task_manager_get_poll_interval (KinemaTaskManager *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK_MANAGER (self), KINEMA_SCHEDULER_DEFAULT_BASE_INTERVAL);
  return kinema_scheduler_get_base_interval (self->scheduler);
}

void
kinema_task_manager_resume_provider (KinemaTaskManager *self,
                                     KinemaProvider    *provider)
{
  g_return_if_fail (KINEMA_IS_TASK_MANAGER (self));
  g_return_if_fail (KINEMA_IS_PROVIDER (provider));
  kinema_scheduler_resume_provider (self->scheduler, provider);
}

void
kinema_task_manager_set_thumbnail_path (KinemaTaskManager *self,
                                        KinemaTask        *task,
                                        const char        *thumbnail_path)
{
  g_return_if_fail (KINEMA_IS_TASK_MANAGER (self));
  g_return_if_fail (KINEMA_IS_TASK (task));

  if (g_strcmp0 (kinema_task_get_thumbnail_path (task), thumbnail_path) == 0)
    return;
  kinema_task_set_thumbnail_path (task, thumbnail_path);
  if (is_known (self, task))
    kinema_history_save (self->history, task);
}

gboolean
kinema_task_manager_flush (KinemaTaskManager *self,
                           GError           **error)
{
  g_return_val_if_fail (KINEMA_IS_TASK_MANAGER (self), FALSE);
  return kinema_history_flush_sync (self->history, error);
}

/**
 * kinema_task_manager_get_moved_aside_history:
 * @self: a loaded #KinemaTaskManager
 *
 * Returns: (nullable): where an unreadable history.db was moved when it was loaded
 *   (a new, empty history took its place), or %NULL
 */
const char *
kinema_task_manager_get_moved_aside_history (KinemaTaskManager *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK_MANAGER (self), NULL);
  return kinema_history_get_moved_aside (self->history);
}

KinemaScheduler *
kinema_task_manager_get_scheduler (KinemaTaskManager *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK_MANAGER (self), NULL);
  return self->scheduler;
}

/**
 * kinema_task_manager_lock_resume:
 * @self: a #KinemaTaskManager, not loaded yet
 *
 * Takes an exclusive lock on DATA_DIR/resume.lock (flock(), released when @self is
 * finalized or the process dies) so that two processes never poll and download the
 * same tasks into the same files. When another process holds the lock, loading lists
 * the unfinished tasks without resuming them.
 *
 * Returns: %TRUE when this manager will resume the unfinished tasks
 */
gboolean
kinema_task_manager_lock_resume (KinemaTaskManager *self)
{
  g_autofree char *path = NULL;
  int              fd;

  g_return_val_if_fail (KINEMA_IS_TASK_MANAGER (self), FALSE);
  g_return_val_if_fail (!self->loaded && !self->loading, FALSE);

  if (self->resume_lock_fd >= 0)
    return TRUE;

  path = g_build_filename (self->data_dir, "resume.lock", NULL);
  if (g_mkdir_with_parents (self->data_dir, 0700) != 0 ||
      (fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0)
    {
      /* No lock to be had: behave as without one (the history will say what is wrong). */
      g_debug ("Cannot open %s: %s", path, g_strerror (errno));
      return TRUE;
    }
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      close (fd);
      self->resume_on_load = FALSE;
      return FALSE;
    }
  self->resume_lock_fd = fd;
  self->resume_on_load = TRUE;
  return TRUE;
}
