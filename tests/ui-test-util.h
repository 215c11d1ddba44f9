/* ui-test-util.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers of the tests that run widgets on a display (Xvfb): starting GTK, waiting on
 * the main loop with a deadline, finding widgets, rendering a widget the way GTK draws
 * it, screenshots (when KINEMA_TEST_SCREENSHOT_DIR is set) and removing temporary
 * folders.
 */

#pragma once

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "test-util.h"

/* How long WAIT_UNTIL waits; a test whose waits are long (encoding video) defines
 * its own before it includes this file. */
#ifndef UI_TEST_WAIT_SECONDS
#define UI_TEST_WAIT_SECONDS 20
#endif

/* Runs the main loop until @cond holds or @seconds pass (a deadline, not a timing
 * assert); the test fails, naming @cond, if it never holds. */
#define WAIT_UNTIL_SECONDS(cond, seconds)                                    \
  G_STMT_START                                                               \
  {                                                                          \
    gint64 _deadline = g_get_monotonic_time () + G_USEC_PER_SEC * (seconds); \
    guint  _tick = g_timeout_add (10, test_tick_cb, NULL);                   \
    while (!(cond) && g_get_monotonic_time () < _deadline)                   \
      g_main_context_iteration (NULL, TRUE);                                 \
    g_source_remove (_tick);                                                 \
    if (!(cond))                                                             \
      g_error ("timed out waiting for %s", #cond);                           \
  }                                                                          \
  G_STMT_END

#define WAIT_UNTIL(cond) WAIT_UNTIL_SECONDS (cond, UI_TEST_WAIT_SECONDS)

static inline void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static inline GtkWidget *
ui_test_find_nth (GtkWidget *root,
                  gboolean (*match) (GtkWidget *widget, gconstpointer data),
                  gconstpointer data,
                  guint        *nth)
{
  if (match (root, data))
    {
      if (*nth == 0)
        return root;
      (*nth)--;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ui_test_find_nth (child, match, data, nth);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The @nth (0-based) widget under @root (itself included, in tree order) that @match
 * accepts, or NULL. */
static inline GtkWidget *
find_nth_widget_matching (GtkWidget *root,
                          gboolean (*match) (GtkWidget *widget, gconstpointer data),
                          gconstpointer data,
                          guint         nth)
{
  return ui_test_find_nth (root, match, data, &nth);
}

/* The first widget under @root (itself included, in tree order) that @match accepts. */
static inline GtkWidget *
find_widget_matching (GtkWidget *root,
                      gboolean (*match) (GtkWidget *widget, gconstpointer data),
                      gconstpointer data)
{
  return find_nth_widget_matching (root, match, data, 0);
}

typedef struct
{
  GType       type;
  const char *name;
} UiTestWidgetQuery;

static inline gboolean
ui_test_is_type_and_name (GtkWidget    *widget,
                          gconstpointer data)
{
  const UiTestWidgetQuery *query = data;

  return (query->type == G_TYPE_INVALID || g_type_is_a (G_OBJECT_TYPE (widget), query->type)) &&
         (query->name == NULL || g_strcmp0 (gtk_widget_get_name (widget), query->name) == 0);
}

/* The first widget under @root of @type (G_TYPE_INVALID: any) named @name (NULL: any). */
static inline GtkWidget *
find_widget (GtkWidget  *root,
             GType       type,
             const char *name)
{
  UiTestWidgetQuery query = { type, name };

  return find_widget_matching (root, ui_test_is_type_and_name, &query);
}

static inline gboolean
is_shown (GtkWidget *widget)
{
  return widget != NULL && gtk_widget_is_visible (widget) && gtk_widget_get_mapped (widget);
}

static inline void
ui_test_set_true (gboolean *flag)
{
  *flag = TRUE;
}

/* Waits for @widget's window to paint a frame. */
static inline void
wait_for_paint (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gboolean       painted = FALSE;
  gulong         id;

  g_assert_nonnull (clock);
  id = g_signal_connect_swapped (clock, "after-paint", G_CALLBACK (ui_test_set_true), &painted);
  gtk_widget_queue_draw (widget);
  WAIT_UNTIL (painted);
  g_signal_handler_disconnect (clock, id);
}

/* @widget as GTK draws it, through the window's own renderer, after a paint; NULL
 * if no attempt gave a picture. */
static inline GdkTexture *
ui_test_try_render (GtkWidget *widget)
{
  GdkTexture *texture = NULL;

  /* A NULL node happens now and then with the cairo renderer: try again after a paint. */
  for (int attempt = 0; attempt < 5 && texture == NULL; attempt++)
    {
      g_autoptr(GdkPaintable) paintable = NULL;
      g_autoptr(GtkSnapshot) snapshot = NULL;
      g_autoptr(GskRenderNode) node = NULL;
      int width, height;

      wait_for_paint (widget);
      paintable = gtk_widget_paintable_new (widget);
      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
      if (node != NULL)
        texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                               &GRAPHENE_RECT_INIT (0, 0, width, height));
    }

  return texture;
}

/* Keeps @texture as DIR/@name-LANGUAGE.png when KINEMA_TEST_SCREENSHOT_DIR=DIR is set
 * (run with LANGUAGE=zh_CN for the Chinese ones). */
static inline void
save_texture (GdkTexture *texture,
              const char *name)
{
  const char      *dir = g_getenv ("KINEMA_TEST_SCREENSHOT_DIR");
  const char      *language = g_getenv ("LANGUAGE");
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;

  path = g_strdup_printf ("%s/%s-%s.png", dir, name, language != NULL && *language != '\0' ? language : "C");
  g_mkdir_with_parents (dir, 0755);
  gdk_texture_save_to_png (texture, path);
}

/* @widget as drawn on screen (the test fails without a picture), kept as a screenshot. */
static inline GdkTexture *
render_widget (GtkWidget  *widget,
               const char *name)
{
  GdkTexture *texture = ui_test_try_render (widget);

  g_assert_nonnull (texture);
  save_texture (texture, name);
  return texture;
}

/* Waits for @widget to be painted and keeps a screenshot of it when
 * KINEMA_TEST_SCREENSHOT_DIR is set. */
static inline void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  g_autoptr(GdkTexture) texture = NULL;

  if (g_getenv ("KINEMA_TEST_SCREENSHOT_DIR") == NULL)
    {
      wait_for_paint (widget);
      return;
    }

  texture = ui_test_try_render (widget);
  if (texture == NULL)
    g_test_message ("no screenshot %s: empty snapshot", name);
  else
    save_texture (texture, name);
}

/* The first toplevel window of @type, shown or not, or NULL. */
static inline GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (g_type_is_a (G_OBJECT_TYPE (window), type))
        return window;
    }

  return NULL;
}

/* The message dialog on screen, or NULL. */
static inline AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (window))
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

/* GTK warns that it has no session bus when a test runs without one; nothing else is hidden. */
static inline GLogWriterOutput
ui_test_log_writer (GLogLevelFlags   log_level,
                    const GLogField *fields,
                    gsize            n_fields,
                    gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0 &&
        strstr (fields[i].value, "Unable to acquire session bus") != NULL)
      return G_LOG_WRITER_HANDLED;

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

/* g_test_init() and GTK with libadwaita, without animations (a screenshot shows a page,
 * not half of two). FALSE, the test skipped, when there is no display: main() returns 77. */
static inline gboolean
ui_test_init (int    *argc,
              char ***argv)
{
  g_test_init (argc, argv, NULL);
  g_log_set_writer_func (ui_test_log_writer, NULL, NULL);
  if (!gtk_init_check ())
    {
      g_test_skip ("no display");
      return FALSE;
    }
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  return TRUE;
}
