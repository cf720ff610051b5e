/* base64: RFC 4648 vectors, the two kernels against each other and a naive reference,
 * coreutils `base64 -w0` as an outside oracle, and the strict decoder. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base64.h"
#include "helpers.h"

static const enum b64_kernel kernels[] = { B64_KERNEL_SCALAR, B64_KERNEL_AVX2, B64_KERNEL_AVX512 };
#define N_KERNELS (sizeof kernels / sizeof kernels[0])

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static void fill_random(unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        rng_state ^= rng_state << 13;
        rng_state ^= rng_state >> 7;
        rng_state ^= rng_state << 17;
        p[i] = (unsigned char)(rng_state >> 24);
    }
}

static bool have_kernel(enum b64_kernel k)
{
    return k == B64_KERNEL_SCALAR || (k == B64_KERNEL_AVX2 && b64_have_avx2()) ||
           (k == B64_KERNEL_AVX512 && b64_have_avx512());
}

/* Select a kernel; false when this CPU lacks it (the loops go on with the others). */
static bool use_kernel(enum b64_kernel k)
{
    if (!have_kernel(k)) {
        fprintf(stderr, "kernel %d not on this CPU: not tested here\n", (int)k);
        return false;
    }
    assert_int_equal(b64_select(k), k);
    return true;
}

/* Bit-by-bit reference, deliberately nothing like the kernels. */
static size_t ref_encode(const unsigned char *in, size_t n, char *out)
{
    static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0, bits = 0;
    unsigned acc = 0;
    for (size_t i = 0; i < n; i++) {
        acc = (acc << 8 | in[i]) & 0xffff;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out[o++] = a[(acc >> bits) & 63];
        }
    }
    if (bits)
        out[o++] = a[(acc << (6 - bits)) & 63];
    while (o % 4)
        out[o++] = '=';
    return o;
}

static const struct { const char *in, *out; } vectors[] = {
    { "", "" },
    { "f", "Zg==" },
    { "fo", "Zm8=" },
    { "foo", "Zm9v" },
    { "foob", "Zm9vYg==" },
    { "fooba", "Zm9vYmE=" },
    { "foobar", "Zm9vYmFy" },
    /* Long enough for the AVX2 loop; the example from Kombo's API reference. */
    { "Hi there, Kombo is currently hiring engineers that love to work on developer products.",
      "SGkgdGhlcmUsIEtvbWJvIGlzIGN1cnJlbnRseSBoaXJpbmcgZW5naW5lZXJzIHRoYXQgbG92ZSB0byB3b3JrIG9u"
      "IGRldmVsb3BlciBwcm9kdWN0cy4=" },
    /* Every alphabet character, twice over, so the AVX2 loop meets each one (96 bytes). */
    { "\x00\x10\x83\x10\x51\x87\x20\x92\x8b\x30\xd3\x8f\x41\x14\x93\x51\x55\x97\x61\x96\x9b\x71\xd7\x9f"
      "\x82\x18\xa3\x92\x59\xa7\xa2\x9a\xab\xb2\xdb\xaf\xc3\x1c\xb3\xd3\x5d\xb7\xe3\x9e\xbb\xf3\xdf\xbf"
      "\x00\x10\x83\x10\x51\x87\x20\x92\x8b\x30\xd3\x8f\x41\x14\x93\x51\x55\x97\x61\x96\x9b\x71\xd7\x9f"
      "\x82\x18\xa3\x92\x59\xa7\xa2\x9a\xab\xb2\xdb\xaf\xc3\x1c\xb3\xd3\x5d\xb7\xe3\x9e\xbb\xf3\xdf\xbf",
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/" },
};

static void test_rfc_vectors(void **state)
{
    (void)state;
    for (size_t k = 0; k < N_KERNELS; k++) {
        if (!use_kernel(kernels[k]))
            continue;
        for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
            size_t n = i == 8 ? 96 : strlen(vectors[i].in); /* #8 holds NULs */
            char out[256];
            memset(out, '#', sizeof out);
            size_t len = b64_encode((const unsigned char *)vectors[i].in, n, out);
            assert_int_equal(len, strlen(vectors[i].out));
            assert_int_equal(b64_encoded_len(n), len);
            assert_memory_equal(out, vectors[i].out, len);
            assert_int_equal(out[len], '#'); /* nothing written past the end */
        }
    }
}

