package app.connectors.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code portal-link <userId>} against a running stack: the printed link opens a portal session. */
class PortalLinkCommandIT {

    private static final Path TEMPLATE = Path.of("../template.yaml");
    private static LocalStack stack;

    @TempDir
    static Path data;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void start() {
        stack = LocalStack.start(LocalStackOptions.forTests(TEMPLATE).withPollers(false));
        StackFile.of(stack, TEMPLATE, stack.gatewayUrl()).write(data);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private int run(String... args) {
        return LocalMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void printsALinkThatOpensThePortalCreatingTheUserWhenNew() throws Exception {
        // WHEN a link is asked for a user the stack does not know yet
        int code = run("portal-link", "newcomer-1", "--template", TEMPLATE.toString(), "--data", data.toString());

        // THEN stdout is only the link, stderr says the user was created, and the link opens a session
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        String link = out.toString(StandardCharsets.UTF_8).trim();
        assertThat(link).startsWith(stack.gatewayUrl() + "/portal/start?code=cpl_").doesNotContain("\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Created newcomer-1 on the pro plan");
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(link)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.body()).contains("Open the portal as newcomer-1");
        // The page's button: a same-origin POST of the code.
        HttpResponse<Void> opened = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(link).resolve("start"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Sec-Fetch-Site", "same-origin")
                .POST(HttpRequest.BodyPublishers.ofString(link.substring(link.indexOf('?') + 1))).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(opened.statusCode()).isEqualTo(303);
        assertThat(opened.headers().firstValue("Set-Cookie")).get().asString().startsWith("__Host-connectors_portal=cps_");
    }

    @Test
    void invokingAccountsFunctionForALinkNamesTheRunningStacksPortal() throws Exception {
        // GIVEN a user, and the portal-link event as the host platform would send it
        assertThat(run("portal-link", "invoker-1", "--template", TEMPLATE.toString(), "--data", data.toString())).isZero();
        Path event = data.resolve("portal-link-event.json");
        java.nio.file.Files.writeString(event, "{\"action\": \"portal-link\", \"userId\": \"invoker-1\"}");
        out.reset();

        // WHEN bin/local invoke runs AccountsFunction against the running stack
        int code = run("invoke", "AccountsFunction", "--event", event.toString(), "--template", TEMPLATE.toString(),
                "--data", data.toString());

        // THEN the link is that stack's portal (the template's Fn::If and API address are not left unresolved)
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"url\":\"" + stack.gatewayUrl() + "/portal/start?code=cpl_")
                .doesNotContain("local-unresolved");
    }

    @Test
    void withoutAUserIdItIsAUsageError() {
        assertThat(run("portal-link", "--data", data.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Usage: bin/local portal-link <userId>");
    }

    @Test
    void helpListsIt() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("portal-link <userId>");
    }
}
