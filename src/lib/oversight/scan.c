/*
 * Review selection on decision records without a JSON tree: the scanner
 * walks the top level of one JSON object once and notes where the members
 * it is asked for start and end; nested values are skipped by counting
 * brackets outside strings. Decisions are selected as they are ingested, so
 * this work is on the ingest path (the benchmark bench/review.c holds it to
 * 10% of end-to-end ingest); a tree is built only for the rare string with
 * escapes. fuzz/review_match.c checks the scanner against jansson. Also the
 * helpers the gate and review code share.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "oversight_internal.h"

#define MAX_DEPTH 64

typedef struct {
	const char *p, *e;
} cur;

static void ws(cur *c)
{
	while (c->p < c->e && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

/* on the opening quote: past the closing one (memchr to the next quote; lenient about control characters,
 * which a canonical record never holds and jansson refuses anyway) */
static int skip_string(cur *c)
{
	const char *p = c->p + 1;
	for (;;) {
		const char *q = memchr(p, '"', (size_t)(c->e - p));
		if (!q)
			return -1;
		/* escaped when preceded by an odd number of backslashes */
		size_t bs = 0;
		while (q - bs > p && q[-1 - (ptrdiff_t)bs] == '\\')
			bs++;
		if (bs % 2 == 0) {
			c->p = q + 1;
			return 0;
		}
		p = q + 1;
	}
}

static int skip_value(cur *c, int depth);

static int skip_container(cur *c, int depth, char close)
{
	if (depth >= MAX_DEPTH)
		return -1;
	c->p++;
	ws(c);
	if (c->p < c->e && *c->p == close) {
		c->p++;
		return 0;
	}
	for (;;) {
		ws(c);
		if (close == '}') {
			if (c->p >= c->e || *c->p != '"' || skip_string(c) < 0)
				return -1;
			ws(c);
			if (c->p >= c->e || *c->p != ':')
				return -1;
			c->p++;
		}
		if (skip_value(c, depth + 1) < 0)
			return -1;
		ws(c);
		if (c->p >= c->e)
			return -1;
		if (*c->p == ',') {
			c->p++;
			continue;
		}
		if (*c->p == close) {
			c->p++;
			return 0;
		}
		return -1;
	}
}

static int skip_literal(cur *c)
{
	static const char *const words[] = { "true", "false", "null" };
	for (size_t i = 0; i < 3; i++) {
		size_t n = strlen(words[i]);
		if ((size_t)(c->e - c->p) >= n && memcmp(c->p, words[i], n) == 0) {
			c->p += n;
			return 0;
		}
	}
	/* a number: -? digits [. digits] [e[+-] digits] */
	const char *s = c->p;
	if (c->p < c->e && *c->p == '-')
		c->p++;
	const char *d = c->p;
	while (c->p < c->e && *c->p >= '0' && *c->p <= '9')
		c->p++;
	if (c->p == d)
		return -1;
	if (c->p < c->e && *c->p == '.') {
		c->p++;
		d = c->p;
		while (c->p < c->e && *c->p >= '0' && *c->p <= '9')
			c->p++;
		if (c->p == d)
			return -1;
	}
	if (c->p < c->e && (*c->p == 'e' || *c->p == 'E')) {
		c->p++;
		if (c->p < c->e && (*c->p == '+' || *c->p == '-'))
			c->p++;
		d = c->p;
		while (c->p < c->e && *c->p >= '0' && *c->p <= '9')
			c->p++;
		if (c->p == d)
			return -1;
	}
	return c->p > s ? 0 : -1;
}

static int skip_value(cur *c, int depth)
{
	ws(c);
	if (c->p >= c->e)
		return -1;
	switch (*c->p) {
	case '"': return skip_string(c);
	case '{': return skip_container(c, depth, '}');
	case '[': return skip_container(c, depth, ']');
	default: return skip_literal(c);
	}
}

