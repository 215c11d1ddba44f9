/* kinema-thumbnailer.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Requests for the same picture share one job. Jobs wait in a LIFO queue and at most
 * MAX_RUNNING run at once, each in a GTask thread; everything else (the queue, the
 * memory cache, the callers) lives on the main thread only.
 */

#define G_LOG_DOMAIN "kinema-thumbnailer"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include <string.h>

#include "kinema-error.h"
#include "kinema-frame-grab.h"
#include "kinema-image.h"
#include "kinema-thumbnailer.h"

#define MAX_RUNNING 2
#define MEMORY_CAPACITY 128

typedef struct
{
  KinemaThumbnailer *self; /* borrowed: jobs never outlive the thumbnailer's queue */
  char              *key;
  char              *path;
  int                size;
  char              *cache_path; /* NULL: no disk cache */
  GPtrArray         *waiters;    /* GTask, the callers */
  gboolean           from_disk;  /* set by the worker */
} Job;

struct _KinemaThumbnailer
{
  GObject parent_instance;

  char       *cache_dir;
  GHashTable *memory; /* key -> GdkTexture */
  GQueue      lru;    /* keys, most recently used at the head (owned by memory's keys) */
  GHashTable *jobs;   /* key -> Job, queued or running */
  GQueue      queue;  /* Job, not started; newest at the head */
  guint       running;

  guint memory_hits;
  guint disk_hits;
  guint decoded;
};

G_DEFINE_FINAL_TYPE (KinemaThumbnailer, kinema_thumbnailer, G_TYPE_OBJECT)

static void
job_free (Job *job)
{
  g_free (job->key);
  g_free (job->path);
  g_free (job->cache_path);
  g_ptr_array_unref (job->waiters);
  g_free (job);
}

static void
kinema_thumbnailer_finalize (GObject *object)
{
  KinemaThumbnailer *self = KINEMA_THUMBNAILER (object);

  /* Running jobs hold a reference, so only queued ones can be left here. */
  g_queue_clear_full (&self->queue, (GDestroyNotify) job_free);
  g_queue_clear (&self->lru);
  g_clear_pointer (&self->memory, g_hash_table_unref);
  g_clear_pointer (&self->jobs, g_hash_table_unref);
  g_free (self->cache_dir);

  G_OBJECT_CLASS (kinema_thumbnailer_parent_class)->finalize (object);
}

static void
kinema_thumbnailer_class_init (KinemaThumbnailerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kinema_thumbnailer_finalize;
}

static void
kinema_thumbnailer_init (KinemaThumbnailer *self)
{
  self->memory = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->jobs = g_hash_table_new (g_str_hash, g_str_equal);
  g_queue_init (&self->lru);
  g_queue_init (&self->queue);
}

KinemaThumbnailer *
kinema_thumbnailer_new (const char *cache_dir)
{
  KinemaThumbnailer *self = g_object_new (KINEMA_TYPE_THUMBNAILER, NULL);

  self->cache_dir = g_strdup (cache_dir);
  return self;
}

KinemaThumbnailer *
kinema_thumbnailer_get_default (void)
{
  static KinemaThumbnailer *instance;

  if (instance == NULL)
    {
      g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "kinema", "thumbnails", NULL);

      instance = kinema_thumbnailer_new (dir);
    }
  return instance;
}

void
kinema_thumbnailer_get_stats (KinemaThumbnailer *self,
                              guint             *memory_hits,
                              guint             *disk_hits,
                              guint             *decoded)
{
  g_return_if_fail (KINEMA_IS_THUMBNAILER (self));

  if (memory_hits != NULL)
    *memory_hits = self->memory_hits;
  if (disk_hits != NULL)
    *disk_hits = self->disk_hits;
  if (decoded != NULL)
    *decoded = self->decoded;
}

/* ----- memory cache (main thread) ----- */

static GdkTexture *
memory_lookup (KinemaThumbnailer *self,
               const char        *key)
{
  char       *stored_key = NULL;
  GdkTexture *texture = NULL;
  GList      *link;

  if (!g_hash_table_lookup_extended (self->memory, key, (gpointer *) &stored_key, (gpointer *) &texture))
    return NULL;
  link = g_queue_find (&self->lru, stored_key);
  if (link != NULL)
    {
      g_queue_unlink (&self->lru, link);
      g_queue_push_head_link (&self->lru, link);
    }
  return texture;
}

