// "Attach a document", client side: the checks made before an upload, the
// uploads of a draft (chips) and what the platform layer is asked to do with the
// File objects it keeps in JS. Pure: the actions are declared in app/state.h.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>
#include "net/wire.h"

namespace parley {

// A file the user picked, dropped or pasted; its bytes stay in the browser (token).
struct PickedFile {
    int token = 0;             // the platform's id of the File held in JS
    std::string kind = "other";  // "quote" | "other"
    std::string name, mime;
    int64_t size = 0;
};

enum class UploadStatus { Uploading, Done, Failed };

// One chip under the composer.
struct Upload {
    int token = 0;
    std::string kind, name;
    int64_t size = 0, loaded = 0, total = 0;
    UploadStatus status = UploadStatus::Uploading;
    std::string error;  // Failed: the server's message (413/415) or "No connection"
    Attachment att;     // Done: what the server stored
    int percent() const;
};

// XMLHttpRequest POST of the File `token` to `path` (upload progress reported back).
struct UploadCall {
    int token = 0;
    std::string path;
};

// Empty when the file may be uploaded as `kind`; else the red message naming it.
std::string check_file(const std::string& kind, const std::string& name, const std::string& mime, int64_t size);
bool type_allowed(const std::string& kind, const std::string& name, const std::string& mime);
std::string file_type_label(const std::string& name, const std::string& mime);  // "PDF", "PNG", "DOCX", …
std::string format_size(int64_t bytes);                                         // "12 B", "340 KB", "1.2 MB"
std::string url_encode(const std::string& s);
// The file picker's accept= for a kind.
const char* accept_for(const std::string& kind);

// The "Quote" / "Other documents" buttons drawn last frame: the platform opens the file
// picker inside the tap/click that lands on one of them (browsers refuse it later).
std::map<uint32_t, std::string>& picker_buttons();  // ImGui item id → kind
// The platform opened the picker from one of them: the menu holding them has done its
// job and closes on its next frame, whether or not ImGui saw the click land on the item
// (the page may move under the finger between the tap and the release, e.g. when a
// chip appears as the picked file starts uploading).
void note_picker_opened();
bool take_picker_opened();  // true once per opening

}  // namespace parley
