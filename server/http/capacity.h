// Connections and file descriptors. Every connection costs a descriptor (two while a
// file is sent), and an accept that fails for want of one is never retried by RESTinio:
// the server would stop answering for good. So the server raises its own descriptor
// limit at start, keeps its connections below it (503 + Retry-After from `busy_at` on,
// new connections closed at once from `refuse_at` on), and a watchdog re-opens the
// listening socket of a worker that has stopped accepting (connections queue on it,
// none is taken for two seconds) once descriptors are available again.
#pragma once
#include <atomic>
#include <cstdint>

namespace parley::server {

struct Capacity {
    std::atomic<long> open{0};  // connections accepted and not closed yet
    long busy_at = 0;           // from this many open connections a request gets 503
    long refuse_at = 0;         // from this many a new connection is closed unread
};

// Raises the soft RLIMIT_NOFILE to the hard one; returns the soft limit now in force.
long raise_descriptor_limit();

// The caps for a descriptor limit, leaving room for the database, logs and files. `max_connections` (> 0) overrides the derived cap (tests).
void plan_capacity(Capacity& c, long descriptor_limit, long max_connections = 0);

// True when the process cannot open one more descriptor right now (EMFILE/ENFILE).
bool descriptors_exhausted();

// Connections waiting in a listening socket's accept queue (Linux TCP_INFO); 0 if unknown.
long accept_queue_length(int listening_fd);

}  // namespace parley::server
