package dev.aeon.dataplane.visibility.query;

import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CustomSearchAttributesTest {

    private static final IndexedValueType KEYWORD = IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
    private static final IndexedValueType INT = IndexedValueType.INDEXED_VALUE_TYPE_INT;

    @Test
    void attributesWithoutFieldsGetTheLowestFreeOfTheirTypeInNameOrder() {
        CustomSearchAttributes assigned = CustomSearchAttributes.assign(
                Map.of("Region", KEYWORD, "CustomerId", KEYWORD, "Size", INT), Map.of());
        assertEquals(Map.of("CustomerId", "Keyword01", "Region", "Keyword02", "Size", "Int01"), assigned.fields());
    }

    @Test
    void assignedFieldsStayAndNewOnesTakeWhatIsFree() {
        CustomSearchAttributes assigned = CustomSearchAttributes.assign(
                Map.of("ClientId", KEYWORD, "Added", KEYWORD), Map.of("ClientId", "Keyword01", "Gone", "Keyword02"));
        assertEquals(Map.of("ClientId", "Keyword01", "Added", "Keyword02"), assigned.fields());
    }

    @Test
    void valuesGoInByFieldAndOutByName() {
        CustomSearchAttributes custom = new CustomSearchAttributes(Map.of("ClientId", "Keyword01"),
                Map.of("ClientId", KEYWORD));
        Payload x = Payload.newBuilder().setData(com.google.protobuf.ByteString.copyFromUtf8("\"x\"")).build();
        SearchAttributes byName = SearchAttributes.newBuilder().putIndexedFields("ClientId", x)
                .putIndexedFields("TemporalChangeVersion", x).build();
        SearchAttributes byField = custom.toFields(byName);
        assertEquals(java.util.Set.of("Keyword01", "TemporalChangeVersion"), byField.getIndexedFieldsMap().keySet());
        assertEquals(byName, custom.toNames(byField));
        assertEquals(byField, custom.toFields(byField));
    }

    @Test
    void aNameFromBeforeARenameStillFindsItsField() {
        CustomSearchAttributes custom = new CustomSearchAttributes(Map.of("ClientId", "Keyword01"),
                Map.of("ClientId", KEYWORD)).withFormerNames(Map.of("CustomerId", "Keyword01"));
        Payload x = Payload.newBuilder().setData(com.google.protobuf.ByteString.copyFromUtf8("\"x\"")).build();
        SearchAttributes stored = custom.toFields(SearchAttributes.newBuilder().putIndexedFields("CustomerId", x)
                .build());
        assertEquals(java.util.Set.of("Keyword01"), stored.getIndexedFieldsMap().keySet());
        assertEquals(java.util.Set.of("ClientId"), custom.toNames(stored).getIndexedFieldsMap().keySet());
    }
}
