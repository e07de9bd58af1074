// The top header block of a raw e-mail. See header_block.h.
#include "server/mail/header_block.h"

#include <algorithm>

#include "server/base/text.h"

namespace parley::server {

void for_each_top_header(std::string_view raw, std::initializer_list<std::string_view> names, size_t max_value,
                         const std::function<bool(std::string_view name, const std::string& value)>& fn) {
    std::string name, value;
    bool wanted = false;
    auto flush = [&] {
        bool go = !wanted || fn(name, value);
        wanted = false;
        value.clear();
        return go;
    };
    size_t pos = 0;
    while (pos < raw.size()) {
        size_t eol = raw.find('\n', pos);
        std::string_view line = raw.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
        pos = eol == std::string_view::npos ? raw.size() : eol + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty()) break;  // end of the header block
        if (line.front() == ' ' || line.front() == '\t') {  // folded continuation
            if (wanted && value.size() + line.size() <= max_value) value += line;
            continue;
        }
        if (!flush()) return;
        size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        name = ascii_lower(trim(line.substr(0, colon)));
        wanted = std::find(names.begin(), names.end(), std::string_view(name)) != names.end();
        if (wanted) value = std::string(line.substr(colon + 1, max_value));
    }
    flush();
}

}  // namespace parley::server
