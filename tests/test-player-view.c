/* test-player-view.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The player view and the compare window under Xvfb: the video area, rendered the way
 * GTK renders the window, shows the frame asked for (the test clip's frames are solid
 * colours that encode their index); the task's status while it is not ready; the
 * keyboard shortcuts; frames handed over for a new job; closing while playing.
 * KINEMA_TEST_SCREENSHOT_DIR=DIR keeps the screenshots.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <string.h>

#include "kinema-compare-window.h"
#include "kinema-error.h"
#include "kinema-player-view-private.h"
#include "kinema-task-private.h"
#include "kinema-test-clip.h"
#include "ui-test-util.h"

#define FPS 24
#define N_FRAMES 48

static char *tmpdir;
static char *clip_path;
static char *other_path;

static gboolean
is_label_containing (GtkWidget    *widget,
                     gconstpointer text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_is_drawable (widget) &&
         strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL;
}

static gboolean
is_actionable_for (GtkWidget    *widget,
                   gconstpointer action)
{
  return GTK_IS_ACTIONABLE (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0;
}

/* Whether the buttons of @action can be used (they follow the action's enabled state). */
static gboolean
action_usable (GtkWidget  *view,
               const char *action)
{
  GtkWidget *button = find_widget_matching (view, is_actionable_for, action);

  g_assert_nonnull (button);
  return gtk_widget_get_sensitive (button);
}

typedef struct
{
  GtkWidget        *window;
  KinemaPlayerView *view;
  KinemaPlayer     *player;
} Fixture;

static void
fixture_setup (Fixture      *f,
               gconstpointer data)
{
  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 640, 520);
  f->view = KINEMA_PLAYER_VIEW (kinema_player_view_new ());
  kinema_player_view_set_autoplay (f->view, FALSE);
  f->player = kinema_player_view_get_player (f->view);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->view));
  gtk_window_present (GTK_WINDOW (f->window));
  wait_for_paint (f->window);
}

static void
fixture_teardown (Fixture      *f,
                  gconstpointer data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  spin (50);
}

static int
shown_colour (KinemaPlayer *player)
{
  g_autoptr(GdkTexture) frame = kinema_player_dup_frame (player);

  return frame != NULL ? kinema_test_texture_index (frame) : -1;
}

static void
open_clip (Fixture    *f,
           const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  kinema_player_view_open_file (f->view, file);
  WAIT_UNTIL (kinema_player_get_state (f->player) == KINEMA_PLAYER_STATE_PAUSED && shown_colour (f->player) >= 0);
  g_assert_cmpstr (kinema_player_view_get_page (f->view), ==, "player");
  g_assert_true (action_usable (GTK_WIDGET (f->view), "player.step"));
}

/* The colour index in the centre of the video area, as drawn on screen. */
static int
screen_colour (Fixture    *f,
               const char *name)
{
  GtkWidget *area = kinema_player_view_get_video_area (f->view);
  g_autoptr(GdkTexture) shot = NULL;
  guint8 rgb[3];

  /* Let GTK draw the frame the sink handed over. */
  spin (50);
  shot = render_widget (area, name);
  g_assert_cmpint (gdk_texture_get_width (shot), >, 100);
  kinema_test_texture_pixel (shot, gdk_texture_get_width (shot) / 2, gdk_texture_get_height (shot) / 2, rgb);
  return kinema_test_clip_index_of (rgb);
}

static void
test_empty (Fixture      *f,
            gconstpointer data)
{
  g_assert_cmpstr (kinema_player_view_get_page (f->view), ==, "empty");
  g_assert_false (action_usable (GTK_WIDGET (f->view), "player.step"));
  g_assert_false (action_usable (GTK_WIDGET (f->view), "player.toggle"));
  g_assert_cmpint (kinema_player_get_state (f->player), ==, KINEMA_PLAYER_STATE_EMPTY);
  g_object_unref (render_widget (f->window, "player-view-empty"));
}

