/* kinema-downloader.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-downloader"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "kinema-downloader.h"
#include "kinema-error.h"

#define CHUNK_SIZE (256 * 1024)
/* Reads are gathered up to this much before they go to disk: each write runs on a
 * GTask worker thread, and waking one for every read took the main thread's CPU from
 * it when many downloads run at once. */
#define WRITE_SIZE (1024 * 1024)
#define DEFAULT_ATTEMPTS 3
/* Back-off between the attempts of one call: 0.5 s, 1 s, 2 s... at most 30 s. */
#define DEFAULT_RETRY_DELAY_MS 500
#define MAX_RETRY_DELAY_MS (30 * 1000)
#define HEAD_SIZE 16
/* An ISO media file of a few minutes has a handful of top-level boxes: a file with
 * more is not a clip, and walking it must not take for ever. */
#define MAX_ISO_BOXES 10000
/* Room left on the disk beyond the clip itself. */
#define FREE_SPACE_MARGIN (64 * 1024 * 1024)

struct _KinemaDownloader
{
  GObject parent_instance;

  KinemaClient *client;
  guint         attempts;
  guint         retry_delay_ms;
  guint64       max_bytes;
  guint64       free_space_margin;
};

G_DEFINE_FINAL_TYPE (KinemaDownloader, kinema_downloader, G_TYPE_OBJECT)

typedef struct
{
  KinemaProvider        *provider;
  char                  *video_url;
  char                  *remote_id;
  char                  *part_path;
  GFile                 *part;
  KinemaDownloadProgress progress;
  gpointer               progress_data;

  guint          attempt;
  SoupMessage   *message;
  GInputStream  *input;
  GOutputStream *output;
  goffset        offset;  /* bytes in the .part */
  GByteArray    *pending; /* read, not written yet */
  gboolean       eof;     /* the body ended; write what is pending, then finish */
  goffset        total;   /* -1 unknown */
  guint8         head[HEAD_SIZE];
  gsize          head_len;
  GError        *last_error;
} Download;

static void     attempt (GTask *task);
static gboolean truncate_part (Download *d,
                               GError  **error);

static void
download_free (Download *d)
{
  g_clear_object (&d->provider);
  g_free (d->video_url);
  g_free (d->remote_id);
  g_free (d->part_path);
  g_clear_object (&d->part);
  g_clear_object (&d->message);
  g_clear_object (&d->input);
  g_clear_object (&d->output);
  g_clear_pointer (&d->pending, g_byte_array_unref);
  g_clear_error (&d->last_error);
  g_free (d);
}

static void
kinema_downloader_finalize (GObject *object)
{
  KinemaDownloader *self = (KinemaDownloader *) object;

  g_clear_object (&self->client);

  G_OBJECT_CLASS (kinema_downloader_parent_class)->finalize (object);
}

static void
kinema_downloader_class_init (KinemaDownloaderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kinema_downloader_finalize;
}

static void
kinema_downloader_init (KinemaDownloader *self)
{
  self->attempts = DEFAULT_ATTEMPTS;
  self->retry_delay_ms = DEFAULT_RETRY_DELAY_MS;
  self->max_bytes = KINEMA_DOWNLOAD_MAX_BYTES;
  self->free_space_margin = FREE_SPACE_MARGIN;
}

KinemaDownloader *
kinema_downloader_new (KinemaClient *client)
{
  KinemaDownloader *self;

  g_return_val_if_fail (KINEMA_IS_CLIENT (client), NULL);

  self = g_object_new (KINEMA_TYPE_DOWNLOADER, NULL);
  self->client = g_object_ref (client);
  return self;
}

void
kinema_downloader_set_attempts (KinemaDownloader *self,
                                guint             attempts)
{
  g_return_if_fail (KINEMA_IS_DOWNLOADER (self));
  self->attempts = MAX (1, attempts);
}

/**
 * kinema_downloader_set_limits:
 * @self: a #KinemaDownloader
 * @max_bytes: the largest clip accepted (default KINEMA_DOWNLOAD_MAX_BYTES)
 * @free_space_margin: the room that must stay free on the disk besides the clip
 *
 * For tests: the defaults are far above any real clip and far below a real disk.
 */
