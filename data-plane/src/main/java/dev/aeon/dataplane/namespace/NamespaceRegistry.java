package dev.aeon.dataplane.namespace;

import com.google.protobuf.Duration;
import dev.aeon.dataplane.frontend.ApiErrors;
import dev.aeon.dataplane.persistence.NamespaceStore;
import io.temporal.api.enums.v1.ArchivalState;
import io.temporal.api.enums.v1.NamespaceState;
import io.temporal.api.namespace.v1.NamespaceConfig;
import io.temporal.api.namespace.v1.NamespaceInfo;
import io.temporal.api.replication.v1.ClusterReplicationConfig;
import io.temporal.api.replication.v1.NamespaceReplicationConfig;
import io.temporal.api.workflowservice.v1.DescribeNamespaceResponse;
import io.temporal.api.workflowservice.v1.RegisterNamespaceRequest;
import io.temporal.api.workflowservice.v1.UpdateNamespaceRequest;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Namespaces as the data plane serves them: registered here directly (until the control plane provisions them),
 * read through a cache because every RPC resolves its namespace.
 */
@ApplicationScoped
public class NamespaceRegistry {

    static final String CLUSTER_NAME = "active";
    /** Temporal's CLI default when no retention is given. */
    static final Duration DEFAULT_RETENTION = Duration.newBuilder().setSeconds(72 * 3600).build();
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._-]{1,254}");

    private final NamespaceStore store;
    private final Map<String, DescribeNamespaceResponse> byName = new ConcurrentHashMap<>();
    private final Map<String, DescribeNamespaceResponse> byId = new ConcurrentHashMap<>();

    private final java.time.Duration minimumRetention;

    public NamespaceRegistry(NamespaceStore store,
                             @org.eclipse.microprofile.config.inject.ConfigProperty(
                                     name = "aeon.namespace.minimum-retention", defaultValue = "1h")
                             java.time.Duration minimumRetention) {
        this.store = store;
        this.minimumRetention = minimumRetention;
    }

    /**
     * Registers the namespaces named in {@code aeon.namespace.bootstrap} that do not exist yet, as Temporal's dev
     * server does with its {@code --namespace} flag: `./aeon dev` starts with a usable namespace.
     */
    void bootstrap(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event,
                   @org.eclipse.microprofile.config.inject.ConfigProperty(name = "aeon.namespace.bootstrap")
                   java.util.Optional<List<String>> names) {
        for (String name : names.orElse(List.of())) {
            if (store.byName(name).isEmpty()) {
                try {
                    register(RegisterNamespaceRequest.newBuilder().setNamespace(name)
                            .setDescription("registered at start-up (aeon.namespace.bootstrap)").build());
                } catch (io.grpc.StatusRuntimeException alreadyThere) {
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
        if (!store.create(namespace)) {
            throw ApiErrors.namespaceAlreadyExists();
        }
        remember(namespace);
        return namespace;
    }

    public DescribeNamespaceResponse update(UpdateNamespaceRequest request) {
        DescribeNamespaceResponse current = byName(request.getNamespace());
        DescribeNamespaceResponse.Builder updated = current.toBuilder();
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
        if (request.hasConfig() && request.getConfig().hasWorkflowExecutionRetentionTtl()) {
            validateRetention(request.getConfig().getWorkflowExecutionRetentionTtl());
            updated.getConfigBuilder().setWorkflowExecutionRetentionTtl(request.getConfig().getWorkflowExecutionRetentionTtl());
        }
        DescribeNamespaceResponse result = updated.build();
        if (!store.update(result)) {
            throw ApiErrors.namespaceNotFound(request.getNamespace());
        }
        remember(result);
        return result;
    }

    /** The namespace with this name, or NOT_FOUND. */
    public DescribeNamespaceResponse byName(String name) {
        DescribeNamespaceResponse cached = byName.get(name);
        if (cached != null) {
            return cached;
        }
        DescribeNamespaceResponse loaded = store.byName(name).orElseThrow(() -> ApiErrors.namespaceNotFound(name));
        remember(loaded);
        return loaded;
    }

    public DescribeNamespaceResponse byId(String id) {
        DescribeNamespaceResponse cached = byId.get(id);
        if (cached != null) {
            return cached;
        }
        DescribeNamespaceResponse loaded = store.byId(id).orElseThrow(() -> ApiErrors.namespaceNotFound(id));
        remember(loaded);
        return loaded;
    }

    public List<DescribeNamespaceResponse> all() {
        return store.all();
    }

    private void remember(DescribeNamespaceResponse namespace) {
        byName.put(namespace.getNamespaceInfo().getName(), namespace);
        byId.put(namespace.getNamespaceInfo().getId(), namespace);
    }

    private void validateRetention(Duration retention) {
        if (retention.getSeconds() < minimumRetention.toSeconds() || retention.getSeconds() > 3650L * 86400) {
            throw ApiErrors.invalidArgument("workflow_execution_retention_period: must be between "
                    + minimumRetention.toSeconds() + " s and 3650 days, was " + retention.getSeconds() + " s");
        }
    }
}
