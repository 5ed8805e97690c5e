/*
 * aims serve: run the HTTP API (src/server/) on the store named by --db.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../server/server.h"
#include "commands.h"

const cli_opt cmd_serve_opts[] = {
	{ "listen", "HOST:PORT", "where to listen (default 127.0.0.1:8642; port 0 picks a free port)", OPT_VALUE },
	{ "tls-cert", "FILE", "serve HTTPS with this PEM certificate (with --tls-key)", OPT_VALUE },
	{ "tls-key", "FILE", "the PEM private key of --tls-cert", OPT_VALUE },
	{ "insecure-listen", NULL, "allow a non-loopback address without TLS", 0 },
	{ "threads", "N", "worker threads (default: twice the cores, at least 4)", OPT_VALUE },
	{ "access-log", "FILE", "append a JSON line per request to FILE ('-': standard error)", OPT_VALUE },
	{ "port-file", "FILE", "write the port listened on to FILE once ready", OPT_VALUE },
	{ "max-body", "BYTES", "largest JSON request body (default 1048576; decision ingest bodies 64 times that)",
	  OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

static int number(long *out, const cli_ctx *ctx, const char *name, long lo, long hi)
{
	const char *s = cli_get(ctx, name);
	char *end = NULL;
	if (!s)
		return 0;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || !*s || *end || v < lo || v > hi)
		return cli_usage(ctx, "--%s '%s': expected a number from %ld to %ld", name, s, lo, hi);
	*out = v;
	return 0;
}

int cmd_serve(cli_ctx *ctx)
{
	aims_server_options o;
	long threads = 0, max_body = 1 << 20;
	int rc;
	memset(&o, 0, sizeof(o));
	if (ctx->server)
		return cli_usage(ctx, "'aims serve' serves a store (--db), not a server");
	if ((rc = number(&threads, ctx, "threads", 1, 256)) != 0 ||
	    (rc = number(&max_body, ctx, "max-body", 1024, 1L << 30)) != 0)
		return rc;
	o.db = ctx->db;
	o.listen = cli_get(ctx, "listen") ? cli_get(ctx, "listen") : "127.0.0.1:8642";
	o.tls_cert = cli_get(ctx, "tls-cert");
	o.tls_key = cli_get(ctx, "tls-key");
	o.insecure_listen = cli_flag(ctx, "insecure-listen");
	o.threads = (int)threads;
	o.access_log = cli_get(ctx, "access-log");
	o.port_file = cli_get(ctx, "port-file");
	o.max_body = (size_t)max_body;
	return aims_server_run(&o);
}
