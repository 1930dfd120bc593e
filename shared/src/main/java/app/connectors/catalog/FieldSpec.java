package app.connectors.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One configuration field of a connector type, as the catalog declares it. The validator reads
 * these rules, so a new type needs catalog data, not code.
 *
 * @param kind        {@code url}, {@code string}, {@code enum}, {@code headers} or {@code secret}
 * @param secret      encrypted at rest and masked in responses
 * @param hosts       for {@code url}: the only hosts allowed ({@code *.example.com} matches subdomains);
 *                    empty means any public host
 * @param pathPattern for {@code url}: the path must match, when set
 * @param values      for {@code enum}: the allowed values
 * @param maxLength   for {@code string} and {@code secret}: the longest value accepted
 */
public record FieldSpec(
        String name,
        String kind,
        boolean required,
        boolean secret,
        String description,
        List<String> hosts,
        Pattern pathPattern,
        List<String> values,
        int maxLength,
        JsonNode example) {

    public static final String URL = "url";
    public static final String STRING = "string";
    public static final String ENUM = "enum";
    public static final String HEADERS = "headers";

    public FieldSpec {
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
        values = values == null ? List.of() : List.copyOf(values);
    }

    /** True when {@code host} (lower case) is one of {@link #hosts}; {@code *.x} matches strict subdomains of x. */
    public boolean allowsHost(String host) {
        if (hosts.isEmpty()) {
            return true;
        }
        for (String allowed : hosts) {
            if (allowed.startsWith("*.")) {
                if (host.endsWith(allowed.substring(1)) && host.length() > allowed.length() - 1) {
                    return true;
                }
            } else if (allowed.equals(host)) {
                return true;
            }
        }
        return false;
    }
}
