// Online payment over HTTP: the demo provider's checkout page (/pay/demo/{session},
// plain HTML standing for a third-party site) and providers' webhooks
// (/api/v1/payments/{provider}/webhook). Handlers of the route table (handlers.h).
#include "server/http/handlers.h"

#include <nlohmann/json.hpp>

#include "server/http/util.h"
#include "server/base/text.h"

namespace parley::server {
namespace {

Headers checkout_headers() {
    return {{"Cache-Control", "no-store"},
            {"X-Content-Type-Options", "nosniff"},
            {"Referrer-Policy", "same-origin"},  // the session in the URL goes nowhere else
            {"Content-Security-Policy",
             "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"}};
}

constexpr const char* kStyle =
    "body{font-family:system-ui,sans-serif;max-width:30em;margin:0 auto;padding:0 1em 2em;color:#222}"
    ".test{background:#ffb300;color:#000;font-weight:bold;text-align:center;padding:.6em;margin:0 -1em 1.5em}"
    ".amount{font-size:2em;font-weight:bold;margin:.2em 0}"
    ".error{color:#b00020;font-weight:bold}"
    "label{display:block;margin:1em 0 .3em}"
    "input{font-size:1.2em;width:100%;box-sizing:border-box;padding:.4em}"
    "button{font-size:1.1em;margin-top:1em;padding:.5em 1.5em}"
    ".hint{color:#555;font-size:.9em}";

std::string page(const std::string& title, const std::string& content) {
    return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" +
           html_escape(title) + "</title><style>" + kStyle +
           "</style></head><body><p class=\"test\">TEST MODE — no real payment</p>" + content + "</body></html>\n";
}

Answer html(int status, std::string body) { return {status, kHtmlType, std::move(body), checkout_headers()}; }

Answer checkout_form(int status, const Domain::DemoCheckout& c, const std::string& error,
                            const std::string& typed) {
    const Quote& q = c.quote;
    std::string amount = format_money(c.session.amount, c.session.currency, "en");
    std::string s = "<h1>Demo checkout</h1>";
    if (!c.seller_name.empty()) s += "<p>Pay <b>" + html_escape(c.seller_name) + "</b></p>";
    s += "<p>Quote <b>" + html_escape(q.number) + "</b> v" + std::to_string(q.version) + "</p>";
    s += "<p class=\"amount\">" + html_escape(amount) + "</p>";
    if (c.session.paid_at) {
        s += "<p><b>This quote has been paid.</b></p><p><a href=\"" + html_escape(c.session.success_url) +
             "\">Return to Parley</a></p>";
        return html(status, page("Paid — demo checkout", s));
    }
    if (!error.empty()) s += "<p class=\"error\" role=\"alert\">" + html_escape(error) + "</p>";
    s += "<form method=\"post\" action=\"/pay/demo/" + html_escape(c.session.id) +
         "\"><label for=\"card\">Card number</label><input id=\"card\" name=\"card\" inputmode=\"numeric\" "
         "autocomplete=\"cc-number\" maxlength=\"40\" required value=\"" +
         html_escape(typed) + "\"><button type=\"submit\">Pay " + html_escape(amount) + "</button></form>";
    s += "<p class=\"hint\">Test cards: 4242 4242 4242 4242 is approved; 4000 0000 0000 0002 is declined. "
         "No money moves.</p>";
    s += "<p><a href=\"" + html_escape(c.session.cancel_url) + "\">Cancel and return to Parley</a></p>";
    return html(status, page("Pay " + amount + " — demo checkout", s));
}

Answer not_found_page(const std::string& message) {
    return html(404, page("Checkout not found", "<h1>Checkout not found</h1><p>" + html_escape(message) + "</p>"));
}

Answer demo_checkout_answer(Domain& domain, bool get, std::string_view session_id, const std::string& form_body) {
    std::string id(session_id);
    auto c = domain.demo_checkout(id);
    if (!c) return not_found_page(c.error.message);
    if (get) return checkout_form(200, *c, "", "");

    if (c->session.paid_at) return {303, kHtmlType, "", {{"Location", c->session.success_url}, {"Cache-Control", "no-store"}}};
    std::string card;
    if (form_body.size() <= 4096)
        if (auto v = query_param(form_body, "card")) card = std::move(*v);
    if (card.size() > 40) card.resize(40);
    auto outcome = domain.demo_pay(id, card);
    if (!outcome) return checkout_form(outcome.error.status == 404 ? 404 : 409, *c, outcome.error.message, "");
    switch (*outcome) {
        case CardOutcome::approved:
            return {303, kHtmlType, page("Paid", "<h1>Payment approved</h1><p><a href=\"" +
                                                 html_escape(c->session.success_url) + "\">Return to Parley</a></p>"),
                    {{"Location", c->session.success_url}, {"Cache-Control", "no-store"}}};
        case CardOutcome::declined:
            return checkout_form(402, *c, "Your card was declined. Nothing was charged; try another card.", card);
        case CardOutcome::invalid:
            break;
    }
    return checkout_form(400, *c,
                         card.empty() ? "Enter a card number."
                                      : "This card number is not valid. In test mode use 4242 4242 4242 4242.",
                         card);
}

}  // namespace

// GET: the checkout page; POST (form-encoded "card=…"): approved → 303 to the success
// URL after the confirmation, declined (402) / invalid (400) → the page with a red
// message. Unknown or expired session → 404 page.
void demo_checkout(Call& c) {
    c.ex.answer(demo_checkout_answer(c.domain(), c.ex.method() == "GET", c.arg, c.ex.body()));
}

// The raw body with the provider's signature header → 200 {"received": true} or a JSON
// error (400 for forged, stale, malformed or rejected confirmations).
void post_payment_webhook(Call& c) {
    auto r = c.domain().payment_webhook(std::string(c.arg), c.ex.body(), c.ex.header("Stripe-Signature"));
    if (!r) return c.ex.fail(r.error);
    c.ex.json(200, nlohmann::json{{"received", true}, {"paid", *r}}.dump());
}

}  // namespace parley::server
