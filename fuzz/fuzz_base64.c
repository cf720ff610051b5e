/* libFuzzer harness for the base64 encoder kernels and the strict decoder.
 *
 * 1. The input as bytes: the scalar and AVX2 kernels (when the CPU has AVX2) give the
 *    same text, of b64_encoded_len() bytes, which b64_decode() turns back into the input;
 *    b64_encode_blocks() agrees with b64_encode() on the whole 3-byte groups.
 * 2. The input as base64 text: b64_decode() writes at most 3*(n/4) bytes (into an
 *    exact-size buffer, so ASan catches any write past it) and never crashes; text it
 *    accepts is canonical, i.e. re-encoding the output gives the same text back. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static int have_avx2, have_avx512;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    have_avx2 = b64_have_avx2();
    have_avx512 = b64_have_avx512();
    if (!have_avx2)
        fprintf(stderr, "fuzz_base64: no AVX2 on this CPU; checking the scalar kernel only\n");
    return 0;
}

static void fail(const char *what, size_t n)
{
    fprintf(stderr, "fuzz_base64: %s (input of %zu bytes)\n", what, n);
    abort();
}

/* Encode with one kernel into an exact-size buffer. Caller frees. */
static char *encode_with(enum b64_kernel k, const uint8_t *in, size_t n, size_t *out_len)
{
    if (b64_select(k) != k)
        fail("b64_select did not take the kernel", n);
    size_t want = (size_t)b64_encoded_len(n);
    char *out = xmalloc(want);
    *out_len = b64_encode(in, n, out);
    if (*out_len != want)
        fail("b64_encode length differs from b64_encoded_len", n);

    /* The streaming hot path on whole groups must agree with the padded encoder. */
    size_t whole = n - n % 3;
    char *blk = xmalloc(whole / 3 * 4 + 1);
    size_t bl = b64_encode_blocks(in, whole, blk);
    if (bl != whole / 3 * 4 || memcmp(blk, out, bl) != 0)
        fail("b64_encode_blocks differs from b64_encode", n);
    free(blk);
    return out;
}

static void decode_arbitrary(const uint8_t *data, size_t size)
{
    size_t cap = 3 * (size / 4);
    unsigned char *out = xmalloc(cap);
    /* The text, as an exact-size copy (the input buffer already is). */
    long long r = b64_decode((const char *)data, size, out);
    if (r < -1 || r > (long long)cap)
        fail("b64_decode returned an impossible length", size);
    if (r >= 0) {
        if (size % 4)
            fail("b64_decode accepted a length that is not a multiple of 4", size);
        size_t el = (size_t)b64_encoded_len((uint64_t)r);
        char *re = xmalloc(el);
        if (b64_encode(out, (size_t)r, re) != size || memcmp(re, data, size) != 0)
            fail("b64_decode accepted non-canonical text", size);
        free(re);
    }
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t ls = 0, la = 0;
    char *s = encode_with(B64_KERNEL_SCALAR, data, size, &ls);
    if (have_avx2) {
        char *a = encode_with(B64_KERNEL_AVX2, data, size, &la);
        if (la != ls || memcmp(a, s, ls) != 0)
            fail("scalar and AVX2 kernels differ", size);
        free(a);
    }
    if (have_avx512) {
        size_t lz = 0;
        char *z = encode_with(B64_KERNEL_AVX512, data, size, &lz);
        if (lz != ls || memcmp(z, s, ls) != 0)
            fail("scalar and AVX-512 kernels differ", size);
        free(z);
    }
    for (size_t i = 0; i < ls; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '/' || (c == '=' && i + 2 >= ls)))
            fail("encoder produced a character outside the alphabet", size);
    }

    size_t cap = 3 * (ls / 4);
    unsigned char *back = xmalloc(cap);
    long long r = b64_decode(s, ls, back);
    if (r != (long long)size || (size && memcmp(back, data, size) != 0))
        fail("b64_decode does not round-trip the encoder's output", size);
    free(back);
    free(s);

    decode_arbitrary(data, size);
    return 0;
}
