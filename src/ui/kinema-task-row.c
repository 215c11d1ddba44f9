/* kinema-task-row.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-task-row"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kinema-capabilities.h"
#include "kinema-cost-table.h"
#include "kinema-models.h"
#include "kinema-style.h"
#include "kinema-task-list-view-private.h"
#include "kinema-task-row.h"
#include "kinema-thumbnailer.h"

#define THUMBNAIL_SIZE 128 /* 64 px at scale 2 */

struct _KinemaTaskRow
{
  GtkWidget parent_instance;

  KinemaTask   *task;
  GtkListItem  *list_item; /* not owned; valid while bound */
  gulong        notify_id;
  gulong        selected_id;
  GCancellable *thumb_cancellable;
  char         *thumb_source;
  GtkWidget    *context_menu;
  guint         thumb_idle;
  guint         ticking : 1;
  guint         offers_extend : 1; /* the task's provider has Kling's video extension */

  GtkStack       *thumb_stack;
  GtkPicture     *thumb_picture;
  GtkLabel       *prompt_label;
  GtkLabel       *link_label;
  GtkLabel       *meta_label;
  GtkWidget      *demo_badge;
  GtkLabel       *status_label;
  GtkLabel       *time_label;
  GtkProgressBar *progress_bar;
  GtkMenuButton  *menu_button;
  GMenuModel     *row_menu;
};

G_DEFINE_FINAL_TYPE (KinemaTaskRow, kinema_task_row, GTK_TYPE_WIDGET)

static guint n_created;
static guint n_alive;
static guint n_thumbnail_requests;

/* The shared timer: one 1 s timeout for the elapsed time of every bound active row. */
static GPtrArray *ticking_rows;
static guint      tick_source;

static void update_time (KinemaTaskRow *self);

static gboolean
on_tick (gpointer data)
{
  for (guint i = 0; i < ticking_rows->len; i++)
    {
      KinemaTaskRow *row = g_ptr_array_index (ticking_rows, i);

      update_time (row);
      if (gtk_widget_get_visible (GTK_WIDGET (row->progress_bar)) && kinema_task_get_progress (row->task) < 0)
        gtk_progress_bar_pulse (row->progress_bar);
    }

  return G_SOURCE_CONTINUE;
}

static void
set_ticking (KinemaTaskRow *self,
             gboolean       ticking)
{
  if (self->ticking == (guint) !!ticking)
    return;

  self->ticking = !!ticking;
  if (ticking)
    {
      if (ticking_rows == NULL)
        ticking_rows = g_ptr_array_new ();
      g_ptr_array_add (ticking_rows, self);
      if (tick_source == 0)
        {
          tick_source = g_timeout_add_seconds (1, on_tick, NULL);
          g_source_set_name_by_id (tick_source, "[kinema] task row elapsed time");
        }
    }
  else
    {
      g_ptr_array_remove_fast (ticking_rows, self);
      if (ticking_rows->len == 0)
        g_clear_handle_id (&tick_source, g_source_remove);
    }
}

guint
kinema_task_row_get_n_created (void)
{
  return n_created;
}

guint
kinema_task_row_get_n_alive (void)
{
  return n_alive;
}

guint
kinema_task_row_get_n_thumbnail_requests (void)
{
  return n_thumbnail_requests;
}

guint
kinema_task_row_get_n_ticking (void)
{
  return ticking_rows != NULL ? ticking_rows->len : 0;
}

/* Text */

static char *
format_duration (gint64 seconds)
{
  seconds = MAX (seconds, 0);
  if (seconds < 3600)
    return g_strdup_printf ("%d:%02d", (int) (seconds / 60), (int) (seconds % 60));

  return g_strdup_printf ("%d:%02d:%02d", (int) (seconds / 3600), (int) (seconds / 60 % 60),
                          (int) (seconds % 60));
}

static char *
format_remaining (gint64 seconds)
{
  int minutes;

  if (seconds < 60)
    return g_strdup (_("less than a minute left"));

  minutes = (int) ((seconds + 59) / 60);
  /* Translators: an estimate of the time left for a job */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "about %d minute left", "about %d minutes left", minutes),
                          minutes);
}

