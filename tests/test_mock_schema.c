/* Every answer of the mock's read endpoints, and its errors, fits the schema of that
 * endpoint in shared/kombo-openapi-subset.json (beside the repository, as in CI; the tests
 * skip, saying so, only when the file is not there).
 *
 * The checker is small and knows what the subset uses: type (one or a list, "integer"
 * included), required, properties, items, enum, const, anyOf, oneOf, allOf, $ref into
 * #/components, minLength, maxLength, minimum, maximum, pattern (POSIX ERE after turning
 * \d and \w into classes; lookaheads such as (?!\.) are dropped, so those parts of a
 * pattern go unchecked) and the formats date-time and uri. A value that is null where the
 * type allows null passes its enum: the subset writes nullable enums that way (outcome).
 * A response given as a string ("ErrorResponseATS (see components)") names a component. */
#include "helpers.h"
#include "mock_http.h"

#include <regex.h>

static cJSON *g_spec;
static char *g_dir;
static struct mock *g_m;

/* ---------------------------------------------------------------- the checker */

struct sc { char err[1400]; };

static int sc_fail(struct sc *sc, const char *path, const char *what)
{
    snprintf(sc->err, sizeof sc->err, "%s: %s", *path ? path : "(root)", what);
    return -1;
}

static const char *kind_of(const cJSON *v)
{
    if (cJSON_IsNull(v)) return "null";
    if (cJSON_IsBool(v)) return "boolean";
    if (cJSON_IsNumber(v)) return v->valuedouble == (double)(long long)v->valuedouble ? "integer" : "number";
    if (cJSON_IsString(v)) return "string";
    if (cJSON_IsArray(v)) return "array";
    return "object";
}

static bool type_ok(const char *want, const cJSON *v)
{
    const char *k = kind_of(v);
    return !strcmp(want, k) || (!strcmp(want, "number") && !strcmp(k, "integer"));
}

/* A subset pattern as POSIX ERE (see the top of this file). */
static char *ere_of(const char *p)
{
    size_t n = strlen(p);
    char *o = xmalloc(n * 12 + 1);
    size_t k = 0;
    bool in_class = false;
    for (size_t i = 0; i < n; i++) {
        if (!in_class && p[i] == '(' && p[i + 1] == '?') {      /* a lookahead: dropped */
            int depth = 0;
            for (; i < n; i++) {
                if (p[i] == '\\') { i++; continue; }
                depth += p[i] == '(';
                if (p[i] == ')' && --depth == 0)
                    break;
            }
            continue;
        }
        if (p[i] == '\\' && (p[i + 1] == 'd' || p[i + 1] == 'w')) {
            const char *cls = p[i + 1] == 'd' ? "0-9" : "A-Za-z0-9_";
            k += (size_t)sprintf(o + k, in_class ? "%s" : "[%s]", cls);
            i++;
            continue;
        }
        if (p[i] == '\\' && p[i + 1] == '/') {
            o[k++] = '/';
            i++;
            continue;
        }
        if (p[i] == '\\') {
            o[k++] = p[i++];
            o[k++] = p[i];
            continue;
        }
        if (p[i] == '[')
            in_class = true;
        else if (p[i] == ']')
            in_class = false;
        o[k++] = p[i];
    }
    o[k] = '\0';
    return o;
}

static bool matches(const char *pattern, const char *s)
{
    char *ere = ere_of(pattern);
    regex_t re;
    if (regcomp(&re, ere, REG_EXTENDED | REG_NOSUB) != 0)
        fail_msg("the checker cannot read the pattern %s (as %s)", pattern, ere);
    bool ok = regexec(&re, s, 0, NULL, 0) == 0;
    regfree(&re);
    free(ere);
    return ok;
}

static bool format_ok(const char *f, const char *s)
{
    if (!strcmp(f, "date-time"))
        return matches("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$", s);
    if (!strcmp(f, "uri"))
        return matches("^[a-z][a-z0-9+.-]*://[^ ]+$", s);
    return true;   /* double, int64, email: no further check */
}

