// Received e-mails (e-mail in): one row per inbound mail, deduplicated by its key
// (Message-ID or content hash), with the raw message kept for "View original".
// Thread-safe; an implementation keeps its own connection.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace parley::server {

class MailInStore {
public:
    virtual ~MailInStore() = default;
    struct Row {
        std::string key;
        int64_t conversation_id = 0, user_id = 0;
        int64_t id = 0;      // set by add / read back
        std::string status;  // posted | auto_reply | held | discarded
        int64_t message_id = 0, event_id = 0;
        std::string subject, raw;
        int64_t received = 0;
        std::string hold_reason, preview;  // held: why it proved nothing; the start of its text
    };
    // The earlier row of this key, if any (without raw).
    virtual std::optional<Row> find(const std::string& key) = 0;
    // Inserts unless the key is there; false when it was.
    virtual bool add(const Row& r) = 0;
    // Held replies (the sender proved nothing) of `user_id` in these conversations, oldest
    // first, at most `limit`, without raw.
    virtual std::vector<Row> held(int64_t user_id, const std::vector<int64_t>& conversations, int limit) = 0;
    // One row by id, with raw; nullopt when there is none.
    virtual std::optional<Row> by_id(int64_t id) = 0;
    // A held row becomes `status` (posted with its message, or discarded); false when it
    // was not held any more (someone settled it first).
    virtual bool settle_held(int64_t id, const std::string& status, int64_t message_id) = 0;
    // A posted message's raw mail with where the message lives (GET /messages/{id}/original).
    struct Original {
        int64_t request_id = 0, conversation_id = 0, author_id = 0;
        std::string raw;
    };
    virtual std::optional<Original> original(int64_t message_id) = 0;
    // Threading fallback: the conversation and recipient of one of our outbound mails
    // by its Message-ID (without angle brackets); nullopt when it is not ours or
    // belongs to no conversation.
    struct Thread {
        int64_t conversation_id = 0, user_id = 0;
    };
    virtual std::optional<Thread> thread_of(const std::string& message_id) = 0;
    // The request a conversation belongs to (0: no such conversation).
    virtual int64_t request_of(int64_t conversation_id) = 0;
};

}  // namespace parley::server
