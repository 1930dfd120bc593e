package app.connectors.functions.portal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
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
}
