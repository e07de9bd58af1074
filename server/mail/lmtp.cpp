// LMTP listener. See lmtp.h.
//
// Index: the protocol (one session's state machine, per-recipient answers after DATA) ·
// the listener (asio acceptor, idle timeouts, stop)
#include "server/mail/lmtp.h"

#include <asio.hpp>

#include <array>
#include <atomic>
#include <cctype>
#include <list>
#include <mutex>
#include <optional>
#include <thread>

#include "server/domain/domain.h"
#include "server/base/log.h"

namespace parley::server {

namespace {

constexpr size_t kMaxCommandLine = 4096;  // RFC 5321 allows 512; be lenient, not unbounded
constexpr size_t kDataChunk = 8192;       // a longer DATA line is taken in pieces

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

// One reply line: no CR/LF from a reason text may break the protocol.
std::string one_line(std::string s) {
    for (char& c : s)
        if (c == '\r' || c == '\n') c = ' ';
    if (s.size() > 400) s.resize(400);
    return s;
}

// The address of "MAIL FROM:<a> ..." / "RCPT TO:<a> ...": between the brackets (or up to
// the first space); `params` gets the rest. nullopt when malformed.
std::optional<std::string> path_arg(std::string_view rest, std::string* params) {
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    std::string_view addr;
    if (!rest.empty() && rest.front() == '<') {
        size_t close = rest.find('>');
        if (close == std::string_view::npos) return std::nullopt;
        addr = rest.substr(1, close - 1);
        rest.remove_prefix(close + 1);
    } else {
        size_t sp = rest.find(' ');
        addr = rest.substr(0, sp);
        rest = sp == std::string_view::npos ? std::string_view() : rest.substr(sp);
    }
    if (params) *params = upper(rest);
    return std::string(addr);
}

}  // namespace

std::string lmtp_reply_for(const MailInResult& r) {
    if (r.status != kMailInRefused) return "250 2.0.0 OK " + r.status;
    const std::string& why = r.reason;
    std::string text = one_line(r.detail.empty() ? why : r.detail);
    if (why == "invalid_relay_address" || why == "no_relay_address") return "550 5.1.1 " + text;
    if (why == "sender_mismatch" || why == "not_participant" || why == "forbidden") return "550 5.7.1 " + text;
    if (why == "not_configured") return "451 4.3.0 " + text;
    return "550 5.6.0 " + text;  // unreadable, empty or otherwise unacceptable content
}

// ---------------------------------------------------------------- the protocol

LmtpSession::LmtpSession(Deliver deliver, CheckRecipient check, std::string hostname, size_t max_bytes)
    : deliver_(std::move(deliver)), check_(std::move(check)), hostname_(std::move(hostname)), max_bytes_(max_bytes) {}

std::string LmtpSession::greeting() const { return "220 " + hostname_ + " LMTP Parley ready\r\n"; }

void LmtpSession::reset() {
    has_sender_ = false;
    sender_.clear();
    too_big_ = false;
    mid_line_ = false;
    in_data_ = false;
    recipients_.clear();
    std::string().swap(message_);
}

std::string LmtpSession::feed(std::string_view bytes) {
    std::string out;
    partial_.append(bytes.data(), bytes.size());
    size_t pos = 0;
    while (!closed_) {
        size_t eol = partial_.find('\n', pos);
        if (eol == std::string::npos) break;
        std::string_view line(partial_.data() + pos, eol - pos);
        pos = eol + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (in_data_) {
            if (!mid_line_ && line == ".") {
                out += end_of_data();
                continue;
            }
            data_line(line, true);
            continue;
        }
        out += command(line);
    }
    partial_.erase(0, pos);
    if (closed_) {
        partial_.clear();
    } else if (in_data_ && partial_.size() > kDataChunk) {
        // A very long line: keep it, in pieces, without buffering it whole twice.
        data_line(partial_, false);
        partial_.clear();
    } else if (!in_data_ && partial_.size() > kMaxCommandLine) {
        out += "500 5.5.2 Line too long\r\n";
        closed_ = true;
    }
    return out;
}

void LmtpSession::data_line(std::string_view line, bool complete) {
    if (!mid_line_ && !line.empty() && line[0] == '.') line.remove_prefix(1);  // dot-unstuffing (RFC 5321 4.5.2)
    mid_line_ = !complete;
    if (too_big_) return;  // read to the end, keep nothing
    if (message_.size() + line.size() + 2 > max_bytes_) {
        too_big_ = true;
        std::string().swap(message_);
        return;
    }
    message_.append(line.data(), line.size());
    if (complete) message_ += "\r\n";
}

std::string LmtpSession::end_of_data() {
    std::string out;
    for (const auto& rcpt : recipients_) {
        if (too_big_) {
            out += "552 5.3.4 Message too big (limit " + std::to_string(max_bytes_) + " bytes)\r\n";
            continue;
        }
        std::string reply;
        try {
            reply = deliver_(message_, rcpt, sender_);
        } catch (const std::exception& e) {
            log_line(std::string("parley: lmtp: delivery failed: ") + e.what());
            reply = "451 4.3.0 Temporary storage error, try again later";
        }
        out += one_line(std::move(reply)) + "\r\n";
    }
    reset();
    return out;
}

std::string LmtpSession::command(std::string_view line) {
    size_t sp = line.find(' ');
    std::string verb = upper(line.substr(0, sp));
    std::string_view rest = sp == std::string_view::npos ? std::string_view() : line.substr(sp + 1);
    if (verb == "LHLO") {
        if (rest.empty()) return "501 5.5.4 LHLO needs a domain\r\n";
        greeted_ = true;
        reset();
        return "250-" + hostname_ + "\r\n250-PIPELINING\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250 SIZE " +
               std::to_string(max_bytes_) + "\r\n";
    }
    if (verb == "HELO" || verb == "EHLO") return "500 5.5.1 This is LMTP: use LHLO\r\n";
    if (verb == "NOOP") return "250 2.0.0 OK\r\n";
    if (verb == "RSET") {
        reset();
        return "250 2.0.0 OK\r\n";
    }
    if (verb == "QUIT") {
        closed_ = true;
        return "221 2.0.0 " + hostname_ + " closing connection\r\n";
    }
    if (verb == "VRFY") return "252 2.5.0 Cannot verify, send some mail\r\n";
    if (verb == "MAIL") {
        if (!greeted_) return "503 5.5.1 Send LHLO first\r\n";
        if (has_sender_) return "503 5.5.1 Sender already given\r\n";
        if (upper(rest.substr(0, 5)) != "FROM:") return "501 5.5.4 Syntax: MAIL FROM:<address>\r\n";
        std::string params;
        auto sender = path_arg(rest.substr(5), &params);
        if (!sender) return "501 5.1.7 Bad sender address syntax\r\n";
        if (size_t at = params.find("SIZE="); at != std::string::npos) {
            unsigned long long n = 0;
            for (size_t i = at + 5; i < params.size() && std::isdigit(static_cast<unsigned char>(params[i])); ++i)
                n = std::min<unsigned long long>(n * 10 + static_cast<unsigned>(params[i] - '0'), 1ULL << 62);
            if (n > max_bytes_) return "552 5.3.4 Message too big (limit " + std::to_string(max_bytes_) + " bytes)\r\n";
        }
        has_sender_ = true;
        sender_ = *sender;
        return "250 2.1.0 Sender OK\r\n";
    }
    if (verb == "RCPT") {
        if (!has_sender_) return "503 5.5.1 Send MAIL first\r\n";
        if (upper(rest.substr(0, 3)) != "TO:") return "501 5.5.4 Syntax: RCPT TO:<address>\r\n";
        auto addr = path_arg(rest.substr(3), nullptr);
        if (!addr || addr->empty()) return "501 5.1.3 Bad recipient address syntax\r\n";
        if (recipients_.size() >= kMaxLmtpRecipients) return "452 4.5.3 Too many recipients\r\n";
        std::string refusal = check_ ? check_(*addr) : std::string();
        if (!refusal.empty()) return one_line(refusal) + "\r\n";
        recipients_.push_back(*addr);
        return "250 2.1.5 Recipient OK\r\n";
    }
    if (verb == "DATA") {
        if (!has_sender_) return "503 5.5.1 Send MAIL first\r\n";
        if (recipients_.empty()) return "503 5.5.1 No valid recipients\r\n";
        in_data_ = true;
        mid_line_ = false;
        too_big_ = false;
        message_.clear();
        return "354 Start mail input; end with <CRLF>.<CRLF>\r\n";
    }
    if (verb.empty()) return "500 5.5.2 Empty command\r\n";
    return "500 5.5.2 Command not recognized\r\n";
}

// ---------------------------------------------------------------- the listener

using asio::ip::tcp;

struct LmtpServer::Impl {
    Domain& domain;
    RelayKey key;
    LmtpOptions opt;
    asio::io_context ioctx{1};
    tcp::acceptor acceptor{ioctx};
    std::thread thread;
    std::atomic<uint16_t> port{0};

