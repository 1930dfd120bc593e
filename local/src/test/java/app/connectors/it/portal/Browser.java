package app.connectors.it.portal;

import app.connectors.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the portal tests need of a browser, over real HTTP: a cookie jar (Set-Cookie honoured,
 * Max-Age=0 removes), no automatic redirects (tests follow them to see each hop), and the headers a
 * browser adds to a same-origin fetch (Origin on state-changing requests).
 */
final class Browser {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private static final Pattern HIDDEN_CODE = Pattern.compile("<input type=\"hidden\" name=\"code\" value=\"([^\"]+)\">");

    private final URI origin;
    private final Map<String, String> cookies = new LinkedHashMap<>();

    Browser(URI origin) {
        this.origin = origin;
    }

    /** One HTTP answer. */
    record Response(int status, Map<String, List<String>> headers, String body) {

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }

        List<String> all(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).toList();
        }

        JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON (" + status + "): " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + body;
        }
    }

    Response get(String pathOrUrl) {
        return send("GET", pathOrUrl, null, Map.of());
    }

    /**
     * Opens a portal link as a person at the browser does: its page (GET, which uses nothing), then
     * the page's form ("Open the portal as …"), a same-origin POST of the code. Answers the POST.
     *
     * @throws IllegalStateException when the link's page has no such form (a used link, another user's session)
     */
    Response openLink(String link) {
        Response page = get(link);
        Matcher code = HIDDEN_CODE.matcher(page.body());
        if (page.status() != 200 || !code.find()) {
            throw new IllegalStateException("the link's page offers no way to continue: " + page);
        }
        return submitLinkForm(link, code.group(1));
    }

    /** The link page's form, as Chromium submits it: form-encoded, with the page's Origin and Sec-Fetch-Site. */
    Response submitLinkForm(String link, String code) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        headers.put("Origin", origin.getScheme() + "://" + origin.getRawAuthority());
        headers.put("Sec-Fetch-Site", "same-origin");
        return send("POST", URI.create(link).resolve("start").toString(), "code=" + URLEncoder.encode(code, StandardCharsets.UTF_8),
                headers);
    }

    /** A state-changing request as the portal page sends it: JSON, with the CSRF token and the page's Origin. */
    Response send(String method, String pathOrUrl, String json, String csrfToken) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Origin", origin.getScheme() + "://" + origin.getRawAuthority());
        if (csrfToken != null) {
            headers.put("X-CSRF-Token", csrfToken);
        }
        return send(method, pathOrUrl, json, headers);
    }

    Response send(String method, String pathOrUrl, String json, Map<String, String> headers) {
        URI uri = origin.resolve(pathOrUrl);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null && headers.keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        // The jar is host-only, like the __Host- cookie itself.
        if (!cookies.isEmpty() && uri.getRawAuthority().equals(origin.getRawAuthority())) {
            request.header("Cookie", String.join("; ", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            response.headers().allValues("Set-Cookie").forEach(this::store);
            return new Response(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The CSRF token of the open session, as the page reads it. */
    String csrfToken() {
        Response session = get("/portal/api/session");
        if (session.status() != 200) {
            throw new IllegalStateException("no session: " + session);
        }
        return session.json().get("csrfToken").asText();
    }

    String cookie(String name) {
        return cookies.get(name);
    }

    void setCookie(String name, String value) {
        cookies.put(name, value);
    }

    private void store(String setCookie) {
        String pair = setCookie.split(";", 2)[0];
        int equals = pair.indexOf('=');
        String name = pair.substring(0, equals).trim();
        String value = pair.substring(equals + 1).trim();
        if (setCookie.contains("Max-Age=0") || value.isEmpty()) {
            cookies.remove(name);
        } else {
            cookies.put(name, value);
        }
    }
}
