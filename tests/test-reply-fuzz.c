/* test-reply-fuzz.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the libFuzzer entry point over random mutations of the reply fixtures,
 * so the reader is exercised by every build, not only clang ones.
 */

#include "config.h"

#include <glib.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

#define ITERATIONS 20000

static GPtrArray *
load_corpus (void)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "data", "replies", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  GPtrArray *corpus = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      char *contents = NULL;
      gsize len = 0;

      if (g_file_get_contents (path, &contents, &len, NULL))
        g_ptr_array_add (corpus, g_bytes_new_take (contents, len));
    }
  g_assert_cmpuint (corpus->len, >, 10);
  return corpus;
}

static void
mutate (GByteArray *buf,
        GRand      *rand)
{
  static const char * const tokens[] = {
    "\"", "{", "}", "[", "]", ",", ":", "null", "true", "-1", "1e309", "\"30%\"",
    "\"status\":", "\"data\":{", "\"task_status\":\"succeed\"", "\"progress\":", "\\u0000",
  };
  guint n = g_rand_int_range (rand, 1, 6);

  for (guint i = 0; i < n; i++)
    {
      guint op = g_rand_int_range (rand, 0, 4);
      guint pos = buf->len ? g_rand_int_range (rand, 0, buf->len) : 0;

      switch (op)
        {
        case 0: /* flip a byte */
          if (buf->len)
            buf->data[pos] = (guint8) g_rand_int_range (rand, 0, 256);
          break;
        case 1: /* cut */
          if (buf->len)
            g_byte_array_set_size (buf, pos);
          break;
        case 2: /* delete a range */
          if (buf->len)
            {
              guint count = g_rand_int_range (rand, 1, 16);

              g_byte_array_remove_range (buf, pos, MIN (count, buf->len - pos));
            }
          break;
        default: /* insert a token */
          {
            const char *tok = tokens[g_rand_int_range (rand, 0, G_N_ELEMENTS (tokens))];
            g_byte_array_set_size (buf, buf->len + strlen (tok));
            memmove (buf->data + pos + strlen (tok), buf->data + pos, buf->len - pos - strlen (tok));
            memcpy (buf->data + pos, tok, strlen (tok));
          }
          break;
        }
    }
}

static void
test_mutations (void)
{
  g_autoptr(GPtrArray) corpus = load_corpus ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());

  for (guint i = 0; i < ITERATIONS; i++)
    {
      GBytes *seed = g_ptr_array_index (corpus, g_rand_int_range (rand, 0, corpus->len));
      g_autoptr(GByteArray) buf = g_byte_array_new ();
      gsize len;
      const guint8 *data = g_bytes_get_data (seed, &len);

      g_byte_array_append (buf, data, len);
      mutate (buf, rand);
      g_assert_cmpint (LLVMFuzzerTestOneInput (buf->data, buf->len), ==, 0);
    }
}

static void
test_seeds (void)
{
  g_autoptr(GPtrArray) corpus = load_corpus ();

  for (guint i = 0; i < corpus->len; i++)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (g_ptr_array_index (corpus, i), &len);

      g_assert_cmpint (LLVMFuzzerTestOneInput (data, len), ==, 0);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/kinema/reply-fuzz/seeds", test_seeds);
  g_test_add_func ("/kinema/reply-fuzz/mutations", test_mutations);

  return g_test_run ();
}
