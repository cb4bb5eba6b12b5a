package dev.aeon.dataplane.cluster;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The arguments and answers of a {@link PeerService} operation: a sequence of strings (null allowed), numbers and
 * protobuf messages, read back in the order written. Both ends are the same build of the data plane.
 */
public final class PeerMessage {

    private PeerMessage() {
    }

    public static Writer write() {
        return new Writer();
    }

    public static Reader read(byte[] message) {
        return new Reader(message);
    }

    public static final class Writer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final DataOutputStream out = new DataOutputStream(bytes);

        public Writer string(String value) {
            try {
                out.writeBoolean(value != null);
                if (value != null) {
                    bytes(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        public Writer number(long value) {
            try {
                out.writeLong(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        public Writer proto(MessageLite message) {
            return bytes(message.toByteArray());
        }

        public Writer bytes(byte[] value) {
            try {
                out.writeInt(value.length);
                out.write(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        public byte[] done() {
            return bytes.toByteArray();
        }
    }

    public static final class Reader {
        private final DataInputStream in;

        private Reader(byte[] message) {
            this.in = new DataInputStream(new ByteArrayInputStream(message));
        }

        public String string() {
            try {
                return in.readBoolean() ? new String(bytes(), java.nio.charset.StandardCharsets.UTF_8) : null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public long number() {
            try {
                return in.readLong();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public <T> T proto(Parser<T> parser) {
            try {
                return parser.parseFrom(bytes());
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalArgumentException("malformed peer message", e);
            }
        }

        /** Everything not read yet: an answer that is one message, written as its bytes alone. */
        public byte[] rest() {
            try {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public byte[] bytes() {
            try {
                byte[] value = new byte[in.readInt()];
                in.readFully(value);
                return value;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
