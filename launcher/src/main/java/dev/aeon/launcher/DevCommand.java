package dev.aeon.launcher;

import dev.aeon.embedded.EmbeddedServerException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "dev", mixinStandardHelpOptions = true,
        description = {
                "Runs the whole platform on this machine: embedded Cassandra and PostgreSQL, the control plane,",
                "the data plane (Temporal gRPC on port 7233) and the codec server. Ctrl-C stops everything.",
                "Data lives in .aeon/ and survives restarts; connection details are written to .aeon/dev.env."})
final class DevCommand implements Callable<Integer> {

    @Option(names = "--fresh", description = "Wipe the data directory before starting.")
    boolean fresh;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where data, logs and dev.env live (default: .aeon in the checkout, or $AEON_DATA_DIR).")
    Path dataDir;

    @Option(names = "--port-offset", paramLabel = "N", defaultValue = "0",
            description = "Add N to every port (7233 becomes 7233+N), to run a second platform beside the first.")
    int portOffset;

    @Option(names = "--no-visibility",
            description = "Keep no visibility records: listing and counting workflows answer UNIMPLEMENTED (to measure what visibility costs).")
    boolean noVisibility;

    @Option(names = "--data-plane-nodes", paramLabel = "N", defaultValue = "1",
            description = "Run N data-plane nodes (1 to 5) behind the usual address 7233, as a cluster; a node that dies is restarted.")
    int dataPlaneNodes;

    @Override
    public Integer call() {
        if (dataPlaneNodes < 1 || dataPlaneNodes > 5) {
            System.err.println("aeon dev: --data-plane-nodes must be between 1 and 5, was " + dataPlaneNodes);
            return 2;
        }
        if (portOffset < 0 || portOffset > 40000) {
            System.err.println("aeon dev: --port-offset must be between 0 and 40000, was " + portOffset);
            return 2;
        }
        Path home = Path.of(System.getProperty("aeon.home", ".")).toAbsolutePath().normalize();
        Path dir = dataDir != null ? dataDir
                : System.getenv("AEON_DATA_DIR") != null ? Path.of(System.getenv("AEON_DATA_DIR"))
                : home.resolve(".aeon");
        DevPlatform platform = new DevPlatform(home, dir.toAbsolutePath().normalize(), DevPorts.defaults().shiftedBy(portOffset));
        if (noVisibility) {
            platform.withoutVisibility();
        }
        platform.withDataPlaneNodes(dataPlaneNodes);
        try {
            platform.start(fresh);
            platform.awaitShutdown();
            return 0;
        } catch (EmbeddedServerException | DevPlatform.StartFailure e) {
            System.err.println();
            System.err.println("aeon dev: " + e.getMessage());
            platform.stop();
            return 1;
        }
    }
}
