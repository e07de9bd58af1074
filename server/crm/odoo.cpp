// Odoo's external JSON-RPC API: log in, look up the country and the stage, then write
// or create the crm.lead. See odoo.h.
#include "server/crm/odoo.h"

#include <atomic>
#include <cctype>
#include <vector>

#include "server/base/text.h"

namespace parley::server {

using nlohmann::json;

namespace {

constexpr long kTimeoutS = 15;
constexpr size_t kErrorMax = 200;

std::atomic<int64_t> g_next_id{1};

OdooResult failure(std::string error, bool retryable = false, long status = 0) {
    OdooResult r;
    r.retryable = retryable;
    r.status = status;
    r.error = snippet_of(error, kErrorMax);
    return r;
}

bool contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

// Odoo's answer to one call; the error message without Odoo's traceback.
std::string error_text(const json& err, std::string& name) {
    std::string message;
    if (err.contains("data") && err["data"].is_object()) {
        const json& d = err["data"];
        if (d.contains("name") && d["name"].is_string()) name = d["name"].get<std::string>();
        if (d.contains("message") && d["message"].is_string()) message = d["message"].get<std::string>();
    }
    if (message.empty() && err.contains("message") && err["message"].is_string())
        message = err["message"].get<std::string>();
    message = message.substr(0, message.find('\n'));
    std::string short_name = name.substr(name.rfind('.') == std::string::npos ? 0 : name.rfind('.') + 1);
    if (short_name.empty()) return message.empty() ? "Odoo error" : message;
    return message.empty() ? short_name : short_name + ": " + message;
}

// The ids of a search_read answer ([{"id": 7}, ...]).
std::vector<int64_t> ids_of(const json& rows) {
    std::vector<int64_t> out;
    if (!rows.is_array()) return out;
    for (const auto& row : rows)
        if (row.is_object() && row.contains("id") && row["id"].is_number_integer())
            out.push_back(row["id"].get<int64_t>());
    return out;
}

// One logged-in conversation: the uid, and execute_kw with it.
class Session {
public:
    explicit Session(const OdooConfig& c) : c_(c) {}

    // common.authenticate: the uid, or false when the database, login or key is wrong.
    OdooResult login() {
        OdooReply r = odoo_call(
            c_, odoo_rpc_body("common", "authenticate", json::array({c_.database, c_.login, c_.api_key, json::object()}),
                              g_next_id++));
        if (!r.outcome.ok) return r.outcome;
        if (!r.result.is_number_integer() || r.result.get<int64_t>() <= 0)
            return failure("Odoo refused the login: check the database, the login and the API key", false,
                           r.outcome.status);
        uid_ = r.result.get<int64_t>();
        return r.outcome;
    }

    OdooReply execute(const std::string& model, const std::string& method, const json& args,
                      const json& kwargs = json::object()) {
        return odoo_call(c_, odoo_execute_kw_body(c_, uid_, model, method, args, kwargs, g_next_id++));
    }

