// Attachments: type sniffing by content, file-name sanitising,
// Content-Disposition, SHA-256 and the content-addressed file store.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "server/documents/files.h"

using namespace parley::server;
using namespace std::string_literals;

namespace {

// A minimal ZIP local header + central directory entry naming `entry`.
std::string zip_with(const std::string& entry) {
    auto le16 = [](size_t v) { return std::string{static_cast<char>(v & 0xFF), static_cast<char>((v >> 8) & 0xFF)}; };
    std::string local = "PK\x03\x04"s + std::string(22, '\0') + le16(entry.size()) + le16(0) + entry + "data";
    std::string central = "PK\x01\x02"s + std::string(24, '\0') + le16(entry.size()) + std::string(16, '\0') + entry;
    return local + central + "PK\x05\x06"s + std::string(18, '\0');
}

}  // namespace

TEST_CASE("sniff: PDF, PNG, JPEG by magic bytes", "[attachments]") {
    CHECK(sniff_type("%PDF-1.7\n...", "x.pdf", "quote") == std::optional<std::string>(kTypePdf));
    CHECK(sniff_type("%PDF-1.4", "whatever.txt", "other") == std::optional<std::string>(kTypePdf));
    std::string png = "\x89PNG\r\n\x1a\n"s + std::string(20, '\0');
    CHECK(sniff_type(png, "a.png", "other") == std::optional<std::string>(kTypePng));
    CHECK(sniff_type("\xFF\xD8\xFF\xE0rest"s, "a.jpg", "other") == std::optional<std::string>(kTypeJpeg));
}

TEST_CASE("sniff: a quote must be a PDF whatever its name", "[attachments]") {
    std::string png = "\x89PNG\r\n\x1a\n"s + std::string(20, '\0');
    CHECK_FALSE(sniff_type(png, "quote.pdf", "quote"));
    CHECK_FALSE(sniff_type("hello", "quote.pdf", "quote"));
    CHECK_FALSE(sniff_type("%PDF", "quote.pdf", "quote"));  // "%PDF-" needed
}

TEST_CASE("sniff: DOCX and XLSX are ZIPs with word/ or xl/ entries", "[attachments]") {
    CHECK(sniff_type(zip_with("word/document.xml"), "a.docx", "other") == std::optional<std::string>(kTypeDocx));
    CHECK(sniff_type(zip_with("xl/workbook.xml"), "a.xlsx", "other") == std::optional<std::string>(kTypeXlsx));
    CHECK_FALSE(sniff_type(zip_with("evil.exe"), "a.docx", "other"));
    CHECK_FALSE(sniff_type("PK\x03\x04"s, "a.docx", "other"));  // truncated
}

TEST_CASE("sniff: CSV and TXT are UTF-8 text without NUL", "[attachments]") {
    CHECK(sniff_type("a,b\n1,2\n", "data.csv", "other") == std::optional<std::string>(kTypeCsv));
    CHECK(sniff_type("a,b\n1,2\n", "DATA.CSV", "other") == std::optional<std::string>(kTypeCsv));
    CHECK(sniff_type("Grüße, 你好\n", "notes.txt", "other") == std::optional<std::string>(kTypeTxt));
    CHECK(sniff_type("plain", "noext", "other") == std::optional<std::string>(kTypeTxt));
    CHECK_FALSE(sniff_type("a\0b"s, "x.txt", "other"));
    CHECK_FALSE(sniff_type("\xC3\x28", "x.txt", "other"));       // invalid UTF-8
    CHECK_FALSE(sniff_type("\xED\xA0\x80", "x.txt", "other"));   // surrogate
    CHECK_FALSE(sniff_type("MZ\x90\x00\x03"s, "setup.exe", "other"));  // a Windows executable
    CHECK_FALSE(sniff_type("\x7F" "ELF\x02\x01\x01\x00"s, "a.txt", "other"));
    CHECK_FALSE(sniff_type("", "a.txt", "other"));
}

TEST_CASE("sanitize: paths, control and reserved characters, dots", "[attachments]") {
    CHECK(sanitize_file_name("report.pdf") == "report.pdf");
    CHECK(sanitize_file_name("../../etc/passwd") == "passwd");
    CHECK(sanitize_file_name("C:\\Users\\me\\quote.pdf") == "quote.pdf");
    CHECK(sanitize_file_name("a\r\nb\tc\x01.pdf") == "abc.pdf");
    CHECK(sanitize_file_name("what?*<>|\":.pdf") == "what.pdf");
    CHECK(sanitize_file_name("  ..hidden.pdf.. ") == "hidden.pdf");
    CHECK(sanitize_file_name("") == "document");
    CHECK(sanitize_file_name("../..") == "document");
    CHECK(sanitize_file_name("\x01\x02") == "document");
    CHECK(sanitize_file_name("Angebot für Müller.pdf") == "Angebot für Müller.pdf");
    CHECK(sanitize_file_name("bad\xFFutf8.txt") == "badutf8.txt");
    CHECK(sanitize_file_name("x\xC2\x85y.txt") == "xy.txt");  // C1 control
}

