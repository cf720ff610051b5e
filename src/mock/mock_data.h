/* The mock's people: the candidates (and their applications) it serves, generated from a
 * seed or loaded from a JSON file, stored compactly and indexed for Kombo's filters.
 *
 * Storage: every string lives once in one arena (struct md_set.str) and records hold
 * 32-bit offsets into it (0 = null). Records are flat arrays; a candidate's e-mails and
 * applications are runs in their own arrays. Nothing changes after mock_data_load, so the
 * server threads read it without a lock.
 *
 * Indexes: for each filter an array of (hash of the folded key, candidate) sorted by hash,
 * then candidate; a lookup is a binary search and a check of the key itself, and yields
 * candidates in data-set order, the order pages are served in. Private to src/mock/. */
#ifndef KA_MOCK_DATA_H
#define KA_MOCK_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mock.h"

#define MD_NULL_TIME INT64_MIN        /* a timestamp that is null */
#define MD_SEEDS 4                    /* fixed candidates first in the generated data */
#define MD_DEFAULT_CANDIDATES MOCK_DEFAULT_CANDIDATES
#define MD_MAX_CANDIDATES 2000000u

enum md_outcome { MD_OUT_NULL, MD_OUT_PENDING, MD_OUT_HIRED, MD_OUT_DECLINED };

struct md_email { uint32_t addr, type; };

struct md_app {
    uint32_t id, remote_id, remote_url, rejection_reason;
    uint32_t job_id, job_name, job_remote_id;          /* job_id 0: job is null */
    uint32_t stage_id, stage_name, stage_remote_id;    /* stage_id 0: current_stage null */
    int32_t stage_index;                               /* -1: null */
    uint8_t outcome;                                   /* enum md_outcome */
    int64_t created, updated, changed, rejected;       /* ms since the epoch */
};

struct md_cand {
    uint32_t id, remote_id, first, last, company, title, source, remote_url;
    uint32_t phone, phone_type, city, country;
    uint32_t emails, apps;            /* first index in set->emails / set->apps */
    uint8_t n_emails, n_apps;
    int64_t created, updated, changed, deleted;
    int64_t touched;                  /* max of changed and the applications' changed:
                                         what updated_after compares, as in Kombo */
};

/* One index entry: the folded key's hash, the candidate, and the key's offset (checked on
 * lookup, so a hash collision never gives a wrong answer). */
struct md_entry { uint64_t hash; uint32_t cand, key; };

struct md_index { struct md_entry *e; size_t n; bool fold; };

enum md_index_kind { MD_IX_ID, MD_IX_REMOTE_ID, MD_IX_EMAIL, MD_IX_FIRST, MD_IX_LAST,
                     MD_IX_JOB, MD_IX_APP, MD_IX_COUNT };

struct md_set {
    char *str;                        /* the arena; offset 0 is the null string */
    size_t str_len, str_cap;
    struct md_cand *cands;
    size_t n_cands, cap_cands;
    struct md_email *emails;
    size_t n_emails, cap_emails;
    struct md_app *apps;
    size_t n_apps, cap_apps;
    struct md_index ix[MD_IX_COUNT];
    uint32_t *by_touched;             /* candidates ordered by touched, for updated_after */
    uint64_t fingerprint;             /* of the whole set: cursors of another set fail */
};

/* The string at offset off, or NULL for 0. */
static inline const char *md_str(const struct md_set *s, uint32_t off)
{
    return off ? s->str + off : NULL;
}

/* A data set: from the JSON file when path is set (an array of Kombo candidate objects,
 * validated), else n generated candidates (0 = MD_DEFAULT_CANDIDATES; the first MD_SEEDS
 * are the fixed ones the README and tests name) from seed. NULL with a one-line message. */
struct md_set *mock_data_load(const char *path, unsigned n, uint64_t seed, char *err,
                              size_t errlen);
void mock_data_free(struct md_set *s);

/* Arena and records, for the generator and the loader (mock_data.c). */
uint32_t mock_data_str(struct md_set *s, const char *v);
uint32_t mock_data_strn(struct md_set *s, const char *v, size_t n);
struct md_cand *mock_data_add_cand(struct md_set *s);
struct md_email *mock_data_add_email(struct md_set *s, struct md_cand *c);
struct md_app *mock_data_add_app(struct md_set *s, struct md_cand *c);
/* Builds the indexes once every record is in. */
void mock_data_index(struct md_set *s);

/* mock_gen.c: n candidates from seed (the seeds first). */
void mock_gen_fill(struct md_set *s, unsigned n, uint64_t seed);
/* mock_load.c: the candidates of a JSON file; -1 with a message. */
int mock_load_file(struct md_set *s, const char *path, char *err, size_t errlen);

/* Candidates whose key matches (case-folded where the index folds), in data-set order:
 * the run of entries [*lo, *hi) of the index, which callers walk checking
 * mock_data_entry_is. */
void mock_data_find(const struct md_set *s, enum md_index_kind k, const char *key, size_t len,
                    size_t *lo, size_t *hi);
bool mock_data_entry_is(const struct md_set *s, enum md_index_kind k, size_t i,
                        const char *key, size_t len);
/* The candidate with this ID (or owning the application with this ID), or -1. */
long mock_data_cand_by_id(const struct md_set *s, const char *id, size_t len);
long mock_data_cand_by_app(const struct md_set *s, const char *id, size_t len);

/* mock_fold.c: Unicode-aware case folding (simple folds of Latin-1, Latin Extended-A,
 * Latin Extended Additional (Vietnamese), Greek and Cyrillic; other characters as they are;
 * invalid bytes stand for themselves). */
uint32_t mock_fold_next(const char **p, const char *end);
uint64_t mock_fold_hash(const char *s, size_t n, bool fold);
bool mock_fold_equal(const char *a, size_t an, const char *b, size_t bn, bool fold);

/* Timestamps: ms since the epoch as Kombo writes them (2024-01-31T12:00:00.000Z), and
 * back: YYYY-MM-DD, optionally THH:MM:SS, optionally .fraction, optionally Z; -1 if not. */
void mock_data_time_format(int64_t ms, char out[32]);
int mock_data_time_parse(const char *s, int64_t *ms);

#endif
