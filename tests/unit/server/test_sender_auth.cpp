// E-mail in: the sender's proof (server/mail/sender_auth.h) — Authentication-Results
// parsing, alignment, and the verdict on genuine and forged replies.
#include <catch2/catch.hpp>

#include <string>

#include "server/mail/sender_auth.h"

using namespace parley::server;

namespace {
std::string mail(const std::string& headers) {
    return headers + "From: Stefan <stefan@mueller-gmbh.de>\r\nSubject: Re: quote\r\n\r\nHello\r\n";
}
}  // namespace

TEST_CASE("sender_auth: fields of the header block, top first, comments and folding", "[sender_auth]") {
    auto f = parse_authentication_results(
        "Authentication-Results: mx.parley.example 1; (our MTA)\r\n"
        "  spf=pass (sender SPF authorized) smtp.mailfrom=bounce@mail.mueller-gmbh.de;\r\n"
        "\tdkim = pass header.d=mueller-gmbh.de header.s=\"sel 1\"; dmarc=pass header.from=mueller-gmbh.de\r\n"
        "Authentication-Results: other.example; dkim=fail\r\n"
        "Subject: x\r\n\r\n"
        "Authentication-Results: body.example; dmarc=pass\r\n");
    REQUIRE(f.size() == 2);
    CHECK(f[0].authserv_id == "mx.parley.example");
    REQUIRE(f[0].results.size() == 3);
    CHECK(f[0].results[0].method == "spf");
    CHECK(f[0].results[0].result == "pass");
    CHECK(f[0].results[0].prop("smtp.mailfrom") == "bounce@mail.mueller-gmbh.de");
    CHECK(f[0].results[1].method == "dkim");
    CHECK(f[0].results[1].prop("header.d") == "mueller-gmbh.de");
    CHECK(f[0].results[1].prop("header.s") == "sel 1");
    CHECK(f[0].results[2].prop("header.from") == "mueller-gmbh.de");
    CHECK(f[1].authserv_id == "other.example");
    CHECK(parse_authentication_results("Authentication-Results: mx; none\r\n\r\n")[0].results.empty());
    CHECK(parse_authentication_results("").empty());
}

TEST_CASE("sender_auth: organisational domains and relaxed alignment", "[sender_auth]") {
    CHECK(organisational_domain("mail.mueller-gmbh.de") == "mueller-gmbh.de");
    CHECK(organisational_domain("MUELLER-gmbh.de.") == "mueller-gmbh.de");
    CHECK(organisational_domain("a.b.example.co.uk") == "example.co.uk");
    CHECK(organisational_domain("smtp.example.com.au") == "example.com.au");
    CHECK(domains_aligned("bounce.mueller-gmbh.de", "mueller-gmbh.de"));
    CHECK_FALSE(domains_aligned("mueller-gmbh.de.evil.example", "mueller-gmbh.de"));
    CHECK_FALSE(domains_aligned("evil.co.uk", "example.co.uk"));
    CHECK_FALSE(domains_aligned("de", "de"));  // a bare suffix aligns with nothing
    CHECK(address_domain("<Stefan@Mueller-GmbH.de>") == "mueller-gmbh.de");
}

TEST_CASE("sender_auth: genuine replies pass by DMARC, aligned DKIM or aligned SPF", "[sender_auth]") {
    const char* from = "stefan@mueller-gmbh.de";
    auto dmarc = mail("Authentication-Results: mx.parley.example; dmarc=pass header.from=mueller-gmbh.de\r\n");
    auto v = check_sender(dmarc, from, "MX.parley.example", false, "");
    CHECK(v.verified);
    CHECK(v.reason == "dmarc");
    auto dkim = mail("Authentication-Results: mx.parley.example; dkim=pass header.i=@mail.mueller-gmbh.de\r\n");
    CHECK(check_sender(dkim, from, "mx.parley.example", false, "").reason == "dkim");
    auto spf = mail("Authentication-Results: mx.parley.example; spf=pass smtp.mailfrom=b@mueller-gmbh.de\r\n");
    CHECK(check_sender(spf, from, "mx.parley.example", true, "b@mueller-gmbh.de").verified);
    CHECK(check_sender(spf, from, "mx.parley.example", false, "").verified);
}

TEST_CASE("sender_auth: forged and unproven replies are not verified, with the reason", "[sender_auth]") {
    const char* from = "stefan@mueller-gmbh.de";
    // Anyone can write a From header: without a trusted verdict nothing is proven.
    CHECK(check_sender(mail(""), from, "mx.parley.example", false, "").reason == "no_trusted_results");
    CHECK(check_sender(mail(""), from, "", false, "").reason == "not_configured");
    // The forger's own field sits below the one our MTA prepends: only the topmost counts.
    auto forged = mail(
        "Authentication-Results: mx.parley.example; spf=fail smtp.mailfrom=x@evil.example; dkim=none\r\n"
        "Authentication-Results: mx.parley.example; dmarc=pass header.from=mueller-gmbh.de\r\n");
    CHECK(check_sender(forged, from, "mx.parley.example", false, "").reason == "not_aligned");
    // A field by another host is not trusted, whatever it says.
    auto other = mail("Authentication-Results: gmail.com; dmarc=pass header.from=mueller-gmbh.de\r\n");
    CHECK(check_sender(other, from, "mx.parley.example", false, "").reason == "no_trusted_results");
    // Passing for another domain proves nothing about this one.
    auto wrong = mail("Authentication-Results: mx.parley.example; dkim=pass header.d=evil.example; "
                      "spf=pass smtp.mailfrom=a@evil.example; dmarc=pass header.from=evil.example\r\n");
    CHECK(check_sender(wrong, from, "mx.parley.example", false, "").reason == "not_aligned");
    // The domain's DMARC said fail: an aligned-looking DKIM does not override it.
    auto fail = mail("Authentication-Results: mx.parley.example; dmarc=fail header.from=mueller-gmbh.de; "
                     "dkim=pass header.d=mueller-gmbh.de\r\n");
    CHECK(check_sender(fail, from, "mx.parley.example", false, "").reason == "dmarc_fail");
    // SPF passed for another envelope than the one we were given.
    auto spf = mail("Authentication-Results: mx.parley.example; spf=pass smtp.mailfrom=b@mueller-gmbh.de\r\n");
    CHECK(check_sender(spf, from, "mx.parley.example", true, "x@evil.example").reason == "envelope_mismatch");
    CHECK(check_sender(spf, from, "mx.parley.example", true, "").reason == "null_sender");
}
