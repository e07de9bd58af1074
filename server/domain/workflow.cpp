#include "server/domain/workflow.h"

#include <algorithm>

namespace parley::server {

EventRecord make_event(int64_t request_id, int64_t conversation, const char* kind, Audience audience,
                       int64_t actor, Millis now) {
    EventRecord e;
    e.event.request_id = request_id;
    e.event.conversation_id = conversation;
    e.event.kind = kind;
    e.event.actor_id = actor;
    e.event.created = now;
    e.audience = audience;
    return e;
}

std::vector<EventRecord> open_request(Store& store, RequestRecord& r, Millis now) {
    std::vector<EventRecord> events;
    store.transaction([&] {
        r.id = store.add_request(r);
        auto [received, created] = store.add_conversation(r.id, r.manufacturer_id, "received", 0, r.created);
        (void)created;
        events = route_request(store, r, received, now);
    });
    return events;
}

std::vector<EventRecord> route_request(Store& store, const RequestRecord& r, int64_t received, Millis now) {
    std::vector<EventRecord> events;
    auto members = store.network(r.manufacturer_id);
    auto covers = [&](const NetworkRecord& m) {
        return std::find(m.zones.begin(), m.zones.end(), r.country) != m.zones.end();
    };
    const NetworkRecord* target = nullptr;
    for (const char* role : {kRoleDistributor, kRoleAreaManager}) {
        for (const auto& m : members)
            if (m.user.role == role && covers(m)) {
                target = &m;
                break;
            }
        if (target) break;
    }
    if (!target) return events;
    int64_t routed_to = store.add_conversation(r.id, target->user.id, "routed", received, now).first;
    EventRecord routed = make_event(r.id, routed_to, "routed", Audience::sellers, r.manufacturer_id, now);
    routed.event.target_id = target->user.id;
    routed.event.target_name = target->user.name;
    routed.event.text = r.country;
    routed.event = store.add_event(routed);
    events.push_back(routed);
    // The people designated to get a copy of what is sent to the network join the
    // manufacturer's conversation: the manufacturer added them, so they get its rights.
    for (const auto& m : members) {
        if (!m.auto_cc || m.user.id == target->user.id) continue;
        if (!store.add_participant(received, m.user.id, "auto_cc", r.manufacturer_id, now)) continue;
        EventRecord cc = make_event(r.id, received, "cc_added", Audience::conversation_sellers, r.manufacturer_id, now);
        cc.event.target_id = m.user.id;
        cc.event.target_name = m.user.name;
        cc.event.text = "auto";
        cc.event = store.add_event(cc);
        events.push_back(cc);
    }
    return events;
}

bool normalise_country(std::string& code) {
    if (code.size() != 2) return false;
    for (char& c : code) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (c < 'A' || c > 'Z') return false;
    }
    return true;
}

EventRecord quote_event(const Quote& q, const char* kind, int64_t actor, Millis now) {
    EventRecord e = make_event(q.request_id, q.conversation_id, kind, Audience::conversation, actor, now);
    e.event.text = q.number;
    e.event.value = q.version;
    return e;
}

}  // namespace parley::server
