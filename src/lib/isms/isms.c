/*
 * The organization's ISO/IEC 27001 ISMS state: a CSV file that says, for
 * each Annex A control (its Statement of Applicability, ISO 27001 6.1.3 d)
 * and for each management-system clause at the deepest level, whether it
 * applies, how far it is implemented, who owns it and where the evidence
 * is. An import reads the whole file and checks every row against the
 * iso27001-2022 catalog before it opens a transaction, so a bad file leaves
 * the store exactly as it was; a good one becomes a new version and the
 * earlier versions stay readable.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aims/csv.h"
#include "core/core.h"
#include "isms_internal.h"
#include "store/store_internal.h"
#include "audit/state.h"

#define FRAMEWORK "iso27001-2022"
#define STATUS_LIST "implemented, partial, planned, not-implemented"

enum { C_CONTROL, C_APPLICABLE, C_STATUS, C_JUSTIFICATION, C_OWNER, C_EVIDENCE, NCOLS };

static const char *const col_names[NCOLS] = {
	"control", "applicable", "status", "justification", "owner", "evidence",
};

#define COLUMN_LIST "control, applicable, status, justification, owner, evidence"

struct aims_isms {
	aims_isms_info info;
	char *framework, *imported_at, *source, *digest; /* owned strings behind info */
	aims_isms_control *rows;  /* file order */
	size_t count, cap;
	size_t *order;            /* indexes of rows sorted by control */
};

/* ---- status names ---- */

static const char *const status_names[] = {
	"unknown", "not-implemented", "planned", "partial", "implemented",
};

const char *aims_impl_status_name(aims_impl_status s)
{
	return (unsigned)s < sizeof(status_names) / sizeof(status_names[0]) ? status_names[s] : "unknown";
}

/* ASCII case-insensitive comparison of a slice with a NUL-terminated word */
static int eq_nocase(const char *p, size_t n, const char *word)
{
	size_t i = 0;
	for (; i < n && word[i]; i++) {
		char a = p[i], b = word[i];
		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (a != b)
			return 0;
	}
	return i == n && word[i] == '\0';
}

static int status_parse_n(const char *p, size_t n)
{
	for (size_t i = 0; i < sizeof(status_names) / sizeof(status_names[0]); i++)
		if (eq_nocase(p, n, status_names[i]))
			return (int)i;
	if (eq_nocase(p, n, "not implemented"))
		return AIMS_STATUS_NOT_IMPLEMENTED;
	return -1;
}

int aims_impl_status_parse(const char *name)
{
	return name ? status_parse_n(name, strlen(name)) : -1;
}

/* ---- the object ---- */

static void row_release(aims_isms_control *r)
{
	aims__free((char *)r->control);
	aims__free((char *)r->justification);
	aims__free((char *)r->owner);
	for (size_t i = 0; i < r->nevidence; i++)
		aims__free((char *)r->evidence[i]);
	aims__free((void *)r->evidence);
}

void aims_isms_free(aims_isms *isms)
{
	if (!isms)
		return;
	for (size_t i = 0; i < isms->count; i++)
		row_release(&isms->rows[i]);
	aims__free(isms->rows);
	aims__free(isms->order);
	aims__free(isms->framework);
	aims__free(isms->imported_at);
	aims__free(isms->source);
	aims__free(isms->digest);
	aims__free(isms);
}

const aims_isms_info *aims_isms_info_get(const aims_isms *isms)
{
	return &isms->info;
}

size_t aims_isms_count(const aims_isms *isms)
{
	return isms->count;
}

const aims_isms_control *aims_isms_at(const aims_isms *isms, size_t i)
{
	return i < isms->count ? &isms->rows[i] : NULL;
}

