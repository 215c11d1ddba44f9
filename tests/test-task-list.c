/* test-task-list.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The task list in-process under Xvfb: rows show prompt, model line, status and
 * progress and follow the task; search and the status filter narrow the model; 10,000
 * tasks make rows only for what is on screen; the rows' accessible names; and the row
 * actions, with a real task manager against the simulator where a job is involved
 * (retry asks first, and only then submits a new job).
 */

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "kinema-error.h"
#include "kinema-http-client.h"
#include "kinema-sim-server.h"
#include "kinema-task-list-view-private.h"
#include "kinema-task-manager.h"
#include "kinema-task-private.h"
#include "ui-test-util.h"

typedef struct
{
  char       *dir;
  GtkWidget  *window;
  GtkWidget  *view;
  GListStore *store;
} Fixture;

static KinemaTask *
make_task (const char      *prompt,
           KinemaTaskStatus status,
           double           progress,
           gboolean         demo)
{
  g_autoptr(KinemaRequest) request = kinema_request_new (KINEMA_TASK_KIND_TEXT_TO_VIDEO);
  KinemaTask *task;

  kinema_request_set_prompt (request, prompt);
  kinema_request_set_model (request, "kling-v2-5-turbo");
  kinema_request_set_mode (request, KINEMA_MODE_PRO);
  kinema_request_set_duration (request, 5);
  task = kinema_task_new (NULL, "n1n", "n1n", request, demo);
  kinema_task_set_submitted_at (task, g_get_real_time () - 83 * G_USEC_PER_SEC);
  kinema_task_set_status (task, status);
  kinema_task_set_progress (task, progress);
  if (status == KINEMA_TASK_STATUS_SUCCEEDED || status == KINEMA_TASK_STATUS_FAILED)
    kinema_task_set_finished_at (task, g_get_real_time ());
  return task;
}

static void
add_task (Fixture         *f,
          const char      *prompt,
          KinemaTaskStatus status,
          double           progress,
          gboolean         demo)
{
  g_autoptr(KinemaTask) task = make_task (prompt, status, progress, demo);

  g_list_store_append (f->store, task);
}

static KinemaTask *
store_task (Fixture *f,
            guint    position)
{
  g_autoptr(KinemaTask) task = g_list_model_get_item (G_LIST_MODEL (f->store), position);

  return task; /* the store keeps it alive */
}

static GtkWidget *
row_child (KinemaTaskRow *row,
           const char    *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (row), KINEMA_TYPE_TASK_ROW, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static const char *
row_text (KinemaTaskRow *row,
          const char    *name)
{
  return gtk_label_get_text (GTK_LABEL (row_child (row, name)));
}

static void
assert_accessible_label (GtkAccessible *accessible,
                         const char    *expected)
{
  g_autofree char *failure = gtk_test_accessible_check_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL, expected);

  if (failure != NULL)
    g_test_message ("accessible label: %s", failure);
  g_assert_null (failure);
}

static KinemaTaskRow *
wait_row (Fixture    *f,
          KinemaTask *task)
{
  KinemaTaskRow *row = NULL;

  WAIT_UNTIL ((row = kinema_task_list_view_lookup_row (KINEMA_TASK_LIST_VIEW (f->view), task)) != NULL);
  return row;
}

/* Finds the item for @action in @menu or its sections and submenus; @submenu_label gets
 * the label of the submenu it is in (NULL at the top). */
static gboolean
find_menu_item (GMenuModel *menu,
                const char *action,
                const char *in_submenu,
                char      **label,
                char      **submenu_label)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *item_action = NULL;
      g_autoptr(GMenuModel) section = NULL;
      g_autoptr(GMenuModel) submenu = NULL;

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &item_action) &&
          g_str_equal (item_action, action))
        {
          g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", label);
          *submenu_label = g_strdup (in_submenu);
          return TRUE;
        }
      section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      if (section != NULL && find_menu_item (section, action, in_submenu, label, submenu_label))
        return TRUE;
      submenu = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SUBMENU);
      if (submenu != NULL)
        {
          g_autofree char *name = NULL;

          g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &name);
          if (find_menu_item (submenu, action, name, label, submenu_label))
            return TRUE;
        }
    }
  return FALSE;
}

/* The row menu says what each way of generating again does, and keeps the task id
 * under Details (issue 12, point 11). */
