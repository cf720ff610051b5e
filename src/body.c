/* The request body, streamed: a JSON prefix, the file's base64 read chunk by chunk, a
 * suffix. Memory stays at one chunk whatever the file size. The file must be the one the
 * user chose from the first byte to the last: any change in size, mtime or identity
 * turns the read into BODY_READ_ERROR before the body's last byte leaves, so a server
 * never sees a complete body for a file that changed under us.
 *
 * The SHA-256 for the history runs on a helper thread when one can be started: it hashes
 * chunk k while the caller's thread encodes and sends chunk k (both only read it), with two
 * chunk buffers so reading chunk k+1 does not wait for the hash of chunk k. SHA-256 costs
 * about as much as the rest of the send, so this nearly halves an upload's time on a
 * machine with two cores. The thread touches nothing but the digest and the chunk it was
 * handed; every hand-over goes through its mutex. Without the thread, hashing is inline. */
#include "body.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <openssl/evp.h>

#include "attachment.h"
#include "base64.h"
#include "exitcodes.h"
#include "hex.h"
#include "xalloc.h"

/* A multiple of 3, so every chunk but the file's last encodes without padding. */
#define BODY_CHUNK (192 * 1024)

/* The hashing thread: a queue of at most two chunks (one per buffer), hashed in order. */
struct hasher {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    EVP_MD_CTX *ctx;
    const unsigned char *job[2];
    size_t job_len[2];
    int job_buf[2];
    unsigned head, count;      /* queue position and length */
    bool busy[2];              /* buffer i is queued or being hashed */
    bool quit;
};

struct body {
    int fd;
    char *path;
    struct stat st0;           /* size, mtime and identity when opened */
    uint64_t size;             /* expected file size */
    char *prefix, *suffix;
    size_t prefix_len, suffix_len;
    uint64_t data_len, total;  /* base64 length, whole body length */
    uint64_t pos;              /* body bytes produced so far */
    unsigned char *in;         /* current file chunk: buf[cur] */
    unsigned char *buf[2];     /* buf[1] only with the hashing thread */
    int cur;
    size_t in_len, in_off;     /* bytes in it, bytes of it already encoded */
    uint64_t file_read;        /* file bytes read so far */
    bool verified;             /* whole file read and found unchanged */
    bool failed;
    EVP_MD_CTX *sha;           /* SHA-256 of the file's bytes, when asked for (history) */
    struct hasher *hasher;     /* NULL: hash inline */
    bool sha_done;
    unsigned char digest[32];
    char pend[4];              /* one encoded group that did not fit the caller's buffer */
    size_t pend_len, pend_off;
    char err[512];
};

/* A JSON string literal (quotes included) for s, escaped by cJSON. Caller frees. */
static char *json_string(const char *s)
{
    cJSON *j = cJSON_CreateString(s);
    char *out = j ? cJSON_PrintUnformatted(j) : NULL;
    cJSON_Delete(j);
    if (!out)
        xalloc_fatal("cJSON_PrintUnformatted");
    return out;
}

/* Prefix `{"attachment":{"name":..,"type":..,"content_type":..,"data":"` and suffix
 * `"}}` or `"},"remote_fields":{..}}`. The parts were checked where they were chosen
 * (attachment_init, sendopts): here they are only assembled. */
static void build_parts(const struct attachment *att, const char *remote_fields,
                        char **prefix, char **suffix)
{
    char *name = json_string(att->name), *ct = json_string(att->content_type);
    *prefix = xasprintf("{\"attachment\":{\"name\":%s,\"type\":\"%s\",\"content_type\":%s,"
                        "\"data\":\"", name, att_type_name(att->type), ct);
    /* The SDK leaves remote_fields out when it is not given; so do we. */
    *suffix = remote_fields ? xasprintf("\"},\"remote_fields\":%s}", remote_fields)
                            : xstrdup("\"}}");
    cJSON_free(name);
    cJSON_free(ct);
}

/* ---- the hashing thread ---- */

static void *hasher_main(void *arg)
{
    struct hasher *h = arg;
    pthread_mutex_lock(&h->mu);
    for (;;) {
        while (!h->quit && h->count == 0)
            pthread_cond_wait(&h->work, &h->mu);
        if (h->quit)
            break;
        const unsigned char *p = h->job[h->head];
        size_t len = h->job_len[h->head];
        int buf = h->job_buf[h->head];
        pthread_mutex_unlock(&h->mu);
        EVP_DigestUpdate(h->ctx, p, len);
        pthread_mutex_lock(&h->mu);
        h->head = (h->head + 1) % 2;
        h->count--;
        h->busy[buf] = false;
        pthread_cond_signal(&h->done);
    }
    pthread_mutex_unlock(&h->mu);
    return NULL;
}

