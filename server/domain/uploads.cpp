#include "server/domain/uploads.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include <nlohmann/json.hpp>

#include "server/documents/files.h"
#include "server/base/crypto.h"

namespace parley::server {
namespace {

UploadReply error(int status, const std::string& code, const std::string& message) {
    return {status, error_body(code, message)};
}
UploadReply error(const DomainError& e) { return error(e.status, e.code, e.message); }

UploadReply no_upload() { return error(404, "not_found", "No such upload."); }

UploadReply mismatch(int status, const std::string& code, const std::string& message, int64_t offset) {
    nlohmann::json j = nlohmann::json::parse(error_body(code, message));
    j["offset"] = offset;
    return {status, j.dump()};
}

UploadReply unsupported(std::string_view kind) {
    std::string what = kind == "quote" ? "A quote must be a PDF file." : "This type of file is not accepted.";
    return error(415, "unsupported_type", what + " Allowed: " + allowed_types(kind) + ".");
}

// Writes all of data at offset; false (errno set) on failure.
bool pwrite_all(int fd, std::string_view data, int64_t offset) {
    const char* p = data.data();
    size_t left = data.size();
    while (left > 0) {
        ssize_t n = ::pwrite(fd, p, left, static_cast<off_t>(offset));
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        p += n;
        left -= static_cast<size_t>(n);
        offset += n;
    }
    return true;
}

}  // namespace

ChunkVerdict check_chunk(int64_t declared, int64_t current, int64_t offset, int64_t len, int64_t chunk_size) {
    if (offset != current) return ChunkVerdict::offset_mismatch;
    if (len <= 0) return ChunkVerdict::empty_chunk;
    if (len > chunk_size) return ChunkVerdict::chunk_too_large;
    if (len > declared - current) return ChunkVerdict::file_too_large;
    if (current == 0 && len < std::min(declared, kMinFirstChunk)) return ChunkVerdict::chunk_too_small;
    return ChunkVerdict::ok;
}

Uploads::Uploads(Domain& domain, Domain::Now now) : domain_(domain), store_(domain.store()), now_(std::move(now)) {
    if (const FileStore* files = domain_.files()) {
        tmp_dir_ = (std::filesystem::path(files->root()) / "tmp").string();
        std::error_code ec;
        std::filesystem::create_directories(tmp_dir_, ec);
        // Other instances may be writing here (a shared files directory): only what no
        // upload owns, or what a stale upload leaves, goes.
        sweep();
    }
}

namespace {

std::string info(std::string_view id, const UploadRecord& u) {
    return nlohmann::json{{"upload_id", id}, {"offset", u.offset}, {"size", u.size}, {"chunk_size", kChunkSize}}
        .dump();
}

Domain::UploadParams params_of(const UploadRecord& u) {
    Domain::UploadParams p;
    p.kind = u.kind;
    p.name = u.name;
    p.conversation_id = u.conversation_id;
    return p;
}

constexpr std::string_view kTmpPrefix = "up-";  // + the stored id (a token hash)
constexpr Millis kFileSweepEveryMs = 5LL * 60 * 1000;

Millis real_now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

std::string Uploads::tmp_path(const std::string& key) const {
    return (std::filesystem::path(tmp_dir_) / (std::string(kTmpPrefix) + key)).string();
}

std::optional<UploadRecord> Uploads::find(const User& me, std::string_view id) {
    if (!plausible_token(id)) return std::nullopt;
    auto u = store_.upload(token_hash(id));
    if (!u || u->user_id != me.id) return std::nullopt;  // others: 404
    return u;
}

int64_t Uploads::request_of(const User& me, std::string_view upload_id) {
    auto u = find(me, upload_id);
    return u ? u->request_id : 0;
}

void Uploads::drop(const UploadRecord& u) {
    store_.drop_upload(u.id);
    ::unlink(tmp_path(u.id).c_str());
}

size_t Uploads::sweep() {
    Millis cutoff = now_() - kUploadStaleMs;
    size_t n = 0;
    for (const std::string& key : store_.stale_uploads(cutoff, 100)) {
        if (!store_.drop_upload(key, cutoff)) continue;  // touched meanwhile (busy after all)
        if (!tmp_dir_.empty()) ::unlink(tmp_path(key).c_str());
        ++n;
    }
    sweep_files();
    return n;
}

// Temp files of no upload (cancelled while a chunk was written, dropped rows, files of an
// older version), once they are old enough not to be a file being made right now.
size_t Uploads::sweep_files() {
    if (tmp_dir_.empty()) return 0;
    const Millis real_now = real_now_ms();
    {
        std::lock_guard lock(mu_);
        if (files_swept_ != 0 && real_now - files_swept_ < kFileSweepEveryMs) return 0;
        files_swept_ = real_now;
    }
    size_t n = 0;
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator(tmp_dir_, ec); !ec && it != std::filesystem::directory_iterator();
         it.increment(ec)) {
        const std::string name = it->path().filename().string();
        struct stat st {};
        if (::stat(it->path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
        const Millis mtime = static_cast<Millis>(st.st_mtime) * 1000;
        if (real_now - mtime < kUploadStaleMs) continue;  // recent: maybe an upload being made
        if (name.rfind(kTmpPrefix, 0) == 0 && store_.upload(name.substr(kTmpPrefix.size()))) continue;  // its upload decides
        if (::unlink(it->path().c_str()) == 0) ++n;
    }
    return n;
}

UploadReply Uploads::create(const User& me, int64_t request_id, const UploadStart& start) {
    sweep();
    if (!start.invalid.empty()) return error(400, "invalid_field", start.invalid);
    const Domain::UploadParams& p = start.params;
    const std::optional<int64_t> size = start.size;
    if (!size) return error(400, "invalid_field", "\"size\" must be the file's size in bytes.");
    auto conversation = domain_.upload_check(me, request_id, p, *size);
    if (!conversation) return error(conversation.error);
    if (tmp_dir_.empty()) throw std::runtime_error("no file directory configured for uploads");

    if (static_cast<size_t>(store_.open_uploads(me.id)) >= kMaxOpenUploadsPerUser)
        return error(429, "too_many_uploads", "Too many uploads at once: finish or cancel some first.");
    UploadRecord u;
    const std::string id = random_token();
    u.id = token_hash(id);
    u.user_id = me.id;
    u.request_id = request_id;
    u.conversation_id = *conversation;
    u.kind = p.kind;
    u.name = p.name;
    u.size = *size;
    u.created = u.touched = now_();
    store_.add_upload(u);
    return {201, info(id, u)};
}

UploadReply Uploads::status(const User& me, std::string_view id) {
    auto u = find(me, id);
    if (!u) return no_upload();
    return {200, info(id, *u)};
}

UploadReply Uploads::put(const User& me, std::string_view id, std::optional<int64_t> offset, std::string_view body) {
    auto u = find(me, id);
    if (!u) return no_upload();
    if (!offset) return error(400, "invalid_field", "\"offset\" must be a non-negative integer.");
    if (u->status != "open") return mismatch(409, "upload_complete", "This upload is already complete.", u->offset);
    const int64_t len = static_cast<int64_t>(body.size());
    switch (check_chunk(u->size, u->offset, *offset, len)) {
        case ChunkVerdict::ok: break;
        case ChunkVerdict::offset_mismatch:
            return mismatch(409, "offset_mismatch",
                            "The upload holds " + std::to_string(u->offset) + " bytes: continue from there.", u->offset);
        case ChunkVerdict::empty_chunk: return error(400, "empty_chunk", "The chunk is empty.");
        case ChunkVerdict::chunk_too_large:
            return error(413, "chunk_too_large", "A chunk is at most " + std::to_string(kChunkSize) + " bytes.");
        case ChunkVerdict::file_too_large:
            return error(413, "file_too_large", "The file is larger than its declared size.");
        case ChunkVerdict::chunk_too_small:
            return error(400, "chunk_too_small", "The first chunk must hold at least 64 bytes of the file.");
    }
    if (u->offset == 0) {
        // The first bytes decide the type at once: no point receiving the rest.
        bool whole = len == u->size;
        const std::string name = sanitize_file_name(u->name);
        auto type = whole ? sniff_type(body, name, u->kind) : sniff_head(body, name, u->kind);
        if (!type) {
            drop(*u);
            return unsupported(u->kind);
        }
        if (!name_for_type(name, *type)) {
            drop(*u);
            return error(415, "unsupported_type", unsupported_name_message(name, u->kind));
        }
    }
    // One writer per chunk: another request (on any instance) writing at this offset
    // wins, and this one answers where the upload stands once that write is over.
    const int64_t at = u->offset;
    Millis now = now_();
    if (!store_.begin_chunk(u->id, at, now, now + kChunkWriteMs)) {
        for (int i = 0; i < 100; ++i) {  // up to ~5 s for the other write to end
            u = store_.upload(u->id);
            if (!u || u->writing_until == 0 || u->offset != at) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        if (!u) return no_upload();
        if (u->status != "open") return mismatch(409, "upload_complete", "This upload is already complete.", u->offset);
        return mismatch(409, "offset_mismatch",
                        "The upload holds " + std::to_string(u->offset) + " bytes: continue from there.", u->offset);
    }
    const std::string tmp = tmp_path(u->id);
    int flags = O_WRONLY | O_CLOEXEC | (at == 0 ? O_CREAT | O_TRUNC : 0);
    int fd = ::open(tmp.c_str(), flags, 0640);
    if (fd < 0) {
        int err = errno;
        if (err == ENOENT) {  // the temp file vanished (cleaned by hand?): start again
            drop(*u);
            return no_upload();
        }
        store_.advance_upload(u->id, at, at, now_());  // the claim released
        throw std::runtime_error("open " + tmp + ": " + std::strerror(err));
    }
    if (!pwrite_all(fd, body, at)) {
        int err = errno;
        if (::ftruncate(fd, static_cast<off_t>(at)) != 0) { /* the stored offset stays authoritative */ }
        ::close(fd);
        store_.advance_upload(u->id, at, at, now_());
        if (err == ENOSPC || err == EDQUOT)
            return mismatch(507, "insufficient_storage", "The server is out of disk space; try again later.", at);
        throw std::runtime_error("write " + tmp + ": " + std::strerror(err));
    }
    if (::close(fd) != 0) {
        int err = errno;
        store_.advance_upload(u->id, at, at, now_());
        throw std::runtime_error("close " + tmp + ": " + std::strerror(err));
    }
    if (!store_.advance_upload(u->id, at, at + len, now_())) {
        // Cancelled meanwhile, or this write outlived its claim and another took over.
        u = store_.upload(u->id);
        if (!u) return no_upload();
        return mismatch(409, "offset_mismatch",
                        "The upload holds " + std::to_string(u->offset) + " bytes: continue from there.", u->offset);
    }
    u->offset = at + len;
    return {200, info(id, *u)};
}

UploadReply Uploads::complete(const User& me, std::string_view id) {
    auto u = find(me, id);
    if (!u) return no_upload();
    // One instance completes; another asking meanwhile waits for its answer (a retried
    // complete answers the stored Attachment).
    for (int i = 0;; ++i) {
        if (u->status == "done") return {201, u->done_json};
        if (u->status == "open") {
            if (u->offset != u->size)
                return mismatch(409, "upload_incomplete",
                                "The upload holds " + std::to_string(u->offset) + " of " + std::to_string(u->size) +
                                    " bytes.",
                                u->offset);
            if (store_.claim_upload(u->id, now_(), now_() - kCompleteClaimMs)) return finish(me, id, *u);
        } else if (u->status == "completing" && store_.claim_upload(u->id, now_(), now_() - kCompleteClaimMs)) {
            return finish(me, id, *u);  // the completing instance went away
        }
        if (i >= 200) return error(503, "upload_busy", "The upload is being completed; try again shortly.");
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        u = store_.upload(u->id);
        if (!u) return no_upload();
    }
}

// Completes a claimed upload (status completing).
UploadReply Uploads::finish(const User& me, std::string_view, UploadRecord u) {
    const std::string tmp = tmp_path(u.id);
    if (::access(tmp.c_str(), F_OK) != 0 && errno == ENOENT) {
        // Taken over from an instance that went away after moving the file into the
        // store but before recording the answer: the upload cannot be answered again.
        drop(u);
        return no_upload();
    }
    std::string name = sanitize_file_name(u.name);
    FileFacts facts = sniff_file(tmp, name, u.kind);  // the whole file, read in blocks
    if (facts.size != u.size) throw std::runtime_error("upload temp file " + tmp + " has the wrong size");
    if (!facts.type) {
        drop(u);
        return unsupported(u.kind);
    }
    auto stored_name = name_for_type(name, *facts.type);
    if (!stored_name) {
        drop(u);
        return error(415, "unsupported_type", unsupported_name_message(name, u.kind));
    }
    Attachment a;
    a.name = std::move(*stored_name);
    a.type = std::move(*facts.type);
    a.kind = u.kind;
    a.size = facts.size;
    a.sha256 = std::move(facts.sha256);
    auto added = domain_.upload_file(me, u.request_id, params_of(u), std::move(a), tmp);
    if (!added) {
        drop(u);
        return error(added.error);
    }
    std::string done = nlohmann::json(*added).dump();
    store_.finish_upload(u.id, done, now_());
    return {201, done};
}

UploadReply Uploads::cancel(const User& me, std::string_view id) {
    auto u = find(me, id);
    if (!u) return no_upload();
    drop(*u);
    return {204, ""};
}

}  // namespace parley::server
