package dev.aeon.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DevPlatformPreflightTest {

    @Test
    void aTakenPortIsNamedWithTheProcessHoldingItAndNothingStarts(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            DevPorts ports = new DevPorts(port, freePort(), freePort(), freePort(), freePort(), freePort(), freePort());
            DevPlatform platform = new DevPlatform(dir, dir.resolve("data"), ports);

            DevPlatform.StartFailure failure = assertThrows(DevPlatform.StartFailure.class, () -> platform.start(false));

            assertTrue(failure.getMessage().contains("port " + port + " (data plane gRPC (Temporal frontend))"),
                    failure.getMessage());
            assertTrue(failure.getMessage().contains("pid " + ProcessHandle.current().pid()), failure.getMessage());
            assertFalse(Files.exists(dir.resolve("data")), "nothing was started or written");
        }
    }

    private static int freePort() {
        return dev.aeon.embedded.Ports.free();
    }
}
