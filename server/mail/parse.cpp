// Inbound e-mail parsing with GMime 3. See parse.h.
//
// Index: GMime set-up and text helpers (charsets, valid UTF-8, format=flowed, line
// ends) · leaf parts (transfer decoding, text vs attachment, limits) · addresses ·
// mail_to_utf8 · parse_mail (headers, threading ids, auto-reply signs, body, attachments)
#include "server/mail/parse.h"

#include <gmime/gmime.h>

#include <algorithm>
#include <mutex>

#include "net/wire.h"
#include "server/mail/html_text.h"

namespace parley::server {

static_assert(kMaxMailAttachments == parley::kMaxAttachmentsPerMessage);
static_assert(static_cast<int64_t>(kMaxMailAttachmentBytes) == parley::kMaxUploadBytes);

namespace {

constexpr size_t kMaxNestingMarks = 400;  // "multipart/" + "message/rfc822" in the raw text
// Lines starting with "--" bound the parts GMime builds (each part opens with one).
constexpr size_t kMaxDashLines = 10 * kMaxMailParts;

// Counts lines (LF, CRLF or CR) and the longest one over chunks of a stream.
struct LineCount {
    size_t lines = 0, longest = 0, current = 0;
    bool after_cr = false, any = false;
    void add(const char* p, size_t n) {
        for (size_t i = 0; i < n; ++i) {
            char c = p[i];
            any = true;
            if (c == '\n' && after_cr) {
                after_cr = false;
                continue;  // the LF of a CRLF
            }
            after_cr = c == '\r';
            if (c == '\n' || c == '\r') {
                ++lines;
                current = 0;
            } else if (++current > longest) {
                longest = current;
            }
        }
    }
    // The reason this text is refused for, "" when within the limits.
    const char* refusal() const {
        if (lines + (current > 0 ? 1 : 0) > kMaxMailTextLines) return "too_many_lines";
        if (longest > kMaxMailLineBytes) return "line_too_long";
        return "";
    }
};

void init_gmime() {
    static std::once_flag once;
    std::call_once(once, [] { g_mime_init(); });
}

// Owning wrapper for GObject references.
template <class T>
struct GRef {
    T* p = nullptr;
    explicit GRef(T* v = nullptr) : p(v) {}
    ~GRef() { if (p) g_object_unref(p); }
    GRef(const GRef&) = delete;
    GRef& operator=(const GRef&) = delete;
};

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    return out;
}

std::string_view trim_sv(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

std::string make_valid(std::string_view s) {
    gchar* v = g_utf8_make_valid(s.data(), static_cast<gssize>(s.size()));
    std::string out(v ? v : "");
    g_free(v);
    // NUL bytes are legal UTF-8 but never wanted in text.
    out.erase(std::remove(out.begin(), out.end(), '\0'), out.end());
    return out;
}

std::string convert(std::string_view bytes, const char* from) {
    gsize written = 0;
    GError* err = nullptr;
    gchar* out = g_convert(bytes.data(), static_cast<gssize>(bytes.size()), "UTF-8", from, nullptr,
                           &written, &err);
    if (!out) {
        if (err) g_error_free(err);
        return {};
    }
    std::string s(out, written);
    g_free(out);
    return s;
}

std::string cstr(const char* s) { return s ? std::string(s) : std::string(); }

std::string strip_brackets(std::string_view id) {
    id = trim_sv(id);
    if (!id.empty() && id.front() == '<') id.remove_prefix(1);
    if (!id.empty() && id.back() == '>') id.remove_suffix(1);
    return std::string(trim_sv(id));
}

std::string header(GMimeObject* obj, const char* name) { return cstr(g_mime_object_get_header(obj, name)); }

// RFC 3676 format=flowed: a line ending in a space continues on the next one.
std::string unflow(std::string_view text, bool delsp) {
    std::string out;
    size_t start = 0;
    bool joining = false;
    while (start <= text.size()) {
        size_t e = text.find('\n', start);
        if (e == std::string_view::npos) e = text.size();
        std::string_view line = text.substr(start, e - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        size_t depth = 0;
        while (depth < line.size() && line[depth] == '>') ++depth;
        std::string_view body = line.substr(depth);
        if (!body.empty() && body[0] == ' ') body.remove_prefix(1);  // space-stuffing
        if (!joining) {
            out.append(depth, '>');
            if (depth > 0) out += ' ';
        }
        bool sig = body == "-- ";
        bool soft = !sig && !body.empty() && body.back() == ' ';
        if (soft && delsp) body.remove_suffix(1);
        out.append(body);
        joining = soft;
        if (!soft && e < text.size()) out += '\n';
        if (e == text.size()) break;
        start = e + 1;
    }
    return out;
}

std::string normalize_newlines(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\r') {
            out += '\n';
            if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
        } else {
            out += s[i];
        }
    }
    return out;
}

// The transfer-decoded content of a leaf part, read in chunks: at most `keep` bytes are
// kept (*size tells the whole decoded size). With `lines`, a text part stops as soon
// as it is beyond the line limits (its refusal is then set): no copy of a pathological
// text is ever made.
std::string part_bytes(GMimePart* part, size_t keep = kMaxMailBytes, size_t* size = nullptr,
                       LineCount* lines = nullptr) {
    if (size) *size = 0;
    GMimeDataWrapper* w = g_mime_part_get_content(part);
    GMimeStream* src = w ? g_mime_data_wrapper_get_stream(w) : nullptr;
    if (!src) return {};
    g_mime_stream_reset(src);
    GRef<GMimeStream> filtered(g_mime_stream_filter_new(src));
    GMimeContentEncoding enc = g_mime_data_wrapper_get_encoding(w);
    if (enc != GMIME_CONTENT_ENCODING_DEFAULT) {
        GMimeFilter* f = g_mime_filter_basic_new(enc, FALSE);
        g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered.p), f);
        g_object_unref(f);
    }
    std::string out;
    size_t total = 0;
    char buf[64 * 1024];
    for (;;) {
        ssize_t n = g_mime_stream_read(filtered.p, buf, sizeof buf);
        if (n <= 0) break;
        total += static_cast<size_t>(n);
        if (out.size() < keep) out.append(buf, std::min(static_cast<size_t>(n), keep - out.size()));
        if (lines) {
            lines->add(buf, static_cast<size_t>(n));
            if (*lines->refusal()) break;
        }
    }
    if (size) *size = total;
    return out;
}

