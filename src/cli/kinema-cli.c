/* kinema-cli.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kinema-cli: generate, list, show and resume jobs on the same core, providers and
 * history as the app. Progress goes to stderr, the --json summary to stdout; the exit
 * codes are listed in kinema-cli.h and the README.
 */

#define G_LOG_DOMAIN "kinema-cli"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "kinema-api-style.h"
#include "kinema-atomic-file.h"
#include "kinema-cli.h"
#include "kinema-client.h"
#include "kinema-continuation.h"
#include "kinema-demo.h"
#include "kinema-enums.h"
#include "kinema-error.h"
#include "kinema-exporter.h"
#include "kinema-history.h"
#include "kinema-http-client.h"
#include "kinema-i18n.h"
#include "kinema-image.h"
#include "kinema-models.h"
#include "kinema-provider-registry.h"
#include "kinema-task-manager.h"

/* How long a job may keep failing its polls or downloads (the HTTP client has
 * retried each one already) before kinema-cli gives up with exit 4. The job stays
 * resumable. */
#define GIVE_UP_S 60.0

typedef struct
{
  GMainContext           *context;
  KinemaProviderRegistry *registry;
  KinemaDemo             *demo;
  KinemaHttpClient       *http;
  KinemaClient           *client;
  KinemaTaskManager      *manager;

  /* While waiting for jobs */
  GPtrArray  *tracked;     /* KinemaTask */
  GHashTable *paused;      /* provider id → GError */
  GHashTable *error_since; /* KinemaTask → monotonic µs of its first failed retry */
  GHashTable *given_up;    /* KinemaTask set: errors for longer than give_up_s */
  double      give_up_s;
  gboolean    json;
  gboolean    no_wait;
  gboolean    tty;
  gboolean    stopping;    /* Ctrl+C or --timeout while a submit is on the wire */
  gboolean    interrupted; /* stop now */
  gboolean    done;
  char       *last_line;
  guint       timeout_id;
  guint       sigint_id;
  guint       sigterm_id;
  guint       watch_id;
  gulong      paused_id;
} Cli;

static void
cli_clear (Cli *cli)
{
  if (cli->timeout_id != 0)
    g_source_remove (cli->timeout_id);
  if (cli->sigint_id != 0)
    g_source_remove (cli->sigint_id);
  if (cli->sigterm_id != 0)
    g_source_remove (cli->sigterm_id);
  if (cli->watch_id != 0)
    g_source_remove (cli->watch_id);
  if (cli->paused_id != 0)
    g_signal_handler_disconnect (cli->manager, cli->paused_id);
  if (cli->tracked != NULL)
    {
      for (guint i = 0; i < cli->tracked->len; i++)
        g_signal_handlers_disconnect_by_data (g_ptr_array_index (cli->tracked, i), cli);
    }
  g_clear_pointer (&cli->tracked, g_ptr_array_unref);
  g_clear_pointer (&cli->paused, g_hash_table_unref);
  g_clear_pointer (&cli->error_since, g_hash_table_unref);
  g_clear_pointer (&cli->given_up, g_hash_table_unref);
  g_clear_pointer (&cli->last_line, g_free);
  /* Every change on disk before the process ends. */
  if (cli->manager != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!kinema_task_manager_flush (cli->manager, &error))
        kinema_cli_print_error (error);
    }
  g_clear_object (&cli->manager);
  if (cli->demo != NULL)
    kinema_demo_stop (cli->demo);
  g_clear_object (&cli->demo);
  g_clear_object (&cli->client);
  g_clear_object (&cli->http);
  g_clear_object (&cli->registry);
  /* Let finished sources and idle callbacks run down. */
  while (g_main_context_iteration (cli->context, FALSE))
    ;
}

/* ------------------------------------------------------------------------- */
/* Running an async call to its end */

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (Cli           *cli,
          GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (cli->context, TRUE);
  return *slot;
}

/* ------------------------------------------------------------------------- */
/* Setup shared by the commands */

static char *
dup_config_dir (void)
{
  return g_build_filename (g_get_user_config_dir (), "kinema", NULL);
}

static char *
dup_data_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "kinema", NULL);
}

static char *
dup_default_downloads_dir (void)
{
  const char *videos = g_get_user_special_dir (G_USER_DIRECTORY_VIDEOS);

  /* Without xdg-user-dirs (or with it pointing at $HOME) use ~/Videos like the app. */
  if (videos == NULL || g_strcmp0 (videos, g_get_home_dir ()) == 0)
    return g_build_filename (g_get_home_dir (), "Videos", "Kinema", NULL);
  return g_build_filename (videos, "Kinema", NULL);
}

static void
open_registry (Cli *cli)
{
  g_autofree char *config_dir = NULL;
  g_autoptr(GError) error = NULL;

  if (cli->registry != NULL)
    return;
  config_dir = dup_config_dir ();
  cli->registry = kinema_provider_registry_new (config_dir);
  if (!kinema_provider_registry_load (cli->registry, &error))
    g_printerr (_("kinema-cli: %s Only the offline demo is available.\n"), error->message);
}

static gboolean
registry_needs_keys (Cli *cli)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (cli->registry));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KinemaProvider) provider = g_list_model_get_item (G_LIST_MODEL (cli->registry), i);

      if (!kinema_provider_get_is_demo (provider) && !kinema_provider_get_has_credentials (provider))
        return TRUE;
    }
  return FALSE;
}

/* Keys from the keyring for the providers that have none from the environment. The
 * registry gives up after a few seconds when no keyring answers. */
static void
load_keys (Cli *cli)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (!registry_needs_keys (cli))
    return;

  kinema_provider_registry_load_keys_async (cli->registry, NULL, store_result_cb, &result);
  if (!kinema_provider_registry_load_keys_finish (cli->registry, wait_for (cli, &result), &error))
    g_debug ("Keys not loaded: %s", error->message);
}

/* The demo runs inside this process; its jobs (and clips) live in its state dir,
 * so demo tasks resume here as they do in the app. */
static gboolean
start_demo (Cli     *cli,
            gboolean needed)
{
  g_autofree char *state_dir = kinema_demo_dup_default_state_dir ();
  g_autoptr(GError) error = NULL;

  if (cli->demo != NULL)
    return TRUE;
  if (!needed && !g_file_test (state_dir, G_FILE_TEST_IS_DIR))
    return TRUE;

  cli->demo = kinema_demo_new (cli->registry, state_dir);
  if (!kinema_demo_start (cli->demo, &error))
    {
      if (needed)
        kinema_cli_print_error (error);
      else
        g_debug ("Offline demo not started: %s", error->message);
      return FALSE;
    }
  return TRUE;
}

/* A history that could not be read was moved aside and a new one started: say so. */
static void
report_moved_aside (const char *aside)
{
  if (aside != NULL)
    g_printerr (_("kinema-cli: The job history could not be read (it is damaged or not Kinema’s). It was "
                  "moved to %s and a new, empty history was started.\n"),
                   aside);
}

/* Loads the history. *@resumes tells whether this process follows the unfinished
 * tasks, or another one does (it holds the resume lock): then only new ones are ours. */
static gboolean
open_manager (Cli        *cli,
              const char *downloads_dir,
              gboolean   *resumes,
              GError    **error)
{
  g_autofree char *data_dir = dup_data_dir ();
  g_autofree char *default_downloads = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  if (downloads_dir == NULL)
    downloads_dir = default_downloads = dup_default_downloads_dir ();

  cli->http = kinema_http_client_new ();
  cli->client = kinema_client_new (cli->http);
  cli->manager = kinema_task_manager_new (data_dir, downloads_dir, cli->registry, cli->client);
  *resumes = kinema_task_manager_lock_resume (cli->manager);
  kinema_task_manager_load_async (cli->manager, NULL, store_result_cb, &result);
  if (!kinema_task_manager_load_finish (cli->manager, wait_for (cli, &result), error))
    return FALSE;
  report_moved_aside (kinema_task_manager_get_moved_aside_history (cli->manager));
  return TRUE;
}

/* --poll-interval: the scheduler's densest interval; the give-up time follows it. */
static void
set_poll_interval (Cli   *cli,
                   double seconds)
{
  cli->give_up_s = GIVE_UP_S;
  if (seconds <= 0)
    return;
  kinema_task_manager_set_poll_interval (cli->manager, seconds);
  cli->give_up_s = CLAMP (seconds * 40, 2.0, GIVE_UP_S);
}

/* The history as it is on disk, newest first, for `list` and `show`: read only, so
 * that looking does not resume (or mark) jobs another process may be working on. */
static GPtrArray *
read_history (Cli     *cli,
              GError **error)
{
  g_autofree char *data_dir = dup_data_dir ();
  g_autoptr(KinemaHistory) history = kinema_history_new (data_dir);
  g_autoptr(GAsyncResult) result = NULL;
  GPtrArray *tasks;

  kinema_history_load_async (history, NULL, store_result_cb, &result);
  tasks = kinema_history_load_finish (history, wait_for (cli, &result), error);
  report_moved_aside (kinema_history_get_moved_aside (history));
  if (tasks != NULL)
    g_ptr_array_set_free_func (tasks, g_object_unref);
  return tasks;
}

/* ------------------------------------------------------------------------- */
/* Choosing the provider */

static char *
normalize_url (const char *url)
{
  char *copy = g_strdup (url);
  gsize len = strlen (copy);

  while (len > 0 && copy[len - 1] == '/')
    copy[--len] = '\0';
  return copy;
}

