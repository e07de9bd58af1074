// The Odoo client: lead values (what is sent, what never is), the JSON-RPC request
// bodies, the reading of answers and errors (what is worth a retry); and, with
// PARLEY_TEST_ODOO_URL (tests/http/odoo_client.test.mjs sets it for the stand-in), the
// client against an Odoo: create, update, a deleted lead, a lost answer, refusals.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "server/crm/odoo.h"

using namespace parley::server;
using nlohmann::json;

namespace {

LeadFields sample() {
    LeadFields f;
    f.request_id = 42;
    f.name = "Gear pump P-200";
    f.partner_name = "Iglesias Hidráulica";
    f.contact_name = "Marta Iglesias";
    f.email_from = "r42-b7@relay.parley.test";
    f.country_code = "ES";
    f.description = "We need 2000 pumps.\nDelivery to Valencia.\n\nQuote in EUR <script>alert(1)</script> & co";
    f.expected_revenue = 250000.5;
    f.stage = "quoted";
    f.url = "https://parley.test/requests/42";
    return f;
}

HttpAnswer answer(long status, const std::string& body) {
    HttpAnswer a;
    a.ok = true;
    a.status = status;
    a.body = body;
    return a;
}

}  // namespace

TEST_CASE("odoo: lead values", "[odoo]") {
    LeadFields f = sample();
    json v = odoo_lead_values(f, 68, 3);
    CHECK(v["name"] == "Gear pump P-200");
    CHECK(v["partner_name"] == "Iglesias Hidráulica");
    CHECK(v["contact_name"] == "Marta Iglesias");
    CHECK(v["email_from"] == "r42-b7@relay.parley.test");
    CHECK(v["country_id"] == 68);
    CHECK(v["stage_id"] == 3);
    CHECK(v["expected_revenue"] == 250000.5);
    CHECK(v["type"] == "opportunity");
    CHECK(v["referred"] == "parley:request:42");
    CHECK_FALSE(v.contains("active"));  // a lead archived by hand in Odoo stays archived
    CHECK_FALSE(v.contains("phone"));  // not revealed

    // Only these fields: the buyer's real address has no field to travel in.
    const std::set<std::string> allowed = {"name", "partner_name", "contact_name", "email_from", "phone",
                                           "country_id", "description", "expected_revenue", "stage_id",
                                           "type", "referred", "active"};
    for (const auto& [key, value] : v.items()) {
        INFO(key);
        CHECK(allowed.count(key) == 1);
    }

    SECTION("phone when revealed; country and stage left out when unknown") {
        f.phone = "+34 600 000 000";
        json w = odoo_lead_values(f, 0, 0);
        CHECK(w["phone"] == "+34 600 000 000");
        CHECK_FALSE(w.contains("country_id"));
        CHECK_FALSE(w.contains("stage_id"));
    }
    SECTION("lost and declined are archived, keeping their stage") {
        for (const char* s : {"lost", "declined"}) {
            f.stage = s;
            CHECK(odoo_stage_name(s).empty());
            json w = odoo_lead_values(f, 68, 0);
            CHECK(w["active"] == false);
            CHECK_FALSE(w.contains("stage_id"));
        }
    }
    SECTION("a reopened request brings its lead back") {
        f.reopened = true;
        CHECK(odoo_lead_values(f, 68, 3)["active"] == true);
    }
}

TEST_CASE("odoo: stage names", "[odoo]") {
    CHECK(odoo_stage_name("new") == "New");
    CHECK(odoo_stage_name("answered") == "Qualified");
    CHECK(odoo_stage_name("quoted") == "Proposition");
    CHECK(odoo_stage_name("won") == "Won");
    CHECK(odoo_stage_name("other").empty());
}

