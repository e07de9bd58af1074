// Notices writes by another process. See change_watch.h.
#include "server/domain/change_watch.h"

#include "server/base/log.h"

namespace parley::server {

ChangeWatch::ChangeWatch(ChangeFeed& feed, Domain& domain, std::chrono::milliseconds period)
    : feed_(feed), domain_(domain), period_(period) {
    feed_.changed_requests();  // from now on: the hub starts at the newest event too
}

ChangeWatch::~ChangeWatch() { stop(); }

void ChangeWatch::start() {
    std::lock_guard lk(mu_);
    if (thread_.joinable()) return;
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void ChangeWatch::stop() {
    {
        std::lock_guard lk(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void ChangeWatch::run() {
    std::unique_lock lk(mu_);
    while (!stopping_) {
        lk.unlock();
        check_once();
        lk.lock();
        cv_.wait_for(lk, period_, [this] { return stopping_; });
    }
}

bool ChangeWatch::check_once() {
    try {
        auto touched = feed_.changed_requests();
        if (!touched) return false;
        domain_.sync_external([this](int64_t after) { return feed_.events_after(after, 1000); }, *touched);
        return true;
    } catch (const std::exception& e) {
        log_line(std::string("parley: database watch: ") + e.what());
        return false;
    }
}

}  // namespace parley::server
