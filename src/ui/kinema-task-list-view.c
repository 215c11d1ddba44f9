/* kinema-task-list-view.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-task-list-view"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kinema-error.h"
#include "kinema-export-dialog.h"
#include "kinema-task-list-view-private.h"

/* How long status changes are gathered before a status filter is applied again. */
#define REFILTER_DELAY_MS 300

struct _KinemaTaskListView
{
  GtkWidget parent_instance;

  KinemaTaskManager    *manager;
  KinemaProviderRegistry *providers; /* the manager's, followed for edited providers */
  GListModel           *tasks;
  GtkCustomFilter      *filter;
  GtkFilterListModel   *filter_model;
  GtkSingleSelection   *selection;
  GHashTable           *bound_rows; /* KinemaTask → KinemaTaskRow, both borrowed */
  KinemaTaskListFilter  status_filter;
  char                 *search; /* case-folded, NULL when empty */
  KinemaTask           *compare_first;
  KinemaTask           *select_pending; /* to select once the filter lets it in */
  GtkFileChooserNative *save_chooser;
  GCancellable         *cancellable;
  guint                 refilter_source;
  guint                 select_idle;
  gulong                tasks_changed_id;
  gulong                finished_id;
  gulong                  provider_changed_id;

  GtkSearchEntry *search_entry;
  GtkDropDown    *status_dropdown;
  GtkRevealer    *compare_revealer;
  GtkStack       *stack;
  GtkListView    *list_view;
};

G_DEFINE_FINAL_TYPE (KinemaTaskListView, kinema_task_list_view, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_MANAGER,
  PROP_SELECTED_TASK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_REUSE_SETTINGS,
  SIGNAL_COMPARE,
  SIGNAL_CONTINUE,
  SIGNAL_EXTEND,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static G_DEFINE_QUARK (kinema - task - list - folded - prompt, folded_prompt)

    /* Feedback */

    static void show_toast (KinemaTaskListView *self,
                            const char         *text)
{
  GtkWidget       *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *escaped = NULL;

  if (overlay == NULL)
    {
      g_debug ("%s", text);
      return;
    }

  /* toast titles are markup; messages and file names are not */
  escaped = g_markup_escape_text (text, -1);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (escaped));
}

static GtkWindow *
get_parent_window (KinemaTaskListView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* Filtering */

static const char *
get_folded_prompt (KinemaTask *task)
{
  const char *folded = g_object_get_qdata (G_OBJECT (task), folded_prompt_quark ());

  /* computed the first time a search looks at the task, then kept with it */
  if (folded == NULL)
    {
      const char *prompt = kinema_task_get_prompt (task);
      char       *text = g_utf8_casefold (prompt != NULL ? prompt : "", -1);

      g_object_set_qdata_full (G_OBJECT (task), folded_prompt_quark (), text, g_free);
      folded = text;
    }

  return folded;
}

static gboolean
status_matches (KinemaTaskListFilter filter,
                KinemaTask          *task)
{
  switch (filter)
    {
    case KINEMA_TASK_LIST_FILTER_ACTIVE:
      return kinema_task_is_active (task);
    case KINEMA_TASK_LIST_FILTER_READY:
      return kinema_task_get_status (task) == KINEMA_TASK_STATUS_SUCCEEDED;
    case KINEMA_TASK_LIST_FILTER_FAILED:
      /* not sent is a failure that cost nothing */
      return kinema_task_get_status (task) == KINEMA_TASK_STATUS_FAILED ||
             kinema_task_get_status (task) == KINEMA_TASK_STATUS_NOT_SENT;
    case KINEMA_TASK_LIST_FILTER_NEEDS_CHECKING:
      return kinema_task_get_status (task) == KINEMA_TASK_STATUS_NEEDS_CHECKING;
    case KINEMA_TASK_LIST_FILTER_ALL:
    default:
      return TRUE;
    }
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  KinemaTaskListView *self = user_data;
  KinemaTask         *task = item;

  if (!status_matches (self->status_filter, task))
    return FALSE;

  if (self->search != NULL && strstr (get_folded_prompt (task), self->search) == NULL)
    return FALSE;

  return TRUE;
}

static void
update_page (KinemaTaskListView *self)
{
  const char *page;

  if (self->tasks == NULL || g_list_model_get_n_items (self->tasks) == 0)
    page = "empty";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) == 0 &&
           gtk_filter_list_model_get_pending (self->filter_model) == 0)
    page = "no-matches";
  else
    page = "list";

  gtk_stack_set_visible_child_name (self->stack, page);
}

/* With no search and no status filter the model passes every task straight through:
 * with thousands of tasks the list fills at once, with no filter pass at all. */
