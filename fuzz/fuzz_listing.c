/* libFuzzer harness for listing_parse. Input: any bytes, parsed by cJSON. Checks: no crash
 * or leak; strings valid UTF-8 within their caps; ids present; count within the cap; the
 * per-application counts add up. */
#include <cjson/cJSON.h>
#include <stdint.h>

#include "fuzz_read.h"
#include "listing.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cJSON *j = cJSON_ParseWithLength((const char *)data, size);
    struct listing l;
    char err[256];
    if (listing_parse(j, &l, err, sizeof err) == 0) {
        if (l.n > LISTING_MAX)
            abort();
        size_t own = listing_count_for(&l, NULL), apps = 0;
        for (size_t i = 0; i < l.n; i++) {
            const struct listed_attachment *a = &l.items[i];
            if (!a->id)
                abort();
            fr_check("id", a->id, LISTING_ID_MAX, 1);
            fr_check("application_id", a->application_id, LISTING_ID_MAX, 1);
            fr_check("data_url", a->data_url, LISTING_URL_MAX, 1);
            fr_check("file_name", a->file_name, LISTING_TEXT_MAX, 0);
            fr_check("content_type", a->content_type, LISTING_TEXT_MAX, 0);
            fr_check("type_name", a->type_name, LISTING_TEXT_MAX, 0);
            if (a->type_known && (unsigned)a->type > ATT_OTHER)
                abort();
            if (a->application_id && i == 0)
                apps = listing_count_for(&l, a->application_id);
        }
        if (own > l.n || apps > l.n - own)
            abort();
    }
    listing_free(&l);
    cJSON_Delete(j);
    return 0;
}
