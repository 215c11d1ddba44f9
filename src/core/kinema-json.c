/* kinema-json.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kinema-error.h"
#include "kinema-json.h"

/**
 * kinema_json_check_depth:
 * @data: JSON text, not necessarily valid
 * @len: length of @data, or -1 if it is nul-terminated
 * @max_depth: the deepest nesting allowed
 *
 * Counts `[` and `{` outside strings (a backslash in a string escapes the next
 * byte) in one pass with constant memory. Broken JSON is left for the parser to
 * refuse; this only guards the parser's stack.
 *
 * Returns: %FALSE if arrays and objects nest deeper than @max_depth
 */
gboolean
kinema_json_check_depth (const char *data,
                         gssize      len,
                         guint       max_depth)
{
  gsize    n;
  guint    depth = 0;
  gboolean in_string = FALSE;

  if (data == NULL)
    return TRUE;
  n = len < 0 ? strlen (data) : (gsize) len;

  for (gsize i = 0; i < n; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '[':
        case '{':
          if (++depth > max_depth)
            return FALSE;
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;
        default:
          break;
        }
    }

  return TRUE;
}

static gboolean
check_depth (const char *data,
             gssize      len,
             GError    **error)
{
  if (kinema_json_check_depth (data, len, KINEMA_JSON_MAX_DEPTH))
    return TRUE;

  g_set_error (error, KINEMA_ERROR, KINEMA_ERROR_BAD_REPLY,
               "JSON nested more than %u levels deep", KINEMA_JSON_MAX_DEPTH);
  return FALSE;
}

/**
 * kinema_json_parser_load:
 * @parser: a #JsonParser
 * @data: JSON text from a server, a file or the user
 * @len: length of @data, or -1 if it is nul-terminated
 * @error: return location for a #GError
 *
 * json_parser_load_from_data() behind the nesting check.
 *
 * Returns: %TRUE if @parser now holds the parsed document
 */
gboolean
kinema_json_parser_load (JsonParser *parser,
                         const char *data,
                         gssize      len,
                         GError    **error)
{
  g_return_val_if_fail (JSON_IS_PARSER (parser), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  if (!check_depth (data, len, error))
    return FALSE;
  return json_parser_load_from_data (parser, data, len, error);
}

/**
 * kinema_json_parse:
 * @data: JSON text from a server, a file or the user
 * @len: length of @data, or -1 if it is nul-terminated
 * @error: return location for a #GError
 *
 * json_from_string() behind the nesting check, for a length-delimited buffer.
 *
 * Returns: (transfer full) (nullable): the root node, or %NULL with @error set
 */
JsonNode *
kinema_json_parse (const char *data,
                   gssize      len,
                   GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  g_return_val_if_fail (data != NULL, NULL);

  if (!kinema_json_parser_load (parser, data, len, error))
    return NULL;
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, KINEMA_ERROR, KINEMA_ERROR_BAD_REPLY, "empty JSON document");
      return NULL;
    }
  return json_parser_steal_root (parser);
}
