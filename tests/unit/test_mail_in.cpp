// Inbound replies (issue 6): the pure helpers of server/mail_in.h — envelope recipients
// from the header block, the relay recipient among candidates, the deduplication key.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "server/mail_in.h"
#include "server/relay.h"

using namespace parley::server;

namespace {
RelayKey test_key(unsigned char b) {
    RelayKey k{};
    for (auto& c : k) c = b;
    return k;
}
}  // namespace

TEST_CASE("mail_in: Delivered-To and X-Original-To of the top header block only", "[mail_in]") {
    std::string raw =
        "Return-Path: <a@b.example>\r\n"
        "Delivered-To: <r+abc@relay.example>\r\n"
        "X-Original-To:\r\n  R+Def@Relay.Example\r\n"
        "Subject: hi\r\n"
        "\r\n"
        "Delivered-To: body@not.header\r\n";
    auto v = mail_envelope_recipients(raw);
    REQUIRE(v == std::vector<std::string>{"r+abc@relay.example", "R+Def@Relay.Example"});
    CHECK(mail_envelope_recipients("").empty());
    CHECK(mail_envelope_recipients("no colon here\n\nDelivered-To: x@y").empty());
    CHECK(mail_envelope_recipients("Delivered-To: x@y").size() == 1);  // no body, LF only
}

TEST_CASE("mail_in: the relay recipient verifies its token, any domain and case", "[mail_in]") {
    RelayKey k = test_key(3), other = test_key(4);
    std::string tok = relay_token(k, 12, 34);
    bool saw = true;
    CHECK_FALSE(find_relay_recipient(k, {"sales@x.example", "a@b"}, &saw));
    CHECK_FALSE(saw);
    std::string upper = "R+" + tok + "@RELAY.EXAMPLE";
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    auto id = find_relay_recipient(k, {"sales@x.example", upper}, &saw);
    REQUIRE(id);
    CHECK(saw);
    CHECK(id->conversation_id == 12);
    CHECK(id->user_id == 34);
    // Signed with another key, or altered: seen but refused.
    CHECK_FALSE(find_relay_recipient(other, {"r+" + tok + "@relay.example"}, &saw));
    CHECK(saw);
    std::string forged = tok;
    forged[3] = forged[3] == 'a' ? 'b' : 'a';
    CHECK_FALSE(find_relay_recipient(k, {"r+" + forged + "@relay.example"}, &saw));
    // The first valid one wins over a forged one before it.
    auto second = find_relay_recipient(k, {"r+" + forged + "@d", "r+" + tok + "@d"}, &saw);
    REQUIRE(second);
    CHECK(second->user_id == 34);
    CHECK_FALSE(find_relay_recipient(k, {"r+@d", "@", "", "r+"}, nullptr));
}

TEST_CASE("mail_in: the deduplication key", "[mail_in]") {
    CHECK(mail_in_key("abc@x", "raw") == "abc@x");
    CHECK(mail_in_key("  abc@x ", "raw") == "abc@x");
    std::string h = mail_in_key("", "raw one");
    CHECK(h.rfind("sha256:", 0) == 0);
    CHECK(h.size() == 7 + 64);
    CHECK(h == mail_in_key("", "raw one"));
    CHECK(h != mail_in_key("", "raw two"));
    CHECK(mail_in_key(std::string(600, 'x'), "r").rfind("sha256:", 0) == 0);
}
