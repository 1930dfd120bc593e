package app.connectors.testing;

import app.connectors.net.AllowedTarget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.BufferedInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP/1.1 destination on 127.0.0.1 and a random port, for tests and the local stack's
 * integration tests. It records every request and answers from a queue of scripted
 * {@link FakeReply replies} first, then from its {@link FakeResponder} (by default 200
 * {@code {"received":true}}; {@link FakePlatform} has Slack, Discord, Teams, Zapier and signed
 * generic responders that check payloads against the platforms' limits).
 *
 * <p>It is a raw socket server rather than the JDK's HttpServer because resetting a connection,
 * hanging, or closing without an answer need the socket itself.
 *
 * <pre>{@code
 * try (FakeDestination slack = FakeDestination.start(FakePlatform.slack())) {
 *     slack.enqueue(FakeReply.tooManyRequests("1"));
 *     URI webhook = slack.uri("/services/T000/B000/XXXX");
 *     // ... deliver, with slack.allowedTarget() on the SSRF guard's allow-list ...
 *     RecordedRequest first = slack.awaitRequests(1, Duration.ofSeconds(5)).get(0);
 * }
 * }</pre>
 */
public final class FakeDestination implements AutoCloseable {

    private static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

    private final ServerSocket server;
    private final Queue<FakeReply> scripted = new ConcurrentLinkedQueue<>();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong bodyBytesWritten = new java.util.concurrent.atomic.AtomicLong();
    private volatile FakeResponder responder;
    private volatile boolean closed;

    private FakeDestination(FakeResponder responder) throws IOException {
        this.responder = responder;
        this.server = new ServerSocket();
        this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        Thread acceptor = new Thread(this::acceptLoop, "fake-destination-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A destination that answers 200 {@code {"received":true}} unless scripted otherwise. */
    public static FakeDestination start() {
        return start(FakePlatform.generic());
    }

    public static FakeDestination start(FakeResponder responder) {
        try {
            return new FakeDestination(responder);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind a local fake destination", e);
        }
    }

    /** Replies for the next requests, in order; once used up, the responder answers again. */
    public FakeDestination enqueue(FakeReply... replies) {
        scripted.addAll(List.of(replies));
        return this;
    }

    /** Replaces the responder that answers when the queue is empty. */
    public FakeDestination respondWith(FakeResponder newResponder) {
        this.responder = newResponder;
        return this;
    }

    public int port() {
        return server.getLocalPort();
    }

    public InetAddress address() {
        return server.getInetAddress();
    }

    /** {@code http://127.0.0.1:port} */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** The URL of {@code pathAndQuery} (which starts with {@code /}) on this destination. */
    public URI uri(String pathAndQuery) {
        return URI.create(baseUrl() + pathAndQuery);
    }

    /** What the SSRF guard must allow so that deliveries may reach this fake, and nothing else. */
    public AllowedTarget allowedTarget() {
        return new AllowedTarget(address(), port());
    }

    /** The requests so far, in arrival order. */
    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** How many TCP connections were accepted (pool reuse shows as fewer connections than requests). */
    public int connectionsAccepted() {
        return connections.get();
    }

    /**
     * Waits until at least {@code count} requests arrived and returns them all.
     *
     * @throws AssertionError when they do not arrive within {@code timeout}
     */
    public List<RecordedRequest> awaitRequests(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (requests) {
            while (requests.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + count + " request(s) within " + timeout
                            + " but got " + requests.size() + ": " + requests);
                }
                try {
                    requests.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for requests");
                }
            }
            return List.copyOf(requests);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket socket : open) {
            closeQuietly(socket);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                open.add(socket);
                Thread.ofVirtual().name("fake-connection").start(() -> serve(socket));
            } catch (IOException e) {
                if (!closed) {
                    // An accept failure on a live server is a broken test environment: stop loudly.
                    throw new IllegalStateException("fake destination accept failed", e);
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (!closed) {
                RecordedRequest request = readRequest(in);
                if (request == null) {
                    return; // the client closed the connection between requests
                }
                record(request);
                FakeReply reply = scripted.poll();
                if (reply == null) {
                    reply = answer(request);
                }
                boolean keepOpen = !request.header("connection").map(v -> v.equalsIgnoreCase("close")).orElse(false);
                switch (reply) {
                    case FakeReply.Answer answer -> write(out, answer, keepOpen);
                    case FakeReply.Hang hang -> {
                        drainUntilClosed(in);
                        return;
                    }
                    case FakeReply.Reset reset -> {
                        socket.setSoLinger(true, 0);
                        return;
                    }
                    case FakeReply.CloseWithoutAnswer close -> {
                        return;
                    }
                    case FakeReply.SlowBody slow -> {
                        trickle(out, slow);
                        return;
                    }
                    case FakeReply.HugeBody huge -> {
                        pour(out, huge);
                        return;
                    }
                }
                if (!keepOpen) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away; nothing to record
        } finally {
            open.remove(socket);
        }
    }

    private FakeReply answer(RecordedRequest request) {
        try {
            return responder.reply(request);
        } catch (RuntimeException e) {
            return FakeReply.text(500, "fake responder failed: " + e);
        }
    }

    private void record(RecordedRequest request) {
        synchronized (requests) {
            requests.add(request);
            requests.notifyAll();
        }
    }

    private static RecordedRequest readRequest(InputStream in) throws IOException {
        String requestLine = readLine(in);
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ");
        if (parts.length != 3) {
            throw new IOException("malformed request line");
        }
        Map<String, List<String>> headers = new TreeMap<>();
        int headBytes = requestLine.length();
        for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
            headBytes += line.length();
            if (headBytes > MAX_HEAD_BYTES) {
                throw new IOException("request head too large");
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).strip());
            }
        }
        byte[] body = readBody(in, headers);
        String target = parts[1];
        int question = target.indexOf('?');
        String path = question < 0 ? target : target.substring(0, question);
        String query = question < 0 ? "" : target.substring(question + 1);
        Map<String, List<String>> frozen = new TreeMap<>();
        headers.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return new RecordedRequest(parts[0], path, query, frozen, body, Instant.now());
    }

    private static byte[] readBody(InputStream in, Map<String, List<String>> headers) throws IOException {
        List<String> encoding = headers.getOrDefault("transfer-encoding", List.of());
        if (encoding.stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = readLine(in);
                if (sizeLine == null) {
                    throw new IOException("chunked body cut short");
                }
                int semicolon = sizeLine.indexOf(';');
                int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip(), 16);
                if (size == 0) {
                    for (String trailer = readLine(in); trailer != null && !trailer.isEmpty(); trailer = readLine(in)) {
                        // trailers are not recorded
                    }
                    return body.toByteArray();
                }
                if (body.size() + size > MAX_BODY_BYTES) {
                    throw new IOException("body too large");
                }
                body.write(in.readNBytes(size));
                readLine(in);
            }
        }
        List<String> length = headers.getOrDefault("content-length", List.of());
        if (length.isEmpty()) {
            return new byte[0];
        }
        int size = Integer.parseInt(length.get(0));
        if (size < 0 || size > MAX_BODY_BYTES) {
            throw new IOException("bad content length");
        }
        byte[] body = in.readNBytes(size);
        if (body.length != size) {
            throw new IOException("body cut short");
        }
        return body;
    }

    /** One CRLF- (or LF-) terminated line in ISO-8859-1; null at end of stream before any byte. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                int last = line.length() - 1;
                if (last >= 0 && line.charAt(last) == '\r') {
                    line.setLength(last);
                }
                return line.toString();
            }
            line.append((char) b);
            if (line.length() > MAX_HEAD_BYTES) {
                throw new IOException("line too long");
            }
        }
        return line.isEmpty() ? null : line.toString();
    }

    private static void write(OutputStream out, FakeReply.Answer answer, boolean keepOpen) throws IOException {
        StringBuilder head = new StringBuilder();
        head.append("HTTP/1.1 ").append(answer.status()).append(' ').append(reason(answer.status())).append("\r\n");
        answer.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        byte[] body = answer.body();
        boolean bodyless = answer.status() == 204 || answer.status() == 304 || answer.status() < 200;
        if (!bodyless) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("Connection: ").append(keepOpen ? "keep-alive" : "close").append("\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!bodyless) {
            out.write(body);
        }
        out.flush();
    }

    /** Body bytes written for {@link FakeReply.HugeBody} replies so far (what the client let through). */
    public long bodyBytesWritten() {
        return bodyBytesWritten.get();
    }

    private void pour(OutputStream out, FakeReply.HugeBody huge) throws IOException {
        String head = "HTTP/1.1 " + huge.status() + " " + reason(huge.status()) + "\r\n"
                + "Content-Type: application/octet-stream\r\nContent-Length: " + huge.bytes() + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        byte[] chunk = new byte[64 * 1024];
        for (long left = huge.bytes(); left > 0; ) {
            int n = (int) Math.min(chunk.length, left);
            out.write(chunk, 0, n);
            bodyBytesWritten.addAndGet(n);
            left -= n;
        }
        out.flush();
    }

    private static void trickle(OutputStream out, FakeReply.SlowBody slow) throws IOException {
        String head = "HTTP/1.1 " + slow.status() + " " + reason(slow.status()) + "\r\n"
                + "Content-Type: text/plain\r\nContent-Length: " + slow.bytes() + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        for (int i = 0; i < slow.bytes(); i++) {
            try {
                Thread.sleep(slow.interval());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            out.write('x');
            out.flush();
        }
    }

    private static void drainUntilClosed(InputStream in) {
        try {
            byte[] sink = new byte[1024];
            while (in.read(sink) != -1) {
                // say nothing; wait for the client (or close()) to end the connection
            }
        } catch (IOException ignored) {
            // the connection ended
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 410 -> "Gone";
            case 413 -> "Payload Too Large";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }
}