struct Walk {
    explicit Walk(ParsedMail& m) : mail(m) {}
    ParsedMail& mail;
    std::string plain, html;
    bool have_plain = false, have_html = false;
    size_t accepted = 0;
    size_t parts = 0;
    std::string refusal;  // a limit was passed: the mail is refused

    // An attachment part: its bytes are kept only up to the size limit.
    void attach_part(GMimePart* part, std::string name, std::string type) {
        size_t size = 0;
        std::string bytes = part_bytes(part, kMaxMailAttachmentBytes + 1, &size);
        attach(std::move(name), std::move(type), std::move(bytes), size);
    }

    void attach(std::string name, std::string type, std::string bytes, size_t size) {
        ParsedAttachment a;
        a.name = make_valid(name);
        a.content_type = std::move(type);
        a.size = size;
        if (a.size > kMaxMailAttachmentBytes) {
            a.refused = true;
            a.refusal = "too_large";
        } else if (accepted >= kMaxMailAttachments) {
            a.refused = true;
            a.refusal = "too_many";
        } else {
            a.bytes = std::move(bytes);
            ++accepted;
        }
        if (a.refused) std::string().swap(a.bytes);
        mail.attachments.push_back(std::move(a));
    }

    void leaf(GMimeObject* obj, bool in_related) {
        GMimePart* part = GMIME_PART(obj);
        GMimeContentType* ct = g_mime_object_get_content_type(obj);
        char* mt = ct ? g_mime_content_type_get_mime_type(ct) : nullptr;
        std::string type = lower_ascii(mt ? mt : "text/plain");
        g_free(mt);
        std::string disp = lower_ascii(cstr(g_mime_object_get_disposition(obj)));
        std::string name = cstr(g_mime_part_get_filename(part));
        bool attachment = disp == "attachment" || (!name.empty() && type.rfind("text/", 0) != 0);
        if (!attachment && (type == "text/plain" || type == "text/html")) {
            bool is_plain = type == "text/plain";
            if ((is_plain && have_plain) || (!is_plain && have_html)) {
                if (disp != "inline" || !name.empty()) attach_part(part, name, type);
                return;  // a second inline body of the same type: ignored
            }
            std::string charset = cstr(g_mime_object_get_content_type_parameter(obj, "charset"));
            // The limits on lines hold for the plain text as sent; an HTML body is checked
            // on the text made from it.
            LineCount count;
            std::string bytes = part_bytes(part, kMaxMailBytes, nullptr, is_plain ? &count : nullptr);
            if (*count.refusal()) {
                refusal = count.refusal();
                return;
            }
            std::string text = mail_to_utf8(bytes, charset);
            std::string().swap(bytes);
            if (is_plain) {
                std::string fmt = lower_ascii(cstr(g_mime_object_get_content_type_parameter(obj, "format")));
                std::string delsp = lower_ascii(cstr(g_mime_object_get_content_type_parameter(obj, "delsp")));
                text = normalize_newlines(text);
                if (fmt == "flowed") text = unflow(text, delsp == "yes");
                plain = std::move(text);
                have_plain = true;
            } else {
                html = std::move(text);
                have_html = true;
            }
            return;
        }
        // Signatures of signed mail are no documents.
        if (type == "application/pgp-signature" || type == "application/pkcs7-signature" ||
            type == "application/x-pkcs7-signature")
            return;
        // Inline images of an HTML body (signature logos) are decoration, not attachments.
        if (in_related && disp != "attachment" && g_mime_object_get_content_id(obj)) return;
        if (!attachment && type.rfind("text/", 0) == 0 && disp != "attachment") return;  // text/calendar etc. inline
        attach_part(part, name, type);
    }