static char *
format_when (gint64 usec)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (when == NULL)
    return g_strdup ("");

  if (g_date_time_get_year (when) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (when) == g_date_time_get_day_of_year (now))
    return g_date_time_format (when, "%H:%M");

  return g_date_time_format (when, "%x");
}

static void
update_time (KinemaTaskRow *self)
{
  KinemaTask      *task = self->task;
  gint64           start = kinema_task_get_submitted_at (task);
  g_autofree char *text = NULL;

  if (start == 0)
    start = kinema_task_get_created_at (task);

  if (kinema_task_is_active (task))
    {
      g_autofree char *elapsed = format_duration ((g_get_real_time () - start) / G_USEC_PER_SEC);
      gint64           remaining = kinema_task_get_estimated_remaining (task);

      if (kinema_task_get_is_slow (task))
        /* Translators: elapsed time, then a hint */
        text = g_strdup_printf (_("%s · taking longer than usual"), elapsed);
      else if (remaining >= 0)
        {
          g_autofree char *left = format_remaining (remaining);

          text = g_strdup_printf ("%s · %s", elapsed, left);
        }
      else
        text = g_steal_pointer (&elapsed);
    }
  else
    {
      g_autofree char *when = format_when (kinema_task_get_created_at (task));
      gint64           finished = kinema_task_get_finished_at (task);

      if (kinema_task_get_status (task) == KINEMA_TASK_STATUS_SUCCEEDED && finished > start && start > 0)
        {
          g_autofree char *took = format_duration ((finished - start) / G_USEC_PER_SEC);

          /* Translators: "took 2:10 · 21:40": how long the job took, then when it was made */
          text = g_strdup_printf (_("took %s · %s"), took, when);
        }
      else
        text = g_steal_pointer (&when);
    }

  gtk_label_set_text (self->time_label, text);
  /* the whole hint, when a narrow row cuts it short */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->time_label), text);
}

static void
update_meta (KinemaTaskRow *self)
{
  KinemaRequest   *request = kinema_task_get_request (self->task);
  const char      *prompt = kinema_task_get_prompt (self->task);
  g_autofree char *meta = NULL;
  const char      *model = NULL;
  const char      *mode = NULL;
  double           duration = 0;

  if (prompt == NULL || prompt[0] == '\0')
    prompt = kinema_task_get_kind (self->task) == KINEMA_TASK_KIND_IMAGE_TO_VIDEO ? _("Image to video, no prompt")
                                                                                  : _("No prompt");
  gtk_label_set_text (self->prompt_label, prompt);

  if (request != NULL)
    {
      const KinemaModelInfo *info = kinema_models_lookup (kinema_request_get_model (request));

      model = info != NULL ? info->label : kinema_request_get_model (request);
      switch (kinema_request_get_mode (request))
        {
        case KINEMA_MODE_PRO:
          mode = _("Pro");
          break;
        case KINEMA_MODE_4K:
          mode = kinema_mode_get_label (KINEMA_MODE_4K);
          break;
        case KINEMA_MODE_STD:
        default:
          mode = _("Standard");
          break;
        }
      /* an extension's clip is the whole extended video, not the length asked for */
      duration = kinema_task_get_kind (self->task) == KINEMA_TASK_KIND_VIDEO_EXTEND
                     ? kinema_task_estimate_clip_seconds (self->task)
                     : kinema_request_get_duration (request);
    }

  /* shortest first, so a narrow row keeps the duration and quality */
  if (duration == (guint) duration)
    /* Translators: duration · quality · model, e.g. "5 s · Pro · Kling 2.5 Turbo" */
    meta = g_strdup_printf (_("%u s · %s · %s"), (guint) duration, mode != NULL ? mode : "?",
                               model != NULL ? model : "?");
  else
    /* Translators: an extended clip's length (the source plus about 4.5 s) · quality · model,
     * e.g. "9.5 s · Standard · Kling 1.6" */
    meta = g_strdup_printf (_("%.1f s · %s · %s"), duration, mode != NULL ? mode : "?", model != NULL ? model : "?");

  /* What the job really cost, when the provider said (final_unit_deduction), beside the
   * estimate of Kinema's built-in cost table. */
  if (kinema_task_get_units_charged (self->task) >= 0)
    {
      char             charged[G_ASCII_DTOSTR_BUF_SIZE];
      char             estimated[G_ASCII_DTOSTR_BUF_SIZE];
      double           units;
      g_autofree char *cost = NULL;
      g_autofree char *joined = NULL;

      g_ascii_formatd (charged, sizeof charged, "%.4g", kinema_task_get_units_charged (self->task));
      if (request != NULL && kinema_cost_table_estimate (NULL, request, &units))
        {
          g_ascii_formatd (estimated, sizeof estimated, "%.4g", units);
          /* Translators: what a job cost in the provider's units, then Kinema's estimate */
          cost = g_strdup_printf (_("%s units charged (≈ %s estimated)"), charged, estimated);
        }
      else
        /* Translators: what a job cost in the provider's units */
        cost = g_strdup_printf (_("%s units charged"), charged);
      joined = g_strconcat (meta, " · ", cost, NULL);
      g_free (meta);
      meta = g_steal_pointer (&joined);
    }
  gtk_label_set_text (self->meta_label, meta);
  gtk_widget_set_visible (self->demo_badge, kinema_task_get_is_demo (self->task));
}

