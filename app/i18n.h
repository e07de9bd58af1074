// The interface's own language: English and Spanish complete, the other seven of
// the nine where strings exist, English otherwise. Picked from the browser's
// languages, switchable, remembered.
#pragma once
#include <initializer_list>
#include <string>
#include <vector>

namespace parley::i18n {

struct Language {
    const char* code;    // "es"
    const char* native;  // "Español"
};
const std::vector<Language>& languages();  // the nine, in menu order

void set_language(const std::string& code);  // "es-AR" → es; unknown → en
const std::string& language();
// The first of the browser's preferred languages we have ("fr-CA,en" → fr), else en.
std::string pick_language(const std::vector<std::string>& preferred);

// Translation of an English UI string; the English string itself when missing.
const char* tr(const char* english);
// tr() with {0}, {1}… replaced by the arguments.
std::string trf(const char* english, std::initializer_list<std::string> args);

// Table access for tests: is there a translation of `english` in `code`?
bool has(const std::string& code, const char* english);
// Every English string of the UI, and the keys of one language's table (tests check
// Spanish covers them all and no table has a key that is not a UI string).
std::vector<std::string> keys();
std::vector<std::string> table_keys(const std::string& code);

}  // namespace parley::i18n
