/* The candidate field's search with the local index (ui/search.c over a real index file in
 * a temp XDG_CACHE_HOME, synced from the in-process mock), the merge of index and live hits
 * (src/hitmerge.c), and the confirmation of a candidate picked from the index
 * (ui/confirm.c, and the form model refusing to send to one deleted since). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "confirm.h"
#include "form_model.h"
#include "helpers.h"
#include "hitmerge.h"
#include "indexer.h"
#include "index.h"
#include "index_search.h"
#include "index_sync.h"
#include "mock.h"
#include "pager.h"
#include "search.h"

#define KEY "sk_test_search_index_0123456789"
#define INTEGRATION "workday:SearchIndex1"
#define ZOE "Zoe1111111111111111111aa"
#define MUELLER "Mue1111111111111111111aa"
#define STONE "Sto1111111111111111111aa"
#define GONE "Gon1111111111111111111aa"

/* Zoë, Jürgen Müller (a job title to find), Franklin (whose name only starts "frank"), and
 * one deleted in the ATS (the index never has them; Kombo says so when asked). */
static const char people[] =
    "[{\"id\":\"" ZOE "\",\"remote_id\":\"z1\",\"first_name\":\"Zo\\u00eb\",\"last_name\":\"Brandt\",\"title\":\"Data Wrangler\","
    "\"changed_at\":\"2024-01-01T00:00:00.000Z\",\"email_addresses\":[{\"email_address\":"
    "\"zoe.brandt@example.com\",\"type\":\"WORK\"}],\"applications\":[]},"
    "{\"id\":\"" MUELLER "\",\"remote_id\":\"m1\",\"first_name\":\"J\\u00fcrgen\",\"last_name\":\"M\\u00fcller\","
    "\"changed_at\":\"2024-01-01T00:00:00.000Z\",\"email_addresses\":[{\"email_address\":"
    "\"j.mueller@example.com\",\"type\":\"WORK\"}],\"applications\":[{\"id\":\"MueApp111111111111111aa\","
    "\"outcome\":\"PENDING\",\"job\":{\"id\":\"j1\",\"name\":\"Night Shift Supervisor\"}}]},"
    "{\"id\":\"" STONE "\",\"remote_id\":\"s1\",\"first_name\":\"Franklin\",\"last_name\":\"Stone\","
    "\"changed_at\":\"2024-01-01T00:00:00.000Z\",\"applications\":[]},"
    "{\"id\":\"" GONE "\",\"remote_id\":\"g1\",\"first_name\":\"Gone\",\"last_name\":\"Away\",\"changed_at\":"
    "\"2024-01-01T00:00:00.000Z\",\"remote_deleted_at\":\"2024-02-01T00:00:00.000Z\",\"applications\":[]}]";

static char *dir;
static struct mock *mk, *big;   /* the people above; 300 generated ones */

static struct client *client_of(struct mock *m, const char *label)
{
    return th_client_labelled(mock_base_url(m), KEY, INTEGRATION, 1, label);
}

/* The index of label, synced from m to the end. */
static struct index *synced_index(struct mock *m, const char *label)
{
    char note[1200], err[1200];
    struct index_env env = { .label = label, .integration_id = INTEGRATION };
    struct index *ix = index_open(&env, true, note, sizeof note, err, sizeof err);
    if (!ix)
        fail_msg("index_open: %s", err);
    struct client *c = client_of(m, label);
    if (index_sync_run(ix, c, NULL, NULL, NULL, NULL, err, sizeof err) != 0)
        fail_msg("sync: %s", err);
    client_free(c);
    return ix;
}

static void run(struct client *c, struct search *s, double now)
{
    for (int i = 0; i < 300 && (s->state == SEARCH_WAITING || s->state == SEARCH_RUNNING); i++) {
        client_poll(c, 20, -1, NULL);
        search_step(s, now);
    }
}

