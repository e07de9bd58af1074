// Builds what one user sees of a request from the unfiltered RequestData, by asking
// the policy about every conversation, message and event. Pure: unit-tested.
#pragma once
#include "server/policy.h"
#include "server/store.h"

namespace parley::server {

// `phone_revealed`: the user asked to see the buyer's number before.
RequestDetail build_detail(const RequestData& data, const Access& access, bool phone_revealed);

}  // namespace parley::server
