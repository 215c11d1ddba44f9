/* kinema-clip-renderer.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How a clip is made: every frame is drawn with cairo (and pango for text) straight
 * into a GstBuffer that appsrc hands on, from appsrc's own streaming thread when it
 * asks for data. A queue then moves the frames to a second thread for videoconvert
 * and the encoder, so drawing and encoding overlap on two cores.
 *
 * Drawing the frames ourselves, rather than chaining videobox, videoscale, compositor
 * and textoverlay, keeps the motion exact (sub-pixel, eased, with rotation and a
 * cross-fade that ends precisely on the end image), needs no plugins beyond the
 * encoder and muxer, and lets the tests predict every frame.
 *
 * Camera moves follow Kling's signs: horizontal and pan positive move the camera to
 * the right (the picture slides left), vertical and tilt positive move it up (the
 * picture slides down), roll positive turns it clockwise (the picture turns
 * counter-clockwise), zoom negative narrows the field of view (zoom in) and positive
 * widens it (zoom out). Pan and tilt add a slight push-in to the slide.
 */

#define G_LOG_DOMAIN "kinema-clip-renderer"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include <math.h>
#include <string.h>

#include <cairo.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <pango/pangocairo.h>

#include "kinema-clip-renderer.h"
#include "kinema-error.h"
#include "kinema-image.h"

/* The cross-fade to the end image takes the last 40% of the clip. */
#define FADE_START 0.6
/* The longest a render may take before it is given up. */
#define RENDER_TIMEOUT_S 600

typedef enum {
  ENCODER_X264,
  ENCODER_OPENH264,
  ENCODER_VP8,
  ENCODER_NONE,
} Encoder;

typedef struct {
  double zoom;   /* 1.0: the image just covers the frame */
  double dx;     /* picture displacement, fraction of the frame width (positive: right) */
  double dy;     /* fraction of the frame height (positive: down) */
  double angle;  /* radians, positive: clockwise on screen */
} Pose;

typedef struct {
  /* The spec, copied */
  char             *start_image;
  char             *end_image;
  char             *title;
  KinemaCameraType  camera;
  KinemaCameraAxis  camera_axis;
  double            camera_value;
  guint             duration_s;
  guint             duration_ms;
  char             *aspect_ratio;
  guint             fps;
  guint             height;
  gboolean          demo_mark;
  char             *output_path;

  /* Set up by the render */
  guint             width;
  guint             n_frames;
  guint             next_frame;
  gboolean          eos_sent;
  cairo_surface_t  *start;
  cairo_surface_t  *end;
  PangoFontMap     *font_map;
  PangoLayout      *title_layout;
  PangoLayout      *badge_layout;
  double            palette[3][3];
} Render;

static void
render_free (Render *r)
{
  g_free (r->start_image);
  g_free (r->end_image);
  g_free (r->title);
  g_free (r->aspect_ratio);
  g_free (r->output_path);
  g_clear_pointer (&r->start, cairo_surface_destroy);
  g_clear_pointer (&r->end, cairo_surface_destroy);
  g_clear_object (&r->title_layout);
  g_clear_object (&r->badge_layout);
  g_clear_object (&r->font_map);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Render, render_free)

static Render *
render_new (const KinemaClipSpec *spec,
            const char           *output_path)
{
  Render *r = g_new0 (Render, 1);

  r->start_image = g_strdup (spec->start_image);
  r->end_image = g_strdup (spec->end_image);
  r->title = g_strdup (spec->title);
  r->camera = spec->camera;
  r->camera_axis = spec->camera_axis;
  r->camera_value = spec->camera_value;
  r->duration_ms = spec->duration_ms;
  r->duration_s = spec->duration_ms > 0 ? MAX ((spec->duration_ms + 999) / 1000, 1) : MAX (spec->duration_s, 1);
  r->aspect_ratio = g_strdup (spec->aspect_ratio);
  r->fps = spec->fps > 0 ? spec->fps : 24;
  r->height = spec->height > 0 ? spec->height : 720;
  r->demo_mark = spec->demo_mark;
  r->output_path = g_strdup (output_path);

  return r;
}

/* Encoders */

static gboolean
have_element (const char *name)
{
  g_autoptr(GstElementFactory) factory = gst_element_factory_find (name);

  return factory != NULL;
}

static Encoder
pick_encoder (void)
{
  const char *forced = g_getenv ("KINEMA_CLIP_ENCODER");
  gboolean mp4 = have_element ("mp4mux") && have_element ("h264parse");
  gboolean webm = have_element ("vp8enc") && have_element ("webmmux");

  if (forced != NULL && *forced != '\0')
    {
      if (g_str_equal (forced, "x264") && mp4 && have_element ("x264enc"))
        return ENCODER_X264;
      if (g_str_equal (forced, "openh264") && mp4 && have_element ("openh264enc"))
        return ENCODER_OPENH264;
      if (g_str_equal (forced, "vp8") && webm)
        return ENCODER_VP8;
      g_debug ("KINEMA_CLIP_ENCODER=%s is not available, choosing one", forced);
    }

  if (mp4 && have_element ("x264enc"))
    return ENCODER_X264;
  if (mp4 && have_element ("openh264enc"))
    return ENCODER_OPENH264;
  if (webm)
    return ENCODER_VP8;
  return ENCODER_NONE;
}

