// parley-server: command line, start-up (stores, demo data, sign-in links), serve.
//
// Index: kUsage (every option) · parse_args (options and their environment
// variables) · run_mail_in (the `mail-in` command) · main (open the stores, wire the
// rooms: payments, e-mail out and in, translation, the change watch, LMTP, HTTP)
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>
#include <string>
#include <vector>

#include "server/domain/change_watch.h"
#include "server/domain/domain.h"
#include "server/domain/periodic.h"
#include "server/http/request_guard.h"
#include "server/http/server.h"
#include "server/mail/lmtp.h"
#include "server/translate/translator.h"
#include "server/base/crypto.h"
#include "server/base/log.h"
#include "server/mail/parse.h"
#include "server/mail/outbox.h"
#include "server/domain/seed.h"
#include "server/domain/volume_seed.h"
#include "server/store/stores.h"

namespace {

const char* kUsage =
    "Usage: parley-server [options]            serve the API (and the web client)\n"
    "       parley-server mail-in [options]    read one e-mail on stdin and thread it into its\n"
    "                                          request (for an MTA pipe transport); exit 0 when\n"
    "                                          posted, duplicate or auto-reply, 67 (EX_NOUSER) when\n"
    "                                          refused (reason on stderr), 75 on storage errors.\n"
    "                                          Uses --data-dir/--db, --relay-key and the mail and\n"
    "                                          --public-url options of the server.\n"
    "                                          --recipient ADDR (repeatable): the envelope\n"
    "                                          recipient, e.g. Postfix pipe argv ... ${recipient}\n"
    "                                          --sender ADDR: the envelope sender (Postfix\n"
    "                                          ${sender}; \"\" for <>), checked with SPF's verdict\n"
    "       parley-server load-demo [options]  fill --data-dir/--db with the demo and a real\n"
    "                                          seller's volume, then exit: --requests N (default\n"
    "                                          100000), --messages N (1000000), --long-thread N\n"
    "                                          (10000: one negotiation that long), --seed N\n"
    "  --help                 show this help\n"
    "  --host HOST            address to listen on (default 127.0.0.1)\n"
    "  --port PORT            port to listen on (default 8080)\n"
    "  --data-dir DIR         data directory, created if missing (default ./data)\n"
    "  --db PATH              SQLite database file (default DATA_DIR/parley.db)\n"
    "  --database URL         PostgreSQL instead: postgresql://user@host:port/db (libpq's\n"
    "                         URL or key=value form; or env PARLEY_DATABASE_URL). Several\n"
    "                         instances may share it (see README, several machines)\n"
    "  --files-dir DIR        attachments and uploads (default DATA_DIR/files): the same\n"
    "                         shared directory (NFS or similar) for every instance of one\n"
    "                         PostgreSQL database\n"
    "  --notice-sweep SECONDS on PostgreSQL: posts older than this whose notification mails\n"
    "                         no instance queued (it died first) are notified by one of the\n"
    "                         others (default 60; 0: off)\n"
    "  --web-root DIR         serve the web client from DIR (default: API only)\n"
    "  --demo                 seed demo data into an empty database and print sign-in links\n"
    "  --poll-timeout SECONDS how long GET /api/v1/events waits (default 25)\n"
    "  --http-threads N       HTTP worker threads (default: two per core, at least 16: a\n"
    "                         post waits for its durable write, and posts waiting together\n"
    "                         are stored in one transaction)\n"
    "  --rate-limits on|off   abuse limits per user and per client address, 429 with\n"
    "                         Retry-After (default on; env PARLEY_RATE_LIMITS=off turns\n"
    "                         them off; see server/http/rate_limit.h)\n"
    "  --trusted-proxy ADDR   the address of a proxy in front (nginx): the last hop of its\n"
    "                         X-Forwarded-For is the client for the limits\n"
    "  --max-connections N    open connections at most (default: from the descriptor limit,\n"
    "                         which the server raises to its hard limit at start; from 90 %\n"
    "                         of it requests get 503 with Retry-After)\n"
    "  --public-url URL       base of printed links (default http://HOST:PORT)\n"
    "  --payment-provider P   online payment of quotes: demo (default; test-mode checkout page\n"
    "                         served by Parley) or stripe (Checkout Sessions + signed webhooks at\n"
    "                         PUBLIC_URL/api/v1/payments/stripe/webhook)\n"
    "  --stripe-api-key KEY   secret API key (or env PARLEY_STRIPE_API_KEY); stripe only\n"
    "  --stripe-base-url URL  API base (or env PARLEY_STRIPE_BASE_URL; default https://api.stripe.com)\n"
    "  --stripe-webhook-secret SECRET\n"
    "                         webhook signing secret whsec_... (or env PARLEY_STRIPE_WEBHOOK_SECRET)\n"
    "E-mail notifications (without --smtp-url they stay in a development mailbox,\n"
    "listed to each signed-in user at GET /api/v1/dev/mailbox):\n"
    "  --smtp-url URL         SMTP server, smtp://host:port or smtps://host:port\n"
    "  --smtp-user USER       SMTP AUTH user (default: no AUTH)\n"
    "  --smtp-password PW     SMTP AUTH password (prefer env PARLEY_SMTP_PASSWORD)\n"
    "  --smtp-tls MODE        none, try (STARTTLS when offered), starttls (required; default\n"
    "                         for smtp://) or tls (TLS from the start; default for smtps://)\n"
    "  --mail-from ADDR       envelope and From address (default parley@RELAY_DOMAIN)\n"
    "  --mail-from-name NAME  default From display name (default Parley)\n"
    "  --relay-domain DOMAIN  domain of relay (Reply-To) addresses and Message-IDs\n"
    "                         (default: the public URL's host)\n"
    "  --relay-key HEX        64 hex digits (or env PARLEY_RELAY_KEY); default: DATA_DIR/relay.key,\n"
    "                         created once with mode 0600\n"
    "  --mail-retry-base-ms N first retry delay, doubled per attempt up to 1 h (default 60000)\n"
    "  --mail-max-attempts N  attempts before a temporary failure becomes permanent (default 8)\n"
    "  --inbound-secret S     enables POST /api/v1/mail/inbound (raw MIME body, header\n"
    "                         Authorization: Bearer S; or env PARLEY_INBOUND_SECRET)\n"
    "  --mail-authserv-id ID  the receiving MTA's authserv-id (e.g. mx.example.com): its\n"
    "                         Authentication-Results (SPF/DKIM/DMARC) prove a reply's sender.\n"
    "                         Replies that prove nothing are held for their owner to post or\n"
    "                         discard; without this option every reply by e-mail is held.\n"
    "                         (or env PARLEY_MAIL_AUTHSERV_ID)\n"
    "  --mail-in-queue N      mails over HTTP being read or waiting at once, on their own\n"
    "                         thread (default 8, and 48 MB together); more get 503 with\n"
    "                         Retry-After\n"
    "  --lmtp-listen HOST:PORT\n"
    "                         also take inbound replies over LMTP (RFC 2033) on this address,\n"
    "                         e.g. 127.0.0.1:2525 for Postfix transport lmtp:inet:127.0.0.1:2525\n"
    "                         (default: off; SIZE 10 MB, per-recipient replies, 550 = bounce)\n"
    "  --lmtp-idle-timeout SECONDS\n"
    "                         close idle LMTP connections after this long (default 300)\n"
    "\n"
    "Translation (offline with Apertium for en, es, fr, it, pt, Spanish as the pivot):\n"
    "  --translate-url URL    a LibreTranslate-compatible API for the other pairs (de, ru, zh, ja)\n"
    "                         (or env PARLEY_TRANSLATE_URL)\n"
    "  --translate-key KEY    its API key (or env PARLEY_TRANSLATE_KEY)\n"
    "  --translate-prefer-remote\n"
    "                         use the remote API first wherever it takes the pair\n"
    "  --no-apertium          do not use Apertium (only the remote API)\n";

struct Options {
    parley::server::HttpOptions http;
    std::string data_dir = "./data";
    std::string db;
    std::string database;  // a PostgreSQL URL (--database / PARLEY_DATABASE_URL)
    std::string files_dir;
    std::string public_url;
    bool demo = false;
    int notice_sweep_s = 60;  // --notice-sweep
    std::string payment_provider = "demo";
    parley::server::StripeConfig stripe;
    parley::server::MailSettings mail;
    std::string smtp_tls, mail_from, relay_key_hex;
    bool mail_in = false;  // the mail-in subcommand
    bool load_demo = false;  // the load-demo subcommand
    parley::server::VolumeSpec volume;
    parley::server::LmtpOptions lmtp;
    bool lmtp_on = false;
    std::vector<std::string> recipients;  // mail-in: envelope recipients
    bool has_sender = false;              // mail-in: --sender given
    std::string sender;                   // mail-in: the envelope sender
    std::string mail_authserv_id;         // trusted Authentication-Results
    parley::server::TranslatorConfig translate;
};

// A database location fit for the log: a PostgreSQL URL's password (user:PASSWORD@ or
// password=...) replaced by "***".
std::string without_password(std::string loc) {
    if (size_t scheme = loc.find("://"); scheme != std::string::npos) {
        size_t at = loc.find('@', scheme + 3);
        size_t colon = loc.find(':', scheme + 3);
        if (at != std::string::npos && colon != std::string::npos && colon < at)
            loc.replace(colon + 1, at - colon - 1, "***");
    }
    for (size_t p = loc.find("password="); p != std::string::npos; p = loc.find("password=", p + 1)) {
        size_t end = loc.find_first_of(" &", p);
        loc.replace(p + 9, (end == std::string::npos ? loc.size() : end) - p - 9, "***");
    }
    return loc;
}

[[noreturn]] void usage_error(const std::string& why) {
    fprintf(stderr, "parley-server: %s\n%s", why.c_str(), kUsage);
    exit(2);
}

bool parse_int(const std::string& s, long lo, long hi, long& out) {
    if (s.empty() || s.size() > 9) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    out = std::stol(s);
    return out >= lo && out <= hi;
}

Options parse_args(int argc, char** argv) {
    Options o;
    if (const char* v = getenv("PARLEY_RATE_LIMITS"); v && std::string(v) == "off") o.http.rate_limits = false;
    std::vector<std::string> args(argv + 1, argv + argc);
    if (!args.empty() && args[0] == "mail-in") {
        o.mail_in = true;
        args.erase(args.begin());
    } else if (!args.empty() && args[0] == "load-demo") {
        o.load_demo = true;
        args.erase(args.begin());
    }
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= args.size()) usage_error(a + " needs a value");
            return args[++i];
        };
        long n = 0;
        if (a == "--help" || a == "-h") {
            fputs(kUsage, stdout);
            exit(0);
        } else if (a == "--host") {
            o.http.host = value();
        } else if (a == "--port") {
            if (!parse_int(value(), 1, 65535, n)) usage_error("--port must be 1..65535");
            o.http.port = static_cast<uint16_t>(n);
        } else if (a == "--db") {
            o.db = value();
        } else if (a == "--database") {
            o.database = value();
        } else if (a == "--files-dir") {
            o.files_dir = value();
        } else if (a == "--data-dir") {
            o.data_dir = value();
        } else if (a == "--web-root") {
            o.http.web_root = value();
        } else if (o.load_demo && a == "--requests") {
            if (!parse_int(value(), 0, 10000000, n)) usage_error("--requests must be 0..10000000");
            o.volume.requests = static_cast<int>(n);
        } else if (o.load_demo && a == "--messages") {
            if (!parse_int(value(), 0, 100000000, n)) usage_error("--messages must be 0..100000000");
            o.volume.messages = n;
        } else if (o.load_demo && a == "--long-thread") {
            if (!parse_int(value(), 0, 1000000, n)) usage_error("--long-thread must be 0..1000000");
            o.volume.long_thread = static_cast<int>(n);
        } else if (o.load_demo && a == "--seed") {
            if (!parse_int(value(), 0, 1000000000, n)) usage_error("--seed must be a number");
            o.volume.seed = static_cast<unsigned>(n);
        } else if (a == "--demo") {
            o.demo = true;
        } else if (a == "--notice-sweep") {
            if (!parse_int(value(), 0, 86400, n)) usage_error("--notice-sweep must be 0..86400 seconds");
            o.notice_sweep_s = static_cast<int>(n);
        } else if (a == "--poll-timeout") {
            if (!parse_int(value(), 0, 3600, n)) usage_error("--poll-timeout must be 0..3600 seconds");
            o.http.poll_timeout_s = static_cast<int>(n);
        } else if (a == "--http-threads") {
            if (!parse_int(value(), 1, 256, n)) usage_error("--http-threads must be 1..256");
            o.http.threads = static_cast<unsigned>(n);
        } else if (a == "--rate-limits") {
            std::string v = value();
            if (v != "on" && v != "off") usage_error("--rate-limits must be on or off");
            o.http.rate_limits = v == "on";
        } else if (a == "--trusted-proxy") {
            o.http.trusted_proxy = value();
        } else if (a == "--max-connections") {
            if (!parse_int(value(), 1, 10000000, n)) usage_error("--max-connections must be 1..10000000");
            o.http.max_connections = n;
        } else if (a == "--payment-provider") {
            o.payment_provider = value();
            if (o.payment_provider != "demo" && o.payment_provider != "stripe")
                usage_error("--payment-provider must be demo or stripe");
        } else if (a == "--stripe-api-key") {
            o.stripe.api_key = value();
        } else if (a == "--stripe-base-url") {
            o.stripe.base_url = value();
        } else if (a == "--stripe-webhook-secret") {
            o.stripe.webhook_secret = value();
        } else if (a == "--smtp-url") {
            o.mail.smtp.url = value();
            if (o.mail.smtp.url.rfind("smtp://", 0) != 0 && o.mail.smtp.url.rfind("smtps://", 0) != 0)
                usage_error("--smtp-url must start with smtp:// or smtps://");
        } else if (a == "--smtp-user") {
            o.mail.smtp.user = value();
        } else if (a == "--smtp-password") {
            o.mail.smtp.password = value();
        } else if (a == "--smtp-tls") {
            o.smtp_tls = value();
            if (o.smtp_tls != "none" && o.smtp_tls != "try" && o.smtp_tls != "starttls" && o.smtp_tls != "tls")
                usage_error("--smtp-tls must be none, try, starttls or tls");
        } else if (a == "--mail-from") {
            o.mail_from = value();
        } else if (a == "--mail-from-name") {
            o.mail.from_name = value();
        } else if (a == "--relay-domain") {
            o.mail.relay_domain = value();
        } else if (a == "--relay-key") {
            o.relay_key_hex = value();
        } else if (a == "--mail-retry-base-ms") {
            if (!parse_int(value(), 1, 3600000, n)) usage_error("--mail-retry-base-ms must be 1..3600000");
            o.mail.retry_base_ms = n;
        } else if (a == "--mail-max-attempts") {
            if (!parse_int(value(), 1, 100, n)) usage_error("--mail-max-attempts must be 1..100");
            o.mail.max_attempts = static_cast<int>(n);
        } else if (a == "--inbound-secret") {
            o.http.inbound_secret = value();
        } else if (a == "--mail-in-queue") {
            if (!parse_int(value(), 1, 1000, n)) usage_error("--mail-in-queue must be 1..1000");
            o.http.mail_in_queue = static_cast<size_t>(n);
        } else if (a == "--recipient" && o.mail_in) {
            o.recipients.push_back(value());
        } else if (a == "--sender" && o.mail_in) {
            o.sender = value();
            if (o.sender == "<>") o.sender.clear();
            o.has_sender = true;
        } else if (a == "--mail-authserv-id") {
            o.mail_authserv_id = value();
        } else if (a == "--lmtp-listen") {
            std::string v = value();
            size_t colon = v.rfind(':');
            if (colon == std::string::npos || colon == 0 || !parse_int(v.substr(colon + 1), 1, 65535, n))
                usage_error("--lmtp-listen must be HOST:PORT");
            o.lmtp.host = v.substr(0, colon);
            if (o.lmtp.host.size() > 2 && o.lmtp.host.front() == '[' && o.lmtp.host.back() == ']')
                o.lmtp.host = o.lmtp.host.substr(1, o.lmtp.host.size() - 2);  // [::1]:2525
            o.lmtp.port = static_cast<uint16_t>(n);
            o.lmtp_on = true;
        } else if (a == "--lmtp-idle-timeout") {
            if (!parse_int(value(), 1, 86400, n)) usage_error("--lmtp-idle-timeout must be 1..86400 seconds");
            o.lmtp.idle_timeout = std::chrono::seconds(n);
        } else if (a == "--translate-url") {
            o.translate.remote.url = value();
            if (o.translate.remote.url.rfind("http://", 0) != 0 && o.translate.remote.url.rfind("https://", 0) != 0)
                usage_error("--translate-url must start with http:// or https://");
        } else if (a == "--translate-key") {
            o.translate.remote.api_key = value();
        } else if (a == "--translate-prefer-remote") {
            o.translate.prefer_remote = true;
        } else if (a == "--no-apertium") {
            o.translate.apertium = false;
        } else if (a == "--public-url") {
            o.public_url = value();
            while (!o.public_url.empty() && o.public_url.back() == '/') o.public_url.pop_back();
        } else {
            usage_error("unknown option " + a);
        }
    }
    if (o.public_url.empty()) o.public_url = "http://" + o.http.host + ":" + std::to_string(o.http.port);
    auto env = [](const char* name, std::string& out) {
        const char* v = getenv(name);
        if (out.empty() && v && *v) out = v;
    };
    env("PARLEY_STRIPE_API_KEY", o.stripe.api_key);
    env("PARLEY_STRIPE_WEBHOOK_SECRET", o.stripe.webhook_secret);
    if (const char* v = getenv("PARLEY_STRIPE_BASE_URL"); v && *v && o.stripe.base_url == "https://api.stripe.com")
        o.stripe.base_url = v;
    if (o.payment_provider == "stripe" && (o.stripe.api_key.empty() || o.stripe.webhook_secret.empty()))
        usage_error("--payment-provider stripe needs --stripe-api-key and --stripe-webhook-secret");
    o.http.secure_cookies = o.public_url.rfind("https://", 0) == 0;
    o.http.public_origin = parley::server::origin_of(o.public_url);
    // E-mail: TLS mode from the URL unless given; the relay domain from the public URL.
    env("PARLEY_SMTP_PASSWORD", o.mail.smtp.password);
    env("PARLEY_RELAY_KEY", o.relay_key_hex);
    env("PARLEY_INBOUND_SECRET", o.http.inbound_secret);
    env("PARLEY_MAIL_AUTHSERV_ID", o.mail_authserv_id);
    env("PARLEY_DATABASE_URL", o.database);
    if (!o.database.empty() && !o.db.empty()) usage_error("--db (SQLite) and --database (PostgreSQL) exclude each other");
    env("PARLEY_TRANSLATE_URL", o.translate.remote.url);
    env("PARLEY_TRANSLATE_KEY", o.translate.remote.api_key);
    using Tls = parley::server::SmtpConfig::Tls;
    bool smtps = o.mail.smtp.url.rfind("smtps://", 0) == 0;
    if (o.smtp_tls.empty()) o.smtp_tls = smtps ? "tls" : "starttls";
    o.mail.smtp.tls = o.smtp_tls == "none" ? Tls::none : o.smtp_tls == "try" ? Tls::try_starttls
                      : o.smtp_tls == "tls" ? Tls::tls : Tls::starttls;
    if (!o.mail.smtp.url.empty()) o.mail.smtp.url = parley::server::smtp_url_for_tls(o.mail.smtp.url, o.mail.smtp.tls);
    if (o.mail.relay_domain == "relay.localhost") {
        std::string host = o.public_url.substr(o.public_url.find("://") + 3);
        host = host.substr(0, host.find_first_of(":/"));
        if (!host.empty()) o.mail.relay_domain = host;
    }
    o.mail.from_address = o.mail_from.empty() ? "parley@" + o.mail.relay_domain : o.mail_from;
    return o;
}

