package app.connectors.net;

/**
 * The product's own HTTP calls to other services (OAuth token exchanges, a user's Windmill API),
 * under the delivery path's SSRF guard, timeouts and no-redirect rule. Never throws for network
 * trouble: that is a {@link FetchResult.Unreachable}.
 *
 * <pre>{@code
 * FetchResult result = fetcher.fetch(FetchRequest.postForm(URI.create("https://slack.com/api/oauth.v2.access"), form));
 * }</pre>
 */
@FunctionalInterface
public interface HttpFetcher {

    FetchResult fetch(FetchRequest request);
}
