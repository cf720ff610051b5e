/* The integration and the key: GET /integrations/{integration_id} and GET /check-api-key.
 * Pure: no I/O. Strings follow candidate.h's rules (display text cut and UTF-8-repaired,
 * control characters kept: escape with termsafe.h when shown); any field but id may be
 * NULL. */
#ifndef KA_INTEGRATION_H
#define KA_INTEGRATION_H

#include <stdbool.h>
#include <stddef.h>

struct cJSON;

#define INTEGRATION_TEXT_MAX 256

enum action_avail {
    ACTION_UNKNOWN,      /* not listed in write_actions (or ill-typed) */
    ACTION_AVAILABLE,    /* listed with "is_available": true */
    ACTION_UNAVAILABLE   /* listed with "is_available": false */
};

struct integration_info {
    char *id;                  /* never NULL in a parsed answer */
    char *tool_id;             /* tool.id, e.g. "greenhouse" */
    char *tool_label;          /* tool.label, what to show: "Greenhouse" */
    char *organization_name;   /* end_user.organization_name */
    char *category;            /* "ATS", "HRIS", ... as sent */
    char *status;              /* "ACTIVE", "INVALID", "INACTIVE" as sent */
    char *setup_status;        /* "INCOMPLETE", "FINAL_SYNC_PENDING", "COMPLETED" as sent */
    char *created_at;
    bool beta;
    /* write_actions ids "ats_add_application_attachment" / "ats_add_candidate_attachment" */
    enum action_avail add_application_attachment;
    enum action_avail add_candidate_attachment;
};

/* Parse GET /integrations/{id} (the result's json). 0, or -1 with a one-line message
 * (not the success shape, no usable data.id). Free with integration_free either way. */
int integration_parse(const struct cJSON *answer, struct integration_info *out, char *err,
                      size_t errlen);
void integration_free(struct integration_info *i);

/* True when the integration is ready to take attachments as far as it says: status
 * ACTIVE, setup COMPLETED, category ATS. Otherwise why holds one line ("status INACTIVE",
 * "setup FINAL_SYNC_PENDING", "category HRIS, not ATS"; raw: escape when shown). */
bool integration_ready(const struct integration_info *i, char *why, size_t whylen);

/* "available", "not available", "unknown". */
const char *action_avail_name(enum action_avail a);

struct key_info {
    char *environment_id;      /* never NULL in a parsed answer */
    char *customer_id;         /* may be NULL */
};

/* Parse GET /check-api-key. 0, or -1 with a one-line message (no usable environment_id).
 * Free with key_info_free either way. */
int key_info_parse(const struct cJSON *answer, struct key_info *out, char *err, size_t errlen);
void key_info_free(struct key_info *k);

#endif
