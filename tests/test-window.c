/* test-window.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main window, in process under Xvfb: it builds, the first-run page shows and
 * goes away for good, the provider drop-down has the offline demo, the layout folds
 * at 360 px, the window remembers its size, and an unreadable history is reported in
 * a banner.
 */

#include "config.h"

#include <adwaita.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>

#include "kinema-application.h"
#include "kinema-demo.h"
#include "kinema-error.h"
#include "kinema-http-client.h"
#include "kinema-sim-server.h"
#include "kinema-player-view.h"
#include "kinema-compare-window.h"
#include "kinema-composer.h"
#include "kinema-task-list-view-private.h"
#include "kinema-task-list-view.h"
#include "kinema-task-manager.h"
#include "kinema-task-private.h"
#include "kinema-window.h"
#include "ui-test-util.h"

static char *scratch;

typedef struct
{
  KinemaProviderRegistry *registry;
  GSettings              *settings;
  KinemaWindow           *window;
} Fixture;

static GtkWidget *
child (Fixture    *fixture,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (fixture->window), KINEMA_TYPE_WINDOW, name);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

/* TRUE if a label under @widget shows exactly @text. */
static gboolean
has_label (GtkWidget  *widget,
           const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (has_label (c, text))
      return TRUE;
  return FALSE;
}

static void
fixture_set_up (Fixture      *fixture,
                gconstpointer data)
{
  g_autofree char *config = g_build_filename (scratch, "config", NULL);

  fixture->registry = kinema_provider_registry_new (config);
  fixture->settings = g_settings_new (SCHEMA_ID);
  /* The memory backend keeps values between tests of one process: start clean. */
  g_settings_reset (fixture->settings, "show-first-run");
  g_settings_reset (fixture->settings, "last-provider");
  g_settings_reset (fixture->settings, "window-width");
  g_settings_reset (fixture->settings, "window-height");
}

static void
open_window (Fixture *fixture)
{
  fixture->window = kinema_window_new (NULL, fixture->registry, NULL, fixture->settings, NULL);
  gtk_window_present (GTK_WINDOW (fixture->window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
}

static void
close_window (Fixture *fixture)
{
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  fixture->window = NULL;
  spin (100);
}

static void
fixture_tear_down (Fixture      *fixture,
                   gconstpointer data)
{
  close_window (fixture);
  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->registry);
}

static void
test_first_run (Fixture      *fixture,
                gconstpointer data)
{
  g_assert_true (g_settings_get_boolean (fixture->settings, "show-first-run"));
  open_window (fixture);

  /* Shown on first start, with its two ways in. */
  g_assert_true (kinema_window_get_first_run_shown (fixture->window));
  g_assert_true (gtk_widget_get_mapped (child (fixture, "try_demo_button")));
  g_assert_true (gtk_widget_get_mapped (child (fixture, "add_provider_button")));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (kinema_window_get_composer (fixture->window))));
  /* Its main button has the focus (issue 12, point 11). */
  g_assert_true (gtk_root_get_focus (GTK_ROOT (fixture->window)) == child (fixture, "try_demo_button"));

  /* "Try the offline demo" picks the demo and leaves the page. */
  g_signal_emit_by_name (child (fixture, "try_demo_button"), "clicked");
  g_assert_false (kinema_window_get_first_run_shown (fixture->window));
  g_assert_false (g_settings_get_boolean (fixture->settings, "show-first-run"));
  g_assert_true (kinema_window_get_provider (fixture->window) ==
                 kinema_provider_registry_get_demo (fixture->registry));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (kinema_window_get_composer (fixture->window))));

  /* …and for good. */
  close_window (fixture);
  open_window (fixture);
  g_assert_false (kinema_window_get_first_run_shown (fixture->window));
}

static void
test_providers (Fixture      *fixture,
                gconstpointer data)
{
  GtkDropDown *dropdown;
  GListModel  *model;
  g_autoptr(KinemaProvider) first = NULL;
  g_autoptr(KinemaProvider) gateway = NULL;

  g_settings_set_boolean (fixture->settings, "show-first-run", FALSE);
  open_window (fixture);
  dropdown = GTK_DROP_DOWN (child (fixture, "provider_dropdown"));
  model = gtk_drop_down_get_model (dropdown);

  /* The demo is there, and chosen when nothing else is set up. */
  g_assert_cmpuint (g_list_model_get_n_items (model), >=, 1);
  first = g_list_model_get_item (model, 0);
  g_assert_true (kinema_provider_get_is_demo (first));
  g_assert_cmpstr (kinema_provider_get_name (first), ==, "Demo (offline)");
  g_assert_true (gtk_drop_down_get_selected_item (dropdown) == (gpointer) first);
  g_assert_true (kinema_composer_get_provider (kinema_window_get_composer (fixture->window)) == first);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL, "Provider");

  /* Choosing another provider reaches the composer and is remembered. */
  gateway = kinema_provider_new ("n1n", "n1n", "https://api.n1n.ai/kling", KINEMA_API_STYLE_KLING,
                                 KINEMA_AUTH_BEARER);
  kinema_provider_registry_add (fixture->registry, gateway);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  /* Adding one does not change the choice. */
  g_assert_true (kinema_window_get_provider (fixture->window) == first);
  kinema_window_select_provider (fixture->window, gateway);
  g_assert_true (kinema_composer_get_provider (kinema_window_get_composer (fixture->window)) == gateway);
  g_assert_true (kinema_provider_registry_get_default (fixture->registry) == gateway);

  /* A new window starts on the remembered one. */
  close_window (fixture);
  open_window (fixture);
  g_assert_true (kinema_window_get_provider (fixture->window) == gateway);
}

/* One rule for the default provider (issue 12, point 7): the one marked in Preferences
 * (or picked at the top) is what the header shows at once, after a restart, and what
 * kinema-cli reads from providers.ini; until one is marked, the first with a key. */
