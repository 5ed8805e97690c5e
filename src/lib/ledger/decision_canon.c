/*
 * The canonical form of an AI decision record (docs/ledger.md, "Canonical
 * record"), computed by a strict single-pass scanner.
 *
 * Why a scanner of our own: the canonical form is defined by what jansson
 * does (parse, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII dump) plus
 * two rules of ours, and decision_canon_ref.c computes it exactly that way.
 * But jansson builds a tree of allocated nodes for every record, and that
 * parse, the allocations and the buffer growth of the dump were most of
 * the time of `aims decision ingest` (about 80,000 records/s). This scanner
 * reads a line once, left to right, and writes the canonical bytes as it
 * goes into buffers it keeps from record to record: no allocation per
 * record, no tree. Keys are sorted only where they arrive out of order.
 *
 * It accepts exactly what the reference accepts and writes the same bytes:
 * fuzz/decision_canon_diff.c compares the two on arbitrary input (equal
 * bytes, or both refuse), and the unit tests hold both to the examples of
 * docs/ledger.md. The rules it reproduces, all from jansson 2.14: RFC 8259
 * syntax with white space of space, tab, CR and LF; UTF-8 checked
 * (overlong forms, surrogates and code points above U+10FFFF refused);
 * \u0000 refused; lone or unpaired surrogate escapes refused; a duplicate
 * key refused at any depth; at most 2048 nested values; keys sorted by
 * their bytes; integers within int64 written in decimal, every other
 * number as the nearest double printed with "%.17g", ".0" added when that
 * has neither '.' nor 'e', the exponent without '+' and leading zeros; a
 * real that overflows refused; a NUL byte refused wherever it is (the
 * reference refuses it before jansson, which would skip one that follows a
 * number or a literal). Which error a line with several faults
 * reports may differ from the reference; that it is refused does not.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "aims/decision.h"
#include "core/core.h"
#include "ledger/decision_internal.h"

#define MAX_DEPTH 2048                           /* jansson's JSON_PARSER_MAX_DEPTH */
#define VMAX (AIMS_DECISION_RECORD_MAX + 1)      /* canonical bytes kept; more is an error */

/* the top-level keys, in sorted (canonical) order */
enum { K_CONFIDENCE, K_EXPLANATION, K_INPUT, K_INPUT_DIGEST, K_MODEL, K_MODEL_DIGEST, K_OUTPUT, K_REVIEW, K_TIME,
       K_COUNT };
static const char *const key_names[K_COUNT] = {
	"confidence", "explanation", "input", "input_digest", "model", "model_digest", "output", "review", "time",
};
static const size_t key_lens[K_COUNT] = { 10, 11, 5, 12, 5, 12, 6, 6, 4 };

/* JSON value types */
enum { T_NONE, T_STRING, T_NUMBER, T_OBJECT, T_ARRAY, T_LITERAL };

typedef struct {
	size_t koff, klen;   /* the decoded key: in the input (kin) or in the key arena */
	int kin;
	size_t vstart, vend; /* "key":value in the output scratch */
} member;

typedef struct {
	int type;
	size_t doff, dlen;   /* T_STRING with decoding asked for: the decoded bytes, */
	int in;              /* in the input (a plain string) or in dec */
	double num;          /* T_NUMBER */
} vinfo;

/* what the top-level scan found of one known key */
typedef struct {
	int present;
	vinfo v;
	size_t vstart, vend; /* the canonical value in the output scratch */
} field;

/* direct members of "review", in the order they came */
typedef struct {
	int n;
	int unknown;         /* index of the first unknown key, -1 if none */
	size_t ukoff, uklen; /* its decoded bytes (key arena) */
	int ukin;
	vinfo reviewer, action, reason;
	int has_reviewer, has_action, has_reason;
} review_cap;

struct aims__dcanon {
	const unsigned char *start, *p, *end;
	char *v;             /* canonical output scratch */
	size_t vlen, vcap;
	int overflow;        /* more than VMAX canonical bytes: keep scanning, refuse at the end */
	char *tmp;           /* scratch for reordering an object's members */
	size_t tmpcap;
	member *m;
	size_t mn, mcap;
	char *ka;            /* decoded keys that had escapes */
	size_t kalen, kacap;
	char *dec;           /* decoded strings that are checked */
	size_t declen, deccap;
	const char *emsg;    /* syntax error */
	size_t epos;
	char ebuf[64];
	/* the last record scanned (aims__dcanon_scan), for aims__dcanon_emit */
	field fl[K_COUNT];
	char conf[16];
	size_t clen;
	size_t total;
};

/* byte classes inside a string: 0 copied as is, 1 needs attention */
static unsigned char str_special[256];
static int tables_ready;

static void init_tables(void)
{
	if (tables_ready)
		return;
	for (int i = 0; i < 256; i++) {
		str_special[i] = (unsigned char)(i < 0x20 || i == '"' || i == '\\' || i >= 0x7f);
	}
	tables_ready = 1;
}

int aims__dcanon_new(aims__dcanon **out)
{
	*out = aims__calloc(1, sizeof(**out));
	if (!*out)
		return aims__oom();
	init_tables();
	return 0;
}

void aims__dcanon_free(aims__dcanon *c)
{
	if (!c)
		return;
	aims__free(c->v);
	aims__free(c->tmp);
	aims__free(c->m);
	aims__free(c->ka);
	aims__free(c->dec);
	aims__free(c);
}

/* ---- buffers ---- */

static int grow(char **buf, size_t *cap, size_t need)
{
	if (need <= *cap)
		return 0;
	size_t nc = *cap ? *cap : 4096;
	while (nc < need)
		nc *= 2;
	char *nb = aims__realloc(*buf, nc);
	if (!nb)
		return aims__oom();
	*buf = nb;
	*cap = nc;
	return 0;
}

/*
 * memcpy of a few bytes without a call: most copies here are keys and short
 * values, for which calling memcpy (through the PLT, then its size dispatch)
 * cost more than the copy. Reads and writes only the n bytes.
 */
static inline void copy_short(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if (n >= 16 && n <= 32) {
		uint64_t a, b, x, y;
		memcpy(&a, s, 8);
		memcpy(&b, s + 8, 8);
		memcpy(&x, s + n - 16, 8);
		memcpy(&y, s + n - 8, 8);
		memcpy(d, &a, 8);
		memcpy(d + 8, &b, 8);
		memcpy(d + n - 16, &x, 8);
		memcpy(d + n - 8, &y, 8);
	} else if (n >= 8 && n < 16) {
		uint64_t a, b;
		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
		memcpy(d, &a, 8);
		memcpy(d + n - 8, &b, 8);
	} else if (n >= 4 && n < 8) {
		uint32_t a, b;
		memcpy(&a, s, 4);
		memcpy(&b, s + n - 4, 4);
		memcpy(d, &a, 4);
		memcpy(d + n - 4, &b, 4);
	} else if (n > 0 && n < 4) {
		d[0] = s[0];
		d[n / 2] = s[n / 2];
		d[n - 1] = s[n - 1];
	} else if (n > 32) {
		memcpy(d, s, n);
	}
}

