// Inbound replies: the pure helpers of server/mail/inbound.h — envelope recipients
// from the header block, the relay recipient among candidates, the deduplication key.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "server/mail/header_block.h"
#include "server/mail/inbound.h"
#include "server/mail/relay.h"
#include "server/mail/texts.h"

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

TEST_CASE("mail_in: the top header walker unfolds wanted fields, bounds them and stops on request", "[mail_in]") {
    std::string raw =
        "A: one\r\n"
        "B: two\r\n\tcontinued\r\n"
        "a: three\n"
        " x\r\n"
        "\r\n"
        "A: body\r\n";
    std::vector<std::string> seen;
    for_each_top_header(raw, {"a"}, 100, [&](std::string_view name, const std::string& v) {
        CHECK(name == "a");
        seen.push_back(v);
        return true;
    });
    CHECK(seen == std::vector<std::string>{" one", " three x"});
    seen.clear();
    for_each_top_header(raw, {"a", "b"}, 100, [&](std::string_view, const std::string& v) {
        seen.push_back(v);
        return seen.size() < 2;  // stop after the second
    });
    CHECK(seen == std::vector<std::string>{" one", " two\tcontinued"});
    seen.clear();
    for_each_top_header("B: 0123456789\r\n 0123456789\r\n", {"b"}, 12, [&](std::string_view, const std::string& v) {
        seen.push_back(v);
        return true;
    });
    CHECK(seen == std::vector<std::string>{" 0123456789"});  // the continuation would pass the bound
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

// ---------------------------------------------------------------- the domain

#include <filesystem>

#include "server/domain/change_watch.h"
#include "server/mail/outbox.h"
#include "tests/unit/server/domain_fixture.h"

namespace {

using parley::Message;
using parley::Millis;
using parley::User;

// A buyer and a manufacturer with addresses, one request, the domain with inbound mail
// on, and one outbound mail to the buyer in the manufacturer's conversation.
struct MailWorld : parley::server::testing::TempDomain {
    RelayKey key = test_key(7);
    User buyer, maker, stranger;
    int64_t rid = 0, cid = 0;
    std::filesystem::path files;
    const std::string buyer_mail = "Javier.Morales@Buyer.Example";
    const std::string out_id = "out-1.abc@relay.example";

    User user_with_mail(const std::string& name, const std::string& role, const std::string& email) {
        UserRecord u;
        u.name = name;
        u.role = role;
        u.email = email;
        u.id = store->add_user(u);
        return u.to_wire();
    }

    MailWorld() : TempDomain("mail-in", 1'000'000'000) {
        buyer = user_with_mail("Javier Morales", parley::kRoleBuyer, buyer_mail);
        maker = user_with_mail("Marta Iglesias", parley::kRoleManufacturer, "marta@maker.example");
        stranger = user_with_mail("Other Buyer", parley::kRoleBuyer, "other@buyer.example");
        rid = add_request(buyer, maker, "Pump", "Need pumps", "ES", "es", now - 1000);
        cid = store->request_data(rid)->conversations.at(0).id;
        start_domain();
        files = sibling(".files");
        domain->set_files_dir(files.string());
        domain->set_mail_in(key, stores.mail_in.get(), "relay.example");
        domain->set_mail_authserv_id("mx.test");  // the verdict of our own receiving MTA
        OutboxStore& out = *stores.outbox;
        OutboxRow row;
        row.to_address = buyer_mail;
        row.to_user_id = buyer.id;
        row.kind = "reply";
        row.request_id = rid;
        row.conversation_id = cid;
        row.message_id = "<" + out_id + ">";
        row.raw = "x";
        row.status = kOutDevMailbox;
        row.created = now;
        out.add(row);
    }
    ~MailWorld() {
        std::error_code ec;
        std::filesystem::remove_all(files, ec);
    }

    static std::string mail(const std::string& from, const std::string& to, const std::string& headers,
                            const std::string& body, const std::string& id) {
        return "Authentication-Results: mx.test; dmarc=pass header.from=" + from.substr(from.find('@') + 1) +
               "\r\nFrom: Javier <" + from + ">\r\nTo: " + to + "\r\nSubject: Re: Pump\r\nMessage-ID: <" + id +
               ">\r\n" + headers + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body +
               "\r\n";
    }
    std::vector<Message> messages() { return store->request_data(rid)->messages; }
};

}  // namespace

TEST_CASE("mail_in: thread candidates: In-Reply-To, then References newest first", "[mail_in]") {
    CHECK(mail_thread_candidates("a@x", {"r1@x", "r2@x", "a@x"}) == std::vector<std::string>{"a@x", "r2@x", "r1@x"});
    CHECK(mail_thread_candidates("", {"r1@x", "", " r2@x "}) == std::vector<std::string>{"r2@x", "r1@x"});
    CHECK(mail_thread_candidates("", {}).empty());
}

TEST_CASE("mail_in: mask_address replaces every case variant, nothing else", "[mail_in]") {
    CHECK(mask_address("From: <J.M@X.org>\r\nj.m@x.org wrote; jj.m@x.orgg", "j.m@x.org", "r+t@relay") ==
          "From: <r+t@relay>\r\nr+t@relay wrote; jr+t@relayg");
    CHECK(mask_address("abc", "", "z") == "abc");
    CHECK(refused_attachment_note("x.exe", "type not allowed") == "[attachment \"x.exe\" not accepted: type not allowed]");
}

TEST_CASE("mail_in: every relay address is masked, whoever it belongs to", "[mail_in]") {
    const std::string h = "address-hidden@relay.example";
    CHECK(mask_relay_addresses("To: \"Parley\" <r+AbC_12-x@relay.example>\r\nCc: r+zz@RELAY.Example", h) ==
          "To: \"Parley\" <" + h + ">\r\nCc: " + h);
    // Any domain: e-mail in finds a token under any domain.
    CHECK(mask_relay_addresses("r+abc@other.example.org, x", h) == h + ", x");
    // Not relay addresses: a local part that only ends in r+, no token, no domain.
    const std::string keep = "bar+r+t@relay.example r+@relay.example r+t@ mr+t@x.example";
    CHECK(mask_relay_addresses(keep, h) == keep);
    CHECK(mask_relay_addresses("", h).empty());
}

TEST_CASE("mail_in: threading by In-Reply-To / References against our outbox, From checked", "[mail_in]") {
    MailWorld w;
    // To our From address (no relay address anywhere): In-Reply-To names our mail.
    auto r = w.domain->receive_mail(
        MailWorld::mail(w.buyer_mail, "parley@relay.example", "In-Reply-To: <" + w.out_id + ">\r\n", "Forty, please.",
                        "in-1@buyer.example"));
    REQUIRE(r.status == kMailInPosted);
    CHECK(r.conversation_id == w.cid);
    CHECK(r.user_id == w.buyer.id);
    auto msgs = w.messages();
    REQUIRE(msgs.size() == 1);
    CHECK(msgs[0].body == "Forty, please.");
    CHECK(msgs[0].author_id == w.buyer.id);
    CHECK(msgs[0].via_email);

    // Only References (newest last in the header), an unknown In-Reply-To before it.
    r = w.domain->receive_mail(MailWorld::mail(
        w.buyer_mail, "parley@relay.example",
        "In-Reply-To: <unknown@else>\r\nReferences: <" + w.out_id + "> <older@else>\r\n", "Fifty.", "in-2@b"));
    CHECK(r.status == kMailInPosted);
    // The same mail again: one post.
    r = w.domain->receive_mail(MailWorld::mail(
        w.buyer_mail, "parley@relay.example",
        "In-Reply-To: <unknown@else>\r\nReferences: <" + w.out_id + "> <older@else>\r\n", "Fifty.", "in-2@b"));
    CHECK(r.status == kMailInDuplicate);
    CHECK(w.messages().size() == 2);

    // The user the mail went to must be the sender.
    r = w.domain->receive_mail(MailWorld::mail("marta@maker.example", "parley@relay.example",
                                               "In-Reply-To: <" + w.out_id + ">\r\n", "Not me.", "in-3@b"));
    CHECK(r.status == kMailInRefused);
    CHECK(r.reason == "sender_mismatch");
    // Never by subject: same subject, no known id.
    r = w.domain->receive_mail(MailWorld::mail(w.buyer_mail, "parley@relay.example",
                                               "In-Reply-To: <nothing@else>\r\n", "Subject only.", "in-4@b"));
    CHECK(r.reason == "no_relay_address");
    // A forged relay address is refused even when In-Reply-To would thread.
    std::string tok = relay_token(w.key, w.cid, w.buyer.id);
    tok[5] = tok[5] == 'a' ? 'b' : 'a';
    r = w.domain->receive_mail(MailWorld::mail(w.buyer_mail, "r+" + tok + "@relay.example",
                                               "In-Reply-To: <" + w.out_id + ">\r\n", "Forged.", "in-5@b"));
    CHECK(r.reason == "invalid_relay_address");
    CHECK(w.messages().size() == 2);
}

TEST_CASE("mail_in: a reply that stripping would empty is posted whole, an empty one refused", "[mail_in]") {
    MailWorld w;
    std::string relay = relay_address(w.key, w.cid, w.buyer.id, "relay.example");
    // Typed below unquoted history: posted whole under the note.
    auto r = w.domain->receive_mail(MailWorld::mail(
        w.buyer_mail, relay, "",
        "Am 04.03.24 um 10:15 schrieb Marta:\r\n\r\nWann liefern Sie?\r\n\r\nNext week.", "whole@b"));
    REQUIRE(r.status == kMailInPosted);
    auto msgs = w.messages();
    REQUIRE(msgs.size() == 1);
    CHECK(msgs[0].body == mail_t(w.buyer.language, "mail_in_whole_note") +
                              "\n\nAm 04.03.24 um 10:15 schrieb Marta:\n\nWann liefern Sie?\n\nNext week.");
    // The note is in the author's language (it heads their message).
    CHECK(mail_t("de", "mail_in_whole_note") != mail_t("en", "mail_in_whole_note"));
    CHECK(mail_t("de", "mail_in_whole_note").rfind("[Die ganze E-Mail", 0) == 0);
    // Only the quote and its attribution, or only a phone signature: nothing was written.
    r = w.domain->receive_mail(MailWorld::mail(w.buyer_mail, relay, "",
                                               "On Mon, Mar 4, 2024 at 10:15 AM Marta <m@x.example> wrote:\r\n> Price?",
                                               "quote-only@b"));
    CHECK(r.reason == "empty_message");
    r = w.domain->receive_mail(MailWorld::mail(w.buyer_mail, relay, "", "Sent from my iPhone", "sig-only@b"));
    CHECK(r.reason == "empty_message");
    CHECK(w.messages().size() == 1);
}

TEST_CASE("mail_in: the envelope recipient is the relay address when the headers lack it", "[mail_in]") {
    MailWorld w;
    std::string relay = relay_address(w.key, w.cid, w.buyer.id, "relay.example");
    std::string raw = MailWorld::mail(w.buyer_mail, "undisclosed-recipients:;", "", "Via the envelope.", "env@b");
    CHECK(w.domain->receive_mail(raw).reason == "no_relay_address");
    auto r = w.domain->receive_mail(raw, {relay});
    REQUIRE(r.status == kMailInPosted);
    CHECK(r.conversation_id == w.cid);
}

TEST_CASE("mail_in: attachments become the message's, refused ones are named in a note", "[mail_in]") {
    MailWorld w;
    std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + std::string(100, '\x01');
    std::string raw =
        "Authentication-Results: mx.test; dkim=pass header.d=buyer.example\r\nFrom: " + w.buyer_mail + "\r\nTo: " + relay_address(w.key, w.cid, w.buyer.id, "relay.example") +
        "\r\nSubject: drawings\r\nMessage-ID: <att@b>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n"
        "--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe drawing is attached.\r\n"
        "--XX\r\nContent-Type: image/png; name=\"drawing.png\"\r\nContent-Disposition: attachment; "
        "filename=\"drawing.png\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
        std::string("iVBORw0KGgo=") + "\r\n"  // placeholder, replaced below
        "--XX\r\nContent-Type: application/octet-stream; name=\"setup.exe\"\r\nContent-Disposition: attachment; "
        "filename=\"setup.exe\"\r\nContent-Transfer-Encoding: base64\r\n\r\nTVqQAAMAAAAEAAAA//8AALgAAAA=\r\n"
        "--XX--\r\n";
    // The PNG part in base64.
    static const char* b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string enc;
    for (size_t i = 0; i < png.size(); i += 3) {
        unsigned v = static_cast<unsigned char>(png[i]) << 16;
        if (i + 1 < png.size()) v |= static_cast<unsigned char>(png[i + 1]) << 8;
        if (i + 2 < png.size()) v |= static_cast<unsigned char>(png[i + 2]);
        enc += b64[(v >> 18) & 63];
        enc += b64[(v >> 12) & 63];
        enc += i + 1 < png.size() ? b64[(v >> 6) & 63] : '=';
        enc += i + 2 < png.size() ? b64[v & 63] : '=';
    }
    raw.replace(raw.find("iVBORw0KGgo="), 12, enc);
    auto r = w.domain->receive_mail(raw);
    REQUIRE(r.status == kMailInPosted);
    auto msgs = w.messages();
    REQUIRE(msgs.size() == 1);
    CHECK(msgs[0].body == "The drawing is attached.\n\n[attachment \"setup.exe\" not accepted: type not allowed]");
    auto d = w.domain->detail(w.maker, w.rid);
    REQUIRE(d);
    REQUIRE(d->messages.size() == 1);
    REQUIRE(d->messages[0].attachments.size() == 1);
    CHECK(d->messages[0].attachments[0].name == "drawing.png");
    CHECK(d->messages[0].attachments[0].type == kTypePng);
    CHECK(d->messages[0].attachments[0].size == static_cast<int64_t>(png.size()));
    auto dl = w.domain->download(w.maker, d->messages[0].attachments[0].id);  // the other side may open it
    CHECK(dl);
}

TEST_CASE("mail_in: the original mail, the author's address and every relay address hidden from others", "[mail_in]") {
    MailWorld w;
    std::string relay = relay_address(w.key, w.cid, w.buyer.id, "relay.example");
    std::string raw = MailWorld::mail(w.buyer_mail, relay, "Return-Path: <javier.morales@buyer.example>\r\n",
                                      "Regards, javier.morales@BUYER.example", "orig@b");
    auto r = w.domain->receive_mail(raw);
    REQUIRE(r.status == kMailInPosted);
    auto mine = w.domain->original_mail(w.buyer, r.message_id);
    REQUIRE(mine);
    CHECK(*mine == raw);  // the author sees it as sent
    auto theirs = w.domain->original_mail(w.maker, r.message_id);
    REQUIRE(theirs);
    CHECK(theirs->find("uyer.example") == std::string::npos);
    CHECK(theirs->find("UYER.EXAMPLE") == std::string::npos);
    CHECK(theirs->find("uyer.Example") == std::string::npos);
    CHECK(theirs->find("Regards, address-hidden@relay.example") != std::string::npos);
    CHECK(theirs->find(relay) == std::string::npos);  // the buyer's relay address (To:) is a credential
    CHECK(theirs->find("r+") == std::string::npos);
    // Not visible, not from mail, no such message: 404 alike.
    auto other = w.domain->original_mail(w.stranger, r.message_id);
    REQUIRE_FALSE(other);
    CHECK(other.error.status == 404);
    const std::string key = "k1";
    auto typed = w.domain->post_message(w.maker, w.rid, &key, R"({"body":"typed"})");
    REQUIRE(typed);
    CHECK_FALSE(typed->message.via_email);
    CHECK(w.domain->original_mail(w.maker, typed->message.id).error.status == 404);
    CHECK(w.domain->original_mail(w.maker, 999999).error.status == 404);
}

TEST_CASE("mail_in: a post by another process reaches this process's long-poll (ChangeWatch)", "[mail_in]") {
    MailWorld w;
    ChangeWatch watch(*w.stores.changes, *w.domain);
    CHECK_FALSE(watch.check_once());  // nothing changed yet
    // Marta waits for events; her detail is cached.
    REQUIRE(w.domain->detail_json(w.maker, w.rid));
    std::shared_ptr<const std::string> answer;
    auto now = w.domain->poll_events(w.maker, w.hub->last_id(), Hub::Clock::now() + std::chrono::seconds(30),
                                     [&](Hub::Body b) { answer = std::move(b); });
    REQUIRE_FALSE(now);  // held
    // "Another process": its own store, hub and domain on the same file.
    {
        Stores other = w.db.open();
        Hub hub2(other.main->max_event_id());
        Domain d2(*other.main, hub2, [&] { return w.now; });
        d2.set_mail_in(w.key, other.mail_in.get(), "relay.example");
        d2.set_mail_authserv_id("mx.test");
        auto r = d2.receive_mail(MailWorld::mail(w.buyer_mail, relay_address(w.key, w.cid, w.buyer.id, "x"), "",
                                                 "From the other process.", "proc@b"));
        REQUIRE(r.status == kMailInPosted);
    }
    CHECK_FALSE(answer);  // this process has not looked yet
    CHECK(watch.check_once());
    REQUIRE(answer);
    CHECK(answer->find("\"kind\":\"message\"") != std::string::npos);
    // The cached detail was dropped: the message is there, marked as from e-mail.
    auto d = w.domain->detail_json(w.maker, w.rid);
    REQUIRE(d);
    CHECK((*d)->find("From the other process.") != std::string::npos);
    CHECK((*d)->find("\"via_email\":true") != std::string::npos);
    CHECK_FALSE(watch.check_once());
}

TEST_CASE("mail_in: a reply without the trusted verdict is held for its owner, who posts or discards it",
          "[mail_in]") {
    MailWorld w;
    const std::string to = relay_address(w.key, w.cid, w.buyer.id, "relay.example");
    // The forger writes the buyer's From and even a verdict under another host's name.
    std::string forged = "Authentication-Results: gmail.com; dmarc=pass header.from=buyer.example\r\nFrom: " +
                         w.buyer_mail + "\r\nTo: " + to +
                         "\r\nSubject: Re: Pump\r\nMessage-ID: <forged@b>\r\n\r\nSend them to another address.\r\n";
    auto r = w.domain->receive_mail(forged);
    REQUIRE(r.status == kMailInHeld);
    CHECK(r.reason == "no_trusted_results");
    CHECK(w.messages().empty());
    CHECK(w.domain->receive_mail(forged).status == kMailInHeld);  // the same mail again: still one
    auto mine = w.domain->detail(w.buyer, w.rid);
    REQUIRE(mine);
    REQUIRE(mine->held_replies.size() == 1);
    const parley::HeldReply h = mine->held_replies[0];
    CHECK(h.preview == "Send them to another address.");
    CHECK(h.reason == "no_trusted_results");
    CHECK(w.domain->detail(w.maker, w.rid)->held_replies.empty());  // nobody else sees it
    CHECK(w.domain->post_held_reply(w.maker, h.id).error.status == 404);
    CHECK(w.domain->discard_held_reply(w.stranger, h.id).error.status == 404);
    // The owner posts it: their message, once.
    auto posted = w.domain->post_held_reply(w.buyer, h.id);
    REQUIRE(posted);
    CHECK(posted->held_replies.empty());
    REQUIRE(w.messages().size() == 1);
    CHECK(w.messages()[0].body == "Send them to another address.");
    CHECK(w.messages()[0].author_id == w.buyer.id);
    CHECK(w.domain->post_held_reply(w.buyer, h.id).error.code == "not_held");
    CHECK(w.domain->discard_held_reply(w.buyer, h.id).error.code == "not_held");
    // A second one, discarded: nothing posted.
    std::string second = forged;
    second.replace(second.find("forged@b"), 8, "forged2@b");
    REQUIRE(w.domain->receive_mail(second).status == kMailInHeld);
    auto d = w.domain->detail(w.buyer, w.rid);
    REQUIRE(d->held_replies.size() == 1);
    REQUIRE(w.domain->discard_held_reply(w.buyer, d->held_replies[0].id));
    CHECK(w.messages().size() == 1);
    CHECK(w.domain->detail(w.buyer, w.rid)->held_replies.empty());
    // The development mailbox's reply is proven by the session.
    MailInOrigin signed_in;
    signed_in.signed_in = true;
    second.replace(second.find("forged2@b"), 9, "forged3@b");
    CHECK(w.domain->receive_mail(second, {}, signed_in).status == kMailInPosted);
}

TEST_CASE("mail_in: mask_domain replaces a domain standing alone or ending a host name", "[mail_in]") {
    CHECK(mask_domain("header.from=Buyer.Example; from mail.buyer.example (x); d=buyer.example.", "buyer.example",
                      "hidden.invalid") ==
          "header.from=hidden.invalid; from mail.hidden.invalid (x); d=hidden.invalid.");
    CHECK(mask_domain("notbuyer.example buyer.examples", "buyer.example", "h") == "notbuyer.example buyer.examples");
    CHECK(mask_domain("x", "", "h") == "x");
}
