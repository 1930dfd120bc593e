package app.connectors.functions.portal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The portal's files, served from the deployment artifact's classpath (nothing from a third-party
 * origin). Only text types are served: API Gateway returns a Lambda's binary body intact to browsers
 * only when the whole API treats every type as binary, which would turn every JSON request body into
 * base64; icons are SVG instead.
 *
 * <p>The files are listed once, when the instance is made (the artifact does not change while it
 * runs): a request for any other name is answered from that list, so the anonymous requests for
 * names that do not exist cost no class-path lookup and leave nothing behind. Only the listed files
 * are ever cached, so the cache is bounded by the artifact.
 *
 * <pre>{@code
 * StaticFiles files = new StaticFiles("portal/web/");
 * Optional<StaticFiles.Asset> js = files.find("assets/app-3f9a1c2b.js");   // fingerprinted: immutable
 * }</pre>
 */
public final class StaticFiles {

    static final Map<String, String> CONTENT_TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("svg", "image/svg+xml; charset=utf-8"),
            Map.entry("json", "application/json; charset=utf-8"),
            Map.entry("webmanifest", "application/manifest+json; charset=utf-8"),
            Map.entry("map", "application/json; charset=utf-8"),
            Map.entry("txt", "text/plain; charset=utf-8"));

    /** Path segments of letters, digits, dot, dash and underscore; none starting with a dot (no "..", no hidden files). */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");
    /**
     * A content hash in the name (app-3f9a1c2b.js, app.3f9a1c2b.css): 8 or more lower-case hex digits, at
     * least one of them a digit, right before the extension. Only such names are cached for a year;
     * ordinary names (new-connector.js, delivery-log.js) revalidate, so a deploy is seen at once.
     */
    private static final Pattern FINGERPRINTED = Pattern.compile(".*[.-](?=[0-9a-f]*[0-9])[0-9a-f]{8,}\\.[a-z0-9]+$");

    private final String root;
    private final ClassLoader loader;
    /** The servable files under the root, relative to it; listed once. */
    private final Set<String> known;
    /** Files read so far: only names in {@link #known}. */
    private final Map<String, Asset> cache = new ConcurrentHashMap<>();

    /**
     * @param root the classpath folder, with a trailing slash, e.g. {@code portal/web/}
     * @throws IllegalStateException when the folder is on the class path in a form that cannot be listed
     */
    public StaticFiles(String root) {
        this(root, StaticFiles.class.getClassLoader());
    }

    StaticFiles(String root, ClassLoader loader) {
        this.root = root.endsWith("/") ? root : root + "/";
        this.loader = loader;
        this.known = list(loader, this.root);
    }

    /** The file at {@code relativePath} under the root, when it is a servable file. */
    public Optional<Asset> find(String relativePath) {
        if (!isSafe(relativePath) || !known.contains(relativePath)) {
            return Optional.empty();
        }
        return Optional.ofNullable(cache.computeIfAbsent(relativePath, this::load));
    }

    /**
     * Every servable file under {@code root} on the class path: in a folder (Lambda unpacks the
     * artifact into /var/task; tests run from target/classes) or in a jar (the local stack).
     */
    private static Set<String> list(ClassLoader loader, String root) {
        Set<String> names = new HashSet<>();
        try {
            for (URL url : Collections.list(loader.getResources(root))) {
                switch (url.getProtocol()) {
                    case "file" -> {
                        Path folder = Path.of(url.toURI());
                        try (Stream<Path> files = Files.walk(folder)) {
                            files.filter(Files::isRegularFile)
                                    .map(file -> folder.relativize(file).toString().replace(java.io.File.separatorChar, '/'))
                                    .forEach(names::add);
                        }
                    }
                    case "jar" -> {
                        var connection = (JarURLConnection) url.openConnection();
                        connection.setUseCaches(false);
                        try (JarFile jar = connection.getJarFile()) {
                            jar.stream().filter(entry -> !entry.isDirectory() && entry.getName().startsWith(root))
                                    .map(entry -> entry.getName().substring(root.length()))
                                    .forEach(names::add);
                        }
                    }
                    default -> throw new IllegalStateException("cannot list the portal's files at " + url
                            + ": only folders and jars are supported");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the portal's files under " + root, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot list the portal's files under " + root, e);
        }
        names.removeIf(name -> !isSafe(name));
        return Set.copyOf(names);
    }

    static boolean isSafe(String relativePath) {
        if (relativePath == null || relativePath.isEmpty() || relativePath.length() > 512) {
            return false;
        }
        for (String segment : relativePath.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches()) {
                return false;
            }
        }
        return CONTENT_TYPES.containsKey(extension(relativePath));
    }

    /** A listed file's content, or null (not cached) if it vanished or cannot be read. */
    private Asset load(String relativePath) {
        try (InputStream in = loader.getResourceAsStream(root + relativePath)) {
            if (in == null) {
                return null;
            }
            byte[] bytes = in.readAllBytes();
            return new Asset(relativePath, CONTENT_TYPES.get(extension(relativePath)),
                    new String(bytes, StandardCharsets.UTF_8), etag(bytes), isFingerprinted(relativePath));
        } catch (IOException e) {
            return null;
        }
    }

    static boolean isFingerprinted(String path) {
        return FINGERPRINTED.matcher(path).matches();
    }

    private static String extension(String path) {
        int dot = path.lastIndexOf('.');
        int slash = path.lastIndexOf('/');
        return dot <= slash + 1 ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static String etag(byte[] bytes) {
        try {
            return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException("SHA-256 is part of every JDK", e));
        }
    }

    /**
     * One servable file.
     *
     * @param fingerprinted whether its name carries a content hash (cached for a year, immutable)
     */
    public record Asset(String path, String contentType, String text, String etag, boolean fingerprinted) {

        public boolean isHtml() {
            return contentType.startsWith("text/html");
        }

        /** An SVG image: opened by itself, a document that could carry script. */
        public boolean isSvg() {
            return contentType.startsWith("image/svg+xml");
        }

        public String cacheControl() {
            return fingerprinted ? "public, max-age=31536000, immutable" : "no-cache";
        }
    }
}