static void
assert_row_menu (KinemaTaskRow *row)
{
  GMenuModel *menu = G_MENU_MODEL (gtk_widget_get_template_child (GTK_WIDGET (row), KINEMA_TYPE_TASK_ROW, "row_menu"));
  static const struct
  {
    const char *action;
    const char *label;
    const char *submenu;
  } expected[] = {
    { "task.reuse", "_Edit and Generate Again", NULL },
    { "task.retry", "_Generate Again…", NULL },
    { "task.copy-id", "Copy Task _ID", "_Details" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *label = NULL;
      g_autofree char *submenu = NULL;

      g_assert_true (find_menu_item (menu, expected[i].action, NULL, &label, &submenu));
      g_assert_cmpstr (label, ==, expected[i].label);
      g_assert_cmpstr (submenu, ==, expected[i].submenu);
    }
  {
    g_autofree char *label = NULL;
    g_autofree char *submenu = NULL;

    g_assert_false (find_menu_item (menu, "task.try-again", NULL, &label, &submenu));
  }
}

static guint
shown_count (Fixture *f)
{
  GListModel *model = kinema_task_list_view_get_model (KINEMA_TASK_LIST_VIEW (f->view));

  WAIT_UNTIL (gtk_filter_list_model_get_pending (GTK_FILTER_LIST_MODEL (model)) == 0);
  return g_list_model_get_n_items (model);
}

static const char *
visible_page (Fixture *f)
{
  GObject *stack = gtk_widget_get_template_child (f->view, KINEMA_TYPE_TASK_LIST_VIEW, "stack");

  return gtk_stack_get_visible_child_name (GTK_STACK (stack));
}

/* A 400x300 gradient, as a start image and thumbnail. */
static char *
make_image (Fixture *f)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 400, 300);
  g_autoptr(GError) error = NULL;
  char   *path = g_build_filename (f->dir, "start.png", NULL);
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int     stride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < 300; y++)
    for (int x = 0; x < 400; x++)
      {
        guchar *p = pixels + y * stride + x * 3;

        p[0] = 40 + x * 200 / 400;
        p[1] = 80 + y * 120 / 300;
        p[2] = 160;
      }

  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
  g_assert_no_error (error);
  return path;
}

static void
fixture_setup (Fixture      *f,
               gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *overlay;

  f->dir = g_dir_make_tmp ("kinema-list-XXXXXX", &error);
  g_assert_no_error (error);
  f->store = g_list_store_new (KINEMA_TYPE_TASK);

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 460, 640);
  overlay = adw_toast_overlay_new ();
  f->view = kinema_task_list_view_new ();
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), f->view);
  gtk_window_set_child (GTK_WINDOW (f->window), overlay);
  gtk_window_present (GTK_WINDOW (f->window));
  WAIT_UNTIL (gtk_widget_get_mapped (f->view));
}

static void
fixture_teardown (Fixture      *f,
                  gconstpointer data)
{
  AdwMessageDialog *dialog;

  while ((dialog = find_message_dialog ()) != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (f->window));
  drain ();
  g_clear_object (&f->store);
  remove_tree (f->dir);
  g_free (f->dir);
  /* no row outlives its list: the shared timer is gone */
  g_assert_cmpuint (kinema_task_row_get_n_ticking (), ==, 0);
}

/* Tests */

static void
test_empty (Fixture      *f,
            gconstpointer data)
{
  g_assert_cmpstr (visible_page (f), ==, "empty");
  kinema_task_list_view_set_tasks (KINEMA_TASK_LIST_VIEW (f->view), G_LIST_MODEL (f->store));
  g_assert_cmpstr (visible_page (f), ==, "empty");
  save_screenshot (f->window, "task-list-empty");

  add_task (f, "A lighthouse in a storm", KINEMA_TASK_STATUS_QUEUED, -1, FALSE);
  g_assert_cmpstr (visible_page (f), ==, "list");
}

