// The persistent outbox and its worker. See outbox.h.
#include "server/mail/outbox.h"

#include <nlohmann/json.hpp>

#include "server/base/log.h"
#include "server/base/metrics.h"
#include "server/mail/compose.h"

namespace parley::server {

namespace {
// Operators: what GET /metrics shows of sending (the queue's length is the store's).
Counter& sent_total() {
    static Counter& c = metrics().counter("parley_outbox_sent_total", "Notification e-mails the SMTP server accepted.");
    return c;
}
Counter& failure(const char* kind, uint64_t key) {
    static Family<Counter>& f = metrics().counters(
        "parley_outbox_send_failures_total",
        "Attempts to send a notification e-mail that failed, by kind: temporary (retried later) or permanent.",
        {"kind"}, 4);
    return f.at(key, [kind] { return std::vector<std::string>{kind}; });
}
Counter& failures_temporary() {
    static Counter& c = failure("temporary", 0);
    return c;
}
Counter& failures_permanent() {
    static Counter& c = failure("permanent", 1);
    return c;
}
// Registered at start: they read 0 before the first mail.
[[maybe_unused]] const bool kRegistered = (sent_total(), failures_temporary(), failures_permanent(), true);
}  // namespace

int64_t retry_delay_ms(int attempts, int64_t base_ms, int64_t cap_ms) {
    if (attempts < 1) attempts = 1;
    int64_t d = base_ms;
    for (int i = 1; i < attempts && d < cap_ms; ++i) d *= 2;
    return std::min(d, cap_ms);
}

Outbox::Outbox(OutboxStore& rows, MailSettings settings, Now now, Sender sender)
    : settings_(std::move(settings)), now_(std::move(now)), sender_(std::move(sender)), rows_(rows) {
    if (!sender_) {
        SmtpConfig smtp = settings_.smtp;
        sender_ = [this, smtp](const std::string& from, const std::string& to, const std::string& raw) {
            return smtp_send(smtp, from, to, raw, &stopping_);
        };
    }
}

Outbox::~Outbox() { stop(); }

OutboxRow Outbox::compose_row(const OutgoingMail& m, BatchThreads& batch) {
    const std::string& domain = settings_.relay_domain;
    ComposeInput in;
    in.from = {m.from_name.empty() ? settings_.from_name : m.from_name, settings_.from_address};
    in.to = {m.to_name, m.to_address};
    if (m.reply_via_relay && m.conversation_id > 0 && m.to_user_id > 0)
        in.reply_to = relay_address(settings_.relay_key, m.conversation_id, m.to_user_id, domain);
    in.subject = m.subject;
    in.text = m.text;
    in.html = m.html;
    in.message_id = new_message_id(domain);
    in.auto_submitted = m.auto_submitted;
    in.date_ms = now_();
    if (m.conversation_id > 0) {
        // A stable root per conversation and recipient, then the latest mails we sent them.
        std::string root = "<c" + std::to_string(m.conversation_id) + ".u" + std::to_string(m.to_user_id) + "@" +
                           domain + ">";
        // The stored ones are read once per batch; the batch's own are appended.
        auto key = std::make_pair(m.conversation_id, m.to_user_id);
        auto it = batch.find(key);
        if (it == batch.end()) it = batch.emplace(key, rows_.thread(m.conversation_id, m.to_user_id, 9)).first;
        std::vector<std::string>& ids = it->second;
        in.references.push_back(root);
        for (size_t i = ids.size() > 9 ? ids.size() - 9 : 0; i < ids.size(); ++i) in.references.push_back(ids[i]);
        in.in_reply_to = in.references.back();
        ids.push_back(in.message_id);
        if (ids.size() > 64) ids.erase(ids.begin(), ids.end() - 9);  // only the last nine are named
    }
    OutboxRow r;
    r.to_address = m.to_address;
    r.to_user_id = m.to_user_id;
    r.kind = m.kind;
    r.request_id = m.request_id;
    r.conversation_id = m.conversation_id;
    r.message_id = in.message_id;
    r.subject = m.subject;
    r.text = m.text;
    r.raw = compose_message(in);
    r.status = dev_mailbox() ? kOutDevMailbox : kOutQueued;
    r.created = in.date_ms;
    r.next_attempt_at = in.date_ms;
    r.message_ref = m.message_ref;
    return r;
}

void Outbox::enqueue(const OutgoingMail& m) { enqueue_all({m}); }

void Outbox::enqueue_all(const std::vector<OutgoingMail>& mails, const std::function<void()>& before_store) {
    if (mails.empty()) return;
    BatchThreads batch;
    std::vector<OutboxRow> rows;
    rows.reserve(mails.size());
    for (const auto& m : mails) rows.push_back(compose_row(m, batch));
    if (before_store) before_store();
    // One transaction for the batch: one durable write, however many mails.
    rows_.add_all(rows);
    for (const auto& r : rows)
        if (r.id > 0) changed(r);  // 0: queued already (by another instance)
    if (!dev_mailbox()) kick();
}

void Outbox::kick() {
    std::lock_guard lk(mu_);
    kicked_ = true;
    cv_.notify_all();
}

void Outbox::changed(const OutboxRow& r) {
    if (!listener_) return;
    // A listener's failure must neither lose the row's state (already stored) nor stop the worker.
    try {
        listener_(r);
    } catch (const std::exception& e) {
        log_line(std::string("parley: outbox listener: ") + e.what());
    }
}

bool Outbox::requeue(int64_t id) {
    if (!rows_.requeue(id, now_())) return false;
    if (auto r = rows_.get(id)) changed(*r);
    kick();
    return true;
}

std::string Outbox::mailbox_json(int64_t user_id, int limit) {
    nlohmann::json out;
    out["development_mailbox"] = dev_mailbox();
    out["note"] = dev_mailbox()
                      ? "Development mailbox: no SMTP server is configured, so e-mail to you is kept here "
                        "instead of being sent."
                      : "E-mail notifications sent to you, with their delivery status.";
    nlohmann::json list = nlohmann::json::array();
    for (const auto& r : rows_.for_user(user_id, limit)) {
        list.push_back({{"id", r.id},
                        {"kind", r.kind},
                        {"to", r.to_address},
                        {"request_id", r.request_id},
                        {"conversation_id", r.conversation_id},
                        {"message_id", r.message_id},
                        {"subject", r.subject},
                        {"text", r.text},
                        {"headers", mail_headers(r.raw)},
                        {"status", r.status},
                        {"attempts", r.attempts},
                        {"last_code", r.last_code},
                        {"last_error", r.last_error},
                        {"error_kind", r.error_kind},
                        {"created", r.created},
                        {"sent_at", r.sent_at}});
    }
    out["messages"] = std::move(list);
    return out.dump();
}

void Outbox::attempt(OutboxRow r) {
    SendResult res;
    if (stopping_) return;
    try {
        res = sender_(settings_.from_address, r.to_address, r.raw);
    } catch (const std::exception& e) {
        res = connection_failure(e.what());
    }
    if (stopping_ && res.status != SendStatus::ok && res.code == 0) return;  // aborted: due again on restart
    int64_t now = now_();
    r.attempts += 1;
    r.last_code = res.code;
    r.last_error = res.status == SendStatus::ok ? "" : res.text.substr(0, 500);
    r.error_kind = res.kind;
    if (res.status == SendStatus::ok) {
        consecutive_failures_ = 0;
        sent_total().inc();
    } else {
        consecutive_failures_.fetch_add(1);
        last_failure_ms_ = now;
    }
    if (res.status == SendStatus::ok) {
        r.status = kOutSent;
        r.sent_at = now;
    } else if (res.status == SendStatus::permanent || r.attempts >= settings_.max_attempts) {
        r.status = kOutFailedPermanent;
        r.next_attempt_at = now;  // no next attempt: keeps when it failed (Delivery.updated)
        failures_permanent().inc();
        log_line("parley: mail " + std::to_string(r.id) + " to " + r.to_address + " failed permanently: " +
                 std::to_string(res.code) + " " + r.last_error);
    } else {
        r.status = kOutFailedTemporary;
        r.next_attempt_at = now + retry_delay_ms(r.attempts, settings_.retry_base_ms, settings_.retry_cap_ms);
        failures_temporary().inc();
    }
    rows_.update_attempt(r);
    changed(r);
}

int Outbox::run_once() {
    if (dev_mailbox()) return 0;
    int n = 0;
    for (;;) {
        auto rows = rows_.due(now_(), 20);
        if (rows.empty()) break;
        for (auto& r : rows) {
            {
                std::lock_guard lk(mu_);
                if (stop_) return n;
            }
            attempt(std::move(r));
            ++n;
        }
    }
    return n;
}

void Outbox::start() {
    if (dev_mailbox() || thread_.joinable()) return;
    thread_ = std::thread([this] { worker(); });
}

void Outbox::stop() {
    stopping_ = true;
    {
        std::lock_guard lk(mu_);
        stop_ = true;
        cv_.notify_all();
    }
    if (thread_.joinable()) thread_.join();
}

void Outbox::worker() {
    for (;;) {
        try {
            run_once();
        } catch (const std::exception& e) {
            log_line(std::string("parley: outbox: ") + e.what());
        }
        int64_t wait_ms = 5000;
        try {
            if (auto next = rows_.next_due()) wait_ms = std::clamp<int64_t>(*next - now_(), 20, 5000);
        } catch (const std::exception&) {
        }
        std::unique_lock lk(mu_);
        cv_.wait_for(lk, std::chrono::milliseconds(wait_ms), [&] { return stop_ || kicked_; });
        if (stop_) return;
        kicked_ = false;
    }
}

}  // namespace parley::server
