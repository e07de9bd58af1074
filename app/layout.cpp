#include "app/layout.h"
#include <algorithm>

namespace parley {

Layout decide_layout(float width, const Route& route) {
    Layout l;
    l.two_panes = width >= kTwoPaneMinWidth;
    l.gutter = width < 480 ? 12.f : 20.f;
    const bool on_request = route.screen == Screen::Request;
    if (route.screen == Screen::Network) {  // a page of its own at every width, with a way back
        l.two_panes = false;
        l.inbox_width = width;
        l.show_inbox = false;
        l.show_back = true;
        return l;
    }
    if (l.two_panes) {
        l.inbox_width = std::clamp(width * 0.34f, 320.f, 440.f);
        l.show_inbox = true;
        l.show_thread = true;  // right pane shows the request or a "choose a request" hint
        l.show_back = false;
    } else {
        l.inbox_width = width;
        l.show_inbox = !on_request;
        l.show_thread = on_request;
        l.show_back = on_request;
    }
    return l;
}

}  // namespace parley
