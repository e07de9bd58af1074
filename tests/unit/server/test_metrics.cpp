// Operators: the metrics registry (server/base/metrics.h) and its Prometheus text format
// 0.0.4 — HELP and TYPE lines, counters' _total, histograms' cumulative buckets with
// le="+Inf", _sum and _count, label escaping, a family's lock-free series.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "server/base/metrics.h"
#include "tests/unit/server/exposition.h"

using namespace parley::server;
using parley::test::check_exposition;

namespace {

using Values = std::vector<std::string>;

}  // namespace

TEST_CASE("metrics: numbers, label values and help text in the text format", "[metrics]") {
    CHECK(metric_number(0) == "0");
    CHECK(metric_number(1) == "1");
    CHECK(metric_number(0.005) == "0.005");
    CHECK(metric_number(2.5) == "2.5");
    CHECK(metric_number(-3) == "-3");
    CHECK(metric_number(1e21) == "1e+21");
    CHECK(metric_number(std::numeric_limits<double>::infinity()) == "+Inf");
    CHECK(metric_number(-std::numeric_limits<double>::infinity()) == "-Inf");
    CHECK(metric_number(std::nan("")) == "NaN");

    CHECK(metric_label_value(R"(a\b)") == R"(a\\b)");
    CHECK(metric_label_value(R"(say "hi")") == R"(say \"hi\")");
    CHECK(metric_label_value("two\nlines") == R"(two\nlines)");
    CHECK(metric_label_value("/api/v1/requests/{id}") == "/api/v1/requests/{id}");
    CHECK(metric_help_text("back\\slash \"quoted\"\nnext") == "back\\\\slash \"quoted\"\\nnext");

    CHECK(valid_metric_name("parley_http_requests_total"));
    CHECK(valid_metric_name("ns:sub_metric"));
    CHECK_FALSE(valid_metric_name("9lives"));
    CHECK_FALSE(valid_metric_name("has-dash"));
    CHECK_FALSE(valid_metric_name(""));
    CHECK(valid_label_name("route"));
    CHECK_FALSE(valid_label_name("a:b"));
    CHECK_FALSE(valid_label_name("__reserved"));
}

TEST_CASE("metrics: a registry renders HELP, TYPE and each series", "[metrics]") {
    MetricsRegistry r;
    Counter& c = r.counter("test_events_total", "Events seen.");
    c.inc();
    c.inc(41);
    Gauge& g = r.gauge("test_waiters", "Waiters now.\nSecond line with a \\ backslash.");
    g.set(7);
    g.add(-2.5);
    Family<Counter>& by = r.counters("test_requests_total", "Requests by route.", {"route", "status"});
    by.at(2, [] { return Values{"/b/{id}", "404"}; }).inc(3);
    by.at(1, [] { return Values{"/a", "200"}; }).inc();
    by.at(1, [] { return Values{"never", "used"}; }).inc();  // an existing key keeps its labels
    by.at(3, [] { return Values{"quote\"back\\slash\nnewline", "500"}; }).inc();

    const std::string text = r.render();
    CHECK(text ==
          "# HELP test_events_total Events seen.\n"
          "# TYPE test_events_total counter\n"
          "test_events_total 42\n"
          "# HELP test_waiters Waiters now.\\nSecond line with a \\\\ backslash.\n"
          "# TYPE test_waiters gauge\n"
          "test_waiters 4.5\n"
          "# HELP test_requests_total Requests by route.\n"
          "# TYPE test_requests_total counter\n"
          "test_requests_total{route=\"/a\",status=\"200\"} 2\n"
          "test_requests_total{route=\"/b/{id}\",status=\"404\"} 3\n"
          "test_requests_total{route=\"quote\\\"back\\\\slash\\nnewline\",status=\"500\"} 1\n");
    check_exposition(text);
}

