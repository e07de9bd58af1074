// Outbound e-mail: composition (exact header encodings, bodies decode back),
// relay addresses, SMTP reply classification, the retry schedule and the outbox rows.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/unit/server/domain_fixture.h"
#include "server/mail/compose.h"
#include "server/mail/outbox.h"
#include "server/mail/relay.h"
#include "server/mail/smtp.h"
#include "server/store/store.h"
#include "server/base/text.h"

using namespace parley;
using namespace parley::server;

namespace {

std::string unbase64(std::string_view s) {
    auto val = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+') return 62;
        if (c == '/') return 63;
        return -1;
    };
    std::string out;
    uint32_t buf = 0;
    int bits = 0;
    for (char c : s) {
        int v = val(c);
        if (v < 0) continue;
        buf = (buf << 6) | static_cast<uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            out += static_cast<char>((buf >> (bits - 8)) & 0xff);
            bits -= 8;
        }
    }
    return out;
}

std::string unqp(std::string_view s) {  // CRLF → \n, soft breaks removed
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '=' && i + 2 < s.size() && s[i + 1] == '\r' && s[i + 2] == '\n') {
            i += 2;
        } else if (s[i] == '=' && i + 2 < s.size()) {
            out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else if (s[i] == '\r') {
        } else {
            out += s[i];
        }
    }
    return out;
}

// Decodes "=?UTF-8?B?...?=" words separated by whitespace.
std::string decode_words(std::string_view v) {
    std::string out;
    size_t i = 0;
    while ((i = v.find("=?UTF-8?B?", i)) != std::string_view::npos) {
        size_t end = v.find("?=", i + 10);
        out += unbase64(v.substr(i + 10, end - i - 10));
        i = end + 2;
    }
    return out;
}

std::string header_value(const std::string& raw, const std::string& name) {
    size_t p = raw.find("\r\n" + name + ": ");
    if (p == std::string::npos) return raw.rfind(name + ": ", 0) == 0 ? raw.substr(name.size() + 2, raw.find("\r\n") - name.size() - 2) : "";
    p += name.size() + 4;
    std::string v;
    for (;;) {
        size_t e = raw.find("\r\n", p);
        v += raw.substr(p, e - p);
        if (raw[e + 2] != ' ' && raw[e + 2] != '\t') break;
        p = e + 2;
    }
    return v;
}

void check_lines(const std::string& raw, size_t max) {
    size_t start = 0;
    while (start < raw.size()) {
        size_t e = raw.find("\r\n", start);
        REQUIRE(e != std::string::npos);  // every line CRLF-terminated
        INFO(raw.substr(start, e - start));
        CHECK(e - start <= max);
        CHECK(raw.substr(start, e - start).find('\n') == std::string::npos);
        start = e + 2;
    }
}

RelayKey key_of(unsigned char b) {
    RelayKey k{};
    k.fill(b);
    return k;
}

using testing::TempStore;

}  // namespace

TEST_CASE("mail_out: header encodings", "[mail_out]") {
    CHECK(encode_header_text("Re: Bomba hidraulica") == "Re: Bomba hidraulica");
    CHECK(encode_header_text("Re: Bomba centrífuga") == "=?UTF-8?B?UmU6IEJvbWJhIGNlbnRyw61mdWdh?=");
    CHECK(encode_header_text("looks =?like?= a word") != "looks =?like?= a word");
    CHECK(encode_header_text("a\r\nBcc: x@y") == "a  Bcc: x@y");  // no header injection
    CHECK(format_address({"José Núñez", "jose@example.es"}) == "=?UTF-8?B?Sm9zw6kgTsO6w7Fleg==?= <jose@example.es>");
    CHECK(format_address({"Ana Ruiz", "ana@example.es"}) == "Ana Ruiz <ana@example.es>");
    CHECK(format_address({"Ruiz, Ana", "ana@example.es"}) == "\"Ruiz, Ana\" <ana@example.es>");
    CHECK(format_address({"A \"B\" C.", "a@b"}) == "\"A \\\"B\\\" C.\" <a@b>");
    CHECK(format_address({"", "a@b"}) == "a@b");
    CHECK(rfc5322_date(1795757925000) == "Fri, 27 Nov 2026 05:38:45 +0000");
    // A long non-ASCII subject: several words of ≤ 36 bytes, none splitting a character.
    std::string s = "Ünïcödé € — 日本語 テキスト test subject that is long enough";
    std::string e = encode_header_text(s);
    CHECK(e.find(' ') != std::string::npos);
    CHECK(decode_words(e) == s);
    size_t i = 0;
    while ((i = e.find("=?UTF-8?B?", i)) != std::string::npos) {
        size_t end = e.find("?=", i + 10);
        CHECK(end - i + 2 <= 60);
        std::string bytes = unbase64(e.substr(i + 10, end - i - 10));
        CHECK((static_cast<unsigned char>(bytes[0]) & 0xC0) != 0x80);  // starts on a character
        i = end;
    }
}

