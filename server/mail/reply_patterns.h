// Language tables of reply_strip: attributions, separators, Outlook header
// names and phone signatures in en, es, fr, de, it, pt, nl, pl, ru, uk, sv, no, da,
// zh and ja. All functions take a line already lower-cased by fold_line and trimmed.
#pragma once
#include <string>
#include <string_view>

namespace parley::server::reply {

// ASCII, Latin-1 (U+00C0..U+00DE) and Cyrillic (U+0400..U+042F) lower-casing, the
// full-width colon (U+FF1A) as ":", "*" and "_" emphasis removed at both ends of the
// line, non-breaking spaces as spaces, trimmed.
std::string fold_line(std::string_view line);

// "On … wrote:", "El … escribió:", "Le … a écrit :", "Am … schrieb …:",
// "Il giorno … ha scritto:", "Em … escreveu:", "Op … schreef …:", "W dniu … pisze:",
// "… napisał(a):", "… пишет:", "… пише:", "Den … skrev …:", "…写道:", "…のメール:",
// name-first ("Name <addr> schrieb am …:"), Gmail's numeric date without a verb
// ("2016-10-24 15:36 GMT+02:00 Name <addr>:") and Zoho's "---- On … wrote ----", on
// one (possibly joined) line.
bool is_attribution(std::string_view folded);
// Could be the first line of an attribution wrapped over several lines.
bool starts_attribution(std::string_view folded);

// "-----Original Message-----", forward markers and their translations.
bool is_separator(std::string_view folded);
// A raw line of at least 20 underscores (Outlook's separator before the header block).
bool is_underscores(std::string_view raw);

// Outlook header fields: kind 'F' for From (From/De/Von/Da/Van), 'H' for the others
// (Sent, Date, To, Cc, Subject, …), 0 when the line is no header field.
char header_field(std::string_view folded);

// "Sent from my iPhone", "Enviado desde mi iPhone", "Von meinem iPhone gesendet", …
bool is_phone_signature(std::string_view folded);

}  // namespace parley::server::reply
