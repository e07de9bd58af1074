// The command line's one table (server/options.cpp): --help and docs/OPTIONS.md say every
// option and every environment variable the server reads, and the parser applies them
// (options first, the environment for the options not given).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "server/options.h"

using namespace parley::server;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

Options parse(std::vector<std::string> args) {
    args.insert(args.begin(), "parley-server");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    return parse_args(static_cast<int>(argv.size()), argv.data());
}

}  // namespace

TEST_CASE("options: docs/OPTIONS.md is the table's Markdown", "[options]") {
    const std::string doc = slurp(fs::path(PARLEY_SOURCE_DIR) / "docs" / "OPTIONS.md");
    INFO("regenerate it: build/server/parley-server --help-markdown > docs/OPTIONS.md");
    CHECK(doc == options_markdown());
}

TEST_CASE("options: --help names every option and every PARLEY_ variable of the sources", "[options]") {
    const std::string help = usage_text();
    std::set<std::string> names;
    for (const OptionSpec& s : option_table()) {
        INFO(s.name);
        CHECK(names.insert(s.name).second);  // once
        CHECK(help.find(std::string("  ") + s.name + (s.value ? " " : "")) != std::string::npos);
        if (s.env) CHECK(help.find(std::string("(env ") + s.env + ")") != std::string::npos);
        CHECK(std::string(s.help).find("env PARLEY") == std::string::npos);  // said once, by the table
    }
    // Any PARLEY_ name in the server's code is an environment variable it reads: listed.
    const std::regex var("\"(PARLEY_[A-Z0-9_]+)\"");
    int seen = 0;
    for (auto it = fs::recursive_directory_iterator(fs::path(PARLEY_SOURCE_DIR) / "server");
         it != fs::recursive_directory_iterator(); ++it) {
        if (!it->is_regular_file()) continue;
        const std::string text = slurp(it->path());
        for (std::sregex_iterator m(text.begin(), text.end(), var), end; m != end; ++m) {
            INFO(it->path().string() << " reads " << (*m)[1]);
            CHECK(help.find(std::string("(env ") + (*m)[1].str() + ")") != std::string::npos);
            ++seen;
        }
        // getenv only ever reads a name of the table.
        INFO(it->path().string());
        if (it->path().filename() != "options.cpp") CHECK(text.find("getenv(") == std::string::npos);
    }
    CHECK(seen >= 14);
    std::istringstream lines(help);
    for (std::string l; std::getline(lines, l);) {
        INFO(l);
        CHECK(l.size() <= 100);
    }
}

TEST_CASE("options: the command line first, then the environment", "[options]") {
    unsetenv("PARLEY_LOG_FORMAT");
    unsetenv("PARLEY_METRICS_TOKEN");
    unsetenv("PARLEY_METRICS_LISTEN");
    Options d = parse({});
    CHECK(d.log_format == LogFormat::text);
    CHECK(d.http.metrics_token.empty());
    CHECK(d.http.metrics_port == 0);
    CHECK(d.health.outbox_stuck_ms == 15 * 60 * 1000);
    CHECK(d.health.outbox_failures == 5);

    Options o = parse({"--log-format", "json", "--metrics-token", "s3cret", "--metrics-listen", "[::1]:9464",
                       "--health-outbox-stuck", "60", "--health-outbox-failures", "0", "--port", "9000"});
    CHECK(o.log_format == LogFormat::json);
    CHECK(o.http.metrics_token == "s3cret");
    CHECK(o.http.metrics_host == "::1");
    CHECK(o.http.metrics_port == 9464);
    CHECK(o.health.outbox_stuck_ms == 60000);
    CHECK(o.health.outbox_failures == 0);
    CHECK(o.public_url == "http://127.0.0.1:9000");

    setenv("PARLEY_LOG_FORMAT", "json", 1);
    setenv("PARLEY_METRICS_TOKEN", "from-env", 1);
    Options e = parse({});
    CHECK(e.log_format == LogFormat::json);
    CHECK(e.http.metrics_token == "from-env");
    Options given = parse({"--log-format", "text", "--metrics-token", "given"});
    CHECK(given.log_format == LogFormat::text);  // the option wins
    CHECK(given.http.metrics_token == "given");
    unsetenv("PARLEY_LOG_FORMAT");
    unsetenv("PARLEY_METRICS_TOKEN");

    Options mail = parse({"mail-in", "--recipient", "r+x@relay.test", "--sender", "<>"});
    CHECK(mail.mail_in);
    CHECK(mail.recipients == std::vector<std::string>{"r+x@relay.test"});
    CHECK(mail.has_sender);
    CHECK(mail.sender.empty());
    Options load = parse({"load-demo", "--requests", "10", "--seed", "3"});
    CHECK(load.volume.requests == 10);
    CHECK(load.volume.seed == 3u);
}
