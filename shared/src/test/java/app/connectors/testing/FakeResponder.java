package app.connectors.testing;

/**
 * Decides how a {@link FakeDestination} answers a request that no queued {@link FakeReply} covers.
 * {@link FakePlatform} has responders that behave like Slack, Discord, Teams, Zapier and a signed
 * generic endpoint.
 *
 * <pre>{@code
 * FakeResponder always404 = request -> FakeReply.text(404, "no_service");
 * }</pre>
 */
@FunctionalInterface
public interface FakeResponder {

    FakeReply reply(RecordedRequest request);
}
