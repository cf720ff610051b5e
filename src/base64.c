/* Standard base64 (RFC 4648). Three encoder kernels with identical output:
 *  - scalar: 6 input bytes per step, read as one big-endian 64-bit word and cut into four
 *    12-bit indices into a table of all 4096 two-character pairs (one 16-bit copy each);
 *  - AVX2: 24 input bytes per step, the Muła/Lemire byte reshuffle, multiply-shift to
 *    spread the 6-bit fields, and a pshufb offset lookup to turn them into ASCII;
 *  - AVX-512 VBMI: 48 input bytes per step: one byte permute, one multishift that pulls
 *    each 6-bit field into its own byte, and one permute through the 64-character alphabet.
 * The kernel is chosen once at run time (b64_select); b64_encode_blocks is the hot path.
 * All loads and stores go through memcpy: no unaligned pointer casts. */
#include "base64.h"

#include <stdbool.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define B64_X86 1
#endif

/* pairs[2*i], pairs[2*i+1] = the two characters for the 12-bit value i. Built by the
 * preprocessor as one string literal, so there is no run-time initialisation to race on. */
#define B64_ROW(c) c "A" c "B" c "C" c "D" c "E" c "F" c "G" c "H" c "I" c "J" c "K" c "L" \
    c "M" c "N" c "O" c "P" c "Q" c "R" c "S" c "T" c "U" c "V" c "W" c "X" c "Y" c "Z"   \
    c "a" c "b" c "c" c "d" c "e" c "f" c "g" c "h" c "i" c "j" c "k" c "l" c "m" c "n"   \
    c "o" c "p" c "q" c "r" c "s" c "t" c "u" c "v" c "w" c "x" c "y" c "z" c "0" c "1"   \
    c "2" c "3" c "4" c "5" c "6" c "7" c "8" c "9" c "+" c "/"
static const char pairs[8192 + 1] =
    B64_ROW("A") B64_ROW("B") B64_ROW("C") B64_ROW("D") B64_ROW("E") B64_ROW("F")
    B64_ROW("G") B64_ROW("H") B64_ROW("I") B64_ROW("J") B64_ROW("K") B64_ROW("L")
    B64_ROW("M") B64_ROW("N") B64_ROW("O") B64_ROW("P") B64_ROW("Q") B64_ROW("R")
    B64_ROW("S") B64_ROW("T") B64_ROW("U") B64_ROW("V") B64_ROW("W") B64_ROW("X")
    B64_ROW("Y") B64_ROW("Z") B64_ROW("a") B64_ROW("b") B64_ROW("c") B64_ROW("d")
    B64_ROW("e") B64_ROW("f") B64_ROW("g") B64_ROW("h") B64_ROW("i") B64_ROW("j")
    B64_ROW("k") B64_ROW("l") B64_ROW("m") B64_ROW("n") B64_ROW("o") B64_ROW("p")
    B64_ROW("q") B64_ROW("r") B64_ROW("s") B64_ROW("t") B64_ROW("u") B64_ROW("v")
    B64_ROW("w") B64_ROW("x") B64_ROW("y") B64_ROW("z") B64_ROW("0") B64_ROW("1")
    B64_ROW("2") B64_ROW("3") B64_ROW("4") B64_ROW("5") B64_ROW("6") B64_ROW("7")
    B64_ROW("8") B64_ROW("9") B64_ROW("+") B64_ROW("/");
#undef B64_ROW

uint64_t b64_encoded_len(uint64_t n)
{
    return (n / 3 + (n % 3 != 0)) * 4;
}

static uint64_t load_be64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

/* One 3-byte group into 4 characters (tails of the fast loops). */
static void encode_group(const unsigned char *in, char *out)
{
    unsigned v = (unsigned)in[0] << 16 | (unsigned)in[1] << 8 | in[2];
    memcpy(out, pairs + 2 * (v >> 12), 2);
    memcpy(out + 2, pairs + 2 * (v & 0xfff), 2);
}

