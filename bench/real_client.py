#!/usr/bin/env python3
"""Clients for bench/real.sh that wrk and the docker CLI cannot be:

  latency ADDRESS PATH SECONDS [TOKEN]   one keep-alive connection, sequential GETs for SECONDS; prints
                                         "latency requests=N p50_us=… p99_us=… errors=E". ADDRESS is
                                         unix:/path/docker.sock or tcp:host:port, so the engine's own socket
                                         (direct) is measured by the same client as the proxies.
  attach ADDRESS CONTAINER COUNT [TOKEN] opens COUNT attach sessions (stdin, stdout, stderr; Upgrade: tcp) and
                                         holds them idle; prints "held N" (N = sessions the server upgraded),
                                         then closes them all when stdin ends or a line arrives, prints "closed".
"""
import resource
import socket
import sys
import time


def connect(address):
    kind, _, rest = address.partition(":")
    if kind == "unix":
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(rest)
    else:
        host, _, port = rest.rpartition(":")
        s = socket.create_connection((host, int(port)))
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def head_lines(token):
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    return f"Host: docker\r\nUser-Agent: wip-bench\r\n{auth}"


class Reader:
    def __init__(self, sock):
        self.sock, self.buf = sock, b""

    def fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise EOFError("connection closed")
        self.buf += data

    def until(self, marker):
        while marker not in self.buf:
            self.fill()
        i = self.buf.index(marker) + len(marker)
        out, self.buf = self.buf[:i], self.buf[i:]
        return out

    def exactly(self, n):
        while len(self.buf) < n:
            self.fill()
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def response(self):
        """Reads one response (Content-Length or chunked body); returns its status."""
        head = self.until(b"\r\n\r\n").decode("latin-1")
        status = int(head.split(" ", 2)[1])
        headers = {l.split(":", 1)[0].strip().lower(): l.split(":", 1)[1].strip()
                   for l in head.split("\r\n")[1:] if ":" in l}
        if "content-length" in headers:
            self.exactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                size = int(self.until(b"\r\n").split(b";")[0], 16)
                self.exactly(size + 2)
                if size == 0:
                    break
        return status


def latency(address, path, seconds, token=None):
    sock = connect(address)
    reader = Reader(sock)
    request = f"GET {path} HTTP/1.1\r\n{head_lines(token)}\r\n".encode()
    samples, errors = [], 0
    for _ in range(20):  # warm the connection and the server's path
        sock.sendall(request)
        reader.response()
    end = time.monotonic() + float(seconds)
    while time.monotonic() < end:
        t0 = time.perf_counter_ns()
        sock.sendall(request)
        status = reader.response()
        samples.append((time.perf_counter_ns() - t0) // 1000)
        errors += status // 100 != 2
    samples.sort()
    pick = lambda q: samples[min(len(samples) - 1, int(len(samples) * q))]
    print(f"latency requests={len(samples)} p50_us={pick(0.5)} p99_us={pick(0.99)} errors={errors}", flush=True)


def attach(address, container, count, token=None):
    count = int(count)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, count + 64)), hard))
    request = (f"POST /containers/{container}/attach?stream=1&stdin=1&stdout=1&stderr=1 HTTP/1.1\r\n"
               f"{head_lines(token)}Content-Type: text/plain\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n").encode()
    held, failures = [], {}
    for _ in range(count):
        try:
            sock = connect(address)
            sock.sendall(request)
            status = int(Reader(sock).until(b"\r\n\r\n").split(b" ", 2)[1])
            if status == 101:
                held.append(sock)
            else:
                failures[status] = failures.get(status, 0) + 1
                sock.close()
        except (OSError, EOFError) as e:
            failures[type(e).__name__] = failures.get(type(e).__name__, 0) + 1
    print(f"held {len(held)} failures {failures}", flush=True)
    sys.stdin.readline()
    for sock in held:
        sock.close()
    print("closed", flush=True)


if __name__ == "__main__":
    {"latency": latency, "attach": attach}[sys.argv[1]](*sys.argv[2:])
