/* The candidate index: sync against the in-process mock (with changes and deletions
 * between syncs), resume after kill -9 of a CLI sync, a corrupt file, permissions, the
 * ranking, folding, two processes at once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client.h"
#include "exitcodes.h"
#include "fold_text.h"
#include "helpers.h"
#include "index.h"
#include "index_search.h"
#include "index_sync.h"
#include "mock.h"
#include "pager.h"

#define KEY "sk_test_index_key_0123456789"
#define INTEGRATION "workday:IndexTest1"
#define N_CANDS 3000

static char *dir;
static struct mock *mk;
static char cache[600];
static unsigned env_seq;
static char label[64];

static struct index_env env(void)
{
    return (struct index_env){ .label = label, .integration_id = INTEGRATION };
}

static void new_env(void)
{
    snprintf(label, sizeof label, "test-%u", ++env_seq);
}

static struct client *new_client(void)
{
    return th_client_labelled(mock_base_url(mk), KEY, INTEGRATION, 2, label);
}

static struct index *open_ix(void)
{
    char note[1200], err[1200];
    struct index_env e = env();
    struct index *ix = index_open(&e, true, note, sizeof note, err, sizeof err);
    if (!ix)
        fail_msg("index_open: %s", err);
    return ix;
}

static int sync_ix(struct index *ix, struct index_sync_progress *p)
{
    struct client *c = new_client();
    char err[800];
    int rc = index_sync_run(ix, c, NULL, NULL, NULL, p, err, sizeof err);
    if (rc)
        print_message("sync: %s\n", err);
    client_free(c);
    return rc;
}

/* Every candidate the mock serves without include_deleted is in the index with the same
 * names and title; and the index holds no others. */
struct cmp { struct index *ix; size_t n, bad; };

static int compare_fn(void *data, struct cand_page *page, size_t index)
{
    (void)index;
    struct cmp *c = data;
    for (size_t i = 0; i < page->n; i++) {
        const struct candidate *m = &page->items[i];
        struct index_hit h;
        char err[300];
        c->n++;
        if (index_lookup(c->ix, m->id, &h, err, sizeof err) != 1) {
            c->bad++;
            continue;
        }
        if (strcmp(h.c.first_name ? h.c.first_name : "", m->first_name ? m->first_name : "") ||
            strcmp(h.c.title ? h.c.title : "", m->title ? m->title : "") ||
            h.c.n_emails != m->n_emails || h.c.n_apps != m->n_apps)
            c->bad++;
        index_hit_free(&h);
    }
    return 0;
}

static void assert_equals_mock(struct index *ix)
{
    struct client *cl = new_client();
    struct cmp c = { .ix = ix };
    struct pager_options po = { .filter = { .page_size = 250 } };
    struct pager_error pe;
    assert_int_equal(pager_run(cl, &po, compare_fn, &c, &pe), 0);
    client_free(cl);
    struct index_status st;
    char err[300];
    assert_int_equal(index_get_status(ix, &st, err, sizeof err), 0);
    assert_int_equal(c.bad, 0);
    assert_int_equal(st.candidates, c.n);
    assert_false(st.partial);
    assert_true(st.last_complete > 0);
}

static void test_sync_changes_deletions(void **state)
{
    (void)state;
    new_env();
    struct index *ix = open_ix();
    struct index_sync_progress p;
    assert_int_equal(sync_ix(ix, &p), KA_EXIT_OK);
    assert_false(p.incremental);
    assert_true(p.first);
    assert_int_equal(p.pages, (N_CANDS + 249) / 250);
    assert_equals_mock(ix);
    /* upstream: 100 changed, 10 deleted; the next sync is incremental and reads few */
    assert_int_equal(mock_change_candidates(mk, 100, false), 100);
    assert_int_equal(mock_change_candidates(mk, 10, true), 10);
    assert_int_equal(sync_ix(ix, &p), KA_EXIT_OK);
    assert_true(p.incremental);
    assert_false(p.first);
    assert_true(p.candidates >= 110 && p.candidates < N_CANDS / 2);
    assert_int_equal(p.removed, 10);
    assert_equals_mock(ix);
    index_close(ix);
}

