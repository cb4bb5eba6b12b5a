package dev.aeon.codec.access;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class NamespaceCallResolverTest {

    @Test
    void theSegmentBeforeEncodeOrDecodeNamesTheNamespace() {
        assertNull(NamespaceCallResolver.segmentBeforeLast("/decode"));
        assertNull(NamespaceCallResolver.segmentBeforeLast("decode"));
        assertEquals("orders", NamespaceCallResolver.segmentBeforeLast("/orders/decode"));
        assertEquals("orders.acct-1", NamespaceCallResolver.segmentBeforeLast("/codec/orders.acct-1/encode"));
    }
}
