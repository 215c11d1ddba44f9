/* test-extend-dialog.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Extend…" in the window (issue 14), in process under Xvfb against the offline demo
 * (which speaks the official Kling style, so it has the video-extend route): the menu
 * item is in the row's and the player's menu for a demo clip and not for a gateway's
 * clip; the dialog shows the lengths and the cost before anything is sent; Extend queues
 * exactly one job, linked to the clip, that finishes and plays; a clip Kling cannot
 * extend shows the reason and sends nothing.
 *
 * Kling's "Video Extension" doc (app.klingai.com/global/dev/document-api, Video
 * Extension): POST /v1/videos/video-extend with the finished video's video_id; the
 * result is the whole video, about 4-5 s longer. new-api's router/video-router.go has
 * no such route, so a gateway provider is never offered it.
 */

#include "config.h"

#include <adwaita.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n-lib.h>

#include "kinema-capabilities.h"
#include "kinema-composer.h"
#include "kinema-cost-table.h"
#include "kinema-demo.h"
#include "kinema-extend-dialog.h"
#include "kinema-http-client.h"
#include "kinema-i18n.h"
#include "kinema-player-view.h"
#include "kinema-sim-server.h"
#include "kinema-task-list-view-private.h"
#include "kinema-task-manager.h"
#include "kinema-task-private.h"
#include "kinema-window.h"
#include "tasks-test-util.h"
#include "ui-test-util.h"

#define PROMPT "A paper lantern <b>rises</b> & drifts over the roofs"
#define EXTEND_PROMPT "The lantern climbs into the clouds"
#define GATEWAY_KEY "sk-test-gateway"
#define KLING_ACCESS_KEY "ak-test"
#define KLING_SECRET_KEY "sk-secret-test"

typedef struct
{
  char                   *dir;
  KinemaProviderRegistry *registry;
  GSettings              *settings;
  KinemaDemo             *demo;
  KinemaHttpClient       *http;
  KinemaClient           *client;
  KinemaTaskManager      *manager;
  KinemaWindow           *window;
} Fixture;

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autofree char *config = NULL;
  g_autofree char *demo_dir = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *downloads = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) loaded = NULL;

  f->dir = g_dir_make_tmp ("kinema-test-extend-XXXXXX", NULL);
  config = g_build_filename (f->dir, "config", NULL);
  demo_dir = g_build_filename (f->dir, "demo", NULL);
  data_dir = g_build_filename (f->dir, "data", NULL);
  downloads = g_build_filename (f->dir, "Videos", NULL);

  f->registry = kinema_provider_registry_new (config);
  f->settings = g_settings_new (SCHEMA_ID);
  g_settings_set_boolean (f->settings, "show-first-run", FALSE);
  f->demo = kinema_demo_new (f->registry, demo_dir);
  g_assert_true (kinema_demo_start (f->demo, &error));
  g_assert_no_error (error);
  /* the demo's pretend queue and render times (3 s + 8 s) are not what is tested here */
  kinema_sim_server_set_clock (kinema_demo_get_server (f->demo), 200, 600);
  f->http = kinema_http_client_new ();
  f->client = kinema_client_new (f->http);
  f->manager = kinema_task_manager_new (data_dir, downloads, f->registry, f->client);
  kinema_task_manager_set_poll_interval (f->manager, 0.2);
  kinema_task_manager_load_async (f->manager, NULL, tasks_test_result_cb, &loaded);
  WAIT_UNTIL (loaded != NULL);
  g_assert_true (kinema_task_manager_load_finish (f->manager, loaded, &error));
  g_assert_no_error (error);

  f->window = kinema_window_new (NULL, f->registry, f->client, f->settings, f->manager);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1280, 760);
  gtk_window_present (GTK_WINDOW (f->window));
  wait_for_paint (GTK_WIDGET (f->window));
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  GListModel *tasks = kinema_task_manager_get_tasks (f->manager);

  for (guint i = 0; i < g_list_model_get_n_items (tasks); i++)
    {
      g_autoptr(KinemaTask) task = g_list_model_get_item (tasks, i);

      if (kinema_task_is_active (task))
        kinema_task_manager_stop (f->manager, task);
    }
  gtk_window_destroy (GTK_WINDOW (f->window));
  drain ();
  g_clear_object (&f->manager);
  kinema_demo_stop (f->demo);
  g_clear_object (&f->demo);
  g_clear_object (&f->client);
  g_clear_object (&f->http);
  g_clear_object (&f->settings);
  g_clear_object (&f->registry);
  remove_tree (f->dir);
  g_free (f->dir);
}

