/* test-provider-registry.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib/gstdio.h>

#include "kinema-error.h"
#include "kinema-jwt.h"
#include "kinema-provider-registry.h"

static char *
config_dir (void)
{
  return g_build_filename (g_get_user_config_dir (), "kinema", NULL);
}

static void
clear_env (void)
{
  g_unsetenv ("KINEMA_API_KEY");
  g_unsetenv ("KINEMA_PROVIDER");
  g_unsetenv ("KINEMA_ACCESS_KEY");
  g_unsetenv ("KINEMA_SECRET_KEY");
}

static void
test_registry_presets (void)
{
  const KinemaProviderPreset *presets;
  const KinemaProviderPreset *preset;
  guint n = 0;

  presets = kinema_provider_presets (&n);
  g_assert_cmpuint (n, ==, 7);

  preset = kinema_provider_preset_lookup ("kling");
  g_assert_cmpstr (preset->base_url, ==, "https://api-singapore.klingai.com");
  g_assert_cmpint (preset->style, ==, KINEMA_API_STYLE_KLING);
  g_assert_cmpint (preset->auth, ==, KINEMA_AUTH_KLING_JWT);

  preset = kinema_provider_preset_lookup ("kling-cn");
  g_assert_cmpstr (preset->base_url, ==, "https://api-beijing.klingai.com");
  g_assert_cmpint (preset->auth, ==, KINEMA_AUTH_KLING_JWT);

  preset = kinema_provider_preset_lookup ("n1n");
  g_assert_cmpstr (preset->base_url, ==, "https://api.n1n.ai/kling");
  g_assert_cmpint (preset->style, ==, KINEMA_API_STYLE_KLING);
  g_assert_cmpint (preset->auth, ==, KINEMA_AUTH_BEARER);

  preset = kinema_provider_preset_lookup ("xiexus");
  g_assert_cmpstr (preset->base_url, ==, "https://api.xiexus.cn/kling");
  g_assert_cmpint (preset->auth, ==, KINEMA_AUTH_BEARER);

  for (guint i = 0; i < n; i++)
    {
      g_assert_nonnull (presets[i].name);
      if (g_str_equal (presets[i].id, "nicerouter") || g_str_equal (presets[i].id, "open-route") ||
          g_str_equal (presets[i].id, "custom"))
        {
          g_assert_null (presets[i].base_url);
          g_assert_cmpint (presets[i].auth, ==, KINEMA_AUTH_BEARER);
          g_assert_cmpint (presets[i].style, ==, KINEMA_API_STYLE_KLING);
        }
      else
        {
          g_autoptr(GError) error = NULL;

          g_assert_true (kinema_provider_validate_base_url (presets[i].base_url, &error));
        }
    }

  g_assert_null (kinema_provider_preset_lookup ("nope"));
}

static void
test_registry_demo_always_present (void)
{
  g_autofree char *dir = config_dir ();
  g_autoptr(KinemaProviderRegistry) registry = kinema_provider_registry_new (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(KinemaProvider) first = NULL;
  g_autofree char *header = NULL;
  KinemaProvider *demo;

  clear_env ();

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 1);
  g_assert_true (kinema_provider_registry_load (registry, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 1);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (registry)) == KINEMA_TYPE_PROVIDER);

  demo = kinema_provider_registry_get_demo (registry);
  first = g_list_model_get_item (G_LIST_MODEL (registry), 0);
  g_assert_true (first == demo);
  g_assert_true (kinema_provider_get_is_demo (demo));
  g_assert_cmpstr (kinema_provider_get_id (demo), ==, "demo");
  g_assert_cmpstr (kinema_provider_get_name (demo), ==, "Demo (offline)");
  g_assert_cmpint (kinema_provider_get_api_style (demo), ==, KINEMA_API_STYLE_KLING);
  g_assert_cmpint (kinema_provider_get_auth_kind (demo), ==, KINEMA_AUTH_BEARER);
  g_assert_true (kinema_provider_registry_lookup (registry, "demo") == demo);
  header = kinema_provider_dup_authorization (demo, &error);
  g_assert_cmpstr (header, ==, "Bearer " KINEMA_PROVIDER_DEMO_KEY);

  /* nothing configured: the demo is the default */
  g_assert_true (kinema_provider_registry_get_default (registry) == demo);

  /* a "demo" group in the file is ignored, the demo is never saved */
  kinema_provider_set_base_url (demo, "http://127.0.0.1:4321");
  g_assert_true (kinema_provider_registry_save (registry, &error));
  {
    g_autofree char *path = g_build_filename (dir, "providers.ini", NULL);
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
    g_assert_null (strstr (contents, "4321"));
    g_assert_true (g_file_set_contents (path,
                                        "[provider:demo]\nname=Fake\nbase-url=https://evil.example.com\n",
                                        -1, NULL));
  }
  g_assert_true (kinema_provider_registry_load (registry, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 1);
  g_assert_cmpstr (kinema_provider_get_name (demo), ==, "Demo (offline)");
  g_assert_cmpstr (kinema_provider_get_base_url (demo), ==, "http://127.0.0.1:4321");
}

