/* kinema-image.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-image"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "kinema-error.h"
#include "kinema-image.h"

/* Refuse to decode anything bigger: it would take too much memory to convert. */
#define MAX_INPUT_BYTES  (200 * 1024 * 1024)
#define MAX_INPUT_PIXELS (150 * 1000 * 1000)

typedef enum {
  KIND_UNKNOWN,
  KIND_JPEG,
  KIND_PNG,
  KIND_WEBP,
  KIND_HEIC,
  KIND_AVIF,
  KIND_GIF,
  KIND_BMP,
  KIND_TIFF,
} ImageKind;

/* KinemaImageInfo */

G_DEFINE_BOXED_TYPE (KinemaImageInfo, kinema_image_info, kinema_image_info_copy, kinema_image_info_free)

KinemaImageInfo *
kinema_image_info_copy (const KinemaImageInfo *info)
{
  KinemaImageInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);

  copy = g_new0 (KinemaImageInfo, 1);
  copy->path = g_strdup (info->path);
  copy->mime_type = g_strdup (info->mime_type);
  copy->width = info->width;
  copy->height = info->height;
  copy->file_size = info->file_size;
  copy->note = g_strdup (info->note);
  return copy;
}

void
kinema_image_info_free (KinemaImageInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->path);
  g_free (info->mime_type);
  g_free (info->note);
  g_free (info);
}

static KinemaImageInfo *
image_info_new (const char *path,
                const char *mime_type,
                int         width,
                int         height,
                goffset     file_size,
                char       *note)
{
  KinemaImageInfo *info = g_new0 (KinemaImageInfo, 1);

  info->path = g_strdup (path);
  info->mime_type = g_strdup (mime_type);
  info->width = width;
  info->height = height;
  info->file_size = file_size;
  info->note = note;
  return info;
}

/* Errors */

static GError *
error_with_message (KinemaErrorCode  code,
                    const char      *technical,
                    char            *message)
{
  GError *error = kinema_error_new (code, 0, NULL, technical, NULL);

  g_free (error->message);
  error->message = message;
  return error;
}

static GError *
invalid_input (char *message)
{
  return error_with_message (KINEMA_ERROR_INVALID_INPUT, NULL, message);
}

static GError *
unreadable_error (const GError *cause)
{
  return error_with_message (KINEMA_ERROR_INVALID_INPUT, cause ? cause->message : NULL,
                             g_strdup (_("The image could not be read. The file may be damaged.")));
}

static GError *
not_an_image_error (void)
{
  return invalid_input (g_strdup (_("This file is not an image Kinema can use. Choose a JPG or PNG photo.")));
}

/* "12.3 MB", with 1 MB = 1024 × 1024 bytes as in Kling's limit */
static char *
format_megabytes (goffset size)
{
  return g_strdup_printf (_("%.1f MB"), (double) size / (1024.0 * 1024.0));
}

/* Sniffing */

