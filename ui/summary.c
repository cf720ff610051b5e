/* See summary.h. */
#include "summary.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "exitcodes.h"
#include "termsafe.h"
#include "xalloc.h"

#define LISTED_MAX 3   /* failures named on the line; the rest are counted */

static void file_free(struct summary_file *f)
{
    free(f->path);
    free(f->candidate);
    free(f->why);
}

void summary_add(struct summary *s, const char *path, const char *candidate, bool ok, bool maybe,
                 int code, const char *why)
{
    struct summary_file *f = NULL;
    for (size_t i = 0; i < s->n && !f; i++)
        if (!s->v[i].ok && strcmp(s->v[i].path, path) == 0)
            f = &s->v[i];
    if (f) {
        file_free(f); /* sent again: what came of it this time is what counts */
    } else {
        s->v = xrealloc(s->v, (s->n + 1) * sizeof *s->v);
        f = &s->v[s->n++];
    }
    f->path = xstrdup(path);
    f->candidate = xstrdup(candidate ? candidate : "");
    f->ok = ok;
    f->maybe = maybe;
    f->code = code;
    f->why = xstrdup(why ? why : "");
}

void summary_add_batch(struct summary *s, const struct batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        const struct batch_file *f = &b->files[i];
        if (f->state == BF_PENDING)
            continue; /* never had its turn (the batch was replaced before) */
        char why[600];
        enum bf_verdict v = batch_verdict(f);
        bool ok = batch_file_ok(f); /* found there or already attached: attached all the same */
        if (!ok && f->was_unknown)
            v = BV_UNKNOWN; /* an earlier try may have attached it, whatever failed since */
        if (v == BV_UNKNOWN) /* the count says "may have been attached" already */
            snprintf(why, sizeof why, "look in the ATS before sending it again");
        else
            batch_file_outcome(f, why, sizeof why);
        int code = v == BV_UNKNOWN ? KA_EXIT_UNKNOWN : batch_file_exit_code(f);
        summary_add(s, f->path, b->candidate, ok, v == BV_UNKNOWN, code, why);
    }
}

void summary_free(struct summary *s)
{
    for (size_t i = 0; i < s->n; i++)
        file_free(&s->v[i]);
    free(s->v);
    s->v = NULL;
    s->n = 0;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Append to out at *o, never past len. */
static void put(char *out, size_t len, size_t *o, const char *fmt, const char *a, const char *b)
{
    if (*o >= len)
        return;
    int w = snprintf(out + *o, len - *o, fmt, a ? a : "", b ? b : "");
    if (w > 0)
        *o = *o + (size_t)w < len ? *o + (size_t)w : len - 1;
}

void summary_line(const struct summary *s, char *out, size_t len)
{
    size_t ok = 0, maybe = 0, failed = 0, o = 0;
    char num[32];
    for (size_t i = 0; i < s->n; i++) {
        ok += s->v[i].ok;
        maybe += s->v[i].maybe;
        failed += !s->v[i].ok && !s->v[i].maybe;
    }
    put(out, len, &o, "kombo-attach: %s%s", NULL, NULL);
    if (!s->n) {
        put(out, len, &o, "nothing sent%s%s", NULL, NULL);
        return;
    }
    snprintf(num, sizeof num, "%zu", ok);
    put(out, len, &o, "%s attached%s", num, NULL);
    if (maybe) {
        snprintf(num, sizeof num, "%zu", maybe);
        put(out, len, &o, ", %s may have been attached%s", num, NULL);
    }
    if (failed) {
        snprintf(num, sizeof num, "%zu", failed);
        put(out, len, &o, ", %s failed%s", num, NULL);
    }
    if (!failed && !maybe)
        return;
    put(out, len, &o, " (%s%s", NULL, NULL);
    size_t listed = 0, shown = 0;
    for (size_t i = 0; i < s->n; i++) {
        const struct summary_file *f = &s->v[i];
        if (f->ok)
            continue;
        if (listed++ >= LISTED_MAX)
            continue;
        /* the shell gets the same safe text as the screen: no escape sequence from a name */
        const char *base = base_name(f->path);
        char *name = ts_escape(base, strlen(base), TS_ONE_LINE);
        char *why = ts_escape(f->why, strlen(f->why), TS_ONE_LINE);
        put(out, len, &o, shown++ ? "; %s: %s" : "%s: %s", name, why);
        free(name);
        free(why);
    }
    if (listed > LISTED_MAX) {
        snprintf(num, sizeof num, "%zu", listed - LISTED_MAX);
        put(out, len, &o, "; %s more%s", num, NULL);
    }
    put(out, len, &o, ")%s%s", NULL, NULL);
}

int summary_exit_code(const struct summary *s)
{
    int worst = 0;
    for (size_t i = 0; i < s->n; i++)
        if (!s->v[i].ok && s->v[i].code > worst)
            worst = s->v[i].code;
    return worst;
}
