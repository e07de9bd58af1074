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
    // nl, pl, sv/da, pl/de web mail, zh
    std::string_view("op "),        std::string_view("w dniu "), std::string_view("den "),
    std::string_view("dnia "),      std::string_view("wiadomość napisana przez "),
    std::string_view("在 "),        std::string_view("在"),
};
// Attribution endings (after "a écrit" French puts a space before the colon).
constexpr std::array kAttribEnd{
    std::string_view("wrote:"),       std::string_view("escribió:"),  std::string_view("a écrit :"),
    std::string_view("a écrit:"),     std::string_view("a écrit :"), std::string_view("schrieb:"),
    std::string_view("ha scritto:"),  std::string_view("escreveu:"),  std::string_view("scrisse:"),
    std::string_view("écrit :"),
    // nl, pl, ru, uk, sv/no/da, zh, ja
    std::string_view("schreef:"),     std::string_view("het volgende geschreven:"),
    std::string_view("pisze:"),       std::string_view("napisał:"),   std::string_view("napisała:"),
    std::string_view("napisał(a):"),  std::string_view("пишет:"),     std::string_view("написал:"),
    std::string_view("написала:"),    std::string_view("написал(а):"), std::string_view("пише:"),
    std::string_view("написав:"),     std::string_view("написав(ла):"), std::string_view("skrev:"),
    std::string_view("写道:"),        std::string_view("寫道:"),      std::string_view("のメッセージ:"),
    std::string_view("のメール:"),    std::string_view("書きました:"),
};
// A verb inside the line: "Name <addr> schrieb am …:", "Op … schreef Name <addr>:",
// "man. 4. mar. 2024 kl. 10:15 skrev Name <addr>:".
constexpr std::array kAttribVerbs{
    std::string_view(" wrote "),    std::string_view(" schrieb "),  std::string_view(" schreef "),
    std::string_view(" skrev "),    std::string_view(" escribió "), std::string_view(" a écrit "),
    std::string_view(" ha scritto "), std::string_view(" escreveu "), std::string_view(" napisał"),
    std::string_view(" pisze "),    std::string_view(" пишет "),    std::string_view(" написал"),
    std::string_view(" пише "),     std::string_view(" написав"),
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
    std::string_view("oorspronkelijk bericht"), std::string_view("doorgestuurd bericht"),
    std::string_view("wiadomość oryginalna"), std::string_view("oryginalna wiadomość"),
    std::string_view("przekazana wiadomość"), std::string_view("исходное сообщение"),
    std::string_view("пересылаемое сообщение"), std::string_view("оригинальное сообщение"),
    std::string_view("початкове повідомлення"), std::string_view("оригінальне повідомлення"),
    std::string_view("ursprungligt meddelande"), std::string_view("vidarebefordrat meddelande"),
    std::string_view("opprinnelig melding"), std::string_view("videresendt melding"),
    std::string_view("oprindelig meddelelse"), std::string_view("videresendt meddelelse"),
    std::string_view("原始邮件"), std::string_view("原始郵件"), std::string_view("转发邮件"),
    std::string_view("轉寄郵件"), std::string_view("元のメッセージ"), std::string_view("転送メッセージ"),
    // Zimbra ("----- Mail original -----", "----- Ursprüngliche Mail -----"), Lotus Notes
    // ("----- Forwarded by Name on date -----"), Android's stock client
    std::string_view("mail original"),       std::string_view("ursprüngliche mail"),
    std::string_view("forwarded by "),       std::string_view("weitergeleitet von "),
    std::string_view("reply message"),
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
    std::string_view("od"),   std::string_view("от"),  std::string_view("від"),
    std::string_view("från"), std::string_view("fra"), std::string_view("发件人"),
    std::string_view("寄件者"), std::string_view("差出人"),
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
    // nl, pl, ru, uk, sv, no/da
    std::string_view("verzonden"), std::string_view("aan"), std::string_view("onderwerp"),
    std::string_view("wysłano"), std::string_view("do"), std::string_view("temat"),
    // the copy field of Lotus Notes and localized Outlooks
    std::string_view("kopie"), std::string_view("copie"), std::string_view("copia"), std::string_view("cópia"),
    std::string_view("kopia"), std::string_view("kopi"),
    std::string_view("отправлено"), std::string_view("кому"), std::string_view("тема"),
    std::string_view("дата"), std::string_view("копия"), std::string_view("надіслано"),
    std::string_view("skickat"), std::string_view("till"), std::string_view("ämne"),
    std::string_view("sendt"), std::string_view("til"), std::string_view("emne"),
    // zh, zh-TW, ja
    std::string_view("发送时间"), std::string_view("收件人"), std::string_view("主题"),
    std::string_view("抄送"), std::string_view("日期"), std::string_view("寄件日期"),
    std::string_view("收件者"), std::string_view("主旨"), std::string_view("副本"),
    std::string_view("送信日時"), std::string_view("宛先"), std::string_view("件名"),
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
    std::string_view("verstuurd vanaf mijn "), std::string_view("verzonden vanaf mijn "),
    std::string_view("wysłane z "),           std::string_view("отправлено с "),
    std::string_view("отправлено из "),       std::string_view("надіслано з "),
    std::string_view("skickat från min "),    std::string_view("sendt fra min "),
    std::string_view("发自我的"),             std::string_view("發自我的"),
    std::string_view("iphoneから送信"),       std::string_view("enviado do meu galaxy"),
    // localized "Get Outlook for iOS/Android"; Proton Mail's own line
    std::string_view("télécharger outlook pour"), std::string_view("ottieni outlook per"),
    std::string_view("получить outlook для"),   std::string_view("获取 outlook for"),
    std::string_view("outlook for ios を入手"), std::string_view("outlook for android を入手"),
    std::string_view("sent with proton mail"),  std::string_view("gesendet mit proton mail"),
    std::string_view("envoyé avec la messagerie sécurisée proton mail"),
};
// Webmail attributions that quote rather than say "wrote": Horde's "Quoting Name <addr>:"
// and its translations.
constexpr std::array kQuotingStart{
    std::string_view("quoting "),  std::string_view("zitat von "), std::string_view("citation de "),
    std::string_view("citando "),  std::string_view("cytuję "),    std::string_view("цитата "),
};

