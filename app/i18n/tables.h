// The interface's string tables, behind app/i18n.h: the English keys (keys.cpp) and one
// table per language (strings_<code>.cpp). English is the key; a missing entry falls
// back to English.
#pragma once
#include <vector>

namespace parley::i18n {

struct Entry {
    const char* en;    // the English string, exactly as the code passes it to tr()/trf()
    const char* text;  // its translation
};

// A counted phrase (trn): keyed on its English "other" form, with the language's forms
// in net/locale.h's order (en-like: one, other; ru: one, few, many; zh, ja: one form).
struct PluralEntry {
    const char* en_other;
    std::vector<const char*> forms;
};

struct Strings {
    std::vector<Entry> entries;
    std::vector<PluralEntry> plurals;
};

struct EnglishPlural {
    const char* one;    // "{0} message"
    const char* other;  // "{0} messages"
};

const std::vector<const char*>& english_keys();
const std::vector<EnglishPlural>& english_plurals();

const Strings& strings_es();
const Strings& strings_fr();
const Strings& strings_de();
const Strings& strings_it();
const Strings& strings_pt();
const Strings& strings_ru();
const Strings& strings_zh();
const Strings& strings_ja();

}  // namespace parley::i18n
