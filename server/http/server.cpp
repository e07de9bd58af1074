// HTTP front end on RESTinio: the Exchange over a RESTinio request, the router (route
// table → handler, 404/405/401 from the table, the static client as the fallback) and
// the worker threads. See server.h.
//
// Index:
//   RestinioExchange   the Exchange (exchange.h) of one RESTinio request: server_exchange.h
//   Router             dispatch through match_route (routes.h), errors, static files
//   serve()            one single-threaded RESTinio server per core, shutdown
#include "server/http/server.h"

#include <restinio/all.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <csignal>
#include <memory>
#include <mutex>
#include <optional>
#include <semaphore>
#include <thread>
#include <vector>

#include "server/base/log.h"
#include "server/http/capacity.h"
#include "server/http/exchange.h"
#include "server/http/handlers.h"
#include "server/http/pages.h"
#include "server/http/rate_limit.h"
#include "server/http/request_guard.h"
#include "server/http/request_metrics.h"
#include "server/http/routes.h"
#include "server/http/scope.h"
#include "server/http/server_exchange.h"
#include "server/http/util.h"

namespace parley::server {
namespace {

using namespace http_io;  // server_exchange.h

// ------------------------------------------------------------------ router

class Router {
public:
    Router(Domain& d, const HttpOptions& o, const Capacity& c) : site_(d, o), capacity_(c) {
        limits_.enabled = o.rate_limits;
        limits_.trusted_proxy = o.trusted_proxy;
    }

    void stop_mail_in() { site_.mail_in.stop(); }

    // The operators' own listener (--metrics-listen): /healthz and /metrics alone.
    restinio::request_handling_status_t handle_ops(Req req) {
        RestinioExchange ex(std::move(req));
        try {
            RouteMatch m = match_ops_route(ex.path(), ex.method());
            ex.set_route(m.index);
            if (m.route) {
                Call call{ex, site_, std::nullopt, 0, {}};
                call.ops_listener = true;
                m.route->handler(call);
            } else if (!m.allow.empty()) {
                ex.error(405, "method_not_allowed", "Use " + m.allow + " for this endpoint.", {{"Allow", m.allow}});
            } else {
                ex.error(404, "not_found", "Only /healthz and /metrics are served here.");
            }
        } catch (const std::exception& e) {
            internal_error(ex, e.what());
        }
        return restinio::request_accepted();
    }

    restinio::request_handling_status_t handle(Req req) {
        if (capacity_.open.load(std::memory_order_relaxed) >= capacity_.busy_at) return busy(req);
        RestinioExchange ex(std::move(req));
        if (auto refusal = oversized_head(ex.req())) {
            ex.error(refusal->status, refusal->code, refusal->message);
            return restinio::request_accepted();
        }
        try {
            dispatch(ex);
        } catch (const std::exception& e) {
            internal_error(ex, e.what());
        } catch (...) {
            internal_error(ex, "unknown exception");
        }
        return restinio::request_accepted();
    }

private:
    // A request line or header over our limits gets a clear answer (the parser's own,
    // higher limits below only cut off what is far beyond them).
    struct Refusal {
        int status;
        const char* code;
        const char* message;
    };
    static std::optional<Refusal> oversized_head(const Req& req) {
        const auto& h = req->header();
        if (h.request_target().size() > kMaxUrl)
            return Refusal{414, "uri_too_long", "The address is longer than 8 KB."};
        if (h.fields_count() > kMaxFields)
            return Refusal{431, "headers_too_large", "The request has more than 100 header fields."};
        for (const auto& f : h)
            if (f.value().size() > kMaxFieldValue || f.name().size() > kMaxFieldName)
                return Refusal{431, "headers_too_large", "A header field is longer than 16 KB."};
        return std::nullopt;
    }

    // Near the connection cap: a clear answer and the connection closed, so that the
    // descriptors come back and the client knows when to try again.
    static restinio::request_handling_status_t busy(const Req& req) {
        auto resp = req->create_response(restinio::http_status_line_t{restinio::http_status_code_t{503},
                                                                       reason_phrase(503)});
        resp.append_header(restinio::http_field::content_type, std::string(kJsonType));
        resp.append_header("Retry-After", "5");
        resp.append_header("Cache-Control", "no-store");
        append_security_headers(resp, {});
        resp.connection_close();
        resp.set_body(R"({"error":{"code":"busy","message":"The server has too many open connections; try again in a few seconds."}})");
        finished(req, trace_of(req), 503, 0);
        resp.done();
        return restinio::request_accepted();
    }