/*
 * Whether the key written ks[0..kn) (between its quotes) is `key`: the
 * bytes as written, or decoded when the key holds an escape ("dec\u0069sion"
 * is "decision", as jansson reads it). -1: a malformed escape.
 */
static int key_is(const char *ks, size_t kn, const char *key, size_t klen)
{
	if (!memchr(ks, '\\', kn))
		return kn == klen && memcmp(ks, key, klen) == 0;
	json_error_t je;
	json_t *j = json_loadb(ks - 1, kn + 2, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
	if (!j || !json_is_string(j)) {
		json_decref(j);
		return -1;
	}
	int eq = json_string_length(j) == klen && memcmp(json_string_value(j), key, klen) == 0;
	json_decref(j);
	return eq;
}

/* the members of the object at c (on '{'); ends past '}' */
static int members(aims__jspan *vals, const char *const *keys, size_t nkeys, cur *c)
{
	for (size_t i = 0; i < nkeys; i++) {
		vals[i].p = NULL;
		vals[i].n = 0;
	}
	ws(c);
	if (c->p >= c->e || *c->p != '{')
		return -1;
	c->p++;
	ws(c);
	if (c->p < c->e && *c->p == '}') {
		c->p++;
		return 0;
	}
	for (;;) {
		ws(c);
		if (c->p >= c->e || *c->p != '"')
			return -1;
		const char *ks = c->p + 1;
		if (skip_string(c) < 0)
			return -1;
		size_t kn = (size_t)(c->p - 1 - ks);
		ws(c);
		if (c->p >= c->e || *c->p != ':')
			return -1;
		c->p++;
		ws(c);
		const char *vs = c->p;
		if (skip_value(c, 1) < 0)
			return -1;
		for (size_t i = 0; i < nkeys; i++) {
			if (vals[i].p)
				continue;
			int eq = key_is(ks, kn, keys[i], strlen(keys[i]));
			if (eq < 0)
				return -1;
			if (eq) {
				vals[i].p = vs;
				vals[i].n = (size_t)(c->p - vs);
			}
		}
		ws(c);
		if (c->p >= c->e)
			return -1;
		if (*c->p == ',') {
			c->p++;
			continue;
		}
		if (*c->p == '}') {
			c->p++;
			return 0;
		}
		return -1;
	}
}

int aims__jscan_members(aims__jspan *vals, const char *const *keys, size_t nkeys, const char *s, size_t n)
{
	cur c = { s, s + n };
	if (members(vals, keys, nkeys, &c) < 0)
		return -1;
	ws(&c);
	return c.p == c.e ? 0 : -1;
}

int aims__jscan_path(aims__jspan *out, aims__jspan obj, const char *path)
{
	char seg[130];
	const char *p = path;
	aims__jspan cur_v = obj;
	out->p = NULL;
	out->n = 0;
	while (*p) {
		size_t n = strcspn(p, ".");
		if (n == 0 || n >= sizeof(seg))
			return 0;
		memcpy(seg, p, n);
		seg[n] = '\0';
		p += n;
		if (*p == '.')
			p++;
		if (!cur_v.n || cur_v.p[0] != '{')
			return 0;
		const char *keys[1] = { seg };
		aims__jspan v;
		cur c = { cur_v.p, cur_v.p + cur_v.n };
		if (members(&v, keys, 1, &c) < 0)
			return -1;
		if (!v.p)
			return 0;
		cur_v = v;
	}
	*out = cur_v;
	return 1;
}

int aims__jscan_string(char **out, aims__jspan v)
{
	*out = NULL;
	if (v.n < 2 || v.p[0] != '"')
		return -1;
	if (!memchr(v.p, '\\', v.n)) {
		if (!(*out = aims__strndup(v.p + 1, v.n - 2)))
			return -1;
		return 0;
	}
	json_error_t je;
	json_t *j = json_loadb(v.p, v.n, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
	if (!j || !json_is_string(j)) {
		json_decref(j);
		return -1;
	}
	*out = aims__strndup(json_string_value(j), json_string_length(j));
	json_decref(j);
	return *out ? 0 : -1;
}

int aims__jscan_is(aims__jspan v, const char *text)
{
	size_t tn = strlen(text);
	if (!v.p || v.n == 0)
		return 0;
	if (v.p[0] != '"')
		return v.n == tn && memcmp(v.p, text, tn) == 0;
	if (!memchr(v.p, '\\', v.n))
		return v.n == tn + 2 && memcmp(v.p + 1, text, tn) == 0;
	char *s = NULL;
	int eq = aims__jscan_string(&s, v) == 0 && strlen(s) == tn && strcmp(s, text) == 0;
	aims__free(s);
	return eq;
}

/*
 * Clinger's exact fast path, for the common confidence such as 0.87: at most
 * 15 digits and no exponent, so the digits m are exact in a double and
 * m / 10^k (k <= 15) is one correctly rounded division, the value strtod
 * returns. Anything else: -1 and strtod decides. Review selection parses a
 * number per ingested record; strtod was a tenth of its cost (bench/review.c).
 */
static int fast_number(double *out, const char *p, size_t n)
{
	static const double p10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15 };
	size_t i = 0, digits = 0, k = 0;
	uint64_t m = 0;
	int neg = 0, dot = 0;
	if (i < n && p[i] == '-') {
		neg = 1;
		i++;
	}
	if (i >= n || p[i] < '0' || p[i] > '9')
		return -1;
	for (; i < n; i++) {
		char ch = p[i];
		if (ch >= '0' && ch <= '9') {
			if (++digits > 15)
				return -1;
			m = m * 10 + (uint64_t)(ch - '0');
			k += (size_t)dot;
		} else if (ch == '.' && !dot) {
			dot = 1;
		} else {
			return -1;
		}
	}
	double d = (double)m / p10[k];
	*out = neg ? -d : d;
	return 0;
}

int aims__jscan_number(double *out, aims__jspan v)
{
	char buf[64], *text = buf;
	if (v.p && v.n > 0 && fast_number(out, v.p, v.n) == 0)
		return 0;
	if (!v.p || v.n == 0 || !(v.p[0] == '-' || (v.p[0] >= '0' && v.p[0] <= '9')))
		return -1;
	/* JSON sets no limit on a number's digits (fuzz/review_match found one of 68 characters) */
	if (v.n >= sizeof(buf) && !(text = aims__malloc(v.n + 1)))
		return aims__oom();
	memcpy(text, v.p, v.n);
	text[v.n] = '\0';
	char *end = NULL;
	double d = strtod(text, &end);
	int ok = end && !*end;
	if (text != buf)
		aims__free(text);
	if (!ok)
		return -1;
	*out = d;
	return 0;
}

/* ---- selection ---- */

/* FNV-1a, 64 bits, of the system name: mixes the system into the sample */
static uint64_t fnv1a64(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

/* the sampler of docs/oversight.md: SplitMix64's finalizer of seed ^ fnv1a64(system) ^ index * golden ratio */
static int sampled(const aims_policy_review *r, uint64_t system_hash, uint64_t index)
{
	uint64_t x = r->seed ^ system_hash ^ (index * 0x9e3779b97f4a7c15ULL);
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x % 1000000u < r->sample_ppm;
}

/*
 * The same readings on a canonical record (what the ingest hands over, with
 * its member spans): no whitespace, every string's quotes and backslashes
 * escaped, so a value ends at the first unescaped quote (strings) or at the
 * first ',', '}' or ']' (numbers, literals), and the scan of an object stops
 * at the member it looks for. This is the per-record cost of review selection
 * on ingest (bench/review.c); anything unexpected (a key with an escape, a
 * malformed span) answers -1 and the general scanner above decides.
 */
static int canon_skip(const char **pp, const char *e)
{
	const char *p = *pp;
	int depth = 0;
	do {
		if (p >= e)
			return -1;
		switch (*p) {
		case '"':
			for (p++;; p++) {
				if (p >= e)
					return -1;
				if (*p == '"')
					break;
				if (*p == '\\')
					p++;
			}
			p++;
			break;
		case '{':
		case '[':
			depth++;
			p++;
			break;
		case '}':
		case ']':
			if (--depth < 0)
				return -1;
			p++;
			break;
		case ',':
		case ':':
			if (depth == 0)
				return -1;
			p++;
			break;
		default:
			while (p < e && *p != ',' && *p != '}' && *p != ']' && *p != ':')
				p++;
			break;
		}
	} while (depth > 0);
	*pp = p;
	return 0;
}

/* the member key[0..klen) of the canonical object o: 1 and its span, 0 when absent, -1 to fall back */
static int canon_member(aims__jspan *out, aims__jspan o, const char *key, size_t klen)
{
	const char *p = o.p, *e = o.p + o.n;
	if (o.n < 2 || *p != '{')
		return o.n ? 0 : -1;
	p++;
	if (*p == '}')
		return 0;
	while (p < e && *p == '"') {
		const char *ks = ++p;
		while (p < e && *p != '"' && *p != '\\')
			p++;
		if (p + 1 >= e || *p != '"' || p[1] != ':')
			return -1;
		size_t kn = (size_t)(p - ks);
		p += 2;
		const char *vs = p;
		if (canon_skip(&p, e) < 0)
			return -1;
		if (kn == klen && memcmp(ks, key, klen) == 0) {
			out->p = vs;
			out->n = (size_t)(p - vs);
			return 1;
		}
		if (p < e && *p == ',') {
			p++;
			continue;
		}
		return p < e && *p == '}' ? 0 : -1;
	}
	return -1;
}

/* aims__jscan_path on a canonical object */
static int canon_path(aims__jspan *out, aims__jspan obj, const char *path)
{
	aims__jspan v = obj;
	out->p = NULL;
	out->n = 0;
	for (const char *p = path; *p;) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		if (n == 0 || n >= 130)  /* as aims__jscan_path */
			return 0;
		int r = canon_member(&v, v, p, n);
		if (r <= 0)
			return r;
		p += n;
		if (*p == '.')
			p++;
	}
	*out = v;
	return 1;
}

/* aims__jscan_is on a canonical value: -1 when it holds an escape (the general reading decides) */
static int canon_is(aims__jspan v, const char *text, size_t tn)
{
	if (v.p[0] != '"')
		return v.n == tn && memcmp(v.p, text, tn) == 0;
	if (v.n != tn + 2)
		return memchr(v.p, '\\', v.n) ? -1 : 0;
	for (size_t i = 0; i < tn; i++)
		if (v.p[1 + i] == '\\')
			return -1;
	return memcmp(v.p + 1, text, tn) == 0;
}

/* the canonical value is the text: the quick comparison, else (when it cannot tell) the general one */
static int is(aims__jspan v, const char *text)
{
	int r = v.p && v.n ? canon_is(v, text, strlen(text)) : -1;
	return r >= 0 ? r : aims__jscan_is(v, text);
}

uint64_t aims__review_system_hash(const char *system)
{
	return fnv1a64(system);
}

/*
 * The compiled matcher: the rules as the ingest's selector applies them to
 * every record, with what the scans above recompute per record (the path
 * split at its dots, each text's length, whether a text can be compared as
 * bytes) worked out once. On the canonical records the canonicalizer
 * produces, a string holds an escape only for a quote, a backslash, a
 * control character or a character beyond ASCII; so a text made of other
 * printable ASCII characters (and no '/') equals a string value exactly when
 * the value's bytes are the text between quotes, and a key of such
 * characters is found by comparing bytes where the key starts. Anything else
 * (a key or text that is not so plain, an object or array compared with a
 * text, a record the quick reading cannot tell) goes to the readings above,
 * so the result is always match_members' (fuzz/review_match.c holds the two
 * to it). It exists because matching was about a quarter of the CPU that
 * review selection adds to an ingest (bench/review.c): the canonical
 * scanner above took about 65 ns a record on the benchmark's records,
 * most of it walking keys and string values byte by byte, this about 40 ns.
 */
#define RM_SEGS 16

typedef struct {
	const char *path;              /* as written in the policy */
	const char *seg[RM_SEGS];      /* the segments looked up, in order */
	size_t len[RM_SEGS];
	size_t n;
	int stop;                      /* a later segment is empty or too long: not found (as aims__jscan_path) */
	int general;                   /* not plain, or too many segments: canon_path decides */
} rm_path;

typedef struct {
	const char *text;
	size_t n;
	int plain;                     /* printable ASCII but '"', '\\' and '/': its canonical string is "text" */
} rm_text;

typedef struct {
	rm_path path;
	rm_text *values;
} rm_input;

struct aims__review_matcher {
	const aims_policy_review *rules;
	uint64_t system_hash;
	rm_path output;
	rm_text *classes;
	rm_input *inputs;
};

/* a[0..n) == b[0..n): keys and texts are short, where memcmp's call costs more than the comparison */
static inline int rm_eq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

static int rm_plain(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '/')
			return 0;
	}
	return 1;
}