static void
test_rows (Fixture      *f,
           gconstpointer data)
{
  g_autofree char *image = make_image (f);
  KinemaTask      *running, *ready, *failed, *demo;
  KinemaTaskRow   *row;
  g_autoptr(GError) error = NULL;

  add_task (f, "A red fox runs through fresh snow at dawn, slow motion, the camera follows low", KINEMA_TASK_STATUS_RUNNING, 0.3, FALSE);
  add_task (f, "Waves at sunset", KINEMA_TASK_STATUS_SUCCEEDED, -1, FALSE);
  add_task (f, "A city street in the rain", KINEMA_TASK_STATUS_FAILED, -1, FALSE);
  add_task (f, "Paper boats on a pond", KINEMA_TASK_STATUS_QUEUED, -1, TRUE);
  running = store_task (f, 0);
  ready = store_task (f, 1);
  failed = store_task (f, 2);
  demo = store_task (f, 3);
  kinema_request_set_image (kinema_task_get_request (running), image);
  kinema_task_set_video_path (ready, "/nonexistent/waves.mp4");
  kinema_task_set_thumbnail_path (ready, image);
  /* official Kling's final_unit_deduction, as kinema-reply.c reads it */
  kinema_task_set_units_charged (ready, 2.5);
  {
    /* Kling's content-review code (1301), as kinema-reply.c reads it */
    g_autoptr(GError) refused = kinema_error_new (KINEMA_ERROR_CONTENT_POLICY, 400, "1301",
                                                  "Failure to pass the risk control system", "req-7");

    kinema_task_fail (failed, refused);
  }
  kinema_task_set_estimated_remaining (running, 200);

  kinema_task_list_view_set_tasks (KINEMA_TASK_LIST_VIEW (f->view), G_LIST_MODEL (f->store));

  /* generating: prompt, model line, status with progress, elapsed time and estimate */
  row = wait_row (f, running);
  g_assert_cmpstr (row_text (row, "prompt_label"), ==, kinema_task_get_prompt (running));
  g_assert_cmpstr (row_text (row, "meta_label"), ==, "5 s · Pro · Kling 2.5 Turbo");
  g_assert_cmpstr (row_text (row, "status_label"), ==, "Generating 30%");
  g_assert_true (gtk_widget_get_visible (row_child (row, "progress_bar")));
  g_assert_cmpfloat_with_epsilon (gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (row_child (row, "progress_bar"))),
                                  0.3, 1e-9);
  g_assert_true (g_str_has_prefix (row_text (row, "time_label"), "1:2"));
  g_assert_nonnull (strstr (row_text (row, "time_label"), "about 4 minutes left"));
  g_assert_false (gtk_widget_get_visible (row_child (row, "demo_badge")));
  assert_accessible_label (GTK_ACCESSIBLE (row),
                           "A red fox runs through fresh snow at dawn, slow motion, the camera "
                           "follows low, Generating 30%");
  /* the start image is the thumbnail while it runs */
  WAIT_UNTIL (g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (row_child (row, "thumb_stack"))), "picture") == 0);
  g_assert_nonnull (gtk_picture_get_paintable (GTK_PICTURE (row_child (row, "thumb_picture"))));

  /* two active rows are on screen and share one timer */
  g_assert_cmpuint (kinema_task_row_get_n_ticking (), ==, 2);

  /* the row follows the task */
  kinema_task_set_progress (running, 0.6);
  g_assert_cmpstr (row_text (row, "status_label"), ==, "Generating 60%");
  kinema_task_set_is_slow (running, TRUE);
  g_assert_nonnull (strstr (row_text (row, "time_label"), "taking longer than usual"));
  kinema_task_set_status (running, KINEMA_TASK_STATUS_DOWNLOADING);
  kinema_task_set_progress (running, 0.5);
  g_assert_cmpstr (row_text (row, "status_label"), ==, "Downloading 50%");
  g_assert_true (gtk_widget_get_visible (row_child (row, "progress_bar")));

  /* ready, failed, demo */
  row = wait_row (f, ready);
  g_assert_cmpstr (row_text (row, "status_label"), ==, "Ready");
  /* what it really cost, beside the estimate of the built-in cost table */
  g_assert_true (g_str_has_suffix (row_text (row, "meta_label"), " · 2.5 units charged (≈ 2.5 estimated)"));
  g_assert_false (gtk_widget_get_visible (row_child (row, "progress_bar")));
  g_assert_true (g_str_has_prefix (row_text (row, "time_label"), "took 1:2"));
  assert_accessible_label (GTK_ACCESSIBLE (row),
                           "Waves at sunset, Ready");
  WAIT_UNTIL (g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (row_child (row, "thumb_stack"))), "picture") == 0);

  /* the reason in plain words (kinema-failure.c), not the provider's raw text */
  row = wait_row (f, failed);
  g_assert_cmpstr (row_text (row, "status_label"), ==, "Failed: Refused by content review");
  g_assert_true (gtk_widget_has_css_class (row_child (row, "status_label"), "error"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (row_child (row, "status_label")), ==,
                   kinema_task_get_status_message (failed));

  /* "What happened?" shows the same explanation once, and the provider's words only
   * under the details */
  {
    const char       *explained = "The provider's content review refused the prompt or the image. Change the "
                                  "prompt or use another image, then try again. Nothing was charged.";
    const char       *body;
    AdwMessageDialog *dialog;

    g_assert_cmpstr (kinema_task_get_status_message (failed), ==, explained);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "task.details", NULL));
    WAIT_UNTIL ((dialog = find_message_dialog ()) != NULL);
    body = adw_message_dialog_get_body (dialog);
    g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Why This Job Failed");
    g_assert_true (g_str_has_prefix (body, explained));
    g_assert_null (strstr (body + strlen (explained), explained));
    g_assert_nonnull (strstr (body, "HTTP status: 400"));
    g_assert_nonnull (strstr (body, "Provider code: 1301"));
    g_assert_nonnull (strstr (body, "Provider message: Failure to pass the risk control system"));
    g_assert_null (strstr (strstr (body, "risk control") + 1, "risk control"));
    save_screenshot (GTK_WIDGET (dialog), "task-list-details");
    gtk_window_destroy (GTK_WINDOW (dialog));
  }

  row = wait_row (f, demo);
  g_assert_true (gtk_widget_get_visible (row_child (row, "demo_badge")));
  assert_accessible_label (GTK_ACCESSIBLE (row), "Paper boats on a pond, Queued, demo clip");
  g_assert_cmpstr (row_text (row, "status_label"), ==, "Queued");

  /* the menu button says what it is */
  assert_accessible_label (GTK_ACCESSIBLE (row_child (row, "menu_button")), "Clip actions");

  /* so does the status filter's button, which takes the focus inside the drop-down */
  {
    GtkWidget *dropdown = GTK_WIDGET (gtk_widget_get_template_child (f->view, KINEMA_TYPE_TASK_LIST_VIEW,
                                                                     "status_dropdown"));
    guint      n_named = 0;

    for (GtkWidget *child = gtk_widget_get_first_child (dropdown); child; child = gtk_widget_get_next_sibling (child))
      if (GTK_IS_TOGGLE_BUTTON (child))
        {
          assert_accessible_label (GTK_ACCESSIBLE (child), "Show clips by status");
          n_named++;
        }
    g_assert_cmpuint (n_named, ==, 1);
  }

  kinema_task_set_status (running, KINEMA_TASK_STATUS_SUCCEEDED);
  g_assert_cmpuint (kinema_task_row_get_n_ticking (), ==, 1);
  kinema_task_set_status (running, KINEMA_TASK_STATUS_RUNNING);
  kinema_task_set_progress (running, 0.45);
  save_screenshot (f->window, "task-list-rows");
}

