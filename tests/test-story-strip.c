/* test-story-strip.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The story strip on a real display, over a task manager whose history holds three
 * finished clips that continue each other: it shows them in order with their files'
 * lengths, its buttons move and drop shots, shots dragged onto it move and clips
 * dragged from the task list are added (the story is stored in the history), and Play
 * hands the files over in order. KINEMA_TEST_SCREENSHOT_DIR=DIR keeps screenshots (LANGUAGE=zh_CN for the
 * Chinese ones).
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include <string.h>

#include "kinema-export-dialog.h"
#include "kinema-i18n.h"
#include "kinema-player-view.h"
#include "kinema-story-strip.h"
#include "kinema-window.h"
#include "kinema-task-private.h"
#include "kinema-test-clip.h"

#define UI_TEST_WAIT_SECONDS 30
#include "ui-test-util.h"

#define FPS 10

static char *tmpdir;

static gboolean
is_label_containing (GtkWidget    *widget,
                     gconstpointer text)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL;
}

static gboolean
has_tooltip (GtkWidget    *widget,
             gconstpointer tooltip)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0;
}

static gboolean
is_menu_button_with_tooltip (GtkWidget    *widget,
                             gconstpointer tooltip)
{
  return GTK_IS_MENU_BUTTON (widget) && g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0;
}

static void
click (GtkWidget  *root,
       const char *tooltip,
       guint       nth)
{
  GtkWidget *button = find_nth_widget_matching (root, has_tooltip, tooltip, nth);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static char *
shots_of (KinemaStory *story)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < kinema_story_get_n_shots (story); i++)
    g_string_append_printf (text, "%s%s", i > 0 ? " " : "", kinema_story_get_shot (story, i));
  return g_string_free (text, FALSE);
}

static gboolean
is_shot_card (GtkWidget    *widget,
              gconstpointer data)
{
  return gtk_widget_has_css_class (widget, "kinema-shot");
}

/* The @nth (0-based) shot card of @strip. */
static GtkWidget *
shot_card (GtkWidget *strip,
           guint      nth)
{
  return find_nth_widget_matching (strip, is_shot_card, NULL, nth);
}

/* A point over shot @index of @strip, @fraction of its width from its left edge. */
static double
card_x (GtkWidget *strip,
        guint      index,
        double     fraction)
{
  GtkWidget      *card;
  graphene_rect_t bounds;

  /* After an edit the cards are new: let them be placed first. */
  wait_for_paint (strip);
  card = shot_card (strip, index);
  g_assert_nonnull (card);
  g_assert_true (gtk_widget_compute_bounds (card, strip, &bounds));
  return bounds.origin.x + bounds.size.width * fraction;
}

static GtkDropTarget *
drop_target_of (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }
  g_assert_not_reached ();
}

/* What GTK does when something is dropped on @strip at @x: the drop target's signal. */
static gboolean
drop (GtkWidget    *strip,
      const GValue *value,
      double        x)
{
  GtkDropTarget *target = drop_target_of (strip);
  gboolean       accepted = FALSE;

  g_signal_emit_by_name (target, "drop", value, x, 10.0, &accepted);
  return accepted;
}

static gboolean
drop_shot (GtkWidget  *strip,
           const char *story_id,
           guint       index,
           double      x)
{
  g_auto (GValue) value = G_VALUE_INIT;

  g_value_init (&value, KINEMA_TYPE_STORY_SHOT_REF);
  g_value_take_boxed (&value, kinema_story_shot_ref_new (story_id, index));
  return drop (strip, &value, x);
}

static gboolean
drop_task (GtkWidget  *strip,
           KinemaTask *task,
           double      x)
{
  g_auto (GValue) value = G_VALUE_INIT;

  g_value_init (&value, KINEMA_TYPE_TASK);
  g_value_set_object (&value, task);
  return drop (strip, &value, x);
}

static gboolean
has_shots (GtkWidget  *strip,
           const char *expected)
{
  g_autofree char *text = NULL;

  if (kinema_story_strip_get_story (KINEMA_STORY_STRIP (strip)) == NULL)
    return FALSE;
  text = shots_of (kinema_story_strip_get_story (KINEMA_STORY_STRIP (strip)));
  return g_strcmp0 (text, expected) == 0;
}