/**
 * kinema_clip_renderer_get_extension:
 *
 * The container of the clips this machine renders: "mp4" with x264enc or
 * openh264enc, "webm" with only vp8enc. The environment variable
 * `KINEMA_CLIP_ENCODER` (`x264`, `openh264` or `vp8`) picks one of the installed
 * encoders, for tests.
 *
 * Returns: (transfer none): "mp4" or "webm"
 */
const char *
kinema_clip_renderer_get_extension (void)
{
  if (!gst_init_check (NULL, NULL, NULL))
    return "mp4";

  return pick_encoder () == ENCODER_VP8 ? "webm" : "mp4";
}

static char *
encoder_description (Encoder encoder,
                     guint   fps)
{
  switch (encoder)
    {
    case ENCODER_X264:
      /* Constant quality; no B-frames keep the timestamps simple for every player. */
      return g_strdup_printf ("x264enc speed-preset=veryfast pass=qual quantizer=21 bframes=0 "
                              "key-int-max=%u "
                              "! video/x-h264,profile=main,stream-format=avc "
                              "! h264parse ! mp4mux faststart=true", fps * 2);
    case ENCODER_OPENH264:
      return g_strdup_printf ("openh264enc bitrate=4000000 complexity=low gop-size=%u "
                              "! h264parse ! mp4mux faststart=true", fps * 2);
    case ENCODER_VP8:
      return g_strdup_printf ("vp8enc deadline=1 cpu-used=8 end-usage=cq cq-level=12 "
                              "target-bitrate=4000000 keyframe-max-dist=%u threads=2 "
                              "! webmmux", fps * 2);
    case ENCODER_NONE:
    default:
      return NULL;
    }
}

/* Geometry */

static gboolean
parse_aspect (const char *text,
              double     *out_ratio)
{
  g_auto(GStrv) parts = NULL;
  guint64 a, b;

  if (text == NULL)
    return FALSE;
  parts = g_strsplit (text, ":", 2);
  if (g_strv_length (parts) != 2 ||
      !g_ascii_string_to_unsigned (parts[0], 10, 1, 100, &a, NULL) ||
      !g_ascii_string_to_unsigned (parts[1], 10, 1, 100, &b, NULL))
    return FALSE;
  *out_ratio = (double) a / (double) b;
  return TRUE;
}

/* Frame size: the short side as asked (even), the long one from the aspect ratio, else
 * from @image_ratio (the start image's own shape, kept within Kling's 1:2.5..2.5:1),
 * else 16:9. */
static gboolean
compute_frame_size (Render  *r,
                    double   image_ratio,
                    GError **error)
{
  double ratio = image_ratio > 0 ? image_ratio : 16.0 / 9.0;
  guint short_side = MAX (r->height & ~1u, 16);
  guint long_side;

  if (r->aspect_ratio != NULL && !parse_aspect (r->aspect_ratio, &ratio))
    {
      g_set_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT,
                   _("“%s” is not an aspect ratio."), r->aspect_ratio);
      return FALSE;
    }

  ratio = CLAMP (ratio, 1 / 2.5, 2.5);
  long_side = (guint) (short_side * MAX (ratio, 1 / ratio) + 0.5) & ~1u;
  r->width = ratio >= 1 ? long_side : short_side;
  r->height = ratio >= 1 ? short_side : long_side;
  return TRUE;
}

/* Motion */

static double
ease (double p)
{
  p = CLAMP (p, 0.0, 1.0);
  return 0.5 - 0.5 * cos (G_PI * p);
}

static double
lerp (double a,
      double b,
      double t)
{
  return a + (b - a) * t;
}

/* Zoom changes at a steady rate to the eye: interpolate its logarithm. */
static double
lerp_zoom (double a,
           double b,
           double t)
{
  return exp (lerp (log (a), log (b), t));
}

