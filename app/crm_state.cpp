#include "app/crm_state.h"

#include "app/format.h"
#include "app/i18n.h"
#include "app/state.h"

namespace parley {

namespace {

// Pending log rows change on the server without any event: while one is waiting, the
// page asks again a little later.
constexpr int kRefreshMs = 2500;

void fill_forms(CrmState& c) {
    if (c.data.has_webhook) c.webhook_url = c.data.webhook.url;
    if (c.data.has_odoo) {
        c.odoo_url = c.data.odoo.url;
        c.odoo_database = c.data.odoo.database;
        c.odoo_login = c.data.odoo.login;
    }
    c.odoo_key.clear();
}

bool has_pending(const CrmIntegrations& d) {
    for (const auto* log : {&d.webhook_log, &d.odoo_log})
        for (const auto& r : *log)
            if (r.status == "pending") return true;
    return false;
}

void write(AppState& s, Effects& fx, const std::string& kind, const std::string& method, const std::string& path,
           std::string body = "{}") {
    HttpCall c;
    c.kind = CallKind::CrmWrite;
    c.method = method;
    c.path = path;
    c.body = std::move(body);
    c.page = kind;  // which form shows the answer
    fx.calls.push_back(c);
    (kind == "odoo" ? s.crm.odoo_busy : s.crm.webhook_busy) = true;
    (kind == "odoo" ? s.crm.odoo_error : s.crm.webhook_error).clear();
    fx.redraw = true;
}

}  // namespace

void action_crm_load(AppState& s, Effects& fx, int delay_ms) {
    if (s.crm.loading) return;
    s.crm.loading = true;
    HttpCall c;
    c.kind = CallKind::CrmLoad;
    c.path = "/api/v1/integrations";
    c.delay_ms = delay_ms;
    fx.calls.push_back(c);
}

void action_crm_save_webhook(AppState& s, Effects& fx) {
    CrmWebhookInput in;
    in.url = s.crm.webhook_url;
    in.enabled = true;
    s.crm.webhook_note = i18n::tr("Saved.");
    write(s, fx, "webhook", "PUT", "/api/v1/integrations/webhook", dump_json(in));
}

void action_crm_save_odoo(AppState& s, Effects& fx) {
    CrmOdooInput in;
    in.url = s.crm.odoo_url;
    in.database = s.crm.odoo_database;
    in.login = s.crm.odoo_login;
    in.api_key = s.crm.odoo_key;
    in.enabled = true;
    s.crm.odoo_note = i18n::tr("Saved.");
    write(s, fx, "odoo", "PUT", "/api/v1/integrations/odoo", dump_json(in));
}

void action_crm_remove(AppState& s, const std::string& kind, Effects& fx) {
    (kind == "odoo" ? s.crm.odoo_note : s.crm.webhook_note) = i18n::tr("Removed.");
    write(s, fx, kind, "DELETE", "/api/v1/integrations/" + kind, "");
}

void action_crm_test(AppState& s, const std::string& kind, Effects& fx) {
    (kind == "odoo" ? s.crm.odoo_note : s.crm.webhook_note) = i18n::tr("Test queued: its outcome shows in the log below.");
    write(s, fx, kind, "POST", "/api/v1/integrations/" + kind + "/test");
}

void action_crm_new_secret(AppState& s, Effects& fx) {
    s.crm.webhook_note = i18n::tr("New secret made: update your receiver.");
    s.crm.show_secret = true;
    write(s, fx, "webhook", "POST", "/api/v1/integrations/webhook/secret");
}

void action_crm_retry(AppState& s, const std::string& kind, int64_t id, Effects& fx) {
    (kind == "odoo" ? s.crm.odoo_note : s.crm.webhook_note) = i18n::tr("Queued again.");
    write(s, fx, kind, "POST", "/api/v1/integrations/deliveries/" + std::to_string(id) + "/retry");
}

void crm_http_done(AppState& s, const HttpCall& c, const HttpResult& r, Effects& fx) {
    CrmState& st = s.crm;
    fx.redraw = true;
    CrmIntegrations data;
    const bool ok = (r.status == 200 || r.status == 202) && parse_json(r.body, data);
    if (c.kind == CallKind::CrmLoad) {
        st.loading = false;
        if (ok) {
            const bool first = !st.loaded;
            st.data = std::move(data);
            st.loaded = true;
            st.load_error.clear();
            if (first) fill_forms(st);
        } else {
            st.load_error = failure_reason(r);
        }
    } else {
        (c.page == "odoo" ? st.odoo_busy : st.webhook_busy) = false;
        if (ok) {
            st.data = std::move(data);
            st.loaded = true;
            fill_forms(st);
        } else {
            (c.page == "odoo" ? st.odoo_note : st.webhook_note).clear();
            (c.page == "odoo" ? st.odoo_error : st.webhook_error) = failure_reason(r);  // the form keeps its text
        }
    }
    if (st.loaded && has_pending(st.data) && s.route.screen == Screen::Network) action_crm_load(s, fx, kRefreshMs);
}

std::string crm_status_text(const CrmDeliveryInfo& d) {
    if (d.status == "delivered") return i18n::tr("delivered");
    if (d.status == "failed") return i18n::tr("failed");
    if (d.attempts == 0) return i18n::tr("waiting");
    return std::string(i18n::tr("retrying")) + " (" + i18n::trf("tries: {0}", {std::to_string(d.attempts)}) + ")";
}

}  // namespace parley
