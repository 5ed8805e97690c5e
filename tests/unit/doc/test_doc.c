/*
 * Unit tests of controlled documents: the full cycle (template -> edit ->
 * approve -> edit -> approve) with both versions, digests and their diff;
 * the refusals (no principal, retired, editing an approved version in place,
 * four eyes between the principal of the last edit and the approving one);
 * the JSON of a document; review due dates; audit entries; the Markdown renderer's
 * escaping; the gap analysis counting an approved AI policy and scope; and
 * the create path under allocation failures.
 */
#include "helpers.h"
#include "core/core.h"

static aims_store *fresh(const char *name)
{
	aims_store_options o = AIMS_STORE_OPTIONS_INIT;
	aims_store *s = NULL;
	o.create = 1;
	test_store_remove(name);
	assert_aims_ok(aims_store_open(&s, test_store_url(name), &o));
	assert_aims_ok(aims_catalog_load_all(s, NULL, NULL));
	assert_aims_ok(aims_store_setting_set(s, "org.name", "Northwind <Lending>"));
	test_act_as(s, "alice", AIMS_ROLES_ALL);
	return s;
}

/* approve as account `who`, then act as alice again (who writes the documents of these tests) */
static int approve_as(const char *who, int *version, aims_store *s, const char *id, const char *date)
{
	test_act_as(s, who, AIMS_ROLE_RISK_OWNER);
	int rc = aims_doc_approve(version, s, id, date);
	test_act_as(s, "alice", AIMS_ROLES_ALL);
	return rc;
}

static size_t count_entries(aims_store *s, const char *id, const char *action)
{
	aims_ledger_entries *l = NULL;
	size_t n = 0;
	assert_aims_ok(aims_ledger_log_read(&l, s, id));
	for (size_t i = 0; i < l->count; i++)
		n += strcmp(l->items[i].object_type, "document") == 0 && strcmp(l->items[i].action, action) == 0;
	aims_ledger_entries_free(l);
	return n;
}

