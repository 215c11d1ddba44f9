/* kinema-player-view.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The view owns one KinemaPlayer for its whole life and shows its paintable; opening
 * another clip reuses it. Everything the controls do goes through widget actions
 * (player.*), so buttons, menus and shortcuts share one enabled state.
 *
 * Fullscreen shows the same paintable in a separate fullscreen window: nothing is
 * reparented, and closing that window can never take the player with it.
 *
 * Teardown: dispose closes the fullscreen window, drops the task's signal handlers,
 * cancels pending file work and then drops the player, which stops its pipeline
 * before anything is freed (kinema-player.c).
 */

#define G_LOG_DOMAIN "kinema-player-view"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "kinema-export-dialog.h"
#include "kinema-player-view-private.h"
#include "kinema-style.h"
#include "kinema-thumbnailer.h"

/* The start image shown while a job runs. */
#define STATUS_IMAGE_SIZE 512
#define NS_PER_SECOND G_GINT64_CONSTANT (1000000000)
/* After the last move of the scrub bar, position updates take over again. */
#define SCRUB_HOLD_MS 300

struct _KinemaPlayerView
{
  GtkWidget parent_instance;

  KinemaPlayer *player;
  KinemaTask   *task;
  gulong        task_notify_id;
  gboolean      offers_extend;     /* the task's provider has Kling's video extension */
  GCancellable *cancellable;       /* file choosers, copies, frame saves */
  GCancellable *image_cancellable; /* the start image on the status page */
  char         *status_image;
  GtkWidget    *fullscreen_window;
  GtkWidget    *fullscreen_controls; /* a GtkRevealer over the fullscreen video */
  GtkWidget    *fullscreen_play;
  guint         fullscreen_hide_id;
  guint         fullscreen_hide_ms;
  gboolean      autoplay;
  guint         scrub_hold; /* the user moves the scale */
  gint64        in_point;   /* ns, -1: none (issue 14: trim for export) */
  gint64        out_point;
  char         *points_uri; /* the clip the points belong to */

  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  AdwStatusPage   *status_page;
  AdwStatusPage   *error_page;
  GtkWidget       *video_overlay;
  GtkPicture      *picture;
  GtkWidget       *demo_badge;
  GtkScale        *scrub;
  GtkAdjustment   *scrub_adjustment;
  GtkLabel        *time_label;
  GtkLabel        *info_label;
  GtkButton       *play_button;
  GtkMenuButton   *speed_button;
  GtkToggleButton *mute_button;
};

enum
{
  PROP_0,
  PROP_LOOP,
  PROP_MUTED,
  PROP_RATE,
  N_PROPS
};

