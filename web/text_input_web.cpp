// The hidden <textarea> (a password <input> for secret fields): the browser-side input
// model of the focused text field.
// Phones open their keyboard only for a focused editable element, and only when it
// is focused inside the user's tap; IMEs, autocorrect, predictive text and dictation
// all edit that element. So the textarea mirrors the field's text and selection, and
// whatever the browser does to it comes back to the field as a replacement.
#include <emscripten/emscripten.h>
#include <string>
#include "app/registry.h"
#include "app/text_input.h"
#include "imgui.h"
#include "imgui_internal.h"  // the input queue: has the tap's click been handled?
#include "web/platform.h"

namespace parley::web {

namespace {
uint64_t g_synced_version = 0;
uint32_t g_synced_field = 0;
bool g_composing = false;
uint32_t g_tapped = 0;  // field whose tap focused the textarea, before it is active
int g_tapped_frames = 0;
float g_tap_x = 0, g_tap_y = 0;  // where, from the field's top-left
}  // namespace

EM_JS(void, ti_js_install, (), {
    // Two input models: the textarea for text, a password input for keys and passwords
    // (screen readers speak it as hidden characters, autofill and spell checkers leave it
    // alone); the focused field's kind picks one, the other stays empty.
    var make = function(tag, id) {
        var el = document.createElement(tag);
        el.id = id;
        if (tag === 'input') el.type = 'password';
        el.setAttribute('autocomplete', tag === 'input' ? 'new-password' : 'off');
        el.setAttribute('autocapitalize', tag === 'input' ? 'none' : 'sentences');
        el.setAttribute('spellcheck', tag === 'input' ? 'false' : 'true');
        el.setAttribute('enterkeyhint', 'enter');
        el.setAttribute('aria-label', 'Text field');
        // Invisible but real: opacity 0, not display:none (which could not be focused).
        // 16 px font: iOS zooms the page into smaller inputs.
        el.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:20px;opacity:0;border:0;padding:0;margin:0;' +
            'outline:none;resize:none;overflow:hidden;white-space:pre-wrap;font:16px/20px sans-serif;' +
            'background:transparent;color:transparent;caret-color:transparent;z-index:2;pointer-events:none;';
        document.body.appendChild(el);
        var cp = function(s, utf16) { return Array.from(s.slice(0, utf16)).length; };
        var send = function() {
            var v = el.value, n = lengthBytesUTF8(v) + 1, p = _malloc(n);
            stringToUTF8(v, p, n);
            _parley_ti_edit(p, cp(v, el.selectionStart), cp(v, el.selectionEnd));
            _free(p);
        };
        el.addEventListener('input', function(e) { if (!e.isComposing) send(); });
        // Caret moves made by the browser (e.g. a phone's caret drag) come back too.
        document.addEventListener('selectionchange', function() {
            if (document.activeElement === el && !Module.parleyComposing) send();
        });
        el.addEventListener('compositionstart', function() {
            Module.parleyComposing = true;
            _parley_ti_composing(1);
            // Show the text being composed at the caret, over the canvas, in the theme's
            // colours (shell.html: #parley-input.composing, light or dark).
            el.classList.add('composing');
        });
        el.addEventListener('compositionend', function() {
            Module.parleyComposing = false;
            _parley_ti_composing(0);
            el.classList.remove('composing');
            send();
        });
        return el;
    };
    Module.parleyText = make('textarea', 'parley-input');
    Module.parleySecret = make('input', 'parley-secret');
    Module.parleyTextarea = Module.parleyText;  // the one in use
    // Switches to the model for a secret field or a text field; the other is emptied (a
    // key never stays in the page once its field is left).
    Module.parleyUse = function(secret) {
        var el = secret ? Module.parleySecret : Module.parleyText;
        if (Module.parleyTextarea === el) return el;
        var was = Module.parleyTextarea, focused = document.activeElement === was;
        Module.parleyTextarea = el;
        el.value = '';  // the caller sets the field's text
        was.value = '';
        if (focused) el.focus({preventScroll: true});
        return el;
    };
});

// Focus inside the tap, starting from the field's text with the caret at its end.
EM_JS(void, ti_js_focus_with, (const char* text, bool secret), {
    var switched = Module.parleyTextarea !== (secret ? Module.parleySecret : Module.parleyText);
    var ta = Module.parleyUse(secret);
    var v = UTF8ToString(text);
    if (switched || document.activeElement !== ta) {
        ta.value = v;
        ta.focus({preventScroll: true});
        ta.setSelectionRange(ta.value.length, ta.value.length);
    }
});

EM_JS(bool, ti_js_focused, (), {
    var a = document.activeElement;
    return a === Module.parleyText || a === Module.parleySecret;
});

EM_JS(void, ti_js_focus, (bool on), {
    var ta = Module.parleyTextarea;
    if (on) { if (document.activeElement !== ta) ta.focus({preventScroll: true}); }
    else {
        if (document.activeElement === ta) document.getElementById('canvas').focus({preventScroll: true});
        Module.parleySecret.value = '';
    }
});

// Mirrors the field: value and selection (code points → UTF-16), position at the caret.
EM_JS(void, ti_js_sync, (const char* text, int a, int b, bool set_value, float cx, float cy, float lh, float right,
                         const char* label, bool secret), {
    var switched = Module.parleyTextarea !== (secret ? Module.parleySecret : Module.parleyText);
    var ta = Module.parleyUse(secret);
    if (set_value || switched) {
        var v = UTF8ToString(text);
        if (ta.value !== v) ta.value = v;
        var chars = Array.from(ta.value);
        var u = function(i) { return chars.slice(0, i).join("").length; };
        var s = u(a), e = u(b);
        if (ta.selectionStart !== s || ta.selectionEnd !== e) ta.setSelectionRange(s, e);
    }
    ta.style.left = cx + 'px';
    ta.style.top = cy + 'px';
    ta.style.height = Math.max(20, lh) + 'px';
    ta.style.width = Math.max(40, right - cx) + 'px';
    ta.setAttribute('aria-label', UTF8ToString(label));
});

extern "C" {
EMSCRIPTEN_KEEPALIVE void parley_ti_edit(const char* text, int a, int b) {
    TextInputState& ti = text_input();
    TextReplacement& r = pending_replacement();
    if (!ti.active) {
        // Typed between the tap and the frame that activates the field: keep it for
        // that field rather than lose it.
        if (!g_tapped) return;
        r.field = g_tapped;
        r.text = text;
        r.sel_start = a;
        r.sel_end = b;
        r.pending = true;
        request_frames(3);
        return;
    }
    r.field = ti.field;
    r.text = text;
    r.sel_start = a;
    r.sel_end = b;
    r.pending = r.text != ti.text || a != ti.sel_start || b != ti.sel_end;
    if (r.pending) {
        draw_now();  // apply it before the next key: keeps field and textarea in step
        request_frames(2);
    }
}
EMSCRIPTEN_KEEPALIVE void parley_ti_composing(int on) {
    g_composing = on != 0;
    request_frames(2);
}
}

void text_input_init() { ti_js_install(); }
bool text_input_focused() { return ti_js_focused(); }

// An open popup (a menu over the page, such as the language menu) takes the taps on it,
// whatever field lies under it.
static bool over_popup(float x, float y) {
    for (const ImGuiPopupData& p : GImGui->OpenPopupStack)
        if (p.Window && p.Window->WasActive && p.Window->Rect().Contains(ImVec2(x, y))) return true;
    return false;
}

void text_input_pointer(float x, float y) {
    // Hit-test the last frame's widgets: the keyboard must open inside this very
    // event, a frame later the phone refuses it.
    if (over_popup(x, y)) {
        g_tapped = 0;
        return;
    }
    for (const reg::Widget& w : reg::widgets()) {
        if (w.kind == "input" && !w.disabled && x >= w.x && x < w.x + w.w && y >= w.y && y < w.y + w.h) {
            auto it = text_input().drawn.find(w.id);
            ti_js_focus_with(it != text_input().drawn.end() ? it->second.c_str() : "",
                             text_input().drawn_secret.count(w.id) > 0);
            g_tapped = w.id;
            g_tapped_frames = 0;
            g_tap_x = x - w.x;
            g_tap_y = y - w.y;
            return;
        }
    }
    g_tapped = 0;  // a tap elsewhere: an earlier one is overtaken
}

void text_input_after_frame() {
    TextInputState& ti = text_input();
    if (ti.active && ti.field == g_tapped) g_tapped = 0;  // the tapped field has it
    if (!ti.active) {
        // Tapped: the field activates within a frame or two (press, then release).
        if (g_tapped && ++g_tapped_frames < 10) {
            // Every queued event is handled and the click did not activate it: the page
            // shrank or moved under the finger first (a phone keyboard opening), so the
            // click landed elsewhere. The field activates itself, where it is now.
            if (GImGui->InputEventsQueue.Size == 0 && ti.tapped == 0) {
                ti.tapped = g_tapped;
                ti.tap_x = g_tap_x;
                ti.tap_y = g_tap_y;
                request_frames(2);
            }
            return;
        }
        g_tapped = 0;
        ti.tapped = 0;  // never drawn: forget the tap
        // The field was left: close the keyboard, and forget a key it held.
        if (ti_js_focused() || g_synced_field) ti_js_focus(false);
        g_synced_field = 0;
        return;
    }
    // Another field was tapped and its input model focused: this one is being left, and
    // must not take the model back (a key field would swap the password input in again).
    if (g_tapped) {
        if (++g_tapped_frames < 10) return;
        g_tapped = 0;  // the tap never reached it
    }
    // A field became active without a tap (keyboard navigation): give it the textarea.
    if (!ti_js_focused()) ti_js_focus(true);
    const bool set_value = !g_composing && (ti.version != g_synced_version || ti.field != g_synced_field);
    std::string label;
    for (const reg::Widget& w : reg::widgets())
        if (w.id == ti.field) label = w.label;
    ti_js_sync(ti.text.c_str(), ti.sel_start, ti.sel_end, set_value, ti.caret_x, ti.caret_y, ti.line_height,
               ti.x + ti.w, label.c_str(), ti.secret);
    g_synced_version = ti.version;
    g_synced_field = ti.field;
}

}  // namespace parley::web
