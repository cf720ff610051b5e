/* A loopback port where connecting never completes: a listener whose backlog is full and
 * that never accepts, so the kernel drops further SYNs and a client can only time out in
 * connect (for --connect-timeout tests). Prints the port, then waits to be killed. Built
 * by the test that uses it. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof sa;
    if (l < 0 || bind(l, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(l, 0) != 0 ||
        getsockname(l, (struct sockaddr *)&sa, &len) != 0)
        return 1;
    /* Fill the accept queue (backlog 0 still holds one connection, sometimes two). */
    for (int i = 0; i < 3; i++) {
        int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        connect(c, (struct sockaddr *)&sa, sizeof sa);
    }
    printf("%u\n", (unsigned)ntohs(sa.sin_port));
    fflush(stdout);
    for (;;)
        pause();
}