typedef struct {
  guint position;
  guint removed;
  guint added;
  guint calls;
} Changes;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  Changes *changes = user_data;

  changes->position = position;
  changes->removed = removed;
  changes->added = added;
  changes->calls++;
}

static void
test_registry_round_trip (void)
{
  g_autofree char *dir = config_dir ();
  g_autoptr(KinemaProviderRegistry) registry = kinema_provider_registry_new (dir);
  g_autoptr(KinemaProviderRegistry) again = NULL;
  g_autoptr(KinemaProvider) custom = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "providers.ini", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *unique = NULL;
  KinemaProvider *kling;
  KinemaProvider *n1n;
  KinemaProvider *provider;
  Changes changes = { 0 };

  clear_env ();
  g_signal_connect (registry, "items-changed", G_CALLBACK (on_items_changed), &changes);

  kling = kinema_provider_registry_ensure_preset (registry, "kling");
  g_assert_nonnull (kling);
  g_assert_cmpuint (changes.calls, ==, 1);
  g_assert_cmpuint (changes.position, ==, 1);
  g_assert_cmpuint (changes.added, ==, 1);
  g_assert_true (kinema_provider_registry_ensure_preset (registry, "kling") == kling);
  g_assert_cmpuint (changes.calls, ==, 1);
  g_assert_null (kinema_provider_registry_ensure_preset (registry, "unknown"));

  n1n = kinema_provider_registry_ensure_preset (registry, "n1n");
  kinema_provider_set_name (n1n, "My n1n = [gateway]");
  kinema_provider_set_api_key (n1n, "sk-never-on-disk");

  unique = kinema_provider_registry_dup_unique_id (registry, "n1n");
  g_assert_cmpstr (unique, ==, "n1n-2");
  custom = kinema_provider_new (unique, "Local", "http://127.0.0.1:8080/v", KINEMA_API_STYLE_OPENAI_VIDEOS,
                                KINEMA_AUTH_BEARER);
  kinema_provider_set_preset_id (custom, "custom");
  kinema_provider_set_allow_private_http (custom, TRUE);
  kinema_provider_registry_add (registry, custom);
  kinema_provider_set_kling_keys (kling, "AK-secret-ak", "SK-secret-sk");
  kinema_provider_registry_set_default (registry, custom);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 4);

  g_assert_true (kinema_provider_registry_save (registry, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, "sk-never-on-disk"));
  g_assert_null (strstr (contents, "secret"));

  again = kinema_provider_registry_new (dir);
  g_assert_true (kinema_provider_registry_load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 4);

  provider = kinema_provider_registry_lookup (again, "kling");
  g_assert_cmpstr (kinema_provider_get_base_url (provider), ==, "https://api-singapore.klingai.com");
  g_assert_cmpint (kinema_provider_get_auth_kind (provider), ==, KINEMA_AUTH_KLING_JWT);
  g_assert_cmpstr (kinema_provider_get_preset_id (provider), ==, "kling");
  g_assert_false (kinema_provider_get_has_credentials (provider));

  g_assert_false (kinema_provider_get_allow_private_http (provider));

  /* the opt-in for plain http on a private network is kept per provider (issue 11, case 8) */
  g_assert_true (kinema_provider_get_allow_private_http (kinema_provider_registry_lookup (again, unique)));

  provider = kinema_provider_registry_lookup (again, "n1n");
  g_assert_cmpstr (kinema_provider_get_name (provider), ==, "My n1n = [gateway]");
  g_assert_cmpint (kinema_provider_get_auth_kind (provider), ==, KINEMA_AUTH_BEARER);

  provider = kinema_provider_registry_lookup (again, "n1n-2");
  g_assert_cmpstr (kinema_provider_get_name (provider), ==, "Local");
  g_assert_cmpstr (kinema_provider_get_base_url (provider), ==, "http://127.0.0.1:8080/v");
  g_assert_cmpint (kinema_provider_get_api_style (provider), ==, KINEMA_API_STYLE_OPENAI_VIDEOS);
  g_assert_cmpstr (kinema_provider_get_preset_id (provider), ==, "custom");

  /* order is kept: demo, kling, n1n, n1n-2 */
  {
    g_autoptr(KinemaProvider) second = g_list_model_get_item (G_LIST_MODEL (again), 1);
    g_autoptr(KinemaProvider) fourth = g_list_model_get_item (G_LIST_MODEL (again), 3);

    g_assert_cmpstr (kinema_provider_get_id (second), ==, "kling");
    g_assert_cmpstr (kinema_provider_get_id (fourth), ==, "n1n-2");
    g_assert_null (g_list_model_get_item (G_LIST_MODEL (again), 4));
  }

  /* the last used one is the default, even without a key */
  g_assert_true (kinema_provider_registry_get_default (again) == provider);

  /* removing it: the default falls back */
  kinema_provider_registry_remove (again, provider);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 3);
  g_assert_null (kinema_provider_registry_lookup (again, "n1n-2"));
  g_assert_true (kinema_provider_registry_get_default (again) == kinema_provider_registry_get_demo (again));
}