static int sc_check(struct sc *sc, const cJSON *schema, const cJSON *v, const char *path);

static const cJSON *resolve(const cJSON *schema)
{
    const cJSON *ref = cJSON_GetObjectItemCaseSensitive(schema, "$ref");
    if (!cJSON_IsString(ref))
        return schema;
    const cJSON *at = g_spec;
    char *r = xstrdup(ref->valuestring + 2);   /* after "#/" */
    for (char *part = strtok(r, "/"); part && at; part = strtok(NULL, "/"))
        at = cJSON_GetObjectItemCaseSensitive(at, part);
    free(r);
    if (!at)
        fail_msg("unresolved $ref %s", ref->valuestring);
    return at;
}

static int check_object(struct sc *sc, const cJSON *schema, const cJSON *v, const char *path)
{
    char sub[600];
    const cJSON *req, *props = cJSON_GetObjectItemCaseSensitive(schema, "properties"), *p;
    cJSON_ArrayForEach(req, cJSON_GetObjectItemCaseSensitive(schema, "required"))
        if (!cJSON_GetObjectItemCaseSensitive(v, req->valuestring)) {
            snprintf(sub, sizeof sub, "required property \"%s\" is missing", req->valuestring);
            return sc_fail(sc, path, sub);
        }
    cJSON_ArrayForEach(p, props) {
        const cJSON *val = cJSON_GetObjectItemCaseSensitive(v, p->string);
        snprintf(sub, sizeof sub, "%s.%s", path, p->string);
        if (val && sc_check(sc, p, val, sub) < 0)
            return -1;
    }
    return 0;
}

static int check_string(struct sc *sc, const cJSON *schema, const cJSON *v, const char *path)
{
    const cJSON *minl = cJSON_GetObjectItemCaseSensitive(schema, "minLength");
    const cJSON *maxl = cJSON_GetObjectItemCaseSensitive(schema, "maxLength");
    const cJSON *pat = cJSON_GetObjectItemCaseSensitive(schema, "pattern");
    const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(schema, "format");
    size_t chars = 0;
    for (const char *s = v->valuestring; *s; s++)
        chars += ((unsigned char)*s & 0xC0) != 0x80;
    char msg[300];
    if ((minl && chars < (size_t)minl->valuedouble) || (maxl && chars > (size_t)maxl->valuedouble)) {
        snprintf(msg, sizeof msg, "\"%.80s\" has %zu characters, outside [%g, %g]", v->valuestring,
                 chars, minl ? minl->valuedouble : 0, maxl ? maxl->valuedouble : 1e9);
        return sc_fail(sc, path, msg);
    }
    if (cJSON_IsString(pat) && !matches(pat->valuestring, v->valuestring)) {
        snprintf(msg, sizeof msg, "\"%.80s\" does not match %s", v->valuestring, pat->valuestring);
        return sc_fail(sc, path, msg);
    }
    if (cJSON_IsString(fmt) && !format_ok(fmt->valuestring, v->valuestring)) {
        snprintf(msg, sizeof msg, "\"%.80s\" is not a %s", v->valuestring, fmt->valuestring);
        return sc_fail(sc, path, msg);
    }
    return 0;
}

static int check_alternatives(struct sc *sc, const cJSON *schema, const cJSON *v, const char *path)
{
    const cJSON *any = cJSON_GetObjectItemCaseSensitive(schema, "anyOf");
    const cJSON *one = cJSON_GetObjectItemCaseSensitive(schema, "oneOf");
    const cJSON *all = cJSON_GetObjectItemCaseSensitive(schema, "allOf"), *s;
    cJSON_ArrayForEach(s, all)
        if (sc_check(sc, s, v, path) < 0)
            return -1;
    for (int pass = 0; pass < 2; pass++) {
        const cJSON *list = pass ? one : any;
        if (!list)
            continue;
        int ok = 0;
        struct sc scratch;
        cJSON_ArrayForEach(s, list)
            ok += sc_check(&scratch, s, v, path) == 0;
        if (pass ? ok != 1 : ok == 0) {
            char msg[200];
            snprintf(msg, sizeof msg, "%d of the %s alternatives match (last problem: %.120s)", ok,
                     pass ? "oneOf" : "anyOf", scratch.err);
            return sc_fail(sc, path, msg);
        }
    }
    return 0;
}

