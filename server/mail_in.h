// Inbound replies (issue 6): one raw e-mail addressed to a relay address r+<token>@…
// becomes a message of that participant in that conversation (Domain::receive_mail in
// domain_mail_in.cpp). This header holds the result, the pure helpers (tested in
// tests/unit/test_mail_in.cpp) and the table of received mails (kMigrations step 9),
// which deduplicates by Message-ID and keeps every raw message.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/relay.h"
#include "server/sqlite_db.h"

namespace parley::server {

inline constexpr const char* kMailInPosted = "posted";
inline constexpr const char* kMailInDuplicate = "duplicate";
inline constexpr const char* kMailInAutoReply = "auto_reply";
inline constexpr const char* kMailInRefused = "refused";

struct MailInResult {
    std::string status;            // posted | duplicate | auto_reply | refused
    std::string reason;            // refused: a code (unparseable, no_relay_address, ...)
    std::string detail;            // refused: a sentence for the bounce / log
    int64_t request_id = 0, conversation_id = 0, user_id = 0;
    int64_t message_id = 0;        // posted (or the earlier post of a duplicate)
};

// Values of the Delivered-To and X-Original-To header fields of the top-level header
// block (unfolded, trimmed; angle brackets removed). MTAs add them with the envelope
// recipient, which is the relay address even when To/Cc do not show it.
std::vector<std::string> mail_envelope_recipients(std::string_view raw);

// The first address of `candidates` of the form r+<token>@<any domain> whose token
// verifies under `key`. *saw_relay (if not null) tells whether any r+… address was seen
// at all (to tell "forged token" from "not addressed to a relay address").
std::optional<RelayId> find_relay_recipient(const RelayKey& key, const std::vector<std::string>& candidates,
                                            bool* saw_relay);

// The deduplication key of a message: its Message-ID, else "sha256:<hash of raw>".
std::string mail_in_key(std::string_view message_id, std::string_view raw);

// Table mail_in on its own connection (like the outbox). Thread-safe.
class SqliteMailInStore {
public:
    explicit SqliteMailInStore(const std::string& db_path);
    struct Row {
        std::string key;
        int64_t conversation_id = 0, user_id = 0;
        std::string status;  // posted | auto_reply
        int64_t message_id = 0, event_id = 0;
        std::string subject, raw;
        int64_t received = 0;
    };
    // The earlier row of this key, if any.
    std::optional<Row> find(const std::string& key);
    // Inserts unless the key is there; false when it was.
    bool add(const Row& r);
    // The raw message a posted message came from.
    std::optional<std::string> raw_of_message(int64_t message_id);
    // The request a conversation belongs to (0: no such conversation).
    int64_t request_of(int64_t conversation_id);

private:
    SqliteDb db_;
};

}  // namespace parley::server
