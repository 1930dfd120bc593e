package app.connectors.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the start banner suggests, from each registered command's hints. */
class BannerHintsTest {

    private static final URI GATEWAY = URI.create("http://localhost:3001");

    @Test
    void aFreshStackSuggestsCreatingAUserThenTheApiThenPublishing() {
        List<LocalCommand.BannerHint> hints = hints(new StackSummary(" --data /tmp/d", GATEWAY, Set.of("EventsQueue"), List.of()));

        assertThat(hints).extracting(LocalCommand.BannerHint::text).first().asString().startsWith("Create a user");
        assertThat(hints).extracting(LocalCommand.BannerHint::command)
                .anyMatch(command -> command.equals("bin/local invoke AccountsFunction --event events/accounts-create-user.json --data /tmp/d"))
                .anyMatch(command -> command.startsWith("curl -s http://localhost:3001/api/v1/connectors/types"))
                .anyMatch(command -> command.startsWith("bin/local publish "))
                .noneMatch(command -> command.startsWith("bin/local token"));
    }

    @Test
    void aStackWithUsersFromAnEarlierRunOffersANewTokenNotANewUser() {
        List<LocalCommand.BannerHint> hints = hints(new StackSummary("", GATEWAY, Set.of("EventsQueue"), List.of("user-42")));

        assertThat(hints).extracting(LocalCommand.BannerHint::text).noneMatch(text -> text.startsWith("Create a user"));
        assertThat(hints).extracting(LocalCommand.BannerHint::command).contains("bin/local token user-42");
    }

    @Test
    void everySuggestedLocalCommandIsABinLocalCommandThatExists() {
        for (List<String> users : List.of(List.<String>of(), List.of("user-42"))) {
            for (LocalCommand.BannerHint hint : hints(new StackSummary("", GATEWAY, Set.of("EventsQueue"), users))) {
                if (!hint.command().startsWith("curl")) {
                    assertThat(hint.command()).startsWith("bin/local ").doesNotContain("java -jar");
                    String name = hint.command().split(" ")[1];
                    assertThat(LocalMain.command(name)).as(hint.command()).isPresent();
                }
            }
        }
    }

    private static List<LocalCommand.BannerHint> hints(StackSummary summary) {
        return StartCommand.hintsFor(summary);
    }
}
