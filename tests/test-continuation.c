/* test-continuation.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Continue from the last frame" (issue 14), without a display: the start image of
 * the next shot is exactly the clip's last frame (test clips whose frames encode their
 * index), or the frame at a given time; the request keeps the parent's settings and
 * names the parent; a clip that is not finished cannot be continued. The job made
 * from it goes through the task manager like any other: the simulator receives that
 * very frame as `image`, and the link is in the history and the sidecar.
 */

#include "config.h"

#include <math.h>

#include <glib/gstdio.h>

#include "kinema-clip-renderer.h"
#include "kinema-continuation.h"
#include "kinema-frame-grab.h"
#include "kinema-error.h"
#include "kinema-history.h"
#include "kinema-sidecar.h"
#include "kinema-task-manager.h"
#include "kinema-task-private.h"
#include "kinema-test-clip.h"
#include "tasks-test-util.h"
#include "test-util.h"

static char *tmpdir;

static KinemaTask *
finished_task (const char *video_path)
{
  g_autoptr(KinemaRequest) request = kinema_request_new (KINEMA_TASK_KIND_TEXT_TO_VIDEO);
  KinemaTask *task;

  kinema_request_set_model (request, "kling-v2-1");
  kinema_request_set_prompt (request, "A paper boat drifts down a gutter");
  kinema_request_set_negative_prompt (request, "blur");
  kinema_request_set_mode (request, KINEMA_MODE_PRO);
  kinema_request_set_duration (request, 10);
  kinema_request_set_aspect_ratio (request, "1:1");
  kinema_request_set_image_tail (request, "/old/end.png");
  task = kinema_task_new (NULL, "demo", "Demo", request, TRUE);
  kinema_request_set_external_task_id (kinema_task_get_request (task), kinema_task_get_id (task));
  kinema_task_set_video_path (task, video_path);
  kinema_task_set_status (task, KINEMA_TASK_STATUS_SUCCEEDED);
  return task;
}

static char *
make_clip_sized (const char *dir,
                 const char *name,
                 guint       first,
                 guint       n_frames,
                 guint       fps,
                 guint       width,
                 guint       height)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (kinema_test_clip_make (path, first, n_frames, fps, width, height, &error));
  g_assert_no_error (error);
  return path;
}

static char *
make_clip (const char *name,
           guint       first,
           guint       n_frames,
           guint       fps)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (tmpdir, name, NULL);

  g_assert_true (kinema_test_clip_make (path, first, n_frames, fps, 320, 240, &error));
  g_assert_no_error (error);
  return path;
}

static int
png_index (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = gdk_texture_new_from_filename (path, &error);

  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 320);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 240);
  return kinema_test_texture_index (texture);
}

static void
check_request (KinemaRequest *request,
               KinemaTask    *parent)
{
  g_assert_cmpint (kinema_request_get_kind (request), ==, KINEMA_TASK_KIND_IMAGE_TO_VIDEO);
  g_assert_cmpstr (kinema_request_get_model (request), ==, "kling-v2-1");
  g_assert_cmpstr (kinema_request_get_prompt (request), ==, "A paper boat drifts down a gutter");
  g_assert_cmpstr (kinema_request_get_negative_prompt (request), ==, "blur");
  g_assert_cmpint (kinema_request_get_mode (request), ==, KINEMA_MODE_PRO);
  g_assert_cmpuint (kinema_request_get_duration (request), ==, 10);
  g_assert_null (kinema_request_get_image_tail (request));
  g_assert_null (kinema_request_get_external_task_id (request));
  g_assert_cmpint (kinema_request_get_link_kind (request), ==, KINEMA_LINK_CONTINUE);
  g_assert_cmpstr (kinema_request_get_parent_task_id (request), ==, kinema_task_get_id (parent));
  g_assert_true (g_str_has_prefix (kinema_request_get_image (request), tmpdir));
}

