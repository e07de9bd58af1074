// Demo data: one Spanish manufacturer and ~20 buyers' requests in six languages.
#pragma once
#include "server/store/store.h"

namespace parley::server {

// Fills an empty store (no users) with demo data dated relative to `now`.
// Returns false, doing nothing, if the store already has users.
bool seed_demo(Store& store, Millis now);

// Product of the demo request that has a 50-message thread (for the benchmark).
inline constexpr const char* kDemoLongThreadProduct = "Zahnradpumpen ZP-40 (Rahmenvertrag 2025)";

}  // namespace parley::server
