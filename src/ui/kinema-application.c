/* kinema-application.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-application"

#include "config.h"

#include <glib/gi18n.h>

#include "kinema-application.h"
#include "kinema-bench-clock.h"
#include "kinema-http-client.h"
#include "kinema-window.h"
#include "kinema-scheduler.h"
#include "kinema-task-manager.h"

struct _KinemaApplication
{
  AdwApplication parent_instance;

  GSettingsSchema        *schema;
  GSettings              *settings;
  KinemaProviderRegistry *providers;
  KinemaHttpClient       *http;
  KinemaClient           *client;
  KinemaDemo             *demo;
  KinemaTaskManager      *task_manager;
  GCancellable           *cancellable;
  GError                 *load_error;
  char                   *moved_aside; /* an unreadable history, for the window to tell */
  guint                   load_timeout_id;
  gboolean                load_started;
};

G_DEFINE_FINAL_TYPE (KinemaApplication, kinema_application, ADW_TYPE_APPLICATION)

static KinemaWindow *
get_window (KinemaApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (KINEMA_IS_WINDOW (window))
    return KINEMA_WINDOW (window);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (KINEMA_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

static void
show_error (KinemaApplication *self,
            const GError      *error)
{
  KinemaWindow *window = get_window (self);

  if (window != NULL)
    kinema_window_show_error (window, error);
  else
    g_warning ("%s", error->message);
}

/* ---------------------------------------------------------------------------------- */
/* Actions                                                                            */

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  KinemaWindow *window = get_window (user_data);

  if (window != NULL)
    kinema_window_show_preferences (window, FALSE);
}

static void
shortcuts_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  KinemaWindow *window = get_window (user_data);

  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  static const char *developers[] = { "The Kinema authors", NULL };
  KinemaWindow      *window = get_window (user_data);
  GtkWidget         *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", window,
                        "modal", TRUE,
                        "application-name", _("Kinema"), "application-icon", APP_ID, "version", PACKAGE_VERSION, "developer-name", _("The Kinema authors"), "developers", developers, "copyright", "© 2026 The Kinema authors", "license-type", GTK_LICENSE_GPL_3_0, "comments", _("Turn a photo and a few words into a short video clip with Kling models, "
                                      "through Kling itself or the gateways that resell it."),
                                                                                                                                                                                                                                                                                      /* Translators: put your names here, one per line */
                                                                                                                                                                                                                                                                                      "translator-credits", _("translator-credits"), NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  KinemaApplication *self = user_data;
  GList             *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Close the windows so that they save their size, then quit. */
  g_autoptr(GList) copy = g_list_copy (windows);

  for (GList *l = copy; l != NULL; l = l->next)
    gtk_window_close (l->data);
  /* The main window asks first while jobs run; it quits by closing, if told to. */
  if (get_window (self) != NULL)
    return;
  g_application_quit (G_APPLICATION (self));
}

/* From a notification: bring the window up on that task. */
static void
show_task_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  KinemaApplication *self = user_data;
  KinemaWindow      *window;

  g_application_activate (G_APPLICATION (self));
  window = get_window (self);
  if (window != NULL)
    kinema_window_show_task (window, g_variant_get_string (parameter, NULL));
}

static const GActionEntry app_actions[] = {
  { "show-task", show_task_action, "s" },
  { "preferences", preferences_action },
  { "shortcuts", shortcuts_action },
  { "about", about_action },
  { "quit", quit_action },
};

/* ---------------------------------------------------------------------------------- */
/* Startup                                                                            */

char *
kinema_application_dup_downloads_dir (KinemaApplication *self)
{
  g_autofree char *setting = NULL;
  const char      *videos;

  g_return_val_if_fail (KINEMA_IS_APPLICATION (self), NULL);

  setting = g_settings_get_string (self->settings, "downloads-folder");
  if (setting[0] != '\0')
    return g_steal_pointer (&setting);

  videos = g_get_user_special_dir (G_USER_DIRECTORY_VIDEOS);
  if (videos == NULL || g_strcmp0 (videos, g_get_home_dir ()) == 0)
    return g_build_filename (g_get_home_dir (), "Videos", "Kinema", NULL);
  return g_build_filename (videos, "Kinema", NULL);
}

