// Abuse limits: token buckets, the client's address behind a trusted proxy, what costs.
#include <catch2/catch.hpp>

#include "server/http/rate_limit.h"

using namespace parley::server;

TEST_CASE("rate limit: a burst, then the refill rate; keys apart", "[http][rate]") {
    TokenBuckets b(2, 5);  // 2 per second, burst 5
    for (int i = 0; i < 5; i++) CHECK(b.take("u1", 1000) == 0);
    CHECK(b.take("u1", 1000) == 1);     // empty: half a second to the next token, said as 1 s
    CHECK(b.take("u2", 1000) == 0);     // another user is not touched
    CHECK(b.take("u1", 1500) == 0);     // refilled one token after 0.5 s
    CHECK(b.take("u1", 1500) >= 1);
    CHECK(b.take("u1", 11000) == 0);    // long after: full again, never above the burst
    for (int i = 0; i < 4; i++) CHECK(b.take("u1", 11000) == 0);
    CHECK(b.take("u1", 11000) >= 1);
}

TEST_CASE("rate limit: the wait grows with a slow refill", "[http][rate]") {
    TokenBuckets slow(0.2, 1);  // one every 5 s
    CHECK(slow.take("ip", 0) == 0);
    CHECK(slow.take("ip", 0) == 5);
    CHECK(slow.take("ip", 2000) == 3);
    CHECK(slow.take("ip", 5000) == 0);
}

TEST_CASE("rate limit: many distinct keys stay bounded and still limit", "[http][rate]") {
    TokenBuckets b(1, 2);
    for (int i = 0; i < 300000; i++) b.take(std::string("k").append(std::to_string(i)), 0);  // (GCC 12 -Wrestrict on "k" + string&&)
    CHECK(b.take("k7", 0) == 0);  // one token left for k7
    CHECK(b.take("k7", 0) >= 1);
}

TEST_CASE("rate limit: the client's address behind a trusted proxy only", "[http][rate]") {
    CHECK(client_address("203.0.113.9", "", "") == "203.0.113.9");
    CHECK(client_address("203.0.113.9", "10.0.0.1", "") == "203.0.113.9");  // no proxy trusted: ignored
    CHECK(client_address("127.0.0.1", "198.51.100.7", "127.0.0.1") == "198.51.100.7");
    // A client may write its own X-Forwarded-For; the proxy appends what it saw: the last hop counts.
    CHECK(client_address("127.0.0.1", "1.2.3.4, 198.51.100.7", "127.0.0.1") == "198.51.100.7");
    CHECK(client_address("10.9.9.9", "1.2.3.4", "127.0.0.1") == "10.9.9.9");  // not from the proxy
    CHECK(client_address("127.0.0.1", " , ", "127.0.0.1") == "127.0.0.1");
}

TEST_CASE("rate limit: what a request costs", "[http][rate]") {
    CHECK(request_costs("POST", "/api/v1/requests/3/messages", false) == Costs::change);
    CHECK(request_costs("DELETE", "/api/v1/network/members/4", false) == Costs::change);
    CHECK(request_costs("PUT", "/api/v1/uploads/abc", true) == Costs::nothing);  // upload chunks
    CHECK(request_costs("PUT", "/api/v1/me/settings", false) == Costs::change);
    CHECK(request_costs("GET", "/api/v1/requests/3/translations", false) == Costs::translation);
    CHECK(request_costs("GET", "/api/v1/requests/3", false) == Costs::nothing);
    CHECK(request_costs("GET", "/api/v1/events", false) == Costs::nothing);
}