/* Start the thread with every signal blocked, so signals keep going to the caller's
 * thread (Ctrl-C, SIGWINCH for the UI). NULL when it cannot start: hash inline then. */
static struct hasher *hasher_start(EVP_MD_CTX *ctx)
{
    struct hasher *h = xcalloc(1, sizeof *h);
    h->ctx = ctx;
    if (pthread_mutex_init(&h->mu, NULL) != 0) {
        free(h);
        return NULL;
    }
    pthread_cond_init(&h->work, NULL);
    pthread_cond_init(&h->done, NULL);
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(&h->thread, NULL, hasher_main, h);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        pthread_cond_destroy(&h->work);
        pthread_cond_destroy(&h->done);
        pthread_mutex_destroy(&h->mu);
        free(h);
        return NULL;
    }
    return h;
}

/* Wait until buffer i is not being hashed (all = wait until the queue is empty). */
static void hasher_wait(struct hasher *h, int i, bool all)
{
    pthread_mutex_lock(&h->mu);
    while (all ? h->count > 0 : h->busy[i])
        pthread_cond_wait(&h->done, &h->mu);
    pthread_mutex_unlock(&h->mu);
}

static void hasher_submit(struct hasher *h, int i, const unsigned char *p, size_t len)
{
    pthread_mutex_lock(&h->mu);
    unsigned slot = (h->head + h->count) % 2;
    h->job[slot] = p;
    h->job_len[slot] = len;
    h->job_buf[slot] = i;
    h->count++;
    h->busy[i] = true;
    pthread_cond_signal(&h->work);
    pthread_mutex_unlock(&h->mu);
}

static void hasher_stop(struct hasher *h)
{
    if (!h)
        return;
    pthread_mutex_lock(&h->mu);
    h->quit = true;
    pthread_cond_signal(&h->work);
    pthread_mutex_unlock(&h->mu);
    pthread_join(h->thread, NULL);
    pthread_cond_destroy(&h->work);
    pthread_cond_destroy(&h->done);
    pthread_mutex_destroy(&h->mu);
    free(h);
}

/* Every byte handed out so far is in the digest. */
static void sha_sync(struct body *b)
{
    if (b->hasher)
        hasher_wait(b->hasher, 0, true);
}

static size_t fail(struct body *b, const char *fmt, const char *detail)
{
    snprintf(b->err, sizeof b->err, fmt, b->path, detail);
    b->failed = true;
    return BODY_READ_ERROR;
}

static size_t changed(struct body *b, const char *detail)
{
    return fail(b, "%s changed while it was being sent (%s); nothing was stored, send it again",
                detail);
}

static size_t changed_size(struct body *b, uint64_t now)
{
    char d[96];
    snprintf(d, sizeof d, "size %llu → %llu bytes", (unsigned long long)b->size,
             (unsigned long long)now);
    return changed(b, d);
}

/* An in-place rewrite that puts the mtime back still moves the ctime. */
static bool same_times(const struct stat *a, const struct stat *c)
{
    return a->st_mtim.tv_sec == c->st_mtim.tv_sec && a->st_mtim.tv_nsec == c->st_mtim.tv_nsec &&
           a->st_ctim.tv_sec == c->st_ctim.tv_sec && a->st_ctim.tv_nsec == c->st_ctim.tv_nsec;
}

/* The file (by descriptor) and its path still are what body_open saw. 0, or
 * BODY_READ_ERROR with the message set. */
static size_t check_unchanged(struct body *b)
{
    struct stat st, ps;
    if (fstat(b->fd, &st) != 0)
        return fail(b, "cannot check %s: %s", strerror(errno));
    if ((uint64_t)st.st_size != b->size)
        return changed_size(b, (uint64_t)st.st_size);
    /* The path first: removing or replacing a file moves its ctime too, and the message
     * should say what really happened. */
    if (stat(b->path, &ps) != 0)
        return changed(b, "moved or deleted during the upload");
    if (ps.st_dev != b->st0.st_dev || ps.st_ino != b->st0.st_ino)
        return changed(b, "replaced by another file during the upload");
    if (!same_times(&st, &b->st0))
        return changed(b, "modified during the upload");
    return 0;
}