/* append to the canonical output; past VMAX only the overflow is noted */
static int put(aims__dcanon *c, const void *d, size_t n)
{
	if (c->overflow)
		return 0;
	if (c->vlen + n > VMAX) {
		c->overflow = 1;
		return 0;
	}
	if (c->vlen + n > c->vcap) {
		size_t need = c->vlen + n;
		if (need < (size_t)64 << 10)
			need = (size_t)64 << 10;
		if (grow(&c->v, &c->vcap, need) < 0)
			return AIMS_ENOMEM;
	}
	copy_short(c->v + c->vlen, d, n);
	c->vlen += n;
	return 0;
}

static int put1(aims__dcanon *c, char ch)
{
	if (!c->overflow && c->vlen < c->vcap && c->vlen < VMAX) {
		c->v[c->vlen++] = ch;
		return 0;
	}
	return put(c, &ch, 1);
}

static int dec_put(aims__dcanon *c, const void *d, size_t n)
{
	if (grow(&c->dec, &c->deccap, c->declen + n) < 0)
		return AIMS_ENOMEM;
	memcpy(c->dec + c->declen, d, n);
	c->declen += n;
	return 0;
}

static int ka_put(aims__dcanon *c, const void *d, size_t n)
{
	if (grow(&c->ka, &c->kacap, c->kalen + n) < 0)
		return AIMS_ENOMEM;
	memcpy(c->ka + c->kalen, d, n);
	c->kalen += n;
	return 0;
}

/* a syntax error at the cursor (AIMS_EINVALID is returned once, at the end, with the column) */
static int syntax(aims__dcanon *c, const char *msg)
{
	c->emsg = msg;
	c->epos = (size_t)(c->p - c->start);
	return AIMS_EINVALID;
}

static void skip_ws(aims__dcanon *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\r' || *c->p == '\n'))
		c->p++;
}

/* ---- strings ---- */

static int hexval(unsigned char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* four hex digits at p (p + 4 <= end checked by the caller) */
static long hex4(const unsigned char *p)
{
	long v = 0;
	for (int i = 0; i < 4; i++) {
		int h = hexval(p[i]);
		if (h < 0)
			return -1;
		v = v << 4 | h;
	}
	return v;
}

/* the canonical escape of code point cp (jansson's dump_string with ENSURE_ASCII, DEL escaped too) */
static int put_cp(aims__dcanon *c, long cp)
{
	static const char hex[] = "0123456789ABCDEF";
	char e[12];
	switch (cp) {
	case '"': return put(c, "\\\"", 2);
	case '\\': return put(c, "\\\\", 2);
	case '\b': return put(c, "\\b", 2);
	case '\f': return put(c, "\\f", 2);
	case '\n': return put(c, "\\n", 2);
	case '\r': return put(c, "\\r", 2);
	case '\t': return put(c, "\\t", 2);
	default: break;
	}
	if (cp >= 0x20 && cp < 0x7f)
		return put1(c, (char)cp);
	if (cp < 0x10000) {
		e[0] = '\\';
		e[1] = 'u';
		e[2] = hex[cp >> 12 & 15];
		e[3] = hex[cp >> 8 & 15];
		e[4] = hex[cp >> 4 & 15];
		e[5] = hex[cp & 15];
		return put(c, e, 6);
	}
	long v = cp - 0x10000, hi = 0xD800 | (v >> 10), lo = 0xDC00 | (v & 0x3ff);
	e[0] = e[6] = '\\';
	e[1] = e[7] = 'u';
	e[2] = hex[hi >> 12 & 15];
	e[3] = hex[hi >> 8 & 15];
	e[4] = hex[hi >> 4 & 15];
	e[5] = hex[hi & 15];
	e[8] = hex[lo >> 12 & 15];
	e[9] = hex[lo >> 8 & 15];
	e[10] = hex[lo >> 4 & 15];
	e[11] = hex[lo & 15];
	return put(c, e, 12);
}

static void utf8_encode(unsigned char *b, size_t *n, long cp)
{
	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		*n = 1;
	} else if (cp < 0x800) {
		b[0] = (unsigned char)(0xC0 | cp >> 6);
		b[1] = (unsigned char)(0x80 | (cp & 0x3F));
		*n = 2;
	} else if (cp < 0x10000) {
		b[0] = (unsigned char)(0xE0 | cp >> 12);
		b[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		b[2] = (unsigned char)(0x80 | (cp & 0x3F));
		*n = 3;
	} else {
		b[0] = (unsigned char)(0xF0 | cp >> 18);
		b[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
		b[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		b[3] = (unsigned char)(0x80 | (cp & 0x3F));
		*n = 4;
	}
}

/* one UTF-8 sequence at p (first byte >= 0x80): its code point and length, or -1 (jansson's utf8_check_full) */
static long utf8_decode(const unsigned char *p, const unsigned char *end, size_t *n)
{
	unsigned char u = p[0];
	size_t k;
	long v;
	if (u >= 0xC2 && u <= 0xDF) {
		k = 2;
		v = u & 0x1F;
	} else if (u >= 0xE0 && u <= 0xEF) {
		k = 3;
		v = u & 0x0F;
	} else if (u >= 0xF0 && u <= 0xF4) {
		k = 4;
		v = u & 0x07;
	} else {
		return -1;
	}
	if ((size_t)(end - p) < k)
		return -1;
	for (size_t i = 1; i < k; i++) {
		if (p[i] < 0x80 || p[i] > 0xBF)
			return -1;
		v = v << 6 | (p[i] & 0x3F);
	}
	if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) || (k == 3 && v < 0x800) || (k == 4 && v < 0x10000))
		return -1;
	*n = k;
	return v;
}

/*
 * The first byte from q on that a string does not copy as is (below 0x20,
 * '"', '\\', 0x7f, 0x80 and above), or end: sixteen bytes at a time with
 * SSE2 (on every x86-64), else eight with integer arithmetic. Most strings of
 * a record are short keys and values, so the step's set-up counts as much as
 * its width.
 */
static inline const unsigned char *plain_end(const unsigned char *q, const unsigned char *end)
{
#if defined(__SSE2__)
	const __m128i space = _mm_set1_epi8(0x20), quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\'),
		      del = _mm_set1_epi8(0x7f);
	while (end - q >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)q);
		/* a signed comparison: bytes of 0x80 and above are negative, so below 0x20 as well */
		__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmplt_epi8(x, space), _mm_cmpeq_epi8(x, quote)),
					 _mm_or_si128(_mm_cmpeq_epi8(x, bslash), _mm_cmpeq_epi8(x, del)));
		unsigned bits = (unsigned)_mm_movemask_epi8(m);
		if (bits)
			return q + __builtin_ctz(bits);
		q += 16;
	}
