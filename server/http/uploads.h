// Chunked, resumable uploads (tus-like). RESTinio 0.6 reads whole request
// bodies into memory, so a file goes up as a series of PUTs of at most kChunkSize
// bytes, each appended to a temp file under <data-dir>/files/tmp/; the server never
// holds more than one chunk of an upload in memory. The file becomes a (pending)
// attachment only on "complete", by a rename into the content-addressed store, so a
// dropped connection or an abandoned upload never leaves a visible half file.
//
//   POST   /requests/{id}/uploads?kind=&name=&size=&conversation_id=  → 201 UploadInfo
//   GET    /uploads/{upload_id}                                       → 200 UploadInfo
//   PUT    /uploads/{upload_id}?offset=N   (body: ≤ chunk_size bytes) → 200 UploadInfo
//   POST   /uploads/{upload_id}/complete                              → 201 Attachment
//   DELETE /uploads/{upload_id}                                       → 204
//
// No HTTP types here: handlers get an UploadReply (status + JSON) to send.
#pragma once
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "server/domain/domain.h"

namespace parley::server {

constexpr int64_t kChunkSize = 1024 * 1024;             // largest PUT body
constexpr int64_t kMinFirstChunk = 64;                  // sniffing needs the magic bytes
constexpr Millis kUploadStaleMs = 3600LL * 1000;        // no activity for 1 h → swept
constexpr size_t kMaxOpenUploadsPerUser = 20;

// What a PUT of `len` bytes at `offset` does to an upload of `declared` bytes that
// holds `current` bytes (pure; checked in this order).
enum class ChunkVerdict {
    ok,
    offset_mismatch,   // 409: offset != current (the answer carries current)
    empty_chunk,       // 400: no bytes
    chunk_too_large,   // 413: len > chunk_size
    file_too_large,    // 413: current + len > declared
    chunk_too_small,   // 400: a first chunk shorter than min(declared, kMinFirstChunk)
};
ChunkVerdict check_chunk(int64_t declared, int64_t current, int64_t offset, int64_t len,
                         int64_t chunk_size = kChunkSize);

struct UploadReply {
    int status = 200;
    std::string body;  // JSON ("" for 204)
};

class Uploads {
public:
    // Temp files live in <domain.files()->root()>/tmp; leftovers of an earlier run are
    // removed here (uploads do not survive a restart).
    explicit Uploads(Domain& domain, Domain::Now now = system_now_ms);

    UploadReply create(const User& me, int64_t request_id, std::string_view query);
    UploadReply status(const User& me, std::string_view upload_id);
    UploadReply put(const User& me, std::string_view upload_id, std::string_view query, std::string_view body);
    UploadReply complete(const User& me, std::string_view upload_id);
    UploadReply cancel(const User& me, std::string_view upload_id);
    // Drops uploads idle for kUploadStaleMs (and their temp files); returns how many.
    size_t sweep();
    // The request an upload of mine goes to (0: no such upload of mine): a scoped
    // session may only continue uploads into its own request.
    int64_t request_of(const User& me, std::string_view upload_id);

private:
    struct Session {
        std::mutex mu;  // one PUT/complete at a time per upload
        int64_t user_id = 0, request_id = 0;
        Domain::UploadParams params;
        int64_t size = 0, offset = 0;
        std::string tmp;        // temp file (created by the first chunk)
        std::string done_json;  // the Attachment once completed (complete is idempotent)
        Millis touched = 0;
        bool gone = false;      // cancelled, refused or swept
    };
    std::shared_ptr<Session> find(const User& me, std::string_view upload_id);
    void drop(std::string_view upload_id, Session& s);  // s.mu held
    std::string info(std::string_view upload_id, const Session& s) const;

    Domain& domain_;
    Domain::Now now_;
    std::string tmp_dir_;
    std::mutex mu_;
    std::unordered_map<std::string, std::shared_ptr<Session>> sessions_;
};

}  // namespace parley::server
