// Cross-site requests and framing. See request_guard.h.
#include "server/http/request_guard.h"

#include <cctype>

namespace parley::server {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

}  // namespace

std::string origin_of(std::string_view url) {
    std::string u = lower(trim(url));
    std::string scheme;
    if (u.rfind("https://", 0) == 0) scheme = "https";
    else if (u.rfind("http://", 0) == 0) scheme = "http";
    else return "";
    std::string rest = u.substr(scheme.size() + 3);
    rest = rest.substr(0, rest.find_first_of("/?#"));
    if (rest.empty() || rest.find('@') != std::string::npos) return "";
    const std::string default_port = scheme == "https" ? ":443" : ":80";
    if (rest.size() > default_port.size() && rest.compare(rest.size() - default_port.size(), default_port.size(),
                                                          default_port) == 0 && rest.back() != ']')
        rest.resize(rest.size() - default_port.size());
    return scheme + "://" + rest;
}

bool from_own_page(std::string_view sec_fetch_site, std::string_view origin, std::string_view host,
                   std::string_view public_origin) {
    // The browser's own word (a header pages cannot set) decides when it is there: a
    // page whose referrer policy is no-referrer sends "Origin: null" for its own forms.
    const std::string site = lower(trim(sec_fetch_site));
    if (site == "same-origin" || site == "none") return true;
    if (!site.empty()) return false;
    const std::string_view o = trim(origin);
    if (o.empty()) return true;
    const std::string given = origin_of(o);
    if (given.empty()) return false;  // "null" (sandboxed frames, data: URLs) and the like
    if (!public_origin.empty() && given == origin_of(public_origin)) return true;
    // The host the request was sent to (a proxy passes it on): same host and port,
    // whatever the scheme a TLS-terminating proxy took off.
    const std::string h = lower(trim(host));
    if (h.empty()) return false;
    const std::string bare = given.substr(given.find("://") + 3);
    return bare == h || origin_of("http://" + h) == given || origin_of("https://" + h) == given;
}

bool changes_state(std::string_view m) { return m == "POST" || m == "PUT" || m == "PATCH" || m == "DELETE"; }

bool is_json_content_type(std::string_view content_type) {
    std::string_view t = trim(content_type.substr(0, content_type.find(';')));
    return lower(t) == "application/json";
}

const std::vector<std::pair<std::string, std::string>>& security_headers() {
    static const std::vector<std::pair<std::string, std::string>> h{
        {"Content-Security-Policy", "frame-ancestors 'none'; base-uri 'self'; object-src 'none'"},
        {"X-Frame-Options", "DENY"},
        {"X-Content-Type-Options", "nosniff"},
        {"Referrer-Policy", "same-origin"},
    };
    return h;
}

}  // namespace parley::server