#endif
	while (end - q >= 8) {
		uint64_t x, ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
		memcpy(&x, q, 8);
		uint64_t lt20 = (x - ones * 0x20) & ~x;
		uint64_t qt = x ^ (ones * '"'), bs = x ^ (ones * '\\'), dl = x ^ (ones * 0x7f);
		uint64_t hit = (lt20 | ((qt - ones) & ~qt) | ((bs - ones) & ~bs) | ((dl - ones) & ~dl) | x) & high;
		if (hit) {
			/* the lowest flag is the first such byte (a borrow only flags bytes above a true
			 * one); on a big-endian machine the byte loop below finds it */
			if (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)
				return q + (__builtin_ctzll(hit) >> 3);
			break;
		}
		q += 8;
	}
	while (q < end && !str_special[*q])
		q++;
	return q;
}

/*
 * A string; the cursor is on its opening quote. Writes its canonical form to
 * the output when emit is set. With want_dec, *doff and *dlen locate its
 * decoded bytes: in the input when *in is set (printable ASCII without
 * escapes, the common case, copied nowhere), else in the key arena (to_ka)
 * or in dec.
 */
static int scan_string(aims__dcanon *c, int emit, int to_ka, int want_dec, size_t *doff, size_t *dlen,
		       int *in)
{
	const unsigned char *s0 = c->p + 1, *p = s0, *end = c->end;
	size_t a0 = to_ka ? c->kalen : c->declen;
	int err, copying = 0;

	if (emit && (err = put1(c, '"')) < 0)
		return err;
	for (;;) {
		const unsigned char *q = plain_end(p, end);
		if (q > p) {
			if (emit && (err = put(c, p, (size_t)(q - p))) < 0)
				return err;
			if (copying && (err = to_ka ? ka_put(c, p, (size_t)(q - p)) :
						      dec_put(c, p, (size_t)(q - p))) < 0)
				return err;
			p = q;
		}
		if (p >= end) {
			c->p = p;
			return syntax(c, "premature end of input");
		}
		unsigned char ch = *p;
		long cp;
		size_t n = 1;
		if (ch == '"')
			break;
		if (ch == '\\') {
			if (end - p < 2) {
				c->p = p + 1;
				return syntax(c, "premature end of input");
			}
			n = 2;
			switch (p[1]) {
			case '"': cp = '"'; break;
			case '\\': cp = '\\'; break;
			case '/': cp = '/'; break;
			case 'b': cp = '\b'; break;
			case 'f': cp = '\f'; break;
			case 'n': cp = '\n'; break;
			case 'r': cp = '\r'; break;
			case 't': cp = '\t'; break;
			case 'u':
				if (end - p < 6 || (cp = hex4(p + 2)) < 0) {
					c->p = p;
					return syntax(c, "invalid escape");
				}
				n = 6;
				if (cp >= 0xD800 && cp <= 0xDBFF) {
					long lo;
					if (end - p < 12 || p[6] != '\\' || p[7] != 'u') {
						c->p = p;
						return syntax(c, "invalid Unicode escape: a high surrogate without "
							      "its low surrogate");
					}
					if ((lo = hex4(p + 8)) < 0) {
						c->p = p + 6;
						return syntax(c, "invalid escape");
					}
					if (lo < 0xDC00 || lo > 0xDFFF) {
						c->p = p;
						return syntax(c, "invalid Unicode escape: a high surrogate without "
							      "its low surrogate");
					}
					cp = ((cp - 0xD800) << 10) + (lo - 0xDC00) + 0x10000;
					n = 12;
				} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
					c->p = p;
					return syntax(c, "invalid Unicode escape: a lone low surrogate");
				} else if (cp == 0) {
					c->p = p;
					return syntax(c, "\\u0000 is not allowed");
				}
				break;
			default:
				c->p = p;
				return syntax(c, "invalid escape");
			}
		} else if (ch < 0x20) {
			c->p = p;
			snprintf(c->ebuf, sizeof(c->ebuf), "control character 0x%x", ch);
			return syntax(c, c->ebuf);
		} else if (ch == 0x7f) {
			cp = 0x7f;
		} else if ((cp = utf8_decode(p, end, &n)) < 0) {
			c->p = p;
			snprintf(c->ebuf, sizeof(c->ebuf), "unable to decode byte 0x%x", ch);
			return syntax(c, c->ebuf);
		}
		if (emit && (err = put_cp(c, cp)) < 0)
			return err;
		if (want_dec) {
			unsigned char b[4];
			size_t bn;
			if (!copying) {
				/* the first character that is not copied as is: the plain prefix first */
				copying = 1;
				if (p > s0 && (err = to_ka ? ka_put(c, s0, (size_t)(p - s0)) :
							     dec_put(c, s0, (size_t)(p - s0))) < 0)
					return err;
			}
			utf8_encode(b, &bn, cp);
			if ((err = to_ka ? ka_put(c, b, bn) : dec_put(c, b, bn)) < 0)
				return err;
		}
		p += n;
	}
	if (emit && (err = put1(c, '"')) < 0)
		return err;
	c->p = p + 1;
	if (want_dec) {
		*in = !copying;
		*doff = copying ? a0 : (size_t)(s0 - c->start);
		*dlen = copying ? (to_ka ? c->kalen : c->declen) - a0 : (size_t)(p - s0);
	}
	return 0;
}

/* ---- numbers ---- */

/*
 * The digits of |d| * 10^(16 - x), rounded to an integer (half to even, as
 * glibc's printf rounds), for 1e-5 <= |d| < 2^63, where the arithmetic
 * fits in 128 bits: d = m * 2^q with m < 2^53, and 10^(16 - x) <= 10^21.
 * *exact gets whether the value before rounding is below 10^16 (-1), at
 * least 10^17 (1) or in between (0), so the caller can correct x.
 */
typedef unsigned __int128 u128;

static u128 pow10_u128(int k)
{
	static const uint64_t p[20] = {
		1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL, 100000000ULL,
		1000000000ULL, 10000000000ULL, 100000000000ULL, 1000000000000ULL, 10000000000000ULL,
		100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL, 100000000000000000ULL,
		1000000000000000000ULL, 10000000000000000000ULL,
	};
	if (k <= 0)
		return 1;
	if (k > 38)  /* never asked for: the callers stay within 10^22 */
		k = 38;
	return k < 20 ? (u128)p[k] : (u128)p[19] * p[k - 19];
}

