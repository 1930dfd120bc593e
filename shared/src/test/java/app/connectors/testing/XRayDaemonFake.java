package app.connectors.testing;

import app.connectors.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A stand-in for the X-Ray daemon: a UDP socket on 127.0.0.1 (a free port) that keeps every datagram
 * it receives, checks the daemon's framing (the {@code {"format": "json", "version": 1}} header line,
 * then one JSON document) and parses the document. Datagrams that break the framing are kept apart,
 * so a test can assert there were none.
 *
 * <pre>{@code
 * try (XRayDaemonFake daemon = XRayDaemonFake.start()) {
 *     env.put("AWS_XRAY_DAEMON_ADDRESS", daemon.address());
 *     ...
 *     List<JsonNode> subsegments = daemon.await(3, Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class XRayDaemonFake implements AutoCloseable {

    private static final String HEADER = "{\"format\": \"json\", \"version\": 1}";

    private final DatagramSocket socket;
    private final Thread receiver;
    private final List<JsonNode> documents = new CopyOnWriteArrayList<>();
    private final List<String> raw = new CopyOnWriteArrayList<>();
    private final List<String> malformed = new CopyOnWriteArrayList<>();

    private XRayDaemonFake() throws SocketException {
        this.socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        this.receiver = Thread.ofPlatform().daemon().name("xray-daemon-fake").start(this::receive);
    }

    public static XRayDaemonFake start() {
        try {
            return new XRayDaemonFake();
        } catch (SocketException e) {
            throw new IllegalStateException("cannot open a UDP socket on 127.0.0.1", e);
        }
    }

    /** What {@code AWS_XRAY_DAEMON_ADDRESS} should say to reach this fake. */
    public String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void receive() {
        byte[] buffer = new byte[65_536];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return; // closed
            }
            String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
            raw.add(text);
            int newline = text.indexOf('\n');
            if (newline < 0 || !text.substring(0, newline).equals(HEADER)) {
                malformed.add(text);
                continue;
            }
            try {
                documents.add(Json.MAPPER.readTree(text.substring(newline + 1)));
            } catch (IOException e) {
                malformed.add(text);
            }
        }
    }

    /** Every well-framed document received so far, in arrival order. */
    public List<JsonNode> documents() {
        return List.copyOf(documents);
    }

    /** Every datagram received so far, exactly as it arrived (for searching for what must never be sent). */
    public List<String> datagrams() {
        return List.copyOf(raw);
    }

    /** Datagrams that were not a header line and a JSON document. */
    public List<String> malformed() {
        return List.copyOf(malformed);
    }

    /** Waits until at least {@code count} documents match {@code which}, then returns those that do. */
    public List<JsonNode> await(Predicate<JsonNode> which, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<JsonNode> found = new ArrayList<>(documents.stream().filter(which).toList());
            if (found.size() >= count) {
                return found;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " matching X-Ray documents within " + timeout
                        + ", got " + found.size() + " of " + documents.size() + ": " + documents);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    @Override
    public void close() {
        socket.close();
        try {
            receiver.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
