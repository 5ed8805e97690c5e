/*
 * Unit tests of the governance log: appends land in tiles so that the
 * stored root equals RFC 9162's MTH over the entries; every kind of
 * tampering with entries, tiles or checkpoints is detected with the first
 * entry that no longer verifies; checkpoints are signed and checked;
 * retention keeps the tree verifiable; module writes are audited.
 */
#include "helpers.h"
#include "core/core.h"
#include "store/store_internal.h"

static aims_store *fresh(const char *name)
{
	aims_store_options o = AIMS_STORE_OPTIONS_INIT;
	aims_store *s = NULL;
	o.create = 1;
	test_store_remove(name);
	assert_aims_ok(aims_store_open(&s, test_store_url(name), &o));
	test_act_as(s, "tester", AIMS_ROLES_ALL);
	return s;
}

static void append_n(aims_store *s, int n)
{
	for (int i = 0; i < n; i++) {
		char id[32], d[72];
		snprintf(id, sizeof(id), "obj-%d", i);
		assert_aims_ok(aims_ledger_digest(d, id, strlen(id)));
		assert_aims_ok(aims_ledger_append(s, "create", "thing", id, d, NULL));
	}
}

static void exec(aims_store *s, const char *sql)
{
	assert_aims_ok(aims__store_exec(s, sql));
}

/* the root from the stored tiles equals MTH over the leaf hashes of the stored bodies */
static void test_root_matches_rfc9162(void **state)
{
	(void)state;
	aims_store *s = fresh("root.db");
	static const int sizes[] = { 1, 2, 3, 255, 256, 257, 600 };
	int have = 0;
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		append_n(s, sizes[k] - have);
		have = sizes[k];
		uint64_t size = 0;
		uint8_t root[32], want[32];
		assert_aims_ok(aims_ledger_head(&size, root, s));
		assert_int_equal(size, (uint64_t)have);
		uint8_t (*leaves)[32] = calloc((size_t)have, 32);
		aims__stmt *st = NULL;
		assert_aims_ok(aims__stmt_prepare(&st, s, "SELECT body FROM ledger_entries ORDER BY idx"));
		for (int i = 0; i < have; i++) {
			size_t len = 0;
			assert_int_equal(aims__stmt_step(st), 1);
			const void *b = aims__stmt_blob(st, 0, &len);
			assert_aims_ok(aims_merkle_leaf_hash(leaves[i], b, len));
		}
		aims__stmt_free(st);
		assert_aims_ok(aims_merkle_root(want, (const uint8_t (*)[32])leaves, (size_t)have));
		assert_memory_equal(root, want, 32);
		free(leaves);
		aims_ledger_verify_stats vs;
		assert_aims_ok(aims_ledger_verify(&vs, s, NULL, 0));
		assert_int_equal(vs.entries, (uint64_t)have);
	}
	/* 600 entries: level-0 tiles 0, 1 (full) and 2 (partial), level-1 tile 0 (2 hashes) */
	aims__stmt *st = NULL;
	assert_aims_ok(aims__stmt_prepare(&st, s, "SELECT level, idx, length(data) FROM ledger_tiles ORDER BY level, idx"));
	int64_t want[][3] = { { 0, 0, 8192 }, { 0, 1, 8192 }, { 0, 2, 88 * 32 }, { 1, 0, 64 } };
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(aims__stmt_step(st), 1);
		assert_int_equal(aims__stmt_int64(st, 0), want[i][0]);
		assert_int_equal(aims__stmt_int64(st, 1), want[i][1]);
		assert_int_equal(aims__stmt_int64(st, 2), want[i][2]);
	}
	assert_int_equal(aims__stmt_step(st), 0);
	aims__stmt_free(st);
	aims_store_free(s);
}

static void expect_tampered(const char *sql, int64_t first_bad, const char *needle)
{
	aims_store *s = fresh("tamper.db");
	append_n(s, 300);
	exec(s, sql);
	aims_ledger_verify_stats vs;
	int rc = aims_ledger_verify(&vs, s, NULL, 0);
	if (rc != AIMS_ETAMPERED)
		fail_msg("%s: verify returned %d (%s)", sql, rc, aims_error_last());
	if (!strstr(aims_error_last(), needle))
		fail_msg("%s: message '%s' lacks '%s'", sql, aims_error_last(), needle);
	if (first_bad >= 0)
		assert_int_equal(vs.first_bad, first_bad);
	aims_store_free(s);
}