static uint64_t scaled_digits(uint64_t m, int q, int x, int *range)
{
	u128 ip, rem = 0, half = 0;
	int cmp;
	if (x <= 16) {
		u128 n = (u128)m * pow10_u128(16 - x);
		if (q >= 0) {
			ip = n << q;
			cmp = -1;
		} else {
			int sh = -q;
			ip = n >> sh;
			rem = n & (((u128)1 << sh) - 1);
			half = (u128)1 << (sh - 1);
			cmp = rem < half ? -1 : rem > half ? 1 : 0;
		}
	} else {
		u128 v = (u128)m << q, div = pow10_u128(x - 16);
		ip = v / div;
		rem = v % div;
		cmp = 2 * rem < div ? -1 : 2 * rem > div ? 1 : 0;
	}
	*range = ip < (u128)10000000000000000ULL ? -1 : ip >= (u128)100000000000000000ULL ? 1 : 0;
	if (cmp > 0 || (cmp == 0 && (ip & 1)))
		ip++;
	return (uint64_t)ip;
}

/* eight decimal digits of v < 10^8, zeros first */
static void put_digits8(char *d, uint32_t v)
{
	static const char pairs[201] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
				       "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
				       "8081828384858687888990919293949596979899";
	uint32_t hi = v / 10000, lo = v % 10000;
	memcpy(d, pairs + 2 * (hi / 100), 2);
	memcpy(d + 2, pairs + 2 * (hi % 100), 2);
	memcpy(d + 4, pairs + 2 * (lo / 100), 2);
	memcpy(d + 6, pairs + 2 * (lo % 100), 2);
}

/*
 * jansson's real format: C's "%.17g", then ".0" when there is neither '.'
 * nor 'e', and the exponent without '+' and leading zeros. For
 * 1e-5 <= |d| < 2^63 the 17 digits are computed exactly here (glibc's
 * printf took a third of the time of a record); anything else is printed
 * by snprintf. Both give the same bytes: the unit tests compare them on
 * millions of values, ties included.
 */
static int put_real(aims__dcanon *c, double d)
{
	char b[48];
	int n = 0;
	double a = d < 0 ? -d : d;
	if (a >= 1e-5 && a < 9223372036854775808.0) {
		uint64_t bits, m;
		memcpy(&bits, &d, sizeof(bits));
		m = (bits & (((uint64_t)1 << 52) - 1)) | (uint64_t)1 << 52;
		int q = (int)((bits >> 52) & 0x7ff) - 1075, range, x;
		/* a first guess of the decimal exponent from the binary one (floor(e2 log10 2),
		 * at most one too small), corrected by the exact digits */
		int e2 = (int)((bits >> 52) & 0x7ff) - 1023;
		x = e2 >= 0 ? (e2 * 78913) >> 18 : -((-e2 * 78913 + (1 << 18) - 1) >> 18);
		uint64_t dg = scaled_digits(m, q, x, &range);
		if (range != 0) {
			x += range;
			dg = scaled_digits(m, q, x, &range);
		}
		if (dg == 100000000000000000ULL) {  /* rounded up to one more digit */
			dg = 10000000000000000ULL;
			x++;
		}
		/* the 17 digits two at a time, and copies of a constant length below: both were most of
		 * this function's time (a division per digit, `rep movsb` for a copy of unknown length) */
		char dig[33] = { 0 };  /* 17 digits, then room for a copy of 16 from any of them */
		put_digits8(dig + 9, (uint32_t)(dg % 100000000U));
		dg /= 100000000U;
		dig[0] = (char)('0' + dg / 100000000U);
		put_digits8(dig + 1, (uint32_t)(dg % 100000000U));
		int nd = 17;
		while (nd > 1 && dig[nd - 1] == '0')
			nd--;
		if (d < 0)
			b[n++] = '-';
		if (x < -4 || x >= 17) {
			b[n++] = dig[0];
			if (nd > 1) {
				b[n++] = '.';
				memcpy(b + n, dig + 1, 16);
				n += nd - 1;
			}
			n += snprintf(b + n, sizeof(b) - (size_t)n, "e%d", x);
		} else if (x >= 0) {
			int ip = x + 1;
			for (int i = 0; i < ip; i++)
				b[n++] = i < nd ? dig[i] : '0';
			b[n++] = '.';
			if (nd > ip) {
				memcpy(b + n, dig + ip, 16);
				n += nd - ip;
			} else {
				b[n++] = '0';
			}
		} else {
			b[n++] = '0';
			b[n++] = '.';
			for (int i = 0; i < -x - 1; i++)
				b[n++] = '0';
			memcpy(b + n, dig, 17);
			n += nd;
		}
		return put(c, b, (size_t)n);
	}
	n = snprintf(b, sizeof(b), "%.17g", d);
	if (n < 0 || (size_t)n >= sizeof(b) - 3)
		return aims__err(AIMS_ERROR, "cannot format a number");
	if (!memchr(b, '.', (size_t)n) && !memchr(b, 'e', (size_t)n)) {
		b[n++] = '.';
		b[n++] = '0';
	}
	char *e = memchr(b, 'e', (size_t)n);
	if (e) {
		char *s = e + 1, *t = e + 2;
		if (*s == '-')
			s++;
		while (t < b + n && *t == '0')
			t++;
		if (t != s) {
			memmove(s, t, (size_t)(b + n - t));
			n -= (int)(t - s);
		}
	}
	return put(c, b, (size_t)n);
}

/* the doubles 10^0 .. 10^22, all exact */
static const double p10[] = { 1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
			      1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };

/*
 * strtod of a JSON number token, with Clinger's fast path: at most 19
 * digits whose integer is at most 2^53 and a power of ten within 10^22 make
 * one correctly rounded multiplication or division, which is strtod's
 * result. 0, or -1 on overflow (jansson's "real number overflow").
 */
static int to_double(aims__dcanon *c, double *out, const unsigned char *s, size_t n)
{
	const unsigned char *p = s, *end = s + n;
	uint64_t m = 0;
	int neg = 0, nd = 0, e10 = 0;
	if (*p == '-') {
		neg = 1;
		p++;
	}
	for (; p < end && *p >= '0' && *p <= '9'; p++, nd++)
		m = m * 10 + (uint64_t)(*p - '0');
	if (p < end && *p == '.')
		for (p++; p < end && *p >= '0' && *p <= '9'; p++, nd++, e10--)
			m = m * 10 + (uint64_t)(*p - '0');
	if (p < end) {  /* the exponent */
		int eneg = 0, ev = 0, ed = 0;
		p++;
		if (*p == '+' || *p == '-')
			eneg = *p++ == '-';
		for (; p < end; p++, ed++)
			ev = ev < 100000 ? ev * 10 + (*p - '0') : ev;
		e10 += eneg ? -ev : ev;
		(void)ed;
	}
	if (nd <= 19 && m <= (uint64_t)1 << 53 && e10 >= -22 && e10 <= 22) {
		double x = e10 >= 0 ? (double)m * p10[e10] : (double)m / p10[-e10];
		*out = neg ? -x : x;
		return 0;
	}
	int err;
	if ((err = grow(&c->tmp, &c->tmpcap, n + 1)) < 0)
		return err;
	memcpy(c->tmp, s, n);
	c->tmp[n] = '\0';
	errno = 0;
	double d = strtod(c->tmp, NULL);
	if (errno == ERANGE && (d == HUGE_VAL || d == -HUGE_VAL))
		return -1;
	*out = d;
	return 0;
}

