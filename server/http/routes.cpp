// The route table. See routes.h.
#include "server/http/routes.h"

namespace parley::server {

namespace {

bool inbound_enabled(const HttpOptions& o) { return !o.inbound_secret.empty(); }
// Operators: with a listener of their own (--metrics-listen), not on the main one.
bool ops_on_main(const HttpOptions& o) { return o.metrics_port == 0; }

constexpr const char* kNoQuote = "No such quote.";
constexpr Format kHtml = Format::html;
constexpr Format kJson = Format::json;
constexpr const char* kNoRequest = "No such request.";
constexpr Body kBytes = Body::bytes;
// What a scoped session may call (routes.h: Scoped).
constexpr Scoped kNo = Scoped::no;
constexpr Scoped kRequest = Scoped::request;
constexpr Scoped kQuote = Scoped::quote;
constexpr Scoped kAttachment = Scoped::attachment;
constexpr Scoped kUpload = Scoped::upload;
constexpr Scoped kMessage = Scoped::message;
constexpr Scoped kDelivery = Scoped::delivery;
constexpr Scoped kHeld = Scoped::held;
constexpr Scoped kSession = Scoped::session;
constexpr Scoped kNarrowed = Scoped::narrowed;

// Rows sharing a pattern are listed together, in the order their Allow header names them.
const std::vector<Route> kRoutes = {
    // --- signing in and out
    {"GET", "/login/{token}", get_login, Who::anyone, kNo, kHtml},
    {"GET", "/api/v1/me", get_me, Who::user, kSession},
    {"GET", "/api/v1/me/settings", get_settings, Who::user},
    {"PUT", "/api/v1/me/settings", put_settings, Who::user},
    {"PUT", "/api/v1/me/preferences", put_preferences, Who::user, kSession},  // dark mode: how it looks, any session
    {"POST", "/api/v1/logout", post_logout, Who::user, kSession},
    {"POST", "/api/v1/auth/full-link", post_full_link, Who::user, kSession},
    // --- requests and their workflow
    {"GET", "/api/v1/requests", get_inbox, Who::user, kNarrowed},
    {"GET", "/api/v1/export/requests", get_export, Who::user},
    {"POST", "/api/v1/requests", post_request, Who::user},
    {"GET", "/api/v1/requests/{id}", get_detail, Who::user, kRequest},
    {"GET", "/api/v1/requests/{id}/history", get_history, Who::user, kRequest},
    {"POST", "/api/v1/requests/{id}/messages", post_message, Who::user, kRequest},
    {"POST", "/api/v1/requests/{id}/read", post_read, Who::user, kRequest},
    {"POST", "/api/v1/requests/{id}/phone", post_phone, Who::user, kRequest},
    {"POST", "/api/v1/requests/{id}/cc", post_cc, Who::user, kRequest},
    {"POST", "/api/v1/requests/{id}/forward", post_forward, Who::user, kRequest},
    {"POST", "/api/v1/requests/{id}/decline", post_decline, Who::user, kRequest},
    {"POST", "/api/v1/requests/{id}/close", post_close, Who::user, kRequest},
    {"POST", "/api/v1/requests/{id}/rating", post_rating, Who::user, kRequest},
    {"GET", "/api/v1/events", get_events, Who::user, kNarrowed},
    {"GET", "/api/v1/contacts", get_contacts, Who::user, kSession},
    // --- the sales network
    {"GET", "/api/v1/network", get_network, Who::user},
    {"POST", "/api/v1/network/members", post_member, Who::user},
    {"POST", "/api/v1/network/members/{id}", update_member, Who::user},
    {"DELETE", "/api/v1/network/members/{id}", delete_member, Who::user},
    // --- leads into the seller's CRM (manufacturers)
    {"GET", "/api/v1/integrations", get_integrations, Who::user},
    {"PUT", "/api/v1/integrations/{kind}", put_integration, Who::user},
    {"DELETE", "/api/v1/integrations/{kind}", delete_integration, Who::user},
    {"POST", "/api/v1/integrations/{kind}/test", post_integration_test, Who::user},
    {"POST", "/api/v1/integrations/{kind}/secret", post_webhook_secret, Who::user},
    {"GET", "/api/v1/integrations/{kind}/deliveries", get_integration_log, Who::user},
    {"POST", "/api/v1/integrations/deliveries/{id}/retry", post_crm_retry, Who::user},
    // --- documents: uploads, attachments, previews
    {"POST", "/api/v1/requests/{id}/attachments", post_attachment, Who::user, kRequest, kJson, kNoRequest, nullptr, kBytes},
    {"POST", "/api/v1/requests/{id}/uploads", post_upload, Who::user, kRequest, kJson, kNoRequest, nullptr, kBytes},
    {"GET", "/api/v1/uploads/{token}", get_upload, Who::user, kUpload},
    {"PUT", "/api/v1/uploads/{token}", put_upload_chunk, Who::user, kUpload, kJson, kNoRequest, nullptr, kBytes},
    {"DELETE", "/api/v1/uploads/{token}", delete_upload, Who::user, kUpload},
    {"POST", "/api/v1/uploads/{token}/complete", post_upload_complete, Who::user, kUpload, kJson, kNoRequest, nullptr, kBytes},
    {"GET", "/api/v1/attachments/{id}", get_attachment, Who::user, kAttachment},
    {"GET", "/api/v1/attachments/{id}/pages", get_attachment_pages, Who::user, kAttachment},
    {"GET", "/api/v1/attachments/{id}/pages/{page}", get_attachment_page, Who::user, kAttachment},
    // --- quotes and their payment
    {"POST", "/api/v1/requests/{id}/quotes", post_quote, Who::user, kRequest},
    {"GET", "/api/v1/quotes/{id}", get_quote, Who::user, kQuote, kJson, kNoQuote},
    {"POST", "/api/v1/quotes/{id}/revise", post_revise_quote, Who::user, kQuote, kJson, kNoQuote},
    {"POST", "/api/v1/quotes/{id}/open", post_open_quote, Who::user, kQuote, kJson, kNoQuote},
    {"POST", "/api/v1/quotes/{id}/accept", post_accept_quote, Who::user, kQuote, kJson, kNoQuote},
    {"POST", "/api/v1/quotes/{id}/pay", post_pay_quote, Who::user, kQuote, kJson, kNoQuote},
    {"GET", "/api/v1/quotes/{id}/pdf", get_quote_pdf, Who::user, kQuote},
    {"GET", "/api/v1/quotes/{id}/pdf/pages", get_quote_pdf_pages, Who::user, kQuote},
    {"GET", "/api/v1/quotes/{id}/pdf/pages/{page}", get_quote_pdf_page, Who::user, kQuote},
    {"GET", "/pay/demo/{session}", demo_checkout, Who::anyone, kNo, kHtml},
    {"POST", "/pay/demo/{session}", demo_checkout, Who::anyone, kNo, kHtml},
    {"POST", "/api/v1/payments/{provider}/webhook", post_payment_webhook, Who::signature},
    // --- e-mail (the development mailbox holds the step-up link: a full session's)
    {"GET", "/api/v1/dev/mailbox", get_dev_mailbox_json, Who::user},
    {"GET", "/dev/mailbox", get_dev_mailbox_page, Who::user, kNo, kHtml},
    {"POST", "/dev/mailbox/{id}/reply", post_dev_mailbox_reply, Who::user, kNo, kHtml},
    {"POST", "/api/v1/deliveries/{id}/retry", post_retry_delivery, Who::user, kDelivery},
    {"GET", "/api/v1/messages/{id}/original", get_message_original, Who::user, kMessage},
    {"POST", "/api/v1/mail/held/{id}/post", post_held_reply, Who::user, kHeld, kJson, kNoRequest},
    {"POST", "/api/v1/mail/held/{id}/discard", discard_held_reply, Who::user, kHeld, kJson, kNoRequest},
    {"POST", "/api/v1/mail/inbound", post_mail_inbound, Who::secret, kNo, kJson, kNoRequest, inbound_enabled},
    // --- translation
    {"GET", "/api/v1/translation/languages", get_translation_languages, Who::user, kSession},
    {"GET", "/api/v1/requests/{id}/translations", get_translations, Who::user, kRequest},
    // --- operators (also on --metrics-listen, alone there)
    {"GET", "/healthz", get_healthz, Who::anyone, kNo, kJson, kNoRequest, ops_on_main},
    {"GET", "/metrics", get_metrics, Who::operators, kNo, kJson, kNoRequest, ops_on_main},
};

}  // namespace

const char* who_name(Who w) {
    switch (w) {
        case Who::anyone: return "anyone";
        case Who::user: return "signed in";
        case Who::operators: return "operators";
        case Who::secret: return "inbound secret";
        case Who::signature: return "provider signature";
    }
    return "?";
}

const char* scoped_name(Scoped s) {
    switch (s) {
        case Scoped::no: return "refused";
        case Scoped::request: return "its request";
        case Scoped::quote: return "a quote of its request";
        case Scoped::attachment: return "an attachment of its request";
        case Scoped::upload: return "an upload into its request";
        case Scoped::message: return "a message of its request";
        case Scoped::delivery: return "a delivery of its request";
        case Scoped::held: return "a held reply of its request";
        case Scoped::session: return "yes";
        case Scoped::narrowed: return "its request only";
    }
    return "?";
}

bool scoped_allows(Scoped rule, int64_t scope, int64_t target) {
    switch (rule) {
        case Scoped::no: return false;
        case Scoped::session:
        case Scoped::narrowed: return true;
        default: return scope > 0 && target == scope;  // a missing or foreign object: refused alike
    }
}

const std::vector<Route>& route_table() { return kRoutes; }

bool match_pattern(std::string_view pattern, std::string_view path, std::string_view& id_text,
                   std::string_view& arg) {
    // Both start with '/': compare segment by segment.
    if (pattern.empty() || path.empty() || pattern[0] != '/' || path[0] != '/') return false;
    size_t p = 1, q = 1;
    for (;;) {
        size_t pe = pattern.find('/', p), qe = path.find('/', q);
        std::string_view ps = pattern.substr(p, pe == std::string_view::npos ? std::string_view::npos : pe - p);
        std::string_view qs = path.substr(q, qe == std::string_view::npos ? std::string_view::npos : qe - q);
        if (ps.size() > 2 && ps.front() == '{' && ps.back() == '}') {
            if (qs.empty()) return false;
            (ps == "{id}" ? id_text : arg) = qs;
        } else if (ps != qs) {
            return false;
        }
        bool pattern_done = pe == std::string_view::npos, path_done = qe == std::string_view::npos;
        if (pattern_done || path_done) return pattern_done && path_done;
        p = pe + 1;
        q = qe + 1;
    }
}

RouteMatch match_route(std::string_view path, std::string_view method, const HttpOptions& options) {
    RouteMatch m;
    for (const Route& r : kRoutes) {
        if (r.enabled && !r.enabled(options)) continue;
        std::string_view id_text, arg;
        if (!match_pattern(r.pattern, path, id_text, arg)) continue;
        m.format = r.format;
        if (m.index < 0) m.index = static_cast<int>(&r - kRoutes.data());
        if (method == r.method) {
            m.route = &r;
            m.index = static_cast<int>(&r - kRoutes.data());
            m.id_text = id_text;
            m.arg = arg;
            return m;
        }
        if (!m.allow.empty()) m.allow += ", ";
        m.allow += r.method;
    }
    if (m.allow.empty())  // no row's pattern fits: a 404, shaped like the pages under that prefix
        for (const Route& r : kRoutes) {
            std::string_view pattern = r.pattern;
            size_t brace = pattern.find('{');
            if (r.format != Format::html || brace == std::string_view::npos) continue;
            if (path.rfind(pattern.substr(0, brace), 0) == 0) m.format = Format::html;
        }
    return m;
}

RouteMatch match_ops_route(std::string_view path, std::string_view method) {
    RouteMatch m;
    for (const Route& r : kRoutes) {
        if (r.enabled != ops_on_main || path != r.pattern) continue;
        const int index = static_cast<int>(&r - kRoutes.data());
        if (m.index < 0) m.index = index;
        if (method == r.method) {
            m.route = &r;
            m.index = index;
            return m;
        }
        if (!m.allow.empty()) m.allow += ", ";
        m.allow += r.method;
    }
    return m;
}

}  // namespace parley::server
