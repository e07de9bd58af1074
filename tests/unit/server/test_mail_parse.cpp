// Inbound e-mail parsing and reply stripping: the corpus under
// tests/mail_corpus and focused cases.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "server/mail/html_text.h"
#include "server/mail/parse.h"
#include "server/mail/reply_strip.h"

using namespace parley::server;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

ParsedMail parse_ok(std::string_view raw) {
    std::string err;
    auto m = parse_mail(raw, &err);
    INFO(err);
    REQUIRE(m.has_value());
    return *m;
}

}  // namespace

TEST_CASE("corpus: every reply gives exactly its expected new text", "[mail]") {
    fs::path dir = fs::path(PARLEY_SOURCE_DIR) / "tests" / "mail_corpus";
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".eml") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() >= 30);
    for (const auto& f : files) {
        std::string name = f.stem().string();
        DYNAMIC_SECTION(name) {
            std::string expected = slurp(fs::path(f).replace_extension(".expected.txt"));
            REQUIRE(!expected.empty());
            if (expected.back() == '\n') expected.pop_back();
            ParsedMail m = parse_ok(slurp(f));
            CHECK(strip_reply(m.text) == expected);
            CHECK(m.auto_reply == (name.find("-auto-") != std::string::npos));
            if (name.find("html-only") != std::string::npos) CHECK(m.from_html);
            CHECK(!m.message_id.empty());
            CHECK(!m.from_address.empty());
            CHECK(m.in_reply_to.rfind("msg-", 0) == 0);
        }
    }
}

TEST_CASE("headers: ids, addresses, RFC 2047 subjects and names", "[mail]") {
    std::string raw =
        "From: =?ISO-8859-1?Q?Andr=E9s_Molina?= <andres@example.es>\r\n"
        "To: \"Relay\" <r+abc@reply.example>, Undisclosed: a@x.example, b@y.example;\r\n"
        "Cc: =?UTF-8?B?SsO2cmc=?= <joerg@example.de>\r\n"
        "Subject: =?UTF-8?Q?Re=3A_Estanter=C3=ADas?= =?UTF-8?B?IHkgbcOhcw==?=\r\n"
        "Message-ID: <abc.123@mail.example>\r\n"
        "In-Reply-To: <msg-1@parley.example> (Marta's message)\r\n"
        "References: <req-1@parley.example>\r\n <msg-1@parley.example>\r\n"
        "\r\nHola\r\n";
    ParsedMail m = parse_ok(raw);
    CHECK(m.message_id == "abc.123@mail.example");
    CHECK(m.in_reply_to == "msg-1@parley.example");
    CHECK(m.references == std::vector<std::string>{"req-1@parley.example", "msg-1@parley.example"});
    CHECK(m.from_name == "Andrés Molina");
    CHECK(m.from_address == "andres@example.es");
    CHECK(m.to == std::vector<std::string>{"r+abc@reply.example", "a@x.example", "b@y.example"});
    CHECK(m.cc == std::vector<std::string>{"joerg@example.de"});
    CHECK(m.subject == "Re: Estanterías y más");
    CHECK(m.text == "Hola\n");
    CHECK_FALSE(m.from_html);
    CHECK_FALSE(m.auto_reply);
}

TEST_CASE("charsets: labels, aliases and mislabelled bytes", "[mail]") {
    CHECK(mail_to_utf8("caf\xE9", "iso-8859-1") == "café");
    CHECK(mail_to_utf8("\x80 5", "ISO-8859-1") == "€ 5");  // windows-1252 byte under a Latin-1 label
    CHECK(mail_to_utf8("\xA4", "iso-8859-15") == "€");
    CHECK(mail_to_utf8("\x93hi\x94", "windows-1252") == "“hi”");
    CHECK(mail_to_utf8("na\xEFve", "utf-8") == "naïve");  // invalid UTF-8 read as windows-1252
    CHECK(mail_to_utf8("ok ✓", "x-unknown-charset") == "ok ✓");
    CHECK(mail_to_utf8("\xC3\xA9t\xC3\xA9", "\"UTF-8\"") == "été");
    CHECK(mail_to_utf8("\x82\xA0\x82\xA2", "shift_jis") == "あい");
    std::string qp =
        "From: a@b.example\nSubject: x\nContent-Type: text/plain; charset=windows-1252\n"
        "Content-Transfer-Encoding: quoted-printable\n\nPrecio: 12=80, se=F1or =\nGarc=EDa\n";
    CHECK(parse_ok(qp).text == "Precio: 12€, señor García\n");
}

