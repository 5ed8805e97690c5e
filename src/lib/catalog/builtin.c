/*
 * Access to the catalog files compiled into the library, so a fresh store
 * can be initialised without the source tree. The bytes come from
 * build/gen/catalogs_data.c, made from the JSON files in catalogs/ by tools/embed.c.
 */
#include "catalog_internal.h"
#include "core/core.h"

size_t aims_catalog_builtin_count(void)
{
	return aims__builtin_catalog_count;
}

int aims_catalog_builtin(size_t i, const char **name, const char **data, size_t *len)
{
	if (i >= aims__builtin_catalog_count)
		return aims__err(AIMS_ENOTFOUND, "no built-in catalog %zu", i);
	*name = aims__builtin_catalogs[i].name;
	*data = (const char *)aims__builtin_catalogs[i].data;
	*len = aims__builtin_catalogs[i].len;
	return 0;
}