    void internal_error(RestinioExchange& ex, const char* what) {
        log_line("error: " + std::string(ex.method()) + " " + std::string(route_label(ex.route())) + ": " + what);
        if (ex.sent()) return;  // a response was already under way: nothing more to say
        try {
            ex.error(500, "internal", "Internal server error.");
        } catch (...) {
        }
    }

    std::optional<Domain::Session> session_of(const Exchange& ex) {
        std::string cookie = ex.header("Cookie");
        std::string_view token = cookie_value(cookie, kSessionCookie);
        if (token.empty()) return std::nullopt;
        return site_.domain.session(token);
    }

    // 429 with the wait in words, in Retry-After and in the JSON error.
    static void too_many(RestinioExchange& ex, int wait_s, Format format) {
        const std::string after = std::to_string(wait_s);
        if (format == Format::html)
            return ex.send(429, kHtmlType, html_page("Too many attempts", "Wait " + after + " seconds, then try again."),
                           {{"Retry-After", after}, {"Cache-Control", "no-store"}});
        ex.json(429, error_body("rate_limited", "Too many requests: wait " + after + " seconds, then try again.", wait_s),
                {{"Retry-After", after}});
    }
    static int64_t now_ms() {
        return std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now().time_since_epoch()).count();
    }

    void dispatch(RestinioExchange& ex) {
        std::string_view path = ex.path(), method = ex.method();
        RouteMatch m = match_route(path, method, site_.options);
        ex.set_route(m.index);
        if (limits_.enabled) {
            const std::string addr = client_address(ex.peer(), ex.header("X-Forwarded-For"), limits_.trusted_proxy);
            if (int wait = limits_.per_address.take(addr, now_ms())) return too_many(ex, wait, Format::json);
            if (path.rfind("/login/", 0) == 0)
                if (int wait = limits_.sign_in.take(addr, now_ms())) return too_many(ex, wait, Format::html);
        }
        if (!m.route) {
            if (!m.allow.empty()) {
                if (m.format == Format::html)
                    return ex.send(405, kHtmlType, html_page("Method not allowed", "Use " + m.allow + " here."),
                                   with(page_headers(), "Allow", m.allow));
                return ex.error(405, "method_not_allowed", "Use " + m.allow + " for this endpoint.",
                                {{"Allow", m.allow}});
            }
            if (path.rfind("/api/", 0) == 0 || path == "/api") return ex.error(404, "not_found", "No such API endpoint.");
            if (m.format == Format::html)  // e.g. /pay/demo/ without a session
                return ex.send(404, kHtmlType, html_page("Not found", "No such page."), page_headers());
            if (site_.files) return static_file(ex);
            return ex.error(404, "not_found", "Not found.");
        }
        const Route& r = *m.route;
        if (r.body == Body::bytes) count_upload_bytes(ex.body().size());
        if (changes_state(method) && (r.who == Who::user || r.who == Who::anyone)) {
            // Pages of other origins may not act with the user's cookie (request_guard.h).
            if (!from_own_page(ex.header("Sec-Fetch-Site"), ex.header("Origin"), ex.header("Host"),
                               site_.options.public_origin)) {
                if (r.format == Format::html)
                    return ex.send(403, kHtmlType, html_page("Refused", "This form was sent from another site."),
                                   page_headers());
                return ex.error(403, "cross_site", "This request was sent from a page of another site.");
            }
        }
        Call call{ex, site_, std::nullopt, 0, m.arg};
        if (r.who == Who::user) {
            if (auto session = session_of(ex)) {
                call.me = std::move(session->user);
                call.scope = session->scope;
            }
            if (!call.me) {
                if (r.format == Format::html)
                    return ex.send(401, kHtmlType, html_page("Sign in first", "Open your sign-in link, then come back."),
                                   page_headers());
                return ex.error(401, "unauthorized", "Sign in with your magic link first.");
            }
        }
        if (!m.id_text.empty()) {
            auto id = parse_id(m.id_text);
            if (!id) {
                if (r.format == Format::html)
                    return ex.send(404, kHtmlType, html_page("Not found", "No such page."), page_headers());
                return ex.error(404, "not_found", r.missing);
            }
            call.id = *id;
        }
        // A scoped session (a notification's sign-in link) opens its request alone (scope.h).
        if (auto refusal = scoped_refusal(r, call)) {
            if (r.format == Format::html)
                return ex.send(403, kHtmlType, html_page("This link opens one request only", *refusal), page_headers());
            return ex.error(403, "scoped_session", *refusal);
        }
        if (limits_.enabled && call.me) {
            const std::string key = std::to_string(call.me->id);
            int wait = 0;
            switch (request_costs(method, path, r.body == Body::bytes)) {
                case Costs::change: wait = limits_.changes.take(key, now_ms()); break;
                case Costs::translation: wait = limits_.translations.take(key, now_ms()); break;
                case Costs::mailed_link:  // a mail to their inbox: its own, tighter bucket too
                    wait = limits_.changes.take(key, now_ms());
                    if (!wait) wait = limits_.mailed_links.take(key, now_ms());
                    break;
                case Costs::nothing: break;
            }
            if (wait) return too_many(ex, wait, r.format);
        }
        if (changes_state(method) && r.format == Format::json && r.body == Body::json &&
            (r.who == Who::user || r.who == Who::anyone) && !ex.body().empty()) {
            if (ex.body().size() > kMaxJsonBody)
                return ex.error(413, "body_too_large", "The request body is too large.");
            if (!is_json_content_type(ex.header("Content-Type")))
                return ex.error(415, "unsupported_media_type", "Send JSON with Content-Type: application/json.");
        }
        r.handler(call);
    }

