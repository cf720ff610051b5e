/* The read endpoints, each answered by its part (mock_people.c: the candidates;
 * mock_files.c: attachment listings and stored files; mock_account.c: the key, the
 * integration, the restrictions), whether a candidate or application exists, and the
 * mock's own /__mock/requests, /__mock/stats and /logs/<n>. */
#include "mock_priv.h"

#include "numparse.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The one place that decides which candidates and applications exist: the data set's
 * (uploads and listings ask). Deleted candidates still exist, as in Kombo until it
 * anonymises them. */
bool mock_read_known(const struct mock *m, bool application, const char *id, size_t len)
{
    if (m->any_candidate)
        return true;
    return (application ? mock_data_cand_by_app(m->data, id, len)
                        : mock_data_cand_by_id(m->data, id, len)) >= 0;
}

const char *mock_read_application_owner(const struct mock *m, const char *id, size_t len)
{
    long i = mock_data_cand_by_app(m->data, id, len);
    return i < 0 ? NULL : md_str(m->data, m->data->cands[i].id);
}

static enum MHD_Result answer_requests(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    cJSON *data = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(data, "requests");
    pthread_mutex_lock(&m->mu);
    for (unsigned i = 0; i < MOCK_RING; i++) {   /* oldest first */
        const cJSON *o = m->ring[(m->ring_next + i) % MOCK_RING];
        if (o)
            cJSON_AddItemToArray(list, cJSON_Duplicate(o, 1));
    }
    pthread_mutex_unlock(&m->mu);
    return mock_respond_success(m, r, c, data);
}

static enum MHD_Result answer_stats(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    cJSON *data = cJSON_CreateObject();
    pthread_mutex_lock(&m->mu);
    unsigned stalled = 0;
    for (const struct mock_stall *s = m->stalls; s; s = s->next)
        stalled++;
    cJSON_AddNumberToObject(data, "requests", m->requests);
    cJSON_AddNumberToObject(data, "uploads", m->uploads);
    cJSON_AddNumberToObject(data, "stored", m->stored_n);
    cJSON_AddNumberToObject(data, "listed", m->listed_n);
    cJSON_AddNumberToObject(data, "candidates", (double)m->data->n_cands);
    cJSON_AddNumberToObject(data, "stalled", stalled);
    cJSON_AddNumberToObject(data, "peak_in_flight", m->peak_in_flight);
    cJSON_AddNumberToObject(data, "concurrency_rejected", m->conc_rejected);
    mock_fault_describe(&m->fault, cJSON_AddObjectToObject(data, "fault"));
    pthread_mutex_unlock(&m->mu);
    return mock_respond_success(m, r, c, data);
}

static enum MHD_Result answer_log(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    char *digits = xstrndup(r->raw + 6, strcspn(r->raw + 6, "?"));
    uint64_t n;
    cJSON *found = NULL;
    if (num_parse_u64(digits, UINT_MAX, &n) == 0) {
        pthread_mutex_lock(&m->mu);
        for (int i = 0; i < MOCK_RING && !found; i++) {
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(m->ring[i], "id");
            if (id && (uint64_t)id->valuedouble == n)
                found = cJSON_Duplicate(m->ring[i], 1);
        }
        pthread_mutex_unlock(&m->mu);
    }
    free(digits);
    if (!found)
        return mock_respond_error(m, r, c, 404, "PLATFORM.INPUT_INVALID",
                                  "no such log entry (the mock keeps the last 64 requests)", NULL);
    return mock_respond_success(m, r, c, found);
}

enum MHD_Result mock_read_answer(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    switch (r->route) {
    case R_LIST: return mock_files_list(m, r, c);
    case R_CANDIDATES: {
        pthread_rwlock_rdlock(&m->data_rw);   /* mock_change.c may be changing people */
        enum MHD_Result rc = mock_people_answer(m, r, c);
        pthread_rwlock_unlock(&m->data_rw);
        return rc;
    }
    case R_CHECK: case R_INTEGRATION: case R_ACTIONS: return mock_account_answer(m, r, c);
    case R_FILE: return mock_files_serve(m, r, c);
    case R_CTL_REQUESTS: return answer_requests(m, r, c);
    case R_CTL_STATS: return answer_stats(m, r, c);
    case R_LOG: return answer_log(m, r, c);
    case R_NOT_FOUND: case R_BAD_METHOD: case R_UPLOAD: case R_CTL_FAULT: case R_CTL_CHANGE: break;
    }
    return MHD_NO;
}