static void run_confirm(struct client *c, struct confirm *k)
{
    for (int i = 0; i < 300 && k->state == CONFIRM_RUNNING; i++) {
        client_poll(c, 20, -1, NULL);
        confirm_step(k);
    }
}

/* Index hits are there at once, before the pause; the live answer is merged in. */
static void test_index_hits_at_once(void **state)
{
    (void)state;
    struct index *ix = synced_index(mk, "people");
    struct client *c = client_of(mk, "people");
    struct search s;
    search_init(&s, c);
    search_set_index(&s, ix);
    /* part of a name, the accent typed: the index answers before any request */
    assert_true(search_set_text(&s, "mül", 10.0));
    assert_int_equal(s.state, SEARCH_WAITING);
    assert_null(s.finder);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.hits[0].id, MUELLER);
    assert_true(search_hit_from_index(&s, 0));
    assert_int_equal(s.hits[0].n_apps, 1);
    search_step(&s, 10.2);
    run(c, &s, 10.2);
    assert_int_equal(s.state, SEARCH_DONE);
    assert_int_equal(s.n, 1);                 /* Kombo knows no one called "mül" */
    assert_true(search_hit_from_index(&s, 0)); /* still only the index's copy */
    /* without the accent; a job title; two letters match name starts only */
    search_set_text(&s, "zoe", 11.0);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.hits[0].id, ZOE);
    search_set_text(&s, "shift", 12.0);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.hits[0].id, MUELLER);
    search_set_text(&s, "fr", 13.0);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.hits[0].id, STONE);
    search_set_text(&s, "ra", 14.0);           /* inside "Franklin", "Brandt": not a start */
    assert_int_equal(s.n, 0);
    /* an exact e-mail: Kombo's copy replaces the index's, one row */
    search_set_text(&s, "j.mueller@example.com", 15.0);
    assert_int_equal(s.n, 1);
    assert_true(search_hit_from_index(&s, 0));
    search_step(&s, 15.2);
    run(c, &s, 15.2);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.hits[0].id, MUELLER);
    assert_false(search_hit_from_index(&s, 0));
    /* the whole first name: found by both, once, as Kombo's */
    search_set_text(&s, "Franklin", 16.0);
    search_step(&s, 16.2);
    run(c, &s, 16.2);
    assert_int_equal(s.n, 1);
    assert_false(search_hit_from_index(&s, 0));
    /* emptied: nothing at once */
    search_set_text(&s, "", 17.0);
    assert_int_equal(s.n, 0);
    assert_int_equal(s.state, SEARCH_EMPTY);
    search_free(&s);
    client_free(c);
    index_close(ix);
}

/* The merge's order, pure: live exact hits, then the index's order, then live names the
 * index did not have; one row per ID, the live copy where there is one. */
static void test_merge_order(void **state)
{
    (void)state;
    struct finder_hit live[3];
    memset(live, 0, sizeof live);
    live[0].cand.id = (char *)"A";
    live[0].best = QF_EMAIL;
    live[0].matched = 1u << QF_EMAIL;
    live[1].cand.id = (char *)"B";
    live[1].best = QF_FIRST;
    live[1].matched = 1u << QF_FIRST;
    live[2].cand.id = (char *)"D";
    live[2].best = QF_LAST;
    live[2].matched = 1u << QF_LAST;
    struct index_hit ih[3];
    memset(ih, 0, sizeof ih);
    ih[0].c.id = (char *)"C";
    ih[0].rank = INDEX_RANK_NAME;
    ih[1].c.id = (char *)"B";
    ih[1].rank = INDEX_RANK_NAME;
    ih[2].c.id = (char *)"A";
    ih[2].rank = INDEX_RANK_EXACT;
    struct finder_results lr = { .hits = live, .n = 3 };
    struct index_results ir = { .hits = ih, .n = 3 };
    struct merged_hit out[6];
    size_t n = hitmerge_build(&lr, &ir, out);
    assert_int_equal(n, 4);
    const char *want[] = { "A", "C", "B", "D" };
    for (size_t i = 0; i < n; i++)
        assert_string_equal(out[i].c->id, want[i]);
    assert_ptr_equal(out[0].c, &live[0].cand);        /* Kombo's copy */
    assert_int_equal(out[0].matched, (1u << QF_EMAIL) | HITMERGE_INDEX);
    assert_true(out[0].exact && out[0].live);
    assert_ptr_equal(out[1].c, &ih[0].c);             /* the index's alone */
    assert_false(out[1].live);
    assert_ptr_equal(out[2].c, &live[1].cand);        /* in both: Kombo's copy */
    assert_true(out[2].live);
    assert_int_equal(out[2].matched, (1u << QF_FIRST) | HITMERGE_INDEX);
    assert_int_equal(out[3].matched, 1u << QF_LAST);  /* new since the sync */
    char labels[100];
    hitmerge_labels(out[0].matched, labels, sizeof labels);
    assert_string_equal(labels, "email, index");
    /* either side alone */
    assert_int_equal(hitmerge_build(NULL, &ir, out), 3);
    assert_string_equal(out[0].c->id, "C");
    assert_int_equal(hitmerge_build(&lr, NULL, out), 3);
    assert_string_equal(out[0].c->id, "A");
}