static int sc_check(struct sc *sc, const cJSON *schema, const cJSON *v, const char *path)
{
    schema = resolve(schema);
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(schema, "type"), *t;
    bool null_ok = false;
    if (type) {
        bool ok = false;
        if (cJSON_IsString(type))
            ok = type_ok(type->valuestring, v), null_ok = !strcmp(type->valuestring, "null");
        const cJSON *types = cJSON_IsArray(type) ? type : NULL;
        cJSON_ArrayForEach(t, types) {
            ok |= type_ok(t->valuestring, v);
            null_ok |= !strcmp(t->valuestring, "null");
        }
        if (!ok) {
            char *want = cJSON_PrintUnformatted(type), msg[200];
            snprintf(msg, sizeof msg, "%s where the schema wants %s", kind_of(v), want);
            free(want);
            return sc_fail(sc, path, msg);
        }
    }
    const cJSON *en = cJSON_GetObjectItemCaseSensitive(schema, "enum"), *e;
    if (en && !(cJSON_IsNull(v) && null_ok)) {
        bool hit = false;
        cJSON_ArrayForEach(e, en)
            hit |= cJSON_Compare(e, v, true);
        if (!hit) {
            char *got = cJSON_PrintUnformatted(v), msg[200];
            snprintf(msg, sizeof msg, "%.100s is not in the enum", got);
            free(got);
            return sc_fail(sc, path, msg);
        }
    }
    const cJSON *cst = cJSON_GetObjectItemCaseSensitive(schema, "const");
    if (cst && !cJSON_Compare(cst, v, true))
        return sc_fail(sc, path, "not the schema's const");
    if (cJSON_IsNumber(v)) {
        const cJSON *mn = cJSON_GetObjectItemCaseSensitive(schema, "minimum");
        const cJSON *mx = cJSON_GetObjectItemCaseSensitive(schema, "maximum");
        if ((mn && v->valuedouble < mn->valuedouble) || (mx && v->valuedouble > mx->valuedouble))
            return sc_fail(sc, path, "number out of range");
    }
    if (cJSON_IsString(v) && check_string(sc, schema, v, path) < 0)
        return -1;
    if (cJSON_IsObject(v) && check_object(sc, schema, v, path) < 0)
        return -1;
    if (cJSON_IsArray(v)) {
        const cJSON *items = cJSON_GetObjectItemCaseSensitive(schema, "items"), *it;
        const cJSON *elems = items ? v : NULL;
        int i = 0;
        cJSON_ArrayForEach(it, elems) {
            char sub[600];
            snprintf(sub, sizeof sub, "%s[%d]", path, i++);
            if (sc_check(sc, items, it, sub) < 0)
                return -1;
        }
    }
    return check_alternatives(sc, schema, v, path);
}

/* The schema of an answer: paths[path][method].responses[200 or default]. */
static const cJSON *response_schema(const char *path, const char *method, bool ok)
{
    const cJSON *op = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(g_spec, "paths"), path), method);
    const cJSON *resp = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(op, "responses"), ok ? "200" : "default");
    if (cJSON_IsString(resp)) {    /* "ErrorResponseATS (see components)" */
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)strcspn(resp->valuestring, " "), resp->valuestring);
        resp = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(g_spec, "components"), name);
    }
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(resp, "content"), "application/json"), "schema");
    if (!schema)
        fail_msg("no %s schema for %s %s in the subset", ok ? "200" : "error", method, path);
    return schema;
}

/* GET (or POST with body) url on g_m or m, then check the answer against the schema of
 * the subset's endpoint spec_path. */
