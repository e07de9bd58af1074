// Scoped sessions: the sign-in link of a notification e-mail opens one request. The
// rule of the route table (what such a session may call, default deny), the sessions
// the domain makes of links, the step-up link by e-mail, the one-row inbox, and the
// long-poll that hears only that request.
#include <catch2/catch.hpp>

#include <cstring>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "server/domain/domain.h"
#include "server/domain/hub.h"
#include "server/http/routes.h"
#include "domain_fixture.h"

using namespace parley;
using namespace parley::server;

namespace {

struct KeptMail final : Mailer {
    std::vector<OutgoingMail> sent;
    void enqueue(const OutgoingMail& m) override { sent.push_back(m); }
    std::string mailbox_json(int64_t, int) override { return "{}"; }
};

struct ScopeWorld : testing::TempDomain {
    User m, a;
    int64_t r1 = 0, r2 = 0;
    KeptMail mail;
    ScopeWorld() : TempDomain("scoped", 1'000'000'000) {
        m = add_user("Maker", "manufacturer");
        a = add_user("Alice", "buyer");
        r1 = add_request(a, m, "Pump", "Need pumps", "ES", "es", now - 1000);
        r2 = add_request(a, m, "Valve", "Need valves", "ES", "es", now - 500);
        start_domain();
        domain->set_mailer(&mail, "https://parley.example/");
    }
};

const Route* row(const char* method, const char* pattern) {
    for (const Route& r : route_table())
        if (std::strcmp(r.method, method) == 0 && std::strcmp(r.pattern, pattern) == 0) return &r;
    return nullptr;
}

bool starts(const char* s, const char* prefix) { return std::strncmp(s, prefix, std::strlen(prefix)) == 0; }

}  // namespace

TEST_CASE("scoped sessions: the rule — its own request only, default deny", "[scoped][routes]") {
    CHECK(scoped_allows(Scoped::request, 7, 7));
    CHECK_FALSE(scoped_allows(Scoped::request, 7, 8));
    CHECK_FALSE(scoped_allows(Scoped::quote, 7, 0));  // a missing object: refused like a foreign one
    CHECK(scoped_allows(Scoped::attachment, 7, 7));
    CHECK_FALSE(scoped_allows(Scoped::upload, 0, 0));  // never "0 == 0"
    CHECK(scoped_allows(Scoped::session, 7, 0));
    CHECK(scoped_allows(Scoped::narrowed, 7, 0));
    CHECK_FALSE(scoped_allows(Scoped::no, 7, 7));
    CHECK(Route{"GET", "/x", nullptr, Who::user}.scoped == Scoped::no);  // a row that says nothing is refused
}

TEST_CASE("scoped sessions: every row of the table finds its request the way its rule says", "[scoped][routes]") {
    for (const Route& r : route_table()) {
        INFO(r.method << " " << r.pattern << ": " << scoped_name(r.scoped));
        const std::string p = r.pattern;
        if (r.who != Who::user) CHECK(r.scoped == Scoped::no);  // the router checks sessions on user rows only
        switch (r.scoped) {
            case Scoped::request: CHECK(starts(r.pattern, "/api/v1/requests/{id}")); break;
            case Scoped::quote: CHECK(starts(r.pattern, "/api/v1/quotes/{id}")); break;
            case Scoped::attachment: CHECK(starts(r.pattern, "/api/v1/attachments/{id}")); break;
            case Scoped::upload: CHECK(starts(r.pattern, "/api/v1/uploads/{token}")); break;
            case Scoped::message: CHECK(starts(r.pattern, "/api/v1/messages/{id}")); break;
            case Scoped::delivery: CHECK(starts(r.pattern, "/api/v1/deliveries/{id}")); break;
            case Scoped::held: CHECK(starts(r.pattern, "/api/v1/mail/held/{id}")); break;
            case Scoped::session:
            case Scoped::narrowed: CHECK(p.find("{id}") == std::string::npos); break;
            case Scoped::no: break;
        }
        // Whatever is about one request is open to a scoped session of that request.
        if (starts(r.pattern, "/api/v1/requests/{id}") || starts(r.pattern, "/api/v1/quotes/{id}") ||
            starts(r.pattern, "/api/v1/attachments/{id}") || starts(r.pattern, "/api/v1/uploads/"))
            CHECK(r.scoped != Scoped::no);
    }
    // Named in the spec as closed: the account's lists, search, network, settings, new
    // requests, the mailbox (it holds the step-up link).
    for (auto [method, pattern] : std::initializer_list<std::pair<const char*, const char*>>{
             {"GET", "/api/v1/network"}, {"POST", "/api/v1/network/members"},
             {"POST", "/api/v1/network/members/{id}"}, {"DELETE", "/api/v1/network/members/{id}"},
             {"GET", "/api/v1/me/settings"}, {"PUT", "/api/v1/me/settings"}, {"POST", "/api/v1/requests"},
             {"GET", "/api/v1/dev/mailbox"}, {"GET", "/dev/mailbox"}, {"POST", "/dev/mailbox/{id}/reply"}}) {
        INFO(method << " " << pattern);
        const Route* r = row(method, pattern);
        REQUIRE(r);
        CHECK(r->scoped == Scoped::no);
    }
    REQUIRE(row("GET", "/api/v1/requests"));
    CHECK(row("GET", "/api/v1/requests")->scoped == Scoped::narrowed);
    REQUIRE(row("POST", "/api/v1/auth/full-link"));
    CHECK(row("POST", "/api/v1/auth/full-link")->scoped == Scoped::session);
}

