/*
 * The operations of the AI decision logs (docs/ledger.md): ingest bound to
 * the inventory (aims_ingest_decisions, the same path for `aims decision
 * ingest FILE` and `POST /api/v1/systems/{system}/decisions`), the list of
 * logs, their records, receipts, verification, recovery and pruning. The
 * JSON documents are built here; the CLI renders them for people
 * (src/cli/cmd_decision.c). `decision verify-receipt` is not an operation:
 * it needs no store, only a receipt and a verifier key the user trusts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aims/decision.h"
#include "aims/ingest.h"
#include "aims/ledger.h"
#include "aims/op.h"
#include "core/core.h"
#include "ledger/ledger_internal.h"
#include "oversight/stage.h"
#include "op/op_internal.h"

#define HTTP_LOG_PAGE 100      /* records of `decision log` over HTTP when no limit is given */
#define HTTP_LOG_PAGE_MAX 1000 /* and at most */

static int check_system(const char *system)
{
	if (!aims_decision_name_valid(system)) {
		aims__err_set(AIMS_EUSAGE, "'%.80s' is not a valid AI system name (1 to %d of A-Z a-z 0-9 . _ -)",
			      system ? system : "", AIMS_DECISION_NAME_MAX);
		aims__err_set_field("system");
		return AIMS_EUSAGE;
	}
	return 0;
}

/* ---- ingest ---- */

typedef struct {
	FILE *f;
	const char *name;
} file_source;

static int64_t file_read(void *buf, size_t len, void *arg)
{
	file_source *s = arg;
	size_t n = fread(buf, 1, len, s->f);
	if (n == 0 && ferror(s->f))
		return aims__err(AIMS_ERROR, "cannot read '%s'", s->name);
	return (int64_t)n;
}

static void on_progress(uint64_t records, void *arg)
{
	aims_op_ctx *ctx = arg;
	ctx->progress(ctx->progress_arg, "read", records);
}

static void on_ack(uint64_t size, void *arg)
{
	aims_op_ctx *ctx = arg;
	ctx->progress(ctx->progress_arg, "acked", size);
}

/*
 * The field of a bad record, from the ingest's message "'NAME' line N: KEY: ..." (or "line N: unknown
 * key 'KEY'"), so that a problem document names it as well as the line.
 */
static void name_record_field(void)
{
	const char *m = aims_error_last(), *p = strstr(m, " line ");
	char field[64];
	size_t n = 0;
	if (!p || aims_error_last_field()[0])
		return;
	p += 6;
	while (*p >= '0' && *p <= '9')
		p++;
	if (p[0] != ':' || p[1] != ' ')
		return;
	p += 2;
	if (strncmp(p, "unknown key '", 13) == 0) {
		p += 13;
		while (p[n] && p[n] != '\'' && n < sizeof(field) - 1)
			n++;
	} else {
		while ((p[n] == '_' || (p[n] >= 'a' && p[n] <= 'z')) && n < sizeof(field) - 1)
			n++;
		if (p[n] != ':')
			n = 0;
	}
	if (n == 0)
		return;
	memcpy(field, p, n);
	field[n] = '\0';
	aims__err_set_field(field);
}