TEST_CASE("odoo: the description is escaped HTML in paragraphs, with the link", "[odoo]") {
    std::string html = odoo_description_html(sample().description, sample().url);
    CHECK(html ==
          "<p>We need 2000 pumps.<br>Delivery to Valencia.</p>"
          "<p>Quote in EUR &lt;script&gt;alert(1)&lt;/script&gt; &amp; co</p>"
          "<p>Parley: <a href=\"https://parley.test/requests/42\">https://parley.test/requests/42</a></p>");
    CHECK(html.find("<script") == std::string::npos);
    // CRLF, several blank lines, no text.
    CHECK(odoo_description_html("a\r\nb\r\n\r\n\r\n  \nc", "") == "<p>a<br>b</p><p>c</p>");
    CHECK(odoo_description_html("", "").empty());
    // A link that is not a web link stays text.
    CHECK(odoo_description_html("", "javascript:alert(1)") == "<p>Parley: javascript:alert(1)</p>");
    CHECK(odoo_description_html("", "https://x.test/?a=1&b=\"2\"") ==
          "<p>Parley: <a href=\"https://x.test/?a=1&amp;b=&quot;2&quot;\">https://x.test/?a=1&amp;b=&quot;2&quot;</a></p>");
}

TEST_CASE("odoo: JSON-RPC request bodies", "[odoo]") {
    json login = json::parse(odoo_rpc_body("common", "authenticate", json::array({"db", "me", "k", json::object()}), 1));
    CHECK(login == json::parse(R"({"jsonrpc":"2.0","method":"call","id":1,
        "params":{"service":"common","method":"authenticate","args":["db","me","k",{}]}})"));

    OdooConfig c{"http://odoo.test", "parley", "sales@parley.test", "key-1"};
    json body = json::parse(odoo_execute_kw_body(c, 7, "crm.lead", "write",
                                                 json::array({json::array({5}), {{"name", "x"}}}),
                                                 {{"context", {{"active_test", false}}}}, 12));
    CHECK(body["jsonrpc"] == "2.0");
    CHECK(body["method"] == "call");
    CHECK(body["id"] == 12);
    CHECK(body["params"]["service"] == "object");
    CHECK(body["params"]["method"] == "execute_kw");
    CHECK(body["params"]["args"] ==
          json::parse(R"(["parley",7,"key-1","crm.lead","write",[[5],{"name":"x"}],{"context":{"active_test":false}}])"));
    CHECK(odoo_lead_reference(42) == "parley:request:42");
}

TEST_CASE("odoo: answers, errors and what is worth a retry", "[odoo]") {
    SECTION("a result") {
        OdooReply r = odoo_parse_reply(answer(200, R"({"jsonrpc":"2.0","id":1,"result":[{"id":3}]})"));
        CHECK(r.outcome.ok);
        CHECK(r.outcome.status == 200);
        CHECK(r.result == json::parse(R"([{"id":3}])"));
    }
    SECTION("AccessDenied is for the user to fix") {
        OdooReply r = odoo_parse_reply(answer(200, R"({"jsonrpc":"2.0","id":2,"error":{"code":200,
            "message":"Odoo Server Error","data":{"name":"odoo.exceptions.AccessDenied",
            "debug":"Traceback (most recent call last):\n...","message":"Access Denied","arguments":["Access Denied"]}}})"));
        CHECK_FALSE(r.outcome.ok);
        CHECK_FALSE(r.outcome.retryable);
        CHECK(r.outcome.status == 200);
        CHECK(r.error_name == "odoo.exceptions.AccessDenied");
        CHECK(r.outcome.error == "AccessDenied: Access Denied");
    }
    SECTION("a validation error keeps its first line") {
        OdooReply r = odoo_parse_reply(answer(200, R"({"error":{"code":200,"message":"Odoo Server Error",
            "data":{"name":"odoo.exceptions.ValidationError","message":"Invalid field 'fone'\non crm.lead"}}})"));
        CHECK_FALSE(r.outcome.retryable);
        CHECK(r.outcome.error == "ValidationError: Invalid field 'fone'");
    }
    SECTION("a concurrent update in Odoo passes") {
        OdooReply r = odoo_parse_reply(answer(200, R"({"error":{"code":200,"message":"Odoo Server Error",
            "data":{"name":"psycopg2.errors.SerializationFailure","message":"could not serialize access"}}})"));
        CHECK(r.outcome.retryable);
    }
    SECTION("HTTP 502, 503, 429 and no answer: later") {
        for (long status : {502L, 503L, 500L, 429L}) {
            OdooReply r = odoo_parse_reply(answer(status, "<html>Bad Gateway</html>"));
            CHECK_FALSE(r.outcome.ok);
            CHECK(r.outcome.retryable);
            CHECK(r.outcome.status == status);
            CHECK(r.outcome.error == "HTTP " + std::to_string(status));
        }
        HttpAnswer none;
        none.error = "Connection refused";
        OdooReply r = odoo_parse_reply(none);
        CHECK(r.outcome.retryable);
        CHECK(r.outcome.status == 0);
        CHECK(r.outcome.error == "no answer from Odoo: Connection refused");
    }
    SECTION("a wrong URL: not") {
        CHECK_FALSE(odoo_parse_reply(answer(404, "Not Found")).outcome.retryable);
        CHECK_FALSE(odoo_parse_reply(answer(200, "<html>a web site</html>")).outcome.retryable);
        CHECK_FALSE(odoo_parse_reply(answer(200, "<html>a web site</html>")).outcome.ok);
        CHECK_FALSE(odoo_parse_reply(answer(200, R"({"jsonrpc":"2.0","id":1})")).outcome.ok);
    }
    SECTION("a long message is cut") {
        std::string body = R"({"error":{"message":")" + std::string(1000, 'x') + R"("}})";
        CHECK(odoo_parse_reply(answer(200, body)).outcome.error.size() <= 210);
    }
}

