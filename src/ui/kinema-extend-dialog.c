/* kinema-extend-dialog.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Nothing is sent before Extend: the dialog builds the extension request
 * (kinema_request_new_extension) to show its length and price, asks the provider
 * whether it can be done now (kinema_provider_dup_extend_reason) and keeps Extend
 * insensitive with the reason shown when not. Extend hands the request to the task
 * manager once (a second click does nothing) and the dialog closes.
 *
 * Every text from elsewhere (provider name, prompts, the reason) goes into plain
 * labels and text views, never into markup.
 */

#define G_LOG_DOMAIN "kinema-extend-dialog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kinema-capabilities.h"
#include "kinema-cost-table.h"
#include "kinema-extend-dialog.h"
#include "kinema-models.h"

struct _KinemaExtendDialog
{
  AdwWindow parent_instance;

  KinemaTaskManager *manager;
  KinemaProvider    *provider;
  KinemaTask        *task;
  GSettings         *settings;
  KinemaRequest     *request;
  char              *refusal; /* the provider's reason, fixed while the dialog is open */
  char              *invalid; /* what is wrong with the prompts as typed */
  char              *cost;
  gboolean           queued;

  GtkWidget    *extend_button;
  GtkLabel     *summary_label;
  GtkWidget    *reason_box;
  GtkWidget    *kept_group;
  GtkWidget    *prompt_box;
  GtkWidget    *negative_expander;
  GtkWidget    *continue_button;
  GtkLabel     *reason_label;
  AdwActionRow *model_row;
  AdwActionRow *mode_row;
  GtkTextView  *prompt_view;
  GtkTextView  *negative_view;
  GtkLabel     *cost_label;
  GtkLabel     *limits_label;
};

G_DEFINE_FINAL_TYPE (KinemaExtendDialog, kinema_extend_dialog, ADW_TYPE_WINDOW)

