/* test-preferences.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The preferences window in-process under Xvfb: adding a provider from a preset,
 * live base-URL checks, "Test connection" against the simulator, the note shown
 * without a keyring, and the general settings bound to GSettings. The process runs
 * without a session bus, so the Secret Service is never there: keys stay in memory.
 */

#include "config.h"

#include "kinema-http-client.h"
#include "kinema-i18n.h"
#include "kinema-preferences-window.h"
#include "kinema-provider-editor.h"
#include "kinema-sim-server.h"
#include "ui-test-util.h"

typedef struct
{
  char                   *config_dir;
  KinemaProviderRegistry *registry;
  KinemaClient           *client;
  GSettings              *settings;
  KinemaSimServer        *sim;
  char                   *sim_base;
  GtkWidget              *window;
} Fixture;

/* Helpers */

static GtkWidget *
editor_child (GtkWidget  *editor,
              const char *name)
{
  GObject *child = gtk_widget_get_template_child (editor, KINEMA_TYPE_PROVIDER_EDITOR, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static GtkWidget *
window_child (Fixture    *f,
              const char *name)
{
  GObject *child = gtk_widget_get_template_child (f->window, KINEMA_TYPE_PREFERENCES_WINDOW, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static void
set_text (GtkWidget  *editable,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (editable), text);
  drain ();
}

/* A shown editor, found in the window's subpage. */
static GtkWidget *
shown_editor (Fixture *f)
{
  GtkWidget *editor = find_widget (f->window, KINEMA_TYPE_PROVIDER_EDITOR, NULL);

  return is_shown (editor) ? editor : NULL;
}

static GtkWidget *
open_preset (Fixture    *f,
             const char *preset_id)
{
  GtkWidget *row;
  GtkWidget *editor;

  kinema_preferences_window_show_add_provider (KINEMA_PREFERENCES_WINDOW (f->window));
  WAIT_UNTIL (is_shown (find_widget (f->window, ADW_TYPE_ACTION_ROW, preset_id)));
  row = find_widget (f->window, ADW_TYPE_ACTION_ROW, preset_id);
  g_signal_emit_by_name (row, "activated");
  WAIT_UNTIL ((editor = shown_editor (f)) != NULL);

  return editor;
}

/* Fixture */

static void
fixture_setup (Fixture      *f,
               gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KinemaHttpClient) http = kinema_http_client_new ();

  f->config_dir = g_dir_make_tmp ("kinema-prefs-XXXXXX", &error);
  g_assert_no_error (error);
  f->registry = kinema_provider_registry_new (f->config_dir);
  g_assert_true (kinema_provider_registry_load (f->registry, &error));
  g_assert_no_error (error);
  f->client = kinema_client_new (http);
  f->settings = g_settings_new (SCHEMA_ID);

  f->sim = kinema_sim_server_new (NULL);
  g_assert_true (kinema_sim_server_start (f->sim, 0, &error));
  g_assert_no_error (error);
  kinema_sim_server_add_bearer_key (f->sim, "sk-good-key");
  f->sim_base = g_strdup_printf ("%s/kling", kinema_sim_server_get_base_url (f->sim));

  f->window = kinema_preferences_window_new (NULL, f->registry, f->client, f->settings);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 640, 720);
  gtk_window_present (GTK_WINDOW (f->window));
  WAIT_UNTIL (gtk_widget_get_mapped (f->window));
}

static void
fixture_teardown (Fixture      *f,
                  gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  kinema_sim_server_stop (f->sim);
  drain ();
  g_clear_object (&f->sim);
  g_clear_object (&f->settings);
  g_clear_object (&f->client);
  g_clear_object (&f->registry);
  drain ();
  remove_tree (f->config_dir);
  g_free (f->config_dir);
  g_free (f->sim_base);
}

/* Tests */

static void
on_provider_saved (GtkWidget       *window,
                   KinemaProvider  *provider,
                   KinemaProvider **out)
{
  *out = provider;
}

static void
test_add_from_preset (Fixture      *f,
                      gconstpointer data)
{
  g_autofree char *ini_path = g_build_filename (f->config_dir, "providers.ini", NULL);
  g_autofree char *ini = NULL;
  GtkWidget       *editor;
  GtkWidget       *list;
  KinemaProvider  *provider;
  KinemaProvider  *saved = NULL;

  save_screenshot (f->window, "preferences-providers");

  editor = open_preset (f, "n1n");
  save_screenshot (f->window, "preferences-add-n1n");

  /* the preset fills in the form; the key is still missing */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor_child (editor, "name_row"))), ==, "n1n");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor_child (editor, "base_url_row"))), ==,
                   "https://api.n1n.ai/kling");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (editor_child (editor, "style_row"))), ==,
                    KINEMA_API_STYLE_KLING);
  g_assert_true (is_shown (editor_child (editor, "api_key_row")));
  g_assert_false (is_shown (editor_child (editor, "secret_key_row")));
  g_assert_false (kinema_provider_editor_get_can_save (KINEMA_PROVIDER_EDITOR (editor)));
  g_assert_false (gtk_widget_get_sensitive (editor_child (editor, "save_button")));

  set_text (editor_child (editor, "api_key_row"), "sk-secret-n1n-key");
  g_assert_true (gtk_widget_get_sensitive (editor_child (editor, "save_button")));
  g_signal_connect (f->window, "provider-saved", G_CALLBACK (on_provider_saved), &saved);
  g_signal_emit_by_name (editor_child (editor, "save_button"), "clicked");

  provider = kinema_provider_registry_lookup (f->registry, "n1n");
  g_assert_nonnull (provider);
  g_assert_cmpstr (kinema_provider_get_base_url (provider), ==, "https://api.n1n.ai/kling");
  g_assert_cmpstr (kinema_provider_get_preset_id (provider), ==, "n1n");
  g_assert_true (kinema_provider_get_has_credentials (provider));
  g_assert_true (saved == provider);

  /* the subpage closes and the provider shows up in the list */
  WAIT_UNTIL (shown_editor (f) == NULL);
  list = window_child (f, "providers_list");
  WAIT_UNTIL (is_shown (find_widget (list, ADW_TYPE_ACTION_ROW, "n1n")));
  /* the first provider with a key is now the one used by default, and shown so */
  g_assert_true (kinema_provider_registry_get_default (f->registry) == provider);
  g_assert_true (gtk_check_button_get_active (
      GTK_CHECK_BUTTON (find_widget (find_widget (list, ADW_TYPE_ACTION_ROW, "n1n"), GTK_TYPE_CHECK_BUTTON, NULL))));
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (
      find_widget (find_widget (list, ADW_TYPE_ACTION_ROW, KINEMA_PROVIDER_DEMO_ID), GTK_TYPE_CHECK_BUTTON, NULL))));

  /* saved to disk without the key */
  g_assert_true (g_file_get_contents (ini_path, &ini, NULL, NULL));
  g_assert_nonnull (strstr (ini, "api.n1n.ai"));
  g_assert_null (strstr (ini, "sk-secret-n1n-key"));

  /* no Secret Service in this process: the registry gives up and the note appears */
  WAIT_UNTIL (!kinema_provider_registry_get_keyring_available (f->registry));
  WAIT_UNTIL (is_shown (window_child (f, "keyring_group")));
  /* the key still works for this run */
  g_assert_true (kinema_provider_get_has_credentials (provider));
  save_screenshot (f->window, "preferences-after-add");
}

