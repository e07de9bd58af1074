// Long-poll hub: holds waiting GET /api/v1/events requests and wakes them when an event
// they may see is published. Independent of HTTP: a waiter is a callback that receives
// the serialized EventBatch to send.
//
// Ordering contract: publish() is called in event-id order (the domain serialises writes),
// after the event is committed. last_id() is the newest published id; a poller reads it
// *before* querying the store, so that "no visible event in (after, snapshot]" holds
// when the query comes back empty, and wait() then checks the events published since.
#pragma once
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "net/wire.h"

namespace parley::server {

class Hub {
public:
    using Body = std::shared_ptr<const std::string>;  // serialized EventBatch JSON
    using Reply = std::function<void(Body)>;
    using Clock = std::chrono::steady_clock;

    explicit Hub(int64_t last_event_id, size_t ring_capacity = 4096);

    int64_t last_id() const;
    size_t waiting() const;

    // Replies that must be sent; deliver() outside of any lock.
    struct Wakeups {
        std::vector<std::pair<Reply, Body>> items;
        void deliver();
        size_t size() const { return items.size(); }
    };

    // Records the event and takes out every waiter of the users in `visible_to`.
    [[nodiscard]] Wakeups publish(const Event& e, const std::vector<int64_t>& visible_to);

    enum class WaitResult { registered, immediate, retry };
    // Registers a waiter for `user` that has seen events up to `after` and found nothing
    // visible up to `snapshot` (a last_id() value read before its store query).
    // immediate: visible events published after the snapshot are in *ready (not registered).
    // retry: the ring no longer covers the snapshot; query the store again.
    // request > 0 (a scoped session): only events of that request wake it.
    WaitResult wait(int64_t user, int64_t after, int64_t snapshot, Clock::time_point deadline,
                    Reply reply, std::vector<Event>* ready, int64_t request = 0);

    // Answers waiters whose deadline passed with an empty batch. Returns them to deliver.
    [[nodiscard]] Wakeups expire(Clock::time_point now);
    // Answers every waiter with an empty batch (server shutting down).
    [[nodiscard]] Wakeups drain();

    static std::string batch_json(const std::vector<Event>& events, int64_t cursor);

private:
    struct Waiter {
        int64_t after;
        Clock::time_point deadline;
        Reply reply;
        int64_t request = 0;  // 0: every request
    };
    struct Published {
        Event event;
        std::vector<int64_t> visible_to;
    };
    Body timeout_body(int64_t after) const;  // needs mu_ held

    mutable std::mutex mu_;
    int64_t last_id_;
    size_t ring_capacity_;
    std::deque<Published> ring_;
    std::unordered_map<int64_t, std::vector<Waiter>> waiters_;  // by user id
    size_t count_ = 0;
};

}  // namespace parley::server
