/* kinema-story-strip.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The stories are read from the history once (when the manager is set) and kept
 * here; every edit saves the story shown through the history's worker, so the main
 * loop never waits for the disk. The shots are rebuilt after each edit (a story has
 * at most KINEMA_STORY_MAX_SHOTS), and the focus follows the shot that moved.
 */

#define G_LOG_DOMAIN "kinema-story-strip"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kinema-export-dialog.h"
#include "kinema-story-strip.h"
#include "kinema-thumbnailer.h"

#define THUMB_SIZE 96
#define MAX_ADD_CHOICES 60
#define NS_PER_SECOND G_GINT64_CONSTANT (1000000000)

struct _KinemaStoryStrip
{
  GtkBox parent_instance;

  KinemaTaskManager *manager;
  KinemaTask        *task;
  KinemaStory       *story;
  gboolean           stored;
  GPtrArray         *stories; /* KinemaStory, from the history */
  GCancellable      *cancellable;

  GtkLabel      *title_label;
  GtkLabel      *total_label;
  GtkWidget     *play_button;
  GtkWidget     *export_button;
  GtkMenuButton *add_button;
  GtkListBox    *add_list;
  GtkBox        *shots_box;
};

G_DEFINE_FINAL_TYPE (KinemaStoryStrip, kinema_story_strip, GTK_TYPE_BOX)

enum
{
  SIGNAL_PLAY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static KinemaTask *
lookup (KinemaStoryStrip *self,
        const char       *task_id)
{
  return self->manager != NULL ? kinema_task_manager_lookup (self->manager, task_id) : NULL;
}

static gboolean
is_finished_clip (KinemaTask *task)
{
  return task != NULL && kinema_task_get_status (task) == KINEMA_TASK_STATUS_SUCCEEDED &&
         kinema_task_get_video_path (task) != NULL;
}

static gint64
task_length (KinemaTask *task)
{
  return (gint64) kinema_request_get_duration (kinema_task_get_request (task)) * G_TIME_SPAN_SECOND * 1000;
}

static char *
dup_excerpt (const char *text,
             glong       max)
{
  g_autofree char *line = g_strdup (text != NULL ? text : "");

  g_strdelimit (line, "\r\n\t", ' ');
  if (g_utf8_strlen (line, -1) <= max)
    return g_steal_pointer (&line);
  {
    g_autofree char *cut = g_utf8_substring (line, 0, max);

    return g_strconcat (cut, "…", NULL);
  }
}

gint64
kinema_story_strip_get_length (KinemaStoryStrip *self)
{
  gint64 total = 0;

  g_return_val_if_fail (KINEMA_IS_STORY_STRIP (self), 0);
  for (guint i = 0; self->story != NULL && i < kinema_story_get_n_shots (self->story); i++)
    {
      KinemaTask *task = lookup (self, kinema_story_get_shot (self->story, i));

      if (is_finished_clip (task))
        total += task_length (task);
    }
  return total;
}

GStrv
kinema_story_strip_dup_paths (KinemaStoryStrip *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) paths = NULL;

  g_return_val_if_fail (KINEMA_IS_STORY_STRIP (self), NULL);
  for (guint i = 0; self->story != NULL && i < kinema_story_get_n_shots (self->story); i++)
    {
      KinemaTask *task = lookup (self, kinema_story_get_shot (self->story, i));

      if (is_finished_clip (task))
        g_strv_builder_add (builder, kinema_task_get_video_path (task));
    }
  paths = g_strv_builder_end (builder);
  return paths[0] != NULL ? g_steal_pointer (&paths) : NULL;
}

KinemaStory *
kinema_story_strip_get_story (KinemaStoryStrip *self)
{
  g_return_val_if_fail (KINEMA_IS_STORY_STRIP (self), NULL);
  return self->story;
}

/* ------------------------------------------------------------------------- */
/* The shots */

static void rebuild (KinemaStoryStrip *self,
                     int               focus_index,
                     const char       *focus_kind);

static void
on_thumbnail (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GtkPicture) picture = user_data;
  g_autoptr(GdkTexture) texture = NULL;

  texture = kinema_thumbnailer_load_finish (KINEMA_THUMBNAILER (source), result, NULL);
  if (texture != NULL)
    gtk_picture_set_paintable (picture, GDK_PAINTABLE (texture));
}

static void
save (KinemaStoryStrip *self)
{
  if (self->manager == NULL || self->story == NULL)
    return;
  if (!self->stored)
    {
      self->stored = TRUE;
      if (self->stories != NULL)
        g_ptr_array_insert (self->stories, 0, g_object_ref (self->story));
    }
  kinema_history_save_story (kinema_task_manager_get_history (self->manager), self->story);
}

