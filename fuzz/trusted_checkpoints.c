/*
 * libFuzzer harness for the parser of exported checkpoints (the file `aims
 * ledger verify --trusted` reads, src/lib/audit/verify.c): JSON with a
 * format line and one signed checkpoint per log, each verified with a fixed
 * verifier key (Peter Neumann's from Go's sumdb/note tests). The promises
 * checked: a failure returns a negative code with a message and no list; a
 * success lists only checkpoints whose signature verified, each with a log
 * name and an origin, no log twice. A broken promise calls abort().
 * Seeds are in fuzz/corpus/trusted_checkpoints/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static const char *const vkeys[] = {
	"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1);
	trusted_cp *t = (trusted_cp *)1;
	size_t n = 99;
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	aims_error_clear();
	int err = aims__trusted_parse(&t, &n, copy, size, vkeys, 1);
	if (err < 0) {
		CHECK(t == NULL && n == 0);
		CHECK(aims_error_last()[0] != '\0');
		CHECK(err == AIMS_EINVALID || err == AIMS_ETAMPERED || err == AIMS_ENOMEM);
	} else {
		for (size_t i = 0; i < n; i++) {
			CHECK(t[i].log && t[i].origin && t[i].origin[0]);
			for (size_t j = 0; j < i; j++)
				CHECK(strcmp(t[i].log, t[j].log) != 0);
		}
		aims__trusted_free(t, n);
	}
	free(copy);
	return 0;
}
