// Workflow steps shared by the API and the demo seeder: opening a request (its
// manufacturer's conversation, then routing to the sales network) and input checks.
#pragma once
#include <string>
#include <vector>

#include "server/store/store.h"

namespace parley::server {

// Stores a new request with the manufacturer's ("received") conversation and routes it;
// returns the events to publish. Sets r.id.
std::vector<EventRecord> open_request(Store& store, RequestRecord& r, Millis now);

// Routing: the distributor whose zones contain the buyer's country (else such an area
// manager) gets a conversation of their own; the manufacturer's auto-CC people are put
// in copy of the manufacturer's conversation. Returns the events (empty: not routed).
std::vector<EventRecord> route_request(Store& store, const RequestRecord& r, int64_t received_conversation,
                                       Millis now);

// A history event to record (id, names and roles are filled in by the store).
EventRecord make_event(int64_t request_id, int64_t conversation, const char* kind, Audience audience,
                       int64_t actor, Millis now);
// A quote's event (quote_sent, quote_opened, quote_accepted, quote_paid, quote_superseded):
// text = the quote number, value = its version; audience: the quote's conversation.
EventRecord quote_event(const Quote& q, const char* kind, int64_t actor, Millis now);

using parley::valid_email;  // net/wire.h: the same check as the client
// "fr" → "FR"; false unless two ASCII letters.
bool normalise_country(std::string& code);

inline const char* const kDeclineReasons[] = {"not_my_product", "cannot_deliver", "quantity_too_small", "other"};

}  // namespace parley::server
