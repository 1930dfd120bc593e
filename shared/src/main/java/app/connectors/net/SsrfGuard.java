package app.connectors.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Decides whether the service may connect to a host and port. It resolves the host once and
 * checks every address against REFERENCE.md's SSRF list, unless the exact (address, port) pair was
 * explicitly allowed (tests and the local stack allow their own sinks; nothing is allowed by
 * default). The addresses it returns are the only ones the caller may connect to.
 *
 * <pre>{@code
 * SsrfGuard guard = DefaultSsrfGuard.strict(HostResolver.system());
 * List<InetAddress> pinned = guard.check("hooks.slack.com", 443); // connect only to these
 * DestinationCheck atSave = guard.judge("hooks.slack.com", 443);  // for URL validation
 * }</pre>
 */
public interface SsrfGuard {

    /**
     * The checked addresses to connect to, in resolver order.
     *
     * @throws DestinationRefusedException when any resolved address is forbidden
     * @throws UnknownHostException        when the host does not resolve
     */
    List<InetAddress> check(String host, int port) throws DestinationRefusedException, UnknownHostException;

    /** {@link #check} as a value, for save-time URL validation. */
    default DestinationCheck judge(String host, int port) {
        try {
            return new DestinationCheck.Admitted(check(host, port));
        } catch (DestinationRefusedException e) {
            return new DestinationCheck.Refused(e.getMessage());
        } catch (UnknownHostException e) {
            return new DestinationCheck.Unresolvable(host + " does not resolve");
        }
    }
}
