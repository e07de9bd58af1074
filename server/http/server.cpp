#include "server/http/server.h"

#include <restinio/all.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/http/pages.h"
#include "server/http/documents.h"
#include "server/http/payments.h"
#include "server/http/routes.h"
#include "server/http/util.h"
#include "server/http/mail_inbound.h"
#include "server/base/log.h"
#include "server/http/static_files.h"
#include "server/http/uploads.h"

namespace parley::server {
namespace {

using Req = restinio::request_handle_t;
using SteadyClock = std::chrono::steady_clock;
using Headers = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kJson = "application/json; charset=utf-8";
constexpr const char* kHtml = "text/html; charset=utf-8";
constexpr std::string_view kCookie = "parley_session";
constexpr std::string_view kApi = "/api/v1";

// Request path as logged: magic-link tokens are secrets and never reach the log.
std::string_view loggable_path(std::string_view path) {
    if (path.rfind("/login/", 0) == 0) return "/login/<token>";
    if (path.rfind("/pay/demo/", 0) == 0) return "/pay/demo/<session>";
    return path.size() > 300 ? path.substr(0, 300) : path;
}

void log_request(const Req& req, int status, SteadyClock::time_point t0) {
    if (RequestLog* log = request_log()) {
        double ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count();
        log->request(req->header().method().c_str(), loggable_path(req->header().path()),
                     status, ms);
    }
}

template <class Body>
void send(const Req& req, SteadyClock::time_point t0, int status, std::string_view content_type, Body&& body,
          const Headers& headers = {}) {
    auto resp = req->create_response(restinio::http_status_line_t{
        restinio::http_status_code_t{static_cast<std::uint16_t>(status)}, reason_phrase(status)});
    resp.append_header(restinio::http_field::content_type, std::string(content_type));
    for (const auto& [name, value] : headers) resp.append_header(name, value);
    resp.set_body(std::forward<Body>(body));
    resp.done();
    log_request(req, status, t0);
}

void send_json(const Req& req, SteadyClock::time_point t0, int status, std::string body, Headers headers = {}) {
    headers.emplace_back("Cache-Control", "no-store");
    send(req, t0, status, kJson, std::move(body), headers);
}

void send_error(const Req& req, SteadyClock::time_point t0, int status, const std::string& code,
                const std::string& message, Headers headers = {}) {
    send_json(req, t0, status, error_body(code, message), std::move(headers));
}

void send_no_content(const Req& req, SteadyClock::time_point t0, Headers headers = {}) {
    auto resp = req->create_response(restinio::http_status_line_t{restinio::http_status_code_t{204}, "No Content"});
    for (const auto& [name, value] : headers) resp.append_header(name, value);
    resp.append_header("Cache-Control", "no-store");
    resp.done();
    log_request(req, 204, t0);
}

std::string html_page(const std::string& title, const std::string& text) {
    return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
           "<title>" + title + "</title></head><body style=\"font-family:sans-serif;max-width:36em;"
           "margin:4em auto;padding:0 1em\"><h1>" + title + "</h1><p>" + text + "</p></body></html>\n";
}

const Headers kNoStoreHeaders = {{"Cache-Control", "no-store"}};
const Headers kHtmlHeaders = {{"X-Content-Type-Options", "nosniff"}, {"Referrer-Policy", "same-origin"},
                              {"Cache-Control", "no-store"}};

// A long-poll answer callback: sends on the connection's own worker thread.
Hub::Reply make_reply(const Req& req, SteadyClock::time_point t0);

// ------------------------------------------------------------------ router

class Router {
public:
    Router(Domain& d, const HttpOptions& o) : domain_(d), opts_(o) {
        if (!o.web_root.empty()) files_.emplace(o.web_root);
    }

    restinio::request_handling_status_t handle(Req req) {
        auto t0 = SteadyClock::now();
        try {
            route(req, t0);
        } catch (const std::exception& e) {
            internal_error(req, t0, e.what());
        } catch (...) {
            internal_error(req, t0, "unknown exception");
        }
        return restinio::request_accepted();
    }

private:
    void internal_error(const Req& req, SteadyClock::time_point t0, const char* what) {
        log_line(std::string("error: ") + std::string(loggable_path(req->header().path())) + ": " + what);
        try {
            send_error(req, t0, 500, "internal", "Internal server error.");
        } catch (...) {
            // a response was already under way: nothing more to say
        }
    }

