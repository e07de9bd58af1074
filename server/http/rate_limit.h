// Abuse limits: token buckets per user and per client address. A request over its
// bucket gets 429 with Retry-After (and `retry_after` in the JSON error) before any
// work is done; people working at human speed never meet them.
//
//   per address   every request                 burst 1,000, then 200 / s
//   per address   sign-in links (GET /login/…)  burst 20, then 1 every 5 s
//   per user      state changes (POST/PUT/DELETE, upload chunks aside)
//                                               burst 60, then 2 / s
//   per user      translations                  burst 30, then 1 every 2 s
//   per user      full sign-in links mailed     burst 5, then 1 a minute
//                 (POST /auth/full-link; also a state change)
//
// The address is the connection's peer, or the last X-Forwarded-For hop when the peer
// is the trusted proxy (--trusted-proxy: nginx in front of several instances).
#pragma once
#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace parley::server {

class TokenBuckets {
public:
    TokenBuckets(double per_second, double burst) : rate_(per_second), burst_(burst) {}
    // Takes a token for `key` at `now_ms`: 0 when there was one, else the whole seconds
    // (at least 1) until there is.
    int take(const std::string& key, int64_t now_ms);

private:
    struct Bucket {
        double tokens;
        int64_t last_ms;
    };
    static constexpr size_t kShards = 16;
    struct Shard {
        std::mutex mu;
        std::unordered_map<std::string, Bucket> buckets;
    };
    double rate_, burst_;
    std::array<Shard, kShards> shards_;
};

struct RateLimits {
    bool enabled = true;
    std::string trusted_proxy;  // its address; "" = none
    TokenBuckets per_address{200, 1000};
    TokenBuckets sign_in{0.2, 20};
    TokenBuckets changes{2, 60};
    TokenBuckets translations{0.5, 30};
    TokenBuckets mailed_links{1.0 / 60, 5};
};

// The client's address for the limits: `peer`, or the last X-Forwarded-For hop when
// `peer` is the trusted proxy.
std::string client_address(std::string_view peer, std::string_view forwarded_for, std::string_view trusted_proxy);

// What a request costs, by its method and path (after routing and authentication).
enum class Costs { nothing, change, translation, mailed_link };
Costs request_costs(std::string_view method, std::string_view path, bool bytes_body);

}  // namespace parley::server
