/* See indexer.h. */
#include "indexer.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "format.h"

/* What is kept and where, said on the first sync (the README says the same). */
static const char first_note[] =
    "Search index in %s (only you can read it; remove it: kombo-attach index clear; turn it "
    "off: index = off in the config): each candidate's Kombo and ATS IDs, name, e-mail "
    "addresses, title, company, applications and ATS link. No phone numbers, no custom fields.";

static void say(struct indexer *x, double now, const char *fmt, const char *arg)
{
    snprintf(x->notice, sizeof x->notice, fmt, arg);
    x->notice_until = now + INDEXER_NOTICE_S;
}

/* "~/.cache/..." for the notice: the user's own folder is shorter said that way. */
static void tilde(const char *path, char *out, size_t len)
{
    const char *home = getenv("HOME");
    size_t n = home ? strlen(home) : 0;
    if (n > 1 && strncmp(path, home, n) == 0 && path[n] == '/')
        snprintf(out, len, "~%.600s", path + n);
    else
        snprintf(out, len, "%.600s", path);
}

void indexer_start(struct indexer *x, struct client *c, const struct index_env *env,
                   bool enabled, double now)
{
    memset(x, 0, sizeof *x);
    x->client = c;
    pthread_mutex_init(&x->mu, NULL);
    if (!enabled)
        return;
    char note[1200], err[1200];
    x->ix = index_open(env, true, note, sizeof note, err, sizeof err);
    if (note[0])
        say(x, now, "%s", note);
    if (!x->ix) {
        snprintf(x->error, sizeof x->error, "%s", err);
        say(x, now, "The candidate index is not used: %s", err);
        return;
    }
    x->rx = index_open(env, false, note, sizeof note, err, sizeof err);
    if (!x->rx) {
        snprintf(x->error, sizeof x->error, "%s", err);
        index_close(x->ix);
        x->ix = NULL;
        say(x, now, "The candidate index is not used: %s", err);
        return;
    }
    double age = index_age(x->ix);
    if (age < 0)
        age = 0; /* whole seconds of now against the start's milliseconds */
    if (age < 1e9)
        x->synced_mono = now - age;
    x->state = INDEXER_IDLE;
    x->next_due = age >= INDEXER_MAX_AGE_S ? now : now + (INDEXER_MAX_AGE_S - age);
}

static void join_sync(struct indexer *x)
{
    if (!x->thread_on)
        return;
    pthread_join(x->thread, NULL);
    x->thread_on = false;
    index_sync_free(x->sync);
    x->sync = NULL;
    client_free(x->sync_client);
    x->sync_client = NULL;
}

void indexer_stop(struct indexer *x)
{
    if (x->thread_on) {
        /* the page in flight goes; the pages stored stay and the next sync resumes */
        pthread_mutex_lock(&x->mu);
        x->stop = true;
        pthread_mutex_unlock(&x->mu);
        join_sync(x);
    }
    if (x->rx)
        index_close(x->rx);
    if (x->ix)
        index_close(x->ix);
    pthread_mutex_destroy(&x->mu);
    memset(x, 0, sizeof *x);
}

/* The sync thread: poll its own client and store pages until done, failed or told to stop. */
static void *sync_main(void *arg)
{
    struct indexer *x = arg;
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    enum index_sync_status st = INDEX_SYNC_RUNNING;
    for (;;) {
        pthread_mutex_lock(&x->mu);
        bool stop = x->stop;
        pthread_mutex_unlock(&x->mu);
        if (stop)
            index_sync_cancel(x->sync);
        client_poll(x->sync_client, 100, -1, NULL);
        st = index_sync_step(x->sync);
        struct index_sync_progress p;
        index_sync_get_progress(x->sync, &p);
        pthread_mutex_lock(&x->mu);
        x->shared = p;
        if (st != INDEX_SYNC_RUNNING) {
            x->result = st;
            x->done = true;
        }
        pthread_mutex_unlock(&x->mu);
        if (st != INDEX_SYNC_RUNNING)
            return NULL;
    }
}

static void start_sync(struct indexer *x, double now)
{
    char err[1200];
    int code;
    x->sync_client = client_new(client_options(x->client), &code, err, sizeof err);
    x->sync = x->sync_client ? index_sync_start(x->ix, x->sync_client, NULL, &code, err, sizeof err)
                             : NULL;
    if (x->sync) {
        x->stop = x->done = false;
        index_sync_get_progress(x->sync, &x->shared);
        if (pthread_create(&x->thread, NULL, sync_main, x) == 0) {
            x->thread_on = true;
        } else {
            snprintf(err, sizeof err, "cannot start the index's thread");
            index_sync_free(x->sync);
            x->sync = NULL;
        }
    }
    if (!x->sync) {
        client_free(x->sync_client);
        x->sync_client = NULL;
        x->state = INDEXER_FAILED;
        snprintf(x->error, sizeof x->error, "%s", err);
        x->next_due = now + INDEXER_RETRY_S;
        return;
    }
    x->state = INDEXER_SYNCING;
    x->prog = x->shared;
    if (x->prog.first) {
        struct index_status st;
        char where[700];
        if (index_get_status(x->ix, &st, err, sizeof err) == 0)
            tilde(st.path, where, sizeof where);
        else
            snprintf(where, sizeof where, "~/.cache/kombo-attach/");
        say(x, now, first_note, where);
    }
}

