/* test-atomic-file.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * KinemaAtomicFile: a commit puts the whole file under its name (with the mode asked
 * for); a failure or a cancelled write leaves nothing under either name; a file
 * already there is replaced only when the new one is whole; a hard link stands in for
 * a copy.
 */

#include "config.h"

#include <sys/stat.h>

#include <glib/gstdio.h>

#include "kinema-atomic-file.h"
#include "test-util.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture      *f,
               gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("kinema-atomic-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "clip.mp4", NULL);
}

static void
fixture_teardown (Fixture      *f,
                  gconstpointer data)
{
  remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

/* Asserts that @dir holds just @expected: names, sorted, joined by spaces. */
static void
assert_listing (const char *dir,
                const char *expected)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *joined = NULL;
  const char      *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  joined = g_strjoinv (" ", (char **) names->pdata);
  g_assert_cmpstr (joined, ==, expected);
}

static char *
contents_of (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  return text;
}

static void
write_text (KinemaAtomicFile *file,
            const char       *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_output_stream_write_all (kinema_atomic_file_get_stream (file), text, strlen (text), NULL, NULL,
                                            &error));
  g_assert_no_error (error);
}

/* A new atomic file for @path (mode 0644) holding @text, not committed. */
static KinemaAtomicFile *
open_with (const char *path,
           const char *text)
{
  g_autoptr(GError) error = NULL;
  KinemaAtomicFile *file = kinema_atomic_file_new (path, 0644, &error);

  g_assert_no_error (error);
  g_assert_nonnull (file);
  write_text (file, text);
  return file;
}

static void
test_commit (Fixture      *f,
             gconstpointer data)
{
  g_autoptr(KinemaAtomicFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *temp_dir = NULL;
  g_autofree char *temp_base = NULL;
  g_autofree char *text = NULL;
  GStatBuf         st;
  mode_t           mask = umask (022);

  file = kinema_atomic_file_new (f->path, 0640, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kinema_atomic_file_get_path (file), ==, f->path);
  /* A hidden, unique name in the same folder; nothing has the final name yet. */
  temp_dir = g_path_get_dirname (kinema_atomic_file_get_temp_path (file));
  temp_base = g_path_get_basename (kinema_atomic_file_get_temp_path (file));
  g_assert_cmpstr (temp_dir, ==, f->dir);
  g_assert_true (g_str_has_prefix (temp_base, ".clip.mp4.") && g_str_has_suffix (temp_base, ".part"));
  write_text (file, "whole clip");
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));

  g_assert_true (kinema_atomic_file_commit (file, &error));
  g_assert_no_error (error);
  g_assert_null (kinema_atomic_file_get_temp_path (file));
  g_clear_pointer (&file, kinema_atomic_file_free);
  umask (mask);

  text = contents_of (f->path);
  g_assert_cmpstr (text, ==, "whole clip");
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0640);
  assert_listing (f->dir, "clip.mp4");
}

/* Freed before the commit (a failed writer): neither name is left. */
static void
test_abandon (Fixture      *f,
              gconstpointer data)
{
  g_autoptr(KinemaAtomicFile) file = NULL;

  file = open_with (f->path, "half a cl");
  g_clear_pointer (&file, kinema_atomic_file_free);

  assert_listing (f->dir, "");
}

