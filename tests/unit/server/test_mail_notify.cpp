// Notification e-mails (server/mail/notify.h) through the real Domain on a
// temporary store, with a Mailer that keeps what it is given: who gets which kind
// (confidentiality between the manufacturer's and a distributor's conversations), the
// recipient's language, request-scoped sign-in links stored hashed, no buyer contact
// details in seller-bound mail, long bodies cut.
#include <catch2/catch.hpp>

#include <algorithm>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/base/crypto.h"
#include "server/domain/domain.h"
#include "server/mail/notify.h"
#include "server/mail/texts.h"
#include "server/payments/providers.h"
#include "domain_fixture.h"

using namespace parley;
using namespace parley::server;
using nlohmann::json;

namespace {

struct KeptMail final : Mailer {
    std::vector<OutgoingMail> sent;
    void enqueue(const OutgoingMail& m) override { sent.push_back(m); }
    std::string mailbox_json(int64_t, int) override { return "{}"; }
};

constexpr Millis kNow = 1767225600000 + 100LL * 24 * 3600 * 1000;  // 2026-04-11
const char* kUrl = "https://parley.example";

// A manufacturer (es) with an auto-CC area manager (it), a distributor for FR (fr) and
// one for DE (de), a colleague not in copy (pt); buyers in FR (de) and without e-mail.
struct MailWorld : testing::TempDomain {
    UserRecord m, t, d, d2, colleague, b, nomail;
    KeptMail mail;

