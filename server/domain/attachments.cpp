// Domain: attachments. An upload is checked (visibility and the reply right
// on its conversation, size, type by content), stored by content hash under
// <data-dir>/files and recorded as pending; a message then names it (post_message).
// Attachments have the visibility of their conversation's messages; a pending upload
// is visible to its uploader only.
#include "server/domain/domain.h"

namespace parley::server {

Result<int64_t> Domain::upload_check(const User& me, int64_t request_id, const UploadParams& p, int64_t size) {
    if (!view(me, request_id)) return not_found();
    if (p.kind != "quote" && p.kind != "other")
        return DomainError{400, "invalid_field", "\"kind\" must be \"quote\" or \"other\"."};
    int64_t conversation = p.conversation_id;
    auto v = permit(me, request_id, Action::reply, conversation);
    if (!v) return v.error;
    if (size <= 0) return DomainError{400, "empty_file", "The file is empty."};
    if (size > kMaxUploadBytes) return DomainError{413, "file_too_large", "The file is larger than 10 MB."};
    if (store_.pending_bytes(me.id) + size > kMaxPendingUploadBytes)
        return DomainError{413, "too_many_pending_files",
                           "You have 100 MB of files not sent yet: send them with a message or remove some first."};
    return conversation;
}

int Domain::sweep_abandoned_uploads() {
    if (!files_) return 0;
    std::lock_guard lk(files_mu_);
    std::vector<std::string> orphans;
    int n = store_.delete_pending_before(now_() - kPendingUploadTtl, orphans);
    for (const auto& sha : orphans) files_->remove(sha);
    return n;
}

Result<Attachment> Domain::upload_file(const User& me, int64_t request_id, const UploadParams& p, Attachment a,
                                       const std::string& tmp_path) {
    auto conversation = upload_check(me, request_id, p, a.size);  // rights may have changed meanwhile
    if (!conversation) return conversation.error;
    if (!files_) throw std::runtime_error("no file directory configured for attachments");
    a.id = 0;
    a.message_id = 0;
    a.conversation_id = *conversation;
    a.uploader_id = me.id;
    a.created = now_();
    std::lock_guard lk(files_mu_);      // not while the sweep removes a file nobody named
    files_->adopt(a.sha256, tmp_path);  // before the row: a row never names a missing file
    return store_.add_attachment(a);
}

Result<Attachment> Domain::upload(const User& me, int64_t request_id, const UploadParams& p, std::string_view data) {
    auto checked = upload_check(me, request_id, p, static_cast<int64_t>(data.size()));
    if (!checked) return checked.error;
    int64_t conversation = *checked;
    std::string name = sanitize_file_name(p.name);
    auto type = sniff_type(data, name, p.kind);
    if (!type) {
        std::string what = p.kind == "quote" ? "A quote must be a PDF file." : "This type of file is not accepted.";
        return DomainError{415, "unsupported_type", what + " Allowed: " + allowed_types(p.kind) + "."};
    }
    auto stored_name = name_for_type(name, *type);
    if (!stored_name) return DomainError{415, "unsupported_type", unsupported_name_message(name, p.kind)};
    if (!files_) throw std::runtime_error("no file directory configured for attachments");
    Attachment a;
    a.conversation_id = conversation;
    a.uploader_id = me.id;
    a.name = std::move(*stored_name);
    a.type = std::move(*type);
    a.kind = p.kind;
    a.size = static_cast<int64_t>(data.size());
    a.sha256 = sha256_hex(data);
    a.created = now_();
    std::lock_guard lk(files_mu_);
    files_->put(a.sha256, data);  // before the row: a row never names a missing file
    return store_.add_attachment(a);
}

Result<Domain::Download> Domain::download(const User& me, int64_t attachment_id) {
    DomainError missing{404, "not_found", "No such attachment."};
    auto rec = store_.attachment(attachment_id);
    if (!rec) return missing;
    const Attachment& a = rec->attachment;
    if (a.message_id == 0) {
        if (a.uploader_id != me.id) return missing;
    } else {
        int64_t conversation = a.conversation_id;
        if (!permit(me, rec->request_id, Action::view_messages, conversation)) return missing;
    }
    if (!files_ || !files_->has(a.sha256)) return missing;
    return Download{a, files_->path(a.sha256)};
}

}  // namespace parley::server
