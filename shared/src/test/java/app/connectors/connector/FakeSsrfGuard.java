package app.connectors.connector;

import app.connectors.net.DestinationRefusedException;
import app.connectors.net.SsrfGuard;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An {@link SsrfGuard} that answers from lists instead of DNS: hosts given to {@link #refuse} are
 * refused with their reason, hosts given to {@link #unresolvable} do not resolve, and every other
 * host passes (answering with the documentation address 192.0.2.1 is never used to connect here).
 */
public final class FakeSsrfGuard implements SsrfGuard {

    private final Map<String, String> refused = new HashMap<>();
    private final Set<String> unknown = new HashSet<>();
    private final List<String> checked = new ArrayList<>();

    public FakeSsrfGuard refuse(String host, String reason) {
        refused.put(host, reason);
        return this;
    }

    public FakeSsrfGuard unresolvable(String host) {
        unknown.add(host);
        return this;
    }

    /** Every "host:port" checked, in order. */
    public List<String> checked() {
        return List.copyOf(checked);
    }

    @Override
    public List<InetAddress> check(String host, int port) throws DestinationRefusedException, UnknownHostException {
        checked.add(host + ":" + port);
        if (refused.containsKey(host)) {
            throw new DestinationRefusedException(refused.get(host));
        }
        if (unknown.contains(host)) {
            throw new UnknownHostException(host);
        }
        return List.of(InetAddress.getByAddress(host, new byte[] {(byte) 192, 0, 2, 1}));
    }
}
