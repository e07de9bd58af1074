// Layout decisions, separate from drawing so they can be unit-tested.
#pragma once
#include "app/state.h"

namespace parley {

constexpr float kTwoPaneMinWidth = 900.f;  // CSS px

struct Layout {
    bool two_panes = false;
    bool show_inbox = true, show_thread = false, show_back = false;
    float inbox_width = 0;  // CSS px, the left pane (or the whole width)
    float gutter = 16;      // outer padding
    float content_max = 760;  // readable line length of the thread column
};

Layout decide_layout(float width, const Route& route);

}  // namespace parley
