/* kinema-story-strip.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The story around the selected clip, as a strip of shots in order: thumbnails,
 * lengths (the files' own) and the total; shots move earlier or later and leave the
 * story with their buttons (keyboard reachable) or are dragged to their new place, any
 * finished clip can be added (from the Add list, or dragged from the task list), and the story plays
 * as one (gapless) or is exported. Stories are kept in the history; a clip in no
 * stored story shows the clips that continue each other around it, and an edit
 * stores that as a new story.
 */

#pragma once

#include <adwaita.h>

#include "kinema-player-view.h"
#include "kinema-task-manager.h"

G_BEGIN_DECLS

/* What a shot dragged out of the strip carries: the story and the shot's position. */
typedef struct
{
  char *story_id;
  guint index;
} KinemaStoryShotRef;

#define KINEMA_TYPE_STORY_SHOT_REF (kinema_story_shot_ref_get_type ())

/* clang-format off */
GType               kinema_story_shot_ref_get_type (void) G_GNUC_CONST;
KinemaStoryShotRef *kinema_story_shot_ref_new      (const char               *story_id,
                                                    guint                     index);
KinemaStoryShotRef *kinema_story_shot_ref_copy     (const KinemaStoryShotRef *ref);
void                kinema_story_shot_ref_free     (KinemaStoryShotRef       *ref);
/* clang-format on */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KinemaStoryShotRef, kinema_story_shot_ref_free)

#define KINEMA_TYPE_STORY_STRIP (kinema_story_strip_get_type ())

G_DECLARE_FINAL_TYPE (KinemaStoryStrip, kinema_story_strip, KINEMA, STORY_STRIP, GtkBox)

/* clang-format off */
GtkWidget   *kinema_story_strip_new         (void);
void         kinema_story_strip_set_manager (KinemaStoryStrip  *self,
                                             KinemaTaskManager *manager);
/* Shows the story of @task (NULL or an unfinished clip hides the strip). */
void         kinema_story_strip_set_task    (KinemaStoryStrip  *self,
                                             KinemaTask        *task);
/* The story shown, or NULL (transfer none). */
KinemaStory *kinema_story_strip_get_story   (KinemaStoryStrip  *self);
/* The files of the shots that can be played, in order (transfer full), or NULL. */
GStrv        kinema_story_strip_dup_paths   (KinemaStoryStrip  *self);
/* The story's length from its clips' files, in nanoseconds; -1 until every file's
 * length is read (in a thread, once per file). */
gint64       kinema_story_strip_get_length  (KinemaStoryStrip  *self);
/* The player whose in and out points Export starts with while it plays this story. */
void         kinema_story_strip_set_player_view (KinemaStoryStrip *self,
                                                 KinemaPlayerView *view);
/* clang-format on */

G_END_DECLS
