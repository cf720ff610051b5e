#include "kombo.h"

#include <string.h>

bool kombo_id_looks_valid(const char *id)
{
    if (!id || strlen(id) != KOMBO_ID_LEN)
        return false;
    return strspn(id, KOMBO_BASE58) == KOMBO_ID_LEN;
}
