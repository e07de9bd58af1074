// "Attach a document", client side: checks before upload, upload transitions,
// NewMessage with attachment ids, the draft kept when sending fails.
#include <catch2/catch.hpp>
#include "app/i18n.h"
#include "app/state.h"
#include "app/ui.h"
#include "app/ui_thread.h"
#include "app/attach.h"
#include "app/registry.h"
#include "imgui.h"
#include "imgui_frames.h"

using namespace parley;

namespace {
HttpResult res(const std::string& body, int status) { return {status, body}; }

// Signed in, on request 5 (which I may answer), the thread loaded.
AppState on_request() {
    i18n::set_language("en");
    AppState s;
    s.key_seed = 7;
    Effects fx;
    action_navigate(s, {Screen::Request, 5}, true, fx);
    RequestDetail d;
    d.id = 5;
    d.can.reply = true;
    Effects t;
    action_http_done(s, fx.calls[0], res(dump_json(d), 200), t);
    return s;
}

PickedFile file(int token, const std::string& name, int64_t size, const std::string& kind = "other",
                const std::string& mime = "") {
    return PickedFile{token, kind, name, mime, size};
}

std::string attachment_json(int64_t id, const std::string& name) {
    Attachment a;
    a.id = id;
    a.name = name;
    a.type = "application/pdf";
    a.kind = "other";
    a.size = 2048;
    return dump_json(a);
}
}  // namespace

TEST_CASE("files are checked in the browser: type by extension or MIME, size", "[attach]") {
    i18n::set_language("en");
    CHECK(check_file("other", "plan.pdf", "application/pdf", 1000).empty());
    CHECK(check_file("other", "PHOTO.JPG", "", 1000).empty());
    CHECK(check_file("other", "offer.docx", "", 1000).empty());
    CHECK(check_file("other", "prices.xlsx", "", 1000).empty());
    CHECK(check_file("other", "list.csv", "", 1000).empty());
    CHECK(check_file("other", "notes.txt", "", 1000).empty());
    CHECK(check_file("other", "scan", "image/png", 1000).empty());  // no extension: the MIME type decides
    CHECK(check_file("other", "plan.dwg", "", 1000) ==
          "plan.dwg: this type is not accepted (PDF, PNG, JPEG, DOCX, XLSX, CSV, TXT)");
    CHECK(check_file("other", "run.exe", "application/pdf", 1000) != "");  // a lying MIME does not help
    CHECK(check_file("quote", "offer.pdf", "", 1000).empty());
    CHECK(check_file("quote", "offer.docx", "", 1000) == "offer.docx: a quote must be a PDF");
    CHECK(check_file("other", "big.pdf", "", (int64_t)(12.3 * 1024 * 1024)) == "big.pdf is 12.3 MB; the limit is 10 MB");
    CHECK(check_file("other", "max.pdf", "", kMaxUploadBytes).empty());
    CHECK(check_file("other", "empty.txt", "", 0) == "empty.txt is empty");
    CHECK(format_size(12) == "12 B");
    CHECK(format_size(340 * 1024) == "340 KB");
    CHECK(format_size(1258291) == "1.2 MB");
    CHECK(format_size(10 * 1024 * 1024) == "10 MB");
    CHECK(url_encode("plan de obra é.pdf") == "plan%20de%20obra%20%C3%A9.pdf");
    CHECK(file_type_label("x.jpeg", "") == "JPEG");
    CHECK(file_type_label("x.dwg", "") == "DWG");
}