/* A child running the real CLI sync, killed with SIGKILL after some pages; the next sync
 * resumes from the stored cursor and the index ends complete. */
static void test_kill9_resume(void **state)
{
    (void)state;
    const char *bin = getenv("KA_BIN");
    if (!bin)
        skip();
    new_env();
    /* the CLI labels the index with its --base-url */
    snprintf(label, sizeof label, "%s", mock_base_url(mk));
    char cmd[1600];
    snprintf(cmd, sizeof cmd, "KOMBO_API_KEY=%s KOMBO_INTEGRATION_ID=%s exec %s index sync -q "
             "--base-url %s", KEY, INTEGRATION, bin, mock_base_url(mk));
    /* slow pages, so the kill lands in the middle */
    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    assert_true(pid > 0);
    char path[4096], err[300];
    struct index_env e = env();
    index_path(&e, path, sizeof path);
    /* wait until a few pages are stored, then kill -9 */
    for (int i = 0; i < 400; i++) {
        usleep(10000);
        struct stat st;
        char wal[4200];
        snprintf(wal, sizeof wal, "%s-wal", path);
        if (stat(wal, &st) == 0 && st.st_size > 400000)
            break;
    }
    kill(pid, SIGKILL);
    int ws;
    waitpid(pid, &ws, 0);
    struct index *ix = open_ix();
    struct index_status st;
    assert_int_equal(index_get_status(ix, &st, err, sizeof err), 0);
    /* killed before the end (it must be: 3,000 candidates take far longer than the
     * first pages): a consistent part, resumable */
    assert_true(WIFSIGNALED(ws));
    {
        assert_true(st.partial);
        assert_true(st.candidates < N_CANDS);
    }
    struct index_sync_progress p;
    assert_int_equal(sync_ix(ix, &p), KA_EXIT_OK);
    assert_true(p.resumed);
    assert_equals_mock(ix);
    index_close(ix);
}

static void test_corrupt_file(void **state)
{
    (void)state;
    new_env();
    char path[4096], note[1200], err[1200];
    struct index_env e = env();
    assert_int_equal(index_path(&e, path, sizeof path), 0);
    char d[4096];
    index_dir(d, sizeof d);
    mkdir(d, 0700);
    FILE *f = fopen(path, "w");
    for (int i = 0; i < 5000; i++)
        fputc((i * 7919) & 0xFF, f);
    fclose(f);
    struct index *ix = index_open(&e, true, note, sizeof note, err, sizeof err);
    assert_non_null(ix);
    assert_non_null(strstr(note, "moved it to"));
    assert_non_null(strstr(note, ".corrupt-"));
    struct index_status st;
    assert_int_equal(index_get_status(ix, &st, err, sizeof err), 0);
    assert_int_equal(st.schema, INDEX_SCHEMA_VERSION);
    assert_int_equal(st.candidates, 0);
    index_close(ix);
    /* the second open is quiet */
    ix = index_open(&e, true, note, sizeof note, err, sizeof err);
    assert_non_null(ix);
    assert_string_equal(note, "");
    index_close(ix);
    /* clear removes it and the moved-aside copy */
    assert_int_equal(index_remove(&e, path, sizeof path, err, sizeof err), 1);
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(index_remove(&e, path, sizeof path, err, sizeof err), 0);
}