TEST_CASE("HTML to text", "[mail]") {
    CHECK(html_to_text("<p>One</p><p>Two<br>Three</p>") == "One\n\nTwo\nThree");
    CHECK(html_to_text("<html><head><title>t</title><style>p{}</style></head><body>"
                       "<script>var x = '<p>';</script>Hi &amp; bye&nbsp;&#8364;&#x2713;</body></html>") ==
          "Hi & bye €✓");
    CHECK(html_to_text("<ul><li>a</li><li>b</li></ul>after") == "- a\n- b\nafter");
    CHECK(html_to_text("See <a href=\"https://x.example/p?a=1&amp;b=2\">the plan</a>.") ==
          "See the plan (https://x.example/p?a=1&b=2).");
    CHECK(html_to_text("<a href=\"https://x.example\">https://x.example</a>") == "https://x.example");
    CHECK(html_to_text("<a href=\"mailto:a@b.example\">a@b.example</a>") == "a@b.example");
    CHECK(html_to_text("new<blockquote>old<br>older</blockquote>") == "new\n> old\n> older");
    CHECK(html_to_text("<pre>a  b\n  c</pre>") == "a  b\n  c");
    CHECK(html_to_text("a<!-- <p>hidden</p> -->b") == "ab");
    CHECK(html_to_text("&eacute;&Eacute;&ccedil;&uuml;&ntilde;&bogus; &#0; <") == "éÉçüñ&bogus; � <");
    CHECK(html_to_text("<table><tr><td>Qty</td><td>10</td></tr><tr><td>Price</td><td>5</td></tr></table>") ==
          "Qty 10\nPrice 5");
    std::string m = "From: a@b.example\nContent-Type: text/html; charset=utf-8\n\n<div>Hola<br>Marta</div>\n";
    ParsedMail pm = parse_ok(m);
    CHECK(pm.from_html);
    CHECK(pm.text == "Hola\nMarta");
}

TEST_CASE("attachments: names, types, and the count and size limits", "[mail]") {
    std::string raw = "From: a@b.example\nSubject: files\nContent-Type: multipart/mixed; boundary=XX\n\n--XX\n"
                      "Content-Type: text/plain\n\nSee attached.\n";
    for (int i = 0; i < 12; ++i)
        raw += "--XX\nContent-Type: application/pdf; name=\"f" + std::to_string(i) +
               ".pdf\"\nContent-Disposition: attachment\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n";
    raw += "--XX\nContent-Type: application/octet-stream\nContent-Disposition: attachment; "
           "filename=\"=?UTF-8?Q?Pl=C3=A1n.dwg?=\"\n\n" + std::string(kMaxMailAttachmentBytes + 1, 'x') + "\n";
    raw += "--XX--\n";
    ParsedMail m = parse_ok(raw);
    CHECK(m.text == "See attached.");
    REQUIRE(m.attachments.size() == 13);
    CHECK(m.attachments[0].name == "f0.pdf");
    CHECK(m.attachments[0].content_type == "application/pdf");
    CHECK(m.attachments[0].bytes == "%PDF-1.4\n");
    CHECK_FALSE(m.attachments[9].refused);
    CHECK(m.attachments[10].refused);
    CHECK(m.attachments[10].refusal == "too_many");
    CHECK(m.attachments[10].bytes.empty());
    CHECK(m.attachments[12].name == "Plán.dwg");
    CHECK(m.attachments[12].refused);
    CHECK(m.attachments[12].refusal == "too_large");
    CHECK(m.attachments[12].size == kMaxMailAttachmentBytes + 1);

    ParsedMail fwd = parse_ok(slurp(fs::path(PARLEY_SOURCE_DIR) / "tests/mail_corpus/36-outlook-en-forward-as-attachment.eml"));
    REQUIRE(fwd.attachments.size() == 1);
    CHECK(fwd.attachments[0].content_type == "message/rfc822");
    CHECK(fwd.attachments[0].name == "Dock height.eml");
    CHECK(fwd.attachments[0].bytes.find("tail lift") != std::string::npos);
    ParsedMail logo = parse_ok(slurp(fs::path(PARLEY_SOURCE_DIR) / "tests/mail_corpus/18-outlook-es-html-related-logo.eml"));
    CHECK(logo.attachments.empty());  // inline signature image
    ParsedMail x = parse_ok(slurp(fs::path(PARLEY_SOURCE_DIR) / "tests/mail_corpus/22-thunderbird-fr-rfc2231-attachment-crlf.eml"));
    REQUIRE(x.attachments.size() == 1);
    CHECK(x.attachments[0].name == "Devis révisé.xlsx");
}

