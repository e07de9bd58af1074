#include <catch2/catch.hpp>
#include "app/textwrap.h"
#include "app/ui_text_view.h"

using namespace parley;

static std::vector<std::string> hrefs(const std::string& s) {
    std::vector<std::string> out;
    for (auto& l : find_links(utf8_to_u32(s))) out.push_back(l.href);
    return out;
}

TEST_CASE("links: URLs and e-mail addresses, without trailing punctuation", "[links]") {
    CHECK(hrefs("Datasheet: https://example.com/gp-40.pdf.") == std::vector<std::string>{"https://example.com/gp-40.pdf"});
    CHECK(hrefs("(see www.hidraulica.es)") == std::vector<std::string>{"https://www.hidraulica.es"});
    CHECK(hrefs("Escríbanos a ventas@hidraulica.es, gracias") == std::vector<std::string>{"mailto:ventas@hidraulica.es"});
    CHECK(hrefs("価格はhttps://example.jp/p?id=1をご覧ください。").size() == 1);
    CHECK(hrefs("no link @ here, a@b, http:/broken").empty());
    auto spans = find_links(utf8_to_u32("ir a http://x.es/ya"));
    REQUIRE(spans.size() == 1);
    CHECK(spans[0].start == 5);
    CHECK(spans[0].end == 19);
}
