/* test-demo.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The offline demo end to end: the in-process simulator, reached through KinemaClient
 * with the registry's demo provider, walks jobs to succeed with rendered, badged
 * 720p clips; after a restart on another port the old jobs are still known.
 */

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <libsoup/soup.h>

#include "kinema-client.h"
#include "kinema-clip-renderer.h"
#include "kinema-demo.h"
#include "kinema-error.h"
#include "kinema-provider-registry.h"
#include "test-util.h"

static char *
work_path (const char *name)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "test-demo", NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  return g_build_filename (dir, name, NULL);
}

static KinemaClient *
make_client (void)
{
  g_autoptr(KinemaHttpClient) http = kinema_http_client_new ();

  /* The isolated XDG dirs hide GNOME's proxy settings schema, which GIO's GNOME proxy
   * resolver insists on; loopback never goes through a proxy anyway. */
  g_object_set (kinema_http_client_get_session (http), "proxy-resolver", NULL, NULL);
  return kinema_client_new (http);
}

static KinemaRemoteStatus *
submit (KinemaClient   *client,
        KinemaProvider *provider,
        KinemaRequest  *request)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  KinemaRemoteStatus *status;

  kinema_client_submit_async (client, provider, request, NULL, test_result_cb, &result);
  status = kinema_client_submit_finish (client, test_wait_result (&result), &error);
  g_object_unref (result);
  g_assert_no_error (error);
  g_assert_nonnull (status);
  g_assert_nonnull (status->remote_id);
  return status;
}

static KinemaRemoteStatus *
poll_once (KinemaClient   *client,
           KinemaProvider *provider,
           KinemaTaskKind  kind,
           const char     *id)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  KinemaRemoteStatus *status;

  kinema_client_poll_async (client, provider, kind, id, NULL, test_result_cb, &result);
  status = kinema_client_poll_finish (client, test_wait_result (&result), &error);
  g_object_unref (result);
  g_assert_no_error (error);
  g_assert_nonnull (status);
  return status;
}

/* Polls until the job succeeds, moving the simulator's clock on by a second each
 * time; the clip itself still takes its real time to render. Returns the states seen. */
static KinemaRemoteStatus *
poll_until_done (KinemaDemo     *demo,
                 KinemaClient   *client,
                 KinemaProvider *provider,
                 KinemaTaskKind  kind,
                 const char     *id,
                 GString        *states)
{
  /* Up to two minutes: renders are slow on a loaded 2-core machine. */
  for (guint i = 0; i < 2400; i++)
    {
      g_autoptr(KinemaRemoteStatus) status = poll_once (client, provider, kind, id);
      const char *name = kinema_remote_state_to_string (status->state);

      if (states != NULL && !g_str_has_suffix (states->str, name))
        g_string_append_printf (states, "%s%s", states->len > 0 ? " " : "", name);
      g_assert_cmpint (status->state, !=, KINEMA_REMOTE_STATE_FAILED);
      if (status->state == KINEMA_REMOTE_STATE_SUCCEEDED)
        return g_steal_pointer (&status);

      kinema_sim_server_advance_clock (kinema_demo_get_server (demo), 1000);
      spin (50);
    }
  g_assert_not_reached ();
  return NULL;
}

static char *
download (KinemaClient       *client,
          KinemaProvider     *provider,
          KinemaRemoteStatus *status,
          const char         *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *file_name = g_strconcat (name, ".", kinema_clip_renderer_get_extension (), NULL);
  char *path = work_path (file_name);
  SoupSession *session = kinema_http_client_get_session (kinema_client_get_http_client (client));
  GAsyncResult *result = NULL;

  msg = kinema_client_new_download_message (client, provider, status->video_url, status->remote_id,
                                            &error);
  g_assert_no_error (error);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, test_result_cb, &result);
  bytes = soup_session_send_and_read_finish (session, test_wait_result (&result), &error);
  g_object_unref (result);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  g_assert_cmpuint (g_bytes_get_size (bytes), >, 1000);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL));
  return path;
}