static char *
dup_known_providers (Cli *cli)
{
  GString                    *str = g_string_new (NULL);
  guint                       n = g_list_model_get_n_items (G_LIST_MODEL (cli->registry));
  guint                       n_presets;
  const KinemaProviderPreset *presets = kinema_provider_presets (&n_presets);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KinemaProvider) provider = g_list_model_get_item (G_LIST_MODEL (cli->registry), i);

      g_string_append_printf (str, "%s%s", str->len > 0 ? ", " : "", kinema_provider_get_id (provider));
    }
  for (guint i = 0; i < n_presets; i++)
    {
      if (presets[i].base_url != NULL && kinema_provider_registry_lookup (cli->registry, presets[i].id) == NULL)
        g_string_append_printf (str, ", %s", presets[i].id);
    }
  return g_string_free (str, FALSE);
}

static gboolean
save_registry (Cli *cli)
{
  g_autoptr(GError) error = NULL;

  if (kinema_provider_registry_save (cli->registry, &error))
    return TRUE;
  g_printerr (_("kinema-cli: %s “kinema-cli resume” will not find this provider.\n"), error->message);
  return FALSE;
}

/* A provider for --base-url: the configured one with the same address, style and
 * authentication, else a new one added to the shared list (without keys), so that
 * `kinema-cli resume` and the app can follow the job later. */
static KinemaProvider *
provider_for_url (Cli                      *cli,
                  KinemaCliGenerateOptions *options,
                  GError                  **error)
{
  g_autoptr(GEnumClass) styles = g_type_class_ref (KINEMA_TYPE_API_STYLE);
  g_autoptr(GEnumClass) auths = g_type_class_ref (KINEMA_TYPE_AUTH_KIND);
  KinemaApiStyle   style = g_enum_get_value_by_nick (styles, options->api_style)->value;
  KinemaAuthKind   auth = options->auth != NULL ? (KinemaAuthKind) g_enum_get_value_by_nick (auths, options->auth)->value
                                                : KINEMA_AUTH_BEARER;
  g_autofree char *url = normalize_url (options->base_url);
  guint            n = g_list_model_get_n_items (G_LIST_MODEL (cli->registry));
  g_autoptr(GUri) uri = NULL;
  g_autoptr(KinemaProvider) provider = NULL;
  g_autofree char *base_id = NULL;
  g_autofree char *id = NULL;

  if (!kinema_provider_validate_base_url (url, error))
    return NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KinemaProvider) item = g_list_model_get_item (G_LIST_MODEL (cli->registry), i);
      g_autofree char *item_url = NULL;

      if (kinema_provider_get_is_demo (item) || kinema_provider_get_base_url (item) == NULL)
        continue;
      item_url = normalize_url (kinema_provider_get_base_url (item));
      if (g_str_equal (item_url, url) && kinema_provider_get_api_style (item) == style &&
          kinema_provider_get_auth_kind (item) == auth)
        return item;
    }

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  base_id = g_strdup_printf ("cli-%s", uri != NULL && g_uri_get_host (uri) != NULL ? g_uri_get_host (uri) : "custom");
  id = kinema_provider_registry_dup_unique_id (cli->registry, base_id);
  provider = kinema_provider_new (id, uri != NULL && g_uri_get_host (uri) != NULL ? g_uri_get_host (uri) : url,
                                  url, style, auth);
  kinema_provider_set_preset_id (provider, "custom");
  kinema_provider_registry_add (cli->registry, provider);
  save_registry (cli);
  return provider;
}

static KinemaProvider *
provider_for_name (Cli        *cli,
                   const char *name,
                   GError    **error)
{
  KinemaProvider             *provider;
  guint                       n = g_list_model_get_n_items (G_LIST_MODEL (cli->registry));
  const KinemaProviderPreset *preset;
  g_autofree char            *known = NULL;

  provider = kinema_provider_registry_lookup (cli->registry, name);
  if (provider != NULL)
    return provider;

  /* the name shown in Preferences works too */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KinemaProvider) item = g_list_model_get_item (G_LIST_MODEL (cli->registry), i);

      if (kinema_provider_get_name (item) != NULL &&
          g_utf8_collate (kinema_provider_get_name (item), name) == 0)
        return item;
    }

  /* a preset with a fixed address, used for the first time (keys from the environment) */
  preset = kinema_provider_preset_lookup (name);
  if (preset != NULL && preset->base_url != NULL)
    {
      provider = kinema_provider_registry_ensure_preset (cli->registry, name);
      save_registry (cli);
      return provider;
    }

  known = dup_known_providers (cli);
  if (preset != NULL)
    g_set_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT,
                 _("The provider “%s” needs the address your gateway gave you: add it in Preferences, "
                   "or use --base-url and --api-style."),
                    name);
  else
    g_set_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT,
                 _("No provider is called “%s”. Known providers: %s."), name, known);
  return NULL;
}

static KinemaProvider *
choose_provider (Cli                      *cli,
                 KinemaCliGenerateOptions *options,
                 GError                  **error)
{
  if (options->base_url != NULL)
    return provider_for_url (cli, options, error);
  if (options->provider != NULL)
    return provider_for_name (cli, options->provider, error);
  return kinema_provider_registry_get_default (cli->registry);
}

/* ------------------------------------------------------------------------- */
/* Images */

static gboolean
prepare_image (Cli           *cli,
               KinemaRequest *request,
               gboolean       tail,
               GError       **error)
{
  const char *image = tail ? kinema_request_get_image_tail (request) : kinema_request_get_image (request);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(KinemaImageInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;

  if (image == NULL || kinema_api_style_is_remote_image (image))
    return TRUE;

  path = g_canonicalize_filename (image, NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT,
                   _("There is no image file “%s”."), image);
      return FALSE;
    }

  kinema_image_prepare_async (path, NULL, NULL, store_result_cb, &result);
  info = kinema_image_prepare_finish (wait_for (cli, &result), &local_error);
  if (info == NULL)
    {
      if (local_error->domain == KINEMA_ERROR)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT,
                     _("The image “%s” cannot be used: %s"), image, local_error->message);
      return FALSE;
    }

  if (info->note != NULL)
    g_printerr ("kinema-cli: %s: %s\n", image, info->note);

  if (tail)
    kinema_request_set_image_tail (request, info->path);
  else
    kinema_request_set_image (request, info->path);
  return TRUE;
}

/* ------------------------------------------------------------------------- */
/* Following jobs */

/* What was last printed for a task (object data on it). */
typedef struct
{
  KinemaTaskStatus status;
  int              percent; /* -1: none */
  char            *line;
} Shown;

static void
shown_free (gpointer data)
{
  Shown *shown = data;

  g_free (shown->line);
  g_free (shown);
}

static char *
dup_remaining (gint64 remaining)
{
  if (remaining >= 90)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "about %d minute left", "about %d minutes left",
                                         (gulong) ((remaining + 30) / 60)),
                            (int) ((remaining + 30) / 60));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "about %d second left", "about %d seconds left",
                                       (gulong) remaining),
                          (int) remaining);
}

/* One line per change of state, and per 10 % of progress when stderr is not a
 * terminal; on a terminal one line that is kept up to date. */
static void
print_progress (Cli        *cli,
                KinemaTask *task)
{
  Shown           *shown = g_object_get_data (G_OBJECT (task), "kinema-cli-shown");
  KinemaTaskStatus status = kinema_task_get_status (task);
  double           progress = kinema_task_get_progress (task);
  int              percent = progress >= 0 ? (int) (progress * 100) : -1;
  gboolean         live = cli->tty && cli->tracked->len == 1;
  gint64           remaining = kinema_task_get_estimated_remaining (task);
  g_autofree char *label = NULL;
  g_autofree char *line = NULL;

  if (shown != NULL && shown->status == status &&
      (percent < 0 || (live ? percent == shown->percent : percent / 10 == shown->percent / 10)) && !live)
    return;

  label = kinema_task_dup_status_label (task);
  if (label == NULL)
    return;
  if (remaining > 0 && kinema_task_is_active (task))
    {
      g_autofree char *left = dup_remaining (remaining);

      line = g_strdup_printf ("%s (%s)", label, left);
    }
  else
    line = g_steal_pointer (&label);

  if (cli->tracked->len > 1)
    {
      g_autofree char *prefixed = g_strdup_printf ("%.8s  %s", kinema_task_get_id (task), line);

      g_free (line);
      line = g_steal_pointer (&prefixed);
    }

  if (shown == NULL)
    {
      shown = g_new0 (Shown, 1);
      g_object_set_data_full (G_OBJECT (task), "kinema-cli-shown", shown, shown_free);
    }
  else if (g_strcmp0 (line, shown->line) == 0 ||
           (shown->status == status && percent < 0 && shown->percent >= 0))
    return; /* the same, or only the percentage went away for a moment */

  if (percent >= 0 || status != shown->status)
    shown->percent = percent;
  shown->status = status;
  g_free (shown->line);
  shown->line = g_strdup (line);

  if (live)
    {
      /* our own escape sequence, around the filter */
      fputs ("\r\033[K", stderr);
      g_printerr ("%s", line);
    }
  else
    g_printerr ("%s\n", line);
  g_free (cli->last_line);
  cli->last_line = g_steal_pointer (&line);
}

static void
end_progress_line (Cli *cli)
{
  if (cli->tty && cli->tracked != NULL && cli->tracked->len == 1 && cli->last_line != NULL)
    g_printerr ("\n");
  g_clear_pointer (&cli->last_line, g_free);
}

