/* kinema-jwt.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HS256 JSON Web Tokens for the official Kling API: header {"alg":"HS256","typ":"JWT"},
 * claims {"iss": access key, "exp": now + 1800, "nbf": now - 5}, signed with the secret
 * key. Verification is used by the gateway simulator, which checks tokens the way
 * Kling does (error codes 1002, 1003, 1004).
 */

#define G_LOG_DOMAIN "kinema-jwt"

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "kinema-json.h"
#include "kinema-error.h"
#include "kinema-jwt.h"
#include "kinema-secret.h"

/**
 * kinema_base64url_encode:
 * @data: bytes
 * @len: length of @data
 *
 * Returns: (transfer full): RFC 4648 §5 base64url of @data, without padding
 */
char *
kinema_base64url_encode (const guchar *data,
                         gsize         len)
{
  char *b64 = g_base64_encode (data, len);
  gsize n = strlen (b64);

  for (gsize i = 0; i < n; i++)
    {
      if (b64[i] == '+')
        b64[i] = '-';
      else if (b64[i] == '/')
        b64[i] = '_';
    }
  while (n > 0 && b64[n - 1] == '=')
    b64[--n] = '\0';

  return b64;
}

/**
 * kinema_base64url_decode:
 * @text: base64url text, with or without padding
 * @out_len: (out): decoded length
 *
 * Returns: (transfer full) (nullable): the bytes, or %NULL when @text is not base64url
 */
guchar *
kinema_base64url_decode (const char *text,
                         gsize      *out_len)
{
  g_autoptr(GString) std = g_string_new (text);

  for (gsize i = 0; i < std->len; i++)
    {
      char c = std->str[i];
      if (c == '-')
        std->str[i] = '+';
      else if (c == '_')
        std->str[i] = '/';
      else if (!g_ascii_isalnum (c))
        return NULL;
    }
  if (std->len % 4 == 1)
    return NULL;
  while (std->len % 4 != 0)
    g_string_append_c (std, '=');

  return g_base64_decode (std->str, out_len);
}

static char *
hs256 (const char *secret_key,
       const char *signing_input)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256,
                                       (const guchar *) secret_key, strlen (secret_key));
  guint8 digest[32];
  gsize  digest_len = sizeof digest;
  char  *signature;

  g_hmac_update (hmac, (const guchar *) signing_input, -1);
  g_hmac_get_digest (hmac, digest, &digest_len);

  signature = kinema_base64url_encode (digest, digest_len);
  /* GHmac keeps its copy of the key inside GChecksum states that GLib frees without
   * wiping; what we hold ourselves is wiped. */
  kinema_secret_wipe (digest, sizeof digest);
  return signature;
}

static char *
encode_json_object (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autofree char *json = json_to_string (node, FALSE);

  return kinema_base64url_encode ((const guchar *) json, strlen (json));
}

/**
 * kinema_jwt_sign:
 * @access_key: Kling access key (becomes `iss`)
 * @secret_key: Kling secret key (the HMAC key)
 * @now_unix: the current time, in Unix seconds
 *
 * Returns: (transfer full): the compact JWT
 */
char *
kinema_jwt_sign (const char *access_key,
                 const char *secret_key,
                 gint64      now_unix)
{
  g_autoptr(JsonObject) header = json_object_new ();
  g_autoptr(JsonObject) claims = json_object_new ();
  g_autofree char *header_b64 = NULL;
  g_autofree char *claims_b64 = NULL;
  g_autofree char *signing_input = NULL;
  g_autoptr(KinemaSecret) signature = NULL;

  g_return_val_if_fail (access_key != NULL, NULL);
  g_return_val_if_fail (secret_key != NULL, NULL);

  json_object_set_string_member (header, "alg", "HS256");
  json_object_set_string_member (header, "typ", "JWT");
  json_object_set_string_member (claims, "iss", access_key);
  json_object_set_int_member (claims, "exp", now_unix + KINEMA_JWT_LIFETIME_S);
  json_object_set_int_member (claims, "nbf", now_unix - KINEMA_JWT_NOT_BEFORE_SKEW_S);

  header_b64 = encode_json_object (header);
  claims_b64 = encode_json_object (claims);
  signing_input = g_strconcat (header_b64, ".", claims_b64, NULL);
  signature = hs256 (secret_key, signing_input);

  return g_strconcat (signing_input, ".", signature, NULL);
}

