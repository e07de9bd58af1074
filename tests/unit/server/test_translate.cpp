// Translation: what must be kept out of the engines (protection and restoration) and the warm Apertium
// pipelines (Apertium and its language pairs are installed by scripts/setup.sh).
#include <catch2/catch.hpp>

#include <filesystem>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server/base/text.h"
#include "server/translate/apertium.h"
#include "server/translate/languages.h"
#include "server/translate/protect.h"
#include "tests/unit/server/domain_fixture.h"

using namespace parley;
using namespace parley::server;

namespace {

std::vector<std::string> kept(const std::string& text) {
    std::vector<std::string> out;
    for (const auto& p : protect_text(text))
        if (p.keep) out.push_back(p.text);
    return out;
}

bool apertium_installed() { return std::filesystem::exists("/usr/share/apertium/modes/spa-eng.mode"); }

}  // namespace

TEST_CASE("protect_text cuts and joins back exactly", "[translate]") {
    for (const std::string& t : {std::string("Hola"), std::string(""), std::string("  a  \n\n b "),
                                std::string("Precio: 12,50 EUR (IVA incl.).\r\nVer https://x.es/a?b=1."),
                                std::string("¿Tienen DN50 PN16 en AISI 316L? — juan.perez@acme.es")}) {
        auto pieces = protect_text(t);
        CHECK(join_pieces(pieces) == t);
        for (size_t i = 1; i < pieces.size(); ++i) CHECK(pieces[i].keep != pieces[i - 1].keep);  // merged runs
    }
}

TEST_CASE("protect_text keeps line breaks, URLs, addresses, numbers, prices, references, quantities", "[translate]") {
    CHECK(kept("Hola\nadiós") == std::vector<std::string>{"\n"});
    CHECK(kept("Hola,\n\n  Juan") == std::vector<std::string>{"\n\n  "});
    CHECK(kept("Ver https://acme.es/p?id=3. Gracias") == std::vector<std::string>{"https://acme.es/p?id=3"});
    CHECK(kept("Escriba a juan.perez@acme.es, por favor") == std::vector<std::string>{"juan.perez@acme.es"});
    CHECK(kept("Necesitamos 200 válvulas") == std::vector<std::string>{"200"});
    CHECK(kept("Precio 12,50 EUR por unidad") == std::vector<std::string>{"12,50 EUR"});
    CHECK(kept("Precio € 1.250,00 neto") == std::vector<std::string>{"€ 1.250,00"});
    CHECK(kept("Cuesta 40€.") == std::vector<std::string>{"40€"});
    CHECK(kept("Peso 50 kg y 3 mm de espesor") == std::vector<std::string>{"50 kg", "3 mm"});
    CHECK(kept("¿Tienen la referencia SKU-1234-B?") == std::vector<std::string>{"SKU-1234-B"});
    CHECK(kept("Bridas DN50 PN16 en acero AISI 316L") == std::vector<std::string>{"DN50 PN16", "AISI 316L"});
    CHECK(kept("Juntas de PTFE, por favor") == std::vector<std::string>{"PTFE"});
    // Capitals in a shouting text are words, not codes.
    CHECK(kept("NECESITAMOS UNA RESPUESTA URGENTE HOY").empty());
    // A unit word without a number is a word ("A" is a letter, "m" a word).
    CHECK(kept("Vamos a la planta").empty());
}

TEST_CASE("the Apertium stream keeps protected pieces as superblanks and restores them", "[translate]") {
    auto pieces = protect_text("Precio 12,50 EUR [oferta] a/b\nGracias");
    std::string stream = to_apertium_stream(pieces);
    CHECK(stream == "Precio [@k0] \\[oferta\\] a\\/b[@k1]Gracias[]");
    std::string out;
    // What a pipeline could give back: words translated, unknown-word marks, the blanks moved.
    REQUIRE(from_apertium_stream("Price [@k0] \\[offer\\] *a\\/b[@k1]Thanks", pieces, out));
    CHECK(out == "Price 12,50 EUR [offer] a/b\nThanks");
    // A lost or repeated piece is an error, not a silently wrong translation.
    CHECK_FALSE(from_apertium_stream("Price [@k0] Thanks", pieces, out));
    CHECK_FALSE(from_apertium_stream("Price [@k0][@k0][@k1]", pieces, out));
    CHECK_FALSE(from_apertium_stream("Price [@k7][@k0][@k1]", pieces, out));
}

