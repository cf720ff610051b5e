/* Human-readable numbers: binary units with three significant digits, short durations. */
#include "format.h"

#include <math.h>
#include <stdio.h>

/* Shared by sizes and rates: below 1 KiB whole bytes; above, the largest unit that keeps the
 * value under 1024, printed with three significant digits. The decimals are chosen from the
 * rounded value so that 9.996 KiB prints "10.0 KiB", not "10.00 KiB". Values from 999.5 to
 * 1023.4 keep four digits ("1010 KiB") rather than show "0.99 MiB"; from 1023.5 the next
 * unit takes over, so no size ever reads "1024 KiB". */
static void fmt_units(double v, const char *suffix, char *out, size_t outlen)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    size_t u = 0;
    if (v < 1024.0) {
        snprintf(out, outlen, "%.0f B%s", floor(v), suffix);
        return;
    }
    /* 1023.5 and up would print as "1024": the next unit says it better ("1.00 MiB"). */
    while (v >= 1023.5 && u + 1 < sizeof units / sizeof units[0]) {
        v /= 1024.0;
        u++;
    }
    int decimals = v < 9.995 ? 2 : v < 99.95 ? 1 : 0;
    snprintf(out, outlen, "%.*f %s%s", decimals, v, units[u], suffix);
}

void fmt_bytes(uint64_t n, char *out, size_t outlen)
{
    if (n < 1024) {
        snprintf(out, outlen, "%u B", (unsigned)n);
        return;
    }
    fmt_units((double)n, "", out, outlen);
}

void fmt_rate(double bytes_per_s, char *out, size_t outlen)
{
    /* !(x > 0) also catches NaN */
    if (!(bytes_per_s > 0) || isinf(bytes_per_s)) {
        snprintf(out, outlen, "-");
        return;
    }
    fmt_units(bytes_per_s, "/s", out, outlen);
}

void fmt_duration(double s, char *out, size_t outlen)
{
    if (!(s >= 0) || !isfinite(s)) {
        snprintf(out, outlen, "-");
        return;
    }
    /* Round to whole seconds first, so 59.7 s shows "1m00s" and never "60s". */
    double r = floor(s + 0.5);
    if (r >= 1e15) { /* beyond any real transfer; keeps the conversion defined */
        snprintf(out, outlen, "-");
        return;
    }
    long long t = (long long)r;
    if (t < 60)
        snprintf(out, outlen, "%llds", t);
    else if (t < 3600)
        snprintf(out, outlen, "%lldm%02llds", t / 60, t % 60);
    else
        snprintf(out, outlen, "%lldh%02lldm", t / 3600, t % 3600 / 60);
}

void fmt_age(double s, char *out, size_t outlen)
{
    if (!(s >= 0) || !isfinite(s) || s > 366.0 * 86400)
        snprintf(out, outlen, "never");
    else if (s < 60)
        snprintf(out, outlen, "just now");
    else if (s < 3600)
        snprintf(out, outlen, "%d min ago", (int)(s / 60));
    else if (s < 2 * 86400)
        snprintf(out, outlen, "%d h ago", (int)(s / 3600));
    else
        snprintf(out, outlen, "%d days ago", (int)(s / 86400));
}

int fmt_parse_bytes(const char *s, uint64_t *out)
{
    if (!s || !*s)
        return -1;
    /* By hand, not strtod: the UI sets a locale, and "1,5" must not become 1.5. */
    uint64_t whole = 0, frac = 0, frac_div = 1;
    const char *p = s;
    if (*p < '0' || *p > '9')
        return -1;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (whole > (UINT64_C(1) << 62) / 10)
            return -1;
        whole = whole * 10 + (uint64_t)(*p - '0');
    }
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return -1;
        for (; *p >= '0' && *p <= '9'; p++)
            if (frac_div < 1000000) {
                frac = frac * 10 + (uint64_t)(*p - '0');
                frac_div *= 10;
            }
    }
    while (*p == ' ')
        p++;
    uint64_t unit = 1;
    switch (*p | 0x20) {
    case 'k': unit = UINT64_C(1) << 10; p++; break;
    case 'm': unit = UINT64_C(1) << 20; p++; break;
    case 'g': unit = UINT64_C(1) << 30; p++; break;
    case 't': unit = UINT64_C(1) << 40; p++; break;
    case 'b': break;
    default:
        if (*p)
            return -1;
    }
    if (unit > 1 && (*p | 0x20) == 'i')
        p++;
    if ((*p | 0x20) == 'b')
        p++;
    if (*p)
        return -1;
    if (whole > (UINT64_C(1) << 62) / unit)
        return -1;
    *out = whole * unit + frac * unit / frac_div;
    return 0;
}
