/* See region.h. */
#include "region.h"

#include <string.h>

#include "kombo.h"

static int same_url(const char *base, const char *url)
{
    size_t n = strlen(url);
    if (strncmp(base, url, n) != 0)
        return 0;
    return base[n] == '\0' || (base[n] == '/' && base[n + 1] == '\0');
}

const char *region_of(const char *base_url)
{
    if (!base_url)
        return NULL;
    if (same_url(base_url, KOMBO_URL_EU))
        return "eu";
    if (same_url(base_url, KOMBO_URL_US))
        return "us";
    return NULL;
}

const char *region_other_url(const char *base_url)
{
    const char *r = region_of(base_url);
    return !r ? NULL : strcmp(r, "eu") == 0 ? KOMBO_URL_US : KOMBO_URL_EU;
}

const char *region_other(const char *base_url)
{
    const char *r = region_of(base_url);
    return !r ? NULL : strcmp(r, "eu") == 0 ? "us" : "eu";
}