static void
test_filter (Fixture      *f,
             gconstpointer data)
{
  KinemaTaskListView *view = KINEMA_TASK_LIST_VIEW (f->view);
  GtkWidget          *dropdown = GTK_WIDGET (gtk_widget_get_template_child (f->view, KINEMA_TYPE_TASK_LIST_VIEW, "status_dropdown"));
  GtkWidget          *entry = GTK_WIDGET (gtk_widget_get_template_child (f->view, KINEMA_TYPE_TASK_LIST_VIEW, "search_entry"));

  add_task (f, "A red FOX in the snow", KINEMA_TASK_STATUS_RUNNING, 0.1, FALSE);
  add_task (f, "Fox cubs playing", KINEMA_TASK_STATUS_SUCCEEDED, -1, FALSE);
  add_task (f, "A whale breaching", KINEMA_TASK_STATUS_SUCCEEDED, -1, FALSE);
  add_task (f, "Storm over the sea", KINEMA_TASK_STATUS_FAILED, -1, FALSE);
  add_task (f, "Fireworks", KINEMA_TASK_STATUS_NEEDS_CHECKING, -1, FALSE);
  add_task (f, "Snow falling on a village", KINEMA_TASK_STATUS_QUEUED, -1, FALSE);
  add_task (f, "A stopped job", KINEMA_TASK_STATUS_STOPPED, -1, FALSE);
  kinema_task_list_view_set_tasks (view, G_LIST_MODEL (f->store));
  g_assert_cmpuint (shown_count (f), ==, 7);

  /* the status filter, from the dropdown */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), KINEMA_TASK_LIST_FILTER_ACTIVE);
  g_assert_cmpuint (shown_count (f), ==, 2);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), KINEMA_TASK_LIST_FILTER_READY);
  g_assert_cmpuint (shown_count (f), ==, 2);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), KINEMA_TASK_LIST_FILTER_FAILED);
  g_assert_cmpuint (shown_count (f), ==, 1);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), KINEMA_TASK_LIST_FILTER_NEEDS_CHECKING);
  g_assert_cmpuint (shown_count (f), ==, 1);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), KINEMA_TASK_LIST_FILTER_ALL);
  g_assert_cmpuint (shown_count (f), ==, 7);

  /* search by prompt, whatever the case, typed into the entry */
  gtk_editable_set_text (GTK_EDITABLE (entry), "fox");
  WAIT_UNTIL (shown_count (f) == 2);
  gtk_editable_set_text (GTK_EDITABLE (entry), "WHALE");
  WAIT_UNTIL (shown_count (f) == 1);
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  WAIT_UNTIL (shown_count (f) == 7);

  /* both together */
  kinema_task_list_view_set_filter (view, KINEMA_TASK_LIST_FILTER_ACTIVE);
  kinema_task_list_view_set_search (view, "SNOW");
  g_assert_cmpuint (shown_count (f), ==, 2);
  kinema_task_list_view_set_search (view, "snow falling");
  g_assert_cmpuint (shown_count (f), ==, 1);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (dropdown)), ==, KINEMA_TASK_LIST_FILTER_ACTIVE);

  /* nothing matches: say so */
  kinema_task_list_view_set_search (view, "no such clip");
  g_assert_cmpuint (shown_count (f), ==, 0);
  g_assert_cmpstr (visible_page (f), ==, "no-matches");
  save_screenshot (f->window, "task-list-no-matches");

  kinema_task_list_view_set_search (view, NULL);
  kinema_task_list_view_set_filter (view, KINEMA_TASK_LIST_FILTER_ALL);
  g_assert_cmpuint (shown_count (f), ==, 7);
  g_assert_cmpstr (visible_page (f), ==, "list");
}