/* a number token at the cursor; writes its canonical form and its value */
static int scan_number(aims__dcanon *c, int emit, double *value)
{
	const unsigned char *s = c->p, *p = s, *end = c->end;
	int is_int = 1, err;
	if (p < end && *p == '-')
		p++;
	if (p < end && *p == '0') {
		p++;
		if (p < end && *p >= '0' && *p <= '9') {
			c->p = p;
			return syntax(c, "invalid token (a number with a leading zero)");
		}
	} else if (p < end && *p >= '0' && *p <= '9') {
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	} else {
		c->p = p;
		return syntax(c, "invalid token");
	}
	if (p < end && *p == '.') {
		p++;
		if (p >= end || *p < '0' || *p > '9') {
			c->p = p;
			return syntax(c, "invalid token (no digit after the decimal point)");
		}
		while (p < end && *p >= '0' && *p <= '9')
			p++;
		is_int = 0;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p >= end || *p < '0' || *p > '9') {
			c->p = p;
			return syntax(c, "invalid token (no digit in the exponent)");
		}
		while (p < end && *p >= '0' && *p <= '9')
			p++;
		is_int = 0;
	}
	size_t n = (size_t)(p - s);
	size_t digits = n - (*s == '-');
	c->p = p;
	if (is_int && digits <= 18) {
		/* certainly within int64: the token is its canonical form ("-0" is 0) */
		if (value) {
			long long v = 0;
			for (const unsigned char *q = s + (*s == '-'); q < p; q++)
				v = v * 10 + (*q - '0');
			*value = (double)(*s == '-' ? -v : v);
		}
		if (!emit)
			return 0;
		if (n == 2 && s[0] == '-' && s[1] == '0')
			return put1(c, '0');
		return put(c, s, n);
	}
	if (is_int) {
		/* 19 digits or more: within int64 it is still written as it came */
		if ((err = grow(&c->tmp, &c->tmpcap, n + 1)) < 0)
			return err;
		memcpy(c->tmp, s, n);
		c->tmp[n] = '\0';
		errno = 0;
		long long v = strtoll(c->tmp, NULL, 10);
		if (errno != ERANGE) {
			if (value)
				*value = (double)v;
			return emit ? put(c, s, n) : 0;
		}
		/* outside int64: the nearest double, like every other number (docs/ledger.md) */
	}
	double d;
	if ((err = to_double(c, &d, s, n)) != 0) {
		if (err < -1)
			return err;
		c->p = s;
		return syntax(c, "real number overflow");
	}
	if (value)
		*value = d;
	return emit ? put_real(c, d) : 0;
}

/* ---- values ---- */

static int scan_value(aims__dcanon *c, int depth, int emit, int want_dec, vinfo *info, review_cap *cap);

static int key_cmp(const aims__dcanon *c, const member *a, const member *b)
{
	const char *x = a->kin ? (const char *)c->start + a->koff : c->ka + a->koff;
	const char *y = b->kin ? (const char *)c->start + b->koff : c->ka + b->koff;
	size_t n = a->klen < b->klen ? a->klen : b->klen;
	int r = memcmp(x, y, n);
	if (r)
		return r;
	return (a->klen > b->klen) - (a->klen < b->klen);
}

/* insertion sort of a few members, merge sort beyond: stable, no context-free comparator needed */
static void sort_members(aims__dcanon *c, member *m, size_t n, member *tmp)
{
	if (n < 16) {
		for (size_t i = 1; i < n; i++) {
			member x = m[i];
			size_t j = i;
			while (j > 0 && key_cmp(c, &m[j - 1], &x) > 0) {
				m[j] = m[j - 1];
				j--;
			}
			m[j] = x;
		}
		return;
	}
	size_t h = n / 2;
	sort_members(c, m, h, tmp);
	sort_members(c, m + h, n - h, tmp);
	size_t i = 0, j = h, k = 0;
	while (i < h && j < n)
		tmp[k++] = key_cmp(c, &m[j], &m[i]) < 0 ? m[j++] : m[i++];
	while (i < h)
		tmp[k++] = m[i++];
	while (j < n)
		tmp[k++] = m[j++];
	memcpy(m, tmp, n * sizeof(*m));
}

static int review_key(const char *k, size_t n)
{
	if (n == 8 && memcmp(k, "reviewer", 8) == 0)
		return 1;
	if (n == 6 && memcmp(k, "action", 6) == 0)
		return 2;
	if (n == 6 && memcmp(k, "reason", 6) == 0)
		return 3;
	return 0;
}

