// Dark mode, the browser's side: the device's colour preference (the media query
// prefers-color-scheme, read at start and followed while the page is open) and the
// page around the canvas (its theme attribute, CSS colour-scheme, the browser's
// theme-color), so that the HTML matches the palette the app draws with.
#pragma once

namespace parley::web {

// Starts following prefers-color-scheme: `changed` runs (on the main thread) each time
// the device switches. Returns whether it prefers dark now.
bool theme_watch(void (*changed)(bool dark));
// The page shows this theme (<html data-theme>, shell.html's CSS variables follow).
void set_page_theme(bool dark);

}  // namespace parley::web