static void
memory_insert (KinemaThumbnailer *self,
               const char        *key,
               GdkTexture        *texture)
{
  char *stored_key;

  if (g_hash_table_contains (self->memory, key))
    return;
  stored_key = g_strdup (key);
  g_hash_table_insert (self->memory, stored_key, g_object_ref (texture));
  g_queue_push_head (&self->lru, stored_key);
  while (g_queue_get_length (&self->lru) > MEMORY_CAPACITY)
    g_hash_table_remove (self->memory, g_queue_pop_tail (&self->lru));
}

/* ----- the worker (any thread) ----- */

static void
on_size_prepared (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  int    size = GPOINTER_TO_INT (user_data);
  double scale;

  if (width <= 0 || height <= 0 || MAX (width, height) <= size)
    return;
  scale = (double) size / MAX (width, height);
  gdk_pixbuf_loader_set_size (loader, MAX (1, (int) (width * scale + 0.5)),
                              MAX (1, (int) (height * scale + 0.5)));
}

static GdkTexture *
load_image (const char *path,
            const char *mime_type,
            int         size,
            GError    **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GdkPixbuf) oriented = NULL;
  GdkPixbuf *pixbuf;
  int        width = 0;
  int        height = 0;

  /* The header first: whatever size a file claims, nothing over the pixel budget is
   * decoded (a 30000 × 30000 PNG of under 1 MB took 2.6 GB; issue 15, point 3). */
  if (kinema_image_read_size (path, mime_type, &width, &height) &&
      !kinema_image_dimensions_ok (width, height, mime_type, error))
    return NULL;

  mapped = g_mapped_file_new (path, FALSE, error);
  if (mapped == NULL)
    return NULL;
  loader = gdk_pixbuf_loader_new_with_mime_type (mime_type, NULL);
  if (loader == NULL)
    loader = gdk_pixbuf_loader_new ();
  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), GINT_TO_POINTER (size));
  if (!gdk_pixbuf_loader_write (loader, (const guchar *) g_mapped_file_get_contents (mapped),
                                g_mapped_file_get_length (mapped), NULL) ||
      !gdk_pixbuf_loader_close (loader, NULL) || gdk_pixbuf_loader_get_pixbuf (loader) == NULL)
    {
      gdk_pixbuf_loader_close (loader, NULL);
      g_set_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT,
                   _("This picture is damaged or in a format Kinema cannot read."));
      return NULL;
    }
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  return gdk_texture_new_for_pixbuf (oriented != NULL ? oriented : pixbuf);
}

static GdkTexture *
make_thumbnail (const char *path,
                int         size,
                GError    **error)
{
  guint8      head[16];
  gssize      n = 0;
  const char *mime_type = NULL;
  FILE       *f;

  f = g_fopen (path, "rb");
  if (f != NULL)
    {
      n = (gssize) fread (head, 1, sizeof head, f);
      fclose (f);
      mime_type = kinema_image_sniff_mime_type (head, (gsize) MAX (n, 0));
    }
  if (mime_type != NULL)
    return load_image (path, mime_type, size, error);
  return kinema_frame_grab (path, 0, size, NULL, error);
}

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GdkTexture) texture = NULL;
  GError *error = NULL;

  if (job->cache_path != NULL && g_file_test (job->cache_path, G_FILE_TEST_IS_REGULAR))
    {
      texture = gdk_texture_new_from_filename (job->cache_path, NULL);
      if (texture != NULL)
        {
          job->from_disk = TRUE;
          g_task_return_pointer (task, g_steal_pointer (&texture), g_object_unref);
          return;
        }
      g_unlink (job->cache_path);
    }

  texture = make_thumbnail (job->path, job->size, &error);
  if (texture == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* A cache that cannot be written only costs time later. */
  if (job->cache_path != NULL && !kinema_texture_save_png (texture, job->cache_path, &error))
    {
      g_debug ("Not caching the thumbnail: %s", error->message);
      g_clear_error (&error);
    }
  g_task_return_pointer (task, g_steal_pointer (&texture), g_object_unref);
}

/* ----- the queue (main thread) ----- */

static void pump (KinemaThumbnailer *self);

