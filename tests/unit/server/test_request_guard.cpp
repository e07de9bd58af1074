// Cross-site requests and framing: the pure rules of server/http/request_guard.h.
#include <catch2/catch.hpp>

#include "server/http/request_guard.h"

using namespace parley::server;

TEST_CASE("request guard: the origin of a URL", "[http][csrf]") {
    CHECK(origin_of("http://127.0.0.1:8080") == "http://127.0.0.1:8080");
    CHECK(origin_of("https://Parley.Example.com/app/x?y") == "https://parley.example.com");
    CHECK(origin_of("https://parley.example.com:443") == "https://parley.example.com");
    CHECK(origin_of("http://parley.example.com:80/") == "http://parley.example.com");
    CHECK(origin_of("https://parley.example.com:8443") == "https://parley.example.com:8443");
    CHECK(origin_of("null").empty());
    CHECK(origin_of("file:///etc/passwd").empty());
    CHECK(origin_of("http://user@evil.example").empty());
}

TEST_CASE("request guard: only the site's own pages may change state with the cookie", "[http][csrf]") {
    const std::string pub = "https://parley.example.com";
    const std::string host = "parley.example.com";
    // The page itself.
    CHECK(from_own_page("same-origin", "https://parley.example.com", host, pub));
    CHECK(from_own_page("", "https://parley.example.com", host, pub));
    CHECK(from_own_page("same-origin", "", host, pub));
    // The browser says same-origin: its own form under a no-referrer policy sends Origin: null.
    CHECK(from_own_page("same-origin", "null", host, pub));
    // Not a page: curl, the mail relay, scripts (no Origin, no Sec-Fetch-Site).
    CHECK(from_own_page("", "", host, pub));
    // A user typing or following a link (a navigation of their own).
    CHECK(from_own_page("none", "", host, pub));
    // Another port or a sibling subdomain is "same-site" to a browser, never the same origin.
    CHECK_FALSE(from_own_page("same-site", "https://blog.example.com", host, pub));
    CHECK_FALSE(from_own_page("same-site", "", host, pub));
    CHECK_FALSE(from_own_page("", "https://parley.example.com:8443", host, pub));
    CHECK_FALSE(from_own_page("", "https://blog.example.com", host, pub));
    CHECK_FALSE(from_own_page("cross-site", "https://evil.example", host, pub));
    CHECK_FALSE(from_own_page("", "null", host, pub));
    CHECK_FALSE(from_own_page("", "http://parley.example.com.evil.example", host, pub));
    // Reached by the address it was sent to, without --public-url set to it.
    CHECK(from_own_page("", "http://127.0.0.1:8080", "127.0.0.1:8080", "http://localhost:8080"));
    CHECK_FALSE(from_own_page("", "http://127.0.0.1:9000", "127.0.0.1:8080", "http://localhost:8080"));
    // Behind a proxy that ends TLS: the browser's https origin, the Host it passed on.
    CHECK(from_own_page("", "https://shop.example.com", "shop.example.com", ""));
}

TEST_CASE("request guard: JSON content types and state-changing methods", "[http][csrf]") {
    CHECK(is_json_content_type("application/json"));
    CHECK(is_json_content_type("Application/JSON; charset=utf-8"));
    CHECK_FALSE(is_json_content_type("text/plain"));
    CHECK_FALSE(is_json_content_type("application/x-www-form-urlencoded"));
    CHECK_FALSE(is_json_content_type("multipart/form-data; boundary=x"));
    CHECK_FALSE(is_json_content_type(""));
    CHECK_FALSE(is_json_content_type("application/jsonp"));
    CHECK(changes_state("POST"));
    CHECK(changes_state("DELETE"));
    CHECK_FALSE(changes_state("GET"));
    CHECK_FALSE(changes_state("HEAD"));
}

TEST_CASE("request guard: every answer forbids framing and sniffing", "[http][csrf]") {
    bool csp = false, nosniff = false, referrer = false;
    for (const auto& [name, value] : security_headers()) {
        csp = csp || (name == "Content-Security-Policy" && value.find("frame-ancestors 'none'") != std::string::npos);
        nosniff = nosniff || (name == "X-Content-Type-Options" && value == "nosniff");
        referrer = referrer || name == "Referrer-Policy";
    }
    CHECK(csp);
    CHECK(nosniff);
    CHECK(referrer);
}