static void
camera_endpoints (const Render *r,
                  Pose         *from,
                  Pose         *to)
{
  double v = CLAMP (r->camera_value, -10.0, 10.0);
  double m = fabs (v) / 10.0;
  double s = v < 0 ? -1.0 : 1.0;
  double travel;

  *from = (Pose) { 1.0, 0.0, 0.0, 0.0 };
  *to = (Pose) { 1.12, 0.0, 0.0, 0.0 };

  switch (r->camera)
    {
    case KINEMA_CAMERA_SIMPLE:
      if (v == 0.0)
        break;
      travel = 0.04 + 0.12 * m;
      switch (r->camera_axis)
        {
        case KINEMA_CAMERA_AXIS_HORIZONTAL:
          *from = (Pose) { 1.0 + travel + 0.01, s * travel / 2, 0.0, 0.0 };
          *to = (Pose) { from->zoom, -s * travel / 2, 0.0, 0.0 };
          break;
        case KINEMA_CAMERA_AXIS_PAN:
          *from = (Pose) { 1.0 + travel + 0.01, s * travel / 2, 0.0, 0.0 };
          *to = (Pose) { from->zoom * 1.04, -s * travel / 2, 0.0, 0.0 };
          break;
        case KINEMA_CAMERA_AXIS_VERTICAL:
          *from = (Pose) { 1.0 + travel + 0.01, 0.0, -s * travel / 2, 0.0 };
          *to = (Pose) { from->zoom, 0.0, s * travel / 2, 0.0 };
          break;
        case KINEMA_CAMERA_AXIS_TILT:
          *from = (Pose) { 1.0 + travel + 0.01, 0.0, -s * travel / 2, 0.0 };
          *to = (Pose) { from->zoom * 1.04, 0.0, s * travel / 2, 0.0 };
          break;
        case KINEMA_CAMERA_AXIS_ROLL:
          /* The zoom that keeps the corners covered is added per frame. */
          *from = (Pose) { 1.0, 0.0, 0.0, 0.0 };
          *to = (Pose) { 1.03, 0.0, 0.0, -s * (1.5 + 4.5 * m) * G_PI / 180.0 };
          break;
        case KINEMA_CAMERA_AXIS_ZOOM:
        default:
          {
            double zoom = 1.08 + 0.32 * m;

            /* negative: narrower field of view, i.e. zoom in */
            *from = (Pose) { v < 0 ? 1.0 : zoom, 0.0, 0.0, 0.0 };
            *to = (Pose) { v < 0 ? zoom : 1.0, 0.0, 0.0, 0.0 };
          }
          break;
        }
      break;

    case KINEMA_CAMERA_DOWN_BACK:
      /* backing away while sinking: zoom out, the picture rises */
      *from = (Pose) { 1.35, 0.0, 0.04, 0.0 };
      *to = (Pose) { 1.08, 0.0, -0.04, 0.0 };
      break;

    case KINEMA_CAMERA_FORWARD_UP:
      /* pushing in while rising: zoom in, the picture sinks */
      *from = (Pose) { 1.08, 0.0, -0.04, 0.0 };
      *to = (Pose) { 1.35, 0.0, 0.04, 0.0 };
      break;

    case KINEMA_CAMERA_RIGHT_TURN_FORWARD:
      *from = (Pose) { 1.1, 0.05, 0.0, 0.0 };
      *to = (Pose) { 1.35, -0.05, 0.0, -1.0 * G_PI / 180.0 };
      break;

    case KINEMA_CAMERA_LEFT_TURN_FORWARD:
      *from = (Pose) { 1.1, -0.05, 0.0, 0.0 };
      *to = (Pose) { 1.35, 0.05, 0.0, 1.0 * G_PI / 180.0 };
      break;

    case KINEMA_CAMERA_NONE:
    default:
      break;
    }
}

/* The smallest zoom at which an image of iw×ih (already scaled to cover the frame at
 * zoom 1), moved and turned as @pose says, still covers every corner of the frame. */
static double
covering_zoom (const Pose *pose,
               double      fw,
               double      fh,
               double      iw,
               double      ih)
{
  double cx = fw / 2 + pose->dx * fw;
  double cy = fh / 2 + pose->dy * fh;
  double c = cos (pose->angle);
  double s = sin (pose->angle);
  double needed = 1.0;

  for (guint i = 0; i < 4; i++)
    {
      double x = (i & 1 ? fw : 0) - cx;
      double y = (i & 2 ? fh : 0) - cy;
      /* the corner in the image's own (unrotated) frame */
      double u = c * x + s * y;
      double w = -s * x + c * y;

      needed = MAX (needed, 2 * fabs (u) / iw);
      needed = MAX (needed, 2 * fabs (w) / ih);
    }
  return needed;
}

/* The pose at linear time @t (0..1) for an image of iw×ih pixels. */
static void
camera_pose (const Render *r,
             double        t,
             double        iw,
             double        ih,
             Pose         *pose)
{
  Pose from, to;
  double e = ease (t);
  double cover = MAX (r->width / iw, r->height / ih);

  camera_endpoints (r, &from, &to);
  pose->zoom = lerp_zoom (from.zoom, to.zoom, e);
  pose->dx = lerp (from.dx, to.dx, e);
  pose->dy = lerp (from.dy, to.dy, e);
  pose->angle = lerp (from.angle, to.angle, e);
  pose->zoom = MAX (pose->zoom, covering_zoom (pose, r->width, r->height, iw * cover, ih * cover));
}

/* The largest zoom the clip reaches, so the image is decoded sharp enough for it. */
static double
max_zoom (const Render *r,
          double        iw,
          double        ih)
{
  double zoom = 1.0;

  for (guint i = 0; i <= 32; i++)
    {
      Pose pose;

      camera_pose (r, i / 32.0, iw, ih, &pose);
      zoom = MAX (zoom, pose.zoom);
    }
  return zoom;
}

/* Images */

