/* test-task.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>
#include <string.h>

#include <gio/gio.h>

#include "kinema-enums.h"
#include "kinema-error.h"
#include "kinema-task-private.h"

typedef struct
{
  GHashTable *counts; /* property name -> count */
} Notes;

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           Notes      *notes)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (notes->counts, pspec->name));
  g_hash_table_insert (notes->counts, (gpointer) pspec->name, GUINT_TO_POINTER (n + 1));
}

static guint
count (Notes      *notes,
       const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (notes->counts, name));
}

static KinemaTask *
new_task (void)
{
  g_autoptr(KinemaRequest) request = kinema_request_new (KINEMA_TASK_KIND_IMAGE_TO_VIDEO);

  kinema_request_set_prompt (request, "A fox turns its head");
  kinema_request_set_image (request, "https://img.example.test/fox.jpg");
  return kinema_task_new (NULL, "n1n", "n1n", request, FALSE);
}

static void
assert_label (KinemaTask *task,
              const char *expected)
{
  g_autofree char *label = kinema_task_dup_status_label (task);
  g_autofree char *prop = NULL;

  g_assert_cmpstr (label, ==, expected);
  g_object_get (task, "status-label", &prop, NULL);
  g_assert_cmpstr (prop, ==, expected);
}

static void
test_task_new (void)
{
  g_autoptr(KinemaTask) task = new_task ();
  g_autoptr(KinemaTask) other = new_task ();
  g_autoptr(KinemaTask) fixed = NULL;
  KinemaTaskStatus status;
  double           progress;

  g_assert_true (g_uuid_string_is_valid (kinema_task_get_id (task)));
  g_assert_cmpstr (kinema_task_get_id (task), !=, kinema_task_get_id (other));
  g_assert_cmpstr (kinema_task_get_provider_id (task), ==, "n1n");
  g_assert_cmpint (kinema_task_get_kind (task), ==, KINEMA_TASK_KIND_IMAGE_TO_VIDEO);
  g_assert_cmpstr (kinema_task_get_prompt (task), ==, "A fox turns its head");
  g_assert_cmpint (kinema_task_get_status (task), ==, KINEMA_TASK_STATUS_SUBMITTING);
  g_assert_cmpfloat (kinema_task_get_progress (task), ==, -1);
  g_assert_cmpint (kinema_task_get_estimated_remaining (task), ==, -1);
  g_assert_cmpint (kinema_task_get_created_at (task), >, 0);
  g_assert_cmpint (kinema_task_get_submitted_at (task), ==, 0);
  g_assert_null (kinema_task_get_remote_id (task));
  g_assert_null (kinema_task_get_error (task));
  g_assert_false (kinema_task_get_is_demo (task));
  g_assert_true (kinema_task_is_active (task));

  g_object_get (task, "status", &status, "progress", &progress, NULL);
  g_assert_cmpint (status, ==, KINEMA_TASK_STATUS_SUBMITTING);
  g_assert_cmpfloat (progress, ==, -1);
  g_assert_true (G_PARAM_SPEC_VALUE_TYPE (g_object_class_find_property (G_OBJECT_GET_CLASS (task), "status")) ==
                 KINEMA_TYPE_TASK_STATUS);

  fixed = kinema_task_new ("6b1f3c9e-2d1a-4a43-9c1e-0d5e8b7f0a11", "demo", "Demo",
                           kinema_task_get_request (task), TRUE);
  g_assert_cmpstr (kinema_task_get_id (fixed), ==, "6b1f3c9e-2d1a-4a43-9c1e-0d5e8b7f0a11");
  g_assert_true (kinema_task_get_is_demo (fixed));
}

/* Submitting → Queued → Running (with progress) → Downloading → Succeeded, with the
 * labels and exactly one notification per real change. */
