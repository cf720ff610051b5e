/* Upload history as JSON lines: appends are single write(2) calls on an O_APPEND descriptor
 * under flock, so concurrent runs never interleave lines; reading skips what doesn't parse. */
#include "history.h"

#include "fsutil.h"
#include "xalloc.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

char *history_path(void)
{
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    if (state && state[0] == '/')
        return xasprintf("%s/kombo-attach/history.jsonl", state);
    if (home && home[0])
        return xasprintf("%s/.local/state/kombo-attach/history.jsonl", home);
    return NULL;
}

/* mkdir -p for the folder that holds path, private to the user. */
static int make_parents(const char *path)
{
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    int rc = 0;
    if (slash && slash != dir) {
        *slash = '\0';
        rc = fs_mkdir_p(dir, 0700);
    }
    int saved = errno;
    free(dir);
    errno = saved;
    return rc;
}

static void add_str(cJSON *o, const char *k, const char *v)
{
    if (v)
        cJSON_AddStringToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

/* Every field of a line, in the line's order: written, read and freed from this one list. */
enum field_kind { F_TIME, F_STR, F_SIZE, F_INT, F_STRS, F_BOOL };
static const struct field {
    const char *key;
    enum field_kind kind;
    size_t offset;
} fields[] = {
    { "time", F_TIME, offsetof(struct history_entry, time) },
    { "path", F_STR, offsetof(struct history_entry, path) },
    { "size", F_SIZE, offsetof(struct history_entry, size) },
    { "sha256", F_STR, offsetof(struct history_entry, sha256) },
    { "candidate", F_STR, offsetof(struct history_entry, candidate) },
    { "type", F_STR, offsetof(struct history_entry, type) },
    { "name", F_STR, offsetof(struct history_entry, name) },
    { "content_type", F_STR, offsetof(struct history_entry, content_type) },
    { "server", F_STR, offsetof(struct history_entry, server) },
    { "integration", F_STR, offsetof(struct history_entry, integration) },
    { "sandbox", F_BOOL, offsetof(struct history_entry, sandbox) },
    { "candidate_name", F_STR, offsetof(struct history_entry, candidate_name) },
    { "application", F_STR, offsetof(struct history_entry, application) },
    { "job", F_STR, offsetof(struct history_entry, job) },
    { "outcome", F_STR, offsetof(struct history_entry, outcome) },
    { "http_status", F_INT, offsetof(struct history_entry, http_status) },
    { "attempts", F_INT, offsetof(struct history_entry, attempts) },
    { "warnings", F_STRS, offsetof(struct history_entry, warnings) }, /* n_warnings of them */
    { "error_code", F_STR, offsetof(struct history_entry, error_code) },
    { "error_message", F_STR, offsetof(struct history_entry, error_message) },
    { "log_url", F_STR, offsetof(struct history_entry, log_url) },
};
#define FIELD(e, f, type) ((type *)((char *)(e) + (f)->offset))
#define CFIELD(e, f, type) ((const type *)((const char *)(e) + (f)->offset))

char *history_entry_json(const struct history_entry *e)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        xalloc_fatal("cJSON_CreateObject");
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const struct field *f = &fields[i];
        switch (f->kind) {
        case F_TIME: {
            char when[32];
            struct tm tm = { 0 };
            gmtime_r(CFIELD(e, f, time_t), &tm);
            strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
            cJSON_AddStringToObject(o, f->key, when);
            break;
        }
        case F_STR:
            add_str(o, f->key, *CFIELD(e, f, char *));
            break;
        case F_SIZE:
            cJSON_AddNumberToObject(o, f->key, (double)*CFIELD(e, f, uint64_t));
            break;
        case F_INT:
            cJSON_AddNumberToObject(o, f->key, *CFIELD(e, f, int));
            break;
        case F_BOOL:
            cJSON_AddBoolToObject(o, f->key, *CFIELD(e, f, bool));
            break;
        case F_STRS: {
            cJSON *w = cJSON_AddArrayToObject(o, f->key);
            for (size_t k = 0; k < e->n_warnings; k++)
                cJSON_AddItemToArray(w, cJSON_CreateString(e->warnings[k]));
            break;
        }
        }
    }
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!s)
        xalloc_fatal("cJSON_PrintUnformatted");
    return s;
}

