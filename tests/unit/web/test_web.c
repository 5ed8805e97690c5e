/*
 * Unit tests of the web UI in libaims: the template renderer (escaping by
 * default, sections, refusals naming the template and line), the form
 * parser, and pages answered by aims_web_handle() on a real SQLite store
 * (sign-in redirect, CSRF refusal, role refusal, a system added through a
 * form, CSV download, an owner-only acceptance), and the guided forms of
 * the EU AI Act classification and the impact assessment.
 */
#include "helpers.h"

#include "core/core.h"
#include "web/web_internal.h"
#include "web/pages.h"

static char *render(const char *tpl, const char *ctx_json)
{
	json_error_t je;
	json_t *ctx = json_loads(ctx_json, 0, &je);
	aims_buf out = AIMS_BUF_INIT;
	assert_non_null(ctx);
	assert_aims_ok(aims__web_render(&out, "t.html", tpl, strlen(tpl), ctx));
	json_decref(ctx);
	char *s = strdup(out.ptr);
	aims_buf_release(&out);
	return s;
}

#define RENDERS(tpl, ctx, want) do { \
	char *got_ = render((tpl), (ctx)); \
	assert_string_equal(got_, (want)); \
	free(got_); \
} while (0)

static void test_template(void **state)
{
	(void)state;
	RENDERS("<p>{{x}}</p>", "{\"x\": \"<script>alert('a&b')</script>\\\"\"}",
		"<p>&lt;script&gt;alert(&#39;a&amp;b&#39;)&lt;/script&gt;&quot;</p>");
	RENDERS("{{{x}}}", "{\"x\": \"<b>bold</b>\"}", "<b>bold</b>");
	RENDERS("{{n}} {{r}} {{t}} {{f}} {{z}} {{missing}}.", "{\"n\": 42, \"r\": 0.5, \"t\": true, \"f\": false, \"z\": null}",
		"42 0.5 true   .");
	RENDERS("{{#a}}[{{.}}]{{/a}}", "{\"a\": [\"x\", \"<y>\"]}", "[x][&lt;y&gt;]");
	RENDERS("{{#o}}{{k}}-{{top}}{{/o}}", "{\"o\": {\"k\": \"in\"}, \"top\": \"out\"}", "in-out");
	RENDERS("{{a.b.c}}", "{\"a\": {\"b\": {\"c\": \"deep\"}}}", "deep");
	RENDERS("{{#e}}no{{/e}}{{^e}}empty{{/e}}", "{\"e\": []}", "empty");
	RENDERS("{{#s}}yes{{/s}}{{^s}}no{{/s}}", "{\"s\": \"\"}", "no");
	RENDERS("{{#a}}{{#a}}x{{/a}}{{/a}}", "{\"a\": [{\"a\": [1, 2]}, {\"a\": []}]}", "xx");
	RENDERS("{{#rows}}<tr>{{#cells}}<td>{{text}}</td>{{/cells}}</tr>{{/rows}}",
		"{\"rows\": [{\"cells\": [{\"text\": \"1\"}, {\"text\": \"2\"}]}]}", "<tr><td>1</td><td>2</td></tr>");

	json_t *ctx = json_object();
	aims_buf out = AIMS_BUF_INIT;
	assert_aims_error(aims__web_render(&out, "bad.html", "a\n{{#x}}b", 9, ctx), AIMS_EINVALID,
			  "template bad.html line 2: {{#x}} is not closed");
	aims_buf_clear(&out);
	assert_aims_error(aims__web_render(&out, "bad.html", "{{/x}}", 6, ctx), AIMS_EINVALID, "closes nothing");
	aims_buf_clear(&out);
	assert_aims_error(aims__web_render(&out, "bad.html", "{{x", 3, ctx), AIMS_EINVALID, "tag not closed");
	aims_buf_clear(&out);
	assert_aims_error(aims__web_render(&out, "bad.html", "{{}}", 4, ctx), AIMS_EINVALID, "empty tag");
	aims_buf_release(&out);
	json_decref(ctx);

	/* every compiled-in template renders with an empty context */
	for (size_t i = 0; i < aims__web_file_count; i++) {
		const aims__builtin_file *f = &aims__web_files[i];
		if (!strstr(f->name, ".html"))
			continue;
		json_t *c = json_object();
		aims_buf o = AIMS_BUF_INIT;
		assert_aims_ok(aims__web_render(&o, f->name, (const char *)f->data, f->len, c));
		aims_buf_release(&o);
		json_decref(c);
	}
	assert_non_null(aims__web_file("aims.css"));
	assert_non_null(aims__web_file("aims.js"));
	assert_null(aims__web_file("nope.html"));
}