/* A hit confirmed: Kombo's copy. Deleted in the ATS, or not known: GONE. No answer: FAILED. */
static void test_confirm(void **state)
{
    (void)state;
    struct client *c = client_of(mk, "people");
    struct confirm k;
    confirm_init(&k, c);
    confirm_start(&k, MUELLER);
    assert_int_equal(k.state, CONFIRM_RUNNING);
    run_confirm(c, &k);
    assert_int_equal(k.state, CONFIRM_OK);
    assert_true(k.have_live);
    assert_string_equal(k.live.last_name, "Müller");
    assert_int_equal(k.live.n_apps, 1);
    confirm_start(&k, GONE);                   /* remote_deleted_at set */
    run_confirm(c, &k);
    assert_int_equal(k.state, CONFIRM_GONE);
    confirm_start(&k, "Unk1111111111111111111aa"); /* no such ID any more */
    run_confirm(c, &k);
    assert_int_equal(k.state, CONFIRM_GONE);
    struct mock_fault f = { .kind = MOCK_FAULT_STATUS, .status = 503, .count = -1, .path = "/ats/candidates" };
    mock_inject(mk, &f);
    confirm_start(&k, STONE);
    run_confirm(c, &k);
    mock_inject(mk, &(struct mock_fault){ .kind = MOCK_FAULT_NONE });
    assert_int_equal(k.state, CONFIRM_FAILED);
    assert_non_null(strstr(k.message, "503"));
    /* a new question cancels the one in flight */
    confirm_start(&k, ZOE);
    confirm_start(&k, STONE);
    run_confirm(c, &k);
    assert_int_equal(k.state, CONFIRM_OK);
    assert_string_equal(k.live.id, STONE);
    confirm_free(&k);
    client_free(c);
}

/* The candidate of this page the index has though Kombo now says deleted (only one: the
 * one the mock deleted after the sync). */
struct find_gone { struct index *ix; char id[64]; };

static int gone_fn(void *data, struct cand_page *page, size_t index)
{
    (void)index;
    struct find_gone *g = data;
    for (size_t i = 0; i < page->n; i++) {
        struct index_hit h;
        char err[300];
        if (page->items[i].remote_deleted_at &&
            index_lookup(g->ix, page->items[i].id, &h, err, sizeof err) == 1) {
            snprintf(g->id, sizeof g->id, "%s", page->items[i].id);
            index_hit_free(&h);
        }
    }
    return 0;
}

/* Synced, then deleted upstream: the search still shows the index's copy, Kombo says it is
 * gone, and the form model will not send to it. */
