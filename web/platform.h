// The browser platform layer: the only code that talks to html5.h / EM_JS.
// Canvas and WebGL2 context, devicePixelRatio, input (mouse, wheel, touch, keys),
// clipboard, history, title, cursor, and frames drawn on demand only.
#pragma once
#include <cstdint>
#include <string>

namespace parley::web {

struct Viewport {
    float css_w = 0, css_h = 0;  // layout size in CSS pixels
    float dpr = 1;               // device pixels per CSS pixel
    int fb_w = 0, fb_h = 0;      // canvas backing store in device pixels
};

using FrameFn = void (*)();

// Creates the WebGL2 context on #canvas, installs the input callbacks (they feed
// Dear ImGui's IO, so the ImGui context must exist) and window.parley for tests.
bool init(FrameFn frame);

void request_frames(int n);  // draw n more frames (soon, on requestAnimationFrame)
void draw_now();             // draw a frame right away (inside an event handler)
Viewport sync_viewport();    // reads size/dpr, resizes the backing store if needed
bool input_held();           // a key or a pointer is down: keep drawing while held
void frame_drawn();          // counts frames for window.parley.frames()

void set_title(const std::string& title);
void push_url(const std::string& path);
void history_back();  // history.back(): leaves a full-screen sheet's own entry
void open_url(const std::string& url);  // a link: new tab, no access back to us
void go_url(const std::string& url);    // leave this page for that one (same tab): a payment checkout
std::string current_path();
void on_popstate(void (*handler)(const char* path));
void set_cursor(int imgui_cursor);
void signal_ready();  // the first real frame is up: hide the page's loading bar
uint64_t random_seed();

// Hidden textarea for soft keyboards and IMEs (text_input_web.cpp).
void text_input_init();
bool text_input_focused();
void text_input_pointer(float x, float y);  // inside a tap/click: focus if on a text field
void text_input_after_frame();              // mirror the active field into the textarea

// localStorage (drafts); online/offline.
void storage_set(const std::string& key, const std::string& value);
std::string storage_get(const std::string& key);
void on_online(void (*handler)());

// Locale: navigator.languages ("es-ES,es,en"), minutes east of UTC, <html lang>.
std::string browser_languages();
int utc_offset_minutes();
void set_document_language(const std::string& code);
std::string asset_url(const std::string& name);  // hashed URL from the page's manifest
double now_ms();      // wall clock, Unix ms

// Files for "Attach a document": a hidden <input type=file>, drag-and-drop and pasted
// files; the File objects stay in JS (by token) and go up with XMLHttpRequest.
struct FileHooks {
    void (*picked)(int token, const char* kind, const char* name, const char* mime, double size, bool last) = nullptr;
    void (*progress)(int token, double loaded, double total) = nullptr;
    void (*done)(int token, int status, const char* body) = nullptr;  // status 0: network error
};
void files_init(const FileHooks& hooks);
bool file_picker_pointer(float x, float y);  // inside a tap/click: on a picker button → open the picker
void file_picker_key();                      // Enter/Space on a focused picker button
void upload_start(int token, const std::string& path);
void upload_abort(int token);
void upload_forget(int token);

}  // namespace parley::web
