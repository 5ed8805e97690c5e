/*
 * Unit tests of the inventory's operations: the artifact JSON an operation
 * request carries instead of the bytes (a round trip from aims_artifact_hash,
 * every refusal naming its member, the manifest computed from the files, not
 * taken from the client, and allocation failures), and the register and
 * verify operations through aims_op_call (a difference is the outcome
 * AIMS_ETAMPERED with the document, not an error).
 */
#include "helpers.h"
#include "core/core.h"

static aims_store *fresh(const char *name)
{
	aims_store_options o = AIMS_STORE_OPTIONS_INIT;
	aims_store *s = NULL;
	o.create = 1;
	unlink(test_path(name));
	assert_aims_ok(aims_store_open(&s, test_store_url(name), &o));
	test_act_as(s, "alice", AIMS_ROLES_ALL);
	return s;
}

static aims_artifact *hash_dir(void)
{
	aims_artifact *a = NULL;
	mkdir(test_path("m"), 0755);
	mkdir(test_path("m/w"), 0755);
	test_write_file(test_path("m/config.json"), "{}\n");
	test_write_file(test_path("m/w/part-0.bin"), "weights");
	test_write_file(test_path("m/VERSION"), "v1\n");
	assert_aims_ok(aims_artifact_hash(&a, test_path("m"), 1, NULL, NULL));
	return a;
}

static void test_round_trip(void **state)
{
	(void)state;
	aims_artifact *a = hash_dir(), *b = NULL;
	json_t *j = aims_artifact_json(a);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "kind")), "dir");
	assert_int_equal(json_integer_value(json_object_get(j, "size")), (json_int_t)a->total);
	assert_aims_ok(aims_artifact_from_json(&b, j, "artifact"));
	assert_string_equal(b->digest, a->digest);
	assert_int_equal(b->count, 3);
	assert_int_equal(b->total, a->total);
	assert_true(b->is_dir);
	for (size_t i = 0; i < a->count; i++) {
		assert_string_equal(b->files[i].path, a->files[i].path);
		assert_string_equal(b->files[i].digest, a->files[i].digest);
	}
	aims_artifact_free(b);
	/* without digest and size, in another order: the same manifest, computed here */
	json_object_del(j, "digest");
	json_object_del(j, "size");
	json_t *files = json_object_get(j, "files"), *rev = json_array();
	for (size_t i = json_array_size(files); i > 0; i--)
		json_array_append(rev, json_array_get(files, i - 1));
	json_object_set_new(j, "files", rev);
	assert_aims_ok(aims_artifact_from_json(&b, j, NULL));
	assert_string_equal(b->digest, a->digest);
	assert_string_equal(b->files[0].path, "VERSION");
	aims_artifact_free(b);
	json_decref(j);
	/* a file: its digest, its base name */
	aims_artifact_free(a);
	assert_aims_ok(aims_artifact_hash(&a, test_path("m/VERSION"), 0, NULL, NULL));
	j = aims_artifact_json(a);
	assert_aims_ok(aims_artifact_from_json(&b, j, "artifact"));
	assert_false(b->is_dir);
	assert_string_equal(b->digest, a->digest);
	assert_string_equal(b->files[0].path, "VERSION");
	aims_artifact_free(b);
	json_decref(j);
	aims_artifact_free(a);
}

#define D1 "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

static void refused(const char *text, const char *field, const char *needle)
{
	json_error_t je;
	json_t *j = json_loads(text, JSON_DECODE_ANY, &je);
	aims_artifact *a = NULL;
	if (!j)
		fail_msg("bad test JSON %s: %s", text, je.text);
	assert_aims_error(aims_artifact_from_json(&a, j, "artifact"), AIMS_EINVALID, needle);
	assert_null(a);
	if (strcmp(aims_error_last_field(), field) != 0)
		fail_msg("%s: field '%s', expected '%s' (%s)", text, aims_error_last_field(), field, aims_error_last());
	json_decref(j);
}

