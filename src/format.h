/* Human-readable numbers shared by the command line and the UI. */
#ifndef KA_FORMAT_H
#define KA_FORMAT_H

#include <stddef.h>
#include <stdint.h>

/* "0 B", "999 B", "1.0 KiB", "12.3 MiB", "1.50 GiB" (3 significant digits). */
void fmt_bytes(uint64_t n, char *out, size_t outlen);
/* "12.3 MiB/s"; "-" when rate <= 0. */
void fmt_rate(double bytes_per_s, char *out, size_t outlen);
/* "0s", "42s", "3m05s", "1h02m"; "-" when s < 0. */
void fmt_duration(double s, char *out, size_t outlen);
/* How long ago, for people: "just now" (under a minute), "1 min ago", "5 h ago", "3 days
 * ago"; "never" when s is negative, not finite or beyond a year (an index never synced). */
void fmt_age(double s, char *out, size_t outlen);

/* Parse a size: "2000000", "10M", "10MB", "10MiB", "1.5G", "512k" (binary units:
 * K = 1024). 0 on success, -1 when not a size or above 2^62. */
int fmt_parse_bytes(const char *s, uint64_t *out);

#endif