TEST_CASE("an upload: progress, done, then its id goes out with the message", "[attach]") {
    AppState s = on_request();
    current_draft(s).text = "Our offer";
    Effects fx;
    action_files_picked(s, {file(1, "offer 2.pdf", 2048, "quote")}, fx);
    REQUIRE(fx.uploads.size() == 1);
    CHECK(fx.uploads[0].token == 1);
    CHECK(fx.uploads[0].path == "/api/v1/requests/5/attachments?kind=quote&name=offer%202.pdf&conversation_id=0");
    Draft& d = current_draft(s);
    REQUIRE(d.uploads.size() == 1);
    CHECK(d.uploads[0].status == UploadStatus::Uploading);
    CHECK(d.uploading());

    Effects p;
    action_upload_progress(s, 1, 820, 2048, p);
    CHECK(d.uploads[0].percent() == 40);

    // Send waits while an upload runs.
    Effects early;
    action_send(s, early);
    CHECK(early.calls.empty());
    CHECK_FALSE(d.error.empty());

    Effects done;
    action_upload_done(s, 1, 201, attachment_json(77, "offer 2.pdf"), done);
    CHECK(d.uploads[0].status == UploadStatus::Done);
    CHECK(d.uploads[0].att.id == 77);
    CHECK_FALSE(d.uploading());

    Effects send;
    action_send(s, send);
    REQUIRE(send.calls.size() == 1);
    NewMessage nm;
    REQUIRE(parse_json(send.calls[0].body, nm));
    CHECK(nm.body == "Our offer");
    REQUIRE(nm.attachments.size() == 1);
    CHECK(nm.attachments[0] == 77);

    // Sent: the chips go with the text.
    Message m;
    m.id = 300;
    m.request_id = 5;
    m.body = "Our offer";
    Effects answer;
    action_http_done(s, send.calls[0], res(dump_json(m), 201), answer);
    CHECK(current_draft(s).uploads.empty());
    CHECK(current_draft(s).text.empty());
}

TEST_CASE("a message may be only attachments; a failed send keeps text and chips", "[attach]") {
    AppState s = on_request();
    Effects fx;
    action_files_picked(s, {file(3, "a.png", 100), file(4, "b.csv", 100)}, fx);
    Effects d1, d2;
    action_upload_done(s, 3, 201, attachment_json(10, "a.png"), d1);
    action_upload_done(s, 4, 201, attachment_json(11, "b.csv"), d2);

    Effects send;
    action_send(s, send);  // no text: fine, there are documents
    REQUIRE(send.calls.size() == 1);
    NewMessage nm;
    REQUIRE(parse_json(send.calls[0].body, nm));
    CHECK(nm.body.empty());
    CHECK(nm.attachments == std::vector<int64_t>{10, 11});

    Effects fail;
    action_http_done(s, send.calls[0], res(R"({"error":{"code":"bad","message":"Nope."}})", 422), fail);
    const Draft& d = current_draft(s);
    CHECK_FALSE(d.sending);
    CHECK(d.uploads.size() == 2);
    CHECK(d.attachment_ids() == std::vector<int64_t>{10, 11});
    CHECK_FALSE(d.error.empty());

    // Without text nor documents, nothing goes.
    AppState e = on_request();
    Effects none;
    action_send(e, none);
    CHECK(none.calls.empty());
}

TEST_CASE("refused files: red message naming them, nothing else in the draft changes", "[attach]") {
    AppState s = on_request();
    current_draft(s).text = "keep me";
    Effects fx;
    action_files_picked(s, {file(1, "plan.dwg", 100), file(2, "big.pdf", 12 * 1024 * 1024 + 300 * 1024), file(3, "ok.txt", 5)},
                        fx);
    const Draft& d = current_draft(s);
    CHECK(d.text == "keep me");
    REQUIRE(d.uploads.size() == 1);
    CHECK(d.uploads[0].name == "ok.txt");
    CHECK(fx.upload_forget == std::vector<int>{1, 2});
    CHECK(d.error.find("plan.dwg: this type is not accepted") != std::string::npos);
    CHECK(d.error.find("big.pdf is 12.3 MB; the limit is 10 MB") != std::string::npos);

    // At most 10 per message.
    std::vector<PickedFile> many;
    for (int i = 0; i < 12; i++) {
        std::string name = "f";
        name += std::to_string(i);
        name += ".pdf";
        many.push_back(file(100 + i, name, 10));
    }
    Effects m;
    action_files_picked(s, many, m);
    CHECK(current_draft(s).uploads.size() == kMaxAttachmentsPerMessage);
    CHECK(m.upload_forget.size() == 3);  // 1 already there + 9 new = 10
}

