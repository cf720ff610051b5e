/* The mock Kombo server's core: libmicrohttpd on 127.0.0.1 and the life of a request.
 *
 * The URI log callback makes a `struct req` holding the raw request target (MHD decodes
 * the URL it gives the access handler, which would hide "%2F" inside an ID). The first
 * access-handler call routes, takes a pending fault and checks the headers; body chunks
 * are counted and, for uploads, spooled to disk (mock_upload.c); the last call answers.
 * Errors found in the headers are answered only after the body was drained: answering
 * early and closing with unread data makes TCP reset the connection, and the client may
 * never see the answer. The completion callback frees the request and whatever temp files
 * it left, so a dropped upload leaves nothing behind. */
#include "mock_priv.h"

#include "clock.h"
#include "fsutil.h"
#include "numparse.h"
#include "secret.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

static struct req *req_new(struct mock *m, const char *uri)
{
    struct req *r = xcalloc(1, sizeof *r);
    r->m = m;
    r->spool_fd = -1;
    r->raw = xstrdup(uri);
    pthread_mutex_lock(&m->mu);
    r->seq = ++m->seq;
    r->next = m->live;
    if (m->live)
        m->live->prev = r;
    m->live = r;
    pthread_mutex_unlock(&m->mu);
    return r;
}

static void req_free(struct req *r)
{
    mock_upload_free_prep(r);
    mock_upload_drop_spool(r);
    if (r->partial_path)
        unlink(r->partial_path);
    free(r->partial_path);
    free(r->raw);
    free(r->id);
    free(r->integration);
    free(r->err_msg);
    free(r->stored_path);
    cJSON_Delete(r->remote_fields);
    cJSON_Delete(r->header_names);
    mock_fault_clear(&r->fault);
    free(r);
}

static void live_unlink(struct mock *m, struct req *r)
{
    if (r->prev)
        r->prev->next = r->next;
    else if (m->live == r)
        m->live = r->next;
    if (r->next)
        r->next->prev = r->prev;
    r->prev = r->next = NULL;
}

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                      const char *value)
{
    (void)kind;
    (void)value;   /* names only: values may hold the API key */
    cJSON_AddItemToArray(cls, cJSON_CreateString(key));
    return MHD_YES;
}

/* First call for a request: route, check headers, decide how the body is consumed. */
static enum MHD_Result begin(struct mock *m, struct req *r, struct MHD_Connection *c,
                             const char *method)
{
    snprintf(r->method, sizeof r->method, "%s", method);
    r->header_names = cJSON_CreateArray();
    MHD_get_connection_values(c, MHD_HEADER_KIND, collect_header, r->header_names);
    mock_route_parse(r);

    pthread_mutex_lock(&m->mu);
    if (!r->control) {
        m->requests++;
        free(m->last_raw);
        m->last_raw = mock_dup_opt(r->raw);
    }
    if (r->route == R_UPLOAD)
        m->uploads++;
    mock_fault_take(m, r);
    pthread_mutex_unlock(&m->mu);

    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                 MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl && num_parse_u64(cl, UINT64_MAX, &r->content_length) == 0)
        r->have_cl = true;
    if (r->fault.kind != MOCK_FAULT_NONE)
        return MHD_YES;    /* body drained (or dropped); the fault answers at the end */

    mock_route_check(m, r, c);
    mock_limit_take(m, r);
    if (r->err_status) {
        /* A client that waits for "100 Continue" gets the answer instead and never sends
         * the body; others are drained first (see the top of this file). */
        const char *expect = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                         MHD_HTTP_HEADER_EXPECT);
        if (expect && strcasecmp(expect, "100-continue") == 0)
            return mock_respond_decided(m, r, c);
        return MHD_YES;
    }
    if (r->route == R_UPLOAD)
        mock_upload_begin(m, r);
    return MHD_YES;
}

/* Hold the thread until these bytes are due at slow_rate: the client then sees a link of
 * that speed. Due times count from the first chunk, so the time spent reading is not added
 * on top. This blocks one of the pool's threads; fine for a test fault. */
