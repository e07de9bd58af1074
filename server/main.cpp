// parley-server: start-up (stores, demo data, sign-in links), serve. The command line is
// options.{h,cpp}.
//
// Index: run_mail_in (the `mail-in` command) · main (open the stores, wire the rooms:
// payments, e-mail out and in, translation, the change watch, LMTP, HTTP)
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
#include "server/options.h"
#include "server/store/stores.h"

namespace {

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

    RequestLog log(opt.log_format);
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
        domain.set_health_limits(opt.health);
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
        // Leads into the seller's CRM: new requests and events become webhook and Odoo
        // deliveries (one instance at a time dispatches), then due deliveries are sent.
        CrmOptions crm_opt;
        crm_opt.retry_base = Millis{opt.crm_retry_s} * 1000;
        crm_opt.allow_private = opt.crm_allow_private;
        domain.set_crm(stores.crm.get(), crm_opt);
        Periodic crm(
            [&domain, owner = random_token()] {
                try {
                    domain.crm_dispatch(owner);
                    while (domain.crm_send(20) == 20) {
                    }
                } catch (const std::exception& e) {
                    log_line(std::string("error: CRM deliveries: ") + e.what());
                }
            },
            std::chrono::seconds(1));
        crm.start();
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
            if (opt.http.metrics_port)
                log_line("parley: /metrics and /healthz on http://" + opt.http.metrics_host + ":" +
                         std::to_string(opt.http.metrics_port));
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