static int op_ingest(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_ingest_options opts = AIMS_INGEST_OPTIONS_INIT;
	aims_ingest_result r;
	const char *system = aims_req_str(req, "system"), *key = ctx->idempotency_key;
	const char *name = ctx->input_name ? ctx->input_name : "<input>";
	char *note = NULL;
	size_t nlen = 0;
	aims_buf w = AIMS_BUF_INIT;
	int err, fd = ctx->input ? fileno(ctx->input) : -1;
	file_source src = { ctx->input, name };

	memset(&r, 0, sizeof(r));
	if ((err = check_system(system)) < 0)
		return err;
	if (key && (!*key || strlen(key) > 255)) {
		aims__err_set(AIMS_EUSAGE, "idempotency key: 1 to 255 characters");
		aims__err_set_field("idempotency_key");
		return AIMS_EUSAGE;
	}
	if (ctx->input_type && strstr(ctx->input_type, "gzip"))
		return aims__err(AIMS_EINVALID, "%s: decision records are NDJSON (application/x-ndjson), not gzip", name);
	opts.name = strcmp(name, "standard input") == 0 ? "<stdin>" : name;
	opts.idempotency_key = key;
	if (ctx->progress) {
		opts.on_progress = on_progress;
		opts.progress_arg = ctx;
		opts.on_ack = on_ack;
		opts.ack_arg = ctx;
	}
	/* a file (the CLI) is read with read(2) in large blocks; a memory stream (HTTP) through stdio */
	if (fd >= 0)
		err = aims_ingest_decisions_fd(&r, ctx->store, system, fd, &opts);
	else
		err = aims_ingest_decisions(&r, ctx->store, system, file_read, &src, &opts);
	if (err < 0) {
		if (err == AIMS_EINVALID)
			name_record_field();
		return err;
	}
	/* the decision log's signed checkpoint: the new tree size and root, for the client to keep */
	if (aims__decision_checkpoint_read(&note, &nlen, ctx->store, system) < 0) {
		aims_error_clear();
		note = NULL;
	}
	res->json = json_pack("{s:s, s:I, s:I, s:I, s:b, s:s, s:s?, s:b, s:I, s:o}", "system", system, "appended",
			      (json_int_t)r.appended, "first", (json_int_t)r.first, "size", (json_int_t)r.size,
			      "duplicate", r.duplicate, "batch_digest", r.digest, "idempotency_key", key, "checkpoint",
			      !r.checkpoint_error, "selected_for_review", (json_int_t)r.selected, "checkpoint_note",
			      note && !r.checkpoint_error ? json_stringn(note, nlen) : json_null());
	aims__free(note);
	if (!res->json) {
		aims_ingest_result_release(&r);
		return aims__oom();
	}
	if (r.duplicate &&
	    aims_buf_printf(&w, "already ingested: this batch (%s) is entries %llu to %llu of decision log %s; "
			    "nothing appended (size %llu)", r.digest, (unsigned long long)r.first,
			    (unsigned long long)(r.first + r.count - (r.count > 0)), system,
			    (unsigned long long)r.size) == 0)
		res->message = aims_buf_detach(&w, NULL);
	aims_buf_release(&w);
	/* committed: a checkpoint that could not be signed is a warning, not an error */
	if (r.checkpoint_error)
		aims_buf_printf(&w, "the records are committed, but the checkpoint of decision log %s was not signed: "
				"%s; the next write signs it", system, r.checkpoint_error);
	if (r.governance_error)
		aims_buf_printf(&w, "%sthe records are committed, but the governance log's checkpoint was not signed: "
				"%s; the next write signs it", w.len ? "\nwarning: " : "", r.governance_error);
	if (w.len)
		res->warning = aims_buf_detach(&w, NULL);
	aims_buf_release(&w);
	aims_ingest_result_release(&r);
	aims_error_clear();
	return 0;
}

/* ---- reads ---- */

static int op_list(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	char **names = NULL;
	size_t n = 0;
	json_t *a;
	int err;
	(void)req;
	if ((err = aims_decision_logs(&names, &n, ctx->store)) < 0)
		return err;
	a = json_array();
	for (size_t i = 0; a && i < n; i++)
		if (json_array_append_new(a, json_string(names[i])) < 0) {
			json_decref(a);
			a = NULL;
		}
	aims_decision_logs_free(names, n);
	if (!a || !(res->json = json_pack("{s:o}", "systems", a)))
		return aims__oom();
	return 0;
}

/* a read-only handle of the log; the signer when a key is recorded (opening may repair and sign) */
static int open_log(aims_decision_log **log, aims_note_signer **signer, aims_store *store, const char *system)
{
	aims_decision_options opts = AIMS_DECISION_OPTIONS_INIT;
	int err;
	*signer = NULL;
	if ((err = check_system(system)) < 0)
		return err;
	if (aims_ledger_signer(signer, store) < 0) {
		*signer = NULL;
		aims_error_clear();
	}
	opts.signer = *signer;
	return aims_decision_open(log, store, system, &opts);
}