enum
{
  SIGNAL_QUEUED,
  SIGNAL_CONTINUE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* "4.5", "10": seconds as people write them, in the user's locale. */
static char *
format_seconds (double seconds)
{
  return g_strdup_printf ("%.3g", seconds);
}

static char *
dup_buffer_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter    start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* The composer's words: "Free: offline demo", "About N Kling units at PROVIDER". */
static char *
dup_cost_text (KinemaExtendDialog *self)
{
  g_autofree char *table = NULL;
  const char      *name = kinema_provider_get_name (self->provider);
  char             number[G_ASCII_DTOSTR_BUF_SIZE];
  double           units;

  if (kinema_provider_get_is_demo (self->provider))
    return g_strdup (_("Free: offline demo"));
  if (self->settings != NULL)
    table = g_settings_get_string (self->settings, "cost-table");
  if (!kinema_cost_table_estimate (table, self->request, &units))
    /* Translators: %s is the provider that will be paid */
    return g_strdup_printf (_("Paid at %s; no estimate for these settings"), name);
  g_ascii_formatd (number, sizeof number, "%.4g", units);
  /* Translators: the cost estimate beside Generate. Kling units are the credits of
   * Kling's resource packs. %1$s is a number, %2$s the provider: "About 1.5 Kling units at n1n" */
  return g_strdup_printf (_("About %1$s Kling units at %2$s"), number, name);
}

static void
update_state (KinemaExtendDialog *self)
{
  const char *reason = kinema_extend_dialog_get_reason (self);

  gtk_label_set_text (self->reason_label, reason != NULL ? reason : "");
  gtk_widget_set_visible (self->reason_box, reason != NULL);
  gtk_widget_set_sensitive (self->extend_button, reason == NULL && !self->queued);
  /* what the provider's reasons suggest instead, one click away */
  gtk_widget_set_visible (self->continue_button,
                          self->refusal != NULL && kinema_task_get_status (self->task) == KINEMA_TASK_STATUS_SUCCEEDED &&
                              kinema_task_get_video_path (self->task) != NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->extend_button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  reason != NULL ? reason : self->cost, -1);
}

static void
on_prompts_changed (KinemaExtendDialog *self)
{
  g_autofree char *prompt = dup_buffer_text (self->prompt_view);
  g_autofree char *negative = dup_buffer_text (self->negative_view);
  g_autoptr(GError) error = NULL;

  kinema_request_set_prompt (self->request, prompt);
  kinema_request_set_negative_prompt (self->request, negative);
  g_clear_pointer (&self->invalid, g_free);
  if (!kinema_request_validate (self->request, &error))
    self->invalid = g_strdup (error->message);
  update_state (self);
}

static void
on_extend_clicked (KinemaExtendDialog *self)
{
  kinema_extend_dialog_extend (self);
}

static void
on_continue_clicked (KinemaExtendDialog *self)
{
  g_autoptr(KinemaTask) task = g_object_ref (self->task);

  gtk_window_close (GTK_WINDOW (self));
  g_signal_emit (self, signals[SIGNAL_CONTINUE], 0, task);
}

static void
on_cancel_clicked (KinemaExtendDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

void
kinema_extend_dialog_extend (KinemaExtendDialog *self)
{
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (KINEMA_IS_EXTEND_DIALOG (self));

  /* once: a double click or a second Enter sends nothing more */
  if (self->queued || kinema_extend_dialog_get_reason (self) != NULL)
    return;

  tasks = kinema_task_manager_generate (self->manager, self->provider, self->request, 1, &error);
  if (tasks == NULL)
    {
      /* refused before sending: say why and stay open */
      g_free (self->invalid);
      self->invalid = g_strdup (error->message);
      update_state (self);
      return;
    }

  self->queued = TRUE;
  update_state (self);
  g_signal_emit (self, signals[SIGNAL_QUEUED], 0, g_ptr_array_index (tasks, 0));
  gtk_window_close (GTK_WINDOW (self));
}

const char *
kinema_extend_dialog_get_reason (KinemaExtendDialog *self)
{
  g_return_val_if_fail (KINEMA_IS_EXTEND_DIALOG (self), NULL);
  return self->refusal != NULL ? self->refusal : self->invalid;
}

const char *
kinema_extend_dialog_get_cost (KinemaExtendDialog *self)
{
  g_return_val_if_fail (KINEMA_IS_EXTEND_DIALOG (self), NULL);
  return self->cost;
}

static void
fill (KinemaExtendDialog *self)
{
  KinemaRequest         *parent = kinema_task_get_request (self->task);
  const KinemaModelInfo *model = kinema_models_lookup (kinema_request_get_model (parent));
  double                 seconds = kinema_task_estimate_clip_seconds (self->task);
  g_autofree char       *added = format_seconds (KINEMA_EXTEND_SECONDS);
  g_autofree char       *total = format_seconds (seconds + KINEMA_EXTEND_SECONDS);
  g_autofree char       *summary = NULL;
  g_autofree char       *limits = NULL;
  g_autofree char       *max_minutes = format_seconds (KINEMA_EXTEND_MAX_TOTAL_SECONDS / 60.0);

  self->request = kinema_request_new_extension (parent, kinema_task_get_id (self->task),
                                                kinema_task_get_video_id (self->task), seconds);
  self->refusal = kinema_provider_dup_extend_reason (self->provider, self->task);

  /* Translators: %1$s is a number of seconds ("4.5"), %2$s the length of the result ("9.5") */
  summary = g_strdup_printf (_("Kling adds about %1$s seconds to the end of this clip, with the same model and "
                               "quality. The result is a new clip of about %2$s seconds; the original stays as it is."),
                                added, total);
  gtk_label_set_text (self->summary_label, summary);

  adw_action_row_set_subtitle (self->model_row, model != NULL ? model->label : kinema_request_get_model (parent));
  adw_action_row_set_subtitle (self->mode_row, kinema_mode_get_label (kinema_request_get_mode (parent)));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->prompt_view),
                            kinema_request_get_prompt (self->request) != NULL ? kinema_request_get_prompt (self->request)
                                                                              : "",
                            -1);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->negative_view),
                            kinema_request_get_negative_prompt (self->request) != NULL
                                ? kinema_request_get_negative_prompt (self->request)
                                : "",
                            -1);

  self->cost = dup_cost_text (self);
  gtk_label_set_text (self->cost_label, self->cost);

  /* Kling docs, "Video Extension": at most 3 minutes in all; videos are deleted after 30 days.
   * Translators: %1$s is a number of minutes ("3"), %2$d a number of days ("30") */
  limits = g_strdup_printf (_("An extended clip can be at most %1$s minutes long, and Kling extends only clips "
                              "it made in the last %2$d days."),
                               max_minutes, KINEMA_EXTEND_MAX_AGE_DAYS);
  gtk_label_set_text (self->limits_label, limits);

  g_signal_connect_object (gtk_text_view_get_buffer (self->prompt_view), "changed", G_CALLBACK (on_prompts_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->negative_view), "changed",
                           G_CALLBACK (on_prompts_changed), self, G_CONNECT_SWAPPED);
  on_prompts_changed (self);

  /* A clip this provider cannot extend: no promise of what Kling adds and no form to
   * fill in, only the reason and what to do instead. */
  if (self->refusal != NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->summary_label), FALSE);
      gtk_widget_set_visible (self->kept_group, FALSE);
      gtk_widget_set_visible (self->prompt_box, FALSE);
      gtk_widget_set_visible (self->negative_expander, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->cost_label), FALSE);
      /* as tall as what is left, not the form's height */
      gtk_window_set_default_size (GTK_WINDOW (self), 460, -1);
    }
}