static void
on_provider_changed (KinemaProviderRegistry *registry,
                     KinemaProvider         *provider,
                     gpointer                user_data)
{
  GPtrArray *changed = user_data;

  g_ptr_array_add (changed, provider);
}

/* A provider edited in place (as Preferences does) is announced with "provider-changed";
 * its keys are not, and a removed or reloaded-away provider is no longer followed. */
static void
test_registry_provider_changed (void)
{
  g_autofree char *dir = config_dir ();
  g_autoptr(KinemaProviderRegistry) registry = kinema_provider_registry_new (dir);
  g_autoptr(GPtrArray) changed = g_ptr_array_new ();
  g_autoptr(KinemaProvider) kling = NULL;
  g_autoptr(GError) error = NULL;
  KinemaProvider *loaded;

  clear_env ();
  g_signal_connect (registry, "provider-changed", G_CALLBACK (on_provider_changed), changed);
  kling = g_object_ref (kinema_provider_registry_ensure_preset (registry, "kling"));
  g_assert_cmpuint (changed->len, ==, 0);

  /* official Kling to a gateway's style, and back */
  kinema_provider_set_api_style (kling, KINEMA_API_STYLE_VIDEO_GENERATIONS);
  g_assert_cmpuint (changed->len, ==, 1);
  g_assert_true (g_ptr_array_index (changed, 0) == kling);
  kinema_provider_set_api_style (kling, KINEMA_API_STYLE_KLING);
  kinema_provider_set_base_url (kling, "https://api-beijing.klingai.com");
  kinema_provider_set_name (kling, "Kling Beijing");
  g_assert_cmpuint (changed->len, ==, 4);
  /* the same value again changes nothing */
  kinema_provider_set_api_style (kling, KINEMA_API_STYLE_KLING);
  g_assert_cmpuint (changed->len, ==, 4);

  /* keys are no setting of the provider's */
  kinema_provider_set_kling_keys (kling, "AK-test", "SK-test");
  g_assert_cmpuint (changed->len, ==, 4);

  /* saved and loaded again: the loaded provider is followed, not the old one */
  g_assert_true (kinema_provider_registry_save (registry, &error));
  g_assert_no_error (error);
  g_assert_true (kinema_provider_registry_load (registry, &error));
  g_assert_no_error (error);
  loaded = kinema_provider_registry_lookup (registry, "kling");
  g_assert_true (loaded != kling);
  kinema_provider_set_api_style (kling, KINEMA_API_STYLE_VIDEO_GENERATIONS);
  g_assert_cmpuint (changed->len, ==, 4);
  kinema_provider_set_api_style (loaded, KINEMA_API_STYLE_VIDEO_GENERATIONS);
  g_assert_cmpuint (changed->len, ==, 5);
  g_assert_true (g_ptr_array_index (changed, 4) == loaded);

  /* removed: no longer followed */
  g_object_ref (loaded);
  kinema_provider_registry_remove (registry, loaded);
  kinema_provider_set_api_style (loaded, KINEMA_API_STYLE_KLING);
  g_assert_cmpuint (changed->len, ==, 5);

  /* and none after the registry is gone */
  g_clear_object (&registry);
  kinema_provider_set_api_style (loaded, KINEMA_API_STYLE_VIDEO_GENERATIONS);
  g_assert_cmpuint (changed->len, ==, 5);
  g_object_unref (loaded);
}

