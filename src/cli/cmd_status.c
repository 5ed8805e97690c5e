/*
 * aims status and aims version: the first report on a store, and versions.
 * The work and the JSON are the library's operations (status, version);
 * this file prints their results for people.
 */
#include <string.h>

#include "commands.h"

static const char *js(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "-";
}

static long long ji(const json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

int cmd_status_render(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *doc = res->json;
	const json_t *org = json_object_get(doc, "organization"), *store = json_object_get(doc, "store");
	const json_t *isms = json_object_get(doc, "isms"), *fws = json_object_get(doc, "frameworks");
	const char *name = json_string_value(json_object_get(org, "name"));
	const char *sector = json_string_value(json_object_get(org, "sector"));
	const char *country = json_string_value(json_object_get(org, "country"));
	size_t i;
	json_t *f;
	(void)ctx;

	printf("organization: %s", name ? name : "(not set: 'aims org set --name NAME')");
	if (sector || country)
		printf(" (%s%s%s)", sector ? sector : "", sector && country ? ", " : "", country ? country : "");
	printf("\nstore:        %s '%s', schema %lld\n", js(store, "backend"), js(store, "location"),
	       ji(store, "schema_version"));
	printf("content:      sha256:%s\n", js(store, "content_digest"));
	if (json_is_object(isms))
		printf("ISMS state:   version %lld, %lld rows from '%s' (%s)\n", ji(isms, "version"), ji(isms, "rows"),
		       js(isms, "source"), js(isms, "imported_at"));
	else
		printf("ISMS state:   none ('aims isms import FILE')\n");
	printf("crosswalks:   %lld\n\n", ji(doc, "crosswalks"));
	if (json_array_size(fws) == 0) {
		printf("no frameworks loaded (run 'aims init')\n");
		return EXIT_OK;
	}
	static const char *const hdr[] = { "FRAMEWORK", "VERSION", "REQS", "BY KIND" };
	cli_table *t = cli_table_new(4, hdr);
	json_array_foreach(fws, i, f) {
		char by[256] = "", n[32];
		size_t len = 0, k = 0;
		const char *kind;
		json_t *count;
		json_object_foreach(json_object_get(f, "kinds"), kind, count) {
			int w = snprintf(by + len, sizeof(by) - len, "%s%lld %s", k++ ? ", " : "",
					 (long long)json_integer_value(count), kind);
			if (w < 0 || (size_t)w >= sizeof(by) - len)
				break;
			len += (size_t)w;
		}
		snprintf(n, sizeof(n), "%lld", ji(f, "requirements"));
		const char *row[] = { js(f, "framework"), js(f, "version"), n, by };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	return EXIT_OK;
}

int cmd_version_render(cli_ctx *ctx, const aims_op_result *res)
{
	(void)ctx;
	printf("aims %s (store schema %lld)\n", js(res->json, "version"), ji(res->json, "schema"));
	return EXIT_OK;
}
