/* `find` with the local candidate index, against an in-process mock of a few people with
 * accents and job titles: before `index sync` only exact filters find anyone; after it a
 * part of a name ("mul" → Müller, "zoe" → Zoë), a job title and an e-mail's piece do, marked
 * "index"; an e-mail is still found by the live filter first and only once; --no-index and
 * index = off are find as it was. The index lives in the test's own XDG_CACHE_HOME. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_fixture.h"
#include "exitcodes.h"

#define ZOE "Zoe1111111111111111111aa"
#define MUELLER "Mue1111111111111111111aa"
#define STONE "Sto1111111111111111111aa"

static const char people[] =
    "[{\"id\":\"" ZOE "\",\"remote_id\":\"zoe-1\",\"first_name\":\"Zo\\u00eb\",\"last_name\":\"Brandt\","
    "\"title\":\"Data Wrangler\",\"company\":\"Acme\",\"changed_at\":\"2024-01-01T00:00:00.000Z\","
    "\"email_addresses\":[{\"email_address\":\"zoe.brandt@example.com\",\"type\":\"WORK\"}],"
    "\"applications\":[]},"
    "{\"id\":\"" MUELLER "\",\"remote_id\":\"mue-1\",\"first_name\":\"J\\u00fcrgen\",\"last_name\":"
    "\"M\\u00fcller\",\"changed_at\":\"2024-01-01T00:00:00.000Z\","
    "\"email_addresses\":[{\"email_address\":\"j.mueller@example.com\",\"type\":\"WORK\"}],"
    "\"applications\":[{\"id\":\"MueApp111111111111111aa\",\"outcome\":\"PENDING\",\"job\":{\"id\":"
    "\"j1\",\"name\":\"Night Shift Supervisor\"}}]},"
    "{\"id\":\"" STONE "\",\"remote_id\":\"sto-1\",\"first_name\":\"Franklin\",\"last_name\":\"Stone\","
    "\"changed_at\":\"2024-01-01T00:00:00.000Z\",\"applications\":[]}]";

static struct mock *g_people;
static char g_people_url[300], *g_people_dir;

static int group_setup(void **state)
{
    if (setup(state) != 0)
        return -1;
    g_people_dir = th_tempdir();
    char path[600], inbox[600], err[256];
    snprintf(path, sizeof path, "%s/people.json", g_people_dir);
    snprintf(inbox, sizeof inbox, "%s/inbox", g_people_dir);
    th_write_text(path, people);
    struct mock_config c = { .inbox = inbox, .quiet = true, .data_file = path, .restrictions = "null" };
    if (!(g_people = mock_start(&c, err, sizeof err))) {
        fprintf(stderr, "people mock: %s\n", err);
        return -1;
    }
    snprintf(g_people_url, sizeof g_people_url, "KOMBO_BASE_URL=%s", mock_base_url(g_people));
    return 0;
}

static int group_teardown(void **state)
{
    mock_stop(g_people);
    th_rmtree(g_people_dir);
    free(g_people_dir);
    return teardown(state);
}

/* The Kombo IDs of find --json's lines, in order, with each line's "matched" labels:
 * "Mue...aa[index] Zoe...aa[email,index]". */
static void ids_of(const char *out, char *buf, size_t len)
{
    size_t pos = 0;
    buf[0] = '\0';
    for (const char *p = out; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char *line = strndup(p, n);
        cJSON *j = cJSON_Parse(line);
        free(line);
        if (!j)
            fail_msg("not a JSON line in %s", out);
        pos += (size_t)snprintf(buf + pos, len - pos, "%s%s[", pos ? " " : "",
                                cJSON_GetObjectItem(j, "id")->valuestring);
        const cJSON *m;
        bool first = true;
        cJSON_ArrayForEach(m, cJSON_GetObjectItem(j, "matched")) {
            pos += (size_t)snprintf(buf + pos, len - pos, "%s%s", first ? "" : ",", m->valuestring);
            first = false;
        }
        pos += (size_t)snprintf(buf + pos, len - pos, "]");
        cJSON_Delete(j);
        p += n + (nl ? 1 : 0);
    }
}

static struct run_result find_json(const char *query, const char *extra)
{
    const char *env[] = { g_people_url, NULL };
    return extra ? ka_run_env(env, "find", "--json", extra, query, NULL)
                 : ka_run_env(env, "find", "--json", query, NULL);
}

static void expect(const char *query, const char *extra, int status, const char *want)
{
    struct run_result r = find_json(query, extra);
    char got[2000];
    if (r.status != status)
        fail_msg("find %s: exit %d, want %d\n%s%s", query, r.status, status, r.out, r.err);
    ids_of(r.out, got, sizeof got);
    if (strcmp(got, want) != 0)
        fail_msg("find %s%s%s:\n got  %s\n want %s\n%s", extra ? extra : "", extra ? " " : "", query,
                 got, want, r.err);
    th_run_free(&r);
}

static void test_find_with_index(void **state)
{
    (void)state;
    const char *env[] = { g_people_url, NULL };
    /* no index yet: find is the live filters alone, as it always was */
    expect("mul", NULL, KA_EXIT_API, "");
    expect("Franklin", NULL, 0, STONE "[first_name]");
    struct run_result r = ka_run_env(env, "index", "sync", NULL);
    if (r.status != 0)
        fail_msg("index sync: exit %d\n%s%s", r.status, r.out, r.err);
    assert_said(r, "3 candidates read");
    th_run_free(&r);
    /* forgiving: part of a name, without its accent, any case; a job title; a piece of an
     * e-mail address */
    expect("mul", NULL, 0, MUELLER "[index]");
    expect("MÜLLER", NULL, 0, MUELLER "[last_name,index]");   /* Kombo knows the whole name too */
    expect("zoe", NULL, 0, ZOE "[index]");
    expect("shift super", NULL, 0, MUELLER "[index]");
    expect("wrangler", NULL, 0, ZOE "[index]");
    expect("zoe.brandt", NULL, 0, ZOE "[index]");
    /* "frank" is no one's exact first name: only the index knows Franklin */
    expect("frank", NULL, 0, STONE "[index]");
    /* exact matches stay, come first, and appear once with both marks */
    expect("j.mueller@example.com", NULL, 0, MUELLER "[email,index]");
    expect("Franklin", NULL, 0, STONE "[first_name,index]");
    /* --no-index: as before the sync */
    expect("mul", "--no-index", KA_EXIT_API, "");
    expect("zoe", "--no-index", KA_EXIT_API, "");
    /* plain text says where a row came from, and how old the copy is */
    r = ka_run_env(env, "find", "mül", NULL);
    assert_int_equal(r.status, 0);
    assert_said(r, "Jürgen Müller <j.mueller@example.com>, Kombo ID " MUELLER);
    assert_said(r, "(matched: index)");
    assert_said(r, "Night Shift Supervisor");
    assert_said(r, "1 of these is from the local index (synced just now)");
    th_run_free(&r);
    /* index = off in the config: the same as --no-index */
    char *cfg = work_file("config");
    mkdir(cfg, 0700);
    cfg = work_file("config/kombo-attach");
    mkdir(cfg, 0700);
    cfg = work_file("config/kombo-attach/config");
    th_write_text(cfg, "index = off\n");
    expect("zoe", NULL, KA_EXIT_API, "");
    unlink(cfg);
    expect("zoe", NULL, 0, ZOE "[index]");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_find_with_index, before),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
