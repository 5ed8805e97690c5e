/*
 * aims: the command-line front end of libaims. This file holds the one
 * sorted command table (help, the man page and dispatch all come from it)
 * and the option parser; each command's work is in cmd_<name>.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

const cli_opt cli_global_opts[] = {
	{ "db", "URL", "the store: a SQLite file path or sqlite:PATH (default: $AIMS_DB, else ./aims.db)", OPT_VALUE },
	{ "help", NULL, "show help for the command and exit", 0 },
	{ NULL, NULL, NULL, 0 }
};

static const cli_opt json_opt[] = {
	{ "json", NULL, "print JSON instead of a table", 0 },
	{ NULL, NULL, NULL, 0 }
};

/* sorted by name: help, the man page and lookup rely on it */
const cli_cmd cli_commands[] = {
	{ "catalog list", cmd_catalog_list, "", 0, 0,
	  "list the framework catalogs in the store",
	  "Lists every framework loaded into the store with its version, publisher, number of "
	  "requirements and the SHA-256 digest of the catalog file it came from.\n"
	  "JSON: {\"frameworks\": [{\"framework\", \"title\", \"version\", \"publisher\", "
	  "\"source\", \"licence\", \"requirements\", \"digest\", \"loaded_at\"}]}.",
	  json_opt },
	{ "catalog show", cmd_catalog_show, "FRAMEWORK [ID]", 1, 2,
	  "show a framework's requirements, or one requirement and what it contains",
	  "Without ID, prints every requirement of FRAMEWORK in document order, indented by depth. "
	  "With ID (exactly as the framework writes it, e.g. A.6.2.4, 6.1.4, 'GOVERN 1.1', "
	  "'Article 9'), prints that requirement in full followed by the requirements it contains.\n"
	  "JSON: {\"framework\", \"title\", \"version\", \"publisher\", \"source\", \"licence\", "
	  "\"digest\", \"loaded_at\", \"requirements\": [{\"id\", \"kind\", \"title\", \"parent\", "
	  "\"summary\", \"text\", \"chapter\"}]}; with ID, `requirements` holds that requirement and "
	  "its descendants. `summary`, `text` and `chapter` are present only when the catalog has them.",
	  cmd_catalog_show_opts },
	{ "help", cmd_help, "[COMMAND...]", 0, -1,
	  "show help for aims or for one command",
	  "Without arguments, lists the commands. With a command name (e.g. 'aims help catalog show'), "
	  "prints its usage and options. 'aims help --man' prints the aims(1) manual page in troff.",
	  cmd_help_opts },
	{ "init", cmd_init, "", 0, 0,
	  "create the store and load the framework catalogs",
	  "Creates the store named by --db (or AIMS_DB, else ./aims.db) if it does not exist, "
	  "brings its schema up to date, and loads the framework catalogs: the ones built into aims, "
	  "or those in --catalogs DIR. Loading is one transaction: if any catalog file is bad, "
	  "nothing is loaded and the error names the file, line and field. Running init again "
	  "reloads the catalogs and keeps everything else.",
	  cmd_init_opts },
	{ "org set", cmd_org_set, "", 0, 0,
	  "record facts about the organization",
	  "Sets the organization's name, sector and country (ISO 3166 code), used in reports. "
	  "Options not given keep their value.",
	  cmd_org_set_opts },
	{ "org show", cmd_org_show, "", 0, 0,
	  "show the organization's recorded facts",
	  "JSON: {\"name\", \"sector\", \"country\"}; unset facts are null.",
	  json_opt },
	{ "status", cmd_status, "", 0, 0,
	  "summarize the store: organization, schema, frameworks and content digest",
	  "A first report: the organization, the store and its schema version, each framework with "
	  "its requirement counts by kind, and the SHA-256 digest of the store's content.\n"
	  "JSON: {\"organization\": {\"name\", \"sector\", \"country\"}, \"store\": {\"backend\", "
	  "\"location\", \"schema_version\", \"content_digest\"}, \"frameworks\": [{\"framework\", "
	  "\"title\", \"version\", \"requirements\", \"kinds\": {KIND: COUNT}}]}.",
	  json_opt },
	{ "version", cmd_version, "", 0, 0,
	  "print the version of aims and of its store schema",
	  "JSON: {\"version\", \"schema\"}.",
	  json_opt },
};

