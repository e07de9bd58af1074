#include "app/format.h"
#include <cstdio>
#include <ctime>

namespace parley {

static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

static std::tm utc(Millis ms) {
    std::time_t t = (std::time_t)(ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    return tm;
}

std::string format_age(Millis now, Millis then) {
    long long s = (now - then) / 1000;
    if (s < 60) return "now";
    if (s < 3600) return std::to_string(s / 60) + " min";
    if (s < 86400) return std::to_string(s / 3600) + " h";
    if (s < 7 * 86400) return std::to_string(s / 86400) + " d";
    std::tm a = utc(then), b = utc(now);
    char buf[32];
    if (a.tm_year == b.tm_year) std::snprintf(buf, sizeof buf, "%d %s", a.tm_mday, kMonths[a.tm_mon]);
    else std::snprintf(buf, sizeof buf, "%d %s %d", a.tm_mday, kMonths[a.tm_mon], a.tm_year + 1900);
    return buf;
}

std::string format_datetime(Millis when) {
    std::tm a = utc(when);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%d %s %d, %02d:%02d", a.tm_mday, kMonths[a.tm_mon],
                  a.tm_year + 1900, a.tm_hour, a.tm_min);
    return buf;
}

static size_t utf8_len(unsigned char c) {
    if (c < 0x80) return 1;
    if ((c >> 5) == 6) return 2;
    if ((c >> 4) == 14) return 3;
    if ((c >> 3) == 30) return 4;
    return 1;  // stray continuation byte: step over it
}

std::string initials(const std::string& name) {
    std::string out;
    int count = 0;
    bool at_word = true;
    for (size_t i = 0; i < name.size() && count < 2;) {
        size_t n = utf8_len((unsigned char)name[i]);
        if (name[i] == ' ' || name[i] == '-') {
            at_word = true;
        } else if (at_word) {
            if (i + n <= name.size()) { out.append(name, i, n); count++; }
            at_word = false;
        }
        i += n;
    }
    return out;
}

std::string country_name(const std::string& code) {
    static const std::pair<const char*, const char*> names[] = {
        {"ES", "Spain"}, {"FR", "France"}, {"DE", "Germany"}, {"IT", "Italy"},
        {"PT", "Portugal"}, {"BR", "Brazil"}, {"GB", "United Kingdom"}, {"US", "United States"},
        {"MX", "Mexico"}, {"AR", "Argentina"}, {"CL", "Chile"}, {"CO", "Colombia"},
        {"BE", "Belgium"}, {"CH", "Switzerland"}, {"AT", "Austria"}, {"NL", "Netherlands"},
        {"IE", "Ireland"}, {"CA", "Canada"}, {"AU", "Australia"}, {"IN", "India"},
        {"RU", "Russia"}, {"CN", "China"}, {"JP", "Japan"}, {"PE", "Peru"}, {"MA", "Morocco"}};
    for (auto& [c, n] : names)
        if (code == c) return n;
    return code;
}

std::string language_name(const std::string& code) {
    static const std::pair<const char*, const char*> names[] = {
        {"es", "Spanish"}, {"en", "English"}, {"fr", "French"}, {"de", "German"},
        {"it", "Italian"}, {"pt", "Portuguese"}, {"ru", "Russian"}, {"zh", "Chinese"},
        {"ja", "Japanese"}};
    for (auto& [c, n] : names)
        if (code == c) return n;
    return code;
}

std::string one_line(const std::string& text, size_t max_bytes) {
    std::string out;
    out.reserve(std::min(text.size(), max_bytes) + 3);
    bool space = false;
    for (size_t i = 0; i < text.size();) {
        size_t n = utf8_len((unsigned char)text[i]);
        if (i + n > text.size()) break;  // truncated sequence at the end: drop it
        char c = text[i];
        if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
            if (!out.empty()) space = true;
            i += 1;
            continue;
        }
        size_t need = (space ? 1 : 0) + n;
        if (out.size() + need > max_bytes) {
            out += "…";
            return out;
        }
        if (space) out += ' ';
        space = false;
        out.append(text, i, n);
        i += n;
    }
    return out;
}

}  // namespace parley
