// "My sales network": the manufacturer's area managers and distributors, their zones
// and auto-CC; add, edit zones, remove (with a confirm step). One column, readable
// width on desktop, full width on phones; every control is at least ~32 px tall.
#include "app/ui_network.h"
#include <algorithm>
#include "app/format.h"
#include "app/i18n.h"
#include "app/registry.h"
#include "app/theme.h"
#include "app/ui_composer.h"
#include "imgui_internal.h"

namespace parley {

using namespace theme;

std::string role_label(const std::string& role) {
    if (role == kRoleAreaManager) return i18n::tr("Area manager");
    if (role == kRoleDistributor) return i18n::tr("Distributor");
    if (role == kRoleManufacturer) return i18n::tr("Manufacturer");
    if (role == "colleague") return i18n::tr("Colleague");
    return role;
}

namespace {

constexpr float kControlH = 34;  // buttons, switches: comfortable under a finger

// A white box whose height is known only after its content: content on channel 1,
// background on channel 0 (as ui_thread.cpp's cards).
struct Box {
    ImDrawList* dl;
    ImVec2 start;
    float width;
    ImU32 bg, border;
    Box(float w, ImU32 bg_ = pal().panel, ImU32 border_ = pal().border) : width(w), bg(bg_), border(border_) {
        dl = ImGui::GetWindowDrawList();
        start = ImGui::GetCursorScreenPos();
        dl->ChannelsSplit(2);
        dl->ChannelsSetCurrent(1);
    }
    void end(float bottom) {
        dl->ChannelsSetCurrent(0);
        dl->AddRectFilled(start, ImVec2(start.x + width, bottom), bg, 10);
        dl->AddRect(start, ImVec2(start.x + width, bottom), border, 10);
        dl->ChannelsMerge();
        ImGui::SetCursorScreenPos(ImVec2(start.x, bottom));
        ImGui::Dummy(ImVec2(width, 0));
    }
};

// Places controls left to right and wraps to a new line when the next one does not
// fit (phones): a row of buttons never runs off the card.
struct Flow {
    float x0, right, x, y, line_h = 0, gap = 8;
    Flow(float x0_, float right_, float y_) : x0(x0_), right(right_), x(x0_), y(y_) {}
    void place(float w, float h) {
        if (x > x0 && x + w > right) {
            x = x0;
            y += line_h + gap;
            line_h = 0;
        }
        ImGui::SetCursorScreenPos(ImVec2(x, y));
        x += w + gap;
        line_h = std::max(line_h, h);
    }
    float bottom() const { return y + line_h; }
};

float bold_width(const char* text) {
    ImGui::PushFont(fonts.bold);
    float w = ImGui::CalcTextSize(text).x;
    ImGui::PopFont();
    return w;
}

float button_width(const char* label) { return bold_width(label) + 2 * ImGui::GetStyle().FramePadding.x; }

// A button whose visible text is short ("Remove") but whose name says what it acts on
// ("Remove Claire Martin"): a list of identical names helps no screen-reader user.
bool named_button(const char* text, const std::string& id, const std::string& name, ButtonKind kind, float w,
                  bool disabled = false, ImU32 text_color = 0) {
    if (text_color) ImGui::PushStyleColor(ImGuiCol_Text, text_color);
    reg::next_label(name);
    bool pressed = ui_button((std::string(text) + "###" + id).c_str(), kind, ImVec2(w, kControlH), disabled);
    if (text_color) ImGui::PopStyleColor();
    return pressed;
}

std::string country_list(const std::vector<std::string>& zones) {
    std::string t;
    for (const std::string& z : zones) t += (t.empty() ? "" : ", ") + country_name(z);
    return t;
}

// Under a zones field: what the typed codes mean, or which one is wrong.
void zones_hint(const std::string& typed, float w) {
    std::string bad;
    std::vector<std::string> zones = parse_zones(typed, &bad);
    if (!bad.empty())
        ui_text_wrapped(i18n::trf("\"{0}\" is not a two-letter country code (e.g. ES, PT).", {bad}), w, fonts.small,
                        pal().danger);
    else if (zones.empty())
        ui_text_wrapped(i18n::tr("Two-letter country codes, separated by commas (e.g. ES, PT)."), w, fonts.small, pal().muted);
    else
        ui_text_wrapped(country_list(zones), w, fonts.small, pal().muted);
}


void member_card(UiContext& ui, const NetworkMember& m, float w) {
    NetworkState& n = ui.state.network;
    MemberEdit& e = n.edits[m.user.id];
    const std::string sid = std::to_string(m.user.id);
    const float pad = ui.layout.gutter < 16 ? 12.f : 16.f;
    Box box(w);
    const ImVec2 o = box.start;
    const float inner = w - 2 * pad;
    const float avatar = 40;

    ImGui::SetCursorScreenPos(ImVec2(o.x + pad, o.y + pad));
    ui_avatar(m.user.name, avatar);
    const float tx = o.x + pad + avatar + 12, right = o.x + w - pad;
    ImGui::SetCursorScreenPos(ImVec2(tx, o.y + pad - 2));
    const std::string role = role_label(m.user.role);
    ImGui::PushFont(fonts.small);
    const float badge_w = ImGui::CalcTextSize(role.c_str()).x + 12;
    ImGui::PopFont();
    ui_text_fit(m.user.name, right - tx - badge_w - 8, fonts.bold, pal().text, "heading");
    ImGui::SameLine(0, 8);
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 1);
    const bool am = m.user.role == kRoleAreaManager;
    ui_badge(role, am ? pal().violet : pal().teal, am ? pal().violet_bg : pal().teal_bg);
    ImGui::SetCursorScreenPos(ImVec2(tx, o.y + pad + 20));
    ui_text_fit(m.user.company.empty() ? std::string("—") : m.user.company, right - tx, fonts.small, pal().muted);

