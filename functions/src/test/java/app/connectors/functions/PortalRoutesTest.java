package app.connectors.functions;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.functions.portal.PortalApi;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The portal's API is the API: every /api/v1 route of template.yaml is in the portal's table, or excluded with a reason. */
class PortalRoutesTest {

    @Test
    void thePortalExposesEveryApiRouteOfTheTemplateButTheExcludedOnes() {
        // GIVEN the API routes of template.yaml, with the function that serves each
        Set<String> template = TemplateRoutesTest.routes().stream()
                .filter(route -> route.path().startsWith("/api/v1/"))
                .filter(route -> !PortalApi.EXCLUDED.containsKey(route.path()))
                .map(route -> route.method() + " " + route.path() + " " + route.function())
                .collect(Collectors.toCollection(TreeSet::new));

        // WHEN the portal's table is read the same way
        Set<String> portal = PortalApi.ROUTES.stream()
                .map(route -> route.method() + " " + route.resource() + " " + route.function())
                .collect(Collectors.toCollection(TreeSet::new));

        // THEN they are the same routes, served by the same functions (add a new API route to PortalApi.ROUTES
        // or, with the reason, to PortalApi.EXCLUDED)
        assertThat(portal).isEqualTo(template);
    }

    @Test
    void everyExclusionNamesARouteOfTheTemplate() {
        Set<String> paths = TemplateRoutesTest.routes().stream().map(TemplateRoutesTest.Route::path).collect(Collectors.toSet());

        assertThat(paths).containsAll(PortalApi.EXCLUDED.keySet());
    }

    @Test
    void thePortalFunctionIsConfiguredForEveryHandlerItRunsInProcess() {
        // GIVEN the environment of the portal's function and of each function whose handler it runs
        Map<String, Map<String, Object>> functions = TemplateRoutesTest.functions();
        Set<String> portal = variables(functions.get("PortalFunction"));

        // THEN each of those handlers finds in the portal's function every variable it has in its own
        // (a missing one fails only when a portal page reaches it, e.g. the delivery log's events table)
        for (String function : PortalApi.ROUTES.stream().map(PortalApi.Route::function).collect(Collectors.toCollection(TreeSet::new))) {
            Set<String> missing = new TreeSet<>(variables(functions.get(function)));
            missing.removeAll(portal);
            assertThat(missing).as("variables of %s that PortalFunction lacks in template.yaml", function).isEmpty();
        }
    }

    @SuppressWarnings("unchecked")
    private static Set<String> variables(Map<String, Object> function) {
        Object environment = function.get("Environment");
        if (environment == null) {
            return Set.of();
        }
        return ((Map<String, Object>) ((Map<String, Object>) environment).get("Variables")).keySet();
    }
}
