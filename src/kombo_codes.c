#include "kombo_codes.h"

#include <string.h>

/* Backticks mark code and flags, as the README shows them; front ends print them as they
 * are (they read fine in a terminal too). */
static const struct kombo_code_row rows[] = {
    {{"PLATFORM.AUTHENTICATION_INVALID"},
     "the API key is wrong, revoked, or from the other region",
     "check the key; EU keys need `--server eu`, US keys `--server us`"},
    {{"PLATFORM.INTEGRATION_NOT_FOUND"},
     "no integration with this ID for this key's environment",
     "check `--integration-id` (and that key and integration are in the same environment)"},
    {{"PLATFORM.INPUT_INVALID"},
     "the request broke the contract (the message names the field)",
     "fix what the message says; with this tool usually the candidate ID"},
    {{"PLATFORM.RATE_LIMIT_EXCEEDED"},
     "too many requests",
     "retried automatically after `Retry-After`; raise `--retries` or wait"},
    {{"PLATFORM.CONCURRENCY_LIMIT_EXCEEDED"},
     "too many actions at once for this integration",
     "retried automatically; avoid parallel uploads to one integration"},
    {{"PLATFORM.IP_NOT_WHITELISTED"},
     "your IP address is not allowed for this key",
     "add it in the Kombo dashboard or use an allowed machine"},
    {{"PLATFORM.TASK_TIMED_OUT"},
     "Kombo's call to the ATS took too long",
     "check the candidate in the ATS before sending again: it may have arrived"},
    {{"PLATFORM.UNKNOWN_ERROR"},
     "an error on Kombo's side",
     "retried if 5xx; otherwise send the `log_url` to Kombo support"},
    {{"INTEGRATION.PERMISSION_MISSING"},
     "the customer's ATS user lacks a permission",
     "ask the customer to grant it in the ATS (the message says which)"},
    {{"INTEGRATION.AUTHENTICATION_INVALID"},
     "the ATS credentials behind the integration stopped working",
     "ask the customer to reconnect the integration"},
    {{"INTEGRATION.QA_FAILED", "INTEGRATION.SETUP_SYNC_PENDING", "INTEGRATION.SETUP_INCOMPLETE",
      "INTEGRATION.INACTIVE"},
     "the integration is not ready or not active",
     "finish the setup or wait for the first sync, then retry"},
    {{"INTEGRATION.MODEL_NOT_AVAILABLE", "INTEGRATION.MODEL_DISABLED",
      "INTEGRATION.ACTION_NOT_AVAILABLE", "INTEGRATION.ACTION_DISABLED"},
     "this ATS (or this integration's settings) does not support attachments",
     "enable the action in the Kombo dashboard, or attach by hand in the ATS"},
    {{"REMOTE.SERVICE_UNAVAILABLE", "REMOTE.RATE_LIMIT_EXCEEDED"},
     "the ATS itself is down or throttling",
     "retried when 5xx/429; otherwise try again later"},
    {{"REMOTE.INPUT_INVALID"},
     "the ATS refused the file (type, size, name)",
     "use a common type (PDF, DOCX), a smaller file (Kombo advises under 10 MB), a plain name"},
    {{"REMOTE.UNKNOWN_HTTP_ERROR"},
     "the ATS answered with an unexpected error",
     "send the `log_url` to Kombo support"},
    {{"ATS.JOB_CLOSED", "ATS.APPLICATION_ALREADY_EXISTS"},
     "the ATS refused for a business reason",
     "check the candidate and job in the ATS"},
};

const struct kombo_code_row *kombo_codes(size_t *n)
{
    *n = sizeof rows / sizeof rows[0];
    return rows;
}

const struct kombo_code_row *kombo_code_find(const char *code)
{
    if (!code)
        return NULL;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        for (size_t k = 0; rows[i].codes[k]; k++)
            if (strcmp(rows[i].codes[k], code) == 0)
                return &rows[i];
    return NULL;
}
