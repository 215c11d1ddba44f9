/* fuzz-image.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer entry point for the image check that runs on every dropped, pasted or
 * --image file before anything is decoded (issue 15, point 3). The seeds are small
 * headers that claim huge sizes (tests/fuzz/corpus-image); run with a low
 * -malloc_limit_mb so that any attempt to allocate what a header claims is a crash.
 */

#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "kinema-error.h"
#include "kinema-image.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static char *path;

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  KinemaImageInfo *info = NULL;
  GError          *error = NULL;
  FILE            *file;

  if (path == NULL)
    {
      int fd = g_file_open_tmp ("kinema-fuzz-image-XXXXXX", &path, NULL);

      g_assert (fd >= 0);
      close (fd);
    }

  file = fopen (path, "wb");
  g_assert (file != NULL);
  g_assert (size == 0 || fwrite (data, 1, size, file) == size);
  fclose (file);

  if (kinema_image_check (path, &info, &error))
    {
      g_assert (info != NULL);
      g_assert (kinema_image_dimensions_ok ((int) info->width, (int) info->height, info->mime_type, NULL));
      kinema_image_info_free (info);
    }
  else
    {
      g_assert (error != NULL && error->domain == KINEMA_ERROR);
      g_error_free (error);
    }
  return 0;
}
