/*
 * The canonical form of an AI decision record (docs/ledger.md, "Canonical
 * record") computed with jansson: the line is parsed, checked field by field
 * and dumped as compact JSON with sorted keys and ASCII-only escapes, plus
 * our two rules (DEL escaped, confidence written by us). This is the
 * reference the ingest path's single-pass scanner (decision_canon.c) must
 * equal byte for byte; fuzz/decision_canon_diff.c and the unit tests compare
 * the two. It is not on the ingest path: jansson builds a tree of allocated
 * nodes per record and was most of the time of an ingest.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aims/decision.h"
#include "core/core.h"
#include "ledger/decision_internal.h"

static int is_digest(const char *s)
{
	if (strncmp(s, "sha256:", 7) != 0 || strlen(s) != 71)
		return 0;
	for (const char *p = s + 7; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return 0;
	return 1;
}

/* a non-empty string of at most `max` bytes without control characters */
static const char *text_field(json_t *v, size_t max)
{
	if (!json_is_string(v))
		return NULL;
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	if (n == 0 || n > max || strlen(s) != n)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return NULL;
	return s;
}

static int bad(const char *field, const char *why)
{
	return aims__err(AIMS_EINVALID, "%s: %s", field, why);
}

static int check_review(json_t *r)
{
	const char *key;
	json_t *v;
	if (!json_is_object(r))
		return bad("review", "must be an object {reviewer, action, reason}");
	json_object_foreach(r, key, v) {
		if (strcmp(key, "reviewer") != 0 && strcmp(key, "action") != 0 && strcmp(key, "reason") != 0)
			return aims__err(AIMS_EINVALID, "review: unknown key '%.64s'", key);
	}
	if (!text_field(json_object_get(r, "reviewer"), 256))
		return bad("review.reviewer", "required: a name of 1 to 256 characters");
	const char *a = text_field(json_object_get(r, "action"), 16);
	if (!a || (strcmp(a, "accept") != 0 && strcmp(a, "override") != 0))
		return bad("review.action", "must be 'accept' or 'override'");
	if ((v = json_object_get(r, "reason")) && !json_is_string(v))
		return bad("review.reason", "must be a string");
	return 0;
}

/* confidence 0..1 with at most 6 decimals, written as 0, 1 or 0.d+ without trailing zeros */
static int format_confidence(char out[16], json_t *v)
{
	if (!json_is_number(v))
		return bad("confidence", "must be a number from 0 to 1");
	double c = json_number_value(v);
	if (!(c >= 0 && c <= 1))
		return bad("confidence", "must be a number from 0 to 1");
	double scaled = c * 1e6;
	long long k = (long long)(scaled + 0.5);  /* scaled >= 0: rounds half up, no libm */
	double diff = scaled - (double)k;
	if (diff > 1e-6 || diff < -1e-6)
		return bad("confidence", "has more than 6 decimal places");
	if (k == 0 || k == 1000000) {
		snprintf(out, 16, "%d", k == 0 ? 0 : 1);
		return 0;
	}
	snprintf(out, 16, "0.%06lld", k);
	size_t n = strlen(out);
	while (out[n - 1] == '0')
		out[--n] = '\0';
	return 0;
}

static const char *const known_keys[] = {
	"confidence", "explanation", "input", "input_digest", "model", "model_digest", "output", "review", "time",
};

/*
 * Parse like json_loadb, except that an integer outside the signed 64-bit
 * range is taken as the nearest double, as docs/ledger.md says of every
 * number that is not such an integer (jansson refuses it as "too big
 * integer"): the token is rewritten with an "e0" exponent, which makes it a
 * real of the same value, and the parse is repeated.
 */
static json_t *load_record(json_error_t *jerr, const char *line, size_t line_len)
{
	char *copy = NULL;
	size_t n = line_len;
	json_t *o;
	for (;;) {
		o = json_loadb(copy ? copy : line, n, JSON_REJECT_DUPLICATES, jerr);
		if (o || (strncmp(jerr->text, "too big integer", 15) != 0 &&
			  strncmp(jerr->text, "too big negative integer", 24) != 0) ||
		    jerr->position < 0 || (size_t)jerr->position > n)
			break;
		char *c = aims__malloc(n + 2);
		if (!c) {
			snprintf(jerr->text, sizeof(jerr->text), "out of memory");
			break;
		}
		size_t at = (size_t)jerr->position;
		memcpy(c, copy ? copy : line, at);
		c[at] = 'e';
		c[at + 1] = '0';
		memcpy(c + at + 2, (copy ? copy : line) + at, n - at);
		aims__free(copy);
		copy = c;
		n += 2;
	}
	aims__free(copy);
	return o;
}