static void test_encoded_len(void **state)
{
    (void)state;
    static const uint64_t cases[][2] = {
        { 0, 0 }, { 1, 4 }, { 2, 4 }, { 3, 4 }, { 4, 8 }, { 5, 8 }, { 6, 8 }, { 7, 12 },
        { 196608, 262144 }, { 3145729, 4194308 }, { 3ull << 40, 4ull << 40 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(b64_encoded_len(cases[i][0]), cases[i][1]);
}

/* Every length 0..1000 at 32 source and destination offsets: every kernel and the
 * reference give the same text, and nothing is written past it. */
static void test_kernels_agree(void **state)
{
    (void)state;
    enum { MAXN = 1000, OFFS = 32 };
    unsigned char *src = xmalloc(MAXN + OFFS);
    char *ref = xmalloc(b64_encoded_len(MAXN) + 1);
    char *dst = xmalloc(b64_encoded_len(MAXN) + OFFS + 1);
    fill_random(src, MAXN + OFFS);
    for (size_t k = 0; k < N_KERNELS; k++) {
        if (!use_kernel(kernels[k]))
            continue;
        for (size_t n = 0; n <= MAXN; n++) {
            for (size_t off = 0; off < OFFS; off++) {
                size_t rlen = ref_encode(src + off, n, ref);
                size_t doff = (off * 7) % OFFS;
                memset(dst, '#', b64_encoded_len(MAXN) + OFFS + 1);
                size_t len = b64_encode(src + off, n, dst + doff);
                assert_int_equal(len, rlen);
                assert_memory_equal(dst + doff, ref, rlen);
                assert_int_equal(dst[doff + len], '#');
                if (doff)
                    assert_int_equal(dst[doff - 1], '#');
                /* The streaming entry point on whole groups. */
                size_t whole = n - n % 3;
                len = b64_encode_blocks(src + off, whole, dst + doff);
                assert_int_equal(len, whole / 3 * 4);
                assert_memory_equal(dst + doff, ref, len);
            }
        }
    }
    free(src);
    free(ref);
    free(dst);
}

/* Read everything `base64 -w0 path` prints. */
static char *run_coreutils(const char *path, size_t *len)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "base64 -w0 '%s'", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 1 << 16, n = 0, r;
    char *buf = xmalloc(cap);
    while ((r = fread(buf + n, 1, cap - n, p)) > 0) {
        n += r;
        if (n == cap) {
            buf = xrealloc(buf, cap *= 2);
        }
    }
    assert_int_equal(pclose(p), 0);
    *len = n;
    return buf;
}

static void test_against_coreutils(void **state)
{
    (void)state;
    size_t sizes[110], ns = 0;
    for (size_t i = 0; i <= 100; i++)
        sizes[ns++] = i;
    sizes[ns++] = 4095;
    sizes[ns++] = 65537;
    sizes[ns++] = (1u << 20) + 2;
    char path[] = "/tmp/ka-b64-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    for (size_t i = 0; i < ns; i++) {
        size_t n = sizes[i];
        unsigned char *data = xmalloc(n + 1);
        char *mine = xmalloc(b64_encoded_len(n) + 1);
        fill_random(data, n);
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(data, 1, n, f), n);
        assert_int_equal(fclose(f), 0);
        size_t theirs_len;
        char *theirs = run_coreutils(path, &theirs_len);
        for (size_t k = 0; k < N_KERNELS; k++) {
            if (!have_kernel(kernels[k]))
                continue;
            b64_select(kernels[k]);
            size_t len = b64_encode(data, n, mine);
            assert_int_equal(len, theirs_len);
            assert_memory_equal(mine, theirs, len);
        }
        free(theirs);
        free(data);
        free(mine);
    }
    unlink(path);
}

