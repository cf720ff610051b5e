/* Folding letters for matching what people type against names: case and Latin accents
 * (é → e, Ü → u, ł → l, ß → ss, Æ → ae), so "muller" finds "Müller" and "lodz" finds
 * "Łódź". Pure: no locale, no I/O, usable by the backend and the UI alike. */
#ifndef KA_FOLD_H
#define KA_FOLD_H

#include <stddef.h>
#include <stdint.h>

/* The most code points one code point folds into ("ss" for ß, "ae" for Æ). */
#define FOLD_MAX 2

/* Fold code point cp into out (1 or 2 code points, returned): ASCII capitals and the Latin
 * letters with diacritics of Latin-1, Latin Extended-A and a few more (Ș, Ț, ẞ) become
 * their lower-case base letters; anything else is copied as it is (the caller folds the
 * case of other scripts). */
size_t fold_latin(uint32_t cp, uint32_t out[FOLD_MAX]);

#endif
