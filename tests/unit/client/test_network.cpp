// "My sales network": route, the named actions' effects (method, path, body), answers
// (errors keep the form), zone parsing and the seller-score duration format.
#include <catch2/catch.hpp>
#include "app/format.h"
#include "app/layout.h"
#include "app/state.h"

using namespace parley;

namespace {
HttpResult answer(int status, const std::string& body = "") { return {status, body}; }

NetworkMember member(int64_t id, const std::string& name, const std::string& role, std::vector<std::string> zones,
                     bool auto_cc) {
    NetworkMember m;
    m.user = {id, name, "Co " + name, "ES", "es", role};
    m.zones = std::move(zones);
    m.auto_cc = auto_cc;
    return m;
}

// Signed in as the manufacturer, on /network, with two members loaded.
AppState loaded_network() {
    AppState s;
    s.inbox_loaded = true;
    s.inbox.me = {1, "Marta Iglesias", "Hidráulica Iglesias", "ES", "es", "manufacturer"};
    s.route = {Screen::Network, 0};
    s.network.loaded = true;
    s.network.network.members = {member(7, "Tomás Navarro", "area_manager", {"ES", "PT"}, true),
                                 member(8, "Claire Martin", "distributor", {"FR", "BE", "MA"}, false)};
    return s;
}

const HttpCall& only_call(const Effects& fx) {
    REQUIRE(fx.calls.size() == 1);
    return fx.calls[0];
}
}  // namespace

TEST_CASE("/network is a route of its own; deep link and history", "[network]") {
    CHECK(parse_route("/network") == Route{Screen::Network, 0});
    CHECK(parse_route("/network/") == Route{Screen::Network, 0});
    CHECK(parse_route("/network?x=1") == Route{Screen::Network, 0});
    CHECK(parse_route("/networks").screen == Screen::Inbox);
    CHECK(parse_route("/net").screen == Screen::Inbox);
    CHECK(route_path({Screen::Network, 0}) == "/network");

    AppState s;
    Effects fx;
    action_start(s, "/network", fx);
    CHECK(s.route.screen == Screen::Network);
    REQUIRE(fx.calls.size() == 3);  // and GET /me (dark mode: the user's theme)
    CHECK(fx.calls[0].kind == CallKind::Inbox);
    CHECK(fx.calls[1].kind == CallKind::NetworkLoad);
    CHECK(fx.calls[1].method == "GET");
    CHECK(fx.calls[1].path == "/api/v1/network");

    // From the inbox: pushes /network and loads; back (popstate) goes to the inbox without a push.
    AppState t;
    t.inbox_loaded = true;
    Effects go;
    action_navigate(t, {Screen::Network, 0}, true, go);
    REQUIRE(go.push_url);
    CHECK(*go.push_url == "/network");
    CHECK(only_call(go).kind == CallKind::NetworkLoad);
    Effects back;
    action_navigate(t, {Screen::Inbox, 0}, false, back);
    CHECK_FALSE(back.push_url);
    CHECK(t.route.screen == Screen::Inbox);
}

TEST_CASE("the network page is one pane with a way back at every width", "[network][layout]") {
    for (float w : {390.f, 1280.f}) {
        Layout l = decide_layout(w, {Screen::Network, 0});
        CHECK_FALSE(l.two_panes);
        CHECK(l.show_back);
        CHECK_FALSE(l.show_inbox);
    }
}

TEST_CASE("loading: members arrive; a refusal says why", "[network]") {
    AppState s;
    s.route = {Screen::Network, 0};
    Effects fx;
    action_network_load(s, fx);
    const HttpCall c = only_call(fx);
    Effects again;
    action_network_load(s, again);  // already on its way
    CHECK(again.calls.empty());

    Network net;
    net.members = {member(7, "Tomás Navarro", "area_manager", {"ES", "PT"}, true)};
    Effects done;
    action_http_done(s, c, answer(200, dump_json(net)), done);
    CHECK(s.network.loaded);
    CHECK_FALSE(s.network.loading);
    REQUIRE(s.network.network.members.size() == 1);
    CHECK(s.network.network.members[0].zones == std::vector<std::string>{"ES", "PT"});

    AppState b;
    Effects fb;
    action_network_load(b, fb);
    Effects db;
    action_http_done(b, fb.calls[0], answer(404, R"({"error":{"code":"not_found","message":"Not found"}})"), db);
    CHECK_FALSE(b.network.loaded);
    CHECK(b.network.error == "Only the manufacturer manages the sales network.");
}

