package app.connectors.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * CONTRACT (to be implemented in this package): resolves a host once through the injected
 * {@link HostResolver} and checks every address against REFERENCE.md's SSRF list, unless the exact
 * (address, port) pair was explicitly allowed (tests and the local stack allow their own sinks;
 * nothing is allowed by default).
 */
public interface SsrfGuard {

    /**
     * The checked addresses to connect to, in resolver order.
     *
     * @throws DestinationRefusedException when any resolved address is forbidden
     * @throws UnknownHostException        when the host does not resolve
     */
    List<InetAddress> check(String host, int port) throws DestinationRefusedException, UnknownHostException;
}
