#include "app/text_input.h"

namespace parley {

TextInputState& text_input() {
    static TextInputState s;
    return s;
}

TextReplacement& pending_replacement() {
    static TextReplacement r;
    return r;
}

}  // namespace parley
