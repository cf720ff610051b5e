/* The batch engine against an in-process mock with a concurrency limit: never more in
 * flight than the limit, whatever is asked; a 429 storm costs no attempts; a row the journal says arrived is skipped; a
 * row whose last journal line is "started" is looked up in the listing first (found:
 * not sent; same name but other content, or absent: sent). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bulkrun.h"
#include "client.h"
#include "clock.h"
#include "exitcodes.h"
#include "filehash.h"
#include "helpers.h"
#include "history.h"
#include "mock.h"
#include "mock_http.h"
#include "transfer.h"

#define CAND "4B7z5qJ8dXcR2mTnWvKpLs9a"
#define INTEG "bulk:test"

static int setup(void **state)
{
    if (th_setup_tempdir(state) != 0)
        return -1;
    setenv("XDG_STATE_HOME", th_dir, 1);
    return 0;
}

static unsigned stat_of(struct mock *m, const char *key)
{
    struct mh_resp r = mh_get(m, "/__mock/stats");
    const cJSON *v = mh_data(&r, key);
    unsigned n = cJSON_IsNumber(v) ? (unsigned)v->valuedouble : 0;
    mh_free(&r);
    return n;
}

/* n items f<i>.txt to CAND, distinct content. */
static struct bulk_item *make_items(size_t n, const char *prefix)
{
    struct bulk_item *items = calloc(n, sizeof *items);
    for (size_t i = 0; i < n; i++) {
        char path[512], name[64], text[64];
        snprintf(name, sizeof name, "%s%zu.txt", prefix, i);
        snprintf(text, sizeof text, "content of %s %zu\n", prefix, i);
        th_write_text(th_path(path, sizeof path, name), text);
        struct attachment att;
        char err[256];
        assert_int_equal(attachment_init(&att, path, NULL, ATT_OTHER, "text/plain", err, sizeof err), 0);
        bulk_item_init(&items[i], i + 1, name, &att, CAND, NULL, NULL, NULL);
    }
    return items;
}

static void free_items(struct bulk_item *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        bulk_item_free(&items[i]);
    free(items);
}

static void test_never_above_the_limit(void **state)
{
    (void)state;
    struct mock *m = mh_start((struct mock_config){ .concurrency_limit = 3, .latency_ms = 20 }, th_dir);
    struct client *c = th_client(mock_base_url(m), "k", INTEG, 4);
    struct bulk_item *items = make_items(30, "f");
    struct bulk_options o = { .concurrency = 16 };
    assert_int_equal(bulk_run(c, items, 30, &o), KA_EXIT_OK);
    for (size_t i = 0; i < 30; i++)
        assert_int_equal(items[i].status, BULK_ATTACHED);
    assert_int_equal(mock_stored_count(m), 30);
    assert_true(stat_of(m, "peak_in_flight") <= 3);
    assert_true(stat_of(m, "peak_in_flight") >= 2);   /* and it did go parallel */
    struct client_concurrency cc;
    assert_true(client_get_concurrency(c, NULL, &cc));
    assert_int_equal(cc.server_limit, 3);             /* learnt from Concurrency-Limit */
    assert_true(cc.cap <= 3);
    /* The first guess (4) overshoots by one: that 429 says every slot is taken, so the cap
     * becomes what was held (3), not half of it, and nothing else is turned away. */
    assert_true(cc.rejected <= 1);
    assert_int_equal(cc.cap, 3);

    /* A second run on this client starts at the limit it learnt: no 429 at all. */
    struct bulk_item *more = make_items(12, "more");
    assert_int_equal(bulk_run(c, more, 12, &o), KA_EXIT_OK);
    struct client_concurrency cc2;
    assert_true(client_get_concurrency(c, NULL, &cc2));
    assert_int_equal(cc2.rejected, cc.rejected);
    assert_true(stat_of(m, "peak_in_flight") <= 3);
    free_items(more, 12);

    /* Again: the journal has them all. */
    free_items(items, 30);
    items = make_items(30, "f");
    assert_int_equal(bulk_run(c, items, 30, &o), KA_EXIT_OK);
    for (size_t i = 0; i < 30; i++)
        assert_int_equal(items[i].status, BULK_ALREADY);
    assert_int_equal(mock_stored_count(m), 30 + 12);
    free_items(items, 30);
    client_free(c);
    mock_stop(m);
}

/* A started line as a killed run leaves it (or, with outcome "sent", one killed after the
 * whole body went out). */
static void journal_line(struct client *c, const struct bulk_item *it, const char *outcome)
{
    struct history_entry e = {
        .time = time(NULL), .path = it->att.path, .size = it->att.size,
        .sha256 = (char *)it->sha256, .candidate = CAND, .type = "OTHER", .name = it->att.name,
        .content_type = "text/plain", .server = (char *)client_options(c)->label,
        .integration = INTEG,
        .outcome = (char *)outcome,
    };
    char err[256];
    assert_int_equal(history_append(&e, err, sizeof err), 0);
}

