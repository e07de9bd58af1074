// Readable plain text from an HTML mail body. Drops head/title/script/style
// and comments; block elements, <br> and <hr> break the line (<p> and headings leave a
// blank line), list items start with "- ", table cells are separated by a space,
// named and numeric entities are decoded (&nbsp; as a plain space), an <img> shows its
// alt text, links keep their URL as "text (url)" unless the text already is the URL
// (or the mailto: address), and <blockquote> content is prefixed with ">" per level
// so that reply_strip treats it as quoted history. Whitespace is collapsed outside
// <pre>; trailing spaces and trailing blank lines are removed. Tolerant of any input.
#pragma once
#include <string>
#include <string_view>

namespace parley::server {

std::string html_to_text(std::string_view html);

}  // namespace parley::server
