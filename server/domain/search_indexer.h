// Search: messages are indexed behind their posts. A post's transaction stores the
// message only; this worker then indexes what is new, hundreds of messages per
// transaction (FTS5 writes a segment per transaction: one per post was a large part of
// a post's pages). Nothing is lost on a crash: the store's cursor moves in the same
// transaction as the index, and a search indexes whatever still waits before it reads.
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace parley::server {

class SearchIndexer {
public:
    // `step` indexes one batch and returns how many messages it took (0: caught up).
    explicit SearchIndexer(std::function<int()> step, std::chrono::milliseconds idle = std::chrono::seconds(1));
    ~SearchIndexer();  // stop()
    SearchIndexer(const SearchIndexer&) = delete;
    SearchIndexer& operator=(const SearchIndexer&) = delete;

    void start();
    void stop();  // after the batch under way
    void poke();  // something was stored (cheap: no wake-up while one is pending)
    uint64_t indexed() const { return indexed_; }  // messages indexed so far

private:
    void run();

    std::function<int()> step_;
    const std::chrono::milliseconds idle_;  // looks anyway this often (writes by another process)
    std::mutex mu_;
    std::condition_variable cv_;
    bool due_ = true, stopping_ = false;
    std::atomic<uint64_t> indexed_{0};
    std::thread thread_;
};

}  // namespace parley::server
