// The top header block of a raw e-mail, read without a MIME parser: what e-mail in needs
// before parsing (the envelope's recipients, the receiving MTA's verdicts), cheaply and
// with bounded memory whatever the mail holds.
#pragma once
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>

namespace parley::server {

// Calls fn(name, value) for each field of the top header block (up to the first empty
// line; LF or CRLF) whose lower-case name is in `names`, in order, with its value
// unfolded (continuation lines appended as they are, the whole at most `max_value`
// bytes). Stops early when fn returns false.
void for_each_top_header(std::string_view raw, std::initializer_list<std::string_view> names, size_t max_value,
                         const std::function<bool(std::string_view name, const std::string& value)>& fn);

}  // namespace parley::server
