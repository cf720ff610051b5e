/* libFuzzer harness for cand_page_parse, candidate_copy and candidate_display_name.
 * Input: any bytes, parsed by cJSON as an answer. Checks: no crash or leak; every string
 * is valid UTF-8 within its cap; IDs are non-empty; counts within the caps; a copy
 * equals the original; the display name is never NULL. */
#include <cjson/cJSON.h>
#include <stdint.h>

#include "candidate.h"
#include "fuzz_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct candidate *c)
{
    fr_check("id", c->id, CAND_ID_MAX, 1);
    fr_check("remote_id", c->remote_id, CAND_ID_MAX, 1);
    fr_check("first_name", c->first_name, CAND_TEXT_MAX, 0);
    fr_check("last_name", c->last_name, CAND_TEXT_MAX, 0);
    fr_check("title", c->title, CAND_TEXT_MAX, 0);
    fr_check("company", c->company, CAND_TEXT_MAX, 0);
    fr_check("remote_url", c->remote_url, CAND_URL_MAX, 0);
    fr_check("changed_at", c->changed_at, CAND_TEXT_MAX, 0);
    if (!c->id || c->n_emails > CAND_EMAILS_MAX || c->n_apps > CAND_APPS_MAX)
        abort();
    for (size_t i = 0; i < c->n_emails; i++)
        fr_check("email", c->emails[i], CAND_EMAIL_MAX, 1);
    for (size_t i = 0; i < c->n_apps; i++) {
        fr_check("app id", c->apps[i].id, CAND_ID_MAX, 1);
        fr_check("stage", c->apps[i].stage, CAND_TEXT_MAX, 0);
        fr_check("job_name", c->apps[i].job_name, CAND_TEXT_MAX, 0);
        if (!c->apps[i].id || (unsigned)c->apps[i].outcome > APP_OUTCOME_DECLINED)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cJSON *j = cJSON_ParseWithLength((const char *)data, size);
    struct cand_page p;
    char err[256];
    if (cand_page_parse(j, &p, err, sizeof err) == 0) {
        if (p.n > CAND_PAGE_MAX)
            abort();
        fr_check("next", p.next, CAND_CURSOR_MAX, 1);
        for (size_t i = 0; i < p.n; i++) {
            check(&p.items[i]);
            struct candidate copy;
            candidate_copy(&copy, &p.items[i]);
            char *a = candidate_display_name(&p.items[i]), *b = candidate_display_name(&copy);
            if (strcmp(a, b) != 0 || copy.n_apps != p.items[i].n_apps)
                abort();
            free(a);
            free(b);
            candidate_free(&copy);
        }
    } else if (p.n || p.next || !err[0]) {
        abort();
    }
    cand_page_free(&p);
    cJSON_Delete(j);
    return 0;
}
