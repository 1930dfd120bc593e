package app.connectors.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The {@link HttpSender} of the delivery path, on Apache HttpClient 5 (classic API).
 *
 * <ul>
 *   <li>Name resolution goes through a {@link DnsResolver} that asks the {@link SsrfGuard}: the
 *       host is resolved once per connection, every address is checked, and the socket connects
 *       only to a checked address. TLS SNI and hostname verification still use the URL host.</li>
 *   <li>Redirects are never followed: a 3xx comes back as a {@link SendResult.Response}.</li>
 *   <li>Connect and response timeouts, plus a hard deadline on the exchange that cancels the
 *       request when it fires. The deadline starts once the request holds one of the sender's
 *       connections: waiting for a free one is this process's own queue, never charged to the
 *       destination (every Slack connector shares hooks.slack.com).</li>
 *   <li>A 2xx is a success the moment its status line arrives. A body is read only when it is
 *       small (an excerpt for the log, and so the connection can be reused); anything else is
 *       dropped with the connection, never drained.</li>
 *   <li>{@code http://} only when {@link SenderConfig#allowPlainHttp()}.</li>
 *   <li>Failures are {@link SendResult.Failure} values whose messages carry {@code scheme://host}
 *       at most: webhook URLs keep their secret in the path.</li>
 * </ul>
 *
 * <p>Build one per execution environment and share it: it owns a connection pool.
 *
 * <pre>{@code
 * GuardedHttpSender sender = new GuardedHttpSender(DefaultSsrfGuard.strict(HostResolver.system()),
 *         SenderConfig.production());
 * SendResult result = sender.send(OutboundRequest.postJson(URI.create(url), body));
 * }</pre>
 */
public final class GuardedHttpSender implements HttpSender, HttpFetcher, AutoCloseable {

    public static final String USER_AGENT = "Connectors/1.0";
    /** Longest body excerpt kept in a {@link SendResult.Response}, in characters. */
    public static final int EXCERPT_CHARS = 512;
    /**
     * Most body bytes ever read from a destination (enough for the excerpt and a Discord 429's JSON);
     * a longer body is dropped with its connection instead of being read.
     */
    public static final int MAX_BODY_BYTES = 4 * 1024;
    /** Most body bytes a {@link #fetch} reads (a Windmill workspace's list of scripts can be long). */
    public static final int MAX_FETCH_BYTES = 512 * 1024;

    private static final Set<String> CONNECTION_HEADERS = Set.of(
            "host", "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "te", "trailer",
            "user-agent");

    private final SenderConfig config;
    private final CloseableHttpClient client;
    private final PoolingHttpClientConnectionManager pool;
    private final ScheduledThreadPoolExecutor deadlines;
    /** One permit per pooled connection: a request waits here, uncharged, never inside the pool. */
    private final Semaphore connections;

    public GuardedHttpSender(SsrfGuard guard, SenderConfig config) {
        this.config = config;
        Timeout connect = Timeout.of(config.connectTimeout());
        Timeout response = Timeout.of(config.responseTimeout());
        this.pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(new GuardedDnsResolver(guard))
                // Every route may use every connection: the permits below are the only limit, so the
                // pool itself never makes a request wait once it holds a permit.
                .setMaxConnPerRoute(config.maxConnections())
                .setMaxConnTotal(config.maxConnections())
                .setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(response).build())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(connect)
                        .setSocketTimeout(response)
                        // A Lambda environment thaws with pooled sockets the peer closed long ago.
                        .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                        .setTimeToLive(TimeValue.ofMinutes(1))
                        .build())
                .build();
        this.client = HttpClients.custom()
                .setConnectionManager(pool)
                .disableRedirectHandling()
                // The queue retries a delivery; a silent second POST here could duplicate it.
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .setUserAgent(USER_AGENT)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setRedirectsEnabled(false)
                        .setResponseTimeout(response)
                        .setConnectionRequestTimeout(Timeout.of(config.deadline()))
                        .build())
                .build();
        this.deadlines = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "http-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        this.deadlines.setRemoveOnCancelPolicy(true);
        this.connections = new Semaphore(config.maxConnections(), true);
    }

    public SenderConfig config() {
        return config;
    }

    /** Requests waiting for a pooled connection now (tests wait on it instead of sleeping). */
    int waitingForAConnection() {
        return connections.getQueueLength();
    }

    @Override
    public SendResult send(OutboundRequest request) {
        return onConnection(request.uri(), origin -> exchange(request, origin), failure -> failure);
    }

    /**
     * Runs {@code exchange} on a connection permit once the URL is one this sender may call; else
     * answers {@code refused} with why not (an invalid URL, a scheme it does not send to, an interrupt).
     */
    private <T> T onConnection(URI uri, Function<Origin, T> exchange, Function<SendResult.Failure, T> refused) {
        long started = System.nanoTime();
        Origin origin;
        try {
            origin = Origin.of(uri);
        } catch (IllegalArgumentException e) {
            // The same URL fails the same way on every retry: refused once, with the reason.
            return refused.apply(failure(SendResult.FailureKind.REFUSED, "invalid URL: " + e.getMessage(), started));
        }
        if (!"https".equals(origin.scheme()) && !("http".equals(origin.scheme()) && config.allowPlainHttp())) {
            String why = "http".equals(origin.scheme()) ? "plain http is not allowed" : "scheme is not allowed";
            return refused.apply(failure(SendResult.FailureKind.REFUSED, why + ": " + origin, started));
        }
        try {
            connections.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return refused.apply(failure(SendResult.FailureKind.IO, "interrupted before sending to " + origin, started));
        }
        try {
            return exchange.apply(origin);
        } finally {
            connections.release();
        }
    }

    /** The exchange itself, on a connection this request is entitled to; its clock starts here. */
    private SendResult exchange(OutboundRequest request, Origin origin) {
        long started = System.nanoTime();
        HttpUriRequestBase http;
        try {
            http = toHttpRequest(request);
        } catch (IllegalArgumentException e) {
            // The client refuses what the request is made of (a port out of range): no retry can change that.
            return failure(SendResult.FailureKind.REFUSED, "invalid request to " + origin + ": " + e.getMessage(), started);
        }
        // A String host (never an InetAddress) makes the connection operator ask the guarded resolver.
        HttpHost target = new HttpHost(origin.scheme(), origin.host(), origin.port());
        AtomicBoolean expired = new AtomicBoolean();
        AtomicReference<CloseableHttpResponse> answered = new AtomicReference<>();
        Runnable abort = abort(http, expired, answered);
        ScheduledFuture<?> deadline = deadlines.schedule(abort, config.deadline().toNanos(), TimeUnit.NANOSECONDS);
        CloseableHttpResponse response = null;
        try {
            response = client.execute(target, http, HttpClientContext.create());
            answered.set(response);
            if (expired.get()) {
                return deadlineFailure(origin, started);
            }
            // The status line is the destination's answer: what the body does next cannot change it.
            Duration latency = since(started);
            Map<String, String> headers = selectedHeaders(response.getHeaders());
            int status = response.getCode();
            if (status >= 200 && status < 300) {
                // A success's body is only the log's excerpt: it may not hold the worker for long.
                deadline.cancel(false);
                deadline = deadlines.schedule(abort, Math.min(config.successBodyWait().toNanos(),
                        config.deadline().toNanos() - (System.nanoTime() - started)), TimeUnit.NANOSECONDS);
            }
            return new SendResult.Response(status, headers, readSmallBody(response.getEntity()), latency);
        } catch (IOException | RuntimeException e) {
            return classify(e, expired.get(), origin, request.uri(), started);
        } finally {
            deadline.cancel(false);
            if (response != null) {
                // IMMEDIATE never reads what is left of the body; a body read to its end has already
                // given its connection back to the pool, so nothing is lost for reuse.
                response.close(CloseMode.IMMEDIATE);
            }
        }
    }

    /**
     * The product's own calls to other services (an OAuth token exchange, listing a user's Windmill
     * scripts): GET or POST, the whole answer up to {@link #MAX_FETCH_BYTES} within the deadline, under
     * the same guard, connection permits, timeouts and no-redirect rule as a delivery.
     */
    @Override
    public FetchResult fetch(FetchRequest request) {
        return onConnection(request.uri(), origin -> fetchExchange(request, origin), GuardedHttpSender::unreachable);
    }

    private FetchResult fetchExchange(FetchRequest request, Origin origin) {
        long started = System.nanoTime();
        HttpUriRequestBase http = toHttpRequest(request.method(), request.uri(), request.headers(), request.body());
        HttpHost target = new HttpHost(origin.scheme(), origin.host(), origin.port());
        AtomicBoolean expired = new AtomicBoolean();
        AtomicReference<CloseableHttpResponse> answered = new AtomicReference<>();
        ScheduledFuture<?> deadline = deadlines.schedule(abort(http, expired, answered), config.deadline().toNanos(),
                TimeUnit.NANOSECONDS);
        CloseableHttpResponse response = null;
        try {
            response = client.execute(target, http, HttpClientContext.create());
            answered.set(response);
            byte[] body = readBody(response.getEntity(), MAX_FETCH_BYTES);
            if (expired.get()) {
                return unreachable(deadlineFailure(origin, started));
            }
            Header contentType = response.getFirstHeader("Content-Type");
            return new FetchResult.Answer(response.getCode(), contentType == null ? null : contentType.getValue(), body,
                    since(started));
        } catch (IOException | RuntimeException e) {
            return unreachable(classify(e, expired.get(), origin, request.uri(), started));
        } finally {
            deadline.cancel(false);
            if (response != null) {
                response.close(CloseMode.IMMEDIATE);
            }
        }
    }

    private static FetchResult.Unreachable unreachable(SendResult.Failure failure) {
        return new FetchResult.Unreachable(failure.kind(), failure.message());
    }

    /** Cancels the request when the deadline fires, and drops the connection under a body that trickles in. */
    private static Runnable abort(HttpUriRequestBase http, AtomicBoolean expired, AtomicReference<CloseableHttpResponse> answered) {
        return () -> {
            expired.set(true);
            http.cancel();
            // Once headers are in, the request is no longer cancellable; closing the response
            // drops the connection under a body that trickles in.
            CloseableHttpResponse response = answered.get();
            if (response != null) {
                response.close(CloseMode.IMMEDIATE);
            }
        };
    }

    /** Reads a body to its end, at most {@code maxBytes} (the rest is dropped with the connection). */
    private static byte[] readBody(HttpEntity entity, int maxBytes) throws IOException {
        if (entity == null) {
            return new byte[0];
        }
        InputStream in = entity.getContent();
        return in.readNBytes(maxBytes);
    }

    private static HttpUriRequestBase toHttpRequest(OutboundRequest request) {
        return toHttpRequest(request.method().name(), request.uri(), request.headers(), request.body());
    }

    private static HttpUriRequestBase toHttpRequest(String method, URI uri, Map<String, String> headers, byte[] body) {
        HttpUriRequestBase http = new HttpUriRequestBase(method, uri);
        String contentType = "application/json";
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("content-type")) {
                contentType = header.getValue();
            }
            if (!CONNECTION_HEADERS.contains(name)) {
                http.addHeader(header.getKey(), header.getValue());
            }
        }
        ContentType type;
        try {
            type = ContentType.parse(contentType);
        } catch (RuntimeException e) {
            type = ContentType.APPLICATION_JSON;
        }
        if (!"GET".equals(method)) {
            http.setEntity(new ByteArrayEntity(body, type));
        }
        return http;
    }

    private static Map<String, String> selectedHeaders(Header[] headers) {
        Map<String, String> selected = new LinkedHashMap<>();
        for (Header header : headers) {
            String name = header.getName().toLowerCase(Locale.ROOT);
            if (name.equals("retry-after") || name.equals("content-type") || name.startsWith("x-ratelimit-")) {
                selected.putIfAbsent(name, header.getValue());
            }
        }
        return selected;
    }

    /**
     * Reads at most {@link #MAX_BODY_BYTES} of a body, whatever it announces, until its end, a
     * reset, or the caller's timer drops the connection (keeping what arrived). The stream is never
     * closed here: closing it would read the rest of the body to reuse the connection. A body read
     * to its end gives the connection back to the pool by itself; the caller drops it otherwise.
     */
    private static String readSmallBody(HttpEntity entity) {
        if (entity == null) {
            return "";
        }
        byte[] buffer = new byte[MAX_BODY_BYTES];
        int filled = 0;
        try {
            InputStream in = entity.getContent();
            int n;
            while (filled < buffer.length && (n = in.read(buffer, filled, buffer.length - filled)) >= 0) {
                filled += n;
            }
            if (filled == buffer.length) {
                in.read(); // a body of exactly this size ends here, and its connection can be reused
            }
        } catch (IOException | RuntimeException e) {
            // keep the bytes read so far
        }
        return excerpt(buffer, filled);
    }

    /** UTF-8 decoding that tolerates a cut multi-byte sequence, then a cut that keeps surrogate pairs whole. */
    static String excerpt(byte[] bytes, int length) {
        // The String constructor replaces malformed input (a sequence cut at the byte cap) with U+FFFD.
        String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
        if (text.length() <= EXCERPT_CHARS) {
            return text;
        }
        int cut = EXCERPT_CHARS - 1;
        if (Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        return text.substring(0, cut) + "…";
    }

    private SendResult.Failure classify(Exception e, boolean expired, Origin origin, URI uri, long started) {
        if (expired) {
            return deadlineFailure(origin, started);
        }
        RefusedHostException refused = find(e, RefusedHostException.class);
        if (refused != null) {
            return failure(SendResult.FailureKind.REFUSED, "refused " + origin + ": " + refused.getMessage(), started);
        }
        if (find(e, UnknownHostException.class) != null) {
            return failure(SendResult.FailureKind.DNS, origin.host() + " does not resolve", started);
        }
        if (find(e, ConnectTimeoutException.class) != null) {
            return failure(SendResult.FailureKind.TIMEOUT, "connect to " + origin + " timed out after "
                    + config.connectTimeout().toMillis() + " ms", started);
        }
        if (find(e, ConnectException.class) != null || find(e, NoRouteToHostException.class) != null) {
            return failure(SendResult.FailureKind.CONNECT, "cannot connect to " + origin + ": "
                    + scrub(rootMessage(e), uri), started);
        }
        if (find(e, SocketTimeoutException.class) != null) {
            return failure(SendResult.FailureKind.TIMEOUT, "no answer from " + origin + " within "
                    + config.responseTimeout().toMillis() + " ms", started);
        }
        if (find(e, SSLException.class) != null) {
            return failure(SendResult.FailureKind.TLS, "TLS with " + origin + " failed: " + scrub(rootMessage(e), uri), started);
        }
        if (find(e, NoHttpResponseException.class) != null || find(e, ConnectionClosedException.class) != null) {
            return failure(SendResult.FailureKind.RESET, origin + " closed the connection without an answer", started);
        }
        if (find(e, SocketException.class) != null) {
            return failure(SendResult.FailureKind.RESET, "connection to " + origin + " failed: "
                    + scrub(rootMessage(e), uri), started);
        }
        if (find(e, InterruptedIOException.class) != null) {
            return failure(SendResult.FailureKind.TIMEOUT, "request to " + origin + " was interrupted", started);
        }
        return failure(SendResult.FailureKind.IO, "request to " + origin + " failed: "
                + e.getClass().getSimpleName() + " " + scrub(rootMessage(e), uri), started);
    }

    private SendResult.Failure deadlineFailure(Origin origin, long started) {
        return failure(SendResult.FailureKind.TIMEOUT,
                "no complete answer from " + origin + " within " + config.deadline().toMillis() + " ms", started);
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }

    /** Library messages sometimes quote the request; take out anything past the origin, and cap the length. */
    static String scrub(String message, URI uri) {
        String text = message;
        for (String secret : new String[] {uri.toString(), uri.getRawPath(), uri.getRawQuery(), uri.getPath(),
                uri.getQuery(), uri.getRawUserInfo()}) {
            if (secret != null && secret.length() > 1) {
                text = text.replace(secret, "…");
            }
        }
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    private static SendResult.Failure failure(SendResult.FailureKind kind, String message, long started) {
        return new SendResult.Failure(kind, message, since(started));
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    @Override
    public void close() {
        deadlines.shutdownNow();
        client.close(CloseMode.IMMEDIATE);
        pool.close(CloseMode.IMMEDIATE);
    }

    /** Resolves through the guard, so the operator connects only to checked addresses. */
    private static final class GuardedDnsResolver implements DnsResolver {

        private final SsrfGuard guard;

        GuardedDnsResolver(SsrfGuard guard) {
            this.guard = guard;
        }

        @Override
        public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
            try {
                return guard.check(host, port).stream().map(address -> new InetSocketAddress(address, port)).toList();
            } catch (DestinationRefusedException e) {
                throw new RefusedHostException(e.getMessage());
            }
        }

        /** Port-less lookups would bypass the (address, port) allow-list; the operator does not use them. */
        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            throw new UnknownHostException("port-less resolution is not supported");
        }

        @Override
        public String resolveCanonicalHostname(String host) {
            return host; // no reverse or CNAME lookups: the URL host is what TLS verifies
        }
    }

    /** Carries a guard refusal through the resolver's {@code UnknownHostException} contract. */
    private static final class RefusedHostException extends UnknownHostException {

        RefusedHostException(String message) {
            super(message);
        }
    }
}
