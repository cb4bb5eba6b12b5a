package dev.aeon.controlplane.proto;

import dev.aeon.controlplane.error.CloudApiException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * List paging: {@code page_size} 0 means 100, at most 1000; {@code page_token} is opaque to clients (the last id of
 * the previous page, encoded).
 *
 * @param afterId null for the first page
 */
public record Paging(String afterId, int pageSize) {

    public static final int DEFAULT_PAGE_SIZE = 100;
    public static final int MAX_PAGE_SIZE = 1000;
    private static final String TOKEN_PREFIX = "after:";

    public static Paging of(int pageSize, String pageToken) {
        if (pageSize < 0 || pageSize > MAX_PAGE_SIZE) {
            throw CloudApiException.invalid("page_size", "must be between 0 and " + MAX_PAGE_SIZE
                    + " (0 means " + DEFAULT_PAGE_SIZE + "), was " + pageSize);
        }
        String afterId = null;
        if (pageToken != null && !pageToken.isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getUrlDecoder().decode(pageToken), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                decoded = "";
            }
            if (!decoded.startsWith(TOKEN_PREFIX)) {
                throw CloudApiException.invalid("page_token", "is not a token this API returned");
            }
            afterId = decoded.substring(TOKEN_PREFIX.length());
        }
        return new Paging(afterId, pageSize == 0 ? DEFAULT_PAGE_SIZE : pageSize);
    }

    /** Ask the store for one more than a page, to know whether there is a next one. */
    public int fetchSize() {
        return pageSize + 1;
    }

    /** The page's rows (fetched with {@link #fetchSize}) and the token of the next page, empty when this is the last. */
    public <R> Page<R> page(List<R> fetched, Function<R, String> id) {
        if (fetched.size() <= pageSize) {
            return new Page<>(fetched, "");
        }
        List<R> rows = fetched.subList(0, pageSize);
        String last = id.apply(rows.get(rows.size() - 1));
        return new Page<>(rows, Base64.getUrlEncoder().withoutPadding()
                .encodeToString((TOKEN_PREFIX + last).getBytes(StandardCharsets.UTF_8)));
    }

    public record Page<R>(List<R> rows, String nextPageToken) {
    }
}