    void route(const Req& req, SteadyClock::time_point t0) {
        std::string_view path = req->header().path();
        if (path.rfind("/api/v1/payments/", 0) == 0 && path.size() > 25 && path.substr(path.size() - 8) == "/webhook")
            return payment(req, t0, payment_webhook(domain_, req->header().method().c_str(),
                                                    std::string(path.substr(17, path.size() - 25)), req->body(),
                                                    header_or_empty(req, "Stripe-Signature")));
        if (path.rfind("/pay/demo/", 0) == 0)  // the demo provider's checkout page (not the SPA)
            return payment(req, t0, demo_checkout_page(domain_, req->header().method().c_str(), path.substr(10),
                                                       req->body()));
        if (path == "/api/v1/mail/inbound") return mail_inbound(req, t0);
        if (path == "/dev/mailbox" || path.rfind("/dev/mailbox/", 0) == 0) return dev_mailbox(req, t0, path);
        if (path.rfind("/api/", 0) == 0 || path == "/api") return api(req, t0, path);
        if (path.rfind("/login/", 0) == 0) return login(req, t0, path.substr(7));
        if (files_) return static_file(req, t0, path);
        send_error(req, t0, 404, "not_found", "Not found.");
    }

    // ------------------------------------------------------------------ API
    std::optional<User> session_user(const Req& req) {
        auto cookie = req->header().try_get_field(restinio::http_field::cookie);
        if (!cookie) return std::nullopt;
        std::string_view token = cookie_value(*cookie, kCookie);
        if (token.empty()) return std::nullopt;
        return domain_.authenticate(token);
    }

