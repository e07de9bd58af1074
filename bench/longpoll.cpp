// Long-poll load generator for Parley (loopback only).
// Opens N simultaneous GET /api/v1/events?after=CURSOR requests (Connection: keep-alive, as
// a browser's fetch does; --close for one connection per answer),
// waits until the server holds them all, reads the server's RSS, POSTs one message and
// measures, for every waiter, the delay from the POST being sent to its answer.
//
// Several instances of one database (--ports A,B): the waiters are spread over them in
// turn, the POST goes to the first (--post-port to choose), and the delays are also given
// per port (p50_ms_<port>, p99_ms_<port>): the other ports' are the cross-instance ones.
//
// Build: g++ -O2 -std=c++20 -o longpoll bench/longpoll.cpp
// Usage: longpoll --port P | --ports P1,P2 --cookie 'parley_session=...' --after N --request ID
//                 [--post-cookie C] [--post-port P] [--waiters 5000] [--server-pid PID[,PID2]]
//                 [--timeout 20] [--close]
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t0, Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(t - t0).count();
}

struct Options {
    int waiters = 5000, timeout_s = 20, post_port = 0;
    std::vector<int> ports{8080};
    long long after = 0, request = 0;
    std::string cookie, post_cookie;
    std::vector<int> server_pids;
    bool close = false;  // Connection: close on the waiters' requests
};

enum class State { connecting, waiting, answered, failed };

struct Conn {
    int fd = -1;
    int port = 0;
    State state = State::connecting;
    std::string rx;
    Clock::time_point answered_at{};
    bool early = false;  // answered before the POST
};

[[noreturn]] void die(const std::string& why) {
    fprintf(stderr, "longpoll: %s\n", why.c_str());
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
        auto ints = [](const std::string& list) {
            std::vector<int> out;
            for (size_t at = 0; at <= list.size();) {
                size_t comma = list.find(',', at);
                if (comma == std::string::npos) comma = list.size();
                if (comma > at) out.push_back(std::stoi(list.substr(at, comma - at)));
                at = comma + 1;
            }
            return out;
        };
        if (a == "--port") o.ports = {std::stoi(v())};
        else if (a == "--ports") o.ports = ints(v());
        else if (a == "--post-port") o.post_port = std::stoi(v());
        else if (a == "--waiters") o.waiters = std::stoi(v());
        else if (a == "--timeout") o.timeout_s = std::stoi(v());
        else if (a == "--after") o.after = std::stoll(v());
        else if (a == "--request") o.request = std::stoll(v());
        else if (a == "--cookie") o.cookie = v();
        else if (a == "--post-cookie") o.post_cookie = v();
        else if (a == "--server-pid") o.server_pids = ints(v());
        else if (a == "--close") o.close = true;
        else die("unknown option " + a);
    }
    if (o.cookie.empty() || o.request <= 0) die("--cookie and --request are required");
    if (o.post_cookie.empty()) o.post_cookie = o.cookie;
    if (o.ports.empty()) die("--ports needs at least one port");
    if (o.post_port == 0) o.post_port = o.ports[0];
    return o;
}

long rss_kb(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
    return -1;
}

size_t open_fds(int pid) {
    std::error_code ec;
    size_t n = 0;
    for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
        ++n;
    return n;
}

int connect_nonblocking(int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<uint16_t>(port));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) < 0 && errno != EINPROGRESS) {
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
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) { usleep(100); continue; }
        return false;
    }
    return true;
}

