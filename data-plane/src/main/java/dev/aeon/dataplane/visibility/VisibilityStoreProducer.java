package dev.aeon.dataplane.visibility;

import dev.aeon.dataplane.visibility.store.PageTokens;
import dev.aeon.dataplane.visibility.store.VisibilityStore;
import dev.aeon.dataplane.visibility.store.postgres.PostgresDataSources;
import dev.aeon.dataplane.visibility.store.postgres.PostgresSchemaMigrator;
import dev.aeon.dataplane.visibility.store.postgres.PostgresVisibilityStore;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.Base64;

/** The data plane's one {@link VisibilityStore}, chosen by configuration; its schema is migrated at start. */
@ApplicationScoped
public class VisibilityStoreProducer {

    private AgroalDataSource dataSource;

    @Produces
    @Singleton
    VisibilityStore visibilityStore(VisibilityConfig config) {
        if (!config.enabled()) {
            return new DisabledVisibilityStore();
        }
        VisibilityConfig.Postgres postgres = config.postgres();
        dataSource = PostgresDataSources.create(postgres.jdbcUrl(), postgres.username(),
                postgres.password().orElse(""), postgres.maxPoolSize());
        new PostgresSchemaMigrator(dataSource).migrate();
        PageTokens tokens = config.pageTokenKey().map(key -> new PageTokens(Base64.getDecoder().decode(key)))
                .orElseGet(PageTokens::withRandomKey);
        return new PostgresVisibilityStore(dataSource, tokens);
    }

    /** Creating the store at start runs the migration then, not on the first request. */
    void onStart(@Observes StartupEvent event, VisibilityStore store) {
        store.getClass();
    }

    void close(@Disposes VisibilityStore store) {
        if (dataSource != null) {
            dataSource.close();
        }
    }
}
