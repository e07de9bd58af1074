// Writes by another process on the same database: `parley-server mail-in` (e-mail in)
// posts from its own process, so the server's hub never hears of it. The server asks a
// ChangeFeed what changed (server/domain/change_watch.h): every quarter second, or as
// soon as told when the feed can wait for news (PostgreSQL's LISTEN/NOTIFY: several
// instances on one database).
// An implementation keeps its own connection; one thread calls it.
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "server/store/store.h"

namespace parley::server {

class ChangeFeed {
public:
    virtual ~ChangeFeed() = default;
    // Waits up to `most` for another process to commit something (changed_requests()
    // then has it). false when this feed cannot wait (it returns at once): the caller
    // sleeps between calls instead.
    virtual bool wait_for_change(std::chrono::milliseconds most) {
        (void)most;
        return false;
    }
    // nullopt (cheaply) when nobody committed since the last call; otherwise the
    // requests with received mails written since the last call (sorted, unique; held
    // replies come without an event), empty when only events were written. Events are
    // read through events_after: each one's request drops its cached facts as it is
    // published (Domain::publish), so the server's own posts cost no reload. The first
    // call sets "now" and answers nullopt.
    virtual std::optional<std::vector<int64_t>> changed_requests() = 0;
    // Stored events with id > after, oldest first, at most `limit`, for every user.
    virtual std::vector<EventRecord> events_after(int64_t after, int limit) = 0;
};

}  // namespace parley::server
