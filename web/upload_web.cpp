// Uploads of attachments from the browser: the File objects picked or dropped
// (web/files_web.cpp, Module.parleyFiles by token) go up in chunks with XMLHttpRequest,
// which reports upload progress (emscripten_fetch does not). The answers come back to
// C++ through parley_upload_progress / parley_upload_done (web/files_web.cpp).
#include <string>

#include <emscripten/emscripten.h>

#include "web/platform.h"

namespace parley::web {

// Chunked, resumable upload (docs/API.md "Chunked uploads"): `path` is the one-request
// endpoint /api/v1/requests/{id}/attachments?kind=&name=&conversation_id=; the same query
// plus size= opens an upload at /requests/{id}/uploads, then File.slice chunks go up with
// one XHR each (PUT ?offset=), then /complete answers the Attachment. Progress adds up
// across chunks; a network error asks the server for its offset and resumes (3 tries); a
// 409 carries the offset to resume from; other errors end the upload (JSON error shown).
EM_JS(void, js_upload_start, (int t, const char* path), {
    var f = Module.parleyFiles[t];
    if (!f) { _parley_upload_done(t, 0, 0); return; }
    var p = UTF8ToString(path);
    var api = p.substring(0, p.indexOf('/requests/'));
    Module.parleyUploadDelete = function(url) {
        var x = new XMLHttpRequest();
        x.open('DELETE', url);
        x.send();
    };
    var up = { xhr: null, id: "", base: "", cancelled: false };
    Module.parleyXhr[t] = up;
    var chunk = 1048576, tries = 0, base = "";
    var finish = function(status, text) {
        if (up.cancelled) return;
        delete Module.parleyXhr[t];
        delete Module.parleyFiles[t];
        if (up.id && status != 201 && status != 404) Module.parleyUploadDelete(base);
        var s = Module.parleyStr(text || "");
        _parley_upload_done(t, status, s);
        _free(s);
    };
    var send = function(method, url, body, onanswer, onprogress, onneterror) {
        var xhr = new XMLHttpRequest();
        up.xhr = xhr;
        xhr.open(method, url);
        xhr.setRequestHeader('Accept', 'application/json');
        if (body) xhr.setRequestHeader('Content-Type', 'application/offset+octet-stream');
        if (onprogress) xhr.upload.onprogress = onprogress;
        xhr.onload = function() {
            up.xhr = null;
            var j = null;
            try { j = JSON.parse(xhr.responseText); } catch (e) { j = null; }
            if (up.cancelled) {
                if (j && j.upload_id && !up.id) Module.parleyUploadDelete(api + '/uploads/' + encodeURIComponent(j.upload_id));
                return;
            }
            onanswer(xhr.status, xhr.responseText, j);
        };
        xhr.onerror = xhr.ontimeout = function() { up.xhr = null; if (!up.cancelled) onneterror(); };
        xhr.send(body || null);
    };
    var progress = function(loaded) { _parley_upload_progress(t, Math.min(loaded, f.size), f.size); };
    var resume = function() {
        if (!up.id || tries >= 3) { finish(0, ""); return; }
        tries++;
        setTimeout(function() {
            if (up.cancelled) return;
            send('GET', base, null, function(status, text, j) {
                if (status == 200 && j && typeof j.offset == 'number') put(j.offset); else finish(status, text);
            }, null, resume);
        }, 500 * tries);
    };
    var complete = function() {
        send('POST', base + '/complete', null, function(status, text) { finish(status, text); }, null, resume);
    };
    var put = function(offset) {
        progress(offset);
        if (offset >= f.size) { complete(); return; }
        var end = Math.min(f.size, offset + chunk);
        send('PUT', base + '?offset=' + offset, f.slice(offset, end), function(status, text, j) {
            if (status == 200 && j && typeof j.offset == 'number') { tries = 0; put(j.offset); return; }
            if (status == 409 && j && typeof j.offset == 'number' && tries < 3) { tries++; put(j.offset); return; }
            finish(status, text);
        }, function(e) { progress(offset + e.loaded); }, resume);
    };
    send('POST', p.replace('/attachments?', '/uploads?') + '&size=' + f.size, null, function(status, text, j) {
        if (status != 201 || !j || !j.upload_id) { finish(status, text); return; }
        up.id = j.upload_id;
        base = up.base = api + '/uploads/' + encodeURIComponent(up.id);
        if (j.chunk_size > 0) chunk = j.chunk_size;
        put(j.offset || 0);
    }, null, function() { finish(0, ""); });
});

EM_JS(void, js_upload_abort, (int t), {
    var up = Module.parleyXhr[t];
    delete Module.parleyXhr[t];
    delete Module.parleyFiles[t];
    if (!up) return;
    up.cancelled = true;
    if (up.xhr) up.xhr.abort();
    if (up.base) Module.parleyUploadDelete(up.base);
});

void upload_start(int token, const std::string& path) { js_upload_start(token, path.c_str()); }
void upload_abort(int token) { js_upload_abort(token); }

}  // namespace parley::web