    struct Conn {
        tcp::socket socket;
        asio::steady_timer idle;
        LmtpSession session;
        std::array<char, 65536> buf{};
        std::string out;
        Conn(asio::io_context& io, LmtpSession s) : socket(io), idle(io), session(std::move(s)) {}
    };
    std::list<std::shared_ptr<Conn>> conns;  // only touched on the io thread

    Impl(Domain& d, const RelayKey& k, LmtpOptions o) : domain(d), key(k), opt(std::move(o)) {}

    LmtpSession make_session() {
        auto deliver = [this](const std::string& raw, const std::string& rcpt, const std::string& sender) {
            MailInOrigin origin;
            origin.has_envelope_from = true;
            origin.envelope_from = sender;
            return lmtp_reply_for(domain.receive_mail(raw, {rcpt}, origin));
        };
        // A relay address with a bad token is refused at once (the MTA bounces it);
        // other addresses may still thread by In-Reply-To/References.
        auto check = [this](const std::string& rcpt) -> std::string {
            bool saw = false;
            if (!find_relay_recipient(key, {rcpt}, &saw) && saw)
                return "550 5.1.1 <" + rcpt + ">: unknown or altered reply address";
            return {};
        };
        return LmtpSession(deliver, check, opt.hostname);
    }

    void accept() {
        acceptor.async_accept([this](const asio::error_code& ec, tcp::socket s) {
            if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
            if (!ec) begin(std::move(s));
            accept();
        });
    }

