/* The manifest reader (manifest.h). CSV goes through libcsv in strict mode, fed a byte at
 * a time so each record knows the line it starts on (quoted fields may span lines); JSON
 * lines through cJSON, one object per line. Both end in the same row checks. */
#include "manifest.h"

#include <cjson/cJSON.h>
#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "utf8.h"
#include "xalloc.h"

enum col { COL_FILE, COL_CANDIDATE, COL_APPLICATION, COL_EMAIL, COL_TYPE, COL_NAME,
           COL_CONTENT_TYPE, COL_N, COL_UNKNOWN = -1 };
static const char *const col_names[COL_N] = { "file", "candidate", "application", "email",
                                              "type", "name", "content_type" };

static enum col col_parse(const char *s)
{
    for (int i = 0; i < COL_N; i++)
        if (!strcmp(s, col_names[i]))
            return (enum col)i;
    return COL_UNKNOWN;
}

static void problem(struct manifest *m, size_t line, const char *fmt, ...)
{
    if (m->n_problems >= MANIFEST_MAX_PROBLEMS) {
        m->more_problems++;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    m->problems = xrealloc(m->problems, (m->n_problems + 1) * sizeof *m->problems);
    m->problems[m->n_problems++] = (struct manifest_problem){ line, msg };
}

static char **row_field(struct manifest_row *r, enum col c)
{
    switch (c) {
    case COL_FILE: return &r->file;
    case COL_CANDIDATE: return &r->candidate;
    case COL_APPLICATION: return &r->application;
    case COL_EMAIL: return &r->email;
    case COL_TYPE: return &r->type_text;
    case COL_NAME: return &r->name;
    case COL_CONTENT_TYPE: return &r->content_type;
    default: return NULL;
    }
}

/* Printable, short, for quoting a value in a problem line. */
static void quote_into(char *out, size_t cap, const char *s, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 5 < cap; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 || ch == 0x7f || ch >= 0x80 || ch == '"')
            o += (size_t)snprintf(out + o, cap - o, "\\x%02x", ch);
        else
            out[o++] = (char)ch;
    }
    if (n && o + 5 >= cap && o + 4 <= cap)
        o += (size_t)snprintf(out + o, cap - o, "...");
    out[o < cap ? o : cap - 1] = '\0';
}

/* Set one field of a row: empty means absent; bytes must be UTF-8 without NULs. */
static void row_set(struct manifest *m, struct manifest_row *r, enum col c, const char *v,
                    size_t n)
{
    if (n == 0)
        return;
    char **dst = row_field(r, c);
    if (memchr(v, '\0', n) || !utf8_valid(v, n)) {
        problem(m, r->line, "%s is not valid UTF-8 text: save the manifest as UTF-8",
                col_names[c]);
        r->bad = true;
        return;
    }
    free(*dst);
    *dst = xstrndup(v, n);
}

/* The checks a row gets from its text alone. */
static void row_finish(struct manifest *m, struct manifest_row *r)
{
    int targets = !!r->candidate + !!r->application + !!r->email;
    if (!r->file) {
        problem(m, r->line, "no file: give the path of the file to send in the file column");
        r->bad = true;
    }
    if (targets == 0) {
        problem(m, r->line, "no target: give one of candidate, application or email");
        r->bad = true;
    } else if (targets > 1) {
        problem(m, r->line, "%d targets: give only one of candidate, application or email",
                targets);
        r->bad = true;
    }
    r->type = ATT_CV;
    if (r->type_text && att_type_parse(r->type_text, &r->type) != 0) {
        char q[80];
        quote_into(q, sizeof q, r->type_text, strlen(r->type_text));
        problem(m, r->line, "type \"%s\" is not one of CV, COVER_LETTER, OTHER", q);
        r->bad = true;
    }
    const char *why;
    if (r->name && (why = att_check_name(r->name)) != NULL) {
        problem(m, r->line, "name: %s", why);
        r->bad = true;
    }
    if (r->content_type && (why = att_check_content_type(r->content_type)) != NULL) {
        problem(m, r->line, "content_type: %s", why);
        r->bad = true;
    }
}

static struct manifest_row *row_new(struct manifest *m, size_t line)
{
    if (m->n_rows >= MANIFEST_MAX_ROWS) {
        if (m->n_rows == MANIFEST_MAX_ROWS)
            problem(m, line, "more than %d rows: split the manifest", MANIFEST_MAX_ROWS);
        m->n_rows++;    /* counted so the message comes once; never read */
        return NULL;
    }
    m->rows = xrealloc(m->rows, (m->n_rows + 1) * sizeof *m->rows);
    struct manifest_row *r = &m->rows[m->n_rows++];
    *r = (struct manifest_row){ .line = line };
    return r;
}

/* ---- CSV ------------------------------------------------------------------------- */