    void api(const Req& req, SteadyClock::time_point t0, std::string_view path) {
        std::string_view method = req->header().method().c_str();
        std::string_view id_text;
        auto [r, allow] = path.rfind(kApi, 0) == 0 ? match_api(path.substr(kApi.size()), method, id_text)
                                                   : std::pair{Route::none, ""};
        if (r == Route::none) {
            if (*allow == 0) return send_error(req, t0, 404, "not_found", "No such API endpoint.");
            return send_error(req, t0, 405, "method_not_allowed", std::string("Use ") + allow + " for this endpoint.",
                              {{"Allow", allow}});
        }

        auto me = session_user(req);
        if (!me) return send_error(req, t0, 401, "unauthorized", "Sign in with your magic link first.");

        int64_t id = 0;
        if (upload_route(r)) return uploads(req, t0, *me, r, id_text);
        if (!id_text.empty()) {
            auto parsed = parse_id(id_text);
            if (!parsed) {
                bool quote = r == Route::quote || r == Route::revise_quote || r == Route::open_quote ||
                             r == Route::accept_quote || r == Route::pay_quote;
                return send_error(req, t0, 404, "not_found", quote ? "No such quote." : "No such request.");
            }
            id = *parsed;
        }
        const std::string& body = req->body();
        switch (r) {
            case Route::me:
                return send_json(req, t0, 200, nlohmann::json(*me).dump());
            case Route::logout: {
                auto cookie = req->header().try_get_field(restinio::http_field::cookie);
                if (cookie) domain_.logout(cookie_value(*cookie, kCookie));
                return send_no_content(req, t0, {{"Set-Cookie", cookie_header("", 0)}});
            }
            case Route::inbox:
                return send_json(req, t0, 200, nlohmann::json(domain_.inbox(*me)).dump());
            case Route::detail: {
                auto json = domain_.detail_json(*me, id);
                if (!json) return fail(req, t0, json.error);
                return send(req, t0, 200, kJson, std::move(*json), kNoStoreHeaders);
            }
            case Route::messages: {
                auto key = req->header().try_get_field("Idempotency-Key");
                auto posted = domain_.post_message(*me, id, key, body);
                if (!posted) return fail(req, t0, posted.error);
                return send_json(req, t0, posted->created ? 201 : 200, nlohmann::json(posted->message).dump());
            }
            case Route::read: {
                auto moved = domain_.mark_read(*me, id, body);
                if (!moved) return fail(req, t0, moved.error);
                return send_no_content(req, t0);
            }
            case Route::phone: return answer(req, t0, 200, domain_.reveal_phone(*me, id));
            case Route::cc: return answer(req, t0, 200, domain_.add_recipient(*me, id, body, false));
            case Route::forward: return answer(req, t0, 200, domain_.add_recipient(*me, id, body, true));
            case Route::decline: return answer(req, t0, 200, domain_.decline(*me, id, body));
            case Route::close: return answer(req, t0, 200, domain_.close(*me, id, body));
            case Route::rating: return answer(req, t0, 200, domain_.rate(*me, id, body));
            case Route::new_request: return answer(req, t0, 201, domain_.create_request(*me, body));
            case Route::contacts: return answer(req, t0, 200, domain_.contacts(*me));
            case Route::dev_mailbox: {  // issue 6: my notifications and their delivery status
                if (!domain_.mailer()) return send_error(req, t0, 404, "not_found", "E-mail is not enabled.");
                return send(req, t0, 200, kJson, domain_.mailer()->mailbox_json(me->id, 50), kNoStoreHeaders);
            }
            case Route::network: return answer(req, t0, 200, domain_.network(*me));
            case Route::add_member: return answer(req, t0, 201, domain_.add_member(*me, body));
            case Route::update_member: return answer(req, t0, 200, domain_.update_member(*me, id, body));
            case Route::remove_member: {
                auto done = domain_.remove_member(*me, id);
                if (!done) return fail(req, t0, done.error);
                return send_no_content(req, t0);
            }
            case Route::events:
                return events(req, t0, *me);
            case Route::upload:
                return upload(req, t0, *me, id);
            case Route::attachment:
                return download(req, t0, *me, id);
            case Route::attachment_pages: return documents(req, t0, *me, DocumentRoute::attachment_pages, id);
            case Route::attachment_page: return documents(req, t0, *me, DocumentRoute::attachment_page, id);
            case Route::quote_pdf: return documents(req, t0, *me, DocumentRoute::quote_pdf, id);
            case Route::quote_pdf_pages: return documents(req, t0, *me, DocumentRoute::quote_pdf_pages, id);
            case Route::quote_pdf_page: return documents(req, t0, *me, DocumentRoute::quote_pdf_page, id);
            case Route::new_upload:
                return reply(req, t0, uploads_.create(*me, id, req->header().query()));
            case Route::new_quote: return answer(req, t0, 201, domain_.create_quote(*me, id, body));
            case Route::quote: return answer(req, t0, 200, domain_.quote(*me, id));
            case Route::revise_quote: return answer(req, t0, 201, domain_.revise_quote(*me, id, body));
            case Route::accept_quote: return answer(req, t0, 200, domain_.accept_quote(*me, id, body));
            case Route::pay_quote: return answer(req, t0, 200, domain_.pay_quote(*me, id));
            case Route::open_quote: {
                auto done = domain_.open_quote(*me, id);
                if (!done) return fail(req, t0, done.error);
                return send_no_content(req, t0);
            }
            case Route::retry_delivery:  // issue 6: answers the request's detail as the author sees it
                return answer(req, t0, 200, domain_.retry_delivery(*me, id));
            case Route::message_original: {  // issue 6: the raw mail, shown as text, never rendered
                auto raw = domain_.original_mail(*me, id);
                if (!raw) return fail(req, t0, raw.error);
                Headers h = {{"Content-Disposition", "inline; filename=\"message-" + std::to_string(id) + ".eml.txt\""},
                             {"X-Content-Type-Options", "nosniff"},
                             {"Cache-Control", "private, no-store"},
                             {"Content-Security-Policy", "default-src 'none'; sandbox"}};
                return send(req, t0, 200, "text/plain; charset=utf-8", std::move(*raw), h);
            }
            case Route::translation_languages:  // issue 7
                return send_json(req, t0, 200, nlohmann::json(domain_.translation_languages()).dump());
            case Route::translations: return translations(req, t0, *me, id);
            case Route::settings: return answer(req, t0, 200, domain_.settings(*me));
            case Route::update_settings: return answer(req, t0, 200, domain_.update_settings(*me, body));
            case Route::upload_status: case Route::upload_chunk: case Route::upload_complete:
            case Route::upload_cancel: case Route::none:
                break;
        }
    }

