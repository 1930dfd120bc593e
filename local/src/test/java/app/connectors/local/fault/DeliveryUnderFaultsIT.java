package app.connectors.local.fault;

import app.connectors.it.backend.EmbeddedOnly;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault run's CI form ({@link FaultRun.Options#ci}): the local stack killed with SIGKILL five
 * times at random moments while events are published to connectors whose destinations are slow,
 * failing, hanging, flapping and rate-limiting. Tagged {@code faults}: run it with
 * {@code mvn -B verify -pl local -am -Pfaults -Dit.test=DeliveryUnderFaultsIT -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false};
 * {@code -Dfaults.seed=S} replays a seed.
 */
@EmbeddedOnly("runs the local stack as a child process with its own emulators")
@Tag("faults")
class DeliveryUnderFaultsIT {

    @Test
    void noPairIsLostAndEveryDuplicateWasInFlightAtAKill(@TempDir Path work) throws Exception {
        long seed = Long.getLong("faults.seed", new Random().nextLong());
        // The stack runs from the shaded jar this build made (the package phase comes before integration tests).
        FaultRun.Options options = FaultRun.Options.ci(seed).withTemplate(Path.of("../template.yaml")).withWorkFolder(work)
                .withStackClasspath(Path.of("target/connectors-local.jar").toAbsolutePath().toString());

        FaultRun.Report report = new FaultRun(options, System.out).run();

        assertThat(report.kills()).as("kills").hasSizeGreaterThanOrEqualTo(5);
        assertThat(report.incomplete()).as(report.summary()).isFalse();
        assertThat(report.lost()).as(report.summary()).isZero();
        assertThat(report.unexplainedDuplicates()).as(report.summary()).isZero();
        assertThat(report.webhookIdChanges()).as(report.summary()).isZero();
    }
}
