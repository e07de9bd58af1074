// gzip of large JSON answers: what goes out comes back the same and smaller; which
// Accept-Encoding values accept it.
#include <catch2/catch.hpp>

#include <string>

#include "server/base/gzip.h"

using namespace parley::server;

TEST_CASE("gzip: a JSON page round-trips and shrinks", "[gzip]") {
    std::string json = "{\"messages\": [";
    for (int i = 0; i < 500; ++i)
        json += "{\"id\": " + std::to_string(i) + ", \"body\": \"Wir bestätigen die Lieferung der Pumpen (Abruf " +
                std::to_string(i) + ")\", \"author_name\": \"Volker Langer\"},";
    json += "{}]}";
    auto gz = gzip_compress(json);
    REQUIRE(gz);
    CHECK(gz->size() < json.size() / 5);
    CHECK(static_cast<unsigned char>((*gz)[0]) == 0x1f);  // the gzip magic, not a bare deflate stream
    CHECK(static_cast<unsigned char>((*gz)[1]) == 0x8b);
    auto back = gzip_decompress(*gz);
    REQUIRE(back);
    CHECK(*back == json);
    CHECK_FALSE(gzip_decompress("not gzip at all"));
    auto empty = gzip_compress("");
    REQUIRE(empty);
    CHECK(gzip_decompress(*empty) == std::string());
}

TEST_CASE("gzip: Accept-Encoding", "[gzip]") {
    CHECK(accepts_gzip("gzip, deflate, br"));
    CHECK(accepts_gzip("br;q=1.0, gzip;q=0.8, *;q=0.1"));
    CHECK(accepts_gzip("GZIP"));
    CHECK(accepts_gzip("*"));
    CHECK_FALSE(accepts_gzip(""));
    CHECK_FALSE(accepts_gzip("identity"));
    CHECK_FALSE(accepts_gzip("br, deflate"));
    CHECK_FALSE(accepts_gzip("gzip;q=0"));
    CHECK_FALSE(accepts_gzip("gzip;q=0.000, br"));
    CHECK_FALSE(accepts_gzip("gzipped"));
}
