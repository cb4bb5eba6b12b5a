package dev.aeon.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class DevEnvironmentTest {

    @Test
    void devEnvIsSourceableAndCarriesTheContractVariables(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("dev.env");
        DevEnvironment.of(DevPorts.defaults(), dir.resolve("it's data"), "key.with'quote").writeTo(file);

        Process shell = new ProcessBuilder("bash", "-c",
                ". \"$1\" && printf '%s|%s|%s|%s|%s|%s|%s' \"$AEON_ADDRESS\" \"$AEON_NAMESPACE\" \"$AEON_CONTROL_PLANE_URL\" "
                        + "\"$AEON_CODEC_URL\" \"$AEON_DATA_DIR\" \"$AEON_API_KEY\" \"$AEON_CONSOLE_URL\"", "_", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(shell.getInputStream().readAllBytes());
        assertEquals(0, shell.waitFor(), out);

        assertEquals("127.0.0.1:7233|default.local|http://127.0.0.1:7240|http://127.0.0.1:7242|" + dir.resolve("it's data")
                + "|key.with'quote|http://127.0.0.1:7240/console/", out);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                "dev.env holds the owner's API key");
    }

    @Test
    void theInternalTokenIsMadeOnceAndOnlyItsOwnerReadsIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("internal.token");
        String token = RandomSecretFile.of(file);

        assertEquals(token, RandomSecretFile.of(file));
        assertEquals(32, java.util.Base64.getDecoder().decode(token).length);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void servicesGetTheirConfigurationInTheEnvironmentNotOnTheCommandLine() {
        ProcessBuilder service = ServiceProcess.processBuilder(Path.of("app.jar"), "256m",
                Map.of("aeon.internal.token", "s3cret-token", "aeon.data-plane.http-port", "7241"));

        assertFalse(String.join(" ", service.command()).contains("s3cret-token"), service.command().toString());
        assertEquals("s3cret-token", service.environment().get("AEON_INTERNAL_TOKEN"));
        assertEquals("7241", service.environment().get("AEON_DATA_PLANE_HTTP_PORT"));
    }
}