    // Zones, as country names (the codes stay in the edit field).
    ImGui::SetCursorScreenPos(ImVec2(o.x + pad, std::max(o.y + pad + avatar, ImGui::GetCursorScreenPos().y) + 8));
    const std::string zones = m.zones.empty() ? std::string(i18n::tr("No zones yet")) : country_list(m.zones);
    ui_text_wrapped(i18n::trf("Zones: {0}", {zones}), inner, fonts.body, m.zones.empty() ? pal().muted : pal().text);

    float y = ImGui::GetCursorScreenPos().y + 10;
    if (e.editing_zones) {
        ImGui::SetCursorScreenPos(ImVec2(o.x + pad, y));
        const bool submit = ui_field("##zones" + sid, i18n::tr("Zones (country codes)"), "ES, PT", e.zones, inner, e.saving,
                                  i18n::trf("Zones of {0}", {m.user.name}));
        ImGui::SetCursorScreenPos(ImVec2(o.x + pad, ImGui::GetCursorScreenPos().y + 2));
        zones_hint(e.zones, inner);
        ui_error_band(e.error, o.x + pad, inner);
        Flow f(o.x + pad, right, ImGui::GetCursorScreenPos().y + 10);
        const char* save = i18n::tr("Save zones");
        f.place(button_width(save), kControlH);
        std::string bad;
        std::vector<std::string> parsed = parse_zones(e.zones, &bad);
        if ((named_button(save, "savez" + sid, i18n::trf("Save zones of {0}", {m.user.name}), ButtonKind::Primary,
                          button_width(save), e.saving || !bad.empty()) ||
             (submit && bad.empty())))
            action_network_update(ui.state, m.user.id, parsed, m.auto_cc, ui.fx);
        const char* cancel = i18n::tr("Cancel");
        f.place(button_width(cancel), kControlH);
        if (named_button(cancel, "cancelz" + sid, i18n::tr("Cancel"), ButtonKind::Secondary, button_width(cancel),
                         e.saving)) {
            e.editing_zones = false;
            e.error.clear();
            ui.fx.redraw = true;  // the card shrinks: one more frame settles the scroll range
        }
        y = f.bottom();
    } else if (e.confirm_remove) {
        ImGui::SetCursorScreenPos(ImVec2(o.x + pad, y));
        ui_text_wrapped(i18n::trf("Remove {0} from your sales network?", {m.user.name}), inner, fonts.bold, pal().danger,
                        "alert");
        ui_error_band(e.error, o.x + pad, inner);
        Flow f(o.x + pad, right, ImGui::GetCursorScreenPos().y + 8);
        const char* yes = i18n::tr("Yes, remove");
        f.place(button_width(yes), kControlH);
        if (ui_danger_button(yes, "yes" + sid, ImVec2(button_width(yes), kControlH), e.saving)) action_network_remove(ui.state, m.user.id, ui.fx);
        const char* cancel = i18n::tr("Cancel");
        f.place(button_width(cancel), kControlH);
        if (named_button(cancel, "cancelr" + sid, i18n::tr("Cancel"), ButtonKind::Secondary, button_width(cancel),
                         e.saving)) {
            e.confirm_remove = false;
            ui.fx.redraw = true;
        }
        y = f.bottom();
    } else {
        // Auto-CC, Edit zones, Remove: one row on desktop, wrapping on narrow phones.
        Flow f(o.x + pad, right, y);
        const char* cc = i18n::tr("Auto-CC");
        ImGui::PushFont(fonts.body);  // as ui_choice() draws it
        const float cc_w = 40 + 8 + ImGui::CalcTextSize(cc).x + 4;
        ImGui::PopFont();
        f.place(cc_w, kControlH);
        const bool shown = e.saving ? e.sent_auto_cc : m.auto_cc;  // the new value while it is saved
        if (ui_choice("checkbox", "##cc" + sid, cc, i18n::trf("Auto-CC for {0}", {m.user.name}), shown, e.saving))
            action_network_update(ui.state, m.user.id, m.zones, !m.auto_cc, ui.fx);
        const char* edit = i18n::tr("Edit zones");
        const char* remove = i18n::tr("Remove");
        // The two buttons go to the right edge when they fit beside the switch.
        const float bw = button_width(edit) + 8 + button_width(remove);
        if (f.x + bw <= right) f.x = right - bw;
        f.place(button_width(edit), kControlH);
        if (named_button(edit, "edit" + sid, i18n::trf("Edit zones for {0}", {m.user.name}), ButtonKind::Secondary,
                         button_width(edit), e.saving)) {
            e.editing_zones = true;
            e.zones = zones_text(m.zones);
            e.error.clear();
            ui.fx.redraw = true;
        }
        f.place(button_width(remove), kControlH);
        if (named_button(remove, "remove" + sid, i18n::trf("Remove {0}", {m.user.name}), ButtonKind::Secondary,
                         button_width(remove), e.saving, pal().danger)) {
            e.confirm_remove = true;
            e.error.clear();
            ui.fx.redraw = true;
        }
        y = f.bottom();
        if (!e.error.empty()) {
            ImGui::SetCursorScreenPos(ImVec2(o.x + pad, y));
            ui_error_band(e.error, o.x + pad, inner);
            y = ImGui::GetCursorScreenPos().y;
        }
    }
    box.end(y + pad);
}

void add_form(UiContext& ui, float w) {
    NetworkState& n = ui.state.network;
    MemberForm& f = n.add;
    const float pad = ui.layout.gutter < 16 ? 12.f : 18.f;
    Box box(w, pal().panel, pal().accent_border);
    const ImVec2 o = box.start;
    const float inner = w - 2 * pad;
    const float x = o.x + pad;
    auto next = [&](float dy) { ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y + dy)); };

    ImGui::SetCursorScreenPos(ImVec2(x, o.y + pad));
    ui_text(i18n::tr("New sales-network member"), fonts.title, pal().text, "heading");
    next(10);
    bool submit = false;
    // Name and company side by side when there is room; stacked on phones.
    const bool two = inner >= 520;
    const float half = two ? (inner - 12) / 2 : inner;
    const float row_y = ImGui::GetCursorScreenPos().y;
    if (f.invalid == "name") ui_composer_invalid_next();
    submit |= ui_field("##net_name", i18n::tr("Name"), i18n::tr("First and last name"), f.name, half, f.saving);
    if (two) ImGui::SetCursorScreenPos(ImVec2(x + half + 12, row_y));
    else next(10);
    if (f.invalid == "company") ui_composer_invalid_next();
    submit |= ui_field("##net_company", i18n::tr("Company"), i18n::tr("Company name"), f.company, half, f.saving);
    next(10);
    if (f.invalid == "email") ui_composer_invalid_next();
    submit |= ui_field("##net_email", i18n::tr("E-mail"), "name@example.com", f.email, two ? half : inner, f.saving);
    next(12);

    ui_text(i18n::tr("Role"), fonts.bold, pal().text);
    Flow roles(x, x + inner, ImGui::GetCursorScreenPos().y);
    for (const char* r : {kRoleAreaManager, kRoleDistributor}) {
        const std::string text = role_label(r);
        roles.place(22 + 8 + ImGui::CalcTextSize(text.c_str()).x + 4 + 16, kControlH);
        if (ui_choice("radio", std::string("##role_") + r, text, text, f.role == r, f.saving)) {
            f.role = r;
            ui.fx.redraw = true;
        }
    }
    ImGui::SetCursorScreenPos(ImVec2(x, roles.bottom() + 10));

    if (f.invalid == "zones") ui_composer_invalid_next();
    submit |= ui_field("##net_zones", i18n::tr("Zones (country codes)"), "ES, PT", f.zones, two ? half : inner, f.saving);
    next(2);
    zones_hint(f.zones, inner);
    next(8);
    if (ui_choice("checkbox", "##net_autocc", i18n::tr("Auto-CC"), i18n::tr("Auto-CC"), f.auto_cc, f.saving)) {
        f.auto_cc = !f.auto_cc;
        ui.fx.redraw = true;
    }
    next(0);
    ui_text_wrapped(i18n::tr("Gets a copy of every request sent to your area managers and distributors."), inner,
                    fonts.small, pal().muted);
    // Server refusals stay next to the form, with everything typed still in place.
    ui_error_band(f.error, x, inner);

    Flow b(x, x + inner, ImGui::GetCursorScreenPos().y + 12);
    const char* add = f.saving ? i18n::tr("Adding…") : i18n::tr("Add member");
    const float aw = std::max(button_width(i18n::tr("Add member")), button_width(i18n::tr("Adding…")));
    b.place(aw, kControlH);
    reg::next_label(i18n::tr("Add member"));
    if (ui_button((std::string(add) + "###add_submit").c_str(), ButtonKind::Primary, ImVec2(aw, kControlH), f.saving) ||
        (submit && !f.saving))
        action_network_add(ui.state, ui.fx);
    const char* cancel = i18n::tr("Cancel");
    b.place(button_width(cancel), kControlH);
    if (named_button(cancel, "add_cancel", i18n::tr("Cancel"), ButtonKind::Secondary, button_width(cancel), f.saving)) {
        n.add_open = false;
        f.error.clear(), f.invalid.clear();  // what was typed stays for next time
        ui.fx.redraw = true;
    }
    box.end(b.bottom() + pad);
}

}  // namespace

