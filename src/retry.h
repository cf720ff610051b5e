/* Retry policy, pure: an attempt's outcome in, the wait before the next one (or stop) out. */
#ifndef KA_RETRY_H
#define KA_RETRY_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct retry_policy {
    int max_attempts;       /* total attempts including the first (>= 1) */
    long initial_ms;        /* 500 */
    double factor;          /* 1.5 */
    long max_ms;            /* 60000 */
};

void retry_policy_default(struct retry_policy *p);

/* Retryable HTTP status: 429, 500, 502, 503, 504. */
bool retry_status_retryable(long http_status);

/* Wait in milliseconds before attempt number `attempt + 1`, given the headers of the
 * answer to attempt `attempt` (1-based). retry_after_ms / retry_after may be NULL.
 * `now` is the current time (for HTTP dates); `rnd` a random value in [0,1) for jitter.
 * Server-given waits are honoured as given (capped at max_ms); otherwise exponential
 * backoff with jitter. */
long retry_wait_ms(const struct retry_policy *p, int attempt, const char *retry_after_ms,
                   const char *retry_after, time_t now, double rnd);

#endif