static KinemaTaskListView *
task_list (Fixture *f)
{
  GObject *box = gtk_widget_get_template_child (GTK_WIDGET (f->window), KINEMA_TYPE_WINDOW, "tasks_box");

  return KINEMA_TASK_LIST_VIEW (gtk_widget_get_first_child (GTK_WIDGET (box)));
}

static KinemaPlayerView *
player_view (Fixture *f)
{
  GObject   *box = gtk_widget_get_template_child (GTK_WIDGET (f->window), KINEMA_TYPE_WINDOW, "player_box");
  GtkWidget *view = gtk_widget_get_first_child (GTK_WIDGET (box));

  g_assert_true (KINEMA_IS_PLAYER_VIEW (view));
  return KINEMA_PLAYER_VIEW (view);
}

static KinemaRequest *
new_request (const char *prompt)
{
  KinemaRequest *request = kinema_request_new (KINEMA_TASK_KIND_TEXT_TO_VIDEO);

  /* a model Kling extends (data/capabilities.json: kling-v1 and kling-v1-6) */
  kinema_request_set_model (request, "kling-v1-6");
  kinema_request_set_mode (request, KINEMA_MODE_STD);
  kinema_request_set_duration (request, 5);
  kinema_request_set_prompt (request, prompt);
  kinema_request_set_negative_prompt (request, "blur");
  return request;
}

/* A finished clip of @provider, made through the task manager as Generate does. */
static KinemaTask *
make_clip (Fixture        *f,
           KinemaProvider *provider,
           const char     *prompt)
{
  g_autoptr(KinemaRequest) request = new_request (prompt);
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  KinemaTask *task;

  tasks = kinema_task_manager_generate (f->manager, provider, request, 1, &error);
  g_assert_no_error (error);
  task = g_object_ref (g_ptr_array_index (tasks, 0));
  WAIT_UNTIL (!kinema_task_is_active (task));
  g_assert_cmpint (kinema_task_get_status (task), ==, KINEMA_TASK_STATUS_SUCCEEDED);
  return task;
}

/* A menu item (a GtkModelButton, which keeps no action name) by its label without the
 * mnemonic, e.g. "Extend…"; an item hidden with its action is not made at all. */
static gboolean
is_item_for (GtkWidget    *widget,
             gconstpointer label)
{
  g_autofree char *text = NULL;

  if (g_strcmp0 (G_OBJECT_TYPE_NAME (widget), "GtkModelButton") != 0)
    return FALSE;
  g_object_get (widget, "text", &text, NULL);
  return g_strcmp0 (text, label) == 0;
}

/* A menu item by its translated label, e.g. "E_xtend…" (the mnemonic is not in the text). */
static GtkWidget *
find_item (GtkWidget  *root,
           const char *label)
{
  g_autoptr(GString) text = g_string_new (_(label));

  g_string_replace (text, "_", "", 0);
  return find_widget_matching (root, is_item_for, text->str);
}

/* Opens @button's menu as the user does, checks that @continue_label is in it, and
 * says whether "Extend…" is beside it. */
static gboolean
menu_offers_extend (GtkMenuButton *button,
                    const char    *continue_label,
                    const char    *screenshot)
{
  GtkWidget *popover;
  GtkWidget *item;
  gboolean   shown;

  gtk_menu_button_popup (button);
  popover = GTK_WIDGET (gtk_menu_button_get_popover (button));
  WAIT_UNTIL (is_shown (popover));
  if (screenshot != NULL)
    save_screenshot (popover, screenshot);
  /* Continue is there, always */
  item = find_item (popover, continue_label);
  g_assert_true (item != NULL && gtk_widget_get_visible (item));
  item = find_item (popover, "E_xtend…");
  shown = item != NULL && gtk_widget_get_visible (item);
  gtk_menu_button_popdown (button);
  return shown;
}

