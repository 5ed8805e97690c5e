/*
 * The web UI: one function per page. Each builds a JSON context from the
 * documents of operations called through aims_op_call() with the signed-in
 * principal (so the permission table decides, exactly as for the API) and
 * renders a template of templates/web/ into the layout. Writes are forms
 * posted to the page's own path with the session's CSRF token; a refused
 * operation shows its message with the API's status code. Lists can be
 * filtered, sorted, paged and downloaded as CSV; object pages link to the
 * object's JSON under /api/v1.
 *
 * This file answers a request: static files, sign-in, the CSRF check of
 * every post, and the router from a path to its page. The pages are in the
 * files of their family (pages.h lists them); page.c and list.c hold what
 * they share.
 */
#include <string.h>

#include "aims/aims.h"
#include "aims/op.h"
#include "core/core.h"
#include "pages.h"

void aims_web_response_release(aims_web_response *res)
{
	aims_buf_release(&res->body);
	if (res->session_cookie) {
		memset(res->session_cookie, 0, strlen(res->session_cookie));
		aims__free(res->session_cookie);
	}
	res->session_cookie = NULL;
}

/* ---- routing ---- */

/* split "/a/b/c" after prefix: *one = "b", *rest = "c" (both "" when absent) */
static int split(char *one, size_t cap1, const char **rest, const char *path)
{
	size_t n = strcspn(path, "/");
	if (n == 0 || n >= cap1)
		return -1;
	memcpy(one, path, n);
	one[n] = '\0';
	*rest = path[n] ? path + n + 1 : "";
	return 0;
}

static int route(W *w)
{
	const char *p = w->rq->path, *rest = "";
	const aims__web_list *l;
	char seg[256];
	int post = strcmp(w->rq->method, "POST") == 0, r;
	if (strcmp(p, "/") == 0)
		return post ? aims__web_not_found(w) : aims__web_pg_dashboard(w);
	if (strcmp(p, "/logout") == 0)
		return post ? aims__web_pg_logout(w) : aims__web_redirect(w, "/");
	if (strncmp(p, "/account", 8) == 0 && (p[8] == '\0' || p[8] == '/'))
		return aims__web_pg_account(w, p[8] ? p + 9 : "");
	if (strcmp(p, "/systems") == 0)
		return aims__web_pg_systems(w);
	if (strncmp(p, "/systems/", 9) == 0 && !post && split(seg, sizeof(seg), &rest, p + 9) == 0 && !*rest)
		return aims__web_pg_system(w, seg);
	if (strncmp(p, "/systems/", 9) == 0 && split(seg, sizeof(seg), &rest, p + 9) == 0 &&
	    strcmp(rest, "review-metrics") == 0)
		return aims__web_pg_review_metrics(w, seg);
	if (strncmp(p, "/evaluations/", 13) == 0 && !post && split(seg, sizeof(seg), &rest, p + 13) == 0 && !*rest)
		return aims__web_pg_evaluation(w, seg);
	if (strcmp(p, "/gap") == 0 && !post)
		return aims__web_pg_gap(w);
	if (strcmp(p, "/soa") == 0 && !post)
		return aims__web_pg_soa(w);
	if (strncmp(p, "/soa/", 5) == 0 && split(seg, sizeof(seg), &rest, p + 5) == 0 && !*rest)
		return aims__web_pg_soa_control(w, seg);
	if (strcmp(p, "/documents") == 0)
		return aims__web_pg_documents(w);
	if (strncmp(p, "/documents/", 11) == 0 && split(seg, sizeof(seg), &rest, p + 11) == 0 && !strchr(rest, '/'))
		return aims__web_pg_document(w, seg, rest);
	if (strcmp(p, "/risks") == 0 && !post)
		return aims__web_pg_risks(w);
	if (strncmp(p, "/risks/", 7) == 0 && split(seg, sizeof(seg), &rest, p + 7) == 0 && !strchr(rest, '/'))
		return aims__web_pg_risk(w, seg, rest);
	if (strcmp(p, "/assessments") == 0 && !post)
		return aims__web_pg_assessments(w);
	if (strncmp(p, "/assessments/", 13) == 0 && split(seg, sizeof(seg), &rest, p + 13) == 0 && !strchr(rest, '/'))
		return aims__web_pg_assessment(w, seg, rest);
	if (!post && ((l = aims__web_inventory_list(p)) != NULL || (l = aims__web_register_list(p)) != NULL))
		return aims__web_list_show(w, l);
	if (strncmp(p, "/aiact/", 7) == 0 && split(seg, sizeof(seg), &rest, p + 7) == 0 && !strchr(rest, '/'))
		return aims__web_pg_aiact(w, seg, rest);
	if (strcmp(p, "/decisions") == 0 && !post)
		return aims__web_pg_decision_logs(w);
	if (strncmp(p, "/decisions/", 11) == 0 && !post && split(seg, sizeof(seg), &rest, p + 11) == 0) {
		char ix[64];
		const char *more = "";
		if (!*rest)
			return aims__web_pg_decision_log(w, seg);
		if (strcmp(rest, "verification") == 0)
			return aims__web_pg_decision_verify(w, seg);
		if (split(ix, sizeof(ix), &more, rest) == 0 && !*more)
			return aims__web_pg_decision_record(w, seg, ix);
		if (split(ix, sizeof(ix), &more, rest) == 0 && strcmp(more, "receipt") == 0)
			return aims__web_pg_decision_receipt(w, seg, ix);
		return aims__web_not_found(w);
	}
	if (strcmp(p, "/ledger") == 0 && !post)
		return aims__web_pg_ledger(w, 0);
	if (strcmp(p, "/ledger/verification") == 0 && !post)
		return aims__web_pg_ledger(w, 1);
	if (strcmp(p, "/policies") == 0)
		return aims__web_pg_policies(w);
	if (strncmp(p, "/policies/", 10) == 0 && split(seg, sizeof(seg), &rest, p + 10) == 0 && !strchr(rest, '/'))
		return aims__web_pg_policy(w, seg, rest);
	if (strcmp(p, "/gates") == 0)
		return aims__web_pg_gates(w);
	if (strncmp(p, "/gates/", 7) == 0 && split(seg, sizeof(seg), &rest, p + 7) == 0 && !strchr(rest, '/'))
		return aims__web_pg_gate(w, seg, rest);
	if (strcmp(p, "/gate-checks") == 0)
		return aims__web_pg_gate_checks(w);
	if (strcmp(p, "/gate-exceptions") == 0)
		return aims__web_pg_gate_exceptions(w, "", "");
	if (strncmp(p, "/gate-exceptions/", 17) == 0 && post && split(seg, sizeof(seg), &rest, p + 17) == 0 &&
	    !strchr(rest, '/'))
		return aims__web_pg_gate_exceptions(w, seg, rest);
	if (strcmp(p, "/reviews") == 0 && !post)
		return aims__web_pg_reviews(w);
	if (strncmp(p, "/reviews/", 9) == 0 && split(seg, sizeof(seg), &rest, p + 9) == 0 && !strchr(rest, '/'))
		return aims__web_pg_review(w, seg, rest);
	if (aims__web_pdca_route(&r, w, p))
		return r;
	if (strcmp(p, "/users") == 0)
		return aims__web_pg_users(w, "", "");
	if (strncmp(p, "/users/", 7) == 0 && post && split(seg, sizeof(seg), &rest, p + 7) == 0 && !strchr(rest, '/'))
		return aims__web_pg_users(w, seg, rest);
	return aims__web_not_found(w);
}

