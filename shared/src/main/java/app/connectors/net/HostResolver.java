package app.connectors.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a host name into addresses. Every name lookup of the service goes through one instance of
 * this, so tests can answer with public addresses, private ones, or answers that change between
 * save time and send time.
 */
@FunctionalInterface
public interface HostResolver {

    /**
     * All addresses of {@code host} (an IP literal resolves to itself, without a lookup).
     *
     * @throws UnknownHostException when the name does not resolve
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The platform's resolver ({@link InetAddress#getAllByName}). */
    static HostResolver system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }
}
