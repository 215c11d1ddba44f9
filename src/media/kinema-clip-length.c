/* kinema-clip-length.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-clip-length"

#include "config.h"

#include <gst/pbutils/pbutils.h>

#include "kinema-clip-length.h"
#include "kinema-media-error.h"
#include "kinema-media-private.h"

/* A clip is a few MB of local MP4: the discoverer needs far less than this. */
#define READ_TIMEOUT_S 5

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GStrv paths = task_data;
  g_autoptr(GArray) lengths = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GstDiscoverer) discoverer = NULL;

  _kinema_media_init ();
  discoverer = gst_discoverer_new (READ_TIMEOUT_S * GST_SECOND, NULL);
  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (paths[i]);
      g_autofree char *uri = g_file_get_uri (file);
      g_autoptr(GstDiscovererInfo) info = NULL;
      g_autoptr(GError) unplayable = NULL;
      gint64 length = -1;

      if (g_task_return_error_if_cancelled (task))
        return;
      unplayable = kinema_media_error_check_uri (uri);
      if (discoverer != NULL && i < KINEMA_CLIP_LENGTH_MAX_FILES && unplayable == NULL)
        info = gst_discoverer_discover_uri (discoverer, uri, NULL);
      if (info != NULL && gst_discoverer_info_get_result (info) == GST_DISCOVERER_OK &&
          GST_CLOCK_TIME_IS_VALID (gst_discoverer_info_get_duration (info)))
        length = (gint64) gst_discoverer_info_get_duration (info);
      g_array_append_val (lengths, length);
    }
  g_task_return_pointer (task, g_steal_pointer (&lengths), (GDestroyNotify) g_array_unref);
}

void
kinema_clip_length_read_async (const char *const  *paths,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (paths != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kinema_clip_length_read_async);
  g_task_set_task_data (task, g_strdupv ((char **) paths), (GDestroyNotify) g_strfreev);
  g_task_run_in_thread (task, read_thread);
}

GArray *
kinema_clip_length_read_finish (GAsyncResult *result,
                                GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
