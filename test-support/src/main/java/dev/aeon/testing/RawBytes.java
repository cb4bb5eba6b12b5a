package dev.aeon.testing;

import io.grpc.MethodDescriptor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** A gRPC marshaller that sends and receives any bytes, for calling a method with requests that are not its message. */
public final class RawBytes implements MethodDescriptor.Marshaller<byte[]> {

    public static final RawBytes MARSHALLER = new RawBytes();

    private RawBytes() {
    }

    /** {@code method} with raw bytes as request and response. */
    public static MethodDescriptor<byte[], byte[]> of(MethodDescriptor<?, ?> method) {
        return method.toBuilder(MARSHALLER, MARSHALLER).build();
    }

    @Override
    public InputStream stream(byte[] value) {
        return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
        try {
            return stream.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
