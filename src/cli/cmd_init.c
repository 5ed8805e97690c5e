/*
 * aims init: create the store and load the framework catalogs, then the
 * crosswalks between them.
 */
#include "commands.h"

const cli_opt cmd_init_opts[] = {
	{ "catalogs", "DIR", "load the catalog files in DIR instead of the built-in ones", OPT_VALUE },
	{ "org", "NAME", "record the organization's name", OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

int cmd_init(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_catalog_load_result loaded = AIMS_CATALOG_LOAD_RESULT_INIT;
	const char *org = cli_get(ctx, "org");
	int rc, err;

	if ((rc = cli_open_store(&store, ctx, 1)) != 0)
		return rc;
	if ((err = aims_store_begin(store)) < 0 ||
	    (err = aims_catalog_load_all_ex(store, cli_get(ctx, "catalogs"), &loaded)) < 0 ||
	    (org && (err = aims_store_setting_set(store, "org.name", org)) < 0)) {
		rc = cli_fail(err);
		aims_store_rollback(store);
		goto done;
	}
	if ((err = aims_store_commit(store)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if ((rc = cli_after_write(store)) != EXIT_OK)
		goto done;
	/* "N framework catalogs loaded" stays one phrase: scripts look for it */
	printf("initialized %s store '%s' (schema %d): %zu framework catalogs loaded, %zu crosswalk%s loaded\n",
	       aims_store_backend(store), aims_store_location(store),
	       aims_store_schema_version(store), loaded.frameworks, loaded.crosswalks,
	       loaded.crosswalks == 1 ? "" : "s");
	rc = EXIT_OK;
done:
	aims_store_free(store);
	return rc;
}