int aims__decision_canonical_ref(char **out, size_t *len, const char *line, size_t line_len)
{
	json_error_t jerr;
	json_t *o = NULL, *v;
	char conf[16] = "";
	char *body = NULL;
	const char *key;
	int err = 0;

	*out = NULL;
	*len = 0;
	if (line_len > AIMS_DECISION_RECORD_MAX)
		return aims__err(AIMS_EINVALID, "record longer than %zu bytes", AIMS_DECISION_RECORD_MAX);
	/* jansson 2.14 drops a NUL byte that directly follows a number or a literal
	 * (its lexer takes NUL for "no character read back"); JSON text has none */
	const char *nul = memchr(line, '\0', line_len);
	if (nul)
		return aims__err(AIMS_EINVALID, "column %zu: a NUL byte", (size_t)(nul - line) + 1);
	if (!(o = load_record(&jerr, line, line_len))) {
		if (jerr.position >= 0 && (size_t)jerr.position <= line_len && jerr.column > 0)
			return aims__err(AIMS_EINVALID, "column %d: %s", jerr.column, jerr.text);
		return aims__err(AIMS_EINVALID, "%s", jerr.text);
	}
	if (!json_is_object(o)) {
		err = aims__err(AIMS_EINVALID, "a decision record must be a JSON object");
		goto done;
	}
	json_object_foreach(o, key, v) {
		size_t k = 0;
		while (k < sizeof(known_keys) / sizeof(known_keys[0]) && strcmp(key, known_keys[k]) != 0)
			k++;
		if (k == sizeof(known_keys) / sizeof(known_keys[0])) {
			err = aims__err(AIMS_EINVALID, "unknown key '%.64s' (known: time, model, model_digest, "
					"input_digest, input, output, confidence, explanation, review)", key);
			goto done;
		}
	}
	v = json_object_get(o, "time");
	if (!json_is_string(v) || aims__rfc3339(NULL, NULL, json_string_value(v), json_string_length(v), 0) < 0) {
		err = bad("time", "required: an RFC 3339 time such as 2026-01-31T12:00:00Z");
		goto done;
	}
	json_t *model = json_object_get(o, "model"), *mdig = json_object_get(o, "model_digest");
	if (!model && !mdig) {
		err = bad("model", "required: 'model' (name@version) or 'model_digest' (sha256:<hex>)");
		goto done;
	}
	if (model) {
		const char *m = text_field(model, 256);
		const char *at = m ? strchr(m, '@') : NULL;
		if (!m || !at || at == m || at[1] == '\0') {
			err = bad("model", "must be name@version (at most 256 characters)");
			goto done;
		}
	}
	if (mdig && (!json_is_string(mdig) || !is_digest(json_string_value(mdig)))) {
		err = bad("model_digest", "must be sha256: and 64 lower-case hex digits");
		goto done;
	}
	v = json_object_get(o, "input_digest");
	if (!json_is_string(v) || !is_digest(json_string_value(v))) {
		err = bad("input_digest", "required: sha256: and 64 lower-case hex digits");
		goto done;
	}
	if (!json_object_get(o, "output")) {
		err = bad("output", "required (any JSON value)");
		goto done;
	}
	if ((v = json_object_get(o, "confidence"))) {
		if ((err = format_confidence(conf, v)) < 0)
			goto done;
		json_object_del(o, "confidence");
	}
	/* an explanation is text (or a reference), or an object such as {"text", "contributions"} */
	if ((v = json_object_get(o, "explanation")) && !json_is_string(v) && !json_is_object(v)) {
		err = bad("explanation", "must be a string (text or a reference) or an object (e.g. feature "
			  "contributions)");
		goto done;
	}
	/* the input fields the producer chose to log (the whole input is identified by input_digest) */
	if ((v = json_object_get(o, "input")) && !json_is_object(v)) {
		err = bad("input", "must be an object of input fields");
		goto done;
	}
	if ((v = json_object_get(o, "review")) && (err = check_review(v)) < 0)
		goto done;

	/* "confidence" sorts before every other key, so it goes first, written by us */
	if (!(body = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII))) {
		err = aims__oom();
		goto done;
	}
	size_t blen = strlen(body);
	if (strchr(body, 0x7f)) {
		/* jansson leaves DEL raw; the canonical form is printable ASCII only */
		aims_buf b = AIMS_BUF_INIT;
		for (size_t i = 0; i < blen && err == 0; i++)
			err = body[i] == 0x7f ? aims_buf_puts(&b, "\\u007F") : aims_buf_putc(&b, body[i]);
		if (err < 0) {
			aims_buf_release(&b);
			goto done;
		}
		aims__free(body);
		if (!(body = aims_buf_detach(&b, &blen))) {
			err = aims__oom();
			goto done;
		}
	}
	if (conf[0]) {
		size_t clen = strlen(conf);
		size_t n = 15 + clen + blen;  /* {"confidence": + c + , + rest without { */
		char *res = aims__malloc(n + 1);
		if (!res) {
			err = aims__oom();
			goto done;
		}
		memcpy(res, "{\"confidence\":", 14);
		memcpy(res + 14, conf, clen);
		res[14 + clen] = ',';
		memcpy(res + 15 + clen, body + 1, blen - 1);
		res[n - 1] = '\0';
		n--;
		aims__free(body);
		body = res;
		blen = n;
	}
	if (blen > AIMS_DECISION_RECORD_MAX) {
		err = aims__err(AIMS_EINVALID, "canonical record longer than %zu bytes", AIMS_DECISION_RECORD_MAX);
		goto done;
	}
	*out = body;
	*len = blen;
	body = NULL;
done:
	aims__free(body);
	json_decref(o);
	return err;
}
