/* test-provider.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "kinema-enums.h"
#include "kinema-error.h"
#include "kinema-jwt.h"
#include "kinema-models.h"
#include "kinema-provider.h"
#include "kinema-task-private.h"

#define NOW 1760000000

static void
test_provider_url_rules (void)
{
  static const char *good[] = {
    "https://api-singapore.klingai.com",
    "https://api.n1n.ai/kling",
    "https://api.xiexus.cn/kling/",
    "http://127.0.0.1:8080",
    "http://127.5.6.7/kling",
    "http://localhost:9000",
    "http://[::1]:8000/v",
    "HTTPS://Example.COM",
  };
  static const char *bad[] = {
    "",
    "   ",
    "api.example.com",
    "ftp://api.example.com",
    "http://api.example.com",
    "http://192.168.1.10:8080",
    "http://[::2]:8000",
    "http://localhost.example.com",
    "https://",
    "https://user:pass@api.example.com",
    "https://api.example.com/?key=1",
    "https://api.example.com/#x",
    "https://exa mple.com",
    "file:///etc/passwd",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(KinemaProvider) provider = kinema_provider_new ("p", "P", good[i],
                                                                KINEMA_API_STYLE_KLING,
                                                                KINEMA_AUTH_BEARER);
      g_autoptr(GError) error = NULL;

      g_test_message ("good: %s", good[i]);
      g_assert_true (kinema_provider_validate (provider, &error));
      g_assert_no_error (error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("bad: %s", bad[i]);
      g_assert_false (kinema_provider_validate_base_url (bad[i], &error));
      g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
      g_assert_nonnull (error->message);
      g_assert_cmpuint (strlen (error->message), >, 10);
    }

  {
    g_autoptr(KinemaProvider) provider = kinema_provider_new ("p", "P", NULL,
                                                              KINEMA_API_STYLE_KLING,
                                                              KINEMA_AUTH_BEARER);
    g_autoptr(GError) error = NULL;

    g_assert_false (kinema_provider_validate (provider, &error));
    g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
  }
}

/* Issue 11, case 8: a gateway on the home network over plain http, only once the
 * user allowed it for that provider. */
static void
test_provider_private_http (void)
{
  g_autoptr(KinemaProvider) provider = kinema_provider_new ("home", "Home", "http://192.168.1.20:3000",
                                                             KINEMA_API_STYLE_VIDEO_GENERATIONS,
                                                             KINEMA_AUTH_BEARER);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) public_error = NULL;

  g_assert_false (kinema_provider_get_allow_private_http (provider));
  g_assert_false (kinema_provider_validate (provider, &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "unencrypted"));

  kinema_provider_set_allow_private_http (provider, TRUE);
  g_assert_cmpint (kinema_provider_get_url_policy (provider), ==, KINEMA_URL_POLICY_ALLOW_PRIVATE_HTTP);
  g_assert_true (kinema_provider_validate (provider, NULL));

  /* the permission never opens plain http to a public host */
  kinema_provider_set_base_url (provider, "http://gateway.example.com");
  g_assert_false (kinema_provider_validate (provider, &public_error));
  g_assert_error (public_error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
  g_assert_false (kinema_provider_validate_base_url_full ("http://8.8.8.8", KINEMA_URL_POLICY_ALLOW_PRIVATE_HTTP,
                                                          NULL));
  g_assert_true (kinema_provider_validate_base_url_full ("http://nas.local:8080/kling",
                                                         KINEMA_URL_POLICY_ALLOW_PRIVATE_HTTP, NULL));
}

