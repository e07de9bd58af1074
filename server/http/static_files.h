// Static client files (the WebAssembly app) from --web-root: SPA fallback to index.html,
// content types, precompressed .gz siblings, cache policy by file name, no escape from
// the root.
#pragma once
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace parley::server {

struct StaticResponse {
    int status = 404;
    std::string content_type;
    std::shared_ptr<const std::string> body;
    std::vector<std::pair<std::string, std::string>> headers;  // extra headers
};

class StaticFiles {
public:
    // Throws std::runtime_error if root is not a directory.
    explicit StaticFiles(const std::filesystem::path& root);

    // raw_path: the URL path as received (still percent-encoded).
    StaticResponse get(std::string_view raw_path, bool accept_gzip) const;

    const std::filesystem::path& root() const { return root_; }

private:
    StaticResponse file(const std::string& rel, bool accept_gzip, bool spa) const;
    std::filesystem::path root_;  // canonical
};

}  // namespace parley::server
