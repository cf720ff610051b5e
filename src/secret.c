#include "secret.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xalloc.h"

static int blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

char *secret_first_line(const char *buf, size_t len)
{
    const char *nl = memchr(buf, '\n', len);
    size_t end = nl ? (size_t)(nl - buf) : len;
    size_t start = 0;
    while (start < end && blank(buf[start]))
        start++;
    while (end > start && blank(buf[end - 1]))
        end--;
    if (end == start)
        return NULL;
    return xstrndup(buf + start, end - start);
}

char *secret_read_first_line(const char *path, size_t max)
{
    int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    char *buf = xmalloc(max + 1);
    size_t n = 0;
    int saved = 0;
    while (n < max) {
        ssize_t r = read(fd, buf + n, max - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            saved = errno;
            break;
        }
        if (r == 0 || memchr(buf + n, '\n', (size_t)r))
            { n += (size_t)(r > 0 ? r : 0); break; }
        n += (size_t)r;
    }
    if (fd != STDIN_FILENO)
        close(fd);
    char *line = saved ? NULL : secret_first_line(buf, n);
    explicit_bzero(buf, max + 1);
    free(buf);
    errno = saved;
    return line;
}

void secret_free(char *s)
{
    if (!s)
        return;
    explicit_bzero(s, strlen(s));
    free(s);
}

void secret_redact(char **s, const char *key)
{
    if (!*s || !key || strlen(key) < 4 || !strstr(*s, key))
        return;
    static const char mark[] = "<redacted>";
    size_t klen = strlen(key), mlen = sizeof mark - 1;
    char *out = xmalloc(strlen(*s) / klen * mlen + strlen(*s) + 1);
    const char *p = *s, *hit;
    size_t o = 0;
    while ((hit = strstr(p, key)) != NULL) {
        memcpy(out + o, p, (size_t)(hit - p));
        o += (size_t)(hit - p);
        memcpy(out + o, mark, mlen);
        o += mlen;
        p = hit + klen;
    }
    strcpy(out + o, p);
    explicit_bzero(*s, strlen(*s));
    free(*s);
    *s = out;
}