struct csv_state {
    struct manifest *m;
    size_t line, record_line;   /* current line; the line the current record began on */
    bool in_record;             /* a field of this record was seen */
    bool started;               /* a byte of this record was seen */
    bool header_done;
    enum col cols[64];
    size_t n_cols, field;
    bool header_bad;
    struct manifest_row *row;
};

static void csv_field(void *data, size_t n, void *cls)
{
    struct csv_state *s = cls;
    if (!s->in_record) {
        s->in_record = true;
        s->field = 0;
        if (s->header_done)
            s->row = row_new(s->m, s->record_line);
    }
    size_t i = s->field++;
    if (!s->header_done) {
        char *name = xstrndup(data ? data : "", n);
        enum col c = col_parse(name);
        char q[80];
        quote_into(q, sizeof q, name, strlen(name));
        if (i >= sizeof s->cols / sizeof s->cols[0]) {
            if (i == sizeof s->cols / sizeof s->cols[0])
                problem(s->m, s->record_line, "too many columns in the header (at most 64)");
            s->header_bad = true;
        } else if (c == COL_UNKNOWN) {
            problem(s->m, s->record_line, "unknown column \"%s\": the columns are file, "
                    "candidate, application, email, type, name, content_type", q);
            s->header_bad = true;
            s->cols[i] = c;
        } else {
            for (size_t k = 0; k < i; k++)
                if (s->cols[k] == c) {
                    problem(s->m, s->record_line, "column \"%s\" appears twice", q);
                    s->header_bad = true;
                }
            s->cols[i] = c;
        }
        if (i < sizeof s->cols / sizeof s->cols[0])
            s->n_cols = i + 1;
        free(name);
        return;
    }
    if (!s->row)
        return;
    if (i >= s->n_cols) {
        if (n)
            s->row->bad = true;
        if (n && i == s->n_cols)
            problem(s->m, s->row->line, "more fields than the header's %zu columns", s->n_cols);
        return;
    }
    if (s->cols[i] != COL_UNKNOWN)
        row_set(s->m, s->row, s->cols[i], data ? data : "", n);
}

static void csv_record(int c, void *cls)
{
    (void)c;
    struct csv_state *s = cls;
    s->started = false;
    if (!s->in_record)          /* libcsv may report a blank line as a record of no fields */
        return;
    s->in_record = false;
    if (!s->header_done) {
        s->header_done = true;
        bool has_file = false;
        for (size_t i = 0; i < s->n_cols && i < 64; i++)
            has_file |= s->cols[i] == COL_FILE;
        if (!has_file)
            problem(s->m, s->record_line, "the header has no \"file\" column: the first line "
                    "names the columns, e.g. file,candidate,type");
        return;
    }
    if (s->row && !s->header_bad)
        row_finish(s->m, s->row);
    s->row = NULL;
}

static void parse_csv(const char *text, size_t len, struct manifest *m)
{
    struct csv_parser p;
    struct csv_state s = { .m = m, .line = 1, .record_line = 1 };
    if (csv_init(&p, CSV_STRICT | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) != 0) {
        problem(m, 0, "out of memory reading the manifest");
        return;
    }
    bool broken = false;
    for (size_t i = 0; i < len && !broken; i++) {
        if (!s.started && text[i] != '\n' && text[i] != '\r') {
            s.started = true;
            s.record_line = s.line;
        }
        if (csv_parse(&p, text + i, 1, csv_field, csv_record, &s) != 1) {
            problem(m, s.line, "broken CSV: %s (a quote inside a quoted field is written "
                    "twice: \"\")", csv_strerror(csv_error(&p)));
            broken = true;
        }
        /* a lone CR ends a line too, as libcsv ends a record there */
        if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == len || text[i + 1] != '\n')))
            s.line++;
    }
    if (!broken && csv_fini(&p, csv_field, csv_record, &s) != 0)
        problem(m, s.line, "broken CSV at the end: %s (an unclosed quote?)",
                csv_strerror(csv_error(&p)));
    csv_free(&p);
    if (s.row)    /* the record the error cut off: never checked, never sent */
        s.row->bad = true;
    if (!s.header_done)
        problem(m, 0, "the manifest is empty: the first line names the columns, e.g. "
                "file,candidate,type");
    if (s.header_bad) {
        /* Rows were kept unchecked: their meaning depends on the header. */
        for (size_t i = 0; i < m->n_rows && i < MANIFEST_MAX_ROWS; i++)
            m->rows[i].bad = true;
    }
}

/* ---- JSON lines ------------------------------------------------------------------ */

