package dev.hfr.browser;

import org.junit.jupiter.api.Tag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 item 2: a composition may reach nothing but its own site server. A listener on 127.0.0.1 (TCP and
 * UDP on one port, answering every HTTP request with 200 "ok" and CORS open, as an attacker's server would)
 * must see no connection and no datagram while the page tries fetch, XHR, EventSource, an image, a
 * WebSocket, sendBeacon, a preconnect, WebRTC with STUN and TURN servers at the listener, DNS names
 * (localhost, *.localhost) and 0.0.0.0 for it. The page draws each attempt's outcome; the frame must show every attempt refused and
 * the page's own same-origin fetch answered.
 */
@Tag("integration")
class NetworkBlockTest {
    /** Cells left to right; "self" is the control: a fetch of the page's own origin, which must work. */
    private static final List<String> CELLS = List.of("self", "fetch", "xhr", "eventsource", "img", "websocket",
            "dns-localhost", "dns-subdomain", "any-address", "webrtc");

    @TempDir
    Path tmp;

    /** Accepts and answers on TCP, reads datagrams on UDP, for at most the test's life (closed by try-with-resources). */
    static final class Listener implements AutoCloseable {
        final ServerSocket tcp;
        final DatagramSocket udp;
        final List<String> seen = new CopyOnWriteArrayList<>();
        private volatile boolean open = true;
        private final Thread tcpThread;
        private final Thread udpThread;

        Listener() throws IOException {
            InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
            tcp = new ServerSocket(0, 50, loopback);
            tcp.setSoTimeout(200);
            udp = new DatagramSocket(new InetSocketAddress(loopback, tcp.getLocalPort()));
            udp.setSoTimeout(200);
            tcpThread = Thread.ofPlatform().daemon().name("test-listener-tcp").start(this::acceptLoop);
            udpThread = Thread.ofPlatform().daemon().name("test-listener-udp").start(this::receiveLoop);
        }

        int port() {
            return tcp.getLocalPort();
        }

        private void acceptLoop() {
            while (open) {
                try (Socket s = tcp.accept()) {
                    s.setSoTimeout(500);
                    byte[] head = new byte[80];
                    int n = Math.max(0, s.getInputStream().read(head));
                    seen.add("tcp: " + new String(head, 0, n, StandardCharsets.ISO_8859_1).lines().findFirst().orElse(""));
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nContent-Type: text/plain\r\n"
                            + "Content-Length: 2\r\nConnection: close\r\n\r\nok").getBytes(StandardCharsets.US_ASCII));
                } catch (SocketTimeoutException e) {
                    // poll the open flag
                } catch (IOException e) {
                    if (open) {
                        seen.add("tcp error: " + e);
                    }
                }
            }
        }

        private void receiveLoop() {
            byte[] buf = new byte[2048];
            while (open) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    udp.receive(p);
                    seen.add("udp: " + p.getLength() + " bytes from " + p.getSocketAddress());
                } catch (SocketTimeoutException e) {
                    // poll the open flag
                } catch (IOException e) {
                    if (open) {
                        seen.add("udp error: " + e);
                    }
                }
            }
        }

        @Override
        public void close() throws IOException, InterruptedException {
            open = false;
            tcpThread.join(2000);
            udpThread.join(2000);
            tcp.close();
            udp.close();
        }
    }

    static String page(int port) {
        String l = "http://127.0.0.1:" + port;
        return ProbePage.html("net", CELLS, """
                  const L = '%s';
                  fetch(L + '/fetch').then(() => settle('fetch', true), () => settle('fetch', false));
                  const x = new XMLHttpRequest();
                  x.onload = () => settle('xhr', true); x.onerror = () => settle('xhr', false);
                  x.open('GET', L + '/xhr'); x.send();
                  const es = new EventSource(L + '/events');
                  es.onopen = () => settle('eventsource', true);
                  es.onerror = () => { es.close(); settle('eventsource', false); };
                  const img = new Image();
                  img.onload = () => settle('img', true); img.onerror = () => settle('img', false);
                  img.src = L + '/pixel.png';
                  try {
                    const ws = new WebSocket(L.replace('http:', 'ws:') + '/socket');
                    ws.onopen = () => settle('websocket', true);
                    ws.onmessage = () => settle('websocket', true);
                    ws.onerror = () => settle('websocket', false);
                  } catch (e) { settle('websocket', false); }
                  try { navigator.sendBeacon(L + '/beacon', 'x'); } catch (e) { /* the listener decides */ }
                  const port = L.split(':')[2];
                  fetch('http://localhost:' + port + '/dns').then(() => settle('dns-localhost', true),
                      () => settle('dns-localhost', false));
                  fetch('http://hfr-test.localhost:' + port + '/dns').then(() => settle('dns-subdomain', true),
                      () => settle('dns-subdomain', false));
                  // 0.0.0.0 reaches 127.0.0.1 on Linux when connected directly
                  fetch('http://0.0.0.0:' + port + '/any').then(() => settle('any-address', true),
                      () => settle('any-address', false));
                  // a preconnect opens a socket without a request, which request routing never sees
                  const pre = document.createElement('link');
                  pre.rel = 'preconnect'; pre.href = L; document.head.appendChild(pre);
                  try {
                    const pc = new RTCPeerConnection({ iceServers: [
                      { urls: 'stun:127.0.0.1:' + port },
                      { urls: ['turn:127.0.0.1:' + port + '?transport=udp', 'turn:127.0.0.1:' + port + '?transport=tcp'],
                        username: 'u', credential: 'p' }] });
                    const found = [];
                    pc.onicecandidate = e => {
                      if (e.candidate && e.candidate.candidate) found.push(e.candidate.candidate);
                      if (!e.candidate) settle('webrtc', found.length > 0);
                    };
                    pc.createDataChannel('d');
                    pc.createOffer().then(o => pc.setLocalDescription(o));
                    setTimeout(() => settle('webrtc', found.length > 0), 3000);
                  } catch (e) { settle('webrtc', false); }
                """.formatted(l));
    }

    @Test
    void noSocketLeavesTheBrowserButToItsOwnSiteServer() throws Exception {
        Path site = Files.createDirectories(tmp.resolve("net"));
        BrowserOptions options = BrowserOptions.defaults().withTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(10));
        try (Listener listener = new Listener()) {
            Files.writeString(site.resolve("index.html"), page(listener.port()));
            BufferedImage frame;
            try (CompositionPage page = CompositionPage.open(options, site, "index.html", TestSites.W, TestSites.H, 30)) {
                frame = TestSites.decode(page.captureFrame(0, "png", 100));
            }
            // a late connection (a retry, a beacon sent on unload) would still count
            Thread.sleep(300);
            assertEquals(ProbePage.onlySelfReached(CELLS), ProbePage.outcomes(frame, CELLS), "listener saw " + listener.seen);
            assertEquals(List.of(), listener.seen, "nothing may reach 127.0.0.1:" + listener.port());
        }
    }
}
