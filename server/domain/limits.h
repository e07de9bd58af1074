// The domain's fixed limits and lifetimes: sessions and sign-in links, pending uploads,
// idempotency keys, page sizes, the notification backlog.
#pragma once
#include <cstddef>
#include <cstdint>

#include "net/wire.h"

namespace parley::server {

constexpr Millis kSessionTtl = 30LL * 24 * 3600 * 1000;    // 30 days
constexpr Millis kDemoLinkTtl = 7LL * 24 * 3600 * 1000;    // 7 days
constexpr Millis kMailLinkTtl = 14LL * 24 * 3600 * 1000;   // sign-in links in e-mails
// A session made from the sign-in link of a notification e-mail opens only that request
// (a scoped session), for a week: a forwarded or leaked mail must not hand over the
// account for a month. A full session comes from a fresh link mailed on request, valid
// half an hour and once.
constexpr Millis kScopedSessionTtl = 7LL * 24 * 3600 * 1000;  // 7 days
constexpr Millis kFullLinkTtl = 30LL * 60 * 1000;             // 30 minutes, single use
// How long an instance trusts what it read of a user's e-mail address being undeliverable:
// another instance on the same database may see it bounce or change meanwhile.
constexpr Millis kUndeliverableTtl = 60LL * 1000;
constexpr Millis kPendingUploadTtl = 24LL * 3600 * 1000;     // uploads never sent with a message
constexpr int64_t kMaxPendingUploadBytes = 100LL * 1024 * 1024;  // per user, not sent yet
constexpr size_t kMaxIdempotencyKey = 200;
constexpr int kMaxEventsPerBatch = 100;
constexpr int kThreadPage = 50;     // messages of a thread per page
constexpr int kMaxInboxPage = 100;  // rows of an inbox page at most
// Posts whose notification mails may wait in the queue (notify_queue.h) before new posts
// wait for them: a few seconds of posts at full speed, a few MB of memory.
constexpr size_t kMaxNotifyBacklog = 20000;

}  // namespace parley::server