/* TRUE when @task needs nothing more from this run. */
static gboolean
task_settled (Cli        *cli,
              KinemaTask *task)
{
  KinemaTaskStatus status = kinema_task_get_status (task);

  if (!kinema_task_is_active (task))
    return TRUE;
  if (cli->no_wait && status != KINEMA_TASK_STATUS_SUBMITTING)
    return TRUE;
  if (g_hash_table_contains (cli->paused, kinema_task_get_provider_id (task)))
    return TRUE;
  if (g_hash_table_contains (cli->given_up, task))
    return TRUE;
  if (cli->interrupted)
    return TRUE;
  if (cli->stopping && status != KINEMA_TASK_STATUS_SUBMITTING)
    return TRUE;
  return FALSE;
}

static void
check_done (Cli *cli)
{
  for (guint i = 0; i < cli->tracked->len; i++)
    if (!task_settled (cli, g_ptr_array_index (cli->tracked, i)))
      return;

  cli->done = TRUE;
  g_main_context_wakeup (cli->context);
}

static void
task_changed_cb (KinemaTask *task,
                 GParamSpec *pspec,
                 Cli        *cli)
{
  print_progress (cli, task);
  check_done (cli);
}

static void
provider_paused_cb (KinemaTaskManager *manager,
                    KinemaProvider    *provider,
                    GError            *error,
                    Cli               *cli)
{
  g_hash_table_replace (cli->paused, g_strdup (kinema_provider_get_id (provider)),
                        error != NULL ? g_error_copy (error)
                                      : g_error_new_literal (KINEMA_ERROR, KINEMA_ERROR_AUTH,
                                                             kinema_error_code_message (KINEMA_ERROR_AUTH)));
  check_done (cli);
}

static void
stop_waiting (Cli *cli)
{
  gboolean submitting = FALSE;

  for (guint i = 0; i < cli->tracked->len; i++)
    if (kinema_task_get_status (g_ptr_array_index (cli->tracked, i)) == KINEMA_TASK_STATUS_SUBMITTING)
      submitting = TRUE;

  if (cli->stopping || !submitting)
    cli->interrupted = TRUE;
  else
    {
      /* Leaving now would turn the job into "Needs checking": wait for its id. */
      end_progress_line (cli);
      g_printerr ("%s\n", _("Waiting for the provider to confirm the job so that it can be resumed "
                            "(press Ctrl+C again to quit now)…"));
      cli->stopping = TRUE;
    }
  check_done (cli);
}

