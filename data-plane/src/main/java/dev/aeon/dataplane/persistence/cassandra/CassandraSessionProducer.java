package dev.aeon.dataplane.persistence.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.ssl.ProgrammaticSslEngineFactory;
import com.datastax.oss.driver.api.core.ssl.SslEngineFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/**
 * Opens the data plane's one {@link CqlSession}: creates the keyspace if needed, applies pending schema
 * migrations, then connects to the keyspace. Every statement defaults to LOCAL_QUORUM, conditional writes to
 * LOCAL_SERIAL, as Temporal does.
 */
@ApplicationScoped
public class CassandraSessionProducer {

    @Produces
    @Singleton
    CqlSession session(CassandraConfig config) {
        try (CqlSession bootstrap = builder(config).build()) {
            bootstrap.execute(SimpleStatement.newInstance(
                    "CREATE KEYSPACE IF NOT EXISTS " + config.keyspace() + " WITH replication = " + config.replication())
                    .setTimeout(SchemaMigrator.SCHEMA_CHANGE_TIMEOUT));
        }
        CqlSession session = builder(config).withKeyspace(config.keyspace()).build();
        new SchemaMigrator(session).migrate();
        return session;
    }

    void close(@Disposes CqlSession session) {
        session.close();
    }

    private static CqlSessionBuilder builder(CassandraConfig config) {
        CqlSessionBuilder builder = CqlSession.builder()
                .withLocalDatacenter(config.localDatacenter())
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withString(DefaultDriverOption.REQUEST_CONSISTENCY, "LOCAL_QUORUM")
                        .withString(DefaultDriverOption.REQUEST_SERIAL_CONSISTENCY, "LOCAL_SERIAL")
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, config.requestTimeout())
                        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, config.requestTimeout())
                        .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, config.requestTimeout())
                        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, config.requestTimeout())
                        .build());
        for (String contactPoint : config.contactPoints()) {
            builder.addContactPoint(parse(contactPoint));
        }
        if (config.username().isPresent()) {
            builder.withAuthCredentials(config.username().get(), config.password().orElse(""));
        }
        if (config.tls().enabled()) {
            builder.withSslEngineFactory(sslEngineFactory(config.tls()));
        }
        return builder;
    }

    private static InetSocketAddress parse(String contactPoint) {
        int colon = contactPoint.lastIndexOf(':');
        if (colon < 0) {
            return new InetSocketAddress(contactPoint.trim(), 9042);
        }
        return new InetSocketAddress(contactPoint.substring(0, colon).trim(),
                Integer.parseInt(contactPoint.substring(colon + 1).trim()));
    }

    /**
     * TLS that checks the server: its certificate chains to the truststore and names the host connected to (the
     * contact point as written, or for nodes discovered by address the name their address resolves back to, as the
     * driver's own default does). {@code withSslContext} alone would accept any certificate the CA ever signed.
     */
    static SslEngineFactory sslEngineFactory(CassandraConfig.Tls tls) {
        return new ProgrammaticSslEngineFactory(sslContext(tls), null, true, true);
    }

    private static SSLContext sslContext(CassandraConfig.Tls tls) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (tls.truststore().isPresent()) {
                KeyStore store = KeyStore.getInstance(tls.truststore().get().endsWith(".jks") ? "JKS" : "PKCS12");
                try (InputStream in = Files.newInputStream(Path.of(tls.truststore().get()))) {
                    store.load(in, tls.truststorePassword().map(String::toCharArray).orElse(null));
                }
                trust.init(store);
            } else {
                trust.init((KeyStore) null);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("aeon.cassandra.tls.truststore: cannot load " + tls.truststore().orElse("")
                    + ": " + e.getMessage(), e);
        }
    }
}
