// Chunked, resumable uploads (tus-like). RESTinio 0.6 reads whole request
// bodies into memory, so a file goes up as a series of PUTs of at most kChunkSize
// bytes, each written (pwrite at its offset) to a temp file under <files>/tmp/; the
// server never holds more than one chunk of an upload in memory. The file becomes a
// (pending) attachment only on "complete", by a rename into the content-addressed store,
// so a dropped connection or an abandoned upload never leaves a visible half file.
//
// The state of an upload lives in the store (UploadRecord), its temp file in the files
// directory: with several instances on one database and one shared files directory,
// any instance continues, completes or cancels an upload, and an upload survives a
// restart. A chunk is written by one writer at a time (Store::begin_chunk), the offset
// moved by one conditional update; an upload is completed by one instance.
//
//   POST   /requests/{id}/uploads?kind=&name=&size=&conversation_id=  → 201 UploadInfo
//   GET    /uploads/{upload_id}                                       → 200 UploadInfo
//   PUT    /uploads/{upload_id}?offset=N   (body: ≤ chunk_size bytes) → 200 UploadInfo
//   POST   /uploads/{upload_id}/complete                              → 201 Attachment
//   DELETE /uploads/{upload_id}                                       → 204
//
// No HTTP types here: the handlers parse the query and send the UploadReply (status +
// JSON) they get.
#pragma once
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <optional>

#include "server/domain/domain.h"

namespace parley::server {

constexpr int64_t kChunkSize = 1024 * 1024;             // largest PUT body
constexpr int64_t kMinFirstChunk = 64;                  // sniffing needs the magic bytes
constexpr Millis kUploadStaleMs = 3600LL * 1000;        // no activity for 1 h → swept
constexpr size_t kMaxOpenUploadsPerUser = 20;
constexpr Millis kChunkWriteMs = 60LL * 1000;           // a writer's claim on a chunk (then taken over)
constexpr Millis kCompleteClaimMs = 120LL * 1000;       // a completion left this long is taken over

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

// What POST /requests/{id}/uploads asks for, as the handler read it from the query.
struct UploadStart {
    Domain::UploadParams params;
    std::optional<int64_t> size;  // nullopt: missing or not a number
    std::string invalid;          // a field given but unreadable: the 400 invalid_field message
};

class Uploads {
public:
    // Temp files live in <domain.files()->root()>/tmp, shared with the other instances:
    // only those of no upload or of a stale one are removed (by the sweep).
    explicit Uploads(Domain& domain, Domain::Now now = system_now_ms);

    UploadReply create(const User& me, int64_t request_id, const UploadStart& start);
    UploadReply status(const User& me, std::string_view upload_id);
    // offset: nullopt when the query's was missing or not a number (400 after the 404 check).
    UploadReply put(const User& me, std::string_view upload_id, std::optional<int64_t> offset, std::string_view body);
    UploadReply complete(const User& me, std::string_view upload_id);
    UploadReply cancel(const User& me, std::string_view upload_id);
    // Drops uploads idle for kUploadStaleMs (and their temp files) and removes temp
    // files of no upload; returns how many uploads it dropped.
    size_t sweep();
    // The request an upload of mine goes to (0: no such upload of mine): a scoped
    // session may only continue uploads into its own request.
    int64_t request_of(const User& me, std::string_view upload_id);

private:
    std::optional<UploadRecord> find(const User& me, std::string_view upload_id);
    std::string tmp_path(const std::string& key) const;  // key: the stored id (token hash)
    void drop(const UploadRecord& u);
    size_t sweep_files();  // temp files of no upload
    UploadReply finish(const User& me, std::string_view id, UploadRecord u);

    Domain& domain_;
    Store& store_;
    Domain::Now now_;
    std::string tmp_dir_;
    std::mutex mu_;
    Millis files_swept_ = 0;  // the last look at the temp directory (real time)
};

}  // namespace parley::server
