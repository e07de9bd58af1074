// Posts: the background queue of notification work and its durable cursor. See notify_queue.h.
#include "server/domain/notify_queue.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>

#include "server/base/log.h"

namespace parley::server {

namespace {
constexpr size_t kBatch = 256;                              // notices done together (one link commit)
constexpr auto kSaveEvery = std::chrono::milliseconds(250);  // cursor writes while busy
constexpr int kAttempts = 5;                                 // then the batch is logged as lost
}  // namespace

NotifyQueue::NotifyQueue(std::string cursor_path) : path_(std::move(cursor_path)) {}

NotifyQueue::~NotifyQueue() { stop(); }

int64_t NotifyQueue::load_cursor(int64_t fallback) {
    std::ifstream in(path_);
    long long v = -1;
    if (in) {
        std::string text;
        std::getline(in, text);
        try {
            size_t used = 0;
            v = std::stoll(text, &used);
            if (used != text.size() || v < 0) v = -1;
        } catch (const std::exception&) {
            v = -1;
        }
        if (v < 0) log_line("parley: " + path_ + " is unreadable; notifications resume after event " +
                            std::to_string(fallback));
        // A database older than the cursor (restored from a backup): its newest event rules.
        if (v > fallback) v = -1;
    }
    int64_t cursor = v < 0 ? fallback : v;
    if (v < 0) save_cursor(cursor);
    std::lock_guard lk(mu_);
    saved_ = cursor;
    return cursor;
}

void NotifyQueue::save_cursor(int64_t cursor) {
    // Written beside, flushed, then renamed over: after a crash the file holds the old
    // value or the new one, never a torn one.
    const std::string tmp = path_ + ".tmp";
    const std::string text = std::to_string(cursor) + "\n";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    bool ok = fd >= 0 && ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
              ::fdatasync(fd) == 0;
    if (fd >= 0) ::close(fd);
    if (!ok || std::rename(tmp.c_str(), path_.c_str()) != 0)
        log_line("parley: cannot write the notification cursor " + path_);
}

void NotifyQueue::push(PostNotice n) {
    {
        std::lock_guard lk(mu_);
        queue_.push_back(std::move(n));
        ++pushed_;
    }
    cv_.notify_one();
}

void NotifyQueue::start(Work work) {
    std::lock_guard lk(mu_);
    if (running_) return;
    work_ = std::move(work);
    running_ = true;
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void NotifyQueue::settle() {
    std::unique_lock lk(mu_);
    const uint64_t target = pushed_;
    done_cv_.wait(lk, [&] { return done_ >= target || !running_; });
}

void NotifyQueue::wait_below(size_t most) {
    std::unique_lock lk(mu_);
    done_cv_.wait(lk, [&] { return queue_.size() < most || !running_; });
}

void NotifyQueue::stop() {
    {
        std::lock_guard lk(mu_);
        if (!running_) return;
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
    std::lock_guard lk(mu_);
    running_ = false;
    done_cv_.notify_all();
}

size_t NotifyQueue::backlog() const {
    std::lock_guard lk(mu_);
    return queue_.size();
}

void NotifyQueue::run() {
    // The cursor is written at most every kSaveEvery (and on the way out): it may lag
    // behind, which only means more to skip after a crash, never ahead.
    auto last_save = std::chrono::steady_clock::now();
    int64_t cursor = 0;
    {
        std::lock_guard lk(mu_);
        cursor = saved_;
    }
    auto save = [&] {
        save_cursor(cursor);
        last_save = std::chrono::steady_clock::now();
        std::lock_guard lk(mu_);
        saved_ = cursor;
    };
    for (;;) {
        std::vector<PostNotice> batch;
        bool save_now = false;
        {
            std::unique_lock lk(mu_);
            if (saved_ != cursor) {
                // Something to save: not later than kSaveEvery after the last write.
                cv_.wait_until(lk, last_save + kSaveEvery, [&] { return stopping_ || !queue_.empty(); });
                save_now = queue_.empty() && !stopping_;
            } else {
                cv_.wait(lk, [&] { return stopping_ || !queue_.empty(); });
            }
            if (queue_.empty() && stopping_) break;  // everything is done
            size_t n = std::min(queue_.size(), kBatch);
            batch.reserve(n);
            for (size_t i = 0; i < n; ++i) {
                batch.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
        }
        if (save_now) save();
        if (batch.empty()) continue;
        const size_t n = batch.size();
        int64_t newest = 0;
        for (const auto& p : batch) newest = std::max(newest, p.event_id);
        for (int attempt = 1;; ++attempt) {
            try {
                work_(batch);
                break;
            } catch (const std::exception& e) {
                log_line(std::string("parley: notifications of posts up to event ") + std::to_string(newest) +
                         " (attempt " + std::to_string(attempt) + "): " + e.what());
            }
            if (attempt >= kAttempts) {
                log_line("parley: notifications of posts up to event " + std::to_string(newest) + " given up");
                break;
            }
            for (auto& p : batch) p.recovered = true;  // some mails may be in the outbox already
            std::unique_lock lk(mu_);
            cv_.wait_for(lk, std::chrono::seconds(1), [&] { return stopping_; });
        }
        cursor = std::max(cursor, newest);
        {
            std::lock_guard lk(mu_);
            done_ += n;
        }
        done_cv_.notify_all();
        if (std::chrono::steady_clock::now() - last_save >= kSaveEvery) save();
    }
    save();
}

}  // namespace parley::server
