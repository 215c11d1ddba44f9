/* kinema-window.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-window"

#include "config.h"

#include <glib/gi18n.h>

#include "kinema-column.h"
#include "kinema-error.h"
#include "kinema-style.h"
#include "kinema-window.h"
#include "kinema-task-manager.h"
#include "kinema-task-list-view-private.h"
#include "kinema-player-view.h"
#include "kinema-preferences-window.h"
#include "kinema-compare-window.h"
#include "kinema-story-strip.h"
#include "kinema-continuation.h"
#include "kinema-extend-dialog.h"

struct _KinemaWindow
{
  AdwApplicationWindow parent_instance;

  AdwToastOverlay *toast_overlay;
  GtkWidget       *provider_dropdown;
  GtkWidget       *keyring_revealer;
  GtkWidget       *history_revealer;
  GtkWidget       *history_label;
  GtkWidget       *main_stack;
  GtkWidget       *leaflet;
  KinemaComposer  *composer;
  GtkWidget       *tasks_box;
  GtkWidget       *player_box;
  GtkWidget       *switcher_revealer;
  GtkWidget       *show_composer_button;
  GtkWidget       *show_tasks_button;
  GtkWidget       *show_player_button;
  GtkWidget       *try_demo_button;
  GtkWidget       *add_provider_button;

  GtkWidget  *task_list;
  GtkWidget  *player;
  GtkWidget  *story_strip; /* below the player, made with it */
  gpointer    new_task;    /* selected by Generate: no jump to the player */
  KinemaTask *focus_task;  /* its row takes the focus once bound (one pane at a time) */
  guint       focus_source;
  guint       switcher_source; /* the switcher bar follows a fold after the layout */
  guint       focus_tries;

  KinemaProviderRegistry *registry;
  KinemaClient           *client;
  GSettings              *settings;
  KinemaTaskManager      *task_manager;

  GCancellable *continuation; /* the frame being prepared for "Continue" */

  guint selecting_provider : 1;
  guint syncing_switcher : 1;
  guint quit_confirmed : 1;
  guint paused_for_compare : 1;
  guint n_comparing;
};

G_DEFINE_FINAL_TYPE (KinemaWindow, kinema_window, ADW_TYPE_APPLICATION_WINDOW)

enum
{
  PROP_0,
  PROP_REGISTRY,
  PROP_CLIENT,
  PROP_SETTINGS,
  PROP_TASK_MANAGER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---------------------------------------------------------------------------------- */
/* Toasts and errors                                                                  */

static void
on_details_clicked (AdwToast     *toast,
                    KinemaWindow *self)
{
  const char *heading = g_object_get_data (G_OBJECT (toast), "kinema-heading");
  const char *details = g_object_get_data (G_OBJECT (toast), "kinema-details");
  GtkWidget  *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, details);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_history_dismiss_clicked (KinemaWindow *self)
{
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->history_revealer), FALSE);
}

/**
 * kinema_window_show_history_moved:
 * @self: a #KinemaWindow
 * @aside: where the unreadable history was moved
 *
 * Says in a banner that the job history could not be read, where the old file is,
 * and that a new history was started (issue 15, point 9).
 */
void
kinema_window_show_history_moved (KinemaWindow *self,
                                  const char   *aside)
{
  g_autofree char *text = NULL;

  g_return_if_fail (KINEMA_IS_WINDOW (self));
  g_return_if_fail (aside != NULL);

  text = g_strdup_printf (_("It is damaged or not Kinema’s, so it was moved to %s and a new, empty history "
                            "was started. Your clips are still in their folder."),
                             aside);
  /* a plain label, not markup: the path is shown as it is */
  gtk_label_set_text (GTK_LABEL (self->history_label), text);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->history_revealer), TRUE);
}

void
kinema_window_show_error (KinemaWindow *self,
                          const GError *error)
{
  g_autofree char *details = NULL;
  g_autofree char *escaped = NULL;
  AdwToast        *toast;

  g_return_if_fail (KINEMA_IS_WINDOW (self));
  g_return_if_fail (error != NULL);

  /* A toast's title is Pango markup: remote and user text is escaped (issue 15). */
  escaped = g_markup_escape_text (error->message, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 8);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  if (error->domain == KINEMA_ERROR && kinema_error_get_details (error) != NULL)
    details = kinema_error_format_details (error);
  if (details != NULL)
    {
      adw_toast_set_button_label (toast, _("_Details"));
      g_object_set_data_full (G_OBJECT (toast), "kinema-heading", g_strdup (error->message), g_free);
      g_object_set_data_full (G_OBJECT (toast), "kinema-details", g_steal_pointer (&details), g_free);
      g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_details_clicked), self, 0);
      /* long enough to read it and reach the button */
      adw_toast_set_timeout (toast, 30);
    }
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
kinema_window_show_message (KinemaWindow *self,
                            const char   *message)
{
  g_autofree char *escaped = NULL;

  g_return_if_fail (KINEMA_IS_WINDOW (self));
  escaped = g_markup_escape_text (message, -1);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

/* ---------------------------------------------------------------------------------- */
/* Layout                                                                             */

static void
show_page (KinemaWindow *self,
           const char   *name)
{
  if (adw_leaflet_get_folded (ADW_LEAFLET (self->leaflet)))
    adw_leaflet_set_visible_child_name (ADW_LEAFLET (self->leaflet), name);
}

static void
sync_switcher (KinemaWindow *self)
{
  const char *name = adw_leaflet_get_visible_child_name (ADW_LEAFLET (self->leaflet));

  self->syncing_switcher = TRUE;
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->show_composer_button), g_strcmp0 (name, "composer") == 0);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->show_tasks_button), g_strcmp0 (name, "tasks") == 0);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->show_player_button), g_strcmp0 (name, "player") == 0);
  self->syncing_switcher = FALSE;
}

/* Shows the switcher bar when the leaflet is folded (and the main page is shown). */
static void
update_switcher (KinemaWindow *self)
{
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->switcher_revealer),
                                 adw_leaflet_get_folded (ADW_LEAFLET (self->leaflet)) &&
                                     !kinema_window_get_first_run_shown (self));
  sync_switcher (self);
}

