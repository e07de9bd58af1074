#include "net/crm.h"

#include "net/json_fields.h"

namespace parley {

#define DELIVERYINFO(F) F(id) F(request_id) F(type) F(status) F(attempts) F(next_try) F(last_code) F(last_error) \
    F(created) F(updated)
#define WEBHOOK(F) F(url) F(secret) F(enabled) F(created)
#define ODOO(F) F(url) F(database) F(login) F(has_key) F(enabled) F(created)
#define INTEGRATIONS(F) F(has_webhook) F(has_odoo) F(webhook) F(odoo) F(webhook_log) F(odoo_log)
#define WEBHOOKINPUT(F) F(url) F(enabled)
#define ODOOINPUT(F) F(url) F(database) F(login) F(api_key) F(enabled)
#define LOG(F) F(deliveries) F(older)

PARLEY_JSON_FIELDS(CrmDeliveryInfo, DELIVERYINFO)
PARLEY_JSON_FIELDS(CrmWebhook, WEBHOOK)
PARLEY_JSON_FIELDS(CrmOdoo, ODOO)
PARLEY_JSON_FIELDS(CrmIntegrations, INTEGRATIONS)
PARLEY_JSON_FIELDS(CrmWebhookInput, WEBHOOKINPUT)
PARLEY_JSON_FIELDS(CrmOdooInput, ODOOINPUT)
PARLEY_JSON_FIELDS(CrmLog, LOG)

#define DEFINE_HELPERS(T)                                                               \
    template <> bool parse_json<T>(const std::string& text, T& out, std::string* why) { \
        return json_fields::parse(text, out, why);                                      \
    }                                                                                   \
    template <> std::string dump_json<T>(const T& v) { return nlohmann::json(v).dump(); }
PARLEY_CRM_TYPES(DEFINE_HELPERS)
#undef DEFINE_HELPERS

}  // namespace parley