void
kinema_downloader_set_limits (KinemaDownloader *self,
                              guint64           max_bytes,
                              guint64           free_space_margin)
{
  g_return_if_fail (KINEMA_IS_DOWNLOADER (self));
  self->max_bytes = max_bytes;
  self->free_space_margin = free_space_margin;
}

/**
 * kinema_downloader_set_retry_delay:
 * @self: a #KinemaDownloader
 * @delay_ms: the wait before the second attempt; it doubles for each further one
 *
 * Tests shorten the back-off with this; 0 retries at once.
 */
void
kinema_downloader_set_retry_delay (KinemaDownloader *self,
                                   guint             delay_ms)
{
  g_return_if_fail (KINEMA_IS_DOWNLOADER (self));
  self->retry_delay_ms = MIN (delay_ms, MAX_RETRY_DELAY_MS);
}

/* ------------------------------------------------------------------------- */
/* Errors */

static GError *
disk_error (const GError *io_error)
{
  GError *error = kinema_error_new (KINEMA_ERROR_DISK, 0, NULL, io_error->message, NULL);

  g_free (error->message);
  if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
    error->message = g_strdup (_("The clip could not be saved: the disk is full."));
  else if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_READ_ONLY) ||
           g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    error->message = g_strdup (_("The clip could not be saved: the downloads folder cannot be written to."));
  else
    error->message = g_strdup_printf (_("The clip could not be saved: %s"), io_error->message);
  return error;
}

static GError *
too_large_error (guint status)
{
  return kinema_error_new (KINEMA_ERROR_BAD_REPLY, status, NULL, "the download is larger than any clip", NULL);
}

static GError *
expired_error (guint status)
{
  GError *error = kinema_error_new (KINEMA_ERROR_NOT_FOUND, status, NULL, NULL, NULL);

  g_free (error->message);
  error->message = g_strdup (_("The clip is no longer available from the provider (its link has expired)."));
  return error;
}

static GError *
status_error (SoupMessage *message)
{
  guint status = soup_message_get_status (message);

  switch (status)
    {
    case 401:
      return kinema_error_new (KINEMA_ERROR_AUTH, status, NULL, NULL, NULL);
    case 403:
    case 404:
    case 410:
      return expired_error (status);
    case 429:
      {
        GError *error = kinema_error_new (KINEMA_ERROR_RATE_LIMITED, status, NULL, NULL, NULL);

        kinema_error_set_retry_after (error, kinema_http_parse_retry_after (soup_message_get_response_headers (message),
                                                                            NULL));
        return error;
      }
    default:
      if (status >= 500)
        return kinema_error_new (KINEMA_ERROR_SERVER, status, NULL, NULL, NULL);
      return kinema_error_new (KINEMA_ERROR_BAD_REPLY, status, NULL,
                               soup_message_get_reason_phrase (message), NULL);
    }
}

static gboolean
error_is_transient (const GError *error)
{
  return g_error_matches (error, KINEMA_ERROR, KINEMA_ERROR_NETWORK) ||
         g_error_matches (error, KINEMA_ERROR, KINEMA_ERROR_TIMEOUT) ||
         g_error_matches (error, KINEMA_ERROR, KINEMA_ERROR_SERVER);
}

/* ------------------------------------------------------------------------- */
/* One attempt */

static void
report_progress (Download *d)
{
  if (d->progress != NULL)
    d->progress (d->offset + (d->pending != NULL ? (goffset) d->pending->len : 0), d->total, d->progress_data);
}

static void
close_streams (Download *d)
{
  if (d->input != NULL)
    g_input_stream_close (d->input, NULL, NULL);
  g_clear_object (&d->input);
  if (d->output != NULL)
    g_output_stream_close (d->output, NULL, NULL);
  g_clear_object (&d->output);
  g_clear_object (&d->message);
}

static gboolean
retry_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }
  attempt (task);
  return G_SOURCE_REMOVE;
}

static gboolean
retry_cancelled_cb (GCancellable *cancellable,
                    gpointer      user_data)
{
  return G_SOURCE_REMOVE;
}

/* Every way an attempt can go wrong and be worth another try (a cut connection, a
 * server error, a range that does not match) draws on the same budget of
 * self->attempts requests per call, with a growing wait between them. Returns
 * FALSE, keeping the caller's reference, when the budget is spent or the call was
 * cancelled; otherwise takes the caller's reference on @task. */
