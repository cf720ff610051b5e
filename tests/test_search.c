/* ui/search.c against the in-process mock, with a fake clock for the pause in typing:
 * nothing is asked before the pause is over, a new text cancels the old search (its
 * answers never show), the hits are the latest query's, no match and a refused query say
 * so, and a failure carries the transfer's message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "mock_fixture.h"
#include "search.h"

#define KEY "sk_test_search_key_0123456789"
#define FRANK "4B7z5qJ8dXcR2mTnWvKpLs9a"

static struct client *new_client(const char *key)
{
    return th_client(mock_base_url(G->mock), key, "workday:HWUTwvyx2wLoSUHphiWVrp28", 1);
}

/* Poll until the search is done (as the loop does), the clock standing at now. */
static void run(struct client *c, struct search *s, double now)
{
    for (int i = 0; i < 300 && (s->state == SEARCH_WAITING || s->state == SEARCH_RUNNING); i++) {
        client_poll(c, 20, -1, NULL);
        search_step(s, now);
    }
}

static void test_debounce_then_hits(void **state)
{
    (void)state;
    struct client *c = new_client(KEY);
    struct search s;
    search_init(&s, c);
    assert_int_equal(s.state, SEARCH_EMPTY);
    assert_true(search_set_text(&s, "Frank Doe", 10.0));
    assert_false(search_set_text(&s, "Frank Doe", 10.01)); /* the same text: nothing new */
    assert_int_equal(s.state, SEARCH_WAITING);
    assert_int_equal(search_wait_ms(&s, 10.0), 151);
    /* before the pause is over nothing starts, however often it is asked */
    assert_false(search_step(&s, 10.1));
    assert_null(s.finder);
    assert_true(search_step(&s, 10.15));
    assert_int_equal(s.state, SEARCH_RUNNING);
    assert_int_equal(search_wait_ms(&s, 10.2), -1);
    run(c, &s, 10.2);
    assert_int_equal(s.state, SEARCH_DONE);
    assert_int_equal(s.n, 2); /* the two Frank Does of the data set */
    assert_non_null(search_find(&s, FRANK));
    assert_non_null(strstr(s.description, "Frank Doe"));
    /* an e-mail finds one */
    search_set_text(&s, "jane.smith@example.org", 11.0);
    assert_int_equal(s.n, 2); /* the old hits stay until the new ones come: no flicker */
    search_step(&s, 11.2);
    run(c, &s, 11.2);
    assert_int_equal(s.state, SEARCH_DONE);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.hits[0].first_name, "Jane");
    /* the ATS's ID, and the ATS page's URL with it */
    search_set_text(&s, "https://app.greenhouse.example/people/WvKpLs9a", 12.0);
    search_step(&s, 12.2);
    run(c, &s, 12.2);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.hits[0].id, FRANK);
    /* emptied: nothing to show, at once */
    assert_true(search_set_text(&s, "  ", 13.0));
    assert_int_equal(s.state, SEARCH_EMPTY);
    assert_int_equal(s.n, 0);
    search_free(&s);
    client_free(c);
}

static void test_new_text_cancels(void **state)
{
    (void)state;
    struct client *c = new_client(KEY);
    struct search s;
    search_init(&s, c);
    search_set_text(&s, "Ada", 1.0);
    search_step(&s, 2.0);
    assert_int_equal(s.state, SEARCH_RUNNING);
    assert_true(client_pending(c) > 0);
    /* typed on: the old requests go at once, none of its answers is taken */
    search_set_text(&s, "Jane Smith", 2.01);
    assert_null(s.finder);
    assert_int_equal(client_pending(c), 0);
    assert_int_equal(s.state, SEARCH_WAITING);
    search_step(&s, 2.2);
    run(c, &s, 2.2);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.hits[0].last_name, "Smith");
    search_free(&s);
    client_free(c);
}

static void test_no_match_refused_failed(void **state)
{
    (void)state;
    struct client *c = new_client(KEY);
    struct search s;
    search_init(&s, c);
    search_set_text(&s, "nobody@nowhere.example", 1.0);
    search_step(&s, 2.0);
    run(c, &s, 2.0);
    assert_int_equal(s.state, SEARCH_DONE);
    assert_int_equal(s.n, 0);
    assert_non_null(strstr(s.description, "nobody@nowhere.example")); /* what was searched */
    /* a control character cannot be searched: said, nothing sent */
    search_set_text(&s, "a\x01" "b", 3.0);
    search_step(&s, 4.0);
    assert_int_equal(s.state, SEARCH_REFUSED);
    assert_true(s.message[0] != '\0');
    assert_null(s.finder);
    /* Kombo refuses every request: the transfer's message, its hint with it */
    struct mock_fault f = { .kind = MOCK_FAULT_STATUS, .status = 401, .count = -1, .path = "/ats/candidates" };
    mock_inject(G->mock, &f);
    search_set_text(&s, "Frank", 5.0);
    search_step(&s, 6.0);
    run(c, &s, 6.0);
    mock_inject(G->mock, &(struct mock_fault){ .kind = MOCK_FAULT_NONE });
    assert_int_equal(s.state, SEARCH_FAILED);
    assert_int_equal(s.n, 0);
    assert_non_null(strstr(s.message, "401"));
    if (!strstr(s.message, "check the key"))
        fail_msg("no hint: %s", s.message);
    search_free(&s);
    client_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_debounce_then_hits),
        cmocka_unit_test(test_new_text_cancels),
        cmocka_unit_test(test_no_match_refused_failed),
    };
    return cmocka_run_group_tests(tests, mf_group_setup, mf_group_teardown);
}
