package dev.aeon.controlplane.proto;

import dev.aeon.controlplane.error.CloudApiException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** List paging's decisions, without a database. */
class PagingTest {

    @Test
    void aPageSizeOfZeroIsTheDefaultAndTheBoundsAreNamed() {
        assertEquals(Paging.DEFAULT_PAGE_SIZE, Paging.of(0, "").pageSize());
        assertEquals(Paging.MAX_PAGE_SIZE, Paging.of(Paging.MAX_PAGE_SIZE, null).pageSize());
        for (int size : new int[]{-1, Paging.MAX_PAGE_SIZE + 1}) {
            CloudApiException e = assertThrows(CloudApiException.class, () -> Paging.of(size, ""));
            assertEquals("page_size", e.field());
            assertEquals("page_size: must be between 0 and 1000 (0 means 100), was " + size, e.getMessage());
        }
    }

    @Test
    void theNextPageStartsAfterTheLastRowOfThisOne() {
        Paging first = Paging.of(2, "");
        assertNull(first.afterId());
        assertEquals(3, first.fetchSize(), "one more than a page tells whether another follows");

        Paging.Page<String> page = first.page(List.of("a", "b", "c"), id -> id);
        assertEquals(List.of("a", "b"), page.rows());

        Paging second = Paging.of(2, page.nextPageToken());
        assertEquals("b", second.afterId());
        Paging.Page<String> last = second.page(List.of("c"), id -> id);
        assertEquals(List.of("c"), last.rows());
        assertEquals("", last.nextPageToken(), "the last page has no next");
    }

    @Test
    void aTokenThisApiDidNotReturnIsRefusedNamingTheField() {
        for (String token : new String[]{"garbage", "not base64 !", "YWZ0ZXI"}) {
            CloudApiException e = assertThrows(CloudApiException.class, () -> Paging.of(10, token));
            assertEquals(CloudApiException.Code.INVALID_ARGUMENT, e.code());
            assertEquals("page_token", e.field());
        }
    }
}