    // The id of the first record of `model` whose `field` equals `value`, 0 if none.
    OdooReply find_one(const std::string& model, const std::string& field, const std::string& value, int64_t& id) {
        OdooReply r = execute(model, "search_read", json::array({json::array({json::array({field, "=", value})})}),
                              {{"fields", json::array({"id"})}, {"limit", 1}});
        auto ids = ids_of(r.result);
        id = r.outcome.ok && !ids.empty() ? ids.front() : 0;
        return r;
    }

private:
    const OdooConfig& c_;
    int64_t uid_ = 0;
};

bool is_access_error(const std::string& name) { return contains(name, "AccessDenied") || contains(name, "AccessError"); }

}  // namespace

// ------------------------------------------------------------------ pure helpers

std::string odoo_lead_reference(int64_t request_id) { return "parley:request:" + std::to_string(request_id); }

std::string odoo_stage_name(const std::string& s) {
    if (s == "new") return "New";
    if (s == "answered") return "Qualified";
    if (s == "quoted") return "Proposition";
    if (s == "won") return "Won";
    return "";
}

std::string odoo_description_html(const std::string& text, const std::string& url) {
    std::string out, para;
    auto flush = [&] {
        if (!para.empty()) out += "<p>" + para + "</p>";
        para.clear();
    };
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string_view line(text.data() + start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (trim(line).empty()) {
            flush();  // a blank line ends a paragraph
        } else {
            if (!para.empty()) para += "<br>";
            para += html_escape(line);
        }
        start = end + 1;
    }
    flush();
    if (!url.empty()) {
        std::string u = html_escape(url);
        // Only web links become links: the URL is ours, but an odd one stays inert text.
        bool web = url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
        out += web ? "<p>Parley: <a href=\"" + u + "\">" + u + "</a></p>" : "<p>Parley: " + u + "</p>";
    }
    return out;
}

json odoo_lead_values(const LeadFields& f, int64_t country_id, int64_t stage_id) {
    json v = {
        {"name", f.name},
        {"partner_name", f.partner_name},
        {"contact_name", f.contact_name},
        {"email_from", f.email_from},
        {"description", odoo_description_html(f.description, f.url)},
        {"expected_revenue", f.expected_revenue},
        {"type", "opportunity"},
        {"referred", odoo_lead_reference(f.request_id)},
    };
    // Odoo marks a lead lost by archiving it. Only Parley's own moves archive or restore
    // one: a lead the seller archived by hand stays archived when the buyer writes again.
    if (f.stage == "lost" || f.stage == "declined") v["active"] = false;
    else if (f.reopened) v["active"] = true;
    if (!f.phone.empty()) v["phone"] = f.phone;
    if (country_id > 0) v["country_id"] = country_id;
    if (stage_id > 0) v["stage_id"] = stage_id;
    return v;
}

std::string odoo_rpc_body(const std::string& service, const std::string& method, const json& args, int64_t id) {
    json body = {{"jsonrpc", "2.0"},
                 {"method", "call"},
                 {"params", {{"service", service}, {"method", method}, {"args", args}}},
                 {"id", id}};
    return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string odoo_execute_kw_body(const OdooConfig& c, int64_t uid, const std::string& model,
                                 const std::string& method, const json& args, const json& kwargs, int64_t id) {
    return odoo_rpc_body("object", "execute_kw",
                         json::array({c.database, uid, c.api_key, model, method, args, kwargs}), id);
}

OdooReply odoo_parse_reply(const HttpAnswer& a) {
    OdooReply r;
    OdooResult& o = r.outcome;
    o.status = a.ok ? a.status : 0;
    if (!a.ok) {
        o.retryable = true;
        o.error = snippet_of("no answer from Odoo: " + a.error, kErrorMax);
        return r;
    }
    json j = json::parse(a.body, nullptr, /*allow_exceptions=*/false);
    if (a.status < 200 || a.status >= 300) {
        o.retryable = a.status == 429 || a.status >= 500;
        std::string why = "HTTP " + std::to_string(a.status);
        if (a.status == 404) why += ": no Odoo JSON-RPC endpoint at this URL";
        if (j.is_object() && j.contains("error") && j["error"].is_object())
            why += ": " + error_text(j["error"], r.error_name);
        o.error = snippet_of(why, kErrorMax);
        return r;
    }
    if (j.is_object() && j.contains("error") && j["error"].is_object()) {
        o.error = snippet_of(error_text(j["error"], r.error_name), kErrorMax);
        // A concurrent update in Odoo's database passes; anything else the user must fix.
        o.retryable = contains(r.error_name, "SerializationFailure") || contains(r.error_name, "LockNotAvailable") ||
                      contains(r.error_name, "TransactionRollbackError");
        return r;
    }
    if (!j.is_object() || !j.contains("result")) {
        o.error = "the answer is not JSON-RPC: is this URL an Odoo server?";
        return r;
    }
    o.ok = true;
    r.result = std::move(j["result"]);
    return r;
}

OdooReply odoo_call(const OdooConfig& c, const std::string& body) {
    std::string base = c.url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    HttpCall call;
    call.method = "POST";
    call.url = base + "/jsonrpc";
    call.headers = {"Content-Type: application/json", "Accept: application/json"};
    call.body = body;
    call.timeout_s = kTimeoutS;
    return odoo_parse_reply(http_call(call));
}

// ------------------------------------------------------------------ the calls

OdooResult odoo_check(const OdooConfig& c) {
    Session s(c);
    OdooResult in = s.login();
    if (!in.ok) return in;
    OdooReply count = s.execute("crm.lead", "search_count", json::array({json::array()}));
    if (!count.outcome.ok) {
        if (is_access_error(count.error_name))
            count.outcome.error = snippet_of("this user may not read leads: " + count.outcome.error, kErrorMax);
        return count.outcome;
    }
    OdooReply create = s.execute("crm.lead", "check_access_rights", json::array({"create"}),
                                 {{"raise_exception", false}});
    if (create.outcome.ok && create.result == false) return failure("this user may read leads but not create them");
    // An Odoo without check_access_rights (it was deprecated) passes on the read check.
    if (!create.outcome.ok && (create.outcome.retryable || is_access_error(create.error_name))) return create.outcome;
    OdooResult ok;
    ok.ok = true;
    ok.status = count.outcome.status;
    return ok;
}

OdooResult odoo_upsert_lead(const OdooConfig& c, const LeadFields& f, int64_t known_lead_id) {
    Session s(c);
    OdooResult in = s.login();
    if (!in.ok) return in;

    int64_t country_id = 0, stage_id = 0;
    if (!f.country_code.empty()) {
        std::string code = f.country_code;
        for (char& ch : code) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        OdooReply r = s.find_one("res.country", "code", code, country_id);
        if (!r.outcome.ok) return r.outcome;
    }
    if (std::string stage = odoo_stage_name(f.stage); !stage.empty()) {
        OdooReply r = s.find_one("crm.stage", "name", stage, stage_id);
        if (!r.outcome.ok) return r.outcome;
    }
    json values = odoo_lead_values(f, country_id, stage_id);

    // The lead we know, else one an earlier attempt created (its answer lost), archived
    // ones included: a deleted lead is found by neither and is created again.
    const std::string ref = odoo_lead_reference(f.request_id);
    json domain = json::array({json::array({"referred", "=", ref})});
    if (known_lead_id > 0) domain = json::array({"|", json::array({"id", "=", known_lead_id}), domain[0]});
    OdooReply found = s.execute("crm.lead", "search_read", json::array({domain}),
                                {{"fields", json::array({"id"})},
                                 {"order", "id"},
                                 {"context", {{"active_test", false}}}});
    if (!found.outcome.ok) return found.outcome;
    std::vector<int64_t> ids = ids_of(found.result);
    int64_t lead_id = ids.empty() ? 0 : ids.front();
    for (int64_t id : ids)
        if (id == known_lead_id) lead_id = id;

    if (lead_id > 0) {
        OdooReply w = s.execute("crm.lead", "write", json::array({json::array({lead_id}), values}));
        // Deleted between the search and the write: create it below.
        if (!w.outcome.ok && !contains(w.error_name, "MissingError")) return w.outcome;
        if (w.outcome.ok) {
            w.outcome.lead_id = lead_id;
            return w.outcome;
        }
    }
    OdooReply created = s.execute("crm.lead", "create", json::array({values}));
    if (!created.outcome.ok) return created.outcome;
    // create answers an id for one record, a list for a list.
    const json& id = created.result.is_array() && !created.result.empty() ? created.result[0] : created.result;
    if (!id.is_number_integer() || id.get<int64_t>() <= 0)
        return failure("Odoo created the lead but answered no id", true, created.outcome.status);
    created.outcome.lead_id = id.get<int64_t>();
    return created.outcome;
}

}  // namespace parley::server
