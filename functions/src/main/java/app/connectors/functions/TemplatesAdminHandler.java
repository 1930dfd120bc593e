package app.connectors.functions;

import app.connectors.log.LogContext;
import app.connectors.config.Components;
import app.connectors.config.Settings;
import app.connectors.json.Json;
import app.connectors.log.Log;
import app.connectors.problem.ApiException;
import app.connectors.template.TemplateService;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Invoked directly by the operator (IAM-protected, not routed) to define connector templates.
 * Input: {@code {"action": "put", "id", "type", "name", "description", "eventTypes": [...],
 * "transformation"}}, {@code {"action": "delete", "id"}} or {@code {"action": "list"}}.
 */
public final class TemplatesAdminHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private final TemplateService templates;

    public TemplatesAdminHandler() {
        this(System.getenv());
    }

    /** For the local stack: this function's environment as template.yaml wires it. */
    public TemplatesAdminHandler(Map<String, String> environment) {
        this(Components.from(Settings.from(environment)).templates());
    }

    TemplatesAdminHandler(TemplateService templates) {
        this.templates = templates;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        try (LogContext.Scope invocation = Invocation.begin(context)) {
            return handle(input, context);
        }
    }

    private Map<String, Object> handle(Map<String, Object> input, Context context) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> in = input == null ? Map.of() : input;
        try {
            String action = String.valueOf(in.getOrDefault("action", "put"));
            switch (action) {
                case "put" -> {
                    var saved = templates.put(text(in, "id"), text(in, "type"), text(in, "name"), text(in, "description"),
                            strings(in.get("eventTypes")), text(in, "transformation"));
                    Log.info("template.saved", "templateId", saved.id(), "type", saved.type());
                    out.put("ok", true);
                    out.put("template", plain(TemplatesHandler.view(saved)));
                }
                case "delete" -> {
                    templates.delete(text(in, "id"));
                    out.put("ok", true);
                }
                case "list" -> {
                    out.put("ok", true);
                    out.put("templates", templates.list().stream().map(t -> plain(TemplatesHandler.view(t))).toList());
                }
                default -> {
                    out.put("ok", false);
                    out.put("status", 400);
                    out.put("detail", "action must be put, delete or list");
                }
            }
        } catch (ApiException e) {
            out.put("ok", false);
            out.put("status", e.status());
            out.put("detail", e.getMessage());
            out.put("errors", e.errors().stream().map(err -> Map.of("field", err.field(), "message", err.message())).toList());
        }
        return out;
    }

    /**
     * Maps, lists and scalars: the Lambda runtime writes responses with its own JSON library, which
     * would serialise a Jackson tree node as a bean (or as the list of its values) and lose the keys.
     */
    private static Map<String, Object> plain(ObjectNode node) {
        return Json.MAPPER.convertValue(node, new TypeReference<>() {
        });
    }

    private static String text(Map<String, Object> in, String key) {
        Object value = in.get(key);
        return value == null ? null : value.toString();
    }

    private static List<String> strings(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return null;
    }
}
