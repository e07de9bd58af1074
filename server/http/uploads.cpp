#include "server/http/uploads.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "server/documents/files.h"
#include "server/base/crypto.h"
#include "server/http/util.h"

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

Uploads::Uploads(Domain& domain, Domain::Now now) : domain_(domain), now_(std::move(now)) {
    if (const FileStore* files = domain_.files()) {
        tmp_dir_ = (std::filesystem::path(files->root()) / "tmp").string();
        std::error_code ec;
        std::filesystem::remove_all(tmp_dir_, ec);  // an earlier run's uploads are gone
        std::filesystem::create_directories(tmp_dir_, ec);
    }
}

std::string Uploads::info(std::string_view id, const Session& s) const {
    return nlohmann::json{{"upload_id", id}, {"offset", s.offset}, {"size", s.size}, {"chunk_size", kChunkSize}}
        .dump();
}

std::shared_ptr<Uploads::Session> Uploads::find(const User& me, std::string_view id) {
    std::lock_guard lock(mu_);
    auto it = sessions_.find(std::string(id));
    if (it == sessions_.end() || it->second->user_id != me.id) return nullptr;  // others: 404
    return it->second;
}

int64_t Uploads::request_of(const User& me, std::string_view upload_id) {
    auto s = find(me, upload_id);
    return s ? s->request_id : 0;
}

void Uploads::drop(std::string_view id, Session& s) {
    s.gone = true;
    if (!s.tmp.empty()) ::unlink(s.tmp.c_str());
    std::lock_guard lock(mu_);
    sessions_.erase(std::string(id));
}

size_t Uploads::sweep() {
    Millis cutoff = now_() - kUploadStaleMs;
    std::vector<std::pair<std::string, std::shared_ptr<Session>>> stale;
    {
        std::lock_guard lock(mu_);
        for (const auto& [id, s] : sessions_)
            if (s->touched < cutoff) stale.emplace_back(id, s);
    }
    size_t n = 0;
    for (auto& [id, s] : stale) {
        std::unique_lock lock(s->mu, std::try_to_lock);  // busy: not idle after all
        if (!lock || s->gone || s->touched >= cutoff) continue;
        drop(id, *s);
        ++n;
    }
    return n;
}

UploadReply Uploads::create(const User& me, int64_t request_id, std::string_view query) {
    sweep();
    Domain::UploadParams p;
    if (query.find("kind=") != std::string_view::npos) {
        auto kind = query_param(query, "kind");
        if (!kind) return error(400, "invalid_field", "\"kind\" must be \"quote\" or \"other\".");
        p.kind = *kind;
    }
    if (query.find("name=") != std::string_view::npos) {
        auto name = query_param(query, "name");
        if (!name) return error(400, "invalid_field", "\"name\" is badly encoded.");
        p.name = *name;
    }
    if (query.find("conversation_id=") != std::string_view::npos) {
        auto text = query_param(query, "conversation_id");
        auto v = text ? parse_cursor(*text) : std::nullopt;
        if (!v) return error(400, "invalid_field", "\"conversation_id\" must be an integer.");
        p.conversation_id = *v;
    }
    auto size_text = query_param(query, "size");
    auto size = size_text ? parse_cursor(*size_text) : std::nullopt;
    if (!size) return error(400, "invalid_field", "\"size\" must be the file's size in bytes.");
    auto conversation = domain_.upload_check(me, request_id, p, *size);
    if (!conversation) return error(conversation.error);
    if (tmp_dir_.empty()) throw std::runtime_error("no file directory configured for uploads");

    auto s = std::make_shared<Session>();
    s->user_id = me.id;
    s->request_id = request_id;
    s->params = p;
    s->params.conversation_id = *conversation;
    s->size = *size;
    s->touched = now_();
    s->tmp = (std::filesystem::path(tmp_dir_) / ("up-" + random_token())).string();
    std::string id = random_token();
    {
        std::lock_guard lock(mu_);
        size_t mine = 0;
        for (const auto& [_, o] : sessions_)
            if (o->user_id == me.id && o->done_json.empty()) ++mine;
        if (mine >= kMaxOpenUploadsPerUser)
            return error(429, "too_many_uploads", "Too many uploads at once: finish or cancel some first.");
        sessions_.emplace(id, s);
    }
    return {201, info(id, *s)};
}

UploadReply Uploads::status(const User& me, std::string_view id) {
    auto s = find(me, id);
    if (!s) return no_upload();
    std::lock_guard lock(s->mu);
    if (s->gone) return no_upload();
    return {200, info(id, *s)};
}

