package app.connectors.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A minimal HTTP/1.1 client for the stack's control port on 127.0.0.1: one POST, one answer, then
 * the connection closes. The JDK's HttpClient would do, but it sets up TLS and its connection pool
 * even for plain http (a few hundred classes, about half a second of a short command's start-up),
 * which is most of what {@code bin/local publish} would spend.
 */
final class LoopbackHttp {

    /** An answer: its status and body. */
    record Response(int status, String body) {
    }

    private LoopbackHttp() {
    }

    static Response post(URI uri, Map<String, String> headers, byte[] body, int timeoutMillis) throws IOException {
        if (!"http".equals(uri.getScheme()) || !"127.0.0.1".equals(uri.getHost())) {
            throw new IllegalArgumentException("only http://127.0.0.1 is spoken here, not " + uri);
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", uri.getPort()), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            StringBuilder head = new StringBuilder()
                    .append("POST ").append(uri.getRawPath()).append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                    .append(" HTTP/1.1\r\nHost: 127.0.0.1:").append(uri.getPort())
                    .append("\r\nConnection: close\r\nContent-Length: ").append(body.length).append("\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return read(socket.getInputStream());
        }
    }

    /** The control port always answers with a Content-Length and closes: the body is everything after the head. */
    private static Response read(InputStream in) throws IOException {
        byte[] all = in.readAllBytes();
        String text = new String(all, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.") || headEnd < 0) {
            throw new IOException("not an HTTP answer from the control port");
        }
        String[] statusLine = text.substring(0, text.indexOf("\r\n")).split(" ", 3);
        String body = new String(all, headEnd + 4, all.length - headEnd - 4, StandardCharsets.UTF_8);
        return new Response(Integer.parseInt(statusLine[1]), body);
    }
}
