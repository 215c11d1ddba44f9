/* kinema-story-strip.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The stories are read from the history once (when the manager is set) and kept
 * here; every edit saves the story shown through the history's worker, so the main
 * loop never waits for the disk. The shots are rebuilt after each edit (a story has
 * at most KINEMA_STORY_MAX_SHOTS), and the focus follows the shot that moved.
 *
 * The lengths shown are the files' own (kinema-clip-length.h), read once per file in
 * a worker thread and kept by path; until they are read the total reads "…".
 *
 * Drag and drop: a shot's card is a drag source of a KinemaStoryShotRef (this story,
 * that position) and a finished clip's row in the task list one of its KinemaTask;
 * the whole strip is the drop target. A shot dropped moves, a clip dropped is added,
 * both at the gap nearest the pointer, which a bar in the accent colour shows.
 */

#define G_LOG_DOMAIN "kinema-story-strip"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kinema-clip-length.h"
#include "kinema-export-dialog.h"
#include "kinema-player-view.h"
#include "kinema-story-strip.h"
#include "kinema-style.h"
#include "kinema-thumbnailer.h"

#define THUMB_SIZE 96
#define MAX_ADD_CHOICES 60
#define NS_PER_SECOND G_GINT64_CONSTANT (1000000000)
/* Dragging this close to an end of the shots scrolls them, up to this fast. */
#define SCROLL_EDGE 48
#define SCROLL_MAX_STEP 12.0

struct _KinemaStoryStrip
{
  GtkBox parent_instance;

  KinemaTaskManager *manager;
  KinemaTask        *task;
  KinemaStory       *story;
  gboolean           stored;
  GPtrArray         *stories; /* KinemaStory, from the history */
  GCancellable      *cancellable;
  GHashTable        *lengths;     /* path -> gint64 ns (-1: unreadable) */
  GHashTable        *reading;     /* paths being read */
  GPtrArray         *captions;    /* GtkLabel per shot, borrowed */
  KinemaPlayerView  *player_view; /* weak */
  int                drop_index;  /* the gap shown, or -1 */
  double             drop_x;      /* the pointer over the strip while dragging */
  double             scroll_step; /* pixels a frame while dragging at an edge */
  guint              scroll_tick;

  GtkLabel      *title_label;
  GtkLabel      *total_label;
  GtkWidget     *play_button;
  GtkWidget     *export_button;
  GtkMenuButton *add_button;
  GtkListBox    *add_list;
  GtkBox        *shots_box;
  GtkWidget     *shots_scroller;
};

G_DEFINE_FINAL_TYPE (KinemaStoryStrip, kinema_story_strip, GTK_TYPE_BOX)