TEST_CASE("mail_out: quoted-printable round trip and line lengths", "[mail_out]") {
    std::string accents;
    for (int i = 0; i < 100; ++i) accents += "é";
    std::string text = "Hola José,\n\nprecio: 1.234,50 € = OK \n.\nFrom here on\n" + std::string(200, 'x') + "\n" +
                       accents + "\ntab\tend\t";
    std::string qp = quoted_printable(text);
    check_lines(qp, 76);
    CHECK(unqp(qp) == text + "\n");
    CHECK(qp.find("\r\n.\r\n") == std::string::npos);  // "." lines encoded (SMTP)
    CHECK(qp.find("\r\nFrom ") == std::string::npos);
    CHECK(qp.find("OK=20\r\n") != std::string::npos);   // trailing space kept visible
    CHECK(unbase64(base64_lines(text)) == text);
    check_lines(base64_lines(text), 76);
    // The worst case for the encoder's buffer: every byte encoded, one long line; and
    // nothing at all.
    const std::string all_encoded(5000, '=');
    const std::string wqp = quoted_printable(all_encoded);
    check_lines(wqp, 76);
    CHECK(unqp(wqp) == all_encoded + "\n");
    CHECK(quoted_printable("") == "\r\n");
}

TEST_CASE("mail_out: a composed message", "[mail_out]") {
    ComposeInput in;
    in.from = {"Marta Iglesias via Parley", "parley@example.com"};
    in.to = {"José Núñez", "jose@example.es"};
    in.reply_to = "r+abc@relay.example.com";
    in.subject = "Re: Bomba centrífuga";
    in.text = "Precio: 1.200 €\nPlazo: 3 semanas";
    in.html = "<p>Precio: <b>1.200 €</b></p>";
    in.message_id = "<m1@relay.example.com>";
    in.in_reply_to = "<c1.u2@relay.example.com>";
    in.references = {"<c1.u2@relay.example.com>"};
    in.auto_submitted = true;
    in.date_ms = 1795757925000;
    in.boundary = "=_parley_test";
    std::string raw = compose_message(in);
    check_lines(raw, 78);
    CHECK(header_value(raw, "From") == "Marta Iglesias via Parley <parley@example.com>");
    CHECK(header_value(raw, "To") == "=?UTF-8?B?Sm9zw6kgTsO6w7Fleg==?= <jose@example.es>");
    CHECK(header_value(raw, "Reply-To") == "r+abc@relay.example.com");
    CHECK(header_value(raw, "Subject") == "=?UTF-8?B?UmU6IEJvbWJhIGNlbnRyw61mdWdh?=");
    CHECK(header_value(raw, "Date") == "Fri, 27 Nov 2026 05:38:45 +0000");
    CHECK(header_value(raw, "Message-ID") == "<m1@relay.example.com>");
    CHECK(header_value(raw, "In-Reply-To") == "<c1.u2@relay.example.com>");
    CHECK(header_value(raw, "References") == "<c1.u2@relay.example.com>");
    CHECK(header_value(raw, "Auto-Submitted") == "auto-generated");
    CHECK(header_value(raw, "MIME-Version") == "1.0");
    CHECK(header_value(raw, "Content-Type") == "multipart/alternative; boundary=\"=_parley_test\"");
    // Both parts decode back.
    size_t t = raw.find("--=_parley_test\r\nContent-Type: text/plain; charset=UTF-8");
    size_t h = raw.find("--=_parley_test\r\nContent-Type: text/html; charset=UTF-8");
    size_t end = raw.find("--=_parley_test--\r\n");
    REQUIRE(t != std::string::npos);
    REQUIRE(h != std::string::npos);
    REQUIRE(end != std::string::npos);
    auto body_of = [&](size_t from, size_t to) {
        size_t b = raw.find("\r\n\r\n", from) + 4;
        return unqp(raw.substr(b, to - b));
    };
    CHECK(body_of(t, h) == in.text + "\n");
    CHECK(body_of(h, end) == in.html + "\n");
    // Many references fold within 78 columns.
    for (int i = 0; i < 10; ++i) in.references.push_back("<abcdefghijklmnopqrstuvwxyz" + std::to_string(i) + "@relay.example.com>");
    check_lines(compose_message(in), 78);
    // Text only without HTML; a fresh Message-ID is random.
    in.html.clear();
    CHECK(header_value(compose_message(in), "Content-Type") == "text/plain; charset=UTF-8");
    std::string a = new_message_id("relay.example.com"), b = new_message_id("relay.example.com");
    CHECK(a != b);
    CHECK(a.front() == '<');
    CHECK(a.find("@relay.example.com>") == a.size() - 19);
    CHECK(html_escape("<a href=\"x\">&'</a>\n", true) == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;<br>\n");
}

TEST_CASE("mail_out: relay tokens", "[mail_out]") {
    RelayKey k = key_of(7), other = key_of(8);
    std::string t = relay_token(k, 42, 1234567);
    CHECK(t.size() == 32);
    for (char c : t) CHECK(((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7')));
    auto id = verify_relay_token(k, t);
    REQUIRE(id);
    CHECK(id->conversation_id == 42);
    CHECK(id->user_id == 1234567);
    CHECK(relay_token(k, 42, 1234567) == t);           // deterministic
    CHECK(relay_token(k, 42, 1234568) != t);
    CHECK_FALSE(verify_relay_token(other, t));         // wrong key
    for (size_t i = 0; i < t.size(); ++i) {            // any changed character is rejected
        std::string bad = t;
        bad[i] = bad[i] == 'a' ? 'b' : 'a';
        CHECK_FALSE(verify_relay_token(k, bad));
    }
    CHECK_FALSE(verify_relay_token(k, t.substr(1)));
    CHECK_FALSE(verify_relay_token(k, ""));
    CHECK_FALSE(verify_relay_token(k, std::string(32, '!')));
    std::string upper = t;
    for (char& c : upper) c = static_cast<char>(toupper(c));
    REQUIRE(verify_relay_token(k, upper));             // case-insensitive
    CHECK(verify_relay_token(k, upper)->user_id == 1234567);
    CHECK(relay_token(k, 0, 1).empty());
    CHECK(relay_token(k, int64_t(1) << 40, 1).empty());

    std::string addr = relay_address(k, 42, 7, "relay.example.com");
    CHECK(addr == "r+" + relay_token(k, 42, 7) + "@relay.example.com");
    auto p = parse_relay_address(k, "R+" + upper.substr(0, 0) + relay_token(k, 42, 7) + "@Relay.Example.COM",
                                 "relay.example.com");
    REQUIRE(p);
    CHECK(p->conversation_id == 42);
    CHECK_FALSE(parse_relay_address(k, addr, "other.example.com"));
    CHECK_FALSE(parse_relay_address(k, "x+" + relay_token(k, 42, 7) + "@relay.example.com", "relay.example.com"));

    CHECK(relay_key_from_hex(std::string(64, 'a')));
    CHECK_FALSE(relay_key_from_hex("abc"));
    CHECK_FALSE(relay_key_from_hex(std::string(64, 'g')));
}

TEST_CASE("mail_out: the relay key file is created once with mode 0600", "[mail_out]") {
    std::string path = testing::temp_store_location("relay") + ".key";
    std::filesystem::remove(path);
    RelayKey a = load_or_create_relay_key(path);
    struct stat st {};
    REQUIRE(stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(st.st_size == 32);
    CHECK(load_or_create_relay_key(path) == a);
    std::filesystem::remove(path);
}

TEST_CASE("mail_out: SMTP reply classification", "[mail_out]") {
    auto c = classify_smtp_reply(250, "2.0.0 Ok: queued");
    CHECK(c.status == SendStatus::ok);
    c = classify_smtp_reply(451, "4.7.1 Try again later");
    CHECK(c.status == SendStatus::temporary);
    CHECK(classify_smtp_reply(452, "4.2.2 Mailbox full").kind == std::string(kMailMailboxFull));
    CHECK(classify_smtp_reply(421, "Service not available").status == SendStatus::temporary);
    c = classify_smtp_reply(550, "5.1.1 <nobody@example.com>: Recipient address rejected: User unknown");
    CHECK(c.status == SendStatus::permanent);
    CHECK(c.kind == kMailAddressRejected);
    CHECK(c.code == 550);
    CHECK(c.text.find("User unknown") != std::string::npos);
    CHECK(classify_smtp_reply(553, "5.1.3 Bad recipient address syntax").kind == std::string(kMailAddressRejected));
    CHECK(classify_smtp_reply(552, "5.2.2 Mailbox full").kind == std::string(kMailMailboxFull));
    CHECK(classify_smtp_reply(552, "5.3.4 Message size exceeds fixed limit").kind == std::string(kMailTooLarge));
    CHECK(classify_smtp_reply(554, "5.7.1 Message rejected as spam").kind == std::string(kMailBlockedSpam));
    CHECK(classify_smtp_reply(550, "Blocked by policy: listed at a DNSBL").kind == std::string(kMailBlockedSpam));
    CHECK(classify_smtp_reply(554, "Transaction failed").kind == std::string(kMailRejected));
    c = connection_failure("Couldn't connect to server");
    CHECK(c.status == SendStatus::temporary);
    CHECK(c.kind == kMailRelayUnreachable);
    CHECK(c.code == 0);
    CHECK(smtp_url_for_tls("smtp://mail.example.com:465", SmtpConfig::Tls::tls) == "smtps://mail.example.com:465");
    CHECK(smtp_url_for_tls("smtps://mail.example.com:587", SmtpConfig::Tls::starttls) == "smtp://mail.example.com:587");
}

TEST_CASE("mail_out: retry schedule", "[mail_out]") {
    const int64_t min = 60'000, cap = 3'600'000;
    CHECK(retry_delay_ms(1, min, cap) == min);
    CHECK(retry_delay_ms(2, min, cap) == 2 * min);
    CHECK(retry_delay_ms(3, min, cap) == 4 * min);
    CHECK(retry_delay_ms(6, min, cap) == 32 * min);
    CHECK(retry_delay_ms(7, min, cap) == cap);
    CHECK(retry_delay_ms(100, min, cap) == cap);
    CHECK(retry_delay_ms(0, min, cap) == min);
}

TEST_CASE("mail_out: the outbox retries, stops on permanent errors and survives restarts", "[mail_out]") {
    TempStore tmp("mailout");
    int64_t now = 1'000'000;
    MailSettings ms;
    ms.smtp.url = "smtp://127.0.0.1:1";
    ms.relay_domain = "relay.example.com";
    ms.from_address = "parley@example.com";
    ms.relay_key = key_of(3);
    ms.retry_base_ms = 1000;
    ms.max_attempts = 3;
    std::vector<SendResult> answers;
    std::vector<std::string> sent_to;
    auto sender = [&](const std::string&, const std::string& to, const std::string&) {
        sent_to.push_back(to);
        SendResult r = answers.front();
        answers.erase(answers.begin());
        return r;
    };
    OutgoingMail m;
    m.to_user_id = 5;
    m.to_address = "buyer@example.com";
    m.to_name = "Buyer";
    m.kind = "new_reply";
    m.request_id = 9;
    m.conversation_id = 11;
    m.subject = "Re: Bomba";
    m.text = "hola";
    {
        Stores db = tmp.open();
        Outbox box(*db.outbox, ms, [&] { return now; }, sender);
        box.enqueue(m);
        answers = {classify_smtp_reply(451, "try later"), classify_smtp_reply(250, "ok")};
        CHECK(box.run_once() == 1);
        auto r = box.store().get(1);
        REQUIRE(r);
        CHECK(r->status == kOutFailedTemporary);
        CHECK(r->attempts == 1);
        CHECK(r->next_attempt_at == now + 1000);
        CHECK(r->last_code == 451);
        CHECK(box.run_once() == 0);  // not due yet
        CHECK(parse_relay_address(ms.relay_key, header_value(r->raw, "Reply-To"), "relay.example.com"));
    }
    now += 1000;
    {  // a new Outbox (restart) picks the row up again
        Stores db = tmp.open();
        Outbox box(*db.outbox, ms, [&] { return now; }, sender);
        CHECK(box.run_once() == 1);
        auto r = box.store().get(1);
        CHECK(r->status == kOutSent);
        CHECK(r->attempts == 2);
        CHECK(r->sent_at == now);
        // The next mail in the conversation threads onto the first.
        box.enqueue(m);
        auto r2 = box.store().get(2);
        CHECK(header_value(r2->raw, "In-Reply-To") == r->message_id);
        CHECK(header_value(r2->raw, "References") == "<c11.u5@relay.example.com> " + r->message_id);
        answers = {classify_smtp_reply(550, "5.1.1 User unknown")};
        CHECK(box.run_once() == 1);
        r2 = box.store().get(2);
        CHECK(r2->status == kOutFailedPermanent);
        CHECK(r2->error_kind == kMailAddressRejected);
        CHECK(box.run_once() == 0);  // never retried
        // Temporary failures become permanent after max_attempts.
        box.enqueue(m);
        for (int i = 0; i < 3; ++i) {
            answers = {connection_failure("Couldn't connect to server")};
            CHECK(box.run_once() == 1);
            now += 10'000;
        }
        auto r3 = box.store().get(3);
        CHECK(r3->status == kOutFailedPermanent);
        CHECK(r3->attempts == 3);
        CHECK(r3->error_kind == kMailRelayUnreachable);
        CHECK(box.mailbox_json(5, 10).find("\"failed_permanent\"") != std::string::npos);
        CHECK(box.mailbox_json(6, 10).find("\"messages\":[]") != std::string::npos);
    }
    CHECK(sent_to.size() == 6);
    ms.smtp.url.clear();  // development mailbox: kept, never sent
    Stores db = tmp.open();
    Outbox dev(*db.outbox, ms, [&] { return now; }, sender);
    dev.enqueue(m);
    CHECK(dev.run_once() == 0);
    CHECK(dev.store().get(4)->status == kOutDevMailbox);
    CHECK(dev.mailbox_json(5, 10).find("\"development_mailbox\":true") != std::string::npos);
}

// ---------------------------------------------------------------- delivery status

TEST_CASE("mail_out: the listener hears every status change; only failed_permanent rows are re-queued",
          "[mail_out][deliveries]") {
    TempStore tmp("mailout");
    int64_t now = 5'000'000;
    MailSettings ms;
    ms.smtp.url = "smtp://127.0.0.1:1";
    ms.relay_key = key_of(4);
    ms.retry_base_ms = 1000;
    std::vector<SendResult> answers;
    auto sender = [&](const std::string&, const std::string&, const std::string&) {
        SendResult r = answers.front();
        answers.erase(answers.begin());
        return r;
    };
    Stores db = tmp.open();
    Outbox box(*db.outbox, ms, [&] { return now; }, sender);
    std::vector<OutboxRow> heard;
    box.set_listener([&](const OutboxRow& r) { heard.push_back(r); });
    OutgoingMail m;
    m.to_user_id = 5;
    m.to_address = "buyer@example.com";
    m.kind = "new_reply";
    m.request_id = 9;
    m.conversation_id = 11;
    m.message_ref = 77;
    box.enqueue(m);
    REQUIRE(heard.size() == 1);
    CHECK(heard[0].status == kOutQueued);
    CHECK(heard[0].message_ref == 77);
    CHECK(heard[0].id == 1);
    CHECK(!box.requeue(1));  // queued: nothing to retry

    answers = {classify_smtp_reply(550, "5.1.1 User unknown")};
    CHECK(box.run_once() == 1);
    REQUIRE(heard.size() == 2);
    CHECK(heard[1].status == kOutFailedPermanent);
    CHECK(heard[1].message_ref == 77);  // read back from the table by the worker
    CHECK(heard[1].next_attempt_at == now);  // when it failed
    CHECK(box.store().set_failure_event(1, 42));
    CHECK(!box.store().set_failure_event(1, 43));  // one event per failure
    CHECK(box.store().get(1)->failure_event_id == 42);

    now += 60'000;
    CHECK(box.requeue(1));
    REQUIRE(heard.size() == 3);
    CHECK(heard[2].status == kOutQueued);
    CHECK(heard[2].attempts == 0);
    CHECK(heard[2].next_attempt_at == now);
    CHECK(heard[2].failure_event_id == 0);  // a new failure may be reported again
    CHECK(!box.requeue(1));  // twice: the second finds it queued

    answers = {classify_smtp_reply(250, "ok")};
    CHECK(box.run_once() == 1);
    REQUIRE(heard.size() == 4);
    CHECK(heard[3].status == kOutSent);
    CHECK(!box.requeue(1));

    auto row = box.store().delivery(1);
    REQUIRE(row);
    CHECK(row->row.status == kOutSent);
    CHECK(row->row.message_ref == 77);
    CHECK(row->author_id == 0);  // no message 77 in this database
    CHECK(box.store().deliveries(9).empty());  // a request's deliveries go through its messages
    // A listener that throws loses nothing: the row is stored, the worker goes on.
    box.set_listener([](const OutboxRow&) { throw std::runtime_error("boom"); });
    OutgoingMail next = m;  // about another message (one mail per message, recipient and kind)
    next.message_ref = 78;
    box.enqueue(next);
    CHECK(box.store().get(2)->status == kOutQueued);
}

TEST_CASE("deliveries: the author sees them, a permanent failure is one event for the author's side, retry",
          "[mail_out][deliveries]") {
    testing::TempDomain w("deliveries", 2'000'000'000);
    User maker = w.add_user("Marta Iglesias", kRoleManufacturer);
    User buyer = w.add_user("Stefan Mueller", kRoleBuyer);
    int64_t req = w.add_request(buyer, maker, "Pump", "Need pumps", "DE", "de", w.now - 1000);
    w.start_domain();
    MailSettings ms;
    ms.smtp.url = "smtp://127.0.0.1:1";
    ms.relay_key = key_of(5);
    std::vector<SendResult> answers;
    auto sender = [&](const std::string&, const std::string&, const std::string&) {
        SendResult r = answers.front();
        answers.erase(answers.begin());
        return r;
    };
    Outbox box(*w.stores.outbox, ms, [&] { return w.now; }, sender);
    w.domain->set_outbox(w.stores.outbox.get());
    box.set_listener([&](const OutboxRow& r) { w.domain->delivery_changed(r); });

    std::string key = "k1";
    auto posted = w.domain->post_message(maker, req, &key, R"({"body":"Our offer"})");
    REQUIRE(posted);
    w.domain->set_mailer(&box, "http://parley.test");  // for Retry; the notification is queued by hand below
    const Message& msg = posted->message;
    OutgoingMail m;  // what notify_new_reply queues for the buyer
    m.to_user_id = buyer.id;
    m.to_address = "s.mueller@example.de";
    m.to_name = buyer.name;
    m.kind = "new_reply";
    m.request_id = req;
    m.conversation_id = msg.conversation_id;
    m.message_ref = msg.id;

    auto message_of = [&](const User& u) {
        auto body = w.domain->detail_json(u, req);  // the cached path the API serves
        REQUIRE(body);
        RequestDetail d = nlohmann::json::parse(**body).get<RequestDetail>();
        for (auto& x : d.messages)
            if (x.id == msg.id) return std::pair{x, d.events};
        FAIL("message not in the detail");
        return std::pair{Message{}, d.events};
    };
    auto failed_events = [](const std::vector<Event>& es) {
        return std::count_if(es.begin(), es.end(), [](const Event& e) { return e.kind == "delivery_failed"; });
    };
    CHECK(message_of(maker).first.deliveries.empty());  // cached before the mail is queued
    box.enqueue(m);
    auto [mine, events0] = message_of(maker);
    REQUIRE(mine.deliveries.size() == 1);  // the cached detail was dropped by the listener
    CHECK(mine.deliveries[0].status == "queued");
    CHECK(mine.deliveries[0].recipient_name == "Stefan Mueller");
    CHECK(mine.deliveries[0].recipient_id == buyer.id);
    CHECK(message_of(buyer).first.deliveries.empty());  // not the author: no deliveries
    int64_t delivery = mine.deliveries[0].id;

    answers = {classify_smtp_reply(550, "5.1.1 <s.mueller@example.de>: Recipient address rejected")};
    w.now += 1000;
    CHECK(box.run_once() == 1);
    auto [failed, events1] = message_of(maker);
    REQUIRE(failed.deliveries.size() == 1);
    CHECK(failed.deliveries[0].status == "failed_permanent");
    CHECK(failed.deliveries[0].error_kind == "address_rejected");
    CHECK(failed.deliveries[0].updated == w.now);
    REQUIRE(failed_events(events1) == 1);
    auto ev = *std::find_if(events1.begin(), events1.end(), [](const Event& e) { return e.kind == "delivery_failed"; });
    CHECK(ev.text == "address_rejected");
    CHECK(ev.target_name == "Stefan Mueller");
    CHECK(ev.message_id == msg.id);
    CHECK(ev.actor_id == maker.id);
    CHECK(failed_events(message_of(buyer).second) == 0);  // the buyer never sees it
    CHECK(box.store().get(delivery)->failure_event_id == ev.id);
    // The whole JSON of the author's detail never carries the address.
    CHECK((*w.domain->detail_json(maker, req))->find("example.de") == std::string::npos);
    // The same row reported again (a repeated listener call) records nothing new.
    w.domain->delivery_changed(*box.store().get(delivery));
    CHECK(failed_events(message_of(maker).second) == 1);

    // Retry: the buyer (not the author) gets a 404 like for a missing row; the author re-queues.
    auto theirs = w.domain->retry_delivery(buyer, delivery);
    CHECK(theirs.error.status == 404);
    CHECK(w.domain->retry_delivery(maker, 999).error.status == 404);
    auto retried = w.domain->retry_delivery(maker, delivery);
    REQUIRE(retried);
    const Message* rm = nullptr;
    for (auto& x : retried->messages)
        if (x.id == msg.id) rm = &x;
    REQUIRE(rm);
    REQUIRE(rm->deliveries.size() == 1);
    CHECK(rm->deliveries[0].status == "queued");
    CHECK(rm->deliveries[0].error_kind.empty());
    CHECK(w.domain->retry_delivery(maker, delivery).error.status == 409);  // not failed any more
    CHECK(message_of(maker).first.deliveries[0].status == "queued");

    answers = {classify_smtp_reply(250, "ok")};
    CHECK(box.run_once() == 1);
    auto [sent, events2] = message_of(maker);
    CHECK(sent.deliveries[0].status == "sent");
    CHECK(failed_events(events2) == 1);  // the old failure stays in the history, nothing new
    CHECK(w.domain->retry_delivery(maker, delivery).error.status == 409);

    // A temporary failure is no event; it shows as failed_temporary with its kind.
    OutgoingMail copy = m;  // the author's own copy of the same message
    copy.to_user_id = maker.id;
    copy.to_address = "marta@example.com";
    copy.kind = "own_copy";
    box.enqueue(copy);
    answers = {classify_smtp_reply(452, "4.2.2 Mailbox full")};
    CHECK(box.run_once() == 1);
    auto [later, events3] = message_of(maker);
    REQUIRE(later.deliveries.size() == 2);
    CHECK(later.deliveries[1].status == "failed_temporary");
    CHECK(later.deliveries[1].error_kind == "mailbox_full");
    CHECK(failed_events(events3) == 1);
}
