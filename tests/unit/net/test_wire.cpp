#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include "net/wire.h"

using namespace parley;

TEST_CASE("RequestDetail round-trips through JSON with UTF-8 intact", "[wire]") {
    RequestDetail d;
    d.id = 42;
    d.buyer = {7, "Zoë Müller", "Kältetechnik GmbH", "DE", "de", "buyer"};
    d.manufacturer_name = "Marta Iglesias";
    d.manufacturer_company = "Hidráulica Iberia";
    d.product = "Bomba de engranajes GP-40";
    d.message = "Guten Tag,\n„Preis“ für 40 Stück?";
    d.created = 1764000000123;
    Message m;
    m.id = 5; m.request_id = 42; m.conversation_id = 8; m.author_id = 1; m.author_name = "Marta";
    m.author_role = "manufacturer"; m.body = "Hola — 12 €"; m.created = 1764000001000;
    d.messages.push_back(m);
    std::string text = dump_json(d);
    RequestDetail back;
    std::string why;
    REQUIRE(parse_json(text, back, &why));
    CHECK(back.id == 42);
    CHECK(back.buyer.name == "Zoë Müller");
    CHECK(back.buyer.role == "buyer");
    CHECK(back.manufacturer_company == "Hidráulica Iberia");
    CHECK(back.message == d.message);
    REQUIRE(back.messages.size() == 1);
    CHECK(back.messages[0].body == "Hola — 12 €");
    CHECK(back.messages[0].created == 1764000001000);
    CHECK(dump_json(back) == text);
}

TEST_CASE("Inbox and EventBatch round-trip", "[wire]") {
    Inbox in;
    in.me = {1, "Marta", "HI", "ES", "es", "manufacturer"};
    in.unread = 3;
    in.cursor = 99;
    RequestSummary r;
    r.id = 3; r.unread = true; r.snippet = "¿Precio?"; r.message_count = 2;
    r.seller_name = "Marta"; r.seller_company = "Hidráulica Iberia";
    in.requests = {r};
    Inbox back;
    REQUIRE(parse_json(dump_json(in), back));
    CHECK(back.unread == 3);
    CHECK(back.cursor == 99);
    REQUIRE(back.requests.size() == 1);
    CHECK(back.requests[0].unread);
    CHECK(back.requests[0].snippet == "¿Precio?");
    CHECK(back.requests[0].seller_company == "Hidráulica Iberia");

    Event e;
    e.id = 10; e.request_id = 3; e.conversation_id = 8; e.message_id = 5; e.actor_id = 1; e.kind = "message";
    EventBatch b{{e}, 10};
    EventBatch bb;
    REQUIRE(parse_json(dump_json(b), bb));
    REQUIRE(bb.events.size() == 1);
    CHECK(bb.events[0].kind == "message");
    CHECK(bb.cursor == 10);
}

TEST_CASE("parse_json reports malformed and mistyped input instead of throwing", "[wire]") {
    NewMessage m;
    std::string why;
    CHECK_FALSE(parse_json("{not json", m, &why));
    CHECK(why == "malformed JSON");
    CHECK_FALSE(parse_json("[1,2]", m, &why));
    CHECK_FALSE(parse_json(R"({"body": 12})", m, &why));
    CHECK_FALSE(parse_json(R"({"text": "hi"})", m, &why));  // body is required
    REQUIRE(parse_json(R"({"body": "hola"})", m, &why));
    CHECK(m.body == "hola");
}

TEST_CASE("error bodies have the documented shape", "[wire]") {
    auto j = nlohmann::json::parse(error_body("not_found", "No such request"));
    CHECK(j["error"]["code"] == "not_found");
    CHECK(j["error"]["message"] == "No such request");
    ApiError e;
    REQUIRE(parse_json(error_body("x", "y"), e));
    CHECK(e.code == "x");
    CHECK(e.message == "y");
}

TEST_CASE("workflow shapes round-trip: conversations, events, permissions, score", "[wire]") {
    RequestDetail d;
    d.id = 7;
    d.phone = "+34 600 000 000";
    d.my_conversation = 11;
    Conversation c;
    c.id = 11;
    c.seller = {3, "Claire", "Hydrolec", "FR", "fr", kRoleDistributor};
    c.status = "declined";
    c.participants.push_back(Participant{{5, "Ana", "", "", "", kRoleGuest}, "cc", 3});
    c.rating = Rating{4, "Rápido", 99};
    c.other_read_id = 42;
    d.conversations.push_back(c);
    Event e;
    e.id = 9;
    e.kind = "forwarded";
    e.target_name = "Jonas";
    e.text = "Bitte übernehmen";
    e.value = 3;
    d.events.push_back(e);
    d.can.decline = true;
    RequestDetail back;
    REQUIRE(parse_json(dump_json(d), back));
    CHECK(dump_json(back) == dump_json(d));
    REQUIRE(back.conversations.size() == 1);
    CHECK(back.conversations[0].participants[0].via == "cc");
    CHECK(back.conversations[0].rating.comment == "Rápido");
    CHECK(back.events[0].text == "Bitte übernehmen");
    CHECK(back.can.decline);
    CHECK_FALSE(back.can.reply);

    Inbox in;
    CHECK(nlohmann::json::parse(dump_json(in)).count("score") == 0);  // buyers: no score key
    in.score = SellerScore{10, 7, 9, 78, 3600000};
    Inbox ib;
    REQUIRE(parse_json(dump_json(in), ib));
    REQUIRE(ib.score);
    CHECK(ib.score->response_rate == 78);
    CHECK(ib.score->median_first_response == 3600000);
}

TEST_CASE("dark mode: GET /me carries the theme beside the user's fields; Preferences round-trip", "[wire][theme]") {
    Me me{{1, "Marta", "HI", "ES", "es", "manufacturer"}, 0, kThemeDark};
    const nlohmann::json j = nlohmann::json::parse(dump_json(me));
    CHECK(j.at("name") == "Marta");
    CHECK(j.at("theme") == "dark");
    Me back;
    REQUIRE(parse_json(dump_json(me), back));
    CHECK(back.theme == "dark");
    Me old;  // an answer without the field: the default, "system"
    REQUIRE(parse_json(R"({"id":1,"name":"Marta"})", old));
    CHECK(old.theme == "system");
    Preferences p;
    REQUIRE(parse_json(R"({"theme":"light"})", p));
    CHECK(p.theme == "light");
    CHECK(dump_json(p) == R"({"theme":"light"})");
    CHECK(valid_theme("system"));
    CHECK(valid_theme("light"));
    CHECK(valid_theme("dark"));
    CHECK_FALSE(valid_theme("Dark"));
    CHECK_FALSE(valid_theme(""));
    CHECK_FALSE(valid_theme("auto"));
}
