#include "server/documents/files.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cctype>
#include <cstring>
#include <utility>
#include <vector>
#include <filesystem>
#include <stdexcept>

namespace parley::server {
namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

bool ends_with_ci(std::string_view s, std::string_view suffix) {
    if (s.size() < suffix.size()) return false;
    for (size_t i = 0; i < suffix.size(); ++i) {
        char c = s[s.size() - suffix.size() + i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != suffix[i]) return false;
    }
    return true;
}

// Length of the valid UTF-8 sequence at s[i] (1..4), or 0 when invalid/truncated.
// Bidirectional controls and invisible format characters: in a file name they make
// "invoice_\u202Efdp.exe" read as "invoice_exe.pdf". U+061C, U+200B–U+200F,
// U+202A–U+202E, U+2060–U+2069, U+FEFF. `ch` is one whole UTF-8 sequence.
bool is_invisible_format(std::string_view ch) {
    auto b = [&](size_t k) { return static_cast<unsigned char>(ch[k]); };
    if (ch.size() == 2) return b(0) == 0xD8 && b(1) == 0x9C;  // U+061C
    if (ch.size() != 3) return false;
    if (b(0) == 0xEF) return b(1) == 0xBB && b(2) == 0xBF;  // U+FEFF
    if (b(0) != 0xE2) return false;
    if (b(1) == 0x80) return (b(2) >= 0x8B && b(2) <= 0x8F) || (b(2) >= 0xAA && b(2) <= 0xAE);
    if (b(1) == 0x81) return b(2) >= 0xA0 && b(2) <= 0xA9;
    return false;
}

size_t utf8_len(std::string_view s, size_t i) {
    auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = b(i);
    if (c < 0x80) return 1;
    size_t n = 0;
    uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) { n = 2; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 3; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 4; cp = c & 0x07; }
    else return 0;
    if (i + n > s.size()) return 0;
    for (size_t k = 1; k < n; ++k) {
        if ((b(i + k) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b(i + k) & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

bool is_utf8_text(std::string_view s) {
    for (size_t i = 0; i < s.size();) {
        if (s[i] == '\0') return false;
        size_t n = utf8_len(s, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

// Bytes at the end of s that start a UTF-8 sequence cut short (a lead byte followed by
// fewer continuation bytes than it announces), or 0.
size_t cut_utf8_tail(std::string_view s) {
    for (size_t back = 1; back <= 3 && back <= s.size(); ++back) {
        unsigned char c = static_cast<unsigned char>(s[s.size() - back]);
        if ((c & 0xC0) == 0x80) continue;  // continuation: look further back
        size_t need = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        return need > back ? back : 0;
    }
    return 0;
}

uint16_t le16(std::string_view s, size_t i) {
    return static_cast<uint16_t>(static_cast<unsigned char>(s[i]) | (static_cast<unsigned char>(s[i + 1]) << 8));
}

// True when a ZIP entry (local header or central directory record) is named
// under `prefix` (e.g. "word/").
bool zip_has_entry(std::string_view data, std::string_view prefix) {
    struct Sig { std::string_view magic; size_t name_len_at, name_at; };
    static constexpr Sig kSigs[] = {{std::string_view("PK\x01\x02", 4), 28, 46},
                                    {std::string_view("PK\x03\x04", 4), 26, 30}};
    for (const auto& sig : kSigs) {
        for (size_t pos = data.find(sig.magic); pos != std::string_view::npos; pos = data.find(sig.magic, pos + 1)) {
            if (pos + sig.name_at > data.size()) break;
            size_t len = le16(data, pos + sig.name_len_at);
            if (pos + sig.name_at + len > data.size()) continue;
            std::string_view name = data.substr(pos + sig.name_at, len);
            if (starts_with(name, prefix)) return true;
        }
    }
    return false;
}

}  // namespace

std::optional<std::string> sniff_type(std::string_view data, std::string_view name, std::string_view kind) {
    if (data.empty()) return std::nullopt;
    if (starts_with(data, "%PDF-")) return std::string(kTypePdf);
    if (kind == "quote") return std::nullopt;
    if (starts_with(data, std::string_view("\x89PNG\r\n\x1a\n", 8))) return std::string(kTypePng);
    if (starts_with(data, "\xFF\xD8\xFF")) return std::string(kTypeJpeg);
    if (starts_with(data, std::string_view("PK\x03\x04", 4))) {
        if (zip_has_entry(data, "word/")) return std::string(kTypeDocx);
        if (zip_has_entry(data, "xl/")) return std::string(kTypeXlsx);
        return std::nullopt;  // another kind of ZIP
    }
    if (is_utf8_text(data)) return std::string(ends_with_ci(name, ".csv") ? kTypeCsv : kTypeTxt);
    return std::nullopt;
}

std::optional<std::string> sniff_head(std::string_view head, std::string_view name, std::string_view kind) {
    if (head.empty()) return std::nullopt;
    if (kind != "quote" && starts_with(head, std::string_view("PK\x03\x04", 4))) {
        if (zip_has_entry(head, "word/")) return std::string(kTypeDocx);
        if (zip_has_entry(head, "xl/")) return std::string(kTypeXlsx);
        return std::string(kTypeZipPending);
    }
    auto type = sniff_type(head, name, kind);
    if (!type && kind != "quote") {
        size_t cut = cut_utf8_tail(head);
        if (cut > 0 && cut < head.size() && is_utf8_text(head.substr(0, head.size() - cut)))
            return std::string(ends_with_ci(name, ".csv") ? kTypeCsv : kTypeTxt);
    }
    return type;
}

FileFacts sniff_file(const std::string& path, std::string_view name, std::string_view kind) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("open " + path + ": " + std::strerror(errno));
    struct Closer { int fd; ~Closer() { ::close(fd); } } closer{fd};
    constexpr size_t kBlock = 256 * 1024;
    constexpr size_t kZipCarry = 2048;  // a ZIP header + entry name cut by a block boundary
    std::string buf(kBlock, '\0');
    auto read_block = [&]() -> size_t {
        size_t got = 0;
        while (got < kBlock) {
            ssize_t n = ::read(fd, buf.data() + got, kBlock - got);
            if (n < 0) {
                if (errno == EINTR) continue;
                throw std::runtime_error("read " + path + ": " + std::strerror(errno));
            }
            if (n == 0) break;
            got += static_cast<size_t>(n);
        }
        return got;
    };
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    FileFacts facts;
    size_t n = read_block();
    std::string_view block(buf.data(), n);
    crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(block.data()), n);
    facts.size = static_cast<int64_t>(n);
    std::string head(block);  // the first block decides the family
    bool whole = n < kBlock;
    std::optional<std::string> type = whole ? sniff_type(head, name, kind) : sniff_head(head, name, kind);
    bool zip = type && (*type == kTypeDocx || *type == kTypeXlsx || *type == kTypeZipPending);
    bool text = type && (*type == kTypeTxt || *type == kTypeCsv);
    bool word = zip && zip_has_entry(head, "word/"), xl = zip && zip_has_entry(head, "xl/");
    std::string carry;  // text: a cut UTF-8 sequence; zip: the previous block's tail
    if (text && !whole) {
        size_t cut = cut_utf8_tail(head);
        carry = head.substr(head.size() - cut);
    } else if (zip) {
        carry = head.substr(head.size() > kZipCarry ? head.size() - kZipCarry : 0);
    }
    while (!whole) {
        n = read_block();
        if (n == 0) break;
        block = std::string_view(buf.data(), n);
        crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(block.data()), n);
        facts.size += static_cast<int64_t>(n);
        if (!type) continue;
        if (text) {
            std::string s = carry + std::string(block);
            size_t cut = cut_utf8_tail(s);
            if (!is_utf8_text(std::string_view(s).substr(0, s.size() - cut))) type.reset();
            else carry = s.substr(s.size() - cut);
        } else if (zip && !word) {
            std::string s = carry + std::string(block);
            word = zip_has_entry(s, "word/");
            xl = xl || zip_has_entry(s, "xl/");
            carry = s.substr(s.size() > kZipCarry ? s.size() - kZipCarry : 0);
        }
    }
    if (text && !carry.empty()) type.reset();  // the file ends inside a UTF-8 sequence
    if (zip) type = word ? std::optional<std::string>(kTypeDocx) : xl ? std::optional<std::string>(kTypeXlsx) : std::nullopt;
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&st, h);
    static const char* hex = "0123456789abcdef";
    for (unsigned char c : h) { facts.sha256 += hex[c >> 4]; facts.sha256 += hex[c & 15]; }
    facts.type = std::move(type);
    return facts;
}

std::string allowed_types(std::string_view kind) {
    return kind == "quote" ? "PDF" : "PDF, PNG, JPEG, DOCX, XLSX, CSV, TXT";
}

std::string sanitize_file_name(std::string_view in) {
    // Only the last path component (either separator).
    size_t slash = in.find_last_of("/\\");
    if (slash != std::string_view::npos) in.remove_prefix(slash + 1);
    std::string out;
    for (size_t i = 0; i < in.size();) {
        size_t n = utf8_len(in, i);
        if (n == 0) { ++i; continue; }  // invalid byte: dropped
        unsigned char c = static_cast<unsigned char>(in[i]);
        if (n == 1) {
            bool reserved = c < 0x20 || c == 0x7F || std::strchr("\\/:*?\"<>|", c) != nullptr;
            if (!reserved) out += static_cast<char>(c);
        } else if (!(n == 2 && c == 0xC2 && static_cast<unsigned char>(in[i + 1]) < 0xA0) &&  // C1 controls
                   !is_invisible_format(in.substr(i, n))) {
            out.append(in.substr(i, n));
        }
        i += n;
    }
    auto trim_char = [](char c) { return c == '.' || c == ' '; };
    size_t b = 0, e = out.size();
    while (b < e && trim_char(out[b])) ++b;
    while (e > b && trim_char(out[e - 1])) --e;
    out = out.substr(b, e - b);
    if (out.empty()) return "document";

    constexpr size_t kMax = 150;
    if (out.size() > kMax) {
        std::string ext;
        size_t dot = out.rfind('.');
        if (dot != std::string::npos && dot > 0 && out.size() - dot <= 16) ext = out.substr(dot);
        size_t keep = kMax - ext.size();
        // Back up to a UTF-8 boundary.
        while (keep > 0 && (static_cast<unsigned char>(out[keep]) & 0xC0) == 0x80) --keep;
        std::string stem = out.substr(0, keep);
        while (!stem.empty() && (stem.back() == ' ' || stem.back() == '.')) stem.pop_back();
        out = stem.empty() ? "document" + ext : stem + ext;
        if (out.size() > kMax) out = "document";
    }
    return out;
}

std::string_view file_extension(std::string_view name) {
    size_t dot = name.rfind('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == name.size()) return {};
    return name.substr(dot + 1);
}

std::optional<std::string> name_for_type(const std::string& name, std::string_view type) {
    static const std::pair<std::string_view, std::vector<std::string_view>> kExtensions[] = {
        {kTypePdf, {"pdf"}},           {kTypePng, {"png", "jpg", "jpeg"}}, {kTypeJpeg, {"jpg", "jpeg", "png"}},
        {kTypeDocx, {"docx"}},         {kTypeXlsx, {"xlsx"}},              {kTypeCsv, {"csv"}},
        {kTypeTxt, {"txt", "text", "log"}}, {kTypeZipPending, {"docx", "xlsx"}},
    };
    const std::vector<std::string_view>* allowed = nullptr;
    for (const auto& [t, exts] : kExtensions)
        if (t == type) allowed = &exts;
    if (!allowed) return std::nullopt;
    std::string_view ext = file_extension(name);
    if (ext.empty()) return name + "." + std::string(allowed->front());
    std::string lower(ext);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (auto a : *allowed)
        if (a == lower) return name;
    return std::nullopt;
}

std::string unsupported_name_message(std::string_view name, std::string_view kind) {
    return "Files named ." + std::string(file_extension(name)) + " are not accepted for this content. Allowed: " +
           allowed_types(kind) + ".";
}

std::string content_disposition(std::string_view name) {
    std::string ascii, pct;
    static const char* hex = "0123456789ABCDEF";
    for (unsigned char c : name) {
        ascii += (c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '%') ? static_cast<char>(c) : '_';
        bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                          std::strchr("-._~!$&+^`|", c) != nullptr;
        if (unreserved && c != 0) pct += static_cast<char>(c);
        else { pct += '%'; pct += hex[c >> 4]; pct += hex[c & 15]; }
    }
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + pct;
}

std::string FileStore::path(const std::string& sha) const {
    return (std::filesystem::path(root_) / sha.substr(0, 2) / sha.substr(2)).string();
}

bool FileStore::has(const std::string& sha) const {
    std::error_code ec;
    return std::filesystem::is_regular_file(path(sha), ec);
}

void FileStore::remove(const std::string& sha) const {
    std::error_code ec;
    std::filesystem::remove(path(sha), ec);
}

void FileStore::adopt(const std::string& sha, const std::string& tmp) const {
    if (sha.size() != 64) throw std::runtime_error("bad sha256");
    if (has(sha)) {  // identical content is stored once
        ::unlink(tmp.c_str());
        return;
    }
    int fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("open " + tmp + ": " + std::strerror(errno));
    int rc = ::fsync(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0) throw std::runtime_error("fsync " + tmp + ": " + std::strerror(err));
    std::filesystem::path dir = std::filesystem::path(root_) / sha.substr(0, 2);
    std::filesystem::create_directories(dir);
    if (::rename(tmp.c_str(), path(sha).c_str()) != 0)
        throw std::runtime_error("rename " + tmp + ": " + std::strerror(errno));
    int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

void FileStore::put(const std::string& sha, std::string_view data) const {
    if (sha.size() != 64) throw std::runtime_error("bad sha256");
    if (has(sha)) return;  // identical content is stored once
    std::filesystem::path dir = std::filesystem::path(root_) / sha.substr(0, 2);
    std::filesystem::create_directories(dir);
    static std::atomic<uint64_t> counter{0};
    std::string tmp = (dir / (".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(++counter))).string();
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd < 0) throw std::runtime_error(std::string("create ") + tmp + ": " + std::strerror(errno));
    auto fail = [&](const char* what) {
        int err = errno;
        ::close(fd);
        ::unlink(tmp.c_str());
        throw std::runtime_error(std::string(what) + " " + tmp + ": " + std::strerror(err));
    };
    const char* p = data.data();
    size_t left = data.size();
    while (left > 0) {
        ssize_t n = ::write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("write");
        }
        p += n;
        left -= static_cast<size_t>(n);
    }
    if (::fsync(fd) != 0) fail("fsync");
    if (::close(fd) != 0) {
        ::unlink(tmp.c_str());
        throw std::runtime_error("close " + tmp);
    }
    if (::rename(tmp.c_str(), path(sha).c_str()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        throw std::runtime_error("rename " + tmp + ": " + std::strerror(err));
    }
    // Make the rename durable.
    int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

}  // namespace parley::server
