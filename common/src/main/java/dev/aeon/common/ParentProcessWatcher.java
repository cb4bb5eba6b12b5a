package dev.aeon.common;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * Stops the service when the process that launched it is gone. {@code ./aeon dev} sets
 * {@code aeon.parent-pid}; if the launcher is killed outright (no chance to stop its children), its services
 * follow instead of lingering on the platform's ports.
 */
@ApplicationScoped
public class ParentProcessWatcher {

    private static final Logger LOG = Logger.getLogger(ParentProcessWatcher.class);

    @ConfigProperty(name = "aeon.parent-pid")
    Optional<Long> parentPid;

    void watch(@Observes StartupEvent event) {
        parentPid.ifPresent(pid -> ProcessHandle.of(pid).ifPresentOrElse(
                parent -> parent.onExit().thenRun(() -> {
                    LOG.infof("launcher process %d exited; stopping", pid);
                    Quarkus.asyncExit();
                }),
                Quarkus::asyncExit));
    }
}
