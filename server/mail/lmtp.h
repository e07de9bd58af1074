// LMTP listener (RFC 2033; e-mail in): the MTA (e.g. Postfix `lmtp:inet:127.0.0.1:2525`)
// hands inbound replies to the server over a local TCP connection, one reply per
// recipient after DATA, so that a refused mail is bounced by the MTA with our reason.
// LmtpSession is the protocol alone (bytes in, reply text out; tested without
// sockets); LmtpServer runs sessions on its own asio thread and delivers each accepted
// recipient through Domain::receive_mail with that envelope recipient, on that thread:
// never on the HTTP workers, but while one mail is read (bounded, under a second for
// 10 MB: bench/mail_in.sh) the other LMTP sessions wait (the MTA keeps the mail queued).
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "server/mail/inbound.h"
#include "server/mail/relay.h"

namespace parley::server {

class Domain;

inline constexpr size_t kMaxLmtpMessageBytes = 10 * 1024 * 1024;  // announced as SIZE; 552 above
inline constexpr size_t kMaxLmtpRecipients = 100;

// The reply line (no CRLF) for one recipient of a delivered message.
std::string lmtp_reply_for(const MailInResult& r);

class LmtpSession {
public:
    // The reply line (no CRLF) for one accepted recipient of a complete message; `sender`
    // is MAIL FROM's address ("" for the null sender <>), for the sender's proof.
    using Deliver =
        std::function<std::string(const std::string& raw, const std::string& recipient, const std::string& sender)>;
    // "" to accept a recipient at RCPT, else the refusal line (e.g. a forged relay token).
    using CheckRecipient = std::function<std::string(const std::string& recipient)>;

    LmtpSession(Deliver deliver, CheckRecipient check, std::string hostname = "parley",
                size_t max_bytes = kMaxLmtpMessageBytes);

    std::string greeting() const;  // "220 ..." with CRLF
    // Bytes from the client (any split, pipelined commands): the replies to send
    // (CRLF-terminated lines, possibly none yet).
    std::string feed(std::string_view bytes);
    bool closed() const { return closed_; }  // QUIT answered, or a fatal protocol error

private:
    std::string command(std::string_view line);
    void data_line(std::string_view line, bool complete);
    std::string end_of_data();
    void reset();

    Deliver deliver_;
    CheckRecipient check_;
    std::string hostname_;
    size_t max_bytes_;
    std::string partial_;           // the incomplete last line
    bool greeted_ = false, in_data_ = false, closed_ = false;
    bool has_sender_ = false, too_big_ = false, mid_line_ = false;
    std::vector<std::string> recipients_;
    std::string sender_;
    std::string message_;
};

struct LmtpOptions {
    std::string host = "127.0.0.1";
    uint16_t port = 0;
    std::chrono::seconds idle_timeout{300};
    size_t max_connections = 20;
    std::string hostname = "parley";
};

class LmtpServer {
public:
    LmtpServer(Domain& domain, const RelayKey& key, LmtpOptions options);
    ~LmtpServer();  // stop()
    LmtpServer(const LmtpServer&) = delete;
    LmtpServer& operator=(const LmtpServer&) = delete;

    // Binds now (throws on a busy port) and serves on its own thread.
    void start();
    // Closes the listener and every connection; joins the thread.
    void stop();
    uint16_t port() const;  // the bound port (when options.port was 0)

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace parley::server
