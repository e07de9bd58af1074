// Every English string of the interface: the keys of the language tables
// (strings_<code>.cpp). A string the code passes to tr()/trf() is listed here; one passed
// to trn() is a counted phrase, listed with its two English forms.
#include "app/i18n/tables.h"

namespace parley::i18n {

const std::vector<const char*>& english_keys() {
    static const std::vector<const char*> k = {
        // Inbox, thread, composer, languages (ui.cpp, ui_inbox.cpp, ui_thread.cpp, ui_history.cpp, state.cpp, format.cpp)
        "Requests", "Loading requests…", "No requests yet.", "Choose a request",
        "Pick a buyer's request on the left to read it and reply.",
        "Pick one of your requests on the left to read the answers and reply.", "Your request, sent {0}", "Loading the request…", "Reply to {0}",
        "Write your reply", "Write your reply…", "Ctrl+Enter to send", "Send", "Sending…", "History",
        "No replies yet. Be the first to answer this buyer.", "Request received {0}", "written in {0}", "Buyer",
        "Manufacturer", "Copy", "Copy message", "Inbox", "Sign in to Parley",
        "Open the sign-in link from your e-mail to see your requests. Links are personal: do not forward them.",
        "No connection: your reply waits in the outbox and goes out by itself.", "Write a message before sending.",
        "Not sent: {0}", "No connection to the server. Your text is kept; try again.",
        "This request does not exist or is not visible to you.", "The message is too long ({0} of {1} bytes).",
        "Language", "(unread)", "now", "{0} min", "{0} h", "{0} d", "Spanish", "English", "French", "German",
        "Italian", "Portuguese", "Russian", "Chinese", "Japanese",
        // Sales network and inbox status (ui_network.cpp, ui_inbox.cpp)
        "My sales network", "Network", "Add member", "Adding…", "New sales-network member", "Name",
        "First and last name", "Company", "Company name", "E-mail", "Role", "Area manager", "Distributor",
        "Colleague", "Zones (country codes)", "Zones of {0}", "Zones: {0}", "No zones yet",
        "Two-letter country codes, separated by commas (e.g. ES, PT).",
        "\"{0}\" is not a two-letter country code (e.g. ES, PT).", "Auto-CC", "Auto-CC for {0}",
        "Gets a copy of every request sent to your area managers and distributors.", "Edit zones",
        "Edit zones for {0}", "Save zones", "Save zones of {0}", "Remove", "Remove {0}",
        "Remove {0} from your sales network?", "Yes, remove", "Cancel", "Try again",
        "Area managers and distributors answer the requests from the countries of their zones. Members with auto-CC "
        "get a copy of every request sent to the network.",
        "No members yet. Add your area managers and distributors.", "Loading your sales network…",
        "Only the manufacturer manages the sales network.", "Enter the member's name.",
        "Enter the member's e-mail address.", "Not saved: {0}", "Not removed: {0}", "{0} to answer",
        "Response rate {0}%", "Response rate —", "Median first response {0}", "To answer", "All", "Answered",
        "Declined", "Won", "Lost", "Open", "Handled by {0}", "Nothing to answer right now.",
        // Negotiation workflow: phone, actions, dialogs, history events, rating (ui_actions.cpp, ui_history.cpp, workflow_state.cpp)
        "Show number", "Showing…", "Forward", "CC", "Decline", "Close sale", "Mark lost", "Forward this request",
        "Forward request", "They receive the request and can answer the buyer, with your rights.",
        "Put someone in copy", "Add to copy",
        "They receive a copy of this conversation and can reply, with your rights.", "Choose a contact",
        "Loading contacts…", "No contacts yet.", "Or an e-mail address", "E-mail address", "Note (optional)",
        "Add a note for them…", "Decline this request", "Decline request",
        "The buyer is told politely. Declining here does not lower your response rate.", "Not my product",
        "Cannot deliver to that country", "Quantity too small", "Other", "Reason", "Say why in a few words…",
        "Close this request", "Record how the request ended.", "Won: the sale is closed", "Lost: no sale",
        "Save outcome", "Pick a contact or type an e-mail address.", "This e-mail address does not look right.",
        "The note is too long.", "Choose a reason.", "Say why in a few words.", "The text is too long.",
        "Choose won or lost.", "Choose 1 to 5 stars.", "The comment is too long.",
        "Unreadable answer from the server.", "Handled by", "More", "More actions", "Rate this conversation",
        "How was the service of {0}?", "Comment (optional)", "Send rating", "Your rating of {0}", "Buyer's rating",
        "In copy: {0}", "Sale closed", "Outside contact", "No replies yet.", "✓ Sent", "✓✓ Read", "✓✓ Read {0}",
        "{0} revealed the phone number", "{0} was put in copy by {1}", "Forwarded to {0} by {1}", "Declined by {0}",
        "Declined by {0}: {1}", "{0} cannot take on this request", "Routed to {0} (sales network for {1})",
        "Routed to {0} (distributor for {1})", "Routed to {0} (area manager for {1})",
        "The sales network answered the buyer", "{0} answered the buyer", "Sale closed by {0}", "Marked lost by {0}",
        "Rated {0}", "Reopened by {0}", "Quote {0} (version {1}) sent by {2}",
        "Quote {0} superseded by a new version", "{0} opened quote {1}", "Quote accepted by {0}",
        // Attach a document (ui_attach.cpp, attach.cpp)
        "Attach a document", "Quote", "Other documents", "Cancel upload {0}", "Uploading {0}: {1}%",
        "{0}: a quote must be a PDF", "{0}: this type is not accepted ({1})", "{0} is {1}; the limit is {2}",
        "{0} is empty", "{0}: at most {1} documents per message", "Upload failed: no connection to the server.",
        "Wait until the documents are uploaded.",
        // Structured quotes (ui_quote.cpp, ui_quote_editor.cpp, quote_state.cpp)
        "Sent", "Opened by the buyer", "Accepted", "Paid", "Superseded", "Expired",
        "Some fields need attention (in red).", "Type your full name to accept.", "Quote {0}", "version {0}",
        "View quote", "View quote {0} version {1}", "Ref. {0}", "Product", "Quantity", "Unit price", "Disc.", "Net",
        "Close", "Sent {0}", "Expired: it was valid until {0}", "Valid until {0}", "From", "To", "Subtotal",
        "of which discounts", "Shipping", "Tax ({0} %)", "Total ({0})", "Terms", "Incoterm", "Delivery lead time",
        "Payment terms", "Online payment", "available after acceptance", "not offered", "Notes",
        "Opened by the buyer {0}", "Accepted by {0} on {1} (version {2})", "Paid online {0}",
        "Payment made: waiting for the provider's confirmation…", "A newer version replaces this quote.",
        "To accept quote {0} (version {1}) for {2}, type your full name. This is a binding order.", "Your full name",
        "Accepting…", "Accept quote", "Accept", "Opening the payment page…", "Pay online", "Revise", "Download PDF",
        "Line {0}", "Remove line {0}", "line {0}", "What you offer", "Reference", "Unit", "Discount %",
        "These amounts are too large to add up.", "Tax", "Revise quote {0}", "New quote", "To {0} · {1}",
        "The buyer gets a new version; the previous one is marked superseded.", "Add a line", "Currency",
        "Tax rate %", "Lead time (days)", "Valid until", "e.g. 30% with the order, the rest before shipping",
        "Anything the buyer should know (optional)", "Let the buyer pay online after accepting", "Send new version",
        "Send quote", "Send a quote", "Quote {0} paid online", "Enter a quantity, e.g. 2 or 2.5.",
        "Enter the unit price.", "Enter a price, e.g. 1250.00.", "Enter a discount in %, e.g. 5.",
        "Enter a tax rate in %, e.g. 21.", "Enter a shipping cost, e.g. 150.", "Enter the lead time in days.",
        "The validity date has passed.", "Enter a date as YYYY-MM-DD.", "pcs",
        // The shared quote rules (net/quote.cpp) in words (quote_state.cpp)
        "Enter the product.", "Enter the unit, e.g. pcs.", "At most {0} characters.", "The quantity must be more than 0.", "This amount is too large.", "The discount cannot exceed 100 %.", "The tax rate must be between 0 % and 100 %.", "The lead time must be between 0 and {0} days.", "The validity date must be after today.",
        // PDF page previews (ui_preview.cpp)
        "Preview", "Preview {0}", "Loading the pages…", "the first pages only", "Fit to width", "Enlarge", "Open PDF",
        "Page {0} of {1}", "This page could not be shown.", "Loading page {0}…", "This PDF has no pages.",
        // Delivery status of my messages' e-mails (ui_history.cpp, state.cpp)
        "Not delivered to {0}: {1}", "Delivery to {0} delayed, retrying", "address rejected", "mailbox full",
        "message too large", "blocked as spam", "relay unreachable", "other error", "Retry", "Retry delivery to {0}",
        "Retrying…", "Not retried: {0}",
        // The "From" case and mails posted by e-mail (ui_thread.cpp, ui_history.cpp, state.cpp)
        "We do not have a working e-mail address for you. Type it so that the buyer can answer you.",
        "your.name@company.com", "From: your e-mail address",
        "Type your e-mail address in the From field so that the buyer can answer you.",
        "\"{0}\" is not a valid e-mail address.", "Sent by e-mail", "View original", "View the original e-mail",
        // Translation (translate_state.cpp, ui_translate.cpp)
        "Translated from {0}", "{0} to {1} is not available on this server", "The translation could not be read.",
        "Translate into (the language of this text is not known)", "Translate from {0} into", "Translate into {0}",
        "{0}: not available on this server", "Greyed languages are not available on this server.", "Show original",
        "Translating…", "Show translation", "Show the translation into {0}", "Translate", "Other language",
        "Translate into another language", "Translation sent in {0}", "Always translate incoming messages into {0}",
        "Also send a translation into {0}", "Always translate",
        // E-mail in: a reply held because its sender proved nothing (ui_thread.cpp)
        "An e-mail reply from your address is waiting",
        "We could not verify that you sent it, so it was not posted. Post it if you wrote it; discard it if not.",
        "Post it", "Discard", "Post the e-mail reply \"{0}\"", "Discard the e-mail reply \"{0}\"", "Not done: {0}",
        // Inbox search and pages (ui_inbox.cpp)
        "Search requests", "Clear search", "Unread", "No requests match “{0}”", "No unread requests.",
        "No requests here.", "Searching…", "Requests found: {0}", "Loading more requests…",
        "More requests did not load: {0}", "Load more",
        // Thread pages (ui_history.cpp)
        "Loading older messages…", "Older messages did not load: {0}", "Load older messages",
        // A jump's gap (ui_history.cpp)
        "Loading messages…", "Messages did not load: {0}", "Load messages",
        // Scoped sessions: a notification's sign-in link opens one request (ui.cpp)
        "Signed in for this request only", "Send me a full sign-in link", "Sending the link…", "Link sent to {0}",
        // The inbox's export (ui_inbox.cpp)
        "Export", "Export the list",
        // Dark mode: the top bar's theme switch (ui.cpp)
        "Theme: {0}", "System", "Light", "Dark", "Colour theme: {0}", "System follows your device's setting.",
        "Click to switch to {0}.",
        // Leads into the CRM (ui_crm.cpp, crm_state.cpp)
        "Leads into your CRM", "Webhook",
        "Every request and event you may see is sent as signed JSON to this address.", "Webhook URL",
        "Signing secret: {0}", "Save", "Save the webhook", "Send a test event", "Show the secret", "Hide the secret",
        "New secret", "Make a new signing secret", "Remove the webhook", "Odoo",
        "Each request becomes a lead in your Odoo, updated as it moves.", "Odoo URL", "Database", "Login", "API key",
        "Saved — type a new key to replace it", "Save the Odoo connection", "Test the connection",
        "Remove the Odoo connection", "Remove the webhook? Events not yet delivered will not be sent.",
        "Remove the Odoo connection? Leads already in Odoo stay there.", "Recent deliveries", "Show older deliveries",
        "Nothing sent yet.", "Retry delivery {0}", "Loading…",
        "Saved.", "Removed.", "Test queued: its outcome shows in the log below.",
        "New secret made: update your receiver.", "Queued again.", "delivered", "failed", "waiting", "retrying",
        "tries: {0}",
        // A label and its value (ui_quote.cpp, ui_actions.cpp, ui.cpp)
        "{0}: {1}",
    };
    return k;
}

const std::vector<EnglishPlural>& english_plurals() {
    static const std::vector<EnglishPlural> p = {
        {"{0} unread", "{0} unread"},
        {"{0} message", "{0} messages"},
        {"{0} member", "{0} members"},
        {"{0} star", "{0} stars"},
        {"{0} page", "{0} pages"},
        {"{0} day", "{0} days"},
    };
    return p;
}

}  // namespace parley::i18n
