// SMTP submission with libcurl. See smtp.h.
#include "server/mail/smtp.h"

#include <curl/curl.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <mutex>

namespace parley::server {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

bool has(const std::string& hay, std::initializer_list<const char*> needles) {
    for (const char* n : needles)
        if (hay.find(n) != std::string::npos) return true;
    return false;
}

struct Upload {
    const std::string* data;
    size_t pos = 0;
};

size_t read_cb(char* buf, size_t size, size_t n, void* user) {
    auto* u = static_cast<Upload*>(user);
    size_t len = std::min(size * n, u->data->size() - u->pos);
    std::memcpy(buf, u->data->data() + u->pos, len);
    u->pos += len;
    return len;
}

// Keeps the server's last reply (all lines of a multi-line reply).
struct Replies {
    std::string last;
    std::string refusal;  // the last complete reply with a code ≥ 400 (curl QUITs after it)
    bool ended = true;
};

int debug_cb(CURL*, curl_infotype type, char* data, size_t size, void* user) {
    if (type != CURLINFO_HEADER_IN) return 0;
    auto* r = static_cast<Replies*>(user);
    std::string line(data, size);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    // "250-..." continues a reply, "250 ..." ends it: a new reply starts after an end.
    if (r->ended) r->last.clear();
    if (!r->last.empty()) r->last += "\n";
    r->last += line;
    r->ended = line.size() < 4 || line[3] != '-';
    if (r->ended && line.size() >= 3 && line[0] >= '4' && line[0] <= '5') r->refusal = r->last;
    return 0;
}

size_t discard_cb(char*, size_t size, size_t n, void*) { return size * n; }

// curl_easy_perform with a look at *cancel every 200 ms (progress callbacks are not
// called while waiting for an SMTP server's greeting).
int sockopt_cb(void* user, curl_socket_t fd, curlsocktype) {
    *static_cast<curl_socket_t*>(user) = fd;  // the connection's socket, for perform()
    return CURL_SOCKOPT_OK;
}

CURLcode perform(CURL* curl, const std::atomic<bool>* cancel, const curl_socket_t* fd) {
    if (!cancel) return curl_easy_perform(curl);
    CURLM* multi = curl_multi_init();
    if (!multi) return CURLE_OUT_OF_MEMORY;
    curl_multi_add_handle(multi, curl);
    CURLcode rc = CURLE_ABORTED_BY_CALLBACK;
    for (int running = 1;;) {
        if (curl_multi_perform(multi, &running) != CURLM_OK) {
            rc = CURLE_SEND_ERROR;
            break;
        }
        if (!running) {
            int left = 0;
            while (CURLMsg* m = curl_multi_info_read(multi, &left))
                if (m->msg == CURLMSG_DONE) rc = m->data.result;
            break;
        }
        if (cancel->load()) {
            // Removing the handle would say QUIT and wait for the (silent) server: cut the
            // connection first.
            if (*fd != CURL_SOCKET_BAD) shutdown(*fd, SHUT_RDWR);
            break;
        }
        curl_multi_poll(multi, nullptr, 0, 200, nullptr);
    }
    curl_multi_remove_handle(multi, curl);
    curl_multi_cleanup(multi);
    return rc;
}

std::string reply_text(const std::string& reply) {  // without the codes, lines joined by spaces
    std::string out;
    size_t start = 0;
    while (start < reply.size()) {
        size_t nl = reply.find('\n', start);
        std::string line = reply.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
        if (line.size() > 4) line = line.substr(4);
        if (!out.empty()) out += ' ';
        out += line;
        if (nl == std::string::npos) break;
        start = nl + 1;
    }
    return out;
}

}  // namespace