    static Headers with(Headers h, std::string name, std::string value) {
        h.emplace_back(std::move(name), std::move(value));
        return h;
    }

    // The web client (--web-root): GET only.
    void static_file(RestinioExchange& ex) {
        ex.set_route(kRouteStatic);
        if (ex.method() != "GET") return ex.error(405, "method_not_allowed", "Use GET for files.", {{"Allow", "GET"}});
        bool gzip = ex.header("Accept-Encoding").find("gzip") != std::string::npos;
        StaticResponse r = site_.files->get(ex.path(), gzip);
        ex.send(r.status, r.content_type, std::move(r.body), r.headers);
    }

    Site site_;
    const Capacity& capacity_;
    RateLimits limits_;
};

// One single-threaded RESTinio server per worker thread, all listening on the same port
// (SO_REUSEPORT: the kernel spreads connections). Everything about a connection happens
// on its worker's thread, so no strands or locks are needed on the hot path; answers
// computed elsewhere (long-poll wake-ups) are handed to the connection's worker, which
// sends a wake-up's answers in one go.
// Counts the open connections (capacity.h).
struct ConnectionCounter {
    Capacity* capacity;
    void state_changed(const restinio::connection_state::notice_t& n) noexcept {
        if (restinio::holds_alternative<restinio::connection_state::accepted_t>(n.cause()))
            capacity->open.fetch_add(1, std::memory_order_relaxed);
        else if (restinio::holds_alternative<restinio::connection_state::closed_t>(n.cause()))
            capacity->open.fetch_sub(1, std::memory_order_relaxed);
    }
};
// Closes a new connection at once when the cap is reached (its descriptor comes back),
// and counts the accepts of its worker (the watchdog's sign of a living acceptor).
struct ConnectionGate {
    Capacity* capacity;
    std::atomic<uint64_t>* accepts;
    restinio::ip_blocker::inspection_result_t inspect(const restinio::ip_blocker::incoming_info_t&) noexcept {
        accepts->fetch_add(1, std::memory_order_relaxed);
        if (capacity->open.load(std::memory_order_relaxed) < capacity->refuse_at) return restinio::ip_blocker::allow();
        static std::atomic<long> said{0};  // once per minute at most
        long minute = static_cast<long>(std::chrono::duration_cast<std::chrono::minutes>(
                                             SteadyClock::now().time_since_epoch()).count());
        if (said.exchange(minute) != minute)
            log_line("parley: " + std::to_string(capacity->refuse_at) +
                     " connections open: new ones are closed until some end");
        return restinio::ip_blocker::deny();
    }
};
struct Traits : restinio::single_thread_traits_t<restinio::asio_timer_manager_t, restinio::null_logger_t> {
    using connection_state_listener_t = ConnectionCounter;
    using ip_blocker_t = ConnectionGate;
};
using Server = restinio::http_server_t<Traits>;
using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

// Answers computed on another thread (long-polls, e-mail in), waiting to be sent by
// their connection's worker. A wake-up hands thousands at once: they are appended here and
// one handler per worker sends them all (not one posted handler, one allocation and one
// reactor wake-up per answer).
struct Pending {
    Req req;
    RequestTrace trace;
    Hub::Body body;                // a long-poll's events (200 JSON), or
    std::optional<Answer> answer;  // any answer

