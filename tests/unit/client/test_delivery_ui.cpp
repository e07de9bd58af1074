// Delivery status of my messages' e-mails on the client: the words of the red
// line, the Retry action and its answers, and what the widget registry (tests, the
// screen-reader mirror) sees under my message in real ImGui frames at desktop and phone widths.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include "app/i18n.h"
#include "app/registry.h"
#include "app/state.h"
#include "app/ui.h"
#include "imgui_frames.h"

using namespace parley;

namespace {
const reg::Widget* find(const std::string& label, const std::string& kind = "") { return find_widget(label, kind); }

Delivery delivery(int64_t id, const char* status, const char* kind = "") {
    Delivery d;
    d.id = id;
    d.recipient_id = 2;
    d.recipient_name = "Stefan Müller";
    d.status = status;
    d.error_kind = kind;
    return d;
}

// Marta (seller, id 1) on request 5 with her message 10 (deliveries given) and the buyer's message 11.
AppState seller_with(std::vector<Delivery> ds) {
    AppState s = seller_on_request();
    RequestDetail& d = *s.thread;
    Message mine;
    mine.id = 10; mine.request_id = 5; mine.conversation_id = 7; mine.author_id = 1;
    mine.author_name = "Marta Iglesias"; mine.author_role = "manufacturer"; mine.body = "Our offer"; mine.created = 1000;
    mine.deliveries = std::move(ds);
    Message theirs;
    theirs.id = 11; theirs.request_id = 5; theirs.conversation_id = 7; theirs.author_id = 2;
    theirs.author_name = "Stefan Müller"; theirs.author_role = "buyer"; theirs.body = "Thanks"; theirs.created = 900;
    d.messages = {mine, theirs};
    return s;
}
}  // namespace

TEST_CASE("delivery lines: the failure kind in words, red for permanent, muted for delayed, none otherwise",
          "[delivery]") {
    CHECK(delivery_kind_words("address_rejected") == "address rejected");
    CHECK(delivery_kind_words("mailbox_full") == "mailbox full");
    CHECK(delivery_kind_words("too_large") == "message too large");
    CHECK(delivery_kind_words("spam") == "blocked as spam");
    CHECK(delivery_kind_words("unreachable") == "relay unreachable");
    CHECK(delivery_kind_words("relay_unreachable") == "relay unreachable");
    CHECK(delivery_kind_words("other") == "other error");
    CHECK(delivery_kind_words("") == "other error");
    CHECK(delivery_line(delivery(1, "failed_permanent", "address_rejected")) ==
          "Not delivered to Stefan Müller: address rejected");
    CHECK(delivery_line(delivery(1, "failed_temporary", "mailbox_full")) == "Delivery to Stefan Müller delayed, retrying");
    CHECK(delivery_line(delivery(1, "sent")).empty());
    CHECK(delivery_line(delivery(1, "queued")).empty());
    CHECK(delivery_line(delivery(1, "dev_mailbox")).empty());
    i18n::set_language("es");
    CHECK(delivery_line(delivery(1, "failed_permanent", "spam")) == "No entregado a Stefan Müller: bloqueado como spam");
    i18n::set_language("de");
    CHECK(delivery_line(delivery(1, "failed_permanent", "mailbox_full")) == "Nicht zugestellt an Stefan Müller: Postfach voll");
    i18n::set_language("en");
}

