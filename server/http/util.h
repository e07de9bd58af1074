// HTTP helpers without any server dependency (unit-testable): URL decoding, query and
// cookie parsing, ids, content types, cache policy of file names, redirect targets,
// paths as logged.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace parley::server {

// %XX decoding; '+' → ' ' when plus_as_space (query strings). nullopt on a bad escape.
std::optional<std::string> percent_decode(std::string_view s, bool plus_as_space);

// The decoded value of the first `name=` parameter of a query string.
// nullopt if absent or badly encoded.
std::optional<std::string> query_param(std::string_view query, std::string_view name);

// A positive decimal id of at most 18 digits, nothing else. nullopt otherwise.
std::optional<int64_t> parse_id(std::string_view s);
// A non-negative decimal of at most 18 digits ("0" allowed).
std::optional<int64_t> parse_cursor(std::string_view s);

// The value of cookie `name` in a Cookie header ("" if absent).
std::string_view cookie_value(std::string_view header, std::string_view name);

// Content-Type for a file name, by extension.
std::string_view content_type_for(std::string_view filename);

// True for names like "app.3f9a1c2b.wasm": a dot-separated part of 8+ hex digits
// before the extension. Such files never change and may be cached forever.
bool is_hashed_name(std::string_view filename);

// A redirect target that stays on this site: starts with exactly one '/', printable
// ASCII, no backslash.
bool is_local_path(std::string_view target);

// Request path as logged: magic-link tokens are secrets and never reach the log.
std::string_view loggable_path(std::string_view path);

// Reason phrase of a status code ("Not Found").
const char* reason_phrase(int status);

}  // namespace parley::server
