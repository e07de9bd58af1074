// A scoped session in the client (signed in by a notification e-mail's link): its request
// opens whatever the address, the account's settings are not asked for, and "Send me a
// full sign-in link" posts once and says where the link went.
#include <catch2/catch.hpp>
#include <algorithm>
#include "app/state.h"

using namespace parley;

namespace {
Inbox scoped_inbox(int64_t request) {
    Inbox in;
    in.me = {1, "Pierre", "DL", "FR", "fr", "buyer"};
    RequestSummary r;
    r.id = request;
    in.requests = {r};
    in.cursor = 40;
    in.scope_request_id = request;
    return in;
}
bool asks(const Effects& fx, const std::string& path) {
    return std::any_of(fx.calls.begin(), fx.calls.end(), [&](const HttpCall& c) { return c.path.rfind(path, 0) == 0; });
}
}  // namespace

TEST_CASE("scoped session: its request opens, settings are not asked for", "[state][scoped]") {
    AppState s;
    Effects fx;
    action_start(s, "/", fx);
    CHECK(session_scope(s) == 0);
    Effects fx2;
    action_http_done(s, fx.calls.at(0), {200, dump_json(scoped_inbox(12))}, fx2);
    CHECK(session_scope(s) == 12);
    CHECK(s.route.screen == Screen::Request);
    CHECK(s.route.request_id == 12);
    CHECK(fx2.push_url == std::optional<std::string>("/requests/12"));
    CHECK(asks(fx2, "/api/v1/requests/12"));
    CHECK(asks(fx2, "/api/v1/translation/languages"));
    CHECK_FALSE(asks(fx2, "/api/v1/me/settings"));

    // A full session asks for its settings and stays where it is.
    AppState full;
    Effects f1, f2;
    action_start(full, "/", f1);
    action_http_done(full, f1.calls.at(0), {200, dump_json(scoped_inbox(0))}, f2);
    CHECK(full.route.screen == Screen::Inbox);
    CHECK(asks(f2, "/api/v1/me/settings"));
}

TEST_CASE("scoped session: the full sign-in link is asked for once; the answer names the address", "[state][scoped]") {
    AppState s;
    Effects fx;
    action_start(s, "/requests/12?reply=1", fx);
    Effects fx2;
    action_http_done(s, fx.calls.at(0), {200, dump_json(scoped_inbox(12))}, fx2);
    Effects ask;
    action_full_link(s, ask);
    REQUIRE(ask.calls.size() == 1);
    CHECK(ask.calls[0].method == "POST");
    CHECK(ask.calls[0].path == "/api/v1/auth/full-link");
    CHECK(s.full_link.sending);
    Effects again;
    action_full_link(s, again);
    CHECK(again.calls.empty());  // one at a time

    Effects done;
    action_http_done(s, ask.calls[0], {500, R"({"error":{"code":"internal","message":"Internal server error."}})"}, done);
    CHECK_FALSE(s.full_link.sending);
    CHECK(s.full_link.error == "Internal server error.");
    Effects retry;
    action_full_link(s, retry);
    REQUIRE(retry.calls.size() == 1);
    action_http_done(s, retry.calls[0], {202, R"({"email":"p.dubois@example.fr"})"}, done);
    CHECK(s.full_link.sent_to == "p.dubois@example.fr");
    CHECK(s.full_link.error.empty());

    // Not scoped: nothing to ask for.
    AppState full;
    Effects none;
    action_full_link(full, none);
    CHECK(none.calls.empty());
}