static int record_json(uint64_t index, const char *data, size_t len, const uint8_t leaf[32], void *arg)
{
	json_t *arr = arg, *rec, *o;
	char hex[65];
	aims__hex(hex, leaf, 32);
	rec = data ? json_loadb(data, len, 0, NULL) : json_null();
	o = json_pack("{s:I, s:s, s:b, s:o}", "index", (json_int_t)index, "leaf_hash", hex, "pruned", data == NULL,
		      "record", rec ? rec : json_null());
	if (!o || json_array_append_new(arr, o) != 0)
		return AIMS_ENOMEM;
	return 0;
}

/* the text form: each record's index, a tab and its canonical bytes (a pruned one: its leaf hash) */
static int record_text(uint64_t index, const char *data, size_t len, const uint8_t leaf[32], void *arg)
{
	aims_buf *b = arg;
	char hex[65];
	if (data)
		return aims_buf_printf(b, "%llu\t%.*s\n", (unsigned long long)index, (int)len, data) < 0 ? AIMS_ENOMEM : 0;
	aims__hex(hex, leaf, 32);
	return aims_buf_printf(b, "%llu\tpruned (leaf hash %s)\n", (unsigned long long)index, hex) < 0 ? AIMS_ENOMEM : 0;
}

static const char *const text_format[] = { "text", NULL };

static int op_log(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_decision_log *log = NULL;
	aims_note_signer *signer = NULL;
	const char *system = aims_req_str(req, "system");
	int64_t from = aims_req_int(req, "from", 0), limit = aims_req_int(req, "limit", 0);
	int http = ctx->client && strcmp(ctx->client, "http") == 0;
	json_t *arr = NULL;
	int err;

	if (from < 0)
		return aims__err(AIMS_EUSAGE, "from: %lld is not an entry index", (long long)from);
	if (limit < 0 || (http && limit > HTTP_LOG_PAGE_MAX))
		return aims__err(AIMS_EUSAGE, "limit: %lld is not between 1 and %d", (long long)limit, HTTP_LOG_PAGE_MAX);
	if (http && limit == 0)
		limit = HTTP_LOG_PAGE;
	if ((err = open_log(&log, &signer, ctx->store, system)) < 0)
		goto done;
	if (aims_req_str(req, "format") && strcmp(aims_req_str(req, "format"), "text") == 0) {
		if ((err = aims_decision_foreach(log, (uint64_t)from, (uint64_t)limit, record_text, &res->body)) != 0) {
			if (err > 0 || err == AIMS_ENOMEM)
				err = aims__oom();
			goto done;
		}
		res->content_type = "text/plain; charset=utf-8";
		goto done;
	}
	if (!(arr = json_array())) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims_decision_foreach(log, (uint64_t)from, (uint64_t)limit, record_json, arr)) != 0) {
		if (err > 0 || err == AIMS_ENOMEM)
			err = aims__oom();
		goto done;
	}
	if (!(res->json = json_pack("{s:s, s:s, s:I, s:O}", "system", system, "origin", aims_decision_origin(log),
				    "size", (json_int_t)aims_decision_size(log), "entries", arr)))
		err = aims__oom();
done:
	json_decref(arr);
	aims_decision_free(log);
	aims_note_signer_free(signer);
	return err;
}

static int op_receipt(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_decision_log *log = NULL;
	aims_note_signer *signer = NULL;
	const char *system = aims_req_str(req, "system"), *fmt = aims_req_str(req, "format");
	const char *idx = aims_req_str(req, "index");
	unsigned long long index = 0;
	char *proof = NULL, *end = NULL;
	size_t plen = 0;
	int err;

	/* a text field: it is a segment of the URL path, which is text */
	errno = 0;
	if (idx && *idx >= '0' && *idx <= '9')
		index = strtoull(idx, &end, 10);
	if (!idx || !end || *end || errno) {
		aims__err_set(AIMS_EUSAGE, "index: '%.40s' is not an entry index (0, 1, ...)", idx ? idx : "");
		aims__err_set_field("index");
		return AIMS_EUSAGE;
	}
	if ((err = open_log(&log, &signer, ctx->store, system)) < 0 ||
	    (err = aims_decision_receipt(&proof, &plen, log, (uint64_t)index)) < 0)
		goto done;
	if (fmt && strcmp(fmt, "text") == 0) {
		if ((err = aims_buf_put(&res->body, proof, plen)) < 0)
			goto done;
		res->content_type = "text/plain; charset=utf-8";
	} else if (!(res->json = json_pack("{s:s, s:I, s:s%}", "system", system, "index", (json_int_t)index,
					   "receipt", proof, plen))) {
		err = aims__oom();
	}
done:
	free(proof);
	aims_decision_free(log);
	aims_note_signer_free(signer);
	return err;
}