enum
{
  SIGNAL_PLAY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

KinemaStoryShotRef *
kinema_story_shot_ref_new (const char *story_id,
                           guint       index)
{
  KinemaStoryShotRef *ref = g_new0 (KinemaStoryShotRef, 1);

  ref->story_id = g_strdup (story_id);
  ref->index = index;
  return ref;
}

KinemaStoryShotRef *
kinema_story_shot_ref_copy (const KinemaStoryShotRef *ref)
{
  return kinema_story_shot_ref_new (ref->story_id, ref->index);
}

void
kinema_story_shot_ref_free (KinemaStoryShotRef *ref)
{
  g_free (ref->story_id);
  g_free (ref);
}

G_DEFINE_BOXED_TYPE (KinemaStoryShotRef, kinema_story_shot_ref, kinema_story_shot_ref_copy, kinema_story_shot_ref_free)

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

/* The clip's length as its file has it: -1 while it is being read, -2 unreadable. */
static gint64
task_length (KinemaStoryStrip *self,
             KinemaTask       *task)
{
  gpointer length;

  if (!g_hash_table_lookup_extended (self->lengths, kinema_task_get_video_path (task), NULL, &length))
    return -1;
  return *(gint64 *) length >= 0 ? *(gint64 *) length : -2;
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

  g_return_val_if_fail (KINEMA_IS_STORY_STRIP (self), -1);
  for (guint i = 0; self->story != NULL && i < kinema_story_get_n_shots (self->story); i++)
    {
      KinemaTask *task = lookup (self, kinema_story_get_shot (self->story, i));
      gint64      length = is_finished_clip (task) ? task_length (self, task) : 0;

      if (length == -1)
        return -1;
      total += MAX (length, 0);
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

static char *
format_length (gint64 ns)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT, ns / (60 * NS_PER_SECOND),
                          (ns / NS_PER_SECOND) % 60);
}

/* The captions and the total, from the lengths read so far. */
static void
update_lengths (KinemaStoryStrip *self)
{
  guint            n = self->story != NULL ? kinema_story_get_n_shots (self->story) : 0;
  gint64           total = kinema_story_strip_get_length (self);
  g_autofree char *length = total >= 0 ? format_length (total) : g_strdup ("…");
  g_autofree char *total_text = NULL;

  for (guint i = 0; i < self->captions->len && i < n; i++)
    {
      KinemaTask      *task = lookup (self, kinema_story_get_shot (self->story, i));
      g_autofree char *caption = NULL;
      gint64           shot = is_finished_clip (task) ? task_length (self, task) : -2;

      if (!is_finished_clip (task))
        /* Translators: a shot whose clip was removed from the history. */
        caption = g_strdup_printf (_("%u · missing"), i + 1);
      else if (shot == -1)
        /* Translators: a shot whose length is still being read. */
        caption = g_strdup_printf (_("%u · …"), i + 1);
      else if (shot == -2)
        /* Translators: a shot whose file could not be read. */
        caption = g_strdup_printf (_("%u · unreadable"), i + 1);
      else
        /* Translators: a shot's number and length in seconds: "2 · 5.0 s". */
        caption = g_strdup_printf (_("%u · %.1f s"), i + 1, (double) shot / NS_PER_SECOND);
      gtk_label_set_text (g_ptr_array_index (self->captions, i), caption);
    }

  /* Translators: the number of shots, then the story's length ("3 shots · 0:15"). */
  total_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u shot · %s", "%u shots · %s", n), n, length);
  gtk_label_set_text (self->total_label, total_text);

  /* The clips the Add list offers. */
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->add_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget       *label = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));
      const char      *excerpt = g_object_get_data (G_OBJECT (label), "kinema-excerpt");
      gpointer         clip_length = g_hash_table_lookup (self->lengths, g_object_get_data (G_OBJECT (label), "kinema-path"));
      g_autofree char *text = NULL;

      if (clip_length == NULL || *(gint64 *) clip_length < 0)
        continue;
      /* Translators: a clip to add to a story: its prompt and its length in seconds. */
      text = g_strdup_printf (_("%s · %.1f s"), excerpt, (double) *(gint64 *) clip_length / NS_PER_SECOND);
      gtk_label_set_text (GTK_LABEL (label), text);
    }
}

typedef struct
{
  KinemaStoryStrip *self;
  GStrv             paths;
} Reading;

static void
reading_free (Reading *reading)
{
  g_object_unref (reading->self);
  g_strfreev (reading->paths);
  g_free (reading);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reading, reading_free)

static void
on_lengths_read (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Reading) reading = user_data;
  g_autoptr(GArray) lengths = kinema_clip_length_read_finish (result, NULL);
  KinemaStoryStrip *self = reading->self;

  /* Cancelled: the strip is going away. */
  if (lengths == NULL)
    return;
  for (guint i = 0; reading->paths[i] != NULL && i < lengths->len; i++)
    {
      g_hash_table_remove (self->reading, reading->paths[i]);
      g_hash_table_insert (self->lengths, g_strdup (reading->paths[i]),
                           g_memdup2 (&g_array_index (lengths, gint64, i), sizeof (gint64)));
    }
  update_lengths (self);
}

