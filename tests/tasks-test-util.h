/* tasks-test-util.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared fixture of the task tests: a temporary directory, the gateway simulator
 * on 127.0.0.1 serving a small fake MP4, a provider and a client for it.
 */

#pragma once

#include <string.h>

#include <glib/gstdio.h>

#include "kinema-client.h"
#include "kinema-error.h"
#include "kinema-provider-registry.h"
#include "kinema-sim-server.h"
#include "kinema-task-manager.h"
#include "test-util.h"

#define TEST_KEY "sk-test"
#define TEST_CLIP_SIZE (600 * 1024 + 123)

typedef struct
{
  char                   *dir;
  char                   *data_dir;
  char                   *downloads_dir;
  char                   *clip_path;
  GBytes                 *clip;
  KinemaSimServer        *sim;
  KinemaClient           *client;
  KinemaProviderRegistry *registry;
  KinemaProvider         *provider;
} TasksFixture;

static inline GBytes *
tasks_test_make_clip (const char *path)
{
  GByteArray       *data = g_byte_array_sized_new (TEST_CLIP_SIZE);
  /* The box chain of an MP4: ftyp, a small moov, and mdat up to the end. */
  static const char head[] = "\0\0\0\x18"
                             "ftypmp42\0\0\0\0mp42isom"
                             "\0\0\0\x10"
                             "moov"
                             "\0\0\0\x08"
                             "free";
  guint32           mdat = GUINT32_TO_BE (TEST_CLIP_SIZE - (sizeof head - 1));
  g_autoptr(GError) error = NULL;
  GBytes           *bytes;

  g_byte_array_append (data, (const guint8 *) head, sizeof head - 1);
  g_byte_array_append (data, (const guint8 *) &mdat, 4);
  g_byte_array_append (data, (const guint8 *) "mdat", 4);
  while (data->len < TEST_CLIP_SIZE)
    {
      guint32 v = g_random_int ();

      g_byte_array_append (data, (const guint8 *) &v, MIN (sizeof v, TEST_CLIP_SIZE - data->len));
    }
  bytes = g_byte_array_free_to_bytes (data);
  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  return bytes;
}

static inline KinemaClient *
tasks_test_make_client (void)
{
  g_autoptr(KinemaHttpClient) http = kinema_http_client_new ();

  /* The scheduler and the downloader do the retrying in these tests. */
  kinema_http_client_set_retry_policy (http, 0, 1);
  g_object_set (kinema_http_client_get_session (http), "timeout", 10, NULL);
  return kinema_client_new (http);
}

static inline void
tasks_fixture_setup (TasksFixture *f,
                     gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;

  f->dir = g_dir_make_tmp ("kinema-tasks-XXXXXX", &error);
  g_assert_no_error (error);
  f->data_dir = g_build_filename (f->dir, "data", NULL);
  f->downloads_dir = g_build_filename (f->dir, "Videos", "Kinema", NULL);
  f->clip_path = g_build_filename (f->dir, "clip.mp4", NULL);
  f->clip = tasks_test_make_clip (f->clip_path);

  f->sim = kinema_sim_server_new (NULL);
  kinema_sim_server_set_clip_file (f->sim, f->clip_path);
  kinema_sim_server_set_clock (f->sim, 150, 250);
  kinema_sim_server_add_bearer_key (f->sim, TEST_KEY);
  kinema_sim_server_start (f->sim, 0, &error);
  g_assert_no_error (error);

  f->client = tasks_test_make_client ();
  f->registry = kinema_provider_registry_new (f->dir);
  base = g_strconcat (kinema_sim_server_get_base_url (f->sim), "/kling", NULL);
  f->provider = kinema_provider_new ("sim", "Simulator", base, KINEMA_API_STYLE_KLING, KINEMA_AUTH_BEARER);
  kinema_provider_set_api_key (f->provider, TEST_KEY);
  kinema_provider_registry_add (f->registry, f->provider);
}

static inline void
tasks_fixture_iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static inline void
tasks_fixture_teardown (TasksFixture *f,
                        gconstpointer data)
{
  soup_session_abort (kinema_http_client_get_session (kinema_client_get_http_client (f->client)));
  tasks_fixture_iterate ();
  kinema_sim_server_stop (f->sim);
  tasks_fixture_iterate ();
  g_clear_object (&f->sim);
  tasks_fixture_iterate ();
  g_clear_object (&f->provider);
  g_clear_object (&f->registry);
  g_clear_object (&f->client);
  g_clear_pointer (&f->clip, g_bytes_unref);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->data_dir);
  g_free (f->downloads_dir);
  g_free (f->clip_path);
}

/* Runs the main loop until *@flag is set; a generous guard against hangs, not a timing assert. */
static inline gboolean
tasks_test_timeout_cb (gpointer user_data)
{
  g_error ("Timed out waiting: %s", (const char *) user_data);
  return G_SOURCE_REMOVE;
}

#define tasks_wait_for(cond)                                                            \
  G_STMT_START                                                                          \
  {                                                                                     \
    guint _guard = g_timeout_add_seconds (60, tasks_test_timeout_cb, (gpointer) #cond); \
    while (!(cond))                                                                     \
      g_main_context_iteration (NULL, TRUE);                                            \
    g_source_remove (_guard);                                                           \
  }                                                                                     \
  G_STMT_END

/* test-util.h's test_result_cb(), under the name the task tests use. */
#define tasks_test_result_cb test_result_cb

static inline KinemaRequest *
tasks_test_request (const char *prompt)
{
  KinemaRequest *request = kinema_request_new (KINEMA_TASK_KIND_TEXT_TO_VIDEO);

  kinema_request_set_model (request, "kling-v2-5-turbo");
  kinema_request_set_prompt (request, prompt);
  return request;
}

static inline guint
tasks_test_count_requests (KinemaSimServer *sim,
                           const char      *method,
                           const char      *path_prefix)
{
  g_autoptr(JsonNode) stats = kinema_sim_server_dup_stats (sim);
  JsonArray *log = json_object_get_array_member (json_node_get_object (stats), "log");
  guint      n = 0;

  for (guint i = 0; i < json_array_get_length (log); i++)
    {
      JsonObject *entry = json_array_get_object_element (log, i);

      if (g_strcmp0 (json_object_get_string_member (entry, "method"), method) == 0 &&
          g_str_has_prefix (json_object_get_string_member (entry, "path"), path_prefix))
        n++;
    }
  return n;
}

/* A task manager on the fixture's folders, its history loaded, polling every 50 ms. */
static inline KinemaTaskManager *
tasks_fixture_new_manager (TasksFixture *f)
{
  KinemaTaskManager *manager = kinema_task_manager_new (f->data_dir, f->downloads_dir, f->registry, f->client);
  GAsyncResult      *result = NULL;
  g_autoptr(GError) error = NULL;

  kinema_task_manager_set_poll_interval (manager, 0.05);
  kinema_task_manager_load_async (manager, NULL, tasks_test_result_cb, &result);
  tasks_wait_for (result != NULL);
  g_assert_true (kinema_task_manager_load_finish (manager, result, &error));
  g_assert_no_error (error);
  g_object_unref (result);
  return manager;
}