UploadReply Uploads::put(const User& me, std::string_view id, std::string_view query, std::string_view body) {
    auto s = find(me, id);
    if (!s) return no_upload();
    auto offset_text = query_param(query, "offset");
    auto offset = offset_text ? parse_cursor(*offset_text) : std::nullopt;
    if (!offset) return error(400, "invalid_field", "\"offset\" must be a non-negative integer.");
    std::lock_guard lock(s->mu);
    if (s->gone) return no_upload();
    if (!s->done_json.empty()) return mismatch(409, "upload_complete", "This upload is already complete.", s->offset);
    s->touched = now_();
    switch (check_chunk(s->size, s->offset, *offset, static_cast<int64_t>(body.size()))) {
        case ChunkVerdict::ok: break;
        case ChunkVerdict::offset_mismatch:
            return mismatch(409, "offset_mismatch",
                            "The upload holds " + std::to_string(s->offset) + " bytes: continue from there.", s->offset);
        case ChunkVerdict::empty_chunk: return error(400, "empty_chunk", "The chunk is empty.");
        case ChunkVerdict::chunk_too_large:
            return error(413, "chunk_too_large", "A chunk is at most " + std::to_string(kChunkSize) + " bytes.");
        case ChunkVerdict::file_too_large:
            return error(413, "file_too_large", "The file is larger than its declared size.");
        case ChunkVerdict::chunk_too_small:
            return error(400, "chunk_too_small", "The first chunk must hold at least 64 bytes of the file.");
    }
    if (s->offset == 0) {
        // The first bytes decide the type at once: no point receiving the rest.
        bool whole = static_cast<int64_t>(body.size()) == s->size;
        const std::string name = sanitize_file_name(s->params.name);
        auto type = whole ? sniff_type(body, name, s->params.kind) : sniff_head(body, name, s->params.kind);
        if (!type) {
            drop(id, *s);
            return unsupported(s->params.kind);
        }
        if (!name_for_type(name, *type)) {
            drop(id, *s);
            return error(415, "unsupported_type", unsupported_name_message(name, s->params.kind));
        }
    }
    int flags = O_WRONLY | O_CLOEXEC | (s->offset == 0 ? O_CREAT | O_TRUNC : 0);
    int fd = ::open(s->tmp.c_str(), flags, 0640);
    if (fd < 0) {
        int err = errno;
        if (err == ENOENT) {  // the temp file vanished (cleaned by hand?): start again
            drop(id, *s);
            return no_upload();
        }
        throw std::runtime_error("open " + s->tmp + ": " + std::strerror(err));
    }
    if (!pwrite_all(fd, body, s->offset)) {
        int err = errno;
        if (::ftruncate(fd, static_cast<off_t>(s->offset)) != 0) { /* the offset below stays authoritative */ }
        ::close(fd);
        if (err == ENOSPC || err == EDQUOT)
            return mismatch(507, "insufficient_storage", "The server is out of disk space; try again later.", s->offset);
        throw std::runtime_error("write " + s->tmp + ": " + std::strerror(err));
    }
    ::close(fd);
    s->offset += static_cast<int64_t>(body.size());
    s->touched = now_();
    return {200, info(id, *s)};
}

UploadReply Uploads::complete(const User& me, std::string_view id) {
    auto s = find(me, id);
    if (!s) return no_upload();
    std::lock_guard lock(s->mu);
    if (s->gone) return no_upload();
    s->touched = now_();
    if (!s->done_json.empty()) return {201, s->done_json};  // a retried complete
    if (s->offset != s->size)
        return mismatch(409, "upload_incomplete",
                        "The upload holds " + std::to_string(s->offset) + " of " + std::to_string(s->size) + " bytes.",
                        s->offset);
    std::string name = sanitize_file_name(s->params.name);
    FileFacts facts = sniff_file(s->tmp, name, s->params.kind);  // the whole file, read in blocks
    if (facts.size != s->size) throw std::runtime_error("upload temp file " + s->tmp + " has the wrong size");
    if (!facts.type) {
        drop(id, *s);
        return unsupported(s->params.kind);
    }
    auto stored_name = name_for_type(name, *facts.type);
    if (!stored_name) {
        drop(id, *s);
        return error(415, "unsupported_type", unsupported_name_message(name, s->params.kind));
    }
    Attachment a;
    a.name = std::move(*stored_name);
    a.type = std::move(*facts.type);
    a.kind = s->params.kind;
    a.size = facts.size;
    a.sha256 = std::move(facts.sha256);
    auto added = domain_.upload_file(me, s->request_id, s->params, std::move(a), s->tmp);
    if (!added) {
        drop(id, *s);
        return error(added.error);
    }
    s->tmp.clear();  // moved into the store
    s->done_json = nlohmann::json(*added).dump();
    return {201, s->done_json};
}

UploadReply Uploads::cancel(const User& me, std::string_view id) {
    auto s = find(me, id);
    if (!s) return no_upload();
    std::lock_guard lock(s->mu);
    if (s->gone) return no_upload();
    drop(id, *s);
    return {204, ""};
}

}  // namespace parley::server
