/* test-keyring.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * /kinema/keyring/offline/ runs without any D-Bus session (suite core);
 * /kinema/keyring/real/round-trip needs a session bus with an unlocked gnome-keyring
 * (suite ui, inside dbus-run-session) and skips without one.
 */

#include <string.h>

#include "kinema-error.h"
#include "kinema-keyring.h"
#include "kinema-provider-registry.h"
#include "test-util.h"

static char *session_bus_address;

static GAsyncResult *
wait_for_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
test_keyring_no_service (void)
{
  g_autoptr(KinemaProviderRegistry) registry = NULL;
  g_autoptr(KinemaProvider) provider = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) lookup_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *header = NULL;
  g_autofree char *config_dir = g_build_filename (g_get_user_config_dir (), "kinema", NULL);
  char *secret;

  /* the raw call */
  kinema_keyring_lookup_async ("n1n", KINEMA_KEYRING_KIND_API_KEY, NULL, test_result_cb, &lookup_result);
  secret = kinema_keyring_lookup_finish (wait_for_result (&lookup_result), &error);
  g_assert_null (secret);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_KEYRING);
  g_assert_nonnull (kinema_error_get_details (error));
  g_clear_error (&error);

  /* through the registry: the key stays usable in memory */
  registry = kinema_provider_registry_new (config_dir);
  g_assert_true (kinema_provider_registry_load (registry, &error));
  g_assert_no_error (error);
  g_assert_true (kinema_provider_registry_get_keyring_available (registry));

  provider = kinema_provider_new ("n1n", "n1n", "https://api.n1n.ai/kling",
                                  KINEMA_API_STYLE_KLING, KINEMA_AUTH_BEARER);
  kinema_provider_registry_add (registry, provider);
  kinema_provider_registry_store_keys_async (registry, provider, "sk-memory-only", NULL, NULL,
                                             test_result_cb, &result);
  g_assert_false (kinema_provider_registry_store_keys_finish (registry, wait_for_result (&result), &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_KEYRING);
  g_assert_null (strstr (error->message, "sk-memory-only"));
  g_clear_error (&error);

  g_assert_false (kinema_provider_registry_get_keyring_available (registry));
  g_assert_true (kinema_provider_get_has_credentials (provider));
  header = kinema_provider_dup_authorization (provider, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (header, ==, "Bearer sk-memory-only");

  /* loading keys fails the same way and leaves the in-memory key alone */
  g_clear_object (&result);
  kinema_provider_registry_load_keys_async (registry, NULL, test_result_cb, &result);
  g_assert_false (kinema_provider_registry_load_keys_finish (registry, wait_for_result (&result), &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_KEYRING);
  g_assert_true (kinema_provider_get_has_credentials (provider));

  /* the keys never reach the settings file */
  {
    g_autofree char *path = g_build_filename (config_dir, "providers.ini", NULL);
    g_autofree char *contents = NULL;

    g_clear_error (&error);
    g_assert_true (kinema_provider_registry_save (registry, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
    g_assert_null (strstr (contents, "sk-memory-only"));
  }
}

static void
test_keyring_cancelled (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  kinema_keyring_store_async ("n1n", KINEMA_KEYRING_KIND_API_KEY, "label", "sk-x", cancellable,
                              test_result_cb, &result);
  g_assert_false (kinema_keyring_store_finish (wait_for_result (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_keyring_round_trip (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  char *secret;

  if (session_bus_address == NULL)
    {
      g_test_skip ("No D-Bus session bus");
      return;
    }
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", session_bus_address, TRUE);

  id = g_strdup_printf ("test-%u", g_random_int ());

  kinema_keyring_store_async (id, KINEMA_KEYRING_KIND_API_KEY, "Kinema test key", "sk-round-trip",
                              NULL, test_result_cb, &result);
  if (!kinema_keyring_store_finish (wait_for_result (&result), &error))
    {
      g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_KEYRING);
      g_test_skip ("No unlocked Secret Service on the session bus");
      return;
    }
  g_clear_object (&result);

  kinema_keyring_lookup_async (id, KINEMA_KEYRING_KIND_API_KEY, NULL, test_result_cb, &result);
  secret = kinema_keyring_lookup_finish (wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "sk-round-trip");
  kinema_keyring_free_secret (secret);
  g_clear_object (&result);

  /* another kind of the same provider is not found */
  kinema_keyring_lookup_async (id, KINEMA_KEYRING_KIND_SECRET_KEY, NULL, test_result_cb, &result);
  secret = kinema_keyring_lookup_finish (wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_null (secret);
  g_clear_object (&result);

  kinema_keyring_clear_async (id, NULL, NULL, test_result_cb, &result);
  g_assert_true (kinema_keyring_clear_finish (wait_for_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  kinema_keyring_lookup_async (id, KINEMA_KEYRING_KIND_API_KEY, NULL, test_result_cb, &result);
  secret = kinema_keyring_lookup_finish (wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_null (secret);
  g_clear_object (&result);

  /* and through the registry: store, forget, load again */
  {
    g_autoptr(KinemaProviderRegistry) registry = kinema_provider_registry_new (NULL);
    g_autoptr(KinemaProvider) provider = kinema_provider_new (id, "Kling", "https://api-singapore.klingai.com",
                                                              KINEMA_API_STYLE_KLING, KINEMA_AUTH_KLING_JWT);

    g_unsetenv ("KINEMA_ACCESS_KEY");
    g_unsetenv ("KINEMA_SECRET_KEY");
    kinema_provider_registry_add (registry, provider);
    kinema_provider_registry_store_keys_async (registry, provider, "AK-rt", "SK-rt", NULL, test_result_cb, &result);
    g_assert_true (kinema_provider_registry_store_keys_finish (registry, wait_for_result (&result), &error));
    g_assert_no_error (error);
    g_assert_true (kinema_provider_registry_get_keyring_available (registry));
    g_clear_object (&result);

    kinema_provider_set_kling_keys (provider, NULL, NULL);
    g_assert_false (kinema_provider_get_has_credentials (provider));

    kinema_provider_registry_load_keys_async (registry, NULL, test_result_cb, &result);
    g_assert_true (kinema_provider_registry_load_keys_finish (registry, wait_for_result (&result), &error));
    g_assert_no_error (error);
    g_assert_true (kinema_provider_get_has_credentials (provider));
    g_clear_object (&result);

    kinema_keyring_clear_async (id, NULL, NULL, test_result_cb, &result);
    g_assert_true (kinema_keyring_clear_finish (wait_for_result (&result), &error));
  }
}

int
main (int   argc,
      char *argv[])
{
  /* no session bus and no X11 autolaunch unless a test asks for the real one */
  session_bus_address = g_strdup (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  g_unsetenv ("DISPLAY");
  g_unsetenv ("WAYLAND_DISPLAY");

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/kinema/keyring/real/round-trip", test_keyring_round_trip);
  g_test_add_func ("/kinema/keyring/offline/no-service", test_keyring_no_service);
  g_test_add_func ("/kinema/keyring/offline/cancelled", test_keyring_cancelled);

  return g_test_run ();
}
