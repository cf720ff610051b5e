/* An upload: its body spooled to a temp file in the inbox (never RAM), then checked
 * against the contract in one pass over the mapped spool (mock_json.c finds
 * attachment.data, which is decoded in chunks into a .partial file; the rest goes through
 * cJSON), and only when all of it is valid renamed into place (inbox.c). Temp files are
 * dot-files named .mock-*, removed when the request ends however it ends. */
#include "mock_priv.h"

#include "inbox.h"
#include "json_util.h"
#include "kombo.h"
#include "mock_json.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

static int open_temp(struct mock *m, const char *suffix, char **path)
{
    *path = xasprintf("%s/.mock-XXXXXX%s", m->inbox, suffix);
    int fd = mkostemps(*path, (int)strlen(suffix), O_CLOEXEC);
    if (fd < 0) {
        free(*path);
        *path = NULL;
    }
    return fd;
}

/* Real Kombo IDs, so clients that check the shape accept them; a scrambled counter keeps
 * them unique without looking sequential. */
static void make_id(struct mock *m, char out[KOMBO_ID_LEN + 1])
{
    static const char b58[] = KOMBO_BASE58;
    uint64_t x = m->id_state += 0x9E3779B97F4A7C15ULL;
    for (int i = 0; i < KOMBO_ID_LEN; i++) {
        x ^= x >> 12; x ^= x << 25; x ^= x >> 27;
        out[i] = b58[(x * 0x2545F4914F6CDD1DULL >> 32) % (sizeof b58 - 1)];
    }
    out[KOMBO_ID_LEN] = '\0';
}

void mock_upload_begin(struct mock *m, struct req *r)
{
    r->spool_fd = open_temp(m, ".spool", &r->spool_path);
    if (r->spool_fd < 0)
        mock_respond_later(r, 500, "PLATFORM.UNKNOWN_ERROR", "mock: cannot create a file in %s: %s",
                           m->inbox, strerror(errno));
}

void mock_upload_drop_spool(struct req *r)
{
    if (r->spool_fd >= 0)
        close(r->spool_fd);
    r->spool_fd = -1;
    if (r->spool_path)
        unlink(r->spool_path);
    free(r->spool_path);
    r->spool_path = NULL;
}

void mock_upload_spool(struct req *r, const char *data, size_t n)
{
    while (r->spool_fd >= 0 && n > 0) {
        ssize_t w = write(r->spool_fd, data, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int e = w < 0 ? errno : ENOSPC;
            mock_upload_drop_spool(r);
            mock_respond_later(r, 500, "PLATFORM.UNKNOWN_ERROR", "mock: cannot spool the body: %s",
                               strerror(e));
            return;
        }
        data += w;
        n -= (size_t)w;
    }
}

struct fields {
    const char *name, *type, *content_type, *data_url;
    bool has_data;
};

/* The contract's checks on the parsed body (data replaced by ""). NULL when fine,
 * else msg filled. */