const size_t cli_command_count = sizeof(cli_commands) / sizeof(cli_commands[0]);

const cli_cmd *cli_find(const char *name)
{
	size_t lo = 0, hi = cli_command_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, cli_commands[mid].name);
		if (c == 0)
			return &cli_commands[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* a prefix of command names ("catalog") that is not itself a command */
static int is_group(const char *word)
{
	size_t n = strlen(word);
	for (size_t i = 0; i < cli_command_count; i++)
		if (strncmp(cli_commands[i].name, word, n) == 0 && cli_commands[i].name[n] == ' ')
			return 1;
	return 0;
}

static void print_group(FILE *out, const char *word)
{
	size_t n = strlen(word);
	fprintf(out, "usage: aims %s <command> [options]\n\ncommands:\n", word);
	for (size_t i = 0; i < cli_command_count; i++)
		if (strncmp(cli_commands[i].name, word, n) == 0 && cli_commands[i].name[n] == ' ')
			fprintf(out, "  %-22s %s\n", cli_commands[i].name, cli_commands[i].summary);
}

static const cli_opt *find_opt(const cli_opt *opts, const char *name, size_t len)
{
	for (; opts && opts->name; opts++)
		if (strlen(opts->name) == len && strncmp(opts->name, name, len) == 0)
			return opts;
	return NULL;
}

static int add_value(cli_ctx *ctx, const char *name, const char *value)
{
	if (ctx->nvals >= CLI_MAX_VALUES) {
		fprintf(stderr, "error: too many options\n");
		return -1;
	}
	ctx->vals[ctx->nvals].name = name;
	ctx->vals[ctx->nvals].value = value;
	ctx->nvals++;
	return 0;
}

int main(int argc, char **argv)
{
	static char *pos[256];
	cli_ctx ctx;
	int i = 1;
	int want_help = 0;

	memset(&ctx, 0, sizeof(ctx));
	ctx.args = pos;
	ctx.db = getenv("AIMS_DB");

	/* global options before the command */
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--version") == 0) {
			printf("aims %s\n", aims_version());
			return EXIT_OK;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			want_help = 1;
		} else if (strcmp(a, "--db") == 0) {
			if (++i >= argc) {
				fprintf(stderr, "error: option '--db' needs a value\n");
				return EXIT_USAGE;
			}
			ctx.db = argv[i];
		} else if (strncmp(a, "--db=", 5) == 0) {
			ctx.db = a + 5;
		} else if (strcmp(a, "--json") == 0) {
			ctx.json = 1;
		} else {
			fprintf(stderr, "error: unknown option '%s' (see 'aims help')\n", a);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		cli_print_overview(want_help ? stdout : stderr);
		return want_help ? EXIT_OK : EXIT_USAGE;
	}

	/* the longest run of words that names a command */
	const cli_cmd *cmd = NULL;
	int used = 0;
	for (int k = 3; k >= 1 && !cmd; k--) {
		char name[128] = "";
		size_t len = 0;
		if (i + k > argc)
			continue;
		int ok = 1;
		for (int j = 0; j < k && ok; j++) {
			int n = snprintf(name + len, sizeof(name) - len, "%s%s", j ? " " : "", argv[i + j]);
			if (n < 0 || (size_t)n >= sizeof(name) - len)
				ok = 0;
			else
				len += (size_t)n;
		}
		if (ok && (cmd = cli_find(name)) != NULL)
			used = k;
	}
	if (!cmd) {
		if (is_group(argv[i])) {
			int help = want_help || (i + 1 < argc && (strcmp(argv[i + 1], "--help") == 0 ||
								   strcmp(argv[i + 1], "-h") == 0));
			if (i + 1 < argc && !help)
				fprintf(stderr, "error: unknown command 'aims %s %s'\n", argv[i], argv[i + 1]);
			print_group(help ? stdout : stderr, argv[i]);
			return help ? EXIT_OK : EXIT_USAGE;
		}
		fprintf(stderr, "error: unknown command '%s' (see 'aims help')\n", argv[i]);
		return EXIT_USAGE;
	}
	ctx.cmd = cmd;
	i += used;

	/* options and arguments after the command, in any order */
	int only_args = 0;
	for (; i < argc; i++) {
		char *a = argv[i];
		if (only_args || a[0] != '-' || strcmp(a, "-") == 0) {
			if (ctx.nargs >= (int)(sizeof(pos) / sizeof(pos[0]))) {
				fprintf(stderr, "error: too many arguments\n");
				return EXIT_USAGE;
			}
			pos[ctx.nargs++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_args = 1;
			continue;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			want_help = 1;
			continue;
		}
		if (a[1] != '-') {
			fprintf(stderr, "error: unknown option '%s' for 'aims %s'\n", a, cmd->name);
			return EXIT_USAGE;
		}
		const char *name = a + 2;
		const char *eq = strchr(name, '=');
		size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
		if (nlen == 2 && strncmp(name, "db", 2) == 0) {
			if (eq)
				ctx.db = eq + 1;
			else if (++i < argc)
				ctx.db = argv[i];
			else {
				fprintf(stderr, "error: option '--db' needs a value\n");
				return EXIT_USAGE;
			}
			continue;
		}
		const cli_opt *o = find_opt(cmd->opts, name, nlen);
		if (!o) {
			fprintf(stderr, "error: unknown option '--%.*s' for 'aims %s' (see 'aims %s --help')\n",
				(int)nlen, name, cmd->name, cmd->name);
			return EXIT_USAGE;
		}
		const char *value = "";
		if (o->flags & OPT_VALUE) {
			if (eq)
				value = eq + 1;
			else if (++i < argc)
				value = argv[i];
			else {
				fprintf(stderr, "error: option '--%s' needs a value (%s)\n", o->name, o->arg);
				return EXIT_USAGE;
			}
		} else if (eq) {
			fprintf(stderr, "error: option '--%s' takes no value\n", o->name);
			return EXIT_USAGE;
		}
		if (!(o->flags & OPT_MULTI) && (o->flags & OPT_VALUE) && cli_get(&ctx, o->name)) {
			fprintf(stderr, "error: option '--%s' given twice\n", o->name);
			return EXIT_USAGE;
		}
		if (add_value(&ctx, o->name, value) < 0)
			return EXIT_USAGE;
		if (strcmp(o->name, "json") == 0)
			ctx.json = 1;
	}
	if (want_help) {
		cli_print_help(stdout, cmd);
		return EXIT_OK;
	}
	if (ctx.json && !find_opt(cmd->opts, "json", 4)) {
		fprintf(stderr, "error: 'aims %s' has no JSON output\n", cmd->name);
		return EXIT_USAGE;
	}
	if (ctx.nargs < cmd->min_args || (cmd->max_args >= 0 && ctx.nargs > cmd->max_args)) {
		fprintf(stderr, "error: %s arguments for 'aims %s'\n",
			ctx.nargs < cmd->min_args ? "missing" : "too many", cmd->name);
		fprintf(stderr, "usage: aims %s%s%s\n", cmd->name, cmd->args[0] ? " " : "", cmd->args);
		return EXIT_USAGE;
	}
	if (!ctx.db || !*ctx.db)
		ctx.db = "aims.db";
	int rc = cmd->run(&ctx);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "error: cannot write output\n");
		return EXIT_FAILURE_;
	}
	return rc;
}
