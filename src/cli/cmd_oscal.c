/*
 * aims oscal export | import: OSCAL 1.1.2 documents (docs/oscal.md). The
 * documents are built by the oscal.* operations; this file writes them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

const cli_opt cmd_oscal_export_opts[] = {
	{ "out", "FILE", "write the document to FILE instead of standard output", OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

int cmd_oscal_render_export(cli_ctx *ctx, const aims_op_result *res)
{
	const char *path = cli_get(ctx, "out");
	char *text = json_dumps(res->json, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	int rc;
	if (!text) {
		fprintf(stderr, "error: out of memory\n");
		return EXIT_FAILURE_;
	}
	size_t n = strlen(text);
	if (!path) {
		fputs(text, stdout);
		fputc('\n', stdout);
		free(text);
		return EXIT_OK;
	}
	char *buf = malloc(n + 2);
	if (!buf) {
		free(text);
		fprintf(stderr, "error: out of memory\n");
		return EXIT_FAILURE_;
	}
	memcpy(buf, text, n);
	buf[n] = '\n';
	buf[n + 1] = '\0';
	free(text);
	if ((rc = cli_write_file(path, buf, n + 1)) == EXIT_OK) {
		const char *model = "";
		void *it = json_object_iter((json_t *)res->json);
		if (it)
			model = json_object_iter_key(it);
		if (strcmp(model, "bomFormat") == 0)
			printf("wrote %s (CycloneDX %s ML-BOM)\n", path,
			       json_string_value(json_object_get(res->json, "specVersion")));
		else
			printf("wrote %s (OSCAL %s)\n", path, model);
	}
	free(buf);
	return rc;
}

int cmd_oscal_render_import(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *o = res->json;
	const char *target = json_string_value(json_object_get(o, "target"));
	(void)ctx;
	if (target && strcmp(target, "isms") == 0)
		printf("imported ISMS state version %lld from the OSCAL %s %s: %lld controls, %lld excluded\n",
		       (long long)json_integer_value(json_object_get(o, "isms_version")),
		       json_string_value(json_object_get(o, "model")), json_string_value(json_object_get(o, "source")),
		       (long long)json_integer_value(json_object_get(o, "controls")),
		       (long long)json_integer_value(json_object_get(o, "excluded")));
	else
		printf("recorded the ISO/IEC 42001 SoA decisions of the OSCAL %s %s: %lld controls, %lld excluded\n",
		       json_string_value(json_object_get(o, "model")), json_string_value(json_object_get(o, "source")),
		       (long long)json_integer_value(json_object_get(o, "controls")),
		       (long long)json_integer_value(json_object_get(o, "excluded")));
	return EXIT_OK;
}
