/* Answers in Kombo's shapes and the log of what was answered. Every answer goes through
 * mock_respond, so every request is recorded exactly once, with the status the client saw:
 * /__mock/requests and the log_url of an error then show the truth. */
#include "mock_priv.h"

#include "termsafe.h"

#include "format.h"
#include "hex.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Kombo's titles, so a client that shows `title` sees what the real API would send. */
static const char *title_for(const char *code, int status)
{
    if (status == 404) return "Not found";
    if (status == 405) return "Method not allowed";
    if (status == 413) return "Payload too large";
    if (!code) return "Error";
    if (!strcmp(code, "PLATFORM.INPUT_INVALID")) return "Input invalid";
    if (!strcmp(code, "PLATFORM.AUTHENTICATION_INVALID")) return "Authentication invalid";
    if (!strcmp(code, "PLATFORM.RATE_LIMIT_EXCEEDED")) return "Rate limit exceeded";
    if (!strcmp(code, "PLATFORM.UNKNOWN_ERROR")) return "Unknown error";
    if (!strcmp(code, "PLATFORM.TASK_TIMED_OUT")) return "Task timed out";
    if (!strcmp(code, "PLATFORM.INTEGRATION_NOT_FOUND")) return "Integration not found";
    if (!strcmp(code, "REMOTE.SERVICE_UNAVAILABLE")) return "Remote service unavailable";
    if (!strcmp(code, "REMOTE.UNKNOWN_HTTP_ERROR")) return "Remote HTTP error";
    if (!strcmp(code, "INTEGRATION.PERMISSION_MISSING")) return "Permission missing";
    if (!strcmp(code, "ATS.APPLICATION_ALREADY_EXISTS")) return "Application already exists";
    return "Error";
}

size_t mock_log_target(const char *raw, char *out, size_t outlen)
{
    size_t k = 0;
    if (outlen == 0)
        return 0;
    /* Written as the %XX a client would have had to send: control bytes (C0, DEL) and every
     * byte above ASCII, so that no C1 control, bidi override or invisible character from
     * the network reaches the terminal, however the bytes would decode. */
    for (const char *p = raw ? raw : ""; *p && k + 3 < outlen; p++) {
        unsigned char b = (unsigned char)*p;
        if (b < 0x20 || b >= 0x7F) {
            out[k++] = '%';
            out[k++] = hex_upper_digit(b >> 4);
            out[k++] = hex_upper_digit(b);
        } else {
            out[k++] = (char)b;
        }
    }
    out[k] = '\0';
    return k;
}

static void print_line(const struct req *r, int status)
{
    char size[32], line[1024];
    fmt_bytes(r->received, size, sizeof size);
    mock_log_target(r->raw, line, sizeof line);
    /* MHD hands over the method as the client sent it (any token): escaped like the rest */
    char *method = ts_escape(r->method, strlen(r->method), TS_ONE_LINE);
    if (status == 0) {
        fprintf(stderr, "%s %s --- %s %s\n", method, line, size,
                r->stalled ? "stalled (fault)" : "dropped");
    } else {
        /* the stored name keeps the client's characters (a faithful store); shown escaped */
        char *stored = r->stored_path ? ts_escape(r->stored_path, strlen(r->stored_path),
                                                  TS_ONE_LINE) : NULL;
        fprintf(stderr, "%s %s %d %s%s%s\n", method, line, status, size,
                stored ? " stored " : "", stored ? stored : "");
        free(stored);
    }
    free(method);
}

void mock_respond_record(struct mock *m, struct req *r, int status)
{
    if (r->recorded)
        return;
    r->recorded = true;
    r->status = status;
    if (r->control)
        return;    /* polling the mock must not push real requests out of the ring */

    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "id", r->seq);
    cJSON_AddStringToObject(o, "method", r->method);
    cJSON_AddStringToObject(o, "path", r->raw ? r->raw : "");
    cJSON_AddItemToObject(o, "headers", r->header_names ? cJSON_Duplicate(r->header_names, 1)
                                                        : cJSON_CreateArray());
    cJSON_AddNumberToObject(o, "status", status);
    cJSON_AddNumberToObject(o, "body_bytes", (double)r->received);
    if (r->fault.kind != MOCK_FAULT_NONE)
        cJSON_AddStringToObject(o, "fault", mock_fault_name(r->fault.kind));
    if (r->err_msg && r->err_status == status)
        cJSON_AddStringToObject(o, "message", r->err_msg);
    if (r->stored_path)
        cJSON_AddStringToObject(o, "stored_path", r->stored_path);
    if (r->remote_fields)
        cJSON_AddItemToObject(o, "remote_fields", cJSON_Duplicate(r->remote_fields, 1));

    pthread_mutex_lock(&m->mu);
    cJSON_Delete(m->ring[m->ring_next % MOCK_RING]);
    m->ring[m->ring_next++ % MOCK_RING] = o;
    pthread_mutex_unlock(&m->mu);

    if (!m->quiet)
        print_line(r, status);
}

