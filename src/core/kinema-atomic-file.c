/* kinema-atomic-file.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "kinema-atomic-file.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <gio/gunixoutputstream.h>
#include <glib/gstdio.h>

struct _KinemaAtomicFile
{
  char          *path;
  char          *temp_path; /* NULL once renamed or removed */
  int            mode;
  int            fd; /* -1 once closed or stolen */
  GOutputStream *stream;
};

static void
set_error_from_errno (GError **error,
                      int      saved_errno)
{
  g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), g_strerror (saved_errno));
}

/* A new temporary file beside self->path; FALSE with errno set when none can be made. */
static gboolean
reserve (KinemaAtomicFile *self)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autofree char *base = g_path_get_basename (self->path);
  g_autofree char *name = g_strdup_printf (".%s.XXXXXX.part", base);

  self->temp_path = g_build_filename (dir, name, NULL);
  self->fd = g_mkstemp_full (self->temp_path, O_RDWR | O_CLOEXEC, self->mode);
  if (self->fd < 0)
    {
      int saved = errno;

      g_clear_pointer (&self->temp_path, g_free);
      errno = saved;
      return FALSE;
    }
  return TRUE;
}

static void
close_temp (KinemaAtomicFile *self)
{
  g_clear_object (&self->stream);
  if (self->fd >= 0)
    g_close (self->fd, NULL);
  self->fd = -1;
}

static void
remove_temp (KinemaAtomicFile *self)
{
  close_temp (self);
  if (self->temp_path != NULL)
    g_unlink (self->temp_path);
  g_clear_pointer (&self->temp_path, g_free);
}

KinemaAtomicFile *
kinema_atomic_file_new (const char *path,
                        int         mode,
                        GError    **error)
{
  KinemaAtomicFile *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_new0 (KinemaAtomicFile, 1);
  self->path = g_strdup (path);
  self->mode = mode;
  self->fd = -1;
  if (!reserve (self))
    {
      set_error_from_errno (error, errno);
      kinema_atomic_file_free (self);
      return NULL;
    }
  return self;
}

const char *
kinema_atomic_file_get_path (KinemaAtomicFile *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->path;
}

const char *
kinema_atomic_file_get_temp_path (KinemaAtomicFile *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->temp_path;
}

GOutputStream *
kinema_atomic_file_get_stream (KinemaAtomicFile *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (self->fd >= 0, NULL);

  if (self->stream == NULL)
    self->stream = g_unix_output_stream_new (self->fd, FALSE);
  return self->stream;
}

int
kinema_atomic_file_steal_fd (KinemaAtomicFile *self)
{
  int fd;

  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (self->stream == NULL, -1);

  fd = self->fd;
  self->fd = -1;
  return fd;
}

gboolean
kinema_atomic_file_link (KinemaAtomicFile *self,
                         const char       *source,
                         gboolean         *linked,
                         GError          **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->temp_path != NULL, FALSE);
  g_return_val_if_fail (source != NULL && linked != NULL, FALSE);

  /* The reserved name is taken over: link() never follows or replaces what is there. */
  close_temp (self);
  *linked = g_unlink (self->temp_path) == 0 && link (source, self->temp_path) == 0;
  if (*linked)
    return TRUE;

  /* The name may be gone: reserve a new one for the copy. */
  remove_temp (self);
  if (!reserve (self))
    {
      set_error_from_errno (error, errno);
      return FALSE;
    }
  return TRUE;
}

gboolean
kinema_atomic_file_commit (KinemaAtomicFile *self,
                           GError          **error)
{
  int saved = 0;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->temp_path != NULL, FALSE);

  g_clear_object (&self->stream);
  /* A write the file system accepted late (quota, NFS) fails only at close. */
  if (self->fd >= 0 && !g_close (self->fd, NULL))
    saved = errno != 0 ? errno : EIO;
  self->fd = -1;
  if (saved == 0 && g_rename (self->temp_path, self->path) != 0)
    saved = errno;
  if (saved != 0)
    {
      remove_temp (self);
      set_error_from_errno (error, saved);
      return FALSE;
    }
  g_clear_pointer (&self->temp_path, g_free);
  return TRUE;
}

void
kinema_atomic_file_free (KinemaAtomicFile *self)
{
  if (self == NULL)
    return;
  remove_temp (self);
  g_free (self->path);
  g_free (self);
}
