// The persistent outbox: notifications are composed and stored in the
// database (table outbox), then a worker thread sends due rows over SMTP with
// exponential backoff. Rows survive restarts: queued and failed_temporary rows are
// picked up again. Without SMTP settings rows get status "dev_mailbox" and are only
// listed to their recipient (GET /api/v1/dev/mailbox) — a development mailbox.
#pragma once
#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/mail/mailer.h"
#include "server/mail/relay.h"
#include "server/mail/smtp.h"
#include "server/store/outbox_store.h"

namespace parley::server {

struct MailSettings {
    SmtpConfig smtp;                  // url "" → development mailbox
    std::string from_address = "parley@localhost";
    std::string from_name = "Parley";
    std::string relay_domain = "relay.localhost";  // also the Message-ID domain
    RelayKey relay_key{};
    int64_t retry_base_ms = 60'000;   // 1 min, 2, 4, ... capped
    int64_t retry_cap_ms = 3'600'000;
    int max_attempts = 8;             // then failed_permanent
};

// Delay after the `attempts`-th failed attempt (≥ 1): base·2^(attempts-1), capped.
int64_t retry_delay_ms(int attempts, int64_t base_ms, int64_t cap_ms);

class Outbox final : public Mailer {
public:
    using Sender = std::function<SendResult(const std::string& from, const std::string& to, const std::string& raw)>;
    using Now = std::function<int64_t()>;
    // `rows` outlives the outbox.
    Outbox(OutboxStore& rows, MailSettings settings, Now now, Sender sender = nullptr);
    ~Outbox() override;  // stops the worker

    void enqueue(const OutgoingMail& mail) override;
    // Composes them all first, then stores them (posts: the notifications of a batch).
    void enqueue_all(const std::vector<OutgoingMail>& mails, const std::function<void()>& before_store = {}) override;
    // Told after every change of a row's status (queued on enqueue, each attempt, a
    // retry), from the caller's or the worker's thread; exceptions are logged. Set it
    // before start(). The domain uses it for delivery status.
    using Listener = std::function<void(const OutboxRow&)>;
    void set_listener(Listener l) { listener_ = std::move(l); }
    // Retry of a permanent failure: queued again, due now, the worker woken. False if the
    // row is not failed_permanent.
    bool requeue(int64_t id) override;
    std::string mailbox_json(int64_t user_id, int limit) override;

    bool dev_mailbox() const override { return settings_.smtp.url.empty(); }
    SendingStatus sending_status() const override {
        return {consecutive_failures_.load(), last_failure_ms_.load()};
    }
    // Sends the rows due now (synchronously); returns how many were tried.
    int run_once();
    void start();  // the worker thread (no-op for the development mailbox)
    void stop();   // wakes and joins it, aborting a send in progress (it stays due)

    OutboxStore& store() { return rows_; }

private:
    // The latest Message-IDs sent by (conversation, recipient) while a batch is composed
    // (the stored ones, then the batch's): the References of each mail.
    using BatchThreads = std::map<std::pair<int64_t, int64_t>, std::vector<std::string>>;
    OutboxRow compose_row(const OutgoingMail& m, BatchThreads& batch);
    void worker();
    void attempt(OutboxRow row);
    void changed(const OutboxRow& row);  // calls the listener
    void kick();                         // wakes the worker

    MailSettings settings_;
    Now now_;
    Sender sender_;
    Listener listener_;
    OutboxStore& rows_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool stop_ = false, kicked_ = false;
    std::atomic<bool> stopping_{false};  // aborts an SMTP transfer in progress
    std::atomic<int> consecutive_failures_{0};  // attempts failed since the last success
    std::atomic<int64_t> last_failure_ms_{0};
    std::thread thread_;
};

}  // namespace parley::server