static gboolean
signal_cb (gpointer user_data)
{
  stop_waiting (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
timeout_cb (gpointer user_data)
{
  Cli *cli = user_data;

  cli->timeout_id = 0;
  stop_waiting (cli);
  return G_SOURCE_REMOVE;
}

/* Notices tasks whose polls or downloads keep failing. */
static gboolean
watch_cb (gpointer user_data)
{
  Cli   *cli = user_data;
  gint64 now = g_get_monotonic_time ();

  for (guint i = 0; i < cli->tracked->len; i++)
    {
      KinemaTask *task = g_ptr_array_index (cli->tracked, i);
      gpointer    since;

      if (!kinema_task_is_active (task) || kinema_task_get_error (task) == NULL)
        {
          g_hash_table_remove (cli->error_since, task);
          continue;
        }
      if (!g_hash_table_lookup_extended (cli->error_since, task, NULL, &since))
        g_hash_table_insert (cli->error_since, task, g_memdup2 (&now, sizeof now));
      else if (now - *(gint64 *) since > (gint64) (cli->give_up_s * G_USEC_PER_SEC))
        g_hash_table_add (cli->given_up, task);
    }
  check_done (cli);
  return G_SOURCE_CONTINUE;
}

/* Follows the tasks in cli->tracked until each is settled. */
static void
follow_tasks (Cli   *cli,
              double timeout_s)
{
  cli->paused_id = g_signal_connect (cli->manager, "provider-paused", G_CALLBACK (provider_paused_cb), cli);

  for (guint i = 0; i < cli->tracked->len; i++)
    {
      KinemaTask *task = g_ptr_array_index (cli->tracked, i);

      g_signal_connect (task, "notify::status", G_CALLBACK (task_changed_cb), cli);
      g_signal_connect (task, "notify::progress", G_CALLBACK (task_changed_cb), cli);
      g_signal_connect (task, "notify::error", G_CALLBACK (task_changed_cb), cli);
      print_progress (cli, task);
    }

  if (timeout_s > 0)
    cli->timeout_id = g_timeout_add ((guint) MIN (timeout_s * 1000, G_MAXUINT), timeout_cb, cli);
  cli->sigint_id = g_unix_signal_add (SIGINT, signal_cb, cli);
  cli->sigterm_id = g_unix_signal_add (SIGTERM, signal_cb, cli);
  cli->watch_id = g_timeout_add (250, watch_cb, cli);

  check_done (cli);
  while (!cli->done)
    g_main_context_iteration (cli->context, TRUE);
  end_progress_line (cli);

  if (cli->timeout_id != 0)
    g_source_remove (cli->timeout_id);
  cli->timeout_id = 0;
  g_source_remove (cli->sigint_id);
  g_source_remove (cli->sigterm_id);
  g_source_remove (cli->watch_id);
  cli->sigint_id = cli->sigterm_id = cli->watch_id = 0;
}

/* The exit code for @task once following it ended. */
static KinemaCliExit
exit_for_tracked (Cli        *cli,
                  KinemaTask *task)
{
  const GError *paused = g_hash_table_lookup (cli->paused, kinema_task_get_provider_id (task));

  if (kinema_task_is_active (task) && paused != NULL)
    return kinema_cli_exit_for_error (paused);
  if (kinema_task_is_active (task) && g_hash_table_contains (cli->given_up, task))
    {
      const GError *error = kinema_task_get_error (task);

      return error != NULL ? kinema_cli_exit_for_error (error) : KINEMA_CLI_EXIT_NETWORK;
    }
  if (cli->no_wait && kinema_task_is_active (task) && kinema_task_get_status (task) != KINEMA_TASK_STATUS_SUBMITTING)
    return KINEMA_CLI_EXIT_OK;
  return kinema_cli_exit_for_task (task);
}

/* Where a script's keys come from, after a key was missing or refused. */
static void
print_key_hint (Cli        *cli,
                KinemaTask *task)
{
  KinemaProvider *provider = kinema_provider_registry_lookup (cli->registry, kinema_task_get_provider_id (task));
  gboolean        jwt;
  const char     *names;

  if (provider == NULL || kinema_provider_get_is_demo (provider))
    return;
  jwt = kinema_provider_get_auth_kind (provider) == KINEMA_AUTH_KLING_JWT;
  names = jwt ? "KINEMA_ACCESS_KEY and KINEMA_SECRET_KEY" : "KINEMA_API_KEY";
  if (g_getenv (jwt ? "KINEMA_ACCESS_KEY" : "KINEMA_API_KEY") != NULL)
    g_printerr (_("kinema-cli: The key came from %s.\n"), names);
  else
    g_printerr (_("kinema-cli: For scripts, set %s (used instead of the keyring, never stored).\n"), names);
}

/* Tells on stderr what happened to @task and what to do next. */
static void
report_task (Cli          *cli,
             KinemaTask   *task,
             KinemaCliExit code)
{
  const char   *id = kinema_task_get_id (task);
  const GError *paused = g_hash_table_lookup (cli->paused, kinema_task_get_provider_id (task));

  switch (kinema_task_get_status (task))
    {
    case KINEMA_TASK_STATUS_SUCCEEDED:
      g_printerr (_("Saved %s\n"), kinema_task_get_video_path (task));
      return;
    case KINEMA_TASK_STATUS_FAILED:
      kinema_cli_print_error (kinema_task_get_error (task));
      if (code == KINEMA_CLI_EXIT_AUTH)
        print_key_hint (cli, task);
      return;
    case KINEMA_TASK_STATUS_NEEDS_CHECKING:
      g_printerr (_("kinema-cli: Job %s needs checking: Kinema cannot tell whether the provider received it. "
                    "It is not sent again by itself; see “kinema-cli show %s”.\n"),
                     id, id);
      return;
    case KINEMA_TASK_STATUS_NOT_SENT:
      g_printerr (_("kinema-cli: Job %s was not sent: %s\n"), id, kinema_task_get_status_message (task));
      return;
    default:
      break;
    }

  if (paused != NULL && kinema_task_is_active (task))
    {
      kinema_cli_print_error (paused);
      print_key_hint (cli, task);
      g_printerr (_("Job %s waits; run “kinema-cli resume” once the key works.\n"), id);
    }
  else if (g_hash_table_contains (cli->given_up, task) && kinema_task_is_active (task))
    {
      kinema_cli_print_error (kinema_task_get_error (task));
      g_printerr (_("Gave up for now. Job %s goes on at the provider; run “kinema-cli resume” to fetch the "
                    "video.\n"),
                     id);
    }
  else if (code == KINEMA_CLI_EXIT_OK)
    g_printerr (_("Job %s was accepted; run “kinema-cli resume” to fetch the video.\n"), id);
  else
    g_printerr (_("Stopped waiting. Job %s goes on at the provider; run “kinema-cli resume” to fetch the "
                  "video.\n"),
                   id);
}

/* --output: a second name for the finished clip (a hard link in the same folder,
 * else a copy), written atomically. */
static gboolean
save_output (KinemaTask *task,
             const char *output,
             GError    **error)
{
  const char      *video = kinema_task_get_video_path (task);
  g_autofree char *target = g_canonicalize_filename (output, NULL);
  g_autoptr(KinemaAtomicFile) file = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean linked = FALSE;

  if (video == NULL)
    return TRUE;
  if (g_strcmp0 (video, target) == 0)
    return TRUE;

  /* The copy is made under a temporary name, then renamed over the target. A hard
   * link is the cheapest copy; across file systems the video is copied into the
   * temporary file itself. */
  file = kinema_atomic_file_new (target, 0644, &local_error);
  if (file != NULL && kinema_atomic_file_link (file, video, &linked, &local_error) && !linked)
    {
      g_autoptr(GFile) source = g_file_new_for_path (video);
      g_autoptr(GFileInputStream) in = g_file_read (source, NULL, &local_error);

      if (in != NULL)
        g_output_stream_splice (kinema_atomic_file_get_stream (file), G_INPUT_STREAM (in),
                                G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL,
                                &local_error);
    }
  if (local_error == NULL)
    kinema_atomic_file_commit (file, &local_error);
  if (local_error != NULL)
    {
      g_set_error (error, KINEMA_ERROR, KINEMA_ERROR_DISK,
                   _("The video is saved as %s but could not be copied to %s: %s"),
                      video, output, local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------- */
/* Commands */

static GOptionContext *
new_context (const char *parameter,
             const char *summary)
{
  GOptionContext *context = g_option_context_new (parameter);

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  return context;
}

static int
parse_failed (GOptionContext *context,
              GError         *error)
{
  g_printerr ("kinema-cli: %s\n", error->message);
  g_printerr (_("Run “%s --help” to see the options.\n"), g_get_prgname ());
  return KINEMA_CLI_EXIT_INVALID;
}

static KinemaTask *find_task (GPtrArray  *tasks,
                              const char *id,
                              GError    **error);

/* kinema-cli continue ID: the options a continuation takes from its parent (issue 14),
 * unless given on the command line; then the frame is grabbed. */
static gboolean
fill_continuation (Cli                      *cli,
                   KinemaCliGenerateOptions *options,
                   const char               *parent_id,
                   const char               *from_time,
                   KinemaRequest           **out_link,
                   GError                  **error)
{
  g_autoptr(GPtrArray) tasks = read_history (cli, error);
  g_autoptr(KinemaTask) parent = NULL;
  g_autoptr(KinemaRequest) next = NULL;
  g_autofree char *data_dir = dup_data_dir ();
  g_autofree char *frames_dir = kinema_continuation_dup_frames_dir (data_dir);
  gint64           position = KINEMA_CONTINUATION_LAST_FRAME;
  double           seconds;

  if (tasks == NULL)
    return FALSE;
  parent = find_task (tasks, parent_id, error);
  if (parent == NULL)
    return FALSE;
  if (from_time != NULL)
    {
      if (!kinema_cli_parse_seconds (from_time, "--from-time", &seconds, error))
        return FALSE;
      position = (gint64) (seconds * G_USEC_PER_SEC) * 1000;
    }

  next = kinema_continuation_prepare (parent, position, frames_dir, NULL, error);
  if (next == NULL)
    return FALSE;

  if (options->provider == NULL && options->base_url == NULL)
    options->provider = g_strdup (kinema_task_get_provider_id (parent));
  if (options->model == NULL)
    options->model = g_strdup (kinema_request_get_model (next));
  if (options->prompt == NULL)
    options->prompt = g_strdup (kinema_request_get_prompt (next));
  if (options->negative_prompt == NULL)
    options->negative_prompt = g_strdup (kinema_request_get_negative_prompt (next));
  if (options->image == NULL)
    options->image = g_strdup (kinema_request_get_image (next));
  if (options->mode == NULL)
    options->mode = g_strdup (kinema_mode_to_string (kinema_request_get_mode (next)));
  if (options->duration == 0)
    options->duration = (int) kinema_request_get_duration (next);
  if (options->cfg_scale == NULL && kinema_request_get_cfg_scale (next) >= 0)
    options->cfg_scale = g_strdup_printf ("%.6g", kinema_request_get_cfg_scale (next));

  *out_link = g_steal_pointer (&next);
  return TRUE;
}

/* kinema-cli extend ID: Kling's video extension of a finished clip (issue 14), on the
 * provider that made it (the video id is that account's), with its model and quality;
 * the prompt, things to avoid and creativity are the parent's unless options say
 * otherwise. Why it cannot be extended (a gateway, kling-v1-5, no video id, past 3
 * minutes…) is told before anything is sent. */
static KinemaRequest *
prepare_extension (Cli                      *cli,
                   KinemaCliGenerateOptions *options,
                   const char               *parent_id,
                   GError                  **error)
{
  g_autoptr(GPtrArray) tasks = read_history (cli, error);
  g_autoptr(KinemaTask) parent = NULL;
  g_autoptr(KinemaRequest) request = NULL;
  g_autofree char *reason = NULL;
  KinemaProvider  *provider;

  if (tasks == NULL)
    return NULL;
  parent = find_task (tasks, parent_id, error);
  if (parent == NULL)
    return NULL;
  if (kinema_task_get_request (parent) == NULL)
    {
      g_set_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT,
                   _("The settings of this clip are not known, so it cannot be extended."));
      return NULL;
    }

  open_registry (cli);
  g_free (options->provider);
  options->provider = g_strdup (kinema_task_get_provider_id (parent));
  provider = provider_for_name (cli, options->provider, error);
  if (provider == NULL)
    return NULL;
  reason = kinema_provider_dup_extend_reason (provider, parent);
  if (reason != NULL)
    {
      g_set_error_literal (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT, reason);
      return NULL;
    }

  request = kinema_request_new_extension (kinema_task_get_request (parent), kinema_task_get_id (parent),
                                          kinema_task_get_video_id (parent),
                                          kinema_task_estimate_clip_seconds (parent));
  if (options->prompt != NULL)
    kinema_request_set_prompt (request, options->prompt);
  if (options->negative_prompt != NULL)
    kinema_request_set_negative_prompt (request, options->negative_prompt);
  if (!kinema_cli_generate_options_check_waiting (options, error) ||
      !kinema_cli_generate_options_apply_cfg_scale (options, request, error) ||
      !kinema_request_validate (request, error) || !kinema_provider_check_request (provider, request, error))
    return NULL;
  return g_steal_pointer (&request);
}

/* The options `extend` takes from `generate`'s: the rest is the parent's. */
static GOptionEntry *
extend_option_entries (KinemaCliGenerateOptions *options)
{
  static const char *const kept[] = {
    "prompt",
    "negative-prompt",
    "cfg-scale",
    "output",
    "no-wait",
    "poll-interval",
    "timeout",
    "json",
    NULL,
  };
  g_autofree GOptionEntry *all = kinema_cli_generate_option_entries (options);
  GOptionEntry            *entries = g_new0 (GOptionEntry, G_N_ELEMENTS (kept) + 1);
  guint                    n = 0;

  for (guint i = 0; all[i].long_name != NULL; i++)
    if (g_strv_contains (kept, all[i].long_name))
      entries[n++] = all[i];
  return entries;
}

typedef enum
{
  JOB_GENERATE,
  JOB_CONTINUE,
  JOB_EXTEND,
} JobCommand;

static int run_generate (Cli       *cli,
                         int        argc,
                         char     **argv,
                         JobCommand command);

static int
cmd_generate (Cli   *cli,
              int    argc,
              char **argv)
{
  return run_generate (cli, argc, argv, JOB_GENERATE);
}

static int
cmd_continue (Cli   *cli,
              int    argc,
              char **argv)
{
  return run_generate (cli, argc, argv, JOB_CONTINUE);
}

static int
cmd_extend (Cli   *cli,
            int    argc,
            char **argv)
{
  return run_generate (cli, argc, argv, JOB_EXTEND);
}

/* A command ends on @error: it is printed and its exit code returned. */
static int
command_failed (const GError *error)
{
  kinema_cli_print_error (error);
  return kinema_cli_exit_for_error (error);
}

static int
run_generate (Cli       *cli,
              int        argc,
              char     **argv,
              JobCommand command)
{
  g_autoptr(KinemaCliGenerateOptions) options = kinema_cli_generate_options_new ();
  g_autofree GOptionEntry *entries = command == JOB_EXTEND ? extend_option_entries (options)
                                                           : kinema_cli_generate_option_entries (options);
  gboolean                 continuation = command != JOB_GENERATE;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KinemaRequest) request = NULL;
  g_autoptr(KinemaRequest) link = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *downloads_dir = NULL;
  g_autofree char   *from_time = NULL;
  gboolean         resumes = FALSE;
  KinemaProvider  *provider;
  KinemaTask      *task;
  KinemaCliExit    code;
  const GOptionEntry continue_entries[] = {
    { "from-time", 0, 0, G_OPTION_ARG_STRING, &from_time,
      N_("Start from the frame shown at this time of the clip, in seconds (default: its last frame)"), N_("S") },
      { NULL } };

  if (command == JOB_CONTINUE)
    {
      context = new_context (_("ID"), _("Make the next shot of a finished clip: a new job that starts from the "
                                        "clip’s last frame, with its provider and settings unless options say "
                                        "otherwise, and save it."));
      g_option_context_add_main_entries (context, continue_entries, GETTEXT_PACKAGE);
    }
  else if (command == JOB_EXTEND)
    context = new_context (_("ID"), _("Extend a finished clip with Kling’s video extension: about 4.5 seconds "
                                      "more, made by the provider that made the clip, with its model and "
                                      "quality. The result is the whole longer clip, saved as a new job."));
  else
    context = new_context (NULL, _("Make a clip from a prompt, or from an image and a prompt, and save it."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
                                    _("Exit status: 0 the video is saved, 1 the job failed, 2 invalid input "
                                      "(nothing was sent), 3 authentication or account problem, 4 network, "
                                      "server or disk error, 5 stopped waiting (the job can be resumed).\n"
                                      "Keys come from KINEMA_API_KEY, or KINEMA_ACCESS_KEY and "
                                      "KINEMA_SECRET_KEY, else from the system keyring."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return parse_failed (context, error);
  if (continuation && argc != 2)
    {
      g_printerr ("%s\n", command == JOB_EXTEND
                  ? _("kinema-cli: Give the id of one finished job to extend (see “kinema-cli list”).")
                  : _("kinema-cli: Give the id of one finished job to continue (see “kinema-cli list”)."));
      return KINEMA_CLI_EXIT_INVALID;
    }
  if (argc > (continuation ? 2 : 1))
    {
      g_printerr (_("kinema-cli: Unexpected argument “%s” (quote the prompt: --prompt \"…\").\n"),
                     argv[continuation ? 2 : 1]);
      return KINEMA_CLI_EXIT_INVALID;
    }
  if ((command == JOB_CONTINUE && !fill_continuation (cli, options, argv[1], from_time, &link, &error)) ||
      (command == JOB_EXTEND && (request = prepare_extension (cli, options, argv[1], &error)) == NULL))
    {
      kinema_cli_print_error (error);
      return g_error_matches (error, KINEMA_ERROR, KINEMA_ERROR_NOT_FOUND) ? KINEMA_CLI_EXIT_INVALID
                                                                           : kinema_cli_exit_for_error (error);
    }

  /* 1. Everything that needs no provider and no network. */
  if (request == NULL)
    request = kinema_cli_generate_options_build (options, &error);
  if (request != NULL && link != NULL && g_strcmp0 (kinema_request_get_image (request), kinema_request_get_image (link)) == 0)
    kinema_request_set_link (request, KINEMA_LINK_CONTINUE, kinema_request_get_parent_task_id (link),
                             kinema_request_get_parent_time (link));
  if (request == NULL || !prepare_image (cli, request, FALSE, &error) ||
      !prepare_image (cli, request, TRUE, &error))
    return command_failed (error);

  /* 2. The provider and its keys. */
  open_registry (cli);
  provider = choose_provider (cli, options, &error);
  if (provider == NULL)
    return command_failed (error);
  /* Keys in the environment are for the provider this command uses, never for the
   * other providers whose unfinished jobs resume alongside (issue 15, point 4). */
  if (options->provider != NULL || options->base_url != NULL || g_getenv ("KINEMA_PROVIDER") == NULL)
    kinema_provider_registry_set_env_provider (cli->registry, kinema_provider_get_id (provider));
  if (!kinema_provider_get_is_demo (provider))
    {
      if (!kinema_provider_validate (provider, &error))
        return command_failed (error);
      if (!kinema_provider_get_has_credentials (provider))
        load_keys (cli);
      if (!kinema_provider_get_has_credentials (provider))
        {
          g_printerr (_("kinema-cli: No key is set up for “%s”. Add one in Kinema’s Preferences, or set "
                        "%s.\n"),
                         kinema_provider_get_name (provider),
                         kinema_provider_get_auth_kind (provider) == KINEMA_AUTH_KLING_JWT
                             ? "KINEMA_ACCESS_KEY and KINEMA_SECRET_KEY"
                             : "KINEMA_API_KEY");
          return KINEMA_CLI_EXIT_AUTH;
        }
    }
  else
    load_keys (cli);

  if (!start_demo (cli, kinema_provider_get_is_demo (provider)))
    return KINEMA_CLI_EXIT_NETWORK;

  /* 3. The history, then the job: stored before it is sent. */
  if (options->output != NULL)
    {
      g_autofree char *output = g_canonicalize_filename (options->output, NULL);

      downloads_dir = g_path_get_dirname (output);
    }
  if (!open_manager (cli, downloads_dir, &resumes, &error))
    return command_failed (error);
  set_poll_interval (cli, options->poll_interval_s);

  tasks = kinema_task_manager_generate (cli->manager, provider, request, 1, &error);
  if (tasks == NULL || tasks->len == 0)
    return command_failed (error);
  task = g_ptr_array_index (tasks, 0);
  if (kinema_provider_get_is_demo (provider))
    g_printerr (_("Job %s on the offline demo (a demo clip, not made by Kling)\n"), kinema_task_get_id (task));
  else
    g_printerr (_("Job %s on %s\n"), kinema_task_get_id (task), kinema_provider_get_name (provider));

  /* 4. Follow it. */
  cli->json = options->json;
  cli->no_wait = options->no_wait;
  cli->tracked = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (cli->tracked, g_object_ref (task));
  follow_tasks (cli, options->timeout_s);

  code = exit_for_tracked (cli, task);
  if (code == KINEMA_CLI_EXIT_OK && options->output != NULL &&
      kinema_task_get_status (task) == KINEMA_TASK_STATUS_SUCCEEDED &&
      !save_output (task, options->output, &error))
    {
      kinema_cli_print_error (error);
      code = kinema_cli_exit_for_error (error);
    }
  else
    report_task (cli, task, code);

  if (cli->json)
    {
      g_autoptr(JsonNode) node = kinema_cli_task_to_json (task);

      kinema_cli_print_json (node);
    }
  return code;
}

static int
cmd_list (Cli   *cli,
          int    argc,
          char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  gboolean           json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON array on standard output"), NULL },
      { NULL }
  };
  g_autoptr(GPtrArray) tasks = NULL;
  guint n;

  context = new_context (NULL, _("List the jobs in the history, newest first."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return parse_failed (context, error);
  if (argc > 1)
    {
      g_printerr (_("kinema-cli: Unexpected argument “%s”.\n"), argv[1]);
      return KINEMA_CLI_EXIT_INVALID;
    }

  tasks = read_history (cli, &error);
  if (tasks == NULL)
    return command_failed (error);

  n = tasks->len;
  if (json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
      g_autoptr(JsonArray) array = json_array_sized_new (n);

      for (guint i = 0; i < n; i++)
        json_array_add_element (array, kinema_cli_task_to_json (g_ptr_array_index (tasks, i)));
      json_node_set_array (node, array);
      kinema_cli_print_json (node);
      return KINEMA_CLI_EXIT_OK;
    }

  if (n == 0)
    {
      g_printerr ("%s\n", _("No jobs yet."));
      return KINEMA_CLI_EXIT_OK;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *row = kinema_cli_format_row (g_ptr_array_index (tasks, i));

      g_print ("%s\n", row);
    }
  return KINEMA_CLI_EXIT_OK;
}

/* @id, or a prefix of exactly one task id (as `list` shows them). */
static KinemaTask *
find_task (GPtrArray  *tasks,
           const char *id,
           GError    **error)
{
  KinemaTask *found = NULL;
  guint       matches = 0;

  for (guint i = 0; i < tasks->len; i++)
    if (g_strcmp0 (kinema_task_get_id (g_ptr_array_index (tasks, i)), id) == 0)
      return g_object_ref (g_ptr_array_index (tasks, i));

  for (guint i = 0; id[0] != '\0' && i < tasks->len; i++)
    {
      KinemaTask *task = g_ptr_array_index (tasks, i);

      if (g_str_has_prefix (kinema_task_get_id (task), id) ||
          g_strcmp0 (kinema_task_get_remote_id (task), id) == 0)
        {
          g_clear_object (&found);
          found = g_object_ref (task);
          matches++;
        }
    }
  if (matches == 1)
    return found;

  g_clear_object (&found);
  g_set_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT,
               matches > 1 ? _("More than one job starts with “%s”: give more of the id.")
                           : _("There is no job “%s” in the history."),
                                id);
  return NULL;
}

static int
cmd_show (Cli   *cli,
          int    argc,
          char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KinemaTask) task = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  gboolean           json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON summary on standard output"), NULL },
      { NULL }
  };

  context = new_context (_("ID"), _("Show one job of the history: its settings, state, video and error."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return parse_failed (context, error);
  if (argc != 2)
    {
      g_printerr ("%s\n", _("kinema-cli: Give the id of one job (see “kinema-cli list”)."));
      return KINEMA_CLI_EXIT_INVALID;
    }

  tasks = read_history (cli, &error);
  if (tasks == NULL)
    return command_failed (error);

  task = find_task (tasks, argv[1], &error);
  if (task == NULL)
    {
      kinema_cli_print_error (error);
      return KINEMA_CLI_EXIT_INVALID;
    }

  if (json)
    {
      g_autoptr(JsonNode) node = kinema_cli_task_to_json (task);

      kinema_cli_print_json (node);
    }
  else
    {
      g_autofree char *details = kinema_cli_format_details (task);

      g_print ("%s", details);
    }
  return KINEMA_CLI_EXIT_OK;
}

static int
cmd_resume (Cli   *cli,
            int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) report = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char   *timeout = NULL;
  g_autofree char   *poll_interval = NULL;
  g_autofree char   *provider_name = NULL;
  gboolean           json = FALSE;
  gboolean           resumes = FALSE;
  double             timeout_s = 0;
  double             poll_interval_s = 0;
  const GOptionEntry entries[] = {
    { "poll-interval", 0, 0, G_OPTION_ARG_STRING, &poll_interval,
      N_("Shortest time between two looks at a job’s state (fractions allowed; default 2)"),
          N_("SECONDS") },
      { "timeout", 0, 0, G_OPTION_ARG_STRING, &timeout,
        N_("Stop waiting after this long; the jobs stay resumable"), N_("SECONDS") },
        { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON array on standard output"), NULL },
          { "provider", 0, 0, G_OPTION_ARG_STRING, &provider_name,
            N_("The provider that KINEMA_API_KEY (or KINEMA_ACCESS_KEY and KINEMA_SECRET_KEY) is for; "
               "default: KINEMA_PROVIDER"),
                N_("NAME") },
            { NULL } };
  GListModel *tasks;
  guint       n;
  int         code = KINEMA_CLI_EXIT_OK;

  context = new_context (NULL, _("Follow every unfinished job to its end after a crash, a restart or "
                                 "Ctrl+C, and save the videos. Jobs that were being sent when Kinema "
                                 "stopped are marked “Needs checking” and never sent again."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return parse_failed (context, error);
  if (argc > 1)
    {
      g_printerr (_("kinema-cli: Unexpected argument “%s”.\n"), argv[1]);
      return KINEMA_CLI_EXIT_INVALID;
    }
  if ((timeout != NULL && !kinema_cli_parse_seconds (timeout, "--timeout", &timeout_s, &error)) ||
      (poll_interval != NULL &&
       !kinema_cli_parse_seconds (poll_interval, "--poll-interval", &poll_interval_s, &error)))
    {
      kinema_cli_print_error (error);
      return KINEMA_CLI_EXIT_INVALID;
    }

  open_registry (cli);
  if (provider_name != NULL)
    {
      KinemaProvider *provider = provider_for_name (cli, provider_name, &error);

      if (provider == NULL)
        return command_failed (error);
      kinema_provider_registry_set_env_provider (cli->registry, kinema_provider_get_id (provider));
    }
  if (kinema_provider_registry_get_env_unused (cli->registry))
    g_printerr ("%s\n", _("kinema-cli: The key in the environment is not used: several providers could "
                          "take it. Name its provider with --provider or KINEMA_PROVIDER."));
  load_keys (cli);
  start_demo (cli, FALSE);
  if (!open_manager (cli, NULL, &resumes, &error))
    return command_failed (error);
  if (!resumes)
    {
      g_printerr ("%s\n", _("kinema-cli: Another Kinema process is following the unfinished jobs of this "
                            "history. Try again once it has finished."));
      return KINEMA_CLI_EXIT_TIMEOUT;
    }
  set_poll_interval (cli, poll_interval_s);

  /* Loading resumed every unfinished task: follow those. */
  cli->json = json;
  cli->tracked = g_ptr_array_new_with_free_func (g_object_unref);
  tasks = kinema_task_manager_get_tasks (cli->manager);
  n = g_list_model_get_n_items (tasks);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KinemaTask) task = g_list_model_get_item (tasks, i);

      if (kinema_task_is_active (task))
        g_ptr_array_add (cli->tracked, g_object_ref (task));
      if (kinema_task_is_active (task) || kinema_task_get_status (task) == KINEMA_TASK_STATUS_NEEDS_CHECKING)
        g_ptr_array_add (report, g_object_ref (task));
    }

  if (cli->tracked->len == 0)
    g_printerr ("%s\n", _("No unfinished jobs."));
  else
    {
      g_printerr (g_dngettext (GETTEXT_PACKAGE, "Resuming %u job\n", "Resuming %u jobs\n", cli->tracked->len),
                  cli->tracked->len);
      follow_tasks (cli, timeout_s);
    }

  for (guint i = 0; i < report->len; i++)
    {
      KinemaTask   *task = g_ptr_array_index (report, i);
      KinemaCliExit task_code;

      if (!g_ptr_array_find (cli->tracked, task, NULL))
        {
          report_task (cli, task, KINEMA_CLI_EXIT_OK);
          continue;
        }
      task_code = exit_for_tracked (cli, task);
      report_task (cli, task, task_code);
      code = MAX (code, (int) task_code);
    }

  if (json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
      g_autoptr(JsonArray) array = json_array_sized_new (report->len);

      for (guint i = 0; i < report->len; i++)
        json_array_add_element (array, kinema_cli_task_to_json (g_ptr_array_index (report, i)));
      json_node_set_array (node, array);
      kinema_cli_print_json (node);
    }
  return code;
}

/* ------------------------------------------------------------------------- */
/* story */

typedef struct
{
  KinemaHistory *history;
  GPtrArray     *tasks;   /* KinemaTask, newest first */
  GPtrArray     *stories; /* KinemaStory, most recently changed first */
} Stories;

static void
stories_clear (Stories *stories)
{
  g_clear_pointer (&stories->tasks, g_ptr_array_unref);
  g_clear_pointer (&stories->stories, g_ptr_array_unref);
  g_clear_object (&stories->history);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Stories, stories_clear)

static gboolean
stories_open (Cli     *cli,
              Stories *stories,
              GError **error)
{
  g_autofree char *data_dir = dup_data_dir ();
  g_autoptr(GAsyncResult) result = NULL;

  stories->tasks = read_history (cli, error);
  if (stories->tasks == NULL)
    return FALSE;
  stories->history = kinema_history_new (data_dir);
  kinema_history_load_stories_async (stories->history, NULL, store_result_cb, &result);
  stories->stories = kinema_history_load_stories_finish (stories->history, wait_for (cli, &result), error);
  if (stories->stories == NULL)
    return FALSE;
  g_ptr_array_set_free_func (stories->stories, g_object_unref);
  return TRUE;
}

/* A story by id, a unique prefix of its id, or its exact title. */
static KinemaStory *
find_story (GPtrArray  *stories,
            const char *text,
            GError    **error)
{
  KinemaStory *found = NULL;
  guint        matches = 0;

  for (guint i = 0; i < stories->len; i++)
    if (g_strcmp0 (kinema_story_get_id (g_ptr_array_index (stories, i)), text) == 0)
      return g_ptr_array_index (stories, i);
  for (guint i = 0; text[0] != '\0' && i < stories->len; i++)
    {
      KinemaStory *story = g_ptr_array_index (stories, i);

      if (g_str_has_prefix (kinema_story_get_id (story), text) || g_strcmp0 (kinema_story_get_title (story), text) == 0)
        {
          found = story;
          matches++;
        }
    }
  if (matches == 1)
    return found;
  g_set_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT,
               matches > 1 ? _("More than one story matches “%s”: give more of its id.")
                           : _("There is no story “%s”."),
                                text);
  return NULL;
}

/* A finished job of the history, by id or unique prefix. */
static KinemaTask *
find_clip (GPtrArray  *tasks,
           const char *id,
           GError    **error)
{
  KinemaTask *task = find_task (tasks, id, error);

  if (task != NULL &&
      (kinema_task_get_status (task) != KINEMA_TASK_STATUS_SUCCEEDED || kinema_task_get_video_path (task) == NULL))
    {
      g_set_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT,
                   _("The job “%s” has no finished video to add to a story."), kinema_task_get_id (task));
      g_clear_object (&task);
    }
  return task;
}

static gboolean
stories_save (Cli         *cli,
              Stories     *stories,
              KinemaStory *story,
              GError     **error)
{
  if (story != NULL)
    kinema_history_save_story (stories->history, story);
  return kinema_history_flush_sync (stories->history, error);
}

static JsonNode *
story_to_json (KinemaStory *story)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, kinema_story_get_id (story));
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, kinema_story_get_title (story));
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_int_value (builder, kinema_story_get_created_at (story) / G_USEC_PER_SEC);
  json_builder_set_member_name (builder, "updated_at");
  json_builder_add_int_value (builder, kinema_story_get_updated_at (story) / G_USEC_PER_SEC);
  json_builder_set_member_name (builder, "shots");
  json_builder_begin_array (builder);
  for (guint i = 0; i < kinema_story_get_n_shots (story); i++)
    json_builder_add_string_value (builder, kinema_story_get_shot (story, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
print_story (KinemaStory *story,
             gboolean     json)
{
  if (json)
    {
      g_autoptr(JsonNode) node = story_to_json (story);

      kinema_cli_print_json (node);
      return;
    }
  g_print ("%s  %s\n", kinema_story_get_id (story), kinema_story_get_title (story));
  for (guint i = 0; i < kinema_story_get_n_shots (story); i++)
    g_print ("  %3u  %s\n", i + 1, kinema_story_get_shot (story, i));
}

/* A 1-based position as the user gives it. */
static gboolean
parse_position (const char *text,
                guint       n,
                guint      *index,
                GError    **error)
{
  guint64 value = 0;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, MAX (n, 1), &value, NULL))
    {
      g_set_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT,
                   _("“%s” is not a shot of this story: give a number from 1 to %u."), text != NULL ? text : "",
                      n);
      return FALSE;
    }
  *index = (guint) value - 1;
  return TRUE;
}

static int
cmd_story (Cli   *cli,
           int    argc,
           char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto (Stories) stories = { 0 };
  g_autofree char   *title = NULL;
  g_autofree char   *from = NULL;
  g_autofree char   *at = NULL;
  gboolean           json = FALSE;
  const char        *action;
  KinemaStory       *story = NULL;
  const GOptionEntry entries[] = {
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, N_("create: the story’s title"), N_("TITLE") },
      { "from", 0, 0, G_OPTION_ARG_STRING, &from,
        N_("create: start with the clips that continue each other around this job"), N_("ID") },
        { "at", 0, 0, G_OPTION_ARG_STRING, &at, N_("add: the position of the new shot (1 is the first)"), N_("N") },
          { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON on standard output"), NULL },
            { NULL } };

  context = new_context (_("list | show STORY | create [ID…] | add STORY ID | remove STORY N | move STORY FROM TO | "
                           "delete STORY"),
                            _("Stories are finished clips played and exported one after the other. STORY is a "
                           "story’s id, the start of it, or its title; N, FROM and TO are positions, 1 for the "
                           "first shot."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return parse_failed (context, error);
  if (argc < 2)
    {
      g_printerr ("%s\n", _("kinema-cli: Say what to do: list, show, create, add, remove, move or delete."));
      return KINEMA_CLI_EXIT_INVALID;
    }
  action = argv[1];
  if (!stories_open (cli, &stories, &error))
    return command_failed (error);

  if (g_str_equal (action, "list") && argc == 2)
    {
      if (json)
        {
          g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
          g_autoptr(JsonArray) array = json_array_sized_new (stories.stories->len);

          for (guint i = 0; i < stories.stories->len; i++)
            json_array_add_element (array, story_to_json (g_ptr_array_index (stories.stories, i)));
          json_node_set_array (node, array);
          kinema_cli_print_json (node);
        }
      else if (stories.stories->len == 0)
        g_printerr ("%s\n", _("No stories yet."));
      for (guint i = 0; !json && i < stories.stories->len; i++)
        {
          KinemaStory     *item = g_ptr_array_index (stories.stories, i);
          guint            n = kinema_story_get_n_shots (item);
          g_autofree char *shots = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u shot", "%u shots", n), n);

          g_print ("%s  %-10s %s\n", kinema_story_get_id (item), shots, kinema_story_get_title (item));
        }
      return KINEMA_CLI_EXIT_OK;
    }

  if (g_str_equal (action, "create"))
    {
      g_autoptr(KinemaStory) created = kinema_story_new (title);

      if (from != NULL)
        {
          g_autoptr(KinemaTask) task = find_clip (stories.tasks, from, &error);
          g_auto (GStrv) chain = NULL;

          if (task == NULL)
            return command_failed (error);
          chain = kinema_story_chain_for_task (stories.tasks, task);
          for (guint i = 0; chain[i] != NULL; i++)
            kinema_story_insert_shot (created, -1, chain[i]);
        }
      for (int i = 2; i < argc; i++)
        {
          g_autoptr(KinemaTask) task = find_clip (stories.tasks, argv[i], &error);

          if (task == NULL)
            return command_failed (error);
          if (kinema_story_add_clip (created, -1, task) < 0)
            {
              g_set_error (&error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT,
                           _("A story takes at most %u shots."), KINEMA_STORY_MAX_SHOTS);
              return command_failed (error);
            }
        }
      if (title == NULL && kinema_story_get_n_shots (created) > 0)
        {
          g_autoptr(KinemaTask) first = find_task (stories.tasks, kinema_story_get_shot (created, 0), NULL);

          if (first != NULL && kinema_task_get_prompt (first) != NULL)
            {
              const char *prompt = kinema_task_get_prompt (first);
              /* g_utf8_substring() reads past the end when asked for more characters than there are. */
              g_autofree char *short_title =
                  g_utf8_substring (prompt, 0, MIN (g_utf8_strlen (prompt, -1), 60));

              kinema_story_set_title (created, short_title);
            }
        }
      if (!stories_save (cli, &stories, created, &error))
        return command_failed (error);
      print_story (created, json);
      return KINEMA_CLI_EXIT_OK;
    }

  if (argc < 3)
    {
      g_printerr (_("kinema-cli: Unknown story command “%s”.\n"), action);
      g_printerr (_("Run “%s --help” to see the options.\n"), g_get_prgname ());
      return KINEMA_CLI_EXIT_INVALID;
    }
  story = find_story (stories.stories, argv[2], &error);
  if (story == NULL)
    return command_failed (error);

  if (g_str_equal (action, "show") && argc == 3)
    {
      print_story (story, json);
      return KINEMA_CLI_EXIT_OK;
    }
  if (g_str_equal (action, "delete") && argc == 3)
    {
      kinema_history_delete_story (stories.history, kinema_story_get_id (story));
      if (!stories_save (cli, &stories, NULL, &error))
        return command_failed (error);
      g_printerr (_("Deleted the story “%s” (its clips stay in the history).\n"), kinema_story_get_title (story));
      return KINEMA_CLI_EXIT_OK;
    }
  if (g_str_equal (action, "add") && argc == 4)
    {
      g_autoptr(KinemaTask) task = find_clip (stories.tasks, argv[3], &error);
      guint position = kinema_story_get_n_shots (story);

      if (task == NULL)
        return command_failed (error);
      if (at != NULL && !parse_position (at, kinema_story_get_n_shots (story) + 1, &position, &error))
        return command_failed (error);
      /* An extension takes its parent's place where the story holds it. */
      if (kinema_story_add_clip (story, (int) position, task) < 0)
        {
          g_set_error (&error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT, _("A story takes at most %u shots."), KINEMA_STORY_MAX_SHOTS);
          return command_failed (error);
        }
    }
  else if (g_str_equal (action, "remove") && argc == 4)
    {
      guint index;
      int   found = -1;

      /* A position, or a job in the story. All digits is always a position, so that a
       * wrong number is refused rather than taken for the start of a job id ("0" matched
       * any job whose id begins with 0). */
      if (argv[3][strspn (argv[3], "0123456789")] == '\0')
        {
          if (!parse_position (argv[3], kinema_story_get_n_shots (story), &index, &error))
            return command_failed (error);
        }
      else
        {
          g_autoptr(KinemaTask) task = find_task (stories.tasks, argv[3], NULL);

          found = task != NULL ? kinema_story_find_shot (story, kinema_task_get_id (task))
                               : kinema_story_find_shot (story, argv[3]);
          if (found < 0)
            {
              parse_position (argv[3], kinema_story_get_n_shots (story), &index, &error);
              return command_failed (error);
            }
          index = (guint) found;
        }
      kinema_story_remove_shot (story, index);
    }
  else if (g_str_equal (action, "move") && argc == 5)
    {
      guint n = kinema_story_get_n_shots (story), from_index, to_index;

      if (!parse_position (argv[3], n, &from_index, &error) || !parse_position (argv[4], n, &to_index, &error))
        return command_failed (error);
      kinema_story_move_shot (story, from_index, to_index);
    }
  else
    {
      g_printerr (_("kinema-cli: Unknown story command “%s”.\n"), action);
      g_printerr (_("Run “%s --help” to see the options.\n"), g_get_prgname ());
      return KINEMA_CLI_EXIT_INVALID;
    }

  if (!stories_save (cli, &stories, story, &error))
    return command_failed (error);
  print_story (story, json);
  return KINEMA_CLI_EXIT_OK;
}

/* ------------------------------------------------------------------------- */
/* export */

typedef struct
{
  Cli          *cli;
  GCancellable *cancellable;
  GAsyncResult *result;
  int           last_percent;
} Export;

static void
export_progress_cb (KinemaExporter *exporter,
                    GParamSpec     *pspec,
                    Export *export)
{
  int              percent = (int) (kinema_exporter_get_fraction (exporter) * 100);
  gint64           left = kinema_exporter_get_time_left (exporter);
  /* Nothing is left to wait for at 100 %: no "about 0 seconds left". */
  g_autofree char *remaining = left > 0 && percent < 100 ? dup_remaining ((left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC)
                                                         : NULL;
  g_autofree char *line = NULL;

  /* On a terminal one line kept up to date, otherwise one line per 10 %. */
  if (!export->cli->tty && percent / 10 == export->last_percent / 10)
    return;
  if (percent == export->last_percent)
    return;
  export->last_percent = percent;
  if (remaining != NULL)
    /* Translators: the first %d is a percentage, then "about 5 seconds left". */
    line = g_strdup_printf (_("Exporting: %d%%, %s"), percent, remaining);
  else
    line = g_strdup_printf (_("Exporting: %d%%"), percent);
  if (export->cli->tty)
    {
      /* our own escape sequence, around the filter */
      fputs ("\r\033[K", stderr);
      g_printerr ("%s", line);
    }
  else
    g_printerr ("%s\n", line);
}

static gboolean
export_signal_cb (gpointer user_data)
{
  Export *export = user_data;

  g_cancellable_cancel (export->cancellable);
  return G_SOURCE_CONTINUE;
}

/* The clips behind @id: a finished job's video. */
static GStrv
export_sources (Cli        *cli,
                const char *id,
                GError    **error)
{
  g_autoptr(GPtrArray) tasks = read_history (cli, error);
  g_autoptr(KinemaTask) task = NULL;
  g_autoptr(GStrvBuilder) paths = g_strv_builder_new ();
  const char *video;

  if (tasks == NULL)
    return NULL;
  task = find_task (tasks, id, NULL);
  if (task == NULL)
    {
      g_auto (Stories) stories = { 0 };
      KinemaStory *story;

      if (!stories_open (cli, &stories, error))
        return NULL;
      story = find_story (stories.stories, id, NULL);
      if (story == NULL)
        {
          g_set_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT,
                       _("There is no job or story “%s” in the history."), id);
          return NULL;
        }
      for (guint i = 0; i < kinema_story_get_n_shots (story); i++)
        {
          g_autoptr(KinemaTask) shot = find_task (stories.tasks, kinema_story_get_shot (story, i), NULL);

          /* A clip removed from the history (or its file) is left out. */
          if (shot != NULL && kinema_task_get_status (shot) == KINEMA_TASK_STATUS_SUCCEEDED &&
              kinema_task_get_video_path (shot) != NULL)
            g_strv_builder_add (paths, kinema_task_get_video_path (shot));
        }
      if (kinema_story_get_n_shots (story) == 0)
        {
          g_set_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT, _("The story “%s” has no shots to export."), kinema_story_get_title (story));
          return NULL;
        }
      return g_strv_builder_end (paths);
    }
  video = kinema_task_get_video_path (task);
  if (kinema_task_get_status (task) != KINEMA_TASK_STATUS_SUCCEEDED || video == NULL)
    {
      g_set_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT,
                   _("The job “%s” has no finished video to export."), kinema_task_get_id (task));
      return NULL;
    }
  g_strv_builder_add (paths, video);
  return g_strv_builder_end (paths);
}

static int
cmd_export (Cli   *cli,
            int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KinemaExporter) exporter = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto (GStrv) sources = NULL;
  g_autofree char   *format_text = NULL;
  g_autofree char   *trim = NULL;
  g_autofree char   *size_text = NULL;
  g_autofree char   *output = NULL;
  g_autofree char   *absolute = NULL;
  gboolean           json = FALSE;
  KinemaExportFormat format = KINEMA_EXPORT_FORMAT_MP4;
  guint              size = KINEMA_EXPORT_SIZE_ORIGINAL;
  gint64             trim_in = 0, trim_out = -1;
  Export export = { cli, cancellable, NULL, -1 };
  guint              sigint_id, sigterm_id;
  gboolean           ok;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, N_("mp4, webm or gif (default: from the file name)"), N_("FORMAT") },
      { "trim", 0, 0, G_OPTION_ARG_STRING, &trim, N_("Keep only this part, in seconds (“2:7.5”, “:4”, “3:”)"), N_("IN:OUT") },
        { "size", 0, 0, G_OPTION_ARG_STRING, &size_text, N_("original, 1080p, 720p or 480p (never enlarged)"), N_("SIZE") },
          { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The file to write"), N_("FILE") },
            { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON summary on standard output"), NULL },
              { NULL } };

  context = new_context (_("ID|STORY"), _("Export a finished clip or a story as MP4 (H.264/AAC), WebM (VP9/Opus) or an animated "
                                    "GIF, optionally trimmed and made smaller."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return parse_failed (context, error);
  if (argc != 2)
    {
      g_printerr ("%s\n", _("kinema-cli: Give the id of one job or story to export (see “kinema-cli list” and "
                             "“kinema-cli story list”)."));
      return KINEMA_CLI_EXIT_INVALID;
    }
  if (output == NULL)
    {
      g_printerr ("%s\n", _("kinema-cli: Give the file to write with --output."));
      return KINEMA_CLI_EXIT_INVALID;
    }
  if (format_text == NULL)
    {
      const char *dot = strrchr (output, '.');

      if (dot == NULL || !kinema_export_format_from_string (dot + 1, &format))
        {
          g_printerr ("%s\n", _("kinema-cli: Give the format with --format mp4, webm or gif."));
          return KINEMA_CLI_EXIT_INVALID;
        }
    }
  else if (!kinema_export_format_from_string (format_text, &format))
    {
      g_printerr (_("kinema-cli: --format takes mp4, webm or gif (not “%s”).\n"), format_text);
      return KINEMA_CLI_EXIT_INVALID;
    }
  if (size_text != NULL && !kinema_export_size_from_string (size_text, &size))
    {
      g_printerr (_("kinema-cli: --size takes original, 1080p, 720p or 480p (not “%s”).\n"), size_text);
      return KINEMA_CLI_EXIT_INVALID;
    }
  if (trim != NULL && !kinema_cli_parse_trim (trim, &trim_in, &trim_out, &error))
    {
      kinema_cli_print_error (error);
      return KINEMA_CLI_EXIT_INVALID;
    }

  sources = export_sources (cli, argv[1], &error);
  if (sources == NULL)
    return command_failed (error);

  absolute = g_canonicalize_filename (output, NULL);
  exporter = kinema_exporter_new ((const char *const *) sources, format, absolute);
  kinema_exporter_set_size (exporter, size);
  kinema_exporter_set_trim (exporter, trim_in, trim_out);
  g_signal_connect (exporter, "notify::fraction", G_CALLBACK (export_progress_cb), &export);
  sigint_id = g_unix_signal_add (SIGINT, export_signal_cb, &export);
  sigterm_id = g_unix_signal_add (SIGTERM, export_signal_cb, &export);
  kinema_exporter_run_async (exporter, cancellable, store_result_cb, &export.result);
  ok = kinema_exporter_run_finish (exporter, wait_for (cli, &export.result), &error);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_signal_handlers_disconnect_by_data (exporter, &export);
  g_clear_object (&export.result);
  if (cli->tty && export.last_percent >= 0)
    fputs ("\r\033[K", stderr); /* our own escape sequence, around the output filter */

  if (!ok)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_printerr ("%s\n", _("Export stopped; nothing was saved."));
      else
        kinema_cli_print_error (error);
      return kinema_cli_exit_for_error (error);
    }

  g_printerr (_("Saved %s\n"), absolute);
  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "output");
      json_builder_add_string_value (builder, absolute);
      json_builder_set_member_name (builder, "format");
      json_builder_add_string_value (builder, kinema_export_format_get_extension (format));
      json_builder_set_member_name (builder, "duration");
      json_builder_add_double_value (builder, (double) kinema_exporter_get_duration (exporter) / 1e9);
      json_builder_set_member_name (builder, "remuxed");
      json_builder_add_boolean_value (builder, kinema_exporter_get_remuxed (exporter));
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      kinema_cli_print_json (node);
    }
  return KINEMA_CLI_EXIT_OK;
}