static void rm_text_set(rm_text *t, const char *text)
{
	t->text = text;
	t->n = strlen(text);
	t->plain = rm_plain(text, t->n);
}

/* the segments of path as canon_path walks them */
static void rm_path_set(rm_path *rp, const char *path)
{
	memset(rp, 0, sizeof(*rp));
	rp->path = path;
	for (const char *p = path; *p;) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		if (n == 0 || n >= 130) {
			rp->stop = 1;
			return;
		}
		if (rp->n == RM_SEGS || !rm_plain(p, n)) {
			rp->general = 1;
			return;
		}
		rp->seg[rp->n] = p;
		rp->len[rp->n++] = n;
		p += n;
		if (*p == '.')
			p++;
	}
}

void aims__review_matcher_free(aims__review_matcher *mt)
{
	if (!mt)
		return;
	if (mt->inputs)
		for (size_t k = 0; k < mt->rules->ninputs; k++)
			aims__free(mt->inputs[k].values);
	aims__free(mt->inputs);
	aims__free(mt->classes);
	aims__free(mt);
}

int aims__review_matcher_new(aims__review_matcher **out, const aims_policy_review *rules, uint64_t system_hash)
{
	aims__review_matcher *mt = aims__calloc(1, sizeof(*mt));
	*out = NULL;
	if (!mt)
		return aims__oom();
	mt->rules = rules;
	mt->system_hash = system_hash;
	if (rules->output_field)
		rm_path_set(&mt->output, rules->output_field);
	if ((rules->noutput_classes && !(mt->classes = aims__calloc(rules->noutput_classes, sizeof(*mt->classes)))) ||
	    (rules->ninputs && !(mt->inputs = aims__calloc(rules->ninputs, sizeof(*mt->inputs))))) {
		aims__review_matcher_free(mt);
		return aims__oom();
	}
	for (size_t i = 0; i < rules->noutput_classes; i++)
		rm_text_set(&mt->classes[i], rules->output_classes[i]);
	for (size_t k = 0; k < rules->ninputs; k++) {
		rm_path_set(&mt->inputs[k].path, rules->inputs[k].field);
		if (rules->inputs[k].nvalues &&
		    !(mt->inputs[k].values = aims__calloc(rules->inputs[k].nvalues, sizeof(*mt->inputs[k].values)))) {
			aims__review_matcher_free(mt);
			return aims__oom();
		}
		for (size_t i = 0; i < rules->inputs[k].nvalues; i++)
			rm_text_set(&mt->inputs[k].values[i], rules->inputs[k].values[i]);
	}
	*out = mt;
	return 0;
}

