package dev.aeon.dataplane.history.engine;

import dev.aeon.dataplane.history.state.ExecutionState;
import dev.aeon.dataplane.history.state.TimerTask;
import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aeon.dataplane.matching.DispatchTask;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * How mutable state, current-run pointers and task rows are stored: JSON behind a one-byte format version, so a
 * later binary encoding can be introduced without rewriting old rows.
 */
public final class StateCodec {

    private static final byte JSON_V1 = 1;
    private static final ObjectMapper JSON = new ObjectMapper()
            .setVisibility(PropertyAccessor.GETTER, JsonAutoDetect.Visibility.NONE)
            .setVisibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
            .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** The row a workflow id points at: which run is current, and what started it. */
    public record CurrentRun(String runId, int status, String startRequestId) {
    }

    private StateCodec() {
    }

    static byte[] encode(Object value) {
        try {
            byte[] json = JSON.writeValueAsBytes(value);
            byte[] out = new byte[json.length + 1];
            out[0] = JSON_V1;
            System.arraycopy(json, 0, out, 1, json.length);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ExecutionState state(byte[] data) {
        return decode(data, ExecutionState.class);
    }

    static CurrentRun currentRun(byte[] data) {
        return decode(data, CurrentRun.class);
    }

    static TimerTask timerTask(byte[] data) {
        return decode(data, TimerTask.class);
    }

    static DispatchTask dispatchTask(byte[] data) {
        return decode(data, DispatchTask.class);
    }

    private static <T> T decode(byte[] data, Class<T> type) {
        if (data.length == 0 || data[0] != JSON_V1) {
            throw new IllegalStateException("unknown record format " + (data.length == 0 ? "(empty)" : data[0]));
        }
        try {
            return JSON.readValue(data, 1, data.length - 1, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
