// Operators: what every request leaves behind — its counts in GET /metrics by route
// pattern, method and status (server/http/request_metrics.h), and its line in the log,
// as text or as JSON lines a log shipper reads (server/base/log.h).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "server/base/log.h"
#include "server/base/metrics.h"
#include "server/http/request_metrics.h"
#include "server/http/routes.h"
#include "tests/unit/server/exposition.h"

using namespace parley::server;
using parley::test::check_exposition;

TEST_CASE("metrics: requests are counted by route pattern, method and status", "[metrics][routes]") {
    const auto& table = route_table();
    int detail = -1;
    for (size_t i = 0; i < table.size(); ++i)
        if (std::string(table[i].pattern) == "/api/v1/requests/{id}" && std::string(table[i].method) == "GET")
            detail = static_cast<int>(i);
    REQUIRE(detail >= 0);
    CHECK(route_label(detail) == "/api/v1/requests/{id}");
    CHECK(route_label(kRouteUnmatched) == "unmatched");
    CHECK(route_label(kRouteStatic) == "static");
    CHECK(route_label(100000) == "unmatched");
    CHECK(method_label("GET") == "GET");
    CHECK(method_label("PROPFIND") == "other");
    CHECK(loggable_request_id("a1b2-c3d4.e5:f6") == "a1b2-c3d4.e5:f6");
    CHECK(loggable_request_id("has space") == "");
    CHECK(loggable_request_id("quote\"") == "");
    CHECK(loggable_request_id(std::string(129, 'a')) == "");

    const std::string sample = "parley_http_requests_total{route=\"/api/v1/requests/{id}\",method=\"GET\",status=\"404\"} ";
    auto count = [&]() -> long {
        std::string text = metrics().render();
        size_t at = text.find(sample);
        return at == std::string::npos ? 0 : std::stol(text.substr(at + sample.size()));
    };
    const long before = count();
    RequestTrace t;
    t.start = std::chrono::steady_clock::now();
    t.route = detail;
    request_done("GET", t, 404, 120);
    request_done("GET", t, 404, 120);
    request_done("GET", t, 200, 5000);
    CHECK(count() == before + 2);
    const std::string text = metrics().render();
    CHECK(text.find("parley_http_request_duration_seconds_bucket{route=\"/api/v1/requests/{id}\",method=\"GET\",le=\"+Inf\"} ") !=
          std::string::npos);
    CHECK(text.find("# TYPE parley_outbox_send_failures_total counter") != std::string::npos);
    CHECK(text.find("parley_translation_calls_total{outcome=\"ok\"}") != std::string::npos);
    check_exposition(text);
}

TEST_CASE("log: JSON lines a log shipper reads, text lines as before", "[metrics][log]") {
    std::string s;
    append_json_string_body(s, "a \"quoted\" back\\slash\nnew\tline \x01 José 東京 \xff\xfe end");
    CHECK(s == "a \\\"quoted\\\" back\\\\slash\\u000anew\\u0009line \\u0001 José 東京 \\ufffd\\ufffd end");

    // stderr into a file while two logs write, one per format.
    char path[] = "/tmp/parley-log-test-XXXXXX";
    int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    fflush(stderr);
    int saved = dup(2);
    dup2(fd, 2);
    {
        RequestLog json(LogFormat::json);
        json.request({"GET", "/api/v1/requests/{id}", 404, 1.5, 120, "abc-123"});
        json.request({"POST", "unmatched", 201, 0.25, 0, ""});
        json.line("parley: listening on http://127.0.0.1:8080");
        json.line("error: something \"broke\"");
    }
    {
        RequestLog text(LogFormat::text);
        text.request({"GET", "/api/v1/me", 500, 2, 87, "rid-1"});
    }
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    close(fd);
    std::ifstream in(path);
    std::vector<std::string> lines;
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    std::remove(path);
    REQUIRE(lines.size() == 5);
    auto a = nlohmann::json::parse(lines[0]);
    CHECK(a["kind"] == "request");
    CHECK(a["method"] == "GET");
    CHECK(a["route"] == "/api/v1/requests/{id}");
    CHECK(a["status"] == 404);
    CHECK(a["ms"] == 1.5);
    CHECK(a["bytes"] == 120);
    CHECK(a["request_id"] == "abc-123");
    CHECK(std::regex_match(a["ts"].get<std::string>(), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));
    auto b = nlohmann::json::parse(lines[1]);
    CHECK_FALSE(b.contains("request_id"));
    auto c = nlohmann::json::parse(lines[2]);
    CHECK(c["kind"] == "log");
    CHECK(c["level"] == "info");
    CHECK(c["msg"] == "parley: listening on http://127.0.0.1:8080");
    auto d = nlohmann::json::parse(lines[3]);
    CHECK(d["level"] == "error");
    CHECK(d["msg"] == "error: something \"broke\"");
    CHECK(lines[4] == "GET /api/v1/me 500 2.000ms 87B rid=rid-1");
}