static void
test_provider_base_url_trimmed (void)
{
  g_autoptr(KinemaProvider) provider = kinema_provider_new ("p", "P", "  https://api.xiexus.cn/kling//\n",
                                                            KINEMA_API_STYLE_KLING,
                                                            KINEMA_AUTH_BEARER);

  g_assert_cmpstr (kinema_provider_get_base_url (provider), ==, "https://api.xiexus.cn/kling");
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_provider_properties (void)
{
  g_autoptr(KinemaProvider) provider = kinema_provider_new ("n1n", "n1n", "https://api.n1n.ai/kling",
                                                            KINEMA_API_STYLE_KLING,
                                                            KINEMA_AUTH_BEARER);
  g_autoptr(KinemaProvider) demo = kinema_provider_new (KINEMA_PROVIDER_DEMO_ID, "Demo", NULL,
                                                        KINEMA_API_STYLE_KLING,
                                                        KINEMA_AUTH_BEARER);
  g_autofree char *id = NULL;
  g_autofree char *url = NULL;
  KinemaApiStyle style;
  KinemaAuthKind auth;
  gboolean is_demo = TRUE;
  gboolean has_credentials = TRUE;
  guint notified = 0;

  g_signal_connect (provider, "notify::name", G_CALLBACK (count_notify), &notified);
  kinema_provider_set_name (provider, "My gateway");
  kinema_provider_set_name (provider, "My gateway");
  g_assert_cmpuint (notified, ==, 1);

  kinema_provider_set_api_style (provider, KINEMA_API_STYLE_OPENAI_VIDEOS);
  kinema_provider_set_preset_id (provider, "n1n");
  g_object_get (provider,
                "id", &id,
                "base-url", &url,
                "api-style", &style,
                "auth-kind", &auth,
                "is-demo", &is_demo,
                "has-credentials", &has_credentials,
                NULL);
  g_assert_cmpstr (id, ==, "n1n");
  g_assert_cmpstr (url, ==, "https://api.n1n.ai/kling");
  g_assert_cmpint (style, ==, KINEMA_API_STYLE_OPENAI_VIDEOS);
  g_assert_cmpint (auth, ==, KINEMA_AUTH_BEARER);
  g_assert_cmpstr (kinema_provider_get_preset_id (provider), ==, "n1n");
  g_assert_false (is_demo);
  g_assert_false (has_credentials);

  g_assert_true (kinema_provider_get_is_demo (demo));
  g_assert_false (kinema_provider_get_is_demo (provider));
}

static void
test_provider_bearer (void)
{
  g_autoptr(KinemaProvider) provider = kinema_provider_new ("n1n", "n1n", "https://api.n1n.ai/kling",
                                                            KINEMA_API_STYLE_KLING,
                                                            KINEMA_AUTH_BEARER);
  g_autoptr(GError) error = NULL;
  g_autofree char *header = NULL;
  guint notified = 0;

  g_signal_connect (provider, "notify::has-credentials", G_CALLBACK (count_notify), &notified);

  header = kinema_provider_dup_authorization (provider, &error);
  g_assert_null (header);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_NO_KEY);
  g_clear_error (&error);

  kinema_provider_set_api_key (provider, "  sk-test-123\n");
  g_assert_true (kinema_provider_get_has_credentials (provider));
  g_assert_cmpuint (notified, ==, 1);
  header = kinema_provider_dup_authorization (provider, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (header, ==, "Bearer sk-test-123");

  /* Kling keys don't count for a bearer provider */
  kinema_provider_set_api_key (provider, NULL);
  kinema_provider_set_kling_keys (provider, "AK", "SK");
  g_assert_false (kinema_provider_get_has_credentials (provider));
  g_assert_cmpuint (notified, ==, 2);

  /* switching the auth kind makes them count */
  kinema_provider_set_auth_kind (provider, KINEMA_AUTH_KLING_JWT);
  g_assert_true (kinema_provider_get_has_credentials (provider));
  g_assert_cmpuint (notified, ==, 3);

  kinema_provider_set_api_key (provider, "");
  kinema_provider_set_auth_kind (provider, KINEMA_AUTH_BEARER);
  g_clear_pointer (&header, g_free);
  header = kinema_provider_dup_authorization (provider, &error);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_NO_KEY);
  g_assert_null (header);
}

static char *
token_of (const char *header)
{
  g_assert_true (g_str_has_prefix (header, "Bearer "));
  return g_strdup (header + strlen ("Bearer "));
}

