#include "app/i18n.h"
#include <algorithm>
#include <unordered_map>
#include "app/i18n/tables.h"
#include "net/locale.h"

namespace parley::i18n {

namespace {
struct Built {
    std::unordered_map<std::string, const char*> text;                   // English → translation
    std::unordered_map<std::string, const std::vector<const char*>*> plural;  // English other → forms
};

const std::vector<std::pair<const char*, const Strings*>>& all_tables() {
    static const std::vector<std::pair<const char*, const Strings*>> t = {
        {"es", &strings_es()}, {"fr", &strings_fr()}, {"de", &strings_de()}, {"it", &strings_it()},
        {"pt", &strings_pt()}, {"ru", &strings_ru()}, {"zh", &strings_zh()}, {"ja", &strings_ja()}};
    return t;
}

const Strings* strings_for(const std::string& code) {
    for (const auto& [c, s] : all_tables())
        if (code == c) return s;
    return nullptr;
}

const Built* table_for(const std::string& code) {
    static std::unordered_map<std::string, Built> built;
    if (built.empty())
        for (const auto& [c, s] : all_tables()) {
            Built& b = built[c];
            for (const Entry& e : s->entries) b.text[e.en] = e.text;
            for (const PluralEntry& p : s->plurals) b.plural[p.en_other] = &p.forms;
        }
    auto it = built.find(code);
    return it == built.end() ? nullptr : &it->second;
}

std::string g_lang = "en";
const Built* g_table = nullptr;

std::string base_code(std::string code) {
    std::transform(code.begin(), code.end(), code.begin(), [](unsigned char c) { return (char)std::tolower(c); });
    auto cut = code.find_first_of("-_");
    return cut == std::string::npos ? code : code.substr(0, cut);
}

// {0}, {1}… of `s` replaced by args, in order.
std::string fill(std::string s, std::initializer_list<std::string> args, int first = 0) {
    int i = first;
    for (const std::string& a : args) {
        std::string key = "{";  // appended, not "{" + string&&: GCC 12 warns (-Wrestrict) on that
        key += std::to_string(i++);
        key += '}';
        for (size_t at = s.find(key); at != std::string::npos; at = s.find(key, at + a.size())) s.replace(at, key.size(), a);
    }
    return s;
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
    auto it = g_table->text.find(english);
    return it == g_table->text.end() ? english : it->second;
}

std::string trf(const char* english, std::initializer_list<std::string> args) { return fill(tr(english), args); }

std::string trn(const char* one, const char* other, long long n, std::initializer_list<std::string> args) {
    const char* form = locale::plural_form("en", n) == 0 ? one : other;
    if (g_table) {
        auto it = g_table->plural.find(other);
        if (it != g_table->plural.end()) {
            const auto& forms = *it->second;
            const size_t i = static_cast<size_t>(locale::plural_form(g_lang, n));
            form = forms[std::min(i, forms.size() - 1)];
        }
    }
    return fill(fill(form, {locale::format_count(n, g_lang)}), args, 1);
}

bool has(const std::string& code, const char* english) {
    auto* t = table_for(code);
    return t && t->text.count(english);
}

std::vector<std::string> keys() {
    return {english_keys().begin(), english_keys().end()};
}

std::vector<std::string> table_keys(const std::string& code) {
    std::vector<std::string> out;
    if (const Strings* s = strings_for(code))
        for (const Entry& e : s->entries) out.push_back(e.en);
    return out;
}

std::vector<std::pair<std::string, std::string>> plural_keys() {
    std::vector<std::pair<std::string, std::string>> out;
    for (const EnglishPlural& p : english_plurals()) out.push_back({p.one, p.other});
    return out;
}

std::vector<std::string> plural_forms(const std::string& code, const std::string& english_other) {
    if (code == "en")
        for (const EnglishPlural& p : english_plurals())
            if (english_other == p.other) return {p.one, p.other};
    auto* t = table_for(code);
    if (!t) return {};
    auto it = t->plural.find(english_other);
    return it == t->plural.end() ? std::vector<std::string>{}
                                 : std::vector<std::string>(it->second->begin(), it->second->end());
}

std::vector<std::string> plural_table_keys(const std::string& code) {
    std::vector<std::string> out;
    if (const Strings* s = strings_for(code))
        for (const PluralEntry& p : s->plurals) out.push_back(p.en_other);
    return out;
}

}  // namespace parley::i18n