/* The row's menu. */
static gboolean
row_menu_offers_extend (Fixture    *f,
                        KinemaTask *task,
                        const char *screenshot)
{
  KinemaTaskRow *row;

  kinema_task_list_view_select_task (task_list (f), task);
  WAIT_UNTIL ((row = kinema_task_list_view_lookup_row (task_list (f), task)) != NULL);
  return menu_offers_extend (
      GTK_MENU_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (row), KINEMA_TYPE_TASK_ROW, "menu_button")),
      "Co_ntinue From the Last Frame", screenshot);
}

/* The menu button under @root whose menu has the item @label. */
static GtkMenuButton *
find_menu_button (GtkWidget  *root,
                  const char *label)
{
  if (GTK_IS_MENU_BUTTON (root) && gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (root)) != NULL)
    {
      GtkWidget *popover;

      /* the popover is made from the model on first use */
      gtk_menu_button_popup (GTK_MENU_BUTTON (root));
      popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (root)));
      gtk_menu_button_popdown (GTK_MENU_BUTTON (root));
      if (popover != NULL && find_item (popover, label) != NULL)
        return GTK_MENU_BUTTON (root);
    }
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkMenuButton *found = find_menu_button (c, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The player's frame menu. */
static gboolean
player_menu_offers_extend (Fixture    *f,
                           const char *screenshot)
{
  GtkMenuButton *button = find_menu_button (GTK_WIDGET (player_view (f)), "Continue From the _Last Frame");

  g_assert_nonnull (button);
  return menu_offers_extend (button, "Continue From the _Last Frame", screenshot);
}

/* The Extend dialog on screen, or NULL. */
static KinemaExtendDialog *
find_extend_dialog (void)
{
  GtkWindow *window = find_toplevel (KINEMA_TYPE_EXTEND_DIALOG);

  return window != NULL && gtk_widget_get_visible (GTK_WIDGET (window)) ? KINEMA_EXTEND_DIALOG (window) : NULL;
}

static GtkWidget *
dialog_child (KinemaExtendDialog *dialog,
              const char         *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (dialog), KINEMA_TYPE_EXTEND_DIALOG, name);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

static const char *
dialog_text (KinemaExtendDialog *dialog,
             const char         *name)
{
  return gtk_label_get_text (GTK_LABEL (dialog_child (dialog, name)));
}

static guint
n_tasks (Fixture *f)
{
  return g_list_model_get_n_items (kinema_task_manager_get_tasks (f->manager));
}

/* What the simulator's request log says was sent to the extension route (the demo
 * serves the official style under /kling). */
static guint
extend_posts (Fixture *f)
{
  g_autoptr(JsonNode) stats = kinema_sim_server_dup_stats (kinema_demo_get_server (f->demo));
  JsonArray *log = json_object_get_array_member (json_node_get_object (stats), "log");
  guint      n = 0;

  for (guint i = 0; i < json_array_get_length (log); i++)
    {
      JsonObject *entry = json_array_get_object_element (log, i);

      if (g_strcmp0 (json_object_get_string_member (entry, "method"), "POST") == 0 &&
          g_str_has_suffix (json_object_get_string_member (entry, "path"), "/v1/videos/video-extend"))
        n++;
    }
  return n;
}

static void
test_demo_extend (Fixture      *f,
                  gconstpointer data)
{
  KinemaProvider *demo = kinema_provider_registry_get_demo (f->registry);
  g_autoptr(KinemaTask) clip = make_clip (f, demo, PROMPT);
  g_autoptr(KinemaTask) extension = NULL;
  KinemaExtendDialog *dialog;
  KinemaTaskRow      *row;
  GtkTextBuffer      *buffer;
  GObject            *link;
  g_autofree char    *link_text = NULL;
  g_autofree char    *summary = NULL;
  g_autofree char    *limits = NULL;

  /* the demo keeps the id of its finished video, as official Kling does */
  g_assert_nonnull (kinema_task_get_video_id (clip));

  /* "Extend…" beside "Continue From the Last Frame", in both menus */
  g_assert_true (row_menu_offers_extend (f, clip, "extend-row-menu"));
  WAIT_UNTIL (g_strcmp0 (kinema_player_view_get_page (player_view (f)), "player") == 0);
  g_assert_true (player_menu_offers_extend (f, "extend-player-menu"));
  save_screenshot (GTK_WIDGET (f->window), "extend-window");

  /* the row's item opens the dialog; nothing is sent yet */
  WAIT_UNTIL ((row = kinema_task_list_view_lookup_row (task_list (f), clip)) != NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "task.extend", NULL));
  WAIT_UNTIL ((dialog = find_extend_dialog ()) != NULL);
  g_assert_cmpuint (n_tasks (f), ==, 1);
  g_assert_cmpuint (extend_posts (f), ==, 0);
  /* the prompt has the keyboard, not Cancel */
  g_assert_true (gtk_window_get_focus (GTK_WINDOW (dialog)) == dialog_child (dialog, "prompt_view"));

  /* what will happen, in plain words: +4.5 s on a 5 s clip makes about 9.5 s */
  summary = g_strdup_printf (_("Kling adds about %1$s seconds to the end of this clip, with the same model and "
                               "quality. The result is a new clip of about %2$s seconds; the original stays as it is."),
                                "4.5", "9.5");
  g_assert_cmpstr (dialog_text (dialog, "summary_label"), ==, summary);
  limits = g_strdup_printf (_("An extended clip can be at most %1$s minutes long, and Kling extends only clips "
                              "it made in the last %2$d days."),
                               "3", 30);
  g_assert_cmpstr (dialog_text (dialog, "limits_label"), ==, limits);
  /* the cost as the composer states it */
  g_assert_cmpstr (kinema_extend_dialog_get_cost (dialog), ==, _("Free: offline demo"));
  g_assert_cmpstr (dialog_text (dialog, "cost_label"), ==, _("Free: offline demo"));
  /* model and quality kept, shown as text */
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (dialog_child (dialog, "model_row"))), !=, NULL);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (dialog_child (dialog, "mode_row"))), ==,
                   kinema_mode_get_label (KINEMA_MODE_STD));
  /* the prompt, as typed (markup characters and all), ready to edit */
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (dialog_child (dialog, "prompt_view")));
  {
    GtkTextIter      start, end;
    g_autofree char *text = NULL;

    gtk_text_buffer_get_bounds (buffer, &start, &end);
    text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_cmpstr (text, ==, PROMPT);
  }
  g_assert_null (kinema_extend_dialog_get_reason (dialog));
  g_assert_false (gtk_widget_get_visible (dialog_child (dialog, "reason_box")));
  g_assert_false (gtk_widget_get_visible (dialog_child (dialog, "continue_button")));
  g_assert_true (gtk_widget_get_sensitive (dialog_child (dialog, "extend_button")));
  save_screenshot (GTK_WIDGET (dialog), "extend-dialog");
  /* a phone-sized screen: everything wraps, nothing is cut */
  gtk_window_set_default_size (GTK_WINDOW (dialog), 360, 640);
  save_screenshot (GTK_WIDGET (dialog), "extend-dialog-360");

  /* a prompt past Kling's 2,500 characters: said, and Extend waits for a shorter one */
  {
    g_autofree char *long_prompt = g_strnfill (KINEMA_PROMPT_MAX_CHARS + 1, 'a');

    gtk_text_buffer_set_text (buffer, long_prompt, -1);
    g_assert_nonnull (kinema_extend_dialog_get_reason (dialog));
    g_assert_true (gtk_widget_get_visible (dialog_child (dialog, "reason_box")));
    g_assert_false (gtk_widget_get_visible (dialog_child (dialog, "continue_button")));
    g_assert_false (gtk_widget_get_sensitive (dialog_child (dialog, "extend_button")));
  }

  /* Extend, twice as a double click would: one job */
  gtk_text_buffer_set_text (buffer, EXTEND_PROMPT, -1);
  g_assert_null (kinema_extend_dialog_get_reason (dialog));
  g_assert_true (gtk_widget_get_sensitive (dialog_child (dialog, "extend_button")));
  {
    g_autoptr(GtkWidget) button = g_object_ref (dialog_child (dialog, "extend_button"));
    g_autoptr(KinemaExtendDialog) held = g_object_ref (dialog);

    g_signal_emit_by_name (button, "clicked");
    g_signal_emit_by_name (button, "clicked");
    kinema_extend_dialog_extend (held);
  }
  g_assert_cmpuint (n_tasks (f), ==, 2);
  extension = g_list_model_get_item (kinema_task_manager_get_tasks (f->manager), 0);
  g_assert_true (extension != clip);
  g_assert_cmpint (kinema_task_get_kind (extension), ==, KINEMA_TASK_KIND_VIDEO_EXTEND);
  g_assert_cmpint (kinema_task_get_link_kind (extension), ==, KINEMA_LINK_EXTEND);
  g_assert_cmpstr (kinema_task_get_parent_id (extension), ==, kinema_task_get_id (clip));
  g_assert_cmpstr (kinema_request_get_video_id (kinema_task_get_request (extension)), ==,
                   kinema_task_get_video_id (clip));
  g_assert_cmpstr (kinema_task_get_prompt (extension), ==, EXTEND_PROMPT);
  /* the dialog closed; the new job is selected, as after Generate */
  WAIT_UNTIL (find_extend_dialog () == NULL);
  g_assert_true (kinema_task_list_view_get_selected_task (task_list (f)) == extension);

  /* its row says what it is */
  WAIT_UNTIL ((row = kinema_task_list_view_lookup_row (task_list (f), extension)) != NULL);
  link = gtk_widget_get_template_child (GTK_WIDGET (row), KINEMA_TYPE_TASK_ROW, "link_label");
  link_text = g_strdup_printf (_("Extends “%s”"), PROMPT);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (link)));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (link)), ==, link_text);
  /* and how long its clip is: the whole extended video (5 s + about 4.5 s), as the
   * strip and the player say it, not rounded to 10 s */
  {
    g_autofree char *length = g_strdup_printf (_("%.1f s · %s · %s"), 9.5, "", "");

    *strchr (length, ' ') = '\0';
    g_assert_true (g_str_has_prefix (
        gtk_label_get_text (GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (row), KINEMA_TYPE_TASK_ROW,
                                                                      "meta_label"))),
        length));
  }

  /* sent once: one POST to the extension route, never two */
  WAIT_UNTIL (kinema_task_get_remote_id (extension) != NULL || !kinema_task_is_active (extension));
  g_assert_cmpuint (extend_posts (f), ==, 1);

  /* it finishes, about 4.5 s longer than its parent, and plays */
  WAIT_UNTIL_SECONDS (!kinema_task_is_active (extension), 120);
  g_assert_cmpint (kinema_task_get_status (extension), ==, KINEMA_TASK_STATUS_SUCCEEDED);
  g_assert_true (g_file_test (kinema_task_get_video_path (extension), G_FILE_TEST_IS_REGULAR));
  kinema_task_list_view_select_task (task_list (f), extension);
  WAIT_UNTIL (kinema_player_view_get_task (player_view (f)) == extension &&
              g_strcmp0 (kinema_player_view_get_page (player_view (f)), "player") == 0);
  WAIT_UNTIL (kinema_player_get_duration (kinema_player_view_get_player (player_view (f))) > 0);
  g_assert_cmpfloat (kinema_player_get_duration (kinema_player_view_get_player (player_view (f))) / 1e9, >, 8.5);
  save_screenshot (GTK_WIDGET (f->window), "extend-window-done");

  /* Folded to 360 px while the extension plays, the switcher bar comes in whole: it was
   * left without height, and GTK warned (fatally here) of buttons given a negative one. */
  {
    GtkWidget *switcher = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->window), KINEMA_TYPE_WINDOW,
                                                                     "switcher_revealer"));
    GtkWidget *button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->window), KINEMA_TYPE_WINDOW,
                                                                   "show_player_button"));

    gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 760);
    WAIT_UNTIL (gtk_revealer_get_child_revealed (GTK_REVEALER (switcher)) && gtk_widget_get_height (switcher) > 0);
    wait_for_paint (GTK_WIDGET (f->window));
    g_assert_cmpint (gtk_widget_get_height (button), >, 0);
    save_screenshot (GTK_WIDGET (f->window), "extend-window-360");
  }
  g_assert_cmpuint (extend_posts (f), ==, 1);
  g_assert_cmpuint (n_tasks (f), ==, 2);
}

