// The HTTP front end's RESTinio side of one request (included by server.cpp alone):
// the Exchange (exchange.h) over a RESTinio request, sending an answer with the security
// headers, and what each answer leaves behind (request_metrics.h: its log line, its
// metrics). The answers given later from another thread (make_reply, make_later) are
// handed to the connection's worker in server.cpp.
#pragma once
#include <restinio/all.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "server/base/gzip.h"
#include "server/http/exchange.h"
#include "server/http/request_guard.h"
#include "server/http/request_metrics.h"
#include "server/http/util.h"

namespace parley::server::http_io {

using Req = restinio::request_handle_t;
using SteadyClock = std::chrono::steady_clock;

// The trace of a request that just arrived (its route is known later, in dispatch).
inline RequestTrace trace_of(const Req& req) {
    RequestTrace t;
    t.start = SteadyClock::now();
    if (auto id = req->header().try_get_field("X-Request-Id")) t.request_id = loggable_request_id(*id);
    return t;
}
// Counted and logged just before the answer leaves: a client that reads /metrics right after
// its answer must find it counted (once after, a scrape on another worker could win).
inline void finished(const Req& req, const RequestTrace& trace, int status, uint64_t bytes) {
    request_done(req->header().method().c_str(), trace, status, bytes);
}
inline uint64_t size_of(const std::string& body) { return body.size(); }
inline uint64_t size_of(const std::shared_ptr<const std::string>& body) { return body ? body->size() : 0; }
inline uint64_t size_of(const restinio::sendfile_t& file) { return static_cast<uint64_t>(file.size()); }

// No framing, no sniffing, no referrer to other sites: on every answer (request_guard.h),
// unless the handler set its own value.
template <class Response>
void append_security_headers(Response& resp, const Headers& given) {
    for (const auto& [name, value] : security_headers()) {
        bool set = false;
        for (const auto& g : given)
            set = set || std::equal(g.first.begin(), g.first.end(), name.begin(), name.end(), [](char a, char b) {
                      return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
                  });
        if (!set) resp.append_header(name, value);
    }
}

template <class Body>
void send_body(const Req& req, const RequestTrace& trace, int status, std::string_view content_type, Body&& body,
               const Headers& headers) {
    auto resp = req->create_response(restinio::http_status_line_t{
        restinio::http_status_code_t{static_cast<std::uint16_t>(status)}, reason_phrase(status)});
    resp.append_header(restinio::http_field::content_type, std::string(content_type));
    for (const auto& [name, value] : headers) resp.append_header(name, value);
    append_security_headers(resp, headers);
    const uint64_t bytes = size_of(body);
    resp.set_body(std::forward<Body>(body));
    finished(req, trace, status, bytes);
    resp.done();
}

// Answers given later from another thread (a long-poll's events, an e-mail read): sent
// on the connection's own worker thread.
Hub::Reply make_reply(const Req& req, const RequestTrace& trace);
Exchange::Later make_later(const Req& req, const RequestTrace& trace);

// ------------------------------------------------------------------ the exchange

// What a request's head may hold (larger: 414 / 431 with a JSON error).
constexpr size_t kMaxUrl = 8 * 1024;
constexpr size_t kMaxFields = 100;
constexpr size_t kMaxFieldName = 1024;
constexpr size_t kMaxFieldValue = 16 * 1024;

// JSON answers from this size on go out gzipped to a client that accepts it (browsers do);
// below it the header costs more than it saves.
constexpr size_t kGzipFrom = 8 * 1024;

class RestinioExchange final : public Exchange {
public:
    explicit RestinioExchange(Req req) : req_(std::move(req)), trace_(trace_of(req_)) {}

    std::string_view method() const override { return req_->header().method().c_str(); }
    std::string_view path() const override { return req_->header().path(); }
    std::string_view query() const override { return req_->header().query(); }
    const std::string& body() const override { return req_->body(); }
    std::shared_ptr<const std::string> shared_body() const override { return {req_, &req_->body()}; }
    std::string header(std::string_view name) const override {
        auto v = req_->header().try_get_field(name);
        return v ? std::string(*v) : std::string();
    }
    bool has_header(std::string_view name) const override { return req_->header().has_field(name); }

    void send(int status, std::string_view content_type, std::string body, const Headers& headers) override {
        sent_ = true;
        if (auto gz = compressed(content_type, body))
            return send_body(req_, trace_, status, content_type, std::move(*gz), with_gzip(headers));
        send_body(req_, trace_, status, content_type, std::move(body), headers);
    }
    void send(int status, std::string_view content_type, std::shared_ptr<const std::string> body,
              const Headers& headers) override {
        sent_ = true;
        if (auto gz = compressed(content_type, *body))
            return send_body(req_, trace_, status, content_type, std::move(*gz), with_gzip(headers));
        send_body(req_, trace_, status, content_type, std::move(body), headers);
    }
    void send_file(std::string_view content_type, const std::string& path, const Headers& headers) override {
        sent_ = true;
        // A 10 MB file on a slow link needs more than the 20 s response time limit.
        send_body(req_, trace_, 200, content_type, restinio::sendfile(path).timelimit(std::chrono::minutes(5)), headers);
    }
    void send_no_content(const Headers& headers) override {
        sent_ = true;
        auto resp = req_->create_response(restinio::http_status_line_t{restinio::http_status_code_t{204}, "No Content"});
        for (const auto& [name, value] : headers) resp.append_header(name, value);
        append_security_headers(resp, headers);
        resp.append_header("Cache-Control", "no-store");
        finished(req_, trace_, 204, 0);
        resp.done();
    }
    Hub::Reply later() override {
        sent_ = true;  // the hub answers
        return make_reply(req_, trace_);
    }
    Later answer_later() override {
        sent_ = true;  // whoever holds it answers
        return make_later(req_, trace_);
    }
    std::string peer() const override { return req_->remote_endpoint().address().to_string(); }
    bool sent() const { return sent_; }
    const Req& req() const { return req_; }
    // The route it took (request_metrics.h): its label in the log and the metrics.
    void set_route(int route) { trace_.route = route; }
    int route() const { return trace_.route; }

private:
    std::optional<std::string> compressed(std::string_view content_type, const std::string& body) const {
        if (body.size() < kGzipFrom || content_type.rfind("application/json", 0) != 0) return std::nullopt;
        if (!accepts_gzip(header("Accept-Encoding"))) return std::nullopt;
        return gzip_compress(body);
    }
    static Headers with_gzip(Headers h) {
        h.emplace_back("Content-Encoding", "gzip");
        h.emplace_back("Vary", "Accept-Encoding");
        return h;
    }

    Req req_;
    RequestTrace trace_;
    bool sent_ = false;
};

}  // namespace parley::server::http_io