TEST_CASE("server refusals and network failures show on the chip; cancel aborts", "[attach]") {
    AppState s = on_request();
    Effects fx;
    action_files_picked(s, {file(1, "a.pdf", 100), file(2, "b.pdf", 100), file(3, "c.pdf", 100)}, fx);
    Effects e1;
    action_upload_done(s, 1, 413, R"({"error":{"code":"too_large","message":"The file is over 10 MB."}})", e1);
    Effects e2;
    action_upload_done(s, 2, 0, "", e2);
    const Draft& d = current_draft(s);
    CHECK(d.uploads[0].status == UploadStatus::Failed);
    CHECK(d.uploads[0].error == "The file is over 10 MB.");
    CHECK(d.uploads[1].status == UploadStatus::Failed);
    CHECK(d.uploads[1].error == "Upload failed: no connection to the server.");
    CHECK_FALSE(d.uploading() == false);  // c.pdf still runs

    Effects cancel;
    action_upload_cancel(s, 3, cancel);
    CHECK(cancel.upload_aborts == std::vector<int>{3});
    CHECK(d.uploads.size() == 2);
    // A late answer for the cancelled upload changes nothing.
    Effects late;
    action_upload_done(s, 3, 201, attachment_json(9, "c.pdf"), late);
    CHECK(d.uploads.size() == 2);
    // Failed chips are removed without an abort; failed ones are never sent.
    CHECK(d.attachment_ids().empty());
    Effects rm;
    action_upload_remove(s, 1, rm);
    CHECK(rm.upload_aborts.empty());
    CHECK(d.uploads.size() == 1);
}

TEST_CASE("files picked away from a request page are dropped", "[attach]") {
    AppState s;
    Effects fx;
    action_files_picked(s, {file(1, "a.pdf", 100)}, fx);
    CHECK(fx.uploads.empty());
    CHECK(fx.upload_forget == std::vector<int>{1});
}

// The menu is drawn at the foot of a page whose content above it can grow (a chip
// appears once a picked file starts uploading): `shift` px moves everything down.
namespace {
bool attach_page(UiContext& ui, float shift, bool& below_clicked) {
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(390, 844));
    ImGui::Begin("page", nullptr, ImGuiWindowFlags_NoDecoration);
    ImGui::Dummy(ImVec2(10, 300 + shift));
    draw_attach_button(ui, 44, false);
    ImGui::Dummy(ImVec2(10, 20));
    // Something a click could fall through to, where the menu opens.
    below_clicked |= ImGui::Button("below", ImVec2(380, 300));
    ImGui::End();
    return ImGui::IsPopupOpen("##attach_kind", ImGuiPopupFlags_AnyPopupId);
}
const reg::Widget* on_screen(const std::string& label) {
    for (const reg::Widget& w : reg::widgets())
        if (w.label == label) return &w;
    return nullptr;
}
}  // namespace

TEST_CASE("the attach menu closes when the platform opens the picker, even if the page moved under the tap",
          "[attach]") {
    ImGuiFrames f(ImVec2(390, 844));
    AppState s = on_request();
    Effects fx;
    UiContext ui{s, fx, Layout{}, 0};
    bool below = false, open = false;
    ImGuiIO& io = ImGui::GetIO();
    auto frame = [&](float shift) { f.frame([&] { open = attach_page(ui, shift, below); }); };
    // A click on "Attach a document" (hover, press, release, a frame to show the menu).
    auto open_menu = [&](float shift) {
        const reg::Widget* b = on_screen("Attach a document");
        REQUIRE(b);
        io.AddMousePosEvent(b->x + 5, b->y + 5);
        frame(shift);
        io.AddMouseButtonEvent(0, true);
        frame(shift);
        io.AddMouseButtonEvent(0, false);
        frame(shift);
        frame(shift);
    };
    frame(0);
    open_menu(0);
    REQUIRE(open);
    const reg::Widget* quote = on_screen("Quote");
    REQUIRE(quote);
    REQUIRE(picker_buttons().count(quote->id));

    // The tap on "Quote": the platform opens the picker inside it and gives ImGui no
    // press; the picked file's chip then pushes the page (and the menu) down by 85 px.
    io.AddMousePosEvent(quote->x + 10, quote->y + 10);
    note_picker_opened();
    frame(85);
    frame(85);
    CHECK_FALSE(open);
    CHECK_FALSE(on_screen("Quote"));
    CHECK_FALSE(below);  // nothing under the menu got the tap
    CHECK_FALSE(take_picker_opened());

    // Opened again, the menu stays open (the note was taken once).
    open_menu(85);
    CHECK(open);
}
