// Export: a table written row by row to a file, as CSV or as an Excel workbook (XLSX),
// so that an export of any size takes the same memory. Text cells are UTF-8.
//
// CSV: UTF-8 with a byte order mark (spreadsheet programs then read the accents right),
// RFC 4180 quoting, CRLF. A text cell that a spreadsheet would run as a formula (it starts
// with = + - @, a tab or a carriage return) gets a leading apostrophe: a buyer's name is
// shown, never executed.
// XLSX: one worksheet with inline strings (no shared-string table to hold), a bold
// frozen header row, numbers as numbers and dates as dates; the ZIP entries are deflated
// as they are written (sizes in data descriptors).
#pragma once
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace parley::server {

// One cell: text, a whole number, or a date-time (milliseconds since 1970, shown in UTC).
struct Cell {
    enum class Kind { text, number, time } kind = Kind::text;
    std::string text;
    int64_t value = 0;
    static Cell str(std::string s) { return Cell{Kind::text, std::move(s), 0}; }
    static Cell num(int64_t v) { return Cell{Kind::number, {}, v}; }
    static Cell when(int64_t millis) { return Cell{Kind::time, {}, millis}; }
};

class TableWriter {
public:
    virtual ~TableWriter() = default;
    // The column titles first, then each row (as many cells as titles).
    virtual void header(const std::vector<std::string>& titles) = 0;
    virtual void row(const std::vector<Cell>& cells) = 0;
    // Completes the file (the workbook's directory); throws on a write error.
    virtual void finish() = 0;
};

// Writers into `out` (not closed by them). format: "csv" | "xlsx"; nullptr otherwise.
std::unique_ptr<TableWriter> make_table_writer(const std::string& format, std::FILE* out);

// Pieces, for tests.
std::string csv_field(const std::string& text);  // quoted when needed, formulas defused
std::string iso_time(int64_t millis);            // "2026-12-07 05:43" (UTC)
std::string xlsx_column(int index);              // 0 → "A", 26 → "AA"

}  // namespace parley::server