/* The row of a continuation says which clip it continues, like an extension's. */
static void
test_continue_row (Fixture      *f,
                   gconstpointer data)
{
  KinemaProvider *demo = kinema_provider_registry_get_demo (f->registry);
  g_autoptr(KinemaTask) clip = make_clip (f, demo, PROMPT);
  g_autofree char *frame = g_build_filename (f->dir, "frame.png", NULL);
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 320, 180);
  g_autoptr(KinemaRequest) request = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = g_strdup_printf (_("Continues “%s”"), PROMPT);
  KinemaTask      *next;
  KinemaTaskRow   *row;
  GObject         *link;

  gdk_pixbuf_fill (pixbuf, 0x336699ff);
  g_assert_true (gdk_pixbuf_save (pixbuf, frame, "png", NULL, NULL));
  request = kinema_request_new_continuation (kinema_task_get_request (clip), kinema_task_get_id (clip), 5.0, frame);
  tasks = kinema_task_manager_generate (f->manager, demo, request, 1, &error);
  g_assert_no_error (error);
  next = g_ptr_array_index (tasks, 0);
  kinema_task_list_view_select_task (task_list (f), next);
  WAIT_UNTIL ((row = kinema_task_list_view_lookup_row (task_list (f), next)) != NULL);
  link = gtk_widget_get_template_child (GTK_WIDGET (row), KINEMA_TYPE_TASK_ROW, "link_label");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (link)));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (link)), ==, expected);
  /* the clip itself continues nothing */
  WAIT_UNTIL ((row = kinema_task_list_view_lookup_row (task_list (f), clip)) != NULL);
  link = gtk_widget_get_template_child (GTK_WIDGET (row), KINEMA_TYPE_TASK_ROW, "link_label");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (link)));
  kinema_task_manager_stop (f->manager, next);
}

