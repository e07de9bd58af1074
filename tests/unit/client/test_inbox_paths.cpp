// The inbox's requests and its export carry the same filters and search.
#include <catch2/catch.hpp>

#include "app/inbox_state.h"

using namespace parley;

TEST_CASE("inbox paths: pages and the export carry the chip and the search", "[inbox]") {
    InboxPages p;
    CHECK(inbox_path(p, "") == "/api/v1/requests");
    CHECK(inbox_export_path(p, "csv") == "/api/v1/export/requests?format=csv");
    p.filter = "to_answer";
    p.search = "bomba 50°C";
    CHECK(inbox_path(p, "") == "/api/v1/requests?status=to_answer&q=bomba%2050%C2%B0C");
    CHECK(inbox_path(p, "170_5") == "/api/v1/requests?status=to_answer&q=bomba%2050%C2%B0C&page=170_5");
    CHECK(inbox_export_path(p, "xlsx") == "/api/v1/export/requests?format=xlsx&status=to_answer&q=bomba%2050%C2%B0C");
    p.filter = "unread";
    p.search.clear();
    CHECK(inbox_path(p, "9_1") == "/api/v1/requests?unread=1&page=9_1");
    CHECK(inbox_export_path(p, "csv") == "/api/v1/export/requests?format=csv&unread=1");
}
