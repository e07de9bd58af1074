// Operators: a small metrics registry — counters, gauges and histograms, each alone or as
// a family of labelled series — rendered in the Prometheus text exposition format 0.0.4
// (GET /metrics, server/http/api_ops.cpp).
//
// The hot path is lock-free: a metric is a few atomics, and a family finds the series of
// a key (a number its caller makes of the label values, e.g. route × status) by probing
// an open-addressed table of atomics. Only the first use of a key takes a lock, to make
// its labels. Families have a fixed capacity: their keys must come from bounded sets
// (route patterns, status codes, outcomes), never from raw input.
//
// Names follow Prometheus: [a-zA-Z_:][a-zA-Z0-9_:]*, counters end in _total; label names
// [a-zA-Z_][a-zA-Z0-9_]* (not "le" on a histogram). A bad name throws
// std::invalid_argument when the metric is registered.
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace parley::server {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

class Counter {
public:
    void inc(uint64_t n = 1) noexcept { v_.fetch_add(n, std::memory_order_relaxed); }
    uint64_t value() const noexcept { return v_.load(std::memory_order_relaxed); }

private:
    std::atomic<uint64_t> v_{0};
};

class Gauge {
public:
    void set(double v) noexcept { v_.store(v, std::memory_order_relaxed); }
    void add(double d) noexcept { v_.fetch_add(d, std::memory_order_relaxed); }
    double value() const noexcept { return v_.load(std::memory_order_relaxed); }

private:
    std::atomic<double> v_{0};
};

// Observations counted in buckets with fixed upper bounds (ascending, finite; +Inf is
// implied), with their sum.
class Histogram {
public:
    explicit Histogram(std::vector<double> upper_bounds);
    void observe(double v) noexcept;

    struct Snapshot {
        std::vector<uint64_t> cumulative;  // per bound, then +Inf (= count)
        double sum = 0;
        uint64_t count = 0;
    };
    // _count always equals the +Inf bucket (both are read from the same bucket counts).
    Snapshot snapshot() const;
    const std::vector<double>& bounds() const { return bounds_; }

private:
    std::vector<double> bounds_;
    std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // bounds_.size() + 1, not cumulative
    std::atomic<double> sum_{0};
};

// Request latencies in seconds: 5 ms to a minute (a long-poll is held up to 25 s).
const std::vector<double>& latency_buckets();

namespace metrics_detail {
// The fixed-capacity, insert-only table behind a family (metrics.cpp).
class SeriesTable {
public:
    explicit SeriesTable(size_t capacity);
    ~SeriesTable();
    // The series stored under `key`, nullptr if none (lock-free).
    void* find(uint64_t key) const noexcept;
    // Stores `make()`'s series under `key` unless one is there; returns the stored one,
    // nullptr when the table is full. Takes the lock.
    template <class Make>
    void* insert(uint64_t key, Make&& make) {
        std::lock_guard lk(mu_);
        if (void* s = find(key)) return s;
        if (order_.size() >= capacity_) return nullptr;  // full: the caller's overflow
        return put(key, make());
    }
    // Every series, in insertion order (takes the lock).
    std::vector<void*> all() const;

private:
    void* put(uint64_t key, void* series);  // mu_ held
    struct Slot {
        std::atomic<uint64_t> key{0};  // key + 1; 0: empty
        std::atomic<void*> series{nullptr};
    };
    size_t capacity_;
    size_t mask_;
    std::unique_ptr<Slot[]> slots_;
    mutable std::mutex mu_;
    std::vector<void*> order_;
};
}  // namespace metrics_detail

// A family of series of one metric, told apart by their labels. `M` is Counter, Gauge
// or Histogram.
template <class M>
class Family {
public:
    struct Series {
        MetricLabels labels;
        M metric;
    };
    Family(std::vector<std::string> label_names, size_t capacity, std::vector<double> bounds = {})
        : names_(std::move(label_names)), bounds_(std::move(bounds)), table_(capacity) {}
    ~Family() {
        for (void* s : table_.all()) delete static_cast<Series*>(s);
    }
    Family(const Family&) = delete;
    Family& operator=(const Family&) = delete;

    // The series for `key`; `values()` gives its label values (in the order of the
    // family's label names) the first time only. Lock-free once the series exists. A full
    // family answers its overflow series (label values "_overflow").
    template <class Values>
    M& at(uint64_t key, Values&& values) {
        if (void* s = table_.find(key)) return static_cast<Series*>(s)->metric;
        void* s = table_.insert(key, [&]() -> void* { return make(values()); });
        if (!s) return overflow().metric;
        return static_cast<Series*>(s)->metric;
    }
    const std::vector<std::string>& label_names() const { return names_; }
    // Every series (creation order), for rendering.
    std::vector<const Series*> series() const {
        std::vector<const Series*> out;
        for (void* s : table_.all()) out.push_back(static_cast<const Series*>(s));
        std::lock_guard lk(overflow_mu_);
        if (overflow_) out.push_back(overflow_.get());
        return out;
    }

private:
    Series* make(const std::vector<std::string>& values) {
        auto* s = new Series{{}, construct()};
        for (size_t i = 0; i < names_.size(); ++i)
            s->labels.emplace_back(names_[i], i < values.size() ? values[i] : std::string());
        return s;
    }
    M construct() const {
        if constexpr (std::is_same_v<M, Histogram>) return Histogram(bounds_);
        else return M();
    }
    Series& overflow() {
        std::lock_guard lk(overflow_mu_);
        if (!overflow_) overflow_.reset(make(std::vector<std::string>(names_.size(), "_overflow")));
        return *overflow_;
    }

    std::vector<std::string> names_;
    std::vector<double> bounds_;
    metrics_detail::SeriesTable table_;
    mutable std::mutex overflow_mu_;
    std::unique_ptr<Series> overflow_;
};

// Counters, gauges and histograms by name. Registering a name again answers the same
// metric (the same kind and labels, else std::invalid_argument). Metrics live as long as
// the registry.
class MetricsRegistry {
public:
    MetricsRegistry();
    ~MetricsRegistry();
    MetricsRegistry(const MetricsRegistry&) = delete;
    MetricsRegistry& operator=(const MetricsRegistry&) = delete;

    Counter& counter(const std::string& name, const std::string& help);
    Gauge& gauge(const std::string& name, const std::string& help);
    Histogram& histogram(const std::string& name, const std::string& help, std::vector<double> bounds);
    Family<Counter>& counters(const std::string& name, const std::string& help, std::vector<std::string> labels,
                              size_t capacity = 1024);
    Family<Gauge>& gauges(const std::string& name, const std::string& help, std::vector<std::string> labels,
                          size_t capacity = 256);
    Family<Histogram>& histograms(const std::string& name, const std::string& help, std::vector<std::string> labels,
                                  std::vector<double> bounds, size_t capacity = 256);

    // The text exposition format 0.0.4: per metric # HELP, # TYPE, then its series
    // (a family's sorted by label values), in the order the metrics were registered.
    std::string render() const;

private:
    struct Entry;
    Entry& entry(const std::string& name, const std::string& help, int kind, const std::vector<std::string>& labels);
    mutable std::mutex mu_;
    std::vector<std::unique_ptr<Entry>> entries_;
};

// The process-wide registry, which GET /metrics renders.
MetricsRegistry& metrics();

// The pieces of the text format (exposed for the tests).
std::string metric_label_value(std::string_view v);  // \ → \\, " → \", newline → \n
std::string metric_help_text(std::string_view v);    // \ → \\, newline → \n
std::string metric_number(double v);                 // shortest exact form; +Inf, -Inf, NaN
bool valid_metric_name(std::string_view name);
bool valid_label_name(std::string_view name);

}  // namespace parley::server