static void
test_task_success_path (void)
{
  g_autoptr(KinemaTask) task = new_task ();
  Notes notes = { g_hash_table_new (g_str_hash, g_str_equal) };

  g_signal_connect (task, "notify", G_CALLBACK (on_notify), &notes);

  assert_label (task, "Submitting");

  kinema_task_set_remote_id (task, "task_Qw3rTy");
  kinema_task_set_remote_id (task, "task_Qw3rTy");
  g_assert_cmpuint (count (&notes, "remote-id"), ==, 1);
  g_assert_cmpstr (kinema_task_get_remote_id (task), ==, "task_Qw3rTy");

  kinema_task_set_status (task, KINEMA_TASK_STATUS_QUEUED);
  kinema_task_set_status (task, KINEMA_TASK_STATUS_QUEUED);
  g_assert_cmpuint (count (&notes, "status"), ==, 1);
  g_assert_cmpuint (count (&notes, "active"), ==, 0);
  assert_label (task, "Queued");

  kinema_task_set_status (task, KINEMA_TASK_STATUS_RUNNING);
  assert_label (task, "Generating");
  kinema_task_set_progress (task, 0.3);
  assert_label (task, "Generating 30%");
  kinema_task_set_progress (task, 0.3);
  g_assert_cmpuint (count (&notes, "progress"), ==, 1);
  kinema_task_set_progress (task, 0.301);
  g_assert_cmpuint (count (&notes, "progress"), ==, 2);
  /* Same percentage: no new label. */
  g_assert_cmpuint (count (&notes, "status-label"), ==, 3);
  kinema_task_set_progress (task, 7.0);
  g_assert_cmpfloat (kinema_task_get_progress (task), ==, 1.0);
  assert_label (task, "Generating 100%");

  kinema_task_set_video_url (task, "https://cdn.example.test/out/fox.mp4");
  kinema_task_set_status (task, KINEMA_TASK_STATUS_DOWNLOADING);
  kinema_task_set_progress (task, 0.6);
  assert_label (task, "Downloading 60%");
  g_assert_true (kinema_task_is_active (task));

  kinema_task_set_video_path (task, "/tmp/clip.mp4");
  kinema_task_set_video_path (task, "/tmp/clip.mp4");
  g_assert_cmpuint (count (&notes, "video-path"), ==, 1);
  kinema_task_set_finished_at (task, 42);
  kinema_task_set_status (task, KINEMA_TASK_STATUS_SUCCEEDED);
  assert_label (task, "Ready");
  g_assert_false (kinema_task_is_active (task));
  g_assert_cmpuint (count (&notes, "active"), ==, 1);
  g_assert_cmpint (kinema_task_get_finished_at (task), ==, 42);

  kinema_task_set_estimated_remaining (task, 12);
  kinema_task_set_estimated_remaining (task, -5);
  g_assert_cmpint (kinema_task_get_estimated_remaining (task), ==, -1);
  g_assert_cmpuint (count (&notes, "estimated-remaining"), ==, 2);
  kinema_task_set_is_slow (task, TRUE);
  kinema_task_set_is_slow (task, 7);
  g_assert_cmpuint (count (&notes, "is-slow"), ==, 1);

  g_hash_table_unref (notes.counts);
}