static gboolean
retry_later (GTask *task)
{
  KinemaDownloader *self = g_task_get_source_object (task);
  Download         *d = g_task_get_task_data (task);
  GCancellable     *cancellable = g_task_get_cancellable (task);
  double            delay_ms;
  GSource          *source;

  close_streams (d);
  if (d->attempt >= self->attempts || g_cancellable_is_cancelled (cancellable))
    return FALSE;

  /* Computed in floating point and clamped before it becomes an integer. */
  delay_ms = self->retry_delay_ms * ldexp (1.0, (int) MIN (d->attempt - 1, 16u));
  delay_ms *= 0.75 + 0.5 * g_random_double ();
  delay_ms = CLAMP (delay_ms, 0.0, (double) MAX_RETRY_DELAY_MS);

  source = g_timeout_source_new ((guint) delay_ms);
  if (cancellable != NULL)
    {
      /* A cancelled call ends at once, not when the wait is over. */
      GSource *cancel_source = g_cancellable_source_new (cancellable);

      g_source_set_callback (cancel_source, G_SOURCE_FUNC (retry_cancelled_cb), NULL, NULL);
      g_source_add_child_source (source, cancel_source);
      g_source_unref (cancel_source);
    }
  g_source_set_callback (source, retry_timeout_cb, task, NULL);
  g_source_set_priority (source, g_task_get_priority (task));
  g_source_attach (source, g_task_get_context (task));
  g_source_unref (source);
  return TRUE;
}

/* The attempt failed with @error: try again (resuming) or give up.
 * Takes the caller's reference on @task. */
static void
attempt_failed (GTask  *task,
                GError *error)
{
  Download *d = g_task_get_task_data (task);

  close_streams (d);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && error_is_transient (error))
    {
      g_clear_error (&d->last_error);
      d->last_error = g_error_copy (error);
      if (retry_later (task))
        {
          g_debug ("Download of %s interrupted (%s), resuming", d->part_path, error->message);
          g_error_free (error);
          return;
        }
    }

  g_task_return_error (task, error);
  g_object_unref (task);
}

/* The server answered with a part of the file other than the one asked for (or a
 * range error for a .part that does not match): the .part starts again from empty
 * and the next attempt counts against the same budget.
 * Takes the caller's reference on @task. */
static void
range_mismatch (GTask *task)
{
  Download *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  close_streams (d);
  if (!truncate_part (d, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (retry_later (task))
    return;
  if (!g_task_return_error_if_cancelled (task))
    g_task_return_error (task, kinema_error_new (KINEMA_ERROR_BAD_REPLY, SOUP_STATUS_PARTIAL_CONTENT, NULL,
                                                 "the server keeps sending the wrong part of the clip", NULL));
  g_object_unref (task);
}

static const char *
extension_for (const guint8 *head,
               gsize         len)
{
  if (len >= 8 && memcmp (head + 4, "ftyp", 4) == 0)
    return ".mp4";
  if (len >= 4 && head[0] == 0x1a && head[1] == 0x45 && head[2] == 0xdf && head[3] == 0xa3)
    return ".webm";
  return NULL;
}

static gboolean
looks_like_a_page (const guint8 *head,
                   gsize         len)
{
  gsize i = 0;

  while (i < len && g_ascii_isspace (head[i]))
    i++;
  return i < len && (head[i] == '<' || head[i] == '{' || head[i] == '[');
}

/* An ISO media file (MP4, MOV) is a chain of boxes covering the whole file, one of
 * them the movie header ("moov"). Walking the top-level box headers catches files
 * that are cut short or are not video at all, without decoding anything. */
static gboolean
iso_boxes_are_whole (const char *path,
                     gboolean   *is_iso)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, NULL);
  g_autoptr(GFileInfo) info = NULL;
  goffset  size;
  goffset  pos = 0;
  gboolean moov = FALSE;

  *is_iso = FALSE;
  if (in == NULL)
    return FALSE;
  info = g_file_input_stream_query_info (in, G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL, NULL);
  if (info == NULL)
    return FALSE;
  size = g_file_info_get_size (info);

  for (guint n_boxes = 0; pos < size; n_boxes++)
    {
      guint8  header[16];
      gsize   n = 0;
      guint64 box;

      if (n_boxes >= MAX_ISO_BOXES ||
          !g_seekable_seek (G_SEEKABLE (in), pos, G_SEEK_SET, NULL, NULL) ||
          !g_input_stream_read_all (G_INPUT_STREAM (in), header, 8, &n, NULL, NULL) || n < 8)
        return FALSE;
      for (guint i = 4; i < 8; i++)
        if (!g_ascii_isprint (header[i]))
          return FALSE;
      if (pos == 0)
        *is_iso = TRUE;

      box = ((guint64) header[0] << 24) | ((guint64) header[1] << 16) | ((guint64) header[2] << 8) | header[3];
      if (box == 1)
        {
          /* 64-bit size after the type */
          if (!g_input_stream_read_all (G_INPUT_STREAM (in), header + 8, 8, &n, NULL, NULL) || n < 8)
            return FALSE;
          box = 0;
          for (guint i = 8; i < 16; i++)
            box = (box << 8) | header[i];
          if (box < 16)
            return FALSE;
        }
      else if (box == 0)
        box = size - pos; /* to the end of the file */
      else if (box < 8)
        return FALSE;

      if (memcmp (header + 4, "moov", 4) == 0)
        moov = TRUE;
      if (box > (guint64) (size - pos))
        return FALSE; /* cut short */
      pos += box;
    }
  return moov;
}