    void walk(GMimeObject* obj, int depth, bool in_related) {
        if (!obj || !refusal.empty()) return;
        if (depth > kMaxMailDepth) {
            refusal = "too_deeply_nested";
            return;
        }
        if (++parts > kMaxMailParts) {
            refusal = "too_many_parts";
            return;
        }
        if (GMIME_IS_MULTIPART(obj)) {
            GMimeMultipart* mp = GMIME_MULTIPART(obj);
            GMimeContentType* ct = g_mime_object_get_content_type(obj);
            const char* sub = ct ? g_mime_content_type_get_media_subtype(ct) : nullptr;
            bool related = sub && lower_ascii(sub) == "related";
            int n = g_mime_multipart_get_count(mp);
            for (int i = 0; i < n; ++i) walk(g_mime_multipart_get_part(mp, i), depth + 1, related);
        } else if (GMIME_IS_MESSAGE_PART(obj)) {
            // A forwarded message as attachment: kept as an .eml attachment.
            GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
            std::string bytes;
            if (inner) {
                GRef<GMimeStream> mem(g_mime_stream_mem_new());
                g_mime_object_write_to_stream(GMIME_OBJECT(inner), nullptr, mem.p);
                GByteArray* arr = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.p));
                if (arr) bytes.assign(reinterpret_cast<const char*>(arr->data), arr->len);
            }
            std::string name = cstr(inner ? g_mime_message_get_subject(inner) : nullptr);
            size_t size = bytes.size();
            attach(name.empty() ? "message.eml" : name + ".eml", "message/rfc822", std::move(bytes), size);
        } else if (GMIME_IS_PART(obj)) {
            leaf(obj, in_related);
        }
    }
};

void addresses(InternetAddressList* list, std::vector<std::string>& out, int depth = 0) {
    if (!list || depth > 4) return;
    int n = internet_address_list_length(list);
    for (int i = 0; i < n && out.size() < 500; ++i) {
        InternetAddress* a = internet_address_list_get_address(list, i);
        if (INTERNET_ADDRESS_IS_MAILBOX(a)) {
            std::string addr = cstr(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a)));
            if (!addr.empty()) out.push_back(make_valid(addr));
        } else if (INTERNET_ADDRESS_IS_GROUP(a)) {
            addresses(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(a)), out, depth + 1);
        }
    }
}

std::string casefold(std::string_view s) {
    gchar* f = g_utf8_casefold(s.data(), static_cast<gssize>(s.size()));
    std::string out(f ? f : "");
    g_free(f);
    return out;
}

}  // namespace