static void check_answer(struct mock *m, const char *url, const struct mh_opts *o,
                         const char *spec_path, long want_status)
{
    struct mh_resp r = mh_call(m ? m : g_m, url, o);
    if (r.status != want_status || !r.json)
        fail_msg("%s: status %ld (want %ld): %.300s", url, r.status, want_status, r.body);
    const char *method = o && o->method ? (o->method[0] == 'P' ? "post" : "get") : "get";
    struct sc sc;
    if (sc_check(&sc, response_schema(spec_path, method, want_status == 200), r.json, "") < 0)
        fail_msg("%s: %s", url, sc.err);
    mh_free(&r);
}

/* ---------------------------------------------------------------- set-up */

static int group_setup(void **state)
{
    (void)state;
    char path[1024];
    snprintf(path, sizeof path, "%s/../../shared/kombo-openapi-subset.json", getenv("KA_TESTS_DIR"));
    char *text = th_slurp(path, NULL);
    if (text) {
        g_spec = cJSON_Parse(text);
        free(text);
        if (!g_spec)
            return -1;
    }
    g_dir = th_tempdir();
    g_m = mh_start((struct mock_config){ .candidates = 1000, .seed = 11 }, g_dir);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    mock_stop(g_m);
    th_rmtree(g_dir);
    free(g_dir);
    cJSON_Delete(g_spec);
    return 0;
}

static void need_spec(void)
{
    if (!g_spec) {
        fprintf(stderr, "note: %s/../../shared/kombo-openapi-subset.json not found: the "
                "schema checks are skipped\n", getenv("KA_TESTS_DIR"));
        skip();
    }
}

/* ---------------------------------------------------------------- tests */

