/* Whole strings folded for search: what fold.h does for Latin letters, plus the lower case
 * of Greek and Cyrillic, Greek without its accents (Σοφία → σοφια, final ς → σ), Cyrillic
 * ё → е, Vietnamese letters to their base (Nguyễn → nguyen), and combining marks dropped
 * (so text typed in decomposed form folds as the composed one). The index stores this
 * form of every searchable field and folds each query the same way, so "zoe" meets "Zoë"
 * and "ШЕВЧЕНКО" meets "Шевченко". Pure: no locale, no I/O. */
#ifndef KA_FOLD_TEXT_H
#define KA_FOLD_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "fold.h"

/* Fold one code point into out (0 to FOLD_MAX code points; 0 for a combining mark). */
size_t fold_text_cp(uint32_t cp, uint32_t out[FOLD_MAX]);

/* s (n bytes of UTF-8; invalid bytes are copied as they are) folded; NUL-terminated, the
 * caller frees. Never NULL. */
char *fold_text(const char *s, size_t n);

#endif
