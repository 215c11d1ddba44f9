/* kinema-sidecar.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-sidecar"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "kinema-json.h"
#include "kinema-error.h"
#include "kinema-sidecar.h"

#define SIDECAR_VERSION 1
#define MAX_SIDECAR_SIZE (1024 * 1024)

char *
kinema_sidecar_path_for (const char *video_path)
{
  g_autofree char *base = NULL;
  const char      *dot;
  const char      *slash;

  g_return_val_if_fail (video_path != NULL, NULL);

  dot = strrchr (video_path, '.');
  slash = strrchr (video_path, G_DIR_SEPARATOR);
  if (dot != NULL && (slash == NULL || dot > slash))
    base = g_strndup (video_path, dot - video_path);
  else
    base = g_strdup (video_path);
  return g_strconcat (base, ".json", NULL);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static char *
build_contents (KinemaTask *task,
                gsize      *length)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) created = NULL;
  g_autofree char *stamp = NULL;

  created = g_date_time_new_from_unix_utc (kinema_task_get_created_at (task) / G_USEC_PER_SEC);
  stamp = created != NULL ? g_date_time_format_iso8601 (created) : NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kinema_sidecar");
  json_builder_add_int_value (builder, SIDECAR_VERSION);
  add_string (builder, "task_id", kinema_task_get_id (task));
  add_string (builder, "provider_id", kinema_task_get_provider_id (task));
  add_string (builder, "provider_name", kinema_task_get_provider_name (task));
  add_string (builder, "remote_id", kinema_task_get_remote_id (task));
  add_string (builder, "created_at", stamp);
  add_string (builder, "prompt", kinema_task_get_prompt (task));
  add_string (builder, "video_id", kinema_task_get_video_id (task));
  if (kinema_task_get_parent_id (task) != NULL)
    {
      json_builder_set_member_name (builder, "continues");
      json_builder_begin_object (builder);
      add_string (builder, "kind", kinema_task_get_link_kind (task) == KINEMA_LINK_EXTEND ? "extend" : "continue");
      add_string (builder, "task_id", kinema_task_get_parent_id (task));
      if (kinema_task_get_parent_time (task) >= 0)
        {
          json_builder_set_member_name (builder, "time");
          json_builder_add_double_value (builder, kinema_task_get_parent_time (task));
        }
      json_builder_end_object (builder);
    }
  if (kinema_task_get_units_charged (task) >= 0)
    {
      json_builder_set_member_name (builder, "units_charged");
      json_builder_add_double_value (builder, kinema_task_get_units_charged (task));
    }
  json_builder_set_member_name (builder, "request");
  json_builder_add_value (builder, kinema_request_to_json (kinema_task_get_request (task)));
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, length);
}

/* g_file_set_contents() writes PATH.XXXXXX and renames it; a process killed in
 * between leaves that temporary file. Writing the sidecar again removes them. */
static void
remove_stale_temps (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *prefix = g_strconcat (base, ".", NULL);
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  const char *name;

  while (folder != NULL && (name = g_dir_read_name (folder)) != NULL)
    {
      if (g_str_has_prefix (name, prefix) && strlen (name) == strlen (prefix) + 6)
        {
          g_autofree char *stale = g_build_filename (dir, name, NULL);

          g_unlink (stale);
        }
    }
}

static gboolean
write_contents (const char *video_path,
                const char *text,
                gsize       length,
                GError    **error)
{
  g_autofree char *path = kinema_sidecar_path_for (video_path);
  g_autoptr(GError) io_error = NULL;

  if (!g_file_set_contents_full (path, text, length, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &io_error))
    {
      g_set_error (error, KINEMA_ERROR, KINEMA_ERROR_DISK, _("The clip's settings could not be saved: %s"), io_error->message);
      return FALSE;
    }
  remove_stale_temps (path);
  return TRUE;
}

gboolean
kinema_sidecar_write (const char *video_path,
                      KinemaTask *task,
                      GError    **error)
{
  g_autofree char *text = NULL;
  gsize            length = 0;

  g_return_val_if_fail (video_path != NULL, FALSE);
  g_return_val_if_fail (KINEMA_IS_TASK (task), FALSE);

  text = build_contents (task, &length);
  return write_contents (video_path, text, length, error);
}

typedef struct
{
  char *video_path;
  char *text;
  gsize length;
} WriteData;