static void
on_keys_loaded (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(KinemaApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  /* A missing keyring is not an error here: the window's banner says so. */
  if (!kinema_provider_registry_load_keys_finish (KINEMA_PROVIDER_REGISTRY (source_object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Keys not loaded: %s", error->message);

  /* With its key, a provider may now be the default by the registry's rule. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (KINEMA_IS_WINDOW (l->data))
      kinema_window_select_default_provider (KINEMA_WINDOW (l->data));
}

static void
on_tasks_loaded (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(KinemaApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!kinema_task_manager_load_finish (KINEMA_TASK_MANAGER (source_object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (get_window (self) != NULL)
        show_error (self, error);
      else
        self->load_error = g_steal_pointer (&error);
    }
  else if (kinema_task_manager_get_moved_aside_history (KINEMA_TASK_MANAGER (source_object)) != NULL)
    {
      const char *aside = kinema_task_manager_get_moved_aside_history (KINEMA_TASK_MANAGER (source_object));

      if (get_window (self) != NULL)
        kinema_window_show_history_moved (get_window (self), aside);
      else
        self->moved_aside = g_strdup (aside);
    }
}

/* The shortest polling interval of Preferences. With adaptive polling off, every job
 * is polled at that interval; the scheduler's learned curve only ever spaces polls out. */
static void
on_poll_settings_changed (KinemaApplication *self)
{
  KinemaTaskManager *manager = self->task_manager;
  double             seconds = g_settings_get_uint (self->settings, "min-poll-interval");

  kinema_task_manager_set_poll_interval (manager, seconds);
  kinema_scheduler_set_adaptive (kinema_task_manager_get_scheduler (manager),
                                 g_settings_get_boolean (self->settings, "adaptive-polling"));
}

static void
on_downloads_folder_changed (KinemaApplication *self)
{
  g_autofree char *dir = kinema_application_dup_downloads_dir (self);

  kinema_task_manager_set_downloads_dir (self->task_manager, dir);
}

/* Reading and listing a long history (10,000 tasks take a few hundred ms on a slow
 * machine) starts once the window has painted its first frame, so that it never
 * delays that frame. Without a window it starts after LOAD_FALLBACK_MS anyway, so
 * that unfinished jobs resume. */
#define LOAD_FALLBACK_MS 5000

static void
load_tasks (KinemaApplication *self)
{
  g_clear_handle_id (&self->load_timeout_id, g_source_remove);
  if (self->load_started || self->task_manager == NULL)
    return;
  self->load_started = TRUE;
  kinema_task_manager_load_async (self->task_manager, self->cancellable,
                                  on_tasks_loaded, g_object_ref (self));
}

static gboolean
on_load_timeout (gpointer user_data)
{
  KinemaApplication *self = user_data;

  self->load_timeout_id = 0;
  load_tasks (self);
  return G_SOURCE_REMOVE;
}

static void
on_first_frame (GdkFrameClock     *clock,
                KinemaApplication *self)
{
  g_signal_handlers_disconnect_by_func (clock, on_first_frame, self);
  load_tasks (self);
}

static void
on_window_map (GtkWidget         *window,
               KinemaApplication *self)
{
  g_signal_handlers_disconnect_by_func (window, on_window_map, self);
  g_signal_connect_object (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (on_first_frame),
                           self, 0);
}

/* The settings schema from the system's data folders (or $GSETTINGS_SCHEMA_DIR), else
 * from the folder Kinema was installed to, which need not be one of them. */
static GSettingsSchema *
lookup_schema (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchemaSource) own = NULL;
  GSettingsSchema *schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, SCHEMA_ID, TRUE);
  if (schema == NULL && g_file_test (KINEMA_SCHEMADIR "/gschemas.compiled", G_FILE_TEST_IS_REGULAR))
    {
      own = g_settings_schema_source_new_from_directory (KINEMA_SCHEMADIR, source, FALSE, NULL);
      if (own != NULL)
        schema = g_settings_schema_source_lookup (own, SCHEMA_ID, FALSE);
    }
  return schema;
}

/* The app's icon from the theme, else from the folder Kinema was installed to. */
static void
add_icon_dir (void)
{
  GdkDisplay   *display = gdk_display_get_default ();
  GtkIconTheme *theme = display != NULL ? gtk_icon_theme_get_for_display (display) : NULL;

  if (theme != NULL && !gtk_icon_theme_has_icon (theme, APP_ID))
    gtk_icon_theme_add_search_path (theme, KINEMA_ICONDIR);
}

static void
kinema_application_startup (GApplication *application)
{
  KinemaApplication *self = KINEMA_APPLICATION (application);
  g_autofree char   *config_dir = g_build_filename (g_get_user_config_dir (), "kinema", NULL);
  g_autoptr(GError) error = NULL;
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *shortcuts_accels[] = { "<Control>question", NULL };
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *generate_accels[] = { "<Control>Return", "<Control>KP_Enter", NULL };
  static const char *open_accels[] = { "<Control>o", NULL };
  static const char *continue_accels[] = { "<Control><Shift>n", NULL };
  static const char *extend_accels[] = { "<Control><Shift>e", NULL };
  static const char *search_accels[] = { "<Control>f", NULL };
  static const char *next_pane_accels[] = { "F6", NULL };
  static const char *no_accels[] = { NULL };

  G_APPLICATION_CLASS (kinema_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.shortcuts", shortcuts_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay", no_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.generate", generate_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.open-image", open_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.search", search_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.next-pane", next_pane_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.continue", continue_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.extend", extend_accels);
  /* win.paste-image (Ctrl+V) is a window shortcut, not an accelerator: text fields
   * must keep their own paste. */

  self->cancellable = g_cancellable_new ();
  /* The tests run the application without its command line. */
  if (self->schema == NULL)
    self->schema = lookup_schema ();
  self->settings = self->schema != NULL ? g_settings_new_full (self->schema, NULL, NULL) : g_settings_new (SCHEMA_ID);
  add_icon_dir ();

  self->providers = kinema_provider_registry_new (config_dir);
  if (!kinema_provider_registry_load (self->providers, &error))
    {
      g_warning ("Providers not loaded: %s", error->message);
      g_clear_error (&error);
    }
  kinema_provider_registry_load_keys_async (self->providers, self->cancellable, on_keys_loaded,
                                            g_object_ref (self));

  self->http = kinema_http_client_new ();
  self->client = kinema_client_new (self->http);

  /* The demo provider gets its URL from the simulator started here. */
  self->demo = kinema_demo_new (self->providers, NULL);
  if (!kinema_demo_start (self->demo, &error))
    {
      g_warning ("The offline demo is not available: %s", error->message);
      g_clear_error (&error);
    }

  {
    g_autofree char *data_dir = g_build_filename (g_get_user_data_dir (), "kinema", NULL);
    g_autofree char *downloads_dir = kinema_application_dup_downloads_dir (self);

    self->task_manager = kinema_task_manager_new (data_dir, downloads_dir, self->providers,
                                                  self->client);
    /* One process at a time follows the unfinished jobs (kinema-cli resume may run). */
    if (!kinema_task_manager_lock_resume (self->task_manager))
      g_message ("Another Kinema process follows the unfinished jobs; this one follows new ones only");
    on_poll_settings_changed (self);
    g_signal_connect_object (self->settings, "changed::min-poll-interval", G_CALLBACK (on_poll_settings_changed),
                             self, G_CONNECT_SWAPPED);
    g_signal_connect_object (self->settings, "changed::adaptive-polling", G_CALLBACK (on_poll_settings_changed),
                             self, G_CONNECT_SWAPPED);
    self->load_timeout_id = g_timeout_add (LOAD_FALLBACK_MS, on_load_timeout, self);
    g_signal_connect_object (self->settings, "changed::downloads-folder",
                             G_CALLBACK (on_downloads_folder_changed), self, G_CONNECT_SWAPPED);
  }
}

static void
kinema_application_shutdown (GApplication *application)
{
  KinemaApplication *self = KINEMA_APPLICATION (application);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->load_timeout_id, g_source_remove);
  /* The last known state of every running job is on disk: the next start shows it
   * (and resumes from it) as it was, not as it was at the last write. */
  if (self->task_manager != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!kinema_task_manager_flush (self->task_manager, &error))
        g_warning ("Could not save the job history: %s", error->message);
    }
  if (self->demo != NULL)
    kinema_demo_stop (self->demo);

  G_APPLICATION_CLASS (kinema_application_parent_class)->shutdown (application);
}

/* KINEMA_BENCH_STARTUP=1: print the time from process start to the first painted
 * frame of the main window, then quit (bench/ compares it with a bare window). */
static void
on_bench_after_paint (GdkFrameClock *clock,
                      GtkWidget     *window)
{
  g_print ("first-frame-ms: %.3f\n", kinema_bench_ms_since_process_start ());
  g_signal_handlers_disconnect_by_func (clock, on_bench_after_paint, window);
  g_application_quit (G_APPLICATION (gtk_window_get_application (GTK_WINDOW (window))));
}

static void
on_bench_map (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (on_bench_after_paint),
                    window);
  g_signal_handlers_disconnect_by_func (window, on_bench_map, NULL);
}