enum
{
  SIGNAL_USE_FRAME,
  SIGNAL_CONTINUE,
  SIGNAL_EXTEND,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint       signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (KinemaPlayerView, kinema_player_view, GTK_TYPE_WIDGET)

static void update_task (KinemaPlayerView *self);

/* ---------------------------------------------------------------------------------- */
/* Labels and state                                                                   */

static char *
format_time (gint64 ns)
{
  gint64 tenths = MAX (ns, 0) / (NS_PER_SECOND / 10);

  return g_strdup_printf ("%" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT ".%" G_GINT64_FORMAT, tenths / 600,
                          (tenths / 10) % 60, tenths % 10);
}

static char *
format_rate (double rate)
{
  /* "0.25×", "1×", "1.5×" */
  g_autofree char *number = g_strdup_printf ("%.2f", rate);
  char            *end = number + strlen (number) - 1;

  while (*end == '0')
    *end-- = '\0';
  if (*end == '.')
    *end = '\0';
  return g_strdup_printf ("%s×", number);
}

/* In and out points belong to one clip (or story): another one clears them. */
static void
check_points (KinemaPlayerView *self)
{
  const char *uri = kinema_player_get_uri (self->player);

  if (g_strcmp0 (uri, self->points_uri) == 0)
    return;
  g_free (self->points_uri);
  self->points_uri = g_strdup (uri);
  self->in_point = self->out_point = -1;
}

static void
update_time_label (KinemaPlayerView *self)
{
  g_autofree char *position = format_time (kinema_player_get_position (self->player));
  g_autofree char *duration = format_time (MAX (kinema_player_get_duration (self->player), 0));
  g_autofree char *text = NULL;

  check_points (self);
  if (self->in_point >= 0 || self->out_point >= 0)
    {
      g_autofree char *in = format_time (MAX (self->in_point, 0));
      g_autofree char *out = format_time (self->out_point >= 0 ? self->out_point
                                                               : MAX (kinema_player_get_duration (self->player), 0));

      /* Translators: position / length, then the in and out points set for export. */
      text = g_strdup_printf (_("%s / %s · in %s, out %s"), position, duration, in, out);
    }
  else
    text = g_strdup_printf ("%s / %s", position, duration);

  gtk_label_set_label (self->time_label, text);
}

static void
update_info_label (KinemaPlayerView *self)
{
  int              width = kinema_player_get_width (self->player);
  int              height = kinema_player_get_height (self->player);
  double           fps = kinema_player_get_framerate (self->player);
  g_autofree char *text = NULL;

  if (width <= 0 || height <= 0)
    text = g_strdup ("");
  else if (fps <= 0)
    text = g_strdup_printf ("%d×%d", width, height);
  else
    {
      g_autofree char *rate = g_strdup_printf ("%.2f", fps);
      char            *end = rate + strlen (rate) - 1;

      while (*end == '0')
        *end-- = '\0';
      if (*end == '.')
        *end = '\0';
      /* Translators: resolution and frame rate, "1280×720 · 24 fps". */
      text = g_strdup_printf (_("%d×%d · %s fps"), width, height, rate);
    }
  gtk_label_set_label (self->info_label, text);
}

static void
update_actions (KinemaPlayerView *self)
{
  KinemaPlayerState state = kinema_player_get_state (self->player);
  gboolean          ready = state == KINEMA_PLAYER_STATE_PAUSED || state == KINEMA_PLAYER_STATE_PLAYING;
  gboolean          has_file = kinema_player_get_uri (self->player) != NULL && state != KINEMA_PLAYER_STATE_EMPTY;
  g_auto (GStrv) files = kinema_player_dup_files (self->player);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "player.toggle", ready || state == KINEMA_PLAYER_STATE_LOADING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "player.step", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "player.fullscreen", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "player.unfullscreen", self->fullscreen_window != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "player.save-frame", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "player.use-frame", ready);
  /* A story (several files) is saved with Export, not copied. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "player.save-video",
                                 has_file && state != KINEMA_PLAYER_STATE_ERROR && files != NULL && files[1] == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "player.set-in", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "player.set-out", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "player.export", ready && files != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "player.extend",
                                 self->offers_extend && self->task != NULL &&
                                     kinema_task_get_status (self->task) == KINEMA_TASK_STATUS_SUCCEEDED);
  gtk_widget_set_sensitive (GTK_WIDGET (self->scrub), ready);
}

static void
update_play_button (KinemaPlayerView *self)
{
  gboolean         playing = kinema_player_get_playing (self->player);
  const char      *label = playing ? _("Pause") : _("Play");
  g_autofree char *tooltip = g_strdup_printf ("%s (%s)", label, _("Space"));

  gtk_button_set_icon_name (self->play_button,
                            playing ? "media-playback-pause-symbolic" : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button), tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->play_button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
show_page (KinemaPlayerView *self,
           const char       *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
}

/* ---------------------------------------------------------------------------------- */
/* Player signals                                                                     */

static void sync_fullscreen_play (KinemaPlayerView *self);

static void
on_player_state (KinemaPlayerView *self)
{
  KinemaPlayerState state = kinema_player_get_state (self->player);

  switch (state)
    {
    case KINEMA_PLAYER_STATE_LOADING:
    case KINEMA_PLAYER_STATE_PAUSED:
    case KINEMA_PLAYER_STATE_PLAYING:
      show_page (self, "player");
      break;
    case KINEMA_PLAYER_STATE_ERROR:
      show_page (self, "error");
      break;
    case KINEMA_PLAYER_STATE_EMPTY:
    default:
      break;
    }
  update_play_button (self);
  sync_fullscreen_play (self);
  update_actions (self);
}

static void
on_player_error (KinemaPlayerView *self,
                 const GError     *error)
{
  g_autofree char *escaped = g_markup_escape_text (error->message, -1);

  /* A status page's description is markup; the message may carry remote text. */
  adw_status_page_set_description (self->error_page, escaped);
  show_page (self, "error");
}

static void
on_player_position (KinemaPlayerView *self)
{
  double seconds = (double) kinema_player_get_position (self->player) / NS_PER_SECOND;

  /* While the user drags, the scale is theirs; the player follows it. */
  if (self->scrub_hold == 0)
    gtk_adjustment_set_value (self->scrub_adjustment, seconds);
  update_time_label (self);
}

static void
on_player_duration (KinemaPlayerView *self)
{
  gint64 duration = kinema_player_get_duration (self->player);
  double fps = kinema_player_get_framerate (self->player);
  double seconds = duration > 0 ? (double) duration / NS_PER_SECOND : 1.0;

  gtk_adjustment_configure (self->scrub_adjustment, gtk_adjustment_get_value (self->scrub_adjustment), 0.0,
                            seconds, fps > 0 ? 1.0 / fps : 0.04, 1.0, 0.0);
  update_time_label (self);
}

static void
on_player_info (KinemaPlayerView *self)
{
  update_info_label (self);
  on_player_duration (self);
}

static void
on_player_rate (KinemaPlayerView *self)
{
  g_autofree char *label = format_rate (kinema_player_get_rate (self->player));

  gtk_menu_button_set_label (self->speed_button, label);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE]);
}

static void
on_player_loop (KinemaPlayerView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOOP]);
}

static void
on_player_muted (KinemaPlayerView *self)
{
  gboolean muted = kinema_player_get_muted (self->player);

  gtk_button_set_icon_name (GTK_BUTTON (self->mute_button),
                            muted ? "audio-volume-muted-symbolic" : "audio-volume-high-symbolic");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MUTED]);
}

/* ---------------------------------------------------------------------------------- */
/* Scrub bar                                                                          */

static gboolean
on_scrub_hold_done (gpointer user_data)
{
  KinemaPlayerView *self = user_data;

  self->scrub_hold = 0;
  return G_SOURCE_REMOVE;
}

static gboolean
on_scrub_change_value_cb (KinemaPlayerView *self,
                          GtkScrollType     scroll,
                          double            value)
{
  double upper = gtk_adjustment_get_upper (self->scrub_adjustment);

  g_clear_handle_id (&self->scrub_hold, g_source_remove);
  self->scrub_hold = g_timeout_add (SCRUB_HOLD_MS, on_scrub_hold_done, self);

  value = CLAMP (value, 0.0, upper);
  /* Accurate seeks; the player folds those that come faster than it can show them. */
  kinema_player_seek (self->player, (gint64) (value * NS_PER_SECOND));
  return FALSE;
}

/* ---------------------------------------------------------------------------------- */
/* Video area                                                                         */

static void
on_video_pressed (GtkGestureClick  *gesture,
                  int               n_press,
                  double            x,
                  double            y,
                  KinemaPlayerView *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (n_press == 2)
    gtk_widget_activate_action (GTK_WIDGET (self), "player.fullscreen", NULL);
  else if (n_press == 1)
    kinema_player_toggle (self->player);
}

/* ---------------------------------------------------------------------------------- */
/* Fullscreen                                                                         */