/* "Continues “…”" / "Extends “…”": the first line of the clip's prompt, cut by the
 * label's ellipsis; a plain label, so any text is shown as it is. */
static void
update_link (KinemaTaskRow *self,
             KinemaTask    *parent)
{
  KinemaLinkKind   kind = self->task != NULL ? kinema_task_get_link_kind (self->task) : KINEMA_LINK_NONE;
  const char      *prompt = parent != NULL ? kinema_task_get_prompt (parent) : NULL;
  g_autofree char *flat = prompt != NULL && prompt[0] != '\0' ? g_strdelimit (g_strdup (prompt), "\r\n\t", ' ') : NULL;
  g_autofree char *text = NULL;

  if (kind == KINEMA_LINK_EXTEND)
    /* Translators: in a task row; %s is the prompt of the clip this one extends */
    text = flat != NULL ? g_strdup_printf (_("Extends “%s”"), flat) : g_strdup (_("Extends an earlier clip"));
  else if (kind == KINEMA_LINK_CONTINUE)
    /* Translators: in a task row; %s is the prompt of the clip this one continues */
    text = flat != NULL ? g_strdup_printf (_("Continues “%s”"), flat) : g_strdup (_("Continues an earlier clip"));

  gtk_label_set_text (self->link_label, text != NULL ? text : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->link_label), text);
  gtk_widget_set_visible (GTK_WIDGET (self->link_label), text != NULL);
}

static void
update_actions (KinemaTaskRow *self)
{
  KinemaTask *task = self->task;
  gboolean    bound = task != NULL;
  gboolean    active = bound && kinema_task_is_active (task);
  gboolean    ready = bound && kinema_task_get_status (task) == KINEMA_TASK_STATUS_SUCCEEDED &&
                   kinema_task_get_video_path (task) != NULL;

  /* the selected clip is the one in the player: "Play" is not offered for it */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "task.play",
                                 ready && (self->list_item == NULL || !gtk_list_item_get_selected (self->list_item)));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "task.save-as", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "task.export", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "task.open-folder", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "task.compare", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "task.stop", active);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "task.retry", bound && !active);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "task.reuse", bound);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "task.continue", ready);
  /* only where the provider has the route; the dialog explains any other reason */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "task.extend", ready && self->offers_extend);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "task.copy-id", bound);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "task.details",
                                 bound && (kinema_task_get_status (task) == KINEMA_TASK_STATUS_FAILED ||
                                           kinema_task_get_status (task) == KINEMA_TASK_STATUS_NEEDS_CHECKING ||
                                           kinema_task_get_status (task) == KINEMA_TASK_STATUS_NOT_SENT ||
                                           kinema_task_get_status (task) == KINEMA_TASK_STATUS_STOPPED));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "task.remove", bound);
}

