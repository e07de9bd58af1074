// Text formatting for the UI: ages, dates, initials, names of countries/languages.
#pragma once
#include <string>
#include "net/wire.h"

namespace parley {

// Dates are shown in the browser's time zone (minutes east of UTC; 0 by default).
void set_utc_offset_minutes(int minutes);
std::string format_age(Millis now, Millis then);       // "now", "5 min", "3 h", "2 d", "12 Nov"
std::string format_datetime(Millis when);              // "12 Nov 2026, 14:05", per UI language
std::string format_utc_day(Millis when);               // "7 Jan 2027": the UTC calendar day, per UI language
// A length of time in at most two units: "45 min", "3 h", "3 h 20 min", "2 d 4 h";
// under a minute is "1 min" (an answer is never "0 min" fast); negative → "—".
std::string format_duration(Millis ms);
std::string initials(const std::string& name);         // "Marta Iglesias" → "MI" (UTF-8 safe)
std::string country_name(const std::string& code);     // "ES" → "Spain"; unknown → code
std::string language_name(const std::string& code);    // "fr" → "French"
// At most max_bytes of UTF-8 without cutting a character; newlines become spaces;
// adds "…" when shortened.
std::string one_line(const std::string& text, size_t max_bytes);

}  // namespace parley
