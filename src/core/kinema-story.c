/* kinema-story.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-story"

#include "config.h"

#include "kinema-story.h"

struct _KinemaStory
{
  GObject parent_instance;

  char      *id;
  char      *title;
  gint64     created_at;
  gint64     updated_at;
  GPtrArray *shots; /* task ids */
};

G_DEFINE_FINAL_TYPE (KinemaStory, kinema_story, G_TYPE_OBJECT)

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
changed (KinemaStory *self)
{
  /* Strictly increasing, so that "newest first" follows the edits. */
  self->updated_at = MAX (g_get_real_time (), self->updated_at + 1);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

KinemaStory *
kinema_story_new (const char *title)
{
  g_autofree char *id = g_uuid_string_random ();
  gint64           now = g_get_real_time ();

  return kinema_story_new_full (id, title, now, now, NULL);
}

KinemaStory *
kinema_story_new_full (const char        *id,
                       const char        *title,
                       gint64             created_at,
                       gint64             updated_at,
                       const char *const *shots)
{
  KinemaStory *self;

  g_return_val_if_fail (id != NULL, NULL);

  self = g_object_new (KINEMA_TYPE_STORY, NULL);
  self->id = g_strdup (id);
  self->title = g_strdup (title != NULL ? title : "");
  self->created_at = created_at;
  self->updated_at = updated_at;
  for (guint i = 0; shots != NULL && shots[i] != NULL && i < KINEMA_STORY_MAX_SHOTS; i++)
    g_ptr_array_add (self->shots, g_strdup (shots[i]));
  return self;
}

static gboolean
is_finished_clip (KinemaTask *task)
{
  return kinema_task_get_status (task) == KINEMA_TASK_STATUS_SUCCEEDED &&
         kinema_task_get_video_path (task) != NULL;
}

GStrv
kinema_story_chain_for_task (GPtrArray  *tasks,
                             KinemaTask *task)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  KinemaTask *first = task;
  KinemaTask *last;

  g_return_val_if_fail (tasks != NULL, NULL);
  g_return_val_if_fail (KINEMA_IS_TASK (task), NULL);

  for (guint i = 0; i < tasks->len; i++)
    g_hash_table_insert (by_id, (gpointer) kinema_task_get_id (g_ptr_array_index (tasks, i)),
                         g_ptr_array_index (tasks, i));

  /* Back to the first clip; a broken or circular link ends the walk. */
  g_hash_table_add (seen, (gpointer) kinema_task_get_id (task));
  for (guint steps = 0; steps < KINEMA_STORY_MAX_SHOTS; steps++)
    {
      const char *parent_id = kinema_task_get_parent_id (first);
      KinemaTask *parent = parent_id != NULL ? g_hash_table_lookup (by_id, parent_id) : NULL;

      if (parent == NULL || !is_finished_clip (parent) || g_hash_table_contains (seen, parent_id))
        break;
      g_hash_table_add (seen, (gpointer) parent_id);
      first = parent;
    }

  /* Then forward: the earliest finished clip that continues the last one. A video
   * extension is the whole extended video, its parent's clip included (Kling docs, "Video
   * Extension"), so it takes its parent's place instead of following it. */
  g_hash_table_remove_all (seen);
  last = first;
  while (last != NULL && chain->len < KINEMA_STORY_MAX_SHOTS)
    {
      KinemaTask *next = NULL;

      if (chain->len > 0 && kinema_task_get_link_kind (last) == KINEMA_LINK_EXTEND)
        chain->pdata[chain->len - 1] = last;
      else
        g_ptr_array_add (chain, last);
      g_hash_table_add (seen, (gpointer) kinema_task_get_id (last));
      for (guint i = 0; i < tasks->len; i++)
        {
          KinemaTask *child = g_ptr_array_index (tasks, i);

          if (g_strcmp0 (kinema_task_get_parent_id (child), kinema_task_get_id (last)) != 0 ||
              !is_finished_clip (child) || g_hash_table_contains (seen, kinema_task_get_id (child)))
            continue;
          if (next == NULL || kinema_task_get_created_at (child) < kinema_task_get_created_at (next))
            next = child;
        }
      last = next;
    }

  for (guint i = 0; i < chain->len; i++)
    if (is_finished_clip (chain->pdata[i]) || chain->pdata[i] == task)
      g_strv_builder_add (builder, kinema_task_get_id (chain->pdata[i]));
  return g_strv_builder_end (builder);
}

const char *
kinema_story_get_id (KinemaStory *self)
{
  g_return_val_if_fail (KINEMA_IS_STORY (self), NULL);
  return self->id;
}

const char *
kinema_story_get_title (KinemaStory *self)
{
  g_return_val_if_fail (KINEMA_IS_STORY (self), NULL);
  return self->title;
}

void
kinema_story_set_title (KinemaStory *self,
                        const char  *title)
{
  g_return_if_fail (KINEMA_IS_STORY (self));

  if (title == NULL)
    title = "";
  if (g_strcmp0 (self->title, title) == 0)
    return;
  g_free (self->title);
  self->title = g_strdup (title);
  changed (self);
}