static void
test_default_provider (Fixture      *fixture,
                       gconstpointer data)
{
  g_autofree char *config = g_build_filename (scratch, "default-rule", NULL);
  g_autoptr(KinemaProvider) first = kinema_provider_new ("n1n", "n1n", "https://api.n1n.ai/kling",
                                                          KINEMA_API_STYLE_KLING, KINEMA_AUTH_BEARER);
  g_autoptr(KinemaProvider) second = kinema_provider_new ("xiexus", "xiexus", "https://api.xiexus.com/kling",
                                                           KINEMA_API_STYLE_KLING, KINEMA_AUTH_BEARER);
  g_autoptr(KinemaProviderRegistry) reloaded = NULL;
  g_autoptr(GError) error = NULL;
  KinemaProvider *demo;

  g_clear_object (&fixture->registry);
  fixture->registry = kinema_provider_registry_new (config);
  demo = kinema_provider_registry_get_demo (fixture->registry);
  g_settings_set_boolean (fixture->settings, "show-first-run", FALSE);
  open_window (fixture);
  g_assert_true (kinema_window_get_provider (fixture->window) == demo);
  /* Showing the demo at start does not mark it. */
  g_assert_null (kinema_provider_registry_get_default_id (fixture->registry));

  /* The first paid provider with a key becomes the default, and the header follows. */
  kinema_provider_set_api_key (first, "sk-first");
  kinema_provider_registry_add (fixture->registry, first);
  g_assert_true (kinema_window_get_provider (fixture->window) == first);
  g_assert_true (kinema_composer_get_provider (kinema_window_get_composer (fixture->window)) == first);

  /* Marking another in Preferences (what its check button does) applies at once. */
  kinema_provider_set_api_key (second, "sk-second");
  kinema_provider_registry_add (fixture->registry, second);
  g_assert_true (kinema_window_get_provider (fixture->window) == first);
  kinema_provider_registry_set_default (fixture->registry, second);
  g_assert_true (kinema_provider_registry_save (fixture->registry, &error));
  g_assert_no_error (error);
  g_assert_true (kinema_window_get_provider (fixture->window) == second);

  /* After a restart, the marked one, as kinema-cli reads it from providers.ini. */
  close_window (fixture);
  reloaded = kinema_provider_registry_new (config);
  g_assert_true (kinema_provider_registry_load (reloaded, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (kinema_provider_get_id (kinema_provider_registry_get_default (reloaded)), ==, "xiexus");
  g_set_object (&fixture->registry, reloaded);
  open_window (fixture);
  g_assert_cmpstr (kinema_provider_get_id (kinema_window_get_provider (fixture->window)), ==, "xiexus");
}

static void
test_adaptive (Fixture      *fixture,
               gconstpointer data)
{
  AdwLeaflet *leaflet;

  g_settings_set_boolean (fixture->settings, "show-first-run", FALSE);
  g_settings_set_int (fixture->settings, "window-width", 1280);
  g_settings_set_int (fixture->settings, "window-height", 760);
  open_window (fixture);
  leaflet = ADW_LEAFLET (child (fixture, "leaflet"));
  spin (100);

  /* Wide: composer, tasks and player side by side, no switcher bar. */
  g_assert_false (adw_leaflet_get_folded (leaflet));
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (child (fixture, "switcher_revealer"))));

  /* 360 px: one pane at a time, with the switcher bar. */
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 700);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  spin (100);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, 400);
  g_assert_true (adw_leaflet_get_folded (leaflet));
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (child (fixture, "switcher_revealer"))));
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "composer");
  g_signal_emit_by_name (child (fixture, "show_tasks_button"), "clicked");
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "tasks");
  g_signal_emit_by_name (child (fixture, "show_player_button"), "clicked");
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "player");

  /* F6 goes to the next pane, Ctrl+F to the search field (issue 12, point 11). */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.next-pane", NULL);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "composer");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.next-pane", NULL);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "tasks");
  g_signal_emit_by_name (child (fixture, "show_composer_button"), "clicked");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.search", NULL);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "tasks");
  {
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
    GObject   *entry = gtk_widget_get_template_child (gtk_widget_get_first_child (child (fixture, "tasks_box")),
                                                      KINEMA_TYPE_TASK_LIST_VIEW, "search_entry");

    g_assert_nonnull (focus);
    g_assert_true (focus == GTK_WIDGET (entry) || gtk_widget_is_ancestor (focus, GTK_WIDGET (entry)));
  }

  /* The size is saved when the window closes. */
  gtk_window_close (GTK_WINDOW (fixture->window));
  fixture->window = NULL;
  drain ();
  g_assert_cmpint (g_settings_get_int (fixture->settings, "window-width"), ==, 360);
  g_assert_cmpint (g_settings_get_int (fixture->settings, "window-height"), ==, 700);
}

/* @widget is shown, wholly inside the window, and not in anything that scrolls. */
static void
assert_in_reach (Fixture   *fixture,
                 GtkWidget *widget)
{
  GtkWidget      *window = GTK_WIDGET (fixture->window);
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_get_mapped (widget));
  g_assert_true (gtk_widget_compute_bounds (widget, window, &bounds));
  g_assert_cmpfloat (bounds.size.width, >, 0);
  g_assert_cmpfloat (bounds.origin.x, >=, 0);
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (window));
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (window));
  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    g_assert_false (GTK_IS_SCROLLED_WINDOW (w));
}

/* Generate, who is paid and why it is off stay in reach at the default size and at the
 * narrowest (issue 12, point 2). */