// ------------------------------------------------------------------ against an Odoo

namespace {

std::string env(const char* name, const char* fallback = "") {
    const char* v = std::getenv(name);
    return v && *v ? v : fallback;
}

// PARLEY_TEST_ODOO_URL and its database, login and API key; false (with a warning) without.
bool odoo_under_test(OdooConfig& c) {
    c.url = env("PARLEY_TEST_ODOO_URL");
    if (c.url.empty()) {
        WARN("PARLEY_TEST_ODOO_URL is not set: the client is not run against an Odoo");
        return false;
    }
    c.database = env("PARLEY_TEST_ODOO_DB", "parley");
    c.login = env("PARLEY_TEST_ODOO_LOGIN", "admin");
    c.api_key = env("PARLEY_TEST_ODOO_KEY", "admin");
    return true;
}

// A raw call behind the client's back, as a user in Odoo would act.
json raw(const OdooConfig& c, const std::string& model, const std::string& method, const json& args,
         const json& kwargs = json::object()) {
    OdooReply in = odoo_call(c, odoo_rpc_body("common", "authenticate",
                                              json::array({c.database, c.login, c.api_key, json::object()}), 1));
    REQUIRE(in.outcome.ok);
    OdooReply r = odoo_call(c, odoo_execute_kw_body(c, in.result.get<int64_t>(), model, method, args, kwargs, 2));
    INFO(r.outcome.error);
    REQUIRE(r.outcome.ok);
    return r.result;
}

json lead(const OdooConfig& c, int64_t id) {
    json rows = raw(c, "crm.lead", "read", json::array({json::array({id})}),
                    {{"fields", json::array({"name", "stage_id", "expected_revenue", "active", "referred", "phone",
                                              "country_id", "email_from"})},
                     {"context", {{"active_test", false}}}});
    REQUIRE(rows.size() == 1);
    return rows[0];
}

int64_t count_referred(const OdooConfig& c, int64_t request_id) {
    return raw(c, "crm.lead", "search_count",
               json::array({json::array({json::array({"referred", "=", odoo_lead_reference(request_id)})})}),
               {{"context", {{"active_test", false}}}})
        .get<int64_t>();
}

// The stand-in's test controls (tests/http/odoo_standin.mjs): the next answers fail or get lost.
void standin_control(const OdooConfig& c, const json& what) {
    HttpCall call;
    call.method = "POST";
    call.url = c.url + "/standin/control";
    call.headers = {"Content-Type: application/json"};
    call.body = what.dump();
    HttpAnswer a = http_call(call);
    REQUIRE(a.ok);
    REQUIRE(a.status == 200);
}

// many2one fields read as [id, "name"].
int64_t m2o(const json& v) { return v.is_array() && !v.empty() ? v[0].get<int64_t>() : 0; }

}  // namespace