int history_append(const struct history_entry *e, char *err, size_t errlen)
{
    char *path = history_path();
    if (!path) {
        snprintf(err, errlen, "no history folder: set HOME or XDG_STATE_HOME");
        return -1;
    }
    int rc = -1;
    char *line = history_entry_json(e);
    int fd = -1;
    if (make_parents(path) != 0) {
        snprintf(err, errlen, "cannot create the folder for %s: %s", path, strerror(errno));
        goto out;
    }
    fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        goto out;
    }
    size_t len = strlen(line);
    line[len] = '\n'; /* replaces the NUL: one write holds the whole line */
    flock(fd, LOCK_EX);
    ssize_t w = write(fd, line, len + 1);
    flock(fd, LOCK_UN);
    if (w != (ssize_t)(len + 1)) {
        snprintf(err, errlen, "cannot write %s: %s", path, w < 0 ? strerror(errno) : "short write");
        goto out;
    }
    rc = 0;
out:
    if (fd >= 0)
        close(fd);
    free(line);
    free(path);
    return rc;
}

static void entry_free(struct history_entry *e)
{
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (fields[i].kind == F_STR)
            free(*FIELD(e, &fields[i], char *));
    for (size_t i = 0; i < e->n_warnings; i++)
        free(e->warnings[i]);
    free(e->warnings);
}

/* "2024-05-01T10:00:00Z" as written by history_entry_json; 0, or -1 when it is not such a
 * time or not one that can be written back the same way (years 1 to 9999, once a leap
 * second or a 31st of June has been carried over). */
static int parse_time(const char *s, time_t *out)
{
    struct tm tm = { 0 }, back;
    if (!strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm))
        return -1;
    *out = timegm(&tm);
    if (!gmtime_r(out, &back) || back.tm_year < 1 - 1900 || back.tm_year > 9999 - 1900)
        return -1;
    return 0;
}

/* Parse one line; 0 when it is a history object with at least a time and an outcome. */
static int parse_line(const char *line, struct history_entry *e)
{
    memset(e, 0, sizeof *e);
    cJSON *o = cJSON_Parse(line);
    const cJSON *oc = cJSON_GetObjectItemCaseSensitive(o, "outcome");
    if (!cJSON_IsObject(o) || !cJSON_IsString(oc)) {
        cJSON_Delete(o);
        return -1;
    }
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const struct field *f = &fields[i];
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, f->key);
        switch (f->kind) {
        case F_TIME:
            if (!cJSON_IsString(v) || parse_time(v->valuestring, FIELD(e, f, time_t)) != 0) {
                cJSON_Delete(o);
                entry_free(e);
                return -1;
            }
            break;
        case F_STR:
            *FIELD(e, f, char *) = cJSON_IsString(v) ? xstrdup(v->valuestring) : NULL;
            break;
        case F_SIZE:
            /* Only sizes a uint64_t holds convert (2^64 does not): 1e300 would be undefined. */
            *FIELD(e, f, uint64_t) = cJSON_IsNumber(v) && v->valuedouble > 0 &&
                                             v->valuedouble < 18446744073709551616.0
                                         ? (uint64_t)v->valuedouble : 0;
            break;
        case F_INT:
            *FIELD(e, f, int) = cJSON_IsNumber(v) ? v->valueint : 0; /* cJSON clamps */
            break;
        case F_BOOL:
            *FIELD(e, f, bool) = cJSON_IsTrue(v);
            break;
        case F_STRS: {
            int n = cJSON_IsArray(v) ? cJSON_GetArraySize(v) : 0;
            if (n <= 0)
                break;
            e->warnings = xcalloc((size_t)n, sizeof *e->warnings);
            const cJSON *it;
            cJSON_ArrayForEach(it, v)
                if (cJSON_IsString(it))
                    e->warnings[e->n_warnings++] = xstrdup(it->valuestring);
            break;
        }
        }
    }
    cJSON_Delete(o);
    return 0;
}