static void
update_switcher_idle (gpointer user_data)
{
  KinemaWindow *self = user_data;

  self->switcher_source = 0;
  update_switcher (self);
}

/* The leaflet folds while it is being allocated: revealing the bar there queues a
 * resize GTK drops, and the bar kept the height of nothing, its buttons a negative one
 * (a warning, at 360 px with a clip playing). It follows once the layout is done. */
static void
on_leaflet_folded_cb (KinemaWindow *self)
{
  if (self->switcher_source == 0)
    self->switcher_source = g_idle_add_once (update_switcher_idle, self);
}

static void
on_leaflet_child_cb (KinemaWindow *self)
{
  sync_switcher (self);
}

static void
on_switcher_toggled_cb (KinemaWindow    *self,
                        GtkToggleButton *button)
{
  if (self->syncing_switcher || !gtk_toggle_button_get_active (button))
    return;
  if (GTK_WIDGET (button) == self->show_composer_button)
    adw_leaflet_set_visible_child_name (ADW_LEAFLET (self->leaflet), "composer");
  else if (GTK_WIDGET (button) == self->show_tasks_button)
    adw_leaflet_set_visible_child_name (ADW_LEAFLET (self->leaflet), "tasks");
  else
    adw_leaflet_set_visible_child_name (ADW_LEAFLET (self->leaflet), "player");
}

/* ---------------------------------------------------------------------------------- */
/* Providers                                                                          */

KinemaProvider *
kinema_window_get_provider (KinemaWindow *self)
{
  g_return_val_if_fail (KINEMA_IS_WINDOW (self), NULL);
  return gtk_drop_down_get_selected_item (GTK_DROP_DOWN (self->provider_dropdown));
}

void
kinema_window_select_provider (KinemaWindow   *self,
                               KinemaProvider *provider)
{
  guint n;

  g_return_if_fail (KINEMA_IS_WINDOW (self));
  g_return_if_fail (KINEMA_IS_PROVIDER (provider));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->registry));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KinemaProvider) item = g_list_model_get_item (G_LIST_MODEL (self->registry), i);

      if (item == provider)
        {
          gtk_drop_down_set_selected (GTK_DROP_DOWN (self->provider_dropdown), i);
          return;
        }
    }
}

static void
on_provider_selected (KinemaWindow *self)
{
  KinemaProvider *provider = kinema_window_get_provider (self);
  g_autoptr(GError) error = NULL;

  kinema_composer_set_provider (self->composer, provider);
  if (provider == NULL || self->selecting_provider)
    return;

  /* One rule (issue 12, point 7, stated in Preferences): the provider picked here is the
   * default, the one Kinema starts with and kinema-cli uses. */
  kinema_provider_registry_set_default (self->registry, provider);
  if (!kinema_provider_registry_save (self->registry, &error))
    g_warning ("Could not remember the provider: %s", error->message);
}

/* Shows the registry's default (the marked one, else the first provider with a key, else
 * the demo) without marking it: a provider added or a key loaded later can still become
 * the default by that rule. */
static void
select_remembered_provider (KinemaWindow *self)
{
  KinemaProvider *provider = kinema_provider_registry_get_default (self->registry);

  self->selecting_provider = TRUE;
  if (provider != NULL)
    kinema_window_select_provider (self, provider);
  self->selecting_provider = FALSE;
  kinema_composer_set_provider (self->composer, kinema_window_get_provider (self));
}

void
kinema_window_select_default_provider (KinemaWindow *self)
{
  g_return_if_fail (KINEMA_IS_WINDOW (self));
  select_remembered_provider (self);
}

static void
on_registry_items_changed (KinemaWindow *self)
{
  /* The drop-down keeps a position: point it at the remembered provider again. */
  select_remembered_provider (self);
}

/* ---------------------------------------------------------------------------------- */
/* First run and preferences                                                          */

gboolean
kinema_window_get_first_run_shown (KinemaWindow *self)
{
  g_return_val_if_fail (KINEMA_IS_WINDOW (self), FALSE);
  return g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (self->main_stack)), "first-run") == 0;
}

void
kinema_window_dismiss_first_run (KinemaWindow *self)
{
  g_return_if_fail (KINEMA_IS_WINDOW (self));

  g_settings_set_boolean (self->settings, "show-first-run", FALSE);
  gtk_stack_set_visible_child_name (GTK_STACK (self->main_stack), "main");
  update_switcher (self);
  gtk_widget_grab_focus (GTK_WIDGET (kinema_composer_get_start_zone (self->composer)));
}

static void
on_try_demo_clicked_cb (KinemaWindow *self)
{
  kinema_window_select_provider (self, kinema_provider_registry_get_demo (self->registry));
  kinema_window_dismiss_first_run (self);
}

static void
on_add_provider_clicked_cb (KinemaWindow *self)
{
  kinema_window_dismiss_first_run (self);
  kinema_window_show_preferences (self, TRUE);
}

static void
on_provider_saved (KinemaWindow   *self,
                   KinemaProvider *provider)
{
  if (self->task_manager != NULL)
    kinema_task_manager_resume_provider (self->task_manager, provider);
}

void
kinema_window_show_preferences (KinemaWindow *self,
                                gboolean      add_provider)
{
  g_return_if_fail (KINEMA_IS_WINDOW (self));

  {
    GtkWidget *preferences = kinema_preferences_window_new (GTK_WINDOW (self), self->registry,
                                                            self->client, self->settings);

    /* A corrected key starts the jobs an authentication error paused. */
    g_signal_connect_object (preferences, "provider-saved", G_CALLBACK (on_provider_saved), self,
                             G_CONNECT_SWAPPED);

    gtk_window_present (GTK_WINDOW (preferences));
    if (add_provider)
      kinema_preferences_window_show_add_provider (KINEMA_PREFERENCES_WINDOW (preferences));
  }
}

/* ---------------------------------------------------------------------------------- */
/* Generating and task feedback                                                       */

