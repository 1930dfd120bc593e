package app.connectors.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.event.EventCatalog;
import app.connectors.event.TestEventCatalogs;
import app.connectors.json.Json;
import app.connectors.problem.FieldError;
import app.connectors.problem.ValidationException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConnectorValidatorTest {

    private static final String SLACK_URL = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXX";
    private static final String DISCORD_URL = "https://discord.com/api/webhooks/123456789012345678/abcDEF_ghi-JKL";
    private static final String ZAPIER_URL = "https://hooks.zapier.com/hooks/catch/1234567/abcdefg/";
    private static final String TEAMS_URL =
            "https://prod-00.westus.logic.azure.com/workflows/0123456789abcdef/triggers/manual/paths/invoke?api-version=2016-06-01&sig=XXXXXXXX";

    private final FakeSsrfGuard guard = new FakeSsrfGuard();
    private final ConnectorValidator validator = validator(false);

    private ConnectorValidator validator(boolean allowPlainHttp) {
        return new ConnectorValidator(ConnectorTypeCatalog.standard(), EventCatalog.standard(),
                new DestinationUrlPolicy(guard, allowPlainHttp), source -> Optional.empty());
    }

    // ------------------------------------------------------------------ the seed example

    @Test
    void acceptsTheSeedSlackExample() {
        // GIVEN the create example of the seed
        // WHEN it is validated
        ConnectorSpec spec = validator.validate("slack", "Engineering Channel", config("webhook_url", SLACK_URL),
                json("[\"promise.status_changed\"]"), json("{\"categories\":[\"tech-product\"]}"), null);

        // THEN it is valid, and the webhook URL is kept as a secret
        assertThat(spec.type()).isEqualTo("slack");
        assertThat(spec.name()).isEqualTo("Engineering Channel");
        assertThat(spec.secretConfig().path("webhook_url").asText()).isEqualTo(SLACK_URL);
        assertThat(spec.publicConfig().isEmpty()).isTrue();
        assertThat(spec.events()).containsExactly("promise.status_changed");
        assertThat(spec.filters().source()).isEqualTo(json("{\"categories\":[\"tech-product\"]}"));
    }

    // ------------------------------------------------------------------ type and name

    @Test
    void rejectsUnknownTypeListingTheTypes() {
        // GIVEN a type the catalog does not have
        // WHEN validated
        FieldError error = onlyError(() -> validSlack("telegram", "Eng", config("webhook_url", SLACK_URL)));

        // THEN the error names the field and lists every type
        assertThat(error.field()).isEqualTo("type");
        assertThat(error.message()).contains("unknown type 'telegram'", "slack, discord, teams, zapier, generic");
    }

    @Test
    void rejectsMissingName() {
        FieldError error = onlyError(() -> validSlack("slack", null, config("webhook_url", SLACK_URL)));

        assertThat(error.field()).isEqualTo("name");
        assertThat(error.message()).contains("required", "1 to 100 characters");
    }

    @Test
    void rejectsBlankName() {
        // GIVEN a name of spaces only, which is empty once stripped
        FieldError error = onlyError(() -> validSlack("slack", "   ", config("webhook_url", SLACK_URL)));

        assertThat(error.field()).isEqualTo("name");
        assertThat(error.message()).contains("1 to 100 characters", "it has 0");
    }

    @Test
    void rejectsNameOf101Characters() {
        FieldError error = onlyError(() -> validSlack("slack", "n".repeat(101), config("webhook_url", SLACK_URL)));

        assertThat(error.field()).isEqualTo("name");
        assertThat(error.message()).contains("1 to 100 characters", "it has 101");
    }

    @Test
    void acceptsNameOf100CharactersAndStripsSurroundingSpace() {
        ConnectorSpec spec = validSlack("slack", "  " + "n".repeat(100) + " ", config("webhook_url", SLACK_URL));

        assertThat(spec.name()).isEqualTo("n".repeat(100));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Eng\nChannel", "Eng\tChannel", "Eng\u0000Channel", "Eng\u007fChannel"})
    void rejectsControlCharactersInName(String name) {
        FieldError error = onlyError(() -> validSlack("slack", name, config("webhook_url", SLACK_URL)));

        assertThat(error.field()).isEqualTo("name");
        assertThat(error.message()).contains("control characters");
    }

    // ------------------------------------------------------------------ config

    @Test
    void rejectsMissingConfigNamingTheTypesFields() {
        FieldError error = onlyError(() -> validSlack("slack", "Eng", null));

        assertThat(error.field()).isEqualTo("config");
        assertThat(error.message()).contains("config is required for slack", "webhook_url");
    }

    @Test
    void rejectsUnknownConfigField() {
        ObjectNode config = config("webhook_url", SLACK_URL).put("icon_emoji", ":bell:");

        FieldError error = onlyError(() -> validSlack("slack", "Eng", config));

        assertThat(error.field()).isEqualTo("config.icon_emoji");
        assertThat(error.message()).contains("'icon_emoji' is not a field of slack", "its fields are webhook_url, channel (optional)");
    }

    @Test
    void rejectsMissingWebhookUrl() {
        FieldError error = onlyError(() -> validSlack("slack", "Eng", Json.object()));

        assertThat(error.field()).isEqualTo("config.webhook_url");
        assertThat(error.message()).contains("webhook_url is required", "hooks.slack.com");
    }

    @Test
    void rejectsWebhookUrlThatIsNotAString() {
        ObjectNode config = Json.object();
        config.put("webhook_url", 42);

        FieldError error = onlyError(() -> validSlack("slack", "Eng", config));

        assertThat(error.field()).isEqualTo("config.webhook_url");
        assertThat(error.message()).contains("must be a string URL");
    }

    @Test
    void rejectsPlainHttpWebhookUrl() {
        FieldError error = onlyError(() -> validSlack("slack", "Eng",
                config("webhook_url", "http://hooks.slack.com/services/T00000000/B00000000/XXXXXXXX")));

        assertThat(error.field()).isEqualTo("config.webhook_url");
        assertThat(error.message()).contains("must be an https:// URL");
    }

    @ParameterizedTest(name = "{0} given {1}")
    @CsvSource({
            "slack, " + DISCORD_URL + ", hooks.slack.com",
            "discord, " + SLACK_URL + ", discord.com",
            "teams, " + SLACK_URL + ", *.logic.azure.com",
            "zapier, " + SLACK_URL + ", hooks.zapier.com",
            "slack, https://hooks.slack.com.attacker.example/services/T0/B0/X, hooks.slack.com",
            "teams, https://logic.azure.com/workflows/x, *.logic.azure.com",
            "teams, https://evillogic.azure.com/workflows/x, *.logic.azure.com",
    })
    void rejectsWebhookUrlOnAnotherHost(String type, String url, String expectedHost) {
        FieldError error = onlyError(() -> validSlack(type, "Eng", config("webhook_url", url)));

        assertThat(error.field()).isEqualTo("config.webhook_url");
        assertThat(error.message()).contains("must be on", expectedHost);
    }

    @Test
    void rejectsSlackUrlWithWrongPath() {
        FieldError error = onlyError(() -> validSlack("slack", "Eng", config("webhook_url", "https://hooks.slack.com/foo")));

        assertThat(error.field()).isEqualTo("config.webhook_url");
        assertThat(error.message()).contains("its path should look like", SLACK_URL);
    }

    @Test
    void rejectsUserInfoInUrl() {
        FieldError error = onlyError(() -> validSlack("slack", "Eng",
                config("webhook_url", "https://user:pw@hooks.slack.com/services/T00000000/B00000000/XXXXXXXX")));

        assertThat(error.field()).isEqualTo("config.webhook_url");
        assertThat(error.message()).contains("must not contain a user name or password");
    }

    @Test
    void rejectsNonDefaultPortOnPlatformHost() {
        FieldError error = onlyError(() -> validSlack("slack", "Eng",
                config("webhook_url", "https://hooks.slack.com:8443/services/T00000000/B00000000/XXXXXXXX")));

        assertThat(error.field()).isEqualTo("config.webhook_url");
        assertThat(error.message()).contains("default port");
    }

    @Test
    void acceptsExplicitPort443OnPlatformHost() {
        ConnectorSpec spec = validSlack("slack", "Eng",
                config("webhook_url", "https://hooks.slack.com:443/services/T00000000/B00000000/XXXXXXXX"));

        assertThat(spec.secretConfig().path("webhook_url").asText()).contains(":443/");
    }

    @Test
    void rejectsWebhookUrlOnPrivateAddress() {
        // GIVEN a host that the SSRF guard refuses because it resolves to a private address
        guard.refuse("intranet.example.com", "intranet.example.com resolves to 10.0.0.5, a private address");

        // WHEN a generic connector points at it
        FieldError error = onlyError(() -> validator.validate("generic", "Intranet",
                config("url", "https://intranet.example.com/hook").put("method", "POST"), json("[\"*\"]"), null, null));

        // THEN it is refused, and the message says why and what to use instead
        assertThat(error.field()).isEqualTo("config.url");
        assertThat(error.message()).contains("is refused", "10.0.0.5, a private address", "use a public endpoint");
    }

    @Test
    void rejectsWebhookUrlOnLoopbackLiteral() {
        guard.refuse("127.0.0.1", "127.0.0.1 is a loopback address");

        FieldError error = onlyError(() -> validator.validate("generic", "Loop",
                config("url", "https://127.0.0.1/hook").put("method", "POST"), json("[\"*\"]"), null, null));

        assertThat(error.field()).isEqualTo("config.url");
        assertThat(error.message()).contains("is refused", "loopback");
    }

    @Test
    void asksTheGuardAboutTheLowerCaseHostOnPort443() {
        validator.validate("generic", "Hook", config("url", "https://Example.COM/hook").put("method", "POST"),
                json("[\"*\"]"), null, null);

        assertThat(guard.checked()).containsExactly("example.com:443");
    }

    @Test
    void acceptsUnresolvableHostBecauseDeliveryJudgesItAgain() {
        // GIVEN a host that does not resolve right now (documented decision: DNS may fail for a moment,
        // and the delivery path checks the address it resolves to at send time)
        guard.unresolvable("not-yet.example.com");

        // WHEN it is saved
        ConnectorSpec spec = validator.validate("generic", "Later", config("url", "https://not-yet.example.com/hook")
                .put("method", "POST"), json("[\"*\"]"), null, null);

        // THEN it is accepted
        assertThat(spec.secretConfig().path("url").asText()).isEqualTo("https://not-yet.example.com/hook");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            DISCORD_URL,
            "https://discordapp.com/api/webhooks/123456789012345678/abcDEF_ghi-JKL",
            "https://ptb.discord.com/api/webhooks/123456789012345678/abcDEF_ghi-JKL",
            "https://canary.discord.com/api/v10/webhooks/123456789012345678/abcDEF_ghi-JKL/",
    })
    void acceptsDiscordWebhookUrls(String url) {
        assertThat(validSlack("discord", "Eng", config("webhook_url", url)).secretConfig().path("webhook_url").asText())
                .isEqualTo(url);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            TEAMS_URL,
            "https://default0123.45.environment.api.powerplatform.com/powerautomate/automations/direct/workflows/abc/triggers/manual/paths/invoke?api-version=1&sig=XXXX",
            "https://make.powerautomate.com/workflows/abc/triggers/manual/paths/invoke",
            "https://contoso.webhook.office.com/webhookb2/0000-1111@2222/IncomingWebhook/abcd/3333",
    })
    void acceptsTeamsWorkflowsAndLegacyWebhookUrls(String url) {
        assertThat(validSlack("teams", "Eng", config("webhook_url", url)).secretConfig().path("webhook_url").asText())
                .isEqualTo(url);
    }

    @Test
    void acceptsZapierCatchHookUrl() {
        assertThat(validSlack("zapier", "Zap", config("webhook_url", ZAPIER_URL)).secretConfig().path("webhook_url").asText())
                .isEqualTo(ZAPIER_URL);
    }

    @Test
    void rejectsZapierUrlThatIsNotACatchHook() {
        FieldError error = onlyError(() -> validSlack("zapier", "Zap",
                config("webhook_url", "https://hooks.zapier.com/hooks/standard/1234567/abcdefg/")));

        assertThat(error.field()).isEqualTo("config.webhook_url");
        assertThat(error.message()).contains("its path should look like");
    }

    // ------------------------------------------------------------------ generic

    @Test
    void acceptsGenericHttpsUrlOnAnyHost() {
        ConnectorSpec spec = generic(config("url", "https://api.customer.example:8443/hooks/in").put("method", "POST"));

        assertThat(spec.secretConfig().path("url").asText()).isEqualTo("https://api.customer.example:8443/hooks/in");
        assertThat(spec.publicConfig().path("method").asText()).isEqualTo("POST");
    }

    @Test
    void rejectsGenericPlainHttpUrl() {
        FieldError error = onlyError(() -> generic(config("url", "http://api.customer.example/hooks").put("method", "POST")));

        assertThat(error.field()).isEqualTo("config.url");
        assertThat(error.message()).contains("must be an https:// URL");
    }

    @Test
    void acceptsGenericPlainHttpUrlWhenAllowed() {
        // GIVEN the local stack's policy, which permits http:// for its fake receivers
        ConnectorValidator local = validator(true);

        ConnectorSpec spec = local.validate("generic", "Local", config("url", "http://sink.local:9000/hook").put("method", "POST"),
                json("[\"*\"]"), null, null);

        assertThat(spec.secretConfig().path("url").asText()).isEqualTo("http://sink.local:9000/hook");
        assertThat(guard.checked()).containsExactly("sink.local:9000");
    }

    @ParameterizedTest
    @CsvSource({"POST, POST", "PUT, PUT", "PATCH, PATCH", "post, POST", "Patch, PATCH"})
    void acceptsWriteMethodsInUpperCase(String given, String stored) {
        ConnectorSpec spec = generic(config("url", "https://example.com/hook").put("method", given));

        assertThat(spec.publicConfig().path("method").asText()).isEqualTo(stored);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "DELETE", "HEAD", ""})
    void rejectsMethodsOtherThanPostPutPatch(String method) {
        FieldError error = onlyError(() -> generic(config("url", "https://example.com/hook").put("method", method)));

        assertThat(error.field()).isEqualTo("config.method");
        assertThat(error.message()).contains("must be one of POST, PUT, PATCH");
    }

    @Test
    void rejectsGenericWithoutMethod() {
        FieldError error = onlyError(() -> generic(config("url", "https://example.com/hook")));

        assertThat(error.field()).isEqualTo("config.method");
        assertThat(error.message()).contains("method is required");
    }

    @Test
    void keepsCustomHeadersAsSecrets() {
        ObjectNode config = config("url", "https://example.com/hook").put("method", "POST");
        config.putObject("headers").put("X-Team", "platform").put("X-Api-Key", "k-123");

        ConnectorSpec spec = generic(config);

        assertThat(spec.secretConfig().path("headers").path("X-Api-Key").asText()).isEqualTo("k-123");
        assertThat(spec.publicConfig().has("headers")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade", "Proxy-Authorization",
            "Authorization", "Host", "Content-Length", "content-type", "webhook-signature", "Webhook-Id", "X-Forwarded-For",
            "Sec-Fetch-Mode"})
    void rejectsHeadersTheServiceSetsOrThatAreHopByHop(String header) {
        ObjectNode config = config("url", "https://example.com/hook").put("method", "POST");
        config.putObject("headers").put(header, "x");

        FieldError error = onlyError(() -> generic(config));

        assertThat(error.field()).isEqualTo("config.headers." + header);
        assertThat(error.message()).contains("header '" + header + "'", "remove it");
    }

    @Test
    void rejectsHeaderGivenTwiceIgnoringCase() {
        ObjectNode config = config("url", "https://example.com/hook").put("method", "POST");
        config.putObject("headers").put("X-Team", "a").put("x-team", "b");

        FieldError error = onlyError(() -> generic(config));

        assertThat(error.field()).isEqualTo("config.headers.x-team");
        assertThat(error.message()).contains("given twice");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r\nX-Injected: 1", "a\nb", "a\rb"})
    void rejectsLineBreaksInHeaderValue(String value) {
        ObjectNode config = config("url", "https://example.com/hook").put("method", "POST");
        config.putObject("headers").put("X-Team", value);

        FieldError error = onlyError(() -> generic(config));

        assertThat(error.field()).isEqualTo("config.headers.X-Team");
        assertThat(error.message()).contains("without line breaks");
    }

    @Test
    void rejectsInvalidHeaderName() {
        ObjectNode config = config("url", "https://example.com/hook").put("method", "POST");
        config.putObject("headers").put("X Team", "a");

        FieldError error = onlyError(() -> generic(config));

        assertThat(error.field()).isEqualTo("config.headers.X Team");
        assertThat(error.message()).contains("not a valid header name");
    }

    @Test
    void acceptsTwentyHeaders() {
        ConnectorSpec spec = generic(withHeaders(20));

        assertThat(spec.secretConfig().path("headers").size()).isEqualTo(20);
    }

    @Test
    void rejectsMoreThanTwentyHeaders() {
        FieldError error = onlyError(() -> generic(withHeaders(21)));

        assertThat(error.field()).isEqualTo("config.headers");
        assertThat(error.message()).contains("at most 20 headers");
    }

    // ------------------------------------------------------------------ events

    @Test
    void rejectsMissingEvents() {
        FieldError error = onlyError(() -> validator.validate("slack", "Eng", config("webhook_url", SLACK_URL), null, null, null));

        assertThat(error.field()).isEqualTo("events");
        assertThat(error.message()).contains("events is required", "GET /api/v1/event-types");
    }

    @Test
    void rejectsEmptyEvents() {
        FieldError error = onlyError(() -> validator.validate("slack", "Eng", config("webhook_url", SLACK_URL), json("[]"), null, null));

        assertThat(error.field()).isEqualTo("events");
        assertThat(error.message()).contains("non-empty list");
    }

    @Test
    void rejectsEventsThatAreNotAList() {
        FieldError error = onlyError(() -> validator.validate("slack", "Eng", config("webhook_url", SLACK_URL),
                json("\"promise.created\""), null, null));

        assertThat(error.field()).isEqualTo("events");
    }

    @Test
    void rejectsUnknownEventTypeNamingItsPosition() {
        FieldError error = onlyError(() -> validator.validate("slack", "Eng", config("webhook_url", SLACK_URL),
                json("[\"promise.created\", \"promise.exploded\"]"), null, null));

        assertThat(error.field()).isEqualTo("events[1]");
        assertThat(error.message()).contains("'promise.exploded' is not an event type", "\"*\"");
    }

    @Test
    void acceptsWildcardEvent() {
        ConnectorSpec spec = validator.validate("slack", "Eng", config("webhook_url", SLACK_URL), json("[\"*\"]"), null, null);

        assertThat(spec.events()).containsExactly("*");
    }

    @Test
    void collapsesRepeatedEventTypes() {
        ConnectorSpec spec = validator.validate("slack", "Eng", config("webhook_url", SLACK_URL),
                json("[\"promise.created\", \"promise.created\"]"), null, null);

        assertThat(spec.events()).containsExactly("promise.created");
    }

    @Test
    void acceptsTwentyFiveEventTypes() {
        ConnectorSpec spec = validatorWithEventTypes(30).validate("slack", "Eng", config("webhook_url", SLACK_URL),
                eventNames(25), null, null);

        assertThat(spec.events()).hasSize(25);
    }

    @Test
    void rejectsMoreThanTwentyFiveEventTypes() {
        // GIVEN a catalog large enough to name 26 distinct event types (the standard one has fewer)
        ConnectorValidator wide = validatorWithEventTypes(30);

        FieldError error = onlyError(() -> wide.validate("slack", "Eng", config("webhook_url", SLACK_URL), eventNames(26), null, null));

        assertThat(error.field()).isEqualTo("events");
        assertThat(error.message()).contains("at most 25 event types", "\"*\"");
    }

    // ------------------------------------------------------------------ filters

    @Test
    void rejectsUnknownFilterListingKnownFilters() {
        FieldError error = onlyError(() -> slackWithFilters("{\"regions\":[\"eu\"]}"));

        assertThat(error.field()).isEqualTo("filters.regions");
        assertThat(error.message()).contains("'regions' is not a field of the event", "subject, attributes, data",
                "categories, statuses, companies");
    }

    @Test
    void rejectsFilterValueThatIsNotAList() {
        FieldError error = onlyError(() -> slackWithFilters("{\"categories\":\"tech-product\"}"));

        assertThat(error.field()).isEqualTo("filters.categories");
        assertThat(error.message()).contains("must be a list of 1 to 50 strings");
    }

    @Test
    void rejectsEmptyFilterList() {
        FieldError error = onlyError(() -> slackWithFilters("{\"categories\":[]}"));

        assertThat(error.field()).isEqualTo("filters.categories");
        assertThat(error.message()).contains("must be a list of 1 to 50 strings");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1]", "[\"ok\", null]", "[\"\"]", "[{\"a\":1}]"})
    void rejectsFilterValuesThatAreNotNonEmptyStrings(String values) {
        FieldError error = onlyError(() -> slackWithFilters("{\"statuses\":" + values + "}"));

        assertThat(error.field()).isEqualTo("filters.statuses");
        assertThat(error.message()).contains("non-empty strings");
    }

    @Test
    void rejectsPatternOnADataFieldNoSubscribedEventTypeHas() {
        // GIVEN a connector of promise.created, whose data has no status
        FieldError error = onlyError(() -> validator.validate("slack", "Eng", config("webhook_url", SLACK_URL),
                json("[\"promise.created\"]"), json("{\"data\":{\"status\":[\"kept\"]}}"), null));

        assertThat(error.field()).isEqualTo("filters.data.status");
        assertThat(error.message()).contains("'status' is not a field of data", "promiseId", "deadline");
    }

    @Test
    void acceptsPatternOnADataFieldOneOfTheSubscribedTypesHas() {
        ConnectorSpec spec = validator.validate("slack", "Eng", config("webhook_url", SLACK_URL),
                json("[\"promise.created\", \"promise.status_changed\"]"),
                json("{\"data\":{\"status\":[{\"anything-but\":\"kept\"}]}, \"attributes\":{\"category\":[{\"prefix\":\"tech\"}]}}"),
                null);

        assertThat(spec.filters().isEmpty()).isFalse();
    }

    @Test
    void reportsFilterProblemsTogetherWithOtherFields() {
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> validator.validate("slack", "", config("webhook_url",
                SLACK_URL), json("[\"*\"]"), json("{\"data\":{\"daysLeft\":[{\"numeric\":[\">\", \"5\"]}]}, \"type\":[{\"wildcard\":\"a**\"}]}"),
                null));

        assertThat(e.errors()).extracting(FieldError::field)
                .containsExactly("name", "filters.data.daysLeft[0].numeric[1]", "filters.type[0].wildcard");
    }

    @Test
    void rejectsFiltersThatAreNotAnObject() {
        FieldError error = onlyError(() -> slackWithFilters("[\"tech-product\"]"));

        assertThat(error.field()).isEqualTo("filters");
        assertThat(error.message()).contains("must be an object");
    }

    // ------------------------------------------------------------------ transformation

    @Test
    void acceptsTransformationOf64Kilobytes() {
        String source = "//" + "x".repeat(64 * 1024 - 2);

        ConnectorSpec spec = validator.validate("slack", "Eng", config("webhook_url", SLACK_URL), json("[\"*\"]"), null, source);

        assertThat(spec.transformation()).hasSize(64 * 1024);
    }

    @Test
    void rejectsTransformationOverSixtyFourKilobytes() {
        // GIVEN 64 KB + 1 byte of source; "é" is two bytes in UTF-8, so this counts bytes, not characters
        String source = "//" + "é".repeat(32 * 1024 - 1) + "xx" + "x";

        FieldError error = onlyError(() -> validator.validate("slack", "Eng", config("webhook_url", SLACK_URL), json("[\"*\"]"),
                null, source));

        assertThat(error.field()).isEqualTo("transformation");
        assertThat(error.message()).contains("at most 64 KB");
    }

    @Test
    void reportsTheTransformationChecksFinding() {
        ConnectorValidator checking = new ConnectorValidator(ConnectorTypeCatalog.standard(), EventCatalog.standard(),
                new DestinationUrlPolicy(guard, false),
                source -> Optional.of(new FieldError("transformation", "SyntaxError at line 1, column 9")));

        FieldError error = onlyError(() -> checking.validate("slack", "Eng", config("webhook_url", SLACK_URL), json("[\"*\"]"),
                null, "function (" ));

        assertThat(error.field()).isEqualTo("transformation");
        assertThat(error.message()).isEqualTo("SyntaxError at line 1, column 9");
    }

    // ------------------------------------------------------------------ together

    @Test
    void reportsEveryProblemTogether() {
        // GIVEN a request with four different mistakes
        // WHEN it is validated
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> validator.validate(
                "slack", "", config("webhook_url", "http://hooks.slack.com/services/T0/B0/X"), json("[]"),
                json("{\"regions\":[\"eu\"]}"), null));

        // THEN all four are reported at once, each naming its field
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo("The connector has 4 problems; see errors.");
        assertThat(e.errors()).extracting(FieldError::field)
                .containsExactly("name", "config.webhook_url", "events", "filters.regions");
    }

    @Test
    void validateKeepingConfigDoesNotAskTheGuardAgain() {
        // GIVEN a stored URL whose host the guard would now refuse
        guard.refuse("hooks.slack.com", "hooks.slack.com resolves to 10.0.0.1");

        // WHEN only the name changes
        ConnectorSpec spec = validator.validateKeepingConfig("slack", "Renamed", Json.object(), config("webhook_url", SLACK_URL),
                json("[\"*\"]"), null, null);

        // THEN the config is kept as it was
        assertThat(spec.name()).isEqualTo("Renamed");
        assertThat(spec.secretConfig().path("webhook_url").asText()).isEqualTo(SLACK_URL);
        assertThat(guard.checked()).isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    private ConnectorSpec validSlack(String type, String name, ObjectNode config) {
        return validator.validate(type, name, config, json("[\"promise.status_changed\"]"), null, null);
    }

    private ConnectorSpec generic(ObjectNode config) {
        return validator.validate("generic", "Hook", config, json("[\"*\"]"), null, null);
    }

    private ConnectorSpec slackWithFilters(String filters) {
        return validator.validate("slack", "Eng", config("webhook_url", SLACK_URL), json("[\"*\"]"), json(filters), null);
    }

    private ConnectorValidator validatorWithEventTypes(int count) {
        return new ConnectorValidator(ConnectorTypeCatalog.standard(), TestEventCatalogs.withTypes(count),
                new DestinationUrlPolicy(guard, false), source -> Optional.empty());
    }

    private static JsonNode eventNames(int count) {
        var array = Json.MAPPER.createArrayNode();
        for (int i = 0; i < count; i++) {
            array.add("test.event_" + i);
        }
        return array;
    }

    private static ObjectNode withHeaders(int count) {
        ObjectNode config = config("url", "https://example.com/hook").put("method", "POST");
        ObjectNode headers = config.putObject("headers");
        for (int i = 0; i < count; i++) {
            headers.put("X-Header-" + i, "v" + i);
        }
        return config;
    }

    static ObjectNode config(String field, String value) {
        return Json.object().put(field, value);
    }

    static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /** The single field error of the validation failure {@code call} raises, checked to be a 400. */
    private static FieldError onlyError(Runnable call) {
        ValidationException e = catchThrowableOfType(ValidationException.class, call::run);
        assertThat(e).as("expected a validation failure").isNotNull();
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.errors()).hasSize(1);
        assertThat(e.getMessage()).isEqualTo(e.errors().get(0).message());
        return e.errors().get(0);
    }
}
