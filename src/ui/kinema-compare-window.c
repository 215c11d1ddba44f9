/* kinema-compare-window.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two KinemaPlayers, one transport. Every command goes to both. While they play, a
 * light timer keeps the right clip on the left one's position: when they drift apart
 * by more than two frames (separate pipelines, separate prerolls) the right one is
 * re-seeked. Clips of different lengths each loop on their own; the correction only
 * applies where both have pictures.
 */

#define G_LOG_DOMAIN "kinema-compare-window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kinema-compare-window.h"
#include "kinema-style.h"

#define NS_PER_SECOND G_GINT64_CONSTANT (1000000000)
#define SYNC_INTERVAL_MS 250

struct _KinemaCompareWindow
{
  AdwWindow parent_instance;

  KinemaPlayer *players[2];
  KinemaTask   *tasks[2];
  guint         sync_timer;
  guint         scrub_hold;

  GtkPicture    *picture_a;
  GtkPicture    *picture_b;
  GtkWidget     *badge_a;
  GtkWidget     *badge_b;
  GtkLabel      *caption_a;
  GtkLabel      *caption_b;
  GtkButton     *play_button;
  GtkScale      *scrub;
  GtkAdjustment *scrub_adjustment;
  GtkLabel      *time_label;
};

G_DEFINE_FINAL_TYPE (KinemaCompareWindow, kinema_compare_window, ADW_TYPE_WINDOW)

static gint64
longest_duration (KinemaCompareWindow *self)
{
  return MAX (kinema_player_get_duration (self->players[0]), kinema_player_get_duration (self->players[1]));
}

static gboolean
both_ready (KinemaCompareWindow *self)
{
  for (guint i = 0; i < 2; i++)
    {
      KinemaPlayerState state = kinema_player_get_state (self->players[i]);

      if (state != KINEMA_PLAYER_STATE_PAUSED && state != KINEMA_PLAYER_STATE_PLAYING)
        return FALSE;
    }
  return TRUE;
}

static void
update_controls (KinemaCompareWindow *self)
{
  gboolean    playing = kinema_player_get_playing (self->players[0]) || kinema_player_get_playing (self->players[1]);
  gboolean    ready = both_ready (self);
  const char *label = playing ? _("Pause both") : _("Play both");

  gtk_button_set_icon_name (self->play_button,
                            playing ? "media-playback-pause-symbolic" : "media-playback-start-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->play_button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.toggle", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.step", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.seek", ready);
  gtk_widget_set_sensitive (GTK_WIDGET (self->scrub), ready);
}

static void
update_position (KinemaCompareWindow *self)
{
  gint64           position = kinema_player_get_position (self->players[0]);
  gint64           tenths = position / (NS_PER_SECOND / 10);
  gint64           duration = longest_duration (self);
  g_autofree char *text = NULL;

  gtk_adjustment_set_upper (self->scrub_adjustment, duration > 0 ? (double) duration / NS_PER_SECOND : 1.0);
  if (self->scrub_hold == 0)
    gtk_adjustment_set_value (self->scrub_adjustment, (double) position / NS_PER_SECOND);
  text = g_strdup_printf ("%" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT ".%" G_GINT64_FORMAT, tenths / 600,
                          (tenths / 10) % 60, tenths % 10);
  gtk_label_set_label (self->time_label, text);
}

/* ----- commands ----- */

static void
seek_both (KinemaCompareWindow *self,
           gint64               position)
{
  for (guint i = 0; i < 2; i++)
    kinema_player_seek (self->players[i], position);
}