/* Reads the lengths of those of @paths not read yet, all in one go. */
static void
read_lengths_of (KinemaStoryStrip  *self,
                 const char *const *paths)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  Reading *reading;

  for (guint i = 0; paths[i] != NULL; i++)
    {
      if (g_hash_table_contains (self->lengths, paths[i]) || g_hash_table_contains (self->reading, paths[i]))
        continue;
      g_hash_table_add (self->reading, g_strdup (paths[i]));
      g_strv_builder_add (builder, paths[i]);
    }
  reading = g_new0 (Reading, 1);
  reading->self = g_object_ref (self);
  reading->paths = g_strv_builder_end (builder);
  if (reading->paths[0] == NULL)
    {
      reading_free (reading);
      return;
    }
  kinema_clip_length_read_async ((const char *const *) reading->paths, self->cancellable, on_lengths_read, reading);
}

static void
read_lengths (KinemaStoryStrip *self)
{
  g_auto (GStrv) paths = kinema_story_strip_dup_paths (self);

  if (paths != NULL)
    read_lengths_of (self, (const char *const *) paths);
}

/* ----- drag and drop ----- */

static GdkContentProvider *
on_shot_drag_prepare (GtkDragSource    *source,
                      double            x,
                      double            y,
                      KinemaStoryStrip *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (source), "kinema-index"));
  g_autoptr(KinemaStoryShotRef) ref = NULL;

  if (self->story == NULL || index >= kinema_story_get_n_shots (self->story))
    return NULL;
  /* Where the pointer took the card (the picture is at its top left). */
  g_object_set_data (G_OBJECT (source), "kinema-x", GINT_TO_POINTER ((int) x));
  g_object_set_data (G_OBJECT (source), "kinema-y", GINT_TO_POINTER ((int) y));
  ref = kinema_story_shot_ref_new (kinema_story_get_id (self->story), index);
  return gdk_content_provider_new_typed (KINEMA_TYPE_STORY_SHOT_REF, ref);
}

static void
on_shot_drag_begin (GtkDragSource *source,
                    GdkDrag       *drag,
                    GtkPicture    *picture)
{
  GtkWidget *card = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (source));
  g_autoptr(GdkPaintable) icon = NULL;
  int x = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (source), "kinema-x"));
  int y = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (source), "kinema-y"));

  /* The thumbnail as the card shows it (the texture itself is twice as large), held
   * where the pointer took it. */
  icon = gtk_widget_paintable_new (gtk_picture_get_paintable (picture) != NULL ? GTK_WIDGET (picture) : card);
  gtk_drag_source_set_icon (source, icon, CLAMP (x, 0, gtk_widget_get_width (GTK_WIDGET (picture))),
                            CLAMP (y, 0, gtk_widget_get_height (GTK_WIDGET (picture))));
  gtk_widget_add_css_class (card, "kinema-dragged");
}

static void
on_shot_drag_end (GtkDragSource *source,
                  GdkDrag       *drag,
                  gboolean       delete_data)
{
  GtkWidget *card = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (source));

  /* After a move the strip was rebuilt: the card is gone. */
  if (card != NULL)
    gtk_widget_remove_css_class (card, "kinema-dragged");
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
  g_autofree char *excerpt = NULL;
  g_autofree char *accessible = NULL;

  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "kinema-shot");
  gtk_widget_set_size_request (picture, 128, 72);
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_COVER);
  gtk_widget_set_overflow (picture, GTK_OVERFLOW_HIDDEN);
  gtk_box_append (GTK_BOX (box), picture);

  if (is_finished_clip (task))
    {
      GtkDragSource *source = gtk_drag_source_new ();

      kinema_thumbnailer_load_async (kinema_thumbnailer_get_default (), kinema_task_get_video_path (task),
                                     THUMB_SIZE * 2, self->cancellable, on_thumbnail, g_object_ref (picture));
      excerpt = dup_excerpt (kinema_task_get_prompt (task), 60);
      gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
      g_object_set_data (G_OBJECT (source), "kinema-index", GUINT_TO_POINTER (index));
      g_signal_connect (source, "prepare", G_CALLBACK (on_shot_drag_prepare), self);
      g_signal_connect (source, "drag-begin", G_CALLBACK (on_shot_drag_begin), picture);
      g_signal_connect (source, "drag-end", G_CALLBACK (on_shot_drag_end), NULL);
      gtk_widget_add_controller (box, GTK_EVENT_CONTROLLER (source));
    }
  else
    excerpt = g_strdup ("");
  label = gtk_label_new (NULL);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "numeric");
  gtk_box_append (GTK_BOX (box), label);
  g_ptr_array_add (self->captions, label);
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
  GtkWidget *child;
  GtkWidget *focus = NULL;
  guint      n;

  self->drop_index = -1;
  g_ptr_array_set_size (self->captions, 0);
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

  read_lengths (self);
  update_lengths (self);
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

