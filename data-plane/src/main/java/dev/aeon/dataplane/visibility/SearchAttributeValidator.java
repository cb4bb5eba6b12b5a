package dev.aeon.dataplane.visibility;

import dev.aeon.dataplane.errors.ApiErrors;
import dev.aeon.dataplane.visibility.query.SearchAttributeCatalog;
import dev.aeon.dataplane.visibility.store.SearchAttributeCodec;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Search attributes a workflow sets (at start, on upsert, for a child or the next run) checked as Temporal's frontend
 * and history check them, rule for rule and message for message ({@code searchattribute.Validator}, with its
 * default limits): each name must be registered for the namespace (custom) or be a predefined attribute SDKs and the
 * server set (TemporalChangeVersion, BuildIds, ...), each value must fit the type ({@link SearchAttributeCodec}), and
 * the count and sizes stay within Temporal's defaults. Refusals are INVALID_ARGUMENT; a caller that answers for a
 * workflow task turns them into the task's failure cause.
 */
public final class SearchAttributeValidator {

    /** Temporal's frontend.searchAttributesNumberOfKeysLimit. */
    public static final int MAX_KEYS = 100;
    /** Temporal's frontend.searchAttributesSizeOfValueLimit: one value's payload data. */
    public static final int MAX_VALUE_BYTES = 2 * 1024;
    /** Temporal's frontend.searchAttributesTotalSizeLimit: the serialized map. */
    public static final int MAX_TOTAL_BYTES = 40 * 1024;

    /** The predefined attributes a workflow may set (Temporal's {@code predefinedWhiteList}); the rest are the server's. */
    private static final Set<String> SETTABLE_PREDEFINED = Set.of("TemporalChangeVersion", "BinaryChecksums",
            "BuildIds", "BatcherNamespace", "BatcherUser", "TemporalScheduledStartTime", "TemporalScheduledById",
            "TemporalSchedulePaused", SearchAttributeCatalog.NAMESPACE_DIVISION, "TemporalPauseInfo",
            "TemporalReportedProblems");

    private SearchAttributeValidator() {
    }

    /**
     * Throws INVALID_ARGUMENT with Temporal's message for the first rule {@code attributes} break, in Temporal's order:
     * unknown names (as its SQL visibility words them: no mapping for the namespace), the number of keys, system and
     * server-only names, values that do not fit their type. Sizes are {@link #validateSize}'s.
     */
    public static void validate(SearchAttributes attributes, String namespace, Map<String, IndexedValueType> custom) {
        Map<String, Payload> fields = new TreeMap<>(attributes.getIndexedFieldsMap());
        if (fields.isEmpty()) {
            return;
        }
        for (String name : fields.keySet()) {
            if (SearchAttributeCatalog.isMappable(name) && !custom.containsKey(name)) {
                throw ApiErrors.invalidArgument("Namespace " + namespace + " has no mapping defined for search "
                        + "attribute " + name);
            }
        }
        if (fields.size() > MAX_KEYS) {
            throw ApiErrors.invalidArgument("number of search attributes " + fields.size() + " exceeds limit "
                    + MAX_KEYS);
        }
        for (String name : fields.keySet()) {
            if (SearchAttributeCatalog.isSystem(name)
                    || !SearchAttributeCatalog.isMappable(name) && !SETTABLE_PREDEFINED.contains(name)) {
                throw ApiErrors.invalidArgument(name + " attribute can't be set in SearchAttributes");
            }
        }
        // Types: the codec reads every value as the store will index it, and refuses one that does not fit.
        SearchAttributeCodec.index(attributes, custom);
    }

    /** Temporal's size limits (its {@code ValidateSize}): each value's data, then the whole map. */
    public static void validateSize(SearchAttributes attributes) {
        new TreeMap<>(attributes.getIndexedFieldsMap()).forEach((name, payload) -> {
            if (payload.getData().size() > MAX_VALUE_BYTES) {
                throw ApiErrors.invalidArgument("search attribute " + name + " value size " + payload.getData().size()
                        + " exceeds size limit " + MAX_VALUE_BYTES);
            }
        });
        if (attributes.getSerializedSize() > MAX_TOTAL_BYTES) {
            throw ApiErrors.invalidArgument("total size of search attributes " + attributes.getSerializedSize()
                    + " exceeds size limit " + MAX_TOTAL_BYTES);
        }
    }
}