static const char *check_fields(const cJSON *root, bool data_is_string, struct fields *f,
                                char *msg, size_t len)
{
    memset(f, 0, sizeof *f);
#define BAD(...) (snprintf(msg, len, __VA_ARGS__), msg)
    if (!cJSON_IsObject(root))
        return BAD("the request body must be a JSON object, not %s", json_kind(root));
    const cJSON *att = cJSON_GetObjectItemCaseSensitive(root, "attachment");
    if (!att)
        return BAD("attachment is required: {\"attachment\":{\"name\":...,\"type\":...,"
                   "\"content_type\":...,\"data\":...}}");
    if (!cJSON_IsObject(att))
        return BAD("attachment must be an object, not %s", json_kind(att));

    const cJSON *name = cJSON_GetObjectItemCaseSensitive(att, "name");
    if (!name)
        return BAD("attachment.name is required");
    if (!cJSON_IsString(name))
        return BAD("attachment.name must be a string, not %s", json_kind(name));
    if (!*name->valuestring)
        return BAD("attachment.name must not be empty");
    f->name = name->valuestring;

    const cJSON *type = cJSON_GetObjectItemCaseSensitive(att, "type");
    if (!type)
        return BAD("attachment.type is required: one of CV, COVER_LETTER, OTHER");
    if (!cJSON_IsString(type))
        return BAD("attachment.type must be a string, not %s", json_kind(type));
    if (strcmp(type->valuestring, "CV") && strcmp(type->valuestring, "COVER_LETTER") &&
        strcmp(type->valuestring, "OTHER"))
        return BAD("attachment.type \"%.40s\" is unknown: use CV, COVER_LETTER or OTHER",
                   type->valuestring);
    f->type = type->valuestring;

    const cJSON *data = cJSON_GetObjectItemCaseSensitive(att, "data");
    const cJSON *url = cJSON_GetObjectItemCaseSensitive(att, "data_url");
    if (data && url)
        return BAD("attachment.data and attachment.data_url are both set: send exactly one");
    if (!data && !url)
        return BAD("attachment.data or attachment.data_url is required (exactly one)");
    if (data && (!data_is_string || !cJSON_IsString(data)))
        return BAD("attachment.data must be a base64 string, not %s", json_kind(data));
    f->has_data = data != NULL;

    const cJSON *ct = cJSON_GetObjectItemCaseSensitive(att, "content_type");
    if (ct && !cJSON_IsString(ct))
        return BAD("attachment.content_type must be a string, not %s", json_kind(ct));
    if (data && !ct)
        return BAD("attachment.content_type is required when attachment.data is sent");
    if (ct && !*ct->valuestring)
        return BAD("attachment.content_type must not be empty");
    f->content_type = ct ? ct->valuestring : NULL;

    if (url) {
        if (!cJSON_IsString(url))
            return BAD("attachment.data_url must be a string, not %s", json_kind(url));
        if (strncmp(url->valuestring, "http://", 7) && strncmp(url->valuestring, "https://", 8))
            return BAD("attachment.data_url must be an http:// or https:// URL");
        f->data_url = url->valuestring;
    }

    const cJSON *rf = cJSON_GetObjectItemCaseSensitive(root, "remote_fields");
    if (rf && !cJSON_IsObject(rf))
        return BAD("remote_fields must be an object, not %s", json_kind(rf));
#undef BAD
    return NULL;
}

static void warn(cJSON *warnings, const char *fmt, ...)
{
    va_list ap;
    char buf[512];
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    cJSON *w = cJSON_CreateObject();
    cJSON_AddStringToObject(w, "message", buf);
    cJSON_AddItemToArray(warnings, w);
}

static void content_type_warnings(cJSON *warnings, const char *ct)
{
    size_t bare = strcspn(ct, ";");
    if (ct[bare])
        warn(warnings, "attachment.content_type \"%.100s\" has parameters; send a bare "
             "type/subtype such as \"%.*s\"", ct, (int)(bare > 100 ? 100 : bare), ct);
    char *t = xstrndup(ct, bare);
    size_t e = strlen(t);
    while (e > 0 && t[e - 1] == ' ')
        t[--e] = '\0';
    if (!strcasecmp(t, "application/octet-stream") || !strcasecmp(t, "binary/octet-stream"))
        warn(warnings, "attachment.content_type is the generic %s: send the file's real MIME "
             "type so the ATS can show it", t);
    else if (!strchr(t, '/'))
        warn(warnings, "attachment.content_type \"%.100s\" is not a type/subtype", t);
    free(t);
}

