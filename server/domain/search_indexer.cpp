// Search: the worker that indexes messages behind their posts. See search_indexer.h.
#include "server/domain/search_indexer.h"

#include "server/base/log.h"

namespace parley::server {

SearchIndexer::SearchIndexer(std::function<int()> step, std::chrono::milliseconds idle)
    : step_(std::move(step)), idle_(idle) {}

SearchIndexer::~SearchIndexer() { stop(); }

void SearchIndexer::start() {
    std::lock_guard lk(mu_);
    if (thread_.joinable()) return;
    stopping_ = false;
    due_ = true;  // catch up with what waits from before
    thread_ = std::thread([this] { run(); });
}

void SearchIndexer::stop() {
    {
        std::lock_guard lk(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void SearchIndexer::poke() {
    {
        std::lock_guard lk(mu_);
        if (due_) return;
        due_ = true;
    }
    cv_.notify_one();
}

void SearchIndexer::run() {
    std::unique_lock lk(mu_);
    while (!stopping_) {
        cv_.wait_for(lk, idle_, [this] { return due_ || stopping_; });
        if (stopping_) break;
        due_ = false;
        lk.unlock();
        try {
            for (int n; (n = step_()) > 0;) {
                indexed_ += static_cast<uint64_t>(n);
                std::lock_guard peek(mu_);
                if (stopping_) break;
            }
        } catch (const std::exception& e) {
            // Left for the next round (or the next search, which indexes before it reads).
            log_line(std::string("parley: search index: ") + e.what());
        }
        lk.lock();
    }
}

}  // namespace parley::server