static JsonObject *
decode_json_segment (const char *segment)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree guchar *bytes = NULL;
  gsize              len = 0;
  JsonNode          *root;

  bytes = kinema_base64url_decode (segment, &len);
  if (bytes == NULL || len == 0)
    return NULL;
  if (!kinema_json_parser_load (parser, (const char *) bytes, len, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return json_object_ref (json_node_get_object (root));
}

static gboolean
get_int_claim (JsonObject *claims,
               const char *name,
               gint64     *out)
{
  JsonNode *node = json_object_get_member (claims, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

/**
 * kinema_jwt_verify:
 * @token: a compact JWT
 * @secret_key: the key it must be signed with
 * @now_unix: the current time in Unix seconds
 * @out_issuer: (out) (optional): the `iss` claim
 * @error: a #GError
 *
 * Checks the signature, `alg`, `exp` and `nbf`. On failure @error is a
 * #KINEMA_ERROR_AUTH whose provider code is Kling's: 1002 (invalid),
 * 1003 (not yet valid) or 1004 (expired).
 */
gboolean
kinema_jwt_verify (const char *token,
                   const char *secret_key,
                   gint64      now_unix,
                   char      **out_issuer,
                   GError    **error)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(JsonObject) header = NULL;
  g_autoptr(JsonObject) claims = NULL;
  g_autofree char *signing_input = NULL;
  g_autofree char *expected = NULL;
  gint64           exp = 0;
  gint64           nbf = 0;

  g_return_val_if_fail (token != NULL, FALSE);
  g_return_val_if_fail (secret_key != NULL, FALSE);

  parts = g_strsplit (token, ".", -1);
  if (g_strv_length (parts) != 3 ||
      (header = decode_json_segment (parts[0])) == NULL ||
      (claims = decode_json_segment (parts[1])) == NULL ||
      g_strcmp0 (json_object_get_string_member_with_default (header, "alg", ""), "HS256") != 0)
    goto invalid;

  signing_input = g_strconcat (parts[0], ".", parts[1], NULL);
  expected = hs256 (secret_key, signing_input);
  if (strlen (expected) != strlen (parts[2]))
    goto invalid;
  {
    /* Constant-time comparison: a simulator does not need it, but the function is public. */
    guint diff = 0;
    for (gsize i = 0; expected[i] != '\0'; i++)
      diff |= (guint) (expected[i] ^ parts[2][i]);
    if (diff != 0)
      goto invalid;
  }

  if (!get_int_claim (claims, "exp", &exp) || !get_int_claim (claims, "nbf", &nbf))
    goto invalid;
  if (now_unix < nbf)
    {
      g_propagate_error (error, kinema_error_new (KINEMA_ERROR_AUTH, 401, "1003",
                                                  "Authorization is not active", NULL));
      return FALSE;
    }
  if (now_unix >= exp)
    {
      g_propagate_error (error, kinema_error_new (KINEMA_ERROR_AUTH, 401, "1004",
                                                  "Authorization has expired", NULL));
      return FALSE;
    }

  if (out_issuer != NULL)
    *out_issuer = g_strdup (json_object_get_string_member_with_default (claims, "iss", ""));
  return TRUE;

invalid:
  g_propagate_error (error, kinema_error_new (KINEMA_ERROR_AUTH, 401, "1002",
                                              "Authorization is invalid", NULL));
  return FALSE;
}
