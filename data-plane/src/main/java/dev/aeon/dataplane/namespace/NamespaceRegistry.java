package dev.aeon.dataplane.namespace;

import com.google.protobuf.Duration;
import dev.aeon.dataplane.errors.ApiErrors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.runtime.StartupEvent;
import io.temporal.api.enums.v1.ArchivalState;
import io.temporal.api.enums.v1.NamespaceState;
import io.temporal.api.namespace.v1.NamespaceConfig;
import io.temporal.api.namespace.v1.NamespaceInfo;
import io.temporal.api.replication.v1.ClusterReplicationConfig;
import io.temporal.api.replication.v1.NamespaceReplicationConfig;
import io.temporal.api.workflowservice.v1.DescribeNamespaceResponse;
import io.temporal.api.workflowservice.v1.RegisterNamespaceRequest;
import io.temporal.api.workflowservice.v1.UpdateNamespaceRequest;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Namespaces as the data plane serves them: provisioned by the control plane (with their auth settings) or
 * registered over Temporal's API, read through a cache because every RPC resolves its namespace. The cache is
 * re-read every {@code aeon.data-plane.namespace.refresh-interval} (2 s), so changes made elsewhere apply within seconds.
 */
@ApplicationScoped
public class NamespaceRegistry {

    private static final Logger LOG = Logger.getLogger(NamespaceRegistry.class);

