package dev.aeon.launcher;

import dev.aeon.auth.CertificatePrincipal;
import dev.aeon.auth.certs.IssuedCertificate;
import dev.aeon.auth.mtls.CertificateFilter;
import dev.aeon.auth.mtls.ClientCertificateVerifier;
import dev.aeon.auth.mtls.MtlsSettings;
import dev.aeon.auth.mtls.NamespaceAuthSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `aeon certs` as a user runs it: files on disk, then the auth module's verifier on what it wrote. */
class CertsCommandTest {

    @TempDir
    Path dir;

    private final StringWriter errors = new StringWriter();

    @BeforeEach
    void callerDirectory() {
        System.setProperty("aeon.cwd", dir.toString());
        System.setProperty("aeon.home", dir.toString());
    }

    @AfterEach
    void clear() {
        System.clearProperty("aeon.cwd");
        System.clearProperty("aeon.home");
    }

    @Test
    void aLeafFromTheGeneratedCaVerifiesForTheNamespaceThatAcceptsIt() throws Exception {
        assertEquals(0, run("certs", "ca", "--org", "Acme", "--validity", "30d",
                "--ca-cert", "ca.pem", "--ca-key", "ca.key"), errors.toString());
        assertEquals(0, run("certs", "leaf", "--org", "Acme", "--common-name", "worker", "--validity", "7d",
                "--ca-cert", "ca.pem", "--ca-key", "ca.key", "--cert", "client.pem", "--key", "client.key"),
                errors.toString());

        String caPem = Files.readString(dir.resolve("ca.pem"));
        IssuedCertificate leaf = IssuedCertificate.fromPem(Files.readString(dir.resolve("client.pem")), "client.pem",
                Files.readString(dir.resolve("client.key")), "client.key");
        assertTrue(Files.readString(dir.resolve("client.key")).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("client.key"))));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("client.pem"))));
        NamespaceAuthSettings settings = new NamespaceAuthSettings("a1", false, new MtlsSettings(true, caPem,
                List.of(new CertificateFilter("worker", "Acme", null, null))));

        CertificatePrincipal principal = new ClientCertificateVerifier()
                .verify(new X509Certificate[] {leaf.certificate()}, "orders.a1", settings);
        assertEquals("CN=worker,O=Acme", principal.subject());
        assertTrue(leaf.certificate().getNotAfter().toInstant().isBefore(Instant.now().plus(Duration.ofDays(8))));
    }

    @Test
    void rsaCasIssueRsaLeaves() throws Exception {
        assertEquals(0, run("certs", "ca", "--org", "Acme", "--key-type", "rsa", "--ca-cert", "ca.pem", "--ca-key", "ca.key"));
        assertEquals(0, run("certs", "leaf", "--org", "Acme", "--ca-cert", "ca.pem", "--ca-key", "ca.key",
                "--cert", "client.pem", "--key", "client.key"));

        IssuedCertificate leaf = IssuedCertificate.fromPem(Files.readString(dir.resolve("client.pem")), "client.pem",
                Files.readString(dir.resolve("client.key")), "client.key");
        assertEquals("RSA", leaf.privateKey().getAlgorithm());
    }

    @Test
    void errorsNameTheFlag() throws Exception {
        assertEquals(2, run("certs", "ca", "--ca-cert", "ca.pem", "--ca-key", "ca.key"));
        assertTrue(errors.toString().contains("--org"), errors.toString());

        assertEquals(2, run("certs", "ca", "--org", "Acme", "--validity", "400d", "--ca-cert", "ca.pem", "--ca-key", "ca.key"));
        assertTrue(errors.toString().contains("--validity must be between 7d and 365d"), errors.toString());

        assertEquals(2, run("certs", "ca", "--org", "Acme", "--validity", "soon", "--ca-cert", "ca.pem", "--ca-key", "ca.key"));
        assertTrue(errors.toString().contains("--validity: 'soon' is not a period"), errors.toString());

        assertEquals(2, run("certs", "ca", "--org", "Acme", "--key-type", "dsa", "--ca-cert", "ca.pem", "--ca-key", "ca.key"));
        assertTrue(errors.toString().contains("--key-type"), errors.toString());

        assertEquals(2, run("certs", "leaf", "--org", "Acme", "--ca-cert", "missing.pem", "--ca-key", "ca.key",
                "--cert", "c.pem", "--key", "c.key"));
        assertTrue(errors.toString().contains("--ca-cert: cannot read missing.pem"), errors.toString());

        assertEquals(0, run("certs", "ca", "--org", "Acme", "--ca-cert", "ca.pem", "--ca-key", "ca.key"));
        assertEquals(2, run("certs", "ca", "--org", "Acme", "--ca-cert", "ca.pem", "--ca-key", "ca.key"));
        assertTrue(errors.toString().contains("already exists; pass --force"), errors.toString());

        assertEquals(2, run("certs", "leaf", "--org", "Acme", "--validity", "400d", "--ca-cert", "ca.pem",
                "--ca-key", "ca.key", "--cert", "c.pem", "--key", "c.key"));
        assertTrue(errors.toString().contains("would outlive the CA"), errors.toString());
    }

    @Test
    void devServerCertificatesCoverLocalhostAndAreKeptWhileValid() throws Exception {
        assertEquals(0, run("certs", "dev-server", "--out-dir", "tls"));
        Path tls = dir.resolve("tls");
        IssuedCertificate server = IssuedCertificate.fromPem(Files.readString(tls.resolve("server.pem")), "server.pem",
                Files.readString(tls.resolve("server.key")), "server.key");
        IssuedCertificate ca = IssuedCertificate.fromPem(Files.readString(tls.resolve("ca.pem")), "ca.pem",
                Files.readString(tls.resolve("ca.key")), "ca.key");
        server.certificate().verify(ca.certificate().getPublicKey());
        assertEquals(List.of("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1"), server.certificate().getSubjectAlternativeNames()
                .stream().map(entry -> (String) entry.get(1)).toList());
        assertTrue(server.certificate().getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"));

        String before = Files.readString(tls.resolve("server.pem"));
        assertEquals(0, run("certs", "dev-server", "--out-dir", "tls"));
        assertEquals(before, Files.readString(tls.resolve("server.pem")));
        assertEquals(0, run("certs", "dev-server", "--out-dir", "tls", "--force"));
        assertTrue(!before.equals(Files.readString(tls.resolve("server.pem"))));
    }

    @Test
    void helpListsTheSubcommands() {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out));
        try {
            assertEquals(0, run("certs", "--help"));
        } finally {
            System.setOut(original);
        }
        String help = out.toString();
        assertTrue(help.contains("ca") && help.contains("leaf") && help.contains("dev-server"), help);
    }

    private int run(String... args) {
        CommandLine cli = new CommandLine(new AeonCli());
        cli.setErr(new PrintWriter(errors, true));
        return cli.execute(args);
    }
}
