package dev.aeon.dataplane.history.run;

import dev.aeon.dataplane.errors.ApiErrors;
import dev.aeon.dataplane.history.state.NexusCompletionCallback;
import io.temporal.api.common.v1.Callback;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * StartWorkflowExecution's {@code completion_callbacks}, checked as Temporal's frontend checks them
 * (validateWorkflowCompletionCallbacks, callbacks' AddressMatchRules) with its default limits. Only
 * {@code temporal://system} is accepted: the callers are workflows on this platform. Temporal accepts other addresses
 * only when an operator configures them (none by default), and so does not Aeon: a tenant cannot make the platform
 * send requests to addresses of its choosing.
 */
public final class CompletionCallbacks {

    /** Temporal's worker-target callback address: a workflow of this platform, named by the callback's token. */
    public static final String SYSTEM_URL = "temporal://system";
    static final int MAX_CALLBACKS = 32;
    static final int MAX_URL_LENGTH = 1000;
    static final int MAX_HEADER_SIZE = 8192;

    private CompletionCallbacks() {
    }

    /**
     * Attaches callbacks to a running run (StartWorkflowExecution's {@code on_conflict_options}
     * {@code attach_completion_callbacks} meeting a run it uses instead of starting one), within the same limit.
     */
    static void attach(dev.aeon.dataplane.history.state.ExecutionState run, List<NexusCompletionCallback> callbacks) {
        if (run.completionCallbacks().size() + callbacks.size() > MAX_CALLBACKS) {
            throw ApiErrors.invalidArgument("cannot attach more than " + MAX_CALLBACKS + " callbacks to a workflow");
        }
        run.attachCompletionCallbacks(callbacks);
    }

    public static List<NexusCompletionCallback> of(List<Callback> callbacks) {
        if (callbacks.size() > MAX_CALLBACKS) {
            throw ApiErrors.invalidArgument("cannot attach more than " + MAX_CALLBACKS + " callbacks to a workflow");
        }
        List<NexusCompletionCallback> checked = new ArrayList<>();
        for (Callback callback : callbacks) {
            if (!callback.hasNexus()) {
                throw ApiErrors.invalidArgument("completion_callbacks: only Nexus callbacks are supported");
            }
            String url = callback.getNexus().getUrl();
            if (url.length() > MAX_URL_LENGTH) {
                throw ApiErrors.invalidArgument("invalid url: url length longer than max length allowed of "
                        + MAX_URL_LENGTH);
            }
            if (!url.equals(SYSTEM_URL)) {
                throw ApiErrors.invalidArgument(url.startsWith("http://") || url.startsWith("https://")
                        ? "invalid url: url does not match any configured callback address: " + url
                        : "invalid url: unknown scheme: " + url);
            }
            int size = 0;
            Map<String, String> header = new TreeMap<>();
            for (var entry : callback.getNexus().getHeaderMap().entrySet()) {
                size += entry.getKey().length() + entry.getValue().length();
                header.put(entry.getKey().toLowerCase(Locale.ROOT), entry.getValue());
            }
            if (size > MAX_HEADER_SIZE) {
                throw ApiErrors.invalidArgument("invalid header: header size longer than max allowed size of "
                        + MAX_HEADER_SIZE);
            }
            checked.add(new NexusCompletionCallback(url, header));
        }
        return checked;
    }
}
