/*
 * libFuzzer harness for reading and verifying evidence packs
 * (include/aims/pack.h): any bytes go through the tar reader
 * (aims_pack_from_tar) and, when they parse, through aims_pack_verify with
 * the verifier key of the seed pack (fuzz/corpus/pack_verify/small.tar,
 * made by `aims pack --tar` on a store whose ledger key is that key) and
 * with the pack's own vkey.txt. Promises: a parsed pack has only safe,
 * unique, relative paths in sorted order; verification returns 0 or an
 * error with a message; a failure leaves *out NULL. Any broken promise calls
 * abort(). Build and run with `make fuzz`.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aims/aims.h"
#include "aims/pack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static const char *const seed_vkey = "fuzz.example/aims+c73c1d4b+AV6vwxOE4ks4FdizQSYChnvAC9xz39BeV/hLo0zh4qV6";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	aims_pack *p = (aims_pack *)&p; /* must be reset by the reader */
	aims_pack_verify_stats st;
	aims_error_clear();
	int err = aims_pack_from_tar(&p, data, size, "fuzz.tar");
	if (err < 0) {
		CHECK(p == NULL);
		CHECK(err == AIMS_ENOMEM || strstr(aims_error_last(), "fuzz.tar") != NULL);
		return 0;
	}
	CHECK(p);
	for (size_t i = 0; i < p->count; i++) {
		const char *path = p->files[i].path;
		CHECK(path[0] && path[0] != '/');
		CHECK(strstr(path, "..") == NULL || strstr(path, "../") == NULL);
		CHECK(strstr(path, "//") == NULL);
		if (i)
			CHECK(strcmp(p->files[i - 1].path, path) < 0);
	}
	const char *keys[] = { seed_vkey };
	err = aims_pack_verify(&st, p, keys, 1);
	CHECK(err == 0 || (err < 0 && aims_error_last()[0]));
	err = aims_pack_verify(&st, p, NULL, 0);
	CHECK(err == 0 || (err < 0 && aims_error_last()[0]));
	aims_pack_free(p);
	return 0;
}
