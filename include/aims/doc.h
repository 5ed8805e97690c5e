/*
 * Controlled documents of the AI management system (ISO/IEC 42001 7.5):
 * the AIMS scope (4.3), the AI policy (5.2, A.2.2-A.2.4), AI risk criteria
 * (6.1.2), roles and responsibilities (5.3, A.3.2), the concern-reporting
 * procedure (A.3.3), AI objectives (6.2) and free-form procedures. Each
 * document has a working copy (draft or in review) and immutable approved
 * versions identified by a content digest; every create, edit, submit,
 * approve and retire appends an audit entry to the governance log in the
 * same transaction. The model and the approval rules: docs/documents.md.
 */
#ifndef AIMS_DOC_H
#define AIMS_DOC_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	AIMS_DOC_DRAFT = 0,
	AIMS_DOC_IN_REVIEW = 1,
	AIMS_DOC_APPROVED = 2,
	AIMS_DOC_RETIRED = 3
} aims_doc_status;

/** "draft", "in-review", "approved" or "retired". */
const char *aims_doc_status_name(aims_doc_status s);

/** The document types, NULL-terminated: scope, ai-policy, risk-criteria, raci,
 *  concern-reporting, objectives, procedure. */
extern const char *const aims_doc_types[];

/** 1 when `type` is a document type. */
int aims_doc_type_valid(const char *type);

/** A readable name of a type ("AI policy"); the type itself if unknown. */
const char *aims_doc_type_title(const char *type);

/** 1 when approving a document of this type needs an approver other than its author. */
int aims_doc_type_four_eyes(const char *type);

/**
 * One document as read from the store: the working copy (version 0 in
 * aims_doc_read) or one approved version. Every string is owned by the
 * object and freed with aims_doc_free; optional ones are NULL when unset.
 */
typedef struct {
	char *id;
	char *type;
	char *title;
	char *owner;
	char *author;          /* who wrote this content (the principal of the last edit) */
	char *approver;        /* of this version, or of the latest approved version for a working copy */
	char *approved_at;     /* YYYY-MM-DD, likewise */
	char *next_review;     /* YYYY-MM-DD: approval date + review interval */
	char *body;            /* Markdown */
	char *digest;          /* "sha256:<hex>" of the canonical content (docs/documents.md) */
	char *created_at;      /* RFC 3339 */
	char *updated_at;      /* RFC 3339 */
	char **links;          /* "FRAMEWORK:ID", sorted */
	size_t nlinks;
	aims_doc_status status; /* of the document (an approved version read by number: approved) */
	int version;           /* the version shown: a draft's number is the next approved one */
	int latest_approved;   /* newest approved version, 0 if none */
	int is_working;        /* 1 for the working copy, 0 for an approved version */
	int review_months;
} aims_doc;

void aims_doc_free(aims_doc *doc);

typedef struct {
	aims_doc **items;
	size_t count;
} aims_doc_list;

void aims_doc_list_free(aims_doc_list *list);

/** Options of aims_doc_create. */
typedef struct {
	unsigned int version;    /* AIMS_DOC_NEW_VERSION */
	const char *id;          /* lowercase slug [a-z0-9-]; NULL = next DOC-NNN */
	const char *type;        /* required unless the template sets it */
	const char *template_name; /* built-in template; NULL = the type's own, if any */
	const char *title;       /* NULL = the template's */
	const char *owner;       /* required */
	const char *body;        /* Markdown replacing the template's */
	int review_months;       /* 0 = the template's, else 12 */
} aims_doc_new_opts;

#define AIMS_DOC_NEW_VERSION 1
#define AIMS_DOC_NEW_INIT { AIMS_DOC_NEW_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, 0 }

/**
 * Create a draft document (a template filled with the organization's name
 * and the AI systems known to the inventory). *id_out (may be NULL) receives
 * the id, owned by the caller.
 */
int aims_doc_create(char **id_out, aims_store *store, const aims_doc_new_opts *opts);

/** Changes for aims_doc_edit; NULL / 0 fields are left as they are. */
typedef struct {
	unsigned int version;    /* AIMS_DOC_EDIT_VERSION */
	int edit_version;        /* the version to change: 0 = the working copy */
	const char *title;
	const char *owner;
	const char *body;
	const char *const *add_links;  /* requirement ids; see docs/documents.md */
	size_t nadd;
	const char *const *remove_links;
	size_t nremove;
	int review_months;       /* 0 = unchanged */
} aims_doc_edit_opts;

#define AIMS_DOC_EDIT_VERSION 1
#define AIMS_DOC_EDIT_INIT { AIMS_DOC_EDIT_VERSION, 0, NULL, NULL, NULL, NULL, 0, NULL, 0, 0 }

/**
 * Change the working copy. Editing an approved document starts a new draft
 * (version latest + 1); the approved versions never change: asking to edit
 * one (edit_version) is AIMS_ECONFLICT, as is editing a retired document.
 * Links are checked against the iso42001-2023 and iso27001-2022 catalogs.
 */
