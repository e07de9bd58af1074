// Online payment of accepted quotes: the payment-provider interface and its two
// implementations, plus the pure checks they rely on (unit-tested).
//
//  - DemoProvider ("demo", the default, like Odoo's demo provider): the checkout page is
//    served by Parley itself at /pay/demo/{session} (server/http/payments.cpp), clearly
//    in test mode; test cards decide the outcome (demo_card_outcome).
//  - StripeProvider ("stripe"): Checkout Sessions created with libcurl at
//    {base_url}/v1/checkout/sessions; completion arrives as a signed webhook
//    (Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>).
//
// A provider never marks anything paid: it creates checkouts and turns a provider's
// callback into a ConfirmedPayment; Domain::confirm_payment checks and records it once.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "net/quote.h"
#include "server/base/result.h"

namespace parley::server {

// What a checkout is for. URLs are absolute (public URL of this server).
struct CheckoutRequest {
    Quote quote;                 // accepted; totals.total and currency are charged
    std::string seller_name;     // shown on the checkout page
    std::string success_url, cancel_url;
};

struct Checkout {
    std::string session_id;      // the provider's id ("demo_…", "cs_…")
    std::string checkout_url;    // where the buyer's browser goes
};

// A payment the provider says is complete (after verifying its signature).
struct ConfirmedPayment {
    std::string provider;        // "demo" | "stripe"
    std::string event_id;        // unique per provider: the idempotency key
    std::string session_id;
    int64_t quote_id = 0;
    Money amount = 0;            // minor units
    std::string currency;        // ISO 4217, any case
    std::string reference;       // the provider's payment reference
};

// A refusal with an HTTP status, an ApiError code and an English message.
using PaymentError = Error;
template <class T>
using PaymentResult = Result<T>;

class PaymentProvider {
public:
    virtual ~PaymentProvider() = default;
    virtual std::string name() const = 0;
    // Creates a checkout session (may block on the network: call it without locks held).
    virtual PaymentResult<Checkout> create_checkout(const CheckoutRequest& request) = 0;
    // Verifies and reads a webhook call. nullopt: authentic, but nothing to do (another
    // event type, or not paid yet). An error (400) for forged, stale or malformed calls.
    virtual PaymentResult<std::optional<ConfirmedPayment>> parse_webhook(std::string_view body,
                                                                        std::string_view signature_header,
                                                                        int64_t now_s) = 0;
};

// ---- demo provider --------------------------------------------------------------------
// Checkout URL: {public_url}/pay/demo/{session}; the session id is "demo_" + 43 random
// base64url characters. It has no webhooks (parse_webhook refuses): the demo checkout
// page confirms through Domain::confirm_payment directly.
std::unique_ptr<PaymentProvider> make_demo_provider(std::string public_url);

enum class CardOutcome { approved, declined, invalid };
// Test cards: spaces and dashes are ignored; 13..19 digits with a valid Luhn checksum.
// "4000000000000002" → declined; any other valid number starting with "4242" → approved;
// everything else (bad checksum, letters, other numbers) → invalid.
CardOutcome demo_card_outcome(std::string_view card);
bool luhn_valid(std::string_view digits);  // digits only, at least 2

// ---- Stripe-compatible provider ---------------------------------------------------------
struct StripeConfig {
    std::string api_key;                         // "sk_test_…": Authorization: Bearer
    std::string base_url = "https://api.stripe.com";
    std::string webhook_secret;                  // "whsec_…"
    int timeout_s = 20;
};
std::unique_ptr<PaymentProvider> make_stripe_provider(StripeConfig config);

constexpr int64_t kStripeTolerance = 300;  // seconds between the signature's t and now

enum class SignatureCheck { ok, malformed, no_signature, mismatch, too_old };
// Checks a Stripe-Signature header against the raw body: any v1 entry equal (constant
// time) to hex HMAC-SHA256(secret, "<t>.<body>"), and |now_s - t| <= tolerance.
SignatureCheck verify_stripe_signature(std::string_view header, std::string_view body, std::string_view secret,
                                       int64_t now_s, int64_t tolerance = kStripeTolerance);
// application/x-www-form-urlencoded component (RFC 3986 unreserved kept, space → %20).
std::string form_encode(std::string_view s);

}  // namespace parley::server
