// Domain: the workflow actions on a request (phone, CC, forward, decline, close, rate,
// new request) and the manufacturer's sales network. Each checks the policy, stores,
// records its history event and wakes whoever may see it.
#include <algorithm>

#include "server/base/crypto.h"
#include "server/domain/detail.h"
#include "server/domain/domain.h"
#include "server/domain/util.h"
#include "server/mail/notify.h"
#include "server/base/text.h"
#include "server/domain/workflow.h"

namespace parley::server {
namespace {

constexpr size_t kMaxNameChars = 200;

DomainError bad(const std::string& code, const std::string& message) { return {400, code, message}; }

bool is_network_role(const std::string& role) { return role == kRoleAreaManager || role == kRoleDistributor; }

// The policy on the stored facts (not the cache): for checks that must hold at commit
// time, under the write lock.
bool still_allowed(Store& store, const User& me, int64_t request_id, Action action, int64_t conversation) {
    auto f = store.facts(request_id);
    return f && allowed(access_of(me.id, me.role, *f), *f, action, conversation);
}

}  // namespace

Result<PhoneNumber> Domain::reveal_phone(const User& me, int64_t request_id) {
    int64_t conversation = 0;
    auto v = permit(me, request_id, Action::reveal_phone, conversation);
    if (!v) return v.error;
    auto buyer = store_.user(v->facts.buyer_id);
    if (!buyer) return not_found();
    Hub::Wakeups wake;
    {
        std::lock_guard lk(write_mu_);
        Millis now = now_();
        if (store_.reveal_phone(me.id, request_id, now)) {
            EventRecord e = make_event(request_id, conversation, "phone_revealed", Audience::conversation_sellers,
                                     me.id, now);
            e.event = store_.add_event(e);
            publish({e}, wake);
        }
    }
    wake.deliver();
    return PhoneNumber{buyer->phone};
}

Result<RequestDetail> Domain::add_recipient(const User& me, int64_t request_id, const std::string& json_body,
                                            bool forward) {
    if (!view(me, request_id)) return not_found();
    auto in = parse_body<AddRecipient>(json_body, "\"user_id\" must be an integer; \"email\" and \"note\" strings.");
    if (!in) return in.error;
    int64_t conversation = in->conversation_id;
    auto v = permit(me, request_id, forward ? Action::forward : Action::cc, conversation);
    if (!v) return v.error;
    std::string note(trim(in->note));
    if (note.size() > kMaxNoteChars) return DomainError{413, "note_too_long", "The note is longer than 2000 bytes."};
    std::string email(trim(in->email));
    if ((in->user_id > 0) == !email.empty())
        return bad("missing_recipient", "Give either a colleague (user_id) or an e-mail address.");

    // Resolve the recipient: a member of the manufacturer's organisation, or an address.
    UserRecord target;
    bool new_guest = false;
    if (in->user_id > 0) {
        auto u = store_.user(in->user_id);
        // Only the manufacturer and its current network (what GET /contacts lists).
        auto member = store_.network_member(in->user_id);
        bool current = u && (u->id == v->facts.manufacturer_id ||
                             (member && member->manufacturer_id == v->facts.manufacturer_id));
        if (!current) return bad("unknown_contact", "No such colleague or sales-network member.");
        target = *u;
    } else {
        if (!valid_email(email)) return bad("invalid_email", "\"" + email + "\" is not a valid e-mail address.");
        auto u = store_.user_by_email(email);
        if (u && u->role == kRoleBuyer)
            return bad("cannot_add_buyer", "That address belongs to a buyer; buyers cannot be put in copy.");
        if (u) {
            target = *u;
        } else {
            target.name = email;
            target.email = email;
            target.role = kRoleGuest;
            target.language = me.language;
            target.org_id = v->facts.manufacturer_id;
            new_guest = true;
        }
    }
    if (!new_guest && target.id == me.id) return bad("cannot_add_yourself", "You are already in this conversation.");

    Hub::Wakeups wake;
    int64_t joined = conversation;  // the conversation the recipient can now see
    {
        std::lock_guard lk(write_mu_);
        Millis now = now_();
        if (new_guest) {
            target.id = store_.add_user(target);
            if (on_new_user) on_new_user(target, issue_magic_link(target.id, kDemoLinkTtl, false));
        }
        std::vector<EventRecord> events;
        if (forward && is_network_role(target.role)) {
            // Handing over to the sales network: a conversation of their own, whose
            // messages the forwarder does not see (the manufacturer sees the events).
            int64_t theirs = store_.add_conversation(request_id, target.id, "forwarded", conversation, now).first;
            joined = theirs;
            EventRecord e = make_event(request_id, theirs, "forwarded", Audience::sellers, me.id, now);
            e.event.target_id = target.id;
            e.event.target_name = target.name;
            e.event.text = note;
            events.push_back(e);
        } else {
            bool added = store_.add_participant(conversation, target.id, forward ? "forward" : "cc", me.id, now);
            if (!added && !forward)
                return DomainError{409, "already_in_copy", target.name + " is already in this conversation."};
            EventRecord e = make_event(request_id, conversation, forward ? "forwarded" : "cc_added",
                                     Audience::conversation_sellers, me.id, now);
            e.event.target_id = target.id;
            e.event.target_name = target.name;
            e.event.text = note;
            events.push_back(e);
        }
        for (auto& e : events) e.event = store_.add_event(e);
        publish(events, wake);
    }
    wake.deliver();
    notify(forward ? "forward" : "cc", [&](const MailContext& mc) {
        if (auto f = facts(request_id)) notify_recipient_added(mc, *f, joined, me.id, target.id, note, forward);
    });
    return fresh_detail(me, request_id);
}

Result<RequestDetail> Domain::decline(const User& me, int64_t request_id, const std::string& json_body) {
    if (!view(me, request_id)) return not_found();
    auto in = parse_body<Decline>(json_body, "\"reason\" and \"text\" must be strings.");
    if (!in) return in.error;
    const auto& reasons = kDeclineReasons;
    if (std::find(std::begin(reasons), std::end(reasons), in->reason) == std::end(reasons))
        return bad("invalid_reason",
                   "\"reason\" must be not_my_product, cannot_deliver, quantity_too_small or other.");
    std::string text(trim(in->text));
    if (in->reason == "other" && text.empty()) return bad("reason_text_required", "Say why you decline.");
    if (text.size() > kMaxNoteChars) return DomainError{413, "note_too_long", "The text is longer than 2000 bytes."};
    int64_t conversation = in->conversation_id;
    auto v = permit(me, request_id, Action::decline, conversation);
    if (!v) return v.error;
    Hub::Wakeups wake;
    {
        std::lock_guard lk(write_mu_);
        // Checked again under the write lock: a concurrent decline or close may have won.
        if (!still_allowed(store_, me, request_id, Action::decline, conversation))
            return DomainError{403, "forbidden", "You cannot decline on this request now."};
        // The buyer accepted (or paid) a quote here: that is an order, not a request to decline.
        if (quote_committed(store_.quotes(request_id), conversation))
            return DomainError{409, "quote_accepted",
                               "The buyer accepted a quote in this conversation: close the sale instead of declining."};
        Millis now = now_();
        store_.set_conversation_status(conversation, "declined", in->reason, text, now);
        // The buyer is told which reason, politely; the free text stays on the seller side.
        EventRecord e = make_event(request_id, conversation, "declined", Audience::conversation, me.id, now);
        e.event.text = in->reason;
        e.event = store_.add_event(e);
        publish({e}, wake);
    }
    wake.deliver();
    notify("decline", [&](const MailContext& mc) {
        if (auto f = facts(request_id)) notify_declined(mc, *f, conversation, me.id, in->reason, text);
    });
    return fresh_detail(me, request_id);
}

Result<RequestDetail> Domain::close(const User& me, int64_t request_id, const std::string& json_body) {
    if (!view(me, request_id)) return not_found();
    auto in = parse_body<CloseSale>(json_body, "\"outcome\" must be a string.");
    if (!in) return in.error;
    if (in->outcome != "won" && in->outcome != "lost") return bad("invalid_outcome", "\"outcome\" must be won or lost.");
    int64_t conversation = in->conversation_id;
    auto v = permit(me, request_id, Action::close, conversation);
    if (!v) return v.error;
    Hub::Wakeups wake;
    {
        std::lock_guard lk(write_mu_);
        if (!still_allowed(store_, me, request_id, Action::close, conversation))
            return DomainError{403, "forbidden", "You cannot close on this request now."};
        Millis now = now_();
        store_.set_conversation_status(conversation, in->outcome, "", "", now);
        EventRecord e = make_event(request_id, conversation, in->outcome == "won" ? "sale_closed" : "sale_lost",
                                 Audience::sellers, me.id, now);
        e.event = store_.add_event(e);
        publish({e}, wake);
    }
    wake.deliver();
    return fresh_detail(me, request_id);
}

Result<RequestDetail> Domain::rate(const User& me, int64_t request_id, const std::string& json_body) {
    if (!view(me, request_id)) return not_found();
    auto in = parse_body<NewRating>(json_body, "\"stars\" must be an integer and \"comment\" a string.");
    if (!in) return in.error;
    // JSON numbers convert silently: 4.5 stars must be refused, not rounded.
    if (auto raw = parse_body<nlohmann::json>(json_body, ""); raw && raw->contains("stars") &&
                                                               !raw->at("stars").is_number_integer())
        return bad("invalid_stars", "\"stars\" must be a whole number from 1 to 5.");
    if (in->stars < 1 || in->stars > 5) return bad("invalid_stars", "\"stars\" must be 1 to 5.");
    std::string comment(trim(in->comment));
    if (comment.size() > kMaxNoteChars)
        return DomainError{413, "note_too_long", "The comment is longer than 2000 bytes."};
    int64_t conversation = in->conversation_id;
    auto v = permit(me, request_id, Action::rate, conversation);
    if (!v) return v.error;
    Hub::Wakeups wake;
    {
        std::lock_guard lk(write_mu_);
        Millis now = now_();
        store_.set_rating(conversation, in->stars, comment, now);
        EventRecord e = make_event(request_id, conversation, "rated", Audience::conversation, me.id, now);
        e.event.value = in->stars;
        e.event.text = comment;
        e.event = store_.add_event(e);
        publish({e}, wake);
    }
    wake.deliver();
    return fresh_detail(me, request_id);
}

Result<RequestDetail> Domain::create_request(const User& me, const std::string& json_body) {
    if (me.role != kRoleBuyer) return DomainError{403, "forbidden", "Only buyers send requests."};
    auto in = parse_body<NewRequest>(json_body, "\"manufacturer_id\" must be an integer; \"product\" and "
                                                "\"message\" strings.");
    if (!in) return in.error;
    auto maker = store_.user(in->manufacturer_id);
    if (!maker || maker->role != kRoleManufacturer) return bad("unknown_manufacturer", "No such manufacturer.");
    std::string product(trim(in->product)), message(trim(in->message));
    if (product.empty() || product.size() > kMaxNameChars)
        return bad("invalid_product", "Name the product (up to 200 bytes).");
    if (message.empty()) return bad("empty_message", "The message is empty.");
    if (message.size() > kMaxMessageChars)
        return DomainError{413, "message_too_long", "The message is longer than 20000 bytes."};
    auto buyer = store_.user(me.id);
    if (!buyer) return not_found();
    RequestRecord r{0, me.id, maker->id, product, message, buyer->country, buyer->language, now_()};
    Hub::Wakeups wake;
    {
        std::lock_guard lk(write_mu_);
        auto events = open_request(store_, r, r.created);
        tag_language(tagged_id("r", r.id), r.id, r.message, r.language);  // translation: before anyone reads it
        publish(events, wake);
    }
    wake.deliver();
    notify("new request", [&](const MailContext& mc) {
        if (auto f = facts(r.id)) notify_new_request(mc, *f);
    });
    return fresh_detail(me, r.id);
}

// ---------------------------------------------------------------- sales network

static NetworkMember member_wire(const NetworkRecord& m) { return NetworkMember{m.user.to_wire(), m.zones, m.auto_cc}; }

// Validates and normalises a zone list (upper-case ISO codes, no duplicates).
static std::optional<DomainError> clean_zones(std::vector<std::string>& zones) {
    if (zones.size() > static_cast<size_t>(kMaxZones)) return bad("invalid_zones", "Too many zones.");
    std::vector<std::string> out;
    for (auto z : zones) {
        z = std::string(trim(z));
        if (!normalise_country(z))
            return bad("invalid_zones", "\"" + z + "\" is not a two-letter country code (for example FR).");
        if (std::find(out.begin(), out.end(), z) == out.end()) out.push_back(z);
    }
    zones = std::move(out);
    return std::nullopt;
}

Result<Network> Domain::network(const User& me) {
    if (me.role != kRoleManufacturer) return DomainError{403, "forbidden", "Only a manufacturer has a sales network."};
    Network out;
    for (const auto& m : store_.network(me.id)) out.members.push_back(member_wire(m));
    return out;
}

Result<NetworkMember> Domain::add_member(const User& me, const std::string& json_body) {
    if (me.role != kRoleManufacturer) return DomainError{403, "forbidden", "Only a manufacturer has a sales network."};
    auto in = parse_body<NetworkMemberInput>(json_body, "Fields are strings, \"zones\" a list of country codes, "
                                                        "\"auto_cc\" true or false.");
    if (!in) return in.error;
    UserRecord u;
    u.name = std::string(trim(in->name));
    u.company = std::string(trim(in->company));
    u.email = std::string(trim(in->email));
    u.role = in->role;
    u.country = std::string(trim(in->country));
    u.language = in->language.empty() ? me.language : in->language;
    u.org_id = me.id;
    if (u.name.empty() || u.name.size() > kMaxNameChars) return bad("invalid_name", "Give the member's name.");
    if (u.company.size() > kMaxNameChars) return bad("invalid_company", "The company name is too long.");
    if (!is_network_role(u.role)) return bad("invalid_role", "\"role\" must be area_manager or distributor.");
    if (!valid_email(u.email)) return bad("invalid_email", "\"" + u.email + "\" is not a valid e-mail address.");
    if (!u.country.empty() && !normalise_country(u.country))
        return bad("invalid_country", "\"country\" must be a two-letter country code.");
    if (u.language.size() > 8) return bad("invalid_language", "\"language\" must be a language code.");
    if (auto e = clean_zones(in->zones)) return *e;
    std::lock_guard lk(write_mu_);
    if (store_.user_by_email(u.email))
        return DomainError{409, "email_taken", "Someone with this e-mail address is already registered."};
    u.id = store_.add_user(u);
    store_.set_network_member(u.id, me.id, in->zones, in->auto_cc);
    if (on_new_user) on_new_user(u, issue_magic_link(u.id, kDemoLinkTtl, false));
    return member_wire(NetworkRecord{u, me.id, in->zones, in->auto_cc});
}

Result<NetworkMember> Domain::update_member(const User& me, int64_t member_id, const std::string& json_body) {
    if (me.role != kRoleManufacturer) return DomainError{403, "forbidden", "Only a manufacturer has a sales network."};
    auto m = store_.network_member(member_id);
    if (!m || m->manufacturer_id != me.id) return DomainError{404, "not_found", "No such network member."};
    // A partial update: only the fields present change.
    auto j = parse_body<nlohmann::json>(json_body, "");
    if (!j) return j.error;
    std::vector<std::string> zones = m->zones;
    bool auto_cc = m->auto_cc;
    try {
        if (j->contains("zones")) zones = j->at("zones").get<std::vector<std::string>>();
        if (j->contains("auto_cc")) auto_cc = j->at("auto_cc").get<bool>();
    } catch (const std::exception&) {
        return bad("invalid_field", "\"zones\" must be a list of country codes and \"auto_cc\" true or false.");
    }
    if (auto e = clean_zones(zones)) return *e;
    std::lock_guard lk(write_mu_);
    store_.set_network_member(member_id, me.id, zones, auto_cc);
    return member_wire(NetworkRecord{m->user, me.id, zones, auto_cc});
}

Result<bool> Domain::remove_member(const User& me, int64_t member_id) {
    if (me.role != kRoleManufacturer) return DomainError{403, "forbidden", "Only a manufacturer has a sales network."};
    std::lock_guard lk(write_mu_);
    // Conversations they already own stay theirs (history); no new requests reach them.
    if (!store_.remove_network_member(me.id, member_id))
        return DomainError{404, "not_found", "No such network member."};
    return true;
}

Result<Contacts> Domain::contacts(const User& me) {
    if (!is_seller_role(me.role)) return DomainError{403, "forbidden", "Only the seller side has colleagues."};
    auto self = store_.user(me.id);
    if (!self || self->org_id == 0) return Contacts{};
    Contacts out;
    if (auto maker = store_.user(self->org_id); maker && maker->id != me.id) out.users.push_back(maker->to_wire());
    for (const auto& m : store_.network(self->org_id))
        if (m.user.id != me.id) out.users.push_back(m.user.to_wire());
    return out;
}

}  // namespace parley::server
