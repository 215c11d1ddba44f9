/* test-story.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * KinemaStory: editing the shots, the chain of clips that continue each other, and
 * stories kept in the history (round trip, a deleted task leaves its stories, a
 * history of schema 3 gains the story tables).
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdlib.h>

#include "kinema-history.h"
#include "kinema-story.h"
#include "kinema-task-private.h"
#include "test-util.h"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_setup (Fixture      *f,
               gconstpointer data)
{
  f->dir = g_dir_make_tmp ("kinema-test-story-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
}

static void
fixture_teardown (Fixture      *f,
                  gconstpointer data)
{
  remove_tree (f->dir);
  g_free (f->dir);
}

static GPtrArray *
load_stories (KinemaHistory *history)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *stories;

  kinema_history_load_stories_async (history, NULL, test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  stories = kinema_history_load_stories_finish (history, result, &error);
  g_assert_no_error (error);
  return stories;
}

static char *
shots_of (KinemaStory *story)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < kinema_story_get_n_shots (story); i++)
    g_string_append_printf (text, "%s%s", i > 0 ? " " : "", kinema_story_get_shot (story, i));
  return g_string_free (text, FALSE);
}

static void
changed_cb (KinemaStory *story,
            guint       *count)
{
  (*count)++;
}

static void
test_edit (void)
{
  g_autoptr(KinemaStory) story = kinema_story_new ("Boat");
  g_autofree char *text = NULL;
  guint            changes = 0;
  gint64           updated = kinema_story_get_updated_at (story);

  g_signal_connect (story, "changed", G_CALLBACK (changed_cb), &changes);
  g_assert_true (g_uuid_string_is_valid (kinema_story_get_id (story)));
  g_assert_cmpstr (kinema_story_get_title (story), ==, "Boat");

  g_assert_true (kinema_story_insert_shot (story, -1, "a"));
  g_assert_true (kinema_story_insert_shot (story, -1, "c"));
  g_assert_true (kinema_story_insert_shot (story, 1, "b"));
  g_assert_true (kinema_story_insert_shot (story, 99, "d"));
  text = shots_of (story);
  g_assert_cmpstr (text, ==, "a b c d");
  g_clear_pointer (&text, g_free);

  g_assert_true (kinema_story_move_shot (story, 3, 0));
  text = shots_of (story);
  g_assert_cmpstr (text, ==, "d a b c");
  g_clear_pointer (&text, g_free);
  g_assert_true (kinema_story_move_shot (story, 0, 2));
  text = shots_of (story);
  g_assert_cmpstr (text, ==, "a b d c");
  g_clear_pointer (&text, g_free);

  g_assert_true (kinema_story_remove_shot (story, 1));
  text = shots_of (story);
  g_assert_cmpstr (text, ==, "a d c");
  g_assert_cmpint (kinema_story_find_shot (story, "c"), ==, 2);
  g_assert_cmpint (kinema_story_find_shot (story, "b"), ==, -1);

  /* Out of range: refused, nothing changes. */
  g_assert_false (kinema_story_remove_shot (story, 3));
  g_assert_false (kinema_story_move_shot (story, 0, 3));
  g_assert_cmpuint (changes, ==, 7);
  g_assert_cmpint (kinema_story_get_updated_at (story), >, updated);

  for (guint i = 3; i < KINEMA_STORY_MAX_SHOTS; i++)
    g_assert_true (kinema_story_insert_shot (story, -1, "x"));
  g_assert_false (kinema_story_insert_shot (story, -1, "too many"));
  g_assert_cmpuint (kinema_story_get_n_shots (story), ==, KINEMA_STORY_MAX_SHOTS);
}

static KinemaTask *
linked_task (const char    *id,
             KinemaLinkKind link,
             const char    *parent_id,
             gint64         created_at,
             gboolean       finished)
{
  g_autoptr(KinemaRequest) request = kinema_request_new (link == KINEMA_LINK_EXTEND ? KINEMA_TASK_KIND_VIDEO_EXTEND
                                                                                     : KINEMA_TASK_KIND_IMAGE_TO_VIDEO);
  g_autofree char *path = g_strdup_printf ("/v/%s.mp4", id);
  KinemaTaskRecord record = { 0 };

  kinema_request_set_prompt (request, id);
  if (parent_id != NULL)
    kinema_request_set_link (request, link, parent_id, 5.0);
  record.id = g_strdup (id);
  record.provider_id = g_strdup ("demo");
  record.provider_name = g_strdup ("Demo");
  record.request = g_object_ref (request);
  record.status = finished ? KINEMA_TASK_STATUS_SUCCEEDED : KINEMA_TASK_STATUS_FAILED;
  record.video_path = finished ? g_strdup (path) : NULL;
  record.created_at = created_at;
  return kinema_task_new_from_record (&record);
}

static KinemaTask *
clip_task (const char *id,
           const char *parent_id,
           gint64      created_at,
           gboolean    finished)
{
  return linked_task (id, KINEMA_LINK_CONTINUE, parent_id, created_at, finished);
}

