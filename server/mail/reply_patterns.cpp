#include "server/mail/reply_patterns.h"

#include <array>

namespace parley::server::reply {
namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) {
    return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}
bool contains(std::string_view s, std::string_view p) { return s.find(p) != std::string_view::npos; }

// Attribution openings: Gmail, Apple Mail, Thunderbird, Outlook for Mac/iOS.
constexpr std::array kAttribStart{
    std::string_view("on "),        std::string_view("el "),  std::string_view("le "),
    std::string_view("am "),        std::string_view("il "),  std::string_view("em "),
    std::string_view("il giorno "), std::string_view("no dia "), std::string_view("en "),
    std::string_view("el día "),
};
// Attribution endings (after "a écrit" French puts a space before the colon).
constexpr std::array kAttribEnd{
    std::string_view("wrote:"),       std::string_view("escribió:"),  std::string_view("a écrit :"),
    std::string_view("a écrit:"),     std::string_view("a écrit :"), std::string_view("schrieb:"),
    std::string_view("ha scritto:"),  std::string_view("escreveu:"),  std::string_view("scrisse:"),
    std::string_view("écrit :"),
};

constexpr std::array kSeparatorWords{
    std::string_view("original message"),    std::string_view("original-nachricht"),
    std::string_view("forwarded message"),   std::string_view("mensaje original"),
    std::string_view("mensaje reenviado"),   std::string_view("message d'origine"),
    std::string_view("message d’origine"),   std::string_view("message original"),
    std::string_view("message transféré"),   std::string_view("message réexpédié"),
    std::string_view("ursprüngliche nachricht"), std::string_view("weitergeleitete nachricht"),
    std::string_view("messaggio originale"), std::string_view("messaggio inoltrato"),
    std::string_view("mensagem original"),   std::string_view("mensagem encaminhada"),
    std::string_view("mensagem reencaminhada"),
};
// Apple Mail's forward opening, which is not dashed.
constexpr std::array kForwardStart{
    std::string_view("begin forwarded message:"),
    std::string_view("inicio del mensaje reenviado:"),
    std::string_view("début du message réexpédié :"),
    std::string_view("début du message transféré :"),
    std::string_view("anfang der weitergeleiteten nachricht:"),
    std::string_view("inizio messaggio inoltrato:"),
    std::string_view("início da mensagem reencaminhada:"),
    std::string_view("início da mensagem encaminhada:"),
};

constexpr std::array kFromNames{
    std::string_view("from"), std::string_view("de"), std::string_view("von"),
    std::string_view("da"),   std::string_view("van"),
};
constexpr std::array kHeaderNames{
    // en
    std::string_view("sent"), std::string_view("date"), std::string_view("to"),
    std::string_view("cc"), std::string_view("subject"), std::string_view("reply-to"),
    // es
    std::string_view("enviado"), std::string_view("enviado el"), std::string_view("fecha"),
    std::string_view("para"), std::string_view("asunto"), std::string_view("cc"),
    // fr
    std::string_view("envoyé"), std::string_view("envoyé le"), std::string_view("à"),
    std::string_view("objet"), std::string_view("date"),
    // de
    std::string_view("gesendet"), std::string_view("datum"), std::string_view("an"),
    std::string_view("betreff"),
    // it
    std::string_view("inviato"), std::string_view("data"), std::string_view("a"),
    std::string_view("oggetto"), std::string_view("inviato il"),
    // pt
    std::string_view("enviada"), std::string_view("enviada em"), std::string_view("enviado em"),
    std::string_view("assunto"),
};

