#include "wire.h"
#include "net/json_fields.h"

namespace parley {
using nlohmann::json;

bool is_seller_role(const std::string& role) {
    return role == kRoleManufacturer || role == kRoleAreaManager || role == kRoleDistributor ||
           role == kRoleGuest;
}

bool valid_email(const std::string& s) {
    if (s.empty() || s.size() > 254) return false;
    size_t at = s.find('@');
    if (at == std::string::npos || at == 0 || s.find('@', at + 1) != std::string::npos) return false;
    std::string domain = s.substr(at + 1);
    size_t dot = domain.find('.');
    if (domain.empty() || dot == std::string::npos || dot == 0 || domain.back() == '.') return false;
    for (unsigned char c : s)
        if (c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == ',' || c == ';' || c == '"') return false;
    return true;
}

bool valid_theme(const std::string& s) { return s == kThemeSystem || s == kThemeLight || s == kThemeDark; }

using json_fields::get_opt;
#define WIRE PARLEY_JSON_FIELDS

#define USER(F) F(id) F(name) F(company) F(country) F(language) F(role)
#define SCORE(F) F(received) F(answered_in_time) F(counted) F(response_rate) F(median_first_response)
#define SUMMARY(F) F(id) F(buyer_name) F(buyer_company) F(country) F(language) F(product) \
    F(snippet) F(created) F(last_activity) F(unread) F(message_count) F(status) F(handler_name) \
    F(seller_name) F(seller_company) F(match_message_id) F(match_text) F(match_ranges)
#define INBOX(F) F(me) F(requests) F(unread) F(to_answer) F(cursor) F(score)
#define ATTACHMENT(F) F(id) F(conversation_id) F(message_id) F(uploader_id) F(name) F(type) F(kind) \
    F(size) F(sha256) F(created)
#define MESSAGE(F) F(id) F(request_id) F(conversation_id) F(author_id) F(author_name) \
    F(author_role) F(body) F(created) F(attachments) F(via_email) F(deliveries) F(lang) F(sent_lang) \
    F(sent_translation)
#define DELIVERY(F) F(id) F(recipient_id) F(recipient_name) F(status) F(error_kind) F(updated)
#define PARTICIPANT(F) F(user) F(via) F(added_by)
#define RATING(F) F(stars) F(comment) F(created)
#define CONVERSATION(F) F(id) F(seller) F(status) F(decline_reason) F(participants) F(rating) \
    F(other_read_id) F(other_read_at)
#define PERMISSIONS(F) F(reply) F(reveal_phone) F(cc) F(forward) F(decline) F(close) F(rate) F(quote) \
    F(from_required)
#define EVENT(F) F(id) F(request_id) F(conversation_id) F(message_id) F(actor_id) F(kind) \
    F(actor_name) F(actor_role) F(target_id) F(target_name) F(target_role) F(text) F(value) F(created)
#define DETAIL(F) F(id) F(buyer) F(manufacturer_name) F(manufacturer_company) F(product) F(message) F(country) \
    F(language) F(message_lang) F(created) F(phone) F(my_conversation) F(conversations) F(messages) F(events) F(can) \
    F(quotes) F(older) F(message_total) F(held_replies)
#define HELDREPLY(F) F(id) F(conversation_id) F(subject) F(preview) F(reason) F(received)
#define HISTORY(F) F(request_id) F(messages) F(events) F(older) F(newer)
#define READMARK(F) F(conversation_id) F(message_id)
#define RECIPIENT(F) F(conversation_id) F(user_id) F(email) F(note)
#define DECLINE(F) F(conversation_id) F(reason) F(text)
#define CLOSESALE(F) F(conversation_id) F(outcome)
#define NEWRATING(F) F(conversation_id) F(stars) F(comment)
#define PHONE(F) F(phone)
#define NEWREQUEST(F) F(manufacturer_id) F(product) F(message)
#define MEMBER(F) F(user) F(zones) F(auto_cc)
#define NETWORK(F) F(members)
#define MEMBERINPUT(F) F(name) F(company) F(email) F(country) F(language) F(role) F(zones) F(auto_cc)
#define CONTACTS(F) F(users)
#define BATCH(F) F(events) F(cursor)
#define ACCEPTQUOTE(F) F(name) F(version)
#define PAYQUOTE(F) F(checkout_url) F(provider)
#define TRANSLATION(F) F(item) F(source) F(target) F(text) F(provider) F(created)
#define TRANSLATIONBATCH(F) F(translations) F(unavailable)
#define TRANSLATIONPAIR(F) F(from) F(to) F(provider)
#define TRANSLATIONLANGUAGES(F) F(languages) F(pairs)
#define USERSETTINGS(F) F(auto_translate)
#define FULLLINKSENT(F) F(email)
#define PREFERENCES(F) F(theme)

WIRE(User, USER)
WIRE(SellerScore, SCORE)
WIRE(RequestSummary, SUMMARY)
WIRE(Attachment, ATTACHMENT)
WIRE(Delivery, DELIVERY)
WIRE(HeldReply, HELDREPLY)
WIRE(Message, MESSAGE)
WIRE(Participant, PARTICIPANT)
WIRE(Rating, RATING)
WIRE(Conversation, CONVERSATION)
WIRE(Permissions, PERMISSIONS)
WIRE(Event, EVENT)
WIRE(RequestDetail, DETAIL)
WIRE(HistoryPage, HISTORY)
WIRE(ReadMark, READMARK)
WIRE(AddRecipient, RECIPIENT)
WIRE(Decline, DECLINE)
WIRE(CloseSale, CLOSESALE)
WIRE(NewRating, NEWRATING)
WIRE(PhoneNumber, PHONE)
WIRE(NewRequest, NEWREQUEST)
WIRE(NetworkMember, MEMBER)
WIRE(Network, NETWORK)
WIRE(NetworkMemberInput, MEMBERINPUT)
WIRE(Contacts, CONTACTS)
WIRE(EventBatch, BATCH)
WIRE(AcceptQuote, ACCEPTQUOTE)
WIRE(PayQuote, PAYQUOTE)
WIRE(Translation, TRANSLATION)
WIRE(TranslationBatch, TRANSLATIONBATCH)
WIRE(TranslationPair, TRANSLATIONPAIR)
WIRE(TranslationLanguages, TRANSLATIONLANGUAGES)
WIRE(UserSettings, USERSETTINGS)
WIRE(FullLinkSent, FULLLINKSENT)
WIRE(Preferences, PREFERENCES)

// GET /me is flat: the User's fields, the session's scope and my preferences beside them.
void to_json(json& j, const Me& v) {
    j = v.user;
    j["scope_request_id"] = v.scope_request_id;
    j["theme"] = v.theme;
}
void from_json(const json& j, Me& v) {
    from_json(j, v.user);
    get_opt(j, "scope_request_id", v.scope_request_id);
    get_opt(j, "theme", v.theme);
}

// The inbox score is optional: absent for buyers.
void to_json(json& j, const Inbox& v) {
    j = json{{"me", v.me}, {"requests", v.requests}, {"next_page", v.next_page}, {"total", v.total},
             {"total_more", v.total_more},
             {"search", v.search}, {"unread", v.unread}, {"to_answer", v.to_answer}, {"cursor", v.cursor},
             {"scope_request_id", v.scope_request_id}};
    if (v.score) j["score"] = *v.score;
}
void from_json(const json& j, Inbox& v) {
    get_opt(j, "me", v.me); get_opt(j, "requests", v.requests); get_opt(j, "next_page", v.next_page);
    get_opt(j, "total", v.total); get_opt(j, "total_more", v.total_more); get_opt(j, "search", v.search); get_opt(j, "unread", v.unread);
    get_opt(j, "to_answer", v.to_answer); get_opt(j, "cursor", v.cursor);
    get_opt(j, "scope_request_id", v.scope_request_id);
    auto it = j.find("score");
    if (it != j.end() && !it->is_null()) v.score = it->get<SellerScore>();
    else v.score.reset();
}

void to_json(json& j, const NewMessage& m) {
    j = json{{"body", m.body}};
    if (m.conversation_id) j["conversation_id"] = m.conversation_id;
    if (!m.attachments.empty()) j["attachments"] = m.attachments;
    if (!m.translate_to.empty()) j["translate_to"] = m.translate_to;
    if (!m.from_email.empty()) j["from_email"] = m.from_email;
}
void from_json(const json& j, NewMessage& m) {
    // The body is required and must be a string: a typo'd key must not post an empty reply.
    j.at("body").get_to(m.body);
    get_opt(j, "conversation_id", m.conversation_id);
    get_opt(j, "attachments", m.attachments);
    get_opt(j, "translate_to", m.translate_to);
    get_opt(j, "from_email", m.from_email);
}

void to_json(json& j, const ApiError& e) {
    j = json{{"error", {{"code", e.code}, {"message", e.message}}}};
    if (e.retry_after > 0) j["error"]["retry_after"] = e.retry_after;
}
void from_json(const json& j, ApiError& e) {
    const json& in = j.contains("error") ? j.at("error") : j;
    get_opt(in, "code", e.code); get_opt(in, "message", e.message); get_opt(in, "retry_after", e.retry_after);
}

template <class T> bool parse_json(const std::string& text, T& out, std::string* why) {
    return json_fields::parse(text, out, why);
}
template <class T> std::string dump_json(const T& v) { return json(v).dump(); }

#define INSTANTIATE(T)                                                      \
    template bool parse_json(const std::string&, T&, std::string*);         \
    template std::string dump_json(const T&);
PARLEY_WIRE_TYPES(INSTANTIATE)

std::string error_body(const std::string& code, const std::string& message, int retry_after) {
    return json(ApiError{code, message, retry_after}).dump();
}

}  // namespace parley