const aims_isms_control *aims_isms_find(const aims_isms *isms, const char *control)
{
	size_t lo = 0, hi = isms->count;
	if (!control || !isms->order)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const aims_isms_control *r = &isms->rows[isms->order[mid]];
		int c = strcmp(control, r->control);
		if (c == 0)
			return r;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static int new_isms(aims_isms **out)
{
	*out = aims__calloc(1, sizeof(**out));
	return *out ? 0 : aims__oom();
}

/* a new zeroed row at the end */
static int add_row(aims_isms *isms, aims_isms_control **row)
{
	if (isms->count == isms->cap) {
		size_t ncap = isms->cap ? isms->cap * 2 : 64;
		aims_isms_control *n = aims__realloc(isms->rows, ncap * sizeof(*n));
		if (!n)
			return aims__oom();
		isms->rows = n;
		isms->cap = ncap;
	}
	*row = &isms->rows[isms->count++];
	memset(*row, 0, sizeof(**row));
	return 0;
}

static int add_evidence(aims_isms_control *r, const char *p, size_t n)
{
	const char **ev = aims__realloc((void *)r->evidence, (r->nevidence + 1) * sizeof(*ev));
	if (!ev)
		return aims__oom();
	r->evidence = ev;
	if (!(ev[r->nevidence] = aims__strndup(p, n)))
		return aims__oom();
	r->nevidence++;
	return 0;
}

/* sort row indexes by control (merge sort: qsort has no context argument in C11) */
static void sort_rows(size_t *idx, size_t *tmp, size_t n, const aims_isms_control *rows)
{
	if (n < 2)
		return;
	size_t h = n / 2, i = 0, j = h, k = 0;
	sort_rows(idx, tmp, h, rows);
	sort_rows(idx + h, tmp, n - h, rows);
	while (i < h && j < n)
		tmp[k++] = strcmp(rows[idx[i]].control, rows[idx[j]].control) <= 0 ? idx[i++] : idx[j++];
	while (i < h)
		tmp[k++] = idx[i++];
	while (j < n)
		tmp[k++] = idx[j++];
	memcpy(idx, tmp, n * sizeof(*idx));
}

static int build_order(aims_isms *isms)
{
	size_t n = isms->count ? isms->count : 1;
	size_t *tmp = aims__calloc(n, sizeof(*tmp));
	aims__free(isms->order);
	isms->order = aims__calloc(n, sizeof(*isms->order));
	if (!tmp || !isms->order) {
		aims__free(tmp);
		return aims__oom();
	}
	for (size_t i = 0; i < isms->count; i++)
		isms->order[i] = i;
	sort_rows(isms->order, tmp, isms->count, isms->rows);
	aims__free(tmp);
	return 0;
}

/* set the owned strings behind info; NULL values stay NULL */
static int set_info(aims_isms *isms, const char *framework, const char *imported_at, const char *source,
		    const char *digest)
{
	if ((framework && !(isms->framework = aims__strdup(framework))) ||
	    (imported_at && !(isms->imported_at = aims__strdup(imported_at))) ||
	    (source && !(isms->source = aims__strdup(source))) ||
	    (digest && !(isms->digest = aims__strdup(digest))))
		return aims__oom();
	isms->info.framework = isms->framework;
	isms->info.imported_at = isms->imported_at;
	isms->info.source = isms->source;
	isms->info.digest = isms->digest;
	isms->info.rows = isms->count;
	return 0;
}

/* ---- checking text ---- */

/* well-formed UTF-8: core.h */
static int utf8_ok(const char *s, size_t n)
{
	return aims__utf8_valid(s, n) == n;
}

/* a copy fit for a message: at most 60 bytes, control characters and bad UTF-8 as '?' */
static const char *show(char out[80], const char *p, size_t n)
{
	size_t keep = n > 60 ? 60 : n, o = 0;
	int good = utf8_ok(p, n);
	while (good && keep < n && keep > 0 && ((unsigned char)p[keep] & 0xC0) == 0x80)
		keep--;  /* do not cut a character in two */
	for (size_t i = 0; i < keep; i++) {
		unsigned char c = (unsigned char)p[i];
		out[o++] = (char)(c < 0x20 || c == 0x7F || (c >= 0x80 && !good) ? '?' : c);
	}
	if (keep < n) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* surrounding spaces, tabs and line breaks are not part of a value */
static void trim(const char **p, size_t *n)
{
	while (*n && is_space((*p)[0])) {
		(*p)++;
		(*n)--;
	}
	while (*n && is_space((*p)[*n - 1]))
		(*n)--;
}

/* ---- the catalog, as the importer needs it ---- */

typedef struct {
	const char *id;
	const char *kind;
	int has_children;
	size_t line;    /* the line of the row that named it; 0 = none yet */
} cat_entry;

typedef struct {
	const char *name;         /* the input, for messages */
	const aims_catalog *cat;
	cat_entry *ids;           /* sorted by id */
	size_t nids;
} parse_ctx;

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const cat_entry *)a)->id, ((const cat_entry *)b)->id);
}

static cat_entry *lookup(const parse_ctx *ctx, const char *id)
{
	cat_entry key = { id, NULL, 0, 0 };
	return bsearch(&key, ctx->ids, ctx->nids, sizeof(*ctx->ids), cmp_entry);
}