static cairo_surface_t *
surface_from_pixbuf (GdkPixbuf *pixbuf)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  int src_stride = gdk_pixbuf_get_rowstride (pixbuf);
  const guint8 *src = gdk_pixbuf_read_pixels (pixbuf);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  int dst_stride = cairo_image_surface_get_stride (surface);
  guint8 *dst = cairo_image_surface_get_data (surface);

  for (int y = 0; y < height; y++)
    {
      const guint8 *p = src + (gsize) y * src_stride;
      guint32 *q = (guint32 *) (gpointer) (dst + (gsize) y * dst_stride);

      for (int x = 0; x < width; x++, p += channels)
        {
          guint a = channels == 4 ? p[3] : 255;
          guint red = (p[0] * a + 127) / 255;
          guint green = (p[1] * a + 127) / 255;
          guint blue = (p[2] * a + 127) / 255;

          q[x] = (a << 24) | (red << 16) | (green << 8) | blue;
        }
    }
  cairo_surface_mark_dirty (surface);
  return surface;
}

typedef struct {
  int    width;   /* as stored, before the orientation tag */
  int    height;
  double frame_width;
  double frame_height;
  double zoom;    /* 0: full size */
} DecodeSize;

static void
on_size_prepared (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  DecodeSize *size = user_data;
  double scale;

  size->width = width;
  size->height = height;
  if (size->zoom <= 0 || width <= 0 || height <= 0)
    return;

  /* No larger than needed to fill the frame at the largest zoom. The orientation tag
   * is not known yet: take the larger of both readings. */
  scale = size->zoom * MAX (MAX (size->frame_width / width, size->frame_height / height),
                            MAX (size->frame_width / height, size->frame_height / width));
  if (scale < 1.0)
    gdk_pixbuf_loader_set_size (loader, MAX ((int) ceil (width * scale), 1),
                                MAX ((int) ceil (height * scale), 1));
}

/* Decodes @path; a large photo is scaled down while it is decoded (JPEG decodes at a
 * fraction of its size directly). With @zoom 0 only the header is read, for the size. */
static GdkPixbuf *
decode_image (const char  *path,
              double       frame_width,
              double       frame_height,
              double       zoom,
              int         *out_width,
              int         *out_height,
              GError     **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) local_error = NULL;
  DecodeSize size = { 0, 0, frame_width, frame_height, zoom };
  const guint8 *data;
  const char *mime_type;
  gsize length, offset = 0;
  GdkPixbuf *pixbuf = NULL;

  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    {
      g_set_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT,
                   _("The image “%s” could not be opened: %s"), path, local_error->message);
      return NULL;
    }
  data = (const guint8 *) g_mapped_file_get_contents (mapped);
  length = g_mapped_file_get_length (mapped);

  /* The loader for the format the file's first bytes announce: gdk-pixbuf's own guess
   * relies on the shared MIME database, which a sandbox or a test may not have. */
  mime_type = kinema_image_sniff_mime_type (data, length);
  if (mime_type != NULL)
    loader = gdk_pixbuf_loader_new_with_mime_type (mime_type, NULL);
  if (loader == NULL)
    loader = gdk_pixbuf_loader_new ();
  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), &size);

  while (offset < length && local_error == NULL && !(zoom <= 0 && size.width > 0))
    {
      gsize chunk = MIN (length - offset, 256 * 1024);

      gdk_pixbuf_loader_write (loader, data + offset, chunk, &local_error);
      offset += chunk;
    }

  if (zoom <= 0 && size.width > 0)
    gdk_pixbuf_loader_close (loader, NULL);
  else if (local_error == NULL && gdk_pixbuf_loader_close (loader, &local_error))
    pixbuf = g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
  else
    gdk_pixbuf_loader_close (loader, NULL);

  *out_width = size.width;
  *out_height = size.height;
  if (size.width <= 0 || size.height <= 0 || (zoom > 0 && pixbuf == NULL))
    {
      g_clear_object (&pixbuf);
      g_set_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT,
                   _("“%s” is not an image Kinema can read."), path);
      return NULL;
    }
  return pixbuf;
}

static gboolean
image_size (const char  *path,
            int         *out_width,
            int         *out_height,
            GError     **error)
{
  decode_image (path, 0, 0, 0, out_width, out_height, error);
  return *out_width > 0;
}

/* The image, oriented as its EXIF tag says, no larger than needed to fill a frame of
 * fw×fh at @zoom. */
static cairo_surface_t *
load_image (const char  *path,
            double       fw,
            double       fh,
            double       zoom,
            GError     **error)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) oriented = NULL;
  int iw, ih;

  pixbuf = decode_image (path, fw, fh, MAX (zoom, 1.0), &iw, &ih, error);
  if (pixbuf == NULL)
    return NULL;

  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  return surface_from_pixbuf (oriented != NULL ? oriented : pixbuf);
}

/* Title card and badge */

static void
hsv_to_rgb (double  h,
            double  s,
            double  v,
            double *rgb)
{
  double c = v * s;
  double x;
  double m = v - c;
  double red = 0, green = 0, blue = 0;

  h = fmod (h, 360.0);
  if (h < 0)
    h += 360.0;
  x = c * (1 - fabs (fmod (h / 60.0, 2) - 1));

  if (h < 60)
    red = c, green = x;
  else if (h < 120)
    red = x, green = c;
  else if (h < 180)
    green = c, blue = x;
  else if (h < 240)
    green = x, blue = c;
  else if (h < 300)
    red = x, blue = c;
  else
    red = c, blue = x;

  rgb[0] = red + m;
  rgb[1] = green + m;
  rgb[2] = blue + m;
}