TEST_CASE("retry: one POST per delivery, the answer replaces the thread; 409 reloads, failures show in red",
          "[delivery]") {
    AppState s = seller_with({delivery(3, "failed_permanent", "address_rejected")});
    Effects fx;
    action_retry_delivery(s, 3, fx);
    REQUIRE(fx.calls.size() == 1);
    const HttpCall c = fx.calls[0];
    CHECK(c.kind == CallKind::DeliveryRetry);
    CHECK(c.method == "POST");
    CHECK(c.path == "/api/v1/deliveries/3/retry");
    CHECK(c.request_id == 5);
    CHECK(delivery_retrying(s, 3));
    Effects again;
    action_retry_delivery(s, 3, again);  // a double tap sends nothing more
    CHECK(again.calls.empty());

    // 200: the detail with the delivery queued again.
    RequestDetail answer = *s.thread;
    answer.messages[0].deliveries[0].status = "queued";
    answer.messages[0].deliveries[0].error_kind.clear();
    Effects done;
    action_http_done(s, c, HttpResult{200, nlohmann::json(answer).dump()}, done);
    CHECK_FALSE(delivery_retrying(s, 3));
    CHECK(s.thread->messages[0].deliveries[0].status == "queued");
    CHECK(delivery_line(s.thread->messages[0].deliveries[0]).empty());

    // 409 (sent meanwhile): the thread is loaded again, no error shown.
    Effects fx2;
    action_retry_delivery(s, 3, fx2);
    Effects done2;
    action_http_done(s, fx2.calls[0], HttpResult{409, R"({"error":{"code":"not_failed","message":"x"}})"}, done2);
    REQUIRE(done2.calls.size() == 1);
    CHECK(done2.calls[0].kind == CallKind::Thread);
    CHECK(s.retry_errors.empty());

    // No connection: a red reason under the line, and Retry works again.
    Effects fx3;
    action_retry_delivery(s, 3, fx3);
    Effects done3;
    action_http_done(s, fx3.calls[0], HttpResult{0, ""}, done3);
    CHECK(s.retry_errors.count(3) == 1);
    CHECK(s.retry_errors[3].rfind("Not retried: ", 0) == 0);
    CHECK_FALSE(delivery_retrying(s, 3));
}

TEST_CASE("under my message: the red line and a named, finger-sized Retry; nothing for sent; fits a phone",
          "[delivery][registry]") {
    for (float width : {1280.f, 390.f}) {
        INFO(width);
        ImGuiFrames f(ImVec2(width, 844));
        AppState s = seller_with({delivery(3, "failed_permanent", "address_rejected"), delivery(4, "failed_temporary"),
                                  delivery(5, "sent")});
        Effects fx;
        for (int i = 0; i < 2; i++) f.frame([&] { draw_app(s, fx, width, 844, 0); });
        const reg::Widget* red = find("Not delivered to Stefan Müller: address rejected", "alert");
        REQUIRE(red);
        const reg::Widget* retry = find("Retry delivery to Stefan Müller", "button");
        REQUIRE(retry);
        CHECK(retry->h >= 32);
        CHECK(find("Delivery to Stefan Müller delayed, retrying", "status"));
        const reg::Widget* sent = find("✓ Sent", "status");
        REQUIRE(sent);
        CHECK(red->y > sent->y);  // under the message's status
        CHECK(retry->y + retry->h > red->y);  // beside it
        CHECK(reg::mirror_json().find("Retry delivery to Stefan Müller") != std::string::npos);
        for (const reg::Widget& w : reg::widgets()) {
            INFO(w.kind << " " << w.label);
            CHECK(w.x + w.w <= width + 0.5f);
        }
        // Only one red line: the sent and delayed ones have no Retry.
        int retries = 0;
        for (const reg::Widget& w : reg::widgets()) retries += w.label.rfind("Retry delivery", 0) == 0;
        CHECK(retries == 1);

        // A "delivery_failed" event reads as a sentence, not as its kind.
        Event e;
        e.id = 20; e.request_id = 5; e.conversation_id = 7; e.message_id = 10; e.actor_id = 1;
        e.kind = "delivery_failed"; e.target_id = 2; e.target_name = "Stefan Müller"; e.text = "spam"; e.created = 1100;
        s.thread->events.push_back(e);
        s.thread->messages[0].deliveries = {delivery(5, "sent")};
        for (int i = 0; i < 2; i++) f.frame([&] { draw_app(s, fx, width, 844, 0); });
        CHECK(find("Not delivered to Stefan Müller: blocked as spam"));
        CHECK_FALSE(find("delivery_failed"));
        CHECK_FALSE(find("Not delivered to Stefan Müller: address rejected", "alert"));  // the red line went
        CHECK_FALSE(find("Retry delivery to Stefan Müller", "button"));
    }
}

TEST_CASE("other people's messages never show delivery lines", "[delivery][registry]") {
    ImGuiFrames f(ImVec2(1280, 800));
    AppState s = seller_with({});
    // Deliveries on the buyer's message (the server sends none there; the client must not draw them either).
    s.thread->messages[1].deliveries = {delivery(9, "failed_permanent", "spam")};
    Effects fx;
    for (int i = 0; i < 2; i++) f.frame([&] { draw_app(s, fx, 1280, 800, 0); });
    CHECK_FALSE(find("Not delivered to Stefan Müller: blocked as spam", "alert"));
}
