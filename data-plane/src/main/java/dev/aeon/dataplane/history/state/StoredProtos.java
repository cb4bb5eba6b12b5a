package dev.aeon.dataplane.history.state;

/** Reads the protobuf bytes mutable state keeps (memo, search attributes, retry policy, reset points). */
public final class StoredProtos {

    private StoredProtos() {
    }

    /** The message, or null when the state holds none. */
    public static <T> T parse(byte[] bytes, com.google.protobuf.Parser<T> parser) {
        if (bytes == null) {
            return null;
        }
        try {
            return parser.parseFrom(bytes);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt execution record", e);
        }
    }
}