static void
apply_filter (KinemaTaskListView *self,
              GtkFilterChange     change)
{
  gboolean   needed = self->status_filter != KINEMA_TASK_LIST_FILTER_ALL || self->search != NULL;
  GtkFilter *current = gtk_filter_list_model_get_filter (self->filter_model);

  if (!needed)
    gtk_filter_list_model_set_filter (self->filter_model, NULL);
  else if (current == NULL)
    gtk_filter_list_model_set_filter (self->filter_model, GTK_FILTER (self->filter));
  else
    gtk_filter_changed (GTK_FILTER (self->filter), change);
}

static gboolean
on_refilter_timeout (gpointer user_data)
{
  KinemaTaskListView *self = user_data;

  self->refilter_source = 0;
  apply_filter (self, GTK_FILTER_CHANGE_DIFFERENT);
  return G_SOURCE_REMOVE;
}

/* A status filter depends on state that changes; rather than watching every task,
 * apply it again a moment after the manager reports a change of state. */
static void
queue_refilter (KinemaTaskListView *self)
{
  if (self->status_filter == KINEMA_TASK_LIST_FILTER_ALL || self->refilter_source != 0)
    return;

  self->refilter_source = g_timeout_add (REFILTER_DELAY_MS, on_refilter_timeout, self);
  g_source_set_name_by_id (self->refilter_source, "[kinema] task list refilter");
}

static void
on_task_finished (KinemaTaskListView *self)
{
  queue_refilter (self);
}

static void on_search_changed_cb (KinemaTaskListView *self);

void
kinema_task_list_view_set_search (KinemaTaskListView *self,
                                  const char         *text)
{
  g_autofree char *folded = NULL;
  GtkFilterChange  change = GTK_FILTER_CHANGE_DIFFERENT;

  g_return_if_fail (KINEMA_IS_TASK_LIST_VIEW (self));

  if (text != NULL && text[0] != '\0')
    folded = g_utf8_casefold (text, -1);

  if (g_strcmp0 (folded, self->search) == 0)
    return;

  /* typing on narrows the matches, deleting widens them: GTK rechecks only what it must */
  if (self->search == NULL)
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (folded == NULL)
    change = GTK_FILTER_CHANGE_LESS_STRICT;
  else if (strstr (folded, self->search) != NULL)
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (strstr (self->search, folded) != NULL)
    change = GTK_FILTER_CHANGE_LESS_STRICT;

  g_free (self->search);
  self->search = g_steal_pointer (&folded);

  /* replacing the text empties the entry first, which it reports at once: not a search */
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), text != NULL ? text : "") != 0)
    {
      g_signal_handlers_block_by_func (self->search_entry, on_search_changed_cb, self);
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
      g_signal_handlers_unblock_by_func (self->search_entry, on_search_changed_cb, self);
    }

  apply_filter (self, change);
}

void
kinema_task_list_view_set_filter (KinemaTaskListView  *self,
                                  KinemaTaskListFilter filter)
{
  KinemaTaskListFilter old;

  g_return_if_fail (KINEMA_IS_TASK_LIST_VIEW (self));
  g_return_if_fail (filter <= KINEMA_TASK_LIST_FILTER_NEEDS_CHECKING);

  if (self->status_filter == filter)
    return;

  old = self->status_filter;
  self->status_filter = filter;
  g_clear_handle_id (&self->refilter_source, g_source_remove);

  if (gtk_drop_down_get_selected (self->status_dropdown) != filter)
    gtk_drop_down_set_selected (self->status_dropdown, filter);

  apply_filter (self,
                filter == KINEMA_TASK_LIST_FILTER_ALL ? GTK_FILTER_CHANGE_LESS_STRICT
                : old == KINEMA_TASK_LIST_FILTER_ALL  ? GTK_FILTER_CHANGE_MORE_STRICT
                                                      : GTK_FILTER_CHANGE_DIFFERENT);
}

static void
on_search_changed_cb (KinemaTaskListView *self)
{
  kinema_task_list_view_set_search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
on_status_selected_cb (KinemaTaskListView *self)
{
  guint selected = gtk_drop_down_get_selected (self->status_dropdown);

  if (selected != GTK_INVALID_LIST_POSITION)
    kinema_task_list_view_set_filter (self, selected);
}

GListModel *
kinema_task_list_view_get_model (KinemaTaskListView *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK_LIST_VIEW (self), NULL);

  return G_LIST_MODEL (self->filter_model);
}

/* Selection and compare */

KinemaTask *
kinema_task_list_view_get_selected_task (KinemaTaskListView *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK_LIST_VIEW (self), NULL);

  return gtk_single_selection_get_selected_item (self->selection);
}