// `mail-in`: one message from stdin → exit code for the MTA (sysexits.h values).
int run_mail_in(parley::server::Domain& domain, const std::vector<std::string>& recipients,
                const parley::server::MailInOrigin& origin) {
    using namespace parley::server;
    std::string raw;
    char buf[65536];
    size_t n = 0;
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
        raw.append(buf, n);
        if (raw.size() > kMaxMailBytes) {
            fprintf(stderr, "parley-server: mail-in: refused (too_large): the message is larger than %zu bytes\n",
                    kMaxMailBytes);
            return 67;
        }
    }
    MailInResult r = domain.receive_mail(raw, recipients, origin);
    if (r.status == kMailInRefused) {
        fprintf(stderr, "parley-server: mail-in: refused (%s): %s\n", r.reason.c_str(), r.detail.c_str());
        return 67;  // EX_NOUSER: the MTA bounces with this text
    }
    fprintf(stderr, "parley-server: mail-in: %s (request %lld, message %lld)\n", r.status.c_str(),
            static_cast<long long>(r.request_id), static_cast<long long>(r.message_id));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace parley::server;
    using parley::Millis;
    Options opt = parse_args(argc, argv);
    signal(SIGPIPE, SIG_IGN);

    RequestLog log;
    set_request_log(&log);
    int code = 0;
    try {
        std::filesystem::create_directories(opt.data_dir);
        std::string db = !opt.database.empty() ? opt.database
                         : opt.db.empty()      ? (std::filesystem::path(opt.data_dir) / "parley.db").string()
                                               : opt.db;
        const bool postgres = is_postgres_location(db);
        const std::string db_name = without_password(db);  // for the log
        const std::string files_dir =
            opt.files_dir.empty() ? (std::filesystem::path(opt.data_dir) / "files").string() : opt.files_dir;
        // The main store's pool on PostgreSQL: a connection per HTTP worker, and a few for
        // the background threads (notifications, search indexing, housekeeping).
        Stores stores = open_stores(db, static_cast<int>(http_worker_threads(opt.http)) + 4);
        Store* store = stores.main.get();
        Millis now = system_now_ms();
        store->purge_expired(now);
        const bool seeded = opt.demo && seed_demo(*store, now);
        if (seeded) log_line("parley: demo data seeded into " + db_name);
        if (opt.load_demo) {
            // The demo, then the volume; the server is started afterwards (--demo prints links).
            if (!seed_demo(*store, now)) log_line("parley: load-demo: adding to the data already in " + db_name);
            opt.volume.files_dir = files_dir;
            VolumeReport r = seed_volume(*store, opt.volume, now, [](const std::string& s) { log_line("parley: load-demo: " + s); });
            while (store->index_for_search(5000) > 0) {}  // the search index, many messages per commit
            store->skip_notice_sweep(store->max_event_id());  // generated messages notify nobody
            printf("{\"requests\": %d, \"messages\": %ld, \"quotes\": %d, \"long_request\": %lld, "
                   "\"long_oldest_message\": %lld}\n",
                   r.requests, r.messages, r.quotes, static_cast<long long>(r.long_request),
                   static_cast<long long>(r.long_oldest_message));
            return 0;
        }

        Hub hub(store->max_event_id());
        Domain domain(*store, hub);
        domain.set_files_dir(files_dir);
        domain.set_cache_dir((std::filesystem::path(opt.data_dir) / "cache").string());  // quote PDFs, previews
        if (opt.payment_provider == "stripe")
            domain.set_payment_provider(make_stripe_provider(opt.stripe), opt.public_url);
        else
            domain.set_payment_provider(make_demo_provider(opt.public_url), opt.public_url);
        if (!opt.mail_in) log_line("parley: online payment via the " + opt.payment_provider + " provider");

        // E-mail: the persistent outbox and its worker thread.
        if (!opt.relay_key_hex.empty()) {
            auto k = relay_key_from_hex(opt.relay_key_hex);
            if (!k) throw std::runtime_error("--relay-key must be 64 hex digits");
            opt.mail.relay_key = *k;
        } else {
            opt.mail.relay_key = load_or_create_relay_key((std::filesystem::path(opt.data_dir) / "relay.key").string());
        }
        Outbox outbox(*stores.outbox, opt.mail, system_now_ms);
        domain.set_mailer(&outbox, opt.public_url);
        // Delivery status of messages' notifications: the outbox tells the domain.
        domain.set_outbox(stores.outbox.get());
        outbox.set_listener([&domain](const OutboxRow& row) { domain.delivery_changed(row); });
        domain.set_mail_in(opt.mail.relay_key, stores.mail_in.get(), opt.mail.relay_domain);
        domain.set_mail_authserv_id(opt.mail_authserv_id);
        if (opt.mail_in) {
            // Notifications are queued in the outbox; the server's worker sends them.
            MailInOrigin origin;
            origin.has_envelope_from = opt.has_sender;
            origin.envelope_from = opt.sender;
            code = run_mail_in(domain, opt.recipients, origin);
            set_request_log(nullptr);
            return code;
        }
        if (opt.mail_authserv_id.empty() && (opt.lmtp_on || !opt.http.inbound_secret.empty()))
            log_line("parley: no --mail-authserv-id: every reply by e-mail is held for its owner to confirm");
        outbox.start();
        // Posts: their notification mails are composed and queued off the request path,
        // after the posts whose mails a crash may have lost (notify_queue.h).
        // The cursor lives beside the database it counts in; a database just seeded has
        // no post to notify about, whatever an older cursor says.
        // (On PostgreSQL, in this instance's data directory: each instance recovers its own
        // posts' notices; mails already in the outbox are skipped.)
        const std::string cursor_file =
            postgres ? (std::filesystem::path(opt.data_dir) / "notify-cursor").string() : db + ".notify-cursor";
        if (seeded) {
            std::filesystem::remove(cursor_file);
            store->skip_notice_sweep(store->max_event_id());  // demo messages notify nobody
        }
        NotifyQueue notices(cursor_file);
        domain.set_notify_queue(&notices);
        // Without a ChangeFeed (PostgreSQL, for now) the posts a crash lost are not looked for.
        if (!stores.changes) notices.load_cursor(store->max_event_id());
        else if (int n = domain.recover_notifications(notices.load_cursor(store->max_event_id()),
                                                      [&](int64_t after) { return stores.changes->events_after(after, 500); }))
            log_line("parley: notifications of " + std::to_string(n) + " posts queued again after a restart");
        notices.start([&domain](std::vector<PostNotice>& batch) { domain.notify_posts(batch); });
        // Search: messages are indexed behind their posts (search_indexer.h).
        SearchIndexer indexer([&domain] { return domain.index_for_search(); });
        domain.set_search_indexer(&indexer);
        indexer.start();
        log_line(outbox.dev_mailbox() ? std::string("parley: e-mail kept in the development mailbox (no --smtp-url)")
                                      : "parley: e-mail via " + opt.mail.smtp.url);
        // People added through the API get a single-use sign-in link in the log until
        // e-mail delivers it to them.
        domain.on_new_user = [&opt](const UserRecord& u, const std::string& token) {
            log_line("parley: new " + u.role + " " + u.name + ": " + opt.public_url + "/login/" + token);
        };

        // Translation: Apertium pipelines started in the background so that the
        // first user does not wait for them; older texts get their language tagged.
        domain.set_translator(std::make_unique<Translator>(opt.translate));
        std::jthread warm([t = domain.translator()](std::stop_token st) {
            t->warm_up([&st] { return st.stop_requested(); });
        });  // asked to stop and joined on the way out
        if (int n = domain.tag_untagged_texts()) log_line("parley: languages detected for " + std::to_string(n) + " texts");

        // Demo sign-in links: fresh tokens on every start (only hashes are stored).
        std::vector<std::string> links;
        if (opt.demo) {
            auto users = store->users();
            // The seller side first (manufacturer, then its network), then the buyers.
            auto rank = [](const UserRecord& u) {
                for (int i = 0; const char* r : {parley::kRoleManufacturer, parley::kRoleAreaManager,
                                                  parley::kRoleDistributor, parley::kRoleGuest}) {
                    if (u.role == r) return i;
                    ++i;
                }
                return 9;
            };
            std::stable_sort(users.begin(), users.end(),
                             [&](const UserRecord& a, const UserRecord& b) { return rank(a) < rank(b); });
            store->transaction([&] {  // one commit for all (thousands with load-demo's buyers)
                for (const auto& u : users) {
                    std::string token = domain.issue_magic_link(u.id, kDemoLinkTtl, /*reusable=*/true);
                    links.push_back("login " + u.role + " " + u.name + ": " + opt.public_url + "/login/" + token);
                }
            });
        }

        // Every ten minutes: uploads never sent with a message, expired sessions and links.
        Periodic housekeeping(
            [&domain, store] {
                try {
                    if (int n = domain.sweep_abandoned_uploads())
                        log_line("parley: " + std::to_string(n) + " uploads never sent with a message removed");
                    store->purge_expired(system_now_ms());
                } catch (const std::exception& e) {
                    log_line(std::string("error: housekeeping: ") + e.what());
                }
            },
            std::chrono::minutes(10));
        housekeeping.start();
        // Several instances: the notices of posts whose instance died before queueing their
        // mails (Domain::sweep_notifications); one instance at a time does it.
        std::unique_ptr<Periodic> notice_sweep;
        if (postgres && opt.notice_sweep_s > 0) {
            const Millis grace = Millis{opt.notice_sweep_s} * 1000;
            notice_sweep = std::make_unique<Periodic>(
                [&domain, grace, owner = random_token()] {
                    try {
                        domain.sweep_notifications(owner, grace);
                    } catch (const std::exception& e) {
                        log_line(std::string("error: notice sweep: ") + e.what());
                    }
                },
                std::chrono::milliseconds(std::max<Millis>(grace / 2, 1000)));
            notice_sweep->start();
        }
        // Writes by `parley-server mail-in` (another process) reach the long-polls live.
        // (None yet on PostgreSQL: open_stores gives no ChangeFeed there.)
        std::unique_ptr<ChangeWatch> watch;
        if (stores.changes) {
            watch = std::make_unique<ChangeWatch>(*stores.changes, domain);
            watch->start();
        }
        std::unique_ptr<LmtpServer> lmtp;
        if (opt.lmtp_on) {
            lmtp = std::make_unique<LmtpServer>(domain, opt.mail.relay_key, opt.lmtp);
            lmtp->start();  // binds now: a busy port fails the start-up
            log_line("parley: LMTP on " + opt.lmtp.host + ":" + std::to_string(lmtp->port()));
        }

        serve(domain, opt.http, [&] {
            log_line("parley: listening on http://" + opt.http.host + ":" + std::to_string(opt.http.port) +
                     " (db " + db_name + ")");
            for (const auto& l : links) printf("%s\n", l.c_str());
            fflush(stdout);
        });
        if (lmtp) lmtp->stop();
        housekeeping.stop();
        if (notice_sweep) notice_sweep->stop();
        if (watch) watch->stop();
        notices.stop();  // the last posts' mails reach the outbox before it stops
        indexer.stop();
        domain.set_search_indexer(nullptr);
        domain.set_notify_queue(nullptr);
        outbox.stop();
        log_line("parley: stopped");
    } catch (const std::exception& e) {
        log_line(std::string("parley-server: ") + e.what());
        code = opt.mail_in ? 75 : 1;  // EX_TEMPFAIL: the MTA retries later
    }
    set_request_log(nullptr);
    return code;
}
