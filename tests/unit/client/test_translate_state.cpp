// Client side of translation, the Reply link's landing and the e-mail "From" field:
// actions, the calls they make and what answers do to the state.
#include <catch2/catch.hpp>

#include "app/i18n.h"
#include "app/state.h"

using namespace parley;

namespace {

HttpResult ok(const std::string& body, int status = 200) { return {status, body}; }

// The UI language for one test, English again after it.
struct SpanishUi {
    SpanishUi() { i18n::set_language("es"); }
    ~SpanishUi() { i18n::set_language("en"); }
};

// Marta (seller, Spanish UI) on Pierre's French request 5; message 11 from Pierre (fr),
// 12 hers (es).
AppState opened(bool auto_translate = false) {
    AppState s;
    Effects fx;
    action_start(s, "/requests/5", fx);
    Inbox in;
    in.me = {1, "Marta", "HI", "ES", "es", "manufacturer"};
    in.cursor = 40;
    Effects f2;
    action_http_done(s, fx.calls[0], ok(dump_json(in)), f2);
    TranslationLanguages l;
    l.languages = {"es", "en", "fr", "de", "it", "pt", "ru", "zh", "ja"};
    l.pairs = {{"fr", "es", "apertium"}, {"es", "fr", "apertium"}, {"fr", "en", "apertium via es"}};
    HttpCall lc;
    lc.kind = CallKind::TranslateLanguages;
    action_http_done(s, lc, ok(dump_json(l)), f2);
    HttpCall sc;
    sc.kind = CallKind::TranslateSettings;
    action_http_done(s, sc, ok(dump_json(UserSettings{auto_translate})), f2);
    RequestDetail d;
    d.id = 5;
    d.buyer = {9, "Pierre", "DL", "FR", "fr", "buyer"};
    d.message = "Bonjour, nous cherchons 30 vérins.";
    d.message_lang = "fr";
    Message m1;
    m1.id = 11; m1.request_id = 5; m1.conversation_id = 1; m1.author_id = 9; m1.author_name = "Pierre";
    m1.author_role = "buyer"; m1.body = "Merci beaucoup"; m1.created = 1000; m1.lang = "fr";
    Message m2;
    m2.id = 12; m2.request_id = 5; m2.conversation_id = 1; m2.author_id = 1; m2.author_name = "Marta";
    m2.author_role = "manufacturer"; m2.body = "Hola"; m2.created = 2000; m2.lang = "es";
    d.messages = {m2, m1};
    d.can.reply = true;
    HttpCall tc;
    tc.kind = CallKind::Thread;
    tc.request_id = 5;
    Effects f3;
    action_http_done(s, tc, ok(dump_json(d)), f3);
    return s;
}

Translation tr(const std::string& item, const std::string& text, const std::string& to = "es") {
    return Translation{item, "fr", to, text, "apertium", 1};
}

}  // namespace

TEST_CASE("the Reply link of an e-mail opens the request on its composer", "[translate][state]") {
    CHECK(parse_route("/requests/12?reply=1") == Route{Screen::Request, 12, 0, false, true});
    CHECK(route_path(parse_route("/requests/12?reply=1")) == "/requests/12?reply=1");
    CHECK_FALSE(parse_route("/requests/12?quote=3&reply=1").reply);  // the quote viewer wins
    AppState s;
    Effects fx;
    action_start(s, "/requests/12?reply=1", fx);
    CHECK(s.focus_composer);
    AppState t;
    action_start(t, "/requests/12", fx);
    CHECK_FALSE(t.focus_composer);
}

TEST_CASE("translate a message: one call, the answer shows, toggle to the original and back", "[translate][state]") {
    SpanishUi ui;
    AppState s = opened();
    Effects fx;
    action_translate_picker(s, "m11", fx);
    CHECK(s.tl.picker_item == "m11");
    action_translate(s, "m11", "es", fx);
    CHECK(s.tl.picker_item.empty());
    REQUIRE(fx.calls.size() == 1);
    CHECK(fx.calls[0].kind == CallKind::Translate);
    CHECK(fx.calls[0].path == "/api/v1/requests/5/translations?to=es&items=m11");
    CHECK(s.tl.items["m11"].pending);

    TranslationBatch b;
    b.translations = {tr("m11", "Muchas gracias")};
    Effects f2;
    action_http_done(s, fx.calls[0], ok(dump_json(b)), f2);
    const TranslationView& v = s.tl.items["m11"];
    CHECK_FALSE(v.pending);
    CHECK(v.text == "Muchas gracias");
    CHECK(translated_from_line(v) == "Traducido del francés");
    action_translate_toggle(s, "m11", f2);
    CHECK(s.tl.items["m11"].show_original);
    action_translate_toggle(s, "m11", f2);
    CHECK_FALSE(s.tl.items["m11"].show_original);
    // Asking again for the same language makes no call: it is here.
    Effects f3;
    action_translate(s, "m11", "es", f3);
    CHECK(f3.calls.empty());
}

