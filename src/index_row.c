/* See index_row.h: the search text, the blobs, the recency key. */
#include "index_row.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fold_text.h"
#include "textbuf.h"
#include "xalloc.h"

char *index_row_fold(const char *s, size_t n)
{
    char *f = fold_text(s, n);
    for (unsigned char *p = (unsigned char *)f; *p; p++)
        if (*p < 0x20 || *p == 0x7F)
            *p = ' ';
    return f;
}

/* s folded onto the text; with `words`, each name word behind two IXR_NAME ("-" and white
 * space split words: Jean-Luc is found by "luc" as a name start). */
static void add_folded(struct textbuf *b, const char *s, bool words)
{
    if (!s)
        return;
    char *f = index_row_fold(s, strlen(s));
    if (!words) {
        textbuf_str(b, f);
    } else {
        for (char *w = f; *w;) {
            while (*w == ' ' || *w == '-')
                w++;
            size_t k = 0;
            while (w[k] && w[k] != ' ' && w[k] != '-')
                k++;
            if (!k)
                break;
            if (b->n && b->p[b->n - 1] != '\n')
                textbuf_byte(b, ' ');
            textbuf_add(b, "\2\2", 2);
            textbuf_add(b, w, k);
            w += k;
        }
    }
    free(f);
}

/* Lengths as LEB128 varints: most strings here are shorter than 128 bytes. */
static void put_len(struct textbuf *b, size_t v)
{
    do {
        unsigned char c = (unsigned char)(v & 0x7F);
        v >>= 7;
        textbuf_byte(b, (unsigned char)(c | (v ? 0x80 : 0)));
    } while (v);
}

/* A string: its length + 1, then its bytes; NULL is a single 0. */
static void put_str(struct textbuf *b, const char *s)
{
    if (!s) {
        textbuf_byte(b, 0);
        return;
    }
    size_t n = strlen(s);
    put_len(b, n + 1);
    textbuf_add(b, s, n);
}

struct reader {
    const unsigned char *p, *end;
};

static bool get_len(struct reader *r, size_t *v)
{
    *v = 0;
    for (int shift = 0; r->p < r->end && shift < 63; shift += 7) {
        unsigned char c = *r->p++;
        *v |= (size_t)(c & 0x7F) << shift;
        if (!(c & 0x80))
            return true;
    }
    return false;
}

/* false at the end or on a damaged blob; *out NULL for a stored NULL. */
static bool get_str(struct reader *r, char **out)
{
    size_t n;
    *out = NULL;
    if (!get_len(r, &n) || n - (n > 0) > (size_t)(r->end - r->p))
        return false;
    if (n) {
        *out = xstrndup((const char *)r->p, n - 1);
        r->p += n - 1;
    }
    return true;
}

/* Seconds of an ISO 8601 date (what Kombo sends: 2024-01-31T12:00:00.000Z); 0 when it is
 * not one. Only for ordering, so an offset other than Z is ignored. */
static long long iso_seconds(const char *s)
{
    struct tm tm = { 0 };
    int y, mo, d, h = 0, mi = 0, sec = 0;
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &sec) < 3 || y < 1970)
        return 0;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    long long t = (long long)timegm(&tm);
    return t < 0 ? 0 : t > IXR_LAD_MAX ? IXR_LAD_MAX : t;
}

void index_row_make(const struct candidate *c, struct index_row *r)
{
    memset(r, 0, sizeof *r);
    struct textbuf t = { 0 };
    add_folded(&t, c->first_name, true);
    add_folded(&t, c->last_name, true);
    for (size_t i = 0; i < c->n_emails; i++) {
        textbuf_add(&t, "\n\3", 2);
        add_folded(&t, c->emails[i], false);
        textbuf_byte(&t, IXR_EMAIL);
        put_str(&r->emails, c->emails[i]);
    }
    textbuf_byte(&t, '\n');
    add_folded(&t, c->title, false);
    textbuf_byte(&t, '\n');
    add_folded(&t, c->company, false);
    for (size_t i = 0; i < c->n_apps; i++) {
        const struct cand_application *p = &c->apps[i];
        textbuf_byte(&t, '\n');
        add_folded(&t, p->job_name, false);
        const char *f[] = { p->id, p->job_id, p->job_name, p->stage, p->remote_created_at };
        for (size_t k = 0; k < sizeof f / sizeof f[0]; k++)
            put_str(&r->apps, f[k]);
        put_len(&r->apps, (size_t)p->outcome);
        if (p->remote_created_at && strcmp(p->remote_created_at, r->lad) > 0)
            snprintf(r->lad, sizeof r->lad, "%s", p->remote_created_at);
    }
    textbuf_add(&t, "\n\4", 2);
    add_folded(&t, c->remote_id, false);
    textbuf_byte(&t, IXR_RID);
    r->search = (char *)t.p;
    r->lad_s = iso_seconds(r->lad);
}

void index_row_free(struct index_row *r)
{
    free(r->search);
    free(r->emails.p);
    free(r->apps.p);
    memset(r, 0, sizeof *r);
}

void index_row_read_emails(const void *blob, size_t n, struct candidate *c)
{
    if (!blob)
        return;
    struct reader r = { blob, (const unsigned char *)blob + n };
    char *e;
    while (r.p < r.end && c->n_emails < CAND_EMAILS_MAX && get_str(&r, &e)) {
        if (e)
            c->emails[c->n_emails++] = e;
    }
}

void index_row_read_apps(const void *blob, size_t n, struct candidate *c)
{
    if (!blob)
        return;
    struct reader r = { blob, (const unsigned char *)blob + n };
    while (r.p < r.end && c->n_apps < CAND_APPS_MAX) {
        char *f[5];
        size_t k = 0, outcome = 0;
        while (k < 5 && get_str(&r, &f[k]))
            k++;
        if (k < 5 || !get_len(&r, &outcome) || !f[0]) {
            while (k)
                free(f[--k]);
            break;
        }
        if (c->n_apps == 0)
            c->apps = xcalloc(CAND_APPS_MAX, sizeof *c->apps);
        struct cand_application *p = &c->apps[c->n_apps++];
        p->id = f[0];
        p->job_id = f[1];
        p->job_name = f[2];
        p->stage = f[3];
        p->remote_created_at = f[4];
        p->outcome = outcome <= APP_OUTCOME_DECLINED ? (enum app_outcome)outcome
                                                     : APP_OUTCOME_UNKNOWN;
    }
}