void
kinema_task_list_view_select_task (KinemaTaskListView *self,
                                   KinemaTask         *task)
{
  GListModel *model;
  guint       n;

  g_return_if_fail (KINEMA_IS_TASK_LIST_VIEW (self));
  g_return_if_fail (task == NULL || KINEMA_IS_TASK (task));

  if (task == NULL)
    {
      g_clear_object (&self->select_pending);
      gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
      return;
    }

  /* a bound row knows its position; otherwise look for it (new tasks are near the top) */
  {
    KinemaTaskRow *row = g_hash_table_lookup (self->bound_rows, task);
    GtkListItem   *item = row != NULL ? kinema_task_row_get_list_item (row) : NULL;

    if (item != NULL && gtk_list_item_get_position (item) != GTK_INVALID_LIST_POSITION)
      {
        g_clear_object (&self->select_pending);
        gtk_single_selection_set_selected (self->selection, gtk_list_item_get_position (item));
        return;
      }
  }

  model = G_LIST_MODEL (self->filter_model);
  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KinemaTask) item = g_list_model_get_item (model, i);

      if (item == task)
        {
          g_clear_object (&self->select_pending);
          gtk_single_selection_set_selected (self->selection, i);
          gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", i);
          return;
        }
    }

  /* a task just added may still wait for the (incremental) filter */
  g_set_object (&self->select_pending, task);
}

static gboolean
on_select_idle (gpointer user_data)
{
  KinemaTaskListView *self = user_data;
  GListModel         *model = G_LIST_MODEL (self->filter_model);
  guint               n = g_list_model_get_n_items (model);

  self->select_idle = 0;

  /* new tasks come first, so this stops early */
  for (guint i = 0; self->select_pending != NULL && i < n; i++)
    {
      g_autoptr(KinemaTask) item = g_list_model_get_item (model, i);

      if (item == self->select_pending)
        {
          g_clear_object (&self->select_pending);
          gtk_single_selection_set_selected (self->selection, i);
          gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", i);
        }
    }

  return G_SOURCE_REMOVE;
}

static void
on_filter_items_changed (KinemaTaskListView *self,
                         guint               position,
                         guint               removed,
                         guint               added)
{
  /* select once every view of the model has seen the change */
  if (self->select_pending != NULL && added > 0 && self->select_idle == 0)
    self->select_idle = g_idle_add (on_select_idle, self);

  update_page (self);
}

static void
set_compare_first (KinemaTaskListView *self,
                   KinemaTask         *task)
{
  g_set_object (&self->compare_first, task);
  gtk_revealer_set_reveal_child (self->compare_revealer, task != NULL);
}

static void
on_compare_cancel_cb (KinemaTaskListView *self)
{
  set_compare_first (self, NULL);
}

static void
on_selected_item_changed (KinemaTaskListView *self)
{
  KinemaTask *selected = kinema_task_list_view_get_selected_task (self);

  if (self->compare_first != NULL && selected != NULL && selected != self->compare_first &&
      kinema_task_get_status (selected) == KINEMA_TASK_STATUS_SUCCEEDED)
    {
      g_autoptr(KinemaTask) first = g_object_ref (self->compare_first);

      set_compare_first (self, NULL);
      g_signal_emit (self, signals[SIGNAL_COMPARE], 0, first, selected);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_TASK]);
}

/* Row actions */

typedef struct
{
  KinemaTaskListView *self;
  KinemaTask         *task;
  char               *action;
} PendingAction;

static void
pending_action_free (gpointer data)
{
  PendingAction *pending = data;

  g_object_unref (pending->self);
  g_object_unref (pending->task);
  g_free (pending->action);
  g_free (pending);
}

static void
do_confirmed_action (KinemaTaskListView *self,
                     KinemaTask         *task,
                     const char         *action)
{
  if (self->manager == NULL)
    {
      g_debug ("No task manager: “%s” not carried out", action);
      return;
    }

  if (g_str_equal (action, "retry"))
    {
      g_autoptr(GError) error = NULL;
      KinemaTask *retried = kinema_task_manager_retry (self->manager, task, &error);

      if (retried == NULL)
        {
          g_autofree char *text = g_strdup_printf (_("Could not start the new job: %s"), error->message);

          show_toast (self, text);
          return;
        }
      kinema_task_list_view_select_task (self, retried);
    }
  else if (g_str_equal (action, "stop"))
    {
      kinema_task_manager_stop (self->manager, task);
      queue_refilter (self);
    }
  else if (g_str_equal (action, "remove"))
    {
      if (self->compare_first == task)
        set_compare_first (self, NULL);
      kinema_task_manager_remove (self->manager, task);
    }
}

static void
on_confirm_response (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  PendingAction *pending = user_data;

  if (g_strcmp0 (response, pending->action) == 0)
    do_confirmed_action (pending->self, pending->task, pending->action);
}