TEST_CASE("odoo standin: check, create, then update", "[odoo][standin]") {
    OdooConfig c;
    if (!odoo_under_test(c)) return;
    OdooResult check = odoo_check(c);
    INFO(check.error);
    REQUIRE(check.ok);

    LeadFields f = sample();
    f.request_id = 9101;
    f.stage = "new";
    f.expected_revenue = 0;
    OdooResult made = odoo_upsert_lead(c, f, 0);
    INFO(made.error);
    REQUIRE(made.ok);
    REQUIRE(made.lead_id > 0);
    json l = lead(c, made.lead_id);
    CHECK(l["name"] == f.name);
    CHECK(l["referred"] == "parley:request:9101");
    CHECK(l["email_from"] == f.email_from);
    CHECK(l["phone"] == false);  // Odoo reads an empty char field as false
    CHECK(m2o(l["country_id"]) > 0);
    CHECK(m2o(l["stage_id"]) > 0);
    int64_t new_stage = m2o(l["stage_id"]);

    f.stage = "quoted";
    f.expected_revenue = 1234.5;
    f.phone = "+34 600 000 000";
    OdooResult again = odoo_upsert_lead(c, f, made.lead_id);
    INFO(again.error);
    REQUIRE(again.ok);
    CHECK(again.lead_id == made.lead_id);
    l = lead(c, made.lead_id);
    CHECK(m2o(l["stage_id"]) != new_stage);
    CHECK(l["expected_revenue"] == 1234.5);
    CHECK(l["phone"] == "+34 600 000 000");

    f.stage = "lost";
    OdooResult lost = odoo_upsert_lead(c, f, made.lead_id);
    REQUIRE(lost.ok);
    l = lead(c, made.lead_id);
    CHECK(l["active"] == false);
    CHECK(m2o(l["stage_id"]) != new_stage);  // kept its stage
    CHECK(count_referred(c, 9101) == 1);

    // Another event on an archived lead leaves it archived; reopening the request brings it back.
    f.stage = "answered";
    REQUIRE(odoo_upsert_lead(c, f, made.lead_id).ok);
    CHECK(lead(c, made.lead_id)["active"] == false);
    f.reopened = true;
    REQUIRE(odoo_upsert_lead(c, f, made.lead_id).ok);
    CHECK(lead(c, made.lead_id)["active"] == true);
    CHECK(count_referred(c, 9101) == 1);
}

TEST_CASE("odoo standin: a lead deleted in Odoo is created again", "[odoo][standin]") {
    OdooConfig c;
    if (!odoo_under_test(c)) return;
    LeadFields f = sample();
    f.request_id = 9102;
    OdooResult made = odoo_upsert_lead(c, f, 0);
    REQUIRE(made.ok);
    raw(c, "crm.lead", "unlink", json::array({json::array({made.lead_id})}));
    OdooResult again = odoo_upsert_lead(c, f, made.lead_id);
    INFO(again.error);
    REQUIRE(again.ok);
    CHECK(again.lead_id != made.lead_id);
    CHECK(count_referred(c, 9102) == 1);
}

TEST_CASE("odoo standin: a create whose answer was lost is not made twice", "[odoo][standin]") {
    OdooConfig c;
    if (!odoo_under_test(c)) return;
    LeadFields f = sample();
    f.request_id = 9103;
    standin_control(c, {{"loseNextCreate", 1}});
    OdooResult first = odoo_upsert_lead(c, f, 0);
    CHECK_FALSE(first.ok);
    CHECK(first.retryable);
    CHECK(first.status == 0);
    OdooResult retry = odoo_upsert_lead(c, f, 0);  // still no id known
    INFO(retry.error);
    REQUIRE(retry.ok);
    CHECK(count_referred(c, 9103) == 1);
}

TEST_CASE("odoo standin: a wrong API key is refused for good, a 502 is retried", "[odoo][standin]") {
    OdooConfig c;
    if (!odoo_under_test(c)) return;
    OdooConfig wrong = c;
    wrong.api_key += "-wrong";
    for (const OdooResult& r : {odoo_check(wrong), odoo_upsert_lead(wrong, sample(), 0)}) {
        CHECK_FALSE(r.ok);
        CHECK_FALSE(r.retryable);
        CHECK(r.error.find("login") != std::string::npos);
    }

    standin_control(c, {{"failNext", 1}, {"status", 502}});
    LeadFields f = sample();
    f.request_id = 9104;
    OdooResult r = odoo_upsert_lead(c, f, 0);
    CHECK_FALSE(r.ok);
    CHECK(r.retryable);
    CHECK(r.status == 502);
    OdooResult later = odoo_upsert_lead(c, f, 0);
    INFO(later.error);
    CHECK(later.ok);
}
