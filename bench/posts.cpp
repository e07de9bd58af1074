// Durable message posts over HTTP against raw SQLite commits (loopback only).
//
// (a) Raw SQLite: a temp database in --raw-dir (the server's data directory: the same
//     disk), WAL + synchronous=FULL, one row per transaction, for --raw-seconds; the
//     rate of committed rows is what one durable write costs on this disk.
// (b) The real server: --connections keep-alive connections (epoll, one thread), each
//     POSTing /api/v1/requests/{id}/messages with a fresh Idempotency-Key as soon as its
//     previous answer arrived, spread over the --target request/session pairs (both
//     sides of several requests), for --duration seconds after a one-second warm-up.
//     Counts 2xx answers per second and the latency of each post.
// (a) runs before and after (b), half of --raw-seconds each, and the mean is used: the
// disk of a shared machine drifts. Then one GET /api/v1/dev/mailbox, which returns once
// the notification mails of every post are in the outbox, tells how long the background
// work needs to catch up after the load (notify_settle_s).
// Prints key=value lines: both rates and posts/raw (target >= 0.5).
//
// Build: g++ -O2 -std=c++20 -o posts bench/posts.cpp -lsqlite3
// Usage: posts --port P --target REQUEST_ID:'parley_session=...' [--target ...]
//              [--connections 16] [--duration 10] [--raw-dir DIR] [--raw-seconds 5]
//              [--skip-raw] [--skip-http]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sqlite3.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
double secs(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

struct Target {
    long long request = 0;
    std::string cookie;
};

struct Options {
    int port = 8080, connections = 16;
    double duration = 10, raw_seconds = 5;
    std::string raw_dir = "/tmp";
    std::vector<Target> targets;
    bool skip_raw = false, skip_http = false;
};

[[noreturn]] void die(const std::string& why) {
    fprintf(stderr, "posts: %s\n", why.c_str());
    exit(1);
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto v = [&]() -> std::string {
            if (i + 1 >= argc) die(a + " needs a value");
            return argv[++i];
        };
        if (a == "--port") o.port = std::stoi(v());
        else if (a == "--connections") o.connections = std::stoi(v());
        else if (a == "--duration") o.duration = std::stod(v());
        else if (a == "--raw-dir") o.raw_dir = v();
        else if (a == "--raw-seconds") o.raw_seconds = std::stod(v());
        else if (a == "--skip-raw") o.skip_raw = true;
        else if (a == "--skip-http") o.skip_http = true;
        else if (a == "--target") {
            std::string t = v();
            size_t colon = t.find(':');
            if (colon == std::string::npos) die("--target is REQUEST_ID:COOKIE");
            o.targets.push_back({std::stoll(t.substr(0, colon)), t.substr(colon + 1)});
        } else die("unknown option " + a);
    }
    if (!o.skip_http && o.targets.empty()) die("at least one --target is required");
    if (o.connections < 1) die("--connections must be positive");
    return o;
}

// ---------------------------------------------------------------- (a) raw SQLite

void check(int rc, sqlite3* db, const char* what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) die(std::string(what) + ": " + sqlite3_errmsg(db));
}

// Committed rows per second: WAL, synchronous=FULL, one INSERT per transaction.
double raw_inserts_per_s(const std::string& dir, double seconds, long* rows_out) {
    std::string path = dir + "/posts-raw-" + std::to_string(getpid()) + ".db";
    sqlite3* db = nullptr;
    check(sqlite3_open(path.c_str(), &db), db, "open");
    check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                           "CREATE TABLE messages(id INTEGER PRIMARY KEY, conversation_id INTEGER NOT NULL,"
                           " author_id INTEGER NOT NULL, body TEXT NOT NULL, created INTEGER NOT NULL);",
                       nullptr, nullptr, nullptr),
          db, "schema");
    sqlite3_stmt* ins = nullptr;
    check(sqlite3_prepare_v2(db, "INSERT INTO messages(conversation_id, author_id, body, created) VALUES(?1,?2,?3,?4)",
                             -1, &ins, nullptr),
          db, "prepare");
    const std::string body = "Raw insert: one durable row per transaction, like one message post.";
    long rows = 0;
    auto t0 = Clock::now(), t = t0;
    while (secs(t0, t = Clock::now()) < seconds) {
        sqlite3_bind_int64(ins, 1, 1 + rows % 7);
        sqlite3_bind_int64(ins, 2, 1 + rows % 3);
        sqlite3_bind_text(ins, 3, body.data(), static_cast<int>(body.size()), SQLITE_STATIC);
        sqlite3_bind_int64(ins, 4, rows);
        check(sqlite3_step(ins), db, "insert");  // autocommit: one transaction, one WAL fsync
        sqlite3_reset(ins);
        ++rows;
    }
    sqlite3_finalize(ins);
    sqlite3_close(db);
    for (const char* suffix : {"", "-wal", "-shm"}) unlink((path + suffix).c_str());
    *rows_out = rows;
    return static_cast<double>(rows) / secs(t0, t);
}