    void send() noexcept {
        try {
            if (answer) return send_body(req, trace, answer->status, answer->content_type, std::move(answer->body),
                                         answer->headers);
            static const Headers kNoStore{{"Cache-Control", "no-store"}};
            send_body(req, trace, 200, kJsonType, std::move(body), kNoStore);
        } catch (...) {
            // connection already gone
        }
    }
};
// A burst of answers (one event waking thousands of long-polls) is sent by as many
// workers at once as there are cores: with every worker sending its share at the same
// time, the cores switch between them and every answer goes out late (measured at 10,000
// waiters on 2 cores, 16 workers: p99 93–102 ms; 4 workers: 74–84 ms). Small drains —
// ordinary traffic — never wait here.
constexpr size_t kBurstAnswers = 64;
std::counting_semaphore<64>& burst_gate() {
    static std::counting_semaphore<64> gate(
        static_cast<std::ptrdiff_t>(std::clamp(std::thread::hardware_concurrency(), 1u, 64u)));
    return gate;
}

struct Outgoing {
    std::mutex mu;
    std::vector<Pending> answers;
    bool scheduled = false;  // a drain handler is posted and has not taken the list yet
};

struct Worker {
    asio::io_context ioctx{1};
    // Runs until stopped, even with nothing to do: a worker whose accepts failed has no
    // operation left, and must still be there to listen anew.
    asio::executor_work_guard<asio::io_context::executor_type> keep{ioctx.get_executor()};
    // The watchdog's view of the acceptor: its socket, its accepts, ticks seen stuck.
    std::atomic<int> listen_fd{-1};
    std::atomic<uint64_t> accepts{0};
    uint64_t accepts_seen = 0;
    int stuck_ticks = 0;
    std::unique_ptr<Server> server;
    asio::steady_timer grace{ioctx};
    std::thread thread;
    Outgoing outgoing;

    // Sends every answer handed over so far (on this worker's thread).
    void drain() {
        std::vector<Pending> answers;
        {
            std::lock_guard lk(outgoing.mu);
            answers.swap(outgoing.answers);
            outgoing.scheduled = false;
        }
        struct Slot {
            Slot() { burst_gate().acquire(); }
            ~Slot() { burst_gate().release(); }
        };
        std::optional<Slot> slot;
        if (answers.size() >= kBurstAnswers) slot.emplace();
        for (auto& a : answers) a.send();
    }
    void hand_over(Pending p) {
        bool post = false;
        {
            std::lock_guard lk(outgoing.mu);
            outgoing.answers.push_back(std::move(p));
            post = !outgoing.scheduled;
            outgoing.scheduled = true;
        }
        if (post) asio::post(ioctx, [this] { drain(); });
    }
};

// The worker running the current thread (nullptr elsewhere).
thread_local Worker* t_home = nullptr;

// On the connection's worker (handlers run on one: `home` is set), else at once.
void hand_over(Worker* home, Pending p) {
    if (home) return home->hand_over(std::move(p));
    p.send();
}
}  // namespace

Hub::Reply http_io::make_reply(const Req& req, const RequestTrace& trace) {
    return [req, trace, home = t_home](Hub::Body body) {
        hand_over(home, Pending{req, trace, std::move(body), std::nullopt});
    };
}
// Called once: the request goes with the answer, so the worker lets it go, not the caller.
Exchange::Later http_io::make_later(const Req& req, const RequestTrace& trace) {
    return [req, trace, home = t_home](Answer a) mutable {
        hand_over(home, Pending{std::move(req), std::move(trace), nullptr, std::move(a)});
    };
}


