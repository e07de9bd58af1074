// The codebase's layout rules, read from the source tree: what each server room may
// include (and which room alone talks to SQLite, RESTinio, GMime...), that every room
// says so in its README.md, that the client never includes the server or the platform
// layer, and that no file points a reader to an issue tracker they do not have.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

const fs::path kRoot = PARLEY_SOURCE_DIR;

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Our files under `dir` (relative to the root) with one of the extensions.
std::vector<std::string> files_under(const std::string& dir, const std::set<std::string>& exts) {
    std::vector<std::string> out;
    if (!fs::exists(kRoot / dir)) return out;
    for (auto it = fs::recursive_directory_iterator(kRoot / dir); it != fs::recursive_directory_iterator(); ++it) {
        std::string name = it->path().filename().string();
        if (it->is_directory() && (name == "node_modules" || name == "artifacts" || name == "results" ||
                                   name.rfind("build", 0) == 0 || name == "third_party" || name == ".git")) {
            it.disable_recursion_pending();
            continue;
        }
        if (it->is_regular_file() && (exts.count(it->path().extension().string()) || exts.count(name)))
            out.push_back(fs::relative(it->path(), kRoot).generic_string());
    }
    return out;
}

// `#include "..."` and `#include <...>` targets of a source file.
std::vector<std::string> includes_of(const std::string& rel) {
    static const std::regex inc(R"(^\s*#\s*include\s*[<"]([^>"]+)[>"])");
    std::vector<std::string> out;
    std::istringstream lines(slurp(kRoot / rel));
    std::string line;
    std::smatch m;
    while (std::getline(lines, line))
        if (std::regex_search(line, m, inc)) out.push_back(m[1]);
    return out;
}

bool starts_with(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

// The server's rooms and which server headers each may include (prefixes of
// "server/..."). main.cpp wires everything and may include anything.
const std::map<std::string, std::vector<std::string>> kRoomIncludes = {
    {"base", {"server/base/"}},
    {"store", {"server/base/", "server/store/", "server/domain/policy.h", "server/payments/providers.h"}},
    {"domain",
     {"server/base/", "server/store/store.h", "server/store/outbox_store.h", "server/store/mail_in_store.h",
      "server/store/change_feed.h", "server/store/crm_store.h", "server/domain/", "server/mail/", "server/translate/",
      "server/payments/", "server/documents/", "server/crm/"}},
    {"mail", {"server/base/", "server/store/store.h", "server/store/outbox_store.h", "server/domain/", "server/mail/"}},
    {"translate", {"server/base/", "server/translate/"}},
    {"payments", {"server/base/", "server/payments/"}},
    {"documents", {"server/base/", "server/documents/"}},
    {"crm", {"server/base/", "server/crm/"}},
    {"http", {"server/base/", "server/domain/", "server/documents/", "server/mail/", "server/payments/",
              "server/translate/", "server/http/"}},
};

// Libraries that belong to one place only: {header prefix, the paths allowed to include it}.
const std::vector<std::pair<std::string, std::vector<std::string>>> kOwnedHeaders = {
    {"sqlite3.h", {"server/store/sqlite/"}},
    {"libpq-fe.h", {"server/store/pg/"}},
    {"restinio/", {"server/http/server.cpp", "server/http/server_exchange.h"}},
    {"gmime/", {"server/mail/parse.cpp"}},
    {"hpdf.h", {"server/documents/"}},
    {"poppler-", {"server/documents/"}},
    {"cld2/", {"server/translate/"}},
    {"curl/", {"server/base/http_client.cpp", "server/mail/smtp.cpp"}},
    {"emscripten", {"web/", "net/api_web.cpp"}},
};

}  // namespace

TEST_CASE("layout: every server room includes only what its README allows", "[layout]") {
    auto sources = files_under("server", {".h", ".cpp"});
    REQUIRE(sources.size() > 50);
    int checked = 0;
    for (const auto& rel : sources) {
        if (rel == "server/main.cpp" || rel == "server/options.cpp" || rel == "server/options.h") continue;
        std::string room = rel.substr(7, rel.find('/', 7) - 7);
        INFO(rel << " is in no known room (add it to the rules and the README)");
        REQUIRE(kRoomIncludes.count(room) == 1);
        for (const auto& inc : includes_of(rel)) {
            if (!starts_with(inc, "server/")) continue;
            bool ok = false;
            for (const auto& allowed : kRoomIncludes.at(room)) ok = ok || starts_with(inc, allowed);
            INFO(rel << " includes " << inc << ": not allowed for server/" << room << "/");
            CHECK(ok);
            ++checked;
        }
    }
    CHECK(checked > 100);
}