/*
 * canon_member for a plain key, in the canonical object starting at o (e
 * bounds the reading): 1 and where its value starts, 0 when absent, -1 to
 * fall back.
 */
static int rm_member(const char **vp, const char *o, const char *e, const char *key, size_t klen)
{
	const char *p = o;
	if (e - p < 2 || *p != '{')
		return e > p ? 0 : -1;
	p++;
	if (*p == '}')
		return 0;
	while (p < e && *p == '"') {
		const char *ks = ++p;
		if ((size_t)(e - ks) > klen + 1 && ks[klen] == '"' && ks[klen + 1] == ':' && rm_eq(ks, key, klen)) {
			*vp = ks + klen + 2;
			return 1;
		}
		while (p < e && *p != '"' && *p != '\\')
			p++;
		if (p + 1 >= e || *p != '"' || p[1] != ':')
			return -1;
		p += 2;
		if (canon_skip(&p, e) < 0)
			return -1;
		if (p < e && *p == ',') {
			p++;
			continue;
		}
		return p < e && *p == '}' ? 0 : -1;
	}
	return -1;
}

/* the value at path inside the canonical object [o, e): 1 and where it starts, 0 when absent, -1 to fall back */
static int rm_find(const char **vp, const rm_path *rp, const char *o, const char *e)
{
	if (rp->general)
		return -1;
	for (size_t i = 0; i < rp->n; i++) {
		int r = rm_member(&o, o, e, rp->seg[i], rp->len[i]);
		if (r <= 0)
			return r;
	}
	if (rp->stop)
		return 0;
	*vp = o;
	return 1;
}