TEST_CASE("limits and garbage input never crash", "[mail]") {
    std::string err;
    CHECK_FALSE(parse_mail("", &err));
    CHECK(err == "empty message");
    CHECK_FALSE(parse_mail(" \r\n\t", nullptr));
    std::string big = "From: a@b.example\n\n" + std::string(kMaxMailBytes, 'a');
    CHECK_FALSE(parse_mail(big, &err));
    CHECK(err == "message larger than 25 MB");
    std::string deep = "From: a@b.example\n";
    for (int i = 0; i < 1000; ++i) deep += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\n\n--b" + std::to_string(i) + "\n";
    CHECK_FALSE(parse_mail(deep, &err));
    for (std::string_view g : {std::string_view("\0\0\0\xff\xfe", 5), std::string_view("no headers at all"),
                               std::string_view("Content-Type: multipart/mixed; boundary=\"\"\n\n--\n--\n"),
                               std::string_view("From: <<<>>>@@@\nSubject: =?x?Q?=ZZ?=\n\n=?=?"),
                               std::string_view("Content-Transfer-Encoding: base64\n\n!!!!====")}) {
        auto m = parse_mail(g, &err);  // may or may not parse, must not crash
        if (m) (void)strip_reply(m->text);
    }
}

TEST_CASE("auto-reply detection", "[mail]") {
    CHECK(mail_is_auto_reply("auto-replied", "", false, "Re: x"));
    CHECK(mail_is_auto_reply("auto-generated", "", false, ""));
    CHECK_FALSE(mail_is_auto_reply("no", "", false, "Re: x"));
    CHECK(mail_is_auto_reply("", "bulk", false, ""));
    CHECK(mail_is_auto_reply("", "Junk", false, ""));
    CHECK(mail_is_auto_reply("", "list", false, ""));
    CHECK(mail_is_auto_reply("", "", true, ""));
    for (auto s : {"Out of Office: Re: racks", "Automatic reply: Quote", "Respuesta automática: pedido",
                   "Réponse automatique : devis", "Abwesenheitsnotiz: Regale", "Risposta automatica: ordine",
                   "Resposta automática: encomenda", "FUERA DE LA OFICINA", "Absent du bureau"})
        CHECK(mail_is_auto_reply("", "", false, s));
    CHECK_FALSE(mail_is_auto_reply("", "", false, "Re: Office chairs and racks"));
}

