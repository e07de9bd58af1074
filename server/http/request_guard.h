// Cross-site requests and framing, without RESTinio types (unit-tested).
//
// A state-changing request that a browser sends for a page of another origin (another
// port or a sibling subdomain: "same-site" is not enough) is refused: browsers say where
// a request comes from in Sec-Fetch-Site, and in Origin on every POST. Requests with
// neither come from programs, not pages, and carry no ambient cookie of a victim.
// JSON endpoints take only Content-Type: application/json, which a page of another site
// cannot send without the browser asking first. Every answer forbids framing and sniffing.
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace parley::server {

// "https://host[:port]" of a URL, lower-cased, without a default port (":443" for https,
// ":80" for http) or a path. "" when it is not an http(s) URL.
std::string origin_of(std::string_view url);

// Whether a browser request comes from this site's own pages: Sec-Fetch-Site, when
// present, decides ("same-origin" or "none"); else Origin, when present, must be the
// public origin or the origin of the Host the request was sent to. Neither: not a page.
bool from_own_page(std::string_view sec_fetch_site, std::string_view origin, std::string_view host,
                   std::string_view public_origin);

// POST, PUT, PATCH, DELETE: what the same-origin rule guards.
bool changes_state(std::string_view method);

// "application/json" with or without parameters (charset), any letter case.
bool is_json_content_type(std::string_view content_type);

// Sent with every answer: no framing, no sniffing, no referrer to other sites.
const std::vector<std::pair<std::string, std::string>>& security_headers();

}  // namespace parley::server