TEST_CASE("adding a member posts the form; the answer joins the list", "[network]") {
    AppState s = loaded_network();
    s.network.add_open = true;
    MemberForm& f = s.network.add;
    f.name = "Rui Costa";
    f.company = "Lusohidráulica Lda";
    f.email = "rui@lusohidraulica.pt";
    f.role = "distributor";
    f.zones = "pt, es ;pt";
    f.auto_cc = true;
    Effects fx;
    action_network_add(s, fx);
    const HttpCall c = only_call(fx);
    CHECK(c.kind == CallKind::NetworkAdd);
    CHECK(c.method == "POST");
    CHECK(c.path == "/api/v1/network/members");
    NetworkMemberInput in;
    REQUIRE(parse_json(c.body, in));
    CHECK(in.name == "Rui Costa");
    CHECK(in.company == "Lusohidráulica Lda");
    CHECK(in.email == "rui@lusohidraulica.pt");
    CHECK(in.role == "distributor");
    CHECK(in.zones == std::vector<std::string>{"PT", "ES"});
    CHECK(in.auto_cc);
    CHECK(f.saving);
    Effects twice;
    action_network_add(s, twice);  // a double tap sends once
    CHECK(twice.calls.empty());

    NetworkMember created = member(21, "Rui Costa", "distributor", {"PT", "ES"}, true);
    Effects done;
    action_http_done(s, c, answer(201, dump_json(created)), done);
    CHECK(s.network.network.members.size() == 3);
    CHECK(s.network.network.members.back().user.name == "Rui Costa");
    CHECK_FALSE(s.network.add_open);
    CHECK(s.network.add.name.empty());  // a fresh form next time
}

TEST_CASE("a refused add keeps everything typed and shows the server's reason", "[network]") {
    AppState s = loaded_network();
    s.network.add_open = true;
    MemberForm& f = s.network.add;
    f.name = "Rui Costa";
    f.email = "not-an-address";
    f.role = "area_manager";
    f.zones = "PT";
    Effects fx;
    action_network_add(s, fx);
    Effects done;
    action_http_done(s, only_call(fx),
                     answer(400, R"({"error":{"code":"invalid_email","message":"That e-mail address is not valid."}})"), done);
    CHECK(s.network.add_open);
    CHECK_FALSE(f.saving);
    CHECK(f.error == "That e-mail address is not valid.");
    CHECK(f.invalid == "email");  // the server's code names the field
    CHECK(f.name == "Rui Costa");
    CHECK(f.email == "not-an-address");
    CHECK(f.role == "area_manager");
    CHECK(f.zones == "PT");
    CHECK(s.network.network.members.size() == 2);

    // No connection: also kept, with a reason that says so.
    Effects again;
    action_network_add(s, again);
    Effects off;
    action_http_done(s, only_call(again), answer(0), off);
    CHECK(f.error.find("No connection") == 0);
    CHECK(f.email == "not-an-address");
}

TEST_CASE("obvious gaps are caught before sending", "[network]") {
    AppState s = loaded_network();
    MemberForm& f = s.network.add;
    Effects fx;
    action_network_add(s, fx);
    CHECK(fx.calls.empty());
    CHECK(f.error == "Enter the member's name.");
    CHECK(f.invalid == "name");  // that field is outlined red
    f.name = "Rui";
    action_network_add(s, fx);
    CHECK(f.error == "Enter the member's e-mail address.");
    CHECK(f.invalid == "email");
    f.email = "rui@example.pt";
    f.zones = "PT, Portugal";
    action_network_add(s, fx);
    CHECK(fx.calls.empty());
    CHECK(f.error.find("\"Portugal\" is not a two-letter country code") == 0);
    CHECK(f.invalid == "zones");
    f.zones = "";  // no zones is allowed (a colleague, or zones later)
    action_network_add(s, fx);
    CHECK(fx.calls.size() == 1);
    CHECK(f.error.empty());
    CHECK(f.invalid.empty());
}