static void
update_status (KinemaTaskRow *self)
{
  KinemaTask      *task = self->task;
  KinemaTaskStatus status = kinema_task_get_status (task);
  g_autofree char *label = kinema_task_dup_status_label (task);
  g_autofree char *accessible = NULL;
  gboolean         show_progress = status == KINEMA_TASK_STATUS_RUNNING || status == KINEMA_TASK_STATUS_DOWNLOADING;
  double           progress = kinema_task_get_progress (task);

  gtk_label_set_text (self->status_label, label);
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "success");
  if (status == KINEMA_TASK_STATUS_FAILED)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else if (status == KINEMA_TASK_STATUS_NEEDS_CHECKING || status == KINEMA_TASK_STATUS_NOT_SENT)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "warning");
  else if (status == KINEMA_TASK_STATUS_SUCCEEDED)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "success");
  /* the whole explanation, the same words as the details and the player */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label),
                               status == KINEMA_TASK_STATUS_FAILED || status == KINEMA_TASK_STATUS_NOT_SENT ||
                                       status == KINEMA_TASK_STATUS_NEEDS_CHECKING
                                   ? kinema_task_get_status_message (task)
                                   : NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), show_progress);
  if (show_progress && progress >= 0)
    gtk_progress_bar_set_fraction (self->progress_bar, progress);

  if (kinema_task_get_is_demo (task))
    /* Translators: the accessible name of a demo task row: the prompt, then the status */
    accessible = g_strdup_printf (_("%s, %s, demo clip"), gtk_label_get_text (self->prompt_label), label);
  else
    /* Translators: the accessible name of a task row: the prompt, then the status */
    accessible = g_strdup_printf (_("%s, %s"), gtk_label_get_text (self->prompt_label), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);

  set_ticking (self, kinema_task_is_active (task) && gtk_widget_get_mapped (GTK_WIDGET (self)));
  update_time (self);
  update_actions (self);
}

/* Thumbnail */

static const char *
thumbnail_source (KinemaTaskRow *self)
{
  KinemaTask    *task = self->task;
  KinemaRequest *request = kinema_task_get_request (task);
  const char    *image = request != NULL ? kinema_request_get_image (request) : NULL;

  if (kinema_task_get_status (task) == KINEMA_TASK_STATUS_SUCCEEDED)
    {
      if (kinema_task_get_thumbnail_path (task) != NULL)
        return kinema_task_get_thumbnail_path (task);
      if (kinema_task_get_video_path (task) != NULL)
        return kinema_task_get_video_path (task);
    }

  /* while running: the start image, when it is a local file */
  if (image != NULL && g_path_is_absolute (image))
    return image;

  return NULL;
}

static void
cancel_thumbnail (KinemaTaskRow *self)
{
  if (self->thumb_cancellable != NULL)
    g_cancellable_cancel (self->thumb_cancellable);
  g_clear_object (&self->thumb_cancellable);
  g_clear_pointer (&self->thumb_source, g_free);
  gtk_picture_set_paintable (self->thumb_picture, NULL);
  gtk_stack_set_visible_child_name (self->thumb_stack, "icon");
}

typedef struct
{
  KinemaTaskRow *row;
  GCancellable  *cancellable;
} ThumbnailLoad;

static void
on_thumbnail_loaded (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  ThumbnailLoad *load = user_data;
  g_autoptr(KinemaTaskRow) self = load->row;
  g_autoptr(GCancellable) cancellable = load->cancellable;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  g_free (load);
  texture = kinema_thumbnailer_load_finish (KINEMA_THUMBNAILER (object), result, &error);

  /* a load for a task the row no longer shows, or given up off screen */
  if (g_cancellable_is_cancelled (cancellable) || cancellable != self->thumb_cancellable)
    return;

  g_clear_object (&self->thumb_cancellable);
  if (texture == NULL)
    {
      g_debug ("No thumbnail: %s", error->message);
      return;
    }

  gtk_picture_set_paintable (self->thumb_picture, GDK_PAINTABLE (texture));
  gtk_stack_set_visible_child_name (self->thumb_stack, "picture");
}

