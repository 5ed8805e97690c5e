/*
 * The data streams of an operation's input fields (AIMS_FT_INPUT) from an
 * HTTP request body: a multipart/form-data body gives one stream per part,
 * named by the field (`curl -F ref=@a.csv -F cur=@b.csv`); any other body
 * is the stream of the operation's first input field (`curl --data-binary
 * @a.csv -H 'Content-Type: text/csv'`), whatever its type except JSON (the
 * fields of such an operation go into the query, not into a JSON body). An
 * empty body gives none (an
 * evaluation of a decision log reads no data). The multipart syntax is
 * parsed by libmicrohttpd's post processor; each part is copied once into
 * its own buffer and read through fmemopen.
 */
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "aims/aims.h"
#include "server.h"

static const aims_op_field *input_field(const aims_op *op, const char *name)
{
	for (const aims_op_field *f = op->fields; f && f->name; f++)
		if (f->type == AIMS_FT_INPUT && name && strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

struct collect {
	aims_server_inputs *in;
	const aims_op *op;
	size_t max;
	int status;
	char *err;
	size_t errcap;
	char *field;
	size_t fieldcap;
};

static enum MHD_Result fail(struct collect *c, int status, const char *field, const char *msg)
{
	c->status = status;
	snprintf(c->err, c->errcap, "%s", msg);
	snprintf(c->field, c->fieldcap, "%s", field ? field : "");
	return MHD_NO;
}

/* a file name fit for messages and results: printable, not too long */
static int name_ok(const char *s)
{
	size_t n = 0;
	for (; s && *s; s++, n++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return s && n > 0 && n < sizeof(((aims_server_inputs *)0)->names[0]);
}

static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
			       const char *content_type, const char *transfer_encoding, const char *data,
			       uint64_t off, size_t size)
{
	struct collect *c = cls;
	aims_server_inputs *in = c->in;
	const aims_op_field *f = input_field(c->op, key);
	size_t i;
	(void)kind;
	(void)content_type;
	(void)transfer_encoding;
	if (!f) {
		char msg[300];
		snprintf(msg, sizeof(msg), "multipart part '%.64s': not a data input of '%s'", key ? key : "",
			 c->op->name);
		return fail(c, 400, key, msg);
	}
	for (i = 0; i < in->n; i++)
		if (in->streams[i].field == f->name)
			break;
	if (i == in->n) {
		if (in->n >= AIMS_SERVER_MAX_INPUTS)
			return fail(c, 400, f->name, "too many multipart parts");
		aims_buf_init(&in->data[i], c->max);
		in->streams[i].field = f->name;
		in->streams[i].f = NULL;
		snprintf(in->names[i], sizeof(in->names[i]), "%s", name_ok(filename) ? filename : f->name);
		in->streams[i].name = in->names[i];
		in->n++;
	} else if (off == 0 && in->data[i].len > 0) {
		char msg[160];
		snprintf(msg, sizeof(msg), "%s: multipart part given twice", f->name);
		return fail(c, 400, f->name, msg);
	}
	if (size && aims_buf_put(&in->data[i], data, size) < 0)
		return fail(c, 413, f->name, "a multipart part is larger than the request body limit");
	return MHD_YES;
}

int aims_server_inputs_open(aims_server_inputs *in, struct MHD_Connection *conn, const aims_op *op, const char *body,
			    size_t len, char *err, size_t errcap, char *field, size_t fieldcap)
{
	const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	const aims_op_field *first = NULL;
	memset(in, 0, sizeof(*in));
	err[0] = field[0] = '\0';
	for (const aims_op_field *f = op->fields; f && f->name && !first; f++)
		if (f->type == AIMS_FT_INPUT)
			first = f;
	if (!first || len == 0)
		return 0;
	if (ct && strncasecmp(ct, "multipart/form-data", 19) == 0) {
		struct collect c = { in, op, len, 0, err, errcap, field, fieldcap };
		struct MHD_PostProcessor *pp = MHD_create_post_processor(conn, 65536, on_part, &c);
		if (!pp) {
			snprintf(err, errcap, "the multipart/form-data body has no boundary");
			return 400;
		}
		enum MHD_Result ok = MHD_post_process(pp, body, len);
		if (MHD_destroy_post_processor(pp) != MHD_YES && ok == MHD_YES && !c.status) {
			snprintf(err, errcap, "the multipart/form-data body is incomplete or malformed");
			c.status = 400;
		}
		if (ok != MHD_YES && !c.status) {
			snprintf(err, errcap, "the multipart/form-data body is malformed");
			c.status = 400;
		}
		if (c.status)
			return c.status;
		for (size_t i = 0; i < in->n; i++) {
			/* an empty part is an empty input: fmemopen needs a buffer all the same */
			in->streams[i].f = fmemopen(in->data[i].len ? in->data[i].ptr : (char *)"", in->data[i].len, "r");
			if (!in->streams[i].f) {
				snprintf(err, errcap, "cannot read the request body");
				return 500;
			}
		}
		return 0;
	}
	/* a JSON body would be taken for NDJSON data: the fields of these operations go into the query */
	if (ct && strncasecmp(ct, "application/json", 16) == 0) {
		snprintf(err, errcap, "the body of '%s' is its data (text/csv, application/x-ndjson, gzip: send it "
			 "unchanged, e.g. curl --data-binary @FILE -H 'Content-Type: text/csv') or multipart/form-data "
			 "parts; the other fields go into the query", op->name);
		return 415;
	}
	in->streams[0].field = first->name;
	in->streams[0].name = "request body";
	in->streams[0].f = fmemopen((char *)body, len, "r");
	if (!in->streams[0].f) {
		snprintf(err, errcap, "cannot read the request body");
		return 500;
	}
	in->n = 1;
	return 0;
}

void aims_server_inputs_close(aims_server_inputs *in)
{
	for (size_t i = 0; i < in->n; i++) {
		if (in->streams[i].f)
			fclose(in->streams[i].f);
		aims_buf_release(&in->data[i]);
	}
	in->n = 0;
}
