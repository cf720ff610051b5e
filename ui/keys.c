/* See keys.h. */
#include "keys.h"

int keys_find(const struct binding *t, size_t n, int key)
{
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < sizeof t[i].keys / sizeof t[i].keys[0] && t[i].keys[k]; k++)
            if (t[i].keys[k] == key)
                return t[i].action;
    return -1;
}