static char *
dup_excerpt (const char *text)
{
  g_autofree char *flat = NULL;
  glong            len;

  if (text == NULL || *text == '\0')
    return g_strdup (_("Clip without a prompt"));
  flat = g_strdelimit (g_strdup (text), "\r\n\t", ' ');
  len = g_utf8_strlen (flat, -1);
  if (len <= 60)
    return g_steal_pointer (&flat);
  return g_strdup_printf ("%.*s…", (int) (g_utf8_offset_to_pointer (flat, 60) - flat), flat);
}

static void
announce_task (KinemaWindow *self,
               KinemaTask   *task)
{
  g_autofree char *label = kinema_task_dup_status_label (task);
  g_autofree char *excerpt = dup_excerpt (kinema_task_get_prompt (task));
  g_autofree char *status = NULL;

  /* Translators: "<status>: <prompt excerpt>", e.g. "Queued: A cat turns its head" */
  status = g_strdup_printf (_("%s: %s"), label, excerpt);
  kinema_composer_set_status (self->composer, status);
}

static void
on_task_status_changed (KinemaTask   *task,
                        GParamSpec   *pspec,
                        KinemaWindow *self)
{
  announce_task (self, task);
}

static void
watch_task (KinemaWindow *self,
            KinemaTask   *task)
{
  static GQuark watched;

  if (watched == 0)
    watched = g_quark_from_static_string ("kinema-window-watched");
  if (g_object_get_qdata (G_OBJECT (task), watched) == self)
    return;
  g_object_set_qdata (G_OBJECT (task), watched, self);
  g_signal_connect_object (task, "notify::status", G_CALLBACK (on_task_status_changed), self, 0);
}

static void
on_tasks_changed (GListModel   *tasks,
                  guint         position,
                  guint         removed,
                  guint         added,
                  KinemaWindow *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(KinemaTask) task = g_list_model_get_item (tasks, i);

      if (kinema_task_is_active (task))
        watch_task (self, task);
    }
  /* The history is read after the first frame: jobs arriving under the welcome page
   * are the history's (nothing can be generated from there), so this is no newcomer. */
  if (added > 0 && kinema_window_get_first_run_shown (self))
    kinema_window_dismiss_first_run (self);
}

/* A toast whose button does something stays long enough to be read and clicked. */
#define ACTION_TOAST_TIMEOUT 30

static void
on_task_finished (KinemaTaskManager *manager,
                  KinemaTask        *task,
                  KinemaWindow      *self)
{
  KinemaTaskStatus status = kinema_task_get_status (task);
  gboolean         ok = status == KINEMA_TASK_STATUS_SUCCEEDED;
  g_autofree char *excerpt = dup_excerpt (kinema_task_get_prompt (task));
  g_autofree char *label = kinema_task_dup_status_label (task);
  g_autofree char *message = NULL;
  g_autofree char *escaped = NULL;
  const char      *title;
  const char      *button;
  const char      *action;
  GApplication    *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  AdwToast        *toast;

  announce_task (self, task);

  /* Every message about one job says the same: the row's label here, the task's
   * status message in the notification, the details and the player. */
  if (ok)
    {
      title = kinema_task_get_is_demo (task) ? _("Demo clip ready") : _("Clip ready");
      /* no "Play" for the clip that is already in the player */
      if (kinema_task_list_view_get_selected_task (KINEMA_TASK_LIST_VIEW (self->task_list)) == task)
        button = NULL;
      else
        button = _("_Play");
      action = "win.show-task";
    }
  else if (status == KINEMA_TASK_STATUS_NOT_SENT)
    {
      title = label;
      button = _("_Try Again");
      action = "win.resend-task";
    }
  else
    {
      title = label;
      button = _("_Details");
      action = "win.task-details";
    }

  /* Translators: a toast: "<what happened>: <prompt excerpt>" */
  message = g_strdup_printf (_("%s: %s"), title, excerpt);
  /* toast titles are markup */
  escaped = g_markup_escape_text (message, -1);
  toast = adw_toast_new (escaped);
  if (button != NULL)
    {
      adw_toast_set_button_label (toast, button);
      adw_toast_set_action_name (toast, action);
      adw_toast_set_action_target_value (toast, g_variant_new_string (kinema_task_get_id (task)));
      adw_toast_set_timeout (toast, ACTION_TOAST_TIMEOUT);
    }
  if (!ok)
    adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);

  if (app != NULL && !gtk_window_is_active (GTK_WINDOW (self)) &&
      g_settings_get_boolean (self->settings, "notify-on-finish"))
    {
      g_autoptr(GNotification) notification = g_notification_new (ok ? title : label);
      g_autofree char *id = g_strdup_printf ("task-%s", kinema_task_get_id (task));
      const char      *body = kinema_task_get_status_message (task);

      g_notification_set_body (notification, ok || body == NULL ? excerpt : body);
      g_notification_set_default_action_and_target (notification, "app.show-task", "s", kinema_task_get_id (task));
      g_application_send_notification (app, id, notification);
    }
}

static void
on_provider_paused (KinemaTaskManager *manager,
                    KinemaProvider    *provider,
                    GError            *error,
                    KinemaWindow      *self)
{
  if (error != NULL)
    kinema_window_show_error (self, error);
}

/* Focuses the row of the job Generate just made once the list has bound it. */
static gboolean
focus_new_row (gpointer user_data)
{
  KinemaWindow  *self = user_data;
  KinemaTaskRow *row = NULL;
  GtkWidget     *item;

  if (self->focus_task != NULL)
    row = kinema_task_list_view_lookup_row (KINEMA_TASK_LIST_VIEW (self->task_list), self->focus_task);
  if (row == NULL && self->focus_task != NULL && ++self->focus_tries < 40)
    return G_SOURCE_CONTINUE;

  /* The list item around the row is what takes the focus. */
  item = row != NULL ? gtk_widget_get_parent (GTK_WIDGET (row)) : NULL;
  if (item != NULL && !gtk_widget_grab_focus (item))
    gtk_widget_grab_focus (GTK_WIDGET (row));
  g_clear_object (&self->focus_task);
  self->focus_source = 0;
  return G_SOURCE_REMOVE;
}

