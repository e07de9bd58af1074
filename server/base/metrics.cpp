// The metrics registry and its text format. See metrics.h.
#include "server/base/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <initializer_list>
#include <stdexcept>

namespace parley::server {

// ------------------------------------------------------------------ histogram

Histogram::Histogram(std::vector<double> upper_bounds) : bounds_(std::move(upper_bounds)) {
    for (size_t i = 0; i < bounds_.size(); ++i)
        if (!std::isfinite(bounds_[i]) || (i > 0 && bounds_[i] <= bounds_[i - 1]))
            throw std::invalid_argument("histogram bounds must be finite and ascending");
    buckets_ = std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1);
    for (size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0, std::memory_order_relaxed);
}

void Histogram::observe(double v) noexcept {
    // The first bound v fits under (le: less or equal); NaN lands in +Inf.
    size_t i = static_cast<size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin());
    buckets_[i].fetch_add(1, std::memory_order_relaxed);
    sum_.fetch_add(v, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
    Snapshot s;
    uint64_t total = 0;
    for (size_t i = 0; i <= bounds_.size(); ++i) {
        total += buckets_[i].load(std::memory_order_relaxed);
        s.cumulative.push_back(total);
    }
    s.count = total;
    s.sum = sum_.load(std::memory_order_relaxed);
    return s;
}

