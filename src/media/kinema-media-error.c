/* kinema-media-error.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-media"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gio/gio.h>
#include <gst/pbutils/pbutils.h>

#include <string.h>

#include "kinema-error.h"
#include "kinema-media-error.h"

/* Which Debian 12 package ships the element for a media type. The list covers the
 * formats a video file plausibly carries; anything else gets the generic advice. */
static const struct
{
  const char *media_type;
  const char *package;
} packages[] = {
  { "video/x-h264", "gstreamer1.0-libav" },
  { "video/x-h265", "gstreamer1.0-libav" },
  { "video/mpeg", "gstreamer1.0-libav" },
  { "video/x-divx", "gstreamer1.0-libav" },
  { "video/x-xvid", "gstreamer1.0-libav" },
  { "video/x-msmpeg", "gstreamer1.0-libav" },
  { "video/x-wmv", "gstreamer1.0-libav" },
  { "video/x-prores", "gstreamer1.0-libav" },
  { "video/x-dnxhd", "gstreamer1.0-libav" },
  { "video/x-flash-video", "gstreamer1.0-libav" },
  { "audio/x-aac", "gstreamer1.0-libav" },
  { "audio/x-ac3", "gstreamer1.0-libav" },
  { "audio/x-eac3", "gstreamer1.0-libav" },
  { "audio/x-wma", "gstreamer1.0-libav" },
  { "audio/x-alac", "gstreamer1.0-libav" },
  { "video/x-vp8", "gstreamer1.0-plugins-good" },
  { "video/x-vp9", "gstreamer1.0-plugins-good" },
  { "image/jpeg", "gstreamer1.0-plugins-good" },
  { "image/png", "gstreamer1.0-plugins-good" },
  { "video/quicktime", "gstreamer1.0-plugins-good" },
  { "video/x-matroska", "gstreamer1.0-plugins-good" },
  { "video/webm", "gstreamer1.0-plugins-good" },
  { "video/x-msvideo", "gstreamer1.0-plugins-good" },
  { "video/x-flv", "gstreamer1.0-plugins-good" },
  { "audio/x-flac", "gstreamer1.0-plugins-good" },
  { "video/x-theora", "gstreamer1.0-plugins-base" },
  { "audio/x-vorbis", "gstreamer1.0-plugins-base" },
  { "audio/x-opus", "gstreamer1.0-plugins-base" },
  { "application/ogg", "gstreamer1.0-plugins-base" },
  { "video/x-av1", "gstreamer1.0-plugins-bad" },
  { "video/mpegts", "gstreamer1.0-plugins-bad" },
};

static const struct
{
  const char *element;
  const char *package;
} element_packages[] = {
  { "x264enc", "gstreamer1.0-plugins-ugly" },
  { "openh264enc", "gstreamer1.0-plugins-bad" },
  { "openh264dec", "gstreamer1.0-plugins-bad" },
  { "avdec_h264", "gstreamer1.0-libav" },
  { "qtdemux", "gstreamer1.0-plugins-good" },
  { "mp4mux", "gstreamer1.0-plugins-good" },
  { "glsinkbin", "gstreamer1.0-gl" },
};

static const char *
package_for_caps (const char *caps_string)
{
  g_autoptr(GstCaps) caps = NULL;
  GstStructure *s;
  const char   *name;
  int           mpegversion = 0;

  caps = gst_caps_from_string (caps_string);
  if (caps == NULL || gst_caps_is_empty (caps) || gst_caps_is_any (caps))
    return NULL;
  s = gst_caps_get_structure (caps, 0);
  name = gst_structure_get_name (s);

  /* MPEG-1 layer 3 audio is mpg123 (good); MPEG-2/4 audio is AAC (libav). */
  if (g_str_equal (name, "audio/mpeg"))
    {
      gst_structure_get_int (s, "mpegversion", &mpegversion);
      return mpegversion == 1 ? "gstreamer1.0-plugins-good" : "gstreamer1.0-libav";
    }
  for (guint i = 0; i < G_N_ELEMENTS (packages); i++)
    if (g_str_equal (name, packages[i].media_type))
      return packages[i].package;
  return NULL;
}

/**
 * kinema_media_package_for_detail:
 * @installer_detail: a missing-plugin installer detail, or a caps string
 *
 * Returns: (nullable): the Debian package name, or %NULL when unknown.
 */
const char *
kinema_media_package_for_detail (const char *installer_detail)
{
  const char *what;

  g_return_val_if_fail (installer_detail != NULL, NULL);

  /* "gstreamer|1.0|app|description|decoder-CAPS": the fifth field names what is missing. */
  what = installer_detail;
  if (g_str_has_prefix (installer_detail, "gstreamer|"))
    {
      for (int bars = 0; bars < 4; bars++)
        {
          what = strchr (what, '|');
          if (what == NULL)
            return NULL;
          what++;
        }
    }

  if (g_str_has_prefix (what, "decoder-"))
    return package_for_caps (what + strlen ("decoder-"));
  if (g_str_has_prefix (what, "encoder-"))
    return package_for_caps (what + strlen ("encoder-"));
  if (g_str_has_prefix (what, "element-"))
    {
      const char *element = what + strlen ("element-");

      for (guint i = 0; i < G_N_ELEMENTS (element_packages); i++)
        if (g_str_equal (element, element_packages[i].element))
          return element_packages[i].package;
      return NULL;
    }
  if (g_str_has_prefix (what, "urisource-") || g_str_has_prefix (what, "urisink-"))
    return NULL;
  return package_for_caps (what);
}