static void
read_head (Download *d)
{
  g_autoptr(GFileInputStream) in = NULL;

  if (d->head_len > 0)
    return;
  in = g_file_read (d->part, NULL, NULL);
  if (in != NULL)
    {
      gsize n = 0;

      g_input_stream_read_all (G_INPUT_STREAM (in), d->head, HEAD_SIZE, &n, NULL, NULL);
      d->head_len = n;
    }
}

/* The checks of a complete .part and its rename, on a worker thread: the box walk
 * reads the file (issue 15, point 7). */
static void
finish_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Download        *d = task_data;
  g_autofree char *stem = NULL;
  g_autofree char *final = NULL;
  const char      *ext;
  g_autoptr(GError) error = NULL;

  read_head (d);

  if (looks_like_a_page (d->head, d->head_len))
    {
      /* A web page or an error document served as the clip: not worth keeping. */
      g_unlink (d->part_path);
      g_task_return_error (task, kinema_error_new (KINEMA_ERROR_BAD_REPLY, 0, NULL,
                                                   "the download is not a video", NULL));
      return;
    }

  ext = extension_for (d->head, d->head_len);
  if (g_strcmp0 (ext, ".webm") != 0)
    {
      gboolean is_iso = FALSE;

      if (!iso_boxes_are_whole (d->part_path, &is_iso))
        {
          /* Complete as announced, yet not a whole video: fetching it again will not help. */
          g_unlink (d->part_path);
          g_task_return_error (task, kinema_error_new (KINEMA_ERROR_MEDIA, 0, NULL,
                                                       is_iso ? "the video file is incomplete"
                                                              : "the download is not a video",
                                                       NULL));
          return;
        }
      ext = ".mp4";
    }

  stem = g_strndup (d->part_path, strlen (d->part_path) - strlen (".part"));
  final = g_strconcat (stem, ext, NULL);
  for (guint i = 2; g_file_test (final, G_FILE_TEST_EXISTS) && i < 1000; i++)
    {
      g_free (final);
      final = g_strdup_printf ("%s-%u%s", stem, i, ext);
    }

  if (g_rename (d->part_path, final) != 0)
    {
      int saved = errno;

      error = g_error_new_literal (G_IO_ERROR, g_io_error_from_errno (saved), g_strerror (saved));
      g_task_return_error (task, disk_error (error));
      return;
    }

  g_debug ("Downloaded %s", final);
  g_task_return_pointer (task, g_steal_pointer (&final), g_free);
}

/* Takes no reference: the worker thread holds its own. */
static void
finish_download (GTask *task)
{
  close_streams (g_task_get_task_data (task));
  g_task_run_in_thread (task, finish_thread);
}

static void read_next (GTask *task);

