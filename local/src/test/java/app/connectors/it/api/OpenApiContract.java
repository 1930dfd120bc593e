package app.connectors.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * docs/openapi.yaml as a checker of real exchanges: every request the end-to-end test sends and
 * every response it receives is validated against it.
 */
public final class OpenApiContract {

    static final Path DOCUMENT = Path.of("../docs/openapi.yaml");

    private final OpenApiInteractionValidator validator;

    public OpenApiContract() {
        try {
            validator = OpenApiInteractionValidator.createForInlineApiSpecification(Files.readString(DOCUMENT)).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DOCUMENT, e);
        }
    }

    /** The request and the response both follow the contract. */
    void assertConforms(String token, String method, String pathAndQuery, String body, ApiResponse response) {
        Request request = request(token, method, pathAndQuery, body);
        ValidationReport report = validator.validate(request, response(response));
        assertThat(report.hasErrors()).as("%s %s -> %s violates %s:%n%s", method, pathAndQuery, response, DOCUMENT,
                describe(report)).isFalse();
    }

    /**
     * The request breaks the contract (bad input on purpose) and the response to it follows the
     * contract: the document and the service agree on what is invalid and how it is answered.
     */
    void assertRejectedRequestAndConformingResponse(String token, String method, String pathAndQuery, String body,
                                                    ApiResponse response) {
        Request request = request(token, method, pathAndQuery, body);
        assertThat(validator.validateRequest(request).hasErrors())
                .as("%s %s with %s should break the contract", method, pathAndQuery, body).isTrue();
        ValidationReport report = validator.validateResponse(URI.create(pathAndQuery).getRawPath(), request.getMethod(),
                response(response));
        assertThat(report.hasErrors()).as("%s %s -> %s violates %s:%n%s", method, pathAndQuery, response, DOCUMENT,
                describe(report)).isFalse();
    }

    /**
     * Only the response follows the contract: for requests the validator cannot judge as wrong
     * although the service must refuse them (a missing token: the validator does not enforce the
     * document's global bearer requirement).
     */
    void assertResponseConforms(String method, String pathAndQuery, ApiResponse response) {
        ValidationReport report = validator.validateResponse(URI.create(pathAndQuery).getRawPath(),
                Request.Method.valueOf(method), response(response));
        assertThat(report.hasErrors()).as("%s %s -> %s violates %s:%n%s", method, pathAndQuery, response, DOCUMENT,
                describe(report)).isFalse();
    }

    /** The response follows the contract for {@code method path} (for tests outside this package, with their own client). */
    public void assertResponseConforms(String method, String pathAndQuery, int status, java.util.Map<String, java.util.List<String>> headers,
                                       String body) {
        assertResponseConforms(method, pathAndQuery, new ApiResponse(status, headers, body));
    }

    private static Request request(String token, String method, String pathAndQuery, String body) {
        URI uri = URI.create(pathAndQuery);
        SimpleRequest.Builder builder = new SimpleRequest.Builder(method, uri.getRawPath());
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] parts = pair.split("=", 2);
                builder.withQueryParam(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                        parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
            }
        }
        if (token != null) {
            builder.withAuthorization("Bearer " + token);
        }
        if (body != null) {
            builder.withContentType("application/json").withBody(body);
        }
        return builder.build();
    }

    private static SimpleResponse response(ApiResponse response) {
        SimpleResponse.Builder builder = SimpleResponse.Builder.status(response.status());
        response.headers().forEach((name, values) -> builder.withHeader(name, values));
        if (response.body() != null && !response.body().isEmpty()) {
            builder.withBody(response.body());
        }
        return builder.build();
    }

    private static String describe(ValidationReport report) {
        return report.getMessages().stream()
                .map(m -> "  " + m.getLevel() + " " + m.getKey() + ": " + m.getMessage())
                .collect(Collectors.joining("\n"));
    }
}