/* The checker itself finds what is wrong. */
static void test_checker_refuses(void **state)
{
    (void)state;
    need_spec();
    const cJSON *s = response_schema("/ats/candidates/{candidate_id}/attachments", "get", true);
    static const struct { const char *json, *word; } bad[] = {
        { "{\"status\":\"success\",\"data\":{\"results\":[]}}", "\"warnings\" is missing" },
        { "{\"status\":\"ok\",\"data\":{\"results\":[]},\"warnings\":[]}", "const" },
        { "{\"status\":\"success\",\"data\":{\"results\":{}},\"warnings\":[]}", "object where" },
        { "{\"status\":\"success\",\"data\":{\"results\":[{\"id\":\"0OIl0OIl0OIl0OIl0OIl0OIl\","
          "\"application_id\":null,\"candidate_id\":\"4B7z5qJ8dXcR2mTnWvKpLs9a\",\"type\":\"CV\","
          "\"remote_id\":\"1\",\"data_url\":\"x\",\"file_name\":\"a\",\"content_type\":\"t/p\","
          "\"remote_created_at\":null,\"remote_updated_at\":null}]},\"warnings\":[]}", "does not match" },
        { "{\"status\":\"success\",\"data\":{\"results\":[{\"id\":\"4B7z5qJ8dXcR2mTnWvKpLs9a\","
          "\"application_id\":null,\"candidate_id\":\"4B7z5qJ8dXcR2mTnWvKpLs9a\",\"type\":\"RESUME\","
          "\"remote_id\":\"1\",\"data_url\":\"x\",\"file_name\":\"a\",\"content_type\":\"t/p\","
          "\"remote_created_at\":\"yesterday\",\"remote_updated_at\":null}]},\"warnings\":[]}", "enum" },
        { "{\"status\":\"success\",\"data\":{\"results\":[{\"id\":\"4B7z5qJ8dXcR2mTnWvKpLs9a\","
          "\"application_id\":null,\"candidate_id\":\"4B7z5qJ8dXcR2mTnWvKpLs9a\",\"type\":\"CV\","
          "\"remote_id\":\"1\",\"data_url\":\"x\",\"file_name\":\"a\",\"content_type\":\"t/p\","
          "\"remote_created_at\":\"yesterday\",\"remote_updated_at\":null}]},\"warnings\":[]}", "date-time" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cJSON *j = cJSON_Parse(bad[i].json);
        struct sc sc;
        if (sc_check(&sc, s, j, "") == 0 || !strstr(sc.err, bad[i].word))
            fail_msg("case %zu: %s", i, sc_check(&sc, s, j, "") == 0 ? "passed" : sc.err);
        cJSON_Delete(j);
    }
    /* anyOf: a supported type without its sizes matches neither alternative */
    const cJSON *rs = response_schema("/ats/actions/ats_add_candidate_attachment", "get", true);
    cJSON *j = cJSON_Parse("{\"status\":\"success\",\"data\":{\"attachment_restrictions\":{\"types\":"
                           "{\"CV\":{\"is_supported\":true},\"COVER_LETTER\":{\"is_supported\":false},"
                           "\"OTHER\":{\"is_supported\":false}}}}}");
    struct sc sc;
    assert_int_equal(sc_check(&sc, rs, j, ""), -1);
    assert_non_null(strstr(sc.err, "anyOf"));
    cJSON_Delete(j);
}

static void test_candidate_pages_fit(void **state)
{
    (void)state;
    need_spec();
    static const char *const queries[] = {
        "", "?page_size=7", "?include_deleted=true&page_size=250", "?first_name=frank",
        "?job_ids=J1ob2Kc3Ld4Me5Nf6Pg7Qh8R&page_size=250", "?updated_after=2024-01-01",
        "?email=nobody@example.com",
    };
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        char url[256];
        snprintf(url, sizeof url, "/v1/ats/candidates%s", queries[i]);
        check_answer(NULL, url, NULL, "/ats/candidates", 200);
    }
    /* every one of the 1,000, deleted ones included, page by page */
    char url[256] = "/v1/ats/candidates?include_deleted=true&page_size=250";
    for (int p = 0; p < 4; p++) {
        check_answer(NULL, url, NULL, "/ats/candidates", 200);
        struct mh_resp r = mh_get(g_m, url);
        const cJSON *next = mh_data(&r, "next");
        if (cJSON_IsString(next))
            snprintf(url, sizeof url, "/v1/ats/candidates?include_deleted=true&page_size=250&cursor=%s",
                     next->valuestring);
        mh_free(&r);
    }
    /* a data file with the nulls Kombo allows */
    char path[600], dir2[600];
    snprintf(path, sizeof path, "%s/nulls.json", g_dir);
    snprintf(dir2, sizeof dir2, "%s/second", g_dir);
    assert_int_equal(th_write_text(path,
        "[{\"id\":\"Nu11s5qJ8dXcR2mTnWvKpLs9\",\"remote_id\":\"n\",\"email_addresses\":null,"
        "\"applications\":[{\"id\":\"Nu11sApp8dXcR2mTnWvKpLs9\",\"current_stage\":{\"id\":\"s\","
        "\"name\":null,\"remote_id\":null,\"index\":null},\"job\":{\"id\":\"j\",\"name\":null}}]}]"), 0);
    struct mock *m = mh_start((struct mock_config){ .data_file = path }, dir2);
    check_answer(m, "/v1/ats/candidates", NULL, "/ats/candidates", 200);
    mock_stop(m);
}

