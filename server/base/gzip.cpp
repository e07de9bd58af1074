// gzip for HTTP answers. See gzip.h.
#include "server/base/gzip.h"

#include <zlib.h>

#include <cctype>

namespace parley::server {

std::optional<std::string> gzip_compress(std::string_view data) {
    z_stream z{};
    // 15 + 16: a gzip header and trailer around the deflate stream; level 1: the answer
    // is made per request, speed matters more than the last few percent.
    if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return std::nullopt;
    std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&z, Z_FINISH);
    const size_t n = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) return std::nullopt;
    out.resize(n);
    return out;
}

std::optional<std::string> gzip_decompress(std::string_view data) {
    z_stream z{};
    if (inflateInit2(&z, 15 + 16) != Z_OK) return std::nullopt;
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    std::string out;
    char buf[16384];
    int rc = Z_OK;
    while (rc == Z_OK) {
        z.next_out = reinterpret_cast<Bytef*>(buf);
        z.avail_out = sizeof buf;
        rc = inflate(&z, Z_NO_FLUSH);
        out.append(buf, sizeof buf - z.avail_out);
        if (rc == Z_BUF_ERROR && z.avail_in == 0) break;
    }
    inflateEnd(&z);
    if (rc != Z_STREAM_END) return std::nullopt;
    return out;
}

bool accepts_gzip(std::string_view v) {
    // Comma-separated codings, each maybe with ";q=…"; only a q of zero refuses.
    size_t at = 0;
    while (at <= v.size()) {
        size_t end = v.find(',', at);
        if (end == std::string_view::npos) end = v.size();
        std::string_view item = v.substr(at, end - at);
        const size_t semi = item.find(';');
        std::string_view name = item.substr(0, semi);
        while (!name.empty() && std::isspace(static_cast<unsigned char>(name.front()))) name.remove_prefix(1);
        while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back()))) name.remove_suffix(1);
        std::string lower;
        for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lower == "gzip" || lower == "x-gzip" || lower == "*") {
            if (semi == std::string_view::npos) return true;
            std::string_view params = item.substr(semi + 1);
            const size_t q = params.find("q=");
            if (q == std::string_view::npos) return true;
            std::string_view qv = params.substr(q + 2);
            // "0", "0.0", "0.000": refused; anything else accepts.
            bool zero = !qv.empty();
            for (char c : qv) {
                if (std::isspace(static_cast<unsigned char>(c))) break;
                if (c != '0' && c != '.') zero = false;
            }
            return !zero;
        }
        at = end + 1;
    }
    return false;
}

}  // namespace parley::server
