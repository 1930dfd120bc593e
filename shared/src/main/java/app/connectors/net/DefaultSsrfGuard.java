package app.connectors.net;

import app.connectors.metrics.Metrics;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The SSRF guard of the service: IP literals (in every {@code inet_aton} spelling) are judged by
 * their numeric value without a lookup; names are resolved once through the injected
 * {@link HostResolver} and every answer is judged by {@link AddressPolicy}. One forbidden answer
 * refuses the whole host: a name that resolves to a public and a private address could be steered
 * to either. An {@link AllowedTarget} admits exactly its (address, port) pair and nothing else.
 *
 * <pre>{@code
 * SsrfGuard production = DefaultSsrfGuard.strict(HostResolver.system());
 * SsrfGuard local = new DefaultSsrfGuard(HostResolver.system(),
 *         AllowedTarget.parseList(System.getenv(DefaultSsrfGuard.ALLOWED_TARGETS_ENV)));
 * }</pre>
 */
public final class DefaultSsrfGuard implements SsrfGuard {

    /**
     * Environment variable the local stack may set to admit its own sinks, e.g.
     * {@code 127.0.0.1:8123,[::1]:8123}. Never set on AWS.
     */
    public static final String ALLOWED_TARGETS_ENV = app.connectors.config.Settings.SSRF_ALLOWED_TARGETS;

    private final HostResolver resolver;
    private final Set<AllowedTarget> allowed;

    public DefaultSsrfGuard(HostResolver resolver, Set<AllowedTarget> allowed) {
        this.resolver = resolver;
        this.allowed = Set.copyOf(allowed);
    }

    /** A guard with an empty allow-list: what production runs. */
    public static DefaultSsrfGuard strict(HostResolver resolver) {
        return new DefaultSsrfGuard(resolver, Set.of());
    }

    /** The exact targets this guard admits despite their range. */
    public Set<AllowedTarget> allowedTargets() {
        return allowed;
    }

    @Override
    public List<InetAddress> check(String host, int port) throws DestinationRefusedException, UnknownHostException {
        if (port < 1 || port > 65535) {
            throw new DestinationRefusedException("port " + port + " is out of range");
        }
        Optional<InetAddress> literal = HostLiteral.parse(host);
        List<InetAddress> addresses = literal.isPresent() ? List.of(literal.get()) : resolveName(host);
        List<String> refusals = new ArrayList<>();
        for (InetAddress address : addresses) {
            if (isAllowed(address, port)) {
                continue;
            }
            AddressPolicy.refusalReason(address).ifPresent(refusals::add);
        }
        if (!refusals.isEmpty()) {
            String subject = literal.isPresent() ? "" : host + ": ";
            Metrics.ssrfRefused();
            throw new DestinationRefusedException(subject + String.join("; ", refusals));
        }
        return addresses;
    }

    private List<InetAddress> resolveName(String host) throws UnknownHostException {
        List<InetAddress> answers = resolver.resolve(host); // exactly one lookup per check
        if (answers == null || answers.isEmpty()) {
            throw new UnknownHostException(host);
        }
        return List.copyOf(answers);
    }

    private boolean isAllowed(InetAddress address, int port) {
        for (AllowedTarget target : allowed) {
            if (target.admits(address, port)) {
                return true;
            }
        }
        return false;
    }
}
