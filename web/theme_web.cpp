// Dark mode, the browser's side (see theme_web.h).
#include "web/theme_web.h"
#include <emscripten/emscripten.h>

namespace parley::web {

namespace {
void (*g_changed)(bool) = nullptr;
}

EM_JS(int, js_theme_watch, (), {
    if (!window.matchMedia) return 0;
    var mq = window.matchMedia('(prefers-color-scheme: dark)');
    var changed = function(e) { _parley_system_theme(e.matches ? 1 : 0); };
    if (mq.addEventListener) mq.addEventListener('change', changed);
    else if (mq.addListener) mq.addListener(changed);  // older Safari
    return mq.matches ? 1 : 0;
});

// The attribute drives shell.html's variables (page background, loader, the text
// field's composition overlay, the mirror); theme-color tints the browser's bar like
// the app's top bar.
EM_JS(void, js_set_page_theme, (int dark), {
    var root = document.documentElement;
    root.setAttribute('data-theme', dark ? 'dark' : 'light');
    var panel = getComputedStyle(root).getPropertyValue('--parley-panel').trim();
    document.querySelectorAll('meta[name=theme-color]').forEach(function(m) { if (panel) m.content = panel; });
});

extern "C" EMSCRIPTEN_KEEPALIVE void parley_system_theme(int dark) {
    if (g_changed) g_changed(dark != 0);
}

bool theme_watch(void (*changed)(bool dark)) {
    g_changed = changed;
    return js_theme_watch() != 0;
}

void set_page_theme(bool dark) { js_set_page_theme(dark ? 1 : 0); }

}  // namespace parley::web
