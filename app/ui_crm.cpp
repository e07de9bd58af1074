// "Leads into your CRM", below the members on "My sales network": the outgoing webhook
// (URL, signing secret, test event) and the Odoo connection, each with the newest rows of
// its delivery log (status, the receiver's answer, Retry on a failed one). One column;
// buttons wrap on phones.
#include <algorithm>

#include "app/format.h"
#include "app/i18n.h"
#include "app/registry.h"
#include "app/theme.h"
#include "app/ui_network.h"

namespace parley {

using namespace theme;

namespace {

constexpr float kControlH = 34;

// Buttons left to right, wrapping when the next one does not fit.
struct Row {
    float x0, right, x, y, gap = 8;
    Row(float x0_, float right_, float y_) : x0(x0_), right(right_), x(x0_), y(y_) {}
    // Moves the cursor to where a control w wide goes next.
    void place(float w) {
        if (x > x0 && x + w > right) {
            x = x0;
            y += kControlH + gap;
        }
        ImGui::SetCursorScreenPos(ImVec2(x, y));
        x += w + gap;
    }
    bool button(const char* text, const std::string& id, const std::string& name, ButtonKind kind, bool disabled,
                ImU32 text_color = 0) {
        const float w = ui_button_width(text);
        place(w);
        reg::next_label(name);
        if (text_color) ImGui::PushStyleColor(ImGuiCol_Text, text_color);
        const bool pressed = ui_button((std::string(text) + "###" + id).c_str(), kind, ImVec2(w, kControlH), disabled);
        if (text_color) ImGui::PopStyleColor();
        return pressed;
    }
    void end() { ImGui::SetCursorScreenPos(ImVec2(x0, y + kControlH + 6)); }
};

void gap(float x, float dy) { ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y + dy)); }

void note_or_error(const std::string& note, const std::string& error, float x, float w) {
    if (!error.empty()) {
        ui_error_band(error, x, w);
    } else if (!note.empty()) {
        gap(x, 2);
        ui_text_wrapped(note, w, fonts.small, pal().muted, "status");
    }
}

// The newest deliveries: what, how it went, when; Retry on a failed one; older ones on
// demand.
void delivery_log(UiContext& ui, const std::string& kind, float x, float w) {
    gap(x, 10);
    ui_text(i18n::tr("Recent deliveries"), fonts.bold, pal().muted, "heading");
    bool more = false;
    const auto rows = crm_log_rows(ui.state.crm, kind, &more);
    if (rows.empty()) {
        gap(x, 2);
        ui_text_wrapped(i18n::tr("Nothing sent yet."), w, fonts.small, pal().muted);
        return;
    }
    for (const CrmDeliveryInfo* row : rows) {
        const CrmDeliveryInfo& d = *row;
        gap(x, 6);
        const bool failed = d.status == "failed", done = d.status == "delivered";
        std::string line = d.type + "  ·  " + crm_status_text(d);
        if (d.last_code) line += "  ·  HTTP " + std::to_string(d.last_code);
        line += "  ·  " + format_datetime(d.updated ? d.updated : d.created);
        if (d.request_id) line += "  ·  #" + std::to_string(d.request_id);
        ui_text_wrapped(line, w, fonts.small, failed ? pal().danger : done ? pal().text : pal().warn, "listitem");
        if (!d.last_error.empty()) {
            gap(x, 0);
            ui_text_wrapped(d.last_error, w, fonts.small, failed ? pal().danger : pal().muted);
        }
        if (failed) {
            Row r(x, x + w, ImGui::GetCursorScreenPos().y + 4);
            if (r.button(i18n::tr("Retry"), "crm_retry" + std::to_string(d.id),
                         i18n::trf("Retry delivery {0}", {std::to_string(d.id)}), ButtonKind::Secondary,
                         kind == "odoo" ? ui.state.crm.odoo_busy : ui.state.crm.webhook_busy))
                action_crm_retry(ui.state, kind, d.id, ui.fx);
            r.end();
        }
    }
    const CrmLogView& v = kind == "odoo" ? ui.state.crm.odoo_log : ui.state.crm.webhook_log;
    if (!v.error.empty()) ui_error_band(v.error, x, w);
    if (more) {
        Row r(x, x + w, ImGui::GetCursorScreenPos().y + 8);
        const char* older = v.loading ? i18n::tr("Loading…") : i18n::tr("Show older deliveries");
        if (r.button(older, "crm_older_" + kind, i18n::tr("Show older deliveries"), ButtonKind::Secondary, v.loading))
            action_crm_older(ui.state, kind, ui.fx);
        r.end();
    }
}

