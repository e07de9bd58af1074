// "My sales network" screen (manufacturer) and its entry in the top bar.
#pragma once
#include "app/ui.h"

namespace parley {

void draw_network(UiContext& ui, float width, float height);
// The top bar's "My sales network" button (manufacturers, away from that screen),
// left-aligned at x, vertically centred in the bar. Returns where it ends (x when
// nothing was drawn).
float draw_network_button(UiContext& ui, float x, float bar_y, float bar_height);
// "Leads into your CRM" (ui_crm.cpp): the webhook and Odoo forms with their logs, at
// screen x, w wide, from the cursor down.
void draw_crm(UiContext& ui, float x, float w);
// Names shown for the sales-network roles ("area_manager" → "Area manager").
std::string role_label(const std::string& role);

}  // namespace parley
