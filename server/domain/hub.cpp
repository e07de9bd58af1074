#include "server/domain/hub.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace parley::server {

Hub::Hub(int64_t last_event_id, size_t ring_capacity)
    : last_id_(last_event_id), ring_capacity_(std::max<size_t>(ring_capacity, 1)) {}

int64_t Hub::last_id() const {
    std::lock_guard lk(mu_);
    return last_id_;
}

size_t Hub::waiting() const {
    std::lock_guard lk(mu_);
    return count_;
}

void Hub::Wakeups::deliver() {
    for (auto& [reply, body] : items) {
        try {
            reply(body);
        } catch (...) {
            // A vanished connection must not stop the other wake-ups.
        }
    }
    items.clear();
}

std::string Hub::batch_json(const std::vector<Event>& events, int64_t cursor) {
    return nlohmann::json(EventBatch{events, cursor}).dump();
}

Hub::Body Hub::timeout_body(int64_t after) const {
    return std::make_shared<const std::string>(batch_json({}, std::max(after, last_id_)));
}

Hub::Wakeups Hub::publish(const Event& e, const std::vector<int64_t>& visible_to) {
    Wakeups out;
    std::lock_guard lk(mu_);
    last_id_ = std::max(last_id_, e.id);
    ring_.push_back(Published{e, visible_to});
    while (ring_.size() > ring_capacity_) ring_.pop_front();

    Body body;  // built once, shared by every waiter woken by this event
    for (int64_t user : visible_to) {
        auto it = waiters_.find(user);
        if (it == waiters_.end()) continue;
        auto& list = it->second;
        for (size_t i = 0; i < list.size();) {
            if (list[i].after < e.id && (list[i].request == 0 || list[i].request == e.request_id)) {
                if (!body) body = std::make_shared<const std::string>(batch_json({e}, e.id));
                out.items.emplace_back(std::move(list[i].reply), body);
                list[i] = std::move(list.back());
                list.pop_back();
                --count_;
            } else {
                ++i;
            }
        }
        if (list.empty()) waiters_.erase(it);
    }
    return out;
}

Hub::WaitResult Hub::wait(int64_t user, int64_t after, int64_t snapshot, Clock::time_point deadline,
                          Reply reply, std::vector<Event>* ready, int64_t request) {
    std::lock_guard lk(mu_);
    if (last_id_ > snapshot) {
        // Events were published after the caller's snapshot: look at them here.
        if (ring_.empty() || ring_.front().event.id > snapshot + 1) return WaitResult::retry;
        int64_t from = std::max(after, snapshot);
        for (const auto& p : ring_) {
            if (p.event.id <= from || (request > 0 && p.event.request_id != request)) continue;
            if (std::find(p.visible_to.begin(), p.visible_to.end(), user) != p.visible_to.end())
                ready->push_back(p.event);
            if (ready->size() >= 100) break;
        }
        if (!ready->empty()) return WaitResult::immediate;
    }
    waiters_[user].push_back(Waiter{after, deadline, std::move(reply), request});
    ++count_;
    return WaitResult::registered;
}

Hub::Wakeups Hub::expire(Clock::time_point now) {
    Wakeups out;
    std::lock_guard lk(mu_);
    for (auto it = waiters_.begin(); it != waiters_.end();) {
        auto& list = it->second;
        for (size_t i = 0; i < list.size();) {
            if (list[i].deadline <= now) {
                out.items.emplace_back(std::move(list[i].reply), timeout_body(list[i].after));
                list[i] = std::move(list.back());
                list.pop_back();
                --count_;
            } else {
                ++i;
            }
        }
        it = list.empty() ? waiters_.erase(it) : std::next(it);
    }
    return out;
}

Hub::Wakeups Hub::drain() {
    Wakeups out;
    std::lock_guard lk(mu_);
    for (auto& [user, list] : waiters_)
        for (auto& w : list) out.items.emplace_back(std::move(w.reply), timeout_body(w.after));
    waiters_.clear();
    count_ = 0;
    return out;
}

}  // namespace parley::server
