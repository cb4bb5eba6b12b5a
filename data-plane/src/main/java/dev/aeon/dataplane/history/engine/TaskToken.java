package dev.aeon.dataplane.history.engine;

import com.google.protobuf.ByteString;
import dev.aeon.dataplane.errors.ApiErrors;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What a worker hands back to complete a task: which run, which task, which attempt. Opaque to workers; a
 * token for a task that moved on (retried, timed out, completed) is answered NOT_FOUND, as Temporal does.
 */
public record TaskToken(String namespaceId, String workflowId, String runId, long scheduledEventId,
                        long startedEventId, int attempt, long startedTimeMillis) {

    private static final byte VERSION = 1;

    public ByteString encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(namespaceId);
            out.writeUTF(workflowId);
            out.writeUTF(runId);
            out.writeLong(scheduledEventId);
            out.writeLong(startedEventId);
            out.writeInt(attempt);
            // A discarded speculative task's ids are reused by the next one; its start time tells them apart.
            out.writeLong(startedTimeMillis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ByteString.copyFrom(bytes.toByteArray());
    }

    public static TaskToken decode(ByteString token) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(token.toByteArray()))) {
            if (in.readByte() != VERSION) {
                throw ApiErrors.invalidArgument("task_token: not a task token issued by this server");
            }
            TaskToken decoded = new TaskToken(in.readUTF(), in.readUTF(), in.readUTF(), in.readLong(), in.readLong(),
                    in.readInt(), 0);
            // Tokens issued before the start time was added carry none; they are checked without it.
            return in.available() >= Long.BYTES ? new TaskToken(decoded.namespaceId, decoded.workflowId,
                    decoded.runId, decoded.scheduledEventId, decoded.startedEventId, decoded.attempt, in.readLong())
                    : decoded;
        } catch (IOException e) {
            throw ApiErrors.invalidArgument("task_token: malformed");
        }
    }
}