void history_entries_free(struct history_entry *e, size_t n)
{
    for (size_t i = 0; i < n; i++)
        entry_free(&e[i]);
    free(e);
}

/* The hex SHA-256 of a line as history_append writes it ("sha256":"<64 hex>"), in out;
 * false unless that is surely the value the parser would take: the key exactly once, in
 * that form, and no \u escape anywhere (one could spell a second "sha256" key, and the
 * parser takes the first). Any other line is parsed whole, so nothing is missed. */
static bool quick_sha(const char *line, char out[65])
{
    static const char key[] = "\"sha256\"";
    const char *p = strstr(line, key);
    if (!p || strstr(p + 1, key) || strstr(line, "\\u"))
        return false;
    p += sizeof key - 1;
    if (p[0] != ':' || p[1] != '"')
        return false;
    p += 2;
    for (int i = 0; i < 64; i++) {
        if (!isxdigit((unsigned char)p[i]))
            return false;
        out[i] = p[i];
    }
    out[64] = '\0';
    return p[64] == '"';
}

/* Every entry of the file in order, to fn (which takes the entry over: it frees it or keeps
 * it); corrupt lines counted in *skipped. 0, or -1 with err. No file yet is no entry. With
 * want, a line whose SHA-256 it declines is skipped unparsed (a long history is mostly
 * other files: parsing each line would cost more than the rest of a run's start). */
static int scan_some(void (*fn)(struct history_entry *e, void *ctx), void *ctx,
                     bool (*want)(const char *sha256, void *ctx), size_t *skipped,
                     char *err, size_t errlen)
{
    char *path = history_path();
    FILE *f = path ? fopen(path, "r") : NULL;
    if (!f) {
        int e = errno;
        if (path && e != ENOENT) {
            snprintf(err, errlen, "cannot read %s: %s", path, strerror(e));
            free(path);
            return -1;
        }
        free(path);
        return 0;
    }
    free(path);
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) >= 0) {
        struct history_entry e;
        char sha[65];
        if (want && quick_sha(line, sha) && !want(sha, ctx))
            continue;
        if (parse_line(line, &e) != 0) {
            if (skipped && line[0] != '\n')
                (*skipped)++;
            continue;
        }
        fn(&e, ctx);
    }
    free(line);
    fclose(f);
    return 0;
}

static int scan(void (*fn)(struct history_entry *e, void *ctx), void *ctx, size_t *skipped,
                char *err, size_t errlen)
{
    return scan_some(fn, ctx, NULL, skipped, err, errlen);
}

/* A ring of the last `max` entries: memory stays bounded however long the file is. */
struct ring {
    struct history_entry *e;
    size_t max, count, head;
};

static void ring_add(struct history_entry *e, void *ctx)
{
    struct ring *r = ctx;
    if (r->count == r->max)
        entry_free(&r->e[r->head]);
    else
        r->count++;
    r->e[r->head] = *e;
    r->head = (r->head + 1) % r->max;
}

int history_read(size_t max, struct history_entry **out, size_t *n, size_t *skipped,
                 char *err, size_t errlen)
{
    *out = NULL;
    *n = 0;
    if (skipped)
        *skipped = 0;
    if (max == 0)
        return 0;
    struct ring r = {.e = xcalloc(max, sizeof *r.e), .max = max};
    if (scan(ring_add, &r, skipped, err, errlen) != 0) {
        free(r.e);
        return -1;
    }
    struct history_entry *res = xcalloc(r.count ? r.count : 1, sizeof *res);
    size_t start = r.count == max ? r.head : 0;
    for (size_t i = 0; i < r.count; i++)
        res[i] = r.e[(start + i) % max];
    free(r.e);
    *out = res;
    *n = r.count;
    return 0;
}

void history_entry_free(struct history_entry *e)
{
    entry_free(e);
}

struct borrow {
    void (*fn)(const struct history_entry *e, void *ctx);
    void *ctx;
};

static void borrow_one(struct history_entry *e, void *ctx)
{
    struct borrow *b = ctx;
    b->fn(e, b->ctx);
    entry_free(e);
}

