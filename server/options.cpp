// parley-server's command line. See options.h.
//
// Index: kUsageHead (the commands) · kOptions (every option: name, value, environment
// variable, help, how it applies) · parse_args · usage_text · options_markdown
#include "server/options.h"

#include <cstdio>
#include <cstdlib>
#include <set>
#include <string_view>

#include "server/http/request_guard.h"
#include "server/mail/smtp.h"

namespace parley::server {

namespace {

const char* kUsageHead =
    "Usage: parley-server [options]            serve the API (and the web client)\n"
    "       parley-server mail-in [options]    read one e-mail on stdin and thread it into its\n"
    "                                          request (for an MTA pipe transport); exit 0 when\n"
    "                                          posted, duplicate or auto-reply, 67 (EX_NOUSER) when\n"
    "                                          refused (reason on stderr), 75 on storage errors.\n"
    "                                          Uses --data-dir/--db, --relay-key and the mail and\n"
    "                                          --public-url options of the server.\n"
    "       parley-server load-demo [options]  fill --data-dir/--db with the demo and a real\n"
    "                                          seller's volume, then exit\n"
    "Every option with an environment variable reads it when the option is not given.\n";

bool parse_int(const std::string& s, long lo, long hi, long& out) {
    if (s.empty() || s.size() > 9) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    out = std::stol(s);
    return out >= lo && out <= hi;
}

// HOST:PORT, [v6]:PORT
bool parse_host_port(const std::string& v, std::string& host, uint16_t& port) {
    size_t colon = v.rfind(':');
    long n = 0;
    if (colon == std::string::npos || colon == 0 || !parse_int(v.substr(colon + 1), 1, 65535, n)) return false;
    host = v.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    port = static_cast<uint16_t>(n);
    return true;
}

using O = Options;
using S = const std::string&;
constexpr const char* kOk = nullptr;
constexpr OptionSpec::For kAny = OptionSpec::any;
constexpr const char* kMain = "";
constexpr const char* kMail =
    "E-mail notifications (without --smtp-url they stay in a development mailbox, listed to each\n"
    "signed-in user at GET /api/v1/dev/mailbox)";
constexpr const char* kTranslate = "Translation (offline with Apertium for en, es, fr, it, pt, Spanish as the pivot)";
constexpr const char* kOps = "Operators (README, \"Operating Parley\"; docs/API.md, \"Operators\")";
constexpr const char* kMailIn = "mail-in only";
constexpr const char* kLoadDemo = "load-demo only";

// Every option, in the order --help lists them.
const std::vector<OptionSpec> kOptions = {
    {"--help", nullptr, nullptr, kMain, "show this help (-h too); --help-markdown: the same as Markdown", kAny,
     [](O&, S) { return kOk; }},
    {"--host", "HOST", nullptr, kMain, "address to listen on (default 127.0.0.1)", kAny,
     [](O& o, S v) { return o.http.host = v, kOk; }},
    {"--port", "PORT", nullptr, kMain, "port to listen on (default 8080)", kAny,
     [](O& o, S v) {
         long n = 0;
         if (!parse_int(v, 1, 65535, n)) return "--port must be 1..65535";
         o.http.port = static_cast<uint16_t>(n);
         return kOk;
     }},
    {"--data-dir", "DIR", nullptr, kMain, "data directory, created if missing (default ./data)", kAny,
     [](O& o, S v) { return o.data_dir = v, kOk; }},
    {"--db", "PATH", nullptr, kMain, "SQLite database file (default DATA_DIR/parley.db)", kAny,
     [](O& o, S v) { return o.db = v, kOk; }},
    {"--database", "URL", "PARLEY_DATABASE_URL", kMain,
     "PostgreSQL instead: postgresql://user@host:port/db (libpq's URL or\n"
     "key=value form). Several instances may share it (README, several machines)",
     kAny, [](O& o, S v) { return o.database = v, kOk; }},
    {"--files-dir", "DIR", nullptr, kMain,
     "attachments and uploads (default DATA_DIR/files): the same shared\n"
     "directory (NFS or similar) for every instance of one PostgreSQL database",
     kAny, [](O& o, S v) { return o.files_dir = v, kOk; }},
    {"--web-root", "DIR", nullptr, kMain, "serve the web client from DIR (default: API only)", kAny,
     [](O& o, S v) { return o.http.web_root = v, kOk; }},
    {"--demo", nullptr, nullptr, kMain, "seed demo data into an empty database and print sign-in links", kAny,
     [](O& o, S) { return o.demo = true, kOk; }},
    {"--notice-sweep", "SECONDS", nullptr, kMain,
     "on PostgreSQL: posts older than this whose notification mails no\n"
     "instance queued (it died first) are notified by one of the others\n"
     "(default 60; 0: off)",
     kAny, [](O& o, S v) {
         long n = 0;
         if (!parse_int(v, 0, 86400, n)) return "--notice-sweep must be 0..86400 seconds";
         o.notice_sweep_s = static_cast<int>(n);
         return kOk;
     }},
    {"--crm-retry", "SECONDS", nullptr, kMain,
     "leads into the seller's CRM: the first wait before a failed webhook\n"
     "or Odoo delivery is tried again; the next ones are 4, 20, 60, 120,\n"
     "360, 720 and 1440 times it, then it is given up (default 30)",
     kAny, [](O& o, S v) {
         long n = 0;
         if (!parse_int(v, 1, 86400, n)) return "--crm-retry must be 1..86400 seconds";
         o.crm_retry_s = static_cast<int>(n);
         return kOk;
     }},
    {"--crm-allow-private", nullptr, nullptr, kMain,
     "let webhook and Odoo URLs reach loopback and private addresses (a CRM\n"
     "on the company network; tests). Default: public addresses only",
     kAny, [](O& o, S) { return o.crm_allow_private = true, kOk; }},
    {"--poll-timeout", "SECONDS", nullptr, kMain, "how long GET /api/v1/events waits (default 25)", kAny,
     [](O& o, S v) {
         long n = 0;
         if (!parse_int(v, 0, 3600, n)) return "--poll-timeout must be 0..3600 seconds";
         o.http.poll_timeout_s = static_cast<int>(n);
         return kOk;
     }},
    {"--http-threads", "N", nullptr, kMain,
     "HTTP worker threads (default: two per core, at least 16: a post waits\n"
     "for its durable write, and posts waiting together are stored in one\n"
     "transaction)",
     kAny,
     [](O& o, S v) {
         long n = 0;
         if (!parse_int(v, 1, 256, n)) return "--http-threads must be 1..256";
         o.http.threads = static_cast<unsigned>(n);
         return kOk;
     }},
    {"--rate-limits", "on|off", "PARLEY_RATE_LIMITS", kMain,
     "abuse limits per user and per client address, 429 with Retry-After\n"
     "(default on; see server/http/rate_limit.h)",
     kAny,
     [](O& o, S v) {
         if (v != "on" && v != "off") return "--rate-limits must be on or off";
         o.http.rate_limits = v == "on";
         return kOk;
     }},
    {"--trusted-proxy", "ADDR", nullptr, kMain,
     "the address of a proxy in front (nginx): the last hop of its\n"
     "X-Forwarded-For is the client for the limits",
     kAny, [](O& o, S v) { return o.http.trusted_proxy = v, kOk; }},
    {"--max-connections", "N", nullptr, kMain,
     "open connections at most (default: from the descriptor limit, which the\n"
     "server raises to its hard limit at start; from 90 % of it requests get\n"
     "503 with Retry-After)",
     kAny,
     [](O& o, S v) {
         long n = 0;
         if (!parse_int(v, 1, 10000000, n)) return "--max-connections must be 1..10000000";
         o.http.max_connections = n;
         return kOk;
     }},
    {"--public-url", "URL", nullptr, kMain, "base of printed links (default http://HOST:PORT)", kAny,
     [](O& o, S v) {
         o.public_url = v;
         while (!o.public_url.empty() && o.public_url.back() == '/') o.public_url.pop_back();
         return kOk;
     }},
    {"--payment-provider", "P", nullptr, kMain,
     "online payment of quotes: demo (default; test-mode checkout page served\n"
     "by Parley) or stripe (Checkout Sessions + signed webhooks at\n"
     "PUBLIC_URL/api/v1/payments/stripe/webhook)",
     kAny,
     [](O& o, S v) {
         if (v != "demo" && v != "stripe") return "--payment-provider must be demo or stripe";
         o.payment_provider = v;
         return kOk;
     }},
    {"--stripe-api-key", "KEY", "PARLEY_STRIPE_API_KEY", kMain, "secret API key; stripe only", kAny,
     [](O& o, S v) { return o.stripe.api_key = v, kOk; }},
    {"--stripe-base-url", "URL", "PARLEY_STRIPE_BASE_URL", kMain, "API base (default https://api.stripe.com)", kAny,
     [](O& o, S v) { return o.stripe.base_url = v, kOk; }},
    {"--stripe-webhook-secret", "SECRET", "PARLEY_STRIPE_WEBHOOK_SECRET", kMain, "webhook signing secret whsec_...",
     kAny, [](O& o, S v) { return o.stripe.webhook_secret = v, kOk; }},

    {"--smtp-url", "URL", nullptr, kMail, "SMTP server, smtp://host:port or smtps://host:port", kAny,
     [](O& o, S v) {
         if (v.rfind("smtp://", 0) != 0 && v.rfind("smtps://", 0) != 0)
             return "--smtp-url must start with smtp:// or smtps://";
         o.mail.smtp.url = v;
         return kOk;
     }},
    {"--smtp-user", "USER", nullptr, kMail, "SMTP AUTH user (default: no AUTH)", kAny,
     [](O& o, S v) { return o.mail.smtp.user = v, kOk; }},
    {"--smtp-password", "PW", "PARLEY_SMTP_PASSWORD", kMail, "SMTP AUTH password (prefer the environment)", kAny,
     [](O& o, S v) { return o.mail.smtp.password = v, kOk; }},
    {"--smtp-tls", "MODE", nullptr, kMail,
     "none, try (STARTTLS when offered), starttls (required; default for\n"
     "smtp://) or tls (TLS from the start; default for smtps://)",
     kAny,
     [](O& o, S v) {
         if (v != "none" && v != "try" && v != "starttls" && v != "tls")
             return "--smtp-tls must be none, try, starttls or tls";
         o.smtp_tls = v;
         return kOk;
     }},
    {"--mail-from", "ADDR", nullptr, kMail, "envelope and From address (default parley@RELAY_DOMAIN)", kAny,
     [](O& o, S v) { return o.mail_from = v, kOk; }},
    {"--mail-from-name", "NAME", nullptr, kMail, "default From display name (default Parley)", kAny,
     [](O& o, S v) { return o.mail.from_name = v, kOk; }},
    {"--relay-domain", "DOMAIN", nullptr, kMail,
     "domain of relay (Reply-To) addresses and Message-IDs (default: the\n"
     "public URL's host)",
     kAny, [](O& o, S v) { return o.mail.relay_domain = v, kOk; }},
    {"--relay-key", "HEX", "PARLEY_RELAY_KEY", kMail,
     "64 hex digits; default: DATA_DIR/relay.key, created once with mode 0600", kAny,
     [](O& o, S v) { return o.relay_key_hex = v, kOk; }},
    {"--mail-retry-base-ms", "N", nullptr, kMail, "first retry delay, doubled per attempt up to 1 h (default 60000)",
     kAny,
     [](O& o, S v) {
         long n = 0;
         if (!parse_int(v, 1, 3600000, n)) return "--mail-retry-base-ms must be 1..3600000";
         o.mail.retry_base_ms = n;
         return kOk;
     }},
    {"--mail-max-attempts", "N", nullptr, kMail,
     "attempts before a temporary failure becomes permanent (default 8)", kAny,
     [](O& o, S v) {
         long n = 0;
         if (!parse_int(v, 1, 100, n)) return "--mail-max-attempts must be 1..100";
         o.mail.max_attempts = static_cast<int>(n);
         return kOk;
     }},
    {"--inbound-secret", "S", "PARLEY_INBOUND_SECRET", kMail,
     "enables POST /api/v1/mail/inbound (raw MIME body, header\n"
     "Authorization: Bearer S)",
     kAny, [](O& o, S v) { return o.http.inbound_secret = v, kOk; }},
    {"--mail-authserv-id", "ID", "PARLEY_MAIL_AUTHSERV_ID", kMail,
     "the receiving MTA's authserv-id (e.g. mx.example.com): its\n"
     "Authentication-Results (SPF/DKIM/DMARC) prove a reply's sender. Replies\n"
     "that prove nothing are held for their owner to post or discard; without\n"
     "this option every reply by e-mail is held",
     kAny, [](O& o, S v) { return o.mail_authserv_id = v, kOk; }},
    {"--mail-in-queue", "N", nullptr, kMail,
     "mails over HTTP being read or waiting at once, on their own thread\n"
     "(default 8, and 48 MB together); more get 503 with Retry-After",
     kAny,
     [](O& o, S v) {
         long n = 0;
         if (!parse_int(v, 1, 1000, n)) return "--mail-in-queue must be 1..1000";
         o.http.mail_in_queue = static_cast<size_t>(n);
         return kOk;
     }},
    {"--lmtp-listen", "HOST:PORT", nullptr, kMail,
     "also take inbound replies over LMTP (RFC 2033) on this address, e.g.\n"
     "127.0.0.1:2525 for Postfix transport lmtp:inet:127.0.0.1:2525 (default:\n"
     "off; SIZE 10 MB, per-recipient replies, 550 = bounce)",
     kAny,
     [](O& o, S v) {
         if (!parse_host_port(v, o.lmtp.host, o.lmtp.port)) return "--lmtp-listen must be HOST:PORT";
         o.lmtp_on = true;
         return kOk;
     }},
    {"--lmtp-idle-timeout", "SECONDS", nullptr, kMail, "close idle LMTP connections after this long (default 300)",
     kAny,
     [](O& o, S v) {
         long n = 0;
         if (!parse_int(v, 1, 86400, n)) return "--lmtp-idle-timeout must be 1..86400 seconds";
         o.lmtp.idle_timeout = std::chrono::seconds(n);
         return kOk;
     }},

    {"--translate-url", "URL", "PARLEY_TRANSLATE_URL", kTranslate,
     "a LibreTranslate-compatible API for the other pairs (de, ru, zh, ja)", kAny,
     [](O& o, S v) {
         if (v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0)
             return "--translate-url must start with http:// or https://";
         o.translate.remote.url = v;
         return kOk;
     }},
    {"--translate-key", "KEY", "PARLEY_TRANSLATE_KEY", kTranslate, "its API key", kAny,
     [](O& o, S v) { return o.translate.remote.api_key = v, kOk; }},
    {"--translate-prefer-remote", nullptr, nullptr, kTranslate, "use the remote API first wherever it takes the pair",
     kAny, [](O& o, S) { return o.translate.prefer_remote = true, kOk; }},
    {"--no-apertium", nullptr, nullptr, kTranslate, "do not use Apertium (only the remote API)", kAny,
     [](O& o, S) { return o.translate.apertium = false, kOk; }},

    {"--log-format", "text|json", "PARLEY_LOG_FORMAT", kOps,
     "the log on stderr: text (default; \"GET /api/v1/requests/{id} 200\n"
     "1.234ms 512B rid=...\") or json (one object per line, for a log shipper).\n"
     "A request is logged by its route pattern, never its path or query",
     kAny,
     [](O& o, S v) {
         if (v != "text" && v != "json") return "--log-format must be text or json";
         o.log_format = v == "json" ? LogFormat::json : LogFormat::text;
         return kOk;
     }},
    {"--metrics-token", "TOKEN", "PARLEY_METRICS_TOKEN", kOps,
     "GET /metrics then needs Authorization: Bearer TOKEN (401 without, 403\n"
     "with another). Without it (and without --metrics-listen) /metrics is\n"
     "served to this machine only, never through a proxy",
     kAny, [](O& o, S v) { return o.http.metrics_token = v, kOk; }},
    {"--metrics-listen", "HOST:PORT", "PARLEY_METRICS_LISTEN", kOps,
     "serve GET /metrics and GET /healthz on this address alone (e.g. a\n"
     "private interface, 127.0.0.1:9464), no longer on the main port",
     kAny,
     [](O& o, S v) {
         if (!parse_host_port(v, o.http.metrics_host, o.http.metrics_port)) return "--metrics-listen must be HOST:PORT";
         return kOk;
     }},
    {"--health-outbox-stuck", "SECONDS", nullptr, kOps,
     "GET /healthz answers 503 outbox_stuck when a notification e-mail has\n"
     "been due this long without being sent (default 900; 0: not checked)",
     kAny,
     [](O& o, S v) {
         long n = 0;
         if (!parse_int(v, 0, 604800, n)) return "--health-outbox-stuck must be 0..604800 seconds";
         o.health.outbox_stuck_ms = n * 1000LL;
         return kOk;
     }},
    {"--health-outbox-failures", "N", nullptr, kOps,
     "... and 503 outbox_failing after N failed attempts to send in a row,\n"
     "the latest within that time (default 5; 0: not checked)",
     kAny,
     [](O& o, S v) {
         long n = 0;
         if (!parse_int(v, 0, 100000, n)) return "--health-outbox-failures must be 0..100000";
         o.health.outbox_failures = static_cast<int>(n);
         return kOk;
     }},

    {"--recipient", "ADDR", nullptr, kMailIn,
     "the envelope recipient (repeatable), e.g. Postfix pipe argv ...\n${recipient}", OptionSpec::mail_in,
     [](O& o, S v) { return o.recipients.push_back(v), kOk; }},
    {"--sender", "ADDR", nullptr, kMailIn,
     "the envelope sender (Postfix ${sender}; \"\" or <> for the null sender),\n"
     "checked with SPF's verdict",
     OptionSpec::mail_in,
     [](O& o, S v) {
         o.sender = v == "<>" ? std::string() : v;
         o.has_sender = true;
         return kOk;
     }},

    {"--requests", "N", nullptr, kLoadDemo, "new requests (default 100000)", OptionSpec::load_demo,
     [](O& o, S v) {
         long n = 0;
         if (!parse_int(v, 0, 10000000, n)) return "--requests must be 0..10000000";
         o.volume.requests = static_cast<int>(n);
         return kOk;
     }},
    {"--messages", "N", nullptr, kLoadDemo, "messages spread over them (default 1000000)", OptionSpec::load_demo,
     [](O& o, S v) {
         long n = 0;
         if (!parse_int(v, 0, 100000000, n)) return "--messages must be 0..100000000";
         o.volume.messages = n;
         return kOk;
     }},
    {"--long-thread", "N", nullptr, kLoadDemo, "messages of one negotiation that long (default 10000)",
     OptionSpec::load_demo,
     [](O& o, S v) {
         long n = 0;
         if (!parse_int(v, 0, 1000000, n)) return "--long-thread must be 0..1000000";
         o.volume.long_thread = static_cast<int>(n);
         return kOk;
     }},
    {"--seed", "N", nullptr, kLoadDemo, "the random seed (default 1: the same data every time)",
     OptionSpec::load_demo,
     [](O& o, S v) {
         long n = 0;
         if (!parse_int(v, 0, 1000000000, n)) return "--seed must be a number";
         o.volume.seed = static_cast<unsigned>(n);
         return kOk;
     }},
};

[[noreturn]] void usage_error(const std::string& why) {
    fprintf(stderr, "parley-server: %s\n%s", why.c_str(), usage_text().c_str());
    exit(2);
}

std::string flag_text(const OptionSpec& s) { return std::string(s.name) + (s.value ? std::string(" ") + s.value : ""); }

}  // namespace

const std::vector<OptionSpec>& option_table() { return kOptions; }

std::string usage_text() {
    constexpr size_t kColumn = 25;  // where the help starts
    std::string out = kUsageHead;
    out += '\n';
    const char* section = nullptr;
    for (const OptionSpec& s : kOptions) {
        if (!section || std::string_view(section) != s.section) {
            section = s.section;
            if (*section) out.append("\n").append(section).append(":\n");
        }
        std::string head = "  ";
        head += flag_text(s);
        std::string help = s.help;
        if (s.env) help += std::string(help.size() - help.rfind('\n') > 50 ? "\n" : " ") + "(env " + s.env + ")";
        if (head.size() + 1 >= kColumn) {
            out += head + "\n";
            head.clear();
        }
        size_t start = 0;
        for (;;) {
            size_t end = help.find('\n', start);
            head.resize(kColumn, ' ');
            out += head + help.substr(start, end == std::string::npos ? std::string::npos : end - start) + "\n";
            head.clear();
            if (end == std::string::npos) break;
            start = end + 1;
        }
    }
    return out;
}

std::string options_markdown() {
    std::string out =
        "# parley-server options\n\n"
        "Written by `parley-server --help-markdown` from the option table in `server/options.cpp`, which is\n"
        "also the parser and `--help` (`tests/unit/server/test_options.cpp` checks that this file is current).\n"
        "An option with an environment variable reads it when the option is not given on the command line.\n\n"
        "```\n" +
        std::string(kUsageHead) + "```\n";
    const char* section = nullptr;
    for (const OptionSpec& s : kOptions) {
        if (!section || std::string_view(section) != s.section) {
            section = s.section;
            std::string title = *section ? section : "Server";
            for (char& c : title)
                if (c == '\n') c = ' ';
            out.append("\n## ").append(title).append("\n\n| option | environment | what |\n|---|---|---|\n");
        }
        std::string help = s.help;
        for (char& c : help)
            if (c == '\n') c = ' ';
        auto cell_of = [](const std::string& text) {  // a | inside a cell (also in code) is \|
            std::string cell;
            for (char c : text) cell += c == '|' ? std::string("\\|") : std::string(1, c);
            return cell;
        };
        const std::string cell = cell_of(help);
        out.append("| `").append(cell_of(flag_text(s))).append("` | ");
        if (s.env) out.append("`").append(s.env).append("`");
        out.append(" | ").append(cell).append(" |\n");
    }
    return out;
}

Options parse_args(int argc, char** argv) {
    Options o;
    std::vector<std::string> args(argv + 1, argv + argc);
    if (!args.empty() && args[0] == "mail-in") {
        o.mail_in = true;
        args.erase(args.begin());
    } else if (!args.empty() && args[0] == "load-demo") {
        o.load_demo = true;
        args.erase(args.begin());
    }
    const OptionSpec::For command = o.mail_in ? OptionSpec::mail_in : o.load_demo ? OptionSpec::load_demo : OptionSpec::any;
    std::set<const OptionSpec*> given;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--help" || a == "-h") {
            fputs(usage_text().c_str(), stdout);
            exit(0);
        }
        if (a == "--help-markdown") {
            fputs(options_markdown().c_str(), stdout);
            exit(0);
        }
        const OptionSpec* spec = nullptr;
        for (const OptionSpec& s : kOptions)
            if (a == s.name && (s.only == OptionSpec::any || s.only == command)) spec = &s;
        if (!spec) usage_error("unknown option " + a);
        std::string value;
        if (spec->value) {
            if (i + 1 >= args.size()) usage_error(a + " needs a value");
            value = args[++i];
        }
        if (const char* why = spec->apply(o, value)) usage_error(why);
        given.insert(spec);
    }
    // The environment, for the options not given.
    for (const OptionSpec& s : kOptions) {
        if (!s.env || given.count(&s)) continue;
        const char* v = getenv(s.env);
        if (!v || !*v) continue;
        if (const char* why = s.apply(o, v)) usage_error(std::string(s.env) + ": " + why);
    }
    if (o.public_url.empty()) o.public_url = "http://" + o.http.host + ":" + std::to_string(o.http.port);
    if (o.payment_provider == "stripe" && (o.stripe.api_key.empty() || o.stripe.webhook_secret.empty()))
        usage_error("--payment-provider stripe needs --stripe-api-key and --stripe-webhook-secret");
    o.http.secure_cookies = o.public_url.rfind("https://", 0) == 0;
    o.http.public_origin = origin_of(o.public_url);
    if (!o.database.empty() && !o.db.empty()) usage_error("--db (SQLite) and --database (PostgreSQL) exclude each other");
    // E-mail: TLS mode from the URL unless given; the relay domain from the public URL.
    using Tls = SmtpConfig::Tls;
    bool smtps = o.mail.smtp.url.rfind("smtps://", 0) == 0;
    if (o.smtp_tls.empty()) o.smtp_tls = smtps ? "tls" : "starttls";
    o.mail.smtp.tls = o.smtp_tls == "none" ? Tls::none : o.smtp_tls == "try" ? Tls::try_starttls
                      : o.smtp_tls == "tls" ? Tls::tls : Tls::starttls;
    if (!o.mail.smtp.url.empty()) o.mail.smtp.url = smtp_url_for_tls(o.mail.smtp.url, o.mail.smtp.tls);
    if (o.mail.relay_domain == "relay.localhost") {
        std::string host = o.public_url.substr(o.public_url.find("://") + 3);
        host = host.substr(0, host.find_first_of(":/"));
        if (!host.empty()) o.mail.relay_domain = host;
    }
    o.mail.from_address = o.mail_from.empty() ? "parley@" + o.mail.relay_domain : o.mail_from;
    return o;
}

}  // namespace parley::server