static void test_tampering_is_detected(void **state)
{
	(void)state;
	/* a changed byte in a body */
	expect_tampered(test_sql("UPDATE ledger_entries SET body = CAST(replace(CAST(body AS TEXT), 'obj-17', 'obj-71') AS BLOB) WHERE idx = 17",
				 "UPDATE ledger_entries SET body = convert_to(replace(convert_from(body, 'UTF8'), 'obj-17', 'obj-71'), 'UTF8') WHERE idx = 17"),
			17, "entry 17 no longer verifies");
	/* a changed column whose body was left alone */
	expect_tampered("UPDATE ledger_entries SET actor = 'mallory' WHERE idx = 5", 5, "entry 5");
	/* body and leaf hash rewritten consistently: the tiles no longer match */
	expect_tampered(test_sql("UPDATE ledger_entries SET leaf_hash = zeroblob(32) WHERE idx = 42",
				 "UPDATE ledger_entries SET leaf_hash = decode(repeat('00', 32), 'hex') WHERE idx = 42"), 42, "entry 42");
	/* a removed entry */
	expect_tampered("DELETE FROM ledger_entries WHERE idx = 100", 100, "entry 100 is missing");
	/* reordered entries */
	expect_tampered("UPDATE ledger_entries SET idx = -1 WHERE idx = 7; "
			"UPDATE ledger_entries SET idx = 7 WHERE idx = 8; "
			"UPDATE ledger_entries SET idx = 8 WHERE idx = -1",
			7, "tile 0/0 differs from the entries (first entry affected: 7)");
	/* a flipped byte in a tile */
	expect_tampered(test_sql("UPDATE ledger_tiles SET data = zeroblob(32) || substr(data, 33) WHERE level = 0 AND idx = 1",
				 "UPDATE ledger_tiles SET data = decode(repeat('00', 32), 'hex') || substr(data, 33) WHERE level = 0 AND idx = 1"),
			256, "tile 0/1 differs");
	/* a removed tile */
	expect_tampered("DELETE FROM ledger_tiles WHERE level = 0 AND idx = 1", -1, "missing");
	/* an inserted tile */
	expect_tampered(test_sql("INSERT INTO ledger_tiles VALUES ('governance', 0, 9, zeroblob(32))",
				 "INSERT INTO ledger_tiles VALUES ('governance', 0, 9, decode(repeat('00', 32), 'hex'))"), -1,
			"does not belong");
}

static char *make_key(const char *name, const char *file, char **vkey)
{
	char *skey = NULL;
	assert_aims_ok(aims_note_keygen(&skey, vkey, name));
	unlink(test_path(file));
	assert_aims_ok(aims_note_key_write(test_path(file), skey));
	aims_note_secret_free(skey);
	return strdup(test_path(file));
}

static void test_checkpoints(void **state)
{
	(void)state;
	aims_store *s = fresh("ckpt.db");
	char *vkey = NULL, *other = NULL, *recorded = NULL;
	char *path = make_key("example.org/aims", "gov.key", &vkey);
	char *path2 = make_key("example.org/aims", "other.key", &other);
	aims_note_signer *signer = NULL;

	append_n(s, 5);
	assert_aims_error(aims_ledger_signer(&signer, s), AIMS_ENOTFOUND, "aims ledger setup");
	assert_aims_ok(aims_ledger_setup(s, path, &recorded));
	assert_string_equal(recorded, vkey);
	assert_aims_ok(aims_ledger_signer(&signer, s));
	char *note = NULL;
	assert_aims_ok(aims_ledger_checkpoint(s, signer, &note));
	/* origin, size, root */
	uint64_t size = 0;
	uint8_t root[32];
	assert_aims_ok(aims_ledger_head(&size, root, s));
	assert_int_equal(size, 7); /* 5 + the two settings setup recorded */
	aims_checkpoint *cp = NULL;
	const char *keys[] = { vkey };
	assert_aims_ok(aims_checkpoint_open(&cp, note, strlen(note), keys, 1));
	assert_string_equal(cp->origin, "example.org/aims");
	assert_int_equal(cp->size, 7);
	assert_memory_equal(cp->root, root, 32);
	aims_checkpoint_free(cp);
	free(note);

	append_n(s, 3);
	assert_aims_ok(aims_ledger_checkpoint(s, signer, NULL));
	aims_ledger_verify_stats vs;
	assert_aims_ok(aims_ledger_verify(&vs, s, keys, 1));
	assert_int_equal(vs.checkpoints, 2);
	assert_aims_ok(aims_ledger_verify(&vs, s, NULL, 0)); /* the recorded key */
	/* another key of the same name does not verify */
	const char *wrong[] = { other };
	assert_aims_error(aims_ledger_verify(&vs, s, wrong, 1), AIMS_ETAMPERED, "checkpoint at size 7");
	/* a consistent rewrite of history (entries, leaves and tiles rebuilt) is caught by the checkpoint:
	 * simulate it by dropping the last three entries and their tile hashes */
	exec(s, "DELETE FROM ledger_entries WHERE idx >= 8");
	exec(s, "UPDATE ledger_tiles SET data = substr(data, 1, 8 * 32) WHERE level = 0 AND idx = 0");
	assert_aims_error(aims_ledger_verify(&vs, s, keys, 1), AIMS_ETAMPERED, "beyond the 8 entries");
	/* a forged checkpoint note */
	exec(s, "UPDATE ledger_checkpoints SET note = replace(note, 'example.org/aims\n7', 'example.org/aims\n8') WHERE size = 7");
	assert_aims_error(aims_ledger_verify(&vs, s, keys, 1), AIMS_ETAMPERED, "checkpoint at size 7");
	aims_note_signer_free(signer);
	free(vkey);
	free(other);
	free(recorded);
	free(path);
	free(path2);
	aims_store_free(s);
}