int history_scan(void (*fn)(const struct history_entry *e, void *ctx), void *ctx, char *err,
                 size_t errlen)
{
    struct borrow b = { fn, ctx };
    return scan(borrow_one, &b, NULL, err, errlen);
}

struct borrow_some {
    struct borrow b;
    bool (*want)(const char *sha256, void *ctx);
};

static bool borrow_want(const char *sha256, void *ctx)
{
    struct borrow_some *bs = ctx;
    return bs->want(sha256, bs->b.ctx);
}

static void borrow_some_one(struct history_entry *e, void *ctx)
{
    borrow_one(e, &((struct borrow_some *)ctx)->b);
}

int history_scan_sha(bool (*want)(const char *sha256, void *ctx),
                     void (*fn)(const struct history_entry *e, void *ctx), void *ctx, char *err,
                     size_t errlen)
{
    struct borrow_some bs = { { fn, ctx }, want };
    return scan_some(borrow_some_one, &bs, borrow_want, NULL, err, errlen);
}

struct find {
    const char *sha256, *server, *integration, *candidate;
    struct history_entry found;
    bool have;
};

static bool same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static bool find_wants(const char *sha256, void *ctx)
{
    return strcasecmp(sha256, ((struct find *)ctx)->sha256) == 0;
}

static void find_add(struct history_entry *e, void *ctx)
{
    struct find *f = ctx;
    if (same(e->outcome, "ok") && same(e->sha256, f->sha256) && same(e->candidate, f->candidate) &&
        same(e->integration, f->integration) && (!f->server || same(e->server, f->server))) {
        if (f->have)
            entry_free(&f->found);
        f->found = *e;
        f->have = true;
        return;
    }
    entry_free(e);
}

struct may {
    uint64_t size;
    const char *server, *integration, *candidate;
    bool found;
};

static void may_add(struct history_entry *e, void *ctx)
{
    struct may *m = ctx;
    if (!m->found && e->size == m->size && same(e->outcome, "ok") &&
        same(e->candidate, m->candidate) && same(e->integration, m->integration) &&
        (!m->server || same(e->server, m->server)))
        m->found = true;
    entry_free(e);
}

bool history_may_have(uint64_t size, const char *server, const char *integration_id,
                      const char *candidate)
{
    struct may m = {.size = size, .server = server, .integration = integration_id,
                    .candidate = candidate};
    char err[256];
    /* unreadable history: assume it may, so the check still runs and reports */
    if (scan(may_add, &m, NULL, err, sizeof err) != 0)
        return true;
    return m.found;
}

int history_find_success(const char *sha256, const char *server, const char *integration_id,
                         const char *candidate, struct history_entry *out, char *err,
                         size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (!sha256 || !candidate)
        return 0;
    struct find f = {.sha256 = sha256, .server = server, .integration = integration_id,
                     .candidate = candidate};
    if (scan_some(find_add, &f, find_wants, NULL, err, errlen) != 0)
        return -1;
    if (!f.have)
        return 0;
    *out = f.found;
    return 1;
}

struct history_entry *history_recent_candidates_for(const char *integration_id, size_t max,
                                                    size_t *n)
{
    *n = 0;
    struct history_entry *e;
    size_t count;
    char err[256];
    if (max == 0 || history_read(500, &e, &count, NULL, err, sizeof err) != 0)
        return NULL;
    struct history_entry *out = xcalloc(max, sizeof *out);
    for (size_t i = count; i-- > 0;) {
        if (!e[i].candidate || !e[i].candidate[0])
            continue;
        if (integration_id && !same(e[i].integration, integration_id))
            continue;
        size_t j = 0;
        while (j < *n && strcmp(out[j].candidate, e[i].candidate) != 0)
            j++;
        if (j < *n) {
            /* an older line may know the name the newest does not */
            if (!out[j].candidate_name && e[i].candidate_name)
                out[j].candidate_name = xstrdup(e[i].candidate_name);
            continue;
        }
        if (*n == max)
            continue;
        out[(*n)++] = e[i];
        memset(&e[i], 0, sizeof e[i]); /* moved */
    }
    history_entries_free(e, count);
    return out;
}
