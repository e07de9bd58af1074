// Live delivery of writes made by another process (issue 6): `parley-server mail-in`
// posts into the same SQLite database from a separate process, so the server's hub
// never hears of it. A thread polls `PRAGMA data_version` on its own connection (it
// changes when any other connection commits; ~free otherwise) and, when it did, hands
// the new events and the requests with new received mails to Domain::sync_external.
#pragma once
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "server/domain/domain.h"
#include "server/store/sqlite/db.h"

namespace parley::server {

class DbWatch {
public:
    DbWatch(const std::string& db_path, Domain& domain,
            std::chrono::milliseconds period = std::chrono::milliseconds(250));
    ~DbWatch();  // stop()
    DbWatch(const DbWatch&) = delete;
    DbWatch& operator=(const DbWatch&) = delete;

    void start();
    void stop();
    // One check (the thread calls it every period): true when the database changed.
    // Storage errors are logged, not thrown.
    bool check_once();

private:
    std::vector<EventRecord> events_after(int64_t after);
    void run();

    SqliteDb db_;
    Domain& domain_;
    std::chrono::milliseconds period_;
    int64_t data_version_ = -1;
    int64_t seen_event_ = 0, seen_mail_ = 0;  // newest event / mail_in row looked at
    std::mutex mu_;
    std::condition_variable cv_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace parley::server
