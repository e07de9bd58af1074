// Requests over HTTP: who I am, the inbox, a request's page, messages, read marks, the
// workflow actions, contacts, the sales network, live events, settings and
// translations. Handlers of the route table (handlers.h).
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/base/log.h"
#include "server/documents/files.h"
#include "server/documents/table_export.h"
#include "server/http/handlers.h"
#include "server/http/util.h"

namespace parley::server {

// Who I am, for a scoped session the one request it opens (the client shows that alone),
// and my preferences (dark mode: the colour theme).
void get_me(Call& c) {
    c.ex.json(200, nlohmann::json(Me{*c.me, c.scope, c.domain().preferences(*c.me).theme}).dump());
}

// POST /auth/full-link: from a scoped session, a fresh full sign-in link to my own address.
void post_full_link(Call& c) {
    auto sent = c.domain().mail_full_link(Domain::Session{*c.me, c.scope});
    if (!sent) return c.ex.fail(sent.error);
    c.ex.json(202, nlohmann::json(FullLinkSent{*sent}).dump());
}

void post_logout(Call& c) {
    std::string cookie = c.ex.header("Cookie");
    std::string_view token = cookie_value(cookie, kSessionCookie);
    if (!token.empty()) c.domain().logout(token);
    c.ex.send_no_content({{"Set-Cookie", session_cookie(c.site.options, "", 0)}});
}

// The inbox's filters and search, as GET /requests and the export read them.
static Domain::InboxRequest inbox_request(std::string_view query) {
    auto param = [&](std::string_view name) { return query_param(query, name).value_or(""); };
    Domain::InboxRequest q;
    q.page = param("page");
    q.status = param("status");
    q.unread = param("unread") == "1";
    q.country = param("country");
    q.handler = param("handler");
    q.search = param("q");
    return q;
}

// GET /requests?page=&status=&unread=1&country=&handler=&q=&limit=
void get_inbox(Call& c) {
    const std::string_view query = c.ex.query();
    Domain::InboxRequest q = inbox_request(query);
    if (auto limit = query_param(query, "limit")) {
        auto n = parse_id(*limit);
        if (!n || *n > 1000) return c.ex.error(400, "invalid_query", "\"limit\" must be 1 to 100.");
        q.limit = static_cast<int>(*n);
    }
    // A scoped session's inbox is its one request (the route is Scoped::narrowed).
    if (c.scope > 0) return c.ex.reply(200, c.domain().scoped_inbox(*c.me, c.scope, q));
    c.ex.reply(200, c.domain().inbox(*c.me, q));
}

// GET /export/requests?format=csv|xlsx&<the inbox's filters and q>: the whole filtered
// inbox as a download, written to a temporary file page by page (memory stays flat
// whatever its size) and sent from it. Two at once per process; more wait (503).
void get_export(Call& c) {
    const std::string format = query_param(c.ex.query(), "format").value_or("csv");
    if (format != "csv" && format != "xlsx")
        return c.ex.error(400, "invalid_query", "\"format\" must be csv or xlsx.");
    static std::atomic<int> running{0};
    if (running.fetch_add(1) >= 2) {
        running.fetch_sub(1);
        return c.ex.error(503, "export_busy", "Other exports are being written. Try again in a few seconds.",
                          {{"Retry-After", "5"}});
    }
    struct Done {
        ~Done() { running.fetch_sub(1); }
    } done;
    std::string path = (std::filesystem::temp_directory_path() / "parley-export-XXXXXX").string();
    const int fd = mkstemp(path.data());
    if (fd < 0) return c.ex.error(503, "export_failed", "The export could not be written. Try again later.");
    std::FILE* f = fdopen(fd, "wb");
    struct Remove {
        std::string path;
        std::FILE* f;
        ~Remove() {
            if (f) std::fclose(f);
            std::remove(path.c_str());  // sendfile holds its own descriptor
        }
    } cleanup{path, f};
    auto writer = make_table_writer(format, f);
    Result<int> rows = DomainError{500, "export_failed", "The export could not be written."};
    try {
        rows = c.domain().export_inbox(*c.me, inbox_request(c.ex.query()), *writer);
    } catch (const std::exception& e) {
        log_line(std::string("parley: export: ") + e.what());
        return c.ex.error(503, "export_failed", "The export could not be written. Try again later.");
    }
    if (!rows) return c.ex.fail(rows.error);
    std::fclose(cleanup.f);
    cleanup.f = nullptr;
    char day[16];
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(day, sizeof day, "%Y-%m-%d", &tm);
    const std::string name = std::string("parley-requests-") + day + "." + format;
    c.ex.send_file(format == "csv" ? "text/csv; charset=utf-8"
                                   : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   path,
                   {{"Content-Disposition", content_disposition(name)},
                    {"Cache-Control", "no-store"},
                    {"X-Export-Rows", std::to_string(*rows)}});
}

// GET /requests/{id}/history?before=<message id>[&down_to=<id>] | ?after=<id> | ?around=<id>, [&limit=]
void get_history(Call& c) {
    const std::string_view query = c.ex.query();
    Domain::HistoryQuery q;
    int64_t limit = kThreadPage;
    auto number = [&](std::string_view name, int64_t& out) {
        auto v = query_param(query, name);
        if (!v) return true;
        auto n = parse_id(*v);
        if (n) out = *n;
        return n.has_value();
    };
    if (!number("before", q.before) || !number("down_to", q.down_to) || !number("after", q.after) ||
        !number("around", q.around) || !number("limit", limit) || limit > 1000)
        return c.ex.error(400, "invalid_query",
                          "\"before\", \"after\", \"around\", \"down_to\" and \"limit\" must be numbers.");
    q.limit = static_cast<int>(limit);
    c.ex.reply(200, c.domain().history(*c.me, c.id, q));
}
void post_request(Call& c) { c.ex.reply(201, c.domain().create_request(*c.me, c.ex.body())); }

// The serialized detail is cached by the domain per request and viewer: sent as is.
// With ?down_to=<message id> (a link to an old message): from the newest message down
// to that one, not cached.
void get_detail(Call& c) {
    if (auto down = query_param(c.ex.query(), "down_to")) {
        auto id = parse_id(*down);
        if (!id) return c.ex.error(400, "invalid_query", "\"down_to\" must be a message id.");
        return c.ex.reply(200, c.domain().detail(*c.me, c.id, *id));
    }
    auto json = c.domain().detail_json(*c.me, c.id);
    if (!json) return c.ex.fail(json.error);
    c.ex.send(200, kJsonType, std::move(*json), {{"Cache-Control", "no-store"}});
}

void post_message(Call& c) {
    std::string key = c.ex.header("Idempotency-Key");
    bool has_key = c.ex.has_header("Idempotency-Key");
    auto posted = c.domain().post_message(*c.me, c.id, has_key ? &key : nullptr, c.ex.body());
    if (!posted) return c.ex.fail(posted.error);
    c.ex.json(posted->created ? 201 : 200, nlohmann::json(posted->message).dump());
}

void post_read(Call& c) { c.ex.done(c.domain().mark_read(*c.me, c.id, c.ex.body())); }
void post_phone(Call& c) { c.ex.reply(200, c.domain().reveal_phone(*c.me, c.id)); }
void post_cc(Call& c) { c.ex.reply(200, c.domain().add_recipient(*c.me, c.id, c.ex.body(), false)); }
void post_forward(Call& c) { c.ex.reply(200, c.domain().add_recipient(*c.me, c.id, c.ex.body(), true)); }
void post_decline(Call& c) { c.ex.reply(200, c.domain().decline(*c.me, c.id, c.ex.body())); }
void post_close(Call& c) { c.ex.reply(200, c.domain().close(*c.me, c.id, c.ex.body())); }
void post_rating(Call& c) { c.ex.reply(200, c.domain().rate(*c.me, c.id, c.ex.body())); }
void get_contacts(Call& c) { c.ex.reply(200, c.domain().contacts(*c.me)); }
// E-mail in: my reply held because its sender proved nothing — posted or discarded by me.
void post_held_reply(Call& c) { c.ex.reply(200, c.domain().post_held_reply(*c.me, c.id)); }
void discard_held_reply(Call& c) { c.ex.reply(200, c.domain().discard_held_reply(*c.me, c.id)); }

void get_network(Call& c) { c.ex.reply(200, c.domain().network(*c.me)); }
void post_member(Call& c) { c.ex.reply(201, c.domain().add_member(*c.me, c.ex.body())); }
void update_member(Call& c) { c.ex.reply(200, c.domain().update_member(*c.me, c.id, c.ex.body())); }
void delete_member(Call& c) { c.ex.done(c.domain().remove_member(*c.me, c.id)); }

// GET /events?after=N: answered now when a visible event is newer, else held until one
// arrives or the poll timeout (answered by the hub, from whichever thread).
void get_events(Call& c) {
    int64_t after = 0;
    std::string_view query = c.ex.query();
    if (query.find("after=") != std::string_view::npos) {
        auto text = query_param(query, "after");
        auto v = text ? parse_cursor(*text) : std::nullopt;
        if (!v) return c.ex.error(400, "invalid_cursor", "\"after\" must be a non-negative integer.");
        after = *v;
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(c.site.options.poll_timeout_s);
    auto now = c.domain().poll_events(*c.me, after, deadline, c.ex.later(), c.scope);  // scoped: its request only
    if (now) c.ex.json(200, nlohmann::json(*now).dump());
}

void get_settings(Call& c) { c.ex.reply(200, c.domain().settings(*c.me)); }
void put_settings(Call& c) { c.ex.reply(200, c.domain().update_settings(*c.me, c.ex.body())); }
void put_preferences(Call& c) { c.ex.reply(200, c.domain().update_preferences(*c.me, c.ex.body())); }

void get_translation_languages(Call& c) {
    c.ex.json(200, nlohmann::json(c.domain().translation_languages()).dump());
}

// GET /requests/{id}/translations?to=fr[&items=m12,r3]
void get_translations(Call& c) {
    std::string_view query = c.ex.query();
    std::string to = query_param(query, "to").value_or("");
    std::vector<std::string> items;
    if (query.find("items=") != std::string_view::npos) {
        auto list = query_param(query, "items");
        if (!list) return c.ex.error(400, "invalid_field", "\"items\" is badly encoded.");
        for (size_t a = 0; a <= list->size();) {
            size_t b = list->find(',', a);
            if (b == std::string::npos) b = list->size();
            if (b > a) items.push_back(list->substr(a, b - a));
            a = b + 1;
        }
        if (items.size() > 500) return c.ex.error(400, "invalid_field", "At most 500 items at once.");
    }
    long retry_after = -1;
    auto r = c.domain().translations(*c.me, c.id, to, items, &retry_after);
    if (!r) {
        Headers h;
        if (retry_after > 0) h.emplace_back("Retry-After", std::to_string(retry_after));
        return c.ex.error(r.error.status, r.error.code, r.error.message, std::move(h));
    }
    c.ex.json(200, nlohmann::json(*r).dump());
}

}  // namespace parley::server