static void test_prune_keeps_tree_verifiable(void **state)
{
	(void)state;
	aims_store *s = fresh("prune.db");
	uint64_t pruned = 0;
	/* 20 updates of two objects: all but the latest of each may go */
	for (int i = 0; i < 20; i++) {
		char id[32], d[72];
		snprintf(id, sizeof(id), "obj-%d", i % 2);
		snprintf(d, sizeof(d), "v%d", i);
		assert_aims_ok(aims_ledger_digest(d, d, strlen(d)));
		assert_aims_ok(aims_ledger_append(s, i < 2 ? "create" : "update", "thing", id, d, NULL));
	}
	assert_aims_error(aims_ledger_prune(s, 30, &pruned), AIMS_EINVALID, "minimum of 183 days");
	/* nothing is older than 183 days now */
	assert_aims_ok(aims_ledger_prune(s, 183, &pruned));
	assert_int_equal(pruned, 0);
	/* decades from now (the test clock), everything is */
	setenv("AIMS_TEST_NOW", "2099-01-01T00:00:00Z", 1);
	assert_aims_ok(aims_ledger_prune(s, 183, &pruned));
	unsetenv("AIMS_TEST_NOW");
	assert_int_equal(pruned, 18);
	aims_ledger_entries *l = NULL;
	assert_aims_ok(aims_ledger_log_read(&l, s, NULL));
	assert_int_equal(l->count, 21); /* the prune itself is audited */
	assert_true(l->items[0].pruned);
	assert_true(l->items[17].pruned);
	assert_false(l->items[18].pruned); /* the latest of obj-0 and obj-1 */
	assert_false(l->items[19].pruned);
	assert_string_equal(l->items[20].action, "prune");
	assert_string_equal(l->items[20].object_id, "governance below 20");
	assert_string_equal(l->items[0].object_id, "obj-0");
	aims_ledger_entries_free(l);
	assert_aims_ok(aims_ledger_verify(NULL, s, NULL, 0));
	/* a pruned entry's leaf hash still protects the tree */
	exec(s, test_sql("UPDATE ledger_entries SET leaf_hash = zeroblob(32) WHERE idx = 3",
			 "UPDATE ledger_entries SET leaf_hash = decode(repeat('00', 32), 'hex') WHERE idx = 3"));
	assert_aims_error(aims_ledger_verify(NULL, s, NULL, 0), AIMS_ETAMPERED, "entry 3 no longer verifies");
	aims_store_free(s);
}

