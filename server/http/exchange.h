// One HTTP request and its answer, without RESTinio types: the handlers of the route
// table (handlers.h) read the request and answer through this, and only server.cpp
// knows RESTinio. Exactly one answer is sent per exchange.
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/domain/domain.h"
#include "server/domain/hub.h"

namespace parley::server {

using Headers = std::vector<std::pair<std::string, std::string>>;

inline constexpr const char* kJsonType = "application/json; charset=utf-8";
inline constexpr const char* kHtmlType = "text/html; charset=utf-8";

// A whole answer built before sending (pages, documents).
struct Answer {
    int status = 200;
    std::string content_type;
    std::string body;
    Headers headers;
};

class Exchange {
public:
    virtual ~Exchange() = default;

    // --- the request ---
    virtual std::string_view method() const = 0;
    virtual std::string_view path() const = 0;   // as received (still percent-encoded)
    virtual std::string_view query() const = 0;  // after '?', still encoded
    virtual const std::string& body() const = 0;
    // The same body, shared: alive as long as the pointer (work done later takes a 10 MB
    // mail without copying it).
    virtual std::shared_ptr<const std::string> shared_body() const = 0;
    // A request header ("" when absent).
    virtual std::string header(std::string_view name) const = 0;
    virtual bool has_header(std::string_view name) const = 0;
    // The address of the connection's other end ("127.0.0.1", "::1", ...).
    virtual std::string peer() const = 0;

    // --- the answer ---
    virtual void send(int status, std::string_view content_type, std::string body, const Headers& headers = {}) = 0;
    virtual void send(int status, std::string_view content_type, std::shared_ptr<const std::string> body,
                      const Headers& headers = {}) = 0;
    // A file from disk (sendfile), 200, with a long time limit for slow links.
    virtual void send_file(std::string_view content_type, const std::string& path, const Headers& headers) = 0;
    virtual void send_no_content(const Headers& headers = {}) = 0;
    // For an answer given later from any thread (long-poll): a 200 JSON body.
    virtual Hub::Reply later() = 0;
    // For any answer given later from any thread (e-mail in, mail_in_queue.h): call it
    // once. It goes out through the same path as the others (security headers, log).
    using Later = std::function<void(Answer)>;
    virtual Later answer_later() = 0;

    // --- shorthands ---
    // JSON, never cached.
    void json(int status, std::string body, Headers headers = {}) {
        headers.emplace_back("Cache-Control", "no-store");
        send(status, kJsonType, std::move(body), headers);
    }
    // {"error":{"code","message"}}
    void error(int status, const std::string& code, const std::string& message, Headers headers = {}) {
        json(status, error_body(code, message), std::move(headers));
    }
    void fail(const DomainError& e) { error(e.status, e.code, e.message); }
    void answer(Answer a) { send(a.status, a.content_type, std::move(a.body), a.headers); }
    // A domain result as JSON with `status`, or its error.
    template <class T>
    void reply(int status, Result<T> r) {
        if (!r) return fail(r.error);
        json(status, nlohmann::json(*r).dump());
    }
    // A domain result with no body to send (204), or its error.
    template <class T>
    void done(const Result<T>& r) {
        if (!r) return fail(r.error);
        send_no_content();
    }
};

}  // namespace parley::server
