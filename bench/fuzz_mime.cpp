// libFuzzer target over the inbound e-mail entry points: parse_mail, then
// strip_reply on the chosen text; also html_to_text and strip_reply on the raw bytes
// (they take any UTF-8-ish text). Built and run by bench/fuzz_mime.sh.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "server/mail/html_text.h"
#include "server/mail/parse.h"
#include "server/mail/reply_strip.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view raw(reinterpret_cast<const char*>(data), size);
    std::string err;
    if (auto m = parley::server::parse_mail(raw, &err)) {
        std::string t = parley::server::strip_reply(m->text);
        (void)t;
        for (const auto& a : m->attachments)
            if (a.refused && !a.bytes.empty()) __builtin_trap();  // refused ones carry no bytes
    } else if (err.empty()) {
        __builtin_trap();  // a refusal always says why
    }
    (void)parley::server::html_to_text(raw);
    (void)parley::server::strip_reply(raw);
    return 0;
}
