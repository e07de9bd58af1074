#include "server/domain/detail.h"

namespace parley::server {

bool quote_committed(const std::vector<Quote>& quotes, int64_t conversation_id) {
    for (const Quote& q : quotes)
        if (q.conversation_id == conversation_id && (q.status == kQuoteAccepted || q.status == kQuotePaid)) return true;
    return false;
}

RequestDetail build_detail(const RequestData& data, const Access& a, bool phone_revealed, Millis now) {
    return build_detail(data, data.facts(), a, phone_revealed, now);
}

RequestDetail build_detail(const RequestData& data, const RequestFacts& facts, const Access& a, bool phone_revealed,
                           Millis now) {
    RequestDetail d;
    const RequestRecord& r = data.request;
    d.id = r.id;
    d.buyer = data.buyer.to_wire();
    d.manufacturer_name = data.manufacturer.name;
    d.manufacturer_company = data.manufacturer.company;
    d.product = r.product;
    d.message = r.message;
    d.country = r.country;
    d.language = r.language;
    d.created = r.created;
    d.my_conversation = a.default_conversation;
    if (a.buyer || phone_revealed) d.phone = data.buyer.phone;

    for (const auto& c : data.conversations) {
        if (!a.in(c.id)) continue;
        Conversation w;
        w.id = c.id;
        w.status = c.status;
        for (const auto& p : data.participants) {
            if (p.conversation_id != c.id) continue;
            if (p.user.id == c.seller_id) w.seller = p.user.to_wire();
            // Who else is in copy is the seller side's business.
            if (!a.buyer) w.participants.push_back(Participant{p.user.to_wire(), p.via, p.added_by});
        }
        if (!a.buyer) w.decline_reason = c.decline_text.empty() ? c.decline_reason : c.decline_reason + ": " + c.decline_text;
        for (const auto& g : data.ratings)
            if (g.conversation_id == c.id) w.rating = g.rating;
        // The other side's read mark: for the buyer, the newest of any seller-side reader.
        for (const auto& rd : data.reads) {
            if (rd.conversation_id != c.id || rd.user_id == a.user) continue;
            bool reader_is_buyer = rd.user_id == r.buyer_id;
            if (reader_is_buyer == a.buyer) continue;
            if (rd.last_read_message_id > w.other_read_id) {
                w.other_read_id = rd.last_read_message_id;
                w.other_read_at = rd.read_at;
            }
        }
        d.conversations.push_back(std::move(w));
    }
    for (const auto& m : data.messages) {
        if (!a.in(m.conversation_id)) continue;
        d.messages.push_back(m);
        // How its e-mail notifications went is the author's business only: a
        // colleague in copy or the other side sees the message without them.
        if (m.author_id != a.user) continue;
        for (const auto& r : data.deliveries)
            if (r.message_id == m.id) d.messages.back().deliveries.push_back(r.delivery);
    }
    for (const auto& e : data.events)
        if (may_see(a, facts, e.audience, e.event.conversation_id, e.event.actor_id)) d.events.push_back(e.event);

    // Quotes have their conversation's visibility (every version, newest first).
    for (const auto& q : data.quotes) {
        if (!a.in(q.conversation_id)) continue;
        d.quotes.push_back(q);
        if (now > 0) d.quotes.back().status = effective_status(q, now);
    }

    d.older = data.older;
    d.message_total = data.message_total;

    d.can.reply = allowed(a, facts, Action::reply);
    d.can.quote = d.can.reply && !a.buyer;
    d.can.reveal_phone = allowed(a, facts, Action::reveal_phone) && !phone_revealed;
    d.can.cc = allowed(a, facts, Action::cc);
    d.can.forward = allowed(a, facts, Action::forward);
    d.can.decline = allowed(a, facts, Action::decline) && !quote_committed(data.quotes, a.default_conversation);
    d.can.close = allowed(a, facts, Action::close);
    d.can.rate = false;
    for (const auto& c : d.conversations)
        if (allowed(a, facts, Action::rate, c.id)) d.can.rate = true;
    return d;
}

}  // namespace parley::server
