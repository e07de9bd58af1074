// The translation service: Apertium offline (warm pipelines, pivot through
// Spanish) and the optional remote LibreTranslate-compatible provider, behind one call
// that routes a pair (server/translate/languages.h) and translates a batch in one provider call
// per hop.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/translate/apertium.h"
#include "server/translate/languages.h"
#include "server/translate/remote.h"

namespace parley::server {

struct TranslatorConfig {
    bool apertium = true;
    std::string apertium_modes_dir = "/usr/share/apertium/modes";
    RemoteTranslateConfig remote;  // url "" = none
    bool prefer_remote = false;    // the remote provider first where it takes the pair
};

struct TranslatedBatch {
    std::vector<std::string> texts;
    std::string provider;  // route_label: "apertium", "apertium via es", "remote"
    std::string version;   // data packages / provider URL, stored with each translation
};

class Translator {
public:
    explicit Translator(TranslatorConfig c);
    std::optional<std::vector<TranslateHop>> route(const std::string& from, const std::string& to);
    // Throws TranslateError ("unsupported" when no route).
    TranslatedBatch translate(const std::string& from, const std::string& to, const std::vector<std::string>& texts);
    // Starts the Apertium pipelines (call from a background thread); see Apertium::warm_up.
    void warm_up(const std::function<bool()>& stop = nullptr);
    bool has_remote() const { return remote_ != nullptr; }

private:
    TranslatedBatch translate_hops(const std::string& from, const std::string& to, const std::vector<std::string>& texts);
    TranslateCapabilities capabilities();
    std::unique_ptr<Apertium> apertium_;
    std::unique_ptr<RemoteTranslator> remote_;
    bool prefer_remote_ = false;
};

}  // namespace parley::server