    // GET /requests/{id}/translations?to=fr[&items=m12,r3] (issue 7).
    void translations(const Req& req, SteadyClock::time_point t0, const User& me, int64_t request_id) {
        std::string_view query = req->header().query();
        std::string to = query_param(query, "to").value_or("");
        std::vector<std::string> items;
        if (query.find("items=") != std::string_view::npos) {
            auto list = query_param(query, "items");
            if (!list) return send_error(req, t0, 400, "invalid_field", "\"items\" is badly encoded.");
            for (size_t a = 0; a <= list->size();) {
                size_t b = list->find(',', a);
                if (b == std::string::npos) b = list->size();
                if (b > a) items.push_back(list->substr(a, b - a));
                a = b + 1;
            }
            if (items.size() > 500) return send_error(req, t0, 400, "invalid_field", "At most 500 items at once.");
        }
        long retry_after = -1;
        auto r = domain_.translations(me, request_id, to, items, &retry_after);
        if (!r) {
            Headers h;
            if (retry_after > 0) h.emplace_back("Retry-After", std::to_string(retry_after));
            return send_error(req, t0, r.error.status, r.error.code, r.error.message, std::move(h));
        }
        send_json(req, t0, 200, nlohmann::json(*r).dump());
    }

    // Chunked uploads (server/http/uploads.h): PUT bodies are at most one chunk.
    void uploads(const Req& req, SteadyClock::time_point t0, const User& me, Route r, std::string_view id) {
        switch (r) {
            case Route::upload_status: return reply(req, t0, uploads_.status(me, id));
            case Route::upload_chunk:
                return reply(req, t0, uploads_.put(me, id, req->header().query(), std::string_view(req->body())));
            case Route::upload_complete: return reply(req, t0, uploads_.complete(me, id));
            case Route::upload_cancel: return reply(req, t0, uploads_.cancel(me, id));
            default: return send_error(req, t0, 404, "not_found", "No such API endpoint.");
        }
    }

    void reply(const Req& req, SteadyClock::time_point t0, UploadReply r) {
        if (r.status == 204) return send_no_content(req, t0);
        send_json(req, t0, r.status, std::move(r.body));
    }

    template <class T>
    void answer(const Req& req, SteadyClock::time_point t0, int status, Result<T> result) {
        if (!result) return fail(req, t0, result.error);
        send_json(req, t0, status, nlohmann::json(*result).dump());
    }

    void fail(const Req& req, SteadyClock::time_point t0, const DomainError& e) {
        send_error(req, t0, e.status, e.code, e.message);
    }

    // POST /requests/{id}/attachments?kind=&name=&conversation_id= with the raw bytes.
    // RESTinio has read the whole body into req->body(): that string is the only copy
    // (hashing, sniffing and writing work on a view of it). RESTinio calls handlers with
    // complete bodies, so the Content-Length check below saves the hashing, not the read;
    // bodies over the parser's max_body_size (1.5 × the limit) are cut off unread.
    void upload(const Req& req, SteadyClock::time_point t0, const User& me, int64_t request_id) {
        if (auto len = req->header().try_get_field("Content-Length")) {
            auto n = parse_cursor(*len);
            if (n && *n > kMaxUploadBytes)
                return send_error(req, t0, 413, "file_too_large", "The file is larger than 10 MB.");
        }
        std::string_view query = req->header().query();
        Domain::UploadParams p;
        if (query.find("kind=") != std::string_view::npos) {
            auto kind = query_param(query, "kind");
            if (!kind) return send_error(req, t0, 400, "invalid_field", "\"kind\" must be \"quote\" or \"other\".");
            p.kind = *kind;
        }
        if (query.find("name=") != std::string_view::npos) {
            auto name = query_param(query, "name");
            if (!name) return send_error(req, t0, 400, "invalid_field", "\"name\" is badly encoded.");
            p.name = *name;
        }
        if (query.find("conversation_id=") != std::string_view::npos) {
            auto text = query_param(query, "conversation_id");
            auto v = text ? parse_cursor(*text) : std::nullopt;
            if (!v) return send_error(req, t0, 400, "invalid_field", "\"conversation_id\" must be an integer.");
            p.conversation_id = *v;
        }
        const std::string& data = req->body();
        answer(req, t0, 201, domain_.upload(me, request_id, p, std::string_view(data)));
    }

    // Quote PDFs and page previews: answered by http_documents.cpp.
    void documents(const Req& req, SteadyClock::time_point t0, const User& me, DocumentRoute r, int64_t id) {
        DocumentAnswer a = document_answer(domain_, me, r, id, req->header().path(), req->header().query());
        send(req, t0, a.status, a.content_type, std::move(a.body), a.headers);
    }