/* The gap nearest to @x (in the strip's coordinates): 0 before the first shot, n after
 * the last. */
static guint
gap_at (KinemaStoryStrip *self,
        double            x)
{
  guint index = 0;

  for (GtkWidget *card = gtk_widget_get_first_child (GTK_WIDGET (self->shots_box)); card != NULL;
       card = gtk_widget_get_next_sibling (card), index++)
    {
      graphene_rect_t bounds;

      if (gtk_widget_compute_bounds (card, GTK_WIDGET (self), &bounds) &&
          x < bounds.origin.x + bounds.size.width / 2)
        break;
    }
  return index;
}

/* Shows the bar at gap @index (-1: none): on the left of the shot after it, or on the
 * right of the last one. */
static void
show_gap (KinemaStoryStrip *self,
          int               index)
{
  guint i = 0;

  self->drop_index = index;
  for (GtkWidget *card = gtk_widget_get_first_child (GTK_WIDGET (self->shots_box)); card != NULL;
       card = gtk_widget_get_next_sibling (card), i++)
    {
      gboolean last = gtk_widget_get_next_sibling (card) == NULL;

      if (index >= 0 && (guint) index == i)
        gtk_widget_add_css_class (card, "kinema-drop-before");
      else
        gtk_widget_remove_css_class (card, "kinema-drop-before");
      if (index >= 0 && last && (guint) index == i + 1)
        gtk_widget_add_css_class (card, "kinema-drop-after");
      else
        gtk_widget_remove_css_class (card, "kinema-drop-after");
    }
}

/* A story longer than the strip scrolls while something is dragged at either end
 * of it, faster nearer the end, and the gap shown follows the shots under the
 * pointer. */
static gboolean
on_scroll_tick (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  KinemaStoryStrip *self = KINEMA_STORY_STRIP (widget);
  GtkAdjustment    *adjustment;
  double            value;

  if (self->scroll_step == 0)
    {
      self->scroll_tick = 0;
      return G_SOURCE_REMOVE;
    }
  adjustment = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (self->shots_scroller));
  value = CLAMP (gtk_adjustment_get_value (adjustment) + self->scroll_step, gtk_adjustment_get_lower (adjustment),
                 gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment));
  gtk_adjustment_set_value (adjustment, value);
  if (self->drop_index >= 0)
    show_gap (self, (int) gap_at (self, self->drop_x));
  return G_SOURCE_CONTINUE;
}

static void
scroll_at (KinemaStoryStrip *self,
           double            x,
           double            y)
{
  graphene_point_t point;
  double           width = gtk_widget_get_width (self->shots_scroller);

  self->scroll_step = 0;
  if (x >= 0 && gtk_widget_compute_point (GTK_WIDGET (self), self->shots_scroller, &GRAPHENE_POINT_INIT (x, y),
                                          &point))
    {
      if (point.x < SCROLL_EDGE)
        self->scroll_step = -SCROLL_MAX_STEP * (SCROLL_EDGE - MAX (point.x, 0)) / SCROLL_EDGE;
      else if (point.x > width - SCROLL_EDGE)
        self->scroll_step = SCROLL_MAX_STEP * (point.x - (width - SCROLL_EDGE)) / SCROLL_EDGE;
      self->scroll_step = CLAMP (self->scroll_step, -SCROLL_MAX_STEP, SCROLL_MAX_STEP);
    }
  if (self->scroll_step != 0 && self->scroll_tick == 0)
    self->scroll_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_scroll_tick, NULL, NULL);
}

