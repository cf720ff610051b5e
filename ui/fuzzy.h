/* Fuzzy matching as fzf does it, for the picker's filter and the tree search: the pattern's
 * letters must appear in the name in order, and each match gets a score, higher for
 * consecutive letters and for letters at the start of a word (after a space, - _ . or /,
 * or a lower-to-upper case step), lower for gaps. Case and Latin accents are ignored
 * (fold.h, then towlower for other scripts in a UTF-8 locale of its own, so it works the
 * same under LANG=C). Pure: no curses, no I/O. Private to ui/. */
#ifndef KA_UI_FUZZY_H
#define KA_UI_FUZZY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The matched letters of a name as byte ranges of the raw name, in order, adjacent ones
 * joined (for highlighting). */
#define FZ_HITS_MAX 16
struct fz_hits {
    size_t n;
    size_t off[FZ_HITS_MAX], len[FZ_HITS_MAX];
};

struct fz_pattern;

/* Compile what was typed (any bytes; invalid UTF-8 stands for itself). "" matches every
 * name with score 0. */
struct fz_pattern *fz_new(const char *pattern);
void fz_free(struct fz_pattern *p);
/* Folded characters in the pattern; 0 for "". */
size_t fz_len(const struct fz_pattern *p);
/* Whether every name `wider` matches is one that `narrower` may match too: wider's folded
 * letters are a subsequence of narrower's (typing more can only remove names). */
bool fz_narrows(const struct fz_pattern *narrower, const struct fz_pattern *wider);
/* Whether name matches; *score (may be NULL) its rank; hits (may be NULL) where. The
 * pattern holds the scratch space, so one pattern is used by one caller at a time. */
bool fz_match(struct fz_pattern *p, const char *name, int *score, struct fz_hits *hits);

#endif
