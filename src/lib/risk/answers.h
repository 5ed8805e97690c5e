/*
 * Answers files: the small YAML (or JSON) documents people write for the EU
 * AI Act classification and the AI system impact assessment. Both formats
 * are read into one tree of nodes that keeps each value's line, so every
 * refusal names the file, the line and the key. Internal to libaims; the
 * fuzz harness fuzz/aiact_answers.c drives it.
 */
#ifndef AIMS_RISK_ANSWERS_H
#define AIMS_RISK_ANSWERS_H

#include <stddef.h>

#include <jansson.h>

enum { AIMS__ANS_SCALAR = 1, AIMS__ANS_SEQ, AIMS__ANS_MAP };

/* what a scalar is: YAML plain scalars are typed by their text, quoted ones are strings */
enum { AIMS__VAL_NULL = 0, AIMS__VAL_BOOL, AIMS__VAL_INT, AIMS__VAL_NUM, AIMS__VAL_STR };

typedef struct aims__ans aims__ans;
struct aims__ans {
	int kind;
	int vtype;           /* scalars: AIMS__VAL_* */
	int line;            /* 1-based */
	char *text;          /* scalars */
	char **keys;         /* maps: keys[i] names items[i] */
	aims__ans **items;   /* maps and sequences */
	size_t count, cap;
};

typedef struct {
	char *name;          /* the file name for messages */
	aims__ans *root;
} aims__ans_doc;

/** Largest answers file, and deepest nesting, accepted. */
#define AIMS__ANS_MAX_BYTES ((size_t)1 << 20)
#define AIMS__ANS_MAX_DEPTH 16

/**
 * Parse an answers file: JSON when its first non-blank byte is '{' (jansson,
 * duplicate keys refused), else YAML (libyaml; one document, no anchors,
 * aliases or tags, no duplicate keys). The root must be a mapping.
 * AIMS_EINVALID with "'name' line L: ..." on any problem.
 */
int aims__ans_parse(aims__ans_doc *out, const char *data, size_t len, const char *name);
void aims__ans_release(aims__ans_doc *doc);

/** The value of `key` in map `m`, or NULL. */
aims__ans *aims__ans_get(const aims__ans *m, const char *key);

/** Refuse keys of `m` not in `allowed` ("unknown key"), and missing `required` ones. */
int aims__ans_keys(const aims__ans_doc *d, const aims__ans *m, const char *prefix,
		   const char *const *allowed, size_t nallowed, const char *const *required, size_t nrequired);

/* typed getters: a missing key, the wrong type or a value outside the list
 * is AIMS_EINVALID naming file, line and key (prefix.key) */
int aims__ans_bool(int *out, const aims__ans_doc *d, const aims__ans *m, const char *prefix, const char *key);
int aims__ans_enum(const char **out, const aims__ans_doc *d, const aims__ans *m, const char *prefix,
		   const char *key, const char *const *values, size_t nvalues);
/* single_line: no newlines, at most 1024 bytes; else at most 64 KiB */
int aims__ans_text(const char **out, const aims__ans_doc *d, const aims__ans *m, const char *prefix,
		   const char *key, int single_line);
/* a sequence (possibly empty unless min_items > 0) */
int aims__ans_seq(const aims__ans **out, const aims__ans_doc *d, const aims__ans *m, const char *prefix,
		  const char *key, size_t min_items);
/* record an error at a node: "'name' line L: path: message" */
int aims__ans_err(const aims__ans_doc *d, const aims__ans *at, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/** The tree as JSON (scalars by type: null, true/false, numbers, strings), for canonical storage. */
json_t *aims__ans_to_json(const aims__ans *n);

#endif
