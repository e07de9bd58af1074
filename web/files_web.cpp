// Browser platform layer: attachments picked or dropped (see platform.h). A hidden
// <input type=file> is clicked inside the user's own tap, click or key press (browsers open
// a picker only then); the File objects stay on the JS side (Module.parleyFiles, by token)
// until web/upload_web.cpp sends them up in chunks with XMLHttpRequest, which reports
// upload progress (emscripten_fetch does not). Files dropped on the page come here too.
#include <cstdint>
#include <string>

#include <emscripten/emscripten.h>

#include "app/attach.h"
#include "app/registry.h"
#include "web/platform.h"

namespace parley::web {

namespace {
FileHooks g_file_hooks;
}  // namespace

EM_JS(void, js_files_install, (), {
    Module.parleyFiles = {};
    Module.parleyXhr = {};
    var next = 1;
    var str = function(s) { var n = lengthBytesUTF8(s) + 1, p = _malloc(n); stringToUTF8(s, p, n); return p; };
    Module.parleyStr = str;
    var input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    input.id = 'parley-file';
    input.tabIndex = -1;
    input.setAttribute('aria-hidden', 'true');
    input.style.cssText = 'position:fixed;left:-100px;top:0;width:1px;height:1px;opacity:0;';
    document.body.appendChild(input);
    var give = function(list, kind) {
        var files = Array.from(list || []);
        files.forEach(function(f, i) {
            var t = next++;
            Module.parleyFiles[t] = f;
            var k = str(kind), n = str(f.name || "file"), m = str(f.type || "");
            _parley_file_picked(t, k, n, m, f.size, i == files.length - 1 ? 1 : 0);
            _free(k); _free(n); _free(m);
        });
    };
    Module.parleyGiveFiles = give;
    input.addEventListener('change', function() {
        give(input.files, input.dataset.kind || 'other');
        input.value = "";
    });
    var hasFiles = function(e) { return e.dataTransfer && Array.from(e.dataTransfer.types || []).indexOf('Files') >= 0; };
    document.addEventListener('dragover', function(e) {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
    });
    document.addEventListener('drop', function(e) {
        if (!hasFiles(e)) return;
        e.preventDefault();
        give(e.dataTransfer.files, 'other');
    });
});

EM_JS(void, js_pick_files, (const char* kind, const char* accept), {
    var input = document.getElementById('parley-file');
    input.dataset.kind = UTF8ToString(kind);
    input.accept = UTF8ToString(accept);
    input.value = "";
    input.click();
});

EM_JS(void, js_upload_forget, (int t), { delete Module.parleyFiles[t]; });

extern "C" {
EMSCRIPTEN_KEEPALIVE void parley_file_picked(int token, const char* kind, const char* name, const char* mime,
                                             double size, int last) {
    if (g_file_hooks.picked) g_file_hooks.picked(token, kind, name, mime, size, last != 0);
}
EMSCRIPTEN_KEEPALIVE void parley_upload_progress(int token, double loaded, double total) {
    if (g_file_hooks.progress) g_file_hooks.progress(token, loaded, total);
}
EMSCRIPTEN_KEEPALIVE void parley_upload_done(int token, int status, const char* body) {
    if (g_file_hooks.done) g_file_hooks.done(token, status, body ? body : "");
}
}

void files_init(const FileHooks& h) {
    g_file_hooks = h;
    js_files_install();
}
static void pick_for(uint32_t id) {
    auto it = picker_buttons().find(id);
    if (it == picker_buttons().end()) return;
    js_pick_files(it->second.c_str(), accept_for(it->second));
    note_picker_opened();
}
bool file_picker_pointer(float x, float y) {
    // Hit-test the last frame's widgets, like the text fields: the picker opens only
    // inside the user's own event.
    for (const reg::Widget& w : reg::widgets())
        if (!w.disabled && picker_buttons().count(w.id) && x >= w.x && x < w.x + w.w && y >= w.y && y < w.y + w.h) {
            pick_for(w.id);
            return true;
        }
    return false;
}
void file_picker_key() {
    for (const reg::Widget& w : reg::widgets())
        if (!w.disabled && w.nav_focus && picker_buttons().count(w.id)) { pick_for(w.id); return; }
}
void upload_forget(int token) { js_upload_forget(token); }

}  // namespace parley::web
