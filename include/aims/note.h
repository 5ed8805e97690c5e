/*
 * Signed notes, checkpoints and proofs in the C2SP text formats, so that
 * anyone with a public key can check what aims publishes, and aims can
 * check what others publish:
 *
 *   c2sp.org/signed-note      text signed by one or more Ed25519 keys
 *   c2sp.org/tlog-checkpoint  the signed tree head of a transparency log
 *   c2sp.org/tlog-proof       an offline-verifiable inclusion receipt
 *
 * Keys are written as in Go's golang.org/x/mod/sumdb/note, the reference
 * implementation: a verifier key is "name+hexkeyid+base64(0x01||pubkey)",
 * a signer key "PRIVATE+KEY+name+hexkeyid+base64(0x01||seed)". Signer keys
 * are secret: they never appear in error messages and every copy the
 * library makes is wiped before it is freed.
 */
#ifndef AIMS_NOTE_H
#define AIMS_NOTE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Largest note accepted or produced: 1 MiB. */
#define AIMS_NOTE_MAX_SIZE ((size_t)1 << 20)

/** Most signature lines a note may carry (as Go's note.Open). */
#define AIMS_NOTE_MAX_SIGS 100

/** Most hashes in an inclusion proof: a tree of at most 2^64 leaves. */
#define AIMS_TLOG_PROOF_MAX_HASHES 64

/* ---- keys ---- */

/**
 * The C2SP key ID of an Ed25519 key: the first four bytes, big-endian, of
 * SHA-256(name || 0x0A || 0x01 || pubkey).
 */
int aims_note_key_id(uint32_t *id, const char *name, const unsigned char pubkey[32]);

/**
 * Make a new Ed25519 key pair named `name` (non-empty UTF-8 without spaces
 * or '+'). *signer gets the secret signer key and *verifier the public
 * verifier key, both NUL-terminated; free *signer with
 * aims_note_secret_free() and *verifier with free().
 */
int aims_note_keygen(char **signer, char **verifier, const char *name);

/**
 * Make a new cosigner (witness) key pair for c2sp.org/tlog-cosignature
 * Ed25519 cosignatures (cosignature/v1): like aims_note_keygen, with the
 * signature type 0x04 in both keys and in the key ID. A cosigner key signs
 * cosignatures of checkpoints (aims_note_cosign), never notes.
 */
int aims_note_cosigner_keygen(char **signer, char **verifier, const char *name);

/** Wipe and free a secret string returned by the library (NULL is fine). */
void aims_note_secret_free(char *secret);

/**
 * Check a verifier key: well-formed, known algorithm (Ed25519), and the key
 * ID matches the name and public key. AIMS_EINVALID with a message if not.
 */
int aims_note_verifier_check(const char *vkey);

/** A signer key parsed and checked, holding the Ed25519 secret key. */
typedef struct aims_note_signer aims_note_signer;

/**
 * Parse a signer key "PRIVATE+KEY+name+keyid+base64" (a trailing newline
 * is allowed) and check that its key ID matches the derived public key.
 * AIMS_EINVALID if malformed; the message never quotes the key.
 */
int aims_note_signer_parse(aims_note_signer **out, const char *skey);

/**
 * Read a signer key file. The file is opened without following a symbolic
 * link (refused) and must be a regular file that neither group nor others
 * can access (mode 0600 or stricter): AIMS_EINVALID otherwise,
 * AIMS_ENOTFOUND when it does not exist.
 */
int aims_note_signer_load(aims_note_signer **out, const char *path);

/** Whether a signer is a cosigner (witness) key, type 0x04. */
int aims_note_signer_is_cosigner(const aims_note_signer *s);

/** The key name, borrowed from the signer. */
const char *aims_note_signer_name(const aims_note_signer *s);

/** The key ID. */
uint32_t aims_note_signer_id(const aims_note_signer *s);

/** The matching verifier key; free with free(). */
int aims_note_signer_verifier(char **vkey, const aims_note_signer *s);

/** Wipe and free a signer (NULL is fine). */
void aims_note_signer_free(aims_note_signer *s);

/**
 * Write a signer key to a new file with mode 0600: the file is created with
 * O_CREAT|O_EXCL|O_NOFOLLOW, so an existing file or symbolic link is never
 * overwritten (AIMS_ECONFLICT). The key must parse as a signer key. The
 * file holds the key and a newline and is synced before returning; a file
 * left half written is removed.
 */