/* an object; the cursor is on '{'. cap: record the direct members (the review object) */
static int scan_object(aims__dcanon *c, int depth, int emit, review_cap *cap)
{
	size_t base = c->mn, open = c->vlen;
	int err, sorted = 1;
	c->p++;
	if (emit && (err = put1(c, '{')) < 0)
		return err;
	skip_ws(c);
	if (c->p < c->end && *c->p == '}') {
		c->p++;
		return emit ? put1(c, '}') : 0;
	}
	for (;;) {
		member mb;
		int plain = 0;
		if (c->p >= c->end || *c->p != '"')
			return syntax(c, "string or '}' expected");
		if (c->mn == c->mcap) {
			size_t nc = c->mcap ? c->mcap * 2 : 64;
			member *nm = aims__realloc(c->m, nc * sizeof(*nm));
			if (!nm)
				return aims__oom();
			c->m = nm;
			c->mcap = nc;
		}
		mb.vstart = c->vlen;
		if ((err = scan_string(c, emit, 1, 1, &mb.koff, &mb.klen, &plain)) < 0)
			return err;
		mb.kin = plain;
		skip_ws(c);
		if (c->p >= c->end || *c->p != ':')
			return syntax(c, "':' expected");
		c->p++;
		if (emit && (err = put1(c, ':')) < 0)
			return err;
		skip_ws(c);
		vinfo vi = { T_NONE, 0, 0, 0, 0 };
		int rk = 0;
		if (cap) {
			const char *k = mb.kin ? (const char *)c->start + mb.koff : c->ka + mb.koff;
			rk = review_key(k, mb.klen);
			if (!rk && cap->unknown < 0) {
				cap->unknown = cap->n;
				cap->ukoff = mb.koff;
				cap->uklen = mb.klen;
				cap->ukin = mb.kin;
			}
			cap->n++;
		}
		if ((err = scan_value(c, depth + 1, emit, rk == 1 || rk == 2 || rk == 3, &vi, NULL)) < 0)
			return err;
		if (rk == 1) {
			cap->reviewer = vi;
			cap->has_reviewer = 1;
		} else if (rk == 2) {
			cap->action = vi;
			cap->has_action = 1;
		} else if (rk == 3) {
			cap->reason = vi;
			cap->has_reason = 1;
		}
		mb.vend = c->vlen;
		if (c->mn > base && sorted && key_cmp(c, &c->m[c->mn - 1], &mb) >= 0)
			sorted = 0;
		c->m[c->mn++] = mb;
		skip_ws(c);
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			if (emit && (err = put1(c, ',')) < 0)
				return err;
			skip_ws(c);
			continue;
		}
		if (c->p < c->end && *c->p == '}') {
			c->p++;
			break;
		}
		return syntax(c, "'}' expected");
	}
	size_t n = c->mn - base;
	if (!sorted) {
		/* sort by key bytes, refuse duplicates, and write the members again in that order */
		member *m = c->m + base;
		if (c->mn + n > c->mcap) {
			member *nm = aims__realloc(c->m, (c->mn + n) * sizeof(*nm));
			if (!nm)
				return aims__oom();
			c->m = nm;
			c->mcap = c->mn + n;
			m = c->m + base;
		}
		sort_members(c, m, n, c->m + c->mn);
		for (size_t i = 1; i < n; i++)
			if (key_cmp(c, &m[i - 1], &m[i]) == 0)
				return syntax(c, "duplicate object key");
		if (emit && !c->overflow) {
			size_t body = c->vlen - (open + 1);
			if ((err = grow(&c->tmp, &c->tmpcap, body)) < 0)
				return err;
			memcpy(c->tmp, c->v + open + 1, body);
			size_t w = open + 1;
			for (size_t i = 0; i < n; i++) {
				size_t len = m[i].vend - m[i].vstart;
				if (i > 0)
					c->v[w++] = ',';
				memcpy(c->v + w, c->tmp + (m[i].vstart - (open + 1)), len);
				w += len;
			}
		}
	}
	c->mn = base;
	return emit ? put1(c, '}') : 0;
}

static int scan_array(aims__dcanon *c, int depth, int emit)
{
	int err;
	c->p++;
	if (emit && (err = put1(c, '[')) < 0)
		return err;
	skip_ws(c);
	if (c->p < c->end && *c->p == ']') {
		c->p++;
		return emit ? put1(c, ']') : 0;
	}
	for (;;) {
		if ((err = scan_value(c, depth + 1, emit, 0, NULL, NULL)) < 0)
			return err;
		skip_ws(c);
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			if (emit && (err = put1(c, ',')) < 0)
				return err;
			skip_ws(c);
			continue;
		}
		if (c->p < c->end && *c->p == ']') {
			c->p++;
			return emit ? put1(c, ']') : 0;
		}
		return syntax(c, "']' expected");
	}
}

static int literal(aims__dcanon *c, const char *word, size_t n, int emit)
{
	if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n) != 0)
		return syntax(c, "invalid token");
	c->p += n;
	return emit ? put(c, word, n) : 0;
}

/* any value at the cursor (white space skipped by the caller) */
static int scan_value(aims__dcanon *c, int depth, int emit, int want_dec, vinfo *info, review_cap *cap)
{
	vinfo dummy;
	if (!info)
		info = &dummy;
	info->type = T_NONE;
	if (depth > MAX_DEPTH)
		return syntax(c, "maximum parsing depth reached");
	if (c->p >= c->end)
		return syntax(c, "premature end of input");
	switch (*c->p) {
	case '"':
		info->type = T_STRING;
		return scan_string(c, emit, 0, want_dec, &info->doff, &info->dlen, &info->in);
	case '{':
		info->type = T_OBJECT;
		return scan_object(c, depth, emit, cap);
	case '[':
		info->type = T_ARRAY;
		return scan_array(c, depth, emit);
	case 't':
		info->type = T_LITERAL;
		return literal(c, "true", 4, emit);
	case 'f':
		info->type = T_LITERAL;
		return literal(c, "false", 5, emit);
	case 'n':
		info->type = T_LITERAL;
		return literal(c, "null", 4, emit);
	default:
		if (*c->p == '-' || (*c->p >= '0' && *c->p <= '9')) {
			info->type = T_NUMBER;
			return scan_number(c, emit, &info->num);
		}
		if (*c->p >= 0x80) {
			snprintf(c->ebuf, sizeof(c->ebuf), "invalid token (byte 0x%x)", *c->p);
			return syntax(c, c->ebuf);
		}
		return syntax(c, "invalid token");
	}
}

/* ---- field rules (the same as decision_canon_ref.c, in the same order) ---- */

static int bad(const char *name, const char *why)
{
	return aims__err(AIMS_EINVALID, "%s: %s", name, why);
}

/* the decoded bytes of a string value */
static const char *dptr(const aims__dcanon *c, const vinfo *v)
{
	return v->in ? (const char *)c->start + v->doff : c->dec + v->doff;
}

static int is_digest(const char *s, size_t n)
{
	if (n != 71 || memcmp(s, "sha256:", 7) != 0)
		return 0;
	/* without a branch per digit (random hex digits made every branch a guess) and without a table
	 * lookup, so that the compiler checks the 64 digits 16 or 32 at a time (was 2.5% of an ingest) */
	const unsigned char *h = (const unsigned char *)s + 7;
	unsigned char bad = 0;
	for (int i = 0; i < 64; i++) {
		unsigned char d = (unsigned char)(h[i] - '0'), a = (unsigned char)(h[i] - 'a');
		bad |= (unsigned char)((d > 9) & (a > 5));
	}
	return !bad;
}

/* a non-empty string of at most max bytes without control characters */
static int text_ok(const aims__dcanon *c, const vinfo *v, size_t max)
{
	if (v->type != T_STRING || v->dlen == 0 || v->dlen > max)
		return 0;
	const char *s = dptr(c, v);
	for (size_t i = 0; i < v->dlen; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch < 0x20 || ch == 0x7f)
			return 0;
	}
	return 1;
}