static void
leave_fullscreen (KinemaPlayerView *self)
{
  GtkWidget *window = g_steal_pointer (&self->fullscreen_window);

  if (window == NULL)
    return;
  g_clear_handle_id (&self->fullscreen_hide_id, g_source_remove);
  self->fullscreen_controls = NULL;
  self->fullscreen_play = NULL;
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  update_actions (self);
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

static gboolean
on_fullscreen_close_request (KinemaPlayerView *self)
{
  leave_fullscreen (self);
  return TRUE;
}

static gboolean
fullscreen_shortcut (GtkWidget *widget,
                     GVariant  *args,
                     gpointer   user_data)
{
  KinemaPlayerView *self = user_data;
  const char       *what = g_variant_get_string (args, NULL);

  if (g_str_equal (what, "leave"))
    leave_fullscreen (self);
  else if (g_str_equal (what, "toggle"))
    kinema_player_toggle (self->player);
  else if (g_str_equal (what, "next"))
    kinema_player_step (self->player, 1);
  else if (g_str_equal (what, "previous"))
    kinema_player_step (self->player, -1);
  else if (g_str_equal (what, "mute"))
    kinema_player_set_muted (self->player, !kinema_player_get_muted (self->player));
  return TRUE;
}

static void
add_fullscreen_shortcut (GtkShortcutController *controller,
                         const char            *accelerator,
                         const char            *what,
                         KinemaPlayerView      *self)
{
  GtkShortcut *shortcut = gtk_shortcut_new (gtk_shortcut_trigger_parse_string (accelerator),
                                            gtk_callback_action_new (fullscreen_shortcut, self, NULL));

  gtk_shortcut_set_arguments (shortcut, g_variant_new_string (what));
  gtk_shortcut_controller_add_shortcut (controller, shortcut);
}

static void
on_fullscreen_video_pressed (GtkGestureClick  *gesture,
                             int               n_press,
                             double            x,
                             double            y,
                             KinemaPlayerView *self)
{
  if (n_press == 2)
    leave_fullscreen (self);
  else if (n_press == 1)
    kinema_player_toggle (self->player);
}

#define FULLSCREEN_HIDE_MS 2500

static void
sync_fullscreen_play (KinemaPlayerView *self)
{
  gboolean playing;

  if (self->fullscreen_play == NULL)
    return;
  playing = kinema_player_get_playing (self->player);
  gtk_button_set_icon_name (GTK_BUTTON (self->fullscreen_play),
                            playing ? "media-playback-pause-symbolic" : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (self->fullscreen_play, playing ? _("Pause") : _("Play"));
}

static gboolean
hide_fullscreen_controls (gpointer user_data)
{
  KinemaPlayerView *self = user_data;

  self->fullscreen_hide_id = 0;
  if (self->fullscreen_controls == NULL)
    return G_SOURCE_REMOVE;
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->fullscreen_controls), FALSE);
  gtk_widget_set_cursor_from_name (self->fullscreen_window, "none");
  return G_SOURCE_REMOVE;
}

/* Any motion shows the controls and the pointer; a pause hides them again. */
static void
show_fullscreen_controls (KinemaPlayerView *self)
{
  if (self->fullscreen_controls == NULL)
    return;
  sync_fullscreen_play (self);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->fullscreen_controls), TRUE);
  gtk_widget_set_cursor (self->fullscreen_window, NULL);
  g_clear_handle_id (&self->fullscreen_hide_id, g_source_remove);
  self->fullscreen_hide_id = g_timeout_add (self->fullscreen_hide_ms, hide_fullscreen_controls, self);
}

static void
on_fullscreen_motion (GtkEventControllerMotion *motion,
                      double                    x,
                      double                    y,
                      KinemaPlayerView         *self)
{
  show_fullscreen_controls (self);
}

static void
on_fullscreen_play_clicked (KinemaPlayerView *self)
{
  kinema_player_toggle (self->player);
  show_fullscreen_controls (self);
}

static gboolean
leave_fullscreen_idle (gpointer user_data)
{
  leave_fullscreen (user_data);
  return G_SOURCE_REMOVE;
}

/* Not from inside the click on a widget of the window that goes away. */
static void
on_leave_clicked (KinemaPlayerView *self)
{
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, leave_fullscreen_idle, g_object_ref (self), g_object_unref);
}