static int op_verify(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const char *system = aims_req_str(req, "system"), **vkeys = NULL;
	size_t nv = 0;
	uint64_t n = 0;
	int err;

	if ((err = check_system(system)) < 0 || (err = aims_req_list(&vkeys, &nv, req, "vkey")) < 0)
		return err;
	err = aims_decision_verify(ctx->store, system, vkeys, nv, &n);
	aims__free(vkeys);
	if (err < 0)
		return err;
	if (!(res->json = json_pack("{s:s, s:b, s:I}", "system", system, "verified", 1, "entries", (json_int_t)n)))
		return aims__oom();
	return 0;
}

/* ---- writes ---- */

static int op_recover(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_note_signer *signer = NULL;
	aims_decision_recovery r;
	const char *system = aims_req_str(req, "system");
	int err;

	if ((err = check_system(system)) < 0)
		return err;
	if (aims_ledger_signer(&signer, ctx->store) < 0) {
		signer = NULL; /* recovery does not need to sign; the next write does */
		aims_error_clear();
	}
	/* review queue rows the interrupted ingest wrote for records beyond the committed size go first:
	 * an adopted foreign append must not make them visible */
	if ((err = aims_review_unstage_committed(ctx->store, system)) < 0) {
		aims_note_signer_free(signer);
		return err;
	}
	err = aims_decision_recover(&r, ctx->store, system, signer, aims_req_bool(req, "discard_foreign"));
	aims_note_signer_free(signer);
	if (err < 0)
		return err;
	if (!(res->json = json_pack("{s:s, s:I, s:I, s:I, s:s?, s:b, s:b}", "system", system, "size",
				    (json_int_t)r.size, "offset", (json_int_t)r.offset, "cut_bytes",
				    (json_int_t)r.cut_bytes, "cut_digest", r.cut_bytes ? r.cut_digest : NULL, "foreign",
				    r.foreign, "adopted", r.adopted)))
		return aims__oom();
	return 0;
}

static int op_prune(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const char *system = aims_req_str(req, "system");
	int64_t days = aims_req_int(req, "days", 0);
	uint64_t n = 0;
	int err;

	if ((err = check_system(system)) < 0)
		return err;
	if (aims_req_has(req, "days") && days <= 0) {
		aims__err_set(AIMS_EUSAGE, "days: must be at least %d", AIMS_LEDGER_MIN_RETENTION_DAYS);
		aims__err_set_field("days");
		return AIMS_EUSAGE;
	}
	if (days > 100000)
		days = 100000;
	if ((err = aims_decision_prune(ctx->store, system, (int)days, &n)) < 0)
		return err;
	if (!(res->json = json_pack("{s:s, s:I}", "system", system, "pruned", (json_int_t)n)))
		return aims__oom();
	return 0;
}

static int op_retention(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const char *system = aims_req_str(req, "system");
	int64_t days = aims_req_int(req, "days", 0);
	int err;

	if ((err = check_system(system)) < 0)
		return err;
	if (days < AIMS_LEDGER_MIN_RETENTION_DAYS || days > 100000) {
		aims__err_set(AIMS_EINVALID, "days: %lld is not a retention period (%d to 100000 days)", (long long)days,
			      AIMS_LEDGER_MIN_RETENTION_DAYS);
		aims__err_set_field("days");
		return AIMS_EINVALID;
	}
	if ((err = aims_decision_set_retention(ctx->store, system, (int)days)) < 0)
		return err;
	if (!(res->json = json_pack("{s:s, s:I}", "system", system, "retention_days", (json_int_t)days)))
		return aims__oom();
	return 0;
}