static void
kinema_extend_dialog_dispose (GObject *object)
{
  KinemaExtendDialog *self = KINEMA_EXTEND_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), KINEMA_TYPE_EXTEND_DIALOG);
  g_clear_object (&self->manager);
  g_clear_object (&self->provider);
  g_clear_object (&self->task);
  g_clear_object (&self->settings);
  g_clear_object (&self->request);

  G_OBJECT_CLASS (kinema_extend_dialog_parent_class)->dispose (object);
}

static void
kinema_extend_dialog_finalize (GObject *object)
{
  KinemaExtendDialog *self = KINEMA_EXTEND_DIALOG (object);

  g_free (self->refusal);
  g_free (self->invalid);
  g_free (self->cost);

  G_OBJECT_CLASS (kinema_extend_dialog_parent_class)->finalize (object);
}

static void
kinema_extend_dialog_class_init (KinemaExtendDialogClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kinema_extend_dialog_dispose;
  object_class->finalize = kinema_extend_dialog_finalize;

  /**
   * KinemaExtendDialog::queued:
   * @task: the new extension job
   *
   * The job is stored and being sent; the dialog closes right after.
   */
  signals[SIGNAL_QUEUED] = g_signal_new ("queued", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST | G_SIGNAL_NO_RECURSE | G_SIGNAL_NO_HOOKS, 0, NULL, NULL,
                                         NULL, G_TYPE_NONE, 1, KINEMA_TYPE_TASK);

  /**
   * KinemaExtendDialog::continue:
   * @task: the clip that cannot be extended
   *
   * "Continue From the Last Frame" instead, offered with the provider's reason; the
   * dialog has closed.
   */
  signals[SIGNAL_CONTINUE] = g_signal_new ("continue", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST | G_SIGNAL_NO_RECURSE | G_SIGNAL_NO_HOOKS, 0, NULL,
                                           NULL, NULL, G_TYPE_NONE, 1, KINEMA_TYPE_TASK);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/kinema-extend-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, KinemaExtendDialog, extend_button);
  gtk_widget_class_bind_template_child (widget_class, KinemaExtendDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, KinemaExtendDialog, reason_box);
  gtk_widget_class_bind_template_child (widget_class, KinemaExtendDialog, kept_group);
  gtk_widget_class_bind_template_child (widget_class, KinemaExtendDialog, prompt_box);
  gtk_widget_class_bind_template_child (widget_class, KinemaExtendDialog, negative_expander);
  gtk_widget_class_bind_template_child (widget_class, KinemaExtendDialog, reason_label);
  gtk_widget_class_bind_template_child (widget_class, KinemaExtendDialog, continue_button);
  gtk_widget_class_bind_template_child (widget_class, KinemaExtendDialog, model_row);
  gtk_widget_class_bind_template_child (widget_class, KinemaExtendDialog, mode_row);
  gtk_widget_class_bind_template_child (widget_class, KinemaExtendDialog, prompt_view);
  gtk_widget_class_bind_template_child (widget_class, KinemaExtendDialog, negative_view);
  gtk_widget_class_bind_template_child (widget_class, KinemaExtendDialog, cost_label);
  gtk_widget_class_bind_template_child (widget_class, KinemaExtendDialog, limits_label);
  gtk_widget_class_bind_template_callback (widget_class, on_extend_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_continue_clicked);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
kinema_extend_dialog_init (KinemaExtendDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
kinema_extend_dialog_new (GtkWindow         *parent,
                          KinemaTaskManager *manager,
                          KinemaProvider    *provider,
                          KinemaTask        *task,
                          GSettings         *settings)
{
  KinemaExtendDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (KINEMA_IS_TASK_MANAGER (manager), NULL);
  g_return_val_if_fail (KINEMA_IS_PROVIDER (provider), NULL);
  g_return_val_if_fail (KINEMA_IS_TASK (task), NULL);
  g_return_val_if_fail (kinema_task_get_request (task) != NULL, NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (KINEMA_TYPE_EXTEND_DIALOG, "transient-for", parent, NULL);
  self->manager = g_object_ref (manager);
  self->provider = g_object_ref (provider);
  self->task = g_object_ref (task);
  self->settings = settings != NULL ? g_object_ref (settings) : NULL;
  fill (self);
  /* the prompt is what the user may want to change first; Extend is a click away.
   * Refused: what the reason suggests instead (or Cancel) has the keyboard. */
  if (self->refusal == NULL)
    gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->prompt_view));
  else if (gtk_widget_get_visible (self->continue_button))
    gtk_window_set_focus (GTK_WINDOW (self), self->continue_button);
  return GTK_WIDGET (self);
}
