// What a Domain operation answers: its value, or the error the HTTP layer turns into a
// status and a JSON body ({"error": {"code", "message"}}).
#pragma once
#include <optional>
#include <string>
#include <utility>

namespace parley::server {

struct DomainError {
    int status = 500;
    std::string code, message;
};

template <class T>
struct Result {
    std::optional<T> value;
    DomainError error;

    Result(T v) : value(std::move(v)) {}  // NOLINT: implicit success
    Result(DomainError e) : error(std::move(e)) {}  // NOLINT: implicit failure
    explicit operator bool() const { return value.has_value(); }
    T& operator*() { return *value; }
    T* operator->() { return &*value; }
};

}  // namespace parley::server
