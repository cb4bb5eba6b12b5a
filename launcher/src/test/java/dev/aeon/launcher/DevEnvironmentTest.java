package dev.aeon.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DevEnvironmentTest {

    @Test
    void devEnvIsSourceableAndCarriesTheContractVariables(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("dev.env");
        DevEnvironment.of(DevPorts.defaults(), dir.resolve("it's data"), "key.with'quote").writeTo(file);

        Process shell = new ProcessBuilder("bash", "-c",
                ". \"$1\" && printf '%s|%s|%s|%s|%s|%s' \"$AEON_ADDRESS\" \"$AEON_NAMESPACE\" \"$AEON_CONTROL_PLANE_URL\" "
                        + "\"$AEON_CODEC_URL\" \"$AEON_DATA_DIR\" \"$AEON_API_KEY\"", "_", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(shell.getInputStream().readAllBytes());
        assertEquals(0, shell.waitFor(), out);

        assertEquals("127.0.0.1:7233|default.local|http://127.0.0.1:7240|http://127.0.0.1:7242|" + dir.resolve("it's data")
                + "|key.with'quote", out);
    }
}
