/*
 * The evidence pack operation (aims pack; GET /api/v1/pack): docs/audit.md.
 * The JSON document is the pack's manifest; the format "tar" is the whole
 * pack as one ustar archive. Verifying a pack is offline work on files
 * (aims pack verify, aims_pack_verify) and needs no store.
 */
#include <string.h>

#include "aims/op.h"
#include "aims/pack.h"
#include "core/core.h"
#include "op/op_internal.h"

static int op_pack_create(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_pack_options o = AIMS_PACK_OPTIONS_INIT;
	aims_pack *pack = NULL;
	const char *format = aims_req_str(req, "format");
	int err;
	o.system = aims_req_str(req, "system");
	o.as_of = aims_req_str(req, "as_of");
	if ((err = aims_pack_build(&pack, ctx->store, &o)) < 0)
		return err;
	if (format && strcmp(format, "tar") == 0) {
		err = aims_pack_tar(&res->body, pack);
		res->content_type = "application/x-tar";
	} else {
		for (size_t i = 0; i < pack->count; i++)
			if (strcmp(pack->files[i].path, "manifest.json") == 0) {
				json_error_t je;
				res->json = json_loadb((const char *)pack->files[i].data, pack->files[i].len, 0, &je);
			}
		if (!res->json)
			err = aims__oom();
	}
	aims_pack_free(pack);
	return err;
}

static const aims_op_field f_pack[] = {
	{ "system", AIMS_FT_STRING, 0, "SYSTEM", "only this AI system's records (and the organization's)", NULL },
	{ "as_of", AIMS_FT_DATE, 0, "DATE",
	  "prove the entries against the last checkpoint signed by the end of DATE (UTC)", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};

static const char *const tar_format[] = { "tar", NULL };

const aims_op aims__ops_pack[] = {
	{ "pack.create", "pack", "GET", "/pack", "read", 0, f_pack,
	  "make an evidence pack: records, reports, OSCAL, ledger entries with inclusion proofs, signed manifest",
	  NULL, NULL, tar_format, op_pack_create },
	{ NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL },
};