static gboolean
on_sync (gpointer user_data)
{
  KinemaCompareWindow *self = user_data;
  gint64               a = kinema_player_get_position (self->players[0]);
  gint64               b = kinema_player_get_position (self->players[1]);
  gint64               end_b = kinema_player_get_duration (self->players[1]);
  double               fps = kinema_player_get_framerate (self->players[0]);
  gint64               tolerance = fps > 0 ? (gint64) (2 * NS_PER_SECOND / fps) : NS_PER_SECOND / 10;

  if (!kinema_player_get_playing (self->players[0]) || !kinema_player_get_playing (self->players[1]))
    return G_SOURCE_CONTINUE;
  /* Near either end a loop may just be happening: leave it. */
  if (end_b <= 0 || a < tolerance || a > end_b - 2 * tolerance)
    return G_SOURCE_CONTINUE;
  if (ABS (a - b) > tolerance)
    kinema_player_seek (self->players[1], a);
  return G_SOURCE_CONTINUE;
}

static void
play_both (KinemaCompareWindow *self,
           gboolean             play)
{
  for (guint i = 0; i < 2; i++)
    {
      if (play)
        kinema_player_play (self->players[i]);
      else
        kinema_player_pause (self->players[i]);
    }
  if (play && self->sync_timer == 0)
    self->sync_timer = g_timeout_add (SYNC_INTERVAL_MS, on_sync, self);
  else if (!play)
    {
      g_clear_handle_id (&self->sync_timer, g_source_remove);
      /* Paused: both on the same frame. */
      seek_both (self, kinema_player_get_position (self->players[0]));
    }
  update_controls (self);
}

static void
action_toggle (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  KinemaCompareWindow *self = KINEMA_COMPARE_WINDOW (widget);

  play_both (self, !kinema_player_get_playing (self->players[0]));
}

static void
action_step (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  KinemaCompareWindow *self = KINEMA_COMPARE_WINDOW (widget);
  int                  frames = g_variant_get_int32 (param);

  if (kinema_player_get_playing (self->players[0]) || kinema_player_get_playing (self->players[1]))
    play_both (self, FALSE);
  for (guint i = 0; i < 2; i++)
    kinema_player_step (self->players[i], frames);
}

static void
action_seek (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  seek_both (KINEMA_COMPARE_WINDOW (widget), g_variant_get_int64 (param));
}

static gboolean
on_scrub_hold_done (gpointer user_data)
{
  KinemaCompareWindow *self = user_data;

  self->scrub_hold = 0;
  return G_SOURCE_REMOVE;
}

static gboolean
on_scrub_change_value_cb (KinemaCompareWindow *self,
                          GtkScrollType        scroll,
                          double               value)
{
  g_clear_handle_id (&self->scrub_hold, g_source_remove);
  self->scrub_hold = g_timeout_add (300, on_scrub_hold_done, self);
  seek_both (self, (gint64) (MAX (value, 0.0) * NS_PER_SECOND));
  return FALSE;
}

/* ----- setup ----- */

static void
on_player_error (KinemaCompareWindow *self,
                 const GError        *error,
                 KinemaPlayer        *player)
{
  GtkLabel *caption = player == self->players[0] ? self->caption_a : self->caption_b;

  gtk_label_set_label (caption, error->message);
}

static void
set_task (KinemaCompareWindow *self,
          guint                index,
          KinemaTask          *task)
{
  GtkLabel   *caption = index == 0 ? self->caption_a : self->caption_b;
  GtkWidget  *badge = index == 0 ? self->badge_a : self->badge_b;
  const char *prompt = kinema_task_get_prompt (task);
  const char *video = kinema_task_get_video_path (task);

  self->tasks[index] = g_object_ref (task);
  gtk_label_set_label (caption, prompt != NULL && *prompt != '\0' ? prompt : _("Clip without a prompt"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (caption), prompt);
  gtk_widget_set_visible (badge, kinema_task_get_is_demo (task));

  if (kinema_task_get_status (task) == KINEMA_TASK_STATUS_SUCCEEDED && video != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (video);

      kinema_player_open_file (self->players[index], file);
    }
  else
    gtk_label_set_label (caption, _("This clip is not ready yet."));
}

static void
kinema_compare_window_dispose (GObject *object)
{
  KinemaCompareWindow *self = KINEMA_COMPARE_WINDOW (object);

  g_clear_handle_id (&self->sync_timer, g_source_remove);
  g_clear_handle_id (&self->scrub_hold, g_source_remove);
  for (guint i = 0; i < 2; i++)
    {
      if (self->players[i] != NULL)
        {
          g_signal_handlers_disconnect_by_data (self->players[i], self);
          kinema_player_close (self->players[i]);
        }
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), KINEMA_TYPE_COMPARE_WINDOW);
  for (guint i = 0; i < 2; i++)
    {
      g_clear_object (&self->players[i]);
      g_clear_object (&self->tasks[i]);
    }

  G_OBJECT_CLASS (kinema_compare_window_parent_class)->dispose (object);
}

