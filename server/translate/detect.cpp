// Source-language detection. See detect.h.
#include "server/translate/detect.h"

#include <cld2/public/compact_lang_det.h>

#include <climits>

#include "server/translate/languages.h"

namespace parley::server {

std::string detect_language(std::string_view text, std::string_view hint) {
    std::string fallback = is_translation_language(hint) ? std::string(hint) : std::string();
    if (text.empty() || text.size() > INT_MAX) return fallback;
    bool reliable = false;
    int valid = 0;
    CLD2::Language lang = CLD2::DetectLanguageCheckUTF8(text.data(), static_cast<int>(text.size()),
                                                        /*is_plain_text=*/true, &reliable, &valid);
    if (!reliable || lang == CLD2::UNKNOWN_LANGUAGE) return fallback;
    std::string code = CLD2::LanguageCode(lang);  // "en", "zh", "zh-Hant", "ja", ...
    code = code.substr(0, code.find('-'));
    return is_translation_language(code) ? code : fallback;
}

}  // namespace parley::server