static void
on_shot_button (GtkButton        *button,
                KinemaStoryStrip *self)
{
  const char *kind = g_object_get_data (G_OBJECT (button), "kinema-kind");
  guint       index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "kinema-index"));
  int         focus = (int) index;

  if (self->story == NULL)
    return;
  if (g_str_equal (kind, "earlier") && index > 0)
    {
      kinema_story_move_shot (self->story, index, index - 1);
      focus = (int) index - 1;
    }
  else if (g_str_equal (kind, "later"))
    {
      kinema_story_move_shot (self->story, index, index + 1);
      focus = (int) index + 1;
    }
  else if (g_str_equal (kind, "remove"))
    {
      kinema_story_remove_shot (self->story, index);
      focus = MIN ((int) index, (int) kinema_story_get_n_shots (self->story) - 1);
    }
  save (self);
  rebuild (self, focus, kind);
}

static GtkWidget *
shot_button (KinemaStoryStrip *self,
             guint             index,
             const char       *kind,
             const char       *icon,
             const char       *tooltip,
             gboolean          sensitive)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "circular");
  gtk_widget_set_sensitive (button, sensitive);
  g_object_set_data (G_OBJECT (button), "kinema-kind", (gpointer) kind);
  g_object_set_data (G_OBJECT (button), "kinema-index", GUINT_TO_POINTER (index));
  g_signal_connect (button, "clicked", G_CALLBACK (on_shot_button), self);
  return button;
}

static GtkWidget *
shot_widget (KinemaStoryStrip *self,
             guint             index,
             guint             n_shots,
             KinemaTask       *task,
             GtkWidget       **focus_buttons)
{
  GtkWidget       *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget       *picture = gtk_picture_new ();
  GtkWidget       *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget       *label;
  g_autofree char *caption = NULL;
  g_autofree char *excerpt = NULL;
  g_autofree char *accessible = NULL;

  gtk_widget_add_css_class (box, "card");
  gtk_widget_set_size_request (picture, 128, 72);
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_COVER);
  gtk_widget_set_overflow (picture, GTK_OVERFLOW_HIDDEN);
  gtk_box_append (GTK_BOX (box), picture);

  if (is_finished_clip (task))
    {
      kinema_thumbnailer_load_async (kinema_thumbnailer_get_default (), kinema_task_get_video_path (task),
                                     THUMB_SIZE * 2, self->cancellable, on_thumbnail, g_object_ref (picture));
      /* Translators: a shot's number and length in seconds: "2 · 5 s". */
      caption = g_strdup_printf (_("%u · %u s"), index + 1,
                                    kinema_request_get_duration (kinema_task_get_request (task)));
      excerpt = dup_excerpt (kinema_task_get_prompt (task), 60);
    }
  else
    {
      /* Translators: a shot whose clip was removed from the history. */
      caption = g_strdup_printf (_("%u · missing"), index + 1);
      excerpt = g_strdup ("");
    }
  label = gtk_label_new (caption);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "numeric");
  gtk_box_append (GTK_BOX (box), label);
  if (task == self->task)
    gtk_widget_add_css_class (label, "accent");

  focus_buttons[0] = shot_button (self, index, "earlier", "go-previous-symbolic", _("Move Earlier"), index > 0);
  focus_buttons[1] = shot_button (self, index, "remove", "list-remove-symbolic", _("Remove From the Story"), TRUE);
  focus_buttons[2] = shot_button (self, index, "later", "go-next-symbolic", _("Move Later"), index + 1 < n_shots);
  for (guint i = 0; i < 3; i++)
    gtk_box_append (GTK_BOX (buttons), focus_buttons[i]);
  gtk_widget_set_halign (buttons, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), buttons);

  /* Translators: for screen readers: shot number, total, and the clip's prompt. */
  accessible = g_strdup_printf (_("Shot %u of %u: %s"), index + 1, n_shots, excerpt);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  gtk_widget_set_tooltip_text (picture, excerpt);
  return box;
}