static int index_catalog(parse_ctx *ctx)
{
	size_t n = aims_catalog_count(ctx->cat);
	if (!(ctx->ids = aims__calloc(n ? n : 1, sizeof(*ctx->ids))))
		return aims__oom();
	for (size_t i = 0; i < n; i++) {
		const aims_requirement *r = aims_catalog_at(ctx->cat, i);
		ctx->ids[i].id = r->id;
		ctx->ids[i].kind = r->kind;
	}
	ctx->nids = n;
	qsort(ctx->ids, n, sizeof(*ctx->ids), cmp_entry);
	for (size_t i = 0; i < n; i++) {
		const aims_requirement *r = aims_catalog_at(ctx->cat, i);
		cat_entry *p = r->parent ? lookup(ctx, r->parent) : NULL;
		if (p)
			p->has_children = 1;
	}
	return 0;
}

/* ---- errors ---- */

static int row_err(const parse_ctx *ctx, size_t line, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int row_err(const parse_ctx *ctx, size_t line, const char *field, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		msg[0] = '\0';
	if (field)
		return aims__err(AIMS_EINVALID, "'%s' line %zu: %s: %s", ctx->name, line, field, msg);
	return aims__err(AIMS_EINVALID, "'%s' line %zu: %s", ctx->name, line, msg);
}

/* text of a field: no NUL, well-formed UTF-8, no control characters (but
 * tabs and line breaks where `multiline`) */
static int check_text(const parse_ctx *ctx, size_t line, int col, const char *p, size_t n, int multiline)
{
	if (strlen(p) != n)
		return row_err(ctx, line, col_names[col], "contains a NUL byte");
	if (!utf8_ok(p, n))
		return row_err(ctx, line, col_names[col], "not valid UTF-8");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if ((c < 0x20 || c == 0x7F) && !(multiline && (c == '\t' || c == '\n' || c == '\r')))
			return row_err(ctx, line, col_names[col], "contains a control character (byte 0x%02x)", c);
	}
	return 0;
}

/* ---- one row ---- */

static int check_control(parse_ctx *ctx, size_t line, const char *p, size_t n, cat_entry **out)
{
	char shown[80], id[80];
	cat_entry *e;

	*out = NULL;
	if (n == 0)
		return row_err(ctx, line, "control", "empty (write a control such as 'A.5.1' or a clause such as '9.2.1')");
	if (n >= 64)
		return row_err(ctx, line, "control", "unknown control '%s' in %s", show(shown, p, n), FRAMEWORK);
	memcpy(id, p, n);
	id[n] = '\0';
	e = lookup(ctx, id);
	if (!e) {
		char alt[84];
		/* Annex A controls are written "A.5.15"; "5.15" is not a clause of 27001 */
		if (n >= 2 && (id[0] == 'a' || id[0] == 'A') && id[1] == '.')
			snprintf(alt, sizeof(alt), "A.%s", id + 2);
		else
			snprintf(alt, sizeof(alt), "A.%s", id);
		cat_entry *a = lookup(ctx, alt);
		if (a && strcmp(a->kind, "control") == 0)
			return row_err(ctx, line, "control", "unknown control '%s' (Annex A controls are written '%s')",
				       show(shown, p, n), alt);
		return row_err(ctx, line, "control", "unknown control '%s' in %s", show(shown, p, n), FRAMEWORK);
	}
	if (strcmp(e->kind, "clause") == 0 && e->has_children) {
		/* ISO 27001 clauses are assessed at the deepest level: 9.2.1 and 9.2.2, not 9.2 */
		aims_buf subs = AIMS_BUF_INIT;
		int err;
		for (size_t i = 0; i < aims_catalog_count(ctx->cat); i++) {
			const aims_requirement *r = aims_catalog_at(ctx->cat, i);
			if (r->parent && strcmp(r->parent, e->id) == 0 &&
			    (err = aims_buf_printf(&subs, "%s%s", subs.len ? ", " : "", r->id)) < 0) {
				aims_buf_release(&subs);
				return err;
			}
		}
		err = row_err(ctx, line, "control", "'%s' is a clause with sub-clauses; write a row for each of %s",
			      e->id, subs.ptr);
		aims_buf_release(&subs);
		return err;
	}
	if (strcmp(e->kind, "control") != 0 && strcmp(e->kind, "clause") != 0)
		return row_err(ctx, line, "control", "'%s' is a %s, not a control or a clause", e->id, e->kind);
	if (e->line)
		return row_err(ctx, line, "control", "'%s' already has a row on line %zu", e->id, e->line);
	*out = e;
	return 0;
}