/* After Generate or Extend: the status line says where the jobs went, and the first is
 * selected, scrolled to and marked, in both layouts; it does not open the player. One
 * pane at a time, the task list shows with the new row focused, not the search field
 * the page switch would focus (issue 12, point 6). */
static void
show_new_jobs (KinemaWindow   *self,
               KinemaProvider *provider,
               GPtrArray      *tasks)
{
  g_autofree char *status = NULL;

  for (guint i = 0; i < tasks->len; i++)
    watch_task (self, g_ptr_array_index (tasks, i));

  status = g_strdup_printf (ngettext ("Sent %u job to %s", "Sent %u jobs to %s", tasks->len),
                            tasks->len, kinema_provider_get_name (provider));
  kinema_composer_set_status (self->composer, status);
  self->new_task = g_ptr_array_index (tasks, 0);
  kinema_task_list_view_select_task (KINEMA_TASK_LIST_VIEW (self->task_list), self->new_task);
  if (adw_leaflet_get_folded (ADW_LEAFLET (self->leaflet)))
    {
      show_page (self, "tasks");
      g_set_object (&self->focus_task, g_ptr_array_index (tasks, 0));
      self->focus_tries = 0;
      if (self->focus_source == 0)
        self->focus_source = g_timeout_add (50, focus_new_row, self);
    }
}

static void
on_composer_generate_cb (KinemaWindow *self)
{
  g_autoptr(KinemaRequest) request = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  KinemaProvider  *provider = kinema_composer_get_provider (self->composer);
  guint            variants = kinema_composer_get_variants (self->composer);

  if (self->task_manager == NULL || provider == NULL)
    return;

  request = kinema_composer_dup_request (self->composer, &error);
  if (request == NULL)
    {
      kinema_window_show_message (self, error->message);
      return;
    }

  tasks = kinema_task_manager_generate (self->task_manager, provider, request,
                                        variants, &error);
  if (tasks == NULL)
    {
      kinema_window_show_error (self, error);
      return;
    }

  show_new_jobs (self, provider, tasks);
}

void
kinema_window_show_task (KinemaWindow *self,
                         const char   *task_id)
{
  g_return_if_fail (KINEMA_IS_WINDOW (self));
  g_return_if_fail (task_id != NULL);

  if (self->task_manager != NULL)
    {
      KinemaTask *task = kinema_task_manager_lookup (self->task_manager, task_id);

      if (task != NULL)
        {
          if (kinema_window_get_first_run_shown (self))
            kinema_window_dismiss_first_run (self);
          kinema_task_list_view_select_task (KINEMA_TASK_LIST_VIEW (self->task_list), task);
          show_page (self, "player");
        }
    }
}

static void
show_task_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  kinema_window_show_task (KINEMA_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
task_row_action (KinemaWindow *self,
                 const char   *task_id,
                 const char   *action)
{
  KinemaTask *task = self->task_manager != NULL ? kinema_task_manager_lookup (self->task_manager, task_id) : NULL;

  if (task == NULL)
    return;
  kinema_task_list_view_run_action (KINEMA_TASK_LIST_VIEW (self->task_list), NULL, task, action);
}

static void
task_details_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  task_row_action (KINEMA_WINDOW (widget), g_variant_get_string (parameter, NULL), "details");
}

/* "retry" on a job that was not sent sends that same job again. */
static void
resend_task_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  task_row_action (KINEMA_WINDOW (widget), g_variant_get_string (parameter, NULL), "retry");
}

static void
generate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  KinemaWindow *self = KINEMA_WINDOW (widget);

  if (kinema_window_get_first_run_shown (self))
    return;
  gtk_widget_activate_action (GTK_WIDGET (self->composer), "composer.generate", NULL);
}

/* Ctrl+F: the task list's search field, shown first when one pane shows at a time. */
static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KinemaWindow *self = KINEMA_WINDOW (widget);
  GObject      *entry;

  if (kinema_window_get_first_run_shown (self))
    return;
  entry = gtk_widget_get_template_child (self->task_list, KINEMA_TYPE_TASK_LIST_VIEW, "search_entry");
  show_page (self, "tasks");
  if (entry != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (entry));
}

/* F6: the next pane (composer, tasks, player), as GNOME applications do. One pane at a
 * time, it is shown; side by side, the focus moves into it. */
static void
next_pane_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  KinemaWindow            *self = KINEMA_WINDOW (widget);
  static const char *const names[] = { "composer", "tasks", "player" };
  GtkWidget               *panes[] = { GTK_WIDGET (self->composer), self->tasks_box, self->player_box };
  GtkWidget               *focus = gtk_root_get_focus (GTK_ROOT (self));
  guint                    current = 0;

  if (kinema_window_get_first_run_shown (self))
    return;
  if (adw_leaflet_get_folded (ADW_LEAFLET (self->leaflet)))
    {
      const char *visible = adw_leaflet_get_visible_child_name (ADW_LEAFLET (self->leaflet));

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        if (g_strcmp0 (visible, names[i]) == 0)
          current = i;
    }
  else
    for (guint i = 0; i < G_N_ELEMENTS (panes); i++)
      if (focus != NULL && (focus == panes[i] || gtk_widget_is_ancestor (focus, panes[i])))
        current = i;

  for (guint step = 1; step <= G_N_ELEMENTS (panes); step++)
    {
      guint next = (current + step) % G_N_ELEMENTS (panes);

      adw_leaflet_set_visible_child_name (ADW_LEAFLET (self->leaflet), names[next]);
      if (gtk_widget_child_focus (panes[next], GTK_DIR_TAB_FORWARD))
        return;
    }
}

/* Ctrl+V reaches the window only when no text field took it. */
static gboolean
focus_is_text (KinemaWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  return focus != NULL && (GTK_IS_EDITABLE (focus) || GTK_IS_TEXT_VIEW (focus));
}

static void
paste_image_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  KinemaWindow *self = KINEMA_WINDOW (widget);

  if (focus_is_text (self))
    return;
  if (kinema_window_get_first_run_shown (self))
    kinema_window_dismiss_first_run (self);
  show_page (self, "composer");
  kinema_drop_zone_paste (kinema_composer_get_start_zone (self->composer),
                          gtk_widget_get_clipboard (widget));
}

