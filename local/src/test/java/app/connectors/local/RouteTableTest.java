package app.connectors.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private final RouteTable routes = new RouteTable(List.of(
            new TemplateModel.Route("GET", "/api/v1/connectors/{uuid}", "Connectors", "A"),
            new TemplateModel.Route("DELETE", "/api/v1/connectors/{uuid}", "Connectors", "A"),
            new TemplateModel.Route("GET", "/api/v1/connectors/types", "Catalog", "A"),
            new TemplateModel.Route("GET", "/api/v1/connectors", "Connectors", "A"),
            new TemplateModel.Route("ANY", "/files/{proxy+}", "Files", null)));

    @Test
    void literalSegmentBeatsAPathParameter() {
        RouteTable.Match match = routes.match("GET", "/api/v1/connectors/types");

        assertThat(match).isInstanceOf(RouteTable.Found.class);
        assertThat(((RouteTable.Found) match).route().functionLogicalId()).isEqualTo("Catalog");
    }

    @Test
    void bindsPathParametersDecoded() {
        RouteTable.Match match = routes.match("GET", "/api/v1/connectors/a%20b");

        assertThat(((RouteTable.Found) match).pathParameters()).isEqualTo(Map.of("uuid", "a b"));
    }

    @Test
    void anEncodedSlashStaysInsideItsSegmentAndIsDecodedOnce() {
        RouteTable.Match slash = routes.match("GET", "/api/v1/connectors/a%2Fb");
        RouteTable.Match twice = routes.match("GET", "/api/v1/connectors/a%252Fb");

        assertThat(((RouteTable.Found) slash).pathParameters()).isEqualTo(Map.of("uuid", "a/b"));
        assertThat(((RouteTable.Found) twice).pathParameters()).isEqualTo(Map.of("uuid", "a%2Fb"));
    }

    @Test
    void aKnownPathWithAnotherMethodIsMethodNotAllowedWithoutFallingBackToAParameterRoute() {
        // DELETE exists on {uuid} but "types" is the more specific resource: API Gateway does not fall back.
        RouteTable.Match match = routes.match("DELETE", "/api/v1/connectors/types");

        assertThat(match).isEqualTo(new RouteTable.MethodNotAllowed("/api/v1/connectors/types", List.of("GET")));
    }

    @Test
    void unknownPathIsNotFound() {
        assertThat(routes.match("GET", "/api/v1/nothing")).isInstanceOf(RouteTable.NotFound.class);
        assertThat(routes.match("GET", "/api/v1/connectors/x/y")).isInstanceOf(RouteTable.NotFound.class);
    }

    @Test
    void greedyParameterTakesTheRestOfThePathForAnyMethod() {
        RouteTable.Match match = routes.match("PUT", "/files/a/b/c.txt");

        assertThat(((RouteTable.Found) match).pathParameters()).isEqualTo(Map.of("proxy", "a/b/c.txt"));
    }
}