/* The body ended (or the connection did) with nothing pending. */
static void
at_end (GTask *task)
{
  Download *d = g_task_get_task_data (task);

  if (d->total >= 0 && d->offset < d->total)
    {
      /* The connection ended before the announced length. */
      attempt_failed (task, kinema_error_new (KINEMA_ERROR_NETWORK, 0, NULL, "the download was cut off", NULL));
      return;
    }
  finish_download (task);
  g_object_unref (task);
}

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Download *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gsize written = 0;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, &written, &error))
    {
      d->offset += written;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        attempt_failed (g_steal_pointer (&task) /* ref moves */, g_steal_pointer (&error));
      else
        {
          close_streams (d);
          g_task_return_error (task, disk_error (error));
        }
      return;
    }

  d->offset += written;
  g_byte_array_set_size (d->pending, 0);
  if (d->eof)
    at_end (g_steal_pointer (&task));
  else
    read_next (g_steal_pointer (&task));
}

/* Takes the caller's reference on @task. */
static void
write_pending (GTask *task)
{
  Download *d = g_task_get_task_data (task);

  /* write_all keeps no copy of the data: d->pending is left alone until write_cb. */
  g_output_stream_write_all_async (d->output, d->pending->data, d->pending->len, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), write_cb, task);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Download *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = NULL;
  goffset received;
  gsize   size;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      GError *mapped = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                           ? g_steal_pointer (&error)
                           : kinema_http_error_from_transport (error);

      attempt_failed (g_steal_pointer (&task), mapped);
      return;
    }

  size = g_bytes_get_size (chunk);
  if (size == 0)
    {
      if (d->pending->len > 0)
        {
          d->eof = TRUE;
          write_pending (g_steal_pointer (&task));
        }
      else
        at_end (g_steal_pointer (&task));
      return;
    }

  received = d->offset + (goffset) d->pending->len;
  if ((guint64) received + size > ((KinemaDownloader *) g_task_get_source_object (task))->max_bytes)
    {
      close_streams (d);
      g_task_return_error (task, too_large_error (0));
      return;
    }
  if (d->total >= 0 && received + (goffset) size > d->total)
    {
      close_streams (d);
      g_task_return_error (task, kinema_error_new (KINEMA_ERROR_BAD_REPLY, 0, NULL,
                                                   "the download is longer than announced", NULL));
      return;
    }

  if (d->head_len < HEAD_SIZE && received == (goffset) d->head_len)
    {
      gsize n = MIN (size, HEAD_SIZE - d->head_len);

      memcpy (d->head + d->head_len, g_bytes_get_data (chunk, NULL), n);
      d->head_len += n;
    }

  g_byte_array_append (d->pending, g_bytes_get_data (chunk, NULL), size);
  report_progress (d); /* what came in, as every read did before */
  if (d->pending->len >= WRITE_SIZE || (d->total >= 0 && received + (goffset) size == d->total))
    write_pending (g_steal_pointer (&task));
  else
    read_next (g_steal_pointer (&task));
}

static void
read_next (GTask *task)
{
  Download *d = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (d->input, CHUNK_SIZE, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                   read_cb, task);
}

static void
open_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Download *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GFileOutputStream *output;

  output = g_file_append_to_finish (G_FILE (object), result, &error);
  if (output == NULL)
    {
      close_streams (d);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_error (task, disk_error (error));
      return;
    }
  d->output = G_OUTPUT_STREAM (output);
  read_next (g_steal_pointer (&task));
}

/* Before anything is written: is there room for the rest of the clip? */
static void
space_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KinemaDownloader *self = g_task_get_source_object (task);
  Download         *d = g_task_get_task_data (task);
  g_autoptr(GFileInfo) info = g_file_query_filesystem_info_finish (G_FILE (object), result, NULL);
  GCancellable     *cancellable;

  if (g_task_return_error_if_cancelled (task))
    {
      close_streams (d);
      return;
    }
  if (info != NULL && g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE))
    {
      guint64 free_bytes = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE);
      guint64 rest = d->total > d->offset ? (guint64) (d->total - d->offset) : 0;

      if (free_bytes < rest || free_bytes - rest < self->free_space_margin)
        {
          g_autoptr(GError) full = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NO_SPACE, "not enough free space");

          close_streams (d);
          g_task_return_error (task, disk_error (full));
          return;
        }
    }
  cancellable = g_task_get_cancellable (task);
  g_file_append_to_async (d->part, G_FILE_CREATE_NONE, G_PRIORITY_DEFAULT, cancellable, open_cb,
                          g_steal_pointer (&task));
}

