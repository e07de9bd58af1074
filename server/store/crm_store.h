// Leads into the seller's CRM: each seller's integrations (an outgoing webhook, an Odoo
// connection), the persistent queue of their deliveries with its log, and the cursor of
// the dispatcher that turns events into deliveries. Thread-safe; an implementation keeps
// its own connection so that the CRM worker never waits for the main store's lock.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace parley::server {

inline constexpr const char* kCrmWebhook = "webhook";
inline constexpr const char* kCrmOdoo = "odoo";

// Delivery statuses.
inline constexpr const char* kCrmPending = "pending";      // waiting for its (next) try
inline constexpr const char* kCrmDelivered = "delivered";
inline constexpr const char* kCrmFailed = "failed";        // every try failed: given up

struct CrmIntegration {
    int64_t id = 0, owner_id = 0;
    std::string kind;              // kCrmWebhook | kCrmOdoo
    std::string url;
    std::string secret;            // webhook: the signing secret; Odoo: the API key
    std::string database, login;   // Odoo only
    bool enabled = true;
    int64_t created = 0, updated = 0;
};

struct CrmDelivery {
    int64_t id = 0, integration_id = 0;
    int64_t event_id = 0;          // the Parley event (0: a test event or a new request)
    int64_t request_id = 0;
    std::string type;              // "message.created", "quote.accepted", "ping"…
    std::string payload;           // the JSON body (webhooks); empty for a lead sync
    std::string status = kCrmPending;
    int attempts = 0;
    int64_t next_try = 0;
    int last_code = 0;             // the receiver's HTTP status of the last try (0: none)
    std::string last_error;
    int64_t created = 0, updated = 0;
};

class CrmStore {
public:
    virtual ~CrmStore() = default;

    // --- integrations (at most one of each kind per seller) ---
    virtual std::optional<CrmIntegration> integration(int64_t owner_id, const std::string& kind) = 0;
    virtual std::optional<CrmIntegration> integration_by_id(int64_t id) = 0;
    // Every enabled integration (the dispatcher: a handful per seller).
    virtual std::vector<CrmIntegration> enabled_integrations() = 0;
    // Inserts or replaces the (owner, kind) row; returns it with its id.
    virtual CrmIntegration save_integration(const CrmIntegration& i) = 0;
    // Removes it with its deliveries and lead links.
    virtual void delete_integration(int64_t id) = 0;

    // --- the queue ---
    // Returns the id; 0 when a delivery of that event and type exists already for that
    // integration (the dispatcher of another instance got there first). Test events
    // (event_id 0) are always added.
    virtual int64_t enqueue(const CrmDelivery& d) = 0;
    // Pending deliveries due at `now`, oldest first; each is leased (next_try = `lease_until`)
    // in the same statement, so that two workers never send the same one at once.
    virtual std::vector<CrmDelivery> claim_due(int64_t now, int64_t lease_until, int limit) = 0;
    // status, attempts, next_try, last_code, last_error, updated.
    virtual void finish(const CrmDelivery& d) = 0;
    // The log: newest first, ids < before (0: from the newest).
    virtual std::vector<CrmDelivery> log(int64_t integration_id, int64_t before, int limit) = 0;
    virtual std::optional<CrmDelivery> delivery(int64_t id) = 0;
    // failed → pending, due now (a seller's "Retry"); false in another status.
    virtual bool requeue(int64_t id, int64_t now) = 0;

    // --- the lead each request became in the seller's CRM (Odoo) ---
    virtual int64_t lead_of(int64_t integration_id, int64_t request_id) = 0;
    virtual void set_lead(int64_t integration_id, int64_t request_id, int64_t lead_id) = 0;

    // --- the dispatcher's cursor (one instance at a time: a lease, as the notice sweep) ---
    struct Cursor {
        int64_t event = 0, request = 0;  // the last event and request turned into deliveries
    };
    // Claims the dispatcher for `owner` until `until` (free, expired before `now`, or
    // already theirs); nullopt when another owner holds it.
    virtual std::optional<Cursor> claim_cursor(const std::string& owner, int64_t now, int64_t until) = 0;
    // Moves it forward while `owner` holds the claim; false when the claim was lost.
    virtual bool advance_cursor(const std::string& owner, const Cursor& c) = 0;
    // Data written before the integrations existed (demo data, a fresh database): the
    // dispatcher starts after these.
    virtual void skip_cursor(const Cursor& c) = 0;
};

}  // namespace parley::server
