// Volume data: a real seller's years of requests on top of the demo — many buyers in the
// nine languages, requests routed through the sales network, messages with documents,
// quotes (sent, opened, accepted), read marks and distributors' conversations, and one very long negotiation. Used by
// `parley-server load-demo`, the volume benchmark and the long-thread browser tests.
#pragma once
#include <string>

#include "server/store/store.h"

namespace parley::server {

struct VolumeSpec {
    int requests = 100000;     // new requests (besides the demo's)
    long messages = 1000000;   // messages spread over them
    int long_thread = 10000;   // messages of the one long negotiation (0: none)
    unsigned seed = 1;         // the same spec and seed give the same data
    std::string files_dir;     // where the documents' content goes ("" = not written)
};

struct VolumeReport {
    int requests = 0;
    long messages = 0;
    int quotes = 0;                 // structured quotes (sent; some opened, some accepted)
    int64_t long_request = 0;       // the long negotiation's request
    int64_t long_oldest_message = 0;
    // A word only in the long negotiation's oldest message (to search for it).
    static constexpr const char* kOldestWord = "Wälzlagerprüfstand";
    static constexpr const char* kLongProduct = "Hydraulikaggregate HA-90 (Rahmenvertrag 2024-2026)";
};

// Adds the volume to a store that holds the demo (seed_demo first); writes in batches
// of a few thousand rows per transaction. Prints progress through `progress` (may be
// empty).
VolumeReport seed_volume(Store& store, const VolumeSpec& spec, Millis now,
                         const std::function<void(const std::string&)>& progress = {});

}  // namespace parley::server