static int format_confidence(char out[16], size_t *n, const vinfo *v)
{
	if (v->type != T_NUMBER || !(v->num >= 0 && v->num <= 1))
		return bad("confidence", "must be a number from 0 to 1");
	double scaled = v->num * 1e6;
	long long k = (long long)(scaled + 0.5);  /* scaled >= 0: rounds half up */
	double diff = scaled - (double)k;
	if (diff > 1e-6 || diff < -1e-6)
		return bad("confidence", "has more than 6 decimal places");
	if (k == 0 || k == 1000000) {
		out[0] = k == 0 ? '0' : '1';
		*n = 1;
		return 0;
	}
	out[0] = '0';
	out[1] = '.';
	for (int i = 7; i >= 2; i--) {
		out[i] = (char)('0' + k % 10);
		k /= 10;
	}
	size_t len = 8;
	while (out[len - 1] == '0')
		len--;
	*n = len;
	return 0;
}

static int check_review(aims__dcanon *c, const field *r, const review_cap *cap)
{
	if (r->v.type != T_OBJECT)
		return bad("review", "must be an object {reviewer, action, reason}");
	if (cap->unknown >= 0) {
		const char *k = cap->ukin ? (const char *)c->start + cap->ukoff : c->ka + cap->ukoff;
		int n = cap->uklen > 64 ? 64 : (int)cap->uklen;
		return aims__err(AIMS_EINVALID, "review: unknown key '%.*s'", n, k);
	}
	if (!cap->has_reviewer || !text_ok(c, &cap->reviewer, 256))
		return bad("review.reviewer", "required: a name of 1 to 256 characters");
	const vinfo *a = &cap->action;
	if (!cap->has_action || !text_ok(c, a, 16) ||
	    !((a->dlen == 6 && memcmp(dptr(c, a), "accept", 6) == 0) ||
	      (a->dlen == 8 && memcmp(dptr(c, a), "override", 8) == 0)))
		return bad("review.action", "must be 'accept' or 'override'");
	if (cap->has_reason && cap->reason.type != T_STRING)
		return bad("review.reason", "must be a string");
	return 0;
}

static int known_key(const char *k, size_t n)
{
	int i;
	switch (n) {
	case 4: i = K_TIME; break;
	case 5: i = k[0] == 'i' ? K_INPUT : K_MODEL; break;
	case 6: i = k[0] == 'o' ? K_OUTPUT : K_REVIEW; break;
	case 10: i = K_CONFIDENCE; break;
	case 11: i = K_EXPLANATION; break;
	case 12: i = k[0] == 'i' ? K_INPUT_DIGEST : K_MODEL_DIGEST; break;
	default: return -1;
	}
	/* the key compared in two loads of 8 bytes at most (the names are 4 to 12 bytes) */
	uint64_t a, b, x, y;
	if (n >= 8) {
		memcpy(&a, k, 8);
		memcpy(&b, key_names[i], 8);
		memcpy(&x, k + n - 8, 8);
		memcpy(&y, key_names[i] + n - 8, 8);
		return a == b && x == y ? i : -1;
	}
	uint32_t a4, b4, x4, y4;
	memcpy(&a4, k, 4);
	memcpy(&b4, key_names[i], 4);
	memcpy(&x4, k + n - 4, 4);
	memcpy(&y4, key_names[i] + n - 4, 4);
	return a4 == b4 && x4 == y4 ? i : -1;
}

/* the column (in characters, from 1) of a byte offset, as jansson counts */
static size_t column_of(const unsigned char *s, size_t pos)
{
	size_t col = 1;
	for (size_t i = 0; i < pos; i++)
		if ((s[i] & 0xC0) != 0x80)
			col++;
	return col;
}