static void
open_image_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  KinemaWindow *self = KINEMA_WINDOW (widget);

  if (kinema_window_get_first_run_shown (self))
    kinema_window_dismiss_first_run (self);
  show_page (self, "composer");
  kinema_drop_zone_choose_file (kinema_composer_get_start_zone (self->composer));
}

void
kinema_window_open_file (KinemaWindow *self,
                         GFile        *file)
{
  g_return_if_fail (KINEMA_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (kinema_window_get_first_run_shown (self))
    kinema_window_dismiss_first_run (self);
  show_page (self, "composer");
  kinema_drop_zone_set_file (kinema_composer_get_start_zone (self->composer), file);
}

/* ---------------------------------------------------------------------------------- */
/* Task list and player                                                               */

static void on_use_frame (KinemaWindow *self,
                          const char   *png_path,
                          gboolean      as_end_frame);
static void on_player_continue (KinemaWindow *self,
                                KinemaTask   *task,
                                gint64        position_ns);

static GtkWidget *ensure_player (KinemaWindow *self);
static void       show_extend_dialog (KinemaWindow *self,
                                      KinemaTask   *task);

/* The story strip's Play: the story's clips as one in the player, gapless. */
static void
on_play_story (KinemaWindow *self,
               GStrv         paths)
{
  KinemaPlayer *player = kinema_player_view_get_player (KINEMA_PLAYER_VIEW (ensure_player (self)));

  kinema_player_open_files (player, (const char *const *) paths);
  kinema_player_play (player);
}

/* The player (and GStreamer behind it) is made when the first clip is selected: until
 * then a status page stands in for it, which keeps the start light. */
static GtkWidget *
ensure_player (KinemaWindow *self)
{
  if (KINEMA_IS_PLAYER_VIEW (self->player))
    return self->player;

  if (self->player != NULL)
    gtk_box_remove (GTK_BOX (self->player_box), self->player);
  self->player = kinema_player_view_new ();
  gtk_widget_set_vexpand (self->player, TRUE);
  g_signal_connect_object (self->player, "use-frame", G_CALLBACK (on_use_frame), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->player, "continue", G_CALLBACK (on_player_continue), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->player, "extend", G_CALLBACK (show_extend_dialog), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (self->player_box), self->player);

  self->story_strip = kinema_story_strip_new ();
  if (self->task_manager != NULL)
    kinema_story_strip_set_manager (KINEMA_STORY_STRIP (self->story_strip), self->task_manager);
  kinema_story_strip_set_player_view (KINEMA_STORY_STRIP (self->story_strip), KINEMA_PLAYER_VIEW (self->player));
  g_signal_connect_object (self->story_strip, "play", G_CALLBACK (on_play_story), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (self->player_box), self->story_strip);
  return self->player;
}

/* The provider of @task, when it is known. */
static KinemaProvider *
task_provider (KinemaWindow *self,
               KinemaTask   *task)
{
  return task != NULL && self->task_manager != NULL ? kinema_task_manager_lookup_provider (self->task_manager, task)
                                                    : NULL;
}

/* Says whether the player offers Extend… for its clip, as the clip's provider is now. */
static void
update_player_extend (KinemaWindow *self,
                      KinemaTask   *task)
{
  KinemaProvider *provider = task_provider (self, task);

  kinema_player_view_set_offers_extend (KINEMA_PLAYER_VIEW (self->player),
                                        provider != NULL && kinema_provider_offers_extend (provider));
}

static void
on_selected_task_changed (KinemaWindow *self)
{
  g_autoptr(KinemaTask) task = NULL;

  g_object_get (self->task_list, "selected-task", &task, NULL);
  if (task != NULL || KINEMA_IS_PLAYER_VIEW (self->player))
    {
      kinema_player_view_set_task (KINEMA_PLAYER_VIEW (ensure_player (self)), task);
      update_player_extend (self, task);
    }
  if (self->story_strip != NULL)
    kinema_story_strip_set_task (KINEMA_STORY_STRIP (self->story_strip), task);
  if (task != NULL && task == self->new_task)
    self->new_task = NULL;
  else if (task != NULL)
    show_page (self, "player");
}

/* A provider edited in Preferences may no longer offer Extend…, or now offer it. */
static void
on_registry_provider_changed (KinemaWindow   *self,
                              KinemaProvider *provider)
{
  KinemaTask *task;

  if (!KINEMA_IS_PLAYER_VIEW (self->player))
    return;
  task = kinema_player_view_get_task (KINEMA_PLAYER_VIEW (self->player));
  if (task != NULL && task_provider (self, task) == provider)
    update_player_extend (self, task);
}

static void
on_reuse_settings (KinemaWindow *self,
                   KinemaTask   *task)
{
  kinema_composer_apply_task (self->composer, task);
  show_page (self, "composer");
  gtk_widget_grab_focus (GTK_WIDGET (self->composer));
}

static KinemaPlayer *
main_player (KinemaWindow *self)
{
  return KINEMA_IS_PLAYER_VIEW (self->player) ? kinema_player_view_get_player (KINEMA_PLAYER_VIEW (self->player))
                                              : NULL;
}

static void
on_compare_destroyed (KinemaWindow *self)
{
  KinemaPlayer *player = main_player (self);

  g_return_if_fail (self->n_comparing > 0);
  if (--self->n_comparing > 0 || !self->paused_for_compare)
    return;
  self->paused_for_compare = FALSE;
  if (player != NULL && kinema_player_get_state (player) == KINEMA_PLAYER_STATE_PAUSED)
    kinema_player_play (player);
}

/* One clip at a time: the main player waits while Compare plays its two. */
static void
on_compare (KinemaWindow *self,
            KinemaTask   *a,
            KinemaTask   *b)
{
  GtkWidget    *window = GTK_WIDGET (kinema_compare_window_new (GTK_WINDOW (self), a, b));
  KinemaPlayer *player = main_player (self);

  if (player != NULL && kinema_player_get_playing (player))
    {
      kinema_player_pause (player);
      self->paused_for_compare = TRUE;
    }
  self->n_comparing++;
  g_signal_connect_object (window, "destroy", G_CALLBACK (on_compare_destroyed), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (window));
}

static void
on_use_frame (KinemaWindow *self,
              const char   *png_path,
              gboolean      as_end_frame)
{
  KinemaDropZone *zone = as_end_frame ? kinema_composer_get_end_zone (self->composer)
                                      : kinema_composer_get_start_zone (self->composer);

  kinema_drop_zone_set_image (zone, png_path);
  show_page (self, "composer");
}

/* Continue: the frame, then the composer filled with the next shot (nothing is sent). */

static void
on_continuation_ready (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(KinemaWindow) self = user_data;
  g_autoptr(KinemaRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;
  g_autofree char *excerpt = NULL;
  KinemaTask      *parent;
  KinemaProvider  *provider;

  request = kinema_continuation_prepare_finish (result, &error);
  /* Cancelled: another continuation (or the window's end) replaced this one. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->continuation);
  if (request == NULL)
    {
      kinema_window_show_error (self, error);
      return;
    }

  /* Same provider as the clip, when it is still configured. */
  parent = self->task_manager != NULL
               ? kinema_task_manager_lookup (self->task_manager, kinema_request_get_parent_task_id (request))
               : NULL;
  provider = parent != NULL ? kinema_provider_registry_lookup (self->registry, kinema_task_get_provider_id (parent))
                            : NULL;
  if (provider != NULL)
    kinema_window_select_provider (self, provider);

  kinema_composer_apply_request (self->composer, request);
  excerpt = dup_excerpt (parent != NULL ? kinema_task_get_prompt (parent) : NULL);
  /* Translators: %s is the start of the prompt of the clip being continued */
  status = g_strdup_printf (_("Continues “%s”. Edit the description, then press Generate."), excerpt);
  kinema_composer_set_status (self->composer, status);
  show_page (self, "composer");
  gtk_widget_grab_focus (GTK_WIDGET (self->composer));
}

static void
start_continuation (KinemaWindow *self,
                    KinemaTask   *task,
                    gint64        position_ns)
{
  g_autofree char *data_dir = g_build_filename (g_get_user_data_dir (), "kinema", NULL);
  g_autofree char *frames_dir = kinema_continuation_dup_frames_dir (data_dir);

  if (self->continuation != NULL)
    g_cancellable_cancel (self->continuation);
  g_clear_object (&self->continuation);
  self->continuation = g_cancellable_new ();
  kinema_continuation_prepare_async (task,
                                     position_ns == KINEMA_PLAYER_VIEW_LAST_FRAME ? KINEMA_CONTINUATION_LAST_FRAME
                                                                                  : position_ns,
                                     frames_dir, self->continuation, on_continuation_ready, g_object_ref (self));
}

static void
on_continue (KinemaWindow *self,
             KinemaTask   *task)
{
  start_continuation (self, task, KINEMA_CONTINUATION_LAST_FRAME);
}

static void
on_player_continue (KinemaWindow *self,
                    KinemaTask   *task,
                    gint64        position_ns)
{
  start_continuation (self, task, position_ns);
}

/* The selected clip when it is finished; else @hint in a toast and %NULL. */
static KinemaTask *
dup_selected_clip (KinemaWindow *self,
                   const char   *hint)
{
  g_autoptr(KinemaTask) task = NULL;

  g_object_get (self->task_list, "selected-task", &task, NULL);
  if (task == NULL || kinema_task_get_status (task) != KINEMA_TASK_STATUS_SUCCEEDED)
    {
      kinema_window_show_message (self, hint);
      return NULL;
    }
  return g_steal_pointer (&task);
}

static void
continue_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  KinemaWindow *self = KINEMA_WINDOW (widget);
  g_autoptr(KinemaTask) task = dup_selected_clip (self, _("Select a finished clip to continue it."));

  if (task != NULL)
    start_continuation (self, task, KINEMA_CONTINUATION_LAST_FRAME);
}

/* Extend: the dialog says what will happen and what it costs; its Extend queues the job. */

static void
on_extend_queued (KinemaWindow *self,
                  KinemaTask   *task)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new ();
  KinemaProvider *provider = kinema_task_manager_lookup_provider (self->task_manager, task);

  g_ptr_array_add (tasks, task);
  if (provider != NULL)
    show_new_jobs (self, provider, tasks);
}