static void
assert_shots (GtkWidget  *strip,
              const char *expected)
{
  g_autofree char *text = shots_of (kinema_story_strip_get_story (KINEMA_STORY_STRIP (strip)));

  g_assert_cmpstr (text, ==, expected);
}

static KinemaExportDialog *
find_dialog (void)
{
  return KINEMA_EXPORT_DIALOG (find_toplevel (KINEMA_TYPE_EXPORT_DIALOG));
}

static void
on_finished (KinemaExportDialog *dialog,
             GFile              *file,
             GFile             **out)
{
  *out = g_object_ref (file);
}

/* Exports with the dialog on screen to @name in the test folder and waits for it:
 * the length exported. */
static gint64
export_shown_dialog (const char *name)
{
  KinemaExportDialog *dialog = find_dialog ();
  g_autofree char    *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr(GFile) out = g_file_new_for_path (path);
  g_autoptr(GFile) finished = NULL;
  g_autoptr(KinemaExporter) exporter = NULL;

  g_assert_nonnull (dialog);
  g_signal_connect (dialog, "finished", G_CALLBACK (on_finished), &finished);
  kinema_export_dialog_export_to (dialog, out);
  exporter = g_object_ref (kinema_export_dialog_get_exporter (dialog));
  WAIT_UNTIL (finished != NULL);
  g_assert_true (g_file_query_exists (out, NULL));
  /* The dialog closes once the file is saved. */
  WAIT_UNTIL (find_dialog () == NULL);
  return kinema_exporter_get_duration (exporter);
}

static gboolean
shows_frame (KinemaPlayer *player,
             gint64        index)
{
  KinemaPlayerState state = kinema_player_get_state (player);

  return (state == KINEMA_PLAYER_STATE_PAUSED || state == KINEMA_PLAYER_STATE_PLAYING) &&
         kinema_player_get_frame_index (player) == index;
}

/* Pauses @player on frame @index of what it plays and presses @action (I or O). */
static void
set_point (GtkWidget    *view,
           KinemaPlayer *player,
           gint64        index,
           const char   *action)
{
  kinema_player_pause (player);
  kinema_player_seek (player, index * 1000000000 / FPS);
  WAIT_UNTIL (shows_frame (player, index));
  g_assert_true (gtk_widget_activate_action (view, action, NULL));
}

static void
on_play (KinemaStoryStrip *strip,
         GStrv             paths,
         GStrv            *out)
{
  *out = g_strdupv (paths);
}

static void
add_clip (KinemaHistory *history,
          const char    *id,
          const char    *parent,
          const char    *prompt,
          guint          first,
          gint64         created_at)
{
  g_autoptr(KinemaRequest) request = kinema_request_new (KINEMA_TASK_KIND_IMAGE_TO_VIDEO);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("%s.mp4", id);
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr(KinemaTask) task = NULL;
  KinemaTaskRecord record = { 0 };

  g_assert_true (kinema_test_clip_make (path, first, 20, FPS, 160, 120, &error));
  kinema_request_set_prompt (request, prompt);
  kinema_request_set_duration (request, 5);
  if (parent != NULL)
    kinema_request_set_link (request, KINEMA_LINK_CONTINUE, parent, 5.0);
  record.id = g_strdup (id);
  record.provider_id = g_strdup ("demo");
  record.provider_name = g_strdup ("Demo");
  record.request = g_object_ref (request);
  record.status = KINEMA_TASK_STATUS_SUCCEEDED;
  record.video_path = g_strdup (path);
  record.created_at = created_at;
  task = kinema_task_new_from_record (&record);
  kinema_history_save (history, task);
}