    // GET /attachments/{id}: the stored file, sent from disk (sendfile).
    void download(const Req& req, SteadyClock::time_point t0, const User& me, int64_t id) {
        auto d = domain_.download(me, id);
        if (!d) return fail(req, t0, d.error);
        Headers h = {{"Content-Disposition", content_disposition(d->attachment.name)},
                     {"X-Content-Type-Options", "nosniff"},
                     {"Cache-Control", "private, max-age=0"},
                     {"Content-Security-Policy", "default-src 'none'; sandbox"}};
        // A 10 MB file on a slow link needs more than the 20 s response time limit.
        send(req, t0, 200, d->attachment.type, restinio::sendfile(d->path).timelimit(std::chrono::minutes(5)), h);
    }

    void events(const Req& req, SteadyClock::time_point t0, const User& me) {
        int64_t after = 0;
        std::string_view query = req->header().query();
        if (query.find("after=") != std::string_view::npos) {
            auto text = query_param(query, "after");
            auto v = text ? parse_cursor(*text) : std::nullopt;
            if (!v) return send_error(req, t0, 400, "invalid_cursor", "\"after\" must be a non-negative integer.");
            after = *v;
        }
        auto deadline = SteadyClock::now() + std::chrono::seconds(opts_.poll_timeout_s);
        // Called at most once, from whichever thread publishes the event or sweeps.
        auto now = domain_.poll_events(me, after, deadline, make_reply(req, t0));
        if (now) send_json(req, t0, 200, nlohmann::json(*now).dump());
    }

    // ------------------------------------------------------------------ payments (http_payments.cpp)
    static std::string header_or_empty(const Req& req, std::string_view name) {
        auto v = req->header().try_get_field(name);
        return v ? std::string(*v) : std::string();
    }
    void payment(const Req& req, SteadyClock::time_point t0, PaymentAnswer a) {
        send(req, t0, a.status, a.content_type, std::move(a.body), a.headers);
    }

    // The development mailbox page (issue 6, dev_mailbox.h): GET lists my mails; POST
    // /dev/mailbox/{id}/reply answers one by e-mail, then 303 back (no resubmission).
    void dev_mailbox(const Req& req, SteadyClock::time_point t0, std::string_view path) {
        Headers h = kHtmlHeaders;
        h.emplace_back("Content-Security-Policy",
                       "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'");
        auto me = session_user(req);
        if (!me)
            return send(req, t0, 401, kHtml,
                        html_page("Sign in first", "Open your sign-in link, then come back to the mailbox."), h);
        if (!domain_.mailer()) return send(req, t0, 404, kHtml, html_page("Not found", "E-mail is not enabled."), h);
        std::string_view method = req->header().method().c_str();
        if (path == "/dev/mailbox") {
            if (method != "GET") return send_error(req, t0, 405, "method_not_allowed", "Use GET.", {{"Allow", "GET"}});
            std::string_view q = req->header().query();
            std::string result = query_param(q, "result").value_or("");
            std::string notice = result == "posted"      ? "Your reply was posted: it is in the request's page now."
                                 : result == "duplicate" ? "This reply had already been posted."
                                 : result.empty()        ? ""
                                                         : "Not posted: " + query_param(q, "why").value_or(result);
            return send(req, t0, 200, kHtml, dev_mailbox_html(domain_, *me, notice, result == "posted"), h);
        }
        std::string_view rest = path.substr(13);  // "<id>/reply"
        size_t slash = rest.find('/');
        auto id = parse_id(rest.substr(0, slash));
        if (!id || slash == std::string_view::npos || rest.substr(slash) != "/reply")
            return send(req, t0, 404, kHtml, html_page("Not found", "No such page."), h);
        if (method != "POST") return send_error(req, t0, 405, "method_not_allowed", "Use POST.", {{"Allow", "POST"}});
        auto r = domain_.dev_mail_reply(*me, *id, query_param(req->body(), "text").value_or(""));
        std::string to = "/dev/mailbox?result=";
        if (!r) to += "error&why=" + form_encode(r.error.message);
        else if (r->status == kMailInRefused) to += "error&why=" + form_encode(r->detail);
        else to += r->status;
        h.emplace_back("Location", to);
        send(req, t0, 303, kHtml, html_page("Sent", "Back to <a href=\"/dev/mailbox\">the mailbox</a>."), h);
    }

