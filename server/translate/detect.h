// Source-language detection of messages with Google's Compact Language
// Detector 2 (Debian libcld2). Short texts are often unreliable: then the caller's hint
// (the author's language) wins.
#pragma once
#include <string>
#include <string_view>

namespace parley::server {

// One of the nine translation languages, or "" when the text is in none of them (or too
// short to tell and `hint` is not one of them). `hint`: the author's language.
std::string detect_language(std::string_view text, std::string_view hint);

}  // namespace parley::server
