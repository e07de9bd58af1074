// "Attach a document", client side: checks before the upload, the upload chips of a
// draft and their transitions. The File objects and XMLHttpRequests live in the
// platform layer (web/files_web.cpp, web/upload_web.cpp); here they are tokens.
#include "app/attach.h"
#include <algorithm>
#include <cctype>
#include <cstdio>
#include "app/i18n.h"
#include "app/state.h"
#include "app/workflow_state.h"

namespace parley {

namespace {
std::string lower(std::string s) {
    for (char& c : s) c = (char)std::tolower((unsigned char)c);
    return s;
}
std::string extension(const std::string& name) {
    size_t dot = name.rfind('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == name.size()) return "";
    return lower(name.substr(dot + 1));
}
struct FileType { const char* ext; const char* ext2; const char* mime; const char* label; };
const FileType kTypes[] = {
    {"pdf", "", "application/pdf", "PDF"},
    {"png", "", "image/png", "PNG"},
    {"jpg", "jpeg", "image/jpeg", "JPEG"},
    {"docx", "", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX"},
    {"xlsx", "", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"},
    {"csv", "", "text/csv", "CSV"},
    {"txt", "", "text/plain", "TXT"},
};
const FileType* find_type(const std::string& name, const std::string& mime) {
    const std::string ext = extension(name), m = lower(mime);
    for (const FileType& t : kTypes)
        if (!ext.empty() && (ext == t.ext || ext == t.ext2)) return &t;
    if (ext.empty())  // no extension: the browser's MIME type decides
        for (const FileType& t : kTypes)
            if (m == t.mime) return &t;
    return nullptr;
}
Upload* find_upload(AppState& s, int token, Draft** owner = nullptr) {
    for (auto& [id, d] : s.drafts)
        for (Upload& u : d.uploads)
            if (u.token == token) {
                if (owner) *owner = &d;
                return &u;
            }
    return nullptr;
}
}  // namespace

int Upload::percent() const {
    if (status == UploadStatus::Done) return 100;
    if (total <= 0) return 0;
    return (int)std::clamp<int64_t>(loaded * 100 / total, 0, 100);
}

bool type_allowed(const std::string& kind, const std::string& name, const std::string& mime) {
    const FileType* t = find_type(name, mime);
    if (!t) return false;
    return kind != "quote" || std::string(t->label) == "PDF";
}

std::string file_type_label(const std::string& name, const std::string& mime) {
    if (const FileType* t = find_type(name, mime)) return t->label;
    std::string e = extension(name);
    for (char& c : e) c = (char)std::toupper((unsigned char)c);
    return e.empty() ? "FILE" : e;
}

std::string format_size(int64_t b) {
    char buf[32];
    if (b < 1024) std::snprintf(buf, sizeof buf, "%lld B", (long long)b);
    else if (b < 1024 * 1024) std::snprintf(buf, sizeof buf, "%lld KB", (long long)((b + 512) / 1024));
    else {
        std::snprintf(buf, sizeof buf, "%.1f MB", (double)b / (1024.0 * 1024.0));
        std::string s = buf;
        if (s.size() > 5 && s.compare(s.size() - 5, 5, ".0 MB") == 0) s.erase(s.size() - 5, 2);
        return s;
    }
    return buf;
}

std::string check_file(const std::string& kind, const std::string& name, const std::string& mime, int64_t size) {
    if (!type_allowed(kind, name, mime)) {
        if (kind == "quote") return i18n::trf("{0}: a quote must be a PDF", {name});
        return i18n::trf("{0}: this type is not accepted ({1})", {name, "PDF, PNG, JPEG, DOCX, XLSX, CSV, TXT"});
    }
    if (size > kMaxUploadBytes)
        return i18n::trf("{0} is {1}; the limit is {2}", {name, format_size(size), format_size(kMaxUploadBytes)});
    if (size <= 0) return i18n::trf("{0} is empty", {name});
    return "";
}

std::string url_encode(const std::string& s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += (char)c;
        else { out += '%'; out += hex[c >> 4]; out += hex[c & 15]; }
    }
    return out;
}

const char* accept_for(const std::string& kind) {
    if (kind == "quote") return ".pdf,application/pdf";
    return ".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.csv,.txt,application/pdf,image/png,image/jpeg,text/csv,text/plain,"
           "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
}

std::map<uint32_t, std::string>& picker_buttons() {
    static std::map<uint32_t, std::string> m;
    return m;
}

static bool g_picker_opened = false;
void note_picker_opened() { g_picker_opened = true; }
bool take_picker_opened() {
    const bool was = g_picker_opened;
    g_picker_opened = false;
    return was;
}

bool Draft::uploading() const {
    return std::any_of(uploads.begin(), uploads.end(), [](const Upload& u) { return u.status == UploadStatus::Uploading; });
}

std::vector<int64_t> Draft::attachment_ids() const {
    std::vector<int64_t> ids;
    for (const Upload& u : uploads)
        if (u.status == UploadStatus::Done) ids.push_back(u.att.id);
    return ids;
}

void action_files_picked(AppState& s, const std::vector<PickedFile>& files, Effects& fx) {
    fx.redraw = true;
    if (s.route.screen != Screen::Request || s.route.request_id == 0 || (s.thread && !s.thread->can.reply)) {
        for (const PickedFile& f : files) fx.upload_forget.push_back(f.token);
        return;
    }
    Draft& d = current_draft(s);
    std::string errors;
    auto reject = [&](const PickedFile& f, const std::string& why) {
        if (!errors.empty()) errors += "\n";
        errors += why;
        fx.upload_forget.push_back(f.token);
    };
    for (const PickedFile& f : files) {
        size_t kept = 0;
        for (const Upload& u : d.uploads)
            if (u.status != UploadStatus::Failed) kept++;
        std::string why = check_file(f.kind, f.name, f.mime, f.size);
        if (why.empty() && kept >= kMaxAttachmentsPerMessage)
            why = i18n::trf("{0}: at most {1} documents per message", {f.name, std::to_string(kMaxAttachmentsPerMessage)});
        if (!why.empty()) { reject(f, why); continue; }
        Upload u;
        u.token = f.token;
        u.kind = f.kind;
        u.name = f.name;
        u.size = u.total = f.size;
        d.uploads.push_back(u);
        UploadCall c;
        c.token = f.token;
        c.path = "/api/v1/requests/" + std::to_string(s.route.request_id) + "/attachments?kind=" + f.kind +
                 "&name=" + url_encode(f.name) + "&conversation_id=" + std::to_string(reply_conversation(s));
        fx.uploads.push_back(c);
    }
    d.error = errors;  // nothing else in the draft changes
}

void action_upload_progress(AppState& s, int token, int64_t loaded, int64_t total, Effects& fx) {
    Upload* u = find_upload(s, token);
    if (!u || u->status != UploadStatus::Uploading) return;
    u->loaded = loaded;
    if (total > 0) u->total = total;
    fx.redraw = true;
}

void action_upload_done(AppState& s, int token, int status, const std::string& body, Effects& fx) {
    Upload* u = find_upload(s, token);
    if (!u || u->status != UploadStatus::Uploading) return;  // cancelled meanwhile
    fx.redraw = true;
    Attachment a;
    if ((status == 200 || status == 201) && parse_json(body, a) && a.id > 0) {
        u->status = UploadStatus::Done;
        u->att = a;
        u->loaded = u->total;
        return;
    }
    u->status = UploadStatus::Failed;
    if (status == 0) u->error = i18n::tr("Upload failed: no connection to the server.");
    else {
        HttpResult r{status, body};
        u->error = failure_reason(r);
        if (status == 413 && u->error.rfind("The server answered", 0) == 0)
            u->error = i18n::trf("{0} is {1}; the limit is {2}", {u->name, format_size(u->size), format_size(kMaxUploadBytes)});
    }
}

void action_upload_cancel(AppState& s, int token, Effects& fx) {
    Draft* d = nullptr;
    Upload* u = find_upload(s, token, &d);
    if (!u) return;
    if (u->status == UploadStatus::Uploading) fx.upload_aborts.push_back(token);
    d->uploads.erase(d->uploads.begin() + (u - d->uploads.data()));
    fx.redraw = true;
}

void action_upload_remove(AppState& s, int token, Effects& fx) { action_upload_cancel(s, token, fx); }

}  // namespace parley
