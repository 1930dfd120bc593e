package app.connectors.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * README's receiver sample (docs/examples/webhook_receiver.py) against real deliveries: it verifies
 * what a generic connector sends, before and after a secret rotation, and refuses a forged request.
 */
class WebhookReceiverSampleIT {

    private static final Path SAMPLE = Path.of("../docs/examples/webhook_receiver.py");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void theSampleVerifiesSignedDeliveriesAndRefusesAForgery() throws Exception {
        assumeTrue(python3Available(), "python3 is not installed, so README's receiver sample cannot run here");
        int port = FreePort.find();
        try (LocalStack stack = LocalStack.start(LocalStackOptions.forTests(Path.of("../template.yaml"))
                .withAllowedTarget("127.0.0.1:" + port))) {
            // GIVEN a generic connector to the sample, and the sample started with its signing secret
            @SuppressWarnings("unchecked")
            String token = (String) ((Map<String, Object>) stack.function("AccountsFunction")
                    .invokeJson("{\"userId\":\"sample-1\",\"tier\":\"pro\"}")).get("token");
            JsonNode created = LambdaJson.MAPPER.readTree(send(stack, token, "POST", "/api/v1/connectors", """
                    {"type":"generic","name":"Sample","config":{"url":"http://127.0.0.1:%d/hook","method":"POST"},"events":["*"]}
                    """.formatted(port)).body());
            ProcessBuilder sample = new ProcessBuilder("python3", "-u", SAMPLE.toString(), String.valueOf(port))
                    .redirectErrorStream(true);
            sample.environment().put("WEBHOOK_SECRET", created.get("signingSecret").asText());
            Process receiver = sample.start();
            try {
                BlockingQueue<String> lines = read(receiver);
                awaitListening(port);

                // WHEN an event is published, and again after the secret was rotated
                new EventPublisher(stack).publish("EventsQueue", envelope("evt_sample_1"), false);
                String first = lines.poll(60, TimeUnit.SECONDS);
                send(stack, token, "POST", "/api/v1/connectors/" + created.get("uuid").asText() + "/signing-secret", null);
                new EventPublisher(stack).publish("EventsQueue", envelope("evt_sample_2"), false);
                String second = lines.poll(60, TimeUnit.SECONDS);
                // AND a request signed with another secret reaches it
                HttpResponse<String> forged = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hook"))
                        .header("webhook-id", "msg_forged").header("webhook-timestamp", String.valueOf(System.currentTimeMillis() / 1000))
                        .header("webhook-signature", "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"evt_forged\"}")).build(), HttpResponse.BodyHandlers.ofString());

                // THEN both deliveries are verified (the rotated one carries both signatures), the forgery is refused
                assertThat(first).startsWith("verified").contains("evt_sample_1");
                assertThat(second).startsWith("verified").contains("evt_sample_2");
                assertThat(forged.statusCode()).isEqualTo(401);
                assertThat(lines.poll(10, TimeUnit.SECONDS)).startsWith("REFUSED");
            } finally {
                receiver.destroy();
            }
        }
    }

    private static BlockingQueue<String> read(Process process) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (java.io.IOException ended) {
                // The process was stopped.
            }
        }, "sample-receiver-output");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static void awaitListening(int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the sample receiver did not listen on " + port + " within 30 s");
    }

    private static String envelope(String id) {
        return """
                {"id":"%s","type":"promise.created","occurredAt":"2026-11-20T14:03:00Z","userId":"sample-1",
                 "subject":{"title":"A promise","url":"https://example.org/promises/1"},"data":{"promiseId":"1"}}
                """.formatted(id);
    }

    private static HttpResponse<String> send(LocalStack stack, String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(stack.gatewayUrl().resolve(path)).header("Authorization", "Bearer " + token);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean python3Available() {
        try {
            return new ProcessBuilder("python3", "--version").start().waitFor(10, TimeUnit.SECONDS) && Files.exists(SAMPLE);
        } catch (Exception e) {
            return false;
        }
    }
}