static ImageKind
sniff_kind (const guchar *data,
            gsize         len)
{
  if (len >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
    return KIND_JPEG;
  if (len >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return KIND_PNG;
  if (len >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    return KIND_WEBP;
  if (len >= 6 && (memcmp (data, "GIF87a", 6) == 0 || memcmp (data, "GIF89a", 6) == 0))
    return KIND_GIF;
  if (len >= 2 && data[0] == 'B' && data[1] == 'M')
    return KIND_BMP;
  if (len >= 4 && (memcmp (data, "II*\0", 4) == 0 || memcmp (data, "MM\0*", 4) == 0))
    return KIND_TIFF;
  if (len >= 12 && memcmp (data + 4, "ftyp", 4) == 0)
    {
      if (memcmp (data + 8, "avif", 4) == 0 || memcmp (data + 8, "avis", 4) == 0)
        return KIND_AVIF;
      if (memcmp (data + 8, "heic", 4) == 0 || memcmp (data + 8, "heix", 4) == 0 ||
          memcmp (data + 8, "hevc", 4) == 0 || memcmp (data + 8, "heim", 4) == 0 ||
          memcmp (data + 8, "heis", 4) == 0 || memcmp (data + 8, "mif1", 4) == 0 ||
          memcmp (data + 8, "msf1", 4) == 0)
        return KIND_HEIC;
    }

  return KIND_UNKNOWN;
}

static const char *
kind_label (ImageKind kind)
{
  switch (kind)
    {
    case KIND_JPEG:
      return "JPEG";
    case KIND_PNG:
      return "PNG";
    case KIND_WEBP:
      return "WebP";
    case KIND_HEIC:
      return "HEIC";
    case KIND_AVIF:
      return "AVIF";
    case KIND_GIF:
      return "GIF";
    case KIND_BMP:
      return "BMP";
    case KIND_TIFF:
      return "TIFF";
    case KIND_UNKNOWN:
    default:
      return NULL;
    }
}

static const char *
kind_mime_type (ImageKind kind)
{
  switch (kind)
    {
    case KIND_JPEG:
      return "image/jpeg";
    case KIND_PNG:
      return "image/png";
    case KIND_WEBP:
      return "image/webp";
    case KIND_HEIC:
      return "image/heif";
    case KIND_AVIF:
      return "image/avif";
    case KIND_GIF:
      return "image/gif";
    case KIND_BMP:
      return "image/bmp";
    case KIND_TIFF:
      return "image/tiff";
    case KIND_UNKNOWN:
    default:
      return NULL;
    }
}

const char *
kinema_image_sniff_mime_type (const guint8 *data,
                              gsize         length)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);

  return kind_mime_type (sniff_kind (data, length));
}

typedef struct {
  int      width;
  int      height;
  int      want_width;  /* 0: full size */
  int      want_height;
  gboolean header_only; /* the size is all we want: nothing is allocated */
} SizeData;

static void
on_size_prepared (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  SizeData *size = user_data;

  size->width = width;
  size->height = height;
  /* As gdk_pixbuf_get_file_info() does: a 0 × 0 size makes the loaders stop before
   * they allocate the image, whatever size the header claims. */
  if (size->header_only)
    gdk_pixbuf_loader_set_size (loader, 0, 0);
  else if (size->want_width > 0 && size->want_height > 0 &&
      (size->want_width != width || size->want_height != height))
    gdk_pixbuf_loader_set_size (loader, size->want_width, size->want_height);
}

static GError *
missing_decoder_error (ImageKind kind)
{
  return error_with_message (KINEMA_ERROR_INVALID_INPUT, "no gdk-pixbuf loader for this format",
                             g_strdup_printf (_("This computer cannot read %s images: a decoder is missing. "
                                                "Save the image as JPG or PNG and try again."),
                                              kind_label (kind)));
}

/* Decodes @path with the loader for @kind, chosen by the sniffed content rather than by
 * gdk-pixbuf's own guess (which depends on the shared MIME database). With @header_only
 * it stops as soon as the size is known and returns NULL with *out_width/height set.
 * @want_width/@want_height (0: full size) let loaders such as JPEG decode at a smaller
 * size directly. For animations the first frame is returned. */
static GdkPixbuf *
decode (const char  *path,
        ImageKind    kind,
        gboolean     header_only,
        int          want_width,
        int          want_height,
        int         *out_width,
        int         *out_height,
        GError     **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree guchar *chunk = NULL;
  SizeData size = { 0, 0, want_width, want_height, header_only };
  GdkPixbuf *pixbuf;
  gboolean closed = FALSE;
  gssize n;
  int fd;

  *out_width = 0;
  *out_height = 0;

  if (kind_mime_type (kind) == NULL)
    {
      g_propagate_error (error, not_an_image_error ());
      return NULL;
    }

  loader = gdk_pixbuf_loader_new_with_mime_type (kind_mime_type (kind), &local_error);
  if (loader == NULL)
    {
      g_propagate_error (error, missing_decoder_error (kind));
      return NULL;
    }
  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), &size);

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      gdk_pixbuf_loader_close (loader, NULL);
      g_propagate_error (error,
                         error_with_message (KINEMA_ERROR_INVALID_INPUT, g_strerror (saved_errno),
                                             g_strdup (_("The image could not be opened. "
                                                         "Check that the file still exists."))));
      return NULL;
    }

  chunk = g_malloc (64 * 1024);
  for (;;)
    {
      n = read (fd, chunk, 64 * 1024);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      if (!gdk_pixbuf_loader_write (loader, chunk, (gsize) n, &local_error))
        break;
      if (header_only && size.width > 0)
        break;
    }
  g_close (fd, NULL);

  if (local_error == NULL && !(header_only && size.width > 0))
    {
      gdk_pixbuf_loader_close (loader, &local_error);
      closed = TRUE;
    }
  if (!closed)
    /* stopped early or failed: the loader still has to be closed, its complaint is moot */
    gdk_pixbuf_loader_close (loader, NULL);

  *out_width = size.width;
  *out_height = size.height;

  if (header_only)
    {
      if (size.width <= 0 || size.height <= 0)
        g_propagate_error (error, unreadable_error (local_error));
      return NULL;
    }

  pixbuf = local_error == NULL ? gdk_pixbuf_loader_get_pixbuf (loader) : NULL;
  if (pixbuf == NULL)
    {
      g_propagate_error (error, unreadable_error (local_error));
      return NULL;
    }

  return g_object_ref (pixbuf);
}