std::string mail_to_utf8(std::string_view bytes, std::string_view charset_in) {
    std::string cs = lower_ascii(trim_sv(charset_in));
    if (!cs.empty() && (cs.front() == '"' || cs.front() == '\'')) cs = cs.substr(1);
    if (!cs.empty() && (cs.back() == '"' || cs.back() == '\'')) cs.pop_back();
    bool valid = g_utf8_validate(bytes.data(), static_cast<gssize>(bytes.size()), nullptr);
    if (cs.empty() || cs == "utf-8" || cs == "utf8" || cs == "us-ascii" || cs == "ascii") {
        if (valid) return make_valid(bytes);
        std::string s = convert(bytes, "WINDOWS-1252");
        return make_valid(s.empty() ? bytes : std::string_view(s));
    }
    // Windows-1252 is what "ISO-8859-1" senders really mean (curly quotes, €).
    std::string name = (cs == "iso-8859-1" || cs == "latin1" || cs == "iso_8859-1" || cs == "latin-1")
                           ? std::string("WINDOWS-1252")
                           : std::string(g_mime_charset_iconv_name(cs.c_str()));
    std::string s = convert(bytes, name.c_str());
    if (!s.empty() || bytes.empty()) return make_valid(s);
    if (valid) return make_valid(bytes);
    s = convert(bytes, "WINDOWS-1252");
    if (s.empty()) s = convert(bytes, "ISO-8859-1");
    return make_valid(s);
}

bool mail_is_auto_reply(std::string_view auto_submitted, std::string_view precedence,
                        bool has_x_autoreply, std::string_view subject) {
    std::string as = lower_ascii(trim_sv(auto_submitted));
    if (!as.empty() && as.rfind("no", 0) != 0) return true;
    std::string pr = lower_ascii(trim_sv(precedence));
    if (pr == "bulk" || pr == "junk" || pr == "list" || pr == "auto_reply") return true;
    if (has_x_autoreply) return true;
    static constexpr std::string_view kSubjects[] = {
        // en
        "out of office", "out of the office", "automatic reply", "auto-reply", "autoreply",
        "auto reply", "away from the office", "on vacation",
        // es
        "respuesta automática", "fuera de la oficina", "fuera de oficina", "ausencia de la oficina",
        "estoy de vacaciones",
        // fr
        "réponse automatique", "absent du bureau", "absence du bureau", "message d'absence",
        "réponse automatique d'absence",
        // de
        "automatische antwort", "abwesenheitsnotiz", "abwesend", "nicht im büro",
        "automatische rückantwort",
        // it
        "risposta automatica", "fuori ufficio", "fuori sede", "assente dall'ufficio",
        // pt
        "resposta automática", "fora do escritório", "ausente do escritório", "ausência",
    };
    std::string s = casefold(subject);
    for (auto k : kSubjects)
        if (s.find(k) != std::string::npos) return true;
    return false;
}

bool mail_text_within_limits(std::string_view text, std::string* reason) {
    LineCount count;
    count.add(text.data(), text.size());
    if (!*count.refusal()) return true;
    if (reason) *reason = count.refusal();
    return false;
}

