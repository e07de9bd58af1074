// LMTP (RFC 2033): the protocol state machine of server/mail/lmtp.h without
// sockets — greeting, LHLO capabilities, the transaction order, per-recipient replies
// after DATA, dot-unstuffing, the size limit, pipelining, and the mapping of
// receive_mail results to reply codes.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "server/mail/lmtp.h"

using namespace parley::server;

namespace {

struct Delivered {
    std::string raw, rcpt;
};

struct Fixture {
    std::vector<Delivered> got;
    std::vector<std::string> replies;  // per delivery, in order; default 250
    LmtpSession session{
        [this](const std::string& raw, const std::string& rcpt, const std::string&) {
            got.push_back({raw, rcpt});
            if (got.size() <= replies.size()) return replies[got.size() - 1];
            return std::string("250 2.0.0 OK posted");
        },
        [](const std::string& rcpt) -> std::string {
            return rcpt.rfind("bad", 0) == 0 ? "550 5.1.1 <" + rcpt + ">: unknown" : "";
        },
        "test.host", 1000};
};

std::vector<std::string> lines(const std::string& s) {
    std::vector<std::string> out;
    size_t pos = 0;
    while (pos < s.size()) {
        size_t eol = s.find("\r\n", pos);
        REQUIRE(eol != std::string::npos);  // every reply line ends in CRLF
        out.push_back(s.substr(pos, eol - pos));
        pos = eol + 2;
    }
    return out;
}

}  // namespace

TEST_CASE("lmtp: greeting, LHLO with SIZE, HELO refused, QUIT closes", "[lmtp]") {
    Fixture f;
    CHECK(f.session.greeting().rfind("220 test.host", 0) == 0);
    CHECK(f.session.feed("HELO x\r\n").rfind("500 5.5.1", 0) == 0);
    CHECK(f.session.feed("MAIL FROM:<a@b>\r\n").rfind("503", 0) == 0);  // LHLO first
    auto l = lines(f.session.feed("LHLO mta.example\r\n"));
    REQUIRE(l.size() == 5);
    CHECK(l.front() == "250-test.host");
    CHECK(l[1] == "250-PIPELINING");
    CHECK(l.back() == "250 SIZE 1000");
    CHECK(f.session.feed("NOOP\r\n") == "250 2.0.0 OK\r\n");
    CHECK(f.session.feed("FOO\r\n").rfind("500 5.5.2", 0) == 0);
    CHECK_FALSE(f.session.closed());
    CHECK(f.session.feed("QUIT\r\n").rfind("221 ", 0) == 0);
    CHECK(f.session.closed());
}

TEST_CASE("lmtp: one reply per accepted recipient after DATA, dot-unstuffed", "[lmtp]") {
    Fixture f;
    f.replies = {"250 2.0.0 OK posted", "550 5.7.1 Only the participant may write"};
    f.session.feed("LHLO x\r\n");
    CHECK(f.session.feed("RCPT TO:<a@b>\r\n").rfind("503", 0) == 0);  // MAIL first
    CHECK(f.session.feed("DATA\r\n").rfind("503", 0) == 0);
    CHECK(f.session.feed("MAIL FROM:<s@x> BODY=8BITMIME\r\n") == "250 2.1.0 Sender OK\r\n");
    CHECK(f.session.feed("MAIL FROM:<s@x>\r\n").rfind("503", 0) == 0);  // nested
    CHECK(f.session.feed("RCPT TO:<r+one@relay>\r\n") == "250 2.1.5 Recipient OK\r\n");
    CHECK(f.session.feed("RCPT TO:<bad@relay>\r\n").rfind("550 5.1.1 <bad@relay>", 0) == 0);  // refused at RCPT
    CHECK(f.session.feed("RCPT TO:<r+two@relay>\r\n") == "250 2.1.5 Recipient OK\r\n");
    CHECK(f.session.feed("DATA\r\n").rfind("354 ", 0) == 0);
    // Split anywhere, LF-only lines too; "..x" is "x" with a stuffed dot.
    std::string out = f.session.feed("Subject: hi\r\n\r\n..leading dot\r\nline two\n.");
    CHECK(out.empty());
    out += f.session.feed("\r\n");
    auto l = lines(out);
    REQUIRE(l.size() == 2);  // two accepted recipients, not three
    CHECK(l[0] == "250 2.0.0 OK posted");
    CHECK(l[1] == "550 5.7.1 Only the participant may write");
    REQUIRE(f.got.size() == 2);
    CHECK(f.got[0].rcpt == "r+one@relay");
    CHECK(f.got[1].rcpt == "r+two@relay");
    CHECK(f.got[0].raw == "Subject: hi\r\n\r\n.leading dot\r\nline two\r\n");
    // The transaction is over: a new one needs MAIL again.
    CHECK(f.session.feed("RCPT TO:<a@b>\r\n").rfind("503", 0) == 0);
}

