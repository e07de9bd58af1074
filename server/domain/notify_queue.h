// Posts: the notification e-mails of a message, composed and queued in the outbox by a
// background thread, so that a post costs its one durable write and nothing else.
//
// Nothing is lost on a crash: the post's "message" event, stored in the post's own
// transaction, is the job. The queue keeps a durable cursor (a small file beside the
// database, "<db>.notify-cursor"): every post whose event id is at most the cursor had its mails
// committed to the outbox. The cursor is written only after those commits, so it is never
// ahead; at start-up Domain::recover_notifications reads the "message" events after it
// and queues them again, skipping the mails the outbox already holds (a crash between
// two mails of one post sends neither twice).
#pragma once
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "net/wire.h"

namespace parley::server {

// One post to notify about.
struct PostNotice {
    int64_t event_id = 0;  // the post's "message" event
    int64_t request_id = 0, conversation_id = 0;
    Message message;
    bool own_copy = true;    // the author gets a copy (not for replies that came by e-mail)
    bool recovered = false;  // re-read after a restart: mails already in the outbox are skipped
};

class NotifyQueue {
public:
    // Does a batch, oldest first; throws when it could not store everything (the batch is
    // then tried again, marked recovered, after a pause).
    using Work = std::function<void(std::vector<PostNotice>& batch)>;

    explicit NotifyQueue(std::string cursor_path);
    ~NotifyQueue();  // stop()
    NotifyQueue(const NotifyQueue&) = delete;
    NotifyQueue& operator=(const NotifyQueue&) = delete;

    // The durable cursor; when there is none yet (first start), `fallback` (the newest
    // event before any post of this process) is written and returned.
    int64_t load_cursor(int64_t fallback);
    // Called in event order (the domain's write lock held), before or after start().
    void push(PostNotice n);
    void start(Work work);
    // Returns once everything pushed before the call is done (readers of the outbox that
    // must see a post's mails: the development mailbox). Immediate when not started.
    void settle();
    // Returns once fewer than `most` notices wait (or the thread is not running): posters
    // call it before storing, so that the backlog, and its memory, stay bounded.
    void wait_below(size_t most);
    // Does what is queued, writes the cursor, joins the thread.
    void stop();
    size_t backlog() const;

private:
    void run();
    void save_cursor(int64_t cursor);

    std::string path_;
    Work work_;
    mutable std::mutex mu_;
    std::condition_variable cv_, done_cv_;
    std::deque<PostNotice> queue_;
    uint64_t pushed_ = 0, done_ = 0;  // notices ever pushed / finished
    int64_t saved_ = 0;               // the cursor on disk
    bool stopping_ = false, running_ = false;
    std::thread thread_;
};

}  // namespace parley::server
