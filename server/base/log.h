// Buffered log to stderr: one line per request, flushed by a background thread every
// 200 ms (or when the buffer is large) so logging never dominates throughput.
//
// Operators: two formats (--log-format). text: "GET /api/v1/requests/{id} 200 1.234ms
// 512B rid=abc" and the other lines as written; json: one JSON object per line, for a log
// shipper — {"ts","level","kind":"request","method","route","status","ms","bytes",
// "request_id"} or {"ts","level","kind":"log","msg"}. A request is logged by its route
// pattern, never its raw path or query (which may carry tokens).
#pragma once
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace parley::server {

enum class LogFormat { text, json };

// What one answered request's line says.
struct RequestLine {
    std::string_view method;
    std::string_view route;       // the route pattern ("/api/v1/requests/{id}"), or "static", "unmatched"
    int status = 0;
    double millis = 0;            // from the request's arrival to its answer handed to the connection
    uint64_t bytes = 0;           // the answer's body
    std::string_view request_id;  // X-Request-Id (already checked), "" if none
};

class RequestLog {
public:
    explicit RequestLog(LogFormat format = LogFormat::text);
    ~RequestLog();  // flushes
    RequestLog(const RequestLog&) = delete;
    RequestLog& operator=(const RequestLog&) = delete;

    void request(const RequestLine& r);
    // Any other line (errors, start-up notes): level "error" when it starts with "error".
    void line(std::string_view text);
    void flush();
    LogFormat format() const { return format_; }

private:
    void run();
    LogFormat format_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::string buf_;
    bool stop_ = false;
    std::thread thread_;
};

// Process-wide log (created by main; nullptr → lines go straight to stderr).
RequestLog* request_log();
void set_request_log(RequestLog* log);
void log_line(std::string_view text);

// `s` as the body of a JSON string: quotes, backslashes and control characters escaped,
// invalid UTF-8 replaced by U+FFFD (exposed for the tests).
void append_json_string_body(std::string& out, std::string_view s);

}  // namespace parley::server