static void
test_shows_clip (Fixture      *f,
                 gconstpointer data)
{
  open_clip (f, clip_path);
  g_assert_cmpint (screen_colour (f, "player-view-frame-0"), ==, 0);
  g_assert_nonnull (find_widget_matching (GTK_WIDGET (f->view), is_label_containing, "160×120"));
  g_assert_nonnull (find_widget_matching (GTK_WIDGET (f->view), is_label_containing, "24 fps"));
  g_assert_nonnull (find_widget_matching (GTK_WIDGET (f->view), is_label_containing, "0:00.0 / 0:02.0"));

  kinema_player_seek (f->player, GST_SECOND);
  WAIT_UNTIL (shown_colour (f->player) == 24 && kinema_player_get_frame_index (f->player) == 24);
  g_assert_cmpint (screen_colour (f, "player-view-frame-24"), ==, 24);
  g_assert_nonnull (find_widget_matching (GTK_WIDGET (f->view), is_label_containing, "0:01.0 / 0:02.0"));
  g_object_unref (render_widget (f->window, "player-view-window"));

  /* Playing: frames keep coming, the picture follows. */
  gtk_widget_activate_action (GTK_WIDGET (f->view), "player.toggle", NULL);
  g_assert_true (kinema_player_get_playing (f->player));
  {
    guint64 shown = kinema_player_get_frames_shown (f->player);

    WAIT_UNTIL (kinema_player_get_frames_shown (f->player) > shown + 10);
  }
  g_assert_cmpint (screen_colour (f, "player-view-playing"), >=, 0);
}

static void
test_task (Fixture      *f,
           gconstpointer data)
{
  g_autoptr(KinemaRequest) request = kinema_request_new (KINEMA_TASK_KIND_TEXT_TO_VIDEO);
  g_autoptr(KinemaTask) task = NULL;
  g_autoptr(KinemaTask) real = NULL;
  GtkWidget *badge;

  kinema_request_set_prompt (request, "A red fox runs through snow");
  task = kinema_task_new (NULL, "demo", "Demo (offline)", request, TRUE);
  kinema_task_set_status (task, KINEMA_TASK_STATUS_RUNNING);
  kinema_task_set_progress (task, 0.3);

  kinema_player_view_set_task (f->view, task);
  g_assert_true (kinema_player_view_get_task (f->view) == task);
  g_assert_cmpstr (kinema_player_view_get_page (f->view), ==, "status");
  {
    g_autofree char *label = kinema_task_dup_status_label (task);

    g_assert_nonnull (find_widget_matching (GTK_WIDGET (f->view), is_label_containing, label));
  }
  g_object_unref (render_widget (f->window, "player-view-running"));

  /* The clip arrives: the view follows the task and plays it, marked as a demo. */
  kinema_task_set_video_path (task, clip_path);
  kinema_task_set_status (task, KINEMA_TASK_STATUS_SUCCEEDED);
  WAIT_UNTIL (g_str_equal (kinema_player_view_get_page (f->view), "player") && shown_colour (f->player) >= 0);
  badge = find_widget_matching (GTK_WIDGET (f->view), is_label_containing, "Demo clip");
  g_assert_nonnull (badge);
  g_assert_true (gtk_widget_get_mapped (badge));
  g_object_unref (render_widget (f->window, "player-view-demo"));

  /* A real job: no badge. */
  real = kinema_task_new (NULL, "n1n", "n1n", request, FALSE);
  kinema_task_set_video_path (real, other_path);
  kinema_task_set_status (real, KINEMA_TASK_STATUS_SUCCEEDED);
  kinema_player_view_set_task (f->view, real);
  WAIT_UNTIL (shown_colour (f->player) == 50);
  g_assert_false (gtk_widget_get_visible (badge));

  /* Failed: its reason. */
  {
    g_autoptr(KinemaTask) failed = kinema_task_new (NULL, "n1n", "n1n", request, FALSE);

    kinema_task_fail (failed, g_error_new_literal (KINEMA_ERROR, KINEMA_ERROR_CONTENT_POLICY,
                                                   "The prompt was refused by content review."));
    kinema_player_view_set_task (f->view, failed);
    g_assert_cmpstr (kinema_player_view_get_page (f->view), ==, "status");
    g_assert_nonnull (find_widget_matching (GTK_WIDGET (f->view), is_label_containing, "refused by content review"));
    g_assert_cmpint (kinema_player_get_state (f->player), ==, KINEMA_PLAYER_STATE_EMPTY);
  }

  kinema_player_view_set_task (f->view, NULL);
  g_assert_cmpstr (kinema_player_view_get_page (f->view), ==, "empty");
}