TEST_CASE("segments for providers without superblanks rebuild around kept pieces", "[translate]") {
    auto pieces = protect_text("Hola Juan,\nnecesitamos 200 válvulas DN50. Gracias.");
    auto seg = translatable_segments(pieces);
    REQUIRE(seg == std::vector<std::string>{"Hola Juan,", "necesitamos", "válvulas", ". Gracias."});
    std::string back = rebuild_from_segments(pieces, {"Hello Juan,", "we need", "valves", ". Thanks."});
    CHECK(back == "Hello Juan,\nwe need 200 valves DN50. Thanks.");
}

TEST_CASE("apertium_command null-flushes every stage", "[translate]") {
    std::string cmd = apertium_command("lt-proc -w 'a.bin' | apertium-tagger -g $2 'b.prob' | lt-proc $1 'c.bin'\n");
    CHECK(cmd == "lt-proc -z -w 'a.bin' | apertium-tagger -z -g  'b.prob' | lt-proc -z -n 'c.bin'");
}

TEST_CASE("warm Apertium pipelines translate batches and keep protected pieces", "[translate][apertium]") {
    INFO("Apertium's es-en mode is missing: scripts/setup.sh installs apertium and apertium-eng-spa");
    REQUIRE(apertium_installed());
    Apertium ap;
    REQUIRE(ap.mode("es", "en"));
    CHECK(ap.version("es", "en") == "apertium-eng-spa");
    auto out = ap.translate("es", "en",
                            {"Necesitamos 200 válvulas de acero, precio 12,50 EUR.\nContacto: juan@acme.es",
                             "Gracias", ""});
    REQUIRE(out.size() == 3);
    CHECK(out[0].find("valves") != std::string::npos);
    CHECK(out[0].find("200") != std::string::npos);
    CHECK(out[0].find("12,50 EUR") != std::string::npos);
    CHECK(out[0].find("\nContact") != std::string::npos);
    CHECK(out[0].find("juan@acme.es") != std::string::npos);
    CHECK(out[1] == "Thank you");
    CHECK(out[2].empty());
    // The same pipeline answers again (it stayed up).
    CHECK(ap.translate("es", "en", {"Hola"}).at(0) == "Hello");
    CHECK_THROWS_AS(ap.translate("de", "en", {"Hallo"}), TranslateError);
}

TEST_CASE("a pipeline that dies or hangs is reported and replaced", "[translate]") {
    ApertiumPipe dead("exit 0");
    CHECK_THROWS_AS(dead.run({"x"}, 2000), TranslateError);
    ApertiumPipe hang("sleep 5");
    CHECK_THROWS_AS(hang.run({"x"}, 200), TranslateError);
    ApertiumPipe echo("tr a b");  // no NUL flush in tr, but it ends at EOF... so a timeout
    CHECK_THROWS_AS(echo.run({"a"}, 200), TranslateError);
    ApertiumPipe cat("cat");
    CHECK(cat.run({"one", "two", ""}, 2000) == std::vector<std::string>{"one", "two", ""});
}

TEST_CASE("a pipeline inherits none of the server's descriptors (sockets, files)", "[translate]") {
    // A socket without close-on-exec, as the HTTP server's listening sockets are.
    const int sock = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(sock > 2);
    // The pipeline's shell lists what its descriptors are (a pipe of its own is the
    // command substitution's).
    ApertiumPipe fds("printf '%s\\0' \"$(ls -l /proc/$$/fd | tr '\\n' ' ')\"; cat >/dev/null");
    const auto out = fds.run({"x"}, 5000);
    ::close(sock);
    REQUIRE(out.size() == 1);
    CHECK(out[0].find("/dev/null") != std::string::npos);  // its stderr
    CHECK(out[0].find("socket:") == std::string::npos);
}

