/* kinema-bench-memory.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Resident memory with the history loaded into the task list and 100 thumbnails
 * made by the thumbnailer and shown:
 *
 *   kinema-bench-memory [--baseline] [--quick]
 *
 * The history is whatever $XDG_DATA_HOME/kinema holds (kinema-bench fills it with
 * 10,000 tasks). --baseline shows the same window with neither list nor thumbnails,
 * so the difference is what the tasks and the pictures cost. Prints `rss-mb:` once
 * the window has painted everything.
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "kinema-client.h"
#include "kinema-http-client.h"
#include "kinema-provider-registry.h"
#include "kinema-task-list-view.h"
#include "kinema-task-manager.h"
#include "kinema-thumbnailer.h"

#define N_THUMBNAILS 100

static GMainLoop *loop;
static guint      pending;

static double
rss_mb (void)
{
  g_autofree char *status = NULL;
  const char      *p;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) || (p = strstr (status, "VmRSS:")) == NULL)
    return -1;
  return g_ascii_strtod (p + 6, NULL) / 1024.0;
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
thumbnail_loaded (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = kinema_thumbnailer_load_finish (KINEMA_THUMBNAILER (source), result, &error);

  if (texture == NULL)
    g_error ("thumbnail: %s", error->message);
  gtk_picture_set_paintable (GTK_PICTURE (user_data), GDK_PAINTABLE (texture));
  if (--pending == 0)
    g_main_loop_quit (loop);
}

/* A 1280×720 frame-like picture, different for each @i. */
static char *
make_frame (const char *dir,
            guint       i)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 1280, 720);
  char   *path = g_strdup_printf ("%s/frame-%03u.png", dir, i);
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int     stride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < 720; y++)
    for (int x = 0; x < 1280; x++)
      {
        pixels[y * stride + x * 3] = (guchar) (x / 5 + i);
        pixels[y * stride + x * 3 + 1] = (guchar) (y / 3);
        pixels[y * stride + x * 3 + 2] = (guchar) (i * 37);
      }
  gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  g_assert_no_error (error);
  return path;
}

static gboolean
quit_idle (gpointer data)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static void
after_paint (GdkFrameClock *clock,
             gpointer       data)
{
  g_signal_handlers_disconnect_by_func (clock, after_paint, data);
  g_idle_add (quit_idle, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  gboolean         baseline = FALSE;
  g_autofree char *data_dir = g_build_filename (g_get_user_data_dir (), "kinema", NULL);
  g_autofree char *config_dir = g_build_filename (g_get_user_config_dir (), "kinema", NULL);
  g_autofree char *videos = g_build_filename (g_get_home_dir (), "Videos", NULL);
  g_autofree char *frames = g_build_filename (g_get_user_cache_dir (), "bench-frames", NULL);
  g_autofree char *thumbs = g_build_filename (g_get_user_cache_dir (), "bench-thumbnails", NULL);
  g_autoptr(KinemaProviderRegistry) registry = NULL;
  g_autoptr(KinemaHttpClient) http = NULL;
  g_autoptr(KinemaClient) client = NULL;
  g_autoptr(KinemaTaskManager) manager = NULL;
  g_autoptr(KinemaThumbnailer) thumbnailer = NULL;
  GtkWidget *window, *box, *flow;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  guint n_tasks = 0;

  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--baseline"))
      baseline = TRUE;

  /* The frames are made before anything is measured, and their memory given back. */
  g_mkdir_with_parents (frames, 0700);
  if (!baseline)
    for (guint i = 0; i < N_THUMBNAILS; i++)
      g_ptr_array_add (paths, make_frame (frames, i));

  gtk_init ();
  adw_init ();
  g_print ("rss-after-init-mb: %.1f\n", rss_mb ());
  loop = g_main_loop_new (NULL, FALSE);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 760);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_window_set_child (GTK_WINDOW (window), box);

  if (!baseline)
    {
      g_autoptr(GAsyncResult) result = NULL;
      GtkWidget *view = kinema_task_list_view_new ();
      GtkWidget *scroller = gtk_scrolled_window_new ();

      registry = kinema_provider_registry_new (config_dir);
      http = kinema_http_client_new ();
      client = kinema_client_new (http);
      manager = kinema_task_manager_new (data_dir, videos, registry, client);
      kinema_task_manager_load_async (manager, NULL, store_result, &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      if (!kinema_task_manager_load_finish (manager, result, &error))
        g_error ("%s", error->message);
      n_tasks = g_list_model_get_n_items (kinema_task_manager_get_tasks (manager));
      g_print ("rss-after-load-mb: %.1f\n", rss_mb ());

      gtk_widget_set_size_request (view, 420, -1);
      kinema_task_list_view_set_manager (KINEMA_TASK_LIST_VIEW (view), manager);
      gtk_box_append (GTK_BOX (box), view);

      flow = gtk_flow_box_new ();
      gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 10);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), flow);
      gtk_widget_set_hexpand (scroller, TRUE);
      gtk_box_append (GTK_BOX (box), scroller);

      thumbnailer = kinema_thumbnailer_new (thumbs);
      pending = paths->len;
      for (guint i = 0; i < pending; i++)
        {
          GtkWidget *picture = gtk_picture_new ();

          gtk_widget_set_size_request (picture, 64, 36);
          gtk_flow_box_append (GTK_FLOW_BOX (flow), picture);
          kinema_thumbnailer_load_async (thumbnailer, paths->pdata[i], 128, NULL, thumbnail_loaded, picture);
        }
    }
  else
    gtk_box_append (GTK_BOX (box), gtk_label_new ("Baseline"));

  gtk_window_present (GTK_WINDOW (window));
  if (pending > 0)
    g_main_loop_run (loop);
  g_print ("rss-after-thumbnails-mb: %.1f\n", rss_mb ());
  /* One more frame with every picture in it. */
  gtk_widget_queue_draw (window);
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (after_paint), NULL);
  g_main_loop_run (loop);

  g_print ("tasks: %u\nthumbnails: %u\n", n_tasks, baseline ? 0 : N_THUMBNAILS);
  g_print ("rss-mb: %.1f\n", rss_mb ());
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