static void
test_many (Fixture      *f,
           gconstpointer data)
{
  KinemaTaskListView *view = KINEMA_TASK_LIST_VIEW (f->view);
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  guint            created_before = kinema_task_row_get_n_created ();
  guint            thumbs_before = kinema_task_row_get_n_thumbnail_requests ();
  g_autofree char *image = make_image (f);
  guint            created;
  KinemaTask      *last;

  for (guint i = 0; i < 10000; i++)
    {
      g_autofree char *prompt = g_strdup_printf ("Clip number %u", i);

      KinemaTask *task = make_task (prompt, i % 10 == 0 ? KINEMA_TASK_STATUS_FAILED : KINEMA_TASK_STATUS_SUCCEEDED,
                                    -1, FALSE);

      kinema_task_set_thumbnail_path (task, image);
      g_ptr_array_add (tasks, task);
    }
  g_list_store_splice (f->store, 0, 0, tasks->pdata, tasks->len);
  kinema_task_list_view_set_tasks (view, G_LIST_MODEL (f->store));
  /* no search, no status filter: every task is shown at once, without a filter pass */
  g_assert_cmpuint (g_list_model_get_n_items (kinema_task_list_view_get_model (view)), ==, 10000);
  g_assert_cmpuint (shown_count (f), ==, 10000);
  wait_for_paint (f->window);

  /* only what fits on screen (plus GTK's small margin) gets a row */
  created = kinema_task_row_get_n_created () - created_before;
  g_test_message ("%u rows for 10,000 tasks", created);
  {
    guint mapped = 0;

    for (guint i = 0; i < 1000; i++)
      {
        KinemaTaskRow *row = kinema_task_list_view_lookup_row (view, g_ptr_array_index (tasks, i));

        if (row != NULL && gtk_widget_get_mapped (GTK_WIDGET (row)))
          mapped++;
      }
    /* a 640 px window shows about ten rows */
    g_assert_cmpuint (mapped, >, 0);
    g_assert_cmpuint (mapped, <, 30);
    /* and only rows on screen ask for a thumbnail, not the ~200 bound ones */
    WAIT_UNTIL (kinema_task_row_get_n_thumbnail_requests () - thumbs_before > 0);
    drain ();
    g_assert_cmpuint (kinema_task_row_get_n_thumbnail_requests () - thumbs_before, <, 30);
  }
  g_assert_cmpuint (created, >, 0);
  /* GTK 4.8's list view keeps up to 200 items bound around the visible ones */
  g_assert_cmpuint (created, <, 300);

  /* scrolling to the end recycles rows instead of making new ones */
  last = g_ptr_array_index (tasks, 9999);
  kinema_task_list_view_select_task (view, last);
  g_assert_true (kinema_task_list_view_get_selected_task (view) == last);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (wait_row (f, last))));
  g_assert_cmpuint (kinema_task_row_get_n_alive (), <, 300);

  /* search and filter narrow 10,000 tasks */
  kinema_task_list_view_set_search (view, "number 42");
  g_assert_cmpuint (shown_count (f), ==, 111); /* 42, 420-429, 4200-4299 */
  kinema_task_list_view_set_filter (view, KINEMA_TASK_LIST_FILTER_FAILED);
  g_assert_cmpuint (shown_count (f), ==, 11); /* 420, 4200, 4210, …, 4290 */
  kinema_task_list_view_set_search (view, NULL);
  g_assert_cmpuint (shown_count (f), ==, 1000);
  /* filtering replaces rows, but never keeps more than a screenful and GTK's margin */
  wait_for_paint (f->window);
  g_assert_cmpuint (kinema_task_row_get_n_alive (), <, 300);
}

static void
on_reuse (KinemaTaskListView *view,
          KinemaTask         *task,
          KinemaTask        **out)
{
  *out = task;
}

static void
on_compare (KinemaTaskListView *view,
            KinemaTask         *a,
            KinemaTask         *b,
            KinemaTask        **out)
{
  out[0] = a;
  out[1] = b;
}

static void
on_text_read (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **out = user_data;

  *out = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  if (*out == NULL)
    *out = g_strdup ("");
}

static void
test_actions (Fixture      *f,
              gconstpointer data)
{
  KinemaTaskListView *view = KINEMA_TASK_LIST_VIEW (f->view);
  KinemaTask         *reused = NULL;
  KinemaTask         *compared[2] = { NULL, NULL };
  g_autofree char    *copied = NULL;
  KinemaTask         *a, *b, *c;
  GObject            *revealer;

  add_task (f, "First clip", KINEMA_TASK_STATUS_SUCCEEDED, -1, FALSE);
  add_task (f, "Second clip", KINEMA_TASK_STATUS_SUCCEEDED, -1, FALSE);
  add_task (f, "Third clip", KINEMA_TASK_STATUS_RUNNING, 0.5, FALSE);
  a = store_task (f, 0);
  b = store_task (f, 1);
  c = store_task (f, 2);
  kinema_task_set_video_path (a, "/nonexistent/a.mp4");
  kinema_task_set_video_path (b, "/nonexistent/b.mp4");
  kinema_task_list_view_set_tasks (view, G_LIST_MODEL (f->store));
  g_signal_connect (view, "reuse-settings", G_CALLBACK (on_reuse), &reused);
  g_signal_connect (view, "compare", G_CALLBACK (on_compare), compared);

  /* play selects */
  g_assert_null (kinema_task_list_view_get_selected_task (view));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wait_row (f, b)), "task.play", NULL));
  g_assert_true (kinema_task_list_view_get_selected_task (view) == b);

  /* "Edit and Generate Again" hands the task to the composer; it is the one way there
   * (issue 12: "Reuse Settings" and "Try Again With Changes…" were the same thing). */
  gtk_widget_activate_action (GTK_WIDGET (wait_row (f, c)), "task.reuse", NULL);
  g_assert_true (reused == c);
  reused = NULL;
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (wait_row (f, a)), "task.try-again", NULL));
  g_assert_null (reused);
  assert_row_menu (wait_row (f, a));

  /* compare with the selected clip */
  gtk_widget_activate_action (GTK_WIDGET (wait_row (f, a)), "task.compare", NULL);
  g_assert_true (compared[0] == a && compared[1] == b);

  /* nothing else selected: the next clip selected is the second one */
  compared[0] = compared[1] = NULL;
  kinema_task_list_view_select_task (view, NULL);
  revealer = gtk_widget_get_template_child (f->view, KINEMA_TYPE_TASK_LIST_VIEW, "compare_revealer");
  gtk_widget_activate_action (GTK_WIDGET (wait_row (f, b)), "task.compare", NULL);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
  g_assert_null (compared[0]);
  kinema_task_list_view_select_task (view, a);
  g_assert_true (compared[0] == b && compared[1] == a);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));

  /* the task id goes to the clipboard */
  gtk_widget_activate_action (GTK_WIDGET (wait_row (f, c)), "task.copy-id", NULL);
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (f->view), NULL, on_text_read, &copied);
  WAIT_UNTIL (copied != NULL);
  g_assert_cmpstr (copied, ==, kinema_task_get_id (c));

  /* the row's menu button takes the keyboard focus */
  g_assert_true (gtk_widget_grab_focus (row_child (wait_row (f, a), "menu_button")));

  /* the selected row's menu opens from the keyboard */
  kinema_task_list_view_select_task (view, a);
  kinema_task_row_popup_menu (wait_row (f, a));
  WAIT_UNTIL (is_shown (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (row_child (wait_row (f, a), "menu_button"))))));
  save_screenshot (f->window, "task-list-menu");
  gtk_menu_button_popdown (GTK_MENU_BUTTON (row_child (wait_row (f, a), "menu_button")));
}

