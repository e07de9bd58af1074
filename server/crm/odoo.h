// Odoo's external JSON-RPC API (POST <url>/jsonrpc): a seller's requests become leads
// (crm.lead) in their own Odoo. Blocking calls; when to call them is the domain's
// decision. The pure pieces (request bodies, answers, lead values) are declared here
// for the unit tests.
#pragma once
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "server/base/http_client.h"

namespace parley::server {

struct OdooConfig {
    std::string url;  // base, e.g. http://127.0.0.1:8069
    std::string database, login, api_key;
};

// What Parley knows of one request, already filtered by the seller's visibility.
struct LeadFields {
    int64_t request_id = 0;
    std::string name;            // lead title: the product asked for
    std::string partner_name;    // buyer's company
    std::string contact_name;    // buyer's name
    std::string email_from;      // the buyer's RELAY address (never the real one)
    std::string phone;           // only when the seller revealed it, else ""
    std::string country_code;    // ISO 3166-1 alpha-2, "" = unknown
    std::string description;     // the request text (plain text)
    double expected_revenue = 0; // total of the accepted quote, 0 = none
    std::string stage;           // "new" | "answered" | "quoted" | "won" | "lost" | "declined"
    std::string url;             // link to the request on Parley (put into the description)
    bool reopened = false;       // this update is the request's reopening: bring an archived lead back
};

struct OdooResult {
    bool ok = false;
    bool retryable = false;  // network error, timeout, HTTP 5xx/429: try again later
    long status = 0;         // HTTP status (0 = no answer)
    std::string error;       // human-readable, short (shown in a delivery log)
    int64_t lead_id = 0;     // the crm.lead id created or written
};

// Logs in and checks that leads may be read and created: the "Test connection" button.
OdooResult odoo_check(const OdooConfig&);

// Creates the lead when known_lead_id == 0, else writes it; a known lead deleted in
// Odoo, or one an earlier attempt created without us hearing the answer (found by its
// reference), is written or created again rather than duplicated. Returns its id.
OdooResult odoo_upsert_lead(const OdooConfig&, const LeadFields&, int64_t known_lead_id);

// ---- pure helpers

// The lead's stable reference, kept in crm.lead's `referred`: "parley:request:<id>".
std::string odoo_lead_reference(int64_t request_id);

// The name of the crm.stage a Parley status maps to; "" for lost/declined (they keep
// their stage and are archived) and unknown statuses.
std::string odoo_stage_name(const std::string& parley_stage);

// The request text as HTML paragraphs (escaped; blank lines split paragraphs, single
// line breaks become <br>), then the link to the request.
std::string odoo_description_html(const std::string& text, const std::string& url);

// crm.lead values for create/write. country_id and stage_id are left out when 0,
// phone when empty; lost and declined requests are archived (active: false).
nlohmann::json odoo_lead_values(const LeadFields&, int64_t country_id, int64_t stage_id);

// A JSON-RPC 2.0 "call" body: {"jsonrpc":"2.0","method":"call","params":{service, method, args},"id":id}.
std::string odoo_rpc_body(const std::string& service, const std::string& method, const nlohmann::json& args,
                          int64_t id);
// object.execute_kw(db, uid, api_key, model, method, args, kwargs).
std::string odoo_execute_kw_body(const OdooConfig&, int64_t uid, const std::string& model,
                                 const std::string& method, const nlohmann::json& args,
                                 const nlohmann::json& kwargs, int64_t id);

// One JSON-RPC answer: `result` when ok; else the outcome (status, error, retryable)
// and Odoo's exception name ("odoo.exceptions.AccessDenied") if it sent one.
struct OdooReply {
    OdooResult outcome;  // lead_id unused
    nlohmann::json result;
    std::string error_name;
};
OdooReply odoo_parse_reply(const HttpAnswer&);

// POSTs a body to <url>/jsonrpc and parses the answer.
OdooReply odoo_call(const OdooConfig&, const std::string& body);

}  // namespace parley::server