TEST_CASE("strip_reply rules", "[mail]") {
    CHECK(strip_reply("Yes.\r\n\r\nOn Mon, 1 Apr 2024, Ann <a@x.example> wrote:\r\n> Ok?\r\n") == "Yes.");
    CHECK(strip_reply("> Ok?\n\nYes.   \n\n\n") == "Yes.");  // bottom-posting
    CHECK(strip_reply("Top\n\n\n\nMore\n") == "Top\n\nMore");
    CHECK(strip_reply("Sure\n-- \nAnn\nCEO\n") == "Sure");
    CHECK(strip_reply("Vale\n\nEl lun, 1 abr 2024 a las 10:00, Ana\n<ana@x.example> escribió:\n> ¿Ok?\n") == "Vale");
    CHECK(strip_reply("D'accord\n\nLe lun. 1 avr. 2024 à 10:00, Anne <a@x.example> a écrit :\n> Ok ?") == "D'accord");
    CHECK(strip_reply("Ja\n\nAm Mo., 1. Apr. 2024 um 10:00 Uhr schrieb Anna <a@x.example>:\n> Ok?") == "Ja");
    CHECK(strip_reply("Sì\n\nIl giorno lun 1 apr 2024 alle ore 10:00 Anna <a@x.example> ha scritto:\n> Ok?") == "Sì");
    CHECK(strip_reply("Sim\n\nEm seg., 1 de abr. de 2024 às 10:00, Ana <a@x.example> escreveu:\n> Ok?") == "Sim");
    CHECK(strip_reply("Fine\n\n-----Original Message-----\nFrom: x\nblah") == "Fine");
    CHECK(strip_reply("Fine\n\n-----Ursprüngliche Nachricht-----\nVon: x") == "Fine");
    CHECK(strip_reply("Ok\n\nSent from my iPhone\n") == "Ok");
    // Inline answers keep their questions.
    CHECK(strip_reply("On Mon, Ann wrote:\n> Q1?\nA1\n> Q2?\nA2\n> bye\n") == "> Q1?\nA1\n> Q2?\nA2");
    // A lone "From:" line in the new text is not a header block.
    CHECK(strip_reply("From: the warehouse, 3 pallets.\nThanks") == "From: the warehouse, 3 pallets.\nThanks");
    CHECK(strip_reply("") == "");
    CHECK(strip_reply("> only quote\n") == "");
}

namespace {

std::string plain_mail(const std::string& body) {
    return "From: a@b.example\r\nSubject: Re: x\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n" + body;
}

std::string refusal_of(const std::string& raw) {
    std::string err, reason;
    auto m = parse_mail(raw, &err, &reason);
    CHECK_FALSE(m.has_value());
    CHECK_FALSE(err.empty());
    return reason;
}

std::string repeat(std::string_view unit, size_t n) {
    std::string s;
    s.reserve(unit.size() * n);
    for (size_t i = 0; i < n; ++i) s += unit;
    return s;
}

}  // namespace

TEST_CASE("limits: lines and line length of the text, with their reason", "[mail]") {
    // 200,000 lines (only newlines, or quoted "> x"): refused as soon as the limit is passed.
    CHECK(refusal_of(plain_mail(std::string(200000, '\n'))) == "too_many_lines");
    CHECK(refusal_of(plain_mail(repeat("> x\r\n", 200000))) == "too_many_lines");
    CHECK(refusal_of(plain_mail(std::string(kMaxMailLineBytes + 1, 'x'))) == "line_too_long");
    // The same in base64 and quoted-printable: the limits hold for the decoded text.
    CHECK(refusal_of("Content-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
                     repeat("=0A", 60000)) == "too_many_lines");
    // Up to the limits a text is kept whole.
    std::string at_limit = repeat("line\n", kMaxMailTextLines - 1) + "last";
    ParsedMail m = parse_ok(plain_mail(at_limit));
    CHECK(m.text.size() == at_limit.size());
    ParsedMail wide = parse_ok(plain_mail(std::string(kMaxMailLineBytes, 'y')));
    CHECK(wide.text.size() == kMaxMailLineBytes);

    std::string reason;
    CHECK(mail_text_within_limits(std::string(kMaxMailTextLines - 1, '\n') + "x", &reason));
    CHECK_FALSE(mail_text_within_limits(std::string(kMaxMailTextLines, '\n') + "x", &reason));
    CHECK(reason == "too_many_lines");
    CHECK(mail_text_within_limits(repeat("\r\n", kMaxMailTextLines - 1), &reason));  // CRLF counts once
}