static void
test_strip (void)
{
  g_autofree char *data_dir = g_build_filename (tmpdir, "data", NULL);
  g_autofree char *config = g_build_filename (tmpdir, "config", NULL);
  g_autofree char *downloads = g_build_filename (tmpdir, "Videos", NULL);
  g_autoptr(KinemaHistory) history = kinema_history_new (data_dir);
  g_autoptr(KinemaProviderRegistry) registry = kinema_provider_registry_new (config);
  g_autoptr(KinemaHttpClient) http = kinema_http_client_new ();
  g_autoptr(KinemaClient) client = kinema_client_new (http);
  g_autoptr(KinemaTaskManager) manager = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) stories = NULL;
  g_auto (GStrv) played = NULL;
  g_autofree char *text = NULL;
  GtkWidget       *window, *strip;

  add_clip (history, "clip-a", NULL, "A paper boat sets off", 0, 1);
  add_clip (history, "clip-b", "clip-a", "The boat reaches the bridge", 20, 2);
  add_clip (history, "clip-c", "clip-b", "Rain falls on the boat", 40, 3);
  g_assert_true (kinema_history_flush_sync (history, &error));
  g_clear_object (&history);

  g_assert_true (kinema_provider_registry_load (registry, &error));
  manager = kinema_task_manager_new (data_dir, downloads, registry, client);
  kinema_task_manager_load_async (manager, NULL, test_result_cb, &result);
  WAIT_UNTIL (result != NULL);
  g_assert_true (kinema_task_manager_load_finish (manager, result, &error));

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 640, -1);
  strip = kinema_story_strip_new ();
  gtk_window_set_child (GTK_WINDOW (window), strip);
  kinema_story_strip_set_manager (KINEMA_STORY_STRIP (strip), manager);
  kinema_story_strip_set_task (KINEMA_STORY_STRIP (strip), kinema_task_manager_lookup (manager, "clip-b"));
  g_signal_connect (strip, "play", G_CALLBACK (on_play), &played);
  gtk_window_present (GTK_WINDOW (window));

  /* The clips that continue each other, in order, around the selected one. */
  WAIT_UNTIL (gtk_widget_get_visible (strip) && kinema_story_strip_get_story (KINEMA_STORY_STRIP (strip)) != NULL);
  text = shots_of (kinema_story_strip_get_story (KINEMA_STORY_STRIP (strip)));
  g_assert_cmpstr (text, ==, "clip-a clip-b clip-c");
  g_clear_pointer (&text, g_free);
  /* The files' own lengths (20 frames at 10 fps each), not the requests' 5 s. */
  WAIT_UNTIL (kinema_story_strip_get_length (KINEMA_STORY_STRIP (strip)) >= 0);
  g_assert_cmpint (kinema_story_strip_get_length (KINEMA_STORY_STRIP (strip)), ==, (gint64) 3 * 2 * 1000000000);
  g_assert_true (find_widget_matching (strip, is_label_containing, "0:06") != NULL);
  g_assert_true (find_widget_matching (strip, is_label_containing, "2 · 2.0 s") != NULL || g_strcmp0 (g_getenv ("LANGUAGE"), "zh_CN") == 0);
  save_screenshot (window, "story-strip");

  /* The Add list gives the clips' lengths as read from their files too. */
  {
    GtkWidget       *add = find_widget_matching (strip, is_menu_button_with_tooltip, _("Add a Clip"));
    g_autofree char *row = g_strdup_printf (_("%s · %.1f s"), "The boat reaches the bridge", 2.0);

    g_assert_nonnull (add);
    gtk_menu_button_popup (GTK_MENU_BUTTON (add));
    WAIT_UNTIL (find_widget_matching (add, is_label_containing, row) != NULL);
    save_screenshot (window, "story-strip-add");
    gtk_menu_button_popdown (GTK_MENU_BUTTON (add));
  }

  /* The first shot moves later, then the (new) second shot leaves. */
  click (strip, _("Move Later"), 0);
  text = shots_of (kinema_story_strip_get_story (KINEMA_STORY_STRIP (strip)));
  g_assert_cmpstr (text, ==, "clip-b clip-a clip-c");
  g_clear_pointer (&text, g_free);
  click (strip, _("Remove From the Story"), 1);
  text = shots_of (kinema_story_strip_get_story (KINEMA_STORY_STRIP (strip)));
  g_assert_cmpstr (text, ==, "clip-b clip-c");
  g_clear_pointer (&text, g_free);

  /* Play hands over the files in the story's order. */
  click (strip, _("Play the Story"), 0);
  g_assert_nonnull (played);
  g_assert_cmpuint (g_strv_length (played), ==, 2);
  g_assert_true (g_str_has_suffix (played[0], "clip-b.mp4"));
  g_assert_true (g_str_has_suffix (played[1], "clip-c.mp4"));
  save_screenshot (window, "story-strip-edited");

  /* Drag and drop. While something is dragged over the strip a bar marks the gap it
   * would land in: here before the first shot. */
  {
    GtkDropTarget *target = drop_target_of (strip);
    GdkDragAction  action = 0;
    const char    *story_id = kinema_story_get_id (kinema_story_strip_get_story (KINEMA_STORY_STRIP (strip)));

    g_signal_emit_by_name (target, "motion", card_x (strip, 0, 0.3), 10.0, &action);
    g_assert_cmpint (action, !=, 0);
    g_assert_true (gtk_widget_has_css_class (shot_card (strip, 0), "kinema-drop-before"));
    g_assert_false (gtk_widget_has_css_class (shot_card (strip, 1), "kinema-drop-before"));
    save_screenshot (window, "story-strip-drop");
    g_signal_emit_by_name (target, "leave");
    g_assert_false (gtk_widget_has_css_class (shot_card (strip, 0), "kinema-drop-before"));

    /* The second shot dropped on the first one's left half goes first... */
    g_assert_true (drop_shot (strip, story_id, 1, card_x (strip, 0, 0.3)));
    assert_shots (strip, "clip-c clip-b");
    /* ...and back past the other one's middle, last. */
    g_assert_true (drop_shot (strip, story_id, 0, card_x (strip, 1, 0.7)));
    assert_shots (strip, "clip-b clip-c");
    /* Dropped on its own place, nothing moves. */
    g_assert_true (drop_shot (strip, story_id, 0, card_x (strip, 0, 0.7)));
    assert_shots (strip, "clip-b clip-c");
    /* A shot of another story is not moved here, nor one that is not there. */
    g_assert_false (drop_shot (strip, "another-story", 1, card_x (strip, 0, 0.3)));
    g_assert_false (drop_shot (strip, story_id, 7, card_x (strip, 0, 0.3)));
    assert_shots (strip, "clip-b clip-c");

    /* A finished clip from the task list is added where it is dropped. */
    g_assert_true (drop_task (strip, kinema_task_manager_lookup (manager, "clip-a"), card_x (strip, 1, 0.3)));
    assert_shots (strip, "clip-b clip-a clip-c");
    g_assert_true (drop_task (strip, kinema_task_manager_lookup (manager, "clip-a"), card_x (strip, 2, 0.9)));
    assert_shots (strip, "clip-b clip-a clip-c clip-a");
    /* The shot dropped from the third place to the front. */
    g_assert_true (drop_shot (strip, story_id, 2, card_x (strip, 0, 0.1)));
    assert_shots (strip, "clip-c clip-b clip-a clip-a");
    click (strip, _("Remove From the Story"), 3);
    assert_shots (strip, "clip-c clip-b clip-a");
    WAIT_UNTIL (kinema_story_strip_get_length (KINEMA_STORY_STRIP (strip)) == (gint64) 6 * 1000000000);
  }

  /* The edits are in the history. */
  g_assert_true (kinema_history_flush_sync (kinema_task_manager_get_history (manager), &error));
  history = kinema_history_new (data_dir);
  g_clear_object (&result);
  kinema_history_load_stories_async (history, NULL, test_result_cb, &result);
  WAIT_UNTIL (result != NULL);
  stories = kinema_history_load_stories_finish (history, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stories->len, ==, 1);
  text = shots_of (stories->pdata[0]);
  g_assert_cmpstr (text, ==, "clip-c clip-b clip-a");
  g_ptr_array_set_free_func (stories, g_object_unref);
  gtk_window_destroy (GTK_WINDOW (window));

  /* In the main window: selecting a clip shows its story under the player. */
  {
    g_autoptr(GSettings) settings = g_settings_new ("io.github.kinema.Kinema");
    KinemaWindow *main_window;
    GtkWidget    *main_strip = NULL;

    g_settings_set_boolean (settings, "show-first-run", FALSE);
    main_window = kinema_window_new (NULL, registry, client, settings, manager);
    gtk_window_set_default_size (GTK_WINDOW (main_window), 1280, 800);
    gtk_window_present (GTK_WINDOW (main_window));
    kinema_window_show_task (main_window, "clip-c");
    /* The chain shows at once; the stored story once the stories are read. */
    WAIT_UNTIL ((main_strip = find_widget (GTK_WIDGET (main_window), KINEMA_TYPE_STORY_STRIP, NULL)) != NULL && gtk_widget_get_visible (main_strip) &&
                kinema_story_strip_get_story (KINEMA_STORY_STRIP (main_strip)) != NULL &&
                has_shots (main_strip, "clip-c clip-b clip-a"));
    /* Its lengths are read too. */
    WAIT_UNTIL (kinema_story_strip_get_length (KINEMA_STORY_STRIP (main_strip)) == (gint64) 6 * 1000000000);
    save_screenshot (GTK_WIDGET (main_window), "story-window");

    /* The story played in the player and trimmed there with I and O, across its
     * cuts: Export in the strip and in the player both start with that trim. */
    {
      GtkWidget    *view = find_widget (GTK_WIDGET (main_window), KINEMA_TYPE_PLAYER_VIEW, NULL);
      KinemaPlayer *player = kinema_player_view_get_player (KINEMA_PLAYER_VIEW (view));

      click (main_strip, _("Play the Story"), 0);
      WAIT_UNTIL (g_str_has_prefix (kinema_player_get_uri (player), "splitmux://") &&
                  kinema_player_get_duration (player) == (gint64) 6 * 1000000000 && shows_frame (player, 0));
      /* In at frame 15 (in the first shot), out after frame 44 (in the third): 3 s. */
      set_point (view, player, 15, "player.set-in");
      set_point (view, player, 44, "player.set-out");
      click (main_strip, _("Export the Story…"), 0);
      g_assert_cmpint (export_shown_dialog ("strip-trim.mp4"), ==, (gint64) 3 * 1000000000);
      g_assert_true (gtk_widget_activate_action (view, "player.export", NULL));
      g_assert_cmpint (export_shown_dialog ("player-trim.mp4"), ==, (gint64) 3 * 1000000000);
    }

    /* A story longer than the strip scrolls while something is dragged at its end,
     * and stops when the drag leaves. */
    {
      GtkDropTarget  *target = drop_target_of (main_strip);
      GtkWidget      *scroller = gtk_widget_get_ancestor (shot_card (main_strip, 0), GTK_TYPE_SCROLLED_WINDOW);
      GtkAdjustment  *adjustment = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scroller));
      graphene_rect_t bounds;
      GdkDragAction   action = 0;
      double          stopped;

      for (guint i = 0; i < 8; i++)
        g_assert_true (drop_task (main_strip, kinema_task_manager_lookup (manager, "clip-a"), card_x (main_strip, 0, 0.1)));
      wait_for_paint (main_strip);
      g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), >, gtk_adjustment_get_page_size (adjustment));
      g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 0);
      g_assert_true (gtk_widget_compute_bounds (scroller, main_strip, &bounds));
      g_signal_emit_by_name (target, "motion", bounds.origin.x + bounds.size.width - 4, bounds.origin.y + 20, &action);
      save_screenshot (GTK_WIDGET (main_window), "story-window-drag-scroll");
      WAIT_UNTIL (gtk_adjustment_get_value (adjustment) >= 20);
      g_signal_emit_by_name (target, "leave");
      wait_for_paint (main_strip);
      stopped = gtk_adjustment_get_value (adjustment);
      wait_for_paint (main_strip);
      wait_for_paint (main_strip);
      g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, stopped);
    }
    gtk_window_destroy (GTK_WINDOW (main_window));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  kinema_i18n_init ();
  if (!ui_test_init (&argc, &argv))
    return 77;
  tmpdir = g_dir_make_tmp ("kinema-story-strip-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_CACHE_HOME", tmpdir, TRUE);

  g_test_add_func ("/kinema/story-strip/strip", test_strip);
  ret = g_test_run ();
  remove_tree (tmpdir);
  return ret;
}
