// Inbound replies: the pure helpers of threading a raw e-mail into its conversation.
// See inbound.h.
#include "server/mail/inbound.h"

#include <cctype>

#include <nlohmann/json.hpp>

#include "server/base/text.h"
#include "server/base/crypto.h"
#include "server/mail/header_block.h"

namespace parley::server {

MailInResult mail_in_refused(std::string reason, std::string detail) {
    MailInResult r;
    r.status = kMailInRefused;
    r.reason = std::move(reason);
    r.detail = std::move(detail);
    return r;
}

std::vector<std::string> mail_envelope_recipients(std::string_view raw) {
    std::vector<std::string> out;
    for_each_top_header(raw, {"delivered-to", "x-original-to"}, 4096, [&](std::string_view, const std::string& value) {
        std::string_view v = trim(value);
        if (!v.empty() && v.front() == '<') v.remove_prefix(1);
        if (!v.empty() && v.back() == '>') v.remove_suffix(1);
        v = trim(v);
        if (!v.empty()) out.emplace_back(v);
        return out.size() <= 20;
    });
    return out;
}

std::optional<RelayId> find_relay_recipient(const RelayKey& key, const std::vector<std::string>& candidates,
                                            bool* saw_relay) {
    if (saw_relay) *saw_relay = false;
    for (const auto& a : candidates) {
        size_t at = a.rfind('@');
        if (at == std::string::npos || at < 2) continue;
        std::string local = ascii_lower(std::string_view(a).substr(0, at));
        if (local.rfind("r+", 0) != 0) continue;
        if (saw_relay) *saw_relay = true;
        if (auto id = verify_relay_token(key, std::string_view(local).substr(2))) return id;
    }
    return std::nullopt;
}

std::string mail_in_key(std::string_view message_id, std::string_view raw) {
    std::string_view id = trim(message_id);
    if (!id.empty() && id.size() <= 500) return std::string(id);
    return "sha256:" + sha256_hex(raw);
}

std::vector<std::string> mail_thread_candidates(const std::string& in_reply_to,
                                                const std::vector<std::string>& references) {
    std::vector<std::string> out;
    auto add = [&](std::string_view id) {
        id = trim(id);
        if (id.empty() || id.size() > 500 || out.size() >= 20) return;
        for (const auto& o : out)
            if (o == id) return;
        out.emplace_back(id);
    };
    add(in_reply_to);
    for (auto it = references.rbegin(); it != references.rend(); ++it) add(*it);  // newest last in the header
    return out;
}

namespace {

// Every ASCII-case-insensitive occurrence of `needle` replaced; `bounded`: only where it
// is not part of a longer name (no letter, digit or '-' on either side).
std::string replace_ci(std::string_view raw, std::string_view needle_in, std::string_view replacement, bool bounded) {
    needle_in = trim(needle_in);
    if (needle_in.empty()) return std::string(raw);
    const std::string needle = ascii_lower(needle_in);
    auto name_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; };
    std::string out;
    out.reserve(raw.size());
    size_t i = 0;
    while (i < raw.size()) {
        bool hit = raw.size() - i >= needle.size();
        for (size_t k = 0; hit && k < needle.size(); ++k)
            hit = std::tolower(static_cast<unsigned char>(raw[i + k])) == static_cast<unsigned char>(needle[k]);
        if (hit && bounded)
            hit = (i == 0 || !name_char(raw[i - 1])) &&
                  (i + needle.size() == raw.size() || !name_char(raw[i + needle.size()]));
        if (hit) {
            out += replacement;
            i += needle.size();
        } else {
            out += raw[i++];
        }
    }
    return out;
}

}  // namespace

std::string mask_address(std::string_view raw, std::string_view address, std::string_view replacement) {
    return replace_ci(raw, address, replacement, false);
}

std::string mask_domain(std::string_view raw, std::string_view domain, std::string_view replacement) {
    return replace_ci(raw, domain, replacement, true);
}

std::string mask_relay_addresses(std::string_view raw, std::string_view replacement) {
    auto token_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; };
    auto domain_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.'; };
    std::string out;
    out.reserve(raw.size());
    size_t i = 0;
    while (i < raw.size()) {
        // "r+" at the start of a local part, a token, "@" and a domain: a relay address,
        // whatever the domain (e-mail in finds the token under any domain).
        bool start = (raw[i] == 'r' || raw[i] == 'R') && i + 1 < raw.size() && raw[i + 1] == '+' &&
                     (i == 0 || (!token_char(raw[i - 1]) && raw[i - 1] != '.' && raw[i - 1] != '+'));
        if (start) {
            size_t k = i + 2;
            while (k < raw.size() && token_char(raw[k])) ++k;
            size_t end = k + 1;
            while (end < raw.size() && domain_char(raw[end])) ++end;
            if (k > i + 2 && k < raw.size() && raw[k] == '@' && end > k + 1) {
                out += replacement;
                i = end;
                continue;
            }
        }
        out += raw[i++];
    }
    return out;
}

std::string refused_attachment_note(std::string_view name, std::string_view why) {
    std::string n(name);
    for (char& c : n)
        if (c == '"' || c == '[' || c == ']') c = '\'';
    return "[attachment \"" + n + "\" not accepted: " + std::string(why) + "]";
}

}  // namespace parley::server