    UserRecord add(const std::string& name, const std::string& role, const std::string& lang,
                   const std::string& email, const std::string& country = "ES", int64_t org = 0) {
        UserRecord u;
        u.name = name;
        u.company = name + " Co";
        u.role = role;
        u.language = lang;
        u.email = email;
        u.country = country;
        u.phone = "+34 600 000 000";
        u.org_id = org;
        u.id = store->add_user(u);
        return u;
    }
    MailWorld() : TempDomain("mailnotify", kNow) {
        m = add("Marta", "manufacturer", "es", "marta@maker.example");
        t = add("Tomas", "area_manager", "it", "tomas@maker.example", "ES", m.id);
        d = add("Claire", "distributor", "fr", "claire@dist.example", "FR", m.id);
        d2 = add("Jonas", "distributor", "de", "jonas@dist.example", "DE", m.id);
        colleague = add("Paula", "area_manager", "pt-BR", "paula@maker.example", "PT", m.id);
        store->set_network_member(t.id, m.id, {"IT"}, true);
        store->set_network_member(d.id, m.id, {"FR"}, false);
        store->set_network_member(d2.id, m.id, {"DE"}, false);
        store->set_network_member(colleague.id, m.id, {"PT"}, false);
        b = add("Stefan", "buyer", "de", "stefan.secret@buyer.example", "FR");
        b.phone = "+33 1 99 88 77 66";
        nomail = add("Nobody", "buyer", "en", "", "ES");
        start_domain();
        domain->set_mailer(&mail, kUrl);
        domain->set_payment_provider(make_demo_provider(kUrl), kUrl);
    }
    static User w(const UserRecord& u) { return u.to_wire(); }
    int64_t request(const UserRecord& buyer, const std::string& message = "Need 30 cylinders, please quote.") {
        auto r = domain->create_request(w(buyer), json{{"manufacturer_id", m.id}, {"product", "Vérins VH-80"},
                                                       {"message", message}}.dump());
        INFO(r.error.message);
        REQUIRE(r);
        return r->id;
    }
    int64_t conversation_of(int64_t rid, const UserRecord& owner) {
        auto f = store->facts(rid);
        for (const auto& c : f->conversations)
            if (c.seller_id == owner.id) return c.id;
        return 0;
    }
    void post(const UserRecord& u, int64_t rid, const std::string& text, int64_t conversation = 0,
              const std::string& key_prefix = "k") {
        static int n = 0;
        std::string key = key_prefix + std::to_string(++n);
        auto r = domain->post_message(w(u), rid, &key, json{{"body", text}, {"conversation_id", conversation}}.dump());
        INFO(r.error.message);
        REQUIRE(r);
    }
    // (recipient, kind) pairs of the mails sent since `from`.
    std::multiset<std::pair<int64_t, std::string>> got(size_t from = 0) {
        std::multiset<std::pair<int64_t, std::string>> out;
        for (size_t i = from; i < mail.sent.size(); ++i) out.insert({mail.sent[i].to_user_id, mail.sent[i].kind});
        return out;
    }
    const OutgoingMail& to(int64_t user, const std::string& kind) {
        for (auto it = mail.sent.rbegin(); it != mail.sent.rend(); ++it)
            if (it->to_user_id == user && it->kind == kind) return *it;
        FAIL("no " << kind << " mail to user " << user);
        return mail.sent.front();
    }
};

// The first sign-in link of a mail's text: {token, decoded next}.
std::pair<std::string, std::string> link_of(const std::string& text, const std::string& marker = "") {
    std::regex re(std::string(kUrl) + "/login/([A-Za-z0-9_-]+)\\?next=(\\S+)");
    std::string from = marker.empty() ? text : text.substr(text.find(marker));
    std::smatch mt;
    REQUIRE(std::regex_search(from, mt, re));
    std::string next = mt[2];
    std::string dec;
    for (size_t i = 0; i < next.size(); ++i) {
        if (next[i] == '%' && i + 2 < next.size()) {
            dec += static_cast<char>(std::stoi(next.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            dec += next[i];
        }
    }
    return {mt[1], dec};
}

using Got = std::multiset<std::pair<int64_t, std::string>>;

// Every sign-in URL of a text (the HTML part's hrefs hold them unescaped: no '&' in them).
std::set<std::string> urls_of(const std::string& s) {
    std::set<std::string> out;
    std::regex re(std::string(kUrl) + "/login/[A-Za-z0-9_-]+\\?next=[^\\s\"<]+");
    for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator(); ++it)
        out.insert(it->str());
    return out;
}

}  // namespace

TEST_CASE("mail_notify: a new request goes to each conversation's seller side, with the buyer's name but never "
          "their e-mail or phone", "[mail_notify]") {
    MailWorld x;
    int64_t rid = x.request(x.b);
    // Routed to Claire (FR); Tomás (auto-CC) joins Marta's conversation; not Jonas, not the buyer.
    CHECK(x.got() == Got{{x.m.id, "new_request"}, {x.t.id, "new_request"}, {x.d.id, "new_request"}});
    const auto& claire = x.to(x.d.id, "new_request");
    CHECK(claire.conversation_id == x.conversation_of(rid, x.d));
    CHECK(x.to(x.m.id, "new_request").conversation_id == x.conversation_of(rid, x.m));
    CHECK(x.to(x.t.id, "new_request").conversation_id == x.conversation_of(rid, x.m));
    for (const auto& mm : x.mail.sent) {
        CHECK(mm.request_id == rid);
        CHECK(mm.text.find("Need 30 cylinders") != std::string::npos);
        // The buyer's country, named in the recipient's language (Marta es, Tomas it, Claire fr).
        CHECK(mm.text.find(mm.to_user_id == x.d.id ? "Stefan (Stefan Co, France)" : "Stefan (Stefan Co, Francia)") !=
              std::string::npos);
        for (const std::string& secret : {x.b.email, std::string("99 88 77"), std::string("600 000 000")}) {
            CHECK(mm.text.find(secret) == std::string::npos);
            CHECK(mm.html.find(secret) == std::string::npos);
            CHECK(mm.subject.find(secret) == std::string::npos);
        }
        CHECK(mm.reply_via_relay);
        // Multipart: the text part carries the same links as the HTML part.
        CHECK_FALSE(urls_of(mm.text).empty());
        CHECK(urls_of(mm.text) == urls_of(mm.html));
    }
    // Each in its reader's language, with the big Reply button in the HTML part.
    CHECK(x.to(x.m.id, "new_request").subject == "Nueva solicitud: Vérins VH-80");
    CHECK(claire.subject == "Nouvelle demande : Vérins VH-80");
    CHECK(x.to(x.t.id, "new_request").subject == "Nuova richiesta: Vérins VH-80");
    CHECK(claire.text.find("Répondre: " + std::string(kUrl) + "/login/") != std::string::npos);
    CHECK(claire.html.find(">Répondre</a>") != std::string::npos);
    CHECK(x.to(x.m.id, "new_request").html.find(">Responder</a>") != std::string::npos);
}

TEST_CASE("mail_notify: the link signs in to that request only; its token is stored hashed with the scope",
          "[mail_notify]") {
    MailWorld x;
    int64_t rid = x.request(x.b);
    auto [token, next] = link_of(x.to(x.d.id, "new_request").text);
    CHECK(next == "/requests/" + std::to_string(rid) + "?reply=1");
    auto use = x.store->redeem_magic_link(token_hash(token), x.now);
    REQUIRE(use);
    CHECK(use->user_id == x.d.id);
    CHECK(use->request_id == rid);
    CHECK_FALSE(x.store->redeem_magic_link(token, x.now));  // the raw token is not what is stored
    // Reusable (mail scanners fetch links first), for 14 days.
    auto login = x.domain->login(token);
    REQUIRE(login);
    CHECK(login->user.id == x.d.id);
    CHECK(login->request_id == rid);
    CHECK(x.domain->login(token));
    x.now += kMailLinkTtl + 1;
    CHECK_FALSE(x.domain->login(token));
    // Every recipient gets a token of their own.
    CHECK(link_of(x.to(x.m.id, "new_request").text).first != token);
    // A demo link is not scoped.
    auto demo = x.domain->issue_magic_link(x.m.id, kDemoLinkTtl, true);
    CHECK(x.domain->login(demo)->request_id == 0);
}

TEST_CASE("mail_notify: where a scoped link may land", "[mail_notify]") {
    CHECK(scoped_landing(12, "/requests/12?reply=1") == "/requests/12?reply=1");
    CHECK(scoped_landing(12, "/requests/12") == "/requests/12");
    CHECK(scoped_landing(12, "/requests/12?quote=7") == "/requests/12?quote=7");
    CHECK(scoped_landing(12, "/requests/12?quote=7&paid=1") == "/requests/12?quote=7&paid=1");
    for (const char* other : {"", "/", "/requests/13?reply=1", "/requests/123", "/requests/12x", "/network",
                              "//evil.example/requests/12", "https://evil.example/requests/12",
                              "/requests/12?next=https://evil.example", "/requests/12?quote=7&quote=8",
                              "/requests/12?reply=1&", "/requests/12?", "/requests/12/../../network",
                              "/requests/12?quote=abc"})
        CHECK(scoped_landing(12, other) == "/requests/12?reply=1");
}

TEST_CASE("mail_notify: replies reach the other party of that conversation only; the author gets a copy",
          "[mail_notify]") {
    MailWorld x;
    int64_t rid = x.request(x.b);
    int64_t root = x.conversation_of(rid, x.m), claires = x.conversation_of(rid, x.d);

    size_t n = x.mail.sent.size();
    x.post(x.d, rid, "Bonjour, 1.200 € par pièce.", claires);
    // The distributor's conversation: the buyer and Claire's copy; Marta and Tomás nothing.
    CHECK(x.got(n) == Got{{x.b.id, "new_reply"}, {x.d.id, "own_copy"}});
    const auto& reply = x.to(x.b.id, "new_reply");
    CHECK(reply.conversation_id == claires);
    CHECK(reply.message_ref > 0);
    CHECK(x.to(x.d.id, "own_copy").message_ref == reply.message_ref);
    CHECK(reply.subject == "Re: Vérins VH-80");
    CHECK(reply.text.find("Claire (Claire Co) schrieb zu Vérins VH-80:") != std::string::npos);
    CHECK(reply.text.find("1.200 € par pièce") != std::string::npos);
    CHECK(reply.html.find(">Antworten</a>") != std::string::npos);
    CHECK(reply.from_name == "Claire via Parley");
    const auto& copy = x.to(x.d.id, "own_copy");
    CHECK(copy.subject == "Copie de votre message : Vérins VH-80");
    CHECK(copy.text.find("Vous avez écrit à Stefan (Stefan Co, France)") != std::string::npos);
    CHECK(copy.reply_via_relay);  // Reply-To: the author's relay, so a reply from their mailbox threads
    CHECK(copy.conversation_id == claires);

    n = x.mail.sent.size();
    x.post(x.b, rid, "Danke, und die Lieferzeit?", claires);
    CHECK(x.got(n) == Got{{x.d.id, "new_reply"}, {x.b.id, "own_copy"}});
    CHECK(x.to(x.d.id, "new_reply").text.find(x.b.email) == std::string::npos);

    n = x.mail.sent.size();
    x.post(x.b, rid, "Frage an den Hersteller", root);
    CHECK(x.got(n) == Got{{x.m.id, "new_reply"}, {x.t.id, "new_reply"}, {x.b.id, "own_copy"}});

    // A reply that came in by e-mail gets no own copy (it is in the author's mailbox already).
    n = x.mail.sent.size();
    x.post(x.b, rid, "Per E-Mail", root, "mail:");
    CHECK(x.got(n) == Got{{x.m.id, "new_reply"}, {x.t.id, "new_reply"}});

    // Attachment names with links.
    Attachment a;
    a.conversation_id = root;
    a.uploader_id = x.m.id;
    a.name = "Angebot.pdf";
    a.kind = "quote";
    a.type = "application/pdf";
    a.size = 10;
    a.sha256 = std::string(64, 'a');
    a = x.store->add_attachment(a);
    n = x.mail.sent.size();
    std::string key = "att";
    auto p = x.domain->post_message(x.w(x.m), rid, &key,
                                    json{{"body", "Siehe Anhang"}, {"attachments", {a.id}}}.dump());
    INFO(p.error.message);
    REQUIRE(p);
    const auto& with = x.to(x.b.id, "new_reply");
    CHECK(with.text.find("Anhänge:\n- Angebot.pdf: " + std::string(kUrl) + "/api/v1/attachments/" +
                         std::to_string(a.id)) != std::string::npos);
    CHECK(with.html.find(">Angebot.pdf</a>") != std::string::npos);
}

TEST_CASE("mail_notify: users without e-mail are skipped; very long bodies are cut with a link to the page",
          "[mail_notify]") {
    MailWorld x;
    int64_t rid = x.request(x.nomail);
    size_t n = x.mail.sent.size();
    x.post(x.m, rid, "Hola");
    CHECK(x.got(n) == Got{{x.m.id, "own_copy"}});

    std::string para = "Lorem ipsum dolor sit amet, ñandú über straße. ";
    std::string longtext;
    while (longtext.size() + para.size() < 19990) longtext += para;
    n = x.mail.sent.size();
    x.post(x.nomail, rid, longtext);
    const auto& cut = x.to(x.m.id, "new_reply");
    CHECK(cut.text.size() < longtext.size());
    CHECK(cut.text.size() < kMailBodyCap + 2000);
    CHECK(cut.text.find(mail_text("es", "body_truncated")) != std::string::npos);
    auto [token, next] = link_of(cut.text, mail_text("es", "body_truncated"));
    CHECK(next == "/requests/" + std::to_string(rid));
    CHECK(cut.html.size() < longtext.size() + 4000);
    // A short one is whole.
    x.post(x.nomail, rid, "kurz");
    CHECK(x.to(x.m.id, "new_reply").text.find(mail_text("es", "body_truncated")) == std::string::npos);
    bool flag = false;
    std::string c = cap_body("aé", 2, flag);  // never half a character
    CHECK(flag);
    CHECK(c == "a\xE2\x80\xA6");
}

TEST_CASE("mail_notify: CC and forward notify the added person, who then gets exactly the adder's rights",
          "[mail_notify]") {
    MailWorld x;
    int64_t rid = x.request(x.b);
    int64_t root = x.conversation_of(rid, x.m), claires = x.conversation_of(rid, x.d);

    size_t n = x.mail.sent.size();
    auto cc = x.domain->add_recipient(x.w(x.m), rid, json{{"user_id", x.colleague.id}, {"note", "Mira esto"}}.dump(),
                                      false);
    INFO(cc.error.message);
    REQUIRE(cc);
    CHECK(x.got(n) == Got{{x.colleague.id, "cc_added"}});
    const auto& ccm = x.to(x.colleague.id, "cc_added");
    CHECK(ccm.conversation_id == root);
    CHECK(ccm.subject == "Em cópia: Vérins VH-80");  // pt-BR → pt
    CHECK(ccm.text.find("Marta (Marta Co) colocou-o em cópia") != std::string::npos);
    CHECK(ccm.text.find("Mira esto") != std::string::npos);
    CHECK(ccm.text.find("Need 30 cylinders") != std::string::npos);
    CHECK(ccm.text.find(x.b.email) == std::string::npos);
    CHECK(ccm.html.find(">Responder</a>") != std::string::npos);

    // Claire puts a guest (by address) in copy: the guest sees Claire's conversation only.
    n = x.mail.sent.size();
    REQUIRE(x.domain->add_recipient(x.w(x.d), rid, json{{"email", "guest@outside.example"}}.dump(), false));
    auto guest = x.store->user_by_email("guest@outside.example");
    REQUIRE(guest);
    CHECK(x.got(n) == Got{{guest->id, "cc_added"}});
    CHECK(x.to(guest->id, "cc_added").conversation_id == claires);
    n = x.mail.sent.size();
    x.post(x.b, rid, "an den Hersteller", root);
    CHECK(x.got(n) == Got{{x.m.id, "new_reply"}, {x.t.id, "new_reply"}, {x.colleague.id, "new_reply"},
                          {x.b.id, "own_copy"}});
    n = x.mail.sent.size();
    x.post(x.b, rid, "an Claire", claires);
    CHECK(x.got(n) == Got{{x.d.id, "new_reply"}, {guest->id, "new_reply"}, {x.b.id, "own_copy"}});

    // Marta hands the request over to Jonas: his own conversation; Marta never hears its messages.
    n = x.mail.sent.size();
    REQUIRE(x.domain->add_recipient(x.w(x.m), rid, json{{"user_id", x.d2.id}, {"note", "Bitte übernehmen"}}.dump(),
                                    true));
    CHECK(x.got(n) == Got{{x.d2.id, "forwarded"}});
    int64_t jonas = x.conversation_of(rid, x.d2);
    CHECK(x.to(x.d2.id, "forwarded").conversation_id == jonas);
    CHECK(x.to(x.d2.id, "forwarded").subject == "An Sie weitergeleitet: Vérins VH-80");
    n = x.mail.sent.size();
    x.post(x.d2, rid, "Guten Tag von Jonas", jonas);
    CHECK(x.got(n) == Got{{x.b.id, "new_reply"}, {x.d2.id, "own_copy"}});
}

TEST_CASE("mail_notify: a decline reaches whoever may see its event; the buyer gets the reason, not the text",
          "[mail_notify]") {
    MailWorld x;
    int64_t rid = x.request(x.b);
    int64_t claires = x.conversation_of(rid, x.d);
    REQUIRE(x.domain->add_recipient(x.w(x.d), rid, json{{"email", "helper@dist.example"}}.dump(), false));
    auto helper = x.store->user_by_email("helper@dist.example");
    size_t n = x.mail.sent.size();
    auto r = x.domain->decline(x.w(x.d), rid,
                               json{{"reason", "cannot_deliver"}, {"text", "internal: stock empty"},
                                    {"conversation_id", claires}}.dump());
    INFO(r.error.message);
    REQUIRE(r);
    // Claire's conversation: the buyer and her co-recipient; not Claire, not Marta or Tomás.
    CHECK(x.got(n) == Got{{x.b.id, "declined"}, {helper->id, "declined"}});
    const auto& bm = x.to(x.b.id, "declined");
    CHECK(bm.subject == "Anfrage abgelehnt: Vérins VH-80");
    CHECK(bm.text.find("Grund: wir können es nicht liefern") != std::string::npos);
    CHECK(bm.text.find("stock empty") == std::string::npos);
    CHECK(x.to(helper->id, "declined").text.find("stock empty") != std::string::npos);
}

TEST_CASE("mail_notify: quotes: sent to the buyer with a View quote link, accepted and paid to that "
          "conversation's seller side, a receipt to the buyer", "[mail_notify]") {
    MailWorld x;
    int64_t rid = x.request(x.b);
    int64_t claires = x.conversation_of(rid, x.d);
    json j = {{"currency", "EUR"},
              {"lines", json::array({json{{"product", "VH-80"}, {"quantity", 2000}, {"unit", "pcs"},
                                          {"unit_price", 125000}}})},
              {"tax_bp", 2000},
              {"incoterm", "EXW"},
              {"valid_until", x.now + 30LL * 24 * 3600 * 1000},
              {"online_payment", true},
              {"conversation_id", claires}};
    size_t n = x.mail.sent.size();
    auto q = x.domain->create_quote(x.w(x.d), rid, j.dump());
    INFO(q.error.message);
    REQUIRE(q);
    CHECK(x.got(n) == Got{{x.b.id, "quote_sent"}});
    const auto& sent = x.to(x.b.id, "quote_sent");
    CHECK(sent.subject == "Angebot " + q->number + ": Vérins VH-80");
    CHECK(sent.html.find(">Angebot ansehen</a>") != std::string::npos);
    CHECK(sent.text.find("3.000,00") != std::string::npos);  // 2 × 1,250.00 + 20 %, German format
    auto [token, next] = link_of(sent.text, "Angebot ansehen");
    CHECK(next == "/requests/" + std::to_string(rid) + "?quote=" + std::to_string(q->id));
    CHECK(x.domain->login(token)->request_id == rid);

    // A revision is a new quote_sent (version 2), again to the buyer only.
    n = x.mail.sent.size();
    auto rev = x.domain->revise_quote(x.w(x.d), q->id, j.dump());
    INFO(rev.error.message);
    REQUIRE(rev);
    CHECK(x.got(n) == Got{{x.b.id, "quote_sent"}});
    CHECK(x.to(x.b.id, "quote_sent").text.find("(Version 2)") != std::string::npos);
    CHECK(link_of(x.to(x.b.id, "quote_sent").text, "Angebot ansehen").second ==
          "/requests/" + std::to_string(rid) + "?quote=" + std::to_string(rev->id));
    q = rev;

    n = x.mail.sent.size();
    auto acc = x.domain->accept_quote(x.w(x.b), q->id, json{{"name", "Stefan M."}, {"version", 2}}.dump());
    REQUIRE(acc);
    CHECK(x.got(n) == Got{{x.d.id, "quote_accepted"}});
    CHECK(x.to(x.d.id, "quote_accepted").subject == "Devis " + q->number + " accepté : Vérins VH-80");

    n = x.mail.sent.size();
    auto pay = x.domain->pay_quote(x.w(x.b), q->id);
    REQUIRE(pay);
    std::string sid = pay->checkout_url.substr(pay->checkout_url.rfind('/') + 1);
    REQUIRE(x.domain->demo_pay(sid, "4242 4242 4242 4242"));
    CHECK(x.got(n) == Got{{x.d.id, "quote_paid"}, {x.b.id, "payment_receipt"}});
    CHECK(x.to(x.b.id, "payment_receipt").text.find("Vielen Dank") != std::string::npos);
    // Paying twice (same session) mails nothing more.
    n = x.mail.sent.size();
    REQUIRE(x.domain->demo_pay(sid, "4242 4242 4242 4242"));
    CHECK(x.got(n).empty());
}

TEST_CASE("mail_notify: nine languages, every text present and translated; unknown languages fall back to English",
          "[mail_notify]") {
    // Every text of the table, written in every language (never the English fallback), with
    // the English text's placeholders.
    auto placeholders = [](const std::string& t) {
        std::set<std::string> out;
        for (size_t at = t.find('{'); at != std::string::npos; at = t.find('{', at + 1))
            out.insert(t.substr(at, t.find('}', at) - at + 1));
        return out;
    };
    const auto ids = mail_text_ids();
    REQUIRE(ids.size() >= 40);
    for (const std::string& id : ids) {
        std::set<std::string> seen;
        const std::string en = mail_text("en", id);
        for (const char* lang : kMailLanguages) {
            INFO(id << " " << lang);
            const char* cell = mail_text_or_null(lang, id);
            REQUIRE(cell != nullptr);
            const std::string s = cell;
            CHECK_FALSE(s.empty());
            CHECK(placeholders(s) == placeholders(en));
            if (std::string(lang) != "en" && id != "subject_reply") CHECK(s != en);  // "Re:" threads everywhere
            seen.insert(s);
        }
        if (id != "subject_reply") CHECK(seen.size() >= 7);  // a few languages may share a word ("Responder")
    }
    CHECK(mail_text("xx", "button_reply") == "Reply");
    CHECK(mail_text("", "button_reply") == "Reply");
    CHECK(mail_text("ZH-Hans", "button_reply") == "回复");
    CHECK(mail_t("ja", "subject_quote_sent", {{"number", "Q-1"}, {"product", "P"}}) == "見積書 Q-1：P");
    CHECK(mail_fill("{a} {b} {a} {c}", {{"a", "{b}"}, {"b", "2"}}) == "{b} 2 {b} {c}");

    // The same reply to buyers of each language: subject kept, body and button localised.
    MailWorld x;
    std::set<std::string> texts;
    for (const char* lang : kMailLanguages) {
        auto buyer = x.add(std::string("Buyer ") + lang, "buyer", lang, std::string(lang) + "@buyer.example");
        int64_t rid = x.request(buyer);
        x.post(x.m, rid, "Precio: 10 €");
        const auto& mm = x.to(buyer.id, "new_reply");
        CHECK(mm.subject == "Re: Vérins VH-80");
        CHECK(mm.html.find(">" + mail_text(lang, "button_reply") + "</a>") != std::string::npos);
        CHECK(mm.text.find(mail_text(lang, "footer")) != std::string::npos);
        texts.insert(mm.text.substr(0, mm.text.find('\n')));
    }
    CHECK(texts.size() == std::size(kMailLanguages));
}