static void test_full_cycle(void **state)
{
	(void)state;
	aims_store *s = fresh("cycle.db");
	aims_doc_new_opts no = AIMS_DOC_NEW_INIT;
	aims_doc_edit_opts eo = AIMS_DOC_EDIT_INIT;
	aims_doc *d = NULL, *v1 = NULL, *v2 = NULL;
	aims_doc_list *vers = NULL;
	aims_buf diff = AIMS_BUF_INIT;
	char *id = NULL;
	int v = 0;

	no.template_name = "ai-policy";
	no.owner = "CISO";
	assert_aims_ok(aims_doc_create(&id, s, &no));
	assert_string_equal(id, "DOC-001");
	assert_aims_ok(aims_doc_read(&d, s, id, 0));
	assert_string_equal(d->type, "ai-policy");
	assert_int_equal(d->status, AIMS_DOC_DRAFT);
	assert_int_equal(d->version, 1);
	assert_non_null(strstr(d->body, "Northwind <Lending>"));
	assert_non_null(strstr(d->body, "No AI systems recorded yet"));
	assert_null(strstr(d->body, "{{"));
	assert_true(d->nlinks >= 4);
	aims_doc_free(d);

	eo.body = "# AI policy\n\nFirst text.\nKept line.\n";
	assert_aims_ok(aims_doc_edit(s, id, &eo));
	test_act_as(s, "bob", AIMS_ROLES_ALL);
	assert_aims_ok(aims_doc_approve(&v, s, id, "2025-01-31"));
	assert_int_equal(v, 1);
	/* edit after approval: a new draft, version 2, whose author is now bob */
	eo.body = "# AI policy\n\nSecond text.\nKept line.\n";
	assert_aims_ok(aims_doc_edit(s, id, &eo));
	assert_aims_ok(aims_doc_read(&d, s, id, 0));
	assert_int_equal(d->status, AIMS_DOC_DRAFT);
	assert_int_equal(d->version, 2);
	assert_int_equal(d->latest_approved, 1);
	assert_string_equal(d->author, "bob");
	/* the document's JSON: the keys of docs/documents.md, in order, the working copy's author */
	json_t *j = aims_doc_json(d, 1);
	assert_non_null(j);
	const char *keys[] = { "id", "type", "title", "owner", "status", "version", "latest_approved", "author",
			       "approver", "approved_at", "next_review", "review_months", "links", "digest", "updated_at",
			       "body" };
	size_t k = 0;
	const char *key;
	json_t *val;
	json_object_foreach(j, key, val) {
		assert_true(k < sizeof(keys) / sizeof(keys[0]));
		assert_string_equal(key, keys[k++]);
	}
	assert_int_equal(k, sizeof(keys) / sizeof(keys[0]));
	assert_string_equal(json_string_value(json_object_get(j, "author")), "bob");
	assert_string_equal(json_string_value(json_object_get(j, "approver")), "bob");
	assert_int_equal(json_integer_value(json_object_get(j, "version")), 2);
	json_decref(j);
	aims_doc_free(d);
	/* bob wrote version 2: he may not approve it; alice may */
	assert_aims_error(aims_doc_approve(&v, s, id, NULL), AIMS_EPERM, "its author 'bob' may not approve it");
	test_act_as(s, "alice", AIMS_ROLES_ALL);
	assert_aims_ok(aims_doc_approve(&v, s, id, NULL));
	assert_int_equal(v, 2);

	assert_aims_ok(aims_doc_versions(&vers, s, id));
	assert_int_equal(vers->count, 2);
	assert_aims_ok(aims_doc_read(&v1, s, id, 1));
	assert_aims_ok(aims_doc_read(&v2, s, id, 2));
	assert_string_equal(v1->digest, vers->items[0]->digest);
	assert_string_equal(v2->digest, vers->items[1]->digest);
	assert_true(strncmp(v1->digest, "sha256:", 7) == 0 && strlen(v1->digest) == 71);
	assert_string_not_equal(v1->digest, v2->digest);
	assert_non_null(strstr(v1->body, "First text."));
	assert_non_null(strstr(v2->body, "Second text."));
	assert_string_equal(v1->approved_at, "2025-01-31");
	assert_string_equal(v1->approver, "bob");
	assert_string_equal(v1->author, "alice");
	assert_string_equal(v2->approver, "alice");
	assert_string_equal(v2->author, "bob");
	assert_string_equal(v1->next_review, "2026-01-31");
	assert_aims_ok(aims_doc_diff(&diff, s, id, 1, 2));
	assert_non_null(strstr(diff.ptr, "--- DOC-001 version 1\n+++ DOC-001 version 2\n"));
	assert_non_null(strstr(diff.ptr, "\n-First text.\n+Second text.\n Kept line.\n"));
	/* audit trail: create, two updates, two approvals */
	assert_int_equal(count_entries(s, id, "create"), 1);
	assert_int_equal(count_entries(s, id, "update"), 2);
	assert_int_equal(count_entries(s, id, "approve"), 2);
	aims_buf_release(&diff);
	aims_doc_free(v1);
	aims_doc_free(v2);
	aims_doc_list_free(vers);
	aims__free(id);
	aims_store_free(s);
}

static void test_refusals(void **state)
{
	(void)state;
	aims_store *s = fresh("refuse.db");
	aims_doc_new_opts no = AIMS_DOC_NEW_INIT;
	aims_doc_edit_opts eo = AIMS_DOC_EDIT_INIT;
	char digest[65], after[65];

	no.type = "scope";
	no.owner = "CISO";
	no.id = "scope";
	assert_aims_ok(aims_doc_create(NULL, s, &no));
	/* no principal */
	assert_aims_ok(aims_store_set_principal(s, NULL));
	assert_aims_error(aims_doc_approve(NULL, s, "scope", NULL), AIMS_EAUTH, "authenticated principal");
	/* four eyes: alice wrote it, so alice may not approve it, whatever her roles */
	test_act_as(s, "alice", AIMS_ROLES_ALL);
	assert_aims_error(aims_doc_approve(NULL, s, "scope", NULL), AIMS_EPERM,
			  "scope (AIMS scope) needs four eyes: its author 'alice' may not approve it");
	assert_aims_ok(approve_as("bob", NULL, s, "scope", NULL));
	/* editing approved version 1 in place */
	assert_aims_ok(aims_store_content_digest(digest, s));
	eo.edit_version = 1;
	eo.title = "Changed";
	assert_aims_error(aims_doc_edit(s, "scope", &eo), AIMS_ECONFLICT, "version 1 of scope is approved");
	assert_aims_ok(aims_store_content_digest(after, s));
	assert_string_equal(digest, after);
	/* nothing to approve */
	assert_aims_error(approve_as("bob", NULL, s, "scope", NULL), AIMS_ECONFLICT, "approved already");
	/* retired */
	assert_aims_ok(aims_doc_retire(s, "scope"));
	assert_aims_error(approve_as("bob", NULL, s, "scope", NULL), AIMS_ECONFLICT, "retired");
	eo.edit_version = 0;
	assert_aims_error(aims_doc_edit(s, "scope", &eo), AIMS_ECONFLICT, "retired");
	/* a procedure needs no four eyes */
	no.type = "procedure";
	no.id = NULL;
	no.title = "Model release";
	assert_aims_ok(aims_doc_create(NULL, s, &no));
	assert_aims_ok(aims_doc_approve(NULL, s, "DOC-002", NULL));
	/* bad links, types, unknown documents */
	const char *bad[] = { "iso27001-2022:A.99.1" };
	eo.title = NULL;
	eo.add_links = bad;
	eo.nadd = 1;
	assert_aims_error(aims_doc_edit(s, "DOC-002", &eo), AIMS_EINVALID, "A.99.1");
	no.type = "memo";
	assert_aims_error(aims_doc_create(NULL, s, &no), AIMS_EINVALID, "not a document type");
	assert_aims_error(approve_as("bob", NULL, s, "nope", NULL), AIMS_ENOTFOUND, "no document");
	aims_store_free(s);
}