static void
ask_then_run (KinemaTaskListView   *self,
              KinemaTask           *task,
              const char           *action,
              const char           *heading,
              const char           *body,
              const char           *label,
              AdwResponseAppearance appearance)
{
  GtkWidget     *dialog;
  PendingAction *pending;

  dialog = adw_message_dialog_new (get_parent_window (self), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), action, label, NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), action, appearance);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  pending = g_new0 (PendingAction, 1);
  pending->self = g_object_ref (self);
  pending->task = g_object_ref (task);
  pending->action = g_strdup (action);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_confirm_response), pending,
                         (GClosureNotify) (void (*) (void)) pending_action_free, 0);

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_video_copied (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(KinemaTaskListView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_copy_finish (G_FILE (object), result, &error))
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("Could not save the video: %s"), error->message);
      show_toast (self, text);
      return;
    }

  show_toast (self, _("Video saved"));
}

void
kinema_task_list_view_save_video (KinemaTaskListView *self,
                                  KinemaTask         *task,
                                  GFile              *dest)
{
  g_autoptr(GFile) src = NULL;

  g_return_if_fail (KINEMA_IS_TASK_LIST_VIEW (self));
  g_return_if_fail (KINEMA_IS_TASK (task));
  g_return_if_fail (G_IS_FILE (dest));

  if (kinema_task_get_video_path (task) == NULL)
    return;

  /* copied in GIO's worker threads: a large clip never stalls the window */
  src = g_file_new_for_path (kinema_task_get_video_path (task));
  g_file_copy_async (src, dest, G_FILE_COPY_OVERWRITE, G_PRIORITY_DEFAULT, self->cancellable, NULL, NULL,
                     on_video_copied, g_object_ref (self));
}

static void
on_save_response (GtkNativeDialog    *chooser,
                  int                 response,
                  KinemaTaskListView *self)
{
  KinemaTask *task = g_object_get_data (G_OBJECT (chooser), "kinema-task");

  if (response == GTK_RESPONSE_ACCEPT && task != NULL)
    {
      g_autoptr(GFile) dest = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (dest != NULL)
        kinema_task_list_view_save_video (self, task, dest);
    }

  g_clear_object (&self->save_chooser);
}

static void
on_export_finished (KinemaExportDialog *dialog,
                    GFile              *file,
                    KinemaTaskListView *self)
{
  g_autofree char *name = g_file_get_basename (file);
  /* Translators: %s is a file name. */
  g_autofree char *text = g_strdup_printf (_("Exported “%s”"), name);

  show_toast (self, text);
}

/* The export dialog for one clip (length from its request: the player knows better,
 * see kinema_window_export_clip()). */
static void
export_clip (KinemaTaskListView *self,
             KinemaTask         *task)
{
  const char      *path = kinema_task_get_video_path (task);
  const char      *paths[2] = { path, NULL };
  g_autofree char *base = NULL;
  char            *dot;
  GtkWidget       *dialog;

  if (path == NULL)
    return;
  base = g_path_get_basename (path);
  dot = strrchr (base, '.');
  if (dot != NULL && dot != base)
    *dot = '\0';
  dialog = kinema_export_dialog_new (get_parent_window (self), paths, base,
                                     (gint64) kinema_request_get_duration (kinema_task_get_request (task)) *
                                         G_TIME_SPAN_SECOND * 1000,
                                     -1, -1);
  g_signal_connect_object (dialog, "finished", G_CALLBACK (on_export_finished), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
save_video_as (KinemaTaskListView *self,
               KinemaTask         *task)
{
  const char      *path = kinema_task_get_video_path (task);
  g_autofree char *name = NULL;

  if (path == NULL || self->save_chooser != NULL)
    return;

  name = g_path_get_basename (path);
  self->save_chooser = gtk_file_chooser_native_new (_("Save Video"), get_parent_window (self),
                                                       GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->save_chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->save_chooser), name);
  g_object_set_data_full (G_OBJECT (self->save_chooser), "kinema-task", g_object_ref (task), g_object_unref);
  g_signal_connect_object (self->save_chooser, "response", G_CALLBACK (on_save_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->save_chooser));
}

static void
on_folder_launched (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(KinemaTaskListView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *text = g_strdup_printf (_("Could not open the folder: %s"), error->message);

      show_toast (self, text);
    }
}

static void
launch_folder (KinemaTaskListView *self,
               const char         *video_path)
{
  g_autofree char *dir = g_path_get_dirname (video_path);
  g_autofree char *uri = g_filename_to_uri (dir, NULL, NULL);
  g_autoptr(GdkAppLaunchContext) context = NULL;

  if (uri == NULL)
    return;

  context = gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self)));
  g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context), self->cancellable,
                                           on_folder_launched, g_object_ref (self));
}

typedef struct
{
  KinemaTaskListView *self;
  char               *path;
} OpenFolder;

static void
open_folder_free (OpenFolder *data)
{
  g_object_unref (data->self);
  g_free (data->path);
  g_free (data);
}

static void
on_show_items_reply (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  OpenFolder *data = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  if (reply == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_debug ("No file manager answered ShowItems (%s); opening the folder", error->message);
      launch_folder (data->self, data->path);
    }

  open_folder_free (data);
}

