#include "server/base/log.h"

#include <chrono>
#include <cstdio>

namespace parley::server {
namespace {
RequestLog* g_log = nullptr;
constexpr size_t kFlushAt = 64 * 1024;

void write_stderr(const std::string& s) {
    if (s.empty()) return;
    fwrite(s.data(), 1, s.size(), stderr);
    fflush(stderr);
}
}  // namespace

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

RequestLog::RequestLog() : thread_([this] { run(); }) {}

RequestLog::~RequestLog() {
    {
        std::lock_guard lk(mu_);
        stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
    flush();
}

void RequestLog::request(std::string_view method, std::string_view path, int status, double millis) {
    char tail[48];
    int n = snprintf(tail, sizeof tail, " %d %.3fms\n", status, millis);
    std::lock_guard lk(mu_);
    buf_.append(method);
    buf_ += ' ';
    // Keep lines one-line and printable whatever the client sent.
    for (char c : path) buf_ += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
    buf_.append(tail, static_cast<size_t>(n > 0 ? n : 0));
    if (buf_.size() >= kFlushAt) cv_.notify_one();
}

void RequestLog::line(std::string_view text) {
    std::lock_guard lk(mu_);
    buf_.append(text);
    buf_ += '\n';
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
