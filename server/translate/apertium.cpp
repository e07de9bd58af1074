// Offline translation with Apertium. See apertium.h.
#include "server/translate/apertium.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>

#include "server/translate/protect.h"

extern char** environ;

namespace parley::server {

const std::vector<ApertiumMode>& apertium_known_modes() {
    static const std::vector<ApertiumMode> list = {
        {"es", "en", "spa-eng"}, {"en", "es", "eng-spa"}, {"fr", "es", "fr-es"},   {"es", "fr", "es-fr"},
        {"it", "es", "ita-spa"}, {"es", "it", "spa-ita"}, {"pt", "es", "pt-es"},   {"es", "pt", "es-pt"},
    };
    return list;
}

std::string apertium_command(const std::string& mode_text) {
    std::string out;
    std::istringstream in(mode_text);
    std::string stage;
    bool first = true;
    while (std::getline(in, stage, '|')) {
        size_t a = stage.find_first_not_of(" \t\r\n");
        if (a == std::string::npos) continue;
        size_t b = stage.find_last_not_of(" \t\r\n");
        stage = stage.substr(a, b - a + 1);
        size_t prog_end = stage.find_first_of(" \t");
        std::string prog = stage.substr(0, prog_end);
        std::string args = prog_end == std::string::npos ? "" : stage.substr(prog_end);
        for (auto [var, value] : {std::pair{"$1", "-n"}, std::pair{"$2", ""}})
            for (size_t p = args.find(var); p != std::string::npos; p = args.find(var))
                args.replace(p, 2, value);
        if (!first) out += " | ";
        out += prog + " -z" + args;
        first = false;
    }
    return out;
}

// ------------------------------------------------------------------ one pipeline

ApertiumPipe::ApertiumPipe(std::string command) : command_(std::move(command)) {}
ApertiumPipe::~ApertiumPipe() { stop(); }

void ApertiumPipe::start() {
    if (pid_ > 0) return;
    int to_child[2], from_child[2];
    if (pipe2(to_child, O_CLOEXEC) != 0) throw TranslateError("apertium: pipe failed");
    if (pipe2(from_child, O_CLOEXEC) != 0) {
        close(to_child[0]);
        close(to_child[1]);
        throw TranslateError("apertium: pipe failed");
    }
    // posix_spawn, not fork: the server is multi-threaded.
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, to_child[0], 0);
    posix_spawn_file_actions_adddup2(&fa, from_child[1], 1);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    // Nothing else of the server's: a pipeline lives as long as the server, and a
    // listening socket or connection it held would outlive the server's own close
    // (connections queued forever on a socket the server had reopened).
    posix_spawn_file_actions_addclosefrom_np(&fa, 3);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    posix_spawnattr_setpgroup(&attr, 0);  // its own group: a timeout kills every stage
    sigset_t none, defaults;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    const char* argv[] = {"sh", "-c", command_.c_str(), nullptr};
    pid_t pid = -1;
    int rc = posix_spawn(&pid, "/bin/sh", &fa, &attr, const_cast<char* const*>(argv), environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    close(to_child[0]);
    close(from_child[1]);
    if (rc != 0) {
        close(to_child[1]);
        close(from_child[0]);
        throw TranslateError(std::string("apertium: cannot start: ") + strerror(rc));
    }
    pid_ = pid;
    in_ = to_child[1];
    out_ = from_child[0];
    fcntl(in_, F_SETFL, fcntl(in_, F_GETFL) | O_NONBLOCK);
    fcntl(out_, F_SETFL, fcntl(out_, F_GETFL) | O_NONBLOCK);
}

void ApertiumPipe::stop() {
    if (in_ >= 0) close(in_);
    if (out_ >= 0) close(out_);
    in_ = out_ = -1;
    if (pid_ > 0) {
        kill(-pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
    pid_ = -1;
}

namespace {
// A write to a pipeline that died must fail with EPIPE, not kill the process (the
// server ignores SIGPIPE, a test binary may not): block it in this thread while writing
// and take a SIGPIPE raised meanwhile off the pending set.
struct NoSigpipe {
    sigset_t pipe_only{}, old{};
    bool was_pending = false;
    NoSigpipe() {
        sigemptyset(&pipe_only);
        sigaddset(&pipe_only, SIGPIPE);
        sigset_t pending;
        sigpending(&pending);
        was_pending = sigismember(&pending, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe_only, &old);
    }
    ~NoSigpipe() {
        sigset_t pending;
        sigpending(&pending);
        if (!was_pending && sigismember(&pending, SIGPIPE)) {
            timespec zero{0, 0};
            sigtimedwait(&pipe_only, nullptr, &zero);
        }
        pthread_sigmask(SIG_SETMASK, &old, nullptr);
    }
};
}  // namespace

std::vector<std::string> ApertiumPipe::run(const std::vector<std::string>& streams, int timeout_ms) {
    NoSigpipe guard;
    start();
    std::string input;
    for (const auto& s : streams) {
        input.append(s.data(), strnlen(s.data(), s.size()));  // a NUL inside would end the item early
        input += '\0';
    }
    std::vector<std::string> out(1);
    out.reserve(streams.size() + 1);
    size_t written = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    auto fail = [&](const std::string& why) -> std::vector<std::string> {
        stop();
        throw TranslateError("apertium: " + why);
    };
    // Write and read at once: a large batch would otherwise fill both pipes and block.
    while (out.size() <= streams.size()) {
        int left = static_cast<int>(
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count());
        if (left <= 0) return fail("timed out");
        pollfd fds[2] = {{out_, POLLIN, 0}, {in_, POLLOUT, 0}};
        int nfds = written < input.size() ? 2 : 1;
        int n = poll(fds, nfds, left);
        if (n < 0 && errno != EINTR) return fail("poll failed");
        if (n <= 0) continue;
        if (nfds == 2 && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t w = write(in_, input.data() + written, input.size() - written);
            if (w < 0 && errno != EAGAIN && errno != EINTR) return fail("the pipeline stopped reading");
            if (w > 0) written += static_cast<size_t>(w);
        }
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            char buf[65536];
            ssize_t r = read(out_, buf, sizeof buf);
            if (r == 0) return fail("the pipeline exited");
            if (r < 0) {
                if (errno == EAGAIN || errno == EINTR) continue;
                return fail("read failed");
            }
            for (ssize_t k = 0; k < r; ++k) {
                if (buf[k] == '\0') out.emplace_back();
                else out.back() += buf[k];
            }
        }
    }
    out.pop_back();  // the empty text after the last NUL
    return out;
}

// ------------------------------------------------------------------ every mode

Apertium::Apertium(std::string modes_dir, int timeout_ms) : dir_(std::move(modes_dir)), timeout_ms_(timeout_ms) {
    for (const auto& m : apertium_known_modes()) {
        std::ifstream f(dir_ + "/" + m.mode + ".mode");
        if (!f) continue;
        std::stringstream text;
        text << f.rdbuf();
        auto slot = std::make_unique<Slot>();
        slot->pipe = std::make_unique<ApertiumPipe>(apertium_command(text.str()));
        // The data package is the directory its files live in: ".../apertium-eng-spa/...".
        std::string t = text.str();
        size_t p = t.find("/apertium-");
        if (p != std::string::npos) slot->package = t.substr(p + 1, t.find('/', p + 1) - p - 1);
        slots_.emplace(m.mode, std::move(slot));
        installed_.push_back(m);
    }
}

std::optional<ApertiumMode> Apertium::mode(const std::string& from, const std::string& to) const {
    for (const auto& m : installed_)
        if (m.from == from && m.to == to) return m;
    return std::nullopt;
}

std::string Apertium::version(const std::string& from, const std::string& to) const {
    auto m = mode(from, to);
    if (!m) return {};
    return slots_.at(m->mode)->package;
}

void Apertium::warm_up(const std::function<bool()>& stop) {
    for (auto& [name, slot] : slots_) {
        if (stop && stop()) return;
        std::lock_guard lk(slot->mu);
        try {
            slot->pipe->run({to_apertium_stream(protect_text("ok"))}, timeout_ms_);
        } catch (const TranslateError&) {
            // reported on first real use
        }
    }
}

std::vector<std::string> Apertium::translate(const std::string& from, const std::string& to,
                                             const std::vector<std::string>& texts) {
    auto m = mode(from, to);
    if (!m) throw TranslateError("apertium: no mode " + from + "-" + to);
    std::vector<std::vector<TextPiece>> pieces;
    std::vector<std::string> streams;
    for (const auto& t : texts) {
        pieces.push_back(protect_text(t));
        streams.push_back(to_apertium_stream(pieces.back()));
    }
    Slot& slot = *slots_.at(m->mode);
    std::vector<std::string> raw;
    {
        std::lock_guard lk(slot.mu);
        raw = slot.pipe->run(streams, timeout_ms_);
    }
    std::vector<std::string> out(texts.size());
    for (size_t i = 0; i < texts.size(); ++i) {
        if (!from_apertium_stream(raw[i], pieces[i], out[i]))
            throw TranslateError("apertium: a protected piece was lost in " + m->mode);
        // The pipeline may add a leading blank; the original's own edges are kept.
        size_t a = out[i].find_first_not_of(' ');
        out[i] = a == std::string::npos ? std::string() : out[i].substr(a);
    }
    return out;
}

}  // namespace parley::server
