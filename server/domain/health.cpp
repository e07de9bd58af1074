// Operators: the health of this instance (GET /healthz) and the outbox's backlog (GET
// /metrics). See domain.h, "operators".
#include "server/base/log.h"
#include "server/domain/domain.h"

namespace parley::server {

Domain::Health Domain::health() {
    Health h;
    std::string detail;  // for the log only
    const Millis now = now_();
    const HealthLimits limits = health_limits_;
    try {
        store_.ping();
        if (outbox_ && limits.outbox_stuck_ms > 0) {
            OutboxStore::Backlog b = outbox_->backlog(1);
            if (b.earliest_due && now - *b.earliest_due > limits.outbox_stuck_ms) {
                const Millis minutes = (now - *b.earliest_due) / 60000;
                h = {false, "outbox_stuck",
                     "E-mail notifications are not going out: one has been due for " + std::to_string(minutes) +
                         " minutes."};
                detail = "the earliest pending mail was due at " + std::to_string(*b.earliest_due);
            }
        }
    } catch (const std::exception& e) {
        h = {false, "database_unreachable", "The database does not answer."};
        detail = e.what();
    }
    if (h.ok && mailer_ && limits.outbox_failures > 0) {
        Mailer::SendingStatus s = mailer_->sending_status();
        if (s.consecutive_failures >= limits.outbox_failures &&
            (limits.outbox_stuck_ms <= 0 || now - s.last_failure_ms <= limits.outbox_stuck_ms)) {
            h = {false, "outbox_failing",
                 "E-mail notifications are failing: the last " + std::to_string(s.consecutive_failures) +
                     " attempts to send one failed."};
            detail = "see the outbox's log lines and the delivery errors";
        }
    }
    {
        std::lock_guard lk(health_mu_);
        if (h.reason != health_said_) {
            log_line(h.ok ? "parley: health: ok again"
                          : "error: health: " + h.reason + ": " + h.message + " (" + detail + ")");
            health_said_ = h.reason;
        }
    }
    return h;
}

int64_t Domain::outbox_backlog() {
    if (!outbox_) return 0;
    try {
        return outbox_->backlog(kOutboxBacklogCap).pending;
    } catch (const std::exception&) {
        return -1;
    }
}

}  // namespace parley::server
