/* test-jwt.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>
#include <json-glib/json-glib.h>

#include "kinema-error.h"
#include "kinema-jwt.h"
#include "kinema-secret.h"

static JsonObject *
decode_segment (const char *token,
                guint       index)
{
  g_auto(GStrv) parts = g_strsplit (token, ".", -1);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree guchar *bytes = NULL;
  gsize              len = 0;

  g_assert_cmpuint (g_strv_length (parts), ==, 3);
  bytes = kinema_base64url_decode (parts[index], &len);
  g_assert_nonnull (bytes);
  g_assert_true (json_parser_load_from_data (parser, (const char *) bytes, len, NULL));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_jwt_claims (void)
{
  g_autofree char *token = kinema_jwt_sign ("AK-test", "SK-test", 1760000000);
  g_autoptr(JsonObject) header = decode_segment (token, 0);
  g_autoptr(JsonObject) claims = decode_segment (token, 1);

  g_assert_null (strchr (token, '='));
  g_assert_null (strchr (token, '+'));
  g_assert_null (strchr (token, '/'));
  g_assert_cmpstr (json_object_get_string_member (header, "alg"), ==, "HS256");
  g_assert_cmpstr (json_object_get_string_member (header, "typ"), ==, "JWT");
  g_assert_cmpstr (json_object_get_string_member (claims, "iss"), ==, "AK-test");
  g_assert_cmpint (json_object_get_int_member (claims, "exp"), ==, 1760000000 + 1800);
  g_assert_cmpint (json_object_get_int_member (claims, "nbf"), ==, 1760000000 - 5);
}

/* A known-answer test: HMAC-SHA256 of the signing input computed independently
 * (python3 -c 'import hmac,hashlib,base64; …'), so a regression in our
 * base64url or HMAC use cannot pass by verifying against itself. */
static void
test_jwt_known_signature (void)
{
  g_autofree char *token = kinema_jwt_sign ("AK", "SK", 1700000000);
  const char      *expected =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
      "eyJpc3MiOiJBSyIsImV4cCI6MTcwMDAwMTgwMCwibmJmIjoxNjk5OTk5OTk1fQ.";

  g_assert_true (g_str_has_prefix (token, expected));
  g_assert_cmpstr (token + strlen (expected), ==, "mAaHfmgCr0cKr-oz_vppELfg8HZrV4ZnS5b5Wta7-EI");
}

static void
test_jwt_verify (void)
{
  g_autofree char *token = kinema_jwt_sign ("AK-test", "SK-test", 1760000000);
  g_autofree char *issuer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tampered = NULL;

  g_assert_true (kinema_jwt_verify (token, "SK-test", 1760000000, &issuer, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (issuer, ==, "AK-test");

  /* wrong key */
  g_assert_false (kinema_jwt_verify (token, "SK-other", 1760000000, NULL, &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_AUTH);
  g_assert_cmpstr (kinema_error_get_details (error)->provider_code, ==, "1002");
  g_clear_error (&error);

  /* expired */
  g_assert_false (kinema_jwt_verify (token, "SK-test", 1760000000 + 1800, NULL, &error));
  g_assert_cmpstr (kinema_error_get_details (error)->provider_code, ==, "1004");
  g_clear_error (&error);

  /* not yet valid */
  g_assert_false (kinema_jwt_verify (token, "SK-test", 1760000000 - 6, NULL, &error));
  g_assert_cmpstr (kinema_error_get_details (error)->provider_code, ==, "1003");
  g_clear_error (&error);

  /* tampered payload */
  tampered = g_strdup (token);
  tampered[strchr (tampered, '.') - tampered + 3] ^= 1;
  g_assert_false (kinema_jwt_verify (tampered, "SK-test", 1760000000, NULL, &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_AUTH);
  g_clear_error (&error);

  g_assert_false (kinema_jwt_verify ("not-a-token", "SK-test", 1760000000, NULL, &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_AUTH);
}

static void
test_base64url_roundtrip (void)
{
  const guchar data[] = { 0xfb, 0xff, 0xfe, 0x00, 0x3e, 0x3f };

  for (gsize n = 0; n <= sizeof data; n++)
    {
      g_autofree char   *text = kinema_base64url_encode (data, n);
      g_autofree guchar *back = NULL;
      gsize              len = 0;

      back = kinema_base64url_decode (text, &len);
      g_assert_cmpmem (back, len, data, n);
    }
  g_assert_null (kinema_base64url_decode ("a+b", NULL));
}

/* Issue 15, point 9: what held a secret is zeroed; the wipe covers every byte, and
 * kinema_secret_free() and the autoptr take NULL. */
static void
test_secret_wipe (void)
{
  char secret[] = "sk-DO-NOT-KEEP-0123456789";
  char zeros[sizeof secret] = { 0 };

  kinema_secret_wipe (secret, sizeof secret);
  g_assert_cmpmem (secret, sizeof secret, zeros, sizeof zeros);
  kinema_secret_wipe (NULL, 10);
  kinema_secret_free (NULL);
  kinema_secret_free (g_strdup ("Bearer sk-test"));
  {
    g_autoptr(KinemaSecret) autowiped = g_strdup ("Bearer sk-test");

    g_assert_cmpstr (autowiped, ==, "Bearer sk-test");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/kinema/jwt/claims", test_jwt_claims);
  g_test_add_func ("/kinema/jwt/known-signature", test_jwt_known_signature);
  g_test_add_func ("/kinema/jwt/verify", test_jwt_verify);
  g_test_add_func ("/kinema/jwt/base64url", test_base64url_roundtrip);
  g_test_add_func ("/kinema/secret/wipe", test_secret_wipe);
  return g_test_run ();
}
