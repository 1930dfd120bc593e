package app.connectors.trace;

import app.connectors.log.Log;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends segment documents to the X-Ray daemon over UDP: each datagram is the header line
 * {@code {"format": "json", "version": 1}} and one JSON document. On Lambda the daemon is the
 * service's own, at {@value #ADDRESS_VARIABLE}; it batches documents to X-Ray. Sending never blocks
 * and never fails the work being traced: a lost datagram is a lost subsegment, and failures are
 * logged (the first, then one in a thousand).
 *
 * <pre>{@code
 * XRayDaemon daemon = XRayDaemon.at(System.getenv(XRayDaemon.ADDRESS_VARIABLE));   // "169.254.79.129:2000"
 * }</pre>
 */
public final class XRayDaemon {

    public static final String ADDRESS_VARIABLE = "AWS_XRAY_DAEMON_ADDRESS";
    private static final byte[] HEADER = "{\"format\": \"json\", \"version\": 1}\n".getBytes(StandardCharsets.US_ASCII);
    /** The daemon's largest datagram; a larger document would be cut, so it is not sent. */
    static final int MAX_DATAGRAM = 64 * 1024;
    private static final Map<InetSocketAddress, XRayDaemon> BY_ADDRESS = new ConcurrentHashMap<>();

    private final InetSocketAddress address;
    private final DatagramChannel channel;
    private final AtomicLong failures = new AtomicLong();

    private XRayDaemon(InetSocketAddress address) {
        this.address = address;
        try {
            // Unconnected: each send names the address, so a SnapStart restore needs no reconnect.
            // Non-blocking: with the socket's buffer full, a document is dropped rather than the call held.
            this.channel = DatagramChannel.open();
            this.channel.configureBlocking(false);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a UDP socket for the X-Ray daemon", e);
        }
    }

    /**
     * The daemon at {@code address}: "host:port", or the "tcp:host:port udp:host:port" form of which
     * the UDP part counts; one per address in this JVM.
     *
     * @throws IllegalArgumentException when {@code address} names no host and port
     */
    public static XRayDaemon at(String address) {
        return BY_ADDRESS.computeIfAbsent(parse(address), XRayDaemon::new);
    }

    static InetSocketAddress parse(String address) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException(ADDRESS_VARIABLE + " is empty");
        }
        String udp = null;
        for (String part : address.strip().split("\\s+")) {
            if (part.startsWith("udp:")) {
                udp = part.substring(4);
            } else if (!part.startsWith("tcp:") && udp == null) {
                udp = part;
            }
        }
        int colon = udp == null ? -1 : udp.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(ADDRESS_VARIABLE + " must be host:port, was: " + address);
        }
        int port;
        try {
            port = Integer.parseInt(udp.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(ADDRESS_VARIABLE + " has no numeric port: " + address, e);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(ADDRESS_VARIABLE + " has a port out of range: " + address);
        }
        // Resolved once, here: a name that does not resolve leaves the address unresolved, and every
        // send then fails (logged) instead of the work being traced.
        return new InetSocketAddress(udp.substring(0, colon), port);
    }

    public InetSocketAddress address() {
        return address;
    }

    /** Sends one segment or subsegment document (JSON, UTF-8); never throws. */
    public void send(byte[] document) {
        if (HEADER.length + document.length > MAX_DATAGRAM) {
            failed(new IOException("segment document of " + document.length + " bytes is over the daemon's limit"));
            return;
        }
        ByteBuffer datagram = ByteBuffer.allocate(HEADER.length + document.length).put(HEADER).put(document).flip();
        try {
            if (channel.send(datagram, address) == 0) {
                failed(new IOException("the socket's send buffer is full; document dropped"));
            }
        } catch (IOException | RuntimeException e) {
            failed(e);
        }
    }

    private void failed(Exception e) {
        long n = failures.incrementAndGet();
        if (n == 1 || n % 1000 == 0) {
            Log.warn("trace.send_failed", "daemon", address.toString(), "failures", n, "reason", String.valueOf(e));
        }
    }
}
