package dev.aeon.dataplane.persistence.cassandra;

import com.datastax.oss.driver.internal.core.metadata.DefaultEndPoint;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLEngine;
import java.net.InetSocketAddress;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** TLS to Cassandra checks that the server's certificate names the host connected to, not only who signed it. */
class CassandraTlsTest {

    @Test
    void theServersHostnameIsVerified() {
        CassandraConfig.Tls tls = new CassandraConfig.Tls() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public Optional<String> truststore() {
                return Optional.empty();
            }

            @Override
            public Optional<String> truststorePassword() {
                return Optional.empty();
            }
        };

        SSLEngine engine = CassandraSessionProducer.sslEngineFactory(tls)
                .newSslEngine(new DefaultEndPoint(new InetSocketAddress("localhost", 9042)));

        assertEquals("HTTPS", engine.getSSLParameters().getEndpointIdentificationAlgorithm());
        assertEquals("localhost", engine.getPeerHost());
    }
}
