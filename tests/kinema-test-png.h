/* kinema-test-png.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void kinema_test_write_huge_png (const char *path,
                                 guint32     side);

G_END_DECLS
