#include "wire.h"
#include <nlohmann/json.hpp>

namespace parley {
using nlohmann::json;

// Missing keys read as defaults so older/newer peers interoperate; wrong types throw
// (caught by parse_json and reported as a 400).
template <class T> static void get_opt(const json& j, const char* key, T& out) {
    auto it = j.find(key);
    if (it != j.end() && !it->is_null()) it->get_to(out);
}

void to_json(json& j, const User& u) {
    j = json{{"id", u.id}, {"name", u.name}, {"company", u.company},
             {"country", u.country}, {"language", u.language}, {"role", u.role}};
}
void from_json(const json& j, User& u) {
    get_opt(j, "id", u.id); get_opt(j, "name", u.name); get_opt(j, "company", u.company);
    get_opt(j, "country", u.country); get_opt(j, "language", u.language); get_opt(j, "role", u.role);
}

void to_json(json& j, const RequestSummary& r) {
    j = json{{"id", r.id}, {"buyer_name", r.buyer_name}, {"buyer_company", r.buyer_company},
             {"country", r.country}, {"language", r.language}, {"product", r.product},
             {"snippet", r.snippet}, {"created", r.created}, {"last_activity", r.last_activity},
             {"unread", r.unread}, {"message_count", r.message_count}};
}
void from_json(const json& j, RequestSummary& r) {
    get_opt(j, "id", r.id); get_opt(j, "buyer_name", r.buyer_name);
    get_opt(j, "buyer_company", r.buyer_company); get_opt(j, "country", r.country);
    get_opt(j, "language", r.language); get_opt(j, "product", r.product);
    get_opt(j, "snippet", r.snippet); get_opt(j, "created", r.created);
    get_opt(j, "last_activity", r.last_activity); get_opt(j, "unread", r.unread);
    get_opt(j, "message_count", r.message_count);
}

void to_json(json& j, const Inbox& b) {
    j = json{{"me", b.me}, {"requests", b.requests}, {"unread", b.unread}, {"cursor", b.cursor}};
}
void from_json(const json& j, Inbox& b) {
    get_opt(j, "me", b.me); get_opt(j, "requests", b.requests);
    get_opt(j, "unread", b.unread); get_opt(j, "cursor", b.cursor);
}

void to_json(json& j, const Message& m) {
    j = json{{"id", m.id}, {"request_id", m.request_id}, {"author_id", m.author_id},
             {"author_name", m.author_name}, {"author_role", m.author_role},
             {"body", m.body}, {"created", m.created}};
}
void from_json(const json& j, Message& m) {
    get_opt(j, "id", m.id); get_opt(j, "request_id", m.request_id);
    get_opt(j, "author_id", m.author_id); get_opt(j, "author_name", m.author_name);
    get_opt(j, "author_role", m.author_role); get_opt(j, "body", m.body);
    get_opt(j, "created", m.created);
}

void to_json(json& j, const RequestDetail& d) {
    j = json{{"id", d.id}, {"buyer", d.buyer}, {"manufacturer_name", d.manufacturer_name},
             {"product", d.product}, {"message", d.message}, {"country", d.country},
             {"language", d.language}, {"created", d.created}, {"messages", d.messages}};
}
void from_json(const json& j, RequestDetail& d) {
    get_opt(j, "id", d.id); get_opt(j, "buyer", d.buyer);
    get_opt(j, "manufacturer_name", d.manufacturer_name); get_opt(j, "product", d.product);
    get_opt(j, "message", d.message); get_opt(j, "country", d.country);
    get_opt(j, "language", d.language); get_opt(j, "created", d.created);
    get_opt(j, "messages", d.messages);
}

void to_json(json& j, const NewMessage& m) { j = json{{"body", m.body}}; }
void from_json(const json& j, NewMessage& m) {
    // The body is required and must be a string: a typo'd key must not post an empty reply.
    j.at("body").get_to(m.body);
}

void to_json(json& j, const Event& e) {
    j = json{{"id", e.id}, {"request_id", e.request_id}, {"message_id", e.message_id},
             {"actor_id", e.actor_id}, {"kind", e.kind}, {"created", e.created}};
}
void from_json(const json& j, Event& e) {
    get_opt(j, "id", e.id); get_opt(j, "request_id", e.request_id);
    get_opt(j, "message_id", e.message_id); get_opt(j, "actor_id", e.actor_id);
    get_opt(j, "kind", e.kind); get_opt(j, "created", e.created);
}

void to_json(json& j, const EventBatch& b) { j = json{{"events", b.events}, {"cursor", b.cursor}}; }
void from_json(const json& j, EventBatch& b) {
    get_opt(j, "events", b.events); get_opt(j, "cursor", b.cursor);
}

void to_json(json& j, const ApiError& e) {
    j = json{{"error", {{"code", e.code}, {"message", e.message}}}};
}
void from_json(const json& j, ApiError& e) {
    const json& in = j.contains("error") ? j.at("error") : j;
    get_opt(in, "code", e.code); get_opt(in, "message", e.message);
}

template <class T> bool parse_json(const std::string& text, T& out, std::string* why) {
    json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) { if (why) *why = "malformed JSON"; return false; }
    if (!j.is_object()) { if (why) *why = "expected a JSON object"; return false; }
    try {
        out = j.get<T>();
    } catch (const std::exception& ex) {
        if (why) *why = ex.what();
        return false;
    }
    return true;
}
template bool parse_json(const std::string&, User&, std::string*);
template bool parse_json(const std::string&, RequestSummary&, std::string*);
template bool parse_json(const std::string&, Inbox&, std::string*);
template bool parse_json(const std::string&, Message&, std::string*);
template bool parse_json(const std::string&, RequestDetail&, std::string*);
template bool parse_json(const std::string&, NewMessage&, std::string*);
template bool parse_json(const std::string&, Event&, std::string*);
template bool parse_json(const std::string&, EventBatch&, std::string*);
template bool parse_json(const std::string&, ApiError&, std::string*);

template <class T> std::string dump_json(const T& v) { return json(v).dump(); }
template std::string dump_json(const User&);
template std::string dump_json(const RequestSummary&);
template std::string dump_json(const Inbox&);
template std::string dump_json(const Message&);
template std::string dump_json(const RequestDetail&);
template std::string dump_json(const NewMessage&);
template std::string dump_json(const Event&);
template std::string dump_json(const EventBatch&);

std::string error_body(const std::string& code, const std::string& message) {
    return json(ApiError{code, message}).dump();
}

}  // namespace parley
