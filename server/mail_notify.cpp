// Notification e-mails of domain events (issue 6). See mail_notify.h.
#include "server/mail_notify.h"

#include "server/mail_compose.h"
#include "server/text.h"

namespace parley::server {

void notify_new_reply(Mailer& mailer, Store& store, const RequestFacts& facts, int64_t conversation_id,
                      const Message& message, const std::string& public_url) {
    const ConversationFacts* conv = facts.conversation(conversation_id);
    if (!conv) return;
    auto request = store.request(facts.id);
    auto author = store.user(message.author_id);
    if (!request || !author) return;
    std::vector<int64_t> to;
    if (message.author_id == facts.buyer_id) to = conv->members;
    else to.push_back(facts.buyer_id);

    const std::string link = public_url + "/requests/" + std::to_string(facts.id);
    std::string author_name = author->name;
    if (!author->company.empty()) author_name += " (" + author->company + ")";
    std::string text = author_name + " wrote about \"" + request->product + "\":\n\n" + message.body + "\n";
    std::string html = "<p><b>" + html_escape(author_name) + "</b> wrote about <b>" +
                       html_escape(request->product) + "</b>:</p>\n<blockquote style=\"margin:0 0 1em;"
                       "padding-left:1em;border-left:3px solid #ccc\">" +
                       html_escape(message.body, true) + "</blockquote>\n";
    if (!message.attachments.empty()) {
        text += "\nAttachments:\n";
        html += "<p>Attachments:</p><ul>\n";
        for (const auto& a : message.attachments) {
            std::string url = public_url + "/api/v1/attachments/" + std::to_string(a.id);
            text += "- " + a.name + ": " + url + "\n";
            html += "<li><a href=\"" + html_escape(url) + "\">" + html_escape(a.name) + "</a></li>\n";
        }
        html += "</ul>\n";
    }
    text += "\nOpen the request to answer: " + link + "\n";
    html += "<p><a href=\"" + html_escape(link) +
            "\" style=\"display:inline-block;padding:.5em 1.2em;background:#1a56db;color:#fff;"
            "text-decoration:none;border-radius:4px\">Reply</a></p>\n";
    text += "\n-- \nYou receive this because you take part in this request on Parley.\n";
    html = "<!doctype html><html><body style=\"font-family:sans-serif\">\n" + html +
           "<p style=\"color:#666;font-size:small\">You receive this because you take part in this request on "
           "Parley.</p>\n</body></html>\n";

    for (int64_t uid : to) {
        if (uid == message.author_id) continue;
        auto u = store.user(uid);
        if (!u || u->email.empty()) continue;
        OutgoingMail m;
        m.to_user_id = uid;
        m.to_address = u->email;
        m.to_name = u->name;
        m.kind = "new_reply";
        m.request_id = facts.id;
        m.conversation_id = conversation_id;
        m.message_ref = message.id;
        m.from_name = author->name + " via Parley";
        m.subject = "Re: " + request->product;
        m.text = text;
        m.html = html;
        mailer.enqueue(m);
    }
}

}  // namespace parley::server
