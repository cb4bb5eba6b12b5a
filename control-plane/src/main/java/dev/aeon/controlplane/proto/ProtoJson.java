package dev.aeon.controlplane.proto;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import dev.aeon.controlplane.error.CloudApiException;

/** proto3 JSON of Temporal's Cloud API messages: the REST bodies, and the specs as the store keeps them. */
public final class ProtoJson {

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();

    private ProtoJson() {
    }

    public static String print(MessageOrBuilder message) {
        try {
            return PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print " + message.getClass().getSimpleName(), e);
        }
    }

    /** Parses a request body; a malformed one is INVALID_ARGUMENT naming what the parser found. */
    public static <B extends Message.Builder> B parseRequest(String json, B builder) {
        try {
            PARSER.merge(json, builder);
            return builder;
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw CloudApiException.invalid("body", "not proto3 JSON of "
                    + builder.getDescriptorForType().getFullName() + ": " + e.getMessage());
        }
    }

    /** Parses what the store wrote with {@link #print}. */
    @SuppressWarnings("unchecked")
    public static <M extends Message> M parseStored(String json, Message.Builder builder) {
        try {
            PARSER.merge(json, builder);
            return (M) builder.build();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("stored " + builder.getDescriptorForType().getName() + " is unreadable", e);
        }
    }
}