static void test_deleted_after_sync(void **state)
{
    (void)state;
    struct index *ix = synced_index(big, "big");
    assert_int_equal(mock_change_candidates(big, 1, true), 1);
    struct client *c = client_of(big, "big");
    struct find_gone g = { .ix = ix };
    struct pager_options po = { .filter = { .page_size = 250, .include_deleted = true } };
    struct pager_error pe;
    assert_int_equal(pager_run(c, &po, gone_fn, &g, &pe), 0);
    assert_true(g.id[0] != '\0');
    struct index_hit h;
    char err[300];
    assert_int_equal(index_lookup(ix, g.id, &h, err, sizeof err), 1);
    struct search s;
    search_init(&s, c);
    search_set_index(&s, ix);
    search_set_text(&s, g.id, 1.0);          /* the ID: the index's exact hit, at once */
    assert_true(s.n >= 1);
    assert_string_equal(s.hits[0].id, g.id);
    assert_true(search_hit_from_index(&s, 0));
    search_step(&s, 1.2);
    run(c, &s, 1.2);
    assert_string_equal(s.hits[0].id, g.id); /* Kombo's search leaves deleted ones out */
    assert_true(search_hit_from_index(&s, 0));
    struct confirm k;
    confirm_init(&k, c);
    confirm_start(&k, g.id);
    run_confirm(c, &k);
    assert_int_equal(k.state, CONFIRM_GONE);
    /* the form model: the target from the index, then gone: an error, no send */
    struct form_model m;
    fm_init(&m, NULL, ATT_CV, 0);
    fm_set_target(&m, &h.c);
    fm_set_confirm(&m, FM_CONFIRMING, NULL);
    assert_non_null(strstr(m.checks[FM_CANDIDATE].msg, "confirming with Kombo"));
    fm_set_confirm(&m, FM_GONE, NULL);
    assert_int_equal(m.checks[FM_CANDIDATE].level, FM_ERROR);
    assert_non_null(strstr(m.checks[FM_CANDIDATE].msg, "deleted in the ATS"));
    fm_free(&m);
    confirm_free(&k);
    search_free(&s);
    index_hit_free(&h);
    client_free(c);
    index_close(ix);
}

/* The UI's indexer: a new index is synced at once and says what it stores; the header
 * counts, then says when; the next start finds it fresh (no sync, no notice); quitting in
 * the middle of a sync keeps what was stored, and the next one resumes; off is off. */