static void
kinema_application_activate (GApplication *application)
{
  KinemaApplication *self = KINEMA_APPLICATION (application);
  KinemaWindow      *window = get_window (self);

  if (window == NULL)
    {
      window = kinema_window_new (GTK_APPLICATION (self), self->providers, self->client, self->settings,
                                  self->task_manager);
      if (g_strcmp0 (g_getenv ("KINEMA_BENCH_STARTUP"), "1") == 0)
        g_signal_connect (window, "map", G_CALLBACK (on_bench_map), NULL);
      if (!self->load_started)
        g_signal_connect_object (window, "map", G_CALLBACK (on_window_map), self, 0);
    }

  gtk_window_present (GTK_WINDOW (window));

  if (self->load_error != NULL)
    {
      kinema_window_show_error (window, self->load_error);
      g_clear_error (&self->load_error);
    }
  if (self->moved_aside != NULL)
    {
      kinema_window_show_history_moved (window, self->moved_aside);
      g_clear_pointer (&self->moved_aside, g_free);
    }
}

static void
kinema_application_open (GApplication *application,
                         GFile       **files,
                         int           n_files,
                         const char   *hint)
{
  KinemaApplication *self = KINEMA_APPLICATION (application);

  kinema_application_activate (application);
  if (n_files > 0)
    kinema_window_open_file (get_window (self), files[0]);
}