/* the canonical value starting at vp (e bounds it) is the text: 1, 0, or -1 when the bytes cannot tell */
static int rm_is(const char *vp, const char *e, const rm_text *t)
{
	size_t room = (size_t)(e - vp);
	if (!t->plain || room == 0 || *vp == '{' || *vp == '[')
		return -1;
	if (*vp == '"')
		return room >= t->n + 2 && vp[1 + t->n] == '"' && rm_eq(vp + 1, t->text, t->n);
	/* a number or a literal ends at the first ',', '}' or ']' */
	if (room < t->n || !rm_eq(vp, t->text, t->n))
		return 0;
	return room == t->n || vp[t->n] == ',' || vp[t->n] == '}' || vp[t->n] == ']';
}

/* one of texts[0..n) is the value starting at vp (e bounds it): 0 and *hit, -1 when the bytes cannot tell */
static int rm_any(int *hit, const char *vp, const char *e, const rm_text *texts, size_t n)
{
	aims__jspan span = { NULL, 0 };
	*hit = 0;
	for (size_t i = 0; i < n; i++) {
		int r = rm_is(vp, e, &texts[i]);
		if (r < 0) {
			if (!span.p) {
				const char *q = vp;
				if (canon_skip(&q, e) < 0)
					return -1;
				span.p = vp;
				span.n = (size_t)(q - vp);
			}
			r = is(span, texts[i].text);
		}
		if (r) {
			*hit = 1;
			break;
		}
	}
	return 0;
}

