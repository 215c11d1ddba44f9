/* kinema-gif-writer.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each frame gets its own (local) palette from libimagequant, which keeps colours right
 * across cuts between shots at the price of 768 bytes a frame. Delays are GIF's
 * hundredths of a second, rounded from the frames' times (not from their durations),
 * so that rounding errors do not add up over a long animation.
 */

#define G_LOG_DOMAIN "kinema-gif-writer"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include <string.h>
#include <unistd.h>

#include <gif_lib.h>
#include <libimagequant.h>

#include "kinema-error.h"
#include "kinema-gif-writer.h"

/* GIF's own limit on each side. */
#define GIF_MAX_SIDE 65535

struct _KinemaGifWriter
{
  GifFileType *gif;
  liq_attr    *attr;
  guint        width;
  guint        height;
  guint8      *held; /* the frame waiting for its delay, width × height × 4 */
  gboolean     have_held;
  guint64      held_pts_ns;
  guint        n_frames;
  guint8      *indices; /* width × height palette indices */
};

static void
set_gif_error (GError    **error,
               int         code,
               const char *during)
{
  g_autofree char *technical = g_strdup_printf ("giflib: %s: %s", during, GifErrorString (code));
  GError          *local_error = kinema_error_new (KINEMA_ERROR_DISK, 0, NULL, technical, NULL);

  g_free (local_error->message);
  local_error->message = g_strdup (_("The animated GIF could not be written. The disk may be full."));
  g_propagate_error (error, local_error);
}

static guint
centiseconds (guint64 ns)
{
  return (guint) ((ns + 5 * G_TIME_SPAN_MILLISECOND * 1000) / (10 * G_TIME_SPAN_MILLISECOND * 1000));
}

KinemaGifWriter *
kinema_gif_writer_new (int      fd,
                       guint    width,
                       guint    height,
                       GError **error)
{
  g_autoptr(KinemaGifWriter) self = NULL;
  /* Loop forever: the Netscape application extension, repetitions 0. */
  static const GifByteType loop[3] = { 1, 0, 0 };
  int                      code = 0;

  if (width == 0 || height == 0 || width > GIF_MAX_SIDE || height > GIF_MAX_SIDE)
    {
      close (fd);
      g_set_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT,
                   _("An animated GIF cannot be %u × %u pixels."), width, height);
      return NULL;
    }

  self = g_new0 (KinemaGifWriter, 1);
  self->width = width;
  self->height = height;
  self->held = g_malloc ((gsize) width * height * 4);
  self->indices = g_malloc ((gsize) width * height);
  self->attr = liq_attr_create ();
  liq_set_max_colors (self->attr, 256);
  /* Fast enough for video; quality is still good at 8. */
  liq_set_speed (self->attr, 8);

  self->gif = EGifOpenFileHandle (fd, &code);
  if (self->gif == NULL)
    {
      close (fd);
      set_gif_error (error, code, "open");
      return NULL;
    }
  EGifSetGifVersion (self->gif, true);
  if (EGifPutScreenDesc (self->gif, (int) width, (int) height, 8, 0, NULL) == GIF_ERROR ||
      EGifPutExtensionLeader (self->gif, APPLICATION_EXT_FUNC_CODE) == GIF_ERROR ||
      EGifPutExtensionBlock (self->gif, 11, "NETSCAPE2.0") == GIF_ERROR ||
      EGifPutExtensionBlock (self->gif, sizeof loop, loop) == GIF_ERROR ||
      EGifPutExtensionTrailer (self->gif) == GIF_ERROR)
    {
      set_gif_error (error, self->gif->Error, "header");
      return NULL;
    }
  return g_steal_pointer (&self);
}

