// Export as CSV or XLSX, row by row. See table_export.h.
#include "server/documents/table_export.h"

#include <ctime>
#include <stdexcept>

#include <zlib.h>

namespace parley::server {

// ---------------------------------------------------------------- pieces

std::string csv_field(const std::string& text) {
    std::string s = text;
    // A spreadsheet runs a cell that starts like a formula: shown as text instead.
    if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r'))
        s.insert(0, 1, '\'');
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::string iso_time(int64_t millis) {
    std::time_t t = static_cast<std::time_t>(millis / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
    return buf;
}

std::string xlsx_column(int index) {
    std::string out;
    for (int n = index + 1; n > 0; n = (n - 1) / 26) out.insert(out.begin(), static_cast<char>('A' + (n - 1) % 26));
    return out;
}

namespace {

void put(std::FILE* out, const std::string& s) {
    if (!s.empty() && std::fwrite(s.data(), 1, s.size(), out) != s.size()) throw std::runtime_error("export: write failed");
}

// ---------------------------------------------------------------- CSV

class CsvWriter final : public TableWriter {
public:
    explicit CsvWriter(std::FILE* out) : out_(out) { put(out_, "\xEF\xBB\xBF"); }
    void header(const std::vector<std::string>& titles) override {
        std::vector<Cell> cells;
        for (const auto& t : titles) cells.push_back(Cell::str(t));
        row(cells);
    }
    void row(const std::vector<Cell>& cells) override {
        std::string line;
        for (size_t i = 0; i < cells.size(); ++i) {
            if (i) line += ',';
            const Cell& c = cells[i];
            if (c.kind == Cell::Kind::number) line += std::to_string(c.value);
            else if (c.kind == Cell::Kind::time) line += c.value > 0 ? iso_time(c.value) : "";
            else line += csv_field(c.text);
        }
        put(out_, line + "\r\n");
    }
    void finish() override {
        if (std::fflush(out_) != 0) throw std::runtime_error("export: write failed");
    }

private:
    std::FILE* out_;
};

// ---------------------------------------------------------------- ZIP, streamed

void le16(std::string& b, unsigned v) {
    b += static_cast<char>(v & 0xff);
    b += static_cast<char>((v >> 8) & 0xff);
}
void le32(std::string& b, uint32_t v) {
    for (int i = 0; i < 4; ++i) b += static_cast<char>((v >> (8 * i)) & 0xff);
}

// Entries deflated as they are written; each entry's CRC and sizes follow its data (flag
// bit 3), the central directory comes at the end. Up to 4 GB (no ZIP64).
class ZipStream {
public:
    explicit ZipStream(std::FILE* out) : out_(out) {
        std::time_t t = std::time(nullptr);
        std::tm tm{};
        gmtime_r(&t, &tm);
        dos_time_ = static_cast<unsigned>((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
        dos_date_ = static_cast<unsigned>(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
    }
    ~ZipStream() {
        if (open_) deflateEnd(&z_);
    }
    void begin(const std::string& name) {
        Entry e{name, offset_, 0, 0, 0};
        std::string h;
        le32(h, 0x04034b50);
        le16(h, 20);
        le16(h, 0x0808);  // sizes after the data; UTF-8 names
        le16(h, 8);       // deflate
        le16(h, dos_time_);
        le16(h, dos_date_);
        le32(h, 0);
        le32(h, 0);
        le32(h, 0);
        le16(h, static_cast<unsigned>(name.size()));
        le16(h, 0);
        h += name;
        write(h);
        entries_.push_back(e);
        z_ = z_stream{};
        if (deflateInit2(&z_, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) throw std::runtime_error("export: zlib");
        open_ = true;
    }
    void data(const std::string& s) {
        Entry& e = entries_.back();
        e.crc = static_cast<uint32_t>(crc32(e.crc, reinterpret_cast<const Bytef*>(s.data()), static_cast<uInt>(s.size())));
        e.size += s.size();
        pump(s, Z_NO_FLUSH);
    }
    void end() {
        pump("", Z_FINISH);
        deflateEnd(&z_);
        open_ = false;
        Entry& e = entries_.back();
        std::string d;
        le32(d, 0x08074b50);
        le32(d, e.crc);
        le32(d, static_cast<uint32_t>(e.packed));
        le32(d, static_cast<uint32_t>(e.size));
        write(d);
    }
    void finish() {
        const uint64_t dir = offset_;
        std::string c;
        for (const auto& e : entries_) {
            le32(c, 0x02014b50);
            le16(c, 20);
            le16(c, 20);
            le16(c, 0x0808);
            le16(c, 8);
            le16(c, dos_time_);
            le16(c, dos_date_);
            le32(c, e.crc);
            le32(c, static_cast<uint32_t>(e.packed));
            le32(c, static_cast<uint32_t>(e.size));
            le16(c, static_cast<unsigned>(e.name.size()));
            le16(c, 0);
            le16(c, 0);
            le16(c, 0);
            le16(c, 0);
            le32(c, 0);
            le32(c, static_cast<uint32_t>(e.offset));
            c += e.name;
        }
        std::string end;
        le32(end, 0x06054b50);
        le16(end, 0);
        le16(end, 0);
        le16(end, static_cast<unsigned>(entries_.size()));
        le16(end, static_cast<unsigned>(entries_.size()));
        le32(end, static_cast<uint32_t>(c.size()));
        le32(end, static_cast<uint32_t>(dir));
        le16(end, 0);
        write(c + end);
        if (offset_ > 0xffffffffu) throw std::runtime_error("export: over 4 GB");
        if (std::fflush(out_) != 0) throw std::runtime_error("export: write failed");
    }

private:
    struct Entry {
        std::string name;
        uint64_t offset, size, packed;
        uint32_t crc;
    };
    void write(const std::string& s) {
        put(out_, s);
        offset_ += s.size();
    }
    void pump(const std::string& in, int flush) {
        z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
        z_.avail_in = static_cast<uInt>(in.size());
        char buf[16384];
        do {
            z_.next_out = reinterpret_cast<Bytef*>(buf);
            z_.avail_out = sizeof buf;
            if (deflate(&z_, flush) == Z_STREAM_ERROR) throw std::runtime_error("export: zlib");
            const size_t n = sizeof buf - z_.avail_out;
            write(std::string(buf, n));
            entries_.back().packed += n;
        } while (z_.avail_out == 0 || (flush == Z_FINISH && z_.avail_in > 0));
    }

    std::FILE* out_;
    uint64_t offset_ = 0;
    std::vector<Entry> entries_;
    z_stream z_{};
    bool open_ = false;
    unsigned dos_time_ = 0, dos_date_ = 0;
};

// ---------------------------------------------------------------- XLSX

std::string xml_text(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (unsigned char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default:
            // XML 1.0 has no other control characters than tab, newline and return.
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') out += ' ';
            else out += static_cast<char>(c);
        }
    }
    return out;
}

constexpr const char* kContentTypes =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
    R"(<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>)"
    R"(<Default Extension="xml" ContentType="application/xml"/>)"
    R"(<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>)"
    R"(<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>)"
    R"(<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>)"
    R"(</Types>)";
constexpr const char* kRootRels =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>)"
    R"(</Relationships>)";
constexpr const char* kWorkbook =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    R"(<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)"
    R"(<sheets><sheet name="Requests" sheetId="1" r:id="rId1"/></sheets></workbook>)";
constexpr const char* kWorkbookRels =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>)"
    R"(<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>)"
    R"(</Relationships>)";
// Styles: 0 plain, 1 bold (the header), 2 a date and time.
constexpr const char* kStyles =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    R"(<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)"
    R"(<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/></numFmts>)"
    R"(<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>)"
    R"(<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>)"
    R"(<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>)"
    R"(<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>)"
    R"(<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>)"
    R"(<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>)"
    R"(<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>)"
    R"(</styleSheet>)";

class XlsxWriter final : public TableWriter {
public:
    explicit XlsxWriter(std::FILE* out) : zip_(out) {
        for (auto [name, text] : {std::pair{"[Content_Types].xml", kContentTypes}, {"_rels/.rels", kRootRels},
                                  {"xl/workbook.xml", kWorkbook}, {"xl/_rels/workbook.xml.rels", kWorkbookRels},
                                  {"xl/styles.xml", kStyles}}) {
            zip_.begin(name);
            zip_.data(text);
            zip_.end();
        }
        zip_.begin("xl/worksheets/sheet1.xml");
        zip_.data(R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
                  R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)"
                  R"(<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>)"
                  R"(<sheetData>)");
    }
    void header(const std::vector<std::string>& titles) override {
        std::vector<Cell> cells;
        for (const auto& t : titles) cells.push_back(Cell::str(t));
        write_row(cells, /*style=*/1);
    }
    void row(const std::vector<Cell>& cells) override { write_row(cells, 0); }
    void finish() override {
        zip_.data("</sheetData></worksheet>");
        zip_.end();
        zip_.finish();
    }

private:
    void write_row(const std::vector<Cell>& cells, int style) {
        ++rows_;
        const std::string r = std::to_string(rows_);
        std::string x = "<row r=\"" + r + "\">";
        for (size_t i = 0; i < cells.size(); ++i) {
            const Cell& c = cells[i];
            const std::string ref = xlsx_column(static_cast<int>(i)) + r;
            const std::string s = style ? " s=\"" + std::to_string(style) + "\"" : "";
            if (c.kind == Cell::Kind::number) {
                x += "<c r=\"" + ref + "\"" + s + "><v>" + std::to_string(c.value) + "</v></c>";
            } else if (c.kind == Cell::Kind::time) {
                if (c.value <= 0) continue;
                // Days since 1899-12-30, the spreadsheet's epoch.
                char v[32];
                std::snprintf(v, sizeof v, "%.6f", static_cast<double>(c.value) / 86400000.0 + 25569.0);
                x += "<c r=\"" + ref + "\" s=\"2\"><v>" + v + "</v></c>";
            } else if (!c.text.empty()) {
                x += "<c r=\"" + ref + "\" t=\"inlineStr\"" + s + "><is><t xml:space=\"preserve\">" + xml_text(c.text) +
                     "</t></is></c>";
            }
        }
        zip_.data(x + "</row>");
    }

    ZipStream zip_;
    int64_t rows_ = 0;
};

}  // namespace

std::unique_ptr<TableWriter> make_table_writer(const std::string& format, std::FILE* out) {
    if (format == "csv") return std::make_unique<CsvWriter>(out);
    if (format == "xlsx") return std::make_unique<XlsxWriter>(out);
    return nullptr;
}

}  // namespace parley::server
