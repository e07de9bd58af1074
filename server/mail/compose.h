// Outbound e-mail composition, pure: builds one RFC 5322 message —
// multipart/alternative text + HTML in UTF-8, quoted-printable bodies with lines of at
// most 76 characters, RFC 2047 encoded-words for non-ASCII subjects and display names,
// own Message-ID, In-Reply-To/References threading and Auto-Submitted.
// CR and LF in header inputs are replaced by spaces (no header injection).
#pragma once
#include <nlohmann/json.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace parley::server {

struct MailAddress {
    std::string name;     // display name, any UTF-8 ("" = bare address)
    std::string address;  // addr-spec, ASCII
};

struct ComposeInput {
    MailAddress from, to;
    std::string reply_to;            // bare address ("" = none)
    std::string subject;             // UTF-8
    std::string text;                // text/plain body, UTF-8, "\n" line ends
    std::string html;                // text/html body ("" = text only)
    std::string message_id;          // with angle brackets, e.g. new_message_id()
    std::string in_reply_to;         // with angle brackets ("" = none)
    std::vector<std::string> references;  // oldest first, with angle brackets
    bool auto_submitted = false;     // "Auto-Submitted: auto-generated" (notifications)
    int64_t date_ms = 0;             // Unix milliseconds for the Date header
    std::string boundary;            // "" = random
};

// The whole message, CRLF line ends, ready for SMTP DATA.
std::string compose_message(const ComposeInput& in);

// "<random@domain>" (26 random base32 characters).
std::string new_message_id(std::string_view domain);

// RFC 2047: the text unchanged when it is printable ASCII without "=?", otherwise
// "=?UTF-8?B?...?=" words of at most 36 input bytes each (never splitting a UTF-8
// sequence), separated by single spaces (headers are folded there when long).
std::string encode_header_text(std::string_view utf8);
// "Name <addr>": ASCII names as a quoted string when they contain specials, non-ASCII
// names as encoded-words; a bare address when the name is empty.
std::string format_address(const MailAddress& a);
// RFC 5322 date, UTC: "Fri, 27 Nov 2026 05:38:45 +0000".
std::string rfc5322_date(int64_t unix_ms);
// Quoted-printable (RFC 2045) of UTF-8 text with "\n" or "\r\n" line ends; output uses
// CRLF, lines ≤ 76 characters; leading "." and "From " are encoded too.
std::string quoted_printable(std::string_view text);
// Base64 in lines of 76 characters, CRLF-terminated.
std::string base64_lines(std::string_view data);
// (HTML escaping: html_escape in server/base/text.h.)
// Header-safe copy: CR, LF and other control characters become spaces.
std::string header_clean(std::string_view s);

// The header block of a raw message as name → unfolded value (first occurrence wins).
nlohmann::json mail_headers(const std::string& raw);

}  // namespace parley::server