static char *
chain_of (GPtrArray  *tasks,
          const char *id)
{
  g_auto (GStrv) chain = NULL;

  for (guint i = 0; i < tasks->len; i++)
    if (g_str_equal (kinema_task_get_id (g_ptr_array_index (tasks, i)), id))
      chain = kinema_story_chain_for_task (tasks, g_ptr_array_index (tasks, i));
  g_assert_nonnull (chain);
  return g_strjoinv (" ", chain);
}

/* A video extension's clip is the whole extended video, its parent's clip included (Kling
 * docs, "Video Extension", copy in WHQ25/rawgenai docs/research/kling/video-extend.md):
 * in a story it takes its parent's place, so the parent is not played and then played
 * again inside the extension. */
static void
test_extension (void)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(KinemaStory) story = kinema_story_new ("Kites");
  g_autofree char *joined = NULL;

  /* a ← b (continue) ⇐ b+ (extends b) ⇐ b++ (extends b+) ← c (continues b++); a failed
   * extension of a (ax) is skipped. */
  g_ptr_array_add (tasks, clip_task ("a", NULL, 1, TRUE));
  g_ptr_array_add (tasks, linked_task ("ax", KINEMA_LINK_EXTEND, "a", 2, FALSE));
  g_ptr_array_add (tasks, clip_task ("b", "a", 3, TRUE));
  g_ptr_array_add (tasks, linked_task ("b+", KINEMA_LINK_EXTEND, "b", 4, TRUE));
  g_ptr_array_add (tasks, linked_task ("b++", KINEMA_LINK_EXTEND, "b+", 5, TRUE));
  g_ptr_array_add (tasks, clip_task ("c", "b++", 6, TRUE));

  /* From any clip of the chain: the extensions stand where their parents were. */
  joined = chain_of (tasks, "a");
  g_assert_cmpstr (joined, ==, "a b++ c");
  g_free (joined);
  joined = chain_of (tasks, "b+");
  g_assert_cmpstr (joined, ==, "a b++ c");
  g_free (joined);
  joined = chain_of (tasks, "c");
  g_assert_cmpstr (joined, ==, "a b++ c");

  /* A story that holds the parent: the extension replaces that shot where it stands. */
  g_assert_cmpint (kinema_story_add_clip (story, -1, g_ptr_array_index (tasks, 0)), ==, 0);
  g_assert_cmpint (kinema_story_add_clip (story, -1, g_ptr_array_index (tasks, 2)), ==, 1);
  g_assert_cmpint (kinema_story_add_clip (story, -1, g_ptr_array_index (tasks, 5)), ==, 2);
  g_assert_cmpint (kinema_story_add_clip (story, 0, g_ptr_array_index (tasks, 3)), ==, 1);
  g_free (joined);
  joined = shots_of (story);
  g_assert_cmpstr (joined, ==, "a b+ c");
  g_assert_cmpint (kinema_story_add_clip (story, -1, g_ptr_array_index (tasks, 4)), ==, 1);
  g_free (joined);
  joined = shots_of (story);
  g_assert_cmpstr (joined, ==, "a b++ c");

  /* Without the parent, an extension is added like any clip; a plain clip too. */
  g_assert_cmpint (kinema_story_add_clip (story, 1, g_ptr_array_index (tasks, 3)), ==, 1);
  g_free (joined);
  joined = shots_of (story);
  g_assert_cmpstr (joined, ==, "a b+ b++ c");
}

static void
test_chain (void)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto (GStrv) chain = NULL;
  g_autofree char *joined = NULL;

  /* a ← b ← c, with a later second continuation of b (b2) and a failed one (bx);
   * an unrelated clip z; y continues a task that is not in the history. */
  g_ptr_array_add (tasks, clip_task ("a", NULL, 1, TRUE));
  g_ptr_array_add (tasks, clip_task ("b", "a", 2, TRUE));
  g_ptr_array_add (tasks, clip_task ("bx", "b", 3, FALSE));
  g_ptr_array_add (tasks, clip_task ("c", "b", 4, TRUE));
  g_ptr_array_add (tasks, clip_task ("b2", "b", 5, TRUE));
  g_ptr_array_add (tasks, clip_task ("z", NULL, 6, TRUE));
  g_ptr_array_add (tasks, clip_task ("y", "gone", 7, TRUE));

  for (guint i = 0; i < 2; i++)
    {
      /* From the middle and from the end: the same chain. */
      chain = kinema_story_chain_for_task (tasks, g_ptr_array_index (tasks, i == 0 ? 1 : 3));
      joined = g_strjoinv (" ", chain);
      g_assert_cmpstr (joined, ==, "a b c");
      g_clear_pointer (&chain, g_strfreev);
      g_clear_pointer (&joined, g_free);
    }
  chain = kinema_story_chain_for_task (tasks, g_ptr_array_index (tasks, 5));
  joined = g_strjoinv (" ", chain);
  g_assert_cmpstr (joined, ==, "z");
  g_clear_pointer (&chain, g_strfreev);
  g_clear_pointer (&joined, g_free);
  chain = kinema_story_chain_for_task (tasks, g_ptr_array_index (tasks, 6));
  joined = g_strjoinv (" ", chain);
  g_assert_cmpstr (joined, ==, "y");
}

