/*
 * access.c - property types and access by class and property name, from
 * the catalogue (catalog.gen.h), for the Put checks and WQL literals.
 */
#include "internal.h"

#include <string.h>

static const rdms_class *
prop_of(const char *cls, const char *prop, int *i)
{
	const rdms_class *c = cls ? rdms_catalog_class(cls) : NULL;

	*i = c && prop ? rdms_class_property_index(c, prop) : -1;
	return c;
}

int
rdms__property_writable(const char *cls, const char *prop)
{
	int i;
	const rdms_class *c = prop_of(cls, prop, &i);

	return i < 0 ? -1 : rdms_class_property_writable(c, (size_t)i);
}

int
rdms__property_key(const char *cls, const char *prop)
{
	int i;
	const rdms_class *c = prop_of(cls, prop, &i);

	return i >= 0 && rdms_class_property_key(c, (size_t)i);
}

const char *
rdms__property_type(const char *cls, const char *prop)
{
	int i;
	const rdms_class *c = prop_of(cls, prop, &i);

	return i < 0 ? NULL : rdms_class_property_type(c, (size_t)i);
}

int
rdms__class_properties_known(const char *cls)
{
	return cls && rdms_catalog_class(cls) != NULL;
}