static void
test_generate_bar (Fixture      *fixture,
                   gconstpointer data)
{
  KinemaComposer *composer;
  GtkWidget      *button, *charge, *reason;

  g_settings_set_boolean (fixture->settings, "show-first-run", FALSE);
  g_settings_set_int (fixture->settings, "window-width", 1100);
  g_settings_set_int (fixture->settings, "window-height", 760);
  open_window (fixture);
  spin (100);
  composer = kinema_window_get_composer (fixture->window);
  button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (composer), KINEMA_TYPE_COMPOSER, "generate_button"));
  charge = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (composer), KINEMA_TYPE_COMPOSER, "charge_label"));
  reason = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (composer), KINEMA_TYPE_COMPOSER, "reason_label"));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, 1100);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (fixture->window)), <=, 760);

  /* Off, with the reason in reach. */
  assert_in_reach (fixture, button);
  assert_in_reach (fixture, reason);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (reason)), ==, "Describe what should happen in the clip.");
  assert_in_reach (fixture, charge);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (charge)), ==, "Free: offline demo");

  /* Another reason (this window has no task history). */
  kinema_composer_set_prompt (composer, "A paper lantern rises into the night sky");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (reason)), ==, "The task history could not be opened.");
  assert_in_reach (fixture, button);
  assert_in_reach (fixture, reason);

  /* 360 px: one pane at a time; on the composer's, Generate is still in reach. */
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 760);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  spin (100);
  g_assert_true (adw_leaflet_get_folded (ADW_LEAFLET (child (fixture, "leaflet"))));
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (ADW_LEAFLET (child (fixture, "leaflet"))), ==, "composer");
  assert_in_reach (fixture, button);
  assert_in_reach (fixture, charge);
  kinema_composer_set_prompt (composer, "");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  spin (50);
  assert_in_reach (fixture, reason);
}

