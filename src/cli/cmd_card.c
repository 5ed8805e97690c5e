/*
 * aims card: model cards, dataset datasheets and AI system technical
 * documentation from the inventory, in Markdown or self-contained HTML.
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"

const cli_opt cmd_card_opts[] = {
	{ "html", "FILE", "write a self-contained HTML page to FILE instead of Markdown to standard output", OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

static int card(cli_ctx *ctx, int (*fn)(aims_buf *, aims_store *, const char *, int))
{
	aims_store *store = NULL;
	aims_buf out = AIMS_BUF_INIT;
	const char *html = cli_get(ctx, "html");
	int rc, err;
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = fn(&out, store, ctx->args[0], html != NULL)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (html) {
		rc = cli_write_file(html, out.ptr, out.len);
	} else {
		fwrite(out.ptr, 1, out.len, stdout);
		rc = EXIT_OK;
	}
done:
	aims_buf_release(&out);
	aims_store_free(store);
	return rc;
}

int cmd_card_dataset(cli_ctx *ctx)
{
	return card(ctx, aims_card_dataset);
}

int cmd_card_model(cli_ctx *ctx)
{
	return card(ctx, aims_card_model);
}

int cmd_card_system(cli_ctx *ctx)
{
	return card(ctx, aims_card_system);
}
