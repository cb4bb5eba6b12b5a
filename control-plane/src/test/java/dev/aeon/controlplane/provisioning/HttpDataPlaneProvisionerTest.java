package dev.aeon.controlplane.provisioning;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which answers of the data plane end an operation and which only delay it (no Quarkus boot). */
class HttpDataPlaneProvisionerTest {

    @Test
    void onlyA4xxAboutTheRequestIsARejection() {
        assertTrue(HttpDataPlaneProvisioner.rejects(400));
        assertTrue(HttpDataPlaneProvisioner.rejects(404));
        assertTrue(HttpDataPlaneProvisioner.rejects(409));
        assertFalse(HttpDataPlaneProvisioner.rejects(401), "a token mismatch is the operator's to fix");
        assertFalse(HttpDataPlaneProvisioner.rejects(429));
        assertFalse(HttpDataPlaneProvisioner.rejects(500));
        assertFalse(HttpDataPlaneProvisioner.rejects(503));
    }

    @Test
    void anUnreachableDataPlaneIsNotARejection() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        HttpDataPlaneProvisioner provisioner = new HttpDataPlaneProvisioner();
        provisioner.http = new DataPlaneHttp();
        provisioner.http.baseUrl = "http://127.0.0.1:" + closedPort;
        provisioner.http.internalToken = Optional.empty();
        provisioner.http.timeout = Duration.ofSeconds(2);
        DataPlaneProvisioner.ProvisioningException e = assertThrows(DataPlaneProvisioner.ProvisioningException.class,
                () -> provisioner.delete("orders.acme"));
        assertFalse(e.rejected(), e.getMessage());
        assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
    }
}