static void
test_add_twice (Fixture      *f,
                gconstpointer data)
{
  GtkWidget *first;
  GtkWidget *back;

  /* the first-run page and the Add button may both ask: one subpage, back to the list */
  kinema_preferences_window_show_add_provider (KINEMA_PREFERENCES_WINDOW (f->window));
  WAIT_UNTIL (is_shown (find_widget (f->window, ADW_TYPE_ACTION_ROW, "n1n")));
  first = gtk_widget_get_ancestor (find_widget (f->window, ADW_TYPE_ACTION_ROW, "n1n"), GTK_TYPE_STACK);
  open_preset (f, "custom");
  kinema_preferences_window_show_add_provider (KINEMA_PREFERENCES_WINDOW (f->window));
  WAIT_UNTIL (is_shown (find_widget (f->window, ADW_TYPE_ACTION_ROW, "n1n")));
  g_assert_true (gtk_widget_get_ancestor (find_widget (f->window, ADW_TYPE_ACTION_ROW, "n1n"), GTK_TYPE_STACK) == first);
  g_assert_null (shown_editor (f));

  back = find_widget (first, GTK_TYPE_BUTTON, NULL);
  g_signal_emit_by_name (back, "clicked");
  WAIT_UNTIL (is_shown (window_child (f, "providers_list")));
  g_assert_false (is_shown (find_widget (f->window, ADW_TYPE_ACTION_ROW, "n1n")));
}

