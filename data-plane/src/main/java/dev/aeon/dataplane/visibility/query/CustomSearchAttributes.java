package dev.aeon.dataplane.visibility.query;

import dev.aeon.common.searchattribute.SearchAttributeFields;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A namespace's custom search attributes: each has a user-facing name (Temporal's alias) and a stable field
 * ({@code Keyword01}, as Temporal's SQL visibility names them). Runs' mutable state and the visibility store keep
 * values by field, so a rename, which only gives a field another name, carries every value runs hold with it.
 * Names are translated to fields where values come in (starts, upserts, continue-as-new, children) and back where
 * they go out (describe, list and scan, queries).
 *
 * @param fields      name to field
 * @param types       name to type
 * @param formerNames names attributes had before a rename, to their fields: values resting under such a name (in
 *                    history events, which keep the names of their time) still find their field
 */
public record CustomSearchAttributes(Map<String, String> fields, Map<String, IndexedValueType> types,
                                     Map<String, String> formerNames) {

    private static final CustomSearchAttributes NONE = new CustomSearchAttributes(Map.of(), Map.of());

    public CustomSearchAttributes {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        types = Collections.unmodifiableMap(new LinkedHashMap<>(types));
        formerNames = Collections.unmodifiableMap(new LinkedHashMap<>(formerNames));
        if (!fields.keySet().equals(types.keySet())) {
            throw new IllegalArgumentException("every custom search attribute needs a field and a type: "
                    + fields.keySet() + " vs " + types.keySet());
        }
    }

    public CustomSearchAttributes(Map<String, String> fields, Map<String, IndexedValueType> types) {
        this(fields, types, Map.of());
    }

    /** These attributes, with the names they had before renames. */
    public CustomSearchAttributes withFormerNames(Map<String, String> formerNames) {
        return new CustomSearchAttributes(fields, types, formerNames);
    }

    public static CustomSearchAttributes none() {
        return NONE;
    }

    /** Attributes stored under their own names (no separate fields): stores' tests, and nothing else. */
    public static CustomSearchAttributes byName(Map<String, IndexedValueType> types) {
        Map<String, String> fields = new LinkedHashMap<>();
        types.keySet().forEach(name -> fields.put(name, name));
        return new CustomSearchAttributes(fields, types);
    }

    /**
     * Fields for the attributes {@code typesByName} lists: {@code assigned} where it has one, else, for names in
     * sorted order, the lowest free number of the type ({@code Keyword01}, {@code Keyword02}, ...). Deterministic,
     * so records written before fields existed get the same fields on every read, on every node, and the control
     * plane (which assigns them by the same rule) agrees.
     */
    public static CustomSearchAttributes assign(Map<String, IndexedValueType> typesByName,
                                                Map<String, String> assigned) {
        Map<String, String> typeNames = new TreeMap<>();
        typesByName.forEach((name, type) -> typeNames.put(name, QueryValues.typeName(type)));
        return new CustomSearchAttributes(SearchAttributeFields.assign(typeNames, assigned), typesByName);
    }

    /** Field to type: how the store indexes a record's values and types them when it lists them. */
    public Map<String, IndexedValueType> fieldTypes() {
        Map<String, IndexedValueType> byField = new LinkedHashMap<>();
        fields.forEach((name, field) -> byField.put(field, types.get(name)));
        return byField;
    }

    /** The field a name is stored under; null for a name that is not a custom attribute of the namespace. */
    public String field(String name) {
        return fields.get(name);
    }

    /**
     * Values as they rest: custom attributes under their fields, found by their name or, for names from before a
     * rename, their former name (clients' values are checked against current names before they get here). Names
     * that are no custom attribute (predefined ones: TemporalChangeVersion, BuildIds) and keys that are fields
     * already stay as they are, so this also reads values stored by name before fields existed.
     */
    public SearchAttributes toFields(SearchAttributes byName) {
        if (byName == null) {
            return null;
        }
        SearchAttributes.Builder byField = SearchAttributes.newBuilder();
        byName.getIndexedFieldsMap().forEach((key, value) ->
                byField.putIndexedFields(fields.getOrDefault(key, formerNames.getOrDefault(key, key)), value));
        return byField.build();
    }

    /** Values as users see them: custom attributes under their current names. */
    public SearchAttributes toNames(SearchAttributes stored) {
        if (stored == null) {
            return null;
        }
        Map<String, String> names = new LinkedHashMap<>();
        fields.forEach((name, field) -> names.put(field, name));
        SearchAttributes.Builder byName = SearchAttributes.newBuilder();
        stored.getIndexedFieldsMap().forEach((key, value) ->
                byName.putIndexedFields(names.getOrDefault(key, key), value));
        return byName.build();
    }
}