static void
test_task_other_states (void)
{
  g_autoptr(KinemaTask) task = new_task ();
  g_autoptr(GError) error = kinema_error_new (KINEMA_ERROR_TASK_FAILED, 0, NULL,
                                               "content did not pass safety review", NULL);
  g_autoptr(GError) same = NULL;
  const GError *stored;
  Notes         notes = { g_hash_table_new (g_str_hash, g_str_equal) };

  g_signal_connect (task, "notify", G_CALLBACK (on_notify), &notes);

  kinema_task_set_status (task, KINEMA_TASK_STATUS_NEEDS_CHECKING);
  assert_label (task, "Needs checking");
  g_assert_false (kinema_task_is_active (task));

  kinema_task_set_status (task, KINEMA_TASK_STATUS_STOPPED);
  assert_label (task, "Stopped");

  /* Never left the computer: finished, and says so. */
  kinema_task_set_status (task, KINEMA_TASK_STATUS_NOT_SENT);
  assert_label (task, "Not sent");
  g_assert_false (kinema_task_is_active (task));

  kinema_task_set_status (task, KINEMA_TASK_STATUS_FAILED);
  assert_label (task, "Failed");

  kinema_task_set_status (task, KINEMA_TASK_STATUS_RUNNING);
  g_assert_true (kinema_task_is_active (task));
  kinema_task_fail (task, error);
  g_assert_cmpint (kinema_task_get_status (task), ==, KINEMA_TASK_STATUS_FAILED);
  stored = kinema_task_get_error (task);
  g_assert_error (stored, KINEMA_ERROR, KINEMA_ERROR_TASK_FAILED);
  g_assert_cmpint (kinema_task_get_finished_at (task), >, 0);
  /* The provider's words are explained (kinema-failure.c), never shown as they are. */
  assert_label (task, "Failed: Refused by content review");
  g_assert_cmpstr (kinema_task_get_status_message (task), ==,
                   "The provider's content review refused the prompt or the image. Change the prompt or use "
                   "another image, then try again. Nothing was charged.");
  g_assert_null (strstr (kinema_task_get_status_message (task), "safety review"));
  kinema_task_set_status_message (task, "something else");
  assert_label (task, "Failed: Refused by content review");

  /* An equal error does not notify again. */
  same = g_error_copy (error);
  g_assert_cmpuint (count (&notes, "error"), ==, 1);
  kinema_task_set_error (task, same);
  g_assert_cmpuint (count (&notes, "error"), ==, 1);
  kinema_task_set_error (task, NULL);
  g_assert_null (kinema_task_get_error (task));
  g_assert_cmpuint (count (&notes, "error"), ==, 2);

  g_hash_table_unref (notes.counts);
}

static void
test_task_record (void)
{
  KinemaTaskRecord record = { 0 };
  KinemaTaskRecord peek = { 0 };
  g_autoptr(KinemaTask) task = NULL;
  Notes notes = { g_hash_table_new (g_str_hash, g_str_equal) };

  record.id = g_strdup ("id-1");
  record.provider_id = g_strdup ("xiexus");
  record.provider_name = g_strdup ("xiexus");
  record.request = kinema_request_new (KINEMA_TASK_KIND_TEXT_TO_VIDEO);
  kinema_request_set_prompt (record.request, "boat");
  record.remote_id = g_strdup ("task_1");
  record.status = KINEMA_TASK_STATUS_RUNNING;
  record.progress = 0.5;
  record.error = g_error_new_literal (KINEMA_ERROR, KINEMA_ERROR_NETWORK, "offline");
  record.video_path = g_strdup ("/x.mp4");
  record.created_at = 10;
  record.submitted_at = 11;
  record.started_at = 12;
  record.is_demo = TRUE;

  task = kinema_task_new_from_record (&record);
  g_assert_null (record.id);
  g_assert_null (record.request);
  kinema_task_record_clear (&record);

  g_signal_connect (task, "notify", G_CALLBACK (on_notify), &notes);
  g_assert_cmpstr (kinema_task_get_id (task), ==, "id-1");
  g_assert_cmpstr (kinema_task_get_prompt (task), ==, "boat");
  g_assert_cmpint (kinema_task_get_status (task), ==, KINEMA_TASK_STATUS_RUNNING);
  assert_label (task, "Generating 50%");
  g_assert_cmpint (kinema_task_get_started_at (task), ==, 12);
  g_assert_true (kinema_task_get_is_demo (task));
  g_assert_error (kinema_task_get_error (task), KINEMA_ERROR, KINEMA_ERROR_NETWORK);
  g_assert_cmpuint (g_hash_table_size (notes.counts), ==, 0);

  kinema_task_peek_record (task, &peek);
  g_assert_cmpstr (peek.remote_id, ==, "task_1");
  g_assert_cmpstr (peek.video_path, ==, "/x.mp4");
  g_assert_cmpint (peek.submitted_at, ==, 11);

  g_hash_table_unref (notes.counts);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kinema/task/new", test_task_new);
  g_test_add_func ("/kinema/task/success-path", test_task_success_path);
  g_test_add_func ("/kinema/task/other-states", test_task_other_states);
  g_test_add_func ("/kinema/task/record", test_task_record);

  return g_test_run ();
}