static void test_form(void **state)
{
	(void)state;
	json_t *f = NULL;
	const char *body = "r=a%0D%0D%0Ab&csrf=abc&name=credit+score&x=%3Cb%3E%26&role=auditor&role=reviewer&&empty=&flag&t=a%0D%0Ab";
	assert_aims_ok(aims_web_form_parse(&f, body, strlen(body)));
	assert_string_equal(json_string_value(json_object_get(f, "name")), "credit score");
	assert_string_equal(json_string_value(json_object_get(f, "x")), "<b>&");
	assert_int_equal(json_array_size(json_object_get(f, "role")), 2);
	assert_string_equal(json_string_value(json_array_get(json_object_get(f, "role"), 1)), "reviewer");
	assert_string_equal(json_string_value(json_object_get(f, "empty")), "");
	assert_string_equal(json_string_value(json_object_get(f, "flag")), "");
	assert_string_equal(json_string_value(json_object_get(f, "t")), "a\nb");
	assert_string_equal(json_string_value(json_object_get(f, "r")), "a\n\nb");
	json_decref(f);
	assert_aims_ok(aims_web_form_parse(&f, "", 0));
	assert_int_equal(json_object_size(f), 0);
	json_decref(f);

	f = NULL;
	assert_aims_error(aims_web_form_parse(&f, "a=%4", 4), AIMS_EINVALID, "field 'a': bad %-escape");
	assert_string_equal(aims_error_last_field(), "a");
	assert_null(f);
	assert_aims_error(aims_web_form_parse(&f, "a=%zz", 5), AIMS_EINVALID, "bad %-escape");
	assert_aims_error(aims_web_form_parse(&f, "a=x%00y", 7), AIMS_EINVALID, "NUL");
	assert_aims_error(aims_web_form_parse(&f, "a=%FF%FE", 8), AIMS_EINVALID, "not UTF-8");
	assert_aims_error(aims_web_form_parse(&f, "%FF=1", 5), AIMS_EINVALID, "not UTF-8");
	assert_aims_error(aims_web_form_parse(&f, "%g=1", 4), AIMS_EINVALID, "field name");

	/* allocation failures: refused cleanly, never half a result */
	for (unsigned long n = 1; n < 200; n++) {
		json_t *g = NULL;
		aims__alloc_fail_after(n);
		int rc = aims_web_form_parse(&g, body, strlen(body));
		aims__alloc_fail_after(0);
		if (rc == 0) {
			assert_int_equal(json_object_size(g), 8);
			json_decref(g);
			break;
		}
		assert_int_equal(rc, AIMS_ENOMEM);
		assert_null(g);
	}
}

typedef struct {
	aims_web_request rq;
	aims_web_response rs;
	json_t *query, *form;
} call;

static int get(call *c, aims_store *s, const aims_principal *p, const char *method, const char *path,
	       const char *query, const char *form)
{
	memset(c, 0, sizeof(*c));
	c->rs = (aims_web_response)AIMS_WEB_RESPONSE_INIT;
	c->query = query ? json_loads(query, 0, NULL) : json_object();
	if (form)
		assert_aims_ok(aims_web_form_parse(&c->form, form, strlen(form)));
	c->rq.store = s;
	c->rq.principal = p;
	c->rq.csrf = "csrf-token-of-the-session";
	c->rq.method = method;
	c->rq.path = path;
	c->rq.query = c->query;
	c->rq.form = c->form;
	c->rq.client_addr = "127.0.0.1";
	return aims_web_handle(&c->rs, &c->rq);
}

static void done(call *c)
{
	aims_web_response_release(&c->rs);
	json_decref(c->query);
	json_decref(c->form);
}

/* a signed-in account with `roles` */
static aims_principal account(const char *name, unsigned roles)
{
	aims_principal p;
	memset(&p, 0, sizeof(p));
	p.kind = AIMS_PRINCIPAL_ACCOUNT;
	snprintf(p.name, sizeof(p.name), "%s", name);
	p.roles = roles;
	return p;
}

