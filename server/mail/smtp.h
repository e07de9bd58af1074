// SMTP submission with libcurl: smtp:// (optionally STARTTLS) and smtps://,
// AUTH with user/password, one recipient per call. The answer is classified for the
// outbox: ok / temporary (4xx, connection errors, timeouts: retry later) / permanent
// (5xx: stop), with the server's code and text and, for failures, a kind shown to users.
#pragma once
#include <atomic>
#include <string>
#include <string_view>

namespace parley::server {

struct SmtpConfig {
    std::string url;  // smtp://host:port or smtps://host:port ("" = no SMTP: development mailbox)
    std::string user, password;
    // none: plain; try_starttls: STARTTLS when offered; starttls: STARTTLS required;
    // tls: TLS from the start (the URL must then be smtps://, see smtp_url_for_tls).
    enum class Tls { none, try_starttls, starttls, tls } tls = Tls::none;
    long connect_timeout_s = 15, timeout_s = 60;
};

enum class SendStatus { ok, temporary, permanent };

// Failure kinds (SendResult::kind).
inline constexpr const char* kMailAddressRejected = "address_rejected";
inline constexpr const char* kMailMailboxFull = "mailbox_full";
inline constexpr const char* kMailTooLarge = "message_too_large";
inline constexpr const char* kMailBlockedSpam = "blocked_as_spam";
inline constexpr const char* kMailRelayUnreachable = "relay_unreachable";
inline constexpr const char* kMailRejected = "rejected";  // any other permanent refusal

struct SendResult {
    SendStatus status = SendStatus::ok;
    int code = 0;      // the server's reply code (0: no answer — connection failure)
    std::string text;  // the server's reply text, or the connection error
    std::string kind;  // "" when ok; one of kMail* otherwise
};

// Pure classification of a server reply: 2xx ok, 4xx temporary, 5xx permanent; the
// kind from the code and the text (enhanced status codes and words like "spam").
SendResult classify_smtp_reply(int code, std::string_view text);
// A failure with no server answer (refused, DNS, TLS, timeout): temporary,
// relay_unreachable (the outbox makes it permanent after its last attempt).
SendResult connection_failure(std::string_view why);

// The URL with the scheme the TLS mode needs (tls → smtps://, others → smtp://).
std::string smtp_url_for_tls(const std::string& url, SmtpConfig::Tls tls);

// Sends `raw` (CRLF lines) from `from` to `to`. Blocking; thread-safe. Setting *cancel
// aborts a transfer in progress (a connection failure: the row stays due).
SendResult smtp_send(const SmtpConfig& config, const std::string& from, const std::string& to,
                     const std::string& raw, const std::atomic<bool>* cancel = nullptr);

}  // namespace parley::server