static void
test_actions (Fixture      *fixture,
              gconstpointer data)
{
  KinemaComposer *composer;

  g_settings_set_boolean (fixture->settings, "show-first-run", FALSE);
  open_window (fixture);
  composer = kinema_window_get_composer (fixture->window);

  /* Without a task manager nothing can be generated, and the window says so. */
  kinema_composer_set_prompt (composer, "A lighthouse in a storm");
  g_assert_false (kinema_composer_get_can_generate (composer));
  g_assert_nonnull (kinema_composer_get_invalid_reason (composer));

  /* Errors become toasts; details, when the error has them, a button. */
  {
    g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "Something broke.");

    kinema_window_show_error (fixture->window, error);
  }
  /* Remote text with markup characters shows as it is (issue 15, point 5). */
  {
    g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "Failed: <i>5 & 6</i>");

    kinema_window_show_error (fixture->window, error);
    spin (100);
    g_assert_true (has_label (GTK_WIDGET (fixture->window), "Failed: <i>5 & 6</i>"));
  }

  /* Ctrl+V (win.paste-image) pastes into the start frame, except while typing. */
  {
    GdkClipboard   *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (fixture->window));
    KinemaDropZone *start = kinema_composer_get_start_zone (composer);
    GtkWidget      *prompt_view = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (composer), KINEMA_TYPE_COMPOSER,
                                                                             "prompt_view"));

    gdk_clipboard_set_text (clipboard, "https://example.com/from-clipboard.jpg");
    gtk_widget_grab_focus (prompt_view);
    g_assert_true (gtk_widget_has_focus (prompt_view));
    gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.paste-image", NULL);
    spin (200);
    g_assert_null (kinema_drop_zone_get_image (start));

    gtk_widget_grab_focus (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (start), KINEMA_TYPE_DROP_ZONE,
                                                                      "button")));
    gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.paste-image", NULL);
    WAIT_UNTIL_SECONDS (g_strcmp0 (kinema_drop_zone_get_image (start), "https://example.com/from-clipboard.jpg") == 0, 10);
    kinema_drop_zone_clear (start);
  }

  /* Opening a file leaves the first-run page and fills the start frame. */
  g_settings_set_boolean (fixture->settings, "show-first-run", TRUE);
  close_window (fixture);
  open_window (fixture);
  g_assert_true (kinema_window_get_first_run_shown (fixture->window));
  {
    g_autoptr(GFile) file = g_file_new_for_uri ("https://example.com/a.jpg");

    kinema_window_open_file (fixture->window, file);
  }
  g_assert_false (kinema_window_get_first_run_shown (fixture->window));
  g_assert_cmpstr (kinema_drop_zone_get_image (kinema_composer_get_start_zone (kinema_window_get_composer (fixture->window))),
                   ==, "https://example.com/a.jpg");
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kinema_task_manager_load_finish (KINEMA_TASK_MANAGER (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* The offline demo running, and a task manager on it with its history loaded. */
typedef struct
{
  char              *data_dir;
  char              *downloads;
  KinemaDemo        *demo;
  KinemaClient      *client;
  KinemaTaskManager *manager;
} DemoRun;

/* Starts the demo (with @fault, if not NULL) and the task manager, their files in
 * scratch/@name, and turns the first-run page off. */
static void
demo_run_start (DemoRun              *run,
                Fixture              *fixture,
                const char           *name,
                const KinemaSimFault *fault)
{
  g_autofree char *demo_dir = g_build_filename (scratch, name, "demo", NULL);
  g_autoptr(KinemaHttpClient) http = kinema_http_client_new ();
  g_autoptr(GError) error = NULL;
  gboolean loaded = FALSE;

  run->data_dir = g_build_filename (scratch, name, "data", NULL);
  run->downloads = g_build_filename (scratch, name, "Videos", NULL);
  run->demo = kinema_demo_new (fixture->registry, demo_dir);
  run->client = kinema_client_new (http);
  g_assert_true (kinema_demo_start (run->demo, &error));
  g_assert_no_error (error);
  if (fault != NULL)
    kinema_sim_server_add_fault (kinema_demo_get_server (run->demo), fault);
  run->manager = kinema_task_manager_new (run->data_dir, run->downloads, fixture->registry, run->client);
  kinema_task_manager_load_async (run->manager, NULL, on_loaded, &loaded);
  WAIT_UNTIL (loaded);

  g_settings_set_boolean (fixture->settings, "show-first-run", FALSE);
}

static void
demo_run_clear (DemoRun *run)
{
  if (run->demo != NULL)
    kinema_demo_stop (run->demo);
  g_clear_object (&run->manager);
  g_clear_object (&run->client);
  g_clear_object (&run->demo);
  g_clear_pointer (&run->data_dir, g_free);
  g_clear_pointer (&run->downloads, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DemoRun, demo_run_clear)

static gboolean
task_done (KinemaTask *task)
{
  KinemaTaskStatus status = kinema_task_get_status (task);

  return status == KINEMA_TASK_STATUS_SUCCEEDED || status == KINEMA_TASK_STATUS_FAILED;
}

/* Waits (90 s at the most) for the demo to make @task's clip; the test fails if the job fails. */
static void
wait_for_clip (KinemaTask *task)
{
  WAIT_UNTIL_SECONDS (task_done (task), 90);
  g_assert_cmpint (kinema_task_get_status (task), ==, KINEMA_TASK_STATUS_SUCCEEDED);
}

static const char *
status_text (Fixture *fixture)
{
  GObject *label = gtk_widget_get_template_child (GTK_WIDGET (kinema_window_get_composer (fixture->window)),
                                                  KINEMA_TYPE_COMPOSER, "status_label");

  return gtk_label_get_label (GTK_LABEL (label));
}

/* Markup characters in the prompt: the "Clip ready" toast was blank with "Tom & Jerry". */
#define PROMPT "Tom & Jerry <b> light a paper lantern"

/* The whole flow in process: the offline demo, the real task manager, Generate. */
static void
test_generate (Fixture      *fixture,
               gconstpointer data)
{
  g_auto (DemoRun) run = { 0 };
  g_autoptr(KinemaTask) task = NULL;
  KinemaComposer *composer;
  GListModel     *tasks;

  demo_run_start (&run, fixture, "generate", NULL);
  fixture->window = kinema_window_new (NULL, fixture->registry, run.client, fixture->settings, run.manager);
  gtk_window_present (GTK_WINDOW (fixture->window));
  composer = kinema_window_get_composer (fixture->window);
  tasks = kinema_task_manager_get_tasks (run.manager);

  /* Invalid: win.generate does nothing. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.generate", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 0);

  kinema_composer_set_prompt (composer, PROMPT);
  g_assert_true (kinema_composer_get_can_generate (composer));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.generate", NULL);

  /* One task, on the demo, with what the form said. */
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 1);
  task = g_list_model_get_item (tasks, 0);
  g_assert_cmpstr (kinema_task_get_provider_id (task), ==, KINEMA_PROVIDER_DEMO_ID);
  g_assert_cmpstr (kinema_task_get_prompt (task), ==, PROMPT);
  g_assert_cmpint (kinema_task_get_kind (task), ==, KINEMA_TASK_KIND_TEXT_TO_VIDEO);
  g_assert_true (g_str_has_prefix (status_text (fixture), "Sent 1 job to "));

  /* State changes are announced in the status line until the clip is ready. */
  wait_for_clip (task);
  /* Not "until idle": a playing clip keeps the main context busy for ever. */
  spin (300);
  {
    g_autofree char *label = kinema_task_dup_status_label (task);
    g_autofree char *expected = g_strdup_printf ("%s: %s", label, PROMPT);

    g_assert_cmpstr (status_text (fixture), ==, expected);
  }
  g_assert_true (g_file_test (kinema_task_get_video_path (task), G_FILE_TEST_IS_REGULAR));
  /* The toast shows the prompt as typed (its title is markup: escaped). */
  g_assert_true (has_label (GTK_WIDGET (fixture->window), "Demo clip ready: " PROMPT));

  /* "Play" on the toast and the notification select the task. */
  kinema_task_list_view_select_task (KINEMA_TASK_LIST_VIEW (gtk_widget_get_first_child (child (fixture, "tasks_box"))),
                                     NULL);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-task", "s", kinema_task_get_id (task));
  {
    g_autoptr(KinemaTask) selected = NULL;

    g_object_get (gtk_widget_get_first_child (child (fixture, "tasks_box")), "selected-task", &selected, NULL);
    g_assert_true (selected == task);
  }

  /* The selected clip is in the player; "Use this frame" fills a frame of the composer. */
  {
    GtkWidget       *player = gtk_widget_get_first_child (child (fixture, "player_box"));
    g_autofree char *png = g_build_filename (scratch, "generate", "frame.png", NULL);
    g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 1280, 720);
    KinemaDropZone *end = kinema_composer_get_end_zone (composer);

    g_assert_cmpstr (G_OBJECT_TYPE_NAME (player), ==, "KinemaPlayerView");
    gdk_pixbuf_fill (pixbuf, 0x204060ff);
    g_assert_true (gdk_pixbuf_save (pixbuf, png, "png", NULL, NULL));
    g_signal_emit_by_name (player, "use-frame", png, FALSE);
    WAIT_UNTIL (!kinema_drop_zone_get_busy (kinema_composer_get_start_zone (composer)));
    g_assert_cmpstr (kinema_drop_zone_get_image (kinema_composer_get_start_zone (composer)), ==, png);
    g_signal_emit_by_name (player, "use-frame", png, TRUE);
    WAIT_UNTIL (!kinema_drop_zone_get_busy (end));
    g_assert_cmpstr (kinema_drop_zone_get_image (end), ==, png);
    kinema_drop_zone_clear (end);
    kinema_drop_zone_clear (kinema_composer_get_start_zone (composer));
  }

  /* Reusing the settings fills the form again. */
  kinema_composer_set_prompt (composer, "");
  kinema_composer_apply_task (composer, task);
  {
    g_autofree char *prompt = kinema_composer_dup_prompt (composer);

    g_assert_cmpstr (prompt, ==, PROMPT);
  }

  /* Dropping the clip Kinema made restores its settings from the sidecar. */
  kinema_composer_set_prompt (composer, "");
  {
    g_autoptr(GFile) video = g_file_new_for_path (kinema_task_get_video_path (task));
    g_autofree char *prompt = NULL;

    kinema_drop_zone_set_file (kinema_composer_get_start_zone (composer), video);
    /* read on a worker thread */
    WAIT_UNTIL (g_strcmp0 (status_text (fixture), "Settings restored from the clip.") == 0);
    prompt = kinema_composer_dup_prompt (composer);
    g_assert_cmpstr (prompt, ==, PROMPT);
    g_assert_cmpstr (status_text (fixture), ==, "Settings restored from the clip.");
  }

  /* "Continue from the last frame" in the row menu: the composer gets the clip's last
   * frame and prompt, and Generate makes a job linked to the clip. */
  kinema_drop_zone_clear (kinema_composer_get_start_zone (composer));
  kinema_composer_set_prompt (composer, "");
  kinema_task_list_view_run_action (KINEMA_TASK_LIST_VIEW (gtk_widget_get_first_child (child (fixture, "tasks_box"))),
                                    NULL, task, "continue");
  WAIT_UNTIL_SECONDS (kinema_drop_zone_get_image (kinema_composer_get_start_zone (composer)) != NULL, 30);
  {
    g_autofree char *prompt = kinema_composer_dup_prompt (composer);
    g_autofree char *frames = g_build_filename (g_get_user_data_dir (), "kinema", "frames", NULL);
    g_autofree char *image = g_strdup (kinema_drop_zone_get_image (kinema_composer_get_start_zone (composer)));
    g_autoptr(KinemaTask) next = NULL;

    g_assert_cmpstr (prompt, ==, kinema_task_get_prompt (task));
    g_assert_true (g_str_has_prefix (image, frames));
    g_assert_true (g_str_has_prefix (status_text (fixture), "Continues “"));

    /* The shortcut's action (Ctrl+Shift+N) does the same for the selected clip. */
    kinema_drop_zone_clear (kinema_composer_get_start_zone (composer));
    kinema_composer_set_prompt (composer, "");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.continue", NULL));
    WAIT_UNTIL_SECONDS (kinema_drop_zone_get_image (kinema_composer_get_start_zone (composer)) != NULL, 30);
    g_assert_cmpstr (kinema_drop_zone_get_image (kinema_composer_get_start_zone (composer)), ==, image);

    kinema_composer_set_prompt (composer, "The lantern drifts over the roofs");
    gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.generate", NULL);
    g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 2);
    next = g_list_model_get_item (tasks, 0);
    g_assert_cmpint (kinema_task_get_kind (next), ==, KINEMA_TASK_KIND_IMAGE_TO_VIDEO);
    g_assert_cmpint (kinema_task_get_link_kind (next), ==, KINEMA_LINK_CONTINUE);
    g_assert_cmpstr (kinema_task_get_parent_id (next), ==, kinema_task_get_id (task));
    g_assert_cmpfloat (kinema_task_get_parent_time (next), >, 0);
    g_assert_cmpstr (kinema_request_get_image (kinema_task_get_request (next)), ==, image);
    kinema_task_manager_stop (run.manager, next);
  }

  /* Someone with jobs in the history is not greeted as a newcomer. */
  close_window (fixture);
  g_settings_set_boolean (fixture->settings, "show-first-run", TRUE);
  fixture->window = kinema_window_new (NULL, fixture->registry, run.client, fixture->settings, run.manager);
  gtk_window_present (GTK_WINDOW (fixture->window));
  g_assert_false (kinema_window_get_first_run_shown (fixture->window));
  g_assert_false (g_settings_get_boolean (fixture->settings, "show-first-run"));
  close_window (fixture);

  /* The application reads the history after the window's first frame: the welcome
   * goes away when the jobs arrive. */
  g_settings_set_boolean (fixture->settings, "show-first-run", TRUE);
  {
    g_autoptr(KinemaTaskManager) later = kinema_task_manager_new (run.data_dir, run.downloads, fixture->registry,
                                                                   run.client);
    gboolean loaded = FALSE;

    fixture->window = kinema_window_new (NULL, fixture->registry, run.client, fixture->settings, later);
    gtk_window_present (GTK_WINDOW (fixture->window));
    g_assert_true (kinema_window_get_first_run_shown (fixture->window));
    kinema_task_manager_load_async (later, NULL, on_loaded, &loaded);
    WAIT_UNTIL (loaded);
    g_assert_false (kinema_window_get_first_run_shown (fixture->window));
    close_window (fixture);
  }
}

