// Private to net/*.cpp: the conventions every wire type follows, so that wire.cpp and
// quote.cpp generate their JSON the same way. Missing or null keys read as defaults
// (older/newer peers interoperate); wrong types throw, and parse_json reports them.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace parley::json_fields {

template <class T> void get_opt(const nlohmann::json& j, const char* key, T& out) {
    auto it = j.find(key);
    if (it != j.end() && !it->is_null()) it->get_to(out);
}

template <class T> bool parse(const std::string& text, T& out, std::string* why) {
    nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) { if (why) *why = "malformed JSON"; return false; }
    if (!j.is_object()) { if (why) *why = "expected a JSON object"; return false; }
    try {
        out = j.get<T>();
    } catch (const std::exception& ex) {
        if (why) *why = ex.what();
        return false;
    }
    return true;
}

}  // namespace parley::json_fields

// Each type lists its fields once; to_json and from_json are generated from the list.
#define PARLEY_JSON_PUT(f) j[#f] = v.f;
#define PARLEY_JSON_GET(f) ::parley::json_fields::get_opt(j, #f, v.f);
#define PARLEY_JSON_FIELDS(T, FIELDS)                                                 \
    void to_json(nlohmann::json& j, const T& v) { j = nlohmann::json::object(); FIELDS(PARLEY_JSON_PUT) } \
    void from_json(const nlohmann::json& j, T& v) { FIELDS(PARLEY_JSON_GET) }
