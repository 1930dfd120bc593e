package app.connectors.testing;

import app.connectors.net.HostLiteral;
import app.connectors.net.HostResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A programmable {@link HostResolver} that never touches the network. Each host has a sequence of
 * answers: lookup 1 gets the first, lookup 2 the second, and the last one repeats. An empty answer
 * is NXDOMAIN, and so is any host nobody programmed. Lookups are counted per host.
 *
 * <pre>{@code
 * StubResolver dns = new StubResolver()
 *         .answer("hooks.example.com", "93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c")
 *         .answer("rebind.example.com", "93.184.215.14").thenAnswer("rebind.example.com", "127.0.0.1")
 *         .nxdomain("gone.example.com");
 * dns.lookups("rebind.example.com"); // how often it was asked
 * }</pre>
 */
public final class StubResolver implements HostResolver {

    private final Map<String, List<List<InetAddress>>> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();

    /** From now on, every lookup of {@code host} answers {@code addresses} (replacing earlier programming). */
    public StubResolver answer(String host, String... addresses) {
        List<List<InetAddress>> sequence = new ArrayList<>();
        sequence.add(parse(host, addresses));
        answers.put(key(host), sequence);
        return this;
    }

    /** Adds the answer for the next lookup in the sequence; it repeats until another one is added. */
    public StubResolver thenAnswer(String host, String... addresses) {
        answers.computeIfAbsent(key(host), k -> new ArrayList<>()).add(parse(host, addresses));
        return this;
    }

    /** Every lookup of {@code host} fails as a name that does not exist. */
    public StubResolver nxdomain(String host) {
        return answer(host);
    }

    /** The next lookup in the sequence fails as NXDOMAIN. */
    public StubResolver thenNxdomain(String host) {
        return thenAnswer(host);
    }

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        int number = lookups.computeIfAbsent(key(host), k -> new AtomicInteger()).incrementAndGet();
        List<List<InetAddress>> sequence = answers.get(key(host));
        if (sequence == null || sequence.isEmpty()) {
            throw new UnknownHostException(host + ": NXDOMAIN (not programmed)");
        }
        List<InetAddress> answer = sequence.get(Math.min(number, sequence.size()) - 1);
        if (answer.isEmpty()) {
            throw new UnknownHostException(host + ": NXDOMAIN");
        }
        return answer;
    }

    /** How many times {@code host} was looked up. */
    public int lookups(String host) {
        AtomicInteger count = lookups.get(key(host));
        return count == null ? 0 : count.get();
    }

    /** How many lookups there were, all hosts together. */
    public int totalLookups() {
        return lookups.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    private static List<InetAddress> parse(String host, String... addresses) {
        List<InetAddress> parsed = new ArrayList<>();
        for (String address : addresses) {
            try {
                InetAddress literal = HostLiteral.parse(address)
                        .orElseThrow(() -> new IllegalArgumentException("not an IP literal: " + address));
                // Carry the host name like a real answer does; getByAddress never looks anything up.
                parsed.add(InetAddress.getByAddress(host, literal.getAddress()));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an IP literal: " + address, e);
            }
        }
        return List.copyOf(parsed);
    }

    private static String key(String host) {
        return host.toLowerCase(Locale.ROOT);
    }
}
