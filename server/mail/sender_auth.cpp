// E-mail in: the sender's proof from Authentication-Results. See sender_auth.h.
#include "server/mail/sender_auth.h"

#include "server/base/text.h"
#include "server/mail/header_block.h"

namespace parley::server {

namespace {

constexpr size_t kMaxFields = 50;
constexpr size_t kMaxFieldBytes = 16 * 1024;

// The value without (comments), which may nest; quoted strings are kept as they are.
std::string strip_comments(std::string_view v) {
    std::string out;
    int depth = 0;
    bool quoted = false;
    for (size_t i = 0; i < v.size(); ++i) {
        char c = v[i];
        if (quoted) {
            out += c;
            if (c == '\\' && i + 1 < v.size()) out += v[++i];
            else if (c == '"') quoted = false;
        } else if (depth > 0) {
            if (c == '\\') ++i;
            else if (c == '(') ++depth;
            else if (c == ')') --depth;
        } else if (c == '(') {
            depth = 1;
            out += ' ';
        } else {
            if (c == '"') quoted = true;
            out += c;
        }
    }
    return out;
}

// Splits on ';' outside quoted strings.
std::vector<std::string> split_semicolons(const std::string& v) {
    std::vector<std::string> parts(1);
    bool quoted = false;
    for (size_t i = 0; i < v.size(); ++i) {
        char c = v[i];
        if (quoted && c == '\\' && i + 1 < v.size()) {
            parts.back() += c;
            parts.back() += v[++i];
            continue;
        }
        if (c == '"') quoted = !quoted;
        if (c == ';' && !quoted) parts.emplace_back();
        else parts.back() += c;
    }
    return parts;
}

// Words, quoted strings (unquoted) and "=" as separate tokens.
std::vector<std::string> tokens(std::string_view s) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i < s.size()) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            ++i;
        } else if (c == '=') {
            out.emplace_back("=");
            ++i;
        } else if (c == '"') {
            std::string w;
            for (++i; i < s.size() && s[i] != '"'; ++i) {
                if (s[i] == '\\' && i + 1 < s.size()) ++i;
                w += s[i];
            }
            ++i;
            out.push_back(std::move(w));
        } else {
            size_t j = i;
            while (j < s.size() && s[j] != ' ' && s[j] != '\t' && s[j] != '=' && s[j] != '"' && s[j] != '\r' &&
                   s[j] != '\n')
                ++j;
            out.emplace_back(s.substr(i, j - i));
            i = j;
        }
    }
    return out;
}

AuthResultsField parse_field(std::string_view value) {
    AuthResultsField f;
    auto parts = split_semicolons(strip_comments(value));
    auto head = tokens(parts[0]);
    if (!head.empty()) f.authserv_id = ascii_lower(head[0]);
    for (size_t p = 1; p < parts.size(); ++p) {
        auto t = tokens(parts[p]);
        // key = value pairs, in order; the first is method[/version] = result.
        AuthResult r;
        for (size_t i = 0; i + 2 < t.size();) {
            if (t[i] == "=" || t[i + 1] != "=" || t[i + 2] == "=") {
                ++i;
                continue;
            }
            std::string key = ascii_lower(t[i]), val = t[i + 2];
            if (r.method.empty()) {
                size_t slash = key.find('/');
                r.method = key.substr(0, slash);
                r.result = ascii_lower(val);
            } else {
                r.props.emplace_back(std::move(key), std::move(val));
            }
            i += 3;
        }
        if (!r.method.empty()) f.results.push_back(std::move(r));
    }
    return f;
}

// Country two-level public suffixes under which a registrable domain has three labels.
bool two_level_suffix(std::string_view second, std::string_view tld) {
    if (tld.size() != 2) return false;
    for (std::string_view s : {"co", "com", "net", "org", "gov", "ac", "edu", "ne", "or", "go", "gob", "nic"})
        if (second == s) return true;
    return false;
}

}  // namespace

std::string AuthResult::prop(std::string_view name) const {
    for (const auto& [k, v] : props)
        if (k == name) return v;
    return {};
}