static GtkWidget *
find_css_name (GtkWidget  *widget,
               const char *name)
{
  if (g_strcmp0 (gtk_widget_get_css_name (widget), name) == 0 && gtk_widget_get_mapped (widget))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_css_name (c, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  graphene_rect_t composer, tasks, player;
} Columns;

static void
get_columns (Fixture *fixture,
             Columns *out)
{
  GtkWidget *root = GTK_WIDGET (fixture->window);

  /* a frame so that the allocation follows what changed */
  spin (300);
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (kinema_window_get_composer (fixture->window)), root,
                                            &out->composer));
  g_assert_true (gtk_widget_compute_bounds (child (fixture, "tasks_box"), root, &out->tasks));
  g_assert_true (gtk_widget_compute_bounds (child (fixture, "player_box"), root, &out->player));
}

static void
assert_same_columns (const Columns *a,
                     const Columns *b)
{
  g_assert_cmpfloat (a->composer.origin.x, ==, b->composer.origin.x);
  g_assert_cmpfloat (a->composer.size.width, ==, b->composer.size.width);
  g_assert_cmpfloat (a->tasks.origin.x, ==, b->tasks.origin.x);
  g_assert_cmpfloat (a->tasks.size.width, ==, b->tasks.size.width);
  g_assert_cmpfloat (a->player.origin.x, ==, b->player.origin.x);
  g_assert_cmpfloat (a->player.size.width, ==, b->player.size.width);
}

/* Issue 12 point 5: starting a clip, changing its speed and selecting a job with a
 * long status move no column. */
