// Parsing of JSON request bodies into wire types with clear 4xx errors.
#pragma once
#include <nlohmann/json.hpp>

#include "server/domain/domain.h"

namespace parley::server {

// Size, syntax, shape and field types, in that order. `field_help` explains the fields
// when a value has the wrong type.
template <class T>
Result<T> parse_body(const std::string& json_body, const std::string& field_help) {
    if (json_body.size() > kMaxJsonBody) return DomainError{413, "body_too_large", "The request body is too large."};
    nlohmann::json j = nlohmann::json::parse(json_body, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return DomainError{400, "malformed_json", "The request body is not valid JSON."};
    if (!j.is_object()) return DomainError{400, "invalid_field", "The request body must be a JSON object."};
    try {
        return j.get<T>();
    } catch (const std::exception&) {
        return DomainError{400, "invalid_field", field_help};
    }
}

}  // namespace parley::server