static void test_indexer(void **state)
{
    (void)state;
    /* 600 people, every answer 150 ms late: the sync's three pages come one by one */
    char inbox[600], err[300];
    snprintf(inbox, sizeof inbox, "%s/inbox3", dir);
    struct mock_config cfg = { .inbox = inbox, .quiet = true, .candidates = 600, .seed = 3,
                               .latency_ms = 150 };
    struct mock *slow = mock_start(&cfg, err, sizeof err);
    if (!slow)
        fail_msg("mock_start: %s", err);
    struct client *c = client_of(slow, "ui");
    struct index_env env = { .label = "ui", .integration_id = INTEGRATION };
    struct indexer x;
    char text[96];
    indexer_start(&x, c, &env, false, 100.0);
    assert_int_equal(x.state, INDEXER_OFF);
    assert_null(indexer_reader(&x));
    indexer_status(&x, 100.0, text, sizeof text);
    assert_string_equal(text, "");
    indexer_stop(&x);
    /* new: due at once; the first step starts the sync and the notice says where */
    indexer_start(&x, c, &env, true, 100.0);
    assert_non_null(indexer_reader(&x));
    assert_int_equal(indexer_wait_ms(&x, 100.0), 0);
    assert_true(indexer_step(&x, 100.0));
    assert_int_equal(x.state, INDEXER_SYNCING);
    assert_true(x.prog.first);
    const char *note = indexer_notice(&x, 100.0);
    assert_non_null(note);
    assert_non_null(strstr(note, "kombo-attach/index-"));
    assert_non_null(strstr(note, "No phone numbers"));
    indexer_status(&x, 100.0, text, sizeof text);
    assert_string_equal(text, "indexing 0 candidates");
    /* a page, then quit: the next start resumes from there */
    for (int i = 0; i < 500 && x.prog.pages == 0; i++) {
        client_poll(c, 20, -1, NULL);
        indexer_step(&x, 100.1);
    }
    assert_true(x.prog.pages >= 1);
    /* the first sync's notice stays while it runs, however long */
    assert_non_null(indexer_notice(&x, 100.0 + INDEXER_NOTICE_S + 60));
    indexer_stop(&x);
    indexer_start(&x, c, &env, true, 200.0);
    indexer_step(&x, 200.0);
    assert_int_equal(x.state, INDEXER_SYNCING);
    assert_true(x.prog.resumed);
    assert_null(indexer_notice(&x, 200.0));   /* said once: not again for the rest */
    for (int i = 0; i < 500 && x.state == INDEXER_SYNCING; i++) {
        client_poll(c, 20, -1, NULL);
        indexer_step(&x, 200.5);
    }
    assert_int_equal(x.state, INDEXER_IDLE);
    indexer_status(&x, 200.5, text, sizeof text);
    assert_string_equal(text, "index: synced just now");
    indexer_status(&x, 200.5 + 150, text, sizeof text);
    assert_string_equal(text, "index: synced 2 min ago");
    /* due again after five minutes while the UI stays (the loop's wait is capped anyway) */
    assert_int_equal(indexer_wait_ms(&x, 201.0), 60000);
    assert_false(indexer_step(&x, 201.0));
    assert_int_equal(x.state, INDEXER_IDLE);
    unsigned gen = x.generation;
    indexer_step(&x, 200.5 + INDEXER_MAX_AGE_S + 1);
    assert_int_equal(x.state, INDEXER_SYNCING);
    assert_false(x.prog.first);
    for (int i = 0; i < 500 && x.state == INDEXER_SYNCING; i++) {
        client_poll(c, 20, -1, NULL);
        indexer_step(&x, 600.0);
    }
    assert_int_equal(x.state, INDEXER_IDLE);
    assert_true(x.generation > gen);
    indexer_stop(&x);
    /* fresh at the next start: nothing due for minutes, nothing to say */
    indexer_start(&x, c, &env, true, 1000.0);
    assert_false(indexer_step(&x, 1000.0) && x.state == INDEXER_SYNCING);
    assert_int_equal(x.state, INDEXER_IDLE);
    assert_null(indexer_notice(&x, 1000.0));
    indexer_stop(&x);
    client_free(c);
    mock_stop(slow);
}

static int setup(void **state)
{
    (void)state;
    static const char *const proxies[] = { "http_proxy", "https_proxy", "HTTPS_PROXY",
                                           "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy" };
    for (size_t i = 0; i < sizeof proxies / sizeof proxies[0]; i++)
        unsetenv(proxies[i]);
    dir = th_tempdir();
    char cache[600], path[600], inbox[600], inbox2[600], err[300];
    snprintf(cache, sizeof cache, "%s/cache", dir);
    setenv("XDG_CACHE_HOME", cache, 1);
    snprintf(path, sizeof path, "%s/people.json", dir);
    th_write_text(path, people);
    snprintf(inbox, sizeof inbox, "%s/inbox", dir);
    snprintf(inbox2, sizeof inbox2, "%s/inbox2", dir);
    struct mock_config a = { .inbox = inbox, .quiet = true, .data_file = path };
    struct mock_config b = { .inbox = inbox2, .quiet = true, .candidates = 300, .seed = 14 };
    mk = mock_start(&a, err, sizeof err);
    big = mk ? mock_start(&b, err, sizeof err) : NULL;
    if (!big)
        fprintf(stderr, "mock_start: %s\n", err);
    return big ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    mock_stop(big);
    mock_stop(mk);
    th_rmtree(dir);
    free(dir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merge_order),
        cmocka_unit_test(test_index_hits_at_once),
        cmocka_unit_test(test_confirm),
        cmocka_unit_test(test_deleted_after_sync),
        cmocka_unit_test(test_indexer),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
