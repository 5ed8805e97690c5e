/*
 * libFuzzer harness for the MLflow model-versions import: any input is
 * imported or refused cleanly, and importing an accepted input again
 * creates nothing. Each input runs inside a rolled-back transaction.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aims/aims.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static aims_store *store;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	aims_mlflow_stats a, b;
	if (!store) {
		char path[64];
		aims_store_options o = AIMS_STORE_OPTIONS_INIT;
		o.create = 1;
		snprintf(path, sizeof(path), "/tmp/aims-fuzz-mlflow-%d.db", (int)getpid());
		unlink(path);
		if (aims_store_open(&store, path, &o) < 0)
			abort();
	}
	if (aims_store_begin(store) < 0)
		abort();
	if (aims_mlflow_import(&a, store, (const char *)data, size, "fuzz") == 0) {
		if (a.created > a.models)
			abort();
		if (aims_mlflow_import(&b, store, (const char *)data, size, "fuzz") != 0 || b.created != 0)
			abort();
	}
	if (aims_store_rollback(store) < 0)
		abort();
	return 0;
}