static void test_writes_are_audited(void **state)
{
	(void)state;
	aims_store *s = fresh("audit.db");
	aims_ledger_entries *l = NULL;
	assert_aims_ok(aims_store_setting_set(s, "org.name", "Acme"));
	assert_aims_ok(aims_store_setting_set(s, "org.name", "Acme")); /* unchanged: no entry */
	assert_aims_ok(aims_store_setting_set(s, "org.name", "Acme AG"));
	assert_aims_ok(aims_store_setting_set(s, "org.name", NULL));
	assert_aims_ok(aims_ledger_log_read(&l, s, "org.name"));
	assert_int_equal(l->count, 3);
	assert_string_equal(l->items[0].action, "create");
	assert_null(l->items[0].prev_digest);
	assert_string_equal(l->items[1].action, "update");
	assert_string_equal(l->items[1].prev_digest, l->items[0].new_digest);
	assert_string_equal(l->items[2].action, "delete");
	assert_null(l->items[2].new_digest);
	assert_string_equal(l->items[2].actor, "tester");
	char d[72];
	assert_aims_ok(aims_ledger_digest(d, "Acme AG", 7));
	assert_string_equal(l->items[1].new_digest, d);
	aims_ledger_entries_free(l);

	/* a write that rolls back leaves no audit entry either */
	assert_aims_ok(aims_store_begin(s));
	assert_aims_ok(aims_store_setting_set(s, "org.sector", "banking"));
	assert_aims_ok(aims_store_rollback(s));
	assert_aims_ok(aims_ledger_log_read(&l, s, NULL));
	assert_int_equal(l->count, 3);
	aims_ledger_entries_free(l);

	/* catalogs: loaded once, a reload of the same files adds nothing */
	assert_aims_ok(aims_catalog_load_all(s, NULL, NULL));
	assert_aims_ok(aims_ledger_log_read(&l, s, NULL));
	size_t after_load = l->count;
	assert_int_equal(after_load, 3 + 4 + 4);   /* 4 framework catalogs, 4 crosswalks */
	aims_ledger_entries_free(l);
	assert_aims_ok(aims_catalog_load_all(s, NULL, NULL));
	assert_aims_ok(aims_ledger_log_read(&l, s, NULL));
	assert_int_equal(l->count, after_load);
	aims_ledger_entries_free(l);

	/* an ISMS import and an SoA decision */
	const char *csv = "control,applicable,status,justification,owner,evidence\nA.5.1,yes,implemented,,CISO,POL-1\n";
	int64_t v = 0;
	assert_aims_ok(aims_isms_import_mem(s, csv, strlen(csv), "isms.csv", &v));
	aims_soa_update upd = AIMS_SOA_UPDATE_INIT;
	upd.owner = "Data";
	assert_aims_ok(aims_soa_set(s, "A.7.5", &upd));
	assert_aims_ok(aims_soa_set(s, "A.7.5", &upd));
	assert_aims_ok(aims_ledger_log_read(&l, s, NULL));
	assert_int_equal(l->count, after_load + 3);
	assert_string_equal(l->items[after_load].action, "import");
	assert_string_equal(l->items[after_load].object_type, "isms");
	assert_string_equal(l->items[after_load + 1].action, "create");
	assert_string_equal(l->items[after_load + 2].action, "update");
	assert_string_equal(l->items[after_load + 2].prev_digest, l->items[after_load + 1].new_digest);
	aims_ledger_entries_free(l);
	assert_aims_ok(aims_ledger_verify(NULL, s, NULL, 0));
	aims_store_free(s);
}

static void test_append_survives_allocation_failures(void **state)
{
	(void)state;
	aims_store *s = fresh("oom.db");
	append_n(s, 256);
	for (unsigned long n = 1; n < 2000; n++) {
		aims__alloc_fail_after(n);
		int rc = aims_ledger_append(s, "create", "thing", "late", NULL, NULL);
		aims__alloc_fail_after(0);
		if (rc == 0) {
			assert_aims_ok(aims_ledger_verify(NULL, s, NULL, 0));
			aims_store_free(s);
			return;
		}
		assert_int_equal(rc, AIMS_ENOMEM);
		/* a failed append leaves the log as it was */
		uint64_t size = 0;
		uint8_t root[32];
		assert_aims_ok(aims_ledger_head(&size, root, s));
		assert_int_equal(size, 256);
	}
	fail_msg("append never succeeded");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_root_matches_rfc9162),
		cmocka_unit_test(test_tampering_is_detected),
		cmocka_unit_test(test_checkpoints),
		cmocka_unit_test(test_prune_keeps_tree_verifiable),
		cmocka_unit_test(test_writes_are_audited),
		cmocka_unit_test(test_append_survives_allocation_failures),
	};
	return cmocka_run_group_tests_name("ledger", tests, NULL, NULL);
}
