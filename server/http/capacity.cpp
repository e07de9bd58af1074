// Connections and file descriptors. See capacity.h.
#include "server/http/capacity.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>

namespace parley::server {

long raise_descriptor_limit() {
    rlimit r{};
    if (getrlimit(RLIMIT_NOFILE, &r) != 0) return 1024;
    if (r.rlim_cur < r.rlim_max) {
        rlim_t want = r.rlim_max;
        if (want == RLIM_INFINITY) {  // the kernel's own ceiling applies
            long nr_open = 1048576;
            std::ifstream("/proc/sys/fs/nr_open") >> nr_open;
            want = static_cast<rlim_t>(nr_open);
        }
        rlimit up{want, r.rlim_max};
        if (setrlimit(RLIMIT_NOFILE, &up) == 0) r.rlim_cur = want;
    }
    return r.rlim_cur == RLIM_INFINITY ? 1048576 : static_cast<long>(r.rlim_cur);
}

void plan_capacity(Capacity& c, long descriptor_limit, long max_connections) {
    // An eighth (at least 64) for the database connections, logs, the outbox, uploads in
    // progress and files being sent; the watchdog covers the rare moment it is not enough.
    long cap = std::max(8L, descriptor_limit - std::max(64L, descriptor_limit / 8));
    if (max_connections > 0) cap = max_connections;
    c.refuse_at = cap;
    c.busy_at = std::max(1L, cap - std::max(4L, cap / 10));
}

bool descriptors_exhausted() {
    int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno == EMFILE || errno == ENFILE;
    ::close(fd);
    return false;
}

long accept_queue_length(int fd) {
#ifdef TCP_INFO
    if (fd < 0) return 0;
    tcp_info info{};
    socklen_t len = sizeof info;
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len) != 0) return 0;
    return static_cast<long>(info.tcpi_unacked);  // for a listening socket: its accept queue
#else
    (void)fd;
    return 0;
#endif
}

}  // namespace parley::server
