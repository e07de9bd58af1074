// Chunked uploads: the offset/size state machine of a PUT, sniffing the first
// chunk (sniff_head), the streaming sniff + SHA-256 of a whole temp file (sniff_file,
// which must agree with sniff_type on the same bytes), and FileStore::adopt.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "server/documents/files.h"
#include "server/domain/uploads.h"

using namespace parley::server;
using namespace std::string_literals;

namespace {

std::string zip_entry(const std::string& entry, const std::string& data = "data") {
    auto le16 = [](size_t v) { return std::string{static_cast<char>(v & 0xFF), static_cast<char>((v >> 8) & 0xFF)}; };
    return "PK\x03\x04"s + std::string(22, '\0') + le16(entry.size()) + le16(0) + entry + data;
}

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        static int n = 0;
        path = std::filesystem::temp_directory_path() /
               ("parley-uploads-" + std::to_string(::getpid()) + "-" + std::to_string(++n));
        std::filesystem::create_directories(path);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    std::string write(const std::string& name, const std::string& data) const {
        std::string p = (path / name).string();
        std::ofstream(p, std::ios::binary) << data;
        return p;
    }
};

// sniff_file must say what sniff_type says about the same bytes.
void same_as_whole(const std::string& data, const std::string& name, const std::string& kind) {
    TempDir dir;
    FileFacts f = sniff_file(dir.write("f", data), name, kind);
    CHECK(f.type == sniff_type(data, name, kind));
    CHECK(f.sha256 == sha256_hex(data));
    CHECK(f.size == static_cast<int64_t>(data.size()));
}

}  // namespace

TEST_CASE("chunk state machine: offsets, sizes, the first chunk", "[uploads]") {
    const int64_t MB = 1024 * 1024;
    CHECK(check_chunk(10 * MB, 0, 0, MB) == ChunkVerdict::ok);
    CHECK(check_chunk(10 * MB, MB, MB, MB) == ChunkVerdict::ok);
    CHECK(check_chunk(10 * MB, 9 * MB, 9 * MB, MB) == ChunkVerdict::ok);  // the last chunk, exactly
    CHECK(check_chunk(100, 0, 0, 100) == ChunkVerdict::ok);               // a small file in one chunk
    CHECK(check_chunk(10, 0, 0, 10) == ChunkVerdict::ok);                 // smaller than kMinFirstChunk
    // The offset must be where the upload stands (a resumed client asks or reads the 409).
    CHECK(check_chunk(10 * MB, MB, 0, MB) == ChunkVerdict::offset_mismatch);
    CHECK(check_chunk(10 * MB, MB, 2 * MB, MB) == ChunkVerdict::offset_mismatch);
    CHECK(check_chunk(10 * MB, MB, 2 * MB, 0) == ChunkVerdict::offset_mismatch);  // offset first
    CHECK(check_chunk(10 * MB, MB, MB, 0) == ChunkVerdict::empty_chunk);
    CHECK(check_chunk(10 * MB, 0, 0, MB + 1) == ChunkVerdict::chunk_too_large);
    CHECK(check_chunk(10 * MB, 0, 0, 2 * MB, 2 * MB) == ChunkVerdict::ok);  // chunk size is a parameter
    // More than declared: refused, nothing is written.
    CHECK(check_chunk(100, 0, 0, 101) == ChunkVerdict::file_too_large);
    CHECK(check_chunk(10 * MB, 9 * MB + 1, 9 * MB + 1, MB) == ChunkVerdict::file_too_large);
    CHECK(check_chunk(100, 100, 100, 1) == ChunkVerdict::file_too_large);
    // The first chunk must carry the magic bytes.
    CHECK(check_chunk(10 * MB, 0, 0, 63) == ChunkVerdict::chunk_too_small);
    CHECK(check_chunk(10 * MB, 0, 0, 64) == ChunkVerdict::ok);
    CHECK(check_chunk(10 * MB, 64, 64, 1) == ChunkVerdict::ok);  // later chunks may be tiny
    CHECK(check_chunk(30, 0, 0, 29) == ChunkVerdict::chunk_too_small);
}

