/*
 * CycloneDX 1.6 ML-BOM of an AI system: its models and datasets with their
 * digests (docs/inventory.md).
 */
#ifndef AIMS_BOM_H
#define AIMS_BOM_H

#include <jansson.h>
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The CycloneDX 1.6 JSON BOM of AI system `system` (caller decrefs): the
 * system as metadata.component, its deployed models and the models and
 * datasets upstream of it in the lineage as components (type
 * machine-learning-model and data) with their SHA-256 hashes, model files as
 * nested file components, training datasets in each model's modelCard, and
 * the dependencies system -> models -> datasets. The serial number is a
 * UUIDv5 of the system's record digest. AIMS_ENOTFOUND for an unknown system.
 */
int aims_system_bom(json_t **out, aims_store *store, const char *system);

#ifdef __cplusplus
}
#endif
#endif
