/*
 * libFuzzer harness for OpenLineage RunEvent ingestion (one object, array
 * or NDJSON): any input is stored or refused cleanly, and whatever was
 * accepted is idempotent - delivering it again stores nothing new. Each
 * input runs inside a transaction that is rolled back, so the store stays
 * small.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aims/aims.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static aims_store *store;

static aims_store *open_store(void)
{
	char path[64];
	aims_store_options o = AIMS_STORE_OPTIONS_INIT;
	o.create = 1;
	snprintf(path, sizeof(path), "/tmp/aims-fuzz-openlineage-%d.db", (int)getpid());
	unlink(path);
	if (aims_store_open(&store, path, &o) < 0)
		abort();
	return store;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	aims_lineage_stats a, b;
	if (!store)
		open_store();
	if (aims_store_begin(store) < 0)
		abort();
	if (aims_lineage_ingest(&a, store, (const char *)data, size, "fuzz") == 0) {
		if (a.stored + a.duplicates != a.events)
			abort();
		if (aims_lineage_ingest(&b, store, (const char *)data, size, "fuzz") != 0 || b.stored != 0 ||
		    b.duplicates != b.events)
			abort();
	}
	if (aims_store_rollback(store) < 0)
		abort();
	return 0;
}