/* What we know about a file before decoding it. */
typedef struct {
  ImageKind kind;
  goffset   size;
} FileFacts;

static gboolean
read_facts (const char  *path,
            FileFacts   *facts,
            GError     **error)
{
  guchar head[32];
  GStatBuf st;
  gssize n;
  int fd;

  memset (facts, 0, sizeof *facts);

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_propagate_error (error,
                         error_with_message (KINEMA_ERROR_INVALID_INPUT, g_strerror (saved_errno),
                                             g_strdup (_("The image could not be opened. "
                                                         "Check that the file still exists."))));
      return FALSE;
    }

  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_close (fd, NULL);
      g_propagate_error (error, not_an_image_error ());
      return FALSE;
    }

  do
    n = read (fd, head, sizeof head);
  while (n < 0 && errno == EINTR);
  g_close (fd, NULL);

  if (n <= 0)
    {
      g_propagate_error (error, not_an_image_error ());
      return FALSE;
    }

  facts->kind = sniff_kind (head, (gsize) n);
  facts->size = st.st_size;
  return TRUE;
}

static gboolean
sides_ok (int      width,
          int      height,
          GError **error)
{
  if (width < KINEMA_IMAGE_MIN_SIDE || height < KINEMA_IMAGE_MIN_SIDE)
    {
      /* Translators: "The image is 250 × 180 pixels; both sides must be at least 300." */
      g_propagate_error (error, invalid_input (g_strdup_printf (_("The image is %d × %d pixels; "
                                                                  "both sides must be at least %d."),
                                                                width, height, KINEMA_IMAGE_MIN_SIDE)));
      return FALSE;
    }

  if ((gint64) MAX (width, height) * KINEMA_IMAGE_ASPECT_DEN > (gint64) MIN (width, height) * KINEMA_IMAGE_ASPECT_NUM)
    {
      g_propagate_error (error, invalid_input (g_strdup_printf (_("The image is %d × %d pixels, which is too "
                                                                  "long and narrow. The longer side can be at "
                                                                  "most 2.5 times the shorter one."),
                                                                width, height)));
      return FALSE;
    }

  return TRUE;
}

static gboolean
size_ok (goffset   size,
         GError  **error)
{
  g_autofree char *text = NULL;

  if (size <= KINEMA_IMAGE_MAX_BYTES)
    return TRUE;

  text = format_megabytes (size);
  g_propagate_error (error, invalid_input (g_strdup_printf (_("The image file is %s; it must be at most 10 MB."),
                                                            text)));
  return FALSE;
}

