// What both store implementations must compute alike, in one place: the seller score's
// windows, how far a search reads, how a network member's zones are kept in a column.
#pragma once
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "net/wire.h"

namespace parley::server::store_rules {

constexpr Millis kDay = 24LL * 3600 * 1000;
constexpr Millis kScoreWindow = 90 * kDay;  // requests counted in a seller's score
constexpr Millis kAnswerWithin = 5 * kDay;  // a first answer within this counts as answered

// How far a search reads: the newest matches first, until kSearchPool requests are found
// or kSearchScan matches were read in each stream (messages, requests).
constexpr int kSearchPool = 200;
constexpr int kSearchScan = 20000;

// A member's zones as stored: "ES,PT".
inline std::string join_zones(const std::vector<std::string>& zones) {
    std::string out;
    for (const auto& z : zones) {
        if (!out.empty()) out += ',';
        out += z;
    }
    return out;
}

inline std::vector<std::string> split_zones(const std::string& s) {
    std::vector<std::string> out;
    std::stringstream in(s);
    std::string z;
    while (std::getline(in, z, ','))
        if (!z.empty()) out.push_back(z);
    return out;
}

}  // namespace parley::server::store_rules
