package dev.aeon.controlplane;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A CA and a leaf certificate made at test time with the JDK's keytool, so no certificate is committed. */
record TestCertificates(String caPem, String leafPem) {

    static TestCertificates generate() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("aeon-certs");
        Path store = dir.resolve("keys.p12");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=Test CA",
                "-ext", "bc:c", "-validity", "2", "-keystore", store.toString(), "-storepass", "changeit");
        keytool("-genkeypair", "-alias", "leaf", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=worker",
                "-validity", "2", "-keystore", store.toString(), "-storepass", "changeit");
        return new TestCertificates(export(store, "ca", dir), export(store, "leaf", dir));
    }

    private static String export(Path store, String alias, Path dir) throws IOException, InterruptedException {
        Path pem = dir.resolve(alias + ".pem");
        keytool("-exportcert", "-rfc", "-alias", alias, "-keystore", store.toString(), "-storepass", "changeit",
                "-file", pem.toString());
        return Files.readString(pem);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
    }
}