static void test_permissions(void **state)
{
    (void)state;
    new_env();
    char d[4096], path[4096];
    index_dir(d, sizeof d);
    mkdir(d, 0700);
    assert_int_equal(chmod(d, 0775), 0);       /* group-writable: fixed, it is ours */
    struct index *ix = open_ix();
    struct stat st;
    assert_int_equal(stat(d, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    struct index_env e = env();
    index_path(&e, path, sizeof path);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    index_close(ix);
    assert_int_equal(chmod(path, 0644), 0);
    ix = open_ix();
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    index_close(ix);
}

static void test_folding(void **state)
{
    (void)state;
    static const struct { const char *in, *out; } t[] = {
        { "Zoë", "zoe" }, { "Müller", "muller" }, { "Łukasz", "lukasz" }, { "Nguyễn", "nguyen" },
        { "García", "garcia" }, { "Σοφία", "σοφια" }, { "ΣΟΦΊΑ", "σοφια" }, { "Шевченко", "шевченко" },
        { "ШЕВЧЕНКО", "шевченко" }, { "Straße", "strasse" }, { "Ørsted", "orsted" },
        { "Zoe\xCC\x88", "zoe" },  /* decomposed ë */
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char *f = fold_text(t[i].in, strlen(t[i].in));
        assert_string_equal(f, t[i].out);
        free(f);
    }
}

/* An index of hand-made candidates: a data file for a mock of its own. */
static const char ranking_data[] =
    "["
    "{\"id\":\"AAAAAAAAAAAAAAAAAAAAAAA1\",\"remote_id\":\"r-100\",\"first_name\":\"Anna\",\"last_name\":\"Müller\","
    " \"email_addresses\":[{\"email_address\":\"anna@example.com\",\"type\":\"PERSONAL\"}],"
    " \"applications\":[{\"id\":\"APPAAAAAAAAAAAAAAAAAAAA1\",\"remote_created_at\":\"2024-01-01T00:00:00.000Z\","
    "  \"job\":{\"id\":\"JOBAAAAAAAAAAAAAAAAAAAA1\",\"name\":\"Data Engineer\"}}]},"
    "{\"id\":\"AAAAAAAAAAAAAAAAAAAAAAA2\",\"remote_id\":\"r-200\",\"first_name\":\"Joanna\",\"last_name\":\"Smith\","
    " \"title\":\"Annapurna guide\","
    " \"applications\":[{\"id\":\"APPAAAAAAAAAAAAAAAAAAAA2\",\"remote_created_at\":\"2024-06-01T00:00:00.000Z\"}]},"
    "{\"id\":\"AAAAAAAAAAAAAAAAAAAAAAA3\",\"remote_id\":\"r-300\",\"first_name\":\"Annika\",\"last_name\":\"Zoë\","
    " \"company\":\"Acme\","
    " \"applications\":[{\"id\":\"APPAAAAAAAAAAAAAAAAAAAA3\",\"remote_created_at\":\"2024-09-01T00:00:00.000Z\"}]},"
    "{\"id\":\"AAAAAAAAAAAAAAAAAAAAAAA4\",\"remote_id\":\"r-400\",\"first_name\":\"Łukasz\",\"last_name\":\"Nguyễn\","
    " \"email_addresses\":[{\"email_address\":\"lukas@anna.example\",\"type\":\"WORK\"}]},"
    "{\"id\":\"AAAAAAAAAAAAAAAAAAAAAAA5\",\"remote_id\":\"r-500\",\"first_name\":\"Σοφία\",\"last_name\":\"Шевченко\",\"title\":\"García fan\"}"
    "]";

static void expect(struct index *ix, const char *q, const char *const *ids, const int *ranks)
{
    struct index_results r;
    char err[300];
    if (index_search(ix, q, 0, &r, err, sizeof err) != 0)
        fail_msg("query \"%s\": %s", q, err);
    size_t n = 0;
    while (ids[n])
        n++;
    if (r.n != n) {
        for (size_t i = 0; i < r.n; i++)
            print_message("  %s: %s %d\n", q, r.hits[i].c.id, r.hits[i].rank);
        fail_msg("query \"%s\": %zu hits, expected %zu", q, r.n, n);
    }
    for (size_t i = 0; i < n; i++) {
        if (strcmp(r.hits[i].c.id + 23, ids[i]) || (int)r.hits[i].rank != ranks[i])
            fail_msg("query \"%s\" hit %zu: %s rank %d, expected ...%s rank %d", q, i,
                     r.hits[i].c.id, r.hits[i].rank, ids[i], ranks[i]);
    }
    index_results_free(&r);
}

static void test_ranking(void **state)
{
    (void)state;
    char data[600];
    snprintf(data, sizeof data, "%s/ranking.json", dir);
    FILE *f = fopen(data, "w");
    fputs(ranking_data, f);
    fclose(f);
    char inbox[600], err[300];
    snprintf(inbox, sizeof inbox, "%s/inbox2", dir);
    struct mock_config cfg = { .inbox = inbox, .quiet = true, .data_file = data };
    struct mock *m2 = mock_start(&cfg, err, sizeof err);
    if (!m2)
        fail_msg("mock_start: %s", err);
    struct mock *saved = mk;
    mk = m2;
    new_env();
    struct index *ix = open_ix();
    assert_int_equal(sync_ix(ix, NULL), KA_EXIT_OK);
    enum { E = INDEX_RANK_EXACT, N = INDEX_RANK_NAME, O = INDEX_RANK_OTHER };
    static const struct { const char *q; const char *ids[6]; int ranks[6]; } t[] = {
        /* name prefixes first (recent application first), then other substrings */
        { "ann", { "3", "1", "2", "4", NULL }, { N, N, O, O } },
        { "anna", { "1", "2", "4", NULL }, { N, O, O } },
        { "a", { "3", "1", NULL }, { N, N } },
        { "an", { "3", "1", NULL }, { N, N } },
        { "jo", { "2", NULL }, { N } },
        { "anna@example.com", { "1", NULL }, { E } },
        { "ANNA@EXAMPLE.COM", { "1", NULL }, { E } },
        { "r-300", { "3", NULL }, { E } },
        { "AAAAAAAAAAAAAAAAAAAAAAA2", { "2", NULL }, { E } },
        { "muller", { "1", NULL }, { N } },
        { "zoe", { "3", NULL }, { N } },
        { "lukasz", { "4", NULL }, { N } },
        { "nguyen", { "4", NULL }, { N } },
        { "σοφια", { "5", NULL }, { N } },
        { "ШЕВЧЕНКО", { "5", NULL }, { N } },
        { "garcia", { "5", NULL }, { O } },
        { "data eng", { "1", NULL }, { O } },
        { "acme", { "3", NULL }, { O } },
        { "anna m", { "1", NULL }, { N } },
        { "xyz", { NULL }, { 0 } },
        { "", { NULL }, { 0 } },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        expect(ix, t[i].q, t[i].ids, t[i].ranks);
    index_close(ix);
    mk = saved;
    mock_stop(m2);
}

/* Ties: two applications in the same second (the second candidate takes the next free
 * second, so it comes first), two candidates without applications (last, newest first). */
static const char ties_data[] =
    "["
    "{\"id\":\"TTTTTTTTTTTTTTTTTTTTTTT1\",\"remote_id\":\"t-1\",\"first_name\":\"Ida\",\"last_name\":\"One\","
    " \"applications\":[{\"id\":\"APPTTTTTTTTTTTTTTTTTTTT1\",\"remote_created_at\":\"2024-03-01T00:00:00.000Z\"}]},"
    "{\"id\":\"TTTTTTTTTTTTTTTTTTTTTTT2\",\"remote_id\":\"t-2\",\"first_name\":\"Ida\",\"last_name\":\"Two\","
    " \"applications\":[{\"id\":\"APPTTTTTTTTTTTTTTTTTTTT2\",\"remote_created_at\":\"2024-03-01T00:00:00.000Z\"}]},"
    "{\"id\":\"TTTTTTTTTTTTTTTTTTTTTTT3\",\"remote_id\":\"t-3\",\"first_name\":\"Ida\",\"last_name\":\"Three\"},"
    "{\"id\":\"TTTTTTTTTTTTTTTTTTTTTTT4\",\"remote_id\":\"t-4\",\"first_name\":\"Ida\",\"last_name\":\"Four\"}"
    "]";

static void test_ties(void **state)
{
    (void)state;
    char data[600];
    snprintf(data, sizeof data, "%s/ties.json", dir);
    FILE *f = fopen(data, "w");
    fputs(ties_data, f);
    fclose(f);
    char inbox[600], err[300];
    snprintf(inbox, sizeof inbox, "%s/inbox3", dir);
    struct mock_config cfg = { .inbox = inbox, .quiet = true, .data_file = data };
    struct mock *m3 = mock_start(&cfg, err, sizeof err);
    if (!m3)
        fail_msg("mock_start: %s", err);
    struct mock *saved = mk;
    mk = m3;
    new_env();
    struct index *ix = open_ix();
    assert_int_equal(sync_ix(ix, NULL), KA_EXIT_OK);
    enum { N = INDEX_RANK_NAME };
    static const char *const order[] = { "2", "1", "4", "3", NULL };
    static const int ranks[] = { N, N, N, N };
    expect(ix, "ida", order, ranks);
    expect(ix, "i", order, ranks);
    /* a full sync again: every row rewritten, the same order */
    struct client *cl = new_client();
    struct index_sync_options o = { .full = true };
    assert_int_equal(index_sync_run(ix, cl, &o, NULL, NULL, NULL, err, sizeof err), KA_EXIT_OK);
    client_free(cl);
    static const char *const again[] = { "2", "1", "4", "3", NULL };
    expect(ix, "ida", again, ranks);
    index_close(ix);
    mk = saved;
    mock_stop(m3);
}

/* A sync in one process while another searches and a second sync is refused. */
static void test_two_processes(void **state)
{
    (void)state;
    new_env();
    struct index *ix = open_ix();
    assert_int_equal(sync_ix(ix, NULL), KA_EXIT_OK);
    int pipefd[2];
    assert_int_equal(pipe(pipefd), 0);
    pid_t pid = fork();
    if (pid == 0) {
        /* the child: searches while the parent syncs again */
        close(pipefd[0]);
        char note[300], err[300];
        struct index_env e = env();
        struct index *c = index_open(&e, false, note, sizeof note, err, sizeof err);
        int bad = !c;
        for (int i = 0; c && i < 200; i++) {
            struct index_results r;
            if (index_search(c, i % 2 ? "an" : "son", 0, &r, err, sizeof err) != 0)
                bad++;
            index_results_free(&r);
        }
        index_close(c);
        _exit(bad ? 1 : 0);
    }
    close(pipefd[1]);
    struct client *cl = new_client();
    struct index_sync_options o = { .full = true };
    int code;
    char err[300];
    struct index_sync *s = index_sync_start(ix, cl, &o, &code, err, sizeof err);
    assert_non_null(s);
    /* a second sync of the same index is refused while the first runs */
    struct index *ix2 = open_ix();
    assert_null(index_sync_start(ix2, cl, NULL, &code, err, sizeof err));
    assert_non_null(strstr(err, "another sync"));
    index_close(ix2);
    while (index_sync_step(s) == INDEX_SYNC_RUNNING)
        client_poll(cl, 100, -1, NULL);
    assert_true(index_sync_complete(s));
    index_sync_free(s);
    client_free(cl);
    int ws;
    waitpid(pid, &ws, 0);
    close(pipefd[0]);
    assert_true(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
    assert_equals_mock(ix);
    index_close(ix);
}

static int setup(void **state)
{
    (void)state;
    static const char *const proxies[] = { "http_proxy", "https_proxy", "HTTPS_PROXY",
                                           "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy" };
    for (size_t i = 0; i < sizeof proxies / sizeof proxies[0]; i++)
        unsetenv(proxies[i]);
    dir = th_tempdir();
    snprintf(cache, sizeof cache, "%s/cache", dir);
    setenv("XDG_CACHE_HOME", cache, 1);
    char inbox[600], err[300];
    snprintf(inbox, sizeof inbox, "%s/inbox", dir);
    struct mock_config cfg = { .inbox = inbox, .quiet = true, .candidates = N_CANDS, .seed = 14 };
    mk = mock_start(&cfg, err, sizeof err);
    return mk ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    mock_stop(mk);
    th_rmtree(dir);
    free(dir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_folding),
        cmocka_unit_test(test_sync_changes_deletions),
        cmocka_unit_test(test_kill9_resume),
        cmocka_unit_test(test_corrupt_file),
        cmocka_unit_test(test_permissions),
        cmocka_unit_test(test_ranking),
        cmocka_unit_test(test_ties),
        cmocka_unit_test(test_two_processes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
