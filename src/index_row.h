/* One candidate as the index stores it (index_sync.c writes it, index_search.c reads it),
 * private to the index.
 *
 * The search text is every searchable field folded (fold_text.h), one field a line, with
 * control characters made spaces so that the markers below are the only ones in it:
 *
 *   \2\2anna \2\2maria \2\2schmidt        names: each word after two \2 ("Jean-Luc" = two)
 *   \3anna@example.com\3                  each e-mail address
 *   title, company, each job title        plain lines
 *   \4r-300\4                             the ATS ID
 *
 * The trigram index sees the markers as characters: "\2\2a" is in the text exactly when a
 * name word starts with "a", "\2an" when one starts with "an", so one- and two-letter
 * queries are trigram queries too; "\3…\3" and "\4…\4" find an exact e-mail or ATS ID. A
 * query (folded the same way, no control characters) never contains a marker, so plain
 * substrings never match across fields. The Kombo ID is not in the text: it is matched
 * whole, through cand.id's index.
 *
 * E-mail addresses and applications are stored as blobs of length-prefixed strings (any
 * byte may occur in them, control characters included), read back only for the hits. */
#ifndef KA_INDEX_ROW_H
#define KA_INDEX_ROW_H

#include <stddef.h>
#include <stdint.h>

#include "candidate.h"
#include "textbuf.h"

#define IXR_NAME '\2'
#define IXR_EMAIL '\3'
#define IXR_RID '\4'

/* The FTS row id (cand.rk) orders the whole index by the most recent application: its
 * Unix seconds, one more per candidate already there (a tie moves a second); candidates
 * without an application below all of them, newest first. A trigram query read in
 * descending row id order is then already in ranking order within a rank, so a search
 * stops after the rows it shows. Seconds, not a wider key: FTS5 stores the gaps between
 * row ids, and narrow gaps keep the index small. */
#define IXR_LAD_MAX ((1LL << 40) - 1)
#define IXR_RK_NOAPP(rowid) ((long long)(rowid) - (1LL << 40))

struct index_row {
    char *search;              /* the text above, NUL-terminated */
    struct textbuf emails;     /* blob */
    struct textbuf apps;       /* blob */
    char lad[CAND_TEXT_MAX + 1];   /* the most recent remote_created_at ("" when none) */
    long long lad_s;           /* the same in Unix seconds, 0..IXR_LAD_MAX */
};

void index_row_make(const struct candidate *c, struct index_row *r);
void index_row_free(struct index_row *r);

/* Back from the blobs into c (emails, apps; c's other fields untouched). */
void index_row_read_emails(const void *blob, size_t n, struct candidate *c);
void index_row_read_apps(const void *blob, size_t n, struct candidate *c);

/* text folded as the index folds it, control characters made spaces; the caller frees. */
char *index_row_fold(const char *s, size_t n);

#endif