/* A refused dialog: its reason shows, Extend is insensitive and does nothing. */
static void
assert_refused (Fixture            *f,
                KinemaExtendDialog *dialog)
{
  g_assert_nonnull (kinema_extend_dialog_get_reason (dialog));
  g_assert_true (gtk_widget_get_visible (dialog_child (dialog, "reason_box")));
  g_assert_cmpstr (dialog_text (dialog, "reason_label"), ==, kinema_extend_dialog_get_reason (dialog));
  g_assert_false (gtk_widget_get_sensitive (dialog_child (dialog, "extend_button")));
  /* what the reason suggests instead is a click away */
  g_assert_true (gtk_widget_get_visible (dialog_child (dialog, "continue_button")));
  g_assert_true (gtk_window_get_focus (GTK_WINDOW (dialog)) == dialog_child (dialog, "continue_button"));
  /* no promise of what Kling adds and no form for a job that cannot be sent */
  g_assert_false (gtk_widget_get_visible (dialog_child (dialog, "summary_label")));
  g_assert_false (gtk_widget_get_visible (dialog_child (dialog, "kept_group")));
  g_assert_false (gtk_widget_get_visible (dialog_child (dialog, "prompt_box")));
  g_assert_false (gtk_widget_get_visible (dialog_child (dialog, "cost_label")));
  kinema_extend_dialog_extend (dialog);
  g_assert_cmpuint (n_tasks (f), ==, 1);
  drain ();
  g_assert_cmpuint (extend_posts (f), ==, 0);
  gtk_window_close (GTK_WINDOW (dialog));
  WAIT_UNTIL (find_extend_dialog () == NULL);
}

