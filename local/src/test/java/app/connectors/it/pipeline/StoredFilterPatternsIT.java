package app.connectors.it.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.config.Settings;
import app.connectors.connector.Connector;
import app.connectors.connector.DynamoDbConnectorStore;
import app.connectors.connector.Subscription;
import app.connectors.delivery.DynamoDbSubscriptionStore;
import app.connectors.delivery.FanOut;
import app.connectors.event.EventCatalog;
import app.connectors.event.EventParser;
import app.connectors.filter.DynamoDbPatternStore;
import app.connectors.filter.EventPattern;
import app.connectors.filter.StoredPatterns;
import app.connectors.json.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Subscription items on DynamoDB Local as the dispatcher reads them: items written before patterns
 * were stored apart (the filter's JSON inline) still match as before; new items name a stored
 * pattern; an item naming a pattern that is not stored matches nothing instead of everything.
 */
class StoredFilterPatternsIT {

    private static PipelineStack env;
    private static Settings settings;

    @BeforeAll
    static void start() {
        env = PipelineStack.get();
        settings = Settings.from(env.stack.environmentOf("DispatcherFunction"));
    }

    @Test
    void oldInlineItemsNewDigestItemsAndMissingPatternsFanOutAsTheyShould() throws Exception {
        // GIVEN one user's subscriptions in every form an item can have
        String userId = "it-patterns-" + UUID.randomUUID().toString().substring(0, 8);
        String type = PipelineStack.TYPE;
        Map<String, AttributeValue> oldInline = new HashMap<>(Subscription.toItem(subscription(type, userId, "old-inline",
                EventPattern.everything())));
        oldInline.put(Subscription.FILTERS, AttributeValue.fromS("{\"categories\":[\"politics\",\"tech-product\"]}"));
        Map<String, AttributeValue> oldInlineOther = new HashMap<>(Subscription.toItem(subscription(type, userId, "old-inline-other",
                EventPattern.everything())));
        oldInlineOther.put(Subscription.FILTERS, AttributeValue.fromS("{\"categories\":[\"health\"]}"));
        EventPattern kept = EventPattern.load("{\"data\":{\"status\":[\"kept\"]}}", EventCatalog.standard());
        EventPattern broken = EventPattern.load("{\"data\":{\"status\":[\"broken\"]}}", EventCatalog.standard());
        EventPattern neverStored = EventPattern.load("{\"data\":{\"status\":[{\"prefix\":\"k\"}]}}", EventCatalog.standard());
        env.stack.dynamoDb().putItem(r -> r.tableName(settings.filterPatternsTable()).item(DynamoDbPatternStore.item(kept)));
        env.stack.dynamoDb().putItem(r -> r.tableName(settings.filterPatternsTable()).item(DynamoDbPatternStore.item(broken)));
        for (Map<String, AttributeValue> item : List.of(oldInline, oldInlineOther,
                Subscription.toItem(subscription(type, userId, "stored-kept", kept)),
                Subscription.toItem(subscription(type, userId, "stored-broken", broken)),
                Subscription.toItem(subscription(type, userId, "pattern-missing", neverStored)),
                Subscription.toItem(subscription(type, userId, "no-filter", EventPattern.everything())))) {
            env.stack.dynamoDb().putItem(r -> r.tableName(settings.subscriptionsTable()).item(item));
        }
        List<String> queued = java.util.Collections.synchronizedList(new ArrayList<>());
        FanOut fanOut = new FanOut(new DynamoDbSubscriptionStore(env.stack.dynamoDb(), settings.subscriptionsTable(),
                new StoredPatterns(new DynamoDbPatternStore(env.stack.dynamoDb(), settings.filterPatternsTable()), EventCatalog.standard())),
                PipelineStack.firstAttempts(job -> queued.add(job.connectorId())), 4, java.time.Clock.systemUTC());

        // WHEN a kept tech-product event for that user fans out
        var envelope = PipelineStack.envelope(type, "tech-product", userId);
        FanOut.Result result = fanOut.dispatch(EventParser.standard().parse(Json.write(envelope)));

        // THEN the old inline filter matches as it always did, the stored pattern is applied, and a missing one lets nothing through
        assertThat(queued).containsExactlyInAnyOrder("old-inline", "stored-kept", "no-filter");
        assertThat(result).isEqualTo(new FanOut.Result(3, 0, 3, 0, null));
    }

    @Test
    void savingAConnectorStoresItsPatternInTheSameTransaction() {
        // GIVEN a connector saved through the API with a pattern
        PipelineStack.Api user = env.newUser();
        String id = user.webhook("slack", PipelineStack.slackUrl(env.fake(app.connectors.testing.FakePlatform.slack())),
                "{\"data\":{\"previousStatus\":[\"in_progress\"]}}");

        // WHEN its subscription item is read
        var item = env.stack.dynamoDb().getItem(r -> r.tableName(settings.subscriptionsTable()).key(Map.of(
                DynamoDbConnectorStore.EVENT_TYPE, AttributeValue.fromS(PipelineStack.TYPE),
                DynamoDbConnectorStore.SUBSCRIBER, AttributeValue.fromS(Subscription.subscriberKey(user.userId, id))))).item();

        // THEN it names the pattern by digest, without carrying it, and the pattern is stored under that digest
        assertThat(item).doesNotContainKey(Subscription.FILTERS);
        String digest = item.get(Subscription.FILTER).s();
        var pattern = env.stack.dynamoDb().getItem(r -> r.tableName(settings.filterPatternsTable())
                .key(Map.of(DynamoDbPatternStore.DIGEST, AttributeValue.fromS(digest)))).item();
        com.fasterxml.jackson.databind.JsonNode stored = PipelineStack.json(pattern.get(DynamoDbPatternStore.PATTERN).s());
        assertThat(stored).isEqualTo(PipelineStack.json("{\"data\":{\"previousStatus\":[\"in_progress\"]}}"));
    }

    private static Subscription subscription(String type, String userId, String connectorId, EventPattern filter) {
        return new Subscription(type, userId, connectorId, "slack", Connector.Status.ACTIVE, filter, 1);
    }
}