double percentile(std::vector<double>& v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
    Options o = parse(argc, argv);
    rlimit rl{};
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur < static_cast<rlim_t>(o.waiters + 100)) die("ulimit -n too low for the number of waiters");

    const std::string get = "GET /api/v1/events?after=" + std::to_string(o.after) +
                            " HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + o.cookie +
                            (o.close ? "\r\nConnection: close\r\n\r\n" : "\r\nConnection: keep-alive\r\n\r\n");
    int ep = epoll_create1(EPOLL_CLOEXEC);
    std::vector<Conn> conns(static_cast<size_t>(o.waiters));
    size_t next = 0, connecting = 0, waiting = 0, answered = 0, failed = 0;
    const size_t kBatch = 256;  // connects in flight at once (keeps the accept queue short)
    bool posted = false;
    Clock::time_point t_post{};
    int post_fd = -1;
    std::string post_rx;
    Clock::time_point post_done{};

    auto on_event = [&](const epoll_event& ev) {
        if (ev.data.u64 == UINT64_MAX) {  // the POST
            char buf[4096];
            for (;;) {
                ssize_t n = read(post_fd, buf, sizeof buf);
                if (n > 0) { post_rx.append(buf, static_cast<size_t>(n)); continue; }
                if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
                    epoll_ctl(ep, EPOLL_CTL_DEL, post_fd, nullptr);
                    close(post_fd);
                    post_fd = -1;
                }
                break;
            }
            if (post_done == Clock::time_point{} && post_rx.find("\r\n\r\n") != std::string::npos)
                post_done = Clock::now();
            return;
        }
        Conn& c = conns[ev.data.u64];
        if (c.state == State::connecting) {
            int err = 0;
            socklen_t len = sizeof err;
            getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
            --connecting;
            if (err != 0 || !write_all(c.fd, get)) {
                c.state = State::failed;
                ++failed;
                epoll_ctl(ep, EPOLL_CTL_DEL, c.fd, nullptr);
                close(c.fd);
                return;
            }
            c.state = State::waiting;
            ++waiting;
            epoll_event in{};
            in.events = EPOLLIN | EPOLLRDHUP;
            in.data.u64 = ev.data.u64;
            epoll_ctl(ep, EPOLL_CTL_MOD, c.fd, &in);
            return;
        }
        if (c.state != State::waiting) return;
        char buf[4096];
        bool closed = false;
        ssize_t n = read(c.fd, buf, sizeof buf);  // one read: an answer is a few hundred bytes
        if (n > 0) {
            if (c.rx.empty()) c.answered_at = Clock::now();
            if (c.rx.size() < 8192) c.rx.append(buf, static_cast<size_t>(n));
        } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
            closed = true;
        }
        if (!c.rx.empty() && (closed || c.rx.find("\"cursor\"") != std::string::npos)) {
            // Answered: stop watching; sockets are closed at the end so that closing does
            // not delay reading the other answers.
            c.state = State::answered;
            c.early = !posted;
            --waiting;
            ++answered;
            epoll_ctl(ep, EPOLL_CTL_DEL, c.fd, nullptr);
        } else if (closed) {
            c.state = State::failed;
            --waiting;
            ++failed;
            epoll_ctl(ep, EPOLL_CTL_DEL, c.fd, nullptr);
            close(c.fd);
        }
    };

    std::vector<epoll_event> evs(1024);
    auto pump = [&](int timeout_ms) {
        int n = epoll_wait(ep, evs.data(), static_cast<int>(evs.size()), timeout_ms);
        for (int i = 0; i < n; ++i) on_event(evs[static_cast<size_t>(i)]);
    };

    // Phase 1: open every waiter.
    auto fds_of_servers = [&] {
        size_t n = 0;
        for (int pid : o.server_pids) n += open_fds(pid);
        return n;
    };
    auto rss_of_servers = [&] {
        long kb = 0;
        for (int pid : o.server_pids) kb += rss_kb(pid);
        return o.server_pids.empty() ? -1L : kb;
    };
    auto t_start = Clock::now();
    size_t base_fds = fds_of_servers();
    long rss_before = rss_of_servers();
    while (next < conns.size() || connecting > 0) {
        while (next < conns.size() && connecting < kBatch) {
            Conn& c = conns[next];
            c.port = o.ports[next % o.ports.size()];
            c.fd = connect_nonblocking(c.port);
            if (c.fd < 0) {
                c.state = State::failed;
                ++failed;
            } else {
                epoll_event out{};
                out.events = EPOLLOUT;
                out.data.u64 = next;
                epoll_ctl(ep, EPOLL_CTL_ADD, c.fd, &out);
                ++connecting;
            }
            ++next;
        }
        pump(50);
        if (ms_since(t_start, Clock::now()) > o.timeout_s * 1000.0) die("timed out opening connections");
    }
    // Wait until the server has accepted them all (its fd count), then let it parse them.
    if (!o.server_pids.empty()) {
        auto t = Clock::now();
        while (fds_of_servers() < base_fds + waiting && ms_since(t, Clock::now()) < 10000) pump(50);
    }
    for (auto t = Clock::now(); ms_since(t, Clock::now()) < 1500;) pump(50);
    double open_ms = ms_since(t_start, Clock::now());
    size_t held = waiting;
    long rss = rss_of_servers();
    size_t early = answered;

    // Phase 2: one POST, then time every answer.
    {
        std::string body = "{\"body\":\"Benchmark wake-up message\"}";
        std::string post = "POST /api/v1/requests/" + std::to_string(o.request) +
                           "/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + o.post_cookie +
                           "\r\nIdempotency-Key: bench-" + std::to_string(getpid()) + "-" +
                           std::to_string(std::chrono::system_clock::now().time_since_epoch().count()) +
                           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                           "\r\nConnection: close\r\n\r\n" + body;
        post_fd = connect_nonblocking(o.post_port);
        if (post_fd < 0) die("cannot connect for the POST");
        // wait for the connect to finish
        for (int i = 0; i < 1000; ++i) {
            int err = 0;
            socklen_t len = sizeof err;
            getsockopt(post_fd, SOL_SOCKET, SO_ERROR, &err, &len);
            sockaddr_in peer{};
            socklen_t pl = sizeof peer;
            if (getpeername(post_fd, reinterpret_cast<sockaddr*>(&peer), &pl) == 0) break;
            usleep(1000);
        }
        posted = true;
        t_post = Clock::now();
        if (!write_all(post_fd, post)) die("POST write failed");
        epoll_event in{};
        in.events = EPOLLIN | EPOLLRDHUP;
        in.data.u64 = UINT64_MAX;
        epoll_ctl(ep, EPOLL_CTL_ADD, post_fd, &in);
    }
    while ((waiting > 0 || post_fd >= 0) && ms_since(t_post, Clock::now()) < o.timeout_s * 1000.0) pump(20);
    for (auto& c : conns)
        if (c.fd >= 0 && c.state != State::failed) close(c.fd);

    std::vector<double> delays;
    std::vector<std::vector<double>> by_port(o.ports.size());
    size_t wrong = 0, late_failed = 0;
    for (auto& c : conns) {
        if (c.state == State::answered && !c.early) {
            delays.push_back(ms_since(t_post, c.answered_at));
            for (size_t i = 0; i < o.ports.size(); ++i)
                if (o.ports[i] == c.port) by_port[i].push_back(delays.back());
            if (c.rx.rfind("HTTP/1.1 200", 0) != 0 || c.rx.find("\"kind\":\"message\"") == std::string::npos)
                ++wrong;
        }
        if (c.state == State::waiting) ++late_failed;
    }
    std::string post_status = post_rx.size() >= 12 ? post_rx.substr(9, 3) : "???";
    double post_ms = post_done == Clock::time_point{} ? -1 : ms_since(t_post, post_done);
    std::vector<double> d = delays;
    printf("waiters_requested=%d\n", o.waiters);
    printf("waiters_held=%zu\n", held);
    printf("connect_failures=%zu\n", failed);
    printf("answered_before_post=%zu\n", early);
    printf("open_seconds=%.2f\n", open_ms / 1000);
    printf("rss_before_mb=%.1f\n", rss_before / 1024.0);
    printf("rss_mb=%.1f\n", rss / 1024.0);
    printf("post_status=%s\n", post_status.c_str());
    printf("post_ms=%.1f\n", post_ms);
    printf("woken=%zu\n", delays.size());
    printf("not_answered=%zu\n", late_failed);
    printf("wrong_answers=%zu\n", wrong);
    printf("p50_ms=%.1f\n", percentile(d, 0.50));
    printf("p99_ms=%.1f\n", percentile(d, 0.99));
    printf("max_ms=%.1f\n", d.empty() ? 0.0 : d.back());
    printf("min_ms=%.1f\n", d.empty() ? 0.0 : d.front());  // the first answer: the POST's commit and publication
    if (o.ports.size() > 1)
        for (size_t i = 0; i < o.ports.size(); ++i) {
            printf("woken_%d=%zu\n", o.ports[i], by_port[i].size());
            printf("p50_ms_%d=%.1f\n", o.ports[i], percentile(by_port[i], 0.50));
            printf("p99_ms_%d=%.1f\n", o.ports[i], percentile(by_port[i], 0.99));
        }
    bool ok = held == static_cast<size_t>(o.waiters) && delays.size() == held && wrong == 0 && early == 0;
    return ok ? 0 : 3;
}