static void
write_data_free (WriteData *data)
{
  g_free (data->video_path);
  g_free (data->text);
  g_free (data);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteData *data = task_data;
  GError    *error = NULL;

  if (write_contents (data->video_path, data->text, data->length, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
kinema_sidecar_write_async (const char         *video_path,
                            KinemaTask         *task,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  g_autoptr(GTask) gtask = NULL;
  WriteData *data;

  g_return_if_fail (video_path != NULL);
  g_return_if_fail (KINEMA_IS_TASK (task));

  gtask = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (gtask, kinema_sidecar_write_async);
  data = g_new0 (WriteData, 1);
  data->video_path = g_strdup (video_path);
  data->text = build_contents (task, &data->length);
  g_task_set_task_data (gtask, data, (GDestroyNotify) write_data_free);
  g_task_run_in_thread (gtask, write_thread);
}

gboolean
kinema_sidecar_write_finish (GAsyncResult *result,
                             GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Reads at most MAX_SIDECAR_SIZE bytes of a regular file. A dropped clip may sit next
 * to anything called NAME.json: a FIFO would block a plain read for ever, and a huge
 * file would be read whole (issue 15, point 7). The type and size are checked on the
 * open descriptor, opened without blocking. */
static gboolean
read_bounded (const char *path,
              char      **out_contents,
              gsize      *out_length,
              GError    **error)
{
  g_autofree char *contents = NULL;
  struct stat      st;
  gsize            length = 0;
  int              fd;

  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (saved), g_strerror (saved));
      return FALSE;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode) || st.st_size > MAX_SIDECAR_SIZE)
    {
      g_close (fd, NULL);
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "not a regular file of a sane size");
      return FALSE;
    }

  contents = g_malloc (MAX_SIDECAR_SIZE + 1);
  while (length <= MAX_SIDECAR_SIZE)
    {
      gssize n = read (fd, contents + length, MAX_SIDECAR_SIZE + 1 - length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_close (fd, NULL);
          g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (saved), g_strerror (saved));
          return FALSE;
        }
      if (n == 0)
        break;
      length += (gsize) n;
    }
  g_close (fd, NULL);
  if (length > MAX_SIDECAR_SIZE)
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "the file grew too large");
      return FALSE;
    }
  contents[length] = '\0';
  *out_contents = g_steal_pointer (&contents);
  *out_length = length;
  return TRUE;
}

/**
 * kinema_sidecar_parse:
 * @contents: a sidecar's bytes, possibly broken or hostile
 * @length: their length
 * @request: (out): the request the clip was made with
 * @error: return location for a %KINEMA_ERROR_INVALID_INPUT error
 *
 * Reads the settings out of a sidecar's contents (the fuzz-reply target runs this).
 *
 * Returns: %TRUE if @request was set
 */
gboolean
kinema_sidecar_parse (const char     *contents,
                      gsize           length,
                      KinemaRequest **request,
                      GError        **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  KinemaRequest *result;
  JsonObject    *obj;
  JsonNode      *node;

  g_return_val_if_fail (contents != NULL || length == 0, FALSE);
  g_return_val_if_fail (request != NULL, FALSE);

  if (length == 0 || length > MAX_SIDECAR_SIZE ||
      !kinema_json_parser_load (parser, contents, (gssize) length, &local_error) ||
      json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT,
                           _("The clip's saved settings cannot be read."));
      return FALSE;
    }

  obj = json_node_get_object (json_parser_get_root (parser));
  node = json_object_get_member (obj, "request");
  if (json_object_get_int_member_with_default (obj, "kinema_sidecar", 0) < 1 || node == NULL ||
      !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT,
                           _("The clip's saved settings cannot be read."));
      return FALSE;
    }

  result = kinema_request_new_from_json (node, &local_error);
  if (result == NULL)
    {
      g_set_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT,
                   _("The clip's saved settings cannot be read: %s"), local_error->message);
      return FALSE;
    }
  kinema_request_set_external_task_id (result, NULL);
  *request = result;
  return TRUE;
}

gboolean
kinema_sidecar_read (const char     *video_path,
                     KinemaRequest **request,
                     GError        **error)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;

  g_return_val_if_fail (video_path != NULL, FALSE);
  g_return_val_if_fail (request != NULL, FALSE);

  path = kinema_sidecar_path_for (video_path);
  if (!read_bounded (path, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_INVAL))
        g_set_error_literal (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT,
                             _("The clip's saved settings cannot be read."));
      else
        g_set_error (error, KINEMA_ERROR, KINEMA_ERROR_NOT_FOUND, _("This clip has no saved settings (%s)."),
                     local_error->message);
      return FALSE;
    }
  return kinema_sidecar_parse (contents, length, request, error);
}

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  KinemaRequest *request = NULL;
  GError        *error = NULL;

  if (kinema_sidecar_read (task_data, &request, &error))
    g_task_return_pointer (task, request, g_object_unref);
  else
    g_task_return_error (task, error);
}

/**
 * kinema_sidecar_read_async:
 * @video_path: a clip
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the settings are read
 * @user_data: data for @callback
 *
 * kinema_sidecar_read() on a worker thread, so that a slow disk or a strange file
 * never stalls the window.
 */
void
kinema_sidecar_read_async (const char         *video_path,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (video_path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kinema_sidecar_read_async);
  g_task_set_task_data (task, g_strdup (video_path), g_free);
  g_task_run_in_thread (task, read_thread);
}

/**
 * kinema_sidecar_read_finish:
 * @result: the result given to the callback
 * @error: return location for a %KINEMA_ERROR error
 *
 * Returns: (transfer full) (nullable): the request the clip was made with
 */
KinemaRequest *
kinema_sidecar_read_finish (GAsyncResult *result,
                            GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