static void
on_header_size (GdkPixbufLoader *loader,
                int              width,
                int              height,
                gpointer         user_data)
{
  int *size = user_data;

  size[0] = width;
  size[1] = height;
  gdk_pixbuf_loader_set_size (loader, 0, 0);
}

/**
 * kinema_image_read_size:
 * @path: an image file
 * @mime_type: its type, sniffed from its content
 * @width: (out): the width its header claims
 * @height: (out): the height its header claims
 *
 * Reads no more of @path than it takes to learn the size its header claims, with
 * the loader for @mime_type (gdk_pixbuf_get_file_info() needs the shared MIME
 * database to choose one) and a 0 × 0 size so that nothing is allocated.
 *
 * Returns: %TRUE if the header gave a size
 */
gboolean
kinema_image_read_size (const char *path,
                        const char *mime_type,
                        int        *width,
                        int        *height)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autofree guchar *chunk = NULL;
  int   size[2] = { 0, 0 };
  gsize total = 0;
  int   fd;

  g_return_val_if_fail (path != NULL && width != NULL && height != NULL, FALSE);
  *width = *height = 0;

  loader = mime_type != NULL ? gdk_pixbuf_loader_new_with_mime_type (mime_type, NULL) : NULL;
  if (loader == NULL)
    return FALSE;
  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_header_size), size);

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd >= 0)
    {
      chunk = g_malloc (16 * 1024);
      /* Headers sit at the start; a megabyte is plenty even after EXIF. */
      while (size[0] <= 0 && total < 1024 * 1024)
        {
          gssize n = read (fd, chunk, 16 * 1024);

          if (n < 0 && errno == EINTR)
            continue;
          if (n <= 0 || !gdk_pixbuf_loader_write (loader, chunk, (gsize) n, NULL))
            break;
          total += (gsize) n;
        }
      g_close (fd, NULL);
    }
  gdk_pixbuf_loader_close (loader, NULL);

  *width = size[0];
  *height = size[1];
  return size[0] > 0 && size[1] > 0;
}

/**
 * kinema_image_dimensions_ok:
 * @width: the width a file's header claims
 * @height: the height it claims
 * @mime_type: (nullable): the file's type
 * @error: return location for a %KINEMA_ERROR_INVALID_INPUT error
 *
 * The pixel budget of anything Kinema decodes, checked on the header before any
 * decoding: a 30000 × 30000 PNG of under 1 MB took 2.6 GB (issue 15, point 3).
 * JPEG decodes at up to an eighth of its size while it is read, so it may claim
 * more than the formats that are always decoded whole.
 *
 * Returns: %TRUE if an image of this size may be decoded
 */
gboolean
kinema_image_dimensions_ok (int         width,
                            int         height,
                            const char *mime_type,
                            GError    **error)
{
  gint64 budget = g_strcmp0 (mime_type, "image/jpeg") == 0 ? MAX_INPUT_PIXELS : KINEMA_IMAGE_MAX_DECODE_PIXELS;

  if (width > 0 && height > 0 && (gint64) width * height <= budget)
    return TRUE;
  g_propagate_error (error, invalid_input (g_strdup_printf (_("The image is %d × %d pixels, too large to "
                                                              "convert. Use a smaller photo."),
                                                            width, height)));
  return FALSE;
}

/**
 * kinema_image_check:
 * @path: an image file
 * @out_info: (out) (optional) (transfer full): the file's details when it passes
 * @error: return location for a %KINEMA_ERROR_INVALID_INPUT error
 *
 * Checks @path against Kling's rules without changing anything. Cheap: only the
 * header is decoded, so it may run on the main thread for a quick answer; use
 * kinema_image_prepare_async() to get a file that can be sent.
 *
 * Returns: %TRUE if @path can be sent as it is
 */