std::optional<ParsedMail> parse_mail(std::string_view raw, std::string* error, std::string* reason) {
    auto fail = [&](const char* code, const char* why) -> std::optional<ParsedMail> {
        if (error) *error = why;
        if (reason) *reason = code;
        return std::nullopt;
    };
    auto refuse = [&](const std::string& code) {
        if (code == "too_many_lines")
            return fail("too_many_lines", "the text has more than 50,000 lines");
        if (code == "line_too_long") return fail("line_too_long", "a line of the text is longer than 64 KB");
        if (code == "too_many_parts") return fail("too_many_parts", "the message has more than 100 MIME parts");
        if (code == "too_many_headers")
            return fail("too_many_headers", "the message has more than 2,000 header lines");
        return fail("too_deeply_nested", "MIME structure too deeply nested");
    };
    if (trim_sv(raw).empty()) return fail("unparseable", "empty message");
    if (raw.size() > kMaxMailBytes) return fail("too_large", "message larger than 25 MB");
    // One pass before GMime builds anything: its parser recurses per nesting level and
    // makes an object per part and per header line, so absurd structures are refused
    // up front.
    size_t marks = 0, dash_lines = 0, header_lines = 0;
    bool in_header = true;
    for (size_t i = 0; i < raw.size(); ++i) {
        char c = raw[i];
        if ((c | 0x20) == 'm' && i + 9 <= raw.size() &&
            (g_ascii_strncasecmp(raw.data() + i, "multipart", 9) == 0 ||
             g_ascii_strncasecmp(raw.data() + i, "message/", 8) == 0))
            ++marks;
        bool line_start = i == 0 || raw[i - 1] == '\n';
        if (!line_start) continue;
        if (c == '-' && i + 1 < raw.size() && raw[i + 1] == '-') ++dash_lines;
        if (in_header) {
            if (c == '\n' || (c == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n')) in_header = false;
            else ++header_lines;
        }
    }
    if (marks > kMaxNestingMarks) return refuse("too_deeply_nested");
    if (dash_lines > kMaxDashLines) return refuse("too_many_parts");
    if (header_lines > kMaxMailHeaderLines) return refuse("too_many_headers");

    init_gmime();
    // GMime reads the caller's bytes in place (not the owner: no copy of the message);
    // `view` outlives the stream, the parser and the message below.
    GByteArray view{};
    view.data = reinterpret_cast<guint8*>(const_cast<char*>(raw.data()));
    view.len = static_cast<guint>(raw.size());
    GRef<GMimeStream> stream(g_mime_stream_mem_new());
    g_mime_stream_mem_set_byte_array(GMIME_STREAM_MEM(stream.p), &view);
    GRef<GMimeParser> parser(g_mime_parser_new_with_stream(stream.p));
    GMimeParserOptions* opts = g_mime_parser_options_new();
    const char* fallback[] = {"UTF-8", "WINDOWS-1252", nullptr};
    g_mime_parser_options_set_fallback_charsets(opts, fallback);
    g_mime_parser_options_set_rfc2047_compliance_mode(opts, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_address_compliance_mode(opts, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_parameter_compliance_mode(opts, GMIME_RFC_COMPLIANCE_LOOSE);
    GRef<GMimeMessage> msg(g_mime_parser_construct_message(parser.p, opts));
    if (!msg.p) {
        g_mime_parser_options_free(opts);
        return fail("unparseable", "not a parseable e-mail message");
    }
    GMimeObject* obj = GMIME_OBJECT(msg.p);

    ParsedMail mail;
    mail.message_id = make_valid(cstr(g_mime_message_get_message_id(msg.p)));
    std::string irt = header(obj, "In-Reply-To");
    if (!irt.empty()) {
        GMimeReferences* r = g_mime_references_parse(opts, irt.c_str());
        if (r && g_mime_references_length(r) > 0)
            mail.in_reply_to = make_valid(cstr(g_mime_references_get_message_id(r, 0)));
        else
            mail.in_reply_to = make_valid(strip_brackets(irt));
        if (r) g_mime_references_free(r);
    }
    std::string refs = header(obj, "References");
    if (!refs.empty()) {
        GMimeReferences* r = g_mime_references_parse(opts, refs.c_str());
        int n = r ? g_mime_references_length(r) : 0;
        for (int i = 0; i < n && i < 200; ++i)
            mail.references.push_back(make_valid(cstr(g_mime_references_get_message_id(r, i))));
        if (r) g_mime_references_free(r);
    }
    g_mime_parser_options_free(opts);

    InternetAddressList* from = g_mime_message_get_from(msg.p);
    if (from && internet_address_list_length(from) > 0) {
        InternetAddress* a = internet_address_list_get_address(from, 0);
        if (INTERNET_ADDRESS_IS_MAILBOX(a)) {
            mail.from_address = make_valid(cstr(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a))));
            mail.from_name = make_valid(cstr(internet_address_get_name(a)));
        }
    }
    addresses(g_mime_message_get_to(msg.p), mail.to);
    addresses(g_mime_message_get_cc(msg.p), mail.cc);
    mail.subject = make_valid(cstr(g_mime_message_get_subject(msg.p)));

    mail.auto_reply = mail_is_auto_reply(
        header(obj, "Auto-Submitted"), header(obj, "Precedence"),
        g_mime_object_get_header(obj, "X-Autoreply") || g_mime_object_get_header(obj, "X-Autorespond"),
        mail.subject);

    Walk w(mail);
    w.walk(g_mime_message_get_mime_part(msg.p), 0, false);
    if (!w.refusal.empty()) return refuse(w.refusal);
    if (w.have_plain && !trim_sv(w.plain).empty()) {
        mail.text = std::move(w.plain);
    } else if (w.have_html) {
        std::string().swap(w.plain);
        mail.text = html_to_text(w.html);
        mail.from_html = true;
    } else {
        mail.text = std::move(w.plain);
    }
    std::string why;
    if (!mail_text_within_limits(mail.text, &why)) return refuse(why);
    return mail;
}

}  // namespace parley::server
