// HTTP front end (RESTinio): one single-threaded server per worker thread, requests
// dispatched through the route table (routes.h) to the handlers (handlers.h), the
// static client as the fallback, long-polls answered from any thread.
#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include "server/domain/domain.h"
#include "server/http/options.h"

namespace parley::server {


// Serves until SIGINT or SIGTERM, then answers held long-polls, closes and returns.
// on_listening runs once, when the socket accepts connections. Throws if it cannot listen.
// How many worker threads serve() runs: options.threads, or by default two per core and
// at least 16 (posts block in their durable write; see server.cpp).
unsigned http_worker_threads(const HttpOptions& options);

void serve(Domain& domain, const HttpOptions& options, const std::function<void()>& on_listening);

}  // namespace parley::server
