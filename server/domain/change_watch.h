// Live delivery of writes made by another process (e-mail in): `parley-server mail-in`
// posts into the same database from a separate process, so the server's hub never
// hears of it; nor does it hear of other instances on one PostgreSQL database. A thread
// asks the store's ChangeFeed (every period, or as soon as the feed hears of a commit)
// and hands the new events and the touched requests to Domain::sync_external.
#pragma once
#include <chrono>

#include "server/domain/domain.h"
#include "server/domain/periodic.h"
#include "server/store/change_feed.h"

namespace parley::server {

class ChangeWatch {
public:
    ChangeWatch(ChangeFeed& feed, Domain& domain, std::chrono::milliseconds period = std::chrono::milliseconds(250));
    ~ChangeWatch();  // stop()
    ChangeWatch(const ChangeWatch&) = delete;
    ChangeWatch& operator=(const ChangeWatch&) = delete;

    void start();
    void stop();
    // One check (the thread calls it every period): true when the database changed.
    // Storage errors are logged, not thrown.
    bool check_once();

private:
    ChangeFeed& feed_;
    Domain& domain_;
    Periodic ticker_;
};

}  // namespace parley::server
