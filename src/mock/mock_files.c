/* What was stored, as Kombo lists it: GET /v1/ats/candidates/{id}/attachments (the
 * candidate's files and those of all of its applications) and
 * GET /v1/ats/applications/{id}/attachments (the files sent to that application), each
 * entry with a data_url that, like Kombo's, needs no auth header: /__mock/files/<token>,
 * a random 128-bit token per file, which serves the stored bytes with their content type.
 * The list is bounded (MOCK_STORED_MAX, oldest forgotten first; the files stay in the
 * inbox), so a long-running mock's memory stays flat. */
#include "mock_priv.h"

#include "hex.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

static void free_stored(struct mock_stored *s)
{
    free(s->integration); free(s->candidate); free(s->application); free(s->file_name);
    free(s->content_type); free(s->type); free(s->data_url); free(s->path);
    free(s);
}

void mock_files_add_locked(struct mock *m, struct mock_stored *s)
{
    unsigned char rnd[16];
    if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd) {
        /* no entropy: a token nobody can guess is still needed; fall back to the ID state */
        for (size_t i = 0; i < sizeof rnd; i++)
            rnd[i] = (unsigned char)((m->id_state += 0x9E3779B97F4A7C15ULL) >> 56);
    }
    hex_encode(rnd, sizeof rnd, s->token);
    s->seq = ++m->files_seq;
    *m->stored_tail = s;
    m->stored_tail = &s->next;
    if (++m->listed_n > MOCK_STORED_MAX) {
        struct mock_stored *old = m->stored;
        m->stored = old->next;
        if (!m->stored)
            m->stored_tail = &m->stored;
        m->listed_n--;
        free_stored(old);
    }
}

static void add_string_or_null(cJSON *o, const char *key, const char *value)
{
    if (value)
        cJSON_AddStringToObject(o, key, value);
    else
        cJSON_AddNullToObject(o, key);
}

static cJSON *stored_json(const struct mock *m, const struct mock_stored *s)
{
    cJSON *o = cJSON_CreateObject();
    char buf[160];
    cJSON_AddStringToObject(o, "id", s->id);
    add_string_or_null(o, "application_id", s->application);
    cJSON_AddStringToObject(o, "candidate_id", s->candidate ? s->candidate : "");
    cJSON_AddStringToObject(o, "type", s->type);
    snprintf(buf, sizeof buf, "%u", 81000000u + s->seq);
    cJSON_AddStringToObject(o, "remote_id", buf);
    if (s->path) {
        snprintf(buf, sizeof buf, "%s/__mock/files/%s", m->origin, s->token);
        cJSON_AddStringToObject(o, "data_url", buf);
    } else {
        cJSON_AddStringToObject(o, "data_url", s->data_url ? s->data_url : "");
    }
    cJSON_AddStringToObject(o, "file_name", s->file_name);
    cJSON_AddStringToObject(o, "content_type",
                            s->content_type ? s->content_type : "application/octet-stream");
    char when[32];
    mock_data_time_format((int64_t)s->created * 1000, when);
    cJSON_AddStringToObject(o, "remote_created_at", when);
    cJSON_AddStringToObject(o, "remote_updated_at", when);
    return o;
}

static bool same(const char *a, size_t an, const char *b, size_t bn)
{
    return a && an == bn && memcmp(a, b, an) == 0;
}

enum MHD_Result mock_files_list(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "status", "success");
    cJSON *data = cJSON_AddObjectToObject(root, "data");
    cJSON *results = cJSON_AddArrayToObject(data, "results");
    cJSON_AddArrayToObject(root, "warnings");
    pthread_mutex_lock(&m->mu);
    for (const struct mock_stored *s = m->stored; s; s = s->next) {
        if (strcmp(s->integration, r->integration))
            continue;
        bool hit = r->application
                       ? same(s->application, s->application ? strlen(s->application) : 0, r->id, r->id_len)
                       : same(s->candidate, s->candidate_len, r->id, r->id_len);
        if (hit)
            cJSON_AddItemToArray(results, stored_json(m, s));
    }
    pthread_mutex_unlock(&m->mu);
    return mock_respond_json(m, r, c, 200, root, NULL);
}

/* GET /__mock/files/<token>: no auth, as a signed URL of Kombo's; unknown tokens get 404. */
enum MHD_Result mock_files_serve(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    const char *token = r->raw + strlen("/__mock/files/");
    size_t tl = strcspn(token, "?#");
    char *path = NULL, *ctype = NULL;
    pthread_mutex_lock(&m->mu);
    for (const struct mock_stored *s = m->stored; s && tl == 32; s = s->next)
        if (s->path && !memcmp(s->token, token, 32)) {
            path = xstrdup(s->path);
            ctype = xstrdup(s->content_type ? s->content_type : "application/octet-stream");
            break;
        }
    pthread_mutex_unlock(&m->mu);
    int fd = path ? open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW) : -1;
    struct stat st;
    if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))) {
        close(fd);
        fd = -1;
    }
    free(path);
    if (fd < 0) {
        free(ctype);
        return mock_respond_error(m, r, c, 404, "PLATFORM.INPUT_INVALID",
                                  "no stored file has this URL (the mock lists the last "
                                  "files it stored; a file removed from the inbox is gone)", NULL);
    }
    /* Streamed from the file: a big attachment costs no memory. */
    struct MHD_Response *resp = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
    if (!resp)
        xalloc_fatal("MHD_create_response_from_fd");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
    free(ctype);
    mock_respond_record(m, r, 200);
    enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, resp);
    MHD_destroy_response(resp);
    return ret;
}