static void
test_layout_still (Fixture      *fixture,
                   gconstpointer data)
{
  g_auto (DemoRun) run = { 0 };
  g_autoptr(KinemaTask) task = NULL;
  GtkWidget *player;
  Columns    before, after;

  demo_run_start (&run, fixture, "still", NULL);
  fixture->window = kinema_window_new (NULL, fixture->registry, run.client, fixture->settings, run.manager);
  /* The app's default width: there the three columns' natural widths do not all fit, so a
   * player asking for more room than before would squeeze the other two. */
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 760);
  gtk_window_present (GTK_WINDOW (fixture->window));

  /* a job with a long prompt is generating */
  kinema_composer_set_prompt (kinema_window_get_composer (fixture->window),
                              "A paper lantern drifts over a calm lake at night while fireworks bloom and fade");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.generate", NULL);
  task = g_list_model_get_item (kinema_task_manager_get_tasks (run.manager), 0);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-task", "s", kinema_task_get_id (task));
  get_columns (fixture, &before);

  /* the clip plays */
  wait_for_clip (task);
  player = gtk_widget_get_first_child (child (fixture, "player_box"));
  g_assert_true (KINEMA_IS_PLAYER_VIEW (player));
  WAIT_UNTIL_SECONDS (g_strcmp0 (kinema_player_view_get_page (KINEMA_PLAYER_VIEW (player)), "player") == 0, 90);
  get_columns (fixture, &after);
  assert_same_columns (&before, &after);

  /* Issue 12 point 9: a toast covers neither the player's controls nor Generate */
  {
    GtkWidget      *composer = GTK_WIDGET (kinema_window_get_composer (fixture->window));
    GObject        *bar = gtk_widget_get_template_child (composer, KINEMA_TYPE_COMPOSER, "generate_bar");
    GObject        *scrub = gtk_widget_get_template_child (player, KINEMA_TYPE_PLAYER_VIEW, "scrub");
    GtkWidget      *toast;
    graphene_rect_t toast_box, bar_box, scrub_box;

    kinema_window_show_message (fixture->window, "A message for the test");
    WAIT_UNTIL ((toast = find_css_name (GTK_WIDGET (fixture->window), "toast")) != NULL);
    spin (500);
    g_assert_true (gtk_widget_compute_bounds (toast, GTK_WIDGET (fixture->window), &toast_box));
    g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (bar), GTK_WIDGET (fixture->window), &bar_box));
    g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (scrub), GTK_WIDGET (fixture->window), &scrub_box));
    g_test_message ("toast %g+%g, bar %g, scrub %g", toast_box.origin.y, toast_box.size.height, bar_box.origin.y,
                    scrub_box.origin.y);
    g_assert_false (graphene_rect_intersection (&toast_box, &bar_box, NULL));
    g_assert_cmpfloat (toast_box.origin.y + toast_box.size.height, <=, scrub_box.origin.y);
  }

  /* another speed */
  g_object_set (player, "rate", 1.5, NULL);
  get_columns (fixture, &after);
  assert_same_columns (&before, &after);

  /* Issue 12 point 9: no "Play" for the clip already playing, in its row or its toast */
  {
    GtkWidget     *list = gtk_widget_get_first_child (child (fixture, "tasks_box"));
    KinemaTaskRow *row = kinema_task_list_view_lookup_row (KINEMA_TASK_LIST_VIEW (list), task);
    GtkWidget     *probe = gtk_button_new ();

    g_assert_true (kinema_task_list_view_get_selected_task (KINEMA_TASK_LIST_VIEW (list)) == task);
    g_assert_nonnull (row);
    /* an actionable button follows the row's action */
    gtk_actionable_set_action_name (GTK_ACTIONABLE (probe), "task.play");
    gtk_widget_set_parent (probe, GTK_WIDGET (row));
    g_assert_false (gtk_widget_get_sensitive (probe));
    kinema_task_list_view_select_task (KINEMA_TASK_LIST_VIEW (list), NULL);
    g_assert_true (gtk_widget_get_sensitive (probe));
    kinema_task_list_view_select_task (KINEMA_TASK_LIST_VIEW (list), task);
    g_assert_false (gtk_widget_get_sensitive (probe));
    gtk_widget_unparent (probe);
    g_assert_false (has_label (GTK_WIDGET (fixture->window), "Play"));
  }

  /* Issue 12 point 9: the main player waits while Compare plays, and goes on after */
  {
    KinemaPlayer *main = kinema_player_view_get_player (KINEMA_PLAYER_VIEW (player));
    GtkWidget    *list = gtk_widget_get_first_child (child (fixture, "tasks_box"));
    GtkWindow    *compare = NULL;

    /* reselected above: the clip opens and plays again */
    WAIT_UNTIL_SECONDS (kinema_player_get_playing (main), 90);
    g_signal_emit_by_name (list, "compare", task, task);
    g_assert_false (kinema_player_get_playing (main));
    {
      g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

      for (GList *l = toplevels; l != NULL; l = l->next)
        if (KINEMA_IS_COMPARE_WINDOW (l->data))
          compare = l->data;
    }
    g_assert_nonnull (compare);
    gtk_window_destroy (compare);
    WAIT_UNTIL_SECONDS (kinema_player_get_playing (main), 90);
  }

  /* a failed job with a long reason is selected */
  {
    g_autoptr(GError) refused = kinema_error_new (KINEMA_ERROR_CONTENT_POLICY, 400, "1301",
                                                   "Failure to pass the risk control system", "r");

    kinema_task_fail (task, refused);
  }
  get_columns (fixture, &after);
  assert_same_columns (&before, &after);

  close_window (fixture);
}

static AdwMessageDialog *
find_dialog (const char *name)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && g_strcmp0 (gtk_widget_get_name (l->data), name) == 0 &&
        gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

/* Issue 12 point 10: quitting while a job runs says the job goes on at the provider
 * and is picked up at the next start; keeping the window open loses nothing. */
static void
test_quit_asks (Fixture      *fixture,
                gconstpointer data)
{
  g_auto (DemoRun) run = { 0 };
  AdwMessageDialog *dialog = NULL;
  gpointer          window;

  demo_run_start (&run, fixture, "quit", NULL);
  fixture->window = kinema_window_new (NULL, fixture->registry, run.client, fixture->settings, run.manager);
  gtk_window_present (GTK_WINDOW (fixture->window));
  g_signal_connect_swapped (fixture->window, "destroy", G_CALLBACK (g_nullify_pointer), &window);
  window = fixture->window;

  /* Start a job on the demo */
  kinema_composer_set_prompt (kinema_window_get_composer (fixture->window), "A kite over the dunes");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.generate", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (kinema_task_manager_get_tasks (run.manager)), ==, 1);

  /* A job runs: the window asks, and says what happens to the job */
  gtk_window_close (GTK_WINDOW (fixture->window));
  WAIT_UNTIL_SECONDS ((dialog = find_dialog ("kinema-quit-dialog")) != NULL, 10);
  g_assert_nonnull (window);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Quit While Jobs Run?");
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                   "1 job is still being made. It continues at the provider, and Kinema picks it up the next "
                   "time it starts: the clip is downloaded then.");

  /* Keep Open: nothing closes */
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  spin (100);
  g_assert_nonnull (window);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));

  /* Quit: the window goes, the job stays in the history as it was */
  gtk_window_close (GTK_WINDOW (fixture->window));
  WAIT_UNTIL_SECONDS ((dialog = find_dialog ("kinema-quit-dialog")) != NULL, 10);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  adw_message_dialog_response (dialog, "quit");
  if (dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));
  WAIT_UNTIL_SECONDS (window == NULL, 10);
  fixture->window = NULL;
}

