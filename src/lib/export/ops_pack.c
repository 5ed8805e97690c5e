/*
 * The evidence pack operation (aims pack; GET /api/v1/pack): docs/audit.md.
 * The JSON document is the pack's manifest; the format "tar" is the whole
 * pack as one ustar archive. Verifying a pack is offline work on files
 * (aims pack verify, aims_pack_verify) and needs no store; pack.verify
 * (POST /api/v1/packs/verify) does it for a tar file sent to the API.
 */
#include <stdio.h>
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

/* the most a pack sent to the API may hold (the server's body limit is lower by default) */
#define MAX_PACK_BYTES ((size_t)1 << 30)

/*
 * Verify a pack sent as the request body (a tar file, as `aims pack --tar`
 * makes it, or the multipart part "pack"): the document of `aims pack
 * verify --json`. A pack that fails is a finding, not an error: {"ok":
 * false, "error"} with the outcome AIMS_ETAMPERED (HTTP 200 with
 * "Aims-Outcome: tampered"). Nothing is read from or written to the store.
 */
static int op_pack_verify(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const char *name = NULL;
	FILE *in = aims_op_input(ctx, "pack", &name);
	const json_t *vk = json_object_get(req, "vkey");
	const char *keys[16];
	size_t nk = json_array_size(vk);
	aims_buf b;
	aims_pack *pack = NULL;
	aims_pack_verify_stats st;
	char chunk[65536];
	size_t n;
	int err = 0;

	if (!in) {
		aims__err_set(AIMS_EINVALID, "pack: required: the pack as a tar file (the request body, or the "
			      "multipart/form-data part 'pack')");
		aims__err_set_field("pack");
		return AIMS_EINVALID;
	}
	if (nk > sizeof(keys) / sizeof(keys[0])) {
		aims__err_set(AIMS_EINVALID, "vkey: at most 16 verifier keys");
		aims__err_set_field("vkey");
		return AIMS_EINVALID;
	}
	for (size_t i = 0; i < nk; i++)
		keys[i] = json_string_value(json_array_get(vk, i));
	aims_buf_init(&b, MAX_PACK_BYTES);
	while (err >= 0 && (n = fread(chunk, 1, sizeof(chunk), in)) > 0)
		err = aims_buf_put(&b, chunk, n);
	if (err >= 0 && ferror(in))
		err = aims__err(AIMS_ERROR, "%s: read error", name);
	if (err < 0)
		goto done;
	if ((err = aims_pack_from_tar(&pack, b.ptr ? b.ptr : "", b.len, name)) < 0) {
		aims__err_set_field("pack");
		goto done;
	}
	memset(&st, 0, sizeof(st));
	err = aims_pack_verify(&st, pack, keys, nk);
	if (err < 0 && err != AIMS_ETAMPERED)
		goto done;
	if (!(res->json = aims_pack_verify_result(err, &st, nk == 0))) {
		err = aims__oom();
		goto done;
	}
	if (err == AIMS_ETAMPERED) {
		res->outcome = AIMS_ETAMPERED;
		if (!(res->message = aims__strdup(aims_error_last()))) {
			err = aims__oom();
			goto done;
		}
	}
	err = 0;
done:
	aims_pack_free(pack);
	aims_buf_release(&b);
	return err;
}

static const aims_op_field f_pack_verify[] = {
	{ "pack", AIMS_FT_INPUT, 0, "FILE", "the pack as one tar file ('aims pack --tar'): the request body or the "
	  "multipart/form-data part of this name (required)", NULL },
	{ "vkey", AIMS_FT_LIST, 0, "VKEY",
	  "a verifier key to trust (name+keyid+base64; repeatable; default: the pack's own vkey.txt)", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};

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
	{ "pack.verify", NULL, "POST", "/packs/verify", "read", AIMS_OP_NOCLI | AIMS_OP_STORE_OPTIONAL, f_pack_verify,
	  "verify an evidence pack (a tar file) offline: manifest signature, file digests, checkpoint, inclusion "
	  "proofs; writes nothing", NULL, NULL, NULL, op_pack_verify },
	{ NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL },
};