int aims__dcanon_scan(aims__dcanon *c, size_t *len, const char *line, size_t n, aims__dfields *f)
{
	field *fl = c->fl;
	review_cap cap;
	int err = 0, unknown = 0, top_array = 0;
	size_t ukoff = 0, uklen = 0;
	int ukin = 0;

	*len = 0;
	c->total = 0;
	if (f)
		memset(f, 0, sizeof(*f));
	if (n > AIMS_DECISION_RECORD_MAX)
		return aims__err(AIMS_EINVALID, "record longer than %zu bytes", AIMS_DECISION_RECORD_MAX);
	for (int i = 0; i < K_COUNT; i++)  /* the rest of a field is set when it is present */
		fl[i].present = 0;
	c->start = c->p = (const unsigned char *)line;
	c->end = c->p + n;
	c->vlen = c->kalen = c->declen = c->mn = 0;
	c->overflow = 0;
	c->emsg = NULL;

	skip_ws(c);
	if (c->p < c->end && *c->p == '[') {
		top_array = 1;
		err = scan_array(c, 1, 0);
	} else if (c->p >= c->end || *c->p != '{') {
		err = syntax(c, "'[' or '{' expected");
	} else {
		/* the record object: each known key's value is written to the output scratch on its own */
		c->p++;
		skip_ws(c);
		if (c->p < c->end && *c->p == '}') {
			c->p++;
		} else {
			for (;;) {
				size_t koff, klen;
				int plain;
				if (c->p >= c->end || *c->p != '"') {
					err = syntax(c, "string or '}' expected");
					break;
				}
				if ((err = scan_string(c, 0, 1, 1, &koff, &klen, &plain)) < 0)
					break;
				const char *k = plain ? (const char *)c->start + koff : c->ka + koff;
				int ki = known_key(k, klen);
				skip_ws(c);
				if (c->p >= c->end || *c->p != ':') {
					err = syntax(c, "':' expected");
					break;
				}
				c->p++;
				skip_ws(c);
				if (ki >= 0 && fl[ki].present) {
					err = syntax(c, "duplicate object key");
					break;
				}
				if (ki < 0 && !unknown) {
					unknown = 1;
					ukin = plain;
					ukoff = koff;
					uklen = klen;
				}
				size_t v0 = c->vlen;
				int want = ki == K_TIME || ki == K_MODEL || ki == K_MODEL_DIGEST || ki == K_INPUT_DIGEST;
				vinfo other = { T_NONE, 0, 0, 0, 0 };
				/* scanned into its field directly (a copy of it read back at once stalled) */
				vinfo *vi = ki >= 0 ? &fl[ki].v : &other;
				vi->doff = vi->dlen = 0;
				vi->in = 0;
				vi->num = 0;
				if (ki == K_REVIEW) {
					memset(&cap, 0, sizeof(cap));
					cap.unknown = -1;
				}
				if ((err = scan_value(c, 2, ki >= 0, want, vi, ki == K_REVIEW ? &cap : NULL)) < 0)
					break;
				if (ki >= 0) {
					fl[ki].present = 1;
					fl[ki].vstart = v0;
					fl[ki].vend = c->vlen;
				}
				skip_ws(c);
				if (c->p < c->end && *c->p == ',') {
					c->p++;
					skip_ws(c);
					continue;
				}
				if (c->p < c->end && *c->p == '}') {
					c->p++;
					break;
				}
				err = syntax(c, "'}' expected");
				break;
			}
		}
	}
	if (err == 0) {
		skip_ws(c);
		if (c->p != c->end)
			err = syntax(c, "end of file expected");
	}
	if (err < 0) {
		if (c->emsg)
			return aims__err(AIMS_EINVALID, "column %zu: %s", column_of(c->start, c->epos), c->emsg);
		return err;
	}
	if (top_array)
		return aims__err(AIMS_EINVALID, "a decision record must be a JSON object");
	if (unknown) {
		const char *k = ukin ? (const char *)c->start + ukoff : c->ka + ukoff;
		int kn = uklen > 64 ? 64 : (int)uklen;
		return aims__err(AIMS_EINVALID, "unknown key '%.*s' (known: time, model, model_digest, "
				 "input_digest, input, output, confidence, explanation, review)", kn, k);
	}
	field *t = &fl[K_TIME];
	if (!t->present || t->v.type != T_STRING ||
	    aims__rfc3339(NULL, NULL, dptr(c, &t->v), t->v.dlen, 0) < 0)
		return bad("time", "required: an RFC 3339 time such as 2026-01-31T12:00:00Z");
	if (!fl[K_MODEL].present && !fl[K_MODEL_DIGEST].present)
		return bad("model", "required: 'model' (name@version) or 'model_digest' (sha256:<hex>)");
	if (fl[K_MODEL].present) {
		const vinfo *m = &fl[K_MODEL].v;
		const char *s = m->type == T_STRING ? dptr(c, m) : "";
		const char *at = m->type == T_STRING ? memchr(s, '@', m->dlen) : NULL;
		if (!text_ok(c, m, 256) || !at || at == s || at == s + m->dlen - 1)
			return bad("model", "must be name@version (at most 256 characters)");
	}
	if (fl[K_MODEL_DIGEST].present &&
	    (fl[K_MODEL_DIGEST].v.type != T_STRING ||
	     !is_digest(dptr(c, &fl[K_MODEL_DIGEST].v), fl[K_MODEL_DIGEST].v.dlen)))
		return bad("model_digest", "must be sha256: and 64 lower-case hex digits");
	if (!fl[K_INPUT_DIGEST].present || fl[K_INPUT_DIGEST].v.type != T_STRING ||
	    !is_digest(dptr(c, &fl[K_INPUT_DIGEST].v), fl[K_INPUT_DIGEST].v.dlen))
		return bad("input_digest", "required: sha256: and 64 lower-case hex digits");
	if (!fl[K_OUTPUT].present)
		return bad("output", "required (any JSON value)");
	c->clen = 0;
	if (fl[K_CONFIDENCE].present && (err = format_confidence(c->conf, &c->clen, &fl[K_CONFIDENCE].v)) < 0)
		return err;
	/* an explanation is text (or a reference), or an object such as {"text", "contributions"} */
	if (fl[K_EXPLANATION].present && fl[K_EXPLANATION].v.type != T_STRING && fl[K_EXPLANATION].v.type != T_OBJECT)
		return bad("explanation", "must be a string (text or a reference) or an object (e.g. feature "
			   "contributions)");
	/* the input fields the producer chose to log (the whole input is identified by input_digest) */
	if (fl[K_INPUT].present && fl[K_INPUT].v.type != T_OBJECT)
		return bad("input", "must be an object of input fields");
	if (fl[K_REVIEW].present && (err = check_review(c, &fl[K_REVIEW], &cap)) < 0)
		return err;

	/* the length of {"key":value,...} in key order ("confidence" is written by us) */
	if (c->overflow)
		goto too_long;
	size_t total = 1;  /* '{', then per member its quoted key, ':', its value and a ',' or the '}' */
	for (int i = 0; i < K_COUNT; i++)
		if (fl[i].present)
			total += key_lens[i] + 4 + (i == K_CONFIDENCE ? c->clen : fl[i].vend - fl[i].vstart);
	if (total > AIMS_DECISION_RECORD_MAX)
		goto too_long;
	c->total = *len = total;
	if (f) {
		if (fl[K_MODEL].present) {
			f->model = dptr(c, &fl[K_MODEL].v);
			f->model_len = fl[K_MODEL].v.dlen;
		}
		if (fl[K_MODEL_DIGEST].present)
			f->model_digest = dptr(c, &fl[K_MODEL_DIGEST].v);
	}
	return 0;
too_long:
	return aims__err(AIMS_EINVALID, "canonical record longer than %zu bytes", AIMS_DECISION_RECORD_MAX);
}

void aims__dcanon_emit(aims__dcanon *c, char *out, aims__dfields *f)
{
	const field *fl = c->fl;
	size_t w = 0;
	out[w++] = '{';
	for (int i = 0; i < K_COUNT; i++) {
		if (!fl[i].present)
			continue;
		size_t kl = key_lens[i];
		size_t vl = i == K_CONFIDENCE ? c->clen : fl[i].vend - fl[i].vstart;
		if (w > 1)
			out[w++] = ',';
		out[w++] = '"';
		copy_short(out + w, key_names[i], kl);
		w += kl;
		out[w++] = '"';
		out[w++] = ':';
		copy_short(out + w, i == K_CONFIDENCE ? c->conf : c->v + fl[i].vstart, vl);
		if (f) {
			aims_decision_span sp = { w, vl };
			if (i == K_CONFIDENCE)
				f->members.confidence = sp;
			else if (i == K_OUTPUT)
				f->members.output = sp;
			else if (i == K_INPUT)
				f->members.input = sp;
			else if (i == K_REVIEW)
				f->members.review = sp;
		}
		w += vl;
	}
	out[w++] = '}';
}

int aims__dcanon_run(aims__dcanon *c, char *out, size_t *len, const char *line, size_t n, aims__dfields *f)
{
	int err = aims__dcanon_scan(c, len, line, n, f);
	if (err < 0)
		return err;
	aims__dcanon_emit(c, out, f);
	return 0;
}

int aims_decision_canonical(char **out, size_t *len, const char *line, size_t line_len)
{
	aims__dcanon *c = NULL;
	char *buf = NULL;
	int err;
	*out = NULL;
	*len = 0;
	if ((err = aims__dcanon_new(&c)) < 0)
		return err;
	if (!(buf = aims__malloc(AIMS_DECISION_RECORD_MAX + 1))) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims__dcanon_run(c, buf, len, line, line_len, NULL)) < 0)
		goto done;
	buf[*len] = '\0';
	char *res = aims__realloc(buf, *len + 1);
	*out = res ? res : buf;
	buf = NULL;
done:
	if (err < 0)
		*len = 0;
	aims__free(buf);
	aims__dcanon_free(c);
	return err;
}
