// Reply stripping on real mail clients' replies: the compact corpus under
// tests/mail_corpus/replies (one file per class, see its README), run through
// strip_reply_keep, with the pass rate by class printed.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "server/mail/reply_strip.h"

using namespace parley::server;
namespace fs = std::filesystem;

namespace {

struct Case {
    std::string cls, name, body, expected;
};

std::string trim_blank_end(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

// "=== <name>" opens a case, "--- expected" separates the reply from its new text.
std::vector<Case> load_cases(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::vector<Case> out;
    std::string line;
    bool in_expected = false;
    while (std::getline(in, line)) {
        if (line.rfind("=== ", 0) == 0) {
            out.push_back(Case{file.stem().string(), line.substr(4), {}, {}});
            in_expected = false;
        } else if (!out.empty() && line == "--- expected") {
            in_expected = true;
        } else if (!out.empty()) {
            (in_expected ? out.back().expected : out.back().body) += line + "\n";
        }
    }
    for (auto& c : out) {
        c.body = trim_blank_end(c.body);
        c.expected = trim_blank_end(c.expected);
    }
    return out;
}

// Known failures, by "class: case name". Empty: every case passes.
const std::set<std::string> kKnownFailures = {};

}  // namespace

TEST_CASE("reply corpus: real clients' replies give exactly their new text", "[mail][reply-corpus]") {
    fs::path dir = fs::path(PARLEY_SOURCE_DIR) / "tests" / "mail_corpus" / "replies";
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".txt") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    std::vector<Case> cases;
    for (const auto& f : files)
        for (auto& c : load_cases(f)) cases.push_back(std::move(c));
    REQUIRE(cases.size() >= 150);

    std::map<std::string, std::pair<int, int>> by_class;  // passed, total
    int passed = 0;
    for (const auto& c : cases) {
        StrippedReply r = strip_reply_keep(c.body);
        bool want_whole = c.name.find("(whole kept)") != std::string::npos;
        bool ok = r.text == c.expected && r.whole == want_whole;
        auto& [p, t] = by_class[c.cls];
        ++t;
        if (ok) ++p, ++passed;
        std::string key = c.cls + ": " + c.name;
        INFO(key << "\n--- got" << (r.whole ? " (whole)" : "") << "\n" << r.text << "\n--- expected\n" << c.expected);
        if (kKnownFailures.count(key)) CHECK_FALSE(ok);  // fixed: take it off the list
        else CHECK(ok);
    }
    std::ostringstream summary;
    summary << "reply corpus: " << passed << "/" << cases.size() << " pass;";
    for (const auto& [cls, pt] : by_class) summary << " " << cls << " " << pt.first << "/" << pt.second << ";";
    WARN(summary.str());
}
