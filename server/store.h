// Storage interface of the Parley server. The domain layer talks only to this
// interface, so that a PostgreSQL implementation can follow the SQLite one.
// Every method is thread-safe. Times are Unix milliseconds.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "net/wire.h"

namespace parley::server {

// A user as stored (the wire User plus private contact fields).
struct UserRecord {
    int64_t id = 0;
    std::string name, company, country, language;
    std::string role;  // "buyer" | "manufacturer"
    std::string email, phone;

    User to_wire() const { return User{id, name, company, country, language, role}; }
};

struct RequestRecord {
    int64_t id = 0, buyer_id = 0, manufacturer_id = 0;
    std::string product, message, country, language;
    Millis created = 0;
};

// Result of an idempotent message insert.
struct PostOutcome {
    Message message;
    bool created = false;       // false: an earlier post with the same key was found
    bool key_conflict = false;  // the key was already used by this user for another request
    Event event;                // the "message" event (only when created)
};

struct ReadOutcome {
    bool moved = false;         // the mark advanced (then `event` is the "read" event)
    Event event;
};

// Thrown by implementations on storage failure (disk full, corruption...).
struct StoreError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Store {
public:
    virtual ~Store() = default;

    // Schema version after migrations (for tests and diagnostics).
    virtual int schema_version() = 0;

    // --- users ---
    virtual int64_t add_user(const UserRecord& u) = 0;  // returns the new id
    virtual std::optional<UserRecord> user(int64_t id) = 0;
    virtual std::vector<UserRecord> users() = 0;        // ordered by id
    virtual bool empty() = 0;                            // no users at all

    // --- requests ---
    virtual int64_t add_request(const RequestRecord& r) = 0;
    virtual std::optional<RequestRecord> request(int64_t id) = 0;
    // Inbox rows of every request the user is buyer or manufacturer of; `unread` computed
    // per the read-mark rules; ordered unread first, then newest activity first.
    virtual std::vector<RequestSummary> inbox(int64_t user_id) = 0;
    // Full request with messages newest first (no visibility check: the caller does it).
    virtual std::optional<RequestDetail> detail(int64_t request_id) = 0;

    // --- messages ---
    // Inserts a message, an idempotency record, a "message" event and moves the author's
    // read mark, in one transaction. With the same (author, key) returns the first message.
    virtual PostOutcome post_message(int64_t request_id, int64_t author_id, const std::string& body,
                                     const std::string& idempotency_key, Millis now) = 0;
    // Raw insert for demo data: message + "message" event with the given time.
    virtual Message add_message(int64_t request_id, int64_t author_id, const std::string& body,
                                Millis created) = 0;

    // --- read marks ---
    // Moves the user's read mark to the newest message; emits a "read" event if it moved.
    virtual ReadOutcome mark_read(int64_t user_id, int64_t request_id, Millis now) = 0;
    // Last read message id, or nullopt if the user never read the request.
    virtual std::optional<int64_t> read_mark(int64_t user_id, int64_t request_id) = 0;

    // --- events ---
    // Events with id > after on requests the user is buyer or manufacturer of, oldest first.
    virtual std::vector<Event> events_for_user(int64_t user_id, int64_t after, int limit) = 0;
    virtual int64_t max_event_id() = 0;

    // --- auth (tokens are stored only as hashes) ---
    virtual void add_magic_link(const std::string& token_hash, int64_t user_id, Millis expires,
                                bool reusable) = 0;
    // Returns the user id if the link exists and has not expired; a single-use link is
    // consumed by this call.
    virtual std::optional<int64_t> use_magic_link(const std::string& token_hash, Millis now) = 0;
    virtual void add_session(const std::string& token_hash, int64_t user_id, Millis created,
                             Millis expires) = 0;
    struct SessionInfo {
        int64_t user_id = 0;
        Millis expires = 0;
    };
    virtual std::optional<SessionInfo> session(const std::string& token_hash, Millis now) = 0;
    virtual void delete_session(const std::string& token_hash) = 0;
    virtual void purge_expired(Millis now) = 0;  // old links and sessions

    // Runs fn inside one transaction (used by the demo seeder for speed).
    virtual void transaction(const std::function<void()>& fn) = 0;
};

// Opens (creating if needed) and migrates a SQLite database file.
std::unique_ptr<Store> open_sqlite_store(const std::string& path);

}  // namespace parley::server
