// Operators: what every answered request leaves behind — one line in the log (base/log.h)
// and its counts in GET /metrics: requests by route pattern, method and status, latency
// by route and method. Labels come from the route table, never from raw paths, so the
// series stay few whatever clients send.
#pragma once
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace parley::server {

// Routes beyond the table's rows (route_table() indexes are 0 and up).
inline constexpr int kRouteUnmatched = -1;  // no row: 404, or refused before routing (busy, oversized head)
inline constexpr int kRouteStatic = -2;     // the web client's files (--web-root)

// A request from its arrival to its answer.
struct RequestTrace {
    std::chrono::steady_clock::time_point start;
    int route = kRouteUnmatched;  // index in route_table(), or the above
    std::string request_id;       // X-Request-Id, when it looks like one
};

// The route label: the row's pattern ("/api/v1/requests/{id}"), "static" or "unmatched".
std::string_view route_label(int route);

// The method label: GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS, else "other".
std::string_view method_label(std::string_view method);

// The X-Request-Id worth logging (a proxy's, e.g. nginx's $request_id): up to 128
// characters of [A-Za-z0-9._:@/+=-], else "".
std::string loggable_request_id(std::string_view header);

// The answer was handed to the connection: its log line and its metrics.
void request_done(std::string_view method, const RequestTrace& trace, int status, uint64_t bytes);

// The bodies of uploads (the rows taking bytes: attachments, chunked uploads).
void count_upload_bytes(uint64_t n);

}  // namespace parley::server
