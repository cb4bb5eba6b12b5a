package dev.aeon.dataplane.namespace;

import dev.aeon.dataplane.visibility.query.CustomSearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.workflowservice.v1.DescribeNamespaceResponse;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A namespace of this cell: Temporal's description of it, and the control plane's settings when it was provisioned
 * by the control plane ({@code settings} is null for one registered over {@code RegisterNamespace}).
 *
 * @param version               the stored record's version this copy was read at: every write is a compare-and-set
 *                              on it, so a change made from an old copy (another node's cache) fails instead of
 *                              undoing a newer one
 * @param customSearchAttributes derived from the description and settings (whatever is passed): the registry hands
 *                              out one Namespace per version, so every transition, listing and describe reads
 *                              them without deriving them again
 */
public record Namespace(DescribeNamespaceResponse description, NamespaceSettings settings, long version,
                        CustomSearchAttributes customSearchAttributes) {

    public Namespace {
        customSearchAttributes = customSearchAttributes(description, settings);
    }

    public Namespace(DescribeNamespaceResponse description, NamespaceSettings settings, long version) {
        this(description, settings, version, null);
    }

    /** A namespace not stored yet. */
    public Namespace(DescribeNamespaceResponse description, NamespaceSettings settings) {
        this(description, settings, 0);
    }

    public String name() {
        return description.getNamespaceInfo().getName();
    }

    public String id() {
        return description.getNamespaceInfo().getId();
    }

    public boolean provisioned() {
        return settings != null;
    }

    /**
     * Whether this namespace's workflows may start, signal or cancel workflows in {@code target}. Their own namespace
     * always; another only if both are the same account's and both opted in ({@code allowCrossNamespaceCommands}).
     * Namespaces without an account (registered over Temporal's API) reach no other. Nexus is the way across accounts.
     */
    public boolean mayCommand(Namespace target) {
        if (id().equals(target.id())) {
            return true;
        }
        return provisioned() && target.provisioned()
                && settings.accountId().equals(target.settings().accountId())
                && settings.allowCrossNamespaceCommands() && target.settings().allowCrossNamespaceCommands();
    }

    /**
     * The custom search attributes registered for this namespace, by name, typed as Temporal's API types them.
     */
    public Map<String, IndexedValueType> searchAttributeTypes() {
        return customSearchAttributes().types();
    }

    /**
     * How {@link #customSearchAttributes()} is derived: the custom search attributes registered for this namespace,
     * with the fields their values are stored under.
     * One source each: the control plane's settings for a namespace it provisioned (Temporal's type names:
     * "Keyword", "KeywordList", ..., and the fields the control plane assigned; a record provisioned before fields
     * existed gets them by {@link CustomSearchAttributes#assign}'s rule, as the control plane does); for one
     * registered over {@code RegisterNamespace}, the namespace's own {@code config.custom_search_attribute_aliases},
     * field to name as Temporal's SQL visibility keeps them (the field is the type and a number: "Keyword01").
     */
    private static CustomSearchAttributes customSearchAttributes(DescribeNamespaceResponse description,
                                                                 NamespaceSettings settings) {
        Map<String, IndexedValueType> types = new LinkedHashMap<>();
        if (settings != null) {
            settings.searchAttributes().forEach((name, typeName) -> types.put(name, indexedValueType(typeName)));
            return CustomSearchAttributes.assign(types, settings.searchAttributeFields())
                    .withFormerNames(settings.formerSearchAttributeNames());
        }
        Map<String, String> fields = new LinkedHashMap<>();
        new java.util.TreeMap<>(description.getConfig().getCustomSearchAttributeAliasesMap()).forEach((field, name) -> {
            types.put(name, indexedValueType(field.replaceAll("[0-9]+$", "")));
            fields.put(name, field);
        });
        return new CustomSearchAttributes(fields, types);
    }

    private static IndexedValueType indexedValueType(String typeName) {
        // "KeywordList" -> INDEXED_VALUE_TYPE_KEYWORD_LIST
        String snake = typeName.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
        return IndexedValueType.valueOf("INDEXED_VALUE_TYPE_" + snake);
    }
}