    static final String CLUSTER_NAME = "active";
    /** Temporal's CLI default when no retention is given. */
    static final Duration DEFAULT_RETENTION = Duration.newBuilder().setSeconds(72 * 3600).build();
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._-]{1,254}");
    /** Namespace data keys Aeon sets; tenants cannot. */
    static final String RESERVED_DATA_PREFIX = "aeon.";
    static final String ACCOUNT_DATA_KEY = "aeon.account";
    private static final int MAX_WRITE_ATTEMPTS = 10;

    private final NamespaceStore store;
    private final Map<String, Namespace> byName = new ConcurrentHashMap<>();
    private final Map<String, Namespace> byId = new ConcurrentHashMap<>();
    /**
     * Names found missing, by when (System.nanoTime): asked again within the refresh interval, they are NOT_FOUND
     * without a store read, so calls naming namespaces that do not exist (before authentication decides anything)
     * cost the store nothing. Bounded: past its size it starts over.
     */
    private final Map<String, Long> missing = new ConcurrentHashMap<>();
    private static final int MAX_MISSING = 10_000;

    private final java.time.Duration minimumRetention;
    private final java.time.Duration refreshInterval;
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "aeon-namespace-refresh");
        thread.setDaemon(true);
        return thread;
    });

    public NamespaceRegistry(NamespaceStore store,
                             @ConfigProperty(
                                     name = "aeon.namespace.minimum-retention", defaultValue = "1h")
                             java.time.Duration minimumRetention,
                             @ConfigProperty(
                                     name = "aeon.data-plane.namespace.refresh-interval", defaultValue = "2s")
                             java.time.Duration refreshInterval) {
        this.store = store;
        this.minimumRetention = minimumRetention;
        this.refreshInterval = refreshInterval;
    }

    @PostConstruct
    void startRefreshing() {
        long millis = refreshInterval.toMillis();
        refresher.scheduleWithFixedDelay(this::refresh, millis, millis, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stopRefreshing() {
        refresher.shutdownNow();
    }

    /**
     * Registers the namespaces named in {@code aeon.namespace.bootstrap} that do not exist yet, as Temporal's dev
     * server does with its {@code --namespace} flag: `./aeon dev` starts with a usable namespace.
     */
    void bootstrap(@Observes StartupEvent event,
                   @ConfigProperty(name = "aeon.namespace.bootstrap")
                   Optional<List<String>> names) {
        for (String name : names.orElse(List.of())) {
            if (store.byName(name).isEmpty()) {
                try {
                    register(RegisterNamespaceRequest.newBuilder().setNamespace(name)
                            .setDescription("registered at start-up (aeon.namespace.bootstrap)").build());
                } catch (StatusRuntimeException alreadyThere) {
                    // another node registered it first
                }
            }
        }
    }

    public DescribeNamespaceResponse register(RegisterNamespaceRequest request) {
        if (!NAME.matcher(request.getNamespace()).matches()) {
            throw ApiErrors.invalidArgument("namespace: name must be 2-255 characters of letters, digits, '.', '_' "
                    + "and '-', starting with a letter or digit");
        }
        Duration retention = request.hasWorkflowExecutionRetentionPeriod()
                ? request.getWorkflowExecutionRetentionPeriod() : DEFAULT_RETENTION;
        validateRetention(retention);
        return create(request, retention, null);
    }

    private DescribeNamespaceResponse create(RegisterNamespaceRequest request, Duration retention,
                                             NamespaceSettings settings) {
        DescribeNamespaceResponse namespace = DescribeNamespaceResponse.newBuilder()
                .setNamespaceInfo(NamespaceInfo.newBuilder()
                        .setName(request.getNamespace())
                        .setId(UUID.randomUUID().toString())
                        .setState(NamespaceState.NAMESPACE_STATE_REGISTERED)
                        .setDescription(request.getDescription())
                        .setOwnerEmail(request.getOwnerEmail())
                        .putAllData(request.getDataMap())
                        .setCapabilities(NamespaceInfo.Capabilities.newBuilder()
                                .setEagerWorkflowStart(false).setSyncUpdate(true).setAsyncUpdate(true))
                        .setSupportsSchedules(false))
                .setConfig(NamespaceConfig.newBuilder()
                        .setWorkflowExecutionRetentionTtl(retention)
                        .setHistoryArchivalState(ArchivalState.ARCHIVAL_STATE_DISABLED)
                        .setVisibilityArchivalState(ArchivalState.ARCHIVAL_STATE_DISABLED))
                .setReplicationConfig(NamespaceReplicationConfig.newBuilder()
                        .setActiveClusterName(CLUSTER_NAME)
                        .addClusters(ClusterReplicationConfig.newBuilder().setClusterName(CLUSTER_NAME)))
                .setIsGlobalNamespace(false)
                .build();
        Namespace created = new Namespace(namespace, settings);
        if (!store.create(created)) {
            throw ApiErrors.namespaceAlreadyExists();
        }
        remember(created);
        return namespace;
    }

    /**
     * A tenant's {@code UpdateNamespace}: description, owner email and data, and the retention of a namespace the
     * control plane does not manage. What the control plane owns (settings, the retention it provisioned, the
     * {@code aeon.*} data keys) is never written here.
     */
    public DescribeNamespaceResponse update(UpdateNamespaceRequest request) {
        if (request.hasUpdateInfo()) {
            request.getUpdateInfo().getDataMap().keySet().stream().filter(key -> key.startsWith(RESERVED_DATA_PREFIX))
                    .findFirst().ifPresent(key -> {
                        throw ApiErrors.invalidArgument("update_info.data: keys starting with '" + RESERVED_DATA_PREFIX
                                + "' are set by Aeon, was " + key);
                    });
        }
        boolean retention = request.hasConfig() && request.getConfig().hasWorkflowExecutionRetentionTtl();
        if (retention) {
            validateRetention(request.getConfig().getWorkflowExecutionRetentionTtl());
        }
        return change(request.getNamespace(), current -> {
            if (retention && current.provisioned()) {
                throw ApiErrors.invalidArgument("config.workflow_execution_retention_ttl: the retention of namespace "
                        + current.name() + " is managed by the control plane (Cloud Ops API UpdateNamespace, "
                        + "spec.retention_days)");
            }
            DescribeNamespaceResponse.Builder updated = current.description().toBuilder();
            if (request.hasUpdateInfo()) {
                var info = request.getUpdateInfo();
                var target = updated.getNamespaceInfoBuilder();
                if (!info.getDescription().isEmpty()) {
                    target.setDescription(info.getDescription());
                }
                if (!info.getOwnerEmail().isEmpty()) {
                    target.setOwnerEmail(info.getOwnerEmail());
                }
                target.putAllData(info.getDataMap());
            }
            if (retention) {
                updated.getConfigBuilder().setWorkflowExecutionRetentionTtl(request.getConfig().getWorkflowExecutionRetentionTtl());
            }
            return new Namespace(updated.build(), current.settings(), current.version());
        }).description();
    }

    /**
     * Creates or updates a namespace as the control plane provisioned it; idempotent. A namespace registered over
     * Temporal's API under the same name is taken over. Only the control plane's fields change: a tenant's
     * description and data stay.
     */
    public Namespace provision(String name, NamespaceSettings settings) {
        Duration retention = Duration.newBuilder().setSeconds(settings.retentionDays() * 86400L).build();
        validateRetention(retention);
        if (store.byName(name).isEmpty()) {
            try {
                create(RegisterNamespaceRequest.newBuilder().setNamespace(name)
                        .setDescription("provisioned by the control plane")
                        .putData(ACCOUNT_DATA_KEY, settings.accountId()).build(), retention, settings);
                return namespace(name);
            } catch (StatusRuntimeException raced) {
                // created concurrently: update it below
            }
        }
        return change(name, current -> {
            DescribeNamespaceResponse.Builder description = current.description().toBuilder();
            description.getConfigBuilder().setWorkflowExecutionRetentionTtl(retention);
            description.getNamespaceInfoBuilder().putData(ACCOUNT_DATA_KEY, settings.accountId());
            return new Namespace(description.build(), settings, current.version());
        });
    }

    /**
     * Sets the custom search attributes of a namespace registered over Temporal's API, kept in its own record as
     * Temporal's SQL visibility keeps them ({@code config.custom_search_attribute_aliases}, field name to name).
     * {@code change} sees the stored record and returns the new map; a namespace of the control plane is refused
     * (its search attributes are the control plane's, docs/internal-api.md).
     */
    public Namespace changeOwnSearchAttributes(String name, Function<Namespace, Map<String, String>> change) {
        return change(name, current -> {
            if (current.provisioned()) {
                throw Status.FAILED_PRECONDITION.withDescription("the search attributes of namespace " + name
                        + " are managed by the control plane").asRuntimeException();
            }
            Map<String, String> aliases = change.apply(current); // before the builder: it may share the map
            DescribeNamespaceResponse.Builder updated = current.description().toBuilder();
            updated.getConfigBuilder().clearCustomSearchAttributeAliases().putAllCustomSearchAttributeAliases(aliases);
            return new Namespace(updated.build(), null, current.version());
        });
    }

    /** The namespace as stored now, read past the cache (and cached). */
    public Namespace reload(String name) {
        Namespace current = store.byName(name).orElseThrow(() -> ApiErrors.namespaceNotFound(name));
        remember(current);
        return current;
    }

    /** Removes the namespace; false when it did not exist. Its name is free again at once. */
    public boolean remove(String name) {
        Optional<Namespace> existing = store.byName(name);
        boolean removed = store.delete(name);
        byName.remove(name);
        existing.ifPresent(ns -> byId.remove(ns.id()));
        return removed;
    }

    /**
     * Applies {@code change} to the stored record (never to a cached copy) and writes it only if nobody wrote it
     * meanwhile; otherwise reads again and re-applies. So a tenant's update and the control plane's provisioning,
     * on any nodes, never undo each other.
     */
    private Namespace change(String name, UnaryOperator<Namespace> change) {
        for (int attempt = 1; ; attempt++) {
            Namespace current = store.byName(name).orElseThrow(() -> ApiErrors.namespaceNotFound(name));
            Namespace changed = change.apply(current);
            if (store.update(changed)) {
                Namespace written = new Namespace(changed.description(), changed.settings(), current.version() + 1);
                remember(written);
                return written;
            }
            if (attempt == MAX_WRITE_ATTEMPTS) {
                throw Status.UNAVAILABLE.withDescription("namespace " + name + " is being changed "
                        + "concurrently; try again").asRuntimeException();
            }
        }
    }

    /** The namespace with this name, or NOT_FOUND. */
    public DescribeNamespaceResponse byName(String name) {
        return namespace(name).description();
    }

    public DescribeNamespaceResponse byId(String id) {
        return withId(id).description();
    }

    /** The namespace with this id and its provisioned settings, or NOT_FOUND. */
    public Namespace withId(String id) {
        Namespace cached = byId.get(id);
        if (cached != null) {
            return cached;
        }
        Namespace loaded = store.byId(id).orElseThrow(() -> ApiErrors.namespaceNotFound(id));
        remember(loaded);
        return loaded;
    }

    /** The namespace with this name and its provisioned settings, or NOT_FOUND. */
    public Namespace namespace(String name) {
        Namespace cached = byName.get(name);
        if (cached != null) {
            return cached;
        }
        Long missingSince = missing.get(name);
        if (missingSince != null && System.nanoTime() - missingSince < refreshInterval.toNanos()) {
            throw ApiErrors.namespaceNotFound(name);
        }
        Optional<Namespace> loaded = store.byName(name);
        if (loaded.isEmpty()) {
            if (missing.size() >= MAX_MISSING) {
                missing.clear();
            }
            missing.put(name, System.nanoTime());
            throw ApiErrors.namespaceNotFound(name);
        }
        remember(loaded.get());
        return loaded.get();
    }

    /** The namespace if it is cached here; never touches the store, so callers on an event loop may ask. */
    public Optional<Namespace> cached(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public List<DescribeNamespaceResponse> all() {
        return store.all().stream().map(Namespace::description).toList();
    }

    /**
     * Re-reads every cached namespace, so what another node or the control plane changed (auth settings above
     * all) applies here within one refresh interval.
     */
    void refresh() {
        for (String name : List.copyOf(byName.keySet())) {
            try {
                Optional<Namespace> current = store.byName(name);
                if (current.isPresent()) {
                    remember(current.get());
                } else {
                    Namespace gone = byName.remove(name);
                    if (gone != null) {
                        byId.remove(gone.id());
                    }
                }
            } catch (RuntimeException e) {
                LOG.warnf("could not refresh namespace %s (%s); keeping the cached copy", name, e.getMessage());
            }
        }
    }

    private void remember(Namespace namespace) {
        missing.remove(namespace.name());
        byName.put(namespace.name(), namespace);
        byId.put(namespace.id(), namespace);
    }

    private void validateRetention(Duration retention) {
        if (retention.getSeconds() < minimumRetention.toSeconds() || retention.getSeconds() > 3650L * 86400) {
            throw ApiErrors.invalidArgument("workflow_execution_retention_period: must be between "
                    + minimumRetention.toSeconds() + " s and 3650 days, was " + retention.getSeconds() + " s");
        }
    }
}