static void test_refusals(void **state)
{
	(void)state;
	refused("[]", "artifact", "expected an object");
	refused("{\"kind\": \"file\", \"files\": [], \"x\": 1}", "artifact.x", "unknown member");
	refused("{\"kind\": \"zip\", \"files\": []}", "artifact.kind", "\"file\" or \"dir\"");
	refused("{\"kind\": \"file\", \"files\": []}", "artifact.files", "non-empty array");
	refused("{\"kind\": \"file\", \"files\": {}}", "artifact.files", "non-empty array");
	refused("{\"kind\": \"file\", \"files\": [{\"path\": \"a\", \"digest\": \"" D1 "\", \"size\": 3}, "
		"{\"path\": \"b\", \"digest\": \"" D1 "\", \"size\": 3}]}", "artifact.files", "exactly one file");
	refused("{\"kind\": \"file\", \"files\": [\"a\"]}", "artifact.files[0]", "expected an object");
	refused("{\"kind\": \"file\", \"files\": [{\"path\": \"d/a\", \"digest\": \"" D1 "\", \"size\": 3}]}",
		"artifact.files[0].path", "not a file name");
	refused("{\"kind\": \"file\", \"files\": [{\"path\": \"a\\nb\", \"digest\": \"" D1 "\", \"size\": 3}]}",
		"artifact.files[0].path", "not a file name");
	refused("{\"kind\": \"file\", \"files\": [{\"path\": 7, \"digest\": \"" D1 "\", \"size\": 3}]}",
		"artifact.files[0].path", "expected a string");
	static const char *const bad_paths[] = { "", "/etc/passwd", "../x", "a/../b", "a//b", "./a", "a/", "a/." };
	for (size_t i = 0; i < sizeof(bad_paths) / sizeof(bad_paths[0]); i++) {
		char text[512];
		snprintf(text, sizeof(text), "{\"kind\": \"dir\", \"files\": [{\"path\": \"%s\", \"digest\": \"" D1 "\", "
			 "\"size\": 3}]}", bad_paths[i]);
		refused(text, "artifact.files[0].path", "not a relative path");
	}
	refused("{\"kind\": \"file\", \"files\": [{\"path\": \"a\", \"digest\": \"sha256:BA7816BF8F01CFEA414140DE5DAE2223"
		"B00361A396177A9CB410FF61F20015AD\", \"size\": 3}]}", "artifact.files[0].digest", "64 lowercase hex");
	refused("{\"kind\": \"file\", \"files\": [{\"path\": \"a\", \"digest\": \"md5:0\", \"size\": 3}]}",
		"artifact.files[0].digest", "is not sha256");
	refused("{\"kind\": \"file\", \"files\": [{\"path\": \"a\", \"digest\": \"" D1 "\", \"size\": -1}]}",
		"artifact.files[0].size", "integer >= 0");
	refused("{\"kind\": \"file\", \"files\": [{\"path\": \"a\", \"digest\": \"" D1 "\"}]}", "artifact.files[0].size",
		"integer >= 0");
	refused("{\"kind\": \"dir\", \"files\": [{\"path\": \"a\", \"digest\": \"" D1 "\", \"size\": 3}, "
		"{\"path\": \"a\", \"digest\": \"" D1 "\", \"size\": 3}]}", "artifact.files", "listed twice");
	refused("{\"kind\": \"file\", \"digest\": \"sha256:0000000000000000000000000000000000000000000000000000000000000000\", "
		"\"files\": [{\"path\": \"a\", \"digest\": \"" D1 "\", \"size\": 3}]}", "artifact.digest",
		"not the digest of the files listed");
	refused("{\"kind\": \"dir\", \"digest\": \"" D1 "\", \"files\": [{\"path\": \"a\", \"digest\": \"" D1 "\", "
		"\"size\": 3}]}", "artifact.digest", "not the manifest digest");
	refused("{\"kind\": \"file\", \"size\": 4, \"files\": [{\"path\": \"a\", \"digest\": \"" D1 "\", \"size\": 3}]}",
		"artifact.size", "not the sum");
	refused("{\"kind\": \"dir\", \"files\": [{\"path\": \"a\", \"digest\": \"" D1 "\", \"size\": 9223372036854775807}, "
		"{\"path\": \"b\", \"digest\": \"" D1 "\", \"size\": 9223372036854775807}, {\"path\": \"c\", \"digest\": \""
		D1 "\", \"size\": 9223372036854775807}]}", "artifact.files[2]", "more than 2^64");
}

