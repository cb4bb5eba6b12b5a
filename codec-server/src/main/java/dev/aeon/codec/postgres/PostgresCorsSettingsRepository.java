package dev.aeon.codec.postgres;

import dev.aeon.codec.cors.CorsPolicy;
import dev.aeon.codec.cors.CorsSettingsRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Namespaces' CORS policies in PostgreSQL ({@code codec.namespace_cors}). */
@ApplicationScoped
public class PostgresCorsSettingsRepository implements CorsSettingsRepository {

    @Inject
    Mutiny.SessionFactory sessions;

    @Override
    public Map<String, CorsPolicy> findAll() {
        return Reactive.await(() -> sessions.withSession(s -> s
                .createSelectionQuery("from NamespaceCorsEntity", NamespaceCorsEntity.class)
                .getResultList()
                .map(rows -> {
                    Map<String, CorsPolicy> all = new HashMap<>();
                    for (NamespaceCorsEntity row : rows) {
                        List<String> origins = row.allowedOrigins.isEmpty() ? List.of()
                                : List.of(row.allowedOrigins.split(","));
                        all.put(row.namespace, new CorsPolicy(origins, row.allowCredentials));
                    }
                    return all;
                })));
    }

    @Override
    public void save(String namespace, CorsPolicy policy) {
        Reactive.await(() -> sessions.withTransaction(s -> s
                .find(NamespaceCorsEntity.class, namespace)
                .chain(found -> {
                    NamespaceCorsEntity row = found != null ? found : new NamespaceCorsEntity();
                    row.namespace = namespace;
                    row.allowedOrigins = String.join(",", policy.allowedOrigins());
                    row.allowCredentials = policy.allowCredentials();
                    row.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
                    return found != null ? s.flush() : s.persist(row);
                })));
    }

    @Override
    public boolean delete(String namespace) {
        return Reactive.await(() -> sessions.withTransaction(s -> s
                .find(NamespaceCorsEntity.class, namespace)
                .chain(found -> found == null ? Uni.createFrom().item(false) : s.remove(found).replaceWith(true))));
    }
}
