// Keep only the new text of a reply e-mail: quoted history, attributions
// ("On … wrote:" and its forms in 15 languages, also wrapped over up to three lines),
// Outlook separators and header blocks, forwarded-message markers, signatures
// ("-- ") and phone signatures ("Sent from my iPhone", …) are removed.
//
// The rules, in order:
//  1. A "hard" marker ends the new text for good: "-----Original Message-----" and its
//     translations, forward markers ("---------- Forwarded message ---------",
//     "Begin forwarded message:", …), an Outlook header block ("From:/De:/Von:/Da:"
//     followed by at least two of Sent/Date/To/Subject/Cc in any of the languages,
//     or GMX's "Gesendet:" just above "Von:"), a line of underscores followed by a
//     header field or a mailing list's footer, a rule line (-----, =====) followed by
//     a header block, and an attribution NOT followed by a ">" block (the history
//     below it is unquoted).
//  2. Above that, lines starting with ">" (also "| " and supercite's "C> ", "JS> ")
//     are quoted history, and an attribution followed by a quoted block belongs to it
//     (also when it is wrapped so that its end is on the first quoted line).
//  3. Non-quoted runs between quoted blocks are the new text:
//     - top-posting (new text, then quote) and bottom-posting (quote, then new text):
//       only the new text is kept;
//     - inline answers (new text in two or more runs separated by quoted blocks,
//       after the first quoted line): the quoted lines that come before the last
//       answer are kept as "> " context so each answer still reads against its
//       question; quoted blocks after the last answer and attributions are dropped.
//  4. In each new-text run, a "-- " (or "--") signature delimiter or a phone signature
//     line (short, naming a device or client or else last in its run and no
//     sentence; not "Sent from my office the drawings are attached.") ends that run (the rest of the run, up to the next quoted line, is the
//     signature). Signatures without a delimiter ("Best regards, Ann") are kept: they
//     cannot be told from the text.
//  5. Line ends normalised to LF, trailing whitespace trimmed on every line, leading
//     and trailing blank lines removed, runs of blank lines reduced to one.
#pragma once
#include <string>
#include <string_view>

namespace parley::server {

std::string strip_reply(std::string_view text);

// Never lose a real reply: strip_reply, and when that leaves nothing although the
// mail has lines that are none of quote, attribution, separator, Outlook header field,
// rule line or signature (a reply typed below unquoted history, say), the whole text
// (rule 5 applied) with whole = true. Empty with whole = false: nothing was written
// (only quotes, an attribution, a phone signature, or a blank mail).
struct StrippedReply {
    std::string text;
    bool whole = false;
};
StrippedReply strip_reply_keep(std::string_view text);

}  // namespace parley::server