    void begin(tcp::socket s) {
        auto c = std::make_shared<Conn>(ioctx, make_session());
        c->socket = std::move(s);
        if (conns.size() >= opt.max_connections) {
            c->out = "421 4.3.2 Too many connections, try again later\r\n";
            auto buf = asio::buffer(c->out);
            asio::async_write(c->socket, buf, [c](const asio::error_code&, size_t) {
                asio::error_code ignored;
                c->socket.close(ignored);
            });
            return;
        }
        conns.push_back(c);
        send(c, c->session.greeting());
    }

    void close(const std::shared_ptr<Conn>& c) {
        asio::error_code ignored;
        c->idle.cancel();
        c->socket.shutdown(tcp::socket::shutdown_both, ignored);
        c->socket.close(ignored);
        conns.remove(c);
    }

    void arm_idle(const std::shared_ptr<Conn>& c) {
        c->idle.expires_after(opt.idle_timeout);
        c->idle.async_wait([this, c](const asio::error_code& ec) {
            if (ec || !c->socket.is_open()) return;
            c->out = "421 4.4.2 Idle timeout, closing connection\r\n";
            asio::async_write(c->socket, asio::buffer(c->out), [this, c](const asio::error_code&, size_t) { close(c); });
        });
    }

    // Writes the replies, then reads on (or closes after QUIT).
    void send(const std::shared_ptr<Conn>& c, std::string text) {
        if (text.empty()) return read(c);
        c->out = std::move(text);
        asio::async_write(c->socket, asio::buffer(c->out), [this, c](const asio::error_code& ec, size_t) {
            if (ec || c->session.closed()) return close(c);
            read(c);
        });
    }

    void read(const std::shared_ptr<Conn>& c) {
        arm_idle(c);
        c->socket.async_read_some(asio::buffer(c->buf), [this, c](const asio::error_code& ec, size_t n) {
            if (ec) return close(c);
            send(c, c->session.feed(std::string_view(c->buf.data(), n)));
        });
    }
};

LmtpServer::LmtpServer(Domain& domain, const RelayKey& key, LmtpOptions options)
    : impl_(std::make_unique<Impl>(domain, key, std::move(options))) {}

LmtpServer::~LmtpServer() { stop(); }

void LmtpServer::start() {
    Impl& m = *impl_;
    tcp::resolver resolver(m.ioctx);
    tcp::endpoint ep = resolver.resolve(m.opt.host, std::to_string(m.opt.port))->endpoint();
    m.acceptor.open(ep.protocol());
    m.acceptor.set_option(tcp::acceptor::reuse_address(true));
    m.acceptor.bind(ep);  // throws asio::system_error (address in use)
    m.acceptor.listen();
    m.port = m.acceptor.local_endpoint().port();
    m.accept();
    m.thread = std::thread([&m] {
        for (;;) {
            try {
                m.ioctx.run();
                break;
            } catch (const std::exception& e) {
                log_line(std::string("error: lmtp: ") + e.what());
            }
        }
    });
}

void LmtpServer::stop() {
    if (!impl_) return;
    Impl& m = *impl_;
    if (!m.thread.joinable()) return;
    asio::post(m.ioctx, [&m] {
        asio::error_code ignored;
        m.acceptor.close(ignored);
        auto all = m.conns;
        for (auto& c : all) m.close(c);
        m.ioctx.stop();
    });
    m.thread.join();
}

uint16_t LmtpServer::port() const { return impl_->port.load(); }

}  // namespace parley::server
