#include "server/base/log.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace parley::server {
namespace {
RequestLog* g_log = nullptr;
constexpr size_t kFlushAt = 64 * 1024;

void write_stderr(const std::string& s) {
    if (s.empty()) return;
    fwrite(s.data(), 1, s.size(), stderr);
    fflush(stderr);
}

// The length of the valid UTF-8 sequence at s[i], 0 if none.
size_t utf8_length(std::string_view s, size_t i) {
    const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = b(i);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    if (n == 0 || i + n > s.size()) return 0;
    for (size_t k = 1; k < n; ++k)
        if ((b(i + k) & 0xc0) != 0x80) return 0;
    if (n == 2 && c < 0xc2) return 0;                        // overlong
    if (n == 3 && c == 0xe0 && b(i + 1) < 0xa0) return 0;    // overlong
    if (n == 3 && c == 0xed && b(i + 1) >= 0xa0) return 0;   // surrogates
    if (n == 4 && (c > 0xf4 || (c == 0xf0 && b(i + 1) < 0x90) || (c == 0xf4 && b(i + 1) >= 0x90))) return 0;
    return n;
}

// "2026-05-01T12:34:56.789Z"
void append_timestamp(std::string& out) {
    auto now = std::chrono::system_clock::now();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    time_t secs = static_cast<time_t>(ms / 1000);
    struct tm tm{};
    gmtime_r(&secs, &tm);
    char buf[40];
    size_t n = strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms % 1000));
    out += buf;
}

// Keep text lines one-line and printable whatever a client sent.
void append_printable(std::string& out, std::string_view s) {
    for (char c : s) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
}
}  // namespace

void append_json_string_body(std::string& out, std::string_view s) {
    for (size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
            ++i;
        } else if (c < 0x20 || c == 0x7f) {
            char esc[8];
            snprintf(esc, sizeof esc, "\\u%04x", c);
            out += esc;
            ++i;
        } else if (size_t n = utf8_length(s, i)) {
            out.append(s.substr(i, n));
            i += n;
        } else {
            out += "\\ufffd";
            ++i;
        }
    }
}

RequestLog* request_log() { return g_log; }
void set_request_log(RequestLog* log) { g_log = log; }
void log_line(std::string_view text) {
    if (g_log) {
        g_log->line(text);
    } else {
        std::string s(text);
        s += '\n';
        write_stderr(s);
    }
}

RequestLog::RequestLog(LogFormat format) : format_(format), thread_([this] { run(); }) {}

RequestLog::~RequestLog() {
    {
        std::lock_guard lk(mu_);
        stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
    flush();
}

void RequestLog::request(const RequestLine& r) {
    std::string l;
    l.reserve(160);
    char num[64];
    if (format_ == LogFormat::json) {
        l += "{\"ts\":\"";
        append_timestamp(l);
        l += "\",\"level\":\"info\",\"kind\":\"request\",\"method\":\"";
        append_json_string_body(l, r.method);
        l += "\",\"route\":\"";
        append_json_string_body(l, r.route);
        snprintf(num, sizeof num, "\",\"status\":%d,\"ms\":%.3f,\"bytes\":%llu", r.status, r.millis,
                 static_cast<unsigned long long>(r.bytes));
        l += num;
        if (!r.request_id.empty()) {
            l += ",\"request_id\":\"";
            append_json_string_body(l, r.request_id);
            l += '"';
        }
        l += "}\n";
    } else {
        append_printable(l, r.method);
        l += ' ';
        append_printable(l, r.route);
        snprintf(num, sizeof num, " %d %.3fms %lluB", r.status, r.millis, static_cast<unsigned long long>(r.bytes));
        l += num;
        if (!r.request_id.empty()) {
            l += " rid=";
            append_printable(l, r.request_id);
        }
        l += '\n';
    }
    std::lock_guard lk(mu_);
    buf_ += l;
    if (buf_.size() >= kFlushAt) cv_.notify_one();
}

void RequestLog::line(std::string_view text) {
    std::string l;
    if (format_ == LogFormat::json) {
        l += "{\"ts\":\"";
        append_timestamp(l);
        const bool error = text.rfind("error", 0) == 0 || text.rfind("parley-server:", 0) == 0;  // a failed start
        l += error ? "\",\"level\":\"error\"" : "\",\"level\":\"info\"";
        l += ",\"kind\":\"log\",\"msg\":\"";
        append_json_string_body(l, text);
        l += "\"}\n";
    } else {
        l.append(text);
        l += '\n';
    }
    std::lock_guard lk(mu_);
    buf_ += l;
    cv_.notify_one();
}

void RequestLog::flush() {
    std::string out;
    {
        std::lock_guard lk(mu_);
        out.swap(buf_);
    }
    write_stderr(out);
}

void RequestLog::run() {
    std::unique_lock lk(mu_);
    while (!stop_) {
        cv_.wait_for(lk, std::chrono::milliseconds(200));
        std::string out;
        out.swap(buf_);
        lk.unlock();
        write_stderr(out);
        lk.lock();
    }
}

}  // namespace parley::server