    // POST /api/v1/mail/inbound (issue 6): answered by http_mail_in.cpp.
    void mail_inbound(const Req& req, SteadyClock::time_point t0) {
        MailInAnswer a = mail_inbound_answer(domain_, opts_.inbound_secret, req->header().method().c_str(),
                                             header_or_empty(req, "Authorization"), req->body());
        Headers h;
        if (a.www_authenticate) h.emplace_back("WWW-Authenticate", "Bearer");
        if (a.allow_post) h.emplace_back("Allow", "POST");
        send_json(req, t0, a.status, std::move(a.body), std::move(h));
    }

    // ------------------------------------------------------------------ sign-in
    std::string cookie_header(const std::string& token, Millis max_age_ms) const {
        std::string c = std::string(kCookie) + "=" + token + "; HttpOnly; SameSite=Lax; Path=/; Max-Age=" +
                        std::to_string(max_age_ms / 1000);
        if (opts_.secure_cookies) c += "; Secure";
        return c;
    }

    void login(const Req& req, SteadyClock::time_point t0, std::string_view token) {
        if (req->header().method() != restinio::http_method_get())
            return send_error(req, t0, 405, "method_not_allowed", "Use GET for sign-in links.", {{"Allow", "GET"}});
        auto session = domain_.login(token);
        if (!session) {
            Headers h = kHtmlHeaders;
            return send(req, t0, 401, kHtml,
                        html_page("This sign-in link is invalid",
                                  "The link is invalid or has expired. Ask for a new sign-in link."),
                        h);
        }
        std::string location = "/";
        auto next = query_param(req->header().query(), "next");
        // A link from an e-mail is single-purpose: it lands on its request whatever `next` says.
        if (session->request_id > 0) location = scoped_landing(session->request_id, next.value_or(""));
        else if (next && is_local_path(*next)) location = *next;
        Headers h = kHtmlHeaders;
        h.emplace_back("Location", location);
        h.emplace_back("Set-Cookie", cookie_header(session->session_token, session->max_age_ms));
        send(req, t0, 302, kHtml, html_page("Signed in", "Continue to <a href=\"/\">Parley</a>."), h);
    }

    // ------------------------------------------------------------------ static client
    void static_file(const Req& req, SteadyClock::time_point t0, std::string_view path) {
        if (req->header().method() != restinio::http_method_get())
            return send_error(req, t0, 405, "method_not_allowed", "Use GET for files.", {{"Allow", "GET"}});
        auto enc = req->header().try_get_field(restinio::http_field::accept_encoding);
        bool gzip = enc && enc->find("gzip") != std::string::npos;
        StaticResponse r = files_->get(path, gzip);
        send(req, t0, r.status, r.content_type, std::move(r.body), r.headers);
    }