static void pace_slow(struct req *r, size_t n)
{
    double now = clock_now();
    if (r->slow_start == 0)
        r->slow_start = now;
    double wait = r->slow_start + (double)(r->received + n) / (double)r->slow_rate - now;
    if (wait > 0)
        usleep((useconds_t)((wait < 5 ? wait : 5) * 1e6));
}

/* A chunk of body: spool it, or count and forget it. */
static enum MHD_Result consume(struct mock *m, struct req *r, const char *data, size_t n)
{
    if (r->slow_rate)
        pace_slow(r, n);
    r->received += n;
    if (r->fault.kind == MOCK_FAULT_DROP)
        return MHD_NO;      /* part of the body has arrived: hang up on the client */
    if (r->received > m->max_body && !r->too_big) {
        /* Chunked bodies have no Content-Length to check up front: count. */
        r->too_big = true;
        mock_upload_drop_spool(r);
        mock_respond_later(r, 413, "PLATFORM.INPUT_INVALID",
                           "the body is larger than %llu bytes, the most this server accepts",
                           (unsigned long long)m->max_body);
    }
    mock_upload_spool(r, data, n);
    return MHD_YES;
}

/* Last call for a request: the body is complete. */
static enum MHD_Result finish(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    if (r->fault.kind != MOCK_FAULT_NONE)
        return mock_fault_answer(m, r, c);
    if (r->err_status)
        return mock_respond_decided(m, r, c);
    if (r->route == R_UPLOAD)
        return mock_upload_process(m, r, c);
    if (r->route == R_CTL_FAULT)
        return mock_fault_control(m, r, c);
    if (r->route == R_CTL_CHANGE)
        return mock_change_control(m, r, c);
    return mock_read_answer(m, r, c);
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)c;
    return req_new(cls, uri);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    struct mock *m = cls;
    struct req *r = *con_cls;
    (void)version;
    if (!r) {
        r = req_new(m, url);
        *con_cls = r;
    }
    if (!r->started) {
        r->started = true;
        return begin(m, r, c, method);
    }
    if (*upload_data_size) {
        enum MHD_Result rc = consume(m, r, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return rc;
    }
    if (r->stalled)
        return MHD_NO;     /* resumed by mock_stop: close */
    if (r->fault.kind == MOCK_FAULT_DROP)
        return MHD_NO;     /* no body to hang up in: hang up now */
    if (r->route == R_UPLOAD && r->fault.kind == MOCK_FAULT_NONE && !r->err_status &&
        !r->delayed && mock_delay_would_hold(m, r)) {
        r->body_at = clock_now();  /* the hold counts from here, the decoding within it */
        mock_upload_prepare(m, r);
    }
    if (mock_delay_hold(m, r, c))
        return MHD_YES;    /* --latency: called again when the answer is due */
    return finish(m, r, c);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct mock *m = cls;
    struct req *r = *con_cls;
    (void)c;
    (void)toe;
    if (!r)
        return;
    /* An upload whose whole body arrived and was being held (--latency) when its client
     * went away: Kombo would go on and store it, with nobody left to hear the answer. So
     * does the mock, so that the next run of a killed batch meets what the real API does. */
    if (r->route == R_UPLOAD && r->delayed && !r->recorded && r->fault.kind == MOCK_FAULT_NONE &&
        !r->err_status)
        mock_upload_process(m, r, NULL);
    mock_respond_record(m, r, 0);   /* no-op when an answer was recorded */
    pthread_mutex_lock(&m->mu);
    mock_limit_release_locked(m, r);
    live_unlink(m, r);
    pthread_mutex_unlock(&m->mu);
    req_free(r);
    *con_cls = NULL;
}

/* ------------------------------------------------------------------ public API */