TEST_CASE("sniff_head: the first chunk of a longer file", "[uploads]") {
    CHECK(sniff_head("%PDF-1.7\n", "a.pdf", "quote") == std::optional<std::string>(kTypePdf));
    CHECK_FALSE(sniff_head("hello", "a.pdf", "quote"));
    CHECK_FALSE(sniff_head("MZ\x90\x00\x03"s, "setup.exe", "other"));
    CHECK_FALSE(sniff_head("", "a.txt", "other"));
    // Text cut inside a UTF-8 sequence is fine in a head, not in a whole file.
    std::string cut = "Grüße \xE4\xBD";  // 你 without its last byte
    CHECK(sniff_head(cut, "a.txt", "other") == std::optional<std::string>(kTypeTxt));
    CHECK(sniff_head(cut, "a.csv", "other") == std::optional<std::string>(kTypeCsv));
    CHECK_FALSE(sniff_type(cut, "a.txt", "other"));
    CHECK_FALSE(sniff_head("abc\xC3\x28"s, "a.txt", "other"));  // invalid, not cut
    CHECK_FALSE(sniff_head("a\0b\xE4"s, "a.txt", "other"));
    // A ZIP whose Office entries come later: decided at the end.
    CHECK(sniff_head(zip_entry("[Content_Types].xml"), "a.docx", "other") ==
          std::optional<std::string>(kTypeZipPending));
    CHECK(sniff_head(zip_entry("word/document.xml"), "a.docx", "other") == std::optional<std::string>(kTypeDocx));
    CHECK_FALSE(sniff_head(zip_entry("word/document.xml"), "a.docx", "quote"));
}

TEST_CASE("sniff_file agrees with sniff_type on the whole content", "[uploads]") {
    const size_t block = 256 * 1024;
    same_as_whole("%PDF-1.4\n" + std::string(3 * block, 'x'), "q.pdf", "quote");
    same_as_whole("\x89PNG\r\n\x1a\n"s + std::string(block + 5, '\0'), "a.png", "other");
    same_as_whole("short text", "a.txt", "other");
    same_as_whole("a,b\n" + std::string(2 * block, 'x'), "a.csv", "other");
    // A 3-byte character across the first and the second block boundaries.
    std::string t = std::string(block - 1, 'a') + "你" + std::string(block - 2, 'b') + "你好";
    same_as_whole(t, "a.txt", "other");
    same_as_whole(std::string(block, 'a') + "\0"s, "a.txt", "other");          // NUL in the second block
    same_as_whole(std::string(block + 10, 'a') + "\xE4\xBD", "a.txt", "other");  // ends cut
    same_as_whole(std::string(block - 1, 'a') + "\xE4\xBD", "a.txt", "other");   // ends cut at the boundary
    same_as_whole(std::string(block, 'a'), "a.txt", "other");                   // exactly one block
    same_as_whole(std::string(block - 1, 'a') + "\xC3\x28" + "zz", "a.txt", "other");
    // ZIP: the Office entry far from the head, across a block boundary, or none.
    std::string lead = zip_entry("[Content_Types].xml", std::string(block - 40, 'z'));
    same_as_whole(lead + zip_entry("word/document.xml") + std::string(block, 'q'), "a.docx", "other");
    same_as_whole(lead + zip_entry("xl/workbook.xml", std::string(2 * block, 'q')), "a.xlsx", "other");
    same_as_whole(lead + zip_entry("xl/a.xml", std::string(block, 'q')) + zip_entry("word/b.xml"), "a.docx",
                  "other");  // word/ wins, as in sniff_type
    same_as_whole(lead + zip_entry("evil.exe", std::string(2 * block, 'q')), "a.docx", "other");
    std::string boundary = std::string(block - 51, 'p');  // the next header starts 20 bytes before the boundary
    same_as_whole(zip_entry("a", boundary) + zip_entry("word/document.xml", "x") + std::string(block, 'q'),
                  "a.docx", "other");
}

TEST_CASE("FileStore::adopt moves a temp file in once", "[uploads]") {
    TempDir dir;
    FileStore store((dir.path / "files").string());
    std::filesystem::create_directories(dir.path / "files" / "tmp");
    std::string data = "%PDF-1.4 adopt me";
    std::string sha = sha256_hex(data);
    std::string tmp1 = dir.write("files/tmp/up-1", data);
    store.adopt(sha, tmp1);
    CHECK(store.has(sha));
    CHECK_FALSE(std::filesystem::exists(tmp1));
    std::ifstream in(store.path(sha), std::ios::binary);
    std::string back((std::istreambuf_iterator<char>(in)), {});
    CHECK(back == data);
    std::string tmp2 = dir.write("files/tmp/up-2", data);  // the same content again: dropped
    store.adopt(sha, tmp2);
    CHECK_FALSE(std::filesystem::exists(tmp2));
    CHECK(store.has(sha));
    CHECK_THROWS(store.adopt("short", tmp2));
}
