/* Matching names against the picker's filter: case folded for every letter, not only ASCII
 * (MÜLLER finds Müller), with byte offsets in the raw name for highlighting. Private to the
 * filelist module; fl_match (filelist.h) is its public face. */
#ifndef KA_UI_FILELIST_MATCH_H
#define KA_UI_FILELIST_MATCH_H

#include <stddef.h>
#include <stdint.h>

/* s folded into characters (*n of them; caller frees) and, in *utf8 (caller frees), the
 * same as UTF-8 text, for telling whether one filter contains another. */
uint32_t *fl_fold_chars(const char *s, size_t *n, char **utf8);
/* Offset in name of the folded characters f[0..fn) (fn > 0), or -1; *mlen (may be NULL)
 * gets the bytes they cover there. */
ptrdiff_t fl_find_folded(const char *name, const uint32_t *f, size_t fn, size_t *mlen);

#endif