// ---------------------------------------------------------------- (b) HTTP posts

int connect_to(int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<uint16_t>(port));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

bool write_all(int fd, const std::string& s) {
    size_t off = 0;
    while (off < s.size()) {
        ssize_t n = write(fd, s.data() + off, s.size() - off);
        if (n > 0) { off += static_cast<size_t>(n); continue; }
        if (n < 0 && errno == EINTR) continue;
        return false;
    }
    return true;
}

// Texts of several languages, so that language detection sees realistic input.
const char* kTexts[] = {
    "Thank you, could you confirm the delivery date for the second batch and the packaging?",
    "Buenos días, necesitamos confirmar el plazo de entrega y el precio unitario para 40 unidades.",
    "Bonjour, pouvez-vous nous envoyer la fiche technique et le délai de livraison pour Lyon ?",
    "Guten Tag, bitte bestätigen Sie die Lieferzeit für die zweite Charge und die Verpackung.",
    "Buongiorno, potete confermare la data di consegna del secondo lotto?",
};

struct Conn {
    int fd = -1;
    const Target* target = nullptr;
    std::string rx;
    Clock::time_point sent{};
    long seq = 0;
};

struct HttpResult {
    long ok = 0, other = 0, errors = 0;
    std::vector<double> latency_ms;
    std::vector<long> status_counts = std::vector<long>(600, 0);
    double seconds = 0;
};

std::string post_of(Conn& c, int index) {
    std::string body = std::string("{\"body\":\"") + kTexts[(c.seq + index) % 5] + " (" + std::to_string(index) + "." +
                       std::to_string(c.seq) + ")\"}";
    std::string key = "posts-" + std::to_string(getpid()) + "-" + std::to_string(index) + "-" + std::to_string(c.seq++);
    return "POST /api/v1/requests/" + std::to_string(c.target->request) +
           "/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + c.target->cookie + "\r\nIdempotency-Key: " + key +
           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

// The status of a complete answer at the front of rx (0 when incomplete); drops it from rx.
int take_response(std::string& rx) {
    size_t head = rx.find("\r\n\r\n");
    if (head == std::string::npos) return 0;
    size_t len = 0;
    for (size_t p = 0; p < head;) {
        size_t e = rx.find("\r\n", p);
        if (e == std::string::npos || e > head) e = head;
        if (e - p > 15 && strncasecmp(rx.data() + p, "content-length:", 15) == 0)
            len = std::strtoul(rx.c_str() + p + 15, nullptr, 10);
        p = e + 2;
    }
    if (rx.size() < head + 4 + len) return 0;
    int status = rx.size() > 12 ? std::atoi(rx.c_str() + 9) : 599;
    rx.erase(0, head + 4 + len);
    return status > 0 && status < 600 ? status : 599;
}

HttpResult run_http(const Options& o) {
    HttpResult r;
    int ep = epoll_create1(EPOLL_CLOEXEC);
    std::vector<Conn> conns(static_cast<size_t>(o.connections));
    const auto t_start = Clock::now();
    const auto t_measure = t_start + std::chrono::seconds(1);  // warm-up
    const auto t_end = t_measure + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.duration));
    auto open = [&](size_t i) {
        Conn& c = conns[i];
        c.fd = connect_to(o.port);
        if (c.fd < 0) die("cannot connect to port " + std::to_string(o.port));
        c.rx.clear();
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLRDHUP;
        ev.data.u64 = i;
        epoll_ctl(ep, EPOLL_CTL_ADD, c.fd, &ev);
        c.sent = Clock::now();
        if (!write_all(c.fd, post_of(c, static_cast<int>(i)))) die("write failed");
    };
    for (size_t i = 0; i < conns.size(); ++i) {
        conns[i].target = &o.targets[i % o.targets.size()];
        open(i);
    }
    std::vector<epoll_event> evs(64);
    bool done = false;
    while (!done) {
        int n = epoll_wait(ep, evs.data(), static_cast<int>(evs.size()), 100);
        auto now = Clock::now();
        if (now >= t_end) done = true;
        for (int k = 0; k < n; ++k) {
            size_t i = evs[static_cast<size_t>(k)].data.u64;
            Conn& c = conns[i];
            char buf[16384];
            ssize_t got = read(c.fd, buf, sizeof buf);
            if (got > 0) c.rx.append(buf, static_cast<size_t>(got));
            int status = take_response(c.rx);
            if (status == 0) {
                if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) {
                    // The server closed the connection: count it, open another.
                    epoll_ctl(ep, EPOLL_CTL_DEL, c.fd, nullptr);
                    close(c.fd);
                    if (now >= t_measure) ++r.errors;
                    if (!done) open(i);
                }
                continue;
            }
            if (now >= t_measure && now < t_end) {
                ++r.status_counts[static_cast<size_t>(status)];
                if (status >= 200 && status < 300) {
                    ++r.ok;
                    r.latency_ms.push_back(std::chrono::duration<double, std::milli>(now - c.sent).count());
                } else {
                    ++r.other;
                }
            }
            if (done) continue;
            c.sent = now;
            if (!write_all(c.fd, post_of(c, static_cast<int>(i)))) die("write failed");
        }
    }
    r.seconds = secs(t_measure, t_end);
    for (auto& c : conns) close(c.fd);
    close(ep);
    return r;
}