    Domain& domain_;
    const HttpOptions& opts_;
    std::optional<StaticFiles> files_;
    Uploads uploads_{domain_};
};

// One single-threaded RESTinio server per worker thread, all listening on the same port
// (SO_REUSEPORT: the kernel spreads connections). Everything about a connection happens
// on its worker's thread, so no strands or locks are needed on the hot path; answers
// computed elsewhere (long-poll wake-ups) are posted to the connection's worker.
using Traits = restinio::single_thread_traits_t<restinio::asio_timer_manager_t, restinio::null_logger_t>;
using Server = restinio::http_server_t<Traits>;
using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

struct Worker {
    asio::io_context ioctx{1};
    std::unique_ptr<Server> server;
    asio::steady_timer grace{ioctx};
    std::thread thread;
};

// The io_context of the worker running the current thread (nullptr elsewhere).
thread_local asio::io_context* t_home = nullptr;

Hub::Reply make_reply(const Req& req, SteadyClock::time_point t0) {
    asio::io_context* home = t_home;
    return [req, t0, home](Hub::Body body) {
        auto answer = [req, t0, body = std::move(body)]() mutable {
            try {
                send(req, t0, 200, kJson, std::move(body), kNoStoreHeaders);
            } catch (...) {
                // connection already gone
            }
        };
        if (home) asio::post(*home, std::move(answer));
        else answer();
    };
}

}  // namespace

void serve(Domain& domain, const HttpOptions& options, const std::function<void()>& on_listening) {
    Router router(domain, options);
    const unsigned n = options.threads ? options.threads : std::max(2u, std::thread::hardware_concurrency());

    // Bodies up to 1.5 × the upload limit reach the handler (→ JSON 413 from the domain:
    // kMaxJsonBody for JSON endpoints, kMaxUploadBytes for files); larger ones are
    // refused by the parser before they are read (connection closed).
    auto limits = restinio::incoming_http_msg_limits_t{}
                      .max_url_size(8 * 1024)
                      .max_field_name_size(1024)
                      .max_field_value_size(16 * 1024)
                      .max_field_count(100)
                      .max_body_size(static_cast<size_t>(kMaxUploadBytes + kMaxUploadBytes / 2));
    auto hold = std::chrono::seconds(options.poll_timeout_s);

    // SO_REUSEPORT would let a second server share the port silently: probe with a plain
    // bind first so that "address in use" is reported as usual.
    {
        asio::io_context probe_ctx;
        asio::ip::tcp::acceptor probe(probe_ctx);
        asio::ip::tcp::resolver resolver(probe_ctx);
        auto ep = resolver.resolve(options.host, std::to_string(options.port))->endpoint();
        probe.open(ep.protocol());
        probe.set_option(asio::ip::tcp::acceptor::reuse_address(true));
        probe.bind(ep);  // throws asio::system_error (address in use) if taken
    }

    std::vector<std::unique_ptr<Worker>> workers;
    for (unsigned i = 0; i < n; ++i) {
        auto w = std::make_unique<Worker>();
        restinio::server_settings_t<Traits> settings;
        settings.address(options.host)
            .port(options.port)
            .incoming_http_msg_limits(limits)
            .handle_request_timeout(hold + std::chrono::seconds(30))
            .read_next_http_message_timelimit(std::chrono::seconds(60))
            .write_http_response_timelimit(std::chrono::seconds(20))
            .concurrent_accepts_count(2)
            .acceptor_options_setter([](restinio::acceptor_options_t& o) {
                o.set_option(asio::ip::tcp::acceptor::reuse_address(true));
                o.set_option(ReusePort(true));
            })
            .request_handler([&router](Req req) { return router.handle(std::move(req)); });
        w->server = std::make_unique<Server>(restinio::external_io_context(w->ioctx), std::move(settings));
        w->server->open_sync();  // binds now: a busy port fails here, before any thread runs
        workers.push_back(std::move(w));
    }
    asio::io_context& main_ctx = workers[0]->ioctx;

    // Expired long-polls are answered every 100 ms.
    asio::steady_timer sweeper(main_ctx);
    std::function<void()> sweep = [&] {
        sweeper.expires_after(std::chrono::milliseconds(100));
        sweeper.async_wait([&](const asio::error_code& ec) {
            if (ec) return;
            domain.expire_waiters();
            sweep();
        });
    };
    sweep();

    asio::signal_set signals(main_ctx, SIGINT, SIGTERM);
    signals.async_wait([&](const asio::error_code& ec, int) {
        if (ec) return;
        log_line("parley: shutting down");
        sweeper.cancel();
        domain.hub().drain().deliver();  // held long-polls get their (empty) answer
        for (auto& w : workers) {
            Worker* wp = w.get();
            asio::post(wp->ioctx, [wp] {
                wp->server->close_async(
                    [wp] {
                        // Leave a moment for the last responses to be written.
                        wp->grace.expires_after(std::chrono::milliseconds(100));
                        wp->grace.async_wait([wp](const asio::error_code&) { wp->ioctx.stop(); });
                    },
                    [wp](std::exception_ptr) { wp->ioctx.stop(); });
            });
        }
    });

    for (auto& w : workers) {
        Worker* wp = w.get();
        wp->thread = std::thread([wp] {
            t_home = &wp->ioctx;
            for (;;) {
                try {
                    wp->ioctx.run();
                    break;
                } catch (const std::exception& e) {
                    log_line(std::string("error: worker: ") + e.what());
                }
            }
        });
    }
    on_listening();
    for (auto& w : workers) w->thread.join();
    auto late = domain.hub().drain();  // drop anything that arrived during the shutdown
    late.items.clear();
}

}  // namespace parley::server