static GtkWidget *
make_fullscreen_controls (KinemaPlayerView *self)
{
  GtkWidget *revealer, *bar, *leave;

  self->fullscreen_play = gtk_button_new_from_icon_name ("media-playback-pause-symbolic");
  gtk_widget_add_css_class (self->fullscreen_play, "circular");
  g_signal_connect_swapped (self->fullscreen_play, "clicked", G_CALLBACK (on_fullscreen_play_clicked), self);

  leave = gtk_button_new_from_icon_name ("view-restore-symbolic");
  gtk_widget_add_css_class (leave, "circular");
  gtk_widget_set_tooltip_text (leave, _("Leave Fullscreen"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (leave), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Leave Fullscreen"), -1);
  gtk_widget_set_name (leave, "kinema-leave-fullscreen");
  g_signal_connect_swapped (leave, "clicked", G_CALLBACK (on_leave_clicked), self);

  bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (bar, "osd");
  gtk_widget_add_css_class (bar, "toolbar");
  gtk_widget_set_halign (bar, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_bottom (bar, 24);
  gtk_box_append (GTK_BOX (bar), self->fullscreen_play);
  gtk_box_append (GTK_BOX (bar), leave);

  revealer = gtk_revealer_new ();
  gtk_revealer_set_transition_type (GTK_REVEALER (revealer), GTK_REVEALER_TRANSITION_TYPE_CROSSFADE);
  gtk_widget_set_valign (revealer, GTK_ALIGN_END);
  gtk_revealer_set_child (GTK_REVEALER (revealer), bar);
  return revealer;
}

static void
enter_fullscreen (KinemaPlayerView *self)
{
  GtkWidget          *window, *picture, *overlay;
  GtkEventController *controller;
  GtkGesture         *click;
  GtkRoot            *root;

  if (self->fullscreen_window != NULL)
    return;

  window = gtk_window_new ();
  self->fullscreen_window = g_object_ref_sink (window);
  gtk_window_set_title (GTK_WINDOW (window), _("Clip"));
  gtk_widget_add_css_class (window, "kinema-video");
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));

  picture = gtk_picture_new_for_paintable (kinema_player_get_paintable (self->player));
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_CONTAIN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (picture), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Video"), -1);
  /* The controls: shown on motion, hidden after a pause (issue 12 point 9). The leave
   * button is in the same window, so its action is looked up from here. */
  overlay = gtk_overlay_new ();
  gtk_overlay_set_child (GTK_OVERLAY (overlay), picture);
  self->fullscreen_controls = make_fullscreen_controls (self);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), self->fullscreen_controls);
  gtk_window_set_child (GTK_WINDOW (window), overlay);
  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (on_fullscreen_motion), self);
  gtk_widget_add_controller (window, controller);

  controller = gtk_shortcut_controller_new ();
  add_fullscreen_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "Escape", "leave", self);
  add_fullscreen_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "f", "leave", self);
  add_fullscreen_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "space", "toggle", self);
  add_fullscreen_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "k", "toggle", self);
  add_fullscreen_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "period", "next", self);
  add_fullscreen_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "comma", "previous", self);
  add_fullscreen_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "m", "mute", self);
  gtk_widget_add_controller (window, controller);

  click = gtk_gesture_click_new ();
  g_signal_connect (click, "pressed", G_CALLBACK (on_fullscreen_video_pressed), self);
  gtk_widget_add_controller (picture, GTK_EVENT_CONTROLLER (click));

  g_signal_connect_swapped (window, "close-request", G_CALLBACK (on_fullscreen_close_request), self);
  gtk_window_fullscreen (GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (window));
  show_fullscreen_controls (self);
  update_actions (self);
}

/* ---------------------------------------------------------------------------------- */
/* Frames and files                                                                   */