/* A hostile server (issue 15): the submit's reply is JSON nested 300 KB deep, which
 * overflowed json-glib's stack and took the window down. Now the job ends with an
 * error, the window says so in a toast, and it goes on working. */
static void
test_hostile (Fixture      *fixture,
              gconstpointer data)
{
  g_auto (DemoRun) run = { 0 };
  g_autoptr(KinemaTask) task = NULL;
  KinemaSimFault  deep = { "POST", NULL, KINEMA_SIM_FAULT_DEEP_JSON, 0, 0, 0, -1, FALSE, NULL };
  KinemaComposer *composer;

  demo_run_start (&run, fixture, "hostile", &deep);
  fixture->window = kinema_window_new (NULL, fixture->registry, run.client, fixture->settings, run.manager);
  gtk_window_present (GTK_WINDOW (fixture->window));
  composer = kinema_window_get_composer (fixture->window);

  kinema_composer_set_prompt (composer, "A lantern over a hostile sea");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.generate", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (kinema_task_manager_get_tasks (run.manager)), ==, 1);
  task = g_list_model_get_item (kinema_task_manager_get_tasks (run.manager), 0);

  WAIT_UNTIL_SECONDS (kinema_task_get_error (task) != NULL, 60);
  g_assert_false (kinema_task_get_status (task) == KINEMA_TASK_STATUS_SUCCEEDED);
  spin (200);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->window)));

  close_window (fixture);
}

static gboolean
row_has_focus (Fixture    *fixture,
               GtkWidget  *list,
               KinemaTask *task)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  GtkWidget *row = GTK_WIDGET (kinema_task_list_view_lookup_row (KINEMA_TASK_LIST_VIEW (list), task));

  return row != NULL && focus != NULL && (focus == row || gtk_widget_is_ancestor (row, focus));
}

/* After Generate the new job is in sight: one pane at a time, the task list shows with
 * the new row selected and focused, not the search field (issue 12, point 6). */
static void
test_new_job_visible (Fixture      *fixture,
                      gconstpointer data)
{
  g_auto (DemoRun) run = { 0 };
  g_autoptr(KinemaTask) task = NULL;
  g_autoptr(KinemaTask) selected = NULL;
  GtkWidget      *list, *focus, *row;
  AdwLeaflet     *leaflet;
  graphene_rect_t bounds;

  demo_run_start (&run, fixture, "newjob", NULL);
  g_settings_set_int (fixture->settings, "window-width", 360);
  g_settings_set_int (fixture->settings, "window-height", 700);
  fixture->window = kinema_window_new (NULL, fixture->registry, run.client, fixture->settings, run.manager);
  gtk_window_present (GTK_WINDOW (fixture->window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  spin (100);
  leaflet = ADW_LEAFLET (child (fixture, "leaflet"));
  g_assert_true (adw_leaflet_get_folded (leaflet));
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "composer");

  /* Generate from the keyboard, with the focus in the prompt. */
  kinema_composer_set_prompt (kinema_window_get_composer (fixture->window), "A kite climbs over a windy beach");
  gtk_widget_grab_focus (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (kinema_window_get_composer (fixture->window)),
                                                                    KINEMA_TYPE_COMPOSER, "prompt_view")));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.generate", NULL);
  task = g_list_model_get_item (kinema_task_manager_get_tasks (run.manager), 0);
  g_assert_nonnull (task);

  /* The Tasks view, the new job selected, its row focused and inside the window. */
  list = gtk_widget_get_first_child (child (fixture, "tasks_box"));
  WAIT_UNTIL_SECONDS (row_has_focus (fixture, list, task), 10);
  focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  row = GTK_WIDGET (kinema_task_list_view_lookup_row (KINEMA_TASK_LIST_VIEW (list), task));
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "tasks");
  g_object_get (list, "selected-task", &selected, NULL);
  g_assert_true (selected == task);
  g_assert_false (GTK_IS_EDITABLE (focus) || GTK_IS_SEARCH_ENTRY (focus) || GTK_IS_TEXT (focus));
  g_assert_true (gtk_widget_get_mapped (row));
  g_assert_true (gtk_widget_compute_bounds (row, GTK_WIDGET (fixture->window), &bounds));
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (GTK_WIDGET (fixture->window)));
  /* Selecting it did not open the player. */
  spin (100);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "tasks");

  close_window (fixture);
}

/* The application's startup: the core objects exist, the demo has a URL, the
 * accelerators are set, and the shortcuts window is in the resources. */
