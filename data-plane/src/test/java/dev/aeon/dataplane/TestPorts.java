package dev.aeon.dataplane;

/**
 * The port the data plane's tests serve gRPC on: Temporal's 7233 unless {@code AEON_TEST_FRONTEND_PORT} says
 * otherwise (so the tests can run while `./aeon dev` holds 7233; Quarkus reads the same variable).
 */
public final class TestPorts {

    public static final int FRONTEND =
            Integer.parseInt(System.getenv().getOrDefault("AEON_TEST_FRONTEND_PORT", "7233"));

    private TestPorts() {
    }
}
