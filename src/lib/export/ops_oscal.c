/*
 * Operations of the OSCAL exchange (aims oscal export | import;
 * /api/v1/oscal/{kind}, /api/v1/oscal/imports): docs/oscal.md; and the
 * CycloneDX ML-BOM of an AI system (aims system bom; /api/v1/systems/{name}/bom).
 */
#include <string.h>

#include "aims/auth.h"
#include "aims/bom.h"
#include "aims/op.h"
#include "aims/oscal.h"
#include "core/core.h"
#include "op/op_internal.h"

static int op_oscal_export(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const char *kind = aims_req_str(req, "kind");
	const char *system = aims_req_str(req, "system");
	const char *framework = aims_req_str(req, "framework");
	int err;
	if (strcmp(kind, "ssp") == 0 && !system) {
		aims__err_set(AIMS_EUSAGE, "oscal export ssp: name the AI system (system)");
		aims__err_set_field("system");
		return AIMS_EUSAGE;
	}
	if (framework && strcmp(kind, "catalog") != 0) {
		aims__err_set(AIMS_EUSAGE, "oscal export %s: framework is for the catalog only", kind);
		aims__err_set_field("framework");
		return AIMS_EUSAGE;
	}
	if ((err = aims_oscal_export(&res->json, ctx->store, kind, system, framework)) < 0)
		return err;
	return 0;
}

static int op_oscal_import(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const json_t *file = json_object_get(req, "file");
	const char *name = aims_req_str(req, "source");
	aims_oscal_import_result r = AIMS_OSCAL_IMPORT_RESULT_INIT;
	int err;
	if (!name)
		name = ctx->input_name ? ctx->input_name : "request";
	if ((err = aims_oscal_import(&r, ctx->store, json_string_value(file), json_string_length(file), name)) < 0)
		return err;
	/* SoA decisions need their own permission (the op's transaction is rolled back) */
	if (strcmp(r.target, "soa") == 0 && (err = aims_permission_check(ctx->principal, "soa.manage")) < 0)
		return err;
	res->json = json_pack("{s:s, s:s, s:s, s:o, s:I, s:I}", "source", name, "model", r.model, "target", r.target,
			      "isms_version", strcmp(r.target, "isms") == 0 ? json_integer(r.isms_version) : json_null(),
			      "controls", (json_int_t)r.controls, "excluded", (json_int_t)r.excluded);
	return res->json ? 0 : aims__oom();
}

static int op_system_bom(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_system_bom(&res->json, ctx->store, aims_req_str(req, "name"));
}

static const aims_op_field f_bom[] = {
	{ "name", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "NAME", "the AI system", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};

static const aims_op_field f_import[] = {
	{ "file", AIMS_FT_FILE, AIMS_FF_REQUIRED | AIMS_FF_ARG, "FILE",
	  "an OSCAL profile or system-security-plan as JSON (on the command line a file, '-' for standard input)",
	  NULL },
	{ "source", AIMS_FT_STRING, AIMS_FF_NOCLI, "NAME",
	  "the file name kept with an ISMS version and used in messages (default: the input's name)", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};

static const aims_op_field f_export[] = {
	{ "kind", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "KIND", "the OSCAL model to export",
	  aims_oscal_kinds },
	{ "system", AIMS_FT_STRING, 0, "SYSTEM",
	  "the AI system (ssp: required; assessment-results, poam: only this system's records)", NULL },
	{ "framework", AIMS_FT_STRING, 0, "FRAMEWORK",
	  "catalog: the framework (default iso42001-2023; also nist-ai-rmf-1.0)", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};

const aims_op aims__ops_oscal[] = {
	{ "oscal.export", "oscal export", "GET", "/oscal/{kind}", "read", AIMS_OP_CACHEABLE, f_export,
	  "export an OSCAL 1.1.2 document: catalog, profile, component-definition, ssp, assessment-results, poam",
	  NULL, NULL, NULL, op_oscal_export },
	{ "oscal.import", "oscal import", "POST", "/oscal/imports", "isms.manage", AIMS_OP_WRITE | AIMS_OP_CREATED,
	  f_import, "import an ISMS state (ISO 27001) or SoA decisions (ISO 42001) from an OSCAL profile or SSP",
	  NULL, NULL, NULL, op_oscal_import },
	{ "system.bom", "system bom", "GET", "/systems/{name}/bom", "read", AIMS_OP_CACHEABLE, f_bom,
	  "the CycloneDX 1.6 ML-BOM of an AI system: its models and datasets with their digests", NULL, NULL, NULL,
	  op_system_bom },
	{ NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL },
};