gint64
kinema_story_get_created_at (KinemaStory *self)
{
  g_return_val_if_fail (KINEMA_IS_STORY (self), 0);
  return self->created_at;
}

gint64
kinema_story_get_updated_at (KinemaStory *self)
{
  g_return_val_if_fail (KINEMA_IS_STORY (self), 0);
  return self->updated_at;
}

guint
kinema_story_get_n_shots (KinemaStory *self)
{
  g_return_val_if_fail (KINEMA_IS_STORY (self), 0);
  return self->shots->len;
}

const char *
kinema_story_get_shot (KinemaStory *self,
                       guint        index)
{
  g_return_val_if_fail (KINEMA_IS_STORY (self), NULL);
  g_return_val_if_fail (index < self->shots->len, NULL);
  return g_ptr_array_index (self->shots, index);
}

int
kinema_story_find_shot (KinemaStory *self,
                        const char  *task_id)
{
  g_return_val_if_fail (KINEMA_IS_STORY (self), -1);

  for (guint i = 0; task_id != NULL && i < self->shots->len; i++)
    if (g_str_equal (g_ptr_array_index (self->shots, i), task_id))
      return (int) i;
  return -1;
}

gboolean
kinema_story_insert_shot (KinemaStory *self,
                          int          position,
                          const char  *task_id)
{
  g_return_val_if_fail (KINEMA_IS_STORY (self), FALSE);
  g_return_val_if_fail (task_id != NULL, FALSE);

  if (self->shots->len >= KINEMA_STORY_MAX_SHOTS)
    return FALSE;
  if (position < 0 || (guint) position > self->shots->len)
    position = (int) self->shots->len;
  g_ptr_array_insert (self->shots, position, g_strdup (task_id));
  changed (self);
  return TRUE;
}

/**
 * kinema_story_add_clip:
 * @self: a #KinemaStory
 * @position: where to insert the shot, -1 for the end
 * @task: a task with a finished clip
 *
 * Adds @task's clip as a shot. A video extension contains its parent's clip (Kling
 * docs, "Video Extension": the result is the whole extended video), so where the story
 * already holds the parent, the extension takes that shot's place and the order stays
 * as it was; @position is then not used. Every shot of the parent is replaced.
 *
 * Returns: the index of the (first) shot, or -1 when the story is full
 */
int
kinema_story_add_clip (KinemaStory *self,
                       int          position,
                       KinemaTask  *task)
{
  int first = -1;

  g_return_val_if_fail (KINEMA_IS_STORY (self), -1);
  g_return_val_if_fail (KINEMA_IS_TASK (task), -1);

  if (kinema_task_get_link_kind (task) == KINEMA_LINK_EXTEND && kinema_task_get_parent_id (task) != NULL)
    for (guint i = 0; i < self->shots->len; i++)
      if (g_str_equal (g_ptr_array_index (self->shots, i), kinema_task_get_parent_id (task)))
        {
          g_free (self->shots->pdata[i]);
          self->shots->pdata[i] = g_strdup (kinema_task_get_id (task));
          if (first < 0)
            first = (int) i;
        }
  if (first >= 0)
    {
      changed (self);
      return first;
    }

  if (position < 0 || (guint) position > self->shots->len)
    position = (int) self->shots->len;
  return kinema_story_insert_shot (self, position, kinema_task_get_id (task)) ? position : -1;
}

gboolean
kinema_story_remove_shot (KinemaStory *self,
                          guint        index)
{
  g_return_val_if_fail (KINEMA_IS_STORY (self), FALSE);

  if (index >= self->shots->len)
    return FALSE;
  g_ptr_array_remove_index (self->shots, index);
  changed (self);
  return TRUE;
}

gboolean
kinema_story_move_shot (KinemaStory *self,
                        guint        from,
                        guint        to)
{
  gpointer shot;

  g_return_val_if_fail (KINEMA_IS_STORY (self), FALSE);

  if (from >= self->shots->len || to >= self->shots->len)
    return FALSE;
  if (from == to)
    return TRUE;
  shot = g_ptr_array_steal_index (self->shots, from);
  g_ptr_array_insert (self->shots, (int) to, shot);
  changed (self);
  return TRUE;
}

static void
kinema_story_finalize (GObject *object)
{
  KinemaStory *self = KINEMA_STORY (object);

  g_free (self->id);
  g_free (self->title);
  g_ptr_array_unref (self->shots);
  G_OBJECT_CLASS (kinema_story_parent_class)->finalize (object);
}

static void
kinema_story_class_init (KinemaStoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kinema_story_finalize;

  /**
   * KinemaStory::changed:
   *
   * The title or the shots changed.
   */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST | G_SIGNAL_NO_RECURSE | G_SIGNAL_NO_HOOKS, 0,
                                          NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
kinema_story_init (KinemaStory *self)
{
  self->shots = g_ptr_array_new_with_free_func (g_free);
}
