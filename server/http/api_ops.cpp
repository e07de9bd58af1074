// Operators: GET /healthz and GET /metrics. See docs/API.md, "Operators".
//
// /healthz is public and says only ok or why not (a reason code and a sentence), never
// an error's text. /metrics (Prometheus text format 0.0.4, server/base/metrics.h) is
// protected: with --metrics-token, Authorization: Bearer <token> (401 without, 403 with
// another); without it, this machine only — a loopback peer and no proxy's forwarding
// header (a proxy on this machine would make every client look local). With
// --metrics-listen both are served on that address alone.
#include <nlohmann/json.hpp>

#include <cctype>
#include <chrono>

#include "server/base/crypto.h"
#include "server/base/metrics.h"
#include "server/http/handlers.h"

namespace parley::server {

namespace {

Gauge& longpoll_waiters() {
    static Gauge& g = metrics().gauge("parley_longpoll_waiters", "Long-polls (GET /api/v1/events) waiting now.");
    return g;
}
Gauge& outbox_queue() {
    static Gauge& g = metrics().gauge(
        "parley_outbox_queue_length",
        "Notification e-mails waiting to be sent (queued or to be retried), counted up to 100000.");
    return g;
}
Gauge& start_time() {
    static Gauge& g = metrics().gauge("parley_process_start_time_seconds", "When this process started (Unix time).");
    return g;
}
[[maybe_unused]] const bool kRegistered = [] {
    longpoll_waiters();
    outbox_queue();
    start_time().set(std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count());
    return true;
}();

bool loopback(const std::string& address) {
    return address.rfind("127.", 0) == 0 || address == "::1" || address.rfind("::ffff:127.", 0) == 0;
}

bool starts_with_bearer(std::string_view v) {
    if (v.size() < 7 || v[6] != ' ') return false;
    for (size_t i = 0; i < 6; ++i)
        if (std::tolower(static_cast<unsigned char>(v[i])) != "bearer"[i]) return false;
    return true;
}

}  // namespace

// GET /healthz: 200 {"status":"ok","checks":{...}} | 503 {"status":"unavailable",
// "reason","message","checks":{...}}.
void get_healthz(Call& c) {
    Domain::Health h = c.domain().health();
    const bool db_down = h.reason == "database_unreachable";
    nlohmann::json checks = {
        {"database", db_down ? "unreachable" : "ok"},
        {"outbox", db_down                        ? "unknown"
                   : h.reason == "outbox_stuck"   ? "stuck"
                   : h.reason == "outbox_failing" ? "failing"
                                                  : "ok"}};
    nlohmann::json body = h.ok ? nlohmann::json{{"status", "ok"}, {"checks", checks}}
                               : nlohmann::json{{"status", "unavailable"},
                                                {"reason", h.reason},
                                                {"message", h.message},
                                                {"checks", checks}};
    c.ex.json(h.ok ? 200 : 503, body.dump());
}

// GET /metrics: the registry in the text format.
void get_metrics(Call& c) {
    const HttpOptions& o = c.site.options;
    if (!o.metrics_token.empty()) {
        const std::string authorization = c.ex.header("Authorization");
        if (authorization.empty())
            return c.ex.error(401, "unauthorized", "The metrics need Authorization: Bearer <the metrics token>.",
                              {{"WWW-Authenticate", "Bearer realm=\"metrics\""}});
        if (!starts_with_bearer(authorization) ||
            !secrets_equal(std::string_view(authorization).substr(7), o.metrics_token))
            return c.ex.error(403, "forbidden", "This is not the metrics token.");
    } else if (!c.ops_listener &&
               (!loopback(c.ex.peer()) || c.ex.has_header("X-Forwarded-For") || c.ex.has_header("Forwarded") ||
                c.ex.has_header("X-Real-IP"))) {
        return c.ex.error(403, "local_only",
                          "The metrics are served to this machine only: set --metrics-token (or "
                          "--metrics-listen) to scrape them from elsewhere.");
    }
    longpoll_waiters().set(static_cast<double>(c.domain().hub().waiting()));
    if (int64_t n = c.domain().outbox_backlog(); n >= 0) outbox_queue().set(static_cast<double>(n));
    c.ex.send(200, "text/plain; version=0.0.4; charset=utf-8", metrics().render(), {{"Cache-Control", "no-store"}});
}

}  // namespace parley::server
