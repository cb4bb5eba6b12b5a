package dev.aeon.cassandra.runtime;

import org.apache.cassandra.service.CassandraDaemon;

/**
 * Entry point of the embedded Cassandra JVM. It starts the real {@link CassandraDaemon} and ties its life to the
 * process that launched it: a dev launcher or test JVM that dies (even by SIGKILL) takes its Cassandra with it
 * instead of leaving an orphan holding the ports and the data directory.
 */
public final class CassandraMain {

    /** System property carrying the launcher's pid. */
    public static final String PARENT_PID_PROPERTY = "aeon.parent-pid";

    private CassandraMain() {
    }

    public static void main(String[] args) {
        String parentPid = System.getProperty(PARENT_PID_PROPERTY);
        if (parentPid != null) {
            ProcessHandle.of(Long.parseLong(parentPid)).ifPresentOrElse(
                    parent -> parent.onExit().thenRun(() -> {
                        System.err.println("aeon: launcher process " + parentPid + " exited; stopping Cassandra");
                        System.exit(0);
                    }),
                    () -> System.exit(0));
        }
        CassandraDaemon.main(args);
    }
}