static void test_pages(void **state)
{
	(void)state;
	aims_store_options o = AIMS_STORE_OPTIONS_INIT;
	aims_store *s = NULL;
	aims_principal none, alice, carol, admin;
	call c;
	o.create = 1;
	unlink(test_path("web.db"));
	assert_aims_ok(aims_store_open(&s, test_store_url("web.db"), &o));
	test_account(s, "alice", AIMS_ROLE_COMPLIANCE_MANAGER, NULL);
	test_account(s, "carol", AIMS_ROLE_RISK_OWNER, NULL);
	aims_store_set_principal(s, NULL);
	memset(&none, 0, sizeof(none));
	alice = account("alice", AIMS_ROLE_COMPLIANCE_MANAGER);
	carol = account("carol", AIMS_ROLE_RISK_OWNER);
	admin = account("test-admin", AIMS_ROLE_ADMIN);

	/* signed out: '/' is the sign-in form, anything else leads to it */
	assert_aims_ok(get(&c, s, &none, "GET", "/", NULL, NULL));
	assert_int_equal(c.rs.status, 200);
	assert_non_null(strstr(c.rs.body.ptr, "name=\"password\""));
	done(&c);
	assert_aims_ok(get(&c, s, &none, "GET", "/risks", NULL, NULL));
	assert_int_equal(c.rs.status, 303);
	assert_string_equal(c.rs.location, "/login");
	done(&c);
	assert_aims_ok(get(&c, s, &none, "GET", "/static/aims.css", NULL, NULL));
	assert_string_equal(c.rs.content_type, "text/css; charset=utf-8");
	done(&c);

	/* signed in: the dashboard; a form without the CSRF token is refused */
	assert_aims_ok(get(&c, s, &alice, "GET", "/", NULL, NULL));
	assert_int_equal(c.rs.status, 200);
	if (!strstr(c.rs.body.ptr, "No gap analysis yet: "))
		fail_msg("%s", strstr(c.rs.body.ptr, "<main"));
	done(&c);
	assert_aims_ok(get(&c, s, &alice, "POST", "/systems", NULL, "name=chat"));
	assert_int_equal(c.rs.status, 403);
	assert_non_null(strstr(c.rs.body.ptr, "CSRF"));
	done(&c);
	assert_aims_ok(get(&c, s, &alice, "POST", "/systems", NULL, "csrf=wrong-token-of-the-session&name=chat"));
	assert_int_equal(c.rs.status, 403);
	done(&c);

	/* a system added through the form, written by alice */
	assert_aims_ok(get(&c, s, &alice, "POST", "/systems", NULL,
			   "csrf=csrf-token-of-the-session&name=chat%3Cx%3E&purpose=p"));
	assert_int_equal(c.rs.status, 400); /* the operation refuses the name, naming the field */
	assert_non_null(strstr(c.rs.body.ptr, "chat&lt;x&gt;"));
	assert_null(strstr(c.rs.body.ptr, "chat<x>"));
	done(&c);
	assert_aims_ok(get(&c, s, &alice, "POST", "/systems", NULL,
			   "csrf=csrf-token-of-the-session&name=chat&purpose=answer+questions&lifecycle="));
	assert_int_equal(c.rs.status, 303);
	assert_string_equal(c.rs.location, "/systems/chat");
	done(&c);
	assert_aims_ok(get(&c, s, &alice, "GET", "/systems/chat", NULL, NULL));
	assert_int_equal(c.rs.status, 200);
	assert_non_null(strstr(c.rs.body.ptr, "answer questions"));
	assert_non_null(strstr(c.rs.body.ptr, "href=\"/api/v1/systems/chat\""));
	done(&c);
	assert_aims_ok(get(&c, s, &alice, "GET", "/systems", "{\"format\": \"csv\", \"q\": \"chat\"}", NULL));
	assert_string_equal(c.rs.content_type, "text/csv; charset=utf-8");
	assert_string_equal(c.rs.filename, "systems.csv");
	assert_non_null(strstr(c.rs.body.ptr, "Name,Purpose"));
	assert_non_null(strstr(c.rs.body.ptr, "\r\nchat,answer questions,"));
	done(&c);
	assert_aims_ok(get(&c, s, &alice, "GET", "/systems", "{\"q\": \"no such thing\"}", NULL));
	assert_non_null(strstr(c.rs.body.ptr, "0 of 1"));
	done(&c);

	/* users and roles: administrators only */
	assert_aims_ok(get(&c, s, &alice, "GET", "/users", NULL, NULL));
	assert_int_equal(c.rs.status, 403);
	done(&c);
	assert_aims_ok(get(&c, s, &admin, "GET", "/users", NULL, NULL));
	assert_int_equal(c.rs.status, 200);
	assert_non_null(strstr(c.rs.body.ptr, "carol"));
	done(&c);

	/* a risk owned by carol: offered to carol only, refused to alice */
	assert_aims_ok(get(&c, s, &alice, "POST", "/risks/RISK-001/accept", NULL, "csrf=csrf-token-of-the-session"));
	assert_int_equal(c.rs.status, 404);
	done(&c);
	test_act_as(s, "alice", AIMS_ROLE_COMPLIANCE_MANAGER);
	assert_aims_ok(aims_risk_library_add(NULL, s, "chat", "misuse", "carol"));
	aims_store_set_principal(s, NULL);
	assert_aims_ok(get(&c, s, &alice, "GET", "/risks/RISK-001", NULL, NULL));
	assert_null(strstr(c.rs.body.ptr, "Accept risk as its owner"));
	done(&c);
	assert_aims_ok(get(&c, s, &alice, "POST", "/risks/RISK-001/accept", NULL, "csrf=csrf-token-of-the-session"));
	assert_int_equal(c.rs.status, 403);
	done(&c);
	assert_aims_ok(get(&c, s, &carol, "GET", "/risks/RISK-001", NULL, NULL));
	assert_non_null(strstr(c.rs.body.ptr, "Accept risk as its owner"));
	done(&c);
	assert_aims_ok(get(&c, s, &carol, "POST", "/risks/RISK-001/accept", NULL,
			   "csrf=csrf-token-of-the-session&note=fine"));
	assert_int_equal(c.rs.status, 303);
	done(&c);
	assert_aims_ok(get(&c, s, &carol, "GET", "/risks/RISK-001", NULL, NULL));
	assert_non_null(strstr(c.rs.body.ptr, "Accepted by carol"));
	done(&c);

	assert_aims_ok(get(&c, s, &alice, "GET", "/no/such/page", NULL, NULL));
	assert_int_equal(c.rs.status, 404);
	done(&c);

	/* the pages' cache: a hit needs the permission as much as a miss does */
	aims_web_cache *cache = aims_web_cache_new();
	aims_principal nobody = alice;
	snprintf(nobody.name, sizeof(nobody.name), "nobody");
	nobody.roles = 0;
	assert_non_null(cache);
	call d;
	memset(&d, 0, sizeof(d));
	d.rs = (aims_web_response)AIMS_WEB_RESPONSE_INIT;
	d.query = json_object();
	d.rq.store = s;
	d.rq.cache = cache;
	d.rq.principal = &alice;
	d.rq.method = "GET";
	d.rq.path = "/systems";
	d.rq.query = d.query;
	assert_aims_ok(aims_web_handle(&d.rs, &d.rq));
	assert_int_equal(d.rs.status, 200);
	char *first = strdup(d.rs.body.ptr);
	aims_web_response_release(&d.rs);
	d.rs = (aims_web_response)AIMS_WEB_RESPONSE_INIT;
	assert_aims_ok(aims_web_handle(&d.rs, &d.rq)); /* from the cache: the same page */
	assert_string_equal(d.rs.body.ptr, first);
	aims_web_response_release(&d.rs);
	d.rs = (aims_web_response)AIMS_WEB_RESPONSE_INIT;
	d.rq.principal = &nobody;
	assert_aims_ok(aims_web_handle(&d.rs, &d.rq));
	assert_int_equal(d.rs.status, 403);
	assert_null(strstr(d.rs.body.ptr, "answer questions"));
	aims_web_response_release(&d.rs);
	json_decref(d.query);
	free(first);
	aims_web_cache_free(cache);
	aims_store_free(s);
}