TEST_CASE("plan_translation: direct, pivot through Spanish, remote, unavailable", "[translate]") {
    TranslateCapabilities caps;
    for (auto [a, b] : {std::pair{"en", "es"}, {"es", "en"}, {"fr", "es"}, {"es", "fr"}, {"it", "es"}, {"es", "it"},
                        {"pt", "es"}, {"es", "pt"}})
        caps.apertium.emplace_back(a, b);
    using H = TranslateHop;
    CHECK(plan_translation("es", "en", caps) == std::vector<H>{{"apertium", "es", "en"}});
    CHECK(plan_translation("fr", "en", caps) == std::vector<H>{{"apertium", "fr", "es"}, {"apertium", "es", "en"}});
    CHECK(route_label(*plan_translation("fr", "en", caps)) == "apertium via es");
    CHECK(plan_translation("pt", "it", caps)->size() == 2);
    CHECK_FALSE(plan_translation("de", "en", caps));   // no remote provider: nothing covers German
    CHECK_FALSE(plan_translation("es", "es", caps));   // nothing to do
    CHECK_FALSE(plan_translation("xx", "es", caps));   // not one of the nine
    // A remote provider that takes German and English both ways.
    caps.remote = [](const std::string& a, const std::string& b) {
        return (a == "de" || a == "en") && (b == "de" || b == "en") && a != b;
    };
    CHECK(plan_translation("de", "en", caps) == std::vector<H>{{"remote", "de", "en"}});
    CHECK(plan_translation("en", "de", caps) == std::vector<H>{{"remote", "en", "de"}});
    CHECK_FALSE(plan_translation("de", "es", caps));  // no mixed routes
    // Apertium first unless the remote one is preferred.
    CHECK(plan_translation("es", "en", caps)->at(0).engine == "apertium");
    caps.remote = [](const std::string&, const std::string&) { return true; };
    caps.prefer_remote = true;
    CHECK(plan_translation("es", "en", caps) == std::vector<H>{{"remote", "es", "en"}});
    CHECK(plan_translation("fr", "en", caps) == std::vector<H>{{"remote", "fr", "en"}});
}

TEST_CASE("stored translations: one per text and target, the first kept; languages and settings", "[translate][store]") {
    testing::TempDomain w("translate", 1'800'000'000'000);
    User m = w.add_user("Maker", "manufacturer");
    User a = w.add_user("Alice", "buyer");
    int64_t r = w.add_request(a, m, "Pump", "Bonjour, nous cherchons 30 pompes.", "FR", "fr", w.now);
    Store& s = *w.store;
    const std::string item = tagged_id("r", r);
    CHECK_FALSE(s.translation(item, "es"));
    Translation first = s.add_translation({item, "fr", "es", "Hola, buscamos 30 bombas.", "apertium", 10}, r,
                                          "apertium-fr-es", false);
    CHECK(first.text == "Hola, buscamos 30 bombas.");
    // The cache key is (text, target): a second result for the same pair does not replace it.
    Translation again = s.add_translation({item, "fr", "es", "Otra cosa", "remote", 20}, r, "x", false);
    CHECK(again.text == first.text);
    CHECK(again.created == 10);
    CHECK(s.translation(item, "es")->provider == "apertium");
    // Another target is another entry; only "sent" ones are listed as sent.
    s.add_translation({item, "fr", "en", "Hello", "apertium via es", 30}, r, "v", true);
    CHECK(s.translation(item, "en")->text == "Hello");
    auto sent = s.sent_translations(r);
    REQUIRE(sent.size() == 1);
    CHECK(sent.at(item).target == "en");
    // Languages by request; settings per user, off by default.
    s.set_text_lang(item, r, "fr");
    s.set_text_lang("m1", r + 1, "de");
    CHECK(s.text_langs(r) == std::map<std::string, std::string>{{item, "fr"}});
    CHECK_FALSE(s.settings(a.id).auto_translate);
    s.set_settings(a.id, UserSettings{true});
    CHECK(s.settings(a.id).auto_translate);
    CHECK_FALSE(s.settings(m.id).auto_translate);
}

TEST_CASE("untagged texts are found and tagged with their detected language", "[translate][store]") {
    testing::TempDomain w("translate-tag", 1'800'000'000'000);
    User m = w.add_user("Maker", "manufacturer");
    User a = w.add_user("Alice", "buyer");
    int64_t r = w.add_request(a, m, "Pump", "Guten Tag, wir brauchen ein Angebot für vierzig Pumpen.", "DE", "de", w.now);
    w.start_domain();
    auto untagged = w.store->untagged_texts(10);
    REQUIRE(untagged.size() == 1);
    CHECK(untagged[0].item == tagged_id("r", r));
    CHECK(w.domain->tag_untagged_texts() == 1);
    CHECK(w.store->untagged_texts(10).empty());
    CHECK(w.store->text_langs(r).at(tagged_id("r", r)) == "de");
}