// Every second. RESTinio never accepts again on a socket whose accept failed (out of
// descriptors): a worker whose listening socket holds waiting connections and has taken
// none for two ticks gets its socket opened anew, once descriptors are free.
static void listen_anew(Worker* wp, uint64_t accepts_then) {
    if (wp->accepts.load() != accepts_then) return;  // it accepted meanwhile: alive
    try {
        wp->listen_fd = -1;  // the number may be reused once closed
        wp->server->close_sync();
        wp->server->open_sync();
    } catch (const std::exception& e) {
        log_line(std::string("error: listening anew: ") + e.what());
    }
}

static void watch_descriptors(asio::steady_timer& timer, std::vector<std::unique_ptr<Worker>>& workers, bool& out) {
    timer.expires_after(std::chrono::seconds(1));
    timer.async_wait([&timer, &workers, &out](const asio::error_code& ec) {
        if (ec) return;
        // `out`: this shortage was told. Told once, by the tick that finds no descriptor
        // free or, when it ended between two ticks, by the one that finds sockets it left
        // stuck; forgotten once descriptors are free and no socket is stuck.
        const bool now_out = descriptors_exhausted();
        int stuck = 0;
        for (auto& w : workers) {
            const uint64_t a = w->accepts.load();
            const bool waiting = w->listen_fd < 0 || accept_queue_length(w->listen_fd) > 0;
            w->stuck_ticks = waiting && a == w->accepts_seen ? w->stuck_ticks + 1 : 0;
            w->accepts_seen = a;
            if (now_out || w->stuck_ticks < 2) continue;
            w->stuck_ticks = 0;
            ++stuck;
            Worker* wp = w.get();
            asio::post(wp->ioctx, [wp, a] { listen_anew(wp, a); });
        }
        if ((now_out || stuck) && !out) log_line("parley: out of file descriptors: connections wait until some close");
        if (stuck)
            log_line("parley: " + std::to_string(stuck) +
                     " listening sockets had stopped accepting (out of descriptors): listening anew");
        bool waiting = false;
        for (auto& w : workers) waiting |= w->stuck_ticks > 0;
        out = now_out || stuck || (out && waiting);
        watch_descriptors(timer, workers, out);
    });
}

unsigned http_worker_threads(const HttpOptions& options) {
    return options.threads ? options.threads : std::max(16u, 2 * std::thread::hardware_concurrency());
}