static void journal_started(struct client *c, const struct bulk_item *it)
{
    journal_line(c, it, HISTORY_STARTED);
}

static void test_started_rows_checked_first(void **state)
{
    (void)state;
    struct mock *m = mh_start((struct mock_config){ .concurrency_limit = 4 }, th_dir);
    struct client *c = th_client(mock_base_url(m), "k", INTEG, 4);
    struct bulk_item *items = make_items(3, "g");
    /* g0 arrived before the kill; g1's name is there, with other content; g2 has no line. */
    struct bulk_options o = { .concurrency = 4 };
    assert_int_equal(bulk_run(c, items, 1, &o), KA_EXIT_OK);          /* sends g1 */
    free_items(items, 3);
    char *hp = history_path();
    unlink(hp);                                  /* forget the outcome line: as if killed */
    free(hp);
    char other[512];
    th_write_text(th_path(other, sizeof other, "elsewhere.txt"), "different bytes\n");
    struct attachment att;
    char err[256];
    assert_int_equal(attachment_init(&att, other, "g1.txt", ATT_OTHER, "text/plain", err, sizeof err), 0);
    struct bulk_item decoy;
    bulk_item_init(&decoy, 1, "decoy", &att, CAND, NULL, NULL, NULL);
    assert_int_equal(bulk_run(c, &decoy, 1, &o), KA_EXIT_OK);        /* a g1.txt of other content */
    bulk_item_free(&decoy);
    hp = history_path();
    unlink(hp);
    free(hp);
    assert_int_equal(mock_stored_count(m), 2);

    items = make_items(3, "g");
    for (size_t i = 0; i < 3; i++) {
        char e2[256];
        assert_int_equal(filehash_file(items[i].att.path, items[i].sha256, e2, sizeof e2), 0);
        if (i < 2)
            journal_started(c, &items[i]);
    }
    unsigned uploads = mock_request_count(m);
    assert_int_equal(bulk_run(c, items, 3, &o), KA_EXIT_OK);
    assert_int_equal(items[0].status, BULK_FOUND);     /* listed, same SHA-256: not sent */
    assert_int_equal(items[1].status, BULK_ATTACHED);  /* its name was there, other bytes */
    assert_int_equal(items[2].status, BULK_ATTACHED);  /* no journal line: sent */
    assert_int_equal(mock_request_count(m) - uploads, 2);
    assert_int_equal(mock_stored_count(m), 4);
    free_items(items, 3);
    /* The found row now has an "ok" line: the next run skips it without a listing. */
    items = make_items(1, "g");
    assert_int_equal(bulk_run(c, items, 1, &o), KA_EXIT_OK);
    assert_int_equal(items[0].status, BULK_ALREADY);
    free_items(items, 1);
    client_free(c);
    mock_stop(m);
}

/* A 429 storm: 10 CONCURRENCY_LIMIT_EXCEEDED answers in a row with a client allowed only
 * 2 attempts. They cost no attempt (Kombo did nothing), the cap halves on them and comes
 * back while answers are clean, and each file still arrives once. */
static void test_storm_halves_then_grows(void **state)
{
    (void)state;
    struct mock *m = mh_start((struct mock_config){ .concurrency_limit = 8, .latency_ms = 5 }, th_dir);
    struct client *c = th_client(mock_base_url(m), "k", INTEG, 2);
    struct mock_fault f = { .kind = MOCK_FAULT_STATUS, .count = 10, .status = 429,
                            .code = "PLATFORM.CONCURRENCY_LIMIT_EXCEEDED", .retry_after_ms = "10" };
    mock_inject(m, &f);
    struct bulk_item *items = make_items(60, "s");
    struct bulk_options o = { .concurrency = 8 };
    assert_int_equal(bulk_run(c, items, 60, &o), KA_EXIT_OK);
    for (size_t i = 0; i < 60; i++)
        assert_int_equal(items[i].status, BULK_ATTACHED);
    assert_int_equal(mock_stored_count(m), 60);
    struct client_concurrency cc;
    assert_true(client_get_concurrency(c, NULL, &cc));
    assert_int_equal(cc.rejected, 10);           /* every 429 seen, none fatal */
    /* Halved to 1 by the storm, then +1/window per clean answer: 1+2+...+7 = 28 clean
     * answers bring it back to 8, and 50 came. */
    assert_int_equal(cc.cap, 8);
    assert_true(stat_of(m, "peak_in_flight") <= 8);
    free_items(items, 60);
    client_free(c);
    mock_stop(m);
}

/* An upload refused before it starts (an ID that is no path segment) leaves no started
 * line: the next run has nothing to check for it. */