/* A clip Kling cannot extend (no video id here: made before Kinema kept it, or by
 * another app): the reason shows, Extend is insensitive and nothing is sent. */
static void
test_refused (Fixture      *f,
              gconstpointer data)
{
  KinemaProvider *demo = kinema_provider_registry_get_demo (f->registry);
  g_autoptr(KinemaTask) clip = make_clip (f, demo, PROMPT);
  KinemaExtendDialog *dialog;

  kinema_task_set_video_id (clip, NULL);
  kinema_task_list_view_select_task (task_list (f), clip);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.extend", NULL));
  WAIT_UNTIL ((dialog = find_extend_dialog ()) != NULL);
  save_screenshot (GTK_WIDGET (dialog), "extend-dialog-refused");
  assert_refused (f, dialog);

  /* "Continue From the Last Frame" instead: the composer gets the clip's last frame */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.extend", NULL));
  WAIT_UNTIL ((dialog = find_extend_dialog ()) != NULL);
  g_signal_emit_by_name (dialog_child (dialog, "continue_button"), "clicked");
  WAIT_UNTIL (find_extend_dialog () == NULL);
  WAIT_UNTIL (kinema_drop_zone_get_image (kinema_composer_get_start_zone (kinema_window_get_composer (f->window))) !=
              NULL);
  g_assert_cmpuint (n_tasks (f), ==, 1);
}