static void
test_application (Fixture      *fixture,
                  gconstpointer data)
{
  g_autoptr(KinemaApplication) app = kinema_application_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkBuilder) builder = NULL;
  g_auto(GStrv) accels = NULL;
  g_autofree char *downloads = NULL;
  KinemaProvider  *demo;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_assert_true (KINEMA_IS_PROVIDER_REGISTRY (kinema_application_get_providers (app)));
  g_assert_true (KINEMA_IS_CLIENT (kinema_application_get_client (app)));
  g_assert_true (KINEMA_IS_TASK_MANAGER (kinema_application_get_task_manager (app)));
  g_assert_true (G_IS_SETTINGS (kinema_application_get_settings (app)));
  g_assert_true (kinema_demo_get_running (kinema_application_get_demo (app)));
  demo = kinema_provider_registry_get_demo (kinema_application_get_providers (app));
  g_assert_nonnull (kinema_provider_get_base_url (demo));
  g_assert_cmpstr (kinema_provider_get_base_url (demo), ==, kinema_demo_get_base_url (kinema_application_get_demo (app)));

  downloads = kinema_application_dup_downloads_dir (app);
  g_assert_true (g_str_has_suffix (downloads, "Kinema"));
  g_settings_set_string (kinema_application_get_settings (app), "downloads-folder", "/tmp/kinema-elsewhere");
  g_assert_cmpstr (kinema_task_manager_get_downloads_dir (kinema_application_get_task_manager (app)), ==,
                   "/tmp/kinema-elsewhere");
  g_settings_reset (kinema_application_get_settings (app), "downloads-folder");

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.generate");
  g_assert_cmpstr (accels[0], ==, "<Control>Return");
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.preferences");
  g_assert_cmpstr (accels[0], ==, "<Control>comma");
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.shortcuts");
  g_assert_cmpstr (accels[0], ==, "<Control>question");
  g_clear_pointer (&accels, g_strfreev);
  /* beside Continue's Ctrl+Shift+N, and in the shortcuts window */
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.extend");
  {
    guint           key = 0;
    GdkModifierType mods = 0;

    g_assert_true (gtk_accelerator_parse (accels[0], &key, &mods));
    g_assert_cmpuint (key, ==, GDK_KEY_e);
    g_assert_cmpuint (mods, ==, GDK_CONTROL_MASK | GDK_SHIFT_MASK);
  }
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");
  g_assert_cmpstr (accels[0], ==, "<Control>q");
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.open-image");
  g_assert_cmpstr (accels[0], ==, "<Control>o");
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "about"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "show-task"));

  /* The About window gives meson's project version, like --version and the package
   * (tests/check-version.py checks those). */
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  {
    GListModel     *toplevels = gtk_window_get_toplevels (); /* transfer none */
    AdwAboutWindow *about = NULL;

    for (guint i = 0; about == NULL && i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

        if (ADW_IS_ABOUT_WINDOW (item))
          about = ADW_ABOUT_WINDOW (item);
      }
    g_assert_nonnull (about);
    g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
    gtk_window_destroy (GTK_WINDOW (about));
  }

  builder = gtk_builder_new_from_resource (RESOURCE_PREFIX "/gtk/help-overlay.ui");
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
  gtk_window_destroy (GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay")));

  kinema_demo_stop (kinema_application_get_demo (app));
}

/* Issue 15, point 9: the application loads a history.db that is not a database; the
 * window says in its banner that it was moved aside (and where), and the task list
 * starts empty. */
static void
test_history_moved (Fixture      *fixture,
                    gconstpointer data)
{
  g_autoptr(KinemaApplication) app = kinema_application_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (scratch, "kinema", NULL);
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  GtkWidget       *window;
  GtkWidget       *revealer;
  GtkWidget       *label;

  g_mkdir_with_parents (dir, 0700);
  g_remove (wal);
  g_remove (shm);
  g_assert_true (g_file_set_contents (path, "This is not a database, it is a shopping list.\n", -1, NULL));

  /* test_application's instance still holds the usual id's object path on the bus. */
  g_application_set_application_id (G_APPLICATION (app), APP_ID ".HistoryTest");
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  window = GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_true (KINEMA_IS_WINDOW (window));
  revealer = GTK_WIDGET (gtk_widget_get_template_child (window, KINEMA_TYPE_WINDOW, "history_revealer"));
  label = GTK_WIDGET (gtk_widget_get_template_child (window, KINEMA_TYPE_WINDOW, "history_label"));

  WAIT_UNTIL_SECONDS (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)), 30);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "history.db.unreadable-"));
  g_assert_cmpuint (g_list_model_get_n_items (kinema_task_manager_get_tasks (kinema_application_get_task_manager (app))),
                    ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  kinema_demo_stop (kinema_application_get_demo (app));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  scratch = g_dir_make_tmp ("kinema-test-window-XXXXXX", NULL);
  g_assert_nonnull (scratch);
  g_setenv ("XDG_CACHE_HOME", scratch, TRUE);
  g_setenv ("XDG_CONFIG_HOME", scratch, TRUE);
  g_setenv ("XDG_DATA_HOME", scratch, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("1..0 # SKIP no display (run under xvfb-run)\n");
      return 77;
    }
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/kinema/window/first-run", Fixture, NULL, fixture_set_up, test_first_run, fixture_tear_down);
  g_test_add ("/kinema/window/providers", Fixture, NULL, fixture_set_up, test_providers, fixture_tear_down);
  g_test_add ("/kinema/window/adaptive", Fixture, NULL, fixture_set_up, test_adaptive, fixture_tear_down);
  g_test_add ("/kinema/window/generate-bar", Fixture, NULL, fixture_set_up, test_generate_bar, fixture_tear_down);
  g_test_add ("/kinema/window/new-job-visible", Fixture, NULL, fixture_set_up, test_new_job_visible, fixture_tear_down);
  g_test_add ("/kinema/window/default-provider", Fixture, NULL, fixture_set_up, test_default_provider, fixture_tear_down);
  g_test_add ("/kinema/window/actions", Fixture, NULL, fixture_set_up, test_actions, fixture_tear_down);
  g_test_add ("/kinema/window/generate", Fixture, NULL, fixture_set_up, test_generate, fixture_tear_down);
  g_test_add ("/kinema/window/hostile", Fixture, NULL, fixture_set_up, test_hostile, fixture_tear_down);
  g_test_add ("/kinema/window/layout-still", Fixture, NULL, fixture_set_up, test_layout_still, fixture_tear_down);
  g_test_add ("/kinema/window/quit-asks", Fixture, NULL, fixture_set_up, test_quit_asks, fixture_tear_down);
  g_test_add ("/kinema/window/application", Fixture, NULL, fixture_set_up, test_application, fixture_tear_down);
  g_test_add ("/kinema/window/history-moved", Fixture, NULL, fixture_set_up, test_history_moved, fixture_tear_down);

  ret = g_test_run ();
  remove_tree (scratch);
  return ret;
}