static void end_sync(struct indexer *x, enum index_sync_status st, double now)
{
    if (st == INDEX_SYNC_DONE) {
        double age = index_age(x->ix);
        x->synced_mono = now - (age > 0 && age < 1e9 ? age : 0);
        x->state = INDEXER_IDLE;
        x->next_due = now + INDEXER_MAX_AGE_S;
        x->error[0] = '\0';
    } else {
        bool said = x->state == INDEXER_FAILED || x->error[0];
        snprintf(x->error, sizeof x->error, "%s", index_sync_error(x->sync, NULL));
        x->state = INDEXER_FAILED;
        x->next_due = now + INDEXER_RETRY_S;
        if (!said) /* once a run: the retries say it in the header only */
            say(x, now, "The candidate index could not be synced (the search asks Kombo "
                "meanwhile): %s", x->error);
    }
    join_sync(x);
    x->generation++;
}

/* 1234567 -> "1,234,567" */
static void grouped(unsigned long long n, char *out, size_t len)
{
    char d[32];
    int k = snprintf(d, sizeof d, "%llu", n), j = 0;
    char tmp[48];
    for (int i = 0; i < k; i++) {
        if (i && (k - i) % 3 == 0)
            tmp[j++] = ',';
        tmp[j++] = d[i];
    }
    tmp[j] = '\0';
    snprintf(out, len, "%s", tmp);
}

void indexer_status(const struct indexer *x, double now, char *out, size_t len)
{
    char a[48], b[48], when[32];
    switch (x->state) {
    case INDEXER_SYNCING:
        grouped(x->prog.candidates, a, sizeof a);
        if (x->prog.incremental)
            snprintf(out, len, "index: updating");
        else if (x->prog.expected > x->prog.candidates) {
            grouped(x->prog.expected, b, sizeof b);
            snprintf(out, len, "indexing %s/%s", a, b);
        } else
            snprintf(out, len, "indexing %s candidates", a);
        return;
    case INDEXER_IDLE:
    case INDEXER_FAILED:
        if (x->state == INDEXER_FAILED && !x->synced_mono) {
            snprintf(out, len, "index: sync failed");
            return;
        }
        fmt_age(x->synced_mono ? now - x->synced_mono : -1, when, sizeof when);
        snprintf(out, len, "index: %s%s", x->state == INDEXER_FAILED ? "sync failed, last " : "synced ",
                 when);
        return;
    default:
        out[0] = '\0';
    }
}

bool indexer_step(struct indexer *x, double now)
{
    bool had_notice = indexer_notice(x, now) != NULL;
    if ((x->state == INDEXER_IDLE || x->state == INDEXER_FAILED) && now >= x->next_due)
        start_sync(x, now);
    if (x->state == INDEXER_SYNCING) {
        size_t pages = x->prog.pages;
        pthread_mutex_lock(&x->mu);
        x->prog = x->shared;
        bool done = x->done;
        enum index_sync_status st = x->result;
        pthread_mutex_unlock(&x->mu);
        if (x->prog.pages != pages)
            x->generation++;
        if (done)
            end_sync(x, st, now);
    }
    char text[sizeof x->shown];
    indexer_status(x, now, text, sizeof text);
    bool changed = strcmp(text, x->shown) != 0 || had_notice != (indexer_notice(x, now) != NULL);
    snprintf(x->shown, sizeof x->shown, "%s", text);
    return changed;
}

struct index *indexer_reader(const struct indexer *x)
{
    return x->rx;
}

const char *indexer_notice(const struct indexer *x, double now)
{
    if (!x->notice[0])
        return NULL;
    /* the first sync's note stays while that sync runs, however long */
    bool first_running = x->state == INDEXER_SYNCING && x->prog.first;
    return now < x->notice_until || first_running ? x->notice : NULL;
}

int indexer_wait_ms(const struct indexer *x, double now)
{
    double due = -1;
    if (x->state == INDEXER_IDLE || x->state == INDEXER_FAILED)
        due = x->next_due;
    if (x->notice[0] && now < x->notice_until && (due < 0 || x->notice_until < due))
        due = x->notice_until;
    if (due < 0)
        return -1;
    double left = (due - now) * 1000.0;
    return left <= 0 ? 0 : left > 60000 ? 60000 : (int)left + 1;
}
