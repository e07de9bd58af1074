// emscripten_fetch implementation of the API client.
#include "net/api.h"
#include <cstring>
#include <emscripten/emscripten.h>
#include <emscripten/eventloop.h>
#include <emscripten/fetch.h>

namespace parley {

namespace {
struct Pending {
    HttpRequest request;
    HttpDone done;
};

void finish(emscripten_fetch_t* f) {
    auto* p = static_cast<Pending*>(f->userData);
    HttpResult r;
    r.status = f->status;
    if (f->data && f->numBytes > 0) r.body.assign(f->data, (size_t)f->numBytes);
    emscripten_fetch_close(f);
    HttpDone done = std::move(p->done);
    delete p;
    done(r);
}

void start(Pending* p) {
    emscripten_fetch_attr_t attr;
    emscripten_fetch_attr_init(&attr);
    std::strncpy(attr.requestMethod, p->request.method.c_str(), sizeof(attr.requestMethod) - 1);
    attr.attributes = EMSCRIPTEN_FETCH_LOAD_TO_MEMORY;
    attr.onsuccess = finish;
    attr.onerror = finish;
    attr.userData = p;
    attr.timeoutMSecs = (unsigned long)p->request.timeout_ms;
    // Header strings are copied by emscripten_fetch before it returns.
    const char* headers[7] = {"Accept", "application/json", nullptr, nullptr, nullptr, nullptr, nullptr};
    int h = 2;
    if (!p->request.body.empty()) { headers[h++] = "Content-Type"; headers[h++] = "application/json"; }
    if (!p->request.idempotency_key.empty()) {
        headers[h++] = "Idempotency-Key";
        headers[h++] = p->request.idempotency_key.c_str();
    }
    attr.requestHeaders = headers;
    if (!p->request.body.empty()) {
        attr.requestData = p->request.body.data();
        attr.requestDataSize = p->request.body.size();
    }
    emscripten_fetch(&attr, p->request.path.c_str());
}
}  // namespace

void http_call(const HttpRequest& request, HttpDone done) {
    auto* p = new Pending{request, std::move(done)};
    if (request.delay_ms > 0)
        emscripten_set_timeout([](void* u) { start(static_cast<Pending*>(u)); }, request.delay_ms, p);
    else
        start(p);
}

}  // namespace parley