/* For the shell completion (not in --help): the names --provider takes, the same
 * as dup_known_providers() gives in messages, one per line; and the models. */
static int
list_providers (Cli *cli)
{
  g_autofree char *known = NULL;
  g_auto(GStrv) names = NULL;

  open_registry (cli);
  known = dup_known_providers (cli);
  names = g_strsplit (known, ", ", -1);
  for (guint i = 0; names[i] != NULL; i++)
    if (names[i][0] != '\0')
      g_print ("%s\n", names[i]);
  return KINEMA_CLI_EXIT_OK;
}

static int
list_models (void)
{
  guint                  n_models;
  const KinemaModelInfo *models = kinema_models_get_all (&n_models);

  for (guint i = 0; i < n_models; i++)
    g_print ("%s\n", models[i].id);
  return KINEMA_CLI_EXIT_OK;
}

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n\n", _("Usage: kinema-cli COMMAND [OPTION…]"));
  fprintf (out, "%s\n", _("Commands:"));
  fprintf (out, "  generate   %s\n", _("Make a clip and save it"));
  fprintf (out, "  continue ID %s\n", _("Make the next shot from a clip’s last frame"));
  fprintf (out, "  extend ID  %s\n", _("Make a clip about 4.5 seconds longer (Kling’s video extension)"));
  fprintf (out, "  list       %s\n", _("List the jobs in the history"));
  fprintf (out, "  show ID    %s\n", _("Show one job"));
  fprintf (out, "  resume     %s\n", _("Finish every unfinished job"));
  fprintf (out, "  story      %s\n", _("List and edit stories (clips played one after the other)"));
  fprintf (out, "  export ID  %s\n", _("Save a clip or a story as MP4, WebM or GIF"));
  fprintf (out, "\n%s\n", _("Options:"));
  fprintf (out, "  -h, --help    %s\n", _("Show this help"));
  fprintf (out, "  --version     %s\n", _("Show the version"));
  fprintf (out, "\n%s\n", _("Run “kinema-cli COMMAND --help” for the options of a command."));
}

