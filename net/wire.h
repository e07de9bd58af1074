// Wire types: the one place each JSON shape of the API is defined.
// Used by the server (to write) and the client (to read); round-trip tested.
#pragma once
#include <cstdint>
#include <string>
#include <vector>
#include <nlohmann/json_fwd.hpp>

namespace parley {

// Times on the wire are Unix milliseconds (UTC).
using Millis = int64_t;

struct User {
    int64_t id = 0;
    std::string name, company, country, language;
    std::string role;  // "buyer" | "manufacturer"
};

// One row of the inbox.
struct RequestSummary {
    int64_t id = 0;
    std::string buyer_name, buyer_company, country, language, product;
    std::string snippet;        // start of the newest message (or of the request)
    Millis created = 0;
    Millis last_activity = 0;
    bool unread = false;
    int message_count = 0;
};

struct Inbox {
    User me;
    std::vector<RequestSummary> requests;  // unread first, then newest activity first
    int unread = 0;
    int64_t cursor = 0;                    // newest event id: start long-polling after it
};

struct Message {
    int64_t id = 0, request_id = 0, author_id = 0;
    std::string author_name, author_role, body;
    Millis created = 0;
};

struct RequestDetail {
    int64_t id = 0;
    User buyer;
    std::string manufacturer_name, product, message, country, language;
    Millis created = 0;
    std::vector<Message> messages;  // newest first
};

// Body of POST /api/v1/requests/{id}/messages (header Idempotency-Key required).
struct NewMessage {
    std::string body;
};

struct Event {
    int64_t id = 0, request_id = 0, message_id = 0, actor_id = 0;
    std::string kind;  // "message" | "read"
    Millis created = 0;
};

// Answer of GET /api/v1/events?after=N.
struct EventBatch {
    std::vector<Event> events;
    int64_t cursor = 0;  // pass as ?after= on the next poll
};

// Every error answer: {"error": {"code": ..., "message": ...}}.
struct ApiError {
    std::string code, message;
};

void to_json(nlohmann::json&, const User&);
void from_json(const nlohmann::json&, User&);
void to_json(nlohmann::json&, const RequestSummary&);
void from_json(const nlohmann::json&, RequestSummary&);
void to_json(nlohmann::json&, const Inbox&);
void from_json(const nlohmann::json&, Inbox&);
void to_json(nlohmann::json&, const Message&);
void from_json(const nlohmann::json&, Message&);
void to_json(nlohmann::json&, const RequestDetail&);
void from_json(const nlohmann::json&, RequestDetail&);
void to_json(nlohmann::json&, const NewMessage&);
void from_json(const nlohmann::json&, NewMessage&);
void to_json(nlohmann::json&, const Event&);
void from_json(const nlohmann::json&, Event&);
void to_json(nlohmann::json&, const EventBatch&);
void from_json(const nlohmann::json&, EventBatch&);
void to_json(nlohmann::json&, const ApiError&);
void from_json(const nlohmann::json&, ApiError&);

// Helpers that never throw: parse text into T, or say why not.
template <class T> bool parse_json(const std::string& text, T& out, std::string* why = nullptr);
template <class T> std::string dump_json(const T& value);
std::string error_body(const std::string& code, const std::string& message);

// Limits shared by client and server.
constexpr size_t kMaxMessageChars = 20000;     // bytes of UTF-8 in one message body
constexpr size_t kMaxJsonBody = 256 * 1024;    // larger JSON request bodies get 413

}  // namespace parley