/* The shortcut of @view whose trigger is @accelerator. */
static GtkShortcut *
find_shortcut (GtkWidget        *widget,
               const char       *accelerator,
               GtkShortcutScope *scope)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  g_autoptr(GtkShortcutTrigger) wanted = gtk_shortcut_trigger_parse_string (accelerator);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted))
            {
              *scope = gtk_shortcut_controller_get_scope (GTK_SHORTCUT_CONTROLLER (controller));
              return shortcut;
            }
        }
    }
  return NULL;
}

/* Presses @accelerator the way GTK's shortcut controller does once it matched. */
static void
press (Fixture    *f,
       const char *accelerator)
{
  GtkShortcutScope scope = GTK_SHORTCUT_SCOPE_GLOBAL;
  GtkShortcut     *shortcut = find_shortcut (GTK_WIDGET (f->view), accelerator, &scope);

  if (shortcut == NULL)
    g_error ("no shortcut for %s", accelerator);
  /* Local: the composer's text fields never lose these keys. */
  g_assert_cmpint (scope, ==, GTK_SHORTCUT_SCOPE_LOCAL);
  g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, GTK_WIDGET (f->view),
                                               gtk_shortcut_get_arguments (shortcut)));
}

static void
test_shortcuts (Fixture      *f,
                gconstpointer data)
{
  open_clip (f, clip_path);
  gtk_widget_grab_focus (GTK_WIDGET (f->view));

  press (f, "period");
  WAIT_UNTIL (shown_colour (f->player) == 1 && kinema_player_get_frame_index (f->player) == 1);
  press (f, "period");
  WAIT_UNTIL (shown_colour (f->player) == 2 && kinema_player_get_frame_index (f->player) == 2);
  press (f, "comma");
  WAIT_UNTIL (shown_colour (f->player) == 1 && kinema_player_get_frame_index (f->player) == 1);
  g_assert_cmpint (screen_colour (f, "player-view-step"), ==, 1);

  press (f, "space");
  g_assert_true (kinema_player_get_playing (f->player));
  press (f, "k");
  g_assert_false (kinema_player_get_playing (f->player));

  g_assert_false (kinema_player_get_muted (f->player));
  press (f, "m");
  g_assert_true (kinema_player_get_muted (f->player));
  press (f, "m");
  g_assert_false (kinema_player_get_muted (f->player));

  g_assert_true (kinema_player_get_loop (f->player));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "player.loop", NULL));
  g_assert_false (kinema_player_get_loop (f->player));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "player.rate", "d", 0.5));
  g_assert_cmpfloat (kinema_player_get_rate (f->player), ==, 0.5);
  g_assert_nonnull (find_widget_matching (GTK_WIDGET (f->view), is_label_containing, "0.5×"));

  /* F opens a fullscreen window with the same picture; Esc closes it. */
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    guint       before = g_list_model_get_n_items (toplevels);

    press (f, "f");
    g_assert_cmpuint (g_list_model_get_n_items (toplevels), ==, before + 1);
    spin (100);
    press (f, "Escape");
    spin (50);
    g_assert_cmpuint (g_list_model_get_n_items (toplevels), ==, before);
  }

  /* Issue 12 point 9: in fullscreen, motion shows the controls with a way out; they
   * go after a pause; the button leaves fullscreen. */
  {
    GListModel         *toplevels = gtk_window_get_toplevels ();
    guint               before = g_list_model_get_n_items (toplevels);
    GtkEventController *motion = NULL;
    GtkWidget          *window, *revealer, *leave;
    g_autoptr(GListModel) controllers = NULL;

    _kinema_player_view_set_controls_hide_ms (f->view, 1000);
    press (f, "f");
    window = _kinema_player_view_get_fullscreen_window (f->view);
    g_assert_nonnull (window);
    revealer = find_widget (window, GTK_TYPE_REVEALER, NULL);
    leave = find_widget (window, G_TYPE_INVALID, "kinema-leave-fullscreen");
    g_assert_nonnull (revealer);
    g_assert_nonnull (leave);
    g_assert_cmpstr (gtk_widget_get_tooltip_text (leave), ==, "Leave Fullscreen");
    /* shown at first, then hidden once the pointer rests */
    g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
    spin (300);
    g_object_unref (render_widget (window, "player-fullscreen-controls"));
    WAIT_UNTIL (!gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));

    controllers = gtk_widget_observe_controllers (window);
    for (guint i = 0; i < g_list_model_get_n_items (controllers) && motion == NULL; i++)
      {
        g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);

        if (GTK_IS_EVENT_CONTROLLER_MOTION (c))
          motion = c;
      }
    g_assert_nonnull (motion);
    g_signal_emit_by_name (motion, "motion", 20.0, 20.0);
    g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
    WAIT_UNTIL (!gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));

    g_signal_emit_by_name (motion, "motion", 30.0, 30.0);
    g_signal_emit_by_name (leave, "clicked");
    WAIT_UNTIL (_kinema_player_view_get_fullscreen_window (f->view) == NULL);
    spin (50);
    g_assert_cmpuint (g_list_model_get_n_items (toplevels), ==, before);
  }
}