TEST_CASE("sanitize: bidirectional controls and invisible format characters go", "[attachments]") {
    CHECK(sanitize_file_name("invoice_\u202Efdp.exe") == "invoice_fdp.exe");
    CHECK(sanitize_file_name("a\u200Bb\u200Cc\u200Dd\u200Ee\u200Ff.pdf") == "abcdef.pdf");
    CHECK(sanitize_file_name("\u2066x\u2067y\u2068z\u2069\u2060.pdf") == "xyz.pdf");
    CHECK(sanitize_file_name("\uFEFFoffer\u202A\u202B\u202C\u202D.pdf") == "offer.pdf");
    CHECK(sanitize_file_name("\u0639\u061C\u0631.pdf") == "\u0639\u0631.pdf");
    CHECK(sanitize_file_name("\u2014 dash \u2070.pdf") == "\u2014 dash \u2070.pdf");  // neighbours stay
}

TEST_CASE("name for type: the extension must fit the content", "[attachments]") {
    CHECK(name_for_type("offer.pdf", kTypePdf) == "offer.pdf");
    CHECK(name_for_type("Offer.PDF", kTypePdf) == "Offer.PDF");
    CHECK(name_for_type("scan", kTypePdf) == "scan.pdf");
    CHECK(name_for_type("photo.jpg", kTypePng) == "photo.jpg");
    CHECK(name_for_type("notes", kTypeTxt) == "notes.txt");
    CHECK(name_for_type("list.csv", kTypeCsv) == "list.csv");
    CHECK(name_for_type("Offer.docx", kTypeZipPending) == "Offer.docx");
    for (const char* bad : {"run.js", "a.vbs", "x.hta", "s.bat", "s.cmd", "p.ps1", "i.sh", "a.desktop", "p.html",
                            "l.svg", "n.txt.js"})
        CHECK_FALSE(name_for_type(bad, kTypeTxt));
    CHECK_FALSE(name_for_type("invoice.exe", kTypePdf));
    CHECK_FALSE(name_for_type("sheet.xlsx", kTypeDocx));
    CHECK_FALSE(name_for_type("a.pdf", "application/x-unknown"));
    CHECK(file_extension("a.tar.gz") == "gz");
    CHECK(file_extension(".profile").empty());
    CHECK(file_extension("dot.").empty());
}

TEST_CASE("sanitize: at most 150 bytes at a UTF-8 boundary, keeping the extension", "[attachments]") {
    std::string long_ascii = std::string(300, 'a') + ".pdf";
    std::string s = sanitize_file_name(long_ascii);
    CHECK(s.size() == 150);
    CHECK(s.substr(s.size() - 4) == ".pdf");
    std::string cjk;
    for (int i = 0; i < 100; ++i) cjk += "报";  // 3 bytes each
    s = sanitize_file_name(cjk + ".xlsx");
    CHECK(s.size() <= 150);
    CHECK(s.substr(s.size() - 5) == ".xlsx");
    CHECK((s.size() - 5) % 3 == 0);  // whole characters only
}

TEST_CASE("content disposition: ASCII fallback and RFC 5987 name", "[attachments]") {
    CHECK(content_disposition("quote.pdf") == "attachment; filename=\"quote.pdf\"; filename*=UTF-8''quote.pdf");
    CHECK(content_disposition("Müller 1.pdf") ==
          "attachment; filename=\"M__ller 1.pdf\"; filename*=UTF-8''M%C3%BCller%201.pdf");
}

TEST_CASE("sha256 and the content-addressed file store", "[attachments]") {
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    static std::atomic<int> n{0};
    auto root = std::filesystem::temp_directory_path() /
                ("parley-files-test-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    std::filesystem::remove_all(root);
    {
        FileStore fs(root.string());
        std::string sha = sha256_hex("hello");
        CHECK_FALSE(fs.has(sha));
        fs.put(sha, "hello");
        CHECK(fs.has(sha));
        CHECK(fs.path(sha) == (root / sha.substr(0, 2) / sha.substr(2)).string());
        std::ifstream in(fs.path(sha), std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        CHECK(ss.str() == "hello");
        fs.put(sha, "hello");  // stored once
        size_t files = 0;
        for (auto& e : std::filesystem::recursive_directory_iterator(root))
            if (e.is_regular_file()) ++files;
        CHECK(files == 1);  // no temp files left behind
    }
    std::filesystem::remove_all(root);
}
