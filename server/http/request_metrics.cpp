// The log line and the metrics of every request. See request_metrics.h.
#include "server/http/request_metrics.h"

#include <iterator>
#include <vector>

#include "server/base/log.h"
#include "server/base/metrics.h"
#include "server/http/routes.h"

namespace parley::server {

namespace {

constexpr std::string_view kMethods[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "other"};

uint64_t method_index(std::string_view method) {
    uint64_t i = 0;
    while (i + 1 < std::size(kMethods) && kMethods[i] != method) ++i;
    return i;
}

Family<Counter>& requests_total() {
    static Family<Counter>& f = metrics().counters(
        "parley_http_requests_total", "HTTP requests answered, by route pattern, method and status code.",
        {"route", "method", "status"}, 4096);
    return f;
}

Family<Histogram>& request_seconds() {
    static Family<Histogram>& f = metrics().histograms(
        "parley_http_request_duration_seconds",
        "Time from a request's arrival to its answer, by route pattern and method (long-polls included: "
        "they are held up to --poll-timeout).",
        {"route", "method"}, latency_buckets(), 512);
    return f;
}

Counter& upload_bytes() {
    static Counter& c = metrics().counter("parley_upload_bytes_received_total",
                                          "Bytes of documents received in uploads (single and chunked).");
    return c;
}

[[maybe_unused]] const bool kRegistered = (requests_total(), request_seconds(), upload_bytes(), true);

}  // namespace

std::string_view route_label(int route) {
    if (route == kRouteStatic) return "static";
    const auto& table = route_table();
    if (route < 0 || static_cast<size_t>(route) >= table.size()) return "unmatched";
    return table[static_cast<size_t>(route)].pattern;
}

std::string_view method_label(std::string_view method) { return kMethods[method_index(method)]; }

std::string loggable_request_id(std::string_view h) {
    if (h.empty() || h.size() > 128) return {};
    for (char c : h) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  std::string_view("._:@/+=-").find(c) != std::string_view::npos;
        if (!ok) return {};
    }
    return std::string(h);
}

void request_done(std::string_view method, const RequestTrace& trace, int status, uint64_t bytes) {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - trace.start).count();
    const uint64_t m = method_index(method);
    const uint64_t route_key = static_cast<uint64_t>(trace.route + 2);  // ≥ 0
    const uint64_t code = status >= 100 && status <= 999 ? static_cast<uint64_t>(status) : 0;
    requests_total()
        .at(route_key << 16 | m << 12 | code,
            [&] {
                return std::vector<std::string>{std::string(route_label(trace.route)), std::string(kMethods[m]),
                                                std::to_string(code)};
            })
        .inc();
    request_seconds()
        .at(route_key << 4 | m,
            [&] { return std::vector<std::string>{std::string(route_label(trace.route)), std::string(kMethods[m])}; })
        .observe(seconds);
    if (RequestLog* log = request_log())
        log->request({method_label(method), route_label(trace.route), status, seconds * 1000, bytes, trace.request_id});
}

void count_upload_bytes(uint64_t n) { upload_bytes().inc(n); }

}  // namespace parley::server
