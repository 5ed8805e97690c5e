/*
 * Decision ingest bound to the inventory (include/aims/ingest.h): the AI
 * system must be in the inventory and every record's model a registered
 * model version. The ledger's streaming ingest does the reading,
 * canonicalizing, appending and committing; this layer checks the system
 * before the log is opened and gives the ledger a check it calls for each
 * record, so ledger/ never calls up into inventory/.
 *
 * The model check looks a name@version up once and keeps it in a small
 * table (found models only: an unknown model ends the ingest), so a batch
 * of millions of records costs a few store queries.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aims/decision.h"
#include "aims/ingest.h"
#include "aims/oversight.h"
#include "aims/inventory.h"
#include "aims/ledger.h"
#include "core/core.h"
#include "oversight/stage.h"

#define MODEL_SLOTS 1024   /* distinct models remembered; the table starts over when full */

typedef struct {
	char *model;           /* NULL: empty slot */
	size_t len;
	char digest[72];       /* the registered digest, "" when none was recorded */
} model_slot;

typedef struct {
	aims_store *store;
	pthread_mutex_t *store_mu;   /* NULL, or held to use the store (shared with the review queue's writer) */
	model_slot slot[MODEL_SLOTS];
	size_t used;
} model_check;

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;  /* FNV-1a */
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static void checks_release(model_check *c)
{
	for (size_t i = 0; i < MODEL_SLOTS; i++) {
		aims__free(c->slot[i].model);
		c->slot[i].model = NULL;
	}
	c->used = 0;
}

/* the inventory's answer for `model`, remembered */
static int lookup(model_slot **out, model_check *c, const char *model, size_t len)
{
	uint64_t h = hash_bytes(model, len);
	size_t i = (size_t)(h % MODEL_SLOTS);
	for (size_t k = 0; k < MODEL_SLOTS; k++, i = (i + 1) % MODEL_SLOTS) {
		model_slot *s = &c->slot[i];
		if (!s->model)
			break;
		if (s->len == len && memcmp(s->model, model, len) == 0) {
			*out = s;
			return 0;
		}
	}
	/* not seen yet: ask the inventory; the name must be exactly a registered NAME@VERSION */
	char ref[300];
	aims_model *m = NULL;
	int err, found = 0;
	if (len < sizeof(ref)) {
		memcpy(ref, model, len);
		ref[len] = '\0';
		if (c->store_mu)
			pthread_mutex_lock(c->store_mu);
		err = aims_model_get(&m, c->store, ref);
		if (c->store_mu)
			pthread_mutex_unlock(c->store_mu);
		if (err == 0) {
			size_t nl = strlen(m->name);
			found = nl + 1 + strlen(m->version) == len && memcmp(ref, m->name, nl) == 0 &&
				ref[nl] == '@' && strcmp(ref + nl + 1, m->version) == 0;
		} else if (err != AIMS_ENOTFOUND && err != AIMS_EINVALID) {
			return err;
		}
	}
	if (!found) {
		aims_model_free(m);
		return aims__err(AIMS_EINVALID, "model: '%.*s' is not a registered model version (register it "
				 "with 'aims model register %.*s --file ARTIFACT')", (int)len, model, (int)len, model);
	}
	if (c->used >= MODEL_SLOTS / 2)
		checks_release(c);  /* keep the table sparse: start over */
	i = (size_t)(h % MODEL_SLOTS);
	while (c->slot[i].model)
		i = (i + 1) % MODEL_SLOTS;
	model_slot *s = &c->slot[i];
	if (!(s->model = aims__malloc(len))) {
		aims_model_free(m);
		return aims__oom();
	}
	memcpy(s->model, model, len);
	s->len = len;
	snprintf(s->digest, sizeof(s->digest), "%s", m->digest ? m->digest : "");
	c->used++;
	aims_model_free(m);
	*out = s;
	return 0;
}

/* review selection, called by the ledger for each canonical record (aims_decision_ingest_options.on_record) */
static int note_record(void *arg, uint64_t index, const char *record, size_t len, const aims_decision_members *m)
{
	return aims_review_note(arg, index, record, len, m);
}

