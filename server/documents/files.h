// Attachments: content sniffing, file-name sanitising and the
// content-addressed file store under <data-dir>/files. No HTTP or SQL here.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "server/base/crypto.h"  // sha256_hex: files are stored by content hash

namespace parley::server {

// MIME types the server stores (decided from the content, never from the name).
inline constexpr const char* kTypePdf = "application/pdf";
inline constexpr const char* kTypePng = "image/png";
inline constexpr const char* kTypeJpeg = "image/jpeg";
inline constexpr const char* kTypeDocx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
inline constexpr const char* kTypeXlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
inline constexpr const char* kTypeCsv = "text/csv; charset=utf-8";
inline constexpr const char* kTypeTxt = "text/plain; charset=utf-8";

// The type of `data` by its magic bytes, or nullopt when it is none of the allowed
// types. kind "quote" allows only PDF; "other" allows PDF, PNG, JPEG, DOCX, XLSX,
// CSV, TXT (text: valid UTF-8 without NUL bytes; CSV when the name ends in .csv).
std::optional<std::string> sniff_type(std::string_view data, std::string_view name, std::string_view kind);

// Marker returned by sniff_head for a ZIP whose Office entries ("word/", "xl/") were
// not seen in the head yet: sniff_file decides from the whole file.
inline constexpr const char* kTypeZipPending = "application/zip";

// sniff_type for the first bytes of a longer file (the first chunk of a chunked
// upload): a UTF-8 sequence cut at the end of `head` is allowed, and a ZIP without
// Office entries yet gives kTypeZipPending. nullopt: the file can only be refused.
std::optional<std::string> sniff_head(std::string_view head, std::string_view name, std::string_view kind);

// The type (as sniff_type would decide on the whole content) and SHA-256 of a file
// on disk, read in blocks of 256 KB (bounded memory). Throws on I/O errors.
struct FileFacts {
    std::optional<std::string> type;  // nullopt: not an allowed type
    std::string sha256;
    int64_t size = 0;
};
FileFacts sniff_file(const std::string& path, std::string_view name, std::string_view kind);

// Human list of the types allowed for a kind ("PDF" / "PDF, PNG, JPEG, ...").
std::string allowed_types(std::string_view kind);

// A safe display/download name: no path (only the last component), no control,
// bidirectional or invisible format characters, no reserved characters
// (\ / : * ? " < > |), invalid UTF-8 dropped, dots and spaces
// trimmed at both ends, at most 150 bytes cut at a UTF-8 boundary keeping the
// extension; "document" when nothing is left.
std::string sanitize_file_name(std::string_view name);

// The name a file of `type` (as sniffed) is stored under: its own if the extension is
// one of the type's (case aside: .pdf; .png .jpg .jpeg; .docx; .xlsx; .csv; .txt .text
// .log), with the type's extension added if it has none; nullopt for any other
// extension (a text file named .js, .html, .svg, .bat, … is refused, not renamed).
std::optional<std::string> name_for_type(const std::string& name, std::string_view type);

// The extension of a name as written ("JS" for "a.JS"), "" if none.
std::string_view file_extension(std::string_view name);

// The 415 message for a name whose extension does not fit its content.
std::string unsupported_name_message(std::string_view name, std::string_view kind);

// Content-Disposition value: attachment; filename="<ascii>"; filename*=UTF-8''<pct>.
std::string content_disposition(std::string_view name);


// Content-addressed files: <root>/ab/cdef... by the SHA-256 hex of their content.
class FileStore {
public:
    explicit FileStore(std::string root) : root_(std::move(root)) {}
    const std::string& root() const { return root_; }
    // Stores data under its hash (once: identical content is not written again).
    // Written to a temp file in the target directory, fsync'ed, then renamed, so a
    // failure never leaves a partial file under the final name. Throws on I/O errors.
    void put(const std::string& sha256, std::string_view data) const;
    // Moves a complete temp file (on the same file system, e.g. <root>/tmp/...) into
    // the store under its hash: fsync, rename, fsync of the directory; when that
    // content is already stored the temp file is removed. Throws on I/O errors.
    void adopt(const std::string& sha256, const std::string& tmp_path) const;
    std::string path(const std::string& sha256) const;
    bool has(const std::string& sha256) const;
    // Removes a stored file (no error when it is not there).
    void remove(const std::string& sha256) const;

private:
    std::string root_;
};

}  // namespace parley::server
