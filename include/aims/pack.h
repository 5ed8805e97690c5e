/*
 * Evidence packs: a point-in-time bundle an auditor checks offline, without
 * trusting aims (docs/audit.md). A pack holds the records (SoA, gap
 * analysis, risk register, impact assessments, EU AI Act classification and
 * obligations, evaluations, documents, AI systems) as JSON with their HTML
 * reports, the OSCAL documents, the governance ledger entries those records
 * rest on with RFC 9162 inclusion proofs (C2SP tlog-proof), the signed
 * checkpoint they verify against, the verifier key, an offline index.html,
 * and manifest.json listing the SHA-256 of every file, signed (C2SP signed
 * note) with the ledger's key in manifest.sig.
 */
#ifndef AIMS_PACK_H
#define AIMS_PACK_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The files of a pack, in memory, sorted by path (strcmp; aims_pack_verify relies on it). */
typedef struct {
	char *path;              /* relative, '/'-separated, e.g. "records/soa.json" */
	unsigned char *data;
	size_t len;
} aims_pack_file;

typedef struct {
	aims_pack_file *files;
	size_t count;
} aims_pack;

void aims_pack_free(aims_pack *pack);

/** What goes into a pack. */
typedef struct {
	unsigned int version;    /* AIMS_PACK_OPTIONS_VERSION */
	const char *system;      /* one AI system's records (NULL: every system) */
	const char *as_of;       /* YYYY-MM-DD: the last checkpoint signed by the end of that day (UTC) and the
				    ledger entries in its tree; NULL: the latest checkpoint */
} aims_pack_options;

#define AIMS_PACK_OPTIONS_VERSION 1
#define AIMS_PACK_OPTIONS_INIT { AIMS_PACK_OPTIONS_VERSION, NULL, NULL }

/**
 * Build a pack of the store's records for the principal set on the store
 * (each record is read through its read operation, with that principal's
 * permissions). The manifest is signed with the ledger's signing key
 * (aims_ledger_setup): AIMS_ENOTFOUND when there is none or no checkpoint
 * (at the as-of date), AIMS_ENOTFOUND for an unknown system.
 */
int aims_pack_build(aims_pack **out, aims_store *store, const aims_pack_options *o);

/** The pack as one ustar archive (no directory entries; mode 0644, mtime 0). */
int aims_pack_tar(aims_buf *out, const aims_pack *pack);

/**
 * Read a pack from a directory or a tar file (what aims_pack_write_dir and
 * aims_pack_tar make). Only regular files are read: a symbolic link, a path
 * outside the pack or a malformed archive is AIMS_EINVALID naming it.
 */
int aims_pack_read(aims_pack **out, const char *path);

/** Parse a tar archive in memory; `name` names it in messages. */
int aims_pack_from_tar(aims_pack **out, const void *data, size_t len, const char *name);

/**
 * Write the pack's files under `dir`, which must not exist or be empty
 * (AIMS_ECONFLICT otherwise); files are created, never overwritten.
 */
int aims_pack_write_dir(const aims_pack *pack, const char *dir);

/** What aims_pack_verify checked. */
typedef struct {
	size_t files;            /* files whose digest matched the manifest */
	size_t entries;          /* ledger entries whose inclusion proof verified */
	uint64_t tree_size;      /* the checkpoint's tree size */
	char signer[128];        /* the key name that signed the manifest and checkpoint */
} aims_pack_verify_stats;

/**
 * Check a pack offline: manifest.sig is a signed note by one of `vkeys`
 * (the pack's own vkey.txt when nvkeys is 0) over the SHA-256 of
 * manifest.json; every file is listed with its digest and nothing else is
 * there; checkpoint.txt is signed by the key and is the manifest's tree;
 * every ledger entry's inclusion proof verifies against it (RFC 9162
 * 2.1.3.2) and names the same entry. AIMS_ETAMPERED with a message naming
 * the first file or entry that fails.
 */
int aims_pack_verify(aims_pack_verify_stats *stats, const aims_pack *pack, const char *const *vkeys, size_t nvkeys);

/**
 * The verdict of aims_pack_verify as the document `aims pack verify --json`
 * and POST /api/v1/packs/verify return: {"ok": true, "files", "entries",
 * "tree_size", "origin", "own_key"} (own_key: checked with the pack's own
 * vkey.txt), or, after a failure `err` (call it before anything else sets
 * the error), {"ok": false, "error": the message naming the file or entry}.
 */
json_t *aims_pack_verify_result(int err, const aims_pack_verify_stats *st, int own_key);

#ifdef __cplusplus
}
#endif
#endif
