/* Kombo's error codes and what to do about each: one table for the command line, the UI and
 * the README's troubleshooting table (tests/test_kombo_codes.c checks the README against it). */
#ifndef KA_KOMBO_CODES_H
#define KA_KOMBO_CODES_H

#include <stddef.h>

struct kombo_code_row {
    const char *codes[5];   /* NULL-terminated: codes that share the advice */
    const char *meaning;    /* what it means for this tool */
    const char *todo;       /* what to do, one short sentence */
};

/* The rows, in the README's order. */
const struct kombo_code_row *kombo_codes(size_t *n);
/* The row for code (exact match), or NULL for an unknown or NULL code. */
const struct kombo_code_row *kombo_code_find(const char *code);

#endif
