#include "app/preview_state.h"
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include "app/i18n.h"
#include "app/state.h"

#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#define STBI_NO_STDIO
#include <stb/stb_image.h>

namespace parley {

namespace {
TextureHooks g_hooks;

std::string pages_path(int64_t id) { return "/api/v1/attachments/" + std::to_string(id) + "/pages"; }

void free_textures(PdfPreview& p) {
    for (PreviewPage& pg : p.pages) {
        if (pg.texture && g_hooks.destroy) g_hooks.destroy(pg.texture);
        pg.texture = 0;
    }
}
}  // namespace

void set_texture_hooks(const TextureHooks& h) { g_hooks = h; }
const TextureHooks& texture_hooks() { return g_hooks; }

int preview_request_width(float css_width, float dpr) {
    const float px = css_width * std::max(1.f, dpr);
    int w = static_cast<int>(std::ceil(px / 50.f)) * 50;
    return std::clamp(w, 100, 1600);
}

bool decode_png(const std::string& bytes, PreviewPage& out, std::string* why) {
    int w = 0, h = 0, n = 0;
    unsigned char* px = stbi_load_from_memory(reinterpret_cast<const stbi_uc*>(bytes.data()), static_cast<int>(bytes.size()),
                                              &w, &h, &n, 4);
    if (!px) {
        if (why) *why = stbi_failure_reason() ? stbi_failure_reason() : "not an image";
        return false;
    }
    out.w = w;
    out.h = h;
    out.rgba.assign(px, px + static_cast<size_t>(w) * h * 4);
    stbi_image_free(px);
    return true;
}

void action_preview_open(AppState& s, int64_t id, const std::string& name, Effects& fx) {
    free_textures(s.preview);
    s.preview = PdfPreview{};
    s.preview.attachment_id = id;
    s.preview.name = name;
    s.preview.loading = true;
    sheet_opened(s, fx);
    HttpCall c;
    c.kind = CallKind::PreviewPages;
    c.path = pages_path(id);
    c.request_id = s.route.request_id;
    fx.calls.push_back(c);
    fx.redraw = true;
}

void action_preview_close(AppState& s, Effects& fx) {
    free_textures(s.preview);
    s.preview = PdfPreview{};
    sheet_closed(s, fx);
    fx.redraw = true;
}

void action_preview_toggle_zoom(AppState& s, Effects& fx) {
    s.preview.zoomed = !s.preview.zoomed;
    fx.redraw = true;  // pages come again at the new width as they show
}

void action_preview_need_page(AppState& s, int n, int width, Effects& fx) {
    PdfPreview& p = s.preview;
    if (!p.attachment_id || n < 1 || n > static_cast<int>(p.pages.size())) return;
    PreviewPage& pg = p.pages[static_cast<size_t>(n - 1)];
    // Already there at a width at least as good, or failed: nothing to do.
    if (pg.state == PreviewPage::Failed || pg.state == PreviewPage::Loading) return;
    if (pg.state == PreviewPage::Ready && pg.width >= width) return;
    const int loading = static_cast<int>(std::count_if(p.pages.begin(), p.pages.end(),
                                                       [](const PreviewPage& x) { return x.state == PreviewPage::Loading; }));
    if (loading >= kMaxPreviewLoads) return;  // asked again next frame
    pg.state = PreviewPage::Loading;
    pg.width = width;
    HttpCall c;
    c.kind = CallKind::PreviewImage;
    c.path = pages_path(p.attachment_id) + "/" + std::to_string(n) + "?width=" + std::to_string(width);
    c.request_id = p.attachment_id;
    c.member_id = n;  // the page
    fx.calls.push_back(c);
}

void preview_http_done(AppState& s, const HttpCall& c, const HttpResult& r, Effects& fx) {
    PdfPreview& p = s.preview;
    fx.redraw = true;
    if (c.kind == CallKind::PreviewPages) {
        if (c.path != pages_path(p.attachment_id)) return;  // another preview since
        p.loading = false;
        nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
        if (r.status != 200 || !j.is_object() || !j.contains("sizes") || !j["sizes"].is_array()) {
            p.error = r.status == 200 ? std::string(i18n::tr("Unreadable answer from the server.")) : failure_reason(r);
            return;
        }
        for (const auto& sz : j["sizes"]) {
            float w = 595, h = 842;  // A4 when a size is odd
            if (sz.is_array() && sz.size() == 2 && sz[0].is_number() && sz[1].is_number() && sz[0].get<double>() > 0) {
                w = sz[0].get<float>();
                h = sz[1].get<float>();
            }
            p.aspect.push_back(std::clamp(h / w, 0.1f, 10.f));
        }
        p.truncated = j.value("truncated", false);
        p.pages.assign(p.aspect.size(), PreviewPage{});
        if (p.pages.empty()) p.error = i18n::tr("This PDF has no pages.");
        return;
    }
    // A page image.
    if (c.request_id != p.attachment_id || c.member_id < 1 || c.member_id > static_cast<int64_t>(p.pages.size())) return;
    PreviewPage& pg = p.pages[static_cast<size_t>(c.member_id - 1)];
    PreviewPage fresh;
    fresh.width = pg.width;
    std::string why;
    if (r.status == 200 && decode_png(r.body, fresh, &why)) {
        if (pg.texture && g_hooks.destroy) g_hooks.destroy(pg.texture);  // a sharper one replaces it
        fresh.state = PreviewPage::Ready;
        pg = std::move(fresh);
    } else {
        pg.state = PreviewPage::Failed;
    }
}

}  // namespace parley
