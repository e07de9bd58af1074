// Payment providers: the demo provider, the Stripe-compatible provider (http_client.h
// + signed webhooks) and their pure checks. See payments.h.
#include "server/payments/providers.h"

#include <sodium.h>

#include <cctype>
#include <mutex>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/base/crypto.h"
#include "server/base/http_client.h"
#include "server/base/log.h"

namespace parley::server {
namespace {

std::string_view trim_ws(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

PaymentError malformed(const std::string& message) { return {400, "malformed_webhook", message}; }

// ------------------------------------------------------------------ demo

class DemoProvider final : public PaymentProvider {
public:
    explicit DemoProvider(std::string public_url) : public_url_(std::move(public_url)) {
        while (!public_url_.empty() && public_url_.back() == '/') public_url_.pop_back();
    }
    std::string name() const override { return "demo"; }
    PaymentResult<Checkout> create_checkout(const CheckoutRequest&) override {
        std::string id = "demo_" + random_token();
        return Checkout{id, public_url_ + "/pay/demo/" + id};
    }
    PaymentResult<std::optional<ConfirmedPayment>> parse_webhook(std::string_view, std::string_view,
                                                                int64_t) override {
        return PaymentError{404, "not_found", "The demo provider has no webhooks."};
    }

private:
    std::string public_url_;
};

// ------------------------------------------------------------------ Stripe

// A JSON string or integer field as text ("" if absent or another type).
std::string text_of(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end()) return {};
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
    return {};
}

class StripeProvider final : public PaymentProvider {
public:
    explicit StripeProvider(StripeConfig c) : c_(std::move(c)) {
        while (!c_.base_url.empty() && c_.base_url.back() == '/') c_.base_url.pop_back();
    }
    std::string name() const override { return "stripe"; }

    PaymentResult<Checkout> create_checkout(const CheckoutRequest& r) override {
        const Quote& q = r.quote;
        std::string currency = q.currency;
        for (char& ch : currency) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        std::vector<std::pair<std::string, std::string>> fields = {
            {"mode", "payment"},
            {"line_items[0][price_data][currency]", currency},
            {"line_items[0][price_data][unit_amount]", std::to_string(q.totals.total)},
            {"line_items[0][price_data][product_data][name]",
             "Quote " + q.number + " v" + std::to_string(q.version) +
                 (r.seller_name.empty() ? "" : " — " + r.seller_name)},
            {"line_items[0][quantity]", "1"},
            {"success_url", r.success_url},
            {"cancel_url", r.cancel_url},
            {"client_reference_id", std::to_string(q.id)},
            {"metadata[quote_id]", std::to_string(q.id)},
            {"metadata[quote_version]", std::to_string(q.version)},
        };
        std::string body;
        for (const auto& [k, v] : fields) {
            if (!body.empty()) body += '&';
            body += form_encode(k);
            body += '=';
            body += form_encode(v);
        }

        HttpCall call;
        call.method = "POST";
        call.url = c_.base_url + "/v1/checkout/sessions";
        call.headers = {"Authorization: Bearer " + c_.api_key, "Content-Type: application/x-www-form-urlencoded"};
        call.body = std::move(body);
        call.timeout_s = c_.timeout_s;
        HttpAnswer got = http_call(call);  // a checkout answer is small: 1 MB at most
        if (!got.ok) return unavailable(got.error);
        const std::string& answer = got.body;
        const long status = got.status;
        nlohmann::json j = nlohmann::json::parse(answer, nullptr, /*allow_exceptions=*/false);
        if (status < 200 || status >= 300) {
            std::string why = "HTTP " + std::to_string(status);
            if (j.is_object() && j.contains("error") && j["error"].is_object())
                why += ": " + text_of(j["error"], "message");
            return unavailable(why);
        }
        if (!j.is_object()) return unavailable("the answer is not a JSON object");
        Checkout out{text_of(j, "id"), text_of(j, "url")};
        if (out.session_id.empty() || out.checkout_url.empty())
            return unavailable("the answer has no session id or url");
        return out;
    }

