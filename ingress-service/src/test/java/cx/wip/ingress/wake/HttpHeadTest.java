package cx.wip.ingress.wake;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the waker accepts as a request head, and how it passes it on. */
class HttpHeadTest {
    static HttpHead head(String text) throws Exception {
        return HttpHead.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1))).orElseThrow();
    }

    @Test
    void host_isLowerCaseWithoutPort() throws Exception {
        assertThat(head("GET /a?b=1 HTTP/1.1\r\nHost: Web.Alice.WIP.test:443\r\n\r\n").requestHost())
                .isEqualTo("web.alice.wip.test");
    }

    @Test
    void relayedHead_keepsHostAndForwardedFields_andClosesTheConnection() throws Exception {
        HttpHead head = head("POST /x HTTP/1.1\r\nHost: web.a.test\r\nConnection: keep-alive\r\nKeep-Alive: 5\r\n"
                + "X-Forwarded-For: 203.0.113.9\r\nContent-Length: 3\r\n\r\nabc");

        assertThat(new String(head.bytes(true), StandardCharsets.ISO_8859_1)).isEqualTo("POST /x HTTP/1.1\r\n"
                + "Host: web.a.test\r\nX-Forwarded-For: 203.0.113.9\r\nContent-Length: 3\r\nConnection: close\r\n\r\n");
    }

    @Test
    void requestsThatCouldNameAnotherServer_orSmuggle_areRefused() {
        for (String bad : new String[] {
            "GET http://127.0.0.1:22/ HTTP/1.1\r\nHost: web.a.test\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: web.a.test\r\nHost: 127.0.0.1\r\n\r\n",
            "GET / HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: web.a.test@127.0.0.1\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: web.a.test\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: web.a.test\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: web.a.test\r\nX: a\rInjected: 1\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: web.a.test\r\n folded\r\n\r\n",
        }) {
            assertThatThrownBy(() -> head(bad).requestHost()).as(bad).isInstanceOf(HttpHead.Malformed.class);
        }
    }

    @Test
    void endlessHead_isRefusedAtTheLimit() {
        String endless = "GET / HTTP/1.1\r\nX: " + "a".repeat(HttpHead.MAX_BYTES) + "\r\n\r\n";

        assertThatThrownBy(() -> head(endless)).isInstanceOf(HttpHead.Malformed.class);
    }
}