int
main (int   argc,
      char *argv[])
{
  Cli              cli = { 0 };
  const char      *command;
  g_autofree char *prgname = NULL;
  int              code;

  kinema_i18n_init ();
  /* stdout carries only the --json output and `list`/`show`; nothing remote reaches
   * the terminal unescaped. */
  g_log_writer_default_set_use_stderr (TRUE);
  kinema_cli_install_output_filter ();

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      print_usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? KINEMA_CLI_EXIT_INVALID : KINEMA_CLI_EXIT_OK;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("kinema-cli %s\n", PACKAGE_VERSION);
      return KINEMA_CLI_EXIT_OK;
    }

  if (g_str_equal (argv[1], "--list-models"))
    return list_models ();

  command = argv[1];
  prgname = g_strdup_printf ("kinema-cli %s", command);
  g_set_prgname (prgname);
  /* The command's options follow its name: argv[1] becomes the program name. */
  argv[1] = argv[0];
  argc--;
  argv++;

  cli.context = g_main_context_default ();
  cli.tty = isatty (STDERR_FILENO);
  cli.paused = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_error_free);
  cli.error_since = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  cli.given_up = g_hash_table_new (NULL, NULL);
  cli.give_up_s = GIVE_UP_S;

  if (g_str_equal (command, "--list-providers"))
    code = list_providers (&cli);
  else if (g_str_equal (command, "generate"))
    code = cmd_generate (&cli, argc, argv);
  else if (g_str_equal (command, "continue"))
    code = cmd_continue (&cli, argc, argv);
  else if (g_str_equal (command, "extend"))
    code = cmd_extend (&cli, argc, argv);
  else if (g_str_equal (command, "list"))
    code = cmd_list (&cli, argc, argv);
  else if (g_str_equal (command, "show"))
    code = cmd_show (&cli, argc, argv);
  else if (g_str_equal (command, "resume"))
    code = cmd_resume (&cli, argc, argv);
  else if (g_str_equal (command, "story"))
    code = cmd_story (&cli, argc, argv);
  else if (g_str_equal (command, "export"))
    code = cmd_export (&cli, argc, argv);
  else
    {
      g_printerr (_("kinema-cli: Unknown command “%s”.\n\n"), command);
      print_usage (stderr);
      code = KINEMA_CLI_EXIT_INVALID;
    }

  cli_clear (&cli);
  return code;
}
