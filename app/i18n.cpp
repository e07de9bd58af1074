#include "app/i18n.h"
#include <algorithm>
#include <unordered_map>

namespace parley::i18n {

// Defined in i18n_strings.cpp and, for the e-mail and translation strings,
// i18n_strings_more.cpp, for inbox search and thread pages i18n_strings_pages.cpp, for
// dark mode i18n_strings_theme.cpp:
// for each language, pairs of (English, translation).
struct Entry { const char* en; const char* text; };
using Tables = std::vector<std::pair<const char*, std::vector<Entry>>>;
const Tables& tables();
const Tables& tables_more();
const Tables& tables_pages();
const Tables& tables_theme();
const std::vector<const char*>& english_keys();
const std::vector<const char*>& english_keys_more();
const std::vector<const char*>& english_keys_pages();
const std::vector<const char*>& english_keys_theme();

namespace {
std::string g_lang = "en";
const std::unordered_map<std::string, const char*>* g_table = nullptr;

const std::unordered_map<std::string, const char*>* table_for(const std::string& code) {
    static std::unordered_map<std::string, std::unordered_map<std::string, const char*>> built;
    if (built.empty())
        for (const Tables* t : {&tables(), &tables_more(), &tables_pages(), &tables_theme()})
            for (const auto& [c, entries] : *t) {
                auto& m = built[c];
                for (const Entry& e : entries) m[e.en] = e.text;
            }
    auto it = built.find(code);
    return it == built.end() ? nullptr : &it->second;
}

std::string base_code(std::string code) {
    std::transform(code.begin(), code.end(), code.begin(), [](unsigned char c) { return (char)std::tolower(c); });
    auto cut = code.find_first_of("-_");
    return cut == std::string::npos ? code : code.substr(0, cut);
}
}  // namespace

const std::vector<Language>& languages() {
    static const std::vector<Language> list = {
        {"en", "English"}, {"es", "Español"}, {"fr", "Français"}, {"de", "Deutsch"}, {"it", "Italiano"},
        {"pt", "Português"}, {"ru", "Русский"}, {"zh", "中文"}, {"ja", "日本語"}};
    return list;
}

void set_language(const std::string& code) {
    std::string b = base_code(code);
    bool known = std::any_of(languages().begin(), languages().end(), [&](const Language& l) { return b == l.code; });
    g_lang = known ? b : "en";
    g_table = table_for(g_lang);
}

const std::string& language() { return g_lang; }

std::string pick_language(const std::vector<std::string>& preferred) {
    for (const std::string& p : preferred) {
        std::string b = base_code(p);
        for (const Language& l : languages())
            if (b == l.code) return b;
    }
    return "en";
}

const char* tr(const char* english) {
    if (!g_table) return english;
    auto it = g_table->find(english);
    return it == g_table->end() ? english : it->second;
}

std::string trf(const char* english, std::initializer_list<std::string> args) {
    std::string s = tr(english);
    int i = 0;
    for (const std::string& a : args) {
        std::string key = "{";
        key += std::to_string(i++);
        key += '}';
        for (size_t at = s.find(key); at != std::string::npos; at = s.find(key, at + a.size())) s.replace(at, key.size(), a);
    }
    return s;
}

bool has(const std::string& code, const char* english) {
    auto* t = table_for(code);
    return t && t->count(english);
}

std::vector<std::string> keys() {
    std::vector<std::string> out(english_keys().begin(), english_keys().end());
    out.insert(out.end(), english_keys_more().begin(), english_keys_more().end());
    out.insert(out.end(), english_keys_pages().begin(), english_keys_pages().end());
    out.insert(out.end(), english_keys_theme().begin(), english_keys_theme().end());
    return out;
}

std::vector<std::string> table_keys(const std::string& code) {
    std::vector<std::string> out;
    for (const Tables* t : {&tables(), &tables_more(), &tables_pages(), &tables_theme()})
        for (const auto& [c, entries] : *t)
            if (code == c)
                for (const Entry& e : entries) out.push_back(e.en);
    return out;
}

}  // namespace parley::i18n
