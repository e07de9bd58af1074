// Notices writes by another process. See change_watch.h.
#include "server/domain/change_watch.h"

#include "server/base/log.h"

namespace parley::server {

// A feed that can wait for news (it blocks up to `period` in wait_for_change) is asked
// again as soon as it answers; one that cannot is asked every period.
ChangeWatch::ChangeWatch(ChangeFeed& feed, Domain& domain, std::chrono::milliseconds period)
    : feed_(feed),
      domain_(domain),
      ticker_(
          [this, period] {
              feed_.wait_for_change(period);
              check_once();
          },
          feed.wait_for_change(std::chrono::milliseconds(0)) ? std::chrono::milliseconds(0) : period) {
    feed_.changed_requests();  // from now on: the hub starts at the newest event too
}

ChangeWatch::~ChangeWatch() { stop(); }

void ChangeWatch::start() { ticker_.start(); }

void ChangeWatch::stop() { ticker_.stop(); }

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