static void test_due(void **state)
{
	(void)state;
	aims_store *s = fresh("due.db");
	aims_doc_new_opts no = AIMS_DOC_NEW_INIT;
	aims_doc_list *due = NULL;
	no.type = "raci";
	no.owner = "COO";
	no.review_months = 6;
	assert_aims_ok(aims_doc_create(NULL, s, &no));
	assert_aims_ok(approve_as("bob", NULL, s, "DOC-001", "2024-08-31"));
	no.type = "objectives";
	no.review_months = 0;
	assert_aims_ok(aims_doc_create(NULL, s, &no));  /* never approved: never due */
	assert_aims_ok(aims_doc_due(&due, s, "2025-02-28"));
	assert_int_equal(due->count, 0);   /* next review 2025-02-28 (Aug 31 + 6 months, clamped) */
	aims_doc_list_free(due);
	assert_aims_ok(aims_doc_due(&due, s, "2025-03-01T00:00:00Z"));
	assert_int_equal(due->count, 1);
	assert_string_equal(due->items[0]->id, "DOC-001");
	assert_string_equal(due->items[0]->next_review, "2025-02-28");
	aims_doc_list_free(due);
	assert_aims_error(aims_doc_due(&due, s, "yesterday"), AIMS_EINVALID, "expected a date");
	aims_store_free(s);
}

static void test_markdown_and_diff(void **state)
{
	(void)state;
	aims_buf b = AIMS_BUF_INIT;
	assert_aims_ok(aims_doc_markdown_html(&b, "# T <x>\n\nSome *em* and **strong** `c<d>`\n<script>alert(1)</script>\n\n"
					      "- a\n- b & c\n\n1. one\n2. two\n\n| h1 | h2 |\n|---|---|\n| x | <b> |\n\n"
					      "```\n<raw>\n```\n[link](javascript:x)\n"));
	assert_non_null(strstr(b.ptr, "<h2>T &lt;x&gt;</h2>"));
	assert_non_null(strstr(b.ptr, "<em>em</em>"));
	assert_non_null(strstr(b.ptr, "<strong>strong</strong>"));
	assert_non_null(strstr(b.ptr, "<code>c&lt;d&gt;</code>"));
	assert_non_null(strstr(b.ptr, "&lt;script&gt;"));
	assert_non_null(strstr(b.ptr, "<ul>\n<li>a</li>\n<li>b &amp; c</li>\n</ul>"));
	assert_non_null(strstr(b.ptr, "<ol>"));
	assert_non_null(strstr(b.ptr, "<th>h1</th><th>h2</th>"));
	assert_non_null(strstr(b.ptr, "<td>&lt;b&gt;</td>"));
	assert_non_null(strstr(b.ptr, "<pre><code>&lt;raw&gt;\n</code></pre>"));
	assert_null(strstr(b.ptr, "<script"));
	assert_null(strstr(b.ptr, "<a "));
	aims_buf_clear(&b);
	assert_aims_ok(aims_doc_diff_text(&b, "a", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "b", "1\n2\n3\n4\nX\n6\n7\n8\n9\n10\n11\n"));
	assert_string_equal(b.ptr, "--- a\n+++ b\n@@ -2,9 +2,10 @@\n 2\n 3\n 4\n-5\n+X\n 6\n 7\n 8\n 9\n 10\n+11\n");
	aims_buf_release(&b);
}

