/* libFuzzer harness for the batch manifest reader (manifest_parse: CSV through libcsv, JSON
 * lines through cJSON).
 *
 * Input: one byte for the format (0 by content, 1 CSV, 2 JSON lines, else by a ".csv"
 * name), then the manifest's bytes.
 * Checks: no crash, leak or undefined behaviour; every row and problem line is within the
 * text's lines; rows come in the order of their lines; a row without a problem has a file
 * and exactly one target, and its texts are valid UTF-8; the problems are capped. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manifest.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_manifest: %s\n", what);
        abort();
    }
}

static int valid(const char *s)
{
    return !s || utf8_valid(s, strlen(s));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    enum manifest_format f = data[0] == 1 ? MANIFEST_CSV : data[0] == 2 ? MANIFEST_JSONL
                                                                        : MANIFEST_AUTO;
    const char *hint = data[0] > 2 ? "rows.csv" : NULL;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)   /* a lone CR ends a line too */
        lines += text[i] == '\n' || (text[i] == '\r' && (i + 1 == len || text[i + 1] != '\n'));
    struct manifest m;
    manifest_parse(text, len, f, hint, &m);
    check(m.format == MANIFEST_CSV || m.format == MANIFEST_JSONL, "no format chosen");
    check(m.n_problems <= MANIFEST_MAX_PROBLEMS, "more problems than the cap");
    check(m.n_rows <= MANIFEST_MAX_ROWS, "more rows than the cap");
    for (size_t i = 0; i < m.n_problems; i++) {
        check(m.problems[i].line <= lines, "a problem past the last line");
        check(m.problems[i].message && m.problems[i].message[0], "an empty problem");
    }
    for (size_t i = 0; i < m.n_rows; i++) {
        const struct manifest_row *r = &m.rows[i];
        check(r->line >= 1 && r->line <= lines, "a row outside the text");
        check(i == 0 || r->line > m.rows[i - 1].line, "rows out of order");
        if (r->bad)
            continue;
        check(r->file && r->file[0], "a good row without a file");
        check(!!r->candidate + !!r->application + !!r->email == 1, "a good row without one target");
        check(valid(r->file) && valid(r->candidate) && valid(r->application) && valid(r->email) &&
              valid(r->name) && valid(r->content_type), "invalid UTF-8 kept");
        check(r->type == ATT_CV || r->type == ATT_COVER_LETTER || r->type == ATT_OTHER, "bad type");
    }
    manifest_free(&m);
    return 0;
}
