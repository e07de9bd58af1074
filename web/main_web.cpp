// The browser app: owns the state and the ImGui context, draws a frame when asked,
// and carries out the effects that actions ask for.
#include <GLES3/gl3.h>
#include <emscripten/emscripten.h>
#include <emscripten/eventloop.h>
#include <cstdio>
#include <string>
#include <vector>
#include "app/fonts.h"
#include "app/format.h"
#include "app/i18n.h"
#include "app/registry.h"
#include "app/state.h"
#include "app/theme.h"
#include "app/ui.h"
#include "app/ui_thread.h"
#include "backends/imgui_impl_opengl3.h"
#include "imgui.h"
#include "imgui_internal.h"
#include "net/api.h"
#include "web/a11y.h"
#include "web/platform.h"
#include "web/theme_web.h"

using namespace parley;

namespace {
AppState g_state;
std::string g_font_regular, g_font_bold, g_font_symbols;
int g_fonts_pending = 3;
float g_font_dpr = 0;   // devicePixelRatio the atlas was built for; 0 = not built
// Fonts beyond the first load: the CJK font arrives only once CJK text is on screen,
// the emoji font once an emoji is.
std::string g_font_cjk, g_font_emoji;
glyphs::AtlasPlan g_font_plan;
theme::AtlasInfo g_atlas;
int g_atlas_builds = 0;
int g_max_texture = 0;  // GL_MAX_TEXTURE_SIZE: the atlas must fit one texture
double g_last_time = 0;
std::string g_title;
bool g_ready = false;

void run_effects(Effects& fx);

void on_answer(const HttpCall& call, const HttpResult& r) {
    Effects fx;
    action_http_done(g_state, call, r, fx);
    run_effects(fx);
    web::request_frames(2);
}

void run_effects(Effects& fx) {
    for (const HttpCall& c : fx.calls) {
        HttpRequest req;
        req.method = c.method;
        req.path = c.path;
        req.body = c.body;
        req.idempotency_key = c.idempotency_key;
        req.delay_ms = c.delay_ms;
        req.timeout_ms = c.kind == CallKind::Events ? 0 : 30000;
        http_call(req, [c](const HttpResult& r) { on_answer(c, r); });
    }
    fx.calls.clear();
    for (const UploadCall& u : fx.uploads) web::upload_start(u.token, u.path);
    for (int t : fx.upload_aborts) web::upload_abort(t);
    for (int t : fx.upload_forget) web::upload_forget(t);
    fx.uploads.clear();
    fx.upload_aborts.clear();
    fx.upload_forget.clear();
    for (const auto& [key, value] : fx.store) web::storage_set(key, value);
    for (const std::string& key : fx.load) {  // localStorage is synchronous
        Effects more;
        action_loaded(g_state, key, web::storage_get(key), more);
        run_effects(more);
    }
    if (fx.push_url) web::push_url(*fx.push_url);
    if (fx.history_back) web::history_back();
    if (fx.open_url) web::open_url(*fx.open_url);
    if (fx.go_url) web::go_url(*fx.go_url);
    if (fx.timer_ms) {  // the inbox search's quiet time
        emscripten_set_timeout(
            [](void*) {
                Effects more;
                action_timer(g_state, (Millis)web::now_ms(), more);
                run_effects(more);
                web::request_frames(2);
            },
            *fx.timer_ms, nullptr);
        fx.timer_ms.reset();
    }
    if (fx.redraw) web::request_frames(2);
}

void load_font(const char* name, std::string* out) {
    HttpRequest req;
    req.path = web::asset_url(name);
    req.timeout_ms = 30000;
    http_call(req, [out](const HttpResult& r) {
        if (r.status == 200) *out = r.body;  // on failure: the built-in font, still usable
        g_fonts_pending--;
        web::request_frames(2);
    });
}

// Bakes the atlas for this devicePixelRatio with the code points the plan asks for.
// Only between frames: Dear ImGui 1.90 cannot change the atlas inside a frame.
void rebuild_fonts(float dpr) {
    glyphs::GlyphSet likely;  // all text the state holds: scrolling on rarely rebuilds again
    glyphs::collect_glyphs(g_state, likely);
    g_font_plan.prefetch(likely);
    glyphs::GlyphSet covered;
    g_atlas = theme::build_fonts({g_font_regular, g_font_bold, g_font_cjk, g_font_symbols, g_font_emoji}, dpr,
                                 g_font_plan.extra(), g_max_texture, &covered);
    g_font_plan.built(covered);
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
    ImGui::GetIO().Fonts->ClearTexData();  // on the GPU now: free the CPU copy (up to tens of MB)
    g_font_dpr = dpr;
    g_atlas_builds++;
}

void load_lazy_font(glyphs::Lazy which) {
    g_font_plan.fetch_started(which);
    const bool cjk = which == glyphs::Lazy::Cjk;
    HttpRequest req;
    req.path = web::asset_url(cjk ? glyphs::kFontAssets.cjk : glyphs::kFontAssets.emoji);
    req.timeout_ms = 60000;
    http_call(req, [which, cjk](const HttpResult& r) {
        const bool ok = r.status == 200 && !r.body.empty();
        if (ok) (cjk ? g_font_cjk : g_font_emoji) = r.body;
        g_font_plan.fetch_done(which, ok);  // → a rebuild before the next frame
        web::request_frames(2);
    });
}

// After drawing: code points the atlas lacks → fetch a lazy font or rebuild before the
// next frame. True when the frame just drawn would show boxes that a rebuild fixes now.
bool plan_fonts() {
    glyphs::GlyphSet& drawn = glyphs::drawn_this_frame();
    glyphs::collect_open_draft(g_state, drawn);
    g_font_plan.frame_drawn(drawn);
    drawn.clear();
    for (glyphs::Lazy f : {glyphs::Lazy::Cjk, glyphs::Lazy::Emoji})
        if (g_font_plan.want_fetch(f)) load_lazy_font(f);
    if (g_font_plan.want_rebuild()) web::request_frames(1);
    return g_font_plan.want_rebuild();
}

// Files picked, dropped or pasted arrive one by one; the last of a batch hands them
// all to the action (one red message for all the refused ones).
std::vector<PickedFile> g_picked;
void on_file_picked(int token, const char* kind, const char* name, const char* mime, double size, bool last) {
    g_picked.push_back(PickedFile{token, kind, name, mime, (int64_t)size});
    if (!last) return;
    Effects fx;
    action_files_picked(g_state, g_picked, fx);
    g_picked.clear();
    run_effects(fx);
    web::request_frames(2);
}
void on_upload_progress(int token, double loaded, double total) {
    Effects fx;
    action_upload_progress(g_state, token, (int64_t)loaded, (int64_t)total, fx);
    run_effects(fx);
}
void on_upload_done(int token, int status, const char* body) {
    Effects fx;
    action_upload_done(g_state, token, status, body, fx);
    run_effects(fx);
    web::request_frames(2);
}

void on_popstate(const char* path) {
    Effects fx;
    action_popstate(g_state, parse_route(path), fx);
    run_effects(fx);
}

// Dark mode: the device switched between light and dark while the page is open. One
// frame when that changes what shows (a user who chose light or dark sees no change).
void on_system_theme(bool dark) {
    Effects fx;
    action_theme_system(g_state, dark, fx);
    if (fx.redraw) web::request_frames(1);
}

void frame() {
    web::Viewport vp = web::sync_viewport();
    const bool dark = theme_dark(g_state);
    theme::use(dark ? theme::dark() : theme::light());  // also for frames before the fonts arrive
    ImGuiIO& io = ImGui::GetIO();
    const bool fonts_loaded = g_fonts_pending == 0;
    if (fonts_loaded && (vp.dpr != g_font_dpr || g_font_plan.want_rebuild())) {
        // New devicePixelRatio (or first frame): re-rasterise so text stays crisp;
        // new code points on screen: bake them.
        rebuild_fonts(vp.dpr);
    }
    io.DisplaySize = ImVec2(vp.css_w, vp.css_h);
    io.DisplayFramebufferScale = ImVec2(vp.dpr, vp.dpr);
    double t = web::now_ms();
    io.DeltaTime = g_last_time > 0 ? (float)std::min(std::max((t - g_last_time) / 1000.0, 0.001), 0.25) : 1.f / 60.f;
    g_last_time = t;

    ImGui_ImplOpenGL3_NewFrame();
    ImGui::NewFrame();
    reg::begin_frame();
    Effects fx;
    if (g_font_dpr > 0) draw_app(g_state, fx, vp.css_w, vp.css_h, (Millis)t);
    ImGui::Render();
    reg::end_frame();
    const bool boxes = g_font_dpr > 0 && plan_fonts();  // then skip showing it: the next frame is right
    // The history scrolled to keep the reader's place: showing this frame would show the
    // content jump; the next one is right (a few in a row at most, then show anyway).
    static int unsettled_run = 0;
    const bool unsettled = ui_frame_unsettled() && unsettled_run < 3;
    unsettled_run = unsettled ? unsettled_run + 1 : 0;
    if (unsettled) web::request_frames(1);

    if (!boxes && !unsettled) {
        glViewport(0, 0, vp.fb_w, vp.fb_h);
        ImVec4 bg = theme::color(theme::pal().bg);
        glClearColor(bg.x, bg.y, bg.z, 1);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    }
    web::frame_drawn();
    web::text_input_after_frame();
    web::a11y_update();  // the screen-reader mirror follows the registry and focus
    web::set_cursor(ImGui::GetMouseCursor());

    static int page_dark = -1;  // the page around the canvas follows the palette
    if ((int)dark != page_dark) web::set_page_theme((page_dark = dark) != 0);
    static std::string doc_lang;
    if (doc_lang != i18n::language()) web::set_document_language(doc_lang = i18n::language());
    std::string title = window_title(g_state);
    if (title != g_title) web::set_title(g_title = title);
    run_effects(fx);

    if (!g_ready && g_font_dpr > 0 && (g_state.inbox_loaded || !g_state.inbox_error.empty() ||
                                       g_state.route.screen == Screen::SignedOut)) {
        g_ready = true;
        web::signal_ready();
    }
    // Dear ImGui handles queued input one step per frame: draw until it is consumed.
    if (GImGui->InputEventsQueue.Size > 0 || web::input_held()) web::request_frames(1);
}
}  // namespace

