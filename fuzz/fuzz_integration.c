/* libFuzzer harness for integration_parse, integration_ready and key_info_parse.
 * Input: any bytes, parsed by cJSON. Checks: no crash or leak; strings valid UTF-8 within
 * their caps; a parsed answer has an id / environment_id. */
#include <cjson/cJSON.h>
#include <stdint.h>

#include "fuzz_read.h"
#include "integration.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cJSON *j = cJSON_ParseWithLength((const char *)data, size);
    struct integration_info i;
    char err[256], why[32];
    if (integration_parse(j, &i, err, sizeof err) == 0) {
        if (!i.id)
            abort();
        fr_check("tool_label", i.tool_label, INTEGRATION_TEXT_MAX, 0);
        fr_check("organization_name", i.organization_name, INTEGRATION_TEXT_MAX, 0);
        fr_check("status", i.status, INTEGRATION_TEXT_MAX, 0);
        bool ready = integration_ready(&i, why, sizeof why);
        if (ready == (why[0] != '\0'))
            abort();
    }
    integration_free(&i);
    struct key_info k;
    if (key_info_parse(j, &k, err, sizeof err) == 0 && !k.environment_id)
        abort();
    key_info_free(&k);
    cJSON_Delete(j);
    return 0;
}