/* A cancelled write fails and, the file abandoned, leaves nothing. */
static void
test_cancel (Fixture      *f,
             gconstpointer data)
{
  g_autoptr(KinemaAtomicFile) file = kinema_atomic_file_new (f->path, 0644, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (file);
  g_cancellable_cancel (cancellable);
  g_assert_false (g_output_stream_write_all (kinema_atomic_file_get_stream (file), "clip", 4, NULL, cancellable,
                                             &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_pointer (&file, kinema_atomic_file_free);

  assert_listing (f->dir, "");
}

/* An existing file keeps its contents until a whole new one is committed. */
static void
test_replace (Fixture      *f,
              gconstpointer data)
{
  g_autoptr(KinemaAtomicFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_true (g_file_set_contents (f->path, "old clip", -1, NULL));

  /* Abandoned halfway: the old file is untouched. */
  file = open_with (f->path, "new");
  text = contents_of (f->path);
  g_assert_cmpstr (text, ==, "old clip");
  g_clear_pointer (&file, kinema_atomic_file_free);
  g_clear_pointer (&text, g_free);
  text = contents_of (f->path);
  g_assert_cmpstr (text, ==, "old clip");
  g_clear_pointer (&text, g_free);

  /* Whole: it takes the name. */
  file = open_with (f->path, "new clip");
  g_assert_true (kinema_atomic_file_commit (file, &error));
  g_assert_no_error (error);
  text = contents_of (f->path);
  g_assert_cmpstr (text, ==, "new clip");
  assert_listing (f->dir, "clip.mp4");
}

/* The rename fails (a folder holds the name): an error, no temporary file, the folder kept. */
static void
test_commit_fails (Fixture      *f,
                   gconstpointer data)
{
  g_autofree char *inside = g_build_filename (f->path, "keep", NULL);
  g_autoptr(KinemaAtomicFile) file = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir (f->path, 0755), ==, 0);
  g_assert_true (g_file_set_contents (inside, "x", 1, NULL));
  file = open_with (f->path, "clip");
  g_assert_false (kinema_atomic_file_commit (file, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
  g_assert_null (kinema_atomic_file_get_temp_path (file));

  assert_listing (f->dir, "clip.mp4");
  g_assert_true (g_file_test (inside, G_FILE_TEST_IS_REGULAR));
}

/* No folder to write in: an error and no file. */
static void
test_no_folder (Fixture      *f,
                gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "missing", "clip.mp4", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_null (kinema_atomic_file_new (path, 0644, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* A hard link to the source takes the final name; without a source, a fresh
 * temporary file takes the copy instead. */
static void
test_link (Fixture      *f,
           gconstpointer data)
{
  g_autofree char *source = g_build_filename (f->dir, "source.mp4", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "missing.mp4", NULL);
  g_autofree char *copy = g_build_filename (f->dir, "copy.mp4", NULL);
  g_autoptr(KinemaAtomicFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean         linked = FALSE;
  GStatBuf         a, b;

  g_assert_true (g_file_set_contents (source, "the clip", -1, NULL));
  file = kinema_atomic_file_new (f->path, 0644, &error);
  g_assert_no_error (error);
  g_assert_true (kinema_atomic_file_link (file, source, &linked, &error));
  g_assert_no_error (error);
  g_assert_true (linked);
  g_assert_true (kinema_atomic_file_commit (file, &error));
  g_assert_no_error (error);
  g_clear_pointer (&file, kinema_atomic_file_free);
  g_assert_cmpint (g_stat (source, &a), ==, 0);
  g_assert_cmpint (g_stat (f->path, &b), ==, 0);
  g_assert_cmpuint (a.st_ino, ==, b.st_ino);

  file = kinema_atomic_file_new (copy, 0644, &error);
  g_assert_no_error (error);
  g_assert_true (kinema_atomic_file_link (file, missing, &linked, &error));
  g_assert_no_error (error);
  g_assert_false (linked);
  write_text (file, "copied");
  g_assert_true (kinema_atomic_file_commit (file, &error));
  g_assert_no_error (error);
  text = contents_of (copy);
  g_assert_cmpstr (text, ==, "copied");
  assert_listing (f->dir, "clip.mp4 copy.mp4 source.mp4");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add ("/kinema/atomic-file/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("commit", test_commit);
  ADD ("abandon", test_abandon);
  ADD ("cancel", test_cancel);
  ADD ("replace", test_replace);
  ADD ("commit-fails", test_commit_fails);
  ADD ("no-folder", test_no_folder);
  ADD ("link", test_link);
#undef ADD

  return g_test_run ();
}
