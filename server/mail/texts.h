// The texts of notification e-mails in the nine interface languages: one table keyed
// by string id and language, with {placeholders} filled in by mail_fill().
#pragma once
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/locale.h"

namespace parley::server {

// The languages of the table, in its column order (the interface's, net/locale.h); "en"
// is the fallback.
inline constexpr const auto& kMailLanguages = locale::kLanguages;

// The table's language for a user's language tag: "pt-BR" → "pt", "ZH" → "zh";
// anything unknown (or "") → "en".
std::string mail_language(std::string_view tag);

// The text `id` in `language` (any tag, see mail_language), else in English; "" for
// an unknown id.
std::string mail_text(std::string_view language, std::string_view id);

// Replaces each "{name}" by its value (values are inserted as is: escape them first
// for HTML). Unknown placeholders stay.
std::string mail_fill(std::string text, std::initializer_list<std::pair<std::string_view, std::string>> values);

// Every id of the table, and one cell as written (nullptr when the table has none):
// tests check each language is complete rather than falling back to English.
std::vector<std::string> mail_text_ids();
const char* mail_text_or_null(std::string_view language, std::string_view id);

// mail_text then mail_fill.
std::string mail_t(std::string_view language, std::string_view id,
                   std::initializer_list<std::pair<std::string_view, std::string>> values = {});

}  // namespace parley::server
