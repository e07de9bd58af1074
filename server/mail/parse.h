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

// nullopt (with *error set when error is not null) when the message is empty, over
// kMaxMailBytes, too deeply nested or not parseable as a message. Never throws for
// bad input.
std::optional<ParsedMail> parse_mail(std::string_view raw, std::string* error);

// Bytes in `charset` (any name iconv knows; aliases resolved; ISO-8859-1 read as
// windows-1252) as valid UTF-8. Unknown/failed charsets: kept when valid UTF-8,
// else read as windows-1252. Exposed for tests.
std::string mail_to_utf8(std::string_view bytes, std::string_view charset);

// Whether these header values / subject mark an automatic reply.
bool mail_is_auto_reply(std::string_view auto_submitted, std::string_view precedence,
                        bool has_x_autoreply, std::string_view subject);

}  // namespace parley::server