// Font probes for the browser tests: boxes drawn ("tofu") and the atlas state.
extern "C" {
EMSCRIPTEN_KEEPALIVE int parley_missing_glyphs() { return (int)g_font_plan.missing(); }
EMSCRIPTEN_KEEPALIVE const char* parley_fonts_json() {
    static const char* kCjk[] = {"absent", "fetching", "loaded", "failed"};
    static char buf[384];
    std::snprintf(buf, sizeof buf,
                  "{\"missing\":%d,\"cjk\":\"%s\",\"cjkFetches\":%d,\"emoji\":\"%s\",\"emojiFetches\":%d,"
                  "\"atlas\":[%d,%d],\"scale\":%g,"
                  "\"oversample\":%d,\"builds\":%d,\"buildMs\":%.1f,\"maxTexture\":%d,\"extra\":%d}",
                  (int)g_font_plan.missing(), kCjk[(int)g_font_plan.cjk()], g_font_plan.fetch_attempts(),
                  kCjk[(int)g_font_plan.state(glyphs::Lazy::Emoji)], g_font_plan.fetch_attempts(glyphs::Lazy::Emoji),
                  g_atlas.width, g_atlas.height, g_atlas.raster_scale, g_atlas.oversample, g_atlas_builds,
                  g_atlas.build_ms, g_max_texture, (int)g_font_plan.extra().size());
    return buf;
}
// Dark mode: the theme chosen, what the device prefers, and the palette shown.
EMSCRIPTEN_KEEPALIVE const char* parley_theme_json() {
    static char buf[160];
    std::snprintf(buf, sizeof buf, "{\"choice\":\"%s\",\"system\":\"%s\",\"palette\":\"%s\",\"saving\":%s,\"error\":%s}",
                  g_state.theme.choice.c_str(), g_state.theme.system_dark ? "dark" : "light", theme::pal().name,
                  g_state.theme.saving ? "true" : "false", g_state.theme.error.empty() ? "false" : "true");
    return buf;
}
// History: scroll the open thread to a message (search results, deep links, tests).
// A message not loaded yet is fetched first (thread pages).
EMSCRIPTEN_KEEPALIVE void parley_history_jump(double message_id) {
    Effects fx;
    action_thread_jump(g_state, (int64_t)message_id, fx);
    run_effects(fx);
    web::request_frames(2);
}
}