/*
 * One of texts[0..n) is the value at rp inside the member (rp NULL: the
 * member itself): 1 and *hit when the path is there, 0 when it is not, -1
 * when the member is not well-formed. The compiled reading first; when it
 * cannot tell, the readings of match_members.
 */
static int rm_values(int *hit, const rm_path *rp, aims__jspan member, const rm_text *texts, size_t n)
{
	const char *vp = member.p, *e = member.p + member.n;
	aims__jspan f = member;
	int found = rp ? rm_find(&vp, rp, member.p, e) : 1;
	*hit = 0;
	if (found == 0 || (found == 1 && rm_any(hit, vp, e, texts, n) == 0))
		return found;
	*hit = 0;
	if (rp && (found = canon_path(&f, member, rp->path)) < 0 && (found = aims__jscan_path(&f, member, rp->path)) < 0)
		return -1;
	for (size_t i = 0; found == 1 && i < n; i++)
		if (is(f, texts[i].text)) {
			*hit = 1;
			break;
		}
	return found;
}

/* one of texts[0..n) is the value at path inside the member (path NULL: the member itself), any JSON: as rm_values */
static int any_value(int *hit, const char *path, aims__jspan member, char *const *texts, size_t n)
{
	aims__jspan f = member;
	int found = path ? aims__jscan_path(&f, member, path) : 1;
	*hit = 0;
	for (size_t i = 0; found == 1 && i < n; i++)
		if (aims__jscan_is(f, texts[i])) {
			*hit = 1;
			break;
		}
	return found;
}