/* Decodes @path: size, frame count, and how much of the first frame's top-right
 * corner (where the badge sits) is near white. */
static void
decode_clip (const char *path,
             int        *out_width,
             int        *out_height,
             guint      *out_frames,
             double     *out_corner_white)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autofree char *description = NULL;
  GstSample *sample;

  description = g_strdup_printf ("filesrc location=\"%s\" ! decodebin ! videoconvert "
                                 "! video/x-raw,format=GRAY8 ! appsink name=sink sync=false", path);
  pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  *out_frames = 0;
  *out_corner_white = 0;

  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=, GST_STATE_CHANGE_FAILURE);
  while ((sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 20 * GST_SECOND)) != NULL)
    {
      if (*out_frames == 0)
        {
          GstVideoInfo info;
          GstVideoFrame frame;
          guint white = 0, total = 0;
          int w, h;

          g_assert_true (gst_video_info_from_caps (&info, gst_sample_get_caps (sample)));
          g_assert_true (gst_video_frame_map (&frame, &info, gst_sample_get_buffer (sample), GST_MAP_READ));
          w = *out_width = GST_VIDEO_INFO_WIDTH (&info);
          h = *out_height = GST_VIDEO_INFO_HEIGHT (&info);
          for (int y = 0; y < h / 8; y++)
            for (int x = w * 3 / 4; x < w; x++)
              {
                const guint8 *row = (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&frame, 0) +
                                    (gsize) y * GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0);

                white += row[x] > 200;
                total++;
              }
          gst_video_frame_unmap (&frame);
          *out_corner_white = (double) white / total;
        }
      (*out_frames)++;
      gst_sample_unref (sample);
    }
  g_assert_true (gst_app_sink_is_eos (GST_APP_SINK (sink)));
  gst_element_set_state (pipeline, GST_STATE_NULL);
}

/* A dark photo, so that only the badge is white in the clip's top-right corner. */
static char *
make_photo (void)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 960, 540);
  g_autoptr(GError) error = NULL;
  char *path = work_path ("photo.png");
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);

  for (int y = 0; y < 540; y++)
    for (int x = 0; x < 960; x++)
      {
        guint8 *p = pixels + (gsize) y * stride + x * 3;

        p[0] = (guint8) (20 + x * 60 / 960);
        p[1] = (guint8) (30 + y * 60 / 540);
        p[2] = 70;
      }
  gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  g_assert_no_error (error);
  return path;
}

