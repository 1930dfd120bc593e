package app.connectors.connector;

import app.connectors.filter.EventPattern;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * A connector's user-controlled content after validation: everything needed to store it, with the
 * config split into what is secret (to be encrypted) and what is not.
 */
public record ConnectorSpec(
        String type,
        String name,
        ObjectNode publicConfig,
        ObjectNode secretConfig,
        List<String> events,
        EventPattern filters,
        String transformation) {

    /** The whole config (public and secret fields), as the user sent it. */
    public ObjectNode fullConfig() {
        ObjectNode all = publicConfig.deepCopy();
        all.setAll(secretConfig.deepCopy());
        return all;
    }
}
