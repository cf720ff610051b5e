/* Small cJSON helpers shared by the answer parsers and the mock. */
#ifndef KA_JSON_UTIL_H
#define KA_JSON_UTIL_H

#include <cjson/cJSON.h>

/* "an object", "an array", "a string", "a number", "a boolean", "null" (for messages such
 * as "attachment.name must be a string, not a number"). */
const char *json_kind(const cJSON *j);

#endif
