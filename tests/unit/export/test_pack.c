/*
 * Unit tests of evidence packs (include/aims/pack.h): build from a small
 * store with a signing key, the tar round trip, offline verification with
 * the right and a wrong key, every kind of tampering named, archive members
 * outside the pack refused, the inclusion proofs of the ledger against a
 * checkpoint, and the refusals (no key, no checkpoint at the as-of date,
 * a non-empty directory).
 */
#include "helpers.h"
#include "core/core.h"

static char *vkey;

static aims_store *new_store(const char *name, int with_key)
{
	aims_store_options o = AIMS_STORE_OPTIONS_INIT;
	aims_store *s = NULL;
	o.create = 1;
	unlink(test_path(name));
	assert_aims_ok(aims_store_open(&s, test_store_url(name), &o));
	test_act_as(s, "cm", AIMS_ROLE_COMPLIANCE_MANAGER);
	assert_aims_ok(aims_catalog_load_all(s, NULL, NULL));
	aims_system_fields f = AIMS_SYSTEM_FIELDS_INIT;
	f.purpose = "score loans";
	assert_aims_ok(aims_system_add(s, "scorer", &f));
	aims_soa_update u = AIMS_SOA_UPDATE_INIT;
	u.applicable = 0;
	u.justification = "no customer-facing AI";
	assert_aims_ok(aims_soa_set(s, "A.10.4", &u));
	if (with_key) {
		char *skey = NULL;
		free(vkey);
		vkey = NULL;
		assert_aims_ok(aims_note_keygen(&skey, &vkey, "example.org/aims"));
		unlink(test_path("pack.key"));
		assert_aims_ok(aims_note_key_write(test_path("pack.key"), skey));
		aims_note_secret_free(skey);
		assert_aims_ok(aims_ledger_setup(s, test_path("pack.key"), NULL));
		aims_note_signer *signer = NULL;
		assert_aims_ok(aims_ledger_signer(&signer, s));
		assert_aims_ok(aims_ledger_checkpoint(s, signer, NULL));
		aims_note_signer_free(signer);
	}
	return s;
}

static aims_pack_file *file(aims_pack *p, const char *path)
{
	for (size_t i = 0; i < p->count; i++)
		if (strcmp(p->files[i].path, path) == 0)
			return &p->files[i];
	fail_msg("no file %s in the pack", path);
	return NULL;
}

