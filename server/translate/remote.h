// The remote translation provider: a LibreTranslate-compatible HTTP API
// (POST /translate with an array "q", GET /languages). Used for de, ru, zh, ja and, when
// preferred, for better quality. Protected pieces are never sent: each text's
// translatable segments go out and the text is rebuilt around the kept pieces
// (server/translate/protect.h). A whole batch is one call.
#pragma once
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "server/translate/languages.h"

namespace parley::server {

struct RemoteTranslateConfig {
    std::string url;      // base URL, e.g. https://libretranslate.example.com ("" = none)
    std::string api_key;  // sent as "api_key" when not empty
    long timeout_s = 15;
};

class RemoteTranslator {
public:
    explicit RemoteTranslator(RemoteTranslateConfig c);
    // Whether /languages lists the pair (cached for 10 minutes; a failed fetch is retried
    // after 30 s and means "no").
    bool supports(const std::string& from, const std::string& to);
    // One POST /translate for every segment of every text. Throws TranslateError:
    // rate_limited (HTTP 429, with Retry-After), bad_key (403), unsupported (400 on the
    // pair), unavailable (anything else).
    std::vector<std::string> translate(const std::string& from, const std::string& to,
                                       const std::vector<std::string>& texts);
    const std::string& url() const { return c_.url; }

private:
    void refresh_languages();
    RemoteTranslateConfig c_;
    std::mutex mu_;
    std::map<std::string, std::set<std::string>> targets_;  // from → to
    std::chrono::steady_clock::time_point fetched_{};
    bool fetched_ok_ = false;
};

// "zh-Hans" → "zh": the provider's codes in Parley's terms.
std::string remote_code(std::string code);

}  // namespace parley::server