gboolean
kinema_image_check (const char       *path,
                    KinemaImageInfo **out_info,
                    GError          **error)
{
  FileFacts facts;
  int width = 0;
  int height = 0;

  g_return_val_if_fail (path != NULL, FALSE);

  if (out_info != NULL)
    *out_info = NULL;

  if (!read_facts (path, &facts, error))
    return FALSE;

  if (facts.kind != KIND_JPEG && facts.kind != KIND_PNG)
    {
      if (kind_label (facts.kind) != NULL)
        g_propagate_error (error, invalid_input (g_strdup_printf (_("The image is a %s file; only JPG and PNG "
                                                                    "images can be sent."),
                                                                  kind_label (facts.kind))));
      else
        g_propagate_error (error, not_an_image_error ());
      return FALSE;
    }

  if (!size_ok (facts.size, error))
    return FALSE;

  decode (path, facts.kind, TRUE, 0, 0, &width, &height, error);
  if (width <= 0 || height <= 0)
    return FALSE;

  if (!sides_ok (width, height, error) ||
      !kinema_image_dimensions_ok (width, height, kind_mime_type (facts.kind), error))
    return FALSE;

  if (out_info != NULL)
    *out_info = image_info_new (path, facts.kind == KIND_JPEG ? "image/jpeg" : "image/png",
                                width, height, facts.size, NULL);
  return TRUE;
}

/* Preparing */

static gboolean
pixbuf_is_transparent (GdkPixbuf *pixbuf)
{
  const guchar *pixels;
  int width, height, stride;

  if (!gdk_pixbuf_get_has_alpha (pixbuf) || gdk_pixbuf_get_n_channels (pixbuf) != 4)
    return FALSE;

  pixels = gdk_pixbuf_read_pixels (pixbuf);
  width = gdk_pixbuf_get_width (pixbuf);
  height = gdk_pixbuf_get_height (pixbuf);
  stride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < height; y++)
    {
      const guchar *row = pixels + (gsize) y * stride;

      for (int x = 0; x < width; x++)
        if (row[x * 4 + 3] != 255)
          return TRUE;
    }

  return FALSE;
}

static char *
stem_of (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  char *dot = strrchr (base, '.');

  if (dot != NULL && dot != base)
    *dot = '\0';

  g_strcanon (base, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", '_');
  if (strlen (base) > 40)
    base[40] = '\0';
  if (base[0] == '\0' || base[0] == '.')
    return g_strdup ("image");

  return g_steal_pointer (&base);
}

static char *
default_work_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), "kinema", "images", NULL);
}

static GError *
disk_error (int saved_errno)
{
  return error_with_message (KINEMA_ERROR_DISK, g_strerror (saved_errno),
                             g_strdup (_("The converted image could not be saved on this computer.")));
}

/* Writes @data to a new file "STEM-XXXXXX.EXT" in @work_dir. */
static char *
write_new_file (const char    *work_dir,
                const char    *stem,
                const char    *extension,
                const guchar  *data,
                gsize          len,
                GError       **error)
{
  g_autofree char *template = NULL;
  g_autofree char *name = NULL;
  gsize written = 0;
  int fd;

  if (g_mkdir_with_parents (work_dir, 0700) != 0)
    {
      g_propagate_error (error, disk_error (errno));
      return NULL;
    }

  name = g_strdup_printf ("%s-XXXXXX.%s", stem, extension);
  template = g_build_filename (work_dir, name, NULL);
  fd = g_mkstemp_full (template, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      g_propagate_error (error, disk_error (errno));
      return NULL;
    }

  while (written < len)
    {
      gssize n = write (fd, data + written, len - written);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved_errno = n < 0 ? errno : ENOSPC;

          g_close (fd, NULL);
          g_unlink (template);
          g_propagate_error (error, disk_error (saved_errno));
          return NULL;
        }
      written += (gsize) n;
    }

  if (!g_close (fd, NULL))
    {
      int saved_errno = errno;

      g_unlink (template);
      g_propagate_error (error, disk_error (saved_errno));
      return NULL;
    }

  return g_steal_pointer (&template);
}