static void
on_use_frame (KinemaPlayerView *view,
              const char       *path,
              gboolean          as_end,
              char            **out)
{
  g_free (*out);
  *out = g_strdup_printf ("%s|%s", as_end ? "end" : "start", path);
}

static void
test_use_frame (Fixture      *f,
                gconstpointer data)
{
  g_autofree char *used = NULL;
  g_autoptr(GdkTexture) frame = NULL;
  g_autoptr(GError) error = NULL;

  g_signal_connect (f->view, "use-frame", G_CALLBACK (on_use_frame), &used);
  open_clip (f, clip_path);
  kinema_player_seek (f->player, (gint64) 30 * GST_SECOND / FPS);
  WAIT_UNTIL (shown_colour (f->player) == 30 && kinema_player_get_frame_index (f->player) == 30);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "player.use-frame", "b", TRUE));
  WAIT_UNTIL (used != NULL);
  g_assert_true (g_str_has_prefix (used, "end|"));
  frame = gdk_texture_new_from_filename (used + strlen ("end|"), &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (frame), ==, 160);
  g_assert_cmpint (kinema_test_texture_index (frame), ==, 30);
}

static gboolean
file_equals (const char *path,
             const char *expected)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  gsize            la, lb;

  return g_file_get_contents (path, &a, &la, NULL) && g_file_get_contents (expected, &b, &lb, NULL) && la == lb &&
         memcmp (a, b, la) == 0;
}

static void
test_scrub_and_save (Fixture      *f,
                     gconstpointer data)
{
  GtkWidget       *scale;
  gboolean         handled = FALSE;
  g_autofree char *video = g_build_filename (tmpdir, "saved", "copy.mp4", NULL);
  g_autofree char *png = g_build_filename (tmpdir, "saved", "frame.png", NULL);
  g_autoptr(GFile) dest = g_file_new_for_path (video);
  g_autoptr(GdkTexture) frame = NULL;

  open_clip (f, clip_path);
  scale = find_widget (GTK_WIDGET (f->view), GTK_TYPE_SCALE, NULL);
  g_assert_nonnull (scale);

  /* Dragging the scale: each move shows the frame under the pointer. */
  for (int i = 1; i <= 10; i++)
    g_signal_emit_by_name (scale, "change-value", GTK_SCROLL_JUMP, i * 0.1, &handled);
  WAIT_UNTIL (shown_colour (f->player) == 24 && kinema_player_get_frame_index (f->player) == 24);
  g_signal_emit_by_name (scale, "change-value", GTK_SCROLL_JUMP, 0.5, &handled);
  WAIT_UNTIL (shown_colour (f->player) == 12 && kinema_player_get_frame_index (f->player) == 12);
  g_assert_cmpint (screen_colour (f, "player-view-scrub"), ==, 12);

  {
    g_autofree char *dir = g_path_get_dirname (video);

    g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  }
  _kinema_player_view_save_video_to (f->view, dest);
  WAIT_UNTIL (file_equals (video, clip_path));

  _kinema_player_view_save_frame_to (f->view, png);
  WAIT_UNTIL (g_file_test (png, G_FILE_TEST_EXISTS));
  frame = gdk_texture_new_from_filename (png, NULL);
  g_assert_nonnull (frame);
  g_assert_cmpint (kinema_test_texture_index (frame), ==, 12);
}