static void test_decode_roundtrip(void **state)
{
    (void)state;
    unsigned char src[600], back[600];
    char enc[800];
    fill_random(src, sizeof src);
    for (size_t n = 0; n <= sizeof src; n++) {
        size_t len = b64_encode(src, n, enc);
        assert_int_equal(b64_decode(enc, len, back), (long long)n);
        assert_memory_equal(back, src, n);
    }
}

static void test_decode_rejects(void **state)
{
    (void)state;
    static const struct { const char *in; size_t n; } bad[] = {
        { "A", 1 }, { "AB", 2 }, { "ABC", 3 }, { "ABCDE", 5 },    /* length */
        { "Zg=", 3 }, { "Zg", 2 },                                /* missing padding */
        { "Z===", 4 }, { "====", 4 }, { "Zg=A", 4 }, { "Z=g=", 4 }, /* misplaced '=' */
        { "Zg==Zg==", 8 }, { "Zm8=Zm9v", 8 },                     /* padding mid-text */
        { "Zm9v\n", 5 }, { " Zm9v", 5 }, { "Zm 9", 4 },           /* whitespace */
        { "Zm-v", 4 }, { "Zm_v", 4 }, { "Zm9v\0\0\0\0", 8 },      /* other alphabets, NUL */
        { "Zm9\xc3", 4 }, { "Zm.v", 4 },
        { "Zh==", 4 }, { "Zm9=", 4 },                             /* non-zero trailing bits */
    };
    unsigned char out[16];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (b64_decode(bad[i].in, bad[i].n, out) != -1)
            fail_msg("accepted invalid base64 #%zu \"%s\"", i, bad[i].in);
    }
    /* And the canonical forms next to them are accepted. */
    assert_int_equal(b64_decode("", 0, out), 0);
    assert_int_equal(b64_decode("Zg==", 4, out), 1);
    assert_int_equal(out[0], 'f');
    assert_int_equal(b64_decode("Zm8=", 4, out), 2);
    assert_memory_equal(out, "fo", 2);
    assert_int_equal(b64_decode("+/+/", 4, out), 3);
    assert_memory_equal(out, "\xfb\xff\xbf", 3);
}

static void test_select(void **state)
{
    (void)state;
    enum b64_kernel k = b64_select(B64_KERNEL_AUTO);
    enum b64_kernel best = b64_have_avx512() ? B64_KERNEL_AVX512
                         : b64_have_avx2() ? B64_KERNEL_AVX2 : B64_KERNEL_SCALAR;
    assert_int_equal(k, best);
    assert_string_equal(b64_kernel_name(), best == B64_KERNEL_AVX512 ? "avx512"
                                         : best == B64_KERNEL_AVX2 ? "avx2" : "scalar");
    /* Asking for a kernel the CPU lacks gives the best one below it. */
    if (!b64_have_avx512())
        assert_int_equal(b64_select(B64_KERNEL_AVX512), b64_have_avx2() ? B64_KERNEL_AVX2
                                                                        : B64_KERNEL_SCALAR);
    assert_int_equal(b64_select(B64_KERNEL_SCALAR), B64_KERNEL_SCALAR);
    assert_string_equal(b64_kernel_name(), "scalar");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc_vectors),
        cmocka_unit_test(test_encoded_len),
        cmocka_unit_test(test_kernels_agree),
        cmocka_unit_test(test_against_coreutils),
        cmocka_unit_test(test_decode_roundtrip),
        cmocka_unit_test(test_decode_rejects),
        cmocka_unit_test(test_select),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
