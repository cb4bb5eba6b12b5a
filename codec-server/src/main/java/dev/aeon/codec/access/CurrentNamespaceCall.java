package dev.aeon.codec.access;

import jakarta.enterprise.context.RequestScoped;

import java.util.Optional;

/**
 * This request's {@link NamespaceCall}, set by {@link NamespaceCallResolver} before any resource method runs. The
 * authorization filter to come (auth module) injects it too, to check the caller's claims against it.
 */
@RequestScoped
public class CurrentNamespaceCall {

    private NamespaceCall call;

    void set(NamespaceCall call) {
        this.call = call;
    }

    /** @return the call, or empty if the endpoint is not namespace-scoped or the namespace could not be resolved */
    public Optional<NamespaceCall> find() {
        return Optional.ofNullable(call);
    }

    /** The call of a namespace-scoped endpoint (one carrying {@link RequiresNamespacePermission}). */
    public NamespaceCall get() {
        if (call == null) {
            throw new IllegalStateException("no namespace was resolved for this request: is the resource method"
                    + " annotated with @RequiresNamespacePermission?");
        }
        return call;
    }

    public String namespace() {
        return get().namespace();
    }
}