static gboolean
write_held (KinemaGifWriter *self,
            guint64          end_ns,
            GError         **error)
{
  GraphicsControlBlock gcb = { 0 };
  GifByteType          extension[4];
  GifColorType         colours[256] = { { 0 } };
  ColorMapObject      *map;
  const liq_palette   *palette;
  liq_image           *image;
  liq_result          *result = NULL;
  guint                delay;
  int                  ok;

  image = liq_image_create_rgba (self->attr, self->held, (int) self->width, (int) self->height, 0);
  if (image == NULL || liq_image_quantize (image, self->attr, &result) != LIQ_OK)
    {
      if (image != NULL)
        liq_image_destroy (image);
      g_set_error (error, KINEMA_ERROR, KINEMA_ERROR_MEDIA,
                   _("A frame could not be turned into GIF colours."));
      return FALSE;
    }
  liq_set_dithering_level (result, 0.5);
  liq_write_remapped_image (result, image, self->indices, (size_t) self->width * self->height);
  palette = liq_get_palette (result);
  for (guint i = 0; i < palette->count && i < 256; i++)
    {
      colours[i].Red = palette->entries[i].r;
      colours[i].Green = palette->entries[i].g;
      colours[i].Blue = palette->entries[i].b;
    }
  liq_result_destroy (result);
  liq_image_destroy (image);

  delay = centiseconds (end_ns) - centiseconds (self->held_pts_ns);
  gcb.DisposalMode = DISPOSE_DO_NOT;
  gcb.UserInputFlag = false;
  gcb.DelayTime = (int) MAX (delay, 1);
  gcb.TransparentColor = NO_TRANSPARENT_COLOR;
  EGifGCBToExtension (&gcb, extension);

  map = GifMakeMapObject (256, colours);
  ok = EGifPutExtension (self->gif, GRAPHICS_EXT_FUNC_CODE, sizeof extension, extension) != GIF_ERROR &&
       EGifPutImageDesc (self->gif, 0, 0, (int) self->width, (int) self->height, false, map) != GIF_ERROR &&
       EGifPutLine (self->gif, self->indices, (int) (self->width * self->height)) != GIF_ERROR;
  GifFreeMapObject (map);
  if (!ok)
    {
      set_gif_error (error, self->gif->Error, "frame");
      return FALSE;
    }
  self->n_frames++;
  self->have_held = FALSE;
  return TRUE;
}

gboolean
kinema_gif_writer_add_frame (KinemaGifWriter *self,
                             const guint8    *rgba,
                             gsize            stride,
                             guint64          pts_ns,
                             GError         **error)
{
  g_return_val_if_fail (self != NULL && self->gif != NULL, FALSE);
  g_return_val_if_fail (stride >= (gsize) self->width * 4, FALSE);

  if (self->have_held && !write_held (self, pts_ns, error))
    return FALSE;
  for (guint y = 0; y < self->height; y++)
    memcpy (self->held + (gsize) y * self->width * 4, rgba + y * stride, (gsize) self->width * 4);
  self->held_pts_ns = pts_ns;
  self->have_held = TRUE;
  return TRUE;
}

gboolean
kinema_gif_writer_finish (KinemaGifWriter *self,
                          guint64          end_ns,
                          GError         **error)
{
  GifFileType *gif;
  int          code = 0;

  g_return_val_if_fail (self != NULL && self->gif != NULL, FALSE);

  if (self->have_held && !write_held (self, MAX (end_ns, self->held_pts_ns), error))
    return FALSE;
  gif = g_steal_pointer (&self->gif);
  if (EGifCloseFile (gif, &code) == GIF_ERROR)
    {
      set_gif_error (error, code, "close");
      return FALSE;
    }
  return TRUE;
}

guint
kinema_gif_writer_get_n_frames (KinemaGifWriter *self)
{
  return self->n_frames;
}

void
kinema_gif_writer_free (KinemaGifWriter *self)
{
  if (self == NULL)
    return;
  if (self->gif != NULL)
    EGifCloseFile (self->gif, NULL);
  if (self->attr != NULL)
    liq_attr_destroy (self->attr);
  g_free (self->held);
  g_free (self->indices);
  g_free (self);
}