// Installed beside the probes that web/platform.cpp puts on window.parley.
EM_JS(void, js_install_font_probes, (), {
    window.parley = window.parley || {};
    window.parley.missingGlyphs = function() { return _parley_missing_glyphs(); };
    window.parley.fonts = function() { return JSON.parse(UTF8ToString(_parley_fonts_json())); };
    window.parley.jumpToMessage = function(id) { _parley_history_jump(id); };
    window.parley.theme = function() { return JSON.parse(UTF8ToString(_parley_theme_json())); };
});

// PDF page previews (app/preview_state.h): decoded pages become WebGL2 textures.
uint64_t create_texture(const unsigned char* rgba, int w, int h) {
    GLuint t = 0;
    glGenTextures(1, &t);
    glBindTexture(GL_TEXTURE_2D, t);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
    return t;
}
void destroy_texture(uint64_t t) {
    GLuint id = static_cast<GLuint>(t);
    glDeleteTextures(1, &id);
}

int main() {
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    reg::install(ImGui::GetCurrentContext());
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // nothing to persist in the browser's (absent) file system
    io.ConfigInputTextCursorBlink = false;  // a blinking caret would redraw forever
    io.ConfigWindowsMoveFromTitleBarOnly = true;
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;  // Tab / arrows / Enter reach every control
    theme::apply_style();
    if (!web::init(frame)) {
        emscripten_log(EM_LOG_ERROR, "WebGL2 is not available");
        return 1;
    }
    ImGui_ImplOpenGL3_Init("#version 300 es");
    glGetIntegerv(GL_MAX_TEXTURE_SIZE, &g_max_texture);
    js_install_font_probes();
    web::on_popstate(on_popstate);
    web::FileHooks hooks;
    hooks.picked = on_file_picked;
    hooks.progress = on_upload_progress;
    hooks.done = on_upload_done;
    web::files_init(hooks);
    web::on_online([] {
        Effects fx;
        action_online(g_state, fx);
        run_effects(fx);
    });
    g_state.key_seed = web::random_seed();
    // Interface language: the one chosen before, else the browser's; local time zone.
    std::string lang = web::storage_get("parley.lang");
    if (lang.empty()) {
        std::vector<std::string> prefs;
        std::string all = web::browser_languages();
        for (size_t a = 0, b; a <= all.size(); a = b + 1) {
            b = all.find(',', a);
            if (b == std::string::npos) b = all.size();
            prefs.push_back(all.substr(a, b - a));
        }
        lang = i18n::pick_language(prefs);
    }
    i18n::set_language(lang);
    set_utc_offset_minutes(web::utc_offset_minutes());
    // Dark mode: the theme last chosen in this browser until the server says the user's;
    // "system" follows the device, now and whenever it switches.
    theme_restore(g_state, web::storage_get(kThemeStorageKey), web::theme_watch(on_system_theme));
    set_texture_hooks({create_texture, destroy_texture});

    load_font(glyphs::kFontAssets.regular, &g_font_regular);
    load_font(glyphs::kFontAssets.bold, &g_font_bold);
    load_font(glyphs::kFontAssets.symbols, &g_font_symbols);  // ✓ ★ ☎: a few KB
    Effects fx;
    action_start(g_state, web::current_path(), fx);
    run_effects(fx);
    // Ages in the inbox ("5 min") change with time: one frame a minute, not 60 a second.
    emscripten_set_interval([](void*) { web::request_frames(1); }, 60000, nullptr);
    web::request_frames(2);
    return 0;
}
