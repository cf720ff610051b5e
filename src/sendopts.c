#include "sendopts.h"

#include <stdio.h>
#include <string.h>

#include "json_strict.h"
#include "xalloc.h"

char *sendopts_check_remote_fields(const char *rf, char *err, size_t errlen)
{
    size_t n = strlen(rf);
    struct json_strict_info info;
    if (!json_strict_check(rf, n, &info)) {
        if (n >= 3 && memcmp(rf, "\xef\xbb\xbf", 3) == 0) {
            snprintf(err, errlen, "remote fields start with a byte-order mark; save the JSON "
                     "without it (UTF-8, no BOM)");
            return NULL;
        }
        char near[24] = "";
        size_t k = 0;
        for (const char *p = rf + info.error_at; *p && k < 20; p++)
            near[k++] = (unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f ? '?' : *p;
        near[k] = '\0';
        if (info.max_depth >= JSON_STRICT_MAX_DEPTH)
            snprintf(err, errlen, "remote fields are nested deeper than %d levels",
                     JSON_STRICT_MAX_DEPTH);
        else
            snprintf(err, errlen, "remote fields are not valid JSON (at byte %zu, near \"%s\")",
                     info.error_at, near);
        return NULL;
    }
    if (!info.object) {
        snprintf(err, errlen, "remote fields must be a JSON object, e.g. "
                 "{\"workable\":{\"on_behalf_of_user_remote_id\":\"123\"}}");
        return NULL;
    }
    if (info.lone_surrogate) {
        snprintf(err, errlen, "remote fields hold a \\u escape of half a surrogate pair, which is "
                 "not a character");
        return NULL;
    }
    const char *ws = " \t\r\n";
    size_t start = strspn(rf, ws), len = n;
    while (len > start && strchr(ws, rf[len - 1]))
        len--;
    return xstrndup(rf + start, len - start);
}

char *sendopts_trim_id(const char *id)
{
    const char *ws = " \t\r\n\v\f";
    size_t start = strspn(id, ws), len = strlen(id);
    while (len > start && strchr(ws, id[len - 1]))
        len--;
    return xstrndup(id + start, len - start);
}
