/* Upload history as JSON lines: appends are single write(2) calls on an O_APPEND descriptor
 * under flock, so concurrent runs never interleave lines; reading skips what doesn't parse. */
#include "history.h"

#include "attachment.h"
#include "fsutil.h"
#include "upload.h"
#include "xalloc.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

char *history_entry_json(const struct history_entry *e)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        xalloc_fatal("cJSON_CreateObject");
    char when[32];
    struct tm tm;
    gmtime_r(&e->time, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    cJSON_AddStringToObject(o, "time", when);
    add_str(o, "path", e->path);
    cJSON_AddNumberToObject(o, "size", (double)e->size);
    add_str(o, "sha256", e->sha256);
    add_str(o, "candidate", e->candidate);
    add_str(o, "type", e->type);
    add_str(o, "name", e->name);
    add_str(o, "content_type", e->content_type);
    add_str(o, "server", e->server);
    add_str(o, "outcome", e->outcome);
    cJSON_AddNumberToObject(o, "http_status", e->http_status);
    cJSON_AddNumberToObject(o, "attempts", e->attempts);
    cJSON *w = cJSON_AddArrayToObject(o, "warnings");
    for (size_t i = 0; i < e->n_warnings; i++)
        cJSON_AddItemToArray(w, cJSON_CreateString(e->warnings[i]));
    add_str(o, "error_code", e->error_code);
    add_str(o, "error_message", e->error_message);
    add_str(o, "log_url", e->log_url);
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

static char *dup_str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? xstrdup(v->valuestring) : NULL;
}

static int num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valueint : 0;
}

/* Parse one line; 0 when it is a history object with at least a time and an outcome. */
static int parse_line(const char *line, struct history_entry *e)
{
    memset(e, 0, sizeof *e);
    cJSON *o = cJSON_Parse(line);
    if (!cJSON_IsObject(o)) {
        cJSON_Delete(o);
        return -1;
    }
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "time");
    const cJSON *oc = cJSON_GetObjectItemCaseSensitive(o, "outcome");
    struct tm tm = { 0 };
    if (!cJSON_IsString(t) || !cJSON_IsString(oc) ||
        !strptime(t->valuestring, "%Y-%m-%dT%H:%M:%SZ", &tm)) {
        cJSON_Delete(o);
        return -1;
    }
    e->time = timegm(&tm);
    e->path = dup_str(o, "path");
    const cJSON *sz = cJSON_GetObjectItemCaseSensitive(o, "size");
    e->size = cJSON_IsNumber(sz) && sz->valuedouble > 0 ? (uint64_t)sz->valuedouble : 0;
    e->sha256 = dup_str(o, "sha256");
    e->candidate = dup_str(o, "candidate");
    e->type = dup_str(o, "type");
    e->name = dup_str(o, "name");
    e->content_type = dup_str(o, "content_type");
    e->server = dup_str(o, "server");
    e->outcome = dup_str(o, "outcome");
    e->http_status = num(o, "http_status");
    e->attempts = num(o, "attempts");
    e->error_code = dup_str(o, "error_code");
    e->error_message = dup_str(o, "error_message");
    e->log_url = dup_str(o, "log_url");
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(o, "warnings");
    int nw = cJSON_IsArray(w) ? cJSON_GetArraySize(w) : 0;
    if (nw > 0) {
        e->warnings = xcalloc((size_t)nw, sizeof *e->warnings);
        const cJSON *it;
        cJSON_ArrayForEach(it, w)
            if (cJSON_IsString(it))
                e->warnings[e->n_warnings++] = xstrdup(it->valuestring);
    }
    cJSON_Delete(o);
    return 0;
}

static void entry_free(struct history_entry *e)
{
    free(e->path); free(e->sha256); free(e->candidate); free(e->type); free(e->name);
    free(e->content_type); free(e->server); free(e->outcome); free(e->error_code);
    free(e->error_message); free(e->log_url);
    for (size_t i = 0; i < e->n_warnings; i++)
        free(e->warnings[i]);
    free(e->warnings);
}

void history_entries_free(struct history_entry *e, size_t n)
{
    for (size_t i = 0; i < n; i++)
        entry_free(&e[i]);
    free(e);
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
    /* A ring of the last `max` entries: memory stays bounded however long the file is. */
    struct history_entry *ring = xcalloc(max, sizeof *ring);
    size_t count = 0, head = 0;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) >= 0) {
        struct history_entry e;
        if (parse_line(line, &e) != 0) {
            if (skipped && line[0] != '\n')
                (*skipped)++;
            continue;
        }
        if (count == max)
            entry_free(&ring[head]);
        else
            count++;
        ring[head] = e;
        head = (head + 1) % max;
    }
    free(line);
    fclose(f);
    struct history_entry *res = xcalloc(count ? count : 1, sizeof *res);
    size_t start = count == max ? head : 0;
    for (size_t i = 0; i < count; i++)
        res[i] = ring[(start + i) % max];
    free(ring);
    *out = res;
    *n = count;
    return 0;
}

char **history_recent_candidates(size_t max, size_t *n)
{
    *n = 0;
    struct history_entry *e;
    size_t count;
    char err[256];
    if (max == 0 || history_read(500, &e, &count, NULL, err, sizeof err) != 0)
        return NULL;
    char **ids = xcalloc(max, sizeof *ids);
    for (size_t i = count; i-- > 0 && *n < max;) {
        if (!e[i].candidate || !e[i].candidate[0])
            continue;
        size_t j = 0;
        while (j < *n && strcmp(ids[j], e[i].candidate) != 0)
            j++;
        if (j == *n)
            ids[(*n)++] = xstrdup(e[i].candidate);
    }
    history_entries_free(e, count);
    return ids;
}

int history_record(const struct upload_request *req, const struct upload *u, char *err,
                   size_t errlen)
{
    const struct upload_result *res = upload_get_result(u);
    const struct attachment *att = req->att;
    const struct answer *an = &res->answer;
    char sha[65];
    bool have_sha = upload_sha256_hex(u, sha);
    /* An absolute path: the history is read later, from anywhere. */
    char *abs = realpath(att->path, NULL);
    struct history_entry e = {
        .time = time(NULL),
        .path = abs ? abs : att->path,
        .size = att->size,
        .sha256 = have_sha ? sha : NULL,
        .candidate = (char *)req->candidate_id,
        .type = (char *)att_type_name(att->type),
        .name = att->name,
        .content_type = att->content_type,
        .server = (char *)req->base_url,
        .outcome = (char *)upload_outcome_name(res->outcome),
        .http_status = (int)an->http_status,
        .attempts = res->attempts,
        .warnings = an->warnings,
        .n_warnings = an->n_warnings,
        .error_code = an->ok ? NULL : an->err.code,
        .error_message = res->outcome == UPLOAD_OK ? NULL : (char *)res->message,
        .log_url = an->ok ? NULL : an->err.log_url,
    };
    int rc = history_append(&e, err, errlen);
    free(abs);
    return rc;
}