/* Issue 11, case 8: a gateway on the home network over plain http only after the user
 * allows it for that provider (kinema_http_check_url()); public hosts stay https-only. */
static void
test_private_http (Fixture      *f,
                   gconstpointer data)
{
  GtkWidget      *editor = open_preset (f, "custom");
  GtkWidget      *url_row = editor_child (editor, "base_url_row");
  GtkWidget      *error_label = editor_child (editor, "url_error_label");
  GtkWidget      *save = editor_child (editor, "save_button");
  GtkWidget      *allow = editor_child (editor, "private_http_switch");
  KinemaProvider *provider;

  set_text (editor_child (editor, "name_row"), "Home gateway");
  set_text (editor_child (editor, "api_key_row"), "sk-home");
  set_text (url_row, "http://192.168.1.20:3000/kling");
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (allow)));
  g_assert_true (is_shown (error_label));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error_label)), "http://"));
  g_assert_false (gtk_widget_get_sensitive (save));

  gtk_switch_set_active (GTK_SWITCH (allow), TRUE);
  g_assert_false (is_shown (error_label));
  g_assert_true (gtk_widget_get_sensitive (save));
  {
    const char      *lang = g_getenv ("LANGUAGE");
    g_autofree char *name = g_strdup_printf ("preferences-private-http-%s",
                                             lang != NULL && *lang != '\0' ? lang : "en");

    save_screenshot (f->window, name);
  }

  /* the permission never covers a public host */
  set_text (url_row, "http://gateway.example.com/kling");
  g_assert_true (is_shown (error_label));
  g_assert_false (gtk_widget_get_sensitive (save));

  set_text (url_row, "http://192.168.1.20:3000/kling");
  g_signal_emit_by_name (save, "clicked");
  provider = kinema_provider_registry_lookup (f->registry, "custom");
  g_assert_nonnull (provider);
  g_assert_true (kinema_provider_get_allow_private_http (provider));
}

static void
test_invalid_url (Fixture      *f,
                  gconstpointer data)
{
  GtkWidget *editor = open_preset (f, "custom");
  GtkWidget *url_row = editor_child (editor, "base_url_row");
  GtkWidget *error_label = editor_child (editor, "url_error_label");
  GtkWidget *save = editor_child (editor, "save_button");

  set_text (editor_child (editor, "name_row"), "My gateway");
  set_text (editor_child (editor, "api_key_row"), "sk-anything");
  /* empty: Save is off, but no error is shown yet */
  g_assert_false (gtk_widget_get_sensitive (save));
  g_assert_false (is_shown (error_label));

  set_text (url_row, "ftp://example.com/kling");
  g_assert_true (is_shown (error_label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)), !=, "");
  g_assert_true (gtk_widget_has_css_class (url_row, "error"));
  g_assert_false (gtk_widget_get_sensitive (save));
  save_screenshot (f->window, "preferences-invalid-url");

  /* plain http only for loopback */
  set_text (url_row, "http://example.com/kling");
  g_assert_true (is_shown (error_label));
  g_assert_false (gtk_widget_get_sensitive (save));

  set_text (url_row, "not a url at all");
  g_assert_true (is_shown (error_label));
  g_assert_false (gtk_widget_get_sensitive (save));

  set_text (url_row, "https://example.com/kling");
  g_assert_false (is_shown (error_label));
  g_assert_false (gtk_widget_has_css_class (url_row, "error"));
  g_assert_true (gtk_widget_get_sensitive (save));

  /* the name is required too */
  set_text (editor_child (editor, "name_row"), "  ");
  g_assert_false (gtk_widget_get_sensitive (save));
  {
    g_autoptr(GError) error = NULL;
    guint n_before = g_list_model_get_n_items (G_LIST_MODEL (f->registry));

    g_assert_false (kinema_provider_editor_save (KINEMA_PROVIDER_EDITOR (editor), &error));
    g_assert_nonnull (error);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->registry)), ==, n_before);
  }
}