static void
show_extend_dialog (KinemaWindow *self,
                    KinemaTask   *task)
{
  KinemaProvider *provider;
  GtkWidget      *dialog;

  if (self->task_manager == NULL || kinema_task_get_request (task) == NULL)
    return;
  provider = kinema_task_manager_lookup_provider (self->task_manager, task);
  if (provider == NULL)
    {
      kinema_window_show_message (self, _("The provider that made this clip is no longer set up, so it cannot "
                                          "be extended."));
      return;
    }
  dialog = kinema_extend_dialog_new (GTK_WINDOW (self), self->task_manager, provider, task, self->settings);
  g_signal_connect_object (dialog, "queued", G_CALLBACK (on_extend_queued), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "continue", G_CALLBACK (on_continue), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
extend_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  KinemaWindow *self = KINEMA_WINDOW (widget);
  g_autoptr(KinemaTask) task = dup_selected_clip (self, _("Select a finished clip to extend it."));

  if (task != NULL)
    show_extend_dialog (self, task);
}

static void
build_panes (KinemaWindow *self)
{
  self->task_list = kinema_task_list_view_new ();
  gtk_widget_set_vexpand (self->task_list, TRUE);
  if (self->task_manager != NULL)
    kinema_task_list_view_set_manager (KINEMA_TASK_LIST_VIEW (self->task_list),
                                       self->task_manager);
  g_signal_connect_object (self->task_list, "notify::selected-task", G_CALLBACK (on_selected_task_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->task_list, "reuse-settings", G_CALLBACK (on_reuse_settings), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->task_list, "compare", G_CALLBACK (on_compare), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->task_list, "continue", G_CALLBACK (on_continue), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->task_list, "extend", G_CALLBACK (show_extend_dialog), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (self->tasks_box), self->task_list);

  /* Same words as the player's own empty page. */
  self->player = g_object_new (ADW_TYPE_STATUS_PAGE,
                               "icon-name", "media-playback-start-symbolic",
                               "title", _("No Clip Selected"), "description", _("Select a finished clip in the list to play it here."), "vexpand", TRUE, NULL);
  gtk_box_append (GTK_BOX (self->player_box), self->player);
}

/* ---------------------------------------------------------------------------------- */
/* GObject                                                                            */

static guint
count_active (KinemaWindow *self)
{
  GListModel *tasks;
  guint       n_active = 0;

  if (self->task_manager == NULL)
    return 0;
  tasks = kinema_task_manager_get_tasks (self->task_manager);
  for (guint i = 0; i < g_list_model_get_n_items (tasks); i++)
    {
      g_autoptr(KinemaTask) task = g_list_model_get_item (tasks, i);

      if (kinema_task_is_active (task))
        n_active++;
    }
  return n_active;
}

static gboolean
close_confirmed (gpointer user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));
  return G_SOURCE_REMOVE;
}