static void
on_session_bus (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  OpenFolder *data = user_data;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  const char      *uris[2] = { NULL, NULL };

  bus = g_bus_get_finish (result, &error);
  uri = g_filename_to_uri (data->path, NULL, NULL);
  if (bus == NULL || uri == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        launch_folder (data->self, data->path);
      open_folder_free (data);
      return;
    }

  /* the file manager opens the folder with the clip selected */
  uris[0] = uri;
  g_dbus_connection_call (bus, "org.freedesktop.FileManager1", "/org/freedesktop/FileManager1",
                          "org.freedesktop.FileManager1", "ShowItems",
                          g_variant_new ("(^ass)", uris, ""), NULL, G_DBUS_CALL_FLAGS_NONE, 3000,
                          data->self->cancellable, on_show_items_reply, data);
}

static void
open_folder (KinemaTaskListView *self,
             KinemaTask         *task)
{
  OpenFolder *data;

  if (kinema_task_get_video_path (task) == NULL)
    return;

  data = g_new0 (OpenFolder, 1);
  data->self = g_object_ref (self);
  data->path = g_strdup (kinema_task_get_video_path (task));
  g_bus_get (G_BUS_TYPE_SESSION, self->cancellable, on_session_bus, data);
}

static void
compare_with (KinemaTaskListView *self,
              KinemaTask         *task)
{
  KinemaTask *selected = kinema_task_list_view_get_selected_task (self);

  if (selected != NULL && selected != task && kinema_task_get_status (selected) == KINEMA_TASK_STATUS_SUCCEEDED)
    {
      set_compare_first (self, NULL);
      g_signal_emit (self, signals[SIGNAL_COMPARE], 0, task, selected);
      return;
    }

  /* nothing else selected: the next clip the user selects is the second one */
  set_compare_first (self, task);
}

static void resend (KinemaTaskListView *self,
                    KinemaTask         *task);

static void
on_details_response (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  PendingAction *pending = user_data;

  if (g_strcmp0 (response, "resend") == 0)
    resend (pending->self, pending->task);
}

/* The same words as the row, the player and the toast: the task's status message
 * (written by the task manager), then the technical details once. */
