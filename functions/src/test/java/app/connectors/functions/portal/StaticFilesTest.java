package app.connectors.functions.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StaticFilesTest {

    private final StaticFiles files = new StaticFiles("portal/test-web/");

    @Test
    void aHexContentHashBeforeTheExtensionIsImmutable() {
        assertThat(files.find("assets/app-1a2b3c4d5e.js")).get().extracting(StaticFiles.Asset::fingerprinted).isEqualTo(true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"new-connector.js", "delivery-log.js", "connector-settings.css", "transformations.js",
            "app-deadbeef.js", "index.html", "icons.svg", "app-ABCDEF12.js", "page-1234567.js"})
    void ordinaryNamesAreNotTakenForFingerprints(String name) {
        assertThat(StaticFiles.isFingerprinted(name)).as(name).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"app-3f9a1c2b.js", "app.3f9a1c2b.css", "chunk-0123456789abcdef.mjs", "assets/editor-12345678.js"})
    void contentHashesAreRecognised(String name) {
        assertThat(StaticFiles.isFingerprinted(name)).as(name).isTrue();
    }

    @Test
    void anOrdinaryAssetRevalidates() {
        assertThat(files.find("assets/style.css")).get().extracting(StaticFiles.Asset::cacheControl).isEqualTo("no-cache");
    }

    @Test
    void onlyListedServableFilesAreFound() {
        assertThat(files.find("index.html")).get().extracting(StaticFiles.Asset::isHtml).isEqualTo(true);
        assertThat(files.find("assets/icon.svg")).isPresent();
        assertThat(files.find("assets/secret.properties")).as("a type that is not served").isEmpty();
        assertThat(files.find("assets")).as("a folder").isEmpty();
        assertThat(files.find("assets/missing.js")).isEmpty();
        assertThat(files.find("assets/../index.html")).isEmpty();
    }

    @Test
    void filesInsideAJarAreListedToo(@TempDir Path folder) throws IOException {
        // The local stack runs from one jar; Lambda from an unpacked folder (the case above).
        Path jar = folder.resolve("web.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            add(out, "portal/jar-web/", null);
            add(out, "portal/jar-web/index.html", "<!doctype html><title>jar</title>");
            add(out, "portal/jar-web/assets/app.js", "export {};");
            add(out, "portal/other/outside.js", "export {};");
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            StaticFiles fromJar = new StaticFiles("portal/jar-web/", loader);

            assertThat(fromJar.find("index.html")).get().extracting(StaticFiles.Asset::text).isEqualTo("<!doctype html><title>jar</title>");
            assertThat(fromJar.find("assets/app.js")).isPresent();
            assertThat(fromJar.find("outside.js")).isEmpty();
            assertThat(fromJar.find("assets/other.js")).isEmpty();
        }
    }

    private static void add(JarOutputStream out, String name, String text) throws IOException {
        out.putNextEntry(new JarEntry(name));
        if (text != null) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        out.closeEntry();
    }
}
