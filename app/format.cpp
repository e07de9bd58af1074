#include "app/format.h"
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include "app/i18n.h"
#include "net/locale.h"

namespace parley {

static int g_utc_offset_min = 0;
void set_utc_offset_minutes(int minutes) { g_utc_offset_min = minutes; }

static std::tm local(Millis ms) {
    std::time_t t = (std::time_t)(ms / 1000 + (Millis)g_utc_offset_min * 60);
    std::tm tm{};
    gmtime_r(&t, &tm);
    return tm;
}

static locale::Day day_of(const std::tm& a) { return {a.tm_year + 1900, a.tm_mon + 1, a.tm_mday}; }

std::string format_age(Millis now, Millis then) {
    long long s = (now - then) / 1000;
    if (s < 60) return i18n::tr("now");
    if (s < 3600) return i18n::trf("{0} min", {std::to_string(s / 60)});
    if (s < 86400) return i18n::trf("{0} h", {std::to_string(s / 3600)});
    if (s < 7 * 86400) return i18n::trf("{0} d", {std::to_string(s / 86400)});
    std::tm a = local(then), b = local(now);
    return locale::format_day(day_of(a), a.tm_year != b.tm_year, i18n::language());
}

std::string format_duration(Millis ms) {
    if (ms < 0) return "—";
    const long long minutes = std::max(1LL, (long long)((ms + 30000) / 60000));  // rounded
    auto unit = [](const char* fmt, long long n) { return i18n::trf(fmt, {std::to_string(n)}); };
    if (minutes < 60) return unit("{0} min", minutes);
    if (minutes < 24 * 60) {
        const long long h = minutes / 60, m = minutes % 60;
        return m ? unit("{0} h", h) + " " + unit("{0} min", m) : unit("{0} h", h);
    }
    const long long hours = (minutes + 30) / 60;  // days and rounded hours
    const long long d = hours / 24, h = hours % 24;
    return h ? unit("{0} d", d) + " " + unit("{0} h", h) : unit("{0} d", d);
}

// A day stored as its UTC end (a quote's validity): the same day wherever the reader is.
std::string format_utc_day(Millis when) { return locale::format_day(locale::utc_day(when), true, i18n::language()); }

std::string format_datetime(Millis when) {
    std::tm a = local(when);
    return locale::format_day_time(day_of(a), a.tm_hour, a.tm_min, i18n::language());
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

std::string country_name(const std::string& code) { return locale::country_name(code, i18n::language()); }

std::string language_name(const std::string& code) {
    static const std::pair<const char*, const char*> names[] = {
        {"es", "Spanish"}, {"en", "English"}, {"fr", "French"}, {"de", "German"},
        {"it", "Italian"}, {"pt", "Portuguese"}, {"ru", "Russian"}, {"zh", "Chinese"},
        {"ja", "Japanese"}};
    for (auto& [c, n] : names)
        if (code == c) return i18n::tr(n);
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