static void
show_details (KinemaTaskListView *self,
              KinemaTask         *task)
{
  const GError *error = kinema_task_get_error (task);
  const char   *message = kinema_task_get_status_message (task);
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *details = NULL;
  const char      *heading;
  GtkWidget       *dialog;

  switch (kinema_task_get_status (task))
    {
    case KINEMA_TASK_STATUS_NEEDS_CHECKING:
      heading = _("This Job Needs Checking");
      break;
    case KINEMA_TASK_STATUS_NOT_SENT:
      heading = _("This Job Was Not Sent");
      break;
    case KINEMA_TASK_STATUS_STOPPED:
      heading = _("Tracking Stopped");
      message = _("Kinema stopped checking on this job when asked to. The provider may still have finished it.");
      break;
    case KINEMA_TASK_STATUS_FAILED:
    default:
      heading = _("Why This Job Failed");
      break;
    }

  if (message != NULL && message[0] != '\0')
    g_string_append (body, message);
  else if (error != NULL)
    g_string_append (body, error->message);
  else
    g_string_append (body, _("The provider gave no reason."));

  if (error != NULL)
    details = kinema_error_format_details (error);
  if (details != NULL && strstr (body->str, details) == NULL)
    g_string_append_printf (body, "\n\n%s", details);
  if (kinema_task_get_remote_id (task) != NULL)
    /* Translators: the provider's id of a job, for support requests */
    g_string_append_printf (body, _("\n\nProvider's job id: %s"), kinema_task_get_remote_id (task));

  dialog = adw_message_dialog_new (get_parent_window (self), heading, body->str);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  if (kinema_task_get_status (task) == KINEMA_TASK_STATUS_NOT_SENT)
    {
      PendingAction *pending = g_new0 (PendingAction, 1);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "resend", _("_Try Again"));
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "resend", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "resend");
      pending->self = g_object_ref (self);
      pending->task = g_object_ref (task);
      pending->action = g_strdup ("resend");
      g_signal_connect_data (dialog, "response", G_CALLBACK (on_details_response), pending,
                             (GClosureNotify) (void (*) (void)) pending_action_free, 0);
    }
  gtk_widget_set_name (dialog, "kinema-task-details");
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A job that never left: the same job again, no new paid job to confirm. */
static void
resend (KinemaTaskListView *self,
        KinemaTask         *task)
{
  g_autoptr(GError) error = NULL;

  if (self->manager == NULL)
    return;
  if (!kinema_task_manager_resend (self->manager, task, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Could not send the job: %s"), error->message);

      show_toast (self, text);
      return;
    }
  kinema_task_list_view_select_task (self, task);
}

void
kinema_task_list_view_run_action (KinemaTaskListView *self,
                                  KinemaTaskRow      *row,
                                  KinemaTask         *task,
                                  const char         *action)
{
  g_return_if_fail (KINEMA_IS_TASK_LIST_VIEW (self));
  g_return_if_fail (KINEMA_IS_TASK (task));
  g_return_if_fail (action != NULL);

  if (g_str_equal (action, "play"))
    {
      kinema_task_list_view_select_task (self, task);
    }
  else if (g_str_equal (action, "stop"))
    {
      ask_then_run (self, task, "stop", _("Stop Tracking This Job?"), _("Kinema stops checking on it and will not download the clip. The provider may "
                      "still finish the job and charge for it."),
                                                                          _("_Stop Tracking"), ADW_RESPONSE_DESTRUCTIVE);
    }
  else if (g_str_equal (action, "retry") && kinema_task_get_status (task) == KINEMA_TASK_STATUS_NOT_SENT)
    {
      resend (self, task);
    }
  else if (g_str_equal (action, "retry"))
    {
      g_autofree char *body = g_strdup_printf (_("Kinema sends the same settings to %s again, and the provider "
                                                 "charges for it like any other job. This clip stays in the history."),
                                                  kinema_task_get_provider_name (task) != NULL
                                                      ? kinema_task_get_provider_name (task)
                                                      : _("the same provider"));

      ask_then_run (self, task, "retry", _("This Starts a New Paid Job"), body, _("_Start New Job"), ADW_RESPONSE_SUGGESTED);
    }
  else if (g_str_equal (action, "reuse"))
    {
      g_signal_emit (self, signals[SIGNAL_REUSE_SETTINGS], 0, task);
    }
  else if (g_str_equal (action, "continue"))
    {
      g_signal_emit (self, signals[SIGNAL_CONTINUE], 0, task);
    }
  else if (g_str_equal (action, "extend"))
    {
      g_signal_emit (self, signals[SIGNAL_EXTEND], 0, task);
    }
  else if (g_str_equal (action, "save-as"))
    {
      save_video_as (self, task);
    }
  else if (g_str_equal (action, "export"))
    {
      export_clip (self, task);
    }
  else if (g_str_equal (action, "open-folder"))
    {
      open_folder (self, task);
    }
  else if (g_str_equal (action, "copy-id"))
    {
      gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), kinema_task_get_id (task));
      show_toast (self, _("Task id copied"));
    }
  else if (g_str_equal (action, "compare"))
    {
      compare_with (self, task);
    }
  else if (g_str_equal (action, "details"))
    {
      show_details (self, task);
    }
  else if (g_str_equal (action, "remove"))
    {
      ask_then_run (self, task, "remove", _("Remove From History?"), kinema_task_is_active (task) ? _("Kinema stops tracking this job and forgets it. The provider may still finish "
                          "and charge for it.")
                                                                                                   : _("The clip is forgotten by Kinema. A video file already saved stays in its folder."), _("_Remove"), ADW_RESPONSE_DESTRUCTIVE);
    }
  else
    {
      g_warning ("Unknown task action “%s”", action);
    }
}

/* Keyboard */

static KinemaTaskRow *
selected_row (KinemaTaskListView *self)
{
  KinemaTask *task = kinema_task_list_view_get_selected_task (self);

  return task != NULL ? g_hash_table_lookup (self->bound_rows, task) : NULL;
}

static gboolean
on_menu_key (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  KinemaTaskListView *self = user_data;
  KinemaTaskRow      *row = selected_row (self);

  if (row == NULL)
    return FALSE;

  kinema_task_row_popup_menu (row);
  return TRUE;
}

static gboolean
on_delete_key (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  KinemaTaskListView *self = user_data;
  KinemaTask         *task = kinema_task_list_view_get_selected_task (self);

  if (task == NULL)
    return FALSE;

  kinema_task_list_view_run_action (self, selected_row (self), task, "remove");
  return TRUE;
}

static void
on_list_activate_cb (KinemaTaskListView *self,
                     guint               position)
{
  gtk_single_selection_set_selected (self->selection, position);
}

/* Factory: rows are made for the visible items only and recycled */

static void
on_setup (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          KinemaTaskListView       *self)
{
  gtk_list_item_set_child (item, kinema_task_row_new ());
}

/* Tells @row what it cannot learn from @task alone: its parent clip and whether its
 * provider offers Kling's video extension. */
static void
relate_row (KinemaTaskListView *self,
            KinemaTaskRow      *row,
            KinemaTask         *task)
{
  KinemaProvider *provider = NULL;
  KinemaTask     *parent = NULL;

  if (self->manager != NULL)
    {
      provider = kinema_task_manager_lookup_provider (self->manager, task);
      parent = kinema_task_manager_lookup (self->manager, kinema_task_get_parent_id (task));
    }
  kinema_task_row_set_relations (row, parent, provider != NULL && kinema_provider_offers_extend (provider));
}

