/* libFuzzer harness for query_plan_build. Input: the typed text (NUL-terminated copy).
 * Checks: no crash or leak; a plan has 1..QUERY_PLAN_MAX sets, most exact first; every
 * value is non-empty valid UTF-8 with nothing a terminal must not see and no comma in an
 * ID list; the query pairs point at the values; a refusal has a message. */
#include <stdint.h>

#include "fuzz_read.h"
#include "query.h"
#include "termsafe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_value(const char *v)
{
    fr_check("value", v, QUERY_MAX_BYTES, 1);
    size_t n = strlen(v);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = utf8_decode(v + i, n - i, &cp);
        if (!l || (cp != '\t' && ts_cp_unsafe(cp)))
            abort();
        i += l;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = strndup((const char *)data, size);
    if (!s)
        return 0;
    struct query_plan p;
    char err[256] = "";
    if (query_plan_build(s, &p, err, sizeof err) == 0) {
        if (p.n == 0 || p.n > QUERY_PLAN_MAX || !p.description[0])
            abort();
        for (size_t i = 0; i < p.n; i++) {
            const struct query_set *q = &p.sets[i];
            if (i && p.sets[i - 1].filter > q->filter)
                abort();
            check_value(q->value[0]);
            if (q->value[1])
                check_value(q->value[1]);
            if (q->query[1] != q->value[0])
                abort();
            if ((q->filter == QF_IDS || q->filter == QF_REMOTE_IDS) && strchr(q->value[0], ','))
                abort();
        }
    } else if (!err[0] || p.n) {
        abort();
    }
    query_plan_free(&p);
    free(s);
    return 0;
}