int aims_doc_edit(aims_store *store, const char *id, const aims_doc_edit_opts *opts);

/** Move a draft to in-review. */
int aims_doc_submit(aims_store *store, const char *id);

/**
 * Approve the working copy as a new immutable version; the approver is the
 * store's principal (AIMS_EAUTH without one). When the type needs four
 * eyes, the principal must not be the author, the principal of the last
 * edit (AIMS_EPERM naming both); a retired document or one without a draft
 * is AIMS_ECONFLICT. `date` (YYYY-MM-DD; NULL = today) is the approval date
 * the next review is counted from. *version_out may be NULL.
 */
int aims_doc_approve(int *version_out, aims_store *store, const char *id, const char *date);

/** Retire a document: it stays readable, cannot be edited or approved, and is never due. */
int aims_doc_retire(aims_store *store, const char *id);

/** Read the working copy (version 0) or an approved version of a document. */
int aims_doc_read(aims_doc **out, aims_store *store, const char *id, int version);

/**
 * The JSON of a document (a working copy or an approved version), as `aims
 * doc list --json` shows it: {id, type, title, owner, status, version,
 * latest_approved, author, approver, approved_at, next_review,
 * review_months, links, digest, updated_at}; with_body adds "body".
 * NULL when out of memory.
 */
json_t *aims_doc_json(const aims_doc *doc, int with_body);

/** The JSON of one approved version in a document's history: {version, approver, approved_at, next_review,
 *  author, digest}. */
json_t *aims_doc_version_json(const aims_doc *version);

/** All documents' working copies, by id. */
int aims_doc_list_read(aims_doc_list **out, aims_store *store);

/** The approved versions of one document, oldest first. */
int aims_doc_versions(aims_doc_list **out, aims_store *store, const char *id);

/**
 * Documents past their review date on `today` (YYYY-MM-DD or RFC 3339;
 * NULL = today): approved or with an approved version, not retired, whose
 * latest approval plus the review interval is before today.
 */
int aims_doc_due(aims_doc_list **out, aims_store *store, const char *today);

/**
 * Unified line diff (3 lines of context) between two versions of a
 * document: title, owner, links and body. 0 = the working copy; -1 for
 * `from` = the version before `to`; -1 for `to` = the working copy.
 */
int aims_doc_diff(aims_buf *out, aims_store *store, const char *id, int from, int to);

/** Unified diff of two texts with headers `a` and `b` (a longest-common-subsequence diff). */
int aims_doc_diff_text(aims_buf *out, const char *a_name, const char *a, const char *b_name,
		       const char *b);

/**
 * Render a safe Markdown subset to HTML: headings, paragraphs, lists,
 * emphasis, inline code, fenced code and pipe tables. All text is escaped;
 * raw HTML and links are shown as text.
 */
int aims_doc_markdown_html(aims_buf *out, const char *markdown);

/** One document as a self-contained, printable HTML page. */
int aims_doc_render_html(aims_buf *out, aims_store *store, const aims_doc *doc);

/** The index page of a document set: id, title, type, status, version, approver, review dates. */
int aims_doc_index_html(aims_buf *out, aims_store *store, const aims_doc_list *docs);

/** The built-in templates (the Markdown files of templates/, compiled into the library). */
size_t aims_doc_template_count(void);
/** Name ("ai-policy") and raw text of the i-th template; borrowed. */
int aims_doc_template_at(size_t i, const char **name, const char **text, size_t *len);

/** A template's front matter (the lines between "---" lines); strings are owned. */
typedef struct {
	char *type;
	char *title;
	int review_months;
	char **links;
	size_t nlinks;
	size_t body_offset;   /* where the body starts in the text */
} aims_doc_front_matter;

/**
 * Parse the front matter ("---" line, "key: value" lines with keys type,
 * title, review-months, links, then "---"). AIMS_EINVALID with the line.
 */
int aims_doc_front_matter_parse(aims_doc_front_matter *out, const char *text, size_t len,
				const char *name);
void aims_doc_front_matter_release(aims_doc_front_matter *fm);

/**
 * The inventory hook: names of the AI systems recorded in the inventory.
 * The inventory module does not exist yet, so this returns none (*count 0);
 * templates then say "no AI systems recorded yet". *names is owned by the
 * caller (free each and the array with aims_doc_names_free).
 */
int aims_doc_inventory_systems(char ***names, size_t *count, aims_store *store);
void aims_doc_names_free(char **names, size_t count);

/**
 * Inventory systems that no approved, non-retired scope document names in
 * its body (case-insensitive): the scope statement's blind spots. Empty
 * while the inventory is empty.
 */
int aims_doc_scope_uncovered(char ***names, size_t *count, aims_store *store);

#ifdef __cplusplus
}
#endif
#endif
