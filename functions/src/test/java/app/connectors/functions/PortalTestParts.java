package app.connectors.functions;

import app.connectors.config.Settings;
import app.connectors.connector.ConnectorService;
import app.connectors.delivery.EndpointOverrides;
import app.connectors.functions.portal.ConnectRoutes;
import app.connectors.net.FetchResult;
import app.connectors.net.SendResult;
import app.connectors.oauth.ConnectFlow;
import app.connectors.oauth.InMemoryOAuthStateStore;
import app.connectors.oauth.OAuthApps;
import app.connectors.oauth.TokenEndpoint;
import app.connectors.windmill.WindmillClient;
import java.time.Clock;
import java.util.Map;

/** The portal handler's Connect routes over in-memory state and a network that answers nothing. */
final class PortalTestParts {

    private PortalTestParts() {
    }

    /** @param clientSettings e.g. {@code SLACK_CLIENT_ID}: the providers to offer (none when empty) */
    static ConnectRoutes connectRoutes(ConnectorService connectors, Map<String, String> clientSettings) {
        OAuthApps apps = OAuthApps.from(Settings.from(clientSettings), name -> {
            throw new IllegalStateException("no parameter store in unit tests");
        });
        var offline = new FetchResult.Unreachable(SendResult.FailureKind.CONNECT, "offline in unit tests");
        TokenEndpoint tokens = new TokenEndpoint(apps, request -> offline, EndpointOverrides.none());
        ConnectFlow flow = new ConnectFlow(apps, new InMemoryOAuthStateStore(), connectors, tokens, EndpointOverrides.none(),
                Clock.systemUTC());
        return new ConnectRoutes(flow, new WindmillClient(request -> offline, EndpointOverrides.none(), false));
    }
}