std::vector<AuthResultsField> parse_authentication_results(std::string_view raw) {
    std::vector<AuthResultsField> out;
    for_each_top_header(raw, {"authentication-results"}, kMaxFieldBytes, [&](std::string_view, const std::string& v) {
        out.push_back(parse_field(v));
        return out.size() < kMaxFields;
    });
    return out;
}

std::string address_domain(std::string_view address) {
    address = trim(address);
    if (!address.empty() && address.front() == '<') address.remove_prefix(1);
    if (!address.empty() && address.back() == '>') address.remove_suffix(1);
    size_t at = address.rfind('@');
    std::string_view d = at == std::string_view::npos ? address : address.substr(at + 1);
    while (!d.empty() && d.back() == '.') d.remove_suffix(1);
    return ascii_lower(trim(d));
}

std::string organisational_domain(std::string_view domain) {
    std::string d = ascii_lower(trim(domain));
    while (!d.empty() && d.back() == '.') d.pop_back();
    std::vector<std::string_view> labels;
    std::string_view rest = d;
    while (!rest.empty()) {
        size_t dot = rest.rfind('.');
        labels.push_back(dot == std::string_view::npos ? rest : rest.substr(dot + 1));
        rest = dot == std::string_view::npos ? std::string_view{} : rest.substr(0, dot);
    }
    // labels: top-level first.
    size_t keep = labels.size() >= 3 && two_level_suffix(labels[1], labels[0]) ? 3 : 2;
    if (labels.size() <= keep) return d;
    size_t start = d.size();
    for (size_t i = 0; i < keep; ++i) start -= labels[i].size() + (i + 1 < keep ? 1 : 0);
    return d.substr(start);
}

bool domains_aligned(std::string_view a, std::string_view b) {
    std::string oa = organisational_domain(a), ob = organisational_domain(b);
    return !oa.empty() && oa.find('.') != std::string::npos && oa == ob;
}

SenderVerdict check_sender(std::string_view raw, std::string_view from_address, std::string_view trusted_authserv_id,
                           bool has_envelope, std::string_view envelope_from) {
    SenderVerdict v;
    if (trim(trusted_authserv_id).empty()) {
        v.reason = "not_configured";
        return v;
    }
    if (has_envelope && trim(envelope_from).empty()) {  // <>: a bounce, never a reply
        v.reason = "null_sender";
        return v;
    }
    const std::string from_domain = address_domain(from_address);
    const std::string trusted = ascii_lower(trim(trusted_authserv_id));
    const AuthResultsField* field = nullptr;
    auto fields = parse_authentication_results(raw);
    for (const auto& f : fields)
        if (f.authserv_id == trusted) {
            field = &f;  // the topmost: our MTA's own
            break;
        }
    if (!field || from_domain.empty()) {
        v.reason = "no_trusted_results";
        return v;
    }
    std::string why = "not_aligned";
    for (const auto& r : field->results) {
        if (r.method == "dmarc") {
            std::string hf = ascii_lower(r.prop("header.from"));
            if (r.result == "pass" && (hf.empty() || hf == from_domain)) {
                v.verified = true;
                v.reason = "dmarc";
                return v;
            }
            if (r.result == "fail" || r.result == "reject" || r.result == "quarantine") why = "dmarc_fail";
        }
    }
    if (why == "dmarc_fail") {  // the domain's own policy said no: nothing else overrides it
        v.reason = why;
        return v;
    }
    for (const auto& r : field->results) {
        if (r.method != "dkim" || r.result != "pass") continue;
        std::string d = r.prop("header.d");
        if (d.empty()) d = address_domain(r.prop("header.i"));
        if (!d.empty() && domains_aligned(d, from_domain)) {
            v.verified = true;
            v.reason = "dkim";
            return v;
        }
    }
    for (const auto& r : field->results) {
        if (r.method != "spf" || r.result != "pass") continue;
        std::string mailfrom = r.prop("smtp.mailfrom");
        std::string d = address_domain(mailfrom);
        if (d.empty() || !domains_aligned(d, from_domain)) continue;
        if (has_envelope && address_domain(envelope_from) != d) {
            why = "envelope_mismatch";  // the verdict is about another envelope
            continue;
        }
        v.verified = true;
        v.reason = "spf";
        return v;
    }
    v.reason = why;
    return v;
}

}  // namespace parley::server