static void
update_thumbnail (KinemaTaskRow *self)
{
  ThumbnailLoad *load;
  const char    *source;

  /* GTK 4.8 keeps about 200 rows bound around the visible ones: only rows on
   * screen (mapped) ask for a thumbnail */
  if (self->task == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  source = thumbnail_source (self);
  if (g_strcmp0 (source, self->thumb_source) == 0)
    return;

  cancel_thumbnail (self);
  if (source == NULL)
    return;

  n_thumbnail_requests++;
  self->thumb_source = g_strdup (source);
  self->thumb_cancellable = g_cancellable_new ();
  load = g_new0 (ThumbnailLoad, 1);
  load->row = g_object_ref (self);
  load->cancellable = g_object_ref (self->thumb_cancellable);
  kinema_thumbnailer_load_async (kinema_thumbnailer_get_default (), source, THUMBNAIL_SIZE,
                                 self->thumb_cancellable, on_thumbnail_loaded, load);
}

static gboolean
on_thumbnail_idle (gpointer user_data)
{
  KinemaTaskRow *self = user_data;

  self->thumb_idle = 0;
  update_thumbnail (self);
  return G_SOURCE_REMOVE;
}

/* Rows are mapped as soon as they are made and unmapped at the next layout when they
 * fall outside the view: wait until after that layout before asking for a thumbnail. */
static void
queue_thumbnail (KinemaTaskRow *self)
{
  if (self->thumb_idle != 0 || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  self->thumb_idle = g_idle_add (on_thumbnail_idle, self);
  g_source_set_name_by_id (self->thumb_idle, "[kinema] task row thumbnail");
}

/* Binding */

static void
on_task_notify (KinemaTask    *task,
                GParamSpec    *pspec,
                KinemaTaskRow *self)
{
  const char *name = pspec->name;

  if (g_str_equal (name, "status") || g_str_equal (name, "status-label") || g_str_equal (name, "progress") ||
      g_str_equal (name, "active"))
    update_status (self);
  else if (g_str_equal (name, "estimated-remaining") || g_str_equal (name, "is-slow") ||
           g_str_equal (name, "submitted-at") || g_str_equal (name, "finished-at"))
    update_time (self);

  if (g_str_equal (name, "status") || g_str_equal (name, "video-path") || g_str_equal (name, "thumbnail-path") ||
      g_str_equal (name, "error"))
    {
      update_thumbnail (self);
      update_actions (self);
    }
}

void
kinema_task_row_bind (KinemaTaskRow *self,
                      KinemaTask    *task,
                      GtkListItem   *list_item)
{
  g_return_if_fail (KINEMA_IS_TASK_ROW (self));
  g_return_if_fail (KINEMA_IS_TASK (task));

  if (self->task != NULL)
    kinema_task_row_unbind (self);

  self->task = g_object_ref (task);
  self->list_item = list_item;
  self->notify_id = g_signal_connect (task, "notify", G_CALLBACK (on_task_notify), self);
  if (list_item != NULL)
    self->selected_id = g_signal_connect_swapped (list_item, "notify::selected", G_CALLBACK (update_actions), self);

  update_meta (self);
  update_status (self);
  queue_thumbnail (self);
}

void
kinema_task_row_unbind (KinemaTaskRow *self)
{
  g_return_if_fail (KINEMA_IS_TASK_ROW (self));

  if (self->task == NULL)
    return;

  set_ticking (self, FALSE);
  g_clear_handle_id (&self->thumb_idle, g_source_remove);
  cancel_thumbnail (self);
  g_clear_signal_handler (&self->notify_id, self->task);
  g_clear_object (&self->task);
  if (self->list_item != NULL)
    g_clear_signal_handler (&self->selected_id, self->list_item);
  self->list_item = NULL;
  self->offers_extend = FALSE;
  update_link (self, NULL);
  update_actions (self);
}

void
kinema_task_row_set_relations (KinemaTaskRow *self,
                               KinemaTask    *parent,
                               gboolean       offers_extend)
{
  g_return_if_fail (KINEMA_IS_TASK_ROW (self));
  g_return_if_fail (parent == NULL || KINEMA_IS_TASK (parent));

  self->offers_extend = !!offers_extend;
  update_link (self, parent);
  update_actions (self);
}

KinemaTask *
kinema_task_row_get_task (KinemaTaskRow *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK_ROW (self), NULL);

  return self->task;
}

GtkListItem *
kinema_task_row_get_list_item (KinemaTaskRow *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK_ROW (self), NULL);

  return self->list_item;
}

