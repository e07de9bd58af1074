// The interface languages: every UI string in the nine languages (app/i18n/), picked from
// the browser's languages, switchable, remembered. Plural rules, numbers, dates and
// country names are shared with the server in net/locale.h.
#pragma once
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace parley::i18n {

struct Language {
    const char* code;    // "es"
    const char* native;  // "Español"
};
const std::vector<Language>& languages();  // the nine, in menu order (net/locale.h's kLanguages)

void set_language(const std::string& code);  // "es-AR" → es; unknown → en
const std::string& language();
// The first of the browser's preferred languages we have ("fr-CA,en" → fr), else en.
std::string pick_language(const std::vector<std::string>& preferred);

// Translation of an English UI string; the English string itself when missing.
const char* tr(const char* english);
// tr() with {0}, {1}… replaced by the arguments.
std::string trf(const char* english, std::initializer_list<std::string> args);
// A counted phrase, keyed on its English forms: trn("{0} message", "{0} messages", n).
// The form follows the language's plural rule for n (ru 21 "сообщение", 22 "сообщения",
// 25 "сообщений"); {0} is n written the language's way ("10,000", "10 000"), {1}… the
// further arguments.
std::string trn(const char* one, const char* other, long long n, std::initializer_list<std::string> args = {});

// Table access for tests.
bool has(const std::string& code, const char* english);  // a translation of `english` in `code`?
// Every English string of the UI, and the keys of one language's table (tests check each
// language covers them all and no table has a key that is not a UI string).
std::vector<std::string> keys();
std::vector<std::string> table_keys(const std::string& code);
// The counted phrases: their English (one, other) forms; one language's forms of a phrase
// (empty when missing); the phrases (English "other" forms) a language's table holds.
std::vector<std::pair<std::string, std::string>> plural_keys();
std::vector<std::string> plural_forms(const std::string& code, const std::string& english_other);
std::vector<std::string> plural_table_keys(const std::string& code);

}  // namespace parley::i18n