static int parse_applicable(const char *p, size_t n)
{
	static const char *const yes[] = { "yes", "true", "y", "1" };
	static const char *const no[] = { "no", "false", "n", "0" };
	for (size_t i = 0; i < 4; i++) {
		if (eq_nocase(p, n, yes[i]))
			return 1;
		if (eq_nocase(p, n, no[i]))
			return 0;
	}
	return -1;
}

static int parse_row(parse_ctx *ctx, aims_isms *isms, size_t line, const int *colidx, char **fields,
		     const size_t *lens)
{
	const char *v[NCOLS];
	size_t n[NCOLS];
	char shown[80];
	aims_isms_control *row;
	cat_entry *e;
	int err;

	for (int c = 0; c < NCOLS; c++) {
		size_t f = (size_t)colidx[c];
		v[c] = fields[f];
		n[c] = lens[f];
		trim(&v[c], &n[c]);
		if ((err = check_text(ctx, line, c, fields[f], lens[f], c == C_JUSTIFICATION)) < 0)
			return err;
	}
	if ((err = check_control(ctx, line, v[C_CONTROL], n[C_CONTROL], &e)) < 0)
		return err;
	int is_clause = strcmp(e->kind, "clause") == 0;

	int applicable = parse_applicable(v[C_APPLICABLE], n[C_APPLICABLE]);
	if (applicable < 0)
		return row_err(ctx, line, "applicable", "'%s' is not one of yes, no (or true/false, y/n, 1/0)",
			       show(shown, v[C_APPLICABLE], n[C_APPLICABLE]));
	/* ISO 27001 clause 1: excluding any of clauses 4 to 10 is not acceptable */
	if (!applicable && is_clause)
		return row_err(ctx, line, "applicable", "clause %s cannot be excluded (clauses 4 to 10 of ISO/IEC "
			       "27001 are all required)", e->id);

	int status;
	if (n[C_STATUS] == 0) {
		if (applicable)
			return row_err(ctx, line, "status", "empty; an applicable %s needs one of " STATUS_LIST,
				       is_clause ? "clause" : "control");
		status = AIMS_STATUS_NOT_IMPLEMENTED;
	} else {
		status = status_parse_n(v[C_STATUS], n[C_STATUS]);
		if (status <= AIMS_STATUS_UNKNOWN)
			return row_err(ctx, line, "status", "'%s' is not one of " STATUS_LIST,
				       show(shown, v[C_STATUS], n[C_STATUS]));
		if (!applicable && status != AIMS_STATUS_NOT_IMPLEMENTED)
			return row_err(ctx, line, "status", "'%s' for a control that is not applicable (leave it "
				       "empty or write not-implemented)", show(shown, v[C_STATUS], n[C_STATUS]));
	}
	/* ISO 27001 6.1.3 d): the Statement of Applicability justifies each exclusion */
	if (!applicable && n[C_JUSTIFICATION] == 0)
		return row_err(ctx, line, "justification", "empty, but control '%s' is excluded (applicable '%s'); "
			       "ISO/IEC 27001 6.1.3 d) requires a justification for each exclusion", e->id,
			       show(shown, v[C_APPLICABLE], n[C_APPLICABLE]));

	if ((err = add_row(isms, &row)) < 0)
		return err;
	row->line = line;
	row->applicable = applicable;
	row->status = (aims_impl_status)status;
	if (!(row->control = aims__strdup(e->id)) ||
	    (n[C_JUSTIFICATION] && !(row->justification = aims__strndup(v[C_JUSTIFICATION], n[C_JUSTIFICATION]))) ||
	    (n[C_OWNER] && !(row->owner = aims__strndup(v[C_OWNER], n[C_OWNER]))))
		return aims__oom();
	/* evidence: references separated by ';', trimmed, empty parts dropped */
	const char *p = v[C_EVIDENCE], *end = p + n[C_EVIDENCE];
	while (p < end) {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		const char *q = semi ? semi : end;
		const char *s = p;
		size_t len = (size_t)(q - p);
		trim(&s, &len);
		if (len && (err = add_evidence(row, s, len)) < 0)
			return err;
		p = semi ? semi + 1 : end;
	}
	e->line = line;
	return 0;
}

/* ---- header ---- */

