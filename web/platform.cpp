// Browser platform layer (see platform.h). Input follows Dear ImGui 1.87+'s event
// API: io.AddKeyEvent / AddMousePosEvent / AddMouseButtonEvent / AddInputCharacter…
#include "web/platform.h"
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <emscripten/emscripten.h>
#include <emscripten/eventloop.h>
#include <emscripten/html5.h>
#include "app/registry.h"
#include "imgui.h"
#include "imgui_internal.h"

namespace parley::web {

namespace {
FrameFn g_frame = nullptr;
int g_pending = 0;          // frames still wanted
bool g_raf_scheduled = false;
uint64_t g_frames = 0;      // frames drawn since load
int g_keys_down = 0;
bool g_pointer_down = false;
std::string g_clipboard;
uint64_t g_clipboard_sets = 0;  // texts put in g_clipboard so far
bool g_copy_fresh = false;      // this Ctrl+C/X put a text there: the 'copy' event takes it
void (*g_popstate)(const char*) = nullptr;
void (*g_online)() = nullptr;
Viewport g_vp;

// Touch: a tap clicks; a drag scrolls (as wheel events) and never clicks; a finger held
// still for kLongPressMs is a long press, given to the app as a right click (selects
// the text under it) and not followed by a tap.
struct Touch {
    int id = -1;
    float x0 = 0, y0 = 0, last_y = 0, last_x = 0;
    bool scrolling = false;
    bool long_pressed = false;
} g_touch;
constexpr float kTapSlop = 8.f;  // CSS px a finger may wander and still tap
constexpr double kLongPressMs = 500;
unsigned g_touch_seq = 0;  // touches started so far: a timer knows whether its touch is still down
}  // namespace

// ---------------------------------------------------------------- JS side
EM_JS(void, js_install, (), {
    var canvas = document.getElementById('canvas');
    window.parley = window.parley || {};
    window.parley.frames = function() { return Number(_parley_frames()); };
    window.parley.widgets = function() { return JSON.parse(UTF8ToString(_parley_widgets_json())); };
    window.parley.debug = function() { return JSON.parse(UTF8ToString(_parley_debug_json())); };
    window.parley.redraw = function() { _parley_request_frames(2); };
    window.addEventListener('popstate', function() {
        var s = location.pathname + location.search;
        var n = lengthBytesUTF8(s) + 1, p = _malloc(n);
        stringToUTF8(s, p, n); _parley_popstate(p); _free(p);
    });
    document.addEventListener('paste', function(e) {
        var cd = e.clipboardData || window.clipboardData;
        if (cd && cd.files && cd.files.length && Module.parleyGiveFiles) {  // pasted files attach
            e.preventDefault();
            Module.parleyGiveFiles(cd.files, 'other');
            return;
        }
        var t = cd.getData('text');
        if (!t) return;
        e.preventDefault();
        var n = lengthBytesUTF8(t) + 1, p = _malloc(n);
        stringToUTF8(t, p, n); _parley_paste(p); _free(p);
    });
    document.addEventListener('copy', function(e) {
        var t = UTF8ToString(_parley_copy_text());
        if (!t) return;
        e.clipboardData.setData('text/plain', t);
        e.preventDefault();
    });
    // devicePixelRatio changes (zoom, moving to another screen) → redraw crisp.
    var watchDpr = function() {
        var mq = matchMedia('(resolution: ' + window.devicePixelRatio + 'dppx)');
        mq.addEventListener('change', function() { _parley_request_frames(2); watchDpr(); }, {once: true});
    };
    watchDpr();
    document.addEventListener('visibilitychange', function() { _parley_request_frames(2); });
    // A phone keyboard shrinks the visual viewport (iOS does not resize the layout
    // viewport): the canvas follows it so the composer stays above the keyboard.
    if (window.visualViewport) {
        var vv = window.visualViewport;
        var fit = function() {
            canvas.style.height = vv.height + 'px';
            canvas.style.top = vv.offsetTop + 'px';
            _parley_request_frames(2);
        };
        vv.addEventListener('resize', fit);
        vv.addEventListener('scroll', fit);
        fit();
    }
    canvas.addEventListener('contextmenu', function(e) { e.preventDefault(); });
});

EM_JS(void, js_set_title, (const char* t), { document.title = UTF8ToString(t); });
EM_JS(void, js_push_url, (const char* p), {
    var path = UTF8ToString(p);
    if (location.pathname + location.search + location.hash !== path) history.pushState({}, "", path);
});
EM_JS(void, js_history_back, (), { if (location.hash === "#sheet") history.back(); });
// Same tab: the checkout page comes back to /requests/N?quote=Q&paid=1 when done.
EM_JS(void, js_go_url, (const char* u), {
    var url = UTF8ToString(u);
    if (/^(https?:)?[/]/i.test(url)) window.location.assign(url);
});

EM_JS(void, js_open_url, (const char* u), {
    var url = UTF8ToString(u);
    if (/^(https?:|mailto:)/i.test(url)) window.open(url, '_blank', 'noopener,noreferrer');
    else if (url.indexOf('/api/v1/attachments/') === 0 || /^[/]api[/]v1[/]quotes[/][0-9]+[/]pdf$/.test(url))
        window.open(url, '_blank', 'noopener');  // a document
    else if (/^[/]api[/]v1[/]export[/]requests[?]/.test(url)) {
        // An export (Content-Disposition: attachment): downloaded through a hidden frame,
        // so the page keeps its focus and its next click (an anchor's click took it).
        var f = document.getElementById('parley-download');
        if (!f) {
            f = document.createElement('iframe');
            f.id = 'parley-download';
            f.style.display = 'none';
            document.body.appendChild(f);
        }
        f.src = url;
    }
    // A phone number: the dialer (phones) or the system's call handler; the page stays.
    else if (/^tel:[+]?[0-9]+$/i.test(url)) window.location.href = url;
});
EM_JS(char*, js_current_path, (), {
    var s = location.pathname + location.search;
    var n = lengthBytesUTF8(s) + 1, p = _malloc(n);
    stringToUTF8(s, p, n);
    return p;
});
EM_JS(void, js_set_cursor, (const char* c), { document.getElementById('canvas').style.cursor = UTF8ToString(c); });
EM_JS(void, js_ready, (), {
    window.parley.ready = true;
    if (window.parleyReady) window.parleyReady();
});
EM_JS(void, js_write_clipboard, (const char* t), {
    var s = UTF8ToString(t);
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(s).catch(function() {});
});
EM_JS(char*, js_asset_url, (const char* n), {
    var name = UTF8ToString(n);
    var s = (window.parleyAssets && window.parleyAssets[name]) || ('/assets/' + name);
    var len = lengthBytesUTF8(s) + 1, p = _malloc(len);
    stringToUTF8(s, p, len);
    return p;
});
EM_JS(void, js_storage_set, (const char* k, const char* v), {
    try { localStorage.setItem(UTF8ToString(k), UTF8ToString(v)); } catch (e) {}  // private mode, quota
});
EM_JS(char*, js_storage_get, (const char* k), {
    var s = null;
    try { s = localStorage.getItem(UTF8ToString(k)); } catch (e) {}
    s = s || "";
    var n = lengthBytesUTF8(s) + 1, p = _malloc(n);
    stringToUTF8(s, p, n);
    return p;
});
EM_JS(char*, js_languages, (), {
    var s = (navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en']).join(',');
    var n = lengthBytesUTF8(s) + 1, p = _malloc(n);
    stringToUTF8(s, p, n);
    return p;
});
EM_JS(int, js_utc_offset, (), { return -new Date().getTimezoneOffset(); });
EM_JS(void, js_set_lang, (const char* c), { document.documentElement.lang = UTF8ToString(c); });
EM_JS(void, js_on_online, (), { window.addEventListener('online', function() { _parley_online(); }); });
EM_JS(double, js_random, (), {
    var a = new Uint32Array(2);
    crypto.getRandomValues(a);
    return a[0] * 4294967296 + a[1];
});

// ---------------------------------------------------------------- exports to JS
extern "C" {
EMSCRIPTEN_KEEPALIVE double parley_frames() { return (double)g_frames; }
EMSCRIPTEN_KEEPALIVE const char* parley_widgets_json() {
    static std::string json;
    json = reg::widgets_json();
    return json.c_str();
}
EMSCRIPTEN_KEEPALIVE const char* parley_debug_json() {
    static std::string out;
    ImGuiContext& g = *GImGui;
    char buf[256];
    snprintf(buf, sizeof buf, "{\"mouse\":[%g,%g],\"down\":%d,\"hovered\":%u,\"active\":%u,\"hwin\":\"%s\",\"queue\":%d,\"pending\":%d}",
             g.IO.MousePos.x, g.IO.MousePos.y, (int)g.IO.MouseDown[0], g.HoveredId, g.ActiveId,
             g.HoveredWindow ? g.HoveredWindow->Name : "", g.InputEventsQueue.Size, g_pending);
    out = buf;
    return out.c_str();
}
EMSCRIPTEN_KEEPALIVE void parley_request_frames(int n) { request_frames(n); }
EMSCRIPTEN_KEEPALIVE void parley_popstate(const char* path) {
    if (g_popstate) g_popstate(path);
    request_frames(2);
}
EMSCRIPTEN_KEEPALIVE void parley_paste(const char* text) {
    // The browser gives pasted text only inside the paste event: keep it, then let
    // Dear ImGui paste it through its normal Ctrl+V path.
    g_clipboard = text;
    ImGuiIO& io = ImGui::GetIO();
    io.AddKeyEvent(ImGuiMod_Ctrl, true);
    io.AddKeyEvent(ImGuiKey_V, true);
    io.AddKeyEvent(ImGuiKey_V, false);
    io.AddKeyEvent(ImGuiMod_Ctrl, false);
    request_frames(3);
}
EMSCRIPTEN_KEEPALIVE const char* parley_clipboard() { return g_clipboard.c_str(); }
// What a 'copy' event copies: only a text this very Ctrl+C/X selected, never an older one
// (with nothing selected the clipboard stays as it is).
EMSCRIPTEN_KEEPALIVE const char* parley_copy_text() {
    const bool fresh = g_copy_fresh;
    g_copy_fresh = false;
    return fresh ? g_clipboard.c_str() : "";
}
EMSCRIPTEN_KEEPALIVE void parley_online() {
    if (g_online) g_online();
    request_frames(2);
}
}

// ---------------------------------------------------------------- frames
static bool g_in_frame = false;

void draw_now() {
    if (g_in_frame || !g_frame) return;
    g_in_frame = true;
    g_frame();
    g_in_frame = false;
}

static EM_BOOL on_animation_frame(double, void*) {
    // g_raf_scheduled stays true during the frame: requests made while drawing just
    // raise g_pending and this loop continues, instead of starting a second loop.
    if (g_pending > 0) g_pending--;
    draw_now();
    if (g_pending > 0) return EM_TRUE;
    g_raf_scheduled = false;
    return EM_FALSE;
}

void request_frames(int n) {
    if (n > g_pending) g_pending = n;
    if (!g_raf_scheduled) {
        g_raf_scheduled = true;
        emscripten_request_animation_frame_loop(on_animation_frame, nullptr);
    }
}

void frame_drawn() { g_frames++; }
bool input_held() { return g_keys_down > 0 || g_pointer_down; }

Viewport sync_viewport() {
    double w = 0, h = 0;
    emscripten_get_element_css_size("#canvas", &w, &h);
    float dpr = (float)emscripten_get_device_pixel_ratio();
    if (dpr <= 0) dpr = 1;
    int fb_w = (int)std::lround(w * dpr), fb_h = (int)std::lround(h * dpr);
    if (fb_w != g_vp.fb_w || fb_h != g_vp.fb_h) emscripten_set_canvas_element_size("#canvas", fb_w, fb_h);
    g_vp = {(float)w, (float)h, dpr, fb_w, fb_h};
    return g_vp;
}

// ---------------------------------------------------------------- keyboard
static ImGuiKey key_from_dom(const EmscriptenKeyboardEvent* e) {
    const char* c = e->code;
    // Letters and digits by their logical key, so shortcuts follow the user's layout.
    if (e->key[0] && !e->key[1]) {
        char k = e->key[0];
        if (k >= 'a' && k <= 'z') return (ImGuiKey)(ImGuiKey_A + (k - 'a'));
        if (k >= 'A' && k <= 'Z') return (ImGuiKey)(ImGuiKey_A + (k - 'A'));
    }
    if (!std::strncmp(c, "Digit", 5) && c[5] >= '0' && c[5] <= '9' && !c[6]) return (ImGuiKey)(ImGuiKey_0 + (c[5] - '0'));
    if (c[0] == 'F' && c[1] >= '1' && c[1] <= '9') {
        int n = std::atoi(c + 1);
        if (n >= 1 && n <= 12) return (ImGuiKey)(ImGuiKey_F1 + n - 1);
    }
    static const struct { const char* code; ImGuiKey key; } table[] = {
        {"Enter", ImGuiKey_Enter}, {"NumpadEnter", ImGuiKey_KeypadEnter}, {"Escape", ImGuiKey_Escape},
        {"Backspace", ImGuiKey_Backspace}, {"Tab", ImGuiKey_Tab}, {"Space", ImGuiKey_Space},
        {"Delete", ImGuiKey_Delete}, {"Insert", ImGuiKey_Insert}, {"Home", ImGuiKey_Home}, {"End", ImGuiKey_End},
        {"PageUp", ImGuiKey_PageUp}, {"PageDown", ImGuiKey_PageDown}, {"ArrowLeft", ImGuiKey_LeftArrow},
        {"ArrowRight", ImGuiKey_RightArrow}, {"ArrowUp", ImGuiKey_UpArrow}, {"ArrowDown", ImGuiKey_DownArrow},
        {"ShiftLeft", ImGuiKey_LeftShift}, {"ShiftRight", ImGuiKey_RightShift},
        {"ControlLeft", ImGuiKey_LeftCtrl}, {"ControlRight", ImGuiKey_RightCtrl},
        {"AltLeft", ImGuiKey_LeftAlt}, {"AltRight", ImGuiKey_RightAlt},
        {"MetaLeft", ImGuiKey_LeftSuper}, {"MetaRight", ImGuiKey_RightSuper},
    };
    for (auto& t : table)
        if (!std::strcmp(c, t.code)) return t.key;
    return ImGuiKey_None;
}

static void update_mods(const EmscriptenKeyboardEvent* e) {
    ImGuiIO& io = ImGui::GetIO();
    io.AddKeyEvent(ImGuiMod_Ctrl, e->ctrlKey);
    io.AddKeyEvent(ImGuiMod_Shift, e->shiftKey);
    io.AddKeyEvent(ImGuiMod_Alt, e->altKey);
    io.AddKeyEvent(ImGuiMod_Super, e->metaKey);
}

// One printable character (any script): its UTF-8 is the whole of e->key.
static bool is_printable(const EmscriptenKeyboardEvent* e) {
    const unsigned char* k = (const unsigned char*)e->key;
    if (!k[0]) return false;
    size_t n = k[0] < 0x80 ? 1 : (k[0] >> 5) == 6 ? 2 : (k[0] >> 4) == 14 ? 3 : 4;
    return std::strlen(e->key) == n && k[0] >= 0x20 && k[0] != 0x7f;
}

static EM_BOOL on_key(int type, const EmscriptenKeyboardEvent* e, void*) {
    ImGuiIO& io = ImGui::GetIO();
    const bool down = type == EMSCRIPTEN_EVENT_KEYDOWN;
    const bool shortcut = e->ctrlKey || e->metaKey;
    request_frames(3);
    // Keys an input method is working on (Android sends keyCode 229, desktop IMEs
    // "Process") belong to the textarea: their text arrives as input events.
    if (e->keyCode == 229 || !std::strcmp(e->key, "Process") || !std::strcmp(e->key, "Unidentified") ||
        !std::strcmp(e->key, "Dead"))
        return EM_FALSE;
    ImGuiKey key = key_from_dom(e);
    if (down && !e->repeat && (key == ImGuiKey_Enter || key == ImGuiKey_Space || key == ImGuiKey_KeypadEnter))
        file_picker_key();  // keyboard activation of "Quote" / "Other documents"
    if (down && !e->repeat) g_keys_down++;
    if (!down && g_keys_down > 0) g_keys_down--;
    // Ctrl/Cmd+V: let the browser fire 'paste' (handled above); Ctrl+C/X: let it fire
    // 'copy' after Dear ImGui has put the selection in our clipboard.
    if (shortcut && (key == ImGuiKey_V)) return EM_FALSE;
    update_mods(e);
    if (key != ImGuiKey_None) io.AddKeyEvent(key, down);
    if (shortcut && (key == ImGuiKey_C || key == ImGuiKey_X)) {
        if (down) {  // run now: the copy event comes next
            const uint64_t before = g_clipboard_sets;
            draw_now();
            draw_now();
            g_copy_fresh = g_clipboard_sets != before;
        }
        return EM_FALSE;
    }
    const bool printable = !shortcut && is_printable(e);
    if (text_input_focused()) {
        if (printable) return EM_FALSE;  // the textarea types it: 'input' event
        // Caret keys take effect now, so the textarea's selection is right before the
        // next key arrives (fast typists, key repeat).
        if (down) draw_now();
    }
    if (down && printable) io.AddInputCharactersUTF8(e->key);
    // Keys the app uses must not also scroll the page or move browser focus; every
    // other combination (Alt+Left = back, Ctrl+R, F5, Ctrl+L…) stays the browser's.
    if (e->altKey || key == ImGuiKey_None) return EM_FALSE;
    if (io.WantTextInput) return key != ImGuiKey_F5 && key != ImGuiKey_F12 && !(shortcut && key == ImGuiKey_R);
    switch (key) {
        case ImGuiKey_Tab: case ImGuiKey_Space: case ImGuiKey_Enter: case ImGuiKey_Escape:
        case ImGuiKey_UpArrow: case ImGuiKey_DownArrow: case ImGuiKey_LeftArrow: case ImGuiKey_RightArrow:
        case ImGuiKey_PageUp: case ImGuiKey_PageDown: case ImGuiKey_Home: case ImGuiKey_End:
            return !shortcut;
        default: return EM_FALSE;
    }
}

static EM_BOOL on_blur(int, const EmscriptenFocusEvent* e, void*) {
    // The capture listener also sees elements losing focus (our textarea): only the
    // page itself losing focus matters here.
    if (std::strcmp(e->nodeName, "#window") != 0) return EM_FALSE;
    // Keys released while the page had no focus never reach us: release all.
    ImGuiIO& io = ImGui::GetIO();
    io.ClearInputKeys();
    g_keys_down = 0;
    g_pointer_down = false;
    io.AddFocusEvent(false);
    request_frames(2);
    return EM_FALSE;
}
static EM_BOOL on_focus(int, const EmscriptenFocusEvent* e, void*) {
    if (std::strcmp(e->nodeName, "#window") != 0) return EM_FALSE;
    ImGui::GetIO().AddFocusEvent(true);
    request_frames(2);
    return EM_FALSE;
}


// ---------------------------------------------------------------- mouse, wheel
static int imgui_button(unsigned short dom) { return dom == 0 ? 0 : dom == 2 ? 1 : dom == 1 ? 2 : -1; }

static EM_BOOL on_mouse(int type, const EmscriptenMouseEvent* e, void*) {
    ImGuiIO& io = ImGui::GetIO();
    io.AddMouseSourceEvent(ImGuiMouseSource_Mouse);
    io.AddMousePosEvent((float)e->clientX, (float)e->clientY);
    int b = imgui_button(e->button);
    if (type == EMSCRIPTEN_EVENT_MOUSEDOWN && b >= 0) {
        if (b == 0) text_input_pointer((float)e->clientX, (float)e->clientY);
        // On a picker button the picker is the click (its menu closes by itself): ImGui
        // gets no press, which could land on whatever the page moved under the pointer.
        if (b != 0 || !file_picker_pointer((float)e->clientX, (float)e->clientY)) {
            io.AddMouseButtonEvent(b, true);
            g_pointer_down = true;
        }
    }
    if (type == EMSCRIPTEN_EVENT_MOUSEUP && b >= 0) { io.AddMouseButtonEvent(b, false); g_pointer_down = false; }
    request_frames(type == EMSCRIPTEN_EVENT_MOUSEMOVE ? 2 : 3);
    return type == EMSCRIPTEN_EVENT_MOUSEDOWN ? EM_TRUE : EM_FALSE;
}

static EM_BOOL on_leave(int, const EmscriptenMouseEvent*, void*) {
    if (!g_pointer_down) ImGui::GetIO().AddMousePosEvent(-FLT_MAX, -FLT_MAX);
    request_frames(2);
    return EM_FALSE;
}

static EM_BOOL on_wheel(int, const EmscriptenWheelEvent* e, void*) {
    // Dear ImGui scrolls ~5 lines per wheel unit; a browser "notch" is ~100 px.
    float scale = e->deltaMode == DOM_DELTA_PIXEL ? 1.f / 100.f : e->deltaMode == DOM_DELTA_LINE ? 1.f / 3.f : 1.f;
    ImGuiIO& io = ImGui::GetIO();
    io.AddMouseSourceEvent(ImGuiMouseSource_Mouse);
    io.AddMousePosEvent((float)e->mouse.clientX, (float)e->mouse.clientY);
    io.AddMouseWheelEvent((float)-e->deltaX * scale, (float)-e->deltaY * scale);
    request_frames(3);
    return EM_TRUE;
}

// ---------------------------------------------------------------- touch
static void on_long_press(void* seq) {
    if (g_touch.id == -1 || g_touch.scrolling || g_touch.long_pressed || (uintptr_t)seq != g_touch_seq) return;
    g_touch.long_pressed = true;
    ImGuiIO& io = ImGui::GetIO();
    io.AddMouseSourceEvent(ImGuiMouseSource_TouchScreen);
    io.AddMousePosEvent(g_touch.x0, g_touch.y0);
    io.AddMouseButtonEvent(1, true);
    io.AddMouseButtonEvent(1, false);
    request_frames(4);
}

static EM_BOOL on_touch(int type, const EmscriptenTouchEvent* e, void*) {
    ImGuiIO& io = ImGui::GetIO();
    for (int i = 0; i < e->numTouches; i++) {
        const EmscriptenTouchPoint& t = e->touches[i];
        if (!t.isChanged) continue;
        float x = (float)t.clientX, y = (float)t.clientY;
        if (type == EMSCRIPTEN_EVENT_TOUCHSTART) {
            if (g_touch.id != -1) continue;  // one finger drives the pointer
            g_touch = {t.identifier, x, y, y, x, false, false};
            g_pointer_down = true;
            emscripten_set_timeout(on_long_press, kLongPressMs, (void*)(uintptr_t)++g_touch_seq);
            io.AddMouseSourceEvent(ImGuiMouseSource_TouchScreen);
            io.AddMousePosEvent(x, y);
        } else if (t.identifier == g_touch.id) {
            if (type == EMSCRIPTEN_EVENT_TOUCHMOVE) {
                if (!g_touch.scrolling && !g_touch.long_pressed && std::hypot(x - g_touch.x0, y - g_touch.y0) > kTapSlop)
                    g_touch.scrolling = true;
                if (g_touch.scrolling) {
                    // Content follows the finger: ~75 CSS px per wheel unit (5 lines of 15 px).
                    io.AddMouseSourceEvent(ImGuiMouseSource_TouchScreen);
                    io.AddMousePosEvent(x, y);
                    io.AddMouseWheelEvent((x - g_touch.last_x) / 75.f, (y - g_touch.last_y) / 75.f);
                    g_touch.last_x = x;
                    g_touch.last_y = y;
                }
            } else {  // end or cancel
                if (type == EMSCRIPTEN_EVENT_TOUCHEND && !g_touch.scrolling && !g_touch.long_pressed) {
                    text_input_pointer(g_touch.x0, g_touch.y0);  // inside the tap: the keyboard may open
                    // … or the file picker, which is then the whole tap (see on_mouse).
                    const bool picked = file_picker_pointer(g_touch.x0, g_touch.y0);
                    io.AddMouseSourceEvent(ImGuiMouseSource_TouchScreen);
                    io.AddMousePosEvent(g_touch.x0, g_touch.y0);
                    if (!picked) {
                        io.AddMouseButtonEvent(0, true);
                        io.AddMouseButtonEvent(0, false);
                    }
                }
                io.AddMousePosEvent(-FLT_MAX, -FLT_MAX);  // no hover left behind a finger
                g_touch.id = -1;
                g_pointer_down = false;
            }
        }
    }
    request_frames(4);
    return EM_TRUE;  // no emulated mouse events, no page pan/zoom
}

static EM_BOOL on_resize(int, const EmscriptenUiEvent*, void*) {
    request_frames(2);
    return EM_FALSE;
}


// ---------------------------------------------------------------- misc
void set_title(const std::string& t) { js_set_title(t.c_str()); }
void push_url(const std::string& p) { js_push_url(p.c_str()); }
void history_back() { js_history_back(); }
void open_url(const std::string& u) { js_open_url(u.c_str()); }
void go_url(const std::string& u) { js_go_url(u.c_str()); }
std::string current_path() {
    char* p = js_current_path();
    std::string s(p);
    free(p);
    return s;
}
std::string asset_url(const std::string& name) {
    char* p = js_asset_url(name.c_str());
    std::string s(p);
    free(p);
    return s;
}
void on_popstate(void (*handler)(const char*)) { g_popstate = handler; }
void on_online(void (*handler)()) { g_online = handler; }
std::string browser_languages() {
    char* p = js_languages();
    std::string s(p);
    free(p);
    return s;
}
int utc_offset_minutes() { return js_utc_offset(); }
void set_document_language(const std::string& code) { js_set_lang(code.c_str()); }
void storage_set(const std::string& k, const std::string& v) { js_storage_set(k.c_str(), v.c_str()); }
std::string storage_get(const std::string& k) {
    char* p = js_storage_get(k.c_str());
    std::string s(p);
    free(p);
    return s;
}
void signal_ready() { js_ready(); }
uint64_t random_seed() { return (uint64_t)js_random(); }
double now_ms() { return emscripten_date_now(); }

void set_cursor(int c) {
    static int last = -2;
    if (c == last) return;
    last = c;
    const char* css = "default";
    switch (c) {
        case ImGuiMouseCursor_TextInput: css = "text"; break;
        case ImGuiMouseCursor_Hand: css = "pointer"; break;
        case ImGuiMouseCursor_ResizeNS: css = "ns-resize"; break;
        case ImGuiMouseCursor_ResizeEW: css = "ew-resize"; break;
        case ImGuiMouseCursor_NotAllowed: css = "not-allowed"; break;
        case ImGuiMouseCursor_None: css = "none"; break;
        default: break;
    }
    js_set_cursor(css);
}

static void set_clipboard_text(void*, const char* text) {
    g_clipboard = text ? text : "";
    ++g_clipboard_sets;
    js_write_clipboard(g_clipboard.c_str());
}
static const char* get_clipboard_text(void*) { return g_clipboard.c_str(); }

bool init(FrameFn frame) {
    g_frame = frame;
    EmscriptenWebGLContextAttributes a;
    emscripten_webgl_init_context_attributes(&a);
    a.majorVersion = 2;
    a.minorVersion = 0;
    a.alpha = EM_FALSE;
    a.antialias = EM_FALSE;  // ImGui anti-aliases its own shapes
    a.depth = EM_FALSE;
    a.stencil = EM_FALSE;
    a.preserveDrawingBuffer = EM_TRUE;  // screenshots and idle frames keep the picture
    EMSCRIPTEN_WEBGL_CONTEXT_HANDLE ctx = emscripten_webgl_create_context("#canvas", &a);
    if (ctx <= 0) return false;
    emscripten_webgl_make_context_current(ctx);

    ImGuiIO& io = ImGui::GetIO();
    io.BackendPlatformName = "parley_web";
    io.BackendFlags |= ImGuiBackendFlags_HasMouseCursors;
    io.SetClipboardTextFn = set_clipboard_text;
    io.GetClipboardTextFn = get_clipboard_text;

    const char* canvas = "#canvas";
    emscripten_set_mousedown_callback(canvas, nullptr, EM_TRUE, on_mouse);
    emscripten_set_mouseup_callback(EMSCRIPTEN_EVENT_TARGET_DOCUMENT, nullptr, EM_TRUE, on_mouse);
    emscripten_set_mousemove_callback(EMSCRIPTEN_EVENT_TARGET_DOCUMENT, nullptr, EM_TRUE, on_mouse);
    emscripten_set_mouseleave_callback(canvas, nullptr, EM_TRUE, on_leave);
    emscripten_set_wheel_callback(canvas, nullptr, EM_FALSE, on_wheel);
    emscripten_set_touchstart_callback(canvas, nullptr, EM_FALSE, on_touch);
    emscripten_set_touchmove_callback(canvas, nullptr, EM_FALSE, on_touch);
    emscripten_set_touchend_callback(canvas, nullptr, EM_FALSE, on_touch);
    emscripten_set_touchcancel_callback(canvas, nullptr, EM_FALSE, on_touch);
    emscripten_set_keydown_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_TRUE, on_key);
    emscripten_set_keyup_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_TRUE, on_key);
    emscripten_set_blur_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_TRUE, on_blur);
    emscripten_set_focus_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_TRUE, on_focus);
    emscripten_set_resize_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_FALSE, on_resize);
    js_install();
    js_on_online();
    text_input_init();
    return true;
}

}  // namespace parley::web