static void
test_registry_default_selection (void)
{
  g_autofree char *dir = config_dir ();
  g_autoptr(KinemaProviderRegistry) registry = kinema_provider_registry_new (dir);
  g_autoptr(KinemaProvider) gone = NULL;
  KinemaProvider *kling;
  KinemaProvider *n1n;
  KinemaProvider *xiexus;

  clear_env ();

  kling = kinema_provider_registry_ensure_preset (registry, "kling");
  n1n = kinema_provider_registry_ensure_preset (registry, "n1n");
  xiexus = kinema_provider_registry_ensure_preset (registry, "xiexus");
  g_assert_true (kinema_provider_registry_get_default (registry) == kinema_provider_registry_get_demo (registry));

  kinema_provider_set_api_key (xiexus, "sk-x");
  g_assert_true (kinema_provider_registry_get_default (registry) == xiexus);

  kinema_provider_set_api_key (n1n, "sk-n");
  g_assert_true (kinema_provider_registry_get_default (registry) == n1n);

  kinema_provider_registry_set_default (registry, kling);
  g_assert_true (kinema_provider_registry_get_default (registry) == kling);

  /* a last-used id that no longer exists is ignored */
  gone = kinema_provider_new ("gone", "Gone", NULL, KINEMA_API_STYLE_KLING, KINEMA_AUTH_BEARER);
  kinema_provider_registry_set_default (registry, gone);
  g_assert_true (kinema_provider_registry_get_default (registry) == n1n);
}

