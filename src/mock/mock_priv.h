/* The mock server's insides, shared by its parts and by nothing outside src/mock/ (mock.h
 * is the only public header). One prefix per part:
 *   mock_server_   mock_server.c   start/stop, libmicrohttpd callbacks, a request's life
 *   mock_route_    mock_route.c    routing by the raw target, header checks
 *   mock_respond_  mock_respond.c  answers in Kombo's success/error shapes, the request log
 *   mock_upload_   mock_upload.c   spooling, checking and storing an upload
 *   mock_read_     mock_read.c     which read endpoint answers; the mock's own ones
 *   mock_people_   mock_people.c   GET /v1/ats/candidates: filters, pages, the JSON
 *   mock_files_    mock_files.c    the stored files: listings and /__mock/files/<token>
 *   mock_account_  mock_account.c  check-api-key, the integration, attachment restrictions
 *   mock_delay_    mock_delay.c    --latency without blocking the pool's threads
 *   mock_data_ (mock_data.h)       the data set: mock_data.c, mock_gen.c, mock_load.c,
 *                                  mock_fold.c
 *   mock_fault_    mock_fault.c    injected faults: which request gets one, and its answer
 * Locking: m->mu guards the fields of struct mock marked so; a struct req belongs to the
 * one MHD thread serving its connection and needs no lock. */
#ifndef KA_MOCK_PRIV_H
#define KA_MOCK_PRIV_H

#include "kombo.h"
#include "mock.h"
#include "mock_data.h"
#include "xalloc.h"

#include <cjson/cJSON.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define MOCK_DEFAULT_MAX_BODY (100ULL << 20)
#define MOCK_RING 64                 /* requests kept for /__mock/requests and /logs/<n> */
#define MOCK_REST_MAX (64u << 10)    /* JSON outside attachment.data (remote_fields and the
                                        names): parsed in RAM, so small bodies of many
                                        tiny values cannot blow the mock up */
#define MOCK_HUGE_BYTES (8u << 20)   /* size of the HUGE fault's answer */
#define MOCK_SLOW_DEFAULT_RATE (1024u * 1024u)
#define MOCK_METHOD_MAX 16           /* bytes kept of a request's method, NUL included */
#define MOCK_STORED_MAX 10000        /* stored files listed; older ones are forgotten */
#define MOCK_LATENCY_MAX 60000       /* ms */

enum mock_route {
    R_NOT_FOUND, R_BAD_METHOD, R_UPLOAD, R_LIST, R_CANDIDATES, R_CHECK,
    R_INTEGRATION, R_ACTIONS, R_CTL_FAULT, R_CTL_REQUESTS, R_CTL_STATS, R_LOG, R_FILE,
    R_CTL_CHANGE
};

/* struct mock_fault with strings of its own. */
struct mock_fault_state {
    enum mock_fault_kind kind;
    int count;
    int status;
    char *retry_after;
    char *retry_after_ms;
    uint64_t rate;
    char *code, *message;
    char *path, *method;     /* the target; both NULL: uploads only */
};

struct mock_stored {
    struct mock_stored *next;
    char id[KOMBO_ID_LEN + 1];
    char *integration;
    char *candidate;        /* decoded path id the file belongs to (may hold any byte) */
    size_t candidate_len;
    char *application;      /* for the applications endpoint */
    char *file_name, *content_type, *type, *data_url, *path;
    time_t created;
    char token[33];         /* hex: /__mock/files/<token> serves the file (mock_files.c) */
    unsigned seq;           /* its remote_id */
};

struct mock_stall {
    struct mock_stall *next;
    struct MHD_Connection *c;
};

struct req;
struct mock_delayed;

/* mock_change.c: POST /__mock/candidates/change|delete?count=N */
enum MHD_Result mock_change_control(struct mock *m, struct req *r, struct MHD_Connection *c);

struct mock {
    struct MHD_Daemon *d;
    unsigned short port;
    bool tls;
    char base_url[64];
    char origin[48];         /* scheme://127.0.0.1:port, for log_url */
    char *inbox;
    uint64_t max_body;
    char *api_key;
    bool quiet;
    bool any_candidate;
    char *cert_pem, *key_pem;
    struct md_set *data;     /* the candidates: IDs never change; names, times and the
                                indexes over them only under data_rw (mock_change.c) */
    pthread_rwlock_t data_rw;
    uint64_t change_pos;     /* mock_change.c's walk (under data_rw) */
    cJSON *restrictions;     /* data.attachment_restrictions; read-only once started */
    char *integration_id;    /* the one integration that exists, or NULL: any tool:id */
    const char *integration_status, *setup_status;
    unsigned latency_ms, upload_latency_ms;
    unsigned conc_limit;     /* mock_limit.c; 0 = none */
    pthread_t delay_thread;
    pthread_cond_t delay_cv;
    bool delay_running;