static PangoLayout *
new_layout (PangoFontMap *font_map,
            const char   *text,
            double        px)
{
  PangoContext *context = pango_font_map_create_context (font_map);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("Sans Bold");
  cairo_font_options_t *options = cairo_font_options_create ();
  PangoLayout *layout;

  /* The text moves by fractions of a pixel: no hinting, grey antialiasing. */
  cairo_font_options_set_antialias (options, CAIRO_ANTIALIAS_GRAY);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (context, options);
  cairo_font_options_destroy (options);

  layout = pango_layout_new (context);
  g_object_unref (context);
  pango_font_description_set_absolute_size (font, px * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static void
setup_text (Render *r)
{
  double short_side = MIN (r->width, r->height);

  r->font_map = pango_cairo_font_map_new ();

  if (r->demo_mark)
    {
      g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();

      r->badge_layout = new_layout (r->font_map, _("DEMO"), MAX (short_side / 40.0, 8.0));
      pango_attr_list_insert (attrs, pango_attr_letter_spacing_new ((int) (short_side / 320.0 * PANGO_SCALE)));
      pango_layout_set_attributes (r->badge_layout, attrs);
    }

  if (r->start_image == NULL)
    {
      g_autofree char *text = g_strstrip (g_strdup (r->title != NULL ? r->title : ""));
      double max_width = r->width * 0.8;
      double max_height = r->height * 0.6;
      double px = short_side / 11.0;
      guint hash = g_str_hash (text);
      double hue = hash % 360;
      int height;

      if (*text == '\0')
        {
          g_free (text);
          text = g_strdup (_("Untitled"));
        }

      /* The largest size at which the whole prompt fits; a long one is cut short. */
      for (;;)
        {
          g_clear_object (&r->title_layout);
          r->title_layout = new_layout (r->font_map, text, px);
          pango_layout_set_width (r->title_layout, (int) (max_width * PANGO_SCALE));
          pango_layout_set_wrap (r->title_layout, PANGO_WRAP_WORD_CHAR);
          pango_layout_set_alignment (r->title_layout, PANGO_ALIGN_CENTER);
          pango_layout_get_pixel_size (r->title_layout, NULL, &height);
          if (height <= max_height || px <= short_side / 30.0)
            break;
          px *= 0.9;
        }
      pango_layout_set_height (r->title_layout, (int) (max_height * PANGO_SCALE));
      pango_layout_set_ellipsize (r->title_layout, PANGO_ELLIPSIZE_END);

      hsv_to_rgb (hue, 0.6, 0.22, r->palette[0]);
      hsv_to_rgb (hue + 35, 0.6, 0.52, r->palette[1]);
      hsv_to_rgb (hue - 60, 0.5, 0.7, r->palette[2]);
    }
}

/* The moving background, drawn at a quarter of the frame size: it is made only of
 * smooth gradients, which cairo's radial gradients make slow at full size, and
 * scaling it up bilinearly looks the same. */
static void
draw_background (const Render *r,
                 cairo_t      *cr,
                 double        w,
                 double        h,
                 double        seconds)
{
  double reach = hypot (w, h) / 2;
  double angle = 0.6 + 0.35 * seconds;
  cairo_pattern_t *pattern;

  /* A diagonal gradient that turns slowly… */
  pattern = cairo_pattern_create_linear (w / 2 - reach * cos (angle), h / 2 - reach * sin (angle),
                                         w / 2 + reach * cos (angle), h / 2 + reach * sin (angle));
  cairo_pattern_add_color_stop_rgb (pattern, 0.0, r->palette[0][0], r->palette[0][1], r->palette[0][2]);
  cairo_pattern_add_color_stop_rgb (pattern, 0.55, r->palette[1][0], r->palette[1][1], r->palette[1][2]);
  cairo_pattern_add_color_stop_rgb (pattern, 1.0, r->palette[2][0], r->palette[2][1], r->palette[2][2]);
  cairo_set_source (cr, pattern);
  cairo_paint (cr);
  cairo_pattern_destroy (pattern);

  /* …two soft glows drifting across it… */
  for (guint i = 0; i < 2; i++)
    {
      const double *color = r->palette[2 - i];
      double gx = w * (0.5 + 0.38 * sin (0.55 * seconds + 1.3 + i * 2.4));
      double gy = h * (0.5 + 0.32 * cos (0.42 * seconds + i * 1.9));
      double radius = MAX (w, h) * 0.55;

      pattern = cairo_pattern_create_radial (gx, gy, 0, gx, gy, radius);
      cairo_pattern_add_color_stop_rgba (pattern, 0, color[0], color[1], color[2], 0.45);
      cairo_pattern_add_color_stop_rgba (pattern, 1, color[0], color[1], color[2], 0.0);
      cairo_set_source (cr, pattern);
      cairo_paint (cr);
      cairo_pattern_destroy (pattern);
    }

  /* …darker towards the edges, so the text stands out. */
  pattern = cairo_pattern_create_radial (w / 2, h / 2, MIN (w, h) * 0.25, w / 2, h / 2, reach);
  cairo_pattern_add_color_stop_rgba (pattern, 0, 0, 0, 0, 0.0);
  cairo_pattern_add_color_stop_rgba (pattern, 1, 0, 0, 0, 0.45);
  cairo_set_source (cr, pattern);
  cairo_paint (cr);
  cairo_pattern_destroy (pattern);
}

static void
draw_title_card (const Render *r,
                 cairo_t      *cr,
                 double        seconds)
{
  double w = r->width;
  double h = r->height;
  double fade = MIN (1.2, r->duration_s * 0.4);
  double alpha = ease (seconds / fade);
  int bw = (int) ceil (w / 4) + 1;
  int bh = (int) ceil (h / 4) + 1;
  cairo_surface_t *background;
  cairo_t *bcr;
  int text_width, text_height;
  double x, y;

  background = cairo_image_surface_create (CAIRO_FORMAT_RGB24, bw, bh);
  bcr = cairo_create (background);
  draw_background (r, bcr, w / 4, h / 4, seconds);
  cairo_destroy (bcr);

  cairo_save (cr);
  cairo_scale (cr, 4, 4);
  cairo_set_source_surface (cr, background, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_BILINEAR);
  cairo_pattern_set_extend (cairo_get_source (cr), CAIRO_EXTEND_PAD);
  cairo_paint (cr);
  cairo_restore (cr);
  cairo_surface_destroy (background);

  /* The prompt fades in while it rises a little. */
  if (alpha <= 0.0)
    return;
  pango_layout_get_pixel_size (r->title_layout, &text_width, &text_height);
  x = (w - pango_layout_get_width (r->title_layout) / (double) PANGO_SCALE) / 2;
  y = (h - text_height) / 2 + (1 - alpha) * h * 0.04;

  cairo_move_to (cr, x + MAX (h / 360.0, 1.0), y + MAX (h / 360.0, 1.0));
  cairo_set_source_rgba (cr, 0, 0, 0, 0.4 * alpha);
  pango_cairo_show_layout (cr, r->title_layout);
  cairo_move_to (cr, x, y);
  cairo_set_source_rgba (cr, 1, 1, 1, alpha);
  pango_cairo_show_layout (cr, r->title_layout);
}

static void
rounded_rectangle (cairo_t *cr,
                   double   x,
                   double   y,
                   double   width,
                   double   height,
                   double   radius)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + width - radius, y + radius, radius, -G_PI / 2, 0);
  cairo_arc (cr, x + width - radius, y + height - radius, radius, 0, G_PI / 2);
  cairo_arc (cr, x + radius, y + height - radius, radius, G_PI / 2, G_PI);
  cairo_arc (cr, x + radius, y + radius, radius, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
draw_badge (const Render *r,
            cairo_t      *cr)
{
  double short_side = MIN (r->width, r->height);
  double margin = short_side / 36.0;
  PangoRectangle ink, logical;
  double pad_x, pad_y, box_w, box_h, x, y;

  pango_layout_get_pixel_extents (r->badge_layout, &ink, &logical);
  pad_y = logical.height * 0.3;
  pad_x = logical.height * 0.55;
  box_w = logical.width + 2 * pad_x;
  box_h = logical.height + 2 * pad_y;
  x = r->width - margin - box_w;
  y = margin;

  rounded_rectangle (cr, x, y, box_w, box_h, box_h * 0.3);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.55);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.8);
  cairo_set_line_width (cr, MAX (short_side / 480.0, 1.0));
  cairo_stroke (cr);

  cairo_move_to (cr, x + pad_x, y + pad_y);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.95);
  pango_cairo_show_layout (cr, r->badge_layout);
}