TEST_CASE("scoped sessions: docs/API.md lists exactly the rows a scoped session may call", "[scoped][routes]") {
    std::ifstream in(std::string(PARLEY_SOURCE_DIR) + "/docs/API.md");
    REQUIRE(in.good());
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string doc = ss.str();
    const size_t start = doc.find("\n### What a scoped session may call");
    REQUIRE(start != std::string::npos);
    const size_t end = doc.find("\n#", start + 5);
    std::istringstream lines(doc.substr(start, end - start));
    static const std::regex line(R"(^\| (GET|POST|PUT|DELETE) \| `([^`]+)` \| ([a-z ]+) \|\s*$)");
    std::set<std::string> documented, table;
    std::string l;
    std::smatch m;
    while (std::getline(lines, l))
        if (std::regex_match(l, m, line)) documented.insert(m[1].str() + " " + m[2].str() + " " + m[3].str());
    for (const Route& r : route_table())
        if (r.scoped != Scoped::no) table.insert(std::string(r.method) + " " + r.pattern + " " + scoped_name(r.scoped));
    CHECK(documented == table);
}

TEST_CASE("scoped sessions: a notification's link makes a short scoped session; other links a full one", "[scoped][domain]") {
    ScopeWorld w;
    auto scoped = w.domain->login(w.domain->issue_mail_link(w.a.id, w.r1));
    REQUIRE(scoped);
    CHECK(scoped->request_id == w.r1);
    CHECK(scoped->max_age_ms == kScopedSessionTtl);
    auto s = w.domain->session(scoped->session_token);
    REQUIRE(s);
    CHECK(s->user.id == w.a.id);
    CHECK(s->scope == w.r1);
    // From the store too (another instance, cold cache).
    Hub hub2(0);
    Domain cold(*w.store, hub2, [&] { return w.now; });
    REQUIRE(cold.session(scoped->session_token));
    CHECK(cold.session(scoped->session_token)->scope == w.r1);

    auto full = w.domain->login(w.domain->issue_magic_link(w.a.id, kDemoLinkTtl, true));
    REQUIRE(full);
    CHECK(full->max_age_ms == kSessionTtl);
    CHECK(w.domain->session(full->session_token)->scope == 0);

    // The scoped session ends after 7 days; the full one goes on.
    w.now += kScopedSessionTtl;
    CHECK_FALSE(w.domain->session(scoped->session_token));
    CHECK(w.domain->session(full->session_token));
}