static void
kinema_application_dispose (GObject *object)
{
  KinemaApplication *self = KINEMA_APPLICATION (object);

  g_clear_handle_id (&self->load_timeout_id, g_source_remove);
  g_clear_object (&self->task_manager);
  g_clear_object (&self->demo);
  g_clear_object (&self->client);
  g_clear_object (&self->http);
  g_clear_object (&self->providers);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->schema, g_settings_schema_unref);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->load_error);
  g_clear_pointer (&self->moved_aside, g_free);

  G_OBJECT_CLASS (kinema_application_parent_class)->dispose (object);
}

/* --version, and a missing schema: answered by this process, before any window or
 * display is needed. */
static int
kinema_application_handle_local_options (GApplication *application,
                                         GVariantDict *options)
{
  KinemaApplication *self = KINEMA_APPLICATION (application);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("kinema %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (self->schema == NULL)
    self->schema = lookup_schema ();
  if (self->schema == NULL)
    {
      g_printerr (_("Kinema is not installed completely: its settings (%s) are in neither the system’s "
                    "folders nor %s. Install the kinema package, or start Kinema from its source folder "
                    "with “sh build-aux/dev.sh run”.\n"),
                     SCHEMA_ID, KINEMA_SCHEMADIR);
      return 1;
    }
  return -1;
}

static void
kinema_application_class_init (KinemaApplicationClass *klass)
{
  GObjectClass      *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = kinema_application_dispose;
  app_class->startup = kinema_application_startup;
  app_class->shutdown = kinema_application_shutdown;
  app_class->activate = kinema_application_activate;
  app_class->open = kinema_application_open;
  app_class->handle_local_options = kinema_application_handle_local_options;
}

static void
kinema_application_init (KinemaApplication *self)
{
  g_application_add_main_option (G_APPLICATION (self), "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE,
                                 _("Show the version and quit"), NULL);
}

KinemaApplication *
kinema_application_new (void)
{
  return g_object_new (KINEMA_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

KinemaProviderRegistry *
kinema_application_get_providers (KinemaApplication *self)
{
  g_return_val_if_fail (KINEMA_IS_APPLICATION (self), NULL);
  return self->providers;
}

KinemaClient *
kinema_application_get_client (KinemaApplication *self)
{
  g_return_val_if_fail (KINEMA_IS_APPLICATION (self), NULL);
  return self->client;
}

KinemaTaskManager *
kinema_application_get_task_manager (KinemaApplication *self)
{
  g_return_val_if_fail (KINEMA_IS_APPLICATION (self), NULL);
  return self->task_manager;
}

KinemaDemo *
kinema_application_get_demo (KinemaApplication *self)
{
  g_return_val_if_fail (KINEMA_IS_APPLICATION (self), NULL);
  return self->demo;
}

GSettings *
kinema_application_get_settings (KinemaApplication *self)
{
  g_return_val_if_fail (KINEMA_IS_APPLICATION (self), NULL);
  return self->settings;
}