/* the check the ledger calls for each record (aims_decision_check_fn) */
static int check_record(void *arg, const char *model, size_t len, const char *model_digest)
{
	model_check *c = arg;
	model_slot *s = NULL;
	int err;
	if (!model)
		return 0;  /* only a model_digest: there is no lookup of models by digest */
	if ((err = lookup(&s, c, model, len)) < 0)
		return err;
	if (model_digest && s && s->digest[0] && memcmp(model_digest, s->digest, 71) != 0)
		return aims__err(AIMS_EINVALID, "model_digest: %.71s is not the digest registered for model "
				 "%.*s (%s)", model_digest, (int)len, model, s->digest);
	return 0;
}

/* the name of a verifier key NAME+ID+KEY */
static char *vkey_name(const char *vkey)
{
	const char *plus = strchr(vkey, '+');
	return plus ? aims__strndup(vkey, (size_t)(plus - vkey)) : NULL;
}

void aims_ingest_result_release(aims_ingest_result *res)
{
	if (!res)
		return;
	aims__free(res->checkpoint_error);
	aims__free(res->governance_error);
	res->checkpoint_error = res->governance_error = NULL;
}

int aims_ingest_decisions(aims_ingest_result *res, aims_store *store, const char *system,
			  aims_decision_read_fn read, void *read_arg, const aims_ingest_options *opts)
{
	aims_ingest_options defo = AIMS_INGEST_OPTIONS_INIT;
	aims_decision_options dopts = AIMS_DECISION_OPTIONS_INIT;
	aims_decision_ingest_options io = AIMS_DECISION_INGEST_OPTIONS_INIT;
	aims_decision_commit_info info;
	aims_decision_log *log = NULL;
	aims_note_signer *signer = NULL;
	aims_system *sys = NULL;
	aims_review_selector *sel = NULL;
	pthread_mutex_t store_mu = PTHREAD_MUTEX_INITIALIZER;
	model_check *checks = NULL;
	char *vkey = NULL, *kname = NULL, *sign_why = NULL;
	int err;

	memset(res, 0, sizeof(*res));
	memset(&info, 0, sizeof(info));
	if (!opts)
		opts = &defo;
	if (!aims_decision_name_valid(system))
		return aims__err(AIMS_EINVALID, "'%.80s' is not a valid AI system name (1 to %d characters of "
				 "A-Z a-z 0-9 . _ -)", system ? system : "", AIMS_DECISION_NAME_MAX);
	/* the log belongs to an AI system of the inventory */
	if ((err = aims_system_get(&sys, store, system)) < 0) {
		if (err == AIMS_ENOTFOUND)
			err = aims__err(AIMS_ENOTFOUND, "AI system '%s' is not in the inventory: add it with "
					"'aims system add %s' before ingesting its decisions", system, system);
		return err;
	}
	aims_system_free(sys);
	/* checkpoints are signed with the ledger key; committing does not need it */
	if ((err = aims_ledger_vkey(&vkey, store)) < 0) {
		if (err == AIMS_ENOTFOUND)
			err = aims__err(AIMS_ENOTFOUND, "no ledger key to sign the decision log's checkpoints: run "
					"'aims ledger keygen' and 'aims ledger setup --key FILE'");
		return err;
	}
	if (!(kname = vkey_name(vkey))) {
		err = aims__err(AIMS_ETAMPERED, "the recorded verifier key is malformed");
		goto done;
	}
	if ((err = aims_ledger_signer(&signer, store)) < 0) {
		if (err == AIMS_ENOMEM)
			goto done;
		/* records are still committed; the checkpoint waits for the next write */
		if (!(sign_why = aims__strdup(aims_error_last()))) {
			err = aims__oom();
			goto done;
		}
		signer = NULL;
	}
	if (!(checks = aims__calloc(1, sizeof(*checks)))) {
		err = aims__oom();
		goto done;
	}
	checks->store = store;
	dopts.create = 1;
	dopts.signer = signer;
	dopts.key_name = kname;
	dopts.on_ack = opts->on_ack;
	dopts.ack_arg = opts->ack_arg;
	if ((err = aims_decision_open(&log, store, system, &dopts)) < 0)
		goto done;
	io.read = read;
	io.read_arg = read_arg;
	io.name = opts->name;
	io.idempotency_key = opts->idempotency_key;
	io.check = check_record;
	io.check_arg = checks;
	io.on_progress = opts->on_progress;
	io.progress_arg = opts->progress_arg;
	/* human review (issue 15): the system's review policy looks at each record as it is ingested
	 * (no selector when there are no review rules) */
	if ((err = aims_review_selector_open(&sel, store, system)) < 0)
		goto done;
	if (sel) {
		io.on_record = note_record;
		io.record_arg = sel;
		io.in_commit = aims_review_note_in_commit;   /* the selections commit with the batch */
	}
	if (strcmp(aims_store_backend(store), "sqlite") == 0) {
		/* a log kept in files: queue rows a crashed ingest left beyond its committed size go first; the
		 * selections are then written while the batch is read (oversight/stage.h) */
		if ((err = aims_review_unstage(store, system, aims_decision_durable_size(log))) < 0)
			goto done;
		if (sel) {
			if ((err = aims_review_stage_start(sel, aims_decision_durable_size(log), &store_mu)) < 0)
				goto done;
			checks->store_mu = &store_mu;
			io.on_record = NULL;
			io.on_hashed = aims_review_stage_hashed;   /* the rules, off the reading thread */
			io.before_commit = aims_review_stage_finish;
			io.on_abort = aims_review_stage_cancel;
		}
	}
	if ((err = aims_decision_ingest(log, &info, &io)) < 0) {
		if (sel) {
			char why[1024];
			snprintf(why, sizeof(why), "%s", aims_error_last());
			(void)aims_review_note_abort(sel);   /* its rows, if any were written, are deleted */
			sel = NULL;
			err = aims__err(err, "%s", why);
		}
		goto done;
	}
	res->first = info.first;
	res->count = info.count;
	res->appended = info.duplicate ? 0 : info.count;
	res->size = info.size;
	res->duplicate = info.duplicate;
	snprintf(res->digest, sizeof(res->digest), "%s", info.digest);
	/* the selected records entered the queue in the batch's commit (past one flush's worth, the rest
	 * is read back now); a duplicate batch was selected when it was first committed */
	if (info.duplicate || info.count == 0) {
		err = aims_review_note_abort(sel);
		sel = NULL;
		if (err < 0)
			goto done;
	} else {
		err = aims_review_note_commit(sel, log, &res->selected);
		sel = NULL;
		if (err < 0)
			goto done;
	}
	aims_decision_free(log);
	log = NULL;
	if (sign_why) {
		aims_buf b = AIMS_BUF_INIT;
		if (aims_buf_printf(&b, "the ledger key could not be loaded: %s", sign_why) == 0)
			res->checkpoint_error = aims_buf_detach(&b, NULL);
		aims_buf_release(&b);
	} else if (info.checkpoint_error) {
		res->checkpoint_error = info.checkpoint_error;
		info.checkpoint_error = NULL;
	}
	/* the batch's audit entry (and a new log's registration) in a signed governance checkpoint */
	if (signer && aims_ledger_checkpoint(store, signer, NULL) < 0)
		res->governance_error = aims__strdup(aims_error_last());
	err = 0;
done:
	aims_review_selector_free(sel);
	aims_decision_commit_info_release(&info);
	aims_decision_free(log);
	if (checks) {
		checks_release(checks);
		aims__free(checks);
	}
	aims_note_signer_free(signer);
	aims__free(sign_why);
	aims__free(kname);
	free(vkey);
	return err;
}

typedef struct {
	int fd;
	const char *name;
} fd_source;

static int64_t fd_read(void *buf, size_t len, void *arg)
{
	fd_source *s = arg;
	for (;;) {
		ssize_t n = read(s->fd, buf, len);
		if (n >= 0)
			return n;
		if (errno != EINTR)
			return aims__err(errno == EISDIR ? AIMS_EINVALID : AIMS_ERROR, "cannot read '%s': %s", s->name,
					 strerror(errno));
	}
}

int aims_ingest_decisions_fd(aims_ingest_result *res, aims_store *store, const char *system, int fd,
			     const aims_ingest_options *opts)
{
	fd_source src = { fd, opts && opts->name ? opts->name : "<input>" };
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		memset(res, 0, sizeof(*res));
		return aims__err(AIMS_EINVALID, "'%s' is a directory, not a file of decision records", src.name);
	}
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	return aims_ingest_decisions(res, store, system, fd_read, &src, opts);
}