/* the answers of examples/aiact-credit-score.yaml as the classification form posts them: all but the
   Annex III point, Art. 49(4) and profiling, then those */
#define CREDIT_BASE "csrf=csrf-token-of-the-session&role=both&art2_exclusion=none&prohibited_practice=none" \
	"&annex_i_safety_component=false&annex_i_section_b=false&art6_3_exemption=none" \
	"&interacts_with_natural_persons=false&generates_synthetic_content=false&emotion_recognition=false" \
	"&biometric_categorisation=none&deep_fake=false&gpai=false&systemic_risk=false&gpai_open_source=false" \
	"&builds_on_third_party_gpai=false&free_open_source_licence=false&public_authority=false" \
	"&provides_public_service=false&affects_workers=false"
#define CREDIT_FORM CREDIT_BASE "&annex_iii_area=5%28b%29&law_enforcement_or_migration=false"

static void test_guided_forms(void **state)
{
	(void)state;
	aims_store_options o = AIMS_STORE_OPTIONS_INIT;
	aims_store *s = NULL;
	aims_principal alice, carol;
	aims_aiact_record *rec = NULL;
	call c;
	/* every key of an answers file is asked, and every value of a list has its label */
	const char *missing = aims__web_aiact_question_check();
	if (missing)
		fail_msg("the classification form has no question or label for '%s'", missing);

	o.create = 1;
	unlink(test_path("webforms.db"));
	assert_aims_ok(aims_store_open(&s, test_store_url("webforms.db"), &o));
	test_account(s, "alice", AIMS_ROLE_COMPLIANCE_MANAGER, NULL);
	test_account(s, "carol", AIMS_ROLE_RISK_OWNER, NULL);
	aims_store_set_principal(s, NULL);
	alice = account("alice", AIMS_ROLE_COMPLIANCE_MANAGER);
	carol = account("carol", AIMS_ROLE_RISK_OWNER);
	assert_aims_ok(get(&c, s, &alice, "POST", "/systems", NULL, "csrf=csrf-token-of-the-session&name=chat"));
	assert_int_equal(c.rs.status, 303);
	done(&c);

	/* an answer outside its list (a post not made by the form) is refused by the library at its question */
	assert_aims_ok(get(&c, s, &alice, "POST", "/aiact/chat/classify", NULL, CREDIT_FORM "&profiling=maybe"));
	assert_int_equal(c.rs.status, 400);
	if (!strstr(c.rs.body.ptr, "id=\"q-profiling-error\"><strong>Error:</strong> wrong type"))
		fail_msg("%s", strstr(c.rs.body.ptr, "<main"));
	done(&c);
	assert_int_equal(aims_aiact_read(&rec, s, "chat", 0), AIMS_ENOTFOUND);
	aims_error_clear();
	/* Annex III point 6 is law enforcement: Art. 49(4) answered no is refused at its question */
	assert_aims_ok(get(&c, s, &alice, "POST", "/aiact/chat/classify", NULL,
			   CREDIT_BASE "&annex_iii_area=6%28a%29&law_enforcement_or_migration=false&profiling=true"));
	assert_int_equal(c.rs.status, 400);
	if (!strstr(c.rs.body.ptr, "id=\"q-law_enforcement_or_migration-error\"><strong>Error:</strong> Annex III point 6(a)"))
		fail_msg("%s", strstr(c.rs.body.ptr, "<main"));
	done(&c);
	/* a missing answer: named without calling the library */
	assert_aims_ok(get(&c, s, &alice, "POST", "/aiact/chat/classify", NULL, CREDIT_FORM));
	assert_int_equal(c.rs.status, 400);
	assert_non_null(strstr(c.rs.body.ptr, "id=\"q-profiling-error\"><strong>Error:</strong> missing answer"));
	assert_non_null(strstr(c.rs.body.ptr, "value=\"both\" id=\"q-role-2\" checked"));
	done(&c);
	/* the role decides: a risk owner is refused, with answers missing too */
	assert_aims_ok(get(&c, s, &carol, "POST", "/aiact/chat/classify", NULL, CREDIT_FORM "&profiling=true"));
	assert_int_equal(c.rs.status, 403);
	done(&c);
	assert_aims_ok(get(&c, s, &carol, "POST", "/aiact/chat/classify", NULL, "csrf=csrf-token-of-the-session"));
	assert_int_equal(c.rs.status, 403);
	done(&c);
	assert_aims_ok(get(&c, s, &alice, "POST", "/aiact/chat/classify", NULL, CREDIT_FORM "&profiling=true"));
	assert_int_equal(c.rs.status, 303);
	assert_string_equal(c.rs.location, "/aiact/chat");
	done(&c);
	assert_aims_ok(aims_aiact_read(&rec, s, "chat", 0));
	assert_string_equal(rec->tier, "high-risk");
	assert_string_equal(rec->actor, "alice");
	aims_aiact_record_free(rec);
	/* a form made before that classification (version 0) does not overwrite it unseen; the page shown
	   then carries version 1, and classifying from it makes version 2 */
	assert_aims_ok(get(&c, s, &alice, "POST", "/aiact/chat/classify", NULL, CREDIT_FORM "&profiling=false&version=0"));
	assert_int_equal(c.rs.status, 400);
	assert_non_null(strstr(c.rs.body.ptr, "the classification changed since this form was opened (from version 0): version 1"));
	assert_non_null(strstr(c.rs.body.ptr, "name=\"version\" value=\"1\""));
	assert_non_null(strstr(c.rs.body.ptr, "name=\"profiling\" value=\"false\" id=\"q-profiling-1\" checked"));
	done(&c);
	assert_aims_ok(get(&c, s, &alice, "POST", "/aiact/chat/classify", NULL, CREDIT_FORM "&profiling=false&version=1"));
	assert_int_equal(c.rs.status, 303);
	done(&c);
	assert_aims_ok(aims_aiact_read(&rec, s, "chat", 0));
	assert_int_equal(rec->version, 2);
	aims_aiact_record_free(rec);

	/* the questionnaire: a harm without its severity is refused at that field, nothing stored */
	static const char ia[] = "csrf=csrf-token-of-the-session&system=chat&intended_use=answers&groups=2&g0_group="
				 "&g1_group=customers&g1_vulnerable=true&benefits=fast%0D%0A%0D%0Afair&harms=2&h1_harm=wrong+terms"
				 "&h1_level=individual&h1_affected=customers&h1_reversibility=reversible&mitigations=review"
				 "&human_oversight=a+person";
	assert_aims_ok(get(&c, s, &alice, "POST", "/assessments/new", NULL, ia));
	assert_int_equal(c.rs.status, 400);
	if (!strstr(c.rs.body.ptr, "id=\"h1_severity-error\"><strong>Error:</strong> missing answer"))
		fail_msg("%s", strstr(c.rs.body.ptr, "<main"));
	assert_non_null(strstr(c.rs.body.ptr, "Harm 2: severity"));
	done(&c);
	aims_assessments *l = NULL;
	assert_aims_ok(aims_assess_list(&l, s, NULL));
	assert_int_equal(l->count, 0);
	aims_assessments_free(l);
	char body[1024];
	snprintf(body, sizeof(body), "%s&h1_severity=low", ia);
	assert_aims_ok(get(&c, s, &alice, "POST", "/assessments/new", NULL, body));
	assert_int_equal(c.rs.status, 303);
	assert_string_equal(c.rs.location, "/assessments/IA-001");
	done(&c);
	aims_assessment *a = NULL;
	assert_aims_ok(aims_assess_get(&a, s, "IA-001"));
	assert_string_equal(a->answers, "{\"affected_groups\":[{\"group\":\"customers\",\"vulnerable\":true}],"
			    "\"benefits\":[\"fast\",\"fair\"],\"harms\":[{\"affected\":\"customers\",\"harm\":"
			    "\"wrong terms\",\"level\":\"individual\",\"reversibility\":\"reversible\",\"severity\":"
			    "\"low\"}],\"human_oversight\":\"a person\",\"intended_use\":\"answers\",\"misuse\":[],"
			    "\"mitigations\":[\"review\"]}");
	assert_string_equal(a->author, "alice");
	aims_assessment_free(a);
	/* four eyes: the author is refused, another account approves */
	assert_aims_ok(get(&c, s, &alice, "POST", "/assessments/IA-001/approve", NULL, "csrf=csrf-token-of-the-session"));
	assert_int_equal(c.rs.status, 403);
	done(&c);
	assert_aims_ok(get(&c, s, &carol, "GET", "/assessments/IA-001", NULL, NULL));
	assert_non_null(strstr(c.rs.body.ptr, "Approve assessment"));
	done(&c);
	assert_aims_ok(get(&c, s, &carol, "POST", "/assessments/IA-001/approve", NULL, "csrf=csrf-token-of-the-session"));
	assert_int_equal(c.rs.status, 303);
	done(&c);
	assert_aims_ok(aims_assess_get(&a, s, "IA-001"));
	assert_string_equal(a->status, "approved");
	assert_string_equal(a->approver, "carol");
	aims_assessment_free(a);
	aims_store_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_template),
		cmocka_unit_test(test_form),
		cmocka_unit_test(test_pages),
		cmocka_unit_test(test_guided_forms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
