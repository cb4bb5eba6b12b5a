package dev.aeon.dataplane.auth;

import dev.aeon.auth.certs.CertificateGenerator;
import dev.aeon.auth.certs.IssuedCertificate;
import dev.aeon.auth.certs.KeyType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Certificates for the TLS tests, made once per test JVM: the data plane's server certificate (written to files
 * the server is configured with) and two tenants' client CAs with leaves, as {@code ./aeon certs} makes them.
 */
final class TestPki {

    static final CertificateGenerator GENERATOR = new CertificateGenerator();
    static final IssuedCertificate SERVER_CA = GENERATOR.devServerCa(Duration.ofDays(30));
    static final IssuedCertificate SERVER = GENERATOR.serverLeaf(SERVER_CA, List.of("localhost", "127.0.0.1"),
            Duration.ofDays(30));
    static final IssuedCertificate TENANT_A_CA = GENERATOR.clientCa("Tenant A", Duration.ofDays(30), KeyType.ECDSA);
    static final IssuedCertificate TENANT_A_WORKER = GENERATOR.clientLeaf(TENANT_A_CA, "Tenant A", "payments",
            "worker", null, List.of());
    /** Issued by tenant A's CA ten days ago, valid for one day. */
    static final IssuedCertificate TENANT_A_EXPIRED = new CertificateGenerator(
            Clock.offset(Clock.systemUTC(), Duration.ofDays(-10)))
            .clientLeaf(TENANT_A_CA, "Tenant A", "payments", "worker", Duration.ofDays(1), List.of());
    static final IssuedCertificate TENANT_B_CA = GENERATOR.clientCa("Tenant B", Duration.ofDays(30), KeyType.ECDSA);
    static final IssuedCertificate TENANT_B_WORKER = GENERATOR.clientLeaf(TENANT_B_CA, "Tenant B", null, "worker",
            null, List.of());

    private TestPki() {
    }

    /** Writes the server certificate and key; returns {certificate, key}. */
    static Path[] serverFiles() {
        try {
            Path dir = Files.createDirectories(Path.of("target", "aeon-test", "tls"));
            Path certificate = dir.resolve("server.pem");
            Path key = dir.resolve("server.key");
            Files.writeString(certificate, SERVER.certificatePem());
            Files.writeString(key, SERVER.privateKeyPem());
            return new Path[] {certificate.toAbsolutePath(), key.toAbsolutePath()};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