static GdkDragAction
on_drop_motion (GtkDropTarget    *target,
                double            x,
                double            y,
                KinemaStoryStrip *self)
{
  GdkDrop *drop = gtk_drop_target_get_current_drop (target);
  gboolean move = drop != NULL && gdk_content_formats_contain_gtype (gdk_drop_get_formats (drop),
                                                                     KINEMA_TYPE_STORY_SHOT_REF);

  if (self->story == NULL)
    return 0;
  self->drop_x = x;
  show_gap (self, (int) gap_at (self, x));
  scroll_at (self, x, y);
  return move ? GDK_ACTION_MOVE : GDK_ACTION_COPY;
}

static void
on_drop_leave (GtkDropTarget    *target,
               KinemaStoryStrip *self)
{
  show_gap (self, -1);
  scroll_at (self, -1, -1);
}

static gboolean
on_drop (GtkDropTarget    *target,
         const GValue     *value,
         double            x,
         double            y,
         KinemaStoryStrip *self)
{
  guint gap = gap_at (self, x);

  show_gap (self, -1);
  scroll_at (self, -1, -1);
  if (self->story == NULL)
    return FALSE;

  if (G_VALUE_HOLDS (value, KINEMA_TYPE_STORY_SHOT_REF))
    {
      const KinemaStoryShotRef *ref = g_value_get_boxed (value);
      guint                     to;

      /* A shot of another story (another window's strip) is not ours to move. */
      if (ref == NULL || g_strcmp0 (ref->story_id, kinema_story_get_id (self->story)) != 0 ||
          ref->index >= kinema_story_get_n_shots (self->story))
        return FALSE;
      /* The gaps count the shot itself: past it, one less. */
      to = gap > ref->index ? gap - 1 : gap;
      if (to == ref->index)
        return TRUE;
      kinema_story_move_shot (self->story, ref->index, to);
      save (self);
      rebuild (self, -1, NULL);
      return TRUE;
    }

  if (G_VALUE_HOLDS (value, KINEMA_TYPE_TASK))
    {
      KinemaTask *task = g_value_get_object (value);

      /* An extension takes its parent's place where the story holds it (its clip
       * contains the parent's). */
      if (!is_finished_clip (task) || kinema_story_add_clip (self->story, (int) gap, task) < 0)
        return FALSE;
      save (self);
      rebuild (self, -1, NULL);
      return TRUE;
    }
  return FALSE;
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
  gint64           in_ns = -1, out_ns = -1;
  gint64           length = kinema_story_strip_get_length (self);

  if (paths == NULL)
    return;
  /* The in and out points set while the player plays this very story. */
  if (self->player_view != NULL)
    {
      KinemaPlayer *player = kinema_player_view_get_player (self->player_view);
      g_auto (GStrv) playing = kinema_player_dup_files (player);

      if (playing != NULL && g_strv_equal ((const char *const *) playing, (const char *const *) paths))
        {
          if (!kinema_player_view_get_points (self->player_view, &in_ns, &out_ns))
            in_ns = out_ns = -1;
          if (length < 0)
            length = kinema_player_get_duration (player);
        }
    }
  name = g_strdup (kinema_story_get_title (self->story));
  g_strdelimit (name, "/\\:", '-');
  dialog = kinema_export_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, (const char *const *) paths,
                                     name, length, in_ns, out_ns);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