TEST_CASE("lmtp: pipelined commands get their replies in order", "[lmtp]") {
    Fixture f;
    std::string out = f.session.feed(
        "LHLO x\r\nMAIL FROM:<>\r\nRCPT TO:<a@b>\r\nDATA\r\nSubject: p\r\n\r\nbody\r\n.\r\nQUIT\r\n");
    auto l = lines(out);
    REQUIRE(l.size() == 5 + 5);
    CHECK(l[5] == "250 2.1.0 Sender OK");
    CHECK(l[6] == "250 2.1.5 Recipient OK");
    CHECK(l[7].rfind("354", 0) == 0);
    CHECK(l[8] == "250 2.0.0 OK posted");
    CHECK(l[9].rfind("221", 0) == 0);
    REQUIRE(f.got.size() == 1);
    CHECK(f.got[0].raw == "Subject: p\r\n\r\nbody\r\n");
}

TEST_CASE("lmtp: over the size limit → 552 per recipient, nothing delivered; SIZE= refused early", "[lmtp]") {
    Fixture f;
    f.session.feed("LHLO x\r\n");
    CHECK(f.session.feed("MAIL FROM:<a@b> SIZE=1001\r\n").rfind("552 5.3.4", 0) == 0);
    CHECK(f.session.feed("MAIL FROM:<a@b> SIZE=999\r\n").rfind("250", 0) == 0);
    f.session.feed("RCPT TO:<x@y>\r\nRCPT TO:<z@y>\r\nDATA\r\n");
    // 1500 bytes in one line without a newline, then more lines: read to the end.
    CHECK(f.session.feed(std::string(1500, 'a')).empty());
    CHECK(f.session.feed(std::string(20000, 'b')).empty());  // long line taken in pieces
    auto l = lines(f.session.feed("\r\nmore\r\n.\r\n"));
    REQUIRE(l.size() == 2);
    CHECK(l[0].rfind("552 5.3.4", 0) == 0);
    CHECK(l[1].rfind("552 5.3.4", 0) == 0);
    CHECK(f.got.empty());
    // The session goes on.
    CHECK(f.session.feed("MAIL FROM:<a@b>\r\n").rfind("250", 0) == 0);
}

TEST_CASE("lmtp: a storage error is a temporary 451; an over-long command closes", "[lmtp]") {
    LmtpSession s([](const std::string&, const std::string&, const std::string&) -> std::string { throw std::runtime_error("disk"); },
                  nullptr, "h", 1000);
    auto out = s.feed("LHLO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\nx\r\n.\r\n");
    CHECK(lines(out).back().rfind("451 4.3.0", 0) == 0);
    CHECK(s.feed(std::string(5000, 'x')).rfind("500 5.5.2", 0) == 0);
    CHECK(s.closed());
}

TEST_CASE("lmtp: reply codes for receive_mail results", "[lmtp]") {
    MailInResult r;
    r.status = kMailInPosted;
    CHECK(lmtp_reply_for(r).rfind("250 2.0.0", 0) == 0);
    r.status = kMailInDuplicate;
    CHECK(lmtp_reply_for(r).rfind("250 2.0.0", 0) == 0);
    r.status = kMailInAutoReply;
    CHECK(lmtp_reply_for(r).rfind("250 2.0.0", 0) == 0);
    r.status = kMailInRefused;
    r.reason = "invalid_relay_address";
    r.detail = "The reply address is not valid.";
    CHECK(lmtp_reply_for(r) == "550 5.1.1 The reply address is not valid.");
    r.reason = "no_relay_address";
    CHECK(lmtp_reply_for(r).rfind("550 5.1.1", 0) == 0);
    r.reason = "sender_mismatch";
    r.detail = "Only the participant\r\nmay write.";  // never breaks the reply line
    CHECK(lmtp_reply_for(r) == "550 5.7.1 Only the participant  may write.");
    r.reason = "unparseable";
    CHECK(lmtp_reply_for(r).rfind("550 5.6.0", 0) == 0);
}