int aims_note_key_write(const char *path, const char *skey);

/* ---- signed notes (c2sp.org/signed-note) ---- */

/**
 * Sign `text` (valid UTF-8, no control characters but newline, ending in a
 * newline) and return the note "text\n— name base64(keyid||sig)\n" in
 * *note (NUL-terminated, free with free()) and its length in *len.
 * AIMS_EINVALID for a text that would not make a valid note.
 */
int aims_note_sign(char **note, size_t *len, const char *text, size_t text_len,
		   const aims_note_signer *signer);

/** One signature line of an opened note. */
typedef struct aims_note_sig {
	const char *name;   /**< key name, NUL-terminated */
	uint32_t key_id;
	int verified;       /**< 1: by a known key and valid; 0: by an unknown key */
	int cosignature;    /**< verified with a cosigner key: a c2sp.org/tlog-cosignature v1 */
	uint64_t timestamp; /**< of a cosignature: seconds since 1970 when the witness signed */
} aims_note_sig;

/** A note whose signatures were checked; owned by the caller. */
typedef struct aims_note {
	const char *text;        /**< the signed text with its final newline, NUL-terminated */
	size_t text_len;
	const aims_note_sig *sigs;  /**< verified first, then unknown keys; duplicates dropped */
	size_t nsigs;
	size_t nverified;        /**< how many of sigs are verified (>= 1) */
} aims_note;

/**
 * Parse the signed note `msg` strictly and verify its signatures against
 * the verifier keys `vkeys` (nvkeys of them). A key of type 0x04 is a
 * cosigner (witness) key: its signature line must be a valid
 * c2sp.org/tlog-cosignature v1 over the note's text, and counts as a
 * signature by a known key (with its timestamp in aims_note_sig). Signatures by unknown keys
 * (another name or key ID) are ignored; repeated signatures by one key are
 * ignored after the first. Returns 0 when at least one signature by a known
 * key verifies and none by a known key fails; AIMS_ETAMPERED when a known
 * key's signature does not verify or no known key signed; AIMS_EINVALID for
 * a malformed note (not UTF-8, control characters, no blank line before the
 * signatures, a bad signature line, more than AIMS_NOTE_MAX_SIGS signatures,
 * larger than AIMS_NOTE_MAX_SIZE) or a malformed or ambiguous verifier key.
 */
int aims_note_open(aims_note **out, const char *msg, size_t len,
		   const char *const *vkeys, size_t nvkeys);

/** Free an opened note (NULL is fine). */
void aims_note_free(aims_note *n);

/**
 * aims_note_open() for callers that only want the text: on success *text
 * (if not NULL) gets a NUL-terminated copy to free() and *text_len its
 * length.
 */
int aims_note_verify(char **text, size_t *text_len, const char *msg, size_t len,
		     const char *const *vkeys, size_t nvkeys);

/**
 * Cosign a signed checkpoint as a witness does (c2sp.org/tlog-cosignature,
 * Ed25519, "cosignature/v1"): an Ed25519 signature by `cosigner` (a key
 * from aims_note_cosigner_keygen) over "cosignature/v1\n", "time T\n" and
 * the checkpoint's text. *line gets the signature line, "— name
 * base64(keyid || timestamp || signature)\n" (free with free()), which is
 * what a witness returns from add-checkpoint (c2sp.org/tlog-witness). A
 * witness must have checked the checkpoint's signature and its consistency
 * with the last checkpoint it cosigned before it calls this.
 */
int aims_note_cosign(char **line, size_t *len, const char *note, size_t note_len,
		     const aims_note_signer *cosigner, uint64_t timestamp);

/**
 * Append signature lines (e.g. the cosignatures a witness returned) to a
 * signed note: each of the `nkeys` keys (verifier or cosigner keys) must
 * have a valid signature in the result and none in the note before, else
 * AIMS_ETAMPERED (invalid or missing) or AIMS_ECONFLICT (already there).
 * *out is the new note (free with free()).
 */
int aims_note_add_signatures(char **out, size_t *out_len, const char *note, size_t note_len,
			     const char *lines, size_t lines_len, const char *const *keys, size_t nkeys,
			     size_t *added);

/**
 * Check only the syntax of a signed note (as aims_note_open would, but no
 * signature is verified). 0 or AIMS_EINVALID.
 */