static void test_gap_counts_documents(void **state)
{
	(void)state;
	aims_store *s = fresh("gap.db");
	aims_doc_new_opts no = AIMS_DOC_NEW_INIT;
	aims_gap *gap = NULL;
	/* an ISMS where nothing is implemented */
	const char *csv = "control,applicable,status,justification,owner,evidence\n"
			  "A.5.1,yes,not-implemented,,CISO,\n";
	int64_t ver = 0;
	assert_aims_ok(aims_isms_import_mem(s, csv, strlen(csv), "isms.csv", &ver));
	assert_aims_ok(aims_gap_compute(&gap, s, 0));
	assert_int_equal(aims_gap_find(gap, "5.2")->status, AIMS_GAP_GAP);
	assert_int_equal(aims_gap_summary_get(gap)->partial, 0);
	aims_gap_free(gap);
	no.template_name = "ai-policy";
	no.owner = "CISO";
	assert_aims_ok(aims_doc_create(NULL, s, &no));
	assert_aims_ok(aims_gap_compute(&gap, s, 0));
	assert_int_equal(aims_gap_find(gap, "5.2")->status, AIMS_GAP_GAP);  /* a draft is no evidence */
	aims_gap_free(gap);
	assert_aims_ok(approve_as("bob", NULL, s, "DOC-001", NULL));
	no.template_name = "scope";
	assert_aims_ok(aims_doc_create(NULL, s, &no));
	assert_aims_ok(approve_as("bob", NULL, s, "DOC-002", NULL));
	assert_aims_ok(aims_gap_compute(&gap, s, 0));
	const aims_gap_item *p = aims_gap_find(gap, "5.2"), *a = aims_gap_find(gap, "A.2.2"),
			    *sc = aims_gap_find(gap, "4.3");
	assert_int_equal(p->status, AIMS_GAP_PARTIAL);
	assert_int_equal(a->status, AIMS_GAP_PARTIAL);
	assert_int_equal(sc->status, AIMS_GAP_PARTIAL);
	assert_int_equal(p->nevidence, 1);
	assert_string_equal(p->evidence[0], "doc:DOC-001@v1");
	assert_string_equal(sc->evidence[0], "doc:DOC-002@v1");
	/* a document counts for every ISO/IEC 42001 requirement its approved version links to
	 * (docs/gap-analysis.md): the AI policy template 5.2, A.2.2, A.2.3, A.2.4; the scope 4.1, 4.2, 4.3 */
	assert_int_equal(aims_gap_find(gap, "A.2.4")->status, AIMS_GAP_PARTIAL);
	assert_int_equal(aims_gap_find(gap, "4.1")->status, AIMS_GAP_PARTIAL);
	assert_int_equal(aims_gap_summary_get(gap)->partial, 7);
	assert_int_equal(aims_gap_summary_get(gap)->covered, 0);
	aims_gap_free(gap);
	aims_store_free(s);
}

static void test_create_survives_allocation_failures(void **state)
{
	(void)state;
	aims_store *s = fresh("alloc.db");
	for (unsigned long n = 1; n < 20000; n++) {
		aims_doc_new_opts no = AIMS_DOC_NEW_INIT;
		aims_doc *d = NULL;
		char *id = NULL;
		no.template_name = "raci";
		no.owner = "COO";
		no.id = "raci";
		aims__alloc_fail_after(n);
		int rc = aims_doc_create(&id, s, &no);
		aims__alloc_fail_after(0);
		if (rc == 0) {
			assert_string_equal(id, "raci");
			assert_aims_ok(aims_doc_read(&d, s, "raci", 0));
			assert_int_equal(d->version, 1);
			aims_doc_free(d);
			aims__free(id);
			assert_int_equal(count_entries(s, "raci", "create"), 1);
			aims_store_free(s);
			return;
		}
		assert_null(id);
		/* a failed create leaves nothing behind */
		assert_int_equal(aims_doc_read(&d, s, "raci", 0), AIMS_ENOTFOUND);
	}
	fail_msg("create never succeeded");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_cycle),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_due),
		cmocka_unit_test(test_markdown_and_diff),
		cmocka_unit_test(test_gap_counts_documents),
		cmocka_unit_test(test_create_survives_allocation_failures),
	};
	return cmocka_run_group_tests_name("doc", tests, NULL, NULL);
}
