package dev.aeon.dataplane.nexus;

import dev.aeon.auth.NamespaceNames;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The Nexus endpoint registry of this cell. The control plane is the source of truth and provisions every change
 * here; every node keeps all endpoints in memory and re-reads them every
 * {@code aeon.data-plane.nexus.refresh-interval} (2 s), so a change made through any node applies on every node
 * within that interval, and lookups on the request path never touch Cassandra.
 */
@ApplicationScoped
public class NexusEndpoints {

    private static final Logger LOG = Logger.getLogger(NexusEndpoints.class);
    /** The control plane's rule for endpoint names (Temporal Cloud's). */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_-]{0,199}");
    private static final Pattern ID = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    /** Temporal's limit on ids and names, a task queue's included. */
    private static final int MAX_TASK_QUEUE = 1000;
    private static final int MAX_WRITE_ATTEMPTS = 10;

    private final NexusEndpointStore store;
    private final Duration refreshInterval;
    private volatile Map<String, NexusEndpoint> byId = Map.of();
    /** Changes made here; a refresh that saw one happen while it read drops what it read (it may predate it). */
    private final java.util.concurrent.atomic.AtomicLong changes = new java.util.concurrent.atomic.AtomicLong();
    private final Object writeLock = new Object();
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "aeon-nexus-endpoint-refresh");
        thread.setDaemon(true);
        return thread;
    });

    public NexusEndpoints(NexusEndpointStore store,
                          @ConfigProperty(name = "aeon.data-plane.nexus.refresh-interval", defaultValue = "2s")
                          Duration refreshInterval) {
        this.store = store;
        this.refreshInterval = refreshInterval;
    }

    @PostConstruct
    void startRefreshing() {
        long millis = refreshInterval.toMillis();
        refresher.scheduleWithFixedDelay(this::refresh, 0, millis, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stopRefreshing() {
        refresher.shutdownNow();
    }

    /** The endpoint with this id, from memory. */
    public Optional<NexusEndpoint> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The account's endpoint with this name (names are unique within an account), from memory. */
    public Optional<NexusEndpoint> byName(String accountId, String name) {
        return byId.values().stream()
                .filter(e -> e.spec().accountId().equals(accountId) && e.spec().name().equals(name)).findFirst();
    }

    /** Every endpoint, ordered by id (the order lists page in). */
    public List<NexusEndpoint> all() {
        return byId.values().stream().sorted(Comparator.comparing(NexusEndpoint::id)).toList();
    }

    /**
     * Creates or replaces the endpoint as the control plane provisioned it; idempotent (the same spec again changes
     * nothing, not even the version).
     *
     * @throws IllegalArgumentException the spec breaks a rule; the message names the field and the rule
     * @throws IllegalStateException    another endpoint of the account has the name
     */
    public NexusEndpoint provision(String id, NexusEndpointSpec spec) {
        String invalid = invalid(id, spec);
        if (invalid != null) {
            throw new IllegalArgumentException(invalid);
        }
        synchronized (writeLock) {
            for (int attempt = 1; ; attempt++) {
                Optional<NexusEndpoint> current = store.byId(id);
                if (current.isPresent() && current.get().spec().equals(spec)) {
                    remember(current.get());
                    return current.get();
                }
                store.all().stream().filter(other -> !other.id().equals(id)
                                && other.spec().accountId().equals(spec.accountId())
                                && other.spec().name().equals(spec.name()))
                        .findFirst().ifPresent(other -> {
                            throw new IllegalStateException("name: endpoint " + other.id() + " of account "
                                    + spec.accountId() + " is already named " + spec.name());
                        });
                Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS); // what Cassandra's timestamp keeps
                long version = current.map(NexusEndpoint::version).orElse(0L);
                NexusEndpoint next = new NexusEndpoint(id, version + 1, spec,
                        current.map(NexusEndpoint::createdTime).orElse(now), now);
                if (store.put(next, version)) {
                    remember(next);
                    return next;
                }
                if (attempt == MAX_WRITE_ATTEMPTS) {
                    throw new IllegalStateException("endpoint " + id + " is being changed concurrently; try again");
                }
            }
        }
    }

    /** Removes the endpoint; false when it did not exist. Gone on this node at once, elsewhere within the interval. */
    public boolean remove(String id) {
        boolean removed = store.delete(id);
        forget(id);
        return removed;
    }

    /**
     * Completes with the endpoint (empty: gone) once {@code done} holds for what this node has of it, checked every
     * 50 ms, or with the last look after {@code timeout}: how a change made through the control plane is awaited.
     */
    public java.util.concurrent.CompletableFuture<Optional<NexusEndpoint>> await(
            String id, java.util.function.Predicate<Optional<NexusEndpoint>> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        java.util.concurrent.CompletableFuture<Optional<NexusEndpoint>> result =
                new java.util.concurrent.CompletableFuture<>();
        Runnable[] look = new Runnable[1];
        look[0] = () -> {
            Optional<NexusEndpoint> now = byId(id);
            if (done.test(now) || System.nanoTime() - deadline >= 0) {
                result.complete(now);
            } else {
                refresher.schedule(look[0], 50, TimeUnit.MILLISECONDS);
            }
        };
        look[0].run();
        return result;
    }

    /** Re-reads every endpoint, so what another node applied shows here within one refresh interval. */
    void refresh() {
        try {
            long before = changes.get();
            Map<String, NexusEndpoint> fresh = new ConcurrentHashMap<>();
            store.all().forEach(endpoint -> fresh.put(endpoint.id(), endpoint));
            synchronized (this) {
                if (changes.get() == before) {
                    byId = Map.copyOf(fresh);
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("could not refresh Nexus endpoints (%s); keeping the cached ones", e.getMessage());
        }
    }

    private synchronized void remember(NexusEndpoint endpoint) {
        changes.incrementAndGet();
        Map<String, NexusEndpoint> next = new ConcurrentHashMap<>(byId);
        next.put(endpoint.id(), endpoint);
        byId = Map.copyOf(next);
    }

    private synchronized void forget(String id) {
        changes.incrementAndGet();
        Map<String, NexusEndpoint> next = new ConcurrentHashMap<>(byId);
        next.remove(id);
        byId = Map.copyOf(next);
    }

    /** What a provisioned spec must hold; the control plane checked the rest (the namespaces exist). */
    private static String invalid(String id, NexusEndpointSpec spec) {
        if (!ID.matcher(id).matches()) {
            return "id: must be 1-64 letters, digits, '-' or '_', was " + id;
        }
        if (spec == null) {
            return "body: the endpoint spec is required";
        }
        String invalidAccount = NamespaceNames.invalidAccountId(spec.accountId());
        if (invalidAccount != null) {
            return "accountId: " + invalidAccount;
        }
        if (spec.name() == null || !NAME.matcher(spec.name()).matches()) {
            return "name: must be 1-200 letters, digits, hyphens or underscores, starting with a letter or "
                    + "underscore; was " + spec.name();
        }
        if (spec.targetNamespace() == null || !NamespaceNames.belongsTo(spec.targetNamespace(), spec.accountId())) {
            return "targetNamespace: must be a namespace of account " + spec.accountId() + " (<name>."
                    + spec.accountId() + "), was " + spec.targetNamespace();
        }
        if (spec.targetTaskQueue() == null || spec.targetTaskQueue().isBlank()
                || spec.targetTaskQueue().length() > MAX_TASK_QUEUE) {
            return "targetTaskQueue: is required, at most " + MAX_TASK_QUEUE + " characters";
        }
        for (int i = 0; i < spec.allowedCallerNamespaces().size(); i++) {
            String caller = spec.allowedCallerNamespaces().get(i);
            if (caller == null || !NamespaceNames.belongsTo(caller, spec.accountId())) {
                return "allowedCallerNamespaces[" + i + "]: must be a namespace of account " + spec.accountId()
                        + " (callers of another account are never allowed), was " + caller;
            }
        }
        if (spec.description() != null && !spec.description().isEmpty()) {
            try {
                io.temporal.api.common.v1.Payload.parseFrom(java.util.Base64.getDecoder().decode(spec.description()));
            } catch (com.google.protobuf.InvalidProtocolBufferException | IllegalArgumentException e) {
                return "description: must be a serialized temporal.api.common.v1.Payload in base64";
            }
        }
        return null;
    }
}