static const char *
run_test_connection (GtkWidget *editor)
{
  GtkWidget *label = editor_child (editor, "test_result_label");
  GtkWidget *spinner = editor_child (editor, "test_spinner");

  g_signal_emit_by_name (editor_child (editor, "test_button"), "clicked");
  g_assert_true (is_shown (spinner));
  WAIT_UNTIL (is_shown (label) && !gtk_widget_get_visible (spinner));

  return gtk_label_get_text (GTK_LABEL (label));
}

/* After the first successful test of a new provider, "Use It Now" saves it and makes it
 * the default (issue 12 point 7); a failed test does not offer it. */
static void
test_use_now (Fixture      *f,
              gconstpointer data)
{
  GtkWidget  *editor = open_preset (f, "custom");
  GtkWidget  *use_now = editor_child (editor, "use_now_button");
  const char *text;
  guint       before = g_list_model_get_n_items (G_LIST_MODEL (f->registry));
  g_autofree char *old_default = g_strdup (kinema_provider_registry_get_default_id (f->registry));

  set_text (editor_child (editor, "name_row"), "Home gateway");
  set_text (editor_child (editor, "base_url_row"), f->sim_base);
  set_text (editor_child (editor, "api_key_row"), "sk-wrong-key");
  text = run_test_connection (editor);
  g_assert_nonnull (strstr (text, "did not accept this key"));
  g_assert_false (is_shown (use_now));

  set_text (editor_child (editor, "api_key_row"), "sk-good-key");
  text = run_test_connection (editor);
  g_assert_nonnull (strstr (text, "accepted the key"));
  g_assert_true (is_shown (use_now));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->registry)), ==, before); /* not saved yet */
  save_screenshot (f->window, "preferences-use-now");

  g_signal_emit_by_name (use_now, "clicked");
  drain ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->registry)), ==, before + 1);
  {
    KinemaProvider *added = kinema_provider_registry_lookup (f->registry,
                                                             kinema_provider_registry_get_default_id (f->registry));

    g_assert_nonnull (added);
    g_assert_cmpstr (kinema_provider_get_name (added), ==, "Home gateway");
    g_assert_cmpstr (kinema_provider_registry_get_default_id (f->registry), !=, old_default);
  }
}

static void
test_connection (Fixture      *f,
                 gconstpointer data)
{
  GtkWidget     *editor = open_preset (f, "custom");
  GtkWidget     *label = editor_child (editor, "test_result_label");
  KinemaSimFault slow = { .method = "GET", .path = "*", .kind = KINEMA_SIM_FAULT_SLOW, .delay_ms = 8000, .count = -1 };
  const char    *text;

  set_text (editor_child (editor, "name_row"), "Local gateway");
  set_text (editor_child (editor, "base_url_row"), f->sim_base);

  /* the right key: success in plain words */
  set_text (editor_child (editor, "api_key_row"), "sk-good-key");
  text = run_test_connection (editor);
  g_assert_nonnull (strstr (text, "accepted the key"));
  g_assert_true (gtk_widget_has_css_class (label, "success"));
  save_screenshot (f->window, "preferences-test-ok");

  /* a wrong key: an authentication failure, said plainly */
  set_text (editor_child (editor, "api_key_row"), "sk-wrong-key");
  g_assert_false (is_shown (label)); /* an edit clears the old result */
  text = run_test_connection (editor);
  g_assert_nonnull (strstr (text, "did not accept this key"));
  g_assert_true (gtk_widget_has_css_class (label, "error"));
  save_screenshot (f->window, "preferences-test-wrong-key");

  /* nothing listens there */
  set_text (editor_child (editor, "base_url_row"), "http://127.0.0.1:1/kling");
  set_text (editor_child (editor, "api_key_row"), "sk-good-key");
  text = run_test_connection (editor);
  g_assert_nonnull (strstr (text, "Could not reach the server"));

  /* a slow server: the test can be cancelled, and nothing is left spinning */
  set_text (editor_child (editor, "base_url_row"), f->sim_base);
  kinema_sim_server_add_fault (f->sim, &slow);
  g_signal_emit_by_name (editor_child (editor, "test_button"), "clicked");
  g_assert_true (is_shown (editor_child (editor, "test_spinner")));
  g_signal_emit_by_name (editor_child (editor, "test_button"), "clicked");
  g_assert_false (gtk_widget_get_visible (editor_child (editor, "test_spinner")));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "Test cancelled.");
  drain ();
  kinema_sim_server_clear_faults (f->sim);

  /* nothing was added by testing */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->registry)), ==, 1);
}

