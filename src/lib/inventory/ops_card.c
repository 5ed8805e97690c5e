/*
 * Operations that write cards (aims card; /api/v1/model/card,
 * /api/v1/dataset/card, /api/v1/systems/{name}/card): a model card, a
 * dataset's datasheet, an AI system's technical documentation. Formats
 * "markdown" and "html" give the document itself (the command line asks for
 * Markdown unless --json or --html); JSON wraps the Markdown:
 * {"card": "model"|"dataset"|"system", "subject", "markdown"}. Not cached:
 * the HTML page says when it was generated.
 */
#include <string.h>

#include "aims/op.h"
#include "inventory_internal.h"
#include "op/op_internal.h"

static int card(aims_op_result *res, aims_op_ctx *ctx, const json_t *req, const char *kind, const char *field,
		int (*fn)(aims_buf *, aims_store *, const char *, int))
{
	const char *fmt = aims_req_str(req, "format"), *subject = aims_req_str(req, field);
	int html = fmt && strcmp(fmt, "html") == 0, err;
	if ((err = fn(&res->body, ctx->store, subject, html)) < 0)
		return err;
	if (html) {
		res->content_type = "text/html; charset=utf-8";
	} else if (fmt && strcmp(fmt, "markdown") == 0) {
		res->content_type = "text/markdown; charset=utf-8";
	} else {
		res->json = json_pack("{s:s, s:s, s:s%}", "card", kind, "subject", subject, "markdown", res->body.ptr,
				      res->body.len);
		aims_buf_release(&res->body);
		if (!res->json)
			return aims__oom();
	}
	return 0;
}

static int op_card_model(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return card(res, ctx, req, "model", "ref", aims_card_model);
}

static int op_card_dataset(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return card(res, ctx, req, "dataset", "ref", aims_card_dataset);
}

static int op_card_system(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return card(res, ctx, req, "system", "name", aims_card_system);
}

static const aims_op_field f_card_model[] = {
	{ "ref", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_ARG, "REF", "the model: NAME@VER or NAME for the latest",
	  NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_card_dataset[] = {
	{ "ref", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_ARG, "REF",
	  "the dataset: NAME@VER, NAME for the latest, NAMESPACE#NAME[@VER]", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_card_system[] = {
	{ "name", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "NAME", "the AI system", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const char *const card_formats[] = { "markdown", "html", NULL };

const aims_op aims__ops_card[] = {
	{ "card.dataset", "card dataset", "GET", "/dataset/card", "read", 0, f_card_dataset,
	  "a dataset's datasheet: motivation, composition, collection, preprocessing, uses, distribution, maintenance",
	  NULL, NULL, card_formats, op_card_dataset },
	{ "card.model", "card model", "GET", "/model/card", "read", 0, f_card_model,
	  "a model card: identity, digests, training data and runs, artifact files, deployments", NULL, NULL,
	  card_formats, op_card_model },
	{ "card.system", "card system", "GET", "/systems/{name}/card", "read", 0, f_card_system,
	  "an AI system's technical documentation (ISO/IEC 42001 A.6.2.7)", NULL, NULL, card_formats, op_card_system },
	{ NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL },
};
