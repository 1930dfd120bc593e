package app.connectors.local;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The mapper for Lambda events and results. Lambda's own serializer matches property names without
 * regard to case, which the event classes rely on ({@code Records} vs {@code records},
 * {@code eventSourceARN} vs {@code eventSourceArn}); this mapper does the same.
 *
 * <pre>{@code
 * SQSEvent event = LambdaJson.MAPPER.readValue(file, SQSEvent.class);
 * }</pre>
 */
public final class LambdaJson {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private LambdaJson() {
    }
}