static void
test_last_frame (void)
{
  /* 1.5 s (the grab seeks near the end) and 4 s at 12 fps from index 5 (the last one is 52). */
  struct
  {
    const char *name;
    guint       first, n, fps;
    int         last;
  } clips[] = {
    { "short.mp4", 0, 36, 24, 35 },
    { "long.mp4", 5, 48, 12, 52 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (clips); i++)
    {
      g_autofree char *clip = make_clip (clips[i].name, clips[i].first, clips[i].n, clips[i].fps);
      g_autofree char *frames = g_build_filename (tmpdir, "frames", NULL);
      g_autoptr(KinemaTask) parent = finished_task (clip);
      g_autoptr(KinemaRequest) request = NULL;
      g_autoptr(GError) error = NULL;
      double expected = (double) (clips[i].n - 1) / clips[i].fps;

      request = kinema_continuation_prepare (parent, KINEMA_CONTINUATION_LAST_FRAME, frames, NULL, &error);
      g_assert_no_error (error);
      check_request (request, parent);
      g_assert_cmpint (png_index (kinema_request_get_image (request)), ==, clips[i].last);
      g_assert_cmpfloat (fabs (kinema_request_get_parent_time (request) - expected), <, 0.5 / clips[i].fps);
    }
}

static void
test_from_here (void)
{
  g_autofree char *clip = make_clip ("here.mp4", 0, 36, 24);
  g_autofree char *frames = g_build_filename (tmpdir, "frames", NULL);
  g_autoptr(KinemaTask) parent = finished_task (clip);
  g_autoptr(KinemaRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;

  /* The frame shown at 0.5 s is frame 12. */
  kinema_continuation_prepare_async (parent, 500 * G_TIME_SPAN_MILLISECOND * 1000, frames, NULL, test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  request = kinema_continuation_prepare_finish (result, &error);
  g_object_unref (result);
  g_assert_no_error (error);
  check_request (request, parent);
  g_assert_cmpint (png_index (kinema_request_get_image (request)), ==, 12);
  g_assert_cmpfloat (fabs (kinema_request_get_parent_time (request) - 0.5), <, 0.5 / 24);
}

static void
test_not_finished (void)
{
  g_autofree char *frames = g_build_filename (tmpdir, "frames", NULL);
  g_autofree char *gone = g_build_filename (tmpdir, "gone.mp4", NULL);
  g_autoptr(KinemaTask) running = finished_task (gone);
  g_autoptr(KinemaRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  /* Finished, but the clip is not on disk. */
  request = kinema_continuation_prepare (running, KINEMA_CONTINUATION_LAST_FRAME, frames, NULL, &error);
  g_assert_null (request);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  kinema_task_set_status (running, KINEMA_TASK_STATUS_RUNNING);
  request = kinema_continuation_prepare (running, KINEMA_CONTINUATION_LAST_FRAME, frames, NULL, &error);
  g_assert_null (request);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_NOT_FOUND);
}

/* The offline demo's renderer starts a continuation from its start image: the first
 * frame of the demo clip is the frame the parent ended on (no camera move), so a demo
 * story plays on across the cut. */
static void
test_demo_continues (void)
{
  g_autofree char *clip = make_clip_sized (tmpdir, "demo-parent.mp4", 0, 20, 24, 640, 360);
  g_autofree char *frames = g_build_filename (tmpdir, "frames", NULL);
  g_autofree char *next = g_strconcat (tmpdir, "/demo-next.", kinema_clip_renderer_get_extension (), NULL);
  g_autoptr(KinemaTask) parent = finished_task (clip);
  g_autoptr(KinemaRequest) request = NULL;
  g_autoptr(GdkTexture) first = NULL;
  g_autoptr(GError) error = NULL;
  KinemaClipSpec spec = { 0 };

  request = kinema_continuation_prepare (parent, KINEMA_CONTINUATION_LAST_FRAME, frames, NULL, &error);
  g_assert_no_error (error);

  spec.start_image = kinema_request_get_image (request);
  spec.title = kinema_request_get_prompt (request);
  spec.camera = kinema_request_get_camera_type (request);
  spec.duration_s = 1;
  spec.height = 360;
  g_assert_true (kinema_clip_renderer_render (&spec, next, NULL, &error));
  g_assert_no_error (error);

  first = kinema_frame_grab (next, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (first), ==, 640);
  g_assert_cmpint (kinema_test_texture_index (first), ==, 19);
  /* The whole frame, not a title card or a picture in a border. */
  {
    guint8 corner[3];

    kinema_test_texture_pixel (first, 4, 4, corner);
    g_assert_cmpint (kinema_test_clip_index_of (corner), ==, 19);
  }
}

static void
test_job (TasksFixture *f,
          gconstpointer data)
{
  /* 400×300: Kling's images need 300 px on each side (PROTOCOL.md 1.4). */
  g_autofree char *clip = make_clip_sized (f->dir, "parent.mp4", 3, 30, 24, 400, 300);
  g_autofree char *frames = kinema_continuation_dup_frames_dir (f->data_dir);
  g_autoptr(KinemaTask) parent = finished_task (clip);
  g_autoptr(KinemaRequest) request = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) sent = NULL;
  g_autoptr(KinemaHistory) history = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(KinemaRequest) from_sidecar = NULL;
  g_autofree char   *job_id = NULL;
  g_autofree char   *image = NULL;
  KinemaTaskManager *manager;
  KinemaTask        *task;
  GAsyncResult      *result = NULL;
  g_autofree char   *task_id = NULL;

  /* The gateway's Kling route (new-api relays image2video bodies as they are:
   * relay/channel/task/kling/adaptor.go); kling-v2-1 makes image-to-video only. */
  request = kinema_continuation_prepare (parent, KINEMA_CONTINUATION_LAST_FRAME, frames, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (kinema_request_get_image (request), frames));
  kinema_request_set_prompt (request, "The boat sails on");

  manager = tasks_fixture_new_manager (f);
  tasks = kinema_task_manager_generate (manager, f->provider, request, 1, &error);
  g_assert_no_error (error);
  task = g_ptr_array_index (tasks, 0);
  task_id = g_strdup (kinema_task_get_id (task));
  g_assert_cmpstr (kinema_task_get_parent_id (task), ==, kinema_task_get_id (parent));
  g_assert_cmpint (kinema_task_get_link_kind (task), ==, KINEMA_LINK_CONTINUE);

  kinema_task_manager_wait_idle_async (manager, NULL, tasks_test_result_cb, &result);
  tasks_wait_for (result != NULL);
  g_assert_true (kinema_task_manager_wait_idle_finish (manager, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpint (kinema_task_get_status (task), ==, KINEMA_TASK_STATUS_SUCCEEDED);

  /* What the simulator decoded from `image` is the parent's last frame (index 32). */
  job_id = kinema_sim_server_dup_last_job_id (f->sim);
  image = kinema_sim_server_dup_job_image (f->sim, job_id);
  g_assert_nonnull (image);
  sent = gdk_texture_new_from_filename (image, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (sent), ==, 400);
  g_assert_cmpint (kinema_test_texture_index (sent), ==, 32);

  /* The link is in the sidecar next to the new clip, and in the history. */
  g_assert_true (kinema_sidecar_read (kinema_task_get_video_path (task), &from_sidecar, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (kinema_request_get_parent_task_id (from_sidecar), ==, kinema_task_get_id (parent));
  g_assert_true (kinema_task_manager_flush (manager, &error));
  g_assert_no_error (error);
  g_clear_pointer (&tasks, g_ptr_array_unref);
  g_object_unref (manager);
  tasks_fixture_iterate ();

  history = kinema_history_new (f->data_dir);
  kinema_history_load_async (history, NULL, tasks_test_result_cb, &result);
  tasks_wait_for (result != NULL);
  stored = kinema_history_load_finish (history, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpuint (stored->len, ==, 1);
  g_assert_cmpstr (kinema_task_get_id (g_ptr_array_index (stored, 0)), ==, task_id);
  g_assert_cmpstr (kinema_task_get_parent_id (g_ptr_array_index (stored, 0)), ==, kinema_task_get_id (parent));
  g_assert_cmpfloat (fabs (kinema_task_get_parent_time (g_ptr_array_index (stored, 0)) - 29.0 / 24), <, 0.02);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("kinema-continuation-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/kinema/continuation/last-frame", test_last_frame);
  g_test_add_func ("/kinema/continuation/from-here", test_from_here);
  g_test_add_func ("/kinema/continuation/not-finished", test_not_finished);
  g_test_add_func ("/kinema/continuation/demo-continues", test_demo_continues);
  g_test_add ("/kinema/continuation/job", TasksFixture, NULL, tasks_fixture_setup, test_job, tasks_fixture_teardown);

  status = g_test_run ();
  remove_tree (tmpdir);
  g_free (tmpdir);
  return status;
}