static void
on_bind (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         KinemaTaskListView       *self)
{
  KinemaTaskRow *row = KINEMA_TASK_ROW (gtk_list_item_get_child (item));
  KinemaTask    *task = gtk_list_item_get_item (item);

  kinema_task_row_bind (row, task, item);
  relate_row (self, row, task);
  g_hash_table_insert (self->bound_rows, task, row);
}

/* A provider edited in Preferences (say, from Kling's own API to a gateway) may no
 * longer offer Extend…, or now offer it: the rows on screen follow at once. */
static void
on_provider_changed (KinemaTaskListView *self,
                     KinemaProvider     *provider)
{
  GHashTableIter iter;
  gpointer       task, row;

  g_hash_table_iter_init (&iter, self->bound_rows);
  while (g_hash_table_iter_next (&iter, &task, &row))
    if (kinema_task_manager_lookup_provider (self->manager, task) == provider)
      relate_row (self, row, task);
}

static void
on_unbind (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           KinemaTaskListView       *self)
{
  KinemaTaskRow *row = KINEMA_TASK_ROW (gtk_list_item_get_child (item));
  KinemaTask    *task = kinema_task_row_get_task (row);

  if (task != NULL && g_hash_table_lookup (self->bound_rows, task) == row)
    g_hash_table_remove (self->bound_rows, task);
  kinema_task_row_unbind (row);
}

KinemaTaskRow *
kinema_task_list_view_lookup_row (KinemaTaskListView *self,
                                  KinemaTask         *task)
{
  g_return_val_if_fail (KINEMA_IS_TASK_LIST_VIEW (self), NULL);

  return g_hash_table_lookup (self->bound_rows, task);
}

/* Model */

void
kinema_task_list_view_set_tasks (KinemaTaskListView *self,
                                 GListModel         *tasks)
{
  g_return_if_fail (KINEMA_IS_TASK_LIST_VIEW (self));
  g_return_if_fail (tasks == NULL || G_IS_LIST_MODEL (tasks));

  if (self->tasks == tasks)
    return;

  if (self->tasks != NULL)
    g_clear_signal_handler (&self->tasks_changed_id, self->tasks);
  g_set_object (&self->tasks, tasks);
  set_compare_first (self, NULL);
  g_clear_object (&self->select_pending);

  if (tasks != NULL)
    self->tasks_changed_id = g_signal_connect_object (tasks, "items-changed", G_CALLBACK (update_page), self,
                                                      G_CONNECT_SWAPPED);
  gtk_filter_list_model_set_model (self->filter_model, tasks);
  update_page (self);
}

void
kinema_task_list_view_set_manager (KinemaTaskListView *self,
                                   KinemaTaskManager  *manager)
{
  g_return_if_fail (KINEMA_IS_TASK_LIST_VIEW (self));
  g_return_if_fail (manager == NULL || KINEMA_IS_TASK_MANAGER (manager));

  if (self->manager == manager)
    return;

  if (self->manager != NULL)
    g_clear_signal_handler (&self->finished_id, self->manager);
  if (self->providers != NULL)
    g_clear_signal_handler (&self->provider_changed_id, self->providers);
  g_set_object (&self->manager, manager);
  g_clear_object (&self->providers);
  if (manager != NULL && kinema_task_manager_get_providers (manager) != NULL)
    self->providers = g_object_ref (kinema_task_manager_get_providers (manager));

  if (manager != NULL && g_signal_lookup ("task-finished", KINEMA_TYPE_TASK_MANAGER) != 0)
    self->finished_id = g_signal_connect_object (manager, "task-finished", G_CALLBACK (on_task_finished), self,
                                                 G_CONNECT_SWAPPED);
  if (self->providers != NULL)
    self->provider_changed_id = g_signal_connect_object (self->providers, "provider-changed",
                                                         G_CALLBACK (on_provider_changed), self, G_CONNECT_SWAPPED);

  kinema_task_list_view_set_tasks (self, manager != NULL ? kinema_task_manager_get_tasks (manager) : NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MANAGER]);
}

KinemaTaskManager *
kinema_task_list_view_get_manager (KinemaTaskListView *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK_LIST_VIEW (self), NULL);

  return self->manager;
}

/* GObject */

static void
kinema_task_list_view_dispose (GObject *object)
{
  KinemaTaskListView *self = KINEMA_TASK_LIST_VIEW (object);
  GtkWidget          *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refilter_source, g_source_remove);
  g_clear_handle_id (&self->select_idle, g_source_remove);
  if (self->save_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->save_chooser));
  g_clear_object (&self->save_chooser);
  if (self->manager != NULL)
    g_clear_signal_handler (&self->finished_id, self->manager);
  if (self->providers != NULL)
    g_clear_signal_handler (&self->provider_changed_id, self->providers);
  if (self->tasks != NULL)
    g_clear_signal_handler (&self->tasks_changed_id, self->tasks);

  gtk_widget_dispose_template (GTK_WIDGET (self), KINEMA_TYPE_TASK_LIST_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->compare_first);
  g_clear_object (&self->select_pending);
  g_clear_object (&self->selection);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->filter);
  g_clear_object (&self->tasks);
  g_clear_object (&self->manager);
  g_clear_object (&self->providers);

  G_OBJECT_CLASS (kinema_task_list_view_parent_class)->dispose (object);
}

