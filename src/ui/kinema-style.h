/* kinema-style.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The widgets' own style sheets: each widget loads its CSS from the resources
 * itself, so that it looks the same without the application (tests) as with it.
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Adds the style sheet at @resource_path (under RESOURCE_PREFIX) to the default
 * display, once per process however many widgets ask; nothing without a display. */
void kinema_style_ensure (const char *resource_path);

G_END_DECLS