double percentile(std::vector<double>& v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

}  // namespace

// Seconds until one GET /api/v1/dev/mailbox is answered (it waits for the notification
// queue to be done); -1 on failure.
double settle_seconds(const Options& o) {
    int fd = connect_to(o.port);
    if (fd < 0) return -1;
    auto t0 = Clock::now();
    std::string get = "GET /api/v1/dev/mailbox HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + o.targets[0].cookie +
                      "\r\nConnection: close\r\n\r\n";
    std::string rx;
    int status = 0;
    if (write_all(fd, get)) {
        char buf[16384];
        ssize_t n = 0;
        while ((n = read(fd, buf, sizeof buf)) > 0 && (status = take_response(rx.append(buf, static_cast<size_t>(n)))) == 0) {
        }
    }
    close(fd);
    return status == 200 ? secs(t0, Clock::now()) : -1;
}

int main(int argc, char** argv) {
    Options o = parse(argc, argv);
    double raw_before = 0, raw_after = 0;
    long rows = 0;
    if (!o.skip_raw) {
        raw_before = raw_inserts_per_s(o.raw_dir, o.raw_seconds / 2, &rows);
        printf("raw_before_per_s=%.0f\n", raw_before);
        fflush(stdout);
    }
    if (o.skip_http) {
        printf("raw_inserts_per_s=%.0f\n", raw_before);
        return 0;
    }
    HttpResult r = run_http(o);
    double settle = settle_seconds(o);
    if (!o.skip_raw) raw_after = raw_inserts_per_s(o.raw_dir, o.raw_seconds / 2, &rows);
    double raw = (raw_before + raw_after) / 2;
    if (!o.skip_raw) printf("raw_after_per_s=%.0f\nraw_inserts_per_s=%.0f\n", raw_after, raw);
    printf("notify_settle_s=%.2f\n", settle);
    double rate = static_cast<double>(r.ok) / r.seconds;
    printf("connections=%d\ntargets=%zu\nposts_ok=%ld\nposts_other=%ld\nconnection_errors=%ld\n", o.connections,
           o.targets.size(), r.ok, r.other, r.errors);
    for (size_t s = 0; s < r.status_counts.size(); ++s)
        if (r.status_counts[s] && (s < 200 || s >= 300)) printf("status_%zu=%ld\n", s, r.status_counts[s]);
    printf("posts_per_s=%.0f\n", rate);
    printf("post_p50_ms=%.2f\npost_p99_ms=%.2f\n", percentile(r.latency_ms, 0.5), percentile(r.latency_ms, 0.99));
    if (raw > 0) printf("ratio=%.2f\n", rate / raw);
    return r.other == 0 && r.errors == 0 && r.ok > 0 ? 0 : 3;
}