static void
rebuild (KinemaStoryStrip *self,
         int               focus_index,
         const char       *focus_kind)
{
  GtkWidget       *child;
  GtkWidget       *focus = NULL;
  guint            n;
  gint64           total;
  g_autofree char *length = NULL;
  g_autofree char *total_text = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->shots_box))) != NULL)
    gtk_box_remove (self->shots_box, child);

  if (self->story == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }

  n = kinema_story_get_n_shots (self->story);
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *buttons[3];

      gtk_box_append (self->shots_box,
                      shot_widget (self, i, n, lookup (self, kinema_story_get_shot (self->story, i)), buttons));
      if ((int) i == focus_index && focus_kind != NULL)
        focus = g_str_equal (focus_kind, "earlier") ? buttons[0] : g_str_equal (focus_kind, "later") ? buttons[2]
                                                                                                     : buttons[1];
    }

  total = kinema_story_strip_get_length (self);
  length = g_strdup_printf ("%" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT, total / (60 * NS_PER_SECOND),
                            (total / NS_PER_SECOND) % 60);
  /* Translators: the number of shots, then the story's length ("3 shots · 0:15"). */
  total_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u shot · %s", "%u shots · %s", n), n, length);
  gtk_label_set_text (self->total_label, total_text);
  gtk_label_set_text (self->title_label, kinema_story_get_title (self->story)[0] != '\0'
                                             ? kinema_story_get_title (self->story)
                                             : _("Story"));
  gtk_widget_set_sensitive (self->play_button, n > 0);
  gtk_widget_set_sensitive (self->export_button, n > 0);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
  if (focus != NULL)
    {
      if (!gtk_widget_get_sensitive (focus))
        focus = gtk_widget_get_next_sibling (focus) != NULL ? gtk_widget_get_next_sibling (focus)
                                                            : gtk_widget_get_prev_sibling (focus);
      gtk_widget_grab_focus (focus);
    }
}

/* ------------------------------------------------------------------------- */
/* Choosing the story */

static KinemaStory *
stored_story_of (KinemaStoryStrip *self,
                 KinemaTask       *task)
{
  for (guint i = 0; self->stories != NULL && i < self->stories->len; i++)
    if (kinema_story_find_shot (g_ptr_array_index (self->stories, i), kinema_task_get_id (task)) >= 0)
      return g_ptr_array_index (self->stories, i);
  return NULL;
}

static KinemaStory *
chain_story_of (KinemaStoryStrip *self,
                KinemaTask       *task)
{
  GListModel *model = kinema_task_manager_get_tasks (self->manager);
  guint       n = g_list_model_get_n_items (model);
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_full (n, g_object_unref);
  g_auto (GStrv) chain = NULL;
  g_autofree char *title = NULL;
  KinemaStory     *story;
  KinemaTask      *first;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (tasks, g_list_model_get_item (model, i));
  chain = kinema_story_chain_for_task (tasks, task);
  /* Named after its first clip. */
  first = chain[0] != NULL ? lookup (self, chain[0]) : NULL;
  title = dup_excerpt (kinema_task_get_prompt (first != NULL ? first : task), 60);
  story = kinema_story_new (title);
  for (guint i = 0; chain[i] != NULL; i++)
    kinema_story_insert_shot (story, -1, chain[i]);
  return story;
}

static void
show_task (KinemaStoryStrip *self)
{
  KinemaStory *stored;

  g_clear_object (&self->story);
  self->stored = FALSE;
  if (self->manager == NULL || !is_finished_clip (self->task))
    {
      rebuild (self, -1, NULL);
      return;
    }
  stored = stored_story_of (self, self->task);
  if (stored != NULL)
    {
      self->story = g_object_ref (stored);
      self->stored = TRUE;
    }
  else
    self->story = chain_story_of (self, self->task);
  rebuild (self, -1, NULL);
}

void
kinema_story_strip_set_task (KinemaStoryStrip *self,
                             KinemaTask       *task)
{
  g_return_if_fail (KINEMA_IS_STORY_STRIP (self));

  /* The same clip again keeps the story shown (and an edit in progress). */
  if (task != NULL && task == self->task && self->story != NULL &&
      kinema_story_find_shot (self->story, kinema_task_get_id (task)) >= 0)
    return;
  g_set_object (&self->task, task);
  show_task (self);
}

static void
on_stories_loaded (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(KinemaStoryStrip) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *stories = kinema_history_load_stories_finish (KINEMA_HISTORY (source), result, &error);

  if (stories == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Stories: %s", error->message);
      return;
    }
  g_ptr_array_set_free_func (stories, g_object_unref);
  g_clear_pointer (&self->stories, g_ptr_array_unref);
  self->stories = stories;
  show_task (self);
}

void
kinema_story_strip_set_manager (KinemaStoryStrip  *self,
                                KinemaTaskManager *manager)
{
  g_return_if_fail (KINEMA_IS_STORY_STRIP (self));

  if (!g_set_object (&self->manager, manager))
    return;
  g_clear_pointer (&self->stories, g_ptr_array_unref);
  if (manager != NULL)
    kinema_history_load_stories_async (kinema_task_manager_get_history (manager), self->cancellable,
                                       on_stories_loaded, g_object_ref (self));
  show_task (self);
}

/* ------------------------------------------------------------------------- */
/* Header buttons */

static void
on_play_clicked (KinemaStoryStrip *self)
{
  g_auto (GStrv) paths = kinema_story_strip_dup_paths (self);

  if (paths != NULL)
    g_signal_emit (self, signals[SIGNAL_PLAY], 0, paths);
}

