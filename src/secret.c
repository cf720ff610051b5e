#include "secret.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "exitcodes.h"
#include "xalloc.h"

#define KEY_CMD_MAX 8192 /* output kept; more is read and dropped */

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

/* The key's first PREFIX_MIN characters and as many more as follow: a whole key, or what is
 * left of one that a server or a proxy cut short ("ks_live_SENTINEL12..."). */
#define PREFIX_MIN 8

void secret_redact_n(char **s, size_t *n, const char *key)
{
    if (!*s || !key)
        return;
    size_t klen = strlen(key);
    size_t need = klen < PREFIX_MIN ? klen : PREFIX_MIN;
    if (need < 4)
        return;
    static const char mark[] = "<redacted>";
    size_t mlen = sizeof mark - 1, slen = *n;
    char *out = NULL;
    size_t o = 0, i = 0, copied = 0;
    while (i + need <= slen) {
        char *hit = memmem(*s + i, slen - i, key, need);
        if (!hit)
            break;
        size_t at = (size_t)(hit - *s), k = need;
        while (k < klen && at + k < slen && (*s)[at + k] == key[k])
            k++;
        if (k < klen && klen < PREFIX_MIN) {
            i = at + 1; /* a short key counts only whole */
            continue;
        }
        if (!out)
            out = xmalloc(slen / need * mlen + slen + 1);
        memcpy(out + o, *s + copied, at - copied);
        o += at - copied;
        memcpy(out + o, mark, mlen);
        o += mlen;
        copied = i = at + k;
    }
    if (!out)
        return;
    memcpy(out + o, *s + copied, slen - copied);
    o += slen - copied;
    out[o] = '\0';
    explicit_bzero(*s, slen);
    free(*s);
    *s = out;
    *n = o;
}

void secret_redact(char **s, const char *key)
{
    if (!*s)
        return;
    size_t n = strlen(*s);
    secret_redact_n(s, &n, key);
}

/* The output is never shown: on failure it could be the key, or part of it. */
int secret_from_command(const char *cmd, const char *where, unsigned timeout_s, char **key,
                        char *err, size_t errlen)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        snprintf(err, errlen, "cannot run api_key_command (%s): %s", where, strerror(errno));
        return KA_EXIT_CONFIG;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        snprintf(err, errlen, "cannot run api_key_command (%s): %s", where, strerror(errno));
        return KA_EXIT_CONFIG;
    }
    if (pid == 0) {
        setpgid(0, 0); /* its own group, so a time-out ends whatever it started too */
        if (dup2(fds[1], STDOUT_FILENO) < 0)
            _exit(127);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    setpgid(pid, pid);
    close(fds[1]);
    char *buf = xmalloc(KEY_CMD_MAX);
    size_t len = 0;
    char sink[4096];
    double deadline = clock_now() + (double)timeout_s;
    bool timed_out = false;
    for (;;) {
        int left = (int)((deadline - clock_now()) * 1000.0);
        if (left <= 0) {
            timed_out = true;
            break;
        }
        struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
        int pr = poll(&pfd, 1, left);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr == 0) {
            timed_out = true;
            break;
        }
        ssize_t r = len < KEY_CMD_MAX ? read(fds[0], buf + len, KEY_CMD_MAX - len)
                                      : read(fds[0], sink, sizeof sink);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        if (len < KEY_CMD_MAX)
            len += (size_t)r;
    }
    close(fds[0]);
    if (timed_out)
        kill(-pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;

    int rc = 0;
    if (timed_out) {
        snprintf(err, errlen, "api_key_command (%s) did not finish within %u s (is it waiting for a "
                 "password?) — run it yourself to see why", where, timeout_s);
        rc = KA_EXIT_CONFIG;
    } else if (WIFSIGNALED(status)) {
        snprintf(err, errlen, "api_key_command (%s) was killed by signal %d — run it yourself to see why",
                 where, WTERMSIG(status));
        rc = KA_EXIT_CONFIG;
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        snprintf(err, errlen, "api_key_command (%s) failed with exit status %d — run it yourself to see why",
                 where, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        rc = KA_EXIT_CONFIG;
    } else if (!(*key = secret_first_line(buf, len)) || !**key) { /* "" : a NUL byte first */
        secret_free(*key);
        *key = NULL;
        snprintf(err, errlen, "api_key_command (%s) printed no key — make it print the key on its "
                 "first line", where);
        rc = KA_EXIT_CONFIG;
    }
    explicit_bzero(buf, KEY_CMD_MAX);
    free(buf);
    return rc;
}

void secret_guard_process(void)
{
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none);
}
