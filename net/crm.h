// Wire types of leads into the seller's CRM (GET/PUT /api/v1/integrations…): a
// manufacturer's outgoing webhook and Odoo connection, and their delivery logs. The
// webhook's own body (what the seller's receiver gets) is documented in docs/API.md.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "net/wire.h"

namespace parley {

// One delivery of the persistent queue, as the seller's log shows it.
struct CrmDeliveryInfo {
    int64_t id = 0, request_id = 0;
    std::string type;        // "request.created", "message.created", "quote.accepted", "ping", "lead.sync"…
    std::string status;      // "pending" | "delivered" | "failed"
    int attempts = 0;
    Millis next_try = 0;     // pending: when the next try is due
    int last_code = 0;       // the receiver's HTTP status (0: no answer)
    std::string last_error;
    Millis created = 0, updated = 0;
};

struct CrmWebhook {
    std::string url;
    std::string secret;      // the signing secret, shown to its owner only
    bool enabled = true;
    Millis created = 0;
};

struct CrmOdoo {
    std::string url, database, login;
    bool has_key = false;    // the API key is never sent back
    bool enabled = true;
    Millis created = 0;
};

// GET /api/v1/integrations: what is configured, with the newest deliveries of each.
struct CrmIntegrations {
    bool has_webhook = false, has_odoo = false;
    CrmWebhook webhook;
    CrmOdoo odoo;
    std::vector<CrmDeliveryInfo> webhook_log, odoo_log;  // newest first
};

// PUT /api/v1/integrations/webhook.
struct CrmWebhookInput {
    std::string url;
    bool enabled = true;
};

// PUT /api/v1/integrations/odoo ("" api_key: keep the stored one).
struct CrmOdooInput {
    std::string url, database, login, api_key;
    bool enabled = true;
};

// GET /api/v1/integrations/{kind}/deliveries?before=<id>: an older page of a log.
struct CrmLog {
    std::vector<CrmDeliveryInfo> deliveries;  // newest first
    int64_t older = 0;                        // pass as before= for the next page; 0 = none
};

#define PARLEY_CRM_TYPES(X) X(CrmDeliveryInfo) X(CrmWebhook) X(CrmOdoo) X(CrmIntegrations) X(CrmWebhookInput) \
    X(CrmOdooInput) X(CrmLog)
#define PARLEY_DECLARE_JSON(T)               \
    void to_json(nlohmann::json&, const T&); \
    void from_json(const nlohmann::json&, T&);
PARLEY_CRM_TYPES(PARLEY_DECLARE_JSON)
#undef PARLEY_DECLARE_JSON

}  // namespace parley