const std::vector<double>& latency_buckets() {
    static const std::vector<double> b{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
    return b;
}

// ------------------------------------------------------------------ the series table

namespace metrics_detail {

namespace {
uint64_t mix(uint64_t x) {  // splitmix64's finaliser: neighbouring keys spread out
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}
}  // namespace

SeriesTable::SeriesTable(size_t capacity) : capacity_(capacity) {
    size_t n = 16;
    while (n < 2 * capacity) n *= 2;  // at most half full: short probes
    mask_ = n - 1;
    slots_ = std::make_unique<Slot[]>(n);
}

SeriesTable::~SeriesTable() = default;

void* SeriesTable::find(uint64_t key) const noexcept {
    const uint64_t stored = key + 1;
    for (size_t i = mix(key) & mask_, n = 0; n <= mask_; i = (i + 1) & mask_, ++n) {
        uint64_t k = slots_[i].key.load(std::memory_order_acquire);
        if (k == stored) return slots_[i].series.load(std::memory_order_relaxed);
        if (k == 0) return nullptr;  // keys are never removed: it is not further on
    }
    return nullptr;
}

void* SeriesTable::put(uint64_t key, void* series) {
    for (size_t i = mix(key) & mask_;; i = (i + 1) & mask_) {
        if (slots_[i].key.load(std::memory_order_relaxed) != 0) continue;
        slots_[i].series.store(series, std::memory_order_relaxed);
        slots_[i].key.store(key + 1, std::memory_order_release);  // publishes the series
        order_.push_back(series);
        return series;
    }
}

std::vector<void*> SeriesTable::all() const {
    std::lock_guard lk(mu_);
    return order_;
}

}  // namespace metrics_detail

// ------------------------------------------------------------------ the text format

std::string metric_label_value(std::string_view v) {
    std::string out;
    out.reserve(v.size());
    for (char c : v) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

std::string metric_help_text(std::string_view v) {
    std::string out;
    out.reserve(v.size());
    for (char c : v) {
        if (c == '\\') out += "\\\\";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

std::string metric_number(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

bool valid_metric_name(std::string_view name) {
    if (name.empty()) return false;
    for (size_t i = 0; i < name.size(); ++i) {
        char c = name[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
                  (i > 0 && c >= '0' && c <= '9');
        if (!ok) return false;
    }
    return true;
}

bool valid_label_name(std::string_view name) {
    return valid_metric_name(name) && name.find(':') == std::string_view::npos && name.rfind("__", 0) != 0;
}

// ------------------------------------------------------------------ the registry

namespace {
enum Kind { kCounter, kGauge, kHistogram, kCounters, kGauges, kHistograms };
const char* type_name(int kind) {
    switch (kind) {
        case kCounter:
        case kCounters: return "counter";
        case kGauge:
        case kGauges: return "gauge";
        default: return "histogram";
    }
}

void append_labels(std::string& out, const MetricLabels& labels, const char* le = nullptr) {
    if (labels.empty() && !le) return;
    out += '{';
    bool first = true;
    for (const auto& [k, v] : labels) {
        if (!first) out += ',';
        first = false;
        out += k;
        out += "=\"";
        out += metric_label_value(v);
        out += '"';
    }
    if (le) {
        if (!first) out += ',';
        out += "le=\"";
        out += le;
        out += '"';
    }
    out += '}';
}

void append_histogram(std::string& out, const std::string& name, const MetricLabels& labels, const Histogram& h) {
    Histogram::Snapshot s = h.snapshot();
    for (size_t i = 0; i <= h.bounds().size(); ++i) {
        out += name;
        out += "_bucket";
        std::string le = i < h.bounds().size() ? metric_number(h.bounds()[i]) : "+Inf";
        append_labels(out, labels, le.c_str());
        out += ' ';
        out += std::to_string(s.cumulative[i]);
        out += '\n';
    }
    out += name;
    out += "_sum";
    append_labels(out, labels);
    out += ' ';
    out += metric_number(s.sum);
    out += '\n';
    out += name;
    out += "_count";
    append_labels(out, labels);
    out += ' ';
    out += std::to_string(s.count);
    out += '\n';
}

template <class S>
std::vector<const S*> sorted(std::vector<const S*> series) {
    std::sort(series.begin(), series.end(), [](const S* a, const S* b) { return a->labels < b->labels; });
    return series;
}
}  // namespace

struct MetricsRegistry::Entry {
    std::string name, help;
    int kind = kCounter;
    std::vector<std::string> labels;
    std::unique_ptr<Counter> counter;
    std::unique_ptr<Gauge> gauge;
    std::unique_ptr<Histogram> histogram;
    std::unique_ptr<Family<Counter>> counters;
    std::unique_ptr<Family<Gauge>> gauges;
    std::unique_ptr<Family<Histogram>> histograms;
};

MetricsRegistry::MetricsRegistry() = default;
MetricsRegistry::~MetricsRegistry() = default;

MetricsRegistry::Entry& MetricsRegistry::entry(const std::string& name, const std::string& help, int kind,
                                               const std::vector<std::string>& labels) {
    if (!valid_metric_name(name)) throw std::invalid_argument("bad metric name: " + name);
    bool counter = kind == kCounter || kind == kCounters;
    if (counter && (name.size() < 6 || name.compare(name.size() - 6, 6, "_total") != 0))
        throw std::invalid_argument("a counter's name ends in _total: " + name);
    for (const auto& l : labels)
        if (!valid_label_name(l) || (l == "le" && kind == kHistograms))
            throw std::invalid_argument("bad label name " + l + " of " + name);
    for (auto& e : entries_)
        if (e->name == name) {
            if (e->kind != kind || e->labels != labels)
                throw std::invalid_argument("metric " + name + " registered twice, differently");
            return *e;
        }
    auto e = std::make_unique<Entry>();
    e->name = name;
    e->help = help;
    e->kind = kind;
    e->labels = labels;
    entries_.push_back(std::move(e));
    return *entries_.back();
}

Counter& MetricsRegistry::counter(const std::string& name, const std::string& help) {
    std::lock_guard lk(mu_);
    Entry& e = entry(name, help, kCounter, {});
    if (!e.counter) e.counter = std::make_unique<Counter>();
    return *e.counter;
}

Gauge& MetricsRegistry::gauge(const std::string& name, const std::string& help) {
    std::lock_guard lk(mu_);
    Entry& e = entry(name, help, kGauge, {});
    if (!e.gauge) e.gauge = std::make_unique<Gauge>();
    return *e.gauge;
}

Histogram& MetricsRegistry::histogram(const std::string& name, const std::string& help, std::vector<double> bounds) {
    std::lock_guard lk(mu_);
    Entry& e = entry(name, help, kHistogram, {});
    if (!e.histogram) e.histogram = std::make_unique<Histogram>(std::move(bounds));
    return *e.histogram;
}

Family<Counter>& MetricsRegistry::counters(const std::string& name, const std::string& help,
                                           std::vector<std::string> labels, size_t capacity) {
    std::lock_guard lk(mu_);
    Entry& e = entry(name, help, kCounters, labels);
    if (!e.counters) e.counters = std::make_unique<Family<Counter>>(std::move(labels), capacity);
    return *e.counters;
}

Family<Gauge>& MetricsRegistry::gauges(const std::string& name, const std::string& help,
                                       std::vector<std::string> labels, size_t capacity) {
    std::lock_guard lk(mu_);
    Entry& e = entry(name, help, kGauges, labels);
    if (!e.gauges) e.gauges = std::make_unique<Family<Gauge>>(std::move(labels), capacity);
    return *e.gauges;
}

Family<Histogram>& MetricsRegistry::histograms(const std::string& name, const std::string& help,
                                               std::vector<std::string> labels, std::vector<double> bounds,
                                               size_t capacity) {
    std::lock_guard lk(mu_);
    Entry& e = entry(name, help, kHistograms, labels);
    if (!e.histograms) {
        Histogram check(bounds);  // throws on bad bounds now, not at the first series
        e.histograms = std::make_unique<Family<Histogram>>(std::move(labels), capacity, std::move(bounds));
    }
    return *e.histograms;
}

std::string MetricsRegistry::render() const {
    std::lock_guard lk(mu_);
    std::string out;
    // Appended piece by piece (GCC 12 warns wrongly about "literal" + std::string&&).
    auto line = [&out](std::initializer_list<std::string_view> parts) {
        for (std::string_view p : parts) out.append(p);
        out += '\n';
    };
    for (const auto& e : entries_) {
        line({"# HELP ", e->name, " ", metric_help_text(e->help)});
        line({"# TYPE ", e->name, " ", type_name(e->kind)});
        switch (e->kind) {
            case kCounter: line({e->name, " ", std::to_string(e->counter->value())}); break;
            case kGauge: line({e->name, " ", metric_number(e->gauge->value())}); break;
            case kHistogram: append_histogram(out, e->name, {}, *e->histogram); break;
            case kCounters:
                for (const auto* s : sorted(e->counters->series())) {
                    out += e->name;
                    append_labels(out, s->labels);
                    line({" ", std::to_string(s->metric.value())});
                }
                break;
            case kGauges:
                for (const auto* s : sorted(e->gauges->series())) {
                    out += e->name;
                    append_labels(out, s->labels);
                    line({" ", metric_number(s->metric.value())});
                }
                break;
            case kHistograms:
                for (const auto* s : sorted(e->histograms->series()))
                    append_histogram(out, e->name, s->labels, s->metric);
                break;
        }
    }
    return out;
}

MetricsRegistry& metrics() {
    static MetricsRegistry* r = new MetricsRegistry();  // never destroyed: used until exit
    return *r;
}

}  // namespace parley::server
