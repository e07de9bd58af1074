// Work on a timer, on a thread of its own and off every request path: the change watch
// (writes by other processes), housekeeping (abandoned uploads, expired sessions and
// links). The work runs at start, then every period; stop() ends the thread at once.
#pragma once
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace parley::server {

class Periodic {
public:
    Periodic(std::function<void()> work, std::chrono::milliseconds period) : work_(std::move(work)), period_(period) {}
    ~Periodic() { stop(); }
    Periodic(const Periodic&) = delete;
    Periodic& operator=(const Periodic&) = delete;

    void start() {
        std::lock_guard lk(mu_);
        if (thread_.joinable()) return;
        stopping_ = false;
        thread_ = std::thread([this] {
            std::unique_lock lk(mu_);
            while (!stopping_) {
                lk.unlock();
                work_();
                lk.lock();
                cv_.wait_for(lk, period_, [this] { return stopping_; });
            }
        });
    }
    void stop() {
        {
            std::lock_guard lk(mu_);
            stopping_ = true;
        }
        cv_.notify_all();
        if (thread_.joinable()) thread_.join();
    }

private:
    std::function<void()> work_;
    std::chrono::milliseconds period_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace parley::server