/* Saved, edited, reloaded; a removed task leaves the stories it was in. */
static void
test_history (Fixture      *f,
              gconstpointer data)
{
  g_autoptr(KinemaHistory) history = kinema_history_new (f->dir);
  g_autoptr(KinemaStory) first = kinema_story_new ("First");
  g_autoptr(KinemaStory) second = kinema_story_new ("Second — 第二");
  g_autoptr(GPtrArray) stories = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char      *ids[] = { "t1", "t2", "t3", NULL };

  for (guint i = 0; ids[i] != NULL; i++)
    kinema_story_insert_shot (first, -1, ids[i]);
  kinema_story_insert_shot (second, -1, "t2");
  kinema_history_save_story (history, first);
  kinema_history_save_story (history, second);
  g_assert_true (kinema_history_flush_sync (history, &error));

  /* Edit and save again: the shots are replaced, not added. */
  kinema_story_move_shot (first, 2, 0);
  kinema_story_set_title (first, "First, edited");
  kinema_history_save_story (history, first);
  kinema_history_delete (history, "t2");
  g_assert_true (kinema_history_flush_sync (history, &error));
  g_clear_object (&history);

  history = kinema_history_new (f->dir);
  stories = load_stories (history);
  g_assert_cmpuint (stories->len, ==, 2);
  /* Most recently changed first. */
  g_assert_cmpstr (kinema_story_get_id (stories->pdata[0]), ==, kinema_story_get_id (first));
  g_assert_cmpstr (kinema_story_get_title (stories->pdata[0]), ==, "First, edited");
  g_assert_cmpint (kinema_story_get_created_at (stories->pdata[0]), ==, kinema_story_get_created_at (first));
  text = shots_of (stories->pdata[0]);
  g_assert_cmpstr (text, ==, "t3 t1");
  g_assert_cmpstr (kinema_story_get_title (stories->pdata[1]), ==, "Second — 第二");
  g_assert_cmpuint (kinema_story_get_n_shots (stories->pdata[1]), ==, 0);

  kinema_history_delete_story (history, kinema_story_get_id (first));
  g_assert_true (kinema_history_flush_sync (history, &error));
  g_clear_pointer (&stories, g_ptr_array_unref);
  stories = load_stories (history);
  g_assert_cmpuint (stories->len, ==, 1);
  g_assert_cmpstr (kinema_story_get_id (stories->pdata[0]), ==, kinema_story_get_id (second));
}

/* A history written before stories existed gains the tables and keeps its tasks. */
static void
test_migrate_v3 (Fixture      *f,
                 gconstpointer data)
{
  g_autoptr(KinemaHistory) history = kinema_history_new (f->dir);
  g_autoptr(KinemaStory) story = kinema_story_new ("After");
  g_autoptr(KinemaTask) task = clip_task ("t", NULL, 1, TRUE);
  g_autoptr(GPtrArray) stories = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "history.db", NULL);
  sqlite3         *db = NULL;

  kinema_history_save (history, task);
  g_assert_true (kinema_history_flush_sync (history, &error));
  g_clear_object (&history);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  /* Back to schema 3: no stories, and no units_charged column (schema 5) either. */
  g_assert_cmpint (sqlite3_exec (db,
                                 "DROP TABLE story_shots; DROP TABLE stories; "
                                 "ALTER TABLE tasks DROP COLUMN units_charged; PRAGMA user_version = 3;",
                                 NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);

  history = kinema_history_new (f->dir);
  stories = load_stories (history);
  g_assert_cmpuint (stories->len, ==, 0);
  kinema_story_insert_shot (story, -1, "t");
  kinema_history_save_story (history, story);
  g_assert_true (kinema_history_flush_sync (history, &error));
  g_clear_pointer (&stories, g_ptr_array_unref);
  stories = load_stories (history);
  g_assert_cmpuint (stories->len, ==, 1);
  g_assert_cmpuint (kinema_story_get_n_shots (stories->pdata[0]), ==, 1);
  g_clear_object (&history);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  {
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM tasks", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
    sqlite3_finalize (stmt);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, KINEMA_HISTORY_SCHEMA_VERSION);
    sqlite3_finalize (stmt);
  }
  sqlite3_close (db);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kinema/story/edit", test_edit);
  g_test_add_func ("/kinema/story/chain", test_chain);
  g_test_add_func ("/kinema/story/extension", test_extension);
  g_test_add ("/kinema/story/history", Fixture, NULL, fixture_setup, test_history, fixture_teardown);
  g_test_add ("/kinema/story/migrate-v3", Fixture, NULL, fixture_setup, test_migrate_v3, fixture_teardown);
  return g_test_run ();
}