static void
test_bad_file (Fixture      *f,
               gconstpointer data)
{
  g_autofree char *text = g_build_filename (tmpdir, "notes.txt", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (text);

  g_assert_true (g_file_set_contents (text, "not a video\n", -1, NULL));
  kinema_player_view_open_file (f->view, file);
  WAIT_UNTIL (g_str_equal (kinema_player_view_get_page (f->view), "error"));
  g_assert_nonnull (find_widget_matching (GTK_WIDGET (f->view), is_label_containing, "not a video"));
  g_assert_false (action_usable (GTK_WIDGET (f->view), "player.step"));
  g_object_unref (render_widget (f->window, "player-view-error"));
}

static gboolean
is_unnamed_control (GtkWidget    *widget,
                    gconstpointer data)
{
  GtkAccessibleRole role;

  if (!gtk_widget_is_drawable (widget))
    return FALSE;
  if (!GTK_IS_BUTTON (widget) && !GTK_IS_MENU_BUTTON (widget) && !GTK_IS_SCALE (widget))
    return FALSE;
  /* The menu button's inner toggle is labelled through the menu button. */
  if (GTK_IS_BUTTON (widget) && GTK_IS_MENU_BUTTON (gtk_widget_get_parent (widget)))
    return FALSE;
  g_object_get (widget, "accessible-role", &role, NULL);
  return !gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

static void
test_accessible_names (Fixture      *f,
                       gconstpointer data)
{
  GtkWidget *unnamed;

  open_clip (f, clip_path);
  unnamed = find_widget_matching (GTK_WIDGET (f->view), is_unnamed_control, NULL);
  if (unnamed != NULL)
    g_error ("a %s without an accessible name", G_OBJECT_TYPE_NAME (unnamed));
}

static void
test_dispose_while_playing (Fixture      *f,
                            gconstpointer data)
{
  g_autoptr(GFile) other = g_file_new_for_path (other_path);
  GdkPaintable *paintable;

  open_clip (f, clip_path);
  paintable = g_object_ref (kinema_player_get_paintable (f->player));
  gtk_widget_activate_action (GTK_WIDGET (f->view), "player.toggle", NULL);
  spin (300);

  /* The next clip while this one plays. */
  kinema_player_view_open_file (f->view, other);
  kinema_player_play (f->player);
  spin (200);

  /* Window gone while frames are in flight. */
  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  spin (300);
  g_object_unref (paintable);
  spin (50);
}

static void
test_gtk4paintablesink (Fixture      *f,
                        gconstpointer data)
{
  g_autoptr(KinemaPlayer) player = NULL;

  if (!kinema_player_sink_is_available (KINEMA_PLAYER_SINK_GTK4))
    {
      g_test_skip ("gtk4paintablesink (gst-plugins-rs) is not installed here; Kinema's own sink is tested");
      return;
    }
  player = kinema_player_new_with_sink (KINEMA_PLAYER_SINK_GTK4);
  g_assert_cmpint (kinema_player_get_sink (player), ==, KINEMA_PLAYER_SINK_GTK4);
  {
    g_autoptr(GFile) file = g_file_new_for_path (clip_path);
    GtkWidget *picture = gtk_picture_new_for_paintable (kinema_player_get_paintable (player));
    g_autoptr(GdkTexture) shot = NULL;
    guint8 rgb[3];

    gtk_window_set_child (GTK_WINDOW (f->window), picture);
    kinema_player_open_file (player, file);
    WAIT_UNTIL (kinema_player_get_state (player) == KINEMA_PLAYER_STATE_PAUSED);
    kinema_player_seek (player, GST_SECOND);
    WAIT_UNTIL (kinema_player_get_frame_index (player) == 24);
    spin (200);
    shot = render_widget (picture, "gtk4paintablesink");
    kinema_test_texture_pixel (shot, gdk_texture_get_width (shot) / 2, gdk_texture_get_height (shot) / 2, rgb);
    g_assert_cmpint (kinema_test_clip_index_of (rgb), ==, 24);
  }
}

/* ----- compare ----- */

static KinemaTask *
ready_task (const char *path,
            const char *prompt)
{
  g_autoptr(KinemaRequest) request = kinema_request_new (KINEMA_TASK_KIND_TEXT_TO_VIDEO);
  KinemaTask *task;

  kinema_request_set_prompt (request, prompt);
  task = kinema_task_new (NULL, "demo", "Demo (offline)", request, TRUE);
  kinema_task_set_video_path (task, path);
  kinema_task_set_status (task, KINEMA_TASK_STATUS_SUCCEEDED);
  return task;
}

static void
test_compare (Fixture      *f,
              gconstpointer data)
{
  g_autoptr(KinemaTask) a = ready_task (clip_path, "First variant");
  g_autoptr(KinemaTask) b = ready_task (other_path, "Second variant");
  GtkWidget    *window;
  KinemaPlayer *pa, *pb;
  g_autoptr(GdkTexture) shot = NULL;
  guint8 rgb[3];
  int    width;

  window = kinema_compare_window_new (GTK_WINDOW (f->window), a, b);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 400);
  gtk_window_present (GTK_WINDOW (window));
  pa = kinema_compare_window_get_player (KINEMA_COMPARE_WINDOW (window), 0);
  pb = kinema_compare_window_get_player (KINEMA_COMPARE_WINDOW (window), 1);
  WAIT_UNTIL (kinema_player_get_state (pa) == KINEMA_PLAYER_STATE_PAUSED &&
              kinema_player_get_state (pb) == KINEMA_PLAYER_STATE_PAUSED && shown_colour (pa) >= 0 &&
              shown_colour (pb) >= 0);

  /* One transport: a seek and a step move both. */
  g_assert_true (gtk_widget_activate_action (window, "compare.seek", "x", (gint64) 5 * GST_SECOND / FPS));
  WAIT_UNTIL (shown_colour (pa) == 5 && shown_colour (pb) == 55);
  g_assert_true (gtk_widget_activate_action (window, "compare.step", "i", 1));
  WAIT_UNTIL (shown_colour (pa) == 6 && shown_colour (pb) == 56);
  g_assert_cmpint (kinema_player_get_frame_index (pa), ==, 6);
  g_assert_cmpint (kinema_player_get_frame_index (pb), ==, 6);
  g_assert_true (gtk_widget_activate_action (window, "compare.step", "i", -1));
  WAIT_UNTIL (shown_colour (pa) == 5 && shown_colour (pb) == 55);

  /* Side by side on screen: A's colour on the left, B's on the right. */
  shot = render_widget (window, "compare");
  width = gdk_texture_get_width (shot);
  kinema_test_texture_pixel (shot, width / 4, gdk_texture_get_height (shot) / 2, rgb);
  g_assert_cmpint (kinema_test_clip_index_of (rgb), ==, 5);
  kinema_test_texture_pixel (shot, width * 3 / 4, gdk_texture_get_height (shot) / 2, rgb);
  g_assert_cmpint (kinema_test_clip_index_of (rgb), ==, 55);

  /* Play and pause both. */
  g_assert_true (gtk_widget_activate_action (window, "compare.toggle", NULL));
  g_assert_true (kinema_player_get_playing (pa));
  g_assert_true (kinema_player_get_playing (pb));
  spin (300);
  g_assert_true (gtk_widget_activate_action (window, "compare.toggle", NULL));
  g_assert_false (kinema_player_get_playing (pa));
  g_assert_false (kinema_player_get_playing (pb));

  /* Closed while playing. */
  gtk_widget_activate_action (window, "compare.toggle", NULL);
  spin (200);
  gtk_window_destroy (GTK_WINDOW (window));
  spin (200);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  tmpdir = g_dir_make_tmp ("kinema-player-view-XXXXXX", &error);
  g_assert_no_error (error);
  {
    /* Frames for "use frame" go to the cache: keep them in the test's folder. */
    g_autofree char *cache = g_build_filename (tmpdir, "cache", NULL);

    g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  }
  if (!ui_test_init (&argc, &argv))
    {
      g_rmdir (tmpdir);
      return 77;
    }

  clip_path = g_build_filename (tmpdir, "clip.mp4", NULL);
  other_path = g_build_filename (tmpdir, "other.mp4", NULL);
  g_assert_true (kinema_test_clip_make (clip_path, 0, N_FRAMES, FPS, 160, 120, &error));
  g_assert_no_error (error);
  g_assert_true (kinema_test_clip_make (other_path, 50, 12, FPS, 160, 120, &error));
  g_assert_no_error (error);

#define ADD(path, func) g_test_add ("/kinema/player-view/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("empty", test_empty);
  ADD ("shows-clip", test_shows_clip);
  ADD ("task", test_task);
  ADD ("shortcuts", test_shortcuts);
  ADD ("use-frame", test_use_frame);
  ADD ("scrub-and-save", test_scrub_and_save);
  ADD ("bad-file", test_bad_file);
  ADD ("accessible-names", test_accessible_names);
  ADD ("dispose-while-playing", test_dispose_while_playing);
  ADD ("gtk4paintablesink", test_gtk4paintablesink);
  ADD ("compare", test_compare);
#undef ADD

  ret = g_test_run ();
  remove_tree (tmpdir);
  return ret;
}
