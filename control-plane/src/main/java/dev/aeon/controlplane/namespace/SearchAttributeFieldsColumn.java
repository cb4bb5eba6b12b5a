package dev.aeon.controlplane.namespace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aeon.common.searchattribute.SearchAttributeFields;
import dev.aeon.controlplane.provisioning.NamespaceProvisioning;
import dev.aeon.controlplane.store.NamespaceRow;
import io.temporal.api.cloud.namespace.v1.NamespaceSpec;

import java.util.Map;
import java.util.TreeMap;

/**
 * The fields of a namespace's custom search attributes ({@link NamespaceRow#searchAttributeFields}): the Cloud Ops
 * spec has names and types only, while the data plane stores values by field so that a rename, which moves a name
 * to another, keeps them. Assigned here, once, by {@link SearchAttributeFields}'s rule; rows older than fields get
 * theirs by the same rule on read, as the data plane does for its own records, so both agree.
 */
final class SearchAttributeFieldsColumn {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SearchAttributeFieldsColumn() {
    }

    /** Name to field for every custom attribute of {@code spec}, the row's spec or the one replacing it. */
    static Map<String, String> of(NamespaceRow row, NamespaceSpec spec) {
        return SearchAttributeFields.assign(typeNames(spec), stored(row));
    }

    /**
     * Stores the fields of {@code next}, the spec replacing {@code current}: the current attributes keep theirs,
     * {@code renamedFrom} (null for no rename) hands its field to {@code renamedTo}, new attributes get free ones.
     */
    static void update(NamespaceRow row, NamespaceSpec current, NamespaceSpec next, String renamedFrom,
                       String renamedTo) {
        Map<String, String> fields = new TreeMap<>(of(row, current));
        Map<String, String> former = new TreeMap<>(formerNames(row));
        if (renamedFrom != null) {
            String field = fields.remove(renamedFrom);
            fields.put(renamedTo, field);
            former.put(renamedFrom, field);
        }
        // A name in use again is that attribute's, not a former one's.
        former.keySet().removeAll(next.getSearchAttributesMap().keySet());
        row.searchAttributeFields = json(SearchAttributeFields.assign(typeNames(next), fields));
        row.searchAttributeFormerNames = former.isEmpty() ? null : json(former);
    }

    /** Names the attributes had before a rename, old name to field. */
    static Map<String, String> formerNames(NamespaceRow row) {
        return read(row.searchAttributeFormerNames, row);
    }

    /** For a new row. */
    static void assign(NamespaceRow row, NamespaceSpec spec) {
        row.searchAttributeFields = json(of(row, spec));
    }

    private static Map<String, String> typeNames(NamespaceSpec spec) {
        Map<String, String> typeNames = new TreeMap<>();
        spec.getSearchAttributesMap().forEach((name, type) ->
                typeNames.put(name, NamespaceProvisioning.temporalTypeName(type)));
        return typeNames;
    }

    private static Map<String, String> stored(NamespaceRow row) {
        return read(row.searchAttributeFields, row);
    }

    private static Map<String, String> read(String json, NamespaceRow row) {
        if (json == null) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<TreeMap<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored search attribute fields of " + row.id + " are unreadable", e);
        }
    }

    private static String json(Map<String, String> fields) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(fields));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