TEST_CASE("a pair no provider covers is refused here, with words, and never sent", "[translate][state]") {
    SpanishUi ui;
    AppState s = opened();
    Effects fx;
    action_translate(s, "m11", "de", fx);
    CHECK(fx.calls.empty());
    CHECK(s.tl.items["m11"].error == "La traducción del francés al alemán no está disponible en este servidor");
    CHECK(pair_available(s.tl, "fr", "en"));
    CHECK_FALSE(pair_available(s.tl, "fr", "de"));
}

TEST_CASE("a failed or stale translation answer", "[translate][state]") {
    SpanishUi ui;
    AppState s = opened();
    Effects fx;
    action_translate(s, "m11", "es", fx);
    Effects f2;
    action_http_done(s, fx.calls[0], ok(R"({"error":{"code":"translation_busy","message":"The service is busy."}})", 503), f2);
    CHECK_FALSE(s.tl.items["m11"].pending);
    CHECK(s.tl.items["m11"].error.find("busy") != std::string::npos);
    // An answer for another thread changes nothing here.
    HttpCall other = fx.calls[0];
    other.request_id = 99;
    TranslationBatch b;
    b.translations = {tr("m11", "X")};
    action_http_done(s, other, ok(dump_json(b)), f2);
    CHECK(s.tl.items["m11"].text.empty());
}

TEST_CASE("always translate: one batch of the incoming texts not in my language", "[translate][state]") {
    SpanishUi ui;
    AppState s = opened(/*auto_translate=*/true);
    // opened() loaded the thread last: the batch was asked for then.
    REQUIRE(s.tl.items.count("r5"));
    CHECK(s.tl.items["r5"].pending);
    CHECK(s.tl.items["m11"].pending);
    CHECK_FALSE(s.tl.items.count("m12"));  // my own message, and already Spanish
    // Turning it off and on asks for nothing twice.
    Effects fx;
    action_translate_auto(s, false, fx);
    REQUIRE(fx.calls.size() == 1);
    CHECK(fx.calls[0].kind == CallKind::TranslateSettingsSave);
    CHECK(fx.calls[0].method == "PUT");
    CHECK(fx.calls[0].body == R"({"auto_translate":false})");
}

TEST_CASE("also send a translation: offered to the seller for the buyer's language, sent with the draft", "[translate][state]") {
    SpanishUi ui;
    AppState s = opened();
    CHECK(send_translation_target(s) == "fr");
    Effects fx;
    action_translate_send_toggle(s, 5, true, fx);
    current_draft(s).text = "Hola Pierre";
    action_send(s, fx);
    REQUIRE(fx.calls.size() >= 1);
    const HttpCall& c = fx.calls.back();
    CHECK(c.kind == CallKind::Send);
    NewMessage m;
    REQUIRE(parse_json(c.body, m));
    CHECK(m.translate_to == "fr");
    // The buyer is never offered it; nor where no provider covers the pair.
    s.inbox.me.id = 9;
    CHECK(send_translation_target(s).empty());
    s.inbox.me.id = 1;
    s.thread->buyer.language = "ja";
    CHECK(send_translation_target(s).empty());
}

TEST_CASE("the From field: asked for when the server needs it, checked before sending", "[state]") {
    SpanishUi ui;
    AppState s = opened();
    s.thread->can.from_required = true;
    Draft& d = current_draft(s);
    d.text = "Hola";
    Effects fx;
    action_send(s, fx);
    CHECK(fx.calls.empty());
    CHECK(d.error.find("«De»") != std::string::npos);
    d.from_email = "not an address";
    action_send(s, fx);
    CHECK(fx.calls.empty());
    CHECK(d.error.find("not an address") != std::string::npos);
    d.from_email = "marta@hidraulica.es";
    action_send(s, fx);
    REQUIRE(fx.calls.size() == 1);
    NewMessage m;
    REQUIRE(parse_json(fx.calls[0].body, m));
    CHECK(m.from_email == "marta@hidraulica.es");
}
