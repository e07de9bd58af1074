// The route table (server/http/routes.h): path patterns, 404/405 with Allow, and
// docs/API.md checked against the table — its endpoint list is the table, and every
// "METHOD /path" it mentions elsewhere exists.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <tuple>

#include "server/http/routes.h"

using namespace parley::server;

namespace {

std::string read_doc() {
    std::ifstream in(std::string(PARLEY_SOURCE_DIR) + "/docs/API.md");
    REQUIRE(in.good());
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

using Row = std::tuple<std::string, std::string, std::string>;  // method, pattern, who

// The rows of the "## Endpoints" table: | GET | `/api/v1/me` | signed in |
std::set<Row> documented_rows(const std::string& doc, int* duplicates) {
    size_t start = doc.find("\n## Endpoints");
    REQUIRE(start != std::string::npos);
    size_t end = doc.find("\n## ", start + 5);
    std::istringstream lines(doc.substr(start, end - start));
    static const std::regex row(R"(^\| (GET|POST|PUT|DELETE) \| `([^`]+)` \| ([a-z ]+) \|\s*$)");
    std::set<Row> out;
    std::string line;
    std::smatch m;
    while (std::getline(lines, line))
        if (std::regex_match(line, m, row) && !out.emplace(m[1], m[2], m[3]).second) ++*duplicates;
    return out;
}

}  // namespace

TEST_CASE("routes: patterns match whole segments", "[routes]") {
    std::string_view id, arg;
    CHECK(match_pattern("/api/v1/requests/{id}/messages", "/api/v1/requests/12/messages", id, arg));
    CHECK(id == "12");
    CHECK(match_pattern("/api/v1/uploads/{token}", "/api/v1/uploads/abc-DEF_1", id, arg));
    CHECK(arg == "abc-DEF_1");
    CHECK(match_pattern("/api/v1/attachments/{id}/pages/{page}", "/api/v1/attachments/7/pages/3", id, arg));
    CHECK((id == "7" && arg == "3"));
    for (const char* path : {"/api/v1/requests/", "/api/v1/requests//messages", "/api/v1/requests/1/messages/",
                             "/api/v1/requests/1/messages/2", "/api/v1/request/1/messages", "api/v1/requests/1"})
        CHECK_FALSE(match_pattern("/api/v1/requests/{id}/messages", path, id, arg));
    CHECK(match_pattern("/api/v1/me", "/api/v1/me", id, arg));
    CHECK_FALSE(match_pattern("/api/v1/me", "/api/v1/me/", id, arg));
    CHECK_FALSE(match_pattern("/api/v1/me", "/api/v1/mex", id, arg));
}

TEST_CASE("routes: the method picks the row; other methods get a 405 listing the table's", "[routes]") {
    HttpOptions o;
    auto m = match_route("/api/v1/requests", "POST", o);
    REQUIRE(m.route);
    CHECK(m.route->handler == post_request);
    CHECK(match_route("/api/v1/requests", "GET", o).route->handler == get_inbox);

    auto wrong = match_route("/api/v1/requests", "DELETE", o);
    CHECK_FALSE(wrong.route);
    CHECK(wrong.allow == "GET, POST");
    CHECK(match_route("/api/v1/uploads/t0k3n", "POST", o).allow == "GET, PUT, DELETE");
    CHECK(match_route("/api/v1/network/members/4", "GET", o).allow == "POST, DELETE");
    CHECK(match_route("/api/v1/me/settings", "POST", o).allow == "GET, PUT");

    auto none = match_route("/api/v1/nope", "GET", o);
    CHECK_FALSE(none.route);
    CHECK(none.allow.empty());

    // Pages answer their refusals as pages, also under their prefix.
    CHECK(match_route("/pay/demo/s1", "PUT", o).format == Format::html);
    CHECK(match_route("/pay/demo/", "GET", o).format == Format::html);
    CHECK(match_route("/api/v1/quotes/1", "PUT", o).format == Format::json);

    // A quote's 404 says "quote".
    CHECK(std::string(match_route("/api/v1/quotes/x", "GET", o).route->missing) == "No such quote.");
}

TEST_CASE("routes: mail inbound exists only with an inbound secret", "[routes]") {
    HttpOptions o;
    auto off = match_route("/api/v1/mail/inbound", "POST", o);
    CHECK_FALSE(off.route);
    CHECK(off.allow.empty());  // 404, not 405: the endpoint is hidden
    o.inbound_secret = "s3cret";
    CHECK(match_route("/api/v1/mail/inbound", "POST", o).route);
    CHECK(match_route("/api/v1/mail/inbound", "GET", o).allow == "POST");
}

TEST_CASE("routes: every row is reachable and its pattern well formed", "[routes]") {
    HttpOptions o;
    o.inbound_secret = "x";
    std::set<std::pair<std::string, std::string>> seen;
    for (const Route& r : route_table()) {
        INFO(r.method << " " << r.pattern);
        CHECK(seen.emplace(r.method, r.pattern).second);  // no duplicate row
        REQUIRE(r.handler);
        std::string pattern = r.pattern;
        CHECK(pattern.front() == '/');
        CHECK(pattern.back() != '/');
        // A concrete path for the pattern finds this very row.
        std::string path = std::regex_replace(pattern, std::regex(R"(\{id\})"), "42");
        path = std::regex_replace(path, std::regex(R"(\{[a-z_]+\})"), "word");
        CHECK(match_route(path, r.method, o).route == &r);
    }
}

TEST_CASE("routes: docs/API.md lists exactly the table, and names no endpoint it lacks", "[routes]") {
    const std::string doc = read_doc();
    int duplicates = 0;
    std::set<Row> documented = documented_rows(doc, &duplicates);
    CHECK(duplicates == 0);
    std::set<Row> table;
    for (const Route& r : route_table()) table.emplace(r.method, r.pattern, who_name(r.who));
    for (const Row& r : table) {
        INFO("in the route table, missing from docs/API.md: " << std::get<0>(r) << " " << std::get<1>(r) << " ("
                                                              << std::get<2>(r) << ")");
        CHECK(documented.count(r) == 1);
    }
    for (const Row& r : documented) {
        INFO("in docs/API.md, not in the route table: " << std::get<0>(r) << " " << std::get<1>(r) << " ("
                                                        << std::get<2>(r) << ")");
        CHECK(table.count(r) == 1);
    }

    // Mentions such as `GET /requests/{id}` or `POST /quotes/{id}/pdf[?download=1]` (API
    // paths are written without /api/v1): each names an existing endpoint.
    HttpOptions o;
    o.inbound_secret = "x";
    static const std::regex mention(R"(`(GET|POST|PUT|DELETE|PATCH) (/[^`\s\[?…]*))");
    int checked = 0;
    for (std::sregex_iterator it(doc.begin(), doc.end(), mention), end; it != end; ++it) {
        std::string method = (*it)[1], path = (*it)[2];
        INFO("docs/API.md names " << method << " " << path);
        bool found = match_route(path, method, o).route || match_route("/api/v1" + path, method, o).route;
        CHECK(found);
        ++checked;
    }
    CHECK(checked > 20);
}
