package dev.aeon.codec.postgres;

import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

import java.util.function.Supplier;

/**
 * Runs Hibernate Reactive work from a worker thread and waits for it: the codec's services are blocking code on
 * worker threads, Hibernate Reactive wants a Vert.x context, and {@link VertxContextSupport} bridges the two.
 */
final class Reactive {

    private Reactive() {
    }

    static <T> T await(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