static GtkWidget *
find_file_chooser (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER (window) && gtk_widget_get_visible (window))
        return window;
    }

  return NULL;
}

static gboolean
has_contents (const char *path,
              const char *expected)
{
  g_autofree char *contents = NULL;

  return g_file_get_contents (path, &contents, NULL, NULL) && g_strcmp0 (contents, expected) == 0;
}

static void
test_save_as (Fixture      *f,
              gconstpointer data)
{
  g_autofree char *video = g_build_filename (f->dir, "clip.mp4", NULL);
  g_autofree char *saved = g_build_filename (f->dir, "copy.mp4", NULL);
  g_autoptr(GFile) dest = g_file_new_for_path (saved);
  GtkWidget  *chooser;
  KinemaTask *task;

  g_assert_true (g_file_set_contents (video, "not really an mp4, but bytes to copy", -1, NULL));
  add_task (f, "A clip to keep", KINEMA_TASK_STATUS_SUCCEEDED, -1, FALSE);
  task = store_task (f, 0);
  kinema_task_set_video_path (task, video);
  kinema_task_list_view_set_tasks (KINEMA_TASK_LIST_VIEW (f->view), G_LIST_MODEL (f->store));

  /* the chooser offers the clip's own name */
  gtk_widget_activate_action (GTK_WIDGET (wait_row (f, task)), "task.save-as", NULL);
  WAIT_UNTIL ((chooser = find_file_chooser ()) != NULL);
  g_assert_cmpstr (gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser)), ==, "clip.mp4");
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  WAIT_UNTIL (find_file_chooser () == NULL);
  g_assert_false (g_file_test (saved, G_FILE_TEST_EXISTS));

  /* the chosen file gets a copy, made without blocking the window */
  kinema_task_list_view_save_video (KINEMA_TASK_LIST_VIEW (f->view), task, dest);
  WAIT_UNTIL (has_contents (saved, "not really an mp4, but bytes to copy"));
}

/* With a task manager and the simulator */

typedef struct
{
  KinemaSimServer        *sim;
  KinemaProviderRegistry *registry;
  KinemaClient           *client;
  KinemaTaskManager      *manager;
  KinemaProvider         *provider;
} Backend;

static void
backend_start (Backend *b,
               Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KinemaHttpClient) http = kinema_http_client_new ();
  g_autofree char *config = g_build_filename (f->dir, "config", NULL);
  g_autofree char *data_dir = g_build_filename (f->dir, "data", NULL);
  g_autofree char *downloads = g_build_filename (f->dir, "Videos", NULL);
  g_autofree char *base = NULL;
  GAsyncResult    *result = NULL;

  b->sim = kinema_sim_server_new (NULL);
  g_assert_true (kinema_sim_server_start (b->sim, 0, &error));
  g_assert_no_error (error);
  kinema_sim_server_add_bearer_key (b->sim, "sk-list-test");
  /* jobs stay queued for the whole test */
  kinema_sim_server_set_clock (b->sim, 600000, 600000);

  b->registry = kinema_provider_registry_new (config);
  g_assert_true (kinema_provider_registry_load (b->registry, &error));
  base = g_strdup_printf ("%s/kling", kinema_sim_server_get_base_url (b->sim));
  b->provider = kinema_provider_new ("local", "Local gateway", base, KINEMA_API_STYLE_KLING, KINEMA_AUTH_BEARER);
  kinema_provider_set_api_key (b->provider, "sk-list-test");
  kinema_provider_registry_add (b->registry, b->provider);

  b->client = kinema_client_new (http);
  b->manager = kinema_task_manager_new (data_dir, downloads, b->registry, b->client);
  kinema_task_manager_load_async (b->manager, NULL, test_result_cb, &result);
  WAIT_UNTIL (result != NULL);
  g_assert_true (kinema_task_manager_load_finish (b->manager, result, &error));
  g_assert_no_error (error);
  g_object_unref (result);
}

static void
backend_stop (Backend *b)
{
  GListModel *tasks = kinema_task_manager_get_tasks (b->manager);

  for (guint i = 0; i < g_list_model_get_n_items (tasks); i++)
    {
      g_autoptr(KinemaTask) task = g_list_model_get_item (tasks, i);

      if (kinema_task_is_active (task))
        kinema_task_manager_stop (b->manager, task);
    }
  drain ();
  g_clear_object (&b->manager);
  kinema_sim_server_stop (b->sim);
  drain ();
  g_clear_object (&b->sim);
  g_clear_object (&b->client);
  g_clear_object (&b->provider);
  g_clear_object (&b->registry);
}

