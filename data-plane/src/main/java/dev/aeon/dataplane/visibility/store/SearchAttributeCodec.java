package dev.aeon.dataplane.visibility.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aeon.dataplane.errors.ApiErrors;
import dev.aeon.dataplane.visibility.query.QueryValues;
import dev.aeon.dataplane.visibility.query.SearchAttributeCatalog;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * Reads search attribute payloads (json/plain, as SDKs send them) into the JSON values a store indexes, checked
 * against the attribute's registered type: Keyword and Text as strings, Int and Double as numbers, Bool, Datetime
 * as a UTC RFC 3339 string with microseconds, KeywordList always as an array.
 */
public final class SearchAttributeCodec {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSX")
            .withZone(java.time.ZoneOffset.UTC);

    private SearchAttributeCodec() {
    }

    /** The indexed values by attribute name; an attribute without a value (null or []) is left out. */
    public static ObjectNode index(SearchAttributes attributes, Map<String, IndexedValueType> customAttributes) {
        ObjectNode indexed = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, Payload> entry : attributes.getIndexedFieldsMap().entrySet()) {
            String name = entry.getKey();
            IndexedValueType type = typeOf(name, customAttributes);
            JsonNode value = decode(name, entry.getValue());
            if (value.isNull() || value.isArray() && value.isEmpty()) {
                // How SDKs unset an attribute (Temporal treats null and [] as "no value").
                continue;
            }
            indexed.set(name, typed(name, type, value));
        }
        return indexed;
    }

    private static IndexedValueType typeOf(String name, Map<String, IndexedValueType> customAttributes) {
        if (SearchAttributeCatalog.isSystem(name)) {
            throw ApiErrors.invalidArgument("search attribute " + name + " is reserved by system");
        }
        IndexedValueType type = SearchAttributeCatalog.isMappable(name) ? customAttributes.get(name)
                : SearchAttributeCatalog.predefined().get(name);
        if (type == null) {
            throw ApiErrors.invalidArgument("search attribute " + name + " is not defined");
        }
        return type;
    }

    private static JsonNode decode(String name, Payload payload) {
        try {
            return payload.getData().isEmpty() ? JsonNodeFactory.instance.nullNode()
                    : JSON.readTree(payload.getData().toByteArray());
        } catch (IOException e) {
            throw ApiErrors.invalidArgument("search attribute " + name + " is not valid JSON");
        }
    }

    private static JsonNode typed(String name, IndexedValueType type, JsonNode value) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        switch (type) {
            case INDEXED_VALUE_TYPE_KEYWORD, INDEXED_VALUE_TYPE_TEXT -> {
                if (value.isTextual()) {
                    return value;
                }
            }
            case INDEXED_VALUE_TYPE_INT -> {
                if (value.canConvertToExactIntegral() && value.canConvertToLong()) {
                    return nodes.numberNode(value.asLong());
                }
            }
            case INDEXED_VALUE_TYPE_DOUBLE -> {
                if (value.isNumber()) {
                    return nodes.numberNode(value.asDouble());
                }
            }
            case INDEXED_VALUE_TYPE_BOOL -> {
                if (value.isBoolean()) {
                    return value;
                }
            }
            case INDEXED_VALUE_TYPE_DATETIME -> {
                if (value.isTextual()) {
                    var instant = QueryValues.parseDatetime(value.asText());
                    if (instant.isPresent()) {
                        return nodes.textNode(formatDatetime(instant.get()));
                    }
                }
            }
            case INDEXED_VALUE_TYPE_KEYWORD_LIST -> {
                if (value.isTextual()) {
                    return nodes.arrayNode().add(value);
                }
                if (value.isArray()) {
                    ArrayNode list = nodes.arrayNode();
                    boolean allStrings = true;
                    for (JsonNode item : value) {
                        allStrings &= item.isTextual();
                        list.add(item);
                    }
                    if (allStrings) {
                        return list;
                    }
                }
            }
            default -> {
            }
        }
        // Temporal prints the decoded value as Go's %v does: a string without quotes.
        throw ApiErrors.invalidArgument("invalid value for search attribute " + name + " of type "
                + QueryValues.typeName(type) + ": " + (value.isTextual() ? value.asText() : value.toString()));
    }

    /** Microseconds, as PostgreSQL keeps timestamps. */
    static String formatDatetime(Instant instant) {
        return DATETIME.format(instant.truncatedTo(ChronoUnit.MICROS));
    }
}