static void
test_registry_env_override (void)
{
  g_autofree char *dir = config_dir ();
  g_autoptr(KinemaProviderRegistry) registry = kinema_provider_registry_new (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *bearer = NULL;
  g_autofree char *jwt = NULL;
  g_autofree char *issuer = NULL;
  KinemaProvider *kling;
  KinemaProvider *n1n;

  clear_env ();
  kinema_provider_registry_ensure_preset (registry, "kling");
  kinema_provider_registry_ensure_preset (registry, "n1n");
  g_assert_true (kinema_provider_registry_save (registry, &error));
  g_clear_object (&registry);

  g_setenv ("KINEMA_API_KEY", "sk-from-env", TRUE);
  g_setenv ("KINEMA_ACCESS_KEY", "AK-env", TRUE);
  g_setenv ("KINEMA_SECRET_KEY", "SK-env", TRUE);

  registry = kinema_provider_registry_new (dir);
  g_assert_true (kinema_provider_registry_load (registry, &error));
  g_assert_no_error (error);

  n1n = kinema_provider_registry_lookup (registry, "n1n");
  bearer = kinema_provider_dup_authorization (n1n, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bearer, ==, "Bearer sk-from-env");

  kling = kinema_provider_registry_lookup (registry, "kling");
  jwt = kinema_provider_dup_authorization (kling, &error);
  g_assert_no_error (error);
  g_assert_true (kinema_jwt_verify (jwt + strlen ("Bearer "), "SK-env",
                                    g_get_real_time () / G_USEC_PER_SEC, &issuer, &error));
  g_assert_cmpstr (issuer, ==, "AK-env");

  /* the demo keeps its own key */
  {
    g_autofree char *demo = kinema_provider_dup_authorization (kinema_provider_registry_get_demo (registry), NULL);

    g_assert_cmpstr (demo, ==, "Bearer " KINEMA_PROVIDER_DEMO_KEY);
  }

  /* A second bearer gateway never gets the first one's key (issue 15, point 4)... */
  g_assert_false (kinema_provider_get_has_credentials (kinema_provider_registry_ensure_preset (registry, "xiexus")));
  g_assert_true (kinema_provider_registry_get_default (registry) == kling);
  /* ...unless a command names it: then the other one loses it. */
  kinema_provider_registry_set_env_provider (registry, "xiexus");
  g_assert_true (kinema_provider_get_has_credentials (kinema_provider_registry_lookup (registry, "xiexus")));
  g_assert_false (kinema_provider_get_has_credentials (n1n));
  g_assert_false (kinema_provider_get_has_credentials (kling));
  g_assert_true (kinema_provider_registry_save (registry, &error));

  /* Two bearer gateways and nothing named: the key is for neither. */
  g_clear_object (&registry);
  registry = kinema_provider_registry_new (dir);
  g_assert_true (kinema_provider_registry_load (registry, &error));
  g_assert_false (kinema_provider_get_has_credentials (kinema_provider_registry_lookup (registry, "n1n")));
  g_assert_false (kinema_provider_get_has_credentials (kinema_provider_registry_lookup (registry, "xiexus")));
  g_assert_true (kinema_provider_get_has_credentials (kinema_provider_registry_lookup (registry, "kling")));

  /* KINEMA_PROVIDER names it. */
  g_setenv ("KINEMA_PROVIDER", "xiexus", TRUE);
  g_clear_object (&registry);
  registry = kinema_provider_registry_new (dir);
  g_assert_true (kinema_provider_registry_load (registry, &error));
  g_assert_false (kinema_provider_get_has_credentials (kinema_provider_registry_lookup (registry, "n1n")));
  g_assert_true (kinema_provider_get_has_credentials (kinema_provider_registry_lookup (registry, "xiexus")));
  g_unsetenv ("KINEMA_PROVIDER");

  /* only an access key: Kling providers stay without credentials */
  g_clear_object (&registry);
  registry = kinema_provider_registry_new (dir);
  kinema_provider_registry_set_env_provider (registry, "n1n");
  g_unsetenv ("KINEMA_SECRET_KEY");
  g_assert_true (kinema_provider_registry_load (registry, &error));
  g_assert_false (kinema_provider_get_has_credentials (kinema_provider_registry_lookup (registry, "kling")));
  g_assert_true (kinema_provider_get_has_credentials (kinema_provider_registry_lookup (registry, "n1n")));

  clear_env ();
}

static void
test_registry_bad_file (void)
{
  g_autofree char *dir = config_dir ();
  g_autofree char *path = g_build_filename (dir, "providers.ini", NULL);
  g_autoptr(KinemaProviderRegistry) registry = kinema_provider_registry_new (dir);
  g_autoptr(GError) error = NULL;
  KinemaProvider *provider;

  clear_env ();
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);

  /* unknown values fall back to the preset, bad ids are skipped */
  g_assert_true (g_file_set_contents (path,
                                      "[general]\ndefault=xiexus\n"
                                      "[provider:xiexus]\npreset=xiexus\napi-style=teleport\nauth=magic\n"
                                      "[provider:bad/../id]\nname=Bad\n"
                                      "[provider:xiexus]\nname=Twice\n"
                                      "[other]\nx=1\n",
                                      -1, NULL));
  g_assert_true (kinema_provider_registry_load (registry, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 2);
  provider = kinema_provider_registry_lookup (registry, "xiexus");
  g_assert_cmpstr (kinema_provider_get_base_url (provider), ==, "https://api.xiexus.cn/kling");
  g_assert_cmpint (kinema_provider_get_api_style (provider), ==, KINEMA_API_STYLE_KLING);
  g_assert_cmpint (kinema_provider_get_auth_kind (provider), ==, KINEMA_AUTH_BEARER);
  g_assert_true (kinema_provider_registry_get_default (registry) == provider);

  /* a file that is not a key file: an error, and only the demo */
  g_assert_true (g_file_set_contents (path, "this is not\x01 a key file\n[", -1, NULL));
  g_assert_false (kinema_provider_registry_load (registry, &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_DISK);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 1);
  g_clear_error (&error);

  /* saving into a place that is a file fails with a clear error */
  {
    g_autofree char *blocker = g_build_filename (g_get_user_cache_dir (), "blocker", NULL);
    g_autoptr(KinemaProviderRegistry) blocked = NULL;
    g_autofree char *inside = g_build_filename (blocker, "kinema", NULL);

    g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
    g_assert_true (g_file_set_contents (blocker, "x", -1, NULL));
    blocked = kinema_provider_registry_new (inside);
    g_assert_false (kinema_provider_registry_save (blocked, &error));
    g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_DISK);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/kinema/provider-registry/presets", test_registry_presets);
  g_test_add_func ("/kinema/provider-registry/demo-always-present", test_registry_demo_always_present);
  g_test_add_func ("/kinema/provider-registry/round-trip", test_registry_round_trip);
  g_test_add_func ("/kinema/provider-registry/provider-changed", test_registry_provider_changed);
  g_test_add_func ("/kinema/provider-registry/default-selection", test_registry_default_selection);
  g_test_add_func ("/kinema/provider-registry/env-override", test_registry_env_override);
  g_test_add_func ("/kinema/provider-registry/bad-file", test_registry_bad_file);

  return g_test_run ();
}
