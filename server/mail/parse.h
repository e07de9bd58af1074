// Inbound e-mail: parse one raw RFC 5322 message with GMime 3 into what the
// domain needs — threading headers, sender, the body as UTF-8 text, auto-reply
// detection and attachments under the upload limits. No database, no HTTP here.
// Keeping only the new text of a reply is reply_strip.h.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley::server {

inline constexpr size_t kMaxMailBytes = 25 * 1024 * 1024;      // whole raw message
inline constexpr size_t kMaxMailAttachments = 10;              // = kMaxAttachmentsPerMessage
inline constexpr size_t kMaxMailAttachmentBytes = 10 * 1024 * 1024;  // = kMaxUploadBytes
// What a reply may hold, beyond which it is refused (a real reply is far below):
inline constexpr size_t kMaxMailTextLines = 50000;        // lines of its text  -> "too_many_lines"
inline constexpr size_t kMaxMailLineBytes = 64 * 1024;    // bytes in one line   -> "line_too_long"
inline constexpr size_t kMaxMailParts = 100;              // MIME parts          -> "too_many_parts"
inline constexpr int kMaxMailDepth = 20;                  // MIME nesting levels -> "too_deeply_nested"
inline constexpr size_t kMaxMailHeaderLines = 2000;       // top header block    -> "too_many_headers"

struct ParsedAttachment {
    std::string name;          // from Content-Disposition/Content-Type (RFC 2231/2047 decoded), may be ""
    std::string content_type;  // as declared, lower-case "type/subtype" (the server sniffs again)
    std::string bytes;         // transfer-decoded content; empty when refused
    size_t size = 0;           // decoded size, also for refused ones
    bool refused = false;      // over the count or size limit: kept as a mark, no bytes
    std::string refusal;       // "too_many" | "too_large"
};

struct ParsedMail {
    std::string message_id;               // without angle brackets
    std::string in_reply_to;              // first id of In-Reply-To, without brackets
    std::vector<std::string> references;  // in header order, without brackets
    std::string from_name, from_address;  // first mailbox of From (name decoded to UTF-8)
    std::vector<std::string> to, cc;      // addresses only
    std::string subject;                  // RFC 2047 decoded, UTF-8
    std::string text;                     // chosen body as UTF-8 (LF line ends), not stripped
    bool from_html = false;               // text was converted from text/html
    bool auto_reply = false;              // out-of-office, Auto-Submitted, bulk, ...
    std::vector<ParsedAttachment> attachments;
};

// nullopt (with *error set to a sentence and *reason to a refusal code, when not null)
// when the message is empty or not parseable ("unparseable"), over kMaxMailBytes
// ("too_large") or beyond the limits above. Linear time; memory a small multiple of the
// text kept, never of the input's line or part count. Never throws for bad input.
std::optional<ParsedMail> parse_mail(std::string_view raw, std::string* error, std::string* reason = nullptr);

// Whether `text` (any of LF, CRLF, CR line ends) keeps to kMaxMailTextLines and
// kMaxMailLineBytes; else *reason is set. Exposed for tests.
bool mail_text_within_limits(std::string_view text, std::string* reason);

// Bytes in `charset` (any name iconv knows; aliases resolved; ISO-8859-1 read as
// windows-1252) as valid UTF-8. Unknown/failed charsets: kept when valid UTF-8,
// else read as windows-1252. Exposed for tests.
std::string mail_to_utf8(std::string_view bytes, std::string_view charset);

// Whether these header values / subject mark an automatic reply.
bool mail_is_auto_reply(std::string_view auto_submitted, std::string_view precedence,
                        bool has_x_autoreply, std::string_view subject);

}  // namespace parley::server
