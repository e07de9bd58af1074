// The screen-reader mirror: a visually hidden DOM beside the canvas, built from the
// widget registry (headings, paragraphs, buttons, links, list items, text fields,
// alerts), so assistive technology can read the page and operate it.
#pragma once

namespace parley::web {

// Once per drawn frame, after reg::end_frame(): updates the DOM only when the
// registry's meaning changed, moves DOM focus after ImGui's keyboard focus, and
// finishes activations asked for by the mirror.
void a11y_update();

}  // namespace parley::web