static KinemaTask *
generate (Backend    *b,
          const char *prompt)
{
  g_autoptr(KinemaRequest) request = kinema_request_new (KINEMA_TASK_KIND_TEXT_TO_VIDEO);
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;

  kinema_request_set_prompt (request, prompt);
  kinema_request_set_model (request, "kling-v2-5-turbo");
  kinema_request_set_duration (request, 5);
  tasks = kinema_task_manager_generate (b->manager, b->provider, request, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, 1);
  return g_object_ref (g_ptr_array_index (tasks, 0));
}

/* As a click on a response button does: respond, then close. */
static void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_retry_asks_first (Fixture      *f,
                       gconstpointer data)
{
  KinemaTaskListView *view = KINEMA_TASK_LIST_VIEW (f->view);
  GListModel         *tasks;
  AdwMessageDialog   *dialog;
  g_autoptr(KinemaTask) task = NULL;
  g_autofree char *id = NULL;
  Backend          b = { 0 };

  backend_start (&b, f);
  kinema_task_list_view_set_manager (view, b.manager);
  tasks = kinema_task_manager_get_tasks (b.manager);

  task = generate (&b, "A kite over the dunes");
  WAIT_UNTIL (kinema_task_get_status (task) == KINEMA_TASK_STATUS_QUEUED);
  g_assert_cmpuint (kinema_sim_server_get_n_jobs (b.sim), ==, 1);

  /* the Active filter shows it until it stops */
  kinema_task_list_view_set_filter (view, KINEMA_TASK_LIST_FILTER_ACTIVE);
  g_assert_cmpuint (shown_count (f), ==, 1);

  /* stop tracking asks, then stops */
  gtk_widget_activate_action (GTK_WIDGET (wait_row (f, task)), "task.stop", NULL);
  WAIT_UNTIL ((dialog = find_message_dialog ()) != NULL);
  g_assert_cmpint (kinema_task_get_status (task), ==, KINEMA_TASK_STATUS_QUEUED);
  respond (dialog, "stop");
  WAIT_UNTIL (kinema_task_get_status (task) == KINEMA_TASK_STATUS_STOPPED);
  WAIT_UNTIL (find_message_dialog () == NULL);
  /* a change of state is picked up by the status filter without watching every task */
  WAIT_UNTIL (shown_count (f) == 0);
  kinema_task_list_view_set_filter (view, KINEMA_TASK_LIST_FILTER_ALL);
  g_assert_cmpuint (shown_count (f), ==, 1);

  /* retry asks first: cancelling sends nothing */
  gtk_widget_activate_action (GTK_WIDGET (wait_row (f, task)), "task.retry", NULL);
  WAIT_UNTIL ((dialog = find_message_dialog ()) != NULL);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "This Starts a New Paid Job");
  save_screenshot (GTK_WIDGET (dialog), "task-list-retry-dialog");
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 1);
  respond (dialog, "cancel");
  WAIT_UNTIL (find_message_dialog () == NULL);
  drain ();
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 1);
  g_assert_cmpuint (kinema_sim_server_get_n_jobs (b.sim), ==, 1);

  /* confirmed: exactly one new job, selected in the list */
  gtk_widget_activate_action (GTK_WIDGET (wait_row (f, task)), "task.retry", NULL);
  WAIT_UNTIL ((dialog = find_message_dialog ()) != NULL);
  respond (dialog, "retry");
  WAIT_UNTIL (g_list_model_get_n_items (tasks) == 2);
  WAIT_UNTIL (kinema_sim_server_get_n_jobs (b.sim) == 2);
  WAIT_UNTIL (kinema_task_list_view_get_selected_task (view) != NULL);
  g_assert_true (kinema_task_list_view_get_selected_task (view) != task);
  g_assert_cmpstr (kinema_task_get_prompt (kinema_task_list_view_get_selected_task (view)), ==,
                   "A kite over the dunes");

  /* remove asks, then forgets the task */
  gtk_widget_activate_action (GTK_WIDGET (wait_row (f, task)), "task.remove", NULL);
  WAIT_UNTIL ((dialog = find_message_dialog ()) != NULL);
  respond (dialog, "remove");
  WAIT_UNTIL (g_list_model_get_n_items (tasks) == 1);
  id = g_strdup (kinema_task_get_id (task));
  g_assert_null (kinema_task_manager_lookup (b.manager, id));

  kinema_task_list_view_set_manager (view, NULL);
  g_assert_cmpstr (visible_page (f), ==, "empty");
  backend_stop (&b);
}

/* A port on 127.0.0.1 that refuses connections: bound, never listening. */
static GSocket *
refusing_socket (guint16 *port)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return socket;
}

static char *
open_details (Fixture          *f,
              KinemaTask       *task,
              AdwMessageDialog **out)
{
  KinemaTaskRow    *row = wait_row (f, task);
  AdwMessageDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "task.details", NULL));
  WAIT_UNTIL ((dialog = find_message_dialog ()) != NULL);
  *out = dialog;
  return g_strdup (adw_message_dialog_get_body (dialog));
}

/* Issue 12 point 3: not sent, sent but the answer lost, refused by the provider; each
 * with its own words, the same in the row's tooltip and the details. */
