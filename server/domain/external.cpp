// Domain: what another process wrote. `parley-server mail-in` runs as its
// own process on the same database; its posts must still reach the long-polls held by
// the server and must not be hidden by the server's caches (change_watch.h notices the
// writes and calls sync_external). Also the original of a message that came by mail.
#include "server/domain/domain.h"
#include "server/mail/relay.h"

namespace parley::server {

void Domain::sync_external(const std::function<std::vector<EventRecord>(int64_t after)>& read_events,
                           const std::vector<int64_t>& touched) {
    Hub::Wakeups wake;
    {
        // Local writes commit and publish under write_mu_, so with it held every stored
        // event newer than the hub's last one was written by another process.
        std::lock_guard lk(write_mu_);
        for (int64_t r : touched) forget(r);
        auto events = read_events(hub_.last_id());
        publish(events, wake);  // forgets their requests, re-reads facts, wakes the audience
    }
    wake.deliver();
}

Result<std::string> Domain::original_mail(const User& me, int64_t message_id) {
    DomainError missing{404, "not_found", "No such message."};
    if (!mail_in_ || message_id <= 0) return missing;
    auto o = mail_in_->original(message_id);
    if (!o) return missing;
    // The visibility of the message itself: its conversation's messages.
    int64_t conversation = o->conversation_id;
    if (!permit(me, o->request_id, Action::view_messages, conversation)) return missing;
    if (me.id == o->author_id) return std::move(o->raw);
    // Everyone else sees neither the author's real address (the spec's hidden buyer
    // address applies to the raw mail too) nor any relay address: a relay address is a
    // credential to reply as its owner.
    const std::string domain = relay_domain_.empty() ? "relay.localhost" : relay_domain_;
    const std::string hidden = "address-hidden@" + domain;
    std::string shown = mask_relay_addresses(o->raw, hidden);
    auto author = store_.user(o->author_id);
    if (author && !author->email.empty()) {
        shown = mask_address(shown, author->email, hidden);
        // Its domain too: the verdicts and trace fields our MTA adds name it.
        size_t at = author->email.rfind('@');
        if (at != std::string::npos && author->email.find('.', at) != std::string::npos)
            shown = mask_domain(shown, author->email.substr(at + 1), "hidden.invalid");
    }
    return shown;
}

}  // namespace parley::server
