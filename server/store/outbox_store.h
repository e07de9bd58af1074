// The outbox's storage: one row per notification e-mail and recipient, with its
// delivery status. Used by the outbox worker (server/mail/outbox.h) and, read-only, by
// the domain for the delivery status under each message. Thread-safe; an
// implementation keeps its own connection so that the worker never waits for the main
// store's lock.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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

// An outbox row about a Parley message, with what its delivery status needs: the
// recipient's name (never shown: the address) and the message's author.
struct DeliveryInfo {
    OutboxRow row;  // without raw/text (not needed to show a status)
    std::string recipient_name;
    int64_t author_id = 0;
};

class OutboxStore {
public:
    virtual ~OutboxStore() = default;
    // Returns the id; 0 when a mail about the same message to the same user and of the
    // same kind is queued already (a store shared by several instances refuses a second).
    virtual int64_t add(const OutboxRow& r) = 0;
    // Several rows in one transaction (one durable write); sets each row's id (0 as above).
    virtual void add_all(std::vector<OutboxRow>& rows) {
        for (auto& r : rows) r.id = add(r);
    }
    virtual std::optional<OutboxRow> get(int64_t id) = 0;
    // queued / failed_temporary rows with next_attempt_at <= now, oldest first.
    virtual std::vector<OutboxRow> due(int64_t now, int limit) = 0;
    // The earliest next_attempt_at of a pending row, if any.
    virtual std::optional<int64_t> next_due() = 0;
    // status, attempts, next_attempt_at, errors, sent_at
    virtual void update_attempt(const OutboxRow& r) = 0;
    virtual std::vector<OutboxRow> for_user(int64_t user_id, int limit) = 0;
    // Message-IDs of earlier mails to this user in this conversation, oldest first.
    virtual std::vector<std::string> thread(int64_t conversation_id, int64_t user_id, int limit) = 0;
    // Delivery status: rows with message_ref > 0 of a request, oldest first; one row.
    virtual std::vector<DeliveryInfo> deliveries(int64_t request_id) = 0;
    // Only those of these messages (a page of a long thread).
    virtual std::vector<DeliveryInfo> deliveries_of(const std::vector<int64_t>& message_ids) = 0;
    virtual std::optional<DeliveryInfo> delivery(int64_t id) = 0;
    // failed_permanent → queued (attempts 0, due now, no failure event); false if the
    // row was in another status (checked in the same statement: no race with the worker).
    virtual bool requeue(int64_t id, int64_t now) = 0;
    // Records the failure event once; false if the row already has one.
    virtual bool set_failure_event(int64_t id, int64_t event_id) = 0;

    // Operators (GET /healthz, GET /metrics): the mails waiting to be sent (queued or to
    // be retried), counted up to `cap`, and when the earliest of them is due. Both read
    // the partial index of pending rows only: the cost is bounded by `cap`, whatever the
    // size of the table.
    struct Backlog {
        int64_t pending = 0;
        std::optional<int64_t> earliest_due;
    };
    virtual Backlog backlog(int64_t cap) = 0;
};

}  // namespace parley::server