kinema_story_strip_set_player_view (KinemaStoryStrip *self,
                                    KinemaPlayerView *view)
{
  g_return_if_fail (KINEMA_IS_STORY_STRIP (self));
  g_return_if_fail (view == NULL || KINEMA_IS_PLAYER_VIEW (view));

  g_set_weak_pointer (&self->player_view, view);
}

static void
on_add_popover_show (KinemaStoryStrip *self)
{
  GtkWidget  *child;
  GListModel *model;
  guint       n, shown = 0;
  g_autoptr(GStrvBuilder) paths = g_strv_builder_new ();
  g_auto (GStrv) to_read = NULL;

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
      GtkWidget       *label;

      if (!is_finished_clip (task))
        continue;
      excerpt = dup_excerpt (kinema_task_get_prompt (task), 48);
      /* The length follows once the file is read (update_lengths). */
      label = gtk_label_new (excerpt);
      g_object_set_data_full (G_OBJECT (label), "kinema-excerpt", g_strdup (excerpt), g_free);
      g_object_set_data_full (G_OBJECT (label), "kinema-path", g_strdup (kinema_task_get_video_path (task)), g_free);
      g_strv_builder_add (paths, kinema_task_get_video_path (task));
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
  to_read = g_strv_builder_end (paths);
  read_lengths_of (self, (const char *const *) to_read);
  update_lengths (self);
}

static void
on_add_row_activated (KinemaStoryStrip *self,
                      GtkListBoxRow    *row)
{
  const char *task_id = g_object_get_data (G_OBJECT (row), "kinema-task-id");
  KinemaTask *task = task_id != NULL ? lookup (self, task_id) : NULL;

  gtk_menu_button_popdown (self->add_button);
  if (task == NULL || self->story == NULL || kinema_story_add_clip (self->story, -1, task) < 0)
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
  if (self->scroll_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->scroll_tick);
  self->scroll_tick = 0;
  gtk_widget_dispose_template (GTK_WIDGET (self), KINEMA_TYPE_STORY_STRIP);
  g_clear_object (&self->manager);
  g_clear_object (&self->task);
  g_clear_object (&self->story);
  g_clear_pointer (&self->stories, g_ptr_array_unref);
  g_clear_pointer (&self->captions, g_ptr_array_unref);
  g_clear_weak_pointer (&self->player_view);
  G_OBJECT_CLASS (kinema_story_strip_parent_class)->dispose (object);
}

static void
kinema_story_strip_finalize (GObject *object)
{
  KinemaStoryStrip *self = KINEMA_STORY_STRIP (object);

  g_clear_object (&self->cancellable);
  g_hash_table_unref (self->lengths);
  g_hash_table_unref (self->reading);
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
  gtk_widget_class_bind_template_child (widget_class, KinemaStoryStrip, shots_scroller);
  gtk_widget_class_bind_template_callback (widget_class, on_play_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_add_popover_show);
  gtk_widget_class_bind_template_callback (widget_class, on_add_row_activated);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
kinema_story_strip_init (KinemaStoryStrip *self)
{
  GtkDropTarget *target;
  GType          types[] = { KINEMA_TYPE_STORY_SHOT_REF, KINEMA_TYPE_TASK };

  self->cancellable = g_cancellable_new ();
  self->lengths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->reading = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->captions = g_ptr_array_new ();
  self->drop_index = -1;
  kinema_style_ensure (RESOURCE_PREFIX "/kinema-story-strip.css");
  gtk_widget_init_template (GTK_WIDGET (self));

  target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY | GDK_ACTION_MOVE);
  gtk_drop_target_set_gtypes (target, types, G_N_ELEMENTS (types));
  g_signal_connect (target, "enter", G_CALLBACK (on_drop_motion), self);
  g_signal_connect (target, "motion", G_CALLBACK (on_drop_motion), self);
  g_signal_connect (target, "leave", G_CALLBACK (on_drop_leave), self);
  g_signal_connect (target, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}

GtkWidget *
kinema_story_strip_new (void)
{
  return g_object_new (KINEMA_TYPE_STORY_STRIP, NULL);
}