static gboolean
truncate_part (Download *d,
               GError  **error)
{
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GError) local_error = NULL;

  d->offset = 0;
  d->head_len = 0;
  out = g_file_replace (d->part, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &local_error);
  if (out == NULL || !g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &local_error))
    {
      g_propagate_error (error, disk_error (local_error));
      return FALSE;
    }
  return TRUE;
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Download *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  KinemaDownloader   *self = KINEMA_DOWNLOADER (g_task_get_source_object (task));
  SoupMessageHeaders *headers;
  GCancellable       *cancellable;
  g_autoptr(GFile) parent = NULL;
  const char         *content_type;
  guint               status;

  d->input = kinema_http_client_send_finish (KINEMA_HTTP_CLIENT (object), result, &error);
  if (d->input == NULL)
    {
      attempt_failed (g_steal_pointer (&task), g_steal_pointer (&error));
      return;
    }

  status = soup_message_get_status (d->message);
  headers = soup_message_get_response_headers (d->message);
  content_type = soup_message_headers_get_content_type (headers, NULL);

  if (status == SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE && d->offset > 0)
    {
      goffset start, end, total = -1;

      soup_message_headers_get_content_range (headers, &start, &end, &total);
      close_streams (d);
      if (total == d->offset)
        {
          finish_download (task);
          return;
        }
      /* The .part does not match this file: start again. */
      range_mismatch (g_steal_pointer (&task));
      return;
    }

  if (status != SOUP_STATUS_OK && status != SOUP_STATUS_PARTIAL_CONTENT)
    {
      GError *status_err = status_error (d->message);

      close_streams (d);
      if (error_is_transient (status_err))
        attempt_failed (g_steal_pointer (&task), status_err);
      else
        g_task_return_error (task, status_err);
      return;
    }

  if (content_type != NULL &&
      (g_str_has_prefix (content_type, "text/") || g_str_equal (content_type, "application/json") ||
       g_str_equal (content_type, "application/xml")))
    {
      close_streams (d);
      g_task_return_error (task, kinema_error_new (KINEMA_ERROR_BAD_REPLY, status, NULL,
                                                   "the download is not a video", NULL));
      return;
    }

  if (status == SOUP_STATUS_PARTIAL_CONTENT)
    {
      goffset start = -1, end = -1, total = -1;

      if (!soup_message_headers_get_content_range (headers, &start, &end, &total) || start != d->offset)
        {
          /* Not the part we asked for: start again from the beginning. */
          range_mismatch (g_steal_pointer (&task));
          return;
        }
      d->total = total >= 0 ? total : -1;
    }
  else
    {
      goffset length = soup_message_headers_get_content_length (headers);

      /* A whole file: whatever the .part held is replaced. */
      if (d->offset > 0 && !truncate_part (d, &error))
        {
          close_streams (d);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      d->offset = 0;
      d->total = soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH ? length : -1;
    }

  if (d->total > 0 && (guint64) d->total > self->max_bytes)
    {
      close_streams (d);
      g_task_return_error (task, too_large_error (status));
      return;
    }

  report_progress (d);
  cancellable = g_task_get_cancellable (task);
  parent = g_file_get_parent (d->part);
  g_file_query_filesystem_info_async (parent, G_FILE_ATTRIBUTE_FILESYSTEM_FREE, G_PRIORITY_DEFAULT, cancellable,
                                      space_cb, g_steal_pointer (&task));
}