static size_t encode_blocks_scalar(const unsigned char *in, size_t n, char *out)
{
    const unsigned char *p = in;
    char *o = out;
    /* Each step reads 8 bytes but consumes 6, so stop while 8 are still readable. */
    while (n - (size_t)(p - in) >= 14) {
        uint64_t a = load_be64(p), b = load_be64(p + 6);
        memcpy(o + 0, pairs + 2 * (a >> 52), 2);
        memcpy(o + 2, pairs + 2 * (a >> 40 & 0xfff), 2);
        memcpy(o + 4, pairs + 2 * (a >> 28 & 0xfff), 2);
        memcpy(o + 6, pairs + 2 * (a >> 16 & 0xfff), 2);
        memcpy(o + 8, pairs + 2 * (b >> 52), 2);
        memcpy(o + 10, pairs + 2 * (b >> 40 & 0xfff), 2);
        memcpy(o + 12, pairs + 2 * (b >> 28 & 0xfff), 2);
        memcpy(o + 14, pairs + 2 * (b >> 16 & 0xfff), 2);
        p += 12;
        o += 16;
    }
    for (; (size_t)(p - in) + 3 <= n; p += 3, o += 4)
        encode_group(p, o);
    return (size_t)(o - out);
}

#ifdef B64_X86
/* 24 bytes -> 32 characters per step. Two 16-byte loads put bytes 0..11 in the low lane
 * and 12..23 in the high lane, so each lane holds four 3-byte groups. */
__attribute__((target("avx2")))
static size_t encode_blocks_avx2(const unsigned char *in, size_t n, char *out)
{
    /* Per lane: each group b0 b1 b2 becomes the 32-bit word [b1 b0 b2 b1] (little-endian). */
    const __m256i shuf = _mm256_setr_epi8(1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10,
                                          1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10);
    const __m256i mask_ac = _mm256_set1_epi32(0x0fc0fc00);
    const __m256i mul_ac = _mm256_set1_epi32(0x04000040);
    const __m256i mask_bd = _mm256_set1_epi32(0x003f03f0);
    const __m256i mul_bd = _mm256_set1_epi32(0x01000010);
    /* Offset to add to each 6-bit index, looked up by a class number: 0..25 -> 'A',
     * 26..51 -> 'a'-26, 52..61 -> '0'-52, 62 -> '+'-62, 63 -> '/'-63. */
    const __m256i offsets = _mm256_setr_epi8(
        'a' - 26, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52,
        '0' - 52, '0' - 52, '0' - 52, '+' - 62, '/' - 63, 'A', 0, 0,
        'a' - 26, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52,
        '0' - 52, '0' - 52, '0' - 52, '+' - 62, '/' - 63, 'A', 0, 0);
    const __m256i c51 = _mm256_set1_epi8(51), c26 = _mm256_set1_epi8(26);
    const __m256i c13 = _mm256_set1_epi8(13);
    size_t i = 0, o = 0;

    /* The high-lane load reads bytes 12..27: 4 bytes past the 24 consumed. */
    for (; i + 28 <= n; i += 24, o += 32) {
        __m128i lo = _mm_loadu_si128((const __m128i *)(const void *)(in + i));
        __m128i hi = _mm_loadu_si128((const __m128i *)(const void *)(in + i + 12));
        __m256i v = _mm256_inserti128_si256(_mm256_castsi128_si256(lo), hi, 1);
        v = _mm256_shuffle_epi8(v, shuf);
        /* Spread the four 6-bit fields of each word into its four bytes. */
        __m256i ac = _mm256_mulhi_epu16(_mm256_and_si256(v, mask_ac), mul_ac);
        __m256i bd = _mm256_mullo_epi16(_mm256_and_si256(v, mask_bd), mul_bd);
        __m256i idx = _mm256_or_si256(ac, bd);
        /* Class number: 1..12 for 52..63 by saturating subtraction, 0 for 26..51, and 13
         * for 0..25 (forced by the signed compare, safe since indices are < 64). */
        __m256i cls = _mm256_subs_epu8(idx, c51);
        cls = _mm256_or_si256(cls, _mm256_and_si256(_mm256_cmpgt_epi8(c26, idx), c13));
        __m256i res = _mm256_add_epi8(_mm256_shuffle_epi8(offsets, cls), idx);
        _mm256_storeu_si256((__m256i *)(void *)(out + o), res);
    }
    return o + encode_blocks_scalar(in + i, n - i, out + o);
}
#endif

