// The API's route table (server/http/server.cpp): which endpoint a path under /api/v1 and a
// method name. Pure, so that the router stays short and the table can be read in one place.
#pragma once
#include <string_view>
#include <utility>

namespace parley::server {

enum class Route {
    me, logout, inbox, new_request, detail, messages, read, phone, cc, forward, decline, close, rating,
    events, contacts, network, add_member, update_member, remove_member, upload, attachment,
    attachment_pages, attachment_page, quote_pdf, quote_pdf_pages, quote_pdf_page,
    new_quote, quote, revise_quote, open_quote, accept_quote, pay_quote,
    new_upload, upload_status, upload_chunk, upload_complete, upload_cancel, dev_mailbox,
    retry_delivery, message_original, translation_languages, translations, settings, update_settings, none
};

// The chunked-upload routes: their id is a token, not a number.
bool upload_route(Route r);

// Matches `rest` (the path after /api/v1) and the method: {route, allowed methods for
// a 405}; {none, ""} is a 404. `id_text` gets the path's id segment, if any.
std::pair<Route, const char*> match_api(std::string_view rest, std::string_view method, std::string_view& id_text);

}  // namespace parley::server