    pthread_mutex_t mu;      /* guards everything below */
    struct mock_fault_state fault;
    unsigned seq;            /* every request, control ones included */
    unsigned requests;       /* non-control requests */
    unsigned uploads;
    unsigned stored_n;
    cJSON *ring[MOCK_RING];  /* recent non-control requests, oldest at ring_next */
    unsigned ring_next;
    char *last_raw;
    struct mock_stored *stored, **stored_tail;
    unsigned listed_n;       /* entries in stored (at most MOCK_STORED_MAX) */
    unsigned files_seq;
    struct mock_delayed *delayed;   /* answers held by --latency (mock_delay.c) */
    bool delay_stop;
    struct mock_stall *stalls;
    bool stopping;
    uint64_t id_state;
    struct req *live;        /* requests not yet completed; freed at stop if MHD forgot them */
    struct mock_conc *conc;  /* attachment actions in flight per integration (mock_limit.c) */
    unsigned peak_in_flight; /* the most at once in any integration */
    unsigned conc_rejected;  /* 429 CONCURRENCY_LIMIT_EXCEEDED answers */
};

struct req {
    struct req *prev, *next;
    struct mock *m;
    char *raw;               /* request target exactly as received */
    unsigned seq;
    char method[MOCK_METHOD_MAX];
    bool started, recorded, control, stalled;
    bool delayed;            /* --latency: held once already */
    enum mock_route route;
    bool application;
    char *id;                /* decoded path id (may hold any byte) */
    size_t id_len;
    char *integration;
    cJSON *header_names;
    const char *allow;

    int err_status;          /* decided from the headers; the body is drained first */
    const char *err_code;
    char *err_msg;

    struct mock_fault_state fault;

    int spool_fd;
    char *spool_path;
    char *partial_path;
    struct mock_upload_prep *prep;   /* mock_upload_prepare's, until the answer is due */
    double body_at;                  /* when the whole body was in (clock_now), or 0 */
    uint64_t received, content_length;
    uint64_t slow_rate;      /* MOCK_FAULT_SLOW: read the body at this many bytes/s */
    double slow_start;       /* clock_now() at the first chunk of a slow body */
    bool have_cl, too_big;

    int status;
    char *stored_path;
    uint64_t stored_size;
    struct cJSON *remote_fields; /* an upload's remote_fields as received, or NULL */
    bool conc_held;          /* holds one of its integration's slots (mock_limit.c) */
};

/* A copy of an optional string. NULL stays NULL (xstrdup makes it ""): here NULL and ""
 * differ, e.g. Retry-After by default vs. omitted. */