static int call(aims_op_result *res, aims_store *s, const char *name, json_t *req)
{
	aims_op_ctx ctx;
	const aims_op_result init = AIMS_OP_RESULT_INIT;
	*res = init;
	memset(&ctx, 0, sizeof(ctx));
	ctx.store = s;
	ctx.client = "cli";
	int err = aims_op_call(res, aims_op_find(name), &ctx, req);
	json_decref(req);
	return err;
}

static void test_register_verify_ops(void **state)
{
	(void)state;
	aims_store *s = fresh("ops.db");
	aims_artifact *a = hash_dir();
	aims_op_result res = AIMS_OP_RESULT_INIT;
	json_t *art = aims_artifact_json(a);

	assert_aims_ok(call(&res, s, "model.register", json_pack("{s:s, s:O, s:s}", "ref", "m@1", "artifact", art,
								 "framework", "fw")));
	assert_true(json_is_true(json_object_get(res.json, "created")));
	assert_string_equal(json_string_value(json_object_get(res.json, "digest")), a->digest);
	assert_int_equal(json_array_size(json_object_get(res.json, "files")), 3);
	assert_true(res.wrote);
	aims_op_result_release(&res);

	/* the same files: verified */
	assert_aims_ok(call(&res, s, "model.verify", json_pack("{s:s, s:O}", "ref", "m@1", "artifact", art)));
	assert_int_equal(res.outcome, 0);
	assert_true(json_is_true(json_object_get(res.json, "verified")));
	assert_int_equal(json_integer_value(json_object_get(res.json, "files")), 3);
	assert_null(json_object_get(res.json, "error"));
	aims_op_result_release(&res);

	/* one file's digest changed: the document says which, the outcome is AIMS_ETAMPERED */
	json_t *bad = json_deep_copy(art);
	json_object_del(bad, "digest");
	json_object_set_new(json_array_get(json_object_get(bad, "files"), 2), "digest",
			    json_string("sha256:0000000000000000000000000000000000000000000000000000000000000000"));
	assert_aims_ok(call(&res, s, "model.verify", json_pack("{s:s, s:o}", "ref", "m@1", "artifact", bad)));
	assert_int_equal(res.outcome, AIMS_ETAMPERED);
	assert_false(json_is_true(json_object_get(res.json, "verified")));
	assert_non_null(strstr(json_string_value(json_object_get(res.json, "error")), "'w/part-0.bin': sha256:0000"));
	assert_false(res.wrote);
	aims_op_result_release(&res);

	/* a request without the artifact is refused naming it; an unknown model is not found */
	assert_aims_error(call(&res, s, "model.verify", json_pack("{s:s}", "ref", "m@1")), AIMS_EINVALID, "artifact");
	assert_string_equal(aims_error_last_field(), "artifact");
	assert_aims_error(call(&res, s, "model.verify", json_pack("{s:s, s:O}", "ref", "nosuch@1", "artifact", art)),
			  AIMS_ENOTFOUND, "nosuch@1");
	/* a dataset is one file */
	assert_aims_error(call(&res, s, "dataset.register", json_pack("{s:s, s:O}", "ref", "d@1", "artifact", art)),
			  AIMS_EINVALID, "a dataset is registered from one file");
	json_decref(art);
	aims_artifact_free(a);
	aims_store_free(s);
}

static void test_alloc_failures(void **state)
{
	(void)state;
	aims_artifact *a = hash_dir(), *b = NULL;
	json_t *j = aims_artifact_json(a);
	int ok = 0;
	for (unsigned long n = 1; n < 1000 && !ok; n++) {
		aims__alloc_fail_after(n);
		int rc = aims_artifact_from_json(&b, j, "artifact");
		aims__alloc_fail_after(0);
		if (rc == 0) {
			ok = 1;
			assert_string_equal(b->digest, a->digest);
			aims_artifact_free(b);
		} else {
			assert_null(b);
		}
	}
	assert_true(ok);
	json_decref(j);
	aims_artifact_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_register_verify_ops),
		cmocka_unit_test(test_alloc_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