// Remove asks first: what goes away, then "Yes, remove" (red) or Cancel. True while asking.
bool confirm_remove(UiContext& ui, const std::string& kind, const char* question, bool busy, float x, float w) {
    CrmState& c = ui.state.crm;
    if (c.confirm_remove != kind) return false;
    gap(x, 8);
    ui_text_wrapped(question, w, fonts.bold, pal().danger, "alert");
    Row r(x, x + w, ImGui::GetCursorScreenPos().y + 8);
    const char* yes = i18n::tr("Yes, remove");
    const float yes_w = ui_button_width(yes);
    r.place(yes_w);
    if (ui_danger_button(yes, "crm_remove_yes_" + kind, ImVec2(yes_w, kControlH), busy)) {
        c.confirm_remove.clear();
        action_crm_remove(ui.state, kind, ui.fx);
    }
    if (r.button(i18n::tr("Cancel"), "crm_remove_no_" + kind, i18n::tr("Cancel"), ButtonKind::Secondary, busy)) {
        c.confirm_remove.clear();
        ui.fx.redraw = true;
    }
    r.end();
    return true;
}

void ask_remove(UiContext& ui, const std::string& kind) {
    ui.state.crm.confirm_remove = kind;
    ui.fx.redraw = true;
}

void webhook_section(UiContext& ui, float x, float w) {
    CrmState& c = ui.state.crm;
    const CrmIntegrations& d = c.data;
    gap(x, 14);
    ui_text(i18n::tr("Webhook"), fonts.bold, pal().text, "heading");
    gap(x, 2);
    ui_text_wrapped(i18n::tr("Every request and event you may see is sent as signed JSON to this address."), w,
                    fonts.small, pal().muted);
    gap(x, 6);
    const bool submit = ui_field("##crm_webhook_url", i18n::tr("Webhook URL"), "https://crm.example.com/parley",
                                 c.webhook_url, w, c.webhook_busy);
    if (d.has_webhook) {
        gap(x, 6);
        const std::string& sec = d.webhook.secret;
        const std::string shown = c.show_secret ? sec : sec.substr(0, std::min<size_t>(sec.size(), 8)) + "••••••••";
        ui_text_wrapped(i18n::trf("Signing secret: {0}", {shown}), w, fonts.small, pal().text);
    }
    note_or_error(c.webhook_note, c.webhook_error, x, w);
    Row r(x, x + w, ImGui::GetCursorScreenPos().y + 8);
    if (r.button(i18n::tr("Save"), "crm_webhook_save", i18n::tr("Save the webhook"), ButtonKind::Primary,
                 c.webhook_busy) ||
        (submit && !c.webhook_busy))
        action_crm_save_webhook(ui.state, ui.fx);
    if (d.has_webhook) {
        if (r.button(i18n::tr("Send a test event"), "crm_webhook_test", i18n::tr("Send a test event"),
                     ButtonKind::Secondary, c.webhook_busy))
            action_crm_test(ui.state, "webhook", ui.fx);
        const char* show = c.show_secret ? i18n::tr("Hide the secret") : i18n::tr("Show the secret");
        if (r.button(show, "crm_secret_show", show, ButtonKind::Secondary, false)) {
            c.show_secret = !c.show_secret;
            ui.fx.redraw = true;
        }
        if (r.button(i18n::tr("New secret"), "crm_secret_new", i18n::tr("Make a new signing secret"),
                     ButtonKind::Secondary, c.webhook_busy))
            action_crm_new_secret(ui.state, ui.fx);
        if (r.button(i18n::tr("Remove"), "crm_webhook_remove", i18n::tr("Remove the webhook"), ButtonKind::Secondary,
                     c.webhook_busy, pal().danger))
            ask_remove(ui, "webhook");
    }
    r.end();
    confirm_remove(ui, "webhook", i18n::tr("Remove the webhook? Events not yet delivered will not be sent."),
                   c.webhook_busy, x, w);
    if (d.has_webhook) delivery_log(ui, "webhook", x, w);
}

