package dev.aeon.dataplane.visibility.store.postgres;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;

import java.sql.SQLException;
import java.time.Duration;

/** A pooled JDBC data source for visibility on PostgreSQL (Agroal, as Quarkus pools its own). */
public final class PostgresDataSources {

    private PostgresDataSources() {
    }

    public static AgroalDataSource create(String jdbcUrl, String username, String password, int maxPoolSize) {
        AgroalDataSourceConfigurationSupplier configuration = new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool
                        .minSize(0)
                        .maxSize(maxPoolSize)
                        .acquisitionTimeout(Duration.ofSeconds(5))
                        .connectionFactoryConfiguration(factory -> factory
                                .jdbcUrl(jdbcUrl)
                                .connectionProviderClassName("org.postgresql.Driver")
                                // Visibility's tables live in their own schema, apart from the control plane's.
                                .jdbcProperty("currentSchema", PostgresSchemaMigrator.SCHEMA)
                                .principal(new NamePrincipal(username))
                                .credential(new SimplePassword(password))));
        try {
            return AgroalDataSource.from(configuration);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the visibility data source for " + jdbcUrl, e);
        }
    }
}