static void
on_quit_response (AdwMessageDialog *dialog,
                  const char       *response,
                  KinemaWindow     *self)
{
  if (g_strcmp0 (response, "quit") != 0)
    return;
  self->quit_confirmed = TRUE;
  /* once the dialog (transient for this window) has gone */
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_confirmed, g_object_ref (self), g_object_unref);
}

/* Jobs keep running at the provider: the history resumes them on the next start
 * (kinema_task_manager_load_async), so quitting loses nothing. Say so first. */
static gboolean
confirm_quit (KinemaWindow *self)
{
  guint            n_active = count_active (self);
  g_autofree char *body = NULL;
  GtkWidget       *dialog;

  if (self->quit_confirmed || n_active == 0)
    return TRUE;

  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u job is still being made. It continues at the provider, and Kinema "
                                       "picks it up the next time it starts: the clip is downloaded then.",
                                       "%u jobs are still being made. They continue at the provider, and Kinema "
                                       "picks them up the next time it starts: the clips are downloaded then.",
                                       n_active),
                          n_active);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Quit While Jobs Run?"), body);
  gtk_widget_set_name (dialog, "kinema-quit-dialog");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Keep Open"), "quit", _("_Quit"), NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "quit");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_quit_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return FALSE;
}

static gboolean
kinema_window_close_request (GtkWindow *window)
{
  KinemaWindow *self = KINEMA_WINDOW (window);
  int           width, height;

  if (!confirm_quit (self))
    return TRUE;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_delay (self->settings);
  if (!gtk_window_is_maximized (window))
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  g_settings_apply (self->settings);

  return GTK_WINDOW_CLASS (kinema_window_parent_class)->close_request (window);
}