static void
test_connection_kling_jwt (Fixture      *f,
                           gconstpointer data)
{
  GtkWidget  *editor = open_preset (f, "kling");
  GtkWidget  *label = editor_child (editor, "test_result_label");
  const char *text;

  /* the official API signs a JWT from the access key and the secret key */
  kinema_sim_server_set_kling_keys (f->sim, "AK-list-test", "SK-list-test-secret");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (editor_child (editor, "auth_row"))), ==, 1);
  g_assert_false (is_shown (editor_child (editor, "api_key_row")));
  g_assert_true (is_shown (editor_child (editor, "access_key_row")));
  g_assert_true (is_shown (editor_child (editor, "secret_key_row")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor_child (editor, "base_url_row"))), ==,
                   "https://api-singapore.klingai.com");

  set_text (editor_child (editor, "base_url_row"), kinema_sim_server_get_base_url (f->sim));
  set_text (editor_child (editor, "access_key_row"), "AK-list-test");
  g_assert_false (gtk_widget_get_sensitive (editor_child (editor, "save_button"))); /* the pair is needed */
  set_text (editor_child (editor, "secret_key_row"), "SK-list-test-secret");
  g_assert_true (gtk_widget_get_sensitive (editor_child (editor, "save_button")));
  text = run_test_connection (editor);
  g_assert_nonnull (strstr (text, "accepted the key"));
  g_assert_true (gtk_widget_has_css_class (label, "success"));

  set_text (editor_child (editor, "secret_key_row"), "SK-wrong");
  text = run_test_connection (editor);
  g_assert_nonnull (strstr (text, "did not accept this key"));
  save_screenshot (f->window, "preferences-kling-jwt");
}

static void
on_keys_loaded (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  gboolean *done = user_data;

  kinema_provider_registry_load_keys_finish (KINEMA_PROVIDER_REGISTRY (object), result, NULL);
  *done = TRUE;
}

static void
test_keyring_unavailable (Fixture      *f,
                          gconstpointer data)
{
  GtkWidget *editor;
  gboolean   done = FALSE;

  g_assert_false (is_shown (window_child (f, "keyring_group")));

  /* a provider whose keys must be looked up, and no Secret Service to ask */
  kinema_provider_registry_ensure_preset (f->registry, "xiexus");
  kinema_provider_registry_load_keys_async (f->registry, NULL, on_keys_loaded, &done);
  WAIT_UNTIL (done);
  g_assert_false (kinema_provider_registry_get_keyring_available (f->registry));

  WAIT_UNTIL (is_shown (window_child (f, "keyring_group")));
  save_screenshot (f->window, "preferences-no-keyring");

  /* the editor says so as well */
  editor = open_preset (f, "custom");
  g_assert_true (is_shown (editor_child (editor, "keyring_group")));
}

static gboolean
press_escape (Fixture *f)
{
  GListModel *controllers = gtk_widget_observe_controllers (f->window);
  gboolean    handled = FALSE;
  gboolean    found = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (controller), "kinema-escape") == 0)
        {
          g_signal_emit_by_name (controller, "key-pressed", GDK_KEY_Escape, 9, 0, &handled);
          found = TRUE;
        }
    }
  g_object_unref (controllers);
  g_assert_true (found);
  return handled;
}

