/* Standard base64 (RFC 4648, '=' padding, no line breaks) with run-time kernel choice. */
#ifndef KA_BASE64_H
#define KA_BASE64_H

#include <stddef.h>
#include <stdint.h>

enum b64_kernel { B64_KERNEL_AUTO, B64_KERNEL_SCALAR, B64_KERNEL_AVX2, B64_KERNEL_AVX512 };

/* Encoded length of n input bytes, padding included: 4 * ceil(n / 3). */
uint64_t b64_encoded_len(uint64_t n);

/* Encode n bytes (any n) with padding; out must hold b64_encoded_len(n). Returns bytes written. */
size_t b64_encode(const unsigned char *in, size_t n, char *out);

/* Encode whole 3-byte groups only (n must be a multiple of 3); no padding. Returns 4*n/3.
 * This is the hot path for streaming. */
size_t b64_encode_blocks(const unsigned char *in, size_t n, char *out);

/* Choose a kernel: AUTO picks AVX-512 VBMI, else AVX2, whichever the CPU (and OS) has first.
 * Returns the kernel in use (the fastest available one below a requested one that is not). */
enum b64_kernel b64_select(enum b64_kernel k);
const char *b64_kernel_name(void);
int b64_have_avx2(void);
int b64_have_avx512(void);   /* AVX-512 F, BW and VBMI */

/* Decoder, for tests, the mock server and round-trip checks. Strict: rejects anything
 * but the standard alphabet with correct '=' padding and length multiple of 4.
 * out must hold 3 * (n / 4) bytes. Returns decoded length, or -1 if invalid. */
long long b64_decode(const char *in, size_t n, unsigned char *out);

#endif
