// The shape of a Prometheus text exposition (format 0.0.4), for the metrics tests.
#pragma once
#include <catch2/catch.hpp>

#include <regex>
#include <sstream>
#include <string>

namespace parley::test {

// Every line of a scrape is a comment (# HELP / # TYPE) or a sample:
// name{label="value",...} number — label values escaped, numbers Go-parsable.
inline void check_exposition(const std::string& text) {
    static const std::regex help(R"(^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*$)");
    static const std::regex type(R"(^# TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram)$)");
    static const std::regex sample(
        R"(^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*"(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*")*\})? (NaN|[+-]Inf|-?[0-9]+(\.[0-9]+)?(e[+-]?[0-9]+)?)$)");
    REQUIRE(!text.empty());
    CHECK(text.back() == '\n');
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        INFO(line);
        if (line.rfind("# HELP", 0) == 0) CHECK(std::regex_match(line, help));
        else if (line.rfind("# TYPE", 0) == 0) CHECK(std::regex_match(line, type));
        else CHECK(std::regex_match(line, sample));
    }
}

}  // namespace parley::test
