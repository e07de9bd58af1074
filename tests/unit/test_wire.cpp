#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include "net/wire.h"

using namespace parley;

TEST_CASE("RequestDetail round-trips through JSON with UTF-8 intact", "[wire]") {
    RequestDetail d;
    d.id = 42;
    d.buyer = {7, "Zoë Müller", "Kältetechnik GmbH", "DE", "de", "buyer"};
    d.manufacturer_name = "Hidráulica Iberia";
    d.product = "Bomba de engranajes GP-40";
    d.message = "Guten Tag,\n„Preis“ für 40 Stück?";
    d.created = 1764000000123;
    d.messages.push_back({5, 42, 1, "Marta", "manufacturer", "Hola — 12 €", 1764000001000});
    std::string text = dump_json(d);
    RequestDetail back;
    std::string why;
    REQUIRE(parse_json(text, back, &why));
    CHECK(back.id == 42);
    CHECK(back.buyer.name == "Zoë Müller");
    CHECK(back.buyer.role == "buyer");
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
    in.requests = {r};
    Inbox back;
    REQUIRE(parse_json(dump_json(in), back));
    CHECK(back.unread == 3);
    CHECK(back.cursor == 99);
    REQUIRE(back.requests.size() == 1);
    CHECK(back.requests[0].unread);
    CHECK(back.requests[0].snippet == "¿Precio?");

    EventBatch b{{{10, 3, 5, 1, "message", 123}}, 10};
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