static void parse_json_line(struct manifest *m, const char *t, size_t n, size_t line)
{
    const char *end = NULL;
    cJSON *o = cJSON_ParseWithLengthOpts(t, n, &end, 0);
    struct manifest_row *r = row_new(m, line);
    if (!r) {
        cJSON_Delete(o);
        return;
    }
    if (!o || !cJSON_IsObject(o)) {
        problem(m, line, "not a JSON object: each line holds one {\"file\": ..., "
                "\"candidate\": ...}");
        r->bad = true;
        cJSON_Delete(o);
        return;
    }
    for (const char *e = end; e && e < t + n; e++)
        if (*e != ' ' && *e != '\t' && *e != '\r') {
            problem(m, line, "text after the JSON object: one object per line");
            r->bad = true;
            break;
        }
    for (const cJSON *it = o->child; it; it = it->next) {
        char q[80];
        quote_into(q, sizeof q, it->string ? it->string : "", it->string ? strlen(it->string) : 0);
        enum col c = it->string ? col_parse(it->string) : COL_UNKNOWN;
        if (c == COL_UNKNOWN) {
            problem(m, line, "unknown key \"%s\": the keys are file, candidate, application, "
                    "email, type, name, content_type", q);
            r->bad = true;
        } else if (cJSON_IsNull(it)) {
            continue;
        } else if (!cJSON_IsString(it)) {
            problem(m, line, "%s must be a string", col_names[c]);
            r->bad = true;
        } else if (*row_field(r, c)) {
            problem(m, line, "key \"%s\" appears twice", q);
            r->bad = true;
        } else {
            row_set(m, r, c, it->valuestring, strlen(it->valuestring));
        }
    }
    cJSON_Delete(o);
    row_finish(m, r);
}

static void parse_jsonl(const char *text, size_t len, struct manifest *m)
{
    size_t line = 1;
    for (size_t i = 0; i < len; line++) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t n = nl ? (size_t)(nl - (text + i)) : len - i;
        size_t k = 0;
        while (k < n && (text[i + k] == ' ' || text[i + k] == '\t' || text[i + k] == '\r'))
            k++;
        if (k < n)
            parse_json_line(m, text + i, n, line);
        i += n + 1;
    }
    if (m->n_rows == 0 && m->n_problems == 0)
        problem(m, 0, "the manifest has no rows");
}

/* ---- public ---------------------------------------------------------------------- */

enum manifest_format manifest_format_for(const char *path)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    if (!dot || strchr(dot, '/'))
        return MANIFEST_AUTO;
    if (!strcasecmp(dot, ".csv"))
        return MANIFEST_CSV;
    if (!strcasecmp(dot, ".jsonl") || !strcasecmp(dot, ".ndjson") || !strcasecmp(dot, ".json"))
        return MANIFEST_JSONL;
    return MANIFEST_AUTO;
}

void manifest_parse(const char *text, size_t len, enum manifest_format format,
                    const char *hint, struct manifest *m)
{
    *m = (struct manifest){0};
    if (format == MANIFEST_AUTO)
        format = manifest_format_for(hint);
    if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3)) {   /* spreadsheets write a BOM */
        text += 3;
        len -= 3;
    }
    if (format == MANIFEST_AUTO) {
        size_t i = 0;
        while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
            i++;
        format = i < len && text[i] == '{' ? MANIFEST_JSONL : MANIFEST_CSV;
    }
    m->format = format;
    if (format == MANIFEST_JSONL)
        parse_jsonl(text, len, m);
    else
        parse_csv(text, len, m);
    if (m->n_rows > MANIFEST_MAX_ROWS)
        m->n_rows = MANIFEST_MAX_ROWS;
}

int manifest_load(const char *path, struct manifest *m, char *err, size_t errlen)
{
    *m = (struct manifest){0};
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f || fstat(fileno(f), &st) != 0) {
        snprintf(err, errlen, "cannot read the manifest %s: %s", path, strerror(errno));
        if (f)
            fclose(f);
        return -1;
    }
    if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > MANIFEST_MAX_BYTES) {
        snprintf(err, errlen, "the manifest %s is %s: give a CSV or JSON lines file of at most "
                 "16 MiB", path, S_ISREG(st.st_mode) ? "too big" : "not a regular file");
        fclose(f);
        return -1;
    }
    size_t n = (size_t)st.st_size;
    char *buf = xmalloc(n + 1);
    size_t got = fread(buf, 1, n, f);
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        snprintf(err, errlen, "cannot read the manifest %s", path);
        free(buf);
        return -1;
    }
    manifest_parse(buf, got, MANIFEST_AUTO, path, m);
    free(buf);
    return 0;
}

void manifest_free(struct manifest *m)
{
    for (size_t i = 0; i < m->n_rows; i++) {
        struct manifest_row *r = &m->rows[i];
        free(r->file);
        free(r->candidate);
        free(r->application);
        free(r->email);
        free(r->type_text);
        free(r->name);
        free(r->content_type);
    }
    free(m->rows);
    for (size_t i = 0; i < m->n_problems; i++)
        free(m->problems[i].message);
    free(m->problems);
    *m = (struct manifest){0};
}
