/* kinema-atomic-file.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A file written under a temporary name in its own folder and renamed over its
 * final name only once it is whole: a reader (or a crash) never sees half a file,
 * and a file already there is replaced only by a whole new one. Until
 * kinema_atomic_file_commit() succeeds nothing has the final name; freeing the
 * object before that (a failure, a cancelled write) removes the temporary file.
 *
 * The temporary name is DIR/.NAME.XXXXXX.part, made unique by g_mkstemp_full()
 * (O_CLOEXEC, created with the caller's mode): only this process can have chosen it.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _KinemaAtomicFile KinemaAtomicFile;

/* clang-format off */
/* Creates the temporary file for @path with @mode (before the umask); G_IO_ERROR on failure. */
KinemaAtomicFile *kinema_atomic_file_new           (const char        *path,
                                                    int                mode,
                                                    GError           **error);
const char       *kinema_atomic_file_get_path      (KinemaAtomicFile  *self);
/* Where the contents go until the commit (for writers that open a path themselves). */
const char       *kinema_atomic_file_get_temp_path (KinemaAtomicFile  *self);
/* The temporary file, open for writing (owned by @self). */
GOutputStream    *kinema_atomic_file_get_stream    (KinemaAtomicFile  *self);
/* The open descriptor of the temporary file, for a writer that closes it itself. */
int               kinema_atomic_file_steal_fd      (KinemaAtomicFile  *self);
/* Makes the temporary name a hard link to @source (*@linked TRUE). Where that is not
 * possible (another file system) *@linked is FALSE and a new, empty temporary file is
 * ready for a copy. FALSE with @error when there is no temporary file any more. */
gboolean          kinema_atomic_file_link          (KinemaAtomicFile  *self,
                                                    const char        *source,
                                                    gboolean          *linked,
                                                    GError           **error);
/* Closes the temporary file and renames it over the final name. On failure the
 * temporary file is removed and what had the final name is left as it was. */
gboolean          kinema_atomic_file_commit        (KinemaAtomicFile  *self,
                                                    GError           **error);
/* Frees @self; the temporary file is removed unless it was committed. */
void              kinema_atomic_file_free          (KinemaAtomicFile  *self);
/* clang-format on */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KinemaAtomicFile, kinema_atomic_file_free)

G_END_DECLS