/* Called once every expected byte is read, before any of the last chunk is encoded. */
static size_t check_eof(struct body *b)
{
    unsigned char extra;
    ssize_t r;
    while ((r = read(b->fd, &extra, 1)) < 0 && errno == EINTR)
        ;
    if (r < 0)
        return fail(b, "cannot read %s: %s", strerror(errno));
    if (r > 0) {
        struct stat st;
        uint64_t now = fstat(b->fd, &st) == 0 ? (uint64_t)st.st_size : b->size + 1;
        return changed_size(b, now > b->size ? now : b->size + 1);
    }
    if (check_unchanged(b) == BODY_READ_ERROR)
        return BODY_READ_ERROR;
    b->verified = true;
    if (b->sha && !b->sha_done) {
        sha_sync(b);
        EVP_DigestFinal_ex(b->sha, b->digest, NULL);
        b->sha_done = true;
    }
    return 0;
}

/* Read the next chunk of the file into b->in. */
static size_t refill(struct body *b)
{
    uint64_t left = b->size - b->file_read;
    size_t want = left < BODY_CHUNK ? (size_t)left : BODY_CHUNK, got = 0;
    if (b->hasher) {
        /* the other buffer; the hash of what it held two chunks ago must be done */
        b->cur ^= 1;
        hasher_wait(b->hasher, b->cur, false);
        b->in = b->buf[b->cur];
    }
    while (got < want) {
        ssize_t r = read(b->fd, b->in + got, want - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return fail(b, "cannot read %s: %s", strerror(errno));
        if (r == 0)
            break;
        got += (size_t)r;
    }
    b->file_read += got;
    if (b->sha && got && !b->sha_done) {
        if (b->hasher)
            hasher_submit(b->hasher, b->cur, b->in, got);
        else
            EVP_DigestUpdate(b->sha, b->in, got);
    }
    b->in_len = got;
    b->in_off = 0;
    if (got < want) {
        struct stat st;
        uint64_t now = fstat(b->fd, &st) == 0 ? (uint64_t)st.st_size : b->file_read;
        return changed_size(b, now < b->size ? now : b->file_read);
    }
    return b->file_read == b->size ? check_eof(b) : 0;
}

/* Produce base64 into dst (room > 0, some data still due). Bulk goes straight from the
 * chunk into dst; a group that does not fit, and the padded tail, go through pend. */
static size_t data_step(struct body *b, char *dst, size_t room)
{
    if (b->pend_off == b->pend_len) {
        if (b->in_off == b->in_len && refill(b) == BODY_READ_ERROR)
            return BODY_READ_ERROR;
        size_t avail = b->in_len - b->in_off, groups = avail / 3;
        if (avail == 0) /* cannot happen while lengths agree; never spin on it */
            return fail(b, "internal error while reading %s%s", "");
        if (groups > room / 4)
            groups = room / 4;
        if (groups) {
            size_t n = b64_encode_blocks(b->in + b->in_off, groups * 3, dst);
            b->in_off += groups * 3;
            return n;
        }
        size_t take = avail < 3 ? avail : 3;
        b->pend_len = b64_encode(b->in + b->in_off, take, b->pend);
        b->pend_off = 0;
        b->in_off += take;
    }
    size_t n = b->pend_len - b->pend_off;
    if (n > room)
        n = room;
    memcpy(dst, b->pend + b->pend_off, n);
    b->pend_off += n;
    return n;
}

size_t body_read(struct body *b, char *buf, size_t len)
{
    if (b->failed)
        return BODY_READ_ERROR;
    size_t done = 0;
    while (done < len && b->pos < b->total) {
        char *dst = buf + done;
        size_t room = len - done, n;
        uint64_t data_end = b->prefix_len + b->data_len;
        if (b->pos < b->prefix_len) {
            n = b->prefix_len - (size_t)b->pos;
            n = n < room ? n : room;
            memcpy(dst, b->prefix + b->pos, n);
        } else if (b->pos < data_end) {
            if ((n = data_step(b, dst, room)) == BODY_READ_ERROR)
                return BODY_READ_ERROR;
        } else {
            /* An empty file has no data to trigger the end check: do it here. */
            if (!b->verified && check_eof(b) == BODY_READ_ERROR)
                return BODY_READ_ERROR;
            size_t off = (size_t)(b->pos - data_end);
            n = b->suffix_len - off;
            n = n < room ? n : room;
            memcpy(dst, b->suffix + off, n);
        }
        b->pos += n;
        done += n;
    }
    return done;
}

struct body *body_open(const struct attachment *att, const char *remote_fields,
                       int *code, char *err, size_t errlen)
{
    char *prefix, *suffix;
    err[0] = '\0';
    build_parts(att, remote_fields, &prefix, &suffix);
    struct body *b = xcalloc(1, sizeof *b);
    b->fd = -1;
    b->path = xstrdup(att->path);
    b->in = b->buf[0] = xmalloc(BODY_CHUNK);
    b->prefix = prefix;
    b->suffix = suffix;
    prefix = suffix = NULL;
    /* Non-blocking: a path swapped for a FIFO or a device after the pick must not hang us;
     * fstat then tells what was opened, and only the file chosen is read. */
    b->fd = open(att->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (b->fd < 0) {
        *code = KA_EXIT_FILE;
        snprintf(err, errlen, "cannot open %s: %s", att->path, strerror(errno));
        goto fail;
    }
    *code = KA_EXIT_FILE;
    if (fstat(b->fd, &b->st0) != 0) {
        snprintf(err, errlen, "cannot read %s: %s", att->path, strerror(errno));
        goto fail;
    }
    if (!S_ISREG(b->st0.st_mode)) {
        snprintf(err, errlen, "%s is not a regular file", att->path);
        goto fail;
    }
    if ((uint64_t)b->st0.st_size != att->size) {
        snprintf(err, errlen, "%s changed since it was chosen (size %llu → %llu bytes); "
                 "choose it again", att->path, (unsigned long long)att->size,
                 (unsigned long long)b->st0.st_size);
        goto fail;
    }
    const char *changed_how = att_identity_differs(att, &b->st0);
    if (changed_how) {
        snprintf(err, errlen, "%s was %s since it was chosen; nothing was sent — choose it "
                 "again", att->path, changed_how);
        goto fail;
    }
    fcntl(b->fd, F_SETFL, fcntl(b->fd, F_GETFL) & ~O_NONBLOCK);
    *code = 0;
    b->size = att->size;
    b->prefix_len = strlen(b->prefix);
    b->suffix_len = strlen(b->suffix);
    b->data_len = b64_encoded_len(b->size);
    b->total = b->prefix_len + b->data_len + b->suffix_len;
    return b;
fail:
    free(prefix);
    free(suffix);
    body_close(b);
    return NULL;
}

uint64_t body_length_for(const struct attachment *att, const char *remote_fields)
{
    char *prefix, *suffix;
    build_parts(att, remote_fields, &prefix, &suffix);
    uint64_t n = strlen(prefix) + b64_encoded_len(att->size) + strlen(suffix);
    free(prefix);
    free(suffix);
    return n;
}

uint64_t body_length(const struct body *b)
{
    return b->total;
}

int body_rewind(struct body *b)
{
    b->failed = false;
    b->err[0] = '\0';
    if (lseek(b->fd, 0, SEEK_SET) != 0) {
        fail(b, "cannot read %s again: %s", strerror(errno));
        return -1;
    }
    if (check_unchanged(b) == BODY_READ_ERROR)
        return -1;
    b->pos = b->file_read = 0;
    b->in_len = b->in_off = b->pend_len = b->pend_off = 0;
    b->verified = false;
    /* A pass that got as far as the end already has the digest of these same bytes
     * (check_unchanged just said so); otherwise hash this pass from the start. */
    if (b->sha && !b->sha_done) {
        sha_sync(b);
        EVP_DigestInit_ex(b->sha, EVP_sha256(), NULL);
    }
    return 0;
}

int body_want_sha256(struct body *b)
{
    if (b->sha)
        return 0;
    if (b->pos != 0 || !(b->sha = EVP_MD_CTX_new()) ||
        EVP_DigestInit_ex(b->sha, EVP_sha256(), NULL) != 1)
        return -1;
    /* A second buffer and the thread; without the thread (or for a file of one chunk or
     * less, where there is nothing to overlap) the hash is computed inline. */
    if (b->size > BODY_CHUNK) {
        b->buf[1] = xmalloc(BODY_CHUNK);
        if (!(b->hasher = hasher_start(b->sha))) {
            free(b->buf[1]);
            b->buf[1] = NULL;
        }
    }
    return 0;
}

bool body_sha256_hex(const struct body *b, char out[65])
{
    if (!b->sha_done)
        return false;
    hex_encode(b->digest, sizeof b->digest, out);
    return true;
}

const char *body_error(const struct body *b)
{
    return b->err;
}

void body_close(struct body *b)
{
    if (!b)
        return;
    hasher_stop(b->hasher);
    if (b->fd >= 0)
        close(b->fd);
    free(b->path);
    free(b->prefix);
    free(b->suffix);
    free(b->buf[0]);
    free(b->buf[1]);
    EVP_MD_CTX_free(b->sha);
    free(b);
}

char *body_describe(const struct attachment *att, const char *remote_fields)
{
    char *prefix, *suffix;
    build_parts(att, remote_fields, &prefix, &suffix);
    char *out = xasprintf("%s<base64 of %llu bytes: %llu characters>%s", prefix,
                          (unsigned long long)att->size,
                          (unsigned long long)b64_encoded_len(att->size), suffix);
    free(prefix);
    free(suffix);
    return out;
}
