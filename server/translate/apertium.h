// Offline translation with Apertium. Starting a mode's pipeline costs about
// 120-250 ms, so each installed mode runs as one long-lived pipeline in null-flush mode
// (-z): a text ended by '\0' comes back translated and ended by '\0' within a few ms.
// A batch of texts is written and read in one pass over the pipes.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

#include "server/translate/languages.h"

namespace parley::server {

// A direct pair of Parley language codes and its Apertium mode name.
struct ApertiumMode {
    std::string from, to, mode;  // "es", "en", "spa-eng"
};
// The modes Parley knows (en↔es, fr↔es, it↔es, pt↔es).
const std::vector<ApertiumMode>& apertium_known_modes();

// The pipeline of a .mode file made to null-flush: "-z" after each program, the
// generator without unknown-word marks ($1 → -n), no tagger option ($2 → "").
std::string apertium_command(const std::string& mode_file_text);

// One running pipeline (/bin/sh -c command) with its stdin and stdout. Not thread-safe.
class ApertiumPipe {
public:
    explicit ApertiumPipe(std::string command);
    ~ApertiumPipe();
    ApertiumPipe(const ApertiumPipe&) = delete;
    ApertiumPipe& operator=(const ApertiumPipe&) = delete;

    // One answer per stream text (Apertium stream format), in order. Starts the
    // pipeline if needed. On a dead pipeline or after `timeout_ms` it kills it (the
    // next call starts a new one) and throws TranslateError.
    std::vector<std::string> run(const std::vector<std::string>& streams, int timeout_ms);
    bool running() const { return pid_ > 0; }
    void start();

private:
    void stop();
    std::string command_;
    pid_t pid_ = -1;
    int in_ = -1, out_ = -1;  // the pipeline's stdin (we write) and stdout (we read)
};

// Every installed known mode, one warm pipeline each. Thread-safe: one batch at a time
// per mode.
class Apertium {
public:
    // `modes_dir`: where the .mode files are (Debian: /usr/share/apertium/modes).
    explicit Apertium(std::string modes_dir = "/usr/share/apertium/modes", int timeout_ms = 10'000);
    // The installed direct pairs.
    const std::vector<ApertiumMode>& modes() const { return installed_; }
    std::optional<ApertiumMode> mode(const std::string& from, const std::string& to) const;
    // Plain texts of language `from` into `to` (a direct pair), protected pieces kept
    // (server/translate/protect.h). Throws TranslateError.
    std::vector<std::string> translate(const std::string& from, const std::string& to,
                                       const std::vector<std::string>& texts);
    // Starts every pipeline now, so that the first user does not wait for it; `stop`
    // (optional) is asked between pipelines so that a shutdown need not wait for all.
    void warm_up(const std::function<bool()>& stop = nullptr);
    // "apertium-eng-spa" style data package of a mode, for stored translations' version.
    std::string version(const std::string& from, const std::string& to) const;

private:
    struct Slot {
        std::mutex mu;
        std::unique_ptr<ApertiumPipe> pipe;
        std::string package;
    };
    std::string dir_;
    int timeout_ms_;
    std::vector<ApertiumMode> installed_;
    std::map<std::string, std::unique_ptr<Slot>> slots_;  // by mode name
};

}  // namespace parley::server
