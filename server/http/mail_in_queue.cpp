// E-mail in off the HTTP workers. See mail_in_queue.h.
#include "server/http/mail_in_queue.h"

#include <algorithm>
#include <exception>
#include <string>
#include <utility>

#include "server/base/log.h"
#include "server/http/handlers.h"
#include "server/http/util.h"

namespace parley::server {

MailInQueue::MailInQueue(MailInQueueLimits limits) : limits_(limits) {
    for (unsigned i = 0; i < std::max(1u, limits_.threads); ++i) threads_.emplace_back([this] { run(); });
}

MailInQueue::~MailInQueue() { stop(); }

bool MailInQueue::submit(size_t bytes, Job job) {
    {
        std::lock_guard lk(mu_);
        // A job alone is always admitted when nothing else is in: a mail under the
        // upload limit is never refused for its size alone.
        if (stopping_ || jobs_ >= limits_.max_jobs || (jobs_ > 0 && bytes_ + bytes > limits_.max_bytes)) return false;
        ++jobs_;
        bytes_ += bytes;
        waiting_.push_back(Item{bytes, std::move(job)});
    }
    wake_.notify_one();
    return true;
}

void MailInQueue::run() {
    for (;;) {
        Item item;
        bool stopping = false;
        {
            std::unique_lock lk(mu_);
            wake_.wait(lk, [&] { return stopping_ || !waiting_.empty(); });
            if (waiting_.empty()) return;  // stopping, nothing left
            item = std::move(waiting_.front());
            waiting_.pop_front();
            stopping = stopping_;
        }
        std::function<void()> then;
        try {
            then = item.job(stopping);
        } catch (const std::exception& e) {  // jobs answer their own errors; this is a last resort
            log_line(std::string("error: e-mail in: ") + e.what());
        } catch (...) {
            log_line("error: e-mail in: unknown exception");
        }
        item.job = nullptr;  // the request's mail goes now, not at the next job
        {
            std::lock_guard lk(mu_);
            --jobs_;
            bytes_ -= item.bytes;
        }
        // Answered only now that the slot is free (see Job).
        if (then) then();
    }
}

void MailInQueue::stop() {
    {
        std::lock_guard lk(mu_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_)
        if (t.joinable()) t.join();
}

MailInQueueLimits mail_in_limits(size_t max_jobs) {
    MailInQueueLimits l;
    l.threads = std::thread::hardware_concurrency() >= 4 ? 2 : 1;
    if (max_jobs > 0) l.max_jobs = max_jobs;
    return l;
}

Answer mail_in_busy_json() {
    return Answer{503, kJsonType,
                  error_body("busy", "Too many e-mails are being read right now; try again in a few seconds.", 5),
                  {{"Retry-After", "5"}, {"Cache-Control", "no-store"}}};
}

void answer_from_mail_in(Call& c, size_t bytes, std::function<Answer()> work, Answer busy) {
    Exchange::Later answer = c.ex.answer_later();
    const std::string path(loggable_path(c.ex.path()));
    bool admitted = c.site.mail_in.submit(bytes, [answer, work = std::move(work), busy, path](bool stopping) {
        Answer a = busy;
        if (!stopping) {
            try {
                a = work();
            } catch (const std::exception& e) {
                log_line("error: " + path + ": " + e.what());
                a = Answer{500, kJsonType, error_body("internal", "Internal server error."),
                           {{"Cache-Control", "no-store"}}};
            }
        }
        return std::function<void()>([answer, a = std::move(a)]() mutable { answer(std::move(a)); });
    });
    if (!admitted) answer(std::move(busy));
}

}  // namespace parley::server
