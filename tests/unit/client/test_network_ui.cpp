// The network screen and the inbox header in real ImGui frames: what the registry
// (tests, screen-reader mirror) sees, and that nothing runs off a phone's width.
#include <catch2/catch.hpp>
#include "app/registry.h"
#include "app/state.h"
#include "app/ui.h"
#include "imgui_frames.h"

using namespace parley;

namespace {
const reg::Widget* find(const std::string& label, const std::string& kind = "") { return find_widget(label, kind); }

AppState manufacturer() {
    AppState s;
    s.inbox_loaded = true;
    s.inbox.me = {1, "Marta Iglesias", "Hidráulica Iglesias", "ES", "es", "manufacturer"};
    RequestSummary a;
    a.id = 3; a.buyer_name = "Luc Martin"; a.buyer_company = "Acier SA"; a.product = "Pompe"; a.status = "to_answer";
    RequestSummary b;
    b.id = 4; b.buyer_name = "Ana Sousa"; b.buyer_company = "Sousa Lda"; b.product = "Válvula"; b.status = "answered";
    b.handler_name = "Tomás Navarro";
    s.inbox.requests = {a, b};
    s.inbox.to_answer = 1;
    SellerScore sc;
    sc.response_rate = 87;
    sc.median_first_response = (3 * 60 + 20) * 60 * 1000;
    s.inbox.score = sc;
    NetworkMember m;
    m.user = {7, "Tomás Navarro", "Hidráulica Iglesias", "ES", "es", "area_manager"};
    m.zones = {"ES", "PT"};
    m.auto_cc = true;
    NetworkMember d;
    d.user = {8, "Claire Martin", "Hydrolec France SARL", "FR", "fr", "distributor"};
    d.zones = {"FR", "BE", "MA"};
    s.network.loaded = true;
    s.network.network.members = {m, d};
    return s;
}
}  // namespace

TEST_CASE("inbox header: to answer, response rate, median; row status and handler", "[network][registry]") {
    for (float width : {1280.f, 390.f}) {
        INFO(width);
        ImGuiFrames c(ImVec2(width, 800));
        AppState s = manufacturer();
        Effects fx;
        for (int i = 0; i < 2; i++) c.frame([&] { draw_app(s, fx, width, 800, 0); });
        CHECK(find("1 to answer"));
        CHECK(find("Response rate 87%"));
        CHECK(find("Median first response 3 h 20 min"));
        CHECK(find("To answer", "text"));  // row badge
        CHECK(find("Answered", "text"));
        CHECK(find("Handled by Tomás Navarro"));
        CHECK(find("My sales network", "button"));
        for (const reg::Widget& w : reg::widgets()) {
            INFO(w.kind << " " << w.label);
            CHECK(w.x + w.w <= width + 0.5f);  // nothing runs off the right edge
        }
        // The "To answer" chip asks the server for those rows only.
        Effects chip_fx;
        action_inbox_filter(s, "to_answer", chip_fx);
        REQUIRE(chip_fx.calls.size() == 1);
        CHECK(chip_fx.calls[0].path == "/api/v1/requests?status=to_answer");
    }
}

TEST_CASE("no score: the response rate reads as a dash; buyers see no network button", "[network][registry]") {
    ImGuiFrames c(ImVec2(1280, 800));
    AppState s = manufacturer();
    s.inbox.score->response_rate = -1;
    s.inbox.score->median_first_response = -1;
    Effects fx;
    c.frame([&] { draw_app(s, fx, 1280, 800, 0); });
    CHECK(find("Response rate —"));
    CHECK(find("Median first response —"));

    s.inbox.me.role = "buyer";
    s.inbox.score.reset();
    c.frame([&] { draw_app(s, fx, 1280, 800, 0); });
    CHECK_FALSE(find("My sales network", "button"));
    CHECK_FALSE(find("Response rate —"));
}

TEST_CASE("network screen: members, switches, named buttons; fits a phone", "[network][registry]") {
    for (float width : {1280.f, 390.f}) {
        INFO(width);
        ImGuiFrames c(ImVec2(width, 844));
        AppState s = manufacturer();
        s.route = {Screen::Network, 0};
        Effects fx;
        for (int i = 0; i < 2; i++) c.frame([&] { draw_app(s, fx, width, 844, 0); });
        CHECK(find("My sales network", "heading"));
        CHECK_FALSE(find("My sales network", "button"));  // already there
        CHECK(find("Add member", "button"));
        CHECK(find("Zones: Spain, Portugal"));
        CHECK(find("Zones: France, Belgium, Morocco"));
        CHECK(find("Area manager", "text"));
        const reg::Widget* cc = find("Auto-CC for Tomás Navarro", "checkbox");
        REQUIRE(cc);
        CHECK(cc->checked);
        CHECK(cc->h >= 32);  // a finger's worth
        const reg::Widget* cc2 = find("Auto-CC for Claire Martin", "checkbox");
        REQUIRE(cc2);
        CHECK_FALSE(cc2->checked);
        CHECK(find("Remove Claire Martin", "button"));
        CHECK(find("Edit zones for Claire Martin", "button"));
        for (const reg::Widget& w : reg::widgets()) {
            INFO(w.kind << " " << w.label);
            CHECK(w.x + w.w <= width + 0.5f);
        }

        // The add form: labelled fields, role radios, auto-CC.
        s.network.add_open = true;
        s.network.add.error = "That e-mail address is not valid.";
        for (int i = 0; i < 2; i++) c.frame([&] { draw_app(s, fx, width, 844, 0); });
        for (const char* f : {"Name", "Company", "E-mail", "Zones (country codes)"}) {
            const reg::Widget* in = find(f, "input");
            REQUIRE(in);
            CHECK(in->x >= find("New sales-network member", "heading")->x);  // inside the form card
            CHECK(in->h >= 32);
        }
        const reg::Widget* name = find("Name", "input");
        const reg::Widget* company = find("Company", "input");
        CHECK((name->x + name->w <= company->x || name->y + name->h <= company->y));  // side by side or stacked
        const reg::Widget* dist = find("Distributor", "radio");
        REQUIRE(dist);
        CHECK(dist->checked);
        CHECK(find("Area manager", "radio"));
        CHECK(find("Auto-CC", "checkbox"));
        CHECK(find("That e-mail address is not valid.", "alert"));
        CHECK(find("Add member", "button"));
        CHECK(reg::mirror_json().find("\"kind\":\"radio\"") != std::string::npos);

        // Remove asks first.
        s.network.add_open = false;
        s.network.edits[8].confirm_remove = true;
        for (int i = 0; i < 2; i++) c.frame([&] { draw_app(s, fx, width, 844, 0); });
        CHECK(find("Remove Claire Martin from your sales network?", "alert"));
        CHECK(find("Yes, remove", "button"));
        CHECK_FALSE(find("Remove Claire Martin", "button"));
    }
}
