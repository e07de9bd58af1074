// What an operation answers: its value, or a refusal with an HTTP status, an ApiError code
// and an English message, which the HTTP layer turns into the status and a JSON body
// ({"error": {"code", "message"}}). The domain's operations and the payment providers.
#pragma once
#include <optional>
#include <string>
#include <utility>

namespace parley::server {

struct Error {
    int status = 500;
    std::string code, message;
};

template <class T>
struct Result {
    std::optional<T> value;
    Error error;

    Result(T v) : value(std::move(v)) {}        // NOLINT: implicit success
    Result(Error e) : error(std::move(e)) {}    // NOLINT: implicit failure
    explicit operator bool() const { return value.has_value(); }
    T& operator*() { return *value; }
    T* operator->() { return &*value; }
};

}  // namespace parley::server