TEST_CASE("metrics: histogram buckets are cumulative, le is inclusive, +Inf equals _count", "[metrics]") {
    MetricsRegistry r;
    Histogram& h = r.histogram("test_seconds", "Durations.", {0.125, 0.5, 1});
    for (double v : {0.0625, 0.125, 0.25, 0.5, 0.75, 2.0, 100.0}) h.observe(v);  // exact in binary: an exact sum
    const std::string text = r.render();
    CHECK(text ==
          "# HELP test_seconds Durations.\n"
          "# TYPE test_seconds histogram\n"
          "test_seconds_bucket{le=\"0.125\"} 2\n"
          "test_seconds_bucket{le=\"0.5\"} 4\n"
          "test_seconds_bucket{le=\"1\"} 5\n"
          "test_seconds_bucket{le=\"+Inf\"} 7\n"
          "test_seconds_sum 103.6875\n"
          "test_seconds_count 7\n");
    check_exposition(text);

    Family<Histogram>& f = r.histograms("test_latency_seconds", "By route.", {"route"}, {0.01, 0.1});
    f.at(7, [] { return Values{"/x"}; }).observe(0.05);
    const std::string fam = r.render();
    CHECK(fam.find("test_latency_seconds_bucket{route=\"/x\",le=\"0.01\"} 0\n"
                   "test_latency_seconds_bucket{route=\"/x\",le=\"0.1\"} 1\n"
                   "test_latency_seconds_bucket{route=\"/x\",le=\"+Inf\"} 1\n"
                   "test_latency_seconds_sum{route=\"/x\"} 0.05\n"
                   "test_latency_seconds_count{route=\"/x\"} 1\n") != std::string::npos);
    check_exposition(fam);

    Histogram::Snapshot s = h.snapshot();
    CHECK(s.count == s.cumulative.back());
    CHECK(latency_buckets().back() >= 30);  // a held long-poll lands below +Inf
}

TEST_CASE("metrics: names, kinds and bounds are checked when registered", "[metrics]") {
    MetricsRegistry r;
    CHECK_THROWS_AS(r.counter("no_suffix", "x"), std::invalid_argument);
    CHECK_THROWS_AS(r.gauge("bad-name", "x"), std::invalid_argument);
    CHECK_THROWS_AS(r.counters("x_total", "x", {"bad:label"}), std::invalid_argument);
    CHECK_THROWS_AS(r.histograms("h_seconds", "x", {"le"}, {1}), std::invalid_argument);
    CHECK_THROWS_AS(r.histogram("h2_seconds", "x", {1, 1}), std::invalid_argument);
    CHECK_THROWS_AS(r.histogram("h3_seconds", "x", {2, 1}), std::invalid_argument);
    Counter& a = r.counter("same_total", "x");
    CHECK(&r.counter("same_total", "x") == &a);  // registered again: the same metric
    CHECK_THROWS_AS(r.gauge("same_total", "x"), std::invalid_argument);
    CHECK_THROWS_AS(r.counters("same_total", "x", {"l"}), std::invalid_argument);
}

TEST_CASE("metrics: a family counts right from many threads, and overflows into one series", "[metrics]") {
    MetricsRegistry r;
    Family<Counter>& f = r.counters("test_hits_total", "Hits.", {"k"}, 64);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&f] {
            for (int i = 0; i < 20000; ++i) {
                const uint64_t key = static_cast<uint64_t>(i % 10);
                f.at(key, [key] { return Values{std::to_string(key)}; }).inc();
            }
        });
    for (auto& t : threads) t.join();
    uint64_t total = 0;
    int series = 0;
    for (const auto* s : f.series()) {
        CHECK(s->metric.value() == 8000);
        total += s->metric.value();
        ++series;
    }
    CHECK(series == 10);
    CHECK(total == 80000);

    Family<Counter>& small = r.counters("test_small_total", "Two series at most.", {"k"}, 2);
    small.at(1, [] { return Values{"one"}; }).inc();
    small.at(2, [] { return Values{"two"}; }).inc();
    small.at(3, [] { return Values{"three"}; }).inc();
    small.at(4, [] { return Values{"four"}; }).inc();
    const std::string text = r.render();
    CHECK(text.find("test_small_total{k=\"_overflow\"} 2\n") != std::string::npos);
    CHECK(text.find("three") == std::string::npos);
}

