// The handlers of the route table (routes.cpp): one free function per endpoint, each
// reading its request and answering through the Exchange. They only translate: the
// decisions are the domain's.
//
// Index (by file):
//   api_requests.cpp   me, logout, inbox (and its export), requests, messages, read
//                      marks, workflow actions, contacts, network, events (long-poll),
//                      settings, translations
//   api_documents.cpp  single-request and chunked uploads, attachments, quote PDFs,
//                      PDF page previews
//   api_quotes.cpp     quotes: new, revise, view, open, accept, pay
//   api_mail.cpp       development mailbox (JSON), delivery retry, original mail,
//                      mail inbound (providers' webhooks)
//   api_ops.cpp        operators: health (/healthz), metrics (/metrics)
//   pages.cpp          sign-in links, the development mailbox pages, the demo
//                      checkout, payment webhooks
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include "server/domain/domain.h"
#include "server/http/exchange.h"
#include "server/http/mail_in_queue.h"
#include "server/http/options.h"
#include "server/http/static_files.h"
#include "server/domain/uploads.h"

namespace parley::server {

// What every handler may use, one per server.
struct Site {
    Site(Domain& d, const HttpOptions& o) : domain(d), options(o), uploads(d), mail_in(mail_in_limits(o.mail_in_queue)) {
        if (!o.web_root.empty()) files.emplace(o.web_root);
    }
    Domain& domain;
    const HttpOptions& options;
    Uploads uploads;                   // chunked uploads in progress
    std::optional<StaticFiles> files;  // the web client (--web-root)
    MailInQueue mail_in;               // e-mail in, read off the HTTP workers (last: stopped first)
};

// One call of a handler.
struct Call {
    Exchange& ex;
    Site& site;
    std::optional<User> me;   // the signed-in user (always set for Who::user rows)
    int64_t id = 0;           // the {id} segment
    std::string_view arg;     // the row's other segment: {token}, {session}, {provider}, {page}
    int64_t scope = 0;        // a scoped session: the one request it opens (0: a full session)
    bool ops_listener = false;  // arrived on the operators' own listener (--metrics-listen)
    Domain& domain() { return site.domain; }
};

using Handler = void (*)(Call&);

// The session cookie's name and header (pages.cpp).
inline constexpr std::string_view kSessionCookie = "parley_session";
std::string session_cookie(const HttpOptions& o, const std::string& token, Millis max_age_ms);

// --- api_requests.cpp ---
void get_me(Call&);
void post_logout(Call&);
void post_full_link(Call&);
void get_inbox(Call&);
void get_export(Call&);
void post_request(Call&);
void get_detail(Call&);
void get_history(Call&);
void post_message(Call&);
void post_read(Call&);
void post_phone(Call&);
void post_cc(Call&);
void post_forward(Call&);
void post_decline(Call&);
void post_close(Call&);
void post_rating(Call&);
void get_contacts(Call&);
void post_held_reply(Call&);
void discard_held_reply(Call&);
void get_network(Call&);
void post_member(Call&);
void update_member(Call&);
void delete_member(Call&);
void get_events(Call&);
void get_settings(Call&);
void put_settings(Call&);
void put_preferences(Call&);
void get_translation_languages(Call&);
void get_translations(Call&);

// --- api_documents.cpp ---
void post_attachment(Call&);
void get_attachment(Call&);
void get_attachment_pages(Call&);
void get_attachment_page(Call&);
void get_quote_pdf(Call&);
void get_quote_pdf_pages(Call&);
void get_quote_pdf_page(Call&);
void post_upload(Call&);
void get_upload(Call&);
void put_upload_chunk(Call&);
void post_upload_complete(Call&);
void delete_upload(Call&);

// --- api_quotes.cpp ---
void post_quote(Call&);
void get_quote(Call&);
void post_revise_quote(Call&);
void post_open_quote(Call&);
void post_accept_quote(Call&);
void post_pay_quote(Call&);

// --- api_mail.cpp ---
void get_dev_mailbox_json(Call&);
void post_retry_delivery(Call&);
void get_message_original(Call&);
void post_mail_inbound(Call&);

// --- api_crm.cpp (leads into the seller's CRM) ---
void get_integrations(Call&);
void put_integration(Call&);
void delete_integration(Call&);
void post_integration_test(Call&);
void post_webhook_secret(Call&);
void post_crm_retry(Call&);
void get_integration_log(Call&);

// --- api_ops.cpp (operators) ---
void get_healthz(Call&);
void get_metrics(Call&);

// --- pages.cpp ---
void get_login(Call&);
void get_dev_mailbox_page(Call&);
void post_dev_mailbox_reply(Call&);
void demo_checkout(Call&);       // GET and POST
void post_payment_webhook(Call&);

}  // namespace parley::server