static inline char *mock_dup_opt(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

/* mock_route.c */
/* Whether the candidate (or, application true, the application) with this ID exists in the
 * mock's data: the one place that decides (uploads and listings ask it). */
bool mock_read_known(const struct mock *m, bool application, const char *id, size_t len);

/* Sets r->route, r->control, r->allow and, for attachment paths, r->id and r->application. */
void mock_route_parse(struct req *r);
/* The checks of the route's headers (auth, integration, content type, size, path ID), each
 * failure recorded with mock_respond_later. */
void mock_route_check(struct mock *m, struct req *r, struct MHD_Connection *c);
/* A query argument, decoded (NULL: absent). */
const char *mock_route_arg(struct MHD_Connection *c, const char *name);

/* mock_respond.c */
/* Adds r to the ring of recent requests and prints its log line; once per request
 * (status 0: nothing was answered, e.g. dropped or stalled). */
void mock_respond_record(struct mock *m, struct req *r, int status);
/* The request target as the log shows it: control bytes and every byte above ASCII as %XX
 * (no C1 control, bidi override or invisible character reaches a terminal). Returns the
 * length written to out (cut to fit, NUL-terminated). */
size_t mock_log_target(const char *raw, char *out, size_t outlen);
/* Queue body (malloc'ed, taken over; NULL when len is 0) with extra headers given as a
 * NULL-terminated list of name, value pairs. */
enum MHD_Result mock_respond(struct mock *m, struct req *r, struct MHD_Connection *c, int status,
                             const char *ctype, char *body, size_t len, const char *const *hdrs);
enum MHD_Result mock_respond_json(struct mock *m, struct req *r, struct MHD_Connection *c,
                                  int status, cJSON *root, const char *const *hdrs);
enum MHD_Result mock_respond_error(struct mock *m, struct req *r, struct MHD_Connection *c,
                                   int status, const char *code, const char *msg,
                                   const char *const *hdrs);
enum MHD_Result mock_respond_success(struct mock *m, struct req *r, struct MHD_Connection *c,
                                     cJSON *data);
/* Decide an error now, answer it with mock_respond_decided once the body is drained; the
 * first one decided wins. */
void mock_respond_later(struct req *r, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
enum MHD_Result mock_respond_decided(struct mock *m, struct req *r, struct MHD_Connection *c);

/* mock_upload.c */
/* Opens the spool file of an upload that passed the header checks. */
void mock_upload_begin(struct mock *m, struct req *r);
/* Appends a chunk of body to the spool (nothing when there is none). */
void mock_upload_spool(struct req *r, const char *data, size_t n);
void mock_upload_drop_spool(struct req *r);
enum MHD_Result mock_upload_process(struct mock *m, struct req *r, struct MHD_Connection *c);
/* The costly part of an upload (checks, decoding into a .partial file), done as soon as
 * its body is in, before its answer is held: --latency then is the whole of the mock's
 * time, not latency plus decoding. The file is placed and listed only when the answer is
 * due (mock_upload_process). */
void mock_upload_prepare(struct mock *m, struct req *r);
void mock_upload_free_prep(struct req *r);
void mock_upload_free_all(struct mock *m);

/* mock_read.c */
/* The ID of the candidate owning the application id[0..len) in the data set, or NULL. */
const char *mock_read_application_owner(const struct mock *m, const char *id, size_t len);
/* Answers every GET route but the faults' control: R_LIST, R_CANDIDATES, R_CHECK,
 * R_INTEGRATION, R_ACTIONS, R_CTL_REQUESTS, R_CTL_STATS, R_LOG and R_FILE. */
enum MHD_Result mock_read_answer(struct mock *m, struct req *r, struct MHD_Connection *c);

/* mock_people.c */
enum MHD_Result mock_people_answer(struct mock *m, struct req *r, struct MHD_Connection *c);
/* Candidate i of the data set in Kombo's shape. */
cJSON *mock_people_json(const struct md_set *s, size_t i);

/* mock_files.c */
/* Appends s to the stored list with a fresh token, forgetting the oldest entry beyond
 * MOCK_STORED_MAX. Call with m->mu held. */
void mock_files_add_locked(struct mock *m, struct mock_stored *s);
/* R_LIST for the candidate or (r->application) the application r->id. */
enum MHD_Result mock_files_list(struct mock *m, struct req *r, struct MHD_Connection *c);
enum MHD_Result mock_files_serve(struct mock *m, struct req *r, struct MHD_Connection *c);

/* mock_account.c */
/* Sets m->restrictions from JSON text (NULL: the default); -1 with a message. */
int mock_account_restrictions(struct mock *m, const char *json, char *err, size_t errlen);
bool mock_account_integration_known(const struct mock *m, const char *id, size_t len);
/* R_CHECK, R_INTEGRATION, R_ACTIONS. */
enum MHD_Result mock_account_answer(struct mock *m, struct req *r, struct MHD_Connection *c);

/* mock_limit.c: take a slot for an attachment action, or decide its 429 (call after the
 * route check, without m->mu); release it when the request completes (with m->mu held);
 * the two headers for an answer (buffers of 16). */
struct mock_conc;
void mock_limit_take(struct mock *m, struct req *r);
void mock_limit_release_locked(struct mock *m, struct req *r);
bool mock_limit_headers(struct mock *m, struct req *r, char limit[16], char remaining[16]);
void mock_limit_free(struct mock *m);

/* mock_delay.c */
int mock_delay_start(struct mock *m);
/* Holds r's answer latency_ms when it should be (a /v1 request not held yet): suspends
 * the connection and returns true; the handler is called again when it is due. */
bool mock_delay_hold(struct mock *m, struct req *r, struct MHD_Connection *c);
/* Whether mock_delay_hold would hold r now. */
bool mock_delay_would_hold(const struct mock *m, const struct req *r);
void mock_delay_stop(struct mock *m);

/* mock_fault.c */
void mock_fault_clear(struct mock_fault_state *f);
const char *mock_fault_name(enum mock_fault_kind k);
/* Gives r the pending fault when it targets r, counting it down. Call with m->mu held,
 * after mock_route_parse. */
void mock_fault_take(struct mock *m, struct req *r);
enum MHD_Result mock_fault_answer(struct mock *m, struct req *r, struct MHD_Connection *c);
/* POST /__mock/fault */
enum MHD_Result mock_fault_control(struct mock *m, struct req *r, struct MHD_Connection *c);
/* kind, remaining and target of the pending fault, for /__mock/stats (m->mu held). */
void mock_fault_describe(const struct mock_fault_state *f, cJSON *into);

#endif