/*
 * The rules on the members v[] = confidence, output, input, review (p NULL
 * when absent): with mt, the compiled reading of a canonical record; without
 * it, the general scanner, which reads any JSON.
 */
static int match_members(unsigned *reasons, const aims_policy_review *rules, const aims__review_matcher *mt,
			 uint64_t system_hash, uint64_t index, const aims__jspan *v)
{
	unsigned why = 0;
	int hit;
	*reasons = 0;
	/* reviewed already (at the source), or a review record itself */
	if (v[3].p || !rules || !rules->present)
		return 0;
	if (rules->has_confidence && v[0].p) {
		double c;
		int r = aims__jscan_number(&c, v[0]);
		if (r == AIMS_ENOMEM)
			return r;
		if (r == 0 && c < rules->confidence_below)
			why |= AIMS_REVIEW_CONFIDENCE;
	}
	if (rules->noutput_classes && v[1].p) {
		if ((mt ? rm_values(&hit, rules->output_field ? &mt->output : NULL, v[1], mt->classes, rules->noutput_classes) :
			  any_value(&hit, rules->output_field, v[1], rules->output_classes, rules->noutput_classes)) < 0)
			return aims__err(AIMS_EINVALID, "decision record %llu: output is not well-formed JSON",
					 (unsigned long long)index);
		if (hit)
			why |= AIMS_REVIEW_OUTPUT;
	}
	for (size_t k = 0; v[2].p && k < rules->ninputs && !(why & AIMS_REVIEW_INPUT); k++) {
		const aims_policy_input_rule *in = &rules->inputs[k];
		if ((mt ? rm_values(&hit, &mt->inputs[k].path, v[2], mt->inputs[k].values, in->nvalues) :
			  any_value(&hit, in->field, v[2], in->values, in->nvalues)) < 0)
			return aims__err(AIMS_EINVALID, "decision record %llu: input is not well-formed JSON",
					 (unsigned long long)index);
		if (hit)
			why |= AIMS_REVIEW_INPUT;
	}
	if (rules->sample_ppm && sampled(rules, system_hash, index))
		why |= AIMS_REVIEW_SAMPLE;
	*reasons = why;
	return 0;
}

int aims_review_match(unsigned *reasons, const aims_policy_review *rules, const char *system, uint64_t index,
		      const char *record, size_t len)
{
	static const char *const keys[] = { "confidence", "output", "input", "review" };
	aims__jspan v[4];
	*reasons = 0;
	if (aims__jscan_members(v, keys, 4, record, len) < 0)
		return aims__err(AIMS_EINVALID, "decision record %llu: not a JSON object", (unsigned long long)index);
	return match_members(reasons, rules, NULL, fnv1a64(system), index, v);
}

int aims__review_matcher_run(unsigned *reasons, const aims__review_matcher *mt, uint64_t index, const char *record,
			     size_t len, const aims_decision_members *m)
{
	const aims_decision_span *sp[4] = { &m->confidence, &m->output, &m->input, &m->review };
	aims__jspan v[4];
	*reasons = 0;
	for (size_t i = 0; i < 4; i++) {
		if (sp[i]->len == 0) {
			v[i].p = NULL;
			v[i].n = 0;
			continue;
		}
		if (sp[i]->off > len || sp[i]->len > len - sp[i]->off)
			return aims__err(AIMS_EINVALID, "decision record %llu: a member lies outside the record",
					 (unsigned long long)index);
		v[i].p = record + sp[i]->off;
		v[i].n = sp[i]->len;
	}
	return match_members(reasons, mt->rules, mt, mt->system_hash, index, v);
}