static gboolean
job_wanted (Job *job)
{
  for (guint i = 0; i < job->waiters->len; i++)
    if (!g_cancellable_is_cancelled (g_task_get_cancellable (job->waiters->pdata[i])))
      return TRUE;
  return FALSE;
}

/* Completes every caller of @job with @texture or @error; cancelled callers always
 * get G_IO_ERROR_CANCELLED. */
static void
job_complete (Job        *job,
              GdkTexture *texture,
              GError     *error)
{
  for (guint i = 0; i < job->waiters->len; i++)
    {
      GTask *waiter = job->waiters->pdata[i];

      if (g_task_return_error_if_cancelled (waiter))
        continue;
      if (texture != NULL)
        g_task_return_pointer (waiter, g_object_ref (texture), g_object_unref);
      else
        g_task_return_error (waiter, g_error_copy (error));
    }
}

static void
on_job_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  KinemaThumbnailer *self = KINEMA_THUMBNAILER (source);
  Job               *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = g_task_propagate_pointer (G_TASK (result), &error);
  self->running--;
  g_hash_table_remove (self->jobs, job->key);
  if (texture != NULL)
    {
      if (job->from_disk)
        self->disk_hits++;
      else
        self->decoded++;
      memory_insert (self, job->key, texture);
    }
  job_complete (job, texture, error);
  pump (self);
}

static void
pump (KinemaThumbnailer *self)
{
  while (self->running < MAX_RUNNING && !g_queue_is_empty (&self->queue))
    {
      Job *job = g_queue_pop_head (&self->queue);
      g_autoptr(GTask) worker = NULL;

      if (!job_wanted (job))
        {
          g_hash_table_remove (self->jobs, job->key);
          job_complete (job, NULL, NULL);
          job_free (job);
          continue;
        }

      self->running++;
      /* The worker holds the thumbnailer until it has reported back. */
      worker = g_task_new (self, NULL, on_job_done, NULL);
      g_task_set_source_tag (worker, pump);
      g_task_set_task_data (worker, job, (GDestroyNotify) job_free);
      g_task_run_in_thread (worker, job_thread);
    }
}

void
kinema_thumbnailer_load_async (KinemaThumbnailer  *self,
                               const char         *path,
                               int                 size,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *key = NULL;
  GStatBuf         st;
  GdkTexture      *cached;
  Job             *job;

  g_return_if_fail (KINEMA_IS_THUMBNAILER (self));
  g_return_if_fail (path != NULL);
  g_return_if_fail (size > 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kinema_thumbnailer_load_async);

  if (g_stat (path, &st) != 0)
    {
      g_task_return_new_error (task, KINEMA_ERROR, KINEMA_ERROR_MEDIA,
                               _("The file is missing. It may have been moved or deleted."));
      return;
    }

  /* The picture changes whenever the file does. */
  key = g_strdup_printf ("%s\n%d\n%" G_GINT64_FORMAT "\n%" G_GINT64_FORMAT, path, size,
                         (gint64) st.st_size, (gint64) st.st_mtime);

  cached = memory_lookup (self, key);
  if (cached != NULL)
    {
      self->memory_hits++;
      g_task_return_pointer (task, g_object_ref (cached), g_object_unref);
      return;
    }

  job = g_hash_table_lookup (self->jobs, key);
  if (job == NULL)
    {
      job = g_new0 (Job, 1);
      job->self = self;
      job->key = g_strdup (key);
      job->path = g_strdup (path);
      job->size = size;
      job->waiters = g_ptr_array_new_with_free_func (g_object_unref);
      if (self->cache_dir != NULL)
        {
          g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
          g_autofree char *name = g_strconcat (sum, ".png", NULL);

          job->cache_path = g_build_filename (self->cache_dir, name, NULL);
        }
      g_hash_table_insert (self->jobs, job->key, job);
      g_queue_push_head (&self->queue, job);
    }
  else
    {
      /* Queued: move it to the front, it is wanted again. */
      GList *link = g_queue_find (&self->queue, job);

      if (link != NULL)
        {
          g_queue_unlink (&self->queue, link);
          g_queue_push_head_link (&self->queue, link);
        }
    }
  g_ptr_array_add (job->waiters, g_steal_pointer (&task));
  pump (self);
}

GdkTexture *
kinema_thumbnailer_load_finish (KinemaThumbnailer *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (KINEMA_IS_THUMBNAILER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
