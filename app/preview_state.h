// Page previews of an uploaded PDF (also the quote viewer for PDF quotes): the
// server renders pages to PNG (GET /api/v1/attachments/{id}/pages[/{n}?width=W]);
// the client decodes them with stb_image and shows them as textures, fetching only
// the pages that come on screen. Pure logic like state.h; textures are made through
// hooks the platform sets (WebGL in the browser, none in native tests).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace parley {

struct AppState;
struct Effects;
struct HttpCall;
struct HttpResult;

struct PreviewPage {
    enum State { None, Loading, Ready, Failed } state = None;
    int width = 0;                 // pixel width asked for
    int w = 0, h = 0;              // decoded size
    std::vector<unsigned char> rgba;  // decoded, until the UI turns it into a texture
    uint64_t texture = 0;          // platform texture (0: none yet)
};

struct PdfPreview {
    int64_t attachment_id = 0;     // 0: closed
    std::string name;
    bool loading = false;          // the page list is on its way
    std::string error;
    std::vector<float> aspect;     // height / width of each page (points)
    bool truncated = false;        // more pages than the server previews
    std::vector<PreviewPage> pages;
    bool zoomed = false;           // "tap to enlarge": pages at twice the width
};

constexpr int kMaxPreviewLoads = 2;  // pages fetched at once

// Texture hooks: create from RGBA8 pixels, destroy. Unset (native tests): no textures.
struct TextureHooks {
    uint64_t (*create)(const unsigned char* rgba, int w, int h) = nullptr;
    void (*destroy)(uint64_t texture) = nullptr;
};
void set_texture_hooks(const TextureHooks&);
const TextureHooks& texture_hooks();

// The pixel width to ask for: the shown width in device pixels, rounded up to a
// multiple of 50 (the server caches those), 100..1600.
int preview_request_width(float css_width, float device_pixel_ratio);

void action_preview_open(AppState&, int64_t attachment_id, const std::string& name, Effects&);
void action_preview_close(AppState&, Effects&);
void action_preview_toggle_zoom(AppState&, Effects&);
// Page n (from 1) is on screen at this pixel width: fetch it if it is not there yet.
void action_preview_need_page(AppState&, int n, int width, Effects&);
void preview_http_done(AppState&, const HttpCall&, const HttpResult&, Effects&);
// Decodes a PNG into rgba; false (with why) when it is not one.
bool decode_png(const std::string& bytes, PreviewPage& out, std::string* why);

}  // namespace parley