/* Esc leaves subpages step by step, not the whole window (issue 12, point 11). */
static void
test_escape (Fixture      *f,
             gconstpointer data)
{
  open_preset (f, "n1n");
  /* the editor, once the page slid in: back to the presets */
  WAIT_UNTIL (!gtk_widget_get_mapped (window_child (f, "providers_list")));
  g_assert_true (press_escape (f));
  WAIT_UNTIL (shown_editor (f) == NULL);
  WAIT_UNTIL (is_shown (find_widget (f->window, ADW_TYPE_ACTION_ROW, "n1n")));
  /* the presets: back to the providers */
  g_assert_true (press_escape (f));
  WAIT_UNTIL (is_shown (window_child (f, "providers_list")));
  /* the main page: Esc is left to the window (which closes) */
  g_assert_false (press_escape (f));
}

static void
test_general (Fixture      *f,
              gconstpointer data)
{
  GtkWidget       *downloads_row = window_child (f, "downloads_row");
  GtkWidget       *reset = window_child (f, "downloads_reset_button");
  GtkWidget       *notify = window_child (f, "notify_switch");
  GtkAdjustment   *interval = GTK_ADJUSTMENT (gtk_widget_get_template_child (f->window, KINEMA_TYPE_PREFERENCES_WINDOW,
                                                                             "interval_adjustment"));
  g_autofree char *folder = NULL;

  /* defaults: Videos/Kinema, notifications on, adaptive polling on, 2 s (the scheduler's) */
  folder = kinema_preferences_dup_downloads_folder (f->settings);
  g_assert_true (g_str_has_suffix (folder, "/Kinema"));
  g_assert_true (g_str_has_suffix (adw_action_row_get_subtitle (ADW_ACTION_ROW (downloads_row)), "Kinema"));
  g_assert_false (gtk_widget_get_visible (reset));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (notify)));
  g_assert_cmpfloat (gtk_adjustment_get_value (interval), ==, 2.0);

  /* words a user understands; the poll settings kept under "Advanced" (issue 12, point 11) */
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (downloads_row)), ==, "Clips folder");
  {
    GtkWidget *advanced = gtk_widget_get_ancestor (window_child (f, "adaptive_switch"), ADW_TYPE_EXPANDER_ROW);

    g_assert_nonnull (advanced);
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (advanced)), ==, "Advanced");
    g_assert_false (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (advanced)));
  }

  /* widgets write the settings */
  gtk_switch_set_active (GTK_SWITCH (notify), FALSE);
  g_assert_false (g_settings_get_boolean (f->settings, "notify-on-finish"));
  gtk_switch_set_active (GTK_SWITCH (window_child (f, "adaptive_switch")), FALSE);
  g_assert_false (g_settings_get_boolean (f->settings, "adaptive-polling"));
  gtk_adjustment_set_value (interval, 12);
  g_assert_cmpuint (g_settings_get_uint (f->settings, "min-poll-interval"), ==, 12);

  /* and show changes made elsewhere */
  g_clear_pointer (&folder, g_free);
  g_settings_set_string (f->settings, "downloads-folder", "/srv/clips");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (downloads_row)), ==, "/srv/clips");
  g_assert_true (gtk_widget_get_visible (reset));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (f->window), "general");
  save_screenshot (f->window, "preferences-general");
  g_signal_emit_by_name (reset, "clicked");
  folder = g_settings_get_string (f->settings, "downloads-folder");
  g_assert_cmpstr (folder, ==, "");
  g_assert_false (gtk_widget_get_visible (reset));

  g_settings_reset (f->settings, "notify-on-finish");
  g_settings_reset (f->settings, "adaptive-polling");
  g_settings_reset (f->settings, "min-poll-interval");
}