TEST_CASE("limits: an HTML body is checked on the text made from it; nested quotes stay short", "[mail]") {
    std::string head = "From: a@b.example\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n";
    CHECK(refusal_of(head + repeat("x<br>", 120000)) == "too_many_lines");
    // 100,000 nested <blockquote>: at most 20 ">" per line, not 100,000.
    ParsedMail m = parse_ok(head + repeat("<blockquote>", 100000) + repeat("a<br>", 100) + "end");
    CHECK(m.text.size() < 100 * 50);
    CHECK(m.text.find(std::string(21, '>')) == std::string::npos);
}

TEST_CASE("limits: MIME parts, nesting and header lines, with their reason", "[mail]") {
    std::string many = "From: a@b.example\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" +
                       repeat("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n", kMaxMailParts + 5) + "--b--\r\n";
    CHECK(refusal_of(many) == "too_many_parts");
    // Far more part delimiters than parts allowed: refused before GMime builds them.
    CHECK(refusal_of("From: a@b.example\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" +
                     repeat("--b\r\n\r\nx\r\n", 100000)) == "too_many_parts");
    std::string deep = "From: a@b.example\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n";
    for (int i = 1; i < kMaxMailDepth + 5; ++i)
        deep += "--b" + std::to_string(i - 1) + "\r\nContent-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\r\n\r\n";
    deep += "--b" + std::to_string(kMaxMailDepth + 4) + "\r\nContent-Type: text/plain\r\n\r\nhi\r\n";
    CHECK(refusal_of(deep) == "too_deeply_nested");
    CHECK(refusal_of(repeat("X-A: b\r\n", kMaxMailHeaderLines + 1) + "\r\nhi\r\n") == "too_many_headers");
    // Within the limits: a multipart with a few parts parses as before.
    std::string ok = "From: a@b.example\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
                     "Content-Type: text/plain\r\n\r\nhello\r\n" +
                     repeat("--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=a.pdf\r\n\r\n%PDF\r\n", 3) +
                     "--b--\r\n";
    ParsedMail m = parse_ok(ok);
    CHECK(m.text == "hello");
    CHECK(m.attachments.size() == 3);
    std::string err, reason;
    CHECK_FALSE(parse_mail("", &err, &reason));
    CHECK(reason == "unparseable");
}

TEST_CASE("limits: an attachment over 10 MB is refused with its size, its bytes not kept", "[mail]") {
    std::string raw = "From: a@b.example\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
                      "Content-Type: text/plain\r\n\r\nsee attached\r\n--b\r\nContent-Type: application/octet-stream\r\n"
                      "Content-Disposition: attachment; filename=big.bin\r\n\r\n" +
                      std::string(kMaxMailAttachmentBytes + 10, 'z') + "\r\n--b--\r\n";
    ParsedMail m = parse_ok(raw);
    REQUIRE(m.attachments.size() == 1);
    CHECK(m.attachments[0].refused);
    CHECK(m.attachments[0].refusal == "too_large");
    CHECK(m.attachments[0].size >= kMaxMailAttachmentBytes + 10);
    CHECK(m.attachments[0].bytes.empty());
}

TEST_CASE("reply stripping: 200,000 quoted lines and blank runs are handled in one pass", "[mail]") {
    // strip_reply keeps views into the text: no copy per line of quoted or blank lines.
    CHECK(strip_reply("New text.\n\n" + repeat("> x\n", 200000)) == "New text.");
    CHECK(strip_reply(repeat("> x\n", 200000) + "Below.\n") == "Below.");
    CHECK(strip_reply(std::string(200000, '\n') + "Only this." + std::string(200000, '\n')) == "Only this.");
    // "From:" lines followed by blank runs: each looks ahead a bounded number of lines.
    CHECK(strip_reply(repeat("From: a\n\n\n", 50000)).rfind("From: a\n\nFrom: a", 0) == 0);
}
