package dev.aeon.dataplane.namespace;

import dev.aeon.auth.Principal;
import dev.aeon.dataplane.errors.ApiErrors;
import dev.aeon.dataplane.visibility.query.QueryValues;
import dev.aeon.dataplane.visibility.query.SearchAttributeCatalog;
import io.grpc.Status;
import io.temporal.api.enums.v1.IndexedValueType;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A namespace's custom search attributes, as Temporal's OperatorService adds, removes and lists them, with Temporal's
 * checks and words. One source of truth each: a namespace of the control plane has them in its spec there (added
 * through the control plane, seen here once provisioned back); one registered over {@code RegisterNamespace} keeps
 * them in its own record. Blocking calls: run them off the event loop.
 */
@ApplicationScoped
public class NamespaceSearchAttributes {

    /** Temporal Cloud's limit on custom search attributes per namespace (the control plane enforces it too). */
    public static final int MAX_CUSTOM = 100;
    /** The control plane's rule for names (Cloud Ops API {@code search_attributes}), applied to every namespace. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    private static final long POLL_MILLIS = 100;

    private final NamespaceRegistry namespaces;
    private final ControlPlaneNamespaces controlPlane;
    private final Duration applyTimeout;

    public NamespaceSearchAttributes(NamespaceRegistry namespaces, ControlPlaneNamespaces controlPlane,
                                     @ConfigProperty(name = "aeon.data-plane.search-attributes.apply-timeout",
                                             defaultValue = "20s") Duration applyTimeout) {
        this.namespaces = namespaces;
        this.controlPlane = controlPlane;
        this.applyTimeout = applyTimeout;
    }

    /** System and predefined attributes, as Temporal lists them beside the custom ones. */
    public static Map<String, IndexedValueType> system() {
        Map<String, IndexedValueType> all = new LinkedHashMap<>(SearchAttributeCatalog.system());
        all.putAll(SearchAttributeCatalog.predefined());
        return all;
    }

    public Map<String, IndexedValueType> custom(String namespace) {
        return namespaces.namespace(namespace).searchAttributeTypes();
    }