TEST_CASE("scoped sessions: the step-up link is mailed to the user, once, for 30 minutes", "[scoped][domain]") {
    ScopeWorld w;
    const Domain::Session scoped{w.a, w.r1};
    auto none = w.domain->mail_full_link(Domain::Session{w.a, 0});
    REQUIRE_FALSE(none);
    CHECK(none.error.code == "already_full");

    auto sent = w.domain->mail_full_link(scoped);
    REQUIRE(sent);
    CHECK(*sent == "alice@example.test");
    REQUIRE(w.mail.sent.size() == 1);
    const OutgoingMail& m = w.mail.sent[0];
    CHECK(m.kind == "sign_in");
    CHECK(m.to_address == "alice@example.test");
    CHECK(m.request_id == 0);
    CHECK_FALSE(m.reply_via_relay);
    std::smatch link;
    REQUIRE(std::regex_search(m.text, link, std::regex(R"(https://parley\.example/login/([A-Za-z0-9_-]+)\?next=(\S+))")));
    CHECK(link[2] == "/requests/" + std::to_string(w.r1));
    CHECK(m.html.find(link[1].str()) != std::string::npos);

    auto full = w.domain->login(link[1].str());
    REQUIRE(full);
    CHECK(full->request_id == 0);
    CHECK(full->max_age_ms == kSessionTtl);
    CHECK(w.domain->session(full->session_token)->scope == 0);
    CHECK_FALSE(w.domain->login(link[1].str()));  // single use

    // Unused, it expires after 30 minutes.
    REQUIRE(w.domain->mail_full_link(scoped));
    std::smatch late;
    REQUIRE(std::regex_search(w.mail.sent.back().text, late, std::regex(R"(/login/([A-Za-z0-9_-]+))")));
    w.now += kFullLinkTtl;
    CHECK_FALSE(w.domain->login(late[1].str()));

    // No address, no link.
    User nomail = w.a;
    UserRecord r;
    r.name = "Nomail";
    r.role = "buyer";
    nomail.id = w.store->add_user(r);
    auto refused = w.domain->mail_full_link(Domain::Session{nomail, w.r1});
    REQUIRE_FALSE(refused);
    CHECK(refused.error.code == "no_address");
}

TEST_CASE("scoped sessions: the inbox is the one request; a search is refused", "[scoped][domain]") {
    ScopeWorld w;
    auto in = w.domain->scoped_inbox(w.a, w.r1, {});
    REQUIRE(in);
    CHECK(in->scope_request_id == w.r1);
    REQUIRE(in->requests.size() == 1);
    CHECK(in->requests[0].id == w.r1);
    CHECK(in->total == 1);
    CHECK(in->cursor == w.hub->last_id());
    CHECK(w.domain->inbox(w.a).requests.size() == 2);  // the full inbox has both
    Domain::InboxRequest q;
    q.page = "5_5";
    CHECK(w.domain->scoped_inbox(w.a, w.r1, q)->requests.empty());  // no second page
    q = {};
    q.search = "valve";
    auto search = w.domain->scoped_inbox(w.a, w.r1, q);
    REQUIRE_FALSE(search);
    CHECK(search.error.status == 403);
    CHECK(search.error.code == "scoped_session");
    // A request they cannot see is not listed, scope or not.
    CHECK(w.domain->scoped_inbox(w.a, 999, {})->requests.empty());
}

TEST_CASE("scoped sessions: the long-poll hears only its request", "[scoped][domain][hub]") {
    ScopeWorld w;
    const std::string key1 = "k1", key2 = "k2";
    const int64_t after = w.hub->last_id();
    REQUIRE(w.domain->post_message(w.m, w.r2, &key1, R"({"body":"on r2"})"));
    REQUIRE(w.domain->post_message(w.m, w.r1, &key2, R"({"body":"on r1"})"));
    auto batch = w.domain->poll_events(w.a, after, Hub::Clock::now(), nullptr, w.r1);
    REQUIRE(batch);
    REQUIRE_FALSE(batch->events.empty());
    for (const Event& e : batch->events) CHECK(e.request_id == w.r1);
    CHECK(w.domain->poll_events(w.a, after, Hub::Clock::now(), nullptr)->events.size() > batch->events.size());

    // A held waiter: woken by its request's event, not by another's.
    Hub hub(10);
    int calls = 0;
    std::vector<Event> ready;
    Hub::Reply reply = [&](Hub::Body) { ++calls; };
    CHECK(hub.wait(1, 10, 10, Hub::Clock::now() + std::chrono::hours(1), reply, &ready, 7) ==
          Hub::WaitResult::registered);
    Event e;
    e.id = 11;
    e.request_id = 8;
    hub.publish(e, {1}).deliver();
    CHECK(calls == 0);
    CHECK(hub.waiting() == 1);
    e.id = 12;
    e.request_id = 7;
    hub.publish(e, {1}).deliver();
    CHECK(calls == 1);
    // Registering after both: only the event of its request is ready.
    ready.clear();
    CHECK(hub.wait(1, 10, 10, Hub::Clock::now() + std::chrono::hours(1), reply, &ready, 8) ==
          Hub::WaitResult::immediate);
    REQUIRE(ready.size() == 1);
    CHECK(ready[0].id == 11);
}
