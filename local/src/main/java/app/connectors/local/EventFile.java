package app.connectors.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the event files the commands take, with messages that say what is wrong with the path. */
final class EventFile {

    private EventFile() {
    }

    /** The file's text; a usage error that names the missing file and where it was looked for. */
    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UsageException("No such file: " + file + " (looked in " + Path.of("").toAbsolutePath()
                    + "; the sample events are in events/)");
        } catch (IOException e) {
            throw new UsageException("Cannot read " + file + ": " + e);
        }
    }
}
