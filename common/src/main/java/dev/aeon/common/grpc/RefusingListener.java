package dev.aeon.common.grpc;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;

import java.util.function.Function;

/**
 * A unary call's listener that closes the call when its message is at fault ({@code check} answers the status, or
 * null to pass it on); the handler then sees neither the message nor the half-close.
 */
public final class RefusingListener<Q> extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {

    private final ServerCall<Q, ?> call;
    private final Function<Q, Status> check;
    private boolean refused;

    public RefusingListener(ServerCall<Q, ?> call, ServerCall.Listener<Q> next, Function<Q, Status> check) {
        super(next);
        this.call = call;
        this.check = check;
    }

    @Override
    public void onMessage(Q message) {
        Status refusal = check.apply(message);
        if (refusal != null) {
            refused = true;
            call.close(refusal, new Metadata());
            return;
        }
        super.onMessage(message);
    }

    @Override
    public void onHalfClose() {
        if (!refused) {
            super.onHalfClose();
        }
    }
}
