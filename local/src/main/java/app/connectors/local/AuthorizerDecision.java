package app.connectors.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a Lambda authorizer returned, read the way API Gateway reads it: a principal, an IAM policy
 * and a context map of scalar values. Any result shape works ({@code IamPolicyResponse}, a Map, a
 * POJO) because it is read as JSON, with property names matched without regard to case.
 */
record AuthorizerDecision(String principalId, Map<String, Object> context, List<Statement> statements) {

    /** One policy statement; {@code actions} and {@code resources} may hold {@code *} and {@code ?} wildcards. */
    record Statement(boolean allow, List<String> actions, List<String> resources) {
    }

    /** The authorizer answered something API Gateway cannot use (it answers 500 AUTHORIZER_CONFIGURATION_ERROR). */
    static final class MalformedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) {
            super(message);
        }
    }

    static AuthorizerDecision from(Object result) {
        if (result == null) {
            throw new MalformedException("the authorizer returned null");
        }
        JsonNode root = LambdaJson.MAPPER.valueToTree(result);
        JsonNode principal = child(root, "principalId");
        JsonNode document = child(root, "policyDocument");
        if (principal == null || principal.isNull() || document == null || !document.isObject()) {
            throw new MalformedException("the authorizer's answer lacks principalId or policyDocument: " + root);
        }
        List<Statement> statements = new ArrayList<>();
        JsonNode statementNode = child(document, "Statement");
        for (JsonNode statement : statementNode == null ? List.<JsonNode>of() : statementNode.isArray() ? statementNode : List.of(statementNode)) {
            JsonNode effect = child(statement, "Effect");
            statements.add(new Statement(effect != null && "Allow".equalsIgnoreCase(effect.asText()),
                    texts(child(statement, "Action")), texts(child(statement, "Resource"))));
        }
        Map<String, Object> context = new LinkedHashMap<>();
        JsonNode contextNode = child(root, "context");
        if (contextNode != null && contextNode.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = contextNode.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!field.getValue().isValueNode()) {
                    // API Gateway only passes strings, numbers and booleans; nested values fail the request.
                    throw new MalformedException("authorizer context value " + field.getKey() + " is not a scalar");
                }
                if (!field.getValue().isNull()) {
                    context.put(field.getKey(), field.getValue().asText());
                }
            }
        }
        return new AuthorizerDecision(principal.asText(), Map.copyOf(context), List.copyOf(statements));
    }

    /** IAM evaluation for one method ARN: an explicit Deny wins, then any Allow, else deny. */
    boolean allows(String methodArn) {
        boolean allowed = false;
        for (Statement statement : statements) {
            boolean applies = statement.actions().stream().anyMatch(action -> matches(action, "execute-api:Invoke"))
                    && statement.resources().stream().anyMatch(resource -> matches(resource, methodArn));
            if (applies && !statement.allow()) {
                return false;
            }
            allowed |= applies;
        }
        return allowed;
    }

    /** The map a proxy handler sees as requestContext.authorizer: the context plus principalId. */
    Map<String, Object> requestContextAuthorizer() {
        Map<String, Object> authorizer = new LinkedHashMap<>(context);
        authorizer.put("principalId", principalId);
        return authorizer;
    }

    private static boolean matches(String pattern, String value) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE).matcher(value).matches();
    }

    private static List<String> texts(JsonNode node) {
        List<String> texts = new ArrayList<>();
        if (node == null || node.isNull()) {
            return texts;
        }
        if (node.isArray()) {
            node.forEach(item -> texts.add(item.asText()));
        } else {
            texts.add(node.asText());
        }
        return texts;
    }

    private static JsonNode child(JsonNode node, String name) {
        if (node == null || !node.isObject()) {
            return null;
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String candidate = names.next();
            if (candidate.equalsIgnoreCase(name)) {
                return node.get(candidate);
            }
        }
        return null;
    }
}