enum MHD_Result mock_respond(struct mock *m, struct req *r, struct MHD_Connection *c, int status,
                             const char *ctype, char *body, size_t len, const char *const *hdrs)
{
    struct MHD_Response *resp =
        body ? MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE)
             : MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!resp)
        xalloc_fatal("MHD_create_response_from_buffer");
    if (ctype)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
    for (size_t i = 0; hdrs && hdrs[i] && hdrs[i + 1]; i += 2)
        MHD_add_response_header(resp, hdrs[i], hdrs[i + 1]);
    char limit[16], remaining[16];
    if (mock_limit_headers(m, r, limit, remaining)) {
        MHD_add_response_header(resp, "Concurrency-Limit", limit);
        MHD_add_response_header(resp, "Concurrency-Remaining", remaining);
        /* Kombo advises backing off about a second; the mock says so on its 429. */
        if (status == 429 && r->err_code && !strcmp(r->err_code, "PLATFORM.CONCURRENCY_LIMIT_EXCEEDED"))
            MHD_add_response_header(resp, "Retry-After", "1");
    }
    mock_respond_record(m, r, status);
    if (!c) {   /* the client left before its answer (mock_server.c, on_completed) */
        MHD_destroy_response(resp);
        return MHD_YES;
    }
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, resp);
    MHD_destroy_response(resp);
    return ret;
}

enum MHD_Result mock_respond_json(struct mock *m, struct req *r, struct MHD_Connection *c,
                                  int status, cJSON *root, const char *const *hdrs)
{
    char *txt = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (!txt)
        xalloc_fatal("cJSON_PrintUnformatted");
    return mock_respond(m, r, c, status, "application/json", txt, strlen(txt), hdrs);
}

enum MHD_Result mock_respond_error(struct mock *m, struct req *r, struct MHD_Connection *c,
                                   int status, const char *code, const char *msg,
                                   const char *const *hdrs)
{
    /* Kept for the request's record: its log_url must show why it failed. */
    if (!r->err_msg || r->err_msg != msg) {
        free(r->err_msg);
        r->err_msg = xstrdup(msg);
        r->err_status = status;
    }
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "status", "error");
    cJSON *e = cJSON_AddObjectToObject(root, "error");
    cJSON_AddStringToObject(e, "code", code);
    cJSON_AddStringToObject(e, "title", title_for(code, status));
    cJSON_AddStringToObject(e, "message", msg);
    char url[96];
    snprintf(url, sizeof url, "%s/logs/%u", m->origin, r->seq);
    cJSON_AddStringToObject(e, "log_url", url);
    return mock_respond_json(m, r, c, status, root, hdrs);
}

enum MHD_Result mock_respond_success(struct mock *m, struct req *r, struct MHD_Connection *c,
                                     cJSON *data)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "status", "success");
    cJSON_AddItemToObject(root, "data", data ? data : cJSON_CreateObject());
    return mock_respond_json(m, r, c, 200, root, NULL);
}

void mock_respond_later(struct req *r, int status, const char *code, const char *fmt, ...)
{
    if (r->err_status)
        return;            /* the first problem found is the one reported */
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    r->err_status = status;
    r->err_code = code;
    free(r->err_msg);
    r->err_msg = s;
}

enum MHD_Result mock_respond_decided(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    const char *hdrs[] = { "Allow", r->allow, NULL };
    return mock_respond_error(m, r, c, r->err_status, r->err_code,
                              r->err_msg ? r->err_msg : "error",
                              r->err_status == 405 ? hdrs : NULL);
}
