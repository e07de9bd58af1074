#include "app/network_state.h"
#include <algorithm>
#include <cctype>
#include "app/i18n.h"
#include "app/state.h"

namespace parley {

std::vector<std::string> parse_zones(const std::string& text, std::string* bad) {
    std::vector<std::string> out;
    if (bad) bad->clear();
    std::string cur;
    auto flush = [&] {
        if (cur.empty()) return;
        bool ok = cur.size() == 2 && std::isalpha((unsigned char)cur[0]) && std::isalpha((unsigned char)cur[1]);
        if (!ok) {
            if (bad && bad->empty()) *bad = cur;
        } else {
            for (char& c : cur) c = (char)std::toupper((unsigned char)c);
            if (std::find(out.begin(), out.end(), cur) == out.end()) out.push_back(cur);
        }
        cur.clear();
    };
    // Commas, semicolons and blanks all separate: people type "ES PT" as often as "ES, PT".
    for (char c : text) {
        if (c == ',' || c == ';' || c == ' ' || c == '\t' || c == '\n' || c == '\r') flush();
        else cur += c;
    }
    flush();
    return out;
}

std::string zones_text(const std::vector<std::string>& zones) {
    std::string t;
    for (const std::string& z : zones) t += (t.empty() ? "" : ", ") + z;
    return t;
}

const NetworkMember* find_member(const NetworkState& n, int64_t id) {
    for (const NetworkMember& m : n.network.members)
        if (m.user.id == id) return &m;
    return nullptr;
}

static NetworkMember* find_member(NetworkState& n, int64_t id) {
    return const_cast<NetworkMember*>(find_member(const_cast<const NetworkState&>(n), id));
}

static std::string member_path(int64_t id) { return "/api/v1/network/members/" + std::to_string(id); }

void action_network_load(AppState& s, Effects& fx) {
    NetworkState& n = s.network;
    fx.redraw = true;
    if (n.loading) return;  // one load at a time: a second answer would add nothing
    n.loading = true;
    HttpCall c;
    c.kind = CallKind::NetworkLoad;
    c.path = "/api/v1/network";
    fx.calls.push_back(c);
}

static bool blank(const std::string& t) {
    return std::all_of(t.begin(), t.end(), [](unsigned char c) { return std::isspace(c); });
}

void action_network_add(AppState& s, Effects& fx) {
    MemberForm& f = s.network.add;
    fx.redraw = true;
    if (f.saving) return;
    // Obvious gaps are caught here; everything else (address format, known country
    // codes, duplicates) is the server's to judge and comes back as its message.
    std::string bad;
    std::vector<std::string> zones = parse_zones(f.zones, &bad);
    f.invalid.clear();
    if (blank(f.name)) f.error = i18n::tr("Enter the member's name."), f.invalid = "name";
    else if (blank(f.email)) f.error = i18n::tr("Enter the member's e-mail address."), f.invalid = "email";
    else if (!bad.empty()) f.error = i18n::trf("\"{0}\" is not a two-letter country code (e.g. ES, PT).", {bad}), f.invalid = "zones";
    else f.error.clear();
    if (!f.error.empty()) return;
    NetworkMemberInput in;
    in.name = f.name;
    in.company = f.company;
    in.email = f.email;
    in.role = f.role;
    in.zones = zones;
    in.auto_cc = f.auto_cc;
    HttpCall c;
    c.kind = CallKind::NetworkAdd;
    c.method = "POST";
    c.path = "/api/v1/network/members";
    c.body = dump_json(in);
    fx.calls.push_back(c);
    f.saving = true;
}

void action_network_update(AppState& s, int64_t id, const std::vector<std::string>& zones, bool auto_cc,
                           Effects& fx) {
    NetworkMember* m = find_member(s.network, id);
    if (!m) return;
    MemberEdit& e = s.network.edits[id];
    fx.redraw = true;
    if (e.saving) return;
    NetworkMemberInput in;
    in.name = m->user.name;
    in.company = m->user.company;
    in.country = m->user.country;
    in.language = m->user.language;
    in.role = m->user.role;
    in.zones = zones;
    in.auto_cc = auto_cc;
    HttpCall c;
    c.kind = CallKind::NetworkUpdate;
    c.method = "POST";
    c.path = member_path(id);
    c.member_id = id;
    c.body = dump_json(in);
    fx.calls.push_back(c);
    e.saving = true;
    e.sent_auto_cc = auto_cc;
    e.error.clear();
}

void action_network_remove(AppState& s, int64_t id, Effects& fx) {
    if (!find_member(s.network, id)) return;
    MemberEdit& e = s.network.edits[id];
    fx.redraw = true;
    if (e.saving) return;
    HttpCall c;
    c.kind = CallKind::NetworkRemove;
    c.method = "DELETE";
    c.path = member_path(id);
    c.member_id = id;
    fx.calls.push_back(c);
    e.saving = true;
    e.error.clear();
}

static void on_load(NetworkState& n, const HttpResult& r) {
    n.loading = false;
    Network net;
    std::string why;
    if (r.status == 200 && parse_json(r.body, net, &why)) {
        n.network = std::move(net);
        n.loaded = true;
        n.error.clear();
        // Edit state of members that are gone would only leak into a re-added id.
        for (auto it = n.edits.begin(); it != n.edits.end();)
            it = find_member(n, it->first) ? std::next(it) : n.edits.erase(it);
    } else if (r.status == 404 || r.status == 403) {
        n.error = i18n::tr("Only the manufacturer manages the sales network.");
    } else {
        n.error = r.status == 200 ? "Unreadable answer: " + why : failure_reason(r);
    }
}

static void on_add(NetworkState& n, const HttpResult& r) {
    MemberForm& f = n.add;
    f.saving = false;
    NetworkMember m;
    if ((r.status == 201 || r.status == 200) && parse_json(r.body, m)) {
        n.network.members.push_back(m);
        n.add = MemberForm{};
        n.add_open = false;
    } else {
        f.error = failure_reason(r);  // the form keeps what was typed
        // The server's code names the field it refused ("invalid_email" → "email").
        ApiError e;
        if (parse_json(r.body, e) && e.code.rfind("invalid_", 0) == 0) f.invalid = e.code.substr(8);
    }
}

static void on_update(NetworkState& n, const HttpCall& c, const HttpResult& r) {
    MemberEdit& e = n.edits[c.member_id];
    e.saving = false;
    NetworkMember m;
    if (r.status == 200 && parse_json(r.body, m)) {
        if (NetworkMember* old = find_member(n, c.member_id)) *old = m;
        e.editing_zones = false;
        e.error.clear();
    } else {
        e.error = i18n::trf("Not saved: {0}", {failure_reason(r)});  // zones field stays as typed
    }
}

static void on_remove(NetworkState& n, const HttpCall& c, const HttpResult& r) {
    MemberEdit& e = n.edits[c.member_id];
    e.saving = false;
    if (r.status / 100 == 2 || r.status == 404) {  // 404: already gone, which is what was asked
        auto& ms = n.network.members;
        ms.erase(std::remove_if(ms.begin(), ms.end(), [&](const NetworkMember& m) { return m.user.id == c.member_id; }),
                 ms.end());
        n.edits.erase(c.member_id);
    } else {
        e.confirm_remove = false;
        e.error = i18n::trf("Not removed: {0}", {failure_reason(r)});
    }
}

void network_http_done(AppState& s, const HttpCall& c, const HttpResult& r, Effects& fx) {
    fx.redraw = true;
    switch (c.kind) {
        case CallKind::NetworkLoad: on_load(s.network, r); break;
        case CallKind::NetworkAdd: on_add(s.network, r); break;
        case CallKind::NetworkUpdate: on_update(s.network, c, r); break;
        case CallKind::NetworkRemove: on_remove(s.network, c, r); break;
        default: break;
    }
}

}  // namespace parley
