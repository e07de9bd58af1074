// Buffered request log to stderr: one line per request, flushed by a background thread
// every 200 ms (or when the buffer is large) so logging never dominates throughput.
#pragma once
#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace parley::server {

class RequestLog {
public:
    RequestLog();
    ~RequestLog();  // flushes
    RequestLog(const RequestLog&) = delete;
    RequestLog& operator=(const RequestLog&) = delete;

    // "GET /api/v1/me 200 0.123ms"
    void request(std::string_view method, std::string_view path, int status, double millis);
    // Any other line (errors, start-up notes).
    void line(std::string_view text);
    void flush();

private:
    void run();
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

}  // namespace parley::server