static void
toast (KinemaPlayerView *self,
       const char       *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast        *t = adw_toast_new (escaped);

  adw_toast_set_timeout (t, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

/* A short name for files made from the clip: the video's own name without extension. */
static char *
dup_clip_stem (KinemaPlayerView *self)
{
  const char *uri = kinema_player_get_uri (self->player);
  g_autoptr(GFile) file = NULL;
  g_autofree char *base = NULL;
  char            *dot;

  if (uri == NULL)
    return g_strdup ("clip");
  file = g_file_new_for_uri (uri);
  base = g_file_get_basename (file);
  if (base == NULL)
    return g_strdup ("clip");
  dot = strrchr (base, '.');
  if (dot != NULL && dot != base)
    *dot = '\0';
  return g_steal_pointer (&base);
}

typedef struct
{
  KinemaPlayerView *self; /* a reference */
  char             *path;
  gboolean          as_end;
  gboolean          emit; /* use-frame; otherwise a toast */
} FrameSave;

static void
frame_save_free (FrameSave *save)
{
  g_object_unref (save->self);
  g_free (save->path);
  g_free (save);
}

static void
on_frame_saved (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  FrameSave *save = user_data;
  g_autoptr(GError) error = NULL;

  if (!kinema_player_save_frame_finish (KINEMA_PLAYER (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (save->self, error->message);
    }
  else if (save->emit)
    g_signal_emit (save->self, signals[SIGNAL_USE_FRAME], 0, save->path, save->as_end);
  else
    toast (save->self, _("Frame saved"));
  frame_save_free (save);
}

static void
save_frame_to (KinemaPlayerView *self,
               const char       *path,
               gboolean          emit,
               gboolean          as_end)
{
  FrameSave *save = g_new0 (FrameSave, 1);

  save->self = g_object_ref (self);
  save->path = g_strdup (path);
  save->emit = emit;
  save->as_end = as_end;
  kinema_player_save_frame_async (self->player, path, self->cancellable, on_frame_saved, save);
}

static void
use_frame (KinemaPlayerView *self,
           gboolean          as_end)
{
  g_autofree char *stem = dup_clip_stem (self);
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;

  kinema_player_pause (self->player);
  name = g_strdup_printf ("%s-frame-%04" G_GINT64_FORMAT ".png", stem,
                          MAX (kinema_player_get_frame_index (self->player), 0));
  path = g_build_filename (g_get_user_cache_dir (), "kinema", "frames", name, NULL);
  save_frame_to (self, path, TRUE, as_end);
}

static void
on_save_frame_response (GtkNativeDialog  *dialog,
                        int               response,
                        KinemaPlayerView *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        save_frame_to (self, path, FALSE, FALSE);
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

static GtkFileChooserNative *
new_save_dialog (KinemaPlayerView *self,
                 const char       *title,
                 const char       *name)
{
  GtkRoot              *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  return dialog;
}

static void
save_frame_as (KinemaPlayerView *self)
{
  g_autofree char      *stem = dup_clip_stem (self);
  g_autofree char      *name = NULL;
  GtkFileChooserNative *dialog;

  kinema_player_pause (self->player);
  name = g_strdup_printf ("%s-frame-%04" G_GINT64_FORMAT ".png", stem,
                          MAX (kinema_player_get_frame_index (self->player), 0));
  dialog = new_save_dialog (self, _("Save Frame"), name);
  g_signal_connect (dialog, "response", G_CALLBACK (on_save_frame_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_video_copied (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(KinemaPlayerView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (g_file_copy_finish (G_FILE (source), result, &error))
    toast (self, _("Video saved"));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *message = g_strdup_printf (_("The video could not be saved: %s"), error->message);

      toast (self, message);
    }
}

void
_kinema_player_view_save_video_to (KinemaPlayerView *self,
                                   GFile            *dest)
{
  const char *uri = kinema_player_get_uri (self->player);
  g_autoptr(GFile) source = NULL;

  g_return_if_fail (KINEMA_IS_PLAYER_VIEW (self));
  g_return_if_fail (G_IS_FILE (dest));

  if (uri == NULL)
    return;
  source = g_file_new_for_uri (uri);
  if (!g_file_equal (source, dest))
    g_file_copy_async (source, dest, G_FILE_COPY_OVERWRITE, G_PRIORITY_DEFAULT, self->cancellable, NULL, NULL,
                       on_video_copied, g_object_ref (self));
}

GtkWidget *
_kinema_player_view_get_fullscreen_window (KinemaPlayerView *self)
{
  g_return_val_if_fail (KINEMA_IS_PLAYER_VIEW (self), NULL);

  return self->fullscreen_window;
}

void
_kinema_player_view_set_controls_hide_ms (KinemaPlayerView *self,
                                          guint             ms)
{
  g_return_if_fail (KINEMA_IS_PLAYER_VIEW (self));

  self->fullscreen_hide_ms = ms;
}

void
_kinema_player_view_save_frame_to (KinemaPlayerView *self,
                                   const char       *path)
{
  g_return_if_fail (KINEMA_IS_PLAYER_VIEW (self));
  g_return_if_fail (path != NULL);

  save_frame_to (self, path, FALSE, FALSE);
}

static void
on_save_video_response (GtkNativeDialog  *dialog,
                        int               response,
                        KinemaPlayerView *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) dest = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (dest != NULL)
        _kinema_player_view_save_video_to (self, dest);
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
save_video_as (KinemaPlayerView *self)
{
  const char *uri = kinema_player_get_uri (self->player);
  g_autoptr(GFile) file = NULL;
  g_autofree char      *name = NULL;
  GtkFileChooserNative *dialog;

  if (uri == NULL)
    return;
  file = g_file_new_for_uri (uri);
  name = g_file_get_basename (file);
  dialog = new_save_dialog (self, _("Save Video"), name != NULL ? name : "clip.mp4");
  g_signal_connect (dialog, "response", G_CALLBACK (on_save_video_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---------------------------------------------------------------------------------- */
/* Actions                                                                            */

static void
action_toggle (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  kinema_player_toggle (KINEMA_PLAYER_VIEW (widget)->player);
}

static void
action_step (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  kinema_player_step (KINEMA_PLAYER_VIEW (widget)->player, g_variant_get_int32 (param));
}

static void
action_fullscreen (GtkWidget  *widget,
                   const char *name,
                   GVariant   *param)
{
  KinemaPlayerView *self = KINEMA_PLAYER_VIEW (widget);

  if (self->fullscreen_window != NULL)
    leave_fullscreen (self);
  else
    enter_fullscreen (self);
}

static void
action_unfullscreen (GtkWidget  *widget,
                     const char *name,
                     GVariant   *param)
{
  leave_fullscreen (KINEMA_PLAYER_VIEW (widget));
}

static void
action_save_frame (GtkWidget  *widget,
                   const char *name,
                   GVariant   *param)
{
  save_frame_as (KINEMA_PLAYER_VIEW (widget));
}

static void
action_use_frame (GtkWidget  *widget,
                  const char *name,
                  GVariant   *param)
{
  use_frame (KINEMA_PLAYER_VIEW (widget), g_variant_get_boolean (param));
}

static void
action_set_point (GtkWidget  *widget,
                  const char *name,
                  GVariant   *param)
{
  KinemaPlayerView *self = KINEMA_PLAYER_VIEW (widget);
  gint64            position = kinema_player_get_position (self->player);
  double            fps = kinema_player_get_framerate (self->player);

  check_points (self);
  if (g_str_equal (name, "player.set-in"))
    {
      self->in_point = position;
      if (self->out_point >= 0 && self->out_point <= self->in_point)
        self->out_point = -1;
    }
  else
    {
      /* The frame on screen is the last one kept. */
      self->out_point = position + (fps > 0 ? (gint64) (NS_PER_SECOND / fps) : 0);
      if (self->in_point >= self->out_point)
        self->in_point = -1;
    }
  update_time_label (self);
}

gboolean
kinema_player_view_get_points (KinemaPlayerView *self,
                               gint64           *in_ns,
                               gint64           *out_ns)
{
  g_return_val_if_fail (KINEMA_IS_PLAYER_VIEW (self), FALSE);

  check_points (self);
  *in_ns = self->in_point;
  *out_ns = self->out_point;
  return self->in_point >= 0 || self->out_point >= 0;
}

static void
action_export (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  KinemaPlayerView *self = KINEMA_PLAYER_VIEW (widget);
  g_auto (GStrv) files = kinema_player_dup_files (self->player);
  g_autofree char *base = NULL;
  GtkRoot         *root = gtk_widget_get_root (widget);
  GtkWidget       *dialog;
  char            *dot;

  if (files == NULL)
    return;
  check_points (self);
  base = g_path_get_basename (files[0]);
  dot = strrchr (base, '.');
  if (dot != NULL && dot != base)
    *dot = '\0';
  dialog = kinema_export_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, (const char *const *) files,
                                     base, kinema_player_get_duration (self->player), self->in_point,
                                     self->out_point);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
action_continue (GtkWidget  *widget,
                 const char *name,
                 GVariant   *param)
{
  KinemaPlayerView *self = KINEMA_PLAYER_VIEW (widget);
  gint64            position = KINEMA_PLAYER_VIEW_LAST_FRAME;

  if (self->task == NULL)
    return;
  if (!g_variant_get_boolean (param))
    {
      kinema_player_pause (self->player);
      position = MAX (kinema_player_get_position (self->player), 0);
    }
  g_signal_emit (self, signals[SIGNAL_CONTINUE], 0, self->task, position);
}

static void
action_extend (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  KinemaPlayerView *self = KINEMA_PLAYER_VIEW (widget);

  if (self->task == NULL)
    return;
  kinema_player_pause (self->player);
  g_signal_emit (self, signals[SIGNAL_EXTEND], 0, self->task);
}

static void
action_save_video (GtkWidget  *widget,
                   const char *name,
                   GVariant   *param)
{
  save_video_as (KINEMA_PLAYER_VIEW (widget));
}

/* ---------------------------------------------------------------------------------- */
/* Task                                                                               */

static const char *
status_icon (KinemaTaskStatus status)
{
  switch (status)
    {
    case KINEMA_TASK_STATUS_FAILED:
      return "dialog-error-symbolic";
    case KINEMA_TASK_STATUS_NEEDS_CHECKING:
    case KINEMA_TASK_STATUS_NOT_SENT:
      return "dialog-warning-symbolic";
    case KINEMA_TASK_STATUS_STOPPED:
      return "media-playback-stop-symbolic";
    case KINEMA_TASK_STATUS_DOWNLOADING:
      return "folder-download-symbolic";
    case KINEMA_TASK_STATUS_SUCCEEDED:
      return "video-x-generic-symbolic";
    case KINEMA_TASK_STATUS_SUBMITTING:
    case KINEMA_TASK_STATUS_QUEUED:
    case KINEMA_TASK_STATUS_RUNNING:
    default:
      return "content-loading-symbolic";
    }
}

static void
on_status_image (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(KinemaPlayerView) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;

  texture = kinema_thumbnailer_load_finish (KINEMA_THUMBNAILER (source), result, NULL);
  if (texture != NULL && !g_cancellable_is_cancelled (self->image_cancellable))
    adw_status_page_set_paintable (self->status_page, GDK_PAINTABLE (texture));
}

/* The start frame while the job runs: the user sees what they asked for. */
static void
update_status_image (KinemaPlayerView *self)
{
  KinemaRequest *request = self->task != NULL ? kinema_task_get_request (self->task) : NULL;
  const char    *image = request != NULL ? kinema_request_get_image (request) : NULL;

  if (image != NULL && !g_file_test (image, G_FILE_TEST_IS_REGULAR))
    image = NULL;
  if (g_strcmp0 (image, self->status_image) == 0)
    return;

  g_cancellable_cancel (self->image_cancellable);
  g_clear_object (&self->image_cancellable);
  g_free (self->status_image);
  self->status_image = g_strdup (image);
  adw_status_page_set_paintable (self->status_page, NULL);
  if (image == NULL)
    return;
  self->image_cancellable = g_cancellable_new ();
  kinema_thumbnailer_load_async (kinema_thumbnailer_get_default (), image, STATUS_IMAGE_SIZE,
                                 self->image_cancellable, on_status_image, g_object_ref (self));
}

static void
open_uri (KinemaPlayerView *self,
          const char       *uri)
{
  if (g_strcmp0 (kinema_player_get_uri (self->player), uri) == 0 &&
      kinema_player_get_state (self->player) != KINEMA_PLAYER_STATE_EMPTY)
    return;
  kinema_player_open (self->player, uri);
  if (self->autoplay)
    kinema_player_play (self->player);
  on_player_state (self);
}

static void
update_task (KinemaPlayerView *self)
{
  KinemaTaskStatus status;
  const char      *video;
  g_autofree char *label = NULL;
  g_autofree char *escaped = NULL;
  const char      *description;

  if (self->task == NULL)
    return;

  status = kinema_task_get_status (self->task);
  video = kinema_task_get_video_path (self->task);
  gtk_widget_set_visible (self->demo_badge, kinema_task_get_is_demo (self->task));

  if (status == KINEMA_TASK_STATUS_SUCCEEDED && video != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (video);
      g_autofree char *uri = g_file_get_uri (file);

      open_uri (self, uri);
      return;
    }

  /* Not ready (or no file): the task's own status, and no clip. */
  if (kinema_player_get_state (self->player) != KINEMA_PLAYER_STATE_EMPTY)
    kinema_player_close (self->player);
  leave_fullscreen (self);
  label = kinema_task_dup_status_label (self->task);
  /* the task manager's words, the same as the row's tooltip and the details */
  description = kinema_task_get_status_message (self->task);
  if ((description == NULL || *description == '\0') && kinema_task_get_error (self->task) != NULL)
    description = kinema_task_get_error (self->task)->message;
  if (status == KINEMA_TASK_STATUS_SUCCEEDED)
    description = _("The clip is ready, but its file is not on this computer.");
  else if ((description == NULL || *description == '\0') && kinema_task_is_active (self->task))
    description = _("The clip will play here as soon as it is ready.");
  adw_status_page_set_title (self->status_page, label);
  escaped = description != NULL ? g_markup_escape_text (description, -1) : NULL;
  adw_status_page_set_description (self->status_page, escaped);
  adw_status_page_set_icon_name (self->status_page, status_icon (status));
  update_status_image (self);
  show_page (self, "status");
}

static void
clear_task (KinemaPlayerView *self)
{
  if (self->task == NULL)
    return;
  g_clear_signal_handler (&self->task_notify_id, self->task);
  g_clear_object (&self->task);
  self->offers_extend = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "player.continue", FALSE);
  update_actions (self);
}

void
kinema_player_view_set_offers_extend (KinemaPlayerView *self,
                                      gboolean          offers_extend)
{
  g_return_if_fail (KINEMA_IS_PLAYER_VIEW (self));

  self->offers_extend = self->task != NULL && offers_extend;
  update_actions (self);
}

void
kinema_player_view_set_task (KinemaPlayerView *self,
                             KinemaTask       *task)
{
  g_return_if_fail (KINEMA_IS_PLAYER_VIEW (self));
  g_return_if_fail (task == NULL || KINEMA_IS_TASK (task));

  if (task == self->task)
    return;
  clear_task (self);

  if (task == NULL)
    {
      kinema_player_close (self->player);
      leave_fullscreen (self);
      gtk_widget_set_visible (self->demo_badge, FALSE);
      update_status_image (self);
      show_page (self, "empty");
      update_actions (self);
      return;
    }

  self->task = g_object_ref (task);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "player.continue", TRUE);
  /* Status, message, progress and the video path all change together with "notify". */
  self->task_notify_id = g_signal_connect_swapped (task, "notify", G_CALLBACK (update_task), self);
  update_task (self);
}

KinemaTask *
kinema_player_view_get_task (KinemaPlayerView *self)
{
  g_return_val_if_fail (KINEMA_IS_PLAYER_VIEW (self), NULL);

  return self->task;
}

void
kinema_player_view_open_file (KinemaPlayerView *self,
                              GFile            *file)
{
  g_autofree char *uri = NULL;

  g_return_if_fail (KINEMA_IS_PLAYER_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));

  clear_task (self);
  update_status_image (self);
  gtk_widget_set_visible (self->demo_badge, FALSE);
  uri = g_file_get_uri (file);
  open_uri (self, uri);
}

KinemaPlayer *
kinema_player_view_get_player (KinemaPlayerView *self)
{
  g_return_val_if_fail (KINEMA_IS_PLAYER_VIEW (self), NULL);

  return self->player;
}

void
kinema_player_view_set_autoplay (KinemaPlayerView *self,
                                 gboolean          autoplay)
{
  g_return_if_fail (KINEMA_IS_PLAYER_VIEW (self));

  self->autoplay = !!autoplay;
}

const char *
kinema_player_view_get_page (KinemaPlayerView *self)
{
  g_return_val_if_fail (KINEMA_IS_PLAYER_VIEW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

GtkWidget *
kinema_player_view_get_video_area (KinemaPlayerView *self)
{
  g_return_val_if_fail (KINEMA_IS_PLAYER_VIEW (self), NULL);

  return self->video_overlay;
}

GtkWidget *
kinema_player_view_new (void)
{
  return g_object_new (KINEMA_TYPE_PLAYER_VIEW, NULL);
}

/* ---------------------------------------------------------------------------------- */
/* GObject                                                                            */

static void
add_shortcut (GtkShortcutController *controller,
              const char            *accelerator,
              const char            *action,
              GVariant              *args)
{
  GtkShortcut *shortcut = gtk_shortcut_new (gtk_shortcut_trigger_parse_string (accelerator),
                                            gtk_named_action_new (action));

  if (args != NULL)
    gtk_shortcut_set_arguments (shortcut, args);
  gtk_shortcut_controller_add_shortcut (controller, shortcut);
}

static void
kinema_player_view_dispose (GObject *object)
{
  KinemaPlayerView *self = KINEMA_PLAYER_VIEW (object);

  leave_fullscreen (self);
  clear_task (self);
  g_clear_handle_id (&self->scrub_hold, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->image_cancellable);
  if (self->player != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->player, self);
      kinema_player_close (self->player);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), KINEMA_TYPE_PLAYER_VIEW);
  g_clear_object (&self->player);

  G_OBJECT_CLASS (kinema_player_view_parent_class)->dispose (object);
}

static void
kinema_player_view_finalize (GObject *object)
{
  KinemaPlayerView *self = KINEMA_PLAYER_VIEW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->image_cancellable);
  g_free (self->status_image);
  g_free (self->points_uri);

  G_OBJECT_CLASS (kinema_player_view_parent_class)->finalize (object);
}

static void
kinema_player_view_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  KinemaPlayerView *self = KINEMA_PLAYER_VIEW (object);

  switch (prop_id)
    {
    case PROP_LOOP:
      g_value_set_boolean (value, kinema_player_get_loop (self->player));
      break;
    case PROP_MUTED:
      g_value_set_boolean (value, kinema_player_get_muted (self->player));
      break;
    case PROP_RATE:
      g_value_set_double (value, kinema_player_get_rate (self->player));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kinema_player_view_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  KinemaPlayerView *self = KINEMA_PLAYER_VIEW (object);

  switch (prop_id)
    {
    case PROP_LOOP:
      kinema_player_set_loop (self->player, g_value_get_boolean (value));
      break;
    case PROP_MUTED:
      kinema_player_set_muted (self->player, g_value_get_boolean (value));
      break;
    case PROP_RATE:
      kinema_player_set_rate (self->player, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kinema_player_view_class_init (KinemaPlayerViewClass *klass)
{
  GObjectClass     *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass   *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = kinema_player_view_dispose;
  object_class->finalize = kinema_player_view_finalize;
  object_class->get_property = kinema_player_view_get_property;
  object_class->set_property = kinema_player_view_set_property;

  /* The player's, for the property actions player.loop, player.mute, player.rate. */
  properties[PROP_LOOP] = g_param_spec_boolean ("loop", NULL, NULL, TRUE, rw);
  properties[PROP_MUTED] = g_param_spec_boolean ("muted", NULL, NULL, FALSE, rw);
  properties[PROP_RATE] = g_param_spec_double ("rate", NULL, NULL, KINEMA_PLAYER_MIN_RATE, KINEMA_PLAYER_MAX_RATE,
                                               1.0, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KinemaPlayerView::use-frame:
   * @png_path: the frame on screen, saved full size as PNG
   * @as_end_frame: TRUE for the end image, FALSE for the start image
   */
  signals[SIGNAL_USE_FRAME] = g_signal_new ("use-frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                            NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);

  /**
   * KinemaPlayerView::continue:
   * @task: the clip on show
   * @position_ns: the time of the frame on screen, or %KINEMA_PLAYER_VIEW_LAST_FRAME
   *
   * "Continue from here" / "Continue from the last frame": the window prepares the
   * next shot (nothing is sent).
   */
  signals[SIGNAL_CONTINUE] = g_signal_new ("continue", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                           NULL, G_TYPE_NONE, 2, KINEMA_TYPE_TASK, G_TYPE_INT64);

  /**
   * KinemaPlayerView::extend:
   * @task: the clip on show
   *
   * "Extend…": the window shows what Kling's video extension would do (nothing is sent).
   */
  signals[SIGNAL_EXTEND] = g_signal_new ("extend", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                         NULL, G_TYPE_NONE, 1, KINEMA_TYPE_TASK);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/kinema-player-view.ui");
  gtk_widget_class_bind_template_child (widget_class, KinemaPlayerView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KinemaPlayerView, stack);
  gtk_widget_class_bind_template_child (widget_class, KinemaPlayerView, status_page);
  gtk_widget_class_bind_template_child (widget_class, KinemaPlayerView, error_page);
  gtk_widget_class_bind_template_child (widget_class, KinemaPlayerView, video_overlay);
  gtk_widget_class_bind_template_child (widget_class, KinemaPlayerView, picture);
  gtk_widget_class_bind_template_child (widget_class, KinemaPlayerView, demo_badge);
  gtk_widget_class_bind_template_child (widget_class, KinemaPlayerView, scrub);
  gtk_widget_class_bind_template_child (widget_class, KinemaPlayerView, scrub_adjustment);
  gtk_widget_class_bind_template_child (widget_class, KinemaPlayerView, time_label);
  gtk_widget_class_bind_template_child (widget_class, KinemaPlayerView, info_label);
  gtk_widget_class_bind_template_child (widget_class, KinemaPlayerView, play_button);
  gtk_widget_class_bind_template_child (widget_class, KinemaPlayerView, speed_button);
  gtk_widget_class_bind_template_child (widget_class, KinemaPlayerView, mute_button);
  gtk_widget_class_bind_template_callback (widget_class, on_scrub_change_value_cb);

  gtk_widget_class_install_action (widget_class, "player.toggle", NULL, action_toggle);
  gtk_widget_class_install_action (widget_class, "player.step", "i", action_step);
  gtk_widget_class_install_action (widget_class, "player.fullscreen", NULL, action_fullscreen);
  gtk_widget_class_install_action (widget_class, "player.unfullscreen", NULL, action_unfullscreen);
  gtk_widget_class_install_action (widget_class, "player.save-frame", NULL, action_save_frame);
  gtk_widget_class_install_action (widget_class, "player.use-frame", "b", action_use_frame);
  gtk_widget_class_install_action (widget_class, "player.save-video", NULL, action_save_video);
  gtk_widget_class_install_action (widget_class, "player.set-in", NULL, action_set_point);
  gtk_widget_class_install_action (widget_class, "player.set-out", NULL, action_set_point);
  gtk_widget_class_install_action (widget_class, "player.export", NULL, action_export);
  /* TRUE: from the last frame; FALSE: from the frame on screen. */
  gtk_widget_class_install_action (widget_class, "player.continue", "b", action_continue);
  /* Shown only where kinema_player_view_set_offers_extend() said the provider has it. */
  gtk_widget_class_install_action (widget_class, "player.extend", NULL, action_extend);
  gtk_widget_class_install_property_action (widget_class, "player.loop", "loop");
  gtk_widget_class_install_property_action (widget_class, "player.mute", "muted");
  gtk_widget_class_install_property_action (widget_class, "player.rate", "rate");

  gtk_widget_class_set_css_name (widget_class, "kinema-player-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
kinema_player_view_init (KinemaPlayerView *self)
{
  GtkEventController *shortcuts;
  GtkGesture         *click;

  kinema_style_ensure (RESOURCE_PREFIX "/kinema-player-view.css");
  self->in_point = self->out_point = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->fullscreen_hide_ms = FULLSCREEN_HIDE_MS;

  self->autoplay = TRUE;
  self->cancellable = g_cancellable_new ();
  /* Only a clip of the history can be continued. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "player.continue", FALSE);
  self->player = kinema_player_new ();
  gtk_picture_set_paintable (self->picture, kinema_player_get_paintable (self->player));

  g_signal_connect_swapped (self->player, "notify::state", G_CALLBACK (on_player_state), self);
  g_signal_connect_swapped (self->player, "error", G_CALLBACK (on_player_error), self);
  g_signal_connect_swapped (self->player, "notify::position", G_CALLBACK (on_player_position), self);
  g_signal_connect_swapped (self->player, "notify::duration", G_CALLBACK (on_player_duration), self);
  g_signal_connect_swapped (self->player, "notify::width", G_CALLBACK (on_player_info), self);
  g_signal_connect_swapped (self->player, "notify::height", G_CALLBACK (on_player_info), self);
  g_signal_connect_swapped (self->player, "notify::framerate", G_CALLBACK (on_player_info), self);
  g_signal_connect_swapped (self->player, "notify::rate", G_CALLBACK (on_player_rate), self);
  g_signal_connect_swapped (self->player, "notify::muted", G_CALLBACK (on_player_muted), self);
  g_signal_connect_swapped (self->player, "notify::loop", G_CALLBACK (on_player_loop), self);

  /* Local: these keys act only while the focus is inside the player, so typing a
   * prompt in the composer is never taken over. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts), GTK_SHORTCUT_SCOPE_LOCAL);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "space", "player.toggle", NULL);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "k", "player.toggle", NULL);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "period", "player.step", g_variant_new_int32 (1));
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "comma", "player.step", g_variant_new_int32 (-1));
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "m", "player.mute", NULL);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "l", "player.loop", NULL);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "f", "player.fullscreen", NULL);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "Escape", "player.unfullscreen", NULL);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "i", "player.set-in", NULL);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "o", "player.set-out", NULL);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "<Control>e", "player.export", NULL);
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  click = gtk_gesture_click_new ();
  g_signal_connect (click, "pressed", G_CALLBACK (on_video_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->picture), GTK_EVENT_CONTROLLER (click));

  on_player_rate (self);
  on_player_muted (self);
  on_player_info (self);
  update_play_button (self);
  update_actions (self);
  show_page (self, "empty");
}