static void
on_export_clicked (KinemaStoryStrip *self)
{
  g_auto (GStrv) paths = kinema_story_strip_dup_paths (self);
  g_autofree char *name = NULL;
  GtkRoot         *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget       *dialog;

  if (paths == NULL)
    return;
  name = g_strdup (kinema_story_get_title (self->story));
  g_strdelimit (name, "/\\:", '-');
  dialog = kinema_export_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, (const char *const *) paths,
                                     name, kinema_story_strip_get_length (self), -1, -1);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_add_popover_show (KinemaStoryStrip *self)
{
  GtkWidget  *child;
  GListModel *model;
  guint       n, shown = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->add_list))) != NULL)
    gtk_list_box_remove (self->add_list, child);
  if (self->manager == NULL)
    return;

  model = kinema_task_manager_get_tasks (self->manager);
  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n && shown < MAX_ADD_CHOICES; i++)
    {
      g_autoptr(KinemaTask) task = g_list_model_get_item (model, i);
      g_autofree char *excerpt = NULL;
      g_autofree char *text = NULL;
      GtkWidget       *label;

      if (!is_finished_clip (task))
        continue;
      excerpt = dup_excerpt (kinema_task_get_prompt (task), 48);
      /* Translators: a clip to add to a story: its prompt and its length in seconds. */
      text = g_strdup_printf (_("%s · %u s"), excerpt, kinema_request_get_duration (kinema_task_get_request (task)));
      label = gtk_label_new (text);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_margin_start (label, 6);
      gtk_widget_set_margin_end (label, 6);
      gtk_widget_set_margin_top (label, 6);
      gtk_widget_set_margin_bottom (label, 6);
      gtk_list_box_append (self->add_list, label);
      g_object_set_data_full (G_OBJECT (gtk_widget_get_parent (label)), "kinema-task-id",
                              g_strdup (kinema_task_get_id (task)), g_free);
      shown++;
    }
}

static void
on_add_row_activated (KinemaStoryStrip *self,
                      GtkListBoxRow    *row)
{
  const char *task_id = g_object_get_data (G_OBJECT (row), "kinema-task-id");

  gtk_menu_button_popdown (self->add_button);
  if (task_id == NULL || self->story == NULL || !kinema_story_insert_shot (self->story, -1, task_id))
    return;
  save (self);
  rebuild (self, -1, NULL);
}

/* ------------------------------------------------------------------------- */
/* GObject */

static void
kinema_story_strip_dispose (GObject *object)
{
  KinemaStoryStrip *self = KINEMA_STORY_STRIP (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), KINEMA_TYPE_STORY_STRIP);
  g_clear_object (&self->manager);
  g_clear_object (&self->task);
  g_clear_object (&self->story);
  g_clear_pointer (&self->stories, g_ptr_array_unref);
  G_OBJECT_CLASS (kinema_story_strip_parent_class)->dispose (object);
}

static void
kinema_story_strip_finalize (GObject *object)
{
  KinemaStoryStrip *self = KINEMA_STORY_STRIP (object);

  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (kinema_story_strip_parent_class)->finalize (object);
}

static void
kinema_story_strip_class_init (KinemaStoryStripClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kinema_story_strip_dispose;
  object_class->finalize = kinema_story_strip_finalize;

  /**
   * KinemaStoryStrip::play:
   * @paths: the shots' files, in order
   *
   * The user asked to play the story as one.
   */
  signals[SIGNAL_PLAY] = g_signal_new ("play", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST | G_SIGNAL_NO_RECURSE | G_SIGNAL_NO_HOOKS, 0, NULL, NULL,
                                       NULL, G_TYPE_NONE, 1, G_TYPE_STRV);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/kinema-story-strip.ui");
  gtk_widget_class_bind_template_child (widget_class, KinemaStoryStrip, title_label);
  gtk_widget_class_bind_template_child (widget_class, KinemaStoryStrip, total_label);
  gtk_widget_class_bind_template_child (widget_class, KinemaStoryStrip, play_button);
  gtk_widget_class_bind_template_child (widget_class, KinemaStoryStrip, export_button);
  gtk_widget_class_bind_template_child (widget_class, KinemaStoryStrip, add_button);
  gtk_widget_class_bind_template_child (widget_class, KinemaStoryStrip, add_list);
  gtk_widget_class_bind_template_child (widget_class, KinemaStoryStrip, shots_box);
  gtk_widget_class_bind_template_callback (widget_class, on_play_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_add_popover_show);
  gtk_widget_class_bind_template_callback (widget_class, on_add_row_activated);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
kinema_story_strip_init (KinemaStoryStrip *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
kinema_story_strip_new (void)
{
  return g_object_new (KINEMA_TYPE_STORY_STRIP, NULL);
}