/* Frames */

static void
paint_image (const Render    *r,
             cairo_t         *cr,
             cairo_surface_t *image,
             const Pose      *pose,
             double           alpha)
{
  double iw = cairo_image_surface_get_width (image);
  double ih = cairo_image_surface_get_height (image);
  double scale = MAX (r->width / iw, r->height / ih) * pose->zoom;
  cairo_pattern_t *pattern;

  cairo_save (cr);
  cairo_translate (cr, r->width / 2.0 + pose->dx * r->width, r->height / 2.0 + pose->dy * r->height);
  cairo_rotate (cr, pose->angle);
  cairo_scale (cr, scale, scale);
  cairo_translate (cr, -iw / 2, -ih / 2);
  cairo_set_source_surface (cr, image, 0, 0);
  pattern = cairo_get_source (cr);
  cairo_pattern_set_filter (pattern, CAIRO_FILTER_BILINEAR);
  /* Repeat the edge pixels, so a turned or rounded edge never lets black through. */
  cairo_pattern_set_extend (pattern, CAIRO_EXTEND_PAD);
  if (alpha >= 1.0)
    cairo_paint (cr);
  else
    cairo_paint_with_alpha (cr, alpha);
  cairo_restore (cr);
}

static void
draw_frame (const Render *r,
            cairo_t      *cr,
            guint         index)
{
  double t = r->n_frames > 1 ? (double) index / (r->n_frames - 1) : 1.0;

  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_paint (cr);

  if (r->start != NULL)
    {
      double fade = r->end != NULL ? ease ((t - FADE_START) / (1.0 - FADE_START)) : 0.0;

      if (fade < 1.0)
        {
          Pose pose;

          camera_pose (r, t, cairo_image_surface_get_width (r->start),
                       cairo_image_surface_get_height (r->start), &pose);
          paint_image (r, cr, r->start, &pose, 1.0);
        }
      if (fade > 0.0)
        {
          /* The end image settles into place as it fades in, and is the last frame. */
          Pose pose = { lerp (1.06, 1.0, fade), 0.0, 0.0, 0.0 };

          paint_image (r, cr, r->end, &pose, fade);
        }
    }
  else
    draw_title_card (r, cr, (double) index / r->fps);

  /* The last frame goes without the badge: it is the start image of a continuation and
   * the first frame of an extension, whose own clips draw the badge again. Baked into
   * that picture it would show twice, or stay put under a moving camera. */
  if (r->badge_layout != NULL && index + 1 < r->n_frames)
    draw_badge (r, cr);
}