/* Menus and actions */

static void
popup_at (KinemaTaskRow *self,
          double         x,
          double         y)
{
  if (self->context_menu == NULL)
    {
      self->context_menu = gtk_popover_menu_new_from_model (self->row_menu);
      gtk_widget_set_parent (self->context_menu, GTK_WIDGET (self));
      gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
      gtk_widget_set_halign (self->context_menu, GTK_ALIGN_START);
    }

  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu),
                               &(GdkRectangle){ (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

/* The menu button's popover (a dozen items) is made when it is first opened: made
 * up front, it is most of a row's cost, and GtkListView keeps about 200 rows. */
static void
create_menu_popup (GtkMenuButton *button,
                   gpointer       user_data)
{
  KinemaTaskRow *self = user_data;

  if (gtk_menu_button_get_popover (button) == NULL)
    gtk_menu_button_set_menu_model (button, self->row_menu);
}

void
kinema_task_row_popup_menu (KinemaTaskRow *self)
{
  g_return_if_fail (KINEMA_IS_TASK_ROW (self));

  gtk_menu_button_popup (self->menu_button);
}

static void
on_secondary_click (GtkGestureClick *gesture,
                    int              n_press,
                    double           x,
                    double           y,
                    KinemaTaskRow   *self)
{
  if (self->task == NULL)
    return;

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  popup_at (self, x, y);
}

static void
on_long_press (GtkGestureLongPress *gesture,
               double               x,
               double               y,
               KinemaTaskRow       *self)
{
  if (self->task != NULL)
    popup_at (self, x, y);
}

static void
row_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  KinemaTaskRow *self = KINEMA_TASK_ROW (widget);
  GtkWidget     *view = gtk_widget_get_ancestor (widget, KINEMA_TYPE_TASK_LIST_VIEW);

  if (self->task == NULL || view == NULL)
    return;

  /* "task.stop" → "stop" */
  kinema_task_list_view_run_action (KINEMA_TASK_LIST_VIEW (view), self, self->task, action_name + strlen ("task."));
}

/* GObject */

static void
kinema_task_row_dispose (GObject *object)
{
  KinemaTaskRow *self = KINEMA_TASK_ROW (object);
  GtkWidget     *child;

  kinema_task_row_unbind (self);
  g_clear_pointer (&self->context_menu, gtk_widget_unparent);

  gtk_widget_dispose_template (GTK_WIDGET (self), KINEMA_TYPE_TASK_ROW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (kinema_task_row_parent_class)->dispose (object);
}

static void
kinema_task_row_finalize (GObject *object)
{
  n_alive--;

  G_OBJECT_CLASS (kinema_task_row_parent_class)->finalize (object);
}

static void
kinema_task_row_map (GtkWidget *widget)
{
  KinemaTaskRow *self = KINEMA_TASK_ROW (widget);

  GTK_WIDGET_CLASS (kinema_task_row_parent_class)->map (widget);

  if (self->task != NULL)
    {
      set_ticking (self, kinema_task_is_active (self->task));
      update_time (self);
      queue_thumbnail (self);
    }
}

static void
kinema_task_row_unmap (GtkWidget *widget)
{
  KinemaTaskRow *self = KINEMA_TASK_ROW (widget);

  set_ticking (self, FALSE);
  g_clear_handle_id (&self->thumb_idle, g_source_remove);
  /* a thumbnail still being made is not needed off screen; a finished one is kept */
  if (self->thumb_cancellable != NULL)
    cancel_thumbnail (self);

  GTK_WIDGET_CLASS (kinema_task_row_parent_class)->unmap (widget);
}

static void
kinema_task_row_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  KinemaTaskRow *self = KINEMA_TASK_ROW (widget);

  GTK_WIDGET_CLASS (kinema_task_row_parent_class)->size_allocate (widget, width, height, baseline);

  if (self->context_menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->context_menu));
}

