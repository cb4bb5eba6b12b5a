package dev.aeon.common.grpc;

import io.grpc.ServerCall;

import java.util.function.Supplier;

/**
 * A unary call's listener that holds the call's events until the listener they are for is known (an authorization
 * verdict, a route that needed a lookup), then hands them over in order ({@link #handTo}) and passes every later one
 * straight on. gRPC delivers a listener's events one at a time; a decision taken on another thread hands over under
 * this object's lock, so no event is lost or reordered between the two.
 */
public abstract class HeldListener<Q> extends ServerCall.Listener<Q> {

    private ServerCall.Listener<Q> delegate;
    private Q message;
    private boolean halfClosed;
    private boolean ended;
    private boolean ready;

    /** The request arrived, nothing handed over yet (it is held: {@link #message}). */
    protected void received(Q message) {
    }

    /** The caller finished sending, nothing handed over yet. */
    protected void sendingEnded() {
    }

    /** The request held, until it is handed over. */
    protected final synchronized Q message() {
        return message;
    }

    /** Whether the call ended before anything was handed over: its caller cancelled, or {@link #end} closed it. */
    protected final synchronized boolean ended() {
        return ended;
    }

    /** This listener closed the call itself: nothing is handed over any more. False when it had ended already. */
    protected final synchronized boolean end() {
        if (ended || delegate != null) {
            return false;
        }
        ended = true;
        return true;
    }

    /**
     * Hands what was held, and then every later event, to the listener {@code next} makes; {@code next} is not asked
     * for one when the call ended meanwhile.
     */
    protected final synchronized void handTo(Supplier<ServerCall.Listener<Q>> next) {
        if (ended || delegate != null) {
            return;
        }
        delegate = next.get();
        if (ready) {
            delegate.onReady();
        }
        if (message != null) {
            delegate.onMessage(message);
        }
        message = null;
        if (halfClosed) {
            delegate.onHalfClose();
        }
    }

    @Override
    public final synchronized void onMessage(Q received) {
        if (delegate != null) {
            delegate.onMessage(received);
        } else if (!ended) {
            message = received;
            received(received);
        }
    }

    @Override
    public final synchronized void onHalfClose() {
        if (delegate != null) {
            delegate.onHalfClose();
        } else if (!ended) {
            halfClosed = true;
            sendingEnded();
        }
    }

    @Override
    public final synchronized void onCancel() {
        if (delegate != null) {
            delegate.onCancel();
        } else {
            ended = true;
        }
    }

    @Override
    public final synchronized void onComplete() {
        if (delegate != null) {
            delegate.onComplete();
        }
    }

    @Override
    public final synchronized void onReady() {
        if (delegate != null) {
            delegate.onReady();
        } else {
            ready = true;
        }
    }
}