    /**
     * Adds search attributes; one already there with the same type is no change (as in Temporal), with another type
     * INVALID_ARGUMENT. Completes once the namespace here has them: at once for a namespace of this data plane, once
     * the control plane's change has been provisioned back for one of the control plane (bounded by
     * {@code aeon.data-plane.search-attributes.apply-timeout}, then DEADLINE_EXCEEDED naming its operation).
     */
    public CompletableFuture<Void> add(String name, Map<String, IndexedValueType> requested, Principal caller,
                                       Executor executor) {
        if (requested.isEmpty()) {
            throw ApiErrors.invalidArgument("SearchAttributes are not set on request.");
        }
        requested.forEach((attribute, type) -> {
            if (SearchAttributeCatalog.isReserved(attribute)) {
                throw ApiErrors.invalidArgument("Search attribute " + attribute + " is reserved by system.");
            }
            if (type == IndexedValueType.INDEXED_VALUE_TYPE_UNSPECIFIED || type == IndexedValueType.UNRECOGNIZED) {
                throw ApiErrors.invalidArgument("Unknown search attribute type: " + (type
                        == IndexedValueType.UNRECOGNIZED ? "unrecognized" : "Unspecified") + ".");
            }
            if (!NAME.matcher(attribute).matches()) {
                throw ApiErrors.invalidArgument("Search attribute name " + attribute + " is invalid: it must be a "
                        + "letter then up to 63 letters, digits or underscores.");
            }
        });
        Namespace namespace = namespaces.namespace(name);
        Map<String, IndexedValueType> missing = missing(namespace.searchAttributeTypes(), requested);
        if (missing.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        if (!namespace.provisioned()) {
            namespaces.changeOwnSearchAttributes(name, current -> withAdded(current, requested));
            return CompletableFuture.completedFuture(null);
        }
        Map<String, String> typeNames = new TreeMap<>();
        missing.forEach((attribute, type) -> typeNames.put(attribute, QueryValues.typeName(type)));
        Optional<String> operation = controlPlane.addSearchAttributes(name, typeNames, caller);
        long deadline = System.nanoTime() + applyTimeout.toNanos();
        return awaitApplied(name, requested, operation.orElse("none"), deadline, executor);
    }

    /**
     * Removes custom search attributes of a namespace of this data plane; names it does not have are skipped, system
     * ones refused, as Temporal does. The control plane's namespaces keep theirs (Temporal Cloud's rule: they can
     * be renamed with the Cloud Ops API, not removed).
     */
    public void remove(String name, List<String> requested) {
        if (requested.isEmpty()) {
            throw ApiErrors.invalidArgument("SearchAttributes are not set on request.");
        }
        Namespace namespace = namespaces.namespace(name);
        Map<String, IndexedValueType> current = namespace.searchAttributeTypes();
        List<String> removed = new ArrayList<>();
        for (String attribute : requested) {
            if (current.containsKey(attribute)) {
                removed.add(attribute);
            } else if (!SearchAttributeCatalog.isMappable(attribute)) {
                throw ApiErrors.invalidArgument("Unable to remove non-custom search attributes: " + attribute + ".");
            }
        }
        if (removed.isEmpty()) {
            return;
        }
        if (namespace.provisioned()) {
            throw Status.FAILED_PRECONDITION.withDescription("Unable to remove search attributes " + removed
                    + ": namespace " + name + " is managed by the control plane, where custom search attributes "
                    + "can be renamed (Cloud Ops API RenameCustomSearchAttribute) but not removed, as in Temporal "
                    + "Cloud.").asRuntimeException();
        }
        namespaces.changeOwnSearchAttributes(name, stored -> {
            Map<String, String> aliases = new TreeMap<>(stored.description().getConfig()
                    .getCustomSearchAttributeAliasesMap());
            aliases.values().removeAll(removed);
            return aliases;
        });
    }

    private static Map<String, IndexedValueType> missing(Map<String, IndexedValueType> current,
                                                         Map<String, IndexedValueType> requested) {
        Map<String, IndexedValueType> missing = new TreeMap<>();
        requested.forEach((attribute, type) -> {
            IndexedValueType existing = current.get(attribute);
            if (existing == null) {
                missing.put(attribute, type);
            } else if (existing != type) {
                throw ApiErrors.invalidArgument("Search attribute " + attribute + " already exists with type "
                        + QueryValues.typeName(existing) + ".");
            }
        });
        if (current.size() + missing.size() > MAX_CUSTOM) {
            throw ApiErrors.invalidArgument("Unable to create search attributes: cannot have more than " + MAX_CUSTOM
                    + " custom search attributes in a namespace (it has " + current.size() + ").");
        }
        return missing;
    }

    /** The stored namespace's aliases with the new attributes, each under the next free field of its type. */
    private static Map<String, String> withAdded(Namespace stored, Map<String, IndexedValueType> requested) {
        Map<String, IndexedValueType> missing = missing(stored.searchAttributeTypes(), requested);
        Map<String, String> aliases = new TreeMap<>(stored.description().getConfig()
                .getCustomSearchAttributeAliasesMap());
        missing.forEach((attribute, type) -> {
            String prefix = QueryValues.typeName(type);
            int number = 1;
            while (aliases.containsKey(String.format("%s%02d", prefix, number))) {
                number++;
            }
            aliases.put(String.format("%s%02d", prefix, number), attribute);
        });
        return aliases;
    }

    private CompletableFuture<Void> awaitApplied(String name, Map<String, IndexedValueType> requested,
                                                 String operation, long deadline, Executor executor) {
        return CompletableFuture.supplyAsync(() -> namespaces.reload(name), executor).thenCompose(namespace -> {
            Map<String, IndexedValueType> current = namespace.searchAttributeTypes();
            if (requested.entrySet().stream().allMatch(e -> e.getValue() == current.get(e.getKey()))) {
                return CompletableFuture.completedFuture(null);
            }
            if (System.nanoTime() - deadline > 0) {
                throw ApiErrors.deadlineExceeded("Search attributes " + new TreeSet<>(requested.keySet())
                        + " were accepted by the control plane (operation " + operation + ") but are not applied to "
                        + "namespace " + name + " yet; they will be once the operation is fulfilled.");
            }
            return CompletableFuture.runAsync(() -> { },
                            CompletableFuture.delayedExecutor(POLL_MILLIS, TimeUnit.MILLISECONDS, executor))
                    .thenCompose(ignored -> awaitApplied(name, requested, operation, deadline, executor));
        });
    }
}
