/*
 * aims card: model cards, dataset datasheets and AI system technical
 * documentation from the inventory, in Markdown on standard output or as
 * self-contained HTML (--html FILE). The library's card.* operations write
 * them; the command asks for Markdown unless --json or --html is given.
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"

const cli_opt cmd_card_opts[] = {
	{ "html", "FILE", "write a self-contained HTML page to FILE instead of Markdown to standard output",
	  OPT_VALUE | OPT_FORMAT },
	{ NULL, NULL, NULL, 0 }
};

int cmd_card_prepare(cli_ctx *ctx, json_t *req)
{
	if (ctx->json || cli_get(ctx, "html"))
		return EXIT_OK;
	if (json_object_set_new(req, "format", json_string("markdown")) < 0)
		return cli_fail(AIMS_ENOMEM);
	return EXIT_OK;
}

int cmd_card_render(cli_ctx *ctx, const aims_op_result *res)
{
	/* called once the HTML page is written to the file given: nothing more to say */
	(void)ctx;
	(void)res;
	return EXIT_OK;
}