static void test_refused_leaves_no_started_line(void **state)
{
    (void)state;
    struct mock *m = mh_start((struct mock_config){ 0 }, th_dir);
    struct client *c = th_client(mock_base_url(m), "k", INTEG, 4);
    char path[512], err[256];
    th_write_text(th_path(path, sizeof path, "r.txt"), "refused\n");
    struct attachment att;
    assert_int_equal(attachment_init(&att, path, NULL, ATT_OTHER, "text/plain", err, sizeof err), 0);
    struct bulk_item it;
    bulk_item_init(&it, 1, "r.txt", &att, "..", NULL, NULL, NULL);
    struct bulk_options o = { .concurrency = 2 };
    assert_int_equal(bulk_run(c, &it, 1, &o), KA_EXIT_USAGE);
    assert_int_equal(it.status, BULK_FAILED);
    assert_int_equal(mock_request_count(m), 0);
    struct history_entry *e = NULL;
    size_t n = 0;
    history_read(100, &e, &n, NULL, err, sizeof err);
    assert_int_equal(n, 0);
    history_entries_free(e, n);
    bulk_item_free(&it);
    client_free(c);
    mock_stop(m);
}

static void test_interrupted_before_start(void **state)
{
    (void)state;
    struct mock *m = mh_start((struct mock_config){ .latency_ms = 10 }, th_dir);
    struct client *c = th_client(mock_base_url(m), "k", INTEG, 4);
    struct bulk_item *items = make_items(5, "h");
    volatile sig_atomic_t stop = 1;
    struct bulk_options o = { .concurrency = 2, .interrupted = &stop };
    assert_int_equal(bulk_run(c, items, 5, &o), KA_EXIT_CANCELLED);
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(items[i].status, BULK_PENDING);
    assert_int_equal(mock_request_count(m), 0);
    free_items(items, 5);
    client_free(c);
    mock_stop(m);
}

/* The stepped form the UI drives: bulk_begin, a bulk_step after each poll, bulk_cancel
 * mid-way, bulk_end. Items in flight say so, a decided item keeps its upload's result with
 * keep_uploads, and a cancel sends nothing more: what was decided stays decided, the rest
 * is not run, and the mock holds exactly the attached ones. */
static void test_stepped_and_cancelled(void **state)
{
    (void)state;
    struct mock *m = mh_start((struct mock_config){ .concurrency_limit = 2, .latency_ms = 30 }, th_dir);
    struct client *c = th_client(mock_base_url(m), "k", INTEG, 4);
    struct bulk_item *items = make_items(12, "p");
    struct bulk_options o = { .concurrency = 2, .keep_uploads = true };
    struct bulk_job *j = bulk_begin(c, items, 12, &o);
    size_t most_sending = 0;
    bool more = true;
    while (more && bulk_get_stats(j)->done < 4) {
        more = bulk_step(j);
        size_t sending = 0;
        for (size_t i = 0; i < 12; i++)
            if (bulk_item_activity(&items[i]) == BULK_SENDING) {
                sending++;
                assert_non_null(bulk_item_upload(&items[i]));
            }
        if (sending > most_sending)
            most_sending = sending;
        client_poll(c, 50, -1, NULL);
    }
    assert_true(more);
    assert_true(most_sending >= 1 && most_sending <= 2);
    bulk_cancel(j);
    while (bulk_step(j))
        client_poll(c, 50, -1, NULL);
    assert_int_equal(bulk_end(j), KA_EXIT_CANCELLED);
    size_t attached = 0, not_run = 0;
    for (size_t i = 0; i < 12; i++) {
        if (items[i].status == BULK_ATTACHED) {
            attached++;
            const struct transfer *u = bulk_item_upload(&items[i]);
            assert_non_null(u);   /* kept: its result is there to show */
            assert_int_equal(transfer_get_result(u)->outcome, TRANSFER_OK);
            assert_int_equal(bulk_item_activity(&items[i]), BULK_DECIDED);
        } else if (items[i].status == BULK_PENDING) {
            not_run++;
            assert_null(bulk_item_upload(&items[i]));
        }
    }
    assert_true(attached >= 4);
    assert_true(not_run >= 4);
    /* The cancelled ones in flight (two at most) may still be stored: a server acts on a
     * whole body whatever the client does next. Nothing else is. */
    struct timespec pause = { 0, 100 * 1000000L };
    nanosleep(&pause, NULL);
    assert_true(mock_stored_count(m) >= attached);
    assert_true(mock_stored_count(m) <= attached + 2);
    free_items(items, 12);
    client_free(c);
    mock_stop(m);
}

struct decided_at { double t[8]; };

static void note_decided(struct bulk_item *it, const struct transfer *upload, void *cls)
{
    (void)upload;
    ((struct decided_at *)cls)->t[it->row] = clock_now();
}

