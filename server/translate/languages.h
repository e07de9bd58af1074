// Translation: the nine languages, the providers' common error, and the pure
// routing of a language pair to providers (tested in tests/unit/test_translate.cpp).
#pragma once
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace parley::server {

// The nine languages of the picker, in its order.
const std::vector<std::string>& translation_languages();
bool is_translation_language(std::string_view code);

// A provider failed. `kind`: "unavailable" (down, bad answer), "rate_limited"
// (retry after `retry_after_s`), "unsupported" (the pair), "bad_key".
struct TranslateError : std::runtime_error {
    explicit TranslateError(const std::string& what, std::string k = "unavailable", long retry = -1)
        : std::runtime_error(what), kind(std::move(k)), retry_after_s(retry) {}
    std::string kind;
    long retry_after_s = -1;
};

// One step of a route: an engine ("apertium" | "remote") from one language to another.
struct TranslateHop {
    std::string engine, from, to;
    bool operator==(const TranslateHop&) const = default;
};

// What the server can do: Apertium's direct pairs and whether the remote provider
// takes a pair.
struct TranslateCapabilities {
    std::vector<std::pair<std::string, std::string>> apertium;  // direct pairs
    std::function<bool(const std::string&, const std::string&)> remote;  // null: no remote provider
    bool prefer_remote = false;  // the remote provider first where it takes the pair
};

// The route of from → to: one remote hop or one Apertium pair where preferred/available;
// else Apertium through Spanish (fr → es → en); else the remote provider; nullopt when
// nothing covers the pair (and for from == to).
std::optional<std::vector<TranslateHop>> plan_translation(const std::string& from, const std::string& to,
                                                          const TranslateCapabilities& caps);

// "apertium", "apertium via es", "remote".
std::string route_label(const std::vector<TranslateHop>& route);

}  // namespace parley::server
