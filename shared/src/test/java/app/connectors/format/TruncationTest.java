package app.connectors.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TruncationTest {

    @Test
    void leavesTextWithinTheLimitAlone() {
        assertThat(Truncation.fit("abc", 3)).isEqualTo("abc");
    }

    @Test
    void endsCutTextWithAnEllipsisWithinTheLimit() {
        assertThat(Truncation.fit("abcdef", 4)).isEqualTo("abc…");
    }

    @Test
    void neverSplitsASurrogatePair() {
        // GIVEN emoji (two UTF-16 units each) WHEN cut at an odd length
        String cut = Truncation.fit("😀😀😀", 4);

        // THEN no lone high surrogate is left before the ellipsis
        assertThat(cut).isEqualTo("😀…");
    }
}