static enum MHD_Result store(struct mock *m, struct req *r, struct MHD_Connection *c,
                             const struct fields *f, cJSON *warnings)
{
    char integ[INBOX_COMPONENT_MAX + 1], cand[INBOX_COMPONENT_MAX + 1], name[INBOX_COMPONENT_MAX + 1];
    char dir[PATH_MAX], final[PATH_MAX];
    /* Through an application the file lands with its candidate, as in Kombo. */
    const char *seeded = r->application ? mock_read_application_owner(m, r->id, r->id_len) : NULL;
    const char *owner = seeded ? seeded : r->id;
    size_t owner_len = seeded ? strlen(seeded) : r->id_len;

    inbox_safe_component(r->integration, strlen(r->integration), integ, sizeof integ);
    inbox_safe_component(owner, owner_len, cand, sizeof cand);
    inbox_safe_component(f->name, strlen(f->name), name, sizeof name);
    if (strcmp(name, f->name))
        warn(warnings, "mock: the file name was made safe for the disk: \"%s\"", name);

    if (f->has_data) {
        int dfd = inbox_make_dir(m->inbox, integ, cand, dir, sizeof dir);
        int placed = dfd < 0 ? -1 : inbox_place(r->partial_path, dfd, dir, name, final, sizeof final);
        int e = errno;
        if (dfd >= 0)
            close(dfd);
        if (placed < 0 && e == EEXIST) {
            cJSON_Delete(warnings);
            return mock_respond_error(m, r, c, 409, "PLATFORM.INPUT_INVALID",
                                      "this candidate already has 1000 files named like this one "
                                      "in the mock: send it under another name", NULL);
        }
        if (placed < 0) {
            char msg[PATH_MAX + 100];
            snprintf(msg, sizeof msg, "mock: cannot store the file in %s: %s", m->inbox,
                     e == ELOOP || e == ENOTDIR ? "a symlink (or a file) where a folder of the inbox "
                     "should be was refused" : strerror(e));
            cJSON_Delete(warnings);
            return mock_respond_error(m, r, c, 500, "PLATFORM.UNKNOWN_ERROR", msg, NULL);
        }
        free(r->partial_path);
        r->partial_path = NULL;
        r->stored_path = xstrdup(final);
    } else {
        warn(warnings, "mock: data_url is not downloaded; nothing was stored");
    }

    struct mock_stored *s = xcalloc(1, sizeof *s);
    s->integration = xstrdup(r->integration);
    s->candidate = xmalloc(owner_len + 1);
    memcpy(s->candidate, owner, owner_len);
    s->candidate[owner_len] = '\0';
    s->candidate_len = owner_len;
    s->application = r->application ? xstrdup(r->id) : NULL;
    s->file_name = xstrdup(f->name);
    s->content_type = mock_dup_opt(f->content_type);
    s->type = xstrdup(f->type);
    s->data_url = mock_dup_opt(f->data_url);
    s->path = mock_dup_opt(r->stored_path);
    s->created = time(NULL);
    pthread_mutex_lock(&m->mu);
    make_id(m, s->id);
    mock_files_add_locked(m, s);    /* listed, with a data_url, and bounded */
    if (f->has_data)
        m->stored_n++;
    pthread_mutex_unlock(&m->mu);

    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "status", "success");
    cJSON_AddObjectToObject(root, "data");
    cJSON_AddItemToObject(root, "warnings", warnings);
    const char *hdrs[] = { "X-Mock-Stored-Path", r->stored_path, NULL };
    return mock_respond_json(m, r, c, 200, root, r->stored_path ? hdrs : NULL);
}

/* What an upload's body came to, worked out when it arrived (the costly part: parsing,
 * checks, decoding into a .partial file) and acted on when its answer is due. */
struct mock_upload_prep {
    bool failed;
    int status;
    const char *code;
    char msg[700];
    cJSON *root;                 /* the body without its data; f points into it */
    cJSON *warnings;
    struct fields f;
};

void mock_upload_free_prep(struct req *r)
{
    struct mock_upload_prep *p = r->prep;
    if (!p)
        return;
    cJSON_Delete(p->root);
    cJSON_Delete(p->warnings);
    free(p);
    r->prep = NULL;
}