static void
kinema_window_constructed (GObject *object)
{
  KinemaWindow  *self = KINEMA_WINDOW (object);
  GtkExpression *expression;

  G_OBJECT_CLASS (kinema_window_parent_class)->constructed (object);

  g_assert (KINEMA_IS_PROVIDER_REGISTRY (self->registry));
  g_assert (G_IS_SETTINGS (self->settings));

  gtk_window_set_default_size (GTK_WINDOW (self),
                               MAX (360, g_settings_get_int (self->settings, "window-width")),
                               MAX (400, g_settings_get_int (self->settings, "window-height")));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  kinema_composer_set_settings (self->composer, self->settings);

  expression = gtk_property_expression_new (KINEMA_TYPE_PROVIDER, NULL, "name");
  gtk_drop_down_set_expression (GTK_DROP_DOWN (self->provider_dropdown), expression);
  gtk_expression_unref (expression);
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->provider_dropdown), G_LIST_MODEL (self->registry));
  g_signal_connect_object (self->provider_dropdown, "notify::selected", G_CALLBACK (on_provider_selected), self,
                           G_CONNECT_SWAPPED);
  /* A default chosen in Preferences applies here at once. */
  g_signal_connect_object (self->registry, "notify::default-id", G_CALLBACK (on_registry_items_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->registry, "items-changed", G_CALLBACK (on_registry_items_changed), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (self->registry, "provider-changed", G_CALLBACK (on_registry_provider_changed), self,
                           G_CONNECT_SWAPPED);
  select_remembered_provider (self);

  /* GTK 4.8 names the drop-down, not the button inside it that takes the focus. */
  for (GtkWidget *child = gtk_widget_get_first_child (self->provider_dropdown); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_TOGGLE_BUTTON (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Provider"), -1);

  g_object_bind_property (self->registry, "keyring-available", self->keyring_revealer, "reveal-child",
                          G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);

  build_panes (self);

  if (self->task_manager != NULL)
    {
      GListModel *tasks = kinema_task_manager_get_tasks (self->task_manager);

      g_signal_connect_object (self->task_manager, "task-finished", G_CALLBACK (on_task_finished), self, 0);
      g_signal_connect_object (self->task_manager, "provider-paused", G_CALLBACK (on_provider_paused), self, 0);
      g_signal_connect_object (tasks, "items-changed", G_CALLBACK (on_tasks_changed), self, 0);
      on_tasks_changed (tasks, 0, 0, g_list_model_get_n_items (tasks), self);
    }
  else
    kinema_composer_set_blocked_reason (self->composer, _("The task history could not be opened."));

  /* The welcome is for someone new: a history with jobs in it (made with kinema-cli, or
   * by an earlier Kinema whose settings were lost) means they have been here before. */
  if (g_settings_get_boolean (self->settings, "show-first-run") && self->task_manager != NULL &&
      g_list_model_get_n_items (kinema_task_manager_get_tasks (self->task_manager)) > 0)
    g_settings_set_boolean (self->settings, "show-first-run", FALSE);
  gtk_stack_set_visible_child_name (GTK_STACK (self->main_stack),
                                    g_settings_get_boolean (self->settings, "show-first-run") ? "first-run"
                                                                                              : "main");
  /* The welcome page's main button has the focus: Enter tries the demo. */
  if (kinema_window_get_first_run_shown (self))
    gtk_window_set_focus (GTK_WINDOW (self), self->try_demo_button);
  update_switcher (self);
}

static void
kinema_window_dispose (GObject *object)
{
  KinemaWindow *self = KINEMA_WINDOW (object);

  if (self->continuation != NULL)
    g_cancellable_cancel (self->continuation);
  g_clear_object (&self->continuation);
  g_clear_handle_id (&self->focus_source, g_source_remove);
  g_clear_handle_id (&self->switcher_source, g_source_remove);
  g_clear_object (&self->focus_task);
  gtk_widget_dispose_template (GTK_WIDGET (self), KINEMA_TYPE_WINDOW);
  g_clear_object (&self->registry);
  g_clear_object (&self->client);
  g_clear_object (&self->settings);
  g_clear_object (&self->task_manager);

  G_OBJECT_CLASS (kinema_window_parent_class)->dispose (object);
}

static void
kinema_window_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  KinemaWindow *self = KINEMA_WINDOW (object);

  switch (prop_id)
    {
    case PROP_REGISTRY:
      self->registry = g_value_dup_object (value);
      break;
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_TASK_MANAGER:
      self->task_manager = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kinema_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  KinemaWindow *self = KINEMA_WINDOW (object);

  switch (prop_id)
    {
    case PROP_REGISTRY:
      g_value_set_object (value, self->registry);
      break;
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_TASK_MANAGER:
      g_value_set_object (value, self->task_manager);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kinema_window_class_init (KinemaWindowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = kinema_window_constructed;
  object_class->dispose = kinema_window_dispose;
  object_class->set_property = kinema_window_set_property;
  object_class->get_property = kinema_window_get_property;
  window_class->close_request = kinema_window_close_request;

  properties[PROP_REGISTRY] =
      g_param_spec_object ("registry", NULL, NULL, KINEMA_TYPE_PROVIDER_REGISTRY,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT] =
      g_param_spec_object ("client", NULL, NULL, KINEMA_TYPE_CLIENT,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
      g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TASK_MANAGER] =
      g_param_spec_object ("task-manager", NULL, NULL, KINEMA_TYPE_TASK_MANAGER,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (KINEMA_TYPE_COLUMN);
  g_type_ensure (KINEMA_TYPE_COMPOSER);
  g_type_ensure (KINEMA_TYPE_PROVIDER);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/kinema-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KinemaWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KinemaWindow, provider_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KinemaWindow, keyring_revealer);
  gtk_widget_class_bind_template_child (widget_class, KinemaWindow, history_revealer);
  gtk_widget_class_bind_template_child (widget_class, KinemaWindow, history_label);
  gtk_widget_class_bind_template_callback (widget_class, on_history_dismiss_clicked);
  gtk_widget_class_bind_template_child (widget_class, KinemaWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, KinemaWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, KinemaWindow, composer);
  gtk_widget_class_bind_template_child (widget_class, KinemaWindow, tasks_box);
  gtk_widget_class_bind_template_child (widget_class, KinemaWindow, player_box);
  gtk_widget_class_bind_template_child (widget_class, KinemaWindow, switcher_revealer);
  gtk_widget_class_bind_template_child (widget_class, KinemaWindow, show_composer_button);
  gtk_widget_class_bind_template_child (widget_class, KinemaWindow, show_tasks_button);
  gtk_widget_class_bind_template_child (widget_class, KinemaWindow, show_player_button);
  gtk_widget_class_bind_template_child (widget_class, KinemaWindow, try_demo_button);
  gtk_widget_class_bind_template_child (widget_class, KinemaWindow, add_provider_button);
  gtk_widget_class_bind_template_callback (widget_class, on_try_demo_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_provider_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_leaflet_folded_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_leaflet_child_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_switcher_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_composer_generate_cb);

  gtk_widget_class_install_action (widget_class, "win.generate", NULL, generate_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.next-pane", NULL, next_pane_action);
  gtk_widget_class_install_action (widget_class, "win.paste-image", NULL, paste_image_action);
  gtk_widget_class_install_action (widget_class, "win.open-image", NULL, open_image_action);
  gtk_widget_class_install_action (widget_class, "win.show-task", "s", show_task_action);
  gtk_widget_class_install_action (widget_class, "win.task-details", "s", task_details_action);
  gtk_widget_class_install_action (widget_class, "win.resend-task", "s", resend_task_action);
  gtk_widget_class_install_action (widget_class, "win.continue", NULL, continue_action);
  gtk_widget_class_install_action (widget_class, "win.extend", NULL, extend_action);
}

static void
kinema_window_init (KinemaWindow *self)
{
  GtkEventController *controller;
  GtkShortcut        *shortcut;

  kinema_style_ensure (RESOURCE_PREFIX "/kinema-window.css");
  gtk_widget_init_template (GTK_WIDGET (self));
  /* kinema-window.css lifts its toasts above Generate and the player's controls */
  gtk_widget_add_css_class (GTK_WIDGET (self), "kinema-main");

  /* Ctrl+V in the bubble phase: text fields handle their own paste first. */
  controller = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_BUBBLE);
  shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_v, GDK_CONTROL_MASK),
                               gtk_named_action_new ("win.paste-image"));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

KinemaWindow *
kinema_window_new (GtkApplication         *application,
                   KinemaProviderRegistry *registry,
                   KinemaClient           *client,
                   GSettings              *settings,
                   KinemaTaskManager      *task_manager)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (KINEMA_IS_PROVIDER_REGISTRY (registry), NULL);
  g_return_val_if_fail (client == NULL || KINEMA_IS_CLIENT (client), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (task_manager == NULL || G_IS_OBJECT (task_manager), NULL);

  return g_object_new (KINEMA_TYPE_WINDOW,
                       "application", application,
                       "registry", registry,
                       "client", client,
                       "settings", settings,
                       "task-manager", task_manager,
                       NULL);
}

KinemaComposer *
kinema_window_get_composer (KinemaWindow *self)
{
  g_return_val_if_fail (KINEMA_IS_WINDOW (self), NULL);
  return self->composer;
}
