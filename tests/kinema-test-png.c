/* kinema-test-png.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <zlib.h>

#include "kinema-test-png.h"

static void
put_chunk (GByteArray   *png,
           const char   *type,
           const guint8 *data,
           gsize         len)
{
  guint32 be = GUINT32_TO_BE ((guint32) len);
  uLong   crc = crc32 (0, (const Bytef *) type, 4);

  crc = crc32 (crc, data, (uInt) len);
  g_byte_array_append (png, (const guint8 *) &be, 4);
  g_byte_array_append (png, (const guint8 *) type, 4);
  g_byte_array_append (png, data, (guint) len);
  be = GUINT32_TO_BE ((guint32) crc);
  g_byte_array_append (png, (const guint8 *) &be, 4);
}

/**
 * kinema_test_write_huge_png:
 * @path: where to write
 * @side: width and height
 *
 * A real, valid black PNG of @side × @side, one bit per pixel: ~100 KB on disk for
 * 30000 × 30000, and 2.7 GB once gdk-pixbuf decodes it to RGB (issue 15, point 3).
 * zlib compresses the rows and checksums the chunks.
 */
void
kinema_test_write_huge_png (const char *path,
                            guint32     side)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  g_autoptr(GByteArray) png = g_byte_array_new ();
  g_autoptr(GByteArray) idat = g_byte_array_new ();
  g_autofree guint8 *row = g_malloc0 (1 + (side + 7) / 8);
  guint8             out[64 * 1024];
  guint8             ihdr[13] = { 0 };
  guint32            be = GUINT32_TO_BE (side);
  z_stream           z;

  memset (&z, 0, sizeof z);
  memcpy (ihdr, &be, 4);
  memcpy (ihdr + 4, &be, 4);
  ihdr[8] = 1; /* bit depth */
  ihdr[9] = 0; /* greyscale */

  g_assert_cmpint (deflateInit (&z, Z_BEST_COMPRESSION), ==, Z_OK);
  for (guint32 y = 0; y <= side; y++)
    {
      int flush = y == side ? Z_FINISH : Z_NO_FLUSH;

      z.next_in = row;
      z.avail_in = y == side ? 0 : 1 + (side + 7) / 8;
      do
        {
          z.next_out = out;
          z.avail_out = sizeof out;
          deflate (&z, flush);
          g_byte_array_append (idat, out, sizeof out - z.avail_out);
        }
      while (z.avail_out == 0);
    }
  deflateEnd (&z);

  g_byte_array_append (png, signature, sizeof signature);
  put_chunk (png, "IHDR", ihdr, sizeof ihdr);
  put_chunk (png, "IDAT", idat->data, idat->len);
  put_chunk (png, "IEND", NULL, 0);
  g_assert_true (g_file_set_contents (path, (const char *) png->data, png->len, NULL));
}
