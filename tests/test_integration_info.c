/* integration.c: GET /integrations/{id} and GET /check-api-key answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <string.h>

#include "helpers.h"
#include "integration.h"

/* The subset's example, with the two attachment actions and an unknown field. */
static const char example[] =
    "{\"status\":\"success\",\"data\":{\"id\":\"factorial:8d1hpPsbjxUkoCoa1veLZGe5\","
    "\"tool\":{\"id\":\"factorial\",\"label\":\"Factorial\",\"internal_label\":null,"
    "\"logo_url\":\"https://x/logo.svg\",\"icon_url\":\"https://x/icon.svg\"},"
    "\"category\":\"ATS\",\"status\":\"ACTIVE\",\"setup_status\":\"COMPLETED\","
    "\"end_user\":{\"organization_name\":\"Acme\",\"creator_email\":null,\"origin_id\":null},"
    "\"scope_config\":{\"id\":\"B1\",\"name\":null},\"data_expired_at\":null,"
    "\"created_at\":\"2022-08-07T14:01:29.196Z\",\"beta\":true,\"read_models\":[],"
    "\"write_actions\":[{\"id\":\"hris_create_employee\",\"label\":\"Create\",\"is_available\":true},"
    "{\"id\":\"ats_add_application_attachment\",\"label\":\"A\",\"is_available\":true,"
    "\"coverage_status\":\"SUPPORTED\",\"fields\":[]},"
    "{\"id\":\"ats_add_candidate_attachment\",\"label\":\"C\",\"is_available\":false}],"
    "\"shiny\":1}}";

static void test_integration(void **state)
{
    (void)state;
    cJSON *j = cJSON_Parse(example);
    struct integration_info i;
    char err[256] = "", why[128];
    assert_int_equal(integration_parse(j, &i, err, sizeof err), 0);
    assert_string_equal(i.id, "factorial:8d1hpPsbjxUkoCoa1veLZGe5");
    assert_string_equal(i.tool_label, "Factorial");
    assert_string_equal(i.tool_id, "factorial");
    assert_string_equal(i.organization_name, "Acme");
    assert_string_equal(i.category, "ATS");
    assert_true(i.beta);
    assert_int_equal(i.add_application_attachment, ACTION_AVAILABLE);
    assert_int_equal(i.add_candidate_attachment, ACTION_UNAVAILABLE);
    assert_string_equal(action_avail_name(i.add_candidate_attachment), "not available");
    assert_true(integration_ready(&i, why, sizeof why));
    assert_string_equal(why, "");
    integration_free(&i);
    cJSON_Delete(j);

    j = cJSON_Parse("{\"status\":\"success\",\"data\":{\"id\":\"x:1\",\"tool\":null,"
                    "\"category\":\"HRIS\",\"status\":\"ACTIVE\",\"setup_status\":\"COMPLETED\","
                    "\"end_user\":7,\"write_actions\":{}}}");
    assert_int_equal(integration_parse(j, &i, err, sizeof err), 0);
    assert_null(i.tool_label);
    assert_null(i.organization_name);
    assert_int_equal(i.add_application_attachment, ACTION_UNKNOWN);
    assert_false(integration_ready(&i, why, sizeof why));
    assert_string_equal(why, "category HRIS, not ATS");
    integration_free(&i);
    cJSON_Delete(j);

    j = cJSON_Parse("{\"status\":\"success\",\"data\":{\"id\":\"x:1\",\"status\":\"INACTIVE\"}}");
    assert_int_equal(integration_parse(j, &i, err, sizeof err), 0);
    assert_false(integration_ready(&i, why, sizeof why));
    assert_string_equal(why, "status INACTIVE");
    integration_free(&i);
    cJSON_Delete(j);

    j = cJSON_Parse("{\"status\":\"success\",\"data\":{\"tool\":{}}}");
    assert_int_equal(integration_parse(j, &i, err, sizeof err), -1);
    assert_non_null(strstr(err, "data.id is missing"));
    integration_free(&i);
    cJSON_Delete(j);
}

static void test_key_info(void **state)
{
    (void)state;
    cJSON *j = cJSON_Parse("{\"status\":\"success\",\"data\":{\"environment_id\":\"env1\","
                           "\"customer_id\":\"cust\"}}");
    struct key_info k;
    char err[256];
    assert_int_equal(key_info_parse(j, &k, err, sizeof err), 0);
    assert_string_equal(k.environment_id, "env1");
    assert_string_equal(k.customer_id, "cust");
    key_info_free(&k);
    cJSON_Delete(j);
    j = cJSON_Parse("{\"status\":\"success\",\"data\":{\"environment_id\":3}}");
    assert_int_equal(key_info_parse(j, &k, err, sizeof err), -1);
    assert_non_null(strstr(err, "environment_id is not a usable ID"));
    key_info_free(&k);
    cJSON_Delete(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_integration),
        cmocka_unit_test(test_key_info),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