static void test_build_tar_verify(void **state)
{
	(void)state;
	aims_store *s = new_store("p.db", 1);
	aims_pack *p = NULL, *q = NULL;
	aims_pack_options o = AIMS_PACK_OPTIONS_INIT;
	aims_pack_verify_stats st;
	const char *keys[] = { vkey };
	assert_aims_ok(aims_pack_build(&p, s, &o));
	assert_true(p->count > 20);
	for (size_t i = 1; i < p->count; i++)
		assert_true(strcmp(p->files[i - 1].path, p->files[i].path) < 0);
	assert_aims_ok(aims_pack_verify(&st, p, keys, 1));
	if (st.entries < 2)
		fail_msg("%zu entries", st.entries); /* the system, the SoA control */
	assert_int_equal(st.files + 2, p->count);
	assert_aims_ok(aims_pack_verify(&st, p, NULL, 0)); /* the pack's own key */

	/* the archive holds the same files */
	aims_buf tar = AIMS_BUF_INIT;
	assert_aims_ok(aims_pack_tar(&tar, p));
	assert_int_equal(tar.len % 512, 0);
	assert_aims_ok(aims_pack_from_tar(&q, tar.ptr, tar.len, "p.tar"));
	assert_int_equal(q->count, p->count);
	for (size_t i = 0; i < p->count; i++) {
		assert_string_equal(q->files[i].path, p->files[i].path);
		assert_int_equal(q->files[i].len, p->files[i].len);
		assert_memory_equal(q->files[i].data, p->files[i].data, p->files[i].len);
	}
	aims_pack_free(q);
	q = NULL;
	/* a truncated archive, a bad checksum */
	assert_aims_error(aims_pack_from_tar(&q, tar.ptr, 1000, "p.tar"), AIMS_EINVALID, "p.tar");
	((unsigned char *)tar.ptr)[0] ^= 1;
	assert_aims_error(aims_pack_from_tar(&q, tar.ptr, tar.len, "p.tar"), AIMS_EINVALID, "checksum");
	assert_null(q);
	aims_buf_release(&tar);

	/* tampering, each named */
	aims_pack_file *f = file(p, "records/soa.json");
	f->data[f->len / 2] ^= 1;
	assert_aims_error(aims_pack_verify(&st, p, keys, 1), AIMS_ETAMPERED, "records/soa.json: SHA-256");
	f->data[f->len / 2] ^= 1;
	f = file(p, "manifest.json");
	f->data[f->len / 2] ^= 1;
	assert_aims_error(aims_pack_verify(&st, p, keys, 1), AIMS_ETAMPERED, "manifest.json");
	f->data[f->len / 2] ^= 1;
	f = file(p, "checkpoint.txt");
	f->data[0] ^= 1;
	assert_aims_error(aims_pack_verify(&st, p, keys, 1), AIMS_ETAMPERED, "checkpoint.txt");
	f->data[0] ^= 1;
	assert_aims_ok(aims_pack_verify(&st, p, keys, 1));

	/* another key */
	char *sk = NULL, *other = NULL;
	assert_aims_ok(aims_note_keygen(&sk, &other, "example.org/aims"));
	aims_note_secret_free(sk);
	const char *okeys[] = { other };
	assert_aims_error(aims_pack_verify(&st, p, okeys, 1), AIMS_ETAMPERED, "manifest.sig");
	free(other);

	/* written to a directory and read back */
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s", test_path("packdir"));
	assert_aims_ok(aims_pack_write_dir(p, dir));
	assert_aims_error(aims_pack_write_dir(p, dir), AIMS_ECONFLICT, "not empty");
	aims_pack *r = NULL;
	assert_aims_ok(aims_pack_read(&r, dir));
	assert_int_equal(r->count, p->count);
	assert_aims_ok(aims_pack_verify(&st, r, keys, 1));
	aims_pack_free(r);
	aims_pack_free(q);
	aims_pack_free(p);
	aims_store_free(s);
}

static void test_archive_paths(void **state)
{
	(void)state;
	/* a hand-made member "../evil" is refused */
	aims_pack one = { NULL, 0 };
	aims_pack_file f = { (char *)"x", (unsigned char *)"hi", 2 };
	one.files = &f;
	one.count = 1;
	aims_buf tar = AIMS_BUF_INIT;
	assert_aims_ok(aims_pack_tar(&tar, &one));
	unsigned char *h = (unsigned char *)tar.ptr;
	memcpy(h, "../x", 5);
	unsigned sum = 0;
	memset(h + 148, ' ', 8);
	for (int k = 0; k < 512; k++)
		sum += h[k];
	snprintf((char *)h + 148, 8, "%06o", sum);
	aims_pack *p = NULL;
	assert_aims_error(aims_pack_from_tar(&p, tar.ptr, tar.len, "evil.tar"), AIMS_EINVALID, "not a path inside the pack");
	aims_buf_release(&tar);
}

static void test_refusals(void **state)
{
	(void)state;
	aims_store *s = new_store("nokey.db", 0);
	aims_pack *p = NULL;
	aims_pack_options o = AIMS_PACK_OPTIONS_INIT;
	assert_aims_error(aims_pack_build(&p, s, &o), AIMS_ENOTFOUND, "no signing key");
	aims_store_free(s);
	s = new_store("asof.db", 1);
	o.as_of = "2001-01-01";
	assert_aims_error(aims_pack_build(&p, s, &o), AIMS_ENOTFOUND, "2001-01-01");
	o.as_of = "2001-02-30";
	assert_aims_error(aims_pack_build(&p, s, &o), AIMS_EINVALID, "as_of");
	o.as_of = NULL;
	o.system = "ghost";
	assert_aims_error(aims_pack_build(&p, s, &o), AIMS_ENOTFOUND, "ghost");
	assert_null(p);
	/* inclusion proofs: index beyond the tree */
	uint8_t (*proof)[32] = NULL;
	size_t len = 0;
	assert_aims_error(aims_ledger_inclusion_proof(&proof, &len, s, 5, 3), AIMS_EINVALID, "not in a tree");
	aims_store_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_tar_verify),
		cmocka_unit_test(test_archive_paths),
		cmocka_unit_test(test_refusals),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	free(vkey);
	return rc;
}