constexpr std::array kPhoneSignatures{
    std::string_view("sent from my "),        std::string_view("sent from outlook"),
    std::string_view("get outlook for "),     std::string_view("sent from mail for windows"),
    std::string_view("sent from yahoo mail"), std::string_view("sent via "),
    std::string_view("enviado desde mi "),    std::string_view("enviado desde outlook"),
    std::string_view("obtener outlook para"), std::string_view("enviado desde yahoo"),
    std::string_view("envoyé de mon "),       std::string_view("envoyé depuis "),
    std::string_view("obtenir outlook pour"), std::string_view("von meinem "),
    std::string_view("gesendet von meinem"),  std::string_view("gesendet von outlook"),
    std::string_view("outlook für "),         std::string_view("inviato da iphone"),
    std::string_view("inviato da ipad"),      std::string_view("inviato dal mio "),
    std::string_view("inviato da outlook"),   std::string_view("scarica outlook per"),
    std::string_view("enviado do meu "),      std::string_view("enviado de meu "),
    std::string_view("enviado do outlook"),   std::string_view("baixe o outlook para"),
    std::string_view("obter o outlook para"),
};

}  // namespace

std::string fold_line(std::string_view line) {
    std::string out;
    out.reserve(line.size());
    for (size_t i = 0; i < line.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(line[i]);
        if (c == 0xC2 && i + 1 < line.size() && static_cast<unsigned char>(line[i + 1]) == 0xA0) {
            out += ' ';  // NBSP
            ++i;
        } else if (c == 0xC3 && i + 1 < line.size()) {
            unsigned char d = static_cast<unsigned char>(line[i + 1]);
            if (d >= 0x80 && d <= 0x9E && d != 0x97) d = static_cast<unsigned char>(d + 0x20);
            out += static_cast<char>(c);
            out += static_cast<char>(d);
            ++i;
        } else if (c == '\t' || c == '\r') {
            out += ' ';
        } else {
            out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : static_cast<char>(c);
        }
    }
    size_t b = 0, e = out.size();
    while (b < e && (out[b] == ' ' || out[b] == '*' || out[b] == '_')) ++b;
    while (e > b && (out[e - 1] == ' ' || out[e - 1] == '*')) --e;
    return out.substr(b, e - b);
}

bool starts_attribution(std::string_view f) {
    if (f.size() > 300) return false;
    for (auto p : kAttribStart)
        if (starts_with(f, p)) return true;
    return false;
}

bool is_attribution(std::string_view f) {
    if (f.size() > 400 || f.empty()) return false;
    bool end = false;
    for (auto p : kAttribEnd)
        if (ends_with(f, p)) end = true;
    // German: "Am … schrieb Hans Müller <h@x.de>:".
    if (!end && starts_with(f, "am ") && contains(f, " schrieb ") && ends_with(f, ":")) return true;
    if (!end) return false;
    if (starts_attribution(f)) return true;
    // "John Smith <john@example.com> wrote:" without a date, short line.
    return f.size() < 120 && (contains(f, "@") || f.size() < 60);
}

bool is_separator(std::string_view f) {
    if (f.size() > 120) return false;
    for (auto p : kForwardStart)
        if (f == p) return true;
    if (!starts_with(f, "--") && !starts_with(f, "==") && !starts_with(f, "__")) return false;
    for (auto w : kSeparatorWords)
        if (contains(f, w)) return true;
    return false;
}

bool is_underscores(std::string_view raw) {
    size_t n = 0;
    for (char c : raw) {
        if (c == '_') ++n;
        else if (c != ' ' && c != '\t' && c != '\r') return false;
    }
    return n >= 20;
}

char header_field(std::string_view f) {
    size_t colon = f.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 24) return 0;
    std::string_view key = f.substr(0, colon);
    while (!key.empty() && (key.back() == ' ' || key.back() == '*')) key.remove_suffix(1);
    for (auto n : kFromNames)
        if (key == n) return 'F';
    for (auto n : kHeaderNames)
        if (key == n) return 'H';
    return 0;
}

bool is_phone_signature(std::string_view f) {
    if (f.size() > 80) return false;
    for (auto p : kPhoneSignatures)
        if (starts_with(f, p)) return true;
    return false;
}

}  // namespace parley::server::reply