static void
on_need_data (GstAppSrc *source,
              guint      length,
              gpointer   user_data)
{
  Render *r = user_data;
  guint index = r->next_frame;
  int stride = cairo_format_stride_for_width (CAIRO_FORMAT_RGB24, r->width);
  GstBuffer *buffer;
  GstMapInfo map;
  cairo_surface_t *surface;
  cairo_t *cr;

  if (r->eos_sent)
    return;
  if (index >= r->n_frames)
    {
      r->eos_sent = TRUE;
      gst_app_src_end_of_stream (source);
      return;
    }

  buffer = gst_buffer_new_allocate (NULL, (gsize) stride * r->height, NULL);
  gst_buffer_map (buffer, &map, GST_MAP_WRITE);
  surface = cairo_image_surface_create_for_data (map.data, CAIRO_FORMAT_RGB24,
                                                 r->width, r->height, stride);
  cr = cairo_create (surface);
  draw_frame (r, cr, index);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  cairo_surface_destroy (surface);
  gst_buffer_unmap (buffer, &map);

  GST_BUFFER_PTS (buffer) = gst_util_uint64_scale (index, GST_SECOND, r->fps);
  GST_BUFFER_DURATION (buffer) = gst_util_uint64_scale (index + 1, GST_SECOND, r->fps) -
                                 GST_BUFFER_PTS (buffer);
  r->next_frame++;
  gst_app_src_push_buffer (source, buffer);

  if (r->next_frame >= r->n_frames)
    {
      r->eos_sent = TRUE;
      gst_app_src_end_of_stream (source);
    }
}

static gboolean
run_pipeline (Render        *r,
              GCancellable  *cancellable,
              GError       **error)
{
  GstAppSrcCallbacks callbacks = { .need_data = on_need_data };
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) source = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstCaps) caps = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *encoder = encoder_description (pick_encoder (), r->fps);
  g_autofree char *description = NULL;
  gint64 deadline;

  if (encoder == NULL)
    {
      g_set_error_literal (error, KINEMA_ERROR, KINEMA_ERROR_MEDIA,
                           _("No video encoder is installed. Install the GStreamer "
                             "“ugly” or “good” plugins to make demo clips."));
      return FALSE;
    }

  description = g_strdup_printf ("appsrc name=source format=time stream-type=stream "
                                 "! queue max-size-buffers=3 max-size-bytes=0 max-size-time=0 "
                                 "! videoconvert "
                                 "! video/x-raw,format=I420,colorimetry=bt709 "
                                 "! %s ! filesink name=sink", encoder);
  pipeline = gst_parse_launch (description, &local_error);
  if (pipeline == NULL)
    {
      g_set_error (error, KINEMA_ERROR, KINEMA_ERROR_MEDIA,
                   _("The clip could not be rendered: %s"), local_error->message);
      return FALSE;
    }
  gst_object_ref_sink (pipeline);

  source = gst_bin_get_by_name (GST_BIN (pipeline), "source");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  caps = gst_caps_new_simple ("video/x-raw",
                              "format", G_TYPE_STRING,
                              G_BYTE_ORDER == G_LITTLE_ENDIAN ? "BGRx" : "xRGB",
                              "width", G_TYPE_INT, (int) r->width,
                              "height", G_TYPE_INT, (int) r->height,
                              "framerate", GST_TYPE_FRACTION, (int) r->fps, 1,
                              "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1,
                              NULL);
  gst_app_src_set_caps (GST_APP_SRC (source), caps);
  gst_app_src_set_duration (GST_APP_SRC (source),
                            gst_util_uint64_scale (r->n_frames, GST_SECOND, r->fps));
  gst_app_src_set_callbacks (GST_APP_SRC (source), &callbacks, r, NULL);
  g_object_set (sink, "location", r->output_path, NULL);

  bus = gst_element_get_bus (pipeline);
  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

  /* Short waits, so that cancelling stops the render quickly. */
  deadline = g_get_monotonic_time () + RENDER_TIMEOUT_S * G_USEC_PER_SEC;
  while (message == NULL &&
         !g_cancellable_is_cancelled (cancellable) &&
         g_get_monotonic_time () < deadline)
    message = gst_bus_timed_pop_filtered (bus, 100 * GST_MSECOND,
                                          GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (message == NULL)
    {
      g_set_error_literal (error, KINEMA_ERROR, KINEMA_ERROR_MEDIA,
                           _("Rendering the clip took too long."));
      return FALSE;
    }

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autofree char *debug = NULL;

      gst_message_parse_error (message, &local_error, &debug);
      g_debug ("Render failed: %s (%s)", local_error->message, debug);
      g_set_error (error, KINEMA_ERROR, KINEMA_ERROR_MEDIA,
                   _("The clip could not be rendered: %s"), local_error->message);
      return FALSE;
    }

  return TRUE;
}

