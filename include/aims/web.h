/*
 * The web UI of `aims serve`: pages rendered on the server from the
 * library's own templates (templates/web/, compiled in). A page is built
 * only from operations called through aims_op_call() with the signed-in
 * principal, so the UI has exactly the permissions of the API; it never
 * reads the store itself. Forms post back to the same paths; each post
 * carries the session's CSRF token. The HTTP front end (src/server) turns a
 * request into an aims_web_request and sends the aims_web_response back.
 */
#ifndef AIMS_WEB_H
#define AIMS_WEB_H

#include <jansson.h>
#include <stddef.h>
#include "auth.h"
#include "buf.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Documents of cacheable reads (AIMS_OP_CACHEABLE) kept for one server
 * worker, under the same rule as the API's cache: the server clears it after
 * every write through the worker and whenever the store's data version moves.
 */
typedef struct aims_web_cache aims_web_cache;
aims_web_cache *aims_web_cache_new(void);
void aims_web_cache_clear(aims_web_cache *c);
void aims_web_cache_free(aims_web_cache *c);

typedef struct {
	aims_store *store;
	aims_web_cache *cache;            /* the worker's cache, or NULL for none */
	const aims_principal *principal;  /* kind AIMS_PRINCIPAL_NONE when signed out */
	const char *csrf;                 /* the session's CSRF token, or NULL */
	const char *session;              /* the session cookie (sign-out), or NULL */
	const char *method;               /* "GET", "HEAD" or "POST" */
	const char *path;                 /* the URL path, percent-decoded, without the query */
	const json_t *query;              /* query parameters: name -> string */
	const json_t *form;               /* a posted form: name -> string, or array of strings when repeated */
	const char *client_addr;          /* for sign-in throttling */
} aims_web_request;

typedef struct {
	int status;                       /* HTTP status */
	aims_buf body;
	const char *content_type;
	char location[1024];              /* a redirect (303) target, or "" */
	char *session_cookie;             /* sign-in: the new session cookie (a secret; owned) */
	int end_session;                  /* sign-out: clear the cookie */
	char filename[128];               /* a download's file name (CSV), or "" */
} aims_web_response;

#define AIMS_WEB_RESPONSE_INIT { 200, AIMS_BUF_INIT, NULL, "", NULL, 0, "" }

/** Answer one request of the web UI. Returns 0, or a negative error when no page could be made at all. */
int aims_web_handle(aims_web_response *res, const aims_web_request *req);

void aims_web_response_release(aims_web_response *res);

/**
 * Parse an application/x-www-form-urlencoded body into an object (name ->
 * string; repeated names -> array of strings). Values are UTF-8 without NUL;
 * CR LF and a lone CR become LF. AIMS_EINVALID naming the field otherwise.
 */
int aims_web_form_parse(json_t **out, const char *body, size_t len);

/** The content-security policy of the UI's pages (no inline script or style). */
#define AIMS_WEB_CSP "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " \
		     "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

#ifdef __cplusplus
}
#endif
#endif