void serve(Domain& domain, const HttpOptions& options, const std::function<void()>& on_listening) {
    Capacity capacity;
    const long fd_limit = raise_descriptor_limit();
    plan_capacity(capacity, fd_limit, options.max_connections);
    log_line("parley: " + std::to_string(fd_limit) + " file descriptors, at most " +
             std::to_string(capacity.refuse_at) + " connections");
    auto counter = std::make_shared<ConnectionCounter>(ConnectionCounter{&capacity});
    Router router(domain, options, capacity);
    // Posts block in their durable write, and the posts waiting together are stored in
    // one transaction (server/domain/post_commit.cpp): enough threads to make batches
    // (bench/README.md: 16 connections posting reach 0.33 of raw SQLite commits with 4
    // threads, 0.45 with 16).
    const unsigned n = http_worker_threads(options);

    // Bodies up to 1.5 × the upload limit reach the handler (→ JSON 413 from the domain:
    // kMaxJsonBody for JSON endpoints, kMaxUploadBytes for files); larger ones are
    // refused by the parser before they are read (connection closed).
    // The request line and headers: RESTinio's limits are four times ours, so that a
    // request a little over ours gets its 414/431 (oversized_head) rather than a closed
    // connection; the HTTP parser caps the whole head at 80 KB anyway.
    auto limits = restinio::incoming_http_msg_limits_t{}
                      .max_url_size(4 * kMaxUrl)
                      .max_field_name_size(4 * kMaxFieldName)
                      .max_field_value_size(4 * kMaxFieldValue)
                      .max_field_count(4 * kMaxFields)
                      .max_body_size(static_cast<size_t>(kMaxUploadBytes + kMaxUploadBytes / 2));
    auto hold = std::chrono::seconds(options.poll_timeout_s);

    // SO_REUSEPORT would let a second server share the port silently: probe with a plain
    // bind first so that "address in use" is reported as usual.
    {
        asio::io_context probe_ctx;
        asio::ip::tcp::acceptor probe(probe_ctx);
        asio::ip::tcp::resolver resolver(probe_ctx);
        auto ep = resolver.resolve(options.host, std::to_string(options.port))->endpoint();
        probe.open(ep.protocol());
        probe.set_option(asio::ip::tcp::acceptor::reuse_address(true));
        probe.bind(ep);  // throws asio::system_error (address in use) if taken
    }

    std::vector<std::unique_ptr<Worker>> workers;
    // A worker: its own single-threaded server on host:port (`shared`: SO_REUSEPORT, the
    // main port's workers all listen on it), answering through `handle`.
    auto add_worker = [&](const std::string& host, uint16_t port, bool shared, std::function<restinio::request_handling_status_t(Req)> handle) {
        auto w = std::make_unique<Worker>();
        restinio::server_settings_t<Traits> settings;
        settings.address(host)
            .port(port)
            .incoming_http_msg_limits(limits)
            .handle_request_timeout(hold + std::chrono::seconds(30))
            .read_next_http_message_timelimit(std::chrono::seconds(60))
            .write_http_response_timelimit(std::chrono::seconds(20))
            .concurrent_accepts_count(2)
            .acceptor_options_setter([shared](restinio::acceptor_options_t& o) {
                o.set_option(asio::ip::tcp::acceptor::reuse_address(true));
                if (shared) o.set_option(ReusePort(true));
            })
            .connection_state_listener(counter)
            .ip_blocker(std::make_shared<ConnectionGate>(ConnectionGate{&capacity, &w->accepts}))
            .acceptor_post_bind_hook([wp = w.get()](asio::ip::tcp::acceptor& a) { wp->listen_fd = a.native_handle(); })
            .request_handler(std::move(handle));
        w->server = std::make_unique<Server>(restinio::external_io_context(w->ioctx), std::move(settings));
        w->server->open_sync();  // binds now: a busy port fails here, before any thread runs
        workers.push_back(std::move(w));
    };
    for (unsigned i = 0; i < n; ++i)
        add_worker(options.host, options.port, true, [&router](Req req) { return router.handle(std::move(req)); });
    // Operators' own listener (--metrics-listen): /healthz and /metrics alone.
    if (options.metrics_port)
        add_worker(options.metrics_host, options.metrics_port, false,
                   [&router](Req req) { return router.handle_ops(std::move(req)); });
    asio::io_context& main_ctx = workers[0]->ioctx;

    // Expired long-polls are answered every 100 ms.
    asio::steady_timer sweeper(main_ctx);
    std::function<void()> sweep = [&] {
        sweeper.expires_after(std::chrono::milliseconds(100));
        sweeper.async_wait([&](const asio::error_code& ec) {
            if (ec) return;
            domain.expire_waiters();
            sweep();
        });
    };
    sweep();
    asio::steady_timer fd_watch(main_ctx);
    bool fds_out = false;
    watch_descriptors(fd_watch, workers, fds_out);

    asio::signal_set signals(main_ctx, SIGINT, SIGTERM);
    signals.async_wait([&](const asio::error_code& ec, int) {
        if (ec) return;
        log_line("parley: shutting down");
        sweeper.cancel();
        fd_watch.cancel();
        domain.hub().drain().deliver();  // held long-polls get their (empty) answer
        router.stop_mail_in();           // mails being read end and are answered, the waiting get 503
        for (auto& w : workers) {
            Worker* wp = w.get();
            asio::post(wp->ioctx, [wp] {
                wp->server->close_async(
                    [wp] {
                        // Leave a moment for the last responses to be written.
                        wp->grace.expires_after(std::chrono::milliseconds(100));
                        wp->grace.async_wait([wp](const asio::error_code&) { wp->ioctx.stop(); });
                    },
                    [wp](std::exception_ptr) { wp->ioctx.stop(); });
            });
        }
    });

    for (auto& w : workers) {
        Worker* wp = w.get();
        wp->thread = std::thread([wp] {
            t_home = wp;
            for (;;) {
                try {
                    wp->ioctx.run();
                    break;
                } catch (const std::exception& e) {
                    log_line(std::string("error: worker: ") + e.what());
                }
            }
        });
    }
    on_listening();
    for (auto& w : workers) w->thread.join();
    auto late = domain.hub().drain();  // drop anything that arrived during the shutdown
    late.items.clear();
}

}  // namespace parley::server
