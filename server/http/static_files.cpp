#include "server/http/static_files.h"

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include "server/http/util.h"

namespace parley::server {
namespace fs = std::filesystem;

namespace {
std::shared_ptr<const std::string> read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return nullptr;
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return nullptr;
    return std::make_shared<const std::string>(std::move(ss).str());
}

bool is_regular(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

// True if p (after resolving symlinks) lies inside root.
bool inside(const fs::path& root, const fs::path& p) {
    std::error_code ec;
    fs::path c = fs::weakly_canonical(p, ec);
    if (ec) return false;
    auto r = root.begin(), ri = c.begin();
    for (; r != root.end(); ++r, ++ri)
        if (ri == c.end() || *r != *ri) return false;
    return true;
}

StaticResponse not_found() {
    StaticResponse r;
    r.status = 404;
    r.content_type = "text/plain; charset=utf-8";
    r.body = std::make_shared<const std::string>("Not found\n");
    return r;
}
}  // namespace

StaticFiles::StaticFiles(const fs::path& root) {
    std::error_code ec;
    root_ = fs::canonical(root, ec);
    if (ec || !fs::is_directory(root_, ec))
        throw std::runtime_error("web root is not a directory: " + root.string());
}

StaticResponse StaticFiles::get(std::string_view raw_path, bool accept_gzip) const {
    auto decoded = percent_decode(raw_path, false);
    if (!decoded || decoded->empty() || (*decoded)[0] != '/') return not_found();
    const std::string& path = *decoded;
    // No dot-segments anywhere, whatever encoding they came in.
    if (path.find('\0') != std::string::npos || path.find('\\') != std::string::npos) return not_found();
    for (size_t pos = 0; (pos = path.find("/.", pos)) != std::string::npos; ++pos) {
        size_t after = pos + 2;
        if (after == path.size() || path[after] == '/') return not_found();                // "/."
        if (path[after] == '.' && (after + 1 == path.size() || path[after + 1] == '/')) return not_found();  // "/.."
    }

    // The single-page app owns "/", "/requests/..." and "/network".
    if (path == "/" || path == "/index.html" || path == "/requests" || path.rfind("/requests/", 0) == 0 ||
        path == "/network")
        return file("index.html", accept_gzip, true);

    // Every segment must be a plain name: no "..", ".", hidden files, empty segments,
    // backslashes or control characters (whatever encoding they came in).
    std::string rel = path.substr(1);
    size_t start = 0;
    while (start <= rel.size()) {
        size_t end = rel.find('/', start);
        if (end == std::string::npos) end = rel.size();
        std::string_view seg(rel.data() + start, end - start);
        if (seg.empty() || seg[0] == '.') return not_found();
        for (char c : seg)
            if (static_cast<unsigned char>(c) < 0x20 || c == '\\' || c == 0x7f) return not_found();
        start = end + 1;
    }
    return file(rel, accept_gzip, false);
}

StaticResponse StaticFiles::file(const std::string& rel, bool accept_gzip, bool spa) const {
    fs::path p = root_ / rel;
    if (!is_regular(p) || !inside(root_, p)) return not_found();

    StaticResponse r;
    r.status = 200;
    r.content_type = std::string(content_type_for(rel));
    fs::path gz = p;
    gz += ".gz";
    bool has_gz = is_regular(gz) && inside(root_, gz);
    if (has_gz) r.headers.emplace_back("Vary", "Accept-Encoding");
    if (has_gz && accept_gzip) {
        r.body = read_file(gz);
        r.headers.emplace_back("Content-Encoding", "gzip");
    } else {
        r.body = read_file(p);
    }
    if (!r.body) return not_found();
    bool immutable = !spa && is_hashed_name(rel);
    r.headers.emplace_back("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    if (r.content_type.rfind("text/html", 0) == 0) r.headers.emplace_back("Referrer-Policy", "same-origin");
    return r;
}

}  // namespace parley::server