/* Takes the caller's reference on @task. */
static void
attempt (GTask *task)
{
  KinemaDownloader *self = g_task_get_source_object (task);
  Download         *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  d->attempt++;
  close_streams (d);
  /* Whatever an earlier attempt read but did not write is fetched again. */
  if (d->pending == NULL)
    d->pending = g_byte_array_sized_new (WRITE_SIZE + CHUNK_SIZE);
  g_byte_array_set_size (d->pending, 0);
  d->eof = FALSE;

  d->offset = g_stat (d->part_path, &st) == 0 ? st.st_size : 0;
  if (d->offset == 0)
    d->head_len = 0;

  d->message = kinema_client_new_download_message (self->client, d->provider, d->video_url, d->remote_id, &error);
  if (d->message == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  /* Byte counts must match the file: no transparent decompression. */
  soup_message_disable_feature (d->message, SOUP_TYPE_CONTENT_DECODER);
  if (d->offset > 0)
    soup_message_headers_set_range (soup_message_get_request_headers (d->message), d->offset, -1);

  kinema_http_client_send_async (kinema_client_get_http_client (self->client), d->message,
                                 g_task_get_cancellable (task), send_cb, task);
}

void
kinema_downloader_download_async (KinemaDownloader      *self,
                                  KinemaProvider        *provider,
                                  const char            *video_url,
                                  const char            *remote_id,
                                  const char            *part_path,
                                  KinemaDownloadProgress progress,
                                  gpointer               progress_data,
                                  GCancellable          *cancellable,
                                  GAsyncReadyCallback    callback,
                                  gpointer               user_data)
{
  GTask    *task;
  Download *d;

  g_return_if_fail (KINEMA_IS_DOWNLOADER (self));
  g_return_if_fail (KINEMA_IS_PROVIDER (provider));
  g_return_if_fail (part_path != NULL && g_str_has_suffix (part_path, ".part"));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kinema_downloader_download_async);

  d = g_new0 (Download, 1);
  d->provider = g_object_ref (provider);
  d->video_url = g_strdup (video_url);
  d->remote_id = g_strdup (remote_id);
  d->part_path = g_strdup (part_path);
  d->part = g_file_new_for_path (part_path);
  d->progress = progress;
  d->progress_data = progress_data;
  d->total = -1;
  g_task_set_task_data (task, d, (GDestroyNotify) download_free);

  attempt (task);
}

char *
kinema_downloader_download_finish (KinemaDownloader *self,
                                   GAsyncResult     *result,
                                   GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------- */
/* Names */

char *
kinema_downloader_sanitize_prompt (const char *prompt,
                                   guint       max_chars)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *normalized = NULL;
  gboolean         dash = FALSE;
  guint            n = 0;

  if (prompt != NULL && g_utf8_validate (prompt, -1, NULL))
    normalized = g_utf8_normalize (prompt, -1, G_NORMALIZE_NFC);

  for (const char *p = normalized; p != NULL && *p != '\0' && n < max_chars; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        {
          if (dash && out->len > 0)
            {
              g_string_append_c (out, '-');
              n++;
              if (n >= max_chars)
                break;
            }
          dash = FALSE;
          g_string_append_unichar (out, g_unichar_tolower (c));
          n++;
        }
      else
        dash = TRUE;
    }

  if (out->len == 0)
    g_string_assign (out, "clip");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
stem_is_taken (const char *stem)
{
  static const char *const suffixes[] = { ".part", ".mp4", ".webm", ".json", ".mov", ".mkv" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (stem, suffixes[i], NULL);

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        return TRUE;
    }
  return FALSE;
}

char *
kinema_downloader_reserve_part (const char *dir,
                                gint64      created_at_us,
                                const char *prompt,
                                GError    **error)
{
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *excerpt = NULL;
  g_autofree char *base = NULL;

  g_return_val_if_fail (dir != NULL, NULL);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;
      g_autoptr(GError) io = g_error_new_literal (G_IO_ERROR, g_io_error_from_errno (saved), g_strerror (saved));

      g_propagate_error (error, disk_error (io));
      return NULL;
    }

  when = created_at_us > 0 ? g_date_time_new_from_unix_local (created_at_us / G_USEC_PER_SEC) : g_date_time_new_now_local ();
  stamp = g_date_time_format (when, "%Y-%m-%d_%H-%M-%S");
  excerpt = kinema_downloader_sanitize_prompt (prompt, 40);
  base = g_build_filename (dir, stamp, NULL);

  for (guint i = 1; i < 10000; i++)
    {
      g_autofree char *stem = i == 1 ? g_strdup_printf ("%s_%s", base, excerpt)
                                     : g_strdup_printf ("%s_%s-%u", base, excerpt, i);
      g_autofree char *part = NULL;
      int              fd;

      if (stem_is_taken (stem))
        continue;
      part = g_strconcat (stem, ".part", NULL);
      fd = g_open (part, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
      if (fd >= 0)
        {
          close (fd);
          return g_steal_pointer (&part);
        }
      if (errno != EEXIST)
        {
          int saved = errno;
          g_autoptr(GError) io = g_error_new_literal (G_IO_ERROR, g_io_error_from_errno (saved),
                                                       g_strerror (saved));

          g_propagate_error (error, disk_error (io));
          return NULL;
        }
    }

  g_set_error_literal (error, KINEMA_ERROR, KINEMA_ERROR_DISK, _("No free file name for the clip."));
  return NULL;
}
