/* test-task-manager.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The task manager against the in-process simulator: generate -> Succeeded with
 * exactly one submit, durable rows before the submit leaves, restarts in every state
 * (a second manager on the same data directory), Submitting -> Needs checking
 * without a second submit, stop, retry, remove.
 */

#include "config.h"

#include <locale.h>

#include "kinema-demo.h"
#include "kinema-history.h"
#include "kinema-scheduler.h"
#include "kinema-sidecar.h"
#include "kinema-downloader.h"
#include "kinema-task-manager.h"
#include "kinema-task-private.h"
#include "tasks-test-util.h"

static void
wait_idle (KinemaTaskManager *manager)
{
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;

  kinema_task_manager_wait_idle_async (manager, NULL, tasks_test_result_cb, &result);
  tasks_wait_for (result != NULL);
  g_assert_true (kinema_task_manager_wait_idle_finish (manager, result, &error));
  g_assert_no_error (error);
  g_object_unref (result);
}

/* Drops a manager and lets its history finish writing. */
static void
free_manager (KinemaTaskManager *manager)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kinema_task_manager_flush (manager, &error));
  g_assert_no_error (error);
  g_object_unref (manager);
  tasks_fixture_iterate ();
}

static void
count_finished (KinemaTaskManager *manager,
                KinemaTask        *task,
                guint             *n)
{
  (*n)++;
}