static gboolean
encode (GdkPixbuf  *pixbuf,
        gboolean    as_png,
        char      **buffer,
        gsize      *len,
        GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  if (as_png)
    ok = gdk_pixbuf_save_to_buffer (pixbuf, buffer, len, "png", &local_error, "compression", "6", NULL);
  else
    {
      g_autofree char *quality = g_strdup_printf ("%d", KINEMA_IMAGE_JPEG_QUALITY);

      ok = gdk_pixbuf_save_to_buffer (pixbuf, buffer, len, "jpeg", &local_error, "quality", quality, NULL);
    }

  if (!ok)
    g_propagate_error (error, error_with_message (KINEMA_ERROR_INVALID_INPUT, local_error->message,
                                                  g_strdup (_("The image could not be converted."))));
  return ok;
}

static char *
make_note (ImageKind  from_kind,
           gboolean   to_png,
           gboolean   converted,
           gboolean   scaled,
           int        from_width,
           int        from_height,
           int        to_width,
           int        to_height)
{
  const char *from = kind_label (from_kind);
  const char *to = to_png ? "PNG" : "JPEG";

  if (converted && scaled)
    /* Translators: "Converted from WebP to JPEG and scaled down from 8000 × 6000 to 3840 × 2880 to stay under 10 MB" */
    return g_strdup_printf (_("Converted from %s to %s and scaled down from %d × %d to %d × %d to stay under 10 MB"),
                            from, to, from_width, from_height, to_width, to_height);
  if (scaled)
    return g_strdup_printf (_("Scaled down from %d × %d to %d × %d to stay under 10 MB"),
                            from_width, from_height, to_width, to_height);
  if (converted && (from_kind == KIND_JPEG || from_kind == KIND_PNG))
    return g_strdup_printf (_("Converted from %s to %s to stay under 10 MB"), from, to);
  if (converted)
    return g_strdup_printf (_("Converted from %s to %s"), from, to);

  return g_strdup (_("Compressed to stay under 10 MB"));
}