TEST_CASE("auto-CC and zones go out as an update of that member", "[network]") {
    AppState s = loaded_network();
    Effects fx;
    action_network_update(s, 8, {"FR", "BE", "MA"}, true, fx);
    const HttpCall c = only_call(fx);
    CHECK(c.kind == CallKind::NetworkUpdate);
    CHECK(c.method == "POST");
    CHECK(c.path == "/api/v1/network/members/8");
    CHECK(c.member_id == 8);
    NetworkMemberInput in;
    REQUIRE(parse_json(c.body, in));
    CHECK(in.auto_cc);
    CHECK(in.zones == std::vector<std::string>{"FR", "BE", "MA"});
    CHECK(in.role == "distributor");
    CHECK(s.network.edits[8].saving);
    CHECK(s.network.edits[8].sent_auto_cc);  // the switch shows the new value meanwhile

    Effects done;
    action_http_done(s, c, answer(200, dump_json(member(8, "Claire Martin", "distributor", {"FR", "BE", "MA"}, true))),
                     done);
    CHECK(find_member(s.network, 8)->auto_cc);
    CHECK_FALSE(s.network.edits[8].saving);

    // Zones edited, refused: the field keeps the text, the member keeps its zones.
    MemberEdit& e = s.network.edits[7];
    e.editing_zones = true;
    e.zones = "ES, PT, ZZ";
    Effects fz;
    action_network_update(s, 7, parse_zones(e.zones), true, fz);
    Effects refused;
    action_http_done(s, only_call(fz),
                     answer(400, R"({"error":{"code":"bad_zone","message":"Unknown country code: ZZ"}})"), refused);
    CHECK(e.editing_zones);
    CHECK(e.zones == "ES, PT, ZZ");
    CHECK(e.error == "Not saved: Unknown country code: ZZ");
    CHECK(find_member(s.network, 7)->zones == std::vector<std::string>{"ES", "PT"});

    Effects unknown;
    action_network_update(s, 99, {}, false, unknown);  // not a member: nothing to send
    CHECK(unknown.calls.empty());
}

TEST_CASE("remove sends DELETE; the member leaves the list only when the server agrees", "[network]") {
    AppState s = loaded_network();
    s.network.edits[8].confirm_remove = true;
    Effects fx;
    action_network_remove(s, 8, fx);
    const HttpCall c = only_call(fx);
    CHECK(c.kind == CallKind::NetworkRemove);
    CHECK(c.method == "DELETE");
    CHECK(c.path == "/api/v1/network/members/8");
    CHECK(c.body.empty());

    Effects failed;
    action_http_done(s, c, answer(500, R"({"error":{"code":"internal","message":"Database busy"}})"), failed);
    CHECK(find_member(s.network, 8));
    CHECK(s.network.edits[8].error == "Not removed: Database busy");

    Effects fx2;
    action_network_remove(s, 8, fx2);
    Effects done;
    action_http_done(s, only_call(fx2), answer(204), done);
    CHECK_FALSE(find_member(s.network, 8));
    CHECK(s.network.network.members.size() == 1);
    CHECK(s.network.edits.count(8) == 0);
}

TEST_CASE("signed out while on the network page", "[network]") {
    AppState s = loaded_network();
    Effects fx;
    action_network_load(s, fx);
    Effects done;
    action_http_done(s, only_call(fx), answer(401), done);
    CHECK(s.route.screen == Screen::SignedOut);
}

TEST_CASE("zones typed loosely become ISO codes", "[network]") {
    std::string bad;
    CHECK(parse_zones("pt, es ;FR es", &bad) == std::vector<std::string>{"PT", "ES", "FR"});
    CHECK(bad.empty());
    CHECK(parse_zones(" , ;", &bad).empty());
    CHECK(bad.empty());
    CHECK(parse_zones("ES, ESP, P1", &bad) == std::vector<std::string>{"ES"});
    CHECK(bad == "ESP");
    CHECK(zones_text({"ES", "PT"}) == "ES, PT");
    CHECK(zones_text({}).empty());
}

TEST_CASE("durations read in at most two units", "[network][format]") {
    const Millis min = 60 * 1000, hour = 60 * min, day = 24 * hour;
    CHECK(format_duration(-1) == "—");
    CHECK(format_duration(0) == "1 min");
    CHECK(format_duration(20 * 1000) == "1 min");
    CHECK(format_duration(45 * min) == "45 min");
    CHECK(format_duration(59 * min + 40 * 1000) == "1 h");  // rounds to the minute
    CHECK(format_duration(3 * hour) == "3 h");
    CHECK(format_duration(3 * hour + 20 * min) == "3 h 20 min");
    CHECK(format_duration(2 * day + 4 * hour) == "2 d 4 h");
    CHECK(format_duration(2 * day + 4 * hour + 29 * min) == "2 d 4 h");
    CHECK(format_duration(2 * day + 23 * hour + 50 * min) == "3 d");
    CHECK(format_duration(5 * day) == "5 d");
}

TEST_CASE("the tab title names the page", "[network]") {
    AppState s = loaded_network();
    s.inbox.unread = 2;
    CHECK(window_title(s) == "(2) My sales network — Parley");
}
