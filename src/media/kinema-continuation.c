/* kinema-continuation.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-continuation"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kinema-continuation.h"
#include "kinema-error.h"
#include "kinema-frame-grab.h"

char *
kinema_continuation_dup_frames_dir (const char *data_dir)
{
  g_return_val_if_fail (data_dir != NULL, NULL);
  return g_build_filename (data_dir, "frames", NULL);
}

typedef struct
{
  char          *video_path;
  char          *frames_dir;
  char          *parent_id;
  gint64         position_ns;
  KinemaRequest *parent_request; /* a copy: the thread never touches the task */
} PrepareData;

static void
prepare_data_free (PrepareData *data)
{
  g_free (data->video_path);
  g_free (data->frames_dir);
  g_free (data->parent_id);
  g_clear_object (&data->parent_request);
  g_free (data);
}

static gboolean
check_parent (KinemaTask *parent,
              GError    **error)
{
  const char *path = kinema_task_get_video_path (parent);

  if (kinema_task_get_status (parent) != KINEMA_TASK_STATUS_SUCCEEDED || path == NULL ||
      !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error_literal (error, KINEMA_ERROR, KINEMA_ERROR_NOT_FOUND,
                           _("Only a finished clip that is still on this computer can be continued."));
      return FALSE;
    }
  return TRUE;
}

static PrepareData *
prepare_data_new (KinemaTask *parent,
                  gint64      position_ns,
                  const char *frames_dir)
{
  PrepareData *data = g_new0 (PrepareData, 1);

  data->video_path = g_strdup (kinema_task_get_video_path (parent));
  data->frames_dir = g_strdup (frames_dir);
  data->parent_id = g_strdup (kinema_task_get_id (parent));
  data->position_ns = position_ns;
  data->parent_request = kinema_request_copy (kinema_task_get_request (parent));
  return data;
}

static KinemaRequest *
prepare (PrepareData  *data,
         GCancellable *cancellable,
         GError      **error)
{
  g_autoptr(GdkTexture) frame = NULL;
  g_autofree char *name = NULL;
  g_autofree char *png = NULL;
  gint64           found_ns = -1;
  double           time_s;

  frame = kinema_frame_grab_full (data->video_path,
                                  data->position_ns == KINEMA_CONTINUATION_LAST_FRAME ? KINEMA_FRAME_GRAB_LAST
                                                                                      : MAX (data->position_ns, 0),
                                  0, &found_ns, cancellable, error);
  if (frame == NULL)
    return NULL;

  if (found_ns < 0)
    found_ns = data->position_ns == KINEMA_CONTINUATION_LAST_FRAME ? -1 : MAX (data->position_ns, 0);
  time_s = found_ns >= 0 ? (double) found_ns / G_USEC_PER_SEC / 1000.0 : -1;

  name = g_strdup_printf ("%s-%" G_GINT64_FORMAT ".png", data->parent_id,
                          found_ns >= 0 ? found_ns / 1000000 : G_GINT64_CONSTANT (-1));
  png = g_build_filename (data->frames_dir, name, NULL);
  if (!kinema_texture_save_png (frame, png, error))
    return NULL;

  return kinema_request_new_continuation (data->parent_request, data->parent_id, time_s, png);
}

KinemaRequest *
kinema_continuation_prepare (KinemaTask   *parent,
                             gint64        position_ns,
                             const char   *frames_dir,
                             GCancellable *cancellable,
                             GError      **error)
{
  PrepareData   *data;
  KinemaRequest *request;

  g_return_val_if_fail (KINEMA_IS_TASK (parent), NULL);
  g_return_val_if_fail (frames_dir != NULL, NULL);

  if (!check_parent (parent, error))
    return NULL;
  data = prepare_data_new (parent, position_ns, frames_dir);
  request = prepare (data, cancellable, error);
  prepare_data_free (data);
  return request;
}

static void
prepare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError        *error = NULL;
  KinemaRequest *request = prepare (task_data, cancellable, &error);

  if (request != NULL)
    g_task_return_pointer (task, request, g_object_unref);
  else
    g_task_return_error (task, error);
}

void
kinema_continuation_prepare_async (KinemaTask         *parent,
                                   gint64              position_ns,
                                   const char         *frames_dir,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (KINEMA_IS_TASK (parent));
  g_return_if_fail (frames_dir != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kinema_continuation_prepare_async);
  if (!check_parent (parent, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_set_task_data (task, prepare_data_new (parent, position_ns, frames_dir),
                        (GDestroyNotify) prepare_data_free);
  g_task_run_in_thread (task, prepare_thread);
}

KinemaRequest *
kinema_continuation_prepare_finish (GAsyncResult *result,
                                    GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kinema_continuation_prepare_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
