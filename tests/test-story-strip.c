/* test-story-strip.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The story strip on a real display, over a task manager whose history holds three
 * finished clips that continue each other: it shows them in order, its buttons move
 * and drop shots (the story is stored in the history), and Play hands the files over
 * in order. KINEMA_TEST_SCREENSHOT_DIR=DIR keeps screenshots (LANGUAGE=zh_CN for the
 * Chinese ones).
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "kinema-i18n.h"
#include "kinema-story-strip.h"
#include "kinema-window.h"
#include "kinema-task-private.h"
#include "kinema-test-clip.h"

#define FPS 10

static char *tmpdir;

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

#define WAIT_UNTIL(cond)                                              \
  G_STMT_START                                                        \
  {                                                                   \
    gint64 deadline_ = g_get_monotonic_time () + 30 * G_USEC_PER_SEC; \
    guint  tick_ = g_timeout_add (10, tick_cb, NULL);                 \
    while (!(cond) && g_get_monotonic_time () < deadline_)            \
      g_main_context_iteration (NULL, TRUE);                          \
    g_source_remove (tick_);                                          \
    if (!(cond))                                                      \
      g_error ("timed out waiting for %s", #cond);                    \
  }                                                                   \
  G_STMT_END

static void
set_true (gboolean *flag)
{
  *flag = TRUE;
}

static void
screenshot (GtkWidget  *widget,
            const char *name)
{
  const char    *dir = g_getenv ("KINEMA_TEST_SCREENSHOT_DIR");
  const char    *language = g_getenv ("LANGUAGE");
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gboolean       painted = FALSE;
  gulong         id;

  g_assert_nonnull (clock);
  id = g_signal_connect_swapped (clock, "after-paint", G_CALLBACK (set_true), &painted);
  gtk_widget_queue_draw (widget);
  WAIT_UNTIL (painted);
  g_signal_handler_disconnect (clock, id);
  if (dir != NULL)
    {
      g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
      g_autoptr(GskRenderNode) node = NULL;
      g_autoptr(GdkTexture) texture = NULL;
      int              width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
      g_autofree char *path = g_strdup_printf ("%s/%s-%s.png", dir, name, language != NULL ? language : "C");

      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
      if (node == NULL)
        return;
      texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                             &GRAPHENE_RECT_INIT (0, 0, width, height));
      g_mkdir_with_parents (dir, 0755);
      gdk_texture_save_to_png (texture, path);
    }
}

/* The @nth (0-based) button with tooltip @tooltip under @root, in tree order. */
static GtkWidget *
find_button (GtkWidget  *root,
             const char *tooltip,
             guint      *nth)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_widget_get_tooltip_text (root), tooltip) == 0)
    {
      if (*nth == 0)
        return root;
      (*nth)--;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, tooltip, nth);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
click (GtkWidget  *root,
       const char *tooltip,
       guint       nth)
{
  GtkWidget *button = find_button (root, tooltip, &nth);

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

static GtkWidget *
find_strip (GtkWidget *root)
{
  if (KINEMA_IS_STORY_STRIP (root))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_strip (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
on_result (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
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
  kinema_task_manager_load_async (manager, NULL, on_result, &result);
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
  g_assert_cmpint (kinema_story_strip_get_length (KINEMA_STORY_STRIP (strip)), ==, (gint64) 15 * 1000000000);
  screenshot (window, "story-strip");

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
  screenshot (window, "story-strip-edited");

  /* The edits are in the history. */
  g_assert_true (kinema_history_flush_sync (kinema_task_manager_get_history (manager), &error));
  history = kinema_history_new (data_dir);
  g_clear_object (&result);
  kinema_history_load_stories_async (history, NULL, on_result, &result);
  WAIT_UNTIL (result != NULL);
  stories = kinema_history_load_stories_finish (history, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stories->len, ==, 1);
  text = shots_of (stories->pdata[0]);
  g_assert_cmpstr (text, ==, "clip-b clip-c");
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
    WAIT_UNTIL ((main_strip = find_strip (GTK_WIDGET (main_window))) != NULL && gtk_widget_get_visible (main_strip) &&
                kinema_story_strip_get_story (KINEMA_STORY_STRIP (main_strip)) != NULL &&
                kinema_story_get_n_shots (kinema_story_strip_get_story (KINEMA_STORY_STRIP (main_strip))) == 2);
    g_clear_pointer (&text, g_free);
    text = shots_of (kinema_story_strip_get_story (KINEMA_STORY_STRIP (main_strip)));
    g_assert_cmpstr (text, ==, "clip-b clip-c");
    screenshot (GTK_WIDGET (main_window), "story-window");
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
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      g_test_skip ("no display");
      return 77;
    }
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  tmpdir = g_dir_make_tmp ("kinema-story-strip-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_CACHE_HOME", tmpdir, TRUE);

  g_test_add_func ("/kinema/story-strip/strip", test_strip);
  ret = g_test_run ();

  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);

    g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
  }
  return ret;
}