gboolean
kinema_media_parse_missing_plugin (GstMessage *message,
                                   char      **description,
                                   char      **package)
{
  g_autofree char *detail = NULL;
  const char      *found;

  g_return_val_if_fail (GST_IS_MESSAGE (message), FALSE);

  if (!gst_is_missing_plugin_message (message))
    return FALSE;

  detail = gst_missing_plugin_message_get_installer_detail (message);
  found = detail != NULL ? kinema_media_package_for_detail (detail) : NULL;
  if (description != NULL)
    *description = gst_missing_plugin_message_get_description (message);
  if (package != NULL)
    *package = g_strdup (found);
  return TRUE;
}

static GError *
media_error (const char *message,
             const char *technical)
{
  GError *error = kinema_error_new (KINEMA_ERROR_MEDIA, 0, NULL, technical, NULL);

  g_free (error->message);
  error->message = g_strdup (message);
  return error;
}

GError *
kinema_media_error_missing_decoder (const char *description,
                                    const char *package)
{
  g_autofree char *message = NULL;

  if (description == NULL)
    description = _("an unknown format");
  if (package != NULL)
    /* Translators: %s is a format ("H.264 (High Profile) decoder"), then a Debian package name. */
    message = g_strdup_printf (_("This video needs a decoder that is not installed (%s). "
                                 "Install the package “%s” and open the video again."),
                                  description, package);
  else
    message = g_strdup_printf (_("This video needs a decoder that is not installed (%s). "
                                 "Install the GStreamer plugins for it (for example gstreamer1.0-libav "
                                 "and gstreamer1.0-plugins-bad) and open the video again."),
                                  description);
  return media_error (message, description);
}

GError *
kinema_media_error_not_video (void)
{
  return media_error (_("This file is not a video Kinema can play."), NULL);
}

GError *
kinema_media_error_damaged (const char *technical)
{
  return media_error (_("This video file is damaged or incomplete. It may not have finished downloading."),
                         technical);
}

GError *
kinema_media_error_check_uri (const char *uri)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;

  if (uri == NULL || !g_str_has_prefix (uri, "file:"))
    return NULL;
  file = g_file_new_for_uri (uri);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, NULL, &local_error);
  if (info == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return media_error (_("The video file is missing. It may have been moved or deleted."),
                               local_error->message);
      return media_error (_("The video file cannot be read."), local_error->message);
    }
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    return kinema_media_error_not_video ();
  if (g_file_info_get_size (info) == 0)
    return media_error (_("This video file is empty. It may not have finished downloading."), NULL);
  return NULL;
}

GError *
kinema_media_error_from_gst (const GError *gst_error,
                             const char   *debug)
{
  g_autofree char *technical = NULL;

  g_return_val_if_fail (gst_error != NULL, NULL);

  technical = debug != NULL ? g_strdup_printf ("%s (%s)", gst_error->message, debug)
                            : g_strdup (gst_error->message);

  if (gst_error->domain == GST_STREAM_ERROR)
    {
      switch (gst_error->code)
        {
        case GST_STREAM_ERROR_TYPE_NOT_FOUND:
        case GST_STREAM_ERROR_WRONG_TYPE:
          return media_error (_("This file is not a video Kinema can play."), technical);
        case GST_STREAM_ERROR_CODEC_NOT_FOUND:
          return kinema_media_error_missing_decoder (NULL, NULL);
        case GST_STREAM_ERROR_DEMUX:
        case GST_STREAM_ERROR_DECODE:
        case GST_STREAM_ERROR_FORMAT:
        case GST_STREAM_ERROR_FAILED:
        default:
          return kinema_media_error_damaged (technical);
        }
    }
  if (gst_error->domain == GST_CORE_ERROR && gst_error->code == GST_CORE_ERROR_MISSING_PLUGIN)
    return kinema_media_error_missing_decoder (NULL, NULL);
  if (gst_error->domain == GST_RESOURCE_ERROR)
    {
      switch (gst_error->code)
        {
        case GST_RESOURCE_ERROR_NOT_FOUND:
          return media_error (_("The video file is missing. It may have been moved or deleted."),
                                 technical);
        case GST_RESOURCE_ERROR_OPEN_READ:
        case GST_RESOURCE_ERROR_READ:
        case GST_RESOURCE_ERROR_OPEN_READ_WRITE:
          return media_error (_("The video file cannot be read."), technical);
        default:
          break;
        }
    }
  return media_error (_("This video cannot be played."), technical);
}
