/* Retry policy, pure: which answers are worth another attempt and how long to wait.
 *
 * Order of precedence for the wait, as Kombo's official SDKs do it:
 *   1. Retry-After-Ms: milliseconds (a non-negative number; a fraction is cut off);
 *   2. Retry-After: delta seconds, or an HTTP date compared with `now` (past dates: 0);
 *   3. exponential backoff: initial_ms * factor^(attempt-1), capped at max_ms, with
 *      jitter: the result is drawn uniformly from [0.5, 1.0) x that value ("equal jitter"),
 *      so waits still grow with each attempt while clients that failed together spread out.
 * A malformed header is ignored (the next source is used), never an error: a proxy's
 * odd header must not stop the retry. Server-given waits are honoured but capped at
 * max_ms so a hostile or confused server cannot park the client for hours.
 *
 * Numbers are parsed by hand rather than with strtod: the UI calls setlocale(), and a
 * locale with ',' as decimal point must not change how headers are read. */
#include "retry.h"

#include <curl/curl.h>
#include <limits.h>
#include <stddef.h>

void retry_policy_default(struct retry_policy *p)
{
    p->max_attempts = 4;
    p->initial_ms = 500;
    p->factor = 1.5;
    p->max_ms = 60000;
}

bool retry_status_retryable(long http_status)
{
    switch (http_status) {
    case 429: case 500: case 502: case 503: case 504:
        return true;
    default:
        return false;
    }
}

static bool is_ows(char c)
{
    return c == ' ' || c == '\t';
}

/* Parse "  123  " or "123.45" (digits, optional fraction) into *out, saturating at
 * LONG_MAX. Returns false for anything else (empty, sign, exponent, trailing junk). */
static bool parse_number(const char *s, bool allow_fraction, long *out)
{
    while (is_ows(*s))
        s++;
    if (*s < '0' || *s > '9')
        return false;
    long v = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        int d = *s - '0';
        if (v > (LONG_MAX - d) / 10)
            v = LONG_MAX; /* saturate; the caller caps anyway */
        else
            v = v * 10 + d;
    }
    if (allow_fraction && *s == '.') {
        s++;
        if (*s < '0' || *s > '9')
            return false;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    while (is_ows(*s))
        s++;
    if (*s != '\0')
        return false;
    *out = v;
    return true;
}

static long cap(long v, long max_ms)
{
    if (v < 0)
        return 0;
    return max_ms > 0 && v > max_ms ? max_ms : v;
}

/* Every HTTP-date form (IMF-fixdate, RFC 850, asctime) names the month in letters;
 * requiring a letter keeps curl_getdate's lenient parser away from plain junk numbers. */
static bool has_letter(const char *s)
{
    for (; *s; s++)
        if ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
            return true;
    return false;
}

/* Server-given wait from Retry-After, or -1 when absent or malformed. */
static long retry_after_wait(const char *v, time_t now, long max_ms)
{
    long secs;
    if (parse_number(v, false, &secs))
        return secs > LONG_MAX / 1000 ? cap(LONG_MAX, max_ms) : cap(secs * 1000, max_ms);
    if (!has_letter(v))
        return -1;
    time_t when = curl_getdate(v, NULL);
    if (when == (time_t)-1)
        return -1;
    if (when <= now)
        return 0;
    double ms = ((double)when - (double)now) * 1000.0;
    return ms >= (double)LONG_MAX ? cap(LONG_MAX, max_ms) : cap((long)ms, max_ms);
}

long retry_wait_ms(const struct retry_policy *p, int attempt, const char *retry_after_ms,
                   const char *retry_after, time_t now, double rnd)
{
    struct retry_policy def;
    if (!p) {
        retry_policy_default(&def);
        p = &def;
    }
    long max_ms = p->max_ms > 0 ? p->max_ms : 60000;

    long v;
    if (retry_after_ms && parse_number(retry_after_ms, true, &v))
        return cap(v, max_ms);
    if (retry_after) {
        long w = retry_after_wait(retry_after, now, max_ms);
        if (w >= 0)
            return w;
    }

    /* Exponential backoff. Grow in double and stop at the cap, so a large attempt
     * number cannot overflow. */
    double base = p->initial_ms > 0 ? (double)p->initial_ms : 0.0;
    double factor = p->factor >= 1.0 ? p->factor : 1.0;
    for (int i = 1; i < attempt && base < (double)max_ms; i++)
        base *= factor;
    if (base > (double)max_ms)
        base = (double)max_ms;
    if (!(rnd >= 0.0)) /* also catches NaN */
        rnd = 0.0;
    if (rnd >= 1.0)
        rnd = 0.999999;
    return cap((long)(base * (0.5 + 0.5 * rnd)), max_ms);
}