/* Starts @sim as Kling's own API and adds it to the registry as "kling". */
static KinemaProvider *
add_official (Fixture         *f,
              KinemaSimServer *sim)
{
  g_autoptr(GError) error = NULL;
  KinemaProvider *kling;

  /* signed in with a key pair, as Kling's own API is (kinema_provider_get_caps) */
  kinema_sim_server_set_kling_keys (sim, KLING_ACCESS_KEY, KLING_SECRET_KEY);
  kinema_sim_server_set_clock (sim, 200, 600);
  /* a small clip: its pictures are not what is tested here */
  kinema_sim_server_set_render_options (sim, 180, 0, FALSE);
  g_assert_true (kinema_sim_server_start (sim, 0, &error));
  g_assert_no_error (error);
  /* the official routes, /v1/videos/… (/kling/v1/… is a gateway's passthrough) */
  kling = kinema_provider_new ("kling", "Kling <i>Official</i>", kinema_sim_server_get_base_url (sim),
                               KINEMA_API_STYLE_KLING, KINEMA_AUTH_KLING_JWT);
  kinema_provider_set_kling_keys (kling, KLING_ACCESS_KEY, KLING_SECRET_KEY);
  kinema_provider_set_allow_private_http (kling, TRUE);
  kinema_provider_registry_add (f->registry, kling);
  g_assert_true (kinema_provider_offers_extend (kling));
  return kling;
}

/* Kling's own API (the official style, not the demo): Extend… is offered and the
 * dialog prices the extension as the composer prices a job, at the provider named as
 * it is. */