static const char *static_type(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (dot && strcmp(dot, ".css") == 0)
		return "text/css; charset=utf-8";
	if (dot && strcmp(dot, ".js") == 0)
		return "text/javascript; charset=utf-8";
	return NULL;
}

int aims_web_handle(aims_web_response *res, const aims_web_request *req)
{
	W w;
	memset(&w, 0, sizeof(w));
	w.rq = req;
	w.rs = res;
	res->status = 200;
	if (strncmp(req->path, "/static/", 8) == 0) {
		const aims__builtin_file *f = static_type(req->path + 8) ? aims__web_file(req->path + 8) : NULL;
		if (!f || strcmp(req->method, "POST") == 0)
			return aims__web_not_found(&w);
		res->content_type = static_type(req->path + 8);
		aims_buf_clear(&res->body);
		return aims_buf_put(&res->body, f->data, f->len) < 0 ? aims__oom() : 0;
	}
	if (strcmp(req->path, "/login") == 0)
		return aims__web_pg_login(&w);
	if (strcmp(req->path, "/concern") == 0)
		return aims__web_pg_concern(&w);
	if (!aims__web_signed_in(&w)) {
		if (strcmp(req->path, "/") == 0 && strcmp(req->method, "POST") != 0)
			return aims__web_page(&w, 200, "login.html", "Sign in", json_object());
		return aims__web_redirect(&w, "/login");
	}
	/* a form of this UI carries the session's CSRF token; anything else posting here is refused */
	if (strcmp(req->method, "POST") == 0) {
		const char *t = aims__web_fstr(&w, "csrf");
		if (!req->csrf || !*req->csrf || strlen(t) != strlen(req->csrf) || strcmp(t, req->csrf) != 0) {
			aims__err_set(AIMS_EPERM, "the form's CSRF token is missing or not this session's: reload the page");
			return aims__web_fail(&w, AIMS_EPERM);
		}
	}
	return route(&w);
}