    PaymentResult<std::optional<ConfirmedPayment>> parse_webhook(std::string_view body, std::string_view header,
                                                                int64_t now_s) override {
        switch (verify_stripe_signature(header, body, c_.webhook_secret, now_s)) {
            case SignatureCheck::ok: break;
            case SignatureCheck::malformed:
                return PaymentError{400, "invalid_signature", "The Stripe-Signature header is malformed."};
            case SignatureCheck::no_signature:
                return PaymentError{400, "invalid_signature", "The Stripe-Signature header has no v1 signature."};
            case SignatureCheck::mismatch:
                return PaymentError{400, "invalid_signature", "No signature matches the payload."};
            case SignatureCheck::too_old:
                return PaymentError{400, "invalid_signature", "The signature's timestamp is outside the tolerance."};
        }
        nlohmann::json j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
        if (j.is_discarded() || !j.is_object()) return malformed("The webhook body is not a JSON object.");
        std::string type = text_of(j, "type"), event_id = text_of(j, "id");
        if (event_id.empty() || type.empty()) return malformed("The event has no id or type.");
        if (type != "checkout.session.completed") return std::optional<ConfirmedPayment>{};
        const nlohmann::json* obj = nullptr;
        if (auto d = j.find("data"); d != j.end() && d->is_object())
            if (auto o = d->find("object"); o != d->end() && o->is_object()) obj = &*o;
        if (!obj) return malformed("The event has no data.object.");
        if (text_of(*obj, "payment_status") != "paid") return std::optional<ConfirmedPayment>{};
        ConfirmedPayment p;
        p.provider = "stripe";
        p.event_id = event_id;
        p.session_id = text_of(*obj, "id");
        std::string quote_text;
        if (auto m = obj->find("metadata"); m != obj->end() && m->is_object()) quote_text = text_of(*m, "quote_id");
        if (quote_text.empty()) quote_text = text_of(*obj, "client_reference_id");
        auto amount = obj->find("amount_total");
        if (p.session_id.empty() || quote_text.empty() || quote_text.size() > 18 || amount == obj->end() ||
            !amount->is_number_integer())
            return malformed("The checkout session lacks id, quote_id or amount_total.");
        for (char ch : quote_text)
            if (ch < '0' || ch > '9') return malformed("quote_id is not a number.");
        p.quote_id = std::stoll(quote_text);
        p.amount = amount->get<int64_t>();
        p.currency = text_of(*obj, "currency");
        for (char& ch : p.currency) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        p.reference = text_of(*obj, "payment_intent");
        if (p.reference.empty()) p.reference = p.session_id;
        return std::optional<ConfirmedPayment>{std::move(p)};
    }

private:
    static PaymentError unavailable(const std::string& why) {
        log_line("payments: stripe checkout failed: " + why);
        return {502, "payment_provider_error", "The payment provider could not start a checkout; try again later."};
    }
    StripeConfig c_;
};

}  // namespace

std::unique_ptr<PaymentProvider> make_demo_provider(std::string public_url) {
    return std::make_unique<DemoProvider>(std::move(public_url));
}

std::unique_ptr<PaymentProvider> make_stripe_provider(StripeConfig config) {
    return std::make_unique<StripeProvider>(std::move(config));
}

bool luhn_valid(std::string_view digits) {
    if (digits.size() < 2) return false;
    int sum = 0;
    bool twice = false;
    for (size_t i = digits.size(); i-- > 0;) {
        char c = digits[i];
        if (c < '0' || c > '9') return false;
        int d = c - '0';
        if (twice && (d *= 2) > 9) d -= 9;
        sum += d;
        twice = !twice;
    }
    return sum % 10 == 0;
}

CardOutcome demo_card_outcome(std::string_view card) {
    std::string digits;
    for (char c : card) {
        if (c == ' ' || c == '-') continue;
        if (c < '0' || c > '9' || digits.size() > 19) return CardOutcome::invalid;
        digits += c;
    }
    if (digits.size() < 13 || digits.size() > 19 || !luhn_valid(digits)) return CardOutcome::invalid;
    if (digits == "4000000000000002") return CardOutcome::declined;
    if (digits.rfind("4242", 0) == 0) return CardOutcome::approved;
    return CardOutcome::invalid;
}

SignatureCheck verify_stripe_signature(std::string_view header, std::string_view body, std::string_view secret,
                                       int64_t now_s, int64_t tolerance) {
    std::optional<int64_t> t;
    std::vector<std::string_view> v1;
    if (header.empty() || header.size() > 4096) return SignatureCheck::malformed;
    while (!header.empty()) {
        size_t comma = header.find(',');
        std::string_view item = trim_ws(header.substr(0, comma));
        header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
        size_t eq = item.find('=');
        if (eq == std::string_view::npos || eq == 0) return SignatureCheck::malformed;
        std::string_view key = item.substr(0, eq), value = item.substr(eq + 1);
        if (key == "t") {
            if (t || value.empty() || value.size() > 12) return SignatureCheck::malformed;
            int64_t n = 0;
            for (char c : value) {
                if (c < '0' || c > '9') return SignatureCheck::malformed;
                n = n * 10 + (c - '0');
            }
            t = n;
        } else if (key == "v1") {
            v1.push_back(value);
        }  // other schemes (v0, ...) are ignored, as Stripe's libraries do
    }
    if (!t) return SignatureCheck::malformed;
    if (v1.empty()) return SignatureCheck::no_signature;
    std::string payload = std::to_string(*t);
    payload += '.';
    payload.append(body.data(), body.size());
    std::string expected = hmac_sha256_hex(secret, payload);
    bool match = false;
    for (std::string_view candidate : v1) {
        std::string lower(candidate);
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lower.size() == expected.size() && sodium_memcmp(lower.data(), expected.data(), expected.size()) == 0)
            match = true;  // no early exit: every candidate is compared
    }
    if (!match) return SignatureCheck::mismatch;
    int64_t skew = now_s - *t;
    if (skew > tolerance || skew < -tolerance) return SignatureCheck::too_old;
    return SignatureCheck::ok;
}

std::string form_encode(std::string_view s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += ch;
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

}  // namespace parley::server