#ifdef B64_X86
/* 48 bytes -> 64 characters per step (Muła/Lemire, "Base64 encoding and decoding at almost
 * the speed of a memory copy"). The masked load reads exactly the 48 bytes it uses. */
__attribute__((target("avx512f,avx512bw,avx512vbmi")))
static size_t encode_blocks_avx512(const unsigned char *in, size_t n, char *out)
{
    /* Each 32-bit word gets the bytes [b1 b0 b2 b1] of its 3-byte group... */
    const __m512i shuffle = _mm512_setr_epi32(
        0x01020001, 0x04050304, 0x07080607, 0x0a0b090a, 0x0d0e0c0d, 0x10110f10,
        0x13141213, 0x16171516, 0x191a1819, 0x1c1d1b1c, 0x1f201e1f, 0x22232122,
        0x25262425, 0x28292728, 0x2b2c2a2b, 0x2e2f2d2e);
    /* ...from which multishift takes the four 6-bit fields at bit offsets 10, 4, 22, 16
     * (and the same in the upper word), one per output byte. */
    const __m512i shifts = _mm512_set1_epi64(0x3036242a1016040a);
    const __m512i alphabet = _mm512_loadu_si512((const void *)
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
    const __mmask64 load48 = 0x0000ffffffffffffULL;
    size_t i = 0, o = 0;
    for (; i + 48 <= n; i += 48, o += 64) {
        __m512i v = _mm512_maskz_loadu_epi8(load48, in + i);
        v = _mm512_permutexvar_epi8(shuffle, v);
        __m512i idx = _mm512_multishift_epi64_epi8(shifts, v);
        _mm512_storeu_si512((void *)(out + o), _mm512_permutexvar_epi8(idx, alphabet));
    }
    return o + encode_blocks_avx2(in + i, n - i, out + o);
}
#endif

typedef size_t (*encode_fn)(const unsigned char *, size_t, char *);

static enum b64_kernel active = B64_KERNEL_AUTO; /* resolved on first use */
static encode_fn active_fn = encode_blocks_scalar;

int b64_have_avx2(void)
{
#ifdef B64_X86
    return __builtin_cpu_supports("avx2") ? 1 : 0;
#else
    return 0;
#endif
}

int b64_have_avx512(void)
{
#ifdef B64_X86
    /* libgcc checks that the OS saves the ZMM state (XCR0) before reporting these. */
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vbmi") && b64_have_avx2();
#else
    return 0;
#endif
}

enum b64_kernel b64_select(enum b64_kernel k)
{
    if (k == B64_KERNEL_AUTO)
        k = B64_KERNEL_AVX512;
    if (k == B64_KERNEL_AVX512 && !b64_have_avx512())
        k = B64_KERNEL_AVX2;
    if (k == B64_KERNEL_AVX2 && !b64_have_avx2())
        k = B64_KERNEL_SCALAR;
#ifdef B64_X86
    active_fn = k == B64_KERNEL_AVX512 ? encode_blocks_avx512
              : k == B64_KERNEL_AVX2 ? encode_blocks_avx2 : encode_blocks_scalar;
#else
    active_fn = encode_blocks_scalar;
#endif
    active = k;
    return k;
}

const char *b64_kernel_name(void)
{
    if (active == B64_KERNEL_AUTO)
        b64_select(B64_KERNEL_AUTO);
    return active == B64_KERNEL_AVX512 ? "avx512" : active == B64_KERNEL_AVX2 ? "avx2" : "scalar";
}

size_t b64_encode_blocks(const unsigned char *in, size_t n, char *out)
{
    if (active == B64_KERNEL_AUTO)
        b64_select(B64_KERNEL_AUTO);
    return active_fn(in, n - n % 3, out);
}

size_t b64_encode(const unsigned char *in, size_t n, char *out)
{
    size_t whole = n - n % 3;
    size_t o = b64_encode_blocks(in, whole, out);
    if (n % 3) {
        unsigned char last[3] = { in[whole], n % 3 == 2 ? in[whole + 1] : 0, 0 };
        encode_group(last, out + o);
        if (n % 3 == 1)
            out[o + 2] = '=';
        out[o + 3] = '=';
        o += 4;
    }
    return o;
}

/* Decoder. Strict and canonical: standard alphabet only, no whitespace, length a multiple
 * of 4, '=' only as one or two final characters, and the unused low bits before the
 * padding must be zero (so every byte string has exactly one accepted encoding). */
static int8_t decode_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') return (int8_t)(c - 'A');
    if (c >= 'a' && c <= 'z') return (int8_t)(c - 'a' + 26);
    if (c >= '0' && c <= '9') return (int8_t)(c - '0' + 52);
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

/* Each alphabet character's value plus one; 0 = not base64. A table, not decode_value's
 * branches: the mock decodes every upload with it (about 3x faster). */
static const uint8_t decode_table[256] = {
    ['A'] = 1, ['B'] = 2, ['C'] = 3, ['D'] = 4, ['E'] = 5, ['F'] = 6, ['G'] = 7, ['H'] = 8,
    ['I'] = 9, ['J'] = 10, ['K'] = 11, ['L'] = 12, ['M'] = 13, ['N'] = 14, ['O'] = 15,
    ['P'] = 16, ['Q'] = 17, ['R'] = 18, ['S'] = 19, ['T'] = 20, ['U'] = 21, ['V'] = 22,
    ['W'] = 23, ['X'] = 24, ['Y'] = 25, ['Z'] = 26, ['a'] = 27, ['b'] = 28, ['c'] = 29,
    ['d'] = 30, ['e'] = 31, ['f'] = 32, ['g'] = 33, ['h'] = 34, ['i'] = 35, ['j'] = 36,
    ['k'] = 37, ['l'] = 38, ['m'] = 39, ['n'] = 40, ['o'] = 41, ['p'] = 42, ['q'] = 43,
    ['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47, ['v'] = 48, ['w'] = 49, ['x'] = 50,
    ['y'] = 51, ['z'] = 52, ['0'] = 53, ['1'] = 54, ['2'] = 55, ['3'] = 56, ['4'] = 57,
    ['5'] = 58, ['6'] = 59, ['7'] = 60, ['8'] = 61, ['9'] = 62, ['+'] = 63, ['/'] = 64,
};

long long b64_decode(const char *in, size_t n, unsigned char *out)
{
    if (n % 4)
        return -1;
    size_t o = 0, i = 0;
    /* Every group but the last has no padding: four table look-ups, three bytes. */
    const unsigned char *u = (const unsigned char *)in;
    for (; i + 4 < n; i += 4) {
        unsigned a = decode_table[u[i]], b = decode_table[u[i + 1]],
                 c = decode_table[u[i + 2]], d = decode_table[u[i + 3]];
        if (!a || !b || !c || !d)
            return -1;
        uint32_t w = (a - 1) << 18 | (b - 1) << 12 | (c - 1) << 6 | (d - 1);
        out[o++] = (unsigned char)(w >> 16);
        out[o++] = (unsigned char)(w >> 8);
        out[o++] = (unsigned char)w;
    }
    for (; i < n; i += 4) {
        const unsigned char *q = (const unsigned char *)in + i;
        bool last = i + 4 == n;
        int pad = last ? (q[3] == '=') + (q[3] == '=' && q[2] == '=') : 0;
        int8_t v[4] = { 0, 0, 0, 0 };
        for (int j = 0; j < 4 - pad; j++)
            if ((v[j] = decode_value(q[j])) < 0)
                return -1;
        if (pad == 2 && (v[1] & 0x0f)) return -1;
        if (pad == 1 && (v[2] & 0x03)) return -1;
        uint32_t w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
        out[o++] = (unsigned char)(w >> 16);
        if (pad < 2) out[o++] = (unsigned char)(w >> 8);
        if (pad < 1) out[o++] = (unsigned char)w;
    }
    return (long long)o;
}
