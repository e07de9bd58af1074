// Export: CSV fields and files, and XLSX workbooks read back as a spreadsheet program would
// (ZIP directory, deflated entries, CRCs, the sheet's cells).
#include <catch2/catch.hpp>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <zlib.h>

#include "server/documents/table_export.h"

using namespace parley::server;

namespace {

std::string written(const std::string& format, const std::vector<std::string>& titles,
                    const std::vector<std::vector<Cell>>& rows) {
    std::FILE* f = std::tmpfile();
    REQUIRE(f);
    auto w = make_table_writer(format, f);
    REQUIRE(w);
    w->header(titles);
    for (const auto& r : rows) w->row(r);
    w->finish();
    std::string out;
    std::rewind(f);
    char buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) out.append(buf, n);
    std::fclose(f);
    return out;
}

uint32_t u16(const std::string& b, size_t at) {
    return static_cast<unsigned char>(b[at]) | static_cast<unsigned char>(b[at + 1]) << 8;
}
uint32_t u32(const std::string& b, size_t at) { return u16(b, at) | u16(b, at + 2) << 16; }

// Every entry of a ZIP file, inflated, its CRC checked: name → content.
std::map<std::string, std::string> unzip(const std::string& zip) {
    std::map<std::string, std::string> out;
    const size_t end = zip.rfind(std::string("PK\x05\x06", 4));
    REQUIRE(end != std::string::npos);
    const uint32_t count = u16(zip, end + 10);
    size_t at = u32(zip, end + 16);
    for (uint32_t i = 0; i < count; ++i) {
        REQUIRE(u32(zip, at) == 0x02014b50);
        REQUIRE(u16(zip, at + 10) == 8);  // deflate
        const uint32_t crc = u32(zip, at + 16), packed = u32(zip, at + 20), size = u32(zip, at + 24);
        const uint32_t name_len = u16(zip, at + 28), local = u32(zip, at + 42);
        const std::string name = zip.substr(at + 46, name_len);
        at += 46 + name_len + u16(zip, at + 30) + u16(zip, at + 32);
        REQUIRE(u32(zip, local) == 0x04034b50);
        REQUIRE(zip.substr(local + 30, u16(zip, local + 26)) == name);
        const size_t data = local + 30 + u16(zip, local + 26) + u16(zip, local + 28);
        std::string content(size, '\0');
        z_stream z{};
        REQUIRE(inflateInit2(&z, -15) == Z_OK);
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zip.data() + data));
        z.avail_in = packed;
        z.next_out = reinterpret_cast<Bytef*>(content.data());
        z.avail_out = size;
        CHECK(inflate(&z, Z_FINISH) == Z_STREAM_END);
        inflateEnd(&z);
        CHECK(crc32(0, reinterpret_cast<const Bytef*>(content.data()), size) == crc);
        // The data descriptor after the data repeats what the directory says.
        CHECK(u32(zip, data + packed) == 0x08074b50);
        CHECK(u32(zip, data + packed + 4) == crc);
        out[name] = content;
    }
    return out;
}

}  // namespace

TEST_CASE("export: CSV fields are quoted when needed and never run as formulas", "[export]") {
    CHECK(csv_field("Pump") == "Pump");
    CHECK(csv_field("Acme, Inc.") == "\"Acme, Inc.\"");
    CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csv_field("two\nlines") == "\"two\nlines\"");
    CHECK(csv_field("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"");
    CHECK(csv_field("+34 600") == "'+34 600");
    CHECK(csv_field("-1") == "'-1");
    CHECK(csv_field("@SUM(A1)") == "'@SUM(A1)");
    CHECK(csv_field("Müller — 50°C") == "Müller — 50°C");
    CHECK(iso_time(0) == "1970-01-01 00:00");
    CHECK(iso_time(1796598000000) == "2026-12-06 23:00");
    CHECK(xlsx_column(0) == "A");
    CHECK(xlsx_column(25) == "Z");
    CHECK(xlsx_column(26) == "AA");
    CHECK(xlsx_column(701) == "ZZ");
    CHECK(xlsx_column(702) == "AAA");
}

TEST_CASE("export: a CSV file has a BOM, CRLF lines, numbers and UTC times", "[export]") {
    std::string csv = written("csv", {"Request", "Buyer", "Received"},
                              {{Cell::num(42), Cell::str("Stefan Müller, GmbH"), Cell::when(1796598000000)},
                               {Cell::num(7), Cell::str("=1+1"), Cell::when(0)}});
    CHECK(csv == "\xEF\xBB\xBFRequest,Buyer,Received\r\n42,\"Stefan Müller, GmbH\",2026-12-06 23:00\r\n7,'=1+1,\r\n");
    CHECK(make_table_writer("pdf", stdout) == nullptr);
}

TEST_CASE("export: an XLSX workbook reads back: parts, frozen bold header, inline strings, numbers, dates",
          "[export]") {
    std::vector<std::vector<Cell>> rows;
    for (int i = 0; i < 3000; ++i)  // more than one deflate buffer
        rows.push_back({Cell::num(i + 1), Cell::str(i == 0 ? "<b>Pumps & valves</b> \x01 \"x\"" : "Row " + std::to_string(i)),
                        Cell::when(1796598000000)});
    auto parts = unzip(written("xlsx", {"Request", "Product", "Received"}, rows));
    for (const char* name : {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                             "xl/styles.xml", "xl/worksheets/sheet1.xml"})
        CHECK(parts.count(name) == 1);
    const std::string& sheet = parts["xl/worksheets/sheet1.xml"];
    CHECK(sheet.find("state=\"frozen\"") != std::string::npos);
    CHECK(sheet.find("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\" s=\"1\"><is><t xml:space=\"preserve\">Request</t>") !=
          std::string::npos);
    CHECK(sheet.find("<c r=\"A2\"><v>1</v></c>") != std::string::npos);
    CHECK(sheet.find("&lt;b&gt;Pumps &amp; valves&lt;/b&gt;   &quot;x&quot;") != std::string::npos);
    // 2026-12-06 23:00 UTC in days since 1899-12-30, with the date style.
    CHECK(sheet.find("<c r=\"C2\" s=\"2\"><v>46362.958333</v></c>") != std::string::npos);
    CHECK(sheet.find("<row r=\"3001\">") != std::string::npos);
    CHECK(sheet.substr(sheet.size() - 24) == "</sheetData></worksheet>");
    CHECK(parts["xl/styles.xml"].find("yyyy-mm-dd hh:mm") != std::string::npos);
}