static void
test_provider_list (Fixture      *f,
                    gconstpointer data)
{
  GtkWidget        *list = window_child (f, "providers_list");
  KinemaProvider   *xiexus;
  GtkWidget        *demo_row;
  GtkWidget        *row;
  GtkWidget        *check;
  GtkWidget        *editor;
  AdwMessageDialog *dialog;

  xiexus = kinema_provider_registry_ensure_preset (f->registry, "xiexus");
  kinema_provider_set_api_key (xiexus, "sk-x");
  WAIT_UNTIL (find_widget (list, ADW_TYPE_ACTION_ROW, "xiexus") != NULL);

  /* the demo is built in: listed, default while nothing else is set up, not editable */
  demo_row = find_widget (list, ADW_TYPE_ACTION_ROW, KINEMA_PROVIDER_DEMO_ID);
  g_assert_nonnull (demo_row);
  g_assert_false (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (demo_row)));
  g_signal_emit_by_name (list, "row-activated", demo_row);
  drain ();
  g_assert_null (shown_editor (f));

  /* a provider with a key becomes the default by itself, and the list shows it */
  row = find_widget (list, ADW_TYPE_ACTION_ROW, "xiexus");
  check = find_widget (row, GTK_TYPE_CHECK_BUTTON, NULL);
  g_assert_true (kinema_provider_registry_get_default (f->registry) == xiexus);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));

  /* choosing the default */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (find_widget (demo_row, GTK_TYPE_CHECK_BUTTON, NULL)), TRUE);
  g_assert_true (kinema_provider_registry_get_default (f->registry) == kinema_provider_registry_get_demo (f->registry));
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  g_assert_true (kinema_provider_registry_get_default (f->registry) == xiexus);
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (find_widget (demo_row, GTK_TYPE_CHECK_BUTTON, NULL))));

  /* editing keeps the stored key when the fields stay empty, and renames the row */
  g_signal_emit_by_name (list, "row-activated", row);
  WAIT_UNTIL ((editor = shown_editor (f)) != NULL);
  g_assert_true (is_shown (editor_child (editor, "remove_group")));
  g_assert_true (gtk_widget_get_sensitive (editor_child (editor, "save_button")));
  set_text (editor_child (editor, "name_row"), "xiexus & co");
  g_signal_emit_by_name (editor_child (editor, "save_button"), "clicked");
  g_assert_cmpstr (kinema_provider_get_name (xiexus), ==, "xiexus & co");
  g_assert_true (kinema_provider_get_has_credentials (xiexus));
  WAIT_UNTIL (shown_editor (f) == NULL);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "xiexus & co");

  /* removing asks first */
  g_signal_emit_by_name (list, "row-activated", row);
  WAIT_UNTIL ((editor = shown_editor (f)) != NULL);
  g_signal_emit_by_name (editor_child (editor, "remove_button"), "clicked");
  WAIT_UNTIL ((dialog = find_message_dialog ()) != NULL);
  g_assert_nonnull (kinema_provider_registry_lookup (f->registry, "xiexus"));
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_nonnull (kinema_provider_registry_lookup (f->registry, "xiexus"));
  g_signal_emit_by_name (editor_child (editor, "remove_button"), "clicked");
  WAIT_UNTIL ((dialog = find_message_dialog ()) != NULL);
  adw_message_dialog_response (dialog, "remove");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_null (kinema_provider_registry_lookup (f->registry, "xiexus"));
  WAIT_UNTIL (shown_editor (f) == NULL);
  WAIT_UNTIL (find_widget (list, ADW_TYPE_ACTION_ROW, "xiexus") == NULL);
}

int
main (int   argc,
      char *argv[])
{
  /* no session bus: the Secret Service is unavailable, as on a bare system */
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  g_unsetenv ("KINEMA_API_KEY");
  g_unsetenv ("KINEMA_ACCESS_KEY");
  g_unsetenv ("KINEMA_SECRET_KEY");
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  if (!ui_test_init (&argc, &argv))
    return 77;
  /* Screenshots are taken in the language of $LANGUAGE; the checks read English. */
  if (g_getenv ("KINEMA_TEST_SCREENSHOT_DIR") != NULL)
    kinema_i18n_init ();

#define ADD(path, func) \
  g_test_add ("/kinema/preferences/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("add-from-preset", test_add_from_preset);
  ADD ("add-twice", test_add_twice);
  ADD ("invalid-url", test_invalid_url);
  ADD ("private-http", test_private_http);
  ADD ("test-connection", test_connection);
  ADD ("use-now", test_use_now);
  ADD ("test-connection-kling-jwt", test_connection_kling_jwt);
  ADD ("keyring-unavailable", test_keyring_unavailable);
  ADD ("general", test_general);
  ADD ("escape", test_escape);
  ADD ("provider-list", test_provider_list);
#undef ADD

  return g_test_run ();
}
