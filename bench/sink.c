/* A minimal HTTP sink for benchmarks: reads each request body and throws it away, then
 * answers Kombo's success shape. One connection at a time, loopback only.
 * usage: sink [PORT]   (prints "PORT\n" on stdout once listening; PORT 0 = any) */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

/* The JSON's length is counted by the compiler, so Content-Length always matches it. */
#define OK_JSON "{\"status\":\"success\",\"data\":{},\"warnings\":[]}\n"
static char ok_answer[256];
static size_t ok_answer_len;

static void serve(int c)
{
    static char buf[1 << 20];
    size_t have = 0;
    char *end = NULL;
    while (!end && have < 65536) {
        ssize_t n = read(c, buf + have, 65536 - have);
        if (n <= 0)
            return;
        have += (size_t)n;
        buf[have] = '\0';
        end = strstr(buf, "\r\n\r\n");
    }
    if (!end)
        return;
    unsigned long long len = 0;
    for (char *p = buf; p < end; p = strstr(p, "\r\n") + 2) {
        if (strncasecmp(p, "Content-Length:", 15) == 0)
            len = strtoull(p + 15, NULL, 10);
        if (strncasecmp(p, "Expect: 100-continue", 20) == 0 &&
            write(c, "HTTP/1.1 100 Continue\r\n\r\n", 25) < 0)
            return;
    }
    unsigned long long got = have - (size_t)(end + 4 - buf);
    while (got < len) {
        ssize_t n = read(c, buf, sizeof buf);
        if (n <= 0)
            return;
        got += (unsigned long long)n;
    }
    if (write(c, ok_answer, ok_answer_len) < 0)
        return;
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    int w = snprintf(ok_answer, sizeof ok_answer,
                     "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n\r\n%s", sizeof OK_JSON - 1, OK_JSON);
    ok_answer_len = (size_t)w;
    int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
                             .sin_port = htons((unsigned short)(argc > 1 ? atoi(argv[1]) : 0)) };
    if (bind(s, (struct sockaddr *)&a, sizeof a) != 0 || listen(s, 16) != 0) {
        perror("sink");
        return 1;
    }
    socklen_t al = sizeof a;
    getsockname(s, (struct sockaddr *)&a, &al);
    printf("%u\n", ntohs(a.sin_port));
    fflush(stdout);
    for (;;) {
        int c = accept(s, NULL, NULL);
        if (c < 0)
            continue;
        serve(c);
        close(c);
    }
}
