// The translation service. See translator.h.
#include "server/translate/translator.h"

#include <iterator>
#include <string_view>

#include "server/base/metrics.h"

namespace parley::server {

Translator::Translator(TranslatorConfig c) : prefer_remote_(c.prefer_remote) {
    if (c.apertium) apertium_ = std::make_unique<Apertium>(c.apertium_modes_dir);
    if (!c.remote.url.empty()) remote_ = std::make_unique<RemoteTranslator>(c.remote);
}

TranslateCapabilities Translator::capabilities() {
    TranslateCapabilities caps;
    if (apertium_)
        for (const auto& m : apertium_->modes()) caps.apertium.emplace_back(m.from, m.to);
    if (remote_) caps.remote = [this](const std::string& a, const std::string& b) { return remote_->supports(a, b); };
    caps.prefer_remote = prefer_remote_;
    return caps;
}

std::optional<std::vector<TranslateHop>> Translator::route(const std::string& from, const std::string& to) {
    return plan_translation(from, to, capabilities());
}

namespace {
// Operators: GET /metrics counts the calls to the engines by outcome — ok, or the
// TranslateError kind (unsupported, unavailable, rate_limited, bad_key), or error.
constexpr const char* kOutcomes[] = {"ok", "unsupported", "unavailable", "rate_limited", "bad_key", "error"};
Counter& translation_calls(std::string_view outcome) {
    static Family<Counter>& f = metrics().counters(
        "parley_translation_calls_total", "Calls to the translation engines (Apertium, the remote provider), by outcome.",
        {"outcome"}, 8);
    size_t i = 0;
    while (i + 1 < std::size(kOutcomes) && outcome != kOutcomes[i]) ++i;  // anything else: "error"
    return f.at(i, [i] { return std::vector<std::string>{kOutcomes[i]}; });
}
[[maybe_unused]] const bool kRegistered = [] {
    for (const char* o : kOutcomes) translation_calls(o);
    return true;
}();
}  // namespace

TranslatedBatch Translator::translate(const std::string& from, const std::string& to,
                                      const std::vector<std::string>& texts) {
    try {
        TranslatedBatch out = translate_hops(from, to, texts);
        translation_calls("ok").inc();
        return out;
    } catch (const TranslateError& e) {
        translation_calls(e.kind).inc();
        throw;
    } catch (...) {
        translation_calls("error").inc();
        throw;
    }
}

TranslatedBatch Translator::translate_hops(const std::string& from, const std::string& to,
                                           const std::vector<std::string>& texts) {
    auto hops = route(from, to);
    if (!hops) throw TranslateError("no provider translates " + from + " into " + to, "unsupported");
    TranslatedBatch out;
    out.texts = texts;
    out.provider = route_label(*hops);
    for (const auto& h : *hops) {
        if (h.engine == "apertium") {
            out.texts = apertium_->translate(h.from, h.to, out.texts);
            std::string v = apertium_->version(h.from, h.to);
            if (out.version.find(v) == std::string::npos) out.version += (out.version.empty() ? "" : "+") + v;
        } else {
            out.texts = remote_->translate(h.from, h.to, out.texts);
            out.version += (out.version.empty() ? "" : "+") + remote_->url();
        }
    }
    return out;
}

void Translator::warm_up(const std::function<bool()>& stop) {
    if (apertium_) apertium_->warm_up(stop);
}

}  // namespace parley::server