int aims_note_check_syntax(const char *msg, size_t len);

/* ---- checkpoints (c2sp.org/tlog-checkpoint) ---- */

/** A parsed checkpoint body; owned by the caller. */
typedef struct aims_checkpoint {
	const char *origin;           /**< first line, non-empty */
	uint64_t size;                /**< tree size */
	unsigned char root[32];       /**< RFC 6962 root hash */
	const char *const *extensions;  /**< extension lines without newline */
	size_t nextensions;
} aims_checkpoint;

/**
 * Format a checkpoint body: "origin\nsize\nbase64(root)\n" and then each
 * extension line and a newline. The origin must be non-empty text without
 * control characters; extension lines likewise. *text is NUL-terminated,
 * free with free().
 */
int aims_checkpoint_format(char **text, size_t *len, const char *origin, uint64_t size,
			   const unsigned char root[32], const char *const *extensions,
			   size_t nextensions);

/**
 * Parse a checkpoint body (the text of a note): at least three non-empty
 * lines, each ending in a newline; a decimal size without leading zeros;
 * a root of exactly 32 bytes in canonical base64. AIMS_EINVALID otherwise.
 */
int aims_checkpoint_parse(aims_checkpoint **out, const char *text, size_t len);

/**
 * Verify a signed checkpoint note (aims_note_open) and parse its text.
 * Same return codes as both.
 */
int aims_checkpoint_open(aims_checkpoint **out, const char *note, size_t len,
			 const char *const *vkeys, size_t nvkeys);

/** Free a checkpoint (NULL is fine). */
void aims_checkpoint_free(aims_checkpoint *cp);

/* ---- proofs (c2sp.org/tlog-proof) ---- */

/** A parsed tlog-proof; owned by the caller. Nothing in it is verified. */
typedef struct aims_tlog_proof {
	uint64_t index;                 /**< zero-based index of the entry */
	const unsigned char *extra;     /**< opaque, unauthenticated extra data, or NULL */
	size_t extra_len;
	const unsigned char (*hashes)[32];  /**< inclusion proof, leaf's sibling first */
	size_t nhashes;
	const char *checkpoint;         /**< the signed checkpoint note, verbatim, NUL-terminated */
	size_t checkpoint_len;
} aims_tlog_proof;

/**
 * Format a proof: "c2sp.org/tlog-proof@v1\n", "extra BASE64\n" when extra
 * is not NULL and extra_len > 0, "index N\n", one base64 hash per line, an
 * empty line and the checkpoint note verbatim (which must be a
 * syntactically valid signed note). *out is NUL-terminated, free with free().
 */
int aims_tlog_proof_format(char **out, size_t *len, uint64_t index,
			   const unsigned char *extra, size_t extra_len,
			   const unsigned char (*hashes)[32], size_t nhashes,
			   const char *checkpoint, size_t checkpoint_len);

/**
 * Parse a proof strictly (header, optional non-empty extra, index without
 * leading zeros, at most AIMS_TLOG_PROOF_MAX_HASHES hashes of 32 bytes, an
 * empty line, then a syntactically valid note). AIMS_EINVALID otherwise.
 * The checkpoint's signatures are not checked here.
 */
int aims_tlog_proof_parse(aims_tlog_proof **out, const char *data, size_t len);

/** Free a parsed proof (NULL is fine). */
void aims_tlog_proof_free(aims_tlog_proof *p);

/**
 * Verify a proof offline, as a third party holding only the log's verifier
 * key: parse it (aims_tlog_proof_parse), verify the checkpoint's signatures
 * (aims_checkpoint_open), check the origin when `origin` is not NULL, and
 * check that leaf_hash (RFC 9162 leaf hash of the entry) is at the proof's
 * index in the checkpoint's tree (RFC 9162 2.1.3.2). Returns 0 when all
 * holds, AIMS_ETAMPERED when a signature, the origin or the inclusion proof
 * fails, AIMS_EINVALID for a malformed proof or key. On success *checkpoint
 * (if not NULL) gets the verified checkpoint and *index (if not NULL) the
 * entry's index.
 */
int aims_tlog_proof_verify(aims_checkpoint **checkpoint, uint64_t *index, const char *data,
			   size_t len, const unsigned char leaf_hash[32], const char *origin,
			   const char *const *vkeys, size_t nvkeys);

#ifdef __cplusplus
}
#endif
#endif
