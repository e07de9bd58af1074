// What machine translation must not touch: line breaks, URLs, e-mail
// addresses, numbers, prices, product references and quantities. The text is cut
// into pieces; "keep" pieces are copied verbatim into the translation, the others are
// translated. Pure (tested in tests/unit/test_translate.cpp).
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace parley::server {

struct TextPiece {
    bool keep = false;
    std::string text;
};

// The pieces of `text`, in order; concatenated they give `text` back exactly.
// Whitespace around translatable text stays in the translatable piece.
std::vector<TextPiece> protect_text(std::string_view text);

// Concatenation of the pieces (the inverse of protect_text).
std::string join_pieces(const std::vector<TextPiece>& pieces);

// Apertium stream format (what the mode pipeline reads with -z): translatable text with
// the stream's reserved characters backslash-escaped; kept pieces become superblanks
// "[@k<i>]" that the pipeline passes through untranslated, numbered in order; an empty
// superblank "[]" ends it so that the last word is not held back.
std::string to_apertium_stream(const std::vector<TextPiece>& pieces);
// The pipeline's output back to text: escapes undone, superblanks replaced by the kept
// piece they name, any other bracketed blank dropped, unknown-word marks removed.
// false when a kept piece is missing or repeated (the caller then falls back).
bool from_apertium_stream(std::string_view stream, const std::vector<TextPiece>& pieces, std::string& out);

// For providers without superblanks: the translatable pieces, trimmed, that contain a
// letter (what to send), and the text rebuilt from their translations in that order,
// with the original surrounding whitespace and every kept piece restored.
std::vector<std::string> translatable_segments(const std::vector<TextPiece>& pieces);
std::string rebuild_from_segments(const std::vector<TextPiece>& pieces, const std::vector<std::string>& translated);

}  // namespace parley::server
