/* test-json.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The nesting guard in front of json-glib (issue 15, point 1): json-glib recurses
 * once per level, so ~300 KB of `[[[[` overflowed the stack of kinema-cli and the app.
 */

#include "config.h"

#include <string.h>

#include "kinema-error.h"
#include "kinema-json.h"
#include "kinema-reply.h"

#define DEEP_BYTES (300 * 1024)

static char *
deep_text (char        open,
           const char *prefix)
{
  gsize plen = strlen (prefix);
  char *text = g_malloc (plen + DEEP_BYTES + 1);

  memcpy (text, prefix, plen);
  memset (text + plen, open, DEEP_BYTES);
  text[plen + DEEP_BYTES] = '\0';
  return text;
}

static void
test_check_depth (void)
{
  g_assert_true (kinema_json_check_depth ("{}", -1, 1));
  g_assert_true (kinema_json_check_depth ("[[1],[2]]", -1, 2));
  g_assert_false (kinema_json_check_depth ("[[[1]]]", -1, 2));
  g_assert_false (kinema_json_check_depth ("{\"a\":{\"b\":{}}}", -1, 2));
  /* Brackets inside strings do not count; escaped quotes do not end a string. */
  g_assert_true (kinema_json_check_depth ("[\"[[[[{{{{\"]", -1, 1));
  g_assert_true (kinema_json_check_depth ("[\"\\\"[[[[\"]", -1, 1));
  g_assert_false (kinema_json_check_depth ("[\"\\\\\",[[1]]]", -1, 2));
  /* Closing brackets never make room for more than the limit. */
  g_assert_false (kinema_json_check_depth ("]]]]]][[[", -1, 2));
  /* The length is honoured: what follows it is not read. */
  g_assert_true (kinema_json_check_depth ("[[[[", 2, 2));
  g_assert_true (kinema_json_check_depth (NULL, 0, 0));
}

static void
test_parse (void)
{
  g_autofree char *deep = deep_text ('[', "");
  g_autofree char *deep_obj = deep_text ('{', "{\"a\":");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) ok = NULL;
  JsonNode *node;

  node = kinema_json_parse (deep, -1, &error);
  g_assert_null (node);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_BAD_REPLY);
  g_clear_error (&error);

  node = kinema_json_parse (deep_obj, -1, &error);
  g_assert_null (node);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_BAD_REPLY);
  g_clear_error (&error);

  ok = kinema_json_parse ("{\"data\":[[[[1]]]]}", -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (ok));

  node = kinema_json_parse ("", 0, &error);
  g_assert_null (node);
  g_assert_nonnull (error);
}

static void
test_deep_reply (void)
{
  g_autofree char *deep = deep_text ('[', "{\"code\":0,\"data\":");
  g_autoptr(GBytes) body = g_bytes_new (deep, strlen (deep));
  g_autoptr(KinemaRemoteStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (kinema_reply_parse_status (200, "application/json", body, &status, &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_BAD_REPLY);
  g_assert_null (status);
  g_clear_error (&error);

  g_assert_false (kinema_reply_parse_submit (200, "application/json", body, &status, &error));
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_BAD_REPLY);
  g_clear_error (&error);

  error = kinema_reply_parse_error (500, "application/json", body);
  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_SERVER);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kinema/json/check-depth", test_check_depth);
  g_test_add_func ("/kinema/json/parse", test_parse);
  g_test_add_func ("/kinema/json/deep-reply", test_deep_reply);
  return g_test_run ();
}