static gboolean
render_run (Render        *r,
            GCancellable  *cancellable,
            GError       **error)
{
  gint64 begin = g_get_monotonic_time ();

  if (!gst_init_check (NULL, NULL, error))
    return FALSE;

  if (r->start_image == NULL && r->end_image != NULL)
    {
      /* Only an end frame: it is the one picture there is. */
      r->start_image = g_steal_pointer (&r->end_image);
    }

  if (r->start_image != NULL && r->aspect_ratio == NULL)
    {
      /* The frame takes the picture's shape, known only once its orientation tag is
       * read: decode it for the largest zoom any move reaches, whichever way it stands
       * (a square frame of the short side asks the image's short side for that). */
      double side = MAX (r->height, 16);

      r->start = load_image (r->start_image, side, side, 1.5, error);
      if (r->start == NULL ||
          !compute_frame_size (r, (double) cairo_image_surface_get_width (r->start) /
                                  cairo_image_surface_get_height (r->start), error))
        return FALSE;
    }
  else if (r->start_image != NULL)
    {
      int iw, ih;

      if (!compute_frame_size (r, 0, error) ||
          !image_size (r->start_image, &iw, &ih, error))
        return FALSE;
      /* iw×ih as stored; a turned photo only makes this estimate a little generous. */
      r->start = load_image (r->start_image, r->width, r->height, max_zoom (r, iw, ih), error);
      if (r->start == NULL)
        return FALSE;
    }
  else if (!compute_frame_size (r, 0, error))
    return FALSE;
  if (r->duration_ms > 0)
    r->n_frames = MAX ((guint) gst_util_uint64_scale_round (r->duration_ms, r->fps, 1000), 1u);
  else
    r->n_frames = r->duration_s * r->fps;

  if (r->end_image != NULL)
    {
      r->end = load_image (r->end_image, r->width, r->height, 1.06, error);
      if (r->end == NULL)
        return FALSE;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  setup_text (r);

  if (!run_pipeline (r, cancellable, error))
    {
      g_unlink (r->output_path);
      return FALSE;
    }

  g_debug ("Rendered %u frames of %u×%u to %s in %.2f s", r->n_frames, r->width, r->height,
           r->output_path, (g_get_monotonic_time () - begin) / (double) G_USEC_PER_SEC);
  return TRUE;
}

/**
 * kinema_clip_renderer_render:
 * @spec: what to render
 * @output_path: the file to write (replaced)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Renders the clip synchronously; for worker threads and tools. Images that cannot
 * be read fail with %KINEMA_ERROR_INVALID_INPUT, a failing pipeline with
 * %KINEMA_ERROR_MEDIA. On failure no output file is left behind.
 *
 * Returns: %TRUE when @output_path holds the finished clip
 */
gboolean
kinema_clip_renderer_render (const KinemaClipSpec  *spec,
                             const char            *output_path,
                             GCancellable          *cancellable,
                             GError               **error)
{
  g_autoptr(Render) r = NULL;

  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (output_path != NULL, FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  r = render_new (spec, output_path);
  return render_run (r, cancellable, error);
}

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Render *r = task_data;
  GError *error = NULL;

  if (render_run (r, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * kinema_clip_renderer_render_async:
 * @spec: what to render; copied, need not outlive the call
 * @output_path: the file to write (replaced)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the calling thread's main context when done
 * @user_data: data for @callback
 *
 * Renders the clip on a worker thread (the encoder has its own threads too).
 */
void
kinema_clip_renderer_render_async (const KinemaClipSpec *spec,
                                   const char           *output_path,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (spec != NULL);
  g_return_if_fail (output_path != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kinema_clip_renderer_render_async);
  g_task_set_task_data (task, render_new (spec, output_path), (GDestroyNotify) render_free);
  g_task_run_in_thread (task, render_thread);
}

/**
 * kinema_clip_renderer_render_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the clip was written
 */
gboolean
kinema_clip_renderer_render_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kinema_clip_renderer_render_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
