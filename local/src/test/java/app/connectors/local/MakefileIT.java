package app.connectors.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.connectors.it.backend.EmbeddedOnly;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code sam build} runs: {@code make build-<Function>} in the project's root. */
@EmbeddedOnly("a test of the build, not of an AWS backend")
class MakefileIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern RELEASE_VERSION = Pattern.compile("JAVA_VERSION=\"(\\d+)");

    @Test
    void buildTargetRunsMavenWithAJdk21EvenWhenTheDefaultJavaIsOlder(@TempDir Path temp) throws Exception {
        // GIVEN a PATH whose first java is older than 21, no JAVA_HOME, and an mvn that records the java it sees
        Optional<Path> oldJdk = installedJdks().filter(home -> major(home) < 21).findFirst();
        assumeTrue(oldJdk.isPresent(), "no JDK older than 21 is installed here, so the default java cannot be an old one");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/make")), "make is not installed");
        Path bin = Files.createDirectories(temp.resolve("bin"));
        Path seen = temp.resolve("seen-java");
        Path mvn = Files.writeString(bin.resolve("mvn"), """
                #!/usr/bin/env bash
                java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' > "%s"
                """.formatted(seen));
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path artifacts = temp.resolve("artifacts");

        // WHEN SAM's build step runs (always-make: as if a source had changed, so the Maven recipe runs too)
        ProcessBuilder make = new ProcessBuilder("make", "--always-make", "-s", "build-AccountsFunction",
                "ARTIFACTS_DIR=" + artifacts, "MVN=" + mvn)
                .directory(ROOT.toFile())
                .redirectErrorStream(true);
        Map<String, String> environment = make.environment();
        environment.remove("JAVA_HOME");
        environment.put("PATH", oldJdk.get().resolve("bin") + ":" + bin + ":/usr/bin:/bin");
        Process process = make.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();

        // THEN Maven ran with a JDK 21 or newer, and the function's artifact is the unpacked jar
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(Integer.parseInt(Files.readString(seen).trim().split("\\.")[0])).isGreaterThanOrEqualTo(21);
        assertThat(artifacts.resolve("app/connectors/functions/AccountsHandler.class")).isRegularFile();
    }

    private static Stream<Path> installedJdks() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Stream.empty();
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(home -> Files.isExecutable(home.resolve("bin/java")) && Files.isRegularFile(home.resolve("release")))
                    .toList().stream();
        }
    }

    private static int major(Path home) {
        try {
            Matcher version = RELEASE_VERSION.matcher(Files.readString(home.resolve("release")));
            return version.find() ? Integer.parseInt(version.group(1)) : Integer.MAX_VALUE;
        } catch (IOException e) {
            return Integer.MAX_VALUE;
        }
    }
}
