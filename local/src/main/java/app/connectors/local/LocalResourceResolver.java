package app.connectors.local;

import app.connectors.local.TemplateModel.Intrinsic;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves template intrinsics to what they mean on the local stack: a table's {@code !Ref} is its
 * name (the logical id, after the stack's name prefix), a queue's {@code !Ref} its URL on the SQS in
 * use and its {@code .Arn} that server's ARN, a KMS key's {@code !Ref} the id of the key created for
 * it on an external KMS or, with the embedded emulators, {@value LocalEnvironment#LOCAL_KMS_KEY}.
 * {@code Fn::If} takes the branch its condition picks, the conditions judged with the parameters'
 * defaults (as a deployment without overrides would). Anything the local stack cannot honour becomes a visible placeholder ({@code local-unresolved:…})
 * instead of a silent null.
 */
final class LocalResourceResolver implements TemplateModel.Resolver {

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");

    private final TemplateModel template;
    private final Map<String, EmbeddedSqs.QueueAddress> queues;
    private final String tablePrefix;
    private final Map<String, String> keyIds;

    /** For the embedded emulators: tables named by their logical ids, the local key file instead of KMS. */
    LocalResourceResolver(TemplateModel template, Map<String, EmbeddedSqs.QueueAddress> queues) {
        this(template, queues, "", Map.of());
    }

    /**
     * @param tablePrefix what precedes each table's logical id in its name
     * @param keyIds      the KMS key id created for each {@code AWS::KMS::Key}; a key not in it resolves
     *                    to {@value LocalEnvironment#LOCAL_KMS_KEY} (the local key file)
     */
    LocalResourceResolver(TemplateModel template, Map<String, EmbeddedSqs.QueueAddress> queues, String tablePrefix,
                          Map<String, String> keyIds) {
        this.template = template;
        this.queues = queues;
        this.tablePrefix = tablePrefix;
        this.keyIds = Map.copyOf(keyIds);
    }

    @Override
    public String resolve(Intrinsic intrinsic) {
        return switch (intrinsic.function()) {
            case "Ref" -> ref(String.valueOf(intrinsic.argument()));
            case "Fn::GetAtt" -> getAtt(intrinsic.getAttTarget().get(0), intrinsic.getAttTarget().get(1));
            case "Fn::Sub" -> sub(intrinsic.argument());
            case "Fn::Join" -> join(intrinsic.argument());
            case "Fn::If" -> ifThenElse(intrinsic.argument());
            default -> placeholder(intrinsic.function(), String.valueOf(intrinsic.argument()));
        };
    }

    private String ref(String name) {
        switch (name) {
            case "AWS::Region":
                return LocalEnvironment.REGION;
            case "AWS::AccountId":
                return LocalEnvironment.ACCOUNT_ID;
            case "AWS::Partition":
                return "aws";
            case "AWS::URLSuffix":
                return "amazonaws.com";
            case "AWS::StackName":
                return "connectors-local";
            default:
                break;
        }
        if (template.parameterDefault(name).isPresent()) {
            return template.parameterDefault(name).get();
        }
        String type = template.resourceType(name).orElse("");
        return switch (type) {
            case "AWS::DynamoDB::Table" -> tablePrefix + name;
            case "AWS::SQS::Queue" -> queue(name).url();
            case "AWS::KMS::Key" -> keyIds.getOrDefault(name, LocalEnvironment.LOCAL_KMS_KEY);
            case "AWS::SNS::Topic" -> topicArn(name);
            // Locally a function's name is its logical id (what the invoke command takes).
            case "AWS::Serverless::Function" -> name;
            default -> placeholder("Ref", name);
        };
    }

    private String getAtt(String logicalId, String attribute) {
        String type = template.resourceType(logicalId).orElse("");
        return switch (type + "." + attribute) {
            case "AWS::SQS::Queue.Arn" -> queue(logicalId).arn();
            case "AWS::SQS::Queue.QueueName" -> queue(logicalId).name();
            case "AWS::SQS::Queue.QueueUrl" -> queue(logicalId).url();
            case "AWS::DynamoDB::Table.Arn" -> "arn:aws:dynamodb:" + LocalEnvironment.REGION + ":"
                    + LocalEnvironment.ACCOUNT_ID + ":table/" + tablePrefix + logicalId;
            case "AWS::KMS::Key.Arn" -> keyIds.containsKey(logicalId)
                    ? "arn:aws:kms:" + LocalEnvironment.REGION + ":" + LocalEnvironment.ACCOUNT_ID + ":key/" + keyIds.get(logicalId)
                    : placeholder("GetAtt", logicalId + "." + attribute);
            case "AWS::Serverless::Function.Arn" -> "arn:aws:lambda:" + LocalEnvironment.REGION + ":"
                    + LocalEnvironment.ACCOUNT_ID + ":function:" + logicalId;
            default -> placeholder("GetAtt", logicalId + "." + attribute);
        };
    }

    /** A topic's ARN as the functions see it; the local stack publishes to the queue standing in for it. */
    private String topicArn(String logicalId) {
        return "arn:aws:sns:" + LocalEnvironment.REGION + ":" + LocalEnvironment.ACCOUNT_ID + ":" + queue(logicalId).name();
    }

    /** {@code topicArn=queueUrl} of every topic's stand-in queue, comma-separated (LOCAL_SNS_STAND_INS); "" without topics. */
    String snsStandIns() {
        StringBuilder pairs = new StringBuilder();
        for (String topic : template.resourcesOfType("AWS::SNS::Topic")) {
            if (queues.containsKey(topic)) {
                pairs.append(pairs.isEmpty() ? "" : ",").append(topicArn(topic)).append('=').append(queue(topic).url());
            }
        }
        return pairs.toString();
    }

    private EmbeddedSqs.QueueAddress queue(String logicalId) {
        EmbeddedSqs.QueueAddress address = queues.get(logicalId);
        if (address == null) {
            throw new IllegalStateException("queue " + logicalId + " is in the template but was not created on the stack's SQS");
        }
        return address;
    }

    private String sub(Object argument) {
        String text;
        Map<?, ?> variables = Map.of();
        if (argument instanceof List<?> list && list.size() == 2) {
            text = String.valueOf(list.get(0));
            variables = list.get(1) instanceof Map<?, ?> map ? map : Map.of();
        } else {
            text = String.valueOf(argument);
        }
        Matcher matcher = SUB_VARIABLE.matcher(text);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String variable = matcher.group(1);
            String value;
            if (variables.containsKey(variable)) {
                Object given = variables.get(variable);
                value = given instanceof Intrinsic intrinsic ? resolve(intrinsic) : String.valueOf(given);
            } else if (variable.contains(".")) {
                int dot = variable.indexOf('.');
                value = getAtt(variable.substring(0, dot), variable.substring(dot + 1));
            } else {
                value = ref(variable);
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(result);
        // "${!Literal}" is CloudFormation's escape for a literal "${Literal}".
        return result.toString().replace("${!", "${");
    }

    private String join(Object argument) {
        if (!(argument instanceof List<?> list) || list.size() != 2 || !(list.get(1) instanceof List<?> parts)) {
            return placeholder("Join", String.valueOf(argument));
        }
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                joined.append(list.get(0));
            }
            Object part = parts.get(i);
            joined.append(part instanceof Intrinsic intrinsic ? resolve(intrinsic) : String.valueOf(part));
        }
        return joined.toString();
    }

    private String ifThenElse(Object argument) {
        if (!(argument instanceof List<?> list) || list.size() != 3) {
            return placeholder("If", String.valueOf(argument));
        }
        Optional<Boolean> holds = condition(String.valueOf(list.get(0)), new HashSet<>());
        if (holds.isEmpty()) {
            return placeholder("If", String.valueOf(argument));
        }
        return value(list.get(holds.get() ? 1 : 2));
    }

    /** A named condition's truth, or empty when it rests on something the local stack cannot judge. */
    private Optional<Boolean> condition(String name, Set<String> judging) {
        if (!judging.add(name)) {
            return Optional.empty();
        }
        Optional<Boolean> holds = template.condition(name).flatMap(definition -> judge(definition, judging));
        judging.remove(name);
        return holds;
    }

    private Optional<Boolean> judge(Object definition, Set<String> judging) {
        if (definition instanceof Map<?, ?> map && map.size() == 1 && map.containsKey("Condition")) {
            return condition(String.valueOf(map.get("Condition")), judging);
        }
        if (!(definition instanceof Intrinsic intrinsic) || !(intrinsic.argument() instanceof List<?> operands)) {
            return definition instanceof Intrinsic named && named.function().equals("Condition")
                    ? condition(String.valueOf(named.argument()), judging)
                    : Optional.empty();
        }
        switch (intrinsic.function()) {
            case "Fn::Equals" -> {
                if (operands.size() != 2) {
                    return Optional.empty();
                }
                String left = value(operands.get(0));
                String right = value(operands.get(1));
                return isPlaceholder(left) || isPlaceholder(right) ? Optional.empty() : Optional.of(left.equals(right));
            }
            case "Fn::Not" -> {
                return operands.size() == 1 ? judge(operands.get(0), judging).map(holds -> !holds) : Optional.empty();
            }
            case "Fn::And", "Fn::Or" -> {
                boolean all = intrinsic.function().equals("Fn::And");
                for (Object operand : operands) {
                    Optional<Boolean> holds = judge(operand, judging);
                    if (holds.isEmpty()) {
                        return Optional.empty();
                    }
                    if (holds.get() != all) {
                        return Optional.of(!all);
                    }
                }
                return Optional.of(all);
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    private String value(Object value) {
        return value instanceof Intrinsic intrinsic ? resolve(intrinsic) : String.valueOf(value);
    }

    private static boolean isPlaceholder(String value) {
        return value.startsWith("local-unresolved:");
    }

    private static String placeholder(String function, String argument) {
        return "local-unresolved:" + function.replace("Fn::", "") + ":" + argument;
    }
}
