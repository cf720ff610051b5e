#include "filehash.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hex.h"
#include "xalloc.h"

#define CHUNK (256 * 1024)

struct filehash {
    int fd;
    EVP_MD_CTX *ctx;
    uint64_t size, done;
    bool finished, failed;
    char hex[65];
    char err[300];
    unsigned char buf[CHUNK];
};

struct filehash *filehash_open(const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s is not a regular file", path);
        close(fd);
        return NULL;
    }
    struct filehash *h = xcalloc(1, sizeof *h);
    h->fd = fd;
    h->size = (uint64_t)st.st_size;
    h->ctx = EVP_MD_CTX_new();
    if (!h->ctx || EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1)
        xalloc_fatal("EVP_MD_CTX");
    return h;
}

static int fail(struct filehash *h, const char *what)
{
    snprintf(h->err, sizeof h->err, "%s", what);
    h->failed = true;
    return -1;
}

int filehash_step(struct filehash *h, size_t max_bytes)
{
    if (h->failed)
        return -1;
    if (h->finished)
        return 0;
    size_t budget = max_bytes ? max_bytes : CHUNK;
    while (budget > 0) {
        size_t want = budget < CHUNK ? budget : CHUNK;
        ssize_t r = read(h->fd, h->buf, want);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return fail(h, strerror(errno));
        if (r == 0) {
            if (h->done != h->size)
                return fail(h, "the file changed size while it was read");
            unsigned char md[32];
            unsigned len = 0;
            if (EVP_DigestFinal_ex(h->ctx, md, &len) != 1 || len != 32)
                return fail(h, "SHA-256 failed");
            hex_encode(md, 32, h->hex);
            h->finished = true;
            return 0;
        }
        EVP_DigestUpdate(h->ctx, h->buf, (size_t)r);
        h->done += (uint64_t)r;
        if (h->done > h->size)
            return fail(h, "the file grew while it was read");
        budget -= (size_t)r;
    }
    return 1;
}

bool filehash_hex(const struct filehash *h, char out[65])
{
    if (!h || !h->finished)
        return false;
    memcpy(out, h->hex, 65);
    return true;
}

uint64_t filehash_done(const struct filehash *h) { return h->done; }
uint64_t filehash_size(const struct filehash *h) { return h->size; }
const char *filehash_error(const struct filehash *h) { return h->err; }

void filehash_free(struct filehash *h)
{
    if (!h)
        return;
    close(h->fd);
    EVP_MD_CTX_free(h->ctx);
    free(h);
}

int filehash_file(const char *path, char out[65], char *err, size_t errlen)
{
    struct filehash *h = filehash_open(path, err, errlen);
    if (!h)
        return -1;
    int r;
    while ((r = filehash_step(h, 0)) > 0)
        ;
    if (r < 0)
        snprintf(err, errlen, "cannot read %s: %s", path, filehash_error(h));
    else
        filehash_hex(h, out);
    filehash_free(h);
    return r < 0 ? -1 : 0;
}