static char *read_file(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 8192, n = 0, k;
    char *buf = xmalloc(cap);
    while ((k = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += k;
        if (n + 1 == cap) {
            if (cap > (1u << 20))
                break;      /* a PEM or key file is never this big */
            buf = xrealloc(buf, cap * 2);
            cap *= 2;
        }
    }
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static bool one_of(const char *v, const char *const *allowed)
{
    for (; *allowed; allowed++)
        if (!strcmp(v, *allowed))
            return true;
    return false;
}

/* The settings a mock_config may get wrong, with the message; picks the defaults. */
static bool check_config(const struct mock_config *cfg, struct mock *m, char *err, size_t errlen)
{
    static const char *const st[] = { "ACTIVE", "INVALID", "INACTIVE", NULL };
    static const char *const setup[] = { "COMPLETED", "INCOMPLETE", "FINAL_SYNC_PENDING", NULL };
    m->integration_status = cfg->integration_status ? cfg->integration_status : "ACTIVE";
    m->setup_status = cfg->setup_status ? cfg->setup_status : "COMPLETED";
    if (!one_of(m->integration_status, st)) {
        snprintf(err, errlen, "mock: the integration status must be ACTIVE, INVALID or INACTIVE");
        return false;
    }
    if (!one_of(m->setup_status, setup)) {
        snprintf(err, errlen, "mock: the setup status must be COMPLETED, INCOMPLETE or "
                 "FINAL_SYNC_PENDING");
        return false;
    }
    if (cfg->upload_latency_ms > MOCK_LATENCY_MAX) {
        snprintf(err, errlen, "mock: the upload latency must be at most %u ms", MOCK_LATENCY_MAX);
        return false;
    }
    if (cfg->latency_ms > MOCK_LATENCY_MAX) {
        snprintf(err, errlen, "mock: the latency must be at most %u ms", MOCK_LATENCY_MAX);
        return false;
    }
    return true;
}

static void mock_free(struct mock *m)
{
    if (!m)
        return;
    mock_limit_free(m);
    while (m->live) {
        struct req *r = m->live;
        live_unlink(m, r);
        req_free(r);
    }
    mock_upload_free_all(m);
    mock_data_free(m->data);
    cJSON_Delete(m->restrictions);
    free(m->integration_id);
    while (m->stalls) {
        struct mock_stall *s = m->stalls;
        m->stalls = s->next;
        free(s);
    }
    for (int i = 0; i < MOCK_RING; i++)
        cJSON_Delete(m->ring[i]);
    mock_fault_clear(&m->fault);
    free(m->last_raw);
    free(m->inbox);
    secret_free(m->api_key);
    secret_free(m->key_pem);
    free(m->cert_pem);
    pthread_mutex_destroy(&m->mu);
    pthread_rwlock_destroy(&m->data_rw);
    free(m);
}

struct mock *mock_start(const struct mock_config *cfg, char *err, size_t errlen)
{
    if (!cfg || !cfg->inbox || !*cfg->inbox) {
        snprintf(err, errlen, "mock: an inbox folder is required");
        return NULL;
    }
    if (!cfg->tls_cert != !cfg->tls_key) {
        snprintf(err, errlen, "mock: HTTPS needs both a certificate and a key");
        return NULL;
    }
    if (fs_mkdir_p(cfg->inbox, 0755) < 0) {
        snprintf(err, errlen, "mock: cannot create the inbox %s: %s", cfg->inbox, strerror(errno));
        return NULL;
    }
    struct mock *m = xcalloc(1, sizeof *m);
    pthread_mutex_init(&m->mu, NULL);
    pthread_rwlock_init(&m->data_rw, NULL);
    m->inbox = xstrdup(cfg->inbox);
    size_t il = strlen(m->inbox);
    while (il > 1 && m->inbox[il - 1] == '/')
        m->inbox[--il] = '\0';
    m->max_body = cfg->max_body ? cfg->max_body : MOCK_DEFAULT_MAX_BODY;
    m->api_key = mock_dup_opt(cfg->api_key);
    m->quiet = cfg->quiet;
    m->any_candidate = cfg->any_candidate;
    m->stored_tail = &m->stored;
    m->id_state = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
    m->integration_id = mock_dup_opt(cfg->integration_id);
    m->latency_ms = cfg->latency_ms;
    m->upload_latency_ms = cfg->upload_latency_ms;
    m->conc_limit = cfg->concurrency_limit;
    if (!check_config(cfg, m, err, errlen) ||
        !(m->data = mock_data_load(cfg->data_file, cfg->candidates, cfg->seed, err, errlen)) ||
        mock_account_restrictions(m, cfg->restrictions, err, errlen) < 0) {
        mock_free(m);
        return NULL;
    }
    if (cfg->tls_cert) {
        m->tls = true;
        if (!(m->cert_pem = read_file(cfg->tls_cert, err, errlen)) ||
            !(m->key_pem = read_file(cfg->tls_key, err, errlen))) {
            mock_free(m);
            return NULL;
        }
    }

    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(cfg->port) };
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct MHD_OptionItem opts[] = {
        { MHD_OPTION_SOCK_ADDR, 0, &sa },
        { MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)on_uri, m },
        { MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, m },
        { MHD_OPTION_THREAD_POOL_SIZE, 2, NULL },
        { MHD_OPTION_CONNECTION_MEMORY_LIMIT, 256 * 1024, NULL },
        /* idle connections go after 30 s: stalled clients must not pile up */
        { MHD_OPTION_CONNECTION_TIMEOUT, 30, NULL },
        { m->tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, m->cert_pem },
        { MHD_OPTION_HTTPS_MEM_KEY, 0, m->key_pem },
        { MHD_OPTION_END, 0, NULL },
    };
    /* poll(), not MHD_USE_AUTO's epoll: with epoll, libmicrohttpd 0.9.75 misses the end of
     * a connection that hangs up mid-body once its data is read (the socket sits in
     * CLOSE-WAIT and its spool file stays until the 30 s timeout); tested by
     * test_aborted_uploads_leave_nothing. */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_ALLOW_SUSPEND_RESUME |
                     (m->quiet ? 0 : MHD_USE_ERROR_LOG) | (m->tls ? MHD_USE_TLS : 0);
    if (mock_delay_start(m) < 0) {
        snprintf(err, errlen, "mock: cannot start the latency timer");
        mock_free(m);
        return NULL;
    }
    m->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, m,
                            MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
    if (!m->d) {
        /* MHD does not say why; a bind of our own usually does. */
        const char *why = "libmicrohttpd refused to start";
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
            why = strerror(errno);
        else if (m->tls)
            why = "libmicrohttpd refused to start (is the certificate/key pair valid PEM?)";
        if (fd >= 0)
            close(fd);
        snprintf(err, errlen, "mock: cannot serve on 127.0.0.1:%u: %s", cfg->port, why);
        mock_delay_stop(m);
        mock_free(m);
        return NULL;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(m->d, MHD_DAEMON_INFO_BIND_PORT);
    m->port = di ? di->port : cfg->port;
    snprintf(m->origin, sizeof m->origin, "%s://127.0.0.1:%u", m->tls ? "https" : "http", m->port);
    snprintf(m->base_url, sizeof m->base_url, "%s/v1", m->origin);
    return m;
}

unsigned short mock_port(const struct mock *m)
{
    return m->port;
}

const char *mock_base_url(const struct mock *m)
{
    return m->base_url;
}

/* The counters are read under the lock: the server threads write them. */
unsigned mock_request_count(const struct mock *m)
{
    struct mock *mm = (struct mock *)m;
    pthread_mutex_lock(&mm->mu);
    unsigned v = mm->uploads;
    pthread_mutex_unlock(&mm->mu);
    return v;
}

unsigned mock_stored_count(const struct mock *m)
{
    struct mock *mm = (struct mock *)m;
    pthread_mutex_lock(&mm->mu);
    unsigned v = mm->stored_n;
    pthread_mutex_unlock(&mm->mu);
    return v;
}

char *mock_last_raw_path(const struct mock *m)
{
    struct mock *mm = (struct mock *)m;
    pthread_mutex_lock(&mm->mu);
    char *v = mock_dup_opt(mm->last_raw);
    pthread_mutex_unlock(&mm->mu);
    return v;
}

void mock_stop(struct mock *m)
{
    if (!m)
        return;
    /* MHD refuses to stop with suspended connections: wake the stalled ones first; their
     * handler call then closes them. */
    pthread_mutex_lock(&m->mu);
    m->stopping = true;
    while (m->stalls) {
        struct mock_stall *s = m->stalls;
        m->stalls = s->next;
        MHD_resume_connection(s->c);
        free(s);
    }
    pthread_mutex_unlock(&m->mu);
    mock_delay_stop(m);
    MHD_stop_daemon(m->d);
    mock_free(m);
}
