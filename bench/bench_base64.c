/* Encoder benchmark: in-memory kernel throughput, and streaming a file to /dev/null the way
 * the upload body does (read a chunk, encode it, write it).
 * usage: bench_base64 FILE [runs]  — prints one line per measurement.
 *        bench_base64 --stream scalar|avx2|avx512 FILE  — encode FILE to stdout in the same 192 KiB
 *        chunks (padding at the end, no line breaks: the same bytes as `base64 -w0 FILE`), so
 *        the whole process can be timed side by side with coreutils.
 *        bench_base64 --stream read FILE  — only read FILE in those chunks (the floor). */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base64.h"
#include "bench.h"

/* Chunk of the streaming paths: body.c's BODY_CHUNK. */
#ifndef STREAM_CHUNK
#define STREAM_CHUNK (192 * 1024)
#endif

/* Stream path through the encoder into /dev/null in 192 KiB chunks (as body.c does). */
static double stream_file(const char *path)
{
    enum { CHUNK = STREAM_CHUNK };
    static unsigned char in[CHUNK];
    static char out[CHUNK / 3 * 4 + 4];
    int fd = open(path, O_RDONLY), null = open("/dev/null", O_WRONLY);
    if (fd < 0 || null < 0)
        return -1;
    double t0 = clock_now();
    ssize_t n;
    while ((n = read(fd, in, CHUNK)) > 0) {
        size_t m = b64_encode(in, (size_t)n, out);
        if (write(null, out, m) != (ssize_t)m)
            break;
    }
    double dt = clock_now() - t0;
    close(fd);
    close(null);
    return dt;
}

/* FILE -> stdout through the chosen kernel; 0, or 1 on error. */
static int stream_stdout(const char *kernel, const char *path)
{
    enum { CHUNK = STREAM_CHUNK };
    static unsigned char in[CHUNK];
    static char out[CHUNK / 3 * 4 + 4];
    enum b64_kernel want = strcmp(kernel, "avx512") == 0 ? B64_KERNEL_AVX512
                         : strcmp(kernel, "avx2") == 0 ? B64_KERNEL_AVX2 : B64_KERNEL_SCALAR;
    bool read_only = strcmp(kernel, "read") == 0; /* the floor: read the file, no encoding */
    if (!read_only && b64_select(want) != want) {
        fprintf(stderr, "bench_base64: kernel %s is not available here\n", kernel);
        return 1;
    }
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        perror(path);
        return 1;
    }
    for (;;) {
        size_t have = 0;
        ssize_t n;
        /* fill the whole chunk so only the file's last chunk can need padding */
        while (have < CHUNK && (n = read(fd, in + have, CHUNK - have)) > 0)
            have += (size_t)n;
        if (have == 0)
            break;
        if (read_only) {
            if (have < CHUNK)
                break;
            continue;
        }
        size_t m = b64_encode(in, have, out), off = 0;
        while (off < m) {
            ssize_t w = write(1, out + off, m - off);
            if (w <= 0) {
                perror("write");
                return 1;
            }
            off += (size_t)w;
        }
        if (have < CHUNK)
            break;
    }
    close(fd);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "--stream") == 0)
        return stream_stdout(argv[2], argv[3]);
    if (argc < 2) {
        fprintf(stderr, "usage: bench_base64 FILE [runs]\n");
        return 2;
    }
    int runs = bench_number(argc > 2 ? argv[2] : NULL, 5, 50);
    struct stat st;
    if (stat(argv[1], &st) != 0) {
        perror(argv[1]);
        return 1;
    }
    size_t n = (size_t)st.st_size / 3 * 3;
    unsigned char *buf = xmalloc(n);
    char *out = xmalloc(b64_encoded_len(n) + 1);
    FILE *f = fopen(argv[1], "rb");
    if (!f || fread(buf, 1, n, f) != n) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 1;
    }
    fclose(f);
    static const enum b64_kernel kernels[] = { B64_KERNEL_SCALAR, B64_KERNEL_AVX2, B64_KERNEL_AVX512 };
    for (size_t k = 0; k < sizeof kernels / sizeof *kernels; k++) {
        if (b64_select(kernels[k]) != kernels[k])
            continue;
        double t[50], s[50];
        for (int r = 0; r < runs; r++) {
            double t0 = clock_now();
            b64_encode_blocks(buf, n, out);
            t[r] = clock_now() - t0;
            s[r] = stream_file(argv[1]);
        }
        double tm = bench_median(t, runs), sm = bench_median(s, runs);
        printf("kernel %-6s in-memory %8.1f MB/s (median %.4f s)  file->/dev/null median %.4f s\n",
               b64_kernel_name(), n / tm / 1e6, tm, sm);
    }
    free(buf);
    free(out);
    return 0;
}