static KinemaImageInfo *
prepare_file (const char    *path,
              const char    *work_dir,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GdkPixbuf) loaded = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autofree char *buffer = NULL;
  g_autofree char *stem = NULL;
  g_autofree char *out_path = NULL;
  KinemaImageInfo *info = NULL;
  FileFacts facts;
  gsize len = 0;
  int width = 0;
  int height = 0;
  int target_width;
  int target_height;
  int out_width;
  int out_height;
  gboolean to_png;
  gboolean scaled;

  if (!read_facts (path, &facts, error))
    return NULL;

  /* Already fine: send it as it is, once we know it decodes. */
  if (kinema_image_check (path, &info, &local_error))
    {
      g_autoptr(GdkPixbuf) probe = NULL;
      int probe_width;
      int probe_height;

      /* a small decode is enough to find a damaged file */
      probe = decode (path, facts.kind, FALSE,
                      MAX (1, info->width / 8), MAX (1, info->height / 8),
                      &probe_width, &probe_height, error);
      if (probe == NULL)
        {
          kinema_image_info_free (info);
          return NULL;
        }
      return info;
    }
  g_clear_error (&local_error);

  if (facts.size > MAX_INPUT_BYTES)
    {
      g_autofree char *text = format_megabytes (facts.size);

      g_propagate_error (error, invalid_input (g_strdup_printf (_("The image file is %s, too large to convert. "
                                                                  "Use a photo under 10 MB."),
                                                                text)));
      return NULL;
    }

  if (facts.kind == KIND_UNKNOWN)
    {
      g_propagate_error (error, not_an_image_error ());
      return NULL;
    }

  decode (path, facts.kind, TRUE, 0, 0, &width, &height, error);
  if (width <= 0 || height <= 0)
    return NULL;

  /* What cannot be fixed: too small, too long and narrow, absurdly large. */
  if (!sides_ok (width, height, error))
    return NULL;

  if (!kinema_image_dimensions_ok (width, height, kind_mime_type (facts.kind), error))
    return NULL;

  target_width = width;
  target_height = height;
  if (MAX (width, height) > KINEMA_IMAGE_TARGET_SIDE)
    {
      double factor = (double) KINEMA_IMAGE_TARGET_SIDE / MAX (width, height);

      target_width = MAX (1, (int) round (width * factor));
      target_height = MAX (1, (int) round (height * factor));
    }

  /* decoding at the target size keeps memory low (JPEG scales while decoding) */
  {
    int decoded_width;
    int decoded_height;

    loaded = decode (path, facts.kind, FALSE, target_width, target_height,
                     &decoded_width, &decoded_height, error);
    if (loaded == NULL)
      return NULL;
  }

  /* the copy loses EXIF, so turn the pixels upright now */
  pixbuf = gdk_pixbuf_apply_embedded_orientation (loaded);
  if (gdk_pixbuf_get_width (pixbuf) != gdk_pixbuf_get_width (loaded))
    {
      int swap = width;

      width = height;
      height = swap;
    }

  to_png = pixbuf_is_transparent (pixbuf);

  for (guint attempt = 0; ; attempt++)
    {
      double factor;
      int next_width;
      int next_height;
      GdkPixbuf *smaller;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      g_clear_pointer (&buffer, g_free);
      if (!encode (pixbuf, to_png, &buffer, &len, error))
        return NULL;

      if (len <= KINEMA_IMAGE_MAX_BYTES)
        break;

      /* shrink by the area ratio, a little more to converge */
      factor = CLAMP (sqrt ((double) KINEMA_IMAGE_MAX_BYTES / (double) len) * 0.95, 0.5, 0.95);
      next_width = (int) (gdk_pixbuf_get_width (pixbuf) * factor);
      next_height = (int) (gdk_pixbuf_get_height (pixbuf) * factor);
      if (attempt >= 16 || MIN (next_width, next_height) < KINEMA_IMAGE_MIN_SIDE)
        {
          g_propagate_error (error, invalid_input (g_strdup (_("The image could not be made smaller than 10 MB "
                                                               "without going under 300 pixels. Use a simpler "
                                                               "or smaller photo."))));
          return NULL;
        }

      smaller = gdk_pixbuf_scale_simple (pixbuf, next_width, next_height, GDK_INTERP_BILINEAR);
      g_object_unref (pixbuf);
      pixbuf = smaller;
    }

  out_width = gdk_pixbuf_get_width (pixbuf);
  out_height = gdk_pixbuf_get_height (pixbuf);
  scaled = out_width != width || out_height != height;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  stem = stem_of (path);
  out_path = write_new_file (work_dir, stem, to_png ? "png" : "jpg", (const guchar *) buffer, len, error);
  if (out_path == NULL)
    return NULL;

  g_debug ("Prepared %s: %d × %d, %" G_GSIZE_FORMAT " bytes", out_path, out_width, out_height, len);

  return image_info_new (out_path, to_png ? "image/png" : "image/jpeg", out_width, out_height, (goffset) len,
                         make_note (facts.kind, to_png,
                                    !((facts.kind == KIND_PNG && to_png) || (facts.kind == KIND_JPEG && !to_png)),
                                    scaled, width, height, out_width, out_height));
}

typedef struct {
  char   *path;
  char   *work_dir;
  GBytes *bytes;
  char   *mime_type;
} PrepareData;

static void
prepare_data_free (gpointer data)
{
  PrepareData *prepare = data;

  g_free (prepare->path);
  g_free (prepare->work_dir);
  g_clear_pointer (&prepare->bytes, g_bytes_unref);
  g_free (prepare->mime_type);
  g_free (prepare);
}

static void
prepare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PrepareData *prepare = task_data;
  GError *error = NULL;
  KinemaImageInfo *info;

  info = prepare_file (prepare->path, prepare->work_dir, cancellable, &error);
  if (info == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, info, (GDestroyNotify) kinema_image_info_free);
}

/**
 * kinema_image_prepare_async:
 * @path: an image file
 * @work_dir: (nullable): where converted copies go; %NULL for $XDG_CACHE_HOME/kinema/images
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * In a worker thread: a JPG or PNG that passes kinema_image_check() is returned as it
 * is; other formats are converted (JPEG, or PNG when the image has transparency), and
 * images over 10 MB or larger than 3840 px are scaled down, with a note saying so.
 * Images too small or too long and narrow fail with %KINEMA_ERROR_INVALID_INPUT.
 */
