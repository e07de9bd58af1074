// Builds what one user sees of a request from the unfiltered RequestData, by asking
// the policy about every conversation, message and event. Pure: unit-tested.
#pragma once
#include "server/domain/policy.h"
#include "server/store/store.h"

namespace parley::server {

// `phone_revealed`: the user asked to see the buyer's number before. `now` decides
// which quotes show as expired (0: none).
// `facts`: the whole request's (a page of its history does not tell who ever replied);
// the overload without takes them from `data`, which must then hold every message.
RequestDetail build_detail(const RequestData& data, const RequestFacts& facts, const Access& access,
                           bool phone_revealed, Millis now = 0);
RequestDetail build_detail(const RequestData& data, const Access& access, bool phone_revealed, Millis now = 0);

// The buyer accepted or paid a quote of this conversation (any version): an order, which
// is closed as a sale, not declined.
bool quote_committed(const std::vector<Quote>& quotes, int64_t conversation_id);

}  // namespace parley::server