static void
kinema_task_list_view_finalize (GObject *object)
{
  KinemaTaskListView *self = KINEMA_TASK_LIST_VIEW (object);

  g_hash_table_unref (self->bound_rows);
  g_clear_object (&self->cancellable);
  g_free (self->search);

  G_OBJECT_CLASS (kinema_task_list_view_parent_class)->finalize (object);
}

static void
kinema_task_list_view_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  KinemaTaskListView *self = KINEMA_TASK_LIST_VIEW (object);

  switch (prop_id)
    {
    case PROP_MANAGER:
      g_value_set_object (value, self->manager);
      break;
    case PROP_SELECTED_TASK:
      g_value_set_object (value, kinema_task_list_view_get_selected_task (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kinema_task_list_view_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  KinemaTaskListView *self = KINEMA_TASK_LIST_VIEW (object);

  switch (prop_id)
    {
    case PROP_MANAGER:
      kinema_task_list_view_set_manager (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kinema_task_list_view_class_init (KinemaTaskListViewClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kinema_task_list_view_dispose;
  object_class->finalize = kinema_task_list_view_finalize;
  object_class->get_property = kinema_task_list_view_get_property;
  object_class->set_property = kinema_task_list_view_set_property;

  properties[PROP_MANAGER] =
      g_param_spec_object ("manager", NULL, NULL, KINEMA_TYPE_TASK_MANAGER,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * KinemaTaskListView:selected-task:
   *
   * The task selected in the list, or %NULL.
   */
  properties[PROP_SELECTED_TASK] =
      g_param_spec_object ("selected-task", NULL, NULL, KINEMA_TYPE_TASK,
                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_REUSE_SETTINGS] =
      g_signal_new ("reuse-settings", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 1, KINEMA_TYPE_TASK);
  signals[SIGNAL_COMPARE] =
      g_signal_new ("compare", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 2, KINEMA_TYPE_TASK, KINEMA_TYPE_TASK);
  signals[SIGNAL_CONTINUE] =
      g_signal_new ("continue", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 1, KINEMA_TYPE_TASK);
  /* "Extend…": the window shows the extension dialog (nothing is sent yet). */
  signals[SIGNAL_EXTEND] =
      g_signal_new ("extend", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 1, KINEMA_TYPE_TASK);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/kinema-task-list-view.ui");
  gtk_widget_class_bind_template_child (widget_class, KinemaTaskListView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, KinemaTaskListView, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KinemaTaskListView, compare_revealer);
  gtk_widget_class_bind_template_child (widget_class, KinemaTaskListView, stack);
  gtk_widget_class_bind_template_child (widget_class, KinemaTaskListView, list_view);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_status_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_compare_cancel_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate_cb);

  g_type_ensure (KINEMA_TYPE_TASK_ROW);
}

static void
kinema_task_list_view_init (KinemaTaskListView *self)
{
  GtkListItemFactory *factory;
  GtkEventController *shortcuts;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* GTK 4.8 names the drop-down, not the button inside it that takes the focus. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->status_dropdown)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_TOGGLE_BUTTON (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Show clips by status"), -1);

  self->cancellable = g_cancellable_new ();
  self->bound_rows = g_hash_table_new (NULL, NULL);

  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filter_model = gtk_filter_list_model_new (NULL, NULL);
  /* with thousands of tasks, filter in chunks so typing stays smooth */
  gtk_filter_list_model_set_incremental (self->filter_model, TRUE);
  g_signal_connect_object (self->filter_model, "items-changed", G_CALLBACK (on_filter_items_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filter_model, "notify::pending", G_CALLBACK (update_page), self, G_CONNECT_SWAPPED);

  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filter_model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "notify::selected-item", G_CALLBACK (on_selected_item_changed), self,
                           G_CONNECT_SWAPPED);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect_object (factory, "setup", G_CALLBACK (on_setup), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (on_bind), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (on_unbind), self, 0);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Menu, 0),
                                                                                       gtk_keyval_trigger_new (GDK_KEY_F10, GDK_SHIFT_MASK)),
                                                          gtk_callback_action_new (on_menu_key, self, NULL)));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Delete, 0),
                                                          gtk_callback_action_new (on_delete_key, self, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), shortcuts);

  update_page (self);
}

GtkWidget *
kinema_task_list_view_new (void)
{
  return g_object_new (KINEMA_TYPE_TASK_LIST_VIEW, NULL);
}