static void
kinema_task_row_class_init (KinemaTaskRowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const char     *actions[] = {
        "task.play",
        "task.stop",
        "task.retry",
        "task.reuse",
        "task.continue",
        "task.extend",
        "task.save-as",
        "task.export",
        "task.open-folder",
        "task.copy-id",
        "task.compare",
        "task.remove",
        "task.details",
  };

  object_class->dispose = kinema_task_row_dispose;
  object_class->finalize = kinema_task_row_finalize;
  widget_class->size_allocate = kinema_task_row_size_allocate;
  widget_class->map = kinema_task_row_map;
  widget_class->unmap = kinema_task_row_unmap;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/kinema-task-row.ui");
  gtk_widget_class_bind_template_child (widget_class, KinemaTaskRow, thumb_stack);
  gtk_widget_class_bind_template_child (widget_class, KinemaTaskRow, thumb_picture);
  gtk_widget_class_bind_template_child (widget_class, KinemaTaskRow, prompt_label);
  gtk_widget_class_bind_template_child (widget_class, KinemaTaskRow, link_label);
  gtk_widget_class_bind_template_child (widget_class, KinemaTaskRow, meta_label);
  gtk_widget_class_bind_template_child (widget_class, KinemaTaskRow, demo_badge);
  gtk_widget_class_bind_template_child (widget_class, KinemaTaskRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, KinemaTaskRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, KinemaTaskRow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, KinemaTaskRow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, KinemaTaskRow, row_menu);

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_class_install_action (widget_class, actions[i], NULL, row_action);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

/* A finished clip can be dragged onto the story strip (kinema-story-strip.c). */
static GdkContentProvider *
on_drag_prepare (GtkDragSource *source,
                 double         x,
                 double         y,
                 KinemaTaskRow *self)
{
  if (self->task == NULL || kinema_task_get_status (self->task) != KINEMA_TASK_STATUS_SUCCEEDED ||
      kinema_task_get_video_path (self->task) == NULL)
    return NULL;
  return gdk_content_provider_new_typed (KINEMA_TYPE_TASK, self->task);
}

static void
on_drag_begin (GtkDragSource *source,
               GdkDrag       *drag,
               KinemaTaskRow *self)
{
  g_autoptr(GdkPaintable) icon = NULL;

  /* The thumbnail as the row shows it. */
  if (gtk_picture_get_paintable (self->thumb_picture) == NULL)
    return;
  icon = gtk_widget_paintable_new (GTK_WIDGET (self->thumb_picture));
  gtk_drag_source_set_icon (source, icon, gtk_widget_get_width (GTK_WIDGET (self->thumb_picture)) / 2,
                            gtk_widget_get_height (GTK_WIDGET (self->thumb_picture)) / 2);
}

static void
kinema_task_row_init (KinemaTaskRow *self)
{
  GtkGesture    *click;
  GtkGesture    *press;
  GtkDragSource *drag;

  n_created++;
  n_alive++;
  kinema_style_ensure (RESOURCE_PREFIX "/kinema-task-row.css");
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_menu_button_set_create_popup_func (self->menu_button, create_menu_popup, self, NULL);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_secondary_click), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  press = gtk_gesture_long_press_new ();
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (press), TRUE);
  g_signal_connect (press, "pressed", G_CALLBACK (on_long_press), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (press));

  drag = gtk_drag_source_new ();
  gtk_drag_source_set_actions (drag, GDK_ACTION_COPY);
  g_signal_connect (drag, "prepare", G_CALLBACK (on_drag_prepare), self);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  update_actions (self);
}

GtkWidget *
kinema_task_row_new (void)
{
  return g_object_new (KINEMA_TYPE_TASK_ROW, NULL);
}