static void
test_provider_jwt (void)
{
  g_autoptr(KinemaProvider) provider = kinema_provider_new ("kling", "Kling", "https://api-singapore.klingai.com",
                                                            KINEMA_API_STYLE_KLING,
                                                            KINEMA_AUTH_KLING_JWT);
  g_autoptr(GError) error = NULL;
  g_autofree char *h1 = NULL;
  g_autofree char *h2 = NULL;
  g_autofree char *h3 = NULL;
  g_autofree char *h4 = NULL;
  g_autofree char *h5 = NULL;
  g_autofree char *t1 = NULL;
  g_autofree char *t3 = NULL;
  g_autofree char *t5 = NULL;
  g_autofree char *issuer = NULL;

  h1 = kinema_provider_dup_authorization_at (provider, NOW, &error);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_NO_KEY);
  g_assert_null (h1);
  g_clear_error (&error);

  kinema_provider_set_kling_keys (provider, "AK-one", NULL);
  g_assert_false (kinema_provider_get_has_credentials (provider));
  h1 = kinema_provider_dup_authorization_at (provider, NOW, &error);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_NO_KEY);
  g_clear_error (&error);

  kinema_provider_set_kling_keys (provider, "AK-one", "SK-one");
  h1 = kinema_provider_dup_authorization_at (provider, NOW, &error);
  g_assert_no_error (error);
  t1 = token_of (h1);
  g_assert_true (kinema_jwt_verify (t1, "SK-one", NOW, &issuer, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (issuer, ==, "AK-one");

  /* cached while more than 5 minutes remain */
  h2 = kinema_provider_dup_authorization_at (provider, NOW + 60, &error);
  g_assert_cmpstr (h2, ==, h1);
  g_clear_pointer (&h2, g_free);
  h2 = kinema_provider_dup_authorization_at (provider, NOW + KINEMA_JWT_LIFETIME_S - KINEMA_PROVIDER_JWT_RENEW_S, &error);
  g_assert_cmpstr (h2, ==, h1);

  /* renewed when less than 5 minutes remain */
  h3 = kinema_provider_dup_authorization_at (provider, NOW + KINEMA_JWT_LIFETIME_S - KINEMA_PROVIDER_JWT_RENEW_S + 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (h3, !=, h1);
  t3 = token_of (h3);
  g_assert_true (kinema_jwt_verify (t3, "SK-one", NOW + KINEMA_JWT_LIFETIME_S, NULL, &error));
  g_assert_no_error (error);
  /* the old one has expired by then */
  g_assert_false (kinema_jwt_verify (t1, "SK-one", NOW + KINEMA_JWT_LIFETIME_S + 10, NULL, NULL));

  h4 = kinema_provider_dup_authorization_at (provider, NOW + KINEMA_JWT_LIFETIME_S, &error);
  g_assert_cmpstr (h4, ==, h3);

  /* new keys: a new token signed with the new secret */
  kinema_provider_set_kling_keys (provider, "AK-two", "SK-two");
  h5 = kinema_provider_dup_authorization_at (provider, NOW + KINEMA_JWT_LIFETIME_S, &error);
  g_assert_no_error (error);
  t5 = token_of (h5);
  g_clear_pointer (&issuer, g_free);
  g_assert_true (kinema_jwt_verify (t5, "SK-two", NOW + KINEMA_JWT_LIFETIME_S, &issuer, &error));
  g_assert_cmpstr (issuer, ==, "AK-two");
  g_assert_false (kinema_jwt_verify (t5, "SK-one", NOW + KINEMA_JWT_LIFETIME_S, NULL, NULL));

  /* the wall-clock variant verifies now */
  {
    g_autofree char *header = kinema_provider_dup_authorization (provider, &error);
    g_autofree char *token = token_of (header);

    g_assert_true (kinema_jwt_verify (token, "SK-two", g_get_real_time () / G_USEC_PER_SEC, NULL, &error));
    g_assert_no_error (error);
  }
}

static void
test_provider_models (void)
{
  g_autoptr(KinemaProvider) provider = kinema_provider_new ("kling", "Kling", NULL,
                                                            KINEMA_API_STYLE_KLING,
                                                            KINEMA_AUTH_KLING_JWT);
  const char * const *models = kinema_provider_list_models (provider);
  guint n_models;

  kinema_models_get_all (&n_models);
  g_assert_nonnull (models);
  g_assert_cmpuint (g_strv_length ((char **) models), ==, n_models);
  g_assert_true (g_strv_contains (models, "kling-v1"));
  g_assert_true (g_strv_contains (models, "kling-v2-6"));
  g_assert_true (models == kinema_provider_list_models (provider));
}

static KinemaTask *
finished_task (const char *provider_id,
               const char *model,
               const char *video_id)
{
  g_autoptr(KinemaRequest) request = kinema_request_new (KINEMA_TASK_KIND_TEXT_TO_VIDEO);
  KinemaTask *task;

  kinema_request_set_model (request, model);
  kinema_request_set_prompt (request, "A paper boat");
  kinema_request_set_duration (request, 5);
  task = kinema_task_new (NULL, provider_id, "Kling", request, FALSE);
  kinema_task_set_video_id (task, video_id);
  kinema_task_set_status (task, KINEMA_TASK_STATUS_SUCCEEDED);
  kinema_task_set_finished_at (task, g_get_real_time ());
  return task;
}

static void
assert_reason (KinemaProvider *provider,
               KinemaTask     *task,
               const char     *part)
{
  g_autofree char *reason = kinema_provider_dup_extend_reason (provider, task);

  g_assert_nonnull (reason);
  g_test_message ("reason: %s", reason);
  if (part != NULL)
    g_assert_nonnull (strstr (reason, part));
}

/* Kling's video extension: official style only (new-api router/video-router.go routes
 * only text- and image-to-video; PROTOCOL.md 8.10); not kling-v1-5 and only for a clip
 * with its video id, younger than 30 days, up to 3 minutes in all (Kling docs, "Video
 * Extension", copy in WHQ25/rawgenai docs/research/kling/video-extend.md). */
static void
test_provider_extend (void)
{
  g_autoptr(KinemaProvider) kling = kinema_provider_new ("kling", "Kling", "https://api-singapore.klingai.com",
                                                          KINEMA_API_STYLE_KLING, KINEMA_AUTH_KLING_JWT);
  g_autoptr(KinemaProvider) demo = kinema_provider_new (KINEMA_PROVIDER_DEMO_ID, "Demo", "http://127.0.0.1:9",
                                                         KINEMA_API_STYLE_KLING, KINEMA_AUTH_BEARER);
  g_autoptr(KinemaProvider) passthrough = kinema_provider_new ("gw", "My gateway", "https://gw.example.test/kling",
                                                                KINEMA_API_STYLE_KLING, KINEMA_AUTH_BEARER);
  g_autoptr(KinemaProvider) generations = kinema_provider_new ("gen", "Generations", "https://gw.example.test",
                                                                KINEMA_API_STYLE_VIDEO_GENERATIONS,
                                                                KINEMA_AUTH_BEARER);
  g_autoptr(KinemaTask) task = finished_task ("kling", "kling-v1-6", "vid-1");
  g_autoptr(KinemaRequest) extension = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;

  g_assert_true (kinema_provider_offers_extend (kling));
  g_assert_true (kinema_provider_offers_extend (demo));
  g_assert_false (kinema_provider_offers_extend (passthrough));
  g_assert_false (kinema_provider_offers_extend (generations));

  reason = kinema_provider_dup_extend_reason (kling, task);
  g_assert_null (reason);

  /* the gateway's name is in the sentence, and it points to Continue */
  assert_reason (passthrough, task, "My gateway");
  assert_reason (generations, task, "Continue");
  /* another provider's video id means nothing here */
  assert_reason (demo, task, NULL);

  /* the request is checked the same way before anything is sent */
  extension = kinema_request_new_extension (kinema_task_get_request (task), kinema_task_get_id (task), "vid-1",
                                            kinema_task_estimate_clip_seconds (task));
  g_assert_true (kinema_provider_check_request (kling, extension, &error));
  g_assert_no_error (error);
  g_assert_false (kinema_provider_check_request (passthrough, extension, &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "My gateway"));
  g_clear_error (&error);
  g_assert_false (kinema_provider_check_request (generations, extension, &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  kinema_request_set_video_id (extension, NULL);
  g_assert_false (kinema_provider_check_request (kling, extension, &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  kinema_request_set_video_id (extension, "vid-1");
  kinema_request_set_link (extension, KINEMA_LINK_EXTEND, "p", 177.0);
  g_assert_false (kinema_provider_check_request (kling, extension, &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  kinema_request_set_link (extension, KINEMA_LINK_EXTEND, "p", 5);
  kinema_request_set_model (extension, "kling-v1-5");
  kinema_request_set_kind (extension, KINEMA_TASK_KIND_VIDEO_EXTEND);
  g_assert_false (kinema_provider_check_request (kling, extension, &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "Kling 1.5"));
  g_clear_error (&error);

  /* not finished yet */
  kinema_task_set_status (task, KINEMA_TASK_STATUS_RUNNING);
  assert_reason (kling, task, NULL);
  kinema_task_set_status (task, KINEMA_TASK_STATUS_SUCCEEDED);

  /* no video id: made before we kept it, or by another app */
  kinema_task_set_video_id (task, NULL);
  assert_reason (kling, task, "video id");
  kinema_task_set_video_id (task, "vid-1");

  /* Kling deletes videos after 30 days */
  kinema_task_set_finished_at (task, g_get_real_time () - 31 * G_TIME_SPAN_DAY);
  assert_reason (kling, task, "30 days");
  kinema_task_set_finished_at (task, g_get_real_time ());

  {
    g_autoptr(KinemaTask) v15 = finished_task ("kling", "kling-v1-5", "vid-2");
    g_autoptr(KinemaTask) turbo = finished_task ("kling", "kling-v2-5-turbo", "vid-3");
    g_autoptr(KinemaTask) v1 = finished_task ("kling", "kling-v1", "vid-4");
    g_autoptr(KinemaTask) long_one = NULL;
    g_autoptr(KinemaRequest) near_limit = kinema_request_new_extension (kinema_task_get_request (v1), "p", "vid-4",
                                                                         176.0);
    g_autofree char *ok = kinema_provider_dup_extend_reason (kling, v1);

    assert_reason (kling, v15, "Kling 1.5");
    assert_reason (kling, turbo, "Kling 2.5 Turbo");
    g_assert_null (ok);

    /* an extension of 176 s is about 180.5 s long: no further extension */
    long_one = kinema_task_new (NULL, "kling", "Kling", near_limit, FALSE);
    kinema_task_set_video_id (long_one, "vid-5");
    kinema_task_set_status (long_one, KINEMA_TASK_STATUS_SUCCEEDED);
    g_assert_cmpfloat_with_epsilon (kinema_task_estimate_clip_seconds (long_one), 176.0 + KINEMA_EXTEND_SECONDS,
                                    1e-9);
    assert_reason (kling, long_one, "3 minutes");
  }
}

/* Keys as held and as stored in the keyring: blanks around them dropped, blank keys none. */
static void
test_provider_normalize_key (void)
{
  static const struct
  {
    const char *typed;
    const char *kept;
  } cases[] = {
    { "sk-abc", "sk-abc" },
    { "  sk-abc\n", "sk-abc" },
    { "\tak def\r\n", "ak def" },
    { " \n\t", NULL },
    { "", NULL },
    { NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *kept = kinema_provider_normalize_key (cases[i].typed);

      g_assert_cmpstr (kept, ==, cases[i].kept);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/kinema/provider/url-rules", test_provider_url_rules);
  g_test_add_func ("/kinema/provider/private-http", test_provider_private_http);
  g_test_add_func ("/kinema/provider/base-url-trimmed", test_provider_base_url_trimmed);
  g_test_add_func ("/kinema/provider/properties", test_provider_properties);
  g_test_add_func ("/kinema/provider/bearer", test_provider_bearer);
  g_test_add_func ("/kinema/provider/jwt", test_provider_jwt);
  g_test_add_func ("/kinema/provider/models", test_provider_models);
  g_test_add_func ("/kinema/provider/extend", test_provider_extend);
  g_test_add_func ("/kinema/provider/normalize-key", test_provider_normalize_key);

  return g_test_run ();
}
