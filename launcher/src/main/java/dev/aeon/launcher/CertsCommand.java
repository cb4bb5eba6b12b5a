package dev.aeon.launcher;

import dev.aeon.auth.certs.CertificateGenerator;
import dev.aeon.auth.certs.IssuedCertificate;
import dev.aeon.auth.certs.KeyType;
import dev.aeon.auth.certs.ValidityPeriod;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code aeon certs}: certificates for mTLS, like {@code tcld gen ca} / {@code tcld gen leaf}; the logic is in auth/. */
@Command(name = "certs", mixinStandardHelpOptions = true,
        description = {
                "Generates certificates for mTLS, like tcld gen ca / tcld gen leaf.",
                "",
                "A client CA to upload as a namespace's accepted CA, client certificates it issues, and a development"
                        + " TLS certificate for the data plane. Keys are written as unencrypted PKCS#8 PEM (mode 600);"
                        + " existing files are kept unless --force."},
        subcommands = {CertsCommand.Ca.class, CertsCommand.Leaf.class, CertsCommand.DevServer.class})
final class CertsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "ca", mixinStandardHelpOptions = true,
            description = {"Generates a client CA certificate and key.", "",
                    "Upload the certificate as a namespace's accepted CA; issue client certificates with 'aeon certs leaf'."})
    static final class Ca extends Writer {

        @Option(names = {"--org", "--organization"}, required = true, paramLabel = "ORG",
                description = "The organization (O) of the CA.")
        String organization;

        @Option(names = {"--validity", "--validity-period", "-d"}, defaultValue = "365d", paramLabel = "PERIOD",
                description = "How long the CA is valid: 7d to 365d, e.g. 90d or 30d12h (default: ${DEFAULT-VALUE}).")
        String validity;

        @Option(names = "--key-type", defaultValue = "ecdsa", paramLabel = "TYPE",
                description = "ecdsa (P-384) or rsa (4096 bits); default: ${DEFAULT-VALUE}.")
        String keyType;

        @Option(names = {"--rsa", "--rsa-algorithm"}, description = "Same as --key-type rsa (tcld's flag).")
        boolean rsa;

        @Option(names = {"--ca-cert", "--ca-certificate-file"}, required = true, paramLabel = "FILE",
                description = "Where to write the CA certificate (PEM).")
        Path caCert;

        @Option(names = {"--ca-key", "--ca-key-file"}, required = true, paramLabel = "FILE",
                description = "Where to write the CA's private key (PKCS#8 PEM). Keep it secret.")
        Path caKey;

        @Override
        public Integer call() {
            Duration period = period("--validity", validity);
            KeyType type = rsa ? KeyType.RSA : parse("--key-type", () -> KeyType.parse(keyType));
            if (period.compareTo(CertificateGenerator.MIN_CA_VALIDITY) < 0
                    || period.compareTo(CertificateGenerator.MAX_CA_VALIDITY) > 0) {
                throw new ParameterException(spec.commandLine(), "--validity must be between 7d and 365d, not " + validity);
            }
            IssuedCertificate ca = new CertificateGenerator().clientCa(organization, period, type);
            write("--ca-cert", caCert, "--ca-key", caKey, ca, "CA certificate");
            return 0;
        }
    }

    @Command(name = "leaf", mixinStandardHelpOptions = true,
            description = "Generates a client certificate and key signed by a CA from 'aeon certs ca'.")
    static final class Leaf extends Writer {

        @Option(names = {"--org", "--organization"}, required = true, paramLabel = "ORG",
                description = "The organization (O).")
        String organization;

        @Option(names = {"--ou", "--organizational-unit", "--organization-unit"}, paramLabel = "OU",
                description = "The organizational unit (OU), optional.")
        String organizationalUnit;

        @Option(names = {"--common-name", "--cn"}, paramLabel = "CN", description = "The common name (CN), optional.")
        String commonName;

        @Option(names = {"--san", "--dns-name"}, paramLabel = "NAME",
                description = "A DNS subject alternative name; repeat for several. Optional.")
        List<String> subjectAlternativeNames = new ArrayList<>();

        @Option(names = {"--validity", "--validity-period", "-d"}, paramLabel = "PERIOD",
                description = "How long the certificate is valid, e.g. 30d (default: until a day before the CA expires).")
        String validity;

        @Option(names = {"--ca-cert", "--ca-certificate-file"}, required = true, paramLabel = "FILE",
                description = "The CA certificate (PEM) to sign with.")
        Path caCert;

        @Option(names = {"--ca-key", "--ca-key-file"}, required = true, paramLabel = "FILE",
                description = "The CA's private key (PEM).")
        Path caKey;

        @Option(names = {"--cert", "--certificate-file"}, required = true, paramLabel = "FILE",
                description = "Where to write the client certificate (PEM).")
        Path cert;

        @Option(names = {"--key", "--key-file"}, required = true, paramLabel = "FILE",
                description = "Where to write the client's private key (PKCS#8 PEM).")
        Path key;

        @Override
        public Integer call() {
            Duration period = validity == null ? null : period("--validity", validity);
            IssuedCertificate ca = parse("--ca-cert/--ca-key", () -> IssuedCertificate.fromPem(
                    read("--ca-cert", caCert), "--ca-cert " + caCert, read("--ca-key", caKey), "--ca-key " + caKey));
            IssuedCertificate leaf = parse(null, () -> new CertificateGenerator().clientLeaf(ca, organization,
                    organizationalUnit, commonName, period, subjectAlternativeNames));
            write("--cert", cert, "--key", key, leaf, "client certificate");
            return 0;
        }
    }

    @Command(name = "dev-server", mixinStandardHelpOptions = true,
            description = {
                    "Generates the data plane's development TLS certificate.", "",
                    "A development CA and a server certificate for localhost, 127.0.0.1 and ::1 for port 7233; point"
                            + " SDKs and the temporal CLI at <out-dir>/ca.pem to verify the server. Files still valid"
                            + " for 30 days are kept unless --force."})
    static final class DevServer extends Writer {

        @Option(names = "--out-dir", paramLabel = "DIR",
                description = "Where to write ca.pem, ca.key, server.pem and server.key (default: .aeon/tls in the checkout).")
        Path outDir;

        @Option(names = "--host", paramLabel = "NAME",
                description = "Another DNS name or IP address the server certificate must cover; repeatable.")
        List<String> hosts = new ArrayList<>();

        @Option(names = "--validity", defaultValue = "825d", paramLabel = "PERIOD",
                description = "How long the server certificate is valid (default: ${DEFAULT-VALUE}).")
        String validity;

        @Override
        public Integer call() {
            Path dir = outDir != null ? resolve(outDir) : home().resolve(".aeon").resolve("tls");
            Duration period = period("--validity", validity);
            Path serverCert = dir.resolve("server.pem");
            if (!force && stillValid(serverCert)) {
                System.out.println("dev server certificate " + serverCert + " is still valid; kept (--force to replace)");
                return 0;
            }
            force = true;
            List<String> names = new ArrayList<>(List.of("localhost", "127.0.0.1", "::1"));
            names.addAll(hosts);
            CertificateGenerator generator = new CertificateGenerator();
            IssuedCertificate ca = generator.devServerCa(Duration.ofDays(3650));
            IssuedCertificate server = generator.serverLeaf(ca, names, period);
            write("--out-dir", dir.resolve("ca.pem"), "--out-dir", dir.resolve("ca.key"), ca, "dev server CA");
            write("--out-dir", serverCert, "--out-dir", dir.resolve("server.key"), server, "dev server certificate");
            return 0;
        }

        private static boolean stillValid(Path serverCert) {
            try {
                Path dir = serverCert.getParent();
                if (!Files.exists(dir.resolve("ca.pem")) || !Files.exists(serverCert)) {
                    return false;
                }
                IssuedCertificate server = IssuedCertificate.fromPem(Files.readString(serverCert), "server.pem",
                        Files.readString(dir.resolve("server.key")), "server.key");
                return server.certificate().getNotAfter().toInstant().isAfter(Instant.now().plus(Duration.ofDays(30)));
            } catch (IOException | IllegalArgumentException e) {
                return false;
            }
        }
    }

    /** Reading, writing and flag errors shared by the three commands. */
    abstract static class Writer implements java.util.concurrent.Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--force", description = "Overwrite files that already exist.")
        boolean force;

        Duration period(String flag, String value) {
            return parse(flag, () -> ValidityPeriod.parse(value));
        }

        <T> T parse(String flag, java.util.function.Supplier<T> parser) {
            try {
                return parser.get();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), (flag == null ? "" : flag + ": ") + e.getMessage());
            }
        }

        String read(String flag, Path file) {
            try {
                return Files.readString(resolve(file), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), flag + ": cannot read " + file + " ("
                        + e.getClass().getSimpleName() + ")");
            }
        }

        void write(String certFlag, Path certFile, String keyFlag, Path keyFile, IssuedCertificate issued, String what) {
            Path certPath = resolve(certFile);
            Path keyPath = resolve(keyFile);
            for (Path path : List.of(certPath, keyPath)) {
                if (!force && Files.exists(path)) {
                    throw new ParameterException(spec.commandLine(), (path.equals(certPath) ? certFlag : keyFlag)
                            + ": " + path + " already exists; pass --force to overwrite it");
                }
            }
            try {
                writeFile(certPath, issued.certificatePem(), false);
                writeFile(keyPath, issued.privateKeyPem(), true);
            } catch (IOException e) {
                throw new CommandLine.ExecutionException(spec.commandLine(), "cannot write " + what + ": " + e, e);
            }
            System.out.println(what + " written to " + certPath);
            System.out.println("its private key written to " + keyPath + " (keep it secret)");
        }

        private static void writeFile(Path path, String content, boolean secret) throws IOException {
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            Path temporary = Files.createTempFile(path.toAbsolutePath().getParent(), ".aeon-certs", ".tmp");
            try {
                if (Files.getFileStore(temporary).supportsFileAttributeView("posix")) {
                    Files.setPosixFilePermissions(temporary,
                            PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--"));
                }
                Files.writeString(temporary, content, StandardCharsets.US_ASCII);
                Files.move(temporary, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
        }

        /** Relative paths are the caller's: the aeon script changes to the checkout before starting Java. */
        static Path resolve(Path path) {
            return Path.of(System.getProperty("aeon.cwd", ".")).resolve(path).toAbsolutePath().normalize();
        }

        static Path home() {
            return Path.of(System.getProperty("aeon.home", ".")).toAbsolutePath().normalize();
        }
    }
}