static void
test_official_cost (Fixture      *f,
                    gconstpointer data)
{
  g_autoptr(KinemaSimServer) sim = kinema_sim_server_new (NULL);
  g_autoptr(KinemaProvider) kling = NULL;
  g_autoptr(KinemaTask) clip = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KinemaRequest) extension = NULL;
  g_autofree char    *expected = NULL;
  char                number[G_ASCII_DTOSTR_BUF_SIZE];
  double              units = 0;
  KinemaExtendDialog *dialog;

  kling = add_official (f, sim);
  clip = make_clip (f, kling, PROMPT);

  g_assert_true (row_menu_offers_extend (f, clip, NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.extend", NULL));
  WAIT_UNTIL ((dialog = find_extend_dialog ()) != NULL);
  g_assert_cmpstr (kinema_extend_dialog_get_reason (dialog), ==, NULL);

  /* the built-in cost table prices one extension of this model and mode */
  extension = kinema_request_new_extension (kinema_task_get_request (clip), kinema_task_get_id (clip),
                                            kinema_task_get_video_id (clip),
                                            kinema_task_estimate_clip_seconds (clip));
  g_assert_true (kinema_cost_table_estimate (NULL, extension, &units));
  g_assert_cmpfloat (units, >, 0);
  g_ascii_formatd (number, sizeof number, "%.4g", units);
  expected = g_strdup_printf (_("About %1$s Kling units at %2$s"), number, "Kling <i>Official</i>");
  g_assert_cmpstr (kinema_extend_dialog_get_cost (dialog), ==, expected);
  g_assert_cmpstr (dialog_text (dialog, "cost_label"), ==, expected);
  save_screenshot (GTK_WIDGET (dialog), "extend-dialog-official");

  /* Cancel sends nothing */
  g_signal_emit_by_name (find_widget (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, NULL), "clicked");
  WAIT_UNTIL (find_extend_dialog () == NULL);
  drain ();
  g_assert_cmpuint (tasks_test_count_requests (sim, "POST", "/v1/videos/video-extend"), ==, 0);
  g_assert_cmpuint (n_tasks (f), ==, 1);
  kinema_sim_server_stop (sim);
}

/* A relay gateway (new-api has no video-extend route): no "Extend…" in the menus; the
 * shortcut's dialog says why and offers nothing to send. */
static void
test_gateway (Fixture      *f,
              gconstpointer data)
{
  g_autoptr(KinemaProvider) gateway = NULL;
  g_autoptr(KinemaTask) clip = NULL;
  KinemaExtendDialog *dialog;

  kinema_sim_server_add_bearer_key (kinema_demo_get_server (f->demo), GATEWAY_KEY);
  gateway = kinema_provider_new ("gateway", "Relay <b>Gateway</b>",
                                 kinema_sim_server_get_base_url (kinema_demo_get_server (f->demo)),
                                 KINEMA_API_STYLE_VIDEO_GENERATIONS, KINEMA_AUTH_BEARER);
  kinema_provider_set_api_key (gateway, GATEWAY_KEY);
  kinema_provider_set_allow_private_http (gateway, TRUE);
  kinema_provider_registry_add (f->registry, gateway);
  g_assert_false (kinema_provider_offers_extend (gateway));
  clip = make_clip (f, gateway, PROMPT);

  g_assert_false (row_menu_offers_extend (f, clip, "extend-gateway-row-menu"));
  WAIT_UNTIL (g_strcmp0 (kinema_player_view_get_page (player_view (f)), "player") == 0);
  g_assert_false (player_menu_offers_extend (f, NULL));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.extend", NULL));
  WAIT_UNTIL ((dialog = find_extend_dialog ()) != NULL);
  /* the provider's name as it is, in a plain label */
  g_assert_nonnull (strstr (dialog_text (dialog, "reason_label"), "Relay <b>Gateway</b>"));
  assert_refused (f, dialog);
}

/* A provider edited in Preferences (its API style from Kling's own to a relay
 * gateway's, as the provider editor sets it) takes "Extend…" out of the menus of its
 * clip already on screen, and puts it back when edited back: the row and the player
 * follow the registry's "provider-changed", not only a new binding. */
static void
test_provider_edited (Fixture      *f,
                      gconstpointer data)
{
  g_autoptr(KinemaSimServer) sim = kinema_sim_server_new (NULL);
  g_autoptr(KinemaProvider) kling = NULL;
  g_autoptr(KinemaTask) clip = NULL;

  kling = add_official (f, sim);
  clip = make_clip (f, kling, PROMPT);
  g_assert_true (row_menu_offers_extend (f, clip, NULL));
  WAIT_UNTIL (g_strcmp0 (kinema_player_view_get_page (player_view (f)), "player") == 0);
  g_assert_true (player_menu_offers_extend (f, NULL));

  /* new-api's router/video-router.go has no video-extend route */
  kinema_provider_set_api_style (kling, KINEMA_API_STYLE_VIDEO_GENERATIONS);
  g_assert_false (kinema_provider_offers_extend (kling));
  g_assert_true (kinema_task_list_view_get_selected_task (task_list (f)) == clip);
  g_assert_false (row_menu_offers_extend (f, clip, NULL));
  g_assert_false (player_menu_offers_extend (f, NULL));

  kinema_provider_set_api_style (kling, KINEMA_API_STYLE_KLING);
  g_assert_true (row_menu_offers_extend (f, clip, NULL));
  g_assert_true (player_menu_offers_extend (f, NULL));
  kinema_sim_server_stop (sim);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = g_dir_make_tmp ("kinema-test-extend-home-XXXXXX", NULL);
  int              ret;

  /* any language: the checks compare with the translated words (LANGUAGE=zh_CN for the
   * Chinese screenshots) */
  kinema_i18n_init ();
  g_setenv ("XDG_CACHE_HOME", home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", home, TRUE);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  if (!ui_test_init (&argc, &argv))
    {
      remove_tree (home);
      return 77;
    }

  g_test_add ("/kinema/extend-dialog/demo", Fixture, NULL, fixture_set_up, test_demo_extend, fixture_tear_down);
  g_test_add ("/kinema/extend-dialog/refused", Fixture, NULL, fixture_set_up, test_refused, fixture_tear_down);
  g_test_add ("/kinema/extend-dialog/continue-row", Fixture, NULL, fixture_set_up, test_continue_row,
              fixture_tear_down);
  g_test_add ("/kinema/extend-dialog/official-cost", Fixture, NULL, fixture_set_up, test_official_cost,
              fixture_tear_down);
  g_test_add ("/kinema/extend-dialog/provider-edited", Fixture, NULL, fixture_set_up, test_provider_edited,
              fixture_tear_down);
  g_test_add ("/kinema/extend-dialog/gateway", Fixture, NULL, fixture_set_up, test_gateway, fixture_tear_down);

  ret = g_test_run ();
  remove_tree (home);
  return ret;
}
