// E-mail in: does a reply prove who sent it? A From header is only a claim anyone can
// write; what proves it is the verdict the receiving MTA (our own, trusted) recorded in
// an Authentication-Results header field (RFC 8601): DMARC, or DKIM / SPF aligned with
// the From domain. Mail that proves nothing is held for the relay address's owner to
// confirm (Domain::receive_mail), never posted in their name.
//
// Trust: only a field whose authserv-id is the one configured (--mail-authserv-id, the
// MTA's name) counts, and only the topmost such field: MTAs prepend theirs and (RFC 8601
// §5) remove any the sender wrote with their id, so lower ones may be forged.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace parley::server {

// One "method=result" of an Authentication-Results field with its properties.
struct AuthResult {
    std::string method;  // spf, dkim, dmarc, ... (lower case)
    std::string result;  // pass, fail, none, softfail, ... (lower case)
    std::vector<std::pair<std::string, std::string>> props;  // "header.d" → "example.com", ...
    std::string prop(std::string_view name) const;           // "" when absent
};

struct AuthResultsField {
    std::string authserv_id;  // lower case
    std::vector<AuthResult> results;
};

// Every Authentication-Results field of the top-level header block, top first (unfolded,
// comments removed). Linear in the header size; at most 50 fields.
std::vector<AuthResultsField> parse_authentication_results(std::string_view raw);

// Relaxed alignment (DMARC): both domains have the same organisational domain. The
// organisational domain is approximated as the last two labels, three under a
// two-level public suffix of a country (co.uk, com.au, co.jp, ...).
bool domains_aligned(std::string_view a, std::string_view b);
std::string organisational_domain(std::string_view domain);

// The domain of an address "local@domain" (lower case, without a trailing dot); "".
std::string address_domain(std::string_view address);

struct SenderVerdict {
    bool verified = false;
    // Why (kept with a held mail, shown to its owner): "dmarc" / "dkim" / "spf" when
    // verified; else no_trusted_results, not_configured, dmarc_fail, not_aligned,
    // envelope_mismatch, null_sender.
    std::string reason;
};

// The verdict on a mail whose From address is `from_address`. `trusted_authserv_id`
// empty: nothing can be verified (not_configured). `envelope_from`: the SMTP/LMTP MAIL
// FROM when known (has_envelope), "" for the null sender <> of bounces.
// Verified when the trusted field says dmarc=pass for the From domain, or dkim=pass with
// header.d (or header.i) aligned to it, or spf=pass with smtp.mailfrom aligned to it (and
// equal to the envelope sender when that is known).
SenderVerdict check_sender(std::string_view raw, std::string_view from_address, std::string_view trusted_authserv_id,
                           bool has_envelope, std::string_view envelope_from);

}  // namespace parley::server