int aims_review_match_members(unsigned *reasons, const aims_policy_review *rules, const char *system,
			      uint64_t index, const char *record, size_t len, const aims_decision_members *m)
{
	aims__review_matcher *mt;
	int err;
	*reasons = 0;
	if (!rules)
		return 0;
	if ((err = aims__review_matcher_new(&mt, rules, fnv1a64(system))) < 0)
		return err;
	err = aims__review_matcher_run(reasons, mt, index, record, len, m);
	aims__review_matcher_free(mt);
	return err;
}


/* ---- shared helpers ---- */

int aims__ov_principal(const aims_principal **out, aims_store *store)
{
	const aims_principal *p = aims_store_principal(store);
	*out = p;
	if (!p || p->kind == AIMS_PRINCIPAL_NONE)
		return aims__err(AIMS_EAUTH, "not signed in: gates and reviews are decided by an authenticated principal");
	return 0;
}

void aims__ov_roles(char *out, size_t size, unsigned roles)
{
	aims_buf b = AIMS_BUF_INIT;
	if (aims_roles_format(&b, roles) == 0 && b.ptr)
		snprintf(out, size, "%s", b.ptr);
	else
		snprintf(out, size, "%s", "");
	aims_buf_release(&b);
}

/* Kuhn's augmenting paths: slots are (requirement, k) pairs; small sizes (<= 140 slots, <= 64 approvers) */
#define MAX_SLOTS 160
typedef struct {
	int slot_req[MAX_SLOTS];
	int slot_owner[MAX_SLOTS];   /* approver filling the slot, -1 */
	size_t nslots;
	const aims_policy_approval *req;
	const unsigned *roles;
	int seen[MAX_SLOTS];
} matcher;

static int augment(matcher *m, size_t a)
{
	for (size_t s = 0; s < m->nslots; s++) {
		if (m->seen[s] || !(m->roles[a] & m->req[m->slot_req[s]].bit))
			continue;
		m->seen[s] = 1;
		if (m->slot_owner[s] < 0 || augment(m, (size_t)m->slot_owner[s])) {
			m->slot_owner[s] = (int)a;
			return 1;
		}
	}
	return 0;
}

void aims__ov_match(int *have, const aims_policy_approval *req, size_t nreq, const unsigned *approver_roles,
		    size_t napprovers)
{
	matcher m;
	memset(&m, 0, sizeof(m));
	m.req = req;
	m.roles = approver_roles;
	for (size_t i = 0; i < nreq; i++) {
		have[i] = 0;
		for (int k = 0; k < req[i].count && m.nslots < MAX_SLOTS; k++) {
			m.slot_req[m.nslots] = (int)i;
			m.slot_owner[m.nslots] = -1;
			m.nslots++;
		}
	}
	for (size_t a = 0; a < napprovers && a < 64; a++) {
		memset(m.seen, 0, sizeof(m.seen));
		(void)augment(&m, a);
	}
	for (size_t s = 0; s < m.nslots; s++)
		if (m.slot_owner[s] >= 0)
			have[m.slot_req[s]]++;
}

int aims__ov_canonical(char **out, size_t *len, const json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII | JSON_ENCODE_ANY);
	*out = NULL;
	*len = 0;
	if (!s)
		return aims__oom();
	size_t n = strlen(s);
	if (!strchr(s, 0x7f)) {
		*out = s;
		*len = n;
		return 0;
	}
	/* jansson leaves DEL raw; the canonical form (docs/ledger.md) is printable ASCII only */
	aims_buf b = AIMS_BUF_INIT;
	int err = 0;
	for (size_t i = 0; i < n && err == 0; i++)
		err = s[i] == 0x7f ? aims_buf_puts(&b, "\\u007F") : aims_buf_putc(&b, s[i]);
	aims__free(s);
	if (err < 0) {
		aims_buf_release(&b);
		return err;
	}
	if (!(*out = aims_buf_detach(&b, len)))
		return aims__oom();
	return 0;
}
