package dev.aeon.codec.cors;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PostConstruct;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The CORS policies in force: the configured defaults ({@code aeon.codec.cors.*}, the console's origin unless
 * configured otherwise), which apply to every namespace, plus each namespace's own origins. Reads never block —
 * CORS is decided on the event loop, before a request is even matched — so they serve an in-memory snapshot,
 * refreshed in the background once older than {@code aeon.codec.cache-ttl} and at once after a change made here.
 */
@ApplicationScoped
public class CorsPolicies {

    private static final Logger LOG = Logger.getLogger(CorsPolicies.class);

    @Inject
    CorsSettingsRepository repository;

    @ConfigProperty(name = "aeon.codec.cors.allowed-origins")
    String defaultOrigins;

    @ConfigProperty(name = "aeon.codec.cors.allow-credentials", defaultValue = "false")
    boolean defaultCredentials;

    @ConfigProperty(name = "aeon.codec.cache-ttl", defaultValue = "30s")
    Duration cacheTtl;

    private CorsPolicy defaults;
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(new Snapshot(Map.of(), 0));
    private final AtomicBoolean refreshing = new AtomicBoolean();

    private record Snapshot(Map<String, CorsPolicy> byNamespace, long loadedAt) {
    }

    /** Runs when the bean is created (by the container, once, on whichever thread first needs it): never blocks. */
    @PostConstruct
    void readDefaults() {
        defaults = CorsPolicy.of(CorsPolicy.split(defaultOrigins), defaultCredentials,
                "aeon.codec.cors.allowed-origins");
    }

    /** Loads the namespaces' policies before traffic arrives, and fails start-up on bad default origins. */
    void onStart(@Observes StartupEvent event) {
        refresh();
    }

    public CorsPolicy defaults() {
        return defaults;
    }

    /** For a request on {@code namespace}: the namespace's own origins first, then the defaults. */
    public Optional<CorsPolicy.Grant> forNamespace(String namespace, String origin) {
        CorsPolicy own = current().byNamespace().get(namespace);
        Optional<CorsPolicy.Grant> grant = own == null ? Optional.empty() : own.grant(origin);
        return grant.isPresent() ? grant : defaults.grant(origin);
    }

    /**
     * For a preflight, which carries no {@code X-Namespace} value: the origin is allowed if any policy allows it.
     * The response to the request itself is then decided for its namespace.
     */
    public Optional<CorsPolicy.Grant> forAnyNamespace(String origin) {
        Optional<CorsPolicy.Grant> best = defaults.grant(origin);
        for (CorsPolicy policy : current().byNamespace().values()) {
            Optional<CorsPolicy.Grant> grant = policy.grant(origin);
            if (grant.isPresent() && (best.isEmpty() || better(grant.get(), best.get()))) {
                best = grant;
            }
        }
        return best;
    }

    /** A namespace's own policy, if it has one (freshly read; this is the management API). */
    public Optional<CorsPolicy> find(String namespace) {
        Map<String, CorsPolicy> all = repository.findAll();
        install(all);
        return Optional.ofNullable(all.get(namespace));
    }

    public void save(String namespace, CorsPolicy policy) {
        repository.save(namespace, policy);
        refresh();
    }

    public boolean delete(String namespace) {
        boolean existed = repository.delete(namespace);
        refresh();
        return existed;
    }

    private static boolean better(CorsPolicy.Grant candidate, CorsPolicy.Grant current) {
        boolean candidateExact = !CorsPolicy.ANY.equals(candidate.allowOrigin());
        boolean currentExact = !CorsPolicy.ANY.equals(current.allowOrigin());
        if (candidateExact != currentExact) {
            return candidateExact;
        }
        return candidate.allowCredentials() && !current.allowCredentials();
    }

    private Snapshot current() {
        Snapshot s = snapshot.get();
        if (System.nanoTime() - s.loadedAt() > cacheTtl.toNanos() && refreshing.compareAndSet(false, true)) {
            Infrastructure.getDefaultWorkerPool().execute(() -> {
                try {
                    refresh();
                } catch (RuntimeException e) {
                    LOG.warnf("could not refresh namespaces' CORS policies, keeping the previous ones: %s",
                            e.getMessage());
                } finally {
                    refreshing.set(false);
                }
            });
        }
        return s;
    }

    private void refresh() {
        install(repository.findAll());
    }

    private void install(Map<String, CorsPolicy> all) {
        snapshot.set(new Snapshot(Map.copyOf(all), System.nanoTime()));
    }
}
