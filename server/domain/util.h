// Parsing of JSON request bodies into wire types with clear 4xx errors.
#pragma once
#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "server/domain/domain.h"

namespace parley::server {

// Size, syntax, shape and field types, in that order. `field_help` explains the fields
// when a value has the wrong type.
// A parser callback that sets `dup` when a key appears twice in one object. Such bodies
// are refused: parsers disagree on which copy counts (the first, the last), and a check
// made on one copy must hold for the one used.
inline nlohmann::json::parser_callback_t duplicate_key_watch(bool& dup) {
    auto open = std::make_shared<std::vector<std::vector<std::string>>>();  // keys per enclosing object
    return [open, &dup](int, nlohmann::json::parse_event_t e, nlohmann::json& v) {
        using E = nlohmann::json::parse_event_t;
        if (e == E::object_start) {
            open->emplace_back();
        } else if (e == E::object_end) {
            if (!open->empty()) open->pop_back();
        } else if (e == E::key && !open->empty()) {
            auto& keys = open->back();
            const auto& k = v.get_ref<const std::string&>();
            if (std::find(keys.begin(), keys.end(), k) != keys.end()) dup = true;
            else keys.push_back(k);
        }
        return true;
    };
}

template <class T>
Result<T> parse_body(const std::string& json_body, const std::string& field_help) {
    if (json_body.size() > kMaxJsonBody) return DomainError{413, "body_too_large", "The request body is too large."};
    if (json_body.rfind("\xEF\xBB\xBF", 0) == 0)
        return DomainError{400, "malformed_json", "The request body starts with a byte-order mark; send plain UTF-8 JSON."};
    bool dup = false;
    nlohmann::json j = nlohmann::json::parse(json_body, duplicate_key_watch(dup), /*allow_exceptions=*/false);
    if (j.is_discarded()) return DomainError{400, "malformed_json", "The request body is not valid JSON."};
    if (dup) return DomainError{400, "duplicate_key", "A key appears twice in one JSON object."};
    if (!j.is_object()) return DomainError{400, "invalid_field", "The request body must be a JSON object."};
    try {
        return j.get<T>();
    } catch (const std::exception&) {
        return DomainError{400, "invalid_field", field_help};
    }
}

}  // namespace parley::server
