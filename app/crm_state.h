// Leads into the seller's CRM, on "My sales network" (manufacturers): the outgoing
// webhook (URL, its signing secret, a test event) and the Odoo connection, each with its
// delivery log. Pure state and named actions like state.h; answers come back through
// crm_http_done. Writes answer the whole CrmIntegrations, which replaces `data`.
#pragma once
#include <string>

#include "net/crm.h"

namespace parley {

struct AppState;
struct Effects;
struct HttpCall;
struct HttpResult;

// How much of one integration's delivery log shows: the newest rows come with the
// settings (CrmIntegrations), older pages are asked for by "Show older deliveries".
struct CrmLogView {
    size_t shown = 8;                       // rows drawn
    std::vector<CrmDeliveryInfo> older;     // pages after the settings' rows, oldest last
    bool loading = false, end = false;      // end: the server has nothing older
    std::string error;
};

struct CrmState {
    bool loaded = false, loading = false;
    std::string load_error;
    CrmIntegrations data;
    // The forms, as typed; filled from `data` once loaded (and after each save).
    std::string webhook_url;
    std::string odoo_url, odoo_database, odoo_login, odoo_key;  // the key is never sent back: typed only
    bool webhook_busy = false, odoo_busy = false;
    std::string webhook_error, odoo_error;  // red, under each form (the draft stays)
    std::string webhook_note, odoo_note;    // what the last click did ("Test event queued")
    bool show_secret = false;
    std::string confirm_remove;  // "webhook" / "odoo" while its Remove waits for "Yes, remove"
    CrmLogView webhook_log, odoo_log;
};

// ---- Named actions ----
void action_crm_load(AppState&, Effects&, int delay_ms = 0);
void action_crm_save_webhook(AppState&, Effects&);
void action_crm_save_odoo(AppState&, Effects&);
void action_crm_remove(AppState&, const std::string& kind, Effects&);
void action_crm_test(AppState&, const std::string& kind, Effects&);
void action_crm_new_secret(AppState&, Effects&);
void action_crm_retry(AppState&, const std::string& kind, int64_t delivery_id, Effects&);
// Shows more rows of a log: those already here first, else the next older page.
void action_crm_older(AppState&, const std::string& kind, Effects&);
// The rows of a log as drawn: the newest (with the settings) then the older pages,
// at most view.shown of them; *more: whether "Show older deliveries" has anything to do.
std::vector<const CrmDeliveryInfo*> crm_log_rows(const CrmState&, const std::string& kind, bool* more);
void crm_http_done(AppState&, const HttpCall&, const HttpResult&, Effects&);

// "delivered", "pending: next try 14:05", "failed"… for one log row, in the interface's language.
std::string crm_status_text(const CrmDeliveryInfo&);

}  // namespace parley