static void test_other_answers_fit(void **state)
{
    (void)state;
    need_spec();
    static const char body[] = "{\"attachment\":{\"name\":\"cv.pdf\",\"type\":\"CV\","
                               "\"content_type\":\"application/pdf\",\"data\":\"JVBERi0=\"}}";
    const struct mh_opts post = { .method = "POST", .body = body };
    check_answer(NULL, "/v1/ats/applications/A1pp2Bq3Cr4Ds5Et6Fu7Gv8H/attachments", &post,
                 "/ats/applications/{application_id}/attachments", 200);
    check_answer(NULL, "/v1/ats/candidates/4B7z5qJ8dXcR2mTnWvKpLs9a/attachments", &post,
                 "/ats/candidates/{candidate_id}/attachments", 200);
    check_answer(NULL, "/v1/ats/candidates/4B7z5qJ8dXcR2mTnWvKpLs9a/attachments", NULL,
                 "/ats/candidates/{candidate_id}/attachments", 200);
    check_answer(NULL, "/v1/ats/applications/A1pp2Bq3Cr4Ds5Et6Fu7Gv8H/attachments", NULL,
                 "/ats/applications/{application_id}/attachments", 200);
    check_answer(NULL, "/v1/ats/actions/ats_add_application_attachment", NULL,
                 "/ats/actions/ats_add_application_attachment", 200);
    check_answer(NULL, "/v1/ats/actions/ats_add_candidate_attachment", NULL,
                 "/ats/actions/ats_add_candidate_attachment", 200);
    check_answer(NULL, "/v1/integrations/" MH_INTEG, &(struct mh_opts){ .no_integration = true },
                 "/integrations/{integration_id}", 200);
    check_answer(NULL, "/v1/check-api-key", &(struct mh_opts){ .no_integration = true },
                 "/check-api-key", 200);
    /* configured restrictions: one unsupported type, and null */
    char dir2[600];
    snprintf(dir2, sizeof dir2, "%s/third", g_dir);
    struct mock *m = mh_start((struct mock_config){ .restrictions =
        "{\"types\":{\"CV\":{\"is_supported\":false},\"COVER_LETTER\":{\"is_supported\":true,"
        "\"max_file_size_bytes\":null,\"accepted_mime_types\":null},\"OTHER\":{\"is_supported\":"
        "true,\"max_file_size_bytes\":5000,\"accepted_mime_types\":[\"application/pdf\"]}}}",
        .integration_status = "INVALID", .setup_status = "FINAL_SYNC_PENDING" }, dir2);
    check_answer(m, "/v1/ats/actions/ats_add_candidate_attachment", NULL,
                 "/ats/actions/ats_add_candidate_attachment", 200);
    check_answer(m, "/v1/integrations/lever:x", NULL, "/integrations/{integration_id}", 200);
    mock_stop(m);
    m = mh_start((struct mock_config){ .restrictions = "null" }, dir2);
    check_answer(m, "/v1/ats/actions/ats_add_application_attachment", NULL,
                 "/ats/actions/ats_add_application_attachment", 200);
    mock_stop(m);
}

static void test_errors_fit(void **state)
{
    (void)state;
    need_spec();
    static const struct { const char *url, *spec; long status; bool no_auth; } cases[] = {
        { "/v1/ats/candidates?page_size=0", "/ats/candidates", 400, false },
        { "/v1/ats/candidates?page_size=251", "/ats/candidates", 400, false },
        { "/v1/ats/candidates?cursor=AAAAAAAAAAA", "/ats/candidates", 400, false },
        { "/v1/ats/candidates", "/ats/candidates", 401, true },
        { "/v1/ats/candidates/4B7z5qJ8dXcR2mTnWvKpLs9b/attachments",
          "/ats/candidates/{candidate_id}/attachments", 404, false },
        { "/v1/ats/applications/nope/attachments", "/ats/applications/{application_id}/attachments",
          404, false },
        { "/v1/integrations/nope", "/integrations/{integration_id}", 404, false },
        { "/v1/check-api-key", "/check-api-key", 401, true },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_answer(NULL, cases[i].url, &(struct mh_opts){ .no_auth = cases[i].no_auth },
                     cases[i].spec, cases[i].status);
    check_answer(NULL, "/v1/ats/candidates/nobody-here/attachments",
                 &(struct mh_opts){ .method = "POST", .body = "{}" },
                 "/ats/candidates/{candidate_id}/attachments", 404);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checker_refuses),
        cmocka_unit_test(test_candidate_pages_fit),
        cmocka_unit_test(test_other_answers_fit),
        cmocka_unit_test(test_errors_fit),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
