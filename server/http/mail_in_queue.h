// E-mail in off the HTTP workers. Reading a mail (MIME parsing, reply stripping) costs up
// to about a second for 10 MB of pathological input (bench/mail_in.sh); on the worker
// that received it, that second is taken from every other request of its connections.
// So mails handed in over HTTP (the inbound webhook, the development mailbox's reply
// form) wait in this small queue, bounded in jobs and in bytes, and are read by its own
// thread(s); the HTTP answer is sent when the job ends (Exchange::answer_later). When the
// queue is full the caller answers 503 + Retry-After at once: the sender (a provider's
// webhook, a person) tries again, and memory stays bounded whatever arrives.
#pragma once
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "server/http/exchange.h"

namespace parley::server {

struct Call;

struct MailInQueueLimits {
    unsigned threads = 1;                    // one reads a 10 MB mail in well under a second
    size_t max_jobs = 8;                     // waiting or running
    size_t max_bytes = 48u * 1024 * 1024;    // their mails together (each ≤ 10 MB)
};

class MailInQueue {
public:
    // Runs once: with `stopping` false normally, true when the server shuts down before
    // the job's turn (it should only answer, e.g. 503).
    // It returns what to do once its slot is free again (send the answer): a client that
    // got its answer and sends the next mail at once must find the queue with room.
    using Job = std::function<std::function<void()>(bool stopping)>;

    explicit MailInQueue(MailInQueueLimits limits);
    ~MailInQueue();  // stop()
    MailInQueue(const MailInQueue&) = delete;
    MailInQueue& operator=(const MailInQueue&) = delete;

    // Admits a job that holds `bytes` of mail; false when that would pass a limit or the
    // queue is stopped (the job is then dropped unrun: the caller answers).
    bool submit(size_t bytes, Job job);
    // Refuses new jobs, lets the running ones end, gives the waiting ones their
    // `stopping` run, joins the threads. Idempotent.
    void stop();

private:
    struct Item {
        size_t bytes;
        Job job;
    };
    void run();

    MailInQueueLimits limits_;
    std::mutex mu_;
    std::condition_variable wake_;
    std::deque<Item> waiting_;
    size_t jobs_ = 0, bytes_ = 0;  // admitted and not finished (waiting + running)
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

// The limits for this machine and the command line: one thread on up to three cores (the
// others answer HTTP), two from four; `max_jobs` 0 keeps the default.
MailInQueueLimits mail_in_limits(size_t max_jobs);

// Hands `work` to the queue of `c.site` and answers the request with its Answer when it
// ends; a 500 if it throws; `busy` at once when the queue is full or stopping. `bytes`:
// the mail the work holds.
void answer_from_mail_in(Call& c, size_t bytes, std::function<Answer()> work, Answer busy);

// 503 {"error":{"code":"busy",…}} with Retry-After: the queue is full.
Answer mail_in_busy_json();

}  // namespace parley::server
