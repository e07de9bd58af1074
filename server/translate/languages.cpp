// Translation routing. See translate.h.
#include "server/translate/languages.h"

#include <algorithm>

namespace parley::server {

const std::vector<std::string>& translation_languages() {
    static const std::vector<std::string> list = {"es", "en", "fr", "de", "it", "pt", "ru", "zh", "ja"};
    return list;
}

bool is_translation_language(std::string_view code) {
    const auto& l = translation_languages();
    return std::find(l.begin(), l.end(), code) != l.end();
}

std::optional<std::vector<TranslateHop>> plan_translation(const std::string& from, const std::string& to,
                                                          const TranslateCapabilities& caps) {
    if (from == to || !is_translation_language(from) || !is_translation_language(to)) return std::nullopt;
    auto direct = [&](const std::string& a, const std::string& b) {
        return std::find(caps.apertium.begin(), caps.apertium.end(), std::pair{a, b}) != caps.apertium.end();
    };
    const bool remote = caps.remote && caps.remote(from, to);
    if (remote && caps.prefer_remote) return std::vector<TranslateHop>{{"remote", from, to}};
    if (direct(from, to)) return std::vector<TranslateHop>{{"apertium", from, to}};
    if (from != "es" && to != "es" && direct(from, "es") && direct("es", to))
        return std::vector<TranslateHop>{{"apertium", from, "es"}, {"apertium", "es", to}};
    if (remote) return std::vector<TranslateHop>{{"remote", from, to}};
    return std::nullopt;
}

std::string route_label(const std::vector<TranslateHop>& route) {
    if (route.empty()) return "";
    if (route.size() == 1) return route[0].engine;
    return route[0].engine + " via " + route[0].to;
}

}  // namespace parley::server
