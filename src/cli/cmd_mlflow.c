/*
 * aims mlflow import: models and runs from an MLflow model-versions search
 * response.
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"

int cmd_mlflow_import(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_mlflow_stats s;
	char *data = NULL;
	size_t len = 0;
	const char *path = ctx->args[0];
	int rc, err;
	if ((rc = cli_read_file(&data, &len, path, (size_t)1 << 30)) != EXIT_OK)
		return rc;
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		goto done;
	if ((err = aims_mlflow_import(&s, store, data, len, strcmp(path, "-") == 0 ? "standard input" : path)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if ((rc = cli_after_write(store)) != EXIT_OK)
		goto done;
	if (ctx->json)
		rc = cli_print_json(json_pack("{s:I, s:I, s:I}", "models", (json_int_t)s.models, "created",
					      (json_int_t)s.created, "runs", (json_int_t)s.runs));
	else
		printf("%zu model version%s: %zu new; %zu linked to runs\n", s.models, s.models == 1 ? "" : "s", s.created,
		       s.runs);
done:
	free(data);
	aims_store_free(store);
	return rc;
}
