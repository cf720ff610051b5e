/* See region.h. */
#include "region.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kombo.h"

static int same_url(const char *base, const char *url)
{
    size_t n = strlen(url);
    if (strncmp(base, url, n) != 0)
        return 0;
    return base[n] == '\0' || (base[n] == '/' && base[n + 1] == '\0');
}

const char *region_url(const char *name)
{
    bool us = name && strcasecmp(name, "us") == 0;
    const char *env = getenv(us ? "KOMBO_REGION_URL_US" : "KOMBO_REGION_URL_EU");
    return env && *env ? env : us ? KOMBO_URL_US : KOMBO_URL_EU;
}

void region_hint(const char *other, char *out, size_t outlen)
{
    bool us = other && strcasecmp(other, "us") == 0;
    snprintf(out, outlen, "this key belongs to the %s region: use --server %s", us ? "US" : "EU",
             us ? "us" : "eu");
}

const char *region_of(const char *base_url)
{
    if (!base_url)
        return NULL;
    if (same_url(base_url, KOMBO_URL_EU) || same_url(base_url, region_url("eu")))
        return "eu";
    if (same_url(base_url, KOMBO_URL_US) || same_url(base_url, region_url("us")))
        return "us";
    return NULL;
}

const char *region_other_url(const char *base_url)
{
    const char *r = region_of(base_url);
    return !r ? NULL : region_url(strcmp(r, "eu") == 0 ? "us" : "eu");
}

const char *region_other(const char *base_url)
{
    const char *r = region_of(base_url);
    return !r ? NULL : strcmp(r, "eu") == 0 ? "us" : "eu";
}