static void
test_job_states (Fixture      *f,
                 gconstpointer data)
{
  KinemaTaskListView *view = KINEMA_TASK_LIST_VIEW (f->view);
  g_autoptr(GSocket) refusing = NULL;
  g_autoptr(KinemaTask) unsent = NULL;
  g_autoptr(KinemaTask) lost = NULL;
  g_autoptr(KinemaTask) refused = NULL;
  g_autofree char *sim_url = NULL;
  g_autofree char *closed_url = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;
  KinemaTaskRow    *row;
  guint16           port = 0;
  Backend           b = { 0 };
  /* the simulator closes the connection after creating the job */
  KinemaSimFault drop = { "POST", "/kling/v1/videos/*", KINEMA_SIM_FAULT_DROP, 0, 0, 0, 1, TRUE, NULL };
  /* Kling's content-review refusal (code 1301), HTTP 400 */
  KinemaSimFault refuse = { "POST", "/kling/v1/videos/*", KINEMA_SIM_FAULT_STATUS, 400, 0, 0, 1, FALSE,
                            "{\"code\":1301,\"message\":\"Failure to pass the risk control system\","
                            "\"request_id\":\"r-9\"}" };

  backend_start (&b, f);
  kinema_task_list_view_set_manager (view, b.manager);

  /* Not sent: the connection was refused before anything was written */
  refusing = refusing_socket (&port);
  sim_url = g_strdup (kinema_provider_get_base_url (b.provider));
  closed_url = g_strdup_printf ("http://127.0.0.1:%u/kling", port);
  kinema_provider_set_base_url (b.provider, closed_url);
  unsent = generate (&b, "A lantern on the water");
  WAIT_UNTIL (kinema_task_get_status (unsent) == KINEMA_TASK_STATUS_NOT_SENT);
  row = wait_row (f, unsent);
  g_assert_cmpstr (row_text (row, "status_label"), ==, "Not sent");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (row_child (row, "status_label")), ==,
                   kinema_task_get_status_message (unsent));
  body = open_details (f, unsent, &dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "This Job Was Not Sent");
  g_assert_true (g_str_has_prefix (body, kinema_task_get_status_message (unsent)));
  g_assert_nonnull (strstr (body, "Nothing was charged"));
  g_assert_null (strstr (body, "closed"));
  g_assert_true (adw_message_dialog_has_response (dialog, "resend"));
  /* the system's words are not the provider's */
  g_assert_nonnull (strstr (body, "Connection error: "));
  g_assert_null (strstr (body, "Provider message"));
  save_screenshot (GTK_WIDGET (dialog), "task-list-not-sent");
  g_clear_pointer (&body, g_free);

  /* Try Again sends that same job, once */
  kinema_provider_set_base_url (b.provider, sim_url);
  respond (dialog, "resend");
  WAIT_UNTIL (kinema_sim_server_get_submit_count (b.sim, kinema_task_get_id (unsent)) == 1);
  WAIT_UNTIL (kinema_task_get_status (unsent) == KINEMA_TASK_STATUS_QUEUED);
  g_assert_cmpuint (kinema_sim_server_get_n_jobs (b.sim), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (kinema_task_manager_get_tasks (b.manager)), ==, 1);

  /* Sent, but the answer was lost: the only Needs checking */
  kinema_sim_server_add_fault (b.sim, &drop);
  lost = generate (&b, "A heron lands");
  WAIT_UNTIL (kinema_task_get_status (lost) == KINEMA_TASK_STATUS_NEEDS_CHECKING);
  row = wait_row (f, lost);
  g_assert_cmpstr (row_text (row, "status_label"), ==, "Needs checking");
  body = open_details (f, lost, &dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "This Job Needs Checking");
  g_assert_nonnull (strstr (body, "answer was lost"));
  g_assert_null (strstr (body, "was closed"));
  g_assert_false (adw_message_dialog_has_response (dialog, "resend"));
  save_screenshot (GTK_WIDGET (dialog), "task-list-needs-checking");
  respond (dialog, "close");
  g_clear_pointer (&body, g_free);

  /* Refused by the provider: why, in plain words; the raw text under the details once */
  kinema_sim_server_add_fault (b.sim, &refuse);
  refused = generate (&b, "A dancer in a field");
  WAIT_UNTIL (kinema_task_get_status (refused) == KINEMA_TASK_STATUS_FAILED);
  row = wait_row (f, refused);
  g_assert_cmpstr (row_text (row, "status_label"), ==, "Failed: Refused by content review");
  body = open_details (f, refused, &dialog);
  g_assert_true (g_str_has_prefix (body, "The provider's content review refused the prompt or the image."));
  g_assert_nonnull (strstr (body, "Nothing was charged."));
  g_assert_nonnull (strstr (body, "Provider message: Failure to pass the risk control system"));
  g_assert_null (strstr (strstr (body, "risk control") + 1, "risk control"));
  respond (dialog, "close");

  WAIT_UNTIL (find_message_dialog () == NULL);
  kinema_task_list_view_set_manager (view, NULL);
  backend_stop (&b);
}

int
main (int   argc,
      char *argv[])
{
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  if (!ui_test_init (&argc, &argv))
    return 77;

#define ADD(path, func) \
  g_test_add ("/kinema/task-list/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("empty", test_empty);
  ADD ("rows", test_rows);
  ADD ("filter", test_filter);
  ADD ("many", test_many);
  ADD ("actions", test_actions);
  ADD ("save-as", test_save_as);
  ADD ("retry-asks-first", test_retry_asks_first);
  ADD ("job-states", test_job_states);
#undef ADD

  return g_test_run ();
}
