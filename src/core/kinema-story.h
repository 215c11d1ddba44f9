/* kinema-story.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A story: finished clips (tasks, by id) played and exported one after the other.
 * Clips that continue each other (issue 14) make one; the user can reorder its shots,
 * drop one, and add any finished clip. The history keeps stories (tables stories and
 * story_shots); this object is the in-memory copy that the UI and kinema-cli edit.
 */

#pragma once

#include <gio/gio.h>

#include "kinema-task.h"

G_BEGIN_DECLS

/* The most shots a story takes. */
#define KINEMA_STORY_MAX_SHOTS 200

#define KINEMA_TYPE_STORY (kinema_story_get_type ())

G_DECLARE_FINAL_TYPE (KinemaStory, kinema_story, KINEMA, STORY, GObject)

/* clang-format off */
/* A new, empty story (a new UUID, created now). */
KinemaStory *kinema_story_new            (const char   *title);
/* As read back from the history; @shots: task ids (may be NULL). */
KinemaStory *kinema_story_new_full       (const char          *id,
                                          const char          *title,
                                          gint64               created_at,
                                          gint64               updated_at,
                                          const char * const  *shots);
/* The clips that continue each other around @task, in order: its parents back to the
 * first clip, then at each step the earliest finished clip that continues the last
 * one. Only finished clips count. @tasks: (element-type KinemaTask) the history. */
GStrv        kinema_story_chain_for_task (GPtrArray    *tasks,
                                          KinemaTask   *task);

const char  *kinema_story_get_id         (KinemaStory  *self);
const char  *kinema_story_get_title      (KinemaStory  *self);
void         kinema_story_set_title      (KinemaStory  *self,
                                          const char   *title);
gint64       kinema_story_get_created_at (KinemaStory  *self);
/* Changes with every edit (µs since the epoch). */
gint64       kinema_story_get_updated_at (KinemaStory  *self);

guint        kinema_story_get_n_shots    (KinemaStory  *self);
/* The task id of shot @index (0-based). */
const char  *kinema_story_get_shot       (KinemaStory  *self,
                                          guint         index);
/* The index of the first shot of @task_id, or -1. */
int          kinema_story_find_shot      (KinemaStory  *self,
                                          const char   *task_id);
/* The edits emit "changed". @position < 0 or past the end: at the end. FALSE (and
 * nothing changes) when the story is full or an index is out of range. */
gboolean     kinema_story_insert_shot    (KinemaStory  *self,
                                          int           position,
                                          const char   *task_id);
/* Inserts @task's clip, or where the story holds the clip a video extension extends,
 * puts the extension in that shot's place (its clip contains the parent's). Returns
 * the shot's index, or -1. */
int          kinema_story_add_clip       (KinemaStory  *self,
                                          int           position,
                                          KinemaTask   *task);
gboolean     kinema_story_remove_shot    (KinemaStory  *self,
                                          guint         index);
gboolean     kinema_story_move_shot      (KinemaStory  *self,
                                          guint         from,
                                          guint         to);
/* clang-format on */

G_END_DECLS