void mock_upload_prepare(struct mock *m, struct req *r)
{
    if (r->prep)
        return;
    struct mock_upload_prep *pr = xcalloc(1, sizeof *pr);
    r->prep = pr;
    char *msg = pr->msg, why[400];
    size_t msgsz = sizeof pr->msg;
    size_t n = (size_t)r->received;
    unsigned char *map = NULL;
    char *rest = NULL;
    cJSON *root = NULL, *warnings = NULL;
    int status = 400;
    const char *code = "PLATFORM.INPUT_INVALID";

    if (r->have_cl && r->received != r->content_length) {
        snprintf(msg, msgsz, "the body has %llu bytes, not the %llu of its Content-Length",
                 (unsigned long long)r->received, (unsigned long long)r->content_length);
        goto fail;
    }
    if (n == 0) {
        snprintf(msg, msgsz, "the request body is empty: expected a JSON object");
        goto fail;
    }
    map = mmap(NULL, n, PROT_READ, MAP_PRIVATE, r->spool_fd, 0);
    if (map == MAP_FAILED) {
        map = NULL;
        status = 500;
        code = "PLATFORM.UNKNOWN_ERROR";
        snprintf(msg, msgsz, "mock: cannot map the spooled body: %s", strerror(errno));
        goto fail;
    }
    struct mj_span sp;
    if (mj_find_data(map, n, true, &sp, why, sizeof why) < 0) {
        snprintf(msg, msgsz, "the request body is not valid JSON: %s", why);
        goto fail;
    }
    size_t dl = sp.found ? sp.end - sp.start : 0, rl = n - dl;
    if (rl > MOCK_REST_MAX) {
        status = 413;
        snprintf(msg, msgsz, "the JSON besides attachment.data is %zu bytes; the mock "
                 "accepts at most %u", rl, MOCK_REST_MAX);
        goto fail;
    }
    rest = xmalloc(rl + 1);
    if (sp.found) {
        memcpy(rest, map, sp.start);
        memcpy(rest + sp.start, map + sp.end, n - sp.end);
    } else {
        memcpy(rest, map, n);
    }
    rest[rl] = '\0';
    const char *end = NULL;
    root = cJSON_ParseWithOpts(rest, &end, 1);
    if (!root) {
        size_t at = end ? (size_t)(end - rest) : 0;
        if (sp.found && at >= sp.start)
            at += dl;      /* back to an offset in what the client sent */
        snprintf(msg, msgsz, "the request body is not valid JSON near byte %zu", at);
        goto fail;
    }
    if (mj_check_unique_keys(root, why, sizeof why) < 0) {
        snprintf(msg, msgsz, "%s", why);
        goto fail;
    }
    struct fields *f = &pr->f;
    /* Kept for /__mock/requests, so tests can see what reached the server (the SDK leaves
     * the key out when there are none: so must we). */
    const cJSON *rf = cJSON_GetObjectItemCaseSensitive(root, "remote_fields");
    if (rf && !r->remote_fields)
        r->remote_fields = cJSON_Duplicate(rf, 1);
    if (check_fields(root, sp.found, f, msg, msgsz))
        goto fail;

    warnings = cJSON_CreateArray();
    if (f->content_type)
        content_type_warnings(warnings, f->content_type);
    if (!strrchr(f->name, '.') || strrchr(f->name, '.') == f->name)
        warn(warnings, "attachment.name \"%.100s\" has no extension; ATSs use it to pick a viewer",
             f->name);

    if (f->has_data) {
        int pfd = open_temp(m, ".partial", &r->partial_path);
        if (pfd < 0) {
            status = 500;
            code = "PLATFORM.UNKNOWN_ERROR";
            snprintf(msg, msgsz, "mock: cannot create a file in %s: %s", m->inbox,
                     strerror(errno));
            goto fail;
        }
        uint64_t decoded = 0;
        int drc = mj_decode_base64(map + sp.start, dl, map, pfd, &decoded, msg, msgsz);
        int e = errno;
        close(pfd);
        if (drc == -2) {
            status = 500;
            code = "PLATFORM.UNKNOWN_ERROR";
            snprintf(msg, msgsz, "mock: cannot write the file: %s", strerror(e));
        }
        if (drc < 0)
            goto fail;
        r->stored_size = decoded;
        if (decoded == 0)
            warn(warnings, "attachment.data is empty: the file has 0 bytes");
    }
    munmap(map, n);
    mock_upload_drop_spool(r);     /* free the disk before the file is placed */
    free(rest);
    pr->root = root;
    pr->warnings = warnings;
    return;

fail:
    cJSON_Delete(warnings);
    cJSON_Delete(root);
    free(rest);
    if (map)
        munmap(map, n);
    pr->failed = true;
    pr->status = status;
    pr->code = code;
}

enum MHD_Result mock_upload_process(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    mock_upload_prepare(m, r);     /* done already when the answer was held */
    struct mock_upload_prep *pr = r->prep;
    if (pr->failed)
        return mock_respond_error(m, r, c, pr->status, pr->code, pr->msg, NULL);
    cJSON *warnings = pr->warnings;
    pr->warnings = NULL;           /* store() hands them to the answer */
    return store(m, r, c, &pr->f, warnings);
}

/* ------------------------------------------------------------ other endpoints */

void mock_upload_free_all(struct mock *m)
{
    while (m->stored) {
        struct mock_stored *s = m->stored;
        m->stored = s->next;
        free(s->integration); free(s->candidate); free(s->application); free(s->file_name);
        free(s->content_type); free(s->type); free(s->data_url); free(s->path);
        free(s);
    }
    m->stored_tail = &m->stored;
}
