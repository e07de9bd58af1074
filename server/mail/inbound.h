// E-mail in: one raw e-mail addressed to a relay address r+<token>@… becomes a message
// of that participant in that conversation (Domain::receive_mail in
// server/domain/mail_in.cpp). This header holds the result and the pure helpers
// (tested in tests/unit/server/test_mail_in.cpp); received mails are kept and
// deduplicated by server/store/mail_in_store.h. Threading: relay address first
// (envelope recipient, Delivered-To, To, Cc), then In-Reply-To and References against
// the Message-IDs of our outbox; never by subject.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/mail/relay.h"

namespace parley::server {

inline constexpr const char* kMailInPosted = "posted";
inline constexpr const char* kMailInDuplicate = "duplicate";
inline constexpr const char* kMailInAutoReply = "auto_reply";
inline constexpr const char* kMailInRefused = "refused";
// The sender proved nothing (sender_auth.h): kept for the relay address's owner to post
// or discard; an unproven auto-reply is kept as "discarded" (no event).
inline constexpr const char* kMailInHeld = "held";
inline constexpr const char* kMailInDiscarded = "discarded";

// How a raw mail reached us, beyond its bytes.
struct MailInOrigin {
    bool has_envelope_from = false;  // LMTP / the mail-in command's --sender gave MAIL FROM
    std::string envelope_from;       // "" = the null sender <>
    // Written by a signed-in user through the development mailbox: proven by the session.
    bool signed_in = false;
};

struct MailInResult {
    std::string status;            // posted | duplicate | auto_reply | held | discarded | refused
    std::string reason;            // refused: a code (unparseable, no_relay_address, ...); held: why
    std::string detail;            // refused: a sentence for the bounce / log
    int64_t request_id = 0, conversation_id = 0, user_id = 0;
    int64_t message_id = 0;        // posted (or the earlier post of a duplicate)
};

// A refusal with a reason code and a sentence for the bounce.
MailInResult mail_in_refused(std::string reason, std::string detail);

// Values of the Delivered-To and X-Original-To header fields of the top-level header
// block (unfolded, trimmed; angle brackets removed). MTAs add them with the envelope
// recipient, which is the relay address even when To/Cc do not show it.
std::vector<std::string> mail_envelope_recipients(std::string_view raw);

// The first address of `candidates` of the form r+<token>@<any domain> whose token
// verifies under `key`. *saw_relay (if not null) tells whether any r+… address was seen
// at all (to tell "forged token" from "not addressed to a relay address").
std::optional<RelayId> find_relay_recipient(const RelayKey& key, const std::vector<std::string>& candidates,
                                            bool* saw_relay);

// The deduplication key of a message: its Message-ID, else "sha256:<hash of raw>".
std::string mail_in_key(std::string_view message_id, std::string_view raw);

// Threading fallback order: In-Reply-To first, then References newest first (each
// once, empty ones skipped, at most 20).
std::vector<std::string> mail_thread_candidates(const std::string& in_reply_to,
                                                const std::vector<std::string>& references);

// `raw` with every occurrence of `address` (ASCII case-insensitive) replaced by
// `replacement`: the author's real address hidden from the other side.
std::string mask_address(std::string_view raw, std::string_view address, std::string_view replacement);

// `raw` with the domain `domain` replaced wherever it stands as a name of its own (also as
// the end of a host name: mail.buyer.example): the verdicts and trace fields of a mail
// (Authentication-Results, Received, DKIM-Signature) name the author's domain.
std::string mask_domain(std::string_view raw, std::string_view domain, std::string_view replacement);

// Every relay address "r+<token>@<domain>" in `raw` replaced, whatever its domain: a relay
// address lets whoever holds it reply as its owner, so nobody else may ever see one.
std::string mask_relay_addresses(std::string_view raw, std::string_view replacement);

// The note appended to a posted reply for an attachment that was not imported.
std::string refused_attachment_note(std::string_view name, std::string_view why);

}  // namespace parley::server
