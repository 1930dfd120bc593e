package app.connectors.local;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Picks the route for a request the way API Gateway does: first the most specific resource (literal
 * segments beat {@code {param}}, which beats greedy {@code {proxy+}}), then the method on that
 * resource ({@code ANY} as the fallback). A resource without the method does not fall back to a
 * less specific resource.
 */
final class RouteTable {

    /** The outcome of matching a request. */
    sealed interface Match {
    }

    record Found(TemplateModel.Route route, Map<String, String> pathParameters) implements Match {
    }

    record MethodNotAllowed(String path, List<String> allowedMethods) implements Match {
    }

    record NotFound() implements Match {
    }

    /** One resource path and its methods. */
    private record Resource(String path, List<String> segments, Map<String, TemplateModel.Route> byMethod) {
    }

    private final List<Resource> resources = new ArrayList<>();

    RouteTable(Collection<TemplateModel.Route> routes) {
        Map<String, Resource> byPath = new LinkedHashMap<>();
        for (TemplateModel.Route route : routes) {
            Resource resource = byPath.computeIfAbsent(route.path(),
                    path -> new Resource(path, segments(path), new LinkedHashMap<>()));
            if (resource.byMethod().put(route.method(), route) != null) {
                throw new IllegalArgumentException("two functions answer " + route.method() + " " + route.path());
            }
        }
        resources.addAll(byPath.values());
        // Most specific first: compare segment kinds left to right (literal < param < greedy).
        resources.sort(Comparator.comparing(Resource::segments, RouteTable::compareSpecificity));
    }

    /**
     * @param path the request's raw (still percent-encoded) path: each segment is decoded once here,
     *             after splitting on "/", so an encoded slash stays inside its segment
     */
    Match match(String method, String path) {
        List<String> requestSegments = segments(path);
        for (Resource resource : resources) {
            Optional<Map<String, String>> parameters = bind(resource.segments(), requestSegments);
            if (parameters.isEmpty()) {
                continue;
            }
            TemplateModel.Route route = resource.byMethod().getOrDefault(method, resource.byMethod().get("ANY"));
            if (route == null) {
                return new MethodNotAllowed(resource.path(), List.copyOf(new TreeSet<>(resource.byMethod().keySet())));
            }
            return new Found(route, parameters.get());
        }
        return new NotFound();
    }

    private static Optional<Map<String, String>> bind(List<String> pattern, List<String> request) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < pattern.size(); i++) {
            String segment = pattern.get(i);
            if (isGreedy(segment)) {
                if (i >= request.size()) {
                    return Optional.empty();
                }
                List<String> rest = request.subList(i, request.size()).stream().map(RouteTable::decode).toList();
                parameters.put(segment.substring(1, segment.length() - 2), String.join("/", rest));
                return Optional.of(parameters);
            }
            if (i >= request.size()) {
                return Optional.empty();
            }
            if (isParameter(segment)) {
                String value = decode(request.get(i));
                if (value.isEmpty()) {
                    return Optional.empty();
                }
                parameters.put(segment.substring(1, segment.length() - 1), value);
            } else if (!segment.equals(decode(request.get(i)))) {
                return Optional.empty();
            }
        }
        return pattern.size() == request.size() ? Optional.of(parameters) : Optional.empty();
    }

    private static int compareSpecificity(List<String> left, List<String> right) {
        for (int i = 0; i < Math.min(left.size(), right.size()); i++) {
            int difference = Integer.compare(kind(left.get(i)), kind(right.get(i)));
            if (difference != 0) {
                return difference;
            }
        }
        return Integer.compare(right.size(), left.size());
    }

    private static int kind(String segment) {
        return isGreedy(segment) ? 2 : isParameter(segment) ? 1 : 0;
    }

    private static boolean isParameter(String segment) {
        return segment.startsWith("{") && segment.endsWith("}");
    }

    private static boolean isGreedy(String segment) {
        return segment.startsWith("{") && segment.endsWith("+}");
    }

    private static List<String> segments(String path) {
        return Arrays.stream(path.split("/")).filter(segment -> !segment.isEmpty()).toList();
    }

    /** Percent-decodes one path segment ("+" is a literal plus in a path, unlike in a query). */
    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