static void
flush_main_context (KinemaClient *client)
{
  soup_session_abort (kinema_http_client_get_session (kinema_client_get_http_client (client)));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_demo_flow (void)
{
  g_autofree char *config_dir = g_build_filename (g_get_user_config_dir (), "kinema", NULL);
  g_autofree char *default_dir = g_build_filename (g_get_user_data_dir (), "kinema", "demo", NULL);
  g_autofree char *photo = make_photo ();
  g_autofree char *first_base_url = NULL;
  g_autofree char *i2v_id = NULL;
  g_autofree char *i2v_path = NULL;
  g_autofree char *t2v_path = NULL;
  g_autofree char *again_path = NULL;
  g_autoptr(KinemaProviderRegistry) registry = kinema_provider_registry_new (config_dir);
  g_autoptr(KinemaDemo) demo = NULL;
  g_autoptr(KinemaClient) client = make_client ();
  g_autoptr(KinemaRequest) i2v = kinema_request_new (KINEMA_TASK_KIND_IMAGE_TO_VIDEO);
  g_autoptr(KinemaRequest) t2v = kinema_request_new (KINEMA_TASK_KIND_TEXT_TO_VIDEO);
  g_autoptr(KinemaRemoteStatus) submitted = NULL;
  g_autoptr(KinemaRemoteStatus) t2v_submitted = NULL;
  g_autoptr(KinemaRemoteStatus) done = NULL;
  g_autoptr(KinemaRemoteStatus) t2v_done = NULL;
  g_autoptr(KinemaRemoteStatus) known = NULL;
  g_autoptr(GString) states = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupServer) squatter = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = NULL;
  KinemaProvider *provider = kinema_provider_registry_get_demo (registry);
  const char * const *models = kinema_provider_list_models (provider);
  int width, height;
  guint frames;
  double white;
  guint old_port;

  /* Started with the default state directory, the provider points at it. */
  demo = kinema_demo_new (registry, NULL);
  g_assert_cmpstr (kinema_demo_get_state_dir (demo), ==, default_dir);
  g_assert_false (kinema_demo_get_running (demo));
  g_assert_true (kinema_demo_start (demo, &error));
  g_assert_no_error (error);
  g_assert_true (kinema_demo_get_running (demo));
  g_assert_true (kinema_demo_start (demo, &error));  /* already running: nothing changes */
  g_assert_true (g_str_has_prefix (kinema_demo_get_base_url (demo), "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (kinema_demo_get_base_url (demo), "/kling"));
  g_assert_cmpstr (kinema_provider_get_base_url (provider), ==, kinema_demo_get_base_url (demo));
  g_assert_true (kinema_provider_get_is_demo (provider));
  g_assert_true (kinema_provider_validate (provider, &error));
  g_assert_no_error (error);
  first_base_url = g_strdup (kinema_demo_get_base_url (demo));

  /* An image-to-video job and a text-to-video one, through the real client. */
  g_assert_nonnull (models);
  g_assert_nonnull (models[0]);
  kinema_request_set_model (i2v, models[0]);
  kinema_request_set_prompt (i2v, "The paper boat drifts towards the camera");
  kinema_request_set_image (i2v, photo);
  kinema_request_set_duration (i2v, 5);
  kinema_request_set_camera_type (i2v, KINEMA_CAMERA_SIMPLE);
  kinema_request_set_camera_axis (i2v, KINEMA_CAMERA_AXIS_ZOOM);
  kinema_request_set_camera_value (i2v, -4);
  submitted = submit (client, provider, i2v);
  i2v_id = g_strdup (submitted->remote_id);

  kinema_request_set_model (t2v, models[0]);
  kinema_request_set_prompt (t2v, "A lighthouse in a storm at dusk");
  kinema_request_set_duration (t2v, 5);
  kinema_request_set_aspect_ratio (t2v, "9:16");
  t2v_submitted = submit (client, provider, t2v);
  g_assert_cmpstr (t2v_submitted->remote_id, !=, i2v_id);

  /* submitted, then processing, then succeed with a link to the clip */
  done = poll_until_done (demo, client, provider, KINEMA_TASK_KIND_IMAGE_TO_VIDEO, i2v_id, states);
  g_test_message ("image-to-video states: %s", states->str);
  g_assert_true (strstr (states->str, kinema_remote_state_to_string (KINEMA_REMOTE_STATE_RUNNING)) != NULL);
  g_assert_true (strstr (states->str, kinema_remote_state_to_string (KINEMA_REMOTE_STATE_SUCCEEDED)) != NULL);
  g_assert_nonnull (done->video_url);
  t2v_done = poll_until_done (demo, client, provider, KINEMA_TASK_KIND_TEXT_TO_VIDEO,
                              t2v_submitted->remote_id, NULL);

  /* The clips decode: 720p, 5 s at 24 fps, badged. */
  i2v_path = download (client, provider, done, "i2v");
  decode_clip (i2v_path, &width, &height, &frames, &white);
  g_test_message ("image-to-video clip: %d×%d, %u frames, corner %.3f white", width, height, frames, white);
  g_assert_cmpint (width, ==, 1280);
  g_assert_cmpint (height, ==, 720);
  g_assert_cmpuint (frames, ==, 120);
  g_assert_cmpfloat (white, >, 0.005);

  t2v_path = download (client, provider, t2v_done, "t2v");
  decode_clip (t2v_path, &width, &height, &frames, &white);
  g_assert_cmpint (width, ==, 720);
  g_assert_cmpint (height, ==, 1280);
  g_assert_cmpuint (frames, ==, 120);

  /* Restart with the same state directory while another program holds the old port:
   * the demo moves, the provider follows, and the old jobs are still there. */
  old_port = kinema_sim_server_get_port (kinema_demo_get_server (demo));
  flush_main_context (client);
  kinema_demo_stop (demo);
  g_assert_false (kinema_demo_get_running (demo));
  g_assert_null (kinema_provider_get_base_url (provider));
  g_clear_object (&demo);

  squatter = soup_server_new (NULL, NULL);
  address = g_inet_socket_address_new (loopback, (guint16) old_port);
  g_assert_true (soup_server_listen (squatter, address, 0, &error));
  g_assert_no_error (error);

  demo = kinema_demo_new (registry, default_dir);
  g_assert_true (kinema_demo_start (demo, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (kinema_demo_get_base_url (demo), !=, first_base_url);
  g_assert_cmpstr (kinema_provider_get_base_url (provider), ==, kinema_demo_get_base_url (demo));

  /* The first run's clock was moved on by the polls above; a minute later, as far as
   * the new run can tell, the job is over. */
  kinema_sim_server_advance_clock (kinema_demo_get_server (demo), 60 * 1000);
  known = poll_once (client, provider, KINEMA_TASK_KIND_IMAGE_TO_VIDEO, i2v_id);
  g_assert_cmpint (known->state, !=, KINEMA_REMOTE_STATE_FAILED);
  g_assert_cmpint (known->state, !=, KINEMA_REMOTE_STATE_QUEUED);
  /* Running at most while the clip is rendered again on a slow machine. */
  if (known->state != KINEMA_REMOTE_STATE_SUCCEEDED)
    {
      g_clear_pointer (&known, kinema_remote_status_free);
      known = poll_until_done (demo, client, provider, KINEMA_TASK_KIND_IMAGE_TO_VIDEO, i2v_id, NULL);
    }
  g_assert_cmpint (known->state, ==, KINEMA_REMOTE_STATE_SUCCEEDED);
  g_assert_nonnull (known->video_url);
  g_assert_true (g_str_has_prefix (known->video_url,
                                   kinema_sim_server_get_base_url (kinema_demo_get_server (demo))));
  again_path = download (client, provider, known, "i2v-again");
  decode_clip (again_path, &width, &height, &frames, &white);
  g_assert_cmpint (width, ==, 1280);
  g_assert_cmpuint (frames, ==, 120);

  flush_main_context (client);
  soup_server_disconnect (squatter);
}

static void
test_demo_bad_state_dir (void)
{
  g_autofree char *config_dir = g_build_filename (g_get_user_config_dir (), "kinema", NULL);
  g_autofree char *file = work_path ("not-a-dir");
  g_autofree char *state_dir = g_build_filename (file, "demo", NULL);
  g_autoptr(KinemaProviderRegistry) registry = kinema_provider_registry_new (config_dir);
  g_autoptr(KinemaDemo) demo = NULL;
  g_autoptr(GError) error = NULL;

  /* A file where the folder should be: a clear error, and no URL on the provider. */
  g_assert_true (g_file_set_contents (file, "x", -1, NULL));
  demo = kinema_demo_new (registry, state_dir);
  g_assert_false (kinema_demo_start (demo, &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_DISK);
  g_assert_false (kinema_demo_get_running (demo));
  g_assert_null (kinema_provider_get_base_url (kinema_provider_registry_get_demo (registry)));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  gst_init (&argc, &argv);

  g_test_add_func ("/kinema/demo/flow", test_demo_flow);
  g_test_add_func ("/kinema/demo/bad-state-dir", test_demo_bad_state_dir);

  return g_test_run ();
}
