package app.connectors.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiTokenTest {

    @Test
    void generatedTokensStartWithThePrefixAndCarry256RandomBits() {
        String token = ApiToken.generate();

        // 32 random bytes are 43 characters of unpadded base64url
        assertThat(token).startsWith("cnk_").hasSize(4 + 43).matches("cnk_[A-Za-z0-9_-]{43}");
    }

    @Test
    void generatedTokensAreUnique() {
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            tokens.add(ApiToken.generate());
        }

        assertThat(tokens).hasSize(1000);
    }

    @Test
    void hashIsTheSha256HexOfTheTokenText() {
        // Expected value computed independently in a shell: printf %s 'cnk_test' | sha256sum
        assertThat(ApiToken.hash("cnk_test")).isEqualTo("bef01014262a787fe9a6eecc6e8b6d37c037ab1a9b517bc182d21105d69f51f0");
    }

    @Test
    void tokenIdsHaveTheirPrefixAndDiffer() {
        assertThat(ApiToken.newId()).matches("tok_[0-9a-f]{18}").isNotEqualTo(ApiToken.newId());
    }

    @Test
    void displayPrefixShowsThePrefixAndSixCharacters() {
        assertThat(ApiToken.displayPrefix("cnk_abcdefghijk")).isEqualTo("cnk_abcdef");
        assertThat(ApiToken.displayPrefix("cnk_ab")).isEqualTo("cnk_ab");
    }
}
