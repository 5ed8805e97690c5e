/*
 * aims org show | set: the facts about the organization that reports use.
 */
#include <string.h>

#include "commands.h"

const cli_opt cmd_org_set_opts[] = {
	{ "name", "NAME", "the organization's name", OPT_VALUE },
	{ "sector", "SECTOR", "its sector, e.g. 'consumer lending'", OPT_VALUE },
	{ "country", "CODE", "its country as an ISO 3166-1 alpha-2 code, e.g. DE", OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

static const char *const facts[] = { "name", "sector", "country" };

static int check_country(const char *v)
{
	return strlen(v) == 2 && v[0] >= 'A' && v[0] <= 'Z' && v[1] >= 'A' && v[1] <= 'Z';
}

int cmd_org_set(cli_ctx *ctx)
{
	aims_store *store = NULL;
	int rc, err = 0, any = 0;

	for (size_t i = 0; i < 3; i++)
		if (cli_get(ctx, facts[i]))
			any = 1;
	if (!any)
		return cli_usage(ctx, "nothing to set: give --name, --sector or --country");
	const char *country = cli_get(ctx, "country");
	if (country && !check_country(country))
		return cli_usage(ctx, "--country '%s': expected a two-letter ISO 3166-1 code in capitals",
				 country);
	for (size_t i = 0; i < 3; i++) {
		const char *v = cli_get(ctx, facts[i]);
		if (v && !*v)
			return cli_usage(ctx, "--%s must not be empty", facts[i]);
		for (const char *p = v; p && *p; p++)
			if ((unsigned char)*p < 0x20)
				return cli_usage(ctx, "--%s must be one line of text without control characters", facts[i]);
	}
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_store_begin(store)) < 0)
		goto fail;
	for (size_t i = 0; i < 3; i++) {
		const char *v = cli_get(ctx, facts[i]);
		char key[32];
		snprintf(key, sizeof(key), "org.%s", facts[i]);
		if (v && (err = aims_store_setting_set(store, key, v)) < 0) {
			aims_store_rollback(store);
			goto fail;
		}
	}
	if ((err = aims_store_commit(store)) < 0)
		goto fail;
	rc = cli_after_write(store);
	aims_store_free(store);
	return rc;
fail:
	rc = cli_fail(err);
	aims_store_free(store);
	return rc;
}

int cmd_org_show(cli_ctx *ctx)
{
	aims_store *store = NULL;
	char *vals[3] = { NULL, NULL, NULL };
	int rc, err = 0;

	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	for (size_t i = 0; i < 3 && err == 0; i++) {
		char key[32];
		snprintf(key, sizeof(key), "org.%s", facts[i]);
		err = aims_store_setting_get(&vals[i], store, key);
	}
	if (err < 0) {
		rc = cli_fail(err);
	} else if (ctx->json) {
		json_t *o = json_object();
		for (size_t i = 0; o && i < 3; i++)
			json_object_set_new(o, facts[i], vals[i] ? json_string(vals[i]) : json_null());
		rc = cli_print_json(o);
	} else {
		for (size_t i = 0; i < 3; i++)
			printf("%-8s %s\n", facts[i], vals[i] ? vals[i] : "(not set)");
		rc = EXIT_OK;
	}
	for (size_t i = 0; i < 3; i++)
		free(vals[i]);
	aims_store_free(store);
	return rc;
}
