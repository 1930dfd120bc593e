package app.connectors.local;

import app.connectors.local.TemplateModel.Intrinsic;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves template intrinsics to what they mean on the local stack: a table's {@code !Ref} is its
 * name (the logical id), a queue's {@code !Ref} its URL on ElasticMQ and its {@code .Arn} ElasticMQ's
 * ARN, a KMS key's {@code !Ref} is {@value LocalEnvironment#LOCAL_KMS_KEY}. Anything the local stack
 * cannot honour becomes a visible placeholder ({@code local-unresolved:…}) instead of a silent null.
 */
final class LocalResourceResolver implements TemplateModel.Resolver {

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");

    private final TemplateModel template;
    private final Map<String, EmbeddedSqs.QueueAddress> queues;

    LocalResourceResolver(TemplateModel template, Map<String, EmbeddedSqs.QueueAddress> queues) {
        this.template = template;
        this.queues = queues;
    }

    @Override
    public String resolve(Intrinsic intrinsic) {
        return switch (intrinsic.function()) {
            case "Ref" -> ref(String.valueOf(intrinsic.argument()));
            case "Fn::GetAtt" -> getAtt(intrinsic.getAttTarget().get(0), intrinsic.getAttTarget().get(1));
            case "Fn::Sub" -> sub(intrinsic.argument());
            case "Fn::Join" -> join(intrinsic.argument());
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
            case "AWS::DynamoDB::Table" -> name;
            case "AWS::SQS::Queue" -> queue(name).url();
            case "AWS::KMS::Key" -> LocalEnvironment.LOCAL_KMS_KEY;
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
                    + LocalEnvironment.ACCOUNT_ID + ":table/" + logicalId;
            case "AWS::Serverless::Function.Arn" -> "arn:aws:lambda:" + LocalEnvironment.REGION + ":"
                    + LocalEnvironment.ACCOUNT_ID + ":function:" + logicalId;
            default -> placeholder("GetAtt", logicalId + "." + attribute);
        };
    }

    private EmbeddedSqs.QueueAddress queue(String logicalId) {
        EmbeddedSqs.QueueAddress address = queues.get(logicalId);
        if (address == null) {
            throw new IllegalStateException("queue " + logicalId + " is in the template but not on the local ElasticMQ");
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

    private static String placeholder(String function, String argument) {
        return "local-unresolved:" + function.replace("Fn::", "") + ":" + argument;
    }
}