void odoo_section(UiContext& ui, float x, float w) {
    CrmState& c = ui.state.crm;
    const CrmIntegrations& d = c.data;
    gap(x, 18);
    ui_text(i18n::tr("Odoo"), fonts.bold, pal().text, "heading");
    gap(x, 2);
    ui_text_wrapped(i18n::tr("Each request becomes a lead in your Odoo, updated as it moves."), w, fonts.small,
                    pal().muted);
    const bool busy = c.odoo_busy;
    gap(x, 6);
    bool submit = ui_field("##crm_odoo_url", i18n::tr("Odoo URL"), "https://mycompany.odoo.com", c.odoo_url, w, busy);
    gap(x, 4);
    submit |= ui_field("##crm_odoo_db", i18n::tr("Database"), "mycompany", c.odoo_database, w, busy);
    gap(x, 4);
    submit |= ui_field("##crm_odoo_login", i18n::tr("Login"), "sales@mycompany.com", c.odoo_login, w, busy);
    gap(x, 4);
    submit |= ui_field("##crm_odoo_key", i18n::tr("API key"),
                       d.has_odoo && d.odoo.has_key ? i18n::tr("Saved — type a new key to replace it") : "",
                       c.odoo_key, w, busy, "", /*secret=*/true);
    note_or_error(c.odoo_note, c.odoo_error, x, w);
    Row r(x, x + w, ImGui::GetCursorScreenPos().y + 8);
    if (r.button(i18n::tr("Save"), "crm_odoo_save", i18n::tr("Save the Odoo connection"), ButtonKind::Primary, busy) ||
        (submit && !busy))
        action_crm_save_odoo(ui.state, ui.fx);
    if (d.has_odoo) {
        if (r.button(i18n::tr("Test the connection"), "crm_odoo_test", i18n::tr("Test the connection"),
                     ButtonKind::Secondary, busy))
            action_crm_test(ui.state, "odoo", ui.fx);
        if (r.button(i18n::tr("Remove"), "crm_odoo_remove", i18n::tr("Remove the Odoo connection"),
                     ButtonKind::Secondary, busy, pal().danger))
            ask_remove(ui, "odoo");
    }
    r.end();
    confirm_remove(ui, "odoo", i18n::tr("Remove the Odoo connection? Leads already in Odoo stay there."), busy, x, w);
    if (d.has_odoo) delivery_log(ui, "odoo", x, w);
}

}  // namespace

void draw_crm(UiContext& ui, float x, float w) {
    CrmState& c = ui.state.crm;
    gap(x, 30);
    ui_text(i18n::tr("Leads into your CRM"), fonts.title, pal().text, "heading");
    if (!c.loaded) {
        // Asked for when the section first shows (and again on "Try again").
        if (!c.loading && c.load_error.empty()) action_crm_load(ui.state, ui.fx);
        gap(x, 6);
        if (!c.load_error.empty()) ui_text_wrapped(c.load_error, w, fonts.body, pal().danger, "alert");
        else ui_text(i18n::tr("Loading…"), fonts.body, pal().muted);
        if (!c.load_error.empty() && !c.loading) {
            Row r(x, x + w, ImGui::GetCursorScreenPos().y + 8);
            if (r.button(i18n::tr("Try again"), "crm_reload", i18n::tr("Try again"), ButtonKind::Secondary, false)) {
                c.load_error.clear();
                action_crm_load(ui.state, ui.fx);
            }
            r.end();
        }
        return;
    }
    webhook_section(ui, x, w);
    odoo_section(ui, x, w);
}

}  // namespace parley