static int parse_header(const parse_ctx *ctx, size_t line, char **fields, const size_t *lens, size_t count,
			int colidx[NCOLS])
{
	char shown[80];
	for (int c = 0; c < NCOLS; c++)
		colidx[c] = -1;
	for (size_t i = 0; i < count; i++) {
		const char *p = fields[i];
		size_t n = lens[i];
		int c;
		trim(&p, &n);
		if (n == 0)
			return row_err(ctx, line, NULL, "field %zu: empty column name (the columns are " COLUMN_LIST ")",
				       i + 1);
		for (c = 0; c < NCOLS; c++)
			if (eq_nocase(p, n, col_names[c]))
				break;
		if (c == NCOLS)
			return row_err(ctx, line, NULL, "unknown column '%s' (the columns are " COLUMN_LIST ")",
				       show(shown, p, n));
		if (colidx[c] >= 0)
			return row_err(ctx, line, NULL, "column '%s' appears twice (fields %d and %zu)", col_names[c],
				       colidx[c] + 1, i + 1);
		colidx[c] = (int)i;
	}
	for (int c = 0; c < NCOLS; c++)
		if (colidx[c] < 0)
			return row_err(ctx, line, NULL, "missing column '%s'", col_names[c]);
	return 0;
}

int aims__isms_parse(aims_isms **out, const char *data, size_t len, const char *name, const aims_catalog *cat)
{
	parse_ctx ctx = { name ? name : "(isms)", cat, NULL, 0 };
	aims_csv *csv = NULL;
	aims_isms *isms = NULL;
	char **fields;
	size_t *lens, count, ncols = 0;
	int colidx[NCOLS];
	unsigned char md[32];
	char hex[65];
	int err, rc;

	*out = NULL;
	if ((err = index_catalog(&ctx)) < 0 || (err = new_isms(&isms)) < 0 ||
	    (err = aims_csv_open_mem(&csv, data ? data : "", data ? len : 0, ctx.name)) < 0)
		goto fail;
	if ((rc = aims_csv_next(csv, &fields, &lens, &count)) < 0) {
		err = rc;
		goto fail;
	}
	if (rc == 0) {
		err = aims__err(AIMS_EINVALID, "'%s' line 1: empty file (expected the header row: " COLUMN_LIST ")",
				ctx.name);
		goto fail;
	}
	if ((err = parse_header(&ctx, aims_csv_line(csv), fields, lens, count, colidx)) < 0)
		goto fail;
	ncols = count;
	size_t header_line = aims_csv_line(csv);
	while ((rc = aims_csv_next(csv, &fields, &lens, &count)) == 1) {
		size_t line = aims_csv_line(csv);
		if (count != ncols) {
			err = row_err(&ctx, line, NULL, "%zu field%s, but the header has %zu", count,
				      count == 1 ? "" : "s", ncols);
			goto fail;
		}
		if ((err = parse_row(&ctx, isms, line, colidx, fields, lens)) < 0)
			goto fail;
	}
	if (rc < 0) {
		err = rc;
		goto fail;
	}
	if (isms->count == 0) {
		err = aims__err(AIMS_EINVALID, "'%s' line %zu: no rows after the header", ctx.name, header_line + 1);
		goto fail;
	}
	if ((err = aims__sha256_oneshot(md, data ? data : "", data ? len : 0)) < 0)
		goto fail;
	aims__hex(hex, md, 32);
	if ((err = build_order(isms)) < 0 || (err = set_info(isms, FRAMEWORK, NULL, ctx.name, hex)) < 0)
		goto fail;
	aims_csv_free(csv);
	aims__free(ctx.ids);
	*out = isms;
	return 0;
fail:
	aims_csv_free(csv);
	aims__free(ctx.ids);
	aims_isms_free(isms);
	return err;
}

/* ---- import ---- */

/*
 * The digest an ISMS version's audit entry names: the version as stored
 * (with the SHA-256 of the imported file) and every control and evidence
 * row, so that a change of the store outside aims shows.
 */
static int version_digest(char out[72], aims_store *store, const char *version)
{
	static const char *const labels[] = { "isms_versions", "isms_controls", "isms_evidence" };
	static const char *const sqls[] = {
		"SELECT version, framework, imported_at, source, digest, nrows FROM isms_versions "
		"WHERE version = CAST(? AS INTEGER)",
		"SELECT control, applicable, status, justification, owner, line FROM isms_controls "
		"WHERE version = CAST(? AS INTEGER) ORDER BY control",
		"SELECT control, seq, ref FROM isms_evidence WHERE version = CAST(? AS INTEGER) ORDER BY control, seq"
	};
	return aims__store_state_digest(out, store, "isms", version, labels, sqls, 3);
}

