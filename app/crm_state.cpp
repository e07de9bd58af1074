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

namespace {
constexpr size_t kShowStep = 20;
constexpr size_t kSettingsPage = 20;  // rows of each log GET /integrations answers (the server's page)

const std::vector<CrmDeliveryInfo>& newest(const CrmState& c, const std::string& kind) {
    return kind == "odoo" ? c.data.odoo_log : c.data.webhook_log;
}
CrmLogView& view(CrmState& c, const std::string& kind) { return kind == "odoo" ? c.odoo_log : c.webhook_log; }
const CrmLogView& view(const CrmState& c, const std::string& kind) { return kind == "odoo" ? c.odoo_log : c.webhook_log; }

// Every row held for a log, newest first: the settings' page, then the older pages (a row
// that moved into the settings' page since is drawn once).
std::vector<const CrmDeliveryInfo*> held_rows(const CrmState& c, const std::string& kind) {
    std::vector<const CrmDeliveryInfo*> rows;
    const auto& top = newest(c, kind);
    int64_t last = top.empty() ? 0 : top.back().id;
    for (const auto& d : top) rows.push_back(&d);
    for (const auto& d : view(c, kind).older)
        if (!last || d.id < last) rows.push_back(&d), last = d.id;
    return rows;
}
}  // namespace

std::vector<const CrmDeliveryInfo*> crm_log_rows(const CrmState& c, const std::string& kind, bool* more) {
    const CrmLogView& v = view(c, kind);
    auto rows = held_rows(c, kind);
    // The settings bring a full first page when there may be older rows.
    const bool maybe_older = !v.end && newest(c, kind).size() >= kSettingsPage;
    if (more) *more = rows.size() > v.shown || maybe_older;
    if (rows.size() > v.shown) rows.resize(v.shown);
    return rows;
}

void action_crm_older(AppState& s, const std::string& kind, Effects& fx) {
    CrmLogView& v = view(s.crm, kind);
    if (v.loading) return;
    fx.redraw = true;
    auto rows = held_rows(s.crm, kind);
    if (rows.size() > v.shown) {  // held but not drawn yet
        v.shown += kShowStep;
        return;
    }
    if (v.end || rows.empty()) return;
    v.loading = true;
    v.error.clear();
    HttpCall c;
    c.kind = CallKind::CrmOlder;
    c.path = "/api/v1/integrations/" + kind + "/deliveries?before=" + std::to_string(rows.back()->id);
    c.page = kind;
    fx.calls.push_back(c);
}

void crm_http_done(AppState& s, const HttpCall& c, const HttpResult& r, Effects& fx) {
    CrmState& st = s.crm;
    fx.redraw = true;
    if (c.kind == CallKind::CrmOlder) {
        CrmLogView& v = view(st, c.page);
        v.loading = false;
        CrmLog page;
        if (r.status != 200 || !parse_json(r.body, page)) {
            v.error = failure_reason(r);
            return;
        }
        for (auto& d : page.deliveries) v.older.push_back(std::move(d));
        v.end = page.older == 0;
        v.shown += kShowStep;
        return;
    }
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
            if (c.method == "DELETE") view(st, c.page) = CrmLogView{};  // a new one starts a new log
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