TEST_CASE("layout: SQLite, RESTinio, GMime, libharu, poppler, CLD2, curl, emscripten each stay in their place",
          "[layout]") {
    std::vector<std::string> sources;
    for (const char* dir : {"server", "app", "net", "web", "tests/unit"})
        for (auto& f : files_under(dir, {".h", ".cpp"})) sources.push_back(f);
    for (const auto& rel : sources) {
        if (starts_with(rel, "tests/")) continue;  // tests may look behind any seam
        for (const auto& inc : includes_of(rel))
            for (const auto& [lib, places] : kOwnedHeaders) {
                if (!starts_with(inc, lib)) continue;
                bool ok = false;
                for (const auto& p : places) ok = ok || starts_with(rel, p);
                INFO(rel << " includes <" << inc << ">, which only " << places.front() << " may use");
                CHECK(ok);
            }
    }
}

TEST_CASE("layout: the client compiles without the server and the platform layer", "[layout]") {
    for (const char* dir : {"app", "net"})
        for (const auto& rel : files_under(dir, {".h", ".cpp"}))
            for (const auto& inc : includes_of(rel)) {
                INFO(rel << " includes " << inc);
                CHECK_FALSE(starts_with(inc, "server/"));
                CHECK_FALSE(starts_with(inc, "web/"));
                if (starts_with(rel, "net/")) CHECK_FALSE(starts_with(inc, "app/"));
            }
}

TEST_CASE("layout: each server room has a README saying what lives there and what it may include", "[layout]") {
    for (const auto& [room, allowed] : kRoomIncludes) {
        fs::path readme = kRoot / "server" / room / "README.md";
        INFO(readme.string());
        REQUIRE(fs::exists(readme));
        std::string text = slurp(readme);
        CHECK(text.find("May include") != std::string::npos);
        // Every file of the room is named in its README.
        for (const auto& rel : files_under("server/" + room, {".h", ".cpp"})) {
            std::string name = fs::path(rel).filename().string();
            std::string stem = fs::path(rel).stem().string();
            std::string sub = rel.substr(8 + room.size());  // "sqlite/db.h" for a subfolder
            INFO(rel << " is not mentioned in server/" << room << "/README.md");
            CHECK((text.find(name) != std::string::npos || text.find(sub) != std::string::npos ||
                   text.find(stem + ".{h,cpp}") != std::string::npos ||
                   text.find(fs::path(sub).replace_extension().string() + ".{h,cpp}") != std::string::npos));
        }
    }
}

TEST_CASE("layout: no issue numbers in code, tests or docs", "[layout]") {
    // A reader of the code has no tracker: comments and docs name the capability.
    const std::regex issue_ref(std::string("\\b[Ii]ss") + "ues?\\s*#?[0-9]+");
    std::vector<std::string> files;
    for (const char* dir : {"server", "app", "net", "web", "tests", "bench", "scripts", "docs", "assets", ".ci"})
        for (auto& f : files_under(dir, {".h", ".cpp", ".md", ".mjs", ".js", ".sh", ".py", ".txt", ".html", ".json",
                                         ".cmake", "run"}))
            files.push_back(f);
    for (const char* top : {"README.md", "CMakeLists.txt", "shell.html"}) files.push_back(top);
    REQUIRE(files.size() > 100);
    for (const auto& rel : files) {
        std::string text = slurp(kRoot / rel);
        std::smatch m;
        INFO(rel);
        if (std::regex_search(text, m, issue_ref)) {
            size_t line = 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + m.position(0), '\n'));
            FAIL_CHECK(rel << ":" << line << " says \"" << m.str(0) << "\"");
        }
    }
}

TEST_CASE("layout: the README's layout table names every folder and every server room", "[layout]") {
    std::string readme = slurp(kRoot / "README.md");
    size_t start = readme.find("\n## Layout");
    REQUIRE(start != std::string::npos);
    std::string layout = readme.substr(start, readme.find("\n## ", start + 5) - start);
    for (const auto& e : fs::directory_iterator(kRoot)) {
        std::string name = e.path().filename().string();
        if (!e.is_directory() || (name[0] == '.' && name != ".ci")) continue;
        if (name.rfind("build", 0) == 0 || name == "third_party" || name == "data" || name == "node_modules") continue;
        INFO("README.md's layout table does not name " << name << "/");
        CHECK(layout.find("`" + name + "/") != std::string::npos);  // `tests/unit/` names tests/
    }
    for (const auto& [room, allowed] : kRoomIncludes) {
        INFO("README.md's layout table does not name server/" << room << "/");
        CHECK(layout.find("`server/" + room + "/`") != std::string::npos);
    }
}
