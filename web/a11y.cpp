// The screen-reader mirror (see a11y.h). The registry's widgets become plain HTML in
// #a11y, a container that is clipped to nothing and ignores the pointer: assistive
// technology reads it, the eye and the mouse never meet it.
//
// Focus strategy: when ImGui's keyboard focus (Tab, arrows; the focus ring) lands on
// a button, link or list item, DOM focus moves to its mirror element, so a screen
// reader announces it. Keys keep working because the platform listens on window.
// DOM focus is only taken from the canvas, the page or the mirror itself: never from
// the hidden textarea of an active text field (that would close a phone's keyboard),
// and text fields are never followed (their textarea is what AT should read).
// The other way round, an element focused by AT moves ImGui's focus to its widget;
// clicking or pressing Enter/Space on it clicks the widget in ImGui.
#include "web/a11y.h"
#include <cfloat>
#include <cstdint>
#include <emscripten/emscripten.h>
#include "app/registry.h"
#include "imgui.h"
#include "web/platform.h"

namespace parley::web {

namespace {
bool g_installed = false;
uint32_t g_hash = 0;       // reg::mirror_hash() of what the page shows
bool g_shown = false;
uint32_t g_nav = 0;        // widget with ImGui's keyboard focus, last frame
bool g_follow = false;     // DOM focus still has to follow g_nav
uint32_t g_click = 0;      // activation waiting for its widget to scroll into view
int g_click_tries = 0;
}  // namespace

// ---------------------------------------------------------------- JS side
EM_JS(void, js_a11y_install, (), {
    var root = document.getElementById("a11y");
    if (!root) {
        root = document.createElement("div");
        root.id = "a11y";
        document.body.appendChild(root);
    }
    var canvas = document.getElementById("canvas");
    // ours: focus moves made by this code, which must not echo back to ImGui.
    var A = { root: root, els: new Map(), ours: false, nav: 0, swallow: null };
    window.parley = window.parley || {};
    window.parley.a11y = A;
    // The app's child windows as landmarks; the rest (top bar) is the banner.
    var LANDMARKS = { inbox: "nav", thread: "main", network: "main" };
    var ATTRS = ["id", "data-id", "role", "type", "href", "target", "rel", "tabindex", "aria-label",
                 "aria-labelledby", "aria-multiline", "aria-checked", "aria-disabled", "aria-modal",
                 "aria-invalid"];
    // Links in messages register their URL as their text.
    var isUrl = function(s) { return s.indexOf("https://") === 0 || s.indexOf("http://") === 0; };

    var focusQuietly = function(el) {
        A.ours = true;
        el.focus({ preventScroll: true });
        A.ours = false;
    };
    var actionable = function(e) {
        var el = e.target && e.target.closest ? e.target.closest("a,button,[role=textbox],[role=checkbox],[role=radio]") : null;
        return el && root.contains(el) && el.dataset.id ? el : null;
    };
    var isPress = function(e) { return (e.key === "Enter" || e.key === " ") && !e.altKey && !e.ctrlKey && !e.metaKey; };

    // AT's default action (and Playwright's dispatchEvent) arrive as clicks. Links to
    // other sites open natively: inside the user's gesture, so no popup blocker.
    root.addEventListener("click", function(e) {
        var el = actionable(e);
        if (!el || el.target === "_blank") return;
        e.preventDefault();
        _parley_a11y_activate(Number(el.dataset.id));
    });
    // Enter/Space on a mirror element: a click on its widget, unless ImGui's own focus is
    // on that widget already; then the key goes on to ImGui, which keeps its focus ring.
    root.addEventListener("keydown", function(e) {
        var el = actionable(e);
        if (!el || !isPress(e) || Number(el.dataset.id) === A.nav) return;
        e.preventDefault();  // the platform would swallow Enter anyway: act here
        e.stopPropagation();
        if (el.target === "_blank") {
            if (e.key === "Enter") window.open(el.href, "_blank", "noopener");
            return;
        }
        A.swallow = e.key;
        if (!e.repeat) _parley_a11y_activate(Number(el.dataset.id));
    });
    root.addEventListener("keyup", function(e) {
        if (e.key !== A.swallow) return;
        A.swallow = null;
        e.preventDefault();
        e.stopPropagation();
    });
    root.addEventListener("focusin", function(e) {
        if (A.ours) return;
        var el = actionable(e);
        if (!el) return;
        var id = Number(el.dataset.id);
        // A text field reached by AT gets activated: the app's textarea takes over from here.
        if (el.getAttribute("role") === "textbox") _parley_a11y_activate(id);
        else _parley_a11y_focus(id);
    });
    // A pointer on the canvas ends keyboard mode: Enter must not then press the mirror
    // element that still holds DOM focus.
    canvas.addEventListener("pointerdown", function() {
        if (root.contains(document.activeElement)) focusQuietly(canvas);
    }, true);

    var leaf = function(w, inRow) {
        var a = { id: "a11y-" + w.id, "data-id": String(w.id) };
        var n = { key: "w" + w.id, tag: inRow ? "div" : "p", text: w.label, attrs: a };
        switch (w.kind) {
            case "heading": n.tag = "h" + (w.level || 2); break;
            case "alert": a.role = "alert"; break;
            case "progressbar": a.role = "progressbar"; a["aria-label"] = w.label; break;
            case "button": case "tree": n.tag = "button"; a.type = "button"; break;
            case "link": case "listitem":
                var href = w.href || (w.kind === "link" && isUrl(w.label) ? w.label : "");
                if (!href) { n.tag = "button"; a.type = "button"; break; }
                n.tag = "a";
                a.href = href;
                if (isUrl(href) && href.indexOf(location.origin + "/") !== 0) { a.target = "_blank"; a.rel = "noopener"; }
                break;
            case "input":
                n.tag = "div"; a.role = "textbox"; a.tabindex = "-1"; a["aria-label"] = w.label;
                a["aria-multiline"] = w.multiline ? "true" : "false";
                if (w.invalid) a["aria-invalid"] = "true";
                n.text = w.value || "";
                break;
            case "checkbox": case "radio":
                n.tag = "div"; a.role = w.kind; a.tabindex = "-1"; a["aria-checked"] = w.checked ? "true" : "false";
                break;
        }
        if (w.disabled) a["aria-disabled"] = "true";
        return n;
    };
    // A row: its link, then the details drawn inside it that its name does not say already.
    var row = function(w, inside) {
        var children = [leaf(w)];
        inside.forEach(function(k) { if (w.label.indexOf(k.label) < 0) children.push(leaf(k, true)); });
        return { key: "li" + w.id, tag: "li", attrs: {}, children: children };
    };

    // Brings parent's children in line with nodes, reusing elements by key so AT's
    // position and DOM focus survive updates; elements move only when their place changed.
    var reconcile = function(parent, nodes, seen) {
        var want = new Set(nodes.map(function(n) { return n.key; }));
        Array.from(parent.children).forEach(function(c) { if (!want.has(c.a11yKey)) c.remove(); });
        nodes.forEach(function(n, i) {
            var el = A.els.get(n.key);
            if (!el || el.localName !== n.tag) {
                var fresh = document.createElement(n.tag);
                fresh.a11yKey = n.key;
                if (el) el.remove();
                el = fresh;
                A.els.set(n.key, el);
            }
            seen.add(n.key);
            ATTRS.forEach(function(k) {
                var v = n.attrs[k];
                if (v === undefined || v === null) { if (el.hasAttribute(k)) el.removeAttribute(k); }
                else if (el.getAttribute(k) !== v) el.setAttribute(k, v);
            });
            if (n.children) reconcile(el, n.children, seen);
            else if (el.textContent !== n.text) el.textContent = n.text;
            var at = parent.children[i];
            if (at !== el) {
                var active = document.activeElement;
                var had = el.contains(active);
                parent.insertBefore(el, at || null);
                if (had && document.activeElement !== active) focusQuietly(active);
            }
        });
    };

    A.render = function(json) {
        var items = JSON.parse(json);
        var byId = new Map(), kids = new Map(), regions = [], regionOf = new Map();
        items.forEach(function(w) { byId.set(w.id, w); });
        items.forEach(function(w) {
            if (w.parent && byId.has(w.parent)) {
                if (!kids.has(w.parent)) kids.set(w.parent, []);
                kids.get(w.parent).push(w);
                return;
            }
            var r = regionOf.get(w.region);
            if (!r) { r = { name: w.region, items: [] }; regionOf.set(w.region, r); regions.push(r); }
            r.items.push(w);
        });
        var hasMain = regions.some(function(r) { return LANDMARKS[r.name] === "main"; });
        var tree = regions.map(function(r) {
            // A modal dialog or sheet: role=dialog, named by its first heading.
            var dialog = r.name.indexOf("dialog:") === 0;
            var tag = dialog ? "div" : LANDMARKS[r.name] || (hasMain ? "header" : "main");
            var heading = r.items.find(function(w) { return w.kind === "heading"; });
            var children = [], list = null, lists = 0;
            r.items.forEach(function(w) {
                if (w.kind !== "listitem") { list = null; children.push(leaf(w)); return; }
                if (!list) {
                    list = { key: "ul:" + r.name + ":" + lists++, tag: "ul", attrs: {}, children: [] };
                    children.push(list);
                }
                list.children.push(row(w, kids.get(w.id) || []));
            });
            var attrs = { "aria-labelledby": (tag === "nav" || dialog) && heading ? "a11y-" + heading.id : null };
            if (dialog) { attrs.role = "dialog"; attrs["aria-modal"] = "true"; }
            return { key: "r:" + r.name, tag: tag, attrs: attrs, children: children };
        });
        var seen = new Set();
        reconcile(root, tree, seen);
        A.els.forEach(function(el, key) { if (!seen.has(key)) A.els.delete(key); });
    };

    // 1: done (or nothing to do); 0: not now, the DOM focus belongs to someone else.
    A.follow = function(id) {
        A.nav = id;
        if (!id) return 1;
        var el = A.els.get("w" + id), act = document.activeElement;
        if (!el || act === el) return 1;
        if (act && act !== document.body && act !== canvas && !root.contains(act)) return 0;
        focusQuietly(el);
        return 1;
    };
});

EM_JS(void, js_a11y_render, (const char* json), { window.parley.a11y.render(UTF8ToString(json)); });
EM_JS(int, js_a11y_follow, (uint32_t id), { return window.parley.a11y.follow(id >>> 0); });

// ---------------------------------------------------------------- activation
static const reg::Widget* find(uint32_t id) {
    for (const reg::Widget& w : reg::all_widgets())
        if (w.id == id) return &w;
    return nullptr;
}

// A real click at the widget's centre: the app does exactly what a mouse would make it do.
static void click(const reg::Widget& w) {
    const float x = w.x + w.w / 2, y = w.y + w.h / 2;
    // Inside the AT's click or key event, like a tap: the textarea may open the keyboard.
    if (w.kind == "input") text_input_pointer(x, y);
    // "Quote" / "Other documents": the file picker, inside this event, is the whole click.
    if (file_picker_pointer(x, y)) return;
    ImGuiIO& io = ImGui::GetIO();
    io.AddMouseSourceEvent(ImGuiMouseSource_Mouse);
    io.AddMousePosEvent(x, y);
    io.AddMouseButtonEvent(0, true);
    io.AddMouseButtonEvent(0, false);
    io.AddMousePosEvent(-FLT_MAX, -FLT_MAX);  // no hover left behind
}

static void try_click() {
    const reg::Widget* w = find(g_click);
    if (!w || w->disabled || --g_click_tries < 0) {
        g_click = 0;
        return;
    }
    if (w->visible) {
        click(*w);
        g_click = 0;
    } else {
        reg::request_focus(g_click);  // next frame: in view, ImGui's focus; then the click
    }
    request_frames(3);
}

extern "C" {
EMSCRIPTEN_KEEPALIVE void parley_a11y_activate(uint32_t id) {
    g_click = id;
    g_click_tries = 10;
    try_click();
}
EMSCRIPTEN_KEEPALIVE void parley_a11y_focus(uint32_t id) {
    reg::request_focus(id);
    request_frames(2);
}
}

void a11y_update() {
    if (!g_installed) {
        js_a11y_install();
        g_installed = true;
    }
    const uint32_t hash = reg::mirror_hash();
    if (hash != g_hash || !g_shown) {
        g_hash = hash;
        g_shown = true;
        js_a11y_render(reg::mirror_json().c_str());
    }
    uint32_t nav = 0;
    for (const reg::Widget& w : reg::all_widgets())
        if (w.nav_focus && w.kind != "input") nav = w.id;
    if (nav != g_nav) {
        g_nav = nav;
        g_follow = true;
    }
    if (g_follow) g_follow = !js_a11y_follow(nav);
    if (g_click) try_click();
}

}  // namespace parley::web