#define F_END { NULL, 0, 0, NULL, NULL, NULL }
/* older than the API, the commands name the system with --system: a path field that is a CLI option */
#define F_SYSTEM { "system", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH | AIMS_FF_OPTION, "NAME", \
		   "the AI system whose decision log this is (in the inventory)", NULL }

static const aims_op_field f_ingest[] = { F_SYSTEM, F_END };
static const aims_op_field f_none[] = { F_END };
static const aims_op_field f_log[] = {
	F_SYSTEM,
	{ "from", AIMS_FT_INT, 0, "I", "first entry to show (default 0)", NULL },
	{ "limit", AIMS_FT_INT, 0, "N", "show at most N entries (default all; over HTTP 100, at most 1000)", NULL },
	F_END
};
static const aims_op_field f_receipt[] = {
	F_SYSTEM,
	{ "index", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH | AIMS_FF_OPTION, "I", "the entry (from 0)", NULL },
	F_END
};
static const aims_op_field f_verify[] = {
	F_SYSTEM,
	{ "vkey", AIMS_FT_LIST, 0, "VKEY", "a trusted verifier key (default: the ledger's recorded key)",
	  NULL },
	F_END
};
static const aims_op_field f_recover[] = {
	F_SYSTEM,
	{ "discard_foreign", AIMS_FT_BOOL, 0, NULL, "also cut off bytes no ingest was writing (a foreign append)", NULL },
	F_END
};
static const aims_op_field f_prune[] = {
	F_SYSTEM,
	{ "days", AIMS_FT_INT, 0, "N", "retention period in days (at least 183; default the log's)", NULL },
	F_END
};
static const aims_op_field f_retention[] = {
	F_SYSTEM,
	{ "days", AIMS_FT_INT, AIMS_FF_REQUIRED, "N", "retention period in days (at least 183)", NULL },
	F_END
};

const aims_op aims__ops_decision[] = {
	{ "decision.ingest", "decision ingest", "POST", "/systems/{system}/decisions", "decision.ingest",
	  AIMS_OP_WRITE | AIMS_OP_STREAM | AIMS_OP_IDEMPOTENT, f_ingest,
	  "append NDJSON decision records to an AI system's decision log", NULL, NULL, NULL, op_ingest },
	{ "decision.list", "decision list", "GET", "/decision-logs", "read", AIMS_OP_LIST | AIMS_OP_CACHEABLE, f_none,
	  "list the AI systems that have a decision log", "systems", NULL, NULL, op_list },
	{ "decision.log", "decision log", "GET", "/systems/{system}/decisions", "read", 0, f_log,
	  "print the records of an AI system's decision log", "entries", NULL, text_format, op_log },
	{ "decision.prune", "decision prune", "POST", "/systems/{system}/decisions/prune", "decision.manage",
	  AIMS_OP_WRITE, f_prune,
	  "drop decision record bodies older than the retention period, keeping the tree verifiable", NULL, NULL, NULL,
	  op_prune },
	{ "decision.receipt", "decision receipt", "GET", "/systems/{system}/decisions/{index}/receipt", "read", 0,
	  f_receipt, "write a C2SP tlog-proof receipt for one decision record", NULL, NULL, text_format, op_receipt },
	{ "decision.recover", "decision recover", "POST", "/systems/{system}/decisions/recover", "decision.manage",
	  AIMS_OP_WRITE, f_recover,
	  "remove what an interrupted ingest left in a decision log, recorded in the governance log", NULL, NULL, NULL,
	  op_recover },
	{ "decision.retention", NULL, "POST", "/systems/{system}/decisions/retention", "decision.manage",
	  AIMS_OP_WRITE | AIMS_OP_NOCLI, f_retention, "set the retention period of a decision log", NULL, NULL, NULL,
	  op_retention },
	{ "decision.verify", "decision verify", "GET", "/systems/{system}/decisions/verification", "verify", 0, f_verify,
	  "recompute a decision log from its entries and check every tile and checkpoint, read-only", NULL, NULL,
	  NULL, op_verify },
	{ NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL }
};