static void
kinema_compare_window_class_init (KinemaCompareWindowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kinema_compare_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/kinema-compare-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KinemaCompareWindow, picture_a);
  gtk_widget_class_bind_template_child (widget_class, KinemaCompareWindow, picture_b);
  gtk_widget_class_bind_template_child (widget_class, KinemaCompareWindow, badge_a);
  gtk_widget_class_bind_template_child (widget_class, KinemaCompareWindow, badge_b);
  gtk_widget_class_bind_template_child (widget_class, KinemaCompareWindow, caption_a);
  gtk_widget_class_bind_template_child (widget_class, KinemaCompareWindow, caption_b);
  gtk_widget_class_bind_template_child (widget_class, KinemaCompareWindow, play_button);
  gtk_widget_class_bind_template_child (widget_class, KinemaCompareWindow, scrub);
  gtk_widget_class_bind_template_child (widget_class, KinemaCompareWindow, scrub_adjustment);
  gtk_widget_class_bind_template_child (widget_class, KinemaCompareWindow, time_label);
  gtk_widget_class_bind_template_callback (widget_class, on_scrub_change_value_cb);

  gtk_widget_class_install_action (widget_class, "compare.toggle", NULL, action_toggle);
  gtk_widget_class_install_action (widget_class, "compare.step", "i", action_step);
  gtk_widget_class_install_action (widget_class, "compare.seek", "x", action_seek);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "compare.toggle", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, 0, "compare.toggle", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_period, 0, "compare.step", "i", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_comma, 0, "compare.step", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
kinema_compare_window_init (KinemaCompareWindow *self)
{
  kinema_style_ensure (RESOURCE_PREFIX "/kinema-player-view.css");
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < 2; i++)
    {
      self->players[i] = kinema_player_new ();
      g_signal_connect_swapped (self->players[i], "notify::state", G_CALLBACK (update_controls), self);
      g_signal_connect_swapped (self->players[i], "notify::duration", G_CALLBACK (update_position), self);
      g_signal_connect_object (self->players[i], "error", G_CALLBACK (on_player_error), self, G_CONNECT_SWAPPED);
    }
  /* The left clip leads the time display. */
  g_signal_connect_swapped (self->players[0], "notify::position", G_CALLBACK (update_position), self);
  gtk_picture_set_paintable (self->picture_a, kinema_player_get_paintable (self->players[0]));
  gtk_picture_set_paintable (self->picture_b, kinema_player_get_paintable (self->players[1]));
  update_controls (self);
}

GtkWidget *
kinema_compare_window_new (GtkWindow  *parent,
                           KinemaTask *a,
                           KinemaTask *b)
{
  KinemaCompareWindow *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (KINEMA_IS_TASK (a), NULL);
  g_return_val_if_fail (KINEMA_IS_TASK (b), NULL);

  self = g_object_new (KINEMA_TYPE_COMPARE_WINDOW, "transient-for", parent, NULL);
  set_task (self, 0, a);
  set_task (self, 1, b);
  return GTK_WIDGET (self);
}

KinemaPlayer *
kinema_compare_window_get_player (KinemaCompareWindow *self,
                                  guint                index)
{
  g_return_val_if_fail (KINEMA_IS_COMPARE_WINDOW (self), NULL);
  g_return_val_if_fail (index < 2, NULL);

  return self->players[index];
}
