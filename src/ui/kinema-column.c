/* kinema-column.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "kinema-column.h"

struct _KinemaColumn
{
  GtkWidget parent_instance;

  GtkWidget *child;
  int        natural_width;
};

static void kinema_column_buildable_init (GtkBuildableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KinemaColumn, kinema_column, GTK_TYPE_WIDGET, G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDABLE, kinema_column_buildable_init))

enum
{
  PROP_0,
  PROP_CHILD,
  PROP_NATURAL_WIDTH,
  N_PROPS
};

static GParamSpec        *properties[N_PROPS];
static GtkBuildableIface *parent_buildable_iface;

static void
kinema_column_measure (GtkWidget     *widget,
                       GtkOrientation orientation,
                       int            for_size,
                       int           *minimum,
                       int           *natural,
                       int           *minimum_baseline,
                       int           *natural_baseline)
{
  KinemaColumn *self = KINEMA_COLUMN (widget);
  int           child_min = 0;
  int           child_nat = 0;

  if (self->child != NULL && gtk_widget_should_layout (self->child))
    gtk_widget_measure (self->child, orientation, for_size, &child_min, &child_nat, NULL, NULL);

  *minimum = child_min;
  /* Across, the column's own width, whatever the child would like; down, the child's. */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *natural = MAX (child_min, self->natural_width);
  else
    *natural = child_nat;
}

static void
kinema_column_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  KinemaColumn *self = KINEMA_COLUMN (widget);

  if (self->child != NULL && gtk_widget_should_layout (self->child))
    gtk_widget_allocate (self->child, width, height, baseline, NULL);
}

static GtkSizeRequestMode
kinema_column_get_request_mode (GtkWidget *widget)
{
  KinemaColumn *self = KINEMA_COLUMN (widget);

  return self->child != NULL ? gtk_widget_get_request_mode (self->child) : GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

static void
kinema_column_compute_expand (GtkWidget *widget,
                              gboolean  *hexpand,
                              gboolean  *vexpand)
{
  KinemaColumn *self = KINEMA_COLUMN (widget);

  *hexpand = self->child != NULL && gtk_widget_compute_expand (self->child, GTK_ORIENTATION_HORIZONTAL);
  *vexpand = self->child != NULL && gtk_widget_compute_expand (self->child, GTK_ORIENTATION_VERTICAL);
}

static void
kinema_column_buildable_add_child (GtkBuildable *buildable,
                                   GtkBuilder   *builder,
                                   GObject      *child,
                                   const char   *type)
{
  if (GTK_IS_WIDGET (child))
    kinema_column_set_child (KINEMA_COLUMN (buildable), GTK_WIDGET (child));
  else
    parent_buildable_iface->add_child (buildable, builder, child, type);
}

static void
kinema_column_buildable_init (GtkBuildableIface *iface)
{
  parent_buildable_iface = g_type_interface_peek_parent (iface);
  iface->add_child = kinema_column_buildable_add_child;
}

static void
kinema_column_dispose (GObject *object)
{
  KinemaColumn *self = KINEMA_COLUMN (object);

  g_clear_pointer (&self->child, gtk_widget_unparent);

  G_OBJECT_CLASS (kinema_column_parent_class)->dispose (object);
}

static void
kinema_column_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  KinemaColumn *self = KINEMA_COLUMN (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      g_value_set_object (value, self->child);
      break;
    case PROP_NATURAL_WIDTH:
      g_value_set_int (value, self->natural_width);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kinema_column_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  KinemaColumn *self = KINEMA_COLUMN (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      kinema_column_set_child (self, g_value_get_object (value));
      break;
    case PROP_NATURAL_WIDTH:
      kinema_column_set_natural_width (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kinema_column_class_init (KinemaColumnClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kinema_column_dispose;
  object_class->get_property = kinema_column_get_property;
  object_class->set_property = kinema_column_set_property;

  widget_class->measure = kinema_column_measure;
  widget_class->size_allocate = kinema_column_size_allocate;
  widget_class->get_request_mode = kinema_column_get_request_mode;
  widget_class->compute_expand = kinema_column_compute_expand;

  properties[PROP_CHILD] =
      g_param_spec_object ("child", NULL, NULL, GTK_TYPE_WIDGET, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NATURAL_WIDTH] =
      g_param_spec_int ("natural-width", NULL, NULL, 0, G_MAXINT, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kinema_column_init (KinemaColumn *self)
{
}

GtkWidget *
kinema_column_new (void)
{
  return g_object_new (KINEMA_TYPE_COLUMN, NULL);
}

GtkWidget *
kinema_column_get_child (KinemaColumn *self)
{
  g_return_val_if_fail (KINEMA_IS_COLUMN (self), NULL);

  return self->child;
}

void
kinema_column_set_child (KinemaColumn *self,
                         GtkWidget    *child)
{
  g_return_if_fail (KINEMA_IS_COLUMN (self));
  g_return_if_fail (child == NULL || GTK_IS_WIDGET (child));

  if (self->child == child)
    return;
  g_clear_pointer (&self->child, gtk_widget_unparent);
  if (child != NULL)
    {
      self->child = child;
      gtk_widget_set_parent (child, GTK_WIDGET (self));
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHILD]);
}

int
kinema_column_get_natural_width (KinemaColumn *self)
{
  g_return_val_if_fail (KINEMA_IS_COLUMN (self), 0);

  return self->natural_width;
}

void
kinema_column_set_natural_width (KinemaColumn *self,
                                 int           natural_width)
{
  g_return_if_fail (KINEMA_IS_COLUMN (self));

  natural_width = MAX (natural_width, 0);
  if (self->natural_width == natural_width)
    return;
  self->natural_width = natural_width;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NATURAL_WIDTH]);
}