/* The window a kill leaves: the whole body went out ("sent" line) and Kombo may still be
 * storing it when the next run lists. Such a row is not sent at once: it is listed again
 * until the line is older than settle_s, and found if it shows up meanwhile; only then
 * sent. A row left at "started" (its body never got out whole) is sent at once. */
static void test_sent_rows_wait_to_show(void **state)
{
    (void)state;
    struct mock *m = mh_start((struct mock_config){ .concurrency_limit = 8 }, th_dir);
    struct client *c = th_client(mock_base_url(m), "k", INTEG, 4);
    struct client *other = th_client(mock_base_url(m), "k", INTEG, 4);
    struct bulk_item *items = make_items(3, "w");
    for (size_t i = 0; i < 3; i++) {
        char e2[256];
        assert_int_equal(filehash_file(items[i].att.path, items[i].sha256, e2, sizeof e2), 0);
        if (i > 0)
            journal_started(c, &items[i]);
    }
    /* row 1 (w0): "sent", and it never arrived; row 2 (w1): "started" then "sent", and it
       arrives while the run waits; row 3 (w2): "started" only. */
    journal_line(c, &items[0], HISTORY_SENT);
    journal_line(c, &items[1], HISTORY_SENT);
    struct decided_at at = {0};
    struct bulk_options o = { .concurrency = 4, .settle_s = 2, .done = note_decided, .cls = &at };
    double t0 = clock_now();
    struct bulk_job *j = bulk_begin(c, items, 3, &o);
    bool late_sent = false;
    size_t most_settling = 0;
    while (bulk_step(j)) {
        if (bulk_get_stats(j)->settling > most_settling)
            most_settling = bulk_get_stats(j)->settling;
        if (!late_sent && bulk_item_activity(&items[1]) == BULK_SETTLING) {
            assert_true(bulk_item_settle_until(&items[1]) > time(NULL) - 1);
            /* the killed run's upload lands now */
            struct bulk_item late;
            struct attachment att;
            char err[256];
            assert_int_equal(attachment_init(&att, items[1].att.path, NULL, ATT_OTHER,
                                             "text/plain", err, sizeof err), 0);
            bulk_item_init(&late, 1, "late", &att, CAND, NULL, NULL, NULL);
            struct bulk_options lo = { .concurrency = 1, .no_history = true };
            assert_int_equal(bulk_run(other, &late, 1, &lo), KA_EXIT_OK);
            bulk_item_free(&late);
            late_sent = true;
        }
        client_poll(c, 50, -1, NULL);
    }
    assert_int_equal(bulk_end(j), KA_EXIT_OK);
    assert_true(late_sent);
    assert_int_equal(most_settling, 2);
    assert_int_equal(items[0].status, BULK_ATTACHED);   /* waited it out, then sent */
    assert_int_equal(items[1].status, BULK_FOUND);      /* showed up while waiting */
    assert_int_equal(items[2].status, BULK_ATTACHED);   /* "started": sent at once */
    assert_true(at.t[3] - t0 < 1.0);
    assert_true(at.t[1] - t0 >= 0.9);                    /* not before its line was ~2 s old */
    assert_int_equal(mock_stored_count(m), 3);           /* each once */
    free_items(items, 3);

    /* Every upload leaves started, sent, ok in the journal, in that order. */
    char *hp = history_path();
    FILE *f = fopen(hp, "r");
    free(hp);
    assert_non_null(f);
    char line[4096];
    int started = 0, sent = 0, ok = 0;
    while (fgets(line, sizeof line, f)) {
        if (!strstr(line, "w2.txt"))
            continue;
        if (strstr(line, "\"outcome\":\"started\""))
            started++;
        else if (strstr(line, "\"outcome\":\"sent\""))
            { assert_true(started > 1); sent++; }
        else if (strstr(line, "\"outcome\":\"ok\""))
            { assert_int_equal(sent, 1); ok++; }
    }
    fclose(f);
    assert_int_equal(started, 2);   /* ours above, then the run's */
    assert_int_equal(sent, 1);
    assert_int_equal(ok, 1);
    client_free(other);
    client_free(c);
    mock_stop(m);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_never_above_the_limit, setup, th_teardown_tempdir),
        cmocka_unit_test_setup_teardown(test_started_rows_checked_first, setup, th_teardown_tempdir),
        cmocka_unit_test_setup_teardown(test_storm_halves_then_grows, setup, th_teardown_tempdir),
        cmocka_unit_test_setup_teardown(test_interrupted_before_start, setup, th_teardown_tempdir),
        cmocka_unit_test_setup_teardown(test_refused_leaves_no_started_line, setup, th_teardown_tempdir),
        cmocka_unit_test_setup_teardown(test_stepped_and_cancelled, setup, th_teardown_tempdir),
        cmocka_unit_test_setup_teardown(test_sent_rows_wait_to_show, setup, th_teardown_tempdir),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
