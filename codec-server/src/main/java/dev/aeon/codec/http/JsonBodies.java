package dev.aeon.codec.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aeon.codec.CodecException;

/** Management request bodies, read raw so that malformed JSON gets the codec's own error naming the position. */
final class JsonBodies {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private JsonBodies() {
    }

    /** @return null for an empty body */
    static <T> T read(String body, Class<T> type, String expected) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return MAPPER.readValue(body, type);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new CodecException(CodecException.Cause.INVALID_JSON, "request body is not " + expected + where
                    + ": " + e.getOriginalMessage());
        }
    }
}