static void
assert_clip (TasksFixture *f,
             KinemaTask   *task)
{
  g_autofree char *contents = NULL;
  gsize            length = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(KinemaRequest) back = NULL;
  const char *path = kinema_task_get_video_path (task);

  g_assert_nonnull (path);
  g_assert_true (g_str_has_prefix (path, f->downloads_dir));
  g_assert_true (g_str_has_suffix (path, ".mp4"));
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (contents, length, g_bytes_get_data (f->clip, NULL), g_bytes_get_size (f->clip));
  g_assert_null (kinema_task_get_part_path (task));

  g_assert_true (kinema_sidecar_read (path, &back, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (kinema_request_get_prompt (back), ==, kinema_task_get_prompt (task));
  g_assert_cmpstr (kinema_request_get_model (back), ==, "kling-v2-5-turbo");
}

static void
test_generate_succeeds (TasksFixture *f,
                        gconstpointer data)
{
  g_autoptr(KinemaRequest) request = tasks_test_request ("A paper boat drifting on a rainy street");
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  KinemaTaskManager *manager = tasks_fixture_new_manager (f);
  GListModel        *model = kinema_task_manager_get_tasks (manager);
  KinemaTask        *task;
  guint              finished = 0;
  g_autofree char   *id = NULL;

  g_signal_connect (manager, "task-finished", G_CALLBACK (count_finished), &finished);

  tasks = kinema_task_manager_generate (manager, f->provider, request, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, 1);
  task = g_ptr_array_index (tasks, 0);
  id = g_strdup (kinema_task_get_id (task));
  g_assert_cmpint (kinema_task_get_status (task), ==, KINEMA_TASK_STATUS_SUBMITTING);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_true (kinema_task_manager_lookup (manager, id) == task);
  /* The UI asks which provider made a clip (what its menu offers). */
  g_assert_true (kinema_task_manager_lookup_provider (manager, task) == f->provider);
  /* Nothing is sent before the row is on disk. */
  g_assert_cmpuint (kinema_sim_server_get_submit_count (f->sim, id), ==, 0);

  wait_idle (manager);

  g_assert_cmpint (kinema_task_get_status (task), ==, KINEMA_TASK_STATUS_SUCCEEDED);
  g_assert_cmpuint (finished, ==, 1);
  g_assert_nonnull (kinema_task_get_remote_id (task));
  g_assert_cmpint (kinema_task_get_submitted_at (task), >, 0);
  g_assert_cmpint (kinema_task_get_finished_at (task), >=, kinema_task_get_submitted_at (task));
  g_assert_cmpuint (kinema_sim_server_get_submit_count (f->sim, id), ==, 1);
  g_assert_false (kinema_task_is_active (task));
  assert_clip (f, task);
  /* The finished job taught the scheduler how long such jobs take. */
  g_assert_cmpfloat (kinema_scheduler_get_expected (kinema_task_manager_get_scheduler (manager), request), >, 0);

  free_manager (manager);

  /* A second run sees the same task, finished, and sends nothing. */
  manager = tasks_fixture_new_manager (f);
  model = kinema_task_manager_get_tasks (manager);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  {
    g_autoptr(KinemaTask) again = g_list_model_get_item (model, 0);

    g_assert_cmpstr (kinema_task_get_id (again), ==, id);
    g_assert_cmpint (kinema_task_get_status (again), ==, KINEMA_TASK_STATUS_SUCCEEDED);
    assert_clip (f, again);
  }
  wait_idle (manager);
  g_assert_cmpuint (kinema_sim_server_get_submit_count (f->sim, id), ==, 1);
  free_manager (manager);
}

static void
test_variants_newest_first (TasksFixture *f,
                            gconstpointer data)
{
  g_autoptr(KinemaRequest) first = tasks_test_request ("First");
  g_autoptr(KinemaRequest) second = tasks_test_request ("Second");
  g_autoptr(GPtrArray) a = NULL;
  g_autoptr(GPtrArray) b = NULL;
  g_autoptr(GError) error = NULL;
  KinemaTaskManager *manager = tasks_fixture_new_manager (f);
  GListModel        *model = kinema_task_manager_get_tasks (manager);
  g_autoptr(GHashTable) paths = g_hash_table_new (g_str_hash, g_str_equal);

  a = kinema_task_manager_generate (manager, f->provider, first, 1, &error);
  g_assert_no_error (error);
  b = kinema_task_manager_generate (manager, f->provider, second, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (b->len, ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);
  {
    g_autoptr(KinemaTask) top = g_list_model_get_item (model, 0);
    g_autoptr(KinemaTask) bottom = g_list_model_get_item (model, 3);

    g_assert_cmpstr (kinema_task_get_prompt (top), ==, "Second");
    g_assert_cmpstr (kinema_task_get_prompt (bottom), ==, "First");
  }

  /* Invalid input stores nothing. */
  g_assert_null (kinema_task_manager_generate (manager, f->provider, first, 0, &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  {
    g_autoptr(KinemaRequest) empty = tasks_test_request ("");

    g_assert_null (kinema_task_manager_generate (manager, f->provider, empty, 1, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
  }
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);

  wait_idle (manager);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(KinemaTask) task = g_list_model_get_item (model, i);

      g_assert_cmpint (kinema_task_get_status (task), ==, KINEMA_TASK_STATUS_SUCCEEDED);
      g_assert_cmpuint (kinema_sim_server_get_submit_count (f->sim, kinema_task_get_id (task)), ==, 1);
      assert_clip (f, task);
      /* Variants of one prompt get files of their own. */
      g_assert_false (g_hash_table_contains (paths, kinema_task_get_video_path (task)));
      g_hash_table_add (paths, (gpointer) kinema_task_get_video_path (task));
    }
  free_manager (manager);
}

static void
test_remote_failure (TasksFixture *f,
                     gconstpointer data)
{
  g_autoptr(KinemaRequest) request = tasks_test_request ("A fox");
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  KinemaTaskManager *manager = tasks_fixture_new_manager (f);
  KinemaTask        *task;
  g_autofree char   *label = NULL;
  guint              finished = 0;

  g_signal_connect (manager, "task-finished", G_CALLBACK (count_finished), &finished);
  kinema_sim_server_fail_next (f->sim, 1, "content did not pass safety review");
  tasks = kinema_task_manager_generate (manager, f->provider, request, 1, &error);
  g_assert_no_error (error);
  task = g_ptr_array_index (tasks, 0);
  wait_idle (manager);

  g_assert_cmpint (kinema_task_get_status (task), ==, KINEMA_TASK_STATUS_FAILED);
  g_assert_error (kinema_task_get_error (task), KINEMA_ERROR, KINEMA_ERROR_TASK_FAILED);
  label = kinema_task_dup_status_label (task);
  /* Explained in plain words; the provider's own text only in the details. */
  g_assert_cmpstr (label, ==, "Failed: Refused by content review");
  g_assert_null (strstr (kinema_task_get_status_message (task), "safety review"));
  g_assert_nonnull (strstr (kinema_task_get_status_message (task), "Nothing was charged."));
  g_assert_cmpstr (kinema_error_get_details (kinema_task_get_error (task))->provider_message, ==,
                   "content did not pass safety review");
  g_assert_cmpuint (finished, ==, 1);
  g_assert_null (kinema_task_get_video_path (task));
  free_manager (manager);
}

static void
test_submit_refused (TasksFixture *f,
                     gconstpointer data)
{
  g_autoptr(KinemaRequest) request = tasks_test_request ("A fox");
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  KinemaTaskManager *manager = tasks_fixture_new_manager (f);
  KinemaTask        *task;
  KinemaSimFault     fault = { "POST", "/kling/v1/videos/*", KINEMA_SIM_FAULT_STATUS, 400, 0, 0, 1, FALSE,
                               "{\"code\":1201,\"message\":\"duration value invalid\",\"request_id\":\"r\"}" };

  kinema_sim_server_add_fault (f->sim, &fault);
  tasks = kinema_task_manager_generate (manager, f->provider, request, 1, &error);
  g_assert_no_error (error);
  task = g_ptr_array_index (tasks, 0);
  wait_idle (manager);

  /* A refused submit created nothing: Failed, not Needs checking. */
  g_assert_cmpint (kinema_task_get_status (task), ==, KINEMA_TASK_STATUS_FAILED);
  g_assert_error (kinema_task_get_error (task), KINEMA_ERROR, KINEMA_ERROR_INVALID_REQUEST);
  {
    /* Why, in plain words (Kling 1201, kinema-failure.c), and that it cost nothing. */
    g_autofree char *label = kinema_task_dup_status_label (task);

    g_assert_cmpstr (label, ==, "Failed: A setting was refused");
    g_assert_cmpstr (kinema_task_get_status_message (task), ==,
                     "The provider refused one of the settings. Change the setting named under Details, then try "
                     "again. Nothing was charged.");
  }
  free_manager (manager);
}

/* A port on 127.0.0.1 that refuses connections: bound, never listening. */
static GSocket *
refusing_socket (guint16 *port)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return socket;
}

static void
test_submit_not_sent (TasksFixture *f,
                      gconstpointer data)
{
  g_autoptr(KinemaRequest) request = tasks_test_request ("A heron");
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) refusing = NULL;
  g_autofree char   *closed_url = NULL;
  g_autofree char   *sim_url = g_strdup (kinema_provider_get_base_url (f->provider));
  g_autofree char   *id = NULL;
  g_autofree char   *label = NULL;
  KinemaTaskManager *manager = tasks_fixture_new_manager (f);
  KinemaTask        *task;
  guint16            port = 0;
  guint              finished = 0;

  /* The connection is refused before a byte of the request is written. */
  refusing = refusing_socket (&port);
  closed_url = g_strdup_printf ("http://127.0.0.1:%u/kling", port);
  kinema_provider_set_base_url (f->provider, closed_url);
  g_signal_connect (manager, "task-finished", G_CALLBACK (count_finished), &finished);

  tasks = kinema_task_manager_generate (manager, f->provider, request, 1, &error);
  g_assert_no_error (error);
  task = g_ptr_array_index (tasks, 0);
  id = g_strdup (kinema_task_get_id (task));
  wait_idle (manager);

  /* Not sent: not "Needs checking", and the words say nothing was charged. */
  g_assert_cmpint (kinema_task_get_status (task), ==, KINEMA_TASK_STATUS_NOT_SENT);
  g_assert_error (kinema_task_get_error (task), KINEMA_ERROR, KINEMA_ERROR_NETWORK);
  g_assert_true (kinema_error_get_not_sent (kinema_task_get_error (task)));
  label = kinema_task_dup_status_label (task);
  g_assert_cmpstr (label, ==, "Not sent");
  g_assert_nonnull (strstr (kinema_task_get_status_message (task), "never left this computer"));
  g_assert_nonnull (strstr (kinema_task_get_status_message (task), "Nothing was charged"));
  g_assert_null (strstr (kinema_task_get_status_message (task), "closed"));
  g_assert_cmpuint (finished, ==, 1);
  g_assert_cmpuint (kinema_sim_server_get_submit_count (f->sim, id), ==, 0);
  free_manager (manager);

  /* Durable, and not sent by itself after a restart. */
  kinema_provider_set_base_url (f->provider, sim_url);
  manager = tasks_fixture_new_manager (f);
  task = kinema_task_manager_lookup (manager, id);
  g_assert_nonnull (task);
  wait_idle (manager);
  g_assert_cmpint (kinema_task_get_status (task), ==, KINEMA_TASK_STATUS_NOT_SENT);
  g_assert_cmpuint (kinema_sim_server_get_submit_count (f->sim, id), ==, 0);

  /* Try again sends it exactly once, as the same job. */
  g_assert_true (kinema_task_manager_resend (manager, task, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kinema_task_get_status (task), ==, KINEMA_TASK_STATUS_SUBMITTING);
  g_assert_null (kinema_task_get_error (task));
  kinema_sim_server_advance_clock (f->sim, 10000);
  wait_idle (manager);
  g_assert_cmpint (kinema_task_get_status (task), ==, KINEMA_TASK_STATUS_SUCCEEDED);
  g_assert_cmpuint (kinema_sim_server_get_submit_count (f->sim, id), ==, 1);
  g_assert_cmpuint (kinema_sim_server_get_n_jobs (f->sim), ==, 1);

  /* Only a job that never left may be sent again. */
  g_assert_false (kinema_task_manager_resend (manager, task, &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
  g_assert_cmpuint (kinema_sim_server_get_submit_count (f->sim, id), ==, 1);
  free_manager (manager);
}

static void
test_submit_dropped (TasksFixture *f,
                     gconstpointer data)
{
  g_autoptr(KinemaRequest) request = tasks_test_request ("A fox");
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  KinemaTaskManager *manager = tasks_fixture_new_manager (f);
  KinemaTask        *task;
  KinemaSimFault     fault = { "POST", "/kling/v1/videos/*", KINEMA_SIM_FAULT_DROP, 0, 0, 0, 1, TRUE, NULL };
  g_autofree char   *id = NULL;

  /* The job is created, but the reply never arrives. */
  kinema_sim_server_add_fault (f->sim, &fault);
  tasks = kinema_task_manager_generate (manager, f->provider, request, 1, &error);
  g_assert_no_error (error);
  task = g_ptr_array_index (tasks, 0);
  id = g_strdup (kinema_task_get_id (task));
  wait_idle (manager);

  g_assert_cmpint (kinema_task_get_status (task), ==, KINEMA_TASK_STATUS_NEEDS_CHECKING);
  g_assert_nonnull (kinema_task_get_error (task));
  g_assert_false (kinema_error_get_not_sent (kinema_task_get_error (task)));
  g_assert_cmpuint (kinema_sim_server_get_submit_count (f->sim, id), ==, 1);
  /* Explained as what it is (the answer was lost), with what recovery could do. */
  g_assert_nonnull (strstr (kinema_task_get_status_message (task), "answer was lost"));
  g_assert_nonnull (strstr (kinema_task_get_status_message (task), "cannot be asked"));
  g_assert_null (strstr (kinema_task_get_status_message (task), "was closed"));
  free_manager (manager);

  /* Not re-sent after a restart either. */
  manager = tasks_fixture_new_manager (f);
  task = kinema_task_manager_lookup (manager, id);
  g_assert_nonnull (task);
  g_assert_cmpint (kinema_task_get_status (task), ==, KINEMA_TASK_STATUS_NEEDS_CHECKING);
  wait_idle (manager);
  g_assert_cmpuint (kinema_sim_server_get_submit_count (f->sim, id), ==, 1);
  free_manager (manager);
}

/* Writes a task row in a given state straight into the history, as if the process
 * had died there. */
static KinemaTask *
store_task (TasksFixture    *f,
            KinemaTaskStatus status,
            const char      *remote_id)
{
  g_autoptr(KinemaRequest) request = tasks_test_request ("Restarted");
  g_autoptr(KinemaHistory) history = kinema_history_new (f->data_dir);
  g_autoptr(GError) error = NULL;
  KinemaTask *task = kinema_task_new (NULL, "sim", "Simulator", request, FALSE);

  kinema_request_set_external_task_id (request, kinema_task_get_id (task));
  kinema_task_set_status (task, status);
  kinema_task_set_remote_id (task, remote_id);
  if (remote_id != NULL)
    kinema_task_set_submitted_at (task, g_get_real_time ());
  kinema_history_save (history, task);
  g_assert_true (kinema_history_flush_sync (history, &error));
  g_assert_no_error (error);
  return task;
}

/* Sends @request to @provider's simulator without any manager (as a process that then
 * died would have); returns its remote id. */
static char *
submit_request (TasksFixture   *f,
                KinemaProvider *provider,
                KinemaRequest  *request)
{
  g_autoptr(KinemaRemoteStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;

  kinema_client_submit_async (f->client, provider, request, NULL, tasks_test_result_cb, &result);
  tasks_wait_for (result != NULL);
  status = kinema_client_submit_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_object_unref (result);
  return g_strdup (status->remote_id);
}

/* Submits a job to the simulator directly; returns its remote id. */
static char *
submit_directly (TasksFixture *f,
                 const char   *external_id)
{
  g_autoptr(KinemaRequest) request = tasks_test_request ("Restarted");

  kinema_request_set_external_task_id (request, external_id);
  return submit_request (f, f->provider, request);
}

static void
test_restart_every_state (TasksFixture *f,
                          gconstpointer data)
{
  g_autoptr(KinemaTask) submitting = store_task (f, KINEMA_TASK_STATUS_SUBMITTING, NULL);
  g_autoptr(KinemaTask) queued = NULL;
  g_autoptr(KinemaTask) running = NULL;
  g_autoptr(KinemaTask) downloading = NULL;
  g_autoptr(KinemaTask) lost = store_task (f, KINEMA_TASK_STATUS_RUNNING, NULL);
  g_autoptr(KinemaTask) failed = store_task (f, KINEMA_TASK_STATUS_FAILED, NULL);
  g_autoptr(KinemaTask) stopped = store_task (f, KINEMA_TASK_STATUS_STOPPED, "x");
  g_autofree char   *queued_remote = NULL;
  g_autofree char   *running_remote = NULL;
  g_autofree char   *downloading_remote = NULL;
  KinemaTaskManager *manager;
  KinemaTask        *t;

  queued_remote = submit_directly (f, "ext-queued");
  running_remote = submit_directly (f, "ext-running");
  downloading_remote = submit_directly (f, "ext-downloading");
  queued = store_task (f, KINEMA_TASK_STATUS_QUEUED, queued_remote);
  running = store_task (f, KINEMA_TASK_STATUS_RUNNING, running_remote);
  downloading = store_task (f, KINEMA_TASK_STATUS_DOWNLOADING, downloading_remote);
  {
    /* The Downloading one had seen its video address. */
    g_autoptr(KinemaHistory) history = kinema_history_new (f->data_dir);
    g_autoptr(KinemaRemoteStatus) status = NULL;
    g_autoptr(GError) error = NULL;
    GAsyncResult *result = NULL;

    kinema_sim_server_advance_clock (f->sim, 10000);
    /* A gateway only knows the job's state after its own first look. */
    for (guint i = 0; i < 5 && (status == NULL || status->state != KINEMA_REMOTE_STATE_SUCCEEDED); i++)
      {
        g_clear_pointer (&status, kinema_remote_status_free);
        kinema_client_poll_async (f->client, f->provider, KINEMA_TASK_KIND_TEXT_TO_VIDEO, downloading_remote,
                                  NULL, tasks_test_result_cb, &result);
        tasks_wait_for (result != NULL);
        status = kinema_client_poll_finish (f->client, result, &error);
        g_assert_no_error (error);
        g_clear_object (&result);
      }
    g_assert_cmpint (status->state, ==, KINEMA_REMOTE_STATE_SUCCEEDED);
    g_assert_nonnull (status->video_url);
    kinema_task_set_video_url (downloading, status->video_url);
    kinema_history_save (history, downloading);
    g_assert_true (kinema_history_flush_sync (history, &error));
  }

  manager = tasks_fixture_new_manager (f);
  g_assert_cmpuint (g_list_model_get_n_items (kinema_task_manager_get_tasks (manager)), ==, 7);
  wait_idle (manager);

  /* Submitting when the process died: Needs checking, never sent. */
  t = kinema_task_manager_lookup (manager, kinema_task_get_id (submitting));
  g_assert_cmpint (kinema_task_get_status (t), ==, KINEMA_TASK_STATUS_NEEDS_CHECKING);
  g_assert_cmpuint (kinema_sim_server_get_submit_count (f->sim, kinema_task_get_id (submitting)), ==, 0);

  /* Queued, Running and Downloading resume and finish. */
  t = kinema_task_manager_lookup (manager, kinema_task_get_id (queued));
  g_assert_cmpint (kinema_task_get_status (t), ==, KINEMA_TASK_STATUS_SUCCEEDED);
  assert_clip (f, t);
  t = kinema_task_manager_lookup (manager, kinema_task_get_id (running));
  g_assert_cmpint (kinema_task_get_status (t), ==, KINEMA_TASK_STATUS_SUCCEEDED);
  assert_clip (f, t);
  t = kinema_task_manager_lookup (manager, kinema_task_get_id (downloading));
  g_assert_cmpint (kinema_task_get_status (t), ==, KINEMA_TASK_STATUS_SUCCEEDED);
  assert_clip (f, t);

  /* Running without a remote id cannot be polled. */
  t = kinema_task_manager_lookup (manager, kinema_task_get_id (lost));
  g_assert_cmpint (kinema_task_get_status (t), ==, KINEMA_TASK_STATUS_NEEDS_CHECKING);

  /* Finished states stay as they were. */
  t = kinema_task_manager_lookup (manager, kinema_task_get_id (failed));
  g_assert_cmpint (kinema_task_get_status (t), ==, KINEMA_TASK_STATUS_FAILED);
  t = kinema_task_manager_lookup (manager, kinema_task_get_id (stopped));
  g_assert_cmpint (kinema_task_get_status (t), ==, KINEMA_TASK_STATUS_STOPPED);

  /* Only the three direct submits reached the simulator. */
  g_assert_cmpuint (kinema_sim_server_get_n_jobs (f->sim), ==, 3);
  free_manager (manager);

  /* And the outcome is durable. */
  manager = tasks_fixture_new_manager (f);
  t = kinema_task_manager_lookup (manager, kinema_task_get_id (queued));
  g_assert_cmpint (kinema_task_get_status (t), ==, KINEMA_TASK_STATUS_SUCCEEDED);
  t = kinema_task_manager_lookup (manager, kinema_task_get_id (submitting));
  g_assert_cmpint (kinema_task_get_status (t), ==, KINEMA_TASK_STATUS_NEEDS_CHECKING);
  free_manager (manager);
}

/* Issue 12 point 10: a job that was generating when Kinema quit comes back as
 * generating, with its progress and its real elapsed time, not "Queued 0:39". */
static void
test_restart_keeps_state (TasksFixture *f,
                          gconstpointer data)
{
  g_autoptr(KinemaTask) stored = NULL;
  g_autofree char *remote = NULL;
  g_autofree char *label = NULL;
  g_autoptr(KinemaHistory) history = kinema_history_new (f->data_dir);
  g_autoptr(GError) error = NULL;
  gint64             submitted = g_get_real_time () - 600 * G_USEC_PER_SEC;
  gint64             started = submitted + 40 * G_USEC_PER_SEC;
  KinemaTaskManager *manager;
  KinemaTask        *t;

  /* the provider keeps it generating for the whole test */
  kinema_sim_server_set_clock (f->sim, 0, 600000);
  remote = submit_directly (f, "ext-generating");
  stored = store_task (f, KINEMA_TASK_STATUS_RUNNING, remote);
  kinema_task_set_submitted_at (stored, submitted);
  kinema_task_set_started_at (stored, started);
  kinema_task_set_progress (stored, 0.4);
  kinema_history_save (history, stored);
  g_assert_true (kinema_history_flush_sync (history, &error));
  g_assert_no_error (error);

  manager = tasks_fixture_new_manager (f);
  t = kinema_task_manager_lookup (manager, kinema_task_get_id (stored));
  g_assert_cmpint (kinema_task_get_status (t), ==, KINEMA_TASK_STATUS_RUNNING);
  g_assert_cmpfloat (kinema_task_get_progress (t), ==, 0.4);
  g_assert_cmpint (kinema_task_get_submitted_at (t), ==, submitted);
  g_assert_cmpint (kinema_task_get_started_at (t), ==, started);

  /* the provider's first answers after the restart do not turn it back into Queued */
  for (guint i = 0; i < 3; i++)
    {
      gint64 until = g_get_monotonic_time () + 100 * 1000;

      while (g_get_monotonic_time () < until)
        g_main_context_iteration (NULL, FALSE);
      g_assert_cmpint (kinema_task_get_status (t), ==, KINEMA_TASK_STATUS_RUNNING);
    }
  label = kinema_task_dup_status_label (t);
  g_assert_true (g_str_has_prefix (label, "Generating"));
  g_assert_cmpint (kinema_task_get_submitted_at (t), ==, submitted);
  kinema_task_manager_stop (manager, t);
  free_manager (manager);
}

static void
test_stop_retry_remove (TasksFixture *f,
                        gconstpointer data)
{
  g_autoptr(KinemaRequest) request = tasks_test_request ("Stop me");
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  KinemaTaskManager *manager;
  KinemaTask        *task;
  KinemaTask        *again;
  g_autofree char   *id = NULL;
  g_autofree char   *again_id = NULL;

  /* Slow jobs, so the task is still being polled when it is stopped. */
  kinema_sim_server_set_clock (f->sim, 60000, 60000);
  manager = tasks_fixture_new_manager (f);
  tasks = kinema_task_manager_generate (manager, f->provider, request, 1, &error);
  g_assert_no_error (error);
  task = g_ptr_array_index (tasks, 0);
  id = g_strdup (kinema_task_get_id (task));
  tasks_wait_for (kinema_task_get_remote_id (task) != NULL);
  g_assert_true (kinema_task_is_active (task));

  kinema_task_manager_stop (manager, task);
  g_assert_cmpint (kinema_task_get_status (task), ==, KINEMA_TASK_STATUS_STOPPED);
  g_assert_false (kinema_scheduler_contains (kinema_task_manager_get_scheduler (manager), task));
  wait_idle (manager);

  /* Retry is a new job with a new id. */
  kinema_sim_server_set_clock (f->sim, 100, 100);
  again = kinema_task_manager_retry (manager, task, &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);
  again_id = g_strdup (kinema_task_get_id (again));
  g_assert_cmpstr (again_id, !=, id);
  g_assert_cmpstr (kinema_task_get_prompt (again), ==, "Stop me");
  wait_idle (manager);
  g_assert_cmpint (kinema_task_get_status (again), ==, KINEMA_TASK_STATUS_SUCCEEDED);
  g_assert_cmpuint (kinema_sim_server_get_submit_count (f->sim, id), ==, 1);
  g_assert_cmpuint (kinema_sim_server_get_submit_count (f->sim, again_id), ==, 1);

  /* Remove takes it out of the model and the history. */
  kinema_task_manager_remove (manager, task);
  g_assert_null (kinema_task_manager_lookup (manager, id));
  g_assert_cmpuint (g_list_model_get_n_items (kinema_task_manager_get_tasks (manager)), ==, 1);
  free_manager (manager);

  manager = tasks_fixture_new_manager (f);
  g_assert_null (kinema_task_manager_lookup (manager, id));
  g_assert_nonnull (kinema_task_manager_lookup (manager, again_id));
  free_manager (manager);
}

static void
on_paused (KinemaTaskManager *manager,
           KinemaProvider    *provider,
           GError            *error,
           guint             *n)
{
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_AUTH);
  (*n)++;
}

static void
test_auth_pauses_provider (TasksFixture *f,
                           gconstpointer data)
{
  g_autoptr(KinemaRequest) request = tasks_test_request ("Paused");
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  KinemaTaskManager *manager;
  guint              paused = 0;
  guint              polls;

  kinema_sim_server_set_clock (f->sim, 60000, 60000);
  manager = tasks_fixture_new_manager (f);
  g_signal_connect (manager, "provider-paused", G_CALLBACK (on_paused), &paused);
  tasks = kinema_task_manager_generate (manager, f->provider, request, 2, &error);
  g_assert_no_error (error);
  tasks_wait_for (kinema_task_get_remote_id (g_ptr_array_index (tasks, 0)) != NULL &&
                  kinema_task_get_remote_id (g_ptr_array_index (tasks, 1)) != NULL);

  /* The key stops working: both tasks' polls fail, the provider pauses once. */
  kinema_provider_set_api_key (f->provider, "sk-revoked");
  tasks_wait_for (paused > 0);
  polls = tasks_test_count_requests (f->sim, "GET", "/kling/v1/videos/");
  /* Let the main loop run: no more polls while paused, no second signal. */
  for (guint i = 0; i < 20; i++)
    {
      g_usleep (10000);
      tasks_fixture_iterate ();
    }
  g_assert_cmpuint (paused, ==, 1);
  g_assert_cmpuint (tasks_test_count_requests (f->sim, "GET", "/kling/v1/videos/"), <=, polls + 1);
  g_assert_true (kinema_task_is_active (g_ptr_array_index (tasks, 0)));
  g_assert_error (kinema_task_get_error (g_ptr_array_index (tasks, 1)), KINEMA_ERROR, KINEMA_ERROR_AUTH);
  g_assert_nonnull (kinema_task_get_status_message (g_ptr_array_index (tasks, 1)));

  /* A new key: resume, the jobs finish. */
  kinema_provider_set_api_key (f->provider, TEST_KEY);
  kinema_sim_server_advance_clock (f->sim, 200000);
  kinema_task_manager_resume_provider (manager, f->provider);
  wait_idle (manager);
  g_assert_cmpint (kinema_task_get_status (g_ptr_array_index (tasks, 0)), ==, KINEMA_TASK_STATUS_SUCCEEDED);
  g_assert_cmpint (kinema_task_get_status (g_ptr_array_index (tasks, 1)), ==, KINEMA_TASK_STATUS_SUCCEEDED);
  g_assert_null (kinema_task_get_error (g_ptr_array_index (tasks, 1)));
  g_assert_cmpuint (paused, ==, 1);
  free_manager (manager);
}

/* Official Kling: a job whose submit reply was lost is found again by its
 * external_task_id; one that is not found needs checking and is never sent again
 * (issue 11, case 4: "not found yet" proves nothing). */
static void
test_recover_by_external_id (TasksFixture *f,
                             gconstpointer data)
{
  g_autoptr(KinemaProvider) kling = kinema_provider_new ("kling-sim", "Kling", kinema_sim_server_get_base_url (f->sim),
                                                          KINEMA_API_STYLE_KLING, KINEMA_AUTH_KLING_JWT);
  g_autoptr(KinemaHistory) history = kinema_history_new (f->data_dir);
  g_autoptr(KinemaRequest) sent_request = tasks_test_request ("Sent before the crash");
  g_autoptr(KinemaRequest) lost_request = tasks_test_request ("Never sent");
  g_autoptr(KinemaTask) sent = kinema_task_new (NULL, "kling-sim", "Kling", sent_request, FALSE);
  g_autoptr(KinemaTask) lost = kinema_task_new (NULL, "kling-sim", "Kling", lost_request, FALSE);
  g_autoptr(KinemaRemoteStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult      *result = NULL;
  KinemaTaskManager *manager;
  KinemaTask        *t;

  kinema_sim_server_set_kling_keys (f->sim, "AK-test", "SK-test");
  kinema_provider_set_kling_keys (kling, "AK-test", "SK-test");
  kinema_provider_registry_add (f->registry, kling);

  kinema_request_set_external_task_id (sent_request, kinema_task_get_id (sent));
  kinema_request_set_external_task_id (lost_request, kinema_task_get_id (lost));
  kinema_history_save (history, sent);
  kinema_history_save (history, lost);
  g_assert_true (kinema_history_flush_sync (history, &error));
  g_clear_object (&history);

  /* The process died right after this submit left. */
  kinema_client_submit_async (f->client, kling, sent_request, NULL, tasks_test_result_cb, &result);
  tasks_wait_for (result != NULL);
  status = kinema_client_submit_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  manager = tasks_fixture_new_manager (f);
  wait_idle (manager);

  t = kinema_task_manager_lookup (manager, kinema_task_get_id (sent));
  g_assert_cmpint (kinema_task_get_status (t), ==, KINEMA_TASK_STATUS_SUCCEEDED);
  g_assert_cmpstr (kinema_task_get_remote_id (t), ==, status->remote_id);
  assert_clip (f, t);
  g_assert_cmpuint (kinema_sim_server_get_submit_count (f->sim, kinema_task_get_id (sent)), ==, 1);

  t = kinema_task_manager_lookup (manager, kinema_task_get_id (lost));
  g_assert_cmpint (kinema_task_get_status (t), ==, KINEMA_TASK_STATUS_NEEDS_CHECKING);
  g_assert_error (kinema_task_get_error (t), KINEMA_ERROR, KINEMA_ERROR_NOT_FOUND);
  g_assert_null (kinema_task_get_remote_id (t));
  g_assert_cmpuint (kinema_sim_server_get_submit_count (f->sim, kinema_task_get_id (lost)), ==, 0);
  free_manager (manager);
}

/* Kling's video extension as an ordinary job (issue 14; Kling docs, "Video Extension",
 * copy in WHQ25/rawgenai docs/research/kling/video-extend.md): durable, sent once on
 * POST /v1/videos/video-extend, polled on GET /v1/videos/video-extend/{id} (the simulator
 * finds an extension on that route only), recovered by its external_task_id on that route
 * after a crash, and linked to its parent in the history and the sidecar. */
static void
test_extend_job (TasksFixture *f,
                 gconstpointer data)
{
  g_autoptr(KinemaProvider) kling = kinema_provider_new ("kling-sim", "Kling", kinema_sim_server_get_base_url (f->sim),
                                                          KINEMA_API_STYLE_KLING, KINEMA_AUTH_KLING_JWT);
  g_autoptr(KinemaRequest) parent_request = tasks_test_request ("A kite on the beach");
  g_autoptr(KinemaRequest) extension = NULL;
  g_autoptr(KinemaRequest) from_sidecar = NULL;
  g_autoptr(KinemaRequest) made = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char   *parent_id = NULL;
  g_autofree char   *extension_id = NULL;
  g_autofree char   *video_id = NULL;
  g_autofree char   *reason = NULL;
  KinemaTaskManager *manager;
  KinemaTask        *parent;
  KinemaTask        *t;

  kinema_sim_server_set_kling_keys (f->sim, "AK-test", "SK-test");
  kinema_provider_set_kling_keys (kling, "AK-test", "SK-test");
  kinema_provider_registry_add (f->registry, kling);
  kinema_request_set_model (parent_request, "kling-v1-6");

  manager = tasks_fixture_new_manager (f);
  tasks = kinema_task_manager_generate (manager, kling, parent_request, 1, &error);
  g_assert_no_error (error);
  parent = g_ptr_array_index (tasks, 0);
  parent_id = g_strdup (kinema_task_get_id (parent));
  wait_idle (manager);
  g_assert_cmpint (kinema_task_get_status (parent), ==, KINEMA_TASK_STATUS_SUCCEEDED);
  video_id = g_strdup (kinema_task_get_video_id (parent));
  g_assert_nonnull (video_id);
  made = kinema_request_copy (kinema_task_get_request (parent));
  reason = kinema_provider_dup_extend_reason (kling, parent);
  g_assert_null (reason);
  /* The gateway-style provider of the fixture has no such route. */
  reason = kinema_provider_dup_extend_reason (f->provider, parent);
  g_assert_nonnull (reason);

  extension = kinema_request_new_extension (kinema_task_get_request (parent), parent_id, video_id,
                                            kinema_task_estimate_clip_seconds (parent));
  kinema_request_set_prompt (extension, "The kite climbs");
  g_clear_pointer (&tasks, g_ptr_array_unref);
  tasks = kinema_task_manager_generate (manager, kling, extension, 1, &error);
  g_assert_no_error (error);
  t = g_ptr_array_index (tasks, 0);
  extension_id = g_strdup (kinema_task_get_id (t));
  wait_idle (manager);
  g_assert_cmpint (kinema_task_get_status (t), ==, KINEMA_TASK_STATUS_SUCCEEDED);
  g_assert_cmpint (kinema_task_get_kind (t), ==, KINEMA_TASK_KIND_VIDEO_EXTEND);
  g_assert_cmpstr (kinema_task_get_video_id (t), !=, video_id);
  g_assert_nonnull (kinema_task_get_video_path (t));
  g_assert_cmpuint (kinema_sim_server_get_submit_count (f->sim, extension_id), ==, 1);
  g_assert_cmpuint (kinema_sim_server_get_request_count (f->sim, "POST /v1/videos/video-extend"), ==, 1);
  g_assert_cmpuint (kinema_sim_server_get_request_count (f->sim, "GET /v1/videos/video-extend/{id}"), >, 0);

  g_assert_true (kinema_sidecar_read (kinema_task_get_video_path (t), &from_sidecar, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kinema_request_get_kind (from_sidecar), ==, KINEMA_TASK_KIND_VIDEO_EXTEND);
  g_assert_cmpint (kinema_request_get_link_kind (from_sidecar), ==, KINEMA_LINK_EXTEND);
  g_assert_cmpstr (kinema_request_get_parent_task_id (from_sidecar), ==, parent_id);
  g_assert_cmpstr (kinema_request_get_video_id (from_sidecar), ==, video_id);
  free_manager (manager);

  /* After a restart: the same finished extension, its link kept, nothing sent again. */
  manager = tasks_fixture_new_manager (f);
  wait_idle (manager);
  t = kinema_task_manager_lookup (manager, extension_id);
  g_assert_cmpint (kinema_task_get_status (t), ==, KINEMA_TASK_STATUS_SUCCEEDED);
  g_assert_cmpint (kinema_task_get_link_kind (t), ==, KINEMA_LINK_EXTEND);
  g_assert_cmpstr (kinema_task_get_parent_id (t), ==, parent_id);
  g_assert_cmpuint (kinema_sim_server_get_request_count (f->sim, "POST /v1/videos/video-extend"), ==, 1);

  /* Kinema quit while one extension was generating and right after another one's submit
   * left: the first resumes polling on the video-extend route, the second is found by its
   * external_task_id there. Neither is sent again. */
  {
    g_autoptr(KinemaHistory) history = kinema_history_new (f->data_dir);
    g_autoptr(KinemaRequest) running_request = kinema_request_new_extension (made, parent_id, video_id, 5.1);
    g_autoptr(KinemaRequest) sent_request = kinema_request_new_extension (made, parent_id, video_id, 5.1);
    g_autoptr(KinemaTask) running = kinema_task_new (NULL, "kling-sim", "Kling", running_request, FALSE);
    g_autoptr(KinemaTask) sent = kinema_task_new (NULL, "kling-sim", "Kling", sent_request, FALSE);
    g_autofree char *running_remote = NULL;
    g_autofree char *sent_remote = NULL;

    free_manager (manager);
    kinema_request_set_external_task_id (running_request, kinema_task_get_id (running));
    kinema_request_set_external_task_id (sent_request, kinema_task_get_id (sent));
    running_remote = submit_request (f, kling, running_request);
    kinema_task_set_remote_id (running, running_remote);
    kinema_task_set_status (running, KINEMA_TASK_STATUS_RUNNING);
    kinema_task_set_submitted_at (running, g_get_real_time ());
    sent_remote = submit_request (f, kling, sent_request);

    kinema_history_save (history, running);
    kinema_history_save (history, sent);
    g_assert_true (kinema_history_flush_sync (history, &error));
    g_assert_no_error (error);

    manager = tasks_fixture_new_manager (f);
    wait_idle (manager);
    t = kinema_task_manager_lookup (manager, kinema_task_get_id (running));
    g_assert_cmpint (kinema_task_get_status (t), ==, KINEMA_TASK_STATUS_SUCCEEDED);
    g_assert_cmpint (kinema_task_get_kind (t), ==, KINEMA_TASK_KIND_VIDEO_EXTEND);
    t = kinema_task_manager_lookup (manager, kinema_task_get_id (sent));
    g_assert_cmpint (kinema_task_get_status (t), ==, KINEMA_TASK_STATUS_SUCCEEDED);
    g_assert_cmpstr (kinema_task_get_remote_id (t), ==, sent_remote);
    g_assert_cmpuint (kinema_sim_server_get_submit_count (f->sim, kinema_task_get_id (running)), ==, 1);
    g_assert_cmpuint (kinema_sim_server_get_submit_count (f->sim, kinema_task_get_id (sent)), ==, 1);
    g_assert_cmpuint (kinema_sim_server_get_request_count (f->sim, "POST /v1/videos/video-extend"), ==, 3);
  }
  free_manager (manager);
}

/* A download cut off more often than one call retries: the manager tries again later. */
static void
test_download_retried (TasksFixture *f,
                       gconstpointer data)
{
  g_autoptr(KinemaRequest) request = tasks_test_request ("Shaky line");
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  KinemaTaskManager *manager = tasks_fixture_new_manager (f);
  KinemaSimFault     cut = { "GET", "/cdn/*", KINEMA_SIM_FAULT_TRUNCATED_DOWNLOAD, 0, 0, 0, 4, FALSE, NULL };
  KinemaTask        *task;

  kinema_sim_server_add_fault (f->sim, &cut);
  tasks = kinema_task_manager_generate (manager, f->provider, request, 1, &error);
  g_assert_no_error (error);
  task = g_ptr_array_index (tasks, 0);
  tasks_wait_for (kinema_task_get_status (task) == KINEMA_TASK_STATUS_DOWNLOADING &&
                  kinema_task_get_error (task) != NULL);
  /* Between tries the partial file stays. */
  g_assert_nonnull (kinema_task_get_part_path (task));
  g_assert_true (g_file_test (kinema_task_get_part_path (task), G_FILE_TEST_IS_REGULAR));
  wait_idle (manager);
  g_assert_cmpint (kinema_task_get_status (task), ==, KINEMA_TASK_STATUS_SUCCEEDED);
  g_assert_null (kinema_task_get_error (task));
  assert_clip (f, task);
  g_assert_cmpuint (tasks_test_count_requests (f->sim, "GET", "/cdn/"), >=, 5);
  free_manager (manager);
}

static void
test_wait_idle_cancelled (TasksFixture *f,
                          gconstpointer data)
{
  g_autoptr(KinemaRequest) request = tasks_test_request ("Long job");
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  KinemaTaskManager *manager;
  GAsyncResult      *result = NULL;

  kinema_sim_server_set_clock (f->sim, 60000, 60000);
  manager = tasks_fixture_new_manager (f);
  tasks = kinema_task_manager_generate (manager, f->provider, request, 1, &error);
  g_assert_no_error (error);

  kinema_task_manager_wait_idle_async (manager, cancellable, tasks_test_result_cb, &result);
  tasks_wait_for (kinema_task_get_remote_id (g_ptr_array_index (tasks, 0)) != NULL);
  g_assert_null (result);
  g_cancellable_cancel (cancellable);
  tasks_wait_for (result != NULL);
  g_assert_false (kinema_task_manager_wait_idle_finish (manager, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_object (&result);

  /* Stopping the last active task makes the manager idle. */
  kinema_task_manager_stop (manager, g_ptr_array_index (tasks, 0));
  wait_idle (manager);
  free_manager (manager);
}

/* The offline demo end to end: a rendered clip, marked as a demo task. */
static void
test_demo_task (TasksFixture *f,
                gconstpointer data)
{
  g_autofree char *state = g_build_filename (f->dir, "demo", NULL);
  g_autoptr(KinemaDemo) demo = kinema_demo_new (f->registry, state);
  g_autoptr(KinemaRequest) request = tasks_test_request ("A lighthouse at dusk");
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  KinemaProvider    *provider = kinema_provider_registry_get_demo (f->registry);
  KinemaTaskManager *manager;
  KinemaTask        *task;

  g_assert_true (kinema_demo_start (demo, &error));
  g_assert_no_error (error);
  kinema_sim_server_set_clock (kinema_demo_get_server (demo), 100, 100);

  manager = tasks_fixture_new_manager (f);
  tasks = kinema_task_manager_generate (manager, provider, request, 1, &error);
  g_assert_no_error (error);
  task = g_ptr_array_index (tasks, 0);
  g_assert_true (kinema_task_get_is_demo (task));
  wait_idle (manager);

  g_assert_cmpint (kinema_task_get_status (task), ==, KINEMA_TASK_STATUS_SUCCEEDED);
  g_assert_nonnull (kinema_task_get_video_path (task));
  g_assert_true (g_file_test (kinema_task_get_video_path (task), G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_str_has_prefix (kinema_task_get_video_path (task), f->downloads_dir));
  free_manager (manager);

  soup_session_abort (kinema_http_client_get_session (kinema_client_get_http_client (f->client)));
  tasks_fixture_iterate ();
  kinema_demo_stop (demo);
  tasks_fixture_iterate ();
}

/* Issue 12 point 10 on the offline demo: a demo job generating when Kinema quit is
 * still generating after a restart of Kinema and of its demo, never Queued. */
static void
test_demo_restart (TasksFixture *f,
                   gconstpointer data)
{
  g_autofree char *state = g_build_filename (f->dir, "demo", NULL);
  g_autoptr(KinemaDemo) demo = kinema_demo_new (f->registry, state);
  g_autoptr(KinemaRequest) request = tasks_test_request ("A lighthouse at dusk");
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char   *id = NULL;
  KinemaProvider    *provider = kinema_provider_registry_get_demo (f->registry);
  KinemaTaskManager *manager;
  KinemaTask        *task;
  gint64             submitted;

  g_assert_true (kinema_demo_start (demo, &error));
  g_assert_no_error (error);
  kinema_sim_server_set_clock (kinema_demo_get_server (demo), 50, 600000);

  manager = tasks_fixture_new_manager (f);
  tasks = kinema_task_manager_generate (manager, provider, request, 1, &error);
  g_assert_no_error (error);
  task = g_ptr_array_index (tasks, 0);
  id = g_strdup (kinema_task_get_id (task));
  tasks_wait_for (kinema_task_get_status (task) == KINEMA_TASK_STATUS_RUNNING);
  submitted = kinema_task_get_submitted_at (task);
  g_assert_cmpint (submitted, >, 0);
  free_manager (manager);
  soup_session_abort (kinema_http_client_get_session (kinema_client_get_http_client (f->client)));
  tasks_fixture_iterate ();
  kinema_demo_stop (demo);
  tasks_fixture_iterate ();

  /* the next start */
  g_assert_true (kinema_demo_start (demo, &error));
  g_assert_no_error (error);
  kinema_sim_server_set_clock (kinema_demo_get_server (demo), 50, 600000);
  manager = tasks_fixture_new_manager (f);
  task = kinema_task_manager_lookup (manager, id);
  g_assert_cmpint (kinema_task_get_status (task), ==, KINEMA_TASK_STATUS_RUNNING);
  for (guint i = 0; i < 5; i++)
    {
      gint64 until = g_get_monotonic_time () + 100 * 1000;

      while (g_get_monotonic_time () < until)
        g_main_context_iteration (NULL, FALSE);
      g_assert_cmpint (kinema_task_get_status (task), ==, KINEMA_TASK_STATUS_RUNNING);
    }
  g_assert_cmpint (kinema_task_get_submitted_at (task), ==, submitted);
  kinema_task_manager_stop (manager, task);
  free_manager (manager);

  soup_session_abort (kinema_http_client_get_session (kinema_client_get_http_client (f->client)));
  tasks_fixture_iterate ();
  kinema_demo_stop (demo);
  tasks_fixture_iterate ();
}

/* A Downloading task with @prompt whose job finished at the simulator. */
static KinemaTask *
store_downloading (TasksFixture *f,
                   const char   *prompt,
                   gboolean      with_url)
{
  g_autoptr(KinemaRequest) request = tasks_test_request (prompt);
  g_autoptr(KinemaHistory) history = kinema_history_new (f->data_dir);
  g_autoptr(GError) error = NULL;
  KinemaTask      *task = kinema_task_new (NULL, "sim", "Simulator", request, FALSE);
  g_autofree char *remote_id = NULL;

  kinema_request_set_external_task_id (request, kinema_task_get_id (task));
  remote_id = submit_directly (f, kinema_task_get_id (task));
  if (with_url)
    {
      g_autoptr(KinemaRemoteStatus) status = NULL;
      GAsyncResult *result = NULL;

      kinema_sim_server_advance_clock (f->sim, 10000);
      for (guint i = 0; i < 5 && (status == NULL || status->state != KINEMA_REMOTE_STATE_SUCCEEDED); i++)
        {
          g_clear_pointer (&status, kinema_remote_status_free);
          kinema_client_poll_async (f->client, f->provider, KINEMA_TASK_KIND_TEXT_TO_VIDEO, remote_id, NULL,
                                    tasks_test_result_cb, &result);
          tasks_wait_for (result != NULL);
          status = kinema_client_poll_finish (f->client, result, &error);
          g_assert_no_error (error);
          g_clear_object (&result);
        }
      g_assert_cmpint (status->state, ==, KINEMA_REMOTE_STATE_SUCCEEDED);
      kinema_task_set_video_url (task, status->video_url);
    }
  kinema_task_set_remote_id (task, remote_id);
  kinema_task_set_submitted_at (task, g_get_real_time ());
  kinema_task_set_status (task, KINEMA_TASK_STATUS_DOWNLOADING);
  kinema_history_save (history, task);
  g_assert_true (kinema_history_flush_sync (history, &error));
  g_assert_no_error (error);
  return task;
}

/* The name the downloader gives @task's files, without extension. */
static char *
task_stem (TasksFixture *f,
           KinemaTask   *task)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (kinema_task_get_created_at (task) / G_USEC_PER_SEC);
  g_autofree char *stamp = g_date_time_format (when, "%Y-%m-%d_%H-%M-%S");
  g_autofree char *excerpt = kinema_downloader_sanitize_prompt (kinema_task_get_prompt (task), 40);
  g_autofree char *name = g_strdup_printf ("%s_%s", stamp, excerpt);

  return g_build_filename (f->downloads_dir, name, NULL);
}

static void
save_task (TasksFixture *f,
           KinemaTask   *task)
{
  g_autoptr(KinemaHistory) history = kinema_history_new (f->data_dir);
  g_autoptr(GError) error = NULL;

  kinema_history_save (history, task);
  g_assert_true (kinema_history_flush_sync (history, &error));
  g_assert_no_error (error);
}

/* A process killed while a clip was being saved leaves, under the task's own name: the
 * finished clip renamed before Succeeded was stored (with the sidecar's temporary file
 * when it died writing that), a finished clip whose .part name never reached the
 * history, or the empty .part reserved before its name was stored. Resuming takes each
 * back instead of downloading again as NAME-2. */
static void
test_leftovers_taken_back (TasksFixture *f,
                           gconstpointer data)
{
  g_autoptr(KinemaTask) renamed = store_downloading (f, "Renamed before the commit", FALSE);
  g_autoptr(KinemaTask) unnamed = store_downloading (f, "Downloaded before its name was stored", FALSE);
  g_autoptr(KinemaTask) reserved = store_downloading (f, "Reserved before its name was stored", TRUE);
  g_autofree char *renamed_stem = task_stem (f, renamed);
  g_autofree char *renamed_part = g_strconcat (renamed_stem, ".part", NULL);
  g_autofree char *renamed_clip = g_strconcat (renamed_stem, ".mp4", NULL);
  g_autofree char *renamed_temp = g_strconcat (renamed_stem, ".json.Q7XK2Z", NULL);
  g_autofree char *unnamed_stem = task_stem (f, unnamed);
  g_autofree char *unnamed_clip = g_strconcat (unnamed_stem, ".mp4", NULL);
  g_autofree char *reserved_stem = task_stem (f, reserved);
  g_autofree char *reserved_part = g_strconcat (reserved_stem, ".part", NULL);
  g_autofree char *reserved_clip = g_strconcat (reserved_stem, ".mp4", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  KinemaTaskManager *manager;
  KinemaTask        *t;
  const char        *name;
  guint              n_files = 0;

  g_assert_cmpint (g_mkdir_with_parents (f->downloads_dir, 0755), ==, 0);
  kinema_task_set_part_path (renamed, renamed_part);
  save_task (f, renamed);
  g_assert_true (g_file_set_contents (renamed_clip, g_bytes_get_data (f->clip, NULL), g_bytes_get_size (f->clip), &error));
  g_assert_true (g_file_set_contents (renamed_temp, "{\"kinema_sid", -1, &error));
  g_assert_true (g_file_set_contents (unnamed_clip, g_bytes_get_data (f->clip, NULL), g_bytes_get_size (f->clip), &error));
  g_assert_true (g_file_set_contents (reserved_part, "", 0, &error));
  g_assert_no_error (error);

  manager = tasks_fixture_new_manager (f);
  wait_idle (manager);

  t = kinema_task_manager_lookup (manager, kinema_task_get_id (renamed));
  g_assert_cmpint (kinema_task_get_status (t), ==, KINEMA_TASK_STATUS_SUCCEEDED);
  g_assert_cmpstr (kinema_task_get_video_path (t), ==, renamed_clip);
  assert_clip (f, t);
  g_assert_false (g_file_test (renamed_temp, G_FILE_TEST_EXISTS));

  t = kinema_task_manager_lookup (manager, kinema_task_get_id (unnamed));
  g_assert_cmpint (kinema_task_get_status (t), ==, KINEMA_TASK_STATUS_SUCCEEDED);
  g_assert_cmpstr (kinema_task_get_video_path (t), ==, unnamed_clip);
  assert_clip (f, t);

  t = kinema_task_manager_lookup (manager, kinema_task_get_id (reserved));
  g_assert_cmpint (kinema_task_get_status (t), ==, KINEMA_TASK_STATUS_SUCCEEDED);
  g_assert_cmpstr (kinema_task_get_video_path (t), ==, reserved_clip);
  assert_clip (f, t);

  /* Only the reserved one was downloaded; three clips and their sidecars, nothing else. */
  g_assert_cmpuint (tasks_test_count_requests (f->sim, "GET", "/cdn/"), ==, 1);
  dir = g_dir_open (f->downloads_dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_test_message ("%s", name);
      g_assert_true (g_str_has_suffix (name, ".mp4") || g_str_has_suffix (name, ".json"));
      n_files++;
    }
  g_assert_cmpuint (n_files, ==, 6);
  free_manager (manager);
}

static gboolean
set_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* One process at a time follows a history's unfinished tasks: a second manager that
 * cannot take the resume lock lists them without polling them. */
static void
test_resume_lock (TasksFixture *f,
                  gconstpointer data)
{
  g_autofree char *remote_id = submit_directly (f, "ext-locked");
  g_autoptr(KinemaTask) queued = store_task (f, KINEMA_TASK_STATUS_QUEUED, remote_id);
  KinemaTaskManager *first = kinema_task_manager_new (f->data_dir, f->downloads_dir, f->registry, f->client);
  KinemaTaskManager *second = kinema_task_manager_new (f->data_dir, f->downloads_dir, f->registry, f->client);
  GAsyncResult      *result = NULL;
  g_autoptr(GError) error = NULL;
  KinemaTask *t;
  guint       before;
  gboolean    waited = FALSE;

  g_assert_true (kinema_task_manager_lock_resume (first));
  g_assert_false (kinema_task_manager_lock_resume (second));

  before = kinema_sim_server_get_total_requests (f->sim);
  kinema_task_manager_set_poll_interval (second, 0.05);
  kinema_task_manager_load_async (second, NULL, tasks_test_result_cb, &result);
  tasks_wait_for (result != NULL);
  g_assert_true (kinema_task_manager_load_finish (second, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  t = kinema_task_manager_lookup (second, kinema_task_get_id (queued));
  g_assert_nonnull (t);
  /* Many poll intervals later, nothing was asked and nothing changed. */
  g_timeout_add (500, set_flag_cb, &waited);
  tasks_wait_for (waited);
  g_assert_cmpuint (kinema_sim_server_get_total_requests (f->sim), ==, before);
  g_assert_cmpint (kinema_task_get_status (t), ==, KINEMA_TASK_STATUS_QUEUED);
  free_manager (second);

  /* The holder resumes it. */
  kinema_sim_server_advance_clock (f->sim, 60000);
  kinema_task_manager_set_poll_interval (first, 0.05);
  kinema_task_manager_load_async (first, NULL, tasks_test_result_cb, &result);
  tasks_wait_for (result != NULL);
  g_assert_true (kinema_task_manager_load_finish (first, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  wait_idle (first);
  t = kinema_task_manager_lookup (first, kinema_task_get_id (queued));
  g_assert_cmpint (kinema_task_get_status (t), ==, KINEMA_TASK_STATUS_SUCCEEDED);
  free_manager (first);

  /* Released with its manager. */
  second = kinema_task_manager_new (f->data_dir, f->downloads_dir, f->registry, f->client);
  g_assert_true (kinema_task_manager_lock_resume (second));
  g_object_unref (second);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/kinema/task-manager/" name, TasksFixture, NULL, tasks_fixture_setup, func, tasks_fixture_teardown)
  ADD ("generate-succeeds", test_generate_succeeds);
  ADD ("variants-newest-first", test_variants_newest_first);
  ADD ("remote-failure", test_remote_failure);
  ADD ("submit-refused", test_submit_refused);
  ADD ("submit-dropped", test_submit_dropped);
  ADD ("submit-not-sent", test_submit_not_sent);
  ADD ("restart-every-state", test_restart_every_state);
  ADD ("restart-keeps-state", test_restart_keeps_state);
  ADD ("stop-retry-remove", test_stop_retry_remove);
  ADD ("auth-pauses-provider", test_auth_pauses_provider);
  ADD ("recover-by-external-id", test_recover_by_external_id);
  ADD ("extend-job", test_extend_job);
  ADD ("download-retried", test_download_retried);
  ADD ("wait-idle-cancelled", test_wait_idle_cancelled);
  ADD ("demo-task", test_demo_task);
  ADD ("demo-restart", test_demo_restart);
  ADD ("leftovers-taken-back", test_leftovers_taken_back);
  ADD ("resume-lock", test_resume_lock);
#undef ADD

  return g_test_run ();
}
