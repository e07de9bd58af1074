// parley-server's command line: every option and its environment variable in one table
// (options.cpp), which is both the parser and the documentation — `parley-server --help`
// and docs/OPTIONS.md (`parley-server --help-markdown`, checked by
// tests/unit/server/test_options.cpp) are written from it.
#pragma once
#include <string>
#include <vector>

#include "server/base/log.h"
#include "server/domain/domain.h"
#include "server/domain/volume_seed.h"
#include "server/http/options.h"
#include "server/mail/lmtp.h"
#include "server/mail/outbox.h"
#include "server/payments/providers.h"
#include "server/translate/translator.h"

namespace parley::server {

struct Options {
    HttpOptions http;
    std::string data_dir = "./data";
    std::string db;
    std::string database;  // a PostgreSQL URL (--database / PARLEY_DATABASE_URL)
    std::string files_dir;
    std::string public_url;
    bool demo = false;
    int notice_sweep_s = 60;  // --notice-sweep
    int crm_retry_s = 30;            // --crm-retry: leads into the seller's CRM, first backoff step
    bool crm_allow_private = false;  // --crm-allow-private: webhook/Odoo URLs on private addresses
    std::string payment_provider = "demo";
    StripeConfig stripe;
    MailSettings mail;
    std::string smtp_tls, mail_from, relay_key_hex;
    bool mail_in = false;    // the mail-in subcommand
    bool load_demo = false;  // the load-demo subcommand
    VolumeSpec volume;
    LmtpOptions lmtp;
    bool lmtp_on = false;
    std::vector<std::string> recipients;  // mail-in: envelope recipients
    bool has_sender = false;              // mail-in: --sender given
    std::string sender;                   // mail-in: the envelope sender
    std::string mail_authserv_id;         // trusted Authentication-Results
    TranslatorConfig translate;
    // Operators.
    LogFormat log_format = LogFormat::text;
    Domain::HealthLimits health;
};

// One option of the table.
struct OptionSpec {
    enum For { any, mail_in, load_demo };  // the command it belongs to (any: the server's)
    const char* name;     // "--port"
    const char* value;    // "PORT"; nullptr: a flag
    const char* env;      // the environment variable read when the option is not given; nullptr: none
    const char* section;  // the heading it is listed under
    const char* help;     // lines separated by '\n'
    For only;
    // Applies a value (the option's, or its environment variable's); returns nullptr or
    // why it is refused.
    const char* (*apply)(Options&, const std::string&);
};
const std::vector<OptionSpec>& option_table();

// The command line and the environment into Options. `--help` prints usage_text() and
// exits 0, `--help-markdown` prints options_markdown(); a bad option or value prints why
// and the usage and exits 2.
Options parse_args(int argc, char** argv);
std::string usage_text();
std::string options_markdown();

}  // namespace parley::server
