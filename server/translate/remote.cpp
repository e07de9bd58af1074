// The remote translation provider. See remote.h.
#include "server/translate/remote.h"

#include <nlohmann/json.hpp>

#include "server/base/http_client.h"
#include "server/translate/protect.h"

namespace parley::server {

std::string remote_code(std::string code) {
    for (char& c : code) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return code.substr(0, code.find_first_of("-_"));
}

RemoteTranslator::RemoteTranslator(RemoteTranslateConfig c) : c_(std::move(c)) {
    while (!c_.url.empty() && c_.url.back() == '/') c_.url.pop_back();
}

void RemoteTranslator::refresh_languages() {
    auto now = std::chrono::steady_clock::now();
    auto age = now - fetched_;
    if (fetched_ok_ ? age < std::chrono::minutes(10) : age < std::chrono::seconds(30)) return;
    fetched_ = now;
    HttpCall call;
    call.url = c_.url + "/languages";
    call.timeout_s = c_.timeout_s;
    HttpAnswer a = http_call(call);
    auto j = nlohmann::json::parse(a.body, nullptr, false);
    if (!a.ok || a.status != 200 || !j.is_array()) {
        fetched_ok_ = false;
        targets_.clear();
        return;
    }
    targets_.clear();
    for (const auto& l : j) {
        if (!l.is_object() || !l.contains("code") || !l["code"].is_string()) continue;
        std::string from = remote_code(l["code"].get<std::string>());
        auto& set = targets_[from];
        if (l.contains("targets") && l["targets"].is_array())
            for (const auto& t : l["targets"])
                if (t.is_string()) set.insert(remote_code(t.get<std::string>()));
    }
    fetched_ok_ = true;
}

bool RemoteTranslator::supports(const std::string& from, const std::string& to) {
    if (c_.url.empty()) return false;
    std::lock_guard lk(mu_);
    refresh_languages();
    auto it = targets_.find(from);
    return it != targets_.end() && it->second.count(to) > 0;
}

std::vector<std::string> RemoteTranslator::translate(const std::string& from, const std::string& to,
                                                     const std::vector<std::string>& texts) {
    std::vector<std::vector<TextPiece>> pieces;
    nlohmann::json q = nlohmann::json::array();
    std::vector<size_t> counts;
    for (const auto& t : texts) {
        pieces.push_back(protect_text(t));
        auto seg = translatable_segments(pieces.back());
        counts.push_back(seg.size());
        for (auto& s : seg) q.push_back(std::move(s));
    }
    std::vector<std::string> out;
    if (q.empty()) {
        for (const auto& p : pieces) out.push_back(join_pieces(p));
        return out;
    }
    nlohmann::json body = {{"q", q}, {"source", from}, {"target", to}, {"format", "text"}};
    if (!c_.api_key.empty()) body["api_key"] = c_.api_key;
    HttpCall call;
    call.method = "POST";
    call.url = c_.url + "/translate";
    call.headers = {"Content-Type: application/json", "Accept: application/json"};
    call.body = body.dump();
    call.timeout_s = c_.timeout_s;
    call.max_answer = 8 * 1024 * 1024;
    HttpAnswer a = http_call(call);
    if (!a.ok) throw TranslateError("translation provider unreachable: " + a.error);
    auto j = nlohmann::json::parse(a.body, nullptr, false);
    std::string why = j.is_object() && j.contains("error") && j["error"].is_string() ? j["error"].get<std::string>()
                                                                                     : "HTTP " + std::to_string(a.status);
    if (a.status == 429) throw TranslateError("translation provider rate limit: " + why, "rate_limited", a.retry_after_s);
    if (a.status == 403) throw TranslateError("translation provider refused the key: " + why, "bad_key");
    if (a.status == 400) throw TranslateError("translation provider refused: " + why, "unsupported");
    if (a.status != 200 || !j.is_object()) throw TranslateError("translation provider failed: " + why);
    auto t = j.find("translatedText");
    if (t == j.end() || !t->is_array() || t->size() != q.size())
        throw TranslateError("translation provider answered " + std::to_string(t != j.end() && t->is_array() ? t->size() : 0) +
                             " texts for " + std::to_string(q.size()));
    size_t next = 0;
    for (size_t i = 0; i < texts.size(); ++i) {
        std::vector<std::string> seg;
        for (size_t k = 0; k < counts[i]; ++k, ++next) {
            const auto& v = (*t)[next];
            if (!v.is_string()) throw TranslateError("translation provider answered a non-text");
            seg.push_back(v.get<std::string>());
        }
        out.push_back(rebuild_from_segments(pieces[i], seg));
    }
    return out;
}

}  // namespace parley::server