int aims__isms_state(aims_store *s, aims__state_emit emit, void *arg)
{
	aims__stmt *st = NULL;
	char dg[72], id[32];
	int err;
	if ((err = aims__stmt_prepare(&st, s, "SELECT version FROM isms_versions ORDER BY version")) < 0)
		return err;
	while ((err = aims__stmt_step(st)) == 1) {
		snprintf(id, sizeof(id), "%lld", (long long)aims__stmt_int64(st, 0));
		if ((err = version_digest(dg, s, id)) < 0 || (err = emit(arg, "isms", id, dg, AIMS__STATE_LATEST)) < 0)
			break;
	}
	aims__stmt_free(st);
	return err < 0 ? err : 0;
}

/* the audit trail: one entry per import, with the digest of the version stored and the previous one's */
static int audit_import(aims_store *store, const aims_isms *isms, int64_t v)
{
	char id[32], prev_id[32], newd[72], prev[72] = "";
	int64_t n = 0;
	aims__stmt *st = NULL;
	int err;
	(void)isms;
	if ((err = aims__stmt_prepare(&st, store, "SELECT COUNT(*) FROM isms_versions WHERE version = ?")) < 0 ||
	    (err = aims__stmt_bind_int64(st, 1, v - 1)) < 0 || (err = aims__stmt_step(st)) < 0) {
		aims__stmt_free(st);
		return err;
	}
	n = aims__stmt_int64(st, 0);
	aims__stmt_free(st);
	snprintf(id, sizeof(id), "%lld", (long long)v);
	snprintf(prev_id, sizeof(prev_id), "%lld", (long long)(v - 1));
	if ((n > 0 && (err = version_digest(prev, store, prev_id)) < 0) || (err = version_digest(newd, store, id)) < 0)
		return err;
	return aims_ledger_append(store, "import", "isms", id, newd, n > 0 ? prev : NULL);
}