void
kinema_image_prepare_async (const char          *path,
                            const char          *work_dir,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PrepareData *prepare;

  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kinema_image_prepare_async);

  prepare = g_new0 (PrepareData, 1);
  prepare->path = g_strdup (path);
  prepare->work_dir = work_dir ? g_strdup (work_dir) : default_work_dir ();
  g_task_set_task_data (task, prepare, prepare_data_free);

  g_task_run_in_thread (task, prepare_thread);
}

/**
 * kinema_image_prepare_finish:
 * @result: the #GAsyncResult
 * @error: return location for an error
 *
 * Returns: (transfer full): the file to send, or %NULL with @error set
 */
KinemaImageInfo *
kinema_image_prepare_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kinema_image_prepare_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static const char *
extension_for_mime_type (const char *mime_type)
{
  static const struct {
    const char *mime_type;
    const char *extension;
  } table[] = {
    { "image/jpeg", "jpg" },
    { "image/jpg", "jpg" },
    { "image/pjpeg", "jpg" },
    { "image/png", "png" },
    { "image/webp", "webp" },
    { "image/gif", "gif" },
    { "image/bmp", "bmp" },
    { "image/x-bmp", "bmp" },
    { "image/tiff", "tif" },
    { "image/heic", "heic" },
    { "image/heif", "heic" },
    { "image/avif", "avif" },
  };

  if (mime_type != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (table); i++)
      if (g_ascii_strcasecmp (mime_type, table[i].mime_type) == 0)
        return table[i].extension;

  return "img";
}

static void
prepare_bytes_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  PrepareData *prepare = task_data;
  g_autofree char *pasted = NULL;
  GError *error = NULL;
  KinemaImageInfo *info;
  gsize len;
  const guchar *data = g_bytes_get_data (prepare->bytes, &len);

  if (len == 0)
    {
      g_task_return_error (task, not_an_image_error ());
      return;
    }

  if (len > MAX_INPUT_BYTES)
    {
      g_autofree char *text = format_megabytes ((goffset) len);

      g_task_return_error (task, invalid_input (g_strdup_printf (_("The image is %s, too large to convert. "
                                                                   "Use a photo under 10 MB."),
                                                                 text)));
      return;
    }

  pasted = write_new_file (prepare->work_dir, "pasted", extension_for_mime_type (prepare->mime_type),
                           data, len, &error);
  if (pasted == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  info = prepare_file (pasted, prepare->work_dir, cancellable, &error);

  /* keep the pasted file only when it is the one to send */
  if (info == NULL || g_strcmp0 (info->path, pasted) != 0)
    g_unlink (pasted);

  if (info == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, info, (GDestroyNotify) kinema_image_info_free);
}

/**
 * kinema_image_prepare_bytes_async:
 * @bytes: the image data
 * @mime_type: (nullable): the type announced by the source (a hint; the content decides)
 * @work_dir: (nullable): where the files go; %NULL for $XDG_CACHE_HOME/kinema/images
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Like kinema_image_prepare_async() for image data pasted or dropped from a browser.
 */
void
kinema_image_prepare_bytes_async (GBytes              *bytes,
                                  const char          *mime_type,
                                  const char          *work_dir,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PrepareData *prepare;

  g_return_if_fail (bytes != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kinema_image_prepare_bytes_async);

  prepare = g_new0 (PrepareData, 1);
  prepare->bytes = g_bytes_ref (bytes);
  prepare->mime_type = g_strdup (mime_type);
  prepare->work_dir = work_dir ? g_strdup (work_dir) : default_work_dir ();
  g_task_set_task_data (task, prepare, prepare_data_free);

  g_task_run_in_thread (task, prepare_bytes_thread);
}

KinemaImageInfo *
kinema_image_prepare_bytes_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kinema_image_prepare_bytes_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