float draw_network_button(UiContext& ui, float x, float bar_y, float bar_height) {
    const AppState& s = ui.state;
    if (!s.inbox_loaded || s.inbox.me.role != kRoleManufacturer || s.route.screen == Screen::Network) return x;
    // Phones: the short name, so that the bar keeps room for the language switch.
    const char* text = ImGui::GetWindowWidth() >= 600 ? i18n::tr("My sales network") : i18n::tr("Network");
    const float w = button_width(text);
    ImGui::SetCursorScreenPos(ImVec2(x, bar_y + (bar_height - 32) / 2));
    reg::next_href(route_path({Screen::Network, 0}));
    reg::next_label(i18n::tr("My sales network"));  // the full name for screen readers and tests
    if (ui_button((std::string(text) + "###network").c_str(), ButtonKind::Secondary, ImVec2(w, 32)))
        action_navigate(ui.state, {Screen::Network, 0}, true, ui.fx);
    return x + w;
}

void draw_network(UiContext& ui, float width, float height) {
    AppState& s = ui.state;
    NetworkState& n = s.network;
    ImGui::BeginChild("network", ImVec2(width, height), ImGuiChildFlags_None, ImGuiWindowFlags_NavFlattened);
    const float g = ui.layout.gutter;
    const float avail = ImGui::GetContentRegionAvail().x;
    const float w = std::min(ui.layout.content_max, avail - 2 * g);
    const float x0 = std::max(g, (avail - w) / 2);
    ImGui::SetCursorPos(ImVec2(x0, g + 4));
    ui_text(i18n::tr("My sales network"), fonts.title, pal().text, "heading");
    ImGui::SetCursorPos(ImVec2(x0, ImGui::GetCursorPosY() + 2));
    ui_text_wrapped(i18n::tr("Area managers and distributors answer the requests from the countries of their zones. "
                             "Members with auto-CC get a copy of every request sent to the network."),
                    w, fonts.body, pal().muted);

    if (s.inbox_loaded && s.inbox.me.role != kRoleManufacturer) {
        ImGui::SetCursorPos(ImVec2(x0, ImGui::GetCursorPosY() + 14));
        ui_text_wrapped(i18n::tr("Only the manufacturer manages the sales network."), w, fonts.body, pal().danger, "alert");
    } else if (!n.loaded) {
        ImGui::SetCursorPos(ImVec2(x0, ImGui::GetCursorPosY() + 14));
        if (!n.error.empty()) ui_text_wrapped(n.error, w, fonts.body, pal().danger, "alert");
        else ui_text(i18n::tr("Loading your sales network…"), fonts.body, pal().muted);
        if (!n.error.empty() && !n.loading) {
            ImGui::SetCursorPos(ImVec2(x0, ImGui::GetCursorPosY() + 8));
            if (ui_button(i18n::tr("Try again"), ButtonKind::Secondary, ImVec2(0, kControlH))) action_network_load(s, ui.fx);
        }
    } else {
        ImGui::SetCursorPos(ImVec2(x0, ImGui::GetCursorPosY() + 14));
        if (n.add_open) {
            add_form(ui, w);
        } else {
            const char* add = i18n::tr("Add member");
            reg::next_label(add);
            if (ui_button((std::string("+  ") + add + "###add_open").c_str(), ButtonKind::Primary,
                          ImVec2(button_width(add) + 24, kControlH))) {
                n.add_open = true;
                n.add.error.clear(), n.add.invalid.clear();
                ui.fx.redraw = true;
            }
        }
        const size_t count = n.network.members.size();
        ImGui::SetCursorPos(ImVec2(x0, ImGui::GetCursorPosY() + 20));
        ui_text(i18n::trn("{0} member", "{0} members", (long long)count), fonts.bold, pal().muted, "heading");
        if (count == 0) {
            ImGui::SetCursorPos(ImVec2(x0, ImGui::GetCursorPosY() + 6));
            ui_text_wrapped(i18n::tr("No members yet. Add your area managers and distributors."), w, fonts.body, pal().muted);
        }
        // A copy: a card's buttons may remove its member from the list while drawing.
        const std::vector<NetworkMember> members = n.network.members;
        for (const NetworkMember& m : members) {
            ImGui::SetCursorPos(ImVec2(x0, ImGui::GetCursorPosY() + 10));
            member_card(ui, m, w);
        }
        ImGui::SetCursorPos(ImVec2(x0, ImGui::GetCursorPosY()));
        draw_crm(ui, ImGui::GetCursorScreenPos().x, w);  // leads into the CRM (ui_crm.cpp)
    }
    ImGui::Dummy(ImVec2(1, 40));
    ImGui::EndChild();
}

}  // namespace parley
