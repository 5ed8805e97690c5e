/*
 * libFuzzer harness for review selection (aims_review_match in
 * src/lib/oversight/scan.c), which reads decision records with a small
 * scanner instead of a JSON tree because it runs on every ingested record.
 * Any input must be selected, not selected or refused without a crash;
 * whenever jansson parses the input as a JSON object (duplicate keys
 * refused, no raw NUL byte), the scanner must accept it too and select it for exactly the
 * reasons a jansson-based reading of the same rules gives. When the input
 * is a valid decision record, the selection the ingest makes from the
 * member spans its canonicalizer found (aims_review_match_members) must
 * equal aims_review_match on the canonical bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aims/aims.h"
#include "ledger/decision_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char POLICY[] = "policy: f\napplies_to: {systems: [s]}\nreview:\n  confidence_below: 0.5\n"
			     "  output_field: decision\n  output_classes: [decline, \"7\", \"true\", \"null\", \"\xc3\xa9\"]\n"
			     "  input:\n    channel: [branch]\n    geo.region: [nord, \"1\"]\n    k-x_1: [\"x/y\", \"[1\"]\n";

static aims_policy *policy;

/* a value equal to the text as the scanner defines it: a string, or an integer/true/false/null written so */
static int same(json_t *v, const char *text)
{
	char buf[32];
	if (json_is_string(v))
		return strlen(json_string_value(v)) == json_string_length(v) && strcmp(json_string_value(v), text) == 0;
	if (json_is_integer(v)) {
		snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(v));
		return strcmp(buf, text) == 0;
	}
	if (json_is_true(v))
		return strcmp(text, "true") == 0;
	if (json_is_false(v))
		return strcmp(text, "false") == 0;
	if (json_is_null(v))
		return strcmp(text, "null") == 0;
	return 0;
}

static json_t *path(json_t *o, const char *p)
{
	char buf[64];
	snprintf(buf, sizeof(buf), "%s", p);
	for (char *seg = buf; o && seg && *seg;) {
		char *dot = strchr(seg, '.');
		if (dot)
			*dot = '\0';
		o = json_is_object(o) ? json_object_get(o, seg) : NULL;
		seg = dot ? dot + 1 : NULL;
	}
	return o;
}

static unsigned reference(json_t *rec, const aims_policy_review *r)
{
	unsigned why = 0;
	if (json_object_get(rec, "review"))
		return 0;
	json_t *c = json_object_get(rec, "confidence");
	if (r->has_confidence && json_is_number(c) && json_number_value(c) < r->confidence_below)
		why |= AIMS_REVIEW_CONFIDENCE;
	json_t *o = json_object_get(rec, "output");
	json_t *v = o && r->output_field ? path(o, r->output_field) : o;
	for (size_t i = 0; v && i < r->noutput_classes; i++)
		if (same(v, r->output_classes[i]))
			why |= AIMS_REVIEW_OUTPUT;
	json_t *in = json_object_get(rec, "input");
	for (size_t k = 0; in && k < r->ninputs; k++) {
		json_t *f = path(in, r->inputs[k].field);
		for (size_t i = 0; f && i < r->inputs[k].nvalues; i++)
			if (same(f, r->inputs[k].values[i]))
				why |= AIMS_REVIEW_INPUT;
	}
	return why;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned why = 0;
	if (!policy && aims_policy_parse(&policy, POLICY, strlen(POLICY), "f.yaml") != 0)
		abort();
	int rc = aims_review_match(&why, &policy->review, "s", 1, (const char *)data, size);
	json_error_t je;
	/* jansson reads a raw NUL byte as the end of its input: no reference for such bytes (a record never has them) */
	json_t *rec = memchr(data, 0, size) ? NULL : json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
	if (json_is_object(rec)) {
		if (rc != 0 || why != reference(rec, &policy->review))
			abort();
	} else if (rc == 0 && why) {
		/* the scanner is lenient about what jansson refuses (UTF-8, escapes, number range), never about structure */
		if (size == 0 || data[0] == '[')
			abort();
	}
	json_decref(rec);

	static aims__dcanon *canon;
	static char *out;
	if (!canon && (aims__dcanon_new(&canon) != 0 || !(out = malloc(AIMS_DECISION_RECORD_MAX))))
		abort();
	aims__dfields f;
	size_t clen = 0;
	if (aims__dcanon_run(canon, out, &clen, (const char *)data, size, &f) == 0) {
		unsigned w1 = 0, w2 = 0;
		int r1 = aims_review_match(&w1, &policy->review, "s", 1, out, clen);
		int r2 = aims_review_match_members(&w2, &policy->review, "s", 1, out, clen, &f.members);
		if (r1 != 0 || r2 != 0 || w1 != w2)
			abort();
	}
	return 0;
}
