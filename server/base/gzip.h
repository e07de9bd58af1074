// gzip for HTTP answers: a thread page, an inbox page or a history window is JSON of tens
// to thousands of KB that compresses about tenfold; a phone on a slow link waits for bytes.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace parley::server {

// The gzip member (RFC 1952) of `data` at a fast level; nullopt if zlib fails.
std::optional<std::string> gzip_compress(std::string_view data);
// The data of a gzip member (tests); nullopt if it is not one.
std::optional<std::string> gzip_decompress(std::string_view data);
// Whether an Accept-Encoding header value accepts gzip (a "gzip;q=0" refuses it).
bool accepts_gzip(std::string_view accept_encoding);

}  // namespace parley::server
