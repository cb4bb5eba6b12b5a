package dev.aeon.common.searchattribute;

import java.util.Map;
import java.util.TreeMap;

/**
 * The rule that gives a namespace's custom search attributes their fields: the field their values are stored under
 * in runs and in visibility ({@code Keyword01}, as Temporal's SQL visibility names them), which a rename keeps. The
 * control plane assigns fields with it and the data plane reads records older than fields with it, so both agree
 * without either storing anything for those records.
 */
public final class SearchAttributeFields {

    private SearchAttributeFields() {
    }

    /**
     * Fields for {@code typeNames} (attribute name to Temporal type name: "Keyword", "KeywordList", ...): the one
     * {@code assigned} gives where it gives one, else, for names in sorted order, the lowest free number of the type.
     * Fields of names no longer in {@code typeNames} are free.
     */
    public static Map<String, String> assign(Map<String, String> typeNames, Map<String, String> assigned) {
        Map<String, String> fields = new TreeMap<>();
        typeNames.keySet().forEach(name -> {
            String field = assigned.get(name);
            if (field != null) {
                fields.put(name, field);
            }
        });
        for (Map.Entry<String, String> attribute : new TreeMap<>(typeNames).entrySet()) {
            if (!fields.containsKey(attribute.getKey())) {
                int number = 1;
                while (fields.containsValue(field(attribute.getValue(), number))) {
                    number++;
                }
                fields.put(attribute.getKey(), field(attribute.getValue(), number));
            }
        }
        return fields;
    }

    private static String field(String typeName, int number) {
        return String.format("%s%02d", typeName, number);
    }
}