bool has_digit(std::string_view s) {
    for (char c : s)
        if (c >= '0' && c <= '9') return true;
    return false;
}
bool digit(char c) { return c >= '0' && c <= '9'; }
// "10:15" or "10.15" somewhere in the line.
bool has_time(std::string_view s) {
    for (size_t i = 1; i + 2 < s.size(); ++i)
        if ((s[i] == ':' || s[i] == '.') && digit(s[i - 1]) && digit(s[i + 1]) && digit(s[i + 2])) return true;
    return false;
}

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
        } else if (c == 0xD0 && i + 1 < line.size()) {
            // Cyrillic capitals U+0400..U+042F to their small letters.
            unsigned char d = static_cast<unsigned char>(line[i + 1]);
            if (d >= 0x90 && d <= 0x9F) out += {static_cast<char>(0xD0), static_cast<char>(d + 0x20)};
            else if (d >= 0xA0 && d <= 0xAF) out += {static_cast<char>(0xD1), static_cast<char>(d - 0x20)};
            else if (d >= 0x80 && d <= 0x8F) out += {static_cast<char>(0xD1), static_cast<char>(d + 0x10)};
            else out += {static_cast<char>(c), static_cast<char>(d)};
            ++i;
        } else if (c == 0xEF && i + 2 < line.size() && static_cast<unsigned char>(line[i + 1]) == 0xBC &&
                   static_cast<unsigned char>(line[i + 2]) == 0x9A) {
            out += ':';  // full-width colon (zh, ja)
            i += 2;
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
    // A date first: "2016-10-24 15:36 GMT+02:00 Name <addr>:", "04.03.2024 10:15, …".
    if (has_digit(f.substr(0, 12))) return true;
    // Name first, wrapped after the verb: "Name <addr> schrieb" / "am …:".
    if (!contains(f, "@")) return false;
    for (auto v : kAttribVerbs)
        if (ends_with(f, v.back() == ' ' ? v.substr(0, v.size() - 1) : v)) return true;
    return false;
}

bool is_attribution(std::string_view f) {
    if (f.size() > 400 || f.empty()) return false;
    // Zoho: "---- On … wrote ----".
    if (starts_with(f, "----") && ends_with(f, "----")) {
        size_t b = f.find_first_not_of("- "), e = f.find_last_not_of("- ");
        if (b == std::string_view::npos) return false;
        return is_attribution(std::string(f.substr(b, e + 1 - b)) + ":");
    }
    if (!ends_with(f, ":")) return false;
    bool addr = contains(f, "@");
    // Gmail with a numeric date and no verb: "2016-10-24 15:36 GMT+02:00 Name <addr>:",
    // "пн, 4 мар. 2024 г. в 10:15, Name <addr>:", "2024年3月5日(火) 10:15 Name <addr>:".
    // The date comes first (a digit in the first 12 bytes) and has a time.
    if (f.size() < 200 && ends_with(f, ">:") && addr && has_digit(f.substr(0, 12)) && has_time(f)) return true;
    // The verb after the address ("Name <addr> schrieb am …:") or an opening before it;
    // never "I wrote to Ann <ann@x.org>:".
    for (auto v : kAttribVerbs) {
        size_t at = f.find(v);
        if (at == std::string_view::npos || f.size() >= 300) continue;
        if (starts_attribution(f) || (addr && f.find('@') < at)) return true;
    }
    bool end = false;
    for (auto p : kAttribEnd)
        if (ends_with(f, p)) end = true;
    // Apple Mail pl: "Wiadomość napisana przez Name <addr> w dniu … o godz. 10:15:".
    if (starts_with(f, "wiadomość napisana przez ") && addr) return true;
    // Horde: "Quoting Name <addr>:"; mutt's "* Name <addr> [2026-12-07 10:14]:".
    if (addr && f.size() < 160)
        for (auto p : kQuotingStart)
            if (starts_with(f, p)) return true;
    if (addr && f.size() < 160 && ends_with(f, "]:") && has_time(f)) return true;
    if (!end) return false;
    if (starts_attribution(f)) return true;
    // "John Smith <john@example.com> wrote:" without a date, short line.
    return f.size() < 160 && (addr || f.size() < 60);
}

bool is_separator(std::string_view f) {
    if (f.size() > 120) return false;
    for (auto p : kForwardStart)
        if (f == p) return true;
    if (!starts_with(f, "--") && !starts_with(f, "==") && !starts_with(f, "__")) return false;
    for (auto w : kSeparatorWords)
        if (contains(f, w)) return true;
    // QQ Mail: "------------------ Original ------------------".
    size_t b = f.find_first_not_of("-=_ "), e = f.find_last_not_of("-=_ ");
    return b != std::string_view::npos && f.substr(b, e + 1 - b) == "original";
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
