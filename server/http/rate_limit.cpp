// Abuse limits. See rate_limit.h.
#include "server/http/rate_limit.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace parley::server {

int TokenBuckets::take(const std::string& key, int64_t now_ms) {
    Shard& sh = shards_[std::hash<std::string>{}(key) % kShards];
    std::lock_guard lk(sh.mu);
    if (sh.buckets.size() > 100000) {
        // Full buckets carry no information: forget them (bounded memory under a flood
        // of distinct keys; a refilled bucket starts full anyway).
        for (auto it = sh.buckets.begin(); it != sh.buckets.end();) {
            double t = it->second.tokens + (now_ms - it->second.last_ms) / 1000.0 * rate_;
            it = t >= burst_ ? sh.buckets.erase(it) : std::next(it);
        }
    }
    auto [it, fresh] = sh.buckets.try_emplace(key, Bucket{burst_, now_ms});
    Bucket& b = it->second;
    if (!fresh) {
        b.tokens = std::min(burst_, b.tokens + std::max<int64_t>(0, now_ms - b.last_ms) / 1000.0 * rate_);
        b.last_ms = now_ms;
    }
    if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
    }
    return std::max(1, static_cast<int>(std::ceil((1 - b.tokens) / rate_)));
}

std::string client_address(std::string_view peer, std::string_view forwarded_for, std::string_view trusted_proxy) {
    if (trusted_proxy.empty() || peer != trusted_proxy || forwarded_for.empty()) return std::string(peer);
    // The proxy appends the address it saw last: that hop is the one it vouches for.
    size_t comma = forwarded_for.rfind(',');
    std::string_view last = comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1);
    while (!last.empty() && last.front() == ' ') last.remove_prefix(1);
    while (!last.empty() && last.back() == ' ') last.remove_suffix(1);
    return last.empty() ? std::string(peer) : std::string(last);
}

Costs request_costs(std::string_view method, std::string_view path, bool bytes_body) {
    if (method == "GET" && path.rfind("/api/v1/requests/", 0) == 0 && path.size() > 13 &&
        path.substr(path.size() - 13) == "/translations")
        return Costs::translation;
    if (method == "POST" && path == "/api/v1/auth/full-link") return Costs::mailed_link;
    if (method == "POST" || method == "PUT" || method == "DELETE" || method == "PATCH")
        return method == "PUT" && bytes_body ? Costs::nothing : Costs::change;  // upload chunks
    return Costs::nothing;
}

}  // namespace parley::server
