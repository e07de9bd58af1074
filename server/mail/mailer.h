// What the domain layer asks of outbound e-mail: queue one notification.
// Implemented by the persistent outbox (server/mail/outbox.h); the domain never waits for SMTP.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace parley::server {

struct OutgoingMail {
    int64_t to_user_id = 0;
    std::string to_address, to_name;
    std::string kind;                 // "new_reply", ...
    int64_t request_id = 0, conversation_id = 0;
    int64_t message_ref = 0;          // the Parley message it is about (0: none) — delivery status
    std::string from_name;            // display name before the configured From address
    std::string subject, text, html;  // UTF-8; html may be ""
    bool reply_via_relay = true;      // Reply-To: the recipient's relay address of the conversation
    bool auto_submitted = true;
};

class Mailer {
public:
    virtual ~Mailer() = default;
    // Composes and stores the message (never sends inline); throws only on storage errors.
    virtual void enqueue(const OutgoingMail& mail) = 0;
    // The same for several mails (the notifications of a batch of posts), stored together;
    // `before_store`, when given, is called once they are composed, before the first write.
    virtual void enqueue_all(const std::vector<OutgoingMail>& mails, const std::function<void()>& before_store = {}) {
        if (before_store) before_store();
        for (const auto& m : mails) enqueue(m);
    }
    // The user's own notifications, newest first, as the JSON of GET /api/v1/dev/mailbox.
    virtual std::string mailbox_json(int64_t user_id, int limit) = 0;
    // A permanent failure queued again (Retry under a message); false if the row is not
    // failed_permanent.
    virtual bool requeue(int64_t /*outbox_id*/) { return false; }
    // Mail is kept in the development mailbox instead of being sent.
    virtual bool dev_mailbox() const { return false; }
    // Operators (GET /healthz): how sending goes in this process — the failed attempts
    // since the last mail that went out, and when the latest failed (ms since the epoch).
    struct SendingStatus {
        int consecutive_failures = 0;
        int64_t last_failure_ms = 0;
    };
    virtual SendingStatus sending_status() const { return {}; }
};

}  // namespace parley::server
