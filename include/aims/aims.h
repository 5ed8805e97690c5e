/*
 * libaims: the AI management system library. Include this umbrella header
 * or the module headers it pulls in. Everything aims does is here; the
 * command line, the server and the tests are thin users of these headers.
 */
#ifndef AIMS_AIMS_H
#define AIMS_AIMS_H

#include "error.h"
#include "buf.h"
#include "file.h"
#include "store.h"
#include "auth.h"
#include "op.h"
#include "catalog.h"
#include "crosswalk.h"
#include "csv.h"
#include "rows.h"
#include "eval.h"
#include "drift.h"
#include "evalpass.h"
#include "isms.h"
#include "org.h"
#include "gap.h"
#include "soa.h"
#include "report.h"
#include "merkle.h"
#include "note.h"
#include "pdca.h"
#include "ledger.h"
#include "decision.h"
#include "ingest.h"
#include "audit.h"
#include "doc.h"
#include "inventory.h"
#include "risk.h"
#include "assess.h"
#include "aiact.h"
#include "policy.h"
#include "oversight.h"
#include "oscal.h"
#include "pack.h"
#include "bom.h"
#include "merkle.h"
#include "note.h"
#include "pdca.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AIMS_VERSION "0.1.0"

/** The library version string, e.g. "0.1.0". */
const char *aims_version(void);

/**
 * Set up process-wide state (the SHA-256 implementation, libsodium, the
 * JSON allocator). Called implicitly by aims_store_open and the parsers;
 * safe to call more than once and from several threads.
 */
int aims_global_init(void);

#ifdef __cplusplus
}
#endif
#endif
