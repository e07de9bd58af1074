// Outbound e-mail composition. See compose.h.
#include "server/mail/compose.h"

#include <sodium.h>

#include <ctime>

namespace parley::server {
namespace {

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kHex[] = "0123456789ABCDEF";

std::string base64(std::string_view in) {
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
        out += kB64[v >> 18];
        out += kB64[(v >> 12) & 63];
        out += kB64[(v >> 6) & 63];
        out += kB64[v & 63];
    }
    if (i < in.size()) {
        uint32_t v = uint8_t(in[i]) << 16;
        if (i + 1 < in.size()) v |= uint8_t(in[i + 1]) << 8;
        out += kB64[v >> 18];
        out += kB64[(v >> 12) & 63];
        out += i + 1 < in.size() ? kB64[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

bool needs_encoding(std::string_view s) {
    for (unsigned char c : s)
        if (c < 0x20 || c >= 0x7f) return true;
    return s.find("=?") != std::string_view::npos;
}

std::string random_token(size_t n) {
    static constexpr char kAlpha[] = "abcdefghijklmnopqrstuvwxyz234567";
    // One call for all the bytes (each randombytes_uniform is a getrandom system call);
    // 32 divides 256, so the low five bits of a random byte are uniform.
    std::string out(n, 'a');
    randombytes_buf(out.data(), n);
    for (char& c : out) c = kAlpha[static_cast<unsigned char>(c) & 31];
    return out;
}

// "Name: value" folded at spaces so that lines stay within 78 characters when possible.
std::string header(std::string_view name, std::string_view value) {
    std::string out(name);
    out += ": ";
    size_t line = out.size();
    size_t i = 0;
    while (i < value.size()) {
        // The next "word" runs up to (not including) the next space or fold.
        size_t j = value.find(' ', i + 1);
        if (j == std::string_view::npos) j = value.size();
        std::string_view word = value.substr(i, j - i);
        if (line + word.size() > 78 && line > name.size() + 2 && word[0] == ' ') {
            out += "\r\n";
            out += word;  // keeps the leading space as the fold's whitespace
            line = word.size();
        } else {
            out += word;
            line += word.size();
        }
        i = j;
    }
    out += "\r\n";
    return out;
}

}  // namespace

std::string header_clean(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    return out;
}

std::string encode_header_text(std::string_view utf8) {
    std::string s = header_clean(utf8);
    if (!needs_encoding(s)) return s;
    std::string out;
    size_t i = 0;
    while (i < s.size()) {
        size_t end = std::min(s.size(), i + 36);
        // Back off to a character boundary (not inside a continuation byte run).
        while (end < s.size() && end > i && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
        if (end == i) end = std::min(s.size(), i + 36);  // malformed UTF-8: split anyway
        if (!out.empty()) out += " ";
        out += "=?UTF-8?B?" + base64(std::string_view(s).substr(i, end - i)) + "?=";
        i = end;
    }
    return out;
}

std::string format_address(const MailAddress& a) {
    std::string addr = header_clean(a.address);
    std::string name = header_clean(a.name);
    if (name.empty()) return addr;
    if (needs_encoding(name)) return encode_header_text(name) + " <" + addr + ">";
    bool special = false;
    for (char c : name)
        if (std::string_view("()<>[]:;@\\,.\"").find(c) != std::string_view::npos) special = true;
    if (!special) return name + " <" + addr + ">";
    std::string q = "\"";
    for (char c : name) {
        if (c == '"' || c == '\\') q += '\\';
        q += c;
    }
    return q + "\" <" + addr + ">";
}

std::string rfc5322_date(int64_t unix_ms) {
    time_t t = static_cast<time_t>(unix_ms / 1000);
    tm g{};
    gmtime_r(&t, &g);
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char buf[64];
    snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[g.tm_wday], g.tm_mday,
             kMonths[g.tm_mon], g.tm_year + 1900, g.tm_hour, g.tm_min, g.tm_sec);
    return buf;
}

std::string quoted_printable(std::string_view text) {
    // Written through a pointer into a buffer sized for the worst case (every byte
    // encoded: 3 chars, plus soft breaks and CRs), then cut: a notification's body is
    // encoded for every mail, on the mail thread that shares the cores with the posts.
    std::string out(4 * text.size() + 16, '\0');
    char* o = out.data();
    size_t start = 0;
    while (start <= text.size()) {
        size_t nl = text.find('\n', start);
        bool last = nl == std::string_view::npos;
        std::string_view line = text.substr(start, last ? std::string_view::npos : nl - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (last && line.empty() && start > 0) break;  // text ended with a newline
        size_t col = 0;
        const size_t n = line.size();
        for (size_t i = 0; i < n; ++i) {
            const unsigned char c = static_cast<unsigned char>(line[i]);
            const bool at_end = i + 1 == n;
            const bool encode = c == '=' || c >= 0x7f || (c < 0x20 && c != '\t') ||
                                ((c == ' ' || c == '\t') && at_end) || (i == 0 && c == '.') ||
                                (i == 0 && c == 'F' && line.substr(0, 5) == "From ");
            const size_t w = encode ? 3 : 1;
            // Keep room for the soft break "=" unless this is the line's last token.
            if (col + w > (at_end ? 76u : 75u)) {
                *o++ = '=';
                *o++ = '\r';
                *o++ = '\n';
                col = 0;
            }
            if (encode) {
                *o++ = '=';
                *o++ = kHex[c >> 4];
                *o++ = kHex[c & 15];
            } else {
                *o++ = static_cast<char>(c);
            }
            col += w;
        }
        *o++ = '\r';
        *o++ = '\n';
        if (last) break;
        start = nl + 1;
    }
    out.resize(static_cast<size_t>(o - out.data()));
    return out;
}

std::string base64_lines(std::string_view data) {
    std::string b = base64(data), out;
    for (size_t i = 0; i < b.size(); i += 76) out += b.substr(i, 76) + "\r\n";
    return out;
}

std::string new_message_id(std::string_view domain) {
    std::string id = "<";
    id += sodium_init() < 0 ? std::to_string(time(nullptr)) : random_token(26);
    id += "@";
    id += header_clean(domain);
    return id + ">";
}

std::string compose_message(const ComposeInput& in) {
    std::string m;
    m += header("From", format_address(in.from));
    m += header("To", format_address(in.to));
    if (!in.reply_to.empty()) m += header("Reply-To", header_clean(in.reply_to));
    m += header("Subject", encode_header_text(in.subject));
    m += header("Date", rfc5322_date(in.date_ms));
    m += header("Message-ID", header_clean(in.message_id));
    if (!in.in_reply_to.empty()) m += header("In-Reply-To", header_clean(in.in_reply_to));
    if (!in.references.empty()) {
        std::string refs;
        for (const auto& r : in.references) {
            if (!refs.empty()) refs += ' ';
            refs += header_clean(r);
        }
        m += header("References", refs);
    }
    if (in.auto_submitted) {
        m += "Auto-Submitted: auto-generated\r\n";
        m += "X-Auto-Response-Suppress: All\r\n";
    }
    m += "MIME-Version: 1.0\r\n";
    const std::string text_part =
        "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
        quoted_printable(in.text);
    if (in.html.empty()) return m + text_part;
    std::string b = in.boundary.empty() ? "=_parley_" + random_token(24) : in.boundary;
    m += header("Content-Type", "multipart/alternative; boundary=\"" + b + "\"") + "\r\n";
    m += "This is a multi-part message in MIME format.\r\n";
    m += "--" + b + "\r\n" + text_part;
    m += "--" + b + "\r\n";
    m += "Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";
    m += quoted_printable(in.html);
    m += "--" + b + "--\r\n";
    return m;
}

nlohmann::json mail_headers(const std::string& raw) {
    nlohmann::json h = nlohmann::json::object();
    size_t end = raw.find("\r\n\r\n");
    std::string block = raw.substr(0, end);
    std::string name, value;
    auto flush = [&] {
        if (!name.empty() && !h.contains(name)) h[name] = value;
        name.clear();
        value.clear();
    };
    size_t start = 0;
    while (start < block.size()) {
        size_t nl = block.find("\r\n", start);
        std::string line = block.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
        if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
            value += line;  // folded: the CRLF goes, the whitespace stays
        } else {
            flush();
            size_t colon = line.find(':');
            if (colon != std::string::npos) {
                name = line.substr(0, colon);
                value = line.substr(colon + 1);
                if (!value.empty() && value[0] == ' ') value.erase(0, 1);
            }
        }
        if (nl == std::string::npos) break;
        start = nl + 2;
    }
    flush();
    return h;
}

}  // namespace parley::server
