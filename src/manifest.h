/* A batch manifest: one upload per row, as CSV (RFC 4180, a header row; libcsv) or JSON
 * lines (one object per line). Columns / keys: `file` (required) and exactly one of
 * `candidate`, `application`, `email`; optional `type`, `name`, `content_type`. Pure: no
 * I/O but the read of the file itself (manifest_load), so the fuzz harness drives
 * manifest_parse directly.
 *
 * Every problem the text itself shows (an unknown column, a broken line, a missing file or
 * target, two targets, an unknown type) is collected with its line number, all at once:
 * the user fixes the manifest in one pass. The checks that need the disk or Kombo (the
 * file, restrictions, the e-mail's candidate) are the batch engine's (bulkcheck.h). */
#ifndef KA_MANIFEST_H
#define KA_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>

#include "attachment.h"

#define MANIFEST_MAX_BYTES ((size_t)16 << 20) /* 16 MiB: ~100,000 rows, far past a batch */
#define MANIFEST_MAX_ROWS 100000
#define MANIFEST_MAX_PROBLEMS 1000            /* listed; more are counted */

enum manifest_format { MANIFEST_AUTO, MANIFEST_CSV, MANIFEST_JSONL };

struct manifest_row {
    size_t line;          /* where the row starts in the file, from 1 */
    char *file;           /* as written (relative to the manifest's folder unless absolute) */
    char *candidate, *application, *email;   /* exactly one set on a good row */
    char *type_text;      /* as written, or NULL */
    enum att_type type;   /* parsed; ATT_CV when absent */
    char *name, *content_type;               /* NULL = the defaults */
    bool bad;             /* a problem was listed for it */
};

struct manifest_problem {
    size_t line;          /* 0 = the manifest as a whole */
    char *message;
};

struct manifest {
    enum manifest_format format;
    struct manifest_row *rows;
    size_t n_rows;
    struct manifest_problem *problems;
    size_t n_problems;
    size_t more_problems; /* past MANIFEST_MAX_PROBLEMS, counted only */
};

/* Parse len bytes (need not be NUL-terminated). Always fills *m (free with
 * manifest_free); the manifest is usable when m->n_problems == 0. hint: a file name for
 * the format by extension (.csv; .jsonl, .ndjson, .json), else NULL = by content. */
void manifest_parse(const char *text, size_t len, enum manifest_format format,
                    const char *hint, struct manifest *m);
/* Read and parse a file. -1 with a message when it cannot be read or is too big. */
int manifest_load(const char *path, struct manifest *m, char *err, size_t errlen);
void manifest_free(struct manifest *m);
/* Which format a file name asks for (MANIFEST_AUTO when none). */
enum manifest_format manifest_format_for(const char *path);

#endif