static int insert_version(aims_store *store, const aims_isms *isms, int64_t *version)
{
	aims__stmt *st = NULL;
	char now[32];
	int64_t v = 1;
	int err;

	aims__time_now(now);
	if ((err = aims__stmt_prepare(&st, store, "SELECT MAX(version) FROM isms_versions")) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 1 && aims__stmt_type(st, 0) != AIMS__NULL)
		v = aims__stmt_int64(st, 0) + 1;
	aims__stmt_free(st);
	st = NULL;
	if ((err = aims__stmt_prepare(&st, store,
			"INSERT INTO isms_versions (version, framework, imported_at, source, digest, nrows) "
			"VALUES (?, ?, ?, ?, ?, ?)")) < 0 ||
	    (err = aims__stmt_bind_int64(st, 1, v)) < 0 ||
	    (err = aims__stmt_bind_text(st, 2, FRAMEWORK)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, now)) < 0 ||
	    (err = aims__stmt_bind_text(st, 4, isms->info.source)) < 0 ||
	    (err = aims__stmt_bind_text(st, 5, isms->info.digest)) < 0 ||
	    (err = aims__stmt_bind_int64(st, 6, (int64_t)isms->count)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	aims__stmt_free(st);
	st = NULL;
	if ((err = aims__stmt_prepare(&st, store,
			"INSERT INTO isms_controls (version, control, applicable, status, justification, owner, line) "
			"VALUES (?, ?, ?, ?, ?, ?, ?)")) < 0)
		goto done;
	for (size_t i = 0; i < isms->count; i++) {
		const aims_isms_control *r = &isms->rows[i];
		if ((err = aims__stmt_bind_int64(st, 1, v)) < 0 ||
		    (err = aims__stmt_bind_text(st, 2, r->control)) < 0 ||
		    (err = aims__stmt_bind_int64(st, 3, r->applicable)) < 0 ||
		    (err = aims__stmt_bind_text(st, 4, aims_impl_status_name(r->status))) < 0 ||
		    (err = aims__stmt_bind_text(st, 5, r->justification)) < 0 ||
		    (err = aims__stmt_bind_text(st, 6, r->owner)) < 0 ||
		    (err = aims__stmt_bind_int64(st, 7, (int64_t)r->line)) < 0 ||
		    (err = aims__stmt_step(st)) < 0 ||
		    (err = aims__stmt_reset(st)) < 0)
			goto done;
	}
	aims__stmt_free(st);
	st = NULL;
	if ((err = aims__stmt_prepare(&st, store,
			"INSERT INTO isms_evidence (version, control, seq, ref) VALUES (?, ?, ?, ?)")) < 0)
		goto done;
	for (size_t i = 0; i < isms->count; i++) {
		const aims_isms_control *r = &isms->rows[i];
		for (size_t k = 0; k < r->nevidence; k++) {
			if ((err = aims__stmt_bind_int64(st, 1, v)) < 0 ||
			    (err = aims__stmt_bind_text(st, 2, r->control)) < 0 ||
			    (err = aims__stmt_bind_int64(st, 3, (int64_t)k)) < 0 ||
			    (err = aims__stmt_bind_text(st, 4, r->evidence[k])) < 0 ||
			    (err = aims__stmt_step(st)) < 0 ||
			    (err = aims__stmt_reset(st)) < 0)
				goto done;
		}
	}
	err = 0;
	*version = v;
done:
	aims__stmt_free(st);
	return err;
}

int aims_isms_import_mem(aims_store *store, const char *data, size_t len, const char *name, int64_t *version)
{
	aims_catalog *cat = NULL;
	aims_isms *isms = NULL;
	int64_t v = 0;
	int err;

	if (version)
		*version = 0;
	if (!name)
		name = "(isms)";
	if ((err = aims_catalog_read(&cat, store, FRAMEWORK)) < 0) {
		if (err == AIMS_ENOTFOUND)
			err = aims__err(AIMS_ENOTFOUND, "'%s': the %s catalog is not in the store (run 'aims init')",
					name, FRAMEWORK);
		goto done;
	}
	/* everything is parsed and checked before the store sees a write */
	if ((err = aims__isms_parse(&isms, data, len, name, cat)) < 0)
		goto done;
	if ((err = aims_store_begin(store)) < 0)
		goto done;
	if ((err = insert_version(store, isms, &v)) < 0 || (err = audit_import(store, isms, v)) < 0) {
		aims__err_prefix("'%s': storing the ISMS state", name);
		aims_store_rollback(store);
		goto done;
	}
	if ((err = aims_store_commit(store)) < 0) {
		aims_store_rollback(store);
		goto done;
	}
	if (version)
		*version = v;
done:
	aims_isms_free(isms);
	aims_catalog_free(cat);
	return err;
}

/* all of standard input, with the same limit as a file */
int aims_isms_import(aims_store *store, const char *path, int64_t *version)
{
	char *data = NULL;
	size_t len = 0;
	int from_stdin = strcmp(path, "-") == 0;
	int err;

	if (version)
		*version = 0;
	/* one buffer: the digest and the parser see the same bytes */
	err = aims_file_read(&data, &len, path, 0);
	if (err < 0)
		return err;
	err = aims_isms_import_mem(store, data, len, from_stdin ? "(stdin)" : path, version);
	aims__free(data);
	return err;
}

/* ---- read back ---- */

static int latest_version(aims_store *store, int64_t *version)
{
	aims__stmt *st = NULL;
	int err;

	*version = 0;
	if ((err = aims__stmt_prepare(&st, store, "SELECT MAX(version) FROM isms_versions")) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 1 && aims__stmt_type(st, 0) != AIMS__NULL)
		*version = aims__stmt_int64(st, 0);
	err = 0;
done:
	aims__stmt_free(st);
	return err;
}

static int damaged(int64_t version, const char *what)
{
	return aims__err(AIMS_ETAMPERED, "ISMS version %lld in the store is damaged: %s", (long long)version, what);
}

int aims_isms_read(aims_isms **out, aims_store *store, int64_t version)
{
	aims__stmt *st = NULL;
	aims_isms *isms = NULL;
	int64_t nrows = 0;
	int err;

	*out = NULL;
	if (version < 0)
		return aims__err(AIMS_ENOTFOUND, "no ISMS version %lld", (long long)version);
	if (version == 0) {
		if ((err = latest_version(store, &version)) < 0)
			return err;
		if (version == 0)
			return aims__err(AIMS_ENOTFOUND, "no ISMS state in the store (import one with 'aims isms import FILE')");
	}
	if ((err = new_isms(&isms)) < 0)
		goto fail;
	if ((err = aims__stmt_prepare(&st, store,
			"SELECT framework, imported_at, source, digest, nrows FROM isms_versions WHERE version = ?")) < 0 ||
	    (err = aims__stmt_bind_int64(st, 1, version)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto fail;
	if (err == 0) {
		err = aims__err(AIMS_ENOTFOUND, "no ISMS version %lld (see 'aims isms versions')", (long long)version);
		goto fail;
	}
	if ((err = set_info(isms, aims__stmt_text(st, 0), aims__stmt_text(st, 1), aims__stmt_text(st, 2),
			    aims__stmt_text(st, 3))) < 0)
		goto fail;
	nrows = aims__stmt_int64(st, 4);
	isms->info.version = version;
	aims__stmt_free(st);
	st = NULL;
	if ((err = aims__stmt_prepare(&st, store,
			"SELECT control, applicable, status, justification, owner, line FROM isms_controls "
			"WHERE version = ? ORDER BY line, control")) < 0 ||
	    (err = aims__stmt_bind_int64(st, 1, version)) < 0)
		goto fail;
	while ((err = aims__stmt_step(st)) == 1) {
		aims_isms_control *r;
		const char *control = aims__stmt_text(st, 0), *just = aims__stmt_text(st, 3);
		const char *owner = aims__stmt_text(st, 4);
		int status = aims_impl_status_parse(aims__stmt_text(st, 2));
		if (!control || status <= AIMS_STATUS_UNKNOWN) {
			err = damaged(version, "a row without a control or with an unknown status");
			goto fail;
		}
		if ((err = add_row(isms, &r)) < 0)
			goto fail;
		r->applicable = aims__stmt_int64(st, 1) != 0;
		r->status = (aims_impl_status)status;
		r->line = (size_t)aims__stmt_int64(st, 5);
		if (!(r->control = aims__strdup(control)) || (just && !(r->justification = aims__strdup(just))) ||
		    (owner && !(r->owner = aims__strdup(owner)))) {
			err = aims__oom();
			goto fail;
		}
	}
	if (err < 0)
		goto fail;
	aims__stmt_free(st);
	st = NULL;
	if (nrows < 0 || (size_t)nrows != isms->count) {
		err = damaged(version, "the number of rows does not match");
		goto fail;
	}
	isms->info.rows = isms->count;
	if ((err = build_order(isms)) < 0)
		goto fail;
	if ((err = aims__stmt_prepare(&st, store,
			"SELECT control, ref FROM isms_evidence WHERE version = ? ORDER BY control, seq")) < 0 ||
	    (err = aims__stmt_bind_int64(st, 1, version)) < 0)
		goto fail;
	while ((err = aims__stmt_step(st)) == 1) {
		const char *ref = aims__stmt_text(st, 1);
		aims_isms_control *r = (aims_isms_control *)aims_isms_find(isms, aims__stmt_text(st, 0));
		if (!r || !ref) {
			err = damaged(version, "evidence for a control without a row");
			goto fail;
		}
		if ((err = add_evidence(r, ref, strlen(ref))) < 0)
			goto fail;
	}
	if (err < 0)
		goto fail;
	aims__stmt_free(st);
	*out = isms;
	return 0;
fail:
	aims__stmt_free(st);
	aims_isms_free(isms);
	return err;
}

/* ---- versions ---- */

void aims_isms_versions_free(aims_isms_info *list, size_t count)
{
	if (!list)
		return;
	for (size_t i = 0; i < count; i++) {
		aims__free((char *)list[i].framework);
		aims__free((char *)list[i].imported_at);
		aims__free((char *)list[i].source);
		aims__free((char *)list[i].digest);
	}
	aims__free(list);
}

int aims_isms_versions(aims_isms_info **out, size_t *count, aims_store *store)
{
	aims__stmt *st = NULL;
	aims_isms_info *list = NULL;
	size_t n = 0, cap = 0;
	int err;

	*out = NULL;
	*count = 0;
	if ((err = aims__stmt_prepare(&st, store,
			"SELECT version, framework, imported_at, source, digest, nrows FROM isms_versions "
			"ORDER BY version")) < 0)
		goto fail;
	while ((err = aims__stmt_step(st)) == 1) {
		if ((err = aims__grow(&list, &cap, n + 1, sizeof(*list))) < 0)
			goto fail;
		aims_isms_info *v = &list[n++];
		memset(v, 0, sizeof(*v));
		v->version = aims__stmt_int64(st, 0);
		v->rows = (size_t)aims__stmt_int64(st, 5);
		const char *s[4] = { aims__stmt_text(st, 1), aims__stmt_text(st, 2), aims__stmt_text(st, 3),
				     aims__stmt_text(st, 4) };
		const char **dst[4] = { &v->framework, &v->imported_at, &v->source, &v->digest };
		for (int k = 0; k < 4; k++) {
			if (!s[k]) {
				err = damaged(v->version, "a version without its framework, time, source or digest");
				goto fail;
			}
			if (!(*dst[k] = aims__strdup(s[k]))) {
				err = aims__oom();
				goto fail;
			}
		}
	}
	if (err < 0)
		goto fail;
	aims__stmt_free(st);
	*out = list;
	*count = n;
	return 0;
fail:
	aims__stmt_free(st);
	aims_isms_versions_free(list, n);
	return err;
}
