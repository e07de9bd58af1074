#include "server/http/util.h"

namespace parley::server {
namespace {
int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
}  // namespace

std::optional<std::string> percent_decode(std::string_view s, bool plus_as_space) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '%') {
            if (i + 2 >= s.size()) return std::nullopt;
            int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else if (c == '+' && plus_as_space) {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

std::optional<std::string> query_param(std::string_view query, std::string_view name) {
    while (!query.empty()) {
        size_t amp = query.find('&');
        std::string_view part = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        size_t eq = part.find('=');
        std::string_view key = part.substr(0, eq);
        if (key != name) continue;
        std::string_view value = eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1);
        return percent_decode(value, true);
    }
    return std::nullopt;
}

std::optional<int64_t> parse_cursor(std::string_view s) {
    if (s.empty() || s.size() > 18) return std::nullopt;
    int64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

std::optional<int64_t> parse_id(std::string_view s) {
    auto v = parse_cursor(s);
    if (!v || *v <= 0) return std::nullopt;
    return v;
}

std::string_view cookie_value(std::string_view header, std::string_view name) {
    while (!header.empty()) {
        size_t semi = header.find(';');
        std::string_view part = header.substr(0, semi);
        header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
        while (!part.empty() && (part.front() == ' ' || part.front() == '\t')) part.remove_prefix(1);
        while (!part.empty() && (part.back() == ' ' || part.back() == '\t')) part.remove_suffix(1);
        if (part.size() > name.size() && part.substr(0, name.size()) == name && part[name.size()] == '=') {
            std::string_view v = part.substr(name.size() + 1);
            if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
            return v;
        }
    }
    return {};
}

std::string_view content_type_for(std::string_view f) {
    struct Entry { const char* ext; const char* type; };
    static const Entry kTypes[] = {
        {".html", "text/html; charset=utf-8"},   {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"}, {".wasm", "application/wasm"},
        {".css", "text/css; charset=utf-8"},     {".json", "application/json"},
        {".map", "application/json"},            {".ttf", "font/ttf"},
        {".otf", "font/otf"},                    {".woff2", "font/woff2"},
        {".woff", "font/woff"},                  {".png", "image/png"},
        {".svg", "image/svg+xml"},               {".ico", "image/x-icon"},
        {".jpg", "image/jpeg"},                  {".jpeg", "image/jpeg"},
        {".webp", "image/webp"},                 {".txt", "text/plain; charset=utf-8"},
        {".webmanifest", "application/manifest+json"},
    };
    for (const auto& e : kTypes)
        if (ends_with(f, e.ext)) return e.type;
    return "application/octet-stream";
}

bool is_hashed_name(std::string_view f) {
    size_t slash = f.rfind('/');
    if (slash != std::string_view::npos) f = f.substr(slash + 1);
    size_t ext = f.rfind('.');
    if (ext == std::string_view::npos || ext == 0) return false;
    std::string_view stem = f.substr(0, ext);
    size_t dot = stem.rfind('.');
    if (dot == std::string_view::npos || dot == 0) return false;
    std::string_view hash = stem.substr(dot + 1);
    if (hash.size() < 8) return false;
    for (char c : hash)
        if (hex_value(c) < 0) return false;
    return true;
}

bool is_local_path(std::string_view t) {
    if (t.empty() || t[0] != '/') return false;
    if (t.size() > 1 && (t[1] == '/' || t[1] == '\\')) return false;
    for (char c : t) {
        auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7f || c == '\\') return false;
    }
    return t.size() <= 2000;
}

const char* reason_phrase(int s) {
    switch (s) {
        case 200: return "OK";
        case 201: return "Created";
        case 202: return "Accepted";
        case 204: return "No Content";
        case 302: return "Found";
        case 303: return "See Other";
        case 304: return "Not Modified";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 402: return "Payment Required";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 405: return "Method Not Allowed";
        case 409: return "Conflict";
        case 413: return "Payload Too Large";
        case 414: return "URI Too Long";
        case 415: return "Unsupported Media Type";
        case 429: return "Too Many Requests";
        case 431: return "Request Header Fields Too Large";
        case 507: return "Insufficient Storage";
        case 500: return "Internal Server Error";
        case 502: return "Bad Gateway";
        case 503: return "Service Unavailable";
        default: return "Unknown";
    }
}

std::string_view loggable_path(std::string_view path) {
    if (path.rfind("/login/", 0) == 0) return "/login/<token>";
    if (path.rfind("/pay/demo/", 0) == 0) return "/pay/demo/<session>";
    return path.size() > 300 ? path.substr(0, 300) : path;
}

}  // namespace parley::server