SendResult classify_smtp_reply(int code, std::string_view text) {
    SendResult r;
    r.code = code;
    r.text = std::string(text);
    if (code >= 200 && code < 400) return r;
    std::string t = lower(text);
    bool spam = has(t, {"spam", "blocked", "blacklist", "blocklist", "reputation", "5.7.1"});
    bool size = has(t, {"too large", "too big", "size", "exceeds", "5.3.4"});
    bool full = has(t, {"full", "quota", "insufficient", "5.2.2", "4.2.2"});
    if (code < 400 || code >= 600) {  // not an SMTP reply code at all
        r.status = SendStatus::temporary;
        r.kind = kMailRelayUnreachable;
        return r;
    }
    if (code < 500) {  // try again later; the kind only says what happened
        r.status = SendStatus::temporary;
        r.kind = code == 452 || full ? kMailMailboxFull : spam ? kMailBlockedSpam : kMailRejected;
        return r;
    }
    r.status = SendStatus::permanent;
    if (code == 552 || code == 523) {
        r.kind = size ? kMailTooLarge : kMailMailboxFull;
    } else if ((code == 554 || code == 550 || code == 553 || code == 571) && spam) {
        r.kind = kMailBlockedSpam;
    } else if (code == 550 || code == 551 || code == 553 || code == 501 || has(t, {"5.1.1", "5.1.", "no such user", "unknown user"})) {
        r.kind = full ? kMailMailboxFull : kMailAddressRejected;
    } else if (code == 554 && size) {
        r.kind = kMailTooLarge;
    } else {
        r.kind = kMailRejected;
    }
    return r;
}

std::string smtp_url_for_tls(const std::string& url, SmtpConfig::Tls tls) {
    size_t p = url.find("://");
    std::string rest = p == std::string::npos ? url : url.substr(p + 3);
    return (tls == SmtpConfig::Tls::tls ? "smtps://" : "smtp://") + rest;
}

SendResult connection_failure(std::string_view why) {
    return SendResult{SendStatus::temporary, 0, std::string(why), kMailRelayUnreachable};
}

SendResult smtp_send(const SmtpConfig& c, const std::string& from, const std::string& to, const std::string& raw,
                     const std::atomic<bool>* cancel) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    CURL* curl = curl_easy_init();
    if (!curl) return connection_failure("curl_easy_init failed");
    Replies replies;
    char err[CURL_ERROR_SIZE] = {0};
    Upload up{&raw};
    curl_slist* rcpt = curl_slist_append(nullptr, ("<" + to + ">").c_str());
    curl_easy_setopt(curl, CURLOPT_URL, c.url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, ("<" + from + ">").c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(curl, CURLOPT_READDATA, &up);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(raw.size()));
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard_cb);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, err);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, c.connect_timeout_s);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, c.timeout_s);
    curl_socket_t sock = CURL_SOCKET_BAD;
    curl_easy_setopt(curl, CURLOPT_SOCKOPTFUNCTION, sockopt_cb);
    curl_easy_setopt(curl, CURLOPT_SOCKOPTDATA, &sock);
    curl_easy_setopt(curl, CURLOPT_VERBOSE, 1L);  // needed for the debug callback
    curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, debug_cb);
    curl_easy_setopt(curl, CURLOPT_DEBUGDATA, &replies);
    // smtp:// + starttls: STARTTLS required; + try: used when offered; smtps:// is TLS from the start.
    long ssl = c.tls == SmtpConfig::Tls::try_starttls ? CURLUSESSL_TRY
               : c.tls == SmtpConfig::Tls::none    ? CURLUSESSL_NONE
                                                   : CURLUSESSL_ALL;
    curl_easy_setopt(curl, CURLOPT_USE_SSL, ssl);
    if (!c.user.empty()) {
        curl_easy_setopt(curl, CURLOPT_USERNAME, c.user.c_str());
        curl_easy_setopt(curl, CURLOPT_PASSWORD, c.password.c_str());
    }
    CURLcode rc = perform(curl, cancel, &sock);
    long code = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(curl);
    if (rc == CURLE_OK) return SendResult{SendStatus::ok, code ? static_cast<int>(code) : 250, reply_text(replies.last), ""};
    // A reply code ≥ 400 is the server's refusal; anything else is a connection failure.
    if (code >= 400) return classify_smtp_reply(static_cast<int>(code), reply_text(replies.refusal));
    std::string why = err[0] ? err : curl_easy_strerror(rc);
    return connection_failure(why);
}

}  // namespace parley::server
