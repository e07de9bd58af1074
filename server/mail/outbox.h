// The persistent outbox (issue 6): notifications are composed and stored in the
// database (table outbox), then a worker thread sends due rows over SMTP with
// exponential backoff. Rows survive restarts: queued and failed_temporary rows are
// picked up again. Without SMTP settings rows get status "dev_mailbox" and are only
// listed to their recipient (GET /api/v1/dev/mailbox) — a development mailbox.
#pragma once
#include <atomic>
#include <condition_variable>
#include <functional>
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
#include "server/store/sqlite/db.h"

namespace parley::server {

// Outbox statuses.
inline constexpr const char* kOutQueued = "queued";
inline constexpr const char* kOutSent = "sent";
inline constexpr const char* kOutFailedTemporary = "failed_temporary";  // will be retried
inline constexpr const char* kOutFailedPermanent = "failed_permanent";
inline constexpr const char* kOutDevMailbox = "dev_mailbox";

struct OutboxRow {
    int64_t id = 0;
    std::string to_address;
    int64_t to_user_id = 0;
    std::string kind;
    int64_t request_id = 0, conversation_id = 0;
    std::string message_id, subject, text, raw;
    std::string status = kOutQueued;
    int attempts = 0;
    int64_t next_attempt_at = 0;
    std::string last_error, error_kind;
    int last_code = 0;
    int64_t created = 0, sent_at = 0;
    int64_t message_ref = 0;       // the Parley message it notifies about (0: none)
    int64_t failure_event_id = 0;  // the "delivery_failed" event of its permanent failure (0: none)
};

// An outbox row about a Parley message, with what its delivery status needs (issue 6):
// the recipient's name (never shown: the address) and the message's author.
struct DeliveryInfo {
    OutboxRow row;  // without raw/text (not needed to show a status)
    std::string recipient_name;
    int64_t author_id = 0;
};

// Its own connection to the Parley database (schema from kMigrations step 8), so that
// the worker never waits for the store's lock. Thread-safe.
class SqliteMailStore {
public:
    explicit SqliteMailStore(const std::string& db_path);
    int64_t add(const OutboxRow& r);  // returns the id
    std::optional<OutboxRow> get(int64_t id);
    // queued / failed_temporary rows with next_attempt_at <= now, oldest first.
    std::vector<OutboxRow> due(int64_t now, int limit);
    // The earliest next_attempt_at of a pending row, if any.
    std::optional<int64_t> next_due();
    void update_attempt(const OutboxRow& r);  // status, attempts, next_attempt_at, errors, sent_at
    std::vector<OutboxRow> for_user(int64_t user_id, int limit);
    // Message-IDs of earlier mails to this user in this conversation, oldest first.
    std::vector<std::string> thread(int64_t conversation_id, int64_t user_id, int limit);
    // Delivery status (issue 6): rows with message_ref > 0 of a request, oldest first; one row.
    std::vector<DeliveryInfo> deliveries(int64_t request_id);
    std::optional<DeliveryInfo> delivery(int64_t id);
    // failed_permanent → queued (attempts 0, due now, no failure event); false if the
    // row was in another status (checked in the same statement: no race with the worker).
    bool requeue(int64_t id, int64_t now);
    // Records the failure event once; false if the row already has one.
    bool set_failure_event(int64_t id, int64_t event_id);

private:
    OutboxRow read(const Stmt& s);
    SqliteDb db_;
};

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

// The header block of a raw message as name → unfolded value (first occurrence wins).
nlohmann::json mail_headers(const std::string& raw);

// Delay after the `attempts`-th failed attempt (≥ 1): base·2^(attempts-1), capped.
int64_t retry_delay_ms(int attempts, int64_t base_ms, int64_t cap_ms);

class Outbox final : public Mailer {
public:
    using Sender = std::function<SendResult(const std::string& from, const std::string& to, const std::string& raw)>;
    using Now = std::function<int64_t()>;
    Outbox(const std::string& db_path, MailSettings settings, Now now, Sender sender = nullptr);
    ~Outbox() override;  // stops the worker

    void enqueue(const OutgoingMail& mail) override;
    // Told after every change of a row's status (queued on enqueue, each attempt, a
    // retry), from the caller's or the worker's thread; exceptions are logged. Set it
    // before start(). The domain uses it for delivery status (issue 6).
    using Listener = std::function<void(const OutboxRow&)>;
    void set_listener(Listener l) { listener_ = std::move(l); }
    // Retry of a permanent failure: queued again, due now, the worker woken. False if the
    // row is not failed_permanent.
    bool requeue(int64_t id);
    std::string mailbox_json(int64_t user_id, int limit) override;

    bool dev_mailbox() const { return settings_.smtp.url.empty(); }
    // Sends the rows due now (synchronously); returns how many were tried.
    int run_once();
    void start();  // the worker thread (no-op for the development mailbox)
    void stop();   // wakes and joins it, aborting a send in progress (it stays due)

    SqliteMailStore& store() { return db_; }

private:
    void worker();
    void attempt(OutboxRow row);
    void changed(const OutboxRow& row);  // calls the listener
    void kick();                         // wakes the worker

    MailSettings settings_;
    Now now_;
    Sender sender_;
    Listener listener_;
    SqliteMailStore db_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool stop_ = false, kicked_ = false;
    std::atomic<bool> stopping_{false};  // aborts an SMTP transfer in progress
    std::thread thread_;
};

}  // namespace parley::server
