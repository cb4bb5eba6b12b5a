package dev.aeon.dataplane.history.rules;

import io.temporal.api.command.v1.RecordMarkerCommandAttributes;
import io.temporal.api.command.v1.StartChildWorkflowExecutionCommandAttributes;
import io.temporal.api.common.v1.Header;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.MarkerRecordedEventAttributes;
import io.temporal.api.history.v1.StartChildWorkflowExecutionInitiatedEventAttributes;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PresentFieldsTest {

    private static final Payloads DATA = Payloads.newBuilder()
            .addPayloads(Payload.newBuilder().setData(com.google.protobuf.ByteString.copyFromUtf8("\"x\""))).build();

    @Test
    void anAbsentMessageStaysAbsent() {
        RecordMarkerCommandAttributes command = RecordMarkerCommandAttributes.newBuilder()
                .setMarkerName("LocalActivity").putDetails("result", DATA).build();

        MarkerRecordedEventAttributes event = PresentFields.copy(command, MarkerRecordedEventAttributes.newBuilder()).build();

        assertFalse(event.hasFailure(), "setFailure(getFailure()) would have made it present");
        assertFalse(event.hasHeader());
        assertEquals("LocalActivity", event.getMarkerName());
        assertEquals(DATA, event.getDetailsOrThrow("result"), "map entries are rebuilt for the event's own entry type");
    }

    @Test
    void aPresentMessageStaysPresentEvenWhenEmpty() {
        RecordMarkerCommandAttributes command = RecordMarkerCommandAttributes.newBuilder().setMarkerName("m")
                .setFailure(Failure.newBuilder().setMessage("boom")).setHeader(Header.getDefaultInstance()).build();

        MarkerRecordedEventAttributes event = PresentFields.copy(command, MarkerRecordedEventAttributes.newBuilder()).build();

        assertTrue(event.hasHeader());
        assertEquals("boom", event.getFailure().getMessage());
    }

    @Test
    void onlySameNamedFieldsOfTheSameTypeAreCopied() {
        StartChildWorkflowExecutionCommandAttributes command = StartChildWorkflowExecutionCommandAttributes.newBuilder()
                .setWorkflowId("child").setNamespace("other").setInput(DATA).build();

        StartChildWorkflowExecutionInitiatedEventAttributes event = PresentFields.copy(command,
                StartChildWorkflowExecutionInitiatedEventAttributes.newBuilder()).build();

        assertEquals("child", event.getWorkflowId());
        assertEquals(DATA, event.getInput());
        assertFalse(event.hasMemo());
        assertFalse(event.hasRetryPolicy());
        assertFalse(event.hasWorkflowRunTimeout());
    }
}
