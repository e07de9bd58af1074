// Keep only the new text of a reply e-mail: quoted history, attributions
// ("On … wrote:" and its es/fr/de/it/pt forms, also wrapped over up to three lines),
// Outlook separators and header blocks, forwarded-message markers, signatures
// ("-- ") and phone signatures ("Sent from my iPhone", …) are removed.
//
// The rules, in order:
//  1. A "hard" marker ends the new text for good: "-----Original Message-----" and its
//     translations, forward markers ("---------- Forwarded message ---------",
//     "Begin forwarded message:", …), an Outlook header block ("From:/De:/Von:/Da:"
//     followed by at least two of Sent/Date/To/Subject/Cc in any of the six
//     languages), a line of underscores followed by such a block, and an attribution
//     NOT followed by a ">" block (the history below it is unquoted).
//  2. Above that, lines starting with ">" are quoted history, and an attribution
//     followed by a ">" block belongs to it.
//  3. Non-quoted runs between quoted blocks are the new text:
//     - top-posting (new text, then quote) and bottom-posting (quote, then new text):
//       only the new text is kept;
//     - inline answers (new text in two or more runs separated by quoted blocks,
//       after the first quoted line): the quoted lines that come before the last
//       answer are kept as "> " context so each answer still reads against its
//       question; quoted blocks after the last answer and attributions are dropped.
//  4. In each new-text run, a "-- " (or "--") signature delimiter or a phone signature
//     line ends that run (the rest of the run, up to the next quoted line, is the
//     signature). Signatures without a delimiter ("Best regards, Ann") are kept: they
//     cannot be told from the text.
//  5. Line ends normalised to LF, trailing whitespace trimmed on every line, leading
//     and trailing blank lines removed, runs of blank lines reduced to one.
#pragma once
#include <string>
#include <string_view>

namespace parley::server {

std::string strip_reply(std::string_view text);

}  // namespace parley::server
